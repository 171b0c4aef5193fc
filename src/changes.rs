//! Which blocks of an original changed between two versions: changed, added, removed, moved.

use serde::{Deserialize, Serialize};
use similar::{capture_diff_slices, Algorithm, DiffOp};
use std::collections::HashMap;

/// How a block changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    Changed,
    Added,
    Removed,
    Moved,
}

impl ChangeKind {
    pub fn name(self) -> &'static str {
        match self {
            ChangeKind::Changed => "changed",
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Moved => "moved",
        }
    }
}

/// One changed block: its index in the old version, the new version, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockChange {
    pub kind: ChangeKind,
    pub old: Option<usize>,
    pub new: Option<usize>,
}

/// Compares two versions given as block digests. Blocks whose digest left one place and
/// appears at another are moves; inside a run of edited blocks, old and new blocks are paired in
/// order as changed, and what is left over was added or removed. The result is in the order of
/// the new version (removed blocks where they were).
pub fn block_changes(old: &[u64], new: &[u64]) -> Vec<BlockChange> {
    changes_of(old, new, &capture_diff_slices(Algorithm::Myers, old, new))
}

/// The changes and, for each new block, the old block it comes from (see `origins`), from
/// one diff of the two versions.
pub fn compare(old: &[u64], new: &[u64]) -> (Vec<BlockChange>, Vec<Option<usize>>) {
    let ops = capture_diff_slices(Algorithm::Myers, old, new);
    let changes = changes_of(old, new, &ops);
    let origin = origins(new.len(), &ops, &changes);
    (changes, origin)
}

fn changes_of(old: &[u64], new: &[u64], ops: &[DiffOp]) -> Vec<BlockChange> {
    // Regions of old and new blocks that are not equal, in order.
    let mut regions: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    for &op in ops {
        match op {
            DiffOp::Equal { .. } => {}
            DiffOp::Delete {
                old_index, old_len, ..
            } => regions.push(((old_index..old_index + old_len).collect(), Vec::new())),
            DiffOp::Insert {
                new_index, new_len, ..
            } => regions.push((Vec::new(), (new_index..new_index + new_len).collect())),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => regions.push((
                (old_index..old_index + old_len).collect(),
                (new_index..new_index + new_len).collect(),
            )),
        }
    }

    // Moves: a digest that left in one region and came back in another (or the same).
    let mut arrivals: HashMap<u64, Vec<usize>> = HashMap::new();
    for (_, news) in &regions {
        for &j in news {
            arrivals.entry(new[j]).or_default().push(j);
        }
    }
    let mut moved_old = vec![false; old.len()];
    let mut moved_new = vec![false; new.len()];
    let mut changes = Vec::new();
    for (olds, _) in &regions {
        for &i in olds {
            if let Some(js) = arrivals.get_mut(&old[i]) {
                if let Some(j) = js.pop() {
                    moved_old[i] = true;
                    moved_new[j] = true;
                    changes.push((
                        j,
                        BlockChange {
                            kind: ChangeKind::Moved,
                            old: Some(i),
                            new: Some(j),
                        },
                    ));
                }
            }
        }
    }

    for (olds, news) in &regions {
        let olds: Vec<usize> = olds.iter().copied().filter(|&i| !moved_old[i]).collect();
        let news: Vec<usize> = news.iter().copied().filter(|&j| !moved_new[j]).collect();
        // Removed blocks sort where the region starts in the new version.
        let anchor = news.first().copied().unwrap_or_else(|| {
            // Position in the new version just after the last equal block before this region.
            let before = olds.first().copied().unwrap_or(0);
            new_position_after(old, new, before)
        });
        let paired = olds.len().min(news.len());
        for k in 0..paired {
            changes.push((
                news[k],
                BlockChange {
                    kind: ChangeKind::Changed,
                    old: Some(olds[k]),
                    new: Some(news[k]),
                },
            ));
        }
        for &i in &olds[paired..] {
            changes.push((
                anchor,
                BlockChange {
                    kind: ChangeKind::Removed,
                    old: Some(i),
                    new: None,
                },
            ));
        }
        for &j in &news[paired..] {
            changes.push((
                j,
                BlockChange {
                    kind: ChangeKind::Added,
                    old: None,
                    new: Some(j),
                },
            ));
        }
    }
    changes.sort_by_key(|(pos, c)| (*pos, c.new.is_some(), c.old));
    changes.into_iter().map(|(_, c)| c).collect()
}

/// For each block of the new version, the block of the old version it comes from (equal,
/// changed or moved), or `None` for an added block.
fn origins(new_len: usize, ops: &[DiffOp], changes: &[BlockChange]) -> Vec<Option<usize>> {
    let mut map = vec![None; new_len];
    for &op in ops {
        if let DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = op
        {
            for k in 0..len {
                map[new_index + k] = Some(old_index + k);
            }
        }
    }
    for c in changes {
        if let (Some(i), Some(j)) = (c.old, c.new) {
            map[j] = Some(i);
        }
    }
    map
}

/// Where old block `i` would sit in the new version: after the new copy of the closest equal
/// block before it.
fn new_position_after(old: &[u64], new: &[u64], i: usize) -> usize {
    for k in (0..i).rev() {
        if let Some(j) = new.iter().position(|&d| d == old[k]) {
            return j + 1;
        }
    }
    0
}

/// The size of a set of changes, for `status` and the diff header.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeSize {
    /// Blocks changed, added, removed or moved.
    pub paragraphs: u32,
    /// Words in the current version of the changed and added blocks: the words to translate.
    pub words: u32,
}

/// Counts the blocks and words a set of changes asks a translator to act on.
pub fn change_size(changes: &[BlockChange], new_words: impl Fn(usize) -> u32) -> ChangeSize {
    let mut size = ChangeSize::default();
    for c in changes {
        size.paragraphs += 1;
        if matches!(c.kind, ChangeKind::Changed | ChangeKind::Added) {
            if let Some(j) = c.new {
                size.words += new_words(j);
            }
        }
    }
    size
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(old: &[u64], new: &[u64]) -> Vec<(ChangeKind, Option<usize>, Option<usize>)> {
        block_changes(old, new)
            .into_iter()
            .map(|c| (c.kind, c.old, c.new))
            .collect()
    }

    #[test]
    fn nothing_changed() {
        assert!(kinds(&[1, 2, 3], &[1, 2, 3]).is_empty());
    }

    #[test]
    fn changed_added_removed() {
        use ChangeKind::*;
        assert_eq!(
            kinds(&[1, 2, 3], &[1, 9, 3]),
            vec![(Changed, Some(1), Some(1))]
        );
        assert_eq!(kinds(&[1, 3], &[1, 2, 3]), vec![(Added, None, Some(1))]);
        assert_eq!(kinds(&[1, 2, 3], &[1, 3]), vec![(Removed, Some(1), None)]);
    }

    #[test]
    fn moved() {
        use ChangeKind::*;
        let got = kinds(&[1, 2, 3, 4], &[1, 3, 4, 2]);
        assert_eq!(got, vec![(Moved, Some(1), Some(3))]);
    }
}
