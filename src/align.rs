//! Aligning the blocks of an original with the blocks of its translation, so a change in the
//! original can be shown beside the paragraph of the translation it concerns.
//!
//! When both have the same block structure (same number of blocks, same kinds in the same order)
//! blocks are paired by position. Otherwise a dynamic-programming alignment in the manner of
//! Gale and Church pairs them using what survives translation: block kinds (headings stay
//! headings), numbers, capitalised names and link targets, and relative lengths. It allows one
//! block to match one, two (a split) or none, and two to match one (a merge). A pairing whose
//! evidence is weak is marked unsure, so the reader is never pointed at a wrong paragraph
//! without being told.

use crate::blocks::{Block, BlockKind};
use serde::Serialize;
use std::collections::HashSet;

/// How sure the alignment is of one pairing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Confidence {
    /// Same structure, paired by position, or strong shared evidence.
    Sure,
    /// Paired on weak evidence: check the neighbouring paragraphs too.
    Unsure,
}

/// The translation blocks matching one original block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// Indices into the translation's blocks (empty: the translation has nothing for it).
    pub translation: Vec<usize>,
    pub confidence: Confidence,
}

/// For each original block, the translation blocks that match it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alignment {
    pub matches: Vec<Match>,
    /// `position` when the structures matched, `content` when the alignment had to search.
    pub method: &'static str,
}

/// What survives translation of a block: numbers, names, link targets.
fn anchors(block: &Block) -> HashSet<String> {
    let mut out = HashSet::new();
    let text = &block.normalized;
    let mut number = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() {
            number.push(c);
        } else if (c == ',' || c == '.' || c == ' ' || c == '\u{a0}') && !number.is_empty() {
            // `4,120`, `4.120` and `4 120` are one number in different languages.
            if c == ' ' || c == '\u{a0}' {
                out.insert(format!("#{number}"));
                number.clear();
            }
        } else if !number.is_empty() {
            out.insert(format!("#{number}"));
            number.clear();
        }
    }
    for (i, word) in text.split_whitespace().enumerate() {
        let w: String = word.chars().filter(|c| c.is_alphanumeric()).collect();
        if i > 0 && w.chars().count() >= 3 && w.chars().next().is_some_and(char::is_uppercase) {
            out.insert(w.to_lowercase());
        }
        if let Some(start) = word.find("](") {
            out.insert(
                word[start + 2..]
                    .trim_end_matches([')', '.', ','])
                    .to_string(),
            );
        }
        if word.starts_with("http://") || word.starts_with("https://") {
            out.insert(word.trim_end_matches([')', '.', ',']).to_string());
        }
    }
    out
}

struct Features {
    kind: BlockKind,
    len: f64,
    anchors: HashSet<String>,
}

fn features(blocks: &[Block]) -> Vec<Features> {
    blocks
        .iter()
        .map(|b| Features {
            kind: b.kind,
            len: b.normalized.chars().count().max(1) as f64,
            anchors: anchors(b),
        })
        .collect()
}

const SKIP: f64 = 2.5;
const SURE_BELOW: f64 = 1.6;

/// The cost of pairing original blocks `o` with translation blocks `t` (lower is better).
fn cost(o: &[&Features], t: &[&Features], ratio: f64) -> f64 {
    let olen: f64 = o.iter().map(|f| f.len).sum();
    let tlen: f64 = t.iter().map(|f| f.len).sum();
    let length = ((tlen / olen) / ratio).ln().abs() * 1.5;
    let okinds: Vec<BlockKind> = o.iter().map(|f| f.kind).collect();
    let tkinds: Vec<BlockKind> = t.iter().map(|f| f.kind).collect();
    let kind = if okinds[0] == tkinds[0] { 0.0 } else { 2.5 };
    let oa: HashSet<&String> = o.iter().flat_map(|f| f.anchors.iter()).collect();
    let ta: HashSet<&String> = t.iter().flat_map(|f| f.anchors.iter()).collect();
    // Every block of the group should find its numbers and names on the other side: a block
    // whose anchors are all missing does not belong to this pairing.
    let missing = |f: &&Features, other: &HashSet<&String>| {
        if f.anchors.is_empty() {
            0.25
        } else {
            f.anchors.iter().filter(|a| !other.contains(a)).count() as f64 / f.anchors.len() as f64
        }
    };
    let evidence: f64 = o.iter().map(|f| missing(f, &ta)).sum::<f64>()
        + t.iter().map(|f| missing(f, &oa)).sum::<f64>();
    let shape = if o.len() == 1 && t.len() == 1 {
        0.0
    } else {
        0.8
    };
    length + kind + evidence * 2.0 + shape
}

/// Aligns original blocks with translation blocks.
pub fn align(original: &[Block], translation: &[Block]) -> Alignment {
    let same_shape = original.len() == translation.len()
        && original
            .iter()
            .zip(translation)
            .all(|(a, b)| a.kind == b.kind);
    if same_shape {
        return Alignment {
            matches: (0..original.len())
                .map(|i| Match {
                    translation: vec![i],
                    confidence: Confidence::Sure,
                })
                .collect(),
            method: "position",
        };
    }
    let of = features(original);
    let tf = features(translation);
    let n = of.len();
    let m = tf.len();
    let olen: f64 = of.iter().map(|f| f.len).sum::<f64>().max(1.0);
    let tlen: f64 = tf.iter().map(|f| f.len).sum::<f64>().max(1.0);
    let ratio = tlen / olen;

    // best[i][j]: cost of aligning the first i original and j translation blocks.
    let mut best = vec![vec![f64::INFINITY; m + 1]; n + 1];
    let mut step = vec![vec![(0usize, 0usize, 0.0f64); m + 1]; n + 1];
    best[0][0] = 0.0;
    let moves: [(usize, usize); 5] = [(1, 1), (1, 0), (0, 1), (1, 2), (2, 1)];
    for i in 0..=n {
        for j in 0..=m {
            if best[i][j].is_infinite() {
                continue;
            }
            for (di, dj) in moves {
                if i + di > n || j + dj > m {
                    continue;
                }
                let c = if di == 0 || dj == 0 {
                    SKIP
                } else {
                    let o: Vec<&Features> = of[i..i + di].iter().collect();
                    let t: Vec<&Features> = tf[j..j + dj].iter().collect();
                    cost(&o, &t, ratio)
                };
                let total = best[i][j] + c;
                if total < best[i + di][j + dj] {
                    best[i + di][j + dj] = total;
                    step[i + di][j + dj] = (di, dj, c);
                }
            }
        }
    }

    let mut matches = vec![
        Match {
            translation: Vec::new(),
            confidence: Confidence::Unsure,
        };
        n
    ];
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let (di, dj, c) = step[i][j];
        if di == 0 && dj == 0 {
            break;
        }
        let sure = di == 1 && dj == 1 && c < SURE_BELOW;
        for m in &mut matches[i - di..i] {
            *m = Match {
                translation: (j - dj..j).collect(),
                confidence: if sure {
                    Confidence::Sure
                } else {
                    Confidence::Unsure
                },
            };
        }
        i -= di;
        j -= dj;
    }
    Alignment {
        matches,
        method: "content",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::split_blocks;

    fn blocks(text: &str) -> Vec<Block> {
        split_blocks(text, 1)
    }

    const EN: &str = "# Strike at the port\n\nROTTERDAM, June 3—Dockworkers stopped work at 6 o'clock, the first strike in 11 years.\n\nBy noon the strike had spread to all 4 terminals near Hoek.\n\nThe union says 800 jobs would go over 5 years.\n\n## Solidarity\n\nMessages came from Antwerp, Hamburg and Piraeus.\n";

    #[test]
    fn same_structure_is_positional() {
        let es = "# Huelga en el puerto\n\nRÓTERDAM, 3 de junio—Los estibadores pararon a las 6, la primera huelga en 11 años.\n\nA mediodía se había extendido a las 4 terminales.\n\nEl sindicato dice que se perderían 800 empleos en 5 años.\n\n## Solidaridad\n\nLlegaron mensajes de Antwerp, Hamburg y Piraeus.\n";
        let a = align(&blocks(EN), &blocks(es));
        assert_eq!(a.method, "position");
        assert!(a
            .matches
            .iter()
            .enumerate()
            .all(|(i, m)| m.translation == vec![i]));
    }

    #[test]
    fn merged_paragraphs_are_found() {
        // The translator merged paragraphs 2 and 3 of the original.
        let es = "# Huelga en el puerto\n\nRÓTERDAM, 3 de junio—Los estibadores pararon a las 6, la primera huelga en 11 años. A mediodía se había extendido a las 4 terminales cerca de Hoek.\n\nEl sindicato dice que se perderían 800 empleos en 5 años.\n\n## Solidaridad\n\nLlegaron mensajes de Antwerp, Hamburg y Piraeus.\n";
        let a = align(&blocks(EN), &blocks(es));
        assert_eq!(a.method, "content");
        let t: Vec<Vec<usize>> = a.matches.iter().map(|m| m.translation.clone()).collect();
        assert_eq!(
            t,
            vec![vec![0], vec![1], vec![1], vec![2], vec![3], vec![4]]
        );
        assert_eq!(a.matches[1].confidence, Confidence::Unsure);
        assert_eq!(a.matches[3].confidence, Confidence::Sure);
    }

    #[test]
    fn split_paragraph_is_found() {
        let es = "# Huelga en el puerto\n\nRÓTERDAM, 3 de junio—Los estibadores pararon a las 6.\n\nEs la primera huelga en 11 años.\n\nA mediodía se había extendido a las 4 terminales cerca de Hoek.\n\nEl sindicato dice que se perderían 800 empleos en 5 años.\n\n## Solidaridad\n\nLlegaron mensajes de Antwerp, Hamburg y Piraeus.\n";
        let a = align(&blocks(EN), &blocks(es));
        let t: Vec<Vec<usize>> = a.matches.iter().map(|m| m.translation.clone()).collect();
        assert_eq!(
            t,
            vec![vec![0], vec![1, 2], vec![3], vec![4], vec![5], vec![6]]
        );
    }

    #[test]
    fn dropped_paragraph_matches_nothing() {
        let es = "# Huelga en el puerto\n\nRÓTERDAM, 3 de junio—Los estibadores pararon a las 6, la primera huelga en 11 años.\n\nEl sindicato dice que se perderían 800 empleos en 5 años.\n\n## Solidaridad\n\nLlegaron mensajes de Antwerp, Hamburg y Piraeus.\n";
        let a = align(&blocks(EN), &blocks(es));
        let t: Vec<Vec<usize>> = a.matches.iter().map(|m| m.translation.clone()).collect();
        assert_eq!(t, vec![vec![0], vec![1], vec![], vec![2], vec![3], vec![4]]);
    }

    #[test]
    fn numbers_in_other_notations_are_one_anchor() {
        let a = anchors(&blocks("It raised 4,120 euros.")[0]);
        let b = anchors(&blocks("Recaudó 4.120 euros.")[0]);
        let c = anchors(&blocks("Elle a rapporté 4 120 euros.")[0]);
        assert!(a.contains("#4120") && b.contains("#4120"), "{a:?} {b:?}");
        assert!(c.contains("#4") || c.contains("#4120"));
    }
}
