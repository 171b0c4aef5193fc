//! Where a publication's files lie: the layout patterns (`content/{lang}/{id}.md`), the
//! languages' folders, and the mapping between an (id, language) and a path. Nothing else in
//! the engine builds a path from an id or takes an id from a path.

use crate::error::Diagnostic;
use crate::names::{check_id, check_lang, printable};
use std::path::{Path, PathBuf};

/// One piece of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Lit(String),
    /// `{md,mdx}`: one of these.
    Alt(Vec<String>),
    Id,
    Lang,
}

/// A layout pattern as written in tandem.yaml, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    text: String,
    pieces: Vec<Piece>,
}

impl Pattern {
    /// Parses a pattern; `with_lang` says whether it must hold `{lang}` (translations) or must
    /// not (originals).
    pub fn parse(text: &str, with_lang: bool) -> Result<Pattern, String> {
        let bad = |why: &str| {
            Err(format!(
                "`{}` is not a layout pattern: {why}",
                printable(text)
            ))
        };
        if text.starts_with('/') || text.contains('\\') || text.chars().any(char::is_control) {
            return bad("it must be a relative path with `/` between folders");
        }
        let mut pieces: Vec<Piece> = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix('{') {
                let Some(end) = after.find('}') else {
                    return bad("a `{` is not closed");
                };
                let inner = &after[..end];
                rest = &after[end + 1..];
                let piece = match inner {
                    "id" => Piece::Id,
                    "lang" => Piece::Lang,
                    _ if inner.contains(',') => {
                        let alts: Vec<String> = inner.split(',').map(str::to_string).collect();
                        if alts
                            .iter()
                            .any(|a| a.is_empty() || a.contains(['/', '{', '}']))
                        {
                            return bad("each alternative in `{a,b}` must be plain text");
                        }
                        Piece::Alt(alts)
                    }
                    _ => return bad("use `{id}`, `{lang}` or alternatives such as `{md,mdx}`"),
                };
                pieces.push(piece);
            } else {
                let end = rest.find('{').unwrap_or(rest.len());
                if rest[..end].contains('}') {
                    return bad("a `}` has no `{`");
                }
                pieces.push(Piece::Lit(rest[..end].to_string()));
                rest = &rest[end..];
            }
        }
        let count = |p: &Piece| pieces.iter().filter(|q| *q == p).count();
        if count(&Piece::Id) != 1 {
            return bad("it must hold `{id}` exactly once");
        }
        match (with_lang, count(&Piece::Lang)) {
            (true, 1) | (false, 0) => {}
            (true, _) => return bad("a translations pattern must hold `{lang}` exactly once"),
            (false, _) => return bad("an originals pattern cannot hold `{lang}`"),
        }
        for w in pieces.windows(2) {
            if matches!(
                (&w[0], &w[1]),
                (Piece::Id | Piece::Lang, Piece::Id | Piece::Lang)
            ) {
                return bad("`{id}` and `{lang}` must be apart (`{id}.{lang}.md`)");
            }
        }
        // The literal text must not climb out of its folder.
        let literal: String = pieces
            .iter()
            .map(|p| match p {
                Piece::Lit(s) => s.as_str(),
                _ => "x",
            })
            .collect();
        if literal
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == "..")
        {
            return bad("it has an empty, `.` or `..` folder name");
        }
        Ok(Pattern {
            text: text.to_string(),
            pieces,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The pattern for one language: `{lang}` replaced by that language's folder.
    pub fn concrete(&self, folder: Option<&str>) -> Concrete {
        let mut head: Vec<Piece> = Vec::new();
        let mut tail: Vec<Piece> = Vec::new();
        let mut seen_id = false;
        for p in &self.pieces {
            let p = match (p, folder) {
                (Piece::Lang, Some(f)) => Piece::Lit(f.to_string()),
                _ => p.clone(),
            };
            match p {
                Piece::Id => seen_id = true,
                p if seen_id => tail.push(p),
                p => head.push(p),
            }
        }
        Concrete {
            heads: expand(&head),
            tails: {
                let mut t = expand(&tail);
                // The longest ending first: `.mdx` before `.md`.
                t.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
                t
            },
        }
    }

    /// The part of the path before `{lang}`, when `{lang}` comes before `{id}` and starts a
    /// folder name or file name: the folder whose entries name the languages, and the text
    /// around `{lang}` in the entry's name (`pages.{lang}` → `pages.`, ``).
    fn lang_level(&self) -> Option<(String, String, String)> {
        let mut before = String::new();
        let mut iter = self.pieces.iter();
        for p in iter.by_ref() {
            match p {
                Piece::Lit(s) => before.push_str(s),
                Piece::Lang => break,
                _ => return None,
            }
        }
        let (dir, prefix) = match before.rfind('/') {
            Some(i) => (before[..i].to_string(), before[i + 1..].to_string()),
            None => (String::new(), before),
        };
        let mut suffix = String::new();
        for p in iter {
            match p {
                Piece::Lit(s) => match s.find('/') {
                    Some(i) => {
                        suffix.push_str(&s[..i]);
                        return Some((dir, prefix, suffix));
                    }
                    None => suffix.push_str(s),
                },
                _ => return None,
            }
        }
        None
    }
}

/// Every string a list of pieces without `{id}` or `{lang}` can stand for.
fn expand(pieces: &[Piece]) -> Vec<String> {
    let mut out = vec![String::new()];
    for p in pieces {
        match p {
            Piece::Lit(s) => out.iter_mut().for_each(|o| o.push_str(s)),
            Piece::Alt(alts) => {
                out = out
                    .iter()
                    .flat_map(|o| alts.iter().map(move |a| format!("{o}{a}")))
                    .collect()
            }
            // A free `{lang}` (no language given) matches nothing concrete.
            Piece::Lang | Piece::Id => out.iter_mut().for_each(|o| o.push('\u{0}')),
        }
    }
    out
}

fn valid_id_text(id: &str) -> bool {
    !id.is_empty() && id.split('/').all(|s| !s.is_empty() && s != "..")
}

/// The patterns a language's translations are named by (see [`Layout::translation_ids`]).
pub struct TranslationIds(Vec<Concrete>);

impl TranslationIds {
    /// The id of the translation at `path`, when it is one.
    pub fn id_of<'p>(&self, path: &'p str) -> Option<&'p str> {
        self.0.iter().find_map(|c| c.id_of(path))
    }
}

/// A pattern with its language filled in: the texts that may come before the id and after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Concrete {
    heads: Vec<String>,
    tails: Vec<String>,
}

impl Concrete {
    /// The id `path` (relative to the pattern's root) stands for, if it matches.
    pub fn id_of<'p>(&self, path: &'p str) -> Option<&'p str> {
        for head in &self.heads {
            let Some(rest) = path.strip_prefix(head.as_str()) else {
                continue;
            };
            for tail in &self.tails {
                if let Some(id) = rest.strip_suffix(tail.as_str()) {
                    if valid_id_text(id) && !id.starts_with('/') && !id.ends_with('/') {
                        return Some(id);
                    }
                }
            }
        }
        None
    }

    /// The folder to walk: the longest run of whole folder names before anything variable.
    pub fn base(&self) -> &str {
        let common = self.heads.first().map(String::as_str).unwrap_or("");
        let mut len = common.len();
        for h in &self.heads[1..] {
            len = common
                .bytes()
                .zip(h.bytes())
                .take_while(|(a, b)| a == b)
                .count()
                .min(len);
        }
        let common = &common[..len];
        match common.rfind('/') {
            Some(i) => &common[..i],
            None => "",
        }
    }

    /// The path of `id`, ending as `like` does when that is one of the endings (so `guide.mdx`
    /// is translated into `guide.mdx`), else with the first ending.
    pub fn path_of(&self, id: &str, like: Option<&str>) -> String {
        let head = self.heads.first().map(String::as_str).unwrap_or("");
        let tail = like
            .and_then(|l| {
                self.tails
                    .iter()
                    .filter(|t| l.ends_with(t.as_str()))
                    .max_by_key(|t| t.len())
            })
            .or_else(|| self.tails.iter().min_by_key(|t| t.len()))
            .map(String::as_str)
            .unwrap_or("");
        format!("{head}{id}{tail}")
    }

    /// Whether every path `other` accepts under `dir` this accepts too (so a walk of `other`
    /// can skip `dir`): this starts exactly at `dir/` and ends in every way `other` does.
    fn covers(&self, dir: &str, other: &Concrete) -> bool {
        self.heads.len() == 1
            && self.heads[0] == format!("{dir}/")
            && other.tails.iter().all(|t| self.tails.contains(t))
    }
}

/// Files a walk saw but did not take, counted by ending (`.mdx`), for the message when a
/// layout matches nothing.
pub type Unmatched = std::collections::BTreeMap<String, usize>;

/// A language of the publication: its tag as configured, and its folder name in paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    pub tag: String,
    pub folder: String,
}

/// One `layout:` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub originals: Pattern,
    pub translations: Pattern,
}

/// The checked layout of a publication.
#[derive(Debug, Clone)]
pub struct Layout {
    pub entries: Vec<Entry>,
    /// `source_root` as written (relative to the project root, `/`), when set.
    pub source_root: Option<String>,
    exclude: Option<globset::GlobSet>,
    pub exclude_patterns: Vec<String>,
}

/// One folder to walk and what to accept in it.
#[derive(Debug, Clone)]
pub struct Scope {
    /// The folder walked, relative to the root the paths are relative to (`""`: that root).
    base: String,
    /// The patterns, in entry order: the first that matches gives the id.
    patterns: Vec<Concrete>,
    /// Patterns whose matches are not accepted (translations, for the originals' scope).
    refused: Vec<Concrete>,
    /// Folders not walked (another language's translations inside the originals).
    pruned: Vec<String>,
}

impl Scope {
    /// The folder walked.
    pub fn base(&self) -> &str {
        &self.base
    }
}

impl Scope {
    /// The id of a file at `path` (relative to the walk's root), when it belongs here.
    pub fn id_of<'p>(&self, path: &'p str) -> Option<&'p str> {
        if self.refused.iter().any(|c| c.id_of(path).is_some()) {
            return None;
        }
        self.patterns.iter().find_map(|c| c.id_of(path))
    }

    /// Whether the folder at `dir` (relative to the walk's root) is not to be walked.
    pub fn prunes(&self, dir: &str) -> bool {
        self.pruned.iter().any(|p| p == dir)
    }

    /// The endings a file name must have to belong here (`.md`, `.mdx`, `.es.md`).
    pub fn endings(&self) -> impl Iterator<Item = &str> + '_ {
        self.patterns
            .iter()
            .flat_map(|c| c.tails.iter())
            .map(|t| t.rsplit('/').next().unwrap_or(t))
    }

    /// Whether a file name could belong here at all (its ending): the rest is only counted.
    pub fn could_match(&self, name: &str) -> bool {
        self.endings().any(|e| name.ends_with(e))
    }
}

impl Layout {
    pub fn new(
        entries: Vec<Entry>,
        source_root: Option<String>,
        exclude_patterns: Vec<String>,
    ) -> Result<Layout, String> {
        let exclude = if exclude_patterns.is_empty() {
            None
        } else {
            let mut builder = globset::GlobSetBuilder::new();
            for p in &exclude_patterns {
                let glob = globset::GlobBuilder::new(p)
                    .literal_separator(true)
                    .build()
                    .map_err(|e| format!("`{}` is not a glob: {e}", printable(p)))?;
                builder.add(glob);
            }
            Some(builder.build().map_err(|e| e.to_string())?)
        };
        Ok(Layout {
            entries,
            source_root,
            exclude,
            exclude_patterns,
        })
    }

    /// tandem's own layout: `articles/{id}.md` and `translations/{lang}/{id}.md`.
    pub fn folders(articles: &str, translations: &str) -> Layout {
        let entry = Entry {
            originals: Pattern::parse(&format!("{articles}/{{id}}.md"), false)
                .expect("a checked folder makes a pattern"),
            translations: Pattern::parse(&format!("{translations}/{{lang}}/{{id}}.md"), true)
                .expect("a checked folder makes a pattern"),
        };
        Layout {
            entries: vec![entry],
            source_root: None,
            exclude: None,
            exclude_patterns: Vec::new(),
        }
    }

    /// Whether a path (relative to the root it was found under) is excluded.
    pub fn excluded(&self, path: &str) -> bool {
        self.exclude.as_ref().is_some_and(|g| g.is_match(path))
    }

    /// The folder the originals' paths are relative to.
    pub fn originals_root(&self, root: &Path) -> PathBuf {
        match &self.source_root {
            Some(s) => root.join(s),
            None => root.to_path_buf(),
        }
    }

    /// How a path under the originals' root is shown: relative to the project root.
    pub fn shown_original(&self, rel: &str) -> String {
        match &self.source_root {
            Some(s) => format!("{}/{rel}", s.trim_end_matches('/')),
            None => rel.to_string(),
        }
    }

    /// A shown original's path back under the originals' root.
    pub fn original_rel<'p>(&self, shown: &'p str) -> &'p str {
        match &self.source_root {
            Some(s) => shown
                .strip_prefix(s.trim_end_matches('/'))
                .and_then(|r| r.strip_prefix('/'))
                .unwrap_or(shown),
            None => shown,
        }
    }

    /// What to walk for the originals. Translations that the originals' patterns also match
    /// (root-locale sites, `{id}.{lang}.md`) are refused, and a language's folder inside the
    /// originals is not walked when everything in it is a translation.
    pub fn originals_scopes(&self, languages: &[Language], stray: &[String]) -> Vec<Scope> {
        // Translations live under the project root and originals under the source root: they
        // only overlap when both roots are the same.
        let translations: Vec<Concrete> = if self.source_root.is_none() {
            self.entries
                .iter()
                .flat_map(|e| {
                    languages
                        .iter()
                        .map(|l| e.translations.concrete(Some(&l.folder)))
                })
                .collect()
        } else {
            Vec::new()
        };
        let patterns: Vec<Concrete> = self
            .entries
            .iter()
            .map(|e| e.originals.concrete(None))
            .collect();
        scopes(patterns, |base, patterns| {
            let mut pruned: Vec<String> = translations
                .iter()
                .filter_map(|t| {
                    let dir = t.heads.first()?.strip_suffix('/')?;
                    let inside = base.is_empty() || dir.starts_with(&format!("{base}/"));
                    (inside && patterns.iter().all(|p| t.covers(dir, p))).then(|| dir.to_string())
                })
                .collect();
            pruned.extend(stray.iter().cloned());
            (translations.clone(), pruned)
        })
    }

    /// What to walk for one language's translations.
    pub fn translation_scopes(&self, lang: &Language) -> Vec<Scope> {
        let patterns: Vec<Concrete> = self
            .entries
            .iter()
            .map(|e| e.translations.concrete(Some(&lang.folder)))
            .collect();
        scopes(patterns, |_, _| (Vec::new(), Vec::new()))
    }

    /// The id of an original from its shown path.
    pub fn original_id(&self, shown: &str) -> Option<String> {
        let rel = self.original_rel(shown);
        self.entries
            .iter()
            .find_map(|e| e.originals.concrete(None).id_of(rel))
            .map(str::to_string)
    }

    /// The id of a translation into `lang` from its path.
    pub fn translation_id(&self, path: &str, lang: &Language) -> Option<String> {
        self.translation_ids(lang).id_of(path).map(str::to_string)
    }

    /// The translations' patterns for `lang` made once, to name many paths.
    pub fn translation_ids(&self, lang: &Language) -> TranslationIds {
        TranslationIds(
            self.entries
                .iter()
                .map(|e| e.translations.concrete(Some(&lang.folder)))
                .collect(),
        )
    }

    /// The path (relative to the project root) of the translation of the original at
    /// `original` (its shown path) into `lang`: in the entry the original was found by, ending
    /// as the original does.
    pub fn translation_path(&self, original: &str, id: &str, lang: &Language) -> Option<String> {
        let rel = self.original_rel(original);
        let entry = self
            .entries
            .iter()
            .find(|e| e.originals.concrete(None).id_of(rel).is_some())?;
        let path = entry
            .translations
            .concrete(Some(&lang.folder))
            .path_of(id, Some(rel));
        // The path built must lead where it says: no `.` or `..` folder on the way.
        path.split('/')
            .all(|s| !s.is_empty() && s != "." && s != "..")
            .then_some(path)
    }

    /// The shown path the original at `original` (its shown path) would have with id `id`: in
    /// the entry it was found by, ending as it does.
    pub fn original_path(&self, original: &str, id: &str) -> Option<String> {
        let rel = self.original_rel(original);
        let entry = self
            .entries
            .iter()
            .find(|e| e.originals.concrete(None).id_of(rel).is_some())?;
        let path = entry.originals.concrete(None).path_of(id, Some(rel));
        path.split('/')
            .all(|s| !s.is_empty() && s != "." && s != "..")
            .then(|| self.shown_original(&path))
    }

    /// The shown path an original with id `id` would have, ending as the translation at
    /// `translation` does (for finding where an orphan's original was).
    pub fn original_path_of(&self, id: &str, translation: &str) -> Option<String> {
        let entry = self.entries.first()?;
        Some(
            self.shown_original(
                &entry
                    .originals
                    .concrete(None)
                    .path_of(id, Some(translation)),
            ),
        )
    }

    /// The folders where `{lang}` takes its values (for finding the publication's languages),
    /// with the text around it in an entry's name.
    pub fn language_levels(&self) -> Vec<(String, String, String)> {
        let mut levels: Vec<(String, String, String)> = self
            .entries
            .iter()
            .filter_map(|e| e.translations.lang_level())
            .collect();
        levels.dedup();
        levels
    }

    /// Every pattern, for messages.
    pub fn describe(&self) -> String {
        self.entries
            .iter()
            .map(|e| format!("`{}` ↔ `{}`", e.originals.as_str(), e.translations.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Groups patterns by the folders to walk: a folder inside another one walked is not walked
/// again. `extra` gives a scope's refused patterns and pruned folders.
fn scopes(
    patterns: Vec<Concrete>,
    extra: impl Fn(&str, &[Concrete]) -> (Vec<Concrete>, Vec<String>),
) -> Vec<Scope> {
    let mut bases: Vec<String> = patterns.iter().map(|p| p.base().to_string()).collect();
    bases.sort();
    bases.dedup();
    let outer: Vec<String> = bases
        .iter()
        .filter(|b| {
            !bases
                .iter()
                .any(|o| o != *b && (o.is_empty() || b.starts_with(&format!("{o}/"))))
        })
        .cloned()
        .collect();
    outer
        .into_iter()
        .map(|base| {
            let (refused, pruned) = extra(&base, &patterns);
            Scope {
                base,
                patterns: patterns.clone(),
                refused,
                pruned,
            }
        })
        .collect()
}

/// Finds the languages a layout's `{lang}` takes on disk: entries of the folder before
/// `{lang}` whose names are language tags (`pt_BR` is `pt-BR` in the folder `pt_BR`). Links
/// are not languages (tldr's `pages.en` is a link to the originals). `strict` (the originals
/// share the folder) takes only names whose first part is a two-letter ISO 639-1 code, so a
/// section such as `api/` is not taken for a language.
pub fn discover_languages(
    root: &Path,
    layout: &Layout,
    source: &str,
) -> (Vec<Language>, Vec<Diagnostic>) {
    let mut found: Vec<Language> = Vec::new();
    let diagnostics = Vec::new();
    for (dir, prefix, suffix) in layout.language_levels() {
        let strict = layout.source_root.is_none()
            && layout
                .entries
                .iter()
                .any(|e| e.originals.concrete(None).base() == dir.as_str());
        let Ok(entries) = std::fs::read_dir(root.join(&dir)) else {
            continue;
        };
        for entry in entries.filter_map(|e| e.ok()) {
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            if name.starts_with('.') || !entry.file_type().is_ok_and(|t| t.is_dir()) {
                continue;
            }
            let Some(value) = name
                .strip_prefix(prefix.as_str())
                .and_then(|r| r.strip_suffix(suffix.as_str()))
            else {
                continue;
            };
            if let Some(lang) = language_of_folder(value, strict) {
                if !lang.tag.eq_ignore_ascii_case(source)
                    && !found.iter().any(|l| l.tag.eq_ignore_ascii_case(&lang.tag))
                {
                    found.push(lang);
                }
            }
        }
    }
    found.sort_by(|a, b| a.tag.cmp(&b.tag));
    (found, diagnostics)
}

/// The language a folder name stands for, if it is one.
pub fn language_of_folder(value: &str, strict: bool) -> Option<Language> {
    let tag = tag_case(&value.replace('_', "-"));
    check_lang(&tag).ok()?;
    let primary = tag.split('-').next().unwrap_or("");
    let known = match primary.len() {
        2 => isolang::Language::from_639_1(&primary.to_ascii_lowercase()).is_some(),
        _ => isolang::Language::from_639_3(&primary.to_ascii_lowercase()).is_some(),
    };
    if !known || (strict && primary.len() != 2) {
        return None;
    }
    Some(Language {
        tag,
        folder: value.to_string(),
    })
}

/// A tag in the usual letter case: `pt-br` is `pt-BR`, `zh-hans` is `zh-Hans`.
fn tag_case(tag: &str) -> String {
    tag.split('-')
        .enumerate()
        .map(|(i, part)| match (i, part.len()) {
            (0, _) => part.to_ascii_lowercase(),
            (_, 2) => part.to_ascii_uppercase(),
            (_, 4) => {
                let mut p = part.to_ascii_lowercase();
                p[..1].make_ascii_uppercase();
                p
            }
            _ => part.to_string(),
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// Checks an id found in a path or given by a user: `check_id`, except that a file named after
/// the `.` command (`..md`, an id ending in `.`) is a page.
pub fn check_page_id(id: &str) -> Result<(), String> {
    match id.rsplit_once('/') {
        Some((dirs, ".")) => check_id(dirs),
        None if id == "." => Ok(()),
        _ => check_id(id),
    }
}

impl Layout {
    /// Whether a language's translations would lie where the originals are (Hugo's
    /// `content/en/` for the source language): then it is not a translation language.
    pub fn is_originals_folder(&self, lang: &Language) -> bool {
        self.source_root.is_none()
            && self.entries.iter().any(|e| {
                let t = e.translations.concrete(Some(&lang.folder));
                self.entries.iter().any(|o| o.originals.concrete(None) == t)
            })
    }

    /// Whether `{lang}`'s folder level lies inside the originals (a root-locale site).
    fn shares_originals(&self, dir: &str) -> bool {
        self.source_root.is_none()
            && self.entries.iter().any(|e| {
                let base = e.originals.concrete(None).base().to_string();
                base == dir || base.is_empty() || dir.starts_with(&format!("{base}/"))
            })
    }
}

/// An entry of a folder where `{lang}` takes its values.
pub struct LevelEntry {
    pub path: String,
    /// The value `{lang}` takes.
    pub value: String,
    pub is_dir: bool,
    pub is_link: bool,
    /// The originals share the folder (a root-locale site).
    pub shared: bool,
}

/// The entries of the folders where `{lang}` takes its values.
pub fn language_level_entries(root: &Path, layout: &Layout) -> Vec<LevelEntry> {
    let mut out = Vec::new();
    for (dir, prefix, suffix) in layout.language_levels() {
        let shared = layout.shares_originals(&dir);
        let Ok(entries) = std::fs::read_dir(root.join(&dir)) else {
            continue;
        };
        let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            if name.starts_with('.') {
                continue;
            }
            let Some(value) = name
                .strip_prefix(prefix.as_str())
                .and_then(|r| r.strip_suffix(suffix.as_str()))
            else {
                continue;
            };
            let kind = entry.file_type().ok();
            let path = if dir.is_empty() {
                name.clone()
            } else {
                format!("{dir}/{name}")
            };
            out.push(LevelEntry {
                path,
                value: value.to_string(),
                is_dir: kind.is_some_and(|t| t.is_dir()),
                is_link: kind.is_some_and(|t| t.is_symlink()),
                shared,
            });
        }
    }
    out
}

/// Folders inside the originals that are translations into a language the publication does
/// not list (a root-locale site's `ja/` when `languages` leaves Japanese out): not originals.
pub fn stray_language_folders(root: &Path, layout: &Layout, folders: &[Language]) -> Vec<String> {
    language_level_entries(root, layout)
        .into_iter()
        .filter(|e| {
            e.shared
                && e.is_dir
                && !folders.iter().any(|l| {
                    l.folder.eq_ignore_ascii_case(&e.value) || l.tag.eq_ignore_ascii_case(&e.value)
                })
                && language_of_folder(&e.value, true).is_some()
        })
        .map(|e| e.path)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t(text: &str) -> Pattern {
        Pattern::parse(text, true).unwrap()
    }
    fn o(text: &str) -> Pattern {
        Pattern::parse(text, false).unwrap()
    }

    #[test]
    fn patterns_match_the_sites_they_describe() {
        let cases: &[(&str, Option<&str>, &str, Option<&str>)] = &[
            (
                "content/{lang}/{id}.md",
                Some("es"),
                "content/es/docs/a.md",
                Some("docs/a"),
            ),
            (
                "content/{lang}/{id}.md",
                Some("es"),
                "content/fr/docs/a.md",
                None,
            ),
            (
                "pages.{lang}/{id}.md",
                Some("de"),
                "pages.de/common/tar.md",
                Some("common/tar"),
            ),
            (
                "pages.{lang}/{id}.md",
                Some("de"),
                "pages.de/common/..md",
                Some("common/."),
            ),
            (
                "docs/{lang}/{id}.{md,mdx}",
                Some("de"),
                "docs/de/guide.mdx",
                Some("guide"),
            ),
            (
                "docs/{lang}/{id}.{md,mdx}",
                Some("de"),
                "docs/de/guide.md",
                Some("guide"),
            ),
            (
                "docs/{lang}/{id}.{md,mdx}",
                Some("de"),
                "docs/de/guide.txt",
                None,
            ),
            (
                "docs/{id}.{lang}.md",
                Some("es"),
                "docs/a/b.es.md",
                Some("a/b"),
            ),
            ("docs/{id}.{lang}.md", Some("es"), "docs/a/b.md", None),
            (
                "files/{lang}/{id}/index.md",
                Some("pt-br"),
                "files/pt-br/web/css/index.md",
                Some("web/css"),
            ),
            (
                "files/{lang}/{id}/index.md",
                Some("pt-br"),
                "files/pt-br/index.md",
                None,
            ),
            ("{lang}/{id}.md", Some("es"), "es/a b.md", Some("a b")),
        ];
        for (pattern, lang, path, id) in cases {
            let c = t(pattern).concrete(*lang);
            assert_eq!(c.id_of(path), *id, "{pattern} {path}");
        }
        assert_eq!(
            o("docs/{id}.{md,mdx}").concrete(None).id_of("docs/x.mdx"),
            Some("x")
        );
    }

    #[test]
    fn bases_are_the_fixed_folders() {
        assert_eq!(
            t("content/{lang}/{id}.md").concrete(Some("es")).base(),
            "content/es"
        );
        assert_eq!(
            t("pages.{lang}/{id}.md").concrete(Some("es")).base(),
            "pages.es"
        );
        assert_eq!(t("docs/{id}.{lang}.md").concrete(Some("es")).base(), "docs");
        assert_eq!(o("{id}.md").concrete(None).base(), "");
        assert_eq!(o("a/{b,c}/{id}.md").concrete(None).base(), "a");
    }

    #[test]
    fn bad_patterns_are_refused() {
        for (text, lang) in [
            ("content/{id}.md", true),
            ("content/{lang}/{id}.md", false),
            ("content/{lang}/{id}/{id}.md", true),
            ("/abs/{lang}/{id}.md", true),
            ("../up/{lang}/{id}.md", true),
            ("a/{lang}{id}.md", true),
            ("a/{lang}/{id}.{x}", true),
            ("a/{lang}/{id}.{md", true),
            ("a//{lang}/{id}.md", true),
        ] {
            assert!(Pattern::parse(text, lang).is_err(), "{text}");
        }
    }

    #[test]
    fn languages_are_found_from_the_layout_values() {
        let p = t("pages.{lang}/{id}.md");
        assert_eq!(
            p.lang_level(),
            Some((String::new(), "pages.".into(), String::new()))
        );
        let p = t("content/{lang}/{id}.md");
        assert_eq!(
            p.lang_level(),
            Some(("content".into(), String::new(), String::new()))
        );
        assert_eq!(t("docs/{id}.{lang}.md").lang_level(), None);
        assert_eq!(
            language_of_folder("pt_BR", false),
            Some(Language {
                tag: "pt-BR".into(),
                folder: "pt_BR".into()
            })
        );
        assert!(language_of_folder("zh-Hans", true).is_some());
        assert!(language_of_folder("api", true).is_none());
        assert!(language_of_folder("guides", false).is_none());
        assert!(language_of_folder("xx", false).is_none());
    }

    #[test]
    fn a_dot_page_is_a_page() {
        assert!(check_page_id("common/.").is_ok());
        assert!(check_page_id(".").is_ok());
        assert!(check_page_id("./x").is_err());
        assert!(check_page_id("a/../b").is_err());
    }

    proptest! {
        /// A path built from an id and a language maps back to that id, in every layout.
        #[test]
        fn a_built_path_maps_back(
            segs in proptest::collection::vec("[a-zA-Z0-9 _-][a-zA-Z0-9 ._-]{0,8}", 1..4),
            which in 0usize..6,
            mdx in any::<bool>(),
        ) {
            let id = segs.join("/");
            prop_assume!(crate::names::check_id(&id).is_ok());
            let (orig, trans) = [
                ("articles/{id}.md", "translations/{lang}/{id}.md"),
                ("content/en/{id}.md", "content/{lang}/{id}.md"),
                ("pages/{id}.md", "pages.{lang}/{id}.md"),
                ("docs/{id}.{md,mdx}", "docs/{lang}/{id}.{md,mdx}"),
                ("docs/{id}.md", "docs/{id}.{lang}.md"),
                ("files/en-us/{id}/index.md", "files/{lang}/{id}/index.md"),
            ][which];
            let layout = Layout::new(
                vec![Entry { originals: o(orig), translations: t(trans) }],
                None,
                Vec::new(),
            ).unwrap();
            let lang = Language { tag: "pt-BR".into(), folder: "pt_BR".into() };
            let ext = if mdx && which == 3 { "mdx" } else { "md" };
            let original = o(orig).concrete(None).path_of(&id, Some(&format!("x.{ext}")));
            prop_assert_eq!(layout.original_id(&original), Some(id.clone()));
            let path = layout.translation_path(&original, &id, &lang).unwrap();
            prop_assert!(path.ends_with(ext));
            prop_assert_eq!(layout.translation_id(&path, &lang), Some(id.clone()));
        }
    }
}
