//! Human-readable tables for a terminal.

use crate::pairs::Item;
use crate::render::{clean, details, plural, thousands, Painter};
use crate::state::State;
use comfy_table::{presets::NOTHING, Cell, CellAlignment, Color, Table};
use std::io::Write;

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

pub fn state_cell(state: State) -> Cell {
    let color = match state {
        State::UpToDate => Color::Green,
        State::Outdated => Color::Yellow,
        State::Missing => Color::Red,
        State::Draft => Color::Cyan,
        State::Untracked => Color::Magenta,
        State::Orphaned | State::Invalid => Color::Red,
    };
    Cell::new(state.name()).fg(color)
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
    let mut langs: Vec<&str> = items.iter().map(|i| i.lang.as_str()).collect();
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
        let mut table = new_table(painter, &["STATE", "ARTICLE", "WORDS", "DETAILS"]);
        for item in group {
            table.add_row(vec![
                state_cell(item.state).set_alignment(CellAlignment::Left),
                Cell::new(clean(&item.id)),
                Cell::new(thousands(item.words.into())).set_alignment(CellAlignment::Right),
                Cell::new(details(item)),
            ]);
        }
        indent_first_column(&mut table);
        write_table(out, &table)?;
    }
    Ok(())
}

/// Indents the first column by two spaces so rows sit under their section heading.
fn indent_first_column(table: &mut Table) {
    if let Some(style) = table.column_mut(0) {
        style.set_padding((2, 2));
    }
}
