use clap::Parser;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use tandem::cli::{Cli, ColorChoice};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && stdout.is_terminal()
        }
    };
    // One buffered writer for the whole run: stdout is line-buffered even into a pipe, and a
    // large JSON or table output would otherwise cost a write call per line.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    // Not locked for the whole run: the progress bar writes to stderr from other threads.
    let mut err = std::io::stderr();
    let code = match tandem::run(cli, color, &mut out, &mut err) {
        Ok(code) => code,
        // `tandem status | head`: the reader has all it wanted.
        Err(e) if e.is_broken_pipe() => tandem::exit::OK,
        Err(e) => {
            let _ = tandem::commands::report_error(&mut err, &e, color);
            tandem::exit::ERROR
        }
    };
    match out.flush() {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            let _ = writeln!(err, "error: could not write the output: {e}");
            ExitCode::from(tandem::exit::ERROR)
        }
        _ => ExitCode::from(code),
    }
}
