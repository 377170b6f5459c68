//! Output of a dedup run: clusters as JSON Lines or CSV, or verified pairs
//! as JSON Lines; and atomic output files.
//!
//! * `jsonl`: one cluster per line,
//!   `{"representative":"<id>","size":N,"members":[{"id":"..","score":0.93,"metric":"jaccard"},...]}`,
//!   representative first with score 1.0, others by id; each score is the
//!   member's score against the representative. Only clusters of two or
//!   more documents are written.
//! * `csv`: header `cluster,id,representative,score,metric`, one row per
//!   member; clusters are numbered from 1 in output order.
//! * pairs: `{"a":"..","b":"..","jaccard":..,"minhash_jaccard":..,"containment_a_in_b":..,"containment_b_in_a":..}`,
//!   `a` earlier in the input than `b`; exact scores are `null` with
//!   verification off.

use std::io::Write;

use serde::Serialize;

use super::{DedupResult, Metric};
use crate::error::{Error, ErrorKind, Result};

/// Output formats of clusters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per cluster per line.
    Jsonl,
    /// One CSV row per cluster member.
    Csv,
}

#[derive(Serialize)]
struct ClusterLine<'a> {
    representative: &'a str,
    size: usize,
    members: Vec<MemberLine<'a>>,
}

#[derive(Serialize)]
struct MemberLine<'a> {
    id: &'a str,
    score: f64,
    metric: &'static str,
}

#[derive(Serialize)]
struct PairLine<'a> {
    a: &'a str,
    b: &'a str,
    jaccard: Option<f64>,
    minhash_jaccard: f64,
    containment_a_in_b: Option<f64>,
    containment_b_in_a: Option<f64>,
}

fn io_err(e: std::io::Error) -> Error {
    Error::new(ErrorKind::Io(e))
}

/// Writes the clusters in `format`.
pub fn write_clusters(
    result: &DedupResult,
    metric: Metric,
    format: Format,
    w: &mut dyn Write,
) -> Result<()> {
    let id = |d: u32| result.docs[d as usize].id.as_str();
    match format {
        Format::Jsonl => {
            for c in &result.clusters {
                let line = ClusterLine {
                    representative: id(c.representative()),
                    size: c.members.len(),
                    members: c
                        .members
                        .iter()
                        .map(|m| MemberLine {
                            id: id(m.doc),
                            score: m.score,
                            metric: metric.name(),
                        })
                        .collect(),
                };
                serde_json::to_writer(&mut *w, &line).map_err(|e| io_err(e.into()))?;
                w.write_all(b"\n").map_err(io_err)?;
            }
        }
        Format::Csv => {
            writeln!(w, "cluster,id,representative,score,metric").map_err(io_err)?;
            for (n, c) in result.clusters.iter().enumerate() {
                let rep = csv_field(id(c.representative()));
                for m in &c.members {
                    writeln!(
                        w,
                        "{},{},{},{},{}",
                        n + 1,
                        csv_field(id(m.doc)),
                        rep,
                        m.score,
                        metric.name()
                    )
                    .map_err(io_err)?;
                }
            }
        }
    }
    Ok(())
}

/// Writes the verified pairs, one JSON object per line.
pub fn write_pairs(result: &DedupResult, w: &mut dyn Write) -> Result<()> {
    for p in &result.pairs {
        let line = PairLine {
            a: &result.docs[p.a as usize].id,
            b: &result.docs[p.b as usize].id,
            jaccard: p.jaccard,
            minhash_jaccard: p.minhash_jaccard,
            containment_a_in_b: p.containment_a_in_b,
            containment_b_in_a: p.containment_b_in_a,
        };
        serde_json::to_writer(&mut *w, &line).map_err(|e| io_err(e.into()))?;
        w.write_all(b"\n").map_err(io_err)?;
    }
    Ok(())
}

/// Quotes a CSV field when it holds a comma, quote or line break.
fn csv_field(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\"")).into()
    } else {
        s.into()
    }
}

pub use crate::output::write_atomic;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quoting() {
        assert_eq!(csv_field("a"), "a");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn atomic_write_leaves_nothing_on_failure() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.jsonl");
        let r = write_atomic(&path, |w| {
            w.write_all(b"partial").unwrap();
            Err(Error::usage("boom"))
        });
        assert!(r.is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        write_atomic(&path, |w| w.write_all(b"ok").map_err(io_err)).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "ok");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
