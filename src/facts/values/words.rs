//! The words values are read from: the lexicon of lower-case words that
//! can start a value, and the tables of number words, ordinals, scales,
//! round amounts, multipliers, units, currency signs, time zones, titles
//! and the words that join a name.

use std::sync::OnceLock;

use crate::text::{self, KeySet};

/// The words in lower case that can start a value: number words, scales,
/// round amounts, multipliers, sign words, months, weekdays, relative days,
/// times of day, and the words before a unit of time ("a year", "per
/// day"). A word in lower case outside it is passed over at once, which
/// keeps reading a text's values cheap. (A test checks that every word
/// the tables below read is here.)
pub(super) const LEXICON: &[&str] = &[
    "a",
    "above",
    "advanced",
    "an",
    "apr",
    "april",
    "aug",
    "august",
    "below",
    "billion",
    "billions",
    "bln",
    "bn",
    "climbed",
    "climbs",
    "contracted",
    "contraction",
    "crore",
    "crores",
    "dec",
    "december",
    "decline",
    "declined",
    "declines",
    "declining",
    "decrease",
    "decreased",
    "decreases",
    "decreasing",
    "deficit",
    "deficits",
    "double",
    "doubled",
    "down",
    "dozen",
    "dozens",
    "dropped",
    "drops",
    "each",
    "eight",
    "eighteen",
    "eighteenth",
    "eighth",
    "eightieth",
    "eighty",
    "eleven",
    "eleventh",
    "every",
    "expanded",
    "expansion",
    "fall",
    "fallen",
    "falling",
    "falls",
    "feb",
    "february",
    "fell",
    "fewer",
    "fifteen",
    "fifteenth",
    "fifth",
    "fiftieth",
    "fifty",
    "first",
    "five",
    "fortieth",
    "forty",
    "four",
    "fourteen",
    "fourteenth",
    "fourth",
    "friday",
    "gain",
    "gained",
    "gains",
    "grew",
    "grows",
    "growth",
    "higher",
    "hundred",
    "hundreds",
    "hundredth",
    "increase",
    "increased",
    "increases",
    "increasing",
    "jan",
    "january",
    "jul",
    "july",
    "jumped",
    "jumps",
    "jun",
    "june",
    "lakh",
    "lakhs",
    "less",
    "loss",
    "losses",
    "lost",
    "lower",
    "mar",
    "march",
    "may",
    "midday",
    "midnight",
    "million",
    "millions",
    "millionth",
    "minus",
    "mio",
    "mln",
    "mn",
    "monday",
    "more",
    "negative",
    "nil",
    "nine",
    "nineteen",
    "nineteenth",
    "ninetieth",
    "ninety",
    "ninth",
    "noon",
    "nov",
    "november",
    "oct",
    "october",
    "one",
    "per",
    "plus",
    "positive",
    "profit",
    "profits",
    "quadruple",
    "quadrupled",
    "rise",
    "risen",
    "rises",
    "rising",
    "rose",
    "saturday",
    "second",
    "sep",
    "sept",
    "september",
    "seven",
    "seventeen",
    "seventeenth",
    "seventh",
    "seventieth",
    "seventy",
    "shrank",
    "shrunk",
    "six",
    "sixteen",
    "sixteenth",
    "sixth",
    "sixtieth",
    "sixty",
    "slipped",
    "slumped",
    "sunday",
    "surplus",
    "surpluses",
    "ten",
    "tenth",
    "third",
    "thirteen",
    "thirteenth",
    "thirtieth",
    "thirty",
    "thousand",
    "thousands",
    "thousandth",
    "three",
    "thursday",
    "tn",
    "today",
    "tomorrow",
    "tonight",
    "treble",
    "trillion",
    "triple",
    "tripled",
    "trln",
    "trn",
    "tuesday",
    "twelfth",
    "twelve",
    "twentieth",
    "twenty",
    "twice",
    "two",
    "up",
    "wednesday",
    "yesterday",
    "zero",
];

/// True when a word in lower case (its key) can start a value.
pub(super) fn in_lexicon(key: u64) -> bool {
    static KEYS: OnceLock<KeySet> = OnceLock::new();
    KEYS.get_or_init(|| {
        LEXICON
            .iter()
            .map(|w| text::word_key(w.as_bytes()))
            .collect()
    })
    .contains(&key)
}

pub(super) fn small_number(w: &str) -> Option<u32> {
    Some(match w {
        "zero" | "nil" => 0,
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        _ => return None,
    })
}

pub(super) fn tens(w: &str) -> Option<u32> {
    Some(match w {
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        _ => return None,
    })
}

pub(super) fn ordinal_word(w: &str) -> Option<u32> {
    Some(match w {
        "first" => 1,
        "second" => 2,
        "third" => 3,
        "fourth" => 4,
        "fifth" => 5,
        "sixth" => 6,
        "seventh" => 7,
        "eighth" => 8,
        "ninth" => 9,
        "tenth" => 10,
        "eleventh" => 11,
        "twelfth" => 12,
        "thirteenth" => 13,
        "fourteenth" => 14,
        "fifteenth" => 15,
        "sixteenth" => 16,
        "seventeenth" => 17,
        "eighteenth" => 18,
        "nineteenth" => 19,
        "twentieth" => 20,
        "thirtieth" => 30,
        "fortieth" => 40,
        "fiftieth" => 50,
        "sixtieth" => 60,
        "seventieth" => 70,
        "eightieth" => 80,
        "ninetieth" => 90,
        "hundredth" => 100,
        "thousandth" => 1000,
        "millionth" => 1_000_000,
        _ => return None,
    })
}

/// Scale words after a number (`mln`, `billion`), and as a suffix (`1bn`).
pub(super) fn scale_word(w: &str) -> Option<f64> {
    Some(match w {
        "thousand" | "k" => 1e3,
        "lakh" | "lakhs" => 1e5,
        "crore" | "crores" => 1e7,
        "million" | "mln" | "mn" | "mio" | "m" => 1e6,
        "billion" | "bln" | "bn" | "b" => 1e9,
        "trillion" | "trln" | "tn" | "trn" => 1e12,
        _ => return None,
    })
}

/// Round amounts in words: "dozens", "hundreds of", "a few thousand" stay
/// vague.
pub(super) fn vague_word(w: &str) -> Option<f64> {
    Some(match w {
        "dozens" => 12.0,
        "hundreds" => 1e2,
        "thousands" => 1e3,
        "millions" => 1e6,
        "billions" => 1e9,
        _ => return None,
    })
}

/// Multipliers in words.
pub(super) fn times_word(w: &str) -> Option<f64> {
    Some(match w {
        "twice" | "double" | "doubled" => 2.0,
        "triple" | "tripled" | "treble" => 3.0,
        "quadruple" | "quadrupled" => 4.0,
        _ => return None,
    })
}

/// A unit word (or suffix): its base unit and the factor to it.
pub(super) fn unit_word(w: &str) -> Option<(&'static str, f64)> {
    Some(match w {
        "percent" | "pct" | "per-cent" => ("%", 1.0),
        "dlrs" | "dlr" | "dollars" | "dollar" | "usd" => ("$", 1.0),
        "cts" | "cents" | "cent" => ("$", 0.01),
        "pounds" | "pound" | "stg" | "sterling" | "gbp" => ("£", 1.0),
        "pence" => ("£", 0.01),
        "euros" | "euro" | "eur" => ("€", 1.0),
        "yen" | "jpy" => ("¥", 1.0),
        "yuan" | "renminbi" | "rmb" => ("yuan", 1.0),
        "g" | "gm" | "gms" | "gram" | "grams" | "gramme" | "grammes" => ("g", 1.0),
        "mg" | "milligram" | "milligrams" | "milligramme" | "milligrammes" => ("g", 0.001),
        "kg" | "kgs" | "kilo" | "kilos" | "kilogram" | "kilograms" | "kilogramme"
        | "kilogrammes" => ("g", 1e3),
        "tonne" | "tonnes" | "ton" | "tons" | "t" => ("g", 1e6),
        "lb" | "lbs" => ("lb", 1.0),
        "oz" | "ounce" | "ounces" => ("oz", 1.0),
        "km" | "kms" | "kilometre" | "kilometres" | "kilometer" | "kilometers" => ("m", 1e3),
        "metre" | "metres" | "meter" | "meters" => ("m", 1.0),
        "cm" | "centimetre" | "centimetres" | "centimeter" | "centimeters" => ("m", 0.01),
        "mm" | "millimetre" | "millimetres" | "millimeter" | "millimeters" => ("m", 0.001),
        "mile" | "miles" | "mi" => ("mi", 1.0),
        "ft" | "foot" | "feet" => ("ft", 1.0),
        "inch" | "inches" => ("in", 1.0),
        "acre" | "acres" => ("acre", 1.0),
        "hectare" | "hectares" | "ha" => ("ha", 1.0),
        "litre" | "litres" | "liter" | "liters" => ("l", 1.0),
        "ml" | "millilitre" | "millilitres" | "milliliter" | "milliliters" => ("l", 0.001),
        "barrel" | "barrels" | "bbl" | "bbls" => ("bbl", 1.0),
        "gallon" | "gallons" => ("gal", 1.0),
        "mph" => ("mph", 1.0),
        "kph" => ("kph", 1.0),
        "seconds" | "secs" | "sec" => ("s", 1.0),
        "minute" | "minutes" | "mins" | "min" => ("s", 60.0),
        "hour" | "hours" | "hrs" | "hr" => ("s", 3600.0),
        "day" | "days" => ("s", 86400.0),
        "week" | "weeks" | "wks" => ("s", 604_800.0),
        "month" | "months" | "mths" | "mos" => ("mo", 1.0),
        "quarter" | "quarters" | "qtr" | "qtrs" => ("mo", 3.0),
        "year" | "years" | "yrs" | "yr" => ("mo", 12.0),
        "decade" | "decades" => ("mo", 120.0),
        "century" | "centuries" => ("mo", 1200.0),
        "times" => ("x", 1.0),
        "degrees" | "degree" => ("deg", 1.0),
        "points" | "point" | "pts" => ("pt", 1.0),
        "bps" => ("pt", 0.01),
        _ => return None,
    })
}

/// The unit of a currency sign written before a number.
pub(super) fn currency_sign(gap: &str) -> Option<&'static str> {
    let g = gap.trim_end();
    if g.ends_with('$') {
        Some("$")
    } else if g.ends_with('£') {
        Some("£")
    } else if g.ends_with('€') {
        Some("€")
    } else if g.ends_with('¥') {
        Some("¥")
    } else {
        None
    }
}

/// The sign of a figure that a word gives.
pub(super) fn sign_word(w: &str) -> Option<(i8, bool)> {
    Some(match w {
        "profit" | "profits" | "surplus" | "surpluses" | "gain" | "gains" | "gained" | "rise"
        | "rises" | "rose" | "risen" | "rising" | "increase" | "increased" | "increases"
        | "increasing" | "climbed" | "climbs" | "jumped" | "jumps" | "grew" | "grows"
        | "growth" | "advanced" | "expanded" | "expansion" => (1, true),
        "loss" | "losses" | "deficit" | "deficits" | "fall" | "falls" | "fell" | "fallen"
        | "falling" | "decrease" | "decreased" | "decreases" | "decreasing" | "decline"
        | "declined" | "declines" | "declining" | "dropped" | "drops" | "shrank" | "shrunk"
        | "contracted" | "contraction" | "slumped" | "slipped" | "lost" => (-1, true),
        "up" | "higher" | "more" | "above" | "plus" | "positive" => (1, false),
        "down" | "lower" | "less" | "fewer" | "below" | "minus" | "negative" => (-1, false),
        _ => return None,
    })
}

/// Time zones and their offsets from UTC in minutes.
pub(super) fn zone(w: &str) -> Option<Option<i32>> {
    Some(Some(match w {
        "gmt" | "utc" | "z" => 0,
        "bst" | "cet" | "wat" => 60,
        "cest" | "eet" | "sast" => 120,
        "eest" | "msk" => 180,
        "est" => -300,
        "edt" | "cdt" => {
            if w == "edt" {
                -240
            } else {
                -300
            }
        }
        "cst" => -360,
        "mst" => -420,
        "mdt" => -360,
        "pst" => -480,
        "pdt" => -420,
        "jst" | "kst" => 540,
        "hkt" | "sgt" | "awst" => 480,
        "aest" => 600,
        "aedt" => 660,
        "local" => return Some(None),
        _ => return None,
    }))
}

pub(super) fn is_ampm(w: &str) -> Option<bool> {
    match w {
        "am" | "a.m" => Some(false),
        "pm" | "p.m" => Some(true),
        _ => None,
    }
}

/// Honorifics and titles: not names by themselves.
pub(super) fn is_title(w: &str) -> bool {
    matches!(
        w,
        "mr" | "mrs"
            | "ms"
            | "miss"
            | "dr"
            | "prof"
            | "professor"
            | "sir"
            | "dame"
            | "lord"
            | "lady"
            | "baroness"
            | "baron"
            | "president"
            | "vice"
            | "prime"
            | "minister"
            | "secretary"
            | "chancellor"
            | "senator"
            | "sen"
            | "rep"
            | "gov"
            | "governor"
            | "judge"
            | "justice"
            | "king"
            | "queen"
            | "prince"
            | "princess"
            | "gen"
            | "general"
            | "col"
            | "capt"
            | "rev"
            | "st"
            | "mayor"
            | "chairman"
            | "chief"
            | "the"
            | "company"
            | "co"
            | "corp"
            | "corporation"
            | "inc"
            | "plc"
            | "ltd"
            | "llc"
    )
}

/// Words that join the capitalised words of one name.
pub(super) fn is_connector(w: &str) -> bool {
    matches!(
        w,
        "of" | "for"
            | "the"
            | "de"
            | "del"
            | "della"
            | "da"
            | "di"
            | "van"
            | "von"
            | "der"
            | "den"
            | "al"
            | "bin"
            | "la"
            | "le"
            | "du"
            | "des"
            | "on"
    )
}
