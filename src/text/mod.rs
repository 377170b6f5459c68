//! The text model: normalisation for matching, and segmentation into
//! paragraphs, sentences and words with byte offsets into the original text.
//!
//! Matching never looks at the original bytes directly: every word is
//! normalised (Unicode NFKC, lower case, one form of quotes, apostrophes
//! and dashes, no soft hyphens), while every position reported stays a byte
//! offset into the text exactly as read.

mod normalize;
mod segment;
mod word_hash;
mod word_key;

pub use normalize::{Norm, normalize, normalize_word_into};
pub(crate) use segment::sentences_cut;
pub use segment::{
    MAX_SENTENCE_WORDS, Span, Word, paragraphs, sentences, sentences_in, word_bounds, words,
};
pub use word_hash::word_hashes;
pub use word_key::word_key;

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// Hasher for keys that are already 64-bit hashes (word keys): passes them
/// through instead of hashing them again.
#[derive(Default)]
pub(crate) struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | b as u64;
        }
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = x;
    }
}

/// A map keyed by 64-bit word hashes.
pub(crate) type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<PassThrough>>;
/// A set of 64-bit word hashes.
pub(crate) type KeySet = HashSet<u64, BuildHasherDefault<PassThrough>>;

/// True for a normalised word in the small English stop-word list used to
/// weigh matches (articles, pronouns, auxiliaries, prepositions).
/// Negations such as `not` and `no` are not stop words: they change a
/// claim.
pub fn is_stop_word(norm: &str) -> bool {
    // None is longer than six bytes.
    if norm.len() > 6 {
        return false;
    }
    matches!(
        norm,
        "a" | "about"
            | "after"
            | "all"
            | "also"
            | "an"
            | "and"
            | "any"
            | "are"
            | "as"
            | "at"
            | "be"
            | "been"
            | "before"
            | "being"
            | "both"
            | "but"
            | "by"
            | "can"
            | "could"
            | "did"
            | "do"
            | "does"
            | "for"
            | "from"
            | "had"
            | "has"
            | "have"
            | "he"
            | "her"
            | "here"
            | "him"
            | "his"
            | "how"
            | "i"
            | "if"
            | "in"
            | "into"
            | "is"
            | "it"
            | "its"
            | "just"
            | "may"
            | "me"
            | "might"
            | "more"
            | "most"
            | "must"
            | "my"
            | "of"
            | "on"
            | "only"
            | "or"
            | "other"
            | "our"
            | "out"
            | "over"
            | "s"
            | "said"
            | "say"
            | "says"
            | "she"
            | "should"
            | "so"
            | "some"
            | "such"
            | "than"
            | "that"
            | "the"
            | "their"
            | "them"
            | "then"
            | "there"
            | "these"
            | "they"
            | "this"
            | "those"
            | "to"
            | "up"
            | "us"
            | "very"
            | "was"
            | "we"
            | "were"
            | "what"
            | "when"
            | "where"
            | "which"
            | "while"
            | "who"
            | "whom"
            | "whose"
            | "will"
            | "with"
            | "would"
            | "you"
            | "your"
    )
}

/// True for a month name or its usual abbreviation (normalised, lower case).
pub fn is_month(norm: &str) -> bool {
    matches!(
        norm,
        "january"
            | "february"
            | "march"
            | "april"
            | "may"
            | "june"
            | "july"
            | "august"
            | "september"
            | "october"
            | "november"
            | "december"
            | "jan"
            | "feb"
            | "mar"
            | "apr"
            | "jun"
            | "jul"
            | "aug"
            | "sep"
            | "sept"
            | "oct"
            | "nov"
            | "dec"
    )
}

/// True for a weekday name (normalised, lower case).
pub fn is_weekday(norm: &str) -> bool {
    matches!(
        norm,
        "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday"
    )
}
