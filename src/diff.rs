//! Word-level diffs between two passages, with byte offsets into both
//! original texts.

use serde::{Deserialize, Serialize};
use similar::algorithms::{DiffHook, patience};

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

/// Collects the runs of a patience diff as (equal?, A range, B range),
/// joining everything between two equal runs into one change (a deletion,
/// an insertion or both: a replacement).
#[derive(Default)]
struct Runs {
    runs: Vec<(bool, std::ops::Range<usize>, std::ops::Range<usize>)>,
}

impl Runs {
    fn change(&mut self, a: std::ops::Range<usize>, b: std::ops::Range<usize>) {
        match self.runs.last_mut() {
            Some((false, ra, rb)) => {
                ra.end = ra.end.max(a.end);
                rb.end = rb.end.max(b.end);
                if ra.start == ra.end {
                    ra.start = a.start;
                }
                if rb.start == rb.end {
                    rb.start = b.start;
                }
            }
            _ => self.runs.push((false, a, b)),
        }
    }
}

impl DiffHook for Runs {
    type Error = std::convert::Infallible;

    fn equal(&mut self, old: usize, new: usize, len: usize) -> Result<(), Self::Error> {
        match self.runs.last_mut() {
            Some((true, ra, rb)) if ra.end == old && rb.end == new => {
                ra.end += len;
                rb.end += len;
            }
            _ => self.runs.push((true, old..old + len, new..new + len)),
        }
        Ok(())
    }

    fn delete(&mut self, old: usize, old_len: usize, new: usize) -> Result<(), Self::Error> {
        self.change(old..old + old_len, new..new);
        Ok(())
    }

    fn insert(&mut self, old: usize, new: usize, new_len: usize) -> Result<(), Self::Error> {
        self.change(old..old, new..new + new_len);
        Ok(())
    }
}

/// Word diff of two word sequences (with spans into their own texts).
/// Matching compares normalised forms (patience diff from `similar` on the
/// words' keys); spans cover the original words, from the first word of a
/// run to the last. Everything between two runs of equal words is one
/// edit: a deletion, an insertion, or a replacement, which is what a reader
/// sees.
pub fn word_diff(a: &[Word], b: &[Word]) -> WordDiff {
    // Equal keys mean equal normalised forms (64-bit hashes of them).
    let an: Vec<u64> = a.iter().map(|w| w.key).collect();
    let bn: Vec<u64> = b.iter().map(|w| w.key).collect();
    let mut hook = Runs::default();
    let Ok(()) = patience::diff(&mut hook, &an, 0..an.len(), &bn, 0..bn.len());
    let range = |words: &[Word], r: &std::ops::Range<usize>| -> Span {
        if r.is_empty() {
            // Empty range at the position where the run would stand.
            let at = if r.start < words.len() {
                words[r.start].span.start
            } else {
                words.last().map(|w| w.span.end).unwrap_or(0)
            };
            Span::new(at, at)
        } else {
            Span::new(words[r.start].span.start, words[r.end - 1].span.end)
        }
    };
    let mut equal = 0;
    let edits = hook
        .runs
        .iter()
        .map(|(same, ra, rb)| {
            let op = match (same, ra.is_empty(), rb.is_empty()) {
                (true, _, _) => {
                    equal += ra.len();
                    EditOp::Equal
                }
                (false, false, true) => EditOp::Delete,
                (false, true, false) => EditOp::Insert,
                _ => EditOp::Replace,
            };
            WordEdit {
                op,
                a: range(a, ra),
                b: range(b, rb),
            }
        })
        .collect();
    WordDiff {
        edits,
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
