//! Checking new articles against an index.
//!
//! For a new article, every band of its signature names a bucket; indexed
//! articles found in at least [`min_band_hits`] of its buckets are
//! candidates. Each candidate's stored row is read (and its checksum
//! checked) and scored exactly from the shingle fingerprints: Jaccard,
//! containment both ways and the MinHash estimate. Candidates whose score
//! on the chosen metric reaches the threshold are matches; the best
//! [`CheckOptions::top`] are kept, ordered by score, then Jaccard, then id.
//!
//! The verdict of a match uses the rules and thresholds of `compare`
//! ([`crate::compare::verdict`]) on the shingle scores alone (no sentence
//! alignment is done, so the aligned-text rule of "related" does not
//! apply).

use serde::Serialize;

use super::{Index, IndexParams, NewDoc};
use crate::compare::{Similarity, Thresholds, Verdict, verdict};
use crate::dedup::sketch::{intersection_len, signature_jaccard};
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
            return Err(Error::usage(format!(
                "--threshold must be in (0, 1], got {}",
                self.threshold
            )));
        }
        if self.metric == Metric::Jaccard && self.threshold + 1e-9 < params.lsh_threshold {
            return Err(Error::usage(format!(
                "--threshold {} is below the lowest Jaccard threshold this index was built for ({}); rebuild it with `index build --force --lsh-threshold {}`",
                self.threshold, params.lsh_threshold, self.threshold
            )));
        }
        if self.top == 0 {
            return Err(Error::usage("--top must be at least 1"));
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
    /// Distinct shingles (0: no words, never matched).
    pub num_shingles: u32,
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

/// Scores of two fingerprint sets: (Jaccard, share of a in b, share of b
/// in a).
fn scores(a: &[u32], b: &[u32]) -> (f64, f64, f64) {
    let inter = intersection_len(a, b) as f64;
    let union = a.len() as f64 + b.len() as f64 - inter;
    let j = if union == 0.0 { 1.0 } else { inter / union };
    let ca = if a.is_empty() {
        1.0
    } else {
        inter / a.len() as f64
    };
    let cb = if b.is_empty() {
        1.0
    } else {
        inter / b.len() as f64
    };
    (j, ca, cb)
}

impl Index {
    /// Finds the indexed articles most similar to `new` (one consistent
    /// snapshot of the index).
    pub fn check(&self, new: &NewDoc, opts: &CheckOptions) -> Result<CheckResult> {
        self.read(|ix| ix.check_in_snapshot(new, opts))
    }

    /// Like [`Index::check`], inside a read transaction the caller holds.
    pub fn check_in_snapshot(&self, new: &NewDoc, opts: &CheckOptions) -> Result<CheckResult> {
        let s = &new.sketch;
        let mut result = CheckResult {
            id: s.id.clone(),
            source: new.source.to_string(),
            line: new.line,
            num_shingles: s.num_shingles,
            candidates: 0,
            matches: Vec::new(),
        };
        if s.is_empty() {
            return Ok(result);
        }
        let params = &self.params;
        if s.signature.len() != params.num_perm {
            return Err(Error::usage(
                "the article was sketched with other parameters",
            ));
        }
        let plan = params.plan();
        let min_hits = min_band_hits(opts.lowest_jaccard(params), plan.bands, plan.rows);
        let mut docs = Vec::new();
        for band in 0..plan.bands {
            self.bucket(plan.band_key(&s.signature, band), &mut docs)?;
        }
        docs.sort_unstable();
        let fingerprints = s.shingles.as_deref().unwrap_or(&[]);
        let thresholds = Thresholds::default();
        let mut i = 0;
        while i < docs.len() {
            let doc = docs[i];
            let mut j = i;
            while j < docs.len() && docs[j] == doc {
                j += 1;
            }
            let hits = j - i;
            i = j;
            if hits < min_hits {
                continue;
            }
            result.candidates += 1;
            let Some(d) = self.fetch(doc)? else {
                return Err(super::store::corrupt(
                    &self.path,
                    format!(
                        "a bucket entry points to article number {doc}, which is not stored; rebuild the index"
                    ),
                ));
            };
            let (jac, c_new, c_old) = scores(fingerprints, &d.shingles);
            let score = match opts.metric {
                Metric::Jaccard => jac,
                Metric::Containment => c_new.max(c_old),
            };
            if score < opts.threshold {
                continue;
            }
            let sim = Similarity {
                shingle_size: params.shingle_size,
                num_perm: params.num_perm,
                jaccard: jac,
                minhash_jaccard: signature_jaccard(&s.signature, &d.signature),
                containment_a_in_b: c_new,
                containment_b_in_a: c_old,
                aligned_a: 0.0,
                aligned_b: 0.0,
                verdict: Verdict::Unrelated,
            };
            result.matches.push(Match {
                id: d.id,
                date: d.date,
                outlet: d.outlet,
                title: d.title,
                verdict: verdict(&sim, 0, &thresholds),
                score,
                jaccard: jac,
                containment_new_in_match: c_new,
                containment_match_in_new: c_old,
                minhash_jaccard: sim.minhash_jaccard,
                band_hits: hits as u32,
            });
        }
        result.matches.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(b.jaccard.total_cmp(&a.jaccard))
                .then_with(|| a.id.cmp(&b.id))
        });
        result.matches.truncate(opts.top);
        Ok(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
