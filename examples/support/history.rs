//! Generates a publication whose record of what each translation was made from is its git
//! history: originals imported in one commit, then thousands of commits over time (translators
//! adding and updating translations a batch at a time, editors changing originals, typo fixes
//! that must not count, side branches merged back, pages renamed with their translations).
//! The history is written with one `git fast-import`, so a 20,000-original corpus with 4,000
//! commits takes a minute, not an hour.
//!
//! A second corpus, made from the first, records each translation's commit in its front matter
//! (`default_lang_commit`, as OpenTelemetry does) for `baseline: {commit_field: …}`.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::corpus::{Words, LANGS, SECTIONS};

/// What was generated, for the bench to point at.
pub struct History {
    /// Commits on the main branch, merges included.
    pub commits: usize,
    /// A translation file, relative to the corpus, to edit in a new commit.
    pub a_translation: String,
}

/// One file change in a commit.
enum Change {
    Write(String, String),
    Rename(String, String),
}

/// A `git fast-import` run in a repository: commits written one after another, an hour apart.
struct Import {
    child: std::process::Child,
    out: std::io::BufWriter<std::process::ChildStdin>,
    mark: usize,
    time: u64,
}

impl Import {
    fn start(dir: &Path) -> Import {
        let mut child = Command::new("git")
            .args(["fast-import", "--quiet", "--export-marks=.git/bench-marks"])
            .current_dir(dir)
            .stdin(Stdio::piped())
            .spawn()
            .expect("git fast-import");
        let out = std::io::BufWriter::with_capacity(1 << 20, child.stdin.take().unwrap());
        Import {
            child,
            out,
            mark: 0,
            time: 1_704_067_200, // 2024-01-01
        }
    }

    /// A commit on `branch` after `from` (and merging `merge`); returns its mark.
    fn commit(
        &mut self,
        branch: &str,
        from: Option<usize>,
        merge: Option<usize>,
        message: &str,
        changes: &[Change],
    ) -> usize {
        self.mark += 1;
        self.time += 3600;
        let (out, mark, time) = (&mut self.out, self.mark, self.time);
        write!(
            out,
            "commit refs/heads/{branch}\nmark :{mark}\nauthor Bench <bench@example.org> {time} +0000\ncommitter Bench <bench@example.org> {time} +0000\ndata {}\n{message}\n",
            message.len()
        )
        .unwrap();
        if let Some(f) = from {
            writeln!(out, "from :{f}").unwrap();
        }
        if let Some(m) = merge {
            writeln!(out, "merge :{m}").unwrap();
        }
        for c in changes {
            match c {
                Change::Write(path, text) => {
                    write!(out, "M 100644 inline {path}\ndata {}\n{text}\n", text.len()).unwrap()
                }
                Change::Rename(from, to) => writeln!(out, "R {from} {to}").unwrap(),
            }
        }
        writeln!(out).unwrap();
        mark
    }

    fn finish(mut self) {
        writeln!(self.out, "done").unwrap();
        self.out.flush().unwrap();
        drop(self.out);
        assert!(
            self.child.wait().unwrap().success(),
            "git fast-import failed"
        );
    }
}

/// The text of original `n` at version `v`: its body with paragraph `v` rewritten, one
/// sentence per version, so every version has a fingerprint of its own.
fn original_text(words: &Words, n: usize, v: usize, typo: bool) -> String {
    let mut rng = fastrand::Rng::with_seed(n as u64 * 7919 + 1);
    let title = words.sentence(&mut rng, 6);
    let body = words.body(&mut rng);
    let mut paragraphs: Vec<String> = body.split("\n\n").map(str::to_string).collect();
    if v > 0 {
        let mut edit = fastrand::Rng::with_seed((n as u64) << 20 | v as u64);
        let at = 1 + (v * 7) % (paragraphs.len() - 2).max(1);
        paragraphs[at] = words.sentence(&mut edit, 24);
    }
    if typo {
        if let Some(p) = paragraphs.get_mut(1) {
            p.push_str(" (sic)");
        }
    }
    format!(
        "---\ntitle: \"{}\"\ndate: 2026-01-01\n---\n{}",
        title.trim_end_matches('.'),
        paragraphs.join("\n\n")
    )
}

fn translation_text(words: &Words, n: usize, lang: &str, revision: usize) -> String {
    let mut rng =
        fastrand::Rng::with_seed((n as u64) << 24 ^ (revision as u64) << 8 ^ lang.len() as u64);
    format!(
        "---\ntitle: \"{lang} {}\"\ntranslator: volunteer {}\n---\n{}",
        words.sentence(&mut rng, 5).trim_end_matches('.'),
        rng.u32(1..300),
        words.body(&mut rng)
    )
}

/// Writes the corpus into `dir` (which must not exist) as a git repository with its work tree
/// checked out. `baseline` is the configuration's `baseline:` value.
pub fn generate(dir: &Path, articles: usize, languages: usize, seed: u64) -> History {
    let mut rng = fastrand::Rng::with_seed(seed);
    let words = Words::new(&mut fastrand::Rng::with_seed(seed));
    let langs: Vec<&str> = LANGS[..languages.clamp(2, LANGS.len())].to_vec();
    let targets = &langs[1..];
    std::fs::create_dir_all(dir).unwrap();
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .args(args)
            .current_dir(dir)
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "git {args:?} failed");
    };
    git(&["init", "-q", "-b", "main"]);
    git(&["config", "gc.auto", "0"]);
    git(&["config", "maintenance.auto", "false"]);
    let mut import = Import::start(dir);

    // Where each article is now (a rename moves it) and its version.
    let mut ids: Vec<String> = (0..articles)
        .map(|n| format!("{}/article-{n:05}", SECTIONS[rng.usize(..SECTIONS.len())]))
        .collect();
    let mut version = vec![0usize; articles];
    // For each language: translations made (article → revision), and the order in which the
    // language's volunteers take up articles (about 88 % get done).
    let mut made: Vec<HashMap<usize, usize>> = vec![HashMap::new(); targets.len()];
    let mut queue: Vec<Vec<usize>> = targets
        .iter()
        .map(|_| {
            let mut q: Vec<usize> = (0..articles).collect();
            rng.shuffle(&mut q);
            q.truncate(articles * 88 / 100);
            q
        })
        .collect();
    // Translations whose original changed since they were made.
    let mut stale: Vec<(usize, usize)> = Vec::new();

    let commits = (articles / 5).max(20);
    let per_batch = (articles * 88 / 100 * targets.len()) / (commits * 70 / 100) + 1;
    let mut main_head: Option<usize> = None;
    let config = format!(
        "languages: [{}]\nbaseline: {{git: {{ignore: [typo]}}}}\n",
        langs.join(", ")
    );

    let mut first: Vec<Change> = vec![Change::Write("tandem.yaml".into(), config)];
    for (n, id) in ids.iter().enumerate() {
        first.push(Change::Write(
            format!("articles/{id}.md"),
            original_text(&words, n, 0, false),
        ));
    }
    main_head = Some(import.commit("main", main_head, None, "Import the originals", &first));
    drop(first);

    let mut a_translation = String::new();
    let mut count = 1;
    let translate_batch = |rng: &mut fastrand::Rng,
                           made: &mut Vec<HashMap<usize, usize>>,
                           queue: &mut Vec<Vec<usize>>,
                           stale: &mut Vec<(usize, usize)>,
                           ids: &[String]|
     -> Vec<Change> {
        let l = rng.usize(..targets.len());
        let mut changes = Vec::new();
        for _ in 0..per_batch {
            // One in five pieces of work brings a stale translation up to date.
            let pick = if rng.u32(0..5) == 0 {
                stale
                    .iter()
                    .position(|&(sl, _)| sl == l)
                    .map(|i| stale.swap_remove(i).1)
            } else {
                None
            };
            let Some(n) = pick.or_else(|| queue[l].pop()) else {
                break;
            };
            let revision = made[l].entry(n).or_insert(0);
            *revision += 1;
            changes.push(Change::Write(
                format!("translations/{}/{}.md", targets[l], ids[n]),
                translation_text(&words, n, targets[l], *revision),
            ));
        }
        changes
    };
    while count < commits {
        let roll = rng.u32(0..100);
        if roll < 70 {
            let changes = translate_batch(&mut rng, &mut made, &mut queue, &mut stale, &ids);
            main_head = Some(import.commit("main", main_head, None, "Translate a batch", &changes));
            count += 1;
        } else if roll < 90 {
            // An editor changes a few originals: their translations so far go stale.
            let mut changes = Vec::new();
            for _ in 0..rng.usize(1..=10) {
                let n = rng.usize(..articles);
                version[n] += 1;
                changes.push(Change::Write(
                    format!("articles/{}.md", ids[n]),
                    original_text(&words, n, version[n], false),
                ));
                for (l, m) in made.iter().enumerate() {
                    if m.contains_key(&n) && !stale.contains(&(l, n)) {
                        stale.push((l, n));
                    }
                }
            }
            main_head =
                Some(import.commit("main", main_head, None, "Update the originals", &changes));
            count += 1;
        } else if roll < 95 {
            // A typo fix: the commit's subject says so, and it moves no translation's baseline.
            let n = rng.usize(..articles);
            let changes = vec![Change::Write(
                format!("articles/{}.md", ids[n]),
                original_text(&words, n, version[n], true),
            )];
            main_head = Some(import.commit("main", main_head, None, "Fix a typo", &changes));
            count += 1;
        } else if roll < 99 {
            // A volunteer's branch of two batches, merged after one more commit on main.
            let fork = main_head;
            let a = translate_batch(&mut rng, &mut made, &mut queue, &mut stale, &ids);
            let b = translate_batch(&mut rng, &mut made, &mut queue, &mut stale, &ids);
            let s1 = import.commit("side", fork, None, "Translate on a branch", &a);
            let s2 = import.commit("side", Some(s1), None, "Translate more on a branch", &b);
            let c = translate_batch(&mut rng, &mut made, &mut queue, &mut stale, &ids);
            main_head = Some(import.commit("main", main_head, None, "Translate a batch", &c));
            // fast-import trees are the first parent's plus the listed changes: list the
            // branch's files again so the merge holds both sides.
            let mut both: Vec<Change> = Vec::new();
            for ch in a.iter().chain(b.iter()) {
                if let Change::Write(p, t) = ch {
                    both.push(Change::Write(p.clone(), t.clone()));
                }
            }
            main_head = Some(import.commit(
                "main",
                main_head,
                Some(s2),
                "Merge a volunteer's branch",
                &both,
            ));
            count += 4;
        } else {
            // A page renamed, its translations moved with it.
            let n = rng.usize(..articles);
            let old = ids[n].clone();
            let new = format!("{}-renamed", old);
            let mut changes = vec![Change::Rename(
                format!("articles/{old}.md"),
                format!("articles/{new}.md"),
            )];
            for (l, m) in made.iter().enumerate() {
                if m.contains_key(&n) {
                    changes.push(Change::Rename(
                        format!("translations/{}/{old}.md", targets[l]),
                        format!("translations/{}/{new}.md", targets[l]),
                    ));
                }
            }
            ids[n] = new;
            main_head = Some(import.commit("main", main_head, None, "Rename a page", &changes));
            count += 1;
        }
    }
    for (l, m) in made.iter().enumerate() {
        if let Some(&n) = m.keys().min() {
            a_translation = format!("translations/{}/{}.md", targets[l], ids[n]);
            break;
        }
    }
    import.finish();
    git(&["checkout", "-q", "-f", "main"]);
    git(&["branch", "-q", "-D", "side"]);
    // fast-import stores each version as a delta of the one before; a clone's pack (made by
    // the server's pack-objects) has the newest versions whole, as readers of history expect.
    git(&["repack", "-a", "-d", "-f", "-q"]);
    History {
        commits: count,
        a_translation,
    }
}

/// A site whose `pages` pages and their German translations were written outside its folders
/// (`old/`, `old-de/`), then moved in one page (and its translation) per commit, and every
/// tenth page edited after.
pub fn migrated(dir: &Path, pages: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let ok = Command::new("git")
        .args(["init", "-q", "-b", "main"])
        .current_dir(dir)
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "git init failed");
    let mut import = Import::start(dir);
    let mut first = vec![Change::Write(
        "tandem.yaml".into(),
        "languages: [en, de]\nbaseline: git\n".into(),
    )];
    for i in 0..pages {
        first.push(Change::Write(
            format!("old/page-{i}.md"),
            format!("---\ntitle: Page {i}\n---\n\nThe first version of page {i}, written before the move.\n"),
        ));
        first.push(Change::Write(
            format!("old-de/page-{i}.md"),
            format!("---\ntitle: Seite {i}\n---\n\nDie erste Fassung der Seite {i}.\n"),
        ));
    }
    let mut head = import.commit("main", None, None, "the pages, outside the site", &first);
    for i in 0..pages {
        let moves = [
            Change::Rename(format!("old/page-{i}.md"), format!("articles/page-{i}.md")),
            Change::Rename(
                format!("old-de/page-{i}.md"),
                format!("translations/de/page-{i}.md"),
            ),
        ];
        head = import.commit(
            "main",
            Some(head),
            None,
            &format!("move page {i} in"),
            &moves,
        );
    }
    for i in (0..pages).step_by(10) {
        let edit = [Change::Write(
            format!("articles/page-{i}.md"),
            format!("---\ntitle: Page {i}\n---\n\nThe second version of page {i}, written after the move.\n"),
        )];
        head = import.commit("main", Some(head), None, &format!("edit page {i}"), &edit);
    }
    import.finish();
    for args in [
        &["checkout", "-q", "-f", "main"][..],
        &["repack", "-a", "-d", "-f", "-q"],
    ] {
        let ok = Command::new("git")
            .args(args)
            .current_dir(dir)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "git {args:?} failed");
    }
}

/// Makes `to` (which must not exist) from the history corpus at `from`: every translation
/// records the commit it was last changed in as `default_lang_commit`, committed on top, and
/// the configuration says `baseline: {commit_field: default_lang_commit}`.
pub fn with_commit_field(from: &Path, to: &Path) {
    let ok = Command::new("git")
        .args(["clone", "-q", "--local"])
        .arg(from)
        .arg(to)
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "git clone failed");
    let git_out = |args: &[&str]| {
        let o = Command::new("git")
            .args(args)
            .current_dir(to)
            .output()
            .expect("git");
        assert!(o.status.success(), "git {args:?} failed");
        String::from_utf8(o.stdout).unwrap()
    };
    // Each translation's last commit, from one `git log` (newest first).
    let log = git_out(&[
        "log",
        "--format=commit %H",
        "--name-only",
        "--no-renames",
        "--",
        "translations",
    ]);
    let mut last: HashMap<String, String> = HashMap::new();
    let mut commit = String::new();
    for line in log.lines() {
        if let Some(c) = line.strip_prefix("commit ") {
            commit = c.to_string();
        } else if !line.is_empty() {
            last.entry(line.to_string())
                .or_insert_with(|| commit.clone());
        }
    }
    for (path, commit) in &last {
        let file = to.join(path);
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        let text = text.replacen("---\n", &format!("---\ndefault_lang_commit: {commit}\n"), 1);
        std::fs::write(&file, text).unwrap();
    }
    let config = std::fs::read_to_string(to.join("tandem.yaml")).unwrap();
    let config = config.replace(
        "baseline: {git: {ignore: [typo]}}",
        "baseline: {commit_field: default_lang_commit}",
    );
    std::fs::write(to.join("tandem.yaml"), config).unwrap();
    let ok = Command::new("git")
        .args([
            "-c",
            "user.name=bench",
            "-c",
            "user.email=bench@example.org",
            "commit",
            "-qam",
            "Record each translation's commit",
        ])
        .current_dir(to)
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "git commit failed");
}
