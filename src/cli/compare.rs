//! `neardiff compare A B`.

use std::path::PathBuf;

use clap::Args;

/// Arguments of `neardiff compare`.
#[derive(Args, Debug)]
pub struct CompareArgs {
    /// Article A: a text file, a JSON object file, or `-` for stdin.
    pub a: PathBuf,
    /// Article B: a text file, a JSON object file, or `-` for stdin.
    pub b: PathBuf,
}

/// Runs the comparison; returns the exit code.
pub fn run(args: CompareArgs) -> neardiff::Result<i32> {
    let a = neardiff::read_article(&args.a)?;
    let b = neardiff::read_article(&args.b)?;
    println!("{} vs {}", a.id, b.id);
    Ok(super::exit::OK)
}
