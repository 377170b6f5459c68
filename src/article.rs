//! Reading articles: plain text with optional metadata, or JSON objects.
//!
//! A plain-text article may start with metadata:
//!
//! * a first line of the form ` date 2025-03-07 Headline or first sentence`;
//!   the rest of that line is taken as the headline when it does not end
//!   like a sentence, and as the first sentence of the body when it does;
//! * `key: value` header lines (`date`, `title`, `outlet`, `url`, `source`,
//!   `id`, `author`), ended by a blank line or the first other line.
//!
//! Everything after the metadata is the body, kept exactly as read; every
//! byte offset neardiff reports is an offset into that body.

use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, IoOp, Result};

mod json;

pub use json::{Keep, article_from_json, parse_json_article};
pub(crate) use json::{parse_json_article_into, parse_json_article_with};

/// One article: its metadata and its body text exactly as read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// Identifier: the `id` field, else the file name without its extension.
    pub id: String,
    /// The outlet that published the article, if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    /// Where the article was published, if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Publication date as given (ideally ISO 8601).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Headline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The source the article credits (a wire service, say).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The body exactly as read (not normalised).
    pub text: String,
}

/// Names of the JSON fields that hold an article's parts.
#[derive(Clone, Debug)]
pub struct FieldMap {
    /// Field holding the id.
    pub id: String,
    /// Field holding the body text.
    pub text: String,
    /// Field holding the outlet.
    pub outlet: String,
    /// Field holding the URL.
    pub url: String,
    /// Field holding the date.
    pub date: String,
    /// Field holding the headline.
    pub title: String,
    /// Field holding the credited source.
    pub source: String,
}

impl Default for FieldMap {
    fn default() -> Self {
        FieldMap {
            id: "id".into(),
            text: "text".into(),
            outlet: "outlet".into(),
            url: "url".into(),
            date: "date".into(),
            title: "title".into(),
            source: "source".into(),
        }
    }
}

/// How far into the input binary detection looks for a NUL byte.
const BINARY_SNIFF: usize = 8192;

/// Reads one article from a path, or from stdin when the path is `-`.
pub fn read_article(path: &Path) -> Result<Article> {
    let (bytes, name) = read_input(path)?;
    parse_article(&bytes, &name, &default_id(path)).map_err(|e| e.with_source(name))
}

/// Reads all bytes of a path or of stdin (`-`), with a display name.
pub fn read_input(path: &Path) -> Result<(Vec<u8>, String)> {
    if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut buf)
            .map_err(|e| Error::io_named(IoOp::Read, "<stdin>", e))?;
        return Ok((buf, "<stdin>".to_string()));
    }
    let name = path.display().to_string();
    if path.is_dir() {
        return Err(Error::new(ErrorKind::IsDirectory).with_source(name));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io_at(IoOp::Read, path, e))?;
    Ok((bytes, name))
}

/// The id an article gets from its path: the file name without extension.
pub fn default_id(path: &Path) -> String {
    if path.as_os_str() == "-" {
        return "stdin".to_string();
    }
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Checks that bytes are text: no NUL byte near the start, valid UTF-8.
pub fn decode_text(bytes: &[u8]) -> Result<&str> {
    if let Some(offset) = memchr::memchr(0, &bytes[..bytes.len().min(BINARY_SNIFF)]) {
        return Err(Error::new(ErrorKind::Binary { offset }));
    }
    decode_utf8(bytes)
}

/// Checks that bytes are valid UTF-8 (without looking for NUL bytes).
pub(crate) fn decode_utf8(bytes: &[u8]) -> Result<&str> {
    // simdutf8 checks 32 or 64 bytes a step where the processor has the
    // instructions; it does not say where invalid input starts, so the
    // standard check runs again for the error.
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        return Ok(text);
    }
    std::str::from_utf8(bytes).map_err(|e| {
        Error::new(ErrorKind::InvalidUtf8 {
            offset: e.valid_up_to(),
        })
    })
}

/// Parses an article from bytes named `name` (a file name, or `<stdin>`):
/// a JSON object when [`is_json_article`] says so, plain text otherwise.
/// `id` is used when the input carries no id of its own.
pub fn parse_article(bytes: &[u8], name: &str, id: &str) -> Result<Article> {
    let text = decode_text(bytes)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let article = if is_json_article(name, text) {
        parse_json_article(text, id, &FieldMap::default())?
    } else {
        parse_plain_text(text, id)
    };
    if article.text.trim().is_empty() {
        return Err(Error::new(ErrorKind::EmptyText).with_source(name));
    }
    Ok(article)
}

/// Whether an article file is read as JSON: always when its name ends in
/// `.json`, `.jsonl` or `.ndjson` (also before `.gz`), so that a mistake
/// in it is reported; for any other name (and stdin) only when the whole
/// text is one well-formed JSON object. Anything else is plain text, also
/// when it starts with `{`.
pub fn is_json_article(name: &str, text: &str) -> bool {
    let path = Path::new(name);
    let path = match path.extension() {
        Some(e) if e == "gz" => Path::new(path.file_stem().unwrap_or_default()),
        _ => path,
    };
    if matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("json" | "jsonl" | "ndjson")
    ) {
        return true;
    }
    text.trim_start().starts_with('{')
        && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()
}

const HEADER_KEYS: &[&str] = &["date", "title", "outlet", "url", "source", "id", "author"];

/// Parses plain text with optional leading metadata.
pub fn parse_plain_text(text: &str, id: &str) -> Article {
    let mut article = Article {
        id: id.to_string(),
        ..Article::default()
    };
    let mut rest = text;
    // Form 1: " date 2025-03-07 Headline or first sentence".
    let first_line_end = rest.find('\n').unwrap_or(rest.len());
    let first = rest[..first_line_end].trim();
    if let Some(after) = first.strip_prefix("date ")
        && let Some((date, tail)) = split_date(after.trim_start())
    {
        article.date = Some(date.to_string());
        let tail_trim = tail.trim();
        if tail_trim.is_empty() {
            rest = &rest[first_line_end..];
        } else if ends_like_sentence(tail_trim) {
            // The tail is the first sentence of the body: keep it in the body.
            let tail_start = tail_trim.as_ptr() as usize - rest.as_ptr() as usize;
            rest = &rest[tail_start..];
        } else {
            article.title = Some(tail_trim.to_string());
            rest = &rest[first_line_end..];
        }
    } else {
        // Form 2: `key: value` header lines.
        let mut consumed = 0;
        let mut any = false;
        for line in rest.split_inclusive('\n') {
            let trimmed = line.trim();
            if trimmed.is_empty() {
                if any {
                    consumed += line.len();
                }
                break;
            }
            let Some((key, value)) = trimmed.split_once(':') else {
                break;
            };
            let key = key.trim().to_ascii_lowercase();
            if !HEADER_KEYS.contains(&key.as_str()) {
                break;
            }
            let value = value.trim().to_string();
            match key.as_str() {
                "date" => article.date = Some(value),
                "title" => article.title = Some(value),
                "outlet" => article.outlet = Some(value),
                "url" => article.url = Some(value),
                "source" => article.source = Some(value),
                "id" => article.id = value,
                _ => {}
            }
            any = true;
            consumed += line.len();
        }
        rest = &rest[consumed..];
    }
    // Leading blank lines are not part of the body.
    let body_start = rest.len() - rest.trim_start_matches(['\n', '\r']).len();
    article.text = rest[body_start..].to_string();
    article.outlet = outlet_or_host(article.outlet.take(), article.url.as_deref());
    article
}

/// The outlet of an article: the one given, or when none is given (absent,
/// null, or only white space) the host of its URL ([`outlet_from_url`]).
fn outlet_or_host(outlet: Option<String>, url: Option<&str>) -> Option<String> {
    match outlet {
        Some(o) if !o.trim().is_empty() => Some(o),
        given => url.and_then(outlet_from_url).or(given),
    }
}

/// The outlet named by a URL: its host, lower-cased, without a leading
/// `www.`, a trailing dot, the user information or the port
/// (`https://user@WWW.BBC.co.uk:443/news` is `bbc.co.uk`). The URL must
/// be absolute with an authority, `scheme://host...` (any scheme), or
/// scheme-relative, `//host...`; anything else (no scheme, an empty or
/// malformed host, a port that is not a number, white space) names no
/// outlet. An IPv6 host keeps its brackets (`[2001:db8::1]`).
pub fn outlet_from_url(url: &str) -> Option<String> {
    let url = url.trim();
    let rest = match url.find("://") {
        Some(i) => {
            let scheme = &url[..i];
            let ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b));
            if !ok {
                return None;
            }
            &url[i + 3..]
        }
        None => url.strip_prefix("//")?,
    };
    let authority = &rest[..rest.find(['/', '\\', '?', '#']).unwrap_or(rest.len())];
    // User information ends at the last `@` of the authority.
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = if host_port.starts_with('[') {
        let end = host_port.find(']')?;
        let host = &host_port[..=end];
        let inner = &host[1..end];
        if inner.is_empty()
            || !inner
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b":.".contains(&b))
        {
            return None;
        }
        (host, &host_port[end + 1..])
    } else {
        match host_port.find(':') {
            Some(i) => (&host_port[..i], &host_port[i..]),
            None => (host_port, ""),
        }
    };
    if !port.is_empty() {
        let digits = port.strip_prefix(':')?;
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }
    if host.starts_with('[') {
        return Some(host.to_ascii_lowercase());
    }
    // A name: letters (any script), digits, `-` and `_`, in labels
    // separated by single dots; one trailing dot is dropped.
    let host = host.strip_suffix('.').unwrap_or(host);
    let valid = !host.is_empty()
        && !host.starts_with('.')
        && !host.contains("..")
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if !valid {
        return None;
    }
    let host = host.to_lowercase();
    Some(match host.strip_prefix("www.") {
        Some(h) => h.to_string(),
        None => host,
    })
}

/// Splits `YYYY-MM-DD rest` (also `YYYY/MM/DD`) into the date and the rest.
fn split_date(s: &str) -> Option<(&str, &str)> {
    let end = s.find(char::is_whitespace).unwrap_or(s.len());
    let token = &s[..end];
    let digits: Vec<&str> = token.split(['-', '/']).collect();
    let ok = digits.len() == 3
        && digits[0].len() == 4
        && digits
            .iter()
            .all(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
    ok.then(|| (token, &s[end..]))
}

/// True when a line ends like a sentence (terminal punctuation, possibly
/// followed by closing quotes or brackets), so it is body text.
fn ends_like_sentence(s: &str) -> bool {
    let trimmed = s.trim_end_matches(['"', '\'', '”', '’', '»', ')', ']']);
    trimmed.ends_with(['.', '!', '?', '…'])
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn seed_style_headline_is_title() {
        let a = parse_plain_text(
            " date 2025-03-07 Talks on trade: PM’s Office\n\nBody here.\n",
            "x",
        );
        assert_eq!(a.date.as_deref(), Some("2025-03-07"));
        assert_eq!(a.title.as_deref(), Some("Talks on trade: PM’s Office"));
        assert_eq!(a.text, "Body here.\n");
    }

    #[test]
    fn seed_style_first_sentence_stays_in_body() {
        let a = parse_plain_text(" date 2025-03-07 He spoke on Monday.\n\nMore.\n", "x");
        assert_eq!(a.title, None);
        assert_eq!(a.text, "He spoke on Monday.\n\nMore.\n");
    }

    #[test]
    fn header_lines() {
        let a = parse_plain_text("Title: A\nOutlet: Wire\nURL: http://x\n\nBody.", "x");
        assert_eq!(a.title.as_deref(), Some("A"));
        assert_eq!(a.outlet.as_deref(), Some("Wire"));
        assert_eq!(a.url.as_deref(), Some("http://x"));
        assert_eq!(a.text, "Body.");
    }

    #[test]
    fn body_colon_line_is_not_header() {
        let a = parse_plain_text("Warning: storms ahead.\nMore.", "x");
        assert_eq!(a.text, "Warning: storms ahead.\nMore.");
    }

    #[test]
    fn json_article() {
        let a = parse_article(br#"{"id":"7","outlet":"O","text":"Hi there."}"#, "f", "f").unwrap();
        assert_eq!(a.id, "7");
        assert_eq!(a.outlet.as_deref(), Some("O"));
        assert_eq!(a.text, "Hi there.");
    }

    #[test]
    fn bad_inputs() {
        let e = parse_article(b"ab\xffcd", "f", "f").unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::InvalidUtf8 { offset: 2 }));
        let e = parse_article(b"ab\0cd", "f", "f").unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::Binary { offset: 2 }));
        let e = parse_article(b"  \n\t ", "f", "f").unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::EmptyText));
        let e = parse_article(b"{\"text\": \n  \"a\" ,, }", "f.json", "f").unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::Json { line: 2, .. }), "{e}");
        let e = parse_article(b"{\"title\": \"a\"}", "f", "f").unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::Field(_)));
    }

    #[test]
    fn json_by_name_or_by_a_whole_object() {
        let braces = "{Editor's note} The council met on Monday.";
        let a = parse_article(braces.as_bytes(), "note.txt", "note").unwrap();
        assert_eq!(a.text, braces);
        let a = parse_article(braces.as_bytes(), "<stdin>", "stdin").unwrap();
        assert_eq!(a.text, braces);
        let e = parse_article(braces.as_bytes(), "note.json", "note").unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::Json { .. }), "{e}");
        let object = br#"{"id":"x","text":"The council met."}"#;
        for name in [
            "a.txt",
            "<stdin>",
            "a.json",
            "a.json.gz",
            "a.jsonl",
            "a.ndjson",
        ] {
            let a = parse_article(object, name, "a").unwrap();
            assert_eq!(
                (a.id.as_str(), a.text.as_str()),
                ("x", "The council met."),
                "{name}"
            );
        }
        // A JSON Lines file holds several objects: an error, not text.
        let two = b"{\"text\":\"a\"}\n{\"text\":\"b\"}\n";
        assert!(parse_article(two, "feed.jsonl", "feed").is_err());
        assert_eq!(
            parse_article(two, "feed.txt", "feed").unwrap().text.len(),
            two.len()
        );
    }

    #[test]
    fn outlet_from_url_host_rule() {
        let cases: &[(&str, Option<&str>)] = &[
            (
                "http://abcnews.go.com/Politics/story?id=1",
                Some("abcnews.go.com"),
            ),
            ("https://www.bbc.co.uk/news/uk-38900223", Some("bbc.co.uk")),
            ("HTTPS://WWW.CNN.COM/2017/02/07/politics", Some("cnn.com")),
            ("http://www.dw.com:8080/en/a-37405", Some("dw.com")),
            (
                "https://user:pass@www.example.org:443/x",
                Some("example.org"),
            ),
            ("https://a@b@news.example/x", Some("news.example")),
            ("http://[2001:DB8::1]:8080/path", Some("[2001:db8::1]")),
            ("http://[::1]/", Some("[::1]")),
            ("//www.tass.com/world/929606", Some("tass.com")),
            ("  http://rte.ie  ", Some("rte.ie")),
            ("http://rte.ie.", Some("rte.ie")),
            ("http://rte.ie?x=1", Some("rte.ie")),
            ("http://rte.ie#top", Some("rte.ie")),
            ("ftp://files.example/a", Some("files.example")),
            ("http://www/", Some("www")),
            ("https://Bücher.Example/", Some("bücher.example")),
            // No scheme, no authority: not a URL this rule reads.
            ("www.bbc.co.uk/news", None),
            ("bbc.co.uk", None),
            ("mailto:desk@news.example", None),
            ("/news/2017/story.html", None),
            ("", None),
            ("-1", None),
            ("not a url at all", None),
            ("http://", None),
            ("http:///path", None),
            ("http://:80/", None),
            ("http://user@/", None),
            ("http://host:port/", None),
            ("http://host:80:90/", None),
            ("http://exa mple.com/", None),
            ("http://.example.com/", None),
            ("http://a..b/", None),
            ("http://[::1/", None),
            ("http://[]/", None),
            ("http://[zz::1]/", None),
            ("http://[::1]x/", None),
            ("1http://x.example/", None),
            ("ht tp://x.example/", None),
            ("http://%65xample.com/", None),
        ];
        for (url, want) in cases {
            assert_eq!(outlet_from_url(url).as_deref(), *want, "{url:?}");
        }
    }

    /// The host is the outlet only when none is given, in JSON (both
    /// readers) and plain text alike; fields not read (dedup's fast path)
    /// make no outlet.
    #[test]
    fn outlet_taken_from_the_url_when_missing() {
        let fields = FieldMap::default();
        for (json, want) in [
            (
                r#"{"text":"t","url":"https://www.bbc.co.uk/n"}"#,
                Some("bbc.co.uk"),
            ),
            (
                r#"{"text":"t","url":"https://www.bbc.co.uk/n","outlet":null}"#,
                Some("bbc.co.uk"),
            ),
            (
                r#"{"text":"t","url":"https://www.bbc.co.uk/n","outlet":" "}"#,
                Some("bbc.co.uk"),
            ),
            (
                r#"{"text":"t","url":"https://www.bbc.co.uk/n","outlet":"BBC"}"#,
                Some("BBC"),
            ),
            (r#"{"text":"t","url":"garbage","outlet":""}"#, Some("")),
            (r#"{"text":"t","url":"garbage"}"#, None),
            (r#"{"text":"t"}"#, None),
            // Not the fast reader's kind of record (nested value).
            (
                r#"{"text":"t","x":[1],"url":"http://Rte.ie/a"}"#,
                Some("rte.ie"),
            ),
        ] {
            let a = parse_json_article(json, "x", &fields).unwrap();
            assert_eq!(a.outlet.as_deref(), want, "{json}");
            let v: serde_json::Value = serde_json::from_str(json).unwrap();
            let b = article_from_json(v, "x", &fields).unwrap();
            assert_eq!(a, b, "{json}");
            let mut body = String::new();
            let kept = parse_json_article_into(
                json,
                || "x".into(),
                &fields,
                Keep::TEXT_ID_DATE,
                &mut body,
            )
            .unwrap();
            assert_eq!((kept.outlet, kept.url), (None, None));
        }
        let a = parse_plain_text("url: https://www.dw.com/en/a\n\nBody.", "x");
        assert_eq!(a.outlet.as_deref(), Some("dw.com"));
        let a = parse_plain_text("outlet: DW\nurl: https://www.dw.com/en/a\n\nBody.", "x");
        assert_eq!(a.outlet.as_deref(), Some("DW"));
        let custom = FieldMap {
            url: "article_source_link".into(),
            ..FieldMap::default()
        };
        let a = parse_json_article(
            r#"{"text":"t","article_source_link":"http://tass.com/world/1"}"#,
            "x",
            &custom,
        )
        .unwrap();
        assert_eq!(a.outlet.as_deref(), Some("tass.com"));
    }
}
