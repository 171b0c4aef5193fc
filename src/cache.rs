//! The scan cache (`.tandem/cache/`): what reading each file gave, keyed by its path and
//! checked against its size, modification and change times and inode, so a second run reads
//! only the files that changed; and the pairing results computed from those files, so a run in
//! which nothing changed does not pair again.
//!
//! It never serves a stale answer. A file whose times are within two seconds of the start of
//! the scan that read it is not cached at all, so an edit made in the same timestamp tick as a
//! read (a "racily clean" file, in git's words) is always seen. The change time (ctime), which
//! no program can set back, is part of the key, so even a file rewritten with the same size and
//! its old modification time restored is read again. A cache that is missing, unreadable, from
//! another version of tandem or made under another configuration is ignored and rebuilt.
//!
//! Every cache file is a header (which tandem, which configuration, a tag naming its content),
//! an index (each file's path and stamp, sorted) and a payload (what reading each file gave,
//! in index order). The index is read on its own: when every file on disk matches it, the
//! payload is not even decoded.

use crate::config::Config;
use crate::document::{Original, TranslationSummary};
use crate::error::Diagnostic;
use crate::write::{create_dir_all, write_cache};
use serde::{Deserialize, Serialize};
use std::fs::{File, Metadata};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const MAGIC: &[u8; 12] = b"tandem cache";
/// Changes whenever what is cached, or how files are read, changes.
const FORMAT: u32 = 20;
/// Entries per chunk of a shard's payload (chunks are encoded and decoded on every core).
const PAYLOAD_CHUNK: usize = 512;
/// How close to the scan a file's times may be before it is too fresh to trust.
const RACY: Duration = Duration::from_secs(2);
/// Magic, format, header length, index length.
const PREAMBLE: usize = 12 + 4 + 4 + 8;

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
    pub fn is_racy(&self, start: SystemTime) -> bool {
        let newest = (self.mtime.max(self.ctime)) as f64 + 1.0;
        let start = start
            .checked_sub(RACY)
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0.0, |d| d.as_secs_f64());
        // Whole seconds rounded up: filesystems with coarse timestamps round down.
        newest > start
    }
}

/// Where paths given in path order are in a shard's index (sorted by path): one pass over it.
#[derive(Default)]
struct IndexCursor {
    at: usize,
}

impl IndexCursor {
    /// Where `path` is in `index`, if it is there.
    fn find(&mut self, index: &[(&str, Stamp)], path: &str) -> Option<usize> {
        while self.at < index.len() && index[self.at].0 < path {
            self.at += 1;
        }
        (self.at < index.len() && index[self.at].0 == path).then_some(self.at)
    }
}

/// What reading one file gave. An original is boxed (stored the same): every file read is
/// held as one of these while its folder is read, and an original is larger than a
/// translation's summary (248 bytes against 176).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Cached {
    Original(Box<Result<Original, Diagnostic>>),
    Translation(Result<TranslationSummary, Diagnostic>),
    /// A snapshot's block digests (`None`: unreadable).
    Snapshot(Option<Vec<u64>>),
}

/// A kind of file whose reading is cached as one variant of [`Cached`].
pub trait CachedKind: Serialize + Sized {
    /// The variant's index and name.
    const VARIANT: (u32, &'static str);
    /// What reading the file gave, if `cached` is of this kind.
    fn take(cached: Cached) -> Option<Result<Self, Diagnostic>>;
}

impl CachedKind for Original {
    const VARIANT: (u32, &'static str) = (0, "Original");
    fn take(cached: Cached) -> Option<Result<Self, Diagnostic>> {
        match cached {
            Cached::Original(result) => Some(*result),
            _ => None,
        }
    }
}

impl CachedKind for TranslationSummary {
    const VARIANT: (u32, &'static str) = (1, "Translation");
    fn take(cached: Cached) -> Option<Result<Self, Diagnostic>> {
        match cached {
            Cached::Translation(result) => Some(result),
            _ => None,
        }
    }
}

/// What reading a file gave, borrowed, stored exactly as its [`Cached`] variant is: a folder's
/// files are stored as they are held, not copied into a [`Cached`] each first.
pub struct CachedRef<'a, T>(pub &'a Result<T, Diagnostic>);

impl<T: CachedKind> Serialize for CachedRef<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (index, name) = T::VARIANT;
        serializer.serialize_newtype_variant("Cached", index, name, self.0)
    }
}

/// A snapshot's block digests, borrowed, stored exactly as [`Cached::Snapshot`] is: the
/// digests of every snapshot a run looked up are stored without being copied first.
pub struct SnapshotRef<'a>(pub Option<&'a [u64]>);

impl Serialize for SnapshotRef<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // `Cached`'s third variant.
        serializer.serialize_newtype_variant("Cached", 2, "Snapshot", &self.0)
    }
}

/// Which tandem and which configuration wrote a cache file, and what it holds.
#[derive(Serialize, Deserialize)]
struct Head<'a> {
    version: &'a str,
    key: &'a str,
    /// Names the content: the same tag means the same index (and so the same payload).
    tag: u128,
    /// How many entries the index and the payload hold.
    entries: u64,
}

/// The configuration a cached answer depends on.
fn config_key(config: &Config) -> String {
    let text = format!(
        "{}|{:?}|{}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
        config.source_lang,
        config.folders,
        config.layout.describe(),
        config.layout.source_root,
        config.layout.exclude_patterns,
        config.fields,
        config.localizable,
        config.translatable,
        config.translation_langs,
        config.baseline,
    );
    blake3::hash(text.as_bytes()).to_hex()[..32].to_string()
}

/// A content tag: the first 16 bytes of a BLAKE3 hash.
pub fn tag_of(bytes: &[u8]) -> u128 {
    tag_of_parts(&[bytes])
}

/// The tag of the concatenation of `parts`.
pub fn tag_of_parts(parts: &[&[u8]]) -> u128 {
    let mut hasher = blake3::Hasher::new();
    for part in parts {
        // A results file of a large publication is tens of MB: hashed on every core.
        match part.len() > 1 << 20 {
            true => hasher.update_rayon(part),
            false => hasher.update(part),
        };
    }
    let mut first = [0u8; 16];
    first.copy_from_slice(&hasher.finalize().as_bytes()[..16]);
    u128::from_le_bytes(first)
}

/// A cache file opened for reading: its header checked, its index read, the payload left in
/// the file until asked for.
struct Opened {
    tag: u128,
    entries: u64,
    index: Vec<u8>,
    file: File,
}

fn open(path: &Path, key: &str) -> Option<Opened> {
    let mut file = File::open(path).ok()?;
    let mut preamble = [0u8; PREAMBLE];
    file.read_exact(&mut preamble).ok()?;
    if &preamble[..12] != MAGIC || preamble[12..16] != FORMAT.to_le_bytes() {
        return None;
    }
    let head_len = u32::from_le_bytes(preamble[16..20].try_into().ok()?) as usize;
    let index_len = usize::try_from(u64::from_le_bytes(preamble[20..28].try_into().ok()?)).ok()?;
    let size = usize::try_from(file.metadata().ok()?.len()).ok()?;
    if PREAMBLE.checked_add(head_len)?.checked_add(index_len)? > size {
        return None;
    }
    let mut head = vec![0u8; head_len];
    file.read_exact(&mut head).ok()?;
    let head: Head = postcard::from_bytes(&head).ok()?;
    if head.version != env!("CARGO_PKG_VERSION") || head.key != key {
        return None;
    }
    let mut index = vec![0u8; index_len];
    file.read_exact(&mut index).ok()?;
    Some(Opened {
        tag: head.tag,
        entries: head.entries,
        index,
        file,
    })
}

/// Writes a cache file atomically inside `.tandem/cache/` (creating it, and the `.gitignore`
/// that keeps it out of git). Failing to write (a read-only checkout) is not an error: the
/// cache is only a speed-up.
/// `entries` is how many entries the index and the payload hold.
fn save(
    root: &Path,
    path: &Path,
    key: &str,
    (tag, entries): (u128, usize),
    index: &[u8],
    payload: &[&[u8]],
) -> bool {
    let head = Head {
        version: env!("CARGO_PKG_VERSION"),
        key,
        tag,
        entries: entries as u64,
    };
    let Ok(head) = postcard::to_allocvec(&head) else {
        return false;
    };
    let mut preamble = Vec::with_capacity(PREAMBLE + head.len());
    preamble.extend_from_slice(MAGIC);
    preamble.extend_from_slice(&FORMAT.to_le_bytes());
    preamble.extend_from_slice(&(head.len() as u32).to_le_bytes());
    preamble.extend_from_slice(&(index.len() as u64).to_le_bytes());
    preamble.extend_from_slice(&head);
    let Some(dir) = path.parent() else {
        return false;
    };
    if !crate::write::is_inside(root, dir) || create_dir_all(dir).is_err() {
        return false;
    }
    let _ = crate::snapshot::ensure_gitignore(root);
    let mut parts = vec![&preamble[..], index];
    parts.extend_from_slice(payload);
    write_cache(path, &parts).is_ok()
}

fn cache_path(config: &Config, name: &str) -> PathBuf {
    config
        .root
        .join(".tandem")
        .join("cache")
        .join(format!("{name}.bin"))
}

/// Where each file of a listing is in a shard, and whether the shard lists exactly those files.
#[derive(Debug, Default)]
pub struct Lookup {
    /// For each file asked about, the position of its entry when the stamps match.
    pub hits: Vec<Option<u32>>,
    /// The shard lists exactly these files with these stamps.
    pub current: bool,
    /// The shard lists exactly these files, some of them with other stamps (changed since).
    pub same_files: bool,
}

/// One shard of the scan cache: the files of one folder (`articles`, each language,
/// `snapshots`).
pub struct Shard {
    root: PathBuf,
    path: PathBuf,
    key: String,
    /// When the scan started: files changed after `start - RACY` are not cached.
    pub start: SystemTime,
    opened: Option<Opened>,
}

impl Shard {
    /// Opens one shard; an unusable one is an empty cache.
    pub fn load(config: &Config, name: &str) -> Shard {
        let start = SystemTime::now();
        let path = cache_path(config, name);
        let key = config_key(config);
        let opened = open(&path, &key);
        Shard {
            root: config.root.clone(),
            path,
            key,
            start,
            opened,
        }
    }

    /// The tag of the shard as it is on disk.
    pub fn tag(&self) -> Option<u128> {
        self.opened.as_ref().map(|o| o.tag)
    }

    fn index(&self) -> Option<Vec<(&str, Stamp)>> {
        let index: Vec<(&str, Stamp)> = postcard::from_bytes(&self.opened.as_ref()?.index).ok()?;
        // Sorted and without duplicates, or not used at all.
        index.windows(2).all(|w| w[0].0 < w[1].0).then_some(index)
    }

    /// The stamps the shard remembers for files given in path order (`None` for a file it
    /// does not remember).
    pub fn stamps_of<'f>(&self, paths: impl Iterator<Item = &'f str>) -> Vec<Option<Stamp>> {
        let index = self.index().unwrap_or_default();
        let mut cursor = IndexCursor::default();
        paths
            .map(|path| cursor.find(&index, path).map(|at| index[at].1))
            .collect()
    }

    /// Looks up files, given in path order, with their stamps now.
    pub fn lookup<'f>(
        &self,
        files: impl ExactSizeIterator<Item = (&'f str, Option<Stamp>)>,
    ) -> Lookup {
        let n = files.len();
        let Some(index) = self.index() else {
            return Lookup {
                hits: vec![None; n],
                current: false,
                same_files: false,
            };
        };
        let mut hits = Vec::with_capacity(n);
        let mut cursor = IndexCursor::default();
        let mut matched = 0;
        let mut present = 0;
        for (path, stamp) in files {
            let at = cursor.find(&index, path);
            let hit = at
                .filter(|&at| Some(index[at].1) == stamp)
                .map(|at| at as u32);
            matched += usize::from(hit.is_some());
            present += usize::from(at.is_some());
            hits.push(hit);
        }
        Lookup {
            current: matched == n && n == index.len(),
            same_files: present == n && n == index.len(),
            hits,
        }
    }

    /// What the shard remembers, in index order; `None` when it cannot be read. The entries
    /// are stored in chunks (each a length, then that many bytes), decoded on every core.
    pub fn payload(&mut self) -> Option<Vec<Cached>> {
        use rayon::prelude::*;
        let opened = self.opened.as_mut()?;
        let mut bytes = Vec::new();
        opened.file.read_to_end(&mut bytes).ok()?;
        let mut chunks = Vec::new();
        let mut rest = bytes.as_slice();
        while !rest.is_empty() {
            let (len, tail) = rest.split_first_chunk::<8>()?;
            let len = usize::try_from(u64::from_le_bytes(*len)).ok()?;
            if len > tail.len() {
                return None;
            }
            let (chunk, tail) = tail.split_at(len);
            chunks.push(chunk);
            rest = tail;
        }
        let decoded: Vec<Vec<Cached>> = chunks
            .par_iter()
            .map(|c| postcard::from_bytes(c).ok())
            .collect::<Option<_>>()?;
        let payload: Vec<Cached> = decoded.into_iter().flatten().collect();
        (payload.len() as u64 == opened.entries).then_some(payload)
    }

    /// Every entry, owned: for look-ups by path in any order.
    pub fn entries(&mut self) -> Vec<(String, Stamp, Cached)> {
        let Some(payload) = self.payload() else {
            return Vec::new();
        };
        let Some(index) = self.index() else {
            return Vec::new();
        };
        index
            .into_iter()
            .zip(payload)
            .map(|((path, stamp), cached)| (path.to_string(), stamp, cached))
            .collect()
    }

    /// Whether `stamp` is old enough to be cached.
    pub fn cacheable(&self, stamp: &Stamp) -> bool {
        !stamp.is_racy(self.start)
    }

    /// Writes the shard for these files (the cacheable ones): what is stored of each is a
    /// [`Cached`], or anything encoded as one ([`SnapshotRef`]). Returns the tag written, if
    /// it was.
    pub fn store<'a, C: Serialize + Sync>(
        self,
        files: impl Iterator<Item = (&'a str, Stamp, C)>,
    ) -> Option<u128> {
        let mut entries: Vec<(&str, Stamp, C)> = files
            .filter(|(_, stamp, _)| self.cacheable(stamp))
            .collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
        entries.dedup_by(|a, b| a.0 == b.0);
        let index: Vec<(&str, Stamp)> = entries.iter().map(|e| (e.0, e.1)).collect();
        let payload: Vec<&C> = entries.iter().map(|e| &e.2).collect();
        let index = postcard::to_allocvec(&index).ok()?;
        // Each chunk written after its length, as it is (not copied into one buffer first).
        let chunks: Vec<Vec<u8>> = {
            use rayon::prelude::*;
            payload
                .par_chunks(PAYLOAD_CHUNK)
                .map(|c| postcard::to_allocvec(c).ok())
                .collect::<Option<_>>()?
        };
        let lens: Vec<[u8; 8]> = chunks
            .iter()
            .map(|c| (c.len() as u64).to_le_bytes())
            .collect();
        let parts: Vec<&[u8]> = lens
            .iter()
            .zip(&chunks)
            .flat_map(|(len, c)| [&len[..], &c[..]])
            .collect();
        let tag = tag_of(&index);
        let head = (tag, entries.len());
        save(&self.root, &self.path, &self.key, head, &index, &parts).then_some(tag)
    }
}

/// A cache file holding one value (the pairing results), under the same header as the shards.
pub struct Blob;

impl Blob {
    /// The bytes stored under `name`, if the file is from this tandem and configuration and
    /// whole.
    pub fn load(config: &Config, name: &str) -> Option<Vec<u8>> {
        Blob::load_tagged(config, name).map(|(bytes, _)| bytes)
    }

    /// As [`Blob::load`], with the tag of the bytes (as [`Blob::store`] gave it).
    pub fn load_tagged(config: &Config, name: &str) -> Option<(Vec<u8>, u128)> {
        let mut opened = open(&cache_path(config, name), &config_key(config))?;
        let mut bytes = Vec::new();
        opened.file.read_to_end(&mut bytes).ok()?;
        (tag_of(&bytes) == opened.tag).then_some((bytes, opened.tag))
    }

    /// Stores the concatenation of `parts` under `name` (best effort): the tag of the bytes,
    /// a digest of them, when they were written.
    pub fn store(config: &Config, name: &str, parts: &[&[u8]]) -> Option<u128> {
        let tag = tag_of_parts(parts);
        save(
            &config.root,
            &cache_path(config, name),
            &config_key(config),
            (tag, 0),
            &[],
            parts,
        )
        .then_some(tag)
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
    fn borrowed_snapshot_digests_are_stored_as_a_cached_snapshot() {
        for digests in [None, Some(vec![]), Some(vec![1, u64::MAX, 300])] {
            let owned = postcard::to_allocvec(&Cached::Snapshot(digests.clone())).unwrap();
            let borrowed = postcard::to_allocvec(&SnapshotRef(digests.as_deref())).unwrap();
            assert_eq!(borrowed, owned, "{digests:?}");
            let back: Cached = postcard::from_bytes(&borrowed).unwrap();
            assert!(matches!(back, Cached::Snapshot(d) if d == digests));
        }
    }

    #[test]
    fn a_file_read_is_stored_borrowed_as_its_cached_variant() {
        fn same<T: CachedKind + Clone + std::fmt::Debug>(
            result: Result<T, Diagnostic>,
            cached: fn(Result<T, Diagnostic>) -> Cached,
        ) {
            let owned = postcard::to_allocvec(&cached(result.clone())).unwrap();
            let borrowed = postcard::to_allocvec(&CachedRef(&result)).unwrap();
            assert_eq!(borrowed, owned, "{result:?}");
            let back: Cached = postcard::from_bytes(&borrowed).unwrap();
            assert!(T::take(back).is_some(), "{result:?}");
        }
        let text = "---\ntitle: A\n---\nOne.\n\nTwo [x](https://example.com) 2024.\n";
        let dir = tempfile::tempdir().unwrap();
        let config = Config::from_text(dir.path(), None, None).unwrap();
        let original = crate::document::read_original(text, "articles/a.md", "a", &config);
        let broken = Diagnostic::new("articles/b.md", "cannot be read");
        same(original, |r| Cached::Original(Box::new(r)));
        same::<Original>(Err(broken.clone()), |r| Cached::Original(Box::new(r)));
        let text = "---\ntitle: Uno\nsource_hash: 0123456789abcdef0123456789abcdef\n---\nUno.\n";
        let summary =
            crate::document::read_translation_summary(text, "es/a.md", "a", "es", &config);
        same(summary, Cached::Translation);
        same::<TranslationSummary>(Err(broken), Cached::Translation);
    }

    #[test]
    fn a_shard_gives_back_every_entry_across_chunks() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config::from_text(dir.path(), None, None).unwrap();
        for n in [0, 1, PAYLOAD_CHUNK, 2 * PAYLOAD_CHUNK + 7] {
            let entries: Vec<(String, Stamp, Cached)> = (0..n)
                .map(|i| {
                    let digests = (i % 3 != 0).then(|| vec![i as u64; i % 5]);
                    (
                        format!("{i:05}.md"),
                        stamp(1000, 1000),
                        Cached::Snapshot(digests),
                    )
                })
                .collect();
            let shard = Shard::load(&config, "test");
            shard
                .store(entries.iter().map(|(p, s, c)| (p.as_str(), *s, c)))
                .expect("stored");
            let mut back = Shard::load(&config, "test");
            let got = back.entries();
            assert_eq!(got.len(), n);
            for (a, b) in got.iter().zip(&entries) {
                assert_eq!((&a.0, a.1), (&b.0, b.1));
                match (&a.2, &b.2) {
                    (Cached::Snapshot(x), Cached::Snapshot(y)) => assert_eq!(x, y),
                    _ => panic!("not a snapshot"),
                }
            }
            // A payload cut short is no payload.
            let path = cache_path(&config, "test");
            let bytes = std::fs::read(&path).unwrap();
            if n > 0 {
                std::fs::write(&path, &bytes[..bytes.len() - 3]).unwrap();
                assert!(Shard::load(&config, "test").payload().is_none());
            }
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
