//! Inputs the fuzz targets (`fuzz/`) found, kept as tests: each failed a
//! target's assertion once, and the test says what holds now.

use neardiff::text::words;

fn spans(text: &str) -> Vec<(usize, usize)> {
    words(text)
        .iter()
        .map(|w| (w.span.start, w.span.end))
        .collect()
}

/// `sentences` target: a space followed by a combining mark that is a
/// letter (U+0610, Other_Alphabetic). Over the whole text UAX #29 makes
/// ` \u{610}` one word segment starting at the space (rule WB4); `words`
/// reads the text in runs between ASCII whitespace, so its word is the
/// mark alone. (The target found it in 46 bytes of mostly invalid UTF-8;
/// reduced here.)
#[test]
fn combining_letter_after_a_space_is_a_word_without_the_space() {
    assert_eq!(spans("x. \u{610}-y"), [(0, 1), (3, 5), (6, 7)]);
    assert_eq!(spans("R. \u{610}\u{610}"), [(0, 1), (3, 7)]);
}

/// `json_article` target: fields the reader skips are checked for JSON
/// syntax only, so what `serde_json::Value` refuses there for another
/// reason (half a surrogate pair, nesting deeper than its limit of 128)
/// is accepted; in a mapped field the same string is an error.
#[test]
fn skipped_fields_are_checked_for_syntax_only() {
    let fields = neardiff::FieldMap::default();
    let lone = r#"{"tex2":"\ud800 lone","text":"ok","title":"t"}"#;
    let a = neardiff::parse_json_article(lone, "d", &fields).unwrap();
    assert_eq!((a.text.as_str(), a.title.as_deref()), ("ok", Some("t")));
    assert!(serde_json::from_str::<serde_json::Value>(lone).is_err());
    let deep = format!(
        r#"{{"x":{}1{},"text":"ok"}}"#,
        "[".repeat(200),
        "]".repeat(200)
    );
    let a = neardiff::parse_json_article(&deep, "d", &fields).unwrap();
    assert_eq!(a.text, "ok");
    assert!(serde_json::from_str::<serde_json::Value>(&deep).is_err());
    let mapped = r#"{"text":"\ud800 lone"}"#;
    assert!(neardiff::parse_json_article(mapped, "d", &fields).is_err());
}
