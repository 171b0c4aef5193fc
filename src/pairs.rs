//! Pairing originals with translations and working out each pair's state: the heart of
//! `status`, `check`, `coverage` and `show`.

use crate::changes::{block_changes, change_size, ChangeSize};
use crate::document::{Original, Progress, TranslationSummary, UnitSummary};
use crate::error::Diagnostic;
use crate::scan::Scan;
use crate::state::{Counts, State};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One (article, language) pair and what it needs. It borrows its text from the scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item<'a> {
    pub id: &'a str,
    pub lang: &'a str,
    pub state: State,
    /// The original's path; null for `orphaned`.
    pub source: Option<&'a str>,
    /// The translation's path; null for `missing`.
    pub translation: Option<&'a str>,
    pub source_lang: Option<&'a str>,
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
    pub baseline: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub translator: Option<&'a str>,
    /// For `invalid` and an unknown baseline: what is wrong.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// The whole publication's pairs.
#[derive(Debug, Clone, Default)]
pub struct Pairing<'a> {
    /// Sorted by id, then language.
    pub items: Vec<Item<'a>>,
    /// Valid originals, sorted by id.
    pub articles: Vec<&'a Original>,
    /// Problems found, sorted by path.
    pub errors: Vec<Diagnostic>,
}

impl Pairing<'_> {
    pub fn counts<'b, 'a: 'b>(items: impl IntoIterator<Item = &'b Item<'a>>) -> Counts {
        let mut counts = Counts::default();
        for item in items {
            counts.add(item.state);
        }
        counts
    }
}

const UNKNOWN_BASELINE: &str = "its source_hash matches no snapshot of the original, so what changed is unknown; check the translation against the original, then run `tandem mark`";

fn item<'a>(id: &'a str, lang: &'a str, state: State) -> Item<'a> {
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
        message: None,
    }
}

/// Pairs every original with its translations.
pub fn pair(scan: &Scan) -> Pairing<'_> {
    let mut errors: Vec<Diagnostic> = scan.diagnostics.clone();
    let mut items: Vec<Item> = Vec::new();

    // Originals by id; duplicates and unreadable files are invalid.
    let mut originals: BTreeMap<&str, &Original> = BTreeMap::new();
    let mut invalid_originals: HashMap<&str, &str> = HashMap::default();
    for s in &scan.originals {
        match &s.result {
            Ok(o) => {
                if let Some(first) = originals.get(o.id.as_str()) {
                    errors.push(Diagnostic::new(
                        &s.path,
                        format!(
                            "duplicate id `{}`: {} has it too; this file is ignored",
                            o.id, first.path
                        ),
                    ));
                    invalid_originals.entry(&o.id).or_insert(&s.path);
                } else {
                    originals.insert(&o.id, o);
                }
            }
            Err(d) => {
                errors.push(d.clone());
                invalid_originals.insert(&s.default_id, &s.path);
            }
        }
    }

    // Translations by (id, lang).
    let mut translations: HashMap<(&str, &str), &TranslationSummary> = HashMap::default();
    let mut invalid_translations: HashSet<(&str, &str)> = HashSet::default();
    for s in &scan.translations {
        let folder_lang = s.folder_lang.as_deref().unwrap_or("");
        match &s.result {
            Ok(t) => {
                let key = (t.id.as_str(), t.lang.as_str());
                if let Some(first) = translations.get(&key) {
                    let message = format!(
                        "duplicate translation of `{}` into `{}`: {} is one too",
                        t.id, t.lang, first.path
                    );
                    errors.push(Diagnostic::new(&s.path, &message));
                    let mut it = item(&t.id, &t.lang, State::Invalid);
                    it.translation = Some(&s.path);
                    it.source = originals.get(t.id.as_str()).map(|o| o.path.as_str());
                    it.message = Some(message);
                    items.push(it);
                } else {
                    translations.insert(key, t);
                }
            }
            Err(d) => {
                errors.push(d.clone());
                let mut it = item(&s.default_id, folder_lang, State::Invalid);
                it.translation = Some(&s.path);
                it.source = originals
                    .get(s.default_id.as_str())
                    .map(|o| o.path.as_str());
                it.source_lang = originals
                    .get(s.default_id.as_str())
                    .map(|o| o.lang.as_str());
                it.message = Some(d.message.clone());
                items.push(it);
                invalid_translations.insert((s.default_id.as_str(), folder_lang));
            }
        }
    }

    let mut translation_langs: HashMap<&str, BTreeSet<&str>> = HashMap::default();
    for (id, lang) in translations.keys() {
        translation_langs.entry(id).or_default().insert(lang);
    }

    let snapshots = &scan.snapshots;
    for (id, original) in &originals {
        let mut langs: BTreeSet<&str> = original.targets.iter().map(String::as_str).collect();
        if let Some(existing) = translation_langs.get(id) {
            langs.extend(existing.iter().copied());
        }
        for lang in langs {
            let translation = translations.get(&(*id, lang));
            if translation.is_none() && invalid_translations.contains(&(*id, lang)) {
                // The file is there but unreadable: it is listed as invalid, not missing.
                continue;
            }
            let mut it = item(id, lang, State::Missing);
            it.source = Some(&original.path);
            it.source_lang = Some(&original.lang);
            match translation {
                None => {
                    it.words = original.words;
                }
                Some(t) => {
                    it.translation = Some(&t.path);
                    it.translator = t.translator.as_deref();
                    if lang == original.lang {
                        it.state = State::Invalid;
                        it.message = Some(format!(
                            "a translation into `{lang}`, the language the original is written in"
                        ));
                        errors.push(Diagnostic::new(
                            &t.path,
                            it.message.clone().unwrap_or_default(),
                        ));
                    } else {
                        judge(&mut it, original, t, snapshots);
                    }
                }
            }
            items.push(it);
        }
    }

    // Translations with no original.
    for ((id, lang), t) in &translations {
        if originals.contains_key(id) {
            continue;
        }
        let mut it = item(id, lang, State::Orphaned);
        it.translation = Some(&t.path);
        it.translator = t.translator.as_deref();
        if let Some(path) = invalid_originals.get(id) {
            it.state = State::Invalid;
            it.source = Some(path);
            it.message = Some(format!("its original {path} is invalid"));
        } else {
            it.message = Some(format!("no original has the id `{id}`"));
        }
        items.push(it);
    }

    items.sort_by(|a, b| (&a.id, &a.lang, &a.translation).cmp(&(&b.id, &b.lang, &b.translation)));
    errors.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    errors.dedup();
    let articles = originals.values().copied().collect();
    Pairing {
        items,
        articles,
        errors,
    }
}

/// The state of a pair whose translation exists.
fn judge(
    it: &mut Item,
    original: &Original,
    t: &TranslationSummary,
    snapshots: &std::collections::HashMap<String, Option<Vec<u64>>>,
) {
    if t.progress == Progress::Draft {
        it.state = State::Draft;
        let left = untranslated(&original.units, &t.units);
        it.words = left.words;
        it.untranslated = Some(left);
        return;
    }
    let Some(stamp) = &t.source_hash else {
        it.state = State::Untracked;
        return;
    };
    if *stamp == original.fingerprint {
        it.state = State::UpToDate;
        return;
    }
    it.state = State::Outdated;
    match snapshots.get(stamp).and_then(Option::as_ref) {
        Some(old) => {
            let new: Vec<u64> = original.units.iter().map(|u| u.digest).collect();
            let changes = block_changes(old, &new);
            let size = change_size(&changes, |j| original.units[j].words);
            it.words = size.words;
            it.changed = Some(size);
        }
        None => {
            it.words = original.words;
            it.baseline = Some("unknown");
            it.message = Some(UNKNOWN_BASELINE.to_string());
        }
    }
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
