//! Comparing two articles: similarity scores, aligned passages, quotes and
//! changed facts, gathered into one [`Comparison`].

pub(crate) mod model;
mod verdict;
mod versions;

pub use model::*;
pub use verdict::{Thresholds, verdict};
pub use versions::{VERSION_SEPARATOR, compare_versions};

use crate::align::{self, Segmented, runs};
use crate::article::Article;
use crate::diff::{EditOp, WordDiff, WordEdit, word_diff};
use crate::facts;
use crate::quotes::{self, Quote};
use crate::sketch::{self, DEFAULT_NUM_PERM, DEFAULT_SHINGLE_SIZE, MAX_NUM_PERM, MinHasher};
use crate::text::Span;

/// Settings of a comparison.
#[derive(Clone, Debug)]
pub struct CompareOptions {
    /// Shingle size in words.
    pub shingle_size: usize,
    /// MinHash signature length.
    pub num_perm: usize,
    /// MinHash seed.
    pub seed: u64,
    /// Verdict thresholds.
    pub thresholds: Thresholds,
    /// Smallest copied run reported and labelled `same` wherever it lies,
    /// in words; 0 finds no runs (the sentence alignment alone).
    pub min_run_words: usize,
    /// Longest stretch of differing words inside an aligned passage that
    /// is labelled `changed` (a rewording); a longer one is text the other
    /// article does not have, `added` (B) or `dropped` (A). 0 labels
    /// every differing word `changed`.
    pub max_changed_words: usize,
}

impl CompareOptions {
    /// Checks the values: a shingle size of at least 1 and a signature
    /// length of 1 to [`MAX_NUM_PERM`]. ([`compare`] itself takes a value
    /// out of range as the nearest one in range.)
    pub fn validate(&self) -> crate::Result<()> {
        if self.shingle_size == 0 {
            return Err(crate::Error::invalid_param(
                "shingle_size",
                "must be at least 1",
            ));
        }
        if self.num_perm == 0 || self.num_perm > MAX_NUM_PERM {
            return Err(crate::Error::invalid_param(
                "num_perm",
                format!("must be between 1 and {MAX_NUM_PERM}"),
            ));
        }
        Ok(())
    }
}

impl Default for CompareOptions {
    fn default() -> Self {
        CompareOptions {
            shingle_size: DEFAULT_SHINGLE_SIZE,
            num_perm: DEFAULT_NUM_PERM,
            seed: 0,
            thresholds: Thresholds::default(),
            min_run_words: runs::DEFAULT_MIN_RUN_WORDS,
            max_changed_words: DEFAULT_MAX_CHANGED_WORDS,
        }
    }
}

/// The default of [`CompareOptions::max_changed_words`] (chosen on the
/// tuning part of the generated reuse evaluation, `benches/reuse/README.md`).
pub const DEFAULT_MAX_CHANGED_WORDS: usize = 3;

/// An article made ready for comparison: segmented, shingled, sketched and
/// scanned for quotes. Preparing once and comparing many times (one source
/// against many outlets) saves redoing that work for the shared side.
#[derive(Clone, Debug)]
pub struct Prepared<'a> {
    article: &'a Article,
    seg: Segmented,
    shingles: sketch::ShingleSet,
    signature: sketch::Signature,
    quotes: quotes::QuoteScan,
}

/// Prepares an article for [`compare_prepared`] with these options.
pub fn prepare<'a>(article: &'a Article, opts: &CompareOptions) -> Prepared<'a> {
    let seg = Segmented::new(&article.text);
    let quotes = quotes::extract_in(&article.text, &seg.paragraphs);
    prepared_from(article, seg, quotes, opts)
}

/// An article prepared from its segmentation and quotes.
fn prepared_from<'a>(
    article: &'a Article,
    seg: Segmented,
    quotes: quotes::QuoteScan,
    opts: &CompareOptions,
) -> Prepared<'a> {
    let shingles = sketch::shingle_set_from_words(&seg.words, opts.shingle_size);
    let signature = MinHasher::new(opts.num_perm, opts.seed).sketch(&shingles);
    Prepared {
        article,
        shingles,
        signature,
        quotes,
        seg,
    }
}

/// Compares article A with article B.
pub fn compare(a: &Article, b: &Article, opts: &CompareOptions) -> Comparison {
    compare_prepared(&prepare(a, opts), &prepare(b, opts), opts)
}

/// Compares two prepared articles; both must have been prepared with the
/// same `opts`. The result is the same as [`compare`] on the articles.
pub fn compare_prepared(pa: &Prepared, pb: &Prepared, opts: &CompareOptions) -> Comparison {
    let (a, b) = (pa.article, pb.article);
    let (ga, gb) = (&pa.seg, &pb.seg);
    let (sa, sb) = (&pa.shingles, &pb.shingles);
    let minhash_jaccard = pa
        .signature
        .jaccard(&pb.signature)
        .expect("both signatures come from one hasher");

    // Alignment.
    let alignment = align::align(ga, gb);

    // Copied runs, wherever they lie.
    let found_runs = if opts.min_run_words == 0 {
        runs::Runs::default()
    } else {
        let keys = |seg: &Segmented| seg.words.iter().map(|w| w.key).collect::<Vec<u64>>();
        runs::shared_runs(
            &keys(ga),
            &keys(gb),
            opts.min_run_words,
            runs::run_budget(ga.words.len(), gb.words.len()),
        )
    };
    let copied = copied_runs(ga, gb, &alignment, &found_runs.runs, opts.min_run_words);

    // Quotes.
    let (qa, qb) = (&pa.quotes, &pb.quotes);
    let (quote_matches, quotes_limited) = quotes::pair_quotes_in(
        (&a.text, Some(&ga.words)),
        &qa.quotes,
        (&b.text, Some(&gb.words)),
        &qb.quotes,
    );

    // Passages, with word diffs for aligned pairs.
    let mut passages = Vec::new();
    for p in &alignment.pairs {
        let (wa, wb) = (ga.words_of(&p.a), gb.words_of(&p.b));
        let (sa, sb) = (ga.span_of(&p.a), gb.span_of(&p.b));
        // Identical words need no diff: one equal run.
        let diff = if p.identical {
            WordDiff {
                edits: vec![WordEdit {
                    op: EditOp::Equal,
                    a: Span::new(wa[0].span.start, wa[wa.len() - 1].span.end),
                    b: Span::new(wb[0].span.start, wb[wb.len() - 1].span.end),
                }],
                equal: wa.len(),
                a_words: wa.len(),
                b_words: wb.len(),
                coarse: false,
            }
        } else {
            word_diff(wa, wb)
        };
        let kind = match (p.moved, diff.has_changes()) {
            (true, _) => PassageKind::Moved,
            (false, false) => PassageKind::Unchanged,
            (false, true) => PassageKind::Reworded,
        };
        passages.push(Passage {
            kind,
            a: Some(sa),
            b: Some(sb),
            score: round(diff.similarity()),
            edits: if kind == PassageKind::Unchanged {
                Vec::new()
            } else {
                diff.edits
            },
            a_version: None,
        });
    }
    for &i in &alignment.dropped {
        passages.push(lone(PassageKind::Dropped, Some(ga.sentences[i]), None));
    }
    passages.sort_by_key(|p| p.a.map(|s| s.start));
    for &j in &alignment.added {
        passages.push(lone(PassageKind::Added, None, Some(gb.sentences[j])));
    }

    let facts = find_facts(
        &facts::Doc::new(&a.text, &ga.words),
        &facts::Doc::new(&b.text, &gb.words),
        &passages,
        &quote_matches,
        &qa.quotes,
        &qb.quotes,
    );

    let mut warnings = Vec::new();
    for (side, scan) in [(SideName::A, &qa), (SideName::B, &qb)] {
        for (offset, message) in &scan.unbalanced {
            warnings.push(Warning {
                side,
                offset: *offset,
                message: message.clone(),
            });
        }
    }
    limit_warnings(
        (ga, gb),
        alignment.limited,
        quotes_limited,
        found_runs.limited,
        &mut warnings,
    );

    let aligned_words = |seg: &Segmented, on_a: bool| -> usize {
        alignment
            .pairs
            .iter()
            .map(|p| seg.words_of(if on_a { &p.a } else { &p.b }).len())
            .sum()
    };
    let (wa, wb) = (aligned_words(ga, true), aligned_words(gb, false));
    let share = |n: usize, seg: &Segmented| {
        if seg.words.is_empty() {
            0.0
        } else {
            n as f64 / seg.words.len() as f64
        }
    };
    let (jaccard, a_in_b, b_in_a) = sketch::set_measures(sa, sb);
    let mut similarity = Similarity {
        shingle_size: opts.shingle_size,
        num_perm: opts.num_perm.clamp(1, MAX_NUM_PERM),
        jaccard: round(jaccard),
        minhash_jaccard: round(minhash_jaccard),
        containment_a_in_b: round(a_in_b),
        containment_b_in_a: round(b_in_a),
        aligned_a: round(share(wa, ga)),
        aligned_b: round(share(wb, gb)),
        verdict: Verdict::Unrelated,
    };
    similarity.verdict = verdict(&similarity, wa.min(wb), &opts.thresholds);

    let summary = summarise(&passages, &quote_matches, &facts);
    Comparison {
        schema: COMPARE_SCHEMA.to_string(),
        a: side(
            a,
            label_spans(
                &a.text,
                ga,
                &passages,
                &copied,
                opts.max_changed_words,
                true,
            ),
        ),
        b: side(
            b,
            label_spans(
                &b.text,
                gb,
                &passages,
                &copied,
                opts.max_changed_words,
                false,
            ),
        ),
        similarity,
        summary,
        passages,
        runs: copied,
        quotes: quote_matches,
        facts,
        warnings,
    }
}

/// Warnings for the places where the work was bounded and the answer is
/// coarser than usual: sentences cut into units, sentence or quote pairs
/// left uncompared, word diffs that fell back to coarser edits. Each is
/// given for both sides (at the start of the first place it concerns),
/// so that the swapped comparison warns alike.
fn limit_warnings(
    (ga, gb): (&Segmented, &Segmented),
    alignment_limited: bool,
    quotes_limited: bool,
    runs_limited: bool,
    warnings: &mut Vec<Warning>,
) {
    for (side, seg) in [(SideName::A, ga), (SideName::B, gb)] {
        if let Some(&first) = seg.cut_sentences.first() {
            warnings.push(Warning {
                side,
                offset: first,
                message: format!(
                    "{} sentence(s) longer than {} words cut into shorter units for alignment",
                    seg.cut_sentences.len(),
                    crate::text::MAX_SENTENCE_WORDS
                ),
            });
        }
    }
    let mut both = |message: &str| {
        for side in [SideName::A, SideName::B] {
            warnings.push(Warning {
                side,
                offset: 0,
                message: message.to_string(),
            });
        }
    };
    if alignment_limited {
        both(
            "the articles are too long to compare every pair of sentences: \
             sentences sharing only very common words were not compared",
        );
    }
    if runs_limited {
        both(
            "the articles repeat too many word sequences to look for every copied run: \
             runs made only of very frequent sequences were not looked for",
        );
    }
    if quotes_limited {
        both(
            "too many quotes to compare every pair: \
             quotes sharing only very common words were not compared",
        );
    }
}

/// Scores are rounded to four decimals so output is stable and readable.
fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn lone(kind: PassageKind, a: Option<Span>, b: Option<Span>) -> Passage {
    Passage {
        kind,
        a,
        b,
        score: 0.0,
        edits: Vec::new(),
        a_version: None,
    }
}

fn side(article: &Article, spans: Vec<LabeledSpan>) -> Side {
    Side {
        id: article.id.clone(),
        outlet: article.outlet.clone(),
        url: article.url.clone(),
        date: article.date.clone(),
        title: article.title.clone(),
        source: article.source.clone(),
        text: article.text.clone(),
        spans,
        versions: Vec::new(),
    }
}

/// The quotes of one article, for asking whether a span lies inside one
/// of them in logarithmic time: quote spans sorted by start, with the
/// furthest end reached by each prefix (quotes may nest).
struct QuoteCover {
    starts: Vec<usize>,
    furthest_end: Vec<usize>,
}

impl QuoteCover {
    fn new(quotes: &[Quote]) -> QuoteCover {
        let mut spans: Vec<Span> = quotes.iter().map(|q| q.span).collect();
        spans.sort_unstable();
        let mut furthest = 0;
        let furthest_end = spans
            .iter()
            .map(|s| {
                furthest = furthest.max(s.end);
                furthest
            })
            .collect();
        QuoteCover {
            starts: spans.iter().map(|s| s.start).collect(),
            furthest_end,
        }
    }

    /// Whether a quote holds all of the non-empty span `s`.
    fn within(&self, s: Span) -> bool {
        // The quotes that start at or before `s`; one of them holds `s`
        // when the furthest end among them reaches past it.
        let n = self.starts.partition_point(|&start| start <= s.start);
        !s.is_empty() && n > 0 && self.furthest_end[n - 1] >= s.end
    }
}

/// Facts from altered quotes first (every change there matters), then from
/// reworded and moved passages, skipping what a quote already reported.
fn find_facts(
    a: &facts::Doc,
    b: &facts::Doc,
    passages: &[Passage],
    quote_matches: &[QuoteMatch],
    qa: &[Quote],
    qb: &[Quote],
) -> Vec<Fact> {
    let mut found = facts::Findings::default();
    for m in quote_matches {
        let (Some(x), Some(y)) = (&m.a, &m.b) else {
            continue;
        };
        if m.edits.iter().all(|e| e.op == EditOp::Equal) {
            continue;
        }
        let (sa, sb) = (Span::new(x.start, x.end), Span::new(y.start, y.end));
        facts::list_facts(a, sa, b, sb, true, &mut found);
        // Words that only the longer quote has before or after the shared
        // part are context, not changes of what was quoted.
        let edits = match m.status {
            QuoteStatus::Altered | QuoteStatus::Partial => core_edits(&m.edits),
            _ => &m.edits[..],
        };
        facts::facts_from_edits(a, b, (sa, sb), edits, &|_, _| true, true, &mut found);
    }
    let (cover_a, cover_b) = (QuoteCover::new(qa), QuoteCover::new(qb));
    let in_quote = |sa: Span, sb: Span| cover_a.within(sa) || cover_b.within(sb);
    for p in passages {
        if !matches!(p.kind, PassageKind::Reworded | PassageKind::Moved) {
            continue;
        }
        let (Some(sa), Some(sb)) = (p.a, p.b) else {
            continue;
        };
        facts::list_facts(a, sa, b, sb, false, &mut found);
        facts::facts_from_edits(a, b, (sa, sb), &p.edits, &in_quote, false, &mut found);
    }
    let mut out = found.facts;
    // Most severe first; among equals numbers and dates before names, list
    // items and wording; then in reading order.
    out.sort_by_key(|f| {
        (
            f.severity,
            f.kind,
            f.a.as_ref().map(|v| v.start).unwrap_or(usize::MAX),
            f.b.as_ref().map(|v| v.start).unwrap_or(usize::MAX),
        )
    });
    out
}

/// The edits from the first to the last run that both sides take part in
/// (equal or replaced words), without the one-sided runs at either end.
pub fn core_edits(edits: &[WordEdit]) -> &[WordEdit] {
    let two_sided = |e: &WordEdit| matches!(e.op, EditOp::Equal | EditOp::Replace);
    match (
        edits.iter().position(two_sided),
        edits.iter().rposition(two_sided),
    ) {
        (Some(i), Some(j)) => &edits[i..=j],
        _ => edits,
    }
}

/// The runs as reported, each marked aligned when the alignment shows it:
/// its words lie in aligned pairs of passages together with their
/// counterparts, but for stretches shorter than `min_run` words (a run
/// that goes on by a word or two across a sentence end).
fn copied_runs(
    ga: &Segmented,
    gb: &Segmented,
    alignment: &align::Alignment,
    found: &[runs::WordRun],
    min_run: usize,
) -> Vec<Run> {
    // The aligned pair each word belongs to, if any.
    let pair_of = |seg: &Segmented, on_a: bool| -> Vec<usize> {
        let mut of = vec![usize::MAX; seg.words.len()];
        for (n, p) in alignment.pairs.iter().enumerate() {
            let r = if on_a { &p.a } else { &p.b };
            if r.is_empty() {
                continue;
            }
            let words = seg.sentence_words[r.start].start..seg.sentence_words[r.end - 1].end;
            of[words].fill(n);
        }
        of
    };
    let (pa, pb) = (pair_of(ga, true), pair_of(gb, false));
    let span = |seg: &Segmented, r: &std::ops::Range<usize>| {
        Span::new(seg.words[r.start].span.start, seg.words[r.end - 1].span.end)
    };
    found
        .iter()
        .map(|r| {
            // The longest stretch of words whose counterpart is not the
            // word's aligned partner.
            let (mut stretch, mut longest) = (0, 0);
            for (i, j) in r.a.clone().zip(r.b.clone()) {
                if pa[i] != usize::MAX && pa[i] == pb[j] {
                    stretch = 0;
                } else {
                    stretch += 1;
                    longest = longest.max(stretch);
                }
            }
            Run {
                a: span(ga, &r.a),
                b: span(gb, &r.b),
                words: r.a.len(),
                aligned: longest < min_run.max(1),
                a_version: None,
            }
        })
        .collect()
}

/// Labels every byte of one side: unchanged words and the text between
/// them `same`, differing words of aligned passages `changed` (a stretch
/// of more than `max_changed` of them, when `max_changed` is not 0, is
/// text the other side does not have: `dropped` or `added`), unaligned
/// sentences `dropped` (A) or `added` (B); then every copied run (words
/// and the text between them) `same`, wherever it lies. The gap between
/// two unaligned sentences takes their label, so a dropped paragraph
/// reads as one block.
fn label_spans(
    text: &str,
    seg: &Segmented,
    passages: &[Passage],
    runs: &[Run],
    max_changed: usize,
    on_a: bool,
) -> Vec<LabeledSpan> {
    let mut labels = vec![SpanLabel::Same; text.len()];
    let lone_label = if on_a {
        SpanLabel::Dropped
    } else {
        SpanLabel::Added
    };
    let mut fill = |s: Span, l: SpanLabel| labels[s.start..s.end].fill(l);
    for p in passages {
        let span = if on_a { p.a } else { p.b };
        let Some(span) = span else { continue };
        match p.kind {
            PassageKind::Dropped | PassageKind::Added => fill(span, lone_label),
            _ => {
                for e in p.edits.iter().filter(|e| e.op != EditOp::Equal) {
                    let s = if on_a { e.a } else { e.b };
                    let words = seg.words.partition_point(|w| w.span.start < s.end)
                        - seg.words.partition_point(|w| w.span.start < s.start);
                    let label = if max_changed > 0 && words > max_changed {
                        lone_label
                    } else {
                        SpanLabel::Changed
                    };
                    fill(s, label);
                }
            }
        }
    }
    for r in runs {
        fill(if on_a { r.a } else { r.b }, SpanLabel::Same);
    }
    // Gaps between two lone sentences join them.
    for w in seg.sentences.windows(2) {
        let (x, y) = (w[0], w[1]);
        if x.end < y.start && labels[x.end - 1] == lone_label && labels[y.start] == lone_label {
            labels[x.end..y.start].fill(lone_label);
        }
    }
    let mut out: Vec<LabeledSpan> = Vec::new();
    let mut start = 0;
    while start < labels.len() {
        let label = labels[start];
        let end = labels[start..]
            .iter()
            .position(|&l| l != label)
            .map_or(labels.len(), |n| start + n);
        out.push(LabeledSpan { start, end, label });
        start = end;
    }
    out
}

fn summarise(passages: &[Passage], quotes: &[QuoteMatch], facts: &[Fact]) -> Summary {
    let mut s = Summary::default();
    for p in passages {
        match p.kind {
            PassageKind::Unchanged => s.unchanged += 1,
            PassageKind::Reworded => s.reworded += 1,
            PassageKind::Moved => s.moved += 1,
            PassageKind::Added => s.added += 1,
            PassageKind::Dropped => s.dropped += 1,
        }
    }
    for q in quotes {
        match q.status {
            QuoteStatus::Altered | QuoteStatus::Partial | QuoteStatus::SpeakerChanged => {
                s.quotes_altered += 1
            }
            QuoteStatus::Verbatim => s.quotes_verbatim += 1,
            QuoteStatus::OnlyA => s.quotes_only_a += 1,
            QuoteStatus::OnlyB => s.quotes_only_b += 1,
        }
    }
    s.facts_high = facts
        .iter()
        .filter(|f| f.severity == Severity::High)
        .count();
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_cover_agrees_with_a_scan_of_every_quote() {
        // Nested and disjoint quotes; every span over the first 40 bytes.
        let quote = |start, end| Quote {
            span: Span::new(start, end),
            outer: Span::new(start.saturating_sub(1), end + 1),
            speaker: None,
            description: None,
            short: false,
        };
        let quotes = [
            quote(20, 24),
            quote(2, 15),
            quote(4, 8),
            quote(30, 31),
            quote(21, 22),
        ];
        let cover = QuoteCover::new(&quotes);
        for start in 0..40 {
            for end in start..40 {
                let s = Span::new(start, end);
                let scan = !s.is_empty()
                    && quotes
                        .iter()
                        .any(|q| q.span.start <= s.start && s.end <= q.span.end);
                assert_eq!(cover.within(s), scan, "{s:?}");
            }
        }
    }

    pub(super) fn label_at(c: &Comparison, on_b: bool, needle: &str) -> SpanLabel {
        let side = if on_b { &c.b } else { &c.a };
        let at = side.text.find(needle).expect("needle in text");
        let s = side.spans.iter().find(|s| s.start <= at && at < s.end);
        s.expect("spans cover the text").label
    }

    #[test]
    fn a_clause_copied_into_a_new_sentence_is_same_and_points_into_a() {
        let a = crate::parse_plain_text(
            "The council approved the budget on Monday. Officials said the harbour \
             wall would be rebuilt before the winter storms arrive, using granite \
             blocks from the quarry at Penmor and steel piles shipped from the \
             mainland by the regional transport authority.",
            "a",
        );
        let b = crate::parse_plain_text(
            "The council approved the budget on Monday. Fishermen, who lost boats \
             and nets last year, hope the harbour wall would be rebuilt before the \
             winter storms arrive.",
            "b",
        );
        let c = compare(&a, &b, &CompareOptions::default());
        let run = c
            .runs
            .iter()
            .find(|r| !r.aligned)
            .expect("a run the alignment does not show");
        assert_eq!(
            run.b.slice(&b.text),
            "the harbour wall would be rebuilt before the winter storms arrive"
        );
        assert_eq!(run.a.slice(&a.text), run.b.slice(&b.text));
        assert_eq!(run.words, 11);
        assert_eq!(label_at(&c, true, "wall would"), SpanLabel::Same);
        assert_eq!(label_at(&c, true, "Fishermen"), SpanLabel::Added);
        // Without runs the clause is not `same`.
        let none = CompareOptions {
            min_run_words: 0,
            ..CompareOptions::default()
        };
        let c0 = compare(&a, &b, &none);
        assert!(c0.runs.is_empty());
        assert_ne!(label_at(&c0, true, "wall would"), SpanLabel::Same);
        // Swapped: the same runs with the sides swapped.
        let ba = compare(&b, &a, &CompareOptions::default());
        let mut swapped: Vec<(Span, Span)> = ba.runs.iter().map(|r| (r.b, r.a)).collect();
        let mut runs: Vec<(Span, Span)> = c.runs.iter().map(|r| (r.a, r.b)).collect();
        swapped.sort_unstable();
        runs.sort_unstable();
        assert_eq!(swapped, runs);
    }

    #[test]
    fn an_article_with_itself_has_aligned_runs_only() {
        let t = "Storms hit the northern coast overnight, cutting power to homes.\n\n\
                 Ferries were cancelled across the bay. The mayor promised funds.";
        let a = crate::parse_plain_text(t, "a");
        let c = compare(&a, &a, &CompareOptions::default());
        assert!(!c.runs.is_empty());
        assert!(c.runs.iter().all(|r| r.aligned && r.a == r.b));
        assert!(c.b.spans.iter().all(|s| s.label == SpanLabel::Same));
    }

    #[test]
    fn long_insertions_in_aligned_passages_are_added() {
        let a = crate::parse_plain_text(
            "The harbour council approved a new budget for the fishing fleet on Monday.",
            "a",
        );
        let b = crate::parse_plain_text(
            "The harbour council approved a new budget, which critics say comes far too late, \
             for the fishing fleet on Friday.",
            "b",
        );
        let c = compare(&a, &b, &CompareOptions::default());
        assert_eq!(c.passages[0].kind, PassageKind::Reworded);
        assert_eq!(label_at(&c, true, "critics"), SpanLabel::Added);
        assert_eq!(label_at(&c, true, "Friday"), SpanLabel::Changed);
        let all_changed = CompareOptions {
            max_changed_words: 0,
            ..CompareOptions::default()
        };
        let c = compare(&a, &b, &all_changed);
        assert_eq!(label_at(&c, true, "critics"), SpanLabel::Changed);
    }

    #[test]
    fn wire_conventions_do_not_hide_copied_runs() {
        // Hard-wrapped lines, an indented paragraph, a company mark, TeX
        // quotes and a first word in capitals, against plain newspaper text.
        let a = crate::parse_plain_text(
            "AN ELDERLY man was taken to hospital after a fire at\n\
             the <Harbour Fuel Co> depot, ``we were lucky'', the fire\n\
             chief said.\n    Crews worked through the night to contain\n\
             the blaze near the container terminal.",
            "a",
        );
        let b = crate::parse_plain_text(
            "Residents said an elderly man was taken to hospital after a fire at the \
             Harbour Fuel Co depot. \"We were lucky,\" the fire chief said. Crews \
             worked through the night to contain the blaze near the container terminal.",
            "b",
        );
        let c = compare(&a, &b, &CompareOptions::default());
        for needle in [
            "elderly man",
            "Fuel Co depot",
            "worked through",
            "container terminal",
        ] {
            assert_eq!(label_at(&c, true, needle), SpanLabel::Same, "{needle}");
        }
    }

    #[test]
    fn repetitive_input_bounds_the_run_search_and_says_so() {
        // 50,000 times the same word: every pair of places matches.
        let t = "again ".repeat(50_000);
        let a = crate::parse_plain_text(&t, "a");
        let c = compare(&a, &a, &CompareOptions::default());
        assert!(c.runs.is_empty());
        let warned = |side| {
            c.warnings
                .iter()
                .any(|w| w.side == side && w.message.contains("copied run"))
        };
        assert!(warned(SideName::A) && warned(SideName::B));
        // The alignment still shows it all the same.
        assert!(c.b.spans.iter().all(|s| s.label == SpanLabel::Same));
    }

    #[test]
    fn signature_length_out_of_range_cannot_abort() {
        let a = crate::parse_plain_text("The council approved the budget on Monday.", "a");
        let b = crate::parse_plain_text("The council approved the budget on Tuesday.", "b");
        let opts = CompareOptions {
            num_perm: usize::MAX,
            ..CompareOptions::default()
        };
        assert!(opts.validate().is_err());
        let c = compare(&a, &b, &opts);
        assert_eq!(c.similarity.num_perm, MAX_NUM_PERM);
    }
}
