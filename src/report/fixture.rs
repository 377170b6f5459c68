//! A small hand-built [`Comparison`] for the report tests: one reworded
//! passage with an altered quote, one unchanged passage, one dropped and one
//! added passage, a changed fact and a warning. The texts contain `<script>`,
//! `&`, quotes, `|` and `*` so that escaping is exercised.
//!
//! The same comparison is checked in as `tests/fixtures/report-comparison.json`
//! for the browser test; `fixture_json_is_current` keeps the two in step
//! (run with `NEARDIFF_UPDATE_FIXTURES=1` to rewrite the file).

use crate::compare::*;
use crate::diff::word_diff;
use crate::text::{Span, words};

/// Concatenates labelled pieces into a text and its spans.
fn side_text(pieces: &[(&str, SpanLabel)]) -> (String, Vec<LabeledSpan>) {
    let mut text = String::new();
    let mut spans = Vec::new();
    for (piece, label) in pieces {
        let start = text.len();
        text.push_str(piece);
        spans.push(LabeledSpan {
            start,
            end: text.len(),
            label: *label,
        });
    }
    (text, spans)
}

/// The range of the first occurrence of `needle` in `text`.
fn find(text: &str, needle: &str) -> Span {
    let start = text.find(needle).expect("fixture text has needle");
    Span::new(start, start + needle.len())
}

/// Word edits between range `ra` of `a` and range `rb` of `b`, with byte
/// offsets into the whole texts.
fn edits(a: &str, ra: Span, b: &str, rb: Span) -> (Vec<crate::diff::WordEdit>, f64) {
    let inside = |t: &str, r: Span| {
        words(t)
            .into_iter()
            .filter(|w| w.span.start >= r.start && w.span.end <= r.end)
            .collect::<Vec<_>>()
    };
    let d = word_diff(&inside(a, ra), &inside(b, rb));
    let score = d.similarity();
    (d.edits, score)
}

/// Builds the fixture.
pub(crate) fn comparison() -> Comparison {
    use SpanLabel::*;
    let shared = " ally of Israel\" on Monday.\n\nTrade grew <fast> & \"steady\" in 2024.\n\n";
    let (a_text, a_spans) = side_text(&[
        ("Minister Orit Strock said \"Azerbaijan is ", Same),
        ("an important", Changed),
        (shared, Same),
        (
            "A <script>alert('x')</script> paragraph only in A.",
            Dropped,
        ),
    ]);
    let (b_text, b_spans) = side_text(&[
        ("Minister Orit Strock said \"Azerbaijan is ", Same),
        ("a key", Changed),
        (shared, Same),
        ("He added: \"I seek <my> brothers\" | *now*.", Added),
    ]);
    let (a, b) = (a_text.as_str(), b_text.as_str());

    let p1a = find(
        a,
        "Minister Orit Strock said \"Azerbaijan is an important ally of Israel\" on Monday.",
    );
    let p1b = find(
        b,
        "Minister Orit Strock said \"Azerbaijan is a key ally of Israel\" on Monday.",
    );
    let p2 = "Trade grew <fast> & \"steady\" in 2024.";
    let (p2a, p2b) = (find(a, p2), find(b, p2));
    let p3a = find(a, "A <script>alert('x')</script> paragraph only in A.");
    let p3b = find(b, "He added: \"I seek <my> brothers\" | *now*.");
    let (p1_edits, p1_score) = edits(a, p1a, b, p1b);

    let qa = find(a, "Azerbaijan is an important ally of Israel");
    let qb = find(b, "Azerbaijan is a key ally of Israel");
    let (q_edits, q_score) = edits(a, qa, b, qb);
    let qonly = find(b, "I seek <my> brothers");
    let quote = |text: &str, s: Span, speaker: Option<&str>| QuoteRef {
        text: s.slice(text).to_string(),
        start: s.start,
        end: s.end,
        speaker: speaker.map(str::to_string),
        speaker_description: None,
    };
    let value = |text: &str, needle: &str| {
        let s = find(text, needle);
        FactValue {
            text: needle.to_string(),
            start: s.start,
            end: s.end,
        }
    };

    Comparison {
        schema: COMPARE_SCHEMA.to_string(),
        a: Side {
            id: "newsaz-2025-03-07".into(),
            outlet: Some("News.Az".into()),
            url: Some("https://news.example/a?x=1&y=<2>".into()),
            date: Some("2025-03-07".into()),
            title: Some("Israel & Azerbaijan: \"strategic\" <ally>".into()),
            source: None,
            text: a_text.clone(),
            spans: a_spans,
            versions: vec![],
        },
        b: Side {
            id: "jns-2025-03-07".into(),
            outlet: Some("JNS".into()),
            url: None,
            date: Some("2025-03-07".into()),
            title: Some("Knesset | debates *Azerbaijan*".into()),
            source: Some("JNS staff".into()),
            text: b_text.clone(),
            spans: b_spans,
            versions: vec![],
        },
        similarity: Similarity {
            shingle_size: 3,
            num_perm: 128,
            jaccard: 0.5,
            minhash_jaccard: 0.5234,
            containment_a_in_b: 0.6,
            containment_b_in_a: 0.55,
            aligned_a: 0.7,
            aligned_b: 0.65,
            verdict: Verdict::Related,
        },
        summary: Summary {
            unchanged: 1,
            reworded: 1,
            moved: 0,
            added: 1,
            dropped: 1,
            quotes_altered: 1,
            quotes_verbatim: 0,
            quotes_only_a: 0,
            quotes_only_b: 1,
            facts_high: 1,
        },
        passages: vec![
            Passage {
                kind: PassageKind::Reworded,
                a: Some(p1a),
                b: Some(p1b),
                score: p1_score,
                edits: p1_edits,
                a_version: None,
            },
            Passage {
                kind: PassageKind::Unchanged,
                a: Some(p2a),
                b: Some(p2b),
                score: 1.0,
                edits: vec![],
                a_version: None,
            },
            Passage {
                kind: PassageKind::Dropped,
                a: Some(p3a),
                b: None,
                score: 0.0,
                edits: vec![],
                a_version: None,
            },
            Passage {
                kind: PassageKind::Added,
                a: None,
                b: Some(p3b),
                score: 0.0,
                edits: vec![],
                a_version: None,
            },
        ],
        runs: vec![
            Run {
                a: find(a, "Minister Orit Strock said \"Azerbaijan is"),
                b: find(b, "Minister Orit Strock said \"Azerbaijan is"),
                words: 6,
                aligned: true,
                a_version: None,
            },
            Run {
                a: find(
                    a,
                    "ally of Israel\" on Monday.\n\nTrade grew <fast> & \"steady\" in 2024",
                ),
                b: find(
                    b,
                    "ally of Israel\" on Monday.\n\nTrade grew <fast> & \"steady\" in 2024",
                ),
                words: 11,
                aligned: true,
                a_version: None,
            },
        ],
        quotes: vec![
            QuoteMatch {
                status: QuoteStatus::Altered,
                a: Some(quote(a, qa, Some("Orit Strock"))),
                b: Some(quote(b, qb, Some("Strock"))),
                score: q_score,
                edits: q_edits,
            },
            QuoteMatch {
                status: QuoteStatus::OnlyB,
                a: None,
                b: Some(quote(b, qonly, None)),
                score: 0.0,
                edits: vec![],
            },
        ],
        facts: vec![Fact {
            kind: FactKind::Wording,
            severity: Severity::High,
            in_quote: true,
            a: Some(value(a, "an important")),
            b: Some(value(b, "a key")),
        }],
        warnings: vec![Warning {
            side: SideName::A,
            offset: find(a, "'x'").start,
            message: "unpaired quotation mark ' <here>".into(),
        }],
    }
}

#[test]
fn fixture_json_is_current() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/report-comparison.json"
    );
    let json = serde_json::to_string_pretty(&comparison()).unwrap() + "\n";
    if std::env::var_os("NEARDIFF_UPDATE_FIXTURES").is_some() {
        std::fs::write(path, &json).unwrap();
    }
    let on_disk = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        on_disk == json,
        "{path} is out of date; rerun with NEARDIFF_UPDATE_FIXTURES=1"
    );
}

#[test]
fn fixture_spans_cover_texts() {
    let c = comparison();
    for side in [&c.a, &c.b] {
        let mut at = 0;
        for s in &side.spans {
            assert_eq!(s.start, at);
            at = s.end;
        }
        assert_eq!(at, side.text.len());
    }
}
