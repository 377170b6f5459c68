//! Speaker attribution: who the text says spoke a quote.
//!
//! Only the words around a quote in its own sentence are looked at (before
//! the opening mark, back to the sentence start or the previous quote; after
//! the closing mark, up to the paragraph end or the next quote). Recognised
//! patterns, with `VERB` one of a list of speech verbs (`said`, `noted`,
//! `added`, `stated`, `told`, `emphasized`, `stressed`, `warned`,
//! `explained`, `argued`, `wrote`, `asked`, `clarified`, `affirmed`,
//! `declared`, `insisted` and more):
//!
//! * `X VERB "..."`, `X VERB, "..."`, `X VERB: "..."`, `X VERB that "..."`,
//!   `X VERB in her response that "..."` (a short complement is allowed);
//! * `according to X, "..."`;
//! * `X: "..."` when `X` is the whole clause before the colon;
//! * `"...," X VERB.`, `"...," said X.`, optionally with a short complement
//!   (`"...," X said in a statement.`) — but not `"...," X VERB that ...`,
//!   where the verb introduces reported speech rather than the quote.
//!
//! `X` is a capitalised noun phrase, kept as written (titles included, as in
//! `National Missions Minister Orit Strock`), with connecting words inside
//! (`Minister of the Interior`) and a leading determiner (`the`) dropped,
//! so `the Prime Minister's Office` gives `Prime Minister's Office`. An
//! appositive between commas is skipped (`Strock, the minister, said`).
//! When the subject is a pronoun or a lower-case noun phrase (`he`,
//! `officials`) the speaker stays unknown: nothing is guessed.

use super::Quote;
use crate::text::{Span, normalize, paragraphs};

/// Verbs that introduce or follow a direct quote.
const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "noted",
    "notes",
    "added",
    "adds",
    "stated",
    "states",
    "told",
    "tells",
    "emphasized",
    "emphasised",
    "emphasizes",
    "emphasises",
    "stressed",
    "stresses",
    "warned",
    "warns",
    "explained",
    "explains",
    "argued",
    "argues",
    "wrote",
    "writes",
    "asked",
    "asks",
    "clarified",
    "clarifies",
    "affirmed",
    "affirms",
    "declared",
    "declares",
    "insisted",
    "insists",
    "replied",
    "replies",
    "responded",
    "continued",
    "concluded",
    "commented",
    "remarked",
    "announced",
    "claimed",
    "claims",
    "maintained",
    "acknowledged",
    "admitted",
    "observed",
    "recalled",
    "urged",
    "vowed",
    "confirmed",
    "reiterated",
    "underlined",
    "underscored",
    "tweeted",
    "posted",
    "shouted",
    "exclaimed",
    "cried",
    "whispered",
    "quipped",
];

/// Verbs whose object may follow them before the end (`told reporters.`).
const VERBS_WITH_OBJECT: &[&str] = &["told", "tells", "asked", "asks", "urged"];

/// Subjects that name nobody.
const PRONOUNS: &[&str] = &[
    "he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "us", "who", "this",
];

/// Words that may stand between a subject and its verb.
const ADVERBS: &[&str] = &[
    "also",
    "further",
    "then",
    "again",
    "later",
    "previously",
    "once",
    "has",
    "had",
    "have",
    "was",
    "would",
    "will",
    "earlier",
    "subsequently",
];

/// Lower-case words allowed inside a name (`Minister of the Interior`).
const CONNECTORS: &[&str] = &[
    "of", "the", "for", "de", "del", "da", "di", "al", "el", "bin", "ben", "van", "von", "der",
    "den", "la", "le", "du",
];

/// Capitalised words that start a sentence rather than a name; dropped from
/// the front of a noun phrase.
const NOT_NAMES: &[&str] = &[
    "the",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "yesterday",
    "today",
    "tonight",
    "later",
    "earlier",
    "meanwhile",
    "however",
    "also",
    "then",
    "but",
    "and",
    "so",
    "when",
    "after",
    "before",
    "as",
    "in",
    "on",
    "at",
    "for",
    "while",
    "if",
    "speaking",
    "responding",
];

/// Words that may follow a speech verb after a quote (`said in a
/// statement`, `said on Tuesday`).
const COMPLEMENT_STARTS: &[&str] = &[
    "in",
    "on",
    "at",
    "during",
    "after",
    "before",
    "to",
    "from",
    "via",
    "while",
    "when",
    "as",
    "later",
    "earlier",
    "yesterday",
    "today",
    "last",
    "this",
    "again",
];

/// Abbreviations whose full stop does not end a sentence.
const DOTTED: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "col", "lt", "sgt", "capt", "st",
    "jr", "sr", "rev", "hon", "u.s", "u.k", "u.n", "e.u",
];

/// Final words of institutions: `Foreign Ministry` and `Defense Ministry`
/// share a last word but are different speakers.
const INSTITUTION_WORDS: &[&str] = &[
    "office",
    "ministry",
    "department",
    "party",
    "government",
    "committee",
    "council",
    "agency",
    "house",
    "court",
    "forces",
    "army",
    "police",
    "service",
    "union",
    "bank",
    "commission",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "minister",
    "president",
];

/// A whitespace-separated piece of text: its word and the punctuation
/// around it.
#[derive(Clone, Copy, Debug)]
struct Tok<'a> {
    lead: &'a str,
    word: &'a str,
    trail: &'a str,
}

impl Tok<'_> {
    fn lower(&self) -> String {
        self.word.to_lowercase()
    }

    fn is(&self, list: &[&str]) -> bool {
        list.contains(&self.lower().as_str())
    }

    fn is_capitalised(&self) -> bool {
        self.word.chars().next().is_some_and(char::is_uppercase)
    }

    /// True for a title or an initial whose full stop is no punctuation
    /// (`Dr.`, `J.`).
    fn is_abbreviation(&self) -> bool {
        let single_initial = {
            let mut cs = self.word.chars();
            matches!((cs.next(), cs.next()), (Some(c), None) if c.is_uppercase())
        };
        self.trail == "." && (single_initial || self.is(DOTTED))
    }

    /// Punctuation after the word that separates it from the next one.
    fn breaks_after(&self) -> bool {
        !self.is_abbreviation()
            && self
                .trail
                .chars()
                .any(|c| matches!(c, ',' | '.' | ';' | ':' | '!' | '?' | ')' | ']' | '—' | '–'))
    }

    /// Punctuation before the word that separates it from the previous one.
    fn breaks_before(&self) -> bool {
        self.lead
            .chars()
            .any(|c| matches!(c, '(' | '[' | '—' | '–'))
    }

    fn is_verb(&self) -> bool {
        self.lead.is_empty() && self.is(SPEECH_VERBS)
    }

    fn is_adverb(&self) -> bool {
        let l = self.lower();
        self.lead.is_empty()
            && !self.breaks_after()
            && (ADVERBS.contains(&l.as_str())
                || (l.len() > 4 && l.ends_with("ly") && !self.is_capitalised()))
    }

    fn ends_sentence(&self) -> bool {
        !self.is_abbreviation() && self.trail.chars().any(|c| matches!(c, '.' | '!' | '?'))
    }
}

fn tokens(s: &str) -> Vec<Tok<'_>> {
    s.split_whitespace()
        .map(|raw| {
            let start = raw
                .char_indices()
                .find(|(_, c)| c.is_alphanumeric())
                .map_or(raw.len(), |(i, _)| i);
            let end = raw
                .char_indices()
                .rev()
                .find(|(_, c)| c.is_alphanumeric())
                .map_or(start, |(i, c)| i + c.len_utf8());
            Tok {
                lead: &raw[..start],
                word: &raw[start..end],
                trail: &raw[end..],
            }
        })
        .collect()
}

/// What the words on one side of a quote say about its speaker.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Found {
    Name(String),
    Pronoun,
    Nothing,
}

/// The name formed by `toks[start..=end]`, without leading non-name words.
fn name(toks: &[Tok], start: usize, end: usize) -> Found {
    let mut s = start;
    while s < end && (toks[s].is(NOT_NAMES) || toks[s].is(CONNECTORS)) {
        s += 1;
    }
    if !toks[s].is_capitalised() || toks[s].is(NOT_NAMES) {
        return Found::Nothing;
    }
    let mut out = String::new();
    for (k, t) in toks[s..=end].iter().enumerate() {
        if k > 0 {
            out.push(' ');
        }
        out.push_str(t.word);
        if t.is_abbreviation() {
            out.push('.');
        }
    }
    Found::Name(out)
}

/// The capitalised noun phrase ending at `toks[end]` (whose own trailing
/// punctuation is ignored).
fn np_backward(toks: &[Tok], end: usize) -> Found {
    if toks[end].is(PRONOUNS) {
        return Found::Pronoun;
    }
    let mut start = None;
    let mut i = end;
    loop {
        let t = toks[i];
        if i < end && t.breaks_after() {
            break;
        }
        if t.is_capitalised() {
            start = Some(i);
        } else if !(i < end && t.is(CONNECTORS)) {
            break;
        }
        if t.breaks_before() || i == 0 || end - i >= 8 {
            break;
        }
        i -= 1;
    }
    match start {
        Some(s) => name(toks, s, end),
        None => Found::Nothing,
    }
}

/// The capitalised noun phrase starting at `toks[from]` (after an optional
/// determiner), and the index of its last token.
fn np_forward(toks: &[Tok], from: usize) -> Option<(Found, usize)> {
    let mut s = from;
    while s < toks.len() && toks[s].is(&["the", "a", "an"]) && !toks[s].breaks_after() {
        s += 1;
    }
    let first = toks.get(s)?;
    if first.is(PRONOUNS) {
        return Some((Found::Pronoun, s));
    }
    if !first.is_capitalised() || first.breaks_before() {
        return None;
    }
    let mut end = s;
    let mut j = s;
    while !toks[j].breaks_after() && j + 1 < toks.len() && j - s < 8 {
        let t = toks[j + 1];
        if t.breaks_before() {
            break;
        }
        if t.is_capitalised() {
            end = j + 1;
        } else if !t.is(CONNECTORS) {
            break;
        }
        j += 1;
    }
    Some((name(toks, s, end), end))
}

/// Whether the words after a speech verb before a quote lead into it:
/// nothing (`said "`), `that`, or a short complement ending in `:` or `,`
/// or `that` (`noted in her response that "`).
fn leads_into_quote(verb: &Tok, tail: &[Tok]) -> bool {
    let Some(last) = tail.last() else {
        return verb.trail.is_empty() || verb.trail.contains([':', ',']);
    };
    if tail.len() > 5 {
        return false;
    }
    let inner_ok = tail[..tail.len() - 1]
        .iter()
        .all(|t| !t.breaks_after() && !t.is_verb() && t.lower() != "that");
    let last_ok = (last.lower() == "that" && last.trail.is_empty())
        || (last.trail.contains([':', ',']) && !last.is_verb());
    inner_ok && last_ok
}

/// The subject of the speech verb at `toks[v]`.
fn subject_before(toks: &[Tok], v: usize) -> Found {
    let mut i = v;
    while i > 0 && toks[i - 1].is_adverb() {
        i -= 1;
    }
    if i == 0 {
        return Found::Nothing;
    }
    let s = i - 1;
    let t = toks[s];
    if t.breaks_after() {
        // An appositive: `Strock, the minister, said`.
        if t.trail.starts_with(',') && !t.is(PRONOUNS) {
            let opening = (s.saturating_sub(10)..s)
                .rev()
                .find(|&k| toks[k].trail.starts_with(','));
            if let Some(k) = opening {
                return np_backward(toks, k);
            }
        }
        return Found::Nothing;
    }
    np_backward(toks, s)
}

/// Attribution from the words before a quote, in its sentence.
fn before(toks: &[Tok]) -> Found {
    let start = toks
        .iter()
        .rposition(Tok::ends_sentence)
        .map_or(0, |i| i + 1);
    let toks = &toks[start..];
    let n = toks.len();
    if n == 0 {
        return Found::Nothing;
    }
    // according to X, "..."
    if let Some(k) = (0..n.saturating_sub(2))
        .rev()
        .find(|&k| toks[k].lower() == "according" && toks[k + 1].lower() == "to")
        && let Some((found, end)) = np_forward(toks, k + 2)
        && end == n - 1
    {
        return found;
    }
    // X VERB (that) "..."
    if let Some(v) = (n.saturating_sub(7)..n).rev().find(|&v| toks[v].is_verb()) {
        if leads_into_quote(&toks[v], &toks[v + 1..]) {
            return subject_before(toks, v);
        }
        return Found::Nothing;
    }
    // X: "..."
    if toks[n - 1].trail.contains(':') {
        let found = np_backward(toks, n - 1);
        let whole = toks[..n - 1]
            .iter()
            .all(|t| t.is_capitalised() || t.is(CONNECTORS) || t.is(NOT_NAMES));
        if whole && !toks[..n - 1].iter().any(Tok::breaks_after) {
            return found;
        }
    }
    Found::Nothing
}

/// Whether the words after a speech verb that follows a quote end its
/// clause (`added.`, `said in a statement.`), rather than introduce
/// reported speech (`stated that the government ...`) or the next quote.
fn closes_clause(toks: &[Tok], v: usize, ends_at_quote: bool) -> bool {
    let verb = toks[v];
    if verb.breaks_after() {
        return !verb.trail.contains(':');
    }
    let rest = &toks[v + 1..];
    let Some(first) = rest.first() else {
        return !ends_at_quote;
    };
    let complement = verb.is(VERBS_WITH_OBJECT)
        || first.is(COMPLEMENT_STARTS)
        || (first.lower().ends_with("ly") && !first.is_capitalised());
    if !complement {
        return false;
    }
    for t in rest.iter().take(6) {
        if t.lower() == "that" || t.is_verb() {
            return false;
        }
        if t.breaks_after() {
            return !t.trail.contains(':');
        }
    }
    rest.len() <= 6 && !ends_at_quote
}

/// Attribution from the words after a quote, up to the end of its clause.
fn after(toks: &[Tok], ends_at_quote: bool) -> Found {
    let i = toks.iter().position(|t| !t.word.is_empty());
    let Some(i) = i else {
        return Found::Nothing;
    };
    let n = toks.len();
    let t0 = toks[i];
    // "...," said X.
    if t0.is_verb() && !t0.breaks_after() {
        return match np_forward(toks, i + 1) {
            Some((found, _)) => found,
            None => Found::Nothing,
        };
    }
    // "...," X said.
    let Some((found, end)) = np_forward(toks, i) else {
        return Found::Nothing;
    };
    let mut j = end + 1;
    if toks[end].breaks_after() {
        let appositive = toks[end].trail.starts_with(',') && found != Found::Pronoun;
        let closing = (end + 1..n.min(end + 11)).find(|&k| toks[k].trail.starts_with(','));
        match (appositive, closing) {
            (true, Some(k)) => j = k + 1,
            _ => return Found::Nothing,
        }
    }
    while j < n && toks[j].is_adverb() {
        j += 1;
    }
    if j < n && toks[j].is_verb() && closes_clause(toks, j, ends_at_quote) {
        found
    } else {
        Found::Nothing
    }
}

/// Sets the `speaker` of each quote of `text` where the text names one.
///
/// `quotes` must be the outermost quotes of `text`, in order (as
/// [`extract`](super::extract) returns them; it calls this already).
/// A quote whose speaker is a pronoun or is not named gets `None`.
pub fn attribute(text: &str, quotes: &mut [Quote]) {
    let paras = paragraphs(text);
    let para_of = |at: usize| -> Span {
        // Paragraphs are in order: the last one starting at or before `at`.
        let k = paras.partition_point(|p| p.start <= at);
        k.checked_sub(1)
            .map(|k| paras[k])
            .filter(|p| at < p.end)
            .unwrap_or(Span::new(0, text.len()))
    };
    let speakers: Vec<Option<String>> = (0..quotes.len())
        .map(|i| {
            let q = &quotes[i];
            let first = para_of(q.outer.start);
            let mut lo = first.start;
            if i > 0 {
                lo = lo.max(quotes[i - 1].outer.end);
            }
            let lo = lo.min(q.outer.start);
            let last = para_of(q.outer.end.saturating_sub(1));
            let next = quotes.get(i + 1).map(|n| n.outer.start);
            let ends_at_quote = next.is_some_and(|s| s < last.end);
            let hi = next
                .filter(|&s| s < last.end)
                .unwrap_or(last.end)
                .max(q.outer.end);
            let hi = hi.min(text.len());
            let b = before(&tokens(&text[lo..q.outer.start]));
            let a = after(&tokens(&text[q.outer.end..hi]), ends_at_quote);
            match (b, a) {
                (Found::Name(n), _) | (_, Found::Name(n)) => Some(n),
                _ => None,
            }
        })
        .collect();
    for (q, s) in quotes.iter_mut().zip(speakers) {
        q.speaker = s;
    }
}

/// The words of a speaker's name for comparison: normalised, without a
/// leading `the`.
fn name_words(s: &str) -> Vec<String> {
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
fn initials(s: &str) -> String {
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
    use crate::quotes::extract;

    /// The speaker of the first quote of `text`.
    fn speaker(text: &str) -> Option<String> {
        extract(text).quotes.first().and_then(|q| q.speaker.clone())
    }

    /// The speaker of the quote starting with `start`.
    fn speaker_of(text: &str, start: &str) -> Option<String> {
        let scan = extract(text);
        let q = scan
            .quotes
            .iter()
            .find(|q| q.span.slice(text).starts_with(start))
            .unwrap_or_else(|| panic!("no quote starting {start:?}"));
        q.speaker.clone()
    }

    fn some(s: &str) -> Option<String> {
        Some(s.to_string())
    }

    #[test]
    fn name_said_comma() {
        assert_eq!(
            speaker("Orit Strock said, \"We stand firm.\""),
            some("Orit Strock")
        );
    }

    #[test]
    fn quote_then_name_said() {
        assert_eq!(speaker("\"We stand firm,\" Strock said."), some("Strock"));
        assert_eq!(speaker("“We stand firm,” Strock added."), some("Strock"));
        assert_eq!(
            speaker("\"We stand firm,\" Strock said in a statement on Monday."),
            some("Strock")
        );
    }

    #[test]
    fn quote_then_said_name() {
        assert_eq!(
            speaker("\"We stand firm,\" said the Prime Minister's Office."),
            some("Prime Minister's Office")
        );
        assert_eq!(speaker("\"We stand firm,\" said he."), None);
        assert_eq!(
            speaker("\"Stop!\" shouted Netanyahu. \"Now!\""),
            some("Netanyahu")
        );
    }

    #[test]
    fn each_speech_verb_with_that() {
        for verb in [
            "noted",
            "added",
            "stated",
            "told",
            "emphasized",
            "stressed",
            "warned",
            "explained",
            "argued",
            "wrote",
            "asked",
            "clarified",
            "affirmed",
            "declared",
            "insisted",
            "said",
        ] {
            let t = format!("MK Simon Moshiashvili {verb} that \"this is the only one.\"");
            assert_eq!(speaker(&t), some("MK Simon Moshiashvili"), "{verb}");
            let t = format!("Strock {verb} \"this is the only one.\"");
            assert_eq!(speaker(&t), some("Strock"), "{verb}");
        }
    }

    #[test]
    fn verb_with_complement() {
        assert_eq!(
            speaker("Strock noted in her response that \"dialogue continues.\""),
            some("Strock")
        );
        assert_eq!(
            speaker("Strock told reporters: \"Dialogue continues.\""),
            some("Strock")
        );
    }

    #[test]
    fn according_to() {
        assert_eq!(
            speaker("According to Strock, \"Israel will continue.\""),
            some("Strock")
        );
        assert_eq!(
            speaker("according to the Foreign Ministry, “talks go on.”"),
            some("Foreign Ministry")
        );
        assert_eq!(speaker("According to him, \"talks go on.\""), None);
    }

    #[test]
    fn colon_after_noun_phrase() {
        assert_eq!(
            speaker("The Prime Minister's Office: \"Azerbaijan is a key ally.\""),
            some("Prime Minister's Office")
        );
        assert_eq!(
            speaker("the Prime Minister's Office said: \"Azerbaijan is a key ally.\""),
            some("Prime Minister's Office")
        );
        // A capitalised phrase at the end of a longer clause is no speaker.
        assert_eq!(
            speaker("He called for joining the Abraham Accords: \"This is the only one.\""),
            None
        );
    }

    #[test]
    fn pronouns_give_none() {
        assert_eq!(speaker("\"I seek my brothers,\" he added."), None);
        assert_eq!(
            speaker("She further emphasized that \"ties deepen.\""),
            None
        );
        assert_eq!(speaker("He noted that \"this is unique.\""), None);
        assert_eq!(speaker("\"Ties deepen,\" they said."), None);
    }

    #[test]
    fn lower_case_subject_gives_none() {
        assert_eq!(speaker("\"Ties deepen,\" officials said."), None);
        assert_eq!(speaker("the minister said: \"Ties deepen.\""), None);
    }

    #[test]
    fn appositive_is_skipped() {
        assert_eq!(
            speaker("Strock, the minister in charge, said: \"Ties deepen.\""),
            some("Strock")
        );
        assert_eq!(
            speaker("\"Ties deepen,\" Strock, the minister in charge, said."),
            some("Strock")
        );
    }

    #[test]
    fn verb_before_reported_speech_is_not_attribution() {
        let t = "On \"Upgrading the Alliance,\" Minister Orit Strock stated that the \
                 government agrees.";
        assert_eq!(speaker(t), None);
        let t = "On \"Upgrading the Alliance,\" the PMO emphasized that \"Azerbaijan is key.\"";
        assert_eq!(speaker_of(t, "Upgrading"), None);
        assert_eq!(speaker_of(t, "Azerbaijan"), some("PMO"));
    }

    #[test]
    fn other_sentences_are_not_looked_at() {
        assert_eq!(speaker("Strock said so. \"Ties deepen.\""), None);
        assert_eq!(
            speaker("Strock spoke to Mr. Smith. \"Ties deepen,\" said Dr. Jones."),
            some("Dr. Jones")
        );
    }

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
    }

    #[test]
    fn samples() {
        let read = |p: &str| crate::parse_plain_text(p, "x").text;
        let a = read(include_str!("../../samples/knesset-azerbaijan-newsaz.txt"));
        let b = read(include_str!("../../samples/knesset-azerbaijan-jns.txt"));
        assert_eq!(
            speaker_of(&a, "Azerbaijan is an important strategic ally"),
            some("PMO")
        );
        assert_eq!(speaker_of(&a, "Israel will continue"), some("Strock"));
        assert_eq!(speaker_of(&a, "These relationships align"), some("Strock"));
        assert_eq!(
            speaker_of(&a, "the relationship between"),
            some("National Missions Minister Orit Strock")
        );
        assert_eq!(speaker_of(&a, "Upgrading the Strategic"), None);
        assert_eq!(
            speaker_of(&b, "Azerbaijan is a key strategic ally"),
            some("Prime Minister's Office")
        );
        assert_eq!(speaker_of(&b, "I seek my brothers"), None);
        assert_eq!(speaker_of(&b, "Upgrading the Strategic"), None);
    }
}
