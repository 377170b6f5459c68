//! The `neardiff` command: parses arguments, calls the library, prints, and
//! maps errors to exit codes (see `cli::exit`).

mod cli;

use clap::Parser;

fn main() {
    let args = cli::Cli::parse();
    std::process::exit(cli::run(args));
}
