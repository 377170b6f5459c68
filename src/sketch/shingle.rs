//! Word shingles: every run of `k` consecutive normalised words, hashed to
//! 64 bits, as a sorted set.

use super::weights::{MULTIPLIERS, mix64_const, position_multiplier, window_start};
use crate::text;

/// The default shingle size in words (see `docs/shingle-size.md` for the
/// measurement behind it).
pub const DEFAULT_SHINGLE_SIZE: usize = 4;

/// The default least number of words an article needs to be compared in
/// a corpus (`dedup`, `index`, `check`): `4k - 1` for shingles of `k`
/// words (15 at the default 4), the shortest text in which one changed
/// word still leaves a copy at Jaccard 0.5. A shorter text has fewer than
/// `3k` shingles, so it can meet the default threshold only as a (nearly)
/// exact copy: on scraped news those are scrape failures (`-1`, `View
/// Comments`), not stories. `docs/dedup.md` ("Empty and too-short
/// articles") gives the measurement on the NewsArticles corpus.
pub fn default_min_words(shingle_size: usize) -> usize {
    shingle_size.saturating_mul(4).saturating_sub(1).max(1)
}

/// A sorted, de-duplicated set of 64-bit shingle hashes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShingleSet {
    hashes: Vec<u64>,
}

impl ShingleSet {
    /// Builds a set from hashes in any order.
    pub fn from_hashes(mut hashes: Vec<u64>) -> ShingleSet {
        hashes.sort_unstable();
        hashes.dedup();
        ShingleSet { hashes }
    }

    /// The sorted hashes.
    pub fn hashes(&self) -> &[u64] {
        &self.hashes
    }

    /// Number of distinct shingles.
    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    /// True when the text had no words.
    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    /// Number of shingles in both sets.
    pub fn intersection_len(&self, other: &ShingleSet) -> usize {
        sorted_intersection_len(&self.hashes, &other.hashes)
    }
}

/// Number of values two sorted sequences share, counted with multiplicity
/// (a merge of the two).
pub fn sorted_intersection_len(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Mixes a 64-bit value (the SplitMix64 / MurmurHash3 finaliser).
#[inline]
pub(crate) fn mix64(x: u64) -> u64 {
    mix64_const(x)
}

/// Hashes of the `k`-word shingles of a sequence of word hashes, in order
/// (not de-duplicated). A text shorter than `k` words gives one shingle of
/// all its words; an empty one gives none.
pub fn shingles_from_words(words: &[u64], k: usize, out: &mut Vec<u64>) {
    out.reserve(words.len());
    for_each_shingle(words, k, |s| out.push(s));
}

/// Calls `f` with the hash of each shingle [`shingles_from_words`] gives,
/// in order.
#[inline(always)]
pub(crate) fn for_each_shingle(words: &[u64], k: usize, f: impl FnMut(u64)) {
    if words.is_empty() {
        return;
    }
    for_each_shingle_from(words, shingle_window(words.len(), k), 0, f);
}

/// Appends the 32-bit fingerprint (the high half of the hash) of each
/// shingle [`shingles_from_words`] gives to `out`, in order; eight at a
/// time where the processor has AVX-512 (the tests run both ways).
pub(crate) fn shingle_fingerprints(words: &[u64], k: usize, out: &mut Vec<u32>) {
    shingle_fingerprints_with(words, k, out, true);
}

#[cfg_attr(not(target_arch = "x86_64"), allow(unused_variables))]
fn shingle_fingerprints_with(words: &[u64], k: usize, out: &mut Vec<u32>, vector: bool) {
    if words.is_empty() {
        return;
    }
    let window = shingle_window(words.len(), k);
    #[allow(unused_mut)]
    let mut done = 0;
    #[cfg(target_arch = "x86_64")]
    if vector && super::vector::available() {
        // SAFETY: the processor has AVX-512 F and DQ.
        done = unsafe { super::vector::fingerprints_x8(words, window, out) };
    }
    for_each_shingle_from(words, window, done, |s| out.push((s >> 32) as u32));
}

/// The words per shingle of a text of `len` words (at least one) for
/// shingle size `k`: a text shorter than `k` words is one shingle.
#[inline(always)]
pub(crate) fn shingle_window(len: usize, k: usize) -> usize {
    k.max(1).min(len)
}

/// [`for_each_shingle`] from shingle number `start` on, for a window
/// [`shingle_window`] gave (the shingles before `start` were hashed
/// elsewhere, eight at a time).
#[inline(always)]
pub(crate) fn for_each_shingle_from(
    words: &[u64],
    window: usize,
    start: usize,
    mut f: impl FnMut(u64),
) {
    let words = &words[start.min(words.len())..];
    if words.len() < window {
        return;
    }
    // The usual sizes get a loop the compiler unrolls.
    match window {
        1 => fixed_shingles::<1>(words, f),
        2 => fixed_shingles::<2>(words, f),
        3 => fixed_shingles::<3>(words, f),
        4 => fixed_shingles::<4>(words, f),
        5 => fixed_shingles::<5>(words, f),
        window => words
            .windows(window)
            .for_each(|w| f(shingle_hash(w, window))),
    }
}

/// The hash of one shingle: the word keys (already uniform 64-bit hashes)
/// weighted by a multiplier per position and summed, then mixed once. The
/// multiplications are independent of each other, so a shingle costs about
/// one mix's latency rather than one per word.
#[inline(always)]
fn shingle_hash(w: &[u64], window: usize) -> u64 {
    let mut acc = window_start(window);
    for (j, &x) in w.iter().enumerate() {
        let m = if j < MULTIPLIERS.len() {
            MULTIPLIERS[j]
        } else {
            position_multiplier(j)
        };
        acc = acc.wrapping_add(x.wrapping_mul(m));
    }
    mix64(acc)
}

#[inline(always)]
fn fixed_shingles<const K: usize>(words: &[u64], mut f: impl FnMut(u64)) {
    for w in words.windows(K) {
        f(shingle_hash(&w[..K], K));
    }
}

/// The shingle set of a text.
pub fn shingle_set(text: &str, k: usize) -> ShingleSet {
    let mut words = Vec::new();
    text::word_hashes(text, &mut words);
    let mut sh = Vec::with_capacity(words.len());
    shingles_from_words(&words, k, &mut sh);
    ShingleSet::from_hashes(sh)
}

/// The shingle set of already segmented words (the same set
/// [`shingle_set`] gives for their text).
pub fn shingle_set_from_words(words: &[crate::text::Word], k: usize) -> ShingleSet {
    let hashes: Vec<u64> = words.iter().map(|w| w.key).collect();
    let mut sh = Vec::with_capacity(hashes.len());
    shingles_from_words(&hashes, k, &mut sh);
    ShingleSet::from_hashes(sh)
}

/// Exact Jaccard similarity |A ∩ B| / |A ∪ B| (1.0 for two empty sets).
pub fn jaccard(a: &ShingleSet, b: &ShingleSet) -> f64 {
    jaccard_of(a.intersection_len(b), a.len(), b.len())
}

/// Containment of `a` in `b`: |A ∩ B| / |A|, the share of A's shingles that
/// B also has (1.0 when A is empty).
pub fn containment(a: &ShingleSet, b: &ShingleSet) -> f64 {
    containment_of(a.intersection_len(b), a.len())
}

/// [`jaccard`] of `a` and `b`, [`containment`] of `a` in `b` and of `b` in
/// `a`, from one intersection.
pub fn set_measures(a: &ShingleSet, b: &ShingleSet) -> (f64, f64, f64) {
    let inter = a.intersection_len(b);
    (
        jaccard_of(inter, a.len(), b.len()),
        containment_of(inter, a.len()),
        containment_of(inter, b.len()),
    )
}

fn jaccard_of(inter: usize, a: usize, b: usize) -> f64 {
    let union = a + b - inter;
    if union == 0 {
        1.0
    } else {
        inter as f64 / union as f64
    }
}

fn containment_of(inter: usize, a: usize) -> f64 {
    if a == 0 { 1.0 } else { inter as f64 / a as f64 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shingle_counts() {
        let s = shingle_set("a b c d e f", 4);
        assert_eq!(s.len(), 3);
        let s = shingle_set("a b", 4);
        assert_eq!(s.len(), 1);
        assert!(shingle_set("  ,, ", 4).is_empty());
    }

    #[test]
    fn normalisation_makes_equal_sets() {
        let a = shingle_set("The PM’s “key” ally", 2);
        let b = shingle_set("the pm's \"KEY\" ally", 2);
        assert_eq!(a, b);
    }

    #[test]
    fn from_words_equals_from_text() {
        let t = "The PM’s “key” ally, 3.5 per cent — école ÉCOLE.";
        assert_eq!(
            shingle_set_from_words(&text::words(t), 3),
            shingle_set(t, 3)
        );
    }

    #[test]
    fn order_matters_within_shingle() {
        assert_ne!(shingle_set("a b", 2), shingle_set("b a", 2));
    }

    #[test]
    fn measures() {
        let a = shingle_set("one two three four five six", 2);
        let b = shingle_set("one two three four", 2);
        assert_eq!(containment(&b, &a), 1.0);
        assert!((containment(&a, &b) - 0.6).abs() < 1e-9);
        assert!((jaccard(&a, &b) - 0.6).abs() < 1e-9);
    }

    proptest::proptest! {
        /// The fingerprints are the high halves of the shingle hashes, the
        /// vector pass included.
        #[test]
        fn fingerprints_are_the_high_halves(
            words in proptest::collection::vec(proptest::num::u64::ANY, 0..100),
            k in 1usize..11,
        ) {
            let mut hashes = Vec::new();
            shingles_from_words(&words, k, &mut hashes);
            let want: Vec<u32> = hashes.iter().map(|&s| (s >> 32) as u32).collect();
            for vector in [true, false] {
                let mut out = vec![7];
                shingle_fingerprints_with(&words, k, &mut out, vector);
                proptest::prop_assert_eq!(&out[1..], &want[..]);
            }
        }
    }
}
