//! Generates a publication for benchmarks and tests: N originals × L languages with realistic
//! sizes and a realistic mix of states, deterministic from a seed.
//!
//! cargo run --release --example corpus -- DIR [--articles N] [--languages L] [--seed S]

use std::path::{Path, PathBuf};
use tandem::config::Config;
use tandem::document::read_article;
use tandem::snapshot::SnapshotStore;

pub const LANGS: [&str; 40] = [
    "en", "es", "fr", "de", "it", "pt-BR", "ja", "ko", "zh-Hans", "ru", "ar", "nl", "pl", "tr",
    "uk", "sv", "id", "vi", "th", "cs", "el", "he", "hi", "hu", "ro", "fa", "fi", "da", "nb", "bg",
    "ca", "hr", "sr", "sk", "sl", "lt", "lv", "et", "bn", "ms",
];

/// The sections articles are filed in.
pub const SECTIONS: [&str; 7] = [
    "news",
    "news/world",
    "news/local",
    "culture",
    "labour/strikes",
    "history",
    "opinion",
];

/// What state a generated pair is made to be in, by share of pairs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Made {
    UpToDate,
    Outdated,
    Missing,
    Draft,
}

fn pick(rng: &mut fastrand::Rng, all_work: bool) -> Made {
    if all_work {
        // Every pair needs work: outdated, missing or a draft, none up to date.
        return match rng.u32(0..100) {
            0..=59 => Made::Outdated,
            60..=89 => Made::Missing,
            _ => Made::Draft,
        };
    }
    match rng.u32(0..100) {
        0..=79 => Made::UpToDate,
        80..=87 => Made::Outdated,
        88..=96 => Made::Missing,
        _ => Made::Draft,
    }
}

pub struct Words {
    words: Vec<String>,
}

impl Words {
    pub fn new(rng: &mut fastrand::Rng) -> Self {
        let syllables = [
            "la", "ta", "ri", "mo", "sen", "dor", "ka", "vel", "tra", "bo", "ne", "si", "quor",
            "pa", "lu", "gar", "min", "es", "co", "ru", "ba", "tel", "fi", "on",
        ];
        let words = (0..3000)
            .map(|_| {
                let n = rng.usize(1..4);
                (0..n)
                    .map(|_| syllables[rng.usize(..syllables.len())])
                    .collect::<String>()
            })
            .collect();
        Words { words }
    }

    pub fn sentence(&self, rng: &mut fastrand::Rng, n: usize) -> String {
        let mut s = String::new();
        for i in 0..n {
            if i > 0 {
                s.push(' ');
            }
            let w = &self.words[rng.usize(..self.words.len())];
            if i == 0 {
                let mut c = w.chars();
                if let Some(f) = c.next() {
                    s.extend(f.to_uppercase());
                    s.push_str(c.as_str());
                }
            } else {
                s.push_str(w);
            }
            if rng.u32(0..40) == 0 {
                s.push_str(&format!(" {}", rng.u32(2..5000)));
            }
        }
        s.push('.');
        s
    }

    /// A body of 8–60 paragraphs and 500–3000 words, wrapped at 80 columns.
    pub fn body(&self, rng: &mut fastrand::Rng) -> String {
        let paragraphs = rng.usize(8..=60);
        let target = rng.usize(500..=3000);
        let per = (target / paragraphs).max(8);
        let mut out = String::from("\nCITY, June 3—");
        for p in 0..paragraphs {
            if p > 0 && p % 9 == 0 {
                out.push_str(&format!(
                    "## {}\n\n",
                    self.sentence(rng, 4).trim_end_matches('.')
                ));
            }
            let words = rng.usize(per / 2..=per + per / 2).max(4);
            let text = self.sentence(rng, words);
            let text = if p % 13 == 5 {
                format!("> {text}")
            } else {
                text
            };
            out.push_str(&wrap(&text));
            out.push_str("\n\n");
        }
        out
    }
}

fn wrap(text: &str) -> String {
    let mut out = String::new();
    let mut col = 0;
    for w in text.split(' ') {
        if col + w.len() > 80 && col > 0 {
            out.push('\n');
            col = 0;
        } else if col > 0 {
            out.push(' ');
            col += 1;
        }
        out.push_str(w);
        col += w.len();
    }
    out
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Where a corpus keeps its files: tandem's own folders, or a real site's layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `articles/{id}.md` and `translations/{lang}/{id}.md`.
    Folders,
    /// Hugo / Docsy: `content/en/{id}.md` and `content/{lang}/{id}.md`.
    Hugo,
    /// Starlight with English at the root: `docs/{id}.md` and `docs/{lang}/{id}.md`.
    RootLocale,
}

impl Shape {
    pub fn parse(name: &str) -> Option<Shape> {
        match name {
            "folders" => Some(Shape::Folders),
            "hugo" => Some(Shape::Hugo),
            "root-locale" => Some(Shape::RootLocale),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Shape::Folders => "folders",
            Shape::Hugo => "hugo",
            Shape::RootLocale => "root-locale",
        }
    }

    /// The folders holding every page, for the baselines.
    pub fn folders(self) -> &'static str {
        match self {
            Shape::Folders => "articles translations",
            Shape::Hugo => "content",
            Shape::RootLocale => "docs",
        }
    }

    fn config(self) -> &'static str {
        match self {
            Shape::Folders => "",
            Shape::Hugo => "layout:\n  originals: content/en/{id}.md\n  translations: content/{lang}/{id}.md\n",
            Shape::RootLocale => "layout:\n  originals: docs/{id}.{md,mdx}\n  translations: docs/{lang}/{id}.{md,mdx}\n",
        }
    }

    fn original(self, id: &str) -> String {
        match self {
            Shape::Folders => format!("articles/{id}.md"),
            Shape::Hugo => format!("content/en/{id}.md"),
            Shape::RootLocale => format!("docs/{id}.md"),
        }
    }

    fn translation(self, lang: &str, id: &str) -> String {
        match self {
            Shape::Folders => format!("translations/{lang}/{id}.md"),
            Shape::Hugo => format!("content/{lang}/{id}.md"),
            Shape::RootLocale => format!("docs/{lang}/{id}.md"),
        }
    }
}

/// Writes the corpus into `dir` (which should be empty).
pub fn generate(dir: &Path, articles: usize, languages: usize, seed: u64) {
    generate_shaped(dir, articles, languages, seed, Shape::Folders)
}

/// Writes the corpus into `dir` (which should be empty) in the layout `shape`.
pub fn generate_shaped(dir: &Path, articles: usize, languages: usize, seed: u64, shape: Shape) {
    generate_mix(dir, articles, languages, seed, shape, false)
}

/// Like [`generate_shaped`]; with `all_work`, no pair is up to date.
pub fn generate_mix(
    dir: &Path,
    articles: usize,
    languages: usize,
    seed: u64,
    shape: Shape,
    all_work: bool,
) {
    let mut rng = fastrand::Rng::with_seed(seed);
    let words = Words::new(&mut rng);
    let langs: Vec<&str> = LANGS[..languages.clamp(2, LANGS.len())].to_vec();
    write(
        &dir.join("tandem.yaml"),
        &format!(
            "languages: [{}]\nrequired: [{}]\n{}",
            langs.join(", "),
            langs[1],
            shape.config()
        ),
    );
    let config = Config::load(dir, None).unwrap();
    let store = SnapshotStore::new(dir);
    for n in 0..articles {
        let section = SECTIONS[rng.usize(..SECTIONS.len())];
        let id = format!("{section}/article-{n:05}");
        let title = words.sentence(&mut rng, 6);
        let body = words.body(&mut rng);
        let text = format!(
            "---\ntitle: \"{}\"\ndate: 2026-01-01\ntags: [a, b]\n---\n{body}",
            title.trim_end_matches('.')
        );
        let path = shape.original(&id);
        let current = read_article(&text, &path, &id, &config).unwrap();
        // Outdated pairs were stamped against an earlier version: a paragraph since changed.
        let earlier_text = text.replacen("CITY, June 3—", "CITY, June 2—", 1);
        let earlier = read_article(&earlier_text, &path, &id, &config).unwrap();
        let mut earlier_saved = false;
        write(&dir.join(&path), &text);
        for lang in &langs[1..] {
            let made = pick(&mut rng, all_work);
            let tpath = dir.join(shape.translation(lang, &id));
            let translated_body = words.body(&mut rng);
            let (stamp, status, body) = match made {
                Made::Missing => continue,
                Made::UpToDate => (&current.fingerprint, "", translated_body),
                Made::Outdated => {
                    if !earlier_saved {
                        store.save(&earlier).unwrap();
                        earlier_saved = true;
                    }
                    (&earlier.fingerprint, "", translated_body)
                }
                Made::Draft => (&current.fingerprint, "status: draft\n", body.clone()),
            };
            write(
                &tpath,
                &format!("---\ntitle: \"{lang} {}\"\ntranslator: volunteer {}\nsource_hash: {stamp}\n{status}---\n{body}", title.trim_end_matches('.'), rng.u32(1..300)),
            );
        }
        let _ = store.save(&current);
    }
    // A few orphans: translations whose original was deleted.
    for n in 0..(articles / 200).max(1) {
        let lang = langs[1 + n % (langs.len() - 1)];
        write(
            &dir.join(shape.translation(lang, &format!("deleted/old-{n}"))),
            "---\ntitle: gone\nsource_hash: 00000000000000000000000000000000\n---\nText.\n",
        );
    }
}

#[allow(dead_code)]
fn main() {
    let mut args = std::env::args().skip(1);
    let mut dir: Option<PathBuf> = None;
    let (mut articles, mut languages, mut seed) = (1000usize, 10usize, 1u64);
    let mut shape = Shape::Folders;
    while let Some(a) = args.next() {
        if a == "--layout" {
            let name = args.next().unwrap_or_default();
            shape = Shape::parse(&name).expect("--layout folders|hugo|root-locale");
            continue;
        }
        let mut value = || args.next().and_then(|v| v.parse().ok()).expect("a number");
        match a.as_str() {
            "--articles" => articles = value() as usize,
            "--languages" => languages = value() as usize,
            "--seed" => seed = value(),
            _ => dir = Some(PathBuf::from(a)),
        }
    }
    let dir = dir.expect(
        "usage: corpus DIR [--articles N] [--languages L] [--seed S] [--layout folders|hugo|root-locale]",
    );
    if dir.exists()
        && std::fs::read_dir(&dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(false)
    {
        eprintln!("error: {} is not empty", dir.display());
        std::process::exit(2);
    }
    generate_shaped(&dir, articles, languages, seed, shape);
    println!(
        "wrote {} originals × {} languages into {}",
        articles,
        languages,
        dir.display()
    );
}
