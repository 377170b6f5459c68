//! `compare` on arbitrary pairs of texts, both ways round.
//!
//! The first byte picks the shingle size (1 to 8) and the MinHash length
//! (16 or 128); the rest is split at its first `0xFF` byte into texts A
//! and B (invalid UTF-8 replaced by U+FFFD). Asserts, as
//! `tests/properties.rs` does on generated texts:
//!
//! * the labelled spans of each side cover its text exactly once, in
//!   order, on character boundaries, none empty; A has no `added` span and
//!   B no `dropped` one;
//! * compare(B, A) mirrors compare(A, B) in its scores: the same Jaccard
//!   and MinHash estimates, the two containments swapped;
//! * quote references and facts point into their texts;
//! * the JSON report parses back into the same comparison, and the text
//!   report renders.
//!
//! The mirror of span labels, passages and verdict that
//! `compare_mirrors_swapped_compare` checks holds where the alignment is
//! unambiguous (sentences of distinct words); on arbitrary text ties may
//! be broken differently each way round, so it is not asserted here.
#![no_main]

use libfuzzer_sys::fuzz_target;
use neardiff::Article;
use neardiff::compare::{CompareOptions, Comparison, LabeledSpan, SpanLabel, compare};

fuzz_target!(|data: &[u8]| {
    neardiff_fuzz::bounded(data.len(), || check(data));
});

fn article(id: &str, text: &str) -> Article {
    Article {
        id: id.into(),
        text: text.into(),
        ..Article::default()
    }
}

fn covers(text: &str, spans: &[LabeledSpan], side: &str) {
    let mut at = 0;
    for s in spans {
        assert_eq!(s.start, at, "side {side}: gap or overlap at {at}");
        assert!(s.end > s.start, "side {side}: empty span at {}", s.start);
        assert!(
            text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
            "side {side}: span {s:?} not on character boundaries"
        );
        at = s.end;
    }
    assert_eq!(at, text.len(), "side {side}: spans end at {at}");
}

fn in_text(text: &str, start: usize, end: usize, what: &str) {
    assert!(
        start <= end && text.get(start..end).is_some(),
        "{what} {start}..{end} outside the text"
    );
}

fn sound(c: &Comparison, a: &str, b: &str) {
    covers(a, &c.a.spans, "A");
    covers(b, &c.b.spans, "B");
    assert!(c.a.spans.iter().all(|s| s.label != SpanLabel::Added));
    assert!(c.b.spans.iter().all(|s| s.label != SpanLabel::Dropped));
    for q in &c.quotes {
        if let Some(r) = &q.a {
            in_text(a, r.start, r.end, "quote of A");
        }
        if let Some(r) = &q.b {
            in_text(b, r.start, r.end, "quote of B");
        }
    }
    for f in &c.facts {
        if let Some(v) = &f.a {
            in_text(a, v.start, v.end, "fact of A");
        }
        if let Some(v) = &f.b {
            in_text(b, v.start, v.end, "fact of B");
        }
    }
}

fn check(data: &[u8]) {
    let (opt, rest) = neardiff_fuzz::take_byte(data);
    let (a, b) = neardiff_fuzz::split2(rest);
    let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
    let opts = CompareOptions {
        shingle_size: (opt % 8) as usize + 1,
        num_perm: if opt & 8 == 8 { 16 } else { 128 },
        seed: (opt >> 4) as u64,
        ..CompareOptions::default()
    };
    let ab = compare(&article("a", &a), &article("b", &b), &opts);
    sound(&ab, &a, &b);
    let ba = compare(&article("b", &b), &article("a", &a), &opts);
    sound(&ba, &b, &a);
    let (s, t) = (&ab.similarity, &ba.similarity);
    assert_eq!(s.jaccard, t.jaccard, "Jaccard differs when swapped");
    assert_eq!(
        s.minhash_jaccard, t.minhash_jaccard,
        "MinHash differs when swapped"
    );
    assert_eq!(s.containment_a_in_b, t.containment_b_in_a);
    assert_eq!(s.containment_b_in_a, t.containment_a_in_b);

    let mut json = Vec::new();
    neardiff::report::json::render(&ab, &mut json).expect("rendering JSON into memory");
    let back: Comparison = serde_json::from_slice(&json).expect("the JSON report parses");
    assert_eq!(
        back, ab,
        "the JSON report does not read back as the comparison"
    );
    let mut text = Vec::new();
    neardiff::report::text::render(&ab, &mut text, Default::default())
        .expect("rendering text into memory");
}
