//! `tandem gc`: deletes snapshots that no translation refers to.

use crate::cli::TextFormat;
use crate::commands::Context;
use crate::error::Result;
use crate::fingerprint::FINGERPRINT_LEN;
use std::collections::HashSet;

pub fn execute(ctx: &mut Context, dry_run: bool, format: TextFormat) -> Result<u8> {
    let json = format == TextFormat::Json;
    let mut done: Vec<crate::render::json::Deleted> = Vec::new();
    let project = ctx.open()?;
    let _lock = crate::lock::take(&project.config.root, true)?;
    let mut referenced: HashSet<String> = HashSet::new();
    let (langs, skipped) = crate::scan::language_folders(&project.config);
    // A folder skipped for now (a language left out of tandem.yaml for a moment) may hold
    // translations: whatever its files name is kept.
    for d in &skipped {
        let dir = project.abs(&d.path);
        if dir.is_dir() {
            referenced.extend(mentioned_under(&dir));
        }
    }
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
        let source = project.store.load(&fp).map(|s| s.source);
        let about = source
            .as_ref()
            .map(|s| format!(" ({s} as it was)"))
            .unwrap_or_default();
        if !dry_run {
            project.store.remove(&fp)?;
        }
        if json {
            done.push(crate::render::json::Deleted {
                path,
                reason: "unreferenced",
                source,
            });
        } else if dry_run {
            writeln!(ctx.out, "would delete {path}{about}")?;
        } else {
            writeln!(ctx.out, "deleted {path}{about}")?;
        }
        deleted += 1;
    }
    // Temporary files left by interrupted writes are full copies of translations: with the
    // lock held alone, no write is under way, so every one of them is a leftover.
    let leftovers = crate::write::leftover_temps(&project.config.root, &temp_dirs(&project));
    for path in &leftovers {
        let shown = crate::config::display_path(&project.config.root, path);
        if !dry_run {
            std::fs::remove_file(path).map_err(|e| crate::Error::io(path, &e, "delete"))?;
        }
        if json {
            done.push(crate::render::json::Deleted {
                path: shown,
                reason: "interrupted-write",
                source: None,
            });
        } else if dry_run {
            writeln!(
                ctx.out,
                "would delete {shown} (left by an interrupted write)"
            )?;
        } else {
            writeln!(ctx.out, "deleted {shown} (left by an interrupted write)")?;
        }
    }
    if json {
        let report = crate::render::json::GcReport {
            version: 1,
            dry_run,
            deleted: done,
            kept,
        };
        crate::commands::unless_closed_pipe(crate::render::json::write(ctx.out, &report))?;
        return Ok(crate::exit::OK);
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

/// The fingerprints named by any file under `dir`.
fn mentioned_under(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            match e.file_type() {
                Ok(t) if t.is_dir() => stack.push(e.path()),
                Ok(t) if t.is_file() => {
                    if let Ok(bytes) = std::fs::read(e.path()) {
                        out.extend(hex_words(&String::from_utf8_lossy(&bytes)));
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// The folders tandem writes in: each language's translations and `.tandem/`.
fn temp_dirs(project: &crate::project::Project) -> Vec<std::path::PathBuf> {
    let config = &project.config;
    let mut dirs: Vec<std::path::PathBuf> = config
        .translation_langs
        .iter()
        .flat_map(|l| config.layout.translation_scopes(l))
        .map(|s| config.root.join(s.base()))
        .collect();
    dirs.push(config.root.join(crate::snapshot::TANDEM_DIR));
    dirs.sort();
    dirs.dedup();
    dirs
}
