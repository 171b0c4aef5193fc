//! Every state of DESIGN.md, created for real.

use crate::{Publication, ORIGINAL};

fn with_original() -> Publication {
    let p = Publication::three_languages();
    p.file("articles/paris-commune-forum.md", ORIGINAL);
    p
}

#[test]
fn missing_when_no_translation_exists() {
    let p = with_original();
    assert_eq!(p.state("paris-commune-forum", "es"), "missing");
    assert_eq!(p.state("paris-commune-forum", "fr"), "missing");
    let item = p.item("paris-commune-forum", "es");
    assert_eq!(item["translation"], serde_json::Value::Null);
    assert_eq!(item["source"], "articles/paris-commune-forum.md");
    assert_eq!(item["words"], 35);
}

#[test]
fn up_to_date_after_mark_then_outdated_after_an_edit() {
    let p = with_original();
    p.file(
        "translations/es/paris-commune-forum.md",
        "---\ntitle: Foro\n---\nTexto.\n",
    );
    assert_eq!(p.state("paris-commune-forum", "es"), "untracked");
    p.ok(&["mark", "paris-commune-forum", "--lang", "es"]);
    assert_eq!(p.state("paris-commune-forum", "es"), "up-to-date");

    p.file(
        "articles/paris-commune-forum.md",
        ORIGINAL.replace("Two hundred", "Three hundred"),
    );
    assert_eq!(p.state("paris-commune-forum", "es"), "outdated");
    let item = p.item("paris-commune-forum", "es");
    assert_eq!(item["changed"]["paragraphs"], 1);
    assert_eq!(item["changed"]["words"], 17);
    assert_eq!(item["words"], 17);
}

#[test]
fn draft_counts_paragraphs_not_yet_translated() {
    let p = with_original();
    p.ok(&["new", "paris-commune-forum", "--lang", "fr"]);
    assert_eq!(p.state("paris-commune-forum", "fr"), "draft");
    let item = p.item("paris-commune-forum", "fr");
    // The title and three body blocks are still copies of the original.
    assert_eq!(item["untranslated"]["paragraphs"], 4);
    assert_eq!(item["words"], 35);

    // Translate the title and one paragraph.
    let text = p
        .read("translations/fr/paris-commune-forum.md")
        .replace(
            "title: Paris Commune Anniversary Forum",
            "title: Forum de la Commune",
        )
        .replace(
            "The forum ended with a song.",
            "Le forum s'est terminé par une chanson.",
        );
    p.file("translations/fr/paris-commune-forum.md", text);
    let item = p.item("paris-commune-forum", "fr");
    assert_eq!(item["state"], "draft");
    assert_eq!(item["untranslated"]["paragraphs"], 2);
    assert_eq!(item["words"], 35 - 4 - 6);
}

#[test]
fn untracked_without_source_hash() {
    let p = with_original();
    p.file(
        "translations/es/paris-commune-forum.md",
        "---\ntitle: Foro\n---\nTexto.\n",
    );
    assert_eq!(p.state("paris-commune-forum", "es"), "untracked");
}

#[test]
fn orphaned_when_no_original_has_the_id() {
    let p = with_original();
    p.file(
        "translations/es/gone.md",
        "---\ntitle: Nada\nsource_hash: 0123\n---\nTexto.\n",
    );
    assert_eq!(p.state("gone", "es"), "orphaned");
    let item = p.item("gone", "es");
    assert_eq!(item["source"], serde_json::Value::Null);
}

#[test]
fn invalid_when_the_translation_cannot_be_read() {
    let p = with_original();
    p.file(
        "translations/es/paris-commune-forum.md",
        "---\ntitle: [unclosed\n---\nTexto.\n",
    );
    assert_eq!(p.state("paris-commune-forum", "es"), "invalid");
    let json = p.ok(&["status", "--format", "json"]).json();
    let errors = json["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["path"], "translations/es/paris-commune-forum.md");
    assert!(errors[0]["line"].as_u64().is_some());
}

#[test]
fn a_stamp_that_is_not_the_fingerprint_is_never_up_to_date() {
    let p = with_original();
    let fp = p.fingerprint("paris-commune-forum");
    for stamp in [
        "".to_string(),
        "0".repeat(32),
        fp[..31].to_string(),
        fp.to_uppercase(),
        format!("{fp}0"),
        format!("\"{fp} \""),
        "yes".to_string(),
    ] {
        p.file(
            "translations/es/paris-commune-forum.md",
            format!("---\nsource_hash: {stamp}\n---\nTexto.\n"),
        );
        let state = p.state("paris-commune-forum", "es");
        assert_ne!(state, "up-to-date", "stamp {stamp:?}");
    }
    p.file(
        "translations/es/paris-commune-forum.md",
        format!("---\nsource_hash: {fp}\n---\nTexto.\n"),
    );
    assert_eq!(p.state("paris-commune-forum", "es"), "up-to-date");
}

#[test]
fn unknown_baseline_is_said_plainly() {
    let p = with_original();
    p.file(
        "translations/es/paris-commune-forum.md",
        format!("---\nsource_hash: {}\n---\nTexto.\n", "ab".repeat(16)),
    );
    let item = p.item("paris-commune-forum", "es");
    assert_eq!(item["state"], "outdated");
    assert_eq!(item["baseline"], "unknown");
    assert!(item.get("changed").is_none());
    let table = p.ok(&["status"]).stdout;
    assert!(table.contains("matches no snapshot"), "{table}");
}

#[test]
fn an_original_in_spanish_targets_every_other_language() {
    let p = Publication::three_languages();
    p.file(
        "articles/vivienda.md",
        "---\ntitle: Marcha\nlang: es\n---\nMADRID—Texto.\n",
    );
    let states = p.states();
    let langs: Vec<&str> = states.iter().map(|(_, l, _)| l.as_str()).collect();
    assert_eq!(langs, vec!["en", "fr"]);
    assert_eq!(p.item("vivienda", "en")["source_lang"], "es");
}

#[test]
fn translate_to_limits_the_languages() {
    let p = Publication::three_languages();
    p.file(
        "articles/a.md",
        "---\ntitle: A\ntranslate_to: [fr]\n---\nText.\n",
    );
    let langs: Vec<String> = p.states().into_iter().map(|(_, l, _)| l).collect();
    assert_eq!(langs, vec!["fr"]);
}

#[test]
fn ids_default_to_the_path_and_can_be_set() {
    let p = Publication::three_languages();
    p.file(
        "articles/news/2024/strike.md",
        "---\ntitle: Strike\n---\nText.\n",
    );
    p.file(
        "articles/other.md",
        "---\nid: custom-id\ntitle: Other\n---\nText.\n",
    );
    p.file(
        "translations/es/anything.md",
        "---\nid: custom-id\ntitle: Otro\n---\nTexto.\n",
    );
    assert_eq!(p.state("news/2024/strike", "es"), "missing");
    assert_eq!(p.state("custom-id", "es"), "untracked");
}

#[test]
fn languages_default_to_the_translation_folders() {
    let p = Publication::new();
    p.file("articles/a.md", "---\ntitle: A\n---\nText.\n");
    std::fs::create_dir_all(p.path("translations/de")).unwrap();
    std::fs::create_dir_all(p.path("translations/pt-BR")).unwrap();
    let json = p.ok(&["status", "--format", "json"]).json();
    assert_eq!(
        json["summary"]["languages"],
        serde_json::json!(["de", "en", "pt-BR"])
    );
    assert_eq!(json["summary"]["counts"]["missing"], 2);
}
