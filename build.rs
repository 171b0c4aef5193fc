//! Records the commit tandem is built from, for `tandem --version`.

use std::process::Command;

fn main() {
    let commit = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    let dirty = Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=no"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .is_some_and(|o| !o.stdout.is_empty());
    let value = match commit {
        Some(c) if dirty => format!("{c}, modified"),
        Some(c) => c,
        None => "commit unknown".to_string(),
    };
    println!("cargo:rustc-env=TANDEM_COMMIT={value}");
    // Again when HEAD moves or the index changes (a commit, a checkout).
    for path in [".git/HEAD", ".git/index", ".git/packed-refs"] {
        println!("cargo:rerun-if-changed={path}");
    }
    if let Ok(head) = std::fs::read_to_string(".git/HEAD") {
        if let Some(r) = head.trim().strip_prefix("ref: ") {
            println!("cargo:rerun-if-changed=.git/{r}");
        }
    }
}
