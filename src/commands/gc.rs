//! `tandem gc`: deletes snapshots that no translation refers to.

use crate::commands::Context;
use crate::error::Result;
use crate::fingerprint::FINGERPRINT_LEN;
use std::collections::HashSet;

pub fn execute(ctx: &mut Context, dry_run: bool) -> Result<u8> {
    let project = ctx.open()?;
    let mut referenced: HashSet<String> = HashSet::new();
    let (langs, _) = crate::scan::language_folders(&project.config);
    let translations = langs.iter().flat_map(|lang| {
        crate::scan::scan_language(&project.config, lang, crate::scan::ScanOptions::cached()).files
    });
    for t in translations {
        match &t.result {
            Ok(t) => referenced.extend(t.source_hash.clone()),
            Err(_) => {
                // A file that cannot be parsed may still name a snapshot: keep anything it
                // mentions, so fixing the file later finds its baseline again.
                if let Ok(bytes) = std::fs::read(project.abs(&t.path)) {
                    referenced.extend(hex_words(&String::from_utf8_lossy(&bytes)));
                }
            }
        }
    }
    let mut deleted = 0;
    let mut kept = 0;
    for fp in project.store.list()? {
        if referenced.contains(&fp) {
            kept += 1;
            continue;
        }
        let path = project.store.relative_path(&fp);
        let about = project
            .store
            .load(&fp)
            .map(|s| format!(" ({} as it was)", s.source))
            .unwrap_or_default();
        if dry_run {
            writeln!(ctx.out, "would delete {path}{about}")?;
        } else {
            project.store.remove(&fp)?;
            writeln!(ctx.out, "deleted {path}{about}")?;
        }
        deleted += 1;
    }
    let verb = if dry_run { "would delete" } else { "deleted" };
    writeln!(
        ctx.out,
        "{verb} {deleted} {}, kept {kept} that translations refer to",
        if deleted == 1 {
            "snapshot"
        } else {
            "snapshots"
        }
    )?;
    Ok(crate::exit::OK)
}

/// Every run of exactly FINGERPRINT_LEN lowercase hex digits in a text.
fn hex_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_hexdigit())
        .filter(|w| w.len() == FINGERPRINT_LEN)
        .map(str::to_lowercase)
        .collect()
}
