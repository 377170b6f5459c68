//! Command-line interface: one file per subcommand.

mod compare;
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
    /// One source story against many outlets: who kept, reworded or dropped
    /// what, and who changed which quote or fact.
    Story(story::StoryArgs),
}

/// Runs the parsed command and returns the exit code.
pub fn run(cli: Cli) -> i32 {
    let result = match cli.command {
        Command::Compare(args) => compare::run(args),
        Command::Story(args) => story::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            if is_broken_pipe(&e) {
                return exit::OK;
            }
            eprintln!("neardiff: error: {e}");
            exit::ERROR
        }
    }
}

/// A closed pipe (`neardiff ... | head`) is not an error.
fn is_broken_pipe(e: &neardiff::Error) -> bool {
    matches!(e.kind(), neardiff::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe)
}
