//! A one-pass reader of the JSON object most article records are: a flat
//! object whose values are strings, numbers, `true`, `false` or `null`.
//!
//! `serde_json` reads such a record in three passes over its longest
//! string, the body: its scan for the end of the string, the search for
//! escapes in the raw string, and the copy into the body buffer. This
//! reader finds the next quote, backslash or control character sixteen
//! bytes at a time and copies the body as it goes, in one pass.
//!
//! It answers only for input it reads the way `serde_json` does. Anything
//! else (a nested array or object, an escaped key, a control character in
//! a string, a mapped field that is a number or a boolean or that comes
//! twice, half a
//! surrogate pair in a kept string, any syntax error) is left to the
//! `serde_json` reader, which gives the article or the exact error.

use super::Keep;
use super::json_fields::{TEXT, Value};

/// The mapped fields of a flat object, as [`super::json_fields::Pick`]
/// reads them, or `None` when the text is not one this reader takes.
/// With `body`, a string text is written into it (cleared first) and its
/// slot says [`Value::InBody`].
pub(super) fn scan(
    text: &str,
    names: &[&str; 7],
    keep: Keep,
    mut body: Option<&mut String>,
) -> Option<[Option<Value>; 7]> {
    let b = text.as_bytes();
    let mut i = skip_ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i = skip_ws(b, i + 1);
    let mut values: [Option<Value>; 7] = Default::default();
    // The mapped keys met: a second one is an error the serde reader
    // reports, with its position.
    let mut seen = 0u8;
    if b.get(i) == Some(&b'}') {
        i += 1;
    } else {
        loop {
            if b.get(i) != Some(&b'"') {
                return None;
            }
            let end = find_special(b, i + 1);
            if b.get(end) != Some(&b'"') {
                return None;
            }
            let key = &text[i + 1..end];
            i = skip_ws(b, end + 1);
            if b.get(i) != Some(&b':') {
                return None;
            }
            i = skip_ws(b, i + 1);
            let slot = names.iter().position(|n| *n == key);
            if let Some(s) = slot {
                if seen >> s & 1 == 1 {
                    return None;
                }
                seen |= 1 << s;
            }
            match slot {
                Some(TEXT) if keep.has(TEXT) && body.is_some() => {
                    let body = body.as_deref_mut()?;
                    body.clear();
                    i = string_into(text, i, body)?;
                    values[TEXT] = Some(Value::InBody);
                }
                Some(slot) if keep.has(slot) => match b.get(i) {
                    Some(b'"') => {
                        let mut s = String::new();
                        i = string_into(text, i, &mut s)?;
                        values[slot] = Some(Value::Str(s));
                    }
                    Some(b'n') if b[i..].starts_with(b"null") => {
                        i += 4;
                        values[slot] = None;
                    }
                    _ => return None,
                },
                _ => i = skip_value(b, i)?,
            }
            i = skip_ws(b, i);
            match b.get(i) {
                Some(b',') => i = skip_ws(b, i + 1),
                Some(b'}') => {
                    i += 1;
                    break;
                }
                _ => return None,
            }
        }
    }
    (skip_ws(b, i) == b.len()).then_some(values)
}

/// The first index from `i` that is not JSON white space.
fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = b.get(i) {
        i += 1;
    }
    i
}

/// Skips a value that is not kept: the index after it, or `None` for a
/// value this reader leaves to `serde_json`.
fn skip_value(b: &[u8], i: usize) -> Option<usize> {
    match b.get(i)? {
        b'"' => skip_string(b, i),
        b'-' | b'0'..=b'9' => skip_number(b, i),
        b't' if b[i..].starts_with(b"true") => Some(i + 4),
        b'f' if b[i..].starts_with(b"false") => Some(i + 5),
        b'n' if b[i..].starts_with(b"null") => Some(i + 4),
        _ => None,
    }
}

/// Skips a number of the JSON grammar (only its syntax is checked, as
/// `serde_json` checks a number it skips).
fn skip_number(b: &[u8], mut i: usize) -> Option<usize> {
    let digits = |mut i: usize| {
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        i
    };
    if b[i] == b'-' {
        i += 1;
    }
    match b.get(i)? {
        b'0' => i += 1,
        b'1'..=b'9' => i = digits(i + 1),
        _ => return None,
    }
    if b.get(i) == Some(&b'.') {
        let end = digits(i + 1);
        if end == i + 1 {
            return None;
        }
        i = end;
    }
    if let Some(b'e' | b'E') = b.get(i) {
        i += 1;
        if let Some(b'+' | b'-') = b.get(i) {
            i += 1;
        }
        let end = digits(i);
        if end == i {
            return None;
        }
        i = end;
    }
    Some(i)
}

/// Skips the string literal starting at `b[i]` (a quote): the index after
/// its closing quote. Escapes are checked as `serde_json` checks those of
/// a string it skips (a `\u` escape needs four hex digits, whatever code
/// they name).
fn skip_string(b: &[u8], mut i: usize) -> Option<usize> {
    i += 1;
    loop {
        i = find_special(b, i);
        match b.get(i)? {
            b'"' => return Some(i + 1),
            b'\\' => i += escape(b, i)?.1,
            _ => return None,
        }
    }
}

/// Appends the value of the string literal starting at `text[i]` (a
/// quote) to `out`: the index after its closing quote, or `None` for a
/// literal this reader leaves to `serde_json` (with `out` partly
/// written).
pub(super) fn string_into(text: &str, mut i: usize, out: &mut String) -> Option<usize> {
    let b = text.as_bytes();
    if b.get(i) != Some(&b'"') {
        return None;
    }
    i += 1;
    loop {
        let at = find_special(b, i);
        // Cut at an ASCII byte (or the end), so on a character boundary.
        out.push_str(&text[i..at.min(b.len())]);
        i = at;
        match b.get(i)? {
            b'"' => return Some(i + 1),
            b'\\' => {
                // Half a surrogate pair is left to serde_json.
                let (c, len) = escape(b, i)?;
                out.push(c?);
                i += len;
            }
            _ => return None,
        }
    }
}

/// The escape starting at `b[i]` (a backslash): the character it stands
/// for (`None` for a `\u` escape of half a surrogate pair, which has none)
/// and its length in bytes (12 for a surrogate pair, both halves escaped).
/// `None` when it is not an escape of JSON.
fn escape(b: &[u8], i: usize) -> Option<(Option<char>, usize)> {
    let c = match b.get(i + 1)? {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => {
            let u = hex4(b, i + 2)?;
            // A high surrogate takes the low one escaped right after it.
            if (0xD800..0xDC00).contains(&u) {
                let low = (b.get(i + 6..i + 8) == Some(b"\\u"))
                    .then(|| hex4(b, i + 8))
                    .flatten()
                    .filter(|l| (0xDC00..0xE000).contains(l));
                return Some(match low {
                    Some(l) => (
                        char::from_u32(0x10000 + ((u - 0xD800) << 10) + (l - 0xDC00)),
                        12,
                    ),
                    None => (None, 6),
                });
            }
            // A low surrogate alone has no character either.
            return Some((char::from_u32(u), 6));
        }
        _ => return None,
    };
    Some((Some(c), 2))
}

/// The value of the four hex digits at `b[i..i + 4]`.
fn hex4(b: &[u8], i: usize) -> Option<u32> {
    let digits = b.get(i..i + 4)?;
    digits.iter().try_fold(0u32, |acc, &d| {
        let v = (d as char).to_digit(16)?;
        Some(acc << 4 | v)
    })
}

/// Whether a byte ends a run of plain string content: a quote, a
/// backslash or a control character.
fn is_special(c: u8) -> bool {
    c == b'"' || c == b'\\' || c < 0x20
}

/// The index of the first special byte ([`is_special`]) at or after `i`,
/// or `b.len()`.
fn find_special(b: &[u8], i: usize) -> usize {
    #[cfg(target_arch = "x86_64")]
    {
        find_special_sse2(b, i)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        find_special_scalar(b, i)
    }
}

fn find_special_scalar(b: &[u8], i: usize) -> usize {
    b.get(i..)
        .and_then(|rest| rest.iter().position(|&c| is_special(c)))
        .map_or(b.len(), |k| i + k)
}

/// [`find_special`] sixteen bytes at a time (SSE2, part of every x86-64
/// processor).
#[cfg(target_arch = "x86_64")]
fn find_special_sse2(b: &[u8], mut i: usize) -> usize {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8,
    };
    // SAFETY: SSE2 is part of every x86-64 processor, and each load reads
    // the sixteen bytes from `i`, which are inside `b`.
    unsafe {
        let quote = _mm_set1_epi8(b'"' as i8);
        let backslash = _mm_set1_epi8(b'\\' as i8);
        let control = _mm_set1_epi8(0x1f);
        while i + 16 <= b.len() {
            let v = _mm_loadu_si128(b.as_ptr().add(i).cast::<__m128i>());
            // A byte is a control character when the smaller of it and
            // 0x1f (unsigned) is itself.
            let hits = _mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                _mm_cmpeq_epi8(_mm_min_epu8(v, control), v),
            );
            let mask = _mm_movemask_epi8(hits) as u32;
            if mask != 0 {
                return i + mask.trailing_zeros() as usize;
            }
            i += 16;
        }
    }
    find_special_scalar(b, i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// The block search finds the same byte as a plain one, wherever
        /// it starts.
        #[test]
        fn find_special_matches_plain_search(
            bytes in prop::collection::vec(prop_oneof![
                8 => 0x20u8..0x7f,
                1 => Just(b'"'),
                1 => Just(b'\\'),
                1 => 0u8..0x20,
                1 => 0x80u8..=0xff,
            ], 0..80),
            start in 0usize..90,
        ) {
            prop_assert_eq!(find_special(&bytes, start), find_special_scalar(&bytes, start));
        }
    }

    #[test]
    fn numbers_follow_the_json_grammar() {
        for ok in ["0", "-0", "12", "1.5", "-3.25e+10", "1E400", "0e0"] {
            assert_eq!(skip_number(ok.as_bytes(), 0), Some(ok.len()), "{ok}");
        }
        for bad in ["-", "1.", ".5", "1e", "1e+", "-x"] {
            let end = skip_number(bad.as_bytes(), 0);
            assert!(end.is_none_or(|e| e < bad.len()), "{bad}");
        }
        // A leading zero ends the number; what follows is not a comma.
        assert_eq!(skip_number(b"012", 0), Some(1));
    }
}
