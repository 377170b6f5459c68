//! Values in a run of words: quantities (numbers in digits or words, with
//! their scale and unit), dates and times, names, and the sign words of a
//! figure, each read into a form in which the same value written another
//! way compares equal (`1bn` / `1 billion` / `1,000,000,000`, `five per
//! cent` / `5%`, `9:40 A.M.` / `0940 hrs`, `U.S.` / `US`).
//!
//! Here: the items read ([`Item`], [`Val`]), the [`Reader`] that walks a
//! document's words and tries each kind of value in turn, and when two
//! values are the same. Each kind is read in its own file: `dates.rs`
//! (dates, weekdays and times), `quantities.rs` (numbers in digits or
//! words, units, sign words), `names.rs` (names and their initials);
//! `words.rs` holds the word tables they read.

mod dates;
mod names;
mod quantities;
mod words;

use crate::text::{Span, Word};
use words::*;

pub(super) use names::{name_covered, name_key};

/// What an item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Cat {
    /// A quantity, an ordinal or a code with digits.
    Number,
    /// A month, weekday, year, day of a month, time, or a relative day.
    Date,
    /// A capitalised name (a run of capitalised words).
    Name,
    /// A word giving the sign or direction of a figure (`loss`, `rose`).
    Sign,
}

/// A quantity: its value in the base unit, how precisely it was written,
/// and what it counts.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Qty {
    /// The value in the unit written (`3 km`: 3).
    pub value: f64,
    /// The step of the last digit written (`12.1 mln`: 100,000).
    pub ulp: f64,
    /// The unit written in the base unit (`km`: 1,000 of `m`).
    pub factor: f64,
    /// The scale written with it (`mln`: a million; none: 1).
    pub scale: f64,
    /// The base unit (`%`, `$`, `g`, `m`, `s`, ...), when one was written.
    pub unit: Option<&'static str>,
    pub ordinal: bool,
    /// A round amount in words (`dozens`, `thousands of`).
    pub vague: bool,
}

/// An item's value.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Val {
    Qty(Qty),
    /// Letters and digits that are no quantity (`A380`, `F-16`'s `16` is a
    /// quantity); compared as written.
    Code(String),
    /// Minutes after midnight, and the zone's offset in minutes when given.
    Time(i32, Option<i32>),
    Month(u8),
    Weekday(u8),
    Year(u32),
    Day(u32),
    Relative(String),
    /// Keys of the words of a name (lower case, without dots or a
    /// possessive ending; titles left out), and the keys of the initials
    /// of each run of two or more of them, with the run.
    Name {
        words: Vec<u64>,
        initials: Vec<(u8, u8, u64)>,
    },
    /// +1 or -1; `strong` for words that are signs in any context
    /// (`profit`, `loss`, `rose`), not only next to a figure (`up`, `more`).
    Sign(i8, bool),
}

/// A value found in a text: its category, first and last word (indices
/// into the document's words), span and value.
#[derive(Clone, Debug)]
pub(super) struct Item {
    pub cat: Cat,
    pub first: usize,
    pub last: usize,
    pub span: Span,
    pub val: Val,
    /// A value so common in plain wording (`one`, `first`, `second`) that
    /// it only counts when it replaces another value.
    pub weak: bool,
}

/// True when the word-like chunk (between white space) around `span` is
/// part of a web address, an e-mail address or a handle: not a value.
pub(super) fn in_link(text: &str, span: Span) -> bool {
    // Only a word next to a character of an address can be in one.
    let b = text.as_bytes();
    let mark = |c: u8| matches!(c, b'/' | b':' | b'@' | b'.');
    let next_to = (span.start > 0 && mark(b[span.start - 1]))
        || (span.end < b.len() && mark(b[span.end]))
        || span.slice(text).contains('.');
    if !next_to {
        return false;
    }
    let start = text[..span.start]
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = text[span.end..]
        .find(char::is_whitespace)
        .map_or(text.len(), |i| span.end + i);
    let chunk = &text[start..end];
    if chunk.contains("://") || chunk.contains("www.") || chunk.contains('@') {
        return true;
    }
    // A domain and a path: "t.co/x1Y2", "pic.twitter.com/abc".
    if let Some(slash) = chunk.find('/') {
        let host = &chunk[..slash];
        if let Some(dot) = host.rfind('.') {
            let tld = &host[dot + 1..];
            return tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic());
        }
    }
    false
}

/// A document's words as read for values.
pub(super) struct Reader<'a> {
    pub text: &'a str,
    pub words: &'a [Word],
}

impl<'a> Reader<'a> {
    fn norm(&self, i: usize) -> &'a str {
        &self.words[i].norm
    }

    fn raw(&self, i: usize) -> &'a str {
        self.words[i].span.slice(self.text)
    }

    /// The text between word `i - 1` (or the start) and word `i`.
    fn gap(&self, i: usize) -> &'a str {
        let from = if i == 0 {
            0
        } else {
            self.words[i - 1].span.end
        };
        &self.text[from..self.words[i].span.start]
    }

    /// True when words `i` and `i + 1` are joined by a space or a hyphen only.
    fn joined(&self, i: usize, hi: usize) -> bool {
        i + 1 < hi
            && match self.gap(i + 1) {
                " " | "-" | "\n" => true,
                // After an abbreviation: "9:40 a.m. EST".
                ". " => self.norm(i).contains('.'),
                _ => false,
            }
    }

    /// All items among words `lo..hi`.
    pub fn items(&self, lo: usize, hi: usize) -> Vec<Item> {
        let mut out = Vec::new();
        let mut i = lo;
        while i < hi {
            let first = self.raw(i).as_bytes()[0];
            if (first.is_ascii_lowercase() && !in_lexicon(self.words[i].key))
                || in_link(self.text, self.words[i].span)
            {
                i += 1;
                continue;
            }
            let next = self
                .date_at(i, hi, &mut out)
                .or_else(|| self.time_at(i, hi, &mut out))
                .or_else(|| self.quantity_at(i, hi, &mut out))
                .or_else(|| self.sign_at(i, &mut out))
                .or_else(|| self.name_at(i, hi, &mut out));
            i = next.unwrap_or(i + 1);
        }
        out
    }

    fn push(&self, out: &mut Vec<Item>, cat: Cat, first: usize, last: usize, val: Val) -> usize {
        out.push(Item {
            cat,
            first,
            last,
            span: Span::new(self.words[first].span.start, self.words[last].span.end),
            val,
            weak: false,
        });
        last + 1
    }
}

fn close(x: f64, y: f64) -> bool {
    (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0)
}

/// True when two quantities are the same value, written alike or not. A
/// value written with a scale word may be a rounding of the other
/// (`12.1 mln` for `12,141,000`); written alike, they must be equal.
pub(super) fn same_qty(x: &Qty, y: &Qty) -> bool {
    if x.ordinal != y.ordinal || x.vague != y.vague {
        return false;
    }
    // In the base unit when both give a unit ("3 km", "3,000 metres"); as
    // written when one gives none ("a 34-year-old", "34").
    let (fx, fy) = match (x.unit, y.unit) {
        (Some(u), Some(v)) if u != v => return false,
        (Some(_), Some(_)) => (x.factor, y.factor),
        _ => (1.0, 1.0),
    };
    let (xv, yv) = (x.value * fx, y.value * fy);
    if close(xv, yv) {
        return true;
    }
    if x.vague || close(x.scale, y.scale) {
        return false;
    }
    let step = (x.ulp * fx).max(y.ulp * fy);
    step > 0.0 && close((xv / step).round(), (yv / step).round())
}

/// True when two values are the same.
pub(super) fn same_val(x: &Val, y: &Val) -> bool {
    let num = |q: &Qty, n: u32| q.unit.is_none() && close(q.value, f64::from(n));
    match (x, y) {
        (Val::Qty(a), Val::Qty(b)) => same_qty(a, b),
        (Val::Time(a, za), Val::Time(b, zb)) => match (za, zb) {
            (Some(za), Some(zb)) => (a - za).rem_euclid(1440) == (b - zb).rem_euclid(1440),
            _ => a == b,
        },
        (Val::Day(d), Val::Qty(q)) | (Val::Qty(q), Val::Day(d)) => num(q, *d),
        (Val::Year(d), Val::Qty(q)) | (Val::Qty(q), Val::Year(d)) => !q.ordinal && num(q, *d),
        (
            Val::Name {
                words: a,
                initials: ia,
            },
            Val::Name {
                words: b,
                initials: ib,
            },
        ) => {
            let keys = |w: &[u64], i: &[(u8, u8, u64)], k: u64| {
                w.contains(&k) || i.iter().any(|x| x.2 == k)
            };
            name_covered(a, ia, |k| keys(b, ib, k)) && name_covered(b, ib, |k| keys(a, ia, k))
        }
        (Val::Sign(a, _), Val::Sign(b, _)) => a == b,
        _ => x == y,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text;

    pub(super) fn items(s: &str) -> Vec<Item> {
        let words = text::words(s);
        Reader {
            text: s,
            words: &words,
        }
        .items(0, words.len())
    }

    pub(super) fn qty(s: &str) -> Qty {
        match items(s)
            .into_iter()
            .find(|i| i.cat == Cat::Number)
            .map(|i| i.val)
        {
            Some(Val::Qty(q)) => q,
            other => panic!("{s}: {other:?}"),
        }
    }

    #[test]
    fn rounding_only_across_notations() {
        let (a, b) = (qty("12.1 mln"), qty("12,141,000"));
        assert!(same_qty(&a, &b));
        assert!(!same_qty(&qty("12.1"), &qty("12.14")));
        assert!(!same_qty(&qty("12.1 mln"), &qty("12,161,000")));
        assert!(!same_qty(&qty("5th"), &qty("5")));
    }

    #[test]
    fn links_and_codes() {
        assert!(
            items("see https://t.co/4Xa9Qm2z now")
                .iter()
                .all(|i| i.cat != Cat::Number)
        );
        assert!(matches!(items("the A380").remove(0).val, Val::Name { .. }));
        assert!(matches!(
            items("flight 9W2 left").remove(0).val,
            Val::Code(_)
        ));
    }

    #[test]
    fn lexicon_holds_every_word_that_starts_a_value() {
        // Every lower-case word literal of the files that read values that
        // is read as the start of a value on its own, or before "year",
        // must be in the lexicon, or the fast pass would skip it.
        let sources = [
            include_str!("values.rs"),
            include_str!("values/dates.rs"),
            include_str!("values/quantities.rs"),
            include_str!("values/names.rs"),
        ];
        let mut missing = Vec::new();
        // A quote as a character literal (`'"'`) is no string delimiter.
        let sources = sources.map(|src| src.replace("'\"'", ""));
        for lit in sources
            .iter()
            .flat_map(|src| src.split('"').skip(1).step_by(2))
        {
            if lit.is_empty()
                || !lit
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'.' || b == b'-')
            {
                continue;
            }
            let starts = |t: &str| {
                let words = text::words(t);
                if words.is_empty() {
                    return false;
                }
                let r = Reader {
                    text: t,
                    words: &words,
                };
                let mut out = Vec::new();
                r.date_at(0, words.len(), &mut out)
                    .or_else(|| r.time_at(0, words.len(), &mut out))
                    .or_else(|| r.quantity_at(0, words.len(), &mut out))
                    .or_else(|| r.sign_at(0, &mut out))
                    .is_some()
                    && !out.is_empty()
            };
            let first = text::words(lit).into_iter().next();
            if (starts(lit) || starts(&format!("{lit} year")))
                && first.is_some_and(|w| !in_lexicon(w.key))
            {
                missing.push(lit);
            }
        }
        assert!(missing.is_empty(), "not in LEXICON: {missing:?}");
    }
}
