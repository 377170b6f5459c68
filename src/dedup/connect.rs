//! Stages 2–3 for clusters only: the candidate pairs of the LSH buckets
//! are verified and joined in one pass, skipping every candidate whose two
//! documents are already in the same cluster.
//!
//! [`candidates`](super::candidates) + [`verify`](super::verify()) score
//! every candidate pair, which `--pairs` needs. Clusters need less: the
//! connected components of the verified pairs. At threshold 0.5 on a corpus
//! with clusters of hundreds of edited copies, most of the tens of millions
//! of candidate pairs fall inside a cluster that a few other pairs have
//! already connected. [`connect`] streams the candidate pairs band by band
//! (nothing is materialised but one band of bucket entries) and verifies
//! only the pairs that could still join two clusters.
//!
//! # Order and batches
//!
//! For each band in turn, the band's entries are sorted by `(key, doc)`
//! (the next band's are made and sorted on the thread pool while this
//! band's pairs are offered);
//! first the star pairs of every group are offered (each member with the
//! group's first member, [`bucket::star_pairs`]), then the rest of every
//! group's pairs ([`bucket::rest_pairs`]). Star pairs first because a
//! group of copies is usually connected by them alone, after which its
//! quadratic rest is skipped. A pair offered is dropped when its two
//! documents have the same union-find root, or when it was already found
//! below the threshold; otherwise it waits in a batch. A batch that holds
//! [`BATCH`] pairs goes to the thread pool to be scored while the next one
//! is offered; when that one is full in turn, the first batch's pairs
//! meeting the threshold are united one by one in batch order (and its
//! others remembered as rejected) before the second goes to the pool. So
//! the pairs offered into a batch are filtered by the unions of every
//! batch but the one just before it. At the end of every phase (a band's
//! stars, a band's rest) both batches are scored and united before the
//! next phase is offered. Batch boundaries depend only on the data, never
//! on the thread count or on timing, so the pairs checked and the figures
//! are the same with any number of threads.
//!
//! # Same clusters as verifying every candidate
//!
//! Let `E` be the candidate pairs meeting the threshold (the pairs
//! `verify` would return) and `C` the connected components of the graph
//! `(documents, E)`, which is what [`cluster`](super::cluster()) outputs. The
//! union-find partition `P` built here equals `C`:
//!
//! * every block of `P` lies inside one component of `C`: blocks start as
//!   singletons and are only merged along a pair that was scored and met
//!   the threshold, i.e. an edge of `E`; a union of two sets each connected
//!   in `E` by an edge of `E` is connected in `E`.
//! * every component of `C` lies inside one block of `P`: every candidate
//!   pair `(a, b)` is offered at least once (the bands emit the same pairs
//!   as [`candidates`](super::candidates), only in another order and with
//!   repeats). When `(a, b)` is in `E`, at that moment either `a` and `b`
//!   already share a root (skipped, and blocks are never split, so they
//!   stay together), or `(a, b)` is not in the rejected set (only pairs
//!   scored below the threshold are) and is scored in a later batch, meets
//!   the threshold and is united. So both ends of every edge of `E` end in
//!   one block, and hence so does every component of `E`.
//!
//! Neither argument depends on the order of the offers or on where a batch
//! ends (a stale root only makes a pair scored that could have been
//! skipped), so the clusters, their representatives and their member
//! scores (computed against the representative by
//! [`clusters_from_labels`](super::cluster::clusters_from_labels)) are the
//! ones of the full path, byte for byte. `tests/dedup_props.rs` checks
//! this on random corpora and thread counts.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::Metric;
use super::bucket::{self, BandKeys, BucketEntry, band_entries_into};
use super::cluster::UnionFind;
use super::sketch::DocSketch;
use super::sort::SortScratch;
use super::verify::{
    PREFETCH_AHEAD, PREFETCH_CHUNK, as_bytes, meets_threshold, sets_meet_threshold,
};

/// Pairs scored together in parallel. Small enough that few pairs are
/// scored after an earlier pair of the same batch joined their clusters,
/// large enough (about a millisecond of work) for parallel scoring
/// (1024 checked 2 % fewer pairs than 4096 on a 100k-article prefix).
pub const BATCH: usize = 1024;

/// The result of [`connect`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Connected {
    /// The cluster label of every document (a union-find root: the
    /// document's cluster is the set of documents with the same label).
    pub labels: Vec<u32>,
    /// Candidate pairs emitted by the buckets, counted once per band that
    /// emits them.
    pub offered: usize,
    /// Pairs scored exactly.
    pub checked: usize,
    /// Pairs scored that met the threshold.
    pub verified: usize,
    /// Pairs that joined two clusters (the number of documents minus the
    /// number of clusters, singletons included).
    pub joined: usize,
}

/// Figures of [`connect`] besides its result.
#[derive(Clone, Copy, Debug, Default)]
pub struct ConnectTimes {
    /// Time computing band keys, sorting and offering pairs.
    pub bucket: Duration,
    /// Time scoring batches and uniting.
    pub verify: Duration,
}

/// A hasher for packed pairs (one 64-bit mix, no DoS resistance needed).
#[derive(Default)]
struct PairHasher(u64);

impl Hasher for PairHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = crate::sketch::mix64(self.0 ^ b as u64);
        }
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = crate::sketch::mix64(self.0 ^ x);
    }
}

/// A batch being scored on the pool: its pairs and, once scored, whether
/// each meets the threshold.
type Scored = (Vec<u64>, Vec<bool>);

struct Joiner<'a, 's> {
    docs: &'a [DocSketch],
    sets: &'a [Option<&'a [u32]>],
    metric: Metric,
    threshold: f64,
    scope: &'s rayon::Scope<'a>,
    uf: UnionFind,
    rejected: HashSet<u64, BuildHasherDefault<PairHasher>>,
    pending: Vec<u64>,
    /// The batch submitted last, scored while the next one is offered.
    in_flight: Option<std::sync::mpsc::Receiver<Scored>>,
    /// A batch's buffer, back from the pool for reuse.
    spare: Vec<u64>,
    /// Incremented whenever a batch's unions are applied (roots cached
    /// before it may be stale).
    generation: usize,
    out: Connected,
    verify_time: Duration,
}

impl<'a> Joiner<'a, '_> {
    /// Offers a pair whose roots were found different (or not looked up).
    fn offer(&mut self, a: u32, b: u32) {
        let p = ((a as u64) << 32) | b as u64;
        if self.rejected.contains(&p) {
            return;
        }
        self.pending.push(p);
        if self.pending.len() >= BATCH {
            self.submit();
        }
    }

    /// Waits for the batch in flight and applies it, then sends the
    /// pending pairs to the pool to be scored while more are offered.
    /// The pairs offered next are filtered by the unions of the batch
    /// before the one in flight, whatever the number of threads, so the
    /// pairs checked do not depend on it.
    fn submit(&mut self) {
        self.collect();
        if self.pending.is_empty() {
            return;
        }
        let mut batch = std::mem::replace(&mut self.pending, std::mem::take(&mut self.spare));
        // The same pair can be offered by two bands within one batch.
        batch.sort_unstable();
        batch.dedup();
        let (docs, sets, metric, threshold) = (self.docs, self.sets, self.metric, self.threshold);
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        self.scope.spawn(move |_| {
            let ok = score(docs, sets, &batch, metric, threshold);
            // The receiver lives until the batch is collected.
            let _ = tx.send((batch, ok));
        });
        self.in_flight = Some(rx);
    }

    /// Waits for the batch in flight, helping the pool meanwhile, and
    /// unites its pairs meeting the threshold in order.
    fn collect(&mut self) {
        let Some(rx) = self.in_flight.take() else {
            return;
        };
        let t = Instant::now();
        let (batch, ok) = loop {
            match rx.try_recv() {
                Ok(scored) => break scored,
                Err(std::sync::mpsc::TryRecvError::Empty) => {
                    if rayon::yield_now() != Some(rayon::Yield::Executed) {
                        std::thread::yield_now();
                    }
                }
                Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                    // The job panicked; the scope passes its panic on.
                    panic!("a scoring job ended without its result")
                }
            }
        };
        self.apply(&batch, &ok);
        self.spare = batch;
        self.spare.clear();
        self.verify_time += t.elapsed();
    }

    /// Scores every pair offered so far and applies the results: at the
    /// end of a phase, so that the next phase sees all of its unions.
    fn flush(&mut self) {
        self.collect();
        if self.pending.is_empty() {
            return;
        }
        let t = Instant::now();
        let mut batch = std::mem::take(&mut self.pending);
        batch.sort_unstable();
        batch.dedup();
        let ok = score(self.docs, self.sets, &batch, self.metric, self.threshold);
        self.apply(&batch, &ok);
        batch.clear();
        self.pending = batch;
        self.verify_time += t.elapsed();
    }

    /// Unites the pairs of a scored batch that meet the threshold, in
    /// order, and remembers the others.
    fn apply(&mut self, batch: &[u64], ok: &[bool]) {
        self.out.checked += batch.len();
        for (&p, &ok) in batch.iter().zip(ok) {
            let (a, b) = ((p >> 32) as u32, p as u32);
            if ok {
                self.out.verified += 1;
                if self.uf.union(a, b) {
                    self.out.joined += 1;
                }
            } else {
                self.rejected.insert(p);
            }
        }
        self.generation += 1;
    }
}

/// Whether each pair meets the threshold, scored in parallel. `sets` are
/// the documents' shingle sets, gathered in one array so that a pair costs
/// no look at its documents' sketches (scattered over memory).
fn score(
    docs: &[DocSketch],
    sets: &[Option<&[u32]>],
    pairs: &[u64],
    metric: Metric,
    threshold: f64,
) -> Vec<bool> {
    pairs
        .par_chunks(PREFETCH_CHUNK)
        .flat_map_iter(|chunk| {
            (0..chunk.len()).map(move |i| {
                // The pair a few ahead: its shingle sets start loading
                // while this pair is merged (the documents' sets are
                // scattered over memory; a merge mostly waits on them).
                if let Some(&q) = chunk.get(i + PREFETCH_AHEAD) {
                    for d in [(q >> 32) as usize, q as u32 as usize] {
                        if let Some(sh) = sets[d] {
                            crate::cache::prefetch(as_bytes(&sh[..sh.len().min(64)]));
                        }
                    }
                }
                let (a, b) = ((chunk[i] >> 32) as u32, chunk[i] as u32);
                match (sets[a as usize], sets[b as usize]) {
                    (Some(sa), Some(sb)) => sets_meet_threshold(sa, sb, metric, threshold),
                    _ => meets_threshold(docs, a, b, metric, threshold),
                }
            })
        })
        .collect()
}

/// Clusters the documents: the connected components of the candidate
/// pairs meeting `threshold` under `metric`, verifying only the pairs that
/// can still join two clusters (see the module documentation).
pub fn connect(
    docs: &[DocSketch],
    keys: &BandKeys,
    metric: Metric,
    threshold: f64,
) -> (Connected, ConnectTimes) {
    let sets: Vec<Option<&[u32]>> = docs.par_iter().map(|d| d.shingles.as_deref()).collect();
    rayon::scope(|scope| connect_in(scope, docs, &sets, keys, metric, threshold))
}

fn connect_in<'a>(
    scope: &rayon::Scope<'a>,
    docs: &'a [DocSketch],
    sets: &'a [Option<&'a [u32]>],
    keys: &BandKeys,
    metric: Metric,
    threshold: f64,
) -> (Connected, ConnectTimes) {
    let start = Instant::now();
    let mut j = Joiner {
        docs,
        sets,
        metric,
        threshold,
        scope,
        uf: UnionFind::new(docs.len()),
        rejected: HashSet::default(),
        pending: Vec::with_capacity(BATCH),
        in_flight: None,
        spare: Vec::with_capacity(BATCH),
        generation: 0,
        out: Connected::default(),
        verify_time: Duration::ZERO,
    };
    let mut roots: Vec<u32> = Vec::new();
    let mut scratch = SortScratch::default();
    let prepare = |band: usize, entries: &mut Vec<BucketEntry>, scratch: &mut SortScratch<_>| {
        band_entries_into(keys, band, entries);
        bucket::sort_entries(entries, scratch);
    };
    // Two buffers, used in turn: the band being offered and the next one.
    let (mut current, mut next) = (Vec::new(), Vec::new());
    let bands = keys.num_bands();
    if bands > 0 {
        prepare(0, &mut current, &mut scratch);
    }
    for band in 0..bands {
        // The next band's entries are made and sorted on the pool while
        // this band's pairs are offered (neither depends on the other).
        rayon::join(
            || {
                if band + 1 < bands {
                    prepare(band + 1, &mut next, &mut scratch);
                }
            },
            || offer_band(&mut j, &current, &mut roots),
        );
        std::mem::swap(&mut current, &mut next);
    }
    j.flush();
    let total = start.elapsed();
    let mut out = j.out;
    out.labels = (0..docs.len() as u32).map(|d| j.uf.find(d)).collect();
    let times = ConnectTimes {
        bucket: total.saturating_sub(j.verify_time),
        verify: j.verify_time,
    };
    (out, times)
}

/// Offers the pairs of one band's sorted entries: first the star pairs of
/// every group, then the rest (see the module documentation).
fn offer_band(j: &mut Joiner<'_, '_>, entries: &[BucketEntry], roots: &mut Vec<u32>) {
    for group in bucket::groups(entries) {
        j.out.offered += group.len() - 1;
        bucket::star_pairs(group.len(), |x, y| {
            let (a, b) = (group[x].doc, group[y].doc);
            if j.uf.find(a) != j.uf.find(b) {
                j.offer(a, b);
            }
        });
    }
    j.flush();
    for group in bucket::groups(entries) {
        j.out.offered += bucket::rest_pair_count(group.len());
        // Roots of the members, refreshed after every flush (a stale root
        // can only make a pair look unjoined, never joined: two documents
        // with the same root at any time stay together).
        let mut seen = j.generation;
        roots.clear();
        roots.extend(group.iter().map(|e| j.uf.find(e.doc)));
        if roots.iter().all(|&r| r == roots[0]) {
            continue;
        }
        bucket::rest_pairs(group.len(), |x, y| {
            if seen != j.generation {
                seen = j.generation;
                roots.clear();
                roots.extend(group.iter().map(|e| j.uf.find(e.doc)));
            }
            if roots[x] != roots[y] {
                j.offer(group[x].doc, group[y].doc);
            }
        });
    }
    j.flush();
}
