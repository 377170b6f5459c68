//! Quantities in a run of words: numbers in digits (thousands separators,
//! decimal commas) or in words (`two thousand and five`, `the
//! twenty-first`), with their scale, unit or currency and the precision
//! they are written with; and the sign words of a figure (`rose`, `fell`).

use super::words::*;
use super::{Cat, Item, Qty, Reader, Val};

impl<'a> Reader<'a> {
    /// A number written in words from word `i`: its value, whether it is an
    /// ordinal, and its last word.
    pub(super) fn spelled(&self, i: usize, hi: usize) -> Option<(f64, bool, usize)> {
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

    pub(super) fn quantity_at(&self, i: usize, hi: usize, out: &mut Vec<Item>) -> Option<usize> {
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

    pub(super) fn sign_at(&self, i: usize, out: &mut Vec<Item>) -> Option<usize> {
        let (s, strong) = sign_word(self.norm(i))?;
        Some(self.push(out, Cat::Sign, i, i, Val::Sign(s, strong)))
    }
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

#[cfg(test)]
mod tests {
    use super::super::same_qty;
    use super::super::tests::qty;

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
}
