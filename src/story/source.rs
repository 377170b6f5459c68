//! Choosing the source of a story: given by id, or inferred.
//!
//! Inference, in order:
//!
//! 1. **Earliest date.** Dates are compared by their day, read by
//!    [`day_of`] in the common forms of feeds and scrapes (ISO 8601,
//!    `2017/3/28`, `28 March 2017`, `March 28, 2017`, RFC 2822). When
//!    some articles have a readable date, only those of the earliest day are
//!    candidates; when none has, every article is.
//! 2. **Carried most by the others.** Among the candidates, the article
//!    with the most shingles (runs of words) that the other articles also
//!    have, summed over the other articles. A source is what others copy
//!    from, so its text turns up in theirs. The sum counts shingles, not
//!    shares, so a short excerpt that the others contain whole does not
//!    beat the longer text it was cut from. It is computed exactly in one
//!    pass over a table of how many articles hold each shingle, so it is
//!    linear in the total text.
//! 3. **Credited.** Still tied (an exact copy of the source has the same
//!    score): the article whose outlet most other articles credit as their
//!    `source`.
//! 4. **Input order.** Still tied: the first.

use std::collections::HashMap;

use crate::article::Article;
use crate::error::{Error, ErrorKind, Result};
use crate::sketch::shingle_set;

pub use super::date::day_of;

/// The chosen source: its index in the input and why it was chosen.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceChoice {
    /// Index into the articles.
    pub index: usize,
    /// One sentence for the report.
    pub reason: String,
}

/// Picks the source: the article with id `given`, or one inferred as the
/// module documentation says. Fails when `given` names no article.
pub fn choose_source(
    articles: &[Article],
    given: Option<&str>,
    shingle_size: usize,
) -> Result<SourceChoice> {
    if let Some(id) = given {
        return match articles.iter().position(|a| a.id == id) {
            Some(index) => Ok(SourceChoice {
                index,
                reason: format!("{id} was given as the source (--source)."),
            }),
            None => {
                let mut ids: Vec<&str> = articles.iter().map(|a| a.id.as_str()).collect();
                let more = ids.len() > 10;
                ids.truncate(10);
                Err(Error::new(ErrorKind::InvalidParam {
                    name: "source",
                    reason: format!(
                        "{id}: no article has this id; ids are {}{}",
                        ids.join(", "),
                        if more { ", …" } else { "" }
                    ),
                }))
            }
        };
    }
    Ok(infer(articles, shingle_size))
}

fn infer(articles: &[Article], shingle_size: usize) -> SourceChoice {
    let days: Vec<Option<String>> = articles
        .iter()
        .map(|a| a.date.as_deref().and_then(day_of))
        .collect();
    let earliest = days.iter().flatten().min().cloned();
    let candidates: Vec<usize> = match &earliest {
        Some(e) => (0..articles.len())
            .filter(|&i| days[i].as_ref() == Some(e))
            .collect(),
        None => (0..articles.len()).collect(),
    };
    let date_part = match &earliest {
        Some(e) if candidates.len() == 1 => format!("it has the earliest date ({e})"),
        Some(e) => format!(
            "it shares the earliest date ({e}) with {}",
            plural_others(candidates.len() - 1)
        ),
        None => "no article has a readable date".to_string(),
    };
    if candidates.len() == 1 {
        let index = candidates[0];
        return SourceChoice {
            index,
            reason: format!("{} is the source: {date_part}.", articles[index].id),
        };
    }

    let (carried, shares) = carried_scores(articles, &candidates, shingle_size);
    let best = carried.iter().copied().max().unwrap_or(0);
    let top: Vec<usize> = candidates
        .iter()
        .zip(&carried)
        .filter(|(_, s)| **s == best)
        .map(|(i, _)| *i)
        .collect();
    let share_of = |i: usize| shares[candidates.iter().position(|&c| c == i).unwrap_or(0)];
    let contain_part = format!(
        "the other articles carry more of its text than of any other candidate's \
         (on average {:.0}% of it)",
        share_of(top[0]) * 100.0
    );
    if top.len() == 1 {
        let index = top[0];
        return SourceChoice {
            index,
            reason: format!(
                "{} is the source: {date_part}, and {contain_part}.",
                articles[index].id
            ),
        };
    }

    let credits: Vec<usize> = top.iter().map(|&i| credited_by(articles, i)).collect();
    let most = credits.iter().copied().max().unwrap_or(0);
    let index = top[credits.iter().position(|&c| c == most).unwrap_or(0)];
    let tied: Vec<&str> = top
        .iter()
        .filter(|&&i| i != index)
        .map(|&i| articles[i].id.as_str())
        .collect();
    let tied_names = match tied.len() {
        1 | 2 => format!("{}'s", tied.join("'s or ")),
        n => format!("{n} other candidates' ({}'s, {}'s, …)", tied[0], tied[1]),
    };
    let shared = format!(
        "the other articles carry as much of its text as of {tied_names} (on average {:.0}% of it)",
        share_of(index) * 100.0
    );
    let tie_part = if most > 0 && credits.iter().filter(|&&c| c == most).count() == 1 {
        format!(
            "{} credit its outlet ({}) as their source",
            plural_others(most),
            articles[index].outlet.as_deref().unwrap_or("")
        )
    } else {
        "it comes first in the input".to_string()
    };
    SourceChoice {
        index,
        reason: format!(
            "{} is the source: {date_part}; {shared}; {tie_part}.",
            articles[index].id
        ),
    }
}

fn plural_others(n: usize) -> String {
    match n {
        1 => "1 other".to_string(),
        n => format!("{n} others"),
    }
}

/// For each candidate, the number of its shingles the other articles also
/// have, summed over the other articles, and the mean share of its
/// shingles another article has.
fn carried_scores(articles: &[Article], candidates: &[usize], k: usize) -> (Vec<u64>, Vec<f64>) {
    let sets: Vec<_> = articles.iter().map(|a| shingle_set(&a.text, k)).collect();
    let mut holders: HashMap<u64, u32> = HashMap::new();
    for s in &sets {
        for &h in s.hashes() {
            *holders.entry(h).or_default() += 1;
        }
    }
    let others = (articles.len() - 1).max(1) as f64;
    candidates
        .iter()
        .map(|&i| {
            let s = &sets[i];
            let carried: u64 = s.hashes().iter().map(|h| (holders[h] - 1) as u64).sum();
            let share = if s.is_empty() {
                0.0
            } else {
                carried as f64 / s.len() as f64 / others
            };
            (carried, share)
        })
        .unzip()
}

/// How many other articles credit article `i`'s outlet as their source.
fn credited_by(articles: &[Article], i: usize) -> usize {
    let Some(outlet) = articles[i].outlet.as_deref().map(str::trim) else {
        return 0;
    };
    if outlet.is_empty() {
        return 0;
    }
    articles
        .iter()
        .enumerate()
        .filter(|(j, a)| {
            *j != i
                && a.source
                    .as_deref()
                    .is_some_and(|s| s.trim().eq_ignore_ascii_case(outlet))
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn art(id: &str, date: Option<&str>, text: &str) -> Article {
        Article {
            id: id.into(),
            date: date.map(String::from),
            text: text.into(),
            ..Article::default()
        }
    }

    const BASE: &str = "The council approved the new harbour budget on Monday after a long debate \
                        about dredging the channel and repairing the old sea wall near the ferry.";

    #[test]
    fn days() {
        assert_eq!(day_of("2024-10-08").as_deref(), Some("2024-10-08"));
        assert_eq!(day_of("2024/10/08 09:00").as_deref(), Some("2024-10-08"));
        assert_eq!(day_of("2024-10-08T09:00Z").as_deref(), Some("2024-10-08"));
        assert_eq!(day_of("8 October 2024").as_deref(), Some("2024-10-08"));
        assert_eq!(day_of("2024-10-081"), None);
        assert_eq!(day_of("é"), None);
    }

    #[test]
    fn earliest_date_wins() {
        let a = [
            art("late", Some("2024-10-09"), BASE),
            art(
                "early",
                Some("2024-10-08"),
                "Something else entirely was said today.",
            ),
        ];
        let c = choose_source(&a, None, 4).unwrap();
        assert_eq!(c.index, 1);
        assert!(
            c.reason.contains("earliest date (2024-10-08)"),
            "{}",
            c.reason
        );
    }

    #[test]
    fn without_dates_the_most_contained_wins() {
        let trimmed = &BASE[..BASE.find(" after").unwrap()];
        let longer = format!("{BASE} Residents welcomed the decision on Tuesday.");
        let a = [
            art("trim", None, trimmed),
            art("full", None, BASE),
            art("long", None, &longer),
        ];
        // "full" is contained whole by "long" and half by "trim"; "long" has
        // a sentence nobody else has.
        let c = choose_source(&a, None, 4).unwrap();
        assert_eq!(a[c.index].id, "full", "{}", c.reason);
        assert!(c.reason.contains("no article has a readable date"));
    }

    #[test]
    fn exact_copies_tie_and_credit_decides() {
        let mut copy = art("copy", Some("2024-10-08"), BASE);
        copy.outlet = Some("Daily".into());
        copy.source = Some("Wire Agency".into());
        let mut wire = art("wire", Some("2024-10-08"), BASE);
        wire.outlet = Some("Wire Agency".into());
        let c = choose_source(&[copy, wire], None, 4).unwrap();
        assert_eq!(c.index, 1);
        assert!(
            c.reason.contains("credit its outlet (Wire Agency)"),
            "{}",
            c.reason
        );
    }

    #[test]
    fn given_source_and_unknown_id() {
        let a = [art("x", None, BASE), art("y", None, BASE)];
        assert_eq!(choose_source(&a, Some("y"), 4).unwrap().index, 1);
        let e = choose_source(&a, Some("z"), 4).unwrap_err();
        assert!(
            e.to_string()
                .contains("no article has this id; ids are x, y")
        );
    }
}
