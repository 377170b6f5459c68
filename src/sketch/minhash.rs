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

/// The longest signature: [`MinHasher`] makes at most this many values
/// (longer lengths are taken as this one), and the commands refuse more.
pub const MAX_NUM_PERM: usize = 4096;

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
    /// The first [`PROBES`] bins of every bin's densification probe
    /// sequence (one-permutation only), made on first use.
    probes: std::sync::OnceLock<Vec<u32>>,
}

/// Probes per bin kept in [`MinHasher`]'s table; later ones are computed.
const PROBES: usize = 16;

/// A MinHash signature; two signatures are comparable only when made by
/// hashers of the same length, seed and scheme ([`Signature::jaccard`]
/// refuses others).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    /// One value per position.
    pub mins: Vec<u64>,
    /// The hasher's seed (as mixed) and scheme: what, besides the length,
    /// must agree for two signatures to be compared.
    made_by: (u64, Scheme),
}

impl Default for MinHasher {
    fn default() -> Self {
        MinHasher::new(DEFAULT_NUM_PERM, 0)
    }
}

/// Marks an empty bin before densification.
const EMPTY: u64 = u64::MAX;

impl MinHasher {
    /// A hasher with signature length `num_perm` (at least 1, at most
    /// [`MAX_NUM_PERM`]: other lengths are taken as the nearest of the two)
    /// derived from `seed`, using the default scheme.
    pub fn new(num_perm: usize, seed: u64) -> MinHasher {
        MinHasher::with_scheme(num_perm, seed, Scheme::default())
    }

    /// A hasher using a given scheme (for measurements; dedup and compare
    /// use [`MinHasher::new`]).
    pub fn with_scheme(num_perm: usize, seed: u64, scheme: Scheme) -> MinHasher {
        let num_perm = num_perm.clamp(1, MAX_NUM_PERM);
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
            probes: std::sync::OnceLock::new(),
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
        Signature {
            mins,
            made_by: (self.seed, self.scheme),
        }
    }

    /// The signature of a set of 32-bit shingle fingerprints (each taken
    /// as a 64-bit value), written into `mins`: the signature `dedup` and
    /// the index keep. Made from the set rather than from the text, it can
    /// be made again once shingles are set aside (boilerplate) without the
    /// text.
    pub fn sketch_fingerprints_into(&self, fingerprints: &[u32], mins: &mut Vec<u64>) {
        mins.clear();
        mins.resize(self.num_perm, EMPTY);
        if self.scheme == Scheme::OnePermutation {
            for &f in fingerprints {
                self.one_permutation_add(u64::from(f), mins);
            }
            if !fingerprints.is_empty() {
                self.densify(mins, true);
            }
        } else {
            let hashes: Vec<u64> = fingerprints.iter().map(|&f| u64::from(f)).collect();
            *mins = self.sketch_hashes(&hashes).mins;
        }
    }

    fn one_permutation(&self, hashes: &[u64], mins: &mut [u64]) {
        for &x in hashes {
            self.one_permutation_add(x, mins);
        }
        if !hashes.is_empty() {
            self.densify(mins, true);
        }
    }

    /// Puts one shingle hash in its bin (one-permutation hashing).
    #[inline(always)]
    fn one_permutation_add(&self, x: u64, mins: &mut [u64]) {
        let h = mix64(x ^ self.seed);
        // The high bits pick the bin; within a bin, comparing whole hashes
        // compares the remaining bits.
        let bin = ((h as u128 * mins.len() as u128) >> 64) as usize;
        // Written every time: a compare and a store are cheaper than a
        // branch that goes either way about half the time.
        let m = &mut mins[bin];
        *m = (*m).min(h);
    }

    /// The signature of the shingles of a sequence of word hashes (see
    /// [`shingles_from_words`](super::shingles_from_words)), computed as the
    /// shingles are made; `on_shingle` sees each shingle hash, in order,
    /// repeats included. The same signature as [`MinHasher::sketch_hashes`]
    /// over those shingles. `mins` is working space and holds the signature
    /// afterwards.
    pub fn sketch_words_into(
        &self,
        words: &[u64],
        shingle_size: usize,
        mins: &mut Vec<u64>,
        mut on_shingle: impl FnMut(u64),
    ) {
        if self.scheme != Scheme::OnePermutation {
            let mut shingles = Vec::with_capacity(words.len());
            super::shingles_from_words(words, shingle_size, &mut shingles);
            shingles.iter().for_each(|&s| on_shingle(s));
            *mins = self.sketch_hashes(&shingles).mins;
            return;
        }
        self.one_permutation_words(words, shingle_size, mins, on_shingle, true);
    }

    /// [`sketch_words_into`](Self::sketch_words_into) under one-permutation
    /// hashing; `vector` lets it hash eight shingles at a time where the
    /// processor can (the tests run both ways).
    #[cfg_attr(not(target_arch = "x86_64"), allow(unused_variables))]
    fn one_permutation_words(
        &self,
        words: &[u64],
        shingle_size: usize,
        mins: &mut Vec<u64>,
        mut on_shingle: impl FnMut(u64),
        vector: bool,
    ) {
        mins.clear();
        mins.resize(self.num_perm, EMPTY);
        if words.is_empty() {
            return;
        }
        let window = super::shingle::shingle_window(words.len(), shingle_size);
        #[allow(unused_mut)]
        let mut done = 0;
        #[cfg(target_arch = "x86_64")]
        if vector && super::vector::available() {
            // SAFETY: the processor has AVX-512 F and DQ.
            done = unsafe {
                super::vector::one_permutation_x8(words, window, self.seed, mins, &mut on_shingle)
            };
        }
        super::shingle::for_each_shingle_from(words, window, done, |s| {
            on_shingle(s);
            self.one_permutation_add(s, mins);
        });
        // Words make at least one shingle.
        self.densify(mins, vector);
    }

    /// Fills the empty bins of a non-empty set's bins (optimal
    /// densification): bin `j` takes the value of the first bin of its own
    /// seeded probe sequence that the set filled. `vector` lets it test
    /// sixteen probes at a time where the processor can.
    #[cfg_attr(not(target_arch = "x86_64"), allow(unused_variables))]
    fn densify(&self, mins: &mut [u64], vector: bool) {
        let k = mins.len();
        let probes = self.probes.get_or_init(|| {
            (0..k)
                .flat_map(|j| (1..=PROBES as u64).map(move |a| self.probe(j, a) as u32))
                .collect()
        });
        #[cfg(target_arch = "x86_64")]
        if vector && k <= 512 && crate::arch::cpu().avx512f {
            const { assert!(PROBES == 16) };
            // SAFETY: the processor has AVX-512 F, there are at most 512
            // bins and the table has sixteen probes per bin.
            unsafe {
                super::vector::densify_x16(mins, probes, |j, mins, is_filled| {
                    self.borrowed(j, mins, &[], is_filled)
                })
            };
            return;
        }
        // Which bins the set filled, before any is borrowed into.
        let mut filled_small = [0u64; 16];
        let mut filled_large = Vec::new();
        let filled: &mut [u64] = if k <= 64 * filled_small.len() {
            &mut filled_small[..k.div_ceil(64)]
        } else {
            filled_large.resize(k.div_ceil(64), 0);
            &mut filled_large
        };
        // Without branches: whether a bin is filled is a coin toss.
        for (j, &m) in mins.iter().enumerate() {
            filled[j / 64] |= ((m != EMPTY) as u64) << (j % 64);
        }
        let filled: &[u64] = filled;
        let is_filled = |c: usize| filled[c / 64] >> (c % 64) & 1 == 1;
        for (w, &bits) in filled.iter().enumerate() {
            let mut empty = !bits;
            if w == filled.len() - 1 && !k.is_multiple_of(64) {
                empty &= (1 << (k % 64)) - 1;
            }
            while empty != 0 {
                let j = w * 64 + empty.trailing_zeros() as usize;
                empty &= empty - 1;
                mins[j] = self.borrowed(j, mins, &probes[j * PROBES..(j + 1) * PROBES], is_filled);
            }
        }
    }

    /// The value empty bin `j` borrows: that of the first filled bin of
    /// its probe sequence (`table` holds the first [`PROBES`] of it).
    #[inline]
    fn borrowed(
        &self,
        j: usize,
        mins: &[u64],
        table: &[u32],
        is_filled: impl Fn(usize) -> bool,
    ) -> u64 {
        if let Some(&c) = table.iter().find(|&&c| is_filled(c as usize)) {
            return mins[c as usize];
        }
        let mut attempt = PROBES as u64 + 1;
        loop {
            let c = self.probe(j, attempt);
            if is_filled(c) {
                return mins[c];
            }
            attempt += 1;
            if attempt > 1 << 16 {
                // Not reached in practice (a set fills at least one bin);
                // the first filled bin keeps the result defined.
                let first = (0..mins.len())
                    .find(|&c| is_filled(c))
                    .expect("a filled bin");
                return mins[first];
            }
        }
    }

    /// Probe `attempt` (from 1) of bin `j`'s densification sequence.
    #[inline]
    fn probe(&self, j: usize, attempt: u64) -> usize {
        let probe = mix64(self.seed ^ ((j as u64) << 32 | attempt));
        ((probe as u128 * self.num_perm as u128) >> 64) as usize
    }
}

impl Signature {
    /// The Jaccard estimate: the share of positions where both values
    /// agree. Signatures of hashers of different lengths, seeds or schemes
    /// estimate nothing together: an [`ErrorKind::InvalidParam`] error.
    ///
    /// [`ErrorKind::InvalidParam`]: crate::ErrorKind::InvalidParam
    pub fn jaccard(&self, other: &Signature) -> crate::Result<f64> {
        if self.mins.len() != other.mins.len() {
            return Err(crate::Error::invalid_param(
                "signature",
                format!(
                    "lengths differ ({} and {}): compare signatures of one hasher",
                    self.mins.len(),
                    other.mins.len()
                ),
            ));
        }
        if self.made_by != other.made_by {
            return Err(crate::Error::invalid_param(
                "signature",
                "made with different seeds or schemes: compare signatures of one hasher",
            ));
        }
        let n = self.mins.len();
        if n == 0 {
            return Ok(0.0);
        }
        let same = self
            .mins
            .iter()
            .zip(&other.mins)
            .filter(|(a, b)| a == b)
            .count();
        Ok(same as f64 / n as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sketch::{jaccard, shingle_set};

    const SCHEMES: [Scheme; 3] = [Scheme::OnePermutation, Scheme::Classic, Scheme::Circulant];

    #[test]
    fn lengths_out_of_range_are_taken_as_the_nearest() {
        let a = shingle_set("alpha beta gamma delta epsilon zeta eta theta", 3);
        for scheme in SCHEMES {
            // usize::MAX values would not fit in memory: the process would
            // abort.
            let h = MinHasher::with_scheme(usize::MAX, 1, scheme);
            assert_eq!(h.num_perm(), MAX_NUM_PERM);
            assert_eq!(h.sketch(&a).mins.len(), MAX_NUM_PERM);
            assert_eq!(MinHasher::with_scheme(0, 1, scheme).num_perm(), 1);
        }
    }

    #[test]
    fn identical_sets_estimate_one() {
        for scheme in SCHEMES {
            let h = MinHasher::with_scheme(128, 0, scheme);
            let a = shingle_set("alpha beta gamma delta epsilon zeta eta theta", 3);
            assert_eq!(h.sketch(&a).jaccard(&h.sketch(&a)).unwrap(), 1.0);
            assert!(!h.sketch(&a).mins.contains(&EMPTY), "{scheme:?}");
        }
    }

    /// One-permutation hashing written plainly: every probe computed, the
    /// filled bins read from a copy.
    fn reference_one_permutation(h: &MinHasher, hashes: &[u64]) -> Vec<u64> {
        let k = h.num_perm;
        let bin_of = |x: u64| ((x as u128 * k as u128) >> 64) as usize;
        let mut mins = vec![EMPTY; k];
        for &x in hashes {
            let v = mix64(x ^ h.seed);
            mins[bin_of(v)] = mins[bin_of(v)].min(v);
        }
        if hashes.is_empty() {
            return mins;
        }
        let filled = mins.clone();
        for (j, m) in mins.iter_mut().enumerate() {
            let mut attempt = 1u64;
            while *m == EMPTY {
                let c = bin_of(mix64(h.seed ^ ((j as u64) << 32 | attempt)));
                if filled[c] != EMPTY {
                    *m = filled[c];
                }
                attempt += 1;
            }
        }
        mins
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        /// Both paths agree with the plain one, for sizes that leave most
        /// bins empty (many probes beyond the table), lengths that are not
        /// a multiple of 64, and more bins than the stack bitmap holds.
        #[test]
        fn one_permutation_matches_plain_densification(
            words in proptest::collection::vec(proptest::num::u64::ANY, 0..300),
            k in proptest::sample::select(vec![1usize, 7, 64, 100, 128, 1100]),
            shingle in 1usize..11,
            seed in 0u64..4,
        ) {
            let h = MinHasher::new(k, seed);
            let mut shingles = Vec::new();
            crate::sketch::shingles_from_words(&words, shingle, &mut shingles);
            let want = reference_one_permutation(&h, &shingles);
            proptest::prop_assert_eq!(&h.sketch_hashes(&shingles).mins, &want);
            let (mut mins, mut seen) = (Vec::new(), Vec::new());
            h.sketch_words_into(&words, shingle, &mut mins, |s| seen.push(s));
            proptest::prop_assert_eq!(&mins, &want);
            proptest::prop_assert_eq!(&seen, &shingles);
            // The scalar pass alone, whatever the processor has.
            seen.clear();
            h.one_permutation_words(&words, shingle, &mut mins, |s| seen.push(s), false);
            proptest::prop_assert_eq!(&mins, &want);
            proptest::prop_assert_eq!(&seen, &shingles);
        }
    }

    #[test]
    fn words_path_matches_for_every_scheme() {
        let words: Vec<u64> = (0..50u64).map(|i| mix64(i * 7 + 1)).collect();
        for scheme in SCHEMES {
            let h = MinHasher::with_scheme(96, 3, scheme);
            let mut shingles = Vec::new();
            crate::sketch::shingles_from_words(&words, 4, &mut shingles);
            let mut mins = Vec::new();
            h.sketch_words_into(&words, 4, &mut mins, |_| {});
            assert_eq!(mins, h.sketch_hashes(&shingles).mins, "{scheme:?}");
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
            let est = h.sketch(&a).jaccard(&h.sketch(&b)).unwrap();
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

    #[test]
    fn signatures_of_different_hashers_are_not_compared() {
        let a = shingle_set("the quick brown fox jumps over the lazy dog", 3);
        let base = MinHasher::new(64, 1).sketch(&a);
        for other in [
            MinHasher::new(32, 1),
            MinHasher::new(64, 2),
            MinHasher::with_scheme(64, 1, Scheme::Classic),
        ] {
            let e = base.jaccard(&other.sketch(&a)).unwrap_err();
            assert!(
                matches!(
                    e.kind(),
                    crate::ErrorKind::InvalidParam {
                        name: "signature",
                        ..
                    }
                ),
                "{e}"
            );
        }
        assert_eq!(
            base.jaccard(&MinHasher::new(64, 1).sketch(&a)).unwrap(),
            1.0
        );
    }
}
