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
        // A caption run into the text before it (lost line breaks): `...
        // update your browser Radio Tarn's Ola Berg: "..."`. Someone is
        // introduced here even when the words before the name are not
        // understood, so the speaker followed does not go on.
        if let Found::Name(_) = found {
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
    // `"...," Ms Berg.`: a name alone ends the sentence (its verb lost).
    if let Some((found @ Found::Name(_), e)) = np_forward(toks, i)
        && e > i
        && toks[e].trail.starts_with('.')
        && !toks[e].is_abbreviation()
        && toks[i..e].iter().all(|t| !t.breaks_after())
    {
        return found;
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
pub(super) fn closes_after_subject(toks: &[Tok], from: usize) -> bool {
    toks[from..]
        .iter()
        .take(10)
        .find(|t| t.breaks_after())
        .is_some_and(|t| !t.trail.contains(':'))
}

#[cfg(test)]
mod tests {
    use super::super::tests::*;

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
}
