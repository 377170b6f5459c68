//! Reports: one file per output format.
//!
//! Every report renders a [`Comparison`] exactly
//! as it is. No report recomputes analysis; they only slice the article
//! texts at the byte ranges the comparison gives.
//!
//! - [`text`]: for the terminal.
//! - [`json`]: the `neardiff.compare/4` contract.
//! - [`markdown`]: for pasting into a ticket or a fact-check.
//! - [`html`]: one self-contained page with the two articles side by side.
//! - [`story`]: the reports of one source against many outlets.

pub mod html;
pub mod json;
pub mod markdown;
pub mod story;
pub mod text;

use crate::compare::{Comparison, Run};
use crate::diff::{EditOp, WordEdit};
use crate::text::Span;

/// A piece of a rendered word diff.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text both sides share (words, or the spaces and punctuation between).
    Same(&'a str),
    /// Words only A has.
    Deleted(&'a str),
    /// Words only B has.
    Inserted(&'a str),
}

/// Turns word edits into a sequence of pieces for display: A's text for
/// shared words and the gaps between words, A's words for deletions, B's
/// words for insertions (a replacement is a deletion then an insertion).
pub fn diff_pieces<'a>(a: &'a str, b: &'a str, edits: &[WordEdit]) -> Vec<Piece<'a>> {
    let mut out = Vec::with_capacity(edits.len() * 2);
    let Some(first) = edits.first() else {
        return out;
    };
    let (mut ca, mut cb) = (first.a.start, first.b.start);
    let mut prev = None;
    for e in edits {
        match e.op {
            EditOp::Equal => {
                // After an insertion, the gap shown is B's, whose words were
                // just shown; otherwise A's.
                let gap = if prev == Some(EditOp::Insert) {
                    &b[cb..e.b.start]
                } else {
                    &a[ca..e.a.start]
                };
                push_same(&mut out, gap);
                push_same(&mut out, e.a.slice(a));
            }
            EditOp::Delete => {
                push_same(&mut out, &a[ca..e.a.start]);
                out.push(Piece::Deleted(e.a.slice(a)));
            }
            EditOp::Insert => {
                let gap = &b[cb..e.b.start];
                push_same(
                    &mut out,
                    if gap.is_empty() && ca > first.a.start {
                        " "
                    } else {
                        gap
                    },
                );
                out.push(Piece::Inserted(e.b.slice(b)));
            }
            EditOp::Replace => {
                push_same(&mut out, &a[ca..e.a.start]);
                out.push(Piece::Deleted(e.a.slice(a)));
                out.push(Piece::Inserted(e.b.slice(b)));
            }
        }
        // An insertion's A range is empty at the next word: A's cursor stays
        // so the gap before that word is kept.
        if e.op != EditOp::Insert {
            ca = e.a.end.max(ca);
        }
        cb = e.b.end.max(cb);
        prev = Some(e.op);
    }
    out
}

fn push_same<'a>(out: &mut Vec<Piece<'a>>, s: &'a str) {
    if !s.is_empty() {
        out.push(Piece::Same(s));
    }
}

/// One piece of an inline word diff, ready to print.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DiffPiece<'a> {
    /// Words both sides have.
    Same(&'a str),
    /// The spaces or punctuation between two runs.
    Gap(&'a str),
    /// Words only A has.
    Deleted(&'a str),
    /// Words only B has.
    Inserted(&'a str),
}

/// The copied runs a report lists: those that show copying the sentence
/// alignment does not, i.e. runs not marked aligned with some of B's words
/// outside every aligned run (a phrase B has in an aligned sentence and A
/// repeats elsewhere adds nothing a reader does not already see), and of
/// runs over the same words of B only the first (in order of B, then of
/// A). In order of B.
pub(crate) fn runs_to_show(c: &Comparison) -> Vec<&Run> {
    // B's ranges covered by aligned runs, merged, in order.
    let mut covered: Vec<Span> = c.runs.iter().filter(|r| r.aligned).map(|r| r.b).collect();
    covered.sort_unstable();
    let mut merged: Vec<Span> = Vec::with_capacity(covered.len());
    for s in covered {
        match merged.last_mut() {
            Some(m) if s.start <= m.end => m.end = m.end.max(s.end),
            _ => merged.push(s),
        }
    }
    let within = |s: Span| {
        let i = merged.partition_point(|m| m.start <= s.start);
        i > 0 && merged[i - 1].end >= s.end
    };
    // Runs come in order of B; one whose B words a run already listed
    // covers (the same phrase of B found again elsewhere in A, or in
    // another version) adds nothing.
    let mut listed_end = 0;
    c.runs
        .iter()
        .filter(|r| !r.aligned && !within(r.b))
        .filter(|r| {
            let new = r.b.end > listed_end;
            listed_end = listed_end.max(r.b.end);
            new
        })
        .collect()
}

/// How a report names the version of a source made of several versions
/// (`a_version` of a run or passage): `version 2, ID`, or nothing for a
/// single article (or an index out of range).
pub(crate) fn version_name(c: &Comparison, v: Option<usize>) -> Option<String> {
    let v = v?;
    let version = c.a.versions.get(v)?;
    Some(format!("version {}, {}", v + 1, version.id))
}

/// One line per version of a source made of several: `version N: ID,
/// DATE — TITLE, bytes START..END`.
pub(crate) fn version_lines(c: &Comparison) -> Vec<String> {
    c.a.versions
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let mut line = format!("version {}: {}", i + 1, v.id);
            if let Some(d) = &v.date {
                line.push_str(&format!(", {d}"));
            }
            if let Some(t) = &v.title {
                line.push_str(&format!(
                    " — {}",
                    t.split_whitespace().collect::<Vec<_>>().join(" ")
                ));
            }
            line.push_str(&format!(", bytes {}..{}", v.start, v.end));
            line
        })
        .collect()
}

/// Slices `text` at `start..end`, or gives "" when the range is not valid
/// for `text` (reports must never panic on a malformed comparison).
pub(crate) fn slice(text: &str, start: usize, end: usize) -> &str {
    text.get(start..end).unwrap_or("")
}

/// Turns word edits between the range `a` of `a_text` and the range `b` of
/// `b_text` into one inline sequence: B's wording with A's deleted words in
/// their place. The text between runs comes from B where B has any, else
/// from A, so a deleted run keeps the space around it.
pub(crate) fn inline_diff<'a>(
    a_text: &'a str,
    a: Span,
    b_text: &'a str,
    b: Span,
    edits: &[WordEdit],
) -> Vec<DiffPiece<'a>> {
    let mut out = Vec::with_capacity(edits.len() * 2 + 1);
    let (mut pa, mut pb) = (a.start, b.start);
    let gap = |out: &mut Vec<DiffPiece<'a>>, pa: usize, ea: usize, pb: usize, eb: usize| {
        let gb = slice(b_text, pb, eb);
        let g = if gb.is_empty() {
            slice(a_text, pa, ea)
        } else {
            gb
        };
        if !g.is_empty() {
            out.push(DiffPiece::Gap(g));
        }
    };
    for e in edits {
        gap(&mut out, pa, e.a.start, pb, e.b.start);
        let at = slice(a_text, e.a.start, e.a.end);
        let bt = slice(b_text, e.b.start, e.b.end);
        match e.op {
            EditOp::Equal => out.push(DiffPiece::Same(if bt.is_empty() { at } else { bt })),
            EditOp::Delete => out.push(DiffPiece::Deleted(at)),
            EditOp::Insert => out.push(DiffPiece::Inserted(bt)),
            EditOp::Replace => {
                out.push(DiffPiece::Deleted(at));
                out.push(DiffPiece::Gap(" "));
                out.push(DiffPiece::Inserted(bt));
            }
        }
        pa = pa.max(e.a.end);
        pb = pb.max(e.b.end);
    }
    gap(&mut out, pa, a.end, pb, b.end);
    out.retain(|p| match p {
        DiffPiece::Same(s) | DiffPiece::Gap(s) | DiffPiece::Deleted(s) | DiffPiece::Inserted(s) => {
            !s.is_empty()
        }
    });
    out
}

/// The inline word diff of a quote found in both articles. Edits are
/// expected as byte ranges into the article bodies, like passage edits; if
/// they only fit inside the quote texts themselves, they are read as
/// offsets into [`QuoteRef::text`](crate::compare::QuoteRef) instead.
pub(crate) fn quote_diff<'a>(
    a_body: &'a str,
    qa: &'a crate::compare::QuoteRef,
    b_body: &'a str,
    qb: &'a crate::compare::QuoteRef,
    edits: &[WordEdit],
) -> Vec<DiffPiece<'a>> {
    let within = |s: Span, r: Span| r.start <= s.start && s.end <= r.end;
    let (ra, rb) = (Span::new(qa.start, qa.end), Span::new(qb.start, qb.end));
    let in_bodies = edits.iter().all(|e| within(e.a, ra) && within(e.b, rb));
    if in_bodies {
        return inline_diff(a_body, ra, b_body, rb, edits);
    }
    let (la, lb) = (Span::new(0, qa.text.len()), Span::new(0, qb.text.len()));
    if edits.iter().all(|e| within(e.a, la) && within(e.b, lb)) {
        return inline_diff(&qa.text, la, &qb.text, lb, edits);
    }
    inline_diff(a_body, ra, b_body, rb, edits)
}

/// A ratio in [0, 1] as a percentage with one decimal, e.g. `41.2%`.
pub(crate) fn percent(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// `n` followed by the singular or plural noun.
pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
pub(crate) mod fixture;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::words;

    fn pieces<'a>(a: &'a str, b: &'a str) -> Vec<DiffPiece<'a>> {
        let d = crate::diff::word_diff(&words(a), &words(b));
        inline_diff(a, Span::new(0, a.len()), b, Span::new(0, b.len()), &d.edits)
    }

    #[test]
    fn replace_shows_deleted_then_inserted() {
        use DiffPiece::*;
        assert_eq!(
            pieces("is an important ally.", "is a key ally."),
            [
                Same("is"),
                Gap(" "),
                Deleted("an important"),
                Gap(" "),
                Inserted("a key"),
                Gap(" "),
                Same("ally"),
                Gap("."),
            ]
        );
    }

    #[test]
    fn deleted_word_keeps_spaces_on_both_sides() {
        use DiffPiece::*;
        assert_eq!(
            pieces("one two three", "one three"),
            [
                Same("one"),
                Gap(" "),
                Deleted("two"),
                Gap(" "),
                Same("three")
            ]
        );
        assert_eq!(
            pieces("one two", "one two three"),
            [Same("one two"), Gap(" "), Inserted("three")]
        );
    }

    #[test]
    fn quote_edits_relative_to_the_quote_text_also_render() {
        use DiffPiece::*;
        let q = |text: &str, start: usize| crate::compare::QuoteRef {
            text: text.into(),
            start,
            end: start + text.len(),
            speaker: None,
            speaker_description: None,
        };
        let (qa, qb) = (q("an important ally", 40), q("a key ally", 40));
        let d = crate::diff::word_diff(&words(&qa.text), &words(&qb.text));
        let body_a = format!("{}{}", " ".repeat(40), qa.text);
        let body_b = format!("{}{}", " ".repeat(40), qb.text);
        let p = quote_diff(&body_a, &qa, &body_b, &qb, &d.edits);
        assert_eq!(
            p,
            [
                Deleted("an important"),
                Gap(" "),
                Inserted("a key"),
                Gap(" "),
                Same("ally")
            ]
        );
    }

    #[test]
    fn bad_ranges_do_not_panic() {
        let e = WordEdit {
            op: EditOp::Replace,
            a: Span::new(5, 500),
            b: Span::new(2, 1),
        };
        let p = inline_diff("héllo", Span::new(0, 99), "x", Span::new(0, 1), &[e]);
        // Out-of-range runs come out empty and are left out.
        assert_eq!(p, [DiffPiece::Gap("héll"), DiffPiece::Gap(" ")]);
    }
}

#[cfg(test)]
mod piece_tests {
    use super::*;
    use crate::diff::word_diff;
    use crate::text::words;

    #[test]
    fn pieces_of_a_replacement() {
        let a = "Azerbaijan is an important ally, he said.";
        let b = "Azerbaijan is a key ally, he said.";
        let d = word_diff(&words(a), &words(b));
        let p = diff_pieces(a, b, &d.edits);
        assert_eq!(
            p,
            [
                Piece::Same("Azerbaijan is"),
                Piece::Same(" "),
                Piece::Deleted("an important"),
                Piece::Inserted("a key"),
                Piece::Same(" "),
                Piece::Same("ally, he said"),
            ]
        );
    }
}
