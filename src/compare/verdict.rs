//! The verdict: how two articles relate, from their scores.
//!
//! The rules, in order (documented in `docs/verdicts.md`):
//!
//! | verdict | rule |
//! |---|---|
//! | duplicate | Jaccard ≥ 0.9 |
//! | near-duplicate | Jaccard ≥ 0.5 |
//! | partial | the larger containment ≥ 0.7 (one largely contains the other) |
//! | related | Jaccard ≥ 0.02, or the larger containment ≥ 0.05, or ≥ 25 % of either article's words aligned (and ≥ 20 words on each side) |
//! | unrelated | otherwise |

use super::model::{Similarity, Verdict};

/// Thresholds of the verdict rules.
#[derive(Clone, Debug, PartialEq)]
pub struct Thresholds {
    /// Jaccard at or above which two articles are duplicates.
    pub duplicate: f64,
    /// Jaccard at or above which two articles are near-duplicates.
    pub near_duplicate: f64,
    /// Containment at or above which one article largely contains the other.
    pub partial: f64,
    /// Jaccard at or above which two articles are related.
    pub related_jaccard: f64,
    /// Containment at or above which two articles are related.
    pub related_containment: f64,
    /// Share of aligned words at or above which two articles are related.
    pub related_aligned: f64,
    /// Aligned words each side needs for the aligned share to count.
    pub related_aligned_words: usize,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            duplicate: 0.9,
            near_duplicate: 0.5,
            partial: 0.7,
            related_jaccard: 0.02,
            related_containment: 0.05,
            related_aligned: 0.25,
            related_aligned_words: 20,
        }
    }
}

/// Applies the rules to the scores; `aligned_words` is the smaller of the
/// two sides' counts of words in aligned passages.
pub fn verdict(s: &Similarity, aligned_words: usize, t: &Thresholds) -> Verdict {
    let contained = s.containment_a_in_b.max(s.containment_b_in_a);
    let aligned = if aligned_words >= t.related_aligned_words {
        s.aligned_a.max(s.aligned_b)
    } else {
        0.0
    };
    if s.jaccard >= t.duplicate {
        Verdict::Duplicate
    } else if s.jaccard >= t.near_duplicate {
        Verdict::NearDuplicate
    } else if contained >= t.partial {
        Verdict::Partial
    } else if s.jaccard >= t.related_jaccard
        || contained >= t.related_containment
        || aligned >= t.related_aligned
    {
        Verdict::Related
    } else {
        Verdict::Unrelated
    }
}
