//! Comparing two articles: similarity scores, aligned passages, quotes and
//! changed facts, gathered into one [`Comparison`].

pub(crate) mod model;
mod verdict;

pub use model::*;
pub use verdict::{Thresholds, verdict};

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

/// What joins two versions of a source in the side's text: a blank line.
pub const VERSION_SEPARATOR: &str = "\n\n";

/// Compares a source made of several versions of one story (a wire
/// story and its updates, in the order given) with article B.
///
/// Side A is the versions one after the other, [`VERSION_SEPARATOR`]
/// between two, each segmented and scanned for quotes on its own;
/// `a.versions` gives each version's id and range, and every run and
/// every passage with an A range names its version (`a_version`). B's
/// words copied from any version are `same`, and the A words that another
/// version gave B are `same` too: a sentence of A whose words all lie in
/// copied runs is not listed as dropped, since B has it (from the version
/// the alignment chose). Side A takes the id of the versions joined by
/// `+` and the first version's outlet, URL, date, headline and source.
///
/// With one version this is [`compare`]; with none, an error
/// (`InvalidParam` naming `versions`).
pub fn compare_versions(
    versions: &[Article],
    b: &Article,
    opts: &CompareOptions,
) -> crate::Result<Comparison> {
    let (joined, parts) = match versions {
        [] => {
            return Err(crate::Error::invalid_param(
                "versions",
                "must hold at least one article",
            ));
        }
        [one] => return Ok(compare(one, b, opts)),
        _ => join_versions(versions),
    };
    let seg = Segmented::in_parts(&joined.text, &parts);
    let mut scan = quotes::QuoteScan {
        quotes: Vec::new(),
        nested: Vec::new(),
        unbalanced: Vec::new(),
    };
    for part in &parts {
        let at = |s: Span| Span::new(s.start + part.start, s.end + part.start);
        let one = quotes::extract(part.slice(&joined.text));
        let shift = |q: Quote| Quote {
            span: at(q.span),
            outer: at(q.outer),
            ..q
        };
        scan.quotes.extend(one.quotes.into_iter().map(shift));
        scan.nested.extend(one.nested.into_iter().map(shift));
        scan.unbalanced
            .extend(one.unbalanced.into_iter().map(|(o, m)| (o + part.start, m)));
    }
    let pa = prepared_from(&joined, seg, scan, opts);
    let pb = prepare(b, opts);
    let mut c = compare_prepared(&pa, &pb, opts);
    c.a.versions = versions
        .iter()
        .zip(&parts)
        .map(|(v, part)| Version {
            id: v.id.clone(),
            date: v.date.clone(),
            title: v.title.clone(),
            start: part.start,
            end: part.end,
        })
        .collect();
    let version_of = |at: usize| parts.partition_point(|p| p.end <= at).min(parts.len() - 1);
    c.runs = split_runs_at_versions(
        &c.runs,
        (&pa.seg.words, &pb.seg.words),
        opts.min_run_words.max(1),
        &version_of,
    );
    // A dropped sentence that B has from another version is not dropped.
    let covered = merged_runs_in_a(&c.runs);
    let text = &c.a.text;
    c.passages.retain(|p| {
        p.kind != PassageKind::Dropped || !p.a.is_some_and(|s| within_runs(&covered, text, s))
    });
    for p in &mut c.passages {
        p.a_version = p.a.map(|s| version_of(s.start));
    }
    unmove_across_versions(&mut c.passages, parts.len());
    c.summary = summarise(&c.passages, &c.quotes, &c.facts);
    Ok(c)
}

/// Order only means something within one version: a pair of passages
/// is moved when it is out of order with another pair of the same
/// version, whatever pairs of other versions do. A moved passage in
/// order with every pair of its version becomes unchanged or reworded.
/// (Per version, pairs sorted by A; a pair is in order when its B start
/// is after every B start before it and before every one after it.)
fn unmove_across_versions(passages: &mut [Passage], versions: usize) {
    for v in 0..versions {
        let mut pairs: Vec<(usize, usize, usize)> = passages
            .iter()
            .enumerate()
            .filter_map(|(i, p)| match (p.a, p.b, p.a_version) {
                (Some(a), Some(b), Some(pv)) if pv == v => Some((a.start, b.start, i)),
                _ => None,
            })
            .collect();
        pairs.sort_unstable();
        let n = pairs.len();
        let mut suffix_min = vec![usize::MAX; n + 1];
        for k in (0..n).rev() {
            suffix_min[k] = suffix_min[k + 1].min(pairs[k].1);
        }
        let mut prefix_max = 0;
        for (k, &(_, b, i)) in pairs.iter().enumerate() {
            let in_order = b >= prefix_max && b <= suffix_min[k + 1];
            prefix_max = prefix_max.max(b);
            let p = &mut passages[i];
            if p.kind == PassageKind::Moved && in_order {
                if p.edits.iter().all(|e| e.op == EditOp::Equal) {
                    p.kind = PassageKind::Unchanged;
                    p.edits.clear();
                } else {
                    p.kind = PassageKind::Reworded;
                }
            }
        }
    }
}

/// The runs with each one that goes on from the end of one version into
/// the next cut in two there (B had the last words of one version right
/// before the first of the next), each piece naming its version. Pieces
/// shorter than the smallest run are left out of the list; their words
/// keep their labels.
fn split_runs_at_versions(
    runs: &[Run],
    (wa, wb): (&[crate::text::Word], &[crate::text::Word]),
    min: usize,
    version_of: &dyn Fn(usize) -> usize,
) -> Vec<Run> {
    let mut out = Vec::with_capacity(runs.len());
    for r in runs {
        let (first, last) = (version_of(r.a.start), version_of(r.a.end - 1));
        if first == last {
            out.push(Run {
                a_version: Some(first),
                ..r.clone()
            });
            continue;
        }
        let ia = wa.partition_point(|w| w.span.start < r.a.start);
        let ib = wb.partition_point(|w| w.span.start < r.b.start);
        let mut from = 0;
        for k in 1..=r.words {
            let v = version_of(wa[ia + from].span.start);
            if k < r.words && version_of(wa[ia + k].span.start) == v {
                continue;
            }
            if k - from >= min {
                out.push(Run {
                    a: Span::new(wa[ia + from].span.start, wa[ia + k - 1].span.end),
                    b: Span::new(wb[ib + from].span.start, wb[ib + k - 1].span.end),
                    words: k - from,
                    aligned: r.aligned,
                    a_version: Some(v),
                });
            }
            from = k;
        }
    }
    // In order of B, then of A, as runs always are.
    out.sort_by_key(|r| (r.b.start, r.a.start));
    out
}

/// The versions joined into one article, and each version's range of its
/// text.
fn join_versions(versions: &[Article]) -> (Article, Vec<Span>) {
    let first = &versions[0];
    let mut text = String::new();
    let mut parts = Vec::with_capacity(versions.len());
    for (i, v) in versions.iter().enumerate() {
        if i > 0 {
            text.push_str(VERSION_SEPARATOR);
        }
        let start = text.len();
        text.push_str(&v.text);
        parts.push(Span::new(start, text.len()));
    }
    let id = versions
        .iter()
        .map(|v| v.id.as_str())
        .collect::<Vec<_>>()
        .join("+");
    let joined = Article {
        id,
        text,
        ..first.clone()
    };
    (joined, parts)
}

/// The A ranges of `runs`, merged where they overlap, in order.
fn merged_runs_in_a(runs: &[Run]) -> Vec<Span> {
    let mut spans: Vec<Span> = runs.iter().map(|r| r.a).collect();
    spans.sort_unstable();
    let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        match merged.last_mut() {
            Some(m) if s.start <= m.end => m.end = m.end.max(s.end),
            _ => merged.push(s),
        }
    }
    merged
}

/// Whether one merged run covers the words of `span` of `text` (from its
/// first letter or digit to its last).
fn within_runs(merged: &[Span], text: &str, span: Span) -> bool {
    let t = span.slice(text);
    let Some(first) = t.find(char::is_alphanumeric) else {
        return false;
    };
    let last = t
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_alphanumeric())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let words = Span::new(span.start + first, span.start + last);
    let i = merged.partition_point(|m| m.start <= words.start);
    i > 0 && merged[i - 1].end >= words.end
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

    fn label_at(c: &Comparison, on_b: bool, needle: &str) -> SpanLabel {
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
    fn a_source_in_versions_gives_b_words_from_any_of_them() {
        let v1 = crate::parse_plain_text(
            "A ferry ran aground off the island of Skerra on Monday. \
             The operator said the ferry had been sailing at reduced speed in the fog.",
            "v1",
        );
        let v2 = crate::parse_plain_text(
            "All 212 people on board a ferry that ran aground off Skerra were taken off. \
             Three passengers were treated for minor injuries at the harbour.",
            "v2",
        );
        let b = crate::parse_plain_text(
            "All 212 people on board a ferry that ran aground off Skerra were taken off. \
             Three passengers were treated for minor injuries, and the operator said \
             the ferry had been sailing at reduced speed in the fog.",
            "b",
        );
        let opts = CompareOptions::default();
        let c = compare_versions(&[v1.clone(), v2.clone()], &b, &opts).unwrap();
        // Words of the update and of the first take alone are `same`.
        assert_eq!(label_at(&c, true, "212 people"), SpanLabel::Same);
        assert_eq!(label_at(&c, true, "reduced speed"), SpanLabel::Same);
        // The one B sentence draws on both versions: runs name each.
        let second = c.b.text.find("Three").unwrap();
        let versions: std::collections::BTreeSet<_> = c
            .runs
            .iter()
            .filter(|r| r.b.end > second)
            .map(|r| r.a_version)
            .collect();
        assert_eq!(versions, [Some(0), Some(1)].into_iter().collect());
        assert_eq!(c.a.versions.len(), 2);
        assert_eq!(c.a.id, "v1+v2");
        for (v, article) in c.a.versions.iter().zip([&v1, &v2]) {
            assert_eq!(&c.a.text[v.start..v.end], article.text);
        }
        // Against the update alone, the first take's words are not.
        let one = compare_versions(std::slice::from_ref(&v2), &b, &opts).unwrap();
        assert_eq!(one, compare(&v2, &b, &opts));
        assert_ne!(label_at(&one, true, "reduced speed"), SpanLabel::Same);
        assert!(one.a.versions.is_empty() && one.runs.iter().all(|r| r.a_version.is_none()));
        assert!(compare_versions(&[], &b, &opts).is_err());
    }

    #[test]
    fn a_run_across_two_versions_is_cut_where_they_meet() {
        let v1 = crate::parse_plain_text(
            "The council said the harbour wall will be rebuilt before winter.",
            "v1",
        );
        let v2 = crate::parse_plain_text(
            "Crews began work on the northern pier on Monday morning.",
            "v2",
        );
        let b = crate::parse_plain_text(
            "Officials said the harbour wall will be rebuilt before winter. \
             Crews began work on the northern pier on Monday morning.",
            "b",
        );
        let c = compare_versions(&[v1, v2], &b, &CompareOptions::default()).unwrap();
        let mut seen = Vec::new();
        for r in &c.runs {
            let v = &c.a.versions[r.a_version.unwrap()];
            assert!(v.start <= r.a.start && r.a.end <= v.end, "{r:?}");
            assert_eq!(
                crate::text::words(r.a.slice(&c.a.text)).len(),
                r.words,
                "{r:?}"
            );
            seen.push(r.a_version);
        }
        assert!(
            seen.contains(&Some(0)) && seen.contains(&Some(1)),
            "{:?}",
            c.runs
        );
        assert!(c.runs.windows(2).all(|w| w[0].b.start <= w[1].b.start));
    }

    #[test]
    fn versions_that_repeat_each_other_drop_nothing_b_has() {
        // An update that repeats the first take word for word, against a
        // copy of it: all of B is `same`, nothing is dropped or moved, and
        // every A word is `same` too.
        let t = "Storms hit the northern coast overnight, cutting power to homes.\n\n\
                 Ferries were cancelled across the bay. The mayor promised funds.";
        let a = crate::parse_plain_text(t, "a");
        let c = compare_versions(&[a.clone(), a.clone()], &a, &CompareOptions::default()).unwrap();
        assert!(c.b.spans.iter().all(|s| s.label == SpanLabel::Same));
        assert_eq!((c.summary.dropped, c.summary.moved), (0, 0));
        for s in &c.a.spans {
            let words = c.a.text[s.start..s.end].chars().any(char::is_alphanumeric);
            assert!(
                !words || s.label == SpanLabel::Same,
                "{:?}",
                &c.a.text[s.start..s.end]
            );
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
