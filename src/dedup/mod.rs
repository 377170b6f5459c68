//! Near-duplicate clustering of a corpus, in four stages with
//! serialisable intermediate data, so that each can later run on a cluster
//! engine:
//!
//! 1. [`mod@sketch`]: articles → [`DocSketch`] (id, date, MinHash signature,
//!    shingle fingerprints); the text is dropped;
//! 2. [`mod@bucket`]: signatures → band keys ([`BucketEntry`]) → candidate
//!    pairs ([`Candidate`]);
//! 3. [`mod@verify`]: candidates → scored pairs meeting the threshold
//!    ([`PairScores`]);
//! 4. [`mod@cluster`]: pairs → union-find clusters with a deterministic
//!    representative ([`Cluster`]).
//!
//! [`run`] chains them over a streamed corpus. Every stage gives the same
//! result whatever the number of threads. See `docs/dedup.md`.
//!
//! ```
//! use neardiff::dedup::{self, DedupOptions};
//! let texts = [
//!     "The central bank raised its main interest rate by a quarter point on Thursday, citing inflation.",
//!     "The central bank raised its main interest rate by a quarter point on Thursday, citing inflation!",
//!     "Heavy rain flooded streets across the capital overnight and closed two metro lines.",
//! ];
//! let articles = texts.iter().enumerate().map(|(i, t)| neardiff::Article {
//!     id: format!("a{i}"),
//!     text: t.to_string(),
//!     ..Default::default()
//! });
//! let result = dedup::run_articles(articles, &DedupOptions::default());
//! assert_eq!(result.clusters.len(), 1);
//! assert_eq!(result.clusters[0].members.len(), 2);
//! ```

pub mod boilerplate;
pub mod bucket;
pub mod cluster;
pub mod connect;
pub mod fingerprints;
#[cfg(target_arch = "x86_64")]
mod network;
pub mod output;
pub mod sketch;
pub mod sort;
pub mod verify;

use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

pub use boilerplate::{Applied, Boilerplate, BoilerplateParams};
pub use bucket::{BandKeys, BucketEntry, Candidate, candidates};
pub use cluster::{Cluster, Member, cluster};
pub use fingerprints::Fingerprints;
pub use sketch::{
    DocSketch, Scratch, SketchParams, sketch_article, sketch_article_keyed, sketch_body_keyed,
};
pub use verify::{PairScores, verify};

use crate::article::{Article, FieldMap, Keep};
use crate::corpus::{BatchLimits, BatchReader, Input};
use crate::error::{Error, Result};
use crate::lsh::{self, LshPlan};
use crate::sketch::{
    DEFAULT_NUM_PERM, DEFAULT_SHINGLE_SIZE, MAX_NUM_PERM, MinHasher, default_min_words,
};

/// The default Jaccard threshold (see `docs/dedup.md`: with 4-word
/// shingles, 0.5 keeps copies with about one word in ten changed, or a copy
/// cut to half its length).
pub const DEFAULT_JACCARD_THRESHOLD: f64 = 0.5;
/// The default containment threshold.
pub const DEFAULT_CONTAINMENT_THRESHOLD: f64 = 0.8;
/// The default smallest size ratio (smaller / larger shingle set) for which
/// containment candidates are searched.
pub const DEFAULT_MIN_SIZE_RATIO: f64 = 0.3;

/// Checks a `min_words` value against the shingle size: a text shorter
/// than one shingle would be compared as one shingle of all its words,
/// where any two equal stubs score 1.0.
pub fn check_min_words(min_words: Option<usize>, shingle_size: usize) -> Result<()> {
    match min_words {
        Some(n) if n < shingle_size.max(1) => Err(Error::invalid_param(
            "min_words",
            format!(
                "must be at least the shingle size ({}), got {n}",
                shingle_size.max(1)
            ),
        )),
        Some(n) if n > u32::MAX as usize => Err(Error::invalid_param(
            "min_words",
            format!("must be at most {}, got {n}", u32::MAX),
        )),
        _ => Ok(()),
    }
}

/// Which similarity decides that two articles are duplicates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Metric {
    /// Jaccard similarity of the shingle sets.
    #[default]
    Jaccard,
    /// The larger of the two containments: the share of the smaller
    /// article's shingles found in the other (a trimmed copy).
    Containment,
}

impl Metric {
    /// The name used in output.
    pub fn name(self) -> &'static str {
        match self {
            Metric::Jaccard => "jaccard",
            Metric::Containment => "containment",
        }
    }
}

/// Options of a dedup run.
#[derive(Clone, Debug)]
pub struct DedupOptions {
    /// Threshold on the metric.
    pub threshold: f64,
    /// The metric.
    pub metric: Metric,
    /// Signature length.
    pub num_perm: usize,
    /// Hash seed.
    pub seed: u64,
    /// Words per shingle.
    pub shingle_size: usize,
    /// The least number of words an article needs to be clustered
    /// (`--min-words`); `None`: [`default_min_words`] of the shingle size.
    /// Shorter articles (empty text, scrape stubs) are too short: counted
    /// in [`Summary::too_short`], never in a pair or a cluster.
    pub min_words: Option<usize>,
    /// Verify candidates exactly (else trust the MinHash estimate).
    pub verify: bool,
    /// JSON field names.
    pub fields: FieldMap,
    /// Count and skip malformed records instead of failing.
    pub skip_invalid: bool,
    /// Containment only: smallest size ratio searched.
    pub min_size_ratio: f64,
    /// Weight of false negatives when choosing the LSH plan.
    pub fn_weight: f64,
    /// Score every candidate pair and keep all pairs meeting the threshold
    /// in [`DedupResult::pairs`] (what `--pairs` prints). When false only
    /// clusters are wanted: candidates whose documents are already in one
    /// cluster are not scored ([`connect`]), and `pairs` is left empty. The
    /// clusters are the same either way.
    pub all_pairs: bool,
    /// Set each outlet's boilerplate aside before pairs are scored
    /// ([`boilerplate`]); on by default, off with `--keep-boilerplate`.
    pub boilerplate: bool,
    /// With [`DedupOptions::boilerplate`], also set aside the shingles
    /// that share a word with the outlet's header or footer, and a short
    /// varying field (a date) right after a run of it, from the first and
    /// last [`boilerplate::EDGE_SHINGLES`] shingles of each article kept
    /// in text order; on by default (off only to measure what it does).
    pub boilerplate_edges: bool,
    /// Name, for each cluster member, the verified pair that brought it in
    /// ([`Cluster::via`](cluster::Cluster::via), `--via`); off by default.
    pub via: bool,
}

impl Default for DedupOptions {
    fn default() -> Self {
        DedupOptions {
            threshold: DEFAULT_JACCARD_THRESHOLD,
            metric: Metric::Jaccard,
            num_perm: DEFAULT_NUM_PERM,
            seed: 0,
            shingle_size: DEFAULT_SHINGLE_SIZE,
            min_words: None,
            verify: true,
            fields: FieldMap::default(),
            skip_invalid: false,
            min_size_ratio: DEFAULT_MIN_SIZE_RATIO,
            fn_weight: lsh::DEFAULT_FN_WEIGHT,
            all_pairs: true,
            boilerplate: true,
            boilerplate_edges: true,
            via: false,
        }
    }
}

impl DedupOptions {
    /// Checks option values.
    pub fn validate(&self) -> Result<()> {
        if !(self.threshold > 0.0 && self.threshold <= 1.0) {
            return Err(Error::invalid_param(
                "threshold",
                format!("must be in (0, 1], got {}", self.threshold),
            ));
        }
        if self.num_perm == 0 || self.num_perm > MAX_NUM_PERM {
            return Err(Error::invalid_param(
                "num_perm",
                format!("must be between 1 and {MAX_NUM_PERM}"),
            ));
        }
        if self.shingle_size == 0 {
            return Err(Error::invalid_param("shingle_size", "must be at least 1"));
        }
        check_min_words(self.min_words, self.shingle_size)?;
        if !(self.min_size_ratio > 0.0 && self.min_size_ratio <= 1.0) {
            return Err(Error::invalid_param("min_size_ratio", "must be in (0, 1]"));
        }
        Ok(())
    }

    /// The Jaccard threshold the LSH plan is made for: the threshold
    /// itself, or for containment the lowest Jaccard a pair meeting the
    /// containment threshold can have at the smallest size ratio.
    pub fn lsh_threshold(&self) -> f64 {
        match self.metric {
            Metric::Jaccard => self.threshold,
            Metric::Containment => {
                lsh::jaccard_for_containment(self.threshold, self.min_size_ratio)
            }
        }
    }

    /// The LSH plan.
    pub fn plan(&self) -> LshPlan {
        LshPlan::optimal(self.lsh_threshold(), self.num_perm, self.fn_weight)
    }

    /// The sketch-stage parameters.
    pub fn sketch_params(&self) -> SketchParams {
        SketchParams {
            shingle_size: self.shingle_size,
            hasher: MinHasher::new(self.num_perm, self.seed),
            // Boilerplate is found and set aside from the fingerprints.
            keep_shingles: self.verify || self.boilerplate,
            keep_signature: self.keeps_signature(),
            min_words: self.min_words(),
            // Where the outlet's header and footer sit in each article.
            keep_edges: self.boilerplate && self.boilerplate_edges,
        }
    }

    /// The least number of words an article needs to be clustered: the
    /// option, or [`default_min_words`] of the shingle size.
    pub fn min_words(&self) -> usize {
        self.min_words
            .unwrap_or_else(|| default_min_words(self.shingle_size))
    }

    /// Whether the sketches keep their signatures: only MinHash estimates
    /// need them (`--no-verify`, and the `minhash_jaccard` of the pairs
    /// that [`DedupOptions::all_pairs`] keeps); the buckets use band keys
    /// made at sketch time.
    pub fn keeps_signature(&self) -> bool {
        !self.verify || self.all_pairs
    }
}

/// Figures of a run.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Summary {
    /// Documents sketched.
    pub documents: usize,
    /// Malformed records skipped (`--skip-invalid`).
    pub invalid: usize,
    /// Documents too short to compare: fewer words than
    /// [`DedupOptions::min_words`], empty text included (never in a pair
    /// or a cluster; [`DocSketch::is_empty`]).
    pub too_short: usize,
    /// Outlets whose boilerplate was set aside ([`boilerplate`]; articles
    /// without an outlet count as one).
    pub boilerplate_outlets: usize,
    /// Boilerplate shingles set aside, counted once per outlet.
    pub boilerplate_shingles: usize,
    /// Articles that had boilerplate shingles set aside.
    pub boilerplate_articles: usize,
    /// Of those, articles left too short to compare: nearly all
    /// boilerplate (counted in [`Summary::too_short`] too).
    pub boilerplate_only: usize,
    /// Input bytes read.
    pub bytes: u64,
    /// Candidate pairs from LSH scored exactly: all distinct candidates
    /// with [`DedupOptions::all_pairs`], else only those that could still
    /// join two clusters.
    pub candidates: usize,
    /// Candidate pairs not scored because their documents were already in
    /// one cluster or the pair was already scored (counted once per band
    /// emitting it); 0 with [`DedupOptions::all_pairs`].
    pub skipped: usize,
    /// Pairs scored that met the threshold.
    pub pairs: usize,
    /// Clusters of two or more documents.
    pub clusters: usize,
    /// Documents in clusters other than the representatives.
    pub duplicates: usize,
    /// Time reading and sketching.
    pub sketch_time: Duration,
    /// Time bucketing.
    pub bucket_time: Duration,
    /// Time verifying.
    pub verify_time: Duration,
    /// Time clustering.
    pub cluster_time: Duration,
}

impl Summary {
    /// Total time of the stages.
    pub fn total_time(&self) -> Duration {
        self.sketch_time + self.bucket_time + self.verify_time + self.cluster_time
    }
}

/// The result of a run.
#[derive(Clone, Debug)]
pub struct DedupResult {
    /// All documents, in input order.
    pub docs: Vec<DocSketch>,
    /// The LSH plan used.
    pub plan: LshPlan,
    /// Pairs meeting the threshold, ordered by (a, b); empty unless
    /// [`DedupOptions::all_pairs`].
    pub pairs: Vec<PairScores>,
    /// Clusters, largest first.
    pub clusters: Vec<Cluster>,
    /// Figures.
    pub summary: Summary,
    /// Messages for the first skipped records (at most [`MAX_SKIP_MESSAGES`]).
    pub skipped: Vec<String>,
    /// The boilerplate set aside, per outlet (empty when
    /// [`DedupOptions::boilerplate`] is off).
    pub boilerplate: Boilerplate,
}

/// How many skipped-record messages are kept.
pub const MAX_SKIP_MESSAGES: usize = 20;

/// The sketched corpus (stage 1 output).
#[derive(Clone, Debug, Default)]
pub struct SketchedCorpus {
    /// Documents in input order.
    pub docs: Vec<DocSketch>,
    /// Their band keys under the run's LSH plan (made while sketching);
    /// when they do not cover the documents (e.g. left empty),
    /// [`run_sketched`] makes them from the signatures.
    pub band_keys: BandKeys,
    /// The LSH plan of the band keys (made once per run: choosing it
    /// takes about a millisecond); `None` when not known, and then
    /// [`run_sketched`] makes it from its options.
    pub plan: Option<LshPlan>,
    /// Malformed records skipped.
    pub invalid: usize,
    /// Messages for the first skipped records.
    pub skipped: Vec<String>,
    /// Bytes read.
    pub bytes: u64,
}

/// Stage 1 over streamed inputs: reads batches on one thread while the
/// previous batch is parsed and sketched in parallel. `progress` is called
/// after each batch with the documents and bytes done so far.
pub fn sketch_corpus(
    inputs: Vec<Input>,
    opts: &DedupOptions,
    progress: &(dyn Fn(usize, u64) + Sync),
) -> Result<SketchedCorpus> {
    let params = opts.sketch_params();
    // Small batches: sketching starts after a quarter of the default
    // batch is read, and the pool's idle tail at the end of each batch is
    // short.
    let limits = BatchLimits {
        records: 2_500,
        ..BatchLimits::default()
    };
    let expected_bytes = crate::corpus::expected_bytes(&inputs);
    let mut reader = BatchReader::new(inputs, limits).ramp_up();
    let sketched = std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        s.spawn(move || {
            loop {
                let msg = reader
                    .next_batch()
                    .map(|b| b.map(|b| (b, reader.bytes_read())));
                let stop = !matches!(msg, Ok(Some(_)));
                if tx.send(msg).is_err() || stop {
                    break;
                }
            }
        });
        let plan = opts.plan();
        let nb = plan.bands;
        // The outlet (or the URL it comes from) is read only when its
        // boilerplate is to be set aside.
        let keep = if opts.boilerplate {
            Keep::TEXT_ID_DATE_OUTLET
        } else {
            Keep::TEXT_ID_DATE
        };
        let mut out = SketchedCorpus {
            band_keys: BandKeys::new(nb),
            plan: Some(plan),
            ..SketchedCorpus::default()
        };
        // One buffer for every batch's results (a fresh one per batch was
        // a new allocation whose pages all faulted in), and one for its
        // band keys, a run of `nb` per record.
        let mut results: Vec<Result<DocSketch>> = Vec::new();
        let mut keys: Vec<bucket::BandKey> = Vec::new();
        let mut reserved = false;
        for msg in rx {
            let Some((batch, bytes)) = msg? else { break };
            out.bytes = bytes;
            // A plan has at least one band, so each record has a run.
            keys.clear();
            keys.resize(batch.len() * nb, 0);
            let n = batch.len();
            rayon::join(
                || {
                    batch
                        .into_par_iter()
                        .zip(keys.par_chunks_mut(nb))
                        .map_init(
                            || (Scratch::with_shared_blocks(), String::new()),
                            |(scratch, body), (rec, k)| {
                                // A sketch keeps the id and date of an
                                // article: its other metadata is neither
                                // copied nor checked, and its body is read
                                // into a buffer that the records of this
                                // job share.
                                rec.parse_keep_into(&opts.fields, keep, body)
                                    .map(|a| sketch_body_keyed(a, body, &params, &plan, k, scratch))
                            },
                        )
                        .collect_into_vec(&mut results)
                },
                // The memory this batch is appended to is backed on the
                // pool meanwhile: faults there (a fresh huge page can take
                // milliseconds) would leave the pool idle while this
                // thread appends.
                || {
                    crate::cache::prefault_spare(&mut out.docs, n);
                    out.band_keys.prefault(n);
                },
            );
            if results.iter().all(|r| r.is_ok()) {
                let first = out.docs.len();
                out.docs
                    .extend(results.drain(..).map(|r| r.expect("all ok")));
                let docs = &out.docs[first..];
                out.band_keys
                    .extend_docs(&keys, docs.len(), |i| !docs[i].is_empty());
            } else {
                for (r, k) in results.drain(..).zip(keys.chunks(nb)) {
                    match r {
                        Ok(d) => {
                            out.band_keys.push(k, !d.is_empty());
                            out.docs.push(d);
                        }
                        Err(e) if opts.skip_invalid => {
                            out.invalid += 1;
                            if out.skipped.len() < MAX_SKIP_MESSAGES {
                                out.skipped.push(e.to_string());
                            }
                        }
                        Err(e) => return Err(e),
                    }
                }
            }
            if out.docs.len() >= u32::MAX as usize {
                return Err(Error::usage("more than 4,294,967,294 documents"));
            }
            if !reserved {
                reserved = true;
                reserve_expected(&mut out, expected_bytes);
            }
            progress(out.docs.len(), out.bytes);
        }
        Ok(out)
    });
    // The fingerprints of the last documents each thread sketched are in
    // the block it is still filling.
    fingerprints::publish_blocks();
    sketched
}

/// After the first batch, makes room for the documents the rest of the
/// input should hold at the same bytes per document (with 5% to spare):
/// growing the corpus by doubling copied it and faulted in fresh pages for
/// each copy. Nothing when the input's size is not known (stdin, gzip).
fn reserve_expected(corpus: &mut SketchedCorpus, expected_bytes: Option<u64>) {
    let (Some(total), done) = (expected_bytes, corpus.docs.len()) else {
        return;
    };
    if corpus.bytes == 0 || done == 0 {
        return;
    }
    let left = total.saturating_sub(corpus.bytes);
    let per_doc = corpus.bytes as f64 / done as f64;
    // A first batch of short records must not make a huge guess: records
    // under 256 bytes on average are left to grow the corpus as they come.
    let rest = ((left as f64 / per_doc * 1.05) as u64).min(left / 256) as usize;
    if corpus.docs.try_reserve(rest).is_ok() {
        crate::cache::huge_pages(&corpus.docs);
        corpus.band_keys.reserve(rest);
    }
}

/// Stages 2–4 over a sketched corpus (made with the same options).
pub fn run_sketched(
    corpus: SketchedCorpus,
    opts: &DedupOptions,
    sketch_time: Duration,
) -> DedupResult {
    let plan = corpus.plan.unwrap_or_else(|| opts.plan());
    let mut docs = corpus.docs;
    let t = Instant::now();
    let mut keys =
        if corpus.band_keys.num_bands() == plan.bands && corpus.band_keys.docs == docs.len() {
            corpus.band_keys
        } else {
            BandKeys::of(&docs, &plan)
        };
    let keys_time = t.elapsed();
    let t = Instant::now();
    let (boilerplate, applied) = if opts.boilerplate {
        let bp_params = BoilerplateParams {
            shingle_size: opts.shingle_size,
            ..BoilerplateParams::default()
        };
        let found = boilerplate::find(&docs, &bp_params);
        let applied = boilerplate::apply(
            &mut docs,
            &mut keys,
            &found,
            &opts.sketch_params(),
            &plan,
            !opts.verify || opts.keeps_signature(),
        );
        if !opts.verify {
            // Kept only to find the boilerplate.
            docs.iter_mut().for_each(|d| d.shingles = None);
        }
        (found, applied)
    } else {
        (Boilerplate::default(), Applied::default())
    };
    let boilerplate_time = t.elapsed();
    // Containment clusters need every verified pair (each article joins
    // its best container, see `cluster`), so they take the full path.
    let full = opts.all_pairs || opts.metric == Metric::Containment;
    let (pairs, clusters, figures) = if full {
        let t = Instant::now();
        let cands = candidates(&keys);
        let bucket_time = t.elapsed() + keys_time;
        let t = Instant::now();
        let pairs = verify(&docs, &cands, opts.metric, opts.threshold);
        let verify_time = t.elapsed();
        let t = Instant::now();
        let (labels, joined) = cluster::forest(&docs, &pairs, opts.metric);
        let mut clusters = cluster::clusters_from_labels(&docs, &labels, opts.metric);
        if opts.via {
            cluster::add_via(&docs, &mut clusters, &joined, opts.metric, opts.threshold);
        }
        let cluster_time = t.elapsed();
        let figures = (
            cands.len(),
            0,
            pairs.len(),
            bucket_time,
            verify_time,
            cluster_time,
        );
        let pairs = if opts.all_pairs { pairs } else { Vec::new() };
        (pairs, clusters, figures)
    } else {
        let (connected, times) = connect::connect(&docs, &keys, opts.metric, opts.threshold);
        let t = Instant::now();
        let mut clusters = cluster::clusters_from_labels(&docs, &connected.labels, opts.metric);
        if opts.via {
            cluster::add_via(
                &docs,
                &mut clusters,
                &connected.forest,
                opts.metric,
                opts.threshold,
            );
        }
        let cluster_time = t.elapsed();
        let figures = (
            connected.checked,
            connected.offered - connected.checked,
            connected.verified,
            times.bucket + keys_time,
            times.verify,
            cluster_time,
        );
        (Vec::new(), clusters, figures)
    };
    let (candidates, skipped, verified, bucket_time, verify_time, cluster_time) = figures;
    let summary = Summary {
        documents: docs.len(),
        invalid: corpus.invalid,
        too_short: docs.iter().filter(|d| d.is_empty()).count(),
        boilerplate_outlets: boilerplate.num_outlets(),
        boilerplate_shingles: boilerplate.num_shingles(),
        boilerplate_articles: applied.articles,
        boilerplate_only: applied.too_short,
        bytes: corpus.bytes,
        candidates,
        skipped,
        pairs: verified,
        clusters: clusters.len(),
        duplicates: clusters.iter().map(|c| c.members.len() - 1).sum(),
        sketch_time: sketch_time + boilerplate_time,
        bucket_time,
        verify_time,
        cluster_time,
    };
    DedupResult {
        docs,
        plan,
        pairs,
        clusters,
        summary,
        skipped: corpus.skipped,
        boilerplate,
    }
}

/// Runs all stages over streamed inputs.
pub fn run(
    inputs: Vec<Input>,
    opts: &DedupOptions,
    progress: &(dyn Fn(usize, u64) + Sync),
) -> Result<DedupResult> {
    opts.validate()?;
    let t = Instant::now();
    let corpus = sketch_corpus(inputs, opts, progress)?;
    Ok(run_sketched(corpus, opts, t.elapsed()))
}

/// Runs all stages over articles already in memory (tests, library use).
pub fn run_articles(
    articles: impl IntoIterator<Item = Article>,
    opts: &DedupOptions,
) -> DedupResult {
    let t = Instant::now();
    let params = opts.sketch_params();
    let plan = opts.plan();
    let nb = plan.bands;
    let articles: Vec<Article> = articles.into_iter().collect();
    // A plan has at least one band, so each article has a run of keys.
    let mut keys: Vec<bucket::BandKey> = vec![0; articles.len() * nb];
    let docs: Vec<DocSketch> = articles
        .into_par_iter()
        .zip(keys.par_chunks_mut(nb))
        .map_init(Scratch::default, |s, (a, k)| {
            sketch_article_keyed(a, &params, &plan, k, s)
        })
        .collect();
    let mut band_keys = BandKeys::new(nb);
    band_keys.extend_docs(&keys, docs.len(), |i| !docs[i].is_empty());
    let corpus = SketchedCorpus {
        docs,
        band_keys,
        plan: Some(plan),
        ..SketchedCorpus::default()
    };
    run_sketched(corpus, opts, t.elapsed())
}
