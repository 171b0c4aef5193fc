//! Finding and reading every original and translation, in parallel, one file per thread at a
//! time. A bad file becomes a diagnostic; it never stops the scan. Files whose stamp matches the
//! cache are not read again.

use crate::cache::{Cache, Cached, Stamp};
use crate::config::Config;
use crate::document::{
    read_article, read_translation_summary, Original, Progress as Status, TranslationSummary,
};
use crate::error::Diagnostic;
use crate::names::check_lang;
use crate::snapshot::SnapshotStore;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
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
    /// Problems that concern no single article file (skipped folders, links, walk errors).
    pub diagnostics: Vec<Diagnostic>,
    /// The block digests of the snapshots that outdated translations refer to (`None`: no
    /// usable snapshot for that fingerprint).
    pub snapshots: HashMap<String, Option<Vec<u64>>>,
}

/// What kind of file a job reads.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Original,
    /// A translation in the folder of this language.
    Translation(String),
    /// The snapshot of this fingerprint.
    Snapshot(String),
}

/// A file to read.
struct Job {
    abs: PathBuf,
    /// Relative to the project root, with `/`.
    path: String,
    default_id: String,
    kind: Kind,
    /// From the walk, when the walk could stat it cheaply.
    stamp: Option<Stamp>,
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

/// A Markdown file found by the walk.
struct Found {
    abs: PathBuf,
    /// Relative to the folder walked, with `/`.
    rel: String,
    stamp: Option<Stamp>,
}

/// Lists the `.md` files under `base` (sorted, hidden entries skipped), each with its stamp.
/// Symbolic links to files are followed; links to folders are not (they are reported), so a
/// loop or a link out of the project cannot be walked into. Sub-folders are walked in parallel.
fn walk(base: &Path, shown: &str) -> (Vec<Found>, Vec<Diagnostic>) {
    let mut found = Vec::new();
    let mut diagnostics = Vec::new();
    let mut subdirs = Vec::new();
    list_dir(base, "", shown, &mut found, &mut subdirs, &mut diagnostics);
    let deeper: Vec<(Vec<Found>, Vec<Diagnostic>)> = subdirs
        .into_par_iter()
        .map(|(dir, rel)| {
            let mut found = Vec::new();
            let mut diagnostics = Vec::new();
            let mut stack = vec![(dir, rel)];
            while let Some((dir, rel)) = stack.pop() {
                let mut more = Vec::new();
                list_dir(&dir, &rel, shown, &mut found, &mut more, &mut diagnostics);
                // Depth first, in name order.
                stack.extend(more.into_iter().rev());
            }
            (found, diagnostics)
        })
        .collect();
    for (f, d) in deeper {
        found.extend(f);
        diagnostics.extend(d);
    }
    found.sort_by(|a, b| a.rel.cmp(&b.rel));
    (found, diagnostics)
}

/// Lists one folder: Markdown files into `found`, sub-folders into `subdirs`.
fn list_dir(
    dir: &Path,
    rel: &str,
    shown: &str,
    found: &mut Vec<Found>,
    subdirs: &mut Vec<(PathBuf, String)>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            if rel.is_empty() && e.kind() == std::io::ErrorKind::NotFound {
                return;
            }
            diagnostics.push(Diagnostic::new(
                format!("{shown}/{rel}"),
                format!("cannot read the folder: {e}"),
            ));
            return;
        }
    };
    let mut entries: Vec<std::fs::DirEntry> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let file_name = entry.file_name();
        let Some(name) = file_name.to_str() else {
            diagnostics.push(Diagnostic::new(
                format!("{shown}/{rel}{}", file_name.to_string_lossy()),
                "the name is not UTF-8; skipped",
            ));
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let child_rel = format!("{rel}{name}");
        if kind.is_dir() {
            subdirs.push((entry.path(), format!("{child_rel}/")));
        } else if kind.is_symlink() {
            let path = entry.path();
            match std::fs::metadata(&path) {
                Ok(meta) if meta.is_file() && name.ends_with(".md") => found.push(Found {
                    abs: path,
                    rel: child_rel,
                    stamp: Some(Stamp::of(&meta)),
                }),
                Ok(meta) if meta.is_dir() => diagnostics.push(Diagnostic::new(
                    format!("{shown}/{child_rel}"),
                    "a symbolic link to a folder is not followed; skipped",
                )),
                Ok(_) => {}
                Err(_) if name.ends_with(".md") => diagnostics.push(Diagnostic::new(
                    format!("{shown}/{child_rel}"),
                    "a symbolic link to nothing (or a loop); skipped",
                )),
                Err(_) => {}
            }
        } else if kind.is_file() && name.ends_with(".md") {
            // `DirEntry::metadata` stats relative to the open folder: cheaper than by path.
            let stamp = entry.metadata().ok().map(|m| Stamp::of(&m));
            found.push(Found {
                abs: entry.path(),
                rel: child_rel,
                stamp,
            });
        }
    }
}

fn strip_md(rel: &str) -> String {
    rel.strip_suffix(".md").unwrap_or(rel).to_string()
}

/// The originals to read.
fn original_jobs(config: &Config, diagnostics: &mut Vec<Diagnostic>) -> Vec<Job> {
    let (found, diags) = walk(&config.articles_dir(), &config.articles);
    diagnostics.extend(diags);
    found
        .into_iter()
        .map(|f| Job {
            path: format!("{}/{}", config.articles, f.rel),
            default_id: strip_md(&f.rel),
            kind: Kind::Original,
            abs: f.abs,
            stamp: f.stamp,
        })
        .collect()
}

/// The translations to read: one folder per language under the translations folder.
fn translation_jobs(config: &Config, diagnostics: &mut Vec<Diagnostic>) -> Vec<Job> {
    let dir = config.translations_dir();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).collect();
    entries.sort_by_key(|e| e.file_name());
    let mut langs = Vec::new();
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
        langs.push((entry.path(), name, shown));
    }
    let walked: Vec<(Vec<Job>, Vec<Diagnostic>)> = langs
        .into_par_iter()
        .map(|(path, lang, shown)| {
            let (found, diags) = walk(&path, &shown);
            let jobs = found
                .into_iter()
                .map(|f| Job {
                    path: format!("{shown}/{}", f.rel),
                    default_id: strip_md(&f.rel),
                    kind: Kind::Translation(lang.clone()),
                    abs: f.abs,
                    stamp: f.stamp,
                })
                .collect();
            (jobs, diags)
        })
        .collect();
    let mut jobs = Vec::new();
    for (j, d) in walked {
        jobs.extend(j);
        diagnostics.extend(d);
    }
    jobs
}

/// Told how far a scan has got, for a progress indicator. Called from several threads.
pub trait Progress: Sync {
    /// The number of files to read is known.
    fn start(&self, total: usize);
    /// One more file is done.
    fn advance(&self);
    /// The scan is over.
    fn finish(&self);
}

/// How to scan.
#[derive(Default, Clone, Copy)]
pub struct ScanOptions<'a> {
    /// Read and write `.tandem/cache/`.
    pub use_cache: bool,
    pub progress: Option<&'a dyn Progress>,
}

/// Scans the whole publication, with the cache.
pub fn scan(config: &Config) -> Scan {
    scan_with(
        config,
        ScanOptions {
            use_cache: true,
            progress: None,
        },
    )
}

/// What reading a job gave: its stamp, the answer, and whether it came from the cache.
struct Read {
    stamp: Option<Stamp>,
    cached: Cached,
    hit: bool,
}

/// Reads one file, or takes what the cache remembers of it when its stamp still matches.
fn read_one(
    job: &Job,
    config: &Config,
    store: &SnapshotStore,
    remembered: Option<(Stamp, Cached)>,
) -> Read {
    let stamp = job
        .stamp
        .or_else(|| std::fs::metadata(&job.abs).ok().map(|m| Stamp::of(&m)));
    if let (Some((old, cached)), Some(now)) = (remembered, stamp) {
        let same_kind = matches!(
            (&job.kind, &cached),
            (Kind::Original, Cached::Original(_))
                | (Kind::Translation(_), Cached::Translation(_))
                | (Kind::Snapshot(_), Cached::Snapshot(_))
        );
        if old == now && same_kind {
            return Read {
                stamp,
                cached,
                hit: true,
            };
        }
    }
    let cached = match &job.kind {
        Kind::Original => Cached::Original(
            read_text(&job.abs, &job.path)
                .and_then(|text| read_article(&text, &job.path, &job.default_id, config))
                .map(|a| a.summary()),
        ),
        Kind::Translation(lang) => {
            Cached::Translation(read_text(&job.abs, &job.path).and_then(|text| {
                read_translation_summary(&text, &job.path, &job.default_id, lang, config)
            }))
        }
        Kind::Snapshot(fingerprint) => Cached::Snapshot(store.load_digests(fingerprint)),
    };
    Read {
        stamp,
        cached,
        hit: false,
    }
}

/// Reads `jobs` in parallel, taking what the cache remembers.
fn read_all(
    jobs: &[Job],
    config: &Config,
    store: &SnapshotStore,
    cache: &mut Option<Cache>,
    progress: Option<&dyn Progress>,
) -> Vec<Read> {
    let remembered: Vec<Option<(Stamp, Cached)>> = match cache.as_mut() {
        Some(c) => jobs.iter().map(|job| c.take(&job.path)).collect(),
        None => jobs.iter().map(|_| None).collect(),
    };
    jobs.par_iter()
        .zip(remembered)
        .map(|(job, remembered)| {
            let read = read_one(job, config, store, remembered);
            if let Some(p) = progress {
                p.advance();
            }
            read
        })
        .collect()
}

/// The snapshots that done translations refer to when their stamp is no original's current
/// fingerprint: what `status` needs to size outdated pairs.
fn snapshot_jobs(read: &[Read], store: &SnapshotStore, config: &Config) -> Vec<Job> {
    let current: HashSet<&str> = read
        .iter()
        .filter_map(|r| match &r.cached {
            Cached::Original(Ok(o)) => Some(o.fingerprint.as_str()),
            _ => None,
        })
        .collect();
    let mut stamps: Vec<&str> = read
        .iter()
        .filter_map(|r| match &r.cached {
            Cached::Translation(Ok(t)) if t.progress == Status::Done => t.source_hash.as_deref(),
            _ => None,
        })
        .filter(|s| !current.contains(s))
        .collect();
    stamps.sort_unstable();
    stamps.dedup();
    stamps
        .into_iter()
        .filter_map(|stamp| {
            // A stamp that is not a fingerprint's shape has no snapshot to read.
            let path = store.relative_path_of(stamp)?;
            Some(Job {
                abs: config.root.join(&path),
                path,
                default_id: String::new(),
                kind: Kind::Snapshot(stamp.to_string()),
                stamp: None,
            })
        })
        .collect()
}

/// Scans the whole publication.
pub fn scan_with(config: &Config, options: ScanOptions) -> Scan {
    let mut diagnostics = Vec::new();
    let mut jobs = original_jobs(config, &mut diagnostics);
    jobs.extend(translation_jobs(config, &mut diagnostics));
    let store = SnapshotStore::new(&config.root);
    let mut cache = options.use_cache.then(|| Cache::load(config));

    if let Some(p) = options.progress {
        p.start(jobs.len());
    }
    let mut read = read_all(&jobs, config, &store, &mut cache, options.progress);
    if let Some(p) = options.progress {
        p.finish();
    }
    let more = snapshot_jobs(&read, &store, config);
    read.extend(read_all(&more, config, &store, &mut cache, None));
    jobs.extend(more);

    if let Some(cache) = cache {
        let hits = read.iter().filter(|r| r.hit).count();
        let fresh = read
            .iter()
            .any(|r| !r.hit && r.stamp.is_some_and(|s| cache.cacheable(&s)));
        if fresh || !cache.is_current(hits) {
            cache.store(
                jobs.iter()
                    .zip(&read)
                    .filter_map(|(job, r)| Some((job.path.as_str(), r.stamp?, &r.cached))),
            );
        }
    }

    let mut scan = Scan {
        diagnostics,
        ..Scan::default()
    };
    for (job, r) in jobs.into_iter().zip(read) {
        match (job.kind, r.cached) {
            (Kind::Original, Cached::Original(result)) => scan.originals.push(Scanned {
                path: job.path,
                default_id: job.default_id,
                folder_lang: None,
                result,
            }),
            (Kind::Translation(lang), Cached::Translation(result)) => {
                scan.translations.push(Scanned {
                    path: job.path,
                    default_id: job.default_id,
                    folder_lang: Some(lang),
                    result,
                })
            }
            (Kind::Snapshot(fingerprint), Cached::Snapshot(digests)) => {
                scan.snapshots.insert(fingerprint, digests);
            }
            _ => {}
        }
    }
    scan
}
