//! Copied runs: the maximal runs of at least `k` words that two texts
//! share, wherever they lie, whatever the sentence alignment says.
//!
//! A journalist who builds a new sentence around a clause of the wire copy
//! leaves no sentence that aligns with a wire sentence, but the clause is
//! still there word for word. Every such clause is a run of equal word keys
//! (normalised forms, as for matching) on one diagonal of the word grid.
//!
//! The runs are found through a hashed index of A's word k-grams: each
//! k-gram of B, in order, looks up the positions of A with the same hash
//! (checked word by word, so a hash collision cannot make a false match),
//! and a match whose k-grams one word earlier matched too continues that
//! run; any other starts one. Without a limit these are exactly the
//! maximal shared runs of at least `k` words: a run could only be extended
//! by a word if the k-gram ending (or starting) with that word matched too,
//! which would have joined it.
//!
//! Work is bounded for any input: a k-gram found `x` times in A and `y`
//! times in B offers `x * y` matches. When all offer more than the budget,
//! the k-grams offering the most (equal offers by hash value, so the
//! choice does not depend on the order of the input, and is the same with
//! A and B swapped) are left out until the rest fit; runs made only of
//! repeated k-grams are then missed or cut, and the caller is told.

use std::ops::Range;

use crate::text::{KeyMap, KeySet};

/// A run of words shared by A and B: word ranges of equal length, the
/// words equal pairwise (by key).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct WordRun {
    /// The run's words in A.
    pub a: Range<usize>,
    /// The run's words in B.
    pub b: Range<usize>,
}

/// The shared runs of two word sequences.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Runs {
    /// Runs in order of B, then of A.
    pub runs: Vec<WordRun>,
    /// True when k-grams repeated too often were left out to keep within
    /// the budget (some runs may be missing or cut).
    pub limited: bool,
}

/// Matching word positions examined at most for short texts.
pub const MAX_RUN_MATCHES: usize = 1 << 20;
/// Matching word positions examined at most per word of the two texts,
/// for long ones.
pub const RUN_MATCHES_PER_WORD: usize = 8;

/// The budget of matching positions for texts of `n` and `m` words: the
/// larger of [`MAX_RUN_MATCHES`] and [`RUN_MATCHES_PER_WORD`] per word,
/// so that the work grows linearly with the texts.
pub fn run_budget(n: usize, m: usize) -> usize {
    MAX_RUN_MATCHES.max(RUN_MATCHES_PER_WORD.saturating_mul(n.saturating_add(m)))
}

/// The smallest length of a reported run, in words (chosen on the tuning
/// part of the generated reuse evaluation, `benches/reuse/README.md`).
pub const DEFAULT_MIN_RUN_WORDS: usize = 4;

/// Hash of the k-gram of `keys` starting at each position.
fn kgram_hashes(keys: &[u64], k: usize) -> Vec<u64> {
    if keys.len() < k {
        return Vec::new();
    }
    (0..=keys.len() - k)
        .map(|i| {
            let mut h: u64 = 0x9e37_79b9_7f4a_7c15;
            for &key in &keys[i..i + k] {
                h = (h.rotate_left(23) ^ key).wrapping_mul(0xff51_afd7_ed55_8ccd);
            }
            h ^ (h >> 29)
        })
        .collect()
}

/// The k-grams of A by hash: how often each occurs in A and in B, and the
/// last position in A (plus one; 0 for none).
#[derive(Clone, Copy, Default)]
struct Entry {
    in_a: u32,
    in_b: u32,
    last: u32,
}

/// The maximal runs of at least `k` words (`k` taken as at least 1) that
/// `a` and `b` share, examining at most `budget` matching positions (see
/// the module documentation).
pub fn shared_runs(a: &[u64], b: &[u64], k: usize, budget: usize) -> Runs {
    let k = k.max(1);
    let (ha, hb) = (kgram_hashes(a, k), kgram_hashes(b, k));
    if ha.is_empty() || hb.is_empty() {
        return Runs::default();
    }
    // An index of A's k-grams: per hash its counts and last position, and
    // for each position the one before it with the same hash (plus one).
    let mut table: KeyMap<Entry> = KeyMap::with_capacity_and_hasher(ha.len(), Default::default());
    let mut before = vec![0u32; ha.len()];
    for (i, &h) in ha.iter().enumerate() {
        let e = table.entry(h).or_default();
        e.in_a += 1;
        before[i] = e.last;
        e.last = i as u32 + 1;
    }
    for h in &hb {
        if let Some(e) = table.get_mut(h) {
            e.in_b += 1;
        }
    }
    let offer = |e: &Entry| (e.in_a as usize).saturating_mul(e.in_b as usize);
    let mut total = table
        .values()
        .fold(0usize, |t, e| t.saturating_add(offer(e)));
    let limited = total > budget;
    let mut left_out = KeySet::default();
    if limited {
        // The k-grams offering the most matches first, ties by hash.
        let mut offered: Vec<(usize, u64)> = table
            .iter()
            .filter(|(_, e)| e.in_b > 0)
            .map(|(&h, e)| (offer(e), h))
            .collect();
        offered.sort_unstable_by(|x, y| y.cmp(x));
        for (o, h) in offered {
            if total <= budget {
                break;
            }
            total -= o;
            left_out.insert(h);
        }
    }
    // B in order: each match of a k-gram continues the run on its diagonal
    // when the k-grams one word earlier matched too, else starts a run.
    let mut runs: Vec<WordRun> = Vec::new();
    // Matches at the previous position of B and at this one: (position in
    // A, run), positions decreasing.
    let mut prev: Vec<(u32, u32)> = Vec::new();
    let mut cur: Vec<(u32, u32)> = Vec::new();
    for (j, h) in hb.iter().enumerate() {
        cur.clear();
        if let Some(e) = table.get(h)
            && !(limited && left_out.contains(h))
        {
            let mut p = e.last;
            while p > 0 {
                let i = (p - 1) as usize;
                p = before[i];
                if a[i..i + k] != b[j..j + k] {
                    continue; // a hash collision
                }
                let continued = i
                    .checked_sub(1)
                    .and_then(|i1| prev.binary_search_by(|x| (i1 as u32).cmp(&x.0)).ok());
                let r = match continued {
                    Some(n) => {
                        let r = prev[n].1 as usize;
                        runs[r].a.end = i + k;
                        runs[r].b.end = j + k;
                        r
                    }
                    None => {
                        runs.push(WordRun {
                            a: i..i + k,
                            b: j..j + k,
                        });
                        runs.len() - 1
                    }
                };
                cur.push((i as u32, r as u32));
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    runs.sort_unstable_by_key(|r| (r.b.start, r.a.start));
    Runs { runs, limited }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every maximal shared run of at least `k` words, by trying every
    /// pair of positions (the definition).
    pub(crate) fn brute_force(a: &[u64], b: &[u64], k: usize) -> Vec<WordRun> {
        let k = k.max(1);
        let mut out = Vec::new();
        for i in 0..a.len() {
            for j in 0..b.len() {
                if i > 0 && j > 0 && a[i - 1] == b[j - 1] {
                    continue; // not left-maximal
                }
                let mut n = 0;
                while i + n < a.len() && j + n < b.len() && a[i + n] == b[j + n] {
                    n += 1;
                }
                if n >= k {
                    out.push(WordRun {
                        a: i..i + n,
                        b: j..j + n,
                    });
                }
            }
        }
        out.sort_unstable_by_key(|r| (r.b.start, r.a.start));
        out
    }

    #[test]
    fn a_clause_inside_a_new_sentence_is_found() {
        // A: 0 1 2 3 4 5 6 7; B takes 2..7 inside other words.
        let a = [10, 11, 12, 13, 14, 15, 16, 17];
        let b = [90, 91, 12, 13, 14, 15, 16, 92];
        let r = shared_runs(&a, &b, 4, MAX_RUN_MATCHES);
        assert!(!r.limited);
        assert_eq!(r.runs, [WordRun { a: 2..7, b: 2..7 }]);
        // Shorter than k: nothing.
        assert!(shared_runs(&a, &b, 6, MAX_RUN_MATCHES).runs.is_empty());
        // k of 0 is taken as 1.
        assert_eq!(shared_runs(&a, &b, 0, MAX_RUN_MATCHES).runs.len(), 1);
    }

    #[test]
    fn empty_and_short_inputs() {
        assert_eq!(shared_runs(&[], &[], 3, 0), Runs::default());
        assert_eq!(shared_runs(&[1, 2], &[1, 2], 3, 10), Runs::default());
    }

    #[test]
    fn repetitive_input_stays_within_the_budget() {
        // One word repeated: every pair of positions matches.
        let a = vec![7u64; 20_000];
        let r = shared_runs(&a, &a, 4, 1000);
        assert!(r.limited);
        assert!(r.runs.is_empty());
        // The diagonal of distinct words is still found next to it.
        let mut b: Vec<u64> = (100..200).collect();
        b.extend(&a);
        let r = shared_runs(&b, &b, 4, 1000);
        assert!(r.limited);
        assert_eq!(
            r.runs[0],
            WordRun {
                a: 0..103,
                b: 0..103
            }
        );
    }

    proptest::proptest! {
        #[test]
        fn runs_agree_with_brute_force(
            a in proptest::collection::vec(0u64..4, 0..60),
            b in proptest::collection::vec(0u64..4, 0..60),
            k in 1usize..6,
        ) {
            let found = shared_runs(&a, &b, k, MAX_RUN_MATCHES);
            proptest::prop_assert!(!found.limited);
            proptest::prop_assert_eq!(&found.runs, &brute_force(&a, &b, k));
            // Swapped: the same runs, sides swapped.
            let mut swapped: Vec<WordRun> = shared_runs(&b, &a, k, MAX_RUN_MATCHES)
                .runs
                .into_iter()
                .map(|r| WordRun { a: r.b, b: r.a })
                .collect();
            swapped.sort_unstable_by_key(|r| (r.b.start, r.a.start));
            proptest::prop_assert_eq!(swapped, found.runs);
        }

        #[test]
        fn limited_runs_are_shared_and_symmetric(
            a in proptest::collection::vec(0u64..3, 0..80),
            b in proptest::collection::vec(0u64..3, 0..80),
            k in 1usize..5,
            budget in 0usize..200,
        ) {
            let found = shared_runs(&a, &b, k, budget);
            for r in &found.runs {
                proptest::prop_assert_eq!(r.a.len(), r.b.len());
                proptest::prop_assert!(r.a.len() >= k);
                proptest::prop_assert_eq!(&a[r.a.clone()], &b[r.b.clone()]);
            }
            let swapped = shared_runs(&b, &a, k, budget);
            proptest::prop_assert_eq!(swapped.limited, found.limited);
            proptest::prop_assert_eq!(swapped.runs.len(), found.runs.len());
        }
    }
}
