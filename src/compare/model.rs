//! The result of comparing two articles: the data every report renders and
//! the JSON contract `neardiff.compare/4` (see `docs/json-schema.md`).

use serde::{Deserialize, Serialize};

use crate::diff::WordEdit;
use crate::text::Span;

/// The schema name and version written into JSON output.
pub const COMPARE_SCHEMA: &str = "neardiff.compare/4";

/// The full comparison of article A with article B.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Comparison {
    /// Always [`COMPARE_SCHEMA`].
    pub schema: String,
    /// Article A with its labelled spans.
    pub a: Side,
    /// Article B with its labelled spans.
    pub b: Side,
    /// Shingle similarity scores and the verdict.
    pub similarity: Similarity,
    /// Counts for the summary line.
    pub summary: Summary,
    /// Aligned, added and dropped passages, in order of A (then B).
    pub passages: Vec<Passage>,
    /// Runs of at least `min_run_words` words that B shares with A word
    /// for word (normalised), wherever they lie; in order of B.
    pub runs: Vec<Run>,
    /// Quotes of A and B, paired; altered ones first.
    pub quotes: Vec<QuoteMatch>,
    /// Changed numbers, dates, names, list items and quote wording; most
    /// severe first.
    pub facts: Vec<Fact>,
    /// Things the reader should know about the input, e.g. unbalanced
    /// quotation marks.
    pub warnings: Vec<Warning>,
}

/// One article as compared.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Side {
    /// Article id.
    pub id: String,
    /// Outlet, if known.
    pub outlet: Option<String>,
    /// URL, if known.
    pub url: Option<String>,
    /// Date, if known.
    pub date: Option<String>,
    /// Headline, if known.
    pub title: Option<String>,
    /// Credited source, if known.
    pub source: Option<String>,
    /// The body exactly as read.
    pub text: String,
    /// Labelled spans covering every byte of `text` exactly once, in order.
    pub spans: Vec<LabeledSpan>,
    /// When the side is a source made of several versions of one story
    /// (side A only): each version, in the order given, with its range of
    /// `text` (the versions one after the other, a blank line between
    /// two). Empty, and left out of the JSON, for a single article.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<Version>,
}

/// One version of a source made of several (see [`Side::versions`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Version {
    /// The version's article id.
    pub id: String,
    /// Its date, if known.
    pub date: Option<String>,
    /// Its headline, if known.
    pub title: Option<String>,
    /// First byte of its text in the side's `text`.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
}

/// A labelled byte range of a side's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabeledSpan {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// What this part of the text is.
    pub label: SpanLabel,
}

/// What a part of an article's text is, relative to the other article.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpanLabel {
    /// Also in the other article (unchanged words of aligned passages, and
    /// the spaces and punctuation between them).
    Same,
    /// Words of a reworded passage that differ from the other article.
    Changed,
    /// Text of A that B does not have (only on side A).
    Dropped,
    /// Text of B that A does not have (only on side B).
    Added,
}

/// Scores from shingles and MinHash, and the verdict.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Similarity {
    /// Shingle size in words.
    pub shingle_size: usize,
    /// MinHash signature length.
    pub num_perm: usize,
    /// Exact Jaccard similarity of the shingle sets.
    pub jaccard: f64,
    /// MinHash estimate of the Jaccard similarity.
    pub minhash_jaccard: f64,
    /// Share of A's shingles that B has.
    pub containment_a_in_b: f64,
    /// Share of B's shingles that A has.
    pub containment_b_in_a: f64,
    /// Share of A's words inside passages aligned with B.
    pub aligned_a: f64,
    /// Share of B's words inside passages aligned with A.
    pub aligned_b: f64,
    /// The verdict.
    pub verdict: Verdict,
}

/// How two articles relate (thresholds in `docs/verdicts.md`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The same text, give or take a few words.
    Duplicate,
    /// The same text with light edits.
    NearDuplicate,
    /// One article largely contains the other (a trimmed or extended copy).
    Partial,
    /// The same story told with partial overlap.
    Related,
    /// Different stories.
    Unrelated,
}

impl Verdict {
    /// The name used in JSON and text output.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Duplicate => "duplicate",
            Verdict::NearDuplicate => "near-duplicate",
            Verdict::Partial => "partial",
            Verdict::Related => "related",
            Verdict::Unrelated => "unrelated",
        }
    }

    /// A short explanation for readers.
    pub fn describe(self) -> &'static str {
        match self {
            Verdict::Duplicate => "the same text",
            Verdict::NearDuplicate => "the same text with light edits",
            Verdict::Partial => "one largely contains the other",
            Verdict::Related => "the same story with partial overlap",
            Verdict::Unrelated => "different stories",
        }
    }
}

/// Counts shown in the summary.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    /// Passages identical in both.
    pub unchanged: usize,
    /// Passages reworded in place.
    pub reworded: usize,
    /// Passages that moved (identical or reworded).
    pub moved: usize,
    /// Passages only in B.
    pub added: usize,
    /// Passages only in A.
    pub dropped: usize,
    /// Quotes altered (including partial and speaker changes).
    pub quotes_altered: usize,
    /// Quotes identical in both.
    pub quotes_verbatim: usize,
    /// Quotes only in A.
    pub quotes_only_a: usize,
    /// Quotes only in B.
    pub quotes_only_b: usize,
    /// Changed facts of high severity.
    pub facts_high: usize,
}

/// The kind of a passage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PassageKind {
    /// Identical (after normalisation) and in the same order.
    Unchanged,
    /// Aligned in the same order, with different words.
    Reworded,
    /// Aligned, but out of order relative to the other passages.
    Moved,
    /// Only in B.
    Added,
    /// Only in A.
    Dropped,
}

/// An aligned pair of passages, or a passage of one side alone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Passage {
    /// What happened to it.
    pub kind: PassageKind,
    /// Its range in A (absent for an added passage).
    pub a: Option<Span>,
    /// Its range in B (absent for a dropped passage).
    pub b: Option<Span>,
    /// Word similarity of the pair in [0, 1] (0 for added and dropped).
    pub score: f64,
    /// Word edits, for reworded and moved passages (empty otherwise).
    pub edits: Vec<WordEdit>,
    /// When A is made of several versions: the index in `a.versions` of
    /// the version its A range lies in (absent otherwise, and for an
    /// added passage).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub a_version: Option<usize>,
}

/// A run of words that A and B share word for word (after
/// normalisation), found wherever it lies in either text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Run {
    /// Its range in A: from its first word to its last.
    pub a: Span,
    /// Its range in B: from its first word to its last.
    pub b: Span,
    /// Its length in words.
    pub words: usize,
    /// True when the alignment shows it: its words lie in aligned pairs
    /// of passages together with their counterparts, but for stretches
    /// shorter than the smallest run (a run going on by a word or two
    /// across a sentence end); false for copying the sentence alignment
    /// does not show, such as a clause built into a new sentence.
    pub aligned: bool,
    /// When A is made of several versions: the index in `a.versions` of
    /// the version the run comes from (absent otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub a_version: Option<usize>,
}

/// How a quote of A relates to the quotes of B.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuoteStatus {
    /// Words changed inside the quotation marks.
    Altered,
    /// The same words attributed to different speakers.
    SpeakerChanged,
    /// One is a truncation of the other.
    Partial,
    /// Only in A.
    OnlyA,
    /// Only in B.
    OnlyB,
    /// Word for word the same.
    Verbatim,
}

/// A quote as it stands in one article.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuoteRef {
    /// The words inside the quotation marks, exactly as written.
    pub text: String,
    /// Byte offset of `text` in the article body.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
    /// Who the article says spoke, when it says so.
    pub speaker: Option<String>,
    /// How the article describes a speaker it does not name (`a
    /// spokesman`), when `speaker` is `None`; left out of the JSON when
    /// there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker_description: Option<String>,
}

/// A quote of A paired with a quote of B, or a quote of one side alone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuoteMatch {
    /// How the two relate.
    pub status: QuoteStatus,
    /// The quote in A, if A has it.
    pub a: Option<QuoteRef>,
    /// The quote in B, if B has it.
    pub b: Option<QuoteRef>,
    /// Word similarity in [0, 1].
    pub score: f64,
    /// Word edits between the two (empty unless altered or partial).
    pub edits: Vec<WordEdit>,
}

/// What kind of fact changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FactKind {
    /// A number or quantity.
    Number,
    /// A date or time.
    Date,
    /// A capitalised name.
    Name,
    /// An item added to or removed from a list.
    ListItem,
    /// Other words changed inside a quote, or one lower-case word
    /// replaced in a sentence that is otherwise the same.
    Wording,
}

/// How much a finding matters to a fact-checker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Changes inside quotation marks, numbers and dates.
    High,
    /// Names and list items outside quotes.
    Medium,
    /// Everything else.
    Low,
}

/// One side of a changed fact.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactValue {
    /// The words as written.
    pub text: String,
    /// Byte offset in that article's body.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// A changed number, date, name, list item or quote wording.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    /// What changed.
    pub kind: FactKind,
    /// How much it matters.
    pub severity: Severity,
    /// True when the change is inside a quote.
    pub in_quote: bool,
    /// The value in A (absent when B added it).
    pub a: Option<FactValue>,
    /// The value in B (absent when B dropped it).
    pub b: Option<FactValue>,
}

/// Which article a warning is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SideName {
    /// Article A.
    A,
    /// Article B.
    B,
}

/// Something about the input a reader should know.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Warning {
    /// The article.
    pub side: SideName,
    /// Byte offset in that article's body.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}
