//! Helpers of the index tests: synthetic stories and running the binary in
//! a working directory.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_neardiff");

/// A story of `n` pseudo-random words, different for every seed.
pub fn story(seed: usize, n: usize) -> String {
    (0..n)
        .map(|i| format!("w{}", (seed * 7919 + i * 104_729 + i * i * 31) % 100_003))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs `neardiff ARGS` in `dir`.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run neardiff")
}

/// Standard output as text.
pub fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Standard error as text.
pub fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
