//! `neardiff index build|add|remove|compact|stats|verify`.

use std::path::PathBuf;
use std::time::Instant;

use clap::{Args, Subcommand, ValueEnum};
use neardiff::index::{self, Index, IndexParams, WriteSummary};

use super::input::{InputArgs, OnDuplicateArg, report_skipped};

/// Arguments of `neardiff index`.
#[derive(Args, Debug)]
pub struct IndexArgs {
    #[command(subcommand)]
    command: IndexCommand,
}

#[derive(Subcommand, Debug)]
enum IndexCommand {
    /// Create an index from files, directories or JSON Lines (as `dedup`
    /// reads them).
    Build(BuildArgs),
    /// Add articles to an existing index, in batches of one transaction each.
    Add(AddArgs),
    /// Remove articles by id (one transaction).
    Remove(RemoveArgs),
    /// Merge all segment files into one, dropping the data of removed and
    /// replaced articles.
    Compact(StatsArgs),
    /// Articles, size on disk and parameters of an index.
    Stats(StatsArgs),
    /// Full integrity check: SQLite's, every catalogue row, every byte of
    /// every segment, every bucket entry.
    Verify(StatsArgs),
}

/// Arguments of `index build`.
#[derive(Args, Debug)]
pub struct BuildArgs {
    /// Files, directories (read recursively) or `-` (JSON Lines on stdin).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The index file to create.
    #[arg(long, value_name = "FILE")]
    pub index: PathBuf,
    /// Replace an existing index (built into a temporary file, then renamed).
    #[arg(long)]
    pub force: bool,
    /// The lowest Jaccard threshold `check` will be able to use; fixes the
    /// LSH layout (lower: more bucket entries per article).
    #[arg(long, default_value_t = index::DEFAULT_LSH_THRESHOLD)]
    pub lsh_threshold: f64,
    /// MinHash signature length.
    #[arg(long, default_value_t = neardiff::sketch::DEFAULT_NUM_PERM)]
    pub num_perm: usize,
    /// Hash seed.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Words per shingle.
    #[arg(long, default_value_t = neardiff::sketch::DEFAULT_SHINGLE_SIZE)]
    pub shingle_size: usize,
    /// What to do with an id seen twice.
    #[arg(long, value_enum, default_value = "error")]
    pub on_duplicate: OnDuplicateArg,
    /// No summary on stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    #[command(flatten)]
    pub input: InputArgs,
}

/// Arguments of `index add`.
#[derive(Args, Debug)]
pub struct AddArgs {
    /// Files, directories (read recursively) or `-` (JSON Lines on stdin).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The index file.
    #[arg(long, value_name = "FILE")]
    pub index: PathBuf,
    /// What to do with an id that is already indexed.
    #[arg(long, value_enum, default_value = "error")]
    pub on_duplicate: OnDuplicateArg,
    /// No summary on stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    #[command(flatten)]
    pub input: InputArgs,
}

/// Arguments of `index remove`.
#[derive(Args, Debug)]
pub struct RemoveArgs {
    /// Ids of the articles to remove.
    #[arg(required = true)]
    pub ids: Vec<String>,
    /// The index file.
    #[arg(long, value_name = "FILE")]
    pub index: PathBuf,
    /// Remove the ids that are indexed and ignore the others (else unknown
    /// ids are an error and nothing is removed).
    #[arg(long)]
    pub ignore_missing: bool,
    /// No summary on stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// Output format of `index stats`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum StatsFormat {
    /// Lines for people.
    Text,
    /// One JSON object.
    Json,
}

/// Arguments of `index stats` and `index verify`.
#[derive(Args, Debug)]
pub struct StatsArgs {
    /// The index file.
    #[arg(long, value_name = "FILE")]
    pub index: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: StatsFormat,
}

/// Runs `neardiff index ...`; returns the exit code.
pub fn run(args: IndexArgs) -> neardiff::Result<i32> {
    match args.command {
        IndexCommand::Build(a) => build(a),
        IndexCommand::Add(a) => add(a),
        IndexCommand::Remove(a) => remove(a),
        IndexCommand::Compact(a) => compact(a),
        IndexCommand::Stats(a) => stats(a),
        IndexCommand::Verify(a) => verify(a),
    }
}

fn summary_line(verb: &str, s: &WriteSummary, secs: f64) -> String {
    let n = s.counts.added + s.counts.updated;
    format!(
        "neardiff index {verb}: {} added, {} updated, {} skipped as already indexed, {} too short (not indexed), {} invalid skipped; {} batches; {:.2} s ({:.0} articles/s)",
        s.counts.added,
        s.counts.updated,
        s.counts.skipped,
        s.counts.too_short,
        s.skipped.count,
        s.batches,
        secs,
        n as f64 / secs.max(1e-9)
    )
}

fn build(a: BuildArgs) -> neardiff::Result<i32> {
    let opts = a.input.options()?;
    let params = IndexParams::new(a.shingle_size, a.num_perm, a.seed, a.lsh_threshold)?;
    let inputs = crate::cli::input::corpus_inputs(&a.paths)?;
    let start = Instant::now();
    let s = index::build(
        &a.index,
        &params,
        inputs,
        &opts,
        a.on_duplicate.into(),
        a.force,
        &|_| {},
    )?;
    report_skipped(&s.skipped, a.quiet);
    if !a.quiet {
        note!(
            "{}",
            summary_line("build", &s, start.elapsed().as_secs_f64())
        );
    }
    Ok(super::exit::OK)
}

fn add(a: AddArgs) -> neardiff::Result<i32> {
    let opts = a.input.options()?;
    let mut ix = Index::open(&a.index)?;
    let inputs = crate::cli::input::corpus_inputs(&a.paths)?;
    let start = Instant::now();
    let s = index::add(&mut ix, inputs, &opts, a.on_duplicate.into(), &|_| {})?;
    report_skipped(&s.skipped, a.quiet);
    if !a.quiet {
        note!("{}", summary_line("add", &s, start.elapsed().as_secs_f64()));
    }
    Ok(super::exit::OK)
}

fn remove(a: RemoveArgs) -> neardiff::Result<i32> {
    let mut ix = Index::open(&a.index)?;
    let n = ix.remove(&a.ids, a.ignore_missing)?;
    if !a.quiet {
        note!("neardiff index remove: {n} removed");
    }
    Ok(super::exit::OK)
}

fn print_stats(s: &index::Stats, format: StatsFormat) -> neardiff::Result<()> {
    let out = match format {
        StatsFormat::Json => serde_json::to_string_pretty(s).unwrap_or_default() + "\n",
        StatsFormat::Text => {
            let p = &s.params;
            format!(
                "index: {}\nschema version: {}\narticles: {} ({} without words)\nbucket entries: {} in {} segment file(s)\nremoved, awaiting a merge: {}\nsize on disk: {} bytes ({:.1} MB)\nbytes per article: {:.0}\nshingle size: {}\nnum perm: {}\nseed: {}\nLSH layout: {} bands x {} rows, lowest Jaccard threshold {}\n",
                s.path,
                s.schema_version,
                s.articles,
                s.articles_without_words,
                s.band_entries,
                s.segments,
                s.removed_pending,
                s.size_bytes,
                s.size_bytes as f64 / 1e6,
                s.bytes_per_article,
                p.shingle_size,
                p.num_perm,
                p.seed,
                p.bands,
                p.rows,
                p.lsh_threshold
            )
        }
    };
    use std::io::Write;
    let mut w = super::stdout::lock();
    w.write_all(out.as_bytes())
        .and_then(|()| w.flush())
        .map_err(|e| neardiff::Error::io_named(neardiff::IoOp::Write, super::STDOUT, e))
}

fn stats(a: StatsArgs) -> neardiff::Result<i32> {
    let ix = Index::open(&a.index)?;
    print_stats(&ix.stats()?, a.format)?;
    Ok(super::exit::OK)
}

fn compact(a: StatsArgs) -> neardiff::Result<i32> {
    let mut ix = Index::open(&a.index)?;
    let n = ix.compact_all()?;
    note!(
        "neardiff index compact: {}: {}",
        a.index.display(),
        if n == 0 {
            "nothing to do".to_string()
        } else {
            format!("{n} segment file(s) merged into one")
        }
    );
    Ok(super::exit::OK)
}

fn verify(a: StatsArgs) -> neardiff::Result<i32> {
    let ix = Index::open(&a.index)?;
    let n = ix.verify()?;
    note!(
        "neardiff index verify: {}: ok ({n} articles checked)",
        a.index.display()
    );
    Ok(super::exit::OK)
}
