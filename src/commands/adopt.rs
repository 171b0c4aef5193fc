//! `tandem adopt`: moves translations judged from git (a recorded commit, or history) to
//! stamps: each gets the `source_hash` of the version of the original it was made from, and
//! that version's snapshot, so verdicts and diffs keep working on shallow clones and without
//! git. Nothing else in the files changes.

use crate::commands::Context;
use crate::document::stamp;
use crate::error::{Error, Result};
use crate::pairs::Ask;
use crate::write::{check_inside, stage};

pub fn execute(ctx: &mut Context, dry_run: bool) -> Result<u8> {
    let project = ctx.open()?;
    let _lock = crate::lock::take(&project.config.root, false)?;
    let pairing = project.pair(
        None,
        &Ask {
            keep: &|i| i.judged_by.as_ref().is_some_and(|j| j.kind != "stamp"),
            work_only: false,
            articles: true,
            pairs: true,
            langs: &[],
            only: None,
        },
    )?;
    let commits = crate::baseline::CommitBaselines::new(&project.config);
    // Everything is worked out before anything is written.
    let mut plans = Vec::new();
    let mut skipped = 0;
    for item in &pairing.items {
        let (Some(judged), Some(path)) = (&item.judged_by, &item.translation) else {
            continue;
        };
        let Some(commit) = &judged.commit else {
            // No version of the original could be had: nothing to record.
            skipped += 1;
            continue;
        };
        let Some(original) = pairing.articles.iter().find(|a| a.id == *item.id) else {
            continue;
        };
        let (_, baseline) = commits
            .article_at(commit, &original.path, &original.id)
            .map_err(Error::new)?;
        let (translation, text) = project.read_translation(path, item.lang)?;
        let new_text = stamp(
            &text,
            path,
            &translation.id,
            item.lang,
            &project.config,
            &baseline.fingerprint,
        )
        .map_err(|d| Error::from(d).with_hint("set `source_hash` in this file by hand"))?;
        check_inside(&project.config.root, &project.abs(path), path)?;
        plans.push((path.clone(), new_text, baseline, judged.clone(), item.state));
    }
    let verb = if dry_run { "would record" } else { "recorded" };
    if !dry_run {
        for (_, _, baseline, _, _) in &plans {
            project.store.save(baseline)?;
        }
        let mut staged = Vec::new();
        for (path, new_text, ..) in &plans {
            staged.push(stage(&project.abs(path), new_text.as_bytes())?);
        }
        for s in staged {
            s.commit()?;
        }
    }
    for (path, _, baseline, judged, state) in &plans {
        writeln!(
            ctx.out,
            "{verb} {path}: source_hash {} (the original at {} {}), {state}",
            &baseline.fingerprint[..10],
            judged.field,
            crate::baseline::short(judged.commit.as_deref().unwrap_or_default())
        )?;
    }
    let what = if plans.len() == 1 {
        "translation"
    } else {
        "translations"
    };
    writeln!(
        ctx.out,
        "{verb} stamps for {} {what}{}",
        plans.len(),
        if skipped > 0 {
            format!("; {skipped} left as they are: no version of their original could be had")
        } else {
            String::new()
        }
    )?;
    Ok(crate::exit::OK)
}
