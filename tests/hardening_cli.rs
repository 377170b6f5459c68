//! No article, option or environment makes `neardiff` hang, abort, panic or
//! lie in its exit code (issue 20): a full or closed stdout or stderr,
//! option values that would size huge allocations, stale temporary files,
//! and input that is ambiguous or of the wrong shape. Each test runs the
//! real binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_neardiff");

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name)
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run neardiff")
}

/// Runs `script` in `sh` in `dir`, with `$ND` the binary: for
/// redirections (`>/dev/full`, `>&-`, `| head`) that `Command` cannot make.
fn sh(dir: &Path, script: &str) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .env("ND", BIN)
        .current_dir(dir)
        .output()
        .expect("run sh")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[allow(dead_code)]
fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A directory with a small corpus (`corpus.jsonl`, two duplicates and one
/// other article), two article files and an index of the corpus.
fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let text = "The harbour authority said on Monday that the fire in the \
                container terminal was under control after burning for two days.";
    let other = "Parliament passed the budget late on Thursday after a long \
                 debate about school funding and rural roads.";
    let corpus = format!(
        "{{\"id\":\"a\",\"text\":\"{text}\"}}\n{{\"id\":\"b\",\"text\":\"{text} Reuters\"}}\n{{\"id\":\"c\",\"text\":\"{other}\"}}\n"
    );
    std::fs::write(dir.path().join("corpus.jsonl"), corpus).unwrap();
    std::fs::copy(sample("number-changed-a.txt"), dir.path().join("a.txt")).unwrap();
    std::fs::copy(sample("number-changed-b.txt"), dir.path().join("b.txt")).unwrap();
    let o = run(
        dir.path(),
        &["index", "build", "corpus.jsonl", "--index", "i.ndx", "-q"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    dir
}

/// Exactly one line on stderr, the error line, and no panic.
fn assert_one_error_line(o: &Output, expect: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "stderr: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(err.lines().count(), 1, "one line: {err:?}");
    assert_eq!(err.trim_end(), expect);
}

// Item 4: I/O errors say what was being done, and to which path.

#[test]
fn full_stdout_is_a_write_error_naming_stdout() {
    let dir = fixture();
    let o = sh(dir.path(), "exec \"$ND\" compare a.txt b.txt >/dev/full");
    assert_one_error_line(
        &o,
        "neardiff: error: <stdout>: cannot write: No space left on device",
    );
}

#[test]
fn output_into_a_missing_directory_names_the_path_given() {
    let dir = fixture();
    let o = run(
        dir.path(),
        &["compare", "a.txt", "b.txt", "-o", "no/such/dir/out.txt"],
    );
    assert_one_error_line(
        &o,
        "neardiff: error: no/such/dir/out.txt: cannot create: No such file or directory",
    );
    let o = run(
        dir.path(),
        &[
            "dedup",
            "corpus.jsonl",
            "-q",
            "-o",
            "missing/clusters.jsonl",
        ],
    );
    assert_one_error_line(
        &o,
        "neardiff: error: missing/clusters.jsonl: cannot create: No such file or directory",
    );
}
