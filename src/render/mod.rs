//! Renderers: they take the engine's plain data and only format it, writing to a `Write`.

pub mod badge;
pub mod diff;
pub mod github;
pub mod html;
pub mod impact;
pub mod json;
pub mod markdown;
pub mod table;

use crate::state::State;
use anstyle::{AnsiColor, Style};

/// Colours text for a terminal, or leaves it plain.
#[derive(Debug, Clone, Copy)]
pub struct Painter {
    pub enabled: bool,
}

impl Painter {
    pub fn new(enabled: bool) -> Self {
        Painter { enabled }
    }

    pub fn paint(&self, style: Style, text: &str) -> String {
        if self.enabled {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    }

    pub fn bold(&self, text: &str) -> String {
        self.paint(Style::new().bold(), text)
    }

    pub fn dim(&self, text: &str) -> String {
        self.paint(Style::new().dimmed(), text)
    }

    pub fn red(&self, text: &str) -> String {
        self.paint(AnsiColor::Red.on_default(), text)
    }

    pub fn green(&self, text: &str) -> String {
        self.paint(AnsiColor::Green.on_default(), text)
    }

    pub fn state(&self, state: State) -> String {
        self.paint(state_style(state), state.name())
    }
}

pub fn state_style(state: State) -> Style {
    match state {
        State::UpToDate => AnsiColor::Green.on_default(),
        State::Outdated => AnsiColor::Yellow.on_default(),
        State::Missing => AnsiColor::Red.on_default(),
        State::Draft => AnsiColor::Cyan.on_default(),
        State::Untracked => AnsiColor::Magenta.on_default(),
        State::Orphaned | State::Invalid => AnsiColor::Red.on_default().bold(),
    }
}

/// File content made safe for a terminal: control characters and escape sequences are shown
/// escaped, never sent to the terminal.
pub fn clean(text: &str) -> String {
    crate::names::printable(text)
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: u64) -> String {
    Thousands(n).to_string()
}

/// A number shown as [`thousands`] shows it, written without a string of its own.
#[derive(Clone, Copy)]
pub struct Thousands(pub u64);

impl Thousands {
    /// How many characters it takes.
    pub fn width(self) -> usize {
        let digits = self.0.checked_ilog10().unwrap_or(0) as usize + 1;
        digits + (digits - 1) / 3
    }
}

impl Thousands {
    /// Its text, in the first bytes of a buffer (their number given).
    fn text(self) -> ([u8; 27], usize) {
        let mut digits = [0u8; 20];
        let mut n = self.0;
        let mut len = 0;
        loop {
            digits[len] = b'0' + (n % 10) as u8;
            len += 1;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        let mut text = [0u8; 27];
        let mut at = 0;
        for i in (0..len).rev() {
            text[at] = digits[i];
            at += 1;
            if i > 0 && i % 3 == 0 {
                text[at] = b',';
                at += 1;
            }
        }
        (text, at)
    }

    /// Writes it at the end of `buf`, right-aligned in `width` characters.
    pub fn push_right(self, buf: &mut Vec<u8>, width: usize) {
        let (text, len) = self.text();
        buf.resize(buf.len() + width.saturating_sub(len), b' ');
        buf.extend_from_slice(&text[..len]);
    }
}

impl std::fmt::Display for Thousands {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        let (text, len) = self.text();
        f.pad(std::str::from_utf8(&text[..len]).unwrap_or_default())
    }
}

/// `n thing` or `n things`.
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// What an item's details column says.
pub fn details(item: &crate::pairs::Item) -> String {
    let mut out = String::new();
    details_into(item, &mut out);
    out
}

/// [`details`], written into `out` (emptied first): a long list reuses one buffer.
pub fn details_into(item: &crate::pairs::Item, out: &mut String) {
    use std::fmt::Write as _;
    out.clear();
    let sep = |out: &mut String| {
        if !out.is_empty() {
            out.push_str("; ");
        }
    };
    let noun = |n: u32, one: &'static str, many: &'static str| if n == 1 { one } else { many };
    if let Some(c) = &item.changed {
        let _ = write!(
            out,
            "{} {} changed, {} {}",
            Thousands(c.paragraphs.into()),
            noun(c.paragraphs, "paragraph", "paragraphs"),
            Thousands(c.words.into()),
            noun(c.words, "word", "words")
        );
    }
    if let Some(u) = &item.untranslated {
        sep(out);
        let _ = write!(
            out,
            "{} {} not yet translated",
            Thousands(u.paragraphs.into()),
            noun(u.paragraphs, "paragraph", "paragraphs")
        );
    }
    if item.baseline == Some(crate::pairs::Baseline::Unknown) {
        sep(out);
        out.push_str("source_hash matches no snapshot: what changed is unknown");
    } else if let Some(m) = &item.message {
        sep(out);
        out.push_str(m);
    }
    if item.state == State::Untracked {
        sep(out);
        out.push_str("no source_hash: check it, then `tandem mark`");
    }
    if out.chars().any(char::is_control) {
        *out = clean(out);
    }
}

/// The file a finding is about: the translation, else the original.
pub fn file_of<'a>(item: &'a crate::pairs::Item<'_>) -> &'a str {
    item.translation
        .as_deref()
        .or(item.source.as_deref())
        .unwrap_or("")
}

/// One sentence saying what is wrong with a pair (plain text, not yet escaped for any format).
pub fn problem(item: &crate::pairs::Item) -> String {
    let (id, lang) = (&item.id, &item.lang);
    let detail = details(item);
    let with = |s: String| {
        if detail.is_empty() {
            s
        } else {
            format!("{s}: {detail}")
        }
    };
    match item.state {
        State::UpToDate => format!("{id} ({lang}) is up to date"),
        State::Outdated => with(format!("{id} ({lang}) is outdated")),
        State::Missing => format!(
            "{id} has no {lang} translation; start one with `tandem new {} --lang {}`",
            shell_arg(id),
            shell_arg(lang)
        ),
        State::Draft => with(format!("{id} ({lang}) is a draft")),
        State::Untracked => format!(
            "{id} ({lang}) has no source_hash: check it against the original, then `tandem mark {} --lang {}`",
            shell_arg(id),
            shell_arg(lang)
        ),
        State::Orphaned => match item.looks_like.as_deref() {
            // A renamed original, when pairing saw one.
            Some((to, why)) => format!(
                "{id} ({lang}): no original has this id; {}",
                crate::pairs::looks_like(id, to, why)
            ),
            None => format!("{id} ({lang}): no original has this id"),
        },
        State::Invalid => with(format!("{id} ({lang}) is invalid")),
    }
}

/// A word of a suggested command, quoted for a POSIX shell when it needs to be (an id with a
/// space, `;` or `$(…)` in it stays one harmless argument when the hint is pasted).
pub fn shell_arg(word: &str) -> String {
    shlex::try_quote(word).map_or_else(
        |_| format!("'{}'", word.replace('\0', "")),
        |q| q.into_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggested_commands_quote_their_words() {
        assert_eq!(shell_arg("news/strike"), "news/strike");
        assert_eq!(shell_arg("a; touch PWNED"), "'a; touch PWNED'");
        assert_eq!(shell_arg("$(rm -rf ~)"), "'$(rm -rf ~)'");
        assert_eq!(shell_arg("it's"), "\"it's\"");
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
        for n in [0, 9, 10, 999, 1000, 99_999, 100_000, 1_234_567, u64::MAX] {
            assert_eq!(Thousands(n).width(), thousands(n).len(), "{n}");
        }
        assert_eq!(thousands(u64::MAX), "18,446,744,073,709,551,615");
    }

    #[test]
    fn clean_escapes_terminal_sequences() {
        assert_eq!(clean("a\u{1b}[31mb\n"), "a\\u{1b}[31mb\\n");
    }
}
