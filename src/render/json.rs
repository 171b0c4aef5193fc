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
pub fn write_with_items<R: Serialize, T: Element>(
    out: &mut dyn Write,
    report: &R,
    items: &[T],
) -> std::io::Result<()> {
    use rayon::prelude::*;
    let whole = serde_json::to_vec_pretty(report).map_err(io_error)?;
    // A string in JSON holds no raw line break: this is the top-level field.
    const FIELD: &[u8] = b"\n  \"items\": []";
    let at = whole.windows(FIELD.len()).position(|w| w == FIELD);
    let (Some(at), false) = (at, items.is_empty()) else {
        out.write_all(&whole)?;
        return writeln!(out);
    };
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, out);
    buffered.write_all(&whole[..at + FIELD.len() - 1])?;
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
                    buf.extend_from_slice(b"\n    ");
                    item.write_element(&mut buf)?;
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

fn io_error(e: serde_json::Error) -> std::io::Error {
    match e.io_error_kind() {
        Some(kind) => std::io::Error::from(kind),
        None => std::io::Error::other(e),
    }
}

/// An element of the list [`write_with_items`] writes: written as the serializer writes it two
/// levels down (in the array, in the report), from its opening brace on.
pub trait Element: Sync {
    fn write_element(&self, buf: &mut Vec<u8>) -> std::io::Result<()>;
}

impl<T: Element> Element for &T {
    fn write_element(&self, buf: &mut Vec<u8>) -> std::io::Result<()> {
        (**self).write_element(buf)
    }
}

/// Writes `value` as the serializer writes it two levels down: its formatter is first taken
/// down those levels, writing nothing (what the elements written directly are held to).
#[cfg(test)]
fn write_serialized<T: Serialize>(value: &T, buf: &mut Vec<u8>) -> std::io::Result<()> {
    use serde_json::ser::Formatter;
    let mut nested = serde_json::ser::PrettyFormatter::new();
    nested.begin_object(&mut std::io::sink())?;
    nested.begin_array(&mut std::io::sink())?;
    let mut serializer = serde_json::Serializer::with_formatter(&mut *buf, nested);
    value.serialize(&mut serializer).map_err(io_error)
}

/// A pair's fields are written directly (a list of a hundred thousand pairs is most of what
/// `status --all --format json` does; the serializer goes a token at a time), byte for byte as
/// the serializer writes them (see the tests).
impl Element for Item<'_> {
    fn write_element(&self, buf: &mut Vec<u8>) -> std::io::Result<()> {
        let mut fields = Fields::open(buf, 3);
        item_fields(&mut fields, self)?;
        fields.close();
        Ok(())
    }
}

impl Element for crate::check::Finding<'_> {
    fn write_element(&self, buf: &mut Vec<u8>) -> std::io::Result<()> {
        let mut fields = Fields::open(buf, 3);
        item_fields(&mut fields, self.item)?;
        fields.string("severity", self.severity.name())?;
        fields.close();
        Ok(())
    }
}

fn item_fields(f: &mut Fields, item: &Item) -> std::io::Result<()> {
    f.string("id", &item.id)?;
    f.string("lang", item.lang)?;
    f.string("state", item.state.name())?;
    f.maybe_string("source", item.source.as_deref())?;
    f.maybe_string("translation", item.translation.as_deref())?;
    f.maybe_string("source_lang", item.source_lang.as_deref())?;
    f.number("words", item.words);
    for (key, size) in [
        ("changed", item.changed),
        ("untranslated", item.untranslated),
    ] {
        if let Some(size) = size {
            let mut nested = f.object(key);
            nested.number("paragraphs", size.paragraphs);
            nested.number("words", size.words);
            nested.close();
        }
    }
    if let Some(crate::pairs::Baseline::Unknown) = item.baseline {
        f.string("baseline", "unknown")?;
    }
    if let Some(translator) = &item.translator {
        f.string("translator", translator)?;
    }
    if let Some(by) = &item.judged_by {
        let mut nested = f.object("judged_by");
        nested.string("kind", by.kind)?;
        nested.string("field", &by.field)?;
        nested.string("value", &by.value)?;
        for (key, value) in [
            ("commit", &by.commit),
            ("merge_base_of", &by.merge_base_of),
            ("translated_from", &by.translated_from),
        ] {
            if let Some(value) = value {
                nested.string(key, value)?;
            }
        }
        nested.close();
    }
    if let Some(message) = &item.message {
        f.string("message", message)?;
    }
    Ok(())
}

/// The fields of one object, written as the serializer's pretty formatter writes them at
/// `depth` (the fields' indent, two spaces a level).
struct Fields<'b> {
    buf: &'b mut Vec<u8>,
    depth: usize,
    first: bool,
}

impl<'b> Fields<'b> {
    fn open(buf: &'b mut Vec<u8>, depth: usize) -> Self {
        buf.push(b'{');
        Fields {
            buf,
            depth,
            first: true,
        }
    }

    fn key(&mut self, key: &str) {
        let comma = !self.first;
        self.first = false;
        line(self.buf, comma, self.depth);
        self.buf.push(b'"');
        self.buf.extend_from_slice(key.as_bytes());
        self.buf.extend_from_slice(b"\": ");
    }

    fn string(&mut self, key: &str, value: &str) -> std::io::Result<()> {
        self.key(key);
        string(self.buf, value)
    }

    fn maybe_string(&mut self, key: &str, value: Option<&str>) -> std::io::Result<()> {
        match value {
            Some(value) => self.string(key, value),
            None => {
                self.key(key);
                self.buf.extend_from_slice(b"null");
                Ok(())
            }
        }
    }

    fn number(&mut self, key: &str, value: u32) {
        self.key(key);
        self.buf
            .extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
    }

    fn object(&mut self, key: &str) -> Fields<'_> {
        self.key(key);
        Fields::open(self.buf, self.depth + 1)
    }

    /// Ends the object (every object written here has a field).
    fn close(self) {
        line(self.buf, false, self.depth - 1);
        self.buf.push(b'}');
    }
}

/// A comma (when `comma`), a line break and the indent of `depth`: in one copy when the indent
/// is no deeper than the pairs' fields go.
fn line(buf: &mut Vec<u8>, comma: bool, depth: usize) {
    const LEAD: &[u8] = b",\n                ";
    let start = usize::from(!comma);
    match LEAD.get(start..2 + 2 * depth) {
        Some(lead) => buf.extend_from_slice(lead),
        None => {
            buf.extend_from_slice(&LEAD[start..2]);
            buf.resize(buf.len() + 2 * depth, b' ');
        }
    }
}

/// Writes `s` as a JSON string: as it is between quotes when nothing in it needs escaping
/// (checked a block of bytes at a time), else by the serializer.
fn string(buf: &mut Vec<u8>, s: &str) -> std::io::Result<()> {
    let plain = s.as_bytes().chunks(16).all(|block| {
        block
            .iter()
            .fold(true, |ok, &b| ok & (b >= 0x20) & (b != b'"') & (b != b'\\'))
    });
    if !plain {
        return serde_json::to_writer(buf, s).map_err(io_error);
    }
    buf.reserve(s.len() + 2);
    buf.push(b'"');
    buf.extend_from_slice(s.as_bytes());
    buf.push(b'"');
    Ok(())
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

    impl Element for It {
        fn write_element(&self, buf: &mut Vec<u8>) -> std::io::Result<()> {
            write_serialized(self, buf)
        }
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

    /// Pairs and findings written field by field are the bytes the serializer writes, for
    /// every state and every field present or absent, plain or needing escapes.
    #[test]
    fn pairs_written_directly_are_the_serializers_bytes() {
        use crate::changes::ChangeSize;
        use crate::check::{Finding, Severity};
        use crate::pairs::{Baseline, JudgedBy};
        use crate::state::State;
        use std::borrow::Cow;
        let texts = [
            "plain/path.md",
            "",
            "é ünï ✓ 字",
            "a \"quote\" and \\ back",
            "ctl \u{1}\u{8}\t\n\u{c}\r\u{1f}\u{7f}",
            "a long path that runs past one block of sixteen bytes/x\n.md",
            // One character needing an escape each, past the first block.
            "only a quote, past the first block \"",
            "only a backslash, past the first block \\",
            "only the last control character, past the first block \u{1f}",
        ];
        let mut items = Vec::new();
        for (n, state) in State::ALL.into_iter().enumerate() {
            for (t, text) in texts.iter().enumerate() {
                let some = |k: usize| !(n + t + k).is_multiple_of(3);
                let size = |k: usize| {
                    some(k).then_some(ChangeSize {
                        paragraphs: (n * 7 + k) as u32,
                        words: u32::MAX - t as u32,
                    })
                };
                let mut judged = JudgedBy::stamp(text, "abc");
                if some(5) {
                    judged.kind = "commit";
                    judged.commit = Some((*text).into());
                    judged.merge_base_of = some(6).then(|| "0123".into());
                    judged.translated_from = some(7).then(|| (*text).into());
                }
                items.push(Item {
                    source: some(0).then_some(Cow::Borrowed(*text)),
                    translation: some(1).then(|| (*text).into()),
                    source_lang: some(2).then_some(Cow::Borrowed("en")),
                    words: (n * t) as u32,
                    changed: size(3),
                    untranslated: size(4),
                    baseline: some(8).then_some(Baseline::Unknown),
                    translator: some(9).then(|| (*text).into()),
                    judged_by: some(10).then(|| std::sync::Arc::new(judged)),
                    message: some(11).then(|| (*text).into()),
                    looks_like: some(12).then(|| Box::new(("x".into(), "y".into()))),
                    ..crate::pairs::item(Cow::Borrowed(*text), "es", state)
                });
            }
        }
        for item in &items {
            let (mut direct, mut serialized) = (Vec::new(), Vec::new());
            item.write_element(&mut direct).unwrap();
            write_serialized(item, &mut serialized).unwrap();
            assert_eq!(
                String::from_utf8_lossy(&direct),
                String::from_utf8_lossy(&serialized)
            );
            for severity in [Severity::Error, Severity::Warning] {
                let finding = Finding { item, severity };
                let (mut direct, mut serialized) = (Vec::new(), Vec::new());
                finding.write_element(&mut direct).unwrap();
                write_serialized(&finding, &mut serialized).unwrap();
                assert_eq!(
                    String::from_utf8_lossy(&direct),
                    String::from_utf8_lossy(&serialized)
                );
            }
        }
    }

    #[test]
    fn a_line_is_a_comma_a_break_and_the_indent_at_any_depth() {
        for depth in [0, 1, 4, 8, 9, 30] {
            for comma in [false, true] {
                let mut buf = b"x".to_vec();
                line(&mut buf, comma, depth);
                let want = format!(
                    "x{}\n{}",
                    if comma { "," } else { "" },
                    " ".repeat(2 * depth)
                );
                assert_eq!(String::from_utf8(buf).unwrap(), want);
            }
        }
    }
}
