//! What a change does to the translations (`check --base REF`): the publication as it was at a
//! base commit against the working tree, pair by pair.
//!
//! The base is checked out into a temporary clone that shares the repository's objects
//! (`git clone --shared`), so every baseline kind works there as it does here: stamps and
//! snapshots from the files, commit fields and git history from the clone's own HEAD. Nothing
//! in the user's repository or working tree is touched.

use crate::check::{check, Policy, Severity};
use crate::error::{Error, Result};
use crate::pairs::{Item, Pairing};
use crate::state::State;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The publication at the base commit, in a temporary clone removed when this is dropped.
pub struct Base {
    dir: tempfile::TempDir,
    /// The project root inside the clone.
    pub root: PathBuf,
    /// The revision as given (`main`, `origin/main`, a hash).
    pub rev: String,
    /// The full commit it names.
    pub commit: String,
}

/// Runs `git` with these arguments in `dir`; its stdout, or an error saying what failed.
fn git(dir: &Path, args: &[&str]) -> std::result::Result<String, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .map_err(|e| format!("could not run git: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

/// Checks out `rev` of the repository holding `root` into a temporary clone, and gives the
/// project root inside it.
pub fn checkout(root: &Path, rev: &str) -> Result<Base> {
    let no_repo = |e: String| {
        Error::new(format!(
            "--base {rev}: {} is not in a git repository ({e})",
            root.display()
        ))
        .with_hint("--base compares with a commit: run it in a clone of the publication")
    };
    let top = PathBuf::from(git(root, &["rev-parse", "--show-toplevel"]).map_err(no_repo)?);
    if rev.starts_with('-') {
        return Err(Error::new(format!("--base {rev}: not a revision")));
    }
    let commit = git(
        root,
        &["rev-parse", "--verify", "--quiet", &format!("{rev}^{{commit}}")],
    )
    .ok()
    .filter(|c| !c.is_empty())
    .ok_or_else(|| {
        Error::new(format!("--base {rev}: no such commit in this repository")).with_hint(
            "fetch it first (`git fetch origin main`; in GitHub Actions, check out with `fetch-depth: 0`)",
        )
    })?;
    let real_root = root
        .canonicalize()
        .map_err(|e| Error::io(root, &e, "read"))?;
    let real_top = top
        .canonicalize()
        .map_err(|e| Error::io(&top, &e, "read"))?;
    let inside = real_root
        .strip_prefix(&real_top)
        .map_err(|_| {
            Error::new(format!(
                "--base: {} is outside its repository",
                root.display()
            ))
        })?
        .to_path_buf();
    let dir = tempfile::Builder::new()
        .prefix("tandem-base-")
        .tempdir()
        .map_err(|e| Error::new(format!("could not make a temporary folder: {e}")))?;
    let clone = dir.path().join("base");
    let failed = |what: &str, e: String| Error::new(format!("--base {rev}: could not {what}: {e}"));
    let clone_arg = clone.to_string_lossy().into_owned();
    let top_arg = real_top.to_string_lossy().into_owned();
    git(
        dir.path(),
        &[
            "clone",
            "--quiet",
            "--shared",
            "--no-checkout",
            &top_arg,
            &clone_arg,
        ],
    )
    .map_err(|e| failed("clone the repository", e))?;
    git(&clone, &["checkout", "--quiet", "--detach", &commit])
        .map_err(|e| failed("check it out", e))?;
    Ok(Base {
        root: clone.join(inside),
        dir,
        rev: rev.to_string(),
        commit,
    })
}

impl Base {
    /// Originals kept in another repository (`source_root: ../content`) are not part of this
    /// repository's commits: the base sees them as they are now, through a link at the place
    /// `source_root` names from the base's root (inside the temporary folder). A change then
    /// counts what it does to the translations, as the originals' repository has no part in it.
    pub fn share_originals(&self, source_root: &str, originals_now: &Path) -> Result<()> {
        let at_base = self.root.join(source_root);
        let clone = self.dir.path().join("base");
        let in_repository = crate::write::is_inside(&clone, &at_base);
        if in_repository || !crate::write::is_inside(self.dir.path(), &at_base) || at_base.exists()
        {
            // In the repository (its version at the base is the one to use), or out of reach.
            return Ok(());
        }
        let target = originals_now
            .canonicalize()
            .map_err(|e| Error::io(originals_now, &e, "read"))?;
        if let Some(parent) = at_base.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, &e, "create"))?;
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(&target, &at_base)
            .map_err(|e| Error::io(&at_base, &e, "create"))?;
        Ok(())
    }
}

/// A pair whose state the change altered: as it is now, and what it was at the base.
#[derive(Debug, Serialize)]
pub struct Changed<'a> {
    #[serde(flatten)]
    pub item: &'a Item<'a>,
    /// Its state at the base; null when the pair did not exist there.
    pub was: Option<State>,
}

/// An original the change adds, and the languages it needs translating into.
#[derive(Debug, Serialize)]
pub struct NewArticle<'a> {
    pub id: &'a str,
    pub source: &'a str,
    pub words: u32,
    pub to_translate: Vec<&'a str>,
}

/// Everything the change does to the translations.
#[derive(Debug, Serialize)]
pub struct Impact<'a> {
    /// Translations up to date (or drafts) at the base that the change makes outdated.
    pub made_outdated: Vec<Changed<'a>>,
    /// Translations the change brings up to date.
    pub brought_up_to_date: Vec<Changed<'a>>,
    /// Translations the change leaves without an original, or unreadable.
    pub broken: Vec<Changed<'a>>,
    /// Originals the change adds.
    pub new_articles: Vec<NewArticle<'a>>,
    /// Pairs that fail the policy now and did not at the base (in any state).
    pub new_problems: Vec<Changed<'a>>,
}

impl Impact<'_> {
    /// Whether the change leaves no new problem.
    pub fn passed(&self) -> bool {
        self.new_problems.is_empty()
    }

    /// Whether the change does nothing to any translation.
    pub fn is_empty(&self) -> bool {
        self.made_outdated.is_empty()
            && self.brought_up_to_date.is_empty()
            && self.broken.is_empty()
            && self.new_articles.is_empty()
    }
}

/// Compares every pair of the base with the pair now, in the languages asked (all when empty).
pub fn compare<'a>(
    base: &Pairing,
    now: &'a Pairing<'a>,
    langs: &[String],
    policy: &Policy,
) -> Impact<'a> {
    let wanted = |lang: &str| langs.is_empty() || langs.iter().any(|l| l == lang);
    let was: FxHashMap<(&str, &str), State> = base
        .items
        .iter()
        .filter(|i| wanted(i.lang))
        .map(|i| ((i.id.as_ref(), i.lang), i.state))
        .collect();
    // A pair that failed the policy at the base is not a new problem, whatever its state now.
    let failing = |pairing: &Pairing| -> FxHashSet<(String, String)> {
        let items: Vec<&Item> = pairing.items.iter().filter(|i| wanted(i.lang)).collect();
        check(pairing, &items, policy)
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| (f.item.id.to_string(), f.item.lang.to_string()))
            .collect()
    };
    let failed_before = failing(base);
    let base_ids: FxHashSet<&str> = base.articles.iter().map(|a| a.id.as_str()).collect();
    let mut impact = Impact {
        made_outdated: Vec::new(),
        brought_up_to_date: Vec::new(),
        broken: Vec::new(),
        new_articles: Vec::new(),
        new_problems: Vec::new(),
    };
    for item in now.items.iter().filter(|i| wanted(i.lang)) {
        let before = was.get(&(item.id.as_ref(), item.lang)).copied();
        let changed = || Changed { item, was: before };
        if before == Some(item.state) {
            continue;
        }
        match item.state {
            State::Outdated if before.is_some() => impact.made_outdated.push(changed()),
            State::UpToDate => impact.brought_up_to_date.push(changed()),
            State::Orphaned | State::Invalid => impact.broken.push(changed()),
            _ => {}
        }
        if policy.judge(item.state, item.lang) == Some(Severity::Error)
            && !failed_before.contains(&(item.id.to_string(), item.lang.to_string()))
        {
            impact.new_problems.push(changed());
        }
    }
    for a in &now.articles {
        if base_ids.contains(a.id.as_str()) {
            continue;
        }
        let to_translate: Vec<&str> = now
            .items
            .iter()
            .filter(|i| i.id == a.id && wanted(i.lang) && i.state != State::UpToDate)
            .map(|i| i.lang)
            .collect();
        if langs.is_empty() || !to_translate.is_empty() {
            impact.new_articles.push(NewArticle {
                id: &a.id,
                source: &a.path,
                words: a.words,
                to_translate,
            });
        }
    }
    impact
}
