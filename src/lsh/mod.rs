//! Locality-sensitive hashing over MinHash signatures: the banding plan
//! (how many bands of how many rows) and the bucket keys of a signature.
//!
//! With `b` bands of `r` rows, two documents whose Jaccard similarity is
//! `s` share at least one bucket with probability `1 - (1 - s^r)^b` (the
//! S-curve). [`LshPlan::optimal`] picks `b` and `r` (with `b·r` at most the
//! signature length, not necessarily equal to it) minimising the weighted
//! false-positive mass (the integral of the S-curve below the threshold)
//! plus the false-negative mass (the integral of one minus the S-curve
//! above it).

use serde::{Deserialize, Serialize};

/// Default weight of the false-negative mass: a missed pair is lost for
/// good, while a false candidate only costs one exact verification.
pub const DEFAULT_FN_WEIGHT: f64 = 0.98;

/// The key of one band of a document's signature as `dedup` buckets it:
/// the high 32 bits of [`LshPlan::band_key`]. Two documents with different
/// band values share a key with probability 2^-32 per band; such a pair is
/// only a needless candidate, which verification drops (or which, without
/// verification, is scored by its signatures like any other). Half the
/// width of the full key halves the memory of the keys and of the entries
/// sorted.
pub type BandKey = u32;

/// A banding plan.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LshPlan {
    /// Number of bands.
    pub bands: usize,
    /// Rows (signature positions) per band.
    pub rows: usize,
    /// The Jaccard threshold the plan was made for.
    pub threshold: f64,
    /// Integral of the candidate probability over `[0, threshold]`.
    pub fp_mass: f64,
    /// Integral of the miss probability over `[threshold, 1]`.
    pub fn_mass: f64,
}

/// The probability that two documents with Jaccard `s` share a bucket.
pub fn candidate_probability(s: f64, bands: usize, rows: usize) -> f64 {
    1.0 - (1.0 - s.powi(rows as i32)).powi(bands as i32)
}

/// Steps of the Simpson integrations of the error masses.
const STEPS: usize = 200;

/// Simpson integration of `f` over `[a, b]` with `n` (even) steps.
fn integrate(f: impl Fn(f64) -> f64, a: f64, b: f64, n: usize) -> f64 {
    integrate_at(|_, x| f(x), a, b, n)
}

/// [`integrate`] of `f(i, x)`, where `x` is the `i`-th point of the grid
/// (`a + i·h`, `i` from 0 to `n`): the same sum in the same order, so that
/// a caller can look up values it made once per grid point.
fn integrate_at(f: impl Fn(usize, f64) -> f64, a: f64, b: f64, n: usize) -> f64 {
    if b <= a {
        return 0.0;
    }
    let h = (b - a) / n as f64;
    let mut sum = f(0, a) + f(n, b);
    for i in 1..n {
        let x = a + i as f64 * h;
        sum += if i % 2 == 1 { 4.0 } else { 2.0 } * f(i, x);
    }
    sum * h / 3.0
}

/// `x.powi(rows)` at every point of an integration grid over `[a, b]`,
/// for every `rows` from 1 to `max_rows` (`table[rows - 1][i]`): each
/// plan's error masses then only raise these to the number of bands.
fn row_powers(a: f64, b: f64, max_rows: usize) -> Vec<Vec<f64>> {
    let h = (b - a) / STEPS as f64;
    (1..=max_rows)
        .map(|rows| {
            (0..=STEPS)
                .map(|i| {
                    let x = if i == STEPS { b } else { a + i as f64 * h };
                    x.powi(rows as i32)
                })
                .collect()
        })
        .collect()
}

impl LshPlan {
    /// The plan for `threshold` over signatures of length `num_perm`,
    /// minimising `(1 - fn_weight)·fp_mass + fn_weight·fn_mass`. Ties go to
    /// fewer positions used, then fewer bands (cheaper bucketing).
    pub fn optimal(threshold: f64, num_perm: usize, fn_weight: f64) -> LshPlan {
        let t = threshold.clamp(0.0, 1.0);
        let w = fn_weight.clamp(0.0, 1.0);
        let num_perm = num_perm.max(1);
        let mut best: Option<(f64, LshPlan)> = None;
        // The masses are those of `with_layout`, with `s.powi(rows)` made
        // once per grid point and row count (the same values, so the
        // same plan, at about half the cost).
        let (below, above) = (row_powers(0.0, t, num_perm), row_powers(t, 1.0, num_perm));
        let p = |pow: f64, bands: usize| 1.0 - (1.0 - pow).powi(bands as i32);
        for bands in 1..=num_perm {
            for rows in 1..=num_perm / bands {
                let (lo, hi) = (&below[rows - 1], &above[rows - 1]);
                let fp = integrate_at(|i, _| p(lo[i], bands), 0.0, t, STEPS);
                let fneg = integrate_at(|i, _| 1.0 - p(hi[i], bands), t, 1.0, STEPS);
                let cost = (1.0 - w) * fp + w * fneg;
                let plan = LshPlan {
                    bands,
                    rows,
                    threshold: t,
                    fp_mass: fp,
                    fn_mass: fneg,
                };
                // Strictly better by a margin, so that float noise does not
                // decide between near-equal plans.
                if best.as_ref().is_none_or(|(c, _)| cost < *c - 1e-12) {
                    best = Some((cost, plan));
                }
            }
        }
        best.map(|(_, p)| p).unwrap_or(LshPlan {
            bands: 1,
            rows: 1,
            threshold: t,
            fp_mass: 0.0,
            fn_mass: 0.0,
        })
    }

    /// The plan of a given layout (bands and rows fixed elsewhere, e.g. in
    /// a stored index), with its error masses for `threshold`.
    pub fn with_layout(bands: usize, rows: usize, threshold: f64) -> LshPlan {
        let t = threshold.clamp(0.0, 1.0);
        LshPlan {
            bands,
            rows,
            threshold: t,
            fp_mass: integrate(|s| candidate_probability(s, bands, rows), 0.0, t, STEPS),
            fn_mass: integrate(
                |s| 1.0 - candidate_probability(s, bands, rows),
                t,
                1.0,
                STEPS,
            ),
        }
    }

    /// The probability that a pair with Jaccard `s` becomes a candidate.
    pub fn probability(&self, s: f64) -> f64 {
        candidate_probability(s, self.bands, self.rows)
    }

    /// Signature positions used (`bands · rows`).
    pub fn positions(&self) -> usize {
        self.bands * self.rows
    }

    /// The bucket key of band `band` of a signature (given as 32-bit
    /// values). Keys of different bands are distinct with high probability.
    pub fn band_key(&self, signature: &[u32], band: usize) -> u64 {
        let start = band * self.rows;
        let mut h = 0x243f_6a88_85a3_08d3u64 ^ band as u64;
        for &v in &signature[start..start + self.rows] {
            h = crate::sketch::mix64(h ^ v as u64).wrapping_add(0x9e37_79b9);
        }
        h
    }

    /// The [`BandKey`] of band `band`: the high half of
    /// [`LshPlan::band_key`], the key `dedup` buckets by.
    #[inline]
    pub fn band_key32(&self, signature: &[u32], band: usize) -> BandKey {
        (self.band_key(signature, band) >> 32) as BandKey
    }

    /// A multi-line human description for `--explain`.
    pub fn explain(&self, num_perm: usize) -> String {
        let mut s = format!(
            "LSH plan: {} bands x {} rows = {} of {} signature positions, Jaccard threshold {:.3}\n",
            self.bands,
            self.rows,
            self.positions(),
            num_perm,
            self.threshold
        );
        s.push_str(&format!(
            "  false-positive mass (integral below threshold): {:.5}\n  false-negative mass (integral above threshold): {:.5}\n",
            self.fp_mass, self.fn_mass
        ));
        s.push_str("  P(candidate) at Jaccard:");
        let t = self.threshold;
        for x in [t - 0.2, t - 0.1, t - 0.05, t, t + 0.05, t + 0.1] {
            if (0.0..=1.0).contains(&x) {
                s.push_str(&format!(" {:.2}->{:.4}", x, self.probability(x)));
            }
        }
        s.push('\n');
        s
    }
}

/// The lowest Jaccard similarity two sets can have when the smaller one is
/// at least `containment` contained in the larger and its size is at least
/// `size_ratio` times the larger's: `c·ρ / (1 + ρ - c·ρ)`.
pub fn jaccard_for_containment(containment: f64, size_ratio: f64) -> f64 {
    let c = containment.clamp(0.0, 1.0);
    let r = size_ratio.clamp(0.0, 1.0);
    let denom = 1.0 + r - c * r;
    if denom <= 0.0 { 1.0 } else { c * r / denom }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_uses_at_most_num_perm() {
        for t in [0.3, 0.5, 0.8, 0.95] {
            let p = LshPlan::optimal(t, 128, DEFAULT_FN_WEIGHT);
            assert!(p.positions() <= 128, "{p:?}");
            // The S-curve rises around the threshold.
            assert!(p.probability(t + 0.05) > 0.9, "{t} {p:?}");
            assert!(p.probability((t - 0.3).max(0.0)) < 0.5, "{t} {p:?}");
        }
    }

    #[test]
    fn default_threshold_recall() {
        // The recall target: pairs at threshold + 0.05 are candidates with
        // probability at least 0.99.
        let p = LshPlan::optimal(0.5, 128, DEFAULT_FN_WEIGHT);
        assert!(p.probability(0.55) >= 0.99, "{p:?}");
    }

    #[test]
    fn higher_fn_weight_means_fewer_misses() {
        let lo = LshPlan::optimal(0.5, 128, 0.5);
        let hi = LshPlan::optimal(0.5, 128, 0.95);
        assert!(hi.fn_mass <= lo.fn_mass);
        assert!(hi.fp_mass >= lo.fp_mass);
    }

    #[test]
    fn integration_is_accurate() {
        let v = integrate(|x| x * x, 0.0, 1.0, 200);
        assert!((v - 1.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn containment_bound() {
        // Equal sizes, full containment: identical sets.
        assert!((jaccard_for_containment(1.0, 1.0) - 1.0).abs() < 1e-12);
        // A half-size copy fully contained: J = 0.5.
        assert!((jaccard_for_containment(1.0, 0.5) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn optimal_is_the_best_layout_by_its_own_masses() {
        // The plain search: every layout's masses from `with_layout`.
        for (t, num_perm, w) in [
            (0.5, 128, DEFAULT_FN_WEIGHT),
            (0.8, 64, 0.5),
            (0.27, 100, 0.9),
        ] {
            let mut best: Option<(f64, LshPlan)> = None;
            for bands in 1..=num_perm {
                for rows in 1..=num_perm / bands {
                    let plan = LshPlan::with_layout(bands, rows, t);
                    let cost = (1.0 - w) * plan.fp_mass + w * plan.fn_mass;
                    if best.as_ref().is_none_or(|(c, _)| cost < *c - 1e-12) {
                        best = Some((cost, plan));
                    }
                }
            }
            let want = best.unwrap().1;
            let got = LshPlan::optimal(t, num_perm, w);
            assert_eq!(
                (
                    got.bands,
                    got.rows,
                    got.fp_mass.to_bits(),
                    got.fn_mass.to_bits()
                ),
                (
                    want.bands,
                    want.rows,
                    want.fp_mass.to_bits(),
                    want.fn_mass.to_bits()
                ),
                "threshold {t}, {num_perm} positions"
            );
        }
    }

    #[test]
    fn band_keys_differ_by_band() {
        let p = LshPlan::optimal(0.5, 128, DEFAULT_FN_WEIGHT);
        let sig = vec![7u32; 128];
        assert_ne!(p.band_key(&sig, 0), p.band_key(&sig, 1));
    }
}
