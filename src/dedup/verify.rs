//! Stage 3: verify. Each candidate pair is scored exactly (from the
//! shingle fingerprints) or, with verification off, from the signatures;
//! pairs below the threshold are dropped.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::Metric;
use super::bucket::Candidate;
use super::sketch::{DocSketch, intersection_len, signature_jaccard};

/// All scores of a pair (documents by index, `a < b`). Exact scores are
/// `None` when verification is off.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PairScores {
    /// The earlier document.
    pub a: u32,
    /// The later document.
    pub b: u32,
    /// Exact Jaccard similarity of the shingle sets.
    pub jaccard: Option<f64>,
    /// The MinHash estimate of the Jaccard similarity.
    pub minhash_jaccard: f64,
    /// Exact share of A's shingles found in B.
    pub containment_a_in_b: Option<f64>,
    /// Exact share of B's shingles found in A.
    pub containment_b_in_a: Option<f64>,
}

impl PairScores {
    /// The score under `metric`: Jaccard, or the larger of the two
    /// containments; exact when known, else estimated from the signature
    /// and the set sizes.
    pub fn score(&self, metric: Metric, docs: &[DocSketch]) -> f64 {
        match metric {
            Metric::Jaccard => self.jaccard.unwrap_or(self.minhash_jaccard),
            Metric::Containment => match (self.containment_a_in_b, self.containment_b_in_a) {
                (Some(x), Some(y)) => x.max(y),
                _ => {
                    let (na, nb) = (
                        docs[self.a as usize].num_shingles,
                        docs[self.b as usize].num_shingles,
                    );
                    estimated_containment(self.minhash_jaccard, na, nb)
                }
            },
        }
    }
}

/// Larger containment implied by a Jaccard value and the two set sizes:
/// |A∩B| = J(|A|+|B|)/(1+J), divided by the smaller set.
pub fn estimated_containment(j: f64, na: u32, nb: u32) -> f64 {
    let small = na.min(nb).max(1) as f64;
    let inter = j * (na as f64 + nb as f64) / (1.0 + j);
    (inter / small).min(1.0)
}

/// Scores one pair of documents.
pub fn score_pair(docs: &[DocSketch], a: u32, b: u32) -> PairScores {
    let (da, db) = (&docs[a as usize], &docs[b as usize]);
    let minhash_jaccard = signature_jaccard(&da.signature, &db.signature);
    let (jaccard, ca, cb) = match (&da.shingles, &db.shingles) {
        (Some(sa), Some(sb)) => {
            let inter = intersection_len(sa, sb) as f64;
            let union = sa.len() as f64 + sb.len() as f64 - inter;
            let j = if union == 0.0 { 1.0 } else { inter / union };
            let ca = if sa.is_empty() {
                1.0
            } else {
                inter / sa.len() as f64
            };
            let cb = if sb.is_empty() {
                1.0
            } else {
                inter / sb.len() as f64
            };
            (Some(j), Some(ca), Some(cb))
        }
        _ => (None, None, None),
    };
    PairScores {
        a,
        b,
        jaccard,
        minhash_jaccard,
        containment_a_in_b: ca,
        containment_b_in_a: cb,
    }
}

/// Scores all candidates in parallel and keeps those meeting `threshold`
/// under `metric`, in candidate order.
pub fn verify(
    docs: &[DocSketch],
    candidates: &[Candidate],
    metric: Metric,
    threshold: f64,
) -> Vec<PairScores> {
    candidates
        .par_iter()
        .filter_map(|c| {
            let s = score_pair(docs, c.a, c.b);
            (s.score(metric, docs) >= threshold).then_some(s)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(sh: Vec<u32>) -> DocSketch {
        DocSketch {
            id: String::new(),
            date: None,
            num_shingles: sh.len() as u32,
            signature: vec![0; 4],
            shingles: Some(sh),
        }
    }

    #[test]
    fn exact_scores() {
        let docs = vec![doc(vec![1, 2, 3, 4]), doc(vec![1, 2, 3, 4, 5, 6, 7, 8])];
        let s = score_pair(&docs, 0, 1);
        assert_eq!(s.jaccard, Some(0.5));
        assert_eq!(s.containment_a_in_b, Some(1.0));
        assert_eq!(s.containment_b_in_a, Some(0.5));
        let c = [Candidate { a: 0, b: 1 }];
        assert_eq!(verify(&docs, &c, Metric::Jaccard, 0.6).len(), 0);
        assert_eq!(verify(&docs, &c, Metric::Containment, 0.9).len(), 1);
    }

    #[test]
    fn containment_estimate() {
        // |A| = 50, |B| = 100, A inside B: J = 0.5 -> containment 1.
        assert!((estimated_containment(0.5, 50, 100) - 1.0).abs() < 1e-12);
    }
}
