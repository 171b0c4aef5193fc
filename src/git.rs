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
        // A full id in HEAD's history (what a history walk gives, and what `mark` writes) needs
        // no look-up at all.
        if value.len() == 40 {
            if let (Ok(id), Some(Ok(history))) = (
                gix::ObjectId::from_hex(value.as_bytes()),
                self.history.get(),
            ) {
                if history.contains(&id) {
                    return Ok(Resolved {
                        commit: value.to_ascii_lowercase(),
                        merge_base_of: None,
                    });
                }
            }
        }
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

    /// For each file under the folders `under` (relative to the originals' root), the newest
    /// commit of HEAD's history that changed it, leaving out commits whose subject holds one of
    /// `ignore`. One walk of the history, newest first. A merge counts as
    /// changing a path only when the path differs from every parent (a file a branch changed
    /// is that branch's commit's, as `git log` simplifies history).
    pub fn last_changes(
        &self,
        under: &[String],
        ignore: &[String],
        since: Option<&str>,
    ) -> Result<std::collections::HashMap<String, String>, String> {
        self.with(|repo| {
            let prefix = if self.prefix.is_empty() {
                String::new()
            } else {
                format!("{}/", self.prefix)
            };
            let scope = Scope {
                folders: under
                    .iter()
                    .map(|u| format!("{prefix}{u}").trim_end_matches('/').to_string())
                    .collect(),
            };
            let head = gix::ObjectId::from_hex(self.head.as_bytes()).map_err(|e| e.to_string())?;
            // With `since` (an earlier HEAD this one descends from), only the commits it does
            // not already hold.
            let hidden: Vec<gix::ObjectId> = since
                .and_then(|s| gix::ObjectId::from_hex(s.as_bytes()).ok())
                .into_iter()
                .collect();
            let walk = repo
                .rev_walk([head])
                .with_hidden(hidden)
                .sorting(gix::revision::walk::Sorting::ByCommitTime(
                    gix::revision::walk::CommitTimeOrder::NewestFirst,
                ))
                .all()
                .map_err(|e| e.to_string())?;
            let mut found: std::collections::HashMap<String, String> = Default::default();
            for info in walk {
                let info = info.map_err(|e| e.to_string())?;
                let commit = repo.find_commit(info.id).map_err(|e| e.to_string())?;
                let subject = commit
                    .message_raw_sloppy()
                    .to_string()
                    .lines()
                    .next()
                    .unwrap_or("")
                    .to_lowercase();
                if ignore.iter().any(|w| subject.contains(&w.to_lowercase())) {
                    continue;
                }
                let tree = commit.tree_id().map_err(|e| e.to_string())?.detach();
                let parents: Vec<gix::ObjectId> = info.parent_ids.iter().copied().collect();
                let mut changed: Option<std::collections::HashSet<String>> = None;
                let parent_trees: Vec<Option<gix::ObjectId>> = if parents.is_empty() {
                    vec![None]
                } else {
                    parents
                        .iter()
                        .map(|p| {
                            repo.find_commit(*p)
                                .ok()
                                .and_then(|c| c.tree_id().ok().map(|t| t.detach()))
                        })
                        .collect()
                };
                for parent in parent_trees {
                    let mut paths = std::collections::HashSet::new();
                    diff_trees(repo, Some(tree), parent, "", &scope, &mut paths)?;
                    changed = Some(match changed {
                        None => paths,
                        Some(before) => before.intersection(&paths).cloned().collect(),
                    });
                }
                for path in changed.unwrap_or_default() {
                    let rel = path.strip_prefix(&prefix).unwrap_or(&path).to_string();
                    found.entry(rel).or_insert_with(|| info.id.to_string());
                }
            }
            Ok(found)
        })
    }

    /// The work tree's folder, for messages.
    pub fn workdir(&self) -> &Path {
        &self.workdir
    }
}

/// A tree's data (none for no tree).
fn tree_bytes<'t>(tree: &'t Option<gix::Tree<'_>>) -> &'t [u8] {
    tree.as_ref().map_or(&[][..], |t| &t.data[..])
}

/// The entries of a tree's data, in git's order.
fn parse_tree(
    data: &[u8],
    kind: gix::hash::Kind,
) -> Result<Vec<gix::objs::tree::EntryRef<'_>>, String> {
    if data.is_empty() {
        return Ok(Vec::new());
    }
    gix::objs::TreeRef::from_bytes(data, kind)
        .map(|t| t.entries)
        .map_err(|e| e.to_string())
}

/// The paths inside `scope` that differ between trees `new` and `old` (either may be absent),
/// looking only into the folders that lead into the scope. Entries are merged in git's tree
/// order, so equal subtrees are skipped without being read.
fn diff_trees(
    repo: &gix::Repository,
    new: Option<gix::ObjectId>,
    old: Option<gix::ObjectId>,
    base: &str,
    scope: &Scope,
    out: &mut std::collections::HashSet<String>,
) -> Result<(), String> {
    use std::cmp::Ordering;
    if new == old {
        return Ok(());
    }
    let kind = repo.object_hash();
    let find = |id: Option<gix::ObjectId>| id.map(|id| repo.find_tree(id)).transpose();
    let (new_tree, old_tree) = (
        find(new).map_err(|e| e.to_string())?,
        find(old).map_err(|e| e.to_string())?,
    );
    let (a, b) = (
        parse_tree(tree_bytes(&new_tree), kind)?,
        parse_tree(tree_bytes(&old_tree), kind)?,
    );
    let (mut i, mut j) = (0, 0);
    loop {
        let (x, y) = match (a.get(i), b.get(j)) {
            (None, None) => break,
            (Some(x), None) => (Some(x), None),
            (None, Some(y)) => (None, Some(y)),
            (Some(x), Some(y)) => match x.cmp(y) {
                Ordering::Equal => (Some(x), Some(y)),
                Ordering::Less => (Some(x), None),
                Ordering::Greater => (None, Some(y)),
            },
        };
        i += usize::from(x.is_some());
        j += usize::from(y.is_some());
        if let (Some(x), Some(y)) = (x, y) {
            if x.oid == y.oid {
                continue;
            }
        }
        let entry = x.or(y).expect("one side has the entry");
        let name = entry.filename.to_string();
        let path = if base.is_empty() {
            name
        } else {
            format!("{base}/{name}")
        };
        if entry.mode.is_tree() {
            if scope.looks_into(&path) {
                let (xn, yn) = (x.map(|e| e.oid.to_owned()), y.map(|e| e.oid.to_owned()));
                diff_trees(repo, xn, yn, &path, scope, out)?;
            }
        } else if scope.holds(&path) {
            out.insert(path);
        }
    }
    Ok(())
}

/// The folders a history walk looks at (relative to the repository's root).
struct Scope {
    folders: Vec<String>,
}

impl Scope {
    /// Whether a folder is one of them, inside one, or on the way to one.
    fn looks_into(&self, dir: &str) -> bool {
        self.folders.iter().any(|f| {
            f.is_empty()
                || f == dir
                || dir.starts_with(&format!("{f}/"))
                || f.starts_with(&format!("{dir}/"))
        })
    }

    /// Whether a file is inside one of them.
    fn holds(&self, path: &str) -> bool {
        self.folders
            .iter()
            .any(|f| f.is_empty() || path.starts_with(&format!("{f}/")))
    }
}
