//! Markdown output, for pull-request comments and wiki pages.

use crate::pairs::Item;
use crate::render::{details, thousands};
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
            cell(&item.lang),
            item.state,
            cell(&item.id),
            thousands(item.words.into()),
            cell(&details(item))
        )?;
    }
    Ok(())
}
