//! Human-readable tables for a terminal.

use crate::check::{Outcome, Policy, Severity};
use crate::coverage::Coverage;
use crate::pairs::Item;
use crate::render::{clean, file_of, plural, problem, state_style, Painter, Thousands};
use crate::state::State;
use comfy_table::{presets::NOTHING, Cell, CellAlignment, Color, Table};
use rayon::prelude::*;
use std::borrow::Cow;
use std::io::Write;
use unicode_width::UnicodeWidthStr;

/// A plain table: no borders, a header row, colour only when painting.
pub fn new_table(painter: Painter, header: &[&str]) -> Table {
    let mut table = Table::new();
    table.load_style(NOTHING);
    if painter.enabled {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    table.set_header(header.iter().map(|h| Cell::new(h).fg(Color::DarkGrey)));
    for column in table.column_iter_mut() {
        column.set_padding((0, 2));
    }
    table
}

/// A state in its colour (the one `state_style` gives, so every output agrees).
pub fn state_cell(state: State) -> Cell {
    let cell = Cell::new(state.name());
    match state_style(state).get_fg_color() {
        Some(anstyle::Color::Ansi(c)) => cell.fg(Color::AnsiValue(c as u8)),
        _ => cell,
    }
}

/// Writes a table, without the spaces comfy-table pads the last column with.
pub fn write_table(out: &mut dyn Write, table: &Table) -> std::io::Result<()> {
    for line in table.lines() {
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// An id as shown: control characters escaped.
fn shown_id<'i>(item: &'i Item) -> Cow<'i, str> {
    match item.id.chars().any(char::is_control) {
        true => Cow::Owned(clean(&item.id)),
        false => Cow::Borrowed(&item.id),
    }
}

/// `status`: one section per language.
pub fn status(out: &mut dyn Write, painter: Painter, items: &[&Item]) -> std::io::Result<()> {
    // A status list can have a hundred thousand rows: they are written straight to a buffer of
    // a known type, with nothing allocated per row.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    // Each language's rows, languages in the order of their tags: taken as they come when the
    // rows come so (see `PairList::by_language`), else put so (a stable sort keeps each
    // language's order).
    let items: Cow<[&Item]> = match items.is_sorted_by_key(|i| i.lang) {
        true => Cow::Borrowed(items),
        false => {
            let mut sorted = items.to_vec();
            sorted.sort_by_key(|i| i.lang);
            Cow::Owned(sorted)
        }
    };
    let by_lang: Vec<(&str, &[&Item])> = items
        .chunk_by(|a, b| a.lang == b.lang)
        .map(|group| (group[0].lang, group))
        .collect();
    let header = ["STATE", "ARTICLE", "WORDS", "DETAILS"];
    let width = |s: &str| if s.is_ascii() { s.len() } else { s.width() };
    for (n, &(lang, group)) in by_lang.iter().enumerate() {
        let words: u64 = group.iter().map(|i| u64::from(i.words)).sum();
        let todo = group.iter().filter(|i| i.state != State::UpToDate).count() as u64;
        if n > 0 {
            writeln!(out)?;
        }
        writeln!(
            out,
            "{}  {}, {} to translate",
            painter.bold(&clean(lang)),
            plural(todo, "pair needs work", "pairs need work"),
            plural(words, "word", "words"),
        )?;
        let widths = group
            .par_iter()
            .fold(
                || header.map(str::len),
                |mut widths, item| {
                    widths[0] = widths[0].max(item.state.name().len());
                    widths[1] = widths[1].max(width(&shown_id(item)));
                    widths[2] = widths[2].max(Thousands(item.words.into()).width());
                    widths
                },
            )
            .reduce(
                || header.map(str::len),
                |a, b| std::array::from_fn(|i| a[i].max(b[i])),
            );
        let pad = |text: &str, w: usize| w.saturating_sub(width(text));
        write!(
            out,
            "  {}{:p0$}  {}{:p1$}  {:p2$}{}",
            painter.dim(header[0]),
            "",
            header[1],
            "",
            "",
            header[2],
            p0 = pad(header[0], widths[0]),
            p1 = pad(header[1], widths[1]),
            p2 = pad(header[2], widths[2]),
        )?;
        writeln!(out, "  {}", header[3])?;
        // Rows formatted on every core, a window at a time, and written in order.
        let row = |item: &Item, buf: &mut Vec<u8>, details: &mut String| -> std::io::Result<()> {
            let state = item.state.name();
            let id = shown_id(item);
            buf.extend_from_slice(b"  ");
            match painter.enabled {
                true => {
                    let style = state_style(item.state);
                    write!(buf, "{}{state}{}", style.render(), style.render_reset())?
                }
                false => buf.extend_from_slice(state.as_bytes()),
            }
            let spaces = |buf: &mut Vec<u8>, n: usize| buf.resize(buf.len() + n, b' ');
            spaces(buf, widths[0] - state.len() + 2);
            buf.extend_from_slice(id.as_bytes());
            spaces(buf, pad(&id, widths[1]) + 2);
            Thousands(item.words.into()).push_right(buf, widths[2]);
            crate::render::details_into(item, details);
            if !details.is_empty() {
                buf.extend_from_slice(b"  ");
                buf.extend_from_slice(details.as_bytes());
            }
            buf.push(b'\n');
            Ok(())
        };
        for window in group.chunks(16 * 1024) {
            let parts: Vec<std::io::Result<Vec<u8>>> = window
                .par_chunks(1024)
                .map(|chunk| {
                    let mut buf = Vec::with_capacity(chunk.len() * 80);
                    let mut details = String::new();
                    for item in chunk {
                        row(item, &mut buf, &mut details)?;
                    }
                    Ok(buf)
                })
                .collect();
            for part in parts {
                out.write_all(&part?)?;
            }
        }
    }
    out.flush()
}

/// `coverage` as a table.
pub fn coverage(out: &mut dyn Write, painter: Painter, rows: &[Coverage]) -> std::io::Result<()> {
    if rows.is_empty() {
        return writeln!(out, "No articles.");
    }
    let sections = rows.iter().any(|r| r.section.is_some());
    let mut header = vec!["LANG"];
    if sections {
        header.push("SECTION");
    }
    header.extend([
        "ARTICLES",
        "UP-TO-DATE",
        "OUTDATED",
        "DRAFT",
        "MISSING",
        "COVERAGE",
        "WORDS",
    ]);
    let mut table = new_table(painter, &header);
    for r in rows {
        let mut row = vec![Cell::new(clean(&r.lang))];
        if let Some(s) = &r.section {
            row.push(Cell::new(clean(s)));
        }
        let coverage = format!(
            "{}%{}",
            r.coverage,
            if r.below_min { " (under min)" } else { "" }
        );
        let colour = if r.below_min {
            Color::Red
        } else if r.coverage >= 100.0 {
            Color::Green
        } else {
            Color::Reset
        };
        row.extend([
            Cell::new(r.total).set_alignment(CellAlignment::Right),
            Cell::new(r.up_to_date).set_alignment(CellAlignment::Right),
            Cell::new(r.outdated).set_alignment(CellAlignment::Right),
            Cell::new(r.draft).set_alignment(CellAlignment::Right),
            Cell::new(r.missing).set_alignment(CellAlignment::Right),
            Cell::new(coverage)
                .fg(colour)
                .set_alignment(CellAlignment::Right),
            Cell::new(format!("{}%", r.coverage_words)).set_alignment(CellAlignment::Right),
        ]);
        table.add_row(row);
    }
    write_table(out, &table)
}

/// `check` for people: one line per problem, then a summary.
pub fn check(
    out: &mut dyn Write,
    p: Painter,
    outcome: &Outcome,
    policy: &Policy,
) -> std::io::Result<()> {
    use anstyle::AnsiColor;
    let mut findings: Vec<_> = outcome.findings.iter().collect();
    findings.sort_by_key(|f| f.severity);
    for f in findings {
        let label = match f.severity {
            Severity::Error => p.paint(AnsiColor::Red.on_default().bold(), "error"),
            Severity::Warning => p.paint(AnsiColor::Yellow.on_default().bold(), "warning"),
        };
        writeln!(
            out,
            "{label}: {}: {}",
            clean(file_of(f.item)),
            clean(&problem(f.item))
        )?;
    }
    for d in &outcome.other_errors {
        let label = p.paint(AnsiColor::Red.on_default().bold(), "error");
        writeln!(out, "{label}: {}", clean(&d.to_string()))?;
    }
    for d in &outcome.notes {
        let label = p.paint(AnsiColor::Yellow.on_default().bold(), "warning");
        writeln!(out, "{label}: {}", clean(&d.to_string()))?;
    }
    let errors = outcome.count(Severity::Error) + outcome.other_errors.len();
    let warnings = outcome.count(Severity::Warning) + outcome.notes.len();
    let fail_on: Vec<&str> = policy.fail_on.iter().map(|s| s.name()).collect();
    if !outcome.findings.is_empty() || !outcome.other_errors.is_empty() || !outcome.notes.is_empty()
    {
        writeln!(out)?;
    }
    let verdict = if outcome.failed {
        p.red("check failed")
    } else {
        p.green("check passed")
    };
    writeln!(
        out,
        "{verdict}: {}, {} (fails on: {})",
        plural(errors as u64, "problem", "problems"),
        plural(warnings as u64, "warning", "warnings"),
        fail_on.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows in any order give each language's section, languages in order and each language's
    /// rows in the order given: as rows already grouped by language do.
    #[test]
    fn a_status_table_groups_rows_that_do_not_come_by_language() {
        let item = |id: &'static str, lang: &'static str, words: u32| crate::pairs::Item {
            words,
            ..crate::pairs::item(Cow::Borrowed(id), lang, State::Missing)
        };
        let items = [
            item("b", "fr", 1),
            item("a", "es", 12_000),
            item("c", "fr", 3),
            item("b", "es", 40),
            item("a", "de", 5),
        ];
        let table = |order: &[usize]| {
            let rows: Vec<&Item> = order.iter().map(|&n| &items[n]).collect();
            let mut out = Vec::new();
            status(&mut out, Painter::new(false), &rows).unwrap();
            String::from_utf8(out).unwrap()
        };
        let grouped = table(&[4, 1, 3, 0, 2]);
        assert_eq!(table(&[0, 1, 2, 3, 4]), grouped);
        let sections: Vec<&str> = grouped
            .lines()
            .filter(|l| !l.starts_with(' ') && !l.is_empty())
            .collect();
        assert_eq!(sections.len(), 3, "{grouped}");
        assert!(sections[0].starts_with("de") && sections[2].starts_with("fr"));
        assert!(grouped.contains("  missing  a        12,000"), "{grouped}");
    }
}
