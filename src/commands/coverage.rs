//! `tandem coverage`: how complete each language edition is.

use crate::cli::{By, CoverageArgs, ListFormat};
use crate::commands::{check_langs, Context};
use crate::coverage::{apply_minimums, coverage};
use crate::error::Result;
use crate::pairs::Ask;
use crate::render::{json, markdown, table};
use serde::Serialize;

#[derive(Debug, Clone)]
pub struct Options {
    pub langs: Vec<String>,
    pub min: Option<f64>,
    pub by_section: bool,
    pub format: ListFormat,
}

impl From<CoverageArgs> for Options {
    fn from(a: CoverageArgs) -> Self {
        Options {
            langs: a.langs,
            min: a.min,
            by_section: a.by == Some(By::Section),
            format: a.format,
        }
    }
}

#[derive(Serialize)]
struct CoverageJson<'a> {
    version: u32,
    languages: &'a [crate::coverage::Coverage],
}

pub fn execute(ctx: &mut Context, opts: &Options) -> Result<u8> {
    let project = ctx.open()?;
    let opts = &Options {
        langs: check_langs(&project, &opts.langs)?,
        ..opts.clone()
    };
    let pairing = crate::commands::pair_with_progress(
        &project,
        &Ask {
            keep: &|_| false,
            work_only: true,
            articles: false,
            pairs: false,
            langs: &[],
            only: None,
        },
    )?;
    let mut rows = coverage(&pairing, &opts.langs, opts.by_section);
    apply_minimums(&mut rows, opts.min, &project.config.min_coverage);
    let written = match opts.format {
        ListFormat::Json => json::write(
            ctx.out,
            &CoverageJson {
                version: 1,
                languages: &rows,
            },
        ),
        ListFormat::Markdown => markdown::coverage(ctx.out, &rows),
        ListFormat::Table => table::coverage(ctx.out, ctx.painter, &rows),
    };
    // The verdict stands whether or not anyone read the report.
    crate::commands::unless_closed_pipe(written)?;
    let below: Vec<String> = rows
        .iter()
        .filter(|r| r.below_min)
        .map(|r| format!("{} {}% < {}%", r.lang, r.coverage, r.min.unwrap_or(0.0)))
        .collect();
    if below.is_empty() {
        Ok(crate::exit::OK)
    } else {
        ctx.warn(&format!("under the minimum coverage: {}", below.join(", ")))?;
        Ok(crate::exit::PROBLEMS)
    }
}
