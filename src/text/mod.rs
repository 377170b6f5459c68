//! The text model: normalisation for matching, and segmentation into
//! paragraphs, sentences and words with byte offsets into the original text.
//!
//! Matching never looks at the original bytes directly: every word is
//! normalised (Unicode NFKC, lower case, one form of quotes, apostrophes
//! and dashes, no soft hyphens), while every position reported stays a byte
//! offset into the text exactly as read.

mod normalize;
mod segment;

pub use normalize::{normalize, normalize_word_into};
pub use segment::{Span, Word, paragraphs, sentences, word_hashes, words};
