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
//! formulae of wire copy (results tables, sign-offs). Everything is a function of the documents in input order: the
//! same sets whatever the thread count.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::bucket::BandKeys;
use super::fingerprints::Fingerprints;
use super::sketch::{DocSketch, SketchParams, intersection_len};
use super::sort::{SortScratch, sort_hashes_u32};
use crate::lsh::LshPlan;

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
}

impl Default for BoilerplateParams {
    fn default() -> Self {
        BoilerplateParams {
            sample: 512,
            min_docs: 5,
            min_share: 0.01,
            max_doc_share: 0.5,
            min_run: 5,
        }
    }
}

/// The boilerplate shingles of each outlet, as sorted 32-bit fingerprints.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Boilerplate {
    /// `(outlet key, sorted fingerprints)`, by outlet key; outlets without
    /// boilerplate are left out.
    outlets: Vec<(u64, Vec<u32>)>,
}

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
        let mut outlets: Vec<(u64, Vec<u32>)> = sets
            .into_iter()
            .map(|(k, mut v)| {
                v.sort_unstable();
                v.dedup();
                (k, v)
            })
            .filter(|(_, v)| !v.is_empty())
            .collect();
        outlets.sort_unstable_by_key(|(k, _)| *k);
        outlets.dedup_by_key(|(k, _)| *k);
        Boilerplate { outlets }
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
        let set = self.set_of(outlet);
        if set.is_empty() || intersection_len(fingerprints, set) == 0 {
            return 0;
        }
        let before = fingerprints.len();
        let mut j = 0;
        fingerprints.retain(|&f| {
            while j < set.len() && set[j] < f {
                j += 1;
            }
            !(j < set.len() && set[j] == f)
        });
        before - fingerprints.len()
    }
}

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
    let sets: Vec<(u64, Vec<u32>)> = outlets
        .par_iter()
        .map(|(k, members)| (*k, outlet_boilerplate(docs, members, params)))
        .collect();
    Boilerplate::from_sets(sets)
}

/// The boilerplate of one outlet whose documents (with shingles, in input
/// order) are `members`.
fn outlet_boilerplate(docs: &[DocSketch], members: &[u32], params: &BoilerplateParams) -> Vec<u32> {
    let n = members.len();
    let take = params.sample.max(1).min(n);
    // Spread evenly over the input order.
    let sample: Vec<&[u32]> = (0..take)
        .map(|i| {
            let d = &docs[members[i * n / take] as usize];
            d.shingles.as_deref().unwrap_or(&[])
        })
        .collect();
    let need = params
        .min_docs
        .max((params.min_share * take as f64).ceil() as usize)
        .max(2);
    if take < need {
        return Vec::new();
    }
    // Document frequency of every fingerprint of the sample: each
    // document's set is distinct, so a fingerprint's run length is the
    // number of documents holding it.
    let mut all: Vec<u32> = Vec::with_capacity(sample.iter().map(|s| s.len()).sum());
    for s in &sample {
        all.extend_from_slice(s);
    }
    sort_hashes_u32(&mut all, &mut SortScratch::default());
    let mut candidates = Vec::new();
    let mut i = 0;
    while i < all.len() {
        let mut j = i + 1;
        while j < all.len() && all[j] == all[i] {
            j += 1;
        }
        if j - i >= need {
            candidates.push(all[i]);
        }
        i = j;
    }
    if candidates.is_empty() {
        return candidates;
    }
    // Per candidate: in how many of its documents the candidates are a
    // small part (`low`) and in how many not (`high`).
    let mut low = vec![0u32; candidates.len()];
    let mut high = vec![0u32; candidates.len()];
    // Per candidate, a hash of the list of sampled documents holding it.
    let mut holders = vec![0u64; candidates.len()];
    let mut held = Vec::new();
    for (j, s) in sample.iter().enumerate() {
        held.clear();
        let (mut a, mut b) = (0, 0);
        while a < s.len() && b < candidates.len() {
            match s[a].cmp(&candidates[b]) {
                std::cmp::Ordering::Less => a += 1,
                std::cmp::Ordering::Greater => b += 1,
                std::cmp::Ordering::Equal => {
                    held.push(b);
                    a += 1;
                    b += 1;
                }
            }
        }
        if held.is_empty() {
            continue;
        }
        let small = (held.len() as f64) < params.max_doc_share * s.len() as f64;
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
    candidates
        .iter()
        .enumerate()
        .filter(|&(i, _)| low[i] > high[i] && group_size(holders[i]) >= params.min_run)
        .map(|(_, &c)| c)
        .collect()
}

/// A document is nearly all boilerplate, and so too short to compare, when
/// boilerplate was most of its shingles and fewer than `min_shingles` (those
/// of the least number of words) are left. A short article that loses a
/// shingle or two to a common phrase stays.
pub fn is_boilerplate_only(removed: usize, left: usize, min_shingles: usize) -> bool {
    removed > left && left < min_shingles
}

/// Sets the boilerplate aside in sketched documents: their fingerprints,
/// shingle counts, signatures (made again from what is left) and band
/// keys; a document that is nearly all boilerplate
/// ([`is_boilerplate_only`]) becomes too short.
pub(crate) fn apply(
    docs: &mut [DocSketch],
    keys: &mut BandKeys,
    boilerplate: &Boilerplate,
    params: &SketchParams,
    plan: &LshPlan,
) -> Applied {
    if boilerplate.is_empty() {
        return Applied::default();
    }
    let min_shingles = params.min_shingles();
    // New band keys of the documents that changed: `None` when too short.
    let changed: Vec<(u32, Option<Vec<super::bucket::BandKey>>)> = docs
        .par_iter_mut()
        .enumerate()
        .filter_map(|(i, d)| {
            let set = boilerplate.set_of(d.outlet);
            let fps = d.shingles.as_deref()?;
            if set.is_empty() || d.is_empty() || intersection_len(fps, set) == 0 {
                return None;
            }
            let mut left = fps.to_vec();
            let removed = boilerplate.remove_from(d.outlet, &mut left);
            if is_boilerplate_only(removed, left.len(), min_shingles) {
                left.clear();
            }
            let mut mins = Vec::new();
            params.hasher.sketch_fingerprints_into(&left, &mut mins);
            let signature: Vec<u32> = mins.iter().map(|&m| m as u32).collect();
            let band_keys = (!left.is_empty()).then(|| {
                (0..plan.bands)
                    .map(|b| super::bucket::band_key(plan, &signature, b))
                    .collect()
            });
            d.num_shingles = left.len() as u32;
            d.shingles = Some(Fingerprints::from(left));
            if params.keep_signature {
                d.signature = signature;
            }
            Some((i as u32, band_keys))
        })
        .collect();
    let mut applied = Applied {
        articles: changed.len(),
        too_short: 0,
    };
    let mut newly_short = Vec::new();
    for (i, k) in changed {
        match k {
            Some(k) => {
                for (band, key) in k.into_iter().enumerate() {
                    keys.bands[band][i as usize] = key;
                }
            }
            None => {
                for band in keys.bands.iter_mut() {
                    band[i as usize] = 0;
                }
                newly_short.push(i);
                applied.too_short += 1;
            }
        }
    }
    if !newly_short.is_empty() {
        keys.too_short.extend(newly_short);
        keys.too_short.sort_unstable();
    }
    applied
}

#[cfg(test)]
mod tests {
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
}
