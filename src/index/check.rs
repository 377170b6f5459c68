//! Checking new articles against an index.
//!
//! For a new article, every band of its signature names a bucket; indexed
//! articles found in at least [`min_band_hits`] of its buckets are
//! candidates. Each candidate's fingerprints are read from its segment
//! (their checksum checked) and it is scored exactly from them: Jaccard,
//! containment both ways and the MinHash estimate. Candidates whose score
//! on the chosen metric reaches the threshold are matches; the best
//! [`CheckOptions::top`] are kept, ordered by score, then Jaccard, then id.
//! Candidates are scored best upper bound first (the sizes stored in the
//! bucket entries bound the Jaccard similarity exactly, the band hits
//! with probability `1 -` [`SKIP_PROBABILITY`]), and scoring stops when no
//! bound left can reach the threshold or enter the list of best matches.
//!
//! The verdict of a match uses the rules and thresholds of `compare`
//! ([`crate::compare::verdict`]) on the shingle scores alone (no sentence
//! alignment is done, so the aligned-text rule of "related" does not
//! apply).

use rayon::prelude::*;
use serde::Serialize;

use super::catalog::View;
use super::segment::Access;
use super::store::bucket_of;
use super::{Index, IndexParams, NewDoc};
use crate::compare::{Similarity, Thresholds, Verdict, verdict};
use crate::dedup::verify::exact_scores;
use crate::dedup::{DEFAULT_MIN_SIZE_RATIO, Metric};
use crate::error::{Error, Result};
use crate::lsh;

/// The default threshold for the Jaccard metric: the near-duplicate
/// verdict's.
pub const DEFAULT_JACCARD_THRESHOLD: f64 = 0.5;
/// The default threshold for the containment metric: the partial
/// verdict's.
pub const DEFAULT_CONTAINMENT_THRESHOLD: f64 = 0.7;
/// Recall kept by the band-hit filter at the lowest Jaccard searched.
pub const HIT_FILTER_RECALL: f64 = 0.995;

/// Options of a check.
#[derive(Clone, Debug)]
pub struct CheckOptions {
    /// The metric a match must reach the threshold on.
    pub metric: Metric,
    /// The threshold.
    pub threshold: f64,
    /// At most this many matches per article.
    pub top: usize,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            metric: Metric::Jaccard,
            threshold: DEFAULT_JACCARD_THRESHOLD,
            top: 5,
        }
    }
}

impl CheckOptions {
    /// The lowest Jaccard similarity a match can have: the threshold, or
    /// for containment the bound for copies at least
    /// [`DEFAULT_MIN_SIZE_RATIO`] of the other's size; never below the
    /// index layout's threshold.
    pub fn lowest_jaccard(&self, params: &IndexParams) -> f64 {
        let j = match self.metric {
            Metric::Jaccard => self.threshold,
            Metric::Containment => {
                lsh::jaccard_for_containment(self.threshold, DEFAULT_MIN_SIZE_RATIO)
            }
        };
        j.max(params.lsh_threshold)
    }

    /// For containment: the smallest size ratio (smaller / larger) of a
    /// pair at the threshold that the index layout finds reliably.
    pub fn min_size_ratio(&self, params: &IndexParams) -> Option<f64> {
        if self.metric != Metric::Containment {
            return None;
        }
        let (c, t) = (self.threshold, self.lowest_jaccard(params));
        // Solves c·ρ / (1 + ρ - c·ρ) = t for ρ.
        let denom = c * (1.0 + t) - t;
        Some(if denom <= 0.0 {
            1.0
        } else {
            (t / denom).min(1.0)
        })
    }

    /// Checks the options against the index layout.
    pub fn validate(&self, params: &IndexParams) -> Result<()> {
        if !(self.threshold > 0.0 && self.threshold <= 1.0) {
            return Err(Error::invalid_param(
                "threshold",
                format!("must be in (0, 1], got {}", self.threshold),
            ));
        }
        if self.metric == Metric::Jaccard && self.threshold + 1e-9 < params.lsh_threshold {
            return Err(Error::invalid_param(
                "threshold",
                format!(
                    "{} is below the lowest Jaccard threshold this index was built for ({}); rebuild the index with an LSH threshold of at most {}",
                    self.threshold, params.lsh_threshold, self.threshold
                ),
            ));
        }
        if self.top == 0 {
            return Err(Error::invalid_param("top", "must be at least 1"));
        }
        Ok(())
    }
}

/// The smallest number of bands in which a pair with Jaccard `j` collides
/// with probability at least [`HIT_FILTER_RECALL`] (at least 1). Each band
/// of `rows` rows collides independently with probability `j^rows`.
pub fn min_band_hits(j: f64, bands: usize, rows: usize) -> usize {
    let p = j.clamp(0.0, 1.0).powi(rows as i32);
    // P(X >= m) for X ~ Binomial(bands, p), from the pmf.
    let mut pmf = vec![0.0f64; bands + 1];
    let mut v = (1.0 - p).powi(bands as i32);
    for (k, slot) in pmf.iter_mut().enumerate() {
        *slot = v;
        if p >= 1.0 {
            *slot = if k == bands { 1.0 } else { 0.0 };
        }
        v = v * (bands - k) as f64 / (k + 1) as f64 * p / (1.0 - p).max(f64::MIN_POSITIVE);
    }
    let mut tail = 0.0;
    let mut best = 1;
    for m in (1..=bands).rev() {
        tail += pmf[m];
        if tail >= HIT_FILTER_RECALL {
            best = m;
            break;
        }
    }
    best
}

/// One indexed article similar to a new one.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Match {
    /// Its id.
    pub id: String,
    /// Its date, if stored.
    pub date: Option<String>,
    /// Its outlet, if stored.
    pub outlet: Option<String>,
    /// Its headline, if stored.
    pub title: Option<String>,
    /// The verdict from the shingle scores.
    pub verdict: Verdict,
    /// The score on the chosen metric.
    pub score: f64,
    /// Exact Jaccard similarity of the shingle sets.
    pub jaccard: f64,
    /// Share of the new article's shingles found in the match.
    pub containment_new_in_match: f64,
    /// Share of the match's shingles found in the new article.
    pub containment_match_in_new: f64,
    /// The MinHash estimate of the Jaccard similarity.
    pub minhash_jaccard: f64,
    /// Bands in which the two collided.
    pub band_hits: u32,
}

/// The result of checking one new article.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CheckResult {
    /// The new article's id.
    pub id: String,
    /// Where it was read from.
    pub source: String,
    /// Its line, for JSON Lines input.
    pub line: Option<usize>,
    /// Distinct shingles (0 when too short).
    pub num_shingles: u32,
    /// Its words.
    pub words: u32,
    /// Too short to check: fewer words than the minimum
    /// ([`InputOptions::min_words`](super::InputOptions::min_words)), empty
    /// text included. Such an article is not looked up: no candidates, no
    /// matches, no verdict.
    pub too_short: bool,
    /// Candidates scored.
    pub candidates: usize,
    /// The best matches, best first.
    pub matches: Vec<Match>,
}

impl CheckResult {
    /// The closest verdict among the matches.
    pub fn verdict(&self) -> Option<Verdict> {
        self.matches.iter().map(|m| m.verdict).min()
    }

    /// How the article is named in messages.
    pub fn display_name(&self) -> String {
        match self.line {
            Some(l) => format!("{}:{} (id {})", self.source, l, self.id),
            None => self.source.clone(),
        }
    }
}

/// A candidate: an indexed article found in at least the required number of
/// the new article's buckets.
#[derive(Clone, Copy, Debug)]
struct Candidate {
    doc: u32,
    /// Bands in which the two collide.
    hits: u32,
    /// The candidate's distinct shingles, from its bucket entries.
    size: u32,
    /// An upper bound of its score (see [`Index::check_in_view`]).
    bound: f64,
}

impl Index {
    /// Finds the indexed articles most similar to `new` (one consistent
    /// view of the index).
    pub fn check(&self, new: &NewDoc, opts: &CheckOptions) -> Result<CheckResult> {
        let view = self.view_with(Access::Read)?;
        self.check_in_view(&view, new, opts)
    }

    /// Checks many articles against one view of the index, in parallel
    /// (the threads share the open segment files); the results are in
    /// input order and the same whatever the number of threads.
    pub fn check_many(&self, docs: &[NewDoc], opts: &CheckOptions) -> Result<Vec<CheckResult>> {
        // A few checks read what they need; many share one mapping.
        let view = self.view_with(if docs.len() < READ_MAX_CHECKS {
            Access::Read
        } else {
            Access::Map
        })?;
        let mut checker = self.checker();
        // Zeroed counters of a few megabytes pay off over many checks only.
        checker.counters = docs.len() >= COUNTERS_MIN_CHECKS;
        if docs.len() < 16 || rayon::current_num_threads() == 1 {
            return docs.iter().map(|d| checker.check(&view, d, opts)).collect();
        }
        docs.par_iter()
            .with_min_len(8)
            .map(|d| checker.check(&view, d, opts))
            .collect()
    }

    fn checker(&self) -> Checker<'_> {
        Checker {
            params: &self.params,
            hit_bounds: &self.hit_bounds,
            path: &self.path,
            counters: false,
        }
    }

    /// Like [`Index::check`], against a view the caller holds
    /// ([`Index::view`]).
    ///
    /// Candidates are scored best bound first, where the bound of a
    /// candidate is, for the Jaccard metric, the smaller of the ratio of
    /// the two sizes (an exact bound: the intersection is at most the
    /// smaller set, the union at least the larger) and the Jaccard above
    /// which so few band hits have probability below [`SKIP_PROBABILITY`]
    /// ([`jaccard_upper_bounds`]); for containment it is 1. Scoring stops
    /// at the first candidate whose bound is below the threshold, or below
    /// the score of the last of [`CheckOptions::top`] matches already
    /// found: no later candidate can enter the list.
    pub fn check_in_view(
        &self,
        view: &View,
        new: &NewDoc,
        opts: &CheckOptions,
    ) -> Result<CheckResult> {
        self.checker().check(view, new, opts)
    }
}

/// What a check needs of an [`Index`] besides the view: shared by threads.
struct Checker<'a> {
    params: &'a IndexParams,
    hit_bounds: &'a [std::sync::OnceLock<f64>],
    path: &'a std::path::Path,
    /// Count hits with per-thread counters ([`count_hits`]).
    counters: bool,
}

impl Checker<'_> {
    fn hit_bound(&self, hits: usize) -> f64 {
        let (bands, rows) = (self.params.bands, self.params.rows);
        match self.hit_bounds.get(hits) {
            Some(b) => *b.get_or_init(|| jaccard_upper_bound(hits, bands, rows)),
            None => 1.0,
        }
    }

    fn check(&self, view: &View, new: &NewDoc, opts: &CheckOptions) -> Result<CheckResult> {
        let s = &new.sketch;
        let mut result = CheckResult {
            id: s.id.clone(),
            source: new.source.to_string(),
            line: new.line,
            num_shingles: s.num_shingles,
            words: s.words,
            too_short: s.is_empty(),
            candidates: 0,
            matches: Vec::new(),
        };
        if result.too_short {
            return Ok(result);
        }
        let params = self.params;
        if s.signature.len() != params.num_perm {
            return Err(Error::usage(
                "the article was sketched with other parameters",
            ));
        }
        let plan = params.plan();
        let min_hits = min_band_hits(opts.lowest_jaccard(params), plan.bands, plan.rows);
        let mut found: Vec<(u32, u32)> = Vec::new();
        let mut lookup_keys = Vec::with_capacity(plan.bands);
        // Three passes over the buckets, so that the memory each lookup
        // reads is on its way before it is needed: the fence values, then
        // the entries they point to, then the lookups.
        for band in 0..plan.bands {
            let bucket = bucket_of(plan.band_key(&s.signature, band));
            lookup_keys.push(bucket);
            for seg in &view.segments {
                seg.segment.prefetch_fence(bucket);
            }
        }
        for &bucket in &lookup_keys {
            for seg in &view.segments {
                seg.segment.prefetch_bucket(bucket);
            }
        }
        for &bucket in &lookup_keys {
            for seg in &view.segments {
                seg.segment.bucket(bucket, &mut found)?;
            }
        }
        let jaccard = opts.metric == Metric::Jaccard;
        // Scores are computed from the fingerprint lists: bound with their
        // lengths (the stored one is checked against the entry size).
        let n_new = s.shingles.as_deref().map_or(0, |f| f.len()) as f64;
        let mut counted = Vec::new();
        if let Err(doc) = count_hits(&found, min_hits, plan.bands, self.counters, &mut counted) {
            return Err(disagrees(view, doc, self.path));
        }
        let mut cands: Vec<Candidate> = Vec::with_capacity(counted.len());
        for (doc, hits, size) in counted {
            if view.is_removed(doc) {
                continue;
            }
            let bound = if jaccard {
                let ratio = n_new.min(size as f64) / n_new.max(size as f64);
                self.hit_bound(hits as usize).min(ratio)
            } else {
                1.0
            };
            cands.push(Candidate {
                doc,
                hits,
                size,
                bound,
            });
        }
        cands.sort_unstable_by(|a, b| {
            b.bound
                .total_cmp(&a.bound)
                .then(b.hits.cmp(&a.hits))
                .then(a.doc.cmp(&b.doc))
        });
        let fingerprints = s.shingles.as_deref().unwrap_or(&[]);
        let thresholds = Thresholds::default();
        let mut scratch: Vec<u32> = Vec::new();
        let mut stored: Vec<u32> = Vec::new();
        let mut keys: Vec<u32> = Vec::new();
        let mut best: Vec<Entrant> = Vec::with_capacity(opts.top.min(cands.len()) + 1);
        for (
            k,
            &Candidate {
                doc,
                hits,
                size,
                bound,
            },
        ) in cands.iter().enumerate()
        {
            // What a score must reach to count: the threshold, and once the
            // list is full, the last score in it. No later bound is higher.
            let cutoff = best
                .get(opts.top.wrapping_sub(1))
                .map_or(opts.threshold, |last| last.score.max(opts.threshold));
            if bound < cutoff {
                break;
            }
            result.candidates += 1;
            // Scoring reads memory nothing else touched: start loading the
            // next candidate's fingerprints while this one is scored.
            // (The directory record of the one after that first, so that
            // finding the next one's fingerprints does not wait either.)
            if let Some(next) = cands.get(k + 2).filter(|c| c.bound >= opts.threshold)
                && let Some(seg) = view.segment_of(next.doc)
            {
                seg.prefetch_record(next.doc);
            }
            if let Some(next) = cands.get(k + 1).filter(|c| c.bound >= opts.threshold)
                && let Some(seg) = view.segment_of(next.doc)
            {
                seg.prefetch_fingerprints(next.doc);
            }
            let Some(seg) = view.segment_of(doc) else {
                return Err(disagrees(view, doc, self.path));
            };
            let stored_fps = match seg.fingerprints_ref(doc, &mut scratch)? {
                Some(f) if f.len() == size as usize => f,
                _ => return Err(disagrees(view, doc, self.path)),
            };
            // Scores only when the score reaches the cutoff.
            let Some((jac, c_new, c_old)) =
                exact_scores(fingerprints, stored_fps, opts.metric, cutoff)
            else {
                continue;
            };
            let score = match opts.metric {
                Metric::Jaccard => jac,
                Metric::Containment => c_new.max(c_old),
            };
            // Placed by score and Jaccard alone: ties on both go to the
            // smaller id, and ids are read only for the list kept at the
            // end (with every entrant tied with its last place).
            let e = Entrant {
                score,
                jaccard: jac,
                c_new,
                c_old,
                hits,
                doc,
            };
            let pos = best.partition_point(|x| x.key_before(&e));
            if pos < opts.top {
                best.insert(pos, e);
                let last = &best[opts.top.min(best.len()) - 1];
                let keep = best.partition_point(|x| !last.key_before(x));
                best.truncate(keep);
            }
        }
        let mut ranked = Vec::with_capacity(best.len());
        for e in best {
            let Some(meta) = view
                .segment_of(e.doc)
                .map(|seg| seg.meta(e.doc))
                .transpose()?
                .flatten()
            else {
                return Err(disagrees(view, e.doc, self.path));
            };
            ranked.push((e, meta));
        }
        // Stable: entrants are in key order, so the ids decide only ties.
        ranked.sort_by(|(a, am), (b, bm)| {
            b.score
                .total_cmp(&a.score)
                .then(b.jaccard.total_cmp(&a.jaccard))
                .then_with(|| am.id.cmp(bm.id))
        });
        ranked.truncate(opts.top);
        for (e, meta) in ranked {
            // The bands the two really share, from the stored signature: a
            // bucket table that disagrees is damaged. Buckets are the high
            // 32 bits of band keys, whatever the band: count as the lookup
            // did.
            meta.signature_into(&mut stored);
            if stored.len() != s.signature.len() {
                return Err(disagrees(view, e.doc, self.path));
            }
            keys.clear();
            keys.extend((0..plan.bands).map(|b| bucket_of(plan.band_key(&stored, b))));
            keys.sort_unstable();
            keys.dedup();
            let shared = lookup_keys
                .iter()
                .filter(|k| keys.binary_search(k).is_ok())
                .count();
            if shared as u32 != e.hits {
                return Err(disagrees(view, e.doc, self.path));
            }
            let same = stored
                .iter()
                .zip(&s.signature)
                .filter(|(a, b)| a == b)
                .count();
            let n = s.signature.len().max(1);
            let sim = Similarity {
                shingle_size: params.shingle_size,
                num_perm: params.num_perm,
                jaccard: e.jaccard,
                minhash_jaccard: same as f64 / n as f64,
                containment_a_in_b: e.c_new,
                containment_b_in_a: e.c_old,
                aligned_a: 0.0,
                aligned_b: 0.0,
                verdict: Verdict::Unrelated,
            };
            result.matches.push(Match {
                id: meta.id.to_string(),
                date: meta.date.map(str::to_string),
                outlet: meta.outlet.map(str::to_string),
                title: meta.title.map(str::to_string),
                verdict: verdict(&sim, 0, &thresholds),
                score: e.score,
                jaccard: e.jaccard,
                containment_new_in_match: e.c_new,
                containment_match_in_new: e.c_old,
                minhash_jaccard: sim.minhash_jaccard,
                band_hits: e.hits,
            });
        }
        Ok(result)
    }
}

/// A candidate in the list of best matches while candidates are scored.
struct Entrant {
    score: f64,
    jaccard: f64,
    c_new: f64,
    c_old: f64,
    hits: u32,
    doc: u32,
}

impl Entrant {
    /// Whether it comes strictly before `other` by score, then Jaccard (the
    /// final order breaks what ties remain by id).
    fn key_before(&self, other: &Entrant) -> bool {
        other
            .score
            .total_cmp(&self.score)
            .then(other.jaccard.total_cmp(&self.jaccard))
            == std::cmp::Ordering::Less
    }
}

/// Bucket entries gathered per check above which [`count_hits`] counts
/// with per-article counters rather than by sorting.
const COUNTER_MIN_ENTRIES: usize = 2048;
/// Articles checked at once below which segments are read rather than
/// mapped ([`Access::Read`]): a fresh mapping costs a page fault per page
/// first touched, which a few checks do not earn back.
const READ_MAX_CHECKS: usize = 16;
/// Articles checked at once from which counters are used at all.
const COUNTERS_MIN_CHECKS: usize = 64;

thread_local! {
    /// Per-article hit counters of [`count_hits`], kept zeroed between
    /// checks.
    static COUNTERS: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Counts in how many of the looked-up buckets each article was found,
/// keeping those found in at least `min_hits`: (article, hits, size), in
/// no particular order. `Err(article)` when an article's entries disagree
/// on its size (sorting only).
///
/// Small lists are sorted; large ones (a story with many copies) are
/// counted in per-thread counters indexed by article number, which cost
/// one pass and no sort, and take the size of an article's first entry
/// (entries are checksummed, and a scored candidate's size is checked
/// against its fingerprints).
fn count_hits(
    found: &[(u32, u32)],
    min_hits: usize,
    bands: usize,
    counters: bool,
    out: &mut Vec<(u32, u32, u32)>,
) -> std::result::Result<(), u32> {
    if !counters || found.len() < COUNTER_MIN_ENTRIES || bands > u8::MAX as usize {
        // (article, size) packed in one integer sorts fastest.
        let mut packed: Vec<u64> = found
            .iter()
            .map(|&(doc, size)| ((doc as u64) << 32) | size as u64)
            .collect();
        packed.sort_unstable();
        for run in packed.chunk_by(|a, b| a >> 32 == b >> 32) {
            let (doc, size) = ((run[0] >> 32) as u32, run[0] as u32);
            if run[run.len() - 1] != run[0] {
                return Err(doc);
            }
            if run.len() >= min_hits {
                out.push((doc, run.len() as u32, size));
            }
        }
        return Ok(());
    }
    COUNTERS.with_borrow_mut(|hits| {
        let max = found.iter().map(|e| e.0).max().unwrap_or(0) as usize;
        if max >= hits.len() {
            hits.resize(max + 1, 0);
        }
        let mut first: Vec<(u32, u32)> = Vec::new();
        for &(doc, size) in found {
            let d = doc as usize;
            if hits[d] == 0 {
                first.push((doc, size));
            }
            hits[d] += 1;
        }
        // Leave the counters zeroed for the next check.
        for &(doc, size) in &first {
            let h = std::mem::take(&mut hits[doc as usize]) as usize;
            if h >= min_hits {
                out.push((doc, h as u32, size));
            }
        }
        Ok(())
    })
}

/// A bucket entry that disagrees with the article it names (its size, its
/// signature, or no such article): the segment, or the catalogue, is
/// damaged.
fn disagrees(view: &View, doc: u32, index: &std::path::Path) -> Error {
    let at = view.segment_of(doc).map_or(index, |s| s.path());
    super::store::rebuild_corrupt(
        at,
        format!(
            "a bucket entry disagrees with the stored data of article number {doc}; the index is damaged: rebuild it"
        ),
    )
}

/// Probability that a candidate with Jaccard at least the bound collides
/// in no more bands than observed; below it a candidate is skipped once the
/// list of best matches is full.
pub const SKIP_PROBABILITY: f64 = 1e-6;

/// For each number of bands hit `h`, [`jaccard_upper_bound`].
pub fn jaccard_upper_bounds(bands: usize, rows: usize) -> Vec<f64> {
    (0..=bands)
        .map(|h| jaccard_upper_bound(h, bands, rows))
        .collect()
}

/// The Jaccard `J` at which `P(Binomial(bands, J^rows) <= h) =`
/// [`SKIP_PROBABILITY`]: a pair that similar almost never collides in `h`
/// bands or fewer.
pub fn jaccard_upper_bound(h: usize, bands: usize, rows: usize) -> f64 {
    if h >= bands {
        return 1.0;
    }
    // P(X <= h), summed term by term from P(X = 0) = (1-p)^bands; the
    // ratios of consecutive binomial coefficients are computed once, so the
    // bisection's inner loop has no division.
    let ratios: Vec<f64> = (0..h)
        .map(|k| (bands - k) as f64 / (k + 1) as f64)
        .collect();
    let cdf = |p: f64| -> f64 {
        if p <= 0.0 {
            return 1.0;
        }
        if p >= 1.0 {
            return 0.0;
        }
        let odds = p / (1.0 - p);
        let mut v = (1.0 - p).powi(bands as i32);
        let mut sum = v;
        for &q in &ratios {
            v *= q * odds;
            sum += v;
        }
        sum
    };
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    for _ in 0..40 {
        let mid = (lo + hi) / 2.0;
        if cdf(mid.powi(rows as i32)) > SKIP_PROBABILITY {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    hi
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Counting by counters and by sorting keep the same articles with
        /// the same hits as a plain tally; sorting reports articles whose
        /// entries disagree on the size.
        #[test]
        fn counting_agrees_with_a_tally(
            found in proptest::collection::vec((0u32..3000, 1u32..4), 0..6000),
            min_hits in 1usize..5,
        ) {
            // Sizes follow the article, or (the draw) not.
            let consistent: Vec<(u32, u32)> = found.iter().map(|&(d, _)| (d, d % 7 + 1)).collect();
            for list in [&consistent, &found] {
                let mut tally = std::collections::BTreeMap::new();
                let mut sizes = std::collections::BTreeMap::new();
                for &(d, size) in list.iter() {
                    *tally.entry(d).or_insert(0u32) += 1;
                    sizes.entry(d).or_insert_with(std::collections::BTreeSet::new).insert(size);
                }
                let want: Vec<(u32, u32)> = tally
                    .into_iter()
                    .filter(|&(_, h)| h as usize >= min_hits)
                    .collect();
                let disagree = sizes.values().any(|s| s.len() > 1);
                for counters in [false, true] {
                    let mut got = Vec::new();
                    let r = count_hits(list, min_hits, 51, counters, &mut got);
                    let sorted = !counters || list.len() < COUNTER_MIN_ENTRIES;
                    if sorted && disagree {
                        proptest::prop_assert!(r.is_err());
                        continue;
                    }
                    proptest::prop_assert!(r.is_ok());
                    got.sort_unstable();
                    let pairs: Vec<(u32, u32)> = got.iter().map(|&(d, h, _)| (d, h)).collect();
                    proptest::prop_assert_eq!(&pairs, &want);
                    for &(d, _, size) in &got {
                        proptest::prop_assert!(sizes[&d].contains(&size));
                    }
                }
            }
        }
    }

    #[test]
    fn hit_filter_keeps_recall_and_rises_with_the_threshold() {
        assert_eq!(min_band_hits(0.3, 51, 2), 1);
        let m5 = min_band_hits(0.5, 51, 2);
        let m9 = min_band_hits(0.9, 51, 2);
        assert!(m5 > 1 && m9 > m5, "{m5} {m9}");
        // Brute-force check of the tail at 0.5.
        let p: f64 = 0.25;
        let tail: f64 = (m5..=51)
            .map(|k| {
                let c = (0..k).fold(1.0, |c, i| c * (51 - i) as f64 / (i + 1) as f64);
                c * p.powi(k as i32) * (1.0 - p).powi(51 - k as i32)
            })
            .sum();
        assert!(tail >= HIT_FILTER_RECALL, "{tail}");
        assert_eq!(min_band_hits(1.0, 51, 2), 51);
    }

    #[test]
    fn upper_bound_agrees_with_term_by_term_sum() {
        // The binomial CDF summed term by term, as a reference.
        let reference = |h: usize, bands: usize, rows: usize| {
            let cdf = |p: f64| {
                let mut v = (1.0 - p).powi(bands as i32);
                let mut sum = 0.0;
                for k in 0..=h {
                    sum += v;
                    v = v * (bands - k) as f64 / (k + 1) as f64 * p / (1.0 - p);
                }
                sum
            };
            let (mut lo, mut hi) = (0.0f64, 1.0f64);
            for _ in 0..60 {
                let mid = (lo + hi) / 2.0;
                if cdf(mid.powi(rows as i32)) > SKIP_PROBABILITY {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            hi
        };
        for (bands, rows) in [(51, 2), (34, 3), (20, 5), (128, 1)] {
            for h in 0..bands {
                let (got, want) = (
                    jaccard_upper_bound(h, bands, rows),
                    reference(h, bands, rows),
                );
                assert!(
                    (got - want).abs() < 1e-9,
                    "{bands}x{rows} h={h}: {got} vs {want}"
                );
            }
        }
    }

    #[test]
    fn upper_bounds_rise_with_hits() {
        let b = jaccard_upper_bounds(51, 2);
        assert!(b.windows(2).all(|w| w[0] <= w[1]), "{b:?}");
        // No hit at all: (1 - J²)^51 = 1e-6 at J ≈ 0.49.
        assert!(b[0] > 0.45 && b[0] < 0.55 && b[51] == 1.0, "{b:?}");
    }

    #[test]
    fn containment_reach() {
        let params = IndexParams::new(4, 128, 0, 0.3).unwrap();
        let o = CheckOptions {
            metric: Metric::Containment,
            threshold: 0.7,
            top: 5,
        };
        let r = o.min_size_ratio(&params).unwrap();
        // A copy of ratio r fully at the threshold has Jaccard 0.3.
        let j = lsh::jaccard_for_containment(0.7, r);
        assert!((j - 0.3).abs() < 1e-9, "{r} {j}");
    }

    #[test]
    fn threshold_below_layout_is_refused() {
        let params = IndexParams::new(4, 128, 0, 0.3).unwrap();
        let o = CheckOptions {
            threshold: 0.2,
            ..CheckOptions::default()
        };
        assert!(o.validate(&params).is_err());
    }
}
