use std::time::Instant;
fn main() {
    let root = std::path::PathBuf::from(std::env::args().nth(1).unwrap());
    let config = tandem::config::Config::load(&root, None).unwrap();
    let mut files = Vec::new();
    let dir = std::env::args().nth(3).unwrap_or("articles".into());
    let mut stack = vec![root.join(&dir)];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                files.push((e.path(), std::fs::read_to_string(e.path()).unwrap()));
            }
        }
    }
    let bytes: usize = files.iter().map(|f| f.1.len()).sum();
    let what = std::env::args().nth(2).unwrap_or_default();
    for _ in 0..3 {
        let t = Instant::now();
        let mut n = 0usize;
        for (p, text) in &files {
            let path = p.to_string_lossy();
            match what.as_str() {
                "split" => n += tandem::blocks::split_body(text, 1, false).len(),
                "sig" => n += tandem::blocks::signature(text).len(),
                "keys" => n += tandem::blocks::paragraph_keys(text).len(),
                "tr" => {
                    n += tandem::document::read_translation_summary(text, &path, "x", "es", &config)
                        .map(|o| o.sample.len())
                        .unwrap_or(0)
                }
                "sample" => n += tandem::blocks::sample_keys(text).len(),
                _ => {
                    n += tandem::document::read_original(text, &path, "x", &config)
                        .map(|o| o.units.len())
                        .unwrap_or(0)
                }
            }
        }
        let e = t.elapsed();
        println!(
            "{what}: {} files {} MB in {:?}: {:.2} ns/byte ({n})",
            files.len(),
            bytes >> 20,
            e,
            e.as_nanos() as f64 / bytes as f64
        );
    }
}
