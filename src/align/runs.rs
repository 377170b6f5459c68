//! Copied runs: the maximal runs of at least `k` words that two texts
//! share, wherever they lie, whatever the sentence alignment says.
//!
//! A journalist who builds a new sentence around a clause of the wire copy
//! leaves no sentence that aligns with a wire sentence, but the clause is
//! still there word for word. Every such clause is a run of equal word keys
//! (normalised forms, as for matching) on one diagonal of the word grid.
//!
//! The runs are found through a hashed index of word k-grams: the k-grams
//! of both sides are sorted by hash, the k-grams found on both sides give
//! the matching positions (checked word by word, so a hash collision
//! cannot make a false match), and matches on one diagonal at consecutive
//! positions join into one run. Without a limit these are exactly the
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

/// Matching word positions examined at most, whatever the input.
pub const MAX_RUN_MATCHES: usize = 1 << 20;

/// The smallest length of a reported run, in words (chosen on the tuning
/// part of the generated reuse evaluation, `benches/reuse/README.md`).
pub const DEFAULT_MIN_RUN_WORDS: usize = 4;

/// Hash of the k-gram of `keys` starting at each position.
fn kgram_hashes(keys: &[u64], k: usize) -> Vec<(u64, u32)> {
    if keys.len() < k {
        return Vec::new();
    }
    let mut out: Vec<(u64, u32)> = (0..=keys.len() - k)
        .map(|i| {
            let mut h: u64 = 0x9e37_79b9_7f4a_7c15;
            for &key in &keys[i..i + k] {
                h = (h.rotate_left(23) ^ key).wrapping_mul(0xff51_afd7_ed55_8ccd);
            }
            (h ^ (h >> 29), i as u32)
        })
        .collect();
    out.sort_unstable();
    out
}

/// The maximal runs of at least `k` words (`k` taken as at least 1) that
/// `a` and `b` share, examining at most `budget` matching positions (see
/// the module documentation).
pub fn shared_runs(a: &[u64], b: &[u64], k: usize, budget: usize) -> Runs {
    let k = k.max(1);
    let (ha, hb) = (kgram_hashes(a, k), kgram_hashes(b, k));
    // Hash groups found on both sides: (offer, hash, range in ha, range in hb).
    let mut groups: Vec<(usize, u64, Range<usize>, Range<usize>)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < ha.len() && j < hb.len() {
        let (x, y) = (ha[i].0, hb[j].0);
        if x < y {
            i += 1;
        } else if y < x {
            j += 1;
        } else {
            let ie = i + ha[i..].partition_point(|e| e.0 == x);
            let je = j + hb[j..].partition_point(|e| e.0 == x);
            groups.push(((ie - i).saturating_mul(je - j), x, i..ie, j..je));
            (i, j) = (ie, je);
        }
    }
    let mut total = groups.iter().fold(0usize, |t, g| t.saturating_add(g.0));
    let mut limited = false;
    if total > budget {
        limited = true;
        let mut order: Vec<usize> = (0..groups.len()).collect();
        order
            .sort_unstable_by(|&x, &y| (groups[y].0, groups[y].1).cmp(&(groups[x].0, groups[x].1)));
        for &g in &order {
            if total <= budget {
                break;
            }
            total -= groups[g].0;
            groups[g].0 = usize::MAX; // left out
        }
    }
    // Matching positions, as (diagonal, position in A).
    let mut matches: Vec<(usize, usize)> = Vec::with_capacity(total);
    for (offer, _, ra, rb) in &groups {
        if *offer == usize::MAX {
            continue;
        }
        for &(_, pa) in &ha[ra.clone()] {
            for &(_, pb) in &hb[rb.clone()] {
                let (pa, pb) = (pa as usize, pb as usize);
                if a[pa..pa + k] == b[pb..pb + k] {
                    matches.push((pa + b.len() - pb, pa));
                }
            }
        }
    }
    matches.sort_unstable();
    let mut runs: Vec<WordRun> = Vec::new();
    let mut n = 0;
    while n < matches.len() {
        let (diag, start) = matches[n];
        let mut end = start;
        n += 1;
        while n < matches.len() && matches[n] == (diag, end + 1) {
            end += 1;
            n += 1;
        }
        let bstart = start + b.len() - diag;
        runs.push(WordRun {
            a: start..end + k,
            b: bstart..bstart + (end + k - start),
        });
    }
    runs.sort_unstable_by(|x, y| (x.b.start, x.a.start).cmp(&(y.b.start, y.a.start)));
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
        out.sort_unstable_by(|x, y| (x.b.start, x.a.start).cmp(&(y.b.start, y.a.start)));
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
            swapped.sort_unstable_by(|x, y| (x.b.start, x.a.start).cmp(&(y.b.start, y.a.start)));
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
