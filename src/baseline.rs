//! Which version of the original a translation was made from, when the publication records it
//! as a commit of the originals' repository (`baseline: {commit_field: l10n.sourceCommit}`):
//! the original as it was at that commit, its fingerprint and block digests. (A `source_hash`
//! stamp and its snapshot are the other kind, read by `pairs` and `snapshot`.)

use crate::blocks::Block;
use crate::config::Config;
use crate::document::{read_article, Article};
use crate::git::{BlobId, Repo, Resolved, Walk};
use rustc_hash::FxHashMap;
use std::sync::{Mutex, OnceLock};

/// The history walk's cache file in `.tandem/cache/`.
const HISTORY_CACHE: &str = "history";

/// What to do about a history that cannot be read whole.
pub const HISTORY_HINT: &str = "fetch the whole history (`git fetch --unshallow`; in CI, check out with `fetch-depth: 0`), or record stamps with `tandem mark`";

/// The version of an original a recorded commit stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Version {
    Found {
        resolved: Resolved,
        fingerprint: String,
        digests: Vec<u64>,
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
    known: OnceLock<Mutex<FxHashMap<BlobId, Known>>>,
    /// Whether `known` gained an entry this run (and so is worth storing).
    learned: std::sync::atomic::AtomicBool,
}

/// What is known of one version of an original.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct Known {
    fingerprint: String,
    digests: Vec<u64>,
}

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
            learned: std::sync::atomic::AtomicBool::new(false),
        }
    }

    fn known(&self) -> &Mutex<FxHashMap<BlobId, Known>> {
        self.known.get_or_init(|| {
            let stored: Vec<(BlobId, Known)> =
                crate::cache::Blob::load(self.config, VERSIONS_CACHE)
                    .and_then(|bytes| postcard::from_bytes(&bytes).ok())
                    .unwrap_or_default();
            Mutex::new(stored.into_iter().collect())
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
            under.extend(
                config
                    .translation_langs
                    .iter()
                    .flat_map(|l| config.layout.translation_scopes(l))
                    .map(|s| s.base().to_string()),
            );
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
        if let Some(id) = repo.blob_at(commit, rel)? {
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

    fn find_version(&self, value: &str, path: &str, id: &str) -> Result<Version, String> {
        let repo = self.repo()?;
        let resolved = repo.resolve(value)?;
        let blob = self.blob_at(repo, &resolved.commit, path)?;
        let known = self.known().lock().ok().and_then(|k| k.get(&blob).cloned());
        let known = match known {
            Some(k) => k,
            None => {
                let article = self.read_blob(repo, &blob, &resolved.commit, path, id)?;
                let k = Known {
                    fingerprint: article.fingerprint,
                    digests: article.digests,
                };
                if let Ok(mut map) = self.known().lock() {
                    map.insert(blob, k.clone());
                    self.learned
                        .store(true, std::sync::atomic::Ordering::Relaxed);
                }
                k
            }
        };
        Ok(Version::Found {
            resolved,
            fingerprint: known.fingerprint,
            digests: known.digests,
        })
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
            Version::Found { fingerprint, .. } => fingerprint,
            Version::Unknown(_) => return false,
        };
        // Changes not yet committed count whatever they are.
        let current = std::fs::read(self.config.root.join(&original.path)).unwrap_or_default();
        counted == fingerprint && self.committed(&original.path, &current).unwrap_or(false)
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
        let Some(Ok(known)) = self.known.get().map(|k| k.lock()) else {
            return;
        };
        let mut entries: Vec<(&BlobId, &Known)> = known.iter().collect();
        entries.sort_by_key(|(id, _)| **id);
        if let Ok(bytes) = postcard::to_allocvec(&entries) {
            crate::cache::Blob::store(self.config, VERSIONS_CACHE, &[&bytes]);
        }
    }
}

/// A walk of the history extended by a walk of the commits made since: what the new commits
/// changed is theirs; a file they renamed keeps what the older walk knew of it.
fn extend(mut older: Walk, newer: Walk) -> Walk {
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
