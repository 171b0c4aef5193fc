//! Reading the originals' git repository in process: the only module that names the git
//! library. It resolves what a translation recorded (a commit, perhaps short, perhaps on
//! another branch) and gives an original's text as it was at a commit.

use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Memory for the objects each handle keeps while resolving deltas, for a walk of the history.
/// Measured at 20,000 originals × 10 languages, 4,000 commits, a whole `baseline: git` cold
/// run, interleaved (median wall time, peak): when the walk compared each commit's trees in
/// turn, 8 MB 4.8 s, 16 MB 3.7 s, 32 MB 2.6 s (the walk alone); since it compares each folder's
/// versions in turn, 8 MB 7.8 s 170 MB, 16 MB 8.0 s 190 MB, 24 MB 7.5 s 208 MB (the same within
/// the machine's noise; the originals are read while the history is walked).
const PACK_CACHE_BYTES: usize = 8 * 1024 * 1024;

/// The same for looking up many files in the trees of many commits, and reading the versions
/// found (measured at 20,000 originals × 10 languages, 4,000 commits: 32 MB 1.05 s and a
/// 288 MB peak, 8 MB 0.95 s and 231 MB, 4 MB 1.17 s). Since the handles are kept from one
/// chunk of trees to the next (see `MAPPED_GROWTH`), `commit_field` cold, 3 interleaved runs
/// each (wall time, peak): 8 MB 4.60-4.75 s, 194-202 MB; 4 MB 4.67-5.15 s, 182-192 MB; 2 MB
/// 5.36-6.53 s, 187-205 MB.
const LOOKUP_CACHE_BYTES: usize = 4 * 1024 * 1024;

/// The memory for the commits a walk of the history has read, which it reads again.
const COMMITS_KEPT_BYTES: usize = 512 * 1024;

/// How many commits a walk of the history compares at once before folding what they changed.
const WALK_WINDOW: usize = 256;

/// How many trees of one level a look-up of many paths reads before it sees whether to let go
/// of the repository's handles (see `MAPPED_GROWTH`). Measured at 20,000 originals × 10
/// languages, when the handles were let go after every chunk, `commit_field` cold, 3
/// interleaved runs each (peak, CPU time): 128 trees, 196-204 MB, 11.8-14.9 s; 64, 184-192 MB,
/// 12.7-16.7 s; 32, 165-171 MB, 15.3-17.1 s.
const CHUNK: usize = 32;

/// How much more of the pack files' pages a look-up of many paths may hold in memory before it
/// lets go of the repository's handles, which unmaps them (they count towards the process's
/// memory: at 20,000 originals × 10 languages they reached 75 MB in one look-up). Letting go
/// also empties the handles' caches of objects, and each tree read next undoes its chain of
/// deltas from the start: when that was done after every chunk, those trees' look-ups took
/// twice as long. Measured there, `commit_field` cold, 3 interleaved runs each (wall time,
/// peak): after every chunk 5.82-6.62 s, 180-184 MB; 16 MB more 4.98-6.27 s, 176-196 MB; 24 MB
/// more 4.67-5.15 s, 182-192 MB; 32 MB more 4.53-4.93 s, 193-207 MB; never 4.67-4.97 s,
/// 212-231 MB.
const MAPPED_GROWTH: usize = 24 * 1024 * 1024;

/// How many trees read whole are kept.
const RECENT_TREES: usize = 16;

/// The objects a handle keeps while resolving deltas: the least recently used go first once
/// they hold more than their budget, as in gitoxide's own memory-capped cache, but the buffers
/// of those let go are used again for the next objects kept. Without that, each object kept
/// (a tree of a busy folder is 100 KB and more) took new memory, and the pages of what was let
/// go were given back to the system and faulted in again: 3.7 % of a `baseline: git` cold run.
struct PackCache {
    kept: clru::CLruCache<(u32, u64), Kept, rustc_hash::FxBuildHasher, ByCapacity>,
    /// Buffers of objects let go: at most `FREE_BUFFERS`, holding at most a quarter of the
    /// budget between them.
    free: Vec<Vec<u8>>,
    free_bytes: usize,
}

/// How many buffers of objects let go a [`PackCache`] keeps for the next objects.
const FREE_BUFFERS: usize = 8;

struct Kept {
    data: Vec<u8>,
    kind: gix::objs::Kind,
    compressed_size: usize,
}

/// Weighs a kept object by the memory it holds (a buffer used again may be larger than it).
struct ByCapacity;

impl clru::WeightScale<(u32, u64), Kept> for ByCapacity {
    fn weight(&self, _: &(u32, u64), value: &Kept) -> usize {
        value.data.capacity()
    }
}

impl PackCache {
    fn new(bytes: usize) -> PackCache {
        let budget = std::num::NonZeroUsize::new(bytes.max(1)).expect("not zero");
        PackCache {
            kept: clru::CLruCache::with_config(
                clru::CLruCacheConfig::new(budget)
                    .with_hasher(rustc_hash::FxBuildHasher)
                    .with_scale(ByCapacity),
            ),
            free: Vec::new(),
            free_bytes: 0,
        }
    }

    fn let_go(&mut self, data: Vec<u8>) {
        let bytes = data.capacity();
        if self.free.len() < FREE_BUFFERS && self.free_bytes + bytes <= self.kept.capacity() / 4 {
            self.free_bytes += bytes;
            self.free.push(data);
        }
    }

    /// A buffer let go for an object of `len` bytes: the smallest that holds it, or else the
    /// largest (it grows), or a new one.
    fn buffer_for(&mut self, len: usize) -> Vec<u8> {
        let buffers = || self.free.iter().enumerate();
        let Some(i) = buffers()
            .filter(|(_, b)| b.capacity() >= len)
            .min_by_key(|(_, b)| b.capacity())
            .or_else(|| buffers().max_by_key(|(_, b)| b.capacity()))
            .map(|(i, _)| i)
        else {
            return Vec::new();
        };
        let buffer = self.free.swap_remove(i);
        self.free_bytes -= buffer.capacity();
        buffer
    }
}

impl gix::odb::pack::cache::DecodeEntry for PackCache {
    fn put(
        &mut self,
        pack_id: u32,
        offset: u64,
        data: &[u8],
        kind: gix::objs::Kind,
        compressed_size: usize,
    ) {
        if data.len() > self.kept.capacity() {
            return;
        }
        let mut buffer = self.buffer_for(data.len());
        buffer.clear();
        if buffer.try_reserve(data.len()).is_err() {
            return;
        }
        buffer.extend_from_slice(data);
        // Room for it: the least recently used go, their buffers kept for the next objects.
        while self.kept.weight() + buffer.capacity() > self.kept.capacity() {
            match self.kept.pop_back() {
                Some((_, old)) => self.let_go(old.data),
                None => break,
            }
        }
        let kept = Kept {
            data: buffer,
            kind,
            compressed_size,
        };
        match self.kept.put_with_weight((pack_id, offset), kept) {
            Ok(Some(old)) | Err((_, old)) => self.let_go(old.data),
            Ok(None) => {}
        }
    }

    fn get(
        &mut self,
        pack_id: u32,
        offset: u64,
        out: &mut Vec<u8>,
    ) -> Option<(gix::objs::Kind, usize)> {
        let kept = self.kept.get(&(pack_id, offset))?;
        out.clear();
        out.try_reserve(kept.data.len()).ok()?;
        out.extend_from_slice(&kept.data);
        Some((kept.kind, kept.compressed_size))
    }
}

/// The repository's pack files, opened by a walk of the history to read trees itself. A chain
/// of deltas undone through gitoxide keeps only the object asked for: the next version of a
/// folder, whose chain passes through versions not asked for yet, is undone again from far
/// down, often from the chain's base (on tldr's history, 6.2 entries of the pack inflated for
/// each version of `pages/common`, 375 MB in all; keeping every object passed, as git does,
/// 1.0 entry a version, 7 MB). [`Unpacker::read`] keeps a chain's base and some of the entries
/// above it.
struct Packs {
    bundles: Vec<gix::odb::pack::Bundle>,
}

impl Packs {
    /// The packs in `objects/pack` that open (an object in none of them, loose or in a pack
    /// made since, is read through the repository's handle instead). None in a repository
    /// with replacements (`git replace`): every object is then read through the handle, which
    /// gives what replaces it.
    fn open(repo: &gix::Repository) -> Packs {
        let store = repo.objects.store_ref();
        if store.replacements().next().is_some() {
            return Packs {
                bundles: Vec::new(),
            };
        }
        let (objects, kind) = (store.path(), repo.object_hash());
        let mut indexes: Vec<PathBuf> = std::fs::read_dir(objects.join("pack"))
            .map(|dir| {
                dir.filter_map(|e| Some(e.ok()?.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "idx"))
                    .collect()
            })
            .unwrap_or_default();
        indexes.sort();
        let mut bundles: Vec<gix::odb::pack::Bundle> = indexes
            .iter()
            .filter_map(|idx| gix::odb::pack::Bundle::at(idx, kind).ok())
            .collect();
        // What a pack's objects are kept under: its place here, as [`Unpacker::read`] asks.
        for (n, bundle) in bundles.iter_mut().enumerate() {
            bundle.pack.id = n as u32;
        }
        Packs { bundles }
    }
}

/// What a thread reads trees from the packs with: its inflater and the objects it keeps.
struct Unpacker {
    inflate: gix::zlib::Inflate,
    cache: PackCache,
    /// The entries of the chain being undone, nearest first (kept for its memory).
    chain: Vec<gix::odb::pack::data::Entry>,
}

/// Of a chain of deltas undone, the base and every `KEEP_EVERY`th entry above it are kept (and
/// the object asked for). Measured cold, 3 interleaved runs each (wall time, peak), against
/// gitoxide's own reading (only the object asked for kept): on tldr's history 3.71-4.02 s,
/// 127-129 MB → 2.07-2.32 s, 140-143 MB; on the bench's 20,000 × 10 with 4,000 commits,
/// `baseline: git` 3.44-4.02 → 3.25-3.56 s, `commit_field` 3.22-3.59 → 3.12-3.37 s. Keeping
/// every entry: `commit_field` 4.5-4.7 s (each is copied into the cache and out again, and a
/// chain of 50 trees of 125 KB does not fit); keeping the base alone: 3.35-3.42 s.
const KEEP_EVERY: usize = 8;

/// The longest chain of deltas undone from its base up (git makes them at most 50 long; a
/// longer one, or a cycle in a damaged pack, is left to gitoxide's own reading).
const LONGEST_CHAIN: usize = 4096;

impl Unpacker {
    fn new(cache_bytes: usize) -> Unpacker {
        Unpacker {
            inflate: Default::default(),
            cache: PackCache::new(cache_bytes),
            chain: Vec::new(),
        }
    }

    /// Reads the object `id` into `out` from one of `packs`, its kind if one holds it. Its
    /// chain of deltas, down to an entry kept (or to the chain's base), is undone from the
    /// bottom up, keeping the base and every `KEEP_EVERY`th entry, so that the next object
    /// whose chain passes through them starts from there.
    fn read(
        &mut self,
        packs: &Packs,
        id: &gix::oid,
        out: &mut Vec<u8>,
    ) -> Result<Option<gix::objs::Kind>, String> {
        use gix::odb::pack::cache::DecodeEntry;
        use gix::odb::pack::data::entry::Header;
        let Some((pack_id, bundle, offset)) =
            packs.bundles.iter().enumerate().find_map(|(n, b)| {
                let i = b.index.lookup(id)?;
                Some((n as u32, b, b.index.pack_offset_at_index(i)))
            })
        else {
            return Ok(None);
        };
        let pack = &bundle.pack;
        let error = |e: gix::Error| format!("cannot read {id} from its pack: {e}");
        let mut entry = pack.entry(offset).map_err(error)?;
        if let Some((kind, _)) = self.cache.get(pack_id, entry.data_offset, out) {
            return Ok(Some(kind));
        }
        self.chain.clear();
        loop {
            let base = match entry.header {
                Header::OfsDelta { base_distance } => entry.checked_base_pack_offset(base_distance),
                _ => None,
            };
            self.chain.push(entry);
            let Some(base) = base else { break };
            if self.chain.len() >= LONGEST_CHAIN {
                self.chain.truncate(1);
                break;
            }
            entry = pack.entry(base).map_err(error)?;
            if self.cache.kept.contains(&(pack_id, entry.data_offset)) {
                break;
            }
        }
        // A base named by id rather than by place (not in packs git makes for itself).
        let resolve = |base: &gix::oid, _: &mut Vec<u8>| {
            Ok(match bundle.index.lookup(base) {
                Some(i) => Some(gix::odb::pack::data::decode::entry::ResolvedBase::InPack(
                    pack.entry(bundle.index.pack_offset_at_index(i))?,
                )),
                None => None,
            })
        };
        let mut kind = None;
        let bottom = self.chain.len() - 1;
        while let Some(entry) = self.chain.pop() {
            let above = self.chain.len();
            // The entries between two kept are undone by gitoxide in one pass (in two buffers,
            // where each undone on its own is copied out of and into the cache besides).
            if above != 0 && !(bottom - above).is_multiple_of(KEEP_EVERY) {
                continue;
            }
            let whole = !entry.header.is_delta();
            let data_offset = entry.data_offset;
            let outcome = pack
                .decode_entry(entry, out, &mut self.inflate, &resolve, &mut self.cache)
                .map_err(error)?;
            // gitoxide keeps what it undid from deltas; a chain's base is kept here.
            if whole && !self.chain.is_empty() {
                self.cache.put(
                    pack_id,
                    data_offset,
                    out,
                    outcome.kind,
                    outcome.compressed_size,
                );
            }
            kind = Some(outcome.kind);
        }
        Ok(kind)
    }
}

/// What a thread reads objects with: from the packs with its unpacker, else (an object loose,
/// or in a pack made since they were opened) through its handle on the repository.
struct Reader<'a> {
    repo: &'a gix::Repository,
    packs: &'a Packs,
    unpacker: &'a mut Unpacker,
}

impl Reader<'_> {
    /// Reads the object `id` into `buf` (its bytes alone): its kind, if it exists.
    fn find(
        &mut self,
        id: &gix::oid,
        buf: &mut Vec<u8>,
    ) -> Result<Option<gix::objs::Kind>, String> {
        // What the packs cannot give (a damaged entry, a delta of a base in another pack) is
        // read as gitoxide reads it, which tells what is wrong if anything is.
        if let Ok(Some(kind)) = self.unpacker.read(self.packs, id, buf) {
            return Ok(Some(kind));
        }
        use gix::objs::Find;
        let Some(data) = self
            .repo
            .objects
            .try_find(id, buf)
            .map_err(|e| e.to_string())?
        else {
            return Ok(None);
        };
        let (kind, len) = (data.kind, data.data.len());
        buf.truncate(len);
        Ok(Some(kind))
    }

    /// Reads the tree `id` into `buf`, and gives it back.
    fn tree(&mut self, id: gix::ObjectId, buf: Vec<u8>) -> Result<Vec<u8>, String> {
        self.object_of_kind(id, gix::objs::Kind::Tree, buf)
    }

    /// Reads the object `id`, which must be of `kind`, into `buf`, and gives it back.
    fn object_of_kind(
        &mut self,
        id: gix::ObjectId,
        kind: gix::objs::Kind,
        mut buf: Vec<u8>,
    ) -> Result<Vec<u8>, String> {
        match self.find(&id, &mut buf)? {
            Some(found) if found == kind => Ok(buf),
            Some(other) => Err(format!("{id} is a {other}, not a {kind}")),
            None => Err(format!("the {kind} {id} is missing")),
        }
    }
}

/// The pages of files the process holds in memory now (the pack files it has mapped, besides
/// its own program), where the system says: they count towards its peak.
#[cfg(target_os = "linux")]
fn resident_file_bytes() -> Option<usize> {
    // statm: sizes in pages; the third is what is shared with files.
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: usize = statm.split_whitespace().nth(2)?.parse().ok()?;
    // SAFETY: sysconf only reads a system setting.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    Some(pages * usize::try_from(page).ok()?)
}

#[cfg(not(target_os = "linux"))]
fn resident_file_bytes() -> Option<usize> {
    None
}

/// Whether a look-up of many paths, which began when the pages of files held came to
/// `before`, now holds more than `MAPPED_GROWTH` more of them (always, where that is not
/// known): its handles are then let go, which unmaps the pack files.
fn holds_too_much(before: Option<usize>) -> bool {
    match (before, resident_file_bytes()) {
        (Some(before), Some(now)) => now > before + MAPPED_GROWTH,
        _ => true,
    }
}

/// The id git gives `bytes` as a file's content.
pub fn content_id(bytes: &[u8]) -> Option<BlobId> {
    gix::objs::compute_hash(gix::hash::Kind::Sha1, gix::objs::Kind::Blob, bytes)
        .ok()
        .map(BlobId::of)
}

/// A repository holding the originals, opened once per run.
pub struct Repo {
    /// The repository, opened again when needed after `release` closed it (its pack files
    /// are mapped into memory while it is open: the pages a walk read stay resident).
    shared: Mutex<Option<gix::ThreadSafeRepository>>,
    /// Where it is, to open it again.
    git_dir: PathBuf,
    /// Handles to it, one per thread that asks at once (each keeps its own object cache).
    handles: Mutex<Vec<gix::Repository>>,
    /// HEAD, in full hex.
    head: String,
    /// The originals' root, relative to the repository's work tree, with `/` (empty: the same).
    prefix: String,
    workdir: PathBuf,
    /// The memory each handle made from now on keeps for objects (see `PACK_CACHE_BYTES`).
    cache_bytes: std::sync::atomic::AtomicUsize,
    /// Every commit in HEAD's history, walked once when first needed: whether a recorded
    /// commit is an ancestor of HEAD is then a look-up, not a merge-base search each time.
    history: std::sync::OnceLock<Result<std::collections::HashSet<gix::ObjectId>, String>>,
    /// Each commit's tree, as looked up this run.
    roots: Mutex<std::collections::HashMap<gix::ObjectId, gix::ObjectId>>,
    /// The last few trees read whole.
    recent: Mutex<Vec<(gix::ObjectId, Arc<WholeTree>)>>,
    /// The pack files a walk of the history reads trees from, opened when first needed.
    packs: Mutex<Option<Arc<Packs>>>,
    /// What each thread that reads from them at once reads with.
    unpackers: Mutex<Vec<Unpacker>>,
    /// What was looked up in a tree this run: (tree, name) → entry, if there is one.
    entries: Mutex<std::collections::HashMap<(gix::ObjectId, String), Option<Entry>>>,
}

/// A tree's entries by name.
type WholeTree = FxHashMap<Vec<u8>, Entry>;

/// Answers from one tree: which file asked, the path left, the entry found.
type Answers = Vec<(usize, String, Result<Option<Entry>, String>)>;

/// An entry of a tree: a file's content or a folder.
#[derive(Debug, Clone, Copy)]
struct Entry {
    id: gix::ObjectId,
    tree: bool,
}

/// The id of a file's content in the repository.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct BlobId(pub [u8; 20]);

impl BlobId {
    fn of(id: gix::ObjectId) -> BlobId {
        let mut out = [0; 20];
        let bytes = id.as_bytes();
        out[..bytes.len().min(20)].copy_from_slice(&bytes[..bytes.len().min(20)]);
        BlobId(out)
    }
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
        let git_dir = repo.path().to_path_buf();
        let shared = Mutex::new(Some(repo.into_sync()));
        Ok(Some(Repo {
            shared,
            git_dir,
            handles: Mutex::new(Vec::new()),
            head,
            prefix,
            workdir,
            cache_bytes: PACK_CACHE_BYTES.into(),
            history: std::sync::OnceLock::new(),
            roots: Mutex::new(Default::default()),
            entries: Mutex::new(Default::default()),
            recent: Mutex::new(Vec::new()),
            packs: Mutex::new(None),
            unpackers: Mutex::new(Vec::new()),
        }))
    }

    /// Runs `f` with a handle of its own on the repository (opened again if `release` closed
    /// it).
    fn with<T>(&self, f: impl FnOnce(&gix::Repository) -> Result<T, String>) -> Result<T, String> {
        let handle = self.handles.lock().ok().and_then(|mut h| h.pop());
        let repo = match handle {
            Some(r) => r,
            None => self.handle()?,
        };
        let out = f(&repo);
        if let Ok(mut h) = self.handles.lock() {
            h.push(repo);
        }
        out
    }

    /// Runs `f` with a [`Reader`] of its own: a handle on the repository, and an [`Unpacker`]
    /// of the repository's pack files.
    fn reading<T>(&self, f: impl FnOnce(&mut Reader) -> Result<T, String>) -> Result<T, String> {
        self.with(|repo| {
            let packs = {
                let mut packs = self
                    .packs
                    .lock()
                    .map_err(|_| "the repository's packs were lost".to_string())?;
                packs
                    .get_or_insert_with(|| Arc::new(Packs::open(repo)))
                    .clone()
            };
            let mut unpacker = self
                .unpackers
                .lock()
                .ok()
                .and_then(|mut u| u.pop())
                .unwrap_or_else(|| {
                    Unpacker::new(self.cache_bytes.load(std::sync::atomic::Ordering::Relaxed))
                });
            let out = f(&mut Reader {
                repo,
                packs: &packs,
                unpacker: &mut unpacker,
            });
            if let Ok(mut u) = self.unpackers.lock() {
                u.push(unpacker);
            }
            out
        })
    }

    /// A new handle on the repository.
    fn handle(&self) -> Result<gix::Repository, String> {
        let mut shared = self
            .shared
            .lock()
            .map_err(|_| "the repository's handle was lost".to_string())?;
        let shared = match &mut *shared {
            Some(s) => s,
            slot @ None => slot.insert(
                gix::open(&self.git_dir)
                    .map_err(|e| format!("cannot open {} again: {e}", self.git_dir.display()))?
                    .into_sync(),
            ),
        };
        let mut r = shared.to_thread_local();
        // Trees and files are stored as deltas of one another: without room for the objects a
        // chain of deltas passes through, each read undoes the chain again. (A cache of whole
        // objects besides gained nothing measurable and held 16 MB.)
        let bytes = self.cache_bytes.load(std::sync::atomic::Ordering::Relaxed);
        r.objects
            .set_pack_cache(move || Box::new(PackCache::new(bytes)));
        Ok(r)
    }

    /// Lets go of what the look-ups so far kept (each handle's caches of objects, the trees
    /// read, the repository's mapped pack files): a handle asked for later starts afresh.
    pub fn release(&self) {
        if let Ok(mut h) = self.handles.lock() {
            h.clear();
        }
        // Closed, so that its pack files are no longer mapped (the pages read stay resident
        // while they are: 80-90 MB after a walk of a 4,000-commit history).
        if let Ok(mut s) = self.shared.lock() {
            *s = None;
        }
        if let Ok(mut r) = self.recent.lock() {
            r.clear();
        }
        if let Ok(mut u) = self.unpackers.lock() {
            u.clear();
        }
        if let Ok(mut p) = self.packs.lock() {
            *p = None;
        }
        if let Ok(mut e) = self.entries.lock() {
            *e = Default::default();
        }
    }

    /// Lets go of what the look-ups so far kept, and gives each handle made from now on
    /// `cache_bytes` for objects.
    fn start_afresh(&self, cache_bytes: usize) {
        self.release();
        self.cache_bytes
            .store(cache_bytes, std::sync::atomic::Ordering::Relaxed);
    }

    /// HEAD, in full hex.
    pub fn head(&self) -> &str {
        &self.head
    }

    /// Whether the repository is a shallow clone (history cut off).
    pub fn is_shallow(&self) -> bool {
        self.with(|r| Ok(r.is_shallow().unwrap_or(false)))
            .unwrap_or(false)
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
        // A full id in HEAD's history (what a history walk gives, and what `mark` writes) needs
        // no look-up at all, nor a handle on the repository.
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
        self.with(|repo| self.resolve_in(repo, value))
    }

    fn resolve_in(&self, repo: &gix::Repository, value: &str) -> Result<Resolved, String> {
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

    /// Whether `commit` (full hex) is HEAD or one of its ancestors: a merge-base search, which
    /// reads only the commits between them when it is.
    pub fn in_history(&self, commit: &str) -> bool {
        let (Ok(id), Ok(head)) = (
            gix::ObjectId::from_hex(commit.as_bytes()),
            gix::ObjectId::from_hex(self.head.as_bytes()),
        ) else {
            return false;
        };
        if id == head {
            return true;
        }
        if let Some(Ok(history)) = self.history.get() {
            return history.contains(&id);
        }
        self.with(|repo| {
            Ok(repo
                .merge_base(id, head)
                .is_ok_and(|base| base.is_some_and(|b| b.detach() == id)))
        })
        .unwrap_or(false)
    }

    /// The id of the file at `rel` (under the originals' root) in `commit`, `None` when it did
    /// not exist there. Equal ids are equal bytes, so what is known of one is known of all.
    pub fn blob_at(&self, commit: &str, rel: &str) -> Result<Option<BlobId>, String> {
        self.blobs_at(&[(commit, rel)]).pop().unwrap_or(Ok(None))
    }

    /// `blob_at` for many files at once: each tree on the way is read once for all the files
    /// asked of it (a folder of 3,000 pages is one read, not 3,000), the trees of one level on
    /// every thread; what a tree was asked of a few files is remembered for the rest of the run.
    pub fn blobs_at(&self, asked: &[(&str, &str)]) -> Vec<Result<Option<BlobId>, String>> {
        use rayon::prelude::*;
        // Asked one file at a time (HEAD's folders, when an original is checked), the trees
        // on the way are kept whole among the last few read; asked many, each tree gives only
        // the entries asked of it, with a smaller cache of objects (what was decoded before is
        // let go first, and what these decoded once they are answered).
        let few = asked.len() < 4;
        let mut mapped = None;
        if !few {
            self.start_afresh(LOOKUP_CACHE_BYTES);
            mapped = resident_file_bytes();
        }
        let mut out: Vec<Result<Option<BlobId>, String>> = vec![Ok(None); asked.len()];
        // The files still to look for, by the tree to look in: (which, path left).
        let mut pending: std::collections::HashMap<gix::ObjectId, Vec<(usize, String)>> =
            Default::default();
        for (i, (commit, rel)) in asked.iter().enumerate() {
            let path = match rel.strip_prefix('/') {
                // Outside the originals' root (a file's name before it was moved in).
                Some(in_repo) => in_repo.to_string(),
                None if self.prefix.is_empty() => rel.to_string(),
                None => format!("{}/{rel}", self.prefix),
            };
            match self.root_tree(commit) {
                Ok(tree) => pending.entry(tree).or_default().push((i, path)),
                Err(e) => out[i] = Err(e),
            }
        }
        while !pending.is_empty() {
            let mut level: Vec<(gix::ObjectId, Vec<(usize, String)>)> = pending.drain().collect();
            if !few {
                self.last_in_pack_first(&mut level);
            }
            let mut found: Vec<Answers> = Vec::with_capacity(level.len());
            while !level.is_empty() {
                // From the end (in pack order), so that what is left is not moved (the order
                // found is not used).
                let chunk = level.split_off(level.len().saturating_sub(CHUNK));
                found.extend(
                    chunk
                        .into_par_iter()
                        .with_min_len(4)
                        .map(|(tree, wanted)| self.look_in(tree, wanted, few))
                        .collect::<Vec<_>>(),
                );
                if !few && !level.is_empty() && holds_too_much(mapped) {
                    self.release();
                }
            }
            for (i, rest, entry) in found.into_iter().flatten() {
                match (entry, rest.split_once('/')) {
                    (Err(e), _) => out[i] = Err(e),
                    (Ok(None), _) => {}
                    (Ok(Some(e)), None) => out[i] = Ok((!e.tree).then_some(BlobId::of(e.id))),
                    (Ok(Some(e)), Some((_, tail))) if e.tree => {
                        pending.entry(e.id).or_default().push((i, tail.to_string()))
                    }
                    (Ok(Some(_)), Some(_)) => {}
                }
            }
        }
        // What many look-ups decoded (trees at thousands of commits) is not what is read next.
        if !few {
            self.release();
        }
        out
    }

    /// Sorts `items` so that the objects they name come from the end backwards in the order
    /// they lie in the pack files (loose objects first). Taken from the end, each object is
    /// then read after the ones its delta chain starts from, which the objects' cache still
    /// holds: the versions of one folder's tree are most often deltas of one another.
    fn last_in_pack_first<T>(&self, items: &mut Vec<(gix::ObjectId, T)>) {
        use gix::odb::pack::Find;
        let Ok(keys) = self.with(|repo| {
            let mut objects = repo.objects.clone();
            objects.prevent_pack_unload();
            // Where an object lies, not what replaces it (`git replace`): gitoxide refuses
            // to tell a location with replacements on, and only the order depends on it.
            objects.ignore_replacements = true;
            let mut buf = Vec::new();
            Ok(items
                .iter()
                .map(|(id, _)| match objects.location_by_oid(id, &mut buf) {
                    Ok(Some(at)) => (at.pack_id, at.pack_offset),
                    _ => (u32::MAX, u64::MAX),
                })
                .collect::<Vec<_>>())
        }) else {
            return;
        };
        let mut keyed: Vec<((u32, u64), (gix::ObjectId, T))> =
            keys.into_iter().zip(items.drain(..)).collect();
        keyed.sort_unstable_by_key(|(at, _)| std::cmp::Reverse(*at));
        items.extend(keyed.into_iter().map(|(_, item)| item));
    }

    /// All the entries of `tree`, from the last few trees read whole or read now.
    fn whole(&self, tree: gix::ObjectId) -> Option<Arc<WholeTree>> {
        if let Some(found) = self
            .recent
            .lock()
            .ok()
            .and_then(|r| r.iter().find(|(t, _)| *t == tree).map(|(_, m)| m.clone()))
        {
            return Some(found);
        }
        let all = self.read_tree(tree, |_| true).ok()?;
        let all = Arc::new(all);
        if let Ok(mut recent) = self.recent.lock() {
            if recent.len() >= RECENT_TREES {
                recent.remove(0);
            }
            recent.push((tree, all.clone()));
        }
        Some(all)
    }

    /// The entries of `tree` whose names `keep` accepts, by name.
    fn read_tree(
        &self,
        tree: gix::ObjectId,
        keep: impl Fn(&[u8]) -> bool,
    ) -> Result<WholeTree, String> {
        self.reading(|reader| {
            let data = reader.tree(tree, Vec::new())?;
            let mut kept = WholeTree::default();
            // Entry by entry: a folder of 3,000 pages asked of a few is not listed whole first.
            for e in gix::objs::TreeRefIter::from_bytes(&data, reader.repo.object_hash()) {
                let e = e.map_err(|e| e.to_string())?;
                if keep(e.filename.as_ref()) {
                    let entry = Entry {
                        id: e.oid.to_owned(),
                        tree: e.mode.is_tree(),
                    };
                    kept.insert(e.filename.to_vec(), entry);
                }
            }
            Ok(kept)
        })
    }

    /// The tree of `commit` (remembered).
    fn root_tree(&self, commit: &str) -> Result<gix::ObjectId, String> {
        let id = gix::ObjectId::from_hex(commit.as_bytes()).map_err(|e| e.to_string())?;
        if let Some(tree) = self.roots.lock().ok().and_then(|r| r.get(&id).copied()) {
            return Ok(tree);
        }
        // Read as the trees are (the packs mapped once for both).
        let tree = self.reading(|reader| -> Result<gix::ObjectId, String> {
            let data = reader.object_of_kind(id, gix::objs::Kind::Commit, Vec::new())?;
            gix::objs::CommitRefIter::from_bytes(&data, reader.repo.object_hash())
                .tree_id()
                .map_err(|e| e.to_string())
        })?;
        if let Ok(mut r) = self.roots.lock() {
            r.insert(id, tree);
        }
        Ok(tree)
    }

    /// The entries of `tree` named by the first segment of each wanted path: from what was
    /// asked of this tree before, or from one read of it. Asked `few` files, what is found is
    /// remembered for the rest of the run; asked many at once, each tree is asked once and its
    /// answers are not kept (holding one per file asked cost 15 MB at 170,000 files).
    fn look_in(&self, tree: gix::ObjectId, wanted: Vec<(usize, String)>, few: bool) -> Answers {
        let first = |path: &str| path.split_once('/').map_or(path, |(f, _)| f).to_string();
        if !few {
            fn name(p: &str) -> &[u8] {
                p.split_once('/').map_or(p, |(f, _)| f).as_bytes()
            }
            let found: Vec<Result<Option<Entry>, String>> = {
                let names: rustc_hash::FxHashSet<&[u8]> =
                    wanted.iter().map(|(_, p)| name(p)).collect();
                let read = self.read_tree(tree, |n| names.contains(n));
                wanted
                    .iter()
                    .map(|(_, p)| match &read {
                        Ok(r) => Ok(r.get(name(p)).copied()),
                        Err(e) => Err(e.clone()),
                    })
                    .collect()
            };
            return wanted
                .into_iter()
                .zip(found)
                .map(|((i, p), entry)| (i, p, entry))
                .collect();
        }
        // A tree asked of one file at a time is kept whole among the last few read.
        if let Some(all) = self.whole(tree) {
            return wanted
                .into_iter()
                .map(|(i, p)| {
                    let entry = all.get(first(&p).as_bytes()).copied();
                    (i, p, entry.map_or(Ok(None), |e| Ok(Some(e))))
                })
                .collect();
        }
        let mut answers: Vec<Option<Option<Entry>>> = match self.entries.lock() {
            Ok(known) => wanted
                .iter()
                .map(|(_, p)| known.get(&(tree, first(p))).copied())
                .collect(),
            Err(_) => vec![None; wanted.len()],
        };
        if answers.iter().any(Option::is_none) {
            let names: rustc_hash::FxHashSet<&[u8]> = wanted
                .iter()
                .map(|(_, p)| p.split_once('/').map_or(p.as_str(), |(f, _)| f).as_bytes())
                .collect();
            let read = self.read_tree(tree, |name| names.contains(name));
            let read = match read {
                Ok(r) => r,
                Err(e) => {
                    return wanted
                        .into_iter()
                        .map(|(i, p)| (i, p, Err(e.clone())))
                        .collect()
                }
            };
            let mut known = self.entries.lock().ok();
            for ((_, p), answer) in wanted.iter().zip(answers.iter_mut()) {
                let name = first(p);
                let entry = read.get(name.as_bytes()).copied();
                if let Some(k) = known.as_mut() {
                    k.insert((tree, name), entry);
                }
                *answer = Some(entry);
            }
        }
        wanted
            .into_iter()
            .zip(answers)
            .map(|((i, p), a)| (i, p, Ok(a.flatten())))
            .collect()
    }

    /// The bytes of a file's content.
    pub fn blob(&self, id: &BlobId) -> Result<Vec<u8>, String> {
        self.reading(|reader| {
            let id = gix::ObjectId::Sha1(id.0);
            let mut data = Vec::new();
            match reader.find(&id, &mut data)? {
                Some(_) => Ok(data),
                None => Err(format!("the object {id} is missing")),
            }
        })
    }

    /// For each file under the folders `under` (relative to the originals' root), the newest
    /// commit of HEAD's history that changed it, leaving out commits whose subject holds one of
    /// `ignore`, and the renames met on the way. One walk of the history, newest first; the
    /// commits' trees are compared on every thread, then folded in order.
    ///
    /// A merge counts as changing a path only when the path differs from every parent (a file
    /// a branch changed is that branch's commit's, as `git log` simplifies history). A file
    /// moved without a change to its bytes (or, in a commit with few files added and removed,
    /// moved with a small change) keeps its history: the commits that changed it under its
    /// old name count as changes of the file under its new one.
    ///
    /// Under the folders `recorded` (the originals'), every commit's changes from its first
    /// parent are kept too, with each file's content after them, so that a file's content at any
    /// commit walked can be told without reading a tree (see [`Walk::content_at`]).
    ///
    /// Files moved in from outside those folders are followed when their names end as a page's
    /// may (`pages`: `.md`, `.mdx`; every file when empty): an image moved into a page's folder
    /// has no history worth following.
    pub fn last_changes(
        &self,
        under: &[String],
        recorded: &[String],
        ignore: &[String],
        pages: &[String],
        since: Option<&str>,
    ) -> Result<Walk, String> {
        use rayon::prelude::*;
        let prefix = if self.prefix.is_empty() {
            String::new()
        } else {
            format!("{}/", self.prefix)
        };
        let folders = |of: &[String]| {
            Scope::folders(
                of.iter()
                    .map(|u| format!("{prefix}{u}").trim_end_matches('/').to_string())
                    .collect(),
            )
        };
        let mut scope = std::sync::Arc::new(folders(under));
        let known: Alike = Default::default();
        let kept = folders(recorded);
        let ignore: Vec<String> = ignore.iter().map(|w| w.to_lowercase()).collect();
        self.start_afresh(PACK_CACHE_BYTES);
        let commits = self.with(|repo| self.commits(repo, since, &ignore))?;
        // A path under the originals' root is known relative to it; one outside it (a file
        // moved in from there) by its place in the repository, after a `/`.
        let strip = |p: &str| match p.strip_prefix(&prefix) {
            Some(inside) => inside.to_string(),
            None if prefix.is_empty() => p.to_string(),
            None => format!("/{p}"),
        };
        let mut walk = Walk {
            recorded: recorded.to_vec(),
            tip: Some(BlobId::of(
                gix::ObjectId::from_hex(self.head.as_bytes()).map_err(|e| e.to_string())?,
            )),
            ..Walk::default()
        };
        // Where a path met in the walk is now: a file renamed is known by its newest name.
        let mut lineage: std::collections::HashMap<String, String> = Default::default();
        // A window of commits at a time is compared on every thread, then folded in order:
        // only that window's changes are held at once. Files moved into the scope from
        // outside it widen it, for the older commits (compared again from the one after).
        let mut start = 0;
        while start < commits.len() {
            let window = &commits[start..(start + WALK_WINDOW).min(commits.len())];
            let diffs = self.window_diffs(window, &scope)?;
            let changes: Vec<CommitChanges> = window
                .par_iter()
                .zip(diffs)
                .with_min_len(16)
                .map(|(c, diff)| {
                    self.reading(|reader| {
                        commit_changes(reader, c, diff, &scope, &kept, pages, &known)
                    })
                })
                .collect::<Result<_, String>>()?;
            // The first commit with files moved in from outside the scope, and every name
            // outside it that files of this window were moved from, from that commit on: the
            // scope is widened by all of them at once (a migration of one page per commit
            // would otherwise compare the window again for each).
            let outside: Vec<(usize, String)> = changes
                .iter()
                .enumerate()
                .flat_map(|(k, (changed, _))| {
                    changed
                        .iter()
                        .filter_map(|c| c.renamed_from.clone())
                        .filter(|f| !scope.holds(f))
                        .map(move |f| (k, f))
                })
                .collect();
            let first_outside = outside.first().map(|(k, _)| *k);
            let mut next = start + window.len();
            for (k, (commit, (changed, contents))) in window.iter().zip(changes).enumerate() {
                // Places in `graph`, which holds the commits oldest first.
                let place = (commits.len() - 1 - (start + k)) as u32;
                for (path, content) in contents {
                    walk.versions
                        .entry(strip(&path))
                        .or_default()
                        .push((place, content));
                }
                let id = commit.id.to_string();
                for change in changed {
                    let path = strip(&change.path);
                    let now = lineage.get(&path).cloned().unwrap_or_else(|| path.clone());
                    if let Some(from) = &change.renamed_from {
                        let old = strip(from);
                        walk.renamed_from.entry(path.clone()).or_insert(old.clone());
                        walk.moved.entry(old.clone()).or_insert(now.clone());
                        lineage.entry(old).or_insert(now.clone());
                        if !change.edited {
                            continue;
                        }
                    }
                    if !commit.ignored {
                        if !walk.last.contains_key(&now) {
                            let c = walk.commit(&id);
                            walk.last.insert(now, c);
                        }
                    } else if !walk.last.contains_key(&now) && !walk.touched.contains_key(&now) {
                        let c = walk.commit(&id);
                        walk.touched.insert(now, c);
                    }
                }
                if first_outside == Some(k) {
                    // The older commits are compared again with the names moved from.
                    scope = std::sync::Arc::new(
                        std::sync::Arc::unwrap_or_clone(scope)
                            .widened(outside.into_iter().map(|(_, f)| f)),
                    );
                    walk.widened = true;
                    next = start + k + 1;
                    break;
                }
            }
            start = next;
        }
        walk.graph = commits
            .iter()
            .rev()
            .map(|c| (BlobId::of(c.id), c.first_parent.map(BlobId::of)))
            .collect();
        // The handles' caches hold what the walk decoded (tens of MB each); what is read next
        // (the versions of originals) is elsewhere in the pack.
        self.release();
        Ok(walk)
    }

    /// HEAD's history newest first (without what `since` holds), each commit with its tree,
    /// its parents' trees, and whether its subject holds an ignored word.
    fn commits(
        &self,
        repo: &gix::Repository,
        since: Option<&str>,
        ignore: &[String],
    ) -> Result<Vec<Commit>, String> {
        let head = gix::ObjectId::from_hex(self.head.as_bytes()).map_err(|e| e.to_string())?;
        let hidden: Vec<gix::ObjectId> = since
            .and_then(|s| gix::ObjectId::from_hex(s.as_bytes()).ok())
            .into_iter()
            .collect();
        // The walk reads each commit when it meets it as a parent (for its date) and again
        // when it takes it (for its parents), and its message and tree are read here: kept
        // for those last two, it is inflated once.
        let mut repo = repo.clone();
        repo.object_cache_size(COMMITS_KEPT_BYTES);
        let repo = &repo;
        let walk = repo
            .rev_walk([head])
            .with_hidden(hidden)
            .sorting(gix::revision::walk::Sorting::ByCommitTime(
                gix::revision::walk::CommitTimeOrder::NewestFirst,
            ))
            .all()
            .map_err(|e| e.to_string())?;
        let tree_of = |id: gix::ObjectId| -> Result<gix::ObjectId, String> {
            let commit = repo.find_commit(id).map_err(|e| e.to_string())?;
            Ok(commit.tree_id().map_err(|e| e.to_string())?.detach())
        };
        let mut out = Vec::new();
        let mut parent_ids = Vec::new();
        for info in walk {
            let info = info.map_err(|e| e.to_string())?;
            let commit = repo.find_commit(info.id).map_err(|e| e.to_string())?;
            let message = commit.message_raw_sloppy();
            let subject = message
                .split(|&b| b == b'\n')
                .next()
                .map(|s| String::from_utf8_lossy(s).to_lowercase())
                .unwrap_or_default();
            let ignored = ignore.iter().any(|w| subject.contains(w.as_str()));
            let tree = commit.tree_id().map_err(|e| e.to_string())?.detach();
            out.push(Commit {
                id: info.id,
                first_parent: info.parent_ids.first().copied(),
                tree,
                parents: Vec::new(),
                ignored,
            });
            parent_ids.push(info.parent_ids);
        }
        // The parents' trees: those of commits walked are known (not read again).
        let trees: FxHashMap<gix::ObjectId, gix::ObjectId> =
            out.iter().map(|c| (c.id, c.tree)).collect();
        for (commit, parents) in out.iter_mut().zip(parent_ids) {
            commit.parents = parents
                .iter()
                .map(|p| trees.get(p).copied().map_or_else(|| tree_of(*p), Ok))
                .collect::<Result<Vec<_>, _>>()?;
        }
        Ok(out)
    }

    /// The work tree's folder, for messages.
    pub fn workdir(&self) -> &Path {
        &self.workdir
    }
}

/// What a walk of the history found: each file's last counted commit (by the file's name
/// at HEAD), and the renames it met. Commits are named once, in `commits`; each file holds
/// the place of its commit there.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct Walk {
    /// The commits the files name, in full hex.
    commits: Vec<String>,
    last: FxHashMap<String, u32>,
    /// Files whose newest change is in a commit that does not count: that commit.
    touched: FxHashMap<String, u32>,
    /// A file's name before a rename, by its name after it.
    pub renamed_from: FxHashMap<String, String>,
    /// A name a file had before a rename, and the file's name at HEAD.
    pub moved: FxHashMap<String, String>,
    /// For a few earlier HEADs this walk was extended from, the files whose entries the
    /// commits made since may have changed (sorted): what was judged at such a HEAD stands
    /// for every other file.
    since: Vec<(String, Vec<String>)>,
    /// Every commit walked, oldest first, with its first parent (none for a root commit).
    graph: Vec<(BlobId, Option<BlobId>)>,
    /// The HEAD walked from (the last extension's).
    tip: Option<BlobId>,
    /// The folders (under the originals' root) whose files' contents are kept in `versions`.
    recorded: Vec<String>,
    /// For each file in those folders, each commit of `graph` (by its place there) whose
    /// changes from its first parent hold the file, with its content after them.
    versions: FxHashMap<String, Vec<(u32, Content)>>,
    /// `graph` as looked up: made when first asked.
    #[serde(skip)]
    lineage: std::sync::OnceLock<Lineage>,
    /// Files were moved into the walk's folders from outside them (so a walk of earlier
    /// commits, made without them, cannot be extended by this one).
    #[serde(skip)]
    pub widened: bool,
}

/// A file's content after a commit's changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
enum Content {
    File(BlobId),
    Absent,
    /// Not told by the changes (a file that became a folder, or the other way round).
    Unknown,
}

/// The walk's commits as they are looked up: each one's place, its first parent's, and its
/// place on HEAD's first-parent line.
#[derive(Debug, Clone, Default)]
struct Lineage {
    place: FxHashMap<BlobId, u32>,
    /// Each commit's first parent: its place, `ROOT` for none, `UNWALKED` for one not walked.
    parent: Vec<u32>,
    /// How many first parents away from HEAD each commit is, `OFF_LINE` when HEAD's first
    /// parents do not lead to it.
    line: Vec<u32>,
    /// Whether HEAD's first parents lead to a root commit (the whole line was walked).
    line_whole: bool,
}

const ROOT: u32 = u32::MAX;
const UNWALKED: u32 = u32::MAX - 1;
const OFF_LINE: u32 = u32::MAX;

/// How many first parents a look-up follows off HEAD's line before it gives up (a side
/// branch is rarely longer; past this, the tree is read instead).
const OFF_LINE_STEPS: usize = 10_000;

impl Lineage {
    fn of(graph: &[(BlobId, Option<BlobId>)], tip: Option<BlobId>) -> Lineage {
        let place: FxHashMap<BlobId, u32> = graph
            .iter()
            .enumerate()
            .map(|(i, (id, _))| (*id, i as u32))
            .collect();
        let parent: Vec<u32> = graph
            .iter()
            .map(|(_, p)| match p {
                None => ROOT,
                Some(p) => place.get(p).copied().unwrap_or(UNWALKED),
            })
            .collect();
        let mut line = vec![OFF_LINE; graph.len()];
        let mut line_whole = false;
        let mut at = tip.and_then(|t| place.get(&t).copied());
        let mut distance = 0u32;
        while let Some(i) = at {
            if line[i as usize] != OFF_LINE {
                break; // a cycle: not a history
            }
            line[i as usize] = distance;
            distance += 1;
            at = match parent[i as usize] {
                ROOT => {
                    line_whole = true;
                    None
                }
                UNWALKED => None,
                p => Some(p),
            };
        }
        Lineage {
            place,
            parent,
            line,
            line_whole,
        }
    }
}

/// How many earlier HEADs a walk remembers what changed since, and how many files a change
/// since one of them may name before it is forgotten (a pairing that many files need is
/// done whole anyway).
const SINCE_HEADS: usize = 8;
const SINCE_FILES: usize = 4096;

impl Walk {
    /// The last counted commit that changed the file at `path`.
    pub fn last(&self, path: &str) -> Option<&str> {
        self.last
            .get(path)
            .map(|&c| self.commits[c as usize].as_str())
    }

    /// Each file with its last counted commit.
    pub fn lasts(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.last
            .iter()
            .map(|(p, &c)| (p.as_str(), self.commits[c as usize].as_str()))
    }

    /// Each file whose newest change does not count, with that change's commit.
    pub fn touches(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.touched
            .iter()
            .map(|(p, &c)| (p.as_str(), self.commits[c as usize].as_str()))
    }

    /// The content of the file at `path` (under the originals' root) in `commit`, from the
    /// commits walked: `Some(None)` when there was no file there, `None` when the walk cannot
    /// tell (a commit not walked, a file outside the recorded folders, a line of first parents
    /// that leaves the walk). Exact: the content at a commit is the content after the nearest
    /// commit on its line of first parents whose changes from its own first parent hold the
    /// file (a root commit's hold every file it has).
    pub fn content_at(&self, commit: &str, path: &str) -> Option<Option<BlobId>> {
        if path.starts_with('/') {
            return None; // outside the originals' root: not recorded
        }
        let inside = |folder: &String| {
            let folder = folder.trim_end_matches('/');
            folder.is_empty()
                || path
                    .strip_prefix(folder)
                    .is_some_and(|rest| rest.starts_with('/'))
        };
        if !self.recorded.iter().any(inside) {
            return None;
        }
        let id = BlobId::of(gix::ObjectId::from_hex(commit.as_bytes()).ok()?);
        let lineage = self
            .lineage
            .get_or_init(|| Lineage::of(&self.graph, self.tip));
        let changes: &[(u32, Content)] = self.versions.get(path).map_or(&[], Vec::as_slice);
        let told = |c: Content| match c {
            Content::File(b) => Some(Some(b)),
            Content::Absent => Some(None),
            Content::Unknown => None,
        };
        let mut at = *lineage.place.get(&id)?;
        for _ in 0..OFF_LINE_STEPS {
            let distance = lineage.line[at as usize];
            if distance != OFF_LINE {
                // On HEAD's line: the nearest change at or behind this commit on it.
                let nearest = changes
                    .iter()
                    .filter_map(|&(c, content)| {
                        let d = lineage.line[c as usize];
                        (d != OFF_LINE && d >= distance).then_some((d, content))
                    })
                    .min_by_key(|&(d, _)| d);
                return match nearest {
                    Some((_, content)) => told(content),
                    None if lineage.line_whole => Some(None),
                    None => None,
                };
            }
            if let Some(&(_, content)) = changes.iter().find(|&&(c, _)| c == at) {
                return told(content);
            }
            at = match lineage.parent[at as usize] {
                ROOT => return Some(None),
                UNWALKED => return None,
                p => p,
            };
        }
        None
    }

    /// Whether commit `a` is `b` or one of its first parents, when both are on HEAD's line of
    /// first parents (`None` when either is not, or was not walked).
    pub fn not_later(&self, a: &str, b: &str) -> Option<bool> {
        let lineage = self
            .lineage
            .get_or_init(|| Lineage::of(&self.graph, self.tip));
        let distance = |c: &str| {
            let id = BlobId::of(gix::ObjectId::from_hex(c.as_bytes()).ok()?);
            let d = lineage.line[*lineage.place.get(&id)? as usize];
            (d != OFF_LINE).then_some(d)
        };
        Some(distance(a)? >= distance(b)?)
    }

    /// The place of `commit` in `commits` (added if new).
    fn commit(&mut self, commit: &str) -> u32 {
        if self.commits.last().is_some_and(|c| c == commit) {
            return (self.commits.len() - 1) as u32;
        }
        self.commits.push(commit.to_string());
        (self.commits.len() - 1) as u32
    }

    /// The files whose entries may differ from those of the walk at `head` (an earlier HEAD
    /// this walk was extended from), when it is known.
    pub fn changed_since(&self, head: &str) -> Option<&[String]> {
        self.since
            .iter()
            .find(|(h, _)| h == head)
            .map(|(_, files)| files.as_slice())
    }

    /// Every file whose entry this walk sets: changed or touched by its commits, or renamed.
    fn files(&self) -> Vec<String> {
        let mut files: Vec<String> = self
            .last
            .keys()
            .chain(self.touched.keys())
            .chain(self.renamed_from.iter().flat_map(|(a, b)| [a, b]))
            .chain(self.moved.iter().flat_map(|(a, b)| [a, b]))
            .cloned()
            .collect();
        files.sort_unstable();
        files.dedup();
        files
    }

    /// This walk, made at `head`, extended by `newer`, a walk of the commits made since: what
    /// the new commits changed is theirs; a file they renamed keeps what this walk knew of it.
    pub fn extend(mut self, head: &str, newer: Walk) -> Walk {
        let changed = newer.files();
        let mut since = std::mem::take(&mut self.since);
        for (_, files) in &mut since {
            files.extend(changed.iter().cloned());
            files.sort_unstable();
            files.dedup();
        }
        since.insert(0, (head.to_string(), changed));
        since.retain(|(_, files)| files.len() <= SINCE_FILES);
        since.truncate(SINCE_HEADS);
        self.since = since;
        // The newer walk's commits (all made since) go after this one's.
        let offset = self.commits.len() as u32;
        self.commits.extend(newer.commits);
        for path in newer.last.keys() {
            self.touched.remove(path);
        }
        for (path, c) in newer.touched {
            self.touched.insert(path, c + offset);
        }
        let mut last: FxHashMap<String, u32> = newer
            .last
            .into_iter()
            .map(|(path, c)| (path, c + offset))
            .collect();
        for (old, now) in &newer.moved {
            if let Some(&c) = self.last.get(old) {
                last.entry(now.clone()).or_insert(c);
            }
        }
        self.last.extend(last);
        self.renamed_from.extend(newer.renamed_from);
        self.moved.extend(newer.moved);
        // The newer commits go after these in the graph (which is oldest first).
        let offset = self.graph.len() as u32;
        self.graph.extend(newer.graph);
        for (path, changes) in newer.versions {
            self.versions.entry(path).or_default().extend(
                changes
                    .into_iter()
                    .map(|(c, content)| (c + offset, content)),
            );
        }
        self.tip = newer.tip;
        self.lineage = Default::default();
        self
    }
}

/// A commit of the walk, with its tree and its parents' trees.
struct Commit {
    id: gix::ObjectId,
    first_parent: Option<gix::ObjectId>,
    tree: gix::ObjectId,
    parents: Vec<gix::ObjectId>,
    ignored: bool,
}

/// A file a commit changed.
#[derive(Debug)]
struct Change {
    path: String,
    /// The file was moved here from this path.
    renamed_from: Option<String>,
    /// Its bytes changed (always, unless it was only moved).
    edited: bool,
}

/// Files that differ between two trees: path, id after, id before.
type Differences = Vec<(String, Option<gix::ObjectId>, Option<gix::ObjectId>)>;

/// At most this many files added and as many removed in one commit are compared each with
/// each for a move with changes (each pair costs a comparison of their texts).
const INEXACT_RENAMES: usize = 16;

/// How alike two texts (removed, added) were found in a walk: none when either could not be
/// read.
type Alike = std::sync::Mutex<FxHashMap<(gix::ObjectId, gix::ObjectId), Option<f32>>>;

/// In a commit that adds and removes more, a file added is compared only with the files
/// removed that have its name (a folder reorganised, its links fixed), at most this many
/// comparisons in all.
const SAME_NAME_COMPARISONS: usize = 4096;

/// How many files of its name (the nearest by path) a file added is compared with.
const SAME_NAME_CANDIDATES: usize = 4;

/// What a commit changed: the files inside the walk's scope (with renames), and the files
/// inside the recorded folders that differ from its first parent, with their content after.
type CommitChanges = (Vec<Change>, Vec<(String, Content)>);

/// The files that `commit` changed, from `diff`, its differences from its first parent inside
/// the walk's scope: with its renames; and those inside `kept`, with their content in `commit`.
fn commit_changes(
    reader: &mut Reader,
    commit: &Commit,
    mut diff: Differences,
    scope: &std::sync::Arc<Scope>,
    kept: &Scope,
    pages: &[String],
    known: &Alike,
) -> Result<CommitChanges, String> {
    let contents: Vec<(String, Content)> = diff
        .iter()
        .filter(|(path, _, _)| kept.holds(path))
        .map(|(path, new, old)| {
            let content = match (new, old) {
                (Some(id), _) => Content::File(BlobId::of(*id)),
                (None, Some(_)) => Content::Absent,
                // A file replaced by a folder or the other way round: told by reading the tree.
                (None, None) => Content::Unknown,
            };
            (path.clone(), content)
        })
        .collect();
    if commit.parents.len() > 1 {
        // A merge changed only what differs from every parent: compare the other parents on
        // the paths the first one gives alone.
        for parent in &commit.parents[1..] {
            if diff.is_empty() {
                break;
            }
            let only = Scope::paths(diff.iter().map(|d| d.0.clone()).collect());
            let mut other = Vec::new();
            diff_trees(
                reader,
                Some(commit.tree),
                Some(*parent),
                "",
                &only,
                &mut other,
            )?;
            let differ: std::collections::HashSet<&str> =
                other.iter().map(|d| d.0.as_str()).collect();
            diff.retain(|d| differ.contains(d.0.as_str()));
        }
        let changes = diff
            .into_iter()
            .map(|(path, _, _)| Change {
                path,
                renamed_from: None,
                edited: true,
            })
            .collect();
        return Ok((changes, contents));
    }
    // Files added that may be pages, which may have been moved in from outside the scope.
    let is_page = |path: &str| pages.is_empty() || pages.iter().any(|e| path.ends_with(e.as_str()));
    let added: FxHashMap<String, gix::ObjectId> = diff
        .iter()
        .filter_map(|(path, new, old)| match (new, old) {
            (Some(new), None) if is_page(path) => Some((path.clone(), *new)),
            _ => None,
        })
        .collect();
    let mut changes = with_renames(reader, diff, known);
    if let Some(&parent) = commit.parents.first() {
        moved_in(
            reader,
            commit.tree,
            parent,
            scope,
            &added,
            &mut changes,
            known,
        )?;
    }
    // A file moved away is no change of its own: its old name's history is the new one's
    // (left in, it would count as a change of the file under its new name whenever the old
    // name came after the new one in the commit's order).
    let moved_from: std::collections::HashSet<String> = changes
        .iter()
        .filter_map(|c| c.renamed_from.clone())
        .collect();
    changes.retain(|c| c.renamed_from.is_some() || !moved_from.contains(&c.path));
    Ok((changes, contents))
}

/// Files added inside the scope that no file of the scope was moved to: paired with files
/// removed outside it with the same content, moved in as they were (a site moved into a folder
/// of its repository, a folder of pages renamed). Only then is the whole commit compared.
fn moved_in(
    reader: &mut Reader,
    tree: gix::ObjectId,
    parent: gix::ObjectId,
    scope: &std::sync::Arc<Scope>,
    added: &FxHashMap<String, gix::ObjectId>,
    changes: &mut [Change],
    known: &Alike,
) -> Result<(), String> {
    let unmatched: Vec<(usize, gix::ObjectId)> = changes
        .iter()
        .enumerate()
        .filter(|(_, c)| c.renamed_from.is_none())
        .filter_map(|(i, c)| Some((i, *added.get(&c.path)?)))
        .collect();
    if unmatched.is_empty() {
        return Ok(());
    }
    // Only the folders the scope does not cover whole are compared (most commits that add
    // a page change nothing outside it: the root folder is read, and no other).
    let mut outside = Vec::new();
    let elsewhere = Scope::Outside(scope.clone());
    diff_trees(
        reader,
        Some(tree),
        Some(parent),
        "",
        &elsewhere,
        &mut outside,
    )?;
    // Removed outside, in the order found (git's tree order).
    let removed: Vec<(String, gix::ObjectId)> = outside
        .into_iter()
        .filter_map(|(path, new, old)| match (new, old) {
            (None, Some(old)) => Some((path, old)),
            _ => None,
        })
        .collect();
    if removed.is_empty() {
        return Ok(());
    }
    // Each content removed: its files, by their place in `removed`.
    let mut gone: FxHashMap<gix::ObjectId, Vec<usize>> = Default::default();
    for (at, (_, id)) in removed.iter().enumerate() {
        gone.entry(*id).or_default().push(at);
    }
    let mut taken = vec![false; removed.len()];
    let mut still = Vec::new();
    for (i, id) in unmatched {
        let change = &mut changes[i];
        let Some(from) = gone.get_mut(&id).filter(|f| !f.is_empty()) else {
            still.push((i, change.path.clone(), id));
            continue;
        };
        // Of files alike, the one whose path this one ends with (`docs/a.md` for
        // `website/docs/a.md`), else one of the same name, else any.
        let path = |r: &usize| removed[*r].0.as_str();
        let at = from
            .iter()
            .position(|r| change.path.ends_with(&format!("/{}", path(r))))
            .or_else(|| {
                from.iter()
                    .position(|r| file_name(path(r)) == file_name(&change.path))
            })
            .unwrap_or(0);
        let r = from.swap_remove(at);
        taken[r] = true;
        change.renamed_from = Some(removed[r].0.clone());
        change.edited = false;
    }
    // Moved in with a change: a file of the same name, its text mostly the same (files added
    // here are not compared with every file removed elsewhere in the repository).
    let left: Vec<(String, gix::ObjectId)> = removed
        .into_iter()
        .zip(taken)
        .filter_map(|(r, taken)| (!taken).then_some(r))
        .collect();
    for (i, from) in pair_alike(reader, &still, left, true, known) {
        changes[i].renamed_from = Some(from);
    }
    Ok(())
}

/// The last segment of a path.
fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Files added (by any index, with their paths) paired with files removed whose texts are at
/// least half the same: each added file in turn takes the most alike removed file left. Among
/// a few, each with each (unless `by_name`); among more, each with those of its own name.
fn pair_alike(
    reader: &mut Reader,
    added: &[(usize, String, gix::ObjectId)],
    removed: Vec<(String, gix::ObjectId)>,
    by_name: bool,
    known: &Alike,
) -> Vec<(usize, String)> {
    if added.is_empty() || removed.is_empty() {
        return Vec::new();
    }
    let mut text = |id: gix::ObjectId| {
        let mut buf = Vec::new();
        reader.find(&id, &mut buf).ok().flatten()?;
        Some(String::from_utf8_lossy(&buf).into_owned())
    };
    let alike = |old: &str, new: &str| similar::TextDiff::from_lines(old, new).ratio();
    let mut pairs = Vec::new();
    if !by_name && added.len() <= INEXACT_RENAMES && removed.len() <= INEXACT_RENAMES {
        // Texts are read when a comparison is not known already (a window of commits compared
        // again after the walk widened compares the same pairs again).
        let mut free: Vec<(String, gix::ObjectId, Option<Option<String>>)> =
            removed.into_iter().map(|(p, o)| (p, o, None)).collect();
        for (at, _, id) in added {
            let mut new: Option<Option<String>> = None;
            let mut best: Option<(usize, f32)> = None;
            for (i, (_, old_id, old)) in free.iter_mut().enumerate() {
                let pair = (*old_id, *id);
                let known_ratio = known.lock().ok().and_then(|k| k.get(&pair).copied());
                let ratio = match known_ratio {
                    Some(r) => r,
                    None => {
                        let new = new.get_or_insert_with(|| text(*id)).as_deref();
                        let old = old.get_or_insert_with(|| text(*old_id)).as_deref();
                        let r = old.zip(new).map(|(old, new)| alike(old, new));
                        if let Ok(mut k) = known.lock() {
                            k.insert(pair, r);
                        }
                        r
                    }
                };
                // The most alike, the last of equals (as `max_by` gives).
                if let Some(r) = ratio.filter(|r| *r >= 0.5) {
                    if best.is_none_or(|(_, b)| r.total_cmp(&b) != std::cmp::Ordering::Less) {
                        best = Some((i, r));
                    }
                }
            }
            if let Some((i, _)) = best {
                let (from, _, _) = free.swap_remove(i);
                pairs.push((*at, from));
            }
        }
        return pairs;
    }
    // Among many, texts are compared by their lines' digests (the share of lines both have,
    // in any order; blank lines, which any two texts share, left out): a diff of two long
    // texts that differ much costs far more.
    let lines = |text: &str| {
        use std::hash::{BuildHasher, Hasher};
        let mut digests: Vec<u64> = text
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| {
                let mut h = rustc_hash::FxBuildHasher.build_hasher();
                h.write(line.as_bytes());
                h.finish()
            })
            .collect();
        digests.sort_unstable();
        digests
    };
    let shared = |a: &[u64], b: &[u64]| {
        let (mut i, mut j, mut both) = (0, 0, 0usize);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    both += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        let all = a.len() + b.len();
        if all == 0 {
            1.0
        } else {
            (2 * both) as f32 / all as f32
        }
    };
    let mut named: FxHashMap<&str, Vec<usize>> = Default::default();
    for (i, (p, _)) in removed.iter().enumerate() {
        named.entry(file_name(p)).or_default().push(i);
    }
    let mut texts: Vec<Option<Option<Vec<u64>>>> = vec![None; removed.len()];
    let mut taken = vec![false; removed.len()];
    let mut compared = 0;
    for (at, path, id) in added {
        let Some(candidates) = named.get(file_name(path)) else {
            continue;
        };
        let Some(new) = text(*id).map(|t| lines(&t)) else {
            continue;
        };
        // The few of its name whose paths end most like its own (`a/index.md` for
        // `x/a/index.md` before `b/index.md`), then begin most like it.
        let tail = |p: &str| {
            p.rsplit('/')
                .zip(path.rsplit('/'))
                .take_while(|(a, b)| a == b)
                .count()
        };
        let head = |p: &str| common_prefix(p.as_bytes(), path.as_bytes());
        let mut nearest: Vec<usize> = candidates.iter().copied().filter(|&i| !taken[i]).collect();
        nearest.sort_by_key(|&i| {
            let p = removed[i].0.as_str();
            (std::cmp::Reverse(tail(p)), std::cmp::Reverse(head(p)), i)
        });
        nearest.truncate(SAME_NAME_CANDIDATES);
        let mut best: Option<(usize, f32)> = None;
        for i in nearest {
            if compared >= SAME_NAME_COMPARISONS {
                break;
            }
            compared += 1;
            let old = texts[i].get_or_insert_with(|| text(removed[i].1).map(|t| lines(&t)));
            let Some(old) = old.as_deref() else {
                continue;
            };
            let ratio = shared(old, &new);
            if ratio >= 0.5 && best.is_none_or(|(_, r)| ratio > r) {
                best = Some((i, ratio));
            }
        }
        if let Some((i, _)) = best {
            taken[i] = true;
            pairs.push((*at, removed[i].0.clone()));
        }
    }
    pairs
}

/// The changes of a commit, with files removed at one path and added at another paired as
/// renames: same id (moved as they were), or, among a few, texts mostly the same.
fn with_renames(reader: &mut Reader, diff: Differences, known: &Alike) -> Vec<Change> {
    let mut removed: std::collections::HashMap<gix::ObjectId, Vec<&str>> = Default::default();
    for (path, new, old) in &diff {
        if let (None, Some(old)) = (new, old) {
            removed.entry(*old).or_default().push(path);
        }
    }
    let mut taken: std::collections::HashSet<String> = Default::default();
    let mut out: Vec<Change> = Vec::new();
    let mut unmatched_added: Vec<usize> = Vec::new();
    for (path, new, old) in &diff {
        let renamed_from = match (new, old) {
            (Some(new), None) => removed
                .get_mut(new)
                .and_then(|from| from.pop())
                .map(str::to_string),
            _ => None,
        };
        if let Some(from) = &renamed_from {
            taken.insert(from.clone());
        } else if new.is_some() && old.is_none() {
            unmatched_added.push(out.len());
        }
        let edited = renamed_from.is_none();
        out.push(Change {
            path: path.clone(),
            renamed_from,
            edited,
        });
    }
    let unmatched_removed: Vec<(String, gix::ObjectId)> = diff
        .iter()
        .filter_map(|(p, n, o)| match (n, o) {
            (None, Some(o)) if !taken.contains(p) => Some((p.clone(), *o)),
            _ => None,
        })
        .collect();
    let ids: std::collections::HashMap<&str, gix::ObjectId> = diff
        .iter()
        .filter_map(|(p, n, _)| n.map(|n| (p.as_str(), n)))
        .collect();
    let added: Vec<(usize, String, gix::ObjectId)> = unmatched_added
        .into_iter()
        .filter_map(|at| {
            let path = out[at].path.clone();
            let id = *ids.get(path.as_str())?;
            Some((at, path, id))
        })
        .collect();
    for (at, from) in pair_alike(reader, &added, unmatched_removed, false, known) {
        out[at].renamed_from = Some(from);
    }
    out
}

/// What a comparison of two versions of a folder found, in the order a comparison that goes
/// into each folder as it meets it gives (git's tree order): the `at`th entry of the merged
/// entries (so that the changes found level by level can be put back in that order).
enum Found {
    /// A sub-folder that differs and leads into the scope: its tree on each side.
    Folder {
        at: u32,
        path: String,
        new: Option<gix::ObjectId>,
        old: Option<gix::ObjectId>,
    },
    /// A file in the scope that differs: its content on each side. (`None` on both: a file
    /// on one side where the other has a folder of its name, given after that folder's
    /// changes.)
    File {
        at: u32,
        path: String,
        new: Option<gix::ObjectId>,
        old: Option<gix::ObjectId>,
    },
}

/// The entries of two versions of one folder (`base`), merged in git's tree order, each
/// difference inside the scope given to `found`. Equal entries (an unchanged sub-folder is
/// one) are passed over without being read.
fn compare_folder(
    new: &[u8],
    old: &[u8],
    kind: gix::hash::Kind,
    base: &str,
    scope: &Scope,
    mut found: impl FnMut(Found) -> Result<(), String>,
) -> Result<(), String> {
    use std::cmp::Ordering;
    let hash_len = kind.len_in_bytes();
    // The length of the entry at `at` (`mode name\0id`), when one starts there.
    fn length(data: &[u8], at: usize, hash_len: usize) -> Option<usize> {
        let rest = data.get(at..)?;
        memchr::memchr(0, rest)
            .map(|nul| nul + 1 + hash_len)
            .filter(|&n| n <= rest.len())
    }
    // The entry at `at`, read by the git library, and its length.
    fn entry(
        data: &[u8],
        at: usize,
        kind: gix::hash::Kind,
    ) -> Result<Option<(gix::objs::tree::EntryRef<'_>, usize)>, String> {
        if at >= data.len() {
            return Ok(None);
        }
        let n =
            length(data, at, kind.len_in_bytes()).ok_or("a tree ends in the middle of an entry")?;
        let mut iter = gix::objs::TreeRefIter::from_bytes(&data[at..at + n], kind);
        match iter.next() {
            Some(Ok(e)) => Ok(Some((e, n))),
            Some(Err(e)) => Err(e.to_string()),
            None => Ok(None),
        }
    }
    let (mut i, mut j) = (0usize, 0usize);
    let mut at = 0u32;
    loop {
        // Entries both sides have alike (most of a folder a commit changed a few files of)
        // are passed over without being read: the bytes both have in common from here, as
        // far as whole entries go.
        let same = common_prefix(&new[i..], &old[j..]);
        let mut skip = 0;
        while let Some(n) = length(new, i + skip, hash_len).filter(|n| skip + n <= same) {
            skip += n;
        }
        i += skip;
        j += skip;
        let (a, b) = (entry(new, i, kind)?, entry(old, j, kind)?);
        let (x, y) = match (a, b) {
            (None, None) => break,
            (Some(x), None) => (Some(x), None),
            (None, Some(y)) => (None, Some(y)),
            (Some(x), Some(y)) => match x.0.cmp(&y.0) {
                Ordering::Equal => (Some(x), Some(y)),
                Ordering::Less => (Some(x), None),
                Ordering::Greater => (None, Some(y)),
            },
        };
        i += x.map_or(0, |x| x.1);
        j += y.map_or(0, |y| y.1);
        let (x, y) = (x.map(|x| x.0), y.map(|y| y.0));
        at += 1;
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
        let id = |e: Option<gix::objs::tree::EntryRef<'_>>, tree: bool| {
            e.filter(|e| e.mode.is_tree() == tree)
                .map(|e| e.oid.to_owned())
        };
        if entry.mode.is_tree() {
            // A file on the other side with the folder's name was replaced by it.
            let file = id(x, false).or(id(y, false)).is_some() && scope.holds(&path);
            if scope.looks_into(&path) {
                found(Found::Folder {
                    at,
                    path: path.clone(),
                    new: id(x, true),
                    old: id(y, true),
                })?;
            }
            if file {
                found(Found::File {
                    at,
                    path,
                    new: None,
                    old: None,
                })?;
            }
        } else if scope.holds(&path) {
            found(Found::File {
                at,
                path,
                new: id(x, false),
                old: id(y, false),
            })?;
        }
    }
    Ok(())
}

/// The files inside `scope` that differ between trees `new` and `old` (either may be absent),
/// looking only into the folders that lead into the scope, in git's tree order.
fn diff_trees(
    reader: &mut Reader,
    new: Option<gix::ObjectId>,
    old: Option<gix::ObjectId>,
    base: &str,
    scope: &Scope,
    out: &mut Differences,
) -> Result<(), String> {
    if new == old {
        return Ok(());
    }
    let mut read = |id: Option<gix::ObjectId>| match id {
        Some(id) => reader.tree(id, Vec::new()),
        None => Ok(Vec::new()),
    };
    let (new_tree, old_tree) = (read(new)?, read(old)?);
    compare_folder(
        &new_tree,
        &old_tree,
        reader.repo.object_hash(),
        base,
        scope,
        |found| {
            match found {
                Found::Folder { path, new, old, .. } => {
                    diff_trees(reader, new, old, &path, scope, out)?
                }
                Found::File { path, new, old, .. } => out.push((path, new, old)),
            }
            Ok(())
        },
    )
}

/// How many bytes `a` and `b` begin with alike.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let mut at = 0;
    while at + 8 <= n {
        let x = u64::from_le_bytes(a[at..at + 8].try_into().expect("8 bytes"));
        let y = u64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes"));
        if x != y {
            return at + ((x ^ y).trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while at < n && a[at] == b[at] {
        at += 1;
    }
    at
}

/// A folder's two versions to compare for one commit of a window (by its place there), with
/// where the folder lies in a depth-first comparison of the commit's trees.
struct Pending {
    commit: usize,
    key: Vec<u32>,
    new: Option<gix::ObjectId>,
    old: Option<gix::ObjectId>,
}

/// What comparing a folder's versions met: the sub-folders to compare next (by path), and the
/// files changed (by the commit's place in the window).
type Met = (Vec<(String, Pending)>, Vec<(usize, Keyed)>);

/// A file a commit of a window changed: where it lies in a depth-first comparison, its path,
/// its content after and before.
type Keyed = (
    Vec<u32>,
    String,
    Option<gix::ObjectId>,
    Option<gix::ObjectId>,
);

impl Repo {
    /// For each commit of `window`, the files inside `scope` that differ from its first
    /// parent, in git's tree order (as [`diff_trees`] gives them). Compared a level of folders
    /// at a time, each folder's versions one after another in the window's order on one thread
    /// (folders on every thread): a version of a folder is the old side of the newer commit
    /// that replaced it and the new side of the commit that made it, so it is read once for
    /// both, and what the pack holds as deltas of one another is read in turn.
    fn window_diffs(&self, window: &[Commit], scope: &Scope) -> Result<Vec<Differences>, String> {
        use rayon::prelude::*;
        let mut level: std::collections::BTreeMap<String, Vec<Pending>> = Default::default();
        for (commit, c) in window.iter().enumerate() {
            let first = c.parents.first().copied();
            if first != Some(c.tree) {
                level.entry(String::new()).or_default().push(Pending {
                    commit,
                    key: Vec::new(),
                    new: Some(c.tree),
                    old: first,
                });
            }
        }
        let mut files: Vec<Vec<Keyed>> = window.iter().map(|_| Vec::new()).collect();
        while !level.is_empty() {
            let mut folders: Vec<(String, Vec<Pending>)> =
                std::mem::take(&mut level).into_iter().collect();
            // The busiest folders first, so that no thread is left with one at the end.
            folders.sort_by_key(|(_, pending)| std::cmp::Reverse(pending.len()));
            let met: Vec<Result<Met, String>> = folders
                .into_par_iter()
                .with_max_len(1)
                .map(|(base, mut pending)| {
                    pending.sort_by_key(|p| p.commit);
                    self.reading(|reader| compare_versions(reader, &base, &pending, scope))
                })
                .collect();
            for m in met {
                let (deeper, changed) = m?;
                for (path, p) in deeper {
                    level.entry(path).or_default().push(p);
                }
                for (commit, file) in changed {
                    files[commit].push(file);
                }
            }
        }
        Ok(files
            .into_iter()
            .map(|mut changed| {
                changed.sort_unstable_by(|a, b| a.0.cmp(&b.0));
                changed
                    .into_iter()
                    .map(|(_, path, new, old)| (path, new, old))
                    .collect()
            })
            .collect())
    }
}

/// Compares the versions of the folder `base` that `pending` holds (in the window's order),
/// keeping the last old side read: it is the next commit's new side when no other commit
/// changed the folder in between.
fn compare_versions(
    reader: &mut Reader,
    base: &str,
    pending: &[Pending],
    scope: &Scope,
) -> Result<Met, String> {
    let mut deeper = Vec::new();
    let mut changed = Vec::new();
    // The last old side read, and buffers to read into (this thread's from the folders it
    // compared before: their memory, grown to hold trees, is not taken anew each time).
    let mut held: Option<(gix::ObjectId, Vec<u8>)> = None;
    let mut spare: Vec<Vec<u8>> = TREE_BUFFERS.with(|b| std::mem::take(&mut *b.borrow_mut()));
    let kind = reader.repo.object_hash();
    let mut read = |id: gix::ObjectId, buf: Vec<u8>| reader.tree(id, buf);
    for p in pending {
        let new = match (p.new, held.take()) {
            (None, h) => {
                spare.extend(h.map(|(_, b)| b));
                spare
                    .pop()
                    .map(|mut b| {
                        b.clear();
                        b
                    })
                    .unwrap_or_default()
            }
            (Some(id), Some((h, buf))) if h == id => buf,
            (Some(id), h) => {
                spare.extend(h.map(|(_, b)| b));
                read(id, spare.pop().unwrap_or_default())?
            }
        };
        let old = match p.old {
            Some(id) => read(id, spare.pop().unwrap_or_default())?,
            None => Vec::new(),
        };
        compare_folder(&new, &old, kind, base, scope, |found| {
            match found {
                Found::Folder { at, path, new, old } => {
                    let mut key = p.key.clone();
                    key.push(at);
                    deeper.push((
                        path,
                        Pending {
                            commit: p.commit,
                            key,
                            new,
                            old,
                        },
                    ));
                }
                Found::File { at, path, new, old } => {
                    let mut key = p.key.clone();
                    key.push(at);
                    // After the changes inside a folder of the same name.
                    if new.is_none() && old.is_none() {
                        key.push(u32::MAX);
                    }
                    changed.push((p.commit, (key, path, new, old)));
                }
            }
            Ok(())
        })?;
        spare.push(new);
        held = p.old.map(|id| (id, old));
    }
    spare.extend(held.map(|(_, b)| b));
    spare.truncate(TREE_BUFFERS_KEPT);
    TREE_BUFFERS.with(|b| *b.borrow_mut() = spare);
    Ok((deeper, changed))
}

/// How many buffers of trees each thread keeps between folders it compares.
const TREE_BUFFERS_KEPT: usize = 3;

thread_local! {
    /// The buffers of trees a thread read the last folder it compared into.
    static TREE_BUFFERS: std::cell::RefCell<Vec<Vec<u8>>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The part of the tree a history walk looks at (paths relative to the repository's root):
/// some folders, or some files.
#[derive(Clone)]
enum Scope {
    Folders(Vec<String>),
    Paths {
        files: std::collections::HashSet<String>,
        dirs: std::collections::HashSet<String>,
    },
    /// A scope and files moved into it from outside it (with the folders on their way).
    Widened(
        Box<Scope>,
        std::collections::HashSet<String>,
        std::collections::HashSet<String>,
    ),
    /// Everything a scope does not hold.
    Outside(std::sync::Arc<Scope>),
}

/// Whether `path` is `folder` or inside it.
fn under(path: &str, folder: &str) -> bool {
    path.strip_prefix(folder)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

impl Scope {
    fn folders(folders: Vec<String>) -> Scope {
        Scope::Folders(folders)
    }

    fn paths(files: std::collections::HashSet<String>) -> Scope {
        let dirs = Scope::dirs_of(&files);
        Scope::Paths { files, dirs }
    }

    /// The folders on the way to `files`.
    fn dirs_of(files: &std::collections::HashSet<String>) -> std::collections::HashSet<String> {
        let mut dirs = std::collections::HashSet::new();
        for f in files {
            let mut at = f.as_str();
            while let Some((dir, _)) = at.rsplit_once('/') {
                if !dirs.insert(dir.to_string()) {
                    break;
                }
                at = dir;
            }
        }
        dirs
    }

    /// This scope and the files `also`.
    fn widened(self, also: impl IntoIterator<Item = String>) -> Scope {
        let (inner, mut files) = match self {
            Scope::Widened(inner, files, _) => (inner, files),
            other => (Box::new(other), Default::default()),
        };
        files.extend(also);
        let dirs = Scope::dirs_of(&files);
        Scope::Widened(inner, files, dirs)
    }

    /// Whether every file under a folder is in it.
    fn covers(&self, dir: &str) -> bool {
        match self {
            Scope::Folders(folders) => folders.iter().any(|f| f.is_empty() || under(dir, f)),
            Scope::Paths { .. } => false,
            Scope::Widened(inner, ..) => inner.covers(dir),
            Scope::Outside(inner) => !inner.looks_into(dir),
        }
    }

    /// Whether a folder is one of them, inside one, or on the way to one.
    fn looks_into(&self, dir: &str) -> bool {
        match self {
            Scope::Widened(inner, _, dirs) => inner.looks_into(dir) || dirs.contains(dir),
            Scope::Outside(inner) => !inner.covers(dir),
            Scope::Folders(folders) => folders
                .iter()
                .any(|f| f.is_empty() || under(dir, f) || under(f, dir)),
            Scope::Paths { dirs, .. } => dirs.contains(dir),
        }
    }

    /// Whether a file is inside one of them.
    fn holds(&self, path: &str) -> bool {
        match self {
            Scope::Widened(inner, files, _) => inner.holds(path) || files.contains(path),
            Scope::Outside(inner) => !inner.holds(path),
            Scope::Folders(folders) => folders
                .iter()
                .any(|f| f.is_empty() || (path.len() > f.len() && under(path, f))),
            Scope::Paths { files, .. } => files.contains(path),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::write;
    use std::process::Command;

    #[test]
    fn what_lies_outside_a_scope_widened_by_files_moved_in() {
        let scope = Scope::folders(vec!["site/docs".into(), "site/i18n".into()])
            .widened(["old/guide.md".to_string()]);
        assert!(scope.holds("site/docs/a.md") && scope.holds("old/guide.md"));
        assert!(!scope.holds("old/other.md") && !scope.holds("site/x.md"));
        assert!(scope.looks_into("old") && scope.looks_into("site"));
        assert!(!scope.looks_into("src"));
        // Widened again, it keeps what it held.
        let scope = scope.widened(["older/guide.md".to_string()]);
        assert!(scope.holds("old/guide.md") && scope.holds("older/guide.md"));
        let outside = Scope::Outside(std::sync::Arc::new(scope));
        // Folders the scope holds whole are not looked into; the others are.
        assert!(!outside.looks_into("site/docs") && !outside.looks_into("site/docs/deep"));
        assert!(
            outside.looks_into("site") && outside.looks_into("old") && outside.looks_into("src")
        );
        assert!(outside.holds("old/other.md") && outside.holds("site/x.md"));
        assert!(!outside.holds("old/guide.md") && !outside.holds("site/i18n/de/a.md"));
        // Nothing lies outside everything.
        let nothing = Scope::Outside(std::sync::Arc::new(Scope::folders(vec![String::new()])));
        assert!(!nothing.looks_into("any") && !nothing.holds("any.md"));
    }

    #[test]
    fn the_pack_cache_keeps_the_latest_objects_within_its_budget_and_reuses_buffers() {
        use gix::odb::pack::cache::DecodeEntry;
        let tree = gix::objs::Kind::Tree;
        let mut cache = PackCache::new(100);
        let mut out = Vec::new();
        cache.put(0, 1, &[1; 40], tree, 7);
        cache.put(0, 2, &[2; 40], tree, 8);
        assert_eq!(cache.get(0, 1, &mut out), Some((tree, 7)));
        assert_eq!(out, vec![1; 40]);
        // Over budget: the least recently used (2, since 1 was just read) goes, its buffer kept.
        cache.put(0, 3, &[3; 30], tree, 9);
        assert_eq!(cache.get(0, 2, &mut out), None);
        assert_eq!(cache.get(1, 1, &mut out), None);
        assert_eq!(cache.get(0, 3, &mut out), Some((tree, 9)));
        assert_eq!(out, vec![3; 30]);
        assert_eq!(cache.get(0, 1, &mut out), Some((tree, 7)));
        assert_eq!(out, vec![1; 40]);
        assert!(cache.kept.weight() <= 100, "{}", cache.kept.weight());
        // Another object takes the buffer let go, and what it holds is its own.
        cache.put(0, 4, &[4; 10], tree, 10);
        assert_eq!(cache.get(0, 4, &mut out), Some((tree, 10)));
        assert_eq!(out, vec![4; 10]);
        assert!(cache.kept.weight() <= 100, "{}", cache.kept.weight());
        // An object larger than the whole budget is not kept.
        cache.put(0, 5, &[5; 101], tree, 11);
        assert_eq!(cache.get(0, 5, &mut out), None);
        // Many objects: never over budget, every object read back is the one put.
        for offset in 10..200u64 {
            let data = vec![offset as u8; (offset % 37) as usize + 1];
            cache.put(0, offset, &data, tree, offset as usize);
            assert!(cache.kept.weight() <= 100, "{}", cache.kept.weight());
            assert_eq!(
                cache.get(0, offset, &mut out),
                Some((tree, offset as usize))
            );
            assert_eq!(out, data);
        }
        assert!(cache.free.len() <= FREE_BUFFERS);
        assert!(cache.free_bytes <= 25, "{}", cache.free_bytes);
        assert_eq!(
            cache.free_bytes,
            cache.free.iter().map(Vec::capacity).sum::<usize>()
        );
    }

    /// Runs git in `dir` as of day `day` (fixed author and dates); returns stdout.
    fn git(dir: &Path, day: u32, args: &[&str]) -> String {
        let date = format!("2026-03-{day:02}T10:00:00Z");
        let out = Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_AUTHOR_NAME", "Tra Ductor")
            .env("GIT_AUTHOR_EMAIL", "t@example.org")
            .env("GIT_COMMITTER_NAME", "Tra Ductor")
            .env("GIT_COMMITTER_EMAIL", "t@example.org")
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", dir)
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    fn commit(dir: &Path, day: u32, message: &str) {
        git(dir, day, &["add", "-A"]);
        git(dir, day, &["commit", "-qm", message]);
    }

    /// Every commit of HEAD's history, and every path under `docs/` any of them has (with
    /// `docs/x`, a file that becomes a folder).
    fn everything(dir: &Path) -> (Vec<String>, Vec<String>) {
        let commits: Vec<String> = git(dir, 1, &["rev-list", "HEAD"])
            .lines()
            .map(str::to_string)
            .collect();
        let mut paths: Vec<String> = vec!["docs/x".to_string(), "docs/never.md".to_string()];
        for c in &commits {
            let listed = git(dir, 1, &["ls-tree", "-r", "--name-only", c, "docs"]);
            paths.extend(listed.lines().map(str::to_string));
        }
        paths.sort();
        paths.dedup();
        (commits, paths)
    }

    /// Each file's content at each commit as the walk tells it, checked against reading the
    /// commit's tree; how many the walk could tell.
    fn told_as_the_trees_say(repo: &Repo, walk: &Walk, dir: &Path) -> (usize, usize) {
        let (commits, paths) = everything(dir);
        let (mut told, mut asked) = (0, 0);
        for c in &commits {
            for p in &paths {
                asked += 1;
                let Some(content) = walk.content_at(c, p) else {
                    continue;
                };
                told += 1;
                assert_eq!(content, repo.blob_at(c, p).unwrap(), "{p} at {c}");
            }
        }
        (told, asked)
    }

    #[test]
    fn the_walk_tells_each_original_at_each_commit_as_its_tree_does() {
        let top = tempfile::tempdir().unwrap();
        let d = top.path();
        git(d, 1, &["init", "-q", "-b", "main"]);
        write(d, "docs/a.md", "a one\n");
        write(d, "docs/b.md", "b one\n");
        write(d, "docs/x", "a file, later a folder\n");
        write(d, "docs/deep/er/c.md", "c one\n");
        write(d, "readme.md", "outside the folders recorded\n");
        commit(d, 1, "first");
        write(d, "docs/a.md", "a two\n");
        commit(d, 2, "a two");
        // A side branch, merged with a change of its own made in the merge.
        git(d, 3, &["checkout", "-qb", "side"]);
        write(d, "docs/deep/er/c.md", "c two\n");
        commit(d, 3, "c two");
        write(d, "docs/side.md", "made on the side\n");
        commit(d, 4, "side");
        git(d, 5, &["checkout", "-q", "main"]);
        write(d, "docs/a.md", "a three\n");
        commit(d, 5, "a three");
        git(d, 6, &["mv", "docs/b.md", "docs/b2.md"]);
        commit(d, 6, "b moved");
        let earlier = git(d, 6, &["rev-parse", "HEAD"]);
        let repo = Repo::open(d).unwrap().unwrap();
        let first = repo
            .last_changes(&["docs".into()], &["docs".into()], &[], &[], None)
            .unwrap();
        let (told, asked) = told_as_the_trees_say(&repo, &first, d);
        assert_eq!(told, asked, "the walk tells every file at every commit");

        git(d, 7, &["merge", "-q", "--no-ff", "--no-commit", "side"]);
        write(d, "docs/a.md", "a as the merge left it\n");
        commit(d, 7, "merge side");
        // A file that becomes a folder, a file removed and made again.
        std::fs::remove_file(d.join("docs/x")).unwrap();
        write(d, "docs/x/inner.md", "inside\n");
        commit(d, 8, "x a folder");
        std::fs::remove_file(d.join("docs/b2.md")).unwrap();
        commit(d, 9, "b2 gone");
        write(d, "docs/b2.md", "b one\n");
        commit(d, 10, "b2 again");
        // A commit dated before its parent (a wrong clock).
        write(d, "docs/a.md", "a four\n");
        commit(d, 2, "a four");
        // A second history with a root of its own, merged in.
        git(d, 11, &["checkout", "-q", "--orphan", "other"]);
        git(d, 11, &["rm", "-rqf", "."]);
        write(d, "docs/other.md", "from elsewhere\n");
        commit(d, 11, "other root");
        git(d, 12, &["checkout", "-q", "main"]);
        git(
            d,
            12,
            &[
                "merge",
                "-q",
                "--no-edit",
                "--allow-unrelated-histories",
                "other",
            ],
        );

        let repo = Repo::open(d).unwrap().unwrap();
        let whole = repo
            .last_changes(&["docs".into()], &["docs".into()], &[], &[], None)
            .unwrap();
        let (told, asked) = told_as_the_trees_say(&repo, &whole, d);
        assert_eq!(told, asked, "the walk tells every file at every commit");
        // Extended from the earlier walk by the commits since: the same answers.
        let newer = repo
            .last_changes(&["docs".into()], &["docs".into()], &[], &[], Some(&earlier))
            .unwrap();
        let extended = first.extend(&earlier, newer);
        let again = told_as_the_trees_say(&repo, &extended, d);
        assert_eq!(again, (told, asked));
        // Outside the folders recorded, or at a commit not walked: not told.
        assert_eq!(whole.content_at(&earlier, "readme.md"), None);
        assert_eq!(
            whole.content_at("0123456789012345678901234567890123456789", "docs/a.md"),
            None
        );
    }

    #[test]
    fn the_packs_give_every_object_as_gitoxide_does_whatever_is_kept() {
        let top = tempfile::tempdir().unwrap();
        let d = top.path();
        git(d, 1, &["init", "-q", "-b", "main"]);
        // Busy folders whose trees change in every commit, and files edited again and again:
        // packed aggressively, their versions are long chains of deltas of one another.
        for n in 0..80u32 {
            for f in 0..24u32 {
                if (f * 7 + n) % 4 != 0 || n == 0 {
                    let text = format!("page {f}\n{}\nas of commit {n}\n", "line\n".repeat(40));
                    write(d, &format!("docs/s{}/page-{f:02}.md", f % 2), &text);
                }
            }
            commit(d, 1 + n % 28, &format!("commit {n}"));
        }
        git(d, 28, &["gc", "-q", "--aggressive"]);
        // A second pack, of what was made since (its objects lie at the same places in it as
        // others in the first), and some objects loose.
        for n in 0..12u32 {
            for f in 0..24u32 {
                write(
                    d,
                    &format!("docs/s{}/page-{f:02}.md", f % 2),
                    &format!("{f} {n}\n"),
                );
            }
            commit(d, 28, &format!("since {n}"));
        }
        git(d, 28, &["repack", "-q", "-d"]);
        write(d, "docs/s0/page-00.md", "made after the packs\n");
        commit(d, 28, "loose");
        let listed = git(
            d,
            28,
            &[
                "cat-file",
                "--batch-all-objects",
                "--batch-check=%(objectname) %(deltabase)",
            ],
        );
        let ids: Vec<(gix::ObjectId, bool)> = listed
            .lines()
            .map(|l| {
                let (id, base) = l.split_once(' ').unwrap();
                let id = gix::ObjectId::from_hex(id.as_bytes()).unwrap();
                (id, base.bytes().any(|b| b != b'0'))
            })
            .collect();
        let deltas = ids.iter().filter(|(_, delta)| *delta).count();
        assert!(deltas > 500, "{deltas} deltas");
        let repo = Repo::open(d).unwrap().unwrap();
        let handle = repo.handle().unwrap();
        let packs = Packs::open(&handle);
        // Each pack's objects kept under a key of its own: its place, as reads ask.
        let places: Vec<u32> = packs.bundles.iter().map(|b| b.pack.id).collect();
        assert_eq!(places, [0, 1]);
        // The loose ones: `.git/objects/ab/cdef…`.
        let mut loose: Vec<gix::ObjectId> = Vec::new();
        for dir in std::fs::read_dir(d.join(".git/objects")).unwrap() {
            let dir = dir.unwrap().path();
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            if name.len() != 2 {
                continue;
            }
            for file in std::fs::read_dir(&dir).unwrap() {
                let rest = file.unwrap().file_name().to_string_lossy().into_owned();
                loose.push(gix::ObjectId::from_hex(format!("{name}{rest}").as_bytes()).unwrap());
            }
        }
        assert!(loose.len() >= 5, "{loose:?}");
        // In the pack's order, backwards, and spread out; with room for a few objects and
        // with room for many.
        let mut orders = vec![ids.clone()];
        orders.push(ids.iter().rev().cloned().collect());
        orders.push((0..ids.len()).map(|i| ids[i * 37 % ids.len()]).collect());
        for order in &orders {
            for budget in [4 * 1024, 64 * 1024 * 1024] {
                let mut unpacker = Unpacker::new(budget);
                let mut reader = Reader {
                    repo: &handle,
                    packs: &packs,
                    unpacker: &mut unpacker,
                };
                let mut from_packs = 0;
                for (id, _) in order {
                    let want = handle.find_object(*id).unwrap();
                    let mut buf = Vec::new();
                    let kind = reader.find(id, &mut buf).unwrap();
                    assert_eq!(kind, Some(want.kind), "{id}");
                    assert!(buf == want.data, "{id}: the bytes differ");
                    let mut again = Vec::new();
                    if let Some(kind) = reader.unpacker.read(&packs, id, &mut again).unwrap() {
                        assert_eq!((kind, &again), (want.kind, &buf), "{id} again");
                        from_packs += 1;
                    } else {
                        assert!(loose.contains(id), "{id} is packed");
                    }
                }
                assert_eq!(from_packs + loose.len(), order.len());
            }
        }
        // An object that is nowhere.
        let nowhere = gix::ObjectId::from_hex(b"0123456789012345678901234567890123456789").unwrap();
        let mut unpacker = Unpacker::new(1024);
        let mut reader = Reader {
            repo: &handle,
            packs: &packs,
            unpacker: &mut unpacker,
        };
        assert_eq!(reader.find(&nowhere, &mut Vec::new()).unwrap(), None);
        assert!(repo.blob(&BlobId::of(nowhere)).is_err());

        // With a replacement (`git replace`), an object reads as what replaces it, as git
        // shows it.
        let head = git(d, 28, &["rev-parse", "HEAD"]).trim().to_string();
        let one = git(d, 28, &["rev-parse", &format!("{head}:docs/s0/page-02.md")]);
        let other = git(d, 28, &["rev-parse", &format!("{head}:docs/s0/page-04.md")]);
        git(d, 28, &["replace", one.trim(), other.trim()]);
        let shown = git(d, 28, &["cat-file", "blob", one.trim()]);
        let repo = Repo::open(d).unwrap().unwrap();
        let id = BlobId::of(gix::ObjectId::from_hex(one.trim().as_bytes()).unwrap());
        let text = String::from_utf8(repo.blob(&id).unwrap()).unwrap();
        assert_eq!(text.trim_end(), shown.trim_end());
        assert_eq!(shown, "4 11");
    }

    #[test]
    fn many_look_ups_at_once_find_what_git_finds_in_a_packed_history() {
        let top = tempfile::tempdir().unwrap();
        let d = top.path();
        git(d, 1, &["init", "-q", "-b", "main"]);
        // Three busy folders whose trees change in most commits: packed, their versions are
        // deltas of one another, read in pack order, in chunks, by more than one thread.
        for n in 0..60u32 {
            for f in 0..20u32 {
                if (f + n) % 3 != 0 || n == 0 {
                    let folder = f % 3;
                    write(
                        d,
                        &format!("docs/s{folder}/page-{f:02}.md"),
                        &format!("page {f} as of commit {n}\n"),
                    );
                }
            }
            if n == 30 {
                std::fs::remove_file(d.join("docs/s1/page-04.md")).unwrap();
            }
            commit(d, 1 + n % 28, &format!("commit {n}"));
        }
        git(d, 28, &["gc", "-q", "--aggressive"]);
        let (commits, paths) = everything(d);
        let asked: Vec<(&str, &str)> = commits
            .iter()
            .flat_map(|c| paths.iter().map(move |p| (c.as_str(), p.as_str())))
            .collect();
        assert!(asked.len() > 1000);
        let repo = Repo::open(d).unwrap().unwrap();
        let many = repo.blobs_at(&asked);
        // What git lists in each commit's tree: `mode blob id\tpath`.
        let trees: FxHashMap<&str, FxHashMap<String, BlobId>> = commits
            .iter()
            .map(|c| {
                let listed = git(d, 1, &["ls-tree", "-r", c]);
                let files = listed
                    .lines()
                    .filter_map(|l| {
                        let (meta, path) = l.split_once('\t')?;
                        let id = meta.split_whitespace().nth(2)?;
                        let id = gix::ObjectId::from_hex(id.as_bytes()).ok()?;
                        Some((path.to_string(), BlobId::of(id)))
                    })
                    .collect();
                (c.as_str(), files)
            })
            .collect();
        let mut found = 0;
        for ((commit, path), got) in asked.iter().zip(&many) {
            let want = trees[commit].get(*path).copied();
            assert_eq!(got.as_ref().ok(), Some(&want), "{path} at {commit}");
            found += usize::from(want.is_some());
        }
        assert!(found > 1000, "{found}");
        // One at a time (trees kept whole): the same answers.
        for (k, (commit, path)) in asked.iter().enumerate().step_by(7) {
            assert_eq!(repo.blob_at(commit, path).ok(), many[k].clone().ok());
        }
        // A repository with replacements (`git replace`): the same answers, no panic.
        let head = &commits[0];
        let one = git(d, 28, &["rev-parse", &format!("{head}:docs/s0/page-00.md")]);
        let other = git(d, 28, &["rev-parse", &format!("{head}:docs/s1/page-01.md")]);
        git(d, 28, &["replace", &one, &other]);
        let repo = Repo::open(d).unwrap().unwrap();
        assert_eq!(repo.blobs_at(&asked), many);
    }
}
