//! The snapshot store: each version of an original that a translation was based on, addressed
//! by its fingerprint, so that diffs work on any clone without git.

use crate::blocks::{Block, BlockKind};
use crate::document::Article;
use crate::error::{Error, Result};
use crate::fingerprint::{block_digest, looks_like_fingerprint};
use crate::write::{check_inside, create_dir_all, write_atomic};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

pub const TANDEM_DIR: &str = ".tandem";
pub const SNAPSHOTS_DIR: &str = ".tandem/snapshots";
const GITIGNORE: &str =
    "# Local speed-up cache and write lock: never commit them. Snapshots are meant to be committed.\ncache/\nlock\n";

/// Writes `.tandem/.gitignore` (which keeps the cache out of git) if it is not there yet; the
/// `.tandem/` folder must exist.
pub fn ensure_gitignore(root: &Path) -> Result<()> {
    let ignore = root.join(TANDEM_DIR).join(".gitignore");
    if !ignore.exists() {
        write_atomic(&ignore, GITIGNORE.as_bytes())?;
    }
    Ok(())
}

/// One block as kept in a snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotUnit {
    pub kind: BlockKind,
    /// The block's own digest, 16 hex digits.
    pub digest: String,
    pub text: String,
    pub normalized: String,
}

/// A version of an original.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub version: u32,
    pub fingerprint: String,
    pub id: String,
    pub source: String,
    pub lang: String,
    pub units: Vec<SnapshotUnit>,
}

impl Snapshot {
    pub fn of(article: &Article) -> Snapshot {
        Snapshot {
            version: 1,
            fingerprint: article.fingerprint.clone(),
            id: article.id.clone(),
            source: article.path.clone(),
            lang: article.lang.clone(),
            units: article
                .units
                .iter()
                .map(|b| SnapshotUnit {
                    kind: b.kind,
                    digest: format!("{:016x}", block_digest(b)),
                    text: b.text.clone(),
                    normalized: b.normalized.clone(),
                })
                .collect(),
        }
    }

    /// Whether its blocks are the version its name says: each block's digest is that of its
    /// text, and the blocks together have the fingerprint (a hand-edited snapshot would make
    /// `diff` show "old" text the original never had).
    pub fn holds_what_it_says(&self) -> bool {
        verified_digests(
            self.units
                .iter()
                .map(|u| (u.kind, u.normalized.as_str(), u.digest.as_str())),
            &self.fingerprint,
        )
        .is_some()
    }

    /// The snapshot's blocks, as the diff engine takes them.
    pub fn blocks(&self) -> Vec<Block> {
        self.units
            .iter()
            .map(|u| Block::new(u.kind, u.text.clone(), u.normalized.clone(), 0))
            .collect()
    }
}

/// The block digests of a snapshot's blocks (kind, normalised text, stated digest) when they
/// are the version `fingerprint` names: each block's stated digest is that of its text, and the
/// blocks together have the fingerprint. Each block is hashed once.
fn verified_digests<'u>(
    units: impl Iterator<Item = (BlockKind, &'u str, &'u str)>,
    fingerprint: &str,
) -> Option<Vec<u64>> {
    let mut hashes = Vec::new();
    let mut digests = Vec::new();
    for (kind, normalized, stated) in units {
        let hash = crate::fingerprint::hash_of(kind, normalized);
        let digest = crate::fingerprint::short_digest(&hash);
        if u64::from_str_radix(stated, 16).ok() != Some(digest) {
            return None;
        }
        hashes.push(hash);
        digests.push(digest);
    }
    (crate::fingerprint::fingerprint_of_hashes(&hashes) == fingerprint).then_some(digests)
}

/// The `.tandem/snapshots/` folder of a project.
#[derive(Debug, Clone)]
pub struct SnapshotStore {
    root: PathBuf,
    dir: PathBuf,
}

impl SnapshotStore {
    pub fn new(root: &Path) -> Self {
        SnapshotStore {
            root: root.to_path_buf(),
            dir: root.join(SNAPSHOTS_DIR),
        }
    }

    fn path_of(&self, fingerprint: &str) -> Option<PathBuf> {
        looks_like_fingerprint(fingerprint).then(|| {
            self.dir
                .join(&fingerprint[..2])
                .join(format!("{fingerprint}.json"))
        })
    }

    /// The path of a snapshot relative to the project root, if `fingerprint` has the shape of one.
    pub fn relative_path_of(&self, fingerprint: &str) -> Option<String> {
        looks_like_fingerprint(fingerprint).then(|| self.relative_path(fingerprint))
    }

    /// The path of a snapshot relative to the project root.
    pub fn relative_path(&self, fingerprint: &str) -> String {
        format!(
            "{SNAPSHOTS_DIR}/{}/{fingerprint}.json",
            &fingerprint[..2.min(fingerprint.len())]
        )
    }

    /// Loads a snapshot; `None` when there is none for that fingerprint or it is unreadable.
    pub fn load(&self, fingerprint: &str) -> Option<Snapshot> {
        let path = self.path_of(fingerprint)?;
        let bytes = std::fs::read(path).ok()?;
        let snapshot: Snapshot = serde_json::from_slice(&bytes).ok()?;
        (snapshot.version == 1
            && snapshot.fingerprint == fingerprint
            && snapshot.holds_what_it_says())
        .then_some(snapshot)
    }

    /// The block digests of a snapshot (what `status` needs), once the snapshot is checked
    /// against its name; the texts shown by `diff` are skipped, not copied.
    pub fn load_digests(&self, fingerprint: &str) -> Option<Vec<u64>> {
        #[derive(Deserialize)]
        struct Unit<'a> {
            kind: BlockKind,
            digest: &'a str,
            #[serde(borrow)]
            normalized: std::borrow::Cow<'a, str>,
        }
        #[derive(Deserialize)]
        struct Digests<'a> {
            version: u32,
            fingerprint: &'a str,
            #[serde(borrow)]
            units: Vec<Unit<'a>>,
        }
        let path = self.path_of(fingerprint)?;
        let bytes = std::fs::read(path).ok()?;
        let snapshot: Digests = serde_json::from_slice(&bytes).ok()?;
        if snapshot.version != 1 || snapshot.fingerprint != fingerprint {
            return None;
        }
        verified_digests(
            snapshot
                .units
                .iter()
                .map(|u| (u.kind, u.normalized.as_ref(), u.digest)),
            fingerprint,
        )
    }

    /// Whether a file stands where the snapshot of `fingerprint` would be (a snapshot that
    /// does not load is then corrupt, not missing).
    pub fn exists(&self, fingerprint: &str) -> bool {
        self.path_of(fingerprint).is_some_and(|p| p.is_file())
    }

    /// Saves the current version of an article; returns whether a new file was written.
    pub fn save(&self, article: &Article) -> Result<bool> {
        let Some(path) = self.path_of(&article.fingerprint) else {
            return Err(Error::new("internal: malformed fingerprint"));
        };
        if self.load(&article.fingerprint).is_some() {
            return Ok(false);
        }
        self.ensure_layout()?;
        check_inside(&self.root, &path, &self.relative_path(&article.fingerprint))?;
        if let Some(parent) = path.parent() {
            create_dir_all(parent)?;
        }
        let json = serde_json::to_vec_pretty(&Snapshot::of(article))
            .map_err(|e| Error::new(format!("could not encode snapshot: {e}")))?;
        write_atomic(&path, &json)?;
        Ok(true)
    }

    /// Creates `.tandem/` with its `.gitignore` (the cache is never committed).
    pub fn ensure_layout(&self) -> Result<()> {
        check_inside(&self.root, &self.dir, SNAPSHOTS_DIR)?;
        create_dir_all(&self.dir)?;
        ensure_gitignore(&self.root)
    }

    /// Every fingerprint in the store, sorted.
    pub fn list(&self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        let Ok(shards) = std::fs::read_dir(&self.dir) else {
            return Ok(out);
        };
        for shard in shards.filter_map(|e| e.ok()) {
            let Ok(files) = std::fs::read_dir(shard.path()) else {
                continue;
            };
            for file in files.filter_map(|e| e.ok()) {
                let name = file.file_name().to_string_lossy().into_owned();
                if let Some(fp) = name.strip_suffix(".json") {
                    if looks_like_fingerprint(fp) {
                        out.push(fp.to_string());
                    }
                }
            }
        }
        out.sort();
        Ok(out)
    }

    /// Deletes a snapshot (and its shard folder when it becomes empty).
    pub fn remove(&self, fingerprint: &str) -> Result<()> {
        let Some(path) = self.path_of(fingerprint) else {
            return Ok(());
        };
        std::fs::remove_file(&path).map_err(|e| Error::io(&path, &e, "delete the snapshot"))?;
        if let Some(parent) = path.parent() {
            let _ = std::fs::remove_dir(parent);
        }
        Ok(())
    }
}
