//! Stage 3: verify. Each candidate pair is scored exactly (from the
//! shingle fingerprints) or, with verification off, from the signatures;
//! pairs below the threshold are dropped.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::Metric;
use super::bucket::Candidate;
use super::sketch::{
    DocSketch, intersection_len, intersection_len_at_least, intersection_len_at_least_x2,
    shares_at_least, shares_at_least_x2, signature_jaccard,
};

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

/// Exact Jaccard from the intersection and set sizes (1 for two empty
/// sets).
fn jaccard_of(inter: f64, na: f64, nb: f64) -> f64 {
    let union = na + nb - inter;
    if union == 0.0 { 1.0 } else { inter / union }
}

/// Exact share of a set of `n` elements found in the other (1 when empty).
fn containment_of(inter: f64, n: f64) -> f64 {
    if n == 0.0 { 1.0 } else { inter / n }
}

/// Scores one pair of documents.
pub fn score_pair(docs: &[DocSketch], a: u32, b: u32) -> PairScores {
    let (da, db) = (&docs[a as usize], &docs[b as usize]);
    let minhash_jaccard = signature_jaccard(&da.signature, &db.signature);
    let (jaccard, ca, cb) = match (&da.shingles, &db.shingles) {
        (Some(sa), Some(sb)) => {
            let inter = intersection_len(sa, sb) as f64;
            let (na, nb) = (sa.len() as f64, sb.len() as f64);
            (
                Some(jaccard_of(inter, na, nb)),
                Some(containment_of(inter, na)),
                Some(containment_of(inter, nb)),
            )
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

/// Whether a pair meets `threshold` under `metric`: always the same answer
/// as `score_pair(docs, a, b).score(metric, docs) >= threshold`, but
/// cheaper ([`exact_scores`]). Without shingle sets it falls back to
/// [`score_pair`].
pub fn meets_threshold(docs: &[DocSketch], a: u32, b: u32, metric: Metric, threshold: f64) -> bool {
    let (da, db) = (&docs[a as usize], &docs[b as usize]);
    match (&da.shingles, &db.shingles) {
        (Some(sa), Some(sb)) => sets_meet_threshold(sa, sb, metric, threshold),
        _ => score_pair(docs, a, b).score(metric, docs) >= threshold,
    }
}

/// [`meets_threshold`] of two shingle sets.
#[inline]
pub(crate) fn sets_meet_threshold(sa: &[u32], sb: &[u32], metric: Metric, threshold: f64) -> bool {
    needed_shared(sa.len(), sb.len(), metric, threshold)
        .is_some_and(|need| shares_at_least(sa, sb, need))
}

/// [`sets_meet_threshold`] of two pairs of shingle sets, merged side by
/// side ([`shares_at_least_x2`]).
pub(crate) fn sets_meet_threshold_x2(
    pairs: [(&[u32], &[u32]); 2],
    metric: Metric,
    threshold: f64,
) -> [bool; 2] {
    shares_at_least_x2(pairs, needed_x2(pairs, metric, threshold))
}

/// [`needed_shared`] of two pairs, `usize::MAX` (out of reach) for a pair
/// that cannot meet the threshold.
fn needed_x2(pairs: [(&[u32], &[u32]); 2], metric: Metric, threshold: f64) -> [usize; 2] {
    pairs.map(|(a, b)| needed_shared(a.len(), b.len(), metric, threshold).unwrap_or(usize::MAX))
}

/// The scores of a pair that meets `threshold` under `metric`, else
/// `None`: [`score_pair`]'s, from one merge that [`exact_scores`] cuts
/// short when the pair cannot make it.
pub fn score_if_meets(
    docs: &[DocSketch],
    a: u32,
    b: u32,
    metric: Metric,
    threshold: f64,
) -> Option<PairScores> {
    let (da, db) = (&docs[a as usize], &docs[b as usize]);
    let (Some(sa), Some(sb)) = (&da.shingles, &db.shingles) else {
        let s = score_pair(docs, a, b);
        return (s.score(metric, docs) >= threshold).then_some(s);
    };
    let exact = exact_scores(sa, sb, metric, threshold)?;
    Some(with_exact(docs, a, b, exact))
}

/// [`score_if_meets`] of two pairs, their sets merged side by side when
/// both pairs have them.
fn scores_if_meet_x2(
    docs: &[DocSketch],
    pairs: [&Candidate; 2],
    metric: Metric,
    threshold: f64,
) -> [Option<PairScores>; 2] {
    let sets = |c: &Candidate| {
        let set = |d: u32| docs[d as usize].shingles.as_deref();
        Some((set(c.a)?, set(c.b)?))
    };
    if let (Some(x), Some(y)) = (sets(pairs[0]), sets(pairs[1])) {
        let exact = exact_scores_x2([x, y], metric, threshold);
        return std::array::from_fn(|k| {
            exact[k].map(|e| with_exact(docs, pairs[k].a, pairs[k].b, e))
        });
    }
    pairs.map(|c| score_if_meets(docs, c.a, c.b, metric, threshold))
}

/// The scores of pair `(a, b)` with its exact (Jaccard, share of `a` in
/// `b`, share of `b` in `a`).
fn with_exact(docs: &[DocSketch], a: u32, b: u32, exact: (f64, f64, f64)) -> PairScores {
    let (jaccard, ca, cb) = exact;
    PairScores {
        a,
        b,
        jaccard: Some(jaccard),
        minhash_jaccard: signature_jaccard(
            &docs[a as usize].signature,
            &docs[b as usize].signature,
        ),
        containment_a_in_b: Some(ca),
        containment_b_in_a: Some(cb),
    }
}

/// The exact scores of two sorted, distinct shingle sets, (Jaccard, share
/// of `a` in `b`, share of `b` in `a`), when the score under `metric`
/// reaches `threshold`; else `None`, often after part of a merge only.
///
/// The score is a non-decreasing function `f` of the intersection size
/// `x` (for Jaccard `x / (|A| + |B| - x)`, for containment
/// `max(x / |A|, x / |B|)`; both stay monotone in floating point, as a
/// correctly rounded quotient of a growing numerator and a shrinking
/// denominator). So the pair reaches the threshold exactly when `x ≥
/// need`, the smallest `x` with `f(x) ≥ threshold`, found by binary search
/// with the very expression the scores use; the merge stops as soon as `x`
/// can no longer reach `need` (the intersection found so far plus the
/// elements left on the shorter side).
pub fn exact_scores(
    a: &[u32],
    b: &[u32],
    metric: Metric,
    threshold: f64,
) -> Option<(f64, f64, f64)> {
    let need = needed_shared(a.len(), b.len(), metric, threshold)?;
    let x = intersection_len_at_least(a, b, need)?;
    Some(scores_at(x, a.len(), b.len()))
}

/// [`exact_scores`] of two pairs of sets, merged side by side.
pub(crate) fn exact_scores_x2(
    pairs: [(&[u32], &[u32]); 2],
    metric: Metric,
    threshold: f64,
) -> [Option<(f64, f64, f64)>; 2] {
    let shared = intersection_len_at_least_x2(pairs, needed_x2(pairs, metric, threshold));
    std::array::from_fn(|k| shared[k].map(|x| scores_at(x, pairs[k].0.len(), pairs[k].1.len())))
}

/// (Jaccard, share of `a` in `b`, share of `b` in `a`) of sets of `na` and
/// `nb` values sharing `x`.
fn scores_at(x: usize, na: usize, nb: usize) -> (f64, f64, f64) {
    let (x, na, nb) = (x as f64, na as f64, nb as f64);
    (
        jaccard_of(x, na, nb),
        containment_of(x, na),
        containment_of(x, nb),
    )
}

/// The score under `metric` of sets of `na` and `nb` values sharing `x`,
/// by the very expressions the reported scores use.
pub(crate) fn score_at(x: usize, na: usize, nb: usize, metric: Metric) -> f64 {
    let (x, fa, fb) = (x as f64, na as f64, nb as f64);
    match metric {
        Metric::Jaccard => jaccard_of(x, fa, fb),
        Metric::Containment => containment_of(x, fa).max(containment_of(x, fb)),
    }
}

/// The smallest intersection size with which sets of `na` and `nb`
/// values reach `threshold` under `metric` ([`exact_scores`] explains
/// why it is exact), or `None` when even the smaller set whole does not.
fn needed_shared(na: usize, nb: usize, metric: Metric, threshold: f64) -> Option<usize> {
    let (fa, fb) = (na as f64, nb as f64);
    let f = |x| score_at(x, na, nb, metric);
    let max = na.min(nb);
    if f(max) < threshold {
        return None;
    }
    // The real-valued solution of `f(x) = threshold`, rounded up, lands on
    // the answer or next to it (rounding); `f` is non-decreasing, so a
    // walk to the first `x` meeting the threshold finds the same one a
    // binary search would, in two or three evaluations instead of eight.
    let guess = match metric {
        Metric::Jaccard => threshold * (fa + fb) / (1.0 + threshold),
        Metric::Containment => threshold * fa.min(fb),
    };
    // (A NaN or negative guess converts to 0.)
    let mut x = (guess.ceil() as usize).min(max);
    while x < max && f(x) < threshold {
        x += 1;
    }
    while x > 0 && f(x - 1) >= threshold {
        x -= 1;
    }
    Some(x)
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
        .par_chunks(PREFETCH_CHUNK)
        .flat_map_iter(|chunk| {
            chunk.chunks(2).enumerate().flat_map(move |(k, two)| {
                for c in chunk.iter().skip(2 * k + PREFETCH_AHEAD).take(2) {
                    prefetch_sets(docs, c.a, c.b);
                }
                let scored = match two {
                    [c, d] => scores_if_meet_x2(docs, [c, d], metric, threshold),
                    [c] => [score_if_meets(docs, c.a, c.b, metric, threshold), None],
                    _ => unreachable!("chunks of one or two pairs"),
                };
                scored.into_iter().flatten()
            })
        })
        .collect()
}

/// Pairs scored one after another by one thread, each prefetching the
/// sets of the pair [`PREFETCH_AHEAD`] places on: the documents' sets are
/// scattered over memory, and a merge mostly waits on them.
pub(crate) const PREFETCH_CHUNK: usize = 64;
pub(crate) const PREFETCH_AHEAD: usize = 4;

/// Starts loading the first cache lines of the shingle sets of `a` and
/// `b` (the rest follows as the hardware sees the merge stream).
#[inline]
pub(crate) fn prefetch_sets(docs: &[DocSketch], a: u32, b: u32) {
    for d in [a, b] {
        if let Some(sh) = &docs[d as usize].shingles {
            crate::cache::prefetch(as_bytes(&sh[..sh.len().min(64)]));
        }
    }
}

/// `u32`s viewed as their bytes.
#[inline]
pub(crate) fn as_bytes(v: &[u32]) -> &[u8] {
    // SAFETY: `u8` has no alignment or validity requirements, and the
    // slice covers exactly the bytes of `v`, which it borrows.
    unsafe { std::slice::from_raw_parts(v.as_ptr() as *const u8, std::mem::size_of_val(v)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`needed_shared`] by binary search over every intersection size.
    fn needed_shared_by_search(na: usize, nb: usize, metric: Metric, t: f64) -> Option<usize> {
        let f = |x| score_at(x, na, nb, metric);
        let max = na.min(nb);
        if f(max) < t {
            return None;
        }
        let (mut lo, mut hi) = (0usize, max);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if f(mid) >= t {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        Some(lo)
    }

    #[test]
    fn needed_shared_agrees_with_binary_search_on_ratios() {
        // Every threshold that is a ratio of small integers, where the
        // real-valued solution is often a whole number and rounding
        // decides, against every pair of small set sizes.
        for den in 1..=24usize {
            for num in 0..=den {
                let t = num as f64 / den as f64;
                for na in 0..=120 {
                    for nb in 0..=120 {
                        for metric in [Metric::Jaccard, Metric::Containment] {
                            assert_eq!(
                                needed_shared(na, nb, metric, t),
                                needed_shared_by_search(na, nb, metric, t),
                                "{na} {nb} {t} {metric:?}"
                            );
                        }
                    }
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn needed_shared_agrees_with_binary_search(
            na in 0usize..3000,
            nb in 0usize..3000,
            t in 0.0f64..=1.0,
            // Thresholds that land exactly on a ratio of small integers,
            // where rounding decides.
            num in 0usize..50,
            den in 1usize..50,
            exact in proptest::bool::ANY,
        ) {
            let t = if exact { (num.min(den) as f64) / den as f64 } else { t };
            for metric in [Metric::Jaccard, Metric::Containment] {
                proptest::prop_assert_eq!(
                    needed_shared(na, nb, metric, t),
                    needed_shared_by_search(na, nb, metric, t)
                );
            }
        }
    }

    fn doc(sh: Vec<u32>) -> DocSketch {
        DocSketch {
            id: String::new(),
            outlet: 0,
            date: None,
            num_shingles: sh.len() as u32,
            words: sh.len() as u32 + 3,
            signature: vec![0; 4],
            shingles: Some(sh.into()),
            edges: None,
        }
    }

    #[test]
    fn scores_of_a_pair() {
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
    fn meets_threshold_agrees_with_score_pair() {
        let mut x = 99u32;
        let mut rnd = move |m: u32| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x % m
        };
        for _ in 0..300 {
            let universe = 20 + rnd(400);
            let (la, lb) = (1 + rnd(300), 1 + rnd(300));
            let mut sets: Vec<Vec<u32>> = [la, lb]
                .iter()
                .map(|&len| (0..len).map(|_| rnd(universe)).collect())
                .collect();
            for v in &mut sets {
                v.sort_unstable();
                v.dedup();
            }
            let docs: Vec<DocSketch> = sets.into_iter().map(doc).collect();
            for metric in [Metric::Jaccard, Metric::Containment] {
                let exact = score_pair(&docs, 0, 1).score(metric, &docs);
                for t in [0.1, 0.3, 0.5, 0.8, 0.9, 1.0, exact] {
                    assert_eq!(
                        meets_threshold(&docs, 0, 1, metric, t),
                        exact >= t,
                        "{metric:?} {t} {exact}"
                    );
                    let want = (exact >= t).then(|| score_pair(&docs, 0, 1));
                    assert_eq!(score_if_meets(&docs, 0, 1, metric, t), want);
                }
            }
        }
    }

    proptest::proptest! {
        /// The merge cut short never drops a score that reaches the
        /// cutoff (also a cutoff equal to the score itself), and what it
        /// returns is the full merge's scores.
        #[test]
        fn scores_cut_short_only_below_the_cutoff(
            a in proptest::collection::btree_set(0u32..300, 0..150),
            b in proptest::collection::btree_set(0u32..300, 0..150),
            cutoff in 0.0f64..1.0,
            containment in proptest::bool::ANY,
        ) {
            let (a, b): (Vec<u32>, Vec<u32>) = (a.into_iter().collect(), b.into_iter().collect());
            let metric = if containment { Metric::Containment } else { Metric::Jaccard };
            let full = exact_scores(&a, &b, metric, 0.0).unwrap();
            let score = |t: (f64, f64, f64)| if containment { t.1.max(t.2) } else { t.0 };
            for c in [cutoff, score(full)] {
                match exact_scores(&a, &b, metric, c) {
                    Some(t) => proptest::prop_assert_eq!(t, full),
                    None => proptest::prop_assert!(score(full) < c, "{} {}", score(full), c),
                }
            }
        }
    }

    #[test]
    fn containment_estimate() {
        // |A| = 50, |B| = 100, A inside B: J = 0.5 -> containment 1.
        assert!((estimated_containment(0.5, 50, 100) - 1.0).abs() < 1e-12);
    }
}
