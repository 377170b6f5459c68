//! Output of `neardiff check`: text for people, JSON and JSON Lines for
//! programs (the `neardiff.check/2` contract, documented in `README.md`).

use std::io::Write;

use serde::Serialize;

use super::check::{CheckResult, Match};
use crate::compare::Verdict;
use crate::error::{Error, ErrorKind, Result};

/// The schema name of JSON output.
pub const SCHEMA: &str = "neardiff.check/2";

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One line per article with a match.
    Text,
    /// One JSON document.
    Json,
    /// One JSON object per article per line.
    Jsonl,
}

/// One article's record in JSON output.
#[derive(Serialize)]
pub struct ResultRecord<'a> {
    /// Schema name (JSON Lines only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<&'static str>,
    /// The new article's id.
    pub id: &'a str,
    /// Its file.
    pub source: &'a str,
    /// Its line (JSON Lines input).
    pub line: Option<usize>,
    /// Its distinct shingles (0 when too short).
    pub num_shingles: u32,
    /// Its words.
    pub words: u32,
    /// Too short to check (fewer words than the minimum): not looked up,
    /// so no verdict, no candidates, no matches, never flagged.
    pub too_short: bool,
    /// The closest verdict among the matches.
    pub verdict: Option<Verdict>,
    /// Whether it met the `--fail-on` condition.
    pub flagged: bool,
    /// Candidates scored.
    pub candidates: usize,
    /// Best matches, best first.
    pub matches: &'a [Match],
}

/// Builds an article's record.
pub fn record<'a>(r: &'a CheckResult, flagged: bool, schema: bool) -> ResultRecord<'a> {
    ResultRecord {
        schema: schema.then_some(SCHEMA),
        id: &r.id,
        source: &r.source,
        line: r.line,
        num_shingles: r.num_shingles,
        words: r.words,
        too_short: r.too_short,
        verdict: r.verdict(),
        flagged,
        candidates: r.candidates,
        matches: &r.matches,
    }
}

/// Totals of a check run.
#[derive(Clone, Debug, Default, Serialize)]
pub struct CheckSummary {
    /// Articles checked.
    pub articles: u64,
    /// Articles whose closest match is a duplicate.
    pub duplicate: u64,
    /// ... a near-duplicate.
    pub near_duplicate: u64,
    /// ... partial.
    pub partial: u64,
    /// ... related.
    pub related: u64,
    /// Articles checked without any match at the threshold (too short
    /// ones are not counted here).
    pub no_match: u64,
    /// Articles that met the `--fail-on` condition.
    pub flagged: u64,
    /// Articles without any word (all of them also too short).
    pub without_words: u64,
    /// Articles too short to check (fewer words than the minimum, none
    /// at all included): not looked up.
    pub too_short: u64,
}

impl CheckSummary {
    /// Counts one result.
    pub fn count(&mut self, r: &CheckResult, flagged: bool) {
        self.articles += 1;
        self.flagged += flagged as u64;
        self.without_words += (r.words == 0) as u64;
        if r.too_short {
            self.too_short += 1;
            return;
        }
        match r.verdict() {
            Some(Verdict::Duplicate) => self.duplicate += 1,
            Some(Verdict::NearDuplicate) => self.near_duplicate += 1,
            Some(Verdict::Partial) => self.partial += 1,
            Some(Verdict::Related) | Some(Verdict::Unrelated) => self.related += 1,
            None => self.no_match += 1,
        }
    }
}

fn verb(v: Verdict) -> &'static str {
    match v {
        Verdict::Duplicate => "duplicates",
        Verdict::NearDuplicate => "is a near-duplicate of",
        Verdict::Partial => "largely overlaps",
        Verdict::Related => "is related to",
        Verdict::Unrelated => "matches",
    }
}

fn scores(m: &Match) -> String {
    format!(
        "Jaccard {:.2}; new in match {:.2}, match in new {:.2}; MinHash {:.2}",
        m.jaccard, m.containment_new_in_match, m.containment_match_in_new, m.minhash_jaccard
    )
}

fn about(m: &Match) -> String {
    let parts: Vec<&str> = [m.outlet.as_deref(), m.date.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(" [{}]", parts.join(", "))
    }
}

/// Writes one article's text lines: its matches, or that it is too short
/// to check (nothing when it was checked and has no match).
pub fn write_text(r: &CheckResult, w: &mut dyn Write) -> std::io::Result<()> {
    if r.too_short {
        let plural = if r.words == 1 { "" } else { "s" };
        return writeln!(
            w,
            "too short to check: {} ({} word{plural})",
            r.display_name(),
            r.words
        );
    }
    let Some(best) = r.matches.first() else {
        return Ok(());
    };
    writeln!(
        w,
        "{}: {} {} {}{} ({})",
        best.verdict.as_str(),
        r.display_name(),
        verb(best.verdict),
        best.id,
        about(best),
        scores(best)
    )?;
    for m in &r.matches[1..] {
        writeln!(
            w,
            "  also {}: {}{} ({})",
            m.verdict.as_str(),
            m.id,
            about(m),
            scores(m)
        )?;
    }
    Ok(())
}

/// Writes one JSON Lines record.
pub fn write_jsonl(r: &CheckResult, flagged: bool, w: &mut dyn Write) -> Result<()> {
    serde_json::to_writer(&mut *w, &record(r, flagged, true))
        .map_err(|e| Error::new(ErrorKind::Io(e.into())))?;
    w.write_all(b"\n").map_err(|e| Error::new(ErrorKind::Io(e)))
}

/// The whole JSON document.
#[derive(Serialize)]
pub struct Document<'a> {
    /// Schema name.
    pub schema: &'static str,
    /// The index file.
    pub index: &'a str,
    /// The metric.
    pub metric: &'static str,
    /// The threshold.
    pub threshold: f64,
    /// The `--fail-on` level, if any.
    pub fail_on: Option<Verdict>,
    /// One record per article, in input order.
    pub results: Vec<ResultRecord<'a>>,
    /// Totals.
    pub summary: &'a CheckSummary,
}
