//! Dates and times in a run of words: months, weekdays, days, years and
//! relative days; clock times with their time zones (`9:40 a.m. EST`,
//! `1440 GMT`, `noon`).

use super::words::*;
use super::{Cat, Item, Reader, Val};
use crate::text;

impl<'a> Reader<'a> {
    pub(super) fn is_month_at(&self, i: usize) -> Option<u8> {
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

    pub(super) fn weekday_at(&self, i: usize) -> Option<u8> {
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

    pub(super) fn date_at(&self, i: usize, hi: usize, out: &mut Vec<Item>) -> Option<usize> {
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

    pub(super) fn time_at(&self, i: usize, hi: usize, out: &mut Vec<Item>) -> Option<usize> {
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
}

#[cfg(test)]
mod tests {
    use super::super::tests::items;
    use super::super::{Val, same_val};

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
}
