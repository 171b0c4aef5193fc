//! The scan cache (`.tandem/cache/<folder>.bin`): what reading each file gave, keyed by its path and
//! checked against its size, modification and change times and inode, so a second run reads
//! only the files that changed.
//!
//! It never serves a stale answer. A file whose times are within two seconds of the start of
//! the scan that read it is not cached at all, so an edit made in the same timestamp tick as a
//! read (a "racily clean" file, in git's words) is always seen. The change time (ctime), which
//! no program can set back, is part of the key, so even a file rewritten with the same size and
//! its old modification time restored is read again. A cache that is missing, unreadable, from
//! another version of tandem or made under another configuration is ignored and rebuilt.

use crate::config::Config;
use crate::document::{Original, TranslationSummary};
use crate::error::Diagnostic;
use crate::write::{create_dir_all, write_atomic};
use serde::{Deserialize, Serialize};
use std::fs::Metadata;
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const MAGIC: &str = "tandem scan cache";
/// Changes whenever what is cached, or how files are read, changes.
const FORMAT: u32 = 3;
/// How close to the scan a file's times may be before it is too fresh to trust.
const RACY: Duration = Duration::from_secs(2);

/// What identifies one version of a file on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    size: u64,
    mtime: i64,
    mtime_ns: i64,
    ctime: i64,
    ctime_ns: i64,
    inode: u64,
}

impl Stamp {
    #[cfg(unix)]
    pub fn of(meta: &Metadata) -> Stamp {
        use std::os::unix::fs::MetadataExt;
        Stamp {
            size: meta.size(),
            mtime: meta.mtime(),
            mtime_ns: meta.mtime_nsec(),
            ctime: meta.ctime(),
            ctime_ns: meta.ctime_nsec(),
            inode: meta.ino(),
        }
    }

    #[cfg(not(unix))]
    pub fn of(meta: &Metadata) -> Stamp {
        let since = |t: std::io::Result<SystemTime>| {
            t.ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .unwrap_or_default()
        };
        let m = since(meta.modified());
        let c = since(meta.created());
        Stamp {
            size: meta.len(),
            mtime: m.as_secs() as i64,
            mtime_ns: i64::from(m.subsec_nanos()),
            ctime: c.as_secs() as i64,
            ctime_ns: i64::from(c.subsec_nanos()),
            inode: 0,
        }
    }

    /// Whether the file changed too close to `start` for its times to tell later edits apart.
    fn is_racy(&self, start: SystemTime) -> bool {
        let newest = (self.mtime.max(self.ctime)) as f64 + 1.0;
        let start = start
            .checked_sub(RACY)
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0.0, |d| d.as_secs_f64());
        // Whole seconds rounded up: filesystems with coarse timestamps round down.
        newest > start
    }
}

/// What reading one file gave.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Cached {
    Original(Result<Original, Diagnostic>),
    Translation(Result<TranslationSummary, Diagnostic>),
    /// A snapshot's block digests (`None`: unreadable).
    Snapshot(Option<Vec<u64>>),
}

#[derive(Serialize, Deserialize)]
struct Entry {
    path: String,
    stamp: Stamp,
    cached: Cached,
}

#[derive(Serialize, Deserialize)]
struct CacheFile {
    magic: String,
    format: u32,
    version: String,
    key: String,
    entries: Vec<Entry>,
}

#[derive(Serialize)]
struct EntryRef<'a> {
    path: &'a str,
    stamp: Stamp,
    cached: &'a Cached,
}

#[derive(Serialize)]
struct CacheFileRef<'a> {
    magic: &'a str,
    format: u32,
    version: &'a str,
    key: &'a str,
    entries: Vec<EntryRef<'a>>,
}

/// The cache of one scan: looked up while reading, written back at the end. Entries are kept
/// sorted by path, the order a folder walk lists files in, so looking up every file of a walk
/// is one merge, with no hashing.
pub struct Cache {
    root: PathBuf,
    path: PathBuf,
    key: String,
    entries: Vec<Option<Entry>>,
    /// The next entry `take` looks at.
    cursor: usize,
    /// When the scan started: files changed after `start - RACY` are not cached.
    pub start: SystemTime,
    /// Whether the file on disk was usable as it was.
    loaded: bool,
    /// How many entries were taken.
    taken: usize,
}

/// The configuration a cached answer depends on.
fn config_key(config: &Config) -> String {
    let text = format!(
        "{}|{:?}|{}|{}|{:?}",
        config.source_lang,
        config.languages,
        config.articles,
        config.translations,
        config.translatable
    );
    blake3::hash(text.as_bytes()).to_hex()[..32].to_string()
}

impl Cache {
    /// Loads one shard of a project's cache (one per folder scanned: `articles`, each
    /// language, `snapshots`); an unusable one is an empty cache.
    pub fn load(config: &Config, shard: &str) -> Cache {
        let start = SystemTime::now();
        let path = config
            .root
            .join(".tandem")
            .join("cache")
            .join(format!("{shard}.bin"));
        let key = config_key(config);
        let mut cache = Cache {
            root: config.root.clone(),
            path,
            key,
            entries: Vec::new(),
            cursor: 0,
            start,
            loaded: false,
            taken: 0,
        };
        let Ok(bytes) = std::fs::read(&cache.path) else {
            return cache;
        };
        let Ok(file) = postcard::from_bytes::<CacheFile>(&bytes) else {
            return cache;
        };
        if file.magic != MAGIC
            || file.format != FORMAT
            || file.version != env!("CARGO_PKG_VERSION")
            || file.key != cache.key
        {
            return cache;
        }
        if !file.entries.windows(2).all(|w| w[0].path < w[1].path) {
            return cache;
        }
        cache.entries = file.entries.into_iter().map(Some).collect();
        cache.loaded = true;
        cache
    }

    /// What the cache remembers of a file, if its stamp still matches.
    pub fn get(&self, path: &str, stamp: &Stamp) -> Option<&Cached> {
        let i = self
            .entries
            .binary_search_by(|e| e.as_ref().map_or("", |e| e.path.as_str()).cmp(path))
            .ok()?;
        match &self.entries[i] {
            Some(e) if e.stamp == *stamp => Some(&e.cached),
            _ => None,
        }
    }

    /// How many entries the cache holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the cache holds nothing.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether the file on disk was usable.
    pub fn was_loaded(&self) -> bool {
        self.loaded
    }

    /// Takes what the cache remembers of a file (to be checked against its stamp now). Files
    /// must be asked for in path order; entries passed over are files that are gone.
    pub fn take(&mut self, path: &str) -> Option<(Stamp, Cached)> {
        while let Some(slot) = self.entries.get_mut(self.cursor) {
            let Some(entry) = slot else {
                self.cursor += 1;
                continue;
            };
            match entry.path.as_str().cmp(path) {
                std::cmp::Ordering::Less => self.cursor += 1,
                std::cmp::Ordering::Greater => return None,
                std::cmp::Ordering::Equal => {
                    self.cursor += 1;
                    self.taken += 1;
                    return slot.take().map(|e| (e.stamp, e.cached));
                }
            }
        }
        None
    }

    /// Whether `stamp` is old enough to be cached.
    pub fn cacheable(&self, stamp: &Stamp) -> bool {
        !stamp.is_racy(self.start)
    }

    /// Whether the cache on disk already says all there is to say: it was usable, every entry
    /// in it was used (no file was deleted or renamed) and matched (`hits`).
    pub fn is_current(&self, hits: usize) -> bool {
        self.loaded && self.taken == self.entries.len() && hits == self.taken
    }

    /// Writes the cache for the files of this scan (the loaded entries are dropped first, so
    /// only one copy is held). Failing to write it (a read-only checkout) is not an error: the
    /// cache is only a speed-up.
    pub fn store<'a>(mut self, files: impl Iterator<Item = (&'a str, Stamp, &'a Cached)>) {
        self.entries = Vec::new();
        let mut entries: Vec<EntryRef> = files
            .filter(|(_, stamp, _)| self.cacheable(stamp))
            .map(|(path, stamp, cached)| EntryRef {
                path,
                stamp,
                cached,
            })
            .collect();
        entries.sort_unstable_by(|a, b| a.path.cmp(b.path));
        entries.dedup_by(|a, b| a.path == b.path);
        let file = CacheFileRef {
            magic: MAGIC,
            format: FORMAT,
            version: env!("CARGO_PKG_VERSION"),
            key: &self.key,
            entries,
        };
        let Ok(bytes) = postcard::to_allocvec(&file) else {
            return;
        };
        let Some(dir) = self.path.parent() else {
            return;
        };
        if !crate::write::is_inside(&self.root, dir) {
            return;
        }
        if create_dir_all(dir).is_err() {
            return;
        }
        if let Some(tandem_dir) = dir.parent() {
            let ignore = tandem_dir.join(".gitignore");
            if !ignore.exists() {
                let _ = write_atomic(
                    &ignore,
                    b"# Local speed-up cache: never commit it.\ncache/\n",
                );
            }
        }
        let _ = write_atomic(&self.path, &bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(mtime: i64, ctime: i64) -> Stamp {
        Stamp {
            size: 10,
            mtime,
            mtime_ns: 0,
            ctime,
            ctime_ns: 0,
            inode: 1,
        }
    }

    #[test]
    fn fresh_files_are_racy() {
        let now = SystemTime::now();
        let secs = now.duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
        assert!(stamp(secs, secs).is_racy(now));
        assert!(
            stamp(secs - 10, secs).is_racy(now),
            "a recent change time is enough"
        );
        assert!(
            stamp(secs - 2, secs - 2).is_racy(now),
            "whole seconds round up"
        );
        assert!(!stamp(secs - 10, secs - 10).is_racy(now));
    }
}
