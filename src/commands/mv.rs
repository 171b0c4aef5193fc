//! `tandem mv OLD NEW`: renames an article, its original and every translation of it, each in
//! its layout's place. The files' bytes do not change (an `id:` field naming the old id is set
//! to the new one), so stamps stay valid and snapshots, named by fingerprint, still serve
//! `diff`. When the original has already been renamed (the translations are orphaned and NEW
//! is an article), it moves the translations alone. All or nothing: every move is planned and
//! checked first, and one that fails puts the files already moved back.

use crate::commands::Context;
use crate::error::{Error, Result};
use crate::frontmatter;
use crate::write::{check_inside, create_dir_all, stage};
use std::path::{Path, PathBuf};

/// One file to move.
struct Move {
    from: String,
    to: String,
    /// The new text, when a field must change (an `id:` naming the old id).
    text: Option<String>,
}

pub fn execute(ctx: &mut Context, old: &str, new: &str, dry_run: bool) -> Result<u8> {
    let project = ctx.open()?;
    let _lock = crate::lock::take(&project.config.root, false)?;
    crate::names::check_id(new).map_err(Error::new)?;
    if old == new {
        return Err(Error::new(format!("`{old}` is already its id")));
    }
    let config = &project.config;
    let originals = project.originals()?;
    let existing = |id: &str| {
        originals.files.iter().find(|s| match &s.result {
            Ok(o) => o.id == id,
            Err(_) => s.default_id == id,
        })
    };
    if let Some(s) = existing(new) {
        if existing(old).is_some() {
            return Err(Error::new(format!(
                "an article with the id `{new}` exists already: {}",
                s.path
            ))
            .with_path(&s.path)
            .with_hint("choose another id, or move that article first"));
        }
    }
    let mut moves: Vec<Move> = Vec::new();
    // The original, unless it has been renamed already.
    let target_original: String = match existing(old) {
        Some(_) => {
            let found = project.find_original(originals, old)?;
            let default = config.layout.original_id(&found.path).unwrap_or_default();
            if default != old {
                return Err(Error::new(format!(
                    "`{old}` is the id its `{}` field gives {}, not its path",
                    config.fields.id, found.path
                ))
                .with_path(&found.path)
                .with_hint(format!(
                    "set `{}: {new}` in that file instead",
                    config.fields.id
                )));
            }
            if config.layout.source_root.is_some() {
                return Err(Error::new(format!(
                    "{} is under `source_root`, which tandem never writes",
                    found.path
                ))
                .with_hint(
                    "rename it in its own repository; then `tandem mv` moves the translations",
                ));
            }
            let to = config
                .layout
                .original_path(&found.path, new)
                .ok_or_else(|| Error::new(format!("`{new}` cannot be an id of this layout")))?;
            moves.push(Move {
                from: found.path.clone(),
                to: to.clone(),
                text: None,
            });
            to
        }
        None => match existing(new) {
            Some(s) => s.path.clone(),
            None => {
                return Err(
                    Error::new(format!("no article has the id `{old}` or `{new}`"))
                        .with_hint("`tandem status --all` lists every article"),
                )
            }
        },
    };
    // Every translation of the old id, into the new id's place in its language.
    let mut found_any = false;
    for lang in &config.translation_langs {
        for s in project.translations_of(old, Some(std::slice::from_ref(&lang.tag))) {
            found_any = true;
            let to = config
                .layout
                .translation_path(&target_original, new, lang)
                .ok_or_else(|| Error::new(format!("`{new}` cannot be an id of this layout")))?;
            let default = config.layout.translation_id(&s.path, lang);
            let text = if default.as_deref() != Some(old) {
                // Paired by an `id:` field: the field names the new id.
                let text = std::fs::read_to_string(project.abs(&s.path))
                    .map_err(|e| Error::io(&project.abs(&s.path), &e, "read"))?;
                let set =
                    frontmatter::set_field(&text, &config.fields.id, &crate::yaml::scalar(new))
                        .map_err(|why| {
                            Error::new(format!("{}:{}: {}", s.path, why.line, why.message))
                                .with_path(&s.path)
                        })?;
                Some(set)
            } else {
                None
            };
            moves.push(Move {
                from: s.path.clone(),
                to,
                text,
            });
        }
    }
    if moves.is_empty() || (!found_any && existing(old).is_none()) {
        return Err(Error::new(format!("nothing has the id `{old}`"))
            .with_hint("`tandem status --all` lists every article"));
    }
    // Nothing is overwritten, and nothing leaves the project.
    for m in &moves {
        check_inside(&config.root, &project.abs(&m.from), &m.from)?;
        check_inside(&config.root, &project.abs(&m.to), &m.to)?;
        if std::fs::symlink_metadata(project.abs(&m.to)).is_ok() {
            return Err(Error::new(format!(
                "{} exists already: moving {} there would overwrite it",
                m.to, m.from
            ))
            .with_path(&m.to)
            .with_hint(
                "compare the two files and delete the one you do not want, then run this again",
            ));
        }
    }
    let verb = if dry_run { "would move" } else { "moved" };
    if !dry_run {
        // Every new name first: one that fails takes back those made, and nothing else has
        // changed; then the old names go.
        let mut made: Vec<PathBuf> = Vec::new();
        for m in &moves {
            let to = project.abs(&m.to);
            if let Err(e) = place(&project.abs(&m.from), &to, m.text.as_deref()) {
                for made in &made {
                    let _ = std::fs::remove_file(made);
                    remove_empty_parents(&config.root, made);
                }
                return Err(e);
            }
            made.push(to);
        }
        for m in &moves {
            let from = project.abs(&m.from);
            std::fs::remove_file(&from).map_err(|e| Error::io(&from, &e, "remove"))?;
            remove_empty_parents(&config.root, &from);
        }
    }
    for m in &moves {
        writeln!(ctx.out, "{verb} {} -> {}", m.from, m.to)?;
    }
    let files = if moves.len() == 1 { "file" } else { "files" };
    writeln!(
        ctx.out,
        "{verb} {} {files}: `{old}` is now `{new}`",
        moves.len()
    )?;
    if !dry_run && matches!(config.baseline, crate::config::BaselineKind::Git { .. }) {
        writeln!(
            ctx.out,
            "commit the move (`git add -A` and `git commit`) so the history follows it"
        )?;
    }
    Ok(crate::exit::OK)
}

/// Puts the file at `from` (or `text`, when given) at `to` too, without overwriting anything:
/// a second name linked to it, which fails when the name is taken (or a copy, where the file
/// system has no links).
fn place(from: &Path, to: &Path, text: Option<&str>) -> Result<()> {
    if let Some(parent) = to.parent() {
        create_dir_all(parent)?;
    }
    let bytes = match text {
        Some(text) => text.as_bytes().to_vec(),
        None => match std::fs::hard_link(from, to) {
            Ok(()) => return Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(Error::io(to, &e, "create"))
            }
            Err(_) => std::fs::read(from).map_err(|e| Error::io(from, &e, "read"))?,
        },
    };
    stage(to, &bytes)?.commit_new()
}

/// Removes the folders a move left empty, up to the project root.
fn remove_empty_parents(root: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == root || !d.starts_with(root) || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}
