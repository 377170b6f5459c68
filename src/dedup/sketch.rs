//! Stage 1: sketch. Each article becomes a [`DocSketch`]: its id and date,
//! a MinHash signature and (when verification is on) its shingle set as
//! sorted 32-bit fingerprints. The text itself is dropped here.

use serde::{Deserialize, Serialize};

use super::fingerprints::{Fingerprints, in_shared_block};
use super::sort::{SortScratch, sort_hashes_u32};
use crate::article::Article;
use crate::lsh::LshPlan;
use crate::sketch::MinHasher;

/// Shingles kept in text order at each end of an article with an outlet
/// ([`DocSketch::edges`]): an outlet's header or footer of up to about
/// this many words, and the story words next to it, are within them
/// ([`super::boilerplate`] reads them).
pub const EDGE_SHINGLES: usize = 64;

/// What the sketch stage keeps of one document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocSketch {
    /// The article id.
    pub id: String,
    /// The article date as given, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The article's outlet as a key ([`outlet_key`]; 0 when the article
    /// names none and has no URL): whose boilerplate applies to it.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub outlet: u64,
    /// Number of distinct shingle fingerprints (32-bit); 0 for a document
    /// with fewer words than [`SketchParams::min_words`] (too short: never
    /// shingled, never a candidate).
    pub num_shingles: u32,
    /// Number of words of the text (as [`crate::text::word_hashes`] counts
    /// them).
    #[serde(default)]
    pub words: u32,
    /// The MinHash signature, each value cut to its low 32 bits; empty
    /// when [`SketchParams::keep_signature`] is off (the band keys are made
    /// from it all the same).
    pub signature: Vec<u32>,
    /// The shingle set as sorted, distinct high 32 bits of the 64-bit
    /// shingle hashes; absent when verification is off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shingles: Option<Fingerprints>,
    /// The fingerprints of the first and last
    /// [`EDGE_SHINGLES`] shingles in text order (all of them
    /// when the text has at most twice that many), then the first word of
    /// each of those shingles (the high 32 bits of its hash): where an
    /// outlet's header and footer sit, so that the shingles that straddle
    /// them and the story, and a date printed next to them, can be set
    /// aside too ([`super::boilerplate`]). Kept only for articles with an
    /// outlet, and only until boilerplate is set aside; not serialised.
    #[serde(skip)]
    pub edges: Option<Fingerprints>,
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
    /// Keep the signature (needed for MinHash estimates: `--no-verify`,
    /// and the `minhash_jaccard` of every pair `--pairs` reports). Without
    /// it a sketch is about a third smaller; its band keys
    /// ([`sketch_article_keyed`]) are the same either way.
    pub keep_signature: bool,
    /// The least number of words a document needs to be shingled; a
    /// shorter one (an empty or stub article) is too short: no shingles,
    /// never a candidate ([`DocSketch::is_empty`]). At least 1 (a text
    /// without words has no shingle anyway); the commands use
    /// [`crate::sketch::default_min_words`] unless told otherwise.
    pub min_words: usize,
    /// Keep [`EDGE_SHINGLES`] shingles in text order at
    /// each end of an article with an outlet ([`DocSketch::edges`]).
    pub keep_edges: bool,
}

impl SketchParams {
    /// The fewest shingles a document keeps once boilerplate is set
    /// aside: those of [`SketchParams::min_words`] words. A document left
    /// with fewer is too short, as a stub is.
    pub fn min_shingles(&self) -> usize {
        self.min_words
            .saturating_sub(self.shingle_size.saturating_sub(1))
            .max(1)
    }
}

fn is_zero(x: &u64) -> bool {
    *x == 0
}

/// The key of an outlet name (a stable 64-bit hash, never 0); 0 for none.
pub fn outlet_key(outlet: Option<&str>) -> u64 {
    match outlet {
        None => 0,
        Some(name) => {
            // FNV-1a, then mixed: the same key on every machine and run.
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            for &b in name.as_bytes() {
                h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
            crate::sketch::mix64(h).max(1)
        }
    }
}

/// Per-thread scratch buffers, reused across documents.
#[derive(Default)]
pub struct Scratch {
    words: Vec<u64>,
    mins: Vec<u64>,
    fingerprints: Vec<u32>,
    edges: Vec<u32>,
    signature: Vec<u32>,
    sort: SortScratch<u32>,
    /// Copy the fingerprints into the calling thread's shared block
    /// ([`in_shared_block`]) instead of a vector of their own.
    shared_blocks: bool,
}

impl Scratch {
    /// Scratch whose sketches keep their fingerprints in the calling
    /// thread's shared block: they can be read once
    /// [`publish_blocks`](super::fingerprints::publish_blocks) has run.
    pub(crate) fn with_shared_blocks() -> Scratch {
        Scratch {
            shared_blocks: true,
            ..Scratch::default()
        }
    }
}

impl DocSketch {
    /// True when the document has no shingles: its text had fewer words
    /// than [`SketchParams::min_words`] (none at all, or a stub). Such a
    /// document is too short: never a candidate, never in a cluster.
    pub fn is_empty(&self) -> bool {
        self.num_shingles == 0
    }
}

/// Sketches one article.
pub fn sketch_article(
    mut article: Article,
    params: &SketchParams,
    scratch: &mut Scratch,
) -> DocSketch {
    let text = std::mem::take(&mut article.text);
    sketch_parts(article, &text, params, None, scratch)
}

/// [`sketch_article`], also writing the article's band keys under `plan`
/// into `keys` (one per band, as [`LshPlan::band_key32`]
/// gives them) while its signature is at hand: the bucket stage then reads
/// the keys of a band as one array instead of a few values of every
/// document's signature, and the signature itself need not be kept.
///
/// # Panics
/// When `keys` does not have one slot per band of `plan`.
pub fn sketch_article_keyed(
    mut article: Article,
    params: &SketchParams,
    plan: &LshPlan,
    keys: &mut [crate::lsh::BandKey],
    scratch: &mut Scratch,
) -> DocSketch {
    let text = std::mem::take(&mut article.text);
    sketch_body_keyed(article, &text, params, plan, keys, scratch)
}

/// [`sketch_article_keyed`] of an article whose body is given apart from
/// it (its `text` is not read), as
/// [`RawRecord::parse_keep_into`](crate::corpus::RawRecord::parse_keep_into)
/// leaves it.
///
/// # Panics
/// When `keys` does not have one slot per band of `plan`.
pub fn sketch_body_keyed(
    article: Article,
    body: &str,
    params: &SketchParams,
    plan: &LshPlan,
    keys: &mut [crate::lsh::BandKey],
    scratch: &mut Scratch,
) -> DocSketch {
    assert_eq!(keys.len(), plan.bands, "one key slot per band");
    sketch_parts(article, body, params, Some((plan, keys)), scratch)
}

fn sketch_parts(
    article: Article,
    body: &str,
    params: &SketchParams,
    keys: Option<(&LshPlan, &mut [crate::lsh::BandKey])>,
    scratch: &mut Scratch,
) -> DocSketch {
    scratch.words.clear();
    crate::text::word_hashes(body, &mut scratch.words);
    let words = u32::try_from(scratch.words.len()).unwrap_or(u32::MAX);
    scratch.fingerprints.clear();
    let outlet = outlet_key(article.outlet.as_deref());
    let mut edges = None;
    // Too short: sketched as a text without words, so it gets no shingles
    // and no band keys.
    if scratch.words.len() >= params.min_words {
        crate::sketch::shingle_fingerprints(
            &scratch.words,
            params.shingle_size,
            &mut scratch.fingerprints,
        );
        let e = EDGE_SHINGLES;
        if params.keep_edges
            && outlet != 0
            && params.keep_shingles
            && !scratch.fingerprints.is_empty()
        {
            // In text order, before the sort: the fingerprints of the
            // kept shingles, then the first word of each (its hash's high
            // 32 bits).
            let seq = &scratch.fingerprints;
            let n = seq.len();
            let parts: [std::ops::Range<usize>; 2] = if n <= 2 * e {
                [0..n, n..n]
            } else {
                [0..e, n - e..n]
            };
            scratch.edges.clear();
            for r in parts.clone() {
                scratch.edges.extend_from_slice(&seq[r]);
            }
            for r in parts {
                scratch
                    .edges
                    .extend(scratch.words[r].iter().map(|&w| (w >> 32) as u32));
            }
            edges = Some(if scratch.shared_blocks {
                in_shared_block(&scratch.edges)
            } else {
                Fingerprints::from(scratch.edges.clone())
            });
        }
        sort_hashes_u32(&mut scratch.fingerprints, &mut scratch.sort);
        scratch.fingerprints.dedup();
    }
    let num_shingles = scratch.fingerprints.len() as u32;
    let shingles = params.keep_shingles.then(|| {
        if scratch.shared_blocks {
            in_shared_block(&scratch.fingerprints)
        } else {
            Fingerprints::from(scratch.fingerprints.clone())
        }
    });
    // The signature is made from the fingerprint set, so that it can be
    // made again without the text once boilerplate is set aside.
    params
        .hasher
        .sketch_fingerprints_into(&scratch.fingerprints, &mut scratch.mins);
    scratch.signature.clear();
    scratch
        .signature
        .extend(scratch.mins.iter().map(|&m| m as u32));
    if let Some((plan, keys)) = keys {
        for (band, k) in keys.iter_mut().enumerate() {
            *k = plan.band_key32(&scratch.signature, band);
        }
    }
    DocSketch {
        id: article.id,
        date: article.date,
        outlet,
        num_shingles,
        words,
        signature: if params.keep_signature {
            scratch.signature.clone()
        } else {
            Vec::new()
        },
        shingles,
        edges,
    }
}

/// Size of the intersection of two sorted, distinct slices.
///
/// On x86-64 the slices are compared four values against four at a time
/// (SSE2, part of every x86-64 processor): each value of a block of `a`
/// is compared with every value of a block of `b`, and the block with the
/// smaller last value moves on, so every pair of blocks that can share a
/// value is compared exactly once. The rest is merged one value at a time.
pub fn intersection_len(a: &[u32], b: &[u32]) -> usize {
    merge::<false, false>(a, b, 0).unwrap_or(0)
}

/// [`intersection_len`] if it is at least `need`, else `None`: the merge
/// stops as soon as the values left in the shorter rest cannot make up
/// the difference (a candidate that cannot reach a threshold costs only
/// part of a merge).
pub fn intersection_len_at_least(a: &[u32], b: &[u32], need: usize) -> Option<usize> {
    if need > a.len().min(b.len()) {
        return None;
    }
    merge::<true, false>(a, b, need)
}

/// Whether two sorted, distinct slices share at least `need` values: the
/// merge stops as soon as the answer is known, either way.
pub fn shares_at_least(a: &[u32], b: &[u32], need: usize) -> bool {
    if need > a.len().min(b.len()) {
        return false;
    }
    merge::<true, true>(a, b, need).is_some()
}

/// [`intersection_len`] of two pairs of slices.
pub fn intersection_len_x2(pairs: [(&[u32], &[u32]); 2]) -> [usize; 2] {
    merge_x2::<false, false>(pairs, [0, 0]).map(|n| n.unwrap_or(0))
}

/// [`intersection_len_at_least`] of two pairs of slices, `need[k]` for
/// pair `k`.
pub fn intersection_len_at_least_x2(
    pairs: [(&[u32], &[u32]); 2],
    need: [usize; 2],
) -> [Option<usize>; 2] {
    merge_x2::<true, false>(pairs, need)
}

/// [`shares_at_least`] of two pairs of slices, `need[k]` for pair `k`.
pub fn shares_at_least_x2(pairs: [(&[u32], &[u32]); 2], need: [usize; 2]) -> [bool; 2] {
    merge_x2::<true, true>(pairs, need).map(|n| n.is_some())
}

/// [`merge`] of two pairs: their blocks merged side by side
/// ([`blocks_avx2_x2`]) as long as both are in their block loop, then
/// each one on its own from where it stopped. A `need` out of reach from
/// the start (even `usize::MAX`) ends its pair's part at once.
fn merge_x2<const STOP: bool, const REACH: bool>(
    pairs: [(&[u32], &[u32]); 2],
    need: [usize; 2],
) -> [Option<usize>; 2] {
    #[cfg(target_arch = "x86_64")]
    if crate::arch::cpu().avx2_popcnt {
        // SAFETY: the processor has AVX2 and POPCNT (checked just above).
        let states = unsafe { blocks_avx2_x2::<STOP, REACH>(pairs, need) };
        return std::array::from_fn(|k| {
            let ((a, b), (n, i, j)) = (pairs[k], states[k]);
            // The rest with what is still needed: the same decisions as
            // one merge of the whole pair.
            merge::<STOP, REACH>(&a[i..], &b[j..], need[k].saturating_sub(n)).map(|m| m + n)
        });
    }
    std::array::from_fn(|k| merge::<STOP, REACH>(pairs[k].0, pairs[k].1, need[k]))
}

/// The merge behind [`intersection_len`], [`intersection_len_at_least`] and
/// [`shares_at_least`]; with `STOP`, `None` once `need` is out of reach;
/// with `REACH` too, it returns as soon as `need` is reached (the count
/// is then `need` or a little more, not the intersection).
fn merge<const STOP: bool, const REACH: bool>(a: &[u32], b: &[u32], need: usize) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    let wide = crate::arch::cpu().avx2_popcnt;
    #[cfg(not(target_arch = "x86_64"))]
    let wide = false;
    merge_with::<STOP, REACH>(a, b, need, wide)
}

/// [`merge`] in blocks of eight (AVX2 and POPCNT) when `wide`, else of
/// four (SSE2): the tests run both on any processor with AVX2.
#[cfg_attr(not(target_arch = "x86_64"), allow(unused_variables))]
fn merge_with<const STOP: bool, const REACH: bool>(
    a: &[u32],
    b: &[u32],
    need: usize,
    wide: bool,
) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    let (n, i, j) = if wide && crate::arch::cpu().avx2_popcnt {
        // SAFETY: the processor has AVX2 and POPCNT (checked just above).
        let (n, i, j) = unsafe { blocks_avx2::<STOP, REACH>(a, b, need) }?;
        // The rest, fewer than eight values on one side, in blocks of four.
        let (m, k, l) = blocks_x86_64::<STOP, REACH>(&a[i..], &b[j..], need.saturating_sub(n))?;
        (n + m, i + k, j + l)
    } else {
        blocks_x86_64::<STOP, REACH>(a, b, need)?
    };
    #[cfg(not(target_arch = "x86_64"))]
    let (n, i, j) = (0, 0, 0);
    let (a, b) = (&a[i..], &b[j..]);
    let (mut i, mut j, mut n) = (0, 0, n);
    while i < a.len() && j < b.len() {
        if STOP && n + (a.len() - i).min(b.len() - j) < need {
            return None;
        }
        if REACH && n >= need {
            return Some(n);
        }
        let (x, y) = (a[i], b[j]);
        n += (x == y) as usize;
        i += (x <= y) as usize;
        j += (y <= x) as usize;
    }
    (!STOP || n >= need).then_some(n)
}

/// [`intersection_len`] one value at a time, without branches on the data.
pub fn scalar_intersection_len(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        n += (x == y) as usize;
        i += (x <= y) as usize;
        j += (y <= x) as usize;
    }
    n
}

/// The rotations of a block of eight that [`block_hits`] compares with.
#[cfg(target_arch = "x86_64")]
type Rotations = [std::arch::x86_64::__m256i; 7];

/// The lane orders of the seven rotations of eight values by one to
/// seven places.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn rotations() -> Rotations {
    use std::arch::x86_64::*;
    let rot = |k: i32| _mm256_setr_epi32(k, k + 1, k + 2, k + 3, k + 4, k + 5, k + 6, k + 7);
    let mask7 = _mm256_set1_epi32(7);
    std::array::from_fn(|k| _mm256_and_si256(rot(k as i32 + 1), mask7))
}

/// How many of the eight values at `a` equal one of the eight at `b`
/// (distinct values on each side): each value of the `a` block is
/// compared with the `b` block and its seven rotations.
///
/// # Safety
/// The processor must have AVX2 and POPCNT, and `a` and `b` must be
/// readable for eight values each (unaligned).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,popcnt")]
#[inline]
unsafe fn block_hits(a: *const u32, b: *const u32, r: &Rotations) -> usize {
    use std::arch::x86_64::*;
    // SAFETY: the caller makes both eight-value loads valid.
    let (va, vb) = unsafe {
        (
            _mm256_loadu_si256(a as *const __m256i),
            _mm256_loadu_si256(b as *const __m256i),
        )
    };
    let eq = |r: __m256i| _mm256_cmpeq_epi32(va, _mm256_permutevar8x32_epi32(vb, r));
    let any = _mm256_or_si256(
        _mm256_or_si256(
            _mm256_or_si256(_mm256_cmpeq_epi32(va, vb), eq(r[0])),
            _mm256_or_si256(eq(r[1]), eq(r[2])),
        ),
        _mm256_or_si256(
            _mm256_or_si256(eq(r[3]), eq(r[4])),
            _mm256_or_si256(eq(r[5]), eq(r[6])),
        ),
    );
    _mm256_movemask_ps(_mm256_castsi256_ps(any)).count_ones() as usize
}

/// [`blocks_x86_64`] eight values against eight (AVX2, [`block_hits`]).
/// The matches of a block are counted with POPCNT (without it, the count
/// is a chain of multiplications: 0.83x the time per merge with it).
///
/// # Safety
/// The processor must have AVX2 and POPCNT.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,popcnt")]
unsafe fn blocks_avx2<const STOP: bool, const REACH: bool>(
    a: &[u32],
    b: &[u32],
    need: usize,
) -> Option<(usize, usize, usize)> {
    let (mut i, mut j, mut n) = (0usize, 0usize, 0usize);
    let r = rotations();
    while i + 8 <= a.len() && j + 8 <= b.len() {
        if STOP && n + (a.len() - i).min(b.len() - j) < need {
            return None;
        }
        if REACH && n >= need {
            return Some((n, a.len(), b.len()));
        }
        // SAFETY: the blocks a[i..i + 8] and b[j..j + 8] are in bounds by
        // the loop condition; so are their last values, read unchecked so
        // that no bounds check sits on the chain from one block's position
        // to the next.
        let (hits, x, y) = unsafe {
            (
                block_hits(a.as_ptr().add(i), b.as_ptr().add(j), &r),
                *a.get_unchecked(i + 7),
                *b.get_unchecked(j + 7),
            )
        };
        n += hits;
        i += 8 * (x <= y) as usize;
        j += 8 * (y <= x) as usize;
    }
    Some((n, i, j))
}

/// [`blocks_avx2`] of two pairs at once, while both are in their block
/// loop and undecided: one merge waits on its own next position (a load
/// and a comparison each block), so two independent ones keep the
/// processor busier (0.85x the time per pair). Returns each pair's
/// matches so far and positions, for [`merge`] to go on from.
///
/// # Safety
/// The processor must have AVX2 and POPCNT.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,popcnt")]
unsafe fn blocks_avx2_x2<const STOP: bool, const REACH: bool>(
    pairs: [(&[u32], &[u32]); 2],
    need: [usize; 2],
) -> [(usize, usize, usize); 2] {
    let [(a0, b0), (a1, b1)] = pairs;
    let (mut i0, mut j0, mut n0) = (0usize, 0usize, 0usize);
    let (mut i1, mut j1, mut n1) = (0usize, 0usize, 0usize);
    let r = rotations();
    while i0 + 8 <= a0.len() && j0 + 8 <= b0.len() && i1 + 8 <= a1.len() && j1 + 8 <= b1.len() {
        if STOP
            && (n0 + (a0.len() - i0).min(b0.len() - j0) < need[0]
                || n1 + (a1.len() - i1).min(b1.len() - j1) < need[1])
        {
            break;
        }
        if REACH && (n0 >= need[0] || n1 >= need[1]) {
            break;
        }
        // SAFETY: as in `blocks_avx2`, for each pair.
        unsafe {
            n0 += block_hits(a0.as_ptr().add(i0), b0.as_ptr().add(j0), &r);
            n1 += block_hits(a1.as_ptr().add(i1), b1.as_ptr().add(j1), &r);
            let (x0, y0) = (*a0.get_unchecked(i0 + 7), *b0.get_unchecked(j0 + 7));
            let (x1, y1) = (*a1.get_unchecked(i1 + 7), *b1.get_unchecked(j1 + 7));
            i0 += 8 * (x0 <= y0) as usize;
            j0 += 8 * (y0 <= x0) as usize;
            i1 += 8 * (x1 <= y1) as usize;
            j1 += 8 * (y1 <= x1) as usize;
        }
    }
    [(n0, i0, j0), (n1, i1, j1)]
}

/// The block part of [`intersection_len`]: the matches found and where
/// each slice's rest starts; with `STOP`, `None` once `need` is out of
/// reach.
#[cfg(target_arch = "x86_64")]
fn blocks_x86_64<const STOP: bool, const REACH: bool>(
    a: &[u32],
    b: &[u32],
    need: usize,
) -> Option<(usize, usize, usize)> {
    use std::arch::x86_64::*;
    let (mut i, mut j, mut n) = (0usize, 0usize, 0usize);
    while i + 4 <= a.len() && j + 4 <= b.len() {
        if STOP && n + (a.len() - i).min(b.len() - j) < need {
            return None;
        }
        if REACH && n >= need {
            return Some((n, a.len(), b.len()));
        }
        // SAFETY: SSE2 is part of x86-64; the loads read a[i..i + 4] and
        // b[j..j + 4], in bounds by the loop condition, unaligned.
        let hits = unsafe {
            let va = _mm_loadu_si128(a.as_ptr().add(i) as *const __m128i);
            let vb = _mm_loadu_si128(b.as_ptr().add(j) as *const __m128i);
            let r1 = _mm_shuffle_epi32::<0b00_11_10_01>(vb);
            let r2 = _mm_shuffle_epi32::<0b01_00_11_10>(vb);
            let r3 = _mm_shuffle_epi32::<0b10_01_00_11>(vb);
            let eq = _mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi32(va, vb), _mm_cmpeq_epi32(va, r1)),
                _mm_or_si128(_mm_cmpeq_epi32(va, r2), _mm_cmpeq_epi32(va, r3)),
            );
            _mm_movemask_ps(_mm_castsi128_ps(eq))
        };
        n += hits.count_ones() as usize;
        let (x, y) = (a[i + 3], b[j + 3]);
        i += 4 * (x <= y) as usize;
        j += 4 * (y <= x) as usize;
    }
    Some((n, i, j))
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
    use proptest::prelude::*;

    proptest! {
        /// Two pairs merged side by side give each pair's answer alone,
        /// whichever pair leaves the shared loop first and why (sets of
        /// uneven sizes, few or many shared values, needs around the
        /// true sizes).
        #[test]
        fn two_pairs_at_once_match_one_at_a_time(
            sets in proptest::collection::vec(proptest::collection::btree_set(0u32..400, 0..150), 4),
            offsets in proptest::collection::vec(-4i64..5, 2),
        ) {
            let sets: Vec<Vec<u32>> = sets.into_iter().map(|s| s.into_iter().collect()).collect();
            let pairs = [(&sets[0][..], &sets[1][..]), (&sets[2][..], &sets[3][..])];
            let want = pairs.map(|(a, b)| intersection_len(a, b));
            prop_assert_eq!(intersection_len_x2(pairs), want);
            let need: [usize; 2] =
                std::array::from_fn(|k| (want[k] as i64 + offsets[k]).max(0) as usize);
            prop_assert_eq!(
                shares_at_least_x2(pairs, need),
                [want[0] >= need[0], want[1] >= need[1]]
            );
            let at_least = intersection_len_at_least_x2(pairs, need);
            prop_assert_eq!(
                at_least,
                [0, 1].map(|k| (want[k] >= need[k]).then_some(want[k]))
            );
        }

        /// The block intersection against a set intersection, on sets
        /// drawn from small ranges (many shared values) and large ones.
        #[test]
        fn intersection_matches_sets(
            a in proptest::collection::btree_set(0u32..200, 0..120),
            b in proptest::collection::btree_set(0u32..200, 0..120),
            wide in proptest::collection::btree_set(any::<u32>(), 0..60),
        ) {
            let (a, b, wide): (Vec<u32>, Vec<u32>, Vec<u32>) =
                (a.into_iter().collect(), b.into_iter().collect(), wide.into_iter().collect());
            let set = |x: &[u32], y: &[u32]| x.iter().filter(|v| y.binary_search(v).is_ok()).count();
            // Blocks of four only, whatever the processor has.
            prop_assert_eq!(merge_with::<false, false>(&a, &b, 0, false), Some(set(&a, &b)));
            prop_assert_eq!(merge_with::<false, false>(&b, &wide, 0, false), Some(set(&b, &wide)));
            prop_assert_eq!(intersection_len(&a, &b), set(&a, &b));
            prop_assert_eq!(intersection_len(&b, &a), set(&a, &b));
            prop_assert_eq!(intersection_len(&a, &wide), set(&a, &wide));
            prop_assert_eq!(intersection_len(&a, &a), a.len());
            prop_assert_eq!(scalar_intersection_len(&a, &b), set(&a, &b));
            // The bounded merge: the size when it is at least `need`, else
            // nothing, for every `need` around the true size.
            let n = set(&a, &b);
            for need in [0, n.saturating_sub(3), n.saturating_sub(1), n, n + 1, n + 4] {
                let want = (n >= need).then_some(n);
                prop_assert_eq!(intersection_len_at_least(&a, &b, need), want);
                prop_assert_eq!(merge_with::<true, false>(&a, &b, need, false), want);
                prop_assert_eq!(intersection_len_at_least(&b, &a, need), want);
                prop_assert_eq!(shares_at_least(&a, &b, need), n >= need);
                prop_assert_eq!(shares_at_least(&b, &a, need), n >= need);
            }
        }
    }
    use crate::sketch::{jaccard, shingle_set};

    #[test]
    fn intersection_matches_naive() {
        let a = [1, 3, 5, 7, 9];
        let b = [2, 3, 4, 5, 10];
        assert_eq!(intersection_len(&a, &b), 2);
        assert_eq!(intersection_len(&a, &[]), 0);
    }

    /// A text with fewer words than the minimum is sketched as one
    /// without words (no shingles, so never a candidate), and its words
    /// are counted; at the minimum it is shingled as before.
    #[test]
    fn too_short_texts_get_no_shingles() {
        let params = |min_words| SketchParams {
            shingle_size: 4,
            hasher: MinHasher::default(),
            keep_shingles: true,
            keep_signature: true,
            min_words,
            keep_edges: false,
        };
        let mut s = Scratch::default();
        let mut doc = |t: &str, min| {
            let a = Article {
                id: "x".into(),
                text: t.into(),
                ..Article::default()
            };
            sketch_article(a, &params(min), &mut s)
        };
        let empty = doc("", 1);
        let five = "View comments on this story";
        for (d, words) in [(doc(five, 6), 5), (doc("-1", 15), 1), (doc(" ", 15), 0)] {
            assert!(d.is_empty());
            assert_eq!((d.num_shingles, d.words), (0, words));
            assert_eq!(d.shingles.as_deref(), Some(&[][..]));
            assert_eq!(d.signature, empty.signature);
        }
        let d = doc(five, 5);
        assert!(!d.is_empty());
        assert_eq!((d.num_shingles, d.words), (2, 5));
        assert_eq!(doc(five, 1), d);
    }

    #[test]
    fn sketch_agrees_with_compare_sets() {
        let text = "The minister said on Monday that the talks would resume next week in Geneva.";
        let other = "The minister said on Tuesday that the talks would resume next week in Geneva.";
        let params = SketchParams {
            shingle_size: 4,
            hasher: MinHasher::default(),
            keep_shingles: true,
            keep_signature: true,
            min_words: 1,
            keep_edges: false,
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
        // The signature is the one of the fingerprint set.
        let fp = |d: &DocSketch| -> Vec<u64> {
            d.shingles
                .as_ref()
                .unwrap()
                .iter()
                .map(|&f| u64::from(f))
                .collect()
        };
        let want = |d: &DocSketch| -> Vec<u32> {
            let sig = MinHasher::default().sketch_hashes(&fp(d));
            sig.mins.iter().map(|&m| m as u32).collect()
        };
        assert_eq!(a.signature, want(&a));
        assert_eq!(b.signature, want(&b));
        assert!(signature_jaccard(&a.signature, &b.signature) > 0.3);
    }
}
