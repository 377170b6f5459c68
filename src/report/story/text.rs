//! Plain-text story report for terminals: the source and why, the outlets
//! ranked by drift with one line each, then changed quotes, changed facts,
//! the passage matrix and the quote matrix in compact form, and what each
//! outlet added.

use std::io::{self, Write};

use super::{clip, columns, describe, fact_kind_name, worst_state};
use crate::story::{
    DiffOp, DiffPart, PassageCell, PassageStatus, QuoteState, SpeakerAgreement, Story,
};

use crate::report::text::Style;
pub use crate::report::text::TextOptions;

fn diff(st: &Style, parts: &[DiffPart]) -> String {
    let mut s = String::new();
    for p in parts {
        let t = p.text.replace(['\n', '\r'], " ");
        match p.op {
            DiffOp::Same => s.push_str(&t),
            DiffOp::Deleted => s.push_str(&st.deleted(&t)),
            DiffOp::Inserted => s.push_str(&st.inserted(&t)),
        }
    }
    s
}

fn cell(st: &Style, c: Option<&PassageCell>) -> String {
    match c {
        Some(c) => match (c.status, c.moved) {
            (PassageStatus::Kept, false) => st.paint("32", "="),
            (PassageStatus::Kept, true) => st.paint("32", ">"),
            (PassageStatus::Reworded, _) => st.paint("33", "~"),
            (PassageStatus::Dropped, _) => st.paint("31", "-"),
        },
        None => " ".to_string(),
    }
}
fn quote_cell(st: &Style, s: Option<QuoteState>) -> String {
    match s {
        Some(QuoteState::Verbatim) => st.paint("32", "V"),
        Some(QuoteState::Altered) => st.paint("1;31", "A"),
        Some(QuoteState::Partial) => st.paint("33", "P"),
        Some(QuoteState::Absent) => st.dim("."),
        None => " ".to_string(),
    }
}

/// Writes the text report of `story` to `out`.
pub fn render(story: &Story, out: &mut dyn Write, opts: TextOptions) -> io::Result<()> {
    let st = Style { color: opts.color };
    let w = out;
    let src = story.source_article();
    if let Some(t) = &src.title {
        writeln!(w, "Story: {}", st.paint("1", &clip(t, 200)))?;
    }
    writeln!(
        w,
        "Source: {}; {} passages, {} words, {} quotes",
        describe(src),
        story.passages.len(),
        src.words,
        story
            .quotes
            .iter()
            .filter(|q| q.origin == story.source)
            .count()
    )?;
    writeln!(w, "Why: {}", story.source_reason)?;

    let ranked = story.ranked_outlets();
    writeln!(
        w,
        "\n{}",
        st.heading("Outlets, most changed first (drift: 0 = verbatim copy)")
    )?;
    writeln!(
        w,
        "  {}",
        st.dim("rank  drift  kept  rewd  drop  added  quotes  facts  article")
    )?;
    for a in &ranked {
        let quotes = a.quotes_altered + a.quotes_partial + a.speakers_changed;
        writeln!(
            w,
            "  {:>4}  {:>5.3}  {:>4}  {:>4}  {:>4}  {:>5}  {:>6}  {:>5}  {}",
            a.rank.unwrap_or(0),
            a.drift,
            a.kept,
            a.reworded,
            a.dropped,
            a.added,
            quotes,
            a.facts_changed,
            describe(a)
        )?;
    }
    writeln!(
        w,
        "  {}",
        st.dim(
            "kept/rewd/drop: source passages kept verbatim, reworded, dropped; added: own passages; \
             quotes: source quotes altered, truncated or re-attributed; facts: changed facts"
        )
    )?;
    for a in story.unrelated() {
        writeln!(w, "Not about this story (left out below): {}", describe(a))?;
    }

    // Changed quotes, the worst first.
    let mut changed: Vec<_> = story.quotes.iter().filter(|q| q.is_changed()).collect();
    changed.sort_by_key(|q| worst_state(q));
    if !changed.is_empty() {
        writeln!(w, "\n{}", st.heading("Changed quotes"))?;
        for q in changed {
            let speaker = q.speaker.as_deref().unwrap_or("speaker unknown");
            writeln!(w, "  “{}” — {speaker}", clip(&q.text, 160))?;
            for a in &ranked {
                let Some(state) = q.by_article.get(&a.id) else {
                    continue;
                };
                let v = q.versions.get(&a.id);
                if matches!(state, QuoteState::Altered | QuoteState::Partial) {
                    let diff = v.map(|v| diff(&st, &v.diff)).unwrap_or_default();
                    let name = if *state == QuoteState::Partial {
                        "partial (truncated)"
                    } else {
                        "altered"
                    };
                    writeln!(w, "    {} in {}: “{}”", st.paint("1;31", name), a.id, diff)?;
                }
                if let Some(v) = v
                    && v.speaker_agreement == SpeakerAgreement::Different
                {
                    writeln!(
                        w,
                        "    {} in {}: {}",
                        st.paint("1;31", "speaker changed"),
                        a.id,
                        v.speaker.as_deref().unwrap_or("")
                    )?;
                }
            }
            let verbatim: Vec<&str> = ranked
                .iter()
                .filter(|a| q.by_article.get(&a.id) == Some(&QuoteState::Verbatim))
                .map(|a| a.id.as_str())
                .collect();
            if !verbatim.is_empty() {
                writeln!(
                    w,
                    "    {}",
                    st.dim(&format!("verbatim in {}", verbatim.join(", ")))
                )?;
            }
        }
    }

    if !story.facts.is_empty() {
        writeln!(w, "\n{}", st.heading("Changed facts"))?;
        for a in &ranked {
            for f in story.facts.iter().filter(|f| f.id == a.id) {
                let sev = st.severity(f.severity);
                let val = |v: &Option<crate::compare::FactValue>| match v {
                    Some(v) => format!("“{}”", clip(&v.text, 80)),
                    None => "—".to_string(),
                };
                writeln!(
                    w,
                    "  {sev} {:<9} {}: source {} → {}{}",
                    fact_kind_name(f.kind),
                    a.id,
                    val(&f.source_value),
                    val(&f.article_value),
                    if f.in_quote { "  (inside a quote)" } else { "" }
                )?;
            }
        }
    }

    let cols = columns(story);
    let legend = |s: &str| st.dim(s);
    writeln!(w, "\n{}", st.heading("Source passages by outlet"))?;
    writeln!(
        w,
        "  {}",
        legend("= kept  > kept, moved  ~ reworded  - dropped; columns are the outlets by rank")
    )?;
    let header: String = cols[1..]
        .iter()
        .map(|a| format!("{:<2}", a.rank.unwrap_or(0) % 100))
        .collect();
    writeln!(w, "  {:<5}{}", "", st.dim(&header))?;
    for p in &story.passages {
        let cells: String = cols[1..]
            .iter()
            .map(|a| format!("{} ", cell(&st, p.by_article.get(&a.id))))
            .collect();
        writeln!(
            w,
            "  {:<5}{}{}",
            format!("P{}", p.number),
            cells,
            clip(&p.text, 70)
        )?;
    }

    if !story.quotes.is_empty() {
        writeln!(w, "\n{}", st.heading("Quotes by article"))?;
        writeln!(
            w,
            "  {}",
            legend(
                "V verbatim  A altered  P partial  . absent; first column the source, then the outlets by rank"
            )
        )?;
        let header: String = std::iter::once("S ".to_string())
            .chain(
                cols[1..]
                    .iter()
                    .map(|a| format!("{:<2}", a.rank.unwrap_or(0) % 100)),
            )
            .collect();
        writeln!(w, "  {:<5}{}", "", st.dim(&header))?;
        for (i, q) in story.quotes.iter().enumerate() {
            let cells: String = cols
                .iter()
                .map(|a| format!("{} ", quote_cell(&st, q.by_article.get(&a.id).copied())))
                .collect();
            writeln!(
                w,
                "  {:<5}{}“{}”",
                format!("Q{}", i + 1),
                cells,
                clip(&q.text, 64)
            )?;
        }
    }

    let adders: Vec<_> = ranked.iter().filter(|a| a.added > 0).collect();
    if !adders.is_empty() {
        writeln!(w, "\n{}", st.heading("Added by outlets"))?;
        for a in adders {
            writeln!(w, "  {}:", a.id)?;
            for p in &a.added_passages {
                writeln!(w, "    + {}", clip(&p.text, 110))?;
            }
        }
    }
    Ok(())
}
