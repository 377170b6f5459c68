//! A quote's own attribution: the speaker named in the words before the
//! quote (`X said: "..."`, `according to X`) or after it (`"...," X
//! said`, `said X`), in the quote's sentence.

use super::phrase::{
    DETERMINERS, Found, leads_into_quote, nameless, np_backward, np_forward, subject_before,
    subject_or_nameless, words,
};
use super::tokens::Tok;
use super::words::{
    COMPLEMENT_STARTS, CONNECTORS, NOT_NAMES, PERSONAL_PRONOUNS, PRONOUNS, REPORTING_VERBS,
    ROLE_BREAKERS, STATEMENT_WORDS, VERBS_WITH_OBJECT,
};

/// The subject of a sentence (`toks` from its start): a name or pronoun at
/// its start, or after an opening phrase (`Speaking in Brussels, Pell
/// ...`).
pub(super) fn sentence_subject(toks: &[Tok]) -> Found {
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
pub(super) fn reported_subject(toks: &[Tok]) -> Found {
    let Some(v) = toks.iter().enumerate().rposition(|(k, t)| {
        // Not a passive (`who was dismissed in 2009`).
        let passive = k > 0 && toks[k - 1].is(&["was", "were", "been", "be", "being", "is", "are"]);
        // Not `continued to be used`.
        let to_be = toks.get(k + 1).is_some_and(|n| n.is(&["to"]))
            && toks.get(k + 2).is_some_and(|n| n.is(&["be", "have"]));
        t.lead.is_empty()
            && !passive
            && !to_be
            && (t.is_verb() || t.is_participle() || (t.is(REPORTING_VERBS) && !t.is_capitalised()))
    }) else {
        return Found::Nothing;
    };
    if toks[v].is_participle() {
        // `..., with a ministry spokesman calling it "biased"`: the
        // participle's own subject.
        if let Some(w) = toks[..v].iter().rposition(|t| t.is(&["with"]))
            && v - w >= 2
            && v - w <= 6
            && toks[w..v - 1].iter().all(|t| !t.breaks_after())
        {
            return match np_backward(toks, v - 1) {
                found @ Found::Name(_) => found,
                _ => match nameless(&toks[w + 1..v]) {
                    found @ (Found::Role(Some(_)) | Found::Desc(Some(_))) => found,
                    _ => Found::Nothing,
                },
            };
        }
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
        // `Ola Berg's lawyer said`, `Officials said`: someone described.
        found @ (Found::Name(_) | Found::Pronoun(_) | Found::Role(Some(_))) => found,
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
        // `Ola Berg's statement said`, `the Xinhua news agency said`
        Found::Nothing => match subject_or_nameless(toks, v) {
            found @ (Found::Desc(Some(_)) | Found::Name(_)) => found,
            _ => Found::Nothing,
        },
        _ => Found::Nothing,
    }
}

/// The named subject of a speech or reporting verb whose object the quote
/// is (`Kim called the test "..."`): no punctuation between the verb and
/// the quote. `sentence` are the words of the quote's sentence before it.
pub(super) fn embedded_subject(sentence: &[Tok]) -> Option<String> {
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
pub(super) fn before(toks: &[Tok]) -> Found {
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
                // `..., saying: "..."`, `... and said: "..."`: the subject
                // of a speech verb before it (`Berg kept to himself, she
                // said, adding: "..."` is hers), or else the sentence's.
                if let Some(w) = (0..v).rev().find(|&w| toks[w].is_verb()) {
                    let found = subject_before(toks, w);
                    if found != Found::Nothing {
                        return found;
                    }
                }
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
        // A caption run into the text before it (lost line breaks): `...
        // update your browser Radio Tarn's Ola Berg: "..."`. Someone is
        // introduced here even when the words before the name are not
        // understood, so the speaker followed does not go on.
        // The name is taken when a word of description or of the text
        // before (`vice-chairman`, `browser`) leads into a run of two
        // capitalised words or more; never after a verb or a preposition
        // (`told Ola Berg:`, `a letter to Ola Berg:`).
        if let Found::Name(_) = found {
            let mut k = n - 1;
            while k > 0 && toks[k - 1].is_capitalised() && !toks[k - 1].breaks_after() {
                k -= 1;
            }
            let leads_in = |t: &Tok| {
                !t.is_capitalised()
                    && t.lead.is_empty()
                    && !t.breaks_after()
                    && !t.is_verb()
                    && !t.is(CONNECTORS)
                    && !t.is(ROLE_BREAKERS)
                    && !t.is(PRONOUNS)
                    && !t.is(NOT_NAMES)
                    && t.word.chars().all(|c| c.is_alphabetic() || c == '-')
            };
            if n - k >= 2 && k > 0 && leads_in(&toks[k - 1]) {
                return found;
            }
            return Found::Role(None);
        }
    }
    Found::Nothing
}

/// How many words may follow a speech verb after a quote (`told a press
/// conference in the museum's restored entrance hall.`).
pub(super) const MAX_COMPLEMENT: usize = 12;

/// Whether the words after a speech verb that follows a quote end its
/// clause (`added.`, `said in a statement.`), rather than introduce
/// reported speech (`stated that the government ...`) or the next quote.
pub(super) fn closes_clause(toks: &[Tok], v: usize, ends_at_quote: bool) -> bool {
    let verb = toks[v];
    let rest = &toks[v + 1..];
    if verb.breaks_after() {
        // `"... him." Yahoo said, when it announced the breach, that it
        // was ...`: an aside, then the reported speech of another
        // sentence.
        let aside_then_that = verb.trail.starts_with(',')
            && rest
                .first()
                .is_some_and(|t| t.is(&["when", "while", "after", "before", "as", "in", "on"]))
            && (1..rest.len().min(MAX_COMPLEMENT + 1))
                .any(|k| rest[k].is(&["that"]) && rest[k - 1].trail.starts_with(','));
        return !verb.trail.contains(':') && !aside_then_that;
    }
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
pub(super) fn subject_after_verb(toks: &[Tok], from: usize) -> Found {
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
        // `added the strangely prophetic Tarn coach.`: a definite
        // description of someone the text has named.
        Some((Found::Role(None), _)) if toks[from].is(&["the"]) => Found::Desc(None),
        _ => role(),
    }
}

/// The author of a statement given by a short lower-case noun phrase that
/// ends its clause (`by the interior ministry.`), as written.
pub(super) fn described_author(toks: &[Tok]) -> Option<String> {
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
pub(super) fn after(toks: &[Tok], ends_at_quote: bool) -> Found {
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
    if let Some(found) = name_alone(&toks[i..]) {
        return found;
    }
    // `"...", according to midfielder Ola Berg.`
    if t0.is(&["according"]) && toks.get(i + 1).is_some_and(|t| t.is(&["to"])) {
        return match subject_after_verb(toks, i + 2) {
            found @ Found::Name(_) => found,
            Found::Role(d) if closes_after_subject(toks, i + 2) => Found::Role(d),
            _ => Found::Nothing,
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

/// A name of two words or more that is a sentence of its own right after
/// a quote: a caption (`"... the end." Tarn Rovers coach Ola Berg.`), or
/// an attribution whose verb was lost (`"...," Ms Berg.`).
pub(super) fn name_alone(toks: &[Tok]) -> Option<Found> {
    match np_forward(toks, 0) {
        Some((found @ Found::Name(_), e))
            if e > 0
                && toks[e].trail.starts_with('.')
                && !toks[e].is_abbreviation()
                && toks[..e].iter().all(|t| !t.breaks_after()) =>
        {
            Some(found)
        }
        _ => None,
    }
}

/// Whether the clause after `said <role>` ends soon (a real attribution
/// with a nameless subject, `said a spokeswoman for the ministry.`).
pub(super) fn closes_after_subject(toks: &[Tok], from: usize) -> bool {
    toks[from..]
        .iter()
        .take(10)
        .find(|t| t.breaks_after())
        .is_some_and(|t| !t.trail.contains(':'))
}

#[cfg(test)]
mod tests;
