//! One module per command: each turns checked options into engine calls and renderer calls.

pub mod adopt;
pub mod check;
pub mod coverage;
pub mod diff;
pub mod gc;
pub mod init;
pub mod mark;
pub mod mv;
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
    /// Opens the publication; what looks wrong in its configuration is said on stderr.
    pub fn open(&mut self) -> Result<Project> {
        let project = Project::open(&self.location)?;
        for w in &project.config.warnings {
            self.warn(&crate::render::clean(w))?;
        }
        Ok(project)
    }

    /// A `warning: …` line on stderr.
    pub fn warn(&mut self, message: &str) -> Result<()> {
        let label = self
            .painter
            .paint(anstyle::AnsiColor::Yellow.on_default().bold(), "warning");
        writeln!(self.err, "{label}: {message}").map_err(Error::output)
    }
}

/// Pairs the project's articles with a progress bar on stderr for the scan (see
/// [`ProgressBar`]).
/// Leaves a finished command's pairs (or project) to the end of the process instead of
/// freeing them one by one: at 180,000 pairs that took 0.1 s, more than printing them, and the
/// process's exit gives the memory back at once. Only for values whose drop does nothing else
/// (no lock, no file to write).
pub fn leave<T>(value: T) {
    std::mem::forget(value);
}

pub fn pair_with_progress<'a>(
    project: &'a crate::project::Project,
    ask: &crate::pairs::Ask,
) -> Result<crate::pairs::Pairing<'a>> {
    let progress = ProgressBar::new();
    project.pair(Some(&progress), ask)
}

/// A progress bar on stderr for scans long enough to need one: it appears only after half a
/// second, only on a terminal, and is cleared when the scan is done.
pub struct ProgressBar {
    bar: indicatif::ProgressBar,
    started: std::time::Instant,
    shown: std::sync::atomic::AtomicBool,
}

impl ProgressBar {
    pub fn new() -> Self {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(0),
            indicatif::ProgressDrawTarget::hidden(),
        );
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} reading {pos}/{len} files {wide_bar} {eta}",
        ) {
            bar.set_style(style);
        }
        ProgressBar {
            bar,
            started: std::time::Instant::now(),
            shown: std::sync::atomic::AtomicBool::new(false),
        }
    }
}

impl Default for ProgressBar {
    fn default() -> Self {
        Self::new()
    }
}

impl crate::scan::Progress for ProgressBar {
    fn add(&self, n: usize) {
        self.bar.inc_length(n as u64);
    }

    fn advance(&self) {
        self.bar.inc(1);
        if self.started.elapsed() > std::time::Duration::from_millis(500)
            && !self.shown.swap(true, std::sync::atomic::Ordering::Relaxed)
        {
            // `stderr()` draws nothing when stderr is not a terminal.
            self.bar
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    }
}

impl Drop for ProgressBar {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
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

/// A write's result, with a closed output pipe taken as success: what a gate decides must not
/// depend on whether its reader stayed to the end.
pub fn unless_closed_pipe(written: std::io::Result<()>) -> Result<()> {
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::output(e)),
        Ok(()) => Ok(()),
    }
}

/// Checks language filters given on the command line against the publication; gives them
/// as configured (tags are compared case-insensitively).
pub fn check_langs(project: &Project, langs: &[String]) -> Result<Vec<String>> {
    langs.iter().map(|l| project.config.language(l)).collect()
}
