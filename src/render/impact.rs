//! `check --base REF`: what a change does to the translations, as text, a pull-request
//! comment (markdown) or GitHub annotations.

use crate::impact::{Changed, Impact};
use crate::render::github::{data, property};
use crate::render::markdown::cell;
use crate::render::{clean, details, plural, shell_arg, thousands, Painter};
use std::io::Write;

/// The base in words: `main (1a2b3c4d5e)`; in markdown, the names as code.
fn base_name(rev: &str, commit: &str, code: bool) -> String {
    let short = &commit[..commit.len().min(10)];
    let q = |s: &str| {
        if code {
            crate::render::markdown::code(s)
        } else {
            s.to_string()
        }
    };
    if rev == commit || commit.starts_with(rev) {
        q(short)
    } else {
        format!("{} ({})", q(rev), q(short))
    }
}

/// One sentence: how many translations the change affects, and how.
pub fn summary(impact: &Impact) -> String {
    let mut parts = vec![
        format!(
            "{} made outdated",
            plural(
                impact.made_outdated.len() as u64,
                "translation",
                "translations"
            )
        ),
        format!(
            "{} brought up to date",
            thousands(impact.brought_up_to_date.len() as u64)
        ),
        plural(
            impact.new_articles.len() as u64,
            "new article",
            "new articles",
        ),
    ];
    if !impact.broken.is_empty() {
        parts.push(format!("{} broken", thousands(impact.broken.len() as u64)));
    }
    parts.join(", ")
}

/// What the change did to one pair, in a few words.
fn what(c: &Changed) -> String {
    let was = c.was.map(|s| s.name()).unwrap_or("new");
    let d = details(c.item);
    if d.is_empty() {
        format!("was {was}")
    } else {
        format!("was {was}; {d}")
    }
}

/// The three lists of changed pairs, by name.
fn lists<'a>(impact: &'a Impact<'a>) -> [(&'static str, &'a [Changed<'a>]); 3] {
    [
        ("made outdated", &impact.made_outdated),
        ("brought up to date", &impact.brought_up_to_date),
        ("broken", &impact.broken),
    ]
}

/// The languages a new article needs translating into, in words.
fn into(a: &crate::impact::NewArticle) -> String {
    if a.to_translate.is_empty() {
        "no language".to_string()
    } else {
        a.to_translate.join(", ")
    }
}

pub fn text(
    out: &mut dyn Write,
    p: Painter,
    impact: &Impact,
    rev: &str,
    commit: &str,
    publication: bool,
) -> std::io::Result<()> {
    writeln!(
        out,
        "Compared with {}{}:",
        clean(&base_name(rev, commit, false)),
        if publication {
            ""
        } else {
            ", which had no publication"
        }
    )?;
    for (title, list) in lists(impact) {
        if list.is_empty() {
            continue;
        }
        writeln!(out)?;
        writeln!(out, "{} ({}):", p.bold(title), list.len())?;
        for c in list {
            writeln!(
                out,
                "  {:<5} {}  {}  {}",
                c.item.lang,
                clean(&c.item.id),
                clean(crate::render::file_of(c.item)),
                clean(&what(c))
            )?;
        }
    }
    if !impact.new_articles.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{} ({}):",
            p.bold("new articles to translate"),
            impact.new_articles.len()
        )?;
        for a in &impact.new_articles {
            let to = into(a);
            writeln!(
                out,
                "  {}  {}  {} → {to}",
                clean(a.id),
                clean(a.source),
                plural(a.words.into(), "word", "words"),
            )?;
        }
    }
    writeln!(out)?;
    if impact.is_empty() {
        writeln!(out, "This change does nothing to any translation.")?;
    } else {
        writeln!(out, "{}.", summary(impact))?;
    }
    if impact.passed() {
        writeln!(out, "No new problems.")
    } else {
        writeln!(
            out,
            "{}: {} that the policy fails on.",
            p.bold("failed"),
            plural(
                impact.new_problems.len() as u64,
                "new problem",
                "new problems"
            )
        )
    }
}

pub fn markdown(
    out: &mut dyn Write,
    impact: &Impact,
    rev: &str,
    commit: &str,
    publication: bool,
) -> std::io::Result<()> {
    writeln!(out, "### tandem: what this change does to translations")?;
    let had = if publication {
        ""
    } else {
        ", which had no publication"
    };
    writeln!(out)?;
    if impact.is_empty() {
        writeln!(
            out,
            "Compared with {}{had}: nothing; no translation changes state.",
            base_name(rev, commit, true)
        )?;
    } else {
        writeln!(
            out,
            "Compared with {}{had}: {}.",
            base_name(rev, commit, true),
            summary(impact)
        )?;
    }
    for (title, list) in lists(impact) {
        if list.is_empty() {
            continue;
        }
        let mut title = title.to_string();
        title[..1].make_ascii_uppercase();
        writeln!(out)?;
        writeln!(out, "#### {title} ({})", list.len())?;
        writeln!(out)?;
        writeln!(out, "| Language | Article | File | What changed |")?;
        writeln!(out, "|---|---|---|---|")?;
        for c in list {
            writeln!(
                out,
                "| {} | {} | {} | {} |",
                cell(c.item.lang),
                cell(&c.item.id),
                cell(crate::render::file_of(c.item)),
                cell(&what(c))
            )?;
        }
    }
    if !impact.new_articles.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "#### New articles to translate ({})",
            impact.new_articles.len()
        )?;
        writeln!(out)?;
        writeln!(out, "| Article | Words | Into | Start with |")?;
        writeln!(out, "|---|---|---|---|")?;
        for a in &impact.new_articles {
            let start = match a.to_translate.first() {
                Some(l) => crate::render::markdown::code(&format!(
                    "tandem new {} --lang {}",
                    shell_arg(a.id),
                    shell_arg(l)
                )),
                None => String::new(),
            };
            writeln!(
                out,
                "| {} | {} | {} | {} |",
                cell(a.id),
                thousands(a.words.into()),
                cell(&a.to_translate.join(", ")),
                start
            )?;
        }
    }
    writeln!(out)?;
    if impact.passed() {
        writeln!(out, "✅ No new problems.")
    } else {
        writeln!(
            out,
            "❌ {} that the policy fails on.",
            plural(
                impact.new_problems.len() as u64,
                "new problem",
                "new problems"
            )
        )
    }
}

/// Workflow commands: a warning on each translation made outdated, an error on each broken
/// one, a notice on each one brought up to date and on each new original.
pub fn github(out: &mut dyn Write, impact: &Impact) -> std::io::Result<()> {
    for (title, list) in lists(impact) {
        let level = match title {
            "made outdated" => "warning",
            "broken" => "error",
            _ => "notice",
        };
        let title = format!("tandem: {title}");
        for c in list {
            writeln!(
                out,
                "::{level} file={},line=1,title={}::{}",
                property(crate::render::file_of(c.item)),
                property(&title),
                data(&format!("{} ({}): {}", c.item.id, c.item.lang, what(c)))
            )?;
        }
    }
    for a in &impact.new_articles {
        writeln!(
            out,
            "::notice file={},line=1,title={}::{}",
            property(a.source),
            property("tandem: new article"),
            data(&format!("{} needs translating into {}", a.id, into(a)))
        )?;
    }
    Ok(())
}
