//! Pins the `neardiff.compare/4` JSON contract: the output of every sample
//! pair must parse into these structs, which reject unknown fields, and
//! must keep the promises documented in `docs/json-schema.md`.
//!
//! These structs are written out here on purpose, apart from the library's
//! own types: a field added to, renamed in or removed from the library
//! fails this test until the schema (and its version) is updated.

#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Output {
    schema: String,
    a: Side,
    b: Side,
    similarity: Similarity,
    summary: Summary,
    passages: Vec<Passage>,
    runs: Vec<Run>,
    quotes: Vec<Quote>,
    facts: Vec<Fact>,
    warnings: Vec<Warning>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Side {
    id: String,
    outlet: Option<String>,
    url: Option<String>,
    date: Option<String>,
    title: Option<String>,
    source: Option<String>,
    text: String,
    spans: Vec<Span>,
    #[serde(default)]
    versions: Option<Vec<Version>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Version {
    id: String,
    date: Option<String>,
    title: Option<String>,
    start: usize,
    end: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Span {
    start: usize,
    end: usize,
    label: String,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
struct Range {
    start: usize,
    end: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Similarity {
    shingle_size: usize,
    num_perm: usize,
    jaccard: f64,
    minhash_jaccard: f64,
    containment_a_in_b: f64,
    containment_b_in_a: f64,
    aligned_a: f64,
    aligned_b: f64,
    verdict: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Summary {
    unchanged: usize,
    reworded: usize,
    moved: usize,
    added: usize,
    dropped: usize,
    quotes_altered: usize,
    quotes_verbatim: usize,
    quotes_only_a: usize,
    quotes_only_b: usize,
    facts_high: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Passage {
    kind: String,
    a: Option<Range>,
    b: Option<Range>,
    score: f64,
    edits: Vec<Edit>,
    #[serde(default)]
    a_version: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Edit {
    op: String,
    a: Range,
    b: Range,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Quote {
    status: String,
    a: Option<QuoteRef>,
    b: Option<QuoteRef>,
    score: f64,
    edits: Vec<Edit>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuoteRef {
    text: String,
    start: usize,
    end: usize,
    speaker: Option<String>,
    #[serde(default)]
    speaker_description: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fact {
    kind: String,
    severity: String,
    in_quote: bool,
    a: Option<FactValue>,
    b: Option<FactValue>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FactValue {
    text: String,
    start: usize,
    end: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Run {
    a: Range,
    b: Range,
    words: usize,
    aligned: bool,
    #[serde(default)]
    a_version: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Warning {
    side: String,
    offset: usize,
    message: String,
}

fn check_side(side: &Side, body: &str, labels: &[&str]) {
    assert_eq!(side.text, body, "text is the body exactly as read");
    let mut at = 0;
    for s in &side.spans {
        assert_eq!(s.start, at);
        assert!(s.end > s.start && s.end <= side.text.len());
        assert!(labels.contains(&s.label.as_str()), "label {}", s.label);
        at = s.end;
    }
    assert_eq!(at, side.text.len(), "spans cover every byte");
}

fn in_text(text: &str, r: Range) -> &str {
    assert!(r.start <= r.end && r.end <= text.len());
    &text[r.start..r.end]
}

#[test]
fn every_sample_pair_matches_the_schema() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut pairs = vec![(
        "knesset-azerbaijan-newsaz.txt".to_string(),
        "knesset-azerbaijan-jns.txt".to_string(),
    )];
    for e in std::fs::read_dir(&dir).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        if let Some(stem) = name.strip_suffix("-a.txt") {
            pairs.push((name.clone(), format!("{stem}-b.txt")));
        }
    }
    for (a, b) in pairs {
        let (pa, pb) = (dir.join(&a), dir.join(&b));
        let out = compare_json(&[&pa, &pb]);
        assert!(out.a.versions.is_none(), "{a}: one article has no versions");
        let body = |p: &Path| neardiff::read_article(p).unwrap().text;
        check_output(&out, &body(&pa), &body(&pb));
        assert!(out.passages.iter().all(|p| p.a_version.is_none()));
        assert!(out.runs.iter().all(|r| r.a_version.is_none()));
    }
}

/// Runs `compare --format json` on the files and parses the output.
fn compare_json(files: &[&Path]) -> Output {
    let o = Command::new(env!("CARGO_BIN_EXE_neardiff"))
        .args(["compare", "--format", "json"])
        .args(files)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{files:?}: output does not match the schema: {e}"))
}

/// The promises of `docs/json-schema.md` that hold for every output.
fn check_output(out: &Output, body_a: &str, body_b: &str) {
    assert_eq!(out.schema, "neardiff.compare/4");
    check_side(&out.a, body_a, &["same", "changed", "dropped"]);
    check_side(&out.b, body_b, &["same", "changed", "added"]);
    assert!(
        [
            "duplicate",
            "near-duplicate",
            "partial",
            "related",
            "unrelated"
        ]
        .contains(&out.similarity.verdict.as_str())
    );
    for p in &out.passages {
        match p.kind.as_str() {
            "unchanged" | "reworded" | "moved" => assert!(p.a.is_some() && p.b.is_some()),
            "added" => assert!(p.a.is_none() && p.b.is_some()),
            "dropped" => assert!(p.a.is_some() && p.b.is_none()),
            k => panic!("unknown passage kind {k}"),
        }
        for e in &p.edits {
            assert!(["equal", "delete", "insert", "replace"].contains(&e.op.as_str()));
            in_text(&out.a.text, e.a);
            in_text(&out.b.text, e.b);
        }
    }
    // Runs: in order of B, at least four words (the default), the same
    // words on both sides (compared loosely here: same count of words),
    // and labelled `same` on both sides.
    let mut last = 0;
    for r in &out.runs {
        assert!(r.b.start >= last, "runs in order of B");
        last = r.b.start;
        assert!(r.words >= 4);
        let words = |t: &str| {
            t.split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .count()
        };
        let (ta, tb) = (in_text(&out.a.text, r.a), in_text(&out.b.text, r.b));
        assert!(
            words(ta) >= r.words && words(tb) >= r.words,
            "{ta:?} / {tb:?}"
        );
        for (side, range) in [(&out.a, r.a), (&out.b, r.b)] {
            for s in &side.spans {
                if s.start < range.end && range.start < s.end {
                    assert_eq!(s.label, "same", "a run is labelled same");
                }
            }
        }
    }
    for q in &out.quotes {
        assert!(
            [
                "verbatim",
                "altered",
                "partial",
                "only_a",
                "only_b",
                "speaker_changed"
            ]
            .contains(&q.status.as_str())
        );
        for (r, text) in [(&q.a, &out.a.text), (&q.b, &out.b.text)] {
            if let Some(r) = r {
                assert_eq!(
                    in_text(
                        text,
                        Range {
                            start: r.start,
                            end: r.end
                        }
                    ),
                    r.text
                );
                // A description stands only for a speaker not named.
                assert!(r.speaker.is_none() || r.speaker_description.is_none());
            }
        }
    }
    for f in &out.facts {
        assert!(["number", "date", "name", "list_item", "wording"].contains(&f.kind.as_str()));
        assert!(["high", "medium", "low"].contains(&f.severity.as_str()));
        for (v, text) in [(&f.a, &out.a.text), (&f.b, &out.b.text)] {
            if let Some(v) = v {
                assert_eq!(
                    in_text(
                        text,
                        Range {
                            start: v.start,
                            end: v.end
                        }
                    ),
                    v.text
                );
            }
        }
    }
}

#[test]
fn a_source_in_several_versions_matches_the_schema() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let (a1, a2, b) = (
        dir.join("wire-versions-a1.txt"),
        dir.join("wire-versions-a2.txt"),
        dir.join("wire-versions-b.txt"),
    );
    let out = compare_json(&[&a1, &a2, &b]);
    let (t1, t2) = (
        neardiff::read_article(&a1).unwrap().text,
        neardiff::read_article(&a2).unwrap().text,
    );
    let joined = format!("{t1}\n\n{t2}");
    check_output(&out, &joined, &neardiff::read_article(&b).unwrap().text);
    let versions = out.a.versions.as_ref().expect("versions listed");
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0].id, "wire-versions-a1");
    assert_eq!(&joined[versions[0].start..versions[0].end], t1);
    assert_eq!(&joined[versions[1].start..versions[1].end], t2);
    // Every run and every passage with an A range names the version it
    // lies in; both versions give B words.
    let of = |at: usize| versions.iter().position(|v| v.start <= at && at < v.end);
    for r in &out.runs {
        assert_eq!(r.a_version, of(r.a.start));
        assert_eq!(r.a_version, of(r.a.end - 1), "a run lies in one version");
    }
    for p in &out.passages {
        assert_eq!(p.a_version, p.a.and_then(|a| of(a.start)));
    }
    for v in 0..2 {
        assert!(
            out.runs.iter().any(|r| r.a_version == Some(v)),
            "version {v}"
        );
    }
}
