//! The speaker the text is following: going through the quotes in order,
//! each takes its own attribution, or the person in focus for a pronoun
//! or description, or the speaker followed when it has no attribution
//! (see the parent module's documentation).

use super::own::{after, before, embedded_subject, name_alone, reported_subject, sentence_subject};
use super::phrase::{
    Found, describe, is_role_word, leads_into_quote, nameless, new_unnamed_speaker, np_forward,
    subject_before, words,
};
use super::refer::{Context, Referent, is_reference, resolve};
use super::same::{name_words, same_speaker};
use super::tokens::{Tok, tokens};
use super::words::{INSTITUTION_WORDS, NOT_NAMES, PERSONAL_PRONOUNS, PRONOUNS, TITLE_WORDS};
use crate::quotes::Quote;
use crate::text::Span;

/// Whether a name looks like a person's (`Ola Berg`, `Mr Berg`) rather
/// than an organisation or a place: several words, or a speaker `known`,
/// or a surname that the `earlier` text gives after a first name.
pub(super) fn person_like(name: &str, known: &[String], earlier: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    let Some(last) = words.last() else {
        return false;
    };
    let last = last.to_lowercase();
    // The cheap test first: a title or a name of several words.
    let honorific = words.first().is_some_and(|w| {
        ["mr", "mrs", "ms", "dr"].contains(&w.trim_end_matches('.').to_lowercase().as_str())
    });
    if honorific
        || (words.len() >= 2
            && !INSTITUTION_WORDS.contains(&last.as_str())
            && !TITLE_WORDS.contains(&last.as_str())
            && words.iter().all(|w| w.chars().any(char::is_lowercase)))
    {
        return true;
    }
    if known.iter().any(|k| same_speaker(k, name)) {
        return true;
    }
    // A surname the text gave earlier after a first name or a title
    // (`Prime Minister Anneke Soltau ... Soltau rejected`).
    words.len() == 1
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
pub(super) fn last_event(
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
        // Whether someone was found speaking in this sentence.
        let mut spoke = false;
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
                spoke = true;
                break;
            }
        }
        // No one speaking (`Rusk rejected the claim.`, also `Rusk praised
        // the soldiers who responded`): its subject is in focus.
        let relative = |k: usize| k > 0 && sentence[k - 1].is(&["who", "which", "that"]);
        let speaks = sentence
            .iter()
            .enumerate()
            .any(|(k, t)| (t.is_verb() && !relative(k)) || t.is(&["according"]));
        if !spoke && !speaks {
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
pub(super) fn introduced_person(sentence: &[Tok]) -> Option<String> {
    let finite = |t: &Tok| {
        t.lead.is_empty()
            && !t.is_capitalised()
            && ((t.word.len() > 3 && t.word.ends_with("ed"))
                || t.is(&[
                    "was", "is", "were", "are", "has", "had", "have", "will", "would", "could",
                    "can",
                ]))
    };
    // A headline run into the sentence may hold a verb before the
    // subject (`Soldiers lauded for response Defense Minister Ola Berg
    // commended ...`): the first verb with a name before it.
    // Not after a pronoun subject (`He referred to a comment by judge Ola
    // Berg, who cited ...`) nor in a relative clause.
    if sentence.first().is_some_and(|t| t.is(PRONOUNS)) {
        return None;
    }
    sentence
        .iter()
        .enumerate()
        .filter(|&(k, t)| finite(t) && (k == 0 || !sentence[k - 1].is(&["who", "which", "that"])))
        .take(3)
        .find_map(|(verb, _)| introduced_before(sentence, verb))
}

/// [`introduced_person`] with the sentence's verb at `verb`.
fn introduced_before(sentence: &[Tok], verb: usize) -> Option<String> {
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

/// The subject of a subordinate clause that opens `sentence` (`When
/// Jackson turned himself in, ...`, `After Ola Berg spoke, ...`), when it
/// names a person: whom a `he` or `she` in the main clause means.
fn opening_clause_subject(sentence: &[Tok], known: &[String], earlier: &str) -> Option<String> {
    let first = sentence.first()?;
    if !first.is(&[
        "when", "after", "as", "while", "before", "because", "since", "although", "though", "once",
        "if",
    ]) {
        return None;
    }
    match np_forward(sentence, 1) {
        Some((Found::Name(n), end))
            if !sentence[end].breaks_after()
                && sentence.len() > end + 1
                && !sentence[end + 1].is_capitalised()
                && person_like(&n, known, earlier) =>
        {
            Some(n)
        }
        _ => None,
    }
}

/// Whether the words after a quote closed by a full stop start with a
/// short attribution all the same (`"... the end." Rusk said.`, `"... the
/// end." said Rusk`): a speech verb among the first words, with no
/// punctuation before it and no `to` after it (`Rusk, 53, has vowed to`).
pub(super) fn short_attribution(toks: &[Tok]) -> bool {
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
    // Where the sentence of the quote before started (a byte offset).
    let mut prev_sentence_from = 0;
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
        let a = if closed && !short_attribution(&atoks) && name_alone(&atoks).is_none() {
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
        // Not when a full stop follows the closing mark and a sentence of
        // narration leads to this quote (`as 'reckless'. Tarn's Ola Berg
        // celebrates 'a win'`).
        let same_sentence_as_prev = i > 0
            && lo == quotes[i - 1].outer.end
            && sentence_start == 0
            && !prev_closed
            && !(text[lo..q.outer.start]
                .trim_start()
                .starts_with(['.', '!', '?'])
                && text[lo..q.outer.start].contains(char::is_alphanumeric));
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
        // `When Jackson turned himself in, ..., he told officers ...`: the
        // subject of a clause opening the sentence is whom `he` means.
        let antecedent = opening_clause_subject(sentence, &seen, &text[..q.outer.start]);
        let mut refer = |f: &Found| match (f, &antecedent) {
            (Found::Pronoun(p), Some(n)) if PERSONAL_PRONOUNS.contains(&p.as_str()) => {
                Some(n.clone())
            }
            _ => match resolve(f, ctx) {
                Referent::Named(n) => Some(n),
                Referent::Described(d) => {
                    referred_desc = Some(d);
                    None
                }
                Referent::Unknown => None,
            },
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
        let mut reported_desc = None;
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
                // `Ola Berg's lawyer said there were "issues"`
                Found::Role(Some(d)) => {
                    reported_desc = Some(d);
                    None
                }
                ref f if is_reference(f) => refer(f),
                _ if same_sentence_as_prev && prev_speaker.is_some() => prev_speaker.clone(),
                // `X, who was hailed a "hero" for ..., said he was
                // "heartbroken"`: the sentence began before the quote
                // before, which named no one.
                _ if same_sentence_as_prev => {
                    // Without the words of that quote.
                    let p = quotes[i - 1].outer;
                    let from = prev_sentence_from.min(p.start);
                    let whole = format!(
                        "{} \u{2026} {}",
                        &text[from..p.start],
                        &text[p.end..q.outer.start]
                    );
                    match reported_subject(&tokens(&whole)) {
                        Found::Name(n) => Some(n),
                        _ => None,
                    }
                }
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
            own_desc
                .or(referred_desc)
                .or(carried_desc)
                .or(reported_desc)
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
        prev_sentence_from = if same_sentence_as_prev {
            prev_sentence_from
        } else {
            // The offset of the sentence's first word in `text`.
            sentence
                .first()
                .and_then(|t| (t.word.as_ptr() as usize).checked_sub(text.as_ptr() as usize))
                .filter(|&o| o <= q.outer.start && text.is_char_boundary(o))
                .unwrap_or(q.outer.start)
        };
        seen.extend(speaker.clone());
        quotes[i].speaker = speaker;
        quotes[i].description = description;
    }
}

#[cfg(test)]
mod tests;
