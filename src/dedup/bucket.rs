//! Stage 2: bucket. Documents sharing a band key become candidate pairs.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::sketch::DocSketch;
use crate::lsh::LshPlan;

/// Buckets larger than this do not emit all their pairs: each member is
/// paired with the bucket's first member and with its neighbour (in
/// document order), which is enough to connect a cluster of copies without
/// quadratic work.
pub const FULL_PAIRS_MAX_BUCKET: usize = 100;

/// A candidate pair of documents (indices in corpus order, `a < b`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Candidate {
    /// The earlier document.
    pub a: u32,
    /// The later document.
    pub b: u32,
}

/// One bucket entry: a band key and a document (the shuffle record a
/// distributed engine would group by key).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BucketEntry {
    /// Hash of one band of the signature (distinct per band).
    pub key: u64,
    /// The document index.
    pub doc: u32,
}

/// The bucket entries of one band, for all documents with words.
pub fn band_entries(docs: &[DocSketch], plan: &LshPlan, band: usize) -> Vec<BucketEntry> {
    docs.par_iter()
        .enumerate()
        .filter(|(_, d)| !d.is_empty())
        .map(|(i, d)| BucketEntry {
            key: plan.band_key(&d.signature, band),
            doc: i as u32,
        })
        .collect()
}

/// Candidate pairs from entries sorted by (key, doc), appended as packed
/// `a << 32 | b`.
fn pairs_from_sorted(entries: &[BucketEntry], out: &mut Vec<u64>) {
    let mut start = 0;
    while start < entries.len() {
        let key = entries[start].key;
        let mut end = start + 1;
        while end < entries.len() && entries[end].key == key {
            end += 1;
        }
        let group = &entries[start..end];
        if group.len() <= FULL_PAIRS_MAX_BUCKET {
            for (i, x) in group.iter().enumerate() {
                for y in &group[i + 1..] {
                    out.push(((x.doc as u64) << 32) | y.doc as u64);
                }
            }
        } else {
            let first = group[0].doc as u64;
            for w in group.windows(2) {
                out.push((first << 32) | w[1].doc as u64);
                if w[0].doc as u64 != first {
                    out.push(((w[0].doc as u64) << 32) | w[1].doc as u64);
                }
            }
        }
        start = end;
    }
}

/// All candidate pairs, sorted and distinct. Bands are processed one at a
/// time so that memory stays at one band of entries plus the pairs.
pub fn candidates(docs: &[DocSketch], plan: &LshPlan) -> Vec<Candidate> {
    let mut packed: Vec<u64> = Vec::new();
    for band in 0..plan.bands {
        let mut entries = band_entries(docs, plan, band);
        entries.par_sort_unstable();
        pairs_from_sorted(&entries, &mut packed);
        if packed.len() > (1 << 24) {
            packed.par_sort_unstable();
            packed.dedup();
        }
    }
    packed.par_sort_unstable();
    packed.dedup();
    packed
        .into_iter()
        .map(|p| Candidate {
            a: (p >> 32) as u32,
            b: p as u32,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(sig: Vec<u32>) -> DocSketch {
        DocSketch {
            id: String::new(),
            date: None,
            num_shingles: 1,
            signature: sig,
            shingles: None,
        }
    }

    #[test]
    fn shared_band_makes_candidates() {
        let plan = LshPlan {
            bands: 2,
            rows: 2,
            threshold: 0.5,
            fp_mass: 0.0,
            fn_mass: 0.0,
        };
        let docs = vec![
            doc(vec![1, 2, 3, 4]),
            doc(vec![9, 9, 3, 4]),
            doc(vec![1, 2, 8, 8]),
            doc(vec![5, 6, 7, 0]),
        ];
        let c = candidates(&docs, &plan);
        assert_eq!(c, vec![Candidate { a: 0, b: 1 }, Candidate { a: 0, b: 2 }]);
    }

    #[test]
    fn big_bucket_stays_connected_and_linear() {
        let entries: Vec<BucketEntry> = (0..1000).map(|d| BucketEntry { key: 7, doc: d }).collect();
        let mut out = Vec::new();
        pairs_from_sorted(&entries, &mut out);
        assert!(out.len() < 2000);
        // Every member is paired with the first.
        for d in 1..1000u64 {
            assert!(out.contains(&d));
        }
    }
}
