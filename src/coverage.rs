//! How complete each language edition is: by articles and by words.

use crate::pairs::Pairing;
use crate::state::State;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// One language's (or one language and section's) coverage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    pub lang: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// Articles that target this language (or have a translation into it).
    pub total: u32,
    #[serde(rename = "up-to-date")]
    pub up_to_date: u32,
    pub outdated: u32,
    pub draft: u32,
    pub missing: u32,
    pub untracked: u32,
    pub invalid: u32,
    /// Up-to-date articles as a share of the total, in percent.
    pub coverage: f64,
    pub words_total: u64,
    pub words_up_to_date: u64,
    /// Up-to-date words as a share of all words, in percent.
    pub coverage_words: f64,
    /// The minimum this language must reach, when one is set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Whether it is under its minimum.
    pub below_min: bool,
}

/// The section of an id: its first folder, or `(top)` for an article at the top level.
pub fn section_of(id: &str) -> String {
    match id.split_once('/') {
        Some((first, _)) => first.to_string(),
        None => "(top)".to_string(),
    }
}

fn percent(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        100.0
    } else {
        (part as f64 * 1000.0 / whole as f64).round() / 10.0
    }
}

/// Coverage per language (and per section with `by_section`), for the languages in `langs`
/// (all when empty). Orphaned translations are not part of any edition's total.
pub fn coverage(pairing: &Pairing, langs: &[String], by_section: bool) -> Vec<Coverage> {
    let words: HashMap<&str, u32> = pairing
        .articles
        .iter()
        .map(|a| (a.id.as_str(), a.words))
        .collect();
    let mut rows: BTreeMap<(String, Option<String>), Coverage> = BTreeMap::new();
    for item in &pairing.items {
        if item.source.is_none() || (!langs.is_empty() && !langs.iter().any(|l| l == item.lang)) {
            continue;
        }
        let Some(&w) = words.get(item.id) else {
            continue;
        };
        let section = by_section.then(|| section_of(item.id));
        let row = rows
            .entry((item.lang.to_string(), section.clone()))
            .or_insert_with(|| Coverage {
                lang: item.lang.to_string(),
                section,
                total: 0,
                up_to_date: 0,
                outdated: 0,
                draft: 0,
                missing: 0,
                untracked: 0,
                invalid: 0,
                coverage: 0.0,
                words_total: 0,
                words_up_to_date: 0,
                coverage_words: 0.0,
                min: None,
                below_min: false,
            });
        row.total += 1;
        row.words_total += u64::from(w);
        match item.state {
            State::UpToDate => {
                row.up_to_date += 1;
                row.words_up_to_date += u64::from(w);
            }
            State::Outdated => row.outdated += 1,
            State::Draft => row.draft += 1,
            State::Missing => row.missing += 1,
            State::Untracked => row.untracked += 1,
            State::Invalid | State::Orphaned => row.invalid += 1,
        }
    }
    rows.into_values()
        .map(|mut r| {
            r.coverage = percent(r.up_to_date.into(), r.total.into());
            r.coverage_words = percent(r.words_up_to_date, r.words_total);
            r
        })
        .collect()
}

/// Sets each row's minimum (the command line's for every language, else tandem.yaml's for that
/// language) and whether the row is under it.
pub fn apply_minimums(rows: &mut [Coverage], all: Option<f64>, per_lang: &BTreeMap<String, f64>) {
    for row in rows {
        row.min = all.or_else(|| per_lang.get(&row.lang).copied());
        row.below_min = row.min.is_some_and(|m| row.coverage < m);
    }
}
