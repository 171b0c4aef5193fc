use clap::Parser;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use tandem::cli::{Cli, ColorChoice};

/// `mi_option_purge_delay` in mimalloc.h (not exported by the bindings): how long freed memory
/// is kept before it is returned to the system, in milliseconds.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // SAFETY: sets a plain integer option; no other thread of ours runs yet.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 10) };
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && stdout.is_terminal()
        }
    };
    let mut out = stdout.lock();
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
