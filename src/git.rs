//! Reading the originals' git repository in process: the only module that names the git
//! library. It resolves what a translation recorded (a commit, perhaps short, perhaps on
//! another branch) and gives an original's text as it was at a commit.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A repository holding the originals, opened once per run.
pub struct Repo {
    shared: gix::ThreadSafeRepository,
    /// Handles to it, one per thread that asks at once (each keeps its own object cache).
    handles: Mutex<Vec<gix::Repository>>,
    /// HEAD, in full hex.
    head: String,
    /// The originals' root, relative to the repository's work tree, with `/` (empty: the same).
    prefix: String,
    workdir: PathBuf,
    /// Every commit in HEAD's history, walked once when first needed: whether a recorded
    /// commit is an ancestor of HEAD is then a look-up, not a merge-base search each time.
    history: std::sync::OnceLock<Result<std::collections::HashSet<gix::ObjectId>, String>>,
}

/// A commit a recorded value stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// In full hex.
    pub commit: String,
    /// The value named a commit that is not an ancestor of HEAD: this is its merge base.
    pub merge_base_of: Option<String>,
}

impl Repo {
    /// The repository that `originals_root` is in, if any.
    pub fn open(originals_root: &Path) -> Result<Option<Repo>, String> {
        let repo = match gix::discover(originals_root) {
            Ok(r) => r,
            Err(_) => return Ok(None),
        };
        let Some(workdir) = repo.workdir().map(Path::to_path_buf) else {
            return Ok(None);
        };
        let head = repo
            .head_id()
            .map_err(|e| format!("cannot read HEAD of {}: {e}", workdir.display()))?
            .detach()
            .to_string();
        let root = originals_root
            .canonicalize()
            .map_err(|e| format!("cannot read {}: {e}", originals_root.display()))?;
        let work = workdir.canonicalize().unwrap_or_else(|_| workdir.clone());
        let prefix = root
            .strip_prefix(&work)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        let shared = repo.into_sync();
        Ok(Some(Repo {
            shared,
            handles: Mutex::new(Vec::new()),
            head,
            prefix,
            workdir,
            history: std::sync::OnceLock::new(),
        }))
    }

    /// Runs `f` with a handle of its own on the repository.
    fn with<T>(&self, f: impl FnOnce(&gix::Repository) -> T) -> T {
        let handle = self.handles.lock().ok().and_then(|mut h| h.pop());
        let repo = handle.unwrap_or_else(|| {
            let mut r = self.shared.to_thread_local();
            r.object_cache_size_if_unset(16 * 1024 * 1024);
            r
        });
        let out = f(&repo);
        if let Ok(mut h) = self.handles.lock() {
            h.push(repo);
        }
        out
    }

    /// HEAD, in full hex.
    pub fn head(&self) -> &str {
        &self.head
    }

    /// Whether the repository is a shallow clone (history cut off).
    pub fn is_shallow(&self) -> bool {
        self.with(|r| r.is_shallow().unwrap_or(false))
    }

    /// The commit a recorded value names: a full or short hash. A commit that is not an
    /// ancestor of HEAD is taken at its merge base with HEAD.
    pub fn resolve(&self, value: &str) -> Result<Resolved, String> {
        let value = value.trim();
        if value.len() < 4 || !value.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!(
                "`{}` is not a commit hash",
                crate::names::printable(value)
            ));
        }
        self.with(|repo| self.resolve_in(repo, value))
    }

    fn resolve_in(&self, repo: &gix::Repository, value: &str) -> Result<Resolved, String> {
        let value = value.trim();
        let id = repo
            .rev_parse_single(value)
            .map_err(|_| format!("`{value}` is not a commit of the originals' repository"))?;
        let commit = id
            .object()
            .map_err(|e| e.to_string())?
            .peel_to_commit()
            .map_err(|_| format!("`{value}` is not a commit of the originals' repository"))?;
        let commit = commit.id;
        let head = gix::ObjectId::from_hex(self.head.as_bytes()).map_err(|e| e.to_string())?;
        let history = self.history.get_or_init(|| {
            let walk = repo.rev_walk([head]).all().map_err(|e| e.to_string())?;
            walk.map(|info| info.map(|i| i.id).map_err(|e| e.to_string()))
                .collect()
        });
        if history.as_ref().is_ok_and(|h| h.contains(&commit)) {
            return Ok(Resolved {
                commit: commit.to_string(),
                merge_base_of: None,
            });
        }
        let base = repo
            .merge_base(commit, head)
            .map_err(|e| e.to_string())?
            .map(|b| b.detach());
        match base {
            Some(b) if b == commit => Ok(Resolved {
                commit: commit.to_string(),
                merge_base_of: None,
            }),
            Some(b) => Ok(Resolved {
                commit: b.to_string(),
                merge_base_of: Some(commit.to_string()),
            }),
            None => Err(format!(
                "commit {commit} shares no history with the originals' HEAD"
            )),
        }
    }

    /// The bytes of the file at `rel` (under the originals' root) in `commit`, `None` when it
    /// did not exist there.
    pub fn file_at(&self, commit: &str, rel: &str) -> Result<Option<Vec<u8>>, String> {
        self.with(|repo| self.file_in(repo, commit, rel))
    }

    fn file_in(
        &self,
        repo: &gix::Repository,
        commit: &str,
        rel: &str,
    ) -> Result<Option<Vec<u8>>, String> {
        let id = gix::ObjectId::from_hex(commit.as_bytes()).map_err(|e| e.to_string())?;
        let tree = repo
            .find_commit(id)
            .map_err(|e| e.to_string())?
            .tree()
            .map_err(|e| e.to_string())?;
        let path = if self.prefix.is_empty() {
            rel.to_string()
        } else {
            format!("{}/{rel}", self.prefix)
        };
        let Some(entry) = tree
            .lookup_entry_by_path(&path)
            .map_err(|e| e.to_string())?
        else {
            return Ok(None);
        };
        if !entry.mode().is_blob() {
            return Ok(None);
        }
        let object = entry.object().map_err(|e| e.to_string())?;
        Ok(Some(object.data.clone()))
    }

    /// The work tree's folder, for messages.
    pub fn workdir(&self) -> &Path {
        &self.workdir
    }
}
