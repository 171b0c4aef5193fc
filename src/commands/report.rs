//! `tandem report --html DIR`: writes DIR/index.html, a coverage dashboard for editors.

use crate::commands::Context;
use crate::config::display_path;
use crate::coverage::{apply_minimums, coverage};
use crate::error::{Error, Result};
use crate::pairs::Ask;
use crate::render::html::{report, Page};
use crate::write::{create_dir_all, write_atomic};
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub fn execute(ctx: &mut Context, dir: &Path, force: bool) -> Result<u8> {
    let project = ctx.open()?;
    let pairing = crate::commands::pair_with_progress(
        &project,
        &Ask {
            keep: &|_| true,
            work_only: false,
            only: None,
        },
    )?;
    let mut rows = coverage(&pairing, &[], false);
    apply_minimums(&mut rows, None, &project.config.min_coverage);

    let base = ctx.location.start()?;
    let dir = if dir.is_absolute() {
        dir.to_path_buf()
    } else {
        base.join(dir)
    };
    create_dir_all(&dir)?;
    let root = project
        .config
        .root
        .canonicalize()
        .map_err(|e| Error::io(&project.config.root, &e, "read"))?;
    let out_dir = dir
        .canonicalize()
        .map_err(|e| Error::io(&dir, &e, "read"))?;
    let root_href = match out_dir.strip_prefix(&root) {
        Ok(rel) => "../".repeat(rel.components().count()),
        Err(_) => format!("file://{}/", root.display()),
    };
    let page = Page {
        pairing: &pairing,
        coverage: &rows,
        languages: &project.config.languages,
        root_href,
        generated: generated_at(),
    };
    let mut html = Vec::new();
    report(&mut html, &page)
        .map_err(|e| Error::new(format!("could not render the report: {e}")))?;
    let file = dir.join("index.html");
    // Someone else's page in that folder is not tandem's to replace.
    if !force {
        if let Ok(existing) = std::fs::read(&file) {
            let ours = String::from_utf8_lossy(&existing[..existing.len().min(4096)])
                .contains(crate::render::html::GENERATOR);
            if !ours {
                let shown = display_path(&base, &file);
                return Err(
                    Error::new(format!("{shown} exists and was not written by tandem"))
                        .with_path(&shown)
                        .with_hint(
                            "choose another folder for the report, or add --force to replace it",
                        ),
                );
            }
        }
    }
    write_atomic(&file, &html)?;
    writeln!(
        ctx.out,
        "wrote {} ({} articles, {} languages)",
        display_path(&base, &file),
        pairing.articles.len(),
        project.config.languages.len()
    )?;
    Ok(crate::exit::OK)
}

/// Now, or SOURCE_DATE_EPOCH when set (for reproducible reports).
fn generated_at() -> String {
    let time = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .map(|secs| UNIX_EPOCH + Duration::from_secs(secs))
        .unwrap_or_else(SystemTime::now);
    humantime::format_rfc3339_seconds(time).to_string()
}
