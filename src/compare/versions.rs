//! A source in several versions (a wire story and its updates) compared
//! with one article: the versions joined into side A, each segmented and
//! scanned for quotes on its own, and the runs, passages and labels made
//! to respect the seams between them.

use super::{
    CompareOptions, Comparison, Passage, PassageKind, Run, Version, compare, compare_prepared,
    prepare, prepared_from, summarise,
};
use crate::align::Segmented;
use crate::article::Article;
use crate::diff::EditOp;
use crate::quotes::{self, Quote};
use crate::text::Span;

/// What joins two versions of a source in the side's text: a blank line.
pub const VERSION_SEPARATOR: &str = "\n\n";

/// Compares a source made of several versions of one story (a wire
/// story and its updates, in the order given) with article B.
///
/// Side A is the versions one after the other, [`VERSION_SEPARATOR`]
/// between two, each segmented and scanned for quotes on its own;
/// `a.versions` gives each version's id and range, and every run and
/// every passage with an A range names its version (`a_version`). B's
/// words copied from any version are `same`, and the A words that another
/// version gave B are `same` too: a sentence of A whose words all lie in
/// copied runs is not listed as dropped, since B has it (from the version
/// the alignment chose). Side A takes the id of the versions joined by
/// `+` and the first version's outlet, URL, date, headline and source.
///
/// With one version this is [`compare`]; with none, an error
/// (`InvalidParam` naming `versions`).
pub fn compare_versions(
    versions: &[Article],
    b: &Article,
    opts: &CompareOptions,
) -> crate::Result<Comparison> {
    let (joined, parts) = match versions {
        [] => {
            return Err(crate::Error::invalid_param(
                "versions",
                "must hold at least one article",
            ));
        }
        [one] => return Ok(compare(one, b, opts)),
        _ => join_versions(versions),
    };
    let seg = Segmented::in_parts(&joined.text, &parts);
    let mut scan = quotes::QuoteScan {
        quotes: Vec::new(),
        nested: Vec::new(),
        unbalanced: Vec::new(),
    };
    for part in &parts {
        let at = |s: Span| Span::new(s.start + part.start, s.end + part.start);
        let one = quotes::extract(part.slice(&joined.text));
        let shift = |q: Quote| Quote {
            span: at(q.span),
            outer: at(q.outer),
            ..q
        };
        scan.quotes.extend(one.quotes.into_iter().map(shift));
        scan.nested.extend(one.nested.into_iter().map(shift));
        scan.unbalanced
            .extend(one.unbalanced.into_iter().map(|(o, m)| (o + part.start, m)));
    }
    let pa = prepared_from(&joined, seg, scan, opts);
    let pb = prepare(b, opts);
    let mut c = compare_prepared(&pa, &pb, opts);
    c.a.versions = versions
        .iter()
        .zip(&parts)
        .map(|(v, part)| Version {
            id: v.id.clone(),
            date: v.date.clone(),
            title: v.title.clone(),
            start: part.start,
            end: part.end,
        })
        .collect();
    let version_of = |at: usize| parts.partition_point(|p| p.end <= at).min(parts.len() - 1);
    c.runs = split_runs_at_versions(
        &c.runs,
        (&pa.seg.words, &pb.seg.words),
        opts.min_run_words.max(1),
        &version_of,
    );
    // A dropped sentence that B has from another version is not dropped.
    let covered = merged_runs_in_a(&c.runs);
    let text = &c.a.text;
    c.passages.retain(|p| {
        p.kind != PassageKind::Dropped || !p.a.is_some_and(|s| within_runs(&covered, text, s))
    });
    for p in &mut c.passages {
        p.a_version = p.a.map(|s| version_of(s.start));
    }
    unmove_across_versions(&mut c.passages, parts.len());
    c.summary = summarise(&c.passages, &c.quotes, &c.facts);
    Ok(c)
}

/// Order only means something within one version: a pair of passages
/// is moved when it is out of order with another pair of the same
/// version, whatever pairs of other versions do. A moved passage in
/// order with every pair of its version becomes unchanged or reworded.
/// (Per version, pairs sorted by A; a pair is in order when its B start
/// is after every B start before it and before every one after it.)
fn unmove_across_versions(passages: &mut [Passage], versions: usize) {
    for v in 0..versions {
        let mut pairs: Vec<(usize, usize, usize)> = passages
            .iter()
            .enumerate()
            .filter_map(|(i, p)| match (p.a, p.b, p.a_version) {
                (Some(a), Some(b), Some(pv)) if pv == v => Some((a.start, b.start, i)),
                _ => None,
            })
            .collect();
        pairs.sort_unstable();
        let n = pairs.len();
        let mut suffix_min = vec![usize::MAX; n + 1];
        for k in (0..n).rev() {
            suffix_min[k] = suffix_min[k + 1].min(pairs[k].1);
        }
        let mut prefix_max = 0;
        for (k, &(_, b, i)) in pairs.iter().enumerate() {
            let in_order = b >= prefix_max && b <= suffix_min[k + 1];
            prefix_max = prefix_max.max(b);
            let p = &mut passages[i];
            if p.kind == PassageKind::Moved && in_order {
                if p.edits.iter().all(|e| e.op == EditOp::Equal) {
                    p.kind = PassageKind::Unchanged;
                    p.edits.clear();
                } else {
                    p.kind = PassageKind::Reworded;
                }
            }
        }
    }
}

/// The runs with each one that goes on from the end of one version into
/// the next cut in two there (B had the last words of one version right
/// before the first of the next), each piece naming its version. Pieces
/// shorter than the smallest run are left out of the list; their words
/// keep their labels.
fn split_runs_at_versions(
    runs: &[Run],
    (wa, wb): (&[crate::text::Word], &[crate::text::Word]),
    min: usize,
    version_of: &dyn Fn(usize) -> usize,
) -> Vec<Run> {
    let mut out = Vec::with_capacity(runs.len());
    for r in runs {
        let (first, last) = (version_of(r.a.start), version_of(r.a.end - 1));
        if first == last {
            out.push(Run {
                a_version: Some(first),
                ..r.clone()
            });
            continue;
        }
        let ia = wa.partition_point(|w| w.span.start < r.a.start);
        let ib = wb.partition_point(|w| w.span.start < r.b.start);
        let mut from = 0;
        for k in 1..=r.words {
            let v = version_of(wa[ia + from].span.start);
            if k < r.words && version_of(wa[ia + k].span.start) == v {
                continue;
            }
            if k - from >= min {
                out.push(Run {
                    a: Span::new(wa[ia + from].span.start, wa[ia + k - 1].span.end),
                    b: Span::new(wb[ib + from].span.start, wb[ib + k - 1].span.end),
                    words: k - from,
                    aligned: r.aligned,
                    a_version: Some(v),
                });
            }
            from = k;
        }
    }
    // In order of B, then of A, as runs always are.
    out.sort_by_key(|r| (r.b.start, r.a.start));
    out
}

/// The versions joined into one article, and each version's range of its
/// text.
fn join_versions(versions: &[Article]) -> (Article, Vec<Span>) {
    let first = &versions[0];
    let mut text = String::new();
    let mut parts = Vec::with_capacity(versions.len());
    for (i, v) in versions.iter().enumerate() {
        if i > 0 {
            text.push_str(VERSION_SEPARATOR);
        }
        let start = text.len();
        text.push_str(&v.text);
        parts.push(Span::new(start, text.len()));
    }
    let id = versions
        .iter()
        .map(|v| v.id.as_str())
        .collect::<Vec<_>>()
        .join("+");
    let joined = Article {
        id,
        text,
        ..first.clone()
    };
    (joined, parts)
}

/// The A ranges of `runs`, merged where they overlap, in order.
fn merged_runs_in_a(runs: &[Run]) -> Vec<Span> {
    let mut spans: Vec<Span> = runs.iter().map(|r| r.a).collect();
    spans.sort_unstable();
    let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        match merged.last_mut() {
            Some(m) if s.start <= m.end => m.end = m.end.max(s.end),
            _ => merged.push(s),
        }
    }
    merged
}

/// Whether one merged run covers the words of `span` of `text` (from its
/// first letter or digit to its last).
fn within_runs(merged: &[Span], text: &str, span: Span) -> bool {
    let t = span.slice(text);
    let Some(first) = t.find(char::is_alphanumeric) else {
        return false;
    };
    let last = t
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_alphanumeric())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let words = Span::new(span.start + first, span.start + last);
    let i = merged.partition_point(|m| m.start <= words.start);
    i > 0 && merged[i - 1].end >= words.end
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::tests::label_at;
    use crate::compare::*;

    #[test]
    fn a_source_in_versions_gives_b_words_from_any_of_them() {
        let v1 = crate::parse_plain_text(
            "A ferry ran aground off the island of Skerra on Monday. \
             The operator said the ferry had been sailing at reduced speed in the fog.",
            "v1",
        );
        let v2 = crate::parse_plain_text(
            "All 212 people on board a ferry that ran aground off Skerra were taken off. \
             Three passengers were treated for minor injuries at the harbour.",
            "v2",
        );
        let b = crate::parse_plain_text(
            "All 212 people on board a ferry that ran aground off Skerra were taken off. \
             Three passengers were treated for minor injuries, and the operator said \
             the ferry had been sailing at reduced speed in the fog.",
            "b",
        );
        let opts = CompareOptions::default();
        let c = compare_versions(&[v1.clone(), v2.clone()], &b, &opts).unwrap();
        // Words of the update and of the first take alone are `same`.
        assert_eq!(label_at(&c, true, "212 people"), SpanLabel::Same);
        assert_eq!(label_at(&c, true, "reduced speed"), SpanLabel::Same);
        // The one B sentence draws on both versions: runs name each.
        let second = c.b.text.find("Three").unwrap();
        let versions: std::collections::BTreeSet<_> = c
            .runs
            .iter()
            .filter(|r| r.b.end > second)
            .map(|r| r.a_version)
            .collect();
        assert_eq!(versions, [Some(0), Some(1)].into_iter().collect());
        assert_eq!(c.a.versions.len(), 2);
        assert_eq!(c.a.id, "v1+v2");
        for (v, article) in c.a.versions.iter().zip([&v1, &v2]) {
            assert_eq!(&c.a.text[v.start..v.end], article.text);
        }
        // Against the update alone, the first take's words are not.
        let one = compare_versions(std::slice::from_ref(&v2), &b, &opts).unwrap();
        assert_eq!(one, compare(&v2, &b, &opts));
        assert_ne!(label_at(&one, true, "reduced speed"), SpanLabel::Same);
        assert!(one.a.versions.is_empty() && one.runs.iter().all(|r| r.a_version.is_none()));
        assert!(compare_versions(&[], &b, &opts).is_err());
    }

    #[test]
    fn a_run_across_two_versions_is_cut_where_they_meet() {
        let v1 = crate::parse_plain_text(
            "The council said the harbour wall will be rebuilt before winter.",
            "v1",
        );
        let v2 = crate::parse_plain_text(
            "Crews began work on the northern pier on Monday morning.",
            "v2",
        );
        let b = crate::parse_plain_text(
            "Officials said the harbour wall will be rebuilt before winter. \
             Crews began work on the northern pier on Monday morning.",
            "b",
        );
        let c = compare_versions(&[v1, v2], &b, &CompareOptions::default()).unwrap();
        let mut seen = Vec::new();
        for r in &c.runs {
            let v = &c.a.versions[r.a_version.unwrap()];
            assert!(v.start <= r.a.start && r.a.end <= v.end, "{r:?}");
            assert_eq!(
                crate::text::words(r.a.slice(&c.a.text)).len(),
                r.words,
                "{r:?}"
            );
            seen.push(r.a_version);
        }
        assert!(
            seen.contains(&Some(0)) && seen.contains(&Some(1)),
            "{:?}",
            c.runs
        );
        assert!(c.runs.windows(2).all(|w| w[0].b.start <= w[1].b.start));
    }

    #[test]
    fn versions_that_repeat_each_other_drop_nothing_b_has() {
        // An update that repeats the first take word for word, against a
        // copy of it: all of B is `same`, nothing is dropped or moved, and
        // every A word is `same` too.
        let t = "Storms hit the northern coast overnight, cutting power to homes.\n\n\
                 Ferries were cancelled across the bay. The mayor promised funds.";
        let a = crate::parse_plain_text(t, "a");
        let c = compare_versions(&[a.clone(), a.clone()], &a, &CompareOptions::default()).unwrap();
        assert!(c.b.spans.iter().all(|s| s.label == SpanLabel::Same));
        assert_eq!((c.summary.dropped, c.summary.moved), (0, 0));
        for s in &c.a.spans {
            let words = c.a.text[s.start..s.end].chars().any(char::is_alphanumeric);
            assert!(
                !words || s.label == SpanLabel::Same,
                "{:?}",
                &c.a.text[s.start..s.end]
            );
        }
    }
}
