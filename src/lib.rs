//! tandem keeps a multilingual publication's original articles and their translations paired,
//! and tells each person what needs doing.
//!
//! The engine (scan, front matter, pairing, fingerprints, states, diffs, snapshots) returns plain
//! data; `render` formats it; `commands` glue the two, one file per command.

pub mod align;
pub mod baseline;
pub mod blocks;
pub mod cache;
pub mod changes;
pub mod check;
pub mod cli;
pub mod commands;
pub mod config;
pub mod coverage;
pub mod diff;
pub mod document;
pub mod error;
pub mod fingerprint;
pub mod frontmatter;
pub mod git;
pub mod impact;
pub mod layout;
pub mod lock;
pub mod names;
pub mod pairs;
pub mod policy;
pub mod project;
pub mod render;
pub mod scan;
pub mod snapshot;
pub mod state;
pub mod toml;
pub mod write;
pub mod yaml;

pub use error::{Diagnostic, Error, Result};

use cli::{Cli, Command};
use commands::Context;
use project::Location;
use render::Painter;
use std::io::Write;

/// Exit codes: the contract with scripts.
pub mod exit {
    /// The command did its job and found nothing wrong.
    pub const OK: u8 = 0;
    /// The command did its job and found problems (`check`, `coverage --min`).
    pub const PROBLEMS: u8 = 1;
    /// The command could not do its job.
    pub const ERROR: u8 = 2;
}

/// Runs a parsed command line; returns the exit code. Data goes to `out`, notes to `err`.
pub fn run(cli: Cli, color: bool, out: &mut dyn Write, err: &mut dyn Write) -> Result<u8> {
    let location = Location {
        dir: cli.dir,
        config: cli.config,
    };
    let mut ctx = Context {
        location,
        painter: Painter::new(color),
        out,
        err,
    };
    match cli.command {
        Command::Init => commands::init::execute(&mut ctx),
        Command::Status(args) => commands::status::execute(&mut ctx, &args.into()),
        Command::Diff(args) => commands::diff::execute(&mut ctx, &args.into()),
        Command::Coverage(args) => commands::coverage::execute(&mut ctx, &args.into()),
        Command::Check(args) => commands::check::execute(&mut ctx, &args.into()),
        Command::Report(args) => commands::report::execute(
            &mut ctx,
            &commands::report::Options {
                html: args.html.as_deref(),
                badge: args.badge.as_deref(),
                manifest: args.manifest.as_deref(),
                force: args.force,
                link_base: args.link_base.as_deref(),
            },
        ),
        Command::New(args) => commands::new::execute(&mut ctx, &args.into()),
        Command::Mark(args) => commands::mark::execute(&mut ctx, &args.into()),
        Command::Gc(args) => commands::gc::execute(&mut ctx, args.dry_run, args.format),
        Command::Adopt(args) => commands::adopt::execute(&mut ctx, args.dry_run),
        Command::Mv(args) => commands::mv::execute(&mut ctx, &args.old, &args.new, args.dry_run),
        Command::Show(args) => commands::show::execute(&mut ctx, &args.id, args.format),
        Command::Completions(args) => {
            use clap::CommandFactory;
            clap_complete::generate(args.shell, &mut Cli::command(), "tandem", ctx.out);
            Ok(exit::OK)
        }
        Command::Man => {
            use clap::CommandFactory;
            clap_mangen::Man::new(Cli::command())
                .render(ctx.out)
                .map_err(|e| Error::new(format!("cannot write the manual page: {e}")))?;
            Ok(exit::OK)
        }
    }
}

/// Helpers for the unit tests.
#[cfg(test)]
pub(crate) mod testing {
    /// Writes `text` to `rel` under `dir`, making its folders.
    pub fn write(dir: &std::path::Path, rel: &str, text: &str) {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}
