//! JSON articles: one object read in one pass that keeps only the mapped
//! fields ([`scan`] for the common shape, a `serde` visitor for the
//! rest), and the reference reader over a parsed `serde_json::Value`
//! that the fast ones are tested against.

use super::{Article, FieldMap, outlet_or_host};

pub(super) mod scan;
use crate::error::{Error, ErrorKind, Result};

/// Parses one JSON object into an article, with the given field names.
///
/// The object is read in one pass that keeps only the mapped fields
/// (without building a `serde_json::Value` of the whole object); the
/// result, errors included, is the one [`article_from_json`] gives for the
/// same text, except that fields it skips are checked for JSON syntax only
/// (a number too large for an `f64`, such as `1e400`, a `\u` escape of
/// half a surrogate pair, and arrays or objects nested deeper than
/// `serde_json`'s limit of 128 are accepted there), and that a mapped key
/// met twice is an error at the second one (where a parsed
/// `serde_json::Value` keeps the last).
pub fn parse_json_article(text: &str, id: &str, fields: &FieldMap) -> Result<Article> {
    parse_json_article_with(text, || id.to_string(), fields, Keep::ALL)
}

/// Which mapped fields a reader of JSON articles keeps. The others are
/// skipped like unmapped keys: not copied, and not checked to be strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Keep(u8);

impl Keep {
    /// Every mapped field (what `compare`, `story` and `index` read).
    pub const ALL: Keep = Keep(0x7f);
    /// The text, id and date: all that `dedup` uses of an article.
    pub const TEXT_ID_DATE: Keep =
        Keep(1 << json_fields::TEXT | 1 << json_fields::ID | 1 << json_fields::DATE);
    /// The text, id, date, outlet and URL: what `dedup` uses of an article
    /// when it sets outlet boilerplate aside (the outlet may come from the
    /// URL's host).
    pub const TEXT_ID_DATE_OUTLET: Keep = Keep(
        1 << json_fields::TEXT
            | 1 << json_fields::ID
            | 1 << json_fields::DATE
            | 1 << json_fields::OUTLET
            | 1 << json_fields::URL,
    );

    fn has(self, slot: usize) -> bool {
        self.0 >> slot & 1 == 1
    }
}

/// [`parse_json_article`] with the default id made only when the object
/// has none, keeping the fields of `keep`.
pub(crate) fn parse_json_article_with(
    text: &str,
    id: impl FnOnce() -> String,
    fields: &FieldMap,
    keep: Keep,
) -> Result<Article> {
    let names = json_fields::names(fields);
    if let Some(values) = scan::scan(text, &names, keep, None) {
        return json_fields::Picked::scanned(values).into_article(id, fields);
    }
    parse_json_serde(text, id, fields, keep)
}

/// [`parse_json_article_with`] by `serde_json` alone: the reader of every
/// record [`scan::scan`] leaves aside, and the reference it is tested
/// against.
fn parse_json_serde(
    text: &str,
    id: impl FnOnce() -> String,
    fields: &FieldMap,
    keep: Keep,
) -> Result<Article> {
    let json_error = |e: serde_json::Error| {
        Error::new(ErrorKind::Json {
            line: e.line(),
            column: e.column(),
            message: strip_position(&e.to_string()),
        })
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let picked =
        serde::de::DeserializeSeed::deserialize(json_fields::Pick(fields, keep, None), &mut de)
            .map_err(json_error)?;
    de.end().map_err(json_error)?;
    picked.into_article(id, fields)
}

/// [`parse_json_article_with`] with the body written into `body` (cleared
/// first) instead of the article's `text`, which is left empty: a reader
/// that only scans the body reuses one buffer for every article.
///
/// The body is not parsed by `serde_json` (which would unescape it into a
/// growing buffer of its own and then into a new string) but taken as its
/// raw JSON string, checked by `serde_json` as it skips it, and unescaped
/// once, straight into `body` ([`unescape_json_string`]). Whatever that
/// does not cover (a body that is not a string, a `\u` escape of half a
/// surrogate pair) goes through [`parse_json_article_with`], so the result
/// and every error are the same as there.
pub(crate) fn parse_json_article_into(
    text: &str,
    id: impl FnOnce() -> String,
    fields: &FieldMap,
    keep: Keep,
    body: &mut String,
) -> Result<Article> {
    let names = json_fields::names(fields);
    if let Some(values) = scan::scan(text, &names, keep, Some(&mut *body)) {
        return json_fields::Picked::scanned(values).into_article(id, fields);
    }
    body.clear();
    let mut de = serde_json::Deserializer::from_str(text);
    let fast = serde::de::DeserializeSeed::deserialize(
        json_fields::Pick(fields, keep, Some(&mut *body)),
        &mut de,
    )
    .and_then(|picked| de.end().map(|()| picked));
    match fast {
        Ok(picked) if !picked.needs_slow_path() => picked.into_article(id, fields),
        // The slow path gives the article, or the error, exactly.
        _ => {
            let mut article = parse_json_serde(text, id, fields, keep)?;
            *body = std::mem::take(&mut article.text);
            Ok(article)
        }
    }
}

/// Appends the value of a JSON string literal (`raw`, quotes included,
/// already checked to be a well-formed literal: escapes of the JSON set,
/// four hex digits after `\u`, no control character) to `out`. `false`
/// (with `out` partly written) for a `\u` escape of half a surrogate
/// pair, which has no character.
fn unescape_json_string(raw: &str, out: &mut String) -> bool {
    scan::string_into(raw, 0, out) == Some(raw.len())
}

/// The one-pass reader of [`parse_json_article`].
mod json_fields {
    use std::fmt;

    use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

    use super::{Article, FieldMap, Keep, not_a_string};
    use crate::error::{Error, ErrorKind};

    /// The mapped fields in the order their errors are reported.
    pub(super) const TEXT: usize = 0;
    pub(super) const ID: usize = 1;
    pub(super) const DATE: usize = 4;
    pub(super) const OUTLET: usize = 2;
    pub(super) const URL: usize = 3;

    pub(super) fn names(f: &FieldMap) -> [&str; 7] {
        [
            &f.text, &f.id, &f.outlet, &f.url, &f.date, &f.title, &f.source,
        ]
    }

    /// A mapped field's value: a string (an integer id is written out), or
    /// another kind of value, which is an error.
    pub(super) enum Value {
        Str(String),
        /// A string written into the body buffer of [`Pick`].
        InBody,
        Invalid,
    }

    /// What was read: the object's mapped fields (`None` when absent or
    /// null), or the fact that the input was not an object.
    pub(super) struct Picked {
        values: Option<[Option<Value>; 7]>,
        /// A value the body buffer could not take was met: the object
        /// must be read again the plain way.
        slow: bool,
    }

    impl Picked {
        /// The fields of an object read by [`super::scan::scan`].
        pub(super) fn scanned(values: [Option<Value>; 7]) -> Picked {
            Picked {
                values: Some(values),
                slow: false,
            }
        }

        pub(super) fn needs_slow_path(&self) -> bool {
            self.slow
        }

        pub(super) fn into_article(
            self,
            id: impl FnOnce() -> String,
            fields: &FieldMap,
        ) -> crate::Result<Article> {
            let Some(mut values) = self.values else {
                return Err(Error::new(ErrorKind::Field(
                    "expected a JSON object with a \"text\" field".into(),
                )));
            };
            let names = names(fields);
            let mut take = |slot: usize| -> crate::Result<Option<String>> {
                match values[slot].take() {
                    None => Ok(None),
                    Some(Value::Str(s)) => Ok(Some(s)),
                    Some(Value::InBody) => Ok(Some(String::new())),
                    Some(Value::Invalid) => Err(not_a_string(names[slot], slot == ID)),
                }
            };
            let text = take(TEXT)?.ok_or_else(|| {
                Error::new(ErrorKind::Field(format!(
                    "missing string field \"{}\" (the article body)",
                    fields.text
                )))
            })?;
            let id = take(ID)?.unwrap_or_else(id);
            let (outlet, url) = (take(2)?, take(3)?);
            Ok(Article {
                id,
                outlet: super::outlet_or_host(outlet, url.as_deref()),
                url,
                date: take(DATE)?,
                title: take(5)?,
                source: take(6)?,
                text,
            })
        }
    }

    /// Reads the top-level value, keeping the fields of the [`Keep`]; a
    /// string text goes into the body buffer when there is one.
    pub(super) struct Pick<'f, 'b>(
        pub(super) &'f FieldMap,
        pub(super) Keep,
        pub(super) Option<&'b mut String>,
    );

    impl<'de> DeserializeSeed<'de> for Pick<'_, '_> {
        type Value = Picked;
        fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Picked, D::Error> {
            d.deserialize_any(self)
        }
    }

    const NOT_OBJECT: Picked = Picked {
        values: None,
        slow: false,
    };

    impl<'de> Visitor<'de> for Pick<'_, '_> {
        type Value = Picked;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Picked, A::Error> {
            let names = names(self.0);
            let mut body = self.2;
            let mut slow = false;
            let mut values: [Option<Value>; 7] = Default::default();
            let mut seen = 0u8;
            while let Some(slot) = map.next_key_seed(Key(&names))? {
                if let Some(s) = slot {
                    if seen >> s & 1 == 1 {
                        return Err(de::Error::custom(format_args!(
                            "duplicate key \"{}\"",
                            names[s]
                        )));
                    }
                    seen |= 1 << s;
                }
                match slot {
                    Some(TEXT) if self.1.has(TEXT) && body.is_some() => {
                        // Borrowed as it stands in the input (checked by
                        // the skip), then unescaped once into the buffer.
                        let raw: &'de serde_json::value::RawValue = map.next_value()?;
                        let body = body.as_deref_mut().expect("checked");
                        body.clear();
                        if super::unescape_json_string(raw.get(), body) {
                            values[TEXT] = Some(Value::InBody);
                        } else {
                            slow = true;
                        }
                    }
                    Some(slot) if self.1.has(slot) => {
                        values[slot] = map.next_value_seed(FieldValue(slot == ID))?
                    }
                    _ => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
            Ok(Picked {
                values: Some(values),
                slow,
            })
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Picked, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(NOT_OBJECT)
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Picked, E> {
            Ok(NOT_OBJECT)
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Picked, E> {
            Ok(NOT_OBJECT)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Picked, E> {
            Ok(NOT_OBJECT)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Picked, E> {
            Ok(NOT_OBJECT)
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Picked, E> {
            Ok(NOT_OBJECT)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Picked, E> {
            Ok(NOT_OBJECT)
        }
    }

    /// Reads a key: the slot of the first mapped field it names, if any.
    struct Key<'a, 'f>(&'a [&'f str; 7]);

    impl<'de> DeserializeSeed<'de> for Key<'_, '_> {
        type Value = Option<usize>;
        fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
            d.deserialize_str(self)
        }
    }

    impl<'de> Visitor<'de> for Key<'_, '_> {
        type Value = Option<usize>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a key")
        }
        fn visit_str<E: de::Error>(self, key: &str) -> Result<Option<usize>, E> {
            Ok(self.0.iter().position(|n| *n == key))
        }
    }

    /// Reads a mapped field's value; an integer is taken (as its decimal
    /// digits) only where the flag says so, for the id.
    struct FieldValue(bool);

    impl<'de> DeserializeSeed<'de> for FieldValue {
        type Value = Option<Value>;
        fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Option<Value>, D::Error> {
            d.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for FieldValue {
        type Value = Option<Value>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<Value>, E> {
            Ok(Some(Value::Str(v.to_owned())))
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<Option<Value>, E> {
            Ok(Some(Value::Str(v)))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Option<Value>, E> {
            Ok(None)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Option<Value>, E> {
            Ok(Some(match self.0 {
                true => Value::Str(v.to_string()),
                false => Value::Invalid,
            }))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<Value>, E> {
            Ok(Some(match self.0 {
                true => Value::Str(v.to_string()),
                false => Value::Invalid,
            }))
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Option<Value>, E> {
            Ok(Some(Value::Invalid))
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Option<Value>, E> {
            Ok(Some(Value::Invalid))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<Value>, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(Some(Value::Invalid))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<Value>, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(Some(Value::Invalid))
        }
    }
}

/// Builds an article from a parsed JSON value.
pub fn article_from_json(value: serde_json::Value, id: &str, fields: &FieldMap) -> Result<Article> {
    let serde_json::Value::Object(mut map) = value else {
        return Err(Error::new(ErrorKind::Field(
            "expected a JSON object with a \"text\" field".into(),
        )));
    };
    let id_field = fields.id.as_str();
    let mut take = |key: &str| -> Result<Option<String>> {
        match map.remove(key) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(s)) => Ok(Some(s)),
            Some(serde_json::Value::Number(n)) if key == id_field && !n.is_f64() => {
                Ok(Some(n.to_string()))
            }
            Some(_) => Err(not_a_string(key, key == id_field)),
        }
    };
    let text = take(&fields.text)?.ok_or_else(|| {
        Error::new(ErrorKind::Field(format!(
            "missing string field \"{}\" (the article body)",
            fields.text
        )))
    })?;
    let id = take(&fields.id)?.unwrap_or_else(|| id.to_string());
    let (outlet, url) = (take(&fields.outlet)?, take(&fields.url)?);
    Ok(Article {
        id,
        outlet: outlet_or_host(outlet, url.as_deref()),
        url,
        date: take(&fields.date)?,
        title: take(&fields.title)?,
        source: take(&fields.source)?,
        text,
    })
}

/// The error for a mapped field whose value has the wrong type: a string
/// (or, for the id, an integer) was expected.
fn not_a_string(name: &str, integer_ok: bool) -> Error {
    Error::new(ErrorKind::Field(format!(
        "field \"{name}\" must be a string{}",
        if integer_ok { " or an integer" } else { "" }
    )))
}

/// serde_json appends " at line L column C"; the error line says it once.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Pieces of a JSON string literal: plain text (ASCII and not), each
    /// short escape, `\u` escapes of every kind, and halves of surrogate
    /// pairs on their own.
    fn literal_piece() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-zA-Z0-9 .,;:!?'-]{0,12}",
            "[é€😀 ’“”\u{7f}]{1,3}",
            prop::sample::select(vec![
                "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t"
            ])
            .prop_map(str::to_string),
            (0u32..0xD800).prop_map(|u| format!("\\u{u:04x}")),
            (0xE000u32..0x10000).prop_map(|u| format!("\\u{u:04X}")),
            (0x10000u32..0x110000).prop_map(|c| {
                let c = c - 0x10000;
                format!(
                    "\\u{:04x}\\u{:04x}",
                    0xD800 + (c >> 10),
                    0xDC00 + (c & 0x3ff)
                )
            }),
            (0xD800u32..0xE000).prop_map(|u| format!("\\u{u:04x}")),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        /// The unescaped value is serde_json's, and a literal serde_json
        /// refuses (half a surrogate pair) is refused.
        #[test]
        fn unescape_agrees_with_serde_json(pieces in prop::collection::vec(literal_piece(), 0..12)) {
            let raw = format!("\"{}\"", pieces.concat());
            let mut out = String::from("kept");
            let ok = unescape_json_string(&raw, &mut out);
            match serde_json::from_str::<String>(&raw) {
                Ok(want) => {
                    prop_assert!(ok, "{raw}");
                    prop_assert_eq!(&out[4..], want.as_str());
                }
                Err(_) => prop_assert!(!ok, "{raw}"),
            }
        }
    }

    /// The kind of a JSON value in a generated record.
    #[derive(Clone, Copy, Debug, PartialEq)]
    enum Kind {
        Str,
        Null,
        /// A number or a boolean.
        Scalar,
        /// Anything the one-pass reader leaves to serde_json: a nested
        /// value, or a syntax error.
        Other,
    }

    /// A JSON value for a record, and its kind.
    fn record_value() -> impl Strategy<Value = (String, Kind)> {
        prop_oneof![
            4 => prop::collection::vec(literal_piece(), 0..6)
                .prop_map(|p| (format!("\"{}\"", p.concat()), Kind::Str)),
            1 => Just(("null".to_string(), Kind::Null)),
            1 => prop::sample::select(vec![
                "0", "-0", "17", "-3.5", "2e9", "1.25E-3", "1e400", "true", "false",
            ])
            .prop_map(|v| (v.to_string(), Kind::Scalar)),
            1 => prop::sample::select(vec![
                "[]", "[1, \"a\"]", "{}", "{\"text\": \"nested\"}", "01", "1.", "-",
                "tru", "nul", "\"tab\there\"", "\"bad \\x\"", "\"\\u12\"", "\"open",
            ])
            .prop_map(|v| (v.to_string(), Kind::Other)),
        ]
    }

    /// A record: an object of mapped and other keys (some escaped or
    /// repeated) with any of [`record_value`], spaced in any JSON way;
    /// and its members.
    fn record() -> impl Strategy<Value = (String, Vec<(&'static str, String, Kind)>)> {
        let key = prop::sample::select(vec![
            "text",
            "id",
            "date",
            "title",
            "outlet",
            "url",
            "source",
            "body",
            "tags",
            "tex\\u0074",
        ]);
        let ws = prop::sample::select(vec!["", " ", "\t", "\r\n  "]);
        prop::collection::vec((key, record_value(), ws), 0..7).prop_map(|members| {
            let parts: Vec<String> = members
                .iter()
                .map(|(k, (v, _), w)| format!("{w}\"{k}\"{w}:{w}{v}{w}"))
                .collect();
            let text = format!(" {{{}}} ", parts.join(","));
            let members = members
                .into_iter()
                .map(|(k, (v, kind), _)| (k, v, kind))
                .collect();
            (text, members)
        })
    }

    /// Whether the one-pass reader should take a record: no escaped key,
    /// no mapped key twice, no nested or broken value, and every kept
    /// mapped field a string serde_json can read (not half a surrogate
    /// pair) or null.
    fn one_pass_takes(members: &[(&str, String, Kind)], keep: Keep) -> bool {
        let mapped = ["text", "id", "date", "title", "outlet", "url", "source"];
        let twice = mapped
            .iter()
            .any(|m| members.iter().filter(|(k, _, _)| k == m).count() > 1);
        if twice {
            return false;
        }
        let kept: &[&str] = if keep == Keep::ALL {
            &["text", "id", "date", "title", "outlet", "url", "source"]
        } else {
            &["text", "id", "date"]
        };
        members.iter().all(|(k, v, kind)| {
            let readable = || serde_json::from_str::<String>(v).is_ok();
            !k.contains('\\')
                && match kind {
                    Kind::Other => false,
                    Kind::Null => true,
                    Kind::Scalar => !kept.contains(k),
                    Kind::Str => !kept.contains(k) || readable(),
                }
        })
    }

    /// Both JSON readers (`parse_json_article_with` and the body-buffer
    /// one) against `serde_json` alone: the same article or the same error
    /// message.
    fn readers_agree(text: &str, fields: &FieldMap, keep: Keep) -> std::result::Result<(), String> {
        let id = || "fallback".to_string();
        let want = parse_json_serde(text, id, fields, keep).map_err(|e| e.to_string());
        let plain = parse_json_article_with(text, id, fields, keep).map_err(|e| e.to_string());
        if plain != want {
            return Err(format!("{text}: plain {plain:?}, serde {want:?}"));
        }
        let mut body = String::from("old");
        let buffered = parse_json_article_into(text, id, fields, keep, &mut body)
            .map(|mut a| {
                a.text = body;
                a
            })
            .map_err(|e| e.to_string());
        if buffered != want {
            return Err(format!("{text}: buffered {buffered:?}, serde {want:?}"));
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// The one-pass reader gives what `serde_json` gives, on records
        /// it takes and on those it leaves aside, also with a byte cut out
        /// or put in; and it takes exactly the records it should
        /// ([`one_pass_takes`]).
        #[test]
        fn one_pass_reader_agrees_with_serde_json(
            (text, members) in record(),
            edit in prop::option::of((any::<prop::sample::Index>(), prop::sample::select(vec![
                None, Some(b'"'), Some(b'\\'), Some(b','), Some(b'}'), Some(b':'), Some(b'\n'), Some(b'x'),
            ]))),
            keep_all in any::<bool>(),
        ) {
            let keep = if keep_all { Keep::ALL } else { Keep::TEXT_ID_DATE };
            let fields = FieldMap::default();
            let text = match edit {
                None => text,
                Some((at, byte)) => {
                    let mut b = text.into_bytes();
                    let i = at.index(b.len());
                    match byte {
                        None => { b.remove(i); }
                        Some(c) => b.insert(i, c),
                    }
                    match String::from_utf8(b) {
                        Ok(t) => t,
                        Err(_) => return Ok(()),
                    }
                }
            };
            prop_assert_eq!(readers_agree(&text, &fields, keep), Ok(()));
            if edit.is_none() {
                let names = json_fields::names(&fields);
                let took = scan::scan(&text, &names, keep, None).is_some();
                prop_assert_eq!(took, one_pass_takes(&members, keep), "{}", text);
            }
        }
    }

    /// The body-into-a-buffer reader gives the same articles and the same
    /// errors as the plain one, also where it falls back to it.
    #[test]
    fn body_buffer_reader_matches_plain_reader() {
        let fields = FieldMap::default();
        let cases = [
            r#"{"id":"a","date":"2024-01-02","text":"He said \"no\".\nThen \u00e9\ud83d\ude00 left."}"#,
            r#"{"text":"first","id":"b","text":"second wins"}"#,
            r#"{"text":"ok","text":"\ud800 lone"}"#,
            r#"{"text":"\ud800 lone","text":"ok"}"#,
            r#"{"text":"\udc00"}"#,
            r#"{"text":12.5}"#,
            r#"{"text":null}"#,
            r#"{"text":["a"]}"#,
            r#"{"text":"fine","title":7}"#,
            r#"{"text":"bad \x escape"}"#,
            r#"{"text":"unterminated}"#,
            r#"{"text":"   "}"#,
            r#"["not an object"]"#,
            r#"{"text":"trailing"} x"#,
        ];
        for (n, case) in cases.iter().enumerate() {
            let id = || format!("line{n}");
            let plain = parse_json_article_with(case, id, &fields, Keep::TEXT_ID_DATE);
            let mut body = String::from("old");
            let fast = parse_json_article_into(case, id, &fields, Keep::TEXT_ID_DATE, &mut body);
            match (plain, fast) {
                (Ok(p), Ok(mut f)) => {
                    assert!(f.text.is_empty(), "{case}");
                    f.text = body;
                    assert_eq!(f, p, "{case}");
                }
                (Err(p), Err(f)) => assert_eq!(f.to_string(), p.to_string(), "{case}"),
                (p, f) => panic!("{case}: plain {p:?}, buffer {f:?}"),
            }
        }
    }

    #[test]
    fn mapped_keys_come_once_and_hold_strings() {
        let fields = FieldMap::default();
        let e = parse_json_article(r#"{"id":"a","text":"one","text":"two"}"#, "d", &fields)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "malformed JSON at line 1, column 29: duplicate key \"text\""
        );
        // Also a field dedup does not keep, and a null one.
        let e = parse_json_article_with(
            r#"{"title":null,"text":"one","title":"x"}"#,
            || "d".into(),
            &fields,
            Keep::TEXT_ID_DATE,
        )
        .unwrap_err();
        assert!(e.to_string().ends_with("duplicate key \"title\""), "{e}");
        // Keys neardiff does not read may repeat.
        let a = parse_json_article(r#"{"x":1,"text":"one","x":2}"#, "d", &fields).unwrap();
        assert_eq!(a.text, "one");
        for (json, field) in [
            (r#"{"text":5}"#, "field \"text\" must be a string"),
            (
                r#"{"text":"a","title":2024}"#,
                "field \"title\" must be a string",
            ),
            (
                r#"{"text":"a","date":1.5}"#,
                "field \"date\" must be a string",
            ),
            (
                r#"{"text":"a","id":1.5}"#,
                "field \"id\" must be a string or an integer",
            ),
            (
                r#"{"text":"a","id":true}"#,
                "field \"id\" must be a string or an integer",
            ),
            // Two bad fields: the id is named first by both readers.
            (
                r#"{"id":0.5,"text":"a","outlet":0}"#,
                "field \"id\" must be a string or an integer",
            ),
        ] {
            let e = parse_json_article(json, "d", &fields).unwrap_err();
            assert_eq!(e.to_string(), field, "{json}");
            let value = serde_json::from_str(json).unwrap();
            let e = article_from_json(value, "d", &fields).unwrap_err();
            assert_eq!(e.to_string(), field, "{json}");
        }
        // An integer id is written out.
        let a = parse_json_article(r#"{"id":-42,"text":"a"}"#, "d", &fields).unwrap();
        assert_eq!(a.id, "-42");
    }

    /// How a parse came out, for comparing the two readers: the article,
    /// or the error line; for malformed JSON only the position (the two
    /// readers may word the complaint differently at a cut-off number).
    fn outcome(r: Result<Article>) -> std::result::Result<Article, String> {
        r.map_err(|e| match e.kind() {
            ErrorKind::Json {
                line,
                column,
                message,
            } if message.starts_with("duplicate key") => {
                format!("malformed JSON at {line}:{column}: {message}")
            }
            ErrorKind::Json { line, column, .. } => format!("malformed JSON at {line}:{column}"),
            _ => e.to_string(),
        })
    }

    /// The reference: parse the whole value (refusing a mapped key met
    /// twice in the object, where it is met), then pick the fields.
    fn via_value(text: &str, fields: &FieldMap) -> Result<Article> {
        use serde::de::DeserializeSeed;
        let json_error = |e: serde_json::Error| {
            Error::new(ErrorKind::Json {
                line: e.line(),
                column: e.column(),
                message: strip_position(&e.to_string()),
            })
        };
        let mut de = serde_json::Deserializer::from_str(text);
        let value = Entries(fields).deserialize(&mut de).map_err(json_error)?;
        de.end().map_err(json_error)?;
        article_from_json(value, "dflt", fields)
    }

    /// A JSON value whose top-level object is read entry by entry.
    struct Entries<'f>(&'f FieldMap);

    impl<'de> serde::de::DeserializeSeed<'de> for Entries<'_> {
        type Value = serde_json::Value;
        fn deserialize<D: serde::Deserializer<'de>>(
            self,
            d: D,
        ) -> std::result::Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
    }

    impl<'de> serde::de::Visitor<'de> for Entries<'_> {
        type Value = serde_json::Value;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a JSON value")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut m: A,
        ) -> std::result::Result<Self::Value, A::Error> {
            let names = json_fields::names(self.0);
            let mut object = serde_json::Map::new();
            while let Some(k) = m.next_key::<String>()? {
                if names.contains(&k.as_str()) && object.contains_key(&k) {
                    return Err(serde::de::Error::custom(format!("duplicate key \"{k}\"")));
                }
                let v: serde_json::Value = m.next_value()?;
                object.insert(k, v);
            }
            Ok(serde_json::Value::Object(object))
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut s: A,
        ) -> std::result::Result<Self::Value, A::Error> {
            while s.next_element::<serde_json::Value>()?.is_some() {}
            Ok(serde_json::Value::Null)
        }
        fn visit_str<E: serde::de::Error>(self, _: &str) -> std::result::Result<Self::Value, E> {
            Ok(serde_json::Value::Null)
        }
        fn visit_i64<E: serde::de::Error>(self, _: i64) -> std::result::Result<Self::Value, E> {
            Ok(serde_json::Value::Null)
        }
        fn visit_u64<E: serde::de::Error>(self, _: u64) -> std::result::Result<Self::Value, E> {
            Ok(serde_json::Value::Null)
        }
        fn visit_f64<E: serde::de::Error>(self, _: f64) -> std::result::Result<Self::Value, E> {
            Ok(serde_json::Value::Null)
        }
        fn visit_bool<E: serde::de::Error>(self, _: bool) -> std::result::Result<Self::Value, E> {
            Ok(serde_json::Value::Null)
        }
        fn visit_unit<E: serde::de::Error>(self) -> std::result::Result<Self::Value, E> {
            Ok(serde_json::Value::Null)
        }
    }

    fn json_value() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            "[a-z \\\\\"é]{0,6}".prop_map(|s| serde_json::to_string(&s).unwrap()),
            any::<i64>().prop_map(|n| n.to_string()),
            any::<u64>().prop_map(|n| n.to_string()),
            (-1e6f64..1e6).prop_map(|f| format!("{f:?}")),
            Just("1e400".to_string()),
            Just("-0.0".to_string()),
            Just("null".to_string()),
            Just("true".to_string()),
        ];
        leaf.prop_recursive(2, 8, 3, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..3)
                    .prop_map(|v| format!("[{}]", v.join(","))),
                proptest::collection::vec(("[a-z]{1,3}", inner), 0..3).prop_map(|v| {
                    let items: Vec<String> =
                        v.iter().map(|(k, x)| format!("\"{k}\":{x}")).collect();
                    format!("{{{}}}", items.join(","))
                }),
            ]
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// The one-pass reader agrees with parsing a whole value, errors
        /// included, also with repeated keys, odd types and bad syntax.
        #[test]
        fn one_pass_json_agrees_with_value(
            entries in proptest::collection::vec(
                (proptest::sample::select(vec!["id", "text", "title", "date", "outlet", "url", "source", "body", "x"]),
                 json_value()),
                0..6,
            ),
            top in 0..8usize,
            custom in proptest::bool::ANY,
            cut in proptest::option::of(0..40usize),
        ) {
            let items: Vec<String> = entries.iter().map(|(k, v)| format!("\"{k}\": {v}")).collect();
            let mut text = match top {
                0 => "[1, {\"text\": \"a\"}]".to_string(),
                1 => "\"text\"".to_string(),
                2 => "12".to_string(),
                _ => format!("{{{}}}", items.join(", ")),
            };
            if let Some(c) = cut {
                let c = c.min(text.len());
                if text.is_char_boundary(c) {
                    text.truncate(c);
                }
            }
            let mut fields = FieldMap::default();
            if custom {
                fields.text = "body".into();
                fields.id = "x".into();
            }
            let fast = parse_json_article(&text, "dflt", &fields);
            let reference = via_value(&text, &fields);
            // Skipped fields are checked for syntax only: a number too large
            // for an f64 there (`1e400`) is accepted, as JSON allows it (see
            // `huge_numbers` for mapped fields).
            proptest::prop_assume!(
                !matches!(&reference, Err(e) if e.to_string().contains("number out of range"))
            );
            let (fast, reference) = (outcome(fast), outcome(reference));
            proptest::prop_assert_eq!(fast, reference, "{}", text);
        }
    }

    #[test]
    fn huge_numbers() {
        let fields = FieldMap::default();
        let skipped = parse_json_article(r#"{"text": "a b", "x": [1e400]}"#, "d", &fields);
        assert_eq!(skipped.unwrap().text, "a b");
        let mapped = parse_json_article(r#"{"text": "a b", "title": 1e400}"#, "d", &fields);
        assert!(
            mapped
                .unwrap_err()
                .to_string()
                .contains("number out of range")
        );
    }
}
