//! Human-readable tables for a terminal.

use crate::check::{Outcome, Policy, Severity};
use crate::coverage::Coverage;
use crate::pairs::Item;
use crate::render::{clean, details, file_of, plural, problem, state_style, thousands, Painter};
use crate::state::State;
use comfy_table::{presets::NOTHING, Cell, CellAlignment, Color, Table};
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

/// `status`: one section per language.
pub fn status(out: &mut dyn Write, painter: Painter, items: &[&Item]) -> std::io::Result<()> {
    let mut langs: Vec<&str> = items.iter().map(|i| i.lang).collect();
    langs.sort();
    langs.dedup();
    for (n, lang) in langs.iter().enumerate() {
        let group: Vec<&&Item> = items.iter().filter(|i| i.lang == *lang).collect();
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
        let rows: Vec<[String; 4]> = group
            .iter()
            .map(|item| {
                [
                    item.state.name().to_string(),
                    clean(&item.id),
                    thousands(item.words.into()),
                    details(item),
                ]
            })
            .collect();
        let header = ["STATE", "ARTICLE", "WORDS", "DETAILS"].map(String::from);
        let width = |col: usize| {
            rows.iter()
                .chain(std::iter::once(&header))
                .map(|r| r[col].width())
                .max()
                .unwrap_or(0)
        };
        let widths = [width(0), width(1), width(2)];
        // Written straight to the output: a status list can have tens of thousands of rows.
        let mut line = |row: &[String; 4], state: Option<State>| -> std::io::Result<()> {
            let pad = |text: &str, w: usize| w.saturating_sub(text.width());
            let first = match state {
                Some(s) => painter.paint(state_style(s), &row[0]),
                None => painter.dim(&row[0]),
            };
            write!(
                out,
                "  {first}{:p0$}  {}{:p1$}  {:p2$}{}",
                "",
                row[1],
                "",
                "",
                row[2],
                p0 = pad(&row[0], widths[0]),
                p1 = pad(&row[1], widths[1]),
                p2 = pad(&row[2], widths[2]),
            )?;
            if !row[3].is_empty() {
                write!(out, "  {}", row[3])?;
            }
            writeln!(out)
        };
        line(&header, None)?;
        for (row, item) in rows.iter().zip(&group) {
            line(row, Some(item.state))?;
        }
    }
    Ok(())
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
