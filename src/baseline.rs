//! Which version of the original a translation was made from, when the publication records it
//! as a commit of the originals' repository (`baseline: {commit_field: l10n.sourceCommit}`):
//! the original as it was at that commit, its fingerprint and block digests. (A `source_hash`
//! stamp and its snapshot are the other kind, read by `pairs` and `snapshot`.)

use crate::blocks::Block;
use crate::config::Config;
use crate::document::{read_article, Article};
use crate::git::{Repo, Resolved};
use rustc_hash::FxHashMap;
use std::sync::{Mutex, OnceLock};

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
}

impl<'a> CommitBaselines<'a> {
    pub fn new(config: &'a Config) -> Self {
        CommitBaselines {
            config,
            repo: OnceLock::new(),
            versions: Mutex::new(FxHashMap::default()),
        }
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

    /// The original at `path` (as shown) as it was at the commit `value` names.
    pub fn article_at(
        &self,
        value: &str,
        path: &str,
        id: &str,
    ) -> Result<(Resolved, Article), String> {
        let repo = self.repo()?;
        let resolved = repo.resolve(value)?;
        let rel = self.config.layout.original_rel(path);
        let bytes = repo
            .file_at(&resolved.commit, rel)?
            .ok_or_else(|| format!("{path} did not exist at commit {}", short(&resolved.commit)))?;
        let text = String::from_utf8(bytes).map_err(|_| {
            format!(
                "{path} at commit {} is not UTF-8 text",
                short(&resolved.commit)
            )
        })?;
        let article = read_article(&text, path, id, self.config).map_err(|d| {
            format!(
                "{path} at commit {} cannot be read: {}",
                short(&resolved.commit),
                d.message
            )
        })?;
        Ok((resolved, article))
    }

    /// The fingerprint and block digests of the original at `path` at the commit `value`
    /// names (looked up once per run).
    pub fn version(&self, value: &str, path: &str, id: &str) -> Version {
        let key = (value.to_string(), path.to_string());
        if let Some(v) = self.versions.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return v;
        }
        let version = match self.article_at(value, path, id) {
            Ok((resolved, article)) => Version::Found {
                resolved,
                fingerprint: article.fingerprint,
                digests: article.digests,
            },
            Err(why) => Version::Unknown(why),
        };
        if let Ok(mut m) = self.versions.lock() {
            m.insert(key, version.clone());
        }
        version
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

/// The first characters of a commit, for messages.
pub fn short(commit: &str) -> &str {
    &commit[..commit.len().min(12)]
}
