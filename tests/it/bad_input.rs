//! Bad input never panics and never stops the scan: each problem is reported with its path and
//! line, the file is `invalid`, and every other file is still read.

use crate::{Publication, ORIGINAL};

/// Writes a bad translation beside a good one and returns the error reported for it.
fn error_for(bad: &[u8]) -> serde_json::Value {
    let p = Publication::three_languages();
    p.file("articles/good.md", ORIGINAL);
    p.file("articles/bad.md", ORIGINAL);
    p.file("translations/es/bad.md", bad);
    let run = p.ok(&["status", "--all", "--format", "json"]);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let json = run.json();
    // The scan went on: the good article is still paired.
    let good: Vec<_> = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["id"] == "good")
        .collect();
    assert_eq!(good.len(), 2, "{json:#}");
    let bad_item = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "bad" && i["lang"] == "es")
        .cloned()
        .unwrap();
    assert_eq!(bad_item["state"], "invalid", "{json:#}");
    let errors = json["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{json:#}");
    assert_eq!(errors[0]["path"], "translations/es/bad.md");
    errors[0].clone()
}

#[test]
fn bad_yaml() {
    let e = error_for(b"---\ntitle: Foro\nlang: [es\n---\nTexto.\n");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("invalid front matter"),
        "{e}"
    );
    assert!(e["line"].as_u64().unwrap() >= 3);
}

/// Front matter between `+++` lines that is not TOML is reported with its line, like bad YAML.
#[test]
fn bad_toml() {
    let e = error_for(b"+++\ntitle = \"Foro\"\nweight = = 2\n+++\n\nTexto.\n");
    assert_eq!(e["line"], 3, "{e}");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .starts_with("invalid front matter"),
        "{e}"
    );
}

#[test]
fn no_closing_fence() {
    let e = error_for(b"---\ntitle: Foro\nTexto.\n");
    assert!(e["message"].as_str().unwrap().contains("not closed"), "{e}");
    assert_eq!(e["line"], 1);
}

#[test]
fn empty_file() {
    let e = error_for(b"");
    assert!(e["message"].as_str().unwrap().contains("empty"), "{e}");
}

#[test]
fn not_utf8() {
    let e = error_for(b"---\ntitle: Foro\n---\nTexto \xff\xfe roto.\n");
    assert!(e["message"].as_str().unwrap().contains("UTF-8"), "{e}");
    assert_eq!(e["line"], 4);
    assert_eq!(e["column"], 7);
}

#[test]
fn lang_disagrees_with_folder() {
    let e = error_for(b"---\nlang: fr\ntitle: Foro\n---\nTexto.\n");
    assert!(e["message"].as_str().unwrap().contains("disagrees"), "{e}");
    assert_eq!(e["line"], 2);
}

#[test]
fn wrong_types() {
    let e = error_for(b"---\ntitle: Foro\nid: [a, b]\n---\nTexto.\n");
    assert!(
        e["message"].as_str().unwrap().contains("`id` must be text"),
        "{e}"
    );
    assert_eq!(e["line"], 3);
    let e = error_for(b"---\nstatus: finished\n---\nTexto.\n");
    assert!(e["message"].as_str().unwrap().contains("draft"), "{e}");
}

#[test]
fn duplicate_keys() {
    let e = error_for(b"---\ntitle: Foro\ntitle: Otro\n---\nTexto.\n");
    assert!(e["message"].as_str().unwrap().contains("duplicate"), "{e}");
}

#[test]
fn front_matter_not_a_mapping() {
    let e = error_for(b"---\n- a\n- b\n---\nTexto.\n");
    assert!(e["message"].as_str().unwrap().contains("mapping"), "{e}");
}

#[test]
fn front_matter_not_at_the_top() {
    let e = error_for(b"\n\n---\ntitle: Foro\n---\nTexto.\n");
    assert!(e["message"].as_str().unwrap().contains("first line"), "{e}");
    assert_eq!(e["line"], 3);
}

#[test]
fn duplicate_ids_among_originals() {
    let p = Publication::three_languages();
    p.file("articles/a.md", "---\nid: same\ntitle: A\n---\nText.\n");
    p.file("articles/b.md", "---\nid: same\ntitle: B\n---\nText.\n");
    p.file("articles/c.md", "---\ntitle: C\n---\nText.\n");
    let json = p.ok(&["status", "--format", "json"]).json();
    let errors = json["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{json:#}");
    assert_eq!(errors[0]["path"], "articles/b.md");
    assert!(errors[0]["message"]
        .as_str()
        .unwrap()
        .contains("duplicate id"));
    assert_eq!(json["summary"]["articles"], 2);
}

#[test]
fn duplicate_translations_of_one_pair() {
    let p = Publication::three_languages();
    p.file("articles/a.md", ORIGINAL);
    p.file("translations/es/a.md", "---\ntitle: A\n---\nTexto.\n");
    p.file(
        "translations/es/copy.md",
        "---\nid: a\ntitle: A\n---\nTexto.\n",
    );
    let json = p.ok(&["status", "--all", "--format", "json"]).json();
    let es: Vec<_> = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["lang"] == "es")
        .map(|i| {
            (
                i["translation"].as_str().unwrap().to_string(),
                i["state"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        es,
        vec![
            ("translations/es/a.md".to_string(), "untracked".to_string()),
            ("translations/es/copy.md".to_string(), "invalid".to_string()),
        ]
    );
}

#[test]
fn a_bad_original_makes_its_translations_invalid_not_orphaned() {
    let p = Publication::three_languages();
    p.file("articles/a.md", "---\ntitle: [broken\n---\nText.\n");
    p.file("translations/es/a.md", "---\ntitle: A\n---\nTexto.\n");
    let item = p.item("a", "es");
    assert_eq!(item["state"], "invalid");
    assert_eq!(item["source"], "articles/a.md");
}

#[test]
fn bom_and_crlf_are_read() {
    let p = Publication::three_languages();
    p.file(
        "articles/a.md",
        "\u{feff}---\r\ntitle: A\r\n---\r\nText.\r\n",
    );
    assert_eq!(p.state("a", "es"), "missing");
}
