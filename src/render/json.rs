//! JSON output (version 1), as DESIGN.md pins it.

use crate::error::Diagnostic;
use crate::pairs::Item;
use crate::state::Counts;
use serde::Serialize;
use std::io::Write;

#[derive(Serialize)]
pub struct Summary<'a> {
    pub articles: usize,
    pub languages: &'a [String],
    pub counts: Counts,
}

/// The shape shared by `status` and `check`.
#[derive(Serialize)]
pub struct ItemsReport<'a> {
    pub version: u32,
    pub summary: Summary<'a>,
    pub items: Vec<&'a Item<'a>>,
    pub errors: &'a [Diagnostic],
    /// What looks wrong but breaks nothing; left out when there is none.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub warnings: &'a [Diagnostic],
}

/// `show --format json`: the article, every language's pair, and orphans that look like its
/// translations.
#[derive(Serialize)]
pub struct ShowReport<'a> {
    pub version: u32,
    pub article: ArticleInfo<'a>,
    pub items: Vec<&'a Item<'a>>,
    pub looks_like: Vec<LooksLike<'a>>,
}

#[derive(Serialize)]
pub struct ArticleInfo<'a> {
    pub id: &'a str,
    pub title: Option<&'a str>,
    pub path: &'a str,
    pub lang: &'a str,
    pub words: u32,
    pub fingerprint: &'a str,
    pub translate_to: Vec<String>,
}

/// An orphaned translation that looks like the article's, and the command that moves it.
#[derive(Serialize)]
pub struct LooksLike<'a> {
    pub lang: &'a str,
    pub translation: &'a str,
    pub id: &'a str,
    pub command: String,
}

/// `gc --format json`: what was (or would be) deleted and why, and how many snapshots stay.
#[derive(Serialize)]
pub struct GcReport {
    pub version: u32,
    pub dry_run: bool,
    pub deleted: Vec<Deleted>,
    pub kept: usize,
}

#[derive(Serialize)]
pub struct Deleted {
    pub path: String,
    /// `unreferenced` (a snapshot no translation names) or `interrupted-write` (a temporary
    /// file left by a write that did not finish).
    pub reason: &'static str,
    /// For a snapshot: the original it is a version of.
    pub source: Option<String>,
}

/// Writes any serialisable value as pretty JSON and a newline.
pub fn write<T: Serialize>(out: &mut dyn Write, value: &T) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(|e| match e.io_error_kind() {
        Some(kind) => std::io::Error::from(kind),
        None => std::io::Error::other(e),
    })?;
    writeln!(out)
}
