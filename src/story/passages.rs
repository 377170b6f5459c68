//! The passage matrix: for every sentence of the source, what each outlet
//! did with it, read off the outlet's pairwise [`Comparison`].
//!
//! A source sentence inside an `unchanged` passage is **kept**; inside a
//! `moved` passage it is kept (and marked moved) when the words are the
//! same, else **reworded**; inside a `reworded` passage it is reworded,
//! with the outlet's wording and the word diff. A sentence inside a
//! `dropped` passage, or in no passage at all, is **dropped**. An aligned
//! passage may cover two source sentences (the outlet merged them); both
//! then get the same cell.

use crate::align::Segmented;
use crate::compare::{Comparison, PassageKind};
use crate::diff::{EditOp, WordEdit};
use crate::text::Span;

use super::model::{DiffOp, DiffPart, PassageCell, PassageStatus, TextRange};

/// What one outlet did with each source sentence, in source order.
pub fn cells(source: &Segmented, c: &Comparison) -> Vec<PassageCell> {
    let dropped = PassageCell {
        status: PassageStatus::Dropped,
        moved: false,
        wording: None,
        diff: Vec::new(),
    };
    let mut out = vec![dropped; source.sentences.len()];
    for p in &c.passages {
        let Some(a) = p.a else { continue };
        let changed = p.edits.iter().any(|e| e.op != EditOp::Equal);
        let (status, moved) = match p.kind {
            PassageKind::Unchanged => (PassageStatus::Kept, false),
            PassageKind::Reworded => (PassageStatus::Reworded, false),
            PassageKind::Moved if changed => (PassageStatus::Reworded, true),
            PassageKind::Moved => (PassageStatus::Kept, true),
            PassageKind::Dropped | PassageKind::Added => continue,
        };
        let (wording, diff) = match (status, p.b) {
            (PassageStatus::Reworded, Some(b)) => (
                Some(text_range(&c.b.text, b)),
                diff_parts(&c.a.text, &c.b.text, &p.edits),
            ),
            _ => (None, Vec::new()),
        };
        let cell = PassageCell {
            status,
            moved,
            wording,
            diff,
        };
        for i in sentences_within(&source.sentences, a) {
            out[i] = cell.clone();
        }
    }
    out
}

/// Indices of the sentences lying inside `span`.
fn sentences_within(sentences: &[Span], span: Span) -> std::ops::Range<usize> {
    let first = sentences.partition_point(|s| s.start < span.start);
    let end = first + sentences[first..].partition_point(|s| s.end <= span.end);
    first..end
}

/// `span` of `text` with its text.
pub fn text_range(text: &str, span: Span) -> TextRange {
    TextRange {
        start: span.start,
        end: span.end,
        text: text.get(span.start..span.end).unwrap_or("").to_string(),
    }
}

/// Turns word edits (byte ranges into `a` and `b`) into display runs: the
/// text between runs is taken from `b` where it has any, else from `a`;
/// neighbouring runs of the same kind are joined.
pub fn diff_parts(a: &str, b: &str, edits: &[WordEdit]) -> Vec<DiffPart> {
    let mut out: Vec<DiffPart> = Vec::new();
    let Some(first) = edits.first() else {
        return out;
    };
    let slice = |t: &str, s: usize, e: usize| t.get(s..e).unwrap_or("").to_string();
    let mut push = |op: DiffOp, text: String| {
        if text.is_empty() {
            return;
        }
        match out.last_mut() {
            Some(last) if last.op == op => last.text.push_str(&text),
            _ => out.push(DiffPart { op, text }),
        }
    };
    let (mut pa, mut pb) = (first.a.start, first.b.start);
    for e in edits {
        let gap_b = slice(b, pb, e.b.start.max(pb));
        let gap = if gap_b.is_empty() {
            slice(a, pa, e.a.start.max(pa))
        } else {
            gap_b
        };
        push(DiffOp::Same, gap);
        match e.op {
            EditOp::Equal => push(DiffOp::Same, slice(b, e.b.start, e.b.end)),
            EditOp::Delete => push(DiffOp::Deleted, slice(a, e.a.start, e.a.end)),
            EditOp::Insert => push(DiffOp::Inserted, slice(b, e.b.start, e.b.end)),
            EditOp::Replace => {
                push(DiffOp::Deleted, slice(a, e.a.start, e.a.end));
                push(DiffOp::Inserted, slice(b, e.b.start, e.b.end));
            }
        }
        pa = pa.max(e.a.end);
        pb = pb.max(e.b.end);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Article;
    use crate::compare::{CompareOptions, compare};
    use crate::diff::word_diff;
    use crate::text::words;

    fn art(id: &str, text: &str) -> Article {
        Article {
            id: id.into(),
            text: text.into(),
            ..Article::default()
        }
    }

    #[test]
    fn diff_parts_of_a_replacement() {
        let (a, b) = ("the most difficult fires", "the most dangerous fires");
        let d = word_diff(&words(a), &words(b));
        let p = diff_parts(a, b, &d.edits);
        let ops: Vec<(DiffOp, &str)> = p.iter().map(|p| (p.op, p.text.as_str())).collect();
        assert_eq!(
            ops,
            [
                (DiffOp::Same, "the most "),
                (DiffOp::Deleted, "difficult"),
                (DiffOp::Inserted, "dangerous"),
                (DiffOp::Same, " fires"),
            ]
        );
    }

    #[test]
    fn kept_reworded_and_dropped_cells() {
        let src = "The council met on Monday to discuss the harbour plan. \
                   It approved a budget of 45 million crowns for the new quay. \
                   Residents protested outside the town hall all afternoon.";
        let out = "The council met on Monday to discuss the harbour plan. \
                   It approved a budget of 54 million crowns for the new quay.";
        let c = compare(&art("s", src), &art("o", out), &CompareOptions::default());
        let seg = Segmented::new(src);
        let cells = cells(&seg, &c);
        let st: Vec<PassageStatus> = cells.iter().map(|c| c.status).collect();
        assert_eq!(
            st,
            [
                PassageStatus::Kept,
                PassageStatus::Reworded,
                PassageStatus::Dropped
            ]
        );
        let w = cells[1].wording.as_ref().unwrap();
        assert!(w.text.contains("54 million"));
        assert!(
            cells[1]
                .diff
                .iter()
                .any(|p| p.op == DiffOp::Inserted && p.text == "54")
        );
    }

    #[test]
    fn sentences_within_a_span() {
        let s = [Span::new(0, 5), Span::new(6, 10), Span::new(11, 20)];
        assert_eq!(sentences_within(&s, Span::new(6, 20)), 1..3);
        assert_eq!(sentences_within(&s, Span::new(0, 5)), 0..1);
        assert_eq!(sentences_within(&s, Span::new(21, 30)), 3..3);
    }
}
