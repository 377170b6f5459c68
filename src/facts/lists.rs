//! List items: the items of lists (three or more, the last after `and` or
//! `or`) that one side has and the other lacks.

use super::*;

pub(super) fn overlaps(x: Span, y: Span) -> bool {
    x.start < y.end && y.start < x.end
}

pub(super) fn overlaps_taken(
    taken: &[(Option<Span>, Option<Span>)],
    a: Option<Span>,
    b: Option<Span>,
) -> bool {
    taken.iter().any(|(ta, tb)| {
        matches!((ta, a), (Some(x), Some(y)) if overlaps(*x, y))
            || matches!((tb, b), (Some(x), Some(y)) if overlaps(*x, y))
    })
}

/// An item of a list in a text: its span and normalised words.
pub(super) struct ListItem {
    span: Span,
    words: Vec<String>,
}

/// Lists (three or more items separated by commas, the last after `and` or
/// `or`) inside `span` of `text`.
pub(super) fn lists(doc: &Doc, span: Span) -> Vec<Vec<ListItem>> {
    let text = doc.text;
    // Every list has at least two items ended by a comma.
    if span.slice(text).matches([',', '、', '，']).nth(1).is_none() {
        return Vec::new();
    }
    let toks = tokens(doc, span);
    let mut out = Vec::new();
    // Segments of words between separators; a separator is a comma, or the
    // word "and"/"or"; anything else that breaks a clause ends the list.
    let mut segs: Vec<(Vec<usize>, bool)> = Vec::new(); // (token indices, ended by comma)
    let mut cur: Vec<usize> = Vec::new();
    let mut after_conj = false;
    let mut in_aside = false;
    let flush = |segs: &mut Vec<(Vec<usize>, bool)>, out: &mut Vec<Vec<ListItem>>| {
        if let Some(list) = make_list(segs, &toks) {
            out.push(list);
        }
        segs.clear();
    };
    for (i, t) in toks.iter().enumerate() {
        let gap_start = if i == 0 {
            span.start
        } else {
            toks[i - 1].span.end
        };
        let gap = &text[gap_start..t.span.start];
        // A plain space (most gaps) separates nothing.
        if i > 0 && gap != " " {
            let comma = gap.contains([',', '、', '，']);
            if comma && is_conj(toks[i - 1].norm) && cur.is_empty() {
                // "and, above all, X": a comma right after the conjunction
                // opens an aside; it is not an item.
                in_aside = true;
            } else if comma && in_aside {
                // The aside ends at its closing comma.
                cur.clear();
                in_aside = false;
            } else if comma {
                // A long clause can only open a list (its last word being
                // the first item): whatever came before is a list or not.
                if cur.len() > 3 {
                    flush(&mut segs, &mut out);
                }
                segs.push((std::mem::take(&mut cur), true));
                // The item after "and"/"or" is the last one.
                if after_conj && segs.last().is_some_and(|s| !s.0.is_empty()) {
                    flush(&mut segs, &mut out);
                    after_conj = false;
                }
            } else if gap.contains(['.', ';', ':', '(', ')', '"', '“', '”', '—', '–', '!', '?'])
            {
                segs.push((std::mem::take(&mut cur), false));
                flush(&mut segs, &mut out);
                after_conj = false;
            }
        }
        if is_conj(t.norm) {
            if !cur.is_empty() {
                segs.push((std::mem::take(&mut cur), false));
            }
            after_conj = true;
            continue;
        }
        cur.push(i);
    }
    segs.push((cur, false));
    flush(&mut segs, &mut out);
    out
}

pub(super) fn is_conj(norm: &str) -> bool {
    norm == "and" || norm == "or"
}

pub(super) fn make_list(segs: &[(Vec<usize>, bool)], toks: &[Tok]) -> Option<Vec<ListItem>> {
    let segs: Vec<&(Vec<usize>, bool)> = segs.iter().filter(|s| !s.0.is_empty()).collect();
    if segs.len() < 3 {
        return None;
    }
    let commas = segs.iter().filter(|s| s.1).count();
    // Middle items are short; the first and last are cut to their nearest words.
    let middle_ok = segs[1..segs.len() - 1].iter().all(|s| s.0.len() <= 3);
    if commas < 2 || !middle_ok {
        return None;
    }
    let n = segs.len();
    let items = segs
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let idx: &[usize] = if k == 0 && s.0.len() > 2 {
                &s.0[s.0.len() - 1..]
            } else if k == n - 1 && s.0.len() > 2 {
                &s.0[..2]
            } else {
                &s.0
            };
            let first = &toks[idx[0]];
            let last = &toks[idx[idx.len() - 1]];
            ListItem {
                span: Span::new(first.span.start, last.span.end),
                words: idx.iter().map(|&i| toks[i].norm.to_string()).collect(),
            }
        })
        .collect();
    Some(items)
}

pub(super) fn item_matches(x: &ListItem, y: &ListItem) -> bool {
    x.words.iter().all(|w| y.words.contains(w)) || y.words.iter().all(|w| x.words.contains(w))
}

/// Items added to or removed from lists that two aligned passages share
/// (a list in A and a list in B with at least two items in common).
pub(crate) fn list_facts(
    da: &Doc,
    a_span: Span,
    db: &Doc,
    b_span: Span,
    in_quote: bool,
    found: &mut Findings,
) {
    let Findings { taken, facts: out } = found;
    let (a_text, b_text) = (da.text, db.text);
    let la = lists(da, a_span);
    if la.is_empty() {
        return;
    }
    let lb = lists(db, b_span);
    for xa in &la {
        for xb in &lb {
            let common = xa
                .iter()
                .filter(|i| xb.iter().any(|j| item_matches(i, j)))
                .count();
            if common < 2 {
                continue;
            }
            for (items, others, is_a) in [(xa, xb, true), (xb, xa, false)] {
                for item in items
                    .iter()
                    .filter(|i| !others.iter().any(|j| item_matches(i, j)))
                {
                    let (a, b) = if is_a {
                        (Some(item.span), None)
                    } else {
                        (None, Some(item.span))
                    };
                    if overlaps_taken(taken, a, b) {
                        continue;
                    }
                    taken.push((a, b));
                    out.push(Fact {
                        kind: FactKind::ListItem,
                        severity: severity(FactKind::ListItem, in_quote),
                        in_quote,
                        a: a.map(|s| value(a_text, s)),
                        b: b.map(|s| value(b_text, s)),
                    });
                }
            }
        }
    }
}
