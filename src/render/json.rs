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

/// `report --manifest FILE`: every translated page, keyed by language (lowercased, as Hugo
/// names languages) then id, for a site's templates to look up the page they render.
#[derive(Serialize)]
pub struct Manifest<'a> {
    pub version: u32,
    pub generated: &'a str,
    pub pages: std::collections::BTreeMap<String, std::collections::BTreeMap<&'a str, Page<'a>>>,
}

impl Manifest<'_> {
    pub fn count(&self) -> usize {
        self.pages.values().map(|m| m.len()).sum()
    }
}

/// One translated page, as a reader's banner needs it.
#[derive(Serialize)]
pub struct Page<'a> {
    pub id: &'a str,
    pub lang: &'a str,
    pub state: crate::state::State,
    /// Whether a reader should be told the page may not say what the original says now
    /// (outdated, draft, untracked).
    pub stale: bool,
    pub translation: &'a str,
    /// The original's path, language and (with `--link-base`) URL; null for an orphan.
    pub original: Option<&'a str>,
    pub original_lang: Option<&'a str>,
    pub original_url: Option<String>,
    /// Words of the original still to translate.
    pub words: u32,
    /// For outdated: how much of the original changed since the translation's baseline.
    pub changed: Option<crate::changes::ChangeSize>,
    /// The record the state was judged by (kind, field, value, commit).
    pub baseline: Option<&'a crate::pairs::JudgedBy>,
}

/// The manifest of a pairing's translated pages (every pair with a translation file).
pub fn manifest<'a>(
    pairing: &'a crate::pairs::Pairing<'a>,
    link_base: Option<&str>,
    generated: &'a str,
) -> Manifest<'a> {
    use crate::state::State;
    let mut pages: std::collections::BTreeMap<String, std::collections::BTreeMap<&str, Page>> =
        std::collections::BTreeMap::new();
    let base = link_base.map(|b| crate::render::html::Links::under(b).files);
    for item in &pairing.items {
        let Some(translation) = item.translation.as_deref() else {
            continue;
        };
        let original = item.source.as_deref();
        pages.entry(item.lang.to_lowercase()).or_default().insert(
            &item.id,
            Page {
                id: &item.id,
                lang: item.lang,
                state: item.state,
                stale: matches!(
                    item.state,
                    State::Outdated | State::Draft | State::Untracked
                ),
                translation,
                original,
                original_lang: item.source_lang.as_deref(),
                original_url: original.and_then(|o| {
                    Some(format!(
                        "{}{}",
                        base.as_ref()?,
                        crate::render::html::url_path(o)
                    ))
                }),
                words: item.words,
                changed: item.changed,
                baseline: item.judged_by.as_deref(),
            },
        );
    }
    Manifest {
        version: 1,
        generated,
        pages,
    }
}

/// Writes any serialisable value as pretty JSON and a newline.
pub fn write<T: Serialize>(out: &mut dyn Write, value: &T) -> std::io::Result<()> {
    // The serializer writes a token at a time: into a buffer of a known type those writes are
    // copies, where each would otherwise be a call through `dyn Write`.
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut buffered, value).map_err(|e| match e.io_error_kind() {
        Some(kind) => std::io::Error::from(kind),
        None => std::io::Error::other(e),
    })?;
    writeln!(buffered)?;
    buffered.flush()
}
