//! Splitting a Markdown body into blocks (paragraphs, headings, list items, quotes, code) and
//! normalising each so that re-wrapping and whitespace edits do not count as changes.
//!
//! This is deliberately not a Markdown parser: it only needs to find where blocks start and end
//! the way a reader sees them, keep their source lines for display, and produce a stable
//! normalised text for fingerprints. Anything it does not recognise is a paragraph.

use serde::{Deserialize, Serialize};

/// What kind of block a piece of an article is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BlockKind {
    /// A translatable front matter field such as the title.
    Field,
    Heading,
    Paragraph,
    ListItem,
    Quote,
    Code,
    /// MDX: a JSX component (`<Card title="…">` to `</Card>`), text to translate inside.
    Component,
    /// MDX: an `import`/`export` line or a container's closing tag: nothing to translate.
    Markup,
}

impl BlockKind {
    pub fn name(self) -> &'static str {
        match self {
            BlockKind::Field => "field",
            BlockKind::Heading => "heading",
            BlockKind::Paragraph => "paragraph",
            BlockKind::ListItem => "list item",
            BlockKind::Quote => "quote",
            BlockKind::Code => "code",
            BlockKind::Component => "component",
            BlockKind::Markup => "markup",
        }
    }
}

/// One block of an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    /// The block's source lines as written (line endings as `\n`), for display.
    pub text: String,
    /// The normalised text that counts for fingerprints: markers kept, whitespace folded.
    pub normalized: String,
    /// 1-based line in the file where the block starts (0 for front matter fields).
    pub line: usize,
    /// The number of words a translator would translate in this block.
    words: u32,
}

impl Block {
    /// A block from its parts; the words are counted from the normalised text.
    pub fn new(kind: BlockKind, text: String, normalized: String, line: usize) -> Block {
        let words = match kind {
            // The field name and the code fence's info string are not text to translate.
            BlockKind::Field | BlockKind::Code => {
                count_words(normalized.split_once(' ').map_or("", |(_, rest)| rest))
            }
            BlockKind::Markup => 0,
            _ => count_words(&normalized),
        };
        Block {
            kind,
            text,
            normalized,
            line,
            words,
        }
    }

    /// The number of words a translator would translate in this block.
    pub fn words(&self) -> u32 {
        self.words
    }
}

/// Words: whitespace-separated tokens with at least one letter or digit.
pub fn count_words(text: &str) -> u32 {
    text.split_whitespace().filter(|w| is_word(w)).count() as u32
}

/// Whether a token has a letter or digit (ASCII checked byte by byte, the rest by char).
fn is_word(token: &str) -> bool {
    token.bytes().any(|b| b.is_ascii_alphanumeric())
        || (!token.is_ascii() && token.chars().any(char::is_alphanumeric))
}

/// The lines of `text` without their endings (`\n` or `\r\n`), exactly as `str::lines` gives
/// them, found with a vectorised search.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let line = match memchr::memchr(b'\n', rest.as_bytes()) {
            Some(i) => {
                let line = &rest[..i];
                rest = &rest[i + 1..];
                line.strip_suffix('\r').unwrap_or(line)
            }
            None => std::mem::take(&mut rest),
        };
        Some(line)
    })
}

/// Whether a line is already in normal form: ASCII without control characters (so its only
/// whitespace is the space), not empty, words separated by single spaces. Written as a fold
/// without an early exit so the compiler vectorises it.
fn is_plain(text: &str) -> bool {
    let b = text.as_bytes();
    let (Some(&first), Some(&last)) = (b.first(), b.last()) else {
        return false;
    };
    first != b' '
        && last != b' '
        && b.iter()
            .fold(0u8, |acc, &c| acc | u8::from(!(0x20..0x80).contains(&c)))
            == 0
        && !text.contains("  ")
}

/// The words of a line in normal form (see [`is_plain`]): tokens between single spaces that
/// have a letter or digit. When every token starts with a letter or digit (most lines), that is
/// the number of spaces plus one, counted with folds the compiler vectorises.
fn count_plain_words(text: &str) -> u32 {
    let b = text.as_bytes();
    let Some(first) = b.first() else {
        return 0;
    };
    let odd_start = !first.is_ascii_alphanumeric()
        || b.iter().zip(&b[1..]).fold(false, |acc, (&a, &c)| {
            acc | ((a == b' ') & !c.is_ascii_alphanumeric())
        });
    if !odd_start {
        return b.iter().filter(|&&c| c == b' ').count() as u32 + 1;
    }
    // Some token starts with punctuation (and may have no letter or digit at all).
    let mut words = 0u32;
    let mut alnum = false;
    for &c in b {
        let space = c == b' ';
        words += u32::from(space & alnum);
        alnum = (alnum | c.is_ascii_alphanumeric()) & !space;
    }
    words + u32::from(alnum)
}

/// Calls `f` with each whitespace-separated word of `text`: like `split_whitespace`, with a fast
/// path for ASCII.
fn for_each_word<'a>(text: &'a str, mut f: impl FnMut(&'a str)) {
    let bytes = text.as_bytes();
    let mut start: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (space, len) = if b < 0x80 {
            (b.is_ascii_whitespace() || b == 0x0b, 1)
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            (c.is_whitespace(), c.len_utf8())
        };
        match (space, start) {
            (true, Some(s)) => {
                f(&text[s..i]);
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
        i += len;
    }
    if let Some(s) = start {
        f(&text[s..]);
    }
}

/// Folds every run of whitespace to one space and trims the ends.
pub fn fold_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

struct Builder<'a> {
    kind: BlockKind,
    lines: Vec<&'a str>,
    content: Vec<&'a str>,
    marker: String,
    line: usize,
    fence: Option<(char, usize)>,
}

impl Builder<'_> {
    /// The block, with its source lines as `text` when `text` is asked for (else left empty:
    /// a scan needs only the normalised text).
    fn finish(self, text: bool) -> Option<Block> {
        // One pass over the content: words separated by single spaces, after the marker.
        let size: usize = self.content.iter().map(|c| c.len() + 1).sum();
        let mut normalized = String::with_capacity(self.marker.len() + 1 + size);
        normalized.push_str(&self.marker);
        let mut empty = true;
        let mut words = 0;
        for content in &self.content {
            if is_plain(content) {
                // Already in normal form (most prose): copied whole, words counted in one pass.
                if !normalized.is_empty() {
                    normalized.push(' ');
                }
                normalized.push_str(content);
                words += count_plain_words(content);
                empty = false;
                continue;
            }
            for_each_word(content, |word| {
                if !normalized.is_empty() {
                    normalized.push(' ');
                }
                normalized.push_str(word);
                words += u32::from(is_word(word));
                empty = false;
            });
        }
        if empty && self.kind != BlockKind::Code {
            return None;
        }
        if self.kind == BlockKind::Markup {
            words = 0;
        }
        // The same text saved in NFD (as macOS may) is the same text.
        if !normalized.is_ascii() {
            if let std::borrow::Cow::Owned(n) = crate::names::nfc(&normalized) {
                normalized = n;
            }
        }
        Some(Block {
            kind: self.kind,
            text: if text {
                self.lines.join("\n")
            } else {
                String::new()
            },
            normalized,
            line: self.line,
            words,
        })
    }
}

/// Whether `line` closes the fence `open` (its mark and how many): as many of the same mark or
/// more, and nothing else.
fn closes_fence(line: &str, (c, len): (char, usize)) -> bool {
    fence_of(line).is_some_and(|(c2, l2)| c2 == c && l2 >= len)
        && line.trim().chars().all(|x| x == c)
}

fn fence_of(line: &str) -> Option<(char, usize)> {
    let t = line.trim_start_matches(' ');
    if line.len() - t.len() > 3 {
        return None;
    }
    let c = t.chars().next()?;
    if c != '`' && c != '~' {
        return None;
    }
    let n = t.chars().take_while(|&x| x == c).count();
    (n >= 3).then_some((c, n))
}

fn heading_of(line: &str) -> Option<(usize, &str)> {
    let t = line.trim_start_matches(' ');
    if line.len() - t.len() > 3 {
        return None;
    }
    let level = t.chars().take_while(|&c| c == '#').count();
    if level == 0 || level > 6 {
        return None;
    }
    let rest = &t[level..];
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let text = rest.trim().trim_end_matches('#').trim_end();
    Some((level, text))
}

fn is_thematic_break(line: &str) -> bool {
    let mut marks = line.bytes().filter(|b| !b.is_ascii_whitespace());
    let Some(first) = marks.next() else {
        return false;
    };
    if !matches!(first, b'-' | b'*' | b'_') {
        return false;
    }
    let mut count = 1;
    for b in marks {
        if b != first {
            return false;
        }
        count += 1;
    }
    count >= 3
}

/// A list item marker: returns the content after it.
fn list_item_of(line: &str) -> Option<&str> {
    let t = line.trim_start();
    let marker = if t.starts_with(['-', '*', '+']) {
        1
    } else {
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        if !(1..=9).contains(&digits) || !t[digits..].starts_with(['.', ')']) {
            return None;
        }
        digits + 1
    };
    let rest = &t[marker..];
    // A marker alone is an empty item, whatever spaces follow it.
    if rest.trim().is_empty() {
        return Some("");
    }
    rest.strip_prefix([' ', '\t'])
}

fn quote_content(line: &str) -> Option<&str> {
    let t = line.trim_start();
    let rest = t.strip_prefix('>')?;
    Some(rest.strip_prefix(' ').unwrap_or(rest))
}

/// A paragraph's key for noticing copies: a fast hash of its bytes as written (trailing
/// whitespace aside), for paragraphs that look like prose (30 bytes and five words or more
/// outside links, not a heading, code, a component, a table or an image). A copy pasted or made by `tandem new`
/// has the original's bytes; a re-wrapped copy is not noticed.
fn paragraph_key(chunk: &str) -> Option<u64> {
    use std::hash::Hasher;
    let text = chunk.trim();
    let prose = text.len() >= 30
        && !text.starts_with(['#', '`', '<', '|', '!', '{', '~', ':'])
        && memchr::memchr_iter(b' ', text.as_bytes()).count() >= 4
        && (memchr::memchr(b'[', text.as_bytes()).is_none() || words_outside_links(text) >= 5);
    prose.then(|| {
        let mut h = rustc_hash::FxHasher::default();
        h.write(text.as_bytes());
        h.finish()
    })
}

/// The words with a letter in `text` outside its links (`[text](target)`): a paragraph that is
/// mostly links (a list of names, of pages, numbered or not) is left as it is in every language.
fn words_outside_links(text: &str) -> usize {
    let count = |t: &str| {
        t.split_whitespace()
            .filter(|w| w.chars().any(char::is_alphabetic))
            .count()
    };
    let bytes = text.as_bytes();
    let mut words = 0;
    let mut from = 0;
    while let Some(at) = memchr::memchr(b'[', &bytes[from..]) {
        let open = from + at;
        let Some(middle) = memchr::memmem::find(&bytes[open..], b"](").map(|m| open + m) else {
            break;
        };
        let Some(close) = memchr::memchr(b')', &bytes[middle..]).map(|c| middle + c) else {
            break;
        };
        words += count(&text[from..open]);
        from = close + 1;
    }
    words + count(&text[from..])
}

/// The keys of every prose paragraph of a body (see [`paragraph_key`]), sorted. What lies in a
/// fenced code block, or in HTML whose blank lines do not end it (`<script>`, `<pre>`, `<style>`,
/// `<textarea>`, a comment), is not prose: code is the same in every language, so a
/// translation's sample that falls inside one (which [`sample_keys`] cannot tell, looking only
/// near each point) must not find its key here.
pub fn paragraph_keys(body: &str) -> Vec<u64> {
    // Paragraphs end at a blank line (`\n\n`, or `\n\r\n` with CRLF endings).
    let blank: &[u8] = if body.contains('\r') {
        b"\n\r\n"
    } else {
        b"\n\n"
    };
    let mut keys: Vec<u64> = Vec::new();
    let mut start = 0;
    let mut open = None;
    for end in memchr::memmem::find_iter(body.as_bytes(), blank).chain([body.len()]) {
        if end >= start {
            let chunk = &body[start..end];
            let inside = open.is_some();
            if !follow_code(chunk, &mut open) && !inside {
                keys.extend(paragraph_key(chunk));
            }
        }
        start = end + blank.len();
    }
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// Code that blank lines do not end, open before a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OpenCode {
    /// A fence: its mark (a backtick or a tilde) and how many.
    Fence((char, usize)),
    /// HTML that ends at a line holding this (lowercase).
    Html(&'static str),
}

/// The HTML that blank lines do not end (CommonMark's first two kinds of HTML block): how a
/// line starts it, and what ends it.
const RAW_HTML: [(&str, &str); 5] = [
    ("<script", "</script>"),
    ("<pre", "</pre>"),
    ("<style", "</style>"),
    ("<textarea", "</textarea>"),
    ("<!--", "-->"),
];

/// Follows the code of `chunk` from `open`, what was open before it: fences (a line of three or
/// more backticks or tildes, indented any amount, as inside a list item) and raw HTML (see
/// [`RAW_HTML`]). Whether any line of it opens, continues or closes code.
fn follow_code(chunk: &str, open: &mut Option<OpenCode>) -> bool {
    if open.is_none() && memchr::memchr3(b'`', b'~', b'<', chunk.as_bytes()).is_none() {
        return false;
    }
    let mut any = open.is_some();
    for line in lines(chunk) {
        let t = line.trim_start_matches([' ', '\t']);
        match *open {
            Some(OpenCode::Fence(fence)) => {
                if closes_fence(t, fence) {
                    *open = None;
                }
            }
            Some(OpenCode::Html(end)) => {
                if holds_ignoring_case(line, end) {
                    *open = None;
                }
            }
            None => {
                // Indented any amount (`t` is trimmed): a fence in a list item too.
                if let Some(fence) = fence_of(t) {
                    *open = Some(OpenCode::Fence(fence));
                    any = true;
                } else if t.starts_with('<') {
                    let started = RAW_HTML.iter().find(|(start, _)| {
                        t.get(..start.len())
                            .is_some_and(|s| s.eq_ignore_ascii_case(start))
                            && (start.starts_with("<!")
                                || t[start.len()..]
                                    .bytes()
                                    .next()
                                    .is_none_or(|b| b == b'>' || b.is_ascii_whitespace()))
                    });
                    if let Some((start, end)) = started {
                        any = true;
                        if !holds_ignoring_case(&t[start.len()..], end) {
                            *open = Some(OpenCode::Html(end));
                        }
                    }
                }
            }
        }
    }
    any
}

/// Whether `text` holds `lower` (ASCII, lowercase) in any case.
fn holds_ignoring_case(text: &str, lower: &str) -> bool {
    text.as_bytes()
        .windows(lower.len())
        .any(|w| w.eq_ignore_ascii_case(lower.as_bytes()))
}

/// The keys of a few paragraphs spread over a body (around a quarter, a half and three
/// quarters of the way): a cheap look at whether a translation is still a copy of its
/// original. Only the neighbourhood of each point is searched, never the whole body.
pub fn sample_keys(body: &str) -> Vec<u64> {
    let bytes = body.as_bytes();
    let n = bytes.len();
    // A blank line is `\n\n`, or `\n\r\n` in a file with CRLF endings; a paragraph longer
    // than the window is not sampled (the search never runs over the whole body).
    const WINDOW: usize = 4096;
    let blank: &[u8] = if memchr::memchr(b'\r', &bytes[..n.min(WINDOW)]).is_some() {
        b"\n\r\n"
    } else {
        b"\n\n"
    };
    let back = |q: usize| {
        let from = q.saturating_sub(WINDOW);
        last_blank(&bytes[from..q], blank).map(|i| from + i + blank.len())
    };
    let ahead = |q: usize| {
        let to = (q + WINDOW).min(n);
        match first_blank(&bytes[q..to], blank) {
            Some(i) => Some(q + i),
            None if to == n => Some(n),
            None => None,
        }
    };
    let mut out = Vec::new();
    let mut done = 0;
    for q in [n / 4, n / 2, (3 * n) / 4] {
        if q < done || !body.is_char_boundary(q) {
            continue;
        }
        let start = if q < WINDOW {
            back(q).unwrap_or(0)
        } else {
            match back(q) {
                Some(s) => s,
                None => continue,
            }
        };
        let Some(end) = ahead(q) else { continue };
        if start < done || start >= end {
            continue;
        }
        done = end;
        out.extend(paragraph_key(&body[start..end]));
    }
    out
}

/// Where the first `blank` (`\n\n` or `\n\r\n`) in `bytes` starts: as `memmem::find` gives
/// it, found by hopping from line end to line end (the few hundred bytes of a paragraph cost
/// less so than setting up a substring search for each).
fn first_blank(bytes: &[u8], blank: &[u8]) -> Option<usize> {
    memchr::memchr_iter(b'\n', bytes).find(|&p| bytes[p..].starts_with(blank))
}

/// Where the last `blank` in `bytes` starts, as `memmem::rfind` gives it (see
/// [`first_blank`]): `blank` ends with a line end.
fn last_blank(bytes: &[u8], blank: &[u8]) -> Option<usize> {
    memchr::memrchr_iter(b'\n', bytes)
        .filter_map(|p| (p + 1).checked_sub(blank.len()))
        .find(|&start| bytes[start..].starts_with(blank))
}

/// A JSX tag line of MDX: the component's name, whether it closes, whether it is complete on
/// its line (self-closing, or closed on the same line).
fn jsx_tag(line: &str) -> Option<(&str, bool, bool)> {
    let t = line.trim();
    let (closing, rest) = match t.strip_prefix("</") {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('<')?),
    };
    if !rest.starts_with(|c: char| c.is_ascii_uppercase()) {
        return None;
    }
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_'))
        .unwrap_or(rest.len());
    let name = &rest[..end];
    let complete = closing || t.ends_with("/>") || t.ends_with(&format!("</{name}>"));
    Some((name, closing, complete))
}

/// Splits a Markdown body into blocks. `first_line` is the file line number of the body's
/// first line.
pub fn split_blocks(body: &str, first_line: usize) -> Vec<Block> {
    split_body(body, first_line, false)
}

/// Splits a body into blocks; with `mdx`, `import`/`export` lines and JSX components are
/// blocks of their own (a card added to a grid is one new block, not a changed grid).
pub fn split_body(body: &str, first_line: usize, mdx: bool) -> Vec<Block> {
    split_body_as(body, first_line, mdx, true)
}

/// [`split_body`], the blocks' `text` left empty unless `text` (what they count for is the same).
pub fn split_body_as<'a>(body: &'a str, first_line: usize, mdx: bool, text: bool) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut current: Option<Builder> = None;
    let flush = |current: &mut Option<Builder>, blocks: &mut Vec<Block>| {
        if let Some(b) = current.take().and_then(|b| b.finish(text)) {
            blocks.push(b);
        }
    };
    let start = |kind, line: &'a str, marker: &str, content: &'a str, n: usize| Builder {
        kind,
        lines: vec![line],
        content: vec![content],
        marker: marker.to_string(),
        line: n,
        fence: None,
    };

    for (i, raw) in lines(body).enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let n = first_line + i;

        if let Some(b) = current.as_mut().filter(|b| b.fence.is_some()) {
            b.lines.push(line);
            if closes_fence(line, b.fence.unwrap_or(('`', 3))) {
                b.fence = None;
                flush(&mut current, &mut blocks);
            } else {
                b.content.push(line);
            }
            continue;
        }
        if line.trim().is_empty() {
            flush(&mut current, &mut blocks);
            continue;
        }
        if mdx {
            let in_component = current
                .as_ref()
                .is_some_and(|b| b.kind == BlockKind::Component);
            let t = line.trim();
            if !in_component && (t.starts_with("import ") || t.starts_with("export ")) {
                flush(&mut current, &mut blocks);
                current = Some(start(BlockKind::Markup, line, "mdx", t, n));
                flush(&mut current, &mut blocks);
                continue;
            }
            if let Some((name, closing, complete)) = jsx_tag(line) {
                let closes_current = closing
                    && current.as_ref().is_some_and(|b| {
                        b.kind == BlockKind::Component && b.marker == format!("<{name}")
                    });
                if closes_current {
                    if let Some(b) = current.as_mut() {
                        b.lines.push(line);
                        b.content.push(t);
                    }
                    flush(&mut current, &mut blocks);
                    continue;
                }
                flush(&mut current, &mut blocks);
                let kind = if closing {
                    BlockKind::Markup
                } else {
                    BlockKind::Component
                };
                current = Some(start(kind, line, &format!("<{name}"), t, n));
                if complete {
                    flush(&mut current, &mut blocks);
                }
                continue;
            }
        }
        if let Some(fence) = fence_of(line) {
            flush(&mut current, &mut blocks);
            let info = fold_whitespace(line.trim().trim_start_matches(fence.0));
            let mut b = start(BlockKind::Code, line, &format!("```{info}"), "", n);
            b.content.clear();
            b.fence = Some(fence);
            current = Some(b);
            continue;
        }
        if let Some((level, text)) = heading_of(line) {
            flush(&mut current, &mut blocks);
            current = Some(start(BlockKind::Heading, line, &"#".repeat(level), text, n));
            flush(&mut current, &mut blocks);
            continue;
        }
        let continuing_paragraph = current
            .as_ref()
            .is_some_and(|b| b.kind == BlockKind::Paragraph);
        if continuing_paragraph {
            let t = line.trim();
            if !t.is_empty() && (t.chars().all(|c| c == '=') || t.chars().all(|c| c == '-')) {
                // A setext heading underline turns the paragraph into a heading.
                if let Some(b) = current.as_mut() {
                    b.kind = BlockKind::Heading;
                    b.marker = if t.starts_with('=') { "#" } else { "##" }.to_string();
                    b.lines.push(line);
                }
                flush(&mut current, &mut blocks);
                continue;
            }
        }
        if is_thematic_break(line) {
            flush(&mut current, &mut blocks);
            continue;
        }
        if let Some(content) = quote_content(line) {
            if content.trim().is_empty() {
                // `>` alone separates paragraphs inside a quote.
                flush(&mut current, &mut blocks);
                continue;
            }
            match current.as_mut() {
                Some(b) if b.kind == BlockKind::Quote => {
                    b.lines.push(line);
                    b.content.push(content);
                }
                _ => {
                    flush(&mut current, &mut blocks);
                    current = Some(start(BlockKind::Quote, line, ">", content, n));
                }
            }
            continue;
        }
        if let Some(content) = list_item_of(line) {
            flush(&mut current, &mut blocks);
            current = Some(start(BlockKind::ListItem, line, "-", content, n));
            continue;
        }
        match current.as_mut() {
            Some(b) => {
                b.lines.push(line);
                b.content.push(line);
            }
            None => current = Some(start(BlockKind::Paragraph, line, "", line, n)),
        }
    }
    flush(&mut current, &mut blocks);
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn norms(body: &str) -> Vec<String> {
        split_blocks(body, 1)
            .into_iter()
            .map(|b| b.normalized)
            .collect()
    }

    #[test]
    fn only_prose_outside_code_and_lists_of_links_has_a_key() {
        let key = |t: &str| paragraph_key(t).expect(t);
        let prose = "A paragraph of prose that a translator would rewrite.";
        let linked =
            "Read the [guide to content collections](/en/guides/content/) before you start here.";
        let code = "  const posts = await getCollection('blog'); return posts.map(p => p);";
        let body = [
            prose,
            linked,
            // A fence inside a list item (indented), with blank lines inside it.
            "1. Make the page:\n\n    ```js\n    export async function getStaticPaths() {",
            code,
            "    }\n    ```",
            // Raw HTML that blank lines do not end, in any case.
            "<SCRIPT type=\"module\">\n  function render(data) {",
            "  const table = document.getElementById('cve-table').querySelector('tbody');",
            "  }\n</script>",
            "<!-- a comment that runs over",
            "several paragraphs of words written here -->",
            // Lists of links: names, numbered or not.
            "1. [otlpexporter](https://example.org/otlp)\n2. [lokiexporter](https://example.org/loki)\n3. [prometheusexporter](https://example.org/prom)\n4. [kafkaexporter](https://example.org/kafka)\n5. [fileexporter](https://example.org/file)",
            "- [The first page](/a/) - [The second page](/b/) - [The third one](/c/)",
            "~~~~\nA tilde fence that a shorter one does not close.\n~~~",
            "Still inside the fence above, which needs four tildes to close.",
            "~~~~",
            "The last paragraph of prose, after every block of code is closed.",
        ]
        .join("\n\n");
        let mut want = vec![
            key(prose),
            key(linked),
            key("The last paragraph of prose, after every block of code is closed."),
        ];
        want.sort_unstable();
        assert_eq!(paragraph_keys(&body), want);
        // The same with CRLF endings.
        let crlf = body.replace('\n', "\r\n");
        assert_eq!(paragraph_keys(&crlf).len(), 3);
        // A fence never closed runs to the end.
        assert_eq!(
            paragraph_keys(&format!("```\n\n{prose}")),
            Vec::<u64>::new()
        );
        // What has a key alone is what a translation's sample is judged by.
        assert!(paragraph_key(code).is_some());
        assert!(paragraph_key("1. [a](/a)\n2. [b](/b)\n3. [c](/c)\n4. [d](/d) and e").is_none());
    }

    #[test]
    fn paragraphs_headings_lists_quotes_code() {
        let body = "# Title\n\nPARIS, March 20—The forum\nopened.\n\n- one\n- two\n  continued\n\n> quoted\n> text\n>\n> second\n\n```sh\nrun  it\n\nagain\n```\n";
        assert_eq!(
            norms(body),
            vec![
                "# Title",
                "PARIS, March 20—The forum opened.",
                "- one",
                "- two continued",
                "> quoted text",
                "> second",
                "```sh run it again",
            ]
        );
    }

    #[test]
    fn blocks_without_their_text_count_the_same() {
        let bodies = [
            "# Title\n\nPARIS, March 20—The forum\nopened.\n\n- one\n- two\n  continued\n\n> quoted\n> text\n\n```sh\nrun  it\n\nagain\n```\n",
            "a\r\nb\r\n\r\n| x | y |\r\n|---|---|\r\n| 1 | 2 |\r\n",
            "import X from './x';\n\n<Card title=\"a\">\n  text\n</Card>\n\nCafe\u{301} au lait\n",
        ];
        for body in bodies {
            for mdx in [false, true] {
                let with = split_body(body, 3, mdx);
                let without = split_body_as(body, 3, mdx, false);
                assert!(with.iter().any(|b| !b.text.is_empty()));
                assert!(without.iter().all(|b| b.text.is_empty()));
                let cleared: Vec<Block> = with
                    .into_iter()
                    .map(|b| Block {
                        text: String::new(),
                        ..b
                    })
                    .collect();
                assert_eq!(cleared, without, "{body:?}");
            }
        }
    }

    #[test]
    fn rewrapping_does_not_change_blocks() {
        let a = "A long line of text that\nwraps here.\n\n> a quote that\n> wraps\n";
        let b = "A long line of text\nthat wraps here.   \n\n\n\n> a quote\n> that wraps\n";
        assert_eq!(norms(a), norms(b));
    }

    #[test]
    fn crlf_is_like_lf() {
        assert_eq!(norms("a\r\nb\r\n\r\nc\r\n"), norms("a\nb\n\nc\n"));
    }

    #[test]
    fn setext_heading_and_thematic_break() {
        let body = "Title\n=====\n\ntext\n\n---\n\nmore\n";
        assert_eq!(norms(body), vec!["# Title", "text", "more"]);
    }

    #[test]
    fn poem_lines_stay_in_text_for_display() {
        let blocks = split_blocks("Line one,  \nline two.\n", 5);
        assert_eq!(blocks[0].text, "Line one,  \nline two.");
        assert_eq!(blocks[0].line, 5);
        assert_eq!(blocks[0].words(), 4);
    }

    proptest! {
        #[test]
        fn words_split_like_split_whitespace(text in "\\PC{0,40}|[ \t\u{a0}\u{2003}\u{b}\u{c}a-zé]{0,40}") {
            let mut words = Vec::new();
            for_each_word(&text, |w| words.push(w));
            prop_assert_eq!(words, text.split_whitespace().collect::<Vec<_>>());
        }
    }

    #[test]
    fn a_list_marker_alone_is_the_same_with_trailing_spaces() {
        // Found by fuzzing: `1)` and `1)  ` were split differently.
        assert_eq!(norms("text\n1)"), norms("text  \n1)  "));
        assert_eq!(norms("- a\n-"), norms("- a\n-   "));
        // And a fence's info string with doubled spaces.
        assert_eq!(
            norms("```rust ignore\nx\n```"),
            norms("```rust  ignore  \nx\n```")
        );
    }

    proptest! {
        #[test]
        fn lines_are_str_lines(text in "[a\r\n ]{0,30}|\\PC{0,40}") {
            prop_assert_eq!(lines(&text).collect::<Vec<_>>(), text.lines().collect::<Vec<_>>());
        }

        #[test]
        fn plain_lines_fold_like_any_line(text in "[ a-z0-9.,;'\"&*()-]{0,60}|[ \ta-z\u{b}\u{c}\u{a0}—-]{0,40}") {
            // The copy-whole path for lines in normal form gives what word-by-word folding gives.
            let mut words = Vec::new();
            for_each_word(&text, |w| words.push(w));
            if is_plain(&text) {
                prop_assert_eq!(words.join(" "), text.clone());
                let counted = words.iter().filter(|w| is_word(w)).count() as u32;
                prop_assert_eq!(count_plain_words(&text), counted);
            } else {
                prop_assert!(text.is_empty() || text.trim() != text || !text.is_ascii()
                    || text.contains("  ") || text.bytes().any(|b| b < 0x20));
            }
        }
    }

    #[test]
    fn words_need_a_letter_or_digit() {
        assert_eq!(count_words("— a 12 , b"), 3);
    }

    proptest! {
        #[test]
        fn whitespace_edits_never_change_blocks(words in proptest::collection::vec("[a-zA-Z0-9]{1,8}", 1..30), seps in proptest::collection::vec(prop_oneof![Just(" "), Just("  "), Just("\n"), Just(" \t ")], 30)) {
            let plain = words.join(" ");
            let mut wrapped = String::new();
            for (i, w) in words.iter().enumerate() {
                if i > 0 { wrapped.push_str(seps[i % seps.len()]); }
                wrapped.push_str(w);
            }
            prop_assert_eq!(norms(&plain), norms(&format!("{wrapped}  \n\n")));
        }

        #[test]
        fn eight_bytes_may_start_a_token_when_one_does(bytes in any::<[u8; 8]>(), at in 0..8usize, special in prop_oneof![Just(b'0'), Just(b'9'), Just(b'5'), Just(b'`'), Just(b']'), Just(b'/'), Just(b':'), Just(b'\\'), Just(b'a'), Just(0xB0u8), Just(0xDDu8)]) {
            let mut bytes = bytes;
            bytes[at] = special;
            let starts = bytes.iter().any(|b| b.is_ascii_digit() || *b == b'`' || *b == b']');
            prop_assert_eq!(may_start_token(u64::from_le_bytes(bytes)), starts, "{:?}", bytes);
        }

        #[test]
        fn blank_lines_are_found_where_a_substring_search_finds_them(text in "[\n\ra ]{0,24}") {
            let bytes = text.as_bytes();
            for blank in [&b"\n\n"[..], &b"\n\r\n"[..]] {
                prop_assert_eq!(first_blank(bytes, blank), memchr::memmem::find(bytes, blank));
                prop_assert_eq!(last_blank(bytes, blank), memchr::memmem::rfind(bytes, blank));
            }
        }

        #[test]
        fn any_word_edit_changes_blocks(words in proptest::collection::vec("[a-z]{1,8}", 1..30), i in any::<proptest::sample::Index>(), new in "[a-z]{1,8}") {
            let k = i.index(words.len());
            prop_assume!(words[k] != new);
            let mut edited = words.clone();
            edited[k] = new;
            prop_assert_ne!(norms(&words.join(" ")), norms(&edited.join(" ")));
        }

        #[test]
        fn never_panics(text in "\\PC*") {
            let _ = split_blocks(&text, 1);
        }
    }

    #[test]
    fn mdx_components_and_imports_are_blocks_of_their_own() {
        let grid = "import { Card, CardGrid } from '@astrojs/starlight/components';\n\n<CardGrid stagger>\n\t<Card title=\"Update content\" icon=\"pencil\">\n\t\tEdit the page.\n\t</Card>\n\t<Card title=\"Add content\" icon=\"add\">\n\t\tAdd files.\n\t</Card>\n</CardGrid>\n";
        let blocks = split_body(grid, 1, true);
        let kinds: Vec<BlockKind> = blocks.iter().map(|b| b.kind).collect();
        use BlockKind::*;
        assert_eq!(kinds, [Markup, Component, Component, Component, Markup]);
        assert_eq!(blocks[2].line, 4);
        assert!(blocks[2].text.ends_with("</Card>"));
        assert_eq!(blocks[0].words(), 0);
        // A card added to the grid is one more block; the others are unchanged.
        let more = grid.replace(
            "</CardGrid>",
            "\t<Card title=\"New\" icon=\"x\">\n\t\tNew text.\n\t</Card>\n</CardGrid>",
        );
        let after = split_body(&more, 1, true);
        assert_eq!(after.len(), blocks.len() + 1);
        for (a, b) in blocks[..4].iter().zip(&after[..4]) {
            assert_eq!(a.normalized, b.normalized);
        }
        // The same text as Markdown is one paragraph, as before.
        assert_eq!(split_body(grid, 1, false).len(), 2);
    }
}

/// What a text and its translations share whatever the language: its numbers (two digits or
/// more), link targets, and code (inline spans and fenced blocks), each hashed, sorted and
/// without repeats, at most 64. A translation whose original was renamed is found by it.
pub fn signature(body: &str) -> Vec<u64> {
    use std::hash::{BuildHasher, Hash, Hasher};
    let build = rustc_hash::FxBuildHasher;
    let mut out: Vec<u64> = Vec::new();
    let mut add = |kind: u8, token: &str| {
        let mut h = build.build_hasher();
        kind.hash(&mut h);
        token.hash(&mut h);
        out.push(h.finish());
    };
    let mut in_fence = false;
    let mut fence = String::new();
    for line in body.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            if in_fence {
                add(b'c', fence.trim());
                fence.clear();
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            fence.push_str(line);
            fence.push('\n');
            continue;
        }
        let bytes = line.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            // Most bytes start no token: passed over eight at a time.
            while let Some(chunk) = bytes.get(i..i + 8) {
                match may_start_token(u64::from_le_bytes(chunk.try_into().unwrap_or_default())) {
                    true => break,
                    false => i += 8,
                }
            }
            let Some(&b) = bytes.get(i) else { break };
            if b.is_ascii_digit() {
                let start = i;
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
                if i - start >= 2 {
                    add(b'n', &line[start..i]);
                }
                continue;
            }
            if b == b'`' {
                if let Some(end) = line[i + 1..].find('`') {
                    let code = &line[i + 1..i + 1 + end];
                    if code.len() >= 3 {
                        add(b'c', code);
                    }
                    i += end + 2;
                    continue;
                }
            }
            if b == b']' && bytes.get(i + 1) == Some(&b'(') {
                if let Some(end) = line[i + 2..].find(')') {
                    add(b'l', &line[i + 2..i + 2 + end]);
                    i += end + 3;
                    continue;
                }
            }
            i += 1;
        }
    }
    out.sort_unstable();
    out.dedup();
    out.truncate(64);
    out
}

/// Whether any of eight bytes may start a token of a signature: an ASCII digit, a backtick or
/// `]` (no false negatives; a word that says yes is then looked at byte by byte).
fn may_start_token(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH != 0;
    // ASCII bytes above `/` and below `:` (the high bit set by the sums for those alone).
    let low = word & !HIGH;
    let digit = (ONES * (127 + 0x3A) - low) & !word & (low + ONES * (127 - 0x2F)) & HIGH != 0;
    digit || has_zero(word ^ (ONES * u64::from(b'`'))) || has_zero(word ^ (ONES * u64::from(b']')))
}

/// The share of the two signatures' tokens they have in common (0 to 1).
pub fn signature_overlap(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut both) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    both as f64 / (a.len() + b.len() - both) as f64
}

#[cfg(test)]
mod signature_tests {
    use super::*;

    #[test]
    fn a_translation_shares_its_originals_signature() {
        let en = "In 1994 the group met [twice](https://example.org/a) and ran `make all`.\n\n```\ntar -xf x.tar\n```\n\nIt had 250 members.\n";
        let de = "1994 traf sich die Gruppe [zweimal](https://example.org/a) und rief `make all` auf.\n\n```\ntar -xf x.tar\n```\n\nSie hatte 250 Mitglieder.\n";
        let other = "In 2001 another group met [once](https://example.org/b).\n";
        let (a, b, c) = (signature(en), signature(de), signature(other));
        assert_eq!(
            a.len(),
            5,
            "1994, the link, the inline code, the block, 250"
        );
        assert_eq!(signature_overlap(&a, &b), 1.0);
        assert_eq!(signature_overlap(&a, &c), 0.0);
        assert_eq!(signature_overlap(&a, &[]), 0.0);
    }
}
