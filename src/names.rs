//! Checks on article ids and language codes, which become parts of paths: nothing a user or a
//! front matter supplies may lead outside the project.

/// Text in Unicode NFC (borrowed when it already is, as ASCII always is).
pub fn nfc(text: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
    if text.is_ascii() || is_nfc_quick(text.chars()) == IsNormalized::Yes {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(text.nfc().collect())
    }
}

/// What two ids that a reader could take for one another have in common: the id lowercased,
/// and for ids that are not ASCII, its confusable skeleton (UTS #39: `а` is `a`).
pub fn lookalike_key(id: &str) -> String {
    let lower = nfc(id).to_lowercase();
    if lower.is_ascii() {
        lower
    } else {
        unicode_security::skeleton(&lower)
            .collect::<String>()
            .to_lowercase()
    }
}

/// The candidates closest to a mistyped word, best first (at most three): what a "did you mean"
/// hint offers. Close means a Jaro-Winkler similarity of at least 0.8, as clap uses for
/// subcommands, one edit (`gti` for `git`, `ez` for `es`), or the word containing the
/// candidate or the other way round (for ids: `commune` for `paris-commune`).
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let lower = word.to_lowercase();
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .filter(|c| *c != word)
        .filter_map(|c| {
            let other = c.to_lowercase();
            let score = strsim::jaro_winkler(&lower, &other);
            let contains = lower.len() >= 3 && (other.contains(&lower) || lower.contains(&other));
            // One letter changed or two swapped: short words score low by similarity alone.
            let one_edit = strsim::osa_distance(&lower, &other) <= 1;
            (score >= 0.8 || contains || one_edit).then_some((score, c))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// `did you mean `a`?` (or `a` or `b`) for [`closest`]'s answer; `None` when nothing is close.
pub fn did_you_mean(close: &[&str]) -> Option<String> {
    let quoted: Vec<String> = close
        .iter()
        .map(|c| format!("`{}`", printable(c)))
        .collect();
    match quoted.len() {
        0 => None,
        1 => Some(format!("did you mean {}?", quoted[0])),
        n => Some(format!(
            "did you mean {} or {}?",
            quoted[..n - 1].join(", "),
            quoted[n - 1]
        )),
    }
}

/// Checks a language code: it must look like a language tag (`es`, `pt-BR`, `zh-Hant`).
pub fn check_lang(lang: &str) -> Result<(), String> {
    let mut parts = lang.split('-');
    let primary = parts.next().unwrap_or("");
    let primary_ok =
        (2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_alphabetic());
    let rest_ok =
        parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
    if primary_ok && rest_ok {
        Ok(())
    } else {
        Err(format!(
            "`{}` is not a language code: use a language tag such as `es`, `pt-BR` or `zh-Hant`",
            printable(lang)
        ))
    }
}

/// Checks an article id: a relative path of plain segments, separated by `/`.
pub fn check_id(id: &str) -> Result<(), String> {
    let bad = |why: &str| {
        Err(format!(
            "`{}` is not a valid article id: {why}",
            printable(id)
        ))
    };
    if id.is_empty() {
        return bad("it is empty");
    }
    if id.len() > 512 {
        return bad("it is longer than 512 bytes");
    }
    if id.starts_with('/') {
        return bad("it is an absolute path");
    }
    if id.contains('\\') {
        return bad("it contains a backslash (use `/` between folders)");
    }
    if id.chars().any(char::is_control) {
        return bad("it contains a control character");
    }
    for segment in id.split('/') {
        if segment.is_empty() {
            return bad("it has an empty folder name");
        }
        if segment == "." || segment == ".." {
            return bad("it contains `.` or `..`");
        }
        if segment.starts_with('.') {
            return bad("a folder or file name starts with `.`");
        }
        if segment.contains(':') {
            return bad("it contains `:`");
        }
        let stem = segment.split('.').next().unwrap_or("").to_ascii_uppercase();
        let reserved = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
            || ((stem.starts_with("COM") || stem.starts_with("LPT"))
                && stem.len() == 4
                && stem.as_bytes()[3].is_ascii_digit());
        if reserved {
            return bad("it uses a name reserved on Windows");
        }
    }
    Ok(())
}

/// Text from a file or the command line made safe to print in a message.
pub fn printable(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags() {
        for ok in ["es", "pt-BR", "zh-Hant", "fil", "sr-Latn-RS"] {
            assert!(check_lang(ok).is_ok(), "{ok}");
        }
        for bad in ["", "e", "english", "../es", "es/x", "es_ES", "7", "es-"] {
            assert!(check_lang(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ids() {
        for ok in ["paris", "news/2024/paris-forum", "a.b"] {
            assert!(check_id(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "../x",
            "a/../b",
            "/etc/passwd",
            "a\\b",
            "a\0b",
            "a//b",
            "con",
            "news/COM1",
            ".hidden",
            "c:x",
        ] {
            assert!(check_id(bad).is_err(), "{bad:?}");
        }
    }
}

/// A name without separators (`-`, `_`, `.`, spaces), in lower case.
pub fn squeeze(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '-' | '_' | '.' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether an id `new` looks like `old` renamed, and how strongly: 3 the same but for
/// separators (`-`, `_`, `.`, spaces) and case (`autoscaling`, `auto-scaling`); 2 the same
/// file name in another folder; 1 in the same folder, names of six letters or more one or
/// two edits apart (`tightly-coupled-architectures`, `…-architecture`).
pub fn renamed_like(old: &str, new: &str) -> Option<u8> {
    if old == new {
        return None;
    }
    if squeeze(old) == squeeze(new) {
        return Some(3);
    }
    let split = |s: &'_ str| -> (String, String) {
        match s.rsplit_once('/') {
            Some((dir, name)) => (dir.to_string(), name.to_string()),
            None => (String::new(), s.to_string()),
        }
    };
    let ((old_dir, old_name), (new_dir, new_name)) = (split(old), split(new));
    if old_name == new_name || squeeze(&old_name) == squeeze(&new_name) {
        return Some(2);
    }
    let (a, b) = (squeeze(&old_name), squeeze(&new_name));
    (old_dir == new_dir
        && a.chars().count().min(b.chars().count()) >= 6
        && within_two_edits(&a, &b))
    .then_some(1)
}

/// Whether two strings are at most two single-character edits apart.
fn within_two_edits(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 2 {
        return false;
    }
    // Levenshtein distance, one row at a time.
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let next = (row[j + 1] + 1).min(row[j] + 1).min(prev + cost);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()] <= 2
}

#[cfg(test)]
mod rename_tests {
    use super::renamed_like;

    #[test]
    fn names_that_look_renamed() {
        assert_eq!(renamed_like("autoscaling", "auto-scaling"), Some(3));
        assert_eq!(
            renamed_like("glossary/Auto_Scaling", "glossary/auto-scaling"),
            Some(3)
        );
        assert_eq!(renamed_like("guide", "start/guide"), Some(2));
        assert_eq!(
            renamed_like(
                "glossary/tightly-coupled-architectures",
                "glossary/tightly-coupled-architecture"
            ),
            Some(1)
        );
        assert_eq!(renamed_like("news/strike", "news/strikes"), Some(1));
        // Unrelated, short, or a small edit across folders: no.
        assert_eq!(renamed_like("news/strike", "news/spring"), None);
        assert_eq!(renamed_like("a/cat", "a/car"), None);
        assert_eq!(renamed_like("news/strike-a", "opinion/strike-b"), None);
        assert_eq!(renamed_like("same", "same"), None);
    }
}
