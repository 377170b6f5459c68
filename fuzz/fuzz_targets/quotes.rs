//! The quote extractor and pairer on any text (invalid UTF-8 is replaced
//! by U+FFFD, so every input is a text).
//!
//! The input is split at its first `0xFF` byte into texts A and B.
//! Asserts for each text: quotes are in order and never overlap; each
//! quote's words lie inside its marks, on character boundaries, inside the
//! text; each nested quote lies inside an outer quote; unpaired marks are
//! at character boundaries inside the text; `attribute` gives the speakers
//! `extract` gave. For the pair: `pair_quotes` uses each quote of A and of
//! B exactly once, at its place in its text, and no pair is empty.
#![no_main]

use libfuzzer_sys::fuzz_target;
use neardiff::quotes::{Quote, attribute, extract, pair_quotes};
use neardiff::text::Span;

fuzz_target!(|data: &[u8]| {
    neardiff_fuzz::bounded(data.len(), || check(data));
});

fn check(data: &[u8]) {
    let (a, b) = neardiff_fuzz::split2(data);
    let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
    let qa = quotes_of(&a);
    let qb = quotes_of(&b);
    let pairs = pair_quotes(&a, &qa, &b, &qb);
    let mut used_a = vec![0; qa.len()];
    let mut used_b = vec![0; qb.len()];
    for p in &pairs {
        assert!(p.a.is_some() || p.b.is_some(), "an empty pair");
        assert!((0.0..=1.0).contains(&p.score), "score {}", p.score);
        if let Some(r) = &p.a {
            let i = qa
                .iter()
                .position(|q| (q.span.start, q.span.end) == (r.start, r.end))
                .expect("a pair's A quote is a quote of A");
            assert_eq!(r.text, a[r.start..r.end]);
            used_a[i] += 1;
        }
        if let Some(r) = &p.b {
            let i = qb
                .iter()
                .position(|q| (q.span.start, q.span.end) == (r.start, r.end))
                .expect("a pair's B quote is a quote of B");
            assert_eq!(r.text, b[r.start..r.end]);
            used_b[i] += 1;
        }
    }
    assert!(used_a.iter().all(|&n| n == 1), "A's quotes used {used_a:?}");
    assert!(used_b.iter().all(|&n| n == 1), "B's quotes used {used_b:?}");
}

fn inside(text: &str, s: Span) {
    assert!(
        s.start <= s.end && s.end <= text.len(),
        "{s:?} outside the text"
    );
    assert!(
        text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
        "{s:?} not on character boundaries"
    );
}

fn quotes_of(text: &str) -> Vec<Quote> {
    let scan = extract(text);
    let mut end = 0;
    for q in &scan.quotes {
        inside(text, q.outer);
        inside(text, q.span);
        assert!(q.outer.start >= end, "quotes overlap or are out of order");
        assert!(
            q.outer.start <= q.span.start && q.span.end <= q.outer.end,
            "words {:?} outside the marks {:?}",
            q.span,
            q.outer
        );
        end = q.outer.end;
    }
    for n in &scan.nested {
        inside(text, n.outer);
        inside(text, n.span);
        assert!(
            scan.quotes
                .iter()
                .any(|q| q.outer.start <= n.outer.start && n.outer.end <= q.outer.end),
            "nested quote {:?} inside no quote",
            n.outer
        );
    }
    for (at, what) in &scan.unbalanced {
        assert!(
            *at < text.len() && text.is_char_boundary(*at),
            "unpaired mark at {at}: {what}"
        );
    }
    let mut again: Vec<Quote> = scan
        .quotes
        .iter()
        .map(|q| Quote {
            speaker: None,
            ..q.clone()
        })
        .collect();
    attribute(text, &mut again);
    assert_eq!(again, scan.quotes, "attribute differs from extract");
    scan.quotes
}
