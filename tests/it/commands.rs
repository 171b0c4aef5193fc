//! init, status, new, show, global flags, configuration errors and exit codes.

use crate::{Publication, ORIGINAL};

fn sample() -> Publication {
    let p = Publication::three_languages();
    p.file("articles/paris-commune-forum.md", ORIGINAL);
    p.file(
        "articles/vivienda.md",
        "---\ntitle: Marcha por la vivienda\nlang: es\n---\n\nMADRID, 14 de abril—Miles de personas marcharon.\n\nLa marcha terminó en la plaza.\n",
    );
    p.ok(&["new", "paris-commune-forum", "--lang", "es"]);
    p.ok(&["mark", "paris-commune-forum", "--lang", "es"]);
    p.ok(&["new", "vivienda", "--lang", "en"]);
    p.file(
        "translations/fr/lost.md",
        "---\ntitle: Perdu\n---\nTexte.\n",
    );
    p
}

#[test]
fn status_table_snapshot() {
    let p = sample();
    insta::assert_snapshot!(p.run(&["status"]).all());
}

#[test]
fn status_all_markdown_snapshot() {
    let p = sample();
    insta::assert_snapshot!(p.run(&["status", "--all", "--format", "markdown"]).all());
}

#[test]
fn show_snapshot() {
    let p = sample();
    insta::assert_snapshot!(p.run(&["show", "paris-commune-forum"]).all());
}

#[test]
fn status_json_shape() {
    let p = sample();
    let json = p.ok(&["status", "--format", "json"]).json();
    assert_eq!(json["version"], 1);
    assert_eq!(json["summary"]["articles"], 2);
    assert_eq!(
        json["summary"]["counts"],
        serde_json::json!({"up-to-date": 1, "outdated": 0, "missing": 2, "draft": 1,
                           "untracked": 0, "orphaned": 1, "invalid": 0})
    );
    // Up-to-date pairs are left out without --all, and items are sorted by id, then language.
    let keys: Vec<String> = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            format!(
                "{}/{}/{}",
                i["id"].as_str().unwrap(),
                i["lang"].as_str().unwrap(),
                i["state"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        keys,
        vec![
            "lost/fr/orphaned",
            "paris-commune-forum/fr/missing",
            "vivienda/en/draft",
            "vivienda/fr/missing"
        ]
    );
    assert_eq!(json["errors"], serde_json::json!([]));
}

#[test]
fn status_filters() {
    let p = sample();
    let ids = |args: &[&str]| -> Vec<String> {
        let mut full = vec!["status", "--format", "json"];
        full.extend_from_slice(args);
        p.ok(&full).json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                format!(
                    "{}/{}",
                    i["id"].as_str().unwrap(),
                    i["lang"].as_str().unwrap()
                )
            })
            .collect()
    };
    assert_eq!(
        ids(&["--lang", "fr"]),
        vec!["lost/fr", "paris-commune-forum/fr", "vivienda/fr"]
    );
    assert_eq!(
        ids(&["--state", "missing"]),
        vec!["paris-commune-forum/fr", "vivienda/fr"]
    );
    assert_eq!(
        ids(&["--state", "up-to-date"]),
        vec!["paris-commune-forum/es"]
    );
    assert_eq!(ids(&["vivienda"]), vec!["vivienda/en", "vivienda/fr"]);
    assert_eq!(
        ids(&["paris-commune-forum", "--all"]),
        vec!["paris-commune-forum/es", "paris-commune-forum/fr"]
    );
    assert_eq!(ids(&["--lang", "es", "--lang", "en"]), vec!["vivienda/en"]);
}

#[test]
fn status_with_nothing_to_do() {
    let p = Publication::three_languages();
    p.file(
        "articles/a.md",
        "---\ntitle: A\ntranslate_to: [es]\n---\nText.\n",
    );
    p.ok(&["new", "a", "--lang", "es"]);
    p.ok(&["mark", "a", "--lang", "es"]);
    let out = p.ok(&["status"]).stdout;
    assert!(out.starts_with("Nothing to do"), "{out}");
}

#[test]
fn unknown_id_and_language_exit_2() {
    let p = sample();
    let r = p.run(&["status", "nope"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(
        r.stderr.starts_with("error: unknown article `nope`"),
        "{}",
        r.stderr
    );
    let r = p.run(&["status", "--lang", "de"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unknown language `de`"), "{}", r.stderr);
    assert!(r.stderr.contains("help:"), "{}", r.stderr);
    let r = p.run(&["status", "--state", "stale"]);
    assert_eq!(r.code, 2);
    let r = p.run(&["show", "nope"]);
    assert_eq!(r.code, 2);
    let r = p.run(&["new", "paris-commune-forum", "--lang", "../x"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not a language code"), "{}", r.stderr);
}

#[test]
fn config_unknown_key_names_key_file_and_line() {
    let p = Publication::new();
    p.file(
        "tandem.yaml",
        "source_lang: en\nlanguages: [en, es]\nrequird: [es]\n",
    );
    let r = p.run(&["status"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(
        r.stderr
            .contains("`requird` is not a key of tandem.yaml: did you mean `required`?"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("--> tandem.yaml:3:"), "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"));
}

#[test]
fn mistyped_keys_ids_and_languages_get_did_you_mean() {
    let p = Publication::new();
    p.file("articles/paris-commune.md", "# The Commune\n");
    for (yaml, line, said) in [
        (
            "baseline: {comit_field: x}\n",
            2,
            "`comit_field` is not a kind of baseline: did you mean `commit_field`?",
        ),
        ("baseline: gti\n", 2, "(did you mean `git`?)"),
        (
            "layout: {originals: 'articles/{id}.md', translation: 'x/{lang}/{id}.md'}\n",
            2,
            "`translation` is not a key of a layout entry: did you mean `translations`?",
        ),
        (
            "fields: {sourcehash: h}\n",
            2,
            "`sourcehash` is not one of tandem's fields: did you mean `source_hash`?",
        ),
        (
            "sorce_lang: en\n",
            2,
            "`sorce_lang` is not a key of tandem.yaml: did you mean `source_lang`?",
        ),
        // Nothing close: every key is listed instead.
        (
            "colour: red\n",
            2,
            "`colour` is not a key of tandem.yaml (source_lang, languages,",
        ),
    ] {
        p.file("tandem.yaml", format!("languages: [en, es]\n{yaml}"));
        let r = p.run(&["status"]);
        assert_eq!(r.code, 2, "{yaml}: {}", r.all());
        assert!(r.stderr.contains(said), "{yaml}: {}", r.stderr);
        assert!(
            r.stderr.contains(&format!("--> tandem.yaml:{line}:1")),
            "{yaml}: {}",
            r.stderr
        );
    }
    p.file("tandem.yaml", "languages: [en, es]\n");
    let r = p.run(&["show", "paris-comune"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("help: did you mean `paris-commune`?"),
        "{}",
        r.stderr
    );
    let r = p.run(&["diff", "commune", "--lang", "es"]);
    assert!(
        r.stderr.contains("help: did you mean `paris-commune`?"),
        "{}",
        r.stderr
    );
    let r = p.run(&["show", "zzz"]);
    assert!(
        r.stderr
            .contains("`tandem status --all` lists every article"),
        "{}",
        r.stderr
    );
    let r = p.run(&["status", "--lang", "ez"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("help: did you mean `en` or `es`?"),
        "{}",
        r.stderr
    );
}

#[test]
fn config_wrong_type_names_key_and_line() {
    let p = Publication::new();
    p.file("tandem.yaml", "source_lang: en\nlanguages: es\n");
    let r = p.run(&["status"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("languages"), "{}", r.stderr);
    assert!(r.stderr.contains("tandem.yaml:2:"), "{}", r.stderr);
    p.file("tandem.yaml", "languages: [en, es]\nrequired: [fr]\n");
    let r = p.run(&["status"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("tandem.yaml:2:1"), "{}", r.stderr);
}

#[test]
fn config_option_and_dash_c() {
    let p = Publication::new();
    p.file(
        "site/conf.yaml",
        "languages: [en, de]\narticles: docs\ntranslations: i18n\n",
    );
    p.file("site/docs/a.md", "---\ntitle: A\n---\nText.\n");
    let r = p.ok(&[
        "-C",
        "site",
        "--config",
        "conf.yaml",
        "status",
        "--format",
        "json",
    ]);
    let json = r.json();
    assert_eq!(json["items"][0]["source"], "docs/a.md");
    assert_eq!(json["items"][0]["lang"], "de");
}

#[test]
fn root_is_found_from_a_subfolder() {
    let p = sample();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tandem"))
        .args(["status", "--format", "json"])
        .current_dir(p.path("translations/es"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["summary"]["articles"], 2);
}

#[test]
fn init_writes_config_with_found_languages_and_never_overwrites() {
    let p = Publication::new();
    std::fs::create_dir_all(p.path("translations/fr")).unwrap();
    std::fs::create_dir_all(p.path("translations/es")).unwrap();
    let r = p.ok(&["init"]);
    assert!(
        r.stdout
            .contains("created tandem.yaml (languages: en, es, fr)"),
        "{}",
        r.stdout
    );
    let yaml = p.read("tandem.yaml");
    assert!(yaml.contains("languages: [en, es, fr]"), "{yaml}");
    assert!(p.exists(".tandem/snapshots"));
    assert!(p.read(".tandem/.gitignore").contains("cache/"));
    // The file it wrote is a valid configuration.
    p.file("articles/a.md", ORIGINAL);
    p.ok(&["status"]);
    let r = p.run(&["init"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("already exists"), "{}", r.stderr);
    assert_eq!(p.read("tandem.yaml"), yaml);
}

#[test]
fn new_scaffolds_a_draft_and_never_overwrites_without_force() {
    let p = Publication::three_languages();
    p.file("articles/paris.md", ORIGINAL);
    let r = p.ok(&["new", "paris", "--lang", "es"]);
    assert!(
        r.stdout.contains("created translations/es/paris.md"),
        "{}",
        r.stdout
    );
    let fp = p.fingerprint("paris");
    let text = p.read("translations/es/paris.md");
    let body = ORIGINAL.splitn(3, "---\n").nth(2).unwrap();
    assert_eq!(
        text,
        format!("---\ntitle: Paris Commune Anniversary Forum\nsource_hash: {fp}\nstatus: draft\n---\n{body}")
    );
    p.file(
        "translations/es/paris.md",
        "---\ntitle: Mi traducción\n---\nTrabajo.\n",
    );
    let r = p.run(&["new", "paris", "--lang", "es"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("already exists"), "{}", r.stderr);
    assert!(r.stderr.contains("--force"), "{}", r.stderr);
    assert_eq!(
        p.read("translations/es/paris.md"),
        "---\ntitle: Mi traducción\n---\nTrabajo.\n"
    );
    p.ok(&["new", "paris", "--lang", "es", "--force", "--empty"]);
    assert_eq!(
        p.read("translations/es/paris.md"),
        format!(
            "---\ntitle: Paris Commune Anniversary Forum\nsource_hash: {fp}\nstatus: draft\n---\n"
        )
    );
}

#[test]
fn new_refuses_the_original_language() {
    let p = Publication::three_languages();
    p.file("articles/paris.md", ORIGINAL);
    let r = p.run(&["new", "paris", "--lang", "en"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("written in `en`"), "{}", r.stderr);
}

#[test]
fn fingerprint_ignores_layout_and_other_fields() {
    let p = Publication::three_languages();
    p.file("articles/a.md", ORIGINAL);
    let fp = p.fingerprint("a");
    let same = [
        ORIGINAL.replace('\n', "\r\n"),
        format!("\u{feff}{ORIGINAL}"),
        ORIGINAL.replace("Saturday\nto mark", "Saturday to\nmark"),
        ORIGINAL.replace("song.\n", "song.   \n\n\n\n"),
        ORIGINAL.replace("\n\nThe forum", "\n\n\n\nThe forum"),
        ORIGINAL.replace(
            "tags: [history]",
            "tags: [history, paris]\ndate: 2024-03-20",
        ),
    ];
    for text in same {
        p.file("articles/a.md", &text);
        assert_eq!(p.fingerprint("a"), fp, "changed by {text:?}");
    }
    let different = [
        ORIGINAL.replace("Anniversary Forum", "Anniversary Meeting"),
        ORIGINAL.replace("Two hundred", "Three hundred"),
        ORIGINAL.replace("with a song.", "with a song.\n\nA new paragraph."),
        ORIGINAL.replace("> \"The", "\"The"),
    ];
    for text in different {
        p.file("articles/a.md", &text);
        assert_ne!(p.fingerprint("a"), fp, "not changed by {text:?}");
    }
}

#[test]
fn translatable_fields_count_in_the_fingerprint() {
    let p = Publication::new();
    p.file(
        "tandem.yaml",
        "languages: [en, es]\ntranslatable: [title, summary]\n",
    );
    p.file(
        "articles/a.md",
        "---\ntitle: A\nsummary: One line\n---\nText.\n",
    );
    let fp = p.fingerprint("a");
    p.file(
        "articles/a.md",
        "---\ntitle: A\nsummary: Another line\n---\nText.\n",
    );
    assert_ne!(p.fingerprint("a"), fp);
}

#[test]
fn color_always_and_never() {
    let p = sample();
    let coloured = p.ok(&["--color", "always", "status"]).stdout;
    assert!(coloured.contains("\u{1b}["), "{coloured}");
    let plain = p.ok(&["--color", "never", "status"]).stdout;
    assert!(!plain.contains('\u{1b}'));
    // Not a terminal: no colour by default.
    assert!(!p.ok(&["status"]).stdout.contains('\u{1b}'));
}

#[cfg(unix)]
#[test]
fn a_closed_pipe_is_not_an_error() {
    use std::process::{Command, Stdio};
    let p = sample();
    for i in 0..40 {
        p.file(&format!("articles/extra-{i}.md"), ORIGINAL);
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_tandem"))
        .args(["status", "--all", "--format", "json"])
        .current_dir(p.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}

#[test]
fn completions_man_page_and_version_come_from_the_command_line_definitions() {
    let p = Publication::three_languages();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = p.ok(&["completions", shell]).stdout;
        assert!(out.contains("tandem"), "{shell}: {out}");
        for command in ["status", "diff", "mv", "adopt"] {
            assert!(out.contains(command), "{shell} completes {command}");
        }
    }
    assert_eq!(p.run(&["completions", "tcsh"]).code, 2);
    let man = p.ok(&["man"]).stdout;
    assert!(
        man.starts_with(".ie") || man.contains(".TH tandem 1"),
        "{man}"
    );
    assert!(man.contains(".TH tandem 1"), "{man}");
    for command in ["status", "check", "coverage", "report", "mark", "mv", "gc"] {
        assert!(man.contains(command), "the manual names {command}");
    }
    // The version names the commit it was built from (or says it is not known).
    let version = p.ok(&["--version"]).stdout;
    assert!(version.starts_with("tandem "), "{version}");
    let inside = version
        .split_once('(')
        .and_then(|(_, r)| r.split_once(')'))
        .map(|(c, _)| c.to_string())
        .unwrap_or_default();
    assert!(
        inside == "commit unknown"
            || inside
                .split(',')
                .next()
                .is_some_and(|c| c.len() == 12 && c.bytes().all(|b| b.is_ascii_hexdigit())),
        "{version}"
    );
    // Global options have a heading of their own.
    let help = p.ok(&["--help"]).stdout;
    assert!(help.contains("Global options:"), "{help}");
}

#[test]
fn languages_can_be_given_comma_separated() {
    let p = sample();
    let one = p
        .ok(&["status", "--all", "--lang", "es", "--lang", "fr"])
        .stdout;
    assert_eq!(p.ok(&["status", "--all", "--lang", "es,fr"]).stdout, one);
    assert!(one.contains("fr") && one.contains("es"), "{one}");
    let coverage = p.ok(&["coverage", "--lang", "es,fr"]).stdout;
    assert!(!coverage.contains("\nen "), "{coverage}");
}

#[test]
fn the_github_action_and_the_pre_commit_hook_run_check() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let parse = |name: &str| -> serde_json::Value {
        let text = std::fs::read_to_string(root.join(name)).unwrap();
        tandem::yaml::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e:?}"))
    };
    let action = parse("action.yml");
    assert_eq!(action["runs"]["using"], "composite");
    let steps = action["runs"]["steps"].as_array().unwrap();
    let run: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert!(run.iter().any(|r| r.contains("cargo install")), "{run:?}");
    let check = run
        .iter()
        .find(|r| r.contains(" check "))
        .expect("a check step");
    assert!(check.contains("--format github"), "{check}");
    assert!(action["inputs"]["args"].is_object());
    assert!(action["inputs"]["base"].is_object());
    // The step's script, run as the runner would with the built binary: without a base it
    // annotates every problem; with one, what the change does, and a summary for the job.
    let p = Publication::three_languages();
    let d = p.root();
    crate::baselines::git_on(d, 1, &["init", "-q", "-b", "main"]);
    p.file("articles/a.md", ORIGINAL);
    p.ok(&["new", "a", "--lang", "es"]);
    p.ok(&["mark", "a", "--lang", "es"]);
    crate::baselines::git_on(d, 1, &["add", "-A"]);
    crate::baselines::git_on(d, 1, &["commit", "-qm", "base"]);
    p.file(
        "articles/a.md",
        ORIGINAL.replace("Two hundred", "Three hundred"),
    );
    let summary = d.join("summary.md");
    let step = |base: &str| {
        std::process::Command::new("bash")
            .arg("-c")
            .arg(check)
            .current_dir(d)
            .env("TANDEM", crate::tandem_bin())
            .env("TANDEM_BASE", base)
            .env("TANDEM_ARGS", "--lang es")
            .env("GITHUB_STEP_SUMMARY", &summary)
            .output()
            .unwrap()
    };
    let plain = step("");
    assert_eq!(plain.status.code(), Some(1));
    let out = String::from_utf8_lossy(&plain.stdout);
    assert!(out.contains("::error file=translations/es/a.md"), "{out}");
    assert!(!summary.exists());
    let pr = step("main");
    assert_eq!(pr.status.code(), Some(1));
    let out = String::from_utf8_lossy(&pr.stdout);
    assert!(
        out.contains("::warning file=translations/es/a.md,line=1,title=tandem%3A made outdated::"),
        "{out}"
    );
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(
        md.starts_with("### tandem: what this change does to translations"),
        "{md}"
    );
    let hooks = parse(".pre-commit-hooks.yaml");
    let hook = &hooks.as_array().unwrap()[0];
    assert_eq!(hook["id"], "tandem-check");
    assert_eq!(hook["language"], "rust");
    assert_eq!(hook["pass_filenames"], false);
    // The hook's command is a real one, and does what the hook says.
    let entry: Vec<&str> = hook["entry"].as_str().unwrap().split(' ').collect();
    assert_eq!(entry[0], "tandem");
    let p = Publication::three_languages();
    p.file("articles/a.md", ORIGINAL);
    p.file(
        "translations/fr/lost.md",
        "---\ntitle: Perdu\n---\nTexte.\n",
    );
    assert_eq!(p.run(&entry[1..]).code, 1, "an orphan fails the commit");
    // Markdown files and the configuration trigger it.
    assert_eq!(hook["files"], r"(\.mdx?|tandem\.ya?ml)$");
}
