//! Setting an outlet's boilerplate aside in sketched documents.

use rayon::prelude::*;

use super::{Applied, Boilerplate, is_boilerplate_only};
use crate::dedup::bucket::BandKeys;
use crate::dedup::fingerprints::{in_shared_block, publish_blocks};
use crate::dedup::sketch::{DocSketch, SketchParams};
use crate::lsh::LshPlan;

/// A document whose boilerplate is less than one shingle in `LIGHT_SHARE`
/// keeps its signature and band keys: they are candidates' keys only, and
/// so little of the set changes them little (LSH finds the same pairs);
/// verification scores the set without the boilerplate all the same. Made
/// again whenever the signature itself is used (`--no-verify`, the
/// estimates `--pairs` prints).
const LIGHT_SHARE: usize = 10;

/// What became of a document's band keys.
enum Keys {
    Same,
    New(Vec<crate::dedup::bucket::BandKey>),
    TooShort,
}

/// Sets the boilerplate aside in sketched documents: their fingerprints,
/// shingle counts, signatures (made again from what is left) and band
/// keys; a document that is nearly all boilerplate
/// ([`is_boilerplate_only`]) becomes too short.
pub fn apply(
    docs: &mut [DocSketch],
    keys: &mut BandKeys,
    boilerplate: &Boilerplate,
    params: &SketchParams,
    plan: &LshPlan,
    resign_all: bool,
) -> Applied {
    if boilerplate.is_empty() {
        return Applied::default();
    }
    let min_shingles = params.min_shingles();
    // New band keys of the documents that changed: `None` when too short.
    let changed: Vec<(u32, Keys)> = docs
        .par_iter_mut()
        .enumerate()
        .map_init(
            || (Vec::new(), Vec::new(), Vec::new()),
            |(left, mins, near), (i, d)| {
                // Needed no more, whatever happens here.
                let edges = d.edges.take();
                let fps = d.shingles.as_deref().filter(|_| !d.is_empty())?;
                let edges = edges.as_deref().map(|e| (e, params.shingle_size));
                let removed = boilerplate.subtract_near(d.outlet, fps, edges, left, near);
                if removed == 0 {
                    return None;
                }
                if is_boilerplate_only(removed, left.len(), min_shingles) {
                    left.clear();
                }
                let before = fps.len();
                d.num_shingles = left.len() as u32;
                d.shingles = Some(in_shared_block(left));
                if !resign_all && !left.is_empty() && removed * LIGHT_SHARE < before {
                    // A little boilerplate: the band keys stay (see
                    // `LIGHT_SHARE`); verification scores the new set.
                    return Some((i as u32, Keys::Same));
                }
                params.hasher.sketch_fingerprints_into(left, mins);
                let signature: Vec<u32> = mins.iter().map(|&m| m as u32).collect();
                let band_keys = if left.is_empty() {
                    Keys::TooShort
                } else {
                    Keys::New(
                        (0..plan.bands)
                            .map(|b| plan.band_key32(&signature, b))
                            .collect(),
                    )
                };
                if params.keep_signature {
                    d.signature = signature;
                }
                Some((i as u32, band_keys))
            },
        )
        .flatten()
        .collect();
    // The new sets are readable once the blocks they were copied into are.
    publish_blocks();
    let mut applied = Applied {
        articles: changed.len(),
        too_short: 0,
    };
    let mut newly_short = Vec::new();
    for (i, k) in changed {
        match k {
            Keys::Same => {}
            Keys::New(k) => {
                for (band, key) in k.into_iter().enumerate() {
                    keys.bands[band][i as usize] = key;
                }
            }
            Keys::TooShort => {
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
