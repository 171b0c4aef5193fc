//! `tandem mark`: records that translations are up to date with their original as it is now.
//! Only the `source_hash` (and `status`) values change; every other byte of the file stays.

use crate::cli::MarkArgs;
use crate::commands::Context;
use crate::config::BaselineKind;
use crate::document::{record_commit, stamp};
use crate::document::{Article, Progress};
use crate::error::{Error, Result};
use crate::write::{check_inside, stage};

#[derive(Debug, Clone)]
pub struct Options {
    pub ids: Vec<String>,
    pub langs: Vec<String>,
    pub all_langs: bool,
}

impl From<MarkArgs> for Options {
    fn from(a: MarkArgs) -> Self {
        Options {
            ids: a.ids,
            langs: a.langs,
            all_langs: a.all_langs,
        }
    }
}

/// One file to rewrite.
struct Planned {
    path: String,
    old_text: String,
    new_text: String,
    /// The field written: `source_hash`, or the commit field.
    field: String,
    old_value: Option<String>,
    new_value: String,
    was_draft: bool,
}

pub fn execute(ctx: &mut Context, opts: &Options) -> Result<u8> {
    let project = ctx.open()?;
    let _lock = crate::lock::take(&project.config.root, false)?;
    let opts = &Options {
        langs: crate::commands::check_langs(&project, &opts.langs)?,
        ..opts.clone()
    };
    let originals = project.originals()?;
    let commits = crate::baseline::CommitBaselines::new(&project.config);

    // Everything is checked before anything is written: a bad id or language changes nothing.
    let mut articles: Vec<Article> = Vec::new();
    // The versions of translations that others were made from, marked against.
    let mut pivots: Vec<Article> = Vec::new();
    let mut plans: Vec<Planned> = Vec::new();
    for id in &opts.ids {
        let original = project.find_original(originals, id)?;
        let (article, _) = project.read_article(&original.path)?;
        let of_article = project.translations_of(
            &article.id,
            (!opts.all_langs).then_some(opts.langs.as_slice()),
        );
        let of_article: Vec<_> = of_article.iter().collect();
        let chosen: Vec<_> = if opts.all_langs {
            of_article
        } else {
            let mut chosen = Vec::new();
            for lang in &opts.langs {
                match of_article
                    .iter()
                    .find(|t| t.folder_lang.as_deref() == Some(lang.as_str()))
                {
                    Some(t) => chosen.push(*t),
                    None => {
                        return Err(Error::new(format!(
                            "`{}` has no `{lang}` translation to mark",
                            article.id
                        ))
                        .with_hint(format!(
                            "start one with `tandem new {} --lang {}`",
                            crate::render::shell_arg(&article.id),
                            crate::render::shell_arg(lang)
                        )))
                    }
                }
            }
            chosen
        };
        if chosen.is_empty() {
            return Err(Error::new(format!(
                "`{}` has no translations to mark",
                article.id
            )));
        }
        for t in chosen {
            let lang = t.folder_lang.as_deref().unwrap_or_default().to_string();
            if let Err(d) = &t.result {
                return Err(Error::from(d.clone()).with_hint("fix the file, then mark it"));
            }
            if lang == article.lang {
                return Err(Error::new(format!(
                    "{} is a translation into the original's own language `{lang}`",
                    t.path
                )));
            }
            let (translation, text) = project.read_translation(&t.path, &lang)?;
            // Marked all the same (a page of names and figures can be the same in every
            // language), but never without a word.
            if let Some((same, prose)) = copied(&article, &text) {
                ctx.warn(&format!(
                    "{} is still mostly a copy of its original: {same} of its {prose} paragraphs are the original's, word for word; marked as asked",
                    t.path
                ))?;
            }
            let default_id = t.default_id.clone();
            // The configured kind is recorded, unless the translation already has a stamp
            // (which judges it whatever the kind).
            let commit_field = match &project.config.baseline {
                // A translation made from another is judged by a stamp of that one's version.
                BaselineKind::CommitField(f)
                    if translation.source_hash.is_none()
                        && crate::pairs::pivot_of(&translation.translated_from, &article.lang)
                            .is_none() =>
                {
                    Some(f)
                }
                _ => None,
            };
            let (field, old_value, new_value, new_text) = match commit_field {
                Some(field) => {
                    let head = commits.head().map(str::to_string).ok_or_else(|| {
                        Error::new(format!(
                            "`{field}` records a commit of the originals, but they are not in a git repository"
                        ))
                    })?;
                    let current = std::fs::read(project.abs(&article.path))
                        .map_err(|e| Error::io(&project.abs(&article.path), &e, "read"))?;
                    let committed = commits
                        .committed(&article.path, &current)
                        .map_err(Error::new)?;
                    if !committed {
                        return Err(Error::new(format!(
                            "{} has changes that are not committed: no commit holds the version it would be marked up to date with",
                            article.path
                        ))
                        .with_path(&article.path)
                        .with_hint("commit the original first, then mark its translations"));
                    }
                    let new_text = record_commit(
                        &text,
                        &t.path,
                        &default_id,
                        &lang,
                        &project.config,
                        field,
                        &head,
                    )
                    .map_err(|d| {
                        Error::from(d).with_hint(format!("set `{field}` in this file by hand"))
                    })?;
                    (
                        field.clone(),
                        translation.recorded_commit.clone(),
                        head,
                        new_text,
                    )
                }
                None => {
                    // Made from another translation: the stamp is of that one's version.
                    let from = crate::pairs::pivot_of(&translation.translated_from, &article.lang);
                    let fingerprint = match (from, &original.result) {
                        (Some(from), Ok(summary)) => {
                            let mut seen = vec![t.path.clone()];
                            let pivot =
                                crate::pairs::read_pivot(&project.config, summary, from, &mut seen)
                                    .map_err(|(m, _)| Error::new(format!("{}: {m}", t.path)))?;
                            if let Some(why) = &pivot.behind {
                                ctx.warn(&format!(
                                    "{} is made from {}, which needs work itself ({why}); marked as asked",
                                    t.path, pivot.path
                                ))?;
                            }
                            let fingerprint = pivot.article.fingerprint.clone();
                            pivots.push(pivot.article);
                            fingerprint
                        }
                        _ => article.fingerprint.clone(),
                    };
                    let new_text = stamp(
                        &text,
                        &t.path,
                        &default_id,
                        &lang,
                        &project.config,
                        &fingerprint,
                    )
                    .map_err(|d| {
                        Error::from(d).with_hint("set `source_hash` in this file by hand")
                    })?;
                    (
                        project.config.fields.source_hash.clone(),
                        translation.source_hash.clone(),
                        fingerprint,
                        new_text,
                    )
                }
            };
            check_inside(&project.config.root, &project.abs(&t.path), &t.path)?;
            plans.push(Planned {
                path: t.path.clone(),
                old_text: text,
                new_text,
                field,
                old_value,
                new_value,
                was_draft: translation.progress == Progress::Draft,
            });
        }
        articles.push(article);
    }

    for article in articles.iter().chain(&pivots) {
        if project.store.save(article)? {
            writeln!(
                ctx.out,
                "saved snapshot {}",
                project.store.relative_path(&article.fingerprint)
            )?;
        }
    }
    // Every new version is written beside its file first; only when all are written are they
    // put in place, so a failure (a read-only file, a full disk) changes no translation.
    let mut staged = Vec::new();
    for plan in &plans {
        if plan.new_text != plan.old_text {
            staged.push(Some(stage(
                &project.abs(&plan.path),
                plan.new_text.as_bytes(),
            )?));
        } else {
            staged.push(None);
        }
    }
    for (plan, staged) in plans.into_iter().zip(staged) {
        let Some(staged) = staged else {
            writeln!(ctx.out, "unchanged {}: already up to date", plan.path)?;
            continue;
        };
        staged.commit()?;
        let mut what = vec![format!(
            "{} {} -> {}",
            plan.field,
            plan.old_value.as_deref().map(short).unwrap_or("(none)"),
            short(&plan.new_value)
        )];
        if plan.was_draft {
            what.push("status draft -> done".to_string());
        }
        writeln!(ctx.out, "marked {}: {}", plan.path, what.join(", "))?;
    }
    Ok(crate::exit::OK)
}

/// The first characters of a fingerprint, enough to tell versions apart in a message.
fn short(hash: &str) -> &str {
    &hash[..hash.len().min(10)]
}

/// When at least four in five of a translation's prose paragraphs are the original's own,
/// word for word: how many, of how many. Prose as [`crate::blocks::paragraph_keys`] tells it:
/// code (fenced, in a list item too) and lists of links, the same in every language, are not.
fn copied(article: &Article, text: &str) -> Option<(usize, usize)> {
    let body = crate::frontmatter::split(text).ok()?.body;
    let prose = crate::blocks::paragraph_keys(body);
    let same = prose
        .iter()
        .filter(|k| article.paragraphs.binary_search(k).is_ok())
        .count();
    (prose.len() >= 2 && same * 5 >= prose.len() * 4).then_some((same, prose.len()))
}
