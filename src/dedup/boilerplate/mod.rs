//! Outlet boilerplate: shingles that an outlet prints around many different
//! stories (mastheads, navigation, bylines, newsletter and copyright
//! footers). Two unrelated stories of one outlet share them, and one wire
//! story run by two outlets is set apart by them; so they are left out of
//! every similarity: out of the fingerprint sets that verification scores,
//! and out of the signatures that the band keys are made from.
//!
//! How a shingle is recognised, per outlet ([`find`]):
//! 1. A sample of the outlet's documents that have shingles: all of them
//!    up to [`BoilerplateParams::sample`], else that many spread evenly over
//!    the input order.
//! 2. A shingle is a *candidate* when at least [`BoilerplateParams::min_docs`]
//!    sampled documents, and at least [`BoilerplateParams::min_share`] of
//!    them, hold it.
//! 3. A candidate is *boilerplate* when, in most of the sampled documents
//!    holding it, candidates make up less than
//!    [`BoilerplateParams::max_doc_share`] of the document's shingles. A
//!    footer is a small part of the many stories it closes; a story that an
//!    outlet carries many times (copies, updates, repeated scrapes) is
//!    nearly all of every document that holds it, so its shingles stay:
//!    its copies must still be found.
//!
//! Articles without an outlet (no outlet field and no URL) keep all their
//! shingles: without outlets there is no telling one site's chrome from the
//! formulae of wire copy (results tables, sign-offs). Everything is a
//! function of the documents in input order: the same sets whatever the
//! thread count.
//!
//! The parts: [`find`] and its per-outlet count here, the exact document
//! frequencies in `frequent.rs`, the header and footer runs and the slots
//! after them in `edges.rs`, and setting it aside ([`apply`]) in
//! `apply.rs`.

mod apply;
mod edges;
mod frequent;

use std::collections::HashMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::sketch::DocSketch;

pub use apply::apply;
use edges::{find_slots, near_boilerplate};
use frequent::Frequent;

/// How boilerplate is recognised (see the module documentation).
#[derive(Clone, Debug, PartialEq)]
pub struct BoilerplateParams {
    /// Documents sampled per outlet.
    pub sample: usize,
    /// The fewest sampled documents a candidate is in.
    pub min_docs: usize,
    /// The least share of an outlet's sampled documents a candidate is in.
    pub min_share: f64,
    /// A candidate is boilerplate when, in most documents holding it,
    /// candidates are less than this share of the document's shingles.
    pub max_doc_share: f64,
    /// The fewest candidates held by exactly the same sampled documents
    /// for them to be boilerplate: chrome is a run of words (a footer of
    /// 30 words is 27 shingles that always come together), a common
    /// phrase of the outlet's house style is one or two shingles.
    pub min_run: usize,
    /// Words per shingle of the sketches.
    pub shingle_size: usize,
    /// Find slots next to the chrome ([`Slots`]; needs the documents'
    /// [`DocSketch::edges`]).
    pub slots: bool,
}

impl Default for BoilerplateParams {
    fn default() -> Self {
        BoilerplateParams {
            sample: 256,
            min_docs: 5,
            min_share: 0.01,
            max_doc_share: 0.5,
            min_run: 5,
            shingle_size: 4,
            slots: true,
        }
    }
}

/// The boilerplate shingles of each outlet, as sorted 32-bit fingerprints.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Boilerplate {
    /// `(outlet key, sorted fingerprints)`, by outlet key; outlets without
    /// boilerplate are left out.
    outlets: Vec<(u64, Vec<u32>)>,
    /// Per outlet, a bitmap of the top 16 bits of its fingerprints: most
    /// shingles of a document are ruled out by one bit.
    filters: Vec<Vec<u64>>,
    /// Per outlet, its slots ([`Slots`]).
    slots: Vec<Slots>,
}

/// The short varying fields an outlet prints right after a run of its
/// chrome (a date and time after the header, a section name): per run,
/// keyed by the fingerprint of its last shingle, how many words after it
/// are the field. Sorted by key.
///
/// Only fields after a run: the words right before a run of chrome (the
/// footer) are the end of the story, often a formula of its own that
/// repeats (a wire's sign-off, "said", a unit); taking them would take
/// story words that the same story elsewhere keeps (measured on Reuters
/// with injected chrome, docs/dedup.md).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Slots {
    /// Words right after a run of chrome ending with the key's shingle.
    pub after: Vec<(u32, u8)>,
}

impl Slots {
    fn len_of(list: &[(u32, u8)], key: u32) -> usize {
        match list.binary_search_by_key(&key, |&(k, _)| k) {
            Ok(i) => usize::from(list[i].1),
            Err(_) => 0,
        }
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.after.is_empty()
    }
}

/// Bits of a fingerprint that index [`Boilerplate`]'s filters.
const FILTER_BITS: u32 = 16;

/// What setting boilerplate aside did to a corpus.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applied {
    /// Documents that had shingles set aside.
    pub articles: usize,
    /// Of those, documents left too short to compare.
    pub too_short: usize,
}

impl Boilerplate {
    /// Boilerplate from `(outlet key, fingerprints)` lists (any order; the
    /// lists are sorted and made distinct).
    pub fn from_sets(sets: impl IntoIterator<Item = (u64, Vec<u32>)>) -> Boilerplate {
        Boilerplate::with_slots(sets.into_iter().map(|(k, v)| (k, v, Slots::default())))
    }

    /// [`Boilerplate::from_sets`] with each outlet's slots.
    pub fn with_slots(sets: impl IntoIterator<Item = (u64, Vec<u32>, Slots)>) -> Boilerplate {
        let mut all: Vec<(u64, Vec<u32>, Slots)> = sets
            .into_iter()
            .map(|(k, mut v, mut sl)| {
                v.sort_unstable();
                v.dedup();
                sl.after.sort_unstable();
                sl.after.dedup_by_key(|(k, _)| *k);
                (k, v, sl)
            })
            .filter(|(_, v, _)| !v.is_empty())
            .collect();
        all.sort_unstable_by_key(|(k, _, _)| *k);
        all.dedup_by_key(|(k, _, _)| *k);
        let (outlets, slots): (Vec<(u64, Vec<u32>)>, Vec<Slots>) =
            all.into_iter().map(|(k, v, sl)| ((k, v), sl)).unzip();
        let filters = outlets
            .iter()
            .map(|(_, set)| {
                let mut bits = vec![0u64; (1 << FILTER_BITS) / 64];
                for &f in set {
                    let b = (f >> (32 - FILTER_BITS)) as usize;
                    bits[b / 64] |= 1 << (b % 64);
                }
                bits
            })
            .collect();
        Boilerplate {
            outlets,
            filters,
            slots,
        }
    }

    /// The slots of an outlet (none when it has no boilerplate).
    pub fn slots_of(&self, outlet: u64) -> Option<&Slots> {
        let i = self
            .outlets
            .binary_search_by_key(&outlet, |(k, _)| *k)
            .ok()?;
        Some(&self.slots[i])
    }

    /// Slots, counted over all outlets.
    pub fn num_slots(&self) -> usize {
        self.slots.iter().map(|s| s.after.len()).sum()
    }

    /// The outlets and their sets, by outlet key.
    pub fn sets(&self) -> &[(u64, Vec<u32>)] {
        &self.outlets
    }

    /// The boilerplate set of an outlet (empty when it has none).
    pub fn set_of(&self, outlet: u64) -> &[u32] {
        match self.outlets.binary_search_by_key(&outlet, |(k, _)| *k) {
            Ok(i) => &self.outlets[i].1,
            Err(_) => &[],
        }
    }

    /// The set of an outlet and its filter.
    fn filtered_set_of(&self, outlet: u64) -> Option<(&[u32], &[u64], &Slots)> {
        let i = self
            .outlets
            .binary_search_by_key(&outlet, |(k, _)| *k)
            .ok()?;
        Some((&self.outlets[i].1, &self.filters[i], &self.slots[i]))
    }

    /// Outlets with boilerplate.
    pub fn num_outlets(&self) -> usize {
        self.outlets.len()
    }

    /// Boilerplate shingles, counted once per outlet.
    pub fn num_shingles(&self) -> usize {
        self.outlets.iter().map(|(_, v)| v.len()).sum()
    }

    /// True when no outlet has boilerplate.
    pub fn is_empty(&self) -> bool {
        self.outlets.is_empty()
    }

    /// Removes the outlet's boilerplate from sorted, distinct fingerprints;
    /// returns how many were removed.
    pub fn remove_from(&self, outlet: u64, fingerprints: &mut Vec<u32>) -> usize {
        let mut left = Vec::new();
        let removed = self.subtract(outlet, fingerprints, &mut left);
        if removed > 0 {
            *fingerprints = left;
        }
        removed
    }
}

impl Boilerplate {
    /// `fingerprints` (sorted, distinct) without the outlet's boilerplate,
    /// into `left`; returns how many were removed. `left` is written only
    /// when something is removed.
    fn subtract(&self, outlet: u64, fingerprints: &[u32], left: &mut Vec<u32>) -> usize {
        self.subtract_near(outlet, fingerprints, None, left, &mut Vec::new())
    }

    /// [`Boilerplate::subtract`], and with `edges` (the document's
    /// [`DocSketch::edges`] and its shingle size) also every shingle there
    /// that shares a word with a boilerplate shingle ([`near_boilerplate`]);
    /// `near` is scratch.
    fn subtract_near(
        &self,
        outlet: u64,
        fingerprints: &[u32],
        edges: Option<(&[u32], usize)>,
        left: &mut Vec<u32>,
        near: &mut Vec<u32>,
    ) -> usize {
        left.clear();
        let Some((set, filter, slots)) = self.filtered_set_of(outlet) else {
            return 0;
        };
        let is_in = |f: u32| {
            let b = (f >> (32 - FILTER_BITS)) as usize;
            filter[b / 64] >> (b % 64) & 1 == 1 && set.binary_search(&f).is_ok()
        };
        // Most documents hold none of it: the block merge of the two sorted
        // sets says so faster than a lookup per value.
        if !super::sketch::shares_at_least(fingerprints, set, 1) {
            return 0;
        }
        near.clear();
        if let Some((edges, k)) = edges {
            near_boilerplate(edges, k, &is_in, slots, near);
        }
        left.reserve(fingerprints.len());
        // The values kept are copied a run at a time.
        let mut removed = 0;
        let mut run = 0;
        let mut next = 0;
        for (i, &f) in fingerprints.iter().enumerate() {
            while next < near.len() && near[next] < f {
                next += 1;
            }
            if (next < near.len() && near[next] == f) || is_in(f) {
                left.extend_from_slice(&fingerprints[run..i]);
                run = i + 1;
                removed += 1;
            }
        }
        left.extend_from_slice(&fingerprints[run..]);
        removed
    }
}

pub use super::sketch::EDGE_SHINGLES;

/// Recognises each outlet's boilerplate among sketched documents (their
/// fingerprints must have been kept).
pub fn find(docs: &[DocSketch], params: &BoilerplateParams) -> Boilerplate {
    let mut by_outlet: HashMap<u64, Vec<u32>> = HashMap::new();
    for (i, d) in docs.iter().enumerate() {
        // Without an outlet there is no telling outlet chrome from the
        // formulae of wire copy (tables, sign-offs): nothing is set aside.
        if d.outlet != 0 && !d.is_empty() && d.shingles.is_some() {
            by_outlet.entry(d.outlet).or_default().push(i as u32);
        }
    }
    let mut outlets: Vec<(u64, Vec<u32>)> = by_outlet
        .into_iter()
        .filter(|(_, members)| members.len() >= params.min_docs.max(1))
        .collect();
    outlets.sort_unstable_by_key(|(k, _)| *k);
    // Each outlet's sample costs about the same, so a piece per thread:
    // one set of counting tables each (a fresh one per outlet was mostly
    // the cost of faulting in its pages).
    let per_thread = outlets.len().div_ceil(rayon::current_num_threads().max(1));
    let sets: Vec<(u64, Vec<u32>, Slots)> = outlets
        .par_iter()
        .with_min_len(per_thread.max(1))
        .map_init(Frequent::default, |table, (k, members)| {
            let (set, slots) = outlet_boilerplate(docs, members, params, table);
            (*k, set, slots)
        })
        .collect();
    Boilerplate::with_slots(sets)
}

/// The boilerplate of one outlet whose documents (with shingles, in input
/// order) are `members`.
fn outlet_boilerplate(
    docs: &[DocSketch],
    members: &[u32],
    params: &BoilerplateParams,
    table: &mut Frequent,
) -> (Vec<u32>, Slots) {
    let n = members.len();
    let take = params.sample.max(1).min(n);
    // Spread evenly over the input order.
    let sampled: Vec<&DocSketch> = (0..take)
        .map(|i| &docs[members[i * n / take] as usize])
        .collect();
    let sample: Vec<&[u32]> = sampled
        .iter()
        .map(|d| d.shingles.as_deref().unwrap_or(&[]))
        .collect();
    let need = params
        .min_docs
        .max((params.min_share * take as f64).ceil() as usize)
        .max(2);
    if take < need {
        return Default::default();
    }
    table.count(&sample, need);
    if table.candidates.is_empty() {
        return Default::default();
    }
    let nc = table.candidates.len();
    // Per candidate: in how many of its documents the candidates are a
    // small part (`low`) and in how many not (`high`).
    let mut low = vec![0u32; nc];
    let mut high = vec![0u32; nc];
    // Per candidate, a hash of the list of sampled documents holding it.
    let mut holders = vec![0u64; nc];
    let mut held = Vec::new();
    for run in table.passed.chunk_by(|a, b| a.0 == b.0) {
        let j = run[0].0 as usize;
        held.clear();
        held.extend(run.iter().filter_map(|&(_, f)| table.candidate(f)));
        if held.is_empty() {
            continue;
        }
        let small = (held.len() as f64) < params.max_doc_share * sample[j].len() as f64;
        let counts = if small { &mut low } else { &mut high };
        for &c in &held {
            counts[c] += 1;
            holders[c] = crate::sketch::mix64(holders[c] ^ (j as u64 + 1));
        }
    }
    // A run of page chrome is many shingles held by exactly the same
    // documents; a common phrase is a shingle or two.
    let mut sizes: Vec<u64> = holders.clone();
    sizes.sort_unstable();
    let group_size = |h: u64| {
        let lo = sizes.partition_point(|&x| x < h);
        let hi = sizes.partition_point(|&x| x <= h);
        hi - lo
    };
    let mut out: Vec<u32> = (0..nc)
        .filter(|&i| low[i] > high[i] && group_size(holders[i]) >= params.min_run)
        .map(|i| table.candidates[i])
        .collect();
    out.sort_unstable();
    let slots = if out.is_empty() || !params.slots {
        Slots::default()
    } else {
        find_slots(&sampled, &out, params.shingle_size, need)
    };
    (out, slots)
}

/// A document is nearly all boilerplate, and so too short to compare, when
/// boilerplate was most of its shingles and fewer than `min_shingles` (those
/// of the least number of words) are left. A short article that loses a
/// shingle or two to a common phrase stays.
pub fn is_boilerplate_only(removed: usize, left: usize, min_shingles: usize) -> bool {
    removed > left && left < min_shingles
}

#[cfg(test)]
mod tests {
    use super::super::fingerprints::Fingerprints;
    use super::*;

    fn doc(outlet: u64, fps: Vec<u32>) -> DocSketch {
        DocSketch {
            id: String::new(),
            date: None,
            outlet,
            num_shingles: fps.len() as u32,
            words: fps.len() as u32 + 3,
            signature: Vec::new(),
            shingles: Some(Fingerprints::from(fps)),
            edges: None,
        }
    }

    /// `n` documents of one outlet, each with its own story shingles and
    /// the outlet's footer `1000..1000+footer`.
    fn outlet_docs(outlet: u64, n: u32, story: u32, footer: u32) -> Vec<DocSketch> {
        (0..n)
            .map(|i| {
                let base = 10_000 + outlet as u32 * 1_000_000 + i * story;
                let mut v: Vec<u32> = (base..base + story).chain(1000..1000 + footer).collect();
                v.sort_unstable();
                doc(outlet, v)
            })
            .collect()
    }

    #[test]
    fn a_footer_of_many_stories_is_boilerplate() {
        let docs = outlet_docs(7, 40, 200, 30);
        let bp = find(&docs, &BoilerplateParams::default());
        assert_eq!(bp.set_of(7), (1000..1030).collect::<Vec<u32>>());
        assert!(bp.set_of(8).is_empty());
    }

    #[test]
    fn a_story_carried_many_times_is_not() {
        // Twenty copies of one story, each with a few words of its own,
        // among forty other stories: the copies keep their shingles.
        let mut docs = outlet_docs(3, 40, 200, 0);
        for i in 0..20u32 {
            let mut v: Vec<u32> = (500_000..500_300).chain([600_000 + i]).collect();
            v.sort_unstable();
            docs.push(doc(3, v));
        }
        let bp = find(&docs, &BoilerplateParams::default());
        assert!(bp.set_of(3).is_empty(), "{:?}", bp.set_of(3).len());
    }

    #[test]
    fn outlets_are_apart() {
        // The same footer in few documents of each of many outlets: in no
        // outlet is it common.
        let mut docs = Vec::new();
        for o in 1..=20u64 {
            let mut d = outlet_docs(o, 40, 100, 0);
            for x in d.iter_mut().take(1) {
                let mut v = x.shingles.as_deref().unwrap().to_vec();
                v.extend(1000..1030);
                v.sort_unstable();
                *x = doc(o, v);
            }
            docs.extend(d);
        }
        assert!(find(&docs, &BoilerplateParams::default()).is_empty());
    }

    /// Edges of a whole text (fingerprints in text order, then first
    /// words).
    fn whole_edges(fps: &[u32], words: &[u32]) -> Vec<u32> {
        fps.iter().chain(words).copied().collect()
    }

    #[test]
    fn seams_of_the_header_and_footer_go_and_a_phrase_inside_stays() {
        // 40 shingles of 4 words: header 0..=4, story, a boilerplate
        // shingle at 20 (mid-text), footer 35..=39.
        let bp: Vec<u32> = (1000..1005).chain([1020]).chain(1035..1040).collect();
        let is_in = |f: u32| bp.contains(&f);
        let fps: Vec<u32> = (1000..1040).collect();
        let words: Vec<u32> = (0..40).collect();
        let mut out = Vec::new();
        near_boilerplate(
            &whole_edges(&fps, &words),
            4,
            &is_in,
            &Slots::default(),
            &mut out,
        );
        // After the header: 5, 6, 7 share a word with shingle 4; before the
        // footer: 32, 33, 34 with shingle 35. Shingle 20 takes nothing.
        assert_eq!(out, vec![1005, 1006, 1007, 1032, 1033, 1034]);
        // With a slot of 2 words after the header's last shingle, the two
        // shingles that hold only slot and story words go too.
        let slots = Slots {
            after: vec![(1004, 2)],
        };
        near_boilerplate(&whole_edges(&fps, &words), 4, &is_in, &slots, &mut out);
        assert_eq!(out, vec![1005, 1006, 1007, 1008, 1009, 1032, 1033, 1034]);
    }

    #[test]
    fn a_short_gap_between_two_runs_of_chrome_goes() {
        // Runs 0..=4 and 8..=12 (a 3-word gap after the first run's
        // words 0..=7): every shingle between them shares a word with one.
        let bp: Vec<u32> = (100..105).chain(108..113).collect();
        let is_in = |f: u32| bp.contains(&f);
        let fps: Vec<u32> = (100..150).collect();
        let words: Vec<u32> = (0..50).collect();
        let mut out = Vec::new();
        near_boilerplate(
            &whole_edges(&fps, &words),
            4,
            &is_in,
            &Slots::default(),
            &mut out,
        );
        assert_eq!(out, vec![105, 106, 107, 113, 114, 115]);
    }

    #[test]
    fn a_varying_field_after_the_header_is_a_slot_and_a_repeated_story_is_not() {
        // Forty documents: header shingles 1..=5, then a two-word field
        // (values from small vocabularies), then their own story.
        let doc_with = |i: u32, field: [u32; 2], story: u32| {
            let fps: Vec<u32> = (1..=5).chain(100 + i * 50..100 + i * 50 + 30).collect();
            let mut words: Vec<u32> = (0..35).map(|p| 1_000_000 + story * 1000 + p).collect();
            // Words at positions 8 and 9 (after the header's words 0..=8).
            words[8] = field[0];
            words[9] = field[1];
            let mut d = doc(1, {
                let mut v = fps.clone();
                v.sort_unstable();
                v
            });
            d.edges = Some(Fingerprints::from(whole_edges(&fps, &words)));
            d
        };
        let docs: Vec<DocSketch> = (0..40u32)
            .map(|i| doc_with(i, [10 + i % 7, 20 + i % 11], i))
            .collect();
        let refs: Vec<&DocSketch> = docs.iter().collect();
        let slots = find_slots(&refs, &[1, 2, 3, 4, 5], 4, 5);
        assert_eq!(slots.after, vec![(5, 2)]);
        // The same story after the header in every document: not a field.
        let docs: Vec<DocSketch> = (0..40u32).map(|i| doc_with(i, [10, 20], 0)).collect();
        let refs: Vec<&DocSketch> = docs.iter().collect();
        assert!(find_slots(&refs, &[1, 2, 3, 4, 5], 4, 5).is_empty());
    }

    #[test]
    fn removal_agrees_with_a_set_difference() {
        let bp = Boilerplate::from_sets([(5, vec![9, 3, 7, 3])]);
        assert_eq!(bp.set_of(5), &[3, 7, 9]);
        let mut v = vec![1, 3, 4, 7, 8, 10];
        assert_eq!(bp.remove_from(5, &mut v), 2);
        assert_eq!(v, vec![1, 4, 8, 10]);
        assert_eq!(bp.remove_from(6, &mut v), 0);
        assert_eq!(bp.num_shingles(), 3);
    }

    /// The values held by at least `need` of `sets`, by counting every one.
    fn frequent_by_brute_force(sets: &[Vec<u32>], need: usize) -> Vec<u32> {
        let mut counts: HashMap<u32, usize> = HashMap::new();
        for s in sets {
            for &f in s {
                *counts.entry(f).or_default() += 1;
            }
        }
        let mut out: Vec<u32> = counts
            .into_iter()
            .filter(|&(_, c)| c >= need)
            .map(|(f, _)| f)
            .collect();
        out.sort_unstable();
        out
    }

    proptest::proptest! {
        /// The two-step count (rough by hash, then exact) finds exactly the
        /// values a full count finds, and each set's candidates are the
        /// candidates among its values; small value ranges make many
        /// repeated values and rough collisions, 0 included.
        #[test]
        fn the_two_step_count_agrees_with_a_full_count(
            raw in proptest::collection::vec(proptest::collection::vec(0u32..400, 0..60), 0..40),
            need in 1usize..8,
        ) {
            let sets: Vec<Vec<u32>> = raw
                .into_iter()
                .map(|mut s| {
                    s.sort_unstable();
                    s.dedup();
                    s
                })
                .collect();
            let refs: Vec<&[u32]> = sets.iter().map(Vec::as_slice).collect();
            let mut table = Frequent::default();
            // Twice, to check that a reused table starts afresh.
            for _ in 0..2 {
                table.count(&refs, need);
                let mut found = table.candidates.clone();
                found.sort_unstable();
                let want = frequent_by_brute_force(&sets, need);
                proptest::prop_assert_eq!(&found, &want);
                for (j, s) in sets.iter().enumerate() {
                    let mut held: Vec<u32> = table
                        .passed
                        .iter()
                        .filter(|&&(d, _)| d as usize == j)
                        .filter_map(|&(_, f)| table.candidate(f).map(|c| table.candidates[c]))
                        .collect();
                    held.sort_unstable();
                    let want_held: Vec<u32> =
                        s.iter().copied().filter(|f| want.binary_search(f).is_ok()).collect();
                    proptest::prop_assert_eq!(held, want_held);
                }
            }
        }
    }

    #[test]
    fn a_count_past_the_rough_counters_range_is_exact() {
        let sets: Vec<Vec<u32>> = (0..300u32).map(|i| vec![7, 1000 + i]).collect();
        let refs: Vec<&[u32]> = sets.iter().map(Vec::as_slice).collect();
        let mut table = Frequent::default();
        table.count(&refs, 280);
        assert_eq!(table.candidates, vec![7]);
        table.count(&refs[..279], 280);
        assert!(table.candidates.is_empty());
    }
}
