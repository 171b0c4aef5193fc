//! Fingerprint normalisation: whitespace-only edits (doubled spaces inside lines, trailing
//! spaces, CRLF line endings) never change a fingerprint, and the block splitter never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tandem::blocks::split_blocks;
use tandem::fingerprint::fingerprint;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else { return };
    if body.contains('\r') || body.contains('\t') {
        return;
    }
    let fp = fingerprint(&split_blocks(body, 1));
    // Spaces doubled after each line's first non-space character, and trailing spaces added.
    let spaced: String = body
        .split('\n')
        .map(|line| {
            let indent = line.len() - line.trim_start_matches(' ').len();
            let (lead, rest) = line.split_at(indent);
            if rest.is_empty() {
                line.to_string()
            } else {
                format!("{lead}{}  ", rest.replace(' ', "  "))
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(fp, fingerprint(&split_blocks(&spaced, 1)), "spaced: {body:?} vs {spaced:?}");
    let crlf = body.replace('\n', "\r\n");
    assert_eq!(fp, fingerprint(&split_blocks(&crlf, 1)), "crlf: {body:?}");
});
