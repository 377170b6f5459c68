//! MinHash signatures over shingle sets.

use super::shingle::{ShingleSet, mix64};

/// The default number of hash functions (signature length).
pub const DEFAULT_NUM_PERM: usize = 128;

/// Computes MinHash signatures: for each of `num_perm` seeded hash
/// functions, the minimum hash over the set.
#[derive(Clone, Debug)]
pub struct MinHasher {
    seeds: Vec<u64>,
}

/// A MinHash signature; two signatures are comparable only when made by
/// hashers of the same length and seed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    /// One minimum per hash function.
    pub mins: Vec<u64>,
}

impl Default for MinHasher {
    fn default() -> Self {
        MinHasher::new(DEFAULT_NUM_PERM, 0)
    }
}

impl MinHasher {
    /// A hasher with `num_perm` hash functions derived from `seed`.
    pub fn new(num_perm: usize, seed: u64) -> MinHasher {
        let seeds = (0..num_perm as u64)
            .map(|i| mix64(seed ^ mix64(i.wrapping_add(0x51_7cc1_b727_220a))))
            .collect();
        MinHasher { seeds }
    }

    /// Signature length.
    pub fn num_perm(&self) -> usize {
        self.seeds.len()
    }

    /// The signature of a shingle set (all `u64::MAX` for an empty set).
    pub fn sketch(&self, set: &ShingleSet) -> Signature {
        let mut mins = vec![u64::MAX; self.seeds.len()];
        for &x in set.hashes() {
            for (m, &s) in mins.iter_mut().zip(&self.seeds) {
                let h = mix64(x ^ s);
                if h < *m {
                    *m = h;
                }
            }
        }
        Signature { mins }
    }
}

impl Signature {
    /// The Jaccard estimate: the share of positions where both minima agree.
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

    #[test]
    fn identical_sets_estimate_one() {
        let h = MinHasher::default();
        let a = shingle_set("alpha beta gamma delta epsilon zeta eta theta", 3);
        assert_eq!(h.sketch(&a).jaccard(&h.sketch(&a)), 1.0);
    }

    #[test]
    fn estimate_close_to_exact() {
        let h = MinHasher::new(256, 7);
        let words: Vec<String> = (0..400).map(|i| format!("w{i}")).collect();
        let a = shingle_set(&words[..300].join(" "), 3);
        let b = shingle_set(&words[100..].join(" "), 3);
        let exact = jaccard(&a, &b);
        let est = h.sketch(&a).jaccard(&h.sketch(&b));
        // Standard error sqrt(J(1-J)/k) ~ 0.03 here; allow 4 sigma.
        assert!((exact - est).abs() < 0.12, "exact {exact} est {est}");
    }
}
