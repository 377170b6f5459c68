//! Speakers compared by person, not by spelling: `Strock` and `National
//! Missions Minister Orit Strock`, `PMO` and `Prime Minister's Office`.

use super::words::{INSTITUTION_WORDS, TITLE_WORDS};
use crate::text::normalize;

/// The words of a speaker's name for comparison: normalised, without a
/// leading `the`.
pub(super) fn name_words(s: &str) -> Vec<String> {
    let mut w: Vec<String> = normalize(s)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    if w.len() > 1 && w[0] == "the" {
        w.remove(0);
    }
    w
}

/// Initials of the capitalised words of a name (`Prime Minister's Office`
/// gives `PMO`).
pub(super) fn initials(s: &str) -> String {
    s.split_whitespace()
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_uppercase())
        .collect()
}

/// True when two speaker names may well be the same speaker: equal up to
/// case and a leading `the`; one a word-wise suffix of the other
/// (`Orit Strock` and `Strock`, `Minister Orit Strock` and `Orit Strock`);
/// the same last word unless it is an institution word like `Office`
/// (`Minister Strock` and `Orit Strock`); or one the acronym of the other
/// (`PMO` and `the Prime Minister's Office`).
///
/// ```
/// use neardiff::quotes::same_speaker;
/// assert!(same_speaker("Orit Strock", "Strock"));
/// assert!(same_speaker("PMO", "the Prime Minister's Office"));
/// assert!(!same_speaker("Strock", "Moshiashvili"));
/// ```
pub fn same_speaker(a: &str, b: &str) -> bool {
    let (wa, wb) = (name_words(a), name_words(b));
    if wa == wb {
        return true;
    }
    if wa.is_empty() || wb.is_empty() {
        return false;
    }
    let (short, long, short_raw, long_raw) = if wa.len() <= wb.len() {
        (&wa, &wb, a, b)
    } else {
        (&wb, &wa, b, a)
    };
    if long.ends_with(short) {
        return true;
    }
    let last = short.last().map(String::as_str).unwrap_or_default();
    if long.last().is_some_and(|l| l == last) && !INSTITUTION_WORDS.contains(&last) {
        return true;
    }
    // `Mr Najib` and `Prime Minister Najib Razak`: an honorific and the
    // name an outlet calls someone by, which need not be the last one.
    let honorific = ["mr", "mrs", "ms", "dr"];
    if short.len() == 2
        && honorific.contains(&short[0].as_str())
        && !long.iter().any(|w| honorific.contains(&w.as_str()))
        && long.len() >= 2
        && long[..long.len() - 1].contains(&short[1])
        && !TITLE_WORDS.contains(&short[1].as_str())
        && !INSTITUTION_WORDS.contains(&short[1].as_str())
    {
        return true;
    }
    let acronym: String = short_raw.trim().chars().filter(|&c| c != '.').collect();
    let long_raw = long_raw.trim();
    let long_raw = long_raw
        .strip_prefix("the ")
        .or_else(|| long_raw.strip_prefix("The "))
        .unwrap_or(long_raw);
    short.len() == 1
        && acronym.chars().count() >= 2
        && acronym.chars().all(char::is_uppercase)
        && initials(long_raw) == acronym
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speaker_equivalence() {
        assert!(same_speaker("Orit Strock", "Strock"));
        assert!(same_speaker(
            "National Missions Minister Orit Strock",
            "Orit Strock"
        ));
        assert!(same_speaker("Minister Strock", "Orit Strock"));
        assert!(same_speaker("the PMO", "PMO"));
        assert!(same_speaker("PMO", "Prime Minister's Office"));
        assert!(same_speaker(
            "Prime Minister’s Office",
            "the prime minister's office"
        ));
        assert!(!same_speaker(
            "Foreign Minister's Office",
            "Prime Minister's Office"
        ));
        assert!(!same_speaker("Strock", "Moshiashvili"));
        assert!(!same_speaker("PMO", "Foreign Ministry"));
        // By person, not by name.
        assert!(same_speaker("Mr Blair", "Tony Blair"));
        assert!(same_speaker("Mr Anwar", "Prime Minister Anwar Hisham"));
        assert!(!same_speaker("Mr Anwar", "Ola Berg"));
        assert!(!same_speaker("Mr Anwar", "Mrs Anwar Hisham"));
    }
}
