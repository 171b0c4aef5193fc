//! `tandem diff`: how the original changed since a translation's baseline.

use crate::cli::{DiffArgs, TextFormat};
use crate::commands::Context;
use crate::diff::{diff_blocks, DiffReport};
use crate::error::{Error, Result};
use crate::render::{diff as render_diff, json};

#[derive(Debug, Clone)]
pub struct Options {
    pub id: String,
    pub lang: String,
    pub format: TextFormat,
}

impl From<DiffArgs> for Options {
    fn from(a: DiffArgs) -> Self {
        Options {
            id: a.id,
            lang: a.lang,
            format: a.format,
        }
    }
}

pub fn execute(ctx: &mut Context, opts: &Options) -> Result<u8> {
    let project = ctx.open()?;
    let opts = &Options {
        lang: project.config.language(&opts.lang)?,
        ..opts.clone()
    };
    let originals = project.originals()?;
    let original = project.find_original(originals, &opts.id)?;
    let (article, _) = project.read_article(&original.path)?;
    let found = project
        .translations_of(&article.id, Some(std::slice::from_ref(&opts.lang)))
        .into_iter()
        .next();
    let Some(found) = found else {
        return Err(Error::new(format!(
            "`{}` has no `{}` translation yet",
            article.id, opts.lang
        ))
        .with_hint(format!(
            "start one with `tandem new {} --lang {}`",
            crate::render::shell_arg(&article.id),
            crate::render::shell_arg(&opts.lang)
        )));
    };
    if let Err(d) = &found.result {
        return Err(Error::from(d.clone()).with_hint("fix the translation's front matter first"));
    }
    let (translation, _) = project.read_translation(&found.path, &opts.lang)?;
    // A translation made from another translation is compared with that one.
    let article = match (
        crate::pairs::pivot_of(&translation.translated_from, &article.lang),
        &original.result,
    ) {
        (Some(from), Ok(summary)) => {
            let mut seen = vec![translation.path.clone()];
            crate::pairs::read_pivot(&project.config, summary, from, &mut seen)
                .map_err(|(m, _)| Error::new(m).with_path(&translation.path))?
                .article
        }
        _ => article,
    };
    // With no known baseline, the way out is to check the translation by hand and mark it.
    let no_baseline = |why: String| {
        Error::new(why)
            .with_path(&translation.path)
            .with_hint(format!(
            "check the translation against {} as it is now, then run `tandem mark {} --lang {}`",
            article.path,
            crate::render::shell_arg(&article.id),
            crate::render::shell_arg(&opts.lang)
        ))
    };
    // Without a stamp, the commit the translation records (when that is the publication's way).
    let commits = crate::baseline::CommitBaselines::new(&project.config);
    let recorded = match (
        &translation.source_hash,
        &project.config.baseline,
        &translation.recorded_commit,
    ) {
        (None, crate::config::BaselineKind::CommitField(field), Some(value)) => {
            Some((field.clone(), value.clone()))
        }
        (None, crate::config::BaselineKind::Git { .. }, _) => {
            if let Some(why) = commits.history_problem() {
                return Err(Error::new(why).with_hint(crate::baseline::HISTORY_HINT));
            }
            match commits.last_change(&translation.path).map_err(Error::new)? {
                Some(commit) => Some(("history".to_string(), commit.to_string())),
                None => {
                    return Err(no_baseline(format!(
                        "{} has never been committed, so its history records no version of the original",
                        translation.path
                    )))
                }
            }
        }
        _ => None,
    };
    // The baseline version's blocks, or the recorded value and why it gives none.
    let found: std::result::Result<(String, Vec<crate::blocks::Block>), (String, String)> =
        match recorded {
            Some((field, value)) => commits
                .blocks_at(&value, &article.path, &article.id)
                .map(|(resolved, blocks)| (resolved.commit, blocks))
                .map_err(|why| {
                    let why =
                        format!("its `{field}: {value}` gives no version of the original: {why}");
                    (value, why)
                }),
            None => {
                let Some(stamp) = translation.source_hash.clone() else {
                    return Err(no_baseline(format!(
                        "{} has no source_hash: nothing records which version of the original it was made from",
                        translation.path
                    )));
                };
                if stamp == article.fingerprint {
                    Ok((stamp, article.units.clone()))
                } else {
                    match project.store.load(&stamp) {
                        Some(snapshot) => Ok((stamp, snapshot.blocks())),
                        None if project.store.exists(&stamp) => {
                            let why = format!(
                                "the snapshot that the source_hash of {} names is corrupt ({} is not the version its name says), so what changed since is unknown",
                                translation.path,
                                project.store.relative_path(&stamp)
                            );
                            Err((stamp, why))
                        }
                        None => {
                            let why = format!(
                                "the source_hash of {} matches no snapshot of the original, so what changed since is unknown",
                                translation.path
                            );
                            Err((stamp, why))
                        }
                    }
                }
            }
        };
    match found {
        Ok((baseline, old_blocks)) => {
            show(ctx, opts, &article, &translation, baseline, &old_blocks)
        }
        Err((value, why)) => {
            // A script asking for JSON gets JSON, saying so, before the error.
            if opts.format == TextFormat::Json {
                json::write(
                    ctx.out,
                    &UnknownBaseline {
                        version: 1,
                        id: &article.id,
                        lang: &opts.lang,
                        source: &article.path,
                        translation: &translation.path,
                        baseline: "unknown",
                        source_hash: &value,
                        current: &article.fingerprint,
                        message: &why,
                    },
                )?;
            }
            Err(no_baseline(why))
        }
    }
}

/// Writes the diff of the original from `old_blocks` (the baseline version) to now.
fn show(
    ctx: &mut Context,
    opts: &Options,
    article: &crate::document::Article,
    translation: &crate::document::Translation,
    baseline: String,
    old_blocks: &[crate::blocks::Block],
) -> Result<u8> {
    let (summary, changes) = diff_blocks(old_blocks, &article.units, &translation.units);
    let report = DiffReport {
        version: 1,
        id: article.id.clone(),
        lang: opts.lang.clone(),
        source: article.path.clone(),
        translation: translation.path.clone(),
        baseline,
        current: article.fingerprint.clone(),
        summary,
        changes,
    };
    match opts.format {
        TextFormat::Json => json::write(ctx.out, &report)?,
        TextFormat::Text => render_diff::text(ctx.out, ctx.painter, &report)?,
    }
    Ok(crate::exit::OK)
}

/// `diff --format json` when the baseline is unknown: what is known, and why the rest is not.
#[derive(serde::Serialize)]
struct UnknownBaseline<'a> {
    version: u32,
    id: &'a str,
    lang: &'a str,
    source: &'a str,
    translation: &'a str,
    baseline: &'static str,
    source_hash: &'a str,
    current: &'a str,
    message: &'a str,
}
