//! Reading the day of an article's date, in the forms found in feeds and
//! scrapes, for choosing a story's source.
//!
//! Read (anything after the day, such as a time or a zone, is ignored; the
//! day is the one written, not converted to another zone):
//!
//! * ISO 8601 and its slash form: `2017-03-28`, `2017-03-28T09:15:00Z`,
//!   `2017/3/28`, `2017.03.28`, `20170328`;
//! * day, month name, year: `28 March 2017`, `28 Mar. 2017`, `28-Mar-2017`,
//!   and RFC 2822 (`Tue, 28 Mar 2017 09:15:00 +0000`);
//! * month name, day, year: `March 28, 2017`, `Mar 28 2017`, with or without
//!   a weekday first (`Tuesday, March 28, 2017`);
//! * day/month/year or month/day/year with numbers only when the reading is
//!   certain (`28/3/2017`, `3/28/2017`); `3/4/2017` is not read, since it
//!   could be either.

/// The number of a month from its English name or abbreviation (`mar`,
/// `march`, `sept`), in lower case.
fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.');
    let n = match w {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sep" | "sept" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    };
    Some(n)
}

fn is_weekday(word: &str) -> bool {
    let w = word.trim_end_matches('.');
    matches!(
        w,
        "monday"
            | "mon"
            | "tuesday"
            | "tue"
            | "tues"
            | "wednesday"
            | "wed"
            | "thursday"
            | "thu"
            | "thur"
            | "thurs"
            | "friday"
            | "fri"
            | "saturday"
            | "sat"
            | "sunday"
            | "sun"
    )
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `YYYY-MM-DD` of a valid day.
fn ymd(year: u32, month: u32, day: u32) -> Option<String> {
    let ok = (1000..=9999).contains(&year)
        && (1..=12).contains(&month)
        && day >= 1
        && day <= days_in_month(year, month);
    ok.then(|| format!("{year:04}-{month:02}-{day:02}"))
}

/// A number of `1..=max_len` ASCII digits.
fn num(s: &str, max_len: usize) -> Option<u32> {
    (!s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// A four-digit year.
fn year(s: &str) -> Option<u32> {
    (s.len() == 4).then(|| num(s, 4)).flatten()
}

/// The day of a date written with numbers only at the start of `d`:
/// `2017-03-28`, `2017/3/28`, `2017.3.28`, `20170328`, `28/3/2017`,
/// `3/28/2017`; whatever follows must not continue the number.
fn numeric(d: &str) -> Option<String> {
    let end = d
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '-' | '/' | '.')))
        .unwrap_or(d.len());
    let head = d[..end].trim_end_matches(['-', '/', '.']);
    // A time may follow an ISO day directly ("2017-03-28T09:15").
    let rest = &d[head.len()..];
    if rest.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    if head.len() == 8 && head.bytes().all(|b| b.is_ascii_digit()) {
        return ymd(
            num(&head[..4], 4)?,
            num(&head[4..6], 2)?,
            num(&head[6..], 2)?,
        );
    }
    let sep = head.chars().find(|c| !c.is_ascii_digit())?;
    let parts: Vec<&str> = head.split(sep).collect();
    if parts.len() != 3 {
        return None;
    }
    if let Some(y) = year(parts[0]) {
        return ymd(y, num(parts[1], 2)?, num(parts[2], 2)?);
    }
    let y = year(parts[2])?;
    let (p, q) = (num(parts[0], 2)?, num(parts[1], 2)?);
    match (p > 12, q > 12) {
        // Day first (28/3/2017) or month first (3/28/2017): certain only
        // when one of them cannot be a month.
        (true, false) => ymd(y, q, p),
        (false, true) => ymd(y, p, q),
        _ if p == q => ymd(y, p, q),
        _ => None,
    }
}

/// The day of a date written with a month name: `28 March 2017`,
/// `March 28, 2017`, RFC 2822 `Tue, 28 Mar 2017 09:15:00 +0000`,
/// `28-Mar-2017`.
fn named(d: &str) -> Option<String> {
    let lower = d.to_ascii_lowercase();
    let mut words = lower
        .split(|c: char| c.is_whitespace() || c == ',' || c == '-' || c == '/')
        .filter(|w| !w.is_empty())
        .peekable();
    if words.peek().is_some_and(|w| is_weekday(w)) {
        words.next();
    }
    let first = words.next()?;
    let second = words.next()?;
    let third = words.next()?;
    // The year may carry a time after it ("2017T09:15" is not read).
    let day = |w: &str| {
        let w = w
            .trim_end_matches('.')
            .trim_end_matches(|c: char| c.is_ascii_alphabetic());
        num(w, 2)
    };
    if let Some(m) = month_number(second) {
        return ymd(year(third)?, m, day(first)?);
    }
    let m = month_number(first)?;
    ymd(year(third)?, m, day(second)?)
}

/// The day of a date as `YYYY-MM-DD`, in any of the forms the module reads;
/// `None` when it is none of them or not a real day.
pub fn day_of(date: &str) -> Option<String> {
    let d = date.trim();
    if d.starts_with(|c: char| c.is_ascii_digit())
        && let Some(day) = numeric(d)
    {
        return Some(day);
    }
    if !d.is_ascii() {
        return None;
    }
    named(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Option<String> {
        day_of(s)
    }

    #[test]
    fn iso_8601() {
        assert_eq!(day("2019-11-05").as_deref(), Some("2019-11-05"));
        assert_eq!(day(" 2019-11-05T17:30:00Z").as_deref(), Some("2019-11-05"));
        assert_eq!(
            day("2019-11-05T17:30:00+02:00").as_deref(),
            Some("2019-11-05")
        );
        assert_eq!(day("2019-11-05 17:30").as_deref(), Some("2019-11-05"));
        assert_eq!(day("20191105").as_deref(), Some("2019-11-05"));
        assert_eq!(day("2019-11-051"), None);
        assert_eq!(day("2019-13-05"), None);
        assert_eq!(day("2019-02-29"), None);
        assert_eq!(day("2020-02-29").as_deref(), Some("2020-02-29"));
    }

    #[test]
    fn slashes_and_dots() {
        assert_eq!(day("2019/11/5").as_deref(), Some("2019-11-05"));
        assert_eq!(day("2019/1/5 08:00").as_deref(), Some("2019-01-05"));
        assert_eq!(day("2019.11.05").as_deref(), Some("2019-11-05"));
        // Day or month first, when only one reading is possible.
        assert_eq!(day("25/12/2019").as_deref(), Some("2019-12-25"));
        assert_eq!(day("12/25/2019").as_deref(), Some("2019-12-25"));
        assert_eq!(day("4/4/2019").as_deref(), Some("2019-04-04"));
        assert_eq!(day("5/11/2019"), None);
        assert_eq!(day("2019/11"), None);
    }

    #[test]
    fn day_month_year() {
        assert_eq!(day("5 November 2019").as_deref(), Some("2019-11-05"));
        assert_eq!(day("05 Nov. 2019").as_deref(), Some("2019-11-05"));
        assert_eq!(day("5-Nov-2019").as_deref(), Some("2019-11-05"));
        assert_eq!(day("5th November 2019").as_deref(), Some("2019-11-05"));
        assert_eq!(
            day("Tuesday 5 November 2019").as_deref(),
            Some("2019-11-05")
        );
        assert_eq!(day("31 September 2019"), None);
    }

    #[test]
    fn month_day_year() {
        assert_eq!(day("November 5, 2019").as_deref(), Some("2019-11-05"));
        assert_eq!(day("Nov 5 2019").as_deref(), Some("2019-11-05"));
        assert_eq!(day("Sept. 30, 2019").as_deref(), Some("2019-09-30"));
        assert_eq!(
            day("Tuesday, November 5, 2019 5:30 PM").as_deref(),
            Some("2019-11-05")
        );
        assert_eq!(day("November 2019"), None);
        assert_eq!(day("Movember 5, 2019"), None);
    }

    #[test]
    fn rfc_2822() {
        assert_eq!(
            day("Tue, 05 Nov 2019 17:30:00 +0000").as_deref(),
            Some("2019-11-05")
        );
        assert_eq!(
            day("5 Nov 2019 17:30:00 GMT").as_deref(),
            Some("2019-11-05")
        );
    }

    #[test]
    fn not_dates() {
        assert_eq!(day(""), None);
        assert_eq!(day("yesterday"), None);
        assert_eq!(day("é"), None);
        assert_eq!(day("12 monkeys 2019"), None);
    }
}
