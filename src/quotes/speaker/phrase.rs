//! Noun phrases around a verb of saying: names (with their titles,
//! owners and affiliations), descriptions of speakers not named
//! (`a spokesman for the ministry`), and the subject before a verb.

use super::tokens::Tok;
use super::words::{
    COMPLEMENT_STARTS, CONNECTORS, DEFINITE, GROUP_NOUNS, NOT_NAMES, PERSON_TITLES,
    PLACE_PREPOSITIONS, PRONOUNS, RELATION_NOUNS, ROLE_BREAKERS, STATEMENT_WORDS, TITLE_MODIFIERS,
};

/// What the words on one side of a quote say about its speaker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Found {
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
    pub(super) fn is_name(&self) -> bool {
        matches!(self, Found::Name(_))
    }
}

/// The name formed by `toks[start..=end]`, without leading non-name words
/// and without a trailing affiliation (`Josef Hartmann of the Civic List`).
pub(super) fn name(toks: &[Tok], start: usize, end: usize) -> Found {
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
    // `Officials said`: a group, capitalised only by the sentence start.
    if s == end && toks[s].is(GROUP_NOUNS) {
        return Found::Role(Some(toks[s].word.to_string()));
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
        && toks[end].is(PERSON_TITLES)
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
pub(super) fn np_backward(toks: &[Tok], end: usize) -> Found {
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
pub(super) fn np_forward(toks: &[Tok], from: usize) -> Option<(Found, usize)> {
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
    // `one Facebook user, Feby Riani`: a description, then the name.
    if !toks[end].breaks_after() {
        let mut j = end + 1;
        while j < toks.len() && j - end <= 3 && is_role_word(&toks[j]) && !toks[j].breaks_after() {
            j += 1;
        }
        if toks
            .get(j)
            .is_some_and(|t| is_role_word(t) && t.trail == ",")
            && toks
                .get(j + 1)
                .is_some_and(|t| t.is_capitalised() && t.lead.is_empty())
            && let Some((found @ Found::Name(_), e)) = np_forward(toks, j + 1)
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
        && (!toks[end + 1].trail.starts_with(',')
            || toks
                .get(end + 2)
                .is_none_or(|t| !t.is_capitalised() || !t.lead.is_empty()))
        && toks[end + 1].breaks_after()
    {
        return Some((Found::Role(None), end + 1));
    }
    Some((name(toks, s, end), end))
}

/// A lower-case word that may belong to a role (`spokesman`, `chief`,
/// `strategist`), not a word that starts something else.
pub(super) fn is_role_word(t: &Tok) -> bool {
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
pub(super) fn whole_name(toks: &[Tok], a: usize, b: usize) -> Option<Found> {
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
pub(super) fn leads_into_quote(verb: &Tok, tail: &[Tok]) -> bool {
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
pub(super) fn subject_before(toks: &[Tok], v: usize) -> Found {
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
    if let Some(d) = relation_subject(toks, i) {
        return Found::Role(Some(d));
    }
    // `The parents of victim Ola Berg, 23, said`: the same before an
    // appositive.
    if toks[i - 1].trail.starts_with(',') {
        let clause = toks[..i - 1]
            .iter()
            .rposition(|t| t.ends_sentence() || t.trail.contains([':', ';']))
            .map_or(0, |k| k + 1);
        if let Some(c) = (clause..i - 1).find(|&k| toks[k].trail.starts_with(','))
            && !toks[c + 1].is_capitalised()
            && toks[c + 1..i].iter().all(|t| !t.is_verb())
            && let Some(d) = relation_subject(toks, c + 1)
        {
            return Found::Role(Some(d));
        }
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
        // The preposition before the name (`for the International
        // Committee of the Red Cross`), past connectors and articles.
        let mut p = (np..s).find(|&k| !toks[k].is(CONNECTORS)).unwrap_or(s);
        while p > 0 && toks[p - 1].is(&["the", "a", "an"]) {
            p -= 1;
        }
        if found.is_name()
            && p > 0
            && toks[p - 1].is(&["from", "in", "at", "of", "with", "for"])
            && let Some(f) = appositive_subject(toks, p - 1)
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
    // `the president of Paris Airports, Ola Berg, told`: the organisation
    // is the object of a role's `of`; the name between the commas speaks.
    let role_of = outer.is_name() && {
        let mut b = k;
        while b > 0 && (toks[b - 1].is_capitalised() || toks[b - 1].is(CONNECTORS)) {
            b -= 1;
        }
        let mut p = (b..k).find(|&j| !toks[j].is(CONNECTORS)).unwrap_or(k);
        while p > b && toks[p - 1].is(&["the", "a", "an"]) {
            p -= 1;
        }
        p >= 2
            && toks[p - 1].is(&["of", "for", "at"])
            && is_role_word(&toks[p - 2])
            && !toks[p - 2].is_capitalised()
    };
    if role_of && let Some(f) = whole_name(toks, k + 1, s) {
        return f;
    }
    // `the father, who is not named, said`, `the scientists, mostly from
    // Tarn, wrote`: a short description before an aside.
    if !outer.is_name() && !toks[k + 1].is_capitalised() {
        let from = toks[..k]
            .iter()
            .rposition(Tok::breaks_after)
            .map_or(0, |j| j + 1);
        if k + 1 - from <= 4
            && let found @ (Found::Desc(Some(_)) | Found::Role(Some(_))) = nameless(&toks[from..=k])
        {
            return found;
        }
    }
    if outer.is_name() || relative || s - k > 6 {
        return outer;
    }
    whole_name(toks, k + 1, s).unwrap_or(outer)
}

/// A subject ending before `toks[end]` that is someone defined by who
/// they are to someone named (`the mother of Westminster attacker Ola
/// Berg`, `a spokesman for Ola Berg`, `Ola Berg's lawyer`, `the man's
/// father`): the person named is not the speaker, so the subject is a
/// description, as written (without a leading `and`/`but`).
pub(super) fn relation_subject(toks: &[Tok], end: usize) -> Option<String> {
    // (The subject's last word may carry the comma of an appositive.)
    let from = toks[..end - 1]
        .iter()
        .rposition(Tok::breaks_after)
        .map_or(0, |k| k + 1);
    let mut from = from;
    // (`". Ola Berg's lawyer said`: the full stop after a closing mark.)
    while from < end
        && (toks[from].word.is_empty()
            || toks[from].is(&["and", "but", "while", "as", "then", "so"]))
    {
        from += 1;
    }
    // `Ola Berg, a spokeswoman for the Red Cross said`: an appositive
    // (its closing comma lost) after the name of the speaker.
    if from > 0 && toks[from - 1].trail.starts_with(',') && np_backward(toks, from - 1).is_name() {
        return None;
    }
    let subj = &toks[from..end];
    if subj.len() < 2 || subj.len() > 9 || subj.iter().any(|t| !t.lead.is_empty()) {
        return None;
    }
    let relation = |t: &Tok| !t.is_capitalised() && t.is(RELATION_NOUNS);
    let n = subj.len();
    // `Ola Berg's lawyer`, `the man's father`: the relation ends the subject.
    let owned = relation(&subj[n - 1]) && subj[n - 2].is_possessive();
    // `the mother of ... Ola Berg`: a relation, then `of` or `for` and a
    // capitalised name ending the subject, with no verb between.
    let r = subj.iter().position(relation);
    let of = r.is_some_and(|r| {
        r + 2 < n
            && subj[r + 1].is(&["of", "for"])
            && subj[n - 1].is_capitalised()
            && subj[..r]
                .iter()
                .all(|t| t.is(DETERMINERS) || t.is_possessive() || is_role_word(t))
            && subj[r + 2..]
                .iter()
                .all(|t| !t.is_verb() && !t.is(PRONOUNS) && !t.is(&["that", "who", "which"]))
    });
    if !(owned || of) || subj.iter().any(|t| t.is_verb() || t.is(PRONOUNS)) {
        return None;
    }
    match r {
        // `the mother of Ola Berg`: the relation and the name, without the
        // roles between (`the mother of Westminster attacker Ola Berg`).
        Some(r) if of && !owned => {
            let mut s = n - 1;
            while s > r + 2
                && ((subj[s - 1].is_capitalised() && !subj[s - 1].is_possessive())
                    || (subj[s - 1].is(CONNECTORS) && subj[s - 2].is_capitalised()))
            {
                s -= 1;
            }
            if s == r + 3 && subj[r + 2].is(&["the"]) {
                s -= 1;
            }
            Some(format!("{} {}", words(&subj[..r + 2]), words(&subj[s..])))
        }
        // `Ola Berg's lawyer`, `the man's father`: from the owner's name
        // (a headline run into the text may come before it).
        _ => {
            let mut s = n - 2;
            while s > 0 && subj[s - 1].is_capitalised() && !subj[s - 1].is(NOT_NAMES) {
                s -= 1;
            }
            if s > 0 && subj[s - 1].is(&["the", "a", "an"]) {
                s -= 1;
            }
            Some(words(&subj[s..]))
        }
    }
}

/// The name before an appositive that ends before `toks[upto]` (`Ola Berg,
/// a lawyer at the Tarn Centre, New York, said`, `Ola Berg, 18, from the
/// Tarn said`, `Ola Berg, reporting from Tarn, said`): the nearest comma
/// after a name that an appositive's typical first word follows.
pub(super) fn appositive_subject(toks: &[Tok], upto: usize) -> Option<Found> {
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
pub(super) fn party_and_state(t: &Tok) -> bool {
    let mut cs = t.word.chars();
    matches!((cs.next(), cs.next(), cs.next()), (Some('D' | 'R' | 'I'), Some('-'), Some(c)) if c.is_uppercase())
}

/// A lower-case role of up to three words, then a preposition (`executive
/// secretary for public affairs`, `associate professor of politics`): the
/// start of an appositive without an article.
pub(super) fn role_then_preposition(toks: &[Tok]) -> bool {
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
pub(super) fn nameless(subj: &[Tok]) -> Found {
    let mut n = subj.len();
    while n > 0 && subj[n - 1].is_adverb() {
        n -= 1;
    }
    let subj = &subj[..n];
    let Some(head) = subj.last() else {
        return Found::Role(None);
    };
    // `North Korea's state-run KCNA news agency`, `the official Xinhua
    // news agency`: the name before a medium's lower-case head.
    if head.is(MEDIA_NOUNS) && !head.is_capitalised() && subj.iter().all(|t| t.lead.is_empty()) {
        let mut e = n - 1;
        while e > 0 && subj[e - 1].is(&["news", "press", "wire", "state"]) {
            e -= 1;
        }
        let mut b = e;
        while b > 0
            && subj[b - 1].is_capitalised()
            && !subj[b - 1].is_possessive()
            && !subj[b - 1].breaks_after()
            && !subj[b - 1].is(NOT_NAMES)
        {
            b -= 1;
        }
        if b < e && (b == 0 || !subj[b - 1].is_capitalised()) {
            return Found::Name(words(&subj[b..e]));
        }
    }
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

/// Lower-case heads of a medium's description (`the Xinhua news agency`).
const MEDIA_NOUNS: &[&str] = &[
    "agency",
    "newspaper",
    "daily",
    "broadcaster",
    "channel",
    "network",
    "website",
    "magazine",
    "tabloid",
];

/// Words that open a description of someone not named (`a spokesman`,
/// `One voter`, `two officials`).
pub(super) const DETERMINERS: &[&str] = &[
    "a", "an", "one", "another", "some", "several", "two", "three", "four", "many", "most",
    "other", "the",
];

/// The subject `subj` of an attribution as a description of someone the
/// text does not name (`a spokesman for the ministry`, `One Muslim voter`,
/// `two officials`, `officials`): a short noun phrase without punctuation
/// or verbs that opens with a determiner (or is a bare plural), whose noun
/// before any preposition is in lower case. Names, pronouns, clauses and
/// definite singulars (`the diplomat`, who was named before) give `None`.
pub(super) fn describe(subj: &[Tok]) -> Option<String> {
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
pub(super) fn words(toks: &[Tok]) -> String {
    toks.iter().map(|t| t.word).collect::<Vec<_>>().join(" ")
}

pub(super) fn t_is_preposition(t: &Tok) -> bool {
    t.is(&["for", "of", "at", "with", "from", "in", "on", "to", "close"])
}

/// Whether the words before a speech verb introduce someone new who is
/// not named (`One voter told reporters`, `officials said`, `a spokeswoman
/// for the ministry said`): the text stops following the speaker before.
pub(super) fn new_unnamed_speaker(before_verb: &[Tok]) -> bool {
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
pub(super) fn subject_or_nameless(toks: &[Tok], v: usize) -> Found {
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

#[cfg(test)]
mod tests {
    use super::super::tests::*;

    #[test]
    fn groups_are_described_not_named() {
        let t = "Officials said the road was shut. \"Stay at home,\" Officials said.";
        assert_eq!(speakers(t), [None]);
        assert_eq!(descriptions(t), [some("Officials")]);
        // ...and are not carried to the next quote.
        let t = "\"Leave now,\" Ann Holt said. Authorities warned of floods. \"Please, \
                 listen,\" Authorities said. \"It is bad.\"";
        assert_eq!(speakers(t), [some("Ann Holt"), None, None]);
    }

    #[test]
    fn a_description_then_the_name() {
        let t = "\"This is unacceptable!\" said one Facebook user, Feby Riani.";
        assert_eq!(speaker(t), some("Feby Riani"));
        let t = "\"We will win,\" said Tarn Rovers coach, Ola Berg.";
        assert_eq!(speaker(t), some("Ola Berg"));
    }

    #[test]
    fn a_definite_description_with_a_capitalised_word_refers_back() {
        let t = "\"We have to be confident,\" Enrique told reporters. \"We can score \
                 six,\" added the strangely prophetic Barca coach. Later that day PSG lost.";
        assert_eq!(speakers(t), [some("Enrique"), some("Enrique")]);
    }
}
