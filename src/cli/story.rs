//! `neardiff story ARTICLE...`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use neardiff::compare::CompareOptions;
use neardiff::report::story as report;
use neardiff::story::{QuoteState, Story, StoryOptions, build_story, read_articles};

use super::compare::Color;

/// Output formats of `story`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Human-readable summary for the terminal.
    Text,
    /// The `neardiff.story/1` JSON contract.
    Json,
    /// One self-contained HTML page: passage matrix, quote table and each
    /// outlet's side-by-side view.
    Html,
}

/// Conditions that make `story` exit with code 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Some related outlet altered or truncated a quote, or changed its
    /// speaker.
    AlteredQuote,
    /// Some related outlet changed a fact of high severity (a number, a
    /// date, anything inside a quote).
    ChangedFact,
}

/// Arguments of `neardiff story`.
#[derive(Args, Debug)]
pub struct StoryArgs {
    /// Articles: text or JSON files, directories (their files, not
    /// recursively, in name order), `.jsonl` files (one article per line),
    /// or `-` for one article on stdin.
    #[arg(required = true)]
    pub articles: Vec<PathBuf>,
    /// Id of the source article (default: inferred and explained).
    #[arg(long, value_name = "ID")]
    pub source: Option<String>,
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
    /// Exit with code 1 when this is found (may be repeated).
    #[arg(long, value_enum)]
    pub fail_on: Vec<FailOn>,
}

fn flagged(story: &Story, fail_on: &[FailOn]) -> bool {
    fail_on.iter().any(|f| match f {
        FailOn::AlteredQuote => story.quotes.iter().any(|q| {
            q.by_article
                .values()
                .any(|s| matches!(s, QuoteState::Altered | QuoteState::Partial))
                || q.is_changed()
        }),
        FailOn::ChangedFact => story.articles.iter().any(|a| a.facts_high > 0),
    })
}

/// Runs the story analysis; returns the exit code.
pub fn run(args: StoryArgs) -> neardiff::Result<i32> {
    if args
        .articles
        .iter()
        .filter(|p| p.as_os_str() == "-")
        .count()
        > 1
    {
        return Err(neardiff::Error::new(neardiff::ErrorKind::Usage(
            "stdin (-) can be given only once".into(),
        )));
    }
    let articles = read_articles(&args.articles)?;
    let opts = StoryOptions {
        source: args.source.clone(),
        compare: CompareOptions {
            shingle_size: args.shingle_size,
            ..CompareOptions::default()
        },
    };
    let story = build_story(articles, &opts)?;
    let color = super::use_color(args.color, args.output.as_deref());
    let format = args.format;
    super::emit(args.output.as_deref(), |w| match format {
        Format::Text => report::text::render(&story, w, report::text::TextOptions { color }),
        Format::Json => report::json::render(&story, w),
        Format::Html => report::html::render(&story, w),
    })?;
    Ok(if flagged(&story, &args.fail_on) {
        super::exit::FLAGGED
    } else {
        super::exit::OK
    })
}
