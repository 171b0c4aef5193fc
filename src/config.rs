//! tandem.yaml: reading it, applying defaults and checking it once, so the rest of the code
//! gets a `Config` it can trust.

use crate::error::{Error, Result};
use crate::layout::{discover_languages, Entry, Language, Layout, Pattern};
use crate::names::{check_lang, printable};
use crate::policy::Policy;
use crate::yaml;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const CONFIG_FILE: &str = "tandem.yaml";

/// tandem.yaml as written; every key optional, unknown keys refused.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    source_lang: Option<String>,
    languages: Option<Vec<LanguageSpec>>,
    articles: Option<String>,
    translations: Option<String>,
    layout: Option<LayoutSpec>,
    source_root: Option<String>,
    exclude: Option<Vec<String>>,
    localizable: Option<String>,
    fields: Option<BTreeMap<String, String>>,
    baseline: Option<BaselineSpec>,
    required: Option<Vec<String>>,
    translatable: Option<Vec<String>>,
    fail_on: Option<Vec<String>>,
    min_coverage: Option<BTreeMap<String, f64>>,
}

/// A language in `languages`: a tag, or `{tag: folder}` when its folder is named otherwise.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum LanguageSpec {
    Tag(String),
    Folder(BTreeMap<String, String>),
}

/// `baseline:` as written.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum BaselineSpec {
    /// `stamp` or `git`.
    Word(String),
    /// `{commit_field: l10n.sourceCommit}`.
    CommitField { commit_field: String },
    /// `{git: {ignore: [typo]}}`.
    Git { git: BTreeMap<String, Vec<String>> },
}

/// Which version of the original a translation was made from, as the publication records it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum BaselineKind {
    /// `source_hash` and `.tandem/snapshots/`.
    Stamp,
    /// A commit of the originals' repository, in this front matter field.
    CommitField(String),
    /// Nothing recorded: the original as it was at the translation's last commit, leaving out
    /// commits whose subject holds one of these words.
    Git { ignore: Vec<String> },
}

/// `layout:` as written: one entry or a list of them.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum LayoutSpec {
    One(EntrySpec),
    Many(Vec<EntrySpec>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntrySpec {
    originals: String,
    translations: String,
}

/// tandem's own front matter fields, each under the name a publication gives it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FieldNames {
    pub id: String,
    pub lang: String,
    pub translate_to: String,
    pub source_hash: String,
    pub status: String,
    pub translator: String,
    /// The language of the translation a translation was made from (a pivot).
    pub translated_from: String,
}

impl Default for FieldNames {
    fn default() -> Self {
        FieldNames {
            id: "id".into(),
            lang: "lang".into(),
            translate_to: "translate_to".into(),
            source_hash: "source_hash".into(),
            status: "status".into(),
            translator: "translator".into(),
            translated_from: "translated_from".into(),
        }
    }
}

impl FieldNames {
    fn all(&self) -> [&str; 7] {
        [
            &self.id,
            &self.lang,
            &self.translate_to,
            &self.source_hash,
            &self.status,
            &self.translator,
            &self.translated_from,
        ]
    }
}

/// The keys of tandem.yaml, of a `layout:` entry, of `baseline:`, of `fields:`.
const TOP_KEYS: [&str; 14] = [
    "source_lang",
    "languages",
    "articles",
    "translations",
    "layout",
    "source_root",
    "exclude",
    "localizable",
    "fields",
    "baseline",
    "required",
    "translatable",
    "fail_on",
    "min_coverage",
];
const LAYOUT_KEYS: [&str; 2] = ["originals", "translations"];
const BASELINE_WORDS: [&str; 2] = ["stamp", "git"];
const BASELINE_KEYS: [&str; 2] = ["commit_field", "git"];
const FIELD_KEYS: [&str; 7] = [
    "id",
    "lang",
    "translate_to",
    "source_hash",
    "status",
    "translator",
    "translated_from",
];

/// Names every key of tandem.yaml that tandem does not know, with the one it looks like: a
/// typo must not silently do nothing, nor be answered with a list of every key. Returns the
/// problem's key (for its line) and message; `None` when every key is known (or the text is
/// not a mapping, which the parser then reports).
fn unknown_key(text: &str) -> Option<(String, String)> {
    let entries = yaml::parse_mapping(text).ok()?;
    let unknown = |word: &str, known: &[&str], what: &str| {
        let mut m = format!("`{}` is not {what}", printable(word));
        match crate::names::did_you_mean(&crate::names::closest(word, known.iter().copied())) {
            Some(hint) => m.push_str(&format!(": {hint}")),
            None => m.push_str(&format!(" ({})", known.join(", "))),
        }
        m
    };
    for (key, value) in &entries {
        if !TOP_KEYS.contains(&key.as_str()) {
            return Some((key.clone(), unknown(key, &TOP_KEYS, "a key of tandem.yaml")));
        }
        let maps: Vec<&Vec<(String, yaml::Value)>> = match (key.as_str(), value) {
            ("layout", yaml::Value::Map(m)) => vec![m],
            ("layout", yaml::Value::List(l)) => l
                .iter()
                .filter_map(|v| match v {
                    yaml::Value::Map(m) => Some(m),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        for m in maps {
            if let Some((k, _)) = m.iter().find(|(k, _)| !LAYOUT_KEYS.contains(&k.as_str())) {
                return Some((
                    key.clone(),
                    unknown(k, &LAYOUT_KEYS, "a key of a layout entry"),
                ));
            }
        }
        match (key.as_str(), value) {
            ("baseline", yaml::Value::String(w)) if !BASELINE_WORDS.contains(&w.as_str()) => {
                let mut m = format!(
                    "`baseline: {}` is not a baseline: use `stamp`, `git` or `{{commit_field: FIELD}}`",
                    printable(w)
                );
                let close = crate::names::closest(w, BASELINE_WORDS.iter().copied());
                if let Some(hint) = crate::names::did_you_mean(&close) {
                    m.push_str(&format!(" ({hint})"));
                }
                return Some((key.clone(), m));
            }
            ("baseline", yaml::Value::Map(m)) => {
                if let Some((k, _)) = m.iter().find(|(k, _)| !BASELINE_KEYS.contains(&k.as_str())) {
                    return Some((
                        key.clone(),
                        unknown(k, &BASELINE_KEYS, "a kind of baseline"),
                    ));
                }
            }
            ("fields", yaml::Value::Map(m)) => {
                if let Some((k, _)) = m.iter().find(|(k, _)| !FIELD_KEYS.contains(&k.as_str())) {
                    return Some((
                        key.clone(),
                        unknown(k, &FIELD_KEYS, "one of tandem's fields"),
                    ));
                }
            }
            _ => {}
        }
    }
    None
}

/// The checked configuration of one publication.
#[derive(Debug, Clone)]
pub struct Config {
    /// The project root: every relative path is relative to it.
    pub root: PathBuf,
    /// The config file read, if any.
    pub file: Option<PathBuf>,
    pub source_lang: String,
    /// Every language of the publication, sorted, `source_lang` included.
    pub languages: Vec<String>,
    /// Whether `languages` was written in tandem.yaml (otherwise found from folders).
    pub languages_explicit: bool,
    /// Each language's tag and folder name, in the order of `languages`.
    pub folders: Vec<Language>,
    /// Where originals and translations lie.
    pub layout: Layout,
    /// The languages translations can be in: all but one whose folder is the originals'.
    pub translation_langs: Vec<Language>,
    /// tandem's front matter fields as the publication names them.
    pub fields: FieldNames,
    /// `localizable`: only originals whose field is true are to be translated.
    pub localizable: Option<String>,
    /// What looks wrong in the configuration but does not stop it being used.
    pub warnings: Vec<String>,
    /// How translations record what they were made from.
    pub baseline: BaselineKind,
    pub required: Vec<String>,
    pub translatable: Vec<String>,
    /// What `check` fails on (`fail_on` in tandem.yaml); the default policy when `None`.
    pub fail_on: Option<Vec<String>>,
    /// Per-language minimum coverage (by articles, in percent) for `coverage`.
    pub min_coverage: BTreeMap<String, f64>,
}

impl Config {
    /// Reads `file` (or `root/tandem.yaml` when it exists) and applies the defaults.
    pub fn load(root: &Path, file: Option<&Path>) -> Result<Config> {
        let (path, text) = match file {
            Some(f) => {
                let path = if f.is_absolute() {
                    f.to_path_buf()
                } else {
                    root.join(f)
                };
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| Error::io(&path, &e, "read the config file"))?;
                (Some(path), Some(text))
            }
            None => {
                let path = root.join(CONFIG_FILE);
                match std::fs::read_to_string(&path) {
                    Ok(text) => (Some(path), Some(text)),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => (None, None),
                    Err(e) => return Err(Error::io(&path, &e, "read the config file")),
                }
            }
        };
        Config::from_text(root, path, text.as_deref())
    }

    /// The configuration `text` gives (none: every default), as read from `path`.
    pub fn from_text(root: &Path, path: Option<PathBuf>, text: Option<&str>) -> Result<Config> {
        let shown = path
            .as_ref()
            .map(|p| display_path(root, p))
            .unwrap_or_default();
        if let Some((key, message)) = text.and_then(unknown_key) {
            let line = text.and_then(|t| key_line(t, &key));
            return Err(Error::new(format!("invalid {shown}: {message}"))
                .with_path(&shown)
                .at(line, line.map(|_| 1)));
        }
        let parsed: ConfigFile = match text {
            Some(t) if !t.trim().is_empty() => yaml::from_str(t).map_err(|e| {
                Error::new(format!("invalid {shown}: {}", e.message))
                    .with_path(&shown)
                    .at(e.line, e.column)
                    .with_hint(format!("keys are {}", TOP_KEYS.join(", ")))
            })?,
            _ => ConfigFile::default(),
        };
        let key_error = |key: &str, message: String| {
            let line = text.and_then(|t| key_line(t, key));
            Error::new(format!("invalid {shown}: {message}"))
                .with_path(&shown)
                .at(line, line.map(|_| 1))
        };

        let layout = layout_of(&parsed, &key_error)?;
        let source_lang = parsed.source_lang.unwrap_or_else(|| "en".to_string());
        check_lang(&source_lang).map_err(|m| key_error("source_lang", m))?;

        let languages_explicit = parsed.languages.is_some();
        let mut folders: Vec<Language> = match &parsed.languages {
            Some(list) => {
                let mut folders: Vec<Language> = Vec::new();
                for spec in list {
                    let (tag, folder) = match spec {
                        LanguageSpec::Tag(t) => (t.clone(), t.clone()),
                        LanguageSpec::Folder(map) if map.len() == 1 => {
                            let (t, f) = map.iter().next().expect("one entry");
                            (t.clone(), f.clone())
                        }
                        LanguageSpec::Folder(_) => {
                            return Err(key_error(
                                "languages",
                                "a language with its own folder is written `{pt-BR: pt_BR}`, one to a mapping".to_string(),
                            ))
                        }
                    };
                    check_lang(&tag).map_err(|m| key_error("languages", m))?;
                    check_folder_name(&folder).map_err(|m| key_error("languages", m))?;
                    if folders.iter().any(|l| l.tag.eq_ignore_ascii_case(&tag)) {
                        return Err(key_error(
                            "languages",
                            format!("`{}` is listed twice", printable(&tag)),
                        ));
                    }
                    folders.push(Language { tag, folder });
                }
                folders
            }
            None => {
                let (found, _) = discover_languages(root, &layout, &source_lang);
                found
            }
        };
        let mut warnings = Vec::new();
        // The source language as configured in `languages` when it is there (case aside).
        let source_lang = match folders
            .iter()
            .find(|l| l.tag.eq_ignore_ascii_case(&source_lang))
        {
            Some(l) => l.tag.clone(),
            None => {
                if languages_explicit {
                    warnings.push(format!(
                        "{shown}: `source_lang: {}` is not in `languages`; it is added to them",
                        printable(&source_lang)
                    ));
                }
                folders.push(Language {
                    tag: source_lang.clone(),
                    folder: source_lang.clone(),
                });
                source_lang
            }
        };
        folders.sort_by(|a, b| a.tag.cmp(&b.tag));
        let languages: Vec<String> = folders.iter().map(|l| l.tag.clone()).collect();
        let canonical = |l: &str| {
            languages
                .iter()
                .find(|t| t.eq_ignore_ascii_case(l))
                .cloned()
                .unwrap_or_else(|| l.to_string())
        };

        let mut fields = FieldNames::default();
        for (key, name) in parsed.fields.clone().unwrap_or_default() {
            let slot = match key.as_str() {
                "id" => &mut fields.id,
                "lang" => &mut fields.lang,
                "translate_to" => &mut fields.translate_to,
                "source_hash" => &mut fields.source_hash,
                "status" => &mut fields.status,
                "translator" => &mut fields.translator,
                "translated_from" => &mut fields.translated_from,
                other => {
                    return Err(key_error(
                        "fields",
                        format!(
                            "`{}` is not one of tandem's fields ({})",
                            printable(other),
                            FIELD_KEYS.join(", ")
                        ),
                    ))
                }
            };
            check_field_name(&name).map_err(|m| key_error("fields", m))?;
            *slot = name;
        }
        let names = fields.all();
        if (1..names.len()).any(|i| names[..i].contains(&names[i])) {
            return Err(key_error(
                "fields",
                "two of tandem's fields cannot have the same name".to_string(),
            ));
        }
        if let Some(l) = &parsed.localizable {
            check_field_name(l).map_err(|m| key_error("localizable", m))?;
        }
        let baseline = match &parsed.baseline {
            None => BaselineKind::Stamp,
            Some(BaselineSpec::Word(w)) if w == "stamp" => BaselineKind::Stamp,
            Some(BaselineSpec::CommitField { commit_field }) => {
                check_field_name(commit_field).map_err(|m| key_error("baseline", m))?;
                if fields.all().contains(&commit_field.as_str()) {
                    return Err(key_error(
                        "baseline",
                        format!("`{commit_field}` is one of tandem's own fields"),
                    ));
                }
                BaselineKind::CommitField(commit_field.clone())
            }
            Some(BaselineSpec::Word(w)) if w == "git" => BaselineKind::Git { ignore: Vec::new() },
            Some(BaselineSpec::Git { git }) => {
                if let Some(other) = git.keys().find(|k| *k != "ignore") {
                    return Err(key_error(
                        "baseline",
                        format!(
                            "`{}` is not a setting of `baseline: {{git: …}}`: use `ignore`",
                            printable(other)
                        ),
                    ));
                }
                let ignore = git.get("ignore").cloned().unwrap_or_default();
                if ignore.iter().any(|w| w.trim().is_empty()) {
                    return Err(key_error(
                        "baseline",
                        "an `ignore` word cannot be empty".to_string(),
                    ));
                }
                BaselineKind::Git { ignore }
            }
            Some(BaselineSpec::Word(other)) => {
                return Err(key_error(
                    "baseline",
                    format!(
                    "`baseline: {}` is not a baseline: use `stamp`, `git` or `{{commit_field: FIELD}}`",
                    printable(other)
                ),
                ))
            }
        };

        let required: Vec<String> = parsed
            .required
            .unwrap_or_default()
            .iter()
            .map(|l| canonical(l))
            .collect();
        for l in &required {
            if !languages.contains(l) {
                return Err(key_error(
                    "required",
                    format!(
                        "required language `{}` is not one of the languages",
                        printable(l)
                    ),
                ));
            }
        }
        let translatable = parsed
            .translatable
            .unwrap_or_else(|| vec!["title".to_string()]);
        for f in &translatable {
            check_field_name(f).map_err(|m| key_error("translatable", m))?;
            if fields.all().contains(&f.as_str()) {
                return Err(key_error(
                    "translatable",
                    format!("`{f}` is tandem's own field and cannot be translatable"),
                ));
            }
        }

        if let Some(list) = &parsed.fail_on {
            Policy::from_list(list, &required).map_err(|m| key_error("fail_on", m))?;
        }
        let fail_on = parsed.fail_on;
        let min_coverage: BTreeMap<String, f64> = parsed
            .min_coverage
            .unwrap_or_default()
            .into_iter()
            .map(|(l, m)| (canonical(&l), m))
            .collect();
        for (lang, min) in &min_coverage {
            if !languages.contains(lang) {
                return Err(key_error(
                    "min_coverage",
                    format!("`{}` is not one of the languages", printable(lang)),
                ));
            }
            if !(0.0..=100.0).contains(min) {
                return Err(key_error(
                    "min_coverage",
                    format!("the minimum for `{lang}` must be a percentage from 0 to 100"),
                ));
            }
        }

        if matches!(baseline, BaselineKind::Git { .. }) && layout.source_root.is_some() {
            return Err(key_error(
                "baseline",
                "`baseline: git` reads the originals' and the translations' history from one repository; with `source_root`, record commits instead (`baseline: {commit_field: FIELD}`)".to_string(),
            ));
        }
        Ok(Config {
            root: root.to_path_buf(),
            file: path,
            source_lang,
            languages,
            languages_explicit,
            translation_langs: folders
                .iter()
                .filter(|l| !layout.is_originals_folder(l))
                .cloned()
                .collect(),
            folders,
            layout,
            fields,
            localizable: parsed.localizable,
            warnings,
            baseline,
            required,
            translatable,
            fail_on,
            min_coverage,
        })
    }

    /// The configured tag of `lang` (tags are compared case-insensitively), if it is one.
    pub fn canonical_lang(&self, lang: &str) -> Option<&str> {
        self.languages
            .iter()
            .find(|l| l.eq_ignore_ascii_case(lang))
            .map(String::as_str)
    }

    /// A language of the publication with its folder.
    pub fn folder_of(&self, lang: &str) -> Option<&Language> {
        self.folders
            .iter()
            .find(|l| l.tag.eq_ignore_ascii_case(lang))
    }

    /// Checks that `lang` is a language of the publication; gives its tag as configured.
    pub fn language(&self, lang: &str) -> Result<String> {
        check_lang(lang).map_err(Error::new)?;
        match self.canonical_lang(lang) {
            Some(l) => Ok(l.to_string()),
            None => {
                let close = crate::names::closest(lang, self.languages.iter().map(String::as_str));
                let listed = format!(
                    "the publication's languages are {}; add it to `languages` in tandem.yaml",
                    self.languages.join(", ")
                );
                let hint = match crate::names::did_you_mean(&close) {
                    Some(d) => format!("{d} ({listed})"),
                    None => listed,
                };
                Err(Error::new(format!("unknown language `{lang}`")).with_hint(hint))
            }
        }
    }

    /// The path of the translation of the original at `original` (with id `id`) into `lang`,
    /// relative to the root; `None` when the layout cannot place it.
    pub fn translation_path(&self, original: &str, id: &str, lang: &str) -> Option<String> {
        let lang = self.folder_of(lang)?;
        self.layout.translation_path(original, id, lang)
    }
}

/// Builds the layout from `layout:` or the `articles`/`translations` shorthand.
fn layout_of(parsed: &ConfigFile, key_error: &dyn Fn(&str, String) -> Error) -> Result<Layout> {
    let shorthand = parsed.articles.is_some() || parsed.translations.is_some();
    let mut layout = match &parsed.layout {
        Some(_) if shorthand => {
            return Err(key_error(
                "layout",
                "write either `layout` or `articles`/`translations`, not both".to_string(),
            ))
        }
        Some(spec) => {
            let specs: Vec<&EntrySpec> = match spec {
                LayoutSpec::One(e) => vec![e],
                LayoutSpec::Many(list) => list.iter().collect(),
            };
            if specs.is_empty() {
                return Err(key_error("layout", "`layout` lists no entry".to_string()));
            }
            let mut entries = Vec::new();
            for e in specs {
                entries.push(Entry {
                    originals: Pattern::parse(&e.originals, false)
                        .map_err(|m| key_error("layout", m))?,
                    translations: Pattern::parse(&e.translations, true)
                        .map_err(|m| key_error("layout", m))?,
                });
            }
            for e in &entries {
                if e.originals.concrete(None) == e.translations.concrete(None) {
                    return Err(key_error(
                        "layout",
                        "the originals and translations patterns cannot be the same".to_string(),
                    ));
                }
            }
            Layout::new(entries, None, Vec::new()).map_err(|m| key_error("layout", m))?
        }
        None => {
            let articles = parsed
                .articles
                .clone()
                .unwrap_or_else(|| "articles".to_string());
            let translations = parsed
                .translations
                .clone()
                .unwrap_or_else(|| "translations".to_string());
            for (key, dir) in [("articles", &articles), ("translations", &translations)] {
                check_folder(dir).map_err(|m| key_error(key, m))?;
            }
            let (a, t) = (trim_slashes(&articles), trim_slashes(&translations));
            if a == t || t.starts_with(&format!("{a}/")) || a.starts_with(&format!("{t}/")) {
                return Err(key_error(
                    "translations",
                    "`articles` and `translations` must be different folders, neither inside the other".to_string(),
                ));
            }
            Layout::folders(&a, &t)
        }
    };
    let exclude = parsed.exclude.clone().unwrap_or_default();
    let source_root = match &parsed.source_root {
        Some(s) => {
            let s = trim_slashes(s);
            if s.is_empty()
                || s.starts_with('/')
                || s.contains('\\')
                || s.chars().any(char::is_control)
            {
                return Err(key_error(
                    "source_root",
                    format!(
                        "`{}` must be a relative path such as `../content`",
                        printable(&s)
                    ),
                ));
            }
            Some(s)
        }
        None => None,
    };
    layout =
        Layout::new(layout.entries, source_root, exclude).map_err(|m| key_error("exclude", m))?;
    Ok(layout)
}

/// A language's folder name: one plain path segment.
fn check_folder_name(name: &str) -> Result<(), String> {
    if name.is_empty()
        || name == "."
        || name == ".."
        || name.contains(['/', '\\', ':'])
        || name.chars().any(char::is_control)
    {
        Err(format!("`{}` is not a folder name", printable(name)))
    } else {
        Ok(())
    }
}

/// A front matter field name, plain or dotted (`l10n.sourceCommit`).
fn check_field_name(name: &str) -> Result<(), String> {
    if name
        .split('.')
        .any(|p| p.is_empty() || p.chars().any(char::is_control))
    {
        Err(format!("`{}` is not a field name", printable(name)))
    } else {
        Ok(())
    }
}

fn trim_slashes(dir: &str) -> String {
    dir.trim_end_matches('/').to_string()
}

fn check_folder(dir: &str) -> Result<(), String> {
    let d = dir.trim_end_matches('/');
    if d.is_empty()
        || d.starts_with('/')
        || d.contains('\\')
        || d.chars().any(char::is_control)
        || d.split('/').any(|s| s.is_empty() || s == "." || s == "..")
    {
        Err(format!(
            "`{}` must be a folder inside the project, such as `articles`",
            printable(dir)
        ))
    } else {
        Ok(())
    }
}

/// The 1-based line of a top-level `key:` in YAML text.
pub fn key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map(|i| i + 1)
}

/// A path as shown to users: relative to the root when inside it, with `/`.
pub fn display_path(root: &Path, path: &Path) -> String {
    let p = path.strip_prefix(root).unwrap_or(path);
    p.to_string_lossy().replace('\\', "/")
}
