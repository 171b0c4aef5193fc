//! The stamp `mark` writes keeps every other byte: for any translation tandem can read,
//! stamping it either gives a file that reads back with the new stamp and everything else as it
//! was, changing one place only, or is refused (nothing is ever written half right).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tandem::document::{read_translation, stamp};

const STAMP: &str = "feedc0de00000000feedc0de00000000";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let config = tandem::config::Config::load(&std::env::temp_dir().join("tandem-fuzz-no-config"), None)
        .unwrap_or_else(|_| panic!("default configuration"));
    let Ok(before) = read_translation(text, "translations/es/x.md", "x", "es", &config) else {
        return;
    };
    let Ok(out) = stamp(text, "translations/es/x.md", "x", "es", &config, STAMP) else {
        return;
    };
    let after = read_translation(&out, "translations/es/x.md", "x", "es", &config)
        .unwrap_or_else(|d| panic!("stamped file unreadable: {d}\n{text:?}\n{out:?}"));
    assert_eq!(after.source_hash.as_deref(), Some(STAMP), "{text:?}\n{out:?}");
    assert_eq!(after.id, before.id);
    assert_eq!(after.title, before.title);
    let blocks = |units: &[tandem::blocks::Block]| -> Vec<(tandem::blocks::BlockKind, String)> {
        units.iter().map(|b| (b.kind, b.normalized.clone())).collect()
    };
    assert_eq!(blocks(&after.units), blocks(&before.units), "{text:?}\n{out:?}");
    // Only the stamp and the status lines changed: every other line of the original is still
    // there, in order (a null front matter line, `~`, gives way to the field).
    let others = |t: &str| -> Vec<String> {
        t.strip_prefix('\u{feff}').unwrap_or(t)
            .lines()
            // (A file without front matter gets `---` lines around the new field.)
            .filter(|l| { let l = l.trim(); !l.starts_with("source_hash") && !l.starts_with("status") && l != "---" })
            .filter(|l| !matches!(l.trim().split(" #").next().unwrap_or("").trim(), "~" | "null" | "Null" | "NULL"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(others(&out), others(text), "{text:?}\n{out:?}");
    // Stamping again changes nothing.
    assert_eq!(stamp(&out, "translations/es/x.md", "x", "es", &config, STAMP).unwrap(), out);
});
