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

/// Writes `report` as [`write`] would with `items` in its (empty) field `"items"`: the items are
/// written on every core, a window at a time (a list of a hundred thousand items is most of
/// the time a command takes otherwise), byte for byte as the serializer writes them.
pub fn write_with_items<R: Serialize, T: Serialize + Sync>(
    out: &mut dyn Write,
    report: &R,
    items: &[T],
) -> std::io::Result<()> {
    use rayon::prelude::*;
    let fail = |e: serde_json::Error| match e.io_error_kind() {
        Some(kind) => std::io::Error::from(kind),
        None => std::io::Error::other(e),
    };
    let whole = serde_json::to_vec_pretty(report).map_err(fail)?;
    // A string in JSON holds no raw line break: this is the top-level field.
    const FIELD: &[u8] = b"\n  \"items\": []";
    let at = whole.windows(FIELD.len()).position(|w| w == FIELD);
    let (Some(at), false) = (at, items.is_empty()) else {
        out.write_all(&whole)?;
        return writeln!(out);
    };
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, out);
    buffered.write_all(&whole[..at + FIELD.len() - 1])?;
    // Each item as the serializer writes it two levels down (in the array, in the report): its
    // formatter is first taken down those levels, writing nothing.
    let one = |item: &T, buf: &mut Vec<u8>| -> std::io::Result<()> {
        use serde_json::ser::Formatter;
        let mut nested = serde_json::ser::PrettyFormatter::new();
        nested.begin_object(&mut std::io::sink())?;
        nested.begin_array(&mut std::io::sink())?;
        buf.extend_from_slice(b"\n    ");
        let mut serializer = serde_json::Serializer::with_formatter(&mut *buf, nested);
        item.serialize(&mut serializer).map_err(fail)
    };
    const WINDOW: usize = 16 * 1024;
    for (w, window) in items.chunks(WINDOW).enumerate() {
        let parts: Vec<std::io::Result<Vec<u8>>> = window
            .par_chunks(1024)
            .enumerate()
            .map(|(c, chunk)| {
                let mut buf = Vec::with_capacity(chunk.len() * 512);
                for (i, item) in chunk.iter().enumerate() {
                    if w + c + i > 0 {
                        buf.push(b',');
                    }
                    one(item, &mut buf)?;
                }
                Ok(buf)
            })
            .collect();
        for part in parts {
            buffered.write_all(&part?)?;
        }
    }
    buffered.write_all(b"\n  ]")?;
    buffered.write_all(&whole[at + FIELD.len()..])?;
    writeln!(buffered)?;
    buffered.flush()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Nested {
        languages: Vec<&'static str>,
        counts: std::collections::BTreeMap<&'static str, u32>,
    }

    #[derive(Serialize, Clone)]
    struct It {
        id: String,
        words: u32,
        #[serde(skip_serializing_if = "Option::is_none")]
        changed: Option<(u32, u32)>,
        message: Option<String>,
        tags: Vec<String>,
    }

    #[derive(Serialize)]
    struct Report<'a> {
        version: u32,
        summary: Nested,
        items: &'a [It],
        errors: Vec<String>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        warnings: Vec<String>,
    }

    fn report(items: &[It], warnings: bool) -> Report<'_> {
        Report {
            version: 1,
            summary: Nested {
                languages: vec!["en", "es"],
                counts: [("items", 3), ("outdated", 1)].into_iter().collect(),
            },
            items,
            errors: vec!["a \"quoted\"\nline".into()],
            warnings: if warnings { vec!["w".into()] } else { vec![] },
        }
    }

    /// Items written on every core are the bytes the serializer writes, whatever their number
    /// (across the chunk and window bounds) and content (escapes, nesting, empty lists).
    #[test]
    fn items_written_in_parallel_are_the_serializers_bytes() {
        let item = |n: usize| It {
            id: format!("news/{n} \"é\" \\ \t\u{1}"),
            words: n as u32,
            changed: n.is_multiple_of(3).then_some((1, 2)),
            message: n
                .is_multiple_of(2)
                .then(|| "items: [] \n  \"items\": []".to_string()),
            tags: (0..n % 3).map(|i| i.to_string()).collect(),
        };
        for n in [0, 1, 2, 1023, 1024, 1025, 16 * 1024 + 1, 40_000] {
            let items: Vec<It> = (0..n).map(item).collect();
            for warnings in [false, true] {
                let mut expected = Vec::new();
                write(&mut expected, &report(&items, warnings)).unwrap();
                let mut got = Vec::new();
                write_with_items(&mut got, &report(&[], warnings), &items).unwrap();
                assert!(got == expected, "{n} items differ");
            }
        }
    }
}
