//! Sites in their own layouts, read where their files lie: one small fixture shaped like each
//! real site, with the exact pairing it must give, and `tandem init` recognising it.

use crate::Publication;
use std::collections::BTreeMap;

impl Publication {
    /// A temporary folder with nothing in it (no articles/ or translations/).
    pub fn bare() -> Self {
        Publication::in_dir(tempfile::tempdir().expect("temp dir"))
    }

    /// Every pair's state, tallied per language: `de: missing 2, untracked 1`.
    pub fn tally(&self) -> Vec<String> {
        let json = self.ok(&["status", "--all", "--format", "json"]).json();
        let mut by_lang: BTreeMap<String, BTreeMap<String, u32>> = BTreeMap::new();
        for i in json["items"].as_array().unwrap() {
            *by_lang
                .entry(i["lang"].as_str().unwrap().to_string())
                .or_default()
                .entry(i["state"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
        by_lang
            .into_iter()
            .map(|(lang, states)| {
                let states: Vec<String> = states
                    .into_iter()
                    .map(|(s, n)| format!("{s} {n}"))
                    .collect();
                format!("{lang}: {}", states.join(", "))
            })
            .collect()
    }

    /// (id, lang, state, translation path) of every pair.
    pub fn pairs(&self) -> Vec<String> {
        let json = self.ok(&["status", "--all", "--format", "json"]).json();
        json["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                format!(
                    "{} {} {} {}",
                    i["id"].as_str().unwrap(),
                    i["lang"].as_str().unwrap(),
                    i["state"].as_str().unwrap(),
                    i["translation"].as_str().unwrap_or("-")
                )
            })
            .collect()
    }

    /// Runs `init` on a copy of this site without its tandem.yaml and checks that the written
    /// configuration pairs the site exactly as `expected`.
    pub fn init_gives(&self, expected: &[&str]) -> String {
        let copy = Publication::bare();
        copy_tree(self.root(), copy.root());
        let _ = std::fs::remove_file(copy.path("tandem.yaml"));
        let _ = std::fs::remove_dir_all(copy.path(".tandem"));
        let r = copy.ok(&["init"]);
        assert_eq!(
            copy.tally(),
            expected,
            "init wrote:\n{}",
            copy.read("tandem.yaml")
        );
        r.stdout
    }
}

fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        let kind = entry.file_type().unwrap();
        if kind.is_symlink() {
            let link = std::fs::read_link(entry.path()).unwrap();
            #[cfg(unix)]
            std::os::unix::fs::symlink(link, &target).unwrap();
        } else if kind.is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn page(title: &str, body: &str) -> String {
    format!("---\ntitle: {title}\n---\n\n{body}\n")
}

#[test]
fn hugo_docsy_content_lang() {
    let p = Publication::bare();
    p.file(
        "tandem.yaml",
        "layout:\n  originals: content/en/{id}.md\n  translations: content/{lang}/{id}.md\n",
    );
    p.file("content/en/_index.md", page("Home", "Welcome."));
    p.file("content/en/docs/intro.md", page("Intro", "Start here."));
    p.file("content/en/docs/a page.md", page("A page", "With a space."));
    p.file(
        "content/es/docs/intro.md",
        page("Introducción", "Empieza aquí."),
    );
    p.file("content/es/_index.md", page("Inicio", "Bienvenida."));
    p.file("content/fr/docs/old.md", page("Ancien", "Disparu."));
    p.ok(&["mark", "docs/intro", "--lang", "es"]);
    // `content/en` is the originals, never a translation language.
    let expected = [
        "es: missing 1, untracked 1, up-to-date 1",
        "fr: missing 3, orphaned 1",
    ];
    assert_eq!(p.tally(), expected);
    assert!(p.pairs().contains(&"docs/a page es missing -".to_string()));
    assert!(p
        .pairs()
        .contains(&"docs/intro es up-to-date content/es/docs/intro.md".to_string()));
    let json = p.ok(&["status", "--format", "json"]).json();
    assert_eq!(
        json["summary"]["languages"],
        serde_json::json!(["en", "es", "fr"])
    );
    // new places the draft where the layout says.
    p.ok(&["new", "docs/a page", "--lang", "es"]);
    assert!(p.exists("content/es/docs/a page.md"));
    let out = p.init_gives(&[
        "es: draft 1, untracked 1, up-to-date 1",
        "fr: missing 3, orphaned 1",
    ]);
    assert!(out.contains("recognised a Hugo site"), "{out}");
    assert!(out.contains("3 originals in en"), "{out}");
    // Outside git, with two translations of four stamped (one marked, the draft): stamps, and it says what that means.
    assert!(
        out.contains("baseline: stamps (2 of 4 translations carry a source_hash; the others are untracked until `tandem mark`"),
        "{out}"
    );
}

#[cfg(unix)]
#[test]
fn tldr_pages_lang_with_a_linked_english_folder() {
    let p = Publication::bare();
    p.file(
        "tandem.yaml",
        "languages: [en, de, {pt-BR: pt_BR}]\nlayout:\n  originals: pages/{id}.md\n  translations: pages.{lang}/{id}.md\n",
    );
    p.file("pages/common/tar.md", "# tar\n\n> Archiving utility.\n\n- Create an archive:\n\n`tar cf {{target.tar}} {{file1}}`\n");
    p.file("pages/common/..md", "# .\n\n> Alias of `source`.\n");
    p.file("pages/linux/apt.md", "# apt\n\n> Package manager.\n");
    p.file("pages/common/.hidden.md", "# hidden\n");
    p.file(
        "pages.de/common/tar.md",
        "# tar\n\n> Archivierungswerkzeug.\n",
    );
    p.file("pages.pt_BR/common/..md", "# .\n\n> Apelido de `source`.\n");
    std::os::unix::fs::symlink("pages", p.path("pages.en")).unwrap();
    let expected = [
        "de: missing 2, untracked 1",
        "pt-BR: missing 2, untracked 1",
    ];
    assert_eq!(p.tally(), expected);
    assert!(p
        .pairs()
        .contains(&"common/. pt-BR untracked pages.pt_BR/common/..md".to_string()));
    // The link is the originals under another name: no warning, no language.
    let r = p.ok(&["status"]);
    assert!(!r.stderr.contains("pages.en"), "{}", r.stderr);
    // Tags are compared case-insensitively and printed as configured.
    let r = p.ok(&["status", "--lang", "PT-br", "--format", "json"]);
    assert_eq!(
        r.json()["summary"]["languages"],
        serde_json::json!(["pt-BR"])
    );
    p.ok(&["new", "linux/apt", "--lang", "pt-br"]);
    assert!(p.exists("pages.pt_BR/linux/apt.md"));
    std::fs::remove_file(p.path("pages.pt_BR/linux/apt.md")).unwrap();
    let out = p.init_gives(&expected);
    assert!(out.contains("tldr"), "{out}");
}

const CARD_GRID: &str = "---\ntitle: Welcome\n---\n\nimport { Card, CardGrid } from '@astrojs/starlight/components';\n\n<CardGrid>\n\t<Card title=\"Update content\" icon=\"pencil\">\n\t\tEdit the page.\n\t</Card>\n\t<Card title=\"Add content\" icon=\"add\">\n\t\tAdd files.\n\t</Card>\n</CardGrid>\n";

#[test]
fn starlight_root_locale_with_mdx() {
    let p = Publication::bare();
    let base = "docs/src/content/docs";
    p.file(
        "tandem.yaml",
        format!("languages: [en, de, ja]\nlayout:\n  originals: {base}/{{id}}.{{md,mdx}}\n  translations: {base}/{{lang}}/{{id}}.{{md,mdx}}\n"),
    );
    p.file(&format!("{base}/index.mdx"), CARD_GRID);
    p.file(&format!("{base}/guides/start.md"), page("Start", "Begin."));
    // A section whose name looks like a language code is still a section.
    p.file(&format!("{base}/api/x.md"), page("API", "Calls."));
    p.file(&format!("{base}/de/index.mdx"), CARD_GRID);
    p.file(
        &format!("{base}/de/guides/start.md"),
        page("Anfang", "Los."),
    );
    p.file(
        &format!("{base}/ja/guides/start.mdx"),
        page("開始", "始めましょう。"),
    );
    p.file(&format!("{base}/ja/old.md"), page("古い", "古い。"));
    let expected = [
        "de: missing 1, untracked 2",
        "ja: missing 2, orphaned 1, untracked 1",
    ];
    assert_eq!(p.tally(), expected);
    // `guide.md` translates `guide.mdx` and the other way round.
    assert!(p.pairs().contains(&format!(
        "guides/start ja untracked {base}/ja/guides/start.mdx"
    )));
    // The originals' walk does not take the translations for originals.
    let json = p.ok(&["status", "--format", "json"]).json();
    assert_eq!(json["summary"]["articles"], 3);
    // A card added to the grid is one changed block, not the whole grid.
    p.ok(&["mark", "index", "--lang", "de"]);
    let more = CARD_GRID.replace(
        "</CardGrid>",
        "\t<Card title=\"New\" icon=\"x\">\n\t\tNew text.\n\t</Card>\n</CardGrid>",
    );
    p.file(&format!("{base}/index.mdx"), &more);
    let item = p.item("index", "de");
    assert_eq!(item["state"], "outdated");
    assert_eq!(item["changed"]["paragraphs"], 1, "{item}");
    // A draft of an .mdx original is an .mdx file.
    p.ok(&["new", "api/x", "--lang", "de"]);
    assert!(p.exists(&format!("{base}/de/api/x.md")));
    let out = p.init_gives(&[
        "de: draft 1, outdated 1, untracked 1",
        "ja: missing 2, orphaned 1, untracked 1",
    ]);
    assert!(out.contains("Starlight"), "{out}");
}

#[test]
fn astro_docs_localizable_gate() {
    let p = Publication::bare();
    let base = "src/content/docs";
    p.file(
        "tandem.yaml",
        format!("languages: [en, es]\nlocalizable: i18nReady\nlayout:\n  originals: {base}/en/{{id}}.{{md,mdx}}\n  translations: {base}/{{lang}}/{{id}}.{{md,mdx}}\n"),
    );
    p.file(
        &format!("{base}/en/a.mdx"),
        "---\ntitle: A\ni18nReady: true\n---\n\nText.\n",
    );
    p.file(
        &format!("{base}/en/b.md"),
        "---\ntitle: B\n---\n\nNot ready.\n",
    );
    p.file(
        &format!("{base}/en/c.md"),
        "---\ntitle: C\ni18nReady: true\n---\n\nReady.\n",
    );
    p.file(
        &format!("{base}/es/a.mdx"),
        "---\ntitle: A es\n---\n\nTexto.\n",
    );
    p.file(&format!("{base}/es/b.md"), "---\ntitle: B es\n---\n\nNo.\n");
    // b is neither missing nor counted; its translation is orphaned.
    assert_eq!(p.tally(), ["es: missing 1, orphaned 1, untracked 1"]);
    let cov = p.ok(&["coverage", "--format", "json"]).json();
    let es = cov["languages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["lang"] == "es")
        .unwrap()
        .clone();
    assert_eq!(es["total"], 2, "{es}");
    let item = p.item("b", "es");
    assert!(
        item["message"].as_str().unwrap().contains("i18nReady"),
        "{item}"
    );
    p.init_gives(&["es: missing 1, orphaned 1, untracked 1"]);
}

#[test]
fn docusaurus_current_and_versions_with_a_site_status_field() {
    let p = Publication::bare();
    let plugin = "i18n/{lang}/docusaurus-plugin-content-docs";
    p.file(
        "tandem.yaml",
        format!("languages: [en, fr]\nfields: {{status: tandem_status}}\nlayout:\n  - originals: docs/{{id}}.{{md,mdx}}\n    translations: {plugin}/current/{{id}}.{{md,mdx}}\n  - originals: versioned_docs/{{id}}.{{md,mdx}}\n    translations: {plugin}/{{id}}.{{md,mdx}}\n"),
    );
    p.file("docs/intro.md", page("Intro", "Hello."));
    p.file("docs/guide.mdx", page("Guide", "Steps."));
    p.file(
        "versioned_docs/version-1.0/intro.md",
        page("Intro 1.0", "Old hello."),
    );
    let fr = "i18n/fr/docusaurus-plugin-content-docs";
    p.file(
        &format!("{fr}/current/intro.md"),
        "---\ntitle: Intro fr\nstatus: Completed\n---\n\nBonjour.\n",
    );
    p.file(
        &format!("{fr}/version-1.0/intro.md"),
        page("Intro 1.0 fr", "Vieux bonjour."),
    );
    p.file("i18n/fr/code.json", "{}");
    // Ids drop the plugin's folders; the site's own `status: Completed` is left to the site.
    assert_eq!(p.tally(), ["fr: missing 1, untracked 2"]);
    let pairs = p.pairs();
    assert!(
        pairs.contains(&format!("intro fr untracked {fr}/current/intro.md")),
        "{pairs:?}"
    );
    assert!(pairs.contains(&format!(
        "version-1.0/intro fr untracked {fr}/version-1.0/intro.md"
    )));
    p.ok(&["mark", "intro", "--lang", "fr"]);
    let text = p.read(&format!("{fr}/current/intro.md"));
    assert!(text.contains("status: Completed\n"), "{text}");
    assert!(text.contains("source_hash: "), "{text}");
    assert_eq!(p.item("intro", "fr")["state"], "up-to-date");
    // Without `fields`, the site's status makes the file invalid, with a hint.
    let q = Publication::bare();
    copy_tree(p.root(), q.root());
    q.file(
        "tandem.yaml",
        p.read("tandem.yaml")
            .replace("fields: {status: tandem_status}\n", ""),
    );
    let item = q.item("intro", "fr");
    assert_eq!(item["state"], "invalid");
    assert!(
        item["message"].as_str().unwrap().contains("tandem_status"),
        "{item}"
    );
    // init sees the site's own status field and names tandem's otherwise.
    let out = p.init_gives(&["fr: missing 1, untracked 1, up-to-date 1"]);
    assert!(out.contains("Docusaurus"), "{out}");
}

/// Docusaurus's own `id:` names a page within its folder, and every version of a page repeats
/// it: `init` gives tandem's id field another name, so pages pair by their paths.
#[test]
fn docusaurus_pages_with_their_own_id_pair_by_path() {
    let p = Publication::bare();
    let with_id =
        |title: &str, body: &str| format!("---\nid: podgroup\ntitle: {title}\n---\n\n{body}\n");
    p.file(
        "docs/concepts/pod-group.md",
        with_id("PodGroup", "A group of pods."),
    );
    p.file(
        "versioned_docs/version-1.0/concepts/pod-group.md",
        with_id("PodGroup", "A group of pods, then."),
    );
    let fr = "i18n/fr/docusaurus-plugin-content-docs";
    p.file(
        &format!("{fr}/current/concepts/pod-group.md"),
        with_id("PodGroup", "Un groupe de pods."),
    );
    p.file(
        &format!("{fr}/version-1.0/concepts/pod-group.md"),
        with_id("PodGroup", "Un groupe de pods, alors."),
    );
    p.file("tandem.yaml", "languages: [en, fr]\n");
    let out = p.init_gives(&["fr: untracked 2"]);
    assert!(out.contains("Docusaurus"), "{out}");
    // As tandem's own id, the site's makes the versions one article twice over.
    let q = Publication::bare();
    copy_tree(p.root(), q.root());
    q.file(
        "tandem.yaml",
        "languages: [en, fr]\nlayout:\n  - originals: docs/{id}.md\n    translations: i18n/{lang}/docusaurus-plugin-content-docs/current/{id}.md\n  - originals: versioned_docs/{id}.md\n    translations: i18n/{lang}/docusaurus-plugin-content-docs/{id}.md\n",
    );
    let r = q.ok(&["status", "--all"]);
    assert!(r.stderr.contains("duplicate id `podgroup`"), "{}", r.stderr);
    assert!(
        r.stderr.contains("`fields: {id: tandem_id}`"),
        "{}",
        r.stderr
    );
}

/// Hugo's and Zola's TOML front matter (`+++`): its fields are read as YAML's are (the title
/// counts, a weight does not), and `mark`, `mv` and `new` write into it keeping every other
/// byte.
#[test]
fn toml_front_matter_is_read_and_written_in_place() {
    let p = Publication::bare();
    p.file(
        "tandem.yaml",
        "languages: [en, es]\nlayout:\n  originals: content/{id}.md\n  translations: content/{id}.{lang}.md\n",
    );
    let original = |title: &str, weight: u32| {
        format!("+++\ntitle = \"{title}\"\nweight = {weight}\n\n[extra]\nicon = \"home\"\n+++\n\nWelcome to the site.\n")
    };
    p.file("content/_index.md", original("Home", 1));
    let es =
        "+++\ntitle = \"Inicio\"   # shown in the menu\nweight = 1\n+++\n\nBienvenido al sitio.\n";
    p.file("content/_index.es.md", es);
    let show = p.ok(&["show", "_index"]).stdout;
    assert!(show.contains("title:        Home"), "{show}");
    p.ok(&["mark", "_index", "--lang", "es"]);
    let marked = p.read("content/_index.es.md");
    let hash = p.item("_index", "es")["translation"].clone();
    assert_eq!(hash, "content/_index.es.md");
    assert!(
        marked.starts_with(
            "+++\ntitle = \"Inicio\"   # shown in the menu\nweight = 1\nsource_hash = \""
        ),
        "{marked}"
    );
    assert!(
        marked.ends_with("\"\n+++\n\nBienvenido al sitio.\n"),
        "{marked}"
    );
    assert_eq!(p.item("_index", "es")["state"], "up-to-date");
    // A weight is not text to translate; the title is.
    p.file("content/_index.md", original("Home", 5));
    assert_eq!(p.item("_index", "es")["state"], "up-to-date");
    p.file("content/_index.md", original("Start", 5));
    let item = p.item("_index", "es");
    assert_eq!(item["state"], "outdated", "{item}");
    assert_eq!(item["changed"]["paragraphs"], 1, "{item}");
    // A draft made from a TOML original is TOML too: its title to translate, its body.
    p.file("content/about.md", original("About us", 2));
    p.ok(&["new", "about", "--lang", "es"]);
    let draft = p.read("content/about.es.md");
    assert!(
        draft.starts_with("+++\ntitle = \"About us\"\nsource_hash = \""),
        "{draft}"
    );
    assert!(
        draft.contains("\"\nstatus = \"draft\"\n+++\n\nWelcome to the site.\n"),
        "{draft}"
    );
    assert_eq!(p.item("about", "es")["state"], "draft");
}

/// `init` in a Hugo or Zola site whose translations sit beside their originals
/// (`about.md`, `about.en.md`), in the language its configuration names as the default.
#[test]
fn init_recognises_translations_beside_their_originals() {
    let p = Publication::bare();
    p.file(
        "config.toml",
        "base_url = \"https://example.org\"\ndefault_language = \"fr\"\n",
    );
    p.file(
        "content/_index.md",
        "+++\ntitle = \"Accueil\"\n+++\n\nBienvenue.\n",
    );
    p.file(
        "content/_index.en.md",
        "+++\ntitle = \"Home\"\n+++\n\nWelcome.\n",
    );
    p.file("content/blog/a.md", page("A", "Un article."));
    p.file("content/blog/a.en.md", page("A", "An article."));
    p.file("content/blog/b.md", page("B", "Un autre."));
    // Dots that are no language: pages of their own.
    p.file("content/notes.v2.md", page("Notes", "Deuxième version."));
    p.file("content/node.js.md", page("Node", "Le moteur."));
    let out = p.init_gives(&["en: missing 3, untracked 2"]);
    assert!(out.contains("recognised a Hugo or Zola site"), "{out}");
    assert!(out.contains("5 originals in fr"), "{out}");
}

#[test]
fn mdn_originals_in_another_repository() {
    let top = tempfile::tempdir().unwrap();
    let content = top.path().join("content");
    let p = Publication::in_dir_at(top.path().join("translated-content"));
    let write = |rel: &str, text: &str| {
        let path = content.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("files/en-us/web/css/index.md", &page("CSS", "Styles."));
    write("files/en-us/web/html/index.md", &page("HTML", "Markup."));
    write("files/en-us/web/html/PROMPT.md", "not a page");
    p.file(
        "tandem.yaml",
        "source_lang: en-US\nlanguages: [{en-US: en-us}, de, {pt-BR: pt-br}]\nsource_root: ../content\nexclude: [\"files/*/PROMPT.md\", \"**/PROMPT.md\"]\nlayout:\n  originals: files/en-us/{id}/index.md\n  translations: files/{lang}/{id}/index.md\n",
    );
    p.file(
        "files/de/web/css/index.md",
        "---\ntitle: CSS\nl10n:\n  sourceCommit: 0123abc\n---\n\nStile.\n",
    );
    p.file("files/pt-br/web/html/index.md", page("HTML", "Marcação."));
    let before = tree(&content);
    assert_eq!(
        p.tally(),
        [
            "de: missing 1, untracked 1",
            "pt-BR: missing 1, untracked 1"
        ]
    );
    // Paths say which root they are under.
    assert!(p
        .pairs()
        .contains(&"web/css de untracked files/de/web/css/index.md".to_string()));
    let item = p.item("web/html", "de");
    assert_eq!(item["source"], "../content/files/en-us/web/html/index.md");
    p.ok(&["new", "web/html", "--lang", "de"]);
    p.ok(&["mark", "web/css", "--lang", "de"]);
    assert!(p.exists("files/de/web/html/index.md"));
    // Nothing is ever written under the source root.
    assert_eq!(tree(&content), before);
    // init in translated-content finds the originals beside it.
    std::fs::remove_file(p.path("tandem.yaml")).unwrap();
    let r = p.ok(&["init"]);
    assert!(r.stdout.contains("MDN"), "{}", r.stdout);
    assert!(r.stdout.contains("2 originals in en-US"), "{}", r.stdout);
    assert_eq!(
        p.tally(),
        ["de: draft 1, up-to-date 1", "pt-BR: missing 1, untracked 1"]
    );
    // init in content, with translated-content beside it, says where to run it.
    let c = Publication::in_dir_at(content.clone());
    let r = c.run(&["init"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("translated-content"), "{}", r.stderr);
    assert!(!content.join("tandem.yaml").exists());
}

/// Every file under `dir` with its bytes.
fn tree(dir: &std::path::Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                out.insert(
                    e.path().display().to_string(),
                    std::fs::read(e.path()).unwrap(),
                );
            }
        }
    }
    out
}

#[test]
fn id_dot_lang_files_beside_their_originals() {
    let p = Publication::bare();
    p.file(
        "tandem.yaml",
        "languages: [en, es, fr]\nlayout:\n  originals: docs/{id}.md\n  translations: docs/{id}.{lang}.md\n",
    );
    p.file("docs/guide/intro.md", page("Intro", "Hello."));
    p.file("docs/guide/intro.es.md", page("Intro", "Hola."));
    p.file("docs/faq.md", page("FAQ", "Questions."));
    p.file("docs/faq.fr.md", page("FAQ", "Questions en français."));
    p.file("docs/notes.de.md", page("Notizen", "Deutsch."));
    // `notes.de.md` is not a translation (German is not a language here): an original.
    assert_eq!(
        p.tally(),
        ["es: missing 2, untracked 1", "fr: missing 2, untracked 1"]
    );
    let json = p.ok(&["status", "--format", "json"]).json();
    assert_eq!(json["summary"]["articles"], 3);
    p.ok(&["new", "faq", "--lang", "es"]);
    assert!(p.exists("docs/faq.es.md"));
}

#[test]
fn nested_translatable_field() {
    let p = Publication::bare();
    p.file(
        "tandem.yaml",
        "languages: [en, es]\ntranslatable: [title, sidebar.label]\n",
    );
    p.file(
        "articles/a.md",
        "---\ntitle: A\nsidebar:\n  label: Start\n  order: 1\n---\n\nText.\n",
    );
    p.file("translations/es/a.md", page("A", "Texto."));
    p.ok(&["mark", "a", "--lang", "es"]);
    assert_eq!(p.item("a", "es")["state"], "up-to-date");
    // Another nested field is not translatable.
    p.file(
        "articles/a.md",
        "---\ntitle: A\nsidebar:\n  label: Start\n  order: 2\n---\n\nText.\n",
    );
    assert_eq!(p.item("a", "es")["state"], "up-to-date");
    p.file(
        "articles/a.md",
        "---\ntitle: A\nsidebar:\n  label: Begin\n  order: 2\n---\n\nText.\n",
    );
    assert_eq!(p.item("a", "es")["state"], "outdated");
}

#[test]
fn renamed_fields_and_case_of_language_tags() {
    let p = Publication::bare();
    p.file(
        "tandem.yaml",
        "languages: [en, es]\nfields: {source_hash: tandem_hash, lang: language, status: tandem_status}\n",
    );
    p.file(
        "articles/a.md",
        "---\ntitle: A\nlanguage: EN\n---\n\nText.\n",
    );
    p.file(
        "translations/es/a.md",
        "---\ntitle: A\nlanguage: ES\nstatus: published\ntandem_status: draft\n---\n\nText.\n",
    );
    assert_eq!(p.item("a", "es")["state"], "draft");
    p.ok(&["mark", "a", "--lang", "ES"]);
    let text = p.read("translations/es/a.md");
    assert!(text.contains("tandem_hash: "), "{text}");
    assert!(text.contains("tandem_status: done"), "{text}");
    assert!(text.contains("status: published"), "{text}");
    assert_eq!(p.item("a", "es")["state"], "up-to-date");
}

#[test]
fn an_empty_scan_is_an_error_that_says_what_was_skipped() {
    let p = Publication::bare();
    p.file(
        "tandem.yaml",
        "languages: [en, de]\nlayout:\n  originals: docs/{id}.md\n  translations: docs/{lang}/{id}.md\n",
    );
    for i in 0..3 {
        p.file(&format!("docs/page{i}.mdx"), page("P", "Text."));
    }
    for args in [
        &["status"][..],
        &["check"],
        &["coverage"],
        &["show", "page0"],
        &["report", "--html", "out"],
    ] {
        let r = p.run(args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.all());
        assert!(r.stderr.contains("no original found"), "{}", r.stderr);
        assert!(r.stderr.contains("docs/{id}.md"), "{}", r.stderr);
        assert!(r.stderr.contains("3 .mdx files"), "{}", r.stderr);
    }
    assert!(!p.exists(".tandem"), "a failed run leaves nothing behind");
}

#[test]
fn no_publication_here_is_an_error() {
    let p = Publication::bare();
    p.file("notes/readme.md", "hello");
    for args in [&["status"][..], &["check"], &["coverage", "--min", "0"]] {
        let r = p.run(args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.all());
        assert!(r.stderr.contains("no publication here"), "{}", r.stderr);
        assert!(r.stderr.contains("tandem init"), "{}", r.stderr);
    }
    assert!(!p.exists(".tandem"));
    // A default publication with an empty articles folder is not "nothing to do" either.
    let q = Publication::new();
    let r = q.run(&["check"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("articles/{id}.md"), "{}", r.stderr);
}

#[test]
fn bad_layouts_are_refused_with_the_line() {
    for (yaml, says) in [
        (
            "layout:\n  originals: docs/{id}.md\n  translations: docs/{id}.md\n",
            "{lang}",
        ),
        (
            "layout:\n  originals: docs/{lang}/{id}.md\n  translations: docs/{lang}/{id}.md\n",
            "cannot hold",
        ),
        (
            "articles: a\nlayout:\n  originals: docs/{id}.md\n  translations: x/{lang}/{id}.md\n",
            "not both",
        ),
        (
            "layout:\n  originals: ../docs/{id}.md\n  translations: x/{lang}/{id}.md\n",
            "..",
        ),
        ("exclude: [\"a/[\"]\n", "glob"),
        ("fields: {sorce_hash: x}\n", "sorce_hash"),
        ("languages: [en, {pt-BR: pt/BR}]\n", "folder name"),
        ("articles: translations/es\n", "neither inside"),
    ] {
        let p = Publication::new();
        p.file("tandem.yaml", yaml);
        p.file("articles/a.md", page("A", "Text."));
        let r = p.run(&["status"]);
        assert_eq!(r.code, 2, "{yaml}: {}", r.all());
        assert!(r.stderr.contains(says), "{yaml}: {}", r.stderr);
        assert!(r.stderr.contains("tandem.yaml:"), "{yaml}: {}", r.stderr);
    }
}

#[test]
fn excluded_paths_are_never_read() {
    let p = Publication::bare();
    p.file(
        "tandem.yaml",
        "languages: [en, es]\nexclude: [\"content/*/search.md\", \"**/drafts/**\"]\nlayout:\n  originals: content/en/{id}.md\n  translations: content/{lang}/{id}.md\n",
    );
    p.file("content/en/a.md", page("A", "Text."));
    p.file("content/en/search.md", page("Search", "Generated."));
    p.file("content/en/drafts/wip.md", page("WIP", "Not yet."));
    p.file("content/es/search.md", page("Buscar", "Generada."));
    p.file("content/es/drafts/old.md", "not even front matter\n---\n");
    p.file("content/es/a.md", page("A", "Texto."));
    assert_eq!(p.tally(), ["es: untracked 1"]);
    let r = p.ok(&["status", "--format", "json"]);
    assert_eq!(r.json()["summary"]["articles"], 1);
    assert_eq!(r.json()["errors"], serde_json::json!([]));
}
