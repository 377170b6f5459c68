//! Pairing the quotes of two articles and saying how each pair differs.
//!
//! Quotes are compared on their normalised words. Every quote of A is
//! related to every quote of B:
//!
//! * **same words** — the normalised word sequences are equal;
//! * **truncation** — one sequence is a contiguous run of the other (a
//!   prefix, a suffix or an inner run) and the shorter has at least
//!   [`MIN_PARTIAL_WORDS`] words;
//! * **similar** — the words differ but the quotes are clearly the same
//!   quote: the word diff keeps at least [`MIN_SHARED_WORDS`] words and
//!   either the similarity `2·equal / (|a| + |b|)` is at least
//!   [`MIN_SIMILARITY`], or at least [`MIN_CONTAINED_WORDS`] words and
//!   [`MIN_CONTAINMENT`] of the shorter quote's words, and of its content
//!   words (function words left out), are kept. The second test lets a
//!   quote pair with a longer quote that contains a reworded version of it
//!   (on the two sample articles the true pairs keep 65–86 % of the shorter
//!   quote and 15 or more words, while unrelated pairs that share a stock
//!   phrase like `between Israel and Azerbaijan` keep at most 6 words).
//!
//! Short quotes ([`Quote::short`], at most three words: scare quotes,
//! titles, a few words of a longer quote) pair with a quote of the same
//! words, with another short quote at similarity [`MIN_SHORT_SIMILARITY`]
//! or more that shares a content word with it (`"very significant"` /
//! `"significant injuries"`), or, as a **part**, with a quote that holds
//! its words as a contiguous run with a content word among them (`"height
//! of absurdity"` / `"absurdity"`, `"absurd situation"` inside `"We have an
//! absurd situation: ..."`; one word only from [`MIN_ONE_WORD_PART_LEN`]
//! letters).
//!
//! Pairs are then chosen greedily, one to one: same words before
//! truncations before similar quotes before parts, then, among
//! truncations, a shorter quote that is the longer one's beginning before
//! other runs of it (when one article splits what the other quotes whole,
//! the whole pairs with its first piece, which carries the attribution),
//! then by more shared words, higher similarity, and position in A and in
//! B.

use std::borrow::Cow;

use super::Quote;
use super::speaker::same_speaker;
use crate::compare::model::{QuoteMatch, QuoteRef, QuoteStatus};
use crate::diff::{EqualCount, MAX_MYERS_WORDS, WordDiff, patience_limited, word_diff_limited};
use crate::text::{Span, Word, word_bounds, words};

/// The shorter quote of a truncation must have at least this many words.
pub const MIN_PARTIAL_WORDS: usize = 4;
/// Similar quotes share at least this many words.
pub const MIN_SHARED_WORDS: usize = 3;
/// Word similarity from which two quotes are the same quote, altered.
pub const MIN_SIMILARITY: f64 = 0.5;
/// Share of the shorter quote's words (and content words) found in the
/// longer one from which a quote is a reworded part of a longer one.
pub const MIN_CONTAINMENT: f64 = 0.6;
/// Words the shorter quote must keep for it to be a reworded part of a
/// longer one (shorter quotes must pass on similarity alone).
pub const MIN_CONTAINED_WORDS: usize = 8;
/// A one-word quote pairs as a part of a longer one only when its word
/// has at least this many letters (`"absurdity"`, not `"gone"`).
pub const MIN_ONE_WORD_PART_LEN: usize = 7;
/// Word similarity from which two short quotes are the same quote.
pub const MIN_SHORT_SIMILARITY: f64 = 0.5;

/// Function words that say nothing about which quote this is.
const STOPWORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "by",
    "from", "as", "is", "are", "was", "were", "be", "been", "it", "its", "this", "that", "these",
    "those", "we", "our", "us", "i", "my", "you", "he", "she", "they", "their", "his", "her",
    "not", "no", "will", "would", "has", "have", "had", "which", "who", "there", "all", "also",
];

/// The words of a quote's span, with spans into the whole text. When the
/// words of the whole text are given (`doc`) and those inside the span are
/// the ones the span alone has (the same boundaries), they are used as
/// they are; otherwise the span is segmented on its own.
fn quote_words<'w>(text: &str, span: Span, doc: Option<&'w [Word]>) -> Cow<'w, [Word]> {
    if let Some(doc) = doc {
        let first = doc.partition_point(|w| w.span.start < span.start);
        let n = doc[first..]
            .iter()
            .take_while(|w| w.span.end <= span.end)
            .count();
        let inside = &doc[first..first + n];
        let (mut same, mut k) = (true, 0);
        word_bounds(span.slice(text), |s, e| {
            let bounds = Span::new(span.start + s, span.start + e);
            same &= inside.get(k).is_some_and(|w| w.span == bounds);
            k += 1;
        });
        if same && k == n {
            return Cow::Borrowed(inside);
        }
    }
    let words = words(span.slice(text))
        .into_iter()
        .map(|mut w| {
            w.span = Span::new(w.span.start + span.start, w.span.end + span.start);
            w
        })
        .collect();
    Cow::Owned(words)
}

/// How two quotes' words relate, strongest last.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Relation {
    /// A short quote whose words are a contiguous run of the other.
    Part,
    Similar,
    Truncation,
    Same,
}

/// A possible pair.
struct Candidate {
    relation: Relation,
    /// The shorter quote is the beginning of the longer one.
    prefix: bool,
    i: usize,
    j: usize,
    diff: WordDiff,
}

fn norms(w: &[Word]) -> Vec<&str> {
    w.iter().map(|w| w.norm.as_str()).collect()
}

fn is_content(w: &str) -> bool {
    !STOPWORDS.contains(&w)
}

/// Share of the content words of `short` that the diff keeps equal.
fn content_containment(short: &[Word], long: &[Word], max_myers: usize) -> f64 {
    let content = |w: &&Word| !STOPWORDS.contains(&w.norm.as_str());
    let s: Vec<u64> = short.iter().filter(content).map(|w| w.key).collect();
    let l: Vec<u64> = long.iter().filter(content).map(|w| w.key).collect();
    if s.is_empty() {
        return 0.0;
    }
    // Only the number of equal words matters: the same patience diff as
    // `word_diff`, on the word keys, without building edits.
    let mut equal = EqualCount::default();
    patience_limited(&mut equal, &s, &l, max_myers);
    let equal = equal.0;
    equal as f64 / s.len() as f64
}

/// Number of words two sequences share, counted with multiplicity, from
/// their sorted word keys: an upper bound on the equal words of any diff.
fn shared_words(x: &[u64], y: &[u64]) -> usize {
    crate::sketch::sorted_intersection_len(x, y)
}

fn sorted_keys(w: &[Word]) -> Vec<u64> {
    let mut k: Vec<u64> = w.iter().map(|w| w.key).collect();
    k.sort_unstable();
    k
}

/// A cheap test that rules out pairs [`relate`] would reject, before the
/// costly word diff: every rule there needs enough shared words. Takes the
/// quotes' sorted word keys.
fn could_relate(ka: &[u64], a_short: bool, kb: &[u64], b_short: bool) -> bool {
    let shared = shared_words(ka, kb);
    let shorter = ka.len().min(kb.len());
    if shared == shorter && shorter == ka.len().max(kb.len()) {
        return true; // same words, maybe in another order
    }
    if shorter >= MIN_PARTIAL_WORDS && shared == shorter {
        return true; // possibly a truncation
    }
    let sim_bound = 2.0 * shared as f64 / (ka.len() + kb.len()) as f64;
    if a_short || b_short {
        // A part (every word of the short one in the other) or two short
        // quotes alike enough.
        return shared == shorter || (a_short && b_short && sim_bound >= MIN_SHORT_SIMILARITY);
    }
    shared >= MIN_SHARED_WORDS
        && (sim_bound >= MIN_SIMILARITY
            || (shared >= MIN_CONTAINED_WORDS && shared as f64 / shorter as f64 >= MIN_CONTAINMENT))
}

/// How the quote with words `a` relates to the quote with words `b`, if
/// they are the same quote at all.
/// The word diff keeps Myers to stretches of at most `max_myers` words.
fn relate(
    a: &[Word],
    a_short: bool,
    b: &[Word],
    b_short: bool,
    max_myers: usize,
) -> Option<(Relation, WordDiff)> {
    if a.is_empty() || b.is_empty() {
        return None;
    }
    if a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.norm == y.norm) {
        // The same words: the diff would be one equal run, and pairs of the
        // same words keep no edits.
        let diff = WordDiff {
            edits: Vec::new(),
            equal: a.len(),
            a_words: a.len(),
            b_words: b.len(),
            coarse: false,
        };
        return Some((Relation::Same, diff));
    }
    let (na, nb) = (norms(a), norms(b));
    let diff = word_diff_limited(a, b, max_myers);
    let (short, long) = if na.len() <= nb.len() {
        (&na, &nb)
    } else {
        (&nb, &na)
    };
    if short.len() >= MIN_PARTIAL_WORDS && contains_run(long, short) {
        return Some((Relation::Truncation, diff));
    }
    let sim = diff.similarity();
    if a_short || b_short {
        if a_short && b_short && sim >= MIN_SHORT_SIMILARITY {
            let shared = short.iter().any(|w| is_content(w) && long.contains(w));
            if shared {
                return Some((Relation::Similar, diff));
            }
        }
        // One common word recurs by chance; a long one rarely does.
        let telling = match short[..] {
            [w] => w.chars().count() >= MIN_ONE_WORD_PART_LEN,
            _ => short.iter().any(|w| is_content(w)),
        };
        let part = telling && contains_run(long, short);
        return part.then_some((Relation::Part, diff));
    }
    if diff.equal < MIN_SHARED_WORDS {
        return None;
    }
    let (sw, lw) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let contained = diff.equal >= MIN_CONTAINED_WORDS
        && diff.equal as f64 / sw.len() as f64 >= MIN_CONTAINMENT
        && content_containment(sw, lw, max_myers) >= MIN_CONTAINMENT;
    (sim >= MIN_SIMILARITY || contained).then_some((Relation::Similar, diff))
}

/// Whether `short` occurs as a contiguous run in `long`, in time linear in
/// both lengths (Knuth-Morris-Pratt).
fn contains_run<T: PartialEq>(long: &[T], short: &[T]) -> bool {
    if short.is_empty() {
        return true;
    }
    // fail[i]: length of the longest proper border of short[..=i].
    let mut fail = vec![0usize; short.len()];
    let mut k = 0;
    for i in 1..short.len() {
        while k > 0 && short[i] != short[k] {
            k = fail[k - 1];
        }
        if short[i] == short[k] {
            k += 1;
        }
        fail[i] = k;
    }
    let mut k = 0;
    for x in long {
        while k > 0 && *x != short[k] {
            k = fail[k - 1];
        }
        if *x == short[k] {
            k += 1;
            if k == short.len() {
                return true;
            }
        }
    }
    false
}

fn quote_ref(text: &str, q: &Quote) -> QuoteRef {
    QuoteRef {
        text: q.span.slice(text).to_string(),
        start: q.span.start,
        end: q.span.end,
        speaker: q.speaker.clone(),
        speaker_description: q.description.clone(),
    }
}

/// Pairs the quotes `a` of `a_text` with the quotes `b` of `b_text` and
/// says how each pair differs.
///
/// Pass the outermost quotes ([`QuoteScan::quotes`](super::QuoteScan::quotes)
/// as [`extract`](super::extract) returns them); nested quotes are part of
/// their outer quote's words and are not compared on their own.
///
/// Every quote appears in exactly one match. Statuses:
///
/// * `verbatim` — the same normalised words, and speakers not in conflict;
/// * `speaker_changed` — the same words, or one a truncation of the other,
///   but both speakers known and not [`same_speaker`];
/// * `partial` — one quote is a contiguous run of the other's words;
/// * `altered` — other word changes in what is clearly the same quote
///   (even if the speakers differ too);
/// * `only_a` / `only_b` — no counterpart.
///
/// `score` is the word similarity (1 for verbatim, 0 for a quote alone);
/// `edits` is the word diff of the pair, empty for verbatim, unchanged-word
/// speaker changes and lone quotes. The result is sorted by status (altered,
/// speaker changed, partial, only A, only B, verbatim), then by position in
/// A, then in B.
pub fn pair_quotes(a_text: &str, a: &[Quote], b_text: &str, b: &[Quote]) -> Vec<QuoteMatch> {
    pair_quotes_in((a_text, None), a, (b_text, None), b).0
}

/// The most work spent finding which quotes could relate (pairs that
/// share a word, each costing both quotes' numbers of words; see
/// [`crate::align`]'s candidate pairs): at least this much, or
/// [`QUOTE_WORK_PER_WORD`] per quoted word of both articles.
const QUOTE_WORK_MIN: usize = 16_000_000;
/// See [`QUOTE_WORK_MIN`]; also the budget of the word diffs of related
/// quotes, each estimated at `n · min(n, MAX_MYERS_WORDS)` for `n` words
/// in both: past it, diffs are made by anchors alone (O(n log n)).
const QUOTE_WORK_PER_WORD: usize = 256;

/// [`pair_quotes`] given the words of each whole text when they are known
/// (the same result, with less segmenting), and whether the articles had
/// so many quotes that pairs sharing only common words were not compared
/// (never for news articles: see [`crate::align`]'s candidate pairs).
pub(crate) fn pair_quotes_in(
    (a_text, a_words): (&str, Option<&[Word]>),
    a: &[Quote],
    (b_text, b_words): (&str, Option<&[Word]>),
    b: &[Quote],
) -> (Vec<QuoteMatch>, bool) {
    let aw: Vec<Cow<[Word]>> = a
        .iter()
        .map(|q| quote_words(a_text, q.span, a_words))
        .collect();
    let bw: Vec<Cow<[Word]>> = b
        .iter()
        .map(|q| quote_words(b_text, q.span, b_words))
        .collect();
    let ak: Vec<Vec<u64>> = aw.iter().map(|w| sorted_keys(w)).collect();
    let bk: Vec<Vec<u64>> = bw.iter().map(|w| sorted_keys(w)).collect();
    // Quotes that share no word never relate: only pairs that share one
    // are tried.
    let words: usize = aw.iter().chain(&bw).map(|w| w.len()).sum();
    let budget = QUOTE_WORK_MIN.max(QUOTE_WORK_PER_WORD.saturating_mul(words));
    let mut diff_work = 0usize;
    let found = crate::align::candidate_pairs(
        &ak.iter().map(|k| &k[..]).collect::<Vec<_>>(),
        &bk.iter().map(|k| &k[..]).collect::<Vec<_>>(),
        budget,
    );
    let mut candidates = Vec::new();
    for (i, wa) in aw.iter().enumerate() {
        for j in found.of(i) {
            let wb = &bw[j];
            if !could_relate(&ak[i], a[i].short, &bk[j], b[j].short) {
                continue;
            }
            let n = wa.len() + wb.len();
            let cost = n.saturating_mul(n.min(MAX_MYERS_WORDS));
            let max_myers = if diff_work.saturating_add(cost) <= budget {
                diff_work += cost;
                MAX_MYERS_WORDS
            } else {
                0
            };
            if let Some((relation, diff)) = relate(wa, a[i].short, wb, b[j].short, max_myers) {
                let (short, long) = if wa.len() <= wb.len() {
                    (&wa[..], &wb[..])
                } else {
                    (&wb[..], &wa[..])
                };
                let prefix = relation == Relation::Truncation
                    && short.iter().zip(long).all(|(x, y)| x.norm == y.norm);
                candidates.push(Candidate {
                    relation,
                    prefix,
                    i,
                    j,
                    diff,
                });
            }
        }
    }
    candidates.sort_by(|x, y| {
        y.relation
            .cmp(&x.relation)
            .then(y.prefix.cmp(&x.prefix))
            .then(y.diff.equal.cmp(&x.diff.equal))
            .then(y.diff.similarity().total_cmp(&x.diff.similarity()))
            .then(x.i.cmp(&y.i))
            .then(x.j.cmp(&y.j))
    });
    let mut a_used = vec![false; a.len()];
    let mut b_used = vec![false; b.len()];
    let mut out = Vec::with_capacity(a.len() + b.len());
    let mut coarse = false;
    for c in candidates {
        if a_used[c.i] || b_used[c.j] {
            continue;
        }
        a_used[c.i] = true;
        b_used[c.j] = true;
        let (qa, qb) = (&a[c.i], &b[c.j]);
        let conflict = match (&qa.speaker, &qb.speaker) {
            (Some(x), Some(y)) => !same_speaker(x, y),
            _ => false,
        };
        let status = match (c.relation, conflict) {
            (Relation::Same, false) => QuoteStatus::Verbatim,
            (Relation::Same | Relation::Truncation | Relation::Part, true) => {
                QuoteStatus::SpeakerChanged
            }
            (Relation::Truncation | Relation::Part, false) => QuoteStatus::Partial,
            (Relation::Similar, _) => QuoteStatus::Altered,
        };
        coarse |= c.diff.coarse;
        let (score, edits) = if c.relation == Relation::Same {
            (1.0, Vec::new())
        } else {
            (c.diff.similarity(), c.diff.edits)
        };
        out.push(QuoteMatch {
            status,
            a: Some(quote_ref(a_text, qa)),
            b: Some(quote_ref(b_text, qb)),
            score,
            edits,
        });
    }
    for (q, _) in a.iter().zip(&a_used).filter(|(_, used)| !**used) {
        out.push(lone(QuoteStatus::OnlyA, Some(quote_ref(a_text, q)), None));
    }
    for (q, _) in b.iter().zip(&b_used).filter(|(_, used)| !**used) {
        out.push(lone(QuoteStatus::OnlyB, None, Some(quote_ref(b_text, q))));
    }
    let pos = |r: &Option<QuoteRef>| r.as_ref().map_or(usize::MAX, |r| r.start);
    out.sort_by(|x, y| {
        x.status
            .cmp(&y.status)
            .then(pos(&x.a).cmp(&pos(&y.a)))
            .then(pos(&x.b).cmp(&pos(&y.b)))
    });
    (out, found.limited || coarse)
}

fn lone(status: QuoteStatus, a: Option<QuoteRef>, b: Option<QuoteRef>) -> QuoteMatch {
    QuoteMatch {
        status,
        a,
        b,
        score: 0.0,
        edits: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn contains_run_agrees_with_windows(
            long in proptest::collection::vec(0u8..3, 0..30),
            short in proptest::collection::vec(0u8..3, 1..6),
        ) {
            proptest::prop_assert_eq!(
                contains_run(&long, &short),
                long.windows(short.len()).any(|w| w == &short[..])
            );
        }
    }
    use crate::diff::EditOp;
    use crate::quotes::extract;

    /// Pairs the quotes of two texts.
    fn pair(a: &str, b: &str) -> Vec<QuoteMatch> {
        pair_quotes(a, &extract(a).quotes, b, &extract(b).quotes)
    }

    fn statuses(m: &[QuoteMatch]) -> Vec<QuoteStatus> {
        m.iter().map(|m| m.status).collect()
    }

    /// The non-equal edits as (op, text in A, text in B).
    fn changes<'a>(m: &QuoteMatch, a: &'a str, b: &'a str) -> Vec<(EditOp, &'a str, &'a str)> {
        m.edits
            .iter()
            .filter(|e| e.op != EditOp::Equal)
            .map(|e| (e.op, e.a.slice(a), e.b.slice(b)))
            .collect()
    }

    #[test]
    fn verbatim_ignores_case_punctuation_and_mark_style() {
        let a = "Strock said: \"We will stand FIRM, always.\"";
        let b = "“We will stand firm — always,” Strock said.";
        let m = pair(a, b);
        assert_eq!(statuses(&m), [QuoteStatus::Verbatim]);
        assert_eq!(m[0].score, 1.0);
        assert!(m[0].edits.is_empty());
        let ra = m[0].a.as_ref().unwrap();
        assert_eq!(ra.text, "We will stand FIRM, always.");
        assert_eq!(&a[ra.start..ra.end], ra.text);
        assert_eq!(ra.speaker.as_deref(), Some("Strock"));
    }

    #[test]
    fn equivalent_speakers_are_no_change() {
        let a = "Orit Strock said: \"We will stand firm.\"";
        let b = "\"We will stand firm,\" Strock said.";
        assert_eq!(statuses(&pair(a, b)), [QuoteStatus::Verbatim]);
        let a = "The PMO said: \"We will stand firm.\"";
        let b = "the Prime Minister's Office said: \"We will stand firm.\"";
        assert_eq!(statuses(&pair(a, b)), [QuoteStatus::Verbatim]);
    }

    #[test]
    fn speaker_changed() {
        let a = "Strock said: \"We will stand firm.\"";
        let b = "\"We will stand firm,\" Moshiashvili said.";
        let m = pair(a, b);
        assert_eq!(statuses(&m), [QuoteStatus::SpeakerChanged]);
        assert!(m[0].edits.is_empty());
        assert_eq!(m[0].score, 1.0);
        // One unknown speaker is no conflict.
        let b = "\"We will stand firm,\" he said.";
        assert_eq!(statuses(&pair(a, b)), [QuoteStatus::Verbatim]);
    }

    #[test]
    fn speaker_changed_on_a_truncation_keeps_edits() {
        let a = "Strock said: \"We will stand firm against any attempt.\"";
        let b = "Moshiashvili said: \"We will stand firm.\"";
        let m = pair(a, b);
        assert_eq!(statuses(&m), [QuoteStatus::SpeakerChanged]);
        assert_eq!(
            changes(&m[0], a, b),
            [(EditOp::Delete, "against any attempt", "")]
        );
    }

    #[test]
    fn partial_prefix_suffix_and_inner_run() {
        let a = "He said \"we will stand firm against any attempt to undermine it.\"";
        for b in [
            "He said \"we will stand firm against any attempt.\"",
            "He said \"against any attempt to undermine it.\"",
            "He said \"stand firm against any attempt.\"",
        ] {
            let m = pair(a, b);
            assert_eq!(statuses(&m), [QuoteStatus::Partial], "{b}");
            assert!(m[0].score > 0.0 && m[0].score < 1.0);
            assert!(changes(&m[0], a, b).iter().all(|c| c.0 == EditOp::Delete));
        }
    }

    #[test]
    fn truncation_below_four_words_is_a_part() {
        let a = "He said \"we will stand firm against any attempt.\"";
        let b = "He said \"stand firm against\" once.";
        assert_eq!(statuses(&pair(a, b)), [QuoteStatus::Partial]);
        // Three words that are not a run of the long quote do not pair.
        let b = "He said \"firm stand against\" once.";
        assert_eq!(
            statuses(&pair(a, b)),
            [QuoteStatus::OnlyA, QuoteStatus::OnlyB]
        );
    }

    #[test]
    fn altered_with_word_edits() {
        let a = "\"Azerbaijan is an important strategic ally of Israel,\" the PMO said.";
        let b = "\"Azerbaijan is a key strategic ally of Israel,\" the PMO said.";
        let m = pair(a, b);
        assert_eq!(statuses(&m), [QuoteStatus::Altered]);
        assert_eq!(
            changes(&m[0], a, b),
            [(EditOp::Replace, "an important", "a key")]
        );
        assert!((m[0].score - 12.0 / 16.0).abs() < 1e-9);
    }

    #[test]
    fn unrelated_quotes_stay_alone_and_sort_by_status() {
        let a = "\"Ties with Azerbaijan matter,\" he said. \"We will stand firm,\" he said.";
        let b = "\"I seek my brothers,\" he added. \"We will stand firm,\" he said.";
        let m = pair(a, b);
        assert_eq!(
            statuses(&m),
            [
                QuoteStatus::OnlyA,
                QuoteStatus::OnlyB,
                QuoteStatus::Verbatim
            ]
        );
        assert!(m[0].b.is_none() && m[1].a.is_none());
        assert_eq!(m[1].b.as_ref().unwrap().text, "I seek my brothers");
        assert_eq!((m[0].score, m[0].edits.len()), (0.0, 0));
    }

    #[test]
    fn one_to_one_with_ties_broken_by_position() {
        let a = "\"We will stand firm,\" he said. Later: \"We will stand firm.\"";
        let b = "\"We will stand firm,\" she said.";
        let m = pair(a, b);
        assert_eq!(statuses(&m), [QuoteStatus::OnlyA, QuoteStatus::Verbatim]);
        let verbatim_a = m[1].a.as_ref().unwrap().start;
        let alone_a = m[0].a.as_ref().unwrap().start;
        assert!(verbatim_a < alone_a);
    }

    #[test]
    fn same_words_beat_similar_words() {
        let a = "\"We will stand firm against them,\" he said.";
        let b = "\"We will stand strong against them,\" he said. \"We will stand firm against \
                 them,\" she said.";
        let m = pair(a, b);
        assert_eq!(statuses(&m), [QuoteStatus::OnlyB, QuoteStatus::Verbatim]);
        assert!(m[1].b.as_ref().unwrap().text.contains("firm"));
    }

    #[test]
    fn short_quote_pairs_as_a_part_of_a_long_one() {
        let a = "He spoke of an \"absurd situation\" today.";
        let b = "\"We have an absurd situation: countries that were at war get incentives,\" \
                 he noted.";
        assert_eq!(statuses(&pair(a, b)), [QuoteStatus::Partial]);
        // Not when the long quote has its own counterpart...
        let a2 = format!("{a} \"We have an absurd situation: countries at war get incentives.\"");
        assert_eq!(
            statuses(&pair(&a2, b)),
            [QuoteStatus::Altered, QuoteStatus::OnlyA]
        );
        // ...nor on function words alone.
        let a3 = "He said it was \"of the\" kind.";
        assert_eq!(
            statuses(&pair(a3, "\"It is of the people,\" he said.")),
            [QuoteStatus::OnlyA, QuoteStatus::OnlyB]
        );
        // Two short quotes pair when they share a content word.
        let b = "He spoke of an \"absurd, absurd situation\" today.";
        assert_eq!(statuses(&pair(a, b)), [QuoteStatus::Altered]);
        let (x, y) = (
            "A \"very significant\" loss.",
            "With \"significant injuries\" then.",
        );
        assert_eq!(statuses(&pair(x, y)), [QuoteStatus::Altered]);
    }

    #[test]
    fn a_whole_quote_pairs_with_its_first_piece() {
        let a = "\"We lost the final today. But we will come back stronger next year, \
                 and the fans know it,\" he said.";
        let b = "\"We lost the final today,\" he said. \"But we will come back stronger next \
                 year, and the fans know it and so do we,\" he added.";
        let m = pair(a, b);
        let first = m.iter().find(|m| m.a.is_some() && m.b.is_some()).unwrap();
        assert_eq!(first.status, QuoteStatus::Partial);
        assert_eq!(first.b.as_ref().unwrap().text, "We lost the final today");
    }

    #[test]
    fn pairing_is_symmetric_in_statuses() {
        let read = |p: &str| crate::parse_plain_text(p, "x").text;
        let a = read(include_str!("../../samples/knesset-azerbaijan-newsaz.txt"));
        let b = read(include_str!("../../samples/knesset-azerbaijan-jns.txt"));
        let key =
            |m: &[QuoteMatch], flip: bool| -> Vec<(QuoteStatus, Option<usize>, Option<usize>)> {
                let mut v: Vec<_> = m
                    .iter()
                    .map(|m| {
                        let (x, y) = (m.a.as_ref().map(|r| r.start), m.b.as_ref().map(|r| r.start));
                        let s = match (m.status, flip) {
                            (QuoteStatus::OnlyA, true) => QuoteStatus::OnlyB,
                            (QuoteStatus::OnlyB, true) => QuoteStatus::OnlyA,
                            (s, _) => s,
                        };
                        if flip { (s, y, x) } else { (s, x, y) }
                    })
                    .collect();
                v.sort();
                v
            };
        assert_eq!(key(&pair(&a, &b), false), key(&pair(&b, &a), true));
    }

    #[test]
    fn quote_words_differ_from_whole_text_words_at_a_join() {
        // In the whole text of A the closing mark sits inside one word
        // (UAX #29 joins Hebrew letters around `"`), so the quote's own
        // words must be segmented from the quote alone.
        let (a, b) = ("He said \"שלום\"ם today.", "\"שלום\" he said.");
        let (qa, qb) = (extract(a).quotes, extract(b).quotes);
        assert_eq!(qa[0].span.slice(a), "שלום");
        let (wa, wb) = (words(a), words(b));
        let m = pair_quotes_in((a, Some(&wa)), &qa, (b, Some(&wb)), &qb).0;
        assert_eq!(statuses(&m), [QuoteStatus::Verbatim]);
        assert_eq!(m, pair_quotes(a, &qa, b, &qb));
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        fn text() -> impl Strategy<Value = String> {
            let piece = prop_oneof![
                Just("\"".to_string()),
                Just("“".to_string()),
                Just("”".to_string()),
                Just("'".to_string()),
                Just(" ".to_string()),
                Just("\n\n".to_string()),
                Just(", he said. ".to_string()),
                Just(" Strock said: ".to_string()),
                prop::sample::select(vec!["we", "will", "stand", "firm", "ties", "Israel"])
                    .prop_map(|w| format!("{w} ")),
            ];
            proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
        }

        proptest! {
            #[test]
            fn every_quote_once_and_spans_valid(a in text(), b in text()) {
                let (qa, qb) = (extract(&a).quotes, extract(&b).quotes);
                let m = pair_quotes(&a, &qa, &b, &qb);
                prop_assert_eq!(m.iter().filter(|m| m.a.is_some()).count(), qa.len());
                prop_assert_eq!(m.iter().filter(|m| m.b.is_some()).count(), qb.len());
                for x in &m {
                    prop_assert!((0.0..=1.0).contains(&x.score));
                    if let Some(r) = &x.a {
                        prop_assert_eq!(&a[r.start..r.end], r.text.as_str());
                    }
                    if let Some(r) = &x.b {
                        prop_assert_eq!(&b[r.start..r.end], r.text.as_str());
                    }
                    for e in &x.edits {
                        prop_assert!(e.a.end <= a.len() && e.b.end <= b.len());
                    }
                }
            }

            /// Quotes take the words of the whole text where they can: the
            /// result must be the same as segmenting each quote alone.
            #[test]
            fn whole_text_words_give_the_same_pairs(
                a in text_with_joins(),
                b in text_with_joins(),
            ) {
                let (qa, qb) = (extract(&a).quotes, extract(&b).quotes);
                let (wa, wb) = (words(&a), words(&b));
                prop_assert_eq!(
                    pair_quotes_in((&a, Some(&wa)), &qa, (&b, Some(&wb)), &qb).0,
                    pair_quotes(&a, &qa, &b, &qb)
                );
            }
        }

        /// Texts with characters that join words across quotation marks in
        /// UAX #29 (Hebrew letters around `"`, letters around `'`, digits
        /// around `,`) and combining marks after marks.
        fn text_with_joins() -> impl Strategy<Value = String> {
            let piece = prop_oneof![
                3 => prop::sample::select(vec![
                    "\"", "“", "”", "'", "’", "‘", " ", "\n\n", ", ", ".", ",", "\u{0301}",
                    "\u{0345}", "א", "ב", "3", "x", "Strock said: ", ", he said. ",
                ])
                .prop_map(str::to_string),
                1 => prop::sample::select(vec!["we", "will", "stand", "firm", "ties", "Israel"])
                    .prop_map(|w| format!("{w} ")),
            ];
            proptest::collection::vec(piece, 0..50).prop_map(|v| v.concat())
        }
    }

    #[test]
    fn samples() {
        let read = |p: &str| crate::parse_plain_text(p, "x").text;
        let a = read(include_str!("../../samples/knesset-azerbaijan-newsaz.txt"));
        let b = read(include_str!("../../samples/knesset-azerbaijan-jns.txt"));
        let m = pair(&a, &b);
        let find = |a_start: &str| {
            m.iter()
                .find(|m| m.a.as_ref().is_some_and(|r| r.text.starts_with(a_start)))
                .unwrap_or_else(|| panic!("no match for {a_start:?}"))
        };
        let b_text = |m: &QuoteMatch| m.b.as_ref().map(|r| r.text.clone()).unwrap_or_default();

        let ally = find("Azerbaijan is an important strategic ally");
        assert_eq!(ally.status, QuoteStatus::Altered);
        assert!(b_text(ally).starts_with("Azerbaijan is a key strategic ally"));
        assert_eq!(ally.a.as_ref().unwrap().speaker.as_deref(), Some("PMO"));
        assert_eq!(
            ally.b.as_ref().unwrap().speaker.as_deref(),
            Some("Prime Minister's Office")
        );
        let ch = changes(ally, &a, &b);
        assert_eq!(ch[0], (EditOp::Replace, "an important", "a key"));
        assert!(ch.contains(&(EditOp::Insert, "", "bilateral")));

        let title = find("Upgrading the Strategic Alliance");
        assert_eq!(title.status, QuoteStatus::Verbatim);
        assert_eq!(
            b_text(title),
            "Upgrading the Strategic Alliance Between Israel and Azerbaijan"
        );

        let war = find("countries that were at war");
        assert_eq!(war.status, QuoteStatus::Altered);
        assert!(b_text(war).starts_with("We have an absurd situation"));
        let ch = changes(war, &a, &b);
        assert!(ch.contains(&(EditOp::Replace, "at", "in a state of")));
        assert!(ch.contains(&(EditOp::Replace, "until", "before")));

        for (a_start, b_start) in [
            ("the relationship between", "The ties between"),
            ("Israel will continue", "alongside this"),
            ("an exemplary", "an exemplary"),
            ("this is the only Muslim", "This is the only Muslim"),
        ] {
            let x = find(a_start);
            assert_eq!(x.status, QuoteStatus::Altered, "{a_start}");
            assert!(b_text(x).starts_with(b_start), "{a_start}");
        }
        assert_eq!(find("absurd situation").status, QuoteStatus::OnlyA);

        let brothers: Vec<_> = m
            .iter()
            .filter(|m| m.b.as_ref().is_some_and(|r| r.text == "I seek my brothers"))
            .collect();
        assert_eq!(brothers.len(), 1);
        assert_eq!(brothers[0].status, QuoteStatus::OnlyB);
        assert_eq!(
            brothers[0].b.as_ref().unwrap().speaker.as_deref(),
            Some("MK Moshiashvili")
        );

        // Sorted by status, then by position.
        let order: Vec<_> = m
            .iter()
            .map(|m| (m.status, m.a.as_ref().map_or(usize::MAX, |r| r.start)))
            .collect();
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(order, sorted);
        // Every quote of each side appears exactly once.
        assert_eq!(
            m.iter().filter(|m| m.a.is_some()).count(),
            extract(&a).quotes.len()
        );
        assert_eq!(
            m.iter().filter(|m| m.b.is_some()).count(),
            extract(&b).quotes.len()
        );
    }
}
