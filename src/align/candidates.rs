//! Candidate pairs between two lists of items described by word keys
//! (sentences, quotes): the pairs that share a key, found through an
//! inverted index instead of by trying every pair, within a budget.
//!
//! Items that share no key cannot be the same passage or quote, so on
//! ordinary articles the candidates are exactly the pairs worth scoring.
//! On very long or repetitive inputs, where common words would make almost
//! every pair a candidate, the keys that offer the most pairs are left out
//! of the index until the rest offer at most the budget; the caller is
//! told, so that it can say its answer is coarser.

use crate::text::{KeyMap, KeySet};

/// The candidate pairs: for each item of A, the items of B it shares a
/// key with (through the keys kept), in increasing order; or, for small
/// inputs, every item of B.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Candidates {
    /// Per item of A, the items of B; `None` for every pair.
    of_a: Option<Vec<Vec<usize>>>,
    /// Number of items of B.
    b_len: usize,
    /// True when some keys were left out to keep within the budget.
    pub(crate) limited: bool,
}

impl Candidates {
    /// The items of B to try with item `i` of A, in increasing order.
    pub(crate) fn of(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        let (list, all) = match &self.of_a {
            Some(lists) => (&lists[i][..], 0),
            None => (&[][..], self.b_len),
        };
        list.iter().copied().chain(0..all)
    }
}

/// Up to this many pairs, every pair is a candidate: trying them all
/// (callers reject pairs that share nothing at once) costs less than
/// building the index.
const ALL_PAIRS_UP_TO: usize = 16_384;

/// Every pair of `a` and `b` when there are at most [`ALL_PAIRS_UP_TO`],
/// else [`sharing_pairs`].
pub(crate) fn candidate_pairs(a: &[&[u64]], b: &[&[u64]], budget: usize) -> Candidates {
    if a.len().saturating_mul(b.len()) <= ALL_PAIRS_UP_TO {
        Candidates {
            of_a: None,
            b_len: b.len(),
            limited: false,
        }
    } else {
        sharing_pairs(a, b, budget)
    }
}

/// The pairs of `a` and `b` (each item a sorted list of keys; duplicates
/// are fine) that share a key, within a budget of work.
///
/// Scoring a pair costs about as much as both items have keys (a merge of
/// the two lists), so that is a pair's work. A key offers the work of the
/// pairs it joins: `Σ (|i| + |j|)` over the items `i` of A and `j` of B
/// that have it. When all keys together offer more than `budget`, the
/// keys offering the most are left out (equal offers by key value, so the
/// choice is the same whatever the order of the items, and the same with
/// A and B swapped) until the rest offer at most `budget`; a pair sharing
/// several keys is offered by each, so the work of the pairs found is at
/// most `budget`.
pub(crate) fn sharing_pairs(a: &[&[u64]], b: &[&[u64]], budget: usize) -> Candidates {
    // Per key: items of A, items of B, and their numbers of keys.
    let mut count: KeyMap<[usize; 4]> = KeyMap::default();
    for keys in a {
        for_each_distinct(keys, |k| {
            let c = count.entry(k).or_default();
            c[0] += 1;
            c[2] += keys.len();
        });
    }
    for keys in b {
        for_each_distinct(keys, |k| {
            let c = count.entry(k).or_default();
            c[1] += 1;
            c[3] += keys.len();
        });
    }
    let mut offered: Vec<(usize, u64)> = count
        .iter()
        .filter(|(_, c)| c[0] > 0 && c[1] > 0)
        .map(|(&k, c)| {
            let work = c[0]
                .saturating_mul(c[3])
                .saturating_add(c[2].saturating_mul(c[1]));
            (work, k)
        })
        .collect();
    let mut total = offered
        .iter()
        .fold(0usize, |t, &(n, _)| t.saturating_add(n));
    let mut limited = false;
    if total > budget {
        limited = true;
        offered.sort_unstable_by(|x, y| y.cmp(x));
        let mut drop = 0;
        while total > budget && drop < offered.len() {
            total = total.saturating_sub(offered[drop].0);
            drop += 1;
        }
        offered.drain(..drop);
    }
    let kept: KeySet = offered.into_iter().map(|(_, k)| k).collect();
    let mut postings: KeyMap<Vec<u32>> = KeyMap::default();
    for (j, keys) in b.iter().enumerate() {
        for_each_distinct(keys, |k| {
            if kept.contains(&k) {
                postings.entry(k).or_default().push(j as u32);
            }
        });
    }
    let mut seen = vec![usize::MAX; b.len()];
    let of_a = a
        .iter()
        .enumerate()
        .map(|(i, keys)| {
            let mut met = Vec::new();
            for_each_distinct(keys, |k| {
                for &j in postings.get(&k).map_or(&[][..], |v| &v[..]) {
                    let j = j as usize;
                    if seen[j] != i {
                        seen[j] = i;
                        met.push(j);
                    }
                }
            });
            met.sort_unstable();
            met
        })
        .collect();
    Candidates {
        of_a: Some(of_a),
        b_len: b.len(),
        limited,
    }
}

/// Calls `f` once for each distinct key of a sorted list.
fn for_each_distinct(keys: &[u64], mut f: impl FnMut(u64)) {
    for (n, &k) in keys.iter().enumerate() {
        if n == 0 || keys[n - 1] != k {
            f(k);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shares(x: &[u64], y: &[u64]) -> bool {
        x.iter().any(|k| y.contains(k))
    }

    #[test]
    fn small_inputs_try_every_pair() {
        let (x, y): (&[u64], &[u64]) = (&[1, 2], &[3]);
        let all = candidate_pairs(&[x, y], &[y, x, y], 0);
        assert!(!all.limited);
        assert_eq!(all.of(1).collect::<Vec<_>>(), [0, 1, 2]);
    }

    proptest::proptest! {
        #[test]
        fn within_budget_the_pairs_are_exactly_those_sharing_a_key(
            a in proptest::collection::vec(proptest::collection::vec(0u64..30, 0..6), 0..12),
            b in proptest::collection::vec(proptest::collection::vec(0u64..30, 0..6), 0..12),
            budget in 0usize..1000,
        ) {
            let sorted = |v: &Vec<Vec<u64>>| -> Vec<Vec<u64>> {
                v.iter().map(|k| { let mut k = k.clone(); k.sort_unstable(); k }).collect()
            };
            let (a, b) = (sorted(&a), sorted(&b));
            let ra: Vec<&[u64]> = a.iter().map(|k| &k[..]).collect();
            let rb: Vec<&[u64]> = b.iter().map(|k| &k[..]).collect();
            let found = sharing_pairs(&ra, &rb, budget);
            let mut all_pairs = 0;
            for (i, x) in a.iter().enumerate() {
                for (j, y) in b.iter().enumerate() {
                    let sharing = shares(x, y);
                    all_pairs += sharing as usize;
                    // Never a pair that shares nothing.
                    if found.of(i).any(|x| x == j) {
                        proptest::prop_assert!(sharing);
                    } else if !found.limited {
                        proptest::prop_assert!(!sharing);
                    }
                }
            }
            // The work of the pairs found is at most the budget;
            // unlimited means every sharing pair was found.
            let kept: usize = (0..a.len()).map(|i| found.of(i).count()).sum();
            let work: usize = (0..a.len())
                .flat_map(|i| found.of(i).map(move |j| (i, j)))
                .map(|(i, j)| a[i].len() + b[j].len())
                .sum();
            if found.limited {
                proptest::prop_assert!(work <= budget);
            } else {
                proptest::prop_assert_eq!(kept, all_pairs);
            }
            // The same pairs with A and B swapped.
            let swapped = sharing_pairs(&rb, &ra, budget);
            proptest::prop_assert_eq!(swapped.limited, found.limited);
            for j in 0..b.len() {
                for i in swapped.of(j) {
                    proptest::prop_assert!(found.of(i).any(|x| x == j));
                }
            }
            let n_swapped: usize = (0..b.len()).map(|j| swapped.of(j).count()).sum();
            proptest::prop_assert_eq!(n_swapped, kept);
        }
    }
}
