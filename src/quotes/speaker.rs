//! Speaker attribution: who the text says spoke a quote.
//!
//! Attribution works in two steps.
//!
//! **1. The quote's own attribution.** Only the words around a quote in its
//! own sentence are looked at (before the opening mark, back to the
//! sentence start or the previous quote; after the closing mark, up to the
//! paragraph end or the next quote). Recognised patterns, with `VERB` one
//! of a list of speech verbs (`said`, `noted`, `added`, `stated`, `told`,
//! `emphasized`, `stressed`, `warned`, `explained`, `argued`, `wrote`,
//! `asked`, `clarified`, `affirmed`, `declared`, `insisted` and more):
//!
//! * `X VERB "..."`, `X VERB, "..."`, `X VERB: "..."`, `X VERB that "..."`,
//!   `X VERB in her response that "..."`, `X wrote on social media: "..."`
//!   (a short complement is allowed);
//! * `according to X, "..."`, also `according to X of Y, "..."`;
//! * `X: "..."` when `X` is the whole clause before the colon;
//! * `"...," X VERB.`, `"...," said X.`, optionally with a short complement
//!   (`"...," X said in a statement.`, `"...," X wrote on social media.`)
//!   — but not `"...," X VERB that ...`, where the verb introduces
//!   reported speech rather than the quote;
//! * a lower-case role before the name, on either side of the quote:
//!   `"...," authority chief executive Marta Lindqvist told a meeting.`,
//!   `"...," said committee member Josef Hartmann.`;
//! * an appositive between commas, either way round: `X, the Y of Z,
//!   said`, `the company's project director, X, said`, `said the group's
//!   director, X.`, and a simple relative clause: `X, who chairs the
//!   association, said: "..."`.
//!
//! `X` is a capitalised noun phrase, kept as written: a *capitalised* title
//! stays part of it (`National Missions Minister Orit Strock`, `Laurian
//! Trade Minister Jonah Pell`), a *lower-case* one does not (`authority
//! chief executive Marta Lindqvist` gives `Marta Lindqvist`). Connecting
//! words inside are kept (`Minister of the Interior`) and a leading
//! determiner dropped, so `the Prime Minister's Office` gives `Prime
//! Minister's Office`. A trailing affiliation after a personal name is
//! dropped: `Josef Hartmann of the Civic List` gives `Josef Hartmann`
//! (it is context, not the speaker, and would keep `same_speaker` from
//! matching `Hartmann`), while `Minister of the Interior` or `Bank of
//! England` stay whole. A title cut in two by `and` (`Water and Coasts
//! Minister Helena Varga`) gives the name after the title (`Helena
//! Varga`).
//!
//! A subject that is a lower-case noun phrase names no one: an indefinite
//! or plural one (`officials said`, `a spokeswoman for the ministry said`)
//! leaves the speaker unknown, and a definite description (`the
//! harbourmaster said`, `the diplomat said`) refers back to the person in
//! focus (step 2), so that two outlets calling one person `Tierney` and
//! `the harbourmaster` do not look like a change of speaker.
//!
//! Also: `..., saying: "..."` and other participles (the sentence's
//! subject speaks); `said a statement by X` and `X's statement added`;
//! an organisation and a lower-case role before the person (`said Fenwick
//! Bank chief Asian strategist Ola Berg` gives `Ola Berg`); an owner before
//! a person (`Tarn Radio's Ola Berg` gives `Ola Berg`, while `Prime
//! Minister's Office` stays whole); long appositives (`Ola Berg, a lawyer
//! at the Tarn Centre, New York, said`, `Ida Brandt, 18, from Wexmoor
//! said`); and a quote inside a sentence that reports someone's words
//! (`X said the plan was "a farce"`, `X called it "a farce"`, `X dismissed
//! it and reiterated that it was "fake"`): the subject of the last speech
//! or reporting verb before it. A quote closed by a full stop (`"... the
//! end." Berg has vowed to ...`) takes no attribution from the words after
//! it.
//!
//! **2. The speaker the text is following.** News writing names a speaker
//! once and lets what follows lean on it. Going through the text in order,
//! the speaker *followed* is the last one named as speaking: in a quote's
//! own attribution, or as the subject of a speech verb in reported speech
//! (`Rusk said the talks went well.`, `according to Rusk`; the first such
//! subject of a sentence, so `Rusk said Berg had told him` is Rusk). The
//! person *in focus* is the same, or a person who has since been the
//! subject of a sentence without a speech verb (`Soltau rejected the
//! criticism.`), when the name looks like a person's: several words, a
//! speaker already named, or a surname the text gave earlier after a first
//! name or title.
//!
//! * a quote attributed to `he` or `she`, or to a definite description
//!   (`the diplomat said`, `the President said`, `Russia's envoy said`, `the
//!   statement said`), is by the person in focus;
//! * a quote that is a sentence of its own with no attribution (`"...," Rusk
//!   said. "We go on."`, the next paragraph of a quote) is by the speaker
//!   followed, also across paragraphs;
//! * a quote in the same sentence as the one before it (`had "much to
//!   discuss" and would "meet again"`) shares its speaker.
//!
//! Someone new and unnamed (`officials said`, `a spokeswoman for the
//! ministry said`, `One voter told reporters`) stops the following: the
//! quotes after it stay unknown until someone is named. So does an
//! attribution whose speaker is not found (`they said`, a subject the
//! rules cannot read), and a quote with no attribution does not go on
//! with the speaker past a sentence of narration (a wrong speaker is worse
//! than none). `they`, `we` and `it` are never resolved. Anything else
//! stays unknown: nothing is guessed.
//!
//! A speaker described but not named (`a spokesman for the ministry`, `One
//! voter`, `two officials`: a determiner, or a bare plural, and a
//! lower-case noun) is kept as the quote's
//! [`description`](super::Quote::description), for its quote and the quotes
//! that go on with its words; the speaker stays `None`.

mod refer;

use super::Quote;
use crate::text::{Span, normalize, paragraphs};
use refer::{Context, Referent, is_reference, resolve};

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

/// Participles of speech verbs: `..., saying: "..."` takes its speaker from
/// the subject of the sentence.
const PARTICIPLES: &[&str] = &[
    "saying",
    "adding",
    "telling",
    "writing",
    "noting",
    "stressing",
    "warning",
    "explaining",
    "insisting",
    "arguing",
    "declaring",
    "calling",
    "describing",
    "tweeting",
];

/// Verbs that report someone's words without introducing a whole quote:
/// the subject of `X called it "a farce"` or `X described it as
/// "aggressive"` is the speaker of the quoted words.
const REPORTING_VERBS: &[&str] = &[
    "called",
    "calls",
    "described",
    "describes",
    "accused",
    "accuses",
    "denied",
    "denies",
    "concluded",
    "condemned",
    "criticised",
    "criticized",
    "dismissed",
    "labelled",
    "labeled",
    "branded",
    "commended",
    "praised",
    "pledged",
    "promised",
    "predicted",
    "hailed",
    "expects",
    "expected",
    "apologised",
    "apologized",
    "billed",
];

/// Nouns for what speaks for its author: `a statement by X`, `X's
/// statement added`.
const STATEMENT_WORDS: &[&str] = &[
    "statement",
    "report",
    "letter",
    "tweet",
    "post",
    "message",
    "release",
    "communique",
    "remarks",
    "complaint",
    "ruling",
    "judgment",
    "lawsuit",
];

/// Determiners that make a description point back to someone already
/// named (`the diplomat said`, `his spokesman said`).
const DEFINITE: &[&str] = &["the", "his", "her", "its", "their"];

/// Prepositions whose object (a place) may run straight into a name:
/// `envoy in Geneva Alexei Rusk said`.
const PLACE_PREPOSITIONS: &[&str] = &["in", "at", "from"];

/// Verbs whose object may follow them before the end (`told reporters.`).
const VERBS_WITH_OBJECT: &[&str] = &["told", "tells", "asked", "asks", "urged"];

/// Subjects that name nobody.
const PRONOUNS: &[&str] = &[
    "he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "us", "who", "this",
];

/// Pronouns that may stand for a speaker named earlier in the paragraph.
const PERSONAL_PRONOUNS: &[&str] = &["he", "she"];

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
    "today",
    "yesterday",
    "tonight",
    "meanwhile",
    "nevertheless",
    "however",
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
    "both",
    "another",
    "one",
    "each",
    "all",
    "some",
    "many",
    "several",
    "most",
    "other",
    "others",
    "such",
    "no",
];

/// Lower-case words that end a role in front of a name: a role such as
/// `committee member` may precede the speaker's name, but `the report by`
/// or `a spokeswoman for` make the name something else than the subject.
const ROLE_BREAKERS: &[&str] = &[
    "by", "to", "with", "about", "from", "for", "in", "on", "at", "that", "which", "who", "whom",
    "whose", "than", "as", "or", "but", "and", "if", "when", "because", "while", "after", "before",
    "not", "no", "said", "says",
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
    "following",
    "ahead",
    "outside",
    "inside",
    "afterwards",
    "separately",
];

/// Abbreviations whose full stop does not end a sentence.
const DOTTED: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "col", "lt", "sgt", "capt", "st",
    "jr", "sr", "rev", "hon", "u.s", "u.k", "u.n", "e.u", "a.m", "p.m",
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

/// Words that make a title of several words with a title after them
/// (`Prime Minister`, `Foreign Secretary`, `Attorney General`).
const TITLE_MODIFIERS: &[&str] = &[
    "prime",
    "deputy",
    "vice",
    "foreign",
    "defence",
    "defense",
    "finance",
    "interior",
    "attorney",
    "home",
    "chief",
    "acting",
    "health",
    "justice",
    "trade",
    "first",
    "senior",
    "secretary",
];

/// Titles: a name may follow them (`Minister Helena Varga`), and `of`
/// after them is part of the title (`Secretary of State`), not an
/// affiliation.
const TITLE_WORDS: &[&str] = &[
    "secretary",
    "director",
    "officer",
    "chief",
    "head",
    "leader",
    "chair",
    "chairman",
    "chairwoman",
    "chairperson",
    "member",
    "governor",
    "mayor",
    "speaker",
    "executive",
    "commissioner",
    "ambassador",
    "general",
    "manager",
    "editor",
    "coach",
    "captain",
    "councillor",
    "councilor",
    "senator",
    "judge",
    "prosecutor",
    "inspector",
    "superintendent",
    "harbourmaster",
    "mk",
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

    /// Whether the word is one of `list` (lower-case ASCII words), in any
    /// case; without allocating, as it is asked for every word many times.
    fn is(&self, list: &[&str]) -> bool {
        list.iter().any(|w| self.word.eq_ignore_ascii_case(w))
    }

    /// Weekdays and months are capitalised but name no one: they do not
    /// stop a speaker from carrying over to the next quote of a paragraph.
    fn is_calendar(&self) -> bool {
        let w = self.lower();
        crate::text::is_weekday(&w) || crate::text::is_month(&w)
    }

    fn is_capitalised(&self) -> bool {
        self.word.chars().next().is_some_and(char::is_uppercase)
    }

    fn is_title(&self) -> bool {
        self.is(TITLE_WORDS) || self.is(INSTITUTION_WORDS)
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

    /// A speech verb: lower-case, so that `the United States` or `Says
    /// Farm` is no verb.
    fn is_verb(&self) -> bool {
        self.lead.is_empty() && !self.is_capitalised() && self.is(SPEECH_VERBS)
    }

    fn is_participle(&self) -> bool {
        self.lead.is_empty() && !self.is_capitalised() && self.is(PARTICIPLES)
    }

    /// A possessive (`Russia's`, `Jones'`).
    fn is_possessive(&self) -> bool {
        let w = self.word;
        w.ends_with("'s")
            || w.ends_with("’s")
            || (w.ends_with('s') && self.trail.starts_with(['\'', '’']))
    }

    /// The word without a possessive ending.
    fn without_possessive(&self) -> &str {
        self.word
            .strip_suffix("'s")
            .or_else(|| self.word.strip_suffix("’s"))
            .unwrap_or(self.word)
    }

    fn is_adverb(&self) -> bool {
        let w = self.word;
        self.lead.is_empty()
            && !self.breaks_after()
            && (self.is(ADVERBS) || (w.len() > 4 && w.ends_with("ly") && !self.is_capitalised()))
    }

    fn ends_sentence(&self) -> bool {
        !self.is_abbreviation() && self.trail.chars().any(|c| matches!(c, '.' | '!' | '?'))
    }

    /// True for a capitalised word that may name someone: not a pronoun,
    /// a sentence-opening determiner or conjunction, a weekday or a month.
    fn may_name_someone(&self) -> bool {
        self.is_capitalised() && !self.is(PRONOUNS) && !self.is(NOT_NAMES) && !self.is_calendar()
    }
}

fn tokens(s: &str) -> Vec<Tok<'_>> {
    s.split_whitespace()
        .flat_map(split_glued_verb)
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

/// A word and a speech verb glued by a lost dash (`Rusk-told`) as two
/// words.
fn split_glued_verb(raw: &str) -> impl Iterator<Item = &str> {
    let split = raw.rfind('-').filter(|&h| {
        h > 0 && {
            let verb = raw[h + 1..].trim_end_matches(|c: char| !c.is_alphanumeric());
            SPEECH_VERBS.contains(&verb)
        }
    });
    let (a, b) = match split {
        Some(h) => (&raw[..h], Some(&raw[h + 1..])),
        None => (raw, None),
    };
    std::iter::once(a).chain(b)
}

/// What the words on one side of a quote say about its speaker.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Found {
    /// A named speaker.
    Name(String),
    /// A pronoun subject, lower-cased (`he`, `they`).
    Pronoun(String),
    /// An attribution whose subject is a definite description that refers
    /// back to someone (`the diplomat said`, `the court said`, `Russia's
    /// envoy said`), with the description's words when they are known.
    Desc(Option<String>),
    /// An attribution whose subject names no one (`officials said`, `a
    /// spokeswoman for the ministry said`), with that description when it
    /// is one (see [`describe`]).
    Role(Option<String>),
    /// No attribution.
    Nothing,
}

impl Found {
    fn is_name(&self) -> bool {
        matches!(self, Found::Name(_))
    }
}

/// The name formed by `toks[start..=end]`, without leading non-name words
/// and without a trailing affiliation (`Josef Hartmann of the Civic List`).
fn name(toks: &[Tok], start: usize, end: usize) -> Found {
    let mut s = start;
    while s < end && (toks[s].is(NOT_NAMES) || toks[s].is(CONNECTORS)) {
        s += 1;
    }
    // `Later Friday morning, ...`: a weekday is no one (a month may be:
    // Theresa May).
    let weekday = crate::text::is_weekday(&toks[s].lower());
    if !toks[s].is_capitalised() || toks[s].is(NOT_NAMES) || (s == end && weekday) {
        return Found::Nothing;
    }
    let mut end = end;
    // `X Y of Z`: a personal name of two or more capitalised words, not
    // ending in a title, then `of` and an affiliation.
    // Not `Tarn Chamber of Commerce President Ola Berg`: a title and a
    // name after the affiliation.
    let titled_name_after = |of: usize| {
        (of + 1..end).any(|k| {
            toks[k].is_title()
                && toks[k].is_capitalised()
                && toks[k + 1..=end]
                    .iter()
                    .all(|t| t.is_capitalised() && !t.is_title())
        })
    };
    if let Some(of) = (s + 2..end).find(|&k| toks[k].is(&["of"]))
        && toks[s..of].iter().all(Tok::is_capitalised)
        && !toks[of - 1].is_title()
        && !titled_name_after(of)
    {
        end = of - 1;
    }
    // `Al Jazeera's Laurence Lee`: the person after the owner, unless the
    // whole is an institution or a title (`Prime Minister's Office`).
    if let Some(k) = (s..end).rev().find(|&k| toks[k].is_possessive())
        && !toks[end].is_title()
        && toks[k + 1..=end].iter().all(Tok::is_capitalised)
    {
        s = k + 1;
    }
    // `the President said`: a title alone refers back to someone.
    if s == end && toks[s].is_title() {
        return Found::Desc(None);
    }
    // `the Prime Minister said`, `the Attorney General said`: so does a
    // title of several words.
    if s < end
        && toks[end].is(refer::PERSON_TITLES)
        && toks[s..end]
            .iter()
            .all(|t| t.is(TITLE_MODIFIERS) && !t.is_possessive())
    {
        return Found::Desc(Some(words(&toks[s..=end])));
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
        return Found::Pronoun(toks[end].lower());
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
    let Some(mut s) = start else {
        return Found::Nothing;
    };
    // `envoy in Geneva Alexei Rusk said`: a place after a preposition runs
    // into the name; three capitalised words or more lose the first.
    if s > 0
        && end >= s + 2
        && toks[s - 1].is(PLACE_PREPOSITIONS)
        && !toks[s - 1].is_capitalised()
        && !toks[s - 1].breaks_after()
        && toks[s..=end]
            .iter()
            .all(|t| t.is_capitalised() && !t.is_title() && !t.is_possessive())
    {
        s += 1;
    }
    // `Water and Coasts Minister Helena Varga`: only part of the title was
    // reached, so keep the name after it.
    let split_title = s >= 2
        && toks[s - 1].is(&["and", "&"])
        && toks[s - 2].is_capitalised()
        && !toks[s - 2].breaks_after();
    if split_title && let Some(t) = (s..end).rev().find(|&k| toks[k].is_title()) {
        return name(toks, t + 1, end);
    }
    name(toks, s, end)
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
        return Some((Found::Pronoun(first.lower()), s));
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
    // `the Tarn statement said`: the statement's author.
    if !toks[end].breaks_after()
        && toks
            .get(end + 1)
            .is_some_and(|t| t.is(STATEMENT_WORDS) && !t.is_capitalised() && t.lead.is_empty())
        && !toks[end].is_possessive()
    {
        return Some((name(toks, s, end), end + 1));
    }
    // `Kremlin spokesman Anton Rusk`, `Fenwick Bank chief Asian strategist
    // Ola Berg`: an organisation and a lower-case role before the person.
    if !toks[end].breaks_after() {
        let mut j = end + 1;
        while j < toks.len() && j - end <= 4 && is_role_word(&toks[j]) && !toks[j].breaks_after() {
            j += 1;
        }
        if j > end + 1
            && toks
                .get(j)
                .is_some_and(|t| t.is_capitalised() && t.lead.is_empty())
            && let Some((found @ Found::Name(_), e)) = np_forward(toks, j)
        {
            return Some((found, e));
        }
    }
    // `the Russian deputy minister`: a description, not a name.
    if s > from
        && s == end
        && !toks[end].breaks_after()
        && toks.get(end + 1).is_some_and(is_role_word)
    {
        return Some((Found::Desc(None), end));
    }
    // `argued Belgian employer`, `said Kremlin aide`: one capitalised word
    // before a role and no name after it describes someone; the word alone
    // (a nationality, an organisation) is not who spoke.
    if s == from
        && s == end
        && !toks[end].breaks_after()
        && toks.get(end + 1).is_some_and(is_role_word)
        && toks
            .get(end + 2)
            .is_none_or(|t| !t.is_capitalised() || !t.lead.is_empty())
        && toks[end + 1].breaks_after()
    {
        return Some((Found::Role(None), end + 1));
    }
    Some((name(toks, s, end), end))
}

/// A lower-case word that may belong to a role (`spokesman`, `chief`,
/// `strategist`), not a word that starts something else.
fn is_role_word(t: &Tok) -> bool {
    let l = t.word;
    !t.is_capitalised()
        && t.lead.is_empty()
        && !t.is(ROLE_BREAKERS)
        && !t.is(CONNECTORS)
        && !t.is(COMPLEMENT_STARTS)
        && !t.is_verb()
        && !t.is(PRONOUNS)
        && !l.ends_with("ing")
        && !l.ends_with("ed")
        && !(l.ends_with("ly") && l.len() > 4)
        && l.chars().all(char::is_alphabetic)
}

/// The name made by all of `toks[a..=b]`, if they form one (`Anders Falk`
/// in `the company's project director, Anders Falk, said`).
fn whole_name(toks: &[Tok], a: usize, b: usize) -> Option<Found> {
    let first = toks[a];
    let ok = first.may_name_someone()
        && toks[a..b].iter().all(|t| !t.breaks_after())
        && toks[a..=b]
            .iter()
            .all(|t| t.lead.is_empty() && (t.is_capitalised() || t.is(CONNECTORS)));
    let found = ok.then(|| name(toks, a, b))?;
    found.is_name().then_some(found)
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
        .all(|t| !t.breaks_after() && !t.is_verb() && !t.is(&["that"]));
    let last_ok = (last.is(&["that"]) && last.trail.is_empty())
        || (last.trail.contains([':', ',']) && !last.is_verb());
    inner_ok && last_ok
}

/// The subject of the speech verb at `toks[v]`.
fn subject_before(toks: &[Tok], v: usize) -> Found {
    let mut i = v;
    while i > 0 && toks[i - 1].is_adverb() {
        i -= 1;
    }
    // `Rusk went on to say`
    if i >= 3
        && toks[i - 1].is(&["to"])
        && toks[i - 2].is(&["on"])
        && toks[i - 3].is(&["went", "goes", "go"])
    {
        i -= 3;
    }
    // `Rusk in a statement denied`
    if i >= 4
        && toks[i - 3].is(&["in", "on"])
        && toks[i - 2].is(&["a", "an", "the", "his", "her", "its", "their"])
        && !toks[i - 1].is_capitalised()
        && toks[i - 3..i]
            .iter()
            .all(|t| !t.breaks_after() && t.lead.is_empty())
    {
        i -= 3;
    }
    if i == 0 {
        return Found::Nothing;
    }
    let s = i - 1;
    let t = toks[s];
    if !t.breaks_after() {
        let found = np_backward(toks, s);
        // `Ola Berg, 18, from the Tarn said`: the name before the verb is
        // the end of an appositive.
        let mut np = s;
        while np > 0
            && (toks[np - 1].is_capitalised() || toks[np - 1].is(CONNECTORS))
            && !toks[np - 1].breaks_after()
        {
            np -= 1;
        }
        if found.is_name()
            && np > 0
            && toks[np - 1].is(&["from", "in", "at", "of", "with"])
            && let Some(f) = appositive_subject(toks, np - 1)
        {
            return f;
        }
        return found;
    }
    if !t.trail.starts_with(',') || t.is(PRONOUNS) {
        return Found::Nothing;
    }
    if let Some(f) = appositive_subject(toks, s) {
        return f;
    }
    // Between commas: an appositive (`Strock, the minister, said`), a
    // relative clause (`Kowal, who chairs the association, said`) or the
    // name after a role (`the project director, Anders Falk, said`).
    let Some(k) = (s.saturating_sub(16)..s)
        .rev()
        .find(|&k| toks[k].trail.starts_with(','))
    else {
        return Found::Nothing;
    };
    let relative = toks[k + 1].is(&["who", "whose", "which"]);
    if s - k > 10 && !relative {
        return Found::Nothing;
    }
    let outer = np_backward(toks, k);
    if outer.is_name() || relative || s - k > 6 {
        return outer;
    }
    whole_name(toks, k + 1, s).unwrap_or(outer)
}

/// The name before an appositive that ends before `toks[upto]` (`Ola Berg,
/// a lawyer at the Tarn Centre, New York, said`, `Ola Berg, 18, from the
/// Tarn said`, `Ola Berg, reporting from Tarn, said`): the nearest comma
/// after a name that an appositive's typical first word follows.
fn appositive_subject(toks: &[Tok], upto: usize) -> Option<Found> {
    for k in (upto.saturating_sub(25)..upto).rev() {
        if toks[k].ends_sentence() || toks[k].trail.contains([':', ';']) {
            return None;
        }
        if !toks[k].trail.starts_with(',') {
            continue;
        }
        let Some(next) = toks.get(k + 1) else {
            continue;
        };
        let l = next.lower();
        let starts_appositive = next.is(&[
            "a", "an", "the", "who", "whose", "another", "his", "her", "their", "its",
        ]) || next.word.starts_with(|c: char| c.is_ascii_digit())
            || (!next.is_capitalised() && l.ends_with("ing"))
            || (next.is_possessive() && next.is_capitalised())
            || party_and_state(next)
            || role_then_preposition(&toks[k + 1..]);
        if !starts_appositive {
            continue;
        }
        let found = np_backward(toks, k);
        let mut start = k;
        while start > 0
            && (toks[start - 1].is_capitalised() || toks[start - 1].is(CONNECTORS))
            && !toks[start - 1].breaks_after()
        {
            start -= 1;
        }
        // The name must open its clause (`Rusk, a lawyer, said`), not end a
        // phrase (`sold to the Tarn Company, an official said`).
        let opens = start == 0
            || toks[start - 1].breaks_after()
            || toks[start - 1].is(&["and", "but", "while", "as", "says", "said"]);
        if found.is_name() && opens {
            return Some(found);
        }
    }
    None
}

/// A US party and state after a name (`Adam Schiff, D-Calif., said`).
fn party_and_state(t: &Tok) -> bool {
    let mut cs = t.word.chars();
    matches!((cs.next(), cs.next(), cs.next()), (Some('D' | 'R' | 'I'), Some('-'), Some(c)) if c.is_uppercase())
}

/// A lower-case role of up to three words, then a preposition (`executive
/// secretary for public affairs`, `associate professor of politics`): the
/// start of an appositive without an article.
fn role_then_preposition(toks: &[Tok]) -> bool {
    let roles = toks
        .iter()
        .take(3)
        .take_while(|t| is_role_word(t) && !t.breaks_after())
        .count();
    roles > 0
        && toks
            .get(roles)
            .is_some_and(|t| t.is(&["of", "at", "for", "with", "to"]) && t.lead.is_empty())
}

/// What the subject of an attribution stands for when it is no name: the
/// author of a statement (`Jonah Pell's statement added`), a definite
/// description that refers back to someone named before (`the diplomat`,
/// `Russia's envoy`, `the statement`), or a role that names no one (`a
/// spokeswoman for the ministry`, `officials`).
fn nameless(subj: &[Tok]) -> Found {
    let mut n = subj.len();
    while n > 0 && subj[n - 1].is_adverb() {
        n -= 1;
    }
    let subj = &subj[..n];
    let Some(head) = subj.last() else {
        return Found::Role(None);
    };
    if head.is(STATEMENT_WORDS)
        && n >= 2
        && (subj[n - 2].is_possessive() || subj[n - 2].is_capitalised())
    {
        let mut s = n - 2;
        while s > 0
            && subj[s - 1].is_capitalised()
            && !subj[s - 1].breaks_after()
            && !subj[s - 1].is(NOT_NAMES)
        {
            s -= 1;
        }
        if subj[s].is_capitalised() && !subj[s].is(NOT_NAMES) {
            let words: Vec<&str> = subj[s..n - 1]
                .iter()
                .enumerate()
                .map(|(k, t)| {
                    if s + k == n - 2 {
                        t.without_possessive()
                    } else {
                        t.word
                    }
                })
                .collect();
            return Found::Name(words.join(" "));
        }
    }
    if n > 5 || subj[..n - 1].iter().any(Tok::breaks_after) {
        return Found::Role(describe(subj));
    }
    let first = subj[0];
    let definite = first.is(DEFINITE) || (first.is_possessive() && first.is_capitalised());
    let l = head.lower();
    let plural = l.ends_with('s') && !l.ends_with("ss");
    if definite
        && !head.is_capitalised()
        && !plural
        && !subj[1..].iter().any(|t| t.is(ROLE_BREAKERS))
    {
        Found::Desc(Some(words(subj)))
    } else {
        Found::Role(describe(subj))
    }
}

/// Words that open a description of someone not named (`a spokesman`,
/// `One voter`, `two officials`).
const DETERMINERS: &[&str] = &[
    "a", "an", "one", "another", "some", "several", "two", "three", "four", "many", "most",
    "other", "the",
];

/// The subject `subj` of an attribution as a description of someone the
/// text does not name (`a spokesman for the ministry`, `One Muslim voter`,
/// `two officials`, `officials`): a short noun phrase without punctuation
/// or verbs that opens with a determiner (or is a bare plural), whose noun
/// before any preposition is in lower case. Names, pronouns, clauses and
/// definite singulars (`the diplomat`, who was named before) give `None`.
fn describe(subj: &[Tok]) -> Option<String> {
    let mut s = 0;
    while s < subj.len() && subj[s].is(&["and", "but", "while", "as", "then", "so"]) {
        s += 1;
    }
    let subj = &subj[s..];
    let n = subj.len();
    if n == 0 || n > 8 {
        return None;
    }
    let plain = subj.iter().enumerate().all(|(k, t)| {
        t.lead.is_empty()
            && (k + 1 == n || !t.breaks_after())
            && !t.is_verb()
            && !t.is_participle()
            && !t.is(PRONOUNS)
            && !t.is(&["that", "which", "who", "whose", "when", "if"])
            && t.word
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '.' || c == '\'' || c == '’')
    });
    if !plain {
        return None;
    }
    // The words up to a preposition (`for the Kremlin` may follow): at
    // least one lower-case word, the last of them lower-case (the noun).
    let det = subj.iter().take_while(|t| t.is(DETERMINERS)).count();
    let core_end = (det..n).find(|&k| t_is_preposition(&subj[k])).unwrap_or(n);
    if core_end == det || subj[core_end - 1].is_capitalised() {
        return None;
    }
    let first = subj[0];
    if subj[core_end - 1].is(STATEMENT_WORDS) {
        // `a statement`: what spoke, not who.
        return None;
    }
    let head = subj[core_end - 1].lower();
    let plural = head.ends_with('s') && !head.ends_with("ss");
    if (first.is(DEFINITE) || first.is_possessive()) && !plural {
        // `the diplomat`, `her translator`: someone named before, whom
        // the text refers back to, not a new speaker.
        return None;
    }
    if det == 0 && (first.is_capitalised() || !plural) {
        // `Berg's deputy`, `Tarn officials` are left to the other rules;
        // a singular without a determiner is most often a text that lost
        // its `The` (`62-year-old former prime minister said`).
        return None;
    }
    let words: Vec<&str> = subj.iter().map(|t| t.word).collect();
    Some(words.join(" "))
}

/// The words of `toks`, joined by single spaces.
fn words(toks: &[Tok]) -> String {
    toks.iter().map(|t| t.word).collect::<Vec<_>>().join(" ")
}

fn t_is_preposition(t: &Tok) -> bool {
    t.is(&["for", "of", "at", "with", "from", "in", "on", "to", "close"])
}

/// Whether the words before a speech verb introduce someone new who is
/// not named (`One voter told reporters`, `officials said`, `a spokeswoman
/// for the ministry said`): the text stops following the speaker before.
fn new_unnamed_speaker(before_verb: &[Tok]) -> bool {
    let from = before_verb
        .iter()
        .rposition(Tok::breaks_after)
        .map_or(0, |k| k + 1);
    let mut subj = &before_verb[from..];
    // `But a provincial official said`
    while subj.len() > 1 && subj[0].is(&["and", "but", "while", "as", "then", "so"]) {
        subj = &subj[1..];
    }
    let Some(first) = subj.first() else {
        return false;
    };
    if subj.len() > 6 || subj.iter().any(|t| t.is_verb() || t.is(&["and", "that"])) {
        return false;
    }
    let head = subj[subj.len() - 1].lower();
    let plural = head.ends_with('s') && !head.ends_with("ss");
    first.is(&[
        "a", "an", "one", "another", "some", "several", "two", "three", "many",
    ]) || (subj.len() <= 2 && plural && !subj.iter().any(Tok::is_capitalised))
}

/// The subject of the speech verb at `toks[v]`, or what the words before
/// it stand for when they name no one.
fn subject_or_nameless(toks: &[Tok], v: usize) -> Found {
    match subject_before(toks, v) {
        Found::Nothing => {
            let from = toks[..v]
                .iter()
                .rposition(Tok::breaks_after)
                .map_or(0, |k| k + 1);
            nameless(&toks[from..v])
        }
        found => found,
    }
}

/// The subject of a sentence (`toks` from its start): a name or pronoun at
/// its start, or after an opening phrase (`Speaking in Brussels, Pell
/// ...`).
fn sentence_subject(toks: &[Tok]) -> Found {
    let mut from = 0;
    for _ in 0..2 {
        if let Some((found, end)) = np_forward(toks, from)
            && end + 1 < toks.len()
            && !toks[end].is_possessive()
        {
            match found {
                Found::Name(_) => return found,
                Found::Pronoun(ref p) if PERSONAL_PRONOUNS.contains(&p.as_str()) => return found,
                _ => {}
            }
        }
        // An opening phrase up to its comma.
        match (from..toks.len().min(from + 12)).find(|&k| toks[k].breaks_after()) {
            Some(k) if toks[k].trail.starts_with(',') => from = k + 1,
            _ => break,
        }
    }
    Found::Nothing
}

/// For a quote inside a sentence that reports someone's words (`X said
/// the talks were "going well"`, `X called it "a farce"`, `..., saying he
/// wanted "peace"`): the subject of the last speech or reporting verb
/// before the quote. `toks` are the sentence's words before the quote.
fn reported_subject(toks: &[Tok]) -> Found {
    let Some(v) = toks.iter().enumerate().rposition(|(k, t)| {
        // Not a passive (`who was dismissed in 2009`).
        let passive = k > 0 && toks[k - 1].is(&["was", "were", "been", "be", "being", "is", "are"]);
        t.lead.is_empty()
            && !passive
            && (t.is_verb() || t.is_participle() || (t.is(REPORTING_VERBS) && !t.is_capitalised()))
    }) else {
        return Found::Nothing;
    };
    if toks[v].is_participle() {
        return sentence_subject(&toks[..v]);
    }
    match subject_before(toks, v) {
        // `Soltau, who has called the plan a "farce"`: the name before the
        // relative clause.
        Found::Pronoun(p) if p == "who" => {
            let w = toks[..v].iter().rposition(|t| t.is(&["who"]));
            match w {
                Some(w) if w > 0 && toks[w - 1].trail.starts_with(',') => {
                    match np_backward(toks, w - 1) {
                        found @ Found::Name(_) => found,
                        _ => Found::Nothing,
                    }
                }
                Some(w)
                    if w > 1
                        && toks[w - 1].word.is_empty()
                        && toks[w - 1].lead.starts_with(['-', '—', '–']) =>
                {
                    match np_backward(toks, w - 2) {
                        found @ Found::Name(_) => found,
                        _ => Found::Nothing,
                    }
                }
                _ => Found::Nothing,
            }
        }
        found @ (Found::Name(_) | Found::Pronoun(_)) => found,
        // `Rusk dismissed the inquiry and reiterated that "..."`: the verbs
        // share the sentence's subject.
        Found::Nothing
            if v > 0
                && (toks[v - 1].is(&["and", "but"])
                    || (v > 1 && toks[v - 1].is_adverb() && toks[v - 2].is(&["and", "but"]))) =>
        {
            sentence_subject(&toks[..v])
        }
        // `the airport said the landing gear "collapsed"`
        Found::Nothing => match subject_or_nameless(toks, v) {
            found @ Found::Desc(Some(_)) => found,
            _ => Found::Nothing,
        },
        _ => Found::Nothing,
    }
}

/// The named subject of a speech or reporting verb whose object the quote
/// is (`Kim called the test "..."`): no punctuation between the verb and
/// the quote. `sentence` are the words of the quote's sentence before it.
fn embedded_subject(sentence: &[Tok]) -> Option<String> {
    let v = sentence.iter().rposition(|t| {
        t.lead.is_empty() && !t.is_capitalised() && (t.is_verb() || t.is(REPORTING_VERBS))
    })?;
    if sentence[v..sentence.len() - 1]
        .iter()
        .any(Tok::breaks_after)
        || v + 1 == sentence.len()
    {
        return None;
    }
    match reported_subject(sentence) {
        Found::Name(n) => Some(n),
        _ => None,
    }
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
        .find(|&k| toks[k].is(&["according"]) && toks[k + 1].is(&["to"]))
    {
        if let Some((found, end)) = np_forward(toks, k + 2)
            && end == n - 1
        {
            return found;
        }
        if toks[n - 1].trail.contains(',') && n - k <= 10 {
            // according to a spokeswoman for the ministry, "..."
            return nameless(&toks[k + 2..n]);
        }
    }
    // X VERB (that) "...", ..., saying: "..."
    if let Some(v) = (n.saturating_sub(7)..n)
        .rev()
        .find(|&v| toks[v].is_verb() || toks[v].is_participle())
    {
        if leads_into_quote(&toks[v], &toks[v + 1..]) {
            if toks[v].is_participle() || (v > 0 && toks[v - 1].is(&["and", "but"])) {
                // `..., saying: "..."`, `... and said: "..."`
                return sentence_subject(&toks[..v]);
            }
            return subject_or_nameless(toks, v);
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

/// How many words may follow a speech verb after a quote (`told a press
/// conference in the museum's restored entrance hall.`).
const MAX_COMPLEMENT: usize = 12;

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
    // `said referring to ...`, `he said citing the "haste"`: a participle
    // phrase after the verb is no reported speech.
    if first.lead.is_empty() && !first.is_capitalised() && first.lower().ends_with("ing") {
        return true;
    }
    let complement = verb.is(VERBS_WITH_OBJECT)
        || first.is(COMPLEMENT_STARTS)
        // `Richards once said of Berry.`
        || first.is(&["of"])
        || (first.lower().ends_with("ly") && !first.is_capitalised());
    if !complement {
        return false;
    }
    for t in rest.iter().take(MAX_COMPLEMENT) {
        if t.is(&["that"]) || t.is_verb() {
            return false;
        }
        if t.breaks_after() {
            return !t.trail.contains(':');
        }
    }
    rest.len() <= MAX_COMPLEMENT && !ends_at_quote
}

/// The speaker named after a speech verb that follows a quote (`said X`,
/// `said committee member X`, `said the group's director, X`).
fn subject_after_verb(toks: &[Tok], from: usize) -> Found {
    if let Some((found, _)) = np_forward(toks, from)
        && found != Found::Nothing
    {
        return found;
    }
    // A lower-case role first: up to the name, or to a comma.
    let role = || {
        let end = (from..toks.len())
            .find(|&k| toks[k].breaks_after())
            .map_or(toks.len(), |k| k + 1);
        nameless(&toks[from..end.min(from + 6)])
    };
    let mut k = from;
    loop {
        let Some(t) = toks.get(k) else {
            return role();
        };
        // `said a statement by the company's founder, Ola Berg`
        if t.is(&["by", "from"]) && k > from && toks[k - 1].is(STATEMENT_WORDS) {
            return match subject_after_verb(toks, k + 1) {
                found @ Found::Name(_) => found,
                // `said a statement by the interior ministry.`: the
                // author, described.
                _ => Found::Role(described_author(&toks[k + 1..])),
            };
        }
        // `the founder and chief executive of the company, Ola Berg`
        let joins_roles =
            t.is(&["and"]) && k > from && toks.get(k + 1).is_some_and(|n| !n.is_capitalised());
        if k - from >= 8 || !t.lead.is_empty() || (t.is(ROLE_BREAKERS) && !joins_roles) {
            return role();
        }
        if t.is_capitalised() {
            break;
        }
        if t.is(&["of"]) {
            // `the head of the Saltreach Port Authority, Oskar Lund`
            match (k..toks.len().min(k + 8)).find(|&j| toks[j].breaks_after()) {
                Some(j) if toks[j].trail.starts_with(',') => {
                    k = j + 1;
                    break;
                }
                _ => return role(),
            }
        }
        if t.breaks_after() {
            if !t.trail.starts_with(',') {
                return role();
            }
            k += 1;
            break;
        }
        k += 1;
    }
    match np_forward(toks, k) {
        Some((found @ Found::Name(_), _)) => found,
        _ => role(),
    }
}

/// The author of a statement given by a short lower-case noun phrase that
/// ends its clause (`by the interior ministry.`), as written.
fn described_author(toks: &[Tok]) -> Option<String> {
    let end = toks.iter().position(Tok::breaks_after)?;
    let np = &toks[..=end];
    let plain = np.len() <= 5
        && np[0].is(DETERMINERS)
        && np.iter().all(|t| {
            t.lead.is_empty()
                && !t.is_verb()
                && !t.is(PRONOUNS)
                && t.word.chars().all(|c| c.is_alphabetic() || c == '-')
        })
        && !np[end].is_capitalised()
        && !np[end].trail.contains(':');
    plain.then(|| words(np))
}

/// Attribution from the words after a quote, up to the end of its clause.
fn after(toks: &[Tok], ends_at_quote: bool) -> Found {
    let Some(i) = toks.iter().position(|t| !t.word.is_empty()) else {
        return Found::Nothing;
    };
    // `"...". Rusk asked Berg`: a full stop after the closing mark ends
    // the sentence.
    if toks[..i]
        .iter()
        .any(|t| t.lead.contains('.') || t.trail.contains('.'))
        || toks[i].lead.contains('.')
    {
        return Found::Nothing;
    }
    let t0 = toks[i];
    // "...," read a statement (by X).
    let reads_statement = t0.is(&["read", "reads"])
        && !t0.is_capitalised()
        && !t0.breaks_after()
        && toks.get(i + 1).is_some_and(|t| t.is(&["a", "an", "the"]))
        && toks.get(i + 2).is_some_and(|t| t.is(STATEMENT_WORDS));
    // "...," said X.
    if (t0.is_verb() || reads_statement) && !t0.breaks_after() {
        return match subject_after_verb(toks, i + 1) {
            Found::Role(_) | Found::Desc(_) if !closes_after_subject(toks, i + 1) => Found::Nothing,
            found => found,
        };
    }
    // "...," X said. / "...," chief executive X told a meeting.
    let mut v = i + 1;
    loop {
        let Some(t) = toks.get(v) else {
            return Found::Nothing;
        };
        if v - i > 16 || toks[v - 1].ends_sentence() || toks[v - 1].trail.contains([':', ';']) {
            return Found::Nothing;
        }
        if t.is_verb() {
            break;
        }
        v += 1;
    }
    if !closes_clause(toks, v, ends_at_quote) {
        return Found::Nothing;
    }
    let clause = &toks[i..];
    let found = subject_before(clause, v - i);
    // Words before a name without commas must be a role (`authority chief
    // executive`), not the start of something else (`the report by`).
    let plain = clause[..v - i].iter().all(|t| !t.breaks_after());
    // `Rusk went on to say`: the words of the verb are no role.
    let went_on_to = v - i >= 3
        && clause[v - i - 1].is(&["to"])
        && clause[v - i - 2].is(&["on"])
        && clause[v - i - 3].is(&["went", "goes", "go"]);
    let subject_end = if went_on_to { v - i - 3 } else { v - i };
    let role_ok = clause[..subject_end].iter().enumerate().all(|(k, t)| {
        t.is_capitalised()
            || !t.is(ROLE_BREAKERS)
            || ((t.is(CONNECTORS) || t.is(&["and", "&"]))
                && k > 0
                && clause[k - 1].is_capitalised())
    });
    match found {
        Found::Name(_) if plain && !role_ok => Found::Role(None),
        Found::Name(_) if !plain => found,
        Found::Pronoun(_) if v - i > 2 && plain => Found::Role(None),
        Found::Nothing => nameless(&clause[..v - i]),
        found => found,
    }
}

/// Whether the clause after `said <role>` ends soon (a real attribution
/// with a nameless subject, `said a spokeswoman for the ministry.`).
fn closes_after_subject(toks: &[Tok], from: usize) -> bool {
    toks[from..]
        .iter()
        .take(10)
        .find(|t| t.breaks_after())
        .is_some_and(|t| !t.trail.contains(':'))
}

/// Sets the `speaker` of each quote of `text` where the text names one.
///
/// `quotes` must be the outermost quotes of `text`, in order (as
/// [`extract`](super::extract) returns them; it calls this already).
/// A quote with no named speaker of its own takes the speaker the text is
/// following at that point (see the module documentation); otherwise it
/// gets `None`.
pub fn attribute(text: &str, quotes: &mut [Quote]) {
    attribute_in(text, &paragraphs(text), quotes)
}

/// Whether a name looks like a person's (`Ola Berg`, `Mr Berg`) rather
/// than an organisation or a place: several words, or a speaker `known`,
/// or a surname that the `earlier` text gives after a first name.
fn person_like(name: &str, known: &[String], earlier: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    let Some(last) = words.last() else {
        return false;
    };
    let last = last.to_lowercase();
    if known.iter().any(|k| same_speaker(k, name)) {
        return true;
    }
    // A surname the text gave earlier after a first name or a title
    // (`Prime Minister Anneke Soltau ... Soltau rejected`).
    if words.len() == 1
        && earlier.match_indices(name).any(|(at, _)| {
            let before = earlier[..at].trim_end();
            let after_ok = earlier[at + name.len()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric());
            let prev_word = before.rsplit(char::is_whitespace).next().unwrap_or("");
            after_ok
                && before.len() < at
                && prev_word.chars().next().is_some_and(char::is_uppercase)
                && prev_word.chars().all(char::is_alphabetic)
        })
    {
        return true;
    }
    let honorific = words.first().is_some_and(|w| {
        ["mr", "mrs", "ms", "dr"].contains(&w.trim_end_matches('.').to_lowercase().as_str())
    });
    honorific
        || (words.len() >= 2
            && !INSTITUTION_WORDS.contains(&last.as_str())
            && !TITLE_WORDS.contains(&last.as_str())
            && words.iter().all(|w| w.chars().any(char::is_lowercase)))
}

/// The last event of `gap` that tells who the text is following: a
/// speaker named as the subject of a speech verb (`Rusk said the talks
/// would go on.`, `according to Rusk`), someone new and unnamed speaking
/// ([`Found::Role`]), or, flagged `true`, a person who is the subject of a
/// sentence without a speech verb (`Rusk rejected the claim.`), whom a
/// following `he said` may mean.
///
/// `tail`: the gap starts in the sentence of the quote before it, which
/// took its speaker from the verb it is the object of (`Kim called the
/// test "a great event", the KCNA report said.`): the first piece names
/// the source of the report, not someone the text goes on to follow, and
/// is skipped.
fn last_event(
    gap: &str,
    known: &[String],
    earlier: &str,
    tail: bool,
) -> (Option<(Found, bool)>, bool) {
    let toks = tokens(gap);
    let mut out = None;
    let mut start = 0;
    // Whether a whole sentence with no speech verb came after the last
    // speaker named as speaking (narration: the carry is stale).
    let mut narrated = false;
    for end in 0..toks.len() {
        if !toks[end].ends_sentence() && end + 1 < toks.len() {
            continue;
        }
        let sentence = &toks[start..=end];
        // The first piece of the gap is the tail of the previous quote's
        // sentence (`," Rusk said.`), not a sentence of its own.
        let whole = start > 0 || gap.trim_start().starts_with(|c: char| c.is_alphanumeric());
        let speech = sentence
            .iter()
            .any(|t| t.is_verb() || t.is_participle() || t.is(&["according"]));
        if whole && !speech && end + 1 == toks.len() && !toks[end].ends_sentence() {
            // The words before the quote in its own sentence.
        } else if whole && !speech {
            narrated = true;
        }
        // The first speaker of the sentence: `Rusk said Berg had told him`
        // is Rusk speaking.
        let events = if start == 0 && tail {
            &[][..]
        } else {
            sentence
        };
        for (v, t) in events.iter().enumerate() {
            let found = if t.is_verb() {
                // `Ola Berg, a fellow at ... of Tarn Studies, says ...`
                // when the name before the appositive is not found:
                // someone speaks, and the text may no longer be following
                // the speaker before.
                let mut k = v;
                while k > 0 && sentence[k - 1].is_adverb() {
                    k -= 1;
                }
                let after_comma = k > 0 && sentence[k - 1].trail.starts_with(',');
                let from = sentence[..v]
                    .iter()
                    .rposition(Tok::breaks_after)
                    .map_or(0, |k| k + 1);
                if k > 0 && sentence[k - 1].is(&["and", "but"]) {
                    // `... against North Korea, and said`: the verbs share
                    // the sentence's subject, which this piece may lack.
                    if start == 0 && !whole {
                        Found::Nothing
                    } else {
                        sentence_subject(&sentence[..k])
                    }
                } else {
                    match subject_before(sentence, v) {
                        Found::Nothing if after_comma => Found::Role(None),
                        Found::Nothing if new_unnamed_speaker(&sentence[..v]) => {
                            let from = sentence[..v]
                                .iter()
                                .rposition(Tok::breaks_after)
                                .map_or(0, |k| k + 1);
                            Found::Role(describe(&sentence[from..v]))
                        }
                        // `the airport said ...`
                        Found::Nothing => match nameless(&sentence[from..v]) {
                            d @ Found::Desc(Some(_)) => d,
                            _ => Found::Nothing,
                        },
                        found => found,
                    }
                }
            } else if t.is(&["according"]) && sentence.get(v + 1).is_some_and(|n| n.is(&["to"])) {
                np_forward(sentence, v + 2).map_or(Found::Nothing, |(f, _)| f)
            } else {
                continue;
            };
            if matches!(
                found,
                Found::Name(_) | Found::Role(_) | Found::Desc(Some(_))
            ) {
                out = Some((found, false));
                narrated = false;
                break;
            }
        }
        if !sentence.iter().any(|t| t.is_verb() || t.is(&["according"])) {
            let subject = match sentence_subject(sentence) {
                Found::Name(n) if person_like(&n, known, earlier) => Some(n),
                _ => None,
            };
            match (introduced_person(sentence), subject) {
                // `Castrel Bay Mayor Odile Marchetti welcomed ...`: the
                // subject as written, title and all.
                (Some(p), Some(n)) if name_words(&n).ends_with(&name_words(&p)) => {
                    out = Some((Found::Name(n), true));
                }
                (Some(p), _) | (None, Some(p)) => out = Some((Found::Name(p), true)),
                (None, None) => {}
            }
        }
        start = end + 1;
    }
    (out, narrated)
}

/// The person a sentence of narration introduces as its subject with a
/// title, a role or an appositive (`Labour MP Yvette Cooper echoed the
/// concerns.`, `The Foreign Secretary, Boris Johnson, one of ..., expressed
/// his delight`, `Former Tarn and Wexmoor striker Ola Berg expressed`, `Mr
/// Rusk called on ...`): the last personal name (two capitalised words or
/// more, or an honorific and a name) before the sentence's verb, after
/// such a cue. A `he said` after it means that person.
fn introduced_person(sentence: &[Tok]) -> Option<String> {
    let finite = |t: &Tok| {
        t.lead.is_empty()
            && !t.is_capitalised()
            && ((t.word.len() > 3 && t.word.ends_with("ed"))
                || t.is(&[
                    "was", "is", "were", "are", "has", "had", "have", "will", "would", "could",
                    "can",
                ]))
    };
    let verb = sentence.iter().position(finite)?;
    let honorific = |t: &Tok| t.is(&["mr", "mrs", "ms", "dr"]);
    let name_word = |t: &Tok| {
        t.is_capitalised()
            && t.lead.is_empty()
            && t.word.chars().any(char::is_lowercase)
            && !t.is(NOT_NAMES)
            && !t.is(PRONOUNS)
            && !t.is_calendar()
            && !t.is_title()
    };
    let mut found = None;
    for j in 0..verb.saturating_sub(1) {
        let (a, b) = (sentence[j], sentence[j + 1]);
        if a.breaks_after()
            || a.is_possessive()
            || !name_word(&b)
            || !(name_word(&a) || honorific(&a))
        {
            continue;
        }
        let cue = honorific(&a)
            || j > 0 && {
                let p = sentence[j - 1];
                p.trail.starts_with(',')
                    || (p.is_capitalised() && p.is_title())
                    || (p.word.len() <= 3
                        && p.word.len() >= 2
                        && p.word.chars().all(|c| c.is_ascii_uppercase()))
                    || is_role_word(&p)
            };
        if !cue {
            continue;
        }
        let mut end = j + 1;
        while end + 1 < verb
            && !sentence[end].breaks_after()
            && (name_word(&sentence[end + 1]) || sentence[end + 1].is_abbreviation())
        {
            end += 1;
        }
        if sentence[j..=end]
            .iter()
            .all(|t| !t.is_possessive() || std::ptr::eq(t, &sentence[end]))
        {
            found = Some(words(&sentence[j..=end]).replace("'s", ""));
        }
    }
    found
}

/// Whether the words after a quote closed by a full stop start with a
/// short attribution all the same (`"... the end." Rusk said.`, `"... the
/// end." said Rusk`): a speech verb among the first words, with no
/// punctuation before it and no `to` after it (`Rusk, 53, has vowed to`).
fn short_attribution(toks: &[Tok]) -> bool {
    let Some(v) = toks.iter().take(4).position(Tok::is_verb) else {
        return false;
    };
    toks[..v]
        .iter()
        .all(|t| !t.breaks_after() && t.lead.is_empty())
        && toks.get(v + 1).is_none_or(|t| !t.is(&["to"]))
        && !toks[..v]
            .iter()
            .any(|t| t.is(&["has", "have", "had", "will", "would"]))
}

/// [`attribute`] for a text whose [`paragraphs`] are known.
pub(crate) fn attribute_in(text: &str, paras: &[Span], quotes: &mut [Quote]) {
    let para_of = |at: usize| -> Span {
        // Paragraphs are in order: the last one starting at or before `at`.
        let k = paras.partition_point(|p| p.start <= at);
        k.checked_sub(1)
            .map(|k| paras[k])
            .filter(|p| at < p.end)
            .unwrap_or(Span::new(0, text.len()))
    };
    // The speaker the text is following: the last one named as speaking,
    // in a quote's attribution or in reported speech.
    let mut current: Option<String> = None;
    // Whom a pronoun or description means: the speaker followed, or a
    // person who is the subject of a sentence since.
    let mut focus: Option<String> = None;
    // A speaker described but not named, for the quotes that go on with
    // their words (`"...," a spokesman said. "We go on."`).
    let mut current_desc: Option<String> = None;
    let mut prev_end = 0;
    let mut prev_closed = true;
    let mut prev_embedded = false;
    let mut prev_speaker: Option<String> = None;
    // Everyone named as speaking so far.
    let mut seen: Vec<String> = Vec::new();
    for i in 0..quotes.len() {
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
            .max(q.outer.end)
            .min(text.len());
        let btoks = tokens(&text[lo..q.outer.start]);
        let sentence_start = btoks
            .iter()
            .rposition(Tok::ends_sentence)
            .map_or(0, |k| k + 1);
        let sentence = &btoks[sentence_start..];
        let b = before(&btoks);
        // `"... the end." Rusk has vowed to ...`: a quote closed by a full
        // stop is a sentence of its own; what follows is no attribution.
        let inner = q.span.slice(text).trim_end();
        let closed = inner.ends_with('.') && !inner.ends_with("..");
        let atoks = tokens(&text[q.outer.end..hi]);
        let a = if closed && !short_attribution(&atoks) {
            Found::Nothing
        } else {
            after(&atoks, ends_at_quote)
        };
        let mut embedded = false;
        let own = if b.is_name() || (!a.is_name() && b != Found::Nothing) {
            b
        } else if a.is_name()
            && let Some(n) = embedded_subject(sentence)
        {
            embedded = true;
            // `Kim called the test "a great event", the KCNA report said.`:
            // the words are Kim's; the report is where they were read.
            Found::Name(n)
        } else {
            a
        };
        let gap_start = prev_end.min(q.outer.start);
        let (event, narrated) = last_event(
            &text[gap_start..q.outer.start],
            &seen,
            &text[..q.outer.start],
            i > 0 && !prev_closed && prev_embedded,
        );
        // `the airport said ...`: whom the description stands for.
        let event = match event {
            Some((f @ Found::Desc(_), _)) => {
                let ctx = Context {
                    focus: focus.as_deref(),
                    current: current.as_deref(),
                    described: current_desc.as_deref(),
                    earlier: &text[..q.outer.start],
                    seen: &seen,
                };
                match resolve(&f, ctx) {
                    Referent::Named(n) => Some((Found::Name(n), false)),
                    Referent::Described(d) => Some((Found::Role(Some(d)), false)),
                    Referent::Unknown => None,
                }
            }
            e => e,
        };
        match event {
            Some((Found::Name(s), true)) => focus = Some(s),
            Some((Found::Name(s), false)) => {
                current_desc = None;
                current = Some(s.clone());
                seen.push(s.clone());
                focus = Some(s);
            }
            Some((found, _)) => {
                current = None;
                focus = None;
                // `One voter told AFP that ...`: the quotes that go on
                // without an attribution are hers.
                current_desc = match found {
                    Found::Role(d) => d,
                    _ => None,
                };
            }
            None => {}
        }
        // `"...", "and ..."` in one sentence: the quotes share a speaker.
        let same_sentence_as_prev =
            i > 0 && lo == quotes[i - 1].outer.end && sentence_start == 0 && !prev_closed;
        let ctx = Context {
            focus: focus.as_deref(),
            current: current.as_deref(),
            described: current_desc.as_deref(),
            earlier: &text[..q.outer.start],
            seen: &seen,
        };
        // A pronoun or a description: whom it stands for, named or
        // described.
        let mut referred_desc = None;
        let mut refer = |f: &Found| match resolve(f, ctx) {
            Referent::Named(n) => Some(n),
            Referent::Described(d) => {
                referred_desc = Some(d);
                None
            }
            Referent::Unknown => None,
        };
        let is_role = matches!(own, Found::Role(_));
        let own_desc = match &own {
            Found::Role(d) => d.clone(),
            _ => None,
        };
        // An attribution of its own whose speaker is not found (`they
        // said`, a subject the rules do not read): someone speaks, and it
        // may be someone new, so the speaker followed is not carried on.
        let verb_before = (sentence.len().saturating_sub(7)..sentence.len())
            .any(|v| sentence[v].is_verb() && leads_into_quote(&sentence[v], &sentence[v + 1..]));
        let verb_after = !closed
            && atoks
                .iter()
                .take(6)
                .position(Tok::is_verb)
                .is_some_and(|k| atoks[..k].iter().all(|t| !t.ends_sentence()));
        let attributed = verb_before || verb_after || matches!(own, Found::Pronoun(_));
        let mut carried_desc = None;
        let speaker = match own {
            Found::Name(n) => Some(n),
            ref f if is_reference(f) => refer(f),
            Found::Pronoun(_) => None,
            Found::Role(_) | Found::Desc(_) => match reported_subject(sentence) {
                Found::Name(n) => Some(n),
                _ => None,
            },
            Found::Nothing => match reported_subject(sentence) {
                Found::Name(n) => Some(n),
                ref f if is_reference(f) => refer(f),
                _ if same_sentence_as_prev => prev_speaker.clone(),
                // A quote that is a sentence of its own goes on with the
                // speaker before it.
                // Not after narration since: whose words they are is
                // then a guess.
                _ if sentence.is_empty() && !narrated && current.is_some() => current.clone(),
                // ... also a speaker described but not named.
                _ if sentence.is_empty() && !narrated => {
                    carried_desc = current_desc.clone();
                    None
                }
                _ => None,
            },
        };
        let stop = is_role || (speaker.is_none() && attributed);
        current = speaker.clone().or(if stop { None } else { current });
        focus = speaker.clone().or(if stop { None } else { focus });
        let description = if speaker.is_some() {
            None
        } else {
            own_desc.or(referred_desc).or(carried_desc)
        };
        current_desc = if speaker.is_some() || (stop && description.is_none()) {
            None
        } else {
            description.clone().or(current_desc)
        };

        prev_end = q.outer.end;
        prev_closed = closed || inner.ends_with(['!', '?']);
        prev_embedded = embedded;
        prev_speaker = speaker.clone();
        seen.extend(speaker.clone());
        quotes[i].speaker = speaker;
        quotes[i].description = description;
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
        // Reported speech just before: the quote goes on with its speaker.
        assert_eq!(speaker("Strock said so. \"Ties deepen.\""), some("Strock"));
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
        // By person, not by name.
        assert!(same_speaker("Mr Blair", "Tony Blair"));
        assert!(same_speaker("Mr Anwar", "Prime Minister Anwar Hisham"));
        assert!(!same_speaker("Mr Anwar", "Ola Berg"));
        assert!(!same_speaker("Mr Anwar", "Mrs Anwar Hisham"));
    }

    /// The speakers of all quotes of `text`, in order.
    fn speakers(text: &str) -> Vec<Option<String>> {
        extract(text)
            .quotes
            .into_iter()
            .map(|q| q.speaker)
            .collect()
    }

    #[test]
    fn lower_case_role_before_name_is_dropped() {
        assert_eq!(
            speaker(
                "\"We have been patient,\" authority chief executive Marta Lindqvist told a \
                 meeting of the city's transport committee."
            ),
            some("Marta Lindqvist")
        );
        assert_eq!(
            speaker(
                "\"We stand firm,\" Ardenvale head coach Ruud Verhagen told the club's website."
            ),
            some("Ruud Verhagen")
        );
        assert_eq!(
            speaker("authority chief executive Marta Lindqvist said: \"We stand firm.\""),
            some("Marta Lindqvist")
        );
    }

    #[test]
    fn capitalised_title_is_kept() {
        assert_eq!(
            speaker("\"Cargo goes inland,\" Laurian Trade Minister Jonah Pell said."),
            some("Laurian Trade Minister Jonah Pell")
        );
        assert_eq!(
            speaker("\"Cargo goes inland,\" said the Minister of the Interior."),
            some("Minister of the Interior")
        );
        assert_eq!(
            speaker("\"Cargo goes inland,\" Prime Minister of Vesk Anneke Soltau said."),
            some("Prime Minister of Vesk Anneke Soltau")
        );
    }

    #[test]
    fn title_split_by_and_keeps_the_name() {
        assert_eq!(
            speaker(
                "\"Castrel Bay cannot keep borrowing water,\" Water and Coasts Minister \
                 Helena Varga told reporters in the provincial capital, Tennick."
            ),
            some("Helena Varga")
        );
    }

    #[test]
    fn role_then_appositive_name() {
        assert_eq!(
            speaker(
                "\"We will cover the full cost,\" the company's project director, Anders Falk, said."
            ),
            some("Anders Falk")
        );
        assert_eq!(
            speaker(
                "\"We are rationing,\" the board's chair, Elin Morrow, said at a meeting with \
                 growers in the market town of Hesketh."
            ),
            some("Elin Morrow")
        );
        assert_eq!(
            speaker("The company's project director, Anders Falk, said: \"We will pay.\""),
            some("Anders Falk")
        );
    }

    #[test]
    fn said_role_name() {
        assert_eq!(
            speaker(
                "\"That is precisely the point,\" said committee member Josef Hartmann of the Civic List."
            ),
            some("Josef Hartmann")
        );
        assert_eq!(
            speaker("\"The workshop is mine,\" said chief conservator Pavel Ondra."),
            some("Pavel Ondra")
        );
        assert_eq!(
            speaker("\"We are not against it,\" said the group's director, Tomas Reyl."),
            some("Tomas Reyl")
        );
        assert_eq!(
            speaker(
                "\"We have cranes,\" said the head of the Saltreach Port Authority, Oskar Lund."
            ),
            some("Oskar Lund")
        );
        assert_eq!(
            speaker(
                "\"It is built for walking,\" said councillor Imogen Vasquez, who chairs the committee."
            ),
            some("Imogen Vasquez")
        );
    }

    #[test]
    fn affiliation_after_a_name_is_dropped() {
        assert_eq!(
            speaker("According to Josef Hartmann of the Civic List, \"the test failed.\""),
            some("Josef Hartmann")
        );
        assert_eq!(
            speaker("Piet Osterhuis of the Rural League said: \"Fix the leaks.\""),
            some("Piet Osterhuis")
        );
        // A title with `of` is no affiliation.
        assert_eq!(
            speaker("According to the Bank of England, \"rates stay.\""),
            some("Bank of England")
        );
    }

    #[test]
    fn name_then_appositive_role() {
        assert_eq!(
            speaker("Josef Hartmann, the leader of the Civic List, said: \"The test failed.\""),
            some("Josef Hartmann")
        );
        assert_eq!(
            speaker("\"The test failed,\" Hartmann, the leader of the Civic List, said."),
            some("Hartmann")
        );
        assert_eq!(
            speaker("Lisbeth Marr, the firm's managing director, said: \"Everything is lost.\""),
            some("Lisbeth Marr")
        );
    }

    #[test]
    fn relative_clause_is_skipped() {
        assert_eq!(
            speaker("Dariusz Kowal, who chairs the association, said: \"We raised it.\""),
            some("Dariusz Kowal")
        );
        assert_eq!(
            speaker(
                "Walter Pryce, who farms 300 hectares of barley and sugar beet near Hesketh, \
                 said: \"I have left a field.\""
            ),
            some("Walter Pryce")
        );
    }

    #[test]
    fn statement_and_social_media() {
        assert_eq!(
            speaker("\"We stand firm,\" Strock said in a statement."),
            some("Strock")
        );
        assert_eq!(
            speaker("\"We stand firm,\" Strock wrote on social media."),
            some("Strock")
        );
        assert_eq!(
            speaker("Strock wrote on social media: \"We stand firm.\""),
            some("Strock")
        );
        assert_eq!(
            speaker("In a statement, Mr. Pike said: \"I kept these letters.\""),
            some("Mr. Pike")
        );
    }

    #[test]
    fn role_only_speaker_stays_unknown() {
        assert_eq!(
            speaker("\"Talks go on,\" a spokeswoman for the ministry said."),
            None
        );
        assert_eq!(
            speaker("\"Talks go on,\" said a spokeswoman for the ministry."),
            None
        );
        assert_eq!(
            speaker("According to a spokeswoman for the ministry, \"talks go on.\""),
            None
        );
        assert_eq!(speaker("\"Talks go on,\" the report by Strock said."), None);
        // Someone new and unnamed is an attribution of its own: no carrying
        // over.
        assert_eq!(
            speakers("\"Talks go on,\" Strock said. \"They end,\" a harbourmaster said."),
            vec![some("Strock"), None]
        );
        assert_eq!(
            speakers("\"Talks go on,\" Strock said. \"They end,\" officials said."),
            vec![some("Strock"), None]
        );
    }

    #[test]
    fn next_quote_of_the_paragraph_keeps_the_speaker() {
        assert_eq!(
            speakers(
                "\"We have been patient,\" Marta Lindqvist told a meeting. \"If Korsby cannot \
                 tell us, we will act.\""
            ),
            vec![some("Marta Lindqvist"), some("Marta Lindqvist")]
        );
        // Capitalised words inside the attribution clause do not matter.
        assert_eq!(
            speakers(
                "\"It failed,\" said committee member Josef Hartmann of the Civic List. \
                 \"Velmora passengers should not find out.\""
            ),
            vec![some("Josef Hartmann"), some("Josef Hartmann")]
        );
        // Attribution before the first quote, nothing in between.
        assert_eq!(
            speakers("Halev said: \"We came to sign.\" \"We signed.\""),
            vec![some("Halev"), some("Halev")]
        );
        // The same sentence, interrupted by its attribution.
        assert_eq!(
            speakers("\"We may lend one,\" Okafor said, \"but the group is complete.\""),
            vec![some("Okafor"), some("Okafor")]
        );
        assert_eq!(
            speakers("\"Stop!\" shouted Netanyahu. \"Now!\""),
            vec![some("Netanyahu"), some("Netanyahu")]
        );
    }

    #[test]
    fn speaker_is_carried_across_paragraphs() {
        // A quote paragraph with no attribution goes on with the speaker.
        assert_eq!(
            speakers("\"We stand firm,\" Strock said.\n\n\"Talks go on.\""),
            vec![some("Strock"), some("Strock")]
        );
        assert_eq!(
            speakers("\"We stand firm,\" Strock said.\n\n\"Talks go on,\" she said."),
            vec![some("Strock"), some("Strock")]
        );
    }

    #[test]
    fn speaker_is_not_carried_over_too_far() {
        // Not past someone new who speaks.
        assert_eq!(
            speakers(
                "\"We stand firm,\" Strock said. Two officials said the talks would go on. \
                 \"Talks go on.\""
            ),
            vec![some("Strock"), None]
        );
        // Past a new speaker in reported speech: that speaker.
        assert_eq!(
            speakers("\"We stand firm,\" Strock said. Pell said no. \"Talks go on.\""),
            vec![some("Strock"), some("Pell")]
        );
        // Not to a quote with its own named speaker.
        assert_eq!(
            speakers("\"We stand firm,\" Strock said. \"Talks go on,\" Pell said."),
            vec![some("Strock"), some("Pell")]
        );
        // Not to `they` or `we`.
        assert_eq!(
            speakers("\"We stand firm,\" Strock said. \"Talks go on,\" they said."),
            vec![some("Strock"), None]
        );
        // Not to a quote inside a sentence with another subject.
        assert_eq!(
            speakers("Strock said: \"We stand firm.\" The paper called the talks \"a farce\"."),
            vec![some("Strock"), None]
        );
        // Not from a quote whose speaker is unknown.
        assert_eq!(
            speakers("\"I seek my brothers,\" he added. \"It is our duty.\""),
            vec![None, None]
        );
    }

    #[test]
    fn pronoun_after_a_named_quote_is_that_speaker() {
        assert_eq!(
            speakers("\"We stand firm,\" Strock said. \"Talks go on,\" she said."),
            vec![some("Strock"), some("Strock")]
        );
        assert_eq!(
            speakers("According to Adeyemi, \"It is too early.\" She said: \"We wait.\""),
            vec![some("Adeyemi"), some("Adeyemi")]
        );
        assert_eq!(
            speakers(
                "Speaking at the quay, Chief Fire Officer Ruth Adeyemi said: \"It was hard.\" \
                 She added: \"The panels burn fast.\""
            ),
            vec![
                some("Chief Fire Officer Ruth Adeyemi"),
                some("Chief Fire Officer Ruth Adeyemi")
            ]
        );
    }

    #[test]
    fn pronoun_after_a_named_paraphrase_is_that_speaker() {
        assert_eq!(
            speakers(
                "Dariusz Kowal, who chairs the association, said the council had been told \
                 about the leak last winter. \"We raised it at three meetings,\" he said. \
                 \"Each time we were told the roof was monitored.\""
            ),
            vec![some("Dariusz Kowal"), some("Dariusz Kowal")]
        );
        // Weekdays and times name no one.
        assert_eq!(
            speaker(
                "Tierney said the harbour would reopen at 4 p.m. on Wednesday. \"We will \
                 open on time,\" he said."
            ),
            some("Tierney")
        );
        // The speaker of the reported speech, not someone it names.
        assert_eq!(
            speaker("Varga said Marchetti was right. \"We agree,\" she said."),
            some("Varga")
        );
        // A sentence subject that the text named in full before.
        assert_eq!(
            speaker(
                "Minister Lena Soltau spoke first. Soltau rejected the criticism. \
                 \"The money is there,\" she said."
            ),
            some("Soltau")
        );
        // A single word not known as a person stays unknown.
        assert_eq!(
            speaker("Soltau rejected the criticism. \"The money is there,\" she said."),
            None
        );
        // Also from the paragraph before.
        assert_eq!(
            speaker("Kowal said the council knew.\n\n\"We raised it,\" he said."),
            some("Kowal")
        );
    }

    #[test]
    fn participle_takes_the_sentence_subject() {
        assert_eq!(
            speaker("Halvorsen rejected the offer on Friday, saying: \"We are not for sale.\""),
            some("Halvorsen")
        );
        assert_eq!(
            speaker("Ida Brandt left the room, adding that \"nothing has been agreed\"."),
            some("Ida Brandt")
        );
    }

    #[test]
    fn statement_by_a_person() {
        assert_eq!(
            speaker(
                "\"We are delighted,\" said a statement by the founder and chief executive \
                 of the firm, Ola Berg, on Monday."
            ),
            some("Ola Berg")
        );
        assert_eq!(
            speaker("The buyers \"paid in full\", Mr Berg's statement added."),
            some("Mr Berg")
        );
    }

    #[test]
    fn organisation_and_role_before_the_person() {
        assert_eq!(
            speaker("\"Rates will fall,\" said Fenwick Bank chief Asian strategist Ola Berg."),
            some("Ola Berg")
        );
        assert_eq!(
            speaker("\"We wait,\" said Kremlin spokesman Anton Rusk."),
            some("Anton Rusk")
        );
        assert_eq!(
            speaker("Tarn Radio's Ola Berg said: \"The polls are open.\""),
            some("Ola Berg")
        );
        // An institution keeps its owner.
        assert_eq!(
            speaker("\"We wait,\" the Prime Minister's Office said."),
            some("Prime Minister's Office")
        );
        // A place run into the name.
        assert_eq!(
            speaker("Our envoy in Geneva Anton Rusk said: \"We wait.\""),
            some("Anton Rusk")
        );
    }

    #[test]
    fn long_appositives() {
        assert_eq!(
            speaker(
                "Ola Berg, a lawyer with the Tarn Centre for Civic Rights, New York, said the \
                 order \"is still a ban\"."
            ),
            some("Ola Berg")
        );
        assert_eq!(
            speaker("Ida Brandt, 18, from Wexmoor said: \"We ran.\""),
            some("Ida Brandt")
        );
        assert_eq!(
            speaker(
                "Anton Rusk, who sits on the committee and took part in the inquiry, told \
                 the radio: \"That is the rule.\""
            ),
            some("Anton Rusk")
        );
        // Not the end of a phrase before an unnamed speaker.
        assert_eq!(
            speaker(
                "The house was sold to the Tarn Company, an official with the city told \
                 reporters. \"It was legal,\" he said."
            ),
            None
        );
    }

    #[test]
    fn descriptions_refer_back() {
        assert_eq!(
            speakers(
                "\"We came to talk,\" Rusk said. \"Nothing more,\" the diplomat said. \
                 \"Or less.\""
            ),
            vec![some("Rusk"), some("Rusk"), some("Rusk")]
        );
        assert_eq!(
            speakers("Anton Rusk said the talks went well. The President said: \"We agree.\""),
            vec![some("Anton Rusk")]
        );
        assert_eq!(
            speakers(
                "Rusk said the talks went well, according to the Marren envoy. \"We agree,\" \
                 the Marren envoy said."
            ),
            vec![some("Rusk")]
        );
    }

    #[test]
    fn words_reported_in_a_sentence() {
        assert_eq!(speaker("Rusk called the plan \"a farce\"."), some("Rusk"));
        assert_eq!(
            speaker("Ida Brandt described the vote as \"a disgrace\"."),
            some("Ida Brandt")
        );
        assert_eq!(
            speakers("Rusk said he and Berg had \"much to discuss\" and would \"meet again\"."),
            vec![some("Rusk"), some("Rusk")]
        );
        assert_eq!(
            speaker("Rusk dismissed the report and reiterated that it was \"fake\"."),
            some("Rusk")
        );
        // The subject of a relative clause is not the sentence's.
        assert_eq!(
            speaker("Rusk criticised the envoy who accused him of \"lying\"."),
            None
        );
    }

    #[test]
    fn a_quote_ending_its_sentence_takes_nothing_after_it() {
        assert_eq!(
            speakers(
                "\"We won,\" Rusk said. \"It is over.\" Berg, 53, has vowed to appeal the result."
            ),
            vec![some("Rusk"), some("Rusk")]
        );
    }

    #[test]
    fn more_subjects_before_the_verb() {
        assert_eq!(speaker("\"We go on,\" Rusk went on to say."), some("Rusk"));
        assert_eq!(
            speaker("Rusk in a statement denied meeting \"any foreign officials\"."),
            some("Rusk")
        );
        assert_eq!(
            speakers("Ida Brandt walked to the door. She turned round and said: \"We are done.\""),
            vec![some("Ida Brandt")]
        );
        // A full stop inside the marks, then a short attribution.
        assert_eq!(
            speaker("\"We are done.\" Rusk said after the vote."),
            some("Rusk")
        );
    }

    #[test]
    fn capitalised_words_are_no_verbs() {
        assert_eq!(
            speaker("Mr Rusk said the United States has \"fallen behind\"."),
            some("Mr Rusk")
        );
    }

    #[test]
    fn role_appositive_without_article() {
        assert_eq!(
            speakers(
                "Ola Berg, director of the Tarn Institute, says the talks will fail. \
                 \"Nobody is listening,\" he said."
            ),
            vec![some("Ola Berg")]
        );
    }

    #[test]
    fn verb_glued_by_a_lost_dash() {
        assert_eq!(
            speaker("Spokesman Ola Berg-told reporters: \"We wait.\""),
            some("Spokesman Ola Berg")
        );
    }

    fn descriptions(text: &str) -> Vec<Option<String>> {
        extract(text)
            .quotes
            .into_iter()
            .map(|q| q.description)
            .collect()
    }

    #[test]
    fn narration_stops_the_carry() {
        // A quote with no attribution after a sentence of narration is
        // not given to the speaker before it.
        assert_eq!(
            speakers(
                "\"We stand firm,\" Strock said. The talks resumed on Monday after a week. \
                 \"Talks go on.\""
            ),
            vec![some("Strock"), None]
        );
        // Reported speech by the same speaker in between still carries.
        assert_eq!(
            speakers(
                "\"We stand firm,\" Strock said. Strock said the talks would resume. \"Talks go on.\""
            ),
            vec![some("Strock"), some("Strock")]
        );
    }

    #[test]
    fn an_attribution_not_understood_stops_the_carry() {
        assert_eq!(
            speakers("\"We stand firm,\" Strock said. \"Talks go on,\" they said. \"We wait.\""),
            vec![some("Strock"), None, None]
        );
    }

    #[test]
    fn speakers_described_but_not_named() {
        let t = "\"We go on,\" a spokesman for the ministry said. \"We wait.\"";
        assert_eq!(speakers(t), vec![None, None]);
        assert_eq!(
            descriptions(t),
            vec![
                some("a spokesman for the ministry"),
                some("a spokesman for the ministry")
            ]
        );
        // Reported speech, then her words.
        let t = "One voter told reporters she was worried. \"My mother never voted.\"";
        assert_eq!(speakers(t), vec![None]);
        assert_eq!(descriptions(t), vec![some("One voter")]);
        // Someone named before, referred back to, is no description.
        assert_eq!(descriptions("\"We go on,\" the diplomat said."), vec![None]);
        // A name wins over the description, and ends it.
        let t = "\"We go on,\" a spokesman said. \"We wait,\" Strock said. \"Later.\"";
        assert_eq!(speakers(t), vec![None, some("Strock"), some("Strock")]);
        assert_eq!(descriptions(t), vec![some("a spokesman"), None, None]);
        // `said Kremlin aide.`: the word before the role is not the speaker.
        assert_eq!(speakers("\"We go on,\" said Kremlin aide."), vec![None]);
    }

    #[test]
    fn said_following_a_meeting() {
        assert_eq!(
            speaker("\"We go on,\" Strock said following the meeting."),
            some("Strock")
        );
    }

    #[test]
    fn real_samples_speakers() {
        let read = |p: &str| crate::parse_plain_text(p, "x").text;
        let cases: &[(&str, &str, Option<&str>)] = &[
            (
                include_str!("../../samples/quote-word-changed-a.txt"),
                "We have been patient",
                Some("Marta Lindqvist"),
            ),
            (
                include_str!("../../samples/quote-word-changed-a.txt"),
                "If Korsby cannot tell us",
                Some("Marta Lindqvist"),
            ),
            (
                include_str!("../../samples/quote-word-changed-b.txt"),
                "We expect to begin updating",
                Some("Anders Falk"),
            ),
            (
                include_str!("../../samples/quote-word-changed-b.txt"),
                "That is precisely",
                Some("Josef Hartmann"),
            ),
            (
                include_str!("../../samples/quote-word-changed-b.txt"),
                "Velmora passengers",
                Some("Josef Hartmann"),
            ),
            (
                include_str!("../../samples/quote-truncated-speaker-a.txt"),
                "The port of Saltreach",
                Some("Laurian Trade Minister Jonah Pell"),
            ),
            (
                include_str!("../../samples/quote-truncated-speaker-a.txt"),
                "We have signed memorandums",
                Some("Mirela Constant"),
            ),
            // `Soltau rejected ... she said`, Soltau named in full before.
            (
                include_str!("../../samples/quote-truncated-speaker-a.txt"),
                "This time the money",
                Some("Soltau"),
            ),
            (
                include_str!("../../samples/quote-truncated-speaker-b.txt"),
                "What we do not have yet",
                Some("Lund"),
            ),
            (
                include_str!("../../samples/wire-trimmed-a.txt"),
                "This plant gives the city",
                Some("Helena Varga"),
            ),
            (
                include_str!("../../samples/wire-trimmed-a.txt"),
                "It is only how quickly",
                Some("Varga"),
            ),
            (
                include_str!("../../samples/multilingual-quotes-a.txt"),
                "These letters show",
                Some("Dr. Samuel K. Oyelaran"),
            ),
            (
                include_str!("../../samples/multilingual-quotes-a.txt"),
                "un trésor",
                Some("Dr. Fontaine"),
            ),
            (
                include_str!("../../samples/story-harbour-fire/wire.txt"),
                "The buildings were full",
                Some("Chief Fire Officer Ruth Adeyemi"),
            ),
            (
                include_str!("../../samples/story-harbour-fire/wire.txt"),
                "If the readings stay",
                Some("Tierney"),
            ),
            (
                include_str!("../../samples/story-harbour-fire/wire.txt"),
                "We are a family company",
                Some("Lisbeth Marr"),
            ),
            // `she said` in a paragraph of its own: the speaker before.
            (
                include_str!("../../samples/story-harbour-fire/wire.txt"),
                "We will rebuild",
                Some("Marr"),
            ),
            // `Tierney said. "...," the harbourmaster said.`: refers back.
            (
                include_str!("../../samples/story-harbour-fire/outlet-reworded.txt"),
                "If the readings stay",
                Some("Tierney"),
            ),
            (
                include_str!("../../samples/story-harbour-fire/outlet-reworded.txt"),
                "The buildings were full",
                Some("Chief Fire Officer Ruth Adeyemi"),
            ),
            (
                include_str!("../../samples/story-harbour-fire/outlet-reworded.txt"),
                "Our investigators",
                Some("Adeyemi"),
            ),
        ];
        for &(raw, start, want) in cases {
            let text = read(raw);
            assert_eq!(
                speaker_of(&text, start).as_deref(),
                want,
                "quote starting {start:?}"
            );
        }
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
        assert_eq!(
            speaker_of(&b, "I seek my brothers"),
            some("MK Moshiashvili")
        );
        assert_eq!(speaker_of(&b, "Upgrading the Strategic"), None);
    }

    #[test]
    fn references_to_organisations_and_described_speakers() {
        // `it` is the organisation last named as speaking.
        let t = "The Tarn Weather Office said people should stay indoors. \"Do not go out,\" it said. \"Stay calm.\"";
        assert_eq!(
            speakers(t),
            vec![some("Tarn Weather Office"), some("Tarn Weather Office")]
        );
        // ... never a person.
        let t = "Ola Berg said the storm was near. \"Do not go out,\" it said.";
        assert_eq!(speakers(t), vec![None]);
        // `he` after someone introduced but not named: that someone.
        let t = "But a provincial official said it was an inside job. \"We are looking into it,\" he said.";
        assert_eq!(speakers(t), vec![None]);
        assert_eq!(descriptions(t), vec![some("a provincial official")]);
        // A description of an organisation that was not named as speaking.
        let t = "Ola Berg lost. \"The rule stands,\" the court said.";
        assert_eq!(speakers(t), vec![None]);
        assert_eq!(descriptions(t), vec![some("the court")]);
        // `the president` is whom the text titled President.
        let t = "Ola Berg met President Anneke Soltau. Berg said talks went well. \"We agree,\" the president said.";
        assert_eq!(speakers(t), vec![some("Anneke Soltau")]);
        // `the Prime Minister said` refers back like `the president said`.
        let t = "Prime Minister Anneke Soltau called the attack brutal. \"We will act,\" the Prime Minister said.";
        assert_eq!(speakers(t), vec![some("Anneke Soltau")]);
    }

    #[test]
    fn appositives_relative_clauses_and_statements() {
        assert_eq!(
            speakers("Rep. Ola Berg, D-Tarn, said there was \"no basis\" for it."),
            vec![some("Rep. Ola Berg")]
        );
        assert_eq!(
            speakers(
                "\"We go on,\" Father Ola Berg, executive secretary for public affairs at the Tarn Conference, said."
            ),
            vec![some("Father Ola Berg")]
        );
        assert_eq!(
            speakers("Ola Berg, who has called the plan a \"farce\", voted no."),
            vec![some("Ola Berg")]
        );
        // Not a passive relative clause.
        assert_eq!(
            speakers(
                "Ola Berg said the employer of Ida Brandt, who was dismissed in 2009, should \"give way\"."
            ),
            vec![some("Ola Berg")]
        );
        assert_eq!(
            speakers("\"We go on,\" added the Tarn statement."),
            vec![some("Tarn")]
        );
        assert_eq!(
            speakers("\"We go on,\" read the statement from the Tarn Council."),
            vec![some("Tarn Council")]
        );
        assert_eq!(
            speakers("Tarn Chamber of Commerce President Ola Berg praised the \"bold steps\"."),
            vec![some("Tarn Chamber of Commerce President Ola Berg")]
        );
        // After the verb: a participle, `of`.
        assert_eq!(
            speakers("\"We go on,\" Berg said referring to the talks."),
            vec![some("Berg")]
        );
        assert_eq!(
            speakers("\"He is the best,\" Ola Berg once said of Rusk."),
            vec![some("Ola Berg")]
        );
    }

    #[test]
    fn sources_and_introduced_people() {
        // The words are Kim's; the report is where they were read, and
        // `he` goes on with Kim.
        let t = "Kim called the test \"a great event\" for the country, the Tarn report said. He also said the \"world will see\" it.";
        assert_eq!(speakers(t), vec![some("Kim"), some("Kim")]);
        // Someone introduced with a title in narration is whom `he` means.
        let t = "\"We go on,\" Rusk said. Labour MP Ola Berg echoed the concerns. \"Reckless,\" she wrote.";
        assert_eq!(speakers(t), vec![some("Rusk"), some("Ola Berg")]);
        let t = "\"We go on,\" Rusk said. The Foreign Secretary, Ida Brandt, one of the leaders of the campaign, expressed her delight. \"A great day,\" she said.";
        assert_eq!(speakers(t), vec![some("Rusk"), some("Ida Brandt")]);
        // `and said`: the sentence's subject, not the noun before `and`.
        let t = "He called on Tarn to \"act now\" against North Wexmoor, and said Tarn will be \"calling on everyone\".";
        let s = speakers(t);
        assert_ne!(s[1].as_deref(), Some("North Wexmoor"));
        // A weekday is no one.
        let t = "Later Friday morning, President Ola Berg denounced Tarn, tweeting, \"Tarn is behaving badly.\"";
        assert_eq!(speakers(t), vec![some("President Ola Berg")]);
    }
}
