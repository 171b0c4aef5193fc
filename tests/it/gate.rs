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

/// The report's data: what the page's script draws the matrix from.
pub fn report_data(html: &str) -> serde_json::Value {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("script#data[type='application/json']").unwrap();
    let text: String = doc.select(&sel).next().expect("the data").text().collect();
    serde_json::from_str(&text).expect("the data is JSON")
}

/// Every cell of the matrix as `id/lang/state` with the file it links to, rebuilt as the page's
/// script does (a path left out follows the language's template).
pub fn report_cells(data: &serde_json::Value) -> Vec<(String, Option<String>)> {
    let langs = data["langs"].as_array().unwrap();
    let states = data["states"].as_array().unwrap();
    let mut out = Vec::new();
    for row in data["rows"].as_array().unwrap() {
        let id = row[0].as_str().unwrap();
        for (l, cell) in row[4].as_array().unwrap().iter().enumerate() {
            let lang = langs[l].as_str().unwrap();
            let (state, path) = match cell {
                serde_json::Value::Number(n) if n.as_u64() == Some(1) => {
                    ("original", row[2].as_str().map(String::from))
                }
                serde_json::Value::Number(_) => ("none", None),
                c => {
                    let t = &data["templates"][l];
                    let path = match c.get(3).and_then(|v| v.as_str()) {
                        Some(p) => Some(p.to_string()),
                        None => Some(format!(
                            "{}{id}{}",
                            t[0].as_str().unwrap(),
                            t[1].as_str().unwrap()
                        )),
                    };
                    (
                        states[c[0].as_u64().unwrap() as usize].as_str().unwrap(),
                        path,
                    )
                }
            };
            out.push((format!("{id}/{lang}/{state}"), path));
        }
    }
    out
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
        "---\ntitle: \"<b>bold</b> & </script><script>alert(1)</script>\"\n---\nText.\n",
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
        !html.contains("</script><script>"),
        "titles cannot end the data"
    );
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "self-contained"
    );
    let data = report_data(&html);
    assert_eq!(
        data["base"], "../../",
        "links relative to the report's folder"
    );
    assert_eq!(data["history"], serde_json::Value::Null);
    let mut seen = Vec::new();
    for (cell, path) in report_cells(&data) {
        if let Some(path) = &path {
            if !cell.ends_with("/missing") {
                assert!(p.exists(path), "{cell} links to a file that exists: {path}");
            }
        }
        seen.push(cell);
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
    // A missing translation links to where it would be created.
    let missing = report_cells(&data)
        .into_iter()
        .find(|(c, _)| c == "b/es/missing")
        .unwrap();
    assert_eq!(missing.1.as_deref(), Some("translations/es/b.md"));
    let doc = scraper::Html::parse_document(&html);
    let cov = scraper::Selector::parse(".lang[data-lang=es] .coverage").unwrap();
    assert_eq!(
        doc.select(&cov).next().unwrap().text().collect::<String>(),
        "50%"
    );
    // Required languages are marked; the legend names every state.
    let req = scraper::Selector::parse(".lang[data-lang=es] h2 .req").unwrap();
    assert_eq!(doc.select(&req).count(), 1);
    let req_fr = scraper::Selector::parse(".lang[data-lang=fr] h2 .req").unwrap();
    assert_eq!(doc.select(&req_fr).count(), 0);
    assert_eq!(data["required"], serde_json::json!(["es"]));
    let legend = scraper::Selector::parse(".legend li[data-state]").unwrap();
    let named: Vec<&str> = doc
        .select(&legend)
        .map(|li| li.value().attr("data-state").unwrap())
        .collect();
    assert_eq!(
        named,
        [
            "up-to-date",
            "outdated",
            "missing",
            "draft",
            "untracked",
            "orphaned",
            "invalid"
        ]
    );
    // Sections to filter by.
    let sections = scraper::Selector::parse("#sec option").unwrap();
    let names: Vec<String> = doc.select(&sections).map(|o| o.text().collect()).collect();
    assert_eq!(names, ["All sections", "(top)", "news"]);
}

#[test]
fn a_published_report_links_under_the_link_base() {
    let p = known("es");
    p.ok(&[
        "report",
        "--html",
        "site",
        "--link-base",
        "https://github.com/owner/paper/blob/main/",
    ]);
    let data = report_data(&p.read("site/index.html"));
    assert_eq!(data["base"], "https://github.com/owner/paper/blob/main/");
    assert_eq!(
        data["history"],
        "https://github.com/owner/paper/commits/main/"
    );
    assert_eq!(
        data["create"],
        "https://github.com/owner/paper/new/main?filename="
    );
    // A site in a folder of its repository; GitLab's shape; a plain URL gives files only.
    for (base, history, create) in [
        (
            "https://github.com/o/r/blob/v2/site",
            Some("https://github.com/o/r/commits/v2/site/"),
            Some("https://github.com/o/r/new/v2?filename=site/"),
        ),
        (
            "https://gitlab.com/o/r/-/blob/main/",
            Some("https://gitlab.com/o/r/-/commits/main/"),
            Some("https://gitlab.com/o/r/-/new/main/?file_name="),
        ),
        ("https://example.org/files/", None, None),
    ] {
        p.ok(&["report", "--html", "site", "--link-base", base]);
        let data = report_data(&p.read("site/index.html"));
        assert_eq!(data["history"].as_str(), history, "{base}");
        assert_eq!(data["create"].as_str(), create, "{base}");
    }
    // A report written outside the project still links relatively.
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("r");
    p.ok(&["report", "--html", dir.to_str().unwrap()]);
    let data = report_data(&std::fs::read_to_string(dir.join("index.html")).unwrap());
    let base = data["base"].as_str().unwrap();
    assert!(base.starts_with("../"), "{base}");
    let resolved = dir.join(base.replace("%20", " ")).join("articles/a.md");
    assert!(
        resolved.exists(),
        "{base} from {} reaches the project",
        dir.display()
    );
}

#[test]
fn report_writes_a_badge_and_a_manifest() {
    let p = known("es");
    // Draft es for b, outdated fr for a.
    p.file(
        "translations/es/b.md",
        "---\nstatus: draft\n---\nBorrador.\n",
    );
    p.ok(&["mark", "a", "--lang", "fr"]);
    p.file(
        "articles/a.md",
        format!(
            "---\n---\n{}\nOne more sentence.\n",
            (0..100)
                .map(|i| format!("w{i}"))
                .collect::<Vec<_>>()
                .join(" ")
        ),
    );
    let r = p.ok(&[
        "report",
        "--badge",
        "out/badge.svg",
        "--manifest",
        "data/tandem.json",
        "--link-base",
        "https://github.com/o/paper/blob/main/",
    ]);
    assert!(
        r.stdout.contains("wrote out/badge.svg (translations "),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("wrote data/tandem.json ("),
        "{}",
        r.stdout
    );
    assert!(!p.exists("index.html"), "no dashboard unless asked");
    let counts = p.ok(&["coverage", "--format", "json"]).json();
    let (up, total) = counts["languages"]
        .as_array()
        .unwrap()
        .iter()
        .fold((0, 0), |(u, t), l| {
            (
                u + l["up-to-date"].as_u64().unwrap(),
                t + l["total"].as_u64().unwrap(),
            )
        });
    let percent = up * 100 / total;
    let svg = p.read("out/badge.svg");
    assert!(
        svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
        "{svg}"
    );
    assert!(
        svg.contains(&format!("aria-label=\"translations: {percent}%\"")),
        "{percent}%: {svg}"
    );
    let manifest: serde_json::Value = serde_json::from_str(&p.read("data/tandem.json")).unwrap();
    crate::schemas::assert_fits("manifest.json", &manifest, "report --manifest");
    let a_fr = &manifest["pages"]["fr"]["a"];
    assert_eq!(a_fr["state"], "outdated");
    assert_eq!(a_fr["stale"], true);
    assert_eq!(a_fr["translation"], "translations/fr/a.md");
    assert_eq!(a_fr["original"], "articles/a.md");
    assert_eq!(a_fr["original_lang"], "en");
    assert_eq!(
        a_fr["original_url"],
        "https://github.com/o/paper/blob/main/articles/a.md"
    );
    assert_eq!(a_fr["changed"]["paragraphs"], 1);
    assert_eq!(a_fr["baseline"]["kind"], "stamp");
    assert_eq!(manifest["pages"]["es"]["b"]["state"], "draft");
    assert_eq!(manifest["pages"]["es"]["b"]["stale"], true);
    // Only translated pages: no entry for a missing translation, none for originals.
    let count: usize = manifest["pages"]
        .as_object()
        .unwrap()
        .values()
        .map(|m| m.as_object().unwrap().len())
        .sum();
    let translated = p.states().iter().filter(|(_, _, s)| s != "missing").count();
    assert_eq!(count, translated);
    // A report with nothing to write is refused.
    let r = p.run(&["report"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("--html"), "{}", r.stderr);
}
