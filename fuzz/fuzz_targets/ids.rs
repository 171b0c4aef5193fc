//! Ids: NFC normalisation is idempotent and agrees for NFC and NFD spellings, the look-alike
//! key never panics and is the same for both spellings, and an id that passes the checks maps
//! to a path inside its folder that maps back to the same id, in every layout shape.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tandem::layout::{check_page_id, Entry, Language, Layout, Pattern};
use tandem::names::{lookalike_key, nfc};
use unicode_normalization::UnicodeNormalization;

fuzz_target!(|data: &[u8]| {
    let Ok(id) = std::str::from_utf8(data) else { return };
    let once = nfc(id).into_owned();
    assert_eq!(nfc(&once), once.as_str(), "NFC is idempotent: {id:?}");
    let nfd: String = id.nfd().collect();
    assert_eq!(nfc(&nfd), once.as_str(), "NFD and NFC spellings agree: {id:?}");
    assert_eq!(lookalike_key(&nfd), lookalike_key(id), "{id:?}");
    if check_page_id(&once).is_err() {
        return;
    }
    let lang = Language { tag: "pt-BR".into(), folder: "pt_BR".into() };
    for (o, t) in [
        ("articles/{id}.md", "translations/{lang}/{id}.md"),
        ("content/en/{id}.md", "content/{lang}/{id}.md"),
        ("pages/{id}.md", "pages.{lang}/{id}.md"),
        ("docs/{id}.{md,mdx}", "docs/{lang}/{id}.{md,mdx}"),
        ("files/en-us/{id}/index.md", "files/{lang}/{id}/index.md"),
    ] {
        let layout = Layout::new(
            vec![Entry {
                originals: Pattern::parse(o, false).unwrap(),
                translations: Pattern::parse(t, true).unwrap(),
            }],
            None,
            Vec::new(),
        )
        .unwrap();
        let original = o.replace("{md,mdx}", "md").replace("{id}", &once);
        assert_eq!(layout.original_id(&original).as_deref(), Some(once.as_str()), "{o} {id:?}");
        // A path the layout builds never climbs out of its folder, and maps back.
        if let Some(path) = layout.translation_path(&original, &once, &lang) {
            assert!(path.split('/').all(|s| !s.is_empty() && s != "." && s != ".."), "{path}");
            assert_eq!(layout.translation_id(&path, &lang).as_deref(), Some(once.as_str()), "{t} {id:?}");
        }
    }
});
