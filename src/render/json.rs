//! JSON output (version 1), as DESIGN.md pins it.

use crate::error::Diagnostic;
use crate::pairs::Item;
use crate::state::Counts;
use serde::Serialize;
use std::io::Write;

#[derive(Serialize)]
pub struct Summary<'a> {
    pub articles: usize,
    pub languages: &'a [String],
    pub counts: Counts,
}

/// The shape shared by `status` and `check`.
#[derive(Serialize)]
pub struct ItemsReport<'a> {
    pub version: u32,
    pub summary: Summary<'a>,
    pub items: Vec<&'a Item<'a>>,
    pub errors: &'a [Diagnostic],
    /// What looks wrong but breaks nothing; left out when there is none.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub warnings: &'a [Diagnostic],
}

/// Writes any serialisable value as pretty JSON and a newline.
pub fn write<T: Serialize>(out: &mut dyn Write, value: &T) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(|e| match e.io_error_kind() {
        Some(kind) => std::io::Error::from(kind),
        None => std::io::Error::other(e),
    })?;
    writeln!(out)
}
