//! The result of a story analysis: the data every story report renders and
//! the JSON contract `neardiff.story/1` (see `docs/story-schema.md`).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::compare::{Comparison, FactKind, FactValue, Severity};

/// The schema name and version written into JSON output.
pub const STORY_SCHEMA: &str = "neardiff.story/1";

/// One source story against every other article of a set.
#[derive(Clone, Debug, Serialize)]
pub struct Story {
    /// Always [`STORY_SCHEMA`].
    pub schema: String,
    /// Id of the source article.
    pub source: String,
    /// One sentence saying why that article is the source.
    pub source_reason: String,
    /// Every article, the source first, then the others in input order.
    pub articles: Vec<StoryArticle>,
    /// The source's passages (sentences) and what each related article did
    /// with them.
    pub passages: Vec<SourcePassage>,
    /// Every distinct quote of the related articles.
    pub quotes: Vec<StoryQuote>,
    /// Changed numbers, dates, names, list items and quote wording, by
    /// article (in input order), most severe first within an article.
    pub facts: Vec<StoryFact>,
}

impl Story {
    /// The source article's entry.
    pub fn source_article(&self) -> &StoryArticle {
        &self.articles[0]
    }

    /// Related articles other than the source, most changed first.
    pub fn ranked_outlets(&self) -> Vec<&StoryArticle> {
        let mut v: Vec<&StoryArticle> = self.articles.iter().filter(|a| a.rank.is_some()).collect();
        v.sort_by_key(|a| a.rank);
        v
    }

    /// The articles that are not about the story.
    pub fn unrelated(&self) -> impl Iterator<Item = &StoryArticle> {
        self.articles.iter().filter(|a| !a.related)
    }
}

/// The role of an article in the story.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The source every other article is compared with.
    Source,
    /// Any other article.
    Outlet,
}

/// One article of the story and how far it moved from the source.
#[derive(Clone, Debug, Serialize)]
pub struct StoryArticle {
    /// Article id.
    pub id: String,
    /// Source or outlet.
    pub role: Role,
    /// Outlet, if known.
    pub outlet: Option<String>,
    /// Date, if known.
    pub date: Option<String>,
    /// Headline, if known.
    pub title: Option<String>,
    /// URL, if known.
    pub url: Option<String>,
    /// Number of words of the body.
    pub words: usize,
    /// False when the article is not about the story (verdict `unrelated`
    /// against the source); such an article is left out of the passages,
    /// quotes and facts, and its counts are 0.
    pub related: bool,
    /// The compare verdict against the source (absent for the source).
    pub verdict: Option<String>,
    /// 1 for the related outlet that moved furthest from the source;
    /// absent for the source and unrelated articles.
    pub rank: Option<usize>,
    /// How far the article moved from the source (see
    /// `docs/story-schema.md`); 0 for the source.
    pub drift: f64,
    /// Share of the source's words this article kept word for word.
    pub kept_share: f64,
    /// Source passages kept word for word (also when moved).
    pub kept: usize,
    /// Source passages carried with other wording.
    pub reworded: usize,
    /// Source passages left out.
    pub dropped: usize,
    /// Source passages (kept or reworded) that stand elsewhere in the order.
    pub moved: usize,
    /// Passages this article has and the source does not.
    pub added: usize,
    /// Source quotes carried altered.
    pub quotes_altered: usize,
    /// Source quotes carried truncated.
    pub quotes_partial: usize,
    /// Source quotes not carried.
    pub quotes_absent: usize,
    /// Quotes carried with a different speaker.
    pub speakers_changed: usize,
    /// Changed facts of high severity (numbers, dates, anything in a quote).
    pub facts_high: usize,
    /// All changed facts.
    pub facts_changed: usize,
    /// The passages only this article has, in its order.
    pub added_passages: Vec<TextRange>,
    /// The full pairwise comparison with the source (not in JSON; `None`
    /// for the source itself). Reports use it for the side-by-side view.
    #[serde(skip)]
    pub comparison: Option<Box<Comparison>>,
}

/// A byte range of an article body with its text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TextRange {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The text, exactly as written.
    pub text: String,
}

/// What an article did with a source passage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PassageStatus {
    /// Carried word for word (after normalisation).
    Kept,
    /// Carried with other wording.
    Reworded,
    /// Left out.
    Dropped,
}

impl PassageStatus {
    /// The name used in JSON and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            PassageStatus::Kept => "kept",
            PassageStatus::Reworded => "reworded",
            PassageStatus::Dropped => "dropped",
        }
    }
}

/// One sentence of the source and what each related outlet did with it.
#[derive(Clone, Debug, Serialize)]
pub struct SourcePassage {
    /// 1-based number of the passage in the source.
    pub number: usize,
    /// First byte in the source body.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// Number of words.
    pub words: usize,
    /// The sentence as written in the source.
    pub text: String,
    /// Related outlets (not the source) by id.
    pub by_article: BTreeMap<String, PassageCell>,
}

/// What one outlet did with one source passage.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PassageCell {
    /// Kept, reworded or dropped.
    pub status: PassageStatus,
    /// True when the outlet carries it out of the source's order.
    pub moved: bool,
    /// The outlet's wording, for a reworded passage.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wording: Option<TextRange>,
    /// The word diff from the source to the outlet, for a reworded passage.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub diff: Vec<DiffPart>,
}

/// One run of a word diff, ready to show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DiffPart {
    /// `same`, `deleted` (only in the reference) or `inserted` (only in
    /// this version).
    pub op: DiffOp,
    /// The words (with the spaces between them).
    pub text: String,
}

/// The kind of a diff run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DiffOp {
    /// Both have these words.
    Same,
    /// Only the reference has these words.
    Deleted,
    /// Only this version has these words.
    Inserted,
}

/// How an article carries a quote, relative to the quote's reference
/// version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuoteState {
    /// Words changed inside the quotation marks.
    Altered,
    /// Cut short.
    Partial,
    /// Not carried at all.
    Absent,
    /// Word for word the same (possibly inside a longer quote).
    Verbatim,
}

impl QuoteState {
    /// The name used in JSON and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteState::Verbatim => "verbatim",
            QuoteState::Altered => "altered",
            QuoteState::Partial => "partial",
            QuoteState::Absent => "absent",
        }
    }
}

/// Whether an article names the same speaker as the reference version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SpeakerAgreement {
    /// Both name a speaker and it is the same person.
    Same,
    /// Both name a speaker and they differ.
    Different,
    /// One of them names no speaker.
    Unknown,
}

/// One distinct quote across the story.
#[derive(Clone, Debug, Serialize)]
pub struct StoryQuote {
    /// The quote's reference wording: the source's when the source has it,
    /// else the first article (in input order) that has it.
    pub text: String,
    /// Id of the article the reference wording is from.
    pub origin: String,
    /// The speaker the reference names, if any.
    pub speaker: Option<String>,
    /// Every related article by id: `verbatim`, `altered`, `partial` or
    /// `absent`.
    pub by_article: BTreeMap<String, QuoteState>,
    /// How each article that carries the quote words it (absent articles
    /// are left out).
    pub versions: BTreeMap<String, QuoteVersion>,
}

impl StoryQuote {
    /// True when some article carries the quote altered or truncated, or
    /// gives it another speaker.
    pub fn is_changed(&self) -> bool {
        self.by_article
            .values()
            .any(|s| matches!(s, QuoteState::Altered | QuoteState::Partial))
            || self
                .versions
                .values()
                .any(|v| v.speaker_agreement == SpeakerAgreement::Different)
    }
}

/// A quote as one article carries it.
#[derive(Clone, Debug, Serialize)]
pub struct QuoteVersion {
    /// The words inside the quotation marks, exactly as written.
    pub text: String,
    /// Byte offset of `text` in the article body.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
    /// The speaker this article names, if any.
    pub speaker: Option<String>,
    /// Whether that is the reference's speaker.
    pub speaker_agreement: SpeakerAgreement,
    /// True when the quote's words stand inside a longer quote of this
    /// article (two quotes merged into one, say).
    pub inside_longer_quote: bool,
    /// Word diff from the reference wording, for altered and partial
    /// versions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub diff: Vec<DiffPart>,
}

/// A changed fact in one article, against the source.
#[derive(Clone, Debug, Serialize)]
pub struct StoryFact {
    /// Id of the article that changed it.
    pub id: String,
    /// What changed.
    pub kind: FactKind,
    /// How much it matters.
    pub severity: Severity,
    /// True when the change is inside a quote.
    pub in_quote: bool,
    /// The value in the source (absent when the article added it).
    pub source_value: Option<FactValue>,
    /// The value in the article (absent when the article dropped it).
    pub article_value: Option<FactValue>,
}
