//! `tandem report`: the editors' dashboard (`--html DIR`), a summary badge (`--badge FILE`)
//! and the manifest a site's templates read to show readers a banner (`--manifest FILE`).

use crate::commands::Context;
use crate::config::display_path;
use crate::coverage::{apply_minimums, coverage, Coverage};
use crate::error::{Error, Result};
use crate::pairs::{Ask, Pairing};
use crate::render::html::{report, Links, Page};
use crate::write::{create_dir_all, write_atomic, write_atomic_with};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// What to write.
pub struct Options<'a> {
    pub html: Option<&'a Path>,
    pub badge: Option<&'a Path>,
    pub manifest: Option<&'a Path>,
    pub force: bool,
    pub link_base: Option<&'a str>,
}

pub fn execute(ctx: &mut Context, opts: &Options) -> Result<u8> {
    let project = ctx.open()?;
    let pairing = crate::commands::pair_with_progress(
        &project,
        &Ask {
            keep: &|_| true,
            work_only: false,
            articles: true,
            pairs: true,
            langs: &[],
            only: None,
        },
    )?;
    let mut rows = coverage(&pairing, &[], false);
    apply_minimums(&mut rows, None, &project.config.min_coverage);
    let start = ctx.location.start()?;
    let at = |p: &Path| {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            start.join(p)
        }
    };
    let generated = generated_at();
    if let Some(dir) = opts.html {
        let file = html(
            &project,
            &pairing,
            &rows,
            &at(dir),
            opts,
            &generated,
            &start,
        )?;
        writeln!(
            ctx.out,
            "wrote {} ({} articles, {} languages)",
            display_path(&start, &file),
            pairing.articles.len(),
            project.config.languages.len()
        )?;
    }
    if let Some(file) = opts.badge {
        let file = at(file);
        let (percent, svg) = crate::render::badge::coverage(&rows);
        write_new(&file, svg.as_bytes())?;
        writeln!(
            ctx.out,
            "wrote {} (translations {percent}% up to date)",
            display_path(&start, &file)
        )?;
    }
    if let Some(file) = opts.manifest {
        let file = at(file);
        let manifest = crate::render::json::manifest(&pairing, opts.link_base, &generated);
        let mut bytes = Vec::new();
        crate::render::json::write(&mut bytes, &manifest).map_err(Error::output)?;
        write_new(&file, &bytes)?;
        writeln!(
            ctx.out,
            "wrote {} ({} translated pages)",
            display_path(&start, &file),
            manifest.count()
        )?;
    }
    drop(rows);
    crate::commands::leave(pairing);
    crate::commands::leave(project);
    Ok(crate::exit::OK)
}

/// Writes a file atomically, creating its folder.
fn write_new(file: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_dir_all(parent)?;
    }
    write_atomic(file, bytes)
}

/// Writes DIR/index.html; gives its path.
fn html(
    project: &crate::project::Project,
    pairing: &Pairing,
    rows: &[Coverage],
    dir: &Path,
    opts: &Options,
    generated: &str,
    start: &Path,
) -> Result<PathBuf> {
    create_dir_all(dir)?;
    let root = project
        .config
        .root
        .canonicalize()
        .map_err(|e| Error::io(&project.config.root, &e, "read"))?;
    let out_dir = dir.canonicalize().map_err(|e| Error::io(dir, &e, "read"))?;
    let links = match opts.link_base {
        Some(base) => Links::under(base),
        None => Links {
            files: relative_root(&out_dir, &root),
            ..Links::default()
        },
    };
    let config = &project.config;
    let missing_path = |item: &crate::pairs::Item| {
        let source = item.source.as_deref()?;
        config.translation_path(source, &item.id, item.lang)
    };
    let page = Page {
        pairing,
        coverage: rows,
        languages: &config.languages,
        required: &config.required,
        links,
        generated: generated.to_string(),
        missing_path: &missing_path,
    };
    let file = dir.join("index.html");
    // Someone else's page in that folder is not tandem's to replace.
    if !opts.force {
        if let Ok(existing) = std::fs::read(&file) {
            let ours = String::from_utf8_lossy(&existing[..existing.len().min(4096)])
                .contains(crate::render::html::GENERATOR);
            if !ours {
                let shown = display_path(start, &file);
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
    // Written as it is made, into a file put in place once whole.
    write_atomic_with(&file, &mut |out| report(out, &page))?;
    Ok(file)
}

/// The way from the report's folder to the project root as a relative URL (`../../`, or
/// `../other/site/` when the report is outside the project), so links keep working when both
/// are copied or served together.
fn relative_root(from: &Path, root: &Path) -> String {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = root.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut rel = "../".repeat(from.len() - common);
    for c in &to[common..] {
        rel.push_str(&crate::render::html::url_path(
            &c.as_os_str().to_string_lossy(),
        ));
        rel.push('/');
    }
    rel
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
