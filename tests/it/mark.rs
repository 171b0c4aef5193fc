//! `mark` changes only the bytes of the fields it sets.

use crate::{Publication, ORIGINAL};

const TRANSLATION: &str = "---\n# Spanish edition\ntitle:   \"Foro del aniversario\"   # keep the quotes\ntranslator: M. R.\nsource_hash: 0123456789abcdef0123456789abcdef  # stamp\ncategories:\n  - history\n  - paris\nstatus: draft\nweird_key: { a: 1,   b: 2 }\n---\n\nPARÍS, 20 de marzo—Doscientas personas   llenaron la sala.\n\n> «La Comuna no ha muerto».\n";

#[test]
fn mark_rewrites_only_source_hash_and_status() {
    let p = Publication::three_languages();
    p.file("articles/paris.md", ORIGINAL);
    p.file("translations/es/paris.md", TRANSLATION);
    let run = p.ok(&["mark", "paris", "--lang", "es"]);
    let fp = p.fingerprint("paris");
    let expected = TRANSLATION
        .replace("0123456789abcdef0123456789abcdef", &fp)
        .replace("status: draft", "status: done");
    assert_eq!(p.read("translations/es/paris.md"), expected);
    assert!(
        run.stdout.contains("marked translations/es/paris.md"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("status draft -> done"),
        "{}",
        run.stdout
    );
    assert_eq!(p.state("paris", "es"), "up-to-date");
}

#[test]
fn mark_keeps_crlf_and_bom() {
    let p = Publication::three_languages();
    p.file("articles/paris.md", ORIGINAL);
    let crlf = format!("\u{feff}{}", TRANSLATION.replace('\n', "\r\n"));
    p.file("translations/es/paris.md", &crlf);
    p.ok(&["mark", "paris", "--lang", "es"]);
    let fp = p.fingerprint("paris");
    let expected = crlf
        .replace("0123456789abcdef0123456789abcdef", &fp)
        .replace("status: draft", "status: done");
    assert_eq!(p.read("translations/es/paris.md"), expected);
}

#[test]
fn mark_adds_a_missing_source_hash_as_the_last_front_matter_line() {
    let p = Publication::three_languages();
    p.file("articles/paris.md", ORIGINAL);
    p.file(
        "translations/es/paris.md",
        "---\ntitle: Foro\n---\nTexto.\n",
    );
    p.ok(&["mark", "paris", "--lang", "es"]);
    let fp = p.fingerprint("paris");
    assert_eq!(
        p.read("translations/es/paris.md"),
        format!("---\ntitle: Foro\nsource_hash: {fp}\n---\nTexto.\n")
    );
}

#[test]
fn mark_twice_changes_nothing_the_second_time() {
    let p = Publication::three_languages();
    p.file("articles/paris.md", ORIGINAL);
    p.file("translations/es/paris.md", TRANSLATION);
    p.ok(&["mark", "paris", "--lang", "es"]);
    let once = p.read("translations/es/paris.md");
    let run = p.ok(&["mark", "paris", "--lang", "es"]);
    assert!(run.stdout.contains("already up to date"), "{}", run.stdout);
    assert_eq!(p.read("translations/es/paris.md"), once);
}

#[test]
fn mark_all_langs_marks_every_existing_translation() {
    let p = Publication::three_languages();
    p.file("articles/paris.md", ORIGINAL);
    p.file(
        "translations/es/paris.md",
        "---\ntitle: Foro\n---\nTexto.\n",
    );
    p.file(
        "translations/fr/paris.md",
        "---\ntitle: Forum\n---\nTexte.\n",
    );
    p.ok(&["mark", "paris", "--all-langs"]);
    assert_eq!(p.state("paris", "es"), "up-to-date");
    assert_eq!(p.state("paris", "fr"), "up-to-date");
}

#[test]
fn mark_refuses_a_missing_translation_and_writes_nothing() {
    let p = Publication::three_languages();
    p.file("articles/paris.md", ORIGINAL);
    p.file("translations/es/paris.md", TRANSLATION);
    let run = p.run(&["mark", "paris", "--lang", "es", "--lang", "fr"]);
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(run.stderr.contains("no `fr` translation"), "{}", run.stderr);
    assert!(
        run.stderr.contains("tandem new paris --lang fr"),
        "{}",
        run.stderr
    );
    assert_eq!(p.read("translations/es/paris.md"), TRANSLATION);
}

#[test]
fn mark_saves_a_snapshot_and_leaves_no_temporary_files() {
    let p = Publication::three_languages();
    p.file("articles/paris.md", ORIGINAL);
    p.file("translations/es/paris.md", TRANSLATION);
    p.ok(&["mark", "paris", "--lang", "es"]);
    let fp = p.fingerprint("paris");
    assert!(p.exists(&format!(".tandem/snapshots/{}/{fp}.json", &fp[..2])));
    let ignore = p.read(".tandem/.gitignore");
    assert!(ignore.lines().any(|l| l == "cache/"), "{ignore}");
    assert!(ignore.lines().any(|l| l == "lock"), "{ignore}");
    let leftovers: Vec<_> = std::fs::read_dir(p.path("translations/es"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(leftovers, vec!["paris.md"]);
}

#[cfg(unix)]
#[test]
fn mark_keeps_file_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let p = Publication::three_languages();
    p.file("articles/paris.md", ORIGINAL);
    p.file("translations/es/paris.md", TRANSLATION);
    std::fs::set_permissions(
        p.path("translations/es/paris.md"),
        std::fs::Permissions::from_mode(0o640),
    )
    .unwrap();
    p.ok(&["mark", "paris", "--lang", "es"]);
    let mode = std::fs::metadata(p.path("translations/es/paris.md"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o640);
}
