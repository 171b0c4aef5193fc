//! Integration tests: small publications built in temp dirs, the built binary run on them.

mod bad_input;
mod baselines;
mod cache;
mod commands;
#[path = "../../examples/corpus.rs"]
#[allow(dead_code)]
mod corpus;
mod diff;
mod gate;
mod hostile;
mod impact;
mod layouts;
mod mark;
mod renames;
mod safety;
mod schemas;
mod states;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The binary under test: the one built with the tests, or `TANDEM_TEST_BIN` (to show that a
/// test fails on another build, such as an earlier version).
pub fn tandem_bin() -> PathBuf {
    std::env::var_os("TANDEM_TEST_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_tandem")))
}

/// A publication in a temporary directory.
pub struct Publication {
    /// The temporary folder, removed when the publication is dropped (`None`: a folder inside
    /// one the test owns).
    _dir: Option<tempfile::TempDir>,
    root: PathBuf,
}

/// Checks a run's JSON output against its command's schema in `schemas/`: every JSON output of
/// the suite is validated, so a renamed or removed field fails the test that printed it.
fn validate_json(args: &[&str], run: &Run) {
    let json =
        args.windows(2).any(|w| w == ["--format", "json"]) || args.contains(&"--format=json");
    if !json || !(run.code == 0 || run.code == 1) || run.stdout.is_empty() {
        return;
    }
    // The command: the first argument that is neither a global option nor its value.
    let mut rest = args.iter();
    let command = loop {
        match rest.next() {
            Some(&("-C" | "--config" | "--color")) => {
                rest.next();
            }
            Some(a) if a.starts_with('-') => {}
            Some(a) => break *a,
            None => return,
        }
    };
    let base = args.contains(&"--base");
    let Some(schema) = schemas::schema_of(if base { "check --base" } else { command }) else {
        return;
    };
    let Ok(value) = serde_json::from_str::<serde_json::Value>(&run.stdout) else {
        panic!(
            "tandem {args:?} printed JSON that does not parse:\n{}",
            run.stdout
        );
    };
    schemas::assert_fits(schema, &value, &format!("tandem {args:?}"));
}

/// What a run of the binary gave.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!("not JSON ({e}):\n{}\nstderr:\n{}", self.stdout, self.stderr)
        })
    }

    /// stdout, then stderr, then the exit code: one text for a snapshot.
    pub fn all(&self) -> String {
        format!(
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

pub const ORIGINAL: &str = "---\ntitle: Paris Commune Anniversary Forum\ntags: [history]\n---\n\nPARIS, March 20—Two hundred people filled the hall on Saturday\nto mark the anniversary of the Commune.\n\n> \"The Commune is not dead,\" said one speaker.\n\nThe forum ended with a song.\n";

impl Default for Publication {
    fn default() -> Self {
        Self::new()
    }
}

impl Publication {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("articles")).unwrap();
        std::fs::create_dir_all(dir.path().join("translations")).unwrap();
        Publication::in_dir(dir)
    }

    /// A publication in this temporary folder.
    pub fn in_dir(dir: tempfile::TempDir) -> Self {
        Publication {
            root: dir.path().to_path_buf(),
            _dir: Some(dir),
        }
    }

    /// A publication at `root` (created), inside a folder the test owns.
    pub fn in_dir_at(root: PathBuf) -> Self {
        std::fs::create_dir_all(&root).unwrap();
        Publication { _dir: None, root }
    }

    /// A publication with `tandem.yaml` languages en, es, fr.
    pub fn three_languages() -> Self {
        let p = Publication::new();
        p.file("tandem.yaml", "languages: [en, es, fr]\n");
        p
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn file(&self, rel: &str, content: impl AsRef<[u8]>) -> &Self {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
        self
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path(rel).exists()
    }

    pub fn run(&self, args: &[&str]) -> Run {
        let out = Command::new(tandem_bin())
            .args(args)
            .current_dir(self.root())
            .env_remove("NO_COLOR")
            .output()
            .expect("run tandem");
        let run = Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        validate_json(args, &run);
        run
    }

    /// Runs and expects exit 0.
    pub fn ok(&self, args: &[&str]) -> Run {
        let r = self.run(args);
        assert_eq!(r.code, 0, "tandem {args:?} failed:\n{}", r.all());
        r
    }

    /// `status --all --format json` as (id, lang) -> state.
    pub fn states(&self) -> Vec<(String, String, String)> {
        let json = self.ok(&["status", "--all", "--format", "json"]).json();
        json["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["id"].as_str().unwrap().to_string(),
                    i["lang"].as_str().unwrap().to_string(),
                    i["state"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }

    /// The state of one pair.
    pub fn state(&self, id: &str, lang: &str) -> String {
        self.states()
            .into_iter()
            .find(|(i, l, _)| i == id && l == lang)
            .map(|(_, _, s)| s)
            .unwrap_or_else(|| format!("<no pair {id}/{lang}>"))
    }

    /// The item for one pair in `status --all --format json`.
    pub fn item(&self, id: &str, lang: &str) -> serde_json::Value {
        let json = self.ok(&["status", "--all", "--format", "json"]).json();
        find_item(&json, id, lang).unwrap_or_else(|| panic!("no item {id}/{lang} in {json:#}"))
    }

    /// The original's current fingerprint, as `show` reports it.
    pub fn fingerprint(&self, id: &str) -> String {
        let out = self.ok(&["show", id]).stdout;
        out.lines()
            .find_map(|l| l.trim().strip_prefix("fingerprint:"))
            .map(|s| s.trim().to_string())
            .expect("fingerprint line")
    }
}

/// The item for one pair in a `status`/`check` JSON answer, if it lists it.
pub fn find_item(json: &serde_json::Value, id: &str, lang: &str) -> Option<serde_json::Value> {
    json["items"]
        .as_array()?
        .iter()
        .find(|i| i["id"] == id && i["lang"] == lang)
        .cloned()
}
