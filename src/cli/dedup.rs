//! `neardiff dedup PATH...`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use neardiff::IoOp;
use neardiff::dedup::output::{self, Format};
use neardiff::dedup::{self, DedupOptions, DedupResult, Metric};

/// Which similarity makes two articles duplicates.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum MetricArg {
    /// Jaccard similarity of the shingle sets (default threshold 0.5).
    Jaccard,
    /// Share of the smaller article's shingles found in the other: trimmed
    /// copies (default threshold 0.8).
    Containment,
}

/// Output format of clusters.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum FormatArg {
    /// One JSON object per cluster per line.
    Jsonl,
    /// One CSV row per cluster member.
    Csv,
}

/// Arguments of `neardiff dedup`.
#[derive(Args, Debug)]
pub struct DedupArgs {
    /// Files, directories (read recursively) or `-` (JSON Lines on stdin).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Similarity threshold [default: 0.5 for jaccard, 0.8 for containment].
    #[arg(long)]
    pub threshold: Option<f64>,
    /// Similarity metric.
    #[arg(long, value_enum, default_value = "jaccard")]
    pub metric: MetricArg,
    /// Containment only: smallest size ratio (smaller / larger article)
    /// searched for.
    #[arg(long, default_value_t = dedup::DEFAULT_MIN_SIZE_RATIO)]
    pub min_size_ratio: f64,
    /// MinHash signature length.
    #[arg(long, default_value_t = neardiff::sketch::DEFAULT_NUM_PERM)]
    pub num_perm: usize,
    /// Hash seed.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Words per shingle.
    #[arg(long, default_value_t = neardiff::sketch::DEFAULT_SHINGLE_SIZE)]
    pub shingle_size: usize,
    /// Articles with fewer words are too short to compare: counted and
    /// listed, never clustered [default: 4 x shingle size - 1, i.e. 15];
    /// at least the shingle size.
    #[arg(long, value_name = "N")]
    pub min_words: Option<usize>,
    /// Also write the too-short articles to FILE (atomically), one JSON
    /// object per line: {"id":...,"words":N,"reason":"words"|"boilerplate"}.
    #[arg(long, value_name = "FILE")]
    pub too_short: Option<PathBuf>,
    /// Do not set outlet boilerplate aside: shingles that recur across
    /// many different stories of one outlet (mastheads, footers) count in
    /// the similarity like any other (see docs/dedup.md, "Boilerplate").
    #[arg(long)]
    pub keep_boilerplate: bool,
    /// Trust the MinHash estimate instead of verifying candidates exactly
    /// (less memory, scores are estimates).
    #[arg(long)]
    pub no_verify: bool,
    /// Output format of clusters.
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: FormatArg,
    /// Print the verified pairs with all scores instead of clusters.
    #[arg(long)]
    pub pairs: bool,
    /// Give each cluster member the verified pair that brought it in:
    /// "via":{"id":...,"score":...}, one step closer to the representative
    /// (CSV: columns via,via_score).
    #[arg(long)]
    pub via: bool,
    /// Write output to FILE (atomically) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Print the LSH plan (bands, rows, expected error rates) to stderr.
    #[arg(long)]
    pub explain: bool,
    /// Worker threads [default: all cores].
    #[arg(long)]
    pub threads: Option<usize>,
    /// Skip malformed records (counted in the summary) instead of failing.
    #[arg(long)]
    pub skip_invalid: bool,
    /// Exit with code 1 when duplicates are found.
    #[arg(long)]
    pub fail_on_duplicates: bool,
    /// Also write one story report per cluster (HTML and `neardiff.story/1`
    /// JSON) into this directory; the corpus is read a second time for the
    /// clustered articles' text.
    #[arg(long, value_name = "DIR")]
    pub stories: Option<std::path::PathBuf>,
    /// No summary or progress on stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    #[command(flatten)]
    pub fields: super::input::FieldArgs,
}

impl DedupArgs {
    fn options(&self) -> DedupOptions {
        let metric = match self.metric {
            MetricArg::Jaccard => Metric::Jaccard,
            MetricArg::Containment => Metric::Containment,
        };
        let threshold = self.threshold.unwrap_or(match metric {
            Metric::Jaccard => dedup::DEFAULT_JACCARD_THRESHOLD,
            Metric::Containment => dedup::DEFAULT_CONTAINMENT_THRESHOLD,
        });
        DedupOptions {
            threshold,
            metric,
            num_perm: self.num_perm,
            seed: self.seed,
            shingle_size: self.shingle_size,
            min_words: self.min_words,
            verify: !self.no_verify,
            fields: self.fields.field_map(),
            skip_invalid: self.skip_invalid,
            min_size_ratio: self.min_size_ratio,
            all_pairs: self.pairs,
            boilerplate: !self.keep_boilerplate,
            via: self.via,
            ..DedupOptions::default()
        }
    }
}

/// Runs dedup; returns the exit code.
pub fn run(args: DedupArgs) -> neardiff::Result<i32> {
    super::set_threads(args.threads);
    let opts = args.options();
    opts.validate()?;
    if args.stories.is_some() && args.paths.iter().any(|p| p.as_os_str() == "-") {
        return Err(neardiff::Error::new(neardiff::ErrorKind::Usage(
            "--stories needs the corpus in files: stdin cannot be read a second time".into(),
        )));
    }
    if args.explain {
        let plan = opts.plan();
        if opts.metric == Metric::Containment {
            note!(
                "containment >= {} with size ratio >= {} implies Jaccard >= {:.3}; candidates are verified by exact containment",
                opts.threshold,
                opts.min_size_ratio,
                opts.lsh_threshold()
            );
        }
        note!("{}", plan.explain(opts.num_perm).trim_end_matches('\n'));
    }
    let inputs = crate::cli::input::corpus_inputs(&args.paths)?;
    let bar = progress_bar(&inputs, args.quiet);
    let start = Instant::now();
    let on_batch = |docs: usize, bytes: u64| {
        if let Some(b) = &bar {
            b.set_position(bytes);
            b.set_message(format!("{docs} documents"));
        }
    };
    let result = dedup::run(inputs, &opts, &on_batch);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let result = result?;
    if args.explain && opts.boilerplate {
        let s = &result.summary;
        note!(
            "boilerplate: {} shingles of {} outlets set aside (recurring across different stories of one outlet); {} articles had some, {} were left too short",
            s.boilerplate_shingles,
            s.boilerplate_outlets,
            s.boilerplate_articles,
            s.boilerplate_only
        );
    }
    if !args.quiet {
        for msg in &result.skipped {
            note!("neardiff: skipped: {msg}");
        }
        if result.summary.invalid > result.skipped.len() {
            note!(
                "neardiff: skipped {} more malformed records",
                result.summary.invalid - result.skipped.len()
            );
        }
    }
    let format = match args.format {
        FormatArg::Jsonl => Format::Jsonl,
        FormatArg::Csv => Format::Csv,
    };
    let write = |w: &mut dyn Write| -> neardiff::Result<()> {
        if args.pairs {
            output::write_pairs(&result, w)
        } else {
            output::write_clusters(&result, opts.metric, format, w)
        }?;
        w.flush()
            .map_err(|e| neardiff::Error::new(neardiff::ErrorKind::Io(e)))
    };
    match &args.output {
        Some(path) => output::write_atomic(path, write)?,
        None => {
            let mut w = std::io::BufWriter::with_capacity(1 << 20, super::stdout::lock());
            write(&mut w).map_err(|e| e.or_io_context(IoOp::Write, super::STDOUT))?;
        }
    }
    if let Some(path) = &args.too_short {
        output::write_atomic(path, |w| {
            output::write_too_short(&result, opts.min_words(), w)
        })?;
    }
    if !args.quiet {
        print_summary(&result, args.pairs, start.elapsed());
        print_too_short(&result, opts.min_words(), args.too_short.is_some());
    }
    if let Some(dir) = &args.stories {
        let written = write_stories(&args, &opts, &result, dir)?;
        if !args.quiet {
            note!(
                "neardiff dedup: wrote {written} story reports to {}",
                dir.display()
            );
        }
    }
    let code = if args.fail_on_duplicates && !result.clusters.is_empty() {
        super::exit::FLAGGED
    } else {
        super::exit::OK
    };
    // The process ends right after this: the system takes the memory back
    // at once, while dropping the documents one by one would free
    // millions of allocations for nothing.
    std::mem::forget(result);
    Ok(code)
}

fn progress_bar(inputs: &[neardiff::corpus::Input], quiet: bool) -> Option<ProgressBar> {
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let total: Option<u64> = inputs
        .iter()
        .map(|i| std::fs::metadata(&i.path).ok().map(|m| m.len()))
        .sum();
    let bar = match total {
        Some(t) => ProgressBar::with_draw_target(Some(t), ProgressDrawTarget::stderr()),
        None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
    };
    let template = if total.is_some() {
        "{bar:30} {bytes}/{total_bytes} {msg} ({eta})"
    } else {
        "{spinner} {bytes} {msg}"
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(200));
    Some(bar)
}

fn print_summary(result: &DedupResult, all_pairs: bool, elapsed: Duration) {
    let s = &result.summary;
    let secs = elapsed.as_secs_f64().max(1e-9);
    let skipped = if all_pairs {
        String::new()
    } else {
        format!(
            " ({} more skipped: already in one cluster or already checked)",
            s.skipped
        )
    };
    note!(
        "neardiff dedup: {} documents ({} invalid skipped, {} too short), {} clusters, {} duplicates, {} candidate pairs{skipped}, {} verified pairs",
        s.documents,
        s.invalid,
        s.too_short,
        s.clusters,
        s.duplicates,
        s.candidates,
        s.pairs
    );
    if s.boilerplate_articles > 0 {
        note!(
            "neardiff dedup: boilerplate set aside: {} shingles of {} outlets, in {} articles ({} left too short)",
            s.boilerplate_shingles,
            s.boilerplate_outlets,
            s.boilerplate_articles,
            s.boilerplate_only
        );
    }
    note!(
        "neardiff dedup: {:.2} s ({:.0} docs/s, {:.1} MB/s); sketch {:.2} s, bucket {:.2} s, verify {:.2} s, cluster {:.2} s",
        secs,
        s.documents as f64 / secs,
        s.bytes as f64 / 1e6 / secs,
        s.sketch_time.as_secs_f64(),
        s.bucket_time.as_secs_f64(),
        s.verify_time.as_secs_f64(),
        s.cluster_time.as_secs_f64()
    );
}

/// How many too-short articles the summary names.
const TOO_SHORT_NAMED: usize = 10;

/// Names the first too-short articles on one line of stderr.
fn print_too_short(result: &DedupResult, min_words: usize, listed: bool) {
    if result.summary.too_short == 0 {
        return;
    }
    let named: Vec<String> = result
        .docs
        .iter()
        .filter(|d| d.is_empty())
        .take(TOO_SHORT_NAMED)
        .map(|d| {
            let plural = if d.words == 1 { "" } else { "s" };
            if d.words as usize >= min_words {
                format!("{} ({} word{plural}, boilerplate)", d.id, d.words)
            } else {
                format!("{} ({} word{plural})", d.id, d.words)
            }
        })
        .collect();
    let more = result.summary.too_short - named.len();
    note!(
        "neardiff dedup: too short (fewer than {min_words} words, or nearly all boilerplate), never clustered: {}{}{}",
        named.join(", "),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        },
        if listed || more == 0 {
            ""
        } else {
            "; --too-short FILE lists them all"
        }
    );
}

/// Writes `DIR/cluster-NNNNN.html` and `.json` for every cluster, in the
/// order of the cluster output. A cluster whose story cannot be built (two
/// articles with one id, say) is reported on stderr and passed over.
fn write_stories(
    args: &DedupArgs,
    opts: &DedupOptions,
    result: &DedupResult,
    dir: &std::path::Path,
) -> neardiff::Result<usize> {
    use neardiff::report::story as report;
    use neardiff::story::{StoryOptions, build_story, cluster_articles};
    std::fs::create_dir_all(dir).map_err(|e| neardiff::Error::io_at(IoOp::Create, dir, e))?;
    let ids: Vec<Vec<String>> = result
        .clusters
        .iter()
        .map(|c| {
            c.members
                .iter()
                .map(|m| result.docs[m.doc as usize].id.clone())
                .collect()
        })
        .collect();
    let inputs = crate::cli::input::corpus_inputs(&args.paths)?;
    let groups = cluster_articles(inputs, &opts.fields, &ids)?;
    let story_opts = StoryOptions {
        source: None,
        compare: neardiff::compare::CompareOptions {
            shingle_size: opts.shingle_size,
            num_perm: opts.num_perm,
            seed: opts.seed,
            ..Default::default()
        },
    };
    let mut written = 0;
    for (k, articles) in groups.into_iter().enumerate() {
        let story = match build_story(articles, &story_opts) {
            Ok(s) => s,
            Err(e) => {
                note!("neardiff: cluster {}: no story report: {e}", k + 1);
                continue;
            }
        };
        let html = dir.join(format!("cluster-{:05}.html", k + 1));
        output::write_atomic(&html, |w| {
            report::html::render(&story, w)
                .map_err(|e| neardiff::Error::io_at(IoOp::Write, &html, e))
        })?;
        let json = dir.join(format!("cluster-{:05}.json", k + 1));
        output::write_atomic(&json, |w| {
            report::json::render(&story, w)
                .map_err(|e| neardiff::Error::io_at(IoOp::Write, &json, e))
        })?;
        written += 1;
    }
    Ok(written)
}
