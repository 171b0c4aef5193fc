//! Markdown output, for pull-request comments and wiki pages.

use crate::check::{Outcome, Policy, Severity};
use crate::coverage::Coverage;
use crate::pairs::Item;
use crate::render::{details, file_of, problem, thousands};
use std::io::Write;

/// Text made safe for a Markdown table cell: no line breaks, `|` and markup escaped.
pub fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Text as a code span in a table cell: backslash escapes mean nothing inside code, so only
/// what would end the span or the cell is replaced (a backtick by `'`, a line break by a space;
/// `|` escaped, which GitHub's tables honour inside code too).
pub fn code(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('`');
    for c in text.chars() {
        match c {
            '`' => out.push('\''),
            '|' => out.push_str("\\|"),
            '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('`');
    out
}

/// `status --format markdown`: one table of the pairs, grouped by language.
pub fn status(out: &mut dyn Write, items: &[&Item], summary_line: &str) -> std::io::Result<()> {
    writeln!(out, "{}", cell(summary_line))?;
    writeln!(out)?;
    if items.is_empty() {
        return Ok(());
    }
    writeln!(out, "| Language | State | Article | Words | Details |")?;
    writeln!(out, "|---|---|---|---:|---|")?;
    let mut items = items.to_vec();
    items.sort_by(|a, b| (&a.lang, &a.id).cmp(&(&b.lang, &b.id)));
    for item in items {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            cell(item.lang),
            item.state,
            cell(&item.id),
            thousands(item.words.into()),
            cell(&details(item))
        )?;
    }
    Ok(())
}

/// `coverage --format markdown`.
pub fn coverage(out: &mut dyn Write, rows: &[Coverage]) -> std::io::Result<()> {
    let sections = rows.iter().any(|r| r.section.is_some());
    let section_head = if sections { " Section |" } else { "" };
    let section_rule = if sections { "---|" } else { "" };
    writeln!(
        out,
        "| Language |{section_head} Articles | Up to date | Outdated | Draft | Missing | Coverage | Words covered |"
    )?;
    writeln!(
        out,
        "|---|{section_rule}---:|---:|---:|---:|---:|---:|---:|"
    )?;
    for r in rows {
        let section = match &r.section {
            Some(s) => format!(" {} |", cell(s)),
            None => String::new(),
        };
        let mark = if r.below_min { " ⚠" } else { "" };
        writeln!(
            out,
            "| {} |{section} {} | {} | {} | {} | {} | {}%{mark} | {}% |",
            cell(&r.lang),
            r.total,
            r.up_to_date,
            r.outdated,
            r.draft,
            r.missing,
            r.coverage,
            r.coverage_words
        )?;
    }
    Ok(())
}

/// `check --format markdown`: a summary fit for a pull-request comment.
pub fn check(out: &mut dyn Write, outcome: &Outcome, policy: &Policy) -> std::io::Result<()> {
    let errors = outcome.count(Severity::Error) + outcome.other_errors.len();
    let warnings = outcome.count(Severity::Warning) + outcome.notes.len();
    let verdict = if outcome.failed {
        "❌ failed"
    } else {
        "✅ passed"
    };
    writeln!(out, "### tandem check {verdict}")?;
    writeln!(out)?;
    let fail_on: Vec<&str> = policy.fail_on.iter().map(|s| s.name()).collect();
    writeln!(
        out,
        "{errors} {}, {warnings} {} (fails on: {}).",
        if errors == 1 { "problem" } else { "problems" },
        if warnings == 1 { "warning" } else { "warnings" },
        fail_on.join(", ")
    )?;
    if outcome.findings.is_empty() && outcome.other_errors.is_empty() && outcome.notes.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "| | State | Article | Language | File | What to do |")?;
    writeln!(out, "|---|---|---|---|---|---|")?;
    for f in &outcome.findings {
        let icon = if f.severity == Severity::Error {
            "❌"
        } else {
            "⚠️"
        };
        writeln!(
            out,
            "| {icon} | {} | {} | {} | {} | {} |",
            f.item.state,
            cell(&f.item.id),
            cell(f.item.lang),
            cell(file_of(f.item)),
            cell(&problem(f.item))
        )?;
    }
    for d in &outcome.other_errors {
        writeln!(
            out,
            "| ❌ | invalid | | | {} | {} |",
            cell(&d.location()),
            cell(&d.message)
        )?;
    }
    for d in &outcome.notes {
        writeln!(
            out,
            "| ⚠️ | warning | | | {} | {} |",
            cell(&d.location()),
            cell(&d.message)
        )?;
    }
    Ok(())
}
