//! Command-line interface: one file per subcommand.

/// `eprintln!` that cannot panic: a line that cannot be written to stderr
/// (closed, full, a broken pipe) is dropped, and the exit code stays what
/// the run made it.
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

mod check;
mod compare;
mod dedup;
mod index;
mod input;
mod stdout;
mod story;

use clap::{Parser, Subcommand};

/// Exit codes, documented in README.md.
pub mod exit {
    /// Ran; nothing flagged.
    pub const OK: i32 = 0;
    /// Ran and flagged something the user asked to fail on.
    pub const FLAGGED: i32 = 1;
    /// Error: bad input, bad arguments, I/O failure.
    pub const ERROR: i32 = 2;
}

/// Find near-duplicate news articles and show exactly what differs between
/// two versions of a story.
#[derive(Parser, Debug)]
#[command(name = "neardiff", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Align two articles and show what each added, dropped or reworded.
    Compare(compare::CompareArgs),
    /// Find clusters of near-duplicate articles in a corpus.
    Dedup(dedup::DedupArgs),
    /// One source story against many outlets: who kept, reworded or dropped
    /// what, and who changed which quote or fact.
    Story(story::StoryArgs),
    /// Build and maintain a persistent near-duplicate index.
    Index(index::IndexArgs),
    /// Check new articles against an index: their closest indexed matches.
    Check(check::CheckArgs),
}

/// Runs the parsed command and returns the exit code.
pub fn run(cli: Cli) -> i32 {
    let result = match cli.command {
        Command::Compare(args) => compare::run(args),
        Command::Dedup(args) => dedup::run(args),
        Command::Story(args) => story::run(args),
        Command::Index(args) => index::run(args),
        Command::Check(args) => check::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            if is_broken_pipe(&e) {
                return exit::OK;
            }
            match e.kind() {
                // The library names its parameter; the command, its flag.
                neardiff::ErrorKind::InvalidParam { name, reason } => {
                    note!("neardiff: error: --{} {reason}", name.replace('_', "-"))
                }
                _ => note!("neardiff: error: {}", e.display_with(remedy)),
            }
            exit::ERROR
        }
    }
}

/// The remedy of a library error in the command's words: the command to
/// run or the flag to give.
fn remedy(r: neardiff::Remedy) -> &'static str {
    use neardiff::Remedy;
    match r {
        Remedy::RebuildIndex => " with `neardiff index build --force`",
        Remedy::AddOrReplaceIndex => {
            "; add to it with `neardiff index add`, or replace it with `index build --force`"
        }
        Remedy::IgnoreMissing => " (use --ignore-missing to remove the others)",
        Remedy::SkipOrUpdateDuplicates => "; use --on-duplicate skip or update",
        other => other.text(),
    }
}

/// Prints what clap has to say instead of running a command (help,
/// version, or a usage error) and returns the exit code: help and version
/// go to stdout, and failing to write them is an error like any other
/// failed write of results; a usage error goes to stderr (exit code 2).
pub fn parse_error(e: clap::Error) -> i32 {
    use std::io::{IsTerminal, Write};
    if e.use_stderr() {
        let _ = e.print();
        return e.exit_code();
    }
    if std::io::stdout().is_terminal() {
        let _ = e.print();
        return e.exit_code();
    }
    let mut w = stdout::lock();
    let written = write!(w, "{}", e.render()).and_then(|()| w.flush());
    match written {
        Ok(()) => e.exit_code(),
        Err(io) if io.kind() == std::io::ErrorKind::BrokenPipe => exit::OK,
        Err(io) => {
            note!(
                "neardiff: error: {}",
                neardiff::Error::io_named(neardiff::IoOp::Write, STDOUT, io)
            );
            exit::ERROR
        }
    }
}

/// `--threads N` above this many per core is lowered to it: more threads
/// than that only cost time to start (10,000 took 45 s) and memory, and
/// the output is the same whatever the thread count.
const MAX_THREADS_PER_CORE: usize = 4;

/// Sizes the thread pool for `--threads` (0 or absent: one per core); a
/// count above [`MAX_THREADS_PER_CORE`] times the cores is lowered to that,
/// with a warning.
fn set_threads(threads: Option<usize>) {
    let Some(mut n) = threads.filter(|&n| n > 0) else {
        return;
    };
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    let max = cores.saturating_mul(MAX_THREADS_PER_CORE);
    if n > max {
        note!(
            "neardiff: warning: --threads {n} is more than {MAX_THREADS_PER_CORE} per core ({cores} cores); using {max}"
        );
        n = max;
    }
    // Fails only when a global pool already exists; then it is used.
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build_global();
}

/// Whether to colour text output: `always`, `never`, or with `auto` only
/// when it goes to a terminal and `NO_COLOR` is unset or empty.
fn use_color(color: compare::Color, output: Option<&std::path::Path>) -> bool {
    use std::io::IsTerminal;
    match color {
        compare::Color::Always => true,
        compare::Color::Never => false,
        compare::Color::Auto => {
            output.is_none()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// Writes a report to `output` (atomically) or to stdout.
fn emit(
    output: Option<&std::path::Path>,
    render: impl Fn(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> neardiff::Result<()> {
    use neardiff::{Error, IoOp};
    use std::io::Write;
    match output {
        Some(path) => neardiff::write_atomic(path, |w| {
            render(w).map_err(|e| Error::io_at(IoOp::Write, path, e))
        }),
        None => {
            let mut w = std::io::BufWriter::new(stdout::lock());
            render(&mut w)
                .and_then(|_| w.flush())
                .map_err(|e| Error::io_named(IoOp::Write, STDOUT, e))
        }
    }
}

/// How stdout is named in messages.
const STDOUT: &str = "<stdout>";

/// A closed pipe (`neardiff ... | head`) is not an error.
fn is_broken_pipe(e: &neardiff::Error) -> bool {
    matches!(e.kind(), neardiff::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe)
}
