//! Word hashes for sketching: exactly the values of
//! [`crate::text::word_hashes`], faster on ASCII text.
//!
//! UAX #29 always puts a word boundary on both sides of ASCII whitespace,
//! so the text can be cut into whitespace-separated chunks and each chunk
//! segmented on its own. A chunk of pure ASCII is segmented here by the
//! ASCII subset of the UAX #29 word rules (letters, digits and `_` join;
//! `:` `.` `'` join two letters, `,` `;` `.` `'` join two digits); any other
//! chunk goes through [`crate::text::word_hashes`]. A property test checks
//! that the result equals [`crate::text::word_hashes`] on the whole text.

const OTHER: u8 = 0;
const LETTER: u8 = 1;
const DIGIT: u8 = 2;
const UNDERSCORE: u8 = 3;

/// Class of every byte value (non-ASCII bytes never reach the table).
const CLASS: [u8; 256] = {
    let mut t = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c.is_ascii_alphabetic() {
            LETTER
        } else if c.is_ascii_digit() {
            DIGIT
        } else if c == b'_' {
            UNDERSCORE
        } else {
            OTHER
        };
        b += 1;
    }
    t
};

#[inline]
fn class(b: u8) -> u8 {
    CLASS[b as usize]
}

#[inline]
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// Appends the hashes of the normalised words of `text`, the same values
/// as [`crate::text::word_hashes`].
pub fn word_hashes_fast(text: &str, out: &mut Vec<u64>) {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut buf: Vec<u8> = Vec::with_capacity(64);
    let mut i = 0;
    while i < n {
        while i < n && is_ascii_space(bytes[i]) {
            i += 1;
        }
        let start = i;
        let mut ascii = true;
        while i < n && !is_ascii_space(bytes[i]) {
            ascii &= bytes[i] < 0x80;
            i += 1;
        }
        if start == i {
            break;
        }
        if ascii {
            ascii_words(&bytes[start..i], &mut buf, out);
        } else {
            // Both ends are next to ASCII bytes (or the text's ends), so
            // they are character boundaries.
            crate::text::word_hashes(&text[start..i], out);
        }
    }
}

/// The words of an ASCII chunk without whitespace.
fn ascii_words(b: &[u8], buf: &mut Vec<u8>, out: &mut Vec<u64>) {
    let n = b.len();
    let mut i = 0;
    while i < n {
        let c = class(b[i]);
        if c == OTHER {
            i += 1;
            continue;
        }
        let start = i;
        let mut prev = c;
        let mut alnum = c != UNDERSCORE;
        i += 1;
        while i < n {
            let cc = class(b[i]);
            if cc != OTHER {
                prev = cc;
                alnum |= cc != UNDERSCORE;
                i += 1;
                continue;
            }
            if i + 1 < n {
                let next = class(b[i + 1]);
                let joins =
                    (prev == LETTER && next == LETTER && matches!(b[i], b':' | b'.' | b'\''))
                        || (prev == DIGIT
                            && next == DIGIT
                            && matches!(b[i], b',' | b';' | b'.' | b'\''));
                if joins {
                    prev = next;
                    i += 2;
                    continue;
                }
            }
            break;
        }
        if alnum {
            let word = &b[start..i];
            if word.iter().any(u8::is_ascii_uppercase) {
                buf.clear();
                buf.extend(word.iter().map(u8::to_ascii_lowercase));
                out.push(xxhash_rust::xxh3::xxh3_64(buf));
            } else {
                out.push(xxhash_rust::xxh3::xxh3_64(word));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn reference(text: &str) -> Vec<u64> {
        let mut v = Vec::new();
        crate::text::word_hashes(text, &mut v);
        v
    }

    fn fast(text: &str) -> Vec<u64> {
        let mut v = Vec::new();
        word_hashes_fast(text, &mut v);
        v
    }

    #[test]
    fn examples_agree() {
        for t in [
            "Don't stop: e.g. 3,000.50 or 3.5; a:b a_b _ __ x_1 1_x a.1 1.a a..b",
            "The PM’s “key” ally, Straße and ÉCOLE — co\u{00AD}op ﬁle",
            "tab\tsep\r\nlines\x0bhere \u{0301}a b\u{0301} \u{200d}x 👍🏽 a’b 1’000",
            "",
            "   ",
            "'quoted' \"double\" (paren) [b] {c} a-b a/b a&b #tag @user http://x.y/z?q=1",
        ] {
            assert_eq!(fast(t), reference(t), "{t:?}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn agrees_with_text_word_hashes(
            s in proptest::collection::vec(
                prop_oneof![
                    5 => proptest::sample::select(vec![
                        "a", "B", "z", "0", "7", "_", ".", ",", ";", ":", "'", "\"", " ", " ",
                        "\n", "\t", "\r", "-", "`", "(", "/", "&",
                    ]),
                    1 => proptest::sample::select(vec![
                        "é", "’", "“", "”", "\u{0301}", "\u{200d}", "\u{00AD}", "ß", "ﬁ", "Ａ",
                        "٣", "א", "\u{05F3}", "カ", "中", "👍", "\u{00A0}", "\u{2019}", "·",
                    ]),
                ],
                0..40,
            )
        ) {
            let text: String = s.concat();
            prop_assert_eq!(fast(&text), reference(&text), "{:?}", text);
        }
    }
}
