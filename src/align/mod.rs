//! Alignment of the sentences of two articles, including sentences that
//! moved, were split in two or merged.
//!
//! Sentences are compared on their content words (stop words dropped, a
//! light suffix stripping, each word weighted by how rare it is across both
//! articles). Identical sentences pair first; then candidate pairs of one
//! sentence with one sentence, or one sentence with two adjacent sentences
//! of the other side (a split or a merge), are accepted greedily from the
//! best score down. The pairs that keep their relative order (the heaviest
//! increasing chain) are in place; the others moved.

mod candidates;
pub mod runs;

pub(crate) use candidates::candidate_pairs;

use std::ops::Range;

use crate::text::{self, KeyMap, Span, Word};

/// Minimum weighted overlap for two passages to count as the same passage.
pub const MIN_SCORE: f64 = 0.3;

/// An article split into sentences and words.
#[derive(Clone, Debug)]
pub struct Segmented {
    /// Sentence spans, in order.
    pub sentences: Vec<Span>,
    /// All words, in order.
    pub words: Vec<Word>,
    /// For each sentence, the range of its words in `words`.
    pub sentence_words: Vec<Range<usize>>,
    /// For each sentence, the index of its paragraph.
    pub sentence_paragraph: Vec<usize>,
    /// Paragraph spans, in order.
    pub paragraphs: Vec<Span>,
    /// Starts of the sentences longer than [`text::MAX_SENTENCE_WORDS`]
    /// words, which were cut into units of at most that many.
    pub cut_sentences: Vec<usize>,
}

impl Segmented {
    /// Segments a text.
    pub fn new(text: &str) -> Segmented {
        let words = text::words(text);
        let mut sentences = Vec::new();
        let mut sentence_paragraph = Vec::new();
        let paragraphs = text::paragraphs(text);
        let mut p = 0;
        let (units, cut_sentences) = text::sentences_cut(text, &paragraphs);
        for s in units {
            while p + 1 < paragraphs.len() && paragraphs[p].end < s.start {
                p += 1;
            }
            sentences.push(s);
            sentence_paragraph.push(p);
        }
        let mut sentence_words = Vec::with_capacity(sentences.len());
        let mut w = 0;
        for s in &sentences {
            while w < words.len() && words[w].span.start < s.start {
                w += 1;
            }
            let first = w;
            while w < words.len() && words[w].span.end <= s.end {
                w += 1;
            }
            sentence_words.push(first..w);
        }
        Segmented {
            sentences,
            words,
            sentence_words,
            sentence_paragraph,
            paragraphs,
            cut_sentences,
        }
    }

    /// Segments a text made of several parts (the versions of one story,
    /// one after the other): each part on its own, as [`Segmented::new`]
    /// would segment it alone, with offsets into the whole `text`. The
    /// parts must be ranges of `text` in order, without overlap; what lies
    /// between them has no words, sentences or paragraphs.
    pub fn in_parts(text: &str, parts: &[Span]) -> Segmented {
        let mut out = Segmented {
            sentences: Vec::new(),
            words: Vec::new(),
            sentence_words: Vec::new(),
            sentence_paragraph: Vec::new(),
            paragraphs: Vec::new(),
            cut_sentences: Vec::new(),
        };
        for part in parts {
            let one = Segmented::new(part.slice(text));
            let at = |s: Span| Span::new(s.start + part.start, s.end + part.start);
            let (w0, p0) = (out.words.len(), out.paragraphs.len());
            out.sentences.extend(one.sentences.iter().map(|&s| at(s)));
            out.words.extend(one.words.into_iter().map(|mut w| {
                w.span = at(w.span);
                w
            }));
            out.sentence_words
                .extend(one.sentence_words.iter().map(|r| r.start + w0..r.end + w0));
            out.sentence_paragraph
                .extend(one.sentence_paragraph.iter().map(|p| p + p0));
            out.paragraphs.extend(one.paragraphs.iter().map(|&s| at(s)));
            out.cut_sentences
                .extend(one.cut_sentences.iter().map(|c| c + part.start));
        }
        out
    }

    /// The words of sentences `range`.
    pub fn words_of(&self, range: &Range<usize>) -> &[Word] {
        if range.is_empty() {
            return &[];
        }
        let first = self.sentence_words[range.start].start;
        let last = self.sentence_words[range.end - 1].end;
        &self.words[first..last]
    }

    /// The byte span of sentences `range`.
    pub fn span_of(&self, range: &Range<usize>) -> Span {
        Span::new(
            self.sentences[range.start].start,
            self.sentences[range.end - 1].end,
        )
    }
}

/// One aligned pair: sentences `a` of A with sentences `b` of B.
#[derive(Clone, Debug, PartialEq)]
pub struct Pair {
    /// Sentence indices in A.
    pub a: Range<usize>,
    /// Sentence indices in B.
    pub b: Range<usize>,
    /// Weighted content-word overlap in [0, 1].
    pub score: f64,
    /// True when the normalised words are identical.
    pub identical: bool,
    /// True when the pair is out of order relative to the other pairs.
    pub moved: bool,
}

/// The alignment of two segmented articles.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Alignment {
    /// Aligned pairs, in order of A.
    pub pairs: Vec<Pair>,
    /// Sentences of A aligned to nothing.
    pub dropped: Vec<usize>,
    /// Sentences of B aligned to nothing.
    pub added: Vec<usize>,
    /// True when the articles were too long to compare every pair of
    /// sentences that share a content word: pairs that share only words
    /// found in very many sentences were not compared (see [`align`]).
    pub limited: bool,
}

/// The matching key of a word: its normalised form with a light suffix
/// stripping, so that `upgrade` and `upgrading` meet. Stop words give None.
fn content_key(norm: &str) -> Option<u64> {
    if text::is_stop_word(norm) {
        return None;
    }
    let mut w = norm.strip_suffix("'s").unwrap_or(norm);
    for suffix in ["ing", "ed", "es", "ly", "s", "e"] {
        if w.len() > suffix.len() + 3
            && let Some(stem) = w.strip_suffix(suffix)
        {
            w = stem;
            break;
        }
    }
    Some(crate::text::word_key(w.as_bytes()))
}

/// Content keys of each sentence, as sorted sets.
fn sentence_keys(seg: &Segmented) -> Vec<Vec<u64>> {
    seg.sentence_words
        .iter()
        .map(|r| {
            let mut keys = Vec::with_capacity(r.len());
            keys.extend(
                seg.words[r.clone()]
                    .iter()
                    .filter_map(|w| content_key(&w.norm)),
            );
            keys.sort_unstable();
            keys.dedup();
            keys
        })
        .collect()
}

fn union(a: &[u64], b: &[u64]) -> Vec<u64> {
    let mut u: Vec<u64> = a.iter().chain(b).copied().collect();
    u.sort_unstable();
    u.dedup();
    u
}

/// A sorted key set with the rarity weight of each key and their sum.
struct Weighted {
    keys: Vec<u64>,
    weights: Vec<f64>,
    total: f64,
    /// A 256-bit filter of the keys (bit `key >> 56` set for each): two
    /// sets whose filters do not meet share no key.
    filter: [u64; 4],
}

impl Weighted {
    fn new(keys: Vec<u64>, weight: &KeyMap<f64>) -> Weighted {
        let weights: Vec<f64> = keys
            .iter()
            .map(|k| weight.get(k).copied().unwrap_or(1.0))
            .collect();
        let total = weights.iter().sum::<f64>();
        let mut filter = [0; 4];
        for k in &keys {
            let bit = (k >> 56) as usize;
            filter[bit >> 6] |= 1 << (bit & 63);
        }
        Weighted {
            keys,
            weights,
            total,
            filter,
        }
    }
}

/// Weighted Dice overlap of two key sets, and the number of shared keys.
fn overlap(a: &Weighted, b: &Weighted) -> (f64, usize) {
    if a.filter.iter().zip(&b.filter).all(|(x, y)| x & y == 0) {
        return (0.0, 0); // what the merge below gives for no shared key
    }
    let (ka, kb) = (&a.keys, &b.keys);
    let (mut i, mut j) = (0, 0);
    let (mut shared, mut n) = (0.0, 0);
    // A merge without data-dependent branches (which way it steps is a
    // coin toss for the branch predictor); adding 0.0 leaves the sum as
    // it is.
    while i < ka.len() && j < kb.len() {
        let (x, y) = (ka[i], kb[j]);
        let same = x == y;
        shared += if same { a.weights[i] } else { 0.0 };
        n += same as usize;
        i += (x <= y) as usize;
        j += (y <= x) as usize;
    }
    let total = a.total + b.total;
    if total == 0.0 {
        return (0.0, 0);
    }
    (2.0 * shared / total, n)
}

fn norms_equal(a: &[Word], b: &[Word]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.norm == y.norm)
}

struct Candidate {
    a: Range<usize>,
    b: Range<usize>,
    score: f64,
}

/// Aligns the sentences of A and B.
pub fn align(a: &Segmented, b: &Segmented) -> Alignment {
    let ka = sentence_keys(a);
    let kb = sentence_keys(b);
    // Rarity weights: a word found in few sentences says more.
    let mut df: KeyMap<usize> = KeyMap::default();
    for keys in ka.iter().chain(&kb) {
        for &k in keys {
            *df.entry(k).or_default() += 1;
        }
    }
    let n = (ka.len() + kb.len()) as f64;
    let weight: KeyMap<f64> = df
        .into_iter()
        .map(|(k, d)| (k, (1.0 + n / d as f64).ln()))
        .collect();
    let wa: Vec<Weighted> = ka.into_iter().map(|k| Weighted::new(k, &weight)).collect();
    let wb: Vec<Weighted> = kb.into_iter().map(|k| Weighted::new(k, &weight)).collect();

    let mut used_a = vec![false; a.sentences.len()];
    let mut used_b = vec![false; b.sentences.len()];
    let mut pairs: Vec<Pair> = Vec::new();

    // 1. Identical sentences (normalised words), first come first served.
    // Sentences keyed by a hash of their word keys; equal keys are checked.
    let sentence_hash = |seg: &Segmented, r: &Range<usize>| {
        seg.words[r.clone()]
            .iter()
            .fold(0x243f_6a88_85a3_08d3u64, |h, w| {
                (h.rotate_left(7) ^ w.key).wrapping_mul(0x9e37_79b9_7f4a_7c15)
            })
    };
    let same_words =
        |x: &[Word], y: &[Word]| x.len() == y.len() && x.iter().zip(y).all(|(p, q)| p.key == q.key);
    let mut by_words: KeyMap<Vec<usize>> = KeyMap::default();
    for (j, r) in b.sentence_words.iter().enumerate().rev() {
        if !r.is_empty() {
            by_words.entry(sentence_hash(b, r)).or_default().push(j);
        }
    }
    for (i, r) in a.sentence_words.iter().enumerate() {
        if r.is_empty() {
            continue;
        }
        let wa = &a.words[r.clone()];
        let found = by_words.get_mut(&sentence_hash(a, r)).and_then(|js| {
            let k = js
                .iter()
                .rposition(|&j| same_words(wa, &b.words[b.sentence_words[j].clone()]))?;
            Some(js.remove(k))
        });
        if let Some(j) = found {
            used_a[i] = true;
            used_b[j] = true;
            pairs.push(Pair {
                a: i..i + 1,
                b: j..j + 1,
                score: 1.0,
                identical: true,
                moved: false,
            });
        }
    }

    // 2. Candidates among the rest: 1:1, 1:2 (split) and 2:1 (merge).
    // Only pairs that share a content word can score above zero, so each
    // sentence of A meets the sentences of B found through its words.
    let keys: usize = wa.iter().chain(&wb).map(|w| w.keys.len()).sum();
    let budget = PAIR_BUDGET_MIN.max(PAIR_BUDGET_PER_KEY.saturating_mul(keys));
    let found = candidates::candidate_pairs(
        &unused_keys(&wa, &used_a),
        &unused_keys(&wb, &used_b),
        budget,
    );
    let mut cands: Vec<Candidate> = Vec::new();
    // For each sentence of A, the sentences of B it scores at least
    // MEMBER_MIN with, sorted by position, with those scores (every other
    // pair scores less, most of them zero).
    const MEMBER_MIN: f64 = 0.12;
    let mut rows: Vec<Vec<(usize, f64)>> = vec![Vec::new(); a.sentences.len()];
    for i in (0..a.sentences.len()).filter(|&i| !used_a[i]) {
        for j in found.of(i).filter(|&j| !used_b[j]) {
            let (s, shared) = overlap(&wa[i], &wb[j]);
            if s >= MEMBER_MIN {
                rows[i].push((j, s));
            }
            if s >= MIN_SCORE && shared >= 2 {
                cands.push(Candidate {
                    a: i..i + 1,
                    b: j..j + 1,
                    score: s,
                });
            }
        }
    }
    let score_in = |row: &[(usize, f64)], j: usize| {
        row.binary_search_by_key(&j, |&(j, _)| j)
            .map_or(0.0, |k| row[k].1)
    };
    // Splits: sentence i of A with sentences j and j + 1 of B.
    for (i, row) in rows.iter().enumerate() {
        for w in row.windows(2) {
            let ((j, sj), (j1, sj1)) = (w[0], w[1]);
            if j1 != j + 1 {
                continue;
            }
            let both = Weighted::new(union(&wb[j].keys, &wb[j + 1].keys), &weight);
            let (s, shared) = overlap(&wa[i], &both);
            if s >= MIN_SCORE && shared >= 3 && s > sj.max(sj1) {
                cands.push(Candidate {
                    a: i..i + 1,
                    b: j..j + 2,
                    score: s,
                });
            }
        }
    }
    // Merges: sentences i and i + 1 of A with sentence j of B.
    for i in 0..a.sentences.len().saturating_sub(1) {
        if used_a[i] || used_a[i + 1] {
            continue;
        }
        for &(j, sij) in &rows[i] {
            let si1j = score_in(&rows[i + 1], j);
            if si1j < MEMBER_MIN {
                continue;
            }
            let both = Weighted::new(union(&wa[i].keys, &wa[i + 1].keys), &weight);
            let (s, shared) = overlap(&both, &wb[j]);
            if s >= MIN_SCORE && shared >= 3 && s > sij.max(si1j) {
                cands.push(Candidate {
                    a: i..i + 2,
                    b: j..j + 1,
                    score: s,
                });
            }
        }
    }
    // Best first; ties by position, so the result never depends on the
    // order candidates were made in.
    cands.sort_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then(x.a.start.cmp(&y.a.start))
            .then(x.b.start.cmp(&y.b.start))
            .then(x.a.len().cmp(&y.a.len()))
            .then(x.b.len().cmp(&y.b.len()))
    });
    for c in cands {
        if c.a.clone().any(|i| used_a[i]) || c.b.clone().any(|j| used_b[j]) {
            continue;
        }
        c.a.clone().for_each(|i| used_a[i] = true);
        c.b.clone().for_each(|j| used_b[j] = true);
        let identical = norms_equal(a.words_of(&c.a), b.words_of(&c.b));
        pairs.push(Pair {
            a: c.a,
            b: c.b,
            score: if identical { 1.0 } else { c.score },
            identical,
            moved: false,
        });
    }

    pairs.sort_by_key(|p| (p.a.start, p.b.start));
    mark_moved(&mut pairs, a, b);
    // Sentences without words (a stray quotation mark) are not passages.
    Alignment {
        pairs,
        dropped: (0..a.sentences.len())
            .filter(|&i| !used_a[i] && !a.sentence_words[i].is_empty())
            .collect(),
        added: (0..b.sentences.len())
            .filter(|&j| !used_b[j] && !b.sentence_words[j].is_empty())
            .collect(),
        limited: found.limited,
    }
}

/// The most work the alignment spends scoring pairs of sentences (pairs
/// that share a content word, each costing its sentences' numbers of
/// keys; see [`candidates::sharing_pairs`]): at least this much...
const PAIR_BUDGET_MIN: usize = 16_000_000;
/// ... or this much per content word of both articles, whichever is more.
const PAIR_BUDGET_PER_KEY: usize = 64;

/// The key sets of the sentences not yet used (empty for the others).
fn unused_keys<'w>(w: &'w [Weighted], used: &[bool]) -> Vec<&'w [u64]> {
    w.iter()
        .zip(used)
        .map(|(w, &u)| if u { &[][..] } else { &w.keys[..] })
        .collect()
}

/// Marks as moved every pair outside the heaviest chain of pairs whose B
/// positions increase with their A positions (weight: words in the pair).
fn mark_moved(pairs: &mut [Pair], a: &Segmented, b: &Segmented) {
    // Weight: words times score, so identical pairs anchor before reworded
    // ones; between chains of equal weight, the one whose pairs moved the
    // least (in sentences) wins. Both are symmetric in A and B, so the
    // swapped comparison marks the same pairs.
    let weight: Vec<(u64, i64)> = pairs
        .iter()
        .map(|p| {
            let words = (a.words_of(&p.a).len() + b.words_of(&p.b).len() + 1) as f64;
            let w = (words * p.score * 1000.0).round() as u64 + 1;
            (w, -(p.a.start.abs_diff(p.b.start) as i64))
        })
        .collect();
    let b_ranges: Vec<Range<usize>> = pairs.iter().map(|p| p.b.clone()).collect();
    let in_chain = heaviest_chain(&b_ranges, &weight, b.sentences.len());
    for (p, keep) in pairs.iter_mut().zip(in_chain) {
        p.moved = !keep;
    }
}

/// Which pairs (given in A order by their B ranges, disjoint, within
/// `0..b_len`, and their weights) form the heaviest chain whose B ranges
/// increase too; on equal weight the chain ending earliest in A, and
/// within it, before each pair the first (in A order) of the equally heavy
/// chains.
fn heaviest_chain(b: &[Range<usize>], weight: &[(u64, i64)], b_len: usize) -> Vec<bool> {
    let n = b.len();
    if n == 0 {
        return Vec::new();
    }
    let add = |x: (u64, i64), y: (u64, i64)| (x.0 + y.0, x.1 + y.1);
    // best[i]: the heaviest chain ending with pair i; prev[i]: the pair
    // before it there. Pairs are disjoint on both sides, so pair k can
    // come before pair i exactly when k is earlier in A and ends in B
    // before i starts: a prefix maximum over B positions (a Fenwick
    // tree), filled in A order.
    let mut best = vec![(0u64, 0i64); n];
    let mut prev = vec![usize::MAX; n];
    let mut tree = ChainTree::new(b_len);
    for i in 0..n {
        best[i] = weight[i];
        if let Some((chain, k)) = tree.best_before(b[i].start) {
            best[i] = add(chain, weight[i]);
            prev[i] = k;
        }
        tree.insert(b[i].end, best[i], i);
    }
    chain_members(&best, &prev)
}

/// The pairs of the heaviest chain, given for each pair the weight of the
/// heaviest chain ending with it (`best`, non-empty) and the pair before it
/// there (`prev`, `usize::MAX` for none): of equally heavy chains, the one
/// ending earliest.
fn chain_members(best: &[(u64, i64)], prev: &[usize]) -> Vec<bool> {
    let mut end = 0;
    for i in 1..best.len() {
        if best[i] > best[end] {
            end = i;
        }
    }
    let mut in_chain = vec![false; best.len()];
    let mut k = end;
    loop {
        in_chain[k] = true;
        if prev[k] == usize::MAX {
            break;
        }
        k = prev[k];
    }
    in_chain
}

/// Prefix maxima of chain weights over positions in B: for each position
/// the heaviest chain ending there, and on equal weight the one whose last
/// pair comes first in A.
struct ChainTree {
    nodes: Vec<Option<((u64, i64), usize)>>,
}

impl ChainTree {
    fn new(len: usize) -> ChainTree {
        ChainTree {
            nodes: vec![None; len + 1],
        }
    }

    fn better(x: ((u64, i64), usize), y: ((u64, i64), usize)) -> bool {
        x.0 > y.0 || (x.0 == y.0 && x.1 < y.1)
    }

    /// Records a chain ending at B position `end` (one past its last
    /// sentence), of weight `chain`, whose last pair is `k`.
    fn insert(&mut self, end: usize, chain: (u64, i64), k: usize) {
        let mut p = end;
        while p < self.nodes.len() {
            match self.nodes[p] {
                Some(old) if !Self::better((chain, k), old) => {}
                _ => self.nodes[p] = Some((chain, k)),
            }
            p += p & p.wrapping_neg();
        }
    }

    /// The best chain recorded with an end at or before `start`.
    fn best_before(&self, start: usize) -> Option<((u64, i64), usize)> {
        let mut p = start;
        let mut found: Option<((u64, i64), usize)> = None;
        while p > 0 {
            if let Some(x) = self.nodes[p]
                && found.is_none_or(|f| Self::better(x, f))
            {
                found = Some(x);
            }
            p -= p & p.wrapping_neg();
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(a: &str, b: &str) -> Alignment {
        align(&Segmented::new(a), &Segmented::new(b))
    }

    #[test]
    fn identical_texts_align_fully() {
        let t = "The council met on Monday. It approved the budget.\n\nTaxes will rise.";
        let al = run(t, t);
        assert_eq!(al.pairs.len(), 3);
        assert!(al.pairs.iter().all(|p| p.identical && !p.moved));
        assert!(al.dropped.is_empty() && al.added.is_empty());
    }

    #[test]
    fn reworded_sentence_pairs() {
        let a = "The harbour council approved a new budget for the fishing fleet on Monday.";
        let b = "On Monday the harbour council passed a new fishing fleet budget.";
        let al = run(a, b);
        assert_eq!(al.pairs.len(), 1);
        assert!(!al.pairs[0].identical);
    }

    #[test]
    fn reordered_paragraphs_are_moved() {
        let a = "Storms hit the northern coast overnight.\n\nFerries were cancelled across the bay.\n\nThe mayor promised emergency funds for repairs.";
        let b = "The mayor promised emergency funds for repairs.\n\nStorms hit the northern coast overnight.\n\nFerries were cancelled across the bay.";
        let al = run(a, b);
        assert_eq!(al.pairs.len(), 3);
        let moved: Vec<bool> = al.pairs.iter().map(|p| p.moved).collect();
        assert_eq!(moved, [false, false, true]);
    }

    #[test]
    fn split_sentence_pairs_one_with_two() {
        let a = "The minister visited the flooded villages on Tuesday and promised new dikes along the river.";
        let b = "The minister visited the flooded villages on Tuesday. She promised new dikes along the river.";
        let al = run(a, b);
        assert_eq!(al.pairs.len(), 1);
        assert_eq!(al.pairs[0].b, 0..2);
        let al = run(b, a);
        assert_eq!(al.pairs[0].a, 0..2);
    }

    #[test]
    fn unrelated_sentences_stay_apart() {
        let a = "The striker signed a three-year contract with the club.";
        let b = "Farmers in the valley face a third year of drought.";
        let al = run(a, b);
        assert!(al.pairs.is_empty());
        assert_eq!((al.dropped.len(), al.added.len()), (1, 1));
    }

    /// The heaviest chain by trying every earlier pair (the definition).
    fn heaviest_chain_by_all_pairs(b: &[Range<usize>], weight: &[(u64, i64)]) -> Vec<bool> {
        let n = b.len();
        if n == 0 {
            return Vec::new();
        }
        let add = |x: (u64, i64), y: (u64, i64)| (x.0 + y.0, x.1 + y.1);
        let mut best = vec![(0u64, 0i64); n];
        let mut prev = vec![usize::MAX; n];
        for i in 0..n {
            best[i] = weight[i];
            for k in 0..i {
                if b[k].end <= b[i].start && add(best[k], weight[i]) > best[i] {
                    best[i] = add(best[k], weight[i]);
                    prev[i] = k;
                }
            }
        }
        chain_members(&best, &prev)
    }

    proptest::proptest! {
        #[test]
        fn heaviest_chain_agrees_with_all_pairs(
            spec in proptest::collection::vec((1usize..3, 1u64..6, -3i64..1), 0..40),
            seed in 0u64..1000,
        ) {
            // Disjoint B ranges of lengths 1-2, shuffled into an A order.
            let mut ranges = Vec::new();
            let mut at = 0;
            for &(len, _, _) in &spec {
                ranges.push(at..at + len);
                at += len + (seed as usize + at) % 2;
            }
            let mut order: Vec<usize> = (0..ranges.len()).collect();
            let mut x = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
            for i in (1..order.len()).rev() {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                order.swap(i, (x >> 33) as usize % (i + 1));
            }
            let b: Vec<Range<usize>> = order.iter().map(|&k| ranges[k].clone()).collect();
            // Few distinct weights, so that ties are common.
            let weight: Vec<(u64, i64)> = order.iter().map(|&k| (spec[k].1, spec[k].2)).collect();
            proptest::prop_assert_eq!(
                heaviest_chain(&b, &weight, at),
                heaviest_chain_by_all_pairs(&b, &weight)
            );
        }
    }

    #[test]
    fn long_articles_align_within_the_budget() {
        // 3,000 sentences a side that all share two common words: every
        // pair shares a word, 9 million pairs, over the budget; the rare
        // words still pair each sentence with its copy.
        let text = |tag: &str| -> String {
            (0..3000)
                .map(|i| format!("Council budget {tag} item{i} grows{i} quickly.\n\n"))
                .collect()
        };
        let (a, b) = (text("north"), text("south"));
        let al = run(&a, &b);
        assert!(al.limited);
        assert_eq!(al.pairs.len(), 3000);
        assert!(al.pairs.iter().all(|p| p.a == p.b && !p.moved));
        // Short articles are never limited.
        let al = run(&text("north")[..2000], &text("south")[..2000]);
        assert!(!al.limited);
    }
}
