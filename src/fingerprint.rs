//! Fingerprints: a digest of an original's translatable content (translatable fields and body
//! blocks, each normalised), and a digest of each block so changes can be located.
//!
//! Each block is hashed once (its kind and normalised text); the fingerprint is the hash of the
//! sequence of block hashes, so a change to any block, or to their order, changes it.

use crate::blocks::Block;

/// Length of a fingerprint in hex digits (128 bits).
pub const FINGERPRINT_LEN: usize = 32;

/// The full hash of one block.
pub fn block_hash(unit: &Block) -> blake3::Hash {
    hash_of(unit.kind, &unit.normalized)
}

/// The full hash of a block of this kind and normalised text.
pub fn hash_of(kind: crate::blocks::BlockKind, normalized: &str) -> blake3::Hash {
    let mut hasher = blake3::Hasher::new();
    hasher.update(kind.name().as_bytes());
    hasher.update(b"\0");
    hasher.update(normalized.as_bytes());
    hasher.finalize()
}

/// A block's short digest: equal digests mean equal normalised blocks.
pub fn short_digest(hash: &blake3::Hash) -> u64 {
    let mut first = [0u8; 8];
    first.copy_from_slice(&hash.as_bytes()[..8]);
    u64::from_le_bytes(first)
}

/// A block's short digest, computed from the block.
pub fn block_digest(unit: &Block) -> u64 {
    short_digest(&block_hash(unit))
}

/// The fingerprint of a sequence of block hashes, in hex.
pub fn fingerprint_of_hashes<'a>(hashes: impl IntoIterator<Item = &'a blake3::Hash>) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(b"tandem-fingerprint-v1\0");
    for hash in hashes {
        hasher.update(hash.as_bytes());
    }
    hasher.finalize().to_hex()[..FINGERPRINT_LEN].to_string()
}

/// The fingerprint of an article's blocks, in hex.
pub fn fingerprint(units: &[Block]) -> String {
    let hashes: Vec<blake3::Hash> = units.iter().map(block_hash).collect();
    fingerprint_of_hashes(&hashes)
}

/// Whether `stamp` has the shape of a fingerprint (it may still match nothing).
pub fn looks_like_fingerprint(stamp: &str) -> bool {
    stamp.len() == FINGERPRINT_LEN
        && stamp
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}
