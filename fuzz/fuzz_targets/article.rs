//! One article file: `parse_article` on any bytes (text with metadata, or
//! a JSON object), and the same bytes as a single-article corpus record.
//!
//! Asserts: no panic; an error's message is one line; an article's body is
//! not blank; plain text gives what `parse_plain_text` gives, its body a
//! suffix of the input and its metadata one line each; the corpus reader
//! gives the same article (or also an error).
#![no_main]

use libfuzzer_sys::fuzz_target;
use neardiff::FieldMap;
use neardiff::corpus::{InputFormat, RawRecord};

fuzz_target!(|data: &[u8]| {
    neardiff_fuzz::bounded(data.len(), || check(data));
});

fn check(data: &[u8]) {
    let parsed = neardiff::parse_article(data, "fuzz.txt", "fuzz");
    let record = RawRecord::new("fuzz.txt", None, "fuzz", InputFormat::Single, data.to_vec())
        .parse(&FieldMap::default());
    match (&parsed, &record) {
        (Ok(a), Ok(r)) => assert_eq!(a, r),
        (Err(a), Err(r)) => {
            let (a, r) = (a.to_string(), r.to_string());
            assert!(!a.contains('\n'), "a two-line error: {a:?}");
            assert!(!r.contains('\n'), "a two-line error: {r:?}");
            assert!(
                r.starts_with("fuzz.txt"),
                "the record's error names no file: {r:?}"
            );
        }
        _ => panic!("parse_article {parsed:?}, corpus record {record:?}"),
    }
    let Ok(article) = parsed else { return };
    assert!(!article.text.trim().is_empty(), "a blank body was accepted");
    let text = std::str::from_utf8(data).expect("an accepted article is UTF-8");
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with('{') {
        return;
    }
    assert_eq!(article, neardiff::parse_plain_text(text, "fuzz"));
    assert!(
        text.ends_with(&article.text),
        "the body is not the input's tail"
    );
    for value in [
        &article.date,
        &article.title,
        &article.outlet,
        &article.url,
        &article.source,
    ]
    .into_iter()
    .flatten()
    {
        assert!(
            !value.contains('\n'),
            "a metadata value spans lines: {value:?}"
        );
    }
}
