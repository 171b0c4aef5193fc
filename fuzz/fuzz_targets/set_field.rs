//! The field rewrite `mark` does keeps every other byte: for any translation tandem can read,
//! setting `source_hash` gives a file that reads back with the new stamp and everything else
//! as it was, and only the bytes of that one field differ.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tandem::document::read_translation;
use tandem::frontmatter::set_field;

const STAMP: &str = "feedc0de00000000feedc0de00000000";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let config = tandem::config::Config::load(&std::env::temp_dir().join("tandem-fuzz-no-config"), None)
        .unwrap_or_else(|_| panic!("default configuration"));
    let Ok(before) = read_translation(text, "translations/es/x.md", "x", "es", &config) else {
        return;
    };
    let out = set_field(text, "source_hash", STAMP).expect("a readable file can be rewritten");
    let after = read_translation(&out, "translations/es/x.md", "x", "es", &config)
        .unwrap_or_else(|d| panic!("rewritten file unreadable: {d}\n{text:?}\n{out:?}"));
    assert_eq!(after.source_hash.as_deref(), Some(STAMP), "{text:?}\n{out:?}");
    assert_eq!(after.id, before.id);
    assert_eq!(after.title, before.title);
    assert_eq!(after.translator, before.translator);
    assert_eq!(after.progress, before.progress);
    // The same blocks (their line numbers move when front matter is added).
    let blocks = |units: &[tandem::blocks::Block]| -> Vec<(tandem::blocks::BlockKind, String)> {
        units.iter().map(|b| (b.kind, b.normalized.clone())).collect()
    };
    assert_eq!(blocks(&after.units), blocks(&before.units), "{text:?}\n{out:?}");
    // Only one place changed: a common prefix and suffix cover everything but the field.
    let prefix = text.bytes().zip(out.bytes()).take_while(|(a, b)| a == b).count();
    let suffix = text.bytes().rev().zip(out.bytes().rev()).take_while(|(a, b)| a == b).count();
    let changed_old = text.len().saturating_sub(prefix + suffix);
    assert!(changed_old <= before.source_hash.as_deref().map_or(0, str::len) + 512, "{text:?}\n{out:?}");
    // Idempotent.
    assert_eq!(set_field(&out, "source_hash", STAMP).unwrap(), out);
});
