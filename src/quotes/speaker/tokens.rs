//! The text around a quote as tokens: each word with the punctuation
//! around it, and what that punctuation says (a clause or sentence end).

use super::words::{
    ADVERBS, DOTTED, INSTITUTION_WORDS, NOT_NAMES, PARTICIPLES, PRONOUNS, SPEECH_VERBS, TITLE_WORDS,
};

/// A whitespace-separated piece of text: its word and the punctuation
/// around it.
#[derive(Clone, Copy, Debug)]
pub(super) struct Tok<'a> {
    pub(super) lead: &'a str,
    pub(super) word: &'a str,
    pub(super) trail: &'a str,
    /// [`VERB`] and [`PARTICIPLE`], found once when the token is made:
    /// the attribution rules ask for them of every word many times.
    kind: u8,
}

/// A speech verb (see [`Tok::is_verb`]).
const VERB: u8 = 1;
/// A participle of a speech verb (see [`Tok::is_participle`]).
const PARTICIPLE: u8 = 2;

impl Tok<'_> {
    pub(super) fn lower(&self) -> String {
        self.word.to_lowercase()
    }

    /// Whether the word is one of `list` (lower-case ASCII words), in any
    /// case; without allocating, as it is asked for every word many times.
    pub(super) fn is(&self, list: &[&str]) -> bool {
        list.iter().any(|w| self.word.eq_ignore_ascii_case(w))
    }

    /// Weekdays and months are capitalised but name no one: they do not
    /// stop a speaker from carrying over to the next quote of a paragraph.
    pub(super) fn is_calendar(&self) -> bool {
        let w = self.lower();
        crate::text::is_weekday(&w) || crate::text::is_month(&w)
    }

    pub(super) fn is_capitalised(&self) -> bool {
        self.word.chars().next().is_some_and(char::is_uppercase)
    }

    pub(super) fn is_title(&self) -> bool {
        self.is(TITLE_WORDS) || self.is(INSTITUTION_WORDS)
    }

    /// True for a title or an initial whose full stop is no punctuation
    /// (`Dr.`, `J.`).
    pub(super) fn is_abbreviation(&self) -> bool {
        let single_initial = {
            let mut cs = self.word.chars();
            matches!((cs.next(), cs.next()), (Some(c), None) if c.is_uppercase())
        };
        self.trail == "." && (single_initial || self.is(DOTTED))
    }

    /// Punctuation after the word that separates it from the next one.
    pub(super) fn breaks_after(&self) -> bool {
        !self.is_abbreviation()
            && self
                .trail
                .chars()
                .any(|c| matches!(c, ',' | '.' | ';' | ':' | '!' | '?' | ')' | ']' | '—' | '–'))
    }

    /// Punctuation before the word that separates it from the previous one.
    pub(super) fn breaks_before(&self) -> bool {
        self.lead
            .chars()
            .any(|c| matches!(c, '(' | '[' | '—' | '–'))
    }

    /// A speech verb: lower-case, so that `the United States` or `Says
    /// Farm` is no verb.
    pub(super) fn is_verb(&self) -> bool {
        self.kind & VERB != 0
    }

    pub(super) fn is_participle(&self) -> bool {
        self.kind & PARTICIPLE != 0
    }

    /// A possessive (`Russia's`, `Jones'`).
    pub(super) fn is_possessive(&self) -> bool {
        let w = self.word;
        w.ends_with("'s")
            || w.ends_with("’s")
            || (w.ends_with('s') && self.trail.starts_with(['\'', '’']))
    }

    /// The word without a possessive ending.
    pub(super) fn without_possessive(&self) -> &str {
        self.word
            .strip_suffix("'s")
            .or_else(|| self.word.strip_suffix("’s"))
            .unwrap_or(self.word)
    }

    pub(super) fn is_adverb(&self) -> bool {
        let w = self.word;
        self.lead.is_empty()
            && !self.breaks_after()
            && (self.is(ADVERBS) || (w.len() > 4 && w.ends_with("ly") && !self.is_capitalised()))
    }

    pub(super) fn ends_sentence(&self) -> bool {
        !self.is_abbreviation() && self.trail.chars().any(|c| matches!(c, '.' | '!' | '?'))
    }

    /// True for a capitalised word that may name someone: not a pronoun,
    /// a sentence-opening determiner or conjunction, a weekday or a month.
    pub(super) fn may_name_someone(&self) -> bool {
        self.is_capitalised() && !self.is(PRONOUNS) && !self.is(NOT_NAMES) && !self.is_calendar()
    }
}

/// A cheap test that a word may be one of [`SPEECH_VERBS`] or
/// [`PARTICIPLES`]: 3 to 12 letters, ending in one of the letters they end
/// in (a test below keeps the lists to it).
fn may_be_verb(word: &str) -> bool {
    (3..=12).contains(&word.len())
        && matches!(
            word.as_bytes()[word.len() - 1].to_ascii_lowercase(),
            b'd' | b'e' | b'g' | b's' | b'y'
        )
}

pub(super) fn tokens(s: &str) -> Vec<Tok<'_>> {
    let mut out = Vec::with_capacity(s.len() / 5 + 1);
    out.extend(tokens_of(s));
    out
}

fn tokens_of(s: &str) -> impl Iterator<Item = Tok<'_>> {
    s.split_whitespace().flat_map(split_glued_verb).map(|raw| {
        let start = raw
            .char_indices()
            .find(|(_, c)| c.is_alphanumeric())
            .map_or(raw.len(), |(i, _)| i);
        let end = raw
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_alphanumeric())
            .map_or(start, |(i, c)| i + c.len_utf8());
        // A `?` glued to a word stands for a character the text lost
        // (`"...,"?said Ola Berg`), not a question mark.
        let lead = &raw[..start];
        let lead = if lead.bytes().all(|b| b == b'?') {
            ""
        } else {
            lead
        };
        let word = &raw[start..end];
        let mut trail = &raw[end..];
        // `D-Calif.,`, `Jr.,`: the full stop of an abbreviation, then a
        // comma, is the comma (no sentence ends there).
        if trail == ".," && is_dotted(word) {
            trail = &trail[1..];
        }
        let mut tok = Tok {
            lead,
            word,
            trail,
            kind: 0,
        };
        if tok.lead.is_empty() && !tok.is_capitalised() && may_be_verb(word) {
            if tok.is(SPEECH_VERBS) {
                tok.kind |= VERB;
            } else if tok.is(PARTICIPLES) {
                tok.kind |= PARTICIPLE;
            }
        }
        tok
    })
}

/// A word written with a full stop of abbreviation: an initial, a title
/// (`Gen.`, `Jr.`), a US party and state (`D-Calif.`).
fn is_dotted(word: &str) -> bool {
    let mut cs = word.chars();
    match (cs.next(), cs.next(), cs.next()) {
        (Some(c), None, _) => c.is_uppercase(),
        (Some('D' | 'R' | 'I'), Some('-'), Some(c)) => c.is_uppercase(),
        _ => DOTTED.iter().any(|d| word.eq_ignore_ascii_case(d)),
    }
}

/// Two words glued by a lost space or line break that the text shows as
/// a dash (`Rusk-told`, `said-Israel`, `Migration-has`, `on-Sunday`), as
/// two words: a dash at which one side is a speech verb or a word of a
/// closed class (`has`, `on`, `the`) is no hyphen of a compound
/// (`Saudi-led`, `Jean-Yves` stay whole).
pub(super) fn split_glued_verb(raw: &str) -> impl Iterator<Item = &str> {
    let glue = |w: &str| SPEECH_VERBS.contains(&w) || GLUE_WORDS.contains(&w);
    let split = raw.rfind('-').filter(|&h| {
        h > 0 && h + 1 < raw.len() && {
            let after = raw[h + 1..].trim_end_matches(|c: char| !c.is_alphanumeric());
            // `IOM,--said`: a double dash.
            let head = raw[..h].trim_end_matches('-');
            let before = head.trim_matches(|c: char| !c.is_alphanumeric());
            // `spokesman,-said`: punctuation before the dash.
            let punct = head.ends_with([',', '.', ';', ':']);
            !after.is_empty() && !before.contains('-') && (glue(after) || glue(before) || punct)
        }
    });
    let (a, b) = match split {
        Some(h) => (&raw[..h], Some(&raw[h + 1..])),
        None => (raw, None),
    };
    std::iter::once(a).chain(b)
}

/// Closed-class words that no compound ends or starts with, for
/// [`split_glued_verb`].
const GLUE_WORDS: &[&str] = &[
    "has", "have", "had", "is", "was", "were", "are", "will", "would", "the", "on", "in", "at",
    "of", "to", "for", "and", "but", "that", "who", "which",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_verb_passes_the_cheap_test() {
        for w in SPEECH_VERBS.iter().chain(PARTICIPLES) {
            assert!(may_be_verb(w), "{w}");
        }
        assert!(tokens("Ola Berg said").iter().any(Tok::is_verb));
        assert!(!tokens("Ola Berg Said").iter().any(Tok::is_verb));
    }
}
