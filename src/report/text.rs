//! Plain-text output for terminals: summary first, then altered quotes and
//! changed facts, then reworded, moved, added and dropped passages.

use std::io::{self, Write};

use super::{Piece, diff_pieces};
use crate::compare::{
    Comparison, Fact, FactKind, PassageKind, QuoteMatch, QuoteRef, QuoteStatus, Severity, Side,
    core_edits,
};

/// Options of the text report.
#[derive(Clone, Copy, Debug, Default)]
pub struct TextOptions {
    /// Use ANSI colours.
    pub color: bool,
}

/// ANSI styling of text output (shared with the story report).
pub(crate) struct Style {
    pub(crate) color: bool,
}

impl Style {
    pub(crate) fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    pub(crate) fn heading(&self, s: &str) -> String {
        self.paint("1;4", s)
    }
    pub(crate) fn deleted(&self, s: &str) -> String {
        if self.color {
            self.paint("31;9", s)
        } else {
            format!("[-{s}-]")
        }
    }
    pub(crate) fn inserted(&self, s: &str) -> String {
        if self.color {
            self.paint("32;1", s)
        } else {
            format!("{{+{s}+}}")
        }
    }
    pub(crate) fn dim(&self, s: &str) -> String {
        self.paint("2", s)
    }
    pub(crate) fn severity(&self, s: Severity) -> String {
        match s {
            Severity::High => self.paint("1;31", "HIGH  "),
            Severity::Medium => self.paint("33", "medium"),
            Severity::Low => self.paint("2", "low   "),
        }
    }
}

/// Collapses runs of whitespace (line breaks included) for one-line display.
/// Copied runs listed at most in the text report.
const MAX_RUNS_LISTED: usize = 50;

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn describe_side(label: &str, s: &Side) -> String {
    let mut parts = vec![s.id.clone()];
    for v in [&s.outlet, &s.date].into_iter().flatten() {
        parts.push(v.clone());
    }
    let mut line = format!("{label}: {}", parts.join(", "));
    if let Some(t) = &s.title {
        line.push_str(&format!(" — {}", one_line(t)));
    }
    line
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

fn render_diff(st: &Style, pieces: &[Piece]) -> String {
    let mut s = String::new();
    for p in pieces {
        match p {
            Piece::Same(t) => s.push_str(t),
            Piece::Deleted(t) => s.push_str(&st.deleted(t)),
            Piece::Inserted(t) => s.push_str(&st.inserted(t)),
        }
    }
    one_line(&s)
}

/// The speaker's name; for one described but not named, the description
/// (`speaker not named: a spokesman`).
fn speaker(q: &QuoteRef) -> String {
    match (&q.speaker, &q.speaker_description) {
        (Some(s), _) => s.clone(),
        (None, Some(d)) => format!("speaker not named: {d}"),
        (None, None) => "speaker unknown".into(),
    }
}

fn status_name(s: QuoteStatus) -> &'static str {
    match s {
        QuoteStatus::Altered => "altered",
        QuoteStatus::SpeakerChanged => "speaker changed",
        QuoteStatus::Partial => "partial (truncated)",
        QuoteStatus::OnlyA => "only in A",
        QuoteStatus::OnlyB => "only in B",
        QuoteStatus::Verbatim => "verbatim",
    }
}

fn kind_name(k: FactKind) -> &'static str {
    match k {
        FactKind::Number => "number",
        FactKind::Date => "date",
        FactKind::Name => "name",
        FactKind::ListItem => "list item",
        FactKind::Wording => "wording",
    }
}

fn write_quote_pair(
    w: &mut dyn Write,
    st: &Style,
    c: &Comparison,
    q: &QuoteMatch,
) -> io::Result<()> {
    match (&q.a, &q.b) {
        (Some(a), Some(b)) => {
            writeln!(
                w,
                "  [{}] A: {} · B: {} (similarity {:.2})",
                status_name(q.status),
                speaker(a),
                speaker(b),
                q.score
            )?;
            if q.edits.is_empty() {
                writeln!(w, "    “{}”", one_line(&a.text))?;
            } else {
                // Show where the quotes overlap; say how much more the
                // longer one has around it.
                let core = core_edits(&q.edits);
                let pieces = diff_pieces(&c.a.text, &c.b.text, core);
                let skipped = q.edits.len() - core.len();
                let lead = if core.first() != q.edits.first() {
                    "… "
                } else {
                    ""
                };
                let tail = if core.last() != q.edits.last() {
                    " …"
                } else {
                    ""
                };
                writeln!(w, "    “{lead}{}{tail}”", render_diff(st, &pieces))?;
                if skipped > 0 {
                    let extra = |ops: &[crate::diff::WordEdit], on_a: bool| -> usize {
                        ops.iter()
                            .filter(|e| !core.contains(e))
                            .map(|e| {
                                let (s, text) = if on_a {
                                    (e.a, &c.a.text)
                                } else {
                                    (e.b, &c.b.text)
                                };
                                crate::text::words(s.slice(text)).len()
                            })
                            .sum()
                    };
                    let (more_a, more_b) = (extra(&q.edits, true), extra(&q.edits, false));
                    let note = match (more_a, more_b) {
                        (0, n) => format!("B's quote goes on for {n} more words"),
                        (n, 0) => format!("A's quote goes on for {n} more words"),
                        (x, y) => format!("A's quote has {x} more words, B's {y}"),
                    };
                    writeln!(w, "    {}", st.dim(&format!("({note})")))?;
                }
            }
        }
        (Some(x), None) | (None, Some(x)) => {
            writeln!(
                w,
                "  [{}] {}: “{}”",
                status_name(q.status),
                speaker(x),
                one_line(&x.text)
            )?;
        }
        (None, None) => {}
    }
    Ok(())
}

fn write_fact(w: &mut dyn Write, st: &Style, f: &Fact) -> io::Result<()> {
    let val = |v: &Option<crate::compare::FactValue>| match v {
        Some(v) => format!("“{}”", one_line(&v.text)),
        None => "—".to_string(),
    };
    writeln!(
        w,
        "  {} {:<9} A {} → B {}{}",
        st.severity(f.severity),
        kind_name(f.kind),
        val(&f.a),
        val(&f.b),
        if f.in_quote {
            st.dim("  (inside a quote)")
        } else {
            String::new()
        }
    )
}

/// Writes the text report.
pub fn render(c: &Comparison, out: &mut dyn Write, opts: TextOptions) -> io::Result<()> {
    let st = Style { color: opts.color };
    let w = out;
    let s = &c.similarity;
    let n = &c.summary;
    writeln!(w, "{}", describe_side("A", &c.a))?;
    for line in super::version_lines(c) {
        writeln!(w, "   {}", one_line(&line))?;
    }
    writeln!(w, "{}", describe_side("B", &c.b))?;
    writeln!(
        w,
        "Verdict: {} — {}",
        st.paint("1", s.verdict.as_str()),
        s.verdict.describe()
    )?;
    writeln!(
        w,
        "Scores: Jaccard {:.3} (MinHash {:.3}, {} words/shingle), A in B {:.3}, B in A {:.3}; aligned {} of A, {} of B",
        s.jaccard,
        s.minhash_jaccard,
        s.shingle_size,
        s.containment_a_in_b,
        s.containment_b_in_a,
        pct(s.aligned_a),
        pct(s.aligned_b)
    )?;
    writeln!(
        w,
        "Passages: {} unchanged, {} reworded, {} moved, {} added, {} dropped",
        n.unchanged, n.reworded, n.moved, n.added, n.dropped
    )?;
    writeln!(
        w,
        "Copied runs: {} ({} not shown by the aligned passages)",
        c.runs.len(),
        super::runs_to_show(c).len()
    )?;
    writeln!(
        w,
        "Quotes: {} altered, {} verbatim, {} only in A, {} only in B; {} high-severity findings",
        n.quotes_altered, n.quotes_verbatim, n.quotes_only_a, n.quotes_only_b, n.facts_high
    )?;

    let changed: Vec<&QuoteMatch> = c
        .quotes
        .iter()
        .filter(|q| {
            matches!(
                q.status,
                QuoteStatus::Altered | QuoteStatus::SpeakerChanged | QuoteStatus::Partial
            )
        })
        .collect();
    if !changed.is_empty() {
        writeln!(w, "\n{}", st.heading("Altered quotes"))?;
        for q in changed {
            write_quote_pair(w, &st, c, q)?;
        }
    }
    if !c.facts.is_empty() {
        writeln!(w, "\n{}", st.heading("Changed facts"))?;
        for f in &c.facts {
            write_fact(w, &st, f)?;
        }
    }
    let lone: Vec<&QuoteMatch> = c
        .quotes
        .iter()
        .filter(|q| matches!(q.status, QuoteStatus::OnlyA | QuoteStatus::OnlyB))
        .collect();
    if !lone.is_empty() {
        writeln!(w, "\n{}", st.heading("Quotes in one article only"))?;
        for q in lone {
            write_quote_pair(w, &st, c, q)?;
        }
    }
    let verbatim: Vec<&QuoteMatch> = c
        .quotes
        .iter()
        .filter(|q| q.status == QuoteStatus::Verbatim)
        .collect();
    if !verbatim.is_empty() {
        writeln!(w, "\n{}", st.heading("Verbatim quotes"))?;
        for q in verbatim {
            write_quote_pair(w, &st, c, q)?;
        }
    }

    for (kind, title) in [
        (PassageKind::Reworded, "Reworded passages"),
        (PassageKind::Moved, "Moved passages"),
    ] {
        let ps: Vec<_> = c.passages.iter().filter(|p| p.kind == kind).collect();
        if ps.is_empty() {
            continue;
        }
        writeln!(w, "\n{}", st.heading(title))?;
        for p in ps {
            let (a, b) = (p.a.unwrap_or_default(), p.b.unwrap_or_default());
            let version = super::version_name(c, p.a_version)
                .map(|v| format!(" ({v})"))
                .unwrap_or_default();
            writeln!(
                w,
                "  {} (similarity {:.2})",
                st.dim(&format!(
                    "A {}..{}{version} ↔ B {}..{}",
                    a.start, a.end, b.start, b.end
                )),
                p.score
            )?;
            let pieces = diff_pieces(&c.a.text, &c.b.text, &p.edits);
            writeln!(w, "    {}", render_diff(&st, &pieces))?;
        }
    }
    let outside = super::runs_to_show(c);
    if !outside.is_empty() {
        writeln!(
            w,
            "\n{}",
            st.heading("Copied text the aligned passages do not show (B ← A)")
        )?;
        for r in outside.iter().take(MAX_RUNS_LISTED) {
            let version = super::version_name(c, r.a_version)
                .map(|v| format!(" ({v})"))
                .unwrap_or_default();
            writeln!(
                w,
                "  {} {}",
                st.dim(&format!(
                    "B {}..{} ← A {}..{}{version}, {} words:",
                    r.b.start, r.b.end, r.a.start, r.a.end, r.words
                )),
                one_line(super::slice(&c.b.text, r.b.start, r.b.end))
            )?;
        }
        if outside.len() > MAX_RUNS_LISTED {
            writeln!(
                w,
                "  … and {} more (all in the JSON report)",
                outside.len() - MAX_RUNS_LISTED
            )?;
        }
    }
    for (kind, title, text) in [
        (PassageKind::Added, "Added in B", &c.b.text),
        (PassageKind::Dropped, "Dropped from A", &c.a.text),
    ] {
        let ps: Vec<_> = c.passages.iter().filter(|p| p.kind == kind).collect();
        if ps.is_empty() {
            continue;
        }
        writeln!(w, "\n{}", st.heading(title))?;
        for p in ps {
            let span = p.a.or(p.b).unwrap_or_default();
            let version = super::version_name(c, p.a_version)
                .map(|v| format!(" ({v})"))
                .unwrap_or_default();
            writeln!(
                w,
                "  {} {}",
                st.dim(&format!("{}..{}{version}", span.start, span.end)),
                one_line(span.slice(text))
            )?;
        }
    }
    if !c.warnings.is_empty() {
        writeln!(w, "\n{}", st.heading("Warnings"))?;
        for x in &c.warnings {
            let side = match x.side {
                crate::compare::SideName::A => "A",
                crate::compare::SideName::B => "B",
            };
            writeln!(w, "  {side} at byte {}: {}", x.offset, x.message)?;
        }
    }
    Ok(())
}
