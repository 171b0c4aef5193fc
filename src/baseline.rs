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
    versions: Mutex<FxHashMap<(String, String), Version>>,
    /// `baseline: git`: each file's last commit that counts, from one walk of the history.
    history: OnceLock<Result<Walk, String>>,
    /// The fingerprint and block digests of each version of an original read so far, by the
    /// id of its content: kept in `.tandem/cache/versions.bin`, since a content id always
    /// names the same bytes.
    known: OnceLock<Mutex<Memory>>,
    /// Originals found as HEAD has them (or not) this run.
    clean: Mutex<FxHashMap<String, bool>>,
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
    known: FxHashMap<BlobId, Arc<Known>>,
    at: FxHashMap<(String, String), BlobId>,
}

/// `Memory` as stored (written as the tuple of its fields, from borrowed entries).
#[derive(serde::Serialize, serde::Deserialize)]
struct StoredMemory {
    known: Vec<(BlobId, Known)>,
    at: Vec<(String, String, BlobId)>,
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
            versions: Mutex::new(FxHashMap::default()),
            history: OnceLock::new(),
            known: OnceLock::new(),
            clean: Mutex::new(FxHashMap::default()),
            learned: std::sync::atomic::AtomicBool::new(false),
        }
    }

    fn memory(&self) -> &Mutex<Memory> {
        self.known.get_or_init(|| {
            let stored: Option<StoredMemory> =
                crate::cache::Blob::load(self.config, VERSIONS_CACHE)
                    .and_then(|bytes| postcard::from_bytes(&bytes).ok());
            Mutex::new(match stored {
                Some(s) => Memory {
                    known: s.known.into_iter().map(|(b, k)| (b, Arc::new(k))).collect(),
                    at: s.at.into_iter().map(|(c, p, b)| ((c, p), b)).collect(),
                },
                None => Memory::default(),
            })
        })
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
    pub fn last_change(&self, path: &str) -> Result<Option<String>, String> {
        let history = self.walk();
        match history {
            Ok(walk) => Ok(walk.last.get(path).cloned()),
            Err(e) => Err(e.clone()),
        }
    }

    /// The walk of the history (once per run, from the cache when it can be).
    fn walk(&self) -> &Result<Walk, String> {
        self.history.get_or_init(|| {
            let repo = self.repo()?;
            let config = self.config;
            let ignore = match &config.baseline {
                crate::config::BaselineKind::Git { ignore } => ignore.clone(),
                _ => Vec::new(),
            };
            let mut under: Vec<String> = config
                .layout
                .originals_scopes(&config.translation_langs, &[])
                .iter()
                .map(|s| s.base().to_string())
                .collect();
            // A recorded commit only needs the originals' renames; history as the record needs
            // the translations' changes too.
            let ignore = match &config.baseline {
                crate::config::BaselineKind::Git { .. } => {
                    under.extend(
                        config
                            .translation_langs
                            .iter()
                            .flat_map(|l| config.layout.translation_scopes(l))
                            .map(|s| s.base().to_string()),
                    );
                    ignore
                }
                _ => ignore,
            };
            under.sort();
            under.dedup();
            self.walk_history(repo, &under, &ignore)
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
        ignore: &[String],
    ) -> Result<Walk, String> {
        #[derive(serde::Serialize, serde::Deserialize)]
        struct Stored {
            head: String,
            under: Vec<String>,
            ignore: Vec<String>,
            walk: Walk,
        }
        let stored: Option<Stored> = crate::cache::Blob::load(self.config, HISTORY_CACHE)
            .and_then(|bytes| postcard::from_bytes(&bytes).ok())
            .filter(|s: &Stored| s.under == under && s.ignore == ignore);
        let head = repo.head().to_string();
        let walk = match stored {
            Some(s) if s.head == head => return Ok(s.walk),
            Some(s)
                if repo
                    .resolve(&s.head)
                    .is_ok_and(|r| r.merge_base_of.is_none()) =>
            {
                let newer = repo.last_changes(under, ignore, Some(&s.head))?;
                extend(s.walk, newer)
            }
            _ => repo.last_changes(under, ignore, None)?,
        };
        let stored = Stored {
            head,
            under: under.to_vec(),
            ignore: ignore.to_vec(),
            walk,
        };
        if let Ok(bytes) = postcard::to_allocvec(&stored) {
            crate::cache::Blob::store(self.config, HISTORY_CACHE, &[&bytes]);
        }
        Ok(stored.walk)
    }

    /// The original at `path` (as shown) as it was at the commit `value` names.
    pub fn article_at(
        &self,
        value: &str,
        path: &str,
        id: &str,
    ) -> Result<(Resolved, Article), String> {
        let repo = self.repo()?;
        let resolved = repo.resolve(value)?;
        let blob = self.blob_at(repo, &resolved.commit, path)?;
        let article = self.read_blob(repo, &blob, &resolved.commit, path, id)?;
        Ok((resolved, article))
    }

    /// The id of the original at `path` (as shown) in `commit`: under the name it had then,
    /// when it has been renamed since.
    fn blob_at(&self, repo: &Repo, commit: &str, path: &str) -> Result<BlobId, String> {
        let rel = self.config.layout.original_rel(path);
        let key = (commit.to_string(), rel.to_string());
        if let Some(id) = self
            .memory()
            .lock()
            .ok()
            .and_then(|m| m.at.get(&key).copied())
        {
            return Ok(id);
        }
        if let Some(id) = repo.blob_at(commit, rel)? {
            if let Ok(mut memory) = self.memory().lock() {
                memory.at.insert(key, id);
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
                if let Some(id) = repo.blob_at(commit, earlier)? {
                    return Ok(id);
                }
                name = earlier;
            }
        }
        Err(format!("{path} did not exist at commit {}", short(commit)))
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
        let key = (value.to_string(), path.to_string());
        if let Some(v) = self.versions.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return v;
        }
        let version = self
            .find_version(value, path, id)
            .unwrap_or_else(Version::Unknown);
        if let Ok(mut m) = self.versions.lock() {
            m.insert(key, version.clone());
        }
        version
    }

    /// Looks up together the versions that `wanted` (a recorded commit and the original) stand
    /// for, so that `version` finds them: each tree read once for all, each new version of an
    /// original read once, on every thread. A version that is the original as it is now is
    /// known without reading it.
    pub fn prefetch(&self, wanted: &[(String, &Original)]) {
        use rayon::prelude::*;
        let Ok(repo) = self.repo() else { return };
        let fresh: Vec<&(String, &Original)> = match self.versions.lock() {
            Ok(v) => {
                let mut seen = std::collections::HashSet::new();
                wanted
                    .iter()
                    .filter(|(value, o)| {
                        let key = (value.clone(), o.path.clone());
                        !v.contains_key(&key) && seen.insert(key)
                    })
                    .collect()
            }
            Err(_) => return,
        };
        if fresh.is_empty() {
            return;
        }
        let resolved: Vec<Option<Resolved>> = fresh
            .par_iter()
            .map(|(value, _)| repo.resolve(value).ok())
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
        // Look-ups made in earlier runs, then the others together.
        type Asks<'s> = Vec<(usize, (&'s str, &'s str))>;
        let (mut found, ask): (Vec<(usize, BlobId)>, Asks) = {
            let Ok(memory) = self.memory().lock() else {
                return;
            };
            let mut found = Vec::new();
            let mut ask = Vec::new();
            for (i, (commit, rel)) in asks {
                match memory.at.get(&(commit.to_string(), rel.to_string())) {
                    Some(b) => found.push((i, *b)),
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
                    memory.at.insert((r.commit.clone(), rel.to_string()), *b);
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
                .filter(|(_, b)| !memory.known.contains_key(b) && seen.insert(*b))
                .map(|(i, b)| (*b, *i))
                .collect()
        };
        let originals: std::collections::HashSet<&str> = unknown
            .iter()
            .map(|(_, i)| fresh[*i].1.path.as_str())
            .collect();
        let current: FxHashMap<&str, BlobId> = originals
            .into_par_iter()
            .filter_map(|path| {
                let bytes = std::fs::read(
                    self.config
                        .layout
                        .originals_root(&self.config.root)
                        .join(self.config.layout.original_rel(path)),
                )
                .ok()?;
                Some((path, repo.content_id(&bytes)?))
            })
            .collect();
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
        let known = &memory.known;
        let Ok(mut versions) = self.versions.lock() else {
            return;
        };
        for (i, blob) in found {
            let (value, original) = fresh[i];
            let (Some(k), Some(r)) = (known.get(&blob), &resolved[i]) else {
                continue;
            };
            versions.insert(
                (value.clone(), original.path.clone()),
                Version::Found {
                    resolved: r.clone(),
                    known: k.clone(),
                },
            );
        }
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
            .last
            .iter()
            .map(|(p, c)| (p, c, 0u8))
            .chain(walk.touched.iter().map(|(p, c)| (p, c, 1u8)));
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

    /// Each file's last counted commit, from the walk of the history.
    pub fn last_changes(&self) -> Option<&std::collections::HashMap<String, String>> {
        self.walk().as_ref().ok().map(|w| &w.last)
    }

    fn find_version(&self, value: &str, path: &str, id: &str) -> Result<Version, String> {
        let repo = self.repo()?;
        let resolved = repo.resolve(value)?;
        let blob = self.blob_at(repo, &resolved.commit, path)?;
        let known = self
            .memory()
            .lock()
            .ok()
            .and_then(|k| k.known.get(&blob).cloned());
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
    /// once the commits that only hold ignored words are left out (a typo fix moves nothing).
    pub fn changed_only_by_ignored(
        &self,
        original: &crate::document::Original,
        fingerprint: &str,
    ) -> bool {
        let ignoring = matches!(&self.config.baseline, crate::config::BaselineKind::Git { ignore } if !ignore.is_empty());
        if !ignoring {
            return false;
        }
        let Ok(Some(last)) = self.last_change(&original.path) else {
            return false;
        };
        let counted = match self.version(&last, &original.path, &original.id) {
            Version::Found { known, .. } => known.fingerprint.clone(),
            Version::Unknown(_) => return false,
        };
        // Changes not yet committed count whatever they are.
        counted == fingerprint && self.committed_now(&original.path)
    }

    /// Whether the original at `path` is, on disk, as HEAD has it: read and compared once per
    /// run, whatever the number of languages asking.
    fn committed_now(&self, path: &str) -> bool {
        if let Some(known) = self.clean.lock().ok().and_then(|c| c.get(path).copied()) {
            return known;
        }
        let current = std::fs::read(self.config.root.join(path)).unwrap_or_default();
        let clean = self.committed(path, &current).unwrap_or(false);
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
        Ok(repo.file_at(repo.head(), rel)?.as_deref() == Some(current))
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
                let rel = |path: &str| self.config.layout.original_rel(path).to_string();
                let keep: std::collections::HashSet<(String, String)> = used
                    .iter()
                    .filter_map(|((_, path), v)| match v {
                        Version::Found { resolved, .. } => {
                            Some((resolved.commit.clone(), rel(path)))
                        }
                        Version::Unknown(_) => None,
                    })
                    .collect();
                memory.at.retain(|k, _| keep.contains(k));
            }
        }
        // Written from borrowed entries, in the layout `StoredMemory` reads.
        let mut known: Vec<(&BlobId, &Known)> =
            memory.known.iter().map(|(b, k)| (b, &**k)).collect();
        known.sort_by_key(|(id, _)| **id);
        let mut at: Vec<(&String, &String, &BlobId)> =
            memory.at.iter().map(|((c, p), b)| (c, p, b)).collect();
        at.sort();
        if let Ok(bytes) = postcard::to_allocvec(&(known, at)) {
            crate::cache::Blob::store(self.config, VERSIONS_CACHE, &[&bytes]);
        }
    }
}

/// A walk of the history extended by a walk of the commits made since: what the new commits
/// changed is theirs; a file they renamed keeps what the older walk knew of it.
fn extend(mut older: Walk, newer: Walk) -> Walk {
    for path in newer.last.keys() {
        older.touched.remove(path);
    }
    older.touched.extend(newer.touched);
    let mut last = newer.last;
    for (old, now) in &newer.moved {
        if let Some(commit) = older.last.get(old) {
            last.entry(now.clone()).or_insert_with(|| commit.clone());
        }
    }
    older.last.extend(last);
    older.renamed_from.extend(newer.renamed_from);
    older.moved.extend(newer.moved);
    older
}

/// The first characters of a commit, for messages.
pub fn short(commit: &str) -> &str {
    &commit[..commit.len().min(12)]
}
