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
//! than none). `they` means only a group the text describes and follows
//! (`The scientists said ... "...," they wrote`), never a name; `we` is
//! never resolved, and `it` only to an organisation. Anything else stays
//! unknown: nothing is guessed.
//!
//! A speaker described but not named (`a spokesman for the ministry`, `One
//! voter`, `two officials`: a determiner, or a bare plural, and a
//! lower-case noun) is kept as the quote's
//! [`description`](super::Quote::description), for its quote and the quotes
//! that go on with its words; the speaker stays `None`. So is someone
//! defined by who they are to a person named (`the mother of Ola Berg`,
//! `Ola Berg's lawyer`, `the man's father`): that person is not the
//! speaker, and `the father said` does not mean the person in focus.

mod follow;
mod own;
mod phrase;
mod refer;
mod same;
mod tokens;
mod words;

use super::Quote;
use crate::text::paragraphs;
pub(crate) use follow::attribute_in;
pub use same::same_speaker;

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

/// Helpers of the tests of this module's files.
#[cfg(test)]
mod tests {
    use crate::quotes::extract;

    /// The speaker of the first quote of `text`.
    pub(super) fn speaker(text: &str) -> Option<String> {
        extract(text).quotes.first().and_then(|q| q.speaker.clone())
    }

    /// The speaker of the quote starting with `start`.
    pub(super) fn speaker_of(text: &str, start: &str) -> Option<String> {
        let scan = extract(text);
        let q = scan
            .quotes
            .iter()
            .find(|q| q.span.slice(text).starts_with(start))
            .unwrap_or_else(|| panic!("no quote starting {start:?}"));
        q.speaker.clone()
    }

    pub(super) fn some(s: &str) -> Option<String> {
        Some(s.to_string())
    }

    /// The speakers of all quotes of `text`, in order.
    pub(super) fn speakers(text: &str) -> Vec<Option<String>> {
        extract(text)
            .quotes
            .into_iter()
            .map(|q| q.speaker)
            .collect()
    }

    pub(super) fn descriptions(text: &str) -> Vec<Option<String>> {
        extract(text)
            .quotes
            .into_iter()
            .map(|q| q.description)
            .collect()
    }
}
