//! `diff`, snapshots, alignment and `gc`.

use crate::Publication;

const V1: &str = "---\ntitle: Dockworkers Walk Out\n---\n\nROTTERDAM, June 3—Dockworkers stopped work at 6 o'clock, the first strike in 11 years.\n\nBy noon the strike had spread to all 4 terminals near Hoek.\n\n> \"Retraining for what?\" asked Pieter van Dam.\n\nThe union says 800 jobs would go over 5 years.\n\n## Solidarity\n\nMessages came from Antwerp, Hamburg and Piraeus.\n";

const ES: &str = "---\ntitle: Los estibadores paran\n---\n\nRÓTERDAM, 3 de junio—Los estibadores pararon a las 6, la primera huelga en 11 años.\n\nA mediodía la huelga se había extendido a las 4 terminales cerca de Hoek.\n\n> «¿Formación para qué?», preguntó Pieter van Dam.\n\nEl sindicato dice que se perderían 800 empleos en 5 años.\n\n## Solidaridad\n\nLlegaron mensajes de Antwerp, Hamburg y Piraeus.\n";

/// A publication whose Spanish translation (`es`) was marked against V1.
fn marked(translation: &str) -> Publication {
    let p = Publication::three_languages();
    p.file("articles/strike.md", V1);
    p.file("translations/es/strike.md", translation);
    p.ok(&["mark", "strike", "--lang", "es"]);
    p
}

/// Marks `translation` against V1, then edits the original (`from` becomes `to`) and returns
/// the publication and `diff --format json`.
fn after_edit(translation: &str, from: &str, to: &str) -> (Publication, serde_json::Value) {
    let p = marked(translation);
    p.file("articles/strike.md", V1.replace(from, to));
    let json = changes(&p);
    (p, json)
}

fn changes(p: &Publication) -> serde_json::Value {
    p.ok(&["diff", "strike", "--lang", "es", "--format", "json"])
        .json()
}

#[test]
fn changed_block_with_word_diff_and_translation() {
    let (p, json) = after_edit(ES, "800 jobs", "1,200 jobs");
    assert_eq!(json["version"], 1);
    assert_eq!(json["id"], "strike");
    assert_eq!(json["lang"], "es");
    let c = &json["changes"][0];
    assert_eq!(c["kind"], "changed");
    assert_eq!(c["old"], "The union says 800 jobs would go over 5 years.");
    assert_eq!(c["new"], "The union says 1,200 jobs would go over 5 years.");
    assert_eq!(
        c["translation"]["text"],
        "El sindicato dice que se perderían 800 empleos en 5 años."
    );
    assert_eq!(c["translation"]["line"], 12); // after the source_hash line mark added
    assert_eq!(c["translation"]["confidence"], "sure");
    assert_eq!(json["summary"]["changed"], 1);
    assert_eq!(json["summary"]["words"], 10);
    assert_eq!(json["summary"]["words_edited"], 2);
    let text = p.ok(&["diff", "strike", "--lang", "es"]).stdout;
    assert!(
        text.contains("The union says [-800-]{+1,200+} jobs"),
        "{text}"
    );
    assert!(
        text.contains("│ El sindicato dice que se perderían 800 empleos"),
        "{text}"
    );
}

#[test]
fn added_removed_and_moved_blocks() {
    let p = marked(ES);
    let edited = V1
        .replace("By noon the strike had spread to all 4 terminals near Hoek.\n\n", "")
        .replace(
            "## Solidarity\n",
            "## Solidarity\n\nTrucks queued on the A15 for 9 kilometres.\n",
        )
        .replace(
            "> \"Retraining for what?\" asked Pieter van Dam.\n\nThe union says 800 jobs would go over 5 years.\n",
            "The union says 800 jobs would go over 5 years.\n\n> \"Retraining for what?\" asked Pieter van Dam.\n",
        );
    p.file("articles/strike.md", edited);
    let json = changes(&p);
    let kinds: Vec<&str> = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["removed", "moved", "added"], "{json:#}");
    let removed = &json["changes"][0];
    assert_eq!(
        removed["translation"]["text"],
        "A mediodía la huelga se había extendido a las 4 terminales cerca de Hoek."
    );
    let added = &json["changes"][2];
    assert_eq!(added["translation"]["where"], "insert-after");
    assert_eq!(added["translation"]["text"], "## Solidaridad");
    // status agrees with diff on the size of the change.
    let item = p.item("strike", "es");
    assert_eq!(item["changed"]["paragraphs"], 3);
    assert_eq!(item["changed"]["words"], json["summary"]["words"]);
    insta::assert_snapshot!(p.run(&["diff", "strike", "--lang", "es"]).all());
}

#[test]
fn title_change_points_at_translated_title() {
    let (_, json) = after_edit(ES, "Dockworkers Walk Out", "Dockworkers Strike");
    assert_eq!(json["changes"][0]["block"], "field");
    assert_eq!(
        json["changes"][0]["translation"]["text"],
        "title: Los estibadores paran"
    );
}

#[test]
fn alignment_when_the_translator_merged_paragraphs() {
    let merged = ES.replace("11 años.\n\nA mediodía", "11 años. A mediodía");
    let (p, json) = after_edit(&merged, "all 4 terminals", "all four terminals");
    let t = &json["changes"][0]["translation"];
    assert!(
        t["text"].as_str().unwrap().contains("A mediodía"),
        "{json:#}"
    );
    assert_eq!(t["confidence"], "unsure");
    assert_eq!(json["summary"]["alignment"], "content");
    let text = p.ok(&["diff", "strike", "--lang", "es"]).stdout;
    assert!(text.contains("unsure"), "{text}");
}

#[test]
fn alignment_when_the_translator_split_a_paragraph() {
    let split = ES.replace(
        "pararon a las 6, la primera",
        "pararon a las 6.\n\nFue la primera",
    );
    let (_, json) = after_edit(
        &split,
        "Hamburg and Piraeus",
        "Hamburg, Le Havre and Piraeus",
    );
    let t = &json["changes"][0]["translation"];
    assert_eq!(
        t["text"],
        "Llegaron mensajes de Antwerp, Hamburg y Piraeus."
    );
    assert_eq!(t["confidence"], "sure");
}

#[test]
fn alignment_when_the_translator_added_or_dropped_a_paragraph() {
    let added = ES.replace(
        "## Solidaridad",
        "Nota de la traducción: Hoek van Holland es el antepuerto.\n\n## Solidaridad",
    );
    let (_, json) = after_edit(
        &added,
        "Hamburg and Piraeus",
        "Hamburg, Le Havre and Piraeus",
    );
    assert_eq!(
        json["changes"][0]["translation"]["text"],
        "Llegaron mensajes de Antwerp, Hamburg y Piraeus."
    );

    let dropped = ES.replace(
        "A mediodía la huelga se había extendido a las 4 terminales cerca de Hoek.\n\n",
        "",
    );
    let (p, json) = after_edit(&dropped, "all 4 terminals", "all four terminals");
    assert_eq!(
        json["changes"][0]["translation"],
        serde_json::Value::Null,
        "{json:#}"
    );
    let text = p.ok(&["diff", "strike", "--lang", "es"]).stdout;
    assert!(text.contains("no matching paragraph"), "{text}");
}

#[test]
fn poem_and_block_quote_keep_their_lines() {
    let poem = "---\ntitle: Songs\n---\n\nIt is sung to an old tune:\n\n> Sleep, little one, the looms are still,\n> your mother's standing at the gate;\n>\n> — Rosa Martí, translated from Spanish\n\nThe strike goes on.\n";
    let es = "---\ntitle: Canciones\n---\n\nSe canta con una vieja música:\n\n> Duérmete, niña, que el telar calla,\n> tu madre está en la puerta;\n>\n> — Rosa Martí\n\nLa huelga sigue.\n";
    let p = Publication::three_languages();
    p.file("articles/strike.md", poem);
    p.file("translations/es/strike.md", es);
    p.ok(&["mark", "strike", "--lang", "es"]);
    // Re-wrapping the poem's lines is not a change; a changed word is.
    p.file(
        "articles/strike.md",
        poem.replace("still,\n> your", "still, your\n>"),
    );
    assert_eq!(p.state("strike", "es"), "up-to-date");
    p.file(
        "articles/strike.md",
        poem.replace("the gate", "the mill gate"),
    );
    let json = changes(&p);
    assert_eq!(json["changes"][0]["block"], "quote");
    assert_eq!(
        json["changes"][0]["translation"]["text"],
        "> Duérmete, niña, que el telar calla,\n> tu madre está en la puerta;"
    );
    insta::assert_json_snapshot!(json);
}

#[test]
fn no_changes_when_up_to_date() {
    let p = marked(ES);
    let out = p.ok(&["diff", "strike", "--lang", "es"]).stdout;
    assert!(out.contains("No changes"), "{out}");
}

#[test]
fn missing_snapshot_says_so_and_how_to_recover() {
    let p = marked(ES);
    p.file("articles/strike.md", V1.replace("800", "900"));
    std::fs::remove_dir_all(p.path(".tandem/snapshots")).unwrap();
    let r = p.run(&["diff", "strike", "--lang", "es"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("matches no snapshot"), "{}", r.stderr);
    assert!(
        r.stderr.contains("tandem mark strike --lang es"),
        "{}",
        r.stderr
    );
    let item = p.item("strike", "es");
    assert_eq!(item["state"], "outdated");
    assert_eq!(item["baseline"], "unknown");
}

#[test]
fn diff_errors() {
    let p = marked(ES);
    let r = p.run(&["diff", "strike", "--lang", "fr"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("tandem new strike --lang fr"),
        "{}",
        r.stderr
    );
    p.file(
        "translations/fr/strike.md",
        "---\ntitle: Grève\n---\nTexte.\n",
    );
    let r = p.run(&["diff", "strike", "--lang", "fr"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no source_hash"), "{}", r.stderr);
}

#[test]
fn editor_acknowledges_a_typo_fix_with_mark_all_langs() {
    let p = marked(ES);
    p.file(
        "translations/fr/strike.md",
        "---\ntitle: Grève\n---\nTexte.\n",
    );
    p.ok(&["mark", "strike", "--lang", "fr"]);
    p.file(
        "articles/strike.md",
        V1.replace("Hamburg and", "Hamburg, and"),
    );
    assert_eq!(p.state("strike", "es"), "outdated");
    assert_eq!(p.state("strike", "fr"), "outdated");
    p.ok(&["mark", "strike", "--all-langs"]);
    assert_eq!(p.state("strike", "es"), "up-to-date");
    assert_eq!(p.state("strike", "fr"), "up-to-date");
}

#[test]
fn gc_keeps_every_referenced_snapshot() {
    let p = marked(ES);
    let v1 = p.fingerprint("strike");
    p.file(
        "translations/fr/strike.md",
        "---\ntitle: Grève\n---\nTexte.\n",
    );
    p.ok(&["mark", "strike", "--lang", "fr"]);
    // A second version: es is brought up to date, fr still refers to v1.
    p.file("articles/strike.md", V1.replace("800", "900"));
    p.ok(&["mark", "strike", "--lang", "es"]);
    let v2 = p.fingerprint("strike");
    // A third version marked, then its translation re-marked: v3 is referenced, v2 is not.
    p.file("articles/strike.md", V1.replace("800", "1,000"));
    p.ok(&["mark", "strike", "--lang", "es"]);
    let v3 = p.fingerprint("strike");
    let snap = |fp: &str| format!(".tandem/snapshots/{}/{fp}.json", &fp[..2]);
    assert!(p.exists(&snap(&v1)) && p.exists(&snap(&v2)) && p.exists(&snap(&v3)));

    let dry = p.ok(&["gc", "--dry-run"]).stdout;
    assert!(
        dry.contains(&format!("would delete {}", snap(&v2))),
        "{dry}"
    );
    assert!(p.exists(&snap(&v2)));
    let run = p.ok(&["gc"]).stdout;
    assert!(run.contains(&format!("deleted {}", snap(&v2))), "{run}");
    assert!(run.contains("deleted 1 snapshot, kept 2"), "{run}");
    assert!(!p.exists(&snap(&v2)));
    assert!(p.exists(&snap(&v1)) && p.exists(&snap(&v3)));
    // fr still diffs against v1.
    let json = p
        .ok(&["diff", "strike", "--lang", "fr", "--format", "json"])
        .json();
    assert_eq!(json["baseline"], v1.as_str());
}

#[test]
fn gc_keeps_snapshots_named_by_an_unreadable_translation() {
    let p = marked(ES);
    let v1 = p.fingerprint("strike");
    let text = p
        .read("translations/es/strike.md")
        .replace("title: Los", "title: [Los");
    p.file("translations/es/strike.md", text);
    let out = p.ok(&["gc"]).stdout;
    assert!(out.contains("deleted 0 snapshots, kept 1"), "{out}");
    assert!(p.exists(&format!(".tandem/snapshots/{}/{v1}.json", &v1[..2])));
}
