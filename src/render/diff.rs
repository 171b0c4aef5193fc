//! `tandem diff` as text: each change with its word-level edits and the translation's paragraph.

use crate::align::Confidence;
use crate::changes::ChangeKind;
use crate::diff::{Change, DiffReport};
use crate::render::{clean, plural, Painter};
use anstyle::AnsiColor;
use std::io::Write;

/// Width at which a word-level diff is wrapped.
const WRAP: usize = 92;

pub fn text(out: &mut dyn Write, p: Painter, r: &DiffReport) -> std::io::Result<()> {
    let s = &r.summary;
    writeln!(
        out,
        "{} {} -> {}  {}",
        p.bold(&clean(&r.id)),
        p.dim(&clean(&r.source)),
        p.dim(&clean(&r.translation)),
        p.dim(&format!(
            "({} -> {})",
            &r.baseline[..r.baseline.len().min(10)],
            &r.current[..10.min(r.current.len())]
        ))
    )?;
    if r.changes.is_empty() {
        writeln!(
            out,
            "No changes since the translation was brought up to date."
        )?;
        return Ok(());
    }
    let mut kinds = Vec::new();
    for (n, name) in [
        (s.changed, "changed"),
        (s.added, "added"),
        (s.removed, "removed"),
        (s.moved, "moved"),
    ] {
        if n > 0 {
            kinds.push(format!("{n} {name}"));
        }
    }
    writeln!(
        out,
        "{} of {} changed ({}); {} to translate, {}% of the article",
        s.blocks_changed,
        plural(s.blocks as u64, "block", "blocks"),
        kinds.join(", "),
        plural(s.words.into(), "word", "words"),
        s.share
    )?;
    if s.alignment == "content" {
        writeln!(
            out,
            "{}",
            p.dim("The translation's paragraphs do not follow the original's one for one; they were matched by content.")
        )?;
    }
    for change in &r.changes {
        writeln!(out)?;
        change_text(out, p, r, change)?;
    }
    Ok(())
}

fn change_text(out: &mut dyn Write, p: Painter, r: &DiffReport, c: &Change) -> std::io::Result<()> {
    let style = match c.kind {
        ChangeKind::Changed => AnsiColor::Yellow,
        ChangeKind::Added => AnsiColor::Green,
        ChangeKind::Removed => AnsiColor::Red,
        ChangeKind::Moved => AnsiColor::Cyan,
    };
    let heading = format!("@@ {} {}", c.kind.name(), c.block.name());
    let at = if c.line > 0 {
        format!(" {}:{}", r.source, c.line)
    } else {
        String::new()
    };
    writeln!(
        out,
        "{}{}",
        p.paint(style.on_default().bold(), &heading),
        p.dim(&clean(&at))
    )?;
    match c.kind {
        ChangeKind::Changed => {
            // Wrapped by visible width, so colour codes do not count.
            let mut line = String::new();
            let mut width = 0;
            for op in &c.word_diff {
                for word in op.text.split_inclusive(' ') {
                    let text = clean(word);
                    let shown = match op.op {
                        "delete" if p.enabled => {
                            p.paint(AnsiColor::Red.on_default().strikethrough(), &text)
                        }
                        "insert" if p.enabled => {
                            p.paint(AnsiColor::Green.on_default().underline(), &text)
                        }
                        "delete" => format!(
                            "[-{}-]{}",
                            text.trim_end(),
                            if text.ends_with(' ') { " " } else { "" }
                        ),
                        "insert" => format!(
                            "{{+{}+}}{}",
                            text.trim_end(),
                            if text.ends_with(' ') { " " } else { "" }
                        ),
                        _ => text.clone(),
                    };
                    let visible = if p.enabled {
                        text.chars().count()
                    } else {
                        shown.chars().count()
                    };
                    if width > 0 && width + visible > WRAP {
                        writeln!(out, "    {}", line.trim_end())?;
                        line.clear();
                        width = 0;
                    }
                    line.push_str(&shown);
                    width += visible;
                }
            }
            writeln!(out, "    {}", line.trim_end())?;
        }
        ChangeKind::Added => block(
            out,
            p,
            "+ ",
            c.new.as_deref().unwrap_or(""),
            Some(AnsiColor::Green),
        )?,
        ChangeKind::Removed => block(
            out,
            p,
            "- ",
            c.old.as_deref().unwrap_or(""),
            Some(AnsiColor::Red),
        )?,
        ChangeKind::Moved => block(out, p, "  ", c.new.as_deref().unwrap_or(""), None)?,
    }
    match &c.translation {
        Some(t) => {
            let what = match (c.kind, t.place) {
                (_, "insert-after") => "insert the translation after",
                (ChangeKind::Removed, _) => "remove from the translation",
                (ChangeKind::Moved, _) => "move in the translation",
                _ => "edit in the translation",
            };
            let unsure = if t.confidence == Confidence::Unsure {
                p.paint(
                    AnsiColor::Yellow.on_default(),
                    " (unsure: check the paragraphs around it)",
                )
            } else {
                String::new()
            };
            let at = if t.line > 0 {
                format!(" {}:{}", r.translation, t.line)
            } else {
                String::new()
            };
            writeln!(out, "  {}{}{}", p.bold(what), p.dim(&clean(&at)), unsure)?;
            block(out, p, "│ ", &t.text, None)?;
        }
        None if c.kind == ChangeKind::Added => {
            writeln!(
                out,
                "  {}",
                p.bold("insert the translation at the start of the article")
            )?;
        }
        None => {
            writeln!(
                out,
                "  {}",
                p.paint(
                    AnsiColor::Yellow.on_default(),
                    "no matching paragraph found in the translation"
                )
            )?;
        }
    }
    Ok(())
}

fn block(
    out: &mut dyn Write,
    p: Painter,
    prefix: &str,
    text: &str,
    color: Option<AnsiColor>,
) -> std::io::Result<()> {
    for line in text.lines() {
        let line = format!("    {prefix}{}", clean(line));
        match color {
            Some(c) => writeln!(out, "{}", p.paint(c.on_default(), &line))?,
            None => writeln!(out, "{line}")?,
        }
    }
    Ok(())
}
