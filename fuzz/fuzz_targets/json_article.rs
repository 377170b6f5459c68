//! The JSON article readers: the one-pass scanner (`article/json_scan.rs`)
//! with its `serde_json` fallback, against `serde_json` alone.
//!
//! The first byte picks the field names (default, or `body` for the text
//! and `x` for the id) and whether the input is read as a JSON Lines
//! record; the rest is the JSON text. Asserts, as the property tests
//! `one_pass_json_agrees_with_value` and `body_buffer_reader_matches_plain_reader`
//! in `src/article.rs` do, but on any text:
//!
//! * `parse_json_article` gives the article `article_from_json` gives for
//!   the `serde_json::Value` of the same text, or an error at the same
//!   line and column. Left out: inputs `serde_json::Value` refuses for what
//!   a reader skipping the field accepts (a number too large for an `f64`,
//!   a `\u` escape of half a surrogate pair, nesting deeper than 128).
//!   For a control character in a string, `serde_json` itself reports the
//!   position one character earlier when it skips the string than when it
//!   parses it, so there either position passes;
//! * a JSON Lines record read into a reused body buffer
//!   (`parse_keep_into`) gives the same article and the same error message
//!   as a plain read (`parse_keep`), keeping all fields or only text, id
//!   and date; what the narrow read gives agrees with the full one.
#![no_main]

use libfuzzer_sys::fuzz_target;
use neardiff::corpus::{InputFormat, RawRecord};
use neardiff::{Article, ErrorKind, FieldMap, Keep};

fuzz_target!(|data: &[u8]| {
    neardiff_fuzz::bounded(data.len(), || check(data));
});

fn check(data: &[u8]) {
    let (mode, rest) = neardiff_fuzz::take_byte(data);
    let mut fields = FieldMap::default();
    if mode & 1 == 1 {
        fields.text = "body".into();
        fields.id = "x".into();
    }
    if let Ok(text) = std::str::from_utf8(rest) {
        against_value(text, &fields);
    }
    // Records after the first line are not searched for NUL bytes; the
    // first is (as a file's start is).
    let line = if mode & 2 == 2 { 1 } else { 7 };
    let rec = RawRecord::new(
        "fuzz.jsonl",
        Some(line),
        "fuzz",
        InputFormat::JsonLines,
        rest.to_vec(),
    );
    let all = buffered_agrees(&rec, &fields, Keep::ALL);
    let narrow = buffered_agrees(&rec, &fields, Keep::TEXT_ID_DATE);
    if let Ok(all) = all {
        let narrow = narrow.unwrap_or_else(|e| panic!("all fields read, not text/id/date: {e}"));
        assert_eq!(
            (&all.id, &all.text, &all.date),
            (&narrow.id, &narrow.text, &narrow.date)
        );
    }
}

/// The error as the readers are compared: for malformed JSON only the
/// position (the two readers may word a cut-off number differently), and
/// whether it is a control character in a string.
fn outcome(r: neardiff::Result<Article>) -> Result<Article, (String, usize, usize)> {
    r.map_err(|e| {
        let msg = e.to_string();
        assert!(!msg.contains('\n'), "a two-line error: {msg:?}");
        match e.kind() {
            ErrorKind::Json {
                line,
                column,
                message,
            } => {
                let control = message.contains("control character");
                (format!("malformed JSON, control {control}"), *line, *column)
            }
            _ => (msg, 0, 0),
        }
    })
}

/// `serde_json::Value` errors that a reader skipping the field does not
/// give: a number too large for an `f64`, half a surrogate pair, arrays
/// and objects nested more than 128 deep.
const SKIP_ONLY: [&str; 5] = [
    "number out of range",
    "recursion limit exceeded",
    "surrogate",
    "end of hex escape",
    "invalid unicode code point",
];

fn against_value(text: &str, fields: &FieldMap) {
    let fast = neardiff::parse_json_article(text, "dflt", fields);
    // A mapped key given twice is an error at the second one (README);
    // a `serde_json::Value` keeps the last and may fail later, or not at
    // all: the reference cannot judge such a record.
    if matches!(&fast, Err(e) if e.to_string().contains("duplicate key")) {
        return;
    }
    let reference = match serde_json::from_str::<serde_json::Value>(text) {
        Ok(v) => neardiff::article_from_json(v, "dflt", fields),
        Err(e) => {
            let msg = e.to_string();
            if SKIP_ONLY.iter().any(|m| msg.contains(m)) {
                return;
            }
            Err(neardiff::Error::new(ErrorKind::Json {
                line: e.line(),
                column: e.column(),
                message: e.to_string(),
            }))
        }
    };
    if matches!(&reference, Err(e) if e.to_string().contains("number out of range")) {
        return;
    }
    match (outcome(fast), outcome(reference)) {
        (Err((f, fl, fc)), Err((r, rl, rc))) if f == r && f.ends_with("control true") => {
            // The same position, or the one before it (the control
            // character itself counted: a line feed starts a new line).
            let before = (fl == rl && fc + 1 == rc) || (fl + 1 == rl && rc == 0);
            assert!(
                (fl, fc) == (rl, rc) || before,
                "{text:?}: at {fl}:{fc}, serde_json {rl}:{rc}"
            )
        }
        (fast, reference) => assert_eq!(fast, reference, "{text:?}"),
    }
}

fn buffered_agrees(rec: &RawRecord, fields: &FieldMap, keep: Keep) -> Result<Article, String> {
    let plain = rec.parse_keep(fields, keep).map_err(|e| e.to_string());
    let mut body = String::from("left over");
    let buffered = rec
        .parse_keep_into(fields, keep, &mut body)
        .map(|mut a| {
            assert!(a.text.is_empty(), "the body was not left to the buffer");
            a.text = std::mem::take(&mut body);
            a
        })
        .map_err(|e| e.to_string());
    assert_eq!(buffered, plain);
    if let Err(e) = &plain {
        assert!(!e.contains('\n'), "a two-line error: {e:?}");
        assert!(e.starts_with("fuzz.jsonl:"), "no file and line: {e:?}");
    }
    plain
}
