//! The one error type of the library: what went wrong, where, and how to fix it.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::Path;

/// A problem with one file found while scanning: it makes that file `invalid` but never stops
/// the scan of the others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Relative to the project root, with `/`.
    pub path: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl Diagnostic {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.into(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    pub fn at(mut self, line: Option<usize>, column: Option<usize>) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    /// `path:line:col`, as far as it is known.
    pub fn location(&self) -> String {
        location(&self.path, self.line, self.column)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location(), self.message)
    }
}

pub(crate) fn location(path: &str, line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!("{path}:{l}:{c}"),
        (Some(l), None) => format!("{path}:{l}"),
        _ => path.to_string(),
    }
}

/// Why a command could not do its job (exit 2). `Display` is the message users see.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    pub message: String,
    /// The file concerned, if any, as the user would type it.
    pub path: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// A suggestion of how to fix it.
    pub hint: Option<String>,
    /// Set when writing the output failed, so a closed pipe can end the program quietly.
    pub output_error: Option<std::io::ErrorKind>,
}

impl Error {
    pub fn new(message: impl Into<String>) -> Self {
        Error {
            message: message.into(),
            path: None,
            line: None,
            column: None,
            hint: None,
            output_error: None,
        }
    }

    /// Writing to stdout failed (a closed pipe, a full disk).
    pub fn output(err: std::io::Error) -> Self {
        let mut e = Error::new(format!("could not write the output: {err}"));
        e.output_error = Some(err.kind());
        e
    }

    /// Whether this is a closed pipe on output, which is not a failure (`tandem status | head`).
    pub fn is_broken_pipe(&self) -> bool {
        self.output_error == Some(std::io::ErrorKind::BrokenPipe)
    }

    pub fn with_path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    pub fn at(mut self, line: Option<usize>, column: Option<usize>) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn io(path: &Path, err: &std::io::Error, doing: &str) -> Self {
        Error::new(format!("could not {doing}: {err}")).with_path(shown_path(path))
    }

    /// `path:line:col` when a path is known.
    pub fn location(&self) -> Option<String> {
        self.path
            .as_deref()
            .map(|p| location(p, self.line, self.column))
    }
}

/// A path as a user would type it from where they are: relative to the current folder when it
/// is inside it, with `/`.
fn shown_path(path: &Path) -> String {
    let here = std::env::current_dir().ok();
    let rel = here
        .as_deref()
        .and_then(|h| path.strip_prefix(h).ok())
        .filter(|r| !r.as_os_str().is_empty())
        .unwrap_or(path);
    rel.to_string_lossy().replace('\\', "/")
}

/// Text quoted in a message (`"…"` or `` `…` ``) cut to `max` characters, so an error about a
/// file that is not what it should be (`--config /etc/passwd`) does not print the whole file.
pub fn cut_quoted(message: &str, max: usize) -> String {
    let mut out = String::with_capacity(message.len().min(512));
    let mut quote: Option<char> = None;
    let mut inside = 0usize;
    for c in message.chars() {
        match quote {
            Some(q) if c == q => {
                quote = None;
                out.push(c);
            }
            Some(_) => {
                inside += 1;
                if inside <= max {
                    out.push(c);
                } else if inside == max + 1 {
                    out.push('…');
                }
            }
            None => {
                if c == '"' || c == '`' {
                    quote = Some(c);
                    inside = 0;
                }
                out.push(c);
            }
        }
    }
    out
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Error::new(d.message).with_path(d.path).at(d.line, d.column)
    }
}

impl From<std::io::Error> for Error {
    fn from(err: std::io::Error) -> Self {
        Error::output(err)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
