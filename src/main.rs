use clap::Parser;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use tandem::cli::{Cli, ColorChoice};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's options (`mi_option_e` in the mimalloc.h of libmimalloc-sys 0.1.49, v2).
const MI_OPTION_ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Memory is resident only where it is used: freed memory goes back to the system after 10 ms
/// (set explicitly: this build otherwise keeps it), arenas are committed as they are used, not
/// when they are made, and there are no transparent huge pages (which make every 4 KiB page
/// touched a resident 2 MiB one; the first arena, made before `main` runs, asked for them). An
/// environment variable of an option (`MIMALLOC_PURGE_DELAY`) still wins, for measuring.
fn tune_allocator() {
    // SAFETY: prctl with PR_SET_THP_DISABLE only sets a flag of this process.
    #[cfg(target_os = "linux")]
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    for (option, name, value) in [
        (MI_OPTION_PURGE_DELAY, "MIMALLOC_PURGE_DELAY", 10),
        (
            MI_OPTION_ARENA_EAGER_COMMIT,
            "MIMALLOC_ARENA_EAGER_COMMIT",
            0,
        ),
    ] {
        if std::env::var_os(name).is_none() {
            // SAFETY: sets a global option; mimalloc reads options atomically.
            unsafe { libmimalloc_sys::mi_option_set(option, value) };
        }
    }
}

fn main() -> ExitCode {
    tune_allocator();
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
