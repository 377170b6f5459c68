//! Word hashes of a whole text, by a block scanner: the same words and
//! keys as [`super::words`], without spans, several times faster.
//!
//! The text is first copied into a buffer in its matching form where that
//! is a byte-for-byte matter: ASCII capitals lower-cased, the curly single
//! quotes ‘ ’ written as `'` (they join words exactly as `'` does) and the
//! other typographic characters the scanner knows (“ ” – — �) as `!`
//! (punctuation, as they are). A whitespace-separated chunk holding any
//! other non-ASCII character goes through `unicode-segmentation` instead,
//! as in [`super::words`]. The buffer, plain lower-case ASCII, is then read
//! 64 bytes at a time: a bit mask per byte class (letters, digits, `_`,
//! and the two kinds of joining punctuation), the joins between letters or
//! digits found with shifts of those masks, and the words are the runs of
//! the resulting mask, each hashed from the buffer (the key is the hash of
//! the matching form, which is exactly the run's bytes).

use std::cell::RefCell;

use unicode_segmentation::UnicodeSegmentation;

use super::normalize::normalize_word_into;
use super::segment::{
    B_DIGIT, B_FLAGS, B_JOIN_DIGITS, B_JOIN_LETTERS, B_LETTER, B_SPACE, B_UNDER, Typographic,
    is_word, typographic,
};
use super::word_key::{word_key, word_key_padded};

/// Bytes read past the end of the folded text by the block scanner (zeros,
/// which belong to no class).
const PAD: usize = 128;

thread_local! {
    static FOLDED: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// ASCII whitespace as the scanner of [`super::words`] sees it (UAX #29
/// breaks on both sides of each).
#[inline]
fn is_space(b: u8) -> bool {
    B_FLAGS[b as usize] & B_SPACE != 0
}

/// 64-bit hashes of the normalised words of `text`, appended to `out` in
/// order, without allocating a string per word: the `key` of each word
/// [`words`](super::words) gives.
pub fn word_hashes(text: &str, out: &mut Vec<u64>) {
    FOLDED.with(|buf| {
        let mut buf = buf.borrow_mut();
        scan_text(text, &mut buf, out);
    });
}

fn scan_text(text: &str, buf: &mut Vec<u8>, out: &mut Vec<u64>) {
    let b = text.as_bytes();
    let n = b.len();
    buf.clear();
    buf.reserve(n + PAD);
    // Where the current stretch of `buf` starts, in `text`.
    let mut orig_flush = 0;
    let mut norm = String::new();
    let mut i = 0;
    while i < n {
        let j = i + fold_ascii_into(&b[i..], buf);
        if j >= n {
            break;
        }
        match typographic(b, j) {
            Some(Typographic::SingleQuote) => buf.push(b'\''),
            Some(Typographic::Other) => buf.push(b'!'),
            None => {
                // The chunk around `j`, from the whitespace before it (or
                // the stretch's start) to the whitespace after it.
                let chunk_start = b[orig_flush..j]
                    .iter()
                    .rposition(|&c| is_space(c))
                    .map_or(orig_flush, |p| orig_flush + p + 1);
                let buf_start = buf.iter().rposition(|&c| is_space(c)).map_or(0, |p| p + 1);
                buf.truncate(buf_start);
                scan_folded(buf, out);
                let chunk_end = b[j..]
                    .iter()
                    .position(|&c| is_space(c))
                    .map_or(n, |p| j + p);
                for w in text[chunk_start..chunk_end].split_word_bounds() {
                    if is_word(w) {
                        norm.clear();
                        normalize_word_into(w, &mut norm);
                        out.push(word_key(norm.as_bytes()));
                    }
                }
                buf.clear();
                orig_flush = chunk_end;
                i = chunk_end;
                continue;
            }
        }
        i = j + 3;
    }
    scan_folded(buf, out);
}

/// Appends `src` lower-cased to `buf` up to its first non-ASCII byte;
/// returns how many bytes were copied.
#[inline]
fn fold_ascii_into(src: &[u8], buf: &mut Vec<u8>) -> usize {
    let start = buf.len();
    buf.reserve(src.len());
    let mut i = 0;
    // Sixteen bytes at a time while they are all ASCII.
    while i + 16 <= src.len() {
        let chunk: &[u8; 16] = src[i..i + 16].try_into().expect("16 bytes");
        match fold16(chunk) {
            Some(folded) => buf.extend_from_slice(&folded),
            None => break,
        }
        i += 16;
    }
    let len = i + src[i..]
        .iter()
        .position(|&c| c >= 0x80)
        .unwrap_or(src.len() - i);
    buf.extend(src[i..len].iter().map(u8::to_ascii_lowercase));
    debug_assert_eq!(buf.len() - start, len);
    len
}

/// Sixteen ASCII bytes lower-cased, or `None` when one is not ASCII.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn fold16(chunk: &[u8; 16]) -> Option<[u8; 16]> {
    use std::arch::x86_64::*;
    // SAFETY: SSE2 is part of every x86-64 processor; the load and the
    // store touch the 16 bytes of `chunk` and of `out`.
    unsafe {
        let v = _mm_loadu_si128(chunk.as_ptr() as *const __m128i);
        if _mm_movemask_epi8(v) != 0 {
            return None;
        }
        // `A..=Z` moved so that `A` lands on -128 is below -128 + 26.
        let upper = _mm_cmplt_epi8(
            _mm_add_epi8(v, _mm_set1_epi8(0x80u8.wrapping_sub(b'A') as i8)),
            _mm_set1_epi8((-128 + 26) as i8),
        );
        let folded = _mm_add_epi8(v, _mm_and_si128(upper, _mm_set1_epi8(0x20)));
        let mut out = [0u8; 16];
        _mm_storeu_si128(out.as_mut_ptr() as *mut __m128i, folded);
        Some(out)
    }
}

#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn fold16(chunk: &[u8; 16]) -> Option<[u8; 16]> {
    chunk
        .is_ascii()
        .then(|| chunk.map(|c| c.to_ascii_lowercase()))
}

/// Class masks of 64 bytes: bit `k` describes byte `k`.
#[derive(Clone, Copy, Default)]
struct Masks {
    letter: u64,
    digit: u64,
    under: u64,
    /// `:` `.` `'`: join two letters.
    join_letters: u64,
    /// `.` `'` `,` `;`: join two digits.
    join_digits: u64,
}

impl Masks {
    /// Bytes that belong to a word by themselves.
    #[inline]
    fn word(&self) -> u64 {
        self.letter | self.digit | self.under
    }
}

/// The masks of `block` (lower-case ASCII), from the byte flags of the
/// scanner of [`super::words`].
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
#[inline]
fn masks_portable(block: &[u8; 64]) -> Masks {
    let mut m = Masks::default();
    for (k, &c) in block.iter().enumerate() {
        let f = B_FLAGS[c as usize];
        let bit = |flag: u8| ((f & flag != 0) as u64) << k;
        m.letter |= bit(B_LETTER);
        m.digit |= bit(B_DIGIT);
        m.under |= bit(B_UNDER);
        m.join_letters |= bit(B_JOIN_LETTERS);
        m.join_digits |= bit(B_JOIN_DIGITS);
    }
    m
}

#[cfg(target_arch = "x86_64")]
#[inline]
fn masks(block: &[u8; 64]) -> Masks {
    // SAFETY: SSE2 is part of every x86-64 processor; the four loads read
    // the 64 bytes of `block`.
    unsafe { masks_sse2(block) }
}

#[cfg(not(target_arch = "x86_64"))]
#[inline]
fn masks(block: &[u8; 64]) -> Masks {
    masks_portable(block)
}

/// The bytes the SIMD class masks are made with, by index: 0 the shift
/// that moves `a` to -128 and 1 the bound below which a shifted byte is a
/// letter (`a..=z`), 2 and 3 the same for digits, 4 `_`, and the joining
/// punctuation 5 `:`, 6 `.`, 7 `'`, 8 `,`, 9 `;`.
#[cfg(target_arch = "x86_64")]
const CLASS_BYTES: [u8; 10] = [
    0x80u8.wrapping_sub(b'a'),
    (-128i8 + 26) as u8,
    0x80u8.wrapping_sub(b'0'),
    (-128i8 + 10) as u8,
    b'_',
    b':',
    b'.',
    b'\'',
    b',',
    b';',
];

#[cfg(target_arch = "x86_64")]
#[inline]
unsafe fn masks_sse2(block: &[u8; 64]) -> Masks {
    use std::arch::x86_64::*;
    let mut m = Masks::default();
    unsafe {
        // A byte is in `lo..lo + len` when, moved so that `lo` lands on
        // -128, it is below -128 + len (signed).
        let c = CLASS_BYTES.map(|b| _mm_set1_epi8(b as i8));
        for q in 0..4 {
            let v = _mm_loadu_si128(block.as_ptr().add(16 * q) as *const __m128i);
            let letter = _mm_cmplt_epi8(_mm_add_epi8(v, c[0]), c[1]);
            let digit = _mm_cmplt_epi8(_mm_add_epi8(v, c[2]), c[3]);
            let both = _mm_or_si128(_mm_cmpeq_epi8(v, c[6]), _mm_cmpeq_epi8(v, c[7]));
            let jl = _mm_or_si128(both, _mm_cmpeq_epi8(v, c[5]));
            let jd = _mm_or_si128(
                both,
                _mm_or_si128(_mm_cmpeq_epi8(v, c[8]), _mm_cmpeq_epi8(v, c[9])),
            );
            let shift = 16 * q as u32;
            let bits = |x: __m128i| ((_mm_movemask_epi8(x) as u32 as u64) & 0xffff) << shift;
            m.letter |= bits(letter);
            m.digit |= bits(digit);
            m.under |= bits(_mm_cmpeq_epi8(v, c[4]));
            m.join_letters |= bits(jl);
            m.join_digits |= bits(jd);
        }
    }
    m
}

/// [`masks_sse2`] 32 bytes at a time.
///
/// # Safety
/// The processor must have AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn masks_avx2(block: &[u8; 64]) -> Masks {
    use std::arch::x86_64::*;
    let mut m = Masks::default();
    let c = CLASS_BYTES.map(|b| _mm256_set1_epi8(b as i8));
    // `x < top` for signed bytes is `top > x`.
    let below = |x: __m256i, top: __m256i| _mm256_cmpgt_epi8(top, x);
    for h in 0..2 {
        // SAFETY: the load reads block[32 * h..32 * h + 32], unaligned.
        let v = unsafe { _mm256_loadu_si256(block.as_ptr().add(32 * h) as *const __m256i) };
        let letter = below(_mm256_add_epi8(v, c[0]), c[1]);
        let digit = below(_mm256_add_epi8(v, c[2]), c[3]);
        let both = _mm256_or_si256(_mm256_cmpeq_epi8(v, c[6]), _mm256_cmpeq_epi8(v, c[7]));
        let jl = _mm256_or_si256(both, _mm256_cmpeq_epi8(v, c[5]));
        let jd = _mm256_or_si256(
            both,
            _mm256_or_si256(_mm256_cmpeq_epi8(v, c[8]), _mm256_cmpeq_epi8(v, c[9])),
        );
        let shift = 32 * h as u32;
        let bits = |x: __m256i| (_mm256_movemask_epi8(x) as u32 as u64) << shift;
        m.letter |= bits(letter);
        m.digit |= bits(digit);
        m.under |= bits(_mm256_cmpeq_epi8(v, c[4]));
        m.join_letters |= bits(jl);
        m.join_digits |= bits(jd);
    }
    m
}

/// Pushes the keys of the words of `text` (lower-case ASCII, the folded
/// form) to `out`. `buf` holds the text and is padded here.
fn scan_folded(buf: &mut Vec<u8>, out: &mut Vec<u64>) {
    #[cfg(target_arch = "x86_64")]
    if crate::arch::cpu().avx2_bmi1 {
        // SAFETY: the processor has AVX2 and BMI1 (checked just above).
        return unsafe { scan_folded_avx2(buf, out) };
    }
    scan_folded_with(buf, out, masks);
}

/// [`scan_folded`] built for AVX2 and BMI1: the masks of 32 bytes at a
/// time, and the runs' ends found with the bit instructions of BMI1.
///
/// # Safety
/// The processor must have AVX2 and BMI1.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,bmi1")]
unsafe fn scan_folded_avx2(buf: &mut Vec<u8>, out: &mut Vec<u64>) {
    // SAFETY: this function runs only where AVX2 is available.
    scan_folded_with(buf, out, |block| unsafe { masks_avx2(block) });
}

/// The scanner of [`scan_folded`], with the masks made by `masks`.
#[inline(always)]
fn scan_folded_with(buf: &mut Vec<u8>, out: &mut Vec<u64>, masks: impl Fn(&[u8; 64]) -> Masks) {
    let n = buf.len();
    if n == 0 {
        return;
    }
    buf.resize(n + PAD, 0);
    let block = |o: usize| -> &[u8; 64] { buf[o..o + 64].try_into().expect("64 bytes") };
    let mut prev = Masks::default();
    let mut prev_run = 0u64;
    let mut cur = masks(block(0));
    // Start of a run still open at the end of the block before.
    let mut open: Option<usize> = None;
    let mut o = 0;
    while o < n {
        let next = masks(block(o + 64));
        let prev_letter = cur.letter << 1 | prev.letter >> 63;
        let next_letter = cur.letter >> 1 | next.letter << 63;
        let prev_digit = cur.digit << 1 | prev.digit >> 63;
        let next_digit = cur.digit >> 1 | next.digit << 63;
        let joins = (cur.join_letters & prev_letter & next_letter)
            | (cur.join_digits & prev_digit & next_digit);
        let run = cur.word() | joins;
        // Whether the next block's first byte is in a run: a word byte, or
        // a join between this block's last byte and its second.
        let next_first = (next.word()
            | (next.join_letters & cur.letter >> 63 & next.letter >> 1)
            | (next.join_digits & cur.digit >> 63 & next.digit >> 1))
            & 1;
        let mut starts = run & !(run << 1 | prev_run >> 63);
        let mut ends = run & !(run >> 1 | next_first << 63);
        loop {
            let start = match open {
                Some(s) => s,
                None => {
                    if starts == 0 {
                        break;
                    }
                    let s = o + starts.trailing_zeros() as usize;
                    starts &= starts - 1;
                    s
                }
            };
            if ends == 0 {
                open = Some(start);
                break;
            }
            let end = o + ends.trailing_zeros() as usize + 1;
            ends &= ends - 1;
            open = None;
            // A run is a word when it has a letter or a digit; only a run
            // of underscores has neither (a join sits between two).
            if buf[start] != b'_' || buf[start..end].iter().any(|c| c.is_ascii_alphanumeric()) {
                out.push(word_key_padded(buf, start, end));
            }
        }
        prev = cur;
        prev_run = run;
        cur = next;
        o += 64;
    }
    buf.truncate(n);
}

#[cfg(test)]
mod tests {
    use super::super::segment::words;
    use super::*;

    #[test]
    fn fold16_lower_cases_every_ascii_byte() {
        let all: Vec<u8> = (0u8..128).collect();
        for chunk in all.chunks(16) {
            let chunk: &[u8; 16] = chunk.try_into().unwrap();
            assert_eq!(
                fold16(chunk).unwrap(),
                chunk.map(|c| c.to_ascii_lowercase())
            );
            for k in 0..16 {
                let mut high = *chunk;
                high[k] |= 0x80;
                assert_eq!(fold16(&high), None);
            }
        }
        // Whatever the split into chunks, the fold stops at the first
        // non-ASCII byte.
        let text = b"The QUICK brown Fox, @[`{ jumps over 40 LAZY dogs\xc3\xa9 and more";
        let mut buf = Vec::new();
        let n = fold_ascii_into(text, &mut buf);
        assert_eq!(&buf[..], &text[..n].to_ascii_lowercase()[..]);
        assert_eq!(text[n], 0xc3);
    }

    #[cfg(target_arch = "x86_64")]
    proptest::proptest! {
        #[test]
        fn simd_masks_agree_with_portable(bytes in proptest::collection::vec(0u8..128, 64)) {
            // The scanner reads folded text: no capitals.
            let block: [u8; 64] = bytes.to_ascii_lowercase().try_into().unwrap();
            let (a, b) = (masks(&block), masks_portable(&block));
            proptest::prop_assert_eq!(
                (a.letter, a.digit, a.under, a.join_letters, a.join_digits),
                (b.letter, b.digit, b.under, b.join_letters, b.join_digits)
            );
            if std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: the processor has AVX2.
                let c = unsafe { masks_avx2(&block) };
                proptest::prop_assert_eq!(
                    (c.letter, c.digit, c.under, c.join_letters, c.join_digits),
                    (b.letter, b.digit, b.under, b.join_letters, b.join_digits)
                );
            }
        }
    }

    /// Word hashes from `unicode-segmentation` alone.
    fn reference_hashes(t: &str) -> Vec<u64> {
        t.split_word_bounds()
            .filter(|w| is_word(w))
            .map(|w| {
                let mut n = String::new();
                normalize_word_into(w, &mut n);
                crate::text::word_key(n.as_bytes())
            })
            .collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        #[test]
        fn word_hashes_agree_with_uax29_words(
            s in proptest::collection::vec(
                proptest::prop_oneof![
                    5 => proptest::sample::select(vec![
                        "a", "B", "z", "0", "7", "_", ".", ",", ";", ":", "'", "\"", " ", " ",
                        "\n", "\t", "\r", "-", "`", "(", "/", "&",
                    ]),
                    1 => proptest::sample::select(vec![
                        "é", "’", "“", "”", "\u{0301}", "\u{200d}", "\u{00AD}", "ß", "ﬁ", "Ａ",
                        "٣", "א", "\u{05F3}", "カ", "中", "👍", "\u{00A0}", "\u{2019}", "·",
                        "‘", "—", "–", "\u{FFFD}", "\u{2018}9",
                    ]),
                ],
                0..40,
            )
        ) {
            let text: String = s.concat();
            let mut fast = Vec::new();
            word_hashes(&text, &mut fast);
            proptest::prop_assert_eq!(&fast, &reference_hashes(&text), "{:?}", text);
            let keys: Vec<u64> = words(&text).iter().map(|w| w.key).collect();
            proptest::prop_assert_eq!(fast, keys);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1500))]

        /// Long texts, so that words, joins and non-ASCII chunks fall on
        /// every position of the block scanner's 64-byte blocks.
        #[test]
        fn word_hashes_agree_on_long_texts(
            s in proptest::collection::vec(
                proptest::prop_oneof![
                    20 => proptest::sample::select(vec![
                        "a", "Bc", "word", "0", "75", "_", ".", ",", ";", ":", "'", " ", " ",
                        "  ", "\n", "-", "(", "Quick", "brown",
                    ]),
                    1 => proptest::sample::select(vec![
                        "é", "’", "“", "”", "\u{0301}", "ß", "Ａ", "中", "\u{00A0}", "‘", "—",
                        "\u{FFFD}",
                    ]),
                ],
                0..400,
            )
        ) {
            let text: String = s.concat();
            let mut fast = Vec::new();
            word_hashes(&text, &mut fast);
            proptest::prop_assert_eq!(&fast, &reference_hashes(&text), "{:?}", text);
        }
    }

    #[test]
    fn hashes_match_words() {
        let t = "Hello, World! ÉCOLE école";
        let mut h = Vec::new();
        word_hashes(t, &mut h);
        assert_eq!(h.len(), 4);
        assert_eq!(h[2], h[3]);
    }
}
