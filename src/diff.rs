//! What changed in an original since a translation's baseline, block by block and word by word,
//! with the translation's matching paragraph for each change.

use crate::align::{align, Confidence};
use crate::blocks::{Block, BlockKind};
use crate::changes::{compare, ChangeKind};
use crate::fingerprint::block_digest;
use serde::Serialize;
use similar::{ChangeTag, TextDiff};

/// One piece of a word-level diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WordOp {
    /// `equal`, `delete` or `insert`.
    pub op: &'static str,
    pub text: String,
}

/// The translation's paragraph that a change concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TranslationRef {
    pub text: String,
    /// 1-based line in the translation file (0 for a front matter field).
    pub line: usize,
    pub confidence: Confidence,
    /// `matches` for the paragraph to edit, `insert-after` for the place a new block goes.
    #[serde(rename = "where")]
    pub place: &'static str,
}

/// One changed block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub kind: ChangeKind,
    pub block: BlockKind,
    /// The block as it was when the translation was made (null when added).
    pub old: Option<String>,
    /// The block as it is now (null when removed).
    pub new: Option<String>,
    /// The matching paragraph of the translation, null when none could be found.
    pub translation: Option<TranslationRef>,
    /// 1-based line of the block in the original now (for removed: where it was).
    pub line: usize,
    /// Words to translate for this change.
    pub words: u32,
    /// For `changed`: the word-level diff.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub word_diff: Vec<WordOp>,
}

/// How much changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct DiffSummary {
    pub blocks: usize,
    pub blocks_changed: usize,
    pub changed: usize,
    pub added: usize,
    pub removed: usize,
    pub moved: usize,
    /// Words in the changed and added blocks: what to translate.
    pub words: u32,
    /// Words inserted or deleted inside changed blocks, and in added and removed ones.
    pub words_edited: u32,
    /// `words` as a share of the article's words, in percent.
    pub share: f64,
    /// How original and translation blocks were paired: `position` or `content`.
    pub alignment: &'static str,
}

/// The whole diff of one pair.
#[derive(Debug, Clone, Serialize)]
pub struct DiffReport {
    pub version: u32,
    pub id: String,
    pub lang: String,
    pub source: String,
    pub translation: String,
    /// The fingerprint the translation is based on, and the original's now.
    pub baseline: String,
    pub current: String,
    pub summary: DiffSummary,
    pub changes: Vec<Change>,
}

/// Word-level diff of two blocks' normalised text.
pub fn word_diff(old: &str, new: &str) -> Vec<WordOp> {
    let diff = TextDiff::from_words(old, new);
    let mut ops: Vec<WordOp> = Vec::new();
    for change in diff.iter_all_changes() {
        let op = match change.tag() {
            ChangeTag::Equal => "equal",
            ChangeTag::Delete => "delete",
            ChangeTag::Insert => "insert",
        };
        match ops.last_mut() {
            Some(last) if last.op == op => last.text.push_str(change.value()),
            _ => ops.push(WordOp {
                op,
                text: change.value().to_string(),
            }),
        }
    }
    // Whitespace on its own between two edits reads better inside the edits.
    ops
}

fn edited_words(ops: &[WordOp]) -> u32 {
    ops.iter()
        .filter(|o| o.op != "equal")
        .map(|o| crate::blocks::count_words(&o.text))
        .sum()
}

/// Compares the baseline (`old`) with the original now (`new`) and points each change at the
/// translation's blocks (`translation`). All three include translatable fields first.
pub fn diff_blocks(
    old: &[Block],
    new: &[Block],
    translation: &[Block],
) -> (DiffSummary, Vec<Change>) {
    let old_digests: Vec<u64> = old.iter().map(block_digest).collect();
    let new_digests: Vec<u64> = new.iter().map(block_digest).collect();
    let (changes, origin) = compare(&old_digests, &new_digests);

    // Fields pair by name; body blocks by alignment.
    let field_name = |b: &Block| b.text.split(':').next().unwrap_or("").to_string();
    let old_body: Vec<usize> = (0..old.len())
        .filter(|&i| old[i].kind != BlockKind::Field)
        .collect();
    let tr_body: Vec<usize> = (0..translation.len())
        .filter(|&i| translation[i].kind != BlockKind::Field)
        .collect();
    let old_body_blocks: Vec<Block> = old_body.iter().map(|&i| old[i].clone()).collect();
    let tr_body_blocks: Vec<Block> = tr_body.iter().map(|&i| translation[i].clone()).collect();
    let alignment = align(&old_body_blocks, &tr_body_blocks);

    let tref = |indices: &[usize],
                confidence: Confidence,
                place: &'static str|
     -> Option<TranslationRef> {
        let first = *indices.first()?;
        Some(TranslationRef {
            text: indices
                .iter()
                .map(|&k| translation[k].text.as_str())
                .collect::<Vec<_>>()
                .join("\n\n"),
            line: translation[first].line,
            confidence,
            place,
        })
    };
    // The translation block(s) for an old block.
    let match_old = |i: usize, place: &'static str| -> Option<TranslationRef> {
        if old[i].kind == BlockKind::Field {
            let name = field_name(&old[i]);
            let k = translation
                .iter()
                .position(|t| t.kind == BlockKind::Field && field_name(t) == name)?;
            return tref(&[k], Confidence::Sure, place);
        }
        let pos = old_body.iter().position(|&x| x == i)?;
        let m = &alignment.matches[pos];
        let indices: Vec<usize> = m.translation.iter().map(|&k| tr_body[k]).collect();
        tref(&indices, m.confidence, place)
    };
    // Where a block that is new at index `j` goes: after the translation of the closest
    // preceding block that was there before.
    let insert_point = |j: usize| -> Option<TranslationRef> {
        for k in (0..j).rev() {
            if let Some(i) = origin[k] {
                if old[i].kind == BlockKind::Field {
                    return None;
                }
                let pos = old_body.iter().position(|&x| x == i)?;
                let m = &alignment.matches[pos];
                let last = *m.translation.last()?;
                return tref(&[tr_body[last]], m.confidence, "insert-after");
            }
        }
        None
    };

    let total_words: u32 = new.iter().map(Block::words).sum();
    let mut summary = DiffSummary {
        blocks: new.len(),
        alignment: alignment.method,
        ..DiffSummary::default()
    };
    let mut out = Vec::new();
    for c in changes {
        let (old_block, new_block) = (c.old.map(|i| &old[i]), c.new.map(|j| &new[j]));
        let mut change = Change {
            kind: c.kind,
            block: new_block
                .or(old_block)
                .map_or(BlockKind::Paragraph, |b| b.kind),
            old: old_block.map(|b| b.text.clone()),
            new: new_block.map(|b| b.text.clone()),
            translation: None,
            line: new_block.map_or_else(|| old_block.map_or(0, |b| b.line), |b| b.line),
            words: 0,
            word_diff: Vec::new(),
        };
        match c.kind {
            ChangeKind::Changed => {
                let (o, n) = (old_block.unwrap_or(&old[0]), new_block.unwrap_or(&new[0]));
                change.word_diff = word_diff(&o.normalized, &n.normalized);
                change.words = n.words();
                change.translation = c.old.and_then(|i| match_old(i, "matches"));
                summary.changed += 1;
                summary.words_edited += edited_words(&change.word_diff);
            }
            ChangeKind::Added => {
                let n = new_block.unwrap_or(&new[0]);
                change.words = n.words();
                change.translation = c.new.and_then(insert_point);
                summary.added += 1;
                summary.words_edited += n.words();
            }
            ChangeKind::Removed => {
                change.translation = c.old.and_then(|i| match_old(i, "matches"));
                summary.removed += 1;
                summary.words_edited += old_block.map_or(0, Block::words);
            }
            ChangeKind::Moved => {
                change.translation = c.old.and_then(|i| match_old(i, "matches"));
                summary.moved += 1;
            }
        }
        summary.words += change.words;
        out.push(change);
    }
    summary.blocks_changed = out.len();
    summary.share = if total_words == 0 {
        0.0
    } else {
        (f64::from(summary.words) * 1000.0 / f64::from(total_words)).round() / 10.0
    };
    (summary, out)
}
