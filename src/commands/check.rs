//! `tandem check`: the CI gate.

use crate::check::{check, Policy};
use crate::cli::{CheckArgs, CheckFormat};
use crate::commands::{check_langs, Context};
use crate::error::{Error, Result};
use crate::pairs::{Ask, Item};
use crate::render::{github, json, markdown, table};
use serde::Serialize;

#[derive(Debug, Clone)]
pub struct Options {
    pub langs: Vec<String>,
    pub fail_on: Vec<String>,
    pub format: CheckFormat,
    pub base: Option<String>,
}

impl From<CheckArgs> for Options {
    fn from(a: CheckArgs) -> Self {
        Options {
            langs: a.langs,
            fail_on: a.fail_on,
            format: a.format,
            base: a.base,
        }
    }
}

#[derive(Serialize)]
struct CheckJson<'a> {
    version: u32,
    summary: json::Summary<'a>,
    passed: bool,
    fail_on: Vec<&'static str>,
    items: &'a [crate::check::Finding<'a>],
    errors: Vec<&'a crate::Diagnostic>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    warnings: &'a [crate::Diagnostic],
}

pub fn execute(ctx: &mut Context, opts: &Options) -> Result<u8> {
    let project = ctx.open()?;
    let opts = &Options {
        langs: check_langs(&project, &opts.langs)?,
        ..opts.clone()
    };
    let config = &project.config;
    let policy = if !opts.fail_on.is_empty() {
        Policy::from_list(&opts.fail_on, &config.required)
            .map_err(|m| Error::new(format!("--fail-on: {m}")))?
    } else if let Some(list) = &config.fail_on {
        Policy::from_list(list, &config.required).map_err(Error::new)?
    } else {
        Policy::default_for(&config.required)
    };
    if let Some(rev) = &opts.base {
        return impact(ctx, &project, opts, &policy, rev);
    }
    let pairing = crate::commands::pair_with_progress(
        &project,
        &Ask {
            keep: &|i| i.state != crate::state::State::UpToDate,
            work_only: true,
            articles: false,
            pairs: true,
            langs: &opts.langs,
            only: None,
        },
    )?;
    let items: Vec<&Item> = pairing
        .items
        .iter()
        .filter(|i| opts.langs.is_empty() || opts.langs.iter().any(|l| l == i.lang))
        .collect();
    let outcome = check(&pairing, &items, &policy);
    let languages: Vec<String> = if opts.langs.is_empty() {
        config.languages.clone()
    } else {
        opts.langs.clone()
    };
    let written = match opts.format {
        CheckFormat::Json => json::write_with_items(
            ctx.out,
            &CheckJson {
                version: 1,
                summary: json::Summary {
                    articles: pairing.article_count,
                    languages: &languages,
                    counts: pairing.counts_in(&opts.langs),
                },
                passed: !outcome.failed,
                fail_on: policy.fail_on.iter().map(|s| s.name()).collect(),
                items: &[],
                errors: pairing.errors.iter().collect(),
                warnings: &pairing.warnings,
            },
            &outcome.findings,
        ),
        CheckFormat::Github => github::check(ctx.out, &outcome),
        CheckFormat::Markdown => markdown::check(ctx.out, &outcome, &policy),
        CheckFormat::Human => table::check(ctx.out, ctx.painter, &outcome, &policy),
    };
    // The verdict stands whether or not anyone read the report (`check | head -1`).
    crate::commands::unless_closed_pipe(written)?;
    let failed = outcome.failed;
    crate::commands::leave(outcome);
    drop(items);
    crate::commands::leave(pairing);
    crate::commands::leave(project);
    Ok(if failed {
        crate::exit::PROBLEMS
    } else {
        crate::exit::OK
    })
}

#[derive(Serialize)]
struct ImpactJson<'a> {
    version: u32,
    base: BaseJson<'a>,
    passed: bool,
    fail_on: Vec<&'static str>,
    #[serde(flatten)]
    impact: &'a crate::impact::Impact<'a>,
}

#[derive(Serialize)]
struct BaseJson<'a> {
    rev: &'a str,
    commit: &'a str,
    /// Whether there was a publication at the base (false: this change starts it).
    publication: bool,
}

/// `check --base REF`: the publication at REF against the working tree.
fn impact(
    ctx: &mut Context,
    project: &crate::project::Project,
    opts: &Options,
    policy: &Policy,
    rev: &str,
) -> Result<u8> {
    let config = &project.config;
    let base = crate::impact::checkout(&config.root, rev)?;
    if let Some(source_root) = &config.layout.source_root {
        base.share_originals(source_root, &config.root.join(source_root))?;
    }
    // The base is read with tandem.yaml as it is now, so the comparison is of what the change
    // does to the content (a change to the configuration alone changes nothing), also when
    // tandem.yaml is itself new.
    let location = crate::project::Location {
        dir: Some(base.root.clone()),
        config: config
            .file
            .as_ref()
            .map(|f| f.canonicalize().unwrap_or_else(|_| f.clone())),
    };
    let at_base = |e: Error| {
        let message = format!("at {rev}: {}", e.message);
        Error { message, ..e }
    };
    // A publication that this change starts (no originals at REF, or not even its folder):
    // there was nothing before, so every pair is new.
    let opens =
        base.root.is_dir() && (config.file.is_some() || base.root.join("articles").is_dir());
    let base_project = match opens {
        true => Some(crate::project::Project::open(&location).map_err(at_base)?),
        false => None,
    };
    let base_project = base_project.filter(|p| {
        !crate::scan::list_originals(&p.config, crate::scan::ScanOptions::cached()).is_empty()
    });
    let publication = base_project.is_some();
    let everything = Ask {
        keep: &|_| true,
        work_only: false,
        // The new articles are found among them.
        articles: true,
        pairs: true,
        langs: &[],
        only: None,
    };
    let before = match &base_project {
        Some(p) => p.pair(None, &everything).map_err(at_base)?,
        None => crate::pairs::Pairing::default(),
    };
    let now = crate::commands::pair_with_progress(project, &everything)?;
    let impact = crate::impact::compare(&before, &now, &opts.langs, policy);
    let written = match opts.format {
        CheckFormat::Json => json::write(
            ctx.out,
            &ImpactJson {
                version: 1,
                base: BaseJson {
                    rev: &base.rev,
                    commit: &base.commit,
                    publication,
                },
                passed: impact.passed(),
                fail_on: policy.fail_on.iter().map(|s| s.name()).collect(),
                impact: &impact,
            },
        ),
        CheckFormat::Github => crate::render::impact::github(ctx.out, &impact),
        CheckFormat::Markdown => {
            crate::render::impact::markdown(ctx.out, &impact, &base.rev, &base.commit, publication)
        }
        CheckFormat::Human => crate::render::impact::text(
            ctx.out,
            ctx.painter,
            &impact,
            &base.rev,
            &base.commit,
            publication,
        ),
    };
    crate::commands::unless_closed_pipe(written)?;
    Ok(if impact.passed() {
        crate::exit::OK
    } else {
        crate::exit::PROBLEMS
    })
}
