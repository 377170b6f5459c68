//! Stage 2: bucket. Documents sharing a band key become candidate pairs.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::sketch::DocSketch;
use super::sort::{SortScratch, sort_by_hash};
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

pub use crate::lsh::BandKey;

/// One bucket entry: a band key and a document (the shuffle record a
/// distributed engine would group by key).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BucketEntry {
    /// Hash of one band of the signature (distinct per band).
    pub key: BandKey,
    /// The document index.
    pub doc: u32,
}

/// The band keys of a corpus, band by band (stage 1 output: made at
/// sketch time by [`sketch_article_keyed`](super::sketch::sketch_article_keyed),
/// or from the signatures by [`BandKeys::of`]). A band's keys are one array
/// in document order, so the bucket stage reads them in one sweep.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BandKeys {
    /// `bands[band][doc]`: the key of a document's band (0 for a document
    /// too short to compare, which is in no bucket).
    pub bands: Vec<Vec<BandKey>>,
    /// The documents too short to compare ([`DocSketch::is_empty`]:
    /// fewer words than the minimum, none at all included), ascending.
    pub too_short: Vec<u32>,
    /// Documents covered.
    pub docs: usize,
}

impl BandKeys {
    /// No documents yet, `bands` bands.
    pub fn new(bands: usize) -> Self {
        BandKeys {
            bands: vec![Vec::new(); bands],
            too_short: Vec::new(),
            docs: 0,
        }
    }

    /// The keys of documents that kept their signatures
    /// ([`SketchParams::keep_signature`](super::SketchParams::keep_signature)).
    pub fn of(docs: &[DocSketch], plan: &LshPlan) -> Self {
        let bands = (0..plan.bands)
            .into_par_iter()
            .map(|band| {
                docs.iter()
                    .map(|d| {
                        if d.is_empty() {
                            0
                        } else {
                            plan.band_key32(&d.signature, band)
                        }
                    })
                    .collect()
            })
            .collect();
        BandKeys {
            bands,
            too_short: (0..docs.len() as u32)
                .filter(|&i| docs[i as usize].is_empty())
                .collect(),
            docs: docs.len(),
        }
    }

    /// Makes room for `additional` more documents.
    pub fn reserve(&mut self, additional: usize) {
        for band in &mut self.bands {
            band.reserve(additional);
            crate::cache::huge_pages(band);
        }
    }

    /// Backs the memory the keys of the next `additional` documents will
    /// take ([`crate::cache::prefault_spare`]).
    pub(crate) fn prefault(&mut self, additional: usize) {
        for band in &mut self.bands {
            crate::cache::prefault_spare(band, additional);
        }
    }

    /// Number of bands.
    pub fn num_bands(&self) -> usize {
        self.bands.len()
    }

    /// Appends the next document: its keys, one per band, and whether it
    /// has words.
    pub fn push(&mut self, keys: &[BandKey], has_words: bool) {
        assert_eq!(keys.len(), self.bands.len(), "one key per band");
        if !has_words {
            self.too_short.push(self.docs as u32);
        }
        for (band, &k) in self.bands.iter_mut().zip(keys) {
            band.push(if has_words { k } else { 0 });
        }
        self.docs += 1;
    }

    /// Appends `n` documents given as consecutive runs of one key per
    /// band (`keys[i * bands..(i + 1) * bands]` for the `i`-th document),
    /// band by band.
    ///
    /// # Panics
    /// When `keys` does not hold `n` runs.
    pub fn extend_docs(&mut self, keys: &[BandKey], n: usize, has_words: impl Fn(usize) -> bool) {
        let nb = self.bands.len();
        assert_eq!(keys.len(), n * nb, "one key per band and document");
        for i in 0..n {
            if !has_words(i) {
                self.too_short.push((self.docs + i) as u32);
            }
        }
        let first_empty = self
            .too_short
            .partition_point(|&d| (d as usize) < self.docs);
        let empty = &self.too_short[first_empty..];
        for (band, out) in self.bands.iter_mut().enumerate() {
            out.extend(keys.iter().skip(band).step_by(nb));
            for &d in empty {
                out[d as usize] = 0;
            }
        }
        self.docs += n;
    }
}

/// Documents per job of [`band_entries_into`].
const BAND_CHUNK: usize = 1 << 14;

/// The bucket entries of one band, for all documents with words.
pub fn band_entries(keys: &BandKeys, band: usize) -> Vec<BucketEntry> {
    let mut out = Vec::new();
    band_entries_into(keys, band, &mut out);
    out
}

/// [`band_entries`] into `out` (cleared first), so that one buffer serves
/// every band: a fresh one for each band was a new allocation whose pages
/// all faulted in.
pub fn band_entries_into(keys: &BandKeys, band: usize, out: &mut Vec<BucketEntry>) {
    let band_keys = &keys.bands[band];
    out.clear();
    out.resize(band_keys.len(), BucketEntry::default());
    out.par_chunks_mut(BAND_CHUNK)
        .zip(band_keys.par_chunks(BAND_CHUNK))
        .enumerate()
        .for_each(|(c, (out, chunk))| {
            for (i, (e, &key)) in out.iter_mut().zip(chunk).enumerate() {
                *e = BucketEntry {
                    key,
                    doc: (c * BAND_CHUNK + i) as u32,
                };
            }
        });
    if !keys.too_short.is_empty() {
        out.retain(|e| keys.too_short.binary_search(&e.doc).is_err());
    }
}

/// Sorts a band's entries by (key, doc); keys are hashes, so in linear
/// expected time.
pub fn sort_entries(entries: &mut Vec<BucketEntry>, scratch: &mut SortScratch<BucketEntry>) {
    sort_by_hash(entries, |e| (e.key as u64) << 32, scratch);
}

/// The groups of entries sorted by (key, doc) sharing a key, with at least
/// two documents each, in key order.
pub fn groups(entries: &[BucketEntry]) -> impl Iterator<Item = &[BucketEntry]> {
    entries
        .chunk_by(|x, y| x.key == y.key)
        .filter(|g| g.len() >= 2)
}

/// The candidate pairs of a group of `n` documents (entries sorted by
/// document), as positions `(i, j)`, `i < j`, in the group; in two parts
/// whose union is the group's pairs:
///
/// * [`star_pairs`]: every member with the group's first member, `(0, i)`
///   for `i ≥ 1`;
/// * [`rest_pairs`]: for a group of at most [`FULL_PAIRS_MAX_BUCKET`]
///   documents all other pairs `(i, j)`, `1 ≤ i < j`; for a larger group
///   only the chain of neighbours `(i - 1, i)`, `i ≥ 2`.
///
/// Both call `emit(i, j)` in a fixed order.
pub fn star_pairs(n: usize, mut emit: impl FnMut(usize, usize)) {
    for i in 1..n {
        emit(0, i);
    }
}

/// See [`star_pairs`].
pub fn rest_pairs(n: usize, mut emit: impl FnMut(usize, usize)) {
    if n <= FULL_PAIRS_MAX_BUCKET {
        for i in 1..n {
            for j in i + 1..n {
                emit(i, j);
            }
        }
    } else {
        for i in 2..n {
            emit(i - 1, i);
        }
    }
}

/// The number of pairs [`rest_pairs`] emits for a group of `n ≥ 2`
/// documents.
pub fn rest_pair_count(n: usize) -> usize {
    if n <= FULL_PAIRS_MAX_BUCKET {
        (n - 1) * (n - 2) / 2
    } else {
        n - 2
    }
}

/// Candidate pairs from entries sorted by (key, doc), appended as packed
/// `a << 32 | b`.
fn pairs_from_sorted(entries: &[BucketEntry], out: &mut Vec<u64>) {
    for group in groups(entries) {
        let mut emit =
            |i: usize, j: usize| out.push(((group[i].doc as u64) << 32) | group[j].doc as u64);
        star_pairs(group.len(), &mut emit);
        rest_pairs(group.len(), &mut emit);
    }
}

/// All candidate pairs, sorted and distinct. Bands are processed one at a
/// time so that memory stays at one band of entries plus the pairs; the
/// pairs gathered so far are sorted and deduplicated whenever they have
/// doubled since the last time (so each pair is sorted a bounded number of
/// times, not once per band).
pub fn candidates(keys: &BandKeys) -> Vec<Candidate> {
    let mut packed: Vec<u64> = Vec::new();
    let mut distinct = 0usize;
    let mut scratch = SortScratch::default();
    let mut entries = Vec::new();
    for band in 0..keys.num_bands() {
        band_entries_into(keys, band, &mut entries);
        sort_entries(&mut entries, &mut scratch);
        pairs_from_sorted(&entries, &mut packed);
        if packed.len() > (1 << 24) && packed.len() > 2 * distinct {
            packed.par_sort_unstable();
            packed.dedup();
            distinct = packed.len();
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
            outlet: 0,
            date: None,
            num_shingles: 1,
            words: 4,
            signature: sig,
            shingles: None,
            edges: None,
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
        let c = candidates(&BandKeys::of(&docs, &plan));
        assert_eq!(c, vec![Candidate { a: 0, b: 1 }, Candidate { a: 0, b: 2 }]);
    }

    #[test]
    fn band_entries_match_a_plain_pass_across_chunks() {
        let plan = LshPlan {
            bands: 5,
            rows: 3,
            threshold: 0.5,
            fp_mass: 0.0,
            fn_mass: 0.0,
        };
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let docs: Vec<DocSketch> = (0..3 * BAND_CHUNK + 77)
            .map(|i| {
                let sig = (0..16)
                    .map(|_| {
                        x ^= x << 13;
                        x ^= x >> 7;
                        x ^= x << 17;
                        x as u32
                    })
                    .collect();
                let mut d = doc(sig);
                // Some documents without words, one in every chunk.
                if i % (BAND_CHUNK - 300) == 3 {
                    d.num_shingles = 0;
                }
                d
            })
            .collect();
        let keys = BandKeys::of(&docs, &plan);
        assert_eq!(keys.too_short.len(), 4);
        // The same keys pushed one document at a time, and appended in
        // runs of documents.
        let mut pushed = BandKeys::new(plan.bands);
        let mut extended = BandKeys::new(plan.bands);
        for run in docs.chunks(1000) {
            let flat: Vec<BandKey> = run
                .iter()
                .flat_map(|d| (0..plan.bands).map(|b| plan.band_key32(&d.signature, b)))
                .collect();
            for (d, k) in run.iter().zip(flat.chunks(plan.bands)) {
                pushed.push(k, !d.is_empty());
            }
            extended.extend_docs(&flat, run.len(), |i| !run[i].is_empty());
        }
        assert_eq!(pushed, keys);
        assert_eq!(extended, keys);
        for band in 0..plan.bands {
            let plain: Vec<BucketEntry> = docs
                .iter()
                .enumerate()
                .filter(|(_, d)| !d.is_empty())
                .map(|(i, d)| BucketEntry {
                    key: plan.band_key32(&d.signature, band),
                    doc: i as u32,
                })
                .collect();
            assert_eq!(band_entries(&keys, band), plain, "band {band}");
        }
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

    #[test]
    fn star_and_rest_are_all_pairs_of_small_groups() {
        for n in [2usize, 3, 7, FULL_PAIRS_MAX_BUCKET] {
            let mut got = Vec::new();
            star_pairs(n, |i, j| got.push((i, j)));
            rest_pairs(n, |i, j| got.push((i, j)));
            assert_eq!(got.len(), n - 1 + rest_pair_count(n));
            got.sort_unstable();
            let all: Vec<(usize, usize)> = (0..n)
                .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
                .collect();
            assert_eq!(got, all);
        }
        let mut rest = Vec::new();
        rest_pairs(FULL_PAIRS_MAX_BUCKET + 5, |i, j| rest.push((i, j)));
        assert_eq!(rest.len(), rest_pair_count(FULL_PAIRS_MAX_BUCKET + 5));
        assert!(rest.iter().all(|&(i, j)| i >= 1 && j == i + 1));
    }
}
