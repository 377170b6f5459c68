//! What a pronoun or a definite description in an attribution stands for
//! (`he said`, `it added`, `the court said`, `the spokesperson added`).
//!
//! News writing names a speaker once and then leans on it:
//!
//! * `he` or `she`, and a description of a person (`the diplomat`, `the
//!   President`), mean the person in focus; when the text has no named
//!   person in focus but has just introduced someone it does not name (`a
//!   provincial official said ... "...," he said`), they mean that
//!   someone, who stays described, not named;
//! * `it`, and a description of an organisation or a document (`the
//!   court`, `the airline`, `the statement`), mean the organisation last
//!   named as speaking, never a person; without one, the description is
//!   what the text says of the speaker (`speaker not named: the court`),
//!   and `it` stays unknown;
//! * `they` means a group the text describes and follows (`the
//!   scientists`), never a name; `we` and `you` are never resolved.

use super::phrase::Found;
use super::same::same_speaker;
use super::words::{
    INSTITUTION_WORDS, PERSON_TITLES, PERSONAL_PRONOUNS, RELATION_NOUNS, STATEMENT_WORDS,
    TITLE_WORDS,
};

/// Nouns for organisations and documents, which speak as themselves: `the
/// court said` means a court, never the person last quoted.
const ORGANISATION_NOUNS: &[&str] = &[
    "agency",
    "airline",
    "airlines",
    "airport",
    "army",
    "association",
    "authority",
    "bank",
    "board",
    "broadcaster",
    "bureau",
    "campaign",
    "carrier",
    "channel",
    "charter",
    "club",
    "commission",
    "committee",
    "company",
    "convention",
    "corporation",
    "council",
    "court",
    "department",
    "directive",
    "document",
    "embassy",
    "federation",
    "firm",
    "force",
    "forces",
    "foundation",
    "government",
    "group",
    "institute",
    "league",
    "military",
    "ministry",
    "navy",
    "network",
    "newspaper",
    "office",
    "organisation",
    "organization",
    "panel",
    "paper",
    "party",
    "police",
    "presidency",
    "regulator",
    "service",
    "team",
    "union",
    "university",
    "website",
];

/// What the context says about who is speaking, for [`resolve`].
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Context<'a> {
    /// The person in focus (see the module documentation of `speaker`).
    pub focus: Option<&'a str>,
    /// The speaker last named as speaking.
    pub current: Option<&'a str>,
    /// A speaker described but not named that the text is following.
    pub described: Option<&'a str>,
    /// The text before the reference.
    pub earlier: &'a str,
    /// The speakers named so far.
    pub seen: &'a [String],
}

/// Whom a reference stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Referent {
    /// A named speaker.
    Named(String),
    /// A speaker described but not named (the description).
    Described(String),
    /// The text does not say.
    Unknown,
}

/// Whether `found` is a reference that [`resolve`] may resolve: `he`,
/// `she`, `it` or a definite description.
pub(super) fn is_reference(found: &Found) -> bool {
    match found {
        Found::Pronoun(p) => PERSONAL_PRONOUNS.contains(&p.as_str()) || p == "it" || p == "they",
        Found::Desc(_) => true,
        _ => false,
    }
}

/// What the reference `found` stands for in `ctx`.
pub(super) fn resolve(found: &Found, ctx: Context) -> Referent {
    let named = |s: Option<&str>| s.map(|s| Referent::Named(s.to_string()));
    let described = || {
        ctx.described
            .filter(|d| !is_plural(d))
            .map(|d| Referent::Described(d.to_string()))
    };
    let organisation = || ctx.current.filter(|c| organisation_like(c));
    let out = match found {
        // Not a description followed: `it` is as often a thing.
        Found::Pronoun(p) if p == "it" => named(organisation()),
        // `The scientists said ... "...," they wrote`: a group described
        // and followed; never a name.
        Found::Pronoun(p) if p == "they" => ctx
            .described
            .filter(|d| is_plural(d))
            .map(|d| Referent::Described(d.to_string())),
        Found::Pronoun(p) if PERSONAL_PRONOUNS.contains(&p.as_str()) => {
            named(ctx.focus.filter(|f| !organisation_like(f))).or_else(described)
        }
        // `the state's complaint`, `the company's founder`: someone the
        // text has not named as such; what it says of them.
        Found::Desc(Some(words))
            if words
                .split(' ')
                .skip(1)
                .any(|w| w.ends_with("'s") || w.ends_with("’s")) =>
        {
            Some(Referent::Described(words.clone()))
        }
        Found::Desc(words) => {
            let head = words
                .as_deref()
                .and_then(|w| w.rsplit(' ').next())
                .map(str::to_lowercase);
            // `the president`, `the attorney general`: the person the text
            // last gave that title, when it did.
            if let Some(n) = words.as_deref().and_then(|w| titled_name(ctx.earlier, w)) {
                let seen = ctx.seen.iter().rev().find(|s| same_speaker(s, &n));
                return Referent::Named(seen.cloned().unwrap_or(n));
            }
            match head {
                // `the father said`: someone defined by who they are to
                // someone else, rarely the person in focus.
                // (Not `the spokesman`, who speaks for the one named.)
                Some(h) if RELATION_NOUNS.contains(&h.as_str()) && !h.starts_with("spokes") => {
                    words.clone().map(Referent::Described)
                }
                Some(h) if ORGANISATION_NOUNS.contains(&h.as_str()) => {
                    named(organisation()).or_else(|| words.clone().map(Referent::Described))
                }
                // `the statement said`: its author, person or not.
                Some(h) if STATEMENT_WORDS.contains(&h.as_str()) => named(ctx.focus)
                    .or_else(|| named(ctx.current))
                    .or_else(|| ctx.described.map(|d| Referent::Described(d.to_string())))
                    .or_else(|| words.clone().map(Referent::Described)),
                _ => named(ctx.focus.filter(|f| !organisation_like(f))).or_else(described),
            }
        }
        _ => None,
    };
    out.unwrap_or(Referent::Unknown)
}

/// The name the `earlier` text last gave after the title that ends
/// `description` (`the attorney general` and `Attorney General, Jeff
/// Sessions,` or `Attorney General Jeff Sessions`): up to three
/// capitalised words after the capitalised title, an optional comma
/// between. The title is the description's last word, or its last two
/// when both are titles (`attorney general`, `prime minister`).
fn titled_name(earlier: &str, description: &str) -> Option<String> {
    let words: Vec<String> = description
        .split(' ')
        .map(|w| w.to_lowercase())
        .filter(|w| !matches!(w.as_str(), "the" | "his" | "her" | "its" | "their"))
        .collect();
    let head = words.last()?;
    if !PERSON_TITLES.contains(&head.as_str()) && !TITLE_WORDS.contains(&head.as_str()) {
        return None;
    }
    let two = words.len() >= 2 && {
        let w = words[words.len() - 2].as_str();
        TITLE_WORDS.contains(&w)
            || PERSON_TITLES.contains(&w)
            || matches!(w, "prime" | "attorney" | "foreign" | "deputy" | "vice")
    };
    let title = if two {
        format!("{} {}", words[words.len() - 2], head)
    } else {
        head.clone()
    };
    let lower = earlier.to_ascii_lowercase();
    let mut found = None;
    for (at, _) in lower.match_indices(title.as_str()) {
        let before_ok = earlier[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let capitalised = earlier[at..].chars().next().is_some_and(char::is_uppercase);
        let rest = &earlier[at + title.len()..];
        let rest = rest.strip_prefix(',').unwrap_or(rest);
        if !before_ok || !capitalised || !rest.starts_with(' ') {
            continue;
        }
        let mut name: Vec<&str> = Vec::new();
        for tok in rest.split_whitespace().take(3) {
            let word = tok.trim_end_matches(|c: char| !c.is_alphanumeric());
            // `President Anneke Soltau's plan`: the name ends there.
            let possessive = word.strip_suffix("'s").or_else(|| word.strip_suffix("’s"));
            let (word, trail) = match possessive {
                Some(w) => (w, "'s"),
                None => (word, &tok[word.len()..]),
            };
            let ok = word.chars().next().is_some_and(char::is_uppercase)
                && word.chars().all(|c| c.is_alphabetic() || c == '-')
                && !TITLE_WORDS.contains(&word.to_lowercase().as_str())
                && !PERSON_TITLES.contains(&word.to_lowercase().as_str());
            if !ok {
                break;
            }
            // Only an initial's full stop (`Thomas J. Donohue`) goes on.
            let initial = word.chars().count() == 1 && trail == ".";
            name.push(if initial {
                &tok[..word.len() + 1]
            } else {
                word
            });
            if !trail.is_empty() && !initial {
                break;
            }
        }
        if !name.is_empty() {
            found = Some(name.join(" "));
        }
    }
    found
}

/// Whether a description is of more than one (`two officials`).
fn is_plural(description: &str) -> bool {
    let head = description
        .split(' ')
        .take_while(|w| {
            !matches!(
                *w,
                "for" | "of" | "at" | "with" | "from" | "in" | "on" | "to"
            )
        })
        .last()
        .unwrap_or("")
        .to_lowercase();
    head.ends_with('s') && !head.ends_with("ss")
}

/// Whether a speaker's name or description is an organisation's or a
/// document's rather than a person's: its head word (the last one before
/// any `of`) is a noun for an organisation (`Bureau of Meteorology`, `the
/// interior ministry`, `Flybe Airlines`), or it is an acronym (`KCNA`,
/// `NAVFOR`). `Police Commissioner Ian Stewart` is a person.
pub(super) fn organisation_like(name: &str) -> bool {
    let words: Vec<&str> = name
        .split_whitespace()
        .take_while(|w| !w.eq_ignore_ascii_case("of"))
        .collect();
    let Some(head) = words.last() else {
        return false;
    };
    let acronym = words.len() == 1
        && head.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && head.chars().all(|c| c.is_uppercase() || !c.is_alphabetic());
    let head = head.trim_end_matches("'s").to_lowercase();
    let person_title = matches!(
        head.as_str(),
        "minister" | "president" | "spokesperson" | "spokesman" | "spokeswoman"
    );
    acronym
        || ORGANISATION_NOUNS.contains(&head.as_str())
        || (INSTITUTION_WORDS.contains(&head.as_str()) && !person_title)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx<'a>(
        focus: Option<&'a str>,
        current: Option<&'a str>,
        described: Option<&'a str>,
    ) -> Context<'a> {
        Context {
            focus,
            current,
            described,
            earlier: "",
            seen: &[],
        }
    }

    #[test]
    fn titles_name_the_person() {
        let t = "Tarn's Attorney General, Ola Berg, said so. President Anneke Soltau agreed.";
        assert_eq!(
            titled_name(t, "the attorney general").as_deref(),
            Some("Ola Berg")
        );
        assert_eq!(
            titled_name(t, "The Tarnish president").as_deref(),
            Some("Anneke Soltau")
        );
        assert_eq!(titled_name(t, "the diplomat"), None);
        assert_eq!(
            titled_name("Tarn President Ola J. Berg said", "the president").as_deref(),
            Some("Ola J. Berg")
        );
        assert_eq!(
            titled_name("under President Anneke Soltau's plan", "the president").as_deref(),
            Some("Anneke Soltau")
        );
        assert_eq!(
            titled_name("the Prime Minister's Office said", "the Prime Minister"),
            None
        );
        let president = Found::Desc(Some("the president".into()));
        let c = Context {
            focus: Some("Ola Berg"),
            earlier: t,
            ..Context::default()
        };
        assert_eq!(
            resolve(&president, c),
            Referent::Named("Anneke Soltau".into())
        );
    }

    #[test]
    fn organisations_and_people() {
        for org in [
            "Bureau of Meteorology",
            "KCNA",
            "the interior ministry",
            "Tarn City Football Club",
            "European Court of Justice",
        ] {
            assert!(organisation_like(org), "{org}");
        }
        for person in [
            "Ola Berg",
            "Mr Berg",
            "Prime Minister Anneke Soltau",
            "Berg",
            "Tarn Police Commissioner Ian Stewart",
            "Josef Hartmann of the Civic List",
        ] {
            assert!(!organisation_like(person), "{person}");
        }
    }

    #[test]
    fn it_means_an_organisation_never_a_person() {
        let it = Found::Pronoun("it".into());
        assert_eq!(
            resolve(&it, ctx(None, Some("Bureau of Meteorology"), None)),
            Referent::Named("Bureau of Meteorology".into())
        );
        assert_eq!(
            resolve(&it, ctx(Some("Ola Berg"), Some("Ola Berg"), None)),
            Referent::Unknown
        );
    }

    #[test]
    fn he_means_the_person_in_focus_or_someone_just_described() {
        let he = Found::Pronoun("he".into());
        assert_eq!(
            resolve(&he, ctx(Some("Ola Berg"), None, None)),
            Referent::Named("Ola Berg".into())
        );
        assert_eq!(
            resolve(&he, ctx(None, None, Some("a provincial official"))),
            Referent::Described("a provincial official".into())
        );
        // `officials said ... he said`: not one of them.
        assert_eq!(
            resolve(&he, ctx(None, None, Some("two officials"))),
            Referent::Unknown
        );
        assert_eq!(
            resolve(&he, ctx(Some("KCNA"), Some("KCNA"), None)),
            Referent::Unknown
        );
    }

    #[test]
    fn descriptions_of_organisations() {
        let court = Found::Desc(Some("the court".into()));
        assert_eq!(
            resolve(&court, ctx(Some("Ola Berg"), Some("Ola Berg"), None)),
            Referent::Described("the court".into())
        );
        assert_eq!(
            resolve(&court, ctx(None, Some("European Court of Justice"), None)),
            Referent::Named("European Court of Justice".into())
        );
        let diplomat = Found::Desc(Some("the diplomat".into()));
        assert_eq!(
            resolve(&diplomat, ctx(Some("Ola Berg"), None, None)),
            Referent::Named("Ola Berg".into())
        );
        assert_eq!(resolve(&diplomat, ctx(None, None, None)), Referent::Unknown);
    }
}
