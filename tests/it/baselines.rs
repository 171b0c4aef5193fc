//! Baselines recorded as commits of the originals' repository (`baseline: {commit_field: …}`),
//! on git repositories built by the test with fixed dates and authors.

use crate::{find_item, Publication};
use std::path::Path;
use std::process::Command;

/// Runs git in `dir` with a fixed author and the date of the day the articles were written;
/// returns stdout.
fn git(dir: &Path, args: &[&str]) -> String {
    git_on(dir, 20, args)
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

/// The pair of `id` into `lang` in `status --all --format json`.
fn item_of(json: &serde_json::Value, id: &str, lang: &str) -> serde_json::Value {
    find_item(json, id, lang).unwrap_or_else(|| panic!("no {id} {lang}"))
}

/// What `status --all --format json` says of [`mdn`]'s pairs, from its commits: the current
/// version up to date, the first one outdated, a commit off the branch taken at its merge base,
/// a value that is no commit and an original not there at the commit unknown.
fn mdn_verdicts(json: &serde_json::Value, [c1, c2, off]: &[String; 3]) {
    let item = |id: &str, lang: &str| item_of(json, id, lang);
    let de = item("web/css", "de");
    assert_eq!(de["state"], "up-to-date", "{de}");
    assert_eq!(de["judged_by"]["commit"], c2.as_str());
    let es = item("web/css", "es");
    assert_eq!(es["state"], "outdated", "{es}");
    assert_eq!(es["judged_by"]["commit"], c1.as_str());
    assert_eq!(es["changed"]["paragraphs"], 1, "{es}");
    let fr = item("web/css", "fr");
    assert_eq!(fr["judged_by"]["merge_base_of"], off.as_str());
    assert_eq!(item("web/css", "ja")["baseline"], "unknown");
    assert_eq!(item("web/html", "ja")["baseline"], "unknown");
}

/// `tandem init` in MDN's translated-content, with the content repository beside it, reads the
/// commit each translation records (`l10n.sourceCommit`): the same verdicts as configured by
/// hand.
#[test]
fn init_reads_the_commit_mdn_records() {
    let (_top, p, commits) = mdn();
    std::fs::remove_file(p.path("tandem.yaml")).unwrap();
    let out = p.ok(&["init"]).stdout;
    assert!(out.contains("recognised MDN translated-content"), "{out}");
    assert!(
        out.contains(
            "baseline: the commit in `l10n.sourceCommit` (5 of 7 translations record one)"
        ),
        "{out}"
    );
    let yaml = p.read("tandem.yaml");
    assert!(
        yaml.contains("\nbaseline: {commit_field: l10n.sourceCommit}"),
        "{yaml}"
    );
    mdn_verdicts(
        &p.ok(&["status", "--all", "--format", "json"]).json(),
        &commits,
    );
}

#[test]
fn a_recorded_commit_judges_the_translation() {
    let (_top, p, commits) = mdn();
    let [c1, _, off] = &commits;
    let json = p.ok(&["status", "--all", "--format", "json"]).json();
    let item = |id: &str, lang: &str| item_of(&json, id, lang);
    mdn_verdicts(&json, &commits);
    // A short hash of the current version: up to date.
    let de = item("web/css", "de");
    assert_eq!(de["judged_by"]["kind"], "commit");
    assert_eq!(de["judged_by"]["field"], "l10n.sourceCommit");
    // A commit on another branch: taken at its merge base with HEAD.
    let fr = item("web/css", "fr");
    assert_eq!(fr["state"], "outdated", "{fr}");
    assert_eq!(fr["judged_by"]["commit"], c1.as_str());
    // Not a commit, and an original that did not exist at the commit: unknown, with why.
    let ja = item("web/css", "ja");
    assert_eq!(ja["state"], "outdated");
    assert!(
        ja["message"].as_str().unwrap().contains("not a commit"),
        "{ja}"
    );
    let ja = item("web/html", "ja");
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
    let fr = find_item(&json, "web/css", "fr").unwrap();
    assert_eq!(fr["judged_by"]["commit"], off.as_str(), "{fr}");
    assert!(fr["judged_by"].get("merge_base_of").is_none(), "{fr}");
}

#[test]
fn originals_edited_and_not_committed_are_judged_as_on_disk_in_every_language() {
    let (top, p, [_, c2, _]) = mdn();
    let content = top.path().join("content");
    // Both originals' versions at c2 recorded in two languages; then the CSS page is put back
    // as c1 had it, not committed. Each language asks for the same originals' content as the
    // work tree has it (read once a run): each verdict must follow the disk.
    let html = |commit: &str| {
        format!("---\ntitle: HTML\nl10n:\n  sourceCommit: {commit}\n---\n\nLangage.\n")
    };
    p.file("files/de/web/html/index.md", html(&c2));
    p.file("files/fr/web/html/index.md", html(&c2));
    write(&content, "files/en-us/web/css/index.md", CSS_V1);
    let json = p.ok(&["status", "--all", "--format", "json"]).json();
    let state = |id: &str, lang: &str| {
        let item = find_item(&json, id, lang).unwrap_or_else(|| panic!("no {id} {lang}: {json}"));
        item["state"].as_str().unwrap().to_string()
    };
    // Made from c2's CSS page (now changed on disk): outdated.
    assert_eq!(state("web/css", "de"), "outdated");
    // Made from c1's (as the disk has it again), directly and at a merge base: up to date.
    assert_eq!(state("web/css", "es"), "up-to-date");
    assert_eq!(state("web/css", "fr"), "up-to-date");
    // The HTML page is as c2 has it, in both languages.
    assert_eq!(state("web/html", "de"), "up-to-date");
    assert_eq!(state("web/html", "fr"), "up-to-date");
}

#[test]
fn a_bad_baseline_setting_is_refused() {
    let p = Publication::new();
    p.file("articles/a.md", crate::ORIGINAL);
    for (yaml, says) in [
        ("baseline: {git: {ignor: [typo]}}\n", "not a setting"),
        ("source_root: ../x\nbaseline: git\n", "one repository"),
        ("baseline: {commit_field: source_hash}\n", "tandem's own"),
        ("baseline: sometimes\n", "not a baseline"),
    ] {
        p.file("tandem.yaml", yaml);
        let r = p.run(&["status"]);
        assert_eq!(r.code, 2, "{yaml}");
        assert!(r.stderr.contains(says), "{yaml}: {}", r.stderr);
    }
}

/// Commits everything in `dir` as [`git_on`] does, with `message`.
pub(crate) fn commit_all(dir: &Path, day: u32, message: &str) {
    git_on(dir, day, &["add", "-A"]);
    git_on(dir, day, &["commit", "-qm", message]);
}

/// Runs git in `dir` with a fixed author, dated day `day` of March 2026; returns stdout.
pub(crate) fn git_on(dir: &Path, day: u32, args: &[&str]) -> String {
    let date = format!("2026-03-{day:02}T10:00:00Z");
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Tra Ductor")
        .env("GIT_AUTHOR_EMAIL", "t@example.org")
        .env("GIT_COMMITTER_NAME", "Tra Ductor")
        .env("GIT_COMMITTER_EMAIL", "t@example.org")
        .env("GIT_AUTHOR_DATE", &date)
        .env("GIT_COMMITTER_DATE", &date)
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

/// `git mv FROM TO` on that day, making TO's folder first.
fn git_mv(dir: &Path, day: u32, from: &str, to: &str) {
    if let Some(parent) = dir.join(to).parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    git_on(dir, day, &["mv", from, to]);
}

const GUIDE_V1: &str = "---\ntitle: Guide\n---\n\nInstall the tool with the package manager of your system.\n\nThen run it in the folder of your site.\n";
const GUIDE_V2: &str = "---\ntitle: Guide\n---\n\nInstall the tool with the package manager of your system.\n\nThen run it in the folder of your site, once a day.\n";
const OTHER_V1: &str = "---\ntitle: Other\n---\n\nAnother page about the tool and its many uses.\n";

/// A root-locale site whose only record is its git history.
fn history_site(ignore: &str) -> (Publication, String) {
    let p = Publication::bare();
    let d = p.root();
    git_on(d, 1, &["init", "-q", "-b", "main"]);
    p.file(
        "tandem.yaml",
        format!("languages: [en, de, es, fr, it]\nbaseline: {ignore}\nlayout:\n  originals: docs/{{id}}.md\n  translations: docs/{{lang}}/{{id}}.md\n"),
    );
    p.file("docs/guide.md", GUIDE_V1);
    p.file("docs/other.md", OTHER_V1);
    commit_all(d, 1, "originals");
    p.file(
        "docs/de/guide.md",
        "---\ntitle: Anleitung\n---\n\nInstalliere es.\n\nDann starte es.\n",
    );
    p.file(
        "docs/de/other.md",
        "---\ntitle: Andere\n---\n\nEine andere Seite.\n",
    );
    p.file(
        "docs/es/guide.md",
        "---\ntitle: Guía\n---\n\nInstálalo.\n\nLuego ejecútalo.\n",
    );
    commit_all(d, 2, "de, es");
    let base = git_on(d, 2, &["rev-parse", "HEAD"]);
    // A translator's branch from here, made from the first version, merged later.
    git_on(d, 3, &["checkout", "-qb", "it"]);
    p.file(
        "docs/it/guide.md",
        "---\ntitle: Guida\n---\n\nInstallalo.\n\nPoi eseguilo.\n",
    );
    commit_all(d, 3, "it");
    git_on(d, 4, &["checkout", "-q", "main"]);
    p.file("docs/guide.md", GUIDE_V2);
    commit_all(d, 4, "guide: how often");
    p.file("docs/other.md", OTHER_V1.replace("many", "manny"));
    commit_all(d, 5, "other: fix typo");
    p.file(
        "docs/fr/guide.md",
        "---\ntitle: Guide\n---\n\nInstallez-le.\n\nPuis lancez-le, une fois par jour.\n",
    );
    commit_all(d, 6, "fr");
    p.file(
        "docs/es/guide.md",
        "---\ntitle: Guía\n---\n\nInstálalo.\n\nLuego ejecútalo!\n",
    );
    commit_all(d, 7, "es: fix typo");
    git_on(d, 8, &["merge", "-q", "--no-ff", "--no-edit", "it"]);
    p.file(
        "docs/de/new.md",
        "---\ntitle: Neu\n---\n\nNicht committet.\n",
    );
    p.file(
        "docs/new.md",
        "---\ntitle: New\n---\n\nA new page not yet committed.\n",
    );
    (p, base)
}

#[test]
fn history_is_the_record_when_nothing_else_is() {
    let (p, base) = history_site("{git: {ignore: [typo]}}");
    let state = |id: &str, lang: &str| p.item(id, lang)["state"].as_str().unwrap().to_string();
    // Made from the first version, the original changed since.
    let de = p.item("guide", "de");
    assert_eq!(de["state"], "outdated", "{de}");
    assert_eq!(de["changed"]["paragraphs"], 1, "{de}");
    assert_eq!(de["judged_by"]["kind"], "git");
    assert_eq!(de["judged_by"]["commit"], base.as_str());
    // Only a typo commit changed the original since: up to date.
    assert_eq!(
        state("other", "de"),
        "up-to-date",
        "{}",
        p.item("other", "de")
    );
    // Translated after the change: up to date.
    assert_eq!(state("guide", "fr"), "up-to-date");
    // The translation's own typo commit does not move its baseline.
    assert_eq!(state("guide", "es"), "outdated");
    // Made on a branch from the first version and merged after the change: the branch's
    // commit is its baseline, not the merge.
    assert_eq!(state("guide", "it"), "outdated");
    // Never committed.
    assert_eq!(state("new", "de"), "untracked");
    // diff reads the version of the translation's last commit from git.
    let diff = p.ok(&["diff", "guide", "--lang", "de"]).stdout;
    assert!(diff.contains("{+once+}"), "{diff}");
    // Without ignore words, the typo commits count.
    let (q, _) = history_site("git");
    assert_eq!(q.item("other", "de")["state"], "outdated");
    assert_eq!(q.item("guide", "es")["state"], "up-to-date");
}

/// A translation updated after an ignored commit changed its original, and the original
/// changed since by ignored commits alone: up to date, whatever the ignored commits before the
/// translation's changed (Lunaria's rule: no counted change of the original since).
#[test]
fn ignored_changes_on_both_sides_of_a_translation_move_nothing() {
    let p = Publication::bare();
    let d = p.root();
    git_on(d, 1, &["init", "-q", "-b", "main"]);
    p.file(
        "tandem.yaml",
        "languages: [en, de]\nbaseline: {git: {ignore: [typo]}}\nlayout:\n  originals: docs/{id}.md\n  translations: docs/{lang}/{id}.md\n",
    );
    p.file("docs/guide.md", GUIDE_V1);
    commit_all(d, 1, "guide");
    p.file(
        "docs/de/guide.md",
        "---\ntitle: Anleitung\n---\n\nInstalliere es.\n\nDann starte es.\n",
    );
    commit_all(d, 2, "de");
    p.file("docs/guide.md", GUIDE_V2);
    commit_all(d, 3, "guide: fix typo");
    p.file(
        "docs/de/guide.md",
        "---\ntitle: Anleitung\n---\n\nInstalliere es.\n\nDann starte es, täglich.\n",
    );
    commit_all(d, 4, "de: once a day");
    p.file(
        "docs/guide.md",
        GUIDE_V2.replace("once a day", "once a day."),
    );
    commit_all(d, 5, "guide: another typo");
    let de = p.item("guide", "de");
    assert_eq!(de["state"], "up-to-date", "{de}");
    // A counted change after the translation's makes it outdated again.
    p.file(
        "docs/guide.md",
        GUIDE_V2.replace("once a day", "every hour"),
    );
    commit_all(d, 6, "guide: every hour");
    assert_eq!(p.item("guide", "de")["state"], "outdated");
}

/// `tandem init` in a Starlight site whose only record is its history, with Lunaria's
/// configuration: it writes `baseline: git` with Lunaria's ignored keywords, so the first run
/// gives the verdicts Lunaria gives.
#[test]
fn init_reads_a_site_whose_only_record_is_its_history() {
    let p = Publication::bare();
    let d = p.root();
    git_on(d, 1, &["init", "-q", "-b", "main"]);
    p.file(
        "lunaria.config.ts",
        "import { defineConfig } from '@lunariajs/core/config';\n\nexport default defineConfig({\n\ttracking: {\n\t\tlocalizableProperty: 'i18nReady',\n\t\tignoredKeywords: [\n\t\t\t'lunaria-ignore', // never counts\n\t\t\t/* and */ \"typo\",\n\t\t],\n\t},\n});\n",
    );
    p.file("src/content/docs/guide.md", GUIDE_V1);
    p.file("src/content/docs/other.md", OTHER_V1);
    let labelled = |label: &str, template: &str| {
        format!("---\ntitle: Start\nsidebar:\n  label: {label}\ntemplate: {template}\n---\n\nWhere it all begins.\n")
    };
    p.file("src/content/docs/start.md", labelled("Start", "doc"));
    p.file("src/content/docs/end.md", labelled("End", "doc"));
    commit_all(d, 1, "originals");
    p.file(
        "src/content/docs/de/guide.md",
        "---\ntitle: Anleitung\n---\n\nInstalliere es.\n\nDann starte es.\n",
    );
    p.file(
        "src/content/docs/de/other.md",
        "---\ntitle: Andere\n---\n\nEine andere Seite.\n",
    );
    p.file(
        "src/content/docs/de/start.md",
        "---\ntitle: Anfang\n---\n\nWo alles beginnt.\n",
    );
    p.file(
        "src/content/docs/de/end.md",
        "---\ntitle: Ende\n---\n\nWo alles beginnt.\n",
    );
    commit_all(d, 2, "de");
    p.file("src/content/docs/guide.md", GUIDE_V2);
    commit_all(d, 3, "guide: how often");
    p.file(
        "src/content/docs/other.md",
        OTHER_V1.replace("many", "manny"),
    );
    commit_all(d, 4, "other: fix typo");
    // Only the label in the sidebar, which readers see; only the template, which they do not.
    p.file("src/content/docs/start.md", labelled("First steps", "doc"));
    p.file("src/content/docs/end.md", labelled("End", "splash"));
    commit_all(d, 5, "start: label; end: template");
    let out = p.ok(&["init"]).stdout;
    assert!(
        out.contains("baseline: git (no translation records"),
        "{out}"
    );
    assert!(
        out.contains("lunaria-ignore, typo (Lunaria's ignoredKeywords, from lunaria.config.ts)"),
        "{out}"
    );
    let yaml = p.read("tandem.yaml");
    assert!(
        yaml.contains("\nbaseline: {git: {ignore: [lunaria-ignore, typo]}}"),
        "{yaml}"
    );
    let de = p.item("guide", "de");
    assert_eq!(de["state"], "outdated", "{de}");
    assert_eq!(de["judged_by"]["kind"], "git", "{de}");
    assert_eq!(p.item("other", "de")["state"], "up-to-date");
    assert!(
        yaml.contains(
            "\ntranslatable: [title, description, sidebar.label, hero.title, hero.tagline]"
        ),
        "{yaml}"
    );
    assert_eq!(p.item("start", "de")["state"], "outdated");
    assert_eq!(p.item("end", "de")["state"], "up-to-date");

    // Without Lunaria, the history alone; with every translation stamped, stamps.
    for (lunaria, stamped, expected) in [(false, false, "\nbaseline: git "), (false, true, "")] {
        let q = Publication::bare();
        let d = q.root();
        git_on(d, 1, &["init", "-q", "-b", "main"]);
        q.file("src/content/docs/guide.md", GUIDE_V1);
        let stamp = if stamped {
            "source_hash: 0123456789abcdef0123456789abcdef\n"
        } else {
            ""
        };
        q.file(
            "src/content/docs/de/guide.md",
            format!("---\ntitle: Anleitung\n{stamp}---\n\nInstalliere es.\n"),
        );
        if lunaria {
            q.file("lunaria.config.json", "{}");
        }
        commit_all(d, 1, "all");
        let out = q.ok(&["init"]).stdout;
        let yaml = q.read("tandem.yaml");
        if expected.is_empty() {
            assert!(!yaml.contains("baseline"), "{yaml}");
            assert!(
                out.contains("baseline: stamps (1 of 1 translation carry a source_hash)"),
                "{out}"
            );
        } else {
            assert!(yaml.contains(expected), "{yaml}");
            assert!(!out.contains("Lunaria"), "{out}");
        }
    }
}

/// A documentation folder with a folder per language (VitePress's shape), its Lunaria
/// configuration beside its pages.
#[test]
fn init_reads_a_docs_folder_per_language_with_lunaria_beside_it() {
    let p = Publication::bare();
    let d = p.root();
    git_on(d, 1, &["init", "-q", "-b", "main"]);
    p.file(
        "docs/lunaria.config.json",
        "{\"ignoreKeywords\": [\"lunaria-ignore\"]}",
    );
    p.file("docs/en/guide/routing.md", GUIDE_V1);
    p.file("docs/en/index.md", OTHER_V1);
    p.file(
        "docs/zh/guide/routing.md",
        "---\ntitle: 路由\n---\n\n安装。\n",
    );
    p.file("docs/public/logo.svg", "<svg/>");
    commit_all(d, 1, "docs");
    p.file("docs/en/guide/routing.md", GUIDE_V2);
    commit_all(d, 2, "docs: reword [lunaria-ignore]");
    let out = p.ok(&["init"]).stdout;
    assert!(
        out.contains("a documentation site with a folder per language"),
        "{out}"
    );
    assert!(out.contains("from docs/lunaria.config.json"), "{out}");
    let yaml = p.read("tandem.yaml");
    assert!(
        yaml.contains("\nbaseline: {git: {ignore: [lunaria-ignore]}}"),
        "{yaml}"
    );
    assert!(yaml.contains("originals: docs/en/{id}.{md,mdx}"), "{yaml}");
    // Its folder of images is no language: excluded, and nothing is said of it.
    assert!(yaml.contains("\nexclude: [docs/public]"), "{yaml}");
    let r = p.ok(&["status"]);
    assert!(!r.stderr.contains("docs/public"), "{}", r.stderr);
    assert_eq!(p.item("guide/routing", "zh")["state"], "up-to-date");
    assert_eq!(p.item("index", "zh")["state"], "missing");
}

/// A clone of `p`'s repository with only its last commit (in a temporary folder, removed when
/// the first value is dropped).
fn shallow_clone(p: &Publication) -> (tempfile::TempDir, Publication) {
    let top = tempfile::tempdir().unwrap();
    let url = format!("file://{}", p.root().display());
    let out = Command::new("git")
        .args(["clone", "-q", "--depth", "1", &url, "shallow"])
        .current_dir(top.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let shallow = Publication::in_dir_at(top.path().join("shallow"));
    (top, shallow)
}

/// In a shallow clone, `init` still reads the history (the record is there once fetched), and
/// says how to fetch it.
#[test]
fn init_in_a_shallow_clone_says_how_to_fetch_the_history() {
    let (p, _) = history_site("git");
    // Shaped as Starlight, which init recognises.
    std::fs::create_dir_all(p.path("src/content")).unwrap();
    git_on(p.root(), 9, &["mv", "docs", "src/content/docs"]);
    git_on(p.root(), 9, &["rm", "-q", "tandem.yaml"]);
    commit_all(p.root(), 9, "starlight");
    let (_top, shallow) = shallow_clone(&p);
    let out = shallow.ok(&["init"]).stdout;
    assert!(out.contains("baseline: git"), "{out}");
    assert!(out.contains("this clone is shallow"), "{out}");
    assert!(out.contains("git fetch --unshallow"), "{out}");
    assert!(shallow.read("tandem.yaml").contains("\nbaseline: git "));
}

#[test]
fn a_shallow_clone_is_an_error_that_says_how_to_fix_it() {
    let (p, _) = history_site("git");
    let (_top, shallow) = shallow_clone(&p);
    for args in [
        &["status"][..],
        &["check"],
        &["diff", "guide", "--lang", "de"],
    ] {
        let r = shallow.run(args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.all());
        assert!(r.stderr.contains("shallow clone"), "{}", r.stderr);
        assert!(
            r.stderr.contains("fetch-depth: 0") || r.stderr.contains("unshallow"),
            "{}",
            r.stderr
        );
    }
}

#[test]
fn adopt_moves_git_verdicts_to_stamps_that_work_without_git() {
    let (top, p, _) = mdn();
    let before = p.read("files/es/web/css/index.md");
    let r = p.ok(&["adopt", "--dry-run"]);
    assert!(
        r.stdout.contains("would record files/es/web/css/index.md"),
        "{}",
        r.stdout
    );
    assert_eq!(
        p.read("files/es/web/css/index.md"),
        before,
        "a dry run writes nothing"
    );
    assert!(!p.exists(".tandem/snapshots/"), "nor snapshots");
    let r = p.ok(&["adopt"]);
    assert!(
        r.stdout.contains("recorded stamps for 3 translations"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("2 left as they are"), "{}", r.stdout);
    // Only the stamp line is added.
    let after = p.read("files/es/web/css/index.md");
    let added: Vec<&str> = after
        .lines()
        .filter(|l| !before.lines().any(|b| b == *l))
        .collect();
    assert_eq!(added.len(), 1, "{after}");
    assert!(added[0].starts_with("source_hash: "), "{after}");
    // Without the originals' history, the stamps still judge, and diff still shows the change.
    std::fs::remove_dir_all(top.path().join("content/.git")).unwrap();
    let es = p.item("web/css", "es");
    assert_eq!(es["state"], "outdated", "{es}");
    assert_eq!(es["judged_by"]["kind"], "stamp");
    assert_eq!(es["changed"]["paragraphs"], 1, "{es}");
    assert_eq!(p.item("web/css", "de")["state"], "up-to-date");
    let diff = p.ok(&["diff", "web/css", "--lang", "es"]).stdout;
    assert!(diff.contains("{+Håkon+}"), "{diff}");
}

#[test]
fn the_history_cache_follows_new_commits_resets_and_amends() {
    let (p, _) = history_site("git");
    let d = p.root().to_path_buf();
    // Every pair, and the pairs that need work as the stored results give them.
    let answer = |p: &Publication| {
        let json = p.ok(&["status", "--all", "--format", "json"]).json();
        let mut lines: Vec<String> = json["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                format!(
                    "{} {} {} {}",
                    i["id"], i["lang"], i["state"], i["judged_by"]["commit"]
                )
            })
            .collect();
        lines.push(p.ok(&["status", "--format", "json"]).stdout);
        lines
    };
    // Each answer must be the one a walk from scratch gives.
    let fresh = |p: &Publication| {
        let _ = std::fs::remove_dir_all(p.path(".tandem/cache"));
        answer(p)
    };
    let first = answer(&p);
    assert!(p.exists(".tandem/cache/history.bin"));
    assert_eq!(answer(&p), first);
    // A new commit on top: the German guide brought up to date.
    p.file(
        "docs/de/guide.md",
        "---\ntitle: Anleitung\n---\n\nInstalliere es.\n\nDann starte es, einmal am Tag.\n",
    );
    git_on(&d, 9, &["add", "docs/de/guide.md"]);
    git_on(&d, 9, &["commit", "-qm", "de: guide"]);
    let moved = answer(&p);
    assert!(
        moved
            .iter()
            .any(|l| l.starts_with("\"guide\" \"de\" \"up-to-date\"")),
        "{moved:?}"
    );
    assert_eq!(moved, fresh(&p));
    answer(&p);
    // Back to the earlier HEAD (the old walk must not be used), then amended.
    git_on(&d, 9, &["reset", "-q", "--hard", "HEAD~1"]);
    p.file(
        "docs/de/new.md",
        "---\ntitle: Neu\n---\n\nNicht committet.\n",
    );
    let reset = answer(&p);
    assert!(
        reset
            .iter()
            .any(|l| l.starts_with("\"guide\" \"de\" \"outdated\"")),
        "{reset:?}"
    );
    assert_eq!(reset, fresh(&p));
    answer(&p);
    git_on(
        &d,
        10,
        &["commit", "-q", "--amend", "-m", "merge it, amended"],
    );
    assert_eq!(answer(&p), fresh(&p));
    answer(&p);
}

#[test]
fn stored_results_follow_commits_that_change_no_file_on_disk() {
    // With ignore words, a commit whose subject holds one changes verdicts without any file
    // changing on disk: the original's change, made before, is now committed and does not count.
    let (p, _) = history_site("{git: {ignore: [typo]}}");
    let d = p.root().to_path_buf();
    // `status` without `--all`, as the stored results answer it.
    let state = |p: &Publication| {
        let json = p.ok(&["status", "--format", "json"]).json();
        find_item(&json, "other", "de").map_or("up-to-date".to_string(), |i| {
            i["state"].as_str().unwrap().to_string()
        })
    };
    p.file("docs/other.md", OTHER_V1.replace("many", "meny"));
    std::thread::sleep(std::time::Duration::from_secs(3));
    assert_eq!(state(&p), "outdated", "a change not yet committed counts");
    state(&p);
    git_on(&d, 9, &["commit", "-qam", "other: typo"]);
    assert_eq!(state(&p), "up-to-date", "the typo commit does not count");
    // A translation brought up to date and left to age before it is committed: its verdict
    // moves with the commit alone.
    p.file(
        "docs/de/guide.md",
        "---\ntitle: Anleitung\n---\n\nInstalliere es.\n\nDann starte es, einmal am Tag.\n",
    );
    let guide = |p: &Publication| {
        let json = p.ok(&["status", "--format", "json"]).json();
        json["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["id"] == "guide" && i["lang"] == "de")
    };
    std::thread::sleep(std::time::Duration::from_secs(3));
    assert!(guide(&p), "judged by its last commit until it is committed");
    guide(&p);
    git_on(&d, 9, &["commit", "-qam", "de: guide"]);
    assert!(!guide(&p), "up to date once committed");
    // A commit of one language's translation leaves the others' verdicts as a fresh run gives.
    p.file(
        "docs/fr/other.md",
        "---\ntitle: Autre\n---\n\nUne autre page.\n",
    );
    commit_all(&d, 10, "fr: other");
    let json = p.ok(&["status", "--format", "json"]).stdout;
    let _ = std::fs::remove_dir_all(p.path(".tandem/cache"));
    assert_eq!(p.ok(&["status", "--format", "json"]).stdout, json);
}

#[test]
fn a_moved_page_keeps_its_history() {
    let (p, _) = history_site("git");
    let d = p.root().to_path_buf();
    let answer = |p: &Publication| {
        let json = p.ok(&["status", "--all", "--format", "json"]).json();
        json["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                format!(
                    "{} {} {} {}",
                    i["id"], i["lang"], i["state"], i["judged_by"]["commit"]
                )
            })
            .collect::<Vec<_>>()
    };
    answer(&p);
    // The guide moves into a section, the German and French translations with it (the French
    // one in a commit of its own, with a small edit).
    git_mv(&d, 11, "docs/guide.md", "docs/start/guide.md");
    git_mv(&d, 11, "docs/de/guide.md", "docs/de/start/guide.md");
    git_on(&d, 11, &["commit", "-qm", "move the guide"]);
    let moved_de = p.item("start/guide", "de");
    // Made from the first version under the old name: still outdated, judged by the commit
    // it was made in, not by the move.
    assert_eq!(moved_de["state"], "outdated", "{moved_de}");
    assert_eq!(moved_de["changed"]["paragraphs"], 1, "{moved_de}");
    let made = git_on(
        &d,
        11,
        &["log", "-1", "--format=%H", "--", "docs/de/guide.md"],
    );
    assert_eq!(
        git_on(&d, 11, &["log", "--format=%s", "-1", &made]),
        "move the guide"
    );
    let de_made = git_on(
        &d,
        11,
        &[
            "log",
            "--format=%H",
            "--diff-filter=A",
            "--",
            "docs/de/guide.md",
        ],
    );
    assert_eq!(
        moved_de["judged_by"]["commit"],
        de_made.as_str(),
        "{moved_de}"
    );
    // The French one, made after the change, moved later with a one-word edit: that edit is
    // its last change, and it is up to date.
    git_mv(&d, 12, "docs/fr/guide.md", "docs/fr/start/guide.md");
    let fr = p.read("docs/fr/start/guide.md").replace("Puis", "Ensuite");
    p.file("docs/fr/start/guide.md", fr);
    git_on(&d, 12, &["commit", "-qam", "fr: follow the move"]);
    let fr = p.item("start/guide", "fr");
    assert_eq!(fr["state"], "up-to-date", "{fr}");
    assert_eq!(
        fr["judged_by"]["commit"],
        git_on(&d, 12, &["rev-parse", "HEAD"]).as_str()
    );
    // The Italian one, made on a branch under the old name and moved alone later: its
    // original is read under the name it had then.
    git_mv(&d, 13, "docs/it/guide.md", "docs/it/start/guide.md");
    git_on(&d, 13, &["commit", "-qm", "it: follow the move"]);
    let it = p.item("start/guide", "it");
    assert_eq!(it["state"], "outdated", "{it}");
    assert_eq!(it["changed"]["paragraphs"], 1, "{it}");
    // The walk extended commit by commit gives what a walk from scratch gives.
    let extended = answer(&p);
    let _ = std::fs::remove_dir_all(p.path(".tandem/cache"));
    assert_eq!(answer(&p), extended);
    // diff reads the old version under its old name.
    let diff = p.ok(&["diff", "start/guide", "--lang", "de"]).stdout;
    assert!(diff.contains("{+once+}"), "{diff}");
}

#[test]
fn a_recorded_commit_from_before_a_move_reads_the_old_name() {
    let (_top, p, [c1, _, _]) = mdn();
    let content = p.root().parent().unwrap().join("content");
    git_mv(
        &content,
        20,
        "files/en-us/web/css/index.md",
        "files/en-us/web/style/index.md",
    );
    git(&content, &["commit", "-qm", "css: move"]);
    p.file(
        "files/es/web/style/index.md",
        format!("---\ntitle: CSS\nl10n:\n  sourceCommit: {c1}\n---\n\nLas hojas de estilo.\n"),
    );
    let es = p.item("web/style", "es");
    assert_eq!(es["state"], "outdated", "{es}");
    assert_eq!(es["changed"]["paragraphs"], 1, "{es}");
    assert_eq!(es["judged_by"]["commit"], c1.as_str());
}

#[test]
fn a_translation_made_from_a_translation_is_marked_with_a_stamp_whatever_the_kind() {
    let (_top, p, _) = mdn();
    p.file(
        "files/fr/web/html/index.md",
        "---\ntitle: HTML\ntranslated_from: ja\n---\n\nLa langue des pages.\n",
    );
    assert_eq!(p.state("web/html", "fr"), "untracked");
    p.ok(&["mark", "web/html", "--lang", "fr"]);
    let text = p.read("files/fr/web/html/index.md");
    assert!(text.contains("source_hash: "), "{text}");
    assert!(!text.contains("sourceCommit"), "{text}");
    let fr = p.item("web/html", "fr");
    assert_eq!(fr["judged_by"]["translated_from"], "ja", "{fr}");
    // The Japanese one is outdated against the original (made from its first version), so the
    // French one is behind via it.
    assert_eq!(fr["state"], "outdated", "{fr}");
    assert!(
        fr["message"].as_str().unwrap().starts_with("behind via ja"),
        "{fr}"
    );
}

#[test]
fn a_committed_translation_is_judged_again_alone_and_answers_as_from_scratch() {
    let (p, _) = history_site("{git: {ignore: [typo]}}");
    let d = p.root().to_path_buf();
    commit_all(&d, 9, "de, en: new pages");
    crate::cache::age();
    let asked = |p: &Publication, scratch: bool| {
        let commands: &[&[&str]] = &[
            &["status"],
            &["status", "--all", "--format", "json"],
            &["coverage", "--format", "json"],
            &["check", "--format", "json"],
            &["show", "guide"],
        ];
        crate::cache::answers(p, scratch, false, commands)
    };
    let results = || std::fs::read(p.path(".tandem/cache/results.bin")).unwrap();
    let state = |p: &Publication, id: &str, lang: &str| {
        let json = p.ok(&["status", "--all", "--format", "json"]).json();
        find_item(&json, id, lang)
            .map(|i| i["state"].as_str().unwrap().to_string())
            .unwrap()
    };
    // The commit just made moved the guide's verdict in `lang` to up to date, judged again alone
    // (the stored results as they were), and every command answers as from scratch.
    let judged_alone = |p: &Publication, stored: &[u8], lang: &str, scratch: &str| {
        let answers = asked(p, false);
        assert_eq!(results(), stored, "judged again alone: nothing stored");
        assert_eq!(state(p, "guide", lang), "up-to-date");
        assert_eq!(answers, asked(p, true), "{scratch}");
    };
    // An edit aged and seen whole, with stored results: what is stored then.
    let seen_whole = |p: &Publication| {
        crate::cache::age();
        asked(p, true);
        asked(p, false);
        results()
    };
    assert_eq!(asked(&p, false), asked(&p, true));
    asked(&p, false);
    let stored = results();
    assert_eq!(state(&p, "guide", "de"), "outdated");
    // Brought up to date and committed: its last commit is now one with the new original.
    p.file(
        "docs/de/guide.md",
        "---\ntitle: Anleitung\n---\n\nInstalliere es.\n\nDann starte es, einmal am Tag.\n",
    );
    commit_all(&d, 10, "de: guide");
    judged_alone(&p, &stored, "de", "as from scratch after a commit");
    // Edited and seen whole, then committed after another commit a run between saw (a typo
    // fix, which does not count): what changed since the stored results spans both commits.
    p.file(
        "docs/es/guide.md",
        "---\ntitle: Guía\n---\n\nInstálalo.\n\nLuego ejecútalo, una vez al día.\n",
    );
    let stored = seen_whole(&p);
    p.file(
        "docs/de/other.md",
        "---\ntitle: Andere\n---\n\nEine andre Seite.\n",
    );
    git_on(
        &d,
        11,
        &["commit", "-qm", "de: fix typo", "docs/de/other.md"],
    );
    asked(&p, false);
    commit_all(&d, 12, "es: guide");
    judged_alone(&p, &stored, "es", "as from scratch after two commits");
    // Edited and seen whole before it is committed: then the commit alone moves its verdict.
    p.file(
        "docs/it/guide.md",
        "---\ntitle: Guida\n---\n\nInstallalo.\n\nPoi eseguilo, una volta al giorno.\n",
    );
    crate::cache::age();
    asked(&p, true);
    assert_eq!(state(&p, "guide", "it"), "outdated");
    let stored = results();
    commit_all(&d, 13, "it: guide");
    judged_alone(&p, &stored, "it", "as from scratch after the commit alone");
    // A commit that also adds a file: that language is paired whole and stored, the one judged
    // again alone is left out of what is stored (it was judged at another commit).
    p.file(
        "docs/fr/guide.md",
        "---\ntitle: Guide\n---\n\nInstallez-le.\n\nPuis lancez-le, chaque jour.\n",
    );
    let stored = seen_whole(&p);
    p.file(
        "docs/es/other.md",
        "---\ntitle: Otra\n---\n\nOtra página.\n",
    );
    commit_all(&d, 14, "fr: guide; es: other");
    crate::cache::age();
    let first = asked(&p, false);
    assert!(results() != stored, "the language paired whole is stored");
    assert_eq!(first, asked(&p, false), "the next run answers the same");
    assert_eq!(first, asked(&p, true), "as from scratch");
}

#[test]
fn an_original_edited_and_not_committed_is_judged_as_it_is_on_disk() {
    let (p, _) = history_site("git");
    let fresh = |p: &Publication| {
        let _ = std::fs::remove_dir_all(p.path(".tandem/cache"));
        p.item("guide", "fr")["state"].as_str().unwrap().to_string()
    };
    // Translated from the version HEAD has.
    assert_eq!(fresh(&p), "up-to-date");
    // The same number of bytes, the old modification time given back: judged as the disk has
    // it (git's index, whose record of size and times still matches but for the change time,
    // must not be trusted for it).
    let path = p.path("docs/guide.md");
    let before = std::fs::metadata(&path).unwrap().modified().unwrap();
    p.file(
        "docs/guide.md",
        GUIDE_V2.replace("once a day", "twice a wk"),
    );
    assert_eq!(
        std::fs::metadata(&path).unwrap().len(),
        GUIDE_V2.len() as u64
    );
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(before)
        .unwrap();
    assert_eq!(fresh(&p), "outdated");
    // Committed as it is: the translation was made from the version before.
    commit_all(p.root(), 9, "guide: twice");
    assert_eq!(fresh(&p), "outdated");
    // And back as HEAD~1 had it, not committed: up to date again.
    p.file("docs/guide.md", GUIDE_V2);
    assert_eq!(fresh(&p), "up-to-date");
}

/// Enough translations (`LOOKED_UP_TOGETHER` in src/pairs/mod.rs: 40,000) that the commits
/// every language's translations record are looked up together, before any language is paired,
/// and the translations read again from the scan cache: the same verdicts as one language at a
/// time, cold and warm.
#[test]
fn many_translations_have_their_commits_looked_up_together_with_the_same_verdicts() {
    let (top, p, commits) = mdn();
    let c2 = &commits[1];
    let content = top.path().join("content");
    let filler = 10_000;
    for n in 0..filler {
        write(
            &content,
            &format!("files/en-us/filler/{}/page-{n}/index.md", n % 50),
            &format!("---\ntitle: Page {n}\n---\n\nPage {n} says one thing.\n"),
        );
    }
    git(&content, &["add", "-A"]);
    git(&content, &["commit", "-qm", "filler"]);
    let c3 = git(&content, &["rev-parse", "HEAD"]);
    for lang in ["de", "es", "fr", "ja"] {
        for n in 0..filler {
            // Every fifth one made from the version before (it did not exist then).
            let commit = if n % 5 == 0 { &c2[..12] } else { &c3[..12] };
            p.file(
                &format!("files/{lang}/filler/{}/page-{n}/index.md", n % 50),
                format!("---\ntitle: P{n}\nl10n:\n  sourceCommit: {commit}\n---\n\nP{n} {lang}.\n"),
            );
        }
    }
    let mut sums = Vec::new();
    for _ in 0..2 {
        let json = p.ok(&["status", "--all", "--format", "json"]).json();
        let item = |id: &str, lang: &str| item_of(&json, id, lang);
        mdn_verdicts(&json, &commits);
        for lang in ["de", "es", "fr", "ja"] {
            let now = item("filler/7/page-7", lang);
            assert_eq!(now["state"], "up-to-date", "{now}");
            assert_eq!(now["judged_by"]["commit"], c3.as_str());
            let before = item("filler/10/page-10", lang);
            assert_eq!(before["baseline"], "unknown", "{before}");
            assert!(
                before["message"]
                    .as_str()
                    .unwrap()
                    .contains("did not exist"),
                "{before}"
            );
        }
        let counts = &json["summary"]["counts"];
        assert_eq!(counts["up-to-date"], 4 * 8_000 + 1, "{counts}");
        sums.push(json["summary"].clone());
    }
    assert_eq!(sums[0], sums[1], "cold and warm");
}

#[test]
fn a_site_moved_into_a_folder_keeps_its_history() {
    // Written at the top of its repository, then moved whole into `website/` (as a project
    // does when its code moves in beside it): the move is no translator's work.
    let top = tempfile::tempdir().unwrap();
    let d = top.path();
    git_on(d, 1, &["init", "-q", "-b", "main"]);
    write(
        d,
        "tandem.yaml",
        "languages: [en, de, fr, it]\nbaseline: git\nlayout:\n  originals: docs/{id}.md\n  translations: i18n/{lang}/{id}.md\n",
    );
    write(d, "docs/guide.md", GUIDE_V1);
    write(d, "docs/other.md", OTHER_V1);
    commit_all(d, 1, "originals");
    write(
        d,
        "i18n/de/guide.md",
        "---\ntitle: Anleitung\n---\n\nInstalliere es.\n\nDann starte es.\n",
    );
    write(
        d,
        "i18n/de/other.md",
        "---\ntitle: Andere\n---\n\nEine andere Seite.\n",
    );
    // An Italian translation is begun outside the site's folders.
    write(
        d,
        "drafts/it/guide.md",
        "---\ntitle: Guida\n---\n\nInstallalo.\n\nPoi eseguilo.\n",
    );
    commit_all(d, 2, "de, and an Italian draft");
    write(d, "docs/guide.md", GUIDE_V2);
    commit_all(d, 3, "guide: how often");
    write(
        d,
        "i18n/fr/guide.md",
        "---\ntitle: Guide\n---\n\nInstallez-le.\n\nPuis lancez-le, une fois par jour.\n",
    );
    commit_all(d, 4, "fr");
    let site = Publication::in_dir_at(d.to_path_buf());
    let before: Vec<String> = [("guide", "de"), ("other", "de"), ("guide", "fr")]
        .iter()
        .map(|(id, l)| site.state(id, l))
        .collect();
    assert_eq!(before, ["outdated", "up-to-date", "up-to-date"]);
    let made = git_on(d, 4, &["rev-parse", "HEAD~2"]);
    assert_eq!(
        site.item("guide", "de")["judged_by"]["commit"],
        made.as_str()
    );
    // The Italian draft moves into the site as it was: made from the first version, it is
    // outdated (the stored walk, made before the move, is not extended but made again).
    git_mv(d, 4, "drafts/it/guide.md", "i18n/it/guide.md");
    git_on(d, 4, &["commit", "-qm", "it: into the site"]);
    let it = site.item("guide", "it");
    assert_eq!(it["state"], "outdated", "{it}");
    assert_eq!(it["judged_by"]["commit"], made.as_str(), "{it}");
    // The whole site moves, and code comes in beside it; the French translation is edited in
    // a later commit.
    for f in ["tandem.yaml", "docs", "i18n"] {
        git_mv(d, 5, f, &format!("website/{f}"));
    }
    write(d, "src/main.rs", "fn main() {}\n");
    // One original is edited as it moves: a move too, but with a change.
    write(
        d,
        "website/docs/other.md",
        &OTHER_V1.replace("many uses", "many uses and users"),
    );
    commit_all(d, 5, "move the site into website/, the code beside it");
    let p = Publication::in_dir_at(d.join("website"));
    let _ = std::fs::remove_dir_all(d.join(".tandem"));
    let after: Vec<String> = [
        ("guide", "de"),
        ("other", "de"),
        ("guide", "fr"),
        ("guide", "it"),
    ]
    .iter()
    .map(|(id, l)| p.state(id, l))
    .collect();
    // The German guide is still outdated, judged by the commit it was made in; the German
    // other page is outdated now, by the change made in the move (its original is read under
    // its old name, at the commit the translation was made in).
    assert_eq!(after, ["outdated", "outdated", "up-to-date", "outdated"]);
    let other = p.item("other", "de");
    assert_eq!(other["changed"]["paragraphs"], 1, "{other}");
    assert_eq!(other["judged_by"]["commit"], made.as_str(), "{other}");
    let de = p.item("guide", "de");
    assert_eq!(de["judged_by"]["commit"], made.as_str(), "{de}");
    assert_eq!(de["changed"]["paragraphs"], 1, "{de}");
    // diff reads that version of the original under the name it had then.
    let diff = p.ok(&["diff", "guide", "--lang", "de"]).stdout;
    assert!(diff.contains("{+once+}"), "{diff}");
    // The same answer from a walk extended by later commits as from a walk from scratch.
    p.file(
        "i18n/fr/guide.md",
        "---\ntitle: Guide\n---\n\nInstallez-le.\n\nPuis lancez-le, chaque jour.\n",
    );
    commit_all(d, 6, "fr: wording");
    let extended = p.ok(&["status", "--all", "--format", "json"]).stdout;
    let _ = std::fs::remove_dir_all(p.path(".tandem/cache"));
    assert_eq!(
        p.ok(&["status", "--all", "--format", "json"]).stdout,
        extended
    );
    assert_eq!(p.state("guide", "de"), "outdated");
}

#[test]
fn a_page_renamed_to_a_name_that_comes_first_keeps_its_history() {
    // A rename is one change of two names; the old name comes after the new one here
    // (`zeta` after `alpha`), and the move alone must not count as the translator's work.
    let (p, base) = history_site("git");
    let d = p.root().to_path_buf();
    // The walk is stored before the rename, and extended by it.
    assert_eq!(p.state("guide", "de"), "outdated");
    git_mv(&d, 11, "docs/guide.md", "docs/a-guide.md");
    git_mv(&d, 11, "docs/de/guide.md", "docs/de/a-guide.md");
    git_mv(&d, 11, "docs/fr/guide.md", "docs/fr/a-guide.md");
    git_on(&d, 11, &["commit", "-qm", "rename the guide"]);
    let de = p.item("a-guide", "de");
    assert_eq!(de["state"], "outdated", "{de}");
    assert_eq!(de["judged_by"]["commit"], base.as_str(), "{de}");
    assert_eq!(de["changed"]["paragraphs"], 1, "{de}");
    let fr = p.item("a-guide", "fr");
    assert_eq!(fr["state"], "up-to-date", "{fr}");
    // Judged by the commit it was translated in, not by the rename.
    let fr_edited = git_on(&d, 11, &["log", "--format=%H", "--grep=^fr$"]);
    assert_eq!(fr["judged_by"]["commit"], fr_edited.as_str(), "{fr}");
    // A walk from scratch says the same.
    let extended = p.ok(&["status", "--all", "--format", "json"]).stdout;
    let _ = std::fs::remove_dir_all(p.path(".tandem/cache"));
    assert_eq!(
        p.ok(&["status", "--all", "--format", "json"]).stdout,
        extended
    );
}

#[test]
fn a_folder_reorganised_with_its_links_fixed_keeps_its_history() {
    // Twenty pages move from `docs/old/` to `docs/new/` in one commit, each original with a
    // link fixed on the way; the translations move as they were. More files than are compared
    // each with each: each is compared with the one of its name.
    let p = Publication::bare();
    let d = p.root().to_path_buf();
    git_on(&d, 1, &["init", "-q", "-b", "main"]);
    p.file(
        "tandem.yaml",
        "languages: [en, de]\nbaseline: git\nlayout:\n  originals: docs/{id}.md\n  translations: i18n/{lang}/{id}.md\n",
    );
    let page = |i: usize, link: &str| {
        format!(
            "---\ntitle: Page {i}\n---\n\nThis page explains part {i} of the tool in some detail.\n\nSee [the guide]({link}) for the rest of part {i}.\n\nA third paragraph, so that one line is a small part of the page {i}.\n"
        )
    };
    for i in 0..20 {
        p.file(&format!("docs/old/page-{i:02}.md"), page(i, "/old/guide"));
        p.file(
            &format!("i18n/de/old/page-{i:02}.md"),
            format!("---\ntitle: Seite {i}\n---\n\nDiese Seite erklärt Teil {i}.\n\nSiehe [die Anleitung](/old/guide).\n\nEin dritter Absatz.\n"),
        );
    }
    commit_all(&d, 1, "pages and their translations");
    let made = git_on(&d, 1, &["rev-parse", "HEAD"]);
    for i in 0..20 {
        git_mv(
            &d,
            2,
            &format!("docs/old/page-{i:02}.md"),
            &format!("docs/new/page-{i:02}.md"),
        );
        git_mv(
            &d,
            2,
            &format!("i18n/de/old/page-{i:02}.md"),
            &format!("i18n/de/new/page-{i:02}.md"),
        );
        p.file(&format!("docs/new/page-{i:02}.md"), page(i, "/new/guide"));
    }
    commit_all(&d, 2, "reorganise the pages, fix their links");
    for i in [0, 7, 19] {
        let de = p.item(&format!("new/page-{i:02}"), "de");
        assert_eq!(de["state"], "outdated", "{de}");
        // The original is read under its old name at the commit the translation was made in.
        assert_eq!(de["judged_by"]["commit"], made.as_str(), "{de}");
        assert_eq!(de["changed"]["paragraphs"], 1, "{de}");
    }
}
