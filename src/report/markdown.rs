//! The Markdown report: for pasting into a ticket or a fact-check.
//!
//! Layout: a heading and a table with both articles' metadata; a summary
//! (verdict, scores, counts); altered quotes first, with the word changes
//! shown as `~~deleted~~ **inserted**`; changed facts as a table; then
//! reworded and moved passages, quoted with `>`; a table of the copied
//! runs the aligned passages do not show; added and dropped passages; then
//! warnings. Article text is escaped so that no character in it (`*`, `|`,
//! `<`, `$`, a `#` or `1.` at the start of a line, ...) can change the
//! layout; line breaks inside a passage become spaces, except paragraph
//! breaks in added and dropped passages, which are kept.

use std::io::{self, Write};

use super::{DiffPiece, inline_diff, percent, plural, quote_diff, slice};
use crate::compare::{
    Comparison, Fact, FactKind, FactValue, Passage, PassageKind, QuoteMatch, QuoteRef, QuoteStatus,
    Severity, Side, SideName,
};
use crate::text::{Span, paragraphs};

/// Writes the Markdown report of `c` to `out`.
pub fn render(c: &Comparison, out: &mut dyn Write) -> io::Result<()> {
    header(c, out)?;
    summary(c, out)?;
    quotes(c, out)?;
    facts(c, out)?;
    passages(c, out)?;
    warnings(c, out)?;
    Ok(())
}

/// Escapes `s` for use inside a Markdown paragraph, table cell or heading:
/// whitespace runs (line breaks included) become one space, and every
/// character that could start Markdown syntax is backslash-escaped.
/// `line_start` says whether `s` begins a line (or a block, after `> `),
/// where `#`, `-`, `+`, `=` and `1.` would start a heading or a list.
pub(crate) fn escape(s: &str, line_start: bool) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.char_indices().peekable();
    let mut first = line_start;
    let mut in_space = false;
    while let Some((i, ch)) = chars.next() {
        if ch.is_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
            continue;
        }
        in_space = false;
        match ch {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '$' | '#' => {
                out.push('\\');
                out.push(ch);
            }
            // `&amp;` would be read as an entity; a lone `&` is fine.
            '&' if looks_like_entity(&s[i + 1..]) => out.push_str("\\&"),
            '-' | '+' | '=' if first => {
                out.push('\\');
                out.push(ch);
            }
            '0'..='9' if first => {
                // `2025. ` or `1) ` would start an ordered list.
                out.push(ch);
                while let Some(&(_, d)) = chars.peek() {
                    if !d.is_ascii_digit() {
                        break;
                    }
                    out.push(d);
                    chars.next();
                }
                if let Some(&(_, p @ ('.' | ')'))) = chars.peek() {
                    out.push('\\');
                    out.push(p);
                    chars.next();
                }
            }
            _ => out.push(ch),
        }
        first = false;
    }
    out
}

/// True when `rest` (the text after a `&`) would make a character reference.
fn looks_like_entity(rest: &str) -> bool {
    let body: &str = rest
        .split(';')
        .next()
        .filter(|b| b.len() < rest.len())
        .unwrap_or("");
    !body.is_empty()
        && body.len() <= 32
        && body
            .trim_start_matches('#')
            .chars()
            .all(|c| c.is_ascii_alphanumeric())
}

/// Escapes and trims a short value; "—" when it is empty.
fn cell(s: &str) -> String {
    let e = escape(s.trim(), false);
    if e.is_empty() { "—".to_string() } else { e }
}

/// A short label for a side: its outlet, else its id.
fn label(side: &Side) -> &str {
    side.outlet.as_deref().unwrap_or(&side.id)
}

/// Reads one metadata field of a side.
type MetaField = fn(&Side) -> Option<&str>;

fn header(c: &Comparison, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "# neardiff: {} vs {}\n",
        escape(label(&c.a), false),
        escape(label(&c.b), false)
    )?;
    writeln!(out, "| | A | B |\n|---|---|---|")?;
    writeln!(out, "| Id | {} | {} |", cell(&c.a.id), cell(&c.b.id))?;
    let rows: [(&str, MetaField); 5] = [
        ("Outlet", |s| s.outlet.as_deref()),
        ("Date", |s| s.date.as_deref()),
        ("Title", |s| s.title.as_deref()),
        ("Source", |s| s.source.as_deref()),
        ("URL", |s| s.url.as_deref()),
    ];
    for (name, get) in rows {
        let (a, b) = (get(&c.a), get(&c.b));
        if a.is_some() || b.is_some() {
            writeln!(
                out,
                "| {name} | {} | {} |",
                cell(a.unwrap_or("")),
                cell(b.unwrap_or(""))
            )?;
        }
    }
    if !c.a.versions.is_empty() {
        let lines = super::version_lines(c);
        let cells: Vec<String> = lines.iter().map(|l| escape(l, false)).collect();
        writeln!(out, "| Versions | {} | — |", cells.join("; "))?;
    }
    writeln!(
        out,
        "| Length | {} | {} |\n",
        plural(c.a.text.len(), "byte", "bytes"),
        plural(c.b.text.len(), "byte", "bytes")
    )
}

fn summary(c: &Comparison, out: &mut dyn Write) -> io::Result<()> {
    let s = &c.similarity;
    let n = &c.summary;
    writeln!(out, "## Summary\n")?;
    writeln!(
        out,
        "**Verdict: {}** — {}.\n",
        s.verdict.as_str(),
        s.verdict.describe()
    )?;
    writeln!(out, "| Measure | Value |\n|---|---|")?;
    writeln!(
        out,
        "| Jaccard ({}-word shingles) | {:.3} |",
        s.shingle_size, s.jaccard
    )?;
    writeln!(
        out,
        "| MinHash estimate ({} permutations) | {:.3} |",
        s.num_perm, s.minhash_jaccard
    )?;
    writeln!(
        out,
        "| Containment of A in B | {} |",
        percent(s.containment_a_in_b)
    )?;
    writeln!(
        out,
        "| Containment of B in A | {} |",
        percent(s.containment_b_in_a)
    )?;
    writeln!(
        out,
        "| Words of A aligned with B | {} |",
        percent(s.aligned_a)
    )?;
    writeln!(
        out,
        "| Words of B aligned with A | {} |\n",
        percent(s.aligned_b)
    )?;
    writeln!(
        out,
        "Passages: {} unchanged, {} reworded, {} moved, {} added, {} dropped.  ",
        n.unchanged, n.reworded, n.moved, n.added, n.dropped
    )?;
    writeln!(
        out,
        "Copied runs: {} ({} not shown by the aligned passages).  ",
        c.runs.len(),
        super::runs_to_show(c).len()
    )?;
    writeln!(
        out,
        "Quotes: {} altered, {} verbatim, {} only in A, {} only in B.  ",
        n.quotes_altered, n.quotes_verbatim, n.quotes_only_a, n.quotes_only_b
    )?;
    writeln!(out, "High-severity changed facts: {}.\n", n.facts_high)?;
    writeln!(
        out,
        "In changes below, ~~struck~~ words are only in A and **bold** words only in B.\n"
    )
}

/// True for the statuses shown as altered quotes.
pub(crate) fn is_altered(status: QuoteStatus) -> bool {
    matches!(
        status,
        QuoteStatus::Altered | QuoteStatus::SpeakerChanged | QuoteStatus::Partial
    )
}

/// The human name of a quote status.
pub(crate) fn status_name(status: QuoteStatus) -> &'static str {
    match status {
        QuoteStatus::Altered => "altered",
        QuoteStatus::SpeakerChanged => "speaker changed",
        QuoteStatus::Partial => "partial",
        QuoteStatus::OnlyA => "only in A",
        QuoteStatus::OnlyB => "only in B",
        QuoteStatus::Verbatim => "verbatim",
    }
}

/// The word diff of a pair as Markdown.
fn diff_markdown(pieces: &[DiffPiece<'_>]) -> String {
    let mut s = String::new();
    for (i, p) in pieces.iter().enumerate() {
        let start = i == 0;
        match p {
            DiffPiece::Same(t) | DiffPiece::Gap(t) => s.push_str(&escape(t, start)),
            DiffPiece::Deleted(t) => {
                s.push_str("~~");
                s.push_str(&escape(t, false));
                s.push_str("~~");
            }
            DiffPiece::Inserted(t) => {
                s.push_str("**");
                s.push_str(&escape(t, false));
                s.push_str("**");
            }
        }
    }
    s.trim().to_string()
}

fn speaker(q: Option<&QuoteRef>) -> String {
    match q {
        None => "—".into(),
        Some(q) => match (&q.speaker, &q.speaker_description) {
            (Some(s), _) => escape(s, false),
            (None, Some(d)) => format!("not named: {}", escape(d, false)),
            (None, None) => "unknown".into(),
        },
    }
}

fn quotes(c: &Comparison, out: &mut dyn Write) -> io::Result<()> {
    let altered: Vec<&QuoteMatch> = c.quotes.iter().filter(|q| is_altered(q.status)).collect();
    writeln!(out, "## Altered quotes ({})\n", altered.len())?;
    if altered.is_empty() {
        writeln!(out, "None.\n")?;
    }
    for (i, q) in altered.iter().enumerate() {
        writeln!(
            out,
            "**{}. {}** (word similarity {:.2})\n",
            i + 1,
            status_name(q.status),
            q.score
        )?;
        writeln!(
            out,
            "- Speaker: A: {} · B: {}",
            speaker(q.a.as_ref()),
            speaker(q.b.as_ref())
        )?;
        if let (Some(qa), Some(qb)) = (&q.a, &q.b) {
            let pieces = quote_diff(&c.a.text, qa, &c.b.text, qb, &q.edits);
            if !q.edits.is_empty() {
                writeln!(out, "- Change: “{}”", diff_markdown(&pieces))?;
            }
        }
        for (name, r) in [("A", &q.a), ("B", &q.b)] {
            if let Some(r) = r {
                writeln!(
                    out,
                    "- {name} (byte {}): “{}”",
                    r.start,
                    escape(r.text.trim(), false)
                )?;
            }
        }
        writeln!(out)?;
    }
    let single: Vec<&QuoteMatch> = c
        .quotes
        .iter()
        .filter(|q| matches!(q.status, QuoteStatus::OnlyA | QuoteStatus::OnlyB))
        .collect();
    if !single.is_empty() {
        writeln!(out, "### Quotes in one article only ({})\n", single.len())?;
        for q in single {
            if let Some(r) = q.a.as_ref().or(q.b.as_ref()) {
                writeln!(
                    out,
                    "- {}, speaker {}: “{}”",
                    status_name(q.status),
                    speaker(Some(r)),
                    escape(r.text.trim(), false)
                )?;
            }
        }
        writeln!(out)?;
    }
    Ok(())
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

fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::High => "high",
        Severity::Medium => "medium",
        Severity::Low => "low",
    }
}

fn facts(c: &Comparison, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "## Changed facts ({})\n", c.facts.len())?;
    if c.facts.is_empty() {
        return writeln!(out, "None.\n");
    }
    writeln!(
        out,
        "| Kind | Severity | A | B | In quote |\n|---|---|---|---|---|"
    )?;
    for Fact {
        kind,
        severity,
        in_quote,
        a,
        b,
    } in &c.facts
    {
        let v = |v: &Option<FactValue>| v.as_ref().map(|v| cell(&v.text)).unwrap_or("—".into());
        writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            kind_name(*kind),
            severity_name(*severity),
            v(a),
            v(b),
            if *in_quote { "yes" } else { "no" }
        )?;
    }
    writeln!(out)
}

/// Text of `span` in `text` as a Markdown block quote, paragraphs kept.
fn block_quote(text: &str, span: Span) -> String {
    let t = slice(text, span.start, span.end);
    let paras: Vec<String> = paragraphs(t)
        .into_iter()
        .map(|p| format!("> {}", escape(p.slice(t), true)))
        .collect();
    if paras.is_empty() {
        "> (empty)".into()
    } else {
        paras.join("\n>\n")
    }
}

fn range(s: Option<Span>) -> String {
    s.map(|s| format!("{}–{}", s.start, s.end))
        .unwrap_or_else(|| "—".into())
}

fn passages(c: &Comparison, out: &mut dyn Write) -> io::Result<()> {
    passage_sections(
        c,
        &[
            (PassageKind::Reworded, "Reworded passages"),
            (PassageKind::Moved, "Moved passages"),
        ],
        out,
    )?;
    runs(c, out)?;
    passage_sections(
        c,
        &[
            (PassageKind::Added, "Added passages (only in B)"),
            (PassageKind::Dropped, "Dropped passages (only in A)"),
        ],
        out,
    )
}

/// Copied runs listed at most in the Markdown report.
const MAX_RUNS_LISTED: usize = 200;

/// Copied runs the sentence alignment does not show
/// ([`super::runs_to_show`]): a table of B's words and where in A they
/// come from.
fn runs(c: &Comparison, out: &mut dyn Write) -> io::Result<()> {
    let outside = super::runs_to_show(c);
    if outside.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "## Copied text the aligned passages do not show ({})\n",
        outside.len()
    )?;
    writeln!(
        out,
        "| B bytes | A bytes | Words | Text in B |\n|---|---|---|---|"
    )?;
    for r in outside.iter().take(MAX_RUNS_LISTED) {
        let version = super::version_name(c, r.a_version)
            .map(|v| format!(" ({})", escape(&v, false)))
            .unwrap_or_default();
        writeln!(
            out,
            "| {} | {}{version} | {} | {} |",
            range(Some(r.b)),
            range(Some(r.a)),
            r.words,
            cell(slice(&c.b.text, r.b.start, r.b.end))
        )?;
    }
    if outside.len() > MAX_RUNS_LISTED {
        writeln!(
            out,
            "\n… and {} more (all in the JSON report).",
            outside.len() - MAX_RUNS_LISTED
        )?;
    }
    writeln!(out)
}

fn passage_sections(
    c: &Comparison,
    sections: &[(PassageKind, &str)],
    out: &mut dyn Write,
) -> io::Result<()> {
    for &(kind, title) in sections {
        let list: Vec<&Passage> = c.passages.iter().filter(|p| p.kind == kind).collect();
        if list.is_empty() {
            continue;
        }
        writeln!(out, "## {title} ({})\n", list.len())?;
        for (i, p) in list.iter().enumerate() {
            let version = super::version_name(c, p.a_version)
                .map(|v| format!(" ({})", escape(&v, false)))
                .unwrap_or_default();
            match (p.a, p.b) {
                (Some(a), Some(b)) => {
                    writeln!(
                        out,
                        "**{}.** A bytes {}{version} → B bytes {}, word similarity {:.2}\n",
                        i + 1,
                        range(Some(a)),
                        range(Some(b)),
                        p.score
                    )?;
                    let body = if p.edits.is_empty() {
                        escape(slice(&c.b.text, b.start, b.end).trim(), true)
                    } else {
                        diff_markdown(&inline_diff(&c.a.text, a, &c.b.text, b, &p.edits))
                    };
                    writeln!(out, "> {body}\n")?;
                }
                (a, b) => {
                    let (text, span, side) = match (a, b) {
                        (Some(a), _) => (&c.a.text, a, "A"),
                        (None, Some(b)) => (&c.b.text, b, "B"),
                        (None, None) => continue,
                    };
                    writeln!(
                        out,
                        "**{}.** {side} bytes {}{version}\n",
                        i + 1,
                        range(Some(span))
                    )?;
                    writeln!(out, "{}\n", block_quote(text, span))?;
                }
            }
        }
    }
    Ok(())
}

fn warnings(c: &Comparison, out: &mut dyn Write) -> io::Result<()> {
    if c.warnings.is_empty() {
        return Ok(());
    }
    writeln!(out, "## Warnings ({})\n", c.warnings.len())?;
    for w in &c.warnings {
        let side = match w.side {
            SideName::A => "A",
            SideName::B => "B",
        };
        writeln!(
            out,
            "- {side}, byte {}: {}",
            w.offset,
            escape(&w.message, false)
        )?;
    }
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    fn rendered(c: &Comparison) -> String {
        let mut v = Vec::new();
        render(c, &mut v).unwrap();
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn escapes_markdown_syntax() {
        assert_eq!(escape("a *b* | <c> & d", false), r"a \*b\* \| \<c\> & d");
        assert_eq!(
            escape("x &amp; y &#39; AT&T", false),
            r"x \&amp; y \&\#39; AT&T"
        );
        assert_eq!(escape("# Head", true), r"\# Head");
        assert_eq!(escape("- item", true), r"\- item");
        assert_eq!(escape("well-known", true), "well-known");
        assert_eq!(escape("2025. A year", true), r"2025\. A year");
        assert_eq!(escape("2025. A year", false), "2025. A year");
        assert_eq!(escape("$5 and $6", false), r"\$5 and \$6");
        assert_eq!(escape("two\n\nlines\t here", false), "two lines here");
        assert_eq!(escape("[link](x)", false), r"\[link\](x)");
    }

    #[test]
    fn sections_come_in_order() {
        let md = rendered(&fixture::comparison());
        let at = |needle: &str| {
            md.find(needle)
                .unwrap_or_else(|| panic!("{needle:?} missing from:\n{md}"))
        };
        let order = [
            "# neardiff: News.Az vs JNS",
            "## Summary",
            "## Altered quotes (1)",
            "## Changed facts (1)",
            "## Reworded passages (1)",
            "## Added passages (only in B) (1)",
            "## Dropped passages (only in A) (1)",
            "## Warnings (1)",
        ];
        for w in order.windows(2) {
            assert!(
                at(w[0]) < at(w[1]),
                "{:?} should come before {:?}",
                w[0],
                w[1]
            );
        }
        assert!(!md.contains("## Moved passages"));
    }

    #[test]
    fn altered_quote_shows_speakers_and_word_diff() {
        let md = rendered(&fixture::comparison());
        assert!(md.contains("**Verdict: related** — the same story with partial overlap."));
        assert!(md.contains("- Speaker: A: Orit Strock · B: Strock"));
        assert!(md.contains("- Change: “Azerbaijan is ~~an important~~ **a key** ally of Israel”"));
        assert!(md.contains("| wording | high | an important | a key | yes |"));
        assert!(md.contains("| Jaccard (3-word shingles) | 0.500 |"));
        assert!(md.contains("| MinHash estimate (128 permutations) | 0.523 |"));
        assert!(md.contains("| Containment of A in B | 60.0% |"));
        assert!(md.contains("- only in B, speaker unknown: “I seek \\<my\\> brothers”"));
    }

    #[test]
    fn article_text_cannot_break_layout() {
        let md = rendered(&fixture::comparison());
        // Raw HTML and table pipes from the articles never survive unescaped.
        assert!(!md.contains("<script>"));
        assert!(md.contains(r"> A \<script\>alert('x')\</script\> paragraph only in A."));
        assert!(md.contains(r#"> He added: "I seek \<my\> brothers" \| \*now\*."#));
        assert!(md.contains(r#"| Title | Israel & Azerbaijan: "strategic" \<ally\> | Knesset \| debates \*Azerbaijan\* |"#));
        // Every table row has the same number of unescaped pipes as its header.
        for line in md.lines().filter(|l| l.starts_with('|')) {
            let pipes = line.replace(r"\|", "").matches('|').count();
            assert!(pipes == 4 || pipes == 3 || pipes == 6, "{line}");
        }
    }

    #[test]
    fn reworded_passage_is_an_inline_diff() {
        let md = rendered(&fixture::comparison());
        assert!(md.contains(
            "> Minister Orit Strock said \"Azerbaijan is ~~an important~~ **a key** ally of Israel\" on Monday."
        ));
    }

    #[test]
    fn copied_runs_outside_aligned_passages_are_listed_escaped() {
        use crate::compare::Run;
        let mut c = fixture::comparison();
        // Only runs the alignment shows: no section.
        assert!(!rendered(&c).contains("## Copied text"));
        assert!(rendered(&c).contains("Copied runs: 2 (0 not shown by the aligned passages)."));
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
        assert!(!rendered(&c).contains("## Copied text"));
        let (ra, rb) = (
            at(&a, "paragraph only in A"),
            at(&b, "I seek <my> brothers"),
        );
        c.runs.push(Run {
            a: ra,
            b: rb,
            words: 4,
            aligned: false,
            a_version: None,
        });
        // The same words of B found again elsewhere in A: listed once.
        c.runs.push(Run {
            a: at(&a, "only in A"),
            b: Span::new(rb.start + 2, rb.end),
            words: 4,
            aligned: false,
            a_version: None,
        });
        let md = rendered(&c);
        let at = |s: &str| md.find(s).unwrap_or_else(|| panic!("{s} missing:\n{md}"));
        assert!(at("## Reworded passages") < at("## Copied text"));
        assert!(at("## Copied text") < at("## Added passages"));
        assert!(md.contains("## Copied text the aligned passages do not show (1)"));
        assert!(md.contains(&format!(
            "| {}–{} | {}–{} | 4 | I seek \\<my\\> brothers |",
            rb.start, rb.end, ra.start, ra.end
        )));
        assert!(md.contains("Copied runs: 5 (1 not shown by the aligned passages)."));
    }

    #[test]
    fn empty_sections_say_none() {
        let mut c = fixture::comparison();
        c.quotes.clear();
        c.facts.clear();
        c.warnings.clear();
        let md = rendered(&c);
        assert!(md.contains("## Altered quotes (0)\n\nNone."));
        assert!(md.contains("## Changed facts (0)\n\nNone."));
        assert!(!md.contains("## Warnings"));
    }
}
