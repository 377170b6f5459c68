//! The 64-bit key of a word: a hash of its matching form (normalised
//! bytes), the unit every comparison of words works on (shingles, diffs,
//! quote matching, facts).
//!
//! Words are short (five bytes on average in English news), so the hash is
//! built for 1 to 16 bytes without branches on the length: the bytes are
//! read as two zero-padded 64-bit halves and combined with the length by
//! two folded 128-bit multiplications (the product's high and low halves
//! xored). Longer words take one multiplication per 16 bytes first. The
//! scanner of [`super::word_hashes`] reads the halves straight from its
//! padded buffer ([`word_key_padded`]); both give the same key.
//!
//! Changing this function changes every shingle fingerprint and MinHash
//! signature, so the index format version must change with it.

/// Random odd constants (from a SplitMix64 stream).
const K0: u64 = 0xa076_1d64_78bd_642f;
const K1: u64 = 0xe703_7ed1_a0b4_28db;
const K2: u64 = 0x8ebc_6af0_9c88_c6e3;
const K3: u64 = 0x5899_65cc_7537_4cc3;

/// The high and low halves of the 128-bit product, xored.
#[inline(always)]
fn fold_mul(a: u64, b: u64) -> u64 {
    let m = (a as u128) * (b as u128);
    (m as u64) ^ ((m >> 64) as u64)
}

/// Masks of the low `n` bytes, `n` from 0 to 8 (a table load is cheaper
/// than a shift that must also handle 64).
/// (Sixteen entries so that an index masked with 15 needs no bounds check;
/// those past 8 are not used.)
const LOW_BYTES: [u64; 16] = {
    let mut m = [u64::MAX; 16];
    m[0] = 0;
    let mut n = 1;
    while n < 8 {
        m[n] = u64::MAX >> (64 - 8 * n);
        n += 1;
    }
    m
};

/// The low `n` bytes (`n` from 0 to 8) of `x`, the others zero.
#[inline(always)]
fn low_bytes(x: u64, n: usize) -> u64 {
    x & LOW_BYTES[n & 15]
}

/// The key of the last (or only) up to 16 bytes, given as little-endian
/// halves with zeros past the end, and the whole word's length.
#[inline(always)]
fn finish(lo: u64, hi: u64, len: usize, state: u64) -> u64 {
    let h = fold_mul(lo ^ K0 ^ state, hi ^ K1);
    fold_mul(h ^ K2, len as u64 ^ K3)
}

#[inline(always)]
fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes"))
}

/// Mixes the 16-byte chunks before the last one into a state.
#[inline]
fn long_state(w: &[u8]) -> (u64, usize) {
    let mut state = 0u64;
    let mut at = 0;
    while w.len() - at > 16 {
        state = fold_mul(u64_at(w, at) ^ K0 ^ state, u64_at(w, at + 8) ^ K1);
        at += 16;
    }
    (state, at)
}

/// The key of a word given as its matching form.
#[inline]
pub fn word_key(w: &[u8]) -> u64 {
    let (state, at) = if w.len() > 16 { long_state(w) } else { (0, 0) };
    let rest = &w[at..];
    let mut buf = [0u8; 16];
    buf[..rest.len()].copy_from_slice(rest);
    finish(u64_at(&buf, 0), u64_at(&buf, 8), w.len(), state)
}

/// [`word_key`] of `buf[start..end]`, where at least 16 bytes from `start`
/// are readable (the scanner pads its buffer).
#[inline(always)]
pub(super) fn word_key_padded(buf: &[u8], start: usize, end: usize) -> u64 {
    let len = end - start;
    if len > 16 {
        return word_key(&buf[start..end]);
    }
    let lo = low_bytes(u64_at(buf, start), len.min(8));
    let hi = low_bytes(u64_at(buf, start + 8), len.saturating_sub(8));
    finish(lo, hi, len, 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    proptest::proptest! {
        #[test]
        fn padded_agrees_with_plain(
            word in proptest::collection::vec(1u8..=255, 1..60),
            before in 0usize..20,
            junk in proptest::collection::vec(proptest::prelude::any::<u8>(), 16..40),
        ) {
            // The word sits inside other bytes, which must not leak in.
            let mut buf = junk.clone();
            buf.truncate(before.min(buf.len()));
            let start = buf.len();
            buf.extend_from_slice(&word);
            buf.extend_from_slice(&junk);
            proptest::prop_assert_eq!(
                word_key_padded(&buf, start, start + word.len()),
                word_key(&word)
            );
        }
    }

    #[test]
    fn length_and_trailing_zeros_count() {
        // Zero bytes are padding to the halves, so the length must tell
        // these apart.
        let keys: HashSet<u64> = (1..=40).map(|n| word_key(&vec![0u8; n])).collect();
        assert_eq!(keys.len(), 40);
        assert_ne!(word_key(b"ab"), word_key(b"ba"));
        assert_ne!(word_key(b"abcdefgh"), word_key(b"abcdefgh\0"));
    }

    #[test]
    fn no_collisions_among_many_short_words() {
        // Every word of up to three letters and many longer ones; the keys
        // and their low 32 bits (as hash tables use them) are all distinct.
        let mut words: Vec<Vec<u8>> = Vec::new();
        let letters = b"abcdefghijklmnopqrstuvwxyz0123456789";
        for &a in letters {
            words.push(vec![a]);
            for &b in letters {
                words.push(vec![a, b]);
                for &c in letters {
                    words.push(vec![a, b, c]);
                }
            }
        }
        for i in 0..200_000u64 {
            words.push(format!("word{i}-{}", i * 7919).into_bytes());
            words.push(format!("a-rather-long-compound-word-number-{i}").into_bytes());
        }
        let keys: HashSet<u64> = words.iter().map(|w| word_key(w)).collect();
        assert_eq!(keys.len(), words.len());
        let low: HashSet<u32> = keys.iter().map(|&k| k as u32).collect();
        // 32-bit birthday bound: about n^2 / 2^33 collisions expected.
        let n = words.len() as f64;
        assert!(((words.len() - low.len()) as f64) < 4.0 * n * n / 2f64.powi(33) + 10.0);
    }

    #[test]
    fn one_bit_changes_half_the_key() {
        // Avalanche: flipping any input bit flips about 32 of the 64.
        let mut total = 0u32;
        let mut n = 0u32;
        for len in [1usize, 3, 5, 8, 9, 12, 16, 17, 30] {
            let w: Vec<u8> = (0..len).map(|i| b'a' + (i as u8 * 7) % 26).collect();
            let k = word_key(&w);
            for byte in 0..len {
                for bit in 0..8 {
                    let mut v = w.clone();
                    v[byte] ^= 1 << bit;
                    total += (word_key(&v) ^ k).count_ones();
                    n += 1;
                }
            }
        }
        let mean = total as f64 / n as f64;
        assert!((28.0..36.0).contains(&mean), "mean flipped bits {mean}");
    }
}
