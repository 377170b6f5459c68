//! Word-level diffs between two passages, with byte offsets into both
//! original texts.

use serde::{Deserialize, Serialize};
use similar::{Algorithm, DiffOp, capture_diff_slices};

use crate::text::{Span, Word};

/// What a word edit does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EditOp {
    /// The words are the same on both sides.
    Equal,
    /// Words of A that B does not have.
    Delete,
    /// Words of B that A does not have.
    Insert,
    /// Words of A replaced by other words in B.
    Replace,
}

/// One run of a word diff. `a` and `b` are byte ranges into the original
/// texts; for an insert `a` is the empty range where the words would go in
/// A, and for a delete `b` is the empty range in B.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WordEdit {
    /// The kind of run.
    pub op: EditOp,
    /// The run's range in A.
    pub a: Span,
    /// The run's range in B.
    pub b: Span,
}

/// Word diff of two word sequences (with spans into their own texts).
/// Matching compares normalised forms; spans cover the original words, from
/// the first word of a run to the last.
pub fn word_diff(a: &[Word], b: &[Word]) -> WordDiff {
    // Equal keys mean equal normalised forms (64-bit hashes of them).
    let an: Vec<u64> = a.iter().map(|w| w.key).collect();
    let bn: Vec<u64> = b.iter().map(|w| w.key).collect();
    let ops = capture_diff_slices(Algorithm::Patience, &an, &bn);
    let range = |words: &[Word], start: usize, len: usize| -> Span {
        if len == 0 {
            // Empty range at the position where the run would stand.
            let at = if start < words.len() {
                words[start].span.start
            } else {
                words.last().map(|w| w.span.end).unwrap_or(0)
            };
            Span::new(at, at)
        } else {
            Span::new(words[start].span.start, words[start + len - 1].span.end)
        }
    };
    let mut out: Vec<WordEdit> = Vec::with_capacity(ops.len());
    let mut equal = 0;
    for op in ops {
        let (kind, ai, al, bi, bl) = match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                equal += len;
                (EditOp::Equal, old_index, len, new_index, len)
            }
            DiffOp::Delete {
                old_index,
                old_len,
                new_index,
            } => (EditOp::Delete, old_index, old_len, new_index, 0),
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => (EditOp::Insert, old_index, 0, new_index, new_len),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => (EditOp::Replace, old_index, old_len, new_index, new_len),
        };
        // similar may emit a delete next to an insert; present them as one
        // replacement, which is what a reader sees.
        if let Some(last) = out.last_mut() {
            let merge = matches!(
                (last.op, kind),
                (EditOp::Delete, EditOp::Insert) | (EditOp::Insert, EditOp::Delete)
            );
            if merge {
                let a_span = range(a, ai, al);
                let b_span = range(b, bi, bl);
                if al > 0 {
                    last.a = a_span;
                }
                if bl > 0 {
                    last.b = b_span;
                }
                last.op = EditOp::Replace;
                continue;
            }
        }
        out.push(WordEdit {
            op: kind,
            a: range(a, ai, al),
            b: range(b, bi, bl),
        });
    }
    WordDiff {
        edits: out,
        equal,
        a_words: a.len(),
        b_words: b.len(),
    }
}

/// A word diff with its counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WordDiff {
    /// The runs, covering both word sequences in order.
    pub edits: Vec<WordEdit>,
    /// Number of words in equal runs.
    pub equal: usize,
    /// Number of words in A.
    pub a_words: usize,
    /// Number of words in B.
    pub b_words: usize,
}

impl WordDiff {
    /// Share of words that are equal on both sides, 2·equal / (|A| + |B|)
    /// (1.0 for two empty sequences).
    pub fn similarity(&self) -> f64 {
        let total = self.a_words + self.b_words;
        if total == 0 {
            1.0
        } else {
            2.0 * self.equal as f64 / total as f64
        }
    }

    /// True when any run is not equal.
    pub fn has_changes(&self) -> bool {
        self.edits.iter().any(|e| e.op != EditOp::Equal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::words;

    #[test]
    fn replace_inside_quote() {
        let a = "Azerbaijan is an important strategic ally";
        let b = "Azerbaijan is a key strategic ally";
        let (wa, wb) = (words(a), words(b));
        let d = word_diff(&wa, &wb);
        let ops: Vec<(EditOp, &str, &str)> = d
            .edits
            .iter()
            .map(|e| (e.op, e.a.slice(a), e.b.slice(b)))
            .collect();
        assert_eq!(
            ops,
            [
                (EditOp::Equal, "Azerbaijan is", "Azerbaijan is"),
                (EditOp::Replace, "an important", "a key"),
                (EditOp::Equal, "strategic ally", "strategic ally"),
            ]
        );
        assert!((d.similarity() - 8.0 / 12.0).abs() < 1e-9);
    }

    #[test]
    fn insert_at_end_has_empty_a_range_at_end() {
        let a = "one two";
        let b = "one two three";
        let d = word_diff(&words(a), &words(b)).edits;
        assert_eq!(d[1].op, EditOp::Insert);
        assert_eq!(d[1].a, Span::new(7, 7));
        assert_eq!(d[1].b.slice(b), "three");
    }
}
