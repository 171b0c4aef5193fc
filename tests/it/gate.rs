//! coverage, check and the HTML report.

use crate::Publication;

/// A publication with known numbers:
/// - a (100 words, en, targets es, fr): es up to date, fr outdated
/// - b (50 words, en, targets es only): es missing
/// - c (30 words, es, targets en, fr): en draft, fr missing
/// - news/d (20 words, en, targets es, fr): es up to date, fr up to date
fn known(required: &str) -> Publication {
    let p = Publication::new();
    p.file(
        "tandem.yaml",
        format!("languages: [en, es, fr]\nrequired: [{required}]\n"),
    );
    let words = |n: usize| {
        (0..n)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    p.file("articles/a.md", format!("---\n---\n{}\n", words(100)));
    p.file(
        "articles/b.md",
        format!("---\ntranslate_to: [es]\n---\n{}\n", words(50)),
    );
    p.file(
        "articles/c.md",
        format!("---\nlang: es\n---\n{}\n", words(30)),
    );
    p.file("articles/news/d.md", format!("---\n---\n{}\n", words(20)));
    for (id, lang) in [("a", "es"), ("a", "fr"), ("news/d", "es"), ("news/d", "fr")] {
        p.file(
            &format!("translations/{lang}/{id}.md"),
            "---\n---\nTranslated.\n",
        );
        p.ok(&["mark", id, "--lang", lang]);
    }
    p.file(
        "articles/a.md",
        format!("---\n---\n{} changed\n", words(100)),
    );
    p.ok(&["mark", "a", "--lang", "es"]);
    p.ok(&["new", "c", "--lang", "en"]);
    p
}

fn row<'a>(json: &'a serde_json::Value, lang: &str) -> &'a serde_json::Value {
    json["languages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["lang"] == lang)
        .unwrap()
}

#[test]
fn coverage_arithmetic() {
    let p = known("es");
    let json = p.ok(&["coverage", "--format", "json"]).json();
    assert_eq!(json["version"], 1);
    let es = row(&json, "es");
    assert_eq!(es["total"], 3);
    assert_eq!(es["up-to-date"], 2);
    assert_eq!(es["missing"], 1);
    assert_eq!(es["coverage"], 66.7);
    assert_eq!(es["words_total"], 171);
    assert_eq!(es["words_up_to_date"], 121);
    assert_eq!(es["coverage_words"], 70.8);
    let fr = row(&json, "fr");
    assert_eq!(
        (
            fr["total"].as_u64(),
            fr["outdated"].as_u64(),
            fr["missing"].as_u64(),
            fr["up-to-date"].as_u64()
        ),
        (Some(3), Some(1), Some(1), Some(1))
    );
    assert_eq!(fr["coverage"], 33.3);
    assert_eq!(fr["words_total"], 151);
    assert_eq!(fr["coverage_words"], 13.2);
    let en = row(&json, "en");
    assert_eq!(
        (en["total"].as_u64(), en["draft"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(en["coverage"], 0.0);
    insta::assert_snapshot!(p.run(&["coverage"]).all());
    insta::assert_snapshot!(p.run(&["coverage", "--format", "markdown"]).all());
}

#[test]
fn coverage_by_section() {
    let p = known("es");
    let json = p
        .ok(&[
            "coverage", "--by", "section", "--format", "json", "--lang", "fr",
        ])
        .json();
    let rows: Vec<(String, u64, f64)> = json["languages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["section"].as_str().unwrap().to_string(),
                r["total"].as_u64().unwrap(),
                r["coverage"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            ("(top)".to_string(), 2, 0.0),
            ("news".to_string(), 1, 100.0)
        ]
    );
}

#[test]
fn coverage_minimums() {
    let p = known("es");
    assert_eq!(p.run(&["coverage", "--min", "30"]).code, 1, "en is at 0%");
    assert_eq!(p.run(&["coverage", "--min", "60", "--lang", "es"]).code, 0);
    let r = p.run(&["coverage", "--min", "70", "--lang", "es"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("es 66.7% < 70%"), "{}", r.stderr);
    assert_eq!(p.run(&["coverage", "--min", "101"]).code, 2);
    // Per-language minimums in tandem.yaml.
    p.file(
        "tandem.yaml",
        "languages: [en, es, fr]\nmin_coverage: { es: 60, fr: 30 }\n",
    );
    assert_eq!(p.run(&["coverage"]).code, 0);
    p.file(
        "tandem.yaml",
        "languages: [en, es, fr]\nmin_coverage: { es: 90 }\n",
    );
    assert_eq!(p.run(&["coverage"]).code, 1);
    assert_eq!(p.run(&["coverage", "--lang", "fr"]).code, 0);
    p.file(
        "tandem.yaml",
        "languages: [en, es, fr]\nmin_coverage: { de: 90 }\n",
    );
    assert_eq!(p.run(&["coverage"]).code, 2);
}

#[test]
fn check_default_policy() {
    // fr is outdated: fails whatever is required.
    let p = known("");
    let r = p.run(&["check"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(
        r.stdout
            .contains("error: translations/fr/a.md: a (fr) is outdated"),
        "{}",
        r.stdout
    );
    // Missing in languages that are not required is not a problem; drafts are warnings.
    assert!(!r.stdout.contains("has no"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("warning: translations/en/c.md: c (en) is a draft"),
        "{}",
        r.stdout
    );
    // Bring fr up to date: now clean.
    p.ok(&["mark", "a", "--lang", "fr"]);
    let r = p.run(&["check"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(
        r.stdout.contains("check passed: 0 problems, 1 warning"),
        "{}",
        r.stdout
    );
    // Required languages must be complete.
    p.file("tandem.yaml", "languages: [en, es, fr]\nrequired: [es]\n");
    let r = p.run(&["check"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("b has no es translation"), "{}", r.stdout);
    assert_eq!(p.run(&["check", "--lang", "fr"]).code, 0);
}

#[test]
fn check_fail_on_policies() {
    let p = known("");
    p.ok(&["mark", "a", "--lang", "fr"]);
    assert_eq!(p.run(&["check"]).code, 0);
    assert_eq!(p.run(&["check", "--fail-on", "draft"]).code, 1);
    assert_eq!(p.run(&["check", "--fail-on", "default,draft"]).code, 1);
    assert_eq!(
        p.run(&["check", "--fail-on", "missing"]).code,
        1,
        "missing named fails everywhere"
    );
    assert_eq!(
        p.run(&["check", "--fail-on", "outdated", "--fail-on", "untracked"])
            .code,
        0
    );
    let r = p.run(&["check", "--fail-on", "bogus"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unknown state `bogus`"), "{}", r.stderr);
    p.file(
        "tandem.yaml",
        "languages: [en, es, fr]\nfail_on: [default, draft]\n",
    );
    assert_eq!(p.run(&["check"]).code, 1);
    p.file(
        "tandem.yaml",
        "languages: [en, es, fr]\nfail_on: [drafty]\n",
    );
    let r = p.run(&["check"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("tandem.yaml:2:1"), "{}", r.stderr);
}

#[test]
fn check_invalid_and_orphaned_fail() {
    let p = known("");
    p.ok(&["mark", "a", "--lang", "fr"]);
    p.file(
        "translations/fr/gone.md",
        "---\nsource_hash: x\n---\nTexte.\n",
    );
    assert_eq!(p.run(&["check"]).code, 1);
    std::fs::remove_file(p.path("translations/fr/gone.md")).unwrap();
    p.file("translations/fr/news/d.md", "---\ntitle: [broken\n---\n");
    let r = p.run(&["check"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("translations/fr/news/d.md"),
        "{}",
        r.stdout
    );
}

#[test]
fn check_formats() {
    let p = known("es");
    insta::assert_snapshot!("check_human", p.run(&["check"]).all());
    insta::assert_snapshot!(
        "check_github",
        p.run(&["check", "--format", "github"]).all()
    );
    insta::assert_snapshot!(
        "check_markdown",
        p.run(&["check", "--format", "markdown"]).all()
    );
    let json = p.run(&["check", "--format", "json"]);
    assert_eq!(json.code, 1);
    let json = json.json();
    assert_eq!(json["version"], 1);
    assert_eq!(json["passed"], false);
    let items: Vec<String> = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            format!(
                "{}/{}/{}/{}",
                i["id"].as_str().unwrap(),
                i["lang"].as_str().unwrap(),
                i["state"].as_str().unwrap(),
                i["severity"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        items,
        vec![
            "a/fr/outdated/error",
            "b/es/missing/error",
            "c/en/draft/warning"
        ]
    );
    assert_eq!(json["summary"]["counts"]["up-to-date"], 3);
}

#[test]
fn github_format_escapes_injected_commands() {
    let p = Publication::three_languages();
    p.file("articles/a.md", "---\ntitle: x\n---\nText.\n");
    p.file("translations/es/a.md", "---\ntitle: \"Evil\\n::error file=x::injected, 100%\"\nsource_hash: nope\nstatus: \"done\\n::warning::x\"\n---\nTexto.\n");
    let out = p.run(&["check", "--format", "github"]).stdout;
    for line in out.lines() {
        assert!(
            line.starts_with("::error file=") || line.starts_with("::warning file="),
            "{out}"
        );
    }
    assert_eq!(out.lines().count(), 1, "{out}");
}

#[test]
fn html_report_has_every_pair() {
    let p = known("es");
    p.file(
        "translations/fr/orphan.md",
        "---\ntitle: \"<script>alert(1)</script>\"\n---\nx\n",
    );
    p.file(
        "articles/e.md",
        "---\ntitle: \"<b>bold</b> & <script>alert(1)</script>\"\n---\nText.\n",
    );
    let r = p.ok(&["report", "--html", "site/report"]);
    assert!(
        r.stdout.contains("wrote site/report/index.html"),
        "{}",
        r.stdout
    );
    let html = p.read("site/report/index.html");
    assert!(!html.contains("<script>alert"), "titles are escaped");
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "self-contained"
    );
    let doc = scraper::Html::parse_document(&html);
    let rows = scraper::Selector::parse(".matrix tbody tr").unwrap();
    let cells = scraper::Selector::parse("td").unwrap();
    let link = scraper::Selector::parse("a").unwrap();
    let mut seen = Vec::new();
    for row in doc.select(&rows) {
        let id = row.value().attr("data-id").unwrap().to_string();
        for cell in row.select(&cells) {
            let lang = cell.value().attr("data-lang").unwrap();
            let state = cell.value().attr("data-state").unwrap();
            if let Some(a) = cell.select(&link).next() {
                let href = a.value().attr("href").unwrap();
                assert!(href.starts_with("../../"), "{href}");
                assert!(p.exists(&href[6..]), "link to a file that exists: {href}");
            }
            seen.push(format!("{id}/{lang}/{state}"));
        }
    }
    let expected: Vec<String> = p
        .states()
        .into_iter()
        .map(|(id, lang, state)| format!("{id}/{lang}/{state}"))
        .collect();
    for e in &expected {
        assert!(seen.contains(e), "{e} not in the report: {seen:?}");
    }
    assert!(seen.contains(&"a/en/original".to_string()));
    assert!(seen.contains(&"b/fr/none".to_string()));
    let cov = scraper::Selector::parse(".lang[data-lang=es] .coverage").unwrap();
    assert_eq!(
        doc.select(&cov).next().unwrap().text().collect::<String>(),
        "50%"
    );
}
