//! Stage 1: sketch. Each article becomes a [`DocSketch`]: its id and date,
//! a MinHash signature and (when verification is on) its shingle set as
//! sorted 32-bit fingerprints. The text itself is dropped here.

use serde::{Deserialize, Serialize};

use super::sort::{SortScratch, sort_by_hash};
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
    sort: SortScratch<u32>,
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
    sort_by_hash(
        &mut scratch.fingerprints,
        |&x| (x as u64) << 32,
        &mut scratch.sort,
    );
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
