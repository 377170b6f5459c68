//! Word-level diffs between two passages, with byte offsets into both
//! original texts.

use std::convert::Infallible;
use std::ops::Range;

use serde::{Deserialize, Serialize};
use similar::algorithms::{DiffHook, myers};

use crate::text::{Span, Word};

/// What a word edit does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EditOp {
    /// The words are the same on both sides.
    Equal,
    /// Words of A that B does not have.
    Delete,
    /// Words of B that A does not have.
    Insert,
    /// Words of A replaced by other words in B.
    Replace,
}

/// One run of a word diff. `a` and `b` are byte ranges into the original
/// texts; for an insert `a` is the empty range where the words would go in
/// A, and for a delete `b` is the empty range in B.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WordEdit {
    /// The kind of run.
    pub op: EditOp,
    /// The run's range in A.
    pub a: Span,
    /// The run's range in B.
    pub b: Span,
}

/// Collects the runs of a patience diff as (equal?, A range, B range),
/// joining everything between two equal runs into one change (a deletion,
/// an insertion or both: a replacement).
#[derive(Default)]
struct Runs {
    runs: Vec<(bool, Range<usize>, Range<usize>)>,
}

impl Runs {
    fn change(&mut self, a: Range<usize>, b: Range<usize>) {
        match self.runs.last_mut() {
            Some((false, ra, rb)) => {
                ra.end = ra.end.max(a.end);
                rb.end = rb.end.max(b.end);
                if ra.start == ra.end {
                    ra.start = a.start;
                }
                if rb.start == rb.end {
                    rb.start = b.start;
                }
            }
            _ => self.runs.push((false, a, b)),
        }
    }
}

impl DiffHook for Runs {
    type Error = Infallible;

    fn equal(&mut self, old: usize, new: usize, len: usize) -> Result<(), Self::Error> {
        match self.runs.last_mut() {
            Some((true, ra, rb)) if ra.end == old && rb.end == new => {
                ra.end += len;
                rb.end += len;
            }
            _ => self.runs.push((true, old..old + len, new..new + len)),
        }
        Ok(())
    }

    fn delete(&mut self, old: usize, old_len: usize, new: usize) -> Result<(), Self::Error> {
        self.change(old..old + old_len, new..new);
        Ok(())
    }

    fn insert(&mut self, old: usize, new: usize, new_len: usize) -> Result<(), Self::Error> {
        self.change(old..old, new..new + new_len);
        Ok(())
    }
}

/// Word diff of two word sequences (with spans into their own texts).
/// Matching compares normalised forms (a patience diff on the words' keys,
/// the same diff as `similar`'s patience algorithm); spans cover the
/// original words, from the first word of a run to the last. Everything between two runs of equal words is one
/// edit: a deletion, an insertion, or a replacement, which is what a reader
/// sees.
pub fn word_diff(a: &[Word], b: &[Word]) -> WordDiff {
    word_diff_limited(a, b, MAX_MYERS_WORDS)
}

/// [`word_diff`] with stretches of more than `max_myers` words (both
/// sides) diffed by anchors alone; `0` makes the diff O(n log n) whatever
/// the words (see [`patience_limited`]).
pub(crate) fn word_diff_limited(a: &[Word], b: &[Word], max_myers: usize) -> WordDiff {
    // Equal keys mean equal normalised forms (64-bit hashes of them).
    let an: Vec<u64> = a.iter().map(|w| w.key).collect();
    let bn: Vec<u64> = b.iter().map(|w| w.key).collect();
    let mut hook = Runs::default();
    let coarse = patience_limited(&mut hook, &an, &bn, max_myers);
    let range = |words: &[Word], r: &Range<usize>| -> Span {
        if r.is_empty() {
            // Empty range at the position where the run would stand.
            let at = if r.start < words.len() {
                words[r.start].span.start
            } else {
                words.last().map(|w| w.span.end).unwrap_or(0)
            };
            Span::new(at, at)
        } else {
            Span::new(words[r.start].span.start, words[r.end - 1].span.end)
        }
    };
    let mut equal = 0;
    let edits = hook
        .runs
        .iter()
        .map(|(same, ra, rb)| {
            let op = match (same, ra.is_empty(), rb.is_empty()) {
                (true, _, _) => {
                    equal += ra.len();
                    EditOp::Equal
                }
                (false, false, true) => EditOp::Delete,
                (false, true, false) => EditOp::Insert,
                _ => EditOp::Replace,
            };
            WordEdit {
                op,
                a: range(a, ra),
                b: range(b, rb),
            }
        })
        .collect();
    WordDiff {
        edits,
        equal,
        a_words: a.len(),
        b_words: b.len(),
        coarse,
    }
}

/// Counts the equal words of a diff.
#[derive(Default)]
pub(crate) struct EqualCount(pub usize);

impl DiffHook for EqualCount {
    type Error = Infallible;

    fn equal(&mut self, _old: usize, _new: usize, len: usize) -> Result<(), Self::Error> {
        self.0 += len;
        Ok(())
    }
}

/// The keys that occur exactly once in `keys`, with their positions,
/// sorted by key.
fn singletons(keys: &[u64]) -> Vec<(u64, usize)> {
    let mut sorted: Vec<(u64, usize)> = keys.iter().copied().zip(0..).collect();
    // The order among equal keys does not matter: those are dropped.
    sorted.sort_unstable_by_key(|&(k, _)| k);
    // Keep the runs of one, in place.
    let (mut i, mut kept) = (0, 0);
    while i < sorted.len() {
        let mut j = i + 1;
        while j < sorted.len() && sorted[j].0 == sorted[i].0 {
            j += 1;
        }
        if j == i + 1 {
            sorted[kept] = sorted[i];
            kept += 1;
        }
        i = j;
    }
    sorted.truncate(kept);
    sorted
}

/// Patience diff of two key sequences, reported to `d` (equal runs,
/// deletions and insertions, in order; `finish` is not called).
///
/// The keys that occur once in `a` and once in `b` are matched with a Myers
/// diff of those unique keys alone; the matches are anchors, and the
/// stretches between two anchors are diffed with Myers in turn. This is
/// the patience diff of `similar` (the same anchors and the same Myers
/// diffs, so the same result; a property test checks it), made cheaper
/// for word sequences:
///
/// * unique keys are found by sorting instead of hashing;
/// * when the keys found in both unique lists have only one longest chain
///   in the same order on both sides, that chain is the anchors, without a
///   Myers run: every common subsequence of two lists without repeated
///   keys is such a chain, and Myers finds a longest common subsequence,
///   so here the only one (most often all the matches, when no word
///   moved);
/// * a stretch whose sides are empty or share no key needs no Myers run
///   either: its diff is one deletion and one insertion.
///
/// The work is bounded for any input: stretches of more than
/// [`MAX_MYERS_WORDS`] words (both sides together), whose Myers diff could
/// cost the square of their length, are diffed by [`anchored`] instead,
/// and so are unique keys too many for Myers. Then the diff is still a
/// correct one (equal runs are equal words, everything is covered in
/// order) but need not keep the most words equal; the function returns
/// true. For passages of news text (sentences of at most
/// [`crate::text::MAX_SENTENCE_WORDS`] words) it never does.
#[cfg(test)]
pub(crate) fn patience<D: DiffHook<Error = Infallible>>(d: &mut D, a: &[u64], b: &[u64]) -> bool {
    patience_limited(d, a, b, MAX_MYERS_WORDS)
}

/// [`patience`] with stretches of more than `max_myers` words (both
/// sides together) diffed by [`anchored`] instead of Myers (at most
/// [`MAX_MYERS_WORDS`]).
pub(crate) fn patience_limited<D: DiffHook<Error = Infallible>>(
    d: &mut D,
    a: &[u64],
    b: &[u64],
    max_myers: usize,
) -> bool {
    let max_myers = max_myers.min(MAX_MYERS_WORDS);
    let (sa, sb) = (singletons(a), singletons(b));
    // Unique keys found on both sides, as (position in A, position in B).
    let mut matched = matched_singletons(&sa, &sb);
    matched.sort_unstable();
    let (mut at_a, mut at_b) = (0, 0);
    let mut coarse = false;
    let only = if matched.windows(2).all(|w| w[0].1 < w[1].1) {
        Some(std::mem::take(&mut matched)) // all of them
    } else if matched.len() <= MAX_CHAIN_PAIRS {
        only_longest_chain(&matched)
    } else {
        None
    };
    // Each stretch runs from one anchor (included: it starts the common
    // prefix) to the next.
    if let Some(chain) = only {
        for (to_a, to_b) in chain {
            coarse |= stretch(d, a, at_a..to_a, b, at_b..to_b, (0, max_myers));
            (at_a, at_b) = (to_a, to_b);
        }
    } else if sa.len() + sb.len() > max_myers {
        // Too many unique keys for Myers: one longest chain of them.
        coarse = true;
        for (to_a, to_b) in longest_chain(&matched) {
            stretch(d, a, at_a..to_a, b, at_b..to_b, (0, max_myers));
            (at_a, at_b) = (to_a, to_b);
        }
    } else {
        let in_order = |s: Vec<(u64, usize)>| {
            let mut s: Vec<(usize, u64)> = s.into_iter().map(|(k, p)| (p, k)).collect();
            s.sort_unstable();
            s
        };
        let (ua, ub) = (in_order(sa), in_order(sb));
        let ka: Vec<u64> = ua.iter().map(|u| u.1).collect();
        let kb: Vec<u64> = ub.iter().map(|u| u.1).collect();
        let mut anchors = Anchors {
            d: &mut *d,
            a,
            b,
            ua: &ua,
            ub: &ub,
            at_a: 0,
            at_b: 0,
            coarse: false,
            max_myers,
        };
        let Ok(()) = myers::diff(&mut anchors, &ka, 0..ka.len(), &kb, 0..kb.len());
        (at_a, at_b) = (anchors.at_a, anchors.at_b);
        coarse = anchors.coarse;
    }
    coarse | stretch(d, a, at_a..a.len(), b, at_b..b.len(), (0, max_myers))
}

/// Stretches with more words than this (both sides together) are not
/// given to Myers, whose cost can grow with the square of their length.
pub(crate) const MAX_MYERS_WORDS: usize = 2048;
/// Matched unique keys out of order, beyond which the quadratic search
/// for a single longest chain is not made.
const MAX_CHAIN_PAIRS: usize = 4096;
/// How deep [`anchored`] looks for unique keys inside a stretch before it
/// gives the rest up as one deletion and one insertion.
const MAX_ANCHOR_DEPTH: usize = 8;

/// Keys unique on both sides (lists from [`singletons`]), as (position in
/// A, position in B), in key order.
fn matched_singletons(sa: &[(u64, usize)], sb: &[(u64, usize)]) -> Vec<(usize, usize)> {
    let mut matched = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < sa.len() && j < sb.len() {
        match sa[i].0.cmp(&sb[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                matched.push((sa[i].1, sb[j].1));
                i += 1;
                j += 1;
            }
        }
    }
    matched
}

/// One longest chain of `matched` (pairs sorted by their first position)
/// whose second positions increase too, in O(n log n): of the chains of
/// the greatest length, the one that ends with the earliest pair, each
/// pair preceded by the pair that ended the shortest-ending chain one
/// shorter when it was reached.
fn longest_chain(matched: &[(usize, usize)]) -> Vec<(usize, usize)> {
    // tails[l]: index of the pair ending the chain of length l + 1 whose
    // last second position is least so far.
    let mut tails: Vec<usize> = Vec::new();
    let mut prev = vec![usize::MAX; matched.len()];
    for (i, &(_, y)) in matched.iter().enumerate() {
        let l = tails.partition_point(|&t| matched[t].1 < y);
        if l > 0 {
            prev[i] = tails[l - 1];
        }
        if l == tails.len() {
            tails.push(i);
        } else {
            tails[l] = i;
        }
    }
    let mut chain = Vec::with_capacity(tails.len());
    let mut i = tails.last().copied().unwrap_or(usize::MAX);
    while i != usize::MAX {
        chain.push(matched[i]);
        i = prev[i];
    }
    chain.reverse();
    chain
}

/// A bounded diff of a long stretch `a[ra]` with `b[rb]`: the keys unique
/// within the stretch on both sides are matched, one longest chain of
/// them is kept as anchors, and the stretches between anchors are diffed
/// in turn ([`stretch`], one level deeper). Without anchors, or
/// [`MAX_ANCHOR_DEPTH`] levels down, the stretch is one deletion and one
/// insertion.
fn anchored<D: DiffHook<Error = Infallible>>(
    d: &mut D,
    a: &[u64],
    ra: Range<usize>,
    b: &[u64],
    rb: Range<usize>,
    (depth, max_myers): (usize, usize),
) {
    let chain = if depth < MAX_ANCHOR_DEPTH {
        let (sa, sb) = (singletons(&a[ra.clone()]), singletons(&b[rb.clone()]));
        let mut matched = matched_singletons(&sa, &sb);
        matched.sort_unstable();
        longest_chain(&matched)
    } else {
        Vec::new()
    };
    if chain.is_empty() {
        let Ok(()) = d.delete(ra.start, ra.len(), rb.start);
        let Ok(()) = d.insert(ra.start, rb.start, rb.len());
        return;
    }
    let (mut at_a, mut at_b) = (ra.start, rb.start);
    for (pa, pb) in chain {
        let (to_a, to_b) = (ra.start + pa, rb.start + pb);
        stretch(d, a, at_a..to_a, b, at_b..to_b, (depth + 1, max_myers));
        (at_a, at_b) = (to_a, to_b);
    }
    stretch(d, a, at_a..ra.end, b, at_b..rb.end, (depth + 1, max_myers));
}

/// The longest chain of `matched` (pairs sorted by their first position)
/// whose second positions increase too, when there is only one.
fn only_longest_chain(matched: &[(usize, usize)]) -> Option<Vec<(usize, usize)>> {
    if matched.windows(2).all(|w| w[0].1 < w[1].1) {
        return Some(matched.to_vec()); // all of them
    }
    // For each pair: the length of the longest chain ending with it, how
    // many such chains there are (1, or 2 for more than one), and the
    // pair before it in one of them.
    let n = matched.len();
    let (mut len, mut count, mut prev) = (vec![1; n], vec![1u8; n], vec![usize::MAX; n]);
    for i in 0..n {
        for j in 0..i {
            if matched[j].1 < matched[i].1 {
                if len[j] + 1 > len[i] {
                    (len[i], count[i], prev[i]) = (len[j] + 1, count[j], j);
                } else if len[j] + 1 == len[i] {
                    count[i] = (count[i] + count[j]).min(2);
                }
            }
        }
    }
    let longest = len.iter().copied().max()?;
    let mut ends = (0..n).filter(|&i| len[i] == longest);
    let end = ends.next()?;
    if ends.next().is_some() || count[end] != 1 {
        return None;
    }
    let mut chain = Vec::with_capacity(longest);
    let mut i = end;
    while i != usize::MAX {
        chain.push(matched[i]);
        i = prev[i];
    }
    chain.reverse();
    Some(chain)
}

/// Walks the matched unique keys (anchors) of a patience diff, diffing the
/// stretch before each one.
struct Anchors<'k, D> {
    d: &'k mut D,
    a: &'k [u64],
    b: &'k [u64],
    /// Unique keys of A and B as (position, key), in order.
    ua: &'k [(usize, u64)],
    ub: &'k [(usize, u64)],
    /// How far A and B have been reported.
    at_a: usize,
    at_b: usize,
    /// Whether a stretch was diffed by [`anchored`].
    coarse: bool,
    /// Longest stretch given to Myers.
    max_myers: usize,
}

impl<D: DiffHook<Error = Infallible>> DiffHook for Anchors<'_, D> {
    type Error = Infallible;

    fn equal(&mut self, old: usize, new: usize, len: usize) -> Result<(), Infallible> {
        for k in 0..len {
            let (to_a, to_b) = (self.ua[old + k].0, self.ub[new + k].0);
            self.coarse |= stretch(
                self.d,
                self.a,
                self.at_a..to_a,
                self.b,
                self.at_b..to_b,
                (0, self.max_myers),
            );
            self.at_a = to_a;
            self.at_b = to_b;
        }
        Ok(())
    }
}

/// Myers diff of `a[ra]` with `b[rb]`: the common prefix and suffix are
/// equal runs; in between, a side that is empty or shares no key with the
/// other is one deletion and one insertion, a stretch of more than
/// `max_myers` words goes to [`anchored`] (at `depth`; the function then
/// returns true), anything else goes to Myers.
fn stretch<D: DiffHook<Error = Infallible>>(
    d: &mut D,
    a: &[u64],
    mut ra: Range<usize>,
    b: &[u64],
    mut rb: Range<usize>,
    (depth, max_myers): (usize, usize),
) -> bool {
    let mut coarse = false;
    let prefix = a[ra.clone()]
        .iter()
        .zip(&b[rb.clone()])
        .take_while(|(x, y)| x == y)
        .count();
    if prefix > 0 {
        let Ok(()) = d.equal(ra.start, rb.start, prefix);
    }
    ra.start += prefix;
    rb.start += prefix;
    let suffix = a[ra.clone()]
        .iter()
        .rev()
        .zip(b[rb.clone()].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    ra.end -= suffix;
    rb.end -= suffix;
    if ra.is_empty() && rb.is_empty() {
    } else if rb.is_empty() {
        let Ok(()) = d.delete(ra.start, ra.len(), rb.start);
    } else if ra.is_empty() {
        let Ok(()) = d.insert(ra.start, rb.start, rb.len());
    } else if ra.len() + rb.len() > max_myers {
        coarse = true;
        anchored(d, a, ra.clone(), b, rb.clone(), (depth, max_myers));
    } else if !a[ra.clone()].iter().any(|x| b[rb.clone()].contains(x)) {
        let Ok(()) = d.delete(ra.start, ra.len(), rb.start);
        let Ok(()) = d.insert(ra.start, rb.start, rb.len());
    } else {
        let Ok(()) = myers::diff(&mut NoFinish(&mut *d), a, ra.clone(), b, rb.clone());
    }
    if suffix > 0 {
        let Ok(()) = d.equal(ra.end, rb.end, suffix);
    }
    coarse
}

/// Passes everything on but the end of an inner diff.
struct NoFinish<'d, D>(&'d mut D);

impl<D: DiffHook<Error = Infallible>> DiffHook for NoFinish<'_, D> {
    type Error = Infallible;

    fn equal(&mut self, old: usize, new: usize, len: usize) -> Result<(), Infallible> {
        self.0.equal(old, new, len)
    }

    fn delete(&mut self, old: usize, old_len: usize, new: usize) -> Result<(), Infallible> {
        self.0.delete(old, old_len, new)
    }

    fn insert(&mut self, old: usize, new: usize, new_len: usize) -> Result<(), Infallible> {
        self.0.insert(old, new, new_len)
    }
}

/// A word diff with its counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WordDiff {
    /// The runs, covering both word sequences in order.
    pub edits: Vec<WordEdit>,
    /// Number of words in equal runs.
    pub equal: usize,
    /// Number of words in A.
    pub a_words: usize,
    /// Number of words in B.
    pub b_words: usize,
    /// True when the sequences were too long for a minimal diff and the
    /// diff was made coarser (stretches of more than 2,048 words): still correct,
    /// but it may keep fewer words equal than possible.
    pub coarse: bool,
}

impl WordDiff {
    /// Share of words that are equal on both sides, 2·equal / (|A| + |B|)
    /// (1.0 for two empty sequences).
    pub fn similarity(&self) -> f64 {
        let total = self.a_words + self.b_words;
        if total == 0 {
            1.0
        } else {
            2.0 * self.equal as f64 / total as f64
        }
    }

    /// True when any run is not equal.
    pub fn has_changes(&self) -> bool {
        self.edits.iter().any(|e| e.op != EditOp::Equal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::words;
    use proptest::strategy::Strategy;

    #[test]
    fn replace_inside_quote() {
        let a = "Azerbaijan is an important strategic ally";
        let b = "Azerbaijan is a key strategic ally";
        let (wa, wb) = (words(a), words(b));
        let d = word_diff(&wa, &wb);
        let ops: Vec<(EditOp, &str, &str)> = d
            .edits
            .iter()
            .map(|e| (e.op, e.a.slice(a), e.b.slice(b)))
            .collect();
        assert_eq!(
            ops,
            [
                (EditOp::Equal, "Azerbaijan is", "Azerbaijan is"),
                (EditOp::Replace, "an important", "a key"),
                (EditOp::Equal, "strategic ally", "strategic ally"),
            ]
        );
        assert!((d.similarity() - 8.0 / 12.0).abs() < 1e-9);
    }

    #[test]
    fn insert_at_end_has_empty_a_range_at_end() {
        let a = "one two";
        let b = "one two three";
        let d = word_diff(&words(a), &words(b)).edits;
        assert_eq!(d[1].op, EditOp::Insert);
        assert_eq!(d[1].a, Span::new(7, 7));
        assert_eq!(d[1].b.slice(b), "three");
    }

    /// Runs of `similar`'s own patience diff, the reference for ours.
    fn reference_runs(a: &[u64], b: &[u64]) -> Vec<(bool, Range<usize>, Range<usize>)> {
        let mut hook = Runs::default();
        let Ok(()) = similar::algorithms::patience::diff(&mut hook, a, 0..a.len(), b, 0..b.len());
        hook.runs
    }

    fn our_runs(a: &[u64], b: &[u64]) -> Vec<(bool, Range<usize>, Range<usize>)> {
        let mut hook = Runs::default();
        patience(&mut hook, a, b);
        hook.runs
    }

    #[test]
    fn only_longest_chain_when_there_is_one() {
        let moved = vec![(0, 1), (1, 2), (2, 5), (3, 3), (4, 4), (5, 6)];
        assert_eq!(
            only_longest_chain(&moved),
            Some(vec![(0, 1), (1, 2), (3, 3), (4, 4), (5, 6)])
        );
        // Two longest chains: (0, 2) (2, 3) and (1, 1) (2, 3).
        assert_eq!(only_longest_chain(&[(0, 2), (1, 1), (2, 3)]), None);
        // Two longest chains ending in different pairs.
        assert_eq!(only_longest_chain(&[(0, 1), (1, 0)]), None);
        assert_eq!(only_longest_chain(&[]), Some(vec![]));
    }

    #[test]
    fn patience_agrees_with_similar_on_examples() {
        for (a, b) in [
            (&[][..], &[][..]),
            (&[1, 2, 3][..], &[][..]),
            (&[][..], &[1, 2][..]),
            (
                &[11, 1, 2, 2, 3, 4, 4, 4, 5, 47, 19],
                &[10, 1, 2, 2, 8, 9, 4, 4, 7, 47, 18],
            ),
            (&[1, 2, 3, 4], &[1, 2, 3]),
            (&[1, 2, 1, 2, 3], &[2, 1, 2, 1, 3]),
        ] {
            assert_eq!(our_runs(a, b), reference_runs(a, b), "{a:?} {b:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        /// Small alphabets give many repeated keys (no anchors, Myers
        /// everywhere); larger ones many unique keys.
        #[test]
        fn patience_agrees_with_similar(
            (a, b) in (2u64..40).prop_flat_map(|k| (
                proptest::collection::vec(0..k, 0..40),
                proptest::collection::vec(0..k, 0..40),
            ))
        ) {
            proptest::prop_assert_eq!(our_runs(&a, &b), reference_runs(&a, &b));
            let mut count = EqualCount::default();
            patience(&mut count, &a, &b);
            let reference: usize = similar::capture_diff_slices(similar::Algorithm::Patience, &a, &b)
                .iter()
                .map(|op| match op {
                    similar::DiffOp::Equal { len, .. } => *len,
                    _ => 0,
                })
                .sum();
            proptest::prop_assert_eq!(count.0, reference);
        }
    }
}
