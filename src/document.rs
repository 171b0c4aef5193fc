//! Reading one file: an original article or a translation, from its text to plain data.

use crate::blocks::{fold_whitespace, Block, BlockKind};
use crate::config::{key_line, Config, FieldNames};
use crate::error::Diagnostic;
use crate::fingerprint::{block_digest, block_hash, fingerprint_of_hashes, short_digest};
use crate::frontmatter::{set_field, split};
use crate::layout::check_page_id;
use crate::names::{check_lang, printable};
use crate::yaml::{self, Value};
use serde::{Deserialize, Serialize};

/// A block's digest and size, kept after the text is dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitSummary {
    pub digest: u64,
    pub words: u32,
    pub kind: BlockKind,
}

impl UnitSummary {
    pub fn of(block: &Block) -> Self {
        UnitSummary {
            digest: block_digest(block),
            words: block.words(),
            kind: block.kind,
        }
    }
}

/// An original article, read in full.
#[derive(Debug, Clone)]
pub struct Article {
    pub id: String,
    pub path: String,
    pub lang: String,
    pub title: Option<String>,
    /// Languages this article is to be translated into.
    pub targets: Vec<String>,
    /// Whether `targets` comes from `translate_to` (else: every language but its own).
    pub explicit_targets: bool,
    /// Translatable fields first, then body blocks.
    pub units: Vec<Block>,
    /// The short digest of each unit.
    pub digests: Vec<u64>,
    pub fingerprint: String,
    /// Whether it is to be translated at all (`localizable` in tandem.yaml).
    pub localizable: bool,
    /// Its prose paragraphs' keys, sorted (see [`crate::blocks::paragraph_keys`]).
    pub paragraphs: Vec<u64>,
    /// What its translations share with it whatever the language (see
    /// [`crate::blocks::signature`]).
    pub signature: Vec<u64>,
}

/// What the engine keeps of an original once it is read. (Kept in the scan cache: a change to
/// this or to `TranslationSummary` must bump the cache's `FORMAT`.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Original {
    pub id: String,
    pub path: String,
    pub lang: String,
    pub title: Option<String>,
    /// `translate_to` as written; `None` means every language of the publication but its own
    /// (kept that way so a large publication's cache does not repeat the language list).
    pub translate_to: Option<Vec<String>>,
    pub fingerprint: String,
    pub units: Vec<UnitSummary>,
    pub words: u32,
    /// Whether it is to be translated at all (`localizable` in tandem.yaml).
    pub localizable: bool,
    /// Its prose paragraphs' keys, sorted (to notice a translation that is still a copy).
    pub paragraphs: Vec<u64>,
    /// See [`Article::signature`].
    pub signature: Vec<u64>,
    /// The id git gives the file's bytes as they were read, when the baseline is a commit (so
    /// they need not be read again to be found in the history). Not kept in the scan cache:
    /// an original taken from it is read again if its id is asked for.
    #[serde(skip)]
    pub content_id: Option<crate::git::BlobId>,
}

impl Original {
    /// Whether this article is to be translated into `lang`.
    pub fn targets(&self, lang: &str) -> bool {
        match &self.translate_to {
            Some(list) => list.iter().any(|l| l == lang),
            None => lang != self.lang,
        }
    }

    /// The languages of the publication this article is to be translated into.
    pub fn target_list(&self, languages: &[String]) -> Vec<String> {
        languages
            .iter()
            .filter(|l| self.targets(l))
            .cloned()
            .collect()
    }
}

impl Article {
    pub fn summary(&self) -> Original {
        let units: Vec<UnitSummary> = self
            .units
            .iter()
            .zip(&self.digests)
            .map(|(b, &digest)| UnitSummary {
                digest,
                words: b.words(),
                kind: b.kind,
            })
            .collect();
        Original {
            id: self.id.clone(),
            path: self.path.clone(),
            lang: self.lang.clone(),
            title: self.title.clone(),
            translate_to: self.explicit_targets.then(|| self.targets.clone()),
            fingerprint: self.fingerprint.clone(),
            words: units.iter().map(|u| u.words).sum(),
            units,
            localizable: self.localizable,
            paragraphs: self.paragraphs.clone(),
            signature: self.signature.clone(),
            content_id: None,
        }
    }
}

/// `status:` of a translation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Progress {
    Draft,
    Done,
}

/// A translation, read in full.
#[derive(Debug, Clone)]
pub struct Translation {
    pub id: String,
    pub path: String,
    pub lang: String,
    pub title: Option<String>,
    pub translator: Option<String>,
    pub source_hash: Option<String>,
    /// The commit of the originals it records (`baseline: {commit_field: …}`).
    pub recorded_commit: Option<String>,
    pub progress: Progress,
    /// The language of the translation it was made from (`translated_from: en`), when it was
    /// not made from the original.
    pub translated_from: Option<String>,
    /// Translatable fields then body blocks, as in the original.
    pub units: Vec<Block>,
}

/// What the engine keeps of a translation once it is read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TranslationSummary {
    pub id: String,
    pub translator: Option<String>,
    pub source_hash: Option<String>,
    /// The commit of the originals it records (`baseline: {commit_field: …}`).
    pub recorded_commit: Option<String>,
    pub progress: Progress,
    /// See [`Translation::translated_from`].
    pub translated_from: Option<String>,
    /// Digests of the units, kept only for drafts (to find text not yet translated).
    pub units: Vec<UnitSummary>,
    /// For done translations: the keys of a few prose paragraphs of the body (see
    /// [`crate::blocks::sample_keys`]), to notice one that is still a copy of its original.
    pub sample: Vec<u64>,
}

/// Front matter fields with the line each is on.
struct Fields<'a> {
    entries: Vec<(String, Value)>,
    yaml: &'a str,
    first_line: usize,
    path: &'a str,
    /// The front matter is TOML (`+++`), not YAML.
    toml: bool,
}

impl Fields<'_> {
    /// A field by name; a dotted name (`sidebar.label`) names a nested field, unless a
    /// top-level key is spelled that way.
    fn get(&self, key: &str) -> Option<&Value> {
        if let Some((_, v)) = self.entries.iter().find(|(k, _)| k == key) {
            return Some(v);
        }
        let mut parts = key.split('.');
        let first = parts.next()?;
        let mut value = self
            .entries
            .iter()
            .find(|(k, _)| k == first)
            .map(|(_, v)| v)?;
        for part in parts {
            let Value::Map(entries) = value else {
                return None;
            };
            value = entries.iter().find(|(k, _)| k == part).map(|(_, v)| v)?;
        }
        Some(value)
    }

    /// The line of a field (of the top-level key a nested field is under).
    fn line(&self, key: &str) -> Option<usize> {
        let key_line = if self.toml {
            crate::toml::key_line
        } else {
            key_line
        };
        key_line(self.yaml, key)
            .or_else(|| key_line(self.yaml, key.split('.').next()?))
            .map(|l| l + self.first_line - 1)
    }

    fn error(&self, key: &str, message: String) -> Diagnostic {
        let line = self.line(key);
        Diagnostic::new(self.path, message).at(line, line.map(|_| key.len() + 3))
    }

    /// A field that must be text (a number or boolean is taken as written).
    fn text(&self, key: &str) -> Result<Option<String>, Diagnostic> {
        match self.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(v @ (Value::Number(_) | Value::Bool(_))) => Ok(Some(v.to_text())),
            Some(v) => Err(self.error(
                key,
                format!("`{key}` must be text, found {}", v.type_name()),
            )),
        }
    }

    /// The id, in NFC (a file name saved in NFD names the same article).
    fn id(&self, default_id: &str, names: &FieldNames) -> Result<String, Diagnostic> {
        match self.text(&names.id)? {
            Some(id) => {
                check_page_id(&id).map_err(|m| self.error(&names.id, m))?;
                Ok(crate::names::nfc(&id).into_owned())
            }
            None => {
                check_page_id(default_id).map_err(|m| Diagnostic::new(self.path, m))?;
                Ok(crate::names::nfc(default_id).into_owned())
            }
        }
    }

    /// `lang`, as configured when it is one of the publication's languages (`ES` is `es`).
    fn lang(&self, config: &Config) -> Result<Option<String>, Diagnostic> {
        let key = &config.fields.lang;
        let lang = self.text(key)?;
        if let Some(l) = &lang {
            check_lang(l).map_err(|m| self.error(key, m))?;
        }
        Ok(lang.map(|l| config.canonical_lang(&l).map_or(l, str::to_string)))
    }

    /// The translatable fields, then the body's blocks (with their source lines if `text`).
    fn units(&self, body: &str, body_line: usize, config: &Config, text: bool) -> Vec<Block> {
        let mut units = self.translatable(config);
        let mdx = self.path.ends_with(".mdx");
        units.extend(crate::blocks::split_body_as(body, body_line, mdx, text));
        units
    }

    /// The translatable fields, as units for the fingerprint.
    fn translatable(&self, config: &Config) -> Vec<Block> {
        config
            .translatable
            .iter()
            .filter_map(|name| {
                let value = self.get(name)?.to_text();
                let folded = crate::names::nfc(&fold_whitespace(&value)).into_owned();
                (!folded.is_empty()).then(|| {
                    Block::new(
                        BlockKind::Field,
                        format!("{name}: {value}"),
                        format!("{name}: {folded}"),
                        self.line(name).unwrap_or(0),
                    )
                })
            })
            .collect()
    }
}

/// Splits the file and parses its front matter; `Err` is the reason the file is invalid.
fn read_parts<'a>(
    text: &'a str,
    path: &'a str,
) -> Result<(Fields<'a>, &'a str, usize), Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::new(path, "the file is empty").at(Some(1), None));
    }
    let parts =
        split(text).map_err(|e| Diagnostic::new(path, e.message).at(Some(e.line), Some(1)))?;
    let yaml_text = parts.yaml.unwrap_or("");
    let parse = if parts.toml {
        crate::toml::parse_mapping
    } else {
        yaml::parse_mapping
    };
    let entries = parse(yaml_text).map_err(|e| {
        Diagnostic::new(path, format!("invalid front matter: {}", e.message))
            .at(e.line.map(|l| l + parts.yaml_line - 1), e.column)
    })?;
    Ok((
        Fields {
            entries,
            yaml: yaml_text,
            first_line: parts.yaml_line,
            path,
            toml: parts.toml,
        },
        parts.body,
        parts.body_line,
    ))
}

/// Reads an original article. `default_id` is its path under the articles folder without `.md`.
pub fn read_article(
    text: &str,
    path: &str,
    default_id: &str,
    config: &Config,
) -> Result<Article, Diagnostic> {
    read_article_as(text, path, default_id, config, true)
}

/// Reads an original article for what a scan keeps of it ([`Article::summary`]): its blocks'
/// source lines are not copied out.
pub fn read_original(
    text: &str,
    path: &str,
    default_id: &str,
    config: &Config,
) -> Result<Original, Diagnostic> {
    Ok(read_article_as(text, path, default_id, config, false)?.summary())
}

fn read_article_as(
    text: &str,
    path: &str,
    default_id: &str,
    config: &Config,
    keep_text: bool,
) -> Result<Article, Diagnostic> {
    let (fields, body, body_line) = read_parts(text, path)?;
    let names = &config.fields;
    let id = fields.id(default_id, names)?;
    let lang = fields
        .lang(config)?
        .unwrap_or_else(|| config.source_lang.clone());
    let to = names.translate_to.as_str();
    let explicit_targets = !matches!(fields.get(to), None | Some(Value::Null));
    let targets = match fields.get(to) {
        None | Some(Value::Null) => config
            .languages
            .iter()
            .filter(|l| **l != lang)
            .cloned()
            .collect(),
        Some(Value::List(items)) => {
            let mut targets = Vec::new();
            for item in items {
                let Value::String(l) = item else {
                    return Err(fields.error(
                        to,
                        format!(
                            "`{to}` must be a list of language codes, found {}",
                            item.type_name()
                        ),
                    ));
                };
                check_lang(l).map_err(|m| fields.error(to, m))?;
                let Some(l) = config.canonical_lang(l) else {
                    return Err(fields.error(
                        to,
                        format!(
                            "`{to}` names `{}`, which is not one of the publication's languages ({})",
                            printable(l),
                            config.languages.join(", ")
                        ),
                    ));
                };
                if l != lang && !targets.iter().any(|t| t == l) {
                    targets.push(l.to_string());
                }
            }
            targets.sort();
            targets
        }
        Some(v) => {
            return Err(fields.error(
                to,
                format!(
                    "`{to}` must be a list of language codes such as [es, fr], found {}",
                    v.type_name()
                ),
            ))
        }
    };
    let title = fields.text("title")?;
    let localizable = match &config.localizable {
        None => true,
        Some(key) => match fields.get(key) {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => s == "true",
            _ => false,
        },
    };
    let units = fields.units(body, body_line, config, keep_text);
    let hashes: Vec<blake3::Hash> = units.iter().map(block_hash).collect();
    let fingerprint = fingerprint_of_hashes(&hashes);
    let digests = hashes.iter().map(short_digest).collect();
    Ok(Article {
        id,
        path: path.to_string(),
        lang,
        title,
        targets,
        explicit_targets,
        units,
        digests,
        fingerprint,
        localizable,
        paragraphs: crate::blocks::paragraph_keys(body),
        signature: crate::blocks::signature(body),
    })
}

/// A translation's front matter, checked.
struct TranslationHead {
    id: String,
    lang: String,
    title: Option<String>,
    translator: Option<String>,
    source_hash: Option<String>,
    recorded_commit: Option<String>,
    progress: Progress,
    translated_from: Option<String>,
}

fn translation_head(
    fields: &Fields,
    default_id: &str,
    folder_lang: &str,
    config: &Config,
) -> Result<TranslationHead, Diagnostic> {
    let names = &config.fields;
    let id = fields.id(default_id, names)?;
    let lang = match fields.lang(config)? {
        Some(l) if !l.eq_ignore_ascii_case(folder_lang) => {
            return Err(fields.error(
                &names.lang,
                format!(
                    "`lang: {l}` disagrees with the language of the folder the file is in (`{folder_lang}`)"
                ),
            ))
        }
        _ => folder_lang.to_string(),
    };
    let source_hash = fields.text(&names.source_hash)?.filter(|s| !s.is_empty());
    let recorded_commit = match &config.baseline {
        crate::config::BaselineKind::CommitField(key) => fields
            .text(key)?
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        _ => None,
    };
    let progress = match fields.text(&names.status)?.as_deref() {
        None | Some("done") => Progress::Done,
        Some("draft") => Progress::Draft,
        Some(other) => {
            let hint = if names.status == "status" {
                " (if the site uses `status` for something else, give tandem's field another name in tandem.yaml: `fields: {status: tandem_status}`)"
            } else {
                ""
            };
            return Err(fields.error(
                &names.status,
                format!(
                    "`{}: {}` is not a status: use `draft` or `done`{hint}",
                    names.status,
                    printable(other)
                ),
            ));
        }
    };
    let translated_from = match fields.text(&names.translated_from)? {
        None => None,
        Some(from) => {
            let key = &names.translated_from;
            let Some(tag) = config.canonical_lang(from.trim()) else {
                return Err(fields.error(
                    key,
                    format!(
                        "`{key}: {}` is not one of the publication's languages ({})",
                        printable(&from),
                        config.languages.join(", ")
                    ),
                ));
            };
            if tag.eq_ignore_ascii_case(&lang) {
                return Err(fields.error(
                    key,
                    format!("`{key}: {tag}` names the translation's own language"),
                ));
            }
            Some(tag.to_string())
        }
    };
    Ok(TranslationHead {
        id,
        lang,
        title: fields.text("title")?,
        translator: fields.text(&names.translator)?,
        source_hash,
        recorded_commit,
        progress,
        translated_from,
    })
}

/// Reads a translation found in the folder of `folder_lang`, body included.
pub fn read_translation(
    text: &str,
    path: &str,
    default_id: &str,
    folder_lang: &str,
    config: &Config,
) -> Result<Translation, Diagnostic> {
    let (fields, body, body_line) = read_parts(text, path)?;
    let head = translation_head(&fields, default_id, folder_lang, config)?;
    let units = fields.units(body, body_line, config, true);
    Ok(Translation {
        id: head.id,
        path: path.to_string(),
        lang: head.lang,
        title: head.title,
        translator: head.translator,
        source_hash: head.source_hash,
        recorded_commit: head.recorded_commit,
        progress: head.progress,
        translated_from: head.translated_from,
        units,
    })
}

/// Reads what the scan keeps of a translation: the body in full only for drafts, a sample of
/// its paragraphs otherwise.
pub fn read_translation_summary(
    text: &str,
    path: &str,
    default_id: &str,
    folder_lang: &str,
    config: &Config,
) -> Result<TranslationSummary, Diagnostic> {
    let (fields, body, body_line) = read_parts(text, path)?;
    let head = translation_head(&fields, default_id, folder_lang, config)?;
    let (units, sample) = if head.progress == Progress::Draft {
        let units = fields.units(body, body_line, config, false);
        (units.iter().map(UnitSummary::of).collect(), Vec::new())
    } else {
        (Vec::new(), crate::blocks::sample_keys(body))
    };
    Ok(TranslationSummary {
        id: head.id,
        translator: head.translator,
        source_hash: head.source_hash,
        recorded_commit: head.recorded_commit,
        progress: head.progress,
        translated_from: head.translated_from,
        units,
        sample,
    })
}

/// Records `commit` (of the originals' repository) in a translation's commit field
/// (`l10n.sourceCommit`, nested keys kept nested, a trailing comment dropped), and `status: done`
/// for a draft. Only those values change; the result is read back like [`stamp`]'s.
pub fn record_commit(
    text: &str,
    path: &str,
    default_id: &str,
    lang: &str,
    config: &Config,
    field: &str,
    commit: &str,
) -> Result<String, Diagnostic> {
    rewrite(
        Rewrite {
            text,
            path,
            default_id,
            lang,
            config,
            what: &format!("`{field}`"),
            flat_only: &[],
        },
        |t| crate::frontmatter::set_nested_field(t, field, commit),
        |after| after.recorded_commit.as_deref() == Some(commit),
    )
}

/// Records `fingerprint` in a translation's text: sets `source_hash`, and `status: done` when a
/// status other than done is written. Only those values change. The result is read back: if
/// it is not the same translation with the new stamp (front matter too unusual to edit by
/// line), it is refused rather than written.
pub fn stamp(
    text: &str,
    path: &str,
    default_id: &str,
    lang: &str,
    config: &Config,
    fingerprint: &str,
) -> Result<String, Diagnostic> {
    let names = &config.fields;
    rewrite(
        Rewrite {
            text,
            path,
            default_id,
            lang,
            config,
            what: "source_hash",
            flat_only: &[&names.source_hash, &names.status],
        },
        |t| set_field(t, &names.source_hash, &yaml::scalar(fingerprint)),
        |after| after.source_hash.as_deref() == Some(fingerprint),
    )
}

/// The translation a record is written into.
struct Rewrite<'r> {
    text: &'r str,
    path: &'r str,
    default_id: &'r str,
    lang: &'r str,
    config: &'r Config,
    /// The field written, for messages.
    what: &'r str,
    /// Fields that must not be nested (tandem writes them line by line).
    flat_only: &'r [&'r str],
}

/// Writes a record into a translation with `write`, and `status: done` for a draft, then reads
/// the result back: it must hold the record (`holds`) and be the same translation otherwise,
/// or it is refused rather than written.
fn rewrite(
    r: Rewrite,
    write: impl Fn(&str) -> Result<String, crate::frontmatter::SplitError>,
    holds: impl Fn(&Translation) -> bool,
) -> Result<String, Diagnostic> {
    let what = r.what;
    let refuse =
        |why: &str| Diagnostic::new(r.path, format!("cannot set {what} automatically: {why}"));
    let before = read_translation(r.text, r.path, r.default_id, r.lang, r.config)?;
    let status = r.config.fields.status.as_str();
    let draft_status = [status];
    let also = if before.progress == Progress::Draft {
        &draft_status[..]
    } else {
        &[]
    };
    let nested = r.flat_only.iter().chain(also).find(|k| k.contains('.'));
    if let Some(key) = nested {
        return Err(refuse(&format!(
            "`{key}` is a nested field, which tandem does not write; set it by hand"
        )));
    }
    let mut out = write(r.text).map_err(|e| refuse(&e.message).at(Some(e.line), None))?;
    // A readable status is `draft` or `done` (or absent): only a draft needs rewriting.
    if before.progress == Progress::Draft {
        out = set_field(&out, status, "done").map_err(|e| refuse(&e.message))?;
    }
    let after = read_translation(&out, r.path, r.default_id, r.lang, r.config)
        .map_err(|d| refuse(&format!("the result would not read back ({})", d.message)))?;
    let same = holds(&after)
        && after.progress == Progress::Done
        && after.id == before.id
        && after.title == before.title
        && after.translator == before.translator
        && after.units.len() == before.units.len()
        && after
            .units
            .iter()
            .zip(&before.units)
            .all(|(a, b)| a.normalized == b.normalized);
    if same {
        Ok(out)
    } else {
        Err(refuse(
            "the result would not read back as the same translation",
        ))
    }
}
