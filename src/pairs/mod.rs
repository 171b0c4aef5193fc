//! Pairing originals with translations and working out each pair's state: the heart of
//! `status`, `check`, `coverage` and `show`.

use crate::baseline::{CommitBaselines, Version};
use crate::changes::{block_changes, change_size, ChangeSize};
use crate::config::BaselineKind;
use crate::config::Config;
use crate::document::{Original, Progress, TranslationSummary, UnitSummary};
use crate::error::Diagnostic;
use crate::scan::{
    language_folders, list_language, list_language_again, list_originals, read_language,
    read_originals, Folder, Listing, ScanOptions, Scanned, SnapshotDigests,
};
use crate::state::{Counts, State};

mod list;
pub mod results;
pub use list::PairList;
use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

/// One (article, language) pair and what it needs. It borrows what it can from the originals
/// and the configuration; what comes from a translation it owns, since translations are read
/// one language at a time and dropped. Its JSON is also written field by field, for lists
/// (`render::json`'s `Element`, whose test holds it to what `Serialize` writes): a field added
/// here is added there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item<'a> {
    pub id: Cow<'a, str>,
    pub lang: &'a str,
    pub state: State,
    /// The original's path; null for `orphaned`.
    pub source: Option<Cow<'a, str>>,
    /// The translation's path; null for `missing`.
    pub translation: Option<Box<str>>,
    pub source_lang: Option<Cow<'a, str>>,
    /// Words still to translate for this pair.
    pub words: u32,
    /// For `outdated` with the snapshot at hand: how much of the original changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changed: Option<ChangeSize>,
    /// For `draft`: paragraphs still identical to the original (not yet translated).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub untranslated: Option<ChangeSize>,
    /// `unknown` when the translation's `source_hash` matches no snapshot of the original.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Baseline>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub translator: Option<Box<str>>,
    /// Which record of the translation's baseline judged it (for a user to check a verdict).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub judged_by: Option<Arc<JudgedBy>>,
    /// For `invalid` and an unknown baseline: what is wrong.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<Box<str>>,
    /// For `orphaned`: the article it looks like the translation of, and why (also in
    /// `message`, which is what JSON gives).
    #[serde(skip)]
    pub looks_like: Option<Box<(String, String)>>,
}

impl JudgedBy {
    /// A `source_hash` stamp (under the publication's name for the field).
    pub fn stamp(field: &str, value: &str) -> JudgedBy {
        JudgedBy {
            kind: "stamp",
            field: field.into(),
            value: value.into(),
            commit: None,
            merge_base_of: None,
            translated_from: None,
        }
    }
}

/// What is said of a pair's baseline in JSON: only that it is `unknown` (its record matches no
/// known version of the original).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Baseline {
    Unknown,
}

/// The record a pair's state was judged from: a `source_hash` stamp, or a commit recorded in
/// a front matter field (with the commit it stands for).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct JudgedBy {
    /// `stamp`, `commit` or `git`.
    pub kind: &'static str,
    /// The field that holds the record.
    pub field: Box<str>,
    /// What the field holds.
    pub value: Box<str>,
    /// For `commit`: the full commit the value stands for (its merge base with HEAD when it is
    /// not an ancestor of HEAD).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<Box<str>>,
    /// For a commit that is not an ancestor of HEAD: that commit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merge_base_of: Option<Box<str>>,
    /// For a translation made from another translation: that translation's language (the
    /// stamp is then of that translation's version).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub translated_from: Option<Box<str>>,
}

/// How many pairs of one language (and section) are in one state, with the words of their
/// originals: what `coverage` and the summary counts need, without keeping every pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally<'a> {
    pub lang: &'a str,
    /// The first folder of the id, for pairs with a valid original (else `None`).
    pub section: Option<Cow<'a, str>>,
    pub state: State,
    pub pairs: u32,
    /// The originals' words.
    pub words: u64,
}

/// The whole publication's pairs.
#[derive(Debug, Clone, Default)]
pub struct Pairing<'a> {
    /// The pairs asked for, sorted by id, then language, then translation.
    pub items: PairList<'a>,
    /// Every pair counted, kept or not.
    pub tallies: Vec<Tally<'a>>,
    /// Valid originals, sorted by id (empty when the answer came from the results cache, which
    /// only an [`Ask`] with `work_only` allows).
    pub articles: Vec<&'a Original>,
    /// How many valid originals there are.
    pub article_count: usize,
    /// Problems found, sorted by path.
    pub errors: Vec<Diagnostic>,
    /// Things that look wrong but break nothing (a translation whose `id:` takes another
    /// article's name, a done translation still a copy of its original), sorted by path.
    pub warnings: Vec<Diagnostic>,
    /// The languages whose answer came from the stored results: with an [`Ask`] that is
    /// `work_only`, only their pairs that need work are items, whatever `keep` accepts.
    pub from_stored: Vec<&'a str>,
}

impl Pairing<'_> {
    /// The number of pairs in each state in these languages (all when empty), kept or not.
    pub fn counts_in(&self, langs: &[String]) -> Counts {
        let mut counts = Counts::default();
        for t in &self.tallies {
            if langs.is_empty() || langs.iter().any(|l| l == t.lang) {
                counts.add_n(t.state, t.pairs);
            }
        }
        counts
    }

    pub fn counts<'b, 'a: 'b>(items: impl IntoIterator<Item = &'b Item<'a>>) -> Counts {
        let mut counts = Counts::default();
        for item in items {
            counts.add(item.state);
        }
        counts
    }
}

const CORRUPT_SNAPSHOT: &str = "the snapshot its source_hash names is corrupt (its content is not the version its name says), so what changed is unknown; restore the file from version control, or check the translation against the original, then run `tandem mark`";

const UNKNOWN_BASELINE: &str = "its source_hash matches no snapshot of the original, so what changed is unknown; check the translation against the original, then run `tandem mark`";

/// A pair with nothing known of it yet but its id, language and state.
pub fn item<'a>(id: Cow<'a, str>, lang: &'a str, state: State) -> Item<'a> {
    Item {
        id,
        lang,
        state,
        source: None,
        translation: None,
        source_lang: None,
        words: 0,
        changed: None,
        untranslated: None,
        baseline: None,
        translator: None,
        judged_by: None,
        message: None,
        looks_like: None,
    }
}

/// The originals, indexed for pairing.
struct Index<'a> {
    /// Valid originals by id.
    by_id: HashMap<&'a str, &'a Original>,
    /// Ids of originals that could not be read (or lost their id to a duplicate), with the path.
    invalid: HashMap<&'a str, &'a str>,
    /// Valid originals, sorted by id.
    articles: Vec<&'a Original>,
    /// Originals not to be translated (`localizable` is not true), by id, with the path.
    not_localizable: HashMap<&'a str, &'a str>,
    /// Ids a reader could take for one another (case, look-alike letters).
    warnings: Vec<Diagnostic>,
    /// Originals that could not be read: (id from the path, path, why).
    unreadable: Vec<(&'a str, &'a str, &'a str)>,
    /// Unreadable originals and duplicate ids.
    errors: Vec<Diagnostic>,
}

impl<'a> Index<'a> {
    fn new(originals: &'a Folder<Original>) -> Self {
        let mut index = Index {
            by_id: HashMap::default(),
            invalid: HashMap::default(),
            articles: Vec::new(),
            not_localizable: HashMap::default(),
            unreadable: Vec::new(),
            warnings: Vec::new(),
            errors: Vec::new(),
        };
        for s in &originals.files {
            match &s.result {
                Ok(o) if !o.localizable => {
                    index.not_localizable.insert(&o.id, &s.path);
                }
                Ok(o) => {
                    if let Some(first) = index.by_id.get(o.id.as_str()) {
                        // An id its front matter gives, not its path: perhaps the field is the
                        // site's own (Docusaurus's `id:` names a page within its folder).
                        let own = if o.id == s.default_id {
                            ""
                        } else {
                            "; its front matter gives it this id: if that field means something else to the site (as Docusaurus's `id:` does), give tandem's another name (`fields: {id: tandem_id}`)"
                        };
                        index.errors.push(Diagnostic::new(
                            &s.path,
                            format!(
                                "duplicate id `{}`: {} has it too; this file is ignored{own}",
                                o.id, first.path
                            ),
                        ));
                        index.invalid.entry(&o.id).or_insert(&s.path);
                    } else {
                        index.by_id.insert(&o.id, o);
                        index.articles.push(o);
                    }
                }
                Err(d) => {
                    index.errors.push(d.clone());
                    index.invalid.insert(&s.default_id, &s.path);
                    index.unreadable.push((&s.default_id, &s.path, &d.message));
                }
            }
        }
        index.articles.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        // Ids that differ only in case are one file on macOS and Windows; ids that differ only
        // in look-alike letters are one id to a reader.
        let mut seen: HashMap<String, &Original> = HashMap::default();
        for &o in &index.articles {
            if let Some(first) = seen.insert(crate::names::lookalike_key(&o.id), o) {
                index.warnings.push(Diagnostic::new(
                    &o.path,
                    format!(
                        "its id `{}` can be taken for `{}` ({}): they differ only in case or in letters that look alike",
                        o.id, first.id, first.path
                    ),
                ));
            }
        }
        index
    }
}

/// What a command asks of the pairing.
pub struct Ask<'k> {
    /// Which pairs to keep as items; every pair is counted in the tallies either way.
    pub keep: &'k (dyn Fn(&Item) -> bool + Sync),
    /// `keep` never accepts an up-to-date pair: the results cache's up-to-date pairs, stored
    /// apart, are then not even decoded.
    pub work_only: bool,
    /// The caller reads [`Pairing::articles`]: the originals are read even when every
    /// language's answer comes from the results cache. Without it, when nothing changed since
    /// the last run, the answer comes from the results cache without reading the originals or
    /// pairing again.
    pub articles: bool,
    /// The caller reads [`Pairing::items`] (`keep` accepts some pairs). Without it only the
    /// tallies and problems are wanted (`coverage`): stored pairs are not even decoded.
    pub pairs: bool,
    /// The languages whose pairs the caller reads (empty: every one): the other languages'
    /// stored pairs are not decoded (their tallies and problems still are).
    pub langs: &'k [String],
    /// Pair only the article with this id (`show`): its pairs alone are judged, and the
    /// tallies and other problems are those of its pairs only. Nothing is stored.
    pub only: Option<&'k str>,
}

/// The originals of a project once read, with the tag of the cache shard that describes them
/// (see [`crate::scan::Listing::tag`]).
pub type OriginalsCell = OnceLock<(Folder<Original>, Option<u128>)>;

/// Pairs every original with its translations, one language at a time (in parallel), so only
/// one language's translations are held at once per thread. The originals are read into
/// `originals` unless the answer can come from the results cache.
pub fn pair<'a>(
    config: &'a Config,
    originals: &'a OriginalsCell,
    options: ScanOptions,
    ask: &Ask,
) -> crate::Result<Pairing<'a>> {
    let (folders, mut errors) = language_folders(config);
    let list = |lang: &String| {
        if folders.contains(lang) {
            list_language(config, lang, options)
        } else {
            Listing::empty()
        }
    };
    let snapshots_state = options
        .use_cache
        .then(|| results::snapshots_state(config))
        .flatten();
    // Stored results hold every pair of every language, not those of one article alone.
    let loaded = (options.use_cache && ask.only.is_none())
        .then(|| results::Results::load(config))
        .flatten()
        .filter(|r| Some(r.snapshots) == snapshots_state);
    // What is on disk now, and whether it is what the cache describes. With stored results,
    // every language folder is listed (to see which are unchanged) while the originals are.
    let (mut articles_listing, early_listings) = match (originals.get(), &loaded) {
        (None, Some(_)) => {
            let (articles, langs) = rayon::join(
                || list_originals(config, options),
                || config.languages.par_iter().map(list).collect::<Vec<_>>(),
            );
            (Some(articles), Some(langs))
        }
        (None, None) => (Some(list_originals(config, options)), None),
        (Some(_), _) => (None, None),
    };
    // Finding nothing is never "nothing to do": the layout is wrong, or this is not the place.
    match (&articles_listing, originals.get()) {
        (Some(listing), _) if listing.is_empty() => {
            return Err(crate::scan::nothing_found(config, &listing.unmatched))
        }
        (None, Some((folder, _))) if folder.files.is_empty() => {
            return Err(crate::scan::nothing_found(config, &Default::default()))
        }
        _ => {}
    }
    let articles_tag = match originals.get() {
        Some((_, tag)) => *tag,
        None => articles_listing.as_ref().and_then(Listing::tag),
    };
    // With commits as the record, a verdict also depends on the originals' HEAD (a recorded
    // commit off HEAD's history is taken at its merge base with it).
    let commits = (config.baseline != BaselineKind::Stamp).then(|| CommitBaselines::new(config));
    // History with pieces missing would give wrong answers without a word: refuse instead.
    if matches!(config.baseline, BaselineKind::Git { .. }) {
        if let Some(why) = commits.as_ref().and_then(|c| c.history_problem()) {
            return Err(crate::Error::new(why).with_hint(crate::baseline::HISTORY_HINT));
        }
    }
    let (stored, older) = match loaded {
        Some(r) if Some(r.articles) == articles_tag => (Some(r), None),
        other => (None, other),
    };
    // Results from before some originals changed: when nothing changed but what some
    // originals' pairs are judged from, those pairs alone are judged again (with stamps, whose
    // verdicts read nothing but the files).
    let mut early_index = None;
    let mut record_now = None;
    let mut changes: Option<Vec<Change>> = None;
    let stored = match older {
        Some(older) if config.baseline == BaselineKind::Stamp => {
            let (folder, _) = originals.get_or_init(|| {
                let listing = articles_listing
                    .take()
                    .unwrap_or_else(|| list_originals(config, options));
                read_originals(config, listing, options)
            });
            let index = Index::new(folder);
            let now = record(&index);
            changes = changed_originals(&index, &older.originals, &now);
            early_index = Some(index);
            record_now = Some(now);
            changes.is_some().then_some(older)
        }
        _ => stored,
    };
    // What verdicts judged from commits depend on: the same as the stored results' when HEAD
    // has not moved (the history is then not read at all).
    let history = match &commits {
        None => Some(results::History::default()),
        Some(c) => match &stored {
            Some(s) if c.head() == Some(s.history.head.as_str()) => Some(s.history.clone()),
            _ if !options.use_cache => None,
            // Nothing stored: every pair is judged again, from the originals, which are read
            // while the history is walked (each leaves a core idle at times).
            None if originals.get().is_none() => {
                let listing = articles_listing
                    .take()
                    .unwrap_or_else(|| list_originals(config, options));
                let read = || originals.get_or_init(|| read_originals(config, listing, options));
                rayon::join(|| c.history_state(), read).0
            }
            _ => c.history_state(),
        },
    };
    let mut stored = stored.filter(|r| {
        history
            .as_ref()
            .is_some_and(|h| h.originals == r.history.originals)
    });
    // Originals the caller wants are read first, before any pairs are held: reading them holds
    // their cache shard and what it gives at once.
    if ask.articles {
        originals.get_or_init(|| {
            let listing = articles_listing
                .take()
                .unwrap_or_else(|| list_originals(config, options));
            read_originals(config, listing, options)
        });
    }
    // With stored results, every language folder is listed first to see which are unchanged
    // (those listed with the originals are used even when the stored results are not);
    // without, each is listed when it is read, so only one language's files are held at a time
    // per thread.
    let mut listings: Vec<Option<Listing>> = match (early_listings, &stored) {
        (Some(early), _) => early.into_iter().map(Some).collect(),
        (None, Some(_)) => config.languages.par_iter().map(|l| Some(list(l))).collect(),
        (None, None) => config.languages.iter().map(|_| None).collect(),
    };
    let snapshots = SnapshotDigests::new(config, options);
    let judging = Judging {
        commits: commits.as_ref(),
        stamp_field: &config.fields.source_hash,
        baseline: &config.baseline,
        layout: &config.layout,
        config,
        judged: Records::default(),
    };
    type Reusable<'r> = (
        Option<u128>,
        results::Reused<'r>,
        Option<results::LangBlob>,
        Vec<Diagnostic>,
    );
    // Each language's stored results on their own (each read from its file when used), so
    // that those brought up to date below are let go as soon as their new version is made.
    let mut olds: Vec<Option<results::LangBlob>> = config
        .languages
        .iter()
        .map(|lang| {
            let langs = &mut stored.as_mut()?.langs;
            let at = langs.iter().position(|r| r.lang == *lang)?;
            Some(langs.swap_remove(at))
        })
        .collect();
    // Whether results can be stored at the end of this run (see `remember`): when they cannot,
    // a language's stored results are let go once decoded.
    let storable = options.use_cache
        && snapshots_state.is_some()
        && history.is_some()
        && match originals.get() {
            Some((_, tag)) => tag.is_some(),
            None => articles_tag.is_some(),
        };
    // Pairs judged again alone look up a few snapshots: each is read rather than decoding what
    // the snapshots' cache shard remembers of all of them.
    snapshots.for_few(true);
    let reusable: Vec<Option<Reusable>> = config
        .languages
        .par_iter()
        .zip(listings.par_iter_mut())
        .zip(olds.par_iter_mut())
        .map(|((lang, slot), old)| {
            let listing = slot.as_ref()?;
            let stored = stored.as_ref()?;
            // A few translations changed, and nothing else: their pairs alone are judged again
            // in the stored results, which stay as they are (the next run does the same, until
            // the language is paired whole). With history as the record, the translations
            // committed since the results were judged too (their last commits moved).
            let alone = changes.is_none() && config.layout.source_root.is_none();
            let committed = match history.as_ref()?.lang(lang) == stored.history.lang(lang) {
                true => None,
                false => Some(
                    commits
                        .as_ref()
                        .filter(|_| alone)?
                        .changed_since(&stored.history.head)?,
                ),
            };
            let patchable = alone
                && matches!(
                    config.baseline,
                    BaselineKind::Stamp | BaselineKind::Git { .. }
                );
            let (tag, edited) = match listing.tag() {
                Some(tag) if committed.is_none() => (tag, None),
                _ if patchable => {
                    let (tag, files) = listing.changed_files(16, committed.unwrap_or(&[]))?;
                    (tag, Some(files))
                }
                _ => return None,
            };
            let blob = old.as_ref().filter(|r| r.tag == tag)?;
            let at = PatchAt {
                lang,
                judging: &judging,
                snapshots: &snapshots,
            };
            // Brought up to date for the originals that changed, then stored again.
            let (patched, store) = match (&edited, &changes) {
                (Some(files), _) => {
                    let patched =
                        blob.patched(config, &mut |p| at.patch_translations(p, files, blob))?;
                    (Some(patched), false)
                }
                (None, Some(changes)) => match changes.is_empty() {
                    true => (Some(blob.clone()), true),
                    false => (
                        Some(blob.patched(config, &mut |p| at.patch(p, changes, blob))?),
                        true,
                    ),
                },
                _ => (None, false),
            };
            let store = store && storable;
            // Replaced by its new version: the old one is not needed any more.
            if patched.is_some() && store {
                *old = None;
            }
            let blob = match &patched {
                Some(patched) => patched,
                None => old.as_ref()?,
            };
            let pairs = ask.pairs && (ask.langs.is_empty() || ask.langs.contains(lang));
            let done = match ask.work_only || !pairs {
                true => None,
                false => Some(results::Results::load_done(config, blob)?),
            };
            let done = done.as_ref().map(|(bytes, at)| &bytes[*at..]);
            let keep = pairs.then_some(ask.keep);
            // The stored answer stands: of the folder's listing only its problems are needed,
            // and it is let go before the pairs are decoded (should they not decode, the folder
            // is listed again to be paired).
            let diagnostics = slot.take().map(|l| l.diagnostics).unwrap_or_default();
            let reused = blob.reuse(
                config,
                (lang, &config.languages),
                keep,
                done,
                &judging.judged,
            )?;
            if !storable {
                *old = None;
            }
            // Results judged at another commit are not stored again with this one's history:
            // when another language's results are stored, this one is left out.
            let tag = committed.is_none().then_some(tag);
            Some((tag, reused, patched.filter(|_| store), diagnostics))
        })
        .collect();

    snapshots.for_few(false);
    // The originals, read only when some language has to be paired again (or the caller
    // wants them).
    let must_read = ask.articles || reusable.iter().any(Option::is_none);
    let index = early_index.or_else(|| {
        must_read.then(|| {
            let (folder, _) = originals.get_or_init(|| {
                let listing = articles_listing
                    .take()
                    .unwrap_or_else(|| list_originals(config, options));
                read_originals(config, listing, options)
            });
            Index::new(folder)
        })
    });
    // The walk's problems with the originals' folder, from whichever pass saw it.
    match (originals.get(), &articles_listing) {
        (Some((folder, _)), _) => errors.extend(folder.diagnostics.iter().cloned()),
        (None, Some(listing)) => errors.extend(listing.diagnostics.iter().cloned()),
        (None, None) => {}
    }
    // What is left of the originals' listing (their cache shard) is not needed any more.
    drop(articles_listing.take());
    match (&index, &stored) {
        (Some(index), _) => errors.extend(index.errors.iter().cloned()),
        (None, Some(stored)) => errors.extend(stored.errors.iter().cloned()),
        (None, None) => {}
    }
    let articles_tag = match originals.get() {
        Some((_, tag)) => *tag,
        None => articles_tag,
    };

    // With git history as the record, the versions the translations of every language to pair
    // were made from, looked up together: each tree and each version read once for all.
    if let (Some(commits), Some(index), BaselineKind::Git { .. }) =
        (&commits, &index, &config.baseline)
    {
        let pairing: Vec<crate::layout::TranslationIds> = config
            .translation_langs
            .iter()
            .filter(|l| {
                let at = config.languages.iter().position(|x| *x == l.tag);
                at.is_some_and(|i| reusable[i].is_none())
            })
            .map(|l| config.layout.translation_ids(l))
            .collect();
        if let Some(last) = commits.last_changes().filter(|_| !pairing.is_empty()) {
            let lasts: Vec<(&str, &str)> = last.lasts().collect();
            let mut wanted: Vec<(&str, &Original)> = lasts
                .par_iter()
                .filter_map(|&(path, commit)| {
                    let id = pairing.iter().find_map(|l| l.id_of(path))?;
                    if ask.only.is_some_and(|o| o != id) {
                        return None;
                    }
                    Some((commit, *index.by_id.get(id)?))
                })
                .collect();
            // With ignore words, each original's own last counted version too (a translation
            // of the original as it was before a typo fix is up to date): then judging reads
            // nothing more from the repository.
            if matches!(&config.baseline, BaselineKind::Git { ignore } if !ignore.is_empty()) {
                wanted.extend(index.articles.iter().filter_map(|o| {
                    if ask.only.is_some_and(|only| only != o.id) {
                        return None;
                    }
                    Some((last.last(&o.path)?, *o))
                }));
            }
            commits.prefetch(&wanted);
            commits.release();
        }
    }

    // With a commit in the translations' front matter as the record, the versions the
    // translations of every language to pair were made from are looked up together when they
    // are many: the languages share most of the commits and folders, and each tree is then read
    // once for all. The commits are read from the translations first, which are let go before
    // the look-ups (all languages' translations at once are more than the look-ups' memory) and
    // taken again from the scan cache that reading them wrote when each language is paired (so
    // not without the cache, nor for one article).
    let mut listings = listings;
    let mut read_before = vec![false; config.languages.len()];
    if let (Some(commits), Some(index), BaselineKind::CommitField(_), true, None) = (
        &commits,
        &index,
        &config.baseline,
        options.use_cache,
        ask.only,
    ) {
        let to_pair: Vec<bool> = reusable.iter().map(Option::is_none).collect();
        config
            .languages
            .par_iter()
            .zip(listings.par_iter_mut())
            .zip(&to_pair)
            .filter(|(_, to_pair)| **to_pair)
            .for_each(|((lang, listing), _)| {
                listing.get_or_insert_with(|| list(lang));
            });
        let files: usize = listings.iter().flatten().map(Listing::len).sum();
        if files >= LOOKED_UP_TOGETHER {
            read_before = to_pair;
        }
        let recorded: Vec<Vec<(String, &Original)>> = config
            .languages
            .par_iter()
            .zip(listings.par_iter_mut())
            .zip(&read_before)
            .filter(|((lang, _), read)| **read && folders.contains(*lang))
            .map(|((lang, listing), _)| {
                let listing = listing.take().unwrap_or_else(|| list(lang));
                let (folder, _) = read_language(config, lang, listing, options);
                folder
                    .files
                    .iter()
                    .filter_map(|s| {
                        let (commit, original) = recorded_commit(s.result.as_ref().ok()?, index)?;
                        Some((commit.to_string(), original))
                    })
                    .collect()
            })
            .collect();
        let wanted: Vec<(&str, &Original)> = recorded
            .iter()
            .flatten()
            .map(|(commit, original)| (commit.as_str(), *original))
            .collect();
        if !wanted.is_empty() {
            commits.prefetch(&wanted);
            commits.release();
        }
    }

    let done_inputs = match (articles_tag, snapshots_state, &history) {
        (Some(articles), Some(snapshots), Some(history)) => Some((articles, snapshots, history)),
        _ => None,
    };
    let per_language: Vec<LangOut> = config
        .languages
        .par_iter()
        .zip(listings)
        .zip(reusable)
        .zip(read_before)
        .map(
            |(((lang, listing), reused), read_before)| match (reused, &index) {
                (Some((tag, r, patched, mut errors)), _) => {
                    errors.extend(r.errors);
                    LangOut {
                        items: r.items,
                        tallies: r.tallies,
                        errors,
                        warnings: r.warnings,
                        stored: patched,
                        tag,
                        reused: true,
                    }
                }
                (None, Some(index)) => {
                    // Counted once by the progress indicator, when first read.
                    let options = match read_before {
                        true => ScanOptions {
                            progress: None,
                            ..options
                        },
                        false => options,
                    };
                    // Read before (for the commits they record): listed again from the
                    // shard that reading wrote.
                    let listing = listing.unwrap_or_else(|| match read_before {
                        true if folders.contains(lang) => {
                            list_language_again(config, lang, options)
                        }
                        _ => list(lang),
                    });
                    let (folder, tag) = if folders.contains(lang) {
                        read_language(config, lang, listing, options)
                    } else {
                        (Folder::default(), listing.tag())
                    };
                    // What the up-to-date pairs are judged from, when the results can be stored.
                    let remember = match (tag, done_inputs) {
                        (Some(tag), Some(inputs)) if options.use_cache && ask.only.is_none() => {
                            Some((tag, results::DoneKey::new(inputs, lang, tag)))
                        }
                        _ => None,
                    };
                    let mut out = pair_language(
                        &judging,
                        lang,
                        &config.languages,
                        &config.source_lang,
                        config.localizable.as_deref(),
                        index,
                        folder,
                        &snapshots,
                        ask,
                        remember,
                    );
                    out.tag = tag;
                    out
                }
                (None, None) => unreachable!("the originals are read when a language is paired"),
            },
        )
        .collect();
    // Snapshots are looked up for the pairs judged in this run: all of them, unless some
    // language's answer came from the stored results or one article was asked for.
    let whole = ask.only.is_none() && per_language.iter().all(|o| !o.reused);
    snapshots.finish(whole);
    if let Some(c) = &commits {
        c.release();
    }

    let article_count = match (&index, &stored) {
        (Some(index), _) => index.articles.len(),
        (None, Some(stored)) => stored.article_count as usize,
        (None, None) => 0,
    };
    let mut per_language = per_language;
    if let (Some(index), Some(articles), Some(snapshots), Some(history)) =
        (&index, articles_tag, snapshots_state, history)
    {
        let mut old = stored.take().map(|s| s.langs).unwrap_or_default();
        old.extend(olds.into_iter().flatten());
        let record = record_now.unwrap_or_else(|| record(index));
        remember(
            config,
            index,
            (articles, snapshots, history, record),
            old,
            &mut per_language,
        );
    }

    let mut items = Vec::with_capacity(per_language.len());
    let mut tallies = Vec::new();
    let mut warnings = match (&index, &mut stored) {
        (Some(index), _) => index.warnings.clone(),
        (None, Some(stored)) => std::mem::take(&mut stored.warnings),
        (None, None) => Vec::new(),
    };
    let mut from_stored = Vec::new();
    for (lang, out) in config.languages.iter().zip(per_language) {
        if out.reused {
            from_stored.push(lang.as_str());
        }
        items.push(out.items);
        tallies.extend(out.tallies);
        errors.extend(out.errors);
        warnings.extend(out.warnings);
    }
    warnings.sort_by(|a: &Diagnostic, b: &Diagnostic| (&a.path, a.line).cmp(&(&b.path, b.line)));
    warnings.dedup();
    let items = PairList::new(items);
    errors.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    errors.dedup();
    Ok(Pairing {
        items,
        tallies,
        articles: index.map(|i| i.articles).unwrap_or_default(),
        article_count,
        errors,
        warnings,
        from_stored,
    })
}

/// Stores the results when a language was paired again and every input is cacheable: the new
/// results of the languages paired in this run, the `old` ones of the others.
fn remember(
    config: &Config,
    index: &Index,
    (articles, snapshots, history, originals): (u128, u128, results::History, results::Record),
    mut old: Vec<results::LangBlob>,
    per_language: &mut [LangOut],
) {
    if per_language.iter().all(|o| o.stored.is_none()) {
        return;
    }
    // A language whose answer cannot be kept (a file too recent, a translation made from
    // another language's) is left out: the next run pairs it again, and takes the others.
    let langs: Vec<results::LangBlob> = config
        .languages
        .iter()
        .zip(per_language)
        .filter_map(|(lang, out)| {
            let tag = out.tag?;
            match out.stored.take() {
                Some(new) => Some(new),
                None => {
                    let i = old.iter().position(|r| r.lang == *lang && r.tag == tag)?;
                    Some(old.swap_remove(i))
                }
            }
        })
        .collect();
    if !langs.is_empty() {
        results::Results {
            articles,
            snapshots,
            article_count: index.articles.len() as u32,
            errors: index.errors.clone(),
            warnings: index.warnings.clone(),
            langs,
            history,
            originals,
        }
        .store(config);
    }
}

/// What pairing one language gave.
struct LangOut<'a> {
    items: Vec<Item<'a>>,
    tallies: Vec<Tally<'a>>,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    /// What to remember of it, when it was paired in this run.
    stored: Option<results::LangBlob>,
    /// The tag of the language's cache shard, when it describes the files on disk now.
    tag: Option<u128>,
    /// Whether the answer is the stored results' (with a `work_only` ask, without its
    /// up-to-date pairs).
    reused: bool,
}

/// From how many translation files (of all the languages to pair) the commits they record are
/// looked up together, before any language is paired. Below it, each language's are looked up
/// as it is paired: reading the translations twice costs more than the trees shared save
/// (OpenTelemetry's 1,000 translations, cold: 0.97 -> 1.03 s together; 20,000 originals × 10
/// languages: 4.8 -> 3.6 s).
const LOOKED_UP_TOGETHER: usize = 40_000;

/// The commit a translation judged by it records, with the original it was made from.
fn recorded_commit<'t, 'a>(
    t: &'t TranslationSummary,
    index: &Index<'a>,
) -> Option<(&'t str, &'a Original)> {
    if t.progress != Progress::Done || t.source_hash.is_some() {
        return None;
    }
    Some((
        t.recorded_commit.as_deref()?,
        *index.by_id.get(t.id.as_str())?,
    ))
}

/// The pairs of one language.
/// With `remember` (the language's tag and what its up-to-date pairs are judged from), its
/// up-to-date pairs are stored at once, and the rest to store in the results is returned too.
#[allow(clippy::too_many_arguments)]
fn pair_language<'a>(
    judging: &Judging,
    lang: &'a str,
    languages: &[String],
    source_lang: &str,
    localizable: Option<&str>,
    index: &Index<'a>,
    folder: Folder<TranslationSummary>,
    snapshots: &SnapshotDigests,
    ask: &Ask,
    remember: Option<(u128, results::DoneKey)>,
) -> LangOut<'a> {
    let (keep, only) = (ask.keep, ask.only);
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let encode = remember.is_some();
    // Room for every pair the language can have (one per original, one per translation file),
    // so that nothing is copied as the lists grow.
    let room = index.articles.len() + folder.files.len();
    let mut kept: Vec<Item<'a>> = Vec::with_capacity(room);
    let stored_room = if encode { room } else { 0 };
    let mut work = results::Items::with_room(stored_room);
    let mut done = results::Items::with_room(stored_room);
    let source_of = |id: &str| index.by_id.get(id).copied();
    let mut tallies: HashMap<(Option<&'a str>, State), (u32, u64)> = HashMap::default();
    // Every pair is tallied (with its valid original's words and section); kept if asked for,
    // remembered if it needs work.
    // `counted_id`: the id of a pair that counts in its edition without a readable original
    // (an original that cannot be read).
    let mut push = |it: Item<'a>, original: Option<&'a Original>, counted_id: Option<&'a str>| {
        let section = original
            .map(|o| o.id.as_str())
            .or(counted_id)
            .map(section_of);
        let entry = tallies.entry((section, it.state)).or_default();
        entry.0 += 1;
        entry.1 += original.map_or(0, |o| u64::from(o.words));
        if encode {
            match it.state {
                State::UpToDate => done.push(&it),
                _ => work.push(&it),
            }
        }
        if keep(&it) {
            kept.push(it);
        }
    };
    // A translation file that does not count: a duplicate or an unreadable file.
    let invalid = |id: &str, s: &Scanned<TranslationSummary>, message: String| {
        let original = source_of(id);
        let mut it = item(owned_or_borrowed(id, original), lang, State::Invalid);
        it.translation = Some(s.path.as_str().into());
        it.source = original.map(|o| Cow::Borrowed(o.path.as_str()));
        it.source_lang = original.map(|o| Cow::Borrowed(o.lang.as_str()));
        it.message = Some(message.into());
        (it, original)
    };

    let mut translations: HashMap<&str, &Scanned<TranslationSummary>> = HashMap::default();
    let mut unreadable: HashSet<&str> = HashSet::default();
    for s in &folder.files {
        if let Some(only) = only {
            let id = s
                .result
                .as_ref()
                .map_or(s.default_id.as_str(), |t| t.id.as_str());
            // The article's own translations, and orphans (which may look like its own).
            let orphan = s.result.is_ok() && !index.by_id.contains_key(id);
            if id != only && s.default_id != only && !orphan {
                continue;
            }
        }
        match &s.result {
            Ok(t) => {
                // An `id:` that pairs the file with another article than the one its path names
                // (itself an article): easy to miss, and `new --force` on that path would
                // destroy it.
                if t.id != s.default_id && index.by_id.contains_key(s.default_id.as_str()) {
                    warnings.push(Diagnostic::new(
                        &s.path,
                        format!(
                            "its `id: {}` pairs it with `{}`, although its path is that of the translation of `{}`",
                            t.id, t.id, s.default_id
                        ),
                    ));
                }
                if let Some(first) = translations.get(t.id.as_str()) {
                    let message = format!(
                        "duplicate translation of `{}` into `{lang}`: {} is one too",
                        t.id, first.path
                    );
                    errors.push(Diagnostic::new(&s.path, &message));
                    let (it, original) = invalid(&t.id, s, message);
                    push(it, original, None);
                } else {
                    translations.insert(&t.id, s);
                }
            }
            Err(d) => {
                errors.push(d.clone());
                let (it, original) = invalid(&s.default_id, s, d.message.clone());
                push(it, original, None);
                unreadable.insert(&s.default_id);
            }
        }
    }

    // A translation made from another one is judged from that one's file, which this
    // language's cache shard does not cover: such a language's answer is not stored.
    let remember = remember.filter(|_| {
        !translations
            .values()
            .any(|s| s.result.as_ref().is_ok_and(|t| t.translated_from.is_some()))
    });

    // The snapshots this language's outdated pairs need.
    let digests: HashMap<&str, Result<Arc<[u64]>, bool>> = translations
        .iter()
        .filter_map(|(id, s)| snapshot_needed(s.result.as_ref().ok()?, source_of(id)?))
        .collect::<HashSet<&str>>()
        .into_par_iter()
        .map(|stamp| (stamp, snapshot_digests(snapshots, stamp)))
        .collect();

    // The versions of the originals this language's translations were made from, when the
    // record is a commit in their front matter: looked up together. (With history as the
    // record, or with many translations, those of every language paired were looked up before
    // the languages were: then this finds them known.)
    if let (Some(commits), BaselineKind::CommitField(_)) = (judging.commits, judging.baseline) {
        let wanted: Vec<(&str, &Original)> = translations
            .values()
            .filter_map(|s| recorded_commit(s.result.as_ref().ok()?, index))
            .collect();
        commits.prefetch(&wanted);
    }

    let single: Vec<&Original>;
    let articles: &[&Original] = match only {
        Some(only) => {
            single = index.by_id.get(only).copied().into_iter().collect();
            &single
        }
        None => &index.articles,
    };
    for &original in articles {
        let id = original.id.as_str();
        if !languages.contains(&original.lang) {
            warnings.push(Diagnostic::new(
                &original.path,
                format!(
                    "its `lang: {}` is not one of the publication's languages ({})",
                    original.lang,
                    languages.join(", ")
                ),
            ));
        }
        let found = translations.get(id);
        if found.is_none() && (unreadable.contains(id) || !original.targets(lang)) {
            // Not a target, or the file is there but unreadable: listed as invalid above.
            continue;
        }
        let mut it = pair_of(original, lang);
        match found.and_then(|s| s.result.as_ref().ok().map(|t| (s, t))) {
            None => it.words = original.words,
            Some((s, t)) if lang == original.lang => {
                it.translation = Some(s.path.as_str().into());
                it.translator = t.translator.as_deref().map(Into::into);
                if let Some(w) = looks_copied(original, t, &s.path) {
                    warnings.push(w);
                }
                it.state = State::Invalid;
                let message =
                    format!("a translation into `{lang}`, the language the original is written in");
                errors.push(Diagnostic::new(&s.path, &message));
                it.message = Some(message.into());
            }
            Some((s, t)) => {
                let found = (s.path.as_str(), t);
                judge_found(&mut it, original, found, &digests, judging, &mut warnings);
            }
        }
        push(it, Some(original), None);
    }

    // Originals that cannot be read, where no translation stands for them: one invalid pair
    // per language, so a broken original is counted, not only reported on stderr (its
    // language is not known; originals are in the source language unless they say otherwise).
    if lang != source_lang {
        for &(id, path, why) in &index.unreadable {
            if translations.contains_key(id)
                || unreadable.contains(id)
                || only.is_some_and(|o| o != id)
            {
                continue;
            }
            let mut it = item(Cow::Borrowed(id), lang, State::Invalid);
            it.source = Some(Cow::Borrowed(path));
            it.message = Some(format!("its original {path} cannot be read: {why}").into());
            push(it, None, Some(id));
        }
    }

    // Translations with no original (and, made when the first is met, the articles that
    // could be theirs).
    let mut names: Option<Renames> = None;
    for (id, s) in &translations {
        if index.by_id.contains_key(id) {
            continue;
        }
        let Ok(t) = &s.result else { continue };
        let mut it = item(Cow::Owned(id.to_string()), lang, State::Orphaned);
        it.translation = Some(s.path.as_str().into());
        it.translator = t.translator.as_deref().map(Into::into);
        if let Some(path) = index.invalid.get(id) {
            it.state = State::Invalid;
            it.source = Some(Cow::Borrowed(path));
            it.message = Some(format!("its original {path} is invalid").into());
        } else if let Some(path) = index.not_localizable.get(id) {
            it.message = Some(
                format!(
                    "its original {path} is not to be translated (its `{}` is not true)",
                    localizable.unwrap_or_default()
                )
                .into(),
            );
        } else {
            let mut message = format!("no original has the id `{id}`");
            let names = names.get_or_insert_with(|| {
                // Every translation's id in this language (all of them, also when pairing one
                // article).
                let present: HashSet<&str> = folder
                    .files
                    .iter()
                    .filter_map(|s| s.result.as_ref().ok().map(|t| t.id.as_str()))
                    .collect();
                Renames::new(index, &present, lang)
            });
            if let Some((to, why)) = renamed_to(id, &s.path, index, names, judging) {
                message.push_str(&format!("; {}", looks_like(id, to, why)));
                it.looks_like = Some(Box::new((to.to_string(), why.to_string())));
            }
            it.message = Some(message.into());
        }
        push(it, None, None);
    }
    let tallies: Vec<Tally<'a>> = tallies
        .into_iter()
        .map(|((section, state), (pairs, words))| Tally {
            lang,
            section: section.map(Cow::Borrowed),
            state,
            pairs,
            words,
        })
        .collect();
    let stored = remember.and_then(|(tag, key)| {
        let done_key = done.store_done(judging.config, &key, lang)?;
        let tallies: Vec<results::StoredTally> =
            tallies.iter().map(results::StoredTally::of).collect();
        // Written and let go at once, as the up-to-date pairs are, not held until every
        // language is paired.
        results::LangBlob::written(
            judging.config,
            work,
            (&tallies, &errors, &warnings),
            lang,
            (tag, done_key),
        )
    });
    let mut all_errors = folder.diagnostics;
    all_errors.extend(errors);
    // Kept until the output is written, with every language's: moved to a vector of their
    // size (the room not used may be memory used before, already resident, and shrinking a
    // vector in place does not give memory back).
    let mut exact = Vec::with_capacity(kept.len());
    exact.append(&mut kept);
    drop(kept);
    LangOut {
        items: exact,
        tallies,
        errors: all_errors,
        warnings,
        stored,
        tag: None,
        reused: false,
    }
}

/// The pair of `original` in `lang`, before its translation is looked at (missing).
fn pair_of<'a>(original: &'a Original, lang: &'a str) -> Item<'a> {
    let mut it = item(Cow::Borrowed(original.id.as_str()), lang, State::Missing);
    it.source = Some(Cow::Borrowed(&original.path));
    it.source_lang = Some(Cow::Borrowed(&original.lang));
    it
}

/// The snapshot a translation's stamp names, when judging it needs one (done, and made from
/// another version of the original than this one).
fn snapshot_needed<'t>(t: &'t TranslationSummary, original: &Original) -> Option<&'t str> {
    let stamp = t.source_hash.as_deref()?;
    (t.progress == Progress::Done && stamp != original.fingerprint).then_some(stamp)
}

/// A snapshot's block digests, or whether the file is there at all (corrupt) when it cannot
/// be read.
fn snapshot_digests(snapshots: &SnapshotDigests, stamp: &str) -> Result<Arc<[u64]>, bool> {
    snapshots.get(stamp).ok_or_else(|| snapshots.exists(stamp))
}

/// Judges `it`, the pair of `original` in a language other than its own, from its readable
/// translation `t` at `path`; the warning that it looks like a copy goes to `warnings`.
fn judge_found(
    it: &mut Item,
    original: &Original,
    (path, t): (&str, &TranslationSummary),
    digests: &HashMap<&str, Result<Arc<[u64]>, bool>>,
    judging: &Judging,
    warnings: &mut Vec<Diagnostic>,
) {
    it.translation = Some(path.into());
    it.translator = t.translator.as_deref().map(Into::into);
    if let Some(w) = looks_copied(original, t, path) {
        warnings.push(w);
    }
    judge(it, original, t, digests, judging);
}

/// The section a pair is counted in: the first folder of its original's id.
fn section_of(id: &str) -> &str {
    id.split_once('/').map_or("(top)", |(first, _)| first)
}

/// What the verdicts read of the originals (see [`results::Record`]).
fn record(index: &Index) -> results::Record {
    // What is hashed, gathered first (one hash of it all is much faster than many small ones).
    let mut shape = Vec::with_capacity(index.articles.len() * 96);
    let mut add = |parts: &[&str]| {
        for p in parts {
            shape.extend_from_slice(&(p.len() as u64).to_le_bytes());
            shape.extend_from_slice(p.as_bytes());
        }
    };
    for o in &index.articles {
        add(&[&o.id, &o.path, &o.lang]);
        match &o.translate_to {
            None => add(&["*"]),
            Some(list) => {
                add(&[&list.len().to_string()]);
                for l in list {
                    add(&[l]);
                }
            }
        }
    }
    let mut sorted = |map: &HashMap<&str, &str>, what: &str| {
        let mut all: Vec<(&str, &str)> = map.iter().map(|(a, b)| (*a, *b)).collect();
        all.sort_unstable();
        add(&[what, &all.len().to_string()]);
        for (a, b) in all {
            add(&[a, b]);
        }
    };
    sorted(&index.invalid, "invalid");
    sorted(&index.not_localizable, "not localizable");
    for (id, path, why) in &index.unreadable {
        add(&[id, path, why]);
    }
    for d in index.errors.iter().chain(&index.warnings) {
        add(&[&d.path, &d.line.unwrap_or(0).to_string(), &d.message]);
    }
    let digest = |bytes: &[u8]| {
        let mut first = [0u8; 8];
        first.copy_from_slice(&blake3::hash(bytes).as_bytes()[..8]);
        u64::from_le_bytes(first)
    };
    let articles = index
        .articles
        .par_iter()
        .map_init(Vec::new, |bytes: &mut Vec<u8>, o| {
            bytes.clear();
            bytes.extend_from_slice(o.fingerprint.as_bytes());
            bytes.extend_from_slice(&o.words.to_le_bytes());
            bytes.extend_from_slice(&(o.units.len() as u64).to_le_bytes());
            for u in &o.units {
                bytes.extend_from_slice(&u.digest.to_le_bytes());
                bytes.extend_from_slice(&u.words.to_le_bytes());
                bytes.push(u.kind as u8);
            }
            for k in &o.paragraphs {
                bytes.extend_from_slice(&k.to_le_bytes());
            }
            let content = digest(bytes);
            bytes.clear();
            for k in &o.signature {
                bytes.extend_from_slice(&k.to_le_bytes());
            }
            (content, digest(bytes), o.words)
        })
        .collect();
    results::Record {
        shape: u128::from_le_bytes(
            blake3::hash(&shape).as_bytes()[..16]
                .try_into()
                .unwrap_or_default(),
        ),
        articles,
    }
}

/// An original whose pairs are judged again.
struct Change<'a> {
    original: &'a Original,
    /// Its words when the stored results were judged (each of its pairs counted them).
    old_words: u32,
    /// Its signature changed (orphans are compared with it).
    signature: bool,
}

/// The originals that changed between the stored results' `old` record and `now`, when
/// nothing else changed and few enough did for judging their pairs again to beat pairing
/// everything.
fn changed_originals<'a>(
    index: &Index<'a>,
    old: &results::Record,
    now: &results::Record,
) -> Option<Vec<Change<'a>>> {
    if old.shape != now.shape || old.articles.len() != now.articles.len() {
        return None;
    }
    let changes: Vec<Change> = index
        .articles
        .iter()
        .zip(old.articles.iter().zip(&now.articles))
        .filter(|(_, (o, n))| o.0 != n.0 || o.1 != n.1 || o.2 != n.2)
        .map(|(original, (o, n))| Change {
            original,
            old_words: o.2,
            signature: o.1 != n.1,
        })
        .collect();
    (changes.len() <= 16 + index.articles.len() / 50).then_some(changes)
}

/// What judging one language's pairs of some originals again needs.
struct PatchAt<'p, 'a> {
    lang: &'a str,
    judging: &'p Judging<'p>,
    snapshots: &'p SnapshotDigests<'p>,
}

impl<'a> PatchAt<'_, 'a> {
    /// Judges the pairs of `changes` again in a language's stored results. `None` when that
    /// cannot give the answer pairing everything would (the language is then paired whole).
    fn patch(
        &self,
        p: &mut results::Patch,
        changes: &[Change<'a>],
        blob: &results::LangBlob,
    ) -> Option<()> {
        let lang = self.lang;
        // Orphans are compared with the originals' signatures.
        if changes.iter().any(|c| c.signature) && p.has_state(State::Orphaned) {
            return None;
        }
        let config = self.judging.config;
        let mut in_done = None;
        // The language's patterns, made when a translation's id is first wanted.
        let mut ids = None;
        for c in changes {
            let o = c.original;
            let id = o.id.as_str();
            let section = Some(section_of(id));
            let mut main = None;
            // Every pair of the original counts its words: those that are not judged again
            // (an invalid translation) are counted with its words now.
            let pairs: Vec<(usize, State)> = p.work_of(id).collect();
            for (at, state) in pairs {
                match state {
                    State::Invalid => {
                        p.recount(section, Some((state, c.old_words)), Some((state, o.words)))
                    }
                    State::Orphaned => return None,
                    _ if main.is_some() => return None,
                    _ => main = Some(p.take(at)),
                }
            }
            if main.is_none() && p.done_stands(id) {
                let done = match &mut in_done {
                    Some(done) => done,
                    None => {
                        let ids: Vec<&str> =
                            changes.iter().map(|c| c.original.id.as_str()).collect();
                        in_done.insert(results::Results::done_pairs(
                            config,
                            blob,
                            results::By::Id,
                            &ids,
                        )?)
                    }
                };
                if let Some(found) = done.remove(id) {
                    p.drop_done(id);
                    main = Some(found);
                }
            }
            let Some(main) = main else {
                // No pair to judge: not a target, or its translation is invalid.
                continue;
            };
            let it = match &main.translation {
                None => {
                    let mut it = pair_of(o, lang);
                    it.words = o.words;
                    it
                }
                Some(path) => {
                    let ids = match &ids {
                        Some(ids) => ids,
                        None => ids.insert(
                            config
                                .translation_langs
                                .iter()
                                .find(|l| l.tag == lang)
                                .map(|l| config.layout.translation_ids(l))?,
                        ),
                    };
                    let t = self.translation(path, ids.id_of(path)?)?;
                    if t.id != id {
                        return None;
                    }
                    self.judged(p, o, path, &t)?
                }
            };
            p.recount(
                section,
                Some((main.state, c.old_words)),
                Some((it.state, o.words)),
            );
            p.add(&it);
        }
        Some(())
    }
}

impl<'a> PatchAt<'_, 'a> {
    /// The translation at `path` as the scan reads it, when it is one that can be judged again
    /// alone (not made from another translation).
    fn translation(&self, path: &str, default_id: &str) -> Option<TranslationSummary> {
        let config = self.judging.config;
        let default_id = crate::names::nfc(default_id);
        let text = crate::scan::read_text(&config.root.join(path), path).ok()?;
        let t =
            crate::document::read_translation_summary(&text, path, &default_id, self.lang, config)
                .ok()?;
        (t.translated_from.is_none()).then_some(t)
    }

    /// The pair of `o` and its translation `t` at `path`, judged again as pairing judges it
    /// (its warning that it looks like a copy too).
    fn judged<'o>(
        &self,
        p: &mut results::Patch,
        o: &'o Original,
        path: &str,
        t: &TranslationSummary,
    ) -> Option<Item<'o>>
    where
        'a: 'o,
    {
        if self.lang == o.lang {
            return None;
        }
        let mut it = pair_of(o, self.lang);
        p.warnings
            .retain(|w| !(w.path == path && w.message.starts_with(LOOKS_COPIED)));
        let digests: HashMap<&str, _> = snapshot_needed(t, o)
            .map(|stamp| (stamp, snapshot_digests(self.snapshots, stamp)))
            .into_iter()
            .collect();
        judge_found(
            &mut it,
            o,
            (path, t),
            &digests,
            self.judging,
            &mut p.warnings,
        );
        Some(it)
    }

    /// Judges again, in a language's stored results, the pairs of the translations that
    /// changed (`files`: path, id from the path), when nothing else did. `None` when that cannot
    /// give the answer pairing the language whole would.
    fn patch_translations(
        &self,
        p: &mut results::Patch,
        files: &[(&str, &str)],
        blob: &results::LangBlob,
    ) -> Option<()> {
        let config = self.judging.config;
        let mut in_done = None;
        for &(path, default_id) in files {
            let t = self.translation(path, default_id)?;
            // Its id from its path: another id would pair it with another article.
            if t.id != crate::names::nfc(default_id) {
                return None;
            }
            let found = p.work_at(path);
            let main = match found.as_slice() {
                [(at, id, state)]
                    if *id == t.id && !matches!(state, State::Invalid | State::Orphaned) =>
                {
                    p.take(*at)
                }
                [] if p.done_stands(&t.id) => {
                    let done = match &mut in_done {
                        Some(done) => done,
                        None => {
                            let paths: Vec<&str> = files.iter().map(|f| f.0).collect();
                            let by = results::By::Translation;
                            in_done.insert(results::Results::done_pairs(config, blob, by, &paths)?)
                        }
                    };
                    let taken = done.remove(path).filter(|d| d.id == t.id)?;
                    p.drop_done(&t.id);
                    taken
                }
                _ => return None,
            };
            // Another file with the same id (one of them invalid): the language is paired whole.
            if p.work_of(&t.id).any(|(_, s)| s == State::Invalid) {
                return None;
            }
            // The original, read as the scan reads it (the originals are as the results knew
            // them).
            let source = main.source.as_deref()?;
            let default = config.layout.original_id(source)?;
            let text = crate::scan::read_text(&config.root.join(source), source).ok()?;
            let o = crate::document::read_article(&text, source, &default, config)
                .ok()?
                .summary();
            if o.id != t.id || !o.localizable {
                return None;
            }
            let it = self.judged(p, &o, path, &t)?;
            let section = Some(section_of(&o.id));
            p.recount(
                section,
                Some((main.state, o.words)),
                Some((it.state, o.words)),
            );
            p.add(&it);
        }
        Some(())
    }
}

/// An id borrowed from its original when there is one, else owned.
fn owned_or_borrowed<'a>(id: &str, original: Option<&'a Original>) -> Cow<'a, str> {
    match original {
        Some(o) => Cow::Borrowed(o.id.as_str()),
        None => Cow::Owned(id.to_string()),
    }
}

/// What judging a pair needs besides the pair.
struct Judging<'j> {
    commits: Option<&'j CommitBaselines<'j>>,
    stamp_field: &'j str,
    baseline: &'j BaselineKind,
    layout: &'j crate::layout::Layout,
    config: &'j crate::config::Config,
    /// Each record judging some pair, once: thousands of translations share a commit, and a
    /// stamp is shared by the languages translated from the same version (else each pair holds
    /// a record of its own, a box and up to five strings).
    judged: Records,
}

/// The records that judged pairs, each kept once and shared by the pairs it judged: found by
/// their fields' hash without making the record again, in one of several maps (by the hash)
/// so that threads seldom wait for one another. (Two records with one hash, which 64 bits make
/// unlikely, are each kept, the second not shared.)
pub(crate) struct Records([Mutex<RecordMap>; RECORD_MAPS]);

type RecordMap = rustc_hash::FxHashMap<u64, Arc<JudgedBy>>;

const RECORD_MAPS: usize = 16;

impl Default for Records {
    fn default() -> Self {
        Records(std::array::from_fn(|_| Mutex::default()))
    }
}

/// A [`JudgedBy`]'s fields, borrowed: what a record is found by.
#[derive(Hash, PartialEq, Eq, Clone, Copy)]
pub(crate) struct RecordKey<'k> {
    pub kind: &'k str,
    pub field: &'k str,
    pub value: &'k str,
    pub commit: Option<&'k str>,
    pub merge_base_of: Option<&'k str>,
    pub translated_from: Option<&'k str>,
}

impl RecordKey<'_> {
    fn hash64(&self) -> u64 {
        use std::hash::{BuildHasher, BuildHasherDefault};
        BuildHasherDefault::<rustc_hash::FxHasher>::default().hash_one(self)
    }
}

impl JudgedBy {
    fn key(&self) -> RecordKey<'_> {
        RecordKey {
            kind: self.kind,
            field: &self.field,
            value: &self.value,
            commit: self.commit.as_deref(),
            merge_base_of: self.merge_base_of.as_deref(),
            translated_from: self.translated_from.as_deref(),
        }
    }
}

impl Records {
    /// `record`, or the same record already shared.
    pub(crate) fn share(&self, record: JudgedBy) -> Arc<JudgedBy> {
        self.find_or(record.key(), || record.clone())
    }

    /// The record with these fields, made by `make` if none is shared yet.
    pub(crate) fn find_or(&self, key: RecordKey, make: impl FnOnce() -> JudgedBy) -> Arc<JudgedBy> {
        let hash = key.hash64();
        let Ok(mut map) = self.map(hash) else {
            return Arc::new(make());
        };
        match map.entry(hash) {
            Entry::Occupied(known) if known.get().key() == key => Arc::clone(known.get()),
            Entry::Occupied(_) => Arc::new(make()),
            Entry::Vacant(room) => Arc::clone(room.insert(Arc::new(make()))),
        }
    }

    fn map(&self, hash: u64) -> std::sync::LockResult<MutexGuard<'_, RecordMap>> {
        self.0[hash as usize % RECORD_MAPS].lock()
    }
}

/// Where a commit judging a translation came from.
#[derive(Clone, Copy)]
enum Record<'r> {
    /// A front matter field (`baseline: {commit_field: …}`).
    Field(&'r str),
    /// The translation's last commit (`baseline: git`).
    History,
}

/// The state of a pair whose translation exists.
fn judge(
    it: &mut Item,
    original: &Original,
    t: &TranslationSummary,
    snapshots: &HashMap<&str, Result<Arc<[u64]>, bool>>,
    judging: &Judging,
) {
    if t.progress == Progress::Draft {
        it.state = State::Draft;
        let left = untranslated(&original.units, &t.units);
        it.words = left.words;
        it.untranslated = Some(left);
        return;
    }
    // A stamp judges the translation whatever the configured kind, so a site can move to
    // stamps one translation at a time.
    let Some(stamp) = &t.source_hash else {
        if let Some(from) = pivot_of(&t.translated_from, &original.lang) {
            it.state = State::Untracked;
            it.message = Some(format!(
                "it was made from the {from} translation and records no version of it: check it, then `tandem mark`"
            ).into());
            return;
        }
        match (judging.commits, judging.baseline, &t.recorded_commit) {
            (Some(commits), BaselineKind::CommitField(field), Some(value)) => judge_commit(
                it,
                original,
                commits,
                Record::Field(field),
                value,
                &judging.judged,
            ),
            (Some(commits), BaselineKind::Git { .. }, _) => {
                let path = it.translation.clone().unwrap_or_default();
                match commits.last_change(&path) {
                    Ok(Some(commit)) => judge_commit(
                        it,
                        original,
                        commits,
                        Record::History,
                        commit,
                        &judging.judged,
                    ),
                    Ok(None) => {
                        it.state = State::Untracked;
                        it.message = Some("it has never been committed, so its history records no version of the original".to_string().into());
                    }
                    Err(why) => {
                        it.state = State::Outdated;
                        it.words = original.words;
                        it.baseline = Some(Baseline::Unknown);
                        it.message = Some(format!("its history cannot be read: {why}").into());
                    }
                }
            }
            _ => it.state = State::Untracked,
        }
        return;
    };
    let pivot = pivot_of(&t.translated_from, &original.lang);
    it.judged_by = Some(judging.judged.share(JudgedBy {
        translated_from: pivot.map(Into::into),
        ..JudgedBy::stamp(judging.stamp_field, stamp)
    }));
    if let Some(from) = pivot {
        judge_pivot(it, original, stamp, from, snapshots, judging);
        return;
    }
    if *stamp == original.fingerprint {
        it.state = State::UpToDate;
        return;
    }
    it.state = State::Outdated;
    match snapshots.get(stamp.as_str()) {
        Some(Ok(old)) => {
            let new: Vec<u64> = original.units.iter().map(|u| u.digest).collect();
            let changes = block_changes(old, &new);
            let size = change_size(&changes, |j| original.units[j].words);
            it.words = size.words;
            it.changed = Some(size);
        }
        found => {
            it.words = original.words;
            it.baseline = Some(Baseline::Unknown);
            let corrupt = matches!(found, Some(Err(true)));
            it.message = Some(
                if corrupt {
                    CORRUPT_SNAPSHOT
                } else {
                    UNKNOWN_BASELINE
                }
                .into(),
            );
        }
    }
}

/// The language of the translation a translation was made from, when that is not the
/// original's own (`translated_from` naming the original's language means the original).
pub fn pivot_of<'t>(translated_from: &'t Option<String>, original_lang: &str) -> Option<&'t str> {
    translated_from.as_deref().filter(|f| *f != original_lang)
}

/// What the translation a translation was made from (its pivot) gives it.
pub struct Pivot {
    pub path: String,
    pub article: crate::document::Article,
    /// Why the pivot itself needs work (outdated, a draft, itself behind its own pivot).
    pub behind: Option<String>,
}

/// Reads the translation into `lang` of `original` that another translation was made from,
/// following its own `translated_from` up the chain; `seen` holds the files already on the
/// chain, so a circle is an error that names them (`Err((message, true))`).
pub fn read_pivot(
    config: &crate::config::Config,
    original: &Original,
    lang: &str,
    seen: &mut Vec<String>,
) -> Result<Pivot, (String, bool)> {
    let fail = |m: String| Err((m, false));
    let Some(language) = config.folder_of(lang) else {
        return fail(format!(
            "it was made from `{lang}`, which is not a language of the publication"
        ));
    };
    let Some(path) = config
        .layout
        .translation_path(&original.path, &original.id, language)
    else {
        return fail(format!(
            "it was made from the {lang} translation, which has no place in this layout"
        ));
    };
    if seen.contains(&path) {
        seen.push(path);
        return Err((
            format!(
                "translations made from one another in a circle: {}",
                seen.join(" -> ")
            ),
            true,
        ));
    }
    seen.push(path.clone());
    let text = match std::fs::read_to_string(config.root.join(&path)) {
        Ok(t) => t,
        Err(_) => {
            return fail(format!(
                "it was made from the {lang} translation, and {path} cannot be read"
            ))
        }
    };
    let article = match crate::document::read_article(&text, &path, &original.id, config) {
        Ok(a) => a,
        Err(d) => {
            return fail(format!(
                "it was made from {path}, which is invalid: {}",
                d.message
            ))
        }
    };
    let head =
        match crate::document::read_translation_summary(&text, &path, &original.id, lang, config) {
            Ok(h) => h,
            Err(d) => {
                return fail(format!(
                    "it was made from {path}, which is invalid: {}",
                    d.message
                ))
            }
        };
    let behind = if head.progress == Progress::Draft {
        Some(format!("{path} is a draft"))
    } else {
        match (&head.translated_from, &head.source_hash) {
            (_, None) => Some(format!(
                "{path} has no source_hash, so whether it is up to date is not known; `tandem mark` it"
            )),
            (Some(up), Some(stamp)) if *up != original.lang => {
                match read_pivot(config, original, up, seen) {
                    Ok(above) if above.article.fingerprint != *stamp => {
                        Some(format!("{path} is outdated against the {up} translation"))
                    }
                    Ok(above) => above.behind,
                    Err((m, true)) => return Err((m, true)),
                    Err((m, false)) => Some(m),
                }
            }
            (_, Some(stamp)) => (*stamp != original.fingerprint)
                .then(|| format!("{path} is outdated against the original")),
        }
    };
    Ok(Pivot {
        path,
        article,
        behind,
    })
}

/// The state of a done translation made from the `from` translation: its stamp against that
/// translation's version now, and behind when that translation itself needs work.
fn judge_pivot(
    it: &mut Item,
    original: &Original,
    stamp: &str,
    from: &str,
    snapshots: &HashMap<&str, Result<Arc<[u64]>, bool>>,
    judging: &Judging,
) {
    let mut seen: Vec<String> = it.translation.iter().map(|t| t.to_string()).collect();
    let pivot = match read_pivot(judging.config, original, from, &mut seen) {
        Ok(p) => p,
        Err((message, circle)) => {
            it.state = if circle {
                State::Invalid
            } else {
                State::Outdated
            };
            if !circle {
                it.baseline = Some(Baseline::Unknown);
                it.words = original.words;
            }
            it.message = Some(message.into());
            return;
        }
    };
    let behind = pivot.behind.map(|why| format!("behind via {from}: {why}"));
    if pivot.article.fingerprint == stamp {
        match behind {
            None => it.state = State::UpToDate,
            Some(why) => {
                it.state = State::Outdated;
                it.message = Some(why.into());
            }
        }
        return;
    }
    it.state = State::Outdated;
    let mut message = format!("made from the {from} translation, which changed since");
    if let Some(why) = behind {
        message.push_str(&format!("; {why}"));
    }
    match snapshots.get(stamp) {
        Some(Ok(old)) => {
            let changes = block_changes(old, &pivot.article.digests);
            let size = change_size(&changes, |j| pivot.article.units[j].words());
            it.words = size.words;
            it.changed = Some(size);
        }
        _ => {
            it.words = original.words;
            it.baseline = Some(Baseline::Unknown);
        }
    }
    it.message = Some(message.into());
}

/// The state of a done translation whose record is a commit of the originals: the original as
/// it was then against the original now, by fingerprint.
fn judge_commit(
    it: &mut Item,
    original: &Original,
    commits: &CommitBaselines,
    record: Record,
    value: &str,
    judged: &Records,
) {
    let (kind, field) = match record {
        Record::Field(f) => ("commit", f),
        Record::History => ("git", "history"),
    };
    let mut judged_by = JudgedBy {
        kind,
        field: field.into(),
        value: value.into(),
        commit: None,
        merge_base_of: None,
        translated_from: None,
    };
    match commits.version(value, &original.path, &original.id) {
        Version::Found { resolved, known } => {
            judged_by.commit = Some(resolved.commit.clone().into());
            judged_by.merge_base_of = resolved.merge_base_of.clone().map(String::into_boxed_str);
            if known.fingerprint == original.fingerprint
                || (matches!(record, Record::History)
                    && commits.changed_only_by_ignored(
                        original,
                        &known.fingerprint,
                        &resolved.commit,
                    ))
            {
                it.state = State::UpToDate;
            } else {
                it.state = State::Outdated;
                let new: Vec<u64> = original.units.iter().map(|u| u.digest).collect();
                let changes = block_changes(&known.digests, &new);
                let size = change_size(&changes, |j| original.units[j].words);
                it.words = size.words;
                it.changed = Some(size);
            }
        }
        Version::Unknown(why) => {
            it.state = State::Outdated;
            it.words = original.words;
            it.baseline = Some(Baseline::Unknown);
            let record = match record {
                Record::History => format!("its last commit {}", crate::baseline::short(value)),
                Record::Field(field) => format!("its `{field}: {value}`"),
            };
            it.message = Some(format!(
                "{record} gives no version of the original ({why}); check the translation against the original, then run `tandem mark`"
            ).into());
        }
    }
    it.judged_by = Some(judged.share(judged_by));
}

/// What an orphan's message says of the article it looks like the translation of.
pub fn looks_like(orphan: &str, to: &str, why: &str) -> String {
    format!(
        "it looks like the translation of `{to}` ({why}): `tandem mv {} {}` moves it there",
        crate::render::shell_arg(orphan),
        crate::render::shell_arg(to)
    )
}

/// The articles with no translation into a language yet, by the keys a renamed page's name is
/// compared with (see [`crate::names::renamed_like`]), so that an orphan is compared with a
/// few candidates, not with every article.
struct Renames<'i> {
    /// By the id without separators or case.
    squeezed: HashMap<String, Vec<&'i Original>>,
    /// By the file name without separators or case.
    named: HashMap<String, Vec<&'i Original>>,
    /// By folder.
    folders: HashMap<&'i str, Vec<&'i Original>>,
    /// By each token of their signature, made when an orphan's name matches none.
    tokens: OnceLock<HashMap<u64, Vec<&'i Original>>>,
    all: Vec<&'i Original>,
}

impl<'i> Renames<'i> {
    fn new(index: &Index<'i>, present: &HashSet<&str>, lang: &str) -> Self {
        let mut r = Renames {
            squeezed: HashMap::default(),
            named: HashMap::default(),
            folders: HashMap::default(),
            tokens: OnceLock::new(),
            all: Vec::new(),
        };
        for &o in &index.articles {
            if present.contains(o.id.as_str()) || !o.targets(lang) {
                continue;
            }
            let (dir, name) = o.id.rsplit_once('/').unwrap_or(("", &o.id));
            r.squeezed
                .entry(crate::names::squeeze(&o.id))
                .or_default()
                .push(o);
            r.named
                .entry(crate::names::squeeze(name))
                .or_default()
                .push(o);
            r.folders.entry(dir).or_default().push(o);
            r.all.push(o);
        }
        r
    }

    /// The article whose signature the orphan's `signature` shares most with: at least four
    /// tokens and three fifths of them, and clearly more than any other article.
    fn by_content(&self, signature: &[u64]) -> Option<&'i Original> {
        if signature.len() < 4 {
            return None;
        }
        let tokens = self.tokens.get_or_init(|| {
            let mut map: HashMap<u64, Vec<&'i Original>> = HashMap::default();
            for &o in &self.all {
                for t in &o.signature {
                    map.entry(*t).or_default().push(o);
                }
            }
            map
        });
        let mut shared: HashMap<&str, (usize, &'i Original)> = HashMap::default();
        for t in signature {
            for &o in tokens.get(t).into_iter().flatten() {
                shared.entry(o.id.as_str()).or_insert((0, o)).0 += 1;
            }
        }
        let mut scored: Vec<(f64, usize, &'i Original)> = shared
            .into_values()
            .map(|(n, o)| {
                (
                    crate::blocks::signature_overlap(signature, &o.signature),
                    n,
                    o,
                )
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        let (best, n, o) = *scored.first()?;
        let second = scored.get(1).map_or(0.0, |s| s.0);
        (best >= 0.6 && n >= 4 && second < best * 0.8).then_some(o)
    }

    /// The articles an orphan with id `id` could be a translation of.
    fn candidates(&self, id: &str) -> Vec<&'i Original> {
        let (dir, name) = id.rsplit_once('/').unwrap_or(("", id));
        let mut out: Vec<&'i Original> = Vec::new();
        for found in [
            self.squeezed.get(&crate::names::squeeze(id)),
            self.named.get(&crate::names::squeeze(name)),
            self.folders.get(dir),
        ]
        .into_iter()
        .flatten()
        {
            out.extend(found.iter().copied());
        }
        out
    }
}

/// The article an orphaned translation (id `id`, at `path`) most likely belongs to, when its
/// original was renamed or moved: the git history's record of the rename, else a name that
/// is the same but for separators and case, the same file name in another folder, or one
/// or two letters apart in the same folder. Only an article with no translation into the
/// language yet (one of `names`), and only when one stands out.
fn renamed_to<'i>(
    id: &str,
    path: &str,
    index: &'i Index,
    names: &Renames<'i>,
    judging: &Judging,
) -> Option<(&'i str, &'static str)> {
    if let Some(commits) = judging.commits {
        let moved = judging
            .layout
            .original_path_of(id, path)
            .and_then(|old| commits.moved_to(judging.layout.original_rel(&old)))
            .and_then(|now| {
                judging
                    .layout
                    .original_id(&judging.layout.shown_original(&now))
            });
        if let Some(now) = moved {
            let free = names.candidates(&now).iter().any(|o| o.id == now);
            if let (true, Some(o)) = (free, index.by_id.get(now.as_str())) {
                return Some((o.id.as_str(), "renamed in the git history"));
            }
        }
    }
    let mut best: Option<(u8, &'i str)> = None;
    let mut tied = false;
    let mut seen: HashSet<&str> = HashSet::default();
    for o in names.candidates(id) {
        if !seen.insert(o.id.as_str()) {
            continue;
        }
        let Some(level) = crate::names::renamed_like(id, &o.id) else {
            continue;
        };
        match best {
            Some((b, _)) if b > level => {}
            Some((b, _)) if b == level => tied = true,
            _ => {
                best = Some((level, o.id.as_str()));
                tied = false;
            }
        }
    }
    let Some((level, to)) = best.filter(|_| !tied) else {
        // No name alike: the numbers, links and code it shares with an article.
        let text = std::fs::read_to_string(judging.config.root.join(path)).ok()?;
        let body = crate::frontmatter::split(&text)
            .ok()
            .map_or(text.as_str(), |p| p.body);
        let found = names.by_content(&crate::blocks::signature(body))?;
        return Some((found.id.as_str(), "the same numbers, links and code"));
    };
    Some((
        to,
        match level {
            3 => "the same name written differently",
            2 => "the same name in another folder",
            _ => "a name one or two letters apart",
        },
    ))
}

/// A draft's work left: the original's blocks that appear unchanged in the draft (copied, not
/// yet translated), plus the original's blocks past the end of a shorter draft.
pub fn untranslated(original: &[UnitSummary], draft: &[UnitSummary]) -> ChangeSize {
    let copied: HashSet<u64> = draft
        .iter()
        .filter(|u| u.words > 0 && u.kind != crate::blocks::BlockKind::Code)
        .map(|u| u.digest)
        .collect();
    let mut size = ChangeSize::default();
    for (i, unit) in original.iter().enumerate() {
        if unit.words == 0 || unit.kind == crate::blocks::BlockKind::Code {
            continue;
        }
        if copied.contains(&unit.digest) || i >= draft.len() {
            size.paragraphs += 1;
            size.words += unit.words;
        }
    }
    size
}

/// How the warning [`looks_copied`] gives starts.
const LOOKS_COPIED: &str = "it is marked done but looks like a copy of its original";

/// A warning when a done translation's sampled paragraphs are mostly the original's own
/// (an untranslated copy marked done).
fn looks_copied(original: &Original, t: &TranslationSummary, path: &str) -> Option<Diagnostic> {
    if t.progress != Progress::Done || t.sample.len() < 2 {
        return None;
    }
    let same = t
        .sample
        .iter()
        .filter(|k| original.paragraphs.binary_search(k).is_ok())
        .count();
    (same * 3 >= t.sample.len() * 2).then(|| {
        Diagnostic::new(
            path,
            format!(
                "{LOOKS_COPIED}: {same} of {} sampled paragraphs are the original's, word for word",
                t.sample.len()
            ),
        )
    })
}

#[cfg(test)]
mod size_tests {
    /// Every pair of a publication is in memory at once for `--all` and `report` (200,000 at
    /// 20,000 articles × 10 languages), and sorting moves them: what is rare or large is boxed.
    #[test]
    fn a_pair_stays_small() {
        let size = std::mem::size_of::<super::Item>();
        assert!(size <= 184, "Item is {size} bytes");
    }
}
