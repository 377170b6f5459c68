//! Stage 1: sketch. Each article becomes a [`DocSketch`]: its id and date,
//! a MinHash signature and (when verification is on) its shingle set as
//! sorted 32-bit fingerprints. The text itself is dropped here.

use serde::{Deserialize, Serialize};

use crate::article::Article;
use crate::sketch::{MinHasher, shingles_from_words};

/// What the sketch stage keeps of one document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocSketch {
    /// The article id.
    pub id: String,
    /// The article date as given, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Number of distinct shingle fingerprints (32-bit).
    pub num_shingles: u32,
    /// The MinHash signature, each value cut to its low 32 bits.
    pub signature: Vec<u32>,
    /// The shingle set as sorted, distinct high 32 bits of the 64-bit
    /// shingle hashes; absent when verification is off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shingles: Option<Vec<u32>>,
}

/// Parameters of the sketch stage; both sides of a comparison must use the
/// same ones.
#[derive(Clone, Debug)]
pub struct SketchParams {
    /// Words per shingle.
    pub shingle_size: usize,
    /// The MinHash hasher.
    pub hasher: MinHasher,
    /// Keep the shingle fingerprints (needed for exact verification).
    pub keep_shingles: bool,
}

/// Per-thread scratch buffers, reused across documents.
#[derive(Default)]
pub struct Scratch {
    words: Vec<u64>,
    shingles: Vec<u64>,
    fingerprints: Vec<u32>,
    sort: SortScratch,
}

impl DocSketch {
    /// True when the text had no words (such a document is never a
    /// candidate).
    pub fn is_empty(&self) -> bool {
        self.num_shingles == 0
    }
}

/// Sketches one article.
pub fn sketch_article(article: Article, params: &SketchParams, scratch: &mut Scratch) -> DocSketch {
    scratch.words.clear();
    scratch.shingles.clear();
    crate::text::word_hashes(&article.text, &mut scratch.words);
    shingles_from_words(&scratch.words, params.shingle_size, &mut scratch.shingles);
    // The signature does not mind repeated shingles; the set is built from
    // the 32-bit fingerprints, sorted once.
    let sig = params.hasher.sketch_hashes(&scratch.shingles);
    scratch.fingerprints.clear();
    scratch
        .fingerprints
        .extend(scratch.shingles.iter().map(|&h| (h >> 32) as u32));
    sort_hashes(&mut scratch.fingerprints, &mut scratch.sort);
    scratch.fingerprints.dedup();
    let num_shingles = scratch.fingerprints.len() as u32;
    let shingles = params
        .keep_shingles
        .then(|| scratch.fingerprints.as_slice().to_vec());
    DocSketch {
        id: article.id,
        date: article.date,
        num_shingles,
        signature: sig.mins.iter().map(|&m| m as u32).collect(),
        shingles,
    }
}

/// Sorts 32-bit hash values. They are spread uniformly, so one counting
/// pass on the top bits (about one bucket per value) puts each value next
/// to its place, and an insertion sort finishes the job: linear time for
/// hashes. Inputs where more than 32 values share a bucket (not hashes, or
/// repeated shingles) and short inputs use `sort_unstable`.
pub fn sort_hashes(v: &mut Vec<u32>, scratch: &mut SortScratch) {
    let n = v.len();
    if n < 64 {
        v.sort_unstable();
        return;
    }
    let bits = usize::BITS - (n - 1).leading_zeros(); // 2^bits >= n
    let shift = 32 - bits;
    let counts = &mut scratch.counts;
    counts.clear();
    counts.resize((1 << bits) + 1, 0);
    for &x in v.iter() {
        counts[(x >> shift) as usize + 1] += 1;
    }
    let mut largest = 0;
    for i in 1..counts.len() {
        largest = largest.max(counts[i]);
        counts[i] += counts[i - 1];
    }
    if largest > 32 {
        v.sort_unstable();
        return;
    }
    let tmp = &mut scratch.values;
    tmp.clear();
    tmp.resize(n, 0);
    // counts[b] is now where bucket b starts; it advances as values land.
    for &x in v.iter() {
        let slot = &mut counts[(x >> shift) as usize];
        tmp[*slot as usize] = x;
        *slot += 1;
    }
    // Buckets are in order and small: an insertion sort moves each value
    // at most within its bucket.
    for i in 1..n {
        let x = tmp[i];
        let mut j = i;
        while j > 0 && tmp[j - 1] > x {
            tmp[j] = tmp[j - 1];
            j -= 1;
        }
        tmp[j] = x;
    }
    std::mem::swap(v, tmp);
}

/// Reusable buffers of [`sort_hashes`].
#[derive(Default)]
pub struct SortScratch {
    counts: Vec<u32>,
    values: Vec<u32>,
}

/// Size of the intersection of two sorted, distinct slices.
pub fn intersection_len(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        n += (x == y) as usize;
        i += (x <= y) as usize;
        j += (y <= x) as usize;
    }
    n
}

/// The share of equal positions of two signatures.
pub fn signature_jaccard(a: &[u32], b: &[u32]) -> f64 {
    let n = a.len().min(b.len());
    if n == 0 {
        return 0.0;
    }
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
    same as f64 / n as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sketch::{jaccard, shingle_set};

    #[test]
    fn sort_hashes_sorts() {
        let mut x = 12345u32;
        let mut scratch = SortScratch::default();
        for n in [0usize, 1, 63, 64, 65, 500, 3000] {
            let mut v: Vec<u32> = (0..n)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    x % 100_000
                })
                .collect();
            let mut want = v.clone();
            want.sort_unstable();
            sort_hashes(&mut v, &mut scratch);
            assert_eq!(v, want);
            // Full-range values, as hashes are.
            let mut h: Vec<u32> = (0..n)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    x
                })
                .collect();
            let mut want_h = h.clone();
            want_h.sort_unstable();
            sort_hashes(&mut h, &mut scratch);
            assert_eq!(h, want_h);
            // Values crowded into a few top-bit buckets, with repeats.
            let mut w: Vec<u32> = want.iter().map(|&y| y % 7 + (y & 3) * 1000).collect();
            let mut want_w = w.clone();
            want_w.sort_unstable();
            sort_hashes(&mut w, &mut scratch);
            assert_eq!(w, want_w);
        }
    }

    #[test]
    fn intersection_matches_naive() {
        let a = [1, 3, 5, 7, 9];
        let b = [2, 3, 4, 5, 10];
        assert_eq!(intersection_len(&a, &b), 2);
        assert_eq!(intersection_len(&a, &[]), 0);
    }

    #[test]
    fn sketch_agrees_with_compare_sets() {
        let text = "The minister said on Monday that the talks would resume next week in Geneva.";
        let other = "The minister said on Tuesday that the talks would resume next week in Geneva.";
        let params = SketchParams {
            shingle_size: 4,
            hasher: MinHasher::default(),
            keep_shingles: true,
        };
        let mut s = Scratch::default();
        let art = |t: &str| Article {
            id: "x".into(),
            text: t.into(),
            ..Article::default()
        };
        let a = sketch_article(art(text), &params, &mut s);
        let b = sketch_article(art(other), &params, &mut s);
        let (sa, sb) = (shingle_set(text, 4), shingle_set(other, 4));
        assert_eq!(a.num_shingles as usize, sa.len());
        let inter = intersection_len(a.shingles.as_ref().unwrap(), b.shingles.as_ref().unwrap());
        let j = inter as f64 / (sa.len() + sb.len() - inter) as f64;
        assert_eq!(j, jaccard(&sa, &sb));
        // The 32-bit signature agrees with compare's 64-bit one.
        let full = MinHasher::default()
            .sketch(&sa)
            .jaccard(&MinHasher::default().sketch(&sb));
        assert_eq!(signature_jaccard(&a.signature, &b.signature), full);
    }
}
