//! `check --base REF`: what a change does to the translations, on git repositories built by
//! the test (fixed dates and authors), for each baseline kind.

use crate::baselines::{commit_all, git_on};
use crate::{Publication, ORIGINAL};

const STRIKE: &str = "---\ntitle: Strike\n---\n\nThe rail strike enters its second week.\n";
const GONE: &str = "---\ntitle: Gone\n---\n\nA page that will be deleted.\n";

/// A stamp-baseline publication committed on day 1: the forum up to date in es and fr, the
/// strike a draft in es, `gone` translated into fr. Returns it with the base commit.
fn committed_site() -> (Publication, String) {
    let p = Publication::three_languages();
    let d = p.root();
    git_on(d, 1, &["init", "-q", "-b", "main"]);
    p.file("articles/paris-commune-forum.md", ORIGINAL);
    p.file("articles/strike.md", STRIKE);
    p.file("articles/gone.md", GONE);
    for lang in ["es", "fr"] {
        p.ok(&["new", "paris-commune-forum", "--lang", lang]);
        p.ok(&["mark", "paris-commune-forum", "--lang", lang]);
    }
    p.ok(&["new", "strike", "--lang", "es"]);
    p.ok(&["new", "gone", "--lang", "fr"]);
    p.ok(&["mark", "gone", "--lang", "fr"]);
    commit_all(d, 1, "base");
    let base = git_on(d, 1, &["rev-parse", "HEAD"]);
    (p, base)
}

/// The change: the forum's original edited (es and fr made outdated), then fr brought up to
/// date again; the strike's es draft finished; a new article; `gone`'s original deleted.
fn change(p: &Publication) {
    p.file(
        "articles/paris-commune-forum.md",
        ORIGINAL.replace("Two hundred people", "Three hundred workers"),
    );
    p.ok(&["mark", "paris-commune-forum", "--lang", "fr"]);
    p.ok(&["mark", "strike", "--lang", "es"]);
    p.file(
        "articles/news/lockout.md",
        "---\ntitle: Lockout\n---\n\nThe owners locked the gates.\n",
    );
    std::fs::remove_file(p.path("articles/gone.md")).unwrap();
}

fn pairs(list: &serde_json::Value) -> Vec<String> {
    let mut v: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            format!(
                "{} {} {}",
                i["id"].as_str().unwrap(),
                i["lang"].as_str().unwrap(),
                i["was"].as_str().unwrap_or("new")
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn a_change_is_told_translation_by_translation() {
    let (p, base) = committed_site();
    // Nothing changed yet: nothing to say, and nothing new fails.
    let r = p.run(&["check", "--base", "main"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(
        r.stdout
            .contains("This change does nothing to any translation."),
        "{}",
        r.stdout
    );
    change(&p);
    let before_status = git_on(p.root(), 2, &["status", "--porcelain"]);
    let r = p.run(&["check", "--base", "main", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.all());
    let j = r.json();
    assert_eq!(j["base"]["commit"], base.as_str());
    assert_eq!(j["base"]["rev"], "main");
    assert_eq!(j["passed"], false);
    assert_eq!(
        pairs(&j["made_outdated"]),
        ["paris-commune-forum es up-to-date"]
    );
    assert_eq!(
        j["made_outdated"][0]["changed"],
        serde_json::json!({"paragraphs": 1, "words": 17})
    );
    assert_eq!(pairs(&j["brought_up_to_date"]), ["strike es draft"]);
    assert_eq!(pairs(&j["broken"]), ["gone fr up-to-date"]);
    assert_eq!(j["new_articles"][0]["id"], "news/lockout");
    assert_eq!(
        j["new_articles"][0]["to_translate"],
        serde_json::json!(["es", "fr"])
    );
    assert_eq!(j["new_articles"].as_array().unwrap().len(), 1);
    // Outdated es and the orphan fail the default policy; they were fine at the base. The new
    // article's missing translations are not required anywhere, so they fail nothing.
    assert_eq!(
        pairs(&j["new_problems"]),
        ["gone fr up-to-date", "paris-commune-forum es up-to-date"]
    );
    // The fr translation marked again is not listed: up to date before and after.
    let fr = j.to_string();
    assert!(
        !fr.contains("\"lang\":\"fr\",\"state\":\"up-to-date\""),
        "{fr}"
    );

    let text = p.run(&["check", "--base", "main"]);
    assert_eq!(text.code, 1);
    for line in [
        "Compared with main (",
        "made outdated (1):",
        "  es    paris-commune-forum  translations/es/paris-commune-forum.md  was up-to-date; 1 paragraph changed, 17 words",
        "brought up to date (1):",
        "broken (1):",
        "new articles to translate (1):",
        "  news/lockout  articles/news/lockout.md  6 words → es, fr",
        "1 translation made outdated, 1 brought up to date, 1 new article, 1 broken.",
        "failed: 2 new problems that the policy fails on.",
    ] {
        assert!(text.stdout.contains(line), "{line:?} in:\n{}", text.stdout);
    }

    let md = p
        .run(&["check", "--base", "main", "--format", "markdown"])
        .stdout;
    assert!(
        md.starts_with("### tandem: what this change does to translations\n"),
        "{md}"
    );
    assert!(md.contains("Compared with `main` (`"), "{md}");
    assert!(md.contains("#### Made outdated (1)"), "{md}");
    assert!(md.contains("| es | paris-commune-forum | translations/es/paris-commune-forum.md | was up-to-date; 1 paragraph changed, 17 words |"), "{md}");
    assert!(
        md.contains("| news/lockout | 6 | es, fr | `tandem new news/lockout --lang es` |"),
        "{md}"
    );
    assert!(
        md.contains("❌ 2 new problems that the policy fails on."),
        "{md}"
    );

    let gh = p
        .run(&["check", "--base", "main", "--format", "github"])
        .stdout;
    assert!(gh.contains("::warning file=translations/es/paris-commune-forum.md,line=1,title=tandem%3A made outdated::paris-commune-forum (es): was up-to-date"), "{gh}");
    assert!(
        gh.contains("::error file=translations/fr/gone.md,line=1,title=tandem%3A broken::"),
        "{gh}"
    );
    assert!(
        gh.contains(
            "::notice file=translations/es/strike.md,line=1,title=tandem%3A brought up to date::"
        ),
        "{gh}"
    );
    assert!(gh.contains("::notice file=articles/news/lockout.md,line=1,title=tandem%3A new article::news/lockout needs translating into es, fr"), "{gh}");

    // --lang narrows every list.
    let j = p
        .run(&[
            "check", "--base", "main", "--lang", "fr", "--format", "json",
        ])
        .json();
    assert_eq!(pairs(&j["made_outdated"]), Vec::<String>::new());
    assert_eq!(pairs(&j["broken"]), ["gone fr up-to-date"]);
    // Nothing in the repository was touched: same status, no worktree added.
    assert_eq!(
        git_on(p.root(), 2, &["status", "--porcelain"]),
        before_status
    );
    assert_eq!(
        git_on(p.root(), 2, &["worktree", "list"]).lines().count(),
        1
    );
}

#[test]
fn the_base_can_be_a_commit_and_is_refused_when_unknown() {
    let (p, base) = committed_site();
    git_on(p.root(), 2, &["checkout", "-qb", "work"]);
    change(&p);
    commit_all(p.root(), 2, "the change");
    // Committed on a branch: the working tree is the branch; the base a short hash.
    let j = p
        .run(&["check", "--base", &base[..8], "--format", "json"])
        .json();
    assert_eq!(j["base"]["commit"], base.as_str());
    assert_eq!(
        pairs(&j["made_outdated"]),
        ["paris-commune-forum es up-to-date"]
    );
    let r = p.run(&["check", "--base", "no-such-branch"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(
        r.stderr
            .contains("error: --base no-such-branch: no such commit in this repository"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("fetch-depth: 0"), "{}", r.stderr);
    let r = p.run(&["check", "--base", "--help-me"]);
    assert_eq!(r.code, 2, "{}", r.all());
}

#[test]
fn outside_a_repository_base_is_an_error() {
    let p = Publication::three_languages();
    p.file("articles/a.md", STRIKE);
    let r = p.run(&["check", "--base", "main"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(
        r.stderr.contains("is not in a git repository"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_change_under_git_history_and_commit_field_baselines() {
    // Git history: the translation's last commit is its record.
    let p = Publication::bare();
    let d = p.root();
    git_on(d, 1, &["init", "-q", "-b", "main"]);
    p.file("tandem.yaml", "languages: [en, de]\nbaseline: git\nlayout:\n  originals: docs/{id}.md\n  translations: docs/{lang}/{id}.md\n");
    p.file("docs/guide.md", STRIKE);
    commit_all(d, 1, "original");
    p.file(
        "docs/de/guide.md",
        "---\ntitle: Streik\n---\n\nDer Streik geht weiter.\n",
    );
    commit_all(d, 2, "de");
    assert_eq!(p.state("guide", "de"), "up-to-date");
    p.file("docs/guide.md", STRIKE.replace("second", "third"));
    commit_all(d, 3, "guide: a week later");
    let j = p
        .run(&["check", "--base", "HEAD~1", "--format", "json"])
        .json();
    assert_eq!(pairs(&j["made_outdated"]), ["guide de up-to-date"]);
    assert_eq!(j["made_outdated"][0]["judged_by"]["kind"], "git");

    // A commit field: the translation names the commit it was made from.
    let p = Publication::bare();
    let d = p.root();
    git_on(d, 1, &["init", "-q", "-b", "main"]);
    p.file("tandem.yaml", "languages: [en, de]\nbaseline: {commit_field: source_commit}\nlayout:\n  originals: docs/{id}.md\n  translations: docs/{lang}/{id}.md\n");
    p.file("docs/guide.md", STRIKE);
    commit_all(d, 1, "original");
    let first = git_on(d, 1, &["rev-parse", "HEAD"]);
    p.file(
        "docs/de/guide.md",
        format!("---\ntitle: Streik\nsource_commit: {first}\n---\n\nDer Streik geht weiter.\n"),
    );
    commit_all(d, 2, "de");
    // Uncommitted: the original edited in the working tree.
    p.file("docs/guide.md", STRIKE.replace("second", "third"));
    let j = p
        .run(&["check", "--base", "main", "--format", "json"])
        .json();
    assert_eq!(pairs(&j["made_outdated"]), ["guide de up-to-date"]);
    assert_eq!(j["made_outdated"][0]["judged_by"]["kind"], "commit");
    // The published report links an outdated cell to what changed since its commit.
    p.ok(&[
        "report",
        "--html",
        "out",
        "--link-base",
        "https://github.com/o/docs/blob/main/",
    ]);
    let data = crate::gate::report_data(&p.read("out/index.html"));
    assert_eq!(
        data["compare"],
        serde_json::json!(["https://github.com/o/docs/compare/", "...main"])
    );
    let de = data["langs"]
        .as_array()
        .unwrap()
        .iter()
        .position(|l| l == "de")
        .unwrap();
    let cell = &data["rows"][0][4][de];
    assert_eq!(
        data["states"][cell[0].as_u64().unwrap() as usize],
        "outdated"
    );
    assert_eq!(cell[5], first.as_str(), "{cell}");
}

/// MDN's shape: the originals in their own repository (`source_root: ../content`), which the
/// translations' commits do not hold. The base sees the originals as they are now, so the
/// change is what the pull request does to the translations.
#[test]
fn originals_in_another_repository_are_shared_with_the_base() {
    let top = tempfile::tempdir().unwrap();
    let content = top.path().join("content");
    std::fs::create_dir_all(content.join("files/en-us/web/css")).unwrap();
    git_on(&content, 1, &["init", "-q", "-b", "main"]);
    std::fs::write(content.join("files/en-us/web/css/index.md"), STRIKE).unwrap();
    commit_all(&content, 1, "css");
    let c1 = git_on(&content, 1, &["rev-parse", "HEAD"]);
    std::fs::write(
        content.join("files/en-us/web/css/index.md"),
        STRIKE.replace("second", "third"),
    )
    .unwrap();
    commit_all(&content, 2, "css: a week on");
    let c2 = git_on(&content, 2, &["rev-parse", "HEAD"]);

    let p = Publication::in_dir_at(top.path().join("translated-content"));
    let d = p.root().to_path_buf();
    git_on(&d, 3, &["init", "-q", "-b", "main"]);
    p.file("tandem.yaml", "source_lang: en-US\nlanguages: [{en-US: en-us}, de, fr]\nsource_root: ../content\nbaseline: {commit_field: l10n.sourceCommit}\nlayout:\n  originals: files/en-us/{id}/index.md\n  translations: files/{lang}/{id}/index.md\n");
    let page = |commit: &str| {
        format!("---\ntitle: CSS\nl10n:\n  sourceCommit: {commit}\n---\n\nDer Streik.\n")
    };
    p.file("files/de/web/css/index.md", page(&c1));
    commit_all(&d, 3, "de");
    assert_eq!(p.state("web/css", "de"), "outdated");
    // The pull request: de brought up to date, fr added.
    p.file("files/de/web/css/index.md", page(&c2));
    p.file("files/fr/web/css/index.md", page(&c2));
    let r = p.run(&["check", "--base", "main", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let j = r.json();
    assert_eq!(
        pairs(&j["brought_up_to_date"]),
        ["web/css de outdated", "web/css fr missing"]
    );
    assert_eq!(pairs(&j["made_outdated"]), Vec::<String>::new());
    assert_eq!(j["passed"], true);
}

/// A pair that already failed at the base is not a new problem when its state changes: here an
/// outdated translation that the change makes unreadable.
#[test]
fn a_pair_failing_at_the_base_is_no_new_problem() {
    let (p, _) = committed_site();
    p.file(
        "articles/paris-commune-forum.md",
        ORIGINAL.replace("Two hundred people", "Three hundred workers"),
    );
    git_on(p.root(), 2, &["commit", "-qam", "forum edited"]);
    assert_eq!(p.state("paris-commune-forum", "es"), "outdated");
    // Outdated at the base (fails), broken now (fails): listed as broken, not as new.
    p.file(
        "translations/es/paris-commune-forum.md",
        "---\ntitle: [\n---\n",
    );
    let r = p.run(&["check", "--base", "main", "--format", "json"]);
    let j = r.json();
    assert_eq!(pairs(&j["broken"]), ["paris-commune-forum es outdated"]);
    assert_eq!(pairs(&j["new_problems"]), Vec::<String>::new());
    assert_eq!(r.code, 0, "{}", r.all());
}

/// The change that adopts tandem: nothing at the base, so every pair is new, and the gate
/// still judges them (nothing to compare is not a pass).
#[test]
fn a_change_that_starts_the_publication_is_compared_with_nothing() {
    let p = Publication::bare();
    let d = p.root();
    git_on(d, 1, &["init", "-q", "-b", "main"]);
    p.file("README.md", "A repository before its publication.\n");
    commit_all(d, 1, "start");
    p.file("tandem.yaml", "languages: [en, es]\nrequired: [es]\n");
    p.file("articles/strike.md", STRIKE);
    let r = p.run(&["check", "--base", "main", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.all());
    let j = r.json();
    assert_eq!(j["base"]["publication"], false);
    assert_eq!(j["new_articles"][0]["id"], "strike");
    assert_eq!(pairs(&j["new_problems"]), ["strike es new"]);
    let text = p.run(&["check", "--base", "main"]).stdout;
    assert!(text.contains(", which had no publication:"), "{text}");
}

/// The base is read with tandem.yaml as it is now: a site adopting tandem, its tandem.yaml not
/// yet committed, gets the real comparison; and a configuration change alone changes nothing.
#[test]
fn the_base_is_read_with_the_configuration_as_it_is_now() {
    let p = Publication::bare();
    let d = p.root();
    git_on(d, 1, &["init", "-q", "-b", "main"]);
    p.file("docs/guide.md", STRIKE);
    p.file(
        "docs/de/guide.md",
        "---\ntitle: Streik\n---\n\nDer Streik.\n",
    );
    commit_all(d, 1, "a site without tandem");
    p.file(
        "tandem.yaml",
        "languages: [en, de]\nlayout:\n  originals: docs/{id}.md\n  translations: docs/{lang}/{id}.md\n",
    );
    p.file("docs/other.md", STRIKE.replace("rail", "port"));
    let j = p
        .run(&["check", "--base", "main", "--format", "json"])
        .json();
    assert_eq!(j["base"]["publication"], true);
    assert_eq!(j["new_articles"].as_array().unwrap().len(), 1, "{j}");
    assert_eq!(j["new_articles"][0]["id"], "other");
    assert_eq!(pairs(&j["broken"]), Vec::<String>::new());
    // Committed, then only the configuration changed (a required language): nothing moves.
    commit_all(d, 2, "tandem");
    p.file(
        "tandem.yaml",
        "languages: [en, de]\nrequired: [de]\nlayout:\n  originals: docs/{id}.md\n  translations: docs/{lang}/{id}.md\n",
    );
    let r = p.run(&["check", "--base", "main"]);
    assert!(
        r.stdout
            .contains("This change does nothing to any translation."),
        "{}",
        r.all()
    );
}
