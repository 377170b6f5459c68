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

/// Function words that carry little meaning on their own (negations such
/// as `not` and `no` are not among them: they change a claim).
const STOP_WORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "of", "in", "on", "at", "to", "for", "with", "by",
    "from", "as", "is", "are", "was", "were", "be", "been", "being", "it", "its", "this", "that",
    "these", "those", "he", "she", "they", "we", "i", "you", "his", "her", "their", "our", "my",
    "your", "him", "them", "us", "me", "which", "who", "whom", "whose", "what", "has", "have",
    "had", "do", "does", "did", "so", "if", "than", "then", "also", "into", "about", "over",
    "after", "before", "there", "here", "will", "would", "can", "could", "should", "may", "might",
    "must", "said", "says", "say", "all", "any", "both", "such", "up", "out", "just", "only",
    "very", "more", "most", "other", "some", "while", "where", "when", "how", "said", "s",
];

/// True for a normalised word in the small English stop-word list used to
/// weigh matches (articles, pronouns, auxiliaries, prepositions).
pub fn is_stop_word(norm: &str) -> bool {
    STOP_WORDS.contains(&norm)
}
