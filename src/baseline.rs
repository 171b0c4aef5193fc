//! Which version of the original a translation was made from, when the publication records it
//! as a commit of the originals' repository (`baseline: {commit_field: l10n.sourceCommit}`):
//! the original as it was at that commit, its fingerprint and block digests. (A `source_hash`
//! stamp and its snapshot are the other kind, read by `pairs` and `snapshot`.)

use crate::blocks::Block;
use crate::config::Config;
use crate::document::{read_article, Article, Original};
use crate::git::{BlobId, Repo, Resolved, Walk};
use rustc_hash::FxHashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// The history walk's cache file in `.tandem/cache/`.
const HISTORY_CACHE: &str = "history";

/// What to do about a history that cannot be read whole.
pub const HISTORY_HINT: &str = "fetch the whole history (`git fetch --unshallow`; in CI, check out with `fetch-depth: 0`), or record stamps with `tandem mark`";

/// The version of an original a recorded commit stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Version {
    Found {
        resolved: Resolved,
        /// Shared by every pair made from this version.
        known: Arc<Known>,
    },
    /// Why no version can be had (not a commit, the original did not exist then, …).
    Unknown(String),
}

/// The originals' repository and the versions looked up in it this run.
pub struct CommitBaselines<'a> {
    config: &'a Config,
    repo: OnceLock<Result<Option<Repo>, String>>,
    /// By recorded value, then the original's shown path.
    versions: Mutex<ByTwo<Version>>,
    /// What each recorded value (a short hash, an off-branch commit) was resolved to this run.
    resolved: Mutex<FxHashMap<String, Result<Resolved, String>>>,
    /// `baseline: git`: each file's last commit that counts, from one walk of the history.
    history: OnceLock<Result<Walk, String>>,
    /// The fingerprint and block digests of each version of an original read so far, by the
    /// id of its content: kept in `.tandem/cache/versions.bin`, since a content id always
    /// names the same bytes.
    known: OnceLock<Mutex<Memory>>,
    /// Originals found as HEAD has them (or not) this run.
    clean: Mutex<FxHashMap<String, bool>>,
    /// The content id of each original as the work tree has it, by path, once read this run
    /// (each language's translations may ask for the versions of the same originals).
    current: Mutex<FxHashMap<String, BlobId>>,
    /// Whether `known` gained an entry this run (and so is worth storing).
    learned: std::sync::atomic::AtomicBool,
}

/// What is known of one version of an original.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Known {
    pub fingerprint: String,
    pub digests: Vec<u64>,
}

impl Known {
    fn of(article: Article) -> Arc<Known> {
        Arc::new(Known {
            fingerprint: article.fingerprint,
            digests: article.digests,
        })
    }
}

/// What is remembered between runs of the originals' versions: each version by its content id,
/// and which content the original at a path had at a commit (both never change).
#[derive(Default)]
struct Memory {
    /// The versions read or decoded this run.
    known: FxHashMap<BlobId, Arc<Known>>,
    /// The versions earlier runs stored, each decoded when first asked for (a run that
    /// judges one language needs a tenth of them).
    stored: StoredKnown,
    /// Which content each original had at each commit looked up.
    at: Lookups,
}

impl Memory {
    fn knows(&self, id: &BlobId) -> bool {
        self.known.contains_key(id) || self.stored.find(id).is_some()
    }

    fn get(&mut self, id: &BlobId) -> Option<Arc<Known>> {
        if let Some(k) = self.known.get(id) {
            return Some(k.clone());
        }
        let k = Arc::new(self.stored.decode(id)?);
        self.known.insert(*id, k.clone());
        Some(k)
    }

    /// As stored: `[each commit's files][each version][header][header length: u32 LE]`, the
    /// header holding each commit looked up in with where its files end (each commit once),
    /// and each version's id with where its encoding ends: either part is decoded piece by
    /// piece, as asked for. Written into one buffer, each piece once.
    fn encode(&self) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        let at = self.at.encode(&mut out)?;
        let mut versions: Vec<(BlobId, Result<&Known, &[u8]>)> =
            self.known.iter().map(|(id, k)| (*id, Ok(&**k))).collect();
        versions.extend(
            (0..self.stored.index.len())
                .filter(|&i| !self.known.contains_key(&self.stored.index[i].0))
                .map(|i| (self.stored.index[i].0, Err(self.stored.span(i)))),
        );
        let index = write_pieces(&mut out, versions)?;
        let header_start = out.len();
        out = postcard::to_extend(&(at, index), out).ok()?;
        let header_len = u32::try_from(out.len() - header_start).ok()?;
        out.extend_from_slice(&header_len.to_le_bytes());
        Some(out)
    }

    fn decode(bytes: Vec<u8>) -> Option<Memory> {
        let tail = bytes.len().checked_sub(4)?;
        let len = u32::from_le_bytes(bytes.get(tail..)?.try_into().ok()?) as usize;
        let header_start = tail.checked_sub(len)?;
        type Header = (Vec<(String, u32, u32)>, Vec<(BlobId, u32)>);
        let (at, index): Header = postcard::from_bytes(&bytes[header_start..tail]).ok()?;
        let files = Span::new(Arc::new(bytes), 0, header_start);
        let files_end = at.last().map_or(0, |(_, end, _)| *end as usize);
        if !ends_in_order(at.iter().map(|(_, e, _)| *e), files.len()) {
            return None;
        }
        let versions = files.after(files_end);
        if !ends_in_order(index.iter().map(|(_, e)| *e), versions.len()) {
            return None;
        }
        Some(Memory {
            known: FxHashMap::default(),
            stored: StoredKnown {
                index,
                bytes: versions,
            },
            at: Lookups {
                opened: vec![false; at.len()],
                index: at,
                bytes: files,
                ..Lookups::default()
            },
        })
    }
}

/// A part of a file read whole, shared (`start..end`, read as the whole).
#[derive(Default, Clone)]
struct Span {
    bytes: Arc<Vec<u8>>,
    start: usize,
    end: usize,
}

impl Span {
    fn new(bytes: Arc<Vec<u8>>, start: usize, end: usize) -> Span {
        let end = end.min(bytes.len());
        Span {
            bytes,
            start: start.min(end),
            end,
        }
    }

    /// The part of this part from `offset`.
    fn after(&self, offset: usize) -> Span {
        Span::new(self.bytes.clone(), self.start + offset, self.end)
    }

    fn len(&self) -> usize {
        self.end - self.start
    }

    fn get(&self, from: usize, to: usize) -> &[u8] {
        let (from, to) = (self.start + from, self.start + to);
        if to > self.end {
            return &[];
        }
        self.bytes.get(from..to).unwrap_or_default()
    }

    /// The `i`th of pieces laid one after another, `end(k)` where the `k`th ends.
    fn piece(&self, i: usize, end: impl Fn(usize) -> u32) -> &[u8] {
        let start = if i == 0 { 0 } else { end(i - 1) as usize };
        self.get(start, end(i) as usize)
    }
}

/// Appends each piece to `out` in key order, encoded (`Ok`) or already encoded (`Err`), and
/// gives each key with where its piece ends (from where `out` was).
fn write_pieces<K: Ord, T: serde::Serialize>(
    out: &mut Vec<u8>,
    mut pieces: Vec<(K, Result<T, &[u8]>)>,
) -> Option<Vec<(K, u32)>> {
    pieces.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let start = out.len();
    let mut index = Vec::with_capacity(pieces.len());
    for (key, piece) in pieces {
        match piece {
            Ok(value) => *out = postcard::to_extend(&value, std::mem::take(out)).ok()?,
            Err(bytes) => out.extend_from_slice(bytes),
        }
        index.push((key, u32::try_from(out.len() - start).ok()?));
    }
    Some(index)
}

/// Whether each end is at or after the one before it, and none past `len`.
fn ends_in_order(ends: impl Iterator<Item = u32>, len: usize) -> bool {
    let mut last = 0;
    for e in ends {
        let e = e as usize;
        if e < last || e > len {
            return false;
        }
        last = e;
    }
    true
}

/// The content each original had at each commit looked up: what earlier runs stored is
/// decoded one commit at a time, when that commit is first asked of.
#[derive(Default)]
struct Lookups {
    /// By commit, then the original's path under the originals' root: found this run, or
    /// decoded.
    map: ByTwo<BlobId>,
    /// As stored, sorted by commit: each commit with where its files' encoding ends in
    /// `bytes`, and how many files.
    index: Vec<(String, u32, u32)>,
    bytes: Span,
    /// Which of `index` are decoded into `map`.
    opened: Vec<bool>,
}

impl Lookups {
    /// Decodes what was stored of `commit`, once.
    fn open(&mut self, commit: &str) {
        let Ok(i) = self
            .index
            .binary_search_by(|(c, _, _)| c.as_str().cmp(commit))
        else {
            return;
        };
        if std::mem::replace(&mut self.opened[i], true) {
            return;
        }
        let files: Vec<(String, BlobId)> = postcard::from_bytes(self.span(i)).unwrap_or_default();
        for (path, blob) in files {
            self.map.insert(commit, &path, blob);
        }
    }

    fn get(&mut self, commit: &str, rel: &str) -> Option<BlobId> {
        self.open(commit);
        self.map.get(commit, rel).copied()
    }

    fn insert(&mut self, commit: &str, rel: &str, blob: BlobId) {
        self.open(commit);
        self.map.insert(commit, rel, blob);
    }

    /// How many look-ups are remembered.
    fn len(&self) -> usize {
        let unopened: usize = (0..self.index.len())
            .filter(|&i| !self.opened[i])
            .map(|i| self.index[i].2 as usize)
            .sum();
        self.map.len + unopened
    }

    fn span(&self, i: usize) -> &[u8] {
        self.bytes.piece(i, |k| self.index[k].1)
    }

    /// Keeps only the look-ups `keep` accepts (every commit decoded first).
    fn retain(&mut self, keep: impl FnMut(&str, &str) -> bool) {
        let commits: Vec<String> = self.index.iter().map(|(c, _, _)| c.clone()).collect();
        for c in &commits {
            self.open(c);
        }
        self.index.clear();
        self.bytes = Span::default();
        self.opened.clear();
        self.map.retain(keep);
    }

    /// Appends the files' encodings to `out` and gives the index: commits decoded or found
    /// this run encoded again, the others copied as they were.
    fn encode(&self, out: &mut Vec<u8>) -> Option<Vec<(&str, u32, u32)>> {
        // Each commit (with how many files) and its files: decoded (and so encoded again),
        // or their stored encoding.
        type Files<'f> = Result<Vec<(&'f String, &'f BlobId)>, &'f [u8]>;
        let mut commits: Vec<((&str, u32), Files)> = Vec::new();
        for (c, files) in &self.map.map {
            let mut files: Vec<(&String, &BlobId)> = files.iter().collect();
            files.sort_unstable();
            commits.push(((c.as_str(), u32::try_from(files.len()).ok()?), Ok(files)));
        }
        commits.extend((0..self.index.len()).filter(|&i| !self.opened[i]).map(|i| {
            (
                (self.index[i].0.as_str(), self.index[i].2),
                Err(self.span(i)),
            )
        }));
        let index = write_pieces(out, commits)?;
        Some(index.into_iter().map(|((c, n), end)| (c, end, n)).collect())
    }
}

/// Versions as stored, sorted by id: each id with where its encoding ends in `bytes`.
#[derive(Default)]
struct StoredKnown {
    index: Vec<(BlobId, u32)>,
    bytes: Span,
}

impl StoredKnown {
    fn find(&self, id: &BlobId) -> Option<usize> {
        self.index.binary_search_by(|(b, _)| b.cmp(id)).ok()
    }

    fn span(&self, i: usize) -> &[u8] {
        self.bytes.piece(i, |k| self.index[k].1)
    }

    fn decode(&self, id: &BlobId) -> Option<Known> {
        postcard::from_bytes(self.span(self.find(id)?)).ok()
    }
}

/// A map keyed by two strings, looked up by borrowed ones (no allocation per look-up).
#[derive(Debug)]
struct ByTwo<V> {
    map: FxHashMap<String, FxHashMap<String, V>>,
    len: usize,
}

impl<V> Default for ByTwo<V> {
    fn default() -> Self {
        ByTwo {
            map: FxHashMap::default(),
            len: 0,
        }
    }
}

impl<V> ByTwo<V> {
    fn get(&self, a: &str, b: &str) -> Option<&V> {
        self.map.get(a)?.get(b)
    }

    fn insert(&mut self, a: &str, b: &str, value: V) {
        let inner = match self.map.get_mut(a) {
            Some(inner) => inner,
            None => self.map.entry(a.to_string()).or_default(),
        };
        match inner.get_mut(b) {
            Some(v) => *v = value,
            None => {
                inner.insert(b.to_string(), value);
                self.len += 1;
            }
        }
    }

    fn retain(&mut self, mut keep: impl FnMut(&str, &str) -> bool) {
        for (a, inner) in self.map.iter_mut() {
            inner.retain(|b, _| keep(a, b));
        }
        self.map.retain(|_, inner| !inner.is_empty());
        self.len = self.map.values().map(|m| m.len()).sum();
    }
}

/// Past this many remembered look-ups, only those of the last run are kept.
const MAX_REMEMBERED: usize = 1_000_000;

/// The versions cache file in `.tandem/cache/`.
const VERSIONS_CACHE: &str = "versions";

impl<'a> CommitBaselines<'a> {
    pub fn new(config: &'a Config) -> Self {
        CommitBaselines {
            config,
            repo: OnceLock::new(),
            versions: Mutex::new(ByTwo::default()),
            resolved: Mutex::new(FxHashMap::default()),
            history: OnceLock::new(),
            known: OnceLock::new(),
            clean: Mutex::new(FxHashMap::default()),
            current: Mutex::new(FxHashMap::default()),
            learned: std::sync::atomic::AtomicBool::new(false),
        }
    }

    fn memory(&self) -> &Mutex<Memory> {
        self.known.get_or_init(|| {
            let stored =
                crate::cache::Blob::load(self.config, VERSIONS_CACHE).and_then(Memory::decode);
            Mutex::new(stored.unwrap_or_default())
        })
    }

    /// Lets go of what the repository's look-ups kept so far (caches of objects and trees):
    /// once the versions a run needs are known, they only hold memory.
    pub fn release(&self) {
        if let Some(Ok(Some(repo))) = self.repo.get() {
            repo.release();
        }
    }

    /// For `baseline: git`, a reason the history cannot be used: no repository, or a shallow
    /// clone (whose cut-off history would give wrong answers without a word).
    pub fn history_problem(&self) -> Option<String> {
        match self.repo() {
            Err(why) => Some(why.replace("the commit it records", "their history")),
            Ok(repo) if repo.is_shallow() => Some(format!(
                "{} is a shallow clone: without its whole history, the version each translation was made from cannot be known",
                repo.workdir().display()
            )),
            Ok(_) => None,
        }
    }

    /// The last commit that counts (see `baseline: {git: {ignore: …}}`) that changed the file at
    /// `path` (relative to the project), from one walk of the history; `None` when no commit
    /// changed it (never committed).
    pub fn last_change(&self, path: &str) -> Result<Option<&str>, String> {
        match self.walk() {
            Ok(walk) => Ok(walk.last(path)),
            Err(e) => Err(e.clone()),
        }
    }

    /// The walk of the history (once per run, from the cache when it can be).
    fn walk(&self) -> &Result<Walk, String> {
        self.history.get_or_init(|| {
            let repo = self.repo()?;
            let config = self.config;
            let mut scopes = config
                .layout
                .originals_scopes(&config.translation_langs, &[]);
            let folders = |scopes: &[crate::layout::Scope]| {
                let mut folders: Vec<String> =
                    scopes.iter().map(|s| s.base().to_string()).collect();
                folders.sort();
                folders.dedup();
                folders
            };
            // The originals' contents at every commit are kept as the walk meets them.
            let recorded = folders(&scopes);
            // A recorded commit only needs the originals' renames; history as the record needs
            // the translations' changes too.
            let ignore = match &config.baseline {
                crate::config::BaselineKind::Git { ignore } => {
                    for lang in &config.translation_langs {
                        scopes.extend(config.layout.translation_scopes(lang));
                    }
                    ignore.clone()
                }
                _ => Vec::new(),
            };
            let under = folders(&scopes);
            // The endings a page's name may have in the folders walked.
            let mut pages: Vec<String> = scopes
                .iter()
                .flat_map(|s| s.endings().map(str::to_string))
                .collect();
            pages.sort();
            pages.dedup();
            self.walk_history(repo, &under, &recorded, &ignore, &pages)
        })
    }

    fn repo(&self) -> Result<&Repo, String> {
        let opened = self
            .repo
            .get_or_init(|| Repo::open(&self.config.layout.originals_root(&self.config.root)));
        match opened {
            Ok(Some(r)) => Ok(r),
            Ok(None) => Err("the originals are not in a git repository, so the commit it records cannot be read".to_string()),
            Err(e) => Err(e.clone()),
        }
    }

    /// HEAD of the originals' repository, when there is one: a recorded commit's meaning (its
    /// merge base) depends on it.
    pub fn head(&self) -> Option<&str> {
        self.repo().ok().map(Repo::head)
    }

    /// Each file's last counted commit: from `.tandem/cache/history.bin` when it was walked at
    /// this HEAD, extended by the new commits alone when HEAD moved forward from the HEAD it
    /// was walked at, and walked whole otherwise (a rebase, an amend, a reset: the old HEAD
    /// is then not in the new one's history, and nothing of the old walk is used).
    fn walk_history(
        &self,
        repo: &Repo,
        under: &[String],
        recorded: &[String],
        ignore: &[String],
        pages: &[String],
    ) -> Result<Walk, String> {
        #[derive(serde::Serialize, serde::Deserialize)]
        struct Stored {
            head: String,
            under: Vec<String>,
            recorded: Vec<String>,
            ignore: Vec<String>,
            pages: Vec<String>,
            walk: Walk,
        }
        let stored: Option<Stored> = crate::cache::Blob::load(self.config, HISTORY_CACHE)
            .and_then(|bytes| postcard::from_bytes(&bytes).ok())
            .filter(|s: &Stored| {
                s.under == under && s.recorded == recorded && s.ignore == ignore && s.pages == pages
            });
        let head = repo.head().to_string();
        let walk = match stored {
            Some(s) if s.head == head => return Ok(s.walk),
            Some(s) if repo.in_history(&s.head) => {
                let newer = repo.last_changes(under, recorded, ignore, pages, Some(&s.head))?;
                if newer.widened {
                    // Files moved in from outside the folders walked: their earlier history
                    // is not in the stored walk.
                    repo.last_changes(under, recorded, ignore, pages, None)?
                } else {
                    s.walk.extend(&s.head, newer)
                }
            }
            _ => repo.last_changes(under, recorded, ignore, pages, None)?,
        };
        let stored = Stored {
            head,
            under: under.to_vec(),
            recorded: recorded.to_vec(),
            ignore: ignore.to_vec(),
            pages: pages.to_vec(),
            walk,
        };
        if let Ok(bytes) = postcard::to_allocvec(&stored) {
            crate::cache::Blob::store(self.config, HISTORY_CACHE, &[&bytes]);
        }
        Ok(stored.walk)
    }

    /// The commit a recorded value names. With history as the record every value is a commit
    /// the walk of HEAD's history met, so one of HEAD's ancestors: nothing to look up.
    fn resolve(&self, repo: &Repo, value: &str) -> Result<Resolved, String> {
        let from_walk = matches!(
            self.config.baseline,
            crate::config::BaselineKind::Git { .. }
        ) && value.len() == 40
            && value
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        if from_walk {
            return Ok(Resolved {
                commit: value.to_string(),
                merge_base_of: None,
            });
        }
        if let Some(known) = self
            .resolved
            .lock()
            .ok()
            .and_then(|r| r.get(value).cloned())
        {
            return known;
        }
        let resolved = repo.resolve(value);
        if let Ok(mut r) = self.resolved.lock() {
            r.insert(value.to_string(), resolved.clone());
        }
        resolved
    }

    /// The original at `path` (as shown) as it was at the commit `value` names.
    pub fn article_at(
        &self,
        value: &str,
        path: &str,
        id: &str,
    ) -> Result<(Resolved, Article), String> {
        let repo = self.repo()?;
        let resolved = self.resolve(repo, value)?;
        let blob = self.blob_at(repo, &resolved.commit, path)?;
        let article = self.read_blob(repo, &blob, &resolved.commit, path, id)?;
        Ok((resolved, article))
    }

    /// The id of the original at `path` (as shown) in `commit`: under the name it had then,
    /// when it has been renamed since.
    fn blob_at(&self, repo: &Repo, commit: &str, path: &str) -> Result<BlobId, String> {
        let rel = self.config.layout.original_rel(path);
        if let Some(told) = self.walked().and_then(|w| w.content_at(commit, rel)) {
            if let Some(id) = told {
                return Ok(id);
            }
        } else if let Some(id) = self
            .memory()
            .lock()
            .ok()
            .and_then(|mut m| m.at.get(commit, rel))
        {
            return Ok(id);
        } else if let Some(id) = repo.blob_at(commit, rel)? {
            if let Ok(mut memory) = self.memory().lock() {
                memory.at.insert(commit, rel, id);
                self.learned
                    .store(true, std::sync::atomic::Ordering::Relaxed);
            }
            return Ok(id);
        }
        if let Ok(walk) = self.walk() {
            let mut name = rel;
            // A bounded chain of earlier names (renames can go round in a circle).
            for _ in 0..16 {
                let Some(earlier) = walk.renamed_from.get(name) else {
                    break;
                };
                let found = match walk.content_at(commit, earlier) {
                    Some(told) => told,
                    None => repo.blob_at(commit, earlier)?,
                };
                if let Some(id) = found {
                    return Ok(id);
                }
                name = earlier;
            }
        }
        Err(format!("{path} did not exist at commit {}", short(commit)))
    }

    /// The walk of the history, when this run has made or loaded it already (with `baseline:
    /// git`, always before any version is looked up): the originals' contents at the commits
    /// it walked are then known without reading a tree.
    fn walked(&self) -> Option<&Walk> {
        self.history.get()?.as_ref().ok()
    }

    /// The original at `path` from the content `blob` it had at `commit`.
    fn read_blob(
        &self,
        repo: &Repo,
        blob: &BlobId,
        commit: &str,
        path: &str,
        id: &str,
    ) -> Result<Article, String> {
        let text = String::from_utf8(repo.blob(blob)?)
            .map_err(|_| format!("{path} at commit {} is not UTF-8 text", short(commit)))?;
        read_article(&text, path, id, self.config).map_err(|d| {
            format!(
                "{path} at commit {} cannot be read: {}",
                short(commit),
                d.message
            )
        })
    }

    /// The fingerprint and block digests of the original at `path` at the commit `value`
    /// names (looked up once per run, and read once per version of the original ever).
    pub fn version(&self, value: &str, path: &str, id: &str) -> Version {
        if let Some(v) = self
            .versions
            .lock()
            .ok()
            .and_then(|m| m.get(value, path).cloned())
        {
            return v;
        }
        let version = self
            .find_version(value, path, id)
            .unwrap_or_else(Version::Unknown);
        // A version found is found again from `memory` (the content at each commit, what is
        // known of each content) without reading the repository: only why none can be had is
        // kept here (a version per pair held 35 MB at 170,000 pairs).
        if let (Version::Unknown(_), Ok(mut m)) = (&version, self.versions.lock()) {
            m.insert(value, path, version.clone());
        }
        version
    }

    /// Looks up together the versions that `wanted` (a recorded commit and the original) stand
    /// for, so that `version` finds them: each tree read once for all, each new version of an
    /// original read once, on every thread. A version that is the original as it is now is
    /// known without reading it.
    pub fn prefetch(&self, wanted: &[(&str, &Original)]) {
        use rayon::prelude::*;
        let Ok(repo) = self.repo() else { return };
        let fresh: Vec<&(&str, &Original)> = match self.versions.lock() {
            Ok(v) => {
                let mut seen: rustc_hash::FxHashSet<(&str, &str)> = Default::default();
                wanted
                    .iter()
                    .filter(|(value, o)| {
                        v.get(value, &o.path).is_none() && seen.insert((value, &o.path))
                    })
                    .collect()
            }
            Err(_) => return,
        };
        if fresh.is_empty() {
            return;
        }
        // Each recorded value once: thousands of translations share a few hundred commits.
        let values: Vec<&str> = fresh
            .iter()
            .map(|(value, _)| *value)
            .collect::<rustc_hash::FxHashSet<&str>>()
            .into_iter()
            .collect();
        let by_value: FxHashMap<&str, Option<Resolved>> = values
            .par_iter()
            .map(|value| (*value, self.resolve(repo, value).ok()))
            .collect();
        let resolved: Vec<Option<&Resolved>> = fresh
            .iter()
            .map(|(value, _)| by_value.get(value)?.as_ref())
            .collect();
        let asks: Vec<(usize, (&str, &str))> = fresh
            .iter()
            .zip(&resolved)
            .enumerate()
            .filter_map(|(i, ((_, o), r))| {
                Some((
                    i,
                    (
                        r.as_ref()?.commit.as_str(),
                        self.config.layout.original_rel(&o.path),
                    ),
                ))
            })
            .collect();
        // What the walk of the history tells, look-ups made in earlier runs, then the others
        // together. (A file the walk says was not there is looked for under its earlier names
        // when its version is asked for.)
        type Asks<'s> = Vec<(usize, (&'s str, &'s str))>;
        let told: Vec<Option<Option<BlobId>>> = match self.walked() {
            Some(walk) => asks
                .par_iter()
                .map(|(_, (commit, rel))| walk.content_at(commit, rel))
                .collect(),
            None => vec![None; asks.len()],
        };
        let (mut found, ask): (Vec<(usize, BlobId)>, Asks) = {
            let Ok(mut memory) = self.memory().lock() else {
                return;
            };
            let mut found = Vec::new();
            let mut ask = Vec::new();
            for ((i, (commit, rel)), told) in asks.into_iter().zip(told) {
                if let Some(told) = told {
                    found.extend(told.map(|b| (i, b)));
                    continue;
                }
                match memory.at.get(commit, rel) {
                    Some(b) => found.push((i, b)),
                    None => ask.push((i, (commit, rel))),
                }
            }
            (found, ask)
        };
        let only: Vec<(&str, &str)> = ask.iter().map(|(_, a)| *a).collect();
        let blobs = repo.blobs_at(&only);
        let looked_up: Vec<(usize, BlobId)> = ask
            .iter()
            .zip(blobs)
            .filter_map(|((i, _), b)| Some((*i, b.ok()??)))
            .collect();
        if let Ok(mut memory) = self.memory().lock() {
            for (i, b) in &looked_up {
                let (_, original) = fresh[*i];
                if let Some(r) = &resolved[*i] {
                    let rel = self.config.layout.original_rel(&original.path);
                    memory.at.insert(&r.commit, rel, *b);
                }
            }
            if !looked_up.is_empty() {
                self.learned
                    .store(true, std::sync::atomic::Ordering::Relaxed);
            }
        }
        found.extend(looked_up);
        // Each version not known yet, once: the original as it is now when the ids match, read
        // from the repository otherwise.
        let unknown: Vec<(BlobId, usize)> = {
            let Ok(memory) = self.memory().lock() else {
                return;
            };
            let mut seen = std::collections::HashSet::new();
            found
                .iter()
                .filter(|(_, b)| !memory.knows(b) && seen.insert(*b))
                .map(|(i, b)| (*b, *i))
                .collect()
        };
        let originals: Vec<&Original> = unknown
            .iter()
            .map(|(_, i)| (fresh[*i].1.path.as_str(), fresh[*i].1))
            .collect::<FxHashMap<&str, &Original>>()
            .into_values()
            .collect();
        let current = self.worktree_ids(originals);
        let read: Vec<(BlobId, Arc<Known>)> = unknown
            .par_iter()
            .filter_map(|(blob, i)| {
                let (_, original) = fresh[*i];
                if current.get(original.path.as_str()) == Some(blob) {
                    return Some((
                        *blob,
                        Arc::new(Known {
                            fingerprint: original.fingerprint.clone(),
                            digests: original.units.iter().map(|u| u.digest).collect(),
                        }),
                    ));
                }
                let commit = &resolved[*i].as_ref()?.commit;
                let article = self
                    .read_blob(repo, blob, commit, &original.path, &original.id)
                    .ok()?;
                Some((*blob, Known::of(article)))
            })
            .collect();
        let Ok(mut memory) = self.memory().lock() else {
            return;
        };
        if !read.is_empty() {
            self.learned
                .store(true, std::sync::atomic::Ordering::Relaxed);
        }
        memory.known.extend(read);
    }

    /// What verdicts judged from this record depend on besides the files (see
    /// [`crate::pairs::results::History`]); `None` when the history cannot be read.
    pub fn history_state(&self) -> Option<crate::pairs::results::History> {
        let head = self.head()?.to_string();
        let config = self.config;
        if !matches!(config.baseline, crate::config::BaselineKind::Git { .. }) {
            return Some(crate::pairs::results::History {
                originals: crate::cache::tag_of(head.as_bytes()),
                head,
                langs: Vec::new(),
            });
        }
        let walk = self.walk().as_ref().ok()?;
        let scopes: Vec<(usize, Vec<String>)> = config
            .translation_langs
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let bases = config
                    .layout
                    .translation_scopes(l)
                    .iter()
                    .map(|s| s.base().trim_end_matches('/').to_string())
                    .collect();
                (i, bases)
            })
            .collect();
        let under = |path: &str, base: &str| {
            base.is_empty()
                || path
                    .strip_prefix(base)
                    .is_some_and(|rest| rest.starts_with('/'))
        };
        // A set's digest: the sum of its entries' tags, whatever the order.
        let mut originals: u128 = 0;
        let mut langs = vec![0u128; config.translation_langs.len()];
        let entries = walk
            .lasts()
            .map(|(p, c)| (p, c, 0u8))
            .chain(walk.touches().map(|(p, c)| (p, c, 1u8)));
        for (path, commit, kind) in entries {
            let tag =
                crate::cache::tag_of_parts(&[&[kind], path.as_bytes(), b"\0", commit.as_bytes()]);
            let mut theirs = false;
            for (i, bases) in &scopes {
                if bases.iter().any(|b| under(path, b)) {
                    langs[*i] = langs[*i].wrapping_add(tag);
                    theirs = true;
                }
            }
            if !theirs {
                originals = originals.wrapping_add(tag);
            }
        }
        for (old, now) in &walk.renamed_from {
            let tag = crate::cache::tag_of_parts(&[b"r", old.as_bytes(), b"\0", now.as_bytes()]);
            originals = originals.wrapping_add(tag);
        }
        Some(crate::pairs::results::History {
            head,
            originals,
            langs: config
                .translation_langs
                .iter()
                .zip(langs)
                .map(|(l, d)| (l.tag.clone(), d))
                .collect(),
        })
    }

    /// Where the git history says the file at `rel` (under the originals' root) was renamed
    /// to, as it is named at HEAD. Only with `baseline: git` (the walk is done anyway).
    pub fn moved_to(&self, rel: &str) -> Option<String> {
        if !matches!(
            self.config.baseline,
            crate::config::BaselineKind::Git { .. }
        ) {
            return None;
        }
        self.walk().as_ref().ok()?.moved.get(rel).cloned()
    }

    /// With `baseline: git`, the files (under the originals' root) whose last commits may
    /// differ from what they were at `head`, an earlier HEAD, when that is known.
    pub fn changed_since(&self, head: &str) -> Option<&[String]> {
        if !matches!(
            self.config.baseline,
            crate::config::BaselineKind::Git { .. }
        ) {
            return None;
        }
        self.walk().as_ref().ok()?.changed_since(head)
    }

    /// Each file's last counted commit, from the walk of the history.
    pub fn last_changes(&self) -> Option<&Walk> {
        self.walk().as_ref().ok()
    }

    fn find_version(&self, value: &str, path: &str, id: &str) -> Result<Version, String> {
        let repo = self.repo()?;
        let resolved = self.resolve(repo, value)?;
        let blob = self.blob_at(repo, &resolved.commit, path)?;
        let known = self.memory().lock().ok().and_then(|mut k| k.get(&blob));
        let known = match known {
            Some(k) => k,
            None => {
                let article = self.read_blob(repo, &blob, &resolved.commit, path, id)?;
                let k = Known::of(article);
                if let Ok(mut memory) = self.memory().lock() {
                    memory.known.insert(blob, k.clone());
                    self.learned
                        .store(true, std::sync::atomic::Ordering::Relaxed);
                }
                k
            }
        };
        Ok(Version::Found { resolved, known })
    }

    /// With `ignore` words: whether the original, as committed, is the version `fingerprint`
    /// (made from at commit `since`) once the commits that only hold ignored words are left out
    /// (a typo fix moves nothing): its last counted change gives that version, or is no later
    /// than `since` (every change after `since` was ignored, whatever changes ignored commits
    /// made before it).
    pub fn changed_only_by_ignored(
        &self,
        original: &crate::document::Original,
        fingerprint: &str,
        since: &str,
    ) -> bool {
        let ignoring = matches!(&self.config.baseline, crate::config::BaselineKind::Git { ignore } if !ignore.is_empty());
        if !ignoring {
            return false;
        }
        let Ok(Some(last)) = self.last_change(&original.path) else {
            return false;
        };
        let not_later = self
            .walk()
            .as_ref()
            .is_ok_and(|w| w.not_later(last, since) == Some(true));
        let counted = not_later
            || match self.version(last, &original.path, &original.id) {
                Version::Found { known, .. } => known.fingerprint == fingerprint,
                Version::Unknown(_) => false,
            };
        // Changes not yet committed count whatever they are.
        counted && self.committed_now(original)
    }

    /// The content id of each of `originals` as the work tree has it: the one the scan took
    /// from the bytes it read, or else read and hashed once a run, whatever the number of
    /// languages asking (an original taken from the scan cache has none). (Taken from git's
    /// index where it describes the file, as `git status` does, it was no faster here, and the
    /// index of 170,000 files held 18 MB more at the peak.)
    fn worktree_ids<'p>(&self, originals: Vec<&'p Original>) -> FxHashMap<&'p str, BlobId> {
        use rayon::prelude::*;
        let mut ids: FxHashMap<&str, BlobId> = FxHashMap::default();
        let mut unread = Vec::new();
        // The lock is not held while reading: a thread waiting on its share of the reads may
        // take up another language's look-ups meanwhile.
        if let Ok(known) = self.current.lock() {
            for original in originals {
                let path = original.path.as_str();
                match original.content_id.or_else(|| known.get(path).copied()) {
                    Some(id) => {
                        ids.insert(path, id);
                    }
                    None => unread.push(path),
                }
            }
        }
        let root = self.config.layout.originals_root(&self.config.root);
        let read: Vec<(&str, BlobId)> = unread
            .into_par_iter()
            .filter_map(|path| {
                let rel = self.config.layout.original_rel(path);
                Some((
                    path,
                    crate::git::content_id(&std::fs::read(root.join(rel)).ok()?)?,
                ))
            })
            .collect();
        if let Ok(mut known) = self.current.lock() {
            known.extend(read.iter().map(|(path, id)| (path.to_string(), *id)));
        }
        ids.extend(read);
        ids
    }

    /// Whether `original` is, on disk, as HEAD has it: compared once per run, whatever the
    /// number of languages asking.
    fn committed_now(&self, original: &Original) -> bool {
        let path = original.path.as_str();
        if let Some(known) = self.clean.lock().ok().and_then(|c| c.get(path).copied()) {
            return known;
        }
        let clean = self.repo().is_ok_and(|repo| {
            let rel = self.config.layout.original_rel(path);
            let now = self.worktree_ids(vec![original]).get(path).copied();
            now.is_some() && repo.blob_at(repo.head(), rel).ok().flatten() == now
        });
        if let Ok(mut c) = self.clean.lock() {
            c.insert(path.to_string(), clean);
        }
        clean
    }

    /// The blocks of the original at the commit `value` names, for `diff`.
    pub fn blocks_at(
        &self,
        value: &str,
        path: &str,
        id: &str,
    ) -> Result<(Resolved, Vec<Block>), String> {
        self.article_at(value, path, id)
            .map(|(resolved, article)| (resolved, article.units))
    }

    /// Whether the original at `path` is as HEAD has it (nothing uncommitted): only then is
    /// HEAD the version a translation can be said to match.
    pub fn committed(&self, path: &str, current: &[u8]) -> Result<bool, String> {
        let repo = self.repo()?;
        let rel = self.config.layout.original_rel(path);
        // Equal content ids are equal bytes: HEAD's file need not be read.
        Ok(repo
            .blob_at(repo.head(), rel)?
            .is_some_and(|id| crate::git::content_id(current) == Some(id)))
    }
}

impl Drop for CommitBaselines<'_> {
    /// Keeps what was learnt of the originals' versions for the next run (best effort).
    fn drop(&mut self) {
        if !self.learned.load(std::sync::atomic::Ordering::Relaxed) {
            return;
        }
        let Some(Ok(mut memory)) = self.known.get().map(|k| k.lock()) else {
            return;
        };
        if memory.at.len() > MAX_REMEMBERED {
            // Begin again from what this run asked (the versions themselves are few).
            if let Ok(used) = self.versions.lock() {
                let mut keep: ByTwo<()> = ByTwo::default();
                for (path, v) in used.map.values().flat_map(|by_path| by_path.iter()) {
                    if let Version::Found { resolved, .. } = v {
                        let rel = self.config.layout.original_rel(path);
                        keep.insert(&resolved.commit, rel, ());
                    }
                }
                memory.at.retain(|c, p| keep.get(c, p).is_some());
            }
        }
        if let Some(bytes) = memory.encode() {
            crate::cache::Blob::store(self.config, VERSIONS_CACHE, &[&bytes]);
        }
    }
}

/// The first characters of a commit, for messages.
pub fn short(commit: &str) -> &str {
    &commit[..commit.len().min(12)]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blob(n: u8) -> BlobId {
        BlobId([n; 20])
    }

    fn known(n: u64) -> Known {
        Known {
            fingerprint: format!("f{n}"),
            digests: vec![n, n + 1],
        }
    }

    /// What a memory answers, asked of everything it may hold.
    fn answers(m: &mut Memory) -> Vec<String> {
        let mut out = Vec::new();
        for c in ["c1", "c2", "c3"] {
            for p in ["a.md", "b.md", "c.md"] {
                out.push(format!("{c} {p} {:?}", m.at.get(c, p)));
            }
        }
        for n in 1..=4 {
            out.push(format!("{n} {:?}", m.get(&blob(n)).map(|k| (*k).clone())));
        }
        out
    }

    #[test]
    fn remembered_versions_read_back_as_written_however_much_was_decoded() {
        let mut m = Memory::default();
        m.at.insert("c1", "a.md", blob(1));
        m.at.insert("c1", "b.md", blob(2));
        m.at.insert("c2", "a.md", blob(3));
        m.known.insert(blob(1), Arc::new(known(1)));
        m.known.insert(blob(3), Arc::new(known(3)));
        let expected = answers(&mut m);
        let mut back = Memory::decode(m.encode().unwrap()).unwrap();
        assert_eq!(back.at.len(), 3);
        assert_eq!(answers(&mut back), expected);

        // Written again with only part of it decoded, and something learnt: nothing lost.
        let mut part = Memory::decode(m.encode().unwrap()).unwrap();
        assert_eq!(part.at.get("c2", "a.md"), Some(blob(3)));
        part.at.insert("c3", "c.md", blob(4));
        part.known.insert(blob(4), Arc::new(known(4)));
        let mut again = Memory::decode(part.encode().unwrap()).unwrap();
        let now = answers(&mut again);
        assert!(now.contains(
            &"c3 c.md Some(BlobId([4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4]))"
                .to_string()
        ));
        assert!(now.contains(&"1 Some(Known { fingerprint: \"f1\", digests: [1, 2] })".to_string()));
        assert_eq!(again.at.len(), 4);
        assert_eq!(
            now.iter().filter(|l| !l.contains("None")).count(),
            expected.iter().filter(|l| !l.contains("None")).count() + 2
        );

        // A file cut short, or with its spans out of order, is not used at all.
        let bytes = m.encode().unwrap();
        assert!(Memory::decode(bytes[..bytes.len() - 3].to_vec()).is_none());
        assert!(Memory::decode(bytes[..3].to_vec()).is_none());
    }
}
