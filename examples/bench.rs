//! Times `status`, `check` and `coverage`, cold (no tandem cache, files in the OS page cache)
//! and warm (cache in place), and `status` just after one translation was edited, on generated
//! corpora of several sizes, against two baselines measured in the same run on the same tree:
//! `git status` after committing the tree, and reading every file once with `cat`. Prints each
//! figure with its ratios and the peak memory.
//!
//! cargo run --release --example bench -- [--sizes 2000,6000,20000] [--languages 10] [--runs 3]
//!     [--layouts folders,hugo,root-locale] [--dir target/bench]
//!
//! `--layouts` picks the corpora's layouts: tandem's own folders, a Hugo site
//! (`content/{lang}/`) and a root-locale site (English at the root of `docs/`); `history`
//! adds a publication whose baselines are its git history (and its `commit_field` twin), with
//! the floor under its cold run (the same tree judged by stamps); `commands` times every
//! command's form (`--all`, JSON, `--lang`, `show`, `report`, one file edited) against `git
//! status` interleaved with it, and a cold run against reading every file with and without the
//! snapshots, on the bench corpus and on one where every pair needs work. Reading every file is
//! timed twice: with `cat`, and with the bench itself reading each file into one buffer
//! (`find … -print0 | bench read-every-file`), which is what reading costs without `cat`'s
//! buffer taken anew for each file.

#[path = "corpus.rs"]
#[allow(dead_code)]
mod corpus;
#[path = "support/history.rs"]
mod history;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One timed run: wall time and peak resident memory of the child.
struct Sample {
    wall: Duration,
    max_rss_kb: u64,
}

/// Runs a shell command in `dir`, waits for it with wait4 to read its peak memory.
#[allow(clippy::zombie_processes)] // reaped by wait4 below
fn run(dir: &Path, shell: &str) -> Sample {
    let start = Instant::now();
    let child = Command::new("sh")
        .arg("-c")
        .arg(format!("exec {shell}"))
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: rusage is plain data filled in by the kernel; pid is our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(rc, pid, "wait4 failed");
    Sample {
        wall: start.elapsed(),
        max_rss_kb: usage.ru_maxrss as u64,
    }
}

/// The median of `runs` runs, with `before` run ahead of each (not timed).
fn median(dir: &Path, shell: &str, runs: usize, before: Option<&str>) -> Sample {
    let mut samples: Vec<Sample> = (0..runs)
        .map(|_| {
            if let Some(b) = before {
                run(dir, b);
            }
            run(dir, shell)
        })
        .collect();
    samples.sort_by_key(|s| s.wall);
    samples.swap_remove(runs / 2)
}

/// A command timed against its baseline, interleaved (A B A B …) so that both see the same
/// machine: the median of the command's times, the median of the per-pair ratios, and the
/// largest peak memory of the command's runs.
struct Row {
    wall: Duration,
    baseline: Duration,
    ratio: f64,
    max_rss_kb: u64,
}

fn against(dir: &Path, shell: &str, baseline: &str, runs: usize, before: Option<&str>) -> Row {
    let mut walls = Vec::new();
    let mut bases = Vec::new();
    let mut ratios = Vec::new();
    let mut peak = 0;
    for _ in 0..runs {
        if let Some(b) = before {
            run(dir, b);
        }
        let a = run(dir, shell);
        let b = run(dir, baseline);
        peak = peak.max(a.max_rss_kb);
        ratios.push(a.wall.as_secs_f64() / b.wall.as_secs_f64());
        walls.push(a.wall);
        bases.push(b.wall);
    }
    walls.sort();
    bases.sort();
    ratios.sort_by(f64::total_cmp);
    Row {
        wall: walls[runs / 2],
        baseline: bases[runs / 2],
        ratio: ratios[runs / 2],
        max_rss_kb: peak,
    }
}

fn print_row(label: &str, row: &Row, baseline: &str) {
    println!(
        "  {label:<34} {:>8} {:>8.1} | {baseline:<22} {:>8} | {:>6.2}x",
        secs(row.wall),
        row.max_rss_kb as f64 / 1024.0,
        secs(row.baseline),
        row.ratio
    );
}

/// Every command's form, warm, each against `git status` interleaved with it; cold against
/// reading every file; one original and one translation edited; on the bench corpus and on one
/// where every pair needs work.
fn bench_commands(base: &Path, tandem: &Path, articles: usize, languages: usize, runs: usize) {
    let t = tandem.display();
    for all_work in [false, true] {
        let dir = ensure_mix(base, articles, languages, corpus::Shape::Folders, all_work);
        let files = count_files(&dir.join("articles")) + count_files(&dir.join("translations"));
        println!(
            "commands: {articles} originals, {files} files, {}",
            if all_work {
                "every pair needing work"
            } else {
                "80 % of pairs up to date"
            }
        );
        run(&dir, "git status");
        let id = first_md(&dir.join("articles"))
            .and_then(|p| {
                let rel = p
                    .strip_prefix(dir.join("articles"))
                    .ok()?
                    .to_string_lossy()
                    .into_owned();
                Some(rel.trim_end_matches(".md").to_string())
            })
            .expect("an original");
        let report =
            std::env::temp_dir().join(format!("tandem-bench-report-{}", std::process::id()));
        let warm: Vec<(String, String)> = [
            ("status", "status".to_string()),
            ("status --all", "status --all".to_string()),
            ("status --format json", "status --format json".to_string()),
            (
                "status --all --format json",
                "status --all --format json".to_string(),
            ),
            ("status --lang es", "status --lang es".to_string()),
            ("check --format json", "check --format json".to_string()),
            ("coverage", "coverage".to_string()),
            ("show ID", format!("show {id}")),
            (
                "report --html",
                format!("report --html {} --force", report.display()),
            ),
        ]
        .into_iter()
        .map(|(l, c)| (l.to_string(), c))
        .collect();
        // Reading every file, with `cat` and with the bench's reader; with the snapshots an
        // outdated pair is judged against too, since a cold run reads them.
        for (label, baseline) in [
            ("cat every file", cat(MARKDOWN)),
            ("cat, with snapshots", cat(WITH_SNAPSHOTS)),
            ("read every file", reader(MARKDOWN)),
            ("read, with snapshots", reader(WITH_SNAPSHOTS)),
        ] {
            run(&dir, &baseline);
            let r = against(
                &dir,
                &format!("{t} status"),
                &baseline,
                runs,
                Some("rm -rf .tandem/cache"),
            );
            print_row("status, cold", &r, label);
        }
        for (label, command) in &warm {
            run(&dir, &format!("{t} {command}"));
            let r = against(&dir, &format!("{t} {command}"), "git status", runs, None);
            print_row(&format!("{label}, warm"), &r, "git status");
        }
        for (label, folder) in [
            ("status, one original edited", "articles"),
            ("status, one translation edited", "translations/es"),
        ] {
            let edited = first_md(&dir.join(folder))
                .and_then(|p| Some(p.strip_prefix(&dir).ok()?.to_string_lossy().into_owned()))
                .expect("a file");
            // A paragraph more before each run: a real change of content, not only of times.
            let edit =
                format!("printf '\\nOne more paragraph, written just now.\\n' >> '{edited}'");
            run(&dir, &format!("{t} status"));
            let r = against(
                &dir,
                &format!("{t} status"),
                "git status",
                runs,
                Some(&edit),
            );
            print_row(label, &r, "git status");
            run(&dir, &format!("git checkout -q -- '{edited}'"));
            std::thread::sleep(Duration::from_secs(3));
        }
        let _ = std::fs::remove_dir_all(&report);
    }
}

/// The corpus with history (and its commit-field twin), generated once.
fn history_corpora(
    base: &Path,
    articles: usize,
    languages: usize,
) -> (PathBuf, PathBuf, history::History) {
    let dir = base.join(format!("{articles}x{languages}-history"));
    let field = base.join(format!("{articles}x{languages}-commit-field"));
    let info = dir.join(".git/bench-info");
    if !info.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::remove_dir_all(&field);
        eprintln!(
            "generating {articles} originals × {languages} languages with history in {} …",
            dir.display()
        );
        let h = history::generate(&dir, articles, languages, 42);
        history::with_commit_field(&dir, &field);
        std::fs::write(&info, format!("{}\n{}\n", h.commits, h.a_translation)).unwrap();
        std::thread::sleep(Duration::from_secs(3));
    }
    let text = std::fs::read_to_string(&info).unwrap();
    let mut lines = text.lines();
    let commits = lines.next().and_then(|l| l.parse().ok()).unwrap_or(0);
    let a_translation = lines.next().unwrap_or_default().to_string();
    (
        dir,
        field,
        history::History {
            commits,
            a_translation,
        },
    )
}

/// The rows for publications whose baselines come from git: `baseline: git` cold against the
/// least any answer from history must read (`git log --name-only` over all of it), warm and
/// after one new commit against `git status`; `commit_field` cold against reading every file.
fn bench_history(base: &Path, tandem: &Path, articles: usize, languages: usize, runs: usize) {
    let (dir, field, h) = history_corpora(base, articles, languages);
    let files = count_files(&dir.join("articles")) + count_files(&dir.join("translations"));
    let commits = Command::new("git")
        .args(["rev-list", "--count", "HEAD"])
        .current_dir(&dir)
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse::<usize>().ok())
        .unwrap_or(h.commits);
    println!("history: {articles} originals, {files} files, {commits} commits");
    let t = tandem.display();
    let log = "git log --name-only --format=%H";
    // Every file and the history in the page cache before the first cold run.
    run(&dir, &cat(MARKDOWN));
    run(&dir, log);
    let cold = Some("rm -rf .tandem/cache");
    let r = against(&dir, &format!("{t} status"), log, runs, cold);
    print_row("status, baseline: git, cold", &r, "git log --name-only");
    // The floor under that row: the same tree judged by stamps, which reads every file as a
    // history baseline must but walks no history.
    let config = std::fs::read_to_string(dir.join("tandem.yaml")).unwrap();
    let config: String = config
        .lines()
        .map(|l| {
            if l.starts_with("baseline:") {
                "baseline: stamp\n".to_string()
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    std::fs::write(dir.join(".git/bench-stamps.yaml"), config).unwrap();
    let r = against(
        &dir,
        &format!("{t} --config .git/bench-stamps.yaml status"),
        log,
        runs,
        cold,
    );
    print_row("status, stamps, cold (floor)", &r, "git log --name-only");
    run(&dir, &format!("{t} status"));
    let r = against(&dir, &format!("{t} status"), "git status", runs, None);
    print_row("status, baseline: git, warm", &r, "git status");
    let commit = format!(
        "printf '\\n' >> '{}' && git -c user.name=b -c user.email=b@example.org commit -qam 'Translate a line'",
        h.a_translation
    );
    let generated = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(&dir)
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    let r = against(
        &dir,
        &format!("{t} status"),
        "git status",
        runs,
        Some(&commit),
    );
    print_row("status, baseline: git, new commit", &r, "git status");
    // Back to the generated history (however many commits the runs made), aged, for the
    // next run.
    run(&dir, &format!("git reset -q --hard {generated}"));
    std::thread::sleep(Duration::from_secs(3));
    for (label, baseline) in [
        ("cat every file", cat(MARKDOWN)),
        ("read every file", reader(MARKDOWN)),
    ] {
        run(&field, &baseline);
        let r = against(&field, &format!("{t} status"), &baseline, runs, cold);
        print_row("status, commit_field, cold", &r, label);
    }
    run(&field, &format!("{t} status"));
    let r = against(&field, &format!("{t} status"), "git status", runs, None);
    print_row("status, commit_field, warm", &r, "git status");
    // Pages moved into the site from outside its folders one commit at a time: the walk
    // follows each into the older commits (widening what it compares once per window of
    // commits, not once per page).
    let migrated = migrated_corpus(base, articles / 10);
    run(&migrated, log);
    let r = against(&migrated, &format!("{t} status"), log, runs, cold);
    print_row("status, git, pages moved in", &r, "git log --name-only");
}

/// [`history::migrated`] with `pages` pages, generated once.
fn migrated_corpus(base: &Path, pages: usize) -> PathBuf {
    let dir = base.join(format!("{pages}-migrated"));
    if !dir.join(".git/bench-info").exists() {
        let _ = std::fs::remove_dir_all(&dir);
        history::migrated(&dir, pages);
        std::fs::write(dir.join(".git/bench-info"), "done\n").unwrap();
    }
    dir
}

fn ensure_corpus(base: &Path, articles: usize, languages: usize, shape: corpus::Shape) -> PathBuf {
    ensure_mix(base, articles, languages, shape, false)
}

fn ensure_mix(
    base: &Path,
    articles: usize,
    languages: usize,
    shape: corpus::Shape,
    all_work: bool,
) -> PathBuf {
    let dir = match (shape, all_work) {
        (_, true) => base.join(format!("{articles}x{languages}-all-work")),
        (corpus::Shape::Folders, false) => base.join(format!("{articles}x{languages}")),
        (other, false) => base.join(format!("{articles}x{languages}-{}", other.name())),
    };
    if !dir.join(".git").exists() {
        let _ = std::fs::remove_dir_all(&dir);
        eprintln!(
            "generating {articles} originals × {languages} languages in {} …",
            dir.display()
        );
        corpus::generate_mix(&dir, articles, languages, 42, shape, all_work);
        let git = |args: &[&str]| {
            let ok = Command::new("git")
                .args(args)
                .current_dir(&dir)
                .stdout(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            assert!(ok, "git {args:?} failed");
        };
        git(&["init", "-q"]);
        // No background repacking while timing.
        git(&["config", "gc.auto", "0"]);
        git(&["config", "maintenance.auto", "false"]);
        git(&[
            "-c",
            "user.name=bench",
            "-c",
            "user.email=bench@example.org",
            "add",
            "-A",
        ]);
        git(&[
            "-c",
            "user.name=bench",
            "-c",
            "user.email=bench@example.org",
            "commit",
            "-qm",
            "corpus",
        ]);
        // Files written less than two seconds ago are never cached: let them age.
        std::thread::sleep(Duration::from_secs(3));
    }
    dir
}

const USAGE: &str = "usage: bench [--sizes 2000,6000,20000] [--languages 10] [--runs 3]
             [--layouts folders,hugo,root-locale,history,commands] [--dir target/bench]";

/// The first argument that makes the bench read every file named on its input (NUL after
/// each, as `find -print0` gives them), once, and do nothing else: a baseline beside `cat`.
const READ_EVERY_FILE: &str = "read-every-file";

/// Reads every file named on `input` once, one after another into one buffer: the least a
/// cold run must do. `xargs cat` does that too, but GNU cat takes a new 128 KiB buffer for
/// each file (mapped and unmapped each time: four page faults a file), which on a virtual
/// machine can cost three times the reading, and moves with the host's load.
fn read_every_file(input: impl std::io::BufRead) -> std::io::Result<u64> {
    use std::io::Read;
    // Page-aligned: the kernel copies into a buffer not aligned to 32 bytes at less than half
    // the speed on this machine's CPUs (measured with the same reads at offsets 0, 8, 16, 32
    // and 64 of a page: 1.5-1.7 s against 2.5-2.7 s for 1.5 GB). tandem's buffers are aligned.
    let mut memory = vec![0u8; (1 << 20) + 4096];
    let start = memory.as_ptr().align_offset(4096);
    let buffer = &mut memory[start..start + (1 << 20)];
    let mut total = 0;
    for name in input.split(0) {
        let name = name?;
        if name.is_empty() {
            continue;
        }
        let path = <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(&name);
        let mut file = std::fs::File::open(path)?;
        loop {
            match file.read(buffer)? {
                0 => break,
                n => total += n as u64,
            }
        }
    }
    Ok(total)
}

/// The originals and translations, as `find` lists them.
const MARKDOWN: &str = "find articles translations -name '*.md'";

/// The same and the snapshots.
const WITH_SNAPSHOTS: &str = "find articles translations .tandem/snapshots -type f";

/// The shell command that reads every file `find` lists with `cat`.
fn cat(find: &str) -> String {
    format!("{find} -print0 | xargs -0 cat > /dev/null")
}

/// The shell command that reads every file `find` lists with [`read_every_file`].
fn reader(find: &str) -> String {
    let bench = std::env::current_exe().expect("the bench's own path");
    format!("{find} -print0 | {} {READ_EVERY_FILE}", bench.display())
}

/// Set for the child that generates the corpora (and does nothing else).
const GENERATE_ONLY: &str = "TANDEM_BENCH_GENERATE_ONLY";

fn secs(d: Duration) -> String {
    format!("{:.3}s", d.as_secs_f64())
}

fn main() {
    let mut sizes = vec![2000usize, 6000, 20000];
    let mut languages = 10usize;
    let mut runs = 3usize;
    let mut base = PathBuf::from("target/bench");
    let mut shapes = vec![corpus::Shape::Folders];
    let mut with_history = false;
    let mut with_commands = false;
    let mut args = std::env::args().skip(1);
    if std::env::args().nth(1).as_deref() == Some(READ_EVERY_FILE) {
        if let Err(e) = read_every_file(std::io::stdin().lock()) {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
        return;
    }
    while let Some(a) = args.next() {
        if a == "--help" || a == "-h" {
            println!("{USAGE}");
            return;
        }
        let Some(v) = args.next() else {
            eprintln!("error: {a} needs a value\n\n{USAGE}");
            std::process::exit(2);
        };
        match a.as_str() {
            "--sizes" => {
                sizes = v
                    .split(',')
                    .map(|s| s.trim().parse().expect("a number"))
                    .collect()
            }
            "--languages" => languages = v.parse().expect("a number"),
            "--runs" => runs = v.parse().expect("a number"),
            "--dir" => base = PathBuf::from(v),
            "--layouts" => {
                with_history = v.split(',').any(|s| s.trim() == "history");
                with_commands = v.split(',').any(|s| s.trim() == "commands");
                shapes = v
                    .split(',')
                    .filter(|s| !matches!(s.trim(), "history" | "commands"))
                    .map(|s| {
                        corpus::Shape::parse(s.trim())
                            .expect("folders, hugo, root-locale, history or commands")
                    })
                    .collect()
            }
            other => {
                eprintln!("error: unknown option {other}\n\n{USAGE}");
                std::process::exit(2);
            }
        }
    }
    let base = std::fs::canonicalize({
        std::fs::create_dir_all(&base).unwrap();
        &base
    })
    .unwrap();
    // The corpora are generated by a child of the bench, so that the bench itself stays
    // small: a command started from it begins life with its parent's memory (vfork), and a
    // parent grown to hundreds of MB generating a corpus would be counted as each command's
    // peak.
    if std::env::var_os(GENERATE_ONLY).is_some() {
        for &articles in &sizes {
            if with_commands {
                for all_work in [false, true] {
                    ensure_mix(&base, articles, languages, corpus::Shape::Folders, all_work);
                }
            }
            if with_history {
                history_corpora(&base, articles, languages);
            }
            for &shape in &shapes {
                ensure_corpus(&base, articles, languages, shape);
            }
        }
        return;
    }
    // One bench at a time in a folder: two would generate the same corpora at once (git's
    // index.lock stops one) and time each other's load. Held until the bench ends.
    let lock = std::fs::File::create(base.join(".bench-lock")).expect("the bench's lock file");
    if let Err(e) = lock.try_lock() {
        eprintln!(
            "error: another bench is running in {} ({e}); wait for it or give --dir",
            base.display()
        );
        std::process::exit(1);
    }
    let generated = Command::new(std::env::current_exe().expect("the bench's own path"))
        .args(std::env::args_os().skip(1))
        .env(GENERATE_ONLY, "1")
        .status()
        .is_ok_and(|s| s.success());
    assert!(generated, "generating the corpora failed");
    let tandem = std::env::current_exe()
        .ok()
        .and_then(|p| Some(p.parent()?.parent()?.join("tandem")))
        .expect("the bench runs from target/release/examples");
    // `cargo build --release --examples` builds the examples only, and a binary built before
    // the sources last changed would be measured as if it were theirs: the binary is always
    // brought up to date first (nothing to do when it is).
    let built = Command::new(env!("CARGO"))
        .args(["build", "--release", "--bin", "tandem"])
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        built && tandem.exists(),
        "cargo build --release --bin tandem failed"
    );
    // The binary measured is a copy: building again while the bench runs changes nothing.
    let copy = base.join("tandem-under-test");
    std::fs::copy(&tandem, &copy).expect("a copy of the binary");
    let tandem = copy;
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "tandem benchmark: {runs} runs each, median; {cpus} CPUs; {}",
        std::env::consts::ARCH
    );
    println!();
    println!(
        "{:>9} {:>8} | {:>8} {:>8} | {:<9} {:>8} {:>8} {:>7} {:>7}",
        "originals", "files", "cat", "git", "command", "time", "peak MB", "÷cat", "÷git"
    );
    if with_commands {
        for &articles in &sizes {
            bench_commands(&base, &tandem, articles, languages, runs);
        }
    }
    if with_history {
        for &articles in &sizes {
            bench_history(&base, &tandem, articles, languages, runs);
        }
    }
    for (shape, articles) in shapes
        .iter()
        .flat_map(|&shape| sizes.iter().map(move |&n| (shape, n)))
    {
        println!("{} layout:", shape.name());
        let dir = ensure_corpus(&base, articles, languages, shape);
        let folders = shape.folders();
        let files: usize = folders.split(' ').map(|f| count_files(&dir.join(f))).sum();
        // Fill the OS page cache, then the baselines.
        let cat_all = cat(&format!("find {folders} -name '*.md'"));
        run(&dir, &cat_all);
        let cat = median(&dir, &cat_all, runs, None);
        run(&dir, "git status");
        let git = median(&dir, "git status", runs, None);
        let t = tandem.display();
        let mut first = true;
        // One translation edited just before each run: its folder is read and its language
        // paired again, the other languages come from the cache.
        let translations = match shape {
            corpus::Shape::Folders => "translations",
            corpus::Shape::Hugo => "content/es",
            corpus::Shape::RootLocale => "docs/es",
        };
        let edited = first_md(&dir.join(translations))
            .and_then(|p| Some(p.strip_prefix(&dir).ok()?.to_string_lossy().into_owned()))
            .expect("a translation");
        let edit = format!("printf '\\n' >> '{edited}'");
        for command in ["status", "check", "coverage"] {
            let mut modes = vec![("cold", Some("rm -rf .tandem/cache")), ("warm", None)];
            if command == "status" {
                modes.push(("edit", Some(edit.as_str())));
            }
            for (mode, before) in modes {
                if mode == "warm" {
                    run(&dir, &format!("{t} {command}"));
                }
                let s = median(&dir, &format!("{t} {command}"), runs, before);
                if mode == "edit" {
                    // Put it back and let it age: files changed less than two seconds ago are
                    // never cached.
                    run(&dir, &format!("git checkout -q -- '{edited}'"));
                    std::thread::sleep(Duration::from_secs(3));
                }
                let lead = if first {
                    format!(
                        "{articles:>9} {files:>8} | {:>8} {:>8}",
                        secs(cat.wall),
                        secs(git.wall)
                    )
                } else {
                    format!("{:>9} {:>8} | {:>8} {:>8}", "", "", "", "")
                };
                first = false;
                println!(
                    "{lead} | {:<9} {:>8} {:>8.1} {:>7.2} {:>7.2}",
                    format!("{command} {mode}"),
                    secs(s.wall),
                    s.max_rss_kb as f64 / 1024.0,
                    s.wall.as_secs_f64() / cat.wall.as_secs_f64(),
                    s.wall.as_secs_f64() / git.wall.as_secs_f64(),
                );
            }
        }
    }
}

/// The first Markdown file under `dir`, in path order.
fn first_md(dir: &Path) -> Option<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    entries.into_iter().find_map(|p| {
        if p.is_dir() {
            first_md(&p)
        } else {
            (p.extension().is_some_and(|e| e == "md")).then_some(p)
        }
    })
}

fn count_files(dir: &Path) -> usize {
    let mut n = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            match e.file_type() {
                Ok(t) if t.is_dir() => stack.push(e.path()),
                Ok(_) => n += 1,
                Err(_) => {}
            }
        }
    }
    n
}
