//! Values in a run of words: quantities (numbers in digits or words, with
//! their scale and unit), dates and times, names, and the sign words of a
//! figure, each read into a form in which the same value written another
//! way compares equal (`1bn` / `1 billion` / `1,000,000,000`, `five per
//! cent` / `5%`, `9:40 A.M.` / `0940 hrs`, `U.S.` / `US`).

mod words;

use crate::text::{self, Span, Word};
use words::*;

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

/// A word's form for names: lower case, without dots and a possessive.
pub(super) fn name_form(norm: &str) -> std::borrow::Cow<'_, str> {
    if !norm.contains(['.', '\'']) {
        return std::borrow::Cow::Borrowed(norm);
    }
    let base = norm
        .strip_suffix("'s")
        .or_else(|| norm.strip_suffix('\''))
        .unwrap_or(norm);
    std::borrow::Cow::Owned(base.chars().filter(|&c| c != '.').collect())
}

pub(super) fn name_key(w: &Word) -> u64 {
    let n: &str = &w.norm;
    if n.contains(['.', '\'']) {
        text::word_key(name_form(n).as_bytes())
    } else {
        w.key
    }
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

    /// True for a capitalised word that does not start a sentence or quote
    /// (an abbreviation in capitals may), nor stands in opening capitals.
    pub fn is_name_word(&self, i: usize) -> bool {
        let raw = self.raw(i);
        if !raw.chars().next().is_some_and(char::is_uppercase) || self.in_opening_capitals(i) {
            return false;
        }
        !self.starts_sentence(i)
            || (raw.len() > 1
                && raw.chars().all(|c| !c.is_lowercase())
                && (raw.len() <= 3 || raw.contains('.')))
    }

    /// True when word `i` starts the text, a sentence, a quote or a
    /// paragraph (after a paragraph mark such as `<`).
    fn starts_sentence(&self, i: usize) -> bool {
        let before = self.text[..self.words[i].span.start].trim_end();
        matches!(
            before.chars().next_back(),
            None | Some(
                '.' | '!'
                    | '?'
                    | '"'
                    | '“'
                    | '«'
                    | '„'
                    | ':'
                    | '\n'
                    | '\''
                    | '‘'
                    | '`'
                    | '<'
                    | '>'
                    | '¶'
            )
        )
    }

    /// True for a word in capitals (no lower-case letter) in a run of at
    /// least two such words that starts a sentence: the opening words a
    /// newspaper sets in capitals (`AN ELDERLY man was ...`, `A MAN ...`)
    /// or a headline in capitals, where a name cannot be told from other
    /// words. The run is followed back at most [`CAPS_LOOKBACK`] words; a
    /// longer one (text all in capitals) counts as such a run too.
    fn in_opening_capitals(&self, i: usize) -> bool {
        let caps = |k: usize| {
            let r = self.raw(k);
            r.chars().any(char::is_alphabetic) && !r.chars().any(char::is_lowercase)
        };
        let joined = |k: usize| matches!(self.gap(k), " " | "-" | "\n");
        if !caps(i) {
            return false;
        }
        let mut j = i;
        while j > 0 && caps(j - 1) && joined(j) {
            if i - j >= CAPS_LOOKBACK {
                return true;
            }
            j -= 1;
        }
        let two = j < i || (i + 1 < self.words.len() && caps(i + 1) && joined(i + 1));
        two && self.starts_sentence(j)
    }

    fn is_month_at(&self, i: usize) -> Option<u8> {
        let n = self.norm(i);
        if n == "may" && !self.raw(i).starts_with('M') {
            return None;
        }
        if !text::is_month(n) && !matches!(n, "sept" | "sep") {
            return None;
        }
        let m = match &n[..3] {
            "jan" => 1,
            "feb" => 2,
            "mar" => 3,
            "apr" => 4,
            "may" => 5,
            "jun" => 6,
            "jul" => 7,
            "aug" => 8,
            "sep" => 9,
            "oct" => 10,
            "nov" => 11,
            "dec" => 12,
            _ => return None,
        };
        Some(m)
    }

    fn weekday_at(&self, i: usize) -> Option<u8> {
        let n = self.norm(i);
        let short = matches!(
            n,
            "mon" | "tue" | "tues" | "wed" | "thu" | "thur" | "thurs" | "fri" | "sat" | "sun"
        ) && self.raw(i).starts_with(char::is_uppercase)
            // "Tue, 7 March", "Sat 7 March"; not "The Sun".
            && i + 1 < self.words.len()
            && (self.gap(i + 1).starts_with(',')
                || self.norm(i + 1).starts_with(|c: char| c.is_ascii_digit())
                || self.is_month_at(i + 1).is_some());
        if !text::is_weekday(n) && !short {
            return None;
        }
        let d = match &n[..3] {
            "mon" => 1,
            "tue" => 2,
            "wed" => 3,
            "thu" => 4,
            "fri" => 5,
            "sat" => 6,
            _ => 7,
        };
        Some(d)
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

    fn date_at(&self, i: usize, hi: usize, out: &mut Vec<Item>) -> Option<usize> {
        let n = self.norm(i);
        if let Some(m) = self.is_month_at(i) {
            return Some(self.push(out, Cat::Date, i, i, Val::Month(m)));
        }
        if let Some(d) = self.weekday_at(i) {
            return Some(self.push(out, Cat::Date, i, i, Val::Weekday(d)));
        }
        if matches!(n, "yesterday" | "today" | "tomorrow" | "tonight") {
            return Some(self.push(out, Cat::Date, i, i, Val::Relative(n.to_string())));
        }
        let digits = n.trim_end_matches(['s', 't', 'h', 'n', 'd', 'r']);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        // A day next to a month name: "March 3", "3rd March".
        if digits.len() <= 2
            && (n.len() == digits.len() || matches!(&n[digits.len()..], "st" | "nd" | "rd" | "th"))
        {
            let month_before = i > 0 && self.is_month_at(i - 1).is_some();
            let month_after = i + 1 < self.words.len()
                && (self.is_month_at(i + 1).is_some()
                    || (self.norm(i + 1) == "of"
                        && i + 2 < self.words.len()
                        && self.is_month_at(i + 2).is_some()));
            if month_before || month_after {
                let d: u32 = digits.parse().ok()?;
                return Some(self.push(out, Cat::Date, i, i, Val::Day(d)));
            }
        }
        // A year: four digits from 1900 to 2099, not a quantity of something.
        if n.len() == 4
            && (n.starts_with("19") || n.starts_with("20"))
            && currency_sign(self.gap(i)).is_none()
        {
            let unit_after = i + 1 < hi
                && self.joined(i, hi)
                && (unit_word(self.norm(i + 1)).is_some()
                    || scale_word(self.norm(i + 1)).is_some()
                    || zone(self.norm(i + 1)).is_some());
            if !unit_after && !self.text[self.words[i].span.end..].starts_with('%') {
                return Some(self.push(out, Cat::Date, i, i, Val::Year(n.parse().ok()?)));
            }
        }
        None
    }

    fn time_at(&self, i: usize, hi: usize, out: &mut Vec<Item>) -> Option<usize> {
        let n = self.norm(i);
        if matches!(n, "noon" | "midday") {
            return Some(self.push(out, Cat::Date, i, i, Val::Time(720, None)));
        }
        if n == "midnight" {
            return Some(self.push(out, Cat::Date, i, i, Val::Time(0, None)));
        }
        if !n.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        let split = n
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(n.len());
        let (num, suffix) = n.split_at(split);
        let mut last = i;
        let (mut h, m): (i32, i32);
        let mut explicit = false;
        if let Some((hh, mm)) = num.split_once('.') {
            // "9.40am", "9.40 p.m."
            if mm.len() != 2 {
                return None;
            }
            h = hh.parse().ok()?;
            m = mm.parse().ok()?;
        } else if suffix.is_empty()
            && i + 1 < hi
            && self.gap(i + 1) == ":"
            && self.norm(i + 1).len() == 2
            && self.norm(i + 1).bytes().all(|b| b.is_ascii_digit())
        {
            // "9:40"
            h = num.parse().ok()?;
            m = self.norm(i + 1).parse().ok()?;
            last = i + 1;
            explicit = true;
        } else if num.len() == 4 && suffix.is_empty() {
            // "0940 hrs", "1400 GMT"
            let next = (i + 1 < hi && self.joined(i, hi)).then(|| self.norm(i + 1));
            if !next.is_some_and(|w| matches!(w, "hrs" | "hours" | "h") || zone(w).is_some()) {
                return None;
            }
            h = num[..2].parse().ok()?;
            m = num[2..].parse().ok()?;
            explicit = true;
        } else {
            h = num.parse().ok()?;
            m = 0;
        }
        // am / pm, as a suffix or the next word.
        let mut pm = is_ampm(suffix);
        if !suffix.is_empty() && pm.is_none() {
            return None;
        }
        if pm.is_none() && last + 1 < hi && self.joined(last, hi) {
            pm = is_ampm(self.norm(last + 1));
            if pm.is_some() {
                last += 1;
            }
        }
        if pm.is_none() && !explicit {
            return None;
        }
        if let Some(pm) = pm {
            if !(1..=12).contains(&h) {
                return None;
            }
            h = h % 12 + if pm { 12 } else { 0 };
        }
        if !(0..24).contains(&h) || !(0..60).contains(&m) {
            return None;
        }
        let mut tz = None;
        if last + 1 < hi && self.joined(last, hi) {
            let w = self.norm(last + 1);
            if let Some(z) = zone(w) {
                tz = z;
                last += 1;
            } else if matches!(w, "hrs" | "hours" | "h") {
                last += 1;
            }
        }
        Some(self.push(out, Cat::Date, i, last, Val::Time(h * 60 + m, tz)))
    }

    /// A number written in words from word `i`: its value, whether it is an
    /// ordinal, and its last word.
    fn spelled(&self, i: usize, hi: usize) -> Option<(f64, bool, usize)> {
        let mut total = 0.0;
        let mut current = 0.0;
        let mut any = false;
        let mut last = i;
        let mut j = i;
        let mut ordinal = false;
        while j < hi {
            let w = self.norm(j);
            let a = (w == "a" || w == "an") && !any;
            if let Some(n) = small_number(w).or_else(|| tens(w)) {
                current += f64::from(n);
            } else if let Some(n) = ordinal_word(w) {
                if n >= 100 {
                    current = current.max(1.0) * f64::from(n);
                } else {
                    current += f64::from(n);
                }
                ordinal = true;
            } else if w == "hundred" {
                current = current.max(1.0) * 100.0;
            } else if w == "dozen" {
                current = current.max(1.0) * 12.0;
            } else if let Some(s) = scale_word(w).filter(|_| w.len() > 2) {
                total += current.max(1.0) * s;
                current = 0.0;
            } else if a && j + 1 < hi {
                // "a hundred", "a dozen", "a million"
                let nx = self.norm(j + 1);
                if !(nx == "hundred"
                    || nx == "dozen"
                    || scale_word(nx).is_some_and(|_| nx.len() > 2))
                {
                    break;
                }
                current = 1.0;
                j += 1;
                continue;
            } else if w == "and"
                && any
                && j + 1 < hi
                && small_number(self.norm(j + 1))
                    .or_else(|| tens(self.norm(j + 1)))
                    .is_some()
            {
                j += 1;
                continue;
            } else {
                break;
            }
            any = true;
            last = j;
            if ordinal || !self.joined(j, hi) {
                break;
            }
            j += 1;
        }
        any.then_some((total + current, ordinal, last))
    }

    fn quantity_at(&self, i: usize, hi: usize, out: &mut Vec<Item>) -> Option<usize> {
        let n = self.norm(i);
        let first_byte = n.as_bytes()[0];
        let mut unit: Option<(&'static str, f64)> = currency_sign(self.gap(i)).map(|c| (c, 1.0));
        let (mut value, mut ulp, mut scale, mut ordinal, mut last);
        let mut weak = false;
        if first_byte.is_ascii_digit() {
            let split = n
                .find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
                .unwrap_or(n.len());
            let (num, suffix) = n.split_at(split);
            let num = num.trim_end_matches([',', '.']);
            if suffix.bytes().any(|b| b.is_ascii_digit()) {
                return Some(self.push(out, Cat::Number, i, i, Val::Code(n.to_string())));
            }
            let (v, decimals) = parse_digits(num)?;
            value = v;
            ulp = 10f64.powi(-(decimals as i32));
            scale = 1.0;
            ordinal = false;
            last = i;
            match suffix {
                "" | "s" => {}
                "st" | "nd" | "rd" | "th" => ordinal = true,
                _ => {
                    if let Some(s) = scale_word(suffix) {
                        // "5m" is read as millions, as news copy mostly means.
                        scale = s;
                        value *= s;
                        ulp *= s;
                    } else if let Some(u) = unit_word(suffix) {
                        unit = Some(u);
                    } else if is_ampm(suffix).is_some() {
                        return None;
                    } else {
                        return Some(self.push(out, Cat::Number, i, i, Val::Code(n.to_string())));
                    }
                }
            }
        } else if first_byte.is_ascii_alphabetic() {
            if let Some(v) = vague_word(n) {
                let q = Qty {
                    value: v,
                    ulp: v,
                    factor: 1.0,
                    scale: 1.0,
                    unit: None,
                    ordinal: false,
                    vague: true,
                };
                return Some(self.push(out, Cat::Number, i, i, Val::Qty(q)));
            }
            if let Some(v) = times_word(n) {
                let q = Qty {
                    value: v,
                    ulp: 1.0,
                    factor: 1.0,
                    scale: 1.0,
                    unit: Some("x"),
                    ordinal: false,
                    vague: false,
                };
                return Some(self.push(out, Cat::Number, i, i, Val::Qty(q)));
            }
            if let Some((v, ord, l)) = self.spelled(i, hi) {
                if n == "second"
                    && i > 0
                    && self.words[i - 1].norm.bytes().all(|b| b.is_ascii_digit())
                {
                    return None;
                }
                value = v;
                ordinal = ord;
                last = l;
                scale = 1.0;
                // The written scale: the largest scale word used.
                for j in i..=l {
                    let w = self.norm(j);
                    if let Some(s) = scale_word(w).filter(|_| w.len() > 2) {
                        scale = scale.max(s);
                    }
                }
                ulp = scale;
                weak = i == l && matches!(n, "one" | "first" | "second");
            } else if matches!(n, "a" | "an" | "per" | "each" | "every")
                && self.joined(i, hi)
                && unit_word(self.norm(i + 1)).is_some_and(|(u, _)| matches!(u, "s" | "mo"))
            {
                // "a year", "per day": one of a unit of time.
                let (u, f) = unit_word(self.norm(i + 1))?;
                let q = Qty {
                    value: 1.0,
                    ulp: 1.0,
                    factor: f,
                    scale: 1.0,
                    unit: Some(u),
                    ordinal: false,
                    vague: false,
                };
                let at = self.push(out, Cat::Number, i, i + 1, Val::Qty(q));
                if let Some(it) = out.last_mut() {
                    it.weak = true;
                }
                return Some(at);
            } else {
                return None;
            }
        } else {
            return None;
        }
        // A scale word after the number ("12.1 mln"), then a unit.
        if scale == 1.0 && !ordinal && self.joined(last, hi) {
            let w = self.norm(last + 1);
            if let Some(s) = scale_word(w).filter(|_| w.len() > 1) {
                scale = s;
                value *= s;
                ulp *= s;
                last += 1;
            }
        }
        if self.joined(last, hi) {
            let w = self.norm(last + 1);
            let w2 = (last + 2 < hi).then(|| self.norm(last + 2));
            if w == "per" && w2 == Some("cent") {
                unit = Some(("%", 1.0));
                last += 2;
            } else if w == "percentage" && matches!(w2, Some("points" | "point")) {
                unit = Some(("pt", 1.0));
                last += 2;
            } else if let Some(u) = unit_word(w) {
                let fits = match unit {
                    None => !(ordinal && w == "second"),
                    Some((c, _)) => c == u.0,
                };
                if fits {
                    unit = Some(u);
                    last += 1;
                }
            }
        }
        if self.text[self.words[last].span.end..].starts_with('%') {
            unit = Some(("%", 1.0));
        }
        // A minus sign right before the number ("-5", not "5-6").
        let g = self.gap(i);
        if (g.ends_with('-') || g.ends_with('−'))
            && (i == 0 || g.trim_end_matches(['-', '−']).ends_with([' ', '(', '\n']))
        {
            value = -value;
        }
        let (u, f) = match unit {
            Some((u, f)) => (Some(u), f),
            None => (None, 1.0),
        };
        let q = Qty {
            value,
            ulp,
            factor: f,
            scale,
            unit: u,
            ordinal,
            vague: false,
        };
        let at = self.push(out, Cat::Number, i, last, Val::Qty(q));
        if let Some(it) = out.last_mut() {
            it.weak = weak;
        }
        Some(at)
    }

    fn sign_at(&self, i: usize, out: &mut Vec<Item>) -> Option<usize> {
        let (s, strong) = sign_word(self.norm(i))?;
        Some(self.push(out, Cat::Sign, i, i, Val::Sign(s, strong)))
    }

    fn name_at(&self, i: usize, hi: usize, out: &mut Vec<Item>) -> Option<usize> {
        if !self.is_name_word(i) || self.norm(i) == "i" {
            return None;
        }
        let mut last = i;
        let mut j = i + 1;
        while j < hi {
            let gap = self.gap(j);
            if !matches!(gap, " " | "-" | "\n" | ". ") {
                break;
            }
            if gap == ". " && self.raw(j - 1).len() > 1 {
                break;
            }
            let w = self.norm(j);
            if self.raw(j).starts_with(char::is_uppercase)
                && self.is_month_at(j).is_none()
                && self.weekday_at(j).is_none()
            {
                last = j;
                j += 1;
            } else if is_connector(w)
                && j + 1 < hi
                && self.gap(j + 1) == " "
                && self.raw(j + 1).starts_with(char::is_uppercase)
            {
                j += 1;
            } else {
                break;
            }
        }
        // Titles are left out of the words but not of the initials
        // ("Prime Minister's Office", "PMO").
        let mut words = Vec::new();
        let mut firsts = Vec::new();
        let mut spans = Vec::new();
        for k in i..=last {
            let raw = self.raw(k);
            if !raw.starts_with(char::is_uppercase) {
                continue;
            }
            let f = name_form(self.norm(k));
            firsts.push(f.chars().next().unwrap_or(' '));
            spans.push(words.len());
            if !is_title(&f) {
                words.push(name_key(&self.words[k]));
            }
        }
        if words.is_empty() {
            return Some(last + 1);
        }
        spans.push(words.len());
        // Initials of every run of two or more of its words: "Former
        // Environmental Protection Agency" holds "EPA".
        let mut initials = Vec::new();
        let n = firsts.len().min(8);
        let mut key = String::new();
        for from in 0..n {
            key.clear();
            key.push(firsts[from]);
            for to in from + 2..=n {
                key.push(firsts[to - 1]);
                // The run covers the words (titles aside) from its first to
                // its last capitalised word.
                let (w0, w1) = (spans[from], spans[to]);
                initials.push((w0 as u8, w1 as u8, text::word_key(key.as_bytes())));
            }
        }
        Some(self.push(out, Cat::Name, i, last, Val::Name { words, initials }))
    }
}

/// How far back [`Reader::in_opening_capitals`] follows a run of words in
/// capitals.
const CAPS_LOOKBACK: usize = 16;

/// True when every word of the name `words` (with the `initials` of its
/// runs) is among the keys that `has` holds, or in a run whose initials
/// are.
pub(super) fn name_covered(
    words: &[u64],
    initials: &[(u8, u8, u64)],
    has: impl Fn(u64) -> bool,
) -> bool {
    let mut covered: Vec<bool> = words.iter().map(|&k| has(k)).collect();
    if covered.iter().all(|&c| c) {
        return true;
    }
    for &(from, to, key) in initials {
        if has(key) {
            covered[from as usize..to as usize].fill(true);
        }
    }
    covered.iter().all(|&c| c)
}

/// A number in digits with thousands separators or a decimal point: its
/// value and the number of decimals written.
fn parse_digits(s: &str) -> Option<(f64, usize)> {
    if s.is_empty() {
        return None;
    }
    let groups: Vec<&str> = s.split(',').collect();
    let plain: String = if groups.len() > 1
        && groups[1..]
            .iter()
            .all(|g| g.len() == 3 || (g.len() > 3 && g.as_bytes()[3] == b'.'))
    {
        groups.concat()
    } else if groups.len() == 2 && !groups[1].contains('.') {
        // "1,5": a decimal comma.
        format!("{}.{}", groups[0], groups[1])
    } else {
        groups.concat()
    };
    let decimals = plain.split_once('.').map_or(0, |(_, d)| d.len());
    if plain.matches('.').count() > 1 {
        return None;
    }
    Some((plain.parse().ok()?, decimals))
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

    fn items(s: &str) -> Vec<Item> {
        let words = text::words(s);
        Reader {
            text: s,
            words: &words,
        }
        .items(0, words.len())
    }

    fn qty(s: &str) -> Qty {
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
    fn quantities() {
        assert_eq!(qty("about 1.5 million").value, 1.5e6);
        assert_eq!(qty("£5m").value, 5e6);
        assert_eq!(qty("£5m").unit, Some("£"));
        assert_eq!(qty("fell -3 pct").value, -3.0);
        assert_eq!(qty("5-6 years").value, 5.0);
        assert_eq!(qty("two thousand and five").value, 2005.0);
        assert_eq!(qty("a million").value, 1e6);
        let q = qty("the twenty-first");
        assert!(q.ordinal && q.value == 21.0);
        assert!(qty("the 3rd").ordinal);
        assert!(same_qty(&qty("3 km"), &qty("3,000 metres")));
        assert!(same_qty(&qty("a 34-year-old"), &qty("34")));
        assert!(!same_qty(&qty("3 km"), &qty("3 metres")));
        assert!(qty("dozens of").vague);
        assert_eq!(qty("12.1 mln").ulp, 1e5);
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
    fn dates_and_times() {
        let v: Vec<Val> = items("on Tue, March 7 2017 at 9:40 a.m. EST")
            .into_iter()
            .map(|i| i.val)
            .collect();
        assert_eq!(
            v,
            vec![
                Val::Weekday(2),
                Val::Month(3),
                Val::Day(7),
                Val::Year(2017),
                Val::Time(580, Some(-300)),
            ]
        );
        let a = items("at 1440 GMT").remove(0).val;
        let b = items("at 9:40 am EST").remove(0).val;
        assert!(same_val(&a, &b));
        assert!(
            items("at noon")
                .iter()
                .any(|i| i.val == Val::Time(720, None))
        );
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
        // Every lower-case word literal of this file that is read as the
        // start of a value on its own, or before "year", must be in the
        // lexicon, or the fast pass would skip it.
        let src = include_str!("values.rs");
        let mut missing = Vec::new();
        for lit in src.split('"').skip(1).step_by(2) {
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
