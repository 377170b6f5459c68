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

/// The matching form of one ASCII byte of a word: lower case, and the
/// backtick as an apostrophe.
#[inline]
fn fold_ascii(b: u8) -> u8 {
    match b {
        b'`' => b'\'',
        _ => b.to_ascii_lowercase(),
    }
}

/// Longest form kept inside a [`Norm`] without a heap allocation.
const INLINE: usize = 22;

/// The matching form of one word (see [`normalize_word_into`]). Short forms,
/// almost every word of real text, are kept inline, so a text's words cost
/// no allocation each; longer ones go to the heap. Reads as a `&str`.
#[derive(Clone, PartialEq, Eq)]
pub struct Norm(Repr);

#[derive(Clone, PartialEq, Eq)]
enum Repr {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<str>),
}

impl Norm {
    /// The matching form of `word`; `scratch` is working space for words
    /// that are not plain ASCII.
    pub fn of_word(word: &str, scratch: &mut String) -> Norm {
        if word.len() <= INLINE && word.is_ascii() {
            let mut bytes = [0; INLINE];
            for (out, &b) in bytes.iter_mut().zip(word.as_bytes()) {
                *out = fold_ascii(b);
            }
            return Norm(Repr::Inline {
                len: word.len() as u8,
                bytes,
            });
        }
        scratch.clear();
        normalize_word_into(word, scratch);
        Norm::new(scratch)
    }

    /// A form given as it is (already normalised).
    pub fn new(form: &str) -> Norm {
        if form.len() <= INLINE {
            let mut bytes = [0; INLINE];
            bytes[..form.len()].copy_from_slice(form.as_bytes());
            Norm(Repr::Inline {
                len: form.len() as u8,
                bytes,
            })
        } else {
            Norm(Repr::Heap(form.into()))
        }
    }

    /// The form as a string slice.
    #[inline]
    pub fn as_str(&self) -> &str {
        match &self.0 {
            // SAFETY: an inline form is only ever made (in `of_word` and
            // `new`, the only constructors) from the bytes of a `&str` of
            // `len` bytes, or from ASCII bytes mapped to ASCII bytes by
            // `fold_ascii`; either way `bytes[..len]` is valid UTF-8.
            // Checking it again on every read cost a tenth of a `compare`.
            Repr::Inline { len, bytes } => unsafe {
                std::str::from_utf8_unchecked(&bytes[..*len as usize])
            },
            Repr::Heap(s) => s,
        }
    }
}

impl std::ops::Deref for Norm {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Debug for Norm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq<str> for Norm {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

/// Appends the matching form of one word to `out`.
///
/// ASCII words take a fast path; others go through NFKC first.
#[inline]
pub fn normalize_word_into(word: &str, out: &mut String) {
    if word.is_ascii() {
        out.extend(word.bytes().map(|b| fold_ascii(b) as char));
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
    // NFKC leaves ASCII text as it is.
    if text.is_ascii() {
        fold_text(text.chars(), text.len())
    } else {
        fold_text(text.nfkc(), text.len())
    }
}

/// [`normalize`] after NFKC.
fn fold_text(chars: impl Iterator<Item = char>, capacity: usize) -> String {
    let mut out = String::with_capacity(capacity);
    let mut pending_space = false;
    for c in chars {
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
    fn norms_agree_with_word_forms() {
        let mut scratch = String::new();
        for w in [
            "PM’s",
            "Don`t",
            "ÉCOLE",
            "ﬁle",
            "",
            "x",
            "ABCDEFGHIJKLMNOPQRSTUV",
            "ABCDEFGHIJKLMNOPQRSTUVW",
            "Überschallgeschwindigkeit",
        ] {
            let mut s = String::new();
            normalize_word_into(w, &mut s);
            let n = Norm::of_word(w, &mut scratch);
            assert_eq!(n.as_str(), s, "{w}");
            assert_eq!(n, Norm::new(&s));
        }
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
