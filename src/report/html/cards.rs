//! The cards above the articles: the header (verdict, scores, both
//! articles' metadata, counts), the quotes with their word diffs, the
//! changed facts, the copied runs outside aligned passages, and the
//! warnings.

use std::fmt::Write as _;

use super::super::markdown::{is_altered, status_name};
use super::super::{DiffPiece, percent, plural, quote_diff, slice};
use super::{esc, escape_into, short_name, status_class, verdict_class};
use crate::compare::{
    Comparison, FactKind, FactValue, QuoteMatch, QuoteRef, QuoteStatus, Severity, Side, SideName,
};

fn meta_card(h: &mut String, side: &Side, tag: &str) {
    let _ = write!(
        h,
        "<div class=\"meta-card\"><div><span class=\"tag tag-{}\">{tag}</span>",
        tag.to_ascii_lowercase()
    );
    let mut first = true;
    for part in [side.outlet.as_deref(), side.date.as_deref()]
        .into_iter()
        .flatten()
    {
        if !first {
            h.push_str(" · ");
        }
        first = false;
        escape_into(h, part);
    }
    h.push_str("</div>");
    if let Some(t) = &side.title {
        h.push_str("<div class=\"t\">");
        escape_into(h, t);
        h.push_str("</div>");
    }
    h.push_str("<div class=\"sub\">id <code>");
    escape_into(h, &side.id);
    h.push_str("</code>");
    if let Some(s) = &side.source {
        h.push_str(" · source ");
        escape_into(h, s);
    }
    let words = side.text.split_whitespace().count();
    let _ = write!(h, " · {}", plural(words, "word", "words"));
    h.push_str("</div>");
    if let Some(u) = &side.url {
        // Shown as text, not as a link: the report makes no requests.
        h.push_str("<div class=\"sub url\">");
        escape_into(h, u);
        h.push_str("</div>");
    }
    h.push_str("</div>\n");
}

pub(super) fn header(c: &Comparison, h: &mut String) {
    let s = &c.similarity;
    let n = &c.summary;
    h.push_str("<header class=\"top\" id=\"summary\">\n<div class=\"top-row\"><h1>");
    escape_into(h, &format!("{} vs {}", short_name(&c.a), short_name(&c.b)));
    let _ = writeln!(
        h,
        "</h1><span class=\"verdict {}\" data-verdict=\"{}\">{}</span>\
         <span class=\"verdict-desc\">{}</span><nav class=\"jump\">\
         <a href=\"#altered-quotes\">Quotes</a><a href=\"#facts\">Facts</a>\
         <a href=\"#articles\">Articles</a></nav></div>",
        verdict_class(s.verdict),
        s.verdict.as_str(),
        s.verdict.as_str(),
        esc(s.verdict.describe())
    );
    h.push_str("<div class=\"meta\">\n");
    meta_card(h, &c.a, "A");
    meta_card(h, &c.b, "B");
    h.push_str("</div>\n");
    let versions = super::super::version_lines(c);
    if !versions.is_empty() {
        h.push_str("<ul class=\"versions\">\n");
        for line in versions {
            let _ = writeln!(h, "<li>A {}</li>", esc(&line));
        }
        h.push_str("</ul>\n");
    }
    h.push_str("<div class=\"scores\">\n");
    let tiles = [
        (
            format!("Jaccard ({}-word shingles)", s.shingle_size),
            format!("{:.3}", s.jaccard),
            s.jaccard,
        ),
        (
            format!("MinHash estimate ({} perm.)", s.num_perm),
            format!("{:.3}", s.minhash_jaccard),
            s.minhash_jaccard,
        ),
        (
            "A contained in B".into(),
            percent(s.containment_a_in_b),
            s.containment_a_in_b,
        ),
        (
            "B contained in A".into(),
            percent(s.containment_b_in_a),
            s.containment_b_in_a,
        ),
        ("A aligned with B".into(), percent(s.aligned_a), s.aligned_a),
        ("B aligned with A".into(), percent(s.aligned_b), s.aligned_b),
    ];
    for (k, v, x) in tiles {
        let w = if x.is_finite() {
            (x * 100.0).clamp(0.0, 100.0)
        } else {
            0.0
        };
        let _ = writeln!(
            h,
            "<div class=\"score\"><div class=\"k\">{}</div><div class=\"v\">{}</div>\
             <div class=\"bar\"><i style=\"width:{w:.1}%\"></i></div></div>",
            esc(&k),
            esc(&v)
        );
    }
    h.push_str("</div>\n<div class=\"counts\">");
    let groups = [
        (
            "Passages",
            vec![
                (n.unchanged, "unchanged"),
                (n.reworded, "reworded"),
                (n.moved, "moved"),
                (n.added, "added in B"),
                (n.dropped, "dropped from A"),
            ],
        ),
        (
            "Quotes",
            vec![
                (n.quotes_altered, "altered"),
                (n.quotes_verbatim, "verbatim"),
                (n.quotes_only_a, "only in A"),
                (n.quotes_only_b, "only in B"),
            ],
        ),
        ("Facts", vec![(n.facts_high, "high severity")]),
    ];
    for (group, items) in groups {
        let _ = write!(h, "<span class=\"group\"><span class=\"gk\">{group}</span>");
        for (v, name) in items {
            let _ = write!(h, "<span><b>{v}</b> {name}</span>");
        }
        h.push_str("</span>");
    }
    h.push_str("</div>\n</header>\n");
}

/// Writes an inline word diff with `<del>` and `<ins>`.
fn diff_html(h: &mut String, pieces: &[DiffPiece<'_>]) {
    for p in pieces {
        match p {
            DiffPiece::Same(t) | DiffPiece::Gap(t) => escape_into(h, t),
            DiffPiece::Deleted(t) => {
                h.push_str("<del title=\"only in A\">");
                escape_into(h, t);
                h.push_str("</del>");
            }
            DiffPiece::Inserted(t) => {
                h.push_str("<ins title=\"only in B\">");
                escape_into(h, t);
                h.push_str("</ins>");
            }
        }
    }
}

fn speaker_html(q: Option<&QuoteRef>) -> String {
    match q.map(|q| (q.speaker.as_deref(), q.speaker_description.as_deref())) {
        None => "—".into(),
        Some((Some(s), _)) => format!("<b>{}</b>", esc(s)),
        Some((None, Some(d))) => format!("<i>not named:</i> {}", esc(d)),
        Some((None, None)) => "<i>unknown</i>".into(),
    }
}

fn quote_side(h: &mut String, i: usize, side: &str, r: &QuoteRef) {
    let low = side.to_ascii_lowercase();
    let _ = write!(
        h,
        "<p><span class=\"tag tag-{low}\">{side}</span>“{}” \
         <a class=\"locate\" href=\"#q{low}-{i}\" data-quote=\"{low}{i}\">show in {side}</a></p>",
        esc(r.text.trim())
    );
}

pub(super) fn quotes(c: &Comparison, h: &mut String) {
    let altered: Vec<(usize, &QuoteMatch)> = c
        .quotes
        .iter()
        .enumerate()
        .filter(|(_, q)| is_altered(q.status))
        .collect();
    let _ = writeln!(
        h,
        "<section id=\"altered-quotes\">\n<h2>Altered quotes <span class=\"n\">{}</span></h2>",
        altered.len()
    );
    if altered.is_empty() {
        h.push_str("<p class=\"none\">No quote was altered.</p>\n");
    }
    for (i, q) in altered {
        let class = status_class(q.status);
        let _ = write!(
            h,
            "<article class=\"quote {class}-card\" data-status=\"{}\">\
             <div class=\"quote-head\"><span class=\"badge {class}\">{}</span>\
             <span class=\"speakers\">Speaker A: {} · B: {}</span>\
             <span>word similarity {:.2}</span></div>",
            esc(status_name(q.status)),
            esc(status_name(q.status)),
            speaker_html(q.a.as_ref()),
            speaker_html(q.b.as_ref()),
            q.score
        );
        if let (Some(qa), Some(qb)) = (&q.a, &q.b)
            && !q.edits.is_empty()
        {
            h.push_str("<blockquote class=\"qdiff\">“");
            let pieces = quote_diff(&c.a.text, qa, &c.b.text, qb, &q.edits);
            diff_html(h, &pieces);
            h.push_str("”</blockquote>");
        }
        h.push_str("<div class=\"quote-sides\">");
        if let Some(r) = &q.a {
            quote_side(h, i, "A", r);
        }
        if let Some(r) = &q.b {
            quote_side(h, i, "B", r);
        }
        h.push_str("</div></article>\n");
    }
    let single: Vec<(usize, &QuoteMatch)> = c
        .quotes
        .iter()
        .enumerate()
        .filter(|(_, q)| matches!(q.status, QuoteStatus::OnlyA | QuoteStatus::OnlyB))
        .collect();
    if !single.is_empty() {
        h.push_str("<h2 style=\"margin-top:14px\">Quotes in one article only</h2>\n<ul class=\"single\">\n");
        for (i, q) in single {
            let (side, r) = match (&q.a, &q.b) {
                (Some(r), _) => ("A", r),
                (None, Some(r)) => ("B", r),
                (None, None) => continue,
            };
            let low = side.to_ascii_lowercase();
            let _ = writeln!(
                h,
                "<li data-status=\"{}\"><span class=\"tag tag-{low}\">{side}</span>“{}” \
                 <span class=\"speakers\">— speaker {}</span> \
                 <a class=\"locate\" href=\"#q{low}-{i}\" data-quote=\"{low}{i}\">show</a></li>",
                esc(status_name(q.status)),
                esc(r.text.trim()),
                speaker_html(Some(r))
            );
        }
        h.push_str("</ul>\n");
    }
    let verbatim = c
        .quotes
        .iter()
        .filter(|q| q.status == QuoteStatus::Verbatim)
        .count();
    if verbatim > 0 {
        let _ = writeln!(
            h,
            "<p class=\"none\" style=\"margin-top:10px\">{} quoted word for word in both.</p>",
            plural(verbatim, "quote", "quotes")
        );
    }
    h.push_str("</section>\n");
}

pub(super) fn facts(c: &Comparison, h: &mut String) {
    let _ = writeln!(
        h,
        "<section id=\"facts\">\n<h2>Changed facts <span class=\"n\">{}</span></h2>",
        c.facts.len()
    );
    if c.facts.is_empty() {
        h.push_str("<p class=\"none\">No numbers, dates or names changed.</p>\n</section>\n");
        return;
    }
    h.push_str("<table>\n<thead><tr><th>Kind</th><th>Severity</th><th>A</th><th>B</th><th>In quote</th></tr></thead>\n<tbody>\n");
    for f in &c.facts {
        let kind = match f.kind {
            FactKind::Number => "number",
            FactKind::Date => "date",
            FactKind::Name => "name",
            FactKind::ListItem => "list item",
            FactKind::Wording => "wording",
        };
        let sev = match f.severity {
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
        };
        let value = |v: &Option<FactValue>, tag: &str| match v {
            None => "—".to_string(),
            Some(v) => format!("<{tag}>{}</{tag}>", esc(&v.text)),
        };
        let _ = writeln!(
            h,
            "<tr><td>{kind}</td><td class=\"sev-{sev}\">{sev}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            value(&f.a, "del"),
            value(&f.b, "ins"),
            if f.in_quote { "yes" } else { "no" }
        );
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
}

/// Copied runs listed at most in the HTML report.
const MAX_RUNS_LISTED: usize = 200;

/// Copied runs the sentence alignment does not show
/// ([`super::super::runs_to_show`]): B's words and where in A they come from.
pub(super) fn runs(c: &Comparison, h: &mut String) {
    let outside = super::super::runs_to_show(c);
    if outside.is_empty() {
        return;
    }
    let _ = writeln!(
        h,
        "<section id=\"runs\">\n<h2>Copied text the aligned passages do not show <span class=\"n\">{}</span></h2>",
        outside.len()
    );
    h.push_str("<table>\n<thead><tr><th>B bytes</th><th>A bytes</th><th>Words</th><th>Text in B</th><th>Text in A</th></tr></thead>\n<tbody>\n");
    for r in outside.iter().take(MAX_RUNS_LISTED) {
        let version = super::super::version_name(c, r.a_version)
            .map(|v| format!(" ({})", esc(&v)))
            .unwrap_or_default();
        let _ = writeln!(
            h,
            "<tr><td>{}..{}</td><td>{}..{}{version}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            r.b.start,
            r.b.end,
            r.a.start,
            r.a.end,
            r.words,
            esc(slice(&c.b.text, r.b.start, r.b.end)),
            esc(slice(&c.a.text, r.a.start, r.a.end))
        );
    }
    h.push_str("</tbody>\n</table>\n");
    if outside.len() > MAX_RUNS_LISTED {
        let _ = writeln!(
            h,
            "<p class=\"none\">… and {} more (all in the JSON report)</p>",
            outside.len() - MAX_RUNS_LISTED
        );
    }
    h.push_str("</section>\n");
}

pub(super) fn warnings(c: &Comparison, h: &mut String) {
    if c.warnings.is_empty() {
        return;
    }
    let _ = writeln!(
        h,
        "<section id=\"warnings\">\n<h2>Warnings <span class=\"n\">{}</span></h2>\n<ul class=\"warn\">",
        c.warnings.len()
    );
    for w in &c.warnings {
        let side = match w.side {
            SideName::A => "A",
            SideName::B => "B",
        };
        let _ = writeln!(
            h,
            "<li><span class=\"tag tag-{}\">{side}</span>byte {}: {}</li>",
            side.to_ascii_lowercase(),
            w.offset,
            esc(&w.message)
        );
    }
    h.push_str("</ul>\n</section>\n");
}

#[cfg(test)]
mod tests {
    use super::super::tests::rendered;
    use crate::compare::Run;
    use crate::report::fixture;
    use crate::text::Span;

    #[test]
    fn versions_of_a_source_are_listed_and_named_by_runs() {
        let mut c = fixture::comparison();
        assert!(!rendered(&c).contains("class=\"versions\""));
        let n = c.a.text.len();
        c.a.versions = vec![
            crate::compare::Version {
                id: "take-1".into(),
                date: Some("2025-03-07".into()),
                title: Some("First <take>".into()),
                start: 0,
                end: n / 2,
            },
            crate::compare::Version {
                id: "update".into(),
                date: None,
                title: None,
                start: n / 2 + 2,
                end: n,
            },
        ];
        let (a, b) = (c.a.text.clone(), c.b.text.clone());
        let at = |t: &str, s: &str| {
            let i = t.find(s).unwrap();
            Span::new(i, i + s.len())
        };
        c.runs.push(Run {
            a: at(&a, "paragraph only in A"),
            b: at(&b, "I seek <my> brothers"),
            words: 4,
            aligned: false,
            a_version: Some(1),
        });
        let html = rendered(&c);
        assert!(
            html.contains("<li>A version 1: take-1, 2025-03-07 — First &lt;take&gt;, bytes 0..",)
        );
        assert!(html.contains("<li>A version 2: update, bytes "));
        assert!(html.contains(" (version 2, update)</td>"));
    }

    #[test]
    fn copied_runs_outside_aligned_passages_are_listed_escaped() {
        let mut c = fixture::comparison();
        // Only runs the alignment shows: no section.
        assert!(!rendered(&c).contains("id=\"runs\""));
        let (a, b) = (c.a.text.clone(), c.b.text.clone());
        let at = |t: &str, s: &str| {
            let i = t.find(s).unwrap();
            Span::new(i, i + s.len())
        };
        // A run whose B words the aligned runs already cover: not listed.
        c.runs.push(Run {
            a: at(&a, "Trade grew <fast> & \"steady\""),
            b: at(&b, "Trade grew <fast> & \"steady\""),
            words: 4,
            aligned: false,
            a_version: None,
        });
        assert!(!rendered(&c).contains("id=\"runs\""));
        c.runs.push(Run {
            a: at(&a, "paragraph only in A"),
            b: at(&b, "I seek <my> brothers"),
            words: 4,
            aligned: false,
            a_version: None,
        });
        let html = rendered(&c);
        let at = |s: &str| html.find(s).unwrap_or_else(|| panic!("{s} missing"));
        assert!(at("id=\"facts\"") < at("id=\"runs\""));
        assert!(at("id=\"runs\"") < at("id=\"articles\""));
        assert!(
            html.contains(
                "Copied text the aligned passages do not show <span class=\"n\">1</span>"
            )
        );
        assert!(html.contains("<td>I seek &lt;my&gt; brothers</td><td>paragraph only in A</td>"));
    }
}
