//! `neardiff check NEW... --index FILE`.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use clap::{Args, ValueEnum};
use neardiff::compare::Verdict;
use neardiff::dedup::Metric;
use neardiff::index::output::{self, CheckSummary, Format};
use neardiff::index::{self, CheckOptions, CheckResult, Index, NewDoc, Skipped, check};

use super::input::{InputArgs, OnDuplicateArg, report_skipped};

/// Which similarity a match must reach the threshold on.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum MetricArg {
    /// Jaccard similarity of the shingle sets (default threshold 0.5).
    Jaccard,
    /// The larger containment: trimmed or extended copies (default 0.7).
    Containment,
}

/// Verdicts that can fail a check.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum FailOn {
    /// Jaccard ≥ 0.9.
    Duplicate,
    /// Jaccard ≥ 0.5 (or a duplicate).
    NearDuplicate,
    /// Containment ≥ 0.7 (or closer).
    Partial,
}

/// Output format.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum FormatArg {
    /// One line per article with a match.
    Text,
    /// One JSON document (`neardiff.check/2`).
    Json,
    /// One JSON object per article per line.
    Jsonl,
}

/// Arguments of `neardiff check`.
#[derive(Args, Debug)]
pub struct CheckArgs {
    /// New articles: files, directories (read recursively) or `-` (JSON
    /// Lines on stdin).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The index file.
    #[arg(long, value_name = "FILE")]
    pub index: PathBuf,
    /// Score a match must reach [default: 0.5 for jaccard, 0.7 for
    /// containment].
    #[arg(long)]
    pub threshold: Option<f64>,
    /// Similarity metric.
    #[arg(long, value_enum, default_value = "jaccard")]
    pub metric: MetricArg,
    /// Exit with code 1 when an article's closest match has this verdict or
    /// a closer one; may be repeated (the loosest counts).
    #[arg(long, value_enum)]
    pub fail_on: Vec<FailOn>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: FormatArg,
    /// Matches shown per article.
    #[arg(long, default_value_t = 5)]
    pub top: usize,
    /// Add the new articles to the index after checking them.
    #[arg(long)]
    pub add: bool,
    /// With --add: what to do with an id that is already indexed.
    #[arg(long, value_enum, default_value = "error")]
    pub on_duplicate: OnDuplicateArg,
    /// Print the lookup plan (layout, band hits needed) to stderr.
    #[arg(long)]
    pub explain: bool,
    /// No summary on stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    #[command(flatten)]
    pub input: InputArgs,
}

/// Runs check; returns the exit code.
pub fn run(args: CheckArgs) -> neardiff::Result<i32> {
    let start = Instant::now();
    let in_opts = args.input.options()?;
    let metric = match args.metric {
        MetricArg::Jaccard => Metric::Jaccard,
        MetricArg::Containment => Metric::Containment,
    };
    let opts = CheckOptions {
        metric,
        threshold: args.threshold.unwrap_or(match metric {
            Metric::Jaccard => check::DEFAULT_JACCARD_THRESHOLD,
            Metric::Containment => check::DEFAULT_CONTAINMENT_THRESHOLD,
        }),
        top: args.top,
    };
    let mut ix = Index::open(&args.index)?;
    let params = ix.params().clone();
    opts.validate(&params)?;
    let min_words = in_opts.min_words(&params)?;
    if args.explain {
        let j = opts.lowest_jaccard(&params);
        note!(
            "index layout: {} bands x {} rows (built for Jaccard >= {}); lowest Jaccard searched {:.3}; a candidate must collide in >= {} bands",
            params.bands,
            params.rows,
            params.lsh_threshold,
            j,
            check::min_band_hits(j, params.bands, params.rows)
        );
        if let Some(r) = opts.min_size_ratio(&params) {
            note!(
                "containment >= {} is found reliably for copies at least {:.2} of the other article's size",
                opts.threshold,
                r
            );
        }
    }
    let fail_level: Option<Verdict> = args
        .fail_on
        .iter()
        .map(|f| match f {
            FailOn::Duplicate => Verdict::Duplicate,
            FailOn::NearDuplicate => Verdict::NearDuplicate,
            FailOn::Partial => Verdict::Partial,
        })
        .max();
    let format = match args.format {
        FormatArg::Text => Format::Text,
        FormatArg::Json => Format::Json,
        FormatArg::Jsonl => Format::Jsonl,
    };
    let inputs = crate::cli::input::corpus_inputs(&args.paths)?;
    let mut summary = CheckSummary::default();
    let mut all: Vec<(CheckResult, bool)> = Vec::new();
    let mut to_add: Vec<NewDoc> = Vec::new();
    let mut skipped = Skipped::default();
    let mut w = std::io::BufWriter::new(super::stdout::lock());
    let io = |e: std::io::Error| neardiff::Error::io_named(neardiff::IoOp::Write, super::STDOUT, e);
    index::for_each_batch(inputs, &params, &in_opts, &mut skipped, |docs| {
        let results = ix.check_many(&docs, &opts)?;
        for r in results {
            let flagged = match (fail_level, r.verdict()) {
                (Some(level), Some(v)) => v <= level,
                _ => false,
            };
            summary.count(&r, flagged);
            match format {
                Format::Text => output::write_text(&r, &mut w).map_err(io)?,
                Format::Jsonl => output::write_jsonl(&r, flagged, &mut w)
                    .map_err(|e| e.or_io_context(neardiff::IoOp::Write, super::STDOUT))?,
                Format::Json => all.push((r, flagged)),
            }
        }
        w.flush().map_err(io)?;
        if args.add {
            to_add.extend(docs);
        }
        Ok(())
    })?;
    if format == Format::Json {
        let index_name = args.index.display().to_string();
        let doc = output::Document {
            schema: output::SCHEMA,
            index: &index_name,
            metric: metric.name(),
            threshold: opts.threshold,
            fail_on: fail_level,
            results: all
                .iter()
                .map(|(r, f)| output::record(r, *f, false))
                .collect(),
            summary: &summary,
        };
        serde_json::to_writer_pretty(&mut w, &doc).map_err(|e| io(e.into()))?;
        w.write_all(b"\n").map_err(io)?;
        w.flush().map_err(io)?;
    }
    report_skipped(&skipped, args.quiet);
    let mut added = None;
    if args.add {
        let on_dup = args.on_duplicate.into();
        let mut counts = index::WriteCounts::default();
        for batch in to_add.chunks(in_opts.batch_size) {
            counts.merge(ix.add_batch(batch.to_vec(), on_dup)?);
        }
        added = Some(counts);
    }
    if !args.quiet {
        let s = &summary;
        note!(
            "neardiff check: {} articles: {} duplicate, {} near-duplicate, {} partial, {} related, {} without match, {} too short to check (fewer than {} words); {} flagged{}; {:.3} s",
            s.articles,
            s.duplicate,
            s.near_duplicate,
            s.partial,
            s.related,
            s.no_match,
            s.too_short,
            min_words,
            s.flagged,
            match fail_level {
                Some(v) => format!(" (--fail-on {})", v.as_str()),
                None => String::new(),
            },
            start.elapsed().as_secs_f64()
        );
        if let Some(c) = added {
            note!(
                "neardiff check: added to the index: {} new, {} updated, {} skipped as already indexed, {} too short (not added)",
                c.added,
                c.updated,
                c.skipped,
                c.too_short
            );
        }
    }
    Ok(if summary.flagged > 0 {
        super::exit::FLAGGED
    } else {
        super::exit::OK
    })
}
