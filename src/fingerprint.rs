//! Fingerprints: a digest of an original's translatable content (translatable fields and body
//! blocks, each normalised), and a digest of each block so changes can be located.

use crate::blocks::Block;

/// Length of a fingerprint in hex digits (128 bits).
pub const FINGERPRINT_LEN: usize = 32;

/// The fingerprint of an article's blocks, in hex.
pub fn fingerprint(units: &[Block]) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(b"tandem-fingerprint-v1\0");
    for unit in units {
        hasher.update(unit.kind.name().as_bytes());
        hasher.update(b"\0");
        hasher.update(unit.normalized.as_bytes());
        hasher.update(b"\0");
    }
    let hash = hasher.finalize();
    hash.to_hex()[..FINGERPRINT_LEN].to_string()
}

/// A block's own digest: equal digests mean equal normalised blocks.
pub fn block_digest(unit: &Block) -> u64 {
    let mut hasher = blake3::Hasher::new();
    hasher.update(unit.kind.name().as_bytes());
    hasher.update(b"\0");
    hasher.update(unit.normalized.as_bytes());
    let bytes = hasher.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&bytes.as_bytes()[..8]);
    u64::from_le_bytes(first)
}

/// Whether `stamp` has the shape of a fingerprint (it may still match nothing).
pub fn looks_like_fingerprint(stamp: &str) -> bool {
    stamp.len() == FINGERPRINT_LEN
        && stamp
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}
