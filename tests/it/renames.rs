//! Renames and moves: `tandem mv`, and orphans that look like a renamed page's translations.

use crate::Publication;

const STRIKE_V1: &str = "---\ntitle: Dockers strike\n---\n\nThe dockers of the port walked out on Monday.\n\nThey ask for a shorter week.\n";
const STRIKE_V2: &str = "---\ntitle: Dockers strike\n---\n\nThe dockers of the port walked out on Monday.\n\nThey ask for a shorter week and a raise.\n";

/// A nested article with three translations: Spanish up to date, French outdated (its stamp
/// is of the first version, with a snapshot), German paired by an `id:` field.
fn strike() -> Publication {
    let p = Publication::new();
    p.file("tandem.yaml", "languages: [en, es, fr, de]\n");
    p.file("articles/news/local/strike.md", STRIKE_V1);
    p.file(
        "articles/other.md",
        "---\ntitle: Other\n---\n\nAnother story.\n",
    );
    for lang in ["es", "fr"] {
        p.ok(&["new", "news/local/strike", "--lang", lang]);
        p.ok(&["mark", "news/local/strike", "--lang", lang]);
    }
    p.file("articles/news/local/strike.md", STRIKE_V2);
    p.ok(&["mark", "news/local/strike", "--lang", "es"]);
    p.file(
        "translations/de/streik.md",
        "---\nid: news/local/strike\ntitle: Hafenstreik\n---\n\nDie Hafenarbeiter streiken.\n",
    );
    p
}

#[test]
fn mv_renames_the_original_and_every_translation_keeping_their_baselines() {
    let p = strike();
    let before: Vec<String> = ["es", "fr", "de"]
        .iter()
        .map(|l| p.state("news/local/strike", l))
        .collect();
    assert_eq!(before, ["up-to-date", "outdated", "untracked"]);
    let es_text = p.read("translations/es/news/local/strike.md");
    // A dry run says what it would do and does nothing.
    let r = p.ok(&["mv", "news/local/strike", "labour/strike", "--dry-run"]);
    assert!(
        r.stdout
            .contains("would move articles/news/local/strike.md -> articles/labour/strike.md"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("would move 4 files"), "{}", r.stdout);
    assert!(p.exists("articles/news/local/strike.md"));
    assert!(!p.exists("articles/labour"));
    let r = p.ok(&["mv", "news/local/strike", "labour/strike"]);
    assert!(
        r.stdout.contains(
            "moved translations/fr/news/local/strike.md -> translations/fr/labour/strike.md"
        ),
        "{}",
        r.stdout
    );
    assert!(!p.exists("articles/news"), "emptied folders are removed");
    assert!(!p.exists("translations/es/news"));
    // The bytes are those of before, but for the `id:` field that named the old id.
    assert_eq!(p.read("translations/es/labour/strike.md"), es_text);
    assert!(p
        .read("translations/de/labour/strike.md")
        .contains("id: labour/strike\n"));
    let after: Vec<String> = ["es", "fr", "de"]
        .iter()
        .map(|l| p.state("labour/strike", l))
        .collect();
    assert_eq!(after, before);
    // The snapshot still serves diff.
    let diff = p.ok(&["diff", "labour/strike", "--lang", "fr"]).stdout;
    assert!(diff.contains("{+raise.+}"), "{diff}");
    assert!(p.run(&["status", "--all"]).stdout.contains("labour/strike"));
    assert!(!p
        .run(&["status", "--all"])
        .stdout
        .contains("news/local/strike"));
}

#[test]
fn mv_refuses_what_it_cannot_do_whole() {
    let p = strike();
    // The new id is taken.
    let r = p.run(&["mv", "news/local/strike", "other"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("exists already"), "{}", r.stderr);
    // A translation's new place is taken: nothing moves at all.
    p.file(
        "translations/fr/labour/strike.md",
        "---\ntitle: Grève\n---\n\nAutre.\n",
    );
    let r = p.run(&["mv", "news/local/strike", "labour/strike"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(
        r.stderr
            .contains("translations/fr/labour/strike.md exists already"),
        "{}",
        r.stderr
    );
    assert!(p.exists("articles/news/local/strike.md"));
    assert!(p.exists("translations/es/news/local/strike.md"));
    assert!(!p.exists("articles/labour/strike.md"));
    // An unknown id, and a bad one.
    let r = p.run(&["mv", "news/strike", "labour/strike2"]);
    assert_eq!(r.code, 2, "{}", r.all());
    let r = p.run(&["mv", "other", "../escape"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(p.exists("articles/other.md"));
}

#[test]
fn mv_moves_the_translations_of_an_original_renamed_already() {
    let p = strike();
    std::fs::create_dir_all(p.path("articles/labour")).unwrap();
    std::fs::rename(
        p.path("articles/news/local/strike.md"),
        p.path("articles/labour/strike.md"),
    )
    .unwrap();
    assert_eq!(p.state("news/local/strike", "es"), "orphaned");
    let r = p.ok(&["mv", "news/local/strike", "labour/strike"]);
    assert!(r.stdout.contains("moved 3 files"), "{}", r.stdout);
    assert_eq!(p.state("labour/strike", "es"), "up-to-date");
    assert_eq!(p.state("labour/strike", "fr"), "outdated");
}

fn message(p: &Publication, id: &str, lang: &str) -> String {
    p.item(id, lang)["message"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn an_orphan_whose_original_was_renamed_says_so() {
    let p = Publication::new();
    p.file("tandem.yaml", "languages: [en, de, fr]\n");
    let page = |title: &str| format!("---\ntitle: {title}\n---\n\nSome text about {title}.\n");
    p.file("articles/glossary/auto-scaling.md", page("Auto-scaling"));
    p.file("articles/start/guide.md", page("Guide"));
    p.file(
        "articles/glossary/tightly-coupled-architecture.md",
        page("Coupling"),
    );
    p.file("articles/news/spring.md", page("Spring"));
    p.file(
        "translations/de/glossary/autoscaling.md",
        page("Autoskalierung"),
    );
    p.file("translations/de/guide.md", page("Anleitung"));
    p.file(
        "translations/de/glossary/tightly-coupled-architectures.md",
        page("Kopplung"),
    );
    p.file("translations/de/news/strike.md", page("Streik"));
    let m = message(&p, "glossary/autoscaling", "de");
    assert!(
        m.contains("looks like the translation of `glossary/auto-scaling`"),
        "{m}"
    );
    assert!(
        m.contains("`tandem mv glossary/autoscaling glossary/auto-scaling`"),
        "{m}"
    );
    assert!(message(&p, "guide", "de").contains("of `start/guide`"));
    assert!(message(&p, "glossary/tightly-coupled-architectures", "de")
        .contains("of `glossary/tightly-coupled-architecture`"));
    // An unrelated orphan gets no hint.
    let m = message(&p, "news/strike", "de");
    assert_eq!(m, "no original has the id `news/strike`");
    // The text and check say it too.
    assert!(
        p.run(&["status"]).stdout.contains("glossary/auto-scaling"),
        "{}",
        p.run(&["status"]).stdout
    );
    let check = p.run(&["check"]);
    assert!(
        check
            .all()
            .contains("looks like the translation of `start/guide`"),
        "{}",
        check.all()
    );
    // When two articles could be it, neither is named.
    p.file("articles/guides/guide.md", page("Guide two"));
    assert_eq!(message(&p, "guide", "de"), "no original has the id `guide`");
    // show names it under the article it looks like.
    let show = p.ok(&["show", "glossary/auto-scaling"]).stdout;
    assert!(
        show.contains("translations/de/glossary/autoscaling.md looks like its de translation: `tandem mv glossary/autoscaling glossary/auto-scaling` moves it here"),
        "{show}"
    );
    assert!(!p.ok(&["show", "news/spring"]).stdout.contains("looks like"));
    // The hint's command does it.
    p.ok(&["mv", "glossary/autoscaling", "glossary/auto-scaling"]);
    assert_eq!(p.state("glossary/auto-scaling", "de"), "untracked");
}

#[test]
fn the_git_history_names_a_renamed_original() {
    use crate::baselines::{commit_all, git_on};
    let p = Publication::new();
    let d = p.root().to_path_buf();
    git_on(&d, 1, &["init", "-q", "-b", "main"]);
    p.file(
        "tandem.yaml",
        "languages: [en, de]\nbaseline: git\nlayout:\n  originals: docs/{id}.md\n  translations: docs/{lang}/{id}.md\n",
    );
    p.file(
        "docs/intro.md",
        "---\ntitle: Intro\n---\n\nWhat the tool does.\n",
    );
    p.file(
        "docs/setup.md",
        "---\ntitle: Setup\n---\n\nHow to set it up.\n",
    );
    p.file(
        "docs/de/intro.md",
        "---\ntitle: Einführung\n---\n\nWas es tut.\n",
    );
    commit_all(&d, 1, "pages");
    std::fs::create_dir_all(d.join("docs/start")).unwrap();
    git_on(&d, 2, &["mv", "docs/intro.md", "docs/start/overview.md"]);
    git_on(&d, 2, &["commit", "-qm", "rename the intro"]);
    let m = message(&p, "intro", "de");
    assert!(
        m.contains("looks like the translation of `start/overview` (renamed in the git history)"),
        "{m}"
    );
    // Without the history's record the names are too far apart for a hint.
    let q = Publication::new();
    q.file("tandem.yaml", "languages: [en, de]\nlayout:\n  originals: docs/{id}.md\n  translations: docs/{lang}/{id}.md\n");
    q.file(
        "docs/start/overview.md",
        "---\ntitle: Intro\n---\n\nWhat the tool does.\n",
    );
    q.file(
        "docs/de/intro.md",
        "---\ntitle: Einführung\n---\n\nWas es tut.\n",
    );
    assert_eq!(message(&q, "intro", "de"), "no original has the id `intro`");
    // The move, committed, keeps the translation's history: judged by the commit it was made in.
    p.ok(&["mv", "intro", "start/overview"]);
    commit_all(&d, 3, "de: follow the rename");
    assert_eq!(p.state("start/overview", "de"), "up-to-date");
}

const HUELGA: &str = "---\ntitle: Huelga\nlang: es\n---\n\nLos estibadores pararon el lunes.\n\nPiden una semana más corta.\n";

/// A Spanish original, its English translation, and a French one made from the English.
fn chain() -> Publication {
    let p = Publication::new();
    p.file("tandem.yaml", "source_lang: es\nlanguages: [es, en, fr]\n");
    p.file("articles/huelga.md", HUELGA);
    p.file(
        "translations/en/huelga.md",
        "---\ntitle: Strike\n---\n\nThe dockers stopped on Monday.\n\nThey ask for a shorter week.\n",
    );
    p.ok(&["mark", "huelga", "--lang", "en"]);
    p.file(
        "translations/fr/huelga.md",
        "---\ntitle: Grève\ntranslated_from: en\n---\n\nLes dockers ont arrêté lundi.\n\nIls demandent une semaine plus courte.\n",
    );
    p.ok(&["mark", "huelga", "--lang", "fr"]);
    p
}

#[test]
fn a_translation_made_from_a_translation_follows_it_down_the_chain() {
    let p = chain();
    assert_eq!(p.state("huelga", "en"), "up-to-date");
    assert_eq!(p.state("huelga", "fr"), "up-to-date");
    let fr = p.item("huelga", "fr");
    assert_eq!(fr["judged_by"]["translated_from"], "en", "{fr}");
    // The English changes: the French, made from it, is outdated; diff shows the English change.
    let en = p
        .read("translations/en/huelga.md")
        .replace("shorter week", "shorter week and a raise");
    p.file("translations/en/huelga.md", en);
    let fr = p.item("huelga", "fr");
    assert_eq!(fr["state"], "outdated", "{fr}");
    assert_eq!(fr["changed"]["paragraphs"], 1, "{fr}");
    assert!(
        fr["message"]
            .as_str()
            .unwrap()
            .contains("made from the en translation"),
        "{fr}"
    );
    assert_eq!(
        p.state("huelga", "en"),
        "up-to-date",
        "the English is made from the original"
    );
    let diff = p.ok(&["diff", "huelga", "--lang", "fr"]).stdout;
    assert!(diff.contains("{+raise.+}"), "{diff}");
    assert!(diff.contains("translations/en/huelga.md"), "{diff}");
    p.ok(&["mark", "huelga", "--lang", "fr"]);
    assert_eq!(p.state("huelga", "fr"), "up-to-date");
    // The original changes: the English is outdated, and the French is behind via the English.
    p.file(
        "articles/huelga.md",
        HUELGA.replace("más corta", "más corta y un aumento"),
    );
    assert_eq!(p.state("huelga", "en"), "outdated");
    let fr = p.item("huelga", "fr");
    assert_eq!(fr["state"], "outdated", "{fr}");
    assert!(
        fr["message"].as_str().unwrap().starts_with("behind via en"),
        "{fr}"
    );
    // The English brought up to date (its text unchanged): the French is up to date again.
    p.ok(&["mark", "huelga", "--lang", "en"]);
    assert_eq!(p.state("huelga", "en"), "up-to-date");
    assert_eq!(p.state("huelga", "fr"), "up-to-date");
    // show and the report name the chain.
    let show = p.ok(&["show", "huelga"]).stdout;
    assert!(
        show.contains("(of the en translation it was made from)"),
        "{show}"
    );
    let out = tempfile::tempdir().unwrap();
    p.ok(&["report", "--html", out.path().to_str().unwrap(), "--force"]);
    let html = std::fs::read_to_string(out.path().join("index.html")).unwrap();
    assert!(
        html.contains("made from the en translation"),
        "the report shows the chain"
    );
    // A third step: German made from the French, behind when the English is.
    p.file(
        "translations/de/huelga.md",
        "---\ntitle: Streik\ntranslated_from: fr\n---\n\nDie Hafenarbeiter streikten am Montag.\n\nSie wollen eine kürzere Woche.\n",
    );
    let cfg = "source_lang: es\nlanguages: [es, en, fr, de]\n";
    p.file("tandem.yaml", cfg);
    p.ok(&["mark", "huelga", "--lang", "de"]);
    assert_eq!(p.state("huelga", "de"), "up-to-date");
    p.file(
        "articles/huelga.md",
        HUELGA.replace("lunes", "lunes pasado"),
    );
    let de = p.item("huelga", "de");
    assert_eq!(de["state"], "outdated", "{de}");
    assert!(
        de["message"].as_str().unwrap().contains("behind via fr"),
        "{de}"
    );
    p.ok(&["mark", "huelga", "--lang", "en"]);
    assert_eq!(p.state("huelga", "de"), "up-to-date");
    // Counted like any other translation.
    let coverage = p.ok(&["coverage", "--format", "json"]).json();
    let fr_row = coverage["languages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["lang"] == "fr")
        .cloned()
        .unwrap_or_default();
    assert_eq!(fr_row["up-to-date"], 1, "{coverage}");
}

#[test]
fn translations_made_from_one_another_in_a_circle_are_invalid() {
    let p = chain();
    let en = p
        .read("translations/en/huelga.md")
        .replace("title: Strike", "title: Strike\ntranslated_from: fr");
    p.file("translations/en/huelga.md", en);
    let fr = p.item("huelga", "fr");
    assert_eq!(fr["state"], "invalid", "{fr}");
    let m = fr["message"].as_str().unwrap();
    assert!(m.contains("in a circle"), "{m}");
    assert!(
        m.contains("translations/fr/huelga.md") && m.contains("translations/en/huelga.md"),
        "{m}"
    );
    assert_eq!(p.state("huelga", "en"), "invalid");
    assert_eq!(p.run(&["check"]).code, 1);
    // A language that is not the publication's, or the file's own, is refused with the line.
    p.file(
        "translations/fr/huelga.md",
        "---\ntitle: Grève\ntranslated_from: de\n---\n\nTexte.\n",
    );
    let r = p.run(&["status"]);
    assert!(
        r.all().contains("translations/fr/huelga.md:3"),
        "{}",
        r.all()
    );
}

#[test]
fn a_change_to_the_translation_made_from_is_seen_by_a_warm_run() {
    let p = chain();
    std::thread::sleep(std::time::Duration::from_millis(3500));
    assert_eq!(p.state("huelga", "fr"), "up-to-date");
    let warm = p.ok(&["status", "--format", "json"]).stdout;
    assert_eq!(p.ok(&["status", "--format", "json"]).stdout, warm);
    // The other languages' answers are kept; the French one is paired again each run.
    assert!(p.exists(".tandem/cache/results.bin"));
    // Only the English file changes; the French folder is as it was.
    let en = p
        .read("translations/en/huelga.md")
        .replace("Monday", "Monday morning");
    p.file("translations/en/huelga.md", en);
    std::thread::sleep(std::time::Duration::from_millis(3500));
    let json = p.ok(&["status", "--format", "json"]).json();
    let fr = crate::find_item(&json, "huelga", "fr").unwrap_or_default();
    assert_eq!(fr["state"], "outdated", "{json}");
}

#[test]
fn an_orphan_is_matched_by_what_no_translation_changes() {
    let p = Publication::new();
    p.file("tandem.yaml", "languages: [en, de]\n");
    p.file(
        "articles/commands/archive.md",
        "---\ntitle: Archive\n---\n\nCreate an archive of 250 files with `tar -cf out.tar dir`.\n\nSee [the manual](https://example.org/tar) from 1994.\n\n```\ntar -xf out.tar\n```\n",
    );
    p.file(
        "articles/commands/copy.md",
        "---\ntitle: Copy\n---\n\nCopy 12 files with `cp -r a b`, as [shown](https://example.org/cp).\n",
    );
    // Renamed from `pack` to `archive` upstream: nothing in the names is alike.
    p.file(
        "translations/de/commands/pack.md",
        "---\ntitle: Archiv\n---\n\nErstelle ein Archiv aus 250 Dateien mit `tar -cf out.tar dir`.\n\nSiehe [das Handbuch](https://example.org/tar) von 1994.\n\n```\ntar -xf out.tar\n```\n",
    );
    // Shares one link and one number with the copy page: not enough.
    p.file(
        "translations/de/commands/move.md",
        "---\ntitle: Verschieben\n---\n\nVerschiebe 12 Dateien, wie [gezeigt](https://example.org/cp).\n",
    );
    let m = message(&p, "commands/pack", "de");
    assert!(
        m.contains(
            "looks like the translation of `commands/archive` (the same numbers, links and code)"
        ),
        "{m}"
    );
    assert_eq!(
        message(&p, "commands/move", "de"),
        "no original has the id `commands/move`"
    );
}
