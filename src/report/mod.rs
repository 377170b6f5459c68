//! Reports of a [`Comparison`](crate::compare::Comparison): one file per
//! output format. Reports only render; they never recompute analysis.

pub mod json;
pub mod text;

use crate::diff::{EditOp, WordEdit};

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

#[cfg(test)]
mod tests {
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
