//! One source story against many outlets: who kept, reworded or dropped
//! each source sentence, who carried each quote verbatim, altered,
//! truncated or not at all, and what each outlet added or changed.
//!
//! [`build_story`] takes the articles of one story (a directory, a JSON
//! Lines file, or one cluster found by `dedup`), chooses the source
//! ([`choose_source`]), compares the source with every other article (in
//! parallel with the `parallel` feature; the result is the same whatever
//! the thread count), and gathers one [`Story`]:
//!
//! * [`Story::articles`]: the source first, then the others in input
//!   order, each with its counts, its [drift](rank) from the source, its
//!   rank, its added passages and its pairwise
//!   [`Comparison`];
//! * [`Story::passages`]: every source sentence and what each related
//!   outlet did with it ([`passages`]);
//! * [`Story::quotes`]: every distinct quote and how each article carries
//!   it ([`quotes`]);
//! * [`Story::facts`]: changed numbers, dates, names, list items and quote
//!   wording, by article.
//!
//! An article whose verdict against the source is `unrelated` is listed
//! with `related: false` and left out of everything else.
//!
//! ```
//! use neardiff::story::{build_story, StoryOptions, PassageStatus, QuoteState};
//!
//! let text = "The council approved the budget on Monday. \
//!             \"We will review the contract,\" Mayor Ana Ruiz said.";
//! let article = |id: &str, date: &str, text: &str| neardiff::Article {
//!     id: id.into(),
//!     date: Some(date.into()),
//!     text: text.into(),
//!     ..Default::default()
//! };
//! let story = build_story(
//!     vec![
//!         article("outlet", "2025-01-02", &text.replace("review", "cancel")),
//!         article("wire", "2025-01-01", text),
//!     ],
//!     &StoryOptions::default(),
//! )?;
//! assert_eq!(story.source, "wire");
//! assert_eq!(story.passages[0].by_article["outlet"].status, PassageStatus::Kept);
//! assert_eq!(story.quotes[0].by_article["outlet"], QuoteState::Altered);
//! # Ok::<(), neardiff::Error>(())
//! ```

mod clusters;
mod date;
mod input;
mod model;
pub mod passages;
pub mod quotes;
pub mod rank;
mod source;

use std::collections::HashSet;

pub use clusters::cluster_articles;
pub use input::{parse_jsonl, read_articles};
pub use model::*;
pub use source::{SourceChoice, choose_source, day_of};

use crate::align::Segmented;
use crate::article::Article;
use crate::compare::{
    CompareOptions, Comparison, FactKind, PassageKind, Prepared, QuoteRef, Severity, Verdict,
    compare_prepared, prepare,
};
use crate::error::{Error, ErrorKind, Result};
use crate::quotes::extract;

/// Settings of a story analysis.
#[derive(Clone, Debug, Default)]
pub struct StoryOptions {
    /// Id of the source article; inferred when `None`.
    pub source: Option<String>,
    /// Settings of each pairwise comparison.
    pub compare: CompareOptions,
}

/// Builds the story of `articles` (at least two, with distinct ids).
pub fn build_story(articles: Vec<Article>, opts: &StoryOptions) -> Result<Story> {
    opts.compare.validate()?;
    if articles.len() < 2 {
        return Err(Error::new(ErrorKind::Usage(format!(
            "a story needs at least two articles; got {}",
            articles.len()
        ))));
    }
    let mut seen = HashSet::new();
    for a in &articles {
        if !seen.insert(a.id.as_str()) {
            return Err(Error::new(ErrorKind::Usage(format!(
                "two articles have the id {:?}; give each article its own id \
                 (or file name)",
                a.id
            ))));
        }
    }
    let choice = choose_source(&articles, opts.source.as_deref(), opts.compare.shingle_size)?;
    let source = &articles[choice.index];
    let outlets: Vec<&Article> = articles
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != choice.index)
        .map(|(_, a)| a)
        .collect();
    let seg = Segmented::new(&source.text);
    let analysed = analyse_all(source, &seg, &outlets, &opts.compare);
    Ok(assemble(source, &seg, choice.reason, &outlets, analysed))
}

/// What is learnt about one outlet on its own: its comparison with the
/// source and what follows from it alone.
struct Analysed {
    comparison: Comparison,
    words: usize,
    cells: Vec<PassageCell>,
    added: Vec<TextRange>,
    added_words: usize,
    quote_keys: Vec<Vec<u64>>,
}

fn analyse(
    source: &Prepared,
    seg: &Segmented,
    outlet: &Article,
    opts: &CompareOptions,
) -> Analysed {
    // The source was prepared once for all outlets.
    let comparison = compare_prepared(source, &prepare(outlet, opts), opts);
    let count = |t: &str| {
        let mut v = Vec::new();
        crate::text::word_hashes(t, &mut v);
        v.len()
    };
    let related = comparison.similarity.verdict != Verdict::Unrelated;
    let cells = if related {
        passages::cells(seg, &comparison)
    } else {
        Vec::new()
    };
    let added: Vec<TextRange> = comparison
        .passages
        .iter()
        .filter(|p| related && p.kind == PassageKind::Added)
        .filter_map(|p| p.b)
        .map(|b| passages::text_range(&comparison.b.text, b))
        .collect();
    Analysed {
        quote_keys: quotes::outlet_quote_keys(&comparison),
        words: count(&outlet.text),
        added_words: added.iter().map(|r| count(&r.text)).sum(),
        cells,
        added,
        comparison,
    }
}

/// [`analyse`] for every outlet, in outlet order (in parallel with the
/// `parallel` feature; the order of the result does not depend on it).
fn analyse_all(
    source: &Article,
    seg: &Segmented,
    outlets: &[&Article],
    opts: &CompareOptions,
) -> Vec<Analysed> {
    let source = &prepare(source, opts);
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        outlets
            .par_iter()
            .map(|o| analyse(source, seg, o, opts))
            .collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        outlets
            .iter()
            .map(|o| analyse(source, seg, o, opts))
            .collect()
    }
}

fn assemble(
    source: &Article,
    seg: &Segmented,
    source_reason: String,
    outlets: &[&Article],
    analysed: Vec<Analysed>,
) -> Story {
    let source_words = seg.words.len();
    let sentence_words: Vec<usize> = seg.sentence_words.iter().map(|r| r.len()).collect();

    let source_quotes: Vec<QuoteRef> = extract(&source.text)
        .quotes
        .iter()
        .map(|q| QuoteRef {
            text: q.span.slice(&source.text).to_string(),
            start: q.span.start,
            end: q.span.end,
            speaker: q.speaker.clone(),
            speaker_description: q.description.clone(),
        })
        .collect();
    let mut quote_builder = quotes::QuoteBuilder::new(&source.id, &source_quotes);
    let mut passages: Vec<SourcePassage> = seg
        .sentences
        .iter()
        .enumerate()
        .map(|(i, s)| SourcePassage {
            number: i + 1,
            start: s.start,
            end: s.end,
            words: sentence_words[i],
            text: s.slice(&source.text).to_string(),
            by_article: Default::default(),
        })
        .collect();

    let mut entries = vec![StoryArticle {
        kept: passages.len(),
        kept_share: 1.0,
        ..entry(source, Role::Source, seg.words.len(), None, true)
    }];
    let mut facts = Vec::new();
    let mut related_ids = vec![source.id.as_str()];
    let mut drift_inputs = Vec::new();

    for (o, an) in outlets.iter().zip(analysed) {
        let c = an.comparison;
        let verdict = c.similarity.verdict;
        let related = verdict != Verdict::Unrelated;
        let mut e = entry(o, Role::Outlet, an.words, Some(verdict), related);
        if !related {
            e.comparison = Some(Box::new(c));
            entries.push(e);
            drift_inputs.push(None);
            continue;
        }
        related_ids.push(o.id.as_str());
        let mut d = rank::DriftInput {
            source_words,
            added_words: an.added_words,
            ..Default::default()
        };
        for (i, cell) in an.cells.into_iter().enumerate() {
            match cell.status {
                PassageStatus::Kept => {
                    e.kept += 1;
                    d.kept_words += sentence_words[i];
                }
                PassageStatus::Reworded => e.reworded += 1,
                PassageStatus::Dropped => e.dropped += 1,
            }
            if cell.moved {
                e.moved += 1;
                d.moved_words += sentence_words[i];
            }
            passages[i].by_article.insert(o.id.clone(), cell);
        }
        e.added_passages = an.added;
        e.added = e.added_passages.len();
        for f in &c.facts {
            if f.kind != FactKind::Wording {
                d.changed_facts += 1;
            }
            if f.severity == Severity::High {
                e.facts_high += 1;
            }
            facts.push(StoryFact {
                id: o.id.clone(),
                kind: f.kind,
                severity: f.severity,
                in_quote: f.in_quote,
                source_value: f.a.clone(),
                article_value: f.b.clone(),
            });
        }
        e.facts_changed = c.facts.len();
        e.kept_share = round(if source_words == 0 {
            0.0
        } else {
            d.kept_words as f64 / source_words as f64
        });
        quote_builder.add_outlet(&o.id, &c, &an.quote_keys);
        e.comparison = Some(Box::new(c));
        entries.push(e);
        drift_inputs.push(Some(d));
    }

    // Quote counts from the merged quotes, then drift.
    let quotes = quote_builder.finish(&related_ids);
    for (e, d) in entries[1..].iter_mut().zip(drift_inputs) {
        let Some(mut d) = d else { continue };
        for q in quotes.iter().filter(|q| q.origin == source.id) {
            match q.by_article.get(&e.id) {
                Some(QuoteState::Altered) => e.quotes_altered += 1,
                Some(QuoteState::Partial) => e.quotes_partial += 1,
                Some(QuoteState::Absent) => e.quotes_absent += 1,
                _ => {}
            }
            if q.versions
                .get(&e.id)
                .is_some_and(|v| v.speaker_agreement == SpeakerAgreement::Different)
            {
                e.speakers_changed += 1;
            }
        }
        d.changed_quotes = e.quotes_altered + e.quotes_partial + e.speakers_changed;
        e.drift = rank::drift(&d);
    }

    // Rank related outlets: most drift first, then input order.
    let mut order: Vec<usize> = (1..entries.len()).filter(|&i| entries[i].related).collect();
    order.sort_by(|&x, &y| {
        entries[y]
            .drift
            .total_cmp(&entries[x].drift)
            .then(x.cmp(&y))
    });
    for (r, &i) in order.iter().enumerate() {
        entries[i].rank = Some(r + 1);
    }

    Story {
        schema: STORY_SCHEMA.to_string(),
        source: source.id.clone(),
        source_reason,
        articles: entries,
        passages,
        quotes,
        facts,
    }
}

fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn entry(
    a: &Article,
    role: Role,
    words: usize,
    verdict: Option<Verdict>,
    related: bool,
) -> StoryArticle {
    StoryArticle {
        id: a.id.clone(),
        role,
        outlet: a.outlet.clone(),
        date: a.date.clone(),
        title: a.title.clone(),
        url: a.url.clone(),
        words,
        related,
        verdict: verdict.map(|v| v.as_str().to_string()),
        rank: None,
        drift: 0.0,
        kept_share: 0.0,
        kept: 0,
        reworded: 0,
        dropped: 0,
        moved: 0,
        added: 0,
        quotes_altered: 0,
        quotes_partial: 0,
        quotes_absent: 0,
        speakers_changed: 0,
        facts_high: 0,
        facts_changed: 0,
        added_passages: Vec::new(),
        comparison: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn art(id: &str, date: &str, text: &str) -> Article {
        Article {
            id: id.into(),
            date: Some(date.into()),
            text: text.into(),
            ..Article::default()
        }
    }

    const SRC: &str = "The council approved the harbour budget on Monday after a long debate. \
        The plan sets aside 45 million crowns for a new quay wall. \
        \"We will rebuild the harbour before winter comes,\" Mayor Ana Ruiz said. \
        Work is due to start in March next year.";

    #[test]
    fn counts_ranks_and_unrelated() {
        let story = build_story(
            vec![
                art("copy", "2024-10-09", SRC),
                art("src", "2024-10-08", SRC),
                art(
                    "cut",
                    "2024-10-09",
                    &SRC[..SRC.find(" \"We").unwrap()].replace("45", "54"),
                ),
                art(
                    "other",
                    "2024-10-09",
                    "Tanner Street will close to cars in April, the city council decided \
                     after residents asked for a pedestrian zone near the station.",
                ),
            ],
            &StoryOptions::default(),
        )
        .unwrap();
        assert_eq!(story.source, "src");
        let by_id = |id: &str| story.articles.iter().find(|a| a.id == id).unwrap();
        let ids: Vec<&str> = story.articles.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["src", "copy", "cut", "other"]);
        assert_eq!((by_id("copy").kept, by_id("copy").drift), (4, 0.0));
        let cut = by_id("cut");
        assert_eq!((cut.kept, cut.reworded, cut.dropped), (1, 1, 2));
        assert_eq!(cut.rank, Some(1));
        assert_eq!(by_id("copy").rank, Some(2));
        assert!(!by_id("other").related && by_id("other").rank.is_none());
        assert!(!story.passages[0].by_article.contains_key("other"));
        assert!(story.facts.iter().any(|f| f.id == "cut"
            && f.source_value.as_ref().unwrap().text == "45 million"
            && f.article_value.as_ref().unwrap().text == "54 million"));
        assert_eq!(story.quotes.len(), 1);
        assert_eq!(story.quotes[0].by_article["cut"], QuoteState::Absent);
        assert!(!story.quotes[0].by_article.contains_key("other"));
    }

    #[test]
    fn bad_sets_are_refused() {
        let e = build_story(vec![art("a", "2024-01-01", SRC)], &StoryOptions::default());
        assert!(e.unwrap_err().to_string().contains("at least two"));
        let e = build_story(
            vec![art("a", "2024-01-01", SRC), art("a", "2024-01-02", SRC)],
            &StoryOptions::default(),
        );
        assert!(e.unwrap_err().to_string().contains("\"a\""));
    }

    #[test]
    fn options_out_of_range_are_refused() {
        let arts = || vec![art("a", "2024-01-01", SRC), art("b", "2024-01-02", SRC)];
        let mut opts = StoryOptions::default();
        opts.compare.num_perm = 1 << 40;
        let e = build_story(arts(), &opts).unwrap_err();
        assert_eq!(e.to_string(), "num_perm must be between 1 and 4096");
        assert!(matches!(
            e.kind(),
            ErrorKind::InvalidParam {
                name: "num_perm",
                ..
            }
        ));
        opts.compare.num_perm = 128;
        opts.compare.shingle_size = 0;
        let e = build_story(arts(), &opts).unwrap_err();
        assert_eq!(e.to_string(), "shingle_size must be at least 1");
    }
}
