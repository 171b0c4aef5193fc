//! `tandem new`: scaffolds a translation as a draft stamped with the original's fingerprint.

use crate::cli::NewArgs;
use crate::commands::Context;
use crate::error::{Error, Result};
use crate::frontmatter::{line_ending, split};
use crate::write::{check_inside, create_dir_all, stage};

#[derive(Debug, Clone)]
pub struct Options {
    pub id: String,
    pub lang: String,
    pub empty: bool,
    pub force: bool,
}

impl From<NewArgs> for Options {
    fn from(a: NewArgs) -> Self {
        Options {
            id: a.id,
            lang: a.lang,
            empty: a.empty,
            force: a.force,
        }
    }
}

pub fn execute(ctx: &mut Context, opts: &Options) -> Result<u8> {
    let project = ctx.open()?;
    let _lock = crate::lock::take(&project.config.root, false)?;
    let opts = &Options {
        lang: project.config.language(&opts.lang)?,
        ..opts.clone()
    };
    let originals = project.originals()?;
    let original = project.find_original(originals, &opts.id)?;
    let (article, text) = project.read_article(&original.path)?;
    if article.lang == opts.lang {
        return Err(Error::new(format!(
            "`{}` is written in `{}`: there is nothing to translate into it",
            article.id, article.lang
        )));
    }
    if !project
        .config
        .translation_langs
        .iter()
        .any(|l| l.tag == opts.lang)
    {
        return Err(Error::new(format!(
            "translations into `{}` would lie where the originals are",
            opts.lang
        ))
        .with_hint(
            "the layout in tandem.yaml places that language's pages in the originals' folder",
        ));
    }
    let path = project
        .config
        .translation_path(&article.path, &article.id, &opts.lang)
        .ok_or_else(|| {
            Error::new(format!(
                "the layout cannot place a translation of `{}` into `{}`",
                article.id, opts.lang
            ))
        })?;
    let abs = project.abs(&path);

    // A translation may already exist under another file name (with `id:` in its front matter).
    let existing = project
        .translations_of(&article.id, Some(std::slice::from_ref(&opts.lang)))
        .into_iter()
        .next();
    if let Some(existing) = existing {
        if existing.path != path {
            return Err(Error::new(format!(
                "`{}` already has a `{}` translation in {}",
                article.id, opts.lang, existing.path
            ))
            .with_hint("edit that file, or delete it first"));
        }
    }
    if abs.exists() {
        // The file at that path may be another article's translation (its `id:` says so):
        // replacing it would destroy that one, --force or not.
        let owner = project
            .read_translation(&path, &opts.lang)
            .ok()
            .map(|(t, _)| t.id)
            .filter(|owner| *owner != article.id);
        if let Some(owner) = owner {
            return Err(Error::new(format!(
                "{path} is the translation of `{owner}` (its `id: {owner}`), not of `{}`",
                article.id
            ))
            .with_path(&path)
            .with_hint("move that file to its own article's place first; tandem will not replace another article's translation"));
        }
        if !opts.force {
            return Err(Error::new(format!("{path} already exists"))
                .with_path(&path)
                .with_hint("add --force to replace it with a new draft (its text will be lost)"));
        }
    }
    check_inside(&project.config.root, &abs, &path)?;
    if !article.targets.contains(&opts.lang) {
        ctx.warn(&format!(
            "`{}` is not in the article's translate_to ({})",
            opts.lang,
            article.targets.join(", ")
        ))?;
    }

    let eol = line_ending(&text);
    // The draft's front matter is written as the original's is: YAML, or TOML (Hugo, Zola).
    let toml = split(&text).is_ok_and(|s| s.toml);
    let (fence, field): (&str, fn(&str, &str) -> String) = if toml {
        ("+++", |name, value| {
            format!("{name} = {}", crate::toml::scalar(value))
        })
    } else {
        ("---", |name, value| {
            format!("{name}: {}", crate::yaml::scalar(value))
        })
    };
    let mut out = String::new();
    out.push_str(fence);
    out.push_str(eol);
    for unit in article
        .units
        .iter()
        .filter(|u| u.kind == crate::blocks::BlockKind::Field)
    {
        // Translatable fields are copied to be translated over: `title: …`.
        let (name, value) = unit
            .text
            .split_once(": ")
            .unwrap_or((unit.text.as_str(), ""));
        out.push_str(&field(name, value));
        out.push_str(eol);
    }
    let names = &project.config.fields;
    out.push_str(&field(&names.source_hash, &article.fingerprint));
    out.push_str(eol);
    out.push_str(&field(&names.status, "draft"));
    out.push_str(eol);
    out.push_str(fence);
    out.push_str(eol);
    if !opts.empty {
        let body = split(&text).map(|s| s.body).unwrap_or("");
        out.push_str(body);
    }

    if let Some(parent) = abs.parent() {
        create_dir_all(parent)?;
    }
    let replaced = abs.exists();
    // All or nothing: the draft is written beside its place first, and put there only once the
    // snapshot it points at is saved.
    let staged = stage(&abs, out.as_bytes())?;
    let saved = project.store.save(&article)?;
    staged.commit()?;
    writeln!(
        ctx.out,
        "{} {path}: a draft of {} ({}) to translate into {}",
        if replaced { "replaced" } else { "created" },
        article.path,
        article.lang,
        opts.lang
    )?;
    if saved {
        writeln!(
            ctx.out,
            "saved snapshot {}",
            project.store.relative_path(&article.fingerprint)
        )?;
    }
    writeln!(
        ctx.out,
        "when it is translated: tandem mark {} --lang {}",
        crate::render::shell_arg(&article.id),
        crate::render::shell_arg(&opts.lang)
    )?;
    Ok(crate::exit::OK)
}
