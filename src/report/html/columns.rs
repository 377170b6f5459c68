//! The two article columns: each text cut into pieces at every change of
//! label, passage or quote, each piece a `<span>` with its label, byte
//! offsets, passage and quote, paragraphs kept.

use std::fmt::Write as _;

use std::collections::BTreeSet;

use super::super::{plural, slice};
use super::{escape_into, kind_name, label_name, short_name};
use crate::compare::{Comparison, PassageKind, Side, SideName, SpanLabel};
use crate::text::{Span, paragraphs};

pub(super) fn articles(c: &Comparison, h: &mut String) {
    h.push_str("<section id=\"articles\">\n<h2>The articles side by side</h2>\n");
    h.push_str(
        "<div class=\"legend\">\
         <span><span class=\"l-same\" data-label=\"same\">same</span> in both</span>\
         <span><span class=\"l-changed\" data-label=\"changed\">changed</span> reworded (dotted underline)</span>\
         <span><span class=\"l-dropped\" data-label=\"dropped\">dropped</span> only in A (struck through)</span>\
         <span><span class=\"l-added\" data-label=\"added\">added</span> only in B (underlined)</span>\
         <span><span class=\"p-start\" data-kind=\"moved\"></span>out of order in the other article</span>\
         <span>Hover a passage to see its partner; click to scroll to it.</span></div>\n",
    );
    h.push_str("<div class=\"columns\">\n");
    column(c, SideName::A, h);
    column(c, SideName::B, h);
    h.push_str("</div>\n</section>\n");
}

/// One piece of article text with everything that is known about it.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Attrs {
    label: Option<SpanLabel>,
    passage: Option<(usize, PassageKind)>,
    quote: Option<usize>,
}

/// The spans of `side`, made safe: sorted, clipped to the text and to
/// character boundaries, with uncovered gaps as unlabelled ranges.
fn segments(side: &Side) -> Vec<(usize, usize, Option<SpanLabel>)> {
    let text = &side.text;
    let mut spans = side.spans.clone();
    spans.sort_by_key(|s| (s.start, s.end));
    let mut out = Vec::with_capacity(spans.len() + 1);
    let mut at = 0;
    for s in spans {
        let (start, end) = (s.start.max(at), s.end.min(text.len()));
        if start >= end || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            continue;
        }
        if start > at {
            out.push((at, start, None));
        }
        out.push((start, end, Some(s.label)));
        at = end;
    }
    if at < text.len() {
        out.push((at, text.len(), None));
    }
    out
}

fn column(c: &Comparison, which: SideName, h: &mut String) {
    let (side, tag) = match which {
        SideName::A => (&c.a, "a"),
        SideName::B => (&c.b, "b"),
    };
    let text = side.text.as_str();
    let segs = segments(side);
    let passages: Vec<(Span, usize, PassageKind)> = c
        .passages
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let s = match which {
                SideName::A => p.a,
                SideName::B => p.b,
            };
            s.map(|s| (s, i, p.kind))
        })
        .collect();
    let quotes: Vec<(Span, usize)> = c
        .quotes
        .iter()
        .enumerate()
        .filter_map(|(i, q)| {
            let r = match which {
                SideName::A => q.a.as_ref(),
                SideName::B => q.b.as_ref(),
            };
            r.map(|r| (Span::new(r.start, r.end), i))
        })
        .collect();

    let (mut passages, mut quotes) = (passages, quotes);
    passages.sort_by_key(|p| p.0);
    quotes.sort_by_key(|q| q.0);

    let mut cuts: BTreeSet<usize> = BTreeSet::new();
    for &(s, e, _) in &segs {
        cuts.insert(s);
        cuts.insert(e);
    }
    for s in passages
        .iter()
        .map(|p| p.0)
        .chain(quotes.iter().map(|q| q.0))
    {
        cuts.insert(s.start);
        cuts.insert(s.end);
    }
    cuts.retain(|&x| x <= text.len() && text.is_char_boundary(x));

    let attrs_at = |x: usize| Attrs {
        label: segs
            .get(segs.partition_point(|s| s.1 <= x))
            .filter(|s| s.0 <= x)
            .and_then(|s| s.2),
        passage: containing(&passages, x, |p| p.0).map(|p| (p.1, p.2)),
        quote: containing(&quotes, x, |q| q.0).map(|q| q.1),
    };
    let mut quote_anchored = vec![false; c.quotes.len()];
    let mut passage_started = vec![false; c.passages.len()];

    let _ = write!(
        h,
        "<div class=\"col\" id=\"col-{tag}\"><div class=\"col-head\"><span class=\"tag tag-{tag}\">{}</span>",
        tag.to_ascii_uppercase()
    );
    escape_into(h, short_name(side));
    if let Some(d) = &side.date {
        h.push_str(" · ");
        escape_into(h, d);
    }
    if let Some(t) = &side.title {
        h.push_str("<div class=\"t\">");
        escape_into(h, t);
        h.push_str("</div>");
    }
    let _ = write!(
        h,
        "<div class=\"sub\">{}</div></div>\n<div class=\"article-text\" id=\"text-{tag}\" lang=\"\">",
        plural(text.len(), "byte", "bytes")
    );

    let mut at = 0;
    for para in paragraphs(text) {
        // Whitespace between paragraphs stays in the page, outside them.
        escape_into(h, slice(text, at, para.start));
        h.push_str("<p>");
        let mut points: Vec<usize> = cuts.range(para.start..para.end).copied().collect();
        if points.first() != Some(&para.start) {
            points.insert(0, para.start);
        }
        points.push(para.end);
        let mut i = 0;
        while i + 1 < points.len() {
            let start = points[i];
            let attrs = attrs_at(start);
            let mut j = i + 1;
            while j + 1 < points.len() && attrs_at(points[j]) == attrs {
                j += 1;
            }
            let end = points[j];
            let first = attrs
                .passage
                .and_then(|(p, _)| passage_started.get_mut(p))
                .is_some_and(|done| !std::mem::replace(done, true));
            piece(
                h,
                tag,
                text,
                (start, end),
                attrs,
                first,
                &mut quote_anchored,
            );
            i = j;
        }
        h.push_str("</p>");
        at = para.end;
    }
    escape_into(h, slice(text, at, text.len()));
    h.push_str("</div></div>\n");
}

/// The item of `items` (sorted by start, not overlapping) whose range holds
/// byte `x`.
fn containing<T>(items: &[T], x: usize, range: impl Fn(&T) -> Span) -> Option<&T> {
    let i = items.partition_point(|t| range(t).start <= x);
    i.checked_sub(1)
        .map(|i| &items[i])
        .filter(|t| x < range(t).end)
}

/// Writes one `<span>` of article text; `first` marks the first piece of
/// its passage (where a moved passage shows its marker).
fn piece(
    h: &mut String,
    tag: &str,
    text: &str,
    (start, end): (usize, usize),
    attrs: Attrs,
    first: bool,
    quote_anchored: &mut [bool],
) {
    let label = label_name(attrs.label);
    h.push_str("<span");
    if let Some(q) = attrs.quote
        && let Some(done @ false) = quote_anchored.get_mut(q)
    {
        *done = true;
        let _ = write!(h, " id=\"q{tag}-{q}\"");
    }
    let _ = write!(
        h,
        " class=\"l-{label}{}\" data-label=\"{label}\" data-start=\"{start}\" data-end=\"{end}\"",
        if first { " p-start" } else { "" }
    );
    if let Some((p, kind)) = attrs.passage {
        let _ = write!(h, " data-passage=\"{p}\" data-kind=\"{}\"", kind_name(kind));
    }
    if let Some(q) = attrs.quote {
        let _ = write!(h, " data-quote=\"{tag}{q}\"");
    }
    h.push('>');
    escape_into(h, slice(text, start, end));
    h.push_str("</span>");
}

#[cfg(test)]
mod tests {
    use super::super::assets::CSS;
    use super::super::tests::{rendered, text_between, unescape};
    use super::*;
    use crate::report::fixture;

    #[test]
    fn every_byte_of_each_text_appears_once_in_its_column() {
        let c = fixture::comparison();
        let html = rendered(&c);
        for (side, tag) in [(&c.a, "a"), (&c.b, "b")] {
            let open = format!("<div class=\"article-text\" id=\"text-{tag}\" lang=\"\">");
            assert_eq!(text_between(&html, &open, "</div>"), side.text);
        }
    }

    #[test]
    fn pieces_carry_labels_and_offsets_that_match_the_text() {
        let c = fixture::comparison();
        let html = rendered(&c);
        let mut seen = std::collections::HashSet::new();
        for (side, tag) in [(&c.a, "a"), (&c.b, "b")] {
            let open = format!("id=\"text-{tag}\"");
            let body = &html[html.find(&open).unwrap()..];
            let body = &body[..body.find("</div>").unwrap()];
            let mut count = 0;
            for part in body.split("<span").skip(1) {
                let attr = |name: &str| {
                    let k = format!("{name}=\"");
                    let s = part.find(&k).unwrap() + k.len();
                    part[s..s + part[s..].find('"').unwrap()].to_string()
                };
                let (start, end): (usize, usize) = (
                    attr("data-start").parse().unwrap(),
                    attr("data-end").parse().unwrap(),
                );
                let label = attr("data-label");
                assert!(part.contains(&format!("class=\"l-{label}")));
                let inner = &part[part.find('>').unwrap() + 1..part.find("</span>").unwrap()];
                assert_eq!(unescape(inner), side.text[start..end]);
                // The label is the one of the span that holds the piece.
                let span = side
                    .spans
                    .iter()
                    .find(|s| s.start <= start && end <= s.end)
                    .unwrap();
                assert_eq!(label, label_name(Some(span.label)));
                seen.insert(label);
                count += 1;
            }
            assert!(count >= side.spans.len());
        }
        for l in ["same", "changed", "dropped", "added"] {
            assert!(seen.contains(l), "no piece labelled {l}");
        }
    }

    #[test]
    fn each_label_has_its_own_colour_and_decoration() {
        let rule = |label: &str| {
            let k = format!(".l-{label}{{");
            let s = CSS
                .find(&k)
                .unwrap_or_else(|| panic!("no rule for {label}"))
                + k.len();
            CSS[s..s + CSS[s..].find('}').unwrap()].to_string()
        };
        let changed = rule("changed");
        let dropped = rule("dropped");
        let added = rule("added");
        assert!(changed.contains("var(--changed)") && changed.contains("underline dotted"));
        assert!(dropped.contains("var(--dropped)") && dropped.contains("line-through"));
        assert!(added.contains("var(--added)") && added.contains("underline solid"));
        assert!(rule("same").contains("var(--same)"));
    }

    #[test]
    fn passages_link_both_columns() {
        let html = rendered(&fixture::comparison());
        let a = &html[html.find("id=\"text-a\"").unwrap()..html.find("id=\"text-b\"").unwrap()];
        let b = &html[html.find("id=\"text-b\"").unwrap()..];
        for p in ["0", "1"] {
            let attr = format!("data-passage=\"{p}\"");
            assert!(a.contains(&attr) && b.contains(&attr), "passage {p}");
        }
        assert!(a.contains("data-passage=\"2\" data-kind=\"dropped\""));
        assert!(b.contains("data-passage=\"3\" data-kind=\"added\""));
    }

    #[test]
    fn malformed_spans_do_not_panic_and_keep_all_text() {
        let mut c = fixture::comparison();
        c.a.spans = vec![crate::compare::LabeledSpan {
            start: 1,
            end: 10_000,
            label: SpanLabel::Same,
        }];
        c.b.spans.clear();
        c.b.text = "é\n\nü".into();
        c.b.spans.push(crate::compare::LabeledSpan {
            start: 1,
            end: 2,
            label: SpanLabel::Added,
        });
        let html = rendered(&c);
        let open = "<div class=\"article-text\" id=\"text-b\" lang=\"\">";
        assert_eq!(text_between(&html, open, "</div>"), "é\n\nü");
        assert!(html.contains("data-label=\"none\""));
    }
}
