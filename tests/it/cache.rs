//! The scan cache never serves a stale answer, and is rebuilt when it is unusable.

use crate::{Publication, ORIGINAL};
use std::time::Duration;

/// Files changed less than two seconds before a scan (counted in whole seconds, rounded up)
/// are never cached: let them age.
pub(crate) fn age() {
    std::thread::sleep(Duration::from_millis(3500));
}

/// Whether a cache shard remembers a file (paths are stored as plain text, relative to the
/// folder).
fn remembers(p: &Publication, shard: &str, path: &str) -> bool {
    let path = path.split_once('/').unwrap().1;
    let path = if shard.starts_with("lang-") {
        path.split_once('/').unwrap().1
    } else {
        path
    };
    let bytes = std::fs::read(p.path(&format!(".tandem/cache/{shard}.bin"))).unwrap_or_default();
    bytes.windows(path.len()).any(|w| w == path.as_bytes())
}

fn cached_publication() -> Publication {
    let p = Publication::three_languages();
    p.file("articles/a.md", ORIGINAL);
    p.file("translations/es/a.md", "---\ntitle: A\n---\nTexto.\n");
    p.ok(&["mark", "a", "--lang", "es"]);
    p.file("translations/fr/a.md", "---\ntitle: A\n---\nTexte.\n");
    age();
    p.ok(&["status"]);
    assert!(remembers(&p, "articles", "articles/a.md"));
    assert!(remembers(&p, "lang-es", "translations/es/a.md"));
    p
}

/// Rewrites the original with a change of the same size and puts its modification time back:
/// only the change time (which nothing can set back) and the content differ.
fn edit_same_size_keep_mtime(p: &Publication) {
    let path = p.path("articles/a.md");
    let old = std::fs::metadata(&path).unwrap().modified().unwrap();
    let edited = ORIGINAL.replace("Two hundred", "Two thousand").replacen(
        "filled the hall",
        "filled the hal",
        1,
    );
    assert_eq!(edited.len(), ORIGINAL.len(), "same size");
    std::fs::write(&path, &edited).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(old)
        .unwrap();
    assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), old);
}

#[test]
fn an_edit_of_the_same_size_with_the_old_time_is_seen() {
    let p = cached_publication();
    assert_eq!(p.state("a", "es"), "up-to-date");
    edit_same_size_keep_mtime(&p);
    assert_eq!(p.state("a", "es"), "outdated");
}

#[test]
fn an_edit_in_the_same_second_as_a_scan_is_seen() {
    let p = Publication::three_languages();
    p.file("articles/a.md", ORIGINAL);
    p.file("translations/es/a.md", "---\ntitle: A\n---\nTexto.\n");
    p.ok(&["mark", "a", "--lang", "es"]);
    assert_eq!(p.state("a", "es"), "up-to-date");
    // A file that changed just before the scan is not remembered ("racily clean" in git's
    // words): an edit in the same timestamp tick would not change its times.
    assert!(p.exists(".tandem/cache/articles.bin"));
    assert!(!remembers(&p, "articles", "articles/a.md"));
    edit_same_size_keep_mtime(&p);
    assert_eq!(p.state("a", "es"), "outdated");
}

#[test]
fn deleted_and_added_files_are_seen() {
    let p = cached_publication();
    std::fs::remove_file(p.path("translations/es/a.md")).unwrap();
    assert_eq!(p.state("a", "es"), "missing");
    p.file("articles/b.md", ORIGINAL);
    assert_eq!(p.state("b", "fr"), "missing");
    p.file("translations/fr/b.md", "---\ntitle: B\n---\nTexte.\n");
    assert_eq!(p.state("b", "fr"), "untracked");
}

#[test]
fn a_corrupt_or_foreign_cache_is_ignored_and_rebuilt() {
    let p = cached_publication();
    let expected = p.ok(&["status", "--all", "--format", "json"]).stdout;
    for garbage in [
        &b""[..],
        b"\x00\x01garbage",
        b"tandem scan cache but not really",
    ] {
        for shard in ["articles", "lang-es", "lang-fr"] {
            std::fs::write(p.path(&format!(".tandem/cache/{shard}.bin")), garbage).unwrap();
        }
        assert_eq!(
            p.ok(&["status", "--all", "--format", "json"]).stdout,
            expected
        );
        let rebuilt = std::fs::read(p.path(".tandem/cache/articles.bin")).unwrap();
        assert!(rebuilt.len() > 50, "rebuilt after {garbage:?}");
    }
    // A cache made under another configuration is not used either.
    p.file(
        "tandem.yaml",
        "languages: [en, es, fr]\ntranslatable: [title, summary]\n",
    );
    p.file(
        "articles/a.md",
        ORIGINAL.replace("tags:", "summary: Forum\ntags:"),
    );
    assert_eq!(p.state("a", "es"), "outdated");
}

#[test]
fn results_are_the_same_with_and_without_the_cache_on_a_generated_corpus() {
    let p = Publication::new();
    crate::corpus::generate(p.root(), 150, 4, 7);
    age();
    let _ = std::fs::remove_dir_all(p.path(".tandem/cache"));
    let cold = p.run(&["status", "--all", "--format", "json"]);
    assert_eq!(cold.code, 0, "{}", cold.stderr);
    assert!(p.exists(".tandem/cache/articles.bin"));
    let warm = p.run(&["status", "--all", "--format", "json"]);
    assert_eq!(cold.stdout, warm.stdout);
    for args in [
        &["status", "--format", "json"][..],
        &["check", "--format", "json"],
        &["coverage", "--format", "json"],
    ] {
        let _ = std::fs::remove_dir_all(p.path(".tandem/cache"));
        let cold = p.run(args).stdout;
        assert!(p.exists(".tandem/cache/results.bin"));
        // The second run answers from the stored results, the third from scanning again.
        let warm = p.run(args).stdout;
        assert_eq!(cold, warm, "{args:?}");
        std::fs::remove_file(p.path(".tandem/cache/results.bin")).unwrap();
        assert_eq!(cold, p.run(args).stdout, "{args:?}");
    }
    // The corpus has every kind of pair the generator makes.
    let counts = &cold.json()["summary"]["counts"];
    for state in ["up-to-date", "outdated", "missing", "draft", "orphaned"] {
        assert!(counts[state].as_u64().unwrap() > 0, "{state}: {counts}");
    }
}

#[test]
fn the_cache_is_not_committed() {
    let p = cached_publication();
    assert!(p.read(".tandem/.gitignore").lines().any(|l| l == "cache/"));
}

/// The state `status` (without `--all`: the answer the results cache can give) shows for a
/// pair; pairs it does not list are up to date.
fn work_state(p: &Publication, id: &str, lang: &str) -> String {
    let json = p.ok(&["status", "--format", "json"]).json();
    json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id && i["lang"] == lang)
        .map_or("up-to-date".to_string(), |i| {
            i["state"].as_str().unwrap().to_string()
        })
}

#[test]
fn stored_results_are_used_only_while_nothing_changed() {
    let p = cached_publication();
    assert!(p.exists(".tandem/cache/results.bin"));
    let first = p.ok(&["status", "--format", "json"]).stdout;
    assert_eq!(p.ok(&["status", "--format", "json"]).stdout, first);
    assert_eq!(work_state(&p, "a", "es"), "up-to-date");
    assert_eq!(work_state(&p, "a", "fr"), "untracked");
    // Before each change the files age and a run stores the results, so the change is made
    // to a publication whose answer is in the results cache.
    let settle = |p: &Publication| {
        age();
        let _ = std::fs::remove_file(p.path(".tandem/cache/results.bin"));
        p.ok(&["status", "--format", "json"]);
        assert!(p.exists(".tandem/cache/results.bin"), "results stored");
    };
    // An original edited (same size, old modification time back).
    edit_same_size_keep_mtime(&p);
    assert_eq!(work_state(&p, "a", "es"), "outdated");
    // A translation deleted, then one added.
    settle(&p);
    std::fs::remove_file(p.path("translations/fr/a.md")).unwrap();
    assert_eq!(work_state(&p, "a", "fr"), "missing");
    settle(&p);
    p.file(
        "translations/fr/a.md",
        "---\ntitle: A\nstatus: draft\n---\nTexte.\n",
    );
    assert_eq!(work_state(&p, "a", "fr"), "draft");
    // A whole language folder removed, then back.
    settle(&p);
    std::fs::remove_dir_all(p.path("translations/fr")).unwrap();
    assert_eq!(work_state(&p, "a", "fr"), "missing");
    settle(&p);
    p.file("translations/fr/a.md", "---\ntitle: A\n---\nTexte.\n");
    assert_eq!(work_state(&p, "a", "fr"), "untracked");
}

#[test]
fn a_deleted_snapshot_is_seen_by_stored_results() {
    let p = Publication::three_languages();
    p.file("articles/a.md", ORIGINAL);
    p.file("translations/es/a.md", "---\ntitle: A\n---\nTexto.\n");
    p.ok(&["mark", "a", "--lang", "es"]);
    let stamp = p.fingerprint("a");
    p.file(
        "articles/a.md",
        ORIGINAL.replace("ended with a song", "ended with two songs"),
    );
    age();
    let outdated = |p: &Publication| {
        let json = p.ok(&["status", "--format", "json"]).json();
        json["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == "a" && i["lang"] == "es")
            .cloned()
            .unwrap()
    };
    let before = outdated(&p);
    assert_eq!(before["changed"]["paragraphs"], 1, "{before}");
    assert_eq!(outdated(&p), before, "the stored answer is the same");
    assert!(p.exists(".tandem/cache/results.bin"));
    std::fs::remove_file(p.path(&format!(".tandem/snapshots/{}/{stamp}.json", &stamp[..2])))
        .unwrap();
    let after = outdated(&p);
    assert_eq!(after["baseline"], "unknown", "{after}");
}

#[test]
fn corrupt_stored_results_are_ignored() {
    let p = cached_publication();
    let expected = p.ok(&["status", "--format", "json"]).stdout;
    for garbage in [&b""[..], b"tandem cache\x04\0\0\0garbage"] {
        std::fs::write(p.path(".tandem/cache/results.bin"), garbage).unwrap();
        assert_eq!(p.ok(&["status", "--format", "json"]).stdout, expected);
    }
    // Nor is a language's part of them that is not the one the results name: another
    // language's, damaged, gone.
    let work = |lang: &str| p.path(&format!(".tandem/cache/work-{lang}.bin"));
    let fr = std::fs::read(work("fr")).unwrap();
    let mut damaged = fr.clone();
    damaged.truncate(fr.len() - 1);
    for part in [Some(fr), Some(damaged), None] {
        p.ok(&["status"]);
        assert!(work("es").exists(), "stored again");
        match part {
            Some(bytes) => std::fs::write(work("es"), bytes).unwrap(),
            None => std::fs::remove_file(work("es")).unwrap(),
        }
        assert_eq!(p.ok(&["status", "--format", "json"]).stdout, expected);
    }
    // Results from another configuration are not used either.
    p.file("tandem.yaml", "languages: [en, es]\n");
    let json = p.ok(&["status", "--format", "json"]).json();
    assert!(json["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["lang"] != "fr"));
}

#[test]
fn show_shows_one_article_and_stores_only_whole_answers() {
    let p = Publication::three_languages();
    p.file("articles/a.md", ORIGINAL);
    p.file("articles/b.md", "---\ntitle: B\n---\n\nAnother story.\n");
    p.file("translations/es/a.md", "---\ntitle: A\n---\nTexto.\n");
    p.ok(&["mark", "a", "--lang", "es"]);
    p.file("translations/es/b.md", "---\ntitle: B\n---\nOtra.\n");
    p.file("translations/fr/gone.md", "---\ntitle: G\n---\nParti.\n");
    age();
    // Only a's pairs, nothing about the others.
    let show = p.ok(&["show", "a"]).stdout;
    assert!(show.contains("translations/es/a.md"), "{show}");
    assert!(!show.contains("b.md") && !show.contains("gone"), "{show}");
    // What status says after show (which stores what it paired, every pair of every
    // language) is what it says from scratch.
    let after = p.ok(&["status", "--format", "json"]).stdout;
    let _ = std::fs::remove_dir_all(p.path(".tandem/cache"));
    assert_eq!(p.ok(&["status", "--format", "json"]).stdout, after);
    assert!(
        after.contains("\"orphaned\": 1") || after.contains("gone"),
        "{after}"
    );
}

/// `show` from the stored results, with each language's up-to-date pair read from its file,
/// says exactly what it says when every pair is judged again: in every state, with a
/// translator, a translation filed under another name (`id:`), one made from another
/// translation, an orphan that looks like the article's translation.
#[test]
fn show_from_stored_results_is_show_from_scratch() {
    let p = Publication::new();
    p.file("tandem.yaml", "languages: [en, de, es, fr, it, ja]\n");
    p.file("articles/a.md", ORIGINAL);
    p.file("articles/b.md", "---\ntitle: B\n---\n\nAnother story.\n");
    p.file(
        "translations/es/a.md",
        "---\ntitle: A\ntranslator: M. R.\n---\nTexto.\n",
    );
    p.file(
        "translations/fr/a.md",
        "---\ntitle: A\ntranslator: H. V.\n---\nTexte.\n",
    );
    p.file("translations/it/a.md", "---\ntitle: A\n---\nTesto.\n");
    p.file(
        "translations/ja/a.md",
        "---\ntitle: A\ntranslated_from: es\n---\nテキスト。\n",
    );
    p.file(
        "translations/de/a-renamed.md",
        "---\ntitle: A\n---\nText.\n",
    );
    p.ok(&["mark", "a", "--lang", "es,fr,it,ja"]);
    p.file(
        "translations/it/a.md",
        "---\ntitle: A\nstatus: draft\n---\nTesto.\n",
    );
    age();
    let shows = |p: &Publication| {
        (
            p.ok(&["show", "a"]).stdout,
            p.ok(&["show", "a", "--format", "json"]).stdout,
        )
    };
    let scratch = shows(&p);
    assert!(scratch.0.contains("M. R."), "{}", scratch.0);
    p.ok(&["status"]);
    assert!(p.exists(".tandem/cache/results.bin"));
    assert_eq!(shows(&p), scratch, "from the stored results");
    // An up-to-date translation edited: its language is judged again, the others stored.
    p.file("translations/es/a.md", "---\ntitle: A\ntranslator: M. R.\nsource_hash: 0123456789abcdef0123456789abcdef\n---\nTexto.\n");
    age();
    let edited = shows(&p);
    assert_ne!(edited, scratch);
    let _ = std::fs::remove_dir_all(p.path(".tandem/cache"));
    assert_eq!(shows(&p), edited, "from scratch after the edit");
    p.ok(&["status"]);
    assert_eq!(shows(&p), edited, "stored after the edit");
    // A translation filed under another name (`id: a`) is not where the layout puts it: the
    // article is judged again alone, and says the same.
    std::fs::remove_file(p.path("translations/fr/a.md")).unwrap();
    p.file(
        "translations/fr/other-name.md",
        "---\nid: a\ntitle: A\ntranslator: H. V.\n---\nTexte.\n",
    );
    p.ok(&["mark", "a", "--lang", "fr"]);
    age();
    p.ok(&["status"]);
    let stored = shows(&p);
    assert!(
        stored.0.contains("translations/fr/other-name.md"),
        "{}",
        stored.0
    );
    let _ = std::fs::remove_dir_all(p.path(".tandem/cache"));
    assert_eq!(
        shows(&p),
        stored,
        "from scratch, a translation under another name"
    );
}

/// Each command's output (and notes); `scratch`: each one run with no cache at all (then
/// stored by it). `report --manifest` first, when asked, its manifest (without its date) as the
/// first answer.
pub(crate) fn answers(
    p: &Publication,
    scratch: bool,
    manifest: bool,
    commands: &[&[&str]],
) -> Vec<String> {
    let run = |args: &[&str]| {
        if scratch {
            let _ = std::fs::remove_dir_all(p.path(".tandem/cache"));
        }
        let out = p.run(args);
        format!("{}{}", out.stdout, out.stderr)
    };
    let mut out = Vec::new();
    if manifest {
        let path = p.path("manifest.json");
        run(&["report", "--manifest", path.to_str().unwrap()]);
        let text: String = std::fs::read_to_string(&path)
            .unwrap()
            .lines()
            .filter(|l| !l.contains("\"generated\""))
            .collect();
        out.push(text);
    }
    out.extend(commands.iter().map(|c| run(c)));
    out
}

#[test]
fn every_pair_from_stored_results_is_every_pair_from_scratch() {
    let p = Publication::new();
    p.file("tandem.yaml", "languages: [en, de, es, fr, ja]\n");
    p.file("articles/a.md", ORIGINAL);
    p.file(
        "articles/news/b.md",
        "---\ntitle: B\n---\n\nAnother story.\n",
    );
    p.file("articles/c.md", "---\ntitle: C\n---\n\nA third one.\n");
    p.file(
        "translations/es/a.md",
        "---\ntitle: A\ntranslator: M. R.\n---\nTexto.\n",
    );
    p.file("translations/es/news/b.md", "---\ntitle: B\n---\nOtra.\n");
    p.file("translations/fr/a.md", "---\ntitle: A\n---\nTexte.\n");
    p.file(
        "translations/fr/c.md",
        "---\ntitle: C\nstatus: draft\n---\nTrois.\n",
    );
    p.file(
        "translations/ja/a.md",
        "---\ntitle: A\ntranslated_from: es\n---\nテキスト。\n",
    );
    p.file(
        "translations/de/news/b-old.md",
        "---\ntitle: B\n---\nNoch eine.\n",
    );
    p.file("translations/de/c.md", "---\ntitle: [\n---\nKaputt.\n");
    p.ok(&["mark", "a", "--lang", "es,fr,ja"]);
    p.ok(&["mark", "news/b", "--lang", "es"]);
    p.file(
        "articles/news/b.md",
        "---\ntitle: B\n---\n\nAnother story, told again.\n",
    );
    age();
    let asked = |p: &Publication, scratch: bool| {
        let commands: &[&[&str]] = &[
            &["status", "--all"],
            &["status", "--all", "--format", "json"],
            &["status", "--state", "up-to-date"],
            &["status", "--lang", "es", "--all"],
            &["status", "--lang", "fr,de", "--format", "json"],
            &["check", "--format", "json"],
            &["check", "--lang", "de", "--format", "json"],
        ];
        answers(p, scratch, true, commands)
    };
    let cached = |p: &Publication| asked(p, false);
    let fresh = |p: &Publication| asked(p, true);
    let scratch = fresh(&p);
    assert!(scratch[1].contains("up-to-date") && scratch[2].contains("M. R."));
    assert!(p.exists(".tandem/cache/done-es.bin"));
    // The pivot language is judged from another language's files: never stored.
    assert!(!p.exists(".tandem/cache/done-ja.bin"));
    assert_eq!(cached(&p), scratch, "from the stored results");
    assert_eq!(cached(&p), scratch, "again");

    // One language judged again, the others from their stored pairs.
    p.file(
        "translations/fr/a.md",
        "---\ntitle: A\ntranslator: H. V.\nsource_hash: 0123456789abcdef0123456789abcdef\n---\nTexte.\n",
    );
    age();
    let edited = cached(&p);
    assert_ne!(edited, scratch);
    assert_eq!(cached(&p), edited);
    assert_eq!(fresh(&p), edited, "from scratch after the edit");

    // Another language's stored pairs in a language's place: not theirs, not used.
    cached(&p);
    std::fs::copy(
        p.path(".tandem/cache/done-es.bin"),
        p.path(".tandem/cache/done-fr.bin"),
    )
    .unwrap();
    assert_eq!(cached(&p), edited, "a foreign file of stored pairs");
    // Stored pairs from before the originals changed: not used either.
    let before = std::fs::read(p.path(".tandem/cache/done-es.bin")).unwrap();
    p.file(
        "articles/c.md",
        "---\ntitle: C\n---\n\nA third one, longer now.\n",
    );
    age();
    let changed = cached(&p);
    std::fs::write(p.path(".tandem/cache/done-es.bin"), before).unwrap();
    assert_eq!(cached(&p), changed, "stored pairs of an earlier run");
    assert_eq!(fresh(&p), changed);
}

/// An edited original's pairs are judged again alone, in every language's stored results
/// (the others are not paired again, and the files of stored up-to-date pairs are not
/// rewritten), and every command answers as it would from scratch: after an edit, an edit
/// made within the timestamp tick, an edit that changes what orphans are compared with, and
/// an edit undone.
#[test]
fn an_edited_original_is_judged_again_alone_and_answers_as_from_scratch() {
    let p = Publication::new();
    p.file("tandem.yaml", "languages: [en, de, es, fr]\n");
    p.file(
        "articles/a.md",
        "---\ntitle: A\n---\n\nThe first paragraph of the story.\n\nA second paragraph, with more words in it.\n",
    );
    let b = "---\ntitle: B\n---\n\nAnother story, told in full here.\n\nIts second part, told as well.\n\nAnd a third part to end it.\n";
    p.file("articles/news/b.md", b);
    p.file("articles/news/c.md", "---\ntitle: C\n---\n\nA third one.\n");
    p.file(
        "translations/es/a.md",
        "---\ntitle: A\ntranslator: M. R.\n---\nTexto.\n",
    );
    p.file("translations/fr/a.md", "---\ntitle: A\n---\nTexte.\n");
    p.file(
        "translations/de/a.md",
        "---\ntitle: A\nstatus: draft\n---\n\nThe first paragraph of the story.\n\nZweiter Absatz.\n",
    );
    // Two Spanish files for one article: one pair, one invalid file counted with its words.
    p.file("translations/es/news/b.md", "---\ntitle: B\n---\nOtra.\n");
    p.file(
        "translations/es/news/b-copy.md",
        "---\ntitle: B\nid: news/b\n---\nOtra más.\n",
    );
    // A French "translation" that is the original word for word: a warning while it is.
    p.file(
        "translations/fr/news/b.md",
        b.replace("title: B", "title: B\ntranslator: Copy"),
    );
    // An orphan with the numbers and link C will have.
    p.file(
        "translations/de/old.md",
        "---\ntitle: Old\n---\nAlt, 1871, 1872, 1873, [c](https://example.org/c).\n",
    );
    p.ok(&["mark", "a", "--lang", "es,fr"]);
    p.ok(&["mark", "news/b", "--lang", "es,fr"]);
    age();
    let asked = |p: &Publication, scratch: bool| {
        let commands: &[&[&str]] = &[
            &["status"],
            &["status", "--all", "--format", "json"],
            &["status", "--state", "up-to-date"],
            &["coverage", "--by", "section", "--format", "json"],
            &["check", "--format", "json"],
            &["show", "a"],
        ];
        answers(p, scratch, true, commands)
    };
    let done = |lang: &str| std::fs::read(p.path(&format!(".tandem/cache/done-{lang}.bin"))).ok();
    let start = asked(&p, true);
    assert!(start[2].contains("looks like a copy"), "{}", start[2]);
    assert_eq!(asked(&p, false), start);
    let stored: Vec<_> = ["de", "es", "fr"].map(done).into();
    assert!(stored.iter().all(Option::is_some));

    // A paragraph longer: the Spanish and French pairs outdated, the draft's work and every
    // count of its words changed.
    p.file(
        "articles/a.md",
        "---\ntitle: A\n---\n\nThe first paragraph of the story.\n\nA second paragraph, with many more words in it than before.\n",
    );
    age();
    let edited = asked(&p, false);
    assert_ne!(edited, start);
    assert!(edited[1].contains("outdated"), "{}", edited[1]);
    let unchanged: Vec<_> = ["de", "es", "fr"].map(done).into();
    assert_eq!(
        unchanged, stored,
        "stored up-to-date pairs are not written again"
    );
    assert_eq!(asked(&p, true), edited, "from scratch after the edit");

    // Edited within the timestamp tick (nothing of it can be stored): the same answers.
    asked(&p, false);
    let stored: Vec<_> = ["de", "es", "fr"].map(done).into();
    p.file("articles/news/b.md", format!("{b}\nA fourth part, new.\n"));
    let quick = asked(&p, false);
    assert!(quick[2].contains("looks like a copy"), "{}", quick[2]);
    assert_eq!(["de", "es", "fr"].map(done).to_vec(), stored);
    assert_eq!(asked(&p, true), quick, "from scratch after the quick edit");

    // What orphans are compared with (numbers, links, code): the German orphan's language is
    // paired again, the others are not.
    age();
    asked(&p, false);
    let stored: Vec<_> = ["de", "es", "fr"].map(done).into();
    p.file(
        "articles/news/c.md",
        "---\ntitle: C\n---\n\nA third one, from 1871, 1872 and 1873, see [c](https://example.org/c).\n",
    );
    age();
    let signed = asked(&p, false);
    assert!(
        signed[2].contains("looks like the translation of `news/c`"),
        "{}",
        signed[2]
    );
    assert_ne!(
        done("de"),
        stored[0],
        "the orphan's language is paired again"
    );
    assert_eq!(done("es"), stored[1]);
    assert_eq!(
        asked(&p, true),
        signed,
        "from scratch after the signature changed"
    );

    // Undone: the translations of what they were made from are up to date again (and the
    // copy no longer looks like one once its original is rewritten).
    asked(&p, false);
    p.file(
        "articles/a.md",
        "---\ntitle: A\n---\n\nThe first paragraph of the story.\n\nA second paragraph, with more words in it.\n",
    );
    p.file(
        "articles/news/b.md",
        "---\ntitle: B\n---\n\nA story told anew.\n\nIn other words.\n\nAnd other parts.\n",
    );
    age();
    let undone = asked(&p, false);
    assert!(undone[3].contains("es"), "{}", undone[3]);
    assert!(!undone[2].contains("looks like a copy"), "{}", undone[2]);
    assert_eq!(
        asked(&p, true),
        undone,
        "from scratch after the edit was undone"
    );
}

/// An edited translation's pair is judged again alone in its language's stored results (which
/// are not written again), and every command answers as it would from scratch: a translator
/// changed, a draft further along, a copy of the original, a stamp that matches no snapshot; a
/// translation that takes another id, or cannot be read, pairs its language whole.
#[test]
fn an_edited_translation_is_judged_again_alone_and_answers_as_from_scratch() {
    let p = Publication::new();
    p.file("tandem.yaml", "languages: [en, es, fr]\n");
    let a = "---\ntitle: A\n---\n\nThe first paragraph of the story.\n\nA second paragraph, with more words in it.\n\nAnd a third.\n";
    p.file("articles/a.md", a);
    p.file(
        "articles/news/b.md",
        "---\ntitle: B\n---\n\nAnother story.\n",
    );
    p.file(
        "translations/es/a.md",
        "---\ntitle: A\ntranslator: M. R.\n---\nTexto.\n",
    );
    p.file(
        "translations/fr/a.md",
        "---\ntitle: A\nstatus: draft\n---\n\nThe first paragraph of the story.\n\nDeuxième.\n",
    );
    p.file("translations/es/news/b.md", "---\ntitle: B\n---\nOtra.\n");
    p.ok(&["mark", "a", "--lang", "es"]);
    p.ok(&["mark", "news/b", "--lang", "es"]);
    age();
    let asked = |p: &Publication, scratch: bool| {
        let commands: &[&[&str]] = &[
            &["status"],
            &["status", "--all", "--format", "json"],
            &["coverage", "--by", "section", "--format", "json"],
            &["check", "--format", "json"],
        ];
        answers(p, scratch, false, commands)
    };
    let results = || std::fs::read(p.path(".tandem/cache/results.bin")).unwrap();
    assert_eq!(asked(&p, false), asked(&p, true));
    asked(&p, false);
    let mut stored = results();
    let stamp = |path: &str| {
        let text = p.read(path);
        let line = text
            .lines()
            .find(|l| l.starts_with("source_hash:"))
            .unwrap();
        line.to_string()
    };
    let es_a = stamp("translations/es/a.md");
    let edits: Vec<(&str, String)> = vec![
        (
            "translations/es/a.md",
            format!("---\ntitle: A\ntranslator: A. N.\n{es_a}\n---\nTexto nuevo.\n"),
        ),
        (
            "translations/fr/a.md",
            "---\ntitle: A\nstatus: draft\n---\n\nPremier.\n\nDeuxième.\n".to_string(),
        ),
        (
            "translations/es/news/b.md",
            "---\ntitle: B\nsource_hash: 0123456789abcdef0123456789abcdef\n---\nOtra.\n"
                .to_string(),
        ),
        (
            "translations/fr/a.md",
            a.replace("title: A", "title: A\nstatus: done"),
        ),
    ];
    for (path, text) in &edits {
        p.file(path, text);
        let answers = asked(&p, false);
        assert_eq!(
            results(),
            stored,
            "the stored results stay as they are: {path}"
        );
        assert_eq!(
            answers,
            asked(&p, true),
            "as from scratch after editing {path}"
        );
        // Stored again from scratch, the edit included, for the next one.
        age();
        asked(&p, false);
        stored = results();
    }
    let last = asked(&p, false);
    assert!(
        last[1].contains("A. N.") && last[1].contains("looks like a copy"),
        "{}",
        last[1]
    );
    assert!(last[0].contains("matches no snapshot"), "{}", last[0]);

    // Another id, then unreadable: the language is paired whole, from scratch's answer.
    for text in [
        "---\ntitle: B\nid: a\n---\nOtra.\n",
        "---\ntitle: [\n---\nOtra.\n",
    ] {
        p.file("translations/es/news/b.md", text);
        let answers = asked(&p, false);
        assert_eq!(answers, asked(&p, true), "as from scratch: {text}");
    }
}

/// The names of the snapshot files, which the snapshots' cache shard remembers by path.
fn snapshot_names(p: &Publication) -> Vec<String> {
    let mut names = Vec::new();
    let mut dirs = vec![p.path(".tandem/snapshots")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            match path.is_dir() {
                true => dirs.push(path),
                false => names.push(entry.file_name().to_string_lossy().into_owned()),
            }
        }
    }
    names.sort();
    names
}

/// A run that judges some pairs alone looks up only their snapshots: the digests remembered of
/// every other snapshot are kept, not forgotten until the next run that pairs everything.
#[test]
fn judging_some_pairs_alone_keeps_what_is_remembered_of_the_other_snapshots() {
    let p = Publication::three_languages();
    p.file("articles/a.md", ORIGINAL);
    p.file("articles/b.md", ORIGINAL.replace("Paris", "Lyon"));
    for id in ["a", "b"] {
        p.file(
            &format!("translations/es/{id}.md"),
            "---\ntitle: A\n---\nTexto.\n",
        );
    }
    p.ok(&["mark", "a", "--lang", "es"]);
    p.ok(&["mark", "b", "--lang", "es"]);
    // Both outdated: what changed in each is measured against its snapshot.
    p.file("articles/a.md", format!("{ORIGINAL}\nA new paragraph.\n"));
    p.file(
        "articles/b.md",
        format!("{}\nA new paragraph.\n", ORIGINAL.replace("Paris", "Lyon")),
    );
    age();
    // What status says, and how many pairs it finds outdated.
    let outdated = |p: &Publication| {
        let out = p.ok(&["status", "--format", "json"]).stdout;
        let n = out.matches("\"state\": \"outdated\"").count();
        (out, n)
    };
    let (whole, n) = outdated(&p);
    assert_eq!(n, 2, "{whole}");
    let names = snapshot_names(&p);
    assert_eq!(names.len(), 2);
    let shard = || std::fs::read(p.path(".tandem/cache/snapshots.bin")).unwrap_or_default();
    let remembered = |bytes: &[u8]| {
        names
            .iter()
            .filter(|n| bytes.windows(n.len()).any(|w| w == n.as_bytes()))
            .count()
    };
    assert_eq!(remembered(&shard()), 2, "a run that pairs everything");

    // One original edited again: its pairs alone are judged, with its snapshot alone.
    p.file(
        "articles/b.md",
        format!(
            "{}\nAnother new paragraph.\n",
            ORIGINAL.replace("Paris", "Lyon")
        ),
    );
    age();
    let (alone, n) = outdated(&p);
    assert_eq!(n, 2, "{alone}");
    assert_eq!(remembered(&shard()), 2, "both snapshots still remembered");
    assert_eq!(outdated(&p).0, alone);

    // A snapshot nothing needs any more, removed: the next run that pairs everything forgets it.
    p.ok(&["mark", "b", "--lang", "es"]);
    p.ok(&["gc"]);
    age();
    let (after, n) = outdated(&p);
    assert_eq!(n, 1, "{after}");
    assert_eq!(remembered(&shard()), 1, "the removed snapshot is forgotten");
}
