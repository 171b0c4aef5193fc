//! `tandem show`: one article, its file, and every language's state.

use crate::cli::TextFormat;
use crate::commands::Context;
use crate::config::BaselineKind;
use crate::document::{Original, Progress};
use crate::error::Result;
use crate::pairs::{Ask, Item, JudgedBy, Pairing};
use crate::render::table::{new_table, state_cell, write_table};
use crate::render::{clean, details, thousands};
use crate::state::State;
use comfy_table::Cell;
use std::borrow::Cow;

pub fn execute(ctx: &mut Context, id: &str, format: TextFormat) -> Result<u8> {
    let project = ctx.open()?;
    let originals = project.originals()?;
    let scanned = project.find_original(originals, id)?;
    let quick = match &scanned.result {
        Ok(original) => from_stored(&project, original)?,
        Err(_) => None,
    };
    let pairing = match quick {
        Some(p) => p,
        None => project.pair(
            None,
            &Ask {
                keep: &|i| i.id == id || i.state == State::Orphaned,
                work_only: false,
                articles: true,
                pairs: true,
                langs: &[],
                only: Some(id),
            },
        )?,
    };
    let article = match &scanned.result {
        Ok(o) if pairing.articles.is_empty() => Some(o),
        _ => pairing.articles.iter().copied().find(|a| a.id == id),
    };
    let Some(article) = article else {
        // A duplicate id: find_original found the file, pairing ignored it.
        return Err(match error_naming(&pairing, id) {
            Some(d) => d.clone().into(),
            None => crate::Error::new(format!("unknown article `{id}`")),
        });
    };
    let items: Vec<&Item> = pairing.items.iter().filter(|i| i.id == id).collect();
    // Orphaned translations that look like this article's, its original renamed.
    let mut orphans: Vec<&crate::pairs::Item> = pairing
        .items
        .iter()
        .filter(|i| i.looks_like.as_deref().is_some_and(|(to, _)| to == id))
        .collect();
    orphans.sort_by(|a, b| a.translation.cmp(&b.translation));
    let targets = article.target_list(&project.config.languages);
    if format == TextFormat::Json {
        let report = crate::render::json::ShowReport {
            version: 1,
            article: crate::render::json::ArticleInfo {
                id: &article.id,
                title: article.title.as_deref(),
                path: &article.path,
                lang: &article.lang,
                words: article.words,
                fingerprint: &article.fingerprint,
                translate_to: targets,
            },
            items,
            looks_like: orphans
                .iter()
                .map(|o| crate::render::json::LooksLike {
                    lang: o.lang,
                    translation: o.translation.as_deref().unwrap_or_default(),
                    id: &o.id,
                    command: format!(
                        "tandem mv {} {}",
                        crate::render::shell_arg(&o.id),
                        crate::render::shell_arg(id)
                    ),
                })
                .collect(),
        };
        crate::commands::unless_closed_pipe(crate::render::json::write(ctx.out, &report))?;
        return Ok(crate::exit::OK);
    }
    let p = ctx.painter;
    writeln!(ctx.out, "{}", p.bold(&clean(&article.id)))?;
    let mut fields: Vec<(&str, String)> = Vec::new();
    if let Some(title) = &article.title {
        fields.push(("title", clean(title)));
    }
    fields.push(("file", clean(&article.path)));
    fields.push(("language", article.lang.clone()));
    fields.push(("words", thousands(article.words.into())));
    fields.push(("fingerprint", article.fingerprint.clone()));
    fields.push(("translate to", targets.join(", ")));
    for (name, value) in fields {
        writeln!(ctx.out, "  {:<13} {value}", format!("{name}:"))?;
    }
    writeln!(ctx.out)?;
    let mut table = new_table(p, &["LANG", "STATE", "TRANSLATOR", "FILE", "DETAILS"]);
    for item in &items {
        table.add_row(vec![
            Cell::new(item.lang),
            state_cell(item.state),
            Cell::new(clean(item.translator.as_deref().unwrap_or("-"))),
            Cell::new(clean(item.translation.as_deref().unwrap_or("-"))),
            Cell::new(details(item)),
        ]);
    }
    write_table(ctx.out, &table)?;
    if !orphans.is_empty() {
        writeln!(ctx.out)?;
        for o in orphans {
            writeln!(
                ctx.out,
                "{} looks like its {} translation: `tandem mv {} {}` moves it here",
                clean(o.translation.as_deref().unwrap_or_default()),
                o.lang,
                crate::render::shell_arg(&o.id),
                crate::render::shell_arg(id)
            )?;
        }
    }
    // What each verdict was judged from, so it can be checked by hand.
    let judged: Vec<(&str, String)> = items
        .iter()
        .filter_map(|i| Some((i.lang, judged_by(i.judged_by.as_ref()?))))
        .collect();
    if !judged.is_empty() {
        writeln!(ctx.out)?;
        writeln!(ctx.out, "judged by:")?;
        for (lang, how) in judged {
            writeln!(ctx.out, "  {lang:<5} {}", clean(&how))?;
        }
    }
    Ok(crate::exit::OK)
}

/// A baseline record in words: `source_hash 523175df4e…`, or the commit field, its value and
/// the commit it stands for.
fn judged_by(j: &crate::pairs::JudgedBy) -> String {
    if let Some(from) = &j.translated_from {
        return format!(
            "{} {} (of the {from} translation it was made from)",
            j.field, j.value
        );
    }
    match (&j.commit, &j.merge_base_of) {
        (Some(c), Some(off)) => format!(
            "{} {} (commit {off} is not in the originals' history: taken at its merge base {c})",
            j.field, j.value
        ),
        (Some(c), None) if *c != j.value => format!("{} {} (commit {c})", j.field, j.value),
        _ => format!("{} {}", j.field, j.value),
    }
}

/// The article's pairs, from the stored results for the languages they answer for (as
/// `status` gets them, and storing them for the others when paired): those hold only the
/// pairs that need work, so each such language's up-to-date pair, absent from them, is read
/// from its one file and checked to be up to date (done, made from the original, its stamp the
/// original's fingerprint). `None` when anything does not fit: then the article is judged
/// again alone.
fn from_stored<'a>(
    project: &'a crate::project::Project,
    original: &'a Original,
) -> Result<Option<Pairing<'a>>> {
    let config = &project.config;
    if config.baseline != BaselineKind::Stamp {
        return Ok(None);
    }
    let id = original.id.as_str();
    let mut pairing = project.pair(
        None,
        &Ask {
            keep: &|i| i.id == id || i.state == State::Orphaned,
            work_only: true,
            articles: false,
            pairs: true,
            langs: &[],
            only: None,
        },
    )?;
    // A problem naming the id (another file claiming it): judged again alone, as always.
    if error_naming(&pairing, id).is_some() {
        return Ok(None);
    }
    // Languages paired in this run kept every pair of the article, up-to-date ones included.
    let mut found = Vec::new();
    for lang in &config.languages {
        let stored = pairing.from_stored.contains(&lang.as_str());
        let listed = pairing.items.iter().any(|i| i.id == id && i.lang == lang);
        if !stored || listed || !original.targets(lang) {
            continue;
        }
        let Some(path) = config.translation_path(&original.path, id, lang) else {
            return Ok(None);
        };
        let Ok((t, _)) = project.read_translation(&path, lang) else {
            return Ok(None);
        };
        let up_to_date = t.id == id
            && t.progress == Progress::Done
            && t.translated_from.is_none()
            && t.source_hash.as_deref() == Some(original.fingerprint.as_str());
        if !up_to_date {
            return Ok(None);
        }
        let mut item = crate::pairs::item(Cow::Borrowed(id), lang, State::UpToDate);
        item.source = Some(Cow::Borrowed(&original.path));
        item.source_lang = Some(Cow::Borrowed(&original.lang));
        item.translation = Some(path.into());
        item.translator = t.translator.map(Into::into);
        item.judged_by = Some(std::sync::Arc::new(JudgedBy::stamp(
            &config.fields.source_hash,
            &original.fingerprint,
        )));
        found.push(item);
    }
    pairing.items.extend(found);
    Ok(Some(pairing))
}

/// A problem the pairing found that names the id (another file claiming it).
fn error_naming<'p>(pairing: &'p Pairing, id: &str) -> Option<&'p crate::Diagnostic> {
    let named = format!("`{id}`");
    pairing.errors.iter().find(|e| e.message.contains(&named))
}
