//! Reports of a [`Story`]: one file per output
//! format. Like the pairwise reports, they render the story exactly as it
//! is and never recompute analysis.
//!
//! - [`text`]: for the terminal.
//! - [`json`]: the `neardiff.story/1` contract (`docs/story-schema.md`).
//! - [`html`]: one self-contained page with the passage matrix, the quote
//!   table and each outlet's side-by-side view.
//!
//! [`Story`]: crate::story::Story

pub mod html;
pub mod json;
pub mod text;

use crate::compare::FactKind;
use crate::story::{QuoteState, Story, StoryArticle};

/// Collapses whitespace and cuts `s` to at most `max` characters, with `…`.
pub(crate) fn clip(s: &str, max: usize) -> String {
    let one: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() <= max {
        return one;
    }
    let mut out: String = one.chars().take(max.saturating_sub(1)).collect();
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

/// `id (outlet, date)` of an article.
pub(crate) fn describe(a: &StoryArticle) -> String {
    let extra: Vec<&str> = [a.outlet.as_deref(), a.date.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    if extra.is_empty() {
        a.id.clone()
    } else {
        format!("{} ({})", a.id, extra.join(", "))
    }
}

/// The related articles in report order: the source, then the outlets most
/// changed first.
pub(crate) fn columns(story: &Story) -> Vec<&StoryArticle> {
    let mut v = vec![story.source_article()];
    v.extend(story.ranked_outlets());
    v
}

pub(crate) fn fact_kind_name(k: FactKind) -> &'static str {
    match k {
        FactKind::Number => "number",
        FactKind::Date => "date",
        FactKind::Name => "name",
        FactKind::ListItem => "list item",
        FactKind::Wording => "wording",
    }
}

/// Order in which quotes are listed among changed quotes.
pub(crate) fn worst_state(q: &crate::story::StoryQuote) -> QuoteState {
    q.by_article
        .values()
        .copied()
        .filter(|s| *s != QuoteState::Absent)
        .min()
        .unwrap_or(QuoteState::Absent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_collapses_and_cuts() {
        assert_eq!(clip("a\n\n b", 10), "a b");
        assert_eq!(clip("one two three four", 9), "one two…");
        assert_eq!(clip("héllo wörld", 6), "héllo…");
    }
}
