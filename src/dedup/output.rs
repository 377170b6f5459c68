//! Output of a dedup run: clusters as JSON Lines or CSV, or verified pairs
//! as JSON Lines; and atomic output files.
//!
//! * `jsonl`: one cluster per line,
//!   `{"representative":"<id>","size":N,"members":[{"id":"..","score":0.93,"metric":"jaccard"},...]}`,
//!   representative first with score 1.0, others by id; each score is the
//!   member's score against the representative. Only clusters of two or
//!   more documents are written. With `--via` every member but the
//!   representative also has `"via":{"id":"..","score":0.71}`: the verified
//!   pair that brought it in ([`Cluster::via`](super::cluster::Cluster::via)).
//! * `csv`: header `cluster,id,representative,score,metric`, one row per
//!   member; clusters are numbered from 1 in output order. With `--via`
//!   (and at least one cluster) two more columns, `via,via_score`, empty
//!   for the representative.
//! * pairs: `{"a":"..","b":"..","jaccard":..,"minhash_jaccard":..,"containment_a_in_b":..,"containment_b_in_a":..}`,
//!   `a` earlier in the input than `b`; exact scores are `null` with
//!   verification off.
//! * too short (`--too-short FILE`): one line per article too short to
//!   compare, in input order, `{"id":"..","words":N}`.

use std::io::Write;

use serde::Serialize;

use super::{DedupResult, Metric};
use crate::error::{Error, ErrorKind, IoOp, Result};

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
    #[serde(skip_serializing_if = "Option::is_none")]
    via: Option<ViaLine<'a>>,
}

#[derive(Serialize)]
struct ViaLine<'a> {
    id: &'a str,
    score: f64,
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

#[derive(Serialize)]
struct TooShortLine<'a> {
    id: &'a str,
    words: u32,
    /// `"words"`: fewer words than the minimum; `"boilerplate"`: enough
    /// words, but too few shingles once its outlet's boilerplate is set
    /// aside.
    reason: &'static str,
}

fn io_err(e: std::io::Error) -> Error {
    Error::new(ErrorKind::Io(e)).with_io_op(IoOp::Write)
}

/// Items rendered per parallel job of [`write_rendered`].
const RENDER_CHUNK: usize = 256;
/// Items rendered before their text is written (bounds the memory held).
const RENDER_WINDOW: usize = 64 * RENDER_CHUNK;

/// Writes `render(i, item)` of every item in order. The text of a window
/// of items is made in parallel, in chunks, and then written chunk by
/// chunk, so the output is the same whatever the thread count.
fn write_rendered<T: Sync>(
    items: &[T],
    w: &mut dyn Write,
    render: impl Fn(usize, &T, &mut Vec<u8>) -> std::io::Result<()> + Sync,
) -> Result<()> {
    use rayon::prelude::*;
    for (k, window) in items.chunks(RENDER_WINDOW).enumerate() {
        let texts: Vec<std::io::Result<Vec<u8>>> = window
            .par_chunks(RENDER_CHUNK)
            .enumerate()
            .map(|(c, chunk)| {
                let mut buf = Vec::new();
                let first = k * RENDER_WINDOW + c * RENDER_CHUNK;
                for (i, item) in chunk.iter().enumerate() {
                    render(first + i, item, &mut buf)?;
                }
                Ok(buf)
            })
            .collect();
        for text in texts {
            w.write_all(&text.map_err(io_err)?).map_err(io_err)?;
        }
    }
    Ok(())
}

/// Appends `line` as one line of JSON.
fn push_json_line(buf: &mut Vec<u8>, line: &impl Serialize) -> std::io::Result<()> {
    serde_json::to_writer(&mut *buf, line)?;
    buf.push(b'\n');
    Ok(())
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
        Format::Jsonl => write_rendered(&result.clusters, w, |_, c, buf| {
            let line = ClusterLine {
                representative: id(c.representative()),
                size: c.members.len(),
                members: c
                    .members
                    .iter()
                    .enumerate()
                    .map(|(k, m)| MemberLine {
                        id: id(m.doc),
                        score: m.score,
                        metric: metric.name(),
                        via: k
                            .checked_sub(1)
                            .and_then(|k| c.via.get(k))
                            .map(|v| ViaLine {
                                id: id(v.doc),
                                score: v.score,
                            }),
                    })
                    .collect(),
            };
            push_json_line(buf, &line)
        }),
        Format::Csv => {
            let with_via = result.clusters.iter().any(|c| !c.via.is_empty());
            let via_columns = if with_via { ",via,via_score" } else { "" };
            writeln!(w, "cluster,id,representative,score,metric{via_columns}").map_err(io_err)?;
            write_rendered(&result.clusters, w, |n, c, buf| {
                let rep = csv_field(id(c.representative()));
                for (k, m) in c.members.iter().enumerate() {
                    write!(
                        buf,
                        "{},{},{},{},{}",
                        n + 1,
                        csv_field(id(m.doc)),
                        rep,
                        m.score,
                        metric.name()
                    )?;
                    match k.checked_sub(1).and_then(|k| c.via.get(k)) {
                        Some(v) => writeln!(buf, ",{},{}", csv_field(id(v.doc)), v.score)?,
                        None if with_via => writeln!(buf, ",,")?,
                        None => writeln!(buf)?,
                    }
                }
                Ok(())
            })
        }
    }
}

/// Writes the verified pairs, one JSON object per line.
pub fn write_pairs(result: &DedupResult, w: &mut dyn Write) -> Result<()> {
    write_rendered(&result.pairs, w, |_, p, buf| {
        let line = PairLine {
            a: &result.docs[p.a as usize].id,
            b: &result.docs[p.b as usize].id,
            jaccard: p.jaccard,
            minhash_jaccard: p.minhash_jaccard,
            containment_a_in_b: p.containment_a_in_b,
            containment_b_in_a: p.containment_b_in_a,
        };
        push_json_line(buf, &line)
    })
}

/// Writes the articles too short to compare ([`super::DocSketch::is_empty`]),
/// one JSON object per line in input order:
/// `{"id":"..","words":N,"reason":"words"|"boilerplate"}` (fewer words than
/// `min_words`, or too few shingles left once boilerplate is set aside).
pub fn write_too_short(result: &DedupResult, min_words: usize, w: &mut dyn Write) -> Result<()> {
    let mut buf = Vec::new();
    for d in result.docs.iter().filter(|d| d.is_empty()) {
        buf.clear();
        let line = TooShortLine {
            id: &d.id,
            words: d.words,
            reason: if (d.words as usize) < min_words {
                "words"
            } else {
                "boilerplate"
            },
        };
        push_json_line(&mut buf, &line).map_err(io_err)?;
        w.write_all(&buf).map_err(io_err)?;
    }
    w.flush().map_err(io_err)
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

    /// More clusters than one render window: the parallel rendering
    /// writes every line in order, line for line as one thread writing
    /// them one after another would, whatever the thread count.
    #[test]
    fn rendered_in_order_whatever_the_threads() {
        use super::super::cluster::{Cluster, Member};
        let n = RENDER_WINDOW + 3 * RENDER_CHUNK + 17;
        let docs: Vec<_> = (0..2 * n)
            .map(|i| super::super::DocSketch {
                id: format!("doc,{i}"),
                outlet: 0,
                date: None,
                num_shingles: 1,
                words: 4,
                signature: Vec::new(),
                shingles: None,
                edges: None,
            })
            .collect();
        let clusters: Vec<Cluster> = (0..n as u32)
            .map(|c| Cluster {
                via: Vec::new(),
                members: vec![
                    Member {
                        doc: 2 * c,
                        score: 1.0,
                    },
                    Member {
                        doc: 2 * c + 1,
                        score: 1.0 / (c + 2) as f64,
                    },
                ],
            })
            .collect();
        let result = DedupResult {
            docs,
            plan: crate::lsh::LshPlan::optimal(0.5, 128, 0.5),
            pairs: Vec::new(),
            clusters,
            summary: Default::default(),
            skipped: Vec::new(),
            boilerplate: Default::default(),
        };
        let mut expected_jsonl = String::new();
        let mut expected_csv = String::from("cluster,id,representative,score,metric\n");
        for (k, c) in result.clusters.iter().enumerate() {
            let (a, b) = (
                &result.docs[c.members[0].doc as usize].id,
                &result.docs[c.members[1].doc as usize].id,
            );
            let s = c.members[1].score;
            expected_jsonl.push_str(&format!(
                "{{\"representative\":\"{a}\",\"size\":2,\"members\":[{{\"id\":\"{a}\",\"score\":1.0,\"metric\":\"jaccard\"}},{{\"id\":\"{b}\",\"score\":{},\"metric\":\"jaccard\"}}]}}\n",
                serde_json::to_string(&s).unwrap()
            ));
            expected_csv.push_str(&format!("{},\"{a}\",\"{a}\",1,jaccard\n", k + 1));
            expected_csv.push_str(&format!("{},\"{b}\",\"{a}\",{s},jaccard\n", k + 1));
        }
        for threads in [1, 3] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            for (format, expected) in [
                (Format::Jsonl, &expected_jsonl),
                (Format::Csv, &expected_csv),
            ] {
                let mut out = Vec::new();
                pool.install(|| write_clusters(&result, Metric::Jaccard, format, &mut out))
                    .unwrap();
                assert!(
                    String::from_utf8(out).unwrap() == *expected,
                    "{format:?}, {threads} threads"
                );
            }
        }
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
