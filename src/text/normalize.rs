//! Normalisation of text for matching.

use unicode_normalization::UnicodeNormalization;

/// Maps one character of NFKC output to its matching form, appending it to
/// `out`: case folded, quotes and apostrophes straightened, dashes unified,
/// soft hyphens and other invisible format characters dropped, whitespace
/// collapsed to a single space by the caller.
#[inline]
fn push_folded(c: char, out: &mut String) {
    match c {
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => {}
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' | '`'
        | '\u{00B4}' => out.push('\''),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' | '\u{2039}' | '\u{203A}' => out.push('"'),
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' | '\u{FE58}' | '\u{FE63}' => out.push('-'),
        c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
        c => out.extend(c.to_lowercase()),
    }
}

/// Appends the matching form of one word to `out`.
///
/// ASCII words take a fast path; others go through NFKC first.
#[inline]
pub fn normalize_word_into(word: &str, out: &mut String) {
    if word.is_ascii() {
        for b in word.bytes() {
            match b {
                b'`' => out.push('\''),
                _ => out.push(b.to_ascii_lowercase() as char),
            }
        }
    } else {
        for c in word.nfkc() {
            push_folded(c, out);
        }
    }
}

/// The matching form of a whole text: NFKC, case folded, quotes and dashes
/// unified, soft hyphens removed and runs of whitespace collapsed to one
/// space, trimmed.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.nfkc() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        push_folded(c, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_quotes_dashes_case_and_space() {
        assert_eq!(
            normalize("  “Don’t”  —\u{00A0}Co\u{00AD}operate ﬁne ＡＢＣ "),
            "\"don't\" - cooperate fine abc"
        );
    }

    #[test]
    fn word_forms_agree_with_text_form() {
        for w in ["PM’s", "Straße", "ÉCOLE", "ﬁle", "co\u{00AD}op", "don't"] {
            let mut s = String::new();
            normalize_word_into(w, &mut s);
            assert_eq!(s, normalize(w), "{w}");
        }
    }
}
