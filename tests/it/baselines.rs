//! Baselines recorded as commits of the originals' repository (`baseline: {commit_field: …}`),
//! on git repositories built by the test with fixed dates and authors.

use crate::Publication;
use std::path::Path;
use std::process::Command;

/// Runs git in `dir` with a fixed author and date; returns stdout.
fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Ed Itor")
        .env("GIT_AUTHOR_EMAIL", "ed@example.org")
        .env("GIT_COMMITTER_NAME", "Ed Itor")
        .env("GIT_COMMITTER_EMAIL", "ed@example.org")
        .env("GIT_AUTHOR_DATE", "2026-03-20T10:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-03-20T10:00:00Z")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const CSS_V1: &str = "---\ntitle: CSS\n---\n\nCascading Style Sheets describe how documents look.\n\nThey were first proposed in 1994.\n";
const CSS_V2: &str = "---\ntitle: CSS\n---\n\nCascading Style Sheets describe how documents look.\n\nThey were first proposed in 1994 by Håkon Wium Lie.\n";

/// MDN's shape: the originals in `content/` (their own repository, with history), the
/// translations in `translated-content/`. Returns the publication and the commits: the first
/// version, the second, and one on a branch off the first.
fn mdn() -> (tempfile::TempDir, Publication, [String; 3]) {
    let top = tempfile::tempdir().unwrap();
    let content = top.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    git(&content, &["init", "-q", "-b", "main"]);
    write(&content, "files/en-us/web/css/index.md", CSS_V1);
    git(&content, &["add", "-A"]);
    git(&content, &["commit", "-qm", "css"]);
    let c1 = git(&content, &["rev-parse", "HEAD"]);
    git(&content, &["checkout", "-qb", "other"]);
    write(&content, "README.md", "A note outside the originals.\n");
    git(&content, &["add", "-A"]);
    git(&content, &["commit", "-qm", "readme"]);
    let off = git(&content, &["rev-parse", "HEAD"]);
    git(&content, &["checkout", "-q", "main"]);
    write(&content, "files/en-us/web/css/index.md", CSS_V2);
    write(
        &content,
        "files/en-us/web/html/index.md",
        "---\ntitle: HTML\n---\n\nThe language of web pages, with its own long history.\n",
    );
    git(&content, &["add", "-A"]);
    git(&content, &["commit", "-qm", "css: who proposed it; html"]);
    let c2 = git(&content, &["rev-parse", "HEAD"]);

    let p = Publication::in_dir_at(top.path().join("translated-content"));
    p.file(
        "tandem.yaml",
        "source_lang: en-US\nlanguages: [{en-US: en-us}, de, es, fr, ja]\nsource_root: ../content\nbaseline: {commit_field: l10n.sourceCommit}\nlayout:\n  originals: files/en-us/{id}/index.md\n  translations: files/{lang}/{id}/index.md\n",
    );
    let page = |commit: &str, body: &str| {
        format!("---\ntitle: CSS\nl10n:\n  sourceCommit: {commit}\n---\n\n{body}\n")
    };
    p.file(
        "files/de/web/css/index.md",
        page(&c2[..7], "Stylesheets beschreiben das Aussehen."),
    );
    p.file(
        "files/es/web/css/index.md",
        page(
            &format!("{c1} # patched"),
            "Las hojas de estilo describen el aspecto.",
        ),
    );
    p.file(
        "files/fr/web/css/index.md",
        page(&off, "Les feuilles de style décrivent l'apparence."),
    );
    p.file(
        "files/ja/web/css/index.md",
        page("deadbeefdeadbeef", "スタイルシート。"),
    );
    p.file(
        "files/ja/web/html/index.md",
        page(&c1, "ウェブページの言語。"),
    );
    p.file(
        "files/de/web/html/index.md",
        "---\ntitle: HTML\n---\n\nDie Sprache der Webseiten.\n",
    );
    p.file(
        "files/es/web/html/index.md",
        "---\ntitle: HTML\nsource_hash: 0123456789abcdef0123456789abcdef\n---\n\nEl lenguaje de las páginas.\n",
    );
    (top, p, [c1, c2, off])
}

#[test]
fn a_recorded_commit_judges_the_translation() {
    let (_top, p, [c1, c2, off]) = mdn();
    let json = p.ok(&["status", "--all", "--format", "json"]).json();
    let item = |id: &str, lang: &str| {
        json["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id && i["lang"] == lang)
            .cloned()
            .unwrap_or_else(|| panic!("no {id} {lang}"))
    };
    // A short hash of the current version: up to date.
    let de = item("web/css", "de");
    assert_eq!(de["state"], "up-to-date", "{de}");
    assert_eq!(de["judged_by"]["kind"], "commit");
    assert_eq!(de["judged_by"]["field"], "l10n.sourceCommit");
    assert_eq!(de["judged_by"]["commit"], c2.as_str());
    // The first version, with a comment after the hash: one paragraph changed since.
    let es = item("web/css", "es");
    assert_eq!(es["state"], "outdated", "{es}");
    assert_eq!(es["judged_by"]["commit"], c1.as_str());
    assert_eq!(es["changed"]["paragraphs"], 1, "{es}");
    // A commit on another branch: taken at its merge base with HEAD.
    let fr = item("web/css", "fr");
    assert_eq!(fr["state"], "outdated", "{fr}");
    assert_eq!(fr["judged_by"]["commit"], c1.as_str());
    assert_eq!(fr["judged_by"]["merge_base_of"], off.as_str());
    // Not a commit, and an original that did not exist at the commit: unknown, with why.
    let ja = item("web/css", "ja");
    assert_eq!(ja["state"], "outdated");
    assert_eq!(ja["baseline"], "unknown");
    assert!(
        ja["message"].as_str().unwrap().contains("not a commit"),
        "{ja}"
    );
    let ja = item("web/html", "ja");
    assert_eq!(ja["baseline"], "unknown");
    assert!(
        ja["message"].as_str().unwrap().contains("did not exist"),
        "{ja}"
    );
    // No record: untracked. A stamp judges whatever the configured kind.
    assert_eq!(item("web/html", "de")["state"], "untracked");
    let es = item("web/html", "es");
    assert_eq!(es["judged_by"]["kind"], "stamp", "{es}");
    // check fails on the outdated ones; show says what judged each.
    assert_eq!(p.run(&["check"]).code, 1);
    let show = p.ok(&["show", "web/css"]).stdout;
    assert!(show.contains(&format!("fr    l10n.sourceCommit {off} (commit {off} is not in the originals' history: taken at its merge base {c1})")), "{show}");
    // diff reads the baseline version from git.
    let diff = p.ok(&["diff", "web/css", "--lang", "es"]).stdout;
    assert!(diff.contains("{+Håkon+}"), "{diff}");
    assert!(
        diff.contains(&c1[..10]),
        "the baseline is the commit: {diff}"
    );
    assert!(diff.contains("Las hojas de estilo"), "{diff}");
}

#[test]
fn mark_records_the_current_commit_keeping_every_other_byte() {
    let (top, p, [_, c2, _]) = mdn();
    let before = p.read("files/es/web/css/index.md");
    let r = p.ok(&["mark", "web/css", "--lang", "es"]);
    assert!(r.stdout.contains("l10n.sourceCommit"), "{}", r.stdout);
    let after = p.read("files/es/web/css/index.md");
    let expected = before.replace(
        &format!(
            "{} # patched",
            before
                .lines()
                .nth(3)
                .unwrap()
                .trim()
                .trim_start_matches("sourceCommit: ")
                .split(' ')
                .next()
                .unwrap()
        ),
        &c2,
    );
    assert_eq!(after, expected);
    assert_eq!(p.item("web/css", "es")["state"], "up-to-date");
    // An original with changes not committed: refused, nothing written.
    let content = top.path().join("content");
    write(
        &content,
        "files/en-us/web/css/index.md",
        &CSS_V2.replace("1994", "1995"),
    );
    let r = p.run(&["mark", "web/css", "--lang", "de"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("not committed"), "{}", r.stderr);
    assert!(p.read("files/de/web/css/index.md").contains(&c2[..7]));
}

#[test]
fn stored_results_follow_the_originals_head() {
    let (top, p, [c1, _, off]) = mdn();
    let content = top.path().join("content");
    // Let every file age past the cache's racy window, then answer once to fill the cache.
    std::thread::sleep(std::time::Duration::from_millis(3500));
    let fr = p.item("web/css", "fr");
    assert_eq!(fr["judged_by"]["commit"], c1.as_str());
    p.run(&["check", "--format", "json"]);
    assert!(p.exists(".tandem/cache/results.bin"));
    // Merging the branch moves HEAD and no original: the off-branch commit is now history.
    git(&content, &["merge", "-q", "--no-edit", "other"]);
    let json = p.run(&["check", "--format", "json"]).json();
    let fr = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "web/css" && i["lang"] == "fr")
        .cloned()
        .unwrap();
    assert_eq!(fr["judged_by"]["commit"], off.as_str(), "{fr}");
    assert!(fr["judged_by"].get("merge_base_of").is_none(), "{fr}");
}

#[test]
fn a_bad_baseline_setting_is_refused() {
    let p = Publication::new();
    p.file("articles/a.md", crate::ORIGINAL);
    for (yaml, says) in [
        ("baseline: git\n", "not available"),
        ("baseline: {commit_field: source_hash}\n", "tandem's own"),
        ("baseline: sometimes\n", "not a baseline"),
    ] {
        p.file("tandem.yaml", yaml);
        let r = p.run(&["status"]);
        assert_eq!(r.code, 2, "{yaml}");
        assert!(r.stderr.contains(says), "{yaml}: {}", r.stderr);
    }
}
