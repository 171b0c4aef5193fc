//! `check --format github`: workflow commands that annotate files in a pull request.
//! Everything taken from files is escaped as GitHub requires, so a title holding a newline and
//! `::` cannot start a second command.

use crate::check::Outcome;
use crate::render::{file_of, problem};
use std::io::Write;

/// Escapes a command's message.
pub fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command's property value (file, title).
pub fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

pub fn check(out: &mut dyn Write, outcome: &Outcome) -> std::io::Result<()> {
    for f in &outcome.findings {
        let level = f.severity.name();
        writeln!(
            out,
            "::{level} file={},line=1,title={}::{}",
            property(file_of(f.item)),
            property(&format!("tandem: {}", f.item.state)),
            data(&problem(f.item))
        )?;
    }
    for d in &outcome.notes {
        diagnostic(out, "warning", "tandem: warning", d)?;
    }
    for d in &outcome.other_errors {
        diagnostic(out, "error", "tandem: invalid", d)?;
    }
    Ok(())
}

/// One workflow command for a problem with a file.
fn diagnostic(
    out: &mut dyn Write,
    level: &str,
    title: &str,
    d: &crate::error::Diagnostic,
) -> std::io::Result<()> {
    writeln!(
        out,
        "::{level} file={},line={},title={}::{}",
        property(&d.path),
        d.line.unwrap_or(1),
        property(title),
        data(&d.message)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_newline_cannot_start_a_second_command() {
        let evil = "Title\n::error file=x::injected";
        let escaped = data(evil);
        assert!(!escaped.contains('\n'));
        assert_eq!(escaped, "Title%0A::error file=x::injected");
        assert_eq!(property("a,b:c%"), "a%2Cb%3Ac%25");
    }
}
