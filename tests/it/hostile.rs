//! Hostile input: every case gives a clear diagnostic with its path, the rest of the scan goes
//! on, nothing panics, and nothing is read or written outside the project.

use crate::{Publication, Run, ORIGINAL};

/// A publication with one good article and translation beside whatever the case adds.
fn with_good() -> Publication {
    let p = Publication::three_languages();
    p.file("articles/good.md", ORIGINAL);
    p.file(
        "translations/es/good.md",
        "---\ntitle: Bueno\n---\nTexto.\n",
    );
    p
}

/// Runs `status --all --format json`, checks that the good pair is still there and nothing
/// panicked, and returns the JSON.
fn scan(p: &Publication) -> serde_json::Value {
    let run = p.run(&["status", "--all", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let json = run.json();
    let good = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["id"] == "good" && i["lang"] == "es" && i["state"] == "untracked");
    assert!(good, "the scan went on: {json:#}");
    json
}

/// The diagnostic reported for `path`.
fn error_at(json: &serde_json::Value, path: &str) -> serde_json::Value {
    json["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"] == path)
        .cloned()
        .unwrap_or_else(|| panic!("no error for {path}: {json:#}"))
}

fn message(e: &serde_json::Value) -> &str {
    e["message"].as_str().unwrap()
}

#[test]
fn front_matter_with_tabs() {
    let p = with_good();
    p.file(
        "translations/es/tabs.md",
        "---\ntitle: T\nmeta:\n\tkey: value\n---\nTexto.\n",
    );
    let json = scan(&p);
    let e = error_at(&json, "translations/es/tabs.md");
    assert!(message(&e).contains("invalid front matter"), "{e}");
    assert_eq!(e["line"], 4);
}

#[test]
fn wrong_types_and_huge_values() {
    let p = with_good();
    p.file("translations/es/lang7.md", "---\nlang: 7\n---\nTexto.\n");
    p.file(
        "translations/es/idlist.md",
        "---\nid: [a, b]\n---\nTexto.\n",
    );
    let huge = "x".repeat(2_000_000);
    p.file(
        "translations/es/huge.md",
        format!("---\ntitle: {huge}\ntranslator: {huge}\n---\nTexto.\n"),
    );
    let json = scan(&p);
    assert!(message(&error_at(&json, "translations/es/lang7.md")).contains("not a language code"));
    assert!(message(&error_at(&json, "translations/es/idlist.md")).contains("`id` must be text"));
    // A huge value is not an error; it is only text.
    assert!(json["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["id"] == "huge"));
}

#[test]
fn binary_file_and_nul_bytes() {
    let p = with_good();
    p.file(
        "translations/es/image.md",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
    );
    p.file(
        "translations/es/nul.md",
        b"---\ntitle: T\n---\nText\x00more\n",
    );
    let json = scan(&p);
    assert!(message(&error_at(&json, "translations/es/image.md")).contains("binary"));
    let e = error_at(&json, "translations/es/nul.md");
    assert!(message(&e).contains("binary"), "{e}");
    assert_eq!(e["line"], 4);
}

#[test]
fn mixed_line_endings() {
    let p = with_good();
    p.file(
        "articles/mixed.md",
        "---\r\ntitle: Mixed\n---\r\nOne line\r\ntwo line\n\r\nThree.\n",
    );
    p.file("translations/es/mixed.md", "---\r\ntitle: M\n---\nUno.\r\n");
    scan(&p);
    p.ok(&["mark", "mixed", "--lang", "es"]);
    let text = p.read("translations/es/mixed.md");
    assert!(
        text.starts_with("---\r\ntitle: M\nsource_hash: "),
        "{text:?}"
    );
    assert!(text.ends_with("\r\n---\nUno.\r\n"), "{text:?}");
}

#[test]
fn a_very_large_original_and_a_very_long_line() {
    let p = with_good();
    let paragraph = "The strike committee met again on Thursday and voted to continue. ".repeat(8);
    let mut big = String::from("---\ntitle: Big\n---\n");
    while big.len() < 100 * 1024 * 1024 {
        big.push_str(&paragraph);
        big.push_str("\n\n");
    }
    p.file("articles/big.md", &big);
    p.file(
        "articles/line.md",
        format!("---\ntitle: Line\n---\n{}\n", "word ".repeat(210_000)),
    );
    let json = scan(&p);
    let big = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "big" && i["lang"] == "es")
        .cloned()
        .unwrap();
    assert_eq!(big["state"], "missing");
    assert!(big["words"].as_u64().unwrap() > 10_000_000);
    let line = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "line" && i["lang"] == "es")
        .cloned()
        .unwrap();
    assert_eq!(line["words"], 210_001);
}

#[test]
fn ten_thousand_files_in_one_folder_and_deep_nesting() {
    let p = with_good();
    for i in 0..10_000 {
        p.file(
            &format!("translations/fr/flat/f{i:05}.md"),
            "---\ntitle: T\n---\nx\n",
        );
    }
    let deep = (0..120)
        .map(|i| format!("d{i}"))
        .collect::<Vec<_>>()
        .join("/");
    p.file(
        &format!("articles/{deep}/bottom.md"),
        "---\ntitle: Deep\n---\nText.\n",
    );
    let json = scan(&p);
    assert_eq!(json["summary"]["counts"]["orphaned"], 10_000);
    assert!(json["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["id"] == format!("{deep}/bottom")));
}

#[cfg(unix)]
#[test]
fn symbolic_links() {
    use std::os::unix::fs::symlink;
    let p = with_good();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: Secret\n---\nSecret.\n",
    )
    .unwrap();
    // To a file inside the project: followed.
    p.file("shared/linked.md", "---\ntitle: Linked\n---\nText.\n");
    symlink(p.path("shared/linked.md"), p.path("articles/linked.md")).unwrap();
    // To a file outside the project: not read.
    symlink(
        outside.path().join("secret.md"),
        p.path("articles/secret.md"),
    )
    .unwrap();
    // To a folder: not followed.
    symlink(p.path("shared"), p.path("articles/shared-folder")).unwrap();
    // Dangling, and a loop.
    symlink(p.path("nowhere.md"), p.path("articles/dangling.md")).unwrap();
    symlink(p.path("articles/loop-b.md"), p.path("articles/loop-a.md")).unwrap();
    symlink(p.path("articles/loop-a.md"), p.path("articles/loop-b.md")).unwrap();
    // A language folder that is a link to the originals is not a language.
    symlink(p.path("articles"), p.path("translations/de")).unwrap();
    let json = scan(&p);
    let ids: Vec<&str> = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"linked"));
    assert!(!ids.contains(&"secret"));
    assert!(!json["summary"]["languages"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l == "de"));
    assert!(message(&error_at(&json, "articles/secret.md")).contains("outside the project"));
    assert!(message(&error_at(&json, "articles/shared-folder")).contains("not followed"));
    assert!(message(&error_at(&json, "articles/dangling.md")).contains("symbolic link to nothing"));
    assert!(message(&error_at(&json, "articles/loop-a.md")).contains("symbolic link to nothing"));
    assert!(message(&error_at(&json, "translations/de")).contains("symbolic link"));
}

#[cfg(unix)]
#[test]
fn a_named_pipe_does_not_hang_the_scan() {
    let p = with_good();
    let fifo = p.path("translations/es/pipe.md");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    scan(&p);
}

/// `init` looks into a site's configuration files and pages: a link to an endless device or a
/// named pipe among them is not read (a run that reads one never ends).
#[cfg(unix)]
#[test]
fn init_reads_no_link_and_no_pipe() {
    let p = Publication::bare();
    p.file(
        "src/content/docs/guide.md",
        "---\ntitle: Guide\n---\n\nText.\n",
    );
    p.file(
        "src/content/docs/de/guide.md",
        "---\ntitle: Anleitung\n---\n\nText.\n",
    );
    std::os::unix::fs::symlink("/dev/zero", p.path("lunaria.config.json")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", p.path("src/content/docs/zero.md")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", p.path("hugo.toml")).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(p.path("src/content/docs/pipe.md"))
        .status()
        .unwrap();
    assert!(made.success());
    let r = p.ok(&["init"]);
    assert!(
        r.stdout.contains("recognised a Starlight site"),
        "{}",
        r.all()
    );
    assert!(!r.stdout.contains("Lunaria"), "{}", r.all());
}

#[cfg(unix)]
#[test]
fn an_unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let p = with_good();
    p.file("translations/es/locked.md", "---\ntitle: T\n---\nx\n");
    std::fs::set_permissions(
        p.path("translations/es/locked.md"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    let json = scan(&p);
    // Root reads anything: the case only shows as a diagnostic for other users.
    if unsafe { libc::geteuid() } != 0 {
        assert!(message(&error_at(&json, "translations/es/locked.md")).contains("cannot read"));
    }
}

#[test]
fn a_file_that_vanishes_is_a_diagnostic() {
    let d = tandem::scan::read_text(
        std::path::Path::new("/nonexistent/tandem/x.md"),
        "articles/x.md",
    )
    .unwrap_err();
    assert_eq!(d.path, "articles/x.md");
    assert!(d.message.contains("cannot read the file"), "{}", d.message);
}

// ---- path safety ----

fn refused(r: &Run, what: &str) {
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains(what), "{}", r.stderr);
}

#[test]
fn ids_and_languages_from_the_command_line_cannot_leave_the_project() {
    let p = with_good();
    // (A NUL byte cannot reach a program's arguments; ids from files are checked below.)
    for id in [
        "../outside",
        "/etc/passwd",
        "a/../../b",
        "a\\b",
        "con",
        "x\u{1b}y",
    ] {
        let r = p.run(&["new", id, "--lang", "es"]);
        refused(&r, "not a valid article id");
        let r = p.run(&["mark", id, "--lang", "es"]);
        refused(&r, "not a valid article id");
        let r = p.run(&["diff", id, "--lang", "es"]);
        refused(&r, "not a valid article id");
    }
    for lang in ["../es", "/tmp", "es/../../x", "e\u{1b}s", "toolonglanguage"] {
        let r = p.run(&["new", "good", "--lang", lang]);
        refused(&r, "not a language code");
    }
    assert!(!p.root().parent().unwrap().join("outside.md").exists());
}

#[test]
fn ids_from_front_matter_cannot_leave_the_project() {
    let p = with_good();
    p.file(
        "articles/evil.md",
        "---\nid: ../../etc/evil\ntitle: E\n---\nText.\n",
    );
    p.file(
        "translations/fr/evil.md",
        "---\nid: /abs/path\n---\nText.\n",
    );
    let json = scan(&p);
    assert!(message(&error_at(&json, "articles/evil.md")).contains("not a valid article id"));
    assert!(message(&error_at(&json, "translations/fr/evil.md")).contains("not a valid article id"));
}

#[cfg(unix)]
#[test]
fn writes_never_follow_a_link_out_of_the_project() {
    use std::os::unix::fs::symlink;
    let p = with_good();
    let outside = tempfile::tempdir().unwrap();
    // A translation that is a link to a file outside.
    std::fs::write(outside.path().join("t.md"), "---\ntitle: T\n---\nx\n").unwrap();
    p.file("articles/linked.md", ORIGINAL);
    // A language folder's sub-folder that leads outside: `new` must not write through it.
    std::fs::create_dir_all(p.path("translations/fr")).unwrap();
    symlink(outside.path(), p.path("translations/fr/news")).unwrap();
    p.file("articles/news/story.md", ORIGINAL);
    let r = p.run(&["new", "news/story", "--lang", "fr"]);
    refused(&r, "symbolic link");
    assert!(!outside.path().join("story.md").exists());
    // The snapshot store itself a link outside.
    std::fs::create_dir_all(p.path(".tandem")).unwrap();
    symlink(outside.path(), p.path(".tandem/snapshots")).unwrap();
    let r = p.run(&["mark", "good", "--lang", "es"]);
    refused(&r, "outside the project");
    assert_eq!(
        std::fs::read_dir(outside.path()).unwrap().count(),
        1,
        "nothing written outside"
    );
    assert_eq!(
        p.read("translations/es/good.md"),
        "---\ntitle: Bueno\n---\nTexto.\n"
    );
}

// ---- output injection ----

const EVIL_TITLE: &str =
    "\"Evil\\u001b[2J\\u001b]0;owned\\u0007 | <script>alert(1)</script> ::error::x\\nnext\"";

#[test]
fn terminal_output_strips_escape_sequences() {
    let p = Publication::three_languages();
    p.file(
        "articles/a.md",
        format!("---\ntitle: {EVIL_TITLE}\n---\nText.\n"),
    );
    p.file(
        "translations/es/a.md",
        "---\ntitle: x\nstatus: \"\\u001b[31mred\"\n---\nTexto.\n",
    );
    for args in [&["status"][..], &["show", "a"], &["check"], &["coverage"]] {
        let r = p.run(&[&["--color", "never"][..], args].concat());
        assert!(
            !r.stdout.contains('\u{1b}') && !r.stderr.contains('\u{1b}'),
            "{args:?}: {}",
            r.all()
        );
        assert!(!r.stdout.contains('\u{7}'), "{args:?}");
    }
}

#[test]
fn markdown_output_escapes_table_syntax() {
    let p = Publication::three_languages();
    p.file("articles/a.md", "---\ntitle: T\n---\nText.\n");
    p.file(
        "translations/es/a.md",
        "---\ntitle: x\nstatus: \"a | b\\nc\"\n---\nTexto.\n",
    );
    let out = p.run(&["check", "--format", "markdown"]).stdout;
    for line in out.lines().filter(|l| l.starts_with('|')) {
        let cells = line.matches(" | ").count() + line.matches("|---").count();
        assert!(
            line.matches('|').count() - line.matches("\\|").count() == 7,
            "{line}\n{cells}"
        );
    }
}

#[test]
fn html_report_escapes_everything() {
    let p = Publication::three_languages();
    p.file(
        "articles/a.md",
        format!("---\ntitle: {EVIL_TITLE}\n---\nText.\n"),
    );
    p.file(
        "translations/fr/o\"><script>x.md",
        "---\ntitle: x\n---\nT.\n",
    );
    p.ok(&["report", "--html", "out"]);
    let html = p.read("out/index.html");
    assert!(!html.contains("<script>alert"), "title escaped");
    assert!(!html.contains("\"><script>"), "path escaped");
    assert_eq!(
        html.matches("<script>").count(),
        1,
        "only the page's own script"
    );
}

// ---- writes ----

#[test]
fn a_read_only_translation_is_reported_and_nothing_changes() {
    let p = with_good();
    p.file("translations/fr/good.md", "---\ntitle: Bon\n---\nTexte.\n");
    let mut perms = std::fs::metadata(p.path("translations/fr/good.md"))
        .unwrap()
        .permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(p.path("translations/fr/good.md"), perms).unwrap();
    let r = p.run(&["mark", "good", "--lang", "es", "--lang", "fr"]);
    refused(&r, "read-only");
    // es comes first but was not written either: all or nothing.
    assert_eq!(
        p.read("translations/es/good.md"),
        "---\ntitle: Bueno\n---\nTexto.\n"
    );
    assert_eq!(
        p.read("translations/fr/good.md"),
        "---\ntitle: Bon\n---\nTexte.\n"
    );
    let names: Vec<String> = std::fs::read_dir(p.path("translations/es"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, vec!["good.md"], "no temporary files left");
}

#[test]
fn front_matter_too_unusual_to_edit_by_line_is_refused_not_broken() {
    let p = with_good();
    let flow = "---\n{title: Bueno, translator: M}\n---\nTexto.\n";
    p.file("translations/fr/good.md", flow);
    let r = p.run(&["mark", "good", "--lang", "fr"]);
    refused(&r, "cannot set source_hash automatically");
    assert!(r.stderr.contains("by hand"), "{}", r.stderr);
    assert_eq!(p.read("translations/fr/good.md"), flow);
    // A front matter that is only `~` is an empty mapping: the stamp takes its place.
    p.file("translations/fr/good.md", "---\n~\n---\nTexte.\n");
    p.ok(&["mark", "good", "--lang", "fr"]);
    assert_eq!(p.state("good", "fr"), "up-to-date");
}

#[test]
fn temporary_files_of_a_killed_run_are_hidden_and_swept() {
    let p = with_good();
    let stale = p.path("translations/es/.tandem-abc123.tmp");
    std::fs::write(&stale, "half a file").unwrap();
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(hour_ago)
        .unwrap();
    scan(&p);
    p.ok(&["mark", "good", "--lang", "es"]);
    assert!(!stale.exists());
}

#[test]
fn concurrent_writers_never_corrupt_a_file_or_the_snapshot_store() {
    let p = with_good();
    p.file("translations/fr/good.md", "---\ntitle: Bon\n---\nTexte.\n");
    let children: Vec<_> = (0..8)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_tandem"))
                .args(["mark", "good", "--all-langs"])
                .current_dir(p.root())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let fp = p.fingerprint("good");
    assert_eq!(
        p.read("translations/es/good.md"),
        format!("---\ntitle: Bueno\nsource_hash: {fp}\n---\nTexto.\n")
    );
    assert_eq!(p.state("good", "fr"), "up-to-date");
    let snapshot = p.read(&format!(".tandem/snapshots/{}/{fp}.json", &fp[..2]));
    assert!(serde_json::from_str::<serde_json::Value>(&snapshot).is_ok());
    for dir in [
        "translations/es",
        "translations/fr",
        &format!(".tandem/snapshots/{}", &fp[..2]),
    ] {
        let temps = std::fs::read_dir(p.path(dir))
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .ends_with(".tmp")
            })
            .count();
        assert_eq!(temps, 0, "{dir}");
    }
}
