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
//! band's pairs are offered, and its groups whose members are all in one
//! cluster already are set aside: they can offer nothing);
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
use super::cluster::{Snapshot, UnionFind};
use super::sketch::DocSketch;
use super::sort::SortScratch;
use super::verify::{
    PREFETCH_AHEAD, PREFETCH_CHUNK, as_bytes, meets_threshold, sets_meet_threshold,
    sets_meet_threshold_x2,
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
    /// Those pairs, in the order they joined (which depends only on the
    /// data, see the module documentation): a spanning forest of the
    /// clusters, for [`add_via`](super::cluster::add_via).
    #[serde(default)]
    pub forest: Vec<(u32, u32)>,
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
                    self.out.forest.push((a, b));
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
    let mut ok = vec![false; pairs.len()];
    let unpack = |p: u64| ((p >> 32) as u32, p as u32);
    ok.par_chunks_mut(PREFETCH_CHUNK)
        .zip(pairs.par_chunks(PREFETCH_CHUNK))
        .for_each(|(ok, chunk)| {
            for (k, (ok, two)) in ok.chunks_mut(2).zip(chunk.chunks(2)).enumerate() {
                // The pairs a few ahead: their shingle sets start loading
                // while these are merged (the documents' sets are
                // scattered over memory; a merge mostly waits on them).
                for &q in chunk.iter().skip(2 * k + PREFETCH_AHEAD).take(2) {
                    let (a, b) = unpack(q);
                    for d in [a, b] {
                        if let Some(sh) = sets[d as usize] {
                            crate::cache::prefetch(as_bytes(&sh[..sh.len().min(64)]));
                        }
                    }
                }
                let set_pair = |p: u64| {
                    let (a, b) = unpack(p);
                    Some((sets[a as usize]?, sets[b as usize]?))
                };
                // Two pairs merged side by side when both have their sets.
                if let [p, q] = *two
                    && let (Some(x), Some(y)) = (set_pair(p), set_pair(q))
                {
                    ok.copy_from_slice(&sets_meet_threshold_x2([x, y], metric, threshold));
                    continue;
                }
                for (ok, &p) in ok.iter_mut().zip(two) {
                    let (a, b) = unpack(p);
                    *ok = match set_pair(p) {
                        Some((sa, sb)) => sets_meet_threshold(sa, sb, metric, threshold),
                        None => meets_threshold(docs, a, b, metric, threshold),
                    };
                }
            }
        });
    ok
}

/// Clusters the documents: the connected components of the candidate
/// pairs meeting `threshold` under `metric`, verifying only the pairs that
/// can still join two clusters (see the module documentation). These are
/// the clusters of [`Metric::Jaccard`]; containment clusters are not
/// components ([`cluster`](super::cluster()) says why), and
/// [`run_sketched`](super::run_sketched) makes them from every verified
/// pair instead.
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
    let mut snapshot = Snapshot::default();
    // Two bands, used in turn: the one being offered and the next one.
    let (mut current, mut next) = (Band::default(), Band::default());
    let bands = keys.num_bands();
    if bands > 0 {
        j.uf.snapshot_into(&mut snapshot);
        current.prepare(keys, 0, &mut scratch, &mut snapshot);
    }
    for band in 0..bands {
        // The next band is made, sorted and sifted on the pool while this
        // band's pairs are offered, against the clusters as they are now
        // (groups joined by this band's offers are caught by the roots
        // looked up when offering).
        let more = band + 1 < bands;
        if more {
            j.uf.snapshot_into(&mut snapshot);
        }
        rayon::join(
            || {
                if more {
                    next.prepare(keys, band + 1, &mut scratch, &mut snapshot);
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

/// One band's entries sorted by `(key, doc)`, and which of its groups can
/// still offer a pair.
#[derive(Default)]
struct Band {
    entries: Vec<BucketEntry>,
    /// The groups (ranges of `entries`) whose members were not all in one
    /// cluster when the band was prepared. A group whose members were all
    /// in one cluster offers nothing, now or later (clusters only merge):
    /// skipping it leaves the pairs offered the same.
    live: Vec<std::ops::Range<usize>>,
    /// Pairs all of the band's groups emit.
    offered: usize,
}

impl Band {
    /// Makes, sorts and sifts band `band`'s entries, with the clusters
    /// of `snapshot`.
    fn prepare(
        &mut self,
        keys: &BandKeys,
        band: usize,
        scratch: &mut SortScratch<BucketEntry>,
        snapshot: &mut Snapshot,
    ) {
        band_entries_into(keys, band, &mut self.entries);
        bucket::sort_entries(&mut self.entries, scratch);
        self.live.clear();
        self.offered = 0;
        let mut start = 0;
        for group in self.entries.chunk_by(|x, y| x.key == y.key) {
            let range = start..start + group.len();
            start = range.end;
            if group.len() < 2 {
                continue;
            }
            self.offered += group.len() - 1 + bucket::rest_pair_count(group.len());
            let first = snapshot.find(group[0].doc);
            if group[1..].iter().any(|e| snapshot.find(e.doc) != first) {
                self.live.push(range);
            }
        }
    }

    /// The groups that can still offer a pair, in key order.
    fn live_groups(&self) -> impl Iterator<Item = &[BucketEntry]> {
        self.live.iter().map(|r| &self.entries[r.clone()])
    }
}

/// Offers the pairs of one band's groups: first the star pairs of every
/// group, then the rest (see the module documentation).
fn offer_band(j: &mut Joiner<'_, '_>, band: &Band, roots: &mut Vec<u32>) {
    j.out.offered += band.offered;
    for group in band.live_groups() {
        bucket::star_pairs(group.len(), |x, y| {
            let (a, b) = (group[x].doc, group[y].doc);
            if j.uf.find(a) != j.uf.find(b) {
                j.offer(a, b);
            }
        });
    }
    j.flush();
    for group in band.live_groups() {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedup::bucket::BandKey;

    /// Keys of one band for `docs` documents, `key_of(doc)` each.
    fn one_band(key_of: impl Fn(u32) -> BandKey, docs: u32) -> BandKeys {
        let mut keys = BandKeys::new(1);
        for d in 0..docs {
            keys.push(&[key_of(d)], true);
        }
        keys
    }

    #[test]
    fn prepare_sets_aside_groups_already_in_one_cluster() {
        // Groups by key: {0, 1, 2}, {3, 4}, {5, 6, 7}, and 8 alone.
        let key = |d: u32| match d {
            0..=2 => 10,
            3 | 4 => 20,
            5..=7 => 30,
            _ => 40,
        };
        let keys = one_band(key, 9);
        let mut uf = UnionFind::new(9);
        // {3, 4} is one cluster through 8; {5, 6, 7} only in part.
        uf.union(3, 8);
        uf.union(8, 4);
        uf.union(5, 6);
        let mut snapshot = Snapshot::default();
        uf.snapshot_into(&mut snapshot);
        let mut band = Band::default();
        band.prepare(&keys, 0, &mut SortScratch::default(), &mut snapshot);
        let live: Vec<Vec<u32>> = band
            .live_groups()
            .map(|g| g.iter().map(|e| e.doc).collect())
            .collect();
        assert_eq!(live, vec![vec![0, 1, 2], vec![5, 6, 7]]);
        // Every group's pairs are counted as offered, live or not: the
        // group of three emits 3, the pair 1 (the single document none).
        assert_eq!(band.offered, 3 + 1 + 3);
    }

    #[test]
    fn a_snapshot_does_not_follow_later_unions() {
        let mut uf = UnionFind::new(4);
        uf.union(0, 1);
        let mut snapshot = Snapshot::default();
        uf.snapshot_into(&mut snapshot);
        uf.union(2, 3);
        assert_eq!(snapshot.find(0), snapshot.find(1));
        assert_ne!(snapshot.find(2), snapshot.find(3));
        assert_eq!(uf.find(2), uf.find(3));
    }
}
