//! Segmentation into paragraphs, sentences and words (UAX #29 boundaries
//! from `unicode-segmentation`, with fixes for news text), every part a
//! [`Span`] of byte offsets into the original text.
//!
//! One file per unit: `words.rs` (words, found by a one-pass scanner of
//! ASCII chunks and `unicode-segmentation` for the rest), `paragraphs.rs`
//! (paragraphs by blank lines, indentation, paragraph marks or the wrap
//! width), `pieces.rs` (the UAX #29 sentence boundaries) and `sentences.rs`
//! (those pieces merged into sentences after titles, initials and
//! abbreviations, and long sentences cut into bounded units).

mod paragraphs;
mod pieces;
mod sentences;
mod words;

use serde::{Deserialize, Serialize};

pub use paragraphs::paragraphs;
pub(crate) use sentences::sentences_cut;
pub use sentences::{MAX_SENTENCE_WORDS, sentences, sentences_in};
pub(in crate::text) use words::{
    B_DIGIT, B_FLAGS, B_JOIN_DIGITS, B_JOIN_LETTERS, B_LETTER, B_SPACE, B_UNDER, Typographic,
    is_word, typographic,
};
pub use words::{Word, word_bounds, words};

/// A byte range `[start, end)` of the original text.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The text the span covers.
    pub fn slice<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True for an empty span.
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
}
