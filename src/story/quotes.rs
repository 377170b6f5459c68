//! Distinct quotes across a story, and how each article carries them.
//!
//! Every quote of the source is one entry, keyed by its position in the
//! source; each outlet's status comes from its pairwise comparison:
//!
//! * `verbatim` — compare's `verbatim`; also a source quote whose words
//!   stand whole inside a longer quote of the outlet (two source quotes
//!   merged into one, say), and the same words with another speaker (the
//!   speaker shows in `speaker_agreement`);
//! * `partial` — the outlet carries a truncation of the source's quote;
//! * `altered` — words changed inside the quote;
//! * `absent` — not carried.
//!
//! A quote the source does not have is merged with the same quote of
//! other outlets: word for word equal quotes first, else the closest
//! quote of another outlet that is a truncation of it or shares at least
//! [`MIN_SIMILARITY`] of its words. Its reference wording is that of the
//! first article (in input order) that has it.

use std::collections::{BTreeMap, HashMap};

use crate::compare::{Comparison, QuoteRef, QuoteStatus};
use crate::diff::word_diff;
use crate::quotes::same_speaker;
use crate::text::words;

use super::model::{QuoteState, QuoteVersion, SpeakerAgreement, StoryQuote};
use super::passages::diff_parts;

/// Word similarity above which two quotes of different outlets that the
/// source does not have are taken as versions of one quote.
pub const MIN_SIMILARITY: f64 = 0.6;

/// Builds the quote entries of a story.
pub struct QuoteBuilder {
    entries: Vec<Entry>,
    /// Source quote start offset -> entry.
    by_source_start: HashMap<usize, usize>,
    /// Word keys of a quote not in the source -> entry.
    by_words: HashMap<Vec<u64>, usize>,
}

struct Entry {
    quote: StoryQuote,
    keys: Vec<u64>,
    from_source: bool,
}

/// Hashes of the normalised words of a quote, for matching.
pub fn keys_of(text: &str) -> Vec<u64> {
    let mut v = Vec::new();
    crate::text::word_hashes(text, &mut v);
    v
}

/// [`keys_of`] the B side of each of a comparison's quotes (empty for a
/// quote only the source has). Pure, so it can run in parallel.
pub fn outlet_quote_keys(c: &Comparison) -> Vec<Vec<u64>> {
    c.quotes
        .iter()
        .map(|m| m.b.as_ref().map(|q| keys_of(&q.text)).unwrap_or_default())
        .collect()
}

fn agreement(a: Option<&str>, b: Option<&str>) -> SpeakerAgreement {
    match (a, b) {
        (Some(x), Some(y)) if same_speaker(x, y) => SpeakerAgreement::Same,
        (Some(_), Some(_)) => SpeakerAgreement::Different,
        _ => SpeakerAgreement::Unknown,
    }
}

/// True when `needle` is a contiguous run of `hay`.
fn contains_run(hay: &[u64], needle: &[u64]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

impl QuoteBuilder {
    /// Starts with the source's quotes (as its comparisons list them).
    pub fn new(source_id: &str, source_quotes: &[QuoteRef]) -> QuoteBuilder {
        let mut b = QuoteBuilder {
            entries: Vec::new(),
            by_source_start: HashMap::new(),
            by_words: HashMap::new(),
        };
        let mut sorted: Vec<&QuoteRef> = source_quotes.iter().collect();
        sorted.sort_by_key(|q| q.start);
        for q in sorted {
            if b.by_source_start.contains_key(&q.start) {
                continue;
            }
            b.by_source_start.insert(q.start, b.entries.len());
            b.entries.push(Entry {
                quote: reference(source_id, q),
                keys: keys_of(&q.text),
                from_source: true,
            });
        }
        b
    }

    /// Adds one outlet's quotes, from its comparison with the source and
    /// [`outlet_quote_keys`] of it.
    pub fn add_outlet(&mut self, id: &str, c: &Comparison, keys: &[Vec<u64>]) {
        let outlet_quotes: Vec<(&QuoteRef, &Vec<u64>)> = c
            .quotes
            .iter()
            .zip(keys)
            .filter_map(|(m, k)| m.b.as_ref().map(|q| (q, k)))
            .collect();
        for (m, bk) in c.quotes.iter().zip(keys) {
            match (&m.a, &m.b) {
                (Some(a), Some(b)) => {
                    let Some(&e) = self.by_source_start.get(&a.start) else {
                        continue;
                    };
                    let entry = &mut self.entries[e];
                    let longer = bk.len() > entry.keys.len();
                    let state = match m.status {
                        QuoteStatus::Altered => QuoteState::Altered,
                        QuoteStatus::Partial | QuoteStatus::SpeakerChanged
                            if !m.edits.is_empty() && !longer =>
                        {
                            QuoteState::Partial
                        }
                        _ => QuoteState::Verbatim,
                    };
                    let inside = longer && contains_run(bk, &entry.keys);
                    entry.set(id, state, b, inside);
                }
                (Some(a), None) => {
                    let Some(&e) = self.by_source_start.get(&a.start) else {
                        continue;
                    };
                    let entry = &mut self.entries[e];
                    // The words may stand inside a longer quote of the
                    // outlet that compare paired with another source quote.
                    if let Some((q, _)) = outlet_quotes
                        .iter()
                        .find(|(_, k)| k.len() > entry.keys.len() && contains_run(k, &entry.keys))
                    {
                        entry.set(id, QuoteState::Verbatim, q, true);
                    }
                }
                (None, Some(b)) => self.add_own(id, b, bk),
                (None, None) => {}
            }
        }
    }

    /// A quote of an outlet that the source does not have.
    fn add_own(&mut self, id: &str, q: &QuoteRef, keys: &[u64]) {
        if keys.is_empty() {
            return;
        }
        if let Some(&e) = self.by_words.get(keys)
            && !self.entries[e].quote.by_article.contains_key(id)
        {
            self.entries[e].set(id, QuoteState::Verbatim, q, false);
            return;
        }
        // The closest other outlet's quote, if close enough.
        let mut best: Option<(usize, QuoteState, f64)> = None;
        let mine = sorted_unique(keys);
        for (e, entry) in self.entries.iter().enumerate() {
            if entry.from_source || entry.quote.by_article.contains_key(id) {
                continue;
            }
            let theirs = sorted_unique(&entry.keys);
            let shared = count_shared(&mine, &theirs);
            if (shared as f64) < MIN_SIMILARITY * mine.len().min(theirs.len()) as f64 {
                continue;
            }
            let (state, score) = if contains_run(&entry.keys, keys) {
                (QuoteState::Partial, 1.0)
            } else if contains_run(keys, &entry.keys) {
                (QuoteState::Verbatim, 1.0)
            } else {
                let (wa, wb) = (words(&entry.quote.text), words(&q.text));
                let s = word_diff(&wa, &wb).similarity();
                if s < MIN_SIMILARITY {
                    continue;
                }
                (QuoteState::Altered, s)
            };
            if best.is_none_or(|(_, _, b)| score > b) {
                best = Some((e, state, score));
            }
        }
        match best {
            Some((e, state, _)) => {
                let inside = state == QuoteState::Verbatim;
                self.entries[e].set(id, state, q, inside);
            }
            None => {
                self.by_words.insert(keys.to_vec(), self.entries.len());
                self.entries.push(Entry {
                    quote: reference(id, q),
                    keys: keys.to_vec(),
                    from_source: false,
                });
            }
        }
    }

    /// The entries, with every related article not carrying a quote marked
    /// `absent`: the source's quotes first, in source order, then the
    /// others in order of first appearance.
    pub fn finish(self, related_ids: &[&str]) -> Vec<StoryQuote> {
        self.entries
            .into_iter()
            .map(|e| {
                let mut q = e.quote;
                for id in related_ids {
                    q.by_article
                        .entry((*id).to_string())
                        .or_insert(QuoteState::Absent);
                }
                q
            })
            .collect()
    }
}

impl Entry {
    fn set(&mut self, id: &str, state: QuoteState, q: &QuoteRef, inside: bool) {
        let diff = if matches!(state, QuoteState::Altered | QuoteState::Partial) {
            let (wa, wb) = (words(&self.quote.text), words(&q.text));
            diff_parts(&self.quote.text, &q.text, &word_diff(&wa, &wb).edits)
        } else {
            Vec::new()
        };
        // A better status for the same article wins (an article may carry
        // a quote twice).
        if let Some(old) = self.quote.by_article.get(id)
            && (*old == QuoteState::Verbatim || *old <= state)
        {
            return;
        }
        self.quote.by_article.insert(id.to_string(), state);
        self.quote.versions.insert(
            id.to_string(),
            QuoteVersion {
                text: q.text.clone(),
                start: q.start,
                end: q.end,
                speaker: q.speaker.clone(),
                speaker_agreement: agreement(self.quote.speaker.as_deref(), q.speaker.as_deref()),
                inside_longer_quote: inside,
                diff,
            },
        );
    }
}

fn reference(id: &str, q: &QuoteRef) -> StoryQuote {
    let mut by_article = BTreeMap::new();
    by_article.insert(id.to_string(), QuoteState::Verbatim);
    let mut versions = BTreeMap::new();
    versions.insert(
        id.to_string(),
        QuoteVersion {
            text: q.text.clone(),
            start: q.start,
            end: q.end,
            speaker: q.speaker.clone(),
            speaker_agreement: if q.speaker.is_some() {
                SpeakerAgreement::Same
            } else {
                SpeakerAgreement::Unknown
            },
            inside_longer_quote: false,
            diff: Vec::new(),
        },
    );
    StoryQuote {
        text: q.text.clone(),
        origin: id.to_string(),
        speaker: q.speaker.clone(),
        by_article,
        versions,
    }
}

fn sorted_unique(k: &[u64]) -> Vec<u64> {
    let mut v = k.to_vec();
    v.sort_unstable();
    v.dedup();
    v
}

fn count_shared(x: &[u64], y: &[u64]) -> usize {
    crate::sketch::sorted_intersection_len(x, y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Article;
    use crate::compare::{CompareOptions, compare};

    fn art(id: &str, text: &str) -> Article {
        Article {
            id: id.into(),
            text: text.into(),
            ..Article::default()
        }
    }

    const SRC: &str = "The mayor spoke on Monday. \"We will rebuild the harbour wall before winter comes,\" \
                       Mayor Ana Ruiz said. \"Nobody will lose their job,\" she added.";

    fn story(outlets: &[(&str, &str)]) -> Vec<StoryQuote> {
        let src = art("src", SRC);
        let cs: Vec<Comparison> = outlets
            .iter()
            .map(|(id, t)| compare(&src, &art(id, t), &CompareOptions::default()))
            .collect();
        let source_quotes: Vec<QuoteRef> =
            cs[0].quotes.iter().filter_map(|m| m.a.clone()).collect();
        let mut b = QuoteBuilder::new("src", &source_quotes);
        for ((id, _), c) in outlets.iter().zip(&cs) {
            b.add_outlet(id, c, &outlet_quote_keys(c));
        }
        let mut ids = vec!["src"];
        ids.extend(outlets.iter().map(|(id, _)| *id));
        b.finish(&ids)
    }

    #[test]
    fn statuses_per_outlet_and_merged_own_quotes() {
        let q = story(&[
            ("copy", SRC),
            (
                "alt",
                "The mayor spoke on Monday. \"We will rebuild the harbour wall before spring comes,\" \
                 Mayor Ana Ruiz said. \"It was a long night for everyone here,\" a resident said.",
            ),
            (
                "cut",
                "The mayor spoke on Monday. \"We will rebuild the harbour wall,\" Mayor Ana Ruiz said. \
                 \"It was a long night for everyone here,\" a resident said.",
            ),
        ]);
        assert_eq!(q.len(), 3, "two source quotes and one merged own quote");
        let wall = &q[0];
        assert_eq!(wall.origin, "src");
        assert_eq!(wall.by_article["copy"], QuoteState::Verbatim);
        assert_eq!(wall.by_article["alt"], QuoteState::Altered);
        assert_eq!(wall.by_article["cut"], QuoteState::Partial);
        assert!(wall.versions["alt"].diff.iter().any(|d| d.text == "spring"));
        assert_eq!(
            wall.versions["alt"].speaker_agreement,
            SpeakerAgreement::Same
        );
        assert_eq!(q[1].by_article["alt"], QuoteState::Absent);
        let own = &q[2];
        assert_eq!(own.origin, "alt");
        assert_eq!(own.by_article["src"], QuoteState::Absent);
        assert_eq!(own.by_article["alt"], QuoteState::Verbatim);
        assert_eq!(own.by_article["cut"], QuoteState::Verbatim);
        assert_eq!(own.by_article["copy"], QuoteState::Absent);
    }

    #[test]
    fn merged_source_quotes_count_as_verbatim() {
        let merged = "The mayor spoke on Monday. \"We will rebuild the harbour wall before winter comes. \
                      Nobody will lose their job,\" Mayor Ana Ruiz said.";
        let q = story(&[("m", merged)]);
        assert_eq!(q[0].by_article["m"], QuoteState::Verbatim);
        assert_eq!(q[1].by_article["m"], QuoteState::Verbatim);
        assert!(q[0].versions["m"].inside_longer_quote || q[1].versions["m"].inside_longer_quote);
    }

    #[test]
    fn runs() {
        assert!(contains_run(&[1, 2, 3, 4], &[2, 3]));
        assert!(!contains_run(&[1, 2, 3, 4], &[2, 4]));
        assert!(!contains_run(&[1, 2], &[]));
        assert_eq!(count_shared(&[1, 3, 5], &[3, 4, 5]), 2);
    }
}
