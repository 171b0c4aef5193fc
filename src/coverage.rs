//! How complete each language edition is: by articles and by words.

use crate::pairs::Pairing;
use crate::state::State;
use serde::Serialize;
use std::collections::BTreeMap;

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
    let mut rows: BTreeMap<(String, Option<String>), Coverage> = BTreeMap::new();
    for tally in &pairing.tallies {
        let Some(section) = &tally.section else {
            continue;
        };
        if !langs.is_empty() && !langs.iter().any(|l| l == tally.lang) {
            continue;
        }
        let section = by_section.then(|| section.to_string());
        let row = rows
            .entry((tally.lang.to_string(), section.clone()))
            .or_insert_with(|| Coverage {
                lang: tally.lang.to_string(),
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
        row.total += tally.pairs;
        row.words_total += tally.words;
        match tally.state {
            State::UpToDate => {
                row.up_to_date += tally.pairs;
                row.words_up_to_date += tally.words;
            }
            State::Outdated => row.outdated += tally.pairs,
            State::Draft => row.draft += tally.pairs,
            State::Missing => row.missing += tally.pairs,
            State::Untracked => row.untracked += tally.pairs,
            State::Invalid | State::Orphaned => row.invalid += tally.pairs,
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
