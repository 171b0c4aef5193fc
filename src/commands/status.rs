//! `tandem status`: the pairs that need work, grouped by language.

use crate::cli::{ListFormat, StatusArgs};
use crate::commands::{check_langs, Context};
use crate::error::Result;
use crate::pairs::{Ask, Item};
use crate::render::{self, json, markdown, plural, table};
use crate::state::State;

/// Checked options of `status`.
#[derive(Debug, Clone)]
pub struct Options {
    pub ids: Vec<String>,
    pub langs: Vec<String>,
    pub states: Vec<State>,
    pub all: bool,
    pub format: ListFormat,
}

impl From<StatusArgs> for Options {
    fn from(a: StatusArgs) -> Self {
        Options {
            ids: a.ids,
            langs: a.langs,
            states: a.states,
            all: a.all,
            format: a.format,
        }
    }
}

pub fn execute(ctx: &mut Context, opts: &Options) -> Result<u8> {
    let project = ctx.open()?;
    let opts = &Options {
        langs: check_langs(&project, &opts.langs)?,
        ..opts.clone()
    };
    // With ids, every pair of those articles is kept (their counts come from the items);
    // without, only the pairs to show (the counts come from the tallies).
    let shows = |i: &Item| {
        if opts.states.is_empty() {
            opts.all || i.state != State::UpToDate
        } else {
            opts.states.contains(&i.state)
        }
    };
    let wanted = |i: &Item| {
        if opts.ids.is_empty() {
            shows(i)
        } else {
            opts.ids.iter().any(|x| *x == i.id)
        }
    };
    // Without ids or --all, only pairs that need work are shown: the results cache can answer.
    let work_only = opts.ids.is_empty() && !opts.all && !opts.states.contains(&State::UpToDate);
    let pairing = crate::commands::pair_with_progress(
        &project,
        &Ask {
            keep: &wanted,
            work_only,
            articles: !opts.ids.is_empty(),
            pairs: true,
            langs: &opts.langs,
            only: None,
        },
    )?;
    for id in &opts.ids {
        let known = pairing.articles.iter().any(|a| &a.id == id)
            || pairing.items.iter().any(|i| i.id == id.as_str());
        // An unknown id is an error, and so is one that two originals claim.
        let claimed = pairing
            .errors
            .iter()
            .any(|e| e.message.contains("duplicate id"));
        if !known || claimed {
            project.find_original(project.originals()?, id)?;
        }
    }

    // A table shows each language on its own: its pairs need no order across languages.
    let listed = match opts.format {
        ListFormat::Table => pairing.items.by_language(),
        _ => pairing.items.iter().collect(),
    };
    let in_scope: Vec<&Item> = listed
        .into_iter()
        .filter(|i| opts.ids.is_empty() || opts.ids.iter().any(|x| *x == i.id))
        .filter(|i| opts.langs.is_empty() || opts.langs.iter().any(|l| l == i.lang))
        .collect();
    let counts = if opts.ids.is_empty() {
        pairing.counts_in(&opts.langs)
    } else {
        crate::pairs::Pairing::counts(in_scope.iter().copied())
    };
    let shown: Vec<&Item> = in_scope.iter().copied().filter(|i| shows(i)).collect();
    let articles = if opts.ids.is_empty() {
        pairing.article_count
    } else {
        pairing
            .articles
            .iter()
            .filter(|a| opts.ids.contains(&a.id))
            .count()
    };
    let languages: Vec<String> = if opts.langs.is_empty() {
        project.config.languages.clone()
    } else {
        opts.langs.clone()
    };

    let summary_line = {
        let parts: Vec<String> = State::ALL
            .iter()
            .filter(|s| counts.get(**s) > 0)
            .map(|s| format!("{} {}", counts.get(*s), s.name()))
            .collect();
        format!(
            "{}, {}: {}",
            plural(articles as u64, "article", "articles"),
            plural(languages.len() as u64, "language", "languages"),
            if parts.is_empty() {
                "no pairs".to_string()
            } else {
                parts.join(", ")
            }
        )
    };

    match opts.format {
        ListFormat::Json => json::write_with_items(
            ctx.out,
            &json::ItemsReport {
                version: 1,
                summary: json::Summary {
                    articles,
                    languages: &languages,
                    counts,
                },
                items: Vec::new(),
                errors: &pairing.errors,
                warnings: &pairing.warnings,
            },
            &shown,
        )?,
        ListFormat::Markdown => markdown::status(ctx.out, &shown, &summary_line)?,
        ListFormat::Table => {
            if shown.is_empty() {
                let what = if opts.states.is_empty() && !opts.all {
                    "Nothing to do: every translation is up to date."
                } else {
                    "No pairs match."
                };
                writeln!(ctx.out, "{what}")?;
            } else {
                table::status(ctx.out, ctx.painter, &shown)?;
            }
            writeln!(ctx.out)?;
            writeln!(ctx.out, "{}", ctx.painter.dim(&summary_line))?;
            for e in pairing.errors.iter().chain(&pairing.warnings) {
                ctx.warn(&render::clean(&e.to_string()))?;
            }
        }
    }
    drop(in_scope);
    crate::commands::leave(pairing);
    crate::commands::leave(project);
    Ok(crate::exit::OK)
}
