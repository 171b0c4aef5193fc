//! Finding and reading the files of a publication, in parallel. A folder (the originals, each
//! language's translations) is first listed: walked, and each file's stamp looked up in the
//! folder's cache shard ([`Listing`]), which tells whether anything in it changed. Then it is
//! read: only the files whose stamp does not match. A bad file becomes a diagnostic; it never
//! stops the scan.

use crate::cache::{Cached, CachedKind, CachedRef, Lookup, Shard, Stamp};
use crate::config::Config;
use crate::document::{read_original, read_translation_summary, Original, TranslationSummary};
use crate::error::Diagnostic;
use crate::layout::{Layout, LevelEntry, Scope};
use crate::snapshot::SnapshotStore;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// One file found by the scan and what reading it gave.
#[derive(Debug, Clone)]
pub struct Scanned<T> {
    /// Relative to the project root, with `/`.
    pub path: String,
    /// The id its path gives (used when the file cannot be read).
    pub default_id: String,
    /// For translations, the language of the folder it is in (one string for the folder).
    pub folder_lang: Option<Arc<str>>,
    pub result: Result<T, Diagnostic>,
}

/// The files of one folder, and the problems with the folder itself.
#[derive(Debug, Clone)]
pub struct Folder<T> {
    pub files: Vec<Scanned<T>>,
    /// Problems that concern no single article file (skipped folders, links, walk errors).
    pub diagnostics: Vec<Diagnostic>,
}

impl<T> Default for Folder<T> {
    fn default() -> Self {
        Folder {
            files: Vec::new(),
            diagnostics: Vec::new(),
        }
    }
}

/// Told how far a scan has got, for a progress indicator. Called from several threads.
pub trait Progress: Sync {
    /// `n` more files are to be read.
    fn add(&self, n: usize);
    /// One more file is done.
    fn advance(&self);
}

/// How to scan.
#[derive(Default, Clone, Copy)]
pub struct ScanOptions<'a> {
    /// Read and write `.tandem/cache/`.
    pub use_cache: bool,
    pub progress: Option<&'a dyn Progress>,
}

impl ScanOptions<'_> {
    /// The cache on, no progress indicator.
    pub fn cached() -> ScanOptions<'static> {
        ScanOptions {
            use_cache: true,
            progress: None,
        }
    }
}

/// Reads a file as UTF-8 text; a problem is a diagnostic with the line where it is.
pub fn read_text(abs: &Path, path: &str) -> Result<String, Diagnostic> {
    read_stamped(abs, path).0
}

/// Reads a file as UTF-8 text, with the stamp of what was read (taken from the open file, so
/// no second look-up by path is needed).
fn read_stamped(abs: &Path, path: &str) -> (Result<String, Diagnostic>, Option<Stamp>) {
    let cannot = |e: std::io::Error| Diagnostic::new(path, format!("cannot read the file: {e}"));
    let mut file = match std::fs::File::open(abs) {
        Ok(f) => f,
        Err(e) => return (Err(cannot(e)), None),
    };
    let meta = file.metadata().ok();
    let bytes = match read_to_end(&mut file, meta.as_ref().map_or(0, |m| m.len() as usize)) {
        Ok(bytes) => bytes,
        Err(e) => return (Err(cannot(e)), None),
    };
    (decode(bytes, path), meta.map(|m| Stamp::of(&m)))
}

/// Reads an open file to its end, `size` bytes expected (it may have changed since). `File`'s
/// own `read_to_end` asks the system for the file's size and position first (a `statx` and an
/// `lseek` a file, 2 % of a cold run), which the stamp taken from the open file already told.
/// A read that asked for more than the `size` bytes and got exactly them ends it: the file was
/// that long when read, and the read that would find the end (one more system call a file) is
/// not made. (A file that grew since its stamp fills the byte more, and is read to its end.)
fn read_to_end(file: &mut std::fs::File, size: usize) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    // One byte more, so that the read which finds the end needs no room made.
    let mut bytes = vec![0; size + 1];
    let mut len = 0;
    loop {
        if len == bytes.len() {
            bytes.resize(len * 2, 0);
        }
        match file.read(&mut bytes[len..]) {
            Ok(0) => break,
            Ok(n) if len == 0 && n == size => {
                len = n;
                break;
            }
            Ok(n) => len += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    bytes.truncate(len);
    Ok(bytes)
}

/// Checks that bytes are text (no NUL byte, UTF-8).
fn decode(bytes: Vec<u8>, path: &str) -> Result<String, Diagnostic> {
    if let Some(i) = memchr::memchr(0, &bytes) {
        let line = memchr::memchr_iter(b'\n', &bytes[..i]).count() + 1;
        return Err(Diagnostic::new(
            path,
            format!("a binary file, not text (a NUL byte at offset {i})"),
        )
        .at(Some(line), None));
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line = memchr::memchr_iter(b'\n', &bytes[..valid]).count() + 1;
        let column = valid - memchr::memrchr(b'\n', &bytes[..valid]).map_or(0, |i| i + 1) + 1;
        Diagnostic::new(
            path,
            format!("the file is not UTF-8 text (invalid byte at offset {valid})"),
        )
        .at(Some(line), Some(column))
    })
}

/// The files found by a walk, their paths (relative to the walk's root, with `/`) kept in one
/// buffer rather than one allocation each.
#[derive(Default)]
struct Files {
    names: String,
    list: Vec<Found>,
}

/// One file of [`Files`]: where its path and its id are in the buffer, and its stamp.
struct Found {
    start: usize,
    end: usize,
    id_start: usize,
    id_end: usize,
    stamp: Option<Stamp>,
}

impl Files {
    /// Adds `dir` + `name` when the scope accepts it; returns whether it did.
    fn push_if(&mut self, dir: &str, name: &str, scope: &Scope, layout: &Layout) -> bool {
        let start = self.names.len();
        self.names.push_str(dir);
        self.names.push_str(name);
        let path = &self.names[start..];
        let accepted = (!layout.excluded(path))
            .then(|| scope.id_of(path))
            .flatten()
            .filter(|id| !name.starts_with('.') || id.ends_with("/.") || *id == ".")
            .map(|id| {
                let id_start = start + (id.as_ptr() as usize - path.as_ptr() as usize);
                (id_start, id_start + id.len())
            });
        match accepted {
            Some((id_start, id_end)) => {
                self.list.push(Found {
                    start,
                    end: self.names.len(),
                    id_start,
                    id_end,
                    stamp: None,
                });
                true
            }
            None => {
                self.names.truncate(start);
                false
            }
        }
    }

    fn rel(&self, f: &Found) -> &str {
        &self.names[f.start..f.end]
    }

    fn append(&mut self, other: Files) {
        // Nothing here and no room made: taken as it is.
        if self.list.capacity() == 0 && self.names.capacity() == 0 {
            *self = other;
            return;
        }
        let offset = self.names.len();
        self.names.push_str(&other.names);
        self.list.extend(other.list.into_iter().map(|f| Found {
            start: f.start + offset,
            end: f.end + offset,
            id_start: f.id_start + offset,
            id_end: f.id_end + offset,
            stamp: f.stamp,
        }));
    }

    /// Makes room for `more` to be appended.
    fn reserve<'f>(&mut self, more: impl Iterator<Item = &'f Files> + Clone) {
        self.names
            .reserve(more.clone().map(|f| f.names.len()).sum());
        self.list.reserve(more.map(|f| f.list.len()).sum());
    }

    /// Sorts by path. Each folder's files are already in order ([`list_dir`]): a stable sort
    /// finds those runs and merges them.
    fn sort(&mut self) {
        let names = &self.names;
        self.list
            .sort_by(|a, b| names[a.start..a.end].cmp(&names[b.start..b.end]));
    }

    /// Gives each file, in order, its stamp.
    fn set_stamps(&mut self, stamps: Vec<Option<Stamp>>) {
        for (f, stamp) in self.list.iter_mut().zip(stamps) {
            f.stamp = stamp;
        }
    }

    /// Each file's path and stamp, in order.
    fn iter(&self) -> impl ExactSizeIterator<Item = (&str, Option<Stamp>)> {
        self.list.iter().map(|f| (self.rel(f), f.stamp))
    }

    /// Each file's path, id and stamp, in order.
    fn iter_ids(&self) -> impl ExactSizeIterator<Item = (&str, &str, Option<Stamp>)> {
        self.list
            .iter()
            .map(|f| (self.rel(f), &self.names[f.id_start..f.id_end], f.stamp))
    }

    fn len(&self) -> usize {
        self.list.len()
    }

    fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

pub use crate::layout::Unmatched;

/// The endings of files that look like pages, counted when a walk does not take them.
const PAGE_ENDINGS: [&str; 6] = ["md", "mdx", "markdown", "mdoc", "adoc", "rst"];

/// What one walk gives.
struct Walked {
    found: Files,
    diagnostics: Vec<Diagnostic>,
    unmatched: Unmatched,
}

/// What a walk needs to know besides the folder.
struct Walk<'a> {
    /// The root paths are relative to (the project, or the originals' source root).
    root: &'a Path,
    /// Links must not lead out of this folder.
    fence: &'a Path,
    scope: &'a Scope,
    layout: &'a Layout,
    stat: bool,
    /// Walking the originals (whose paths are shown under the source root).
    originals: bool,
}

/// Lists the files of a scope under its base (sorted, hidden entries skipped), each with its
/// stamp when `stat` (only needed to compare with a cache: a file that is read is stamped as it
/// is read). Symbolic links to files are followed; links to folders are not (they are
/// reported), so a loop or a link out of the project cannot be walked into. Sub-folders are
/// walked in parallel.
fn walk(w: &Walk) -> Walked {
    let mut out = Walked {
        found: Files::default(),
        diagnostics: Vec::new(),
        unmatched: Unmatched::new(),
    };
    let base = w.scope.base();
    let rel = if base.is_empty() {
        String::new()
    } else {
        format!("{base}/")
    };
    let mut subdirs = Vec::new();
    list_dir(w, &w.root.join(base), &rel, &mut out, &mut subdirs);
    let deeper: Vec<Walked> = subdirs
        .into_par_iter()
        .map(|(dir, rel)| {
            let mut out = Walked {
                found: Files::default(),
                diagnostics: Vec::new(),
                unmatched: Unmatched::new(),
            };
            let mut stack = vec![(dir, rel)];
            while let Some((dir, rel)) = stack.pop() {
                let mut more = Vec::new();
                list_dir(w, &dir, &rel, &mut out, &mut more);
                stack.extend(more.into_iter().rev());
            }
            out
        })
        .collect();
    // Room for every sub-folder's files at once, rather than growing (and copying) as each
    // is added; with none of its own, a folder with one sub-folder takes that one's list.
    if deeper.len() > 1 || !out.found.is_empty() {
        out.found.reserve(deeper.iter().map(|d| &d.found));
    }
    for d in deeper {
        out.found.append(d.found);
        out.diagnostics.extend(d.diagnostics);
        for (k, n) in d.unmatched {
            *out.unmatched.entry(k).or_default() += n;
        }
    }
    out.found.sort();
    out
}

/// Lists one folder: accepted files into `out.found`, sub-folders into `subdirs`.
fn list_dir(
    w: &Walk,
    dir: &Path,
    rel: &str,
    out: &mut Walked,
    subdirs: &mut Vec<(PathBuf, String)>,
) {
    let shown = |name: &str| w.layout_shown(&format!("{rel}{name}"));
    let first = out.found.list.len();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            if !(rel == format!("{}/", w.scope.base()).trim_start_matches('/')
                && e.kind() == std::io::ErrorKind::NotFound)
            {
                out.diagnostics.push(Diagnostic::new(
                    shown(""),
                    format!("cannot read the folder: {e}"),
                ));
            }
            return;
        }
    };
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                out.diagnostics.push(Diagnostic::new(
                    shown(""),
                    format!("cannot read the folder: {e}"),
                ));
                continue;
            }
        };
        let file_name = entry.file_name();
        let Some(name) = file_name.to_str() else {
            out.diagnostics.push(Diagnostic::new(
                shown(&file_name.to_string_lossy()),
                "the name is not UTF-8; skipped",
            ));
            continue;
        };
        // Hidden files and folders are skipped; `..md` (the page of the `.` command) is not
        // hidden, and the scope decides whether it is a page.
        if name.starts_with('.') && !(name.starts_with("..") && name.len() > 2) {
            continue;
        }
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            if name.starts_with('.') {
                continue;
            }
            let sub = format!("{rel}{name}");
            if w.scope.prunes(&sub) || w.layout.excluded(&sub) {
                continue;
            }
            subdirs.push((entry.path(), format!("{sub}/")));
        } else if kind.is_file() {
            if out.found.push_if(rel, name, w.scope, w.layout) {
                // `DirEntry::metadata` stats relative to the open folder: cheaper than by path.
                if w.stat {
                    let stamp = entry.metadata().ok().map(|m| Stamp::of(&m));
                    if let Some(last) = out.found.list.last_mut() {
                        last.stamp = stamp;
                    }
                }
            } else {
                count_unmatched(&mut out.unmatched, name);
            }
        } else if kind.is_symlink() {
            match std::fs::metadata(entry.path()) {
                Ok(meta) if meta.is_file() => {
                    if !out.found.push_if(rel, name, w.scope, w.layout) {
                        count_unmatched(&mut out.unmatched, name);
                    } else if crate::write::is_inside(w.fence, &entry.path()) {
                        if let Some(last) = out.found.list.last_mut() {
                            last.stamp = Some(Stamp::of(&meta));
                        }
                    } else {
                        out.found.list.pop();
                        out.diagnostics.push(Diagnostic::new(
                            shown(name),
                            "a symbolic link to a file outside the project; skipped",
                        ));
                    }
                }
                Ok(meta) if meta.is_dir() => {
                    if !w.scope.prunes(&format!("{rel}{name}")) {
                        out.diagnostics.push(Diagnostic::new(
                            shown(name),
                            "a symbolic link to a folder is not followed; skipped",
                        ))
                    }
                }
                Ok(_) => {}
                Err(_) if w.scope.could_match(name) => out.diagnostics.push(Diagnostic::new(
                    shown(name),
                    "a symbolic link to nothing (or a loop); skipped",
                )),
                Err(_) => {}
            }
        }
    }
    subdirs.sort_unstable_by(|a, b| a.1.cmp(&b.1));
    // This folder's files in name order (comparing names only, not the folder they share):
    // the whole walk is then a few sorted runs, which a stable sort merges quickly.
    let names = &out.found.names;
    out.found.list[first..].sort_unstable_by(|a, b| {
        names[a.start + rel.len()..a.end].cmp(&names[b.start + rel.len()..b.end])
    });
}

fn count_unmatched(unmatched: &mut Unmatched, name: &str) {
    if let Some((_, ext)) = name.rsplit_once('.') {
        if PAGE_ENDINGS.contains(&ext) {
            *unmatched.entry(format!(".{ext}")).or_default() += 1;
        }
    }
}

impl Walk<'_> {
    /// A path under the walk's root as shown to users.
    fn layout_shown(&self, rel: &str) -> String {
        let rel = rel.trim_end_matches('/');
        if self.originals {
            self.layout.shown_original(rel)
        } else {
            rel.to_string()
        }
    }
}

/// The files of one folder as they are on disk now, and what the cache shard remembers of them:
/// the first half of a scan, enough to tell whether anything changed.
pub struct Listing {
    /// Originals (shown under the source root) or translations.
    originals: bool,
    /// The folder the paths found are relative to.
    root: PathBuf,
    shard: Option<Shard>,
    found: Files,
    lookup: Lookup,
    pub diagnostics: Vec<Diagnostic>,
    /// Files seen and not taken, by ending.
    pub unmatched: Unmatched,
}

impl Listing {
    /// Walks the scopes and looks their files up in cache shard `shard`. `again`: this run
    /// read these files and wrote the shard moments ago, and the stamps it gives are taken as
    /// the files' (see [`list_language_again`]).
    fn new(
        config: &Config,
        scopes: &[Scope],
        originals: bool,
        (shard, again): (&str, bool),
        options: ScanOptions,
    ) -> Self {
        let shard = options.use_cache.then(|| Shard::load(config, shard));
        // Without a usable shard there is nothing to compare stamps with: files are stamped
        // when they are read.
        let stat = !again && shard.as_ref().is_some_and(|s| s.tag().is_some());
        let root = if originals {
            config.layout.originals_root(&config.root)
        } else {
            config.root.clone()
        };
        let mut found = Files::default();
        let mut diagnostics = Vec::new();
        let mut unmatched = Unmatched::new();
        for scope in scopes {
            let w = Walk {
                root: &root,
                fence: &root,
                scope,
                layout: &config.layout,
                stat,
                originals,
            };
            let walked = walk(&w);
            found.append(walked.found);
            diagnostics.extend(walked.diagnostics);
            for (k, n) in walked.unmatched {
                *unmatched.entry(k).or_default() += n;
            }
        }
        if scopes.len() > 1 {
            found.sort();
        }
        if let Some(shard) = shard.as_ref().filter(|_| again) {
            let stamps = shard.stamps_of(found.iter().map(|(path, _)| path));
            found.set_stamps(stamps);
        }
        let lookup = match &shard {
            Some(s) => s.lookup(found.iter()),
            None => Lookup::default(),
        };
        Listing {
            originals,
            root,
            shard,
            found,
            lookup,
            diagnostics,
            unmatched,
        }
    }

    /// An empty listing (a language without a folder).
    pub fn empty() -> Self {
        Listing {
            originals: false,
            root: PathBuf::new(),
            shard: None,
            found: Files::default(),
            lookup: Lookup {
                hits: Vec::new(),
                current: true,
                same_files: true,
            },
            diagnostics: Vec::new(),
            unmatched: Unmatched::new(),
        }
    }

    /// How many files the walk took.
    pub fn len(&self) -> usize {
        self.found.len()
    }

    /// Whether the walk took no file.
    pub fn is_empty(&self) -> bool {
        self.found.is_empty()
    }

    /// The tag of the cache shard when it describes exactly the files on disk now: the same tag
    /// next time means nothing in the folder changed.
    pub fn tag(&self) -> Option<u128> {
        if self.shard.is_none() && self.found.is_empty() && self.lookup.current {
            return Some(EMPTY_FOLDER);
        }
        self.shard.as_ref()?.tag().filter(|_| self.lookup.current)
    }

    /// When the shard on disk lists exactly the files found, some with other stamps or named in
    /// `also` (paths as shown, sorted): its tag and those files (path as shown, default id), if
    /// there are at most `most`.
    pub fn changed_files(&self, most: usize, also: &[String]) -> Option<(u128, Vec<(&str, &str)>)> {
        let tag = self.shard.as_ref()?.tag()?;
        if !self.lookup.same_files {
            return None;
        }
        let mut changed = Vec::new();
        for ((rel, id, _), hit) in self.found.iter_ids().zip(&self.lookup.hits) {
            let named = || also.binary_search_by(|p| p.as_str().cmp(rel)).is_ok();
            if hit.is_none() || named() {
                if changed.len() == most {
                    return None;
                }
                changed.push((rel, id));
            }
        }
        Some((tag, changed))
    }

    /// Reads the files the cache does not remember (in parallel), and writes the shard back when
    /// it changed. `parse` makes what is cached of a file. Returns the folder's files, and the
    /// tag of the shard when it now describes exactly these files.
    fn read<T: CachedKind + Send + Sync>(
        self,
        config: &Config,
        options: ScanOptions,
        folder_lang: Option<&str>,
        parse: &Parse<T>,
    ) -> (Folder<T>, Option<u128>) {
        let Listing {
            originals,
            root: walk_root,
            mut shard,
            found,
            lookup,
            diagnostics,
            unmatched: _,
        } = self;
        if found.is_empty() && shard.is_none() {
            let folder = Folder {
                files: Vec::new(),
                diagnostics,
            };
            return (folder, lookup.current.then_some(EMPTY_FOLDER));
        }
        if let Some(p) = options.progress {
            p.add(found.len());
        }
        let any_hit = lookup.hits.iter().any(Option::is_some);
        let mut remembered: Vec<Option<Cached>> = match shard.as_mut() {
            Some(s) if any_hit => s
                .payload()
                .map_or_else(Vec::new, |p| p.into_iter().map(Some).collect()),
            _ => Vec::new(),
        };
        type Job<'f> = (&'f str, &'f str, Option<Stamp>, Option<Cached>);
        let jobs: Vec<Job> = found
            .iter_ids()
            .zip(lookup.hits.iter().copied().chain(std::iter::repeat(None)))
            .map(|((rel, id, stamp), hit)| {
                let cached = hit.and_then(|i| remembered.get_mut(i as usize)?.take());
                (rel, id, stamp, cached)
            })
            .collect();
        drop(remembered);
        let folder_lang: Option<Arc<str>> = folder_lang.map(Arc::from);
        // Each file as the folder holds it, and beside it what the shard is written from (let
        // go once it is): the files are not held twice, as read and as the folder's.
        let (files, read): (Vec<Scanned<T>>, Vec<ReadOne>) = jobs
            .into_par_iter()
            .map(|(rel, id, walked, remembered)| {
                let path = if originals {
                    config.layout.shown_original(rel)
                } else {
                    rel.to_string()
                };
                let remembered = remembered.and_then(T::take).zip(walked);
                let (result, stamp, hit) = match remembered {
                    Some((result, stamp)) => (result, Some(stamp), true),
                    None => {
                        let abs = walk_root.join(rel);
                        let (text, read_stamp) = read_stamped(&abs, &path);
                        // A file that cannot be opened keeps the stamp it has, so the error
                        // is remembered like any answer.
                        let stamp = read_stamp
                            .or(walked)
                            .or_else(|| std::fs::metadata(&abs).ok().map(|m| Stamp::of(&m)));
                        (parse(text, &path, id), stamp, false)
                    }
                };
                if let Some(p) = options.progress {
                    p.advance();
                }
                let file = Scanned {
                    path,
                    default_id: crate::names::nfc(id).into_owned(),
                    folder_lang: folder_lang.clone(),
                    result,
                };
                (file, ReadOne { rel, stamp, hit })
            })
            .unzip();
        let mut tag = None;
        if let Some(shard) = shard {
            let all_hit = read.iter().all(|r| r.hit);
            // Files changed within the timestamp tick are never cached: when they are all that
            // was read, the shard written again would hold nothing new but the removal of files
            // gone (and writing a large one costs more than reading those files again).
            let only_racy = read
                .iter()
                .all(|r| r.hit || r.stamp.is_none_or(|s| !shard.cacheable(&s)));
            if lookup.current && all_hit {
                tag = shard.tag();
            } else if !all_hit && only_racy && shard.tag().is_some() {
                // Left as it is: the next run reads them again, and stores them once old enough.
            } else {
                let clean = read
                    .iter()
                    .all(|r| r.stamp.is_some_and(|s| shard.cacheable(&s)));
                let written = shard.store(
                    read.iter()
                        .zip(&files)
                        .filter_map(|(r, f)| Some((r.rel, r.stamp?, CachedRef(&f.result)))),
                );
                tag = written.filter(|_| clean);
            }
        }
        (Folder { files, diagnostics }, tag)
    }
}

/// What the shard is written from, of one file of a listing once read (or found in the cache).
struct ReadOne<'f> {
    /// Relative to the walk's root, as the cache knows it.
    rel: &'f str,
    stamp: Option<Stamp>,
    /// Taken from the cache.
    hit: bool,
}

/// Turns a file's text (or why it could not be read), its path and default id into what is
/// cached of it.
type Parse<'a, T> =
    dyn Fn(Result<String, Diagnostic>, &str, &str) -> Result<T, Diagnostic> + Sync + 'a;

/// The tag of a language that has no folder: nothing to read, nothing cached.
const EMPTY_FOLDER: u128 = 0;

/// Lists the originals.
pub fn list_originals(config: &Config, options: ScanOptions) -> Listing {
    let stray =
        crate::layout::stray_language_folders(&config.root, &config.layout, &config.folders);
    let mut problems = Vec::new();
    let scopes: Vec<Scope> = config
        .layout
        .originals_scopes(&config.translation_langs, &stray)
        .into_iter()
        .filter(|s| match originals_link_problem(config, s.base()) {
            Some(d) => {
                problems.push(d);
                false
            }
            None => true,
        })
        .collect();
    let mut listing = Listing::new(config, &scopes, true, ("articles", false), options);
    listing.diagnostics.extend(problems);
    listing
}

/// Reads the originals of a listing; with the tag of the shard that now describes them.
pub fn read_originals(
    config: &Config,
    listing: Listing,
    options: ScanOptions,
) -> (Folder<Original>, Option<u128>) {
    // With commits as the record, each original's git id is taken from the bytes read here.
    let git_ids = config.baseline != crate::config::BaselineKind::Stamp;
    let parse = |text: Result<String, Diagnostic>, path: &str, default_id: &str| {
        text.and_then(|text| {
            let mut original = read_original(&text, path, default_id, config)?;
            if git_ids {
                original.content_id = crate::git::content_id(text.as_bytes());
            }
            Ok(original)
        })
    };
    listing.read(config, options, None, &parse)
}

/// Reads every original.
pub fn scan_originals(config: &Config, options: ScanOptions) -> Folder<Original> {
    read_originals(config, list_originals(config, options), options).0
}

/// The languages whose translations are scanned (tags), and why some folders are not.
pub fn language_folders(config: &Config) -> (Vec<String>, Vec<Diagnostic>) {
    scanned_languages(config)
}

/// Lists the translations into one language (it must be one [`language_folders`] gave).
pub fn list_language(config: &Config, lang: &str, options: ScanOptions) -> Listing {
    list_language_as(config, lang, options, false)
}

/// Lists the translations into one language again, after this run read them and wrote their
/// cache shard: each file the shard remembers is taken as it was read then (its stamp is the
/// shard's), so the walk does not look at each file again. A file the shard does not remember
/// (changed too recently to be cached, or new) is read.
pub fn list_language_again(config: &Config, lang: &str, options: ScanOptions) -> Listing {
    list_language_as(config, lang, options, true)
}

fn list_language_as(config: &Config, lang: &str, options: ScanOptions, again: bool) -> Listing {
    let Some(language) = config.folder_of(lang) else {
        return Listing::empty();
    };
    // A folder that leads out of the project is not read: its text is not the publication's.
    let mut problems = Vec::new();
    let scopes: Vec<Scope> = config
        .layout
        .translation_scopes(language)
        .into_iter()
        .filter(|s| {
            let abs = config.root.join(s.base());
            let outside = !s.base().is_empty()
                && abs.exists()
                && !crate::write::is_inside(&config.root, &abs);
            if outside {
                problems.push(Diagnostic::new(
                    s.base(),
                    "the translations' folder leads out of the project through a symbolic link; not read",
                ));
            }
            !outside
        })
        .collect();
    let shard = format!("lang-{lang}");
    let mut listing = Listing::new(config, &scopes, false, (&shard, again), options);
    listing.diagnostics.extend(problems);
    listing
}

/// Reads the translations of a listing; with the tag of the shard that now describes them.
pub fn read_language(
    config: &Config,
    lang: &str,
    listing: Listing,
    options: ScanOptions,
) -> (Folder<TranslationSummary>, Option<u128>) {
    let parse = |text: Result<String, Diagnostic>, path: &str, default_id: &str| {
        text.and_then(|text| read_translation_summary(&text, path, default_id, lang, config))
    };
    listing.read(config, options, Some(lang), &parse)
}

/// Reads every translation into one language (its folder must be a checked language folder).
pub fn scan_language(
    config: &Config,
    lang: &str,
    options: ScanOptions,
) -> Folder<TranslationSummary> {
    read_language(config, lang, list_language(config, lang, options), options).0
}

/// The languages whose translations are scanned, and why some folders are not: a language
/// folder that is a link (tldr's `pages.en`), or a folder that names no language of the
/// publication.
fn scanned_languages(config: &Config) -> (Vec<String>, Vec<Diagnostic>) {
    let layout = &config.layout;
    let mut diagnostics = Vec::new();
    let mut langs = Vec::new();
    for lang in &config.translation_langs {
        let mut link = None;
        for (dir, prefix, suffix) in layout.language_levels() {
            let name = format!("{prefix}{}{suffix}", lang.folder);
            let path = if dir.is_empty() {
                name
            } else {
                format!("{dir}/{name}")
            };
            if std::fs::symlink_metadata(config.root.join(&path))
                .is_ok_and(|m| m.file_type().is_symlink())
            {
                link = Some(path);
            }
        }
        match link {
            // tldr's `pages.en`, a link to `pages`: the originals under another name.
            Some(path) if links_to_originals(config, &path) => {}
            Some(path) => diagnostics.push(Diagnostic::new(
                path,
                "a language folder must be a real folder, not a symbolic link; skipped",
            )),
            None => langs.push(lang.tag.clone()),
        }
    }
    let known = |value: &str| {
        config
            .folders
            .iter()
            .any(|l| l.folder.eq_ignore_ascii_case(value) || l.tag.eq_ignore_ascii_case(value))
    };
    for entry in crate::layout::language_level_entries(&config.root, layout) {
        let LevelEntry {
            path,
            value,
            is_dir,
            is_link,
            shared,
        } = entry;
        // A folder the configuration excludes is none of tandem's business.
        if known(&value) || layout.excluded(&path) {
            continue;
        }
        if is_link && !shared {
            diagnostics.push(Diagnostic::new(
                path,
                "a language folder must be a real folder, not a symbolic link; skipped",
            ));
        } else if shared {
            // Inside the originals only a name that is surely a language is one.
            if is_dir && crate::layout::language_of_folder(&value, true).is_some() {
                diagnostics.push(Diagnostic::new(
                    path,
                    format!(
                        "`{value}` is not one of the languages in tandem.yaml ({}); folder skipped",
                        config.languages.join(", ")
                    ),
                ));
            }
        } else if !is_dir {
            if value.ends_with(".md") || value.ends_with(".mdx") {
                let example = layout.entries[0]
                    .translations
                    .concrete(Some("es"))
                    .base()
                    .to_string();
                diagnostics.push(Diagnostic::new(
                    path,
                    format!(
                        "translations belong in a language folder such as `{example}/`; skipped"
                    ),
                ));
            }
        } else if let Err(m) = crate::names::check_lang(&value.replace('_', "-")) {
            diagnostics.push(Diagnostic::new(path, format!("{m}; folder skipped")));
        } else {
            diagnostics.push(Diagnostic::new(
                path,
                format!(
                    "`{value}` is not one of the languages in tandem.yaml ({}); folder skipped",
                    config.languages.join(", ")
                ),
            ));
        }
    }
    (langs, diagnostics)
}

/// Whether the link at `path` leads to a folder of the originals.
fn links_to_originals(config: &Config, path: &str) -> bool {
    let Ok(target) = config.root.join(path).canonicalize() else {
        return false;
    };
    let root = config.layout.originals_root(&config.root);
    config.layout.entries.iter().any(|e| {
        root.join(e.originals.concrete(None).base())
            .canonicalize()
            .is_ok_and(|b| b == target)
    })
}

/// The originals' folder itself being a link out of the project: its text would be read as
/// the publication's own (and copied into translations and snapshots).
pub fn originals_link_problem(config: &Config, base: &str) -> Option<Diagnostic> {
    if config.layout.source_root.is_some() || base.is_empty() {
        return None;
    }
    let abs = config.root.join(base);
    (abs.exists() && !crate::write::is_inside(&config.root, &abs)).then(|| {
        Diagnostic::new(
            base,
            "the originals' folder leads out of the project through a symbolic link; not read",
        )
    })
}

/// The error when a layout finds no original: the patterns tried and the files passed over.
pub fn nothing_found(config: &Config, unmatched: &Unmatched) -> crate::Error {
    let layout = &config.layout;
    let patterns = layout
        .entries
        .iter()
        .map(|e| format!("`{}`", e.originals.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    let under = match &layout.source_root {
        Some(s) => format!(" under {s}/"),
        None => String::new(),
    };
    let mut err = crate::Error::new(format!(
        "no original found: nothing matches {patterns}{under}"
    ));
    if let Some(f) = &config.file {
        err = err.with_path(crate::config::display_path(&config.root, f));
    }
    let skipped: Vec<String> = unmatched
        .iter()
        .map(|(ending, n)| format!("{n} {ending} file{}", if *n == 1 { "" } else { "s" }))
        .collect();
    let hint = if skipped.is_empty() {
        "set `layout` in tandem.yaml to where the site keeps its originals (`tandem init` recognises common sites)".to_string()
    } else {
        format!(
            "{} not matched by {patterns}: set `layout` in tandem.yaml to match them (`{{id}}.{{md,mdx}}` takes both endings)",
            skipped.join(", ")
        )
    };
    err.with_hint(hint)
}

/// A snapshot's block digests as held while a run looks snapshots up (`None`: unreadable):
/// exactly as long as they are, without the room a cached file of any kind would take, and
/// shared by every language that looks them up (each of the 20,000 outdated pairs of a
/// language may need one: copies held by two languages at once were 12 MB).
type Digests = Option<Arc<[u64]>>;

/// The block digests of snapshots, looked up by fingerprint from several threads and cached
/// like any file (`snapshots` shard).
pub struct SnapshotDigests<'a> {
    config: &'a Config,
    store: SnapshotStore,
    /// The shard as loaded (taken on first use), and whether it was usable.
    shard: Mutex<Option<Shard>>,
    remembered: std::sync::OnceLock<FxHashMap<String, (Stamp, Digests)>>,
    /// Every snapshot looked up in this run, to write the shard back.
    seen: Mutex<FxHashMap<String, (Stamp, Digests)>>,
    /// Whether look-ups are for a few pairs judged alone: the shard is then not decoded for
    /// them (each snapshot is read), unless another look-up already did.
    few: std::sync::atomic::AtomicBool,
}

impl<'a> SnapshotDigests<'a> {
    pub fn new(config: &'a Config, options: ScanOptions) -> Self {
        SnapshotDigests {
            config,
            store: SnapshotStore::new(&config.root),
            shard: Mutex::new(options.use_cache.then(|| Shard::load(config, "snapshots"))),
            remembered: std::sync::OnceLock::new(),
            seen: Mutex::new(FxHashMap::default()),
            few: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// Look-ups from now on are for a few pairs judged alone (`true`), or for whole languages.
    pub fn for_few(&self, few: bool) {
        self.few.store(few, std::sync::atomic::Ordering::Relaxed);
    }

    fn remembered(&self) -> &FxHashMap<String, (Stamp, Digests)> {
        self.remembered.get_or_init(|| {
            let shard = self
                .shard
                .lock()
                .ok()
                .and_then(|mut s| Some(s.as_mut()?.entries()));
            shard
                .unwrap_or_default()
                .into_iter()
                .filter_map(|(path, stamp, cached)| match cached {
                    Cached::Snapshot(d) => Some((path, (stamp, d.map(Arc::from)))),
                    _ => None,
                })
                .collect()
        })
    }

    /// The digests of the snapshot of `fingerprint`, `None` when there is no usable one.
    pub fn get(&self, fingerprint: &str) -> Option<Arc<[u64]>> {
        let path = self.store.relative_path_of(fingerprint)?;
        // Several languages often need the same snapshot: look at the file once per run.
        if let Some((_, digests)) = self.seen.lock().ok()?.get(&path) {
            return digests.clone();
        }
        let stamp = std::fs::metadata(self.config.root.join(&path))
            .ok()
            .map(|m| Stamp::of(&m))?;
        let remembered = match self.few.load(std::sync::atomic::Ordering::Relaxed) {
            true => self.remembered.get(),
            false => Some(self.remembered()),
        };
        let digests: Digests = match remembered.and_then(|r| r.get(&path)) {
            Some((old, hit)) if *old == stamp => hit.clone(),
            _ => self.store.load_digests(fingerprint).map(Arc::from),
        };
        if let Ok(mut seen) = self.seen.lock() {
            seen.insert(path, (stamp, digests.clone()));
        }
        digests
    }

    /// Whether a file stands where the snapshot of `fingerprint` would be.
    pub fn exists(&self, fingerprint: &str) -> bool {
        self.store.exists(fingerprint)
    }

    /// Writes the shard back when it changed. `whole`: every pair was judged in this run, so
    /// the snapshots looked up are all those needed (the others are forgotten); otherwise what
    /// was looked up is added to what the shard remembered, or, when only a few pairs judged
    /// alone looked snapshots up (the shard was not decoded), the shard stays as it is.
    pub fn finish(self, whole: bool) {
        let Some(shard) = self.shard.into_inner().ok().flatten() else {
            return;
        };
        let seen = self.seen.into_inner().unwrap_or_default();
        let remembered = self.remembered.into_inner();
        if !whole && remembered.is_none() {
            return;
        }
        let mut remembered = remembered.unwrap_or_default();
        let unchanged = shard.tag().is_some()
            && (!whole || seen.len() == remembered.len())
            && seen
                .iter()
                .all(|(path, (stamp, _))| remembered.get(path).is_some_and(|(s, _)| s == stamp));
        if unchanged {
            return;
        }
        let kept = match whole {
            true => seen,
            false => {
                remembered.extend(seen);
                remembered
            }
        };
        shard.store(kept.iter().map(|(path, (stamp, d))| {
            (
                path.as_str(),
                *stamp,
                crate::cache::SnapshotRef(d.as_deref()),
            )
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::write;

    #[test]
    fn a_file_is_read_whole_whatever_size_was_expected() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        let text: Vec<u8> = (0..50_000u32).map(|i| b'a' + (i % 26) as u8).collect();
        std::fs::write(&path, &text).unwrap();
        // Expected smaller (it grew since it was looked at), exact, larger (it shrank), none.
        for expected in [0, 1, 8191, 49_999, 50_000, 50_001, 200_000] {
            let mut file = std::fs::File::open(&path).unwrap();
            let read = read_to_end(&mut file, expected).unwrap();
            assert_eq!(read.len(), text.len(), "expected {expected}");
            assert!(read == text, "expected {expected}");
        }
        std::fs::write(&path, "").unwrap();
        let mut file = std::fs::File::open(&path).unwrap();
        assert!(read_to_end(&mut file, 10).unwrap().is_empty());
    }

    #[test]
    fn with_commits_as_the_record_each_original_has_the_id_git_gives_its_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let texts = [
            ("articles/a.md", "---\ntitle: A\n---\nOne.\n"),
            ("articles/b.md", "Two, with CRLF.\r\n\r\nAnd more.\r\n"),
            ("articles/c/d.md", "Ünïcode, no final newline"),
        ];
        for (path, text) in texts {
            write(dir.path(), path, text);
        }
        // Each id in hex, by path.
        let ids = |baseline: &str| {
            let text = format!("languages: [en, es]\nbaseline: {baseline}\n");
            let config = Config::from_text(dir.path(), None, Some(&text)).unwrap();
            let folder = scan_originals(&config, ScanOptions::default());
            let mut ids: Vec<(String, Option<String>)> = folder
                .files
                .into_iter()
                .map(|f| {
                    let id = f.result.unwrap().content_id;
                    let hex = id.map(|id| id.0.iter().map(|b| format!("{b:02x}")).collect());
                    (f.path, hex)
                })
                .collect();
            ids.sort();
            ids
        };
        // What git gives each file, its bytes as they are (no filters).
        let paths: Vec<&str> = texts.iter().map(|(path, _)| *path).collect();
        let out = std::process::Command::new("git")
            .args(["hash-object", "--no-filters"])
            .args(&paths)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(out.status.success());
        let hashed: Vec<(String, Option<String>)> = paths
            .iter()
            .zip(String::from_utf8(out.stdout).unwrap().lines())
            .map(|(path, hex)| (path.to_string(), Some(hex.to_string())))
            .collect();
        assert_eq!(ids("git"), hashed);
        assert_eq!(ids("{commit_field: source_commit}"), hashed);
        // With stamps, no id is wanted: none is made.
        assert!(ids("stamp").iter().all(|(_, id)| id.is_none()));
    }

    #[test]
    fn a_language_listed_again_takes_what_was_just_read_from_its_shard() {
        let dir = tempfile::tempdir().unwrap();
        let write = |path: &str, text: &str| write(dir.path(), path, text);
        write("articles/a.md", "---\ntitle: A\n---\nOne.\n");
        write("articles/b.md", "---\ntitle: B\n---\nTwo.\n");
        write("translations/es/a.md", "---\ntitle: A\n---\nUno.\n");
        write("translations/es/b.md", "---\nid: b\ntitle: B\n---\nDos.\n");
        // Old enough to be cached (a file changed within two seconds of a scan is not).
        std::thread::sleep(std::time::Duration::from_millis(3500));
        let config = Config::from_text(dir.path(), None, Some("languages: [en, es]\n")).unwrap();
        let options = ScanOptions::cached();
        let (_, tag) = read_language(
            &config,
            "es",
            list_language(&config, "es", options),
            options,
        );
        assert!(tag.is_some(), "the shard describes the folder");
        // A file new since then (too recent to be cached) is read; the others are the shard's.
        write("translations/es/c.md", "---\ntitle: C\n---\nTres.\n");
        let again = list_language_again(&config, "es", options);
        let hits: Vec<bool> = again.lookup.hits.iter().map(Option::is_some).collect();
        assert_eq!(hits, [true, true, false]);
        let (folder, tag) = read_language(&config, "es", again, options);
        assert!(tag.is_none(), "c.md is too recent for the shard");
        let read = |f: &Folder<TranslationSummary>| -> Vec<(String, String)> {
            f.files
                .iter()
                .map(|s| (s.path.clone(), s.result.as_ref().unwrap().id.clone()))
                .collect()
        };
        assert_eq!(read(&folder), read(&scan_language(&config, "es", options)));
        assert_eq!(read(&folder).len(), 3);
    }

    #[test]
    fn the_walk_lists_files_in_path_order() {
        // Files and folders whose names interleave: `a.md` < `a/…` < `a0.md` < `b/…` < `c.md`.
        let dir = tempfile::tempdir().unwrap();
        let paths = [
            "c.md",
            "a.md",
            "b/z.md",
            "b/a/y.md",
            "a/x.md",
            "a0.md",
            "b/a.md",
            "b/a-/w.md",
        ];
        for p in paths {
            write(dir.path(), &format!("articles/{p}"), "x");
        }
        for stat in [false, true] {
            let layout = Layout::folders("articles", "translations");
            let scopes = layout.originals_scopes(&[], &[]);
            let w = Walk {
                root: dir.path(),
                fence: dir.path(),
                scope: &scopes[0],
                layout: &layout,
                stat,
                originals: true,
            };
            let Walked {
                found: files,
                diagnostics,
                ..
            } = walk(&w);
            assert!(diagnostics.is_empty(), "{diagnostics:?}");
            let listed: Vec<&str> = files.iter().map(|(rel, _)| rel).collect();
            let paths: Vec<String> = paths.iter().map(|p| format!("articles/{p}")).collect();
            let mut sorted: Vec<&str> = paths.iter().map(String::as_str).collect();
            sorted.sort_unstable();
            assert_eq!(listed, sorted);
            assert!(files.iter().all(|(_, s)| s.is_some() == stat));
        }
    }
}
