//! Splitting front matter and reading a whole file never panics, whatever the bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tandem::frontmatter::split;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(parts) = split(text) {
        // The body is the end of the file.
        assert!(text.ends_with(parts.body));
    }
    let config = tandem_config();
    let _ = tandem::document::read_article(text, "articles/x.md", "x", &config);
    let _ = tandem::document::read_translation(text, "translations/es/x.md", "x", "es", &config);
});

fn tandem_config() -> tandem::config::Config {
    let dir = std::env::temp_dir();
    tandem::config::Config::load(&dir.join("tandem-fuzz-no-config"), None)
        .unwrap_or_else(|_| panic!("default configuration"))
}
