//! The results cache: every pair and every tally, per language, with the tags of the cache
//! shards they were computed from. `.tandem/cache/results.bin` holds what the results were
//! judged from and names each language's files: `work-{lang}.bin` (its tallies and the pairs
//! that need work), by its tag (a digest of what it holds), and `done-{lang}.bin` (its
//! up-to-date pairs), under a key made of the inputs they were judged from, so that a run
//! showing only work never reads them. A file that is not the one named is not used. When a run
//! finds the originals, a language's folder and the snapshot store as they were, that
//! language's answer is taken from its files: nothing is paired or looked up again.
//!
//! When only the content of some originals changed (with stamps as the record), their pairs
//! alone are judged again in each language's stored results ([`LangBlob::patched`]): the
//! originals' [`Record`] says which changed and that nothing else did; their pairs that were up
//! to date are set aside in the results (the `done` file is not written again) and the new
//! verdicts stored with the pairs that need work.
//!
//! What an answer depends on, and how a change to it is seen:
//! - the originals and the language's translations: the tag of their cache shard, which a run
//!   only reuses when every file on disk matches the shard's index (path, size, times, inode);
//! - the snapshots of outdated pairs: the stamps of the snapshot folders. Snapshots are named by
//!   the fingerprint of what they hold and are never rewritten, only added or deleted (by
//!   `new`, `mark`, `gc`, git), and adding or deleting a file changes its folder's times;
//! - the configuration and the version of tandem: the cache header.
//!
//! Results are only written when every input is old enough to be cached (see
//! [`crate::cache`]): an input changed within the same timestamp tick is never trusted.

use super::{Item, Tally};
use crate::cache::{tag_of, Blob, Stamp};
use crate::changes::ChangeSize;
use crate::config::Config;
use crate::error::Diagnostic;
use crate::snapshot::SNAPSHOTS_DIR;
use crate::state::State;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::time::SystemTime;

const NAME: &str = "results";

/// The pairing results of a whole run.
#[derive(Debug, Clone)]
pub struct Results {
    /// The tag of the originals' shard.
    pub articles: u128,
    /// The state of the snapshot store (see `snapshots_state`).
    pub snapshots: u128,
    /// Valid originals.
    pub article_count: u32,
    /// Unreadable originals and duplicate ids.
    pub errors: Vec<Diagnostic>,
    /// Ids a reader could take for one another.
    pub warnings: Vec<Diagnostic>,
    pub langs: Vec<LangBlob>,
    /// The record of the originals' repository the verdicts were judged from.
    pub history: History,
    /// What the verdicts read of the originals.
    pub originals: Record,
}

/// What verdicts judged from commits depend on besides the files: the originals' HEAD, and
/// for `baseline: git` a digest of each language's part of the history walk (the last
/// commit of each file), so that a new commit pairs again only the languages it touched.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    pub head: String,
    /// The originals' part (all of it for a recorded commit, whose meaning is HEAD's).
    pub originals: u128,
    /// Each language's part.
    pub langs: Vec<(String, u128)>,
}

impl History {
    pub fn lang(&self, lang: &str) -> u128 {
        self.langs
            .iter()
            .find(|(l, _)| l == lang)
            .map_or(0, |(_, d)| *d)
    }
}

/// The results of one language, encoded: decoded only when used. They are kept in a file of
/// their own (`work-{lang}.bin`), which the stored results name by a digest of what it holds,
/// so that each language's are read, decoded and let go alone, and a run that pairs every
/// language writes each one's as soon as it is paired instead of holding them all until the
/// results are stored.
#[derive(Debug, Clone)]
pub struct LangBlob {
    pub lang: String,
    /// The tag of the language's shard.
    pub tag: u128,
    /// The tallies, errors, warnings and the ids whose up-to-date pair in the `done` file no
    /// longer stands ([`Head`]), then the other pairs (a sequence of [`StoredItemRef`]): those
    /// that need work, and pairs judged again since the `done` file was written.
    part: Part,
    /// The key of the language's `done` file these results go with.
    done_key: u128,
}

/// Where a language's encoded results are.
#[derive(Debug, Clone)]
enum Part {
    /// Made in this run, not written yet.
    Held(Vec<u8>),
    /// In the language's `work` file, whose tag (a digest of what it holds) is this: read when
    /// used.
    Written(u128),
}

/// What a language's encoded results start with: tallies, errors, warnings, and the ids whose
/// pair in the `done` file was judged again (sorted).
type BlobHead = (
    Vec<StoredTally>,
    Vec<Diagnostic>,
    Vec<Diagnostic>,
    Vec<String>,
);

impl LangBlob {
    /// `work`: the pairs that need work; `tag`: the language's shard's; `done_key`: the key of
    /// the `done` file stored with the up-to-date ones ([`Items::store_done`]). Held until
    /// written ([`LangBlob::write`]).
    #[cfg(test)]
    pub fn new(
        work: Items,
        tallies: &[StoredTally],
        errors: &[Diagnostic],
        warnings: &[Diagnostic],
        lang: &str,
        (tag, done_key): (u128, u128),
    ) -> Option<LangBlob> {
        let head = encode_head(&work, tallies, errors, warnings)?;
        let bytes = [head, work.bytes].concat();
        Some(LangBlob::held(lang.to_string(), tag, bytes, done_key))
    }

    /// As [`LangBlob::new`], written to the language's `work` file at once (from its parts,
    /// not copied into one buffer first).
    pub fn written(
        config: &Config,
        work: Items,
        (tallies, errors, warnings): (&[StoredTally], &[Diagnostic], &[Diagnostic]),
        lang: &str,
        (tag, done_key): (u128, u128),
    ) -> Option<LangBlob> {
        let head = encode_head(&work, tallies, errors, warnings)?;
        let written = Blob::store(config, &work_name(lang), &[&head, &work.bytes])?;
        Some(LangBlob {
            lang: lang.to_string(),
            tag,
            part: Part::Written(written),
            done_key,
        })
    }

    fn held(lang: String, tag: u128, bytes: Vec<u8>, done_key: u128) -> LangBlob {
        LangBlob {
            lang,
            tag,
            part: Part::Held(bytes),
            done_key,
        }
    }

    /// Writes the results to the language's `work` file, if they are held, and lets them go.
    /// Whether they are in the file (best effort: when it could not be written, they are not
    /// stored).
    pub fn write(&mut self, config: &Config) -> bool {
        if let Part::Held(bytes) = &self.part {
            match Blob::store(config, &work_name(&self.lang), &[bytes]) {
                Some(tag) => self.part = Part::Written(tag),
                None => return false,
            }
        }
        true
    }

    /// The encoded results: those held, or the `work` file's when it is the one named.
    fn bytes(&self, config: &Config) -> Option<Cow<'_, [u8]>> {
        match &self.part {
            Part::Held(bytes) => Some(Cow::Borrowed(bytes)),
            Part::Written(key) => {
                let (bytes, tag) = Blob::load_tagged(config, &work_name(&self.lang))?;
                (tag == *key).then_some(Cow::Owned(bytes))
            }
        }
    }

    /// The results with some pairs judged again (`patch` gives them, see [`Patch`]): the
    /// `done` file stays as it is, its pairs of the ids judged again set aside.
    pub fn patched(
        &self,
        config: &Config,
        patch: &mut dyn FnMut(&mut Patch) -> Option<()>,
    ) -> Option<LangBlob> {
        let bytes = self.bytes(config)?;
        let ((tallies, errors, warnings, dropped), rest): (BlobHead, _) =
            postcard::take_from_bytes(&bytes).ok()?;
        let (count, mut rest): (u64, _) = postcard::take_from_bytes(rest).ok()?;
        let pairs_len = rest.len();
        // Each pair takes more than a byte: a count larger than that is no count.
        let mut work = Vec::with_capacity(usize::try_from(count).ok()?.min(rest.len()));
        for _ in 0..count {
            let (item, tail): (StoredItemRef, _) = postcard::take_from_bytes(rest).ok()?;
            let bytes = &rest[..rest.len() - tail.len()];
            rest = tail;
            work.push((Key::of(&item), bytes));
        }
        if !rest.is_empty() {
            return None;
        }
        let mut p = Patch {
            tallies,
            warnings,
            work,
            dropped: dropped.into_iter().collect(),
            added: Items::default(),
            removed: Vec::new(),
        };
        patch(&mut p)?;
        p.tallies.retain(|t| t.pairs > 0);
        let dropped: Vec<&String> = p.dropped.iter().collect();
        let head = postcard::to_allocvec(&(&p.tallies, &errors, &p.warnings, dropped)).ok()?;
        p.removed.sort_unstable();
        p.removed.dedup();
        let count = (p.work.len() - p.removed.len() + p.added.count) as u64;
        let head = postcard::to_extend(&count, head).ok()?;
        let mut bytes = Vec::with_capacity(head.len() + pairs_len + p.added.bytes.len());
        bytes.extend_from_slice(&head);
        for (i, (_, b)) in p.work.iter().enumerate() {
            if p.removed.binary_search(&i).is_err() {
                bytes.extend_from_slice(b);
            }
        }
        bytes.extend_from_slice(&p.added.bytes);
        Some(LangBlob::held(
            self.lang.clone(),
            self.tag,
            bytes,
            self.done_key,
        ))
    }

    /// The stored answer, as the language's items, tallies and problems. `keep`: the pairs
    /// wanted (without it, the tallies and problems alone: the pairs are not decoded);
    /// `done`: the up-to-date pairs as [`Results::load_done`] gives them, when wanted too.
    /// `None` when anything stored cannot be read.
    pub(crate) fn reuse<'a>(
        &self,
        config: &Config,
        (lang, languages): (&'a str, &'a [String]),
        keep: Option<&(dyn Fn(&Item) -> bool + Sync)>,
        done: Option<&[u8]>,
        shared: &super::Records,
    ) -> Option<Reused<'a>> {
        let bytes = self.bytes(config)?;
        let ((tallies, errors, warnings, dropped), rest): (BlobHead, _) =
            postcard::take_from_bytes(&bytes).ok()?;
        let mut items = Vec::new();
        if let Some(keep) = keep {
            let rest = decode_items(rest, (lang, languages), keep, shared, &mut items)?;
            if !rest.is_empty() {
                return None;
            }
            if let Some(done) = done {
                let keep_done =
                    |i: &Item| dropped.binary_search_by(|d| (**d).cmp(&i.id)).is_err() && keep(i);
                let rest = decode_items(done, (lang, languages), &keep_done, shared, &mut items)?;
                if !rest.is_empty() {
                    return None;
                }
            }
        }
        let tallies = tallies
            .into_iter()
            .map(|t| Tally {
                lang,
                section: t.section.map(Cow::Owned),
                state: t.state,
                pairs: t.pairs,
                words: t.words,
            })
            .collect();
        Some(Reused {
            items,
            tallies,
            errors,
            warnings,
        })
    }
}

/// A language's answer taken from the stored results.
pub struct Reused<'a> {
    pub items: Vec<Item<'a>>,
    pub tallies: Vec<Tally<'a>>,
    /// Problems found pairing (not those of the folder walk, which every run finds afresh).
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

/// A language's stored results being brought up to date for some ids: their pairs are taken
/// out ([`Patch::take`], which also takes them out of the tallies) and judged again
/// ([`Patch::add`]).
pub struct Patch<'b> {
    tallies: Vec<StoredTally>,
    pub warnings: Vec<Diagnostic>,
    work: Vec<(Key<'b>, &'b [u8])>,
    dropped: std::collections::BTreeSet<String>,
    added: Items,
    removed: Vec<usize>,
}

/// What stored pairs are looked up by.
#[derive(Clone, Copy)]
pub enum By {
    Id,
    Translation,
}

/// What judging pairs again looks a stored pair up by (read in place).
#[derive(Clone, Copy)]
struct Key<'b> {
    id: &'b str,
    state: State,
    translation: Option<&'b str>,
    source: Option<&'b str>,
}

impl<'b> Key<'b> {
    fn of(s: &StoredItemRef<'b>) -> Key<'b> {
        Key {
            id: s.id,
            state: s.state,
            translation: s.translation,
            source: s.source,
        }
    }
}

/// A pair as it was stored, taken out to be judged again.
pub struct Taken {
    pub id: String,
    pub state: State,
    pub translation: Option<String>,
    /// The original's path.
    pub source: Option<String>,
}

impl Taken {
    fn of(s: &Key) -> Taken {
        Taken {
            id: s.id.to_string(),
            state: s.state,
            translation: s.translation.map(str::to_string),
            source: s.source.map(str::to_string),
        }
    }
}

impl Patch<'_> {
    /// The stored pairs of `id` among those that need work, not yet taken out: where each is
    /// (for [`Patch::take`]) and its state.
    pub fn work_of<'s>(&'s self, id: &'s str) -> impl Iterator<Item = (usize, State)> + 's {
        self.work
            .iter()
            .enumerate()
            .filter(move |(i, (s, _))| s.id == id && !self.removed.contains(i))
            .map(|(i, (s, _))| (i, s.state))
    }

    /// Whether a stored pair that needs work is in `state`.
    pub fn has_state(&self, state: State) -> bool {
        self.work.iter().any(|(s, _)| s.state == state)
    }

    /// Whether the `done` file's pair of `id`, if it has one, still stands.
    pub fn done_stands(&self, id: &str) -> bool {
        !self.dropped.contains(id)
    }

    /// Takes the stored pair at `at` (from [`Patch::work_of`]) out.
    pub fn take(&mut self, at: usize) -> Taken {
        self.removed.push(at);
        Taken::of(&self.work[at].0)
    }

    /// The stored pairs that need work whose translation is at `path`: where each is, its id
    /// and state.
    pub fn work_at(&self, path: &str) -> Vec<(usize, &str, State)> {
        self.work
            .iter()
            .enumerate()
            .filter(|(i, (s, _))| s.translation == Some(path) && !self.removed.contains(i))
            .map(|(i, (s, _))| (i, s.id, s.state))
            .collect()
    }

    /// Sets the `done` file's pair of `id` aside (it is judged again).
    pub fn drop_done(&mut self, id: &str) {
        self.dropped.insert(id.to_string());
    }

    /// Moves one pair of section `section` from (`old`, `old_words`) to (`new`, `new_words`) in
    /// the tallies (`None` to only take it out or only count it in).
    pub fn recount(
        &mut self,
        section: Option<&str>,
        old: Option<(State, u32)>,
        new: Option<(State, u32)>,
    ) {
        let at = |tallies: &mut Vec<StoredTally>, state: State| -> usize {
            let found = tallies
                .iter()
                .position(|t| t.state == state && t.section.as_deref() == section);
            found.unwrap_or_else(|| {
                tallies.push(StoredTally {
                    section: section.map(str::to_string),
                    state,
                    pairs: 0,
                    words: 0,
                });
                tallies.len() - 1
            })
        };
        if let Some((state, words)) = old {
            let i = at(&mut self.tallies, state);
            let t = &mut self.tallies[i];
            t.pairs = t.pairs.saturating_sub(1);
            t.words = t.words.saturating_sub(u64::from(words));
        }
        if let Some((state, words)) = new {
            let i = at(&mut self.tallies, state);
            let t = &mut self.tallies[i];
            t.pairs += 1;
            t.words += u64::from(words);
        }
    }

    /// A pair judged again.
    pub fn add(&mut self, item: &Item) {
        self.added.push(item);
    }
}

/// Decodes a sequence of [`StoredItemRef`] (its length, then the items) straight into the items
/// `keep` accepts; returns what follows it. Their records are those of `shared` when it has them
/// (the languages translated from one version of an original share its stamp).
fn decode_items<'a, 'b>(
    bytes: &'b [u8],
    (lang, languages): (&'a str, &'a [String]),
    keep: &(dyn Fn(&Item) -> bool + Sync),
    shared: &super::Records,
    out: &mut Vec<Item<'a>>,
) -> Option<&'b [u8]> {
    let (count, mut rest): (u64, _) = postcard::take_from_bytes(bytes).ok()?;
    // Each item takes some bytes: a count beyond that is a damaged file, not an allocation.
    out.reserve(usize::try_from(count).ok()?.min(rest.len() / 8));
    for _ in 0..count {
        let (stored, tail): (StoredItemRef, _) = postcard::take_from_bytes(rest).ok()?;
        rest = tail;
        let item = stored.to_item(lang, languages, shared);
        if keep(&item) {
            out.push(item);
        }
    }
    Some(rest)
}

/// What a language's up-to-date pairs were judged from when they were paired: the `done`
/// file's key is made of it (equal inputs, equal pairs), and the results name the key of theirs.
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoneKey {
    articles: u128,
    snapshots: u128,
    originals: u128,
    history: u128,
    tag: u128,
}

impl DoneKey {
    /// `articles`, `snapshots` and `history` as the [`Results`] to be stored will hold them;
    /// `tag`: the language's shard's.
    pub fn new(
        (articles, snapshots, history): (u128, u128, &History),
        lang: &str,
        tag: u128,
    ) -> DoneKey {
        DoneKey {
            articles,
            snapshots,
            originals: history.originals,
            history: history.lang(lang),
            tag,
        }
    }
}

/// What a language's encoded results start with ([`BlobHead`], no ids set aside), then the
/// number of pairs that follow.
fn encode_head(
    work: &Items,
    tallies: &[StoredTally],
    errors: &[Diagnostic],
    warnings: &[Diagnostic],
) -> Option<Vec<u8>> {
    // A struct is stored as its fields one after the other: the items, already encoded, go
    // last.
    let no_drops: &[String] = &[];
    let head = postcard::to_allocvec(&(tallies, errors, warnings, no_drops)).ok()?;
    postcard::to_extend(&(work.count as u64), head).ok()
}

fn done_name(lang: &str) -> String {
    format!("done-{lang}")
}

/// More than a pair usually takes stored (ids and paths of 20-60 bytes, a record of its
/// baseline).
const ROOM_PER_PAIR: usize = 256;

fn work_name(lang: &str) -> String {
    format!("work-{lang}")
}

/// Items encoded as they are met, as a sequence of [`StoredItemRef`] (nothing copied first).
#[derive(Default)]
pub struct Items {
    count: usize,
    bytes: Vec<u8>,
}

impl Items {
    /// Room for about `pairs` pairs made at once, so that the bytes are not copied again and
    /// again as they grow.
    pub fn with_room(pairs: usize) -> Items {
        Items {
            count: 0,
            bytes: Vec::with_capacity(pairs * ROOM_PER_PAIR),
        }
    }

    pub fn push(&mut self, it: &Item) {
        let stored = StoredItemRef {
            id: &it.id,
            state: it.state,
            source: it.source.as_deref(),
            translation: it.translation.as_deref(),
            source_lang: it.source_lang.as_deref(),
            words: it.words,
            changed: it.changed,
            untranslated: it.untranslated,
            unknown_baseline: it.baseline.is_some(),
            translator: it.translator.as_deref(),
            judged_by: it.judged_by.as_ref().map(|j| StoredJudgedByRef {
                kind: j.kind,
                field: &j.field,
                value: &j.value,
                commit: j.commit.as_deref(),
                merge_base_of: j.merge_base_of.as_deref(),
                translated_from: j.translated_from.as_deref(),
            }),
            message: it.message.as_deref(),
            looks_like: it
                .looks_like
                .as_deref()
                .map(|(a, b)| (a.as_str(), b.as_str())),
        };
        if let Ok(bytes) = postcard::to_extend(&stored, std::mem::take(&mut self.bytes)) {
            self.bytes = bytes;
            self.count += 1;
        }
    }

    /// Stores the items as `lang`'s up-to-date pairs, judged from `key`, as soon as they are
    /// all paired: each language's are written and let go in turn, not all held until the
    /// results are stored. The key the results are to name (results naming a key whose file
    /// is not there are not used).
    pub fn store_done(self, config: &Config, key: &DoneKey, lang: &str) -> Option<u128> {
        let key = tag_of(&postcard::to_allocvec(&(key, lang)).ok()?);
        let count = postcard::to_allocvec(&(self.count as u64)).ok()?;
        Blob::store(
            config,
            &done_name(lang),
            &[&key.to_le_bytes(), &count, &self.bytes],
        );
        Some(key)
    }

    /// The sequence: its length, then the items.
    #[cfg(test)]
    fn finish(self) -> Vec<u8> {
        let mut out = postcard::to_allocvec(&(self.count as u64)).unwrap();
        out.extend_from_slice(&self.bytes);
        out
    }
}

/// An [`Item`] as stored, borrowed: from an [`Item`] to encode it, or from the stored bytes to
/// read it in place (nothing allocated).
#[derive(Serialize, Deserialize)]
struct StoredItemRef<'a> {
    id: &'a str,
    state: State,
    source: Option<&'a str>,
    translation: Option<&'a str>,
    source_lang: Option<&'a str>,
    words: u32,
    changed: Option<ChangeSize>,
    untranslated: Option<ChangeSize>,
    unknown_baseline: bool,
    translator: Option<&'a str>,
    /// `JudgedBy` as plain fields: postcard cannot decode fields that JSON output skips.
    judged_by: Option<StoredJudgedByRef<'a>>,
    message: Option<&'a str>,
    looks_like: Option<(&'a str, &'a str)>,
}

/// A [`super::JudgedBy`] as stored.
#[derive(Clone, Copy, Serialize, Deserialize)]
struct StoredJudgedByRef<'a> {
    kind: &'a str,
    field: &'a str,
    value: &'a str,
    commit: Option<&'a str>,
    merge_base_of: Option<&'a str>,
    translated_from: Option<&'a str>,
}

/// The results file: what the results were judged from, and each language's files.
#[derive(Serialize, Deserialize)]
struct Head {
    articles: u128,
    snapshots: u128,
    article_count: u32,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    /// Each language, the tag of its shard, the key of its `work` file and that of its `done`
    /// file.
    langs: Vec<(String, u128, u128, u128)>,
    history: History,
    originals: Record,
}

/// What the results were judged from, of each original: enough to tell, when the originals'
/// folder changed, which originals changed in what their pairs are judged from, and whether
/// anything else did (an original added, removed, renamed, made unreadable or given another
/// id, language or `translate_to`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// Everything but the originals' content: ids, paths, languages, targets, problems.
    pub shape: u128,
    /// Each valid original in id order: a digest of what judging its pairs reads of it
    /// (fingerprint, blocks, words, paragraphs), a digest of its signature (which orphans are
    /// compared with), and its words.
    pub articles: Vec<(u64, u64, u32)>,
}

impl<'b> StoredItemRef<'b> {
    /// The item of `lang`; its original's language borrowed from `languages` when one of them
    /// (only what the item keeps is copied out of the stored bytes).
    fn to_item<'a>(
        &self,
        lang: &'a str,
        languages: &'a [String],
        shared: &super::Records,
    ) -> Item<'a> {
        Item {
            id: Cow::Owned(self.id.to_string()),
            lang,
            state: self.state,
            source: self.source.map(|s| Cow::Owned(s.to_string())),
            translation: self.translation.map(Into::into),
            source_lang: self
                .source_lang
                .map(|l| match languages.iter().find(|x| *x == l) {
                    Some(known) => Cow::Borrowed(known.as_str()),
                    None => Cow::Owned(l.to_string()),
                }),
            words: self.words,
            changed: self.changed,
            untranslated: self.untranslated,
            baseline: self.unknown_baseline.then_some(super::Baseline::Unknown),
            translator: self.translator.map(Into::into),
            judged_by: self.judged_by.map(|j| {
                let kind = match j.kind {
                    "commit" => "commit",
                    "git" => "git",
                    _ => "stamp",
                };
                let key = super::RecordKey {
                    kind,
                    field: j.field,
                    value: j.value,
                    commit: j.commit,
                    merge_base_of: j.merge_base_of,
                    translated_from: j.translated_from,
                };
                shared.find_or(key, || super::JudgedBy {
                    kind,
                    field: j.field.into(),
                    value: j.value.into(),
                    commit: j.commit.map(Into::into),
                    merge_base_of: j.merge_base_of.map(Into::into),
                    translated_from: j.translated_from.map(Into::into),
                })
            }),
            message: self.message.map(Into::into),
            looks_like: self
                .looks_like
                .map(|(a, b)| Box::new((a.to_string(), b.to_string()))),
        }
    }
}

/// A [`Tally`] as stored.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredTally {
    section: Option<String>,
    state: State,
    pairs: u32,
    words: u64,
}

impl StoredTally {
    pub fn of(t: &Tally) -> Self {
        StoredTally {
            section: t.section.as_deref().map(str::to_string),
            state: t.state,
            pairs: t.pairs,
            words: t.words,
        }
    }
}

impl Results {
    /// The stored results, if there are any from this tandem and configuration.
    pub fn load(config: &Config) -> Option<Results> {
        let bytes = Blob::load(config, NAME)?;
        let (head, rest): (Head, &[u8]) = postcard::take_from_bytes(&bytes).ok()?;
        let langs = head
            .langs
            .into_iter()
            .map(|(lang, tag, work_key, done_key)| LangBlob {
                lang,
                tag,
                part: Part::Written(work_key),
                done_key,
            })
            .collect();
        rest.is_empty().then_some(Results {
            articles: head.articles,
            snapshots: head.snapshots,
            article_count: head.article_count,
            errors: head.errors,
            warnings: head.warnings,
            langs,
            history: head.history,
            originals: head.originals,
        })
    }

    /// Stores the results (best effort: the cache is only a speed-up). Each language's
    /// up-to-date pairs are in their own file, written when they were paired
    /// ([`Items::store_done`]), and so are the others, if they were not written yet
    /// ([`LangBlob::write`]).
    pub fn store(mut self, config: &Config) {
        self.langs.par_iter_mut().for_each(|l| {
            l.write(config);
        });
        let head = Head {
            articles: self.articles,
            snapshots: self.snapshots,
            article_count: self.article_count,
            errors: self.errors,
            warnings: self.warnings,
            langs: self
                .langs
                .into_iter()
                .filter_map(|l| match l.part {
                    Part::Written(key) => Some((l.lang, l.tag, key, l.done_key)),
                    Part::Held(_) => None,
                })
                .collect(),
            history: self.history,
            originals: self.originals,
        };
        if let Ok(head) = postcard::to_allocvec(&head) {
            Blob::store(config, NAME, &[&head]);
        }
    }

    /// The pairs of `blob`'s `done` file with an id (or a translation, `by`) among `keys`, by
    /// that key.
    pub fn done_pairs(
        config: &Config,
        blob: &LangBlob,
        by: By,
        keys: &[&str],
    ) -> Option<rustc_hash::FxHashMap<String, Taken>> {
        let (bytes, at) = Results::load_done(config, blob)?;
        let (count, mut rest): (u64, _) = postcard::take_from_bytes(&bytes[at..]).ok()?;
        let mut out = rustc_hash::FxHashMap::default();
        for _ in 0..count {
            // Read in place (nothing allocated), and only as far as the last one wanted.
            let (item, tail): (StoredItemRef, _) = postcard::take_from_bytes(rest).ok()?;
            rest = tail;
            let key = match by {
                By::Id => Some(item.id),
                By::Translation => item.translation,
            };
            if let Some(key) = key.filter(|k| keys.contains(k)) {
                out.insert(key.to_string(), Taken::of(&Key::of(&item)));
                if out.len() == keys.len() {
                    break;
                }
            }
        }
        Some(out)
    }

    /// The up-to-date pairs stored with `blob`'s results: a sequence of [`StoredItemRef`], for
    /// [`LangBlob::reuse`]. The file's bytes and where the sequence starts in them.
    pub fn load_done(config: &Config, blob: &LangBlob) -> Option<(Vec<u8>, usize)> {
        let bytes = Blob::load(config, &done_name(&blob.lang))?;
        let key = u128::from_le_bytes(bytes.get(..16)?.try_into().ok()?);
        (key == blob.done_key).then_some((bytes, 16))
    }
}

/// The state of the snapshot store: a tag of the stamps of its folders, which change whenever a
/// snapshot is added or deleted. `None` when a folder changed too recently to be trusted (or
/// cannot be read).
pub fn snapshots_state(config: &Config) -> Option<u128> {
    let start = SystemTime::now();
    let dir = config.root.join(SNAPSHOTS_DIR);
    let mut stamps: Vec<(String, Stamp)> = Vec::new();
    match std::fs::symlink_metadata(&dir) {
        Ok(meta) => stamps.push((String::new(), Stamp::of(&meta))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Some(tag_of(b"no store")),
        Err(_) => return None,
    }
    for entry in std::fs::read_dir(&dir).ok()? {
        let entry = entry.ok()?;
        let meta = entry.metadata().ok()?;
        if meta.is_dir() {
            stamps.push((
                entry.file_name().to_string_lossy().into_owned(),
                Stamp::of(&meta),
            ));
        }
    }
    if stamps.iter().any(|(_, s)| s.is_racy(start)) {
        return None;
    }
    stamps.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Some(tag_of(&postcard::to_allocvec(&stamps).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_items_decode_whatever_they_hold() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config::from_text(dir.path(), None, None).unwrap();
        let mut item = super::super::Item {
            id: Cow::Borrowed("a"),
            lang: "es",
            state: State::Outdated,
            source: Some(Cow::Borrowed("articles/a.md")),
            translation: Some("translations/es/a.md".into()),
            source_lang: None,
            words: 3,
            changed: None,
            untranslated: None,
            baseline: Some(super::super::Baseline::Unknown),
            translator: None,
            judged_by: Some(std::sync::Arc::new(super::super::JudgedBy {
                kind: "commit",
                field: "l10n.sourceCommit".into(),
                value: "abc".into(),
                commit: None,
                merge_base_of: None,
                translated_from: None,
            })),
            message: Some("why".into()),
            looks_like: None,
        };
        for _ in 0..2 {
            let mut work = Items::default();
            work.push(&item);
            let mut done_item = item.clone();
            done_item.state = State::UpToDate;
            done_item.translator = Some("Ana".into());
            done_item.looks_like = Some(Box::new(("b".into(), "same name".into())));
            let mut done = Items::default();
            done.push(&done_item);
            let tallies = [StoredTally {
                section: Some("news".into()),
                state: State::Outdated,
                pairs: 1,
                words: 40,
            }];
            let errors = [Diagnostic::new("x.md", "broken")];
            let done = done.finish();
            let held = LangBlob::new(work, &tallies, &errors, &[], "es", (1, 2)).unwrap();
            let mut written = held.clone();
            written.write(&config);
            assert!(written.write(&config));
            assert!(
                matches!(written.part, Part::Written(_)),
                "let go once written"
            );
            let languages = ["en".to_string(), "es".to_string()];
            let es = ("es", languages.as_slice());
            let shared = crate::pairs::Records::default();
            // Held or read from its file, the same answer.
            for blob in [&held, &written] {
                let tallies_only = blob
                    .reuse(&config, es, None, None, &shared)
                    .expect("decodes");
                assert!(tallies_only.items.is_empty());
                assert_eq!(tallies_only.tallies.len(), 1);
                let back = blob
                    .reuse(&config, es, Some(&|_| true), Some(&done), &shared)
                    .expect("decodes");
                assert_eq!(back.errors, errors);
                assert_eq!(back.items, vec![item.clone(), done_item.clone()]);
                assert_eq!(back.tallies[0].words, 40);
                let kept = blob.reuse(
                    &config,
                    es,
                    Some(&|i| i.translator.is_some()),
                    Some(&done),
                    &shared,
                );
                assert_eq!(kept.expect("decodes").items, vec![done_item.clone()]);
                // A damaged sequence is no answer at all, not part of one.
                let cut = &done[..done.len() - 1];
                assert!(blob
                    .reuse(&config, es, Some(&|_| true), Some(cut), &shared)
                    .is_none());
            }
            item.judged_by = None;
        }
    }

    #[test]
    fn results_are_only_read_from_the_work_file_they_name() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config::from_text(dir.path(), None, None).unwrap();
        let blob = |words: u32| {
            let mut work = Items::default();
            let mut item = super::super::item(Cow::Borrowed("a"), "es", State::Missing);
            item.words = words;
            work.push(&item);
            LangBlob::new(work, &[], &[], &[], "es", (1, 2)).unwrap()
        };
        let languages = ["en".to_string(), "es".to_string()];
        let words = |b: &LangBlob| {
            let reused = b.reuse(
                &config,
                ("es", &languages),
                Some(&|_| true),
                None,
                &Default::default(),
            );
            reused.map(|r| r.items[0].words)
        };
        let mut first = blob(10);
        let mut second = blob(20);
        first.write(&config);
        assert_eq!(words(&first), Some(10));
        // Another run wrote the language's file since: the results naming the first are not
        // answered from it, and the second's are.
        second.write(&config);
        assert_eq!(words(&first), None);
        assert_eq!(words(&second), Some(20));
        // Stored and loaded, the results name the file by its digest.
        Results {
            articles: 1,
            snapshots: 2,
            article_count: 1,
            errors: Vec::new(),
            warnings: Vec::new(),
            langs: vec![second],
            history: History::default(),
            originals: Record::default(),
        }
        .store(&config);
        let loaded = Results::load(&config).expect("stored");
        assert_eq!(words(&loaded.langs[0]), Some(20));
        // A damaged file is no answer.
        let path = config.root.join(".tandem/cache/work-es.bin");
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&path, bytes).unwrap();
        assert_eq!(words(&loaded.langs[0]), None);
    }

    #[test]
    fn a_commit_judging_many_pairs_is_decoded_once() {
        let judged = |kind: &'static str, value: &str| super::super::JudgedBy {
            kind,
            field: "default_lang_commit".into(),
            value: value.into(),
            commit: Some("0123456789abcdef0123456789abcdef01234567".into()),
            merge_base_of: None,
            translated_from: None,
        };
        let mut items = Items::default();
        let pairs = [
            ("commit", "0123456"),
            ("commit", "0123456"),
            ("commit", "89abcde"),
        ];
        for (n, (kind, value)) in pairs.into_iter().enumerate() {
            items.push(&super::super::Item {
                id: Cow::Owned(format!("a{n}")),
                lang: "es",
                state: State::UpToDate,
                source: None,
                translation: None,
                source_lang: None,
                words: 1,
                changed: None,
                untranslated: None,
                baseline: None,
                translator: None,
                judged_by: Some(std::sync::Arc::new(judged(kind, value))),
                message: None,
                looks_like: None,
            });
        }
        let bytes = items.finish();
        let languages = ["en".to_string(), "es".to_string()];
        let mut out = Vec::new();
        decode_items(
            &bytes,
            ("es", &languages),
            &|_| true,
            &Default::default(),
            &mut out,
        )
        .expect("decodes");
        let records: Vec<_> = out.iter().map(|i| i.judged_by.clone().unwrap()).collect();
        assert_eq!(*records[0], judged("commit", "0123456"));
        assert!(std::sync::Arc::ptr_eq(&records[0], &records[1]));
        assert!(!std::sync::Arc::ptr_eq(&records[1], &records[2]));
        assert_eq!(*records[2], judged("commit", "89abcde"));

        // Decoded again (another language's pairs) with the same records: the same ones, and a
        // stamp shared as well; with records of their own, copies.
        let stamp = |value: &str| super::super::JudgedBy {
            kind: "stamp",
            field: "source_hash".into(),
            commit: None,
            ..judged("stamp", value)
        };
        let mut items = Items::default();
        for (n, record) in [judged("commit", "0123456"), stamp("b1c2"), stamp("d3e4")]
            .into_iter()
            .enumerate()
        {
            items.push(&super::super::Item {
                id: Cow::Owned(format!("a{n}")),
                judged_by: Some(std::sync::Arc::new(record)),
                ..out[0].clone()
            });
        }
        let bytes = items.finish();
        let shared = crate::pairs::Records::default();
        let mut twice: Vec<Vec<_>> = Vec::new();
        for records in [&shared, &shared, &crate::pairs::Records::default()] {
            let mut decoded = Vec::new();
            decode_items(&bytes, ("fr", &languages), &|_| true, records, &mut decoded)
                .expect("decodes");
            twice.push(
                decoded
                    .iter()
                    .map(|i| i.judged_by.clone().unwrap())
                    .collect(),
            );
        }
        assert_eq!(*twice[0][1], stamp("b1c2"));
        assert_eq!(*twice[0][2], stamp("d3e4"));
        for ((first, again), own) in twice[0].iter().zip(&twice[1]).zip(&twice[2]) {
            assert!(std::sync::Arc::ptr_eq(first, again));
            assert!(!std::sync::Arc::ptr_eq(first, own));
            assert_eq!(first, own);
        }
        assert!(!std::sync::Arc::ptr_eq(&twice[0][1], &twice[0][2]));
    }
}
