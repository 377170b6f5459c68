//! `neardiff compare A B`, and `neardiff compare A1 A2 ... B` for a source
//! made of several versions.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use neardiff::compare::{
    CompareOptions, Comparison, QuoteStatus, Severity, Verdict, compare_versions,
};
use neardiff::report;

/// Output formats of `compare`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Human-readable summary for the terminal.
    Text,
    /// The `neardiff.compare/4` JSON contract.
    Json,
    /// Markdown for tickets and fact-checks.
    Markdown,
    /// One self-contained HTML page, the articles side by side.
    Html,
}

/// When to colour text output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Color {
    /// When stdout is a terminal and NO_COLOR is unset.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Conditions that make `compare` exit with code 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// A quote was altered, truncated or given another speaker.
    AlteredQuote,
    /// A high-severity fact changed (numbers, dates, anything in a quote).
    ChangedFact,
    /// The verdict is duplicate.
    Duplicate,
    /// The verdict is near-duplicate or duplicate.
    NearDuplicate,
    /// The verdict is partial, near-duplicate or duplicate.
    Partial,
}

/// Arguments of `neardiff compare`.
#[derive(Args, Debug)]
pub struct CompareArgs {
    /// Article A: a text file, a JSON object file, or `-` for stdin. Given
    /// more than once, the versions of one source (a wire story and its
    /// updates, in order): B's words copied from any of them are `same`. A
    /// JSON Lines file holds one version per line.
    #[arg(value_name = "A", num_args = 1.., required = true)]
    pub a: Vec<PathBuf>,
    /// Article B: a text file, a JSON object file, or `-` for stdin.
    #[arg(value_name = "B", required = true)]
    pub b: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Colour in text output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Write the report to this file (atomically) instead of stdout.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Shingle size in words.
    #[arg(long, default_value_t = neardiff::sketch::DEFAULT_SHINGLE_SIZE, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=32))]
    pub shingle_size: usize,
    /// MinHash signature length.
    #[arg(long, default_value_t = neardiff::sketch::DEFAULT_NUM_PERM, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=neardiff::sketch::MAX_NUM_PERM as u64))]
    pub num_perm: usize,
    /// MinHash seed.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Smallest copied run, in words, labelled `same` wherever it lies
    /// (0: no runs, the sentence alignment alone).
    #[arg(long, default_value_t = neardiff::align::runs::DEFAULT_MIN_RUN_WORDS, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(0..=64))]
    pub min_run: usize,
    /// Longest stretch of differing words in an aligned passage labelled
    /// `changed`; longer ones are `added`/`dropped` (0: no limit).
    #[arg(long, default_value_t = neardiff::compare::DEFAULT_MAX_CHANGED_WORDS, hide = true)]
    pub max_changed_words: usize,
    /// Exit with code 1 when this is found (may be repeated).
    #[arg(long, value_enum)]
    pub fail_on: Vec<FailOn>,
}

fn flagged(c: &Comparison, fail_on: &[FailOn]) -> bool {
    let v = c.similarity.verdict;
    fail_on.iter().any(|f| match f {
        FailOn::AlteredQuote => c.quotes.iter().any(|q| {
            matches!(
                q.status,
                QuoteStatus::Altered | QuoteStatus::Partial | QuoteStatus::SpeakerChanged
            )
        }),
        FailOn::ChangedFact => c.facts.iter().any(|f| f.severity == Severity::High),
        FailOn::Duplicate => v == Verdict::Duplicate,
        FailOn::NearDuplicate => v <= Verdict::NearDuplicate,
        FailOn::Partial => v <= Verdict::Partial,
    })
}

fn usage(message: &str) -> neardiff::Error {
    neardiff::Error::new(neardiff::ErrorKind::Usage(message.into()))
}

/// The versions of the source A: one article per file, except that a
/// JSON Lines file (`.jsonl`, `.ndjson`) that is not one JSON object holds
/// one version per line. A file that holds one article is read as
/// `compare A B` always read it (its id is the file name).
fn read_versions(paths: &[PathBuf]) -> neardiff::Result<Vec<neardiff::Article>> {
    let mut out = Vec::with_capacity(paths.len());
    for p in paths {
        let name = p.to_string_lossy();
        let jsonl = p.as_os_str() != "-"
            && !p.is_dir()
            && (name.ends_with(".jsonl") || name.ends_with(".ndjson"));
        match neardiff::read_article(p) {
            Ok(a) => out.push(a),
            // Not one JSON object: one per line, or the first error.
            Err(_) if jsonl => out.extend(neardiff::story::read_articles(std::slice::from_ref(p))?),
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

/// Runs the comparison; returns the exit code.
pub fn run(args: CompareArgs) -> neardiff::Result<i32> {
    let stdin = |p: &PathBuf| p.as_os_str() == "-";
    if args.a.iter().filter(|p| stdin(p)).count() + usize::from(stdin(&args.b)) > 1 {
        return Err(usage("only one of A and B can be read from stdin (-)"));
    }
    let versions = read_versions(&args.a)?;
    let b = neardiff::read_article(&args.b)?;
    let opts = CompareOptions {
        shingle_size: args.shingle_size,
        num_perm: args.num_perm,
        seed: args.seed,
        min_run_words: args.min_run,
        max_changed_words: args.max_changed_words,
        ..CompareOptions::default()
    };
    let c = compare_versions(&versions, &b, &opts)?;
    let color = super::use_color(args.color, args.output.as_deref());
    let format = args.format;
    super::emit(args.output.as_deref(), |w| match format {
        Format::Text => report::text::render(&c, w, report::text::TextOptions { color }),
        Format::Json => report::json::render(&c, w),
        Format::Markdown => report::markdown::render(&c, w),
        Format::Html => report::html::render(&c, w),
    })?;
    Ok(if flagged(&c, &args.fail_on) {
        super::exit::FLAGGED
    } else {
        super::exit::OK
    })
}
