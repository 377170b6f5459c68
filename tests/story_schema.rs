//! Pins the `neardiff.story/1` JSON contract (`docs/story-schema.md`): the
//! output for `samples/story-harbour-fire/` must parse into these structs,
//! which reject unknown fields, and keep the documented promises.
//!
//! The structs are written out here on purpose, apart from the library's
//! types: a field added to, renamed in or removed from the library fails
//! this test until the schema (and its version) is updated.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Output {
    schema: String,
    source: String,
    source_reason: String,
    articles: Vec<Article>,
    passages: Vec<Passage>,
    quotes: Vec<Quote>,
    facts: Vec<Fact>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Article {
    id: String,
    role: Role,
    outlet: Option<String>,
    date: Option<String>,
    title: Option<String>,
    url: Option<String>,
    words: usize,
    related: bool,
    verdict: Option<String>,
    rank: Option<usize>,
    drift: f64,
    kept_share: f64,
    kept: usize,
    reworded: usize,
    dropped: usize,
    moved: usize,
    added: usize,
    quotes_altered: usize,
    quotes_partial: usize,
    quotes_absent: usize,
    speakers_changed: usize,
    facts_high: usize,
    facts_changed: usize,
    added_passages: Vec<Range>,
}

#[derive(Deserialize, PartialEq, Debug)]
#[serde(rename_all = "snake_case")]
enum Role {
    Source,
    Outlet,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Range {
    start: usize,
    end: usize,
    text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Passage {
    number: usize,
    start: usize,
    end: usize,
    words: usize,
    text: String,
    by_article: BTreeMap<String, Cell>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Cell {
    status: PassageStatus,
    moved: bool,
    wording: Option<Range>,
    #[serde(default)]
    diff: Vec<DiffPart>,
}

#[derive(Deserialize, PartialEq, Debug, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum PassageStatus {
    Kept,
    Reworded,
    Dropped,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DiffPart {
    op: DiffOp,
    text: String,
}

#[derive(Deserialize, PartialEq, Debug)]
#[serde(rename_all = "snake_case")]
enum DiffOp {
    Same,
    Deleted,
    Inserted,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Quote {
    text: String,
    origin: String,
    speaker: Option<String>,
    by_article: BTreeMap<String, QuoteState>,
    versions: BTreeMap<String, Version>,
}

#[derive(Deserialize, PartialEq, Debug, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum QuoteState {
    Verbatim,
    Altered,
    Partial,
    Absent,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Version {
    text: String,
    start: usize,
    end: usize,
    speaker: Option<String>,
    speaker_agreement: SpeakerAgreement,
    inside_longer_quote: bool,
    #[serde(default)]
    diff: Vec<DiffPart>,
}

#[derive(Deserialize, PartialEq, Debug)]
#[serde(rename_all = "snake_case")]
enum SpeakerAgreement {
    Same,
    Different,
    Unknown,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fact {
    id: String,
    kind: FactKind,
    severity: Severity,
    in_quote: bool,
    source_value: Option<Value>,
    article_value: Option<Value>,
}

#[derive(Deserialize, PartialEq, Debug)]
#[serde(rename_all = "snake_case")]
enum FactKind {
    Number,
    Date,
    Name,
    ListItem,
    Wording,
}

#[derive(Deserialize, PartialEq, Debug)]
#[serde(rename_all = "snake_case")]
enum Severity {
    High,
    Medium,
    Low,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Value {
    text: String,
    start: usize,
    end: usize,
}

fn body(id: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples/story-harbour-fire")
        .join(format!("{id}.txt"));
    neardiff::read_article(&p).unwrap().text
}

#[test]
fn story_json_matches_the_documented_schema() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/story-harbour-fire");
    let o = Command::new(env!("CARGO_BIN_EXE_neardiff"))
        .args(["story", "--format", "json"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out: Output = serde_json::from_slice(&o.stdout).expect("neardiff.story/1");
    assert_eq!(out.schema, "neardiff.story/1");
    assert!(!out.source_reason.is_empty());

    // The source comes first; ids are unique.
    assert_eq!(out.articles[0].id, out.source);
    assert_eq!(out.articles[0].role, Role::Source);
    assert!(out.articles[1..].iter().all(|a| a.role == Role::Outlet));
    let mut ids: Vec<&str> = out.articles.iter().map(|a| a.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), out.articles.len());
    let related: Vec<&Article> = out.articles.iter().filter(|a| a.related).collect();
    let outlets: Vec<&Article> = related[1..].to_vec();

    // Ranks are 1..n over the related outlets, by falling drift.
    let mut ranked = outlets.clone();
    ranked.sort_by_key(|a| a.rank);
    for (i, a) in ranked.iter().enumerate() {
        assert_eq!(a.rank, Some(i + 1));
        if i > 0 {
            assert!(ranked[i - 1].drift >= a.drift);
        }
    }
    for a in out.articles.iter().filter(|a| !a.related) {
        assert_eq!((a.rank, a.kept, a.added), (None, 0, 0));
    }

    // Passages: source byte ranges; one cell per related outlet; counts
    // add up; reworded cells carry the outlet's wording.
    let src = body(&out.source);
    for p in &out.passages {
        assert_eq!(&src[p.start..p.end], p.text);
        assert_eq!(p.by_article.len(), outlets.len());
        for (id, c) in &p.by_article {
            assert!(outlets.iter().any(|a| &a.id == id));
            assert_eq!(c.wording.is_some(), c.status == PassageStatus::Reworded);
            if let Some(w) = &c.wording {
                assert_eq!(&body(id)[w.start..w.end], w.text);
                assert!(!c.diff.is_empty());
            }
        }
    }
    for a in &outlets {
        let count = |s: PassageStatus| {
            out.passages
                .iter()
                .filter(|p| p.by_article[&a.id].status == s)
                .count()
        };
        assert_eq!(a.kept, count(PassageStatus::Kept));
        assert_eq!(a.reworded, count(PassageStatus::Reworded));
        assert_eq!(a.dropped, count(PassageStatus::Dropped));
        assert_eq!(a.kept + a.reworded + a.dropped, out.passages.len());
        assert_eq!(a.added, a.added_passages.len());
        for r in &a.added_passages {
            assert_eq!(&body(&a.id)[r.start..r.end], r.text);
        }
    }

    // Quotes: every related article in by_article, versions exactly for the
    // articles that carry the quote, at their byte ranges.
    for q in &out.quotes {
        assert_eq!(q.by_article.len(), related.len());
        assert_eq!(q.by_article[&q.origin], QuoteState::Verbatim);
        for (id, state) in &q.by_article {
            assert_eq!(
                q.versions.contains_key(id),
                *state != QuoteState::Absent,
                "{id}"
            );
        }
        for (id, v) in &q.versions {
            assert_eq!(&body(id)[v.start..v.end], v.text);
            let changed = matches!(q.by_article[id], QuoteState::Altered | QuoteState::Partial);
            assert_eq!(!v.diff.is_empty(), changed, "{id}: {}", q.text);
        }
    }

    // Facts name related outlets and point into both bodies.
    for f in &out.facts {
        assert!(outlets.iter().any(|a| a.id == f.id));
        if let Some(v) = &f.source_value {
            assert_eq!(&src[v.start..v.end], v.text);
        }
        if let Some(v) = &f.article_value {
            assert_eq!(&body(&f.id)[v.start..v.end], v.text);
        }
    }
}
