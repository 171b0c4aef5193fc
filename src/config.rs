//! tandem.yaml: reading it, applying defaults and checking it once, so the rest of the code
//! gets a `Config` it can trust.

use crate::check::Policy;
use crate::error::{Error, Result};
use crate::names::{check_lang, printable};
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
    languages: Option<Vec<String>>,
    articles: Option<String>,
    translations: Option<String>,
    required: Option<Vec<String>>,
    translatable: Option<Vec<String>>,
    fail_on: Option<Vec<String>>,
    min_coverage: Option<BTreeMap<String, f64>>,
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
    /// Folder of originals, relative to the root, with `/`.
    pub articles: String,
    /// Folder holding one folder per language, relative to the root, with `/`.
    pub translations: String,
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
        let shown = path
            .as_ref()
            .map(|p| display_path(root, p))
            .unwrap_or_default();
        let parsed: ConfigFile = match &text {
            Some(t) if !t.trim().is_empty() => yaml::from_str(t).map_err(|e| {
                Error::new(format!("invalid {shown}: {}", e.message))
                    .with_path(&shown)
                    .at(e.line, e.column)
                    .with_hint(
                        "keys are source_lang, languages, articles, translations, required, translatable, fail_on, min_coverage",
                    )
            })?,
            _ => ConfigFile::default(),
        };
        let key_error = |key: &str, message: String| {
            let line = text.as_deref().and_then(|t| key_line(t, key));
            Error::new(format!("invalid {shown}: {message}"))
                .with_path(&shown)
                .at(line, line.map(|_| 1))
        };

        let source_lang = parsed.source_lang.unwrap_or_else(|| "en".to_string());
        check_lang(&source_lang).map_err(|m| key_error("source_lang", m))?;
        let articles = parsed.articles.unwrap_or_else(|| "articles".to_string());
        let translations = parsed
            .translations
            .unwrap_or_else(|| "translations".to_string());
        for (key, dir) in [("articles", &articles), ("translations", &translations)] {
            check_folder(dir).map_err(|m| key_error(key, m))?;
        }
        if articles == translations {
            return Err(key_error(
                "translations",
                "`articles` and `translations` must be different folders".to_string(),
            ));
        }

        let languages_explicit = parsed.languages.is_some();
        let mut languages = match parsed.languages {
            Some(list) => {
                for l in &list {
                    check_lang(l).map_err(|m| key_error("languages", m))?;
                }
                list
            }
            None => language_folders(&root.join(&translations)),
        };
        if !languages.contains(&source_lang) {
            languages.push(source_lang.clone());
        }
        languages.sort();
        languages.dedup();

        let required = parsed.required.unwrap_or_default();
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
            if matches!(
                f.as_str(),
                "id" | "lang" | "translate_to" | "source_hash" | "status" | "translator"
            ) {
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
        let min_coverage = parsed.min_coverage.unwrap_or_default();
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

        Ok(Config {
            root: root.to_path_buf(),
            file: path,
            source_lang,
            languages,
            languages_explicit,
            articles: trim_slashes(&articles),
            translations: trim_slashes(&translations),
            required,
            translatable,
            fail_on,
            min_coverage,
        })
    }

    pub fn articles_dir(&self) -> PathBuf {
        self.root.join(&self.articles)
    }

    pub fn translations_dir(&self) -> PathBuf {
        self.root.join(&self.translations)
    }

    /// The path of the translation of `id` into `lang`, relative to the root.
    pub fn translation_path(&self, id: &str, lang: &str) -> String {
        format!("{}/{lang}/{id}.md", self.translations)
    }

    /// Checks that `lang` is a language of the publication.
    pub fn check_language(&self, lang: &str) -> Result<()> {
        check_lang(lang).map_err(Error::new)?;
        if self.languages.contains(&lang.to_string()) {
            Ok(())
        } else {
            Err(
                Error::new(format!("unknown language `{lang}`")).with_hint(format!(
                    "the publication's languages are {}; add it to `languages` in tandem.yaml",
                    self.languages.join(", ")
                )),
            )
        }
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

/// The language folders under the translations folder: real folders with a language-code name.
/// A symlink is not followed: a link to another folder (the originals, say) is not a language.
pub fn language_folders(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut langs: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| check_lang(name).is_ok())
        .collect();
    langs.sort();
    langs
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
