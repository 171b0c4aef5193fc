//! The JSON Schemas in `schemas/` pin every JSON output: each run of the suite that prints JSON
//! is validated against its command's schema (see `Publication::run`), so removing or renaming
//! a field fails the test that produced it.

use super::*;
use std::sync::OnceLock;

const BASE: &str = "https://tandem.example/schemas/v1/";

/// The schemas' folder.
fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas")
}

/// Resolves `$ref`s between the schemas from the files, never from the network.
struct Files;

impl jsonschema::Retrieve for Files {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<serde_json::Value, Box<dyn std::error::Error + Send + Sync>> {
        let name = uri
            .as_str()
            .strip_prefix(BASE)
            .ok_or_else(|| format!("{uri} is not one of tandem's schemas"))?;
        let text = std::fs::read_to_string(dir().join(name))?;
        Ok(serde_json::from_str(&text)?)
    }
}

fn compile(name: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(dir().join(name)).expect("schema file");
    let schema: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::options()
        .with_retriever(Files)
        .build(&schema)
        .unwrap_or_else(|e| panic!("schemas/{name}: {e}"))
}

/// The schema of what `command` prints with `--format json`.
pub fn schema_of(command: &str) -> Option<&'static str> {
    Some(match command {
        "status" => "status.json",
        "check" => "check.json",
        "check --base" => "impact.json",
        "coverage" => "coverage.json",
        "diff" => "diff.json",
        "show" => "show.json",
        "gc" => "gc.json",
        _ => return None,
    })
}

fn validator(name: &'static str) -> &'static jsonschema::Validator {
    static ALL: OnceLock<std::sync::Mutex<Vec<(&'static str, &'static jsonschema::Validator)>>> =
        OnceLock::new();
    let all = ALL.get_or_init(Default::default);
    let mut all = all.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((_, v)) = all.iter().find(|(n, _)| *n == name) {
        return v;
    }
    let v: &'static jsonschema::Validator = Box::leak(Box::new(compile(name)));
    all.push((name, v));
    v
}

/// Every way `value` breaks the schema, one line each (empty when it fits).
pub fn violations(name: &'static str, value: &serde_json::Value) -> Vec<String> {
    validator(name)
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// Panics with every violation when `value` does not fit the schema.
pub fn assert_fits(name: &'static str, value: &serde_json::Value, what: &str) {
    let v = violations(name, value);
    assert!(
        v.is_empty(),
        "{what}: output does not fit schemas/{name}:\n{}\n{value:#}",
        v.join("\n")
    );
}

#[test]
fn every_schema_compiles_and_is_draft_2020_12() {
    let mut names: Vec<String> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 7, "{names:?}");
    for name in &names {
        let text = std::fs::read_to_string(dir().join(name)).unwrap();
        let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{name}"
        );
        assert_eq!(schema["$id"], format!("{BASE}{name}"), "{name}");
        compile(name);
    }
}

/// The schemas reject what a renamed or removed field looks like: they are not a rubber stamp.
#[test]
fn a_renamed_or_missing_field_breaks_the_schema() {
    let p = Publication::three_languages();
    p.file("articles/a.md", ORIGINAL);
    p.file("translations/es/a.md", "---\ntitle: A\n---\n\nUno.\n");
    let out = p.ok(&["status", "--all", "--format", "json"]).json();
    assert_fits("status.json", &out, "status");
    let mut renamed = out.clone();
    let item = renamed["items"][0].as_object_mut().unwrap();
    let words = item.remove("words").unwrap();
    item.insert("word_count".into(), words);
    let v = violations("status.json", &renamed);
    assert!(v.iter().any(|m| m.contains("word_count")), "{v:?}");
    assert!(v.iter().any(|m| m.contains("words")), "{v:?}");
    let mut missing = out.clone();
    missing["summary"].as_object_mut().unwrap().remove("counts");
    assert!(!violations("status.json", &missing).is_empty());
    let mut bad_state = out;
    bad_state["items"][0]["state"] = "stale".into();
    assert!(!violations("status.json", &bad_state).is_empty());
    // check's items are pairs with a severity: an unknown field is refused there too.
    let r = p.run(&["check", "--format", "json"]);
    let mut check = r.json();
    assert_fits("check.json", &check, "check");
    check["items"][0]["sevrity"] = "error".into();
    let v = violations("check.json", &check);
    assert!(v.iter().any(|m| m.contains("sevrity")), "{v:?}");
    check["items"][0]
        .as_object_mut()
        .unwrap()
        .remove("severity");
    assert!(!violations("check.json", &check).is_empty());
}

/// Every command with JSON output, run once here so that each schema is checked even if no
/// other test happens to use that command's JSON.
#[test]
fn every_json_output_fits_its_schema() {
    let p = Publication::three_languages();
    p.file("articles/paris-commune-forum.md", ORIGINAL);
    p.file(
        "articles/news/strike.md",
        "---\ntitle: Strike\n---\n\nThe strike goes on.\n",
    );
    p.ok(&["new", "paris-commune-forum", "--lang", "es"]);
    p.ok(&["mark", "paris-commune-forum", "--lang", "es"]);
    p.file(
        "articles/paris-commune-forum.md",
        ORIGINAL.replace("Two hundred", "Three hundred"),
    );
    p.file(
        "translations/fr/gone.md",
        "---\ntitle: Parti\n---\n\nRien.\n",
    );
    p.file("translations/fr/news/strike.md", "---\ntitle: [\n---\n");
    for args in [
        &["status", "--format", "json"][..],
        &["status", "--all", "--format", "json"],
        &["check", "--format", "json"],
        &["coverage", "--format", "json"],
        &["coverage", "--by", "section", "--format", "json"],
        &[
            "diff",
            "paris-commune-forum",
            "--lang",
            "es",
            "--format",
            "json",
        ],
        &["show", "paris-commune-forum", "--format", "json"],
        &["gc", "--dry-run", "--format", "json"],
        &["gc", "--format", "json"],
    ] {
        let r = p.run(args);
        assert!(r.code == 0 || r.code == 1, "{args:?}: {}", r.all());
        // `run` has validated it; make sure there was something to validate.
        assert!(
            r.stdout.trim_start().starts_with('{'),
            "{args:?}: {}",
            r.all()
        );
    }
}
