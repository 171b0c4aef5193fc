//! Splitting a Markdown file into YAML front matter and body, and rewriting one front matter
//! field while keeping every other byte.

/// A file split into its parts. Offsets are into the text given to [`split`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` lines, or `None` when the file has no front matter.
    pub yaml: Option<&'a str>,
    /// The 1-based line on which the YAML text starts.
    pub yaml_line: usize,
    /// Everything after the closing `---` line (or the whole file without front matter).
    pub body: &'a str,
    /// The 1-based line on which the body starts.
    pub body_line: usize,
    /// The front matter is TOML, between `+++` lines (Hugo, Zola), not YAML.
    pub toml: bool,
}

impl<'a> Split<'a> {
    /// A file without front matter: all of it is body.
    fn all_body(text: &'a str) -> Self {
        Split {
            yaml: None,
            yaml_line: 1,
            body: text,
            body_line: 1,
            toml: false,
        }
    }
}

/// Why front matter could not be split off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitError {
    pub line: usize,
    pub message: String,
}

const BOM: &str = "\u{feff}";

fn is_fence(line: &str) -> bool {
    line.trim_end_matches(['\r', '\n'])
        .trim_end_matches([' ', '\t'])
        == "---"
}

fn is_toml_fence(line: &str) -> bool {
    line.trim_end_matches(['\r', '\n'])
        .trim_end_matches([' ', '\t'])
        == "+++"
}

/// Lines with their endings, as `(start offset, line including its ending)`.
fn lines_with_offsets(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n').map(move |line| {
        let start = offset;
        offset += line.len();
        (start, line)
    })
}

/// Splits front matter from the body. A leading BOM is skipped. Front matter must start on the
/// first line; a `---` block that starts lower is reported, since it is almost always meant as
/// front matter and would otherwise be silently read as body text.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let text = text.strip_prefix(BOM).unwrap_or(text);
    // Old Mac line endings (a carriage return alone): the front matter would be one long first
    // line and read as body text, its fields lost without a word.
    if let Some(rest) = text.strip_prefix("---\r") {
        if !rest.starts_with('\n') {
            return Err(SplitError {
                line: 1,
                message: "its lines end with carriage returns alone (old Mac line endings), so its front matter cannot be read; convert it to LF or CRLF line endings".to_string(),
            });
        }
    }
    let mut lines = lines_with_offsets(text);
    match lines.next() {
        // TOML front matter (Hugo, Zola), closed by a `+++` line: a `+++` line that closes
        // nothing is text.
        Some((_, first)) if is_toml_fence(first) => {
            let start = first.len();
            for (n, (at, line)) in lines.enumerate() {
                if is_toml_fence(line) {
                    return Ok(Split {
                        yaml: Some(&text[start..at]),
                        yaml_line: 2,
                        body: &text[at + line.len()..],
                        body_line: n + 3,
                        toml: true,
                    });
                }
            }
            Ok(Split::all_body(text))
        }
        Some((_, first)) if is_fence(first) => {
            let yaml_start = first.len();
            for (n, (start, line)) in lines.enumerate() {
                if is_fence(line) {
                    let body_start = start + line.len();
                    return Ok(Split {
                        yaml: Some(&text[yaml_start..start]),
                        yaml_line: 2,
                        body: &text[body_start..],
                        body_line: n + 3,
                        toml: false,
                    });
                }
            }
            Err(SplitError {
                line: 1,
                message: "front matter is not closed: no `---` line after the opening one"
                    .to_string(),
            })
        }
        _ => {
            // Blank lines, then `---`, then `key: value`: front matter that is not at the top.
            let mut rest = lines_with_offsets(text).enumerate();
            for (n, (_, line)) in rest.by_ref() {
                if line.trim().is_empty() {
                    continue;
                }
                if n > 0 && is_fence(line) {
                    let next = text.lines().nth(n + 1).unwrap_or("");
                    if looks_like_yaml_key(next) {
                        let blank = if n == 1 {
                            "the blank line".to_string()
                        } else {
                            format!("the {n} blank lines")
                        };
                        return Err(SplitError {
                            line: n + 1,
                            message: format!(
                                "front matter must start on the first line of the file: remove {blank} above `---`"
                            ),
                        });
                    }
                }
                break;
            }
            Ok(Split::all_body(text))
        }
    }
}

/// In TOML front matter, sets `key` (dotted: nested) to the text the YAML scalar `value` stands
/// for, keeping every other byte of the file.
fn set_toml_field(
    text: &str,
    parts: &Split<'_>,
    key: &str,
    value: &str,
) -> Result<String, SplitError> {
    let block = parts.yaml.unwrap_or("");
    let start = block.as_ptr() as usize - text.as_ptr() as usize;
    let refuse = |message: String| SplitError {
        line: parts.yaml_line,
        message,
    };
    let text_value = match crate::yaml::parse_mapping(&format!("v: {value}")) {
        Ok(entries) => entries
            .into_iter()
            .next()
            .map(|(_, v)| v.to_text())
            .unwrap_or_default(),
        Err(_) => value.to_string(),
    };
    let mut block = crate::toml::set_field(block, key, &text_value)
        .map_err(|why| refuse(format!("its TOML front matter cannot take `{key}`: {why}")))?;
    // The TOML crate writes lines ending in LF alone: a file with CRLF endings keeps them.
    let eol = line_ending(text);
    if eol == "\r\n" {
        block = block.replace("\r\n", "\n").replace('\n', "\r\n");
    }
    // The closing `+++` must stay on a line of its own.
    if !block.is_empty() && !block.ends_with('\n') {
        block.push_str(eol);
    }
    let end = start + parts.yaml.unwrap_or("").len();
    Ok(format!("{}{block}{}", &text[..start], &text[end..]))
}

fn looks_like_yaml_key(line: &str) -> bool {
    match line.split_once(':') {
        Some((key, _)) => {
            !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        }
        None => false,
    }
}

/// The line ending a file uses: that of its first line.
pub fn line_ending(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// Finds the top-level `key:` line in front matter and returns the byte range of its value
/// (from after `key:` to the end of the value, before any comment and the line ending), plus
/// the end of the whole entry (including indented continuation lines).
fn find_field(
    text: &str,
    yaml_start: usize,
    yaml_end: usize,
    key: &str,
) -> Option<(usize, usize, usize)> {
    let yaml = &text[yaml_start..yaml_end];
    let mut lines = lines_with_offsets(yaml).peekable();
    while let Some((start, line)) = lines.next() {
        let Some(rest) = line.strip_prefix(key) else {
            continue;
        };
        let Some(after_colon) = rest.strip_prefix(':') else {
            continue;
        };
        if !(after_colon.is_empty() || after_colon.starts_with([' ', '\t', '\r', '\n'])) {
            continue;
        }
        let value_start = yaml_start + start + key.len() + 1;
        let content = after_colon.trim_end_matches(['\r', '\n']);
        let value_len = value_span(content);
        let value_end = value_start + value_len;
        let mut entry_end = yaml_start + start + line.len();
        // Indented lines below belong to this value (a block or flow scalar over several lines).
        while let Some((next_start, next)) = lines.peek() {
            if next.starts_with([' ', '\t']) && !next.trim().is_empty() {
                entry_end = yaml_start + next_start + next.len();
                lines.next();
            } else {
                break;
            }
        }
        return Some((value_start, value_end, entry_end));
    }
    None
}

/// The length of a value's text on its line, leaving out a trailing ` # comment`.
fn value_span(content: &str) -> usize {
    let trimmed = content.trim_start();
    let lead = content.len() - trimmed.len();
    let end = if trimmed.starts_with(['"', '\'']) {
        let quote = trimmed.as_bytes()[0];
        let mut i = 1;
        let bytes = trimmed.as_bytes();
        while i < bytes.len() {
            if bytes[i] == b'\\' && quote == b'"' {
                i += 2;
                continue;
            }
            if bytes[i] == quote {
                break;
            }
            i += 1;
        }
        (i + 1).min(trimmed.len())
    } else {
        match trimmed.find(" #").or_else(|| trimmed.find("\t#")) {
            Some(i) => i,
            None => trimmed.len(),
        }
    };
    lead + trimmed[..end].trim_end().len()
}

/// When the only content of front matter (besides comments and blank lines) is a null scalar
/// line, the byte range of that scalar.
fn null_document(yaml: &str) -> Option<(usize, usize)> {
    let mut found = None;
    for (start, line) in lines_with_offsets(yaml) {
        let content = line.trim_end_matches(['\r', '\n']);
        let trimmed = content.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let word = trimmed.split(" #").next().unwrap_or("").trim();
        if found.is_some() || !matches!(word, "~" | "null" | "Null" | "NULL") {
            return None;
        }
        // From the start of the line: the field must not keep the null's indentation.
        let lead = content.len() - content.trim_start().len();
        found = Some((start, start + lead + word.len()));
    }
    found
}

/// Sets `key: value` in the front matter of `text` and returns the new text. Only the bytes of
/// that field change: an existing value is replaced in place (keeping a trailing comment), a
/// missing field is added as the last line of the front matter, and a file without front
/// matter gets one. The file's BOM and line endings are kept. `value` must be a YAML scalar
/// that fits on one line.
pub fn set_field(text: &str, key: &str, value: &str) -> Result<String, SplitError> {
    let bom = if text.starts_with(BOM) { BOM } else { "" };
    let eol = line_ending(text);
    let parts = split(text)?;
    if parts.toml {
        return set_toml_field(text, &parts, key, value);
    }
    let Some(yaml) = parts.yaml else {
        let rest = &text[bom.len()..];
        return Ok(format!("{bom}---{eol}{key}: {value}{eol}---{eol}{rest}"));
    };
    // YAML takes a lone carriage return for a line break; this line-based edit does not.
    if let Some(i) = yaml
        .bytes()
        .enumerate()
        .position(|(i, b)| b == b'\r' && yaml.as_bytes().get(i + 1) != Some(&b'\n'))
    {
        return Err(SplitError {
            line: parts.yaml_line + yaml[..i].matches('\n').count(),
            message: "the front matter has carriage returns without line feeds; it cannot be edited line by line".to_string(),
        });
    }
    let yaml_start = yaml.as_ptr() as usize - text.as_ptr() as usize;
    let yaml_end = yaml_start + yaml.len();
    let mut out = String::with_capacity(text.len() + key.len() + value.len() + 4);
    match find_field(text, yaml_start, yaml_end, key) {
        Some((value_start, value_end, entry_end)) => {
            let line_end = text[value_end..]
                .find('\n')
                .map(|i| value_end + i + 1)
                .unwrap_or(text.len());
            out.push_str(&text[..value_start]);
            out.push(' ');
            out.push_str(value);
            if entry_end > line_end {
                // Continuation lines of the old value go; keep the old line's own ending.
                let ending = &text[value_end..line_end];
                let ending =
                    ending.trim_start_matches(|c: char| c != '\r' && c != '\n' && c != '#');
                out.push_str(ending);
                out.push_str(&text[entry_end..]);
            } else {
                out.push_str(&text[value_end..]);
            }
        }
        None if null_document(yaml).is_some() => {
            // Front matter that is only `~` or `null` (an empty mapping): that line becomes the
            // field, since a key cannot follow it.
            let (start, end) = null_document(yaml).unwrap_or((0, 0));
            out.push_str(&text[..yaml_start + start]);
            out.push_str(key);
            out.push_str(": ");
            out.push_str(value);
            out.push_str(&text[yaml_start + end..]);
        }
        None => {
            out.push_str(&text[..yaml_end]);
            if !yaml.is_empty() && !yaml.ends_with('\n') {
                out.push_str(eol);
            }
            out.push_str(key);
            out.push_str(": ");
            out.push_str(value);
            out.push_str(eol);
            out.push_str(&text[yaml_end..]);
        }
    }
    Ok(out)
}

/// Sets a field that may be nested (`l10n.sourceCommit`) to a one-line scalar, keeping every
/// other byte: an existing value is replaced in place (a trailing comment goes with it, since it
/// described the old value), a missing key is added under its parent with the parent's
/// children's indentation, and a missing parent is added at the end of the front matter. Front
/// matter whose parent is written inline (`l10n: {sourceCommit: x}`) is refused.
pub fn set_nested_field(text: &str, key: &str, value: &str) -> Result<String, SplitError> {
    let refuse = |line: usize, message: &str| SplitError {
        line,
        message: message.to_string(),
    };
    let eol = line_ending(text);
    let parts = split(text)?;
    if parts.toml {
        return set_toml_field(text, &parts, key, value);
    }
    let Some(yaml) = parts.yaml else {
        return set_field(text, key, value);
    };
    let yaml_start = yaml.as_ptr() as usize - text.as_ptr() as usize;
    // The front matter's lines: (offset in text, line without its ending, indentation).
    let mut lines: Vec<(usize, &str, usize)> = Vec::new();
    let mut at = yaml_start;
    for raw in yaml.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\r', '\n']);
        let indent = line.len() - line.trim_start_matches(' ').len();
        lines.push((at, line, indent));
        at += raw.len();
    }
    let content = |l: &str| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with('#')
    };
    let names: Vec<&str> = key.split('.').collect();
    // Where to look: lines[from..to] at indentation `indent`.
    let (mut from, mut to, mut indent) = (0usize, lines.len(), 0usize);
    for (depth, name) in names.iter().enumerate() {
        let last = depth + 1 == names.len();
        let found = (from..to).find(|&i| {
            let (_, l, ind) = lines[i];
            ind == indent
                && l[ind..]
                    .strip_prefix(name)
                    .is_some_and(|r| r.trim_start_matches(' ').starts_with(':'))
        });
        match found {
            Some(i) if last => {
                let (offset, l, ind) = lines[i];
                let colon = l[ind..].find(':').map(|c| ind + c).unwrap_or(l.len());
                let rest = l[colon + 1..].trim();
                if rest.starts_with(['|', '>', '{', '['])
                    || rest.is_empty() && i + 1 < to && lines[i + 1].2 > ind
                {
                    return Err(refuse(
                        parts.yaml_line + i,
                        "the field's value spans several lines; it cannot be edited line by line",
                    ));
                }
                let start = offset + colon + 1;
                let end = offset + l.len();
                return Ok(format!("{} {value}{}", &text[..start], &text[end..]));
            }
            Some(i) => {
                let (_, l, ind) = lines[i];
                let colon = l[ind..].find(':').map(|c| ind + c).unwrap_or(l.len());
                let rest = l[colon + 1..].trim();
                if !(rest.is_empty() || rest.starts_with('#')) {
                    return Err(refuse(parts.yaml_line + i, "the field's parent is written on one line (a flow mapping); it cannot be edited line by line"));
                }
                // The parent's block: the lines after it that are blank, comments or deeper.
                let end = (i + 1..to)
                    .find(|&j| content(lines[j].1) && lines[j].2 <= ind)
                    .unwrap_or(to);
                let child = (i + 1..end)
                    .find(|&j| content(lines[j].1))
                    .map(|j| lines[j].2)
                    .unwrap_or(ind + 2);
                from = i + 1;
                to = end;
                indent = child;
                if from == to || !(from..to).any(|j| content(lines[j].1)) {
                    // An empty parent: the rest of the key goes right under it.
                    let (offset, l, _) = lines[i];
                    let insert = offset + l.len();
                    let after_eol = text[insert..].starts_with("\r\n") as usize * 2
                        + (text[insert..].starts_with('\n') as usize);
                    let mut added = String::new();
                    for (k, n) in names[depth + 1..].iter().enumerate() {
                        let pad = " ".repeat(child + 2 * k);
                        let tail = if depth + 2 + k == names.len() {
                            format!(" {value}")
                        } else {
                            String::new()
                        };
                        added.push_str(&format!("{pad}{n}:{tail}{eol}"));
                    }
                    let cut = insert + after_eol;
                    return Ok(format!("{}{added}{}", &text[..cut], &text[cut..]));
                }
            }
            None => {
                // Missing from here down: added at the end of this block.
                let insert = if to < lines.len() {
                    lines[to].0
                } else {
                    yaml_start + yaml.len()
                };
                let needs_eol = to == lines.len() && !yaml.is_empty() && !yaml.ends_with('\n');
                let mut added = String::new();
                if needs_eol {
                    added.push_str(eol);
                }
                for (k, n) in names[depth..].iter().enumerate() {
                    let pad = " ".repeat(indent + 2 * k);
                    let tail = if depth + 1 + k == names.len() {
                        format!(" {value}")
                    } else {
                        String::new()
                    };
                    added.push_str(&format!("{pad}{n}:{tail}{eol}"));
                }
                return Ok(format!("{}{added}{}", &text[..insert], &text[insert..]));
            }
        }
    }
    Err(refuse(1, "an empty field name"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn splits_front_matter_and_body() {
        let s = split("---\nid: a\n---\nHello\n").unwrap();
        assert_eq!(s.yaml, Some("id: a\n"));
        assert_eq!(s.body, "Hello\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn toml_front_matter_is_split_off_and_edited_in_place() {
        let text = "+++\r\ntitle = \"Home\"\r\nweight = 1\r\n+++\r\n\r\nHello\r\n";
        let s = split(text).unwrap();
        assert!(s.toml);
        assert_eq!(s.yaml, Some("title = \"Home\"\r\nweight = 1\r\n"));
        assert_eq!(s.body, "\r\nHello\r\n");
        assert_eq!(s.body_line, 5);
        let set = set_field(text, "source_hash", "abc").unwrap();
        assert_eq!(
            set,
            "+++\r\ntitle = \"Home\"\r\nweight = 1\r\nsource_hash = \"abc\"\r\n+++\r\n\r\nHello\r\n"
        );
        // A YAML scalar given is written as the text it stands for.
        let id = set_field(text, "id", "'a: b'").unwrap();
        assert!(id.contains("id = \"a: b\"\r\n+++"), "{id:?}");
        let nested = set_nested_field(text, "l10n.sourceCommit", "c0ffee").unwrap();
        assert!(nested.contains("[l10n]"), "{nested:?}");
        assert!(set_field("+++\ntitle = = 1\n+++\n", "id", "a").is_err());
        // A `+++` line that closes nothing is text.
        assert_eq!(split("+++\nHello\n").unwrap().body, "+++\nHello\n");
    }

    #[test]
    fn bom_and_crlf() {
        let s = split("\u{feff}---\r\nid: a\r\n---\r\nHello\r\n").unwrap();
        assert_eq!(s.yaml, Some("id: a\r\n"));
        assert_eq!(s.body, "Hello\r\n");
    }

    #[test]
    fn no_front_matter() {
        let s = split("Hello\n---\nworld\n").unwrap();
        assert_eq!(s.yaml, None);
        assert_eq!(s.body, "Hello\n---\nworld\n");
    }

    #[test]
    fn empty_file_and_empty_front_matter() {
        assert_eq!(split("").unwrap().yaml, None);
        let s = split("---\n---\n").unwrap();
        assert_eq!(s.yaml, Some(""));
        assert_eq!(s.body, "");
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let e = split("---\nid: a\nHello\n").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("not closed"));
    }

    #[test]
    fn front_matter_not_at_top_is_an_error() {
        let e = split("\n\n---\nid: a\n---\nbody\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(
            e.message.ends_with("remove the 2 blank lines above `---`"),
            "{e:?}"
        );
        let e = split("\n---\nid: a\n---\nbody\n").unwrap_err();
        assert!(
            e.message.ends_with("remove the blank line above `---`"),
            "{e:?}"
        );
    }

    #[test]
    fn a_thematic_break_later_is_body() {
        assert!(split("Text\n\n---\n\nMore\n").unwrap().yaml.is_none());
    }

    #[test]
    fn set_field_replaces_value_only() {
        let text = "---\ntitle: T # keep\nsource_hash: old  # stamp\nstatus: draft\n---\nbody\n";
        let out = set_field(text, "source_hash", "new").unwrap();
        assert_eq!(
            out,
            "---\ntitle: T # keep\nsource_hash: new  # stamp\nstatus: draft\n---\nbody\n"
        );
    }

    #[test]
    fn set_field_adds_missing_field_at_end_keeping_crlf() {
        let text = "\u{feff}---\r\ntitle: T\r\n---\r\nbody\r\n";
        let out = set_field(text, "source_hash", "abc").unwrap();
        assert_eq!(
            out,
            "\u{feff}---\r\ntitle: T\r\nsource_hash: abc\r\n---\r\nbody\r\n"
        );
    }

    #[test]
    fn set_field_does_not_match_a_longer_key_or_nested_key() {
        let text = "---\nsource_hash_old: x\nmeta:\n  status: x\n---\n";
        let out = set_field(text, "status", "done").unwrap();
        assert_eq!(
            out,
            "---\nsource_hash_old: x\nmeta:\n  status: x\nstatus: done\n---\n"
        );
    }

    #[test]
    fn set_field_on_quoted_value_and_continuation() {
        let text = "---\nsource_hash: \"a # b\" # c\nx: 1\n---\n";
        assert_eq!(
            set_field(text, "source_hash", "z").unwrap(),
            "---\nsource_hash: z # c\nx: 1\n---\n"
        );
        let text = "---\nsource_hash: >\n  long\n  value\nx: 1\n---\n";
        assert_eq!(
            set_field(text, "source_hash", "z").unwrap(),
            "---\nsource_hash: z\nx: 1\n---\n"
        );
    }

    #[test]
    fn set_field_refuses_lone_carriage_returns() {
        // Found by fuzzing: YAML reads `\r` alone as a line break, so a line-based edit could
        // add a second `source_hash` it did not see.
        let e = set_field("---\ntitle: a\rsource_hash: x\n---\n", "source_hash", "y").unwrap_err();
        assert!(e.message.contains("carriage returns"), "{}", e.message);
        assert_eq!(e.line, 2);
    }

    #[test]
    fn set_field_in_null_front_matter() {
        // Found by fuzzing: a key cannot follow a `~` document.
        assert_eq!(
            set_field("---\n~\n---\nbody\n", "source_hash", "x").unwrap(),
            "---\nsource_hash: x\n---\nbody\n"
        );
        assert_eq!(
            set_field("---\n# c\nnull # none\n---\n", "status", "done").unwrap(),
            "---\n# c\nstatus: done # none\n---\n"
        );
        assert_eq!(
            set_field("---\n   ~\n---\n", "status", "done").unwrap(),
            "---\nstatus: done\n---\n"
        );
    }

    #[test]
    fn set_field_without_front_matter_adds_one() {
        assert_eq!(
            set_field("Hello\r\n", "status", "done").unwrap(),
            "---\r\nstatus: done\r\n---\r\nHello\r\n"
        );
    }

    proptest! {
        #[test]
        fn split_never_panics(text in "\\PC*") {
            let _ = split(&text);
        }

        #[test]
        fn split_parts_cover_the_file(yaml in "[a-z: \\n]{0,40}", body in "\\PC{0,80}") {
            let yaml = yaml.replace("---", "");
            let text = format!("---\n{yaml}{}---\n{body}", if yaml.is_empty() || yaml.ends_with('\n') { "" } else { "\n" });
            let s = split(&text).unwrap();
            prop_assert_eq!(s.body, body.as_str());
        }

        /// Every byte outside the rewritten field's value is preserved.
        #[test]
        fn set_field_keeps_other_lines(
            before in proptest::collection::vec("[a-r][a-z_]{0,8}: [^\\n\\r#]{0,20}", 0..5),
            after in proptest::collection::vec("[t-z][a-z_]{0,8}: [^\\n\\r#]{0,20}", 0..5),
            old in "[a-f0-9]{0,32}",
            body in "\\PC{0,60}",
            crlf in any::<bool>(),
        ) {
            let eol = if crlf { "\r\n" } else { "\n" };
            let mut text = format!("---{eol}");
            for l in &before { text.push_str(l); text.push_str(eol); }
            text.push_str(&format!("source_hash: {old}{eol}"));
            for l in &after { text.push_str(l); text.push_str(eol); }
            text.push_str(&format!("---{eol}{body}"));
            let out = set_field(&text, "source_hash", "feed").unwrap();
            let expected = text.replacen(&format!("source_hash: {old}{eol}"), &format!("source_hash: feed{eol}"), 1);
            prop_assert_eq!(out, expected);
        }

        /// In TOML front matter too: the field is replaced in place, or added after the last
        /// top-level field (before a table), and every other byte stays.
        #[test]
        fn set_field_keeps_every_other_toml_byte(
            before in proptest::collection::vec(("[a-r][a-z_]{0,8}", "[a-zA-Z0-9 .,:;!?'()éü#=\\[\\]-]{0,20}"), 0..5),
            old in proptest::option::of("[a-f0-9]{0,32}"),
            table in proptest::option::of(("[a-z]{1,8}", "[a-zA-Z0-9 .,:;!?'()éü#=\\[\\]-]{0,20}")),
            body in "\\PC{0,60}",
            crlf in any::<bool>(),
        ) {
            let eol = if crlf { "\r\n" } else { "\n" };
            let mut keys = std::collections::HashSet::new();
            let mut head = String::new();
            for (k, v) in &before {
                if keys.insert(k.clone()) {
                    head.push_str(&format!("{k} = \"{v}\"{eol}"));
                }
            }
            let hash_line = |h: &str| format!("source_hash = \"{h}\"{eol}");
            let mut tail = String::new();
            if let Some((name, v)) = &table {
                tail.push_str(&format!("[{name}]{eol}key = \"{v}\"{eol}"));
            }
            let text = format!(
                "+++{eol}{head}{}{tail}+++{eol}{body}",
                old.as_deref().map(hash_line).unwrap_or_default()
            );
            let out = set_field(&text, "source_hash", "feed").unwrap();
            let expected = format!("+++{eol}{head}{}{tail}+++{eol}{body}", hash_line("feed"));
            prop_assert_eq!(out, expected);
        }
    }

    #[test]
    fn nested_fields_are_set_in_place_added_under_their_parent_or_at_the_end() {
        let mdn = "---\ntitle: CSS\nl10n:\n  sourceCommit: 0123abc # patched\n  other: x\nslug: Web/CSS\n---\nBody\n";
        assert_eq!(
            set_nested_field(mdn, "l10n.sourceCommit", "ffff").unwrap(),
            "---\ntitle: CSS\nl10n:\n  sourceCommit: ffff\n  other: x\nslug: Web/CSS\n---\nBody\n"
        );
        let no_key = "---\ntitle: CSS\nl10n:\n    other: x\nslug: a\n---\nBody\n";
        assert_eq!(
            set_nested_field(no_key, "l10n.sourceCommit", "ffff").unwrap(),
            "---\ntitle: CSS\nl10n:\n    other: x\n    sourceCommit: ffff\nslug: a\n---\nBody\n"
        );
        let no_parent = "---\ntitle: CSS\n---\nBody\n";
        assert_eq!(
            set_nested_field(no_parent, "l10n.sourceCommit", "ffff").unwrap(),
            "---\ntitle: CSS\nl10n:\n  sourceCommit: ffff\n---\nBody\n"
        );
        let top = "---\ntitle: CSS\ndefault_lang_commit: abc # old\n---\nBody\r\n";
        assert_eq!(
            set_nested_field(top, "default_lang_commit", "ffff").unwrap(),
            "---\ntitle: CSS\ndefault_lang_commit: ffff\n---\nBody\r\n"
        );
        let crlf = "---\r\ntitle: CSS\r\nl10n:\r\n  sourceCommit: abc\r\n---\r\nBody\r\n";
        assert_eq!(
            set_nested_field(crlf, "l10n.sourceCommit", "ffff").unwrap(),
            "---\r\ntitle: CSS\r\nl10n:\r\n  sourceCommit: ffff\r\n---\r\nBody\r\n"
        );
        assert!(set_nested_field(
            "---\nl10n: {sourceCommit: a}\n---\n",
            "l10n.sourceCommit",
            "b"
        )
        .is_err());
    }
}
