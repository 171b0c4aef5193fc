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
    let yaml = match &site {
        Some(site) => {
            let mut yaml = site_yaml(site, false);
            // A site whose own `status:` means something else keeps it: tandem's gets a name of
            // its own.
            if uses_own_status(&root, &yaml)? {
                yaml = site_yaml(site, true);
            }
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
fn site_yaml(site: &Site, own_status: bool) -> String {
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
    if let Some(l) = site.localizable {
        yaml.push_str(&format!(
            "localizable: {l}               # only originals with {l}: true are translated\n"
        ));
    }
    if own_status {
        yaml.push_str(
            "fields:\n  status: tandem_status         # the site's own `status:` means something else\n",
        );
    }
    yaml.push_str("required: []\ntranslatable: [title]\n");
    yaml
}

/// Whether translations use `status:` for something other than tandem's draft/done.
fn uses_own_status(root: &Path, yaml: &str) -> Result<bool> {
    let config = Config::from_text(root, Some(root.join(CONFIG_FILE)), Some(yaml))?;
    let (langs, _) = language_folders(&config);
    let options = ScanOptions::default();
    for lang in langs {
        let listing = list_language(&config, &lang, options);
        let folder = crate::scan::read_language(&config, &lang, listing, options).0;
        let own = folder.files.iter().any(|f| {
            f.result
                .as_ref()
                .err()
                .is_some_and(|d| d.message.contains("is not a status"))
        });
        if own {
            return Ok(true);
        }
    }
    Ok(false)
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
            });
        }
    }
    None
}

/// Whether some page under `dir` (looked at until one is found, at most a few hundred) has
/// front matter field `field`.
fn has_field(dir: &Path, field: &str) -> bool {
    let mut stack = vec![dir.to_path_buf()];
    let mut seen = 0;
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.filter_map(|e| e.ok()) {
            let Ok(kind) = e.file_type() else { continue };
            let path = e.path();
            if kind.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "md" || x == "mdx") {
                seen += 1;
                if seen > 500 {
                    return false;
                }
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                if crate::frontmatter::split(&text)
                    .ok()
                    .and_then(|s| s.yaml)
                    .is_some_and(|y| y.lines().any(|l| l.starts_with(&format!("{field}:"))))
                {
                    return true;
                }
            }
        }
    }
    false
}
