//! MinHash signatures over shingle sets.
//!
//! The default scheme is one-permutation hashing with optimal densification
//! (Shrivastava, ICML 2017): each shingle is hashed once, the hash picks one
//! of `num_perm` bins and the signature keeps the minimum per bin; empty
//! bins borrow the value of a bin chosen by a seeded probe sequence that
//! depends only on the bin number, so that two sets fill their empty bins
//! the same way. The estimate stays unbiased and the work is one hash per
//! shingle instead of `num_perm`. `docs/dedup.md` has the measurement
//! (speed, bias and RMSE against exact Jaccard) behind the choice; the
//! classic and C-MinHash schemes are kept for that comparison.

use serde::{Deserialize, Serialize};

use super::shingle::{ShingleSet, mix64};

/// The default number of hash functions (signature length).
pub const DEFAULT_NUM_PERM: usize = 128;

/// How a signature is computed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Scheme {
    /// One-permutation hashing with optimal densification: one hash per
    /// shingle (the default).
    #[default]
    OnePermutation,
    /// Classic MinHash: `num_perm` independent hash functions, one minimum
    /// each; `num_perm` hashes per shingle.
    Classic,
    /// C-MinHash: one initial permutation, then `num_perm` circulant shifts
    /// of a second one; also `num_perm` hashes per shingle.
    Circulant,
}

/// Computes MinHash signatures of shingle sets.
#[derive(Clone, Debug)]
pub struct MinHasher {
    num_perm: usize,
    seed: u64,
    scheme: Scheme,
    /// Per-function seeds (classic only).
    seeds: Vec<u64>,
}

/// A MinHash signature; two signatures are comparable only when made by
/// hashers of the same length, seed and scheme.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    /// One value per position.
    pub mins: Vec<u64>,
}

impl Default for MinHasher {
    fn default() -> Self {
        MinHasher::new(DEFAULT_NUM_PERM, 0)
    }
}

/// Marks an empty bin before densification.
const EMPTY: u64 = u64::MAX;

impl MinHasher {
    /// A hasher with signature length `num_perm` (at least 1) derived from
    /// `seed`, using the default scheme.
    pub fn new(num_perm: usize, seed: u64) -> MinHasher {
        MinHasher::with_scheme(num_perm, seed, Scheme::default())
    }

    /// A hasher using a given scheme (for measurements; dedup and compare
    /// use [`MinHasher::new`]).
    pub fn with_scheme(num_perm: usize, seed: u64, scheme: Scheme) -> MinHasher {
        let num_perm = num_perm.max(1);
        let seeds = match scheme {
            Scheme::Classic => (0..num_perm as u64)
                .map(|i| mix64(seed ^ mix64(i.wrapping_add(0x51_7cc1_b727_220a))))
                .collect(),
            _ => Vec::new(),
        };
        MinHasher {
            num_perm,
            seed: mix64(seed ^ 0x2545_f491_4f6c_dd1d),
            scheme,
            seeds,
        }
    }

    /// Signature length.
    pub fn num_perm(&self) -> usize {
        self.num_perm
    }

    /// The scheme in use.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The signature of a shingle set (all `u64::MAX` for an empty set).
    pub fn sketch(&self, set: &ShingleSet) -> Signature {
        self.sketch_hashes(set.hashes())
    }

    /// The signature of a set given as distinct shingle hashes in any order
    /// (repeats are harmless: a minimum does not change).
    pub fn sketch_hashes(&self, hashes: &[u64]) -> Signature {
        let mut mins = vec![EMPTY; self.num_perm];
        match self.scheme {
            Scheme::OnePermutation => self.one_permutation(hashes, &mut mins),
            Scheme::Classic => {
                for &x in hashes {
                    for (m, &s) in mins.iter_mut().zip(&self.seeds) {
                        let h = mix64(x ^ s);
                        if h < *m {
                            *m = h;
                        }
                    }
                }
            }
            Scheme::Circulant => {
                // sigma(x), then pi applied to sigma(x) shifted by k.
                for &x in hashes {
                    let y = mix64(x ^ self.seed);
                    for (k, m) in mins.iter_mut().enumerate() {
                        let h = mix64(y.wrapping_add(k as u64));
                        if h < *m {
                            *m = h;
                        }
                    }
                }
            }
        }
        Signature { mins }
    }

    fn one_permutation(&self, hashes: &[u64], mins: &mut [u64]) {
        let k = mins.len() as u128;
        for &x in hashes {
            let h = mix64(x ^ self.seed);
            // The high bits pick the bin; within a bin, comparing whole
            // hashes compares the remaining bits.
            let bin = ((h as u128 * k) >> 64) as usize;
            if h < mins[bin] {
                mins[bin] = h;
            }
        }
        if hashes.is_empty() || !mins.contains(&EMPTY) {
            return;
        }
        // Optimal densification: an empty bin j takes the value of the
        // first non-empty bin in its own seeded probe sequence.
        let filled: Vec<u64> = mins.to_vec();
        for (j, m) in mins.iter_mut().enumerate() {
            if *m != EMPTY {
                continue;
            }
            let mut attempt: u64 = 1;
            loop {
                let probe = mix64(self.seed ^ ((j as u64) << 32 | attempt));
                let c = ((probe as u128 * k) >> 64) as usize;
                if filled[c] != EMPTY {
                    *m = filled[c];
                    break;
                }
                attempt += 1;
                if attempt > 1 << 16 {
                    // Unreachable in practice (a non-empty bin exists);
                    // fall back to a deterministic scan.
                    *m = filled
                        .iter()
                        .copied()
                        .find(|&v| v != EMPTY)
                        .unwrap_or(EMPTY);
                    break;
                }
            }
        }
    }
}

impl Signature {
    /// The Jaccard estimate: the share of positions where both values agree.
    pub fn jaccard(&self, other: &Signature) -> f64 {
        let n = self.mins.len().min(other.mins.len());
        if n == 0 {
            return 0.0;
        }
        let same = self
            .mins
            .iter()
            .zip(&other.mins)
            .filter(|(a, b)| a == b)
            .count();
        same as f64 / n as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sketch::{jaccard, shingle_set};

    const SCHEMES: [Scheme; 3] = [Scheme::OnePermutation, Scheme::Classic, Scheme::Circulant];

    #[test]
    fn identical_sets_estimate_one() {
        for scheme in SCHEMES {
            let h = MinHasher::with_scheme(128, 0, scheme);
            let a = shingle_set("alpha beta gamma delta epsilon zeta eta theta", 3);
            assert_eq!(h.sketch(&a).jaccard(&h.sketch(&a)), 1.0);
            assert!(!h.sketch(&a).mins.contains(&EMPTY), "{scheme:?}");
        }
    }

    #[test]
    fn empty_set_is_all_max() {
        let h = MinHasher::default();
        assert!(
            h.sketch(&ShingleSet::default())
                .mins
                .iter()
                .all(|&m| m == EMPTY)
        );
    }

    #[test]
    fn estimate_close_to_exact() {
        for scheme in SCHEMES {
            let h = MinHasher::with_scheme(256, 7, scheme);
            let words: Vec<String> = (0..400).map(|i| format!("w{i}")).collect();
            let a = shingle_set(&words[..300].join(" "), 3);
            let b = shingle_set(&words[100..].join(" "), 3);
            let exact = jaccard(&a, &b);
            let est = h.sketch(&a).jaccard(&h.sketch(&b));
            // Standard error sqrt(J(1-J)/k) ~ 0.03 here; allow 4 sigma.
            assert!(
                (exact - est).abs() < 0.12,
                "{scheme:?} exact {exact} est {est}"
            );
        }
    }

    #[test]
    fn order_and_repeats_do_not_matter() {
        let h = MinHasher::default();
        let a = h.sketch_hashes(&[5, 1, 9, 1, 5]);
        let b = h.sketch_hashes(&[1, 5, 9]);
        assert_eq!(a, b);
    }
}
