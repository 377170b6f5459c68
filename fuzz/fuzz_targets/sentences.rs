//! The segmenter (`text/segment/`) on any text (invalid UTF-8 is
//! replaced by U+FFFD).
//!
//! Asserts: paragraphs and sentences are in order, never overlap, lie
//! inside the text on character boundaries, are not empty and are trimmed
//! of whitespace; every sentence lies inside one paragraph, and
//! `sentences_in` with the paragraphs gives `sentences`. Words are in
//! order on character boundaries, each has a letter or digit; they are
//! the word segments of `unicode-segmentation` with a letter or digit in
//! each run of text between ASCII whitespace;
//! `word_bounds` gives their spans and `word_hashes` their keys.
#![no_main]

use libfuzzer_sys::fuzz_target;
use neardiff::text::{Span, paragraphs, sentences, sentences_in, word_bounds, word_hashes, words};
use unicode_segmentation::UnicodeSegmentation;

fuzz_target!(|data: &[u8]| {
    neardiff_fuzz::bounded(data.len(), || check(data));
});

fn in_order(text: &str, spans: &[Span], what: &str) {
    let mut end = 0;
    for s in spans {
        assert!(s.start >= end, "{what} {s:?} overlaps or is out of order");
        assert!(s.start < s.end && s.end <= text.len(), "{what} {s:?}");
        assert!(
            text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
            "{what} {s:?} not on character boundaries"
        );
        let t = s.slice(text);
        assert_eq!(t, t.trim(), "{what} {s:?} not trimmed");
        end = s.end;
    }
}

/// The words of `unicode-segmentation` in each run of text between ASCII
/// whitespace, as `words` defines them. (Over the whole text UAX #29 also
/// joins a space to a combining mark after it, WB4: in ` \u{610}` the
/// word segment starts at the space; `words` gives the mark alone.)
fn reference_words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for chunk in text.split([' ', '\t', '\n', '\r', '\u{b}', '\u{c}']) {
        for (i, w) in chunk.split_word_bound_indices() {
            if w.chars().any(char::is_alphanumeric) {
                out.push((start + i, start + i + w.len()));
            }
        }
        start += chunk.len() + 1;
    }
    out
}

fn check(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let text = &*text;
    let paras = paragraphs(text);
    in_order(text, &paras, "paragraph");
    let sents = sentences(text);
    in_order(text, &sents, "sentence");
    assert_eq!(sentences_in(text, &paras), sents);
    for s in &sents {
        assert!(
            paras.iter().any(|p| p.start <= s.start && s.end <= p.end),
            "sentence {s:?} inside no paragraph"
        );
    }

    let ws = words(text);
    let spans: Vec<(usize, usize)> = ws.iter().map(|w| (w.span.start, w.span.end)).collect();
    assert_eq!(
        spans,
        reference_words(text),
        "words differ from unicode-segmentation"
    );
    let mut bounds = Vec::new();
    word_bounds(text, |s, e| bounds.push((s, e)));
    assert_eq!(bounds, spans, "word_bounds differs from words");
    let mut hashes = Vec::new();
    word_hashes(text, &mut hashes);
    let keys: Vec<u64> = ws.iter().map(|w| w.key).collect();
    assert_eq!(hashes, keys, "word_hashes differs from words");
}
