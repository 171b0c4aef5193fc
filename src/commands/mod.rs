//! One module per command: each turns checked options into engine calls and renderer calls.

pub mod check;
pub mod coverage;
pub mod diff;
pub mod gc;
pub mod init;
pub mod mark;
pub mod new;
pub mod report;
pub mod show;
pub mod status;

use crate::error::{Error, Result};
use crate::project::{Location, Project};
use crate::render::Painter;
use std::io::Write;

/// What every command gets: where the publication is, and where to write.
pub struct Context<'a> {
    pub location: Location,
    pub painter: Painter,
    /// Data: tables, JSON, reports.
    pub out: &'a mut dyn Write,
    /// Notes and warnings for the person at the terminal.
    pub err: &'a mut dyn Write,
}

impl Context<'_> {
    pub fn open(&self) -> Result<Project> {
        Project::open(&self.location)
    }

    /// A `warning: …` line on stderr.
    pub fn warn(&mut self, message: &str) -> Result<()> {
        let label = self
            .painter
            .paint(anstyle::AnsiColor::Yellow.on_default().bold(), "warning");
        writeln!(self.err, "{label}: {message}").map_err(Error::output)
    }
}

/// Prints an error the way users see it:
/// `error: <what>`, then `  --> path:line:col`, then `help: <fix>`.
pub fn report_error(err: &mut dyn Write, e: &Error, color: bool) -> std::io::Result<()> {
    let painter = Painter::new(color);
    let label = painter.paint(anstyle::AnsiColor::Red.on_default().bold(), "error");
    writeln!(err, "{label}: {}", crate::render::clean(&e.message))?;
    if let Some(location) = e.location() {
        writeln!(
            err,
            "  {} {}",
            painter.dim("-->"),
            crate::render::clean(&location)
        )?;
    }
    if let Some(hint) = &e.hint {
        writeln!(
            err,
            "{}: {}",
            painter.bold("help"),
            crate::render::clean(hint)
        )?;
    }
    Ok(())
}

/// Checks language filters given on the command line against the publication.
pub fn check_langs(project: &Project, langs: &[String]) -> Result<()> {
    for lang in langs {
        project.config.check_language(lang)?;
    }
    Ok(())
}
