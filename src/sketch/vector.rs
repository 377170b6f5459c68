//! The one-permutation pass over a text's word keys, eight shingles at a
//! time (AVX-512 F and DQ, whose 64-bit multiplication does a shingle's
//! weighted sum and both of its mixes in eight lanes at once). It gives the
//! same shingle hashes, in the same order, and the same bins and minimums
//! as the scalar pass of [`MinHasher`](super::MinHasher), which takes the
//! last few shingles of every text and every text on a processor without
//! AVX-512.

use std::arch::x86_64::*;

use super::weights::{position_multiplier, window_start};

/// The longest shingle the vector pass takes; longer ones go the scalar
/// way.
const MAX_WINDOW: usize = 8;

/// Whether this processor can run [`one_permutation_x8`].
pub(crate) fn available() -> bool {
    crate::arch::cpu().avx512dq
}

/// Hashes the first shingles of `words` (`window` words each, as
/// [`shingle_window`](super::shingle::shingle_window) gives it) eight at a
/// time: `on_shingle` sees each shingle hash in order, and each hash mixed
/// with `seed` lowers the minimum of its bin in `mins` (one-permutation
/// hashing). Returns how many shingles were done, a multiple of eight; the
/// caller hashes the rest.
///
/// # Safety
/// The processor must have AVX-512 F and DQ ([`available`]).
#[target_feature(enable = "avx512f,avx512dq")]
pub(crate) unsafe fn one_permutation_x8(
    words: &[u64],
    window: usize,
    seed: u64,
    mins: &mut [u64],
    on_shingle: &mut impl FnMut(u64),
) -> usize {
    match window {
        1 => shingles_x8::<1>(words, seed, mins, on_shingle),
        2 => shingles_x8::<2>(words, seed, mins, on_shingle),
        3 => shingles_x8::<3>(words, seed, mins, on_shingle),
        4 => shingles_x8::<4>(words, seed, mins, on_shingle),
        5 => shingles_x8::<5>(words, seed, mins, on_shingle),
        6 => shingles_x8::<6>(words, seed, mins, on_shingle),
        7 => shingles_x8::<7>(words, seed, mins, on_shingle),
        MAX_WINDOW => shingles_x8::<MAX_WINDOW>(words, seed, mins, on_shingle),
        _ => 0,
    }
}

/// Appends the 32-bit fingerprints (the high half of each shingle hash)
/// of the first shingles of `words` to `out`, eight at a time, in order.
/// Returns how many shingles were done, a multiple of eight; the caller
/// hashes the rest.
///
/// # Safety
/// The processor must have AVX-512 F and DQ ([`available`]).
#[target_feature(enable = "avx512f,avx512dq")]
pub(crate) unsafe fn fingerprints_x8(words: &[u64], window: usize, out: &mut Vec<u32>) -> usize {
    match window {
        1 => fingerprints_w::<1>(words, out),
        2 => fingerprints_w::<2>(words, out),
        3 => fingerprints_w::<3>(words, out),
        4 => fingerprints_w::<4>(words, out),
        5 => fingerprints_w::<5>(words, out),
        6 => fingerprints_w::<6>(words, out),
        7 => fingerprints_w::<7>(words, out),
        MAX_WINDOW => fingerprints_w::<MAX_WINDOW>(words, out),
        _ => 0,
    }
}

#[inline]
#[target_feature(enable = "avx512f,avx512dq")]
fn fingerprints_w<const W: usize>(words: &[u64], out: &mut Vec<u32>) -> usize {
    if words.len() < W {
        return 0;
    }
    let shingles = words.len() + 1 - W;
    let start = _mm512_set1_epi64(window_start(W) as i64);
    let mult: [__m512i; W] =
        std::array::from_fn(|j| _mm512_set1_epi64(position_multiplier(j) as i64));
    out.reserve(shingles);
    let mut i = 0;
    while i + 8 <= shingles {
        // SAFETY: i + 8 <= shingles.
        let hashes = unsafe { hashes_x8(words, i, start, &mult) };
        // The high halves of the eight hashes, as eight 32-bit values.
        let high = _mm512_cvtepi64_epi32(_mm512_srli_epi64::<32>(hashes));
        let len = out.len();
        // SAFETY: `reserve` made room for every shingle; eight values are
        // written past the length, then the length moves over them.
        unsafe {
            _mm256_storeu_si256(out.as_mut_ptr().add(len).cast(), high);
            out.set_len(len + 8);
        }
        i += 8;
    }
    i
}

/// The hashes of shingles `i` to `i + 7` (`W` words each): the weighted
/// sum of their words from `start`, mixed.
///
/// # Safety
/// `i + 8 <= words.len() + 1 - W` (shingle `i + 7` ends inside `words`),
/// and the processor has AVX-512 F and DQ.
#[inline]
#[target_feature(enable = "avx512f,avx512dq")]
unsafe fn hashes_x8<const W: usize>(
    words: &[u64],
    i: usize,
    start: __m512i,
    mult: &[__m512i; W],
) -> __m512i {
    let mut acc = start;
    for (j, m) in mult.iter().enumerate() {
        // SAFETY: shingle i + 7 ends at word i + 7 + W - 1, which is
        // below words.len() by the caller's promise.
        let w = unsafe { _mm512_loadu_si512(words.as_ptr().add(i + j).cast()) };
        acc = _mm512_add_epi64(acc, _mm512_mullo_epi64(w, *m));
    }
    mix_x8(acc)
}

/// SplitMix64's finaliser in eight lanes (the scalar `mix64`).
#[inline]
#[target_feature(enable = "avx512f,avx512dq")]
fn mix_x8(x: __m512i) -> __m512i {
    let x = _mm512_xor_si512(x, _mm512_srli_epi64::<30>(x));
    let x = _mm512_mullo_epi64(x, _mm512_set1_epi64(0xbf58_476d_1ce4_e5b9_u64 as i64));
    let x = _mm512_xor_si512(x, _mm512_srli_epi64::<27>(x));
    let x = _mm512_mullo_epi64(x, _mm512_set1_epi64(0x94d0_49bb_1331_11eb_u64 as i64));
    _mm512_xor_si512(x, _mm512_srli_epi64::<31>(x))
}

#[inline]
#[target_feature(enable = "avx512f,avx512dq")]
fn shingles_x8<const W: usize>(
    words: &[u64],
    seed: u64,
    mins: &mut [u64],
    on_shingle: &mut impl FnMut(u64),
) -> usize {
    if words.len() < W {
        return 0;
    }
    let shingles = words.len() + 1 - W;
    let bins = mins.len() as u128;
    let start = _mm512_set1_epi64(window_start(W) as i64);
    let seed = _mm512_set1_epi64(seed as i64);
    let mult: [__m512i; W] =
        std::array::from_fn(|j| _mm512_set1_epi64(position_multiplier(j) as i64));
    let (mut shingle, mut mixed) = ([0u64; 8], [0u64; 8]);
    let mut i = 0;
    while i + 8 <= shingles {
        // SAFETY: i + 8 <= shingles.
        let s = unsafe { hashes_x8(words, i, start, &mult) };
        let h = mix_x8(_mm512_xor_si512(s, seed));
        // SAFETY: two arrays of eight u64, unaligned stores.
        unsafe {
            _mm512_storeu_si512(shingle.as_mut_ptr().cast(), s);
            _mm512_storeu_si512(mixed.as_mut_ptr().cast(), h);
        }
        for (&s, &h) in shingle.iter().zip(&mixed) {
            on_shingle(s);
            let bin = ((h as u128 * bins) >> 64) as usize;
            let m = &mut mins[bin];
            *m = (*m).min(h);
        }
        i += 8;
    }
    i
}

/// Optimal densification (as [`MinHasher`](super::MinHasher) does it) of
/// at most 512 bins, sixteen probes at a time (AVX-512 F): the bitmap of
/// filled bins is made eight bins per compare, and an empty bin tests the
/// first sixteen bins of its probe sequence (`probes`, sixteen per bin)
/// against it in one go, with no branch on which of them is filled. A bin
/// none of whose sixteen probes is filled takes `beyond(bin, mins,
/// is_filled)`.
///
/// # Safety
/// The processor must have AVX-512 F; `mins` must hold at most 512 bins
/// and `probes` sixteen per bin.
#[target_feature(enable = "avx512f")]
pub(crate) unsafe fn densify_x16(
    mins: &mut [u64],
    probes: &[u32],
    beyond: impl Fn(usize, &[u64], &dyn Fn(usize) -> bool) -> u64,
) {
    const EMPTY: u64 = u64::MAX;
    let k = mins.len();
    assert!(k <= 512 && probes.len() >= 16 * k);
    // Which bins the set filled, before any is borrowed into: 32 per word.
    let mut filled = [0u32; 16];
    let empty = _mm512_set1_epi64(EMPTY as i64);
    let mut j = 0;
    while j + 8 <= k {
        // SAFETY: mins[j..j + 8] is in bounds.
        let v = unsafe { _mm512_loadu_si512(mins.as_ptr().add(j).cast()) };
        let m = _mm512_cmpneq_epu64_mask(v, empty) as u32;
        filled[j / 32] |= m << (j % 32);
        j += 8;
    }
    for (b, &m) in mins.iter().enumerate().skip(j) {
        filled[b / 32] |= ((m != EMPTY) as u32) << (b % 32);
    }
    let is_filled = |c: usize| filled[c / 32] >> (c % 32) & 1 == 1;
    // SAFETY: sixteen u32, unaligned.
    let bitmap = unsafe { _mm512_loadu_si512(filled.as_ptr().cast()) };
    let (low5, one) = (_mm512_set1_epi32(31), _mm512_set1_epi32(1));
    for (w, &bits) in filled.iter().enumerate().take(k.div_ceil(32)) {
        let mut todo = !bits;
        if (w + 1) * 32 > k {
            todo &= (1 << (k % 32)) - 1;
        }
        while todo != 0 {
            let j = w * 32 + todo.trailing_zeros() as usize;
            todo &= todo - 1;
            let row = &probes[j * 16..j * 16 + 16];
            // SAFETY: row holds sixteen u32.
            let c = unsafe { _mm512_loadu_si512(row.as_ptr().cast()) };
            let word = _mm512_permutexvar_epi32(_mm512_srli_epi32::<5>(c), bitmap);
            let bit = _mm512_srlv_epi32(word, _mm512_and_si512(c, low5));
            let hit = _mm512_test_epi32_mask(bit, one);
            mins[j] = if hit != 0 {
                mins[row[hit.trailing_zeros() as usize] as usize]
            } else {
                beyond(j, mins, &is_filled)
            };
        }
    }
}
