//! `tandem init`: writes tandem.yaml and creates the folders; never overwrites anything. In an
//! existing site it recognises the layout (Hugo, tldr, Starlight, Docusaurus, MDN) and writes a
//! configuration that reads the site as it is.

use crate::commands::Context;
use crate::config::{Config, CONFIG_FILE};
use crate::error::{Error, Result};
use crate::layout::{discover_languages, language_of_folder, Language, Layout};
use crate::scan::{language_folders, list_language, list_originals, ScanOptions};
use crate::snapshot::{SnapshotStore, SNAPSHOTS_DIR};
use crate::write::{create_dir_all, write_atomic};
use std::path::Path;

/// A site recognised by its folders.
struct Site {
    /// What was recognised, for the message.
    kind: &'static str,
    source_lang: String,
    languages: Vec<Language>,
    /// `(originals, translations)` patterns.
    entries: Vec<(String, String)>,
    source_root: Option<String>,
    localizable: Option<&'static str>,
    /// The front matter field in which this kind of site records the commit of the originals
    /// a translation was made from, if it has one (MDN, OpenTelemetry).
    commit_field: Option<&'static str>,
    /// The front matter fields of its pages a translator translates: shown to readers, a
    /// change to one is work.
    translatable: &'static [&'static str],
    /// Its pages' `id:` means something of the site's own (Docusaurus: a page's name within its
    /// folder, which every version of the page repeats), not the article tandem pairs by.
    own_id: bool,
    /// Folders beside the language folders that are no language (`docs/public`): excluded.
    exclude: Vec<String>,
}

/// Lunaria's ignored keywords and whether they are its default (its configuration sets none), or
/// why they could not be read.
type Lunaria = std::result::Result<(Vec<String>, bool), String>;

/// What `init` adds to a recognised site's configuration besides its layout.
#[derive(Default)]
struct Extras {
    /// The site's own `status:` means something else: tandem's is renamed.
    own_status: bool,
    /// The `baseline:` line's value and comment, when not stamps.
    baseline: Option<String>,
}

/// What the translations found say about each other, read once.
#[derive(Default)]
struct Survey {
    own_status: bool,
    translations: usize,
    /// Translations that carry a `source_hash`.
    stamped: usize,
    /// Translations that carry the site's commit field.
    recorded: usize,
}

/// What each translation was made from, as the site records it: the `baseline` init writes.
enum Record {
    /// No translation yet, or every one stamped: tandem's own stamps.
    Stamps { stamped: usize, translations: usize },
    /// A commit in front matter.
    Field {
        field: &'static str,
        recorded: usize,
        translations: usize,
    },
    /// Nothing recorded, but the originals are in a git repository: its history.
    History {
        shallow: bool,
        /// Lunaria's ignored keywords, and the file they were read from (or why they could not
        /// be).
        lunaria: Option<(String, Lunaria)>,
    },
    /// Nothing recorded (or only some stamps) and no history: translations are untracked until
    /// marked.
    Nothing { stamped: usize, translations: usize },
}

pub fn execute(ctx: &mut Context) -> Result<u8> {
    let root = ctx.location.start()?;
    let config_path = match &ctx.location.config {
        Some(f) if f.is_absolute() => f.clone(),
        Some(f) => root.join(f),
        None => root.join(CONFIG_FILE),
    };
    let shown = crate::config::display_path(&root, &config_path);
    if config_path.exists() {
        return Err(Error::new(format!(
            "{shown} already exists; tandem init never overwrites it"
        ))
        .with_path(&shown)
        .with_hint("edit it by hand, or delete it and run `tandem init` again"));
    }
    if ctx.location.config.is_none() {
        if let Some(above) = publication_above(&root) {
            return Err(Error::new(format!(
                "this folder is already inside the publication at {}",
                above.display()
            ))
            .with_hint("run tandem there (it finds its tandem.yaml from any folder inside it)"));
        }
    }
    if let Some(other) = mdn_content_with_sibling(&root) {
        return Err(Error::new(format!(
            "this is MDN's content repository; its translations are in {other}"
        ))
        .with_hint(format!(
            "run `tandem init -C {other}`: the configuration belongs with the translations, and reads the originals from here"
        )));
    }

    let site = recognise(&root);
    let mut record = None;
    let yaml = match &site {
        Some(site) => {
            let plain = site_yaml(site, &Extras::default());
            let survey = survey(&root, &plain, site.commit_field)?;
            // A site whose own `status:` means something else keeps it: tandem's gets a name of
            // its own; and what each translation was made from is read as the site records it.
            let config = Config::from_text(&root, Some(root.join(CONFIG_FILE)), Some(&plain))?;
            let found = Record::of(&survey, &config, site.commit_field);
            let yaml = site_yaml(
                site,
                &Extras {
                    own_status: survey.own_status,
                    baseline: found.yaml(),
                },
            );
            record = Some(found);
            yaml
        }
        None => default_yaml(&root),
    };

    let mut created = Vec::new();
    if site.is_none() {
        for dir in ["articles", "translations"] {
            let path = root.join(dir);
            if !path.exists() {
                create_dir_all(&path)?;
                created.push(format!("{dir}/"));
            }
        }
    }
    let snapshots_existed = root.join(SNAPSHOTS_DIR).exists();
    SnapshotStore::new(&root).ensure_layout()?;
    if !snapshots_existed {
        created.push(format!("{SNAPSHOTS_DIR}/"));
    }
    if let Some(parent) = config_path.parent() {
        create_dir_all(parent)?;
    }
    write_atomic(&config_path, yaml.as_bytes())?;
    let config = Config::load(&root, Some(&config_path))?;
    writeln!(
        ctx.out,
        "created {shown} (languages: {})",
        config.languages.join(", ")
    )?;
    if let Some(site) = &site {
        writeln!(ctx.out, "recognised {}:", site.kind)?;
        for line in counts(&config) {
            writeln!(ctx.out, "  {line}")?;
        }
    }
    if let Some(record) = &record {
        for line in record.says() {
            writeln!(ctx.out, "{line}")?;
        }
    }
    for c in created {
        writeln!(ctx.out, "created {c}")?;
    }
    Ok(crate::exit::OK)
}

/// The nearest folder above `start` that holds a tandem.yaml.
fn publication_above(start: &Path) -> Option<std::path::PathBuf> {
    let absolute = start.canonicalize().ok()?;
    absolute
        .ancestors()
        .skip(1)
        .find(|d| d.join(CONFIG_FILE).is_file())
        .map(Path::to_path_buf)
}

/// What the configuration finds: the patterns, and how many files each side has.
fn counts(config: &Config) -> Vec<String> {
    let options = ScanOptions::default();
    let mut lines = Vec::new();
    for e in &config.layout.entries {
        lines.push(format!(
            "originals {} ↔ translations {}",
            e.originals.as_str(),
            e.translations.as_str()
        ));
    }
    let originals = list_originals(config, options);
    let under = config
        .layout
        .source_root
        .as_ref()
        .map(|s| format!(" (under {s}/)"))
        .unwrap_or_default();
    lines.push(format!(
        "{} originals in {}{under}",
        originals.len(),
        config.source_lang
    ));
    let (langs, _) = language_folders(config);
    for lang in langs {
        let n = list_language(config, &lang, options).len();
        if n == 0 && lang == config.source_lang {
            continue;
        }
        let s = if n == 1 { "" } else { "s" };
        lines.push(format!("{n} translation{s} into {lang}"));
    }
    lines
}

/// tandem's own layout, with the language folders found under translations/.
fn default_yaml(root: &Path) -> String {
    let source_lang = "en";
    let mut languages = vec![source_lang.to_string()];
    let (found, _) = discover_languages(
        root,
        &Layout::folders("articles", "translations"),
        source_lang,
    );
    languages.extend(found.into_iter().map(|l| l.tag));
    languages.sort();
    languages.dedup();
    format!(
        "# tandem configuration. Every key is optional; `languages` lists the folders found\n\
         # under translations/ when this file was written.\n\
         source_lang: {source_lang}                # language of originals that do not say\n\
         languages: [{}]         # every language of the publication\n\
         articles: articles             # folder of originals\n\
         translations: translations     # one folder per language inside\n\
         required: []                   # languages `tandem check` requires to be complete\n\
         translatable: [title]          # front matter fields that count in the fingerprint\n",
        languages.join(", ")
    )
}

/// The configuration of a recognised site.
fn site_yaml(site: &Site, extras: &Extras) -> String {
    let lang = |l: &Language| {
        if l.tag == l.folder {
            l.tag.clone()
        } else {
            format!("{{{}: {}}}", l.tag, l.folder)
        }
    };
    let source = language_of_folder(&site.source_lang, false).unwrap_or(Language {
        tag: site.source_lang.clone(),
        folder: site.source_lang.clone(),
    });
    let mut languages: Vec<String> = site.languages.iter().map(lang).collect();
    languages.insert(0, lang(&source));
    let mut yaml = format!(
        "# tandem configuration for {}, written by `tandem init`.\n\
         # Every key is optional; `languages` lists the languages found when this was written.\n",
        site.kind
    );
    yaml.push_str(&format!("source_lang: {}\n", source.tag));
    yaml.push_str(&format!("languages: [{}]\n", languages.join(", ")));
    if let Some(s) = &site.source_root {
        yaml.push_str(&format!(
            "source_root: {s}              # the originals (and their history) live here\n"
        ));
    }
    yaml.push_str("layout:\n");
    for (o, t) in &site.entries {
        yaml.push_str(&format!(
            "  - originals: {}\n    translations: {}\n",
            crate::yaml::scalar(o),
            crate::yaml::scalar(t)
        ));
    }
    if !site.exclude.is_empty() {
        let folders: Vec<String> = site
            .exclude
            .iter()
            .map(|e| crate::yaml::scalar(e))
            .collect();
        yaml.push_str(&format!(
            "exclude: [{}]   # folders beside the languages' that are none\n",
            folders.join(", ")
        ));
    }
    if let Some(l) = site.localizable {
        yaml.push_str(&format!(
            "localizable: {l}               # only originals with {l}: true are translated\n"
        ));
    }
    if extras.own_status || site.own_id {
        yaml.push_str("fields:\n");
    }
    if site.own_id {
        yaml.push_str(
            "  id: tandem_id                 # the site's own `id:` names a page within its folder\n",
        );
    }
    if extras.own_status {
        yaml.push_str(
            "  status: tandem_status         # the site's own `status:` means something else\n",
        );
    }
    yaml.push_str("required: []\n");
    if let Some(baseline) = &extras.baseline {
        yaml.push_str(&format!("baseline: {baseline}\n"));
    }
    yaml.push_str(&format!(
        "translatable: [{}]   # front matter fields that are text to translate\n",
        site.translatable.join(", ")
    ));
    yaml
}

/// Reads every translation the configuration `yaml` finds once: whether the site's own
/// `status:` means something other than tandem's draft/done, and how many translations carry
/// a `source_hash` or the site's commit field `commit_field`.
fn survey(root: &Path, yaml: &str, commit_field: Option<&str>) -> Result<Survey> {
    let mut text = yaml.to_string();
    if let Some(field) = commit_field {
        text.push_str(&format!("baseline: {{commit_field: {field}}}\n"));
    }
    let config = Config::from_text(root, Some(root.join(CONFIG_FILE)), Some(&text))?;
    let (langs, _) = language_folders(&config);
    let options = ScanOptions::default();
    let mut survey = Survey::default();
    for lang in langs {
        let listing = list_language(&config, &lang, options);
        let folder = crate::scan::read_language(&config, &lang, listing, options).0;
        for file in &folder.files {
            match &file.result {
                Ok(t) => {
                    survey.translations += 1;
                    survey.stamped += usize::from(t.source_hash.is_some());
                    survey.recorded += usize::from(t.recorded_commit.is_some());
                }
                Err(d) => {
                    survey.translations += 1;
                    survey.own_status |= d.message.contains("is not a status");
                }
            }
        }
    }
    Ok(survey)
}

impl Record {
    /// What the site records, from what its translations carry and where its originals are.
    fn of(survey: &Survey, config: &Config, commit_field: Option<&'static str>) -> Record {
        let translations = survey.translations;
        if translations == 0 || survey.stamped == translations {
            return Record::Stamps {
                stamped: survey.stamped,
                translations,
            };
        }
        if let Some(field) = commit_field.filter(|_| survey.recorded > 0) {
            return Record::Field {
                field,
                recorded: survey.recorded,
                translations,
            };
        }
        match crate::git::Repo::open(&config.layout.originals_root(&config.root)) {
            Ok(Some(repo)) => Record::History {
                shallow: repo.is_shallow(),
                lunaria: lunaria_ignored(&config.root).or_else(|| {
                    // Beside the pages (`docs/lunaria.config.json`), when not at the root.
                    let first = config.layout.entries.first()?.originals.as_str();
                    let top = first.split('/').next().filter(|t| !t.contains('{'))?;
                    lunaria_ignored(&config.root.join(top))
                        .map(|(file, words)| (format!("{top}/{file}"), words))
                }),
            },
            _ => Record::Nothing {
                stamped: survey.stamped,
                translations,
            },
        }
    }

    /// The value of the `baseline:` line, with a comment; `None` for stamps (the default).
    fn yaml(&self) -> Option<String> {
        match self {
            Record::Stamps { .. } | Record::Nothing { .. } => None,
            Record::Field { field, .. } => Some(format!(
                "{{commit_field: {field}}}   # each translation records the originals' commit it was made from"
            )),
            Record::History {
                lunaria: Some((_, Ok((words, _)))),
                ..
            } if !words.is_empty() => {
                let words: Vec<String> = words.iter().map(|w| crate::yaml::scalar(w)).collect();
                Some(format!(
                    "{{git: {{ignore: [{}]}}}}   # the history; commits whose subject holds one of these do not count (Lunaria's ignoredKeywords)",
                    words.join(", ")
                ))
            }
            Record::History { .. } => Some(
                "git                  # nothing recorded in the files: each translation's last commit tells"
                    .to_string(),
            ),
        }
    }

    /// What `init` says about it.
    fn says(&self) -> Vec<String> {
        let of = |n: usize, total: usize| {
            let s = if total == 1 { "" } else { "s" };
            format!("{n} of {total} translation{s}")
        };
        match self {
            Record::Stamps {
                translations: 0, ..
            } => Vec::new(),
            Record::Stamps {
                stamped,
                translations,
            } => vec![format!(
                "baseline: stamps ({} carry a source_hash)",
                of(*stamped, *translations)
            )],
            Record::Field {
                field,
                recorded,
                translations,
            } => vec![format!(
                "baseline: the commit in `{field}` ({} record one)",
                of(*recorded, *translations)
            )],
            Record::History { shallow, lunaria } => {
                let mut lines = vec![
                    "baseline: git (no translation records what it was made from: each is judged by the original as it was at the translation's last commit)"
                        .to_string(),
                ];
                match lunaria {
                    Some((file, Ok((words, default)))) if !words.is_empty() => {
                        let from = if *default {
                            format!("Lunaria's default: {file} sets none")
                        } else {
                            format!("Lunaria's ignoredKeywords, from {file}")
                        };
                        lines.push(format!(
                            "  commits whose subject holds {} ({from}) do not count",
                            words.join(", ")
                        ));
                    }
                    Some((file, Err(why))) => lines.push(format!(
                        "  Lunaria's ignoredKeywords in {file} could not be read ({why}): list them under baseline: {{git: {{ignore: [...]}}}} by hand"
                    )),
                    _ => {}
                }
                if *shallow {
                    lines.push(format!(
                        "  this clone is shallow: {}",
                        crate::baseline::HISTORY_HINT
                    ));
                }
                lines
            }
            Record::Nothing {
                stamped,
                translations,
            } => vec![format!(
                "baseline: stamps ({} carry a source_hash; the others are untracked until `tandem mark` records what each was made from, or, in a git repository, `baseline: git` reads it from the history)",
                of(*stamped, *translations)
            )],
        }
    }
}

/// Lunaria's ignored keywords (commits that do not count), when the site has a Lunaria
/// configuration: the file, and its list, Lunaria's default when it sets none, or why the list
/// could not be read (it is code, and only a plain list of strings is read from it).
fn lunaria_ignored(root: &Path) -> Option<(String, Lunaria)> {
    /// Lunaria's default `tracking.ignoredKeywords`.
    const DEFAULT: [&str; 2] = ["lunaria-ignore", "fix typo"];
    let names = [
        "lunaria.config.json",
        "lunaria.config.ts",
        "lunaria.config.mts",
        "lunaria.config.js",
        "lunaria.config.mjs",
        "lunaria.config.cjs",
    ];
    let (name, text) = names
        .iter()
        .find_map(|n| Some((*n, read_small(&root.join(n))?)))?;
    let words = if name.ends_with(".json") {
        serde_json::from_str::<serde_json::Value>(&text)
            .map_err(|e| e.to_string())
            .and_then(|v| {
                // `tracking.ignoredKeywords`, or the older top-level `ignoreKeywords`.
                let list = v
                    .pointer("/tracking/ignoredKeywords")
                    .or_else(|| v.get("ignoreKeywords"));
                match list {
                    None => Ok((DEFAULT.map(str::to_string).to_vec(), true)),
                    Some(list) => list
                        .as_array()
                        .and_then(|items| {
                            items
                                .iter()
                                .map(|i| i.as_str().map(str::to_string))
                                .collect()
                        })
                        .map(|words| (words, false))
                        .ok_or_else(|| "it is not a list of strings".to_string()),
                }
            })
    } else {
        ["ignoredKeywords", "ignoreKeywords"]
            .iter()
            .find_map(|key| string_list_after(&text, key))
            .map(|words| words.map(|w| (w, false)))
            .unwrap_or_else(|| Ok((DEFAULT.map(str::to_string).to_vec(), true)))
    };
    Some((name.to_string(), words))
}

/// In JavaScript or TypeScript source, the list of string literals written after `key:`
/// (`key: ['a', "b"],`); `None` when `key:` is not there, an error when what follows is not a
/// plain list of strings (a variable, a spread, a template with a value in it).
fn string_list_after(text: &str, key: &str) -> Option<std::result::Result<Vec<String>, String>> {
    let at = text.match_indices(key).find_map(|(i, _)| {
        let before = text[..i].chars().next_back();
        let rest = text[i + key.len()..].trim_start();
        let plain_start = !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$');
        (plain_start && rest.starts_with(':')).then(|| rest[1..].trim_start())
    })?;
    let not_plain = || Err(format!("`{key}` is not a plain list of strings"));
    let Some(mut rest) = at.strip_prefix('[') else {
        return Some(not_plain());
    };
    let mut words = Vec::new();
    loop {
        rest = skip_comments(rest);
        if rest.starts_with(']') {
            return Some(Ok(words));
        }
        let Some(quote) = rest
            .chars()
            .next()
            .filter(|c| matches!(c, '\'' | '"' | '`'))
        else {
            return Some(not_plain());
        };
        let body = &rest[1..];
        let Some(end) = body.find(quote) else {
            return Some(not_plain());
        };
        let word = &body[..end];
        if word.contains('\\') || word.contains('\n') || (quote == '`' && word.contains("${")) {
            return Some(not_plain());
        }
        words.push(word.to_string());
        rest = skip_comments(&body[end + 1..]);
        match rest.strip_prefix(',') {
            Some(after) => rest = after,
            None if rest.starts_with(']') => {}
            None => return Some(not_plain()),
        }
    }
}

/// `text` after its leading white space and comments (`// …` to the end of the line, `/* … */`).
fn skip_comments(mut text: &str) -> &str {
    loop {
        text = text.trim_start();
        if let Some(line) = text.strip_prefix("//") {
            text = line.find('\n').map_or("", |i| &line[i..]);
        } else if let Some(block) = text.strip_prefix("/*") {
            text = block.find("*/").map_or("", |i| &block[i + 2..]);
        } else {
            return text;
        }
    }
}

/// The folder names of `dir` (real folders, not links), sorted.
fn folders(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    names
}

/// The languages among folder names (with `prefix` before the language), but the source's.
fn languages_in(names: &[String], prefix: &str, source: &str, strict: bool) -> Vec<Language> {
    let mut out: Vec<Language> = names
        .iter()
        .filter_map(|n| n.strip_prefix(prefix))
        .filter(|v| !v.eq_ignore_ascii_case(source))
        .filter_map(|v| language_of_folder(v, strict))
        .collect();
    out.sort_by(|a, b| a.tag.cmp(&b.tag));
    out
}

/// In MDN's content repository with translated-content beside it: the path of that sibling.
fn mdn_content_with_sibling(root: &Path) -> Option<String> {
    if !root.join("files/en-us").is_dir() {
        return None;
    }
    ["../translated-content", "../translated-content-de"]
        .into_iter()
        .find(|s| root.join(s).join("files").is_dir())
        .map(str::to_string)
}

/// Recognises a site by its folders.
fn recognise(root: &Path) -> Option<Site> {
    // MDN: translated-content, with the content repository beside it.
    if root.join("files").is_dir() && !root.join("files/en-us").exists() {
        let sibling = ["../content", "../mdn-content"]
            .into_iter()
            .find(|s| root.join(s).join("files/en-us").is_dir());
        if let Some(source_root) = sibling {
            let languages = languages_in(&folders(&root.join("files")), "", "en-us", false);
            return Some(Site {
                kind: "MDN translated-content (originals in the content repository beside it)",
                source_lang: "en-us".into(),
                languages,
                entries: vec![(
                    "files/en-us/{id}/index.md".into(),
                    "files/{lang}/{id}/index.md".into(),
                )],
                source_root: Some(source_root.into()),
                localizable: None,
                commit_field: Some("l10n.sourceCommit"),
                translatable: &["title"],
                own_id: false,
                exclude: Vec::new(),
            });
        }
    }
    // Docusaurus: docs/ and i18n/<lang>/docusaurus-plugin-content-docs/.
    let i18n = folders(&root.join("i18n"));
    let docusaurus: Vec<String> = i18n
        .iter()
        .filter(|l| {
            root.join("i18n")
                .join(l)
                .join("docusaurus-plugin-content-docs")
                .is_dir()
        })
        .cloned()
        .collect();
    if !docusaurus.is_empty() && root.join("docs").is_dir() {
        let mut entries = vec![(
            "docs/{id}.{md,mdx}".to_string(),
            "i18n/{lang}/docusaurus-plugin-content-docs/current/{id}.{md,mdx}".to_string(),
        )];
        if root.join("versioned_docs").is_dir() {
            // Each version's pages have the version folder in their id (`version-2.0/intro`).
            entries.push((
                "versioned_docs/{id}.{md,mdx}".to_string(),
                "i18n/{lang}/docusaurus-plugin-content-docs/{id}.{md,mdx}".to_string(),
            ));
        }
        if root.join("blog").is_dir() {
            entries.push((
                "blog/{id}.{md,mdx}".to_string(),
                "i18n/{lang}/docusaurus-plugin-content-blog/{id}.{md,mdx}".to_string(),
            ));
        }
        return Some(Site {
            kind: "a Docusaurus site",
            source_lang: "en".into(),
            languages: languages_in(&docusaurus, "", "en", false),
            entries,
            source_root: None,
            localizable: None,
            commit_field: None,
            translatable: &["title", "description", "sidebar_label"],
            own_id: ["docs", "versioned_docs", "i18n"]
                .iter()
                .any(|d| has_field(&root.join(d), "id")),
            exclude: Vec::new(),
        });
    }
    // tldr: pages/ and pages.<lang>/.
    if root.join("pages").is_dir() {
        let names: Vec<String> = folders(root);
        let languages = languages_in(&names, "pages.", "en", false);
        if !languages.is_empty() {
            return Some(Site {
                kind: "a tldr-style site (pages/ and pages.<lang>/)",
                source_lang: "en".into(),
                languages,
                entries: vec![("pages/{id}.md".into(), "pages.{lang}/{id}.md".into())],
                source_root: None,
                localizable: None,
                commit_field: None,
                translatable: &["title"],
                own_id: false,
                exclude: Vec::new(),
            });
        }
    }
    // Starlight and Astro: src/content/docs/, English at the root or in en/.
    for base in ["src/content/docs", "docs/src/content/docs"] {
        let dir = root.join(base);
        if !dir.is_dir() {
            continue;
        }
        let names = folders(&dir);
        let languages = languages_in(&names, "", "en", true);
        if languages.is_empty() {
            continue;
        }
        let english_folder = names.iter().any(|n| n == "en");
        let originals = if english_folder {
            format!("{base}/en/{{id}}.{{md,mdx}}")
        } else {
            format!("{base}/{{id}}.{{md,mdx}}")
        };
        let localizable = has_field(&dir, "i18nReady").then_some("i18nReady");
        return Some(Site {
            kind: if english_folder {
                "a Starlight/Astro docs site (English in en/)"
            } else {
                "a Starlight site (English at the root, one folder per other language)"
            },
            source_lang: "en".into(),
            languages,
            entries: vec![(originals, format!("{base}/{{lang}}/{{id}}.{{md,mdx}}"))],
            source_root: None,
            localizable,
            commit_field: None,
            translatable: &[
                "title",
                "description",
                "sidebar.label",
                "hero.title",
                "hero.tagline",
            ],
            own_id: false,
            exclude: Vec::new(),
        });
    }
    // Hugo / Docsy: content/<lang>/.
    let content = folders(&root.join("content"));
    if content.iter().any(|n| n == "en") {
        let languages = languages_in(&content, "", "en", false);
        if !languages.is_empty() {
            return Some(Site {
                kind: "a Hugo site (content/<lang>/)",
                source_lang: "en".into(),
                languages,
                entries: vec![("content/en/{id}.md".into(), "content/{lang}/{id}.md".into())],
                source_root: None,
                localizable: None,
                commit_field: Some("default_lang_commit"),
                translatable: &["title", "description", "linkTitle"],
                own_id: false,
                exclude: Vec::new(),
            });
        }
    }
    // A documentation folder with one folder per language, English in `en/` (VitePress and
    // the like): `docs/en/guide.md` and `docs/zh/guide.md`.
    let names = folders(&root.join("docs"));
    if names.iter().any(|n| n == "en") && has_page(&root.join("docs/en")) {
        let languages: Vec<Language> = languages_in(&names, "", "en", true)
            .into_iter()
            .filter(|l| has_page(&root.join("docs").join(&l.folder)))
            .collect();
        if !languages.is_empty() {
            // Its other folders (`public/`, `components/`) are no language.
            let exclude = names
                .iter()
                .filter(|n| *n != "en" && !languages.iter().any(|l| &l.folder == *n))
                .map(|n| format!("docs/{n}"))
                .collect();
            return Some(Site {
                kind: "a documentation site with a folder per language (docs/<lang>/, English in docs/en/)",
                source_lang: "en".into(),
                languages,
                entries: vec![(
                    "docs/en/{id}.{md,mdx}".into(),
                    "docs/{lang}/{id}.{md,mdx}".into(),
                )],
                source_root: None,
                localizable: None,
                commit_field: None,
                translatable: &["title", "description"],
                own_id: false,
                exclude,
            });
        }
    }
    // Hugo or Zola with translations beside their originals: `content/x.md` and `content/x.es.md`.
    let suffixed = suffixed_languages(&root.join("content"));
    if !suffixed.is_empty() {
        let source_lang = default_language(root).unwrap_or_else(|| "en".to_string());
        return Some(Site {
            kind: "a Hugo or Zola site (translations beside their originals: <name>.<lang>.md)",
            languages: suffixed
                .into_iter()
                .filter(|l| !l.tag.eq_ignore_ascii_case(&source_lang))
                .collect(),
            source_lang,
            entries: vec![("content/{id}.md".into(), "content/{id}.{lang}.md".into())],
            source_root: None,
            localizable: None,
            commit_field: None,
            translatable: &["title", "description", "linkTitle"],
            own_id: false,
            exclude: Vec::new(),
        });
    }
    None
}

/// The languages of pages named `<name>.<lang>.md` beside a `<name>.md` under `dir` (at most the
/// first 100,000 files looked at), sorted.
fn suffixed_languages(dir: &Path) -> Vec<Language> {
    let mut found: Vec<Language> = Vec::new();
    let mut seen = 0;
    for (_, names) in folders_under(dir) {
        seen += names.len();
        if seen > 100_000 {
            break;
        }
        for name in &names {
            let Some(stem) = name.strip_suffix(".md") else {
                continue;
            };
            let Some((page, lang)) = stem.rsplit_once('.') else {
                continue;
            };
            if !names.iter().any(|n| n.strip_suffix(".md") == Some(page)) {
                continue;
            }
            if let Some(l) = language_of_folder(lang, true) {
                if !found.iter().any(|f| f.tag == l.tag) {
                    found.push(l);
                }
            }
        }
    }
    found.sort_by(|a, b| a.tag.cmp(&b.tag));
    found
}

/// The language of pages without one in their name, as the site's configuration says (Hugo's
/// `defaultContentLanguage`, Zola's `default_language`), if it says.
fn default_language(root: &Path) -> Option<String> {
    let files = [
        "hugo.toml",
        "hugo.yaml",
        "hugo.yml",
        "config.toml",
        "config.yaml",
        "config.yml",
        "config/_default/hugo.toml",
        "config/_default/config.toml",
        "config/_default/hugo.yaml",
        "config/_default/config.yaml",
    ];
    files.iter().find_map(|f| {
        let text = read_small(&root.join(f))?;
        text.lines().find_map(|line| {
            let (key, value) = line.split_once(['=', ':'])?;
            let key = key.trim();
            if !(key.eq_ignore_ascii_case("defaultContentLanguage") || key == "default_language") {
                return None;
            }
            let value = value.split('#').next()?.trim().trim_matches(['"', '\'']);
            language_of_folder(value, false).map(|l| l.tag)
        })
    })
}

/// The text of a configuration file or page `init` looks into: only a file of its own (not a
/// link, which could lead anywhere, `/dev/zero` included) of at most 1 MiB.
fn read_small(path: &Path) -> Option<String> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_file() || meta.len() > 1 << 20 {
        return None;
    }
    let mut text = String::new();
    use std::io::Read;
    std::fs::File::open(path)
        .ok()?
        .take(1 << 20)
        .read_to_string(&mut text)
        .ok()?;
    Some(text)
}

/// Each folder under `dir` (`dir` first; links to folders are not followed) with the names of
/// what else it holds, one folder at a time as they are read.
fn folders_under(dir: &Path) -> impl Iterator<Item = (std::path::PathBuf, Vec<String>)> {
    let mut stack = vec![dir.to_path_buf()];
    std::iter::from_fn(move || loop {
        let d = stack.pop()?;
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        let mut names = Vec::new();
        for e in entries.filter_map(|e| e.ok()) {
            match e.file_type() {
                Ok(t) if t.is_dir() => stack.push(e.path()),
                Ok(_) => names.extend(e.file_name().into_string().ok()),
                Err(_) => {}
            }
        }
        return Some((d, names));
    })
}

fn is_page(name: &str) -> bool {
    name.ends_with(".md") || name.ends_with(".mdx")
}

/// Whether there is a page (`.md`, `.mdx`) anywhere under `dir`.
fn has_page(dir: &Path) -> bool {
    folders_under(dir).any(|(_, names)| names.iter().any(|n| is_page(n)))
}

/// Whether some page under `dir` (looked at until one is found, at most a few hundred) has
/// front matter field `field`.
fn has_field(dir: &Path, field: &str) -> bool {
    let key = format!("{field}:");
    folders_under(dir)
        .flat_map(|(d, names)| {
            names
                .into_iter()
                .filter(|n| is_page(n))
                .map(move |n| d.join(n))
        })
        .take(500)
        .filter_map(|path| read_small(&path))
        .any(|text| {
            crate::frontmatter::split(&text)
                .ok()
                .and_then(|s| s.yaml)
                .is_some_and(|y| y.lines().any(|l| l.starts_with(&key)))
        })
}

#[cfg(test)]
mod tests {
    use super::string_list_after;

    fn list(text: &str) -> Option<Result<Vec<String>, String>> {
        string_list_after(text, "ignoredKeywords")
    }

    #[test]
    fn lunaria_keywords_are_read_only_from_a_plain_list_of_strings() {
        let words = |w: &[&str]| Some(Ok(w.iter().map(|s| s.to_string()).collect()));
        assert_eq!(
            list("x = { ignoredKeywords: ['a', \"b c\"] }"),
            words(&["a", "b c"])
        );
        assert_eq!(
            list("ignoredKeywords:[\n  'a', // a note\n  /* x */ `b`,\n]"),
            words(&["a", "b"])
        );
        assert_eq!(list("ignoredKeywords: []"), words(&[]));
        // Another key that ends the same way, then the real one.
        assert_eq!(
            list("myignoredKeywords: ['no'], ignoredKeywords: ['yes']"),
            words(&["yes"])
        );
        assert_eq!(list("tracking: { localizableProperty: 'i18nReady' }"), None);
        for code in [
            "ignoredKeywords: keywords",
            "ignoredKeywords: [...defaults, 'a']",
            "ignoredKeywords: [`${prefix}-ignore`]",
            "ignoredKeywords: ['it\\'s']",
            "ignoredKeywords: ['unclosed",
            "ignoredKeywords: ['a' 'b']",
        ] {
            assert!(
                matches!(list(code), Some(Err(_))),
                "{code}: {:?}",
                list(code)
            );
        }
    }
}
