//! Words: UAX #29 word segments with a letter or digit, found by one pass
//! over whitespace-separated chunks with a table of byte flags (shared
//! with the word hash scanner), `unicode-segmentation` for a chunk with
//! other non-ASCII characters; each [`Word`] with its span and matching
//! form.

use unicode_segmentation::UnicodeSegmentation;

use super::Span;
use crate::text::normalize::Norm;

/// A word of the original text with its matching form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// Where the word stands in the original text.
    pub span: Span,
    /// Its normalised (matching) form.
    pub norm: Norm,
    /// 64-bit hash of `norm` (equal forms, equal keys), for fast matching.
    pub key: u64,
}

/// True for a UAX #29 word segment that is a word (has a letter or digit).
#[inline]
pub(in crate::text) fn is_word(seg: &str) -> bool {
    seg.chars().any(char::is_alphanumeric)
}

/// Finds the words of `text` (UAX #29 word segments with a letter or
/// digit), in order, pushing `emit(start, end)` for each to `out`.
///
/// UAX #29 always breaks on both sides of ASCII whitespace, so the text is
/// read in whitespace-separated chunks, in one pass over the bytes with a
/// table of byte flags: letters, digits and `_` join; `:` `.` `'` join two
/// letters; `,` `;` `.` `'` join two digits (the ASCII subset of the word
/// rules), and the curly single quotes join like `.`. When a chunk turns
/// out to hold a non-ASCII character other than the typographic ones of
/// [`typographic`], what it pushed is taken back and the chunk goes
/// through `unicode-segmentation`. Property tests check the words against
/// `unicode-segmentation` alone.
#[inline(always)]
fn scan_words<T>(text: &str, out: &mut Vec<T>, mut emit: impl FnMut(usize, usize) -> T) {
    let b = text.as_bytes();
    let n = b.len();
    let mut chunk_start = 0;
    let mut chunk_out = out.len();
    let mut i = 0;
    while i < n {
        let f = B_FLAGS[b[i] as usize];
        if f & B_WORD == 0 {
            if f & B_SPACE != 0 {
                chunk_start = i + 1;
                chunk_out = out.len();
            } else if f & B_NON_ASCII != 0 {
                if typographic(b, i).is_some() {
                    // Outside a word these are punctuation.
                    i += 3;
                    continue;
                }
                out.truncate(chunk_out);
                let mut end = i;
                while end < n && B_FLAGS[b[end] as usize] & B_SPACE == 0 {
                    end += 1;
                }
                // Both ends are next to ASCII whitespace (or the text's
                // ends), so they are character boundaries.
                for (k, w) in text[chunk_start..end].split_word_bound_indices() {
                    if is_word(w) {
                        let start = chunk_start + k;
                        out.push(emit(start, start + w.len()));
                    }
                }
                chunk_start = end;
                chunk_out = out.len();
                i = end;
                continue;
            }
            i += 1;
            continue;
        }
        let start = i;
        let mut seen = f;
        let mut prev = f;
        i += 1;
        while i < n {
            let g = B_FLAGS[b[i] as usize];
            if g & B_WORD != 0 {
                seen |= g;
                prev = g;
                i += 1;
                continue;
            }
            if g & B_JOIN != 0 && i + 1 < n {
                let next = B_FLAGS[b[i + 1] as usize];
                let joins = (prev & next & B_LETTER != 0 && g & B_JOIN_LETTERS != 0)
                    || (prev & next & B_DIGIT != 0 && g & B_JOIN_DIGITS != 0);
                if joins {
                    seen |= next;
                    prev = next;
                    i += 2;
                    continue;
                }
            } else if g & B_NON_ASCII != 0
                && typographic(b, i) == Some(Typographic::SingleQuote)
                && i + 3 < n
            {
                let next = B_FLAGS[b[i + 3] as usize];
                if prev & next & (B_LETTER | B_DIGIT) != 0 {
                    seen |= next;
                    prev = next;
                    i += 4;
                    continue;
                }
            }
            break;
        }
        if seen & B_ALNUM != 0 {
            out.push(emit(start, i));
        }
    }
}

/// Calls `f(start, end)` for every word of `text` (a UAX #29 word segment
/// with a letter or digit), in order, by the same scanner as [`words`].
pub fn word_bounds(text: &str, mut f: impl FnMut(usize, usize)) {
    let mut spans = Vec::new();
    scan_words(text, &mut spans, |start, end| (start, end));
    for (start, end) in spans {
        f(start, end);
    }
}

/// The words of `text` (letters or digits; punctuation and spaces skipped),
/// with spans into `text` and normalised forms.
pub fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::with_capacity(text.len() / 6);
    let mut scratch = String::new();
    scan_words(text, &mut out, |start, end| {
        let norm = Norm::of_word(&text[start..end], &mut scratch);
        Word {
            span: Span::new(start, end),
            key: crate::text::word_key(norm.as_bytes()),
            norm,
        }
    });
    out
}

/// The typographic characters [`scan_words`] reads without
/// `unicode-segmentation` (UAX #29 class in brackets): the curly single
/// quotes ‘ ’ (MidNumLet, like `.`), and the curly double quotes “ ”, the en
/// and em dashes – — and the replacement character � (Other, like `!`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(in crate::text) enum Typographic {
    SingleQuote,
    Other,
}

/// The typographic character starting at `b[i]`, if any.
#[inline]
pub(in crate::text) fn typographic(b: &[u8], i: usize) -> Option<Typographic> {
    match b.get(i..i + 3)? {
        [0xE2, 0x80, 0x98 | 0x99] => Some(Typographic::SingleQuote),
        [0xE2, 0x80, 0x93 | 0x94 | 0x9C | 0x9D] | [0xEF, 0xBF, 0xBD] => Some(Typographic::Other),
        _ => None,
    }
}

/// Byte flags for [`scan_words`].
pub(in crate::text) const B_LETTER: u8 = 1;
pub(in crate::text) const B_DIGIT: u8 = 2;
pub(in crate::text) const B_UNDER: u8 = 4;
pub(in crate::text) const B_SPACE: u8 = 16;
const B_NON_ASCII: u8 = 32;
pub(in crate::text) const B_JOIN_LETTERS: u8 = 64;
pub(in crate::text) const B_JOIN_DIGITS: u8 = 128;
const B_WORD: u8 = B_LETTER | B_DIGIT | B_UNDER;
const B_ALNUM: u8 = B_LETTER | B_DIGIT;
const B_JOIN: u8 = B_JOIN_LETTERS | B_JOIN_DIGITS;
pub(in crate::text) const B_FLAGS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = match c {
            b'a'..=b'z' => B_LETTER,
            b'A'..=b'Z' => B_LETTER,
            b'0'..=b'9' => B_DIGIT,
            b'_' => B_UNDER,
            b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => B_SPACE,
            b':' => B_JOIN_LETTERS,
            b'.' | b'\'' => B_JOIN_LETTERS | B_JOIN_DIGITS,
            b',' | b';' => B_JOIN_DIGITS,
            0x80..=0xff => B_NON_ASCII,
            _ => 0,
        };
        b += 1;
    }
    t
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_have_offsets_and_norms() {
        let t = "The PM’s “key” ally, 3.5 per cent.";
        let w = words(t);
        let norms: Vec<&str> = w.iter().map(|w| w.norm.as_str()).collect();
        assert_eq!(norms, ["the", "pm's", "key", "ally", "3.5", "per", "cent"]);
        assert_eq!(w[1].span.slice(t), "PM’s");
    }

    /// Words as `unicode-segmentation` alone gives them.
    fn reference_words(t: &str) -> Vec<(usize, usize)> {
        t.split_word_bound_indices()
            .filter(|(_, w)| is_word(w))
            .map(|(i, w)| (i, i + w.len()))
            .collect()
    }

    fn fast_words(t: &str) -> Vec<(usize, usize)> {
        let mut v = Vec::new();
        word_bounds(t, |s, e| v.push((s, e)));
        v
    }

    #[test]
    fn word_bounds_agree_with_uax29() {
        for t in [
            "Don't stop: e.g. 3,000.50 or 3.5; a:b a_b _ __ x_1 1_x a.1 1.a a..b",
            "The PM’s “key” ally, Straße and ÉCOLE — co\u{00AD}op ﬁle",
            "tab\tsep\r\nlines\x0bhere \u{0301}a b\u{0301} \u{200d}x 👍🏽 a’b 1’000",
            "",
            "   ",
            "'quoted' \"double\" (paren) [b] {c} a-b a/b a&b #tag @user http://x.y/z?q=1",
        ] {
            assert_eq!(fast_words(t), reference_words(t), "{t:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        #[test]
        fn word_bounds_agree_with_uax29_on_any_text(
            t in "[a-zA-Z0-9_ .,;:'\"\t\n\r\u{0b}\u{0c}!?()\\-é’“”\u{0301}\u{200d}\u{00AD}ß漢0-9]{0,60}"
        ) {
            proptest::prop_assert_eq!(fast_words(&t), reference_words(&t));
        }

        #[test]
        fn word_bounds_agree_on_ascii(t in "[ -~\t\n]{0,80}") {
            proptest::prop_assert_eq!(fast_words(&t), reference_words(&t));
        }
    }
}
