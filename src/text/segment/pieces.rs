//! UAX #29 sentence boundaries: the text cut into sentence pieces by the
//! Unicode rules, applied directly to the characters' Sentence_Break
//! classes where they are known here, by `unicode-segmentation` otherwise.

use unicode_segmentation::UnicodeSegmentation;

/// Sentence classes (UAX #29's Sentence_Break property) of ASCII bytes and
/// of the other characters news text is made of ([`sb_char`]).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sb {
    Sep,
    Sp,
    Lower,
    Upper,
    Numeric,
    ATerm,
    STerm,
    Close,
    SContinue,
    Other,
}

fn sb(b: u8) -> Sb {
    match b {
        b'\n' | b'\r' => Sb::Sep,
        b' ' | b'\t' | 0x0b | 0x0c => Sb::Sp,
        b'a'..=b'z' => Sb::Lower,
        b'A'..=b'Z' => Sb::Upper,
        b'0'..=b'9' => Sb::Numeric,
        b'.' => Sb::ATerm,
        b'!' | b'?' => Sb::STerm,
        b'"' | b'\'' | b'(' | b')' | b'[' | b']' | b'{' | b'}' => Sb::Close,
        b',' | b'-' | b':' | b';' => Sb::SContinue,
        _ => Sb::Other,
    }
}

/// The class of a character, for ASCII and for the non-ASCII characters
/// of news text whose class is known here: spaces, typographic quotes and
/// guillemets, the en and em dash, the upper- and lower-case letters of
/// the Latin, Greek and Cyrillic blocks up to U+052F, and common signs
/// (`…`, `€`, `£`, `°`, `©`, `•`, `×`, and U+FFFD, which marks bytes a
/// scraper could not decode).
/// `None` for any other character (a combining mark, say, which the rules
/// treat apart): the text is then left to `unicode-segmentation`. A
/// property test checks these classes against it.
fn sb_char(c: char) -> Option<Sb> {
    if c.is_ascii() {
        return Some(sb(c as u8));
    }
    Some(match c {
        '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}' => Sb::Sp,
        '\u{ab}' | '\u{bb}' | '\u{2018}'..='\u{201f}' | '\u{2039}' | '\u{203a}' => Sb::Close,
        '\u{2013}' | '\u{2014}' => Sb::SContinue,
        // Combining marks (some of them are lower case) are not letters.
        '\u{300}'..='\u{36f}' | '\u{483}'..='\u{489}' => return None,
        '\u{c0}'..='\u{52f}' if c.is_lowercase() => Sb::Lower,
        '\u{c0}'..='\u{52f}' if c.is_uppercase() => Sb::Upper,
        '\u{2026}' | '\u{20ac}' | '\u{a3}' | '\u{b0}' | '\u{a9}' | '\u{2022}' | '\u{d7}'
        | '\u{fffd}' => Sb::Other,
        _ => return None,
    })
}

/// UAX #29 sentence pieces of `text` (offset, piece): the rules applied
/// directly to the characters' classes ([`sb_char`]), `unicode-segmentation`
/// for a text with a character whose class is not known here. Property
/// tests check that the two agree.
pub(super) fn sentence_pieces<'t>(text: &'t str) -> Vec<(usize, &'t str)> {
    // Per character: its class and where it starts (and the text's end).
    let (cls, at): (Vec<Sb>, Vec<usize>) = if text.is_ascii() {
        (text.bytes().map(sb).collect(), (0..=text.len()).collect())
    } else {
        let mut cls = Vec::with_capacity(text.len());
        let mut at = Vec::with_capacity(text.len() + 1);
        for (i, c) in text.char_indices() {
            let Some(k) = sb_char(c) else {
                return text.split_sentence_bound_indices().collect();
            };
            cls.push(k);
            at.push(i);
        }
        at.push(text.len());
        (cls, at)
    };
    let b = text.as_bytes();
    let n = cls.len();
    // SB3: CR × LF; a paragraph separator is one character, or CR LF.
    let sep_len = |i: usize| {
        if b[at[i]] == b'\r' && i + 1 < n && b[at[i + 1]] == b'\n' {
            2
        } else {
            1
        }
    };
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let cut = |out: &mut Vec<(usize, &'t str)>, start: &mut usize, to: usize| {
        let to = at[to];
        if to > *start {
            out.push((*start, &text[*start..to]));
            *start = to;
        }
    };
    while i < n {
        // Only separators and terminators can end a piece.
        match cls[i..]
            .iter()
            .position(|&k| matches!(k, Sb::Sep | Sb::ATerm | Sb::STerm))
        {
            Some(k) => i += k,
            None => break,
        }
        let c = cls[i];
        match c {
            Sb::Sep => {
                // SB4: break after a paragraph separator.
                i += sep_len(i);
                cut(&mut out, &mut start, i);
            }
            Sb::ATerm | Sb::STerm => {
                let j = i + 1;
                if c == Sb::ATerm && j < n {
                    // SB6: ATerm × Numeric; SB7: (Upper|Lower) ATerm × Upper.
                    let next = cls[j];
                    let before = if i > 0 { cls[i - 1] } else { Sb::Other };
                    if next == Sb::Numeric
                        || (next == Sb::Upper && matches!(before, Sb::Upper | Sb::Lower))
                    {
                        i = j;
                        continue;
                    }
                }
                // SATerm Close* Sp* ParaSep?
                let mut m = j;
                while m < n && cls[m] == Sb::Close {
                    m += 1;
                }
                while m < n && cls[m] == Sb::Sp {
                    m += 1;
                }
                if m < n && cls[m] == Sb::Sep {
                    m += sep_len(m);
                    cut(&mut out, &mut start, m);
                    i = m;
                    continue;
                }
                if m < n {
                    let next = cls[m];
                    // SB8a: SATerm Close* Sp* × (SContinue | SATerm).
                    if matches!(next, Sb::SContinue | Sb::ATerm | Sb::STerm) {
                        i = m;
                        continue;
                    }
                    // SB8: ATerm Close* Sp* × (¬(OLetter|Upper|Lower|ParaSep|SATerm))* Lower.
                    if c == Sb::ATerm {
                        let mut k = m;
                        while k < n
                            && !matches!(
                                cls[k],
                                Sb::Upper | Sb::Lower | Sb::Sep | Sb::ATerm | Sb::STerm
                            )
                        {
                            k += 1;
                        }
                        if k < n && cls[k] == Sb::Lower {
                            i = m;
                            continue;
                        }
                    }
                }
                // SB11: break after the terminator, its closers and spaces.
                cut(&mut out, &mut start, m);
                i = m;
            }
            _ => i += 1,
        }
    }
    cut(&mut out, &mut start, n);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uax29_sentences(t: &str) -> Vec<(usize, &str)> {
        t.split_sentence_bound_indices().collect()
    }

    #[test]
    fn sentence_pieces_agree_with_uax29() {
        for t in [
            "Mr. Smith went. He said \"Why?\" and left!  Then (again.) it rained... a lot. U.S. Army 3.5 e.g. this.",
            "One.\r\nTwo.\n\nThree? 'Yes.' No!? ok: fine; end.",
            "",
            ".",
            "a.\"b",
            "x!\"B y.) z",
        ] {
            assert_eq!(sentence_pieces(t), uax29_sentences(t), "{t:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5000))]

        #[test]
        fn sentence_pieces_agree_on_ascii(t in "[aAbZ09 .!?\"'()\\[\\]{},:;\\-\t\n\r\u{0b}\u{0c}#_]{0,40}") {
            proptest::prop_assert_eq!(sentence_pieces(&t), uax29_sentences(&t));
        }

        #[test]
        fn sentence_pieces_agree_on_any_ascii(t in "[ -~\t\n\r]{0,60}") {
            proptest::prop_assert_eq!(sentence_pieces(&t), uax29_sentences(&t));
        }

        /// Every non-ASCII character [`sb_char`] knows, among the ASCII
        /// ones that decide sentence ends.
        #[test]
        fn sentence_pieces_agree_on_news_unicode(
            t in "[aAzZ09 .!?\"'(),:;\\-\n\r\u{a0}\u{2000}-\u{200a}\u{202f}\u{205f}\u{3000}«»\u{2018}-\u{201f}‹›–—\u{c0}-\u{52f}…€£°©•×\u{fffd}]{0,40}"
        ) {
            proptest::prop_assert_eq!(sentence_pieces(&t), uax29_sentences(&t));
        }

        /// The same, with as many sentence-deciding ASCII characters as
        /// letters of the Latin, Greek and Cyrillic blocks.
        #[test]
        fn sentence_pieces_agree_on_letters_of_three_scripts(
            t in "([aA0 .!?\"”\n—]|[\u{c0}-\u{52f}]){0,40}"
        ) {
            proptest::prop_assert_eq!(sentence_pieces(&t), uax29_sentences(&t));
        }

        /// Characters it does not know (a combining accent, a zero-width
        /// joiner, a soft hyphen, separators, CJK, a titlecase letter).
        #[test]
        fn sentence_pieces_agree_with_unknown_characters(
            t in "[aA .!?\"’”—é\u{301}\u{200d}\u{ad}\u{2028}\u{85}漢ǅ]{0,30}"
        ) {
            proptest::prop_assert_eq!(sentence_pieces(&t), uax29_sentences(&t));
        }
    }
}
