//! Direct quotes: finding them, attributing them to speakers, and pairing
//! the quotes of two articles.
//!
//! * [`extract`] finds the quotes of a text (every common style of
//!   quotation marks, nested quotes, quotes continued across paragraphs) and
//!   fills in their speakers with [`attribute`].
//! * [`pair_quotes`] pairs the quotes of two articles and says how each pair
//!   differs: verbatim, altered, partial, speaker changed, or only on one
//!   side.
//!
//! ```
//! use neardiff::compare::QuoteStatus;
//! use neardiff::quotes::{extract, pair_quotes};
//!
//! let a = "The PMO said: \"Azerbaijan is an important strategic ally of Israel.\"";
//! let b = "“Azerbaijan is a key strategic ally of Israel,” the PMO said.";
//! let (qa, qb) = (extract(a).quotes, extract(b).quotes);
//! let pairs = pair_quotes(a, &qa, b, &qb);
//! assert_eq!(pairs.len(), 1);
//! assert_eq!(pairs[0].status, QuoteStatus::Altered);
//! ```

mod extract;
mod pair;
mod speaker;

pub(crate) use extract::extract_in;
pub use extract::{SHORT_QUOTE_WORDS, extract};
pub use pair::pair_quotes;
pub(crate) use pair::pair_quotes_in;
pub use speaker::{attribute, same_speaker};

use crate::text::Span;

/// A direct quote found in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quote {
    /// The words inside the quotation marks (without the marks), trimmed of
    /// whitespace and of a trailing comma (`"...," she said`). For a quote
    /// continued into further paragraphs it runs from the first paragraph's
    /// first word to the last paragraph's last word.
    pub span: Span,
    /// The quote including its marks.
    pub outer: Span,
    /// The speaker as the text names them, when it does (see [`attribute`]).
    pub speaker: Option<String>,
    /// For a speaker the text describes but does not name (`a spokesman
    /// for the ministry said`, `One voter told reporters`): the
    /// description, as written. `speaker` is `None` then: a description
    /// says what someone is, not who.
    pub description: Option<String>,
    /// True for a quote of at most [`SHORT_QUOTE_WORDS`] words: often a
    /// scare quote or a title rather than speech. Kept, but paired only
    /// with care (see [`pair_quotes`]).
    pub short: bool,
}

/// The quotes of a text and any quotation marks that could not be paired.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QuoteScan {
    /// Outermost quotes in order of position; they never overlap.
    pub quotes: Vec<Quote>,
    /// Quotes inside other quotes, in order of position (no speaker set).
    pub nested: Vec<Quote>,
    /// Byte offsets of unpaired marks, with a description.
    pub unbalanced: Vec<(usize, String)>,
}
