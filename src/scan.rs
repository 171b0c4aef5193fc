//! Finding and reading every original and translation, in parallel, one file per thread at a
//! time. A bad file becomes a diagnostic; it never stops the scan.

use crate::config::{display_path, Config};
use crate::document::{read_article, read_translation_summary, Original, TranslationSummary};
use crate::error::Diagnostic;
use crate::names::check_lang;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// One file found by the scan and what reading it gave.
#[derive(Debug, Clone)]
pub struct Scanned<T> {
    /// Relative to the project root, with `/`.
    pub path: String,
    /// The id its path gives (used when the file cannot be read).
    pub default_id: String,
    /// For translations, the language of the folder it is in.
    pub folder_lang: Option<String>,
    pub result: Result<T, Diagnostic>,
}

/// Everything found in the publication.
#[derive(Debug, Default)]
pub struct Scan {
    pub originals: Vec<Scanned<Original>>,
    pub translations: Vec<Scanned<TranslationSummary>>,
    /// Problems that concern no single article file (skipped folders, walk errors).
    pub diagnostics: Vec<Diagnostic>,
}

struct Job {
    abs: PathBuf,
    path: String,
    default_id: String,
    folder_lang: Option<String>,
}

/// Reads a file as UTF-8 text; a problem is a diagnostic with the line where it is.
pub fn read_text(abs: &Path, path: &str) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(abs)
        .map_err(|e| Diagnostic::new(path, format!("cannot read the file: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line = bytes[..valid].iter().filter(|&&b| b == b'\n').count() + 1;
        let column = valid
            - bytes[..valid]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1)
            + 1;
        Diagnostic::new(
            path,
            format!("the file is not UTF-8 text (invalid byte at offset {valid})"),
        )
        .at(Some(line), Some(column))
    })
}

/// Lists the `.md` files under `dir`, sorted, as (absolute path, path relative to `dir`).
fn markdown_files(
    config: &Config,
    dir: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    if !dir.is_dir() {
        return files;
    }
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let path = err
                    .path()
                    .map(|p| display_path(&config.root, p))
                    .unwrap_or_else(|| display_path(&config.root, dir));
                diagnostics.push(Diagnostic::new(path, format!("cannot read: {err}")));
                continue;
            }
        };
        let p = entry.path();
        if p.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let is_file = entry.file_type().is_file()
            || (entry.path_is_symlink() && std::fs::metadata(p).is_ok_and(|m| m.is_file()));
        if !is_file {
            continue;
        }
        let rel = p.strip_prefix(dir).unwrap_or(p);
        match rel.to_str() {
            Some(r) => files.push((p.to_path_buf(), r.replace('\\', "/"))),
            None => diagnostics.push(Diagnostic::new(
                display_path(&config.root, p),
                "the file name is not UTF-8; skipped",
            )),
        }
    }
    files
}

fn strip_md(rel: &str) -> String {
    rel.strip_suffix(".md").unwrap_or(rel).to_string()
}

/// Finds the translation jobs: one folder per language under the translations folder.
fn translation_jobs(config: &Config, diagnostics: &mut Vec<Diagnostic>) -> Vec<Job> {
    let dir = config.translations_dir();
    let mut jobs = Vec::new();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return jobs;
    };
    let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let shown = format!("{}/{name}", config.translations);
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_symlink() {
            diagnostics.push(Diagnostic::new(
                shown,
                "a language folder must be a real folder, not a symbolic link; skipped",
            ));
            continue;
        }
        if !kind.is_dir() {
            if name.ends_with(".md") {
                diagnostics.push(Diagnostic::new(
                    shown,
                    format!(
                        "translations belong in a language folder such as `{}/es/`; skipped",
                        config.translations
                    ),
                ));
            }
            continue;
        }
        if let Err(m) = check_lang(&name) {
            diagnostics.push(Diagnostic::new(shown, format!("{m}; folder skipped")));
            continue;
        }
        if !config.languages.contains(&name) {
            diagnostics.push(Diagnostic::new(
                shown,
                format!(
                    "`{name}` is not one of the languages in tandem.yaml ({}); folder skipped",
                    config.languages.join(", ")
                ),
            ));
            continue;
        }
        for (abs, rel) in markdown_files(config, &entry.path(), diagnostics) {
            jobs.push(Job {
                path: format!("{shown}/{rel}"),
                default_id: strip_md(&rel),
                folder_lang: Some(name.clone()),
                abs,
            });
        }
    }
    jobs
}

/// Scans the whole publication.
pub fn scan(config: &Config) -> Scan {
    let mut diagnostics = Vec::new();
    let article_jobs: Vec<Job> = markdown_files(config, &config.articles_dir(), &mut diagnostics)
        .into_iter()
        .map(|(abs, rel)| Job {
            path: format!("{}/{rel}", config.articles),
            default_id: strip_md(&rel),
            folder_lang: None,
            abs,
        })
        .collect();
    let translation_jobs = translation_jobs(config, &mut diagnostics);

    let originals = article_jobs
        .into_par_iter()
        .map(|job| {
            let result = read_text(&job.abs, &job.path)
                .and_then(|text| read_article(&text, &job.path, &job.default_id, config))
                .map(|a| a.summary());
            Scanned {
                path: job.path,
                default_id: job.default_id,
                folder_lang: None,
                result,
            }
        })
        .collect();
    let translations = translation_jobs
        .into_par_iter()
        .map(|job| {
            let lang = job.folder_lang.clone().unwrap_or_default();
            let result = read_text(&job.abs, &job.path).and_then(|text| {
                read_translation_summary(&text, &job.path, &job.default_id, &lang, config)
            });
            Scanned {
                path: job.path,
                default_id: job.default_id,
                folder_lang: job.folder_lang,
                result,
            }
        })
        .collect();
    Scan {
        originals,
        translations,
        diagnostics,
    }
}
