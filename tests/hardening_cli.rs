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

// Items 1 and 2: stderr failing never changes the exit code; stdout
// failing always does, except for a closed pipe.

/// Commands that write results to stdout, each with something to write.
const STDOUT_COMMANDS: &[&str] = &[
    "compare a.txt b.txt",
    "story a.txt b.txt",
    "dedup corpus.jsonl -q",
    "dedup corpus.jsonl -q --pairs --format csv",
    "check corpus.jsonl --index i.ndx -q",
    "check corpus.jsonl --index i.ndx -q --format jsonl",
    "check corpus.jsonl --index i.ndx -q --format json",
    "index stats --index i.ndx",
    "index stats --index i.ndx --format json",
    "--help",
    "--version",
];

#[test]
fn full_stderr_does_not_panic_or_change_the_exit_code() {
    let dir = fixture();
    let o = sh(dir.path(), "\"$ND\" compare a.txt nope.txt 2>/dev/full");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let o = sh(dir.path(), "\"$ND\" --no-such-flag 2>/dev/full");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    // Runs that succeed and report on stderr: exit 0, results complete.
    let o = sh(
        dir.path(),
        "\"$ND\" dedup corpus.jsonl --explain --skip-invalid >out.jsonl 2>/dev/full",
    );
    assert_eq!(o.status.code(), Some(0));
    let out = std::fs::read_to_string(dir.path().join("out.jsonl")).unwrap();
    assert!(out.contains("\"representative\":\"a\""), "{out}");
    for script in [
        "\"$ND\" check corpus.jsonl --index i.ndx --explain >/dev/null 2>/dev/full",
        "\"$ND\" index add corpus.jsonl --index i.ndx --on-duplicate skip 2>/dev/full",
        "\"$ND\" index verify --index i.ndx 2>/dev/full",
        "\"$ND\" index compact --index i.ndx 2>/dev/full",
        "\"$ND\" index remove c --index i.ndx 2>/dev/full",
    ] {
        let o = sh(dir.path(), script);
        assert_eq!(o.status.code(), Some(0), "{script}: {}", stderr(&o));
    }
    // Flagged stays flagged.
    let o = sh(
        dir.path(),
        "\"$ND\" dedup corpus.jsonl --fail-on-duplicates >/dev/null 2>/dev/full",
    );
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn full_stdout_is_an_error_for_every_command() {
    let dir = fixture();
    for args in STDOUT_COMMANDS {
        let o = sh(dir.path(), &format!("exec \"$ND\" {args} >/dev/full"));
        assert_one_error_line(
            &o,
            "neardiff: error: <stdout>: cannot write: No space left on device",
        );
    }
}

#[test]
fn closed_stdout_is_an_error_for_every_command() {
    let dir = fixture();
    for args in STDOUT_COMMANDS {
        let o = sh(dir.path(), &format!("exec \"$ND\" {args} >&-"));
        assert_one_error_line(
            &o,
            "neardiff: error: <stdout>: cannot write: Bad file descriptor",
        );
    }
    // Nothing for stdout: a closed stdout does not matter.
    for args in [
        "compare a.txt b.txt -o report.txt",
        "dedup corpus.jsonl -q -o clusters.jsonl",
        "index verify --index i.ndx",
    ] {
        let o = sh(dir.path(), &format!("exec \"$ND\" {args} >&-"));
        assert_eq!(o.status.code(), Some(0), "{args}: {}", stderr(&o));
    }
    assert!(dir.path().join("report.txt").exists());
}

#[test]
fn closed_pipe_is_a_quiet_success() {
    let dir = fixture();
    // Enough clusters to fill the pipe long after `head` has gone.
    let mut corpus = String::new();
    for i in 0..3000 {
        let text = format!(
            "story {i} says the council {i} met on day {i} to vote on plan {i} for road {i}"
        );
        for side in ["a", "b"] {
            corpus.push_str(&format!("{{\"id\":\"{side}{i}\",\"text\":\"{text}\"}}\n"));
        }
    }
    std::fs::write(dir.path().join("big.jsonl"), corpus).unwrap();
    for args in ["dedup big.jsonl -q", "dedup big.jsonl -q --pairs"] {
        let o = sh(
            dir.path(),
            &format!("{{ \"$ND\" {args}; echo $? >rc; }} | head -c 10 >/dev/null"),
        );
        let rc = std::fs::read_to_string(dir.path().join("rc")).unwrap();
        assert_eq!(rc.trim(), "0", "{args}: {}", stderr(&o));
        assert_eq!(stderr(&o), "", "{args}");
    }
}

// Item 3: no option value can abort the process or make it spin.

/// Runs `args` in `dir`, failing the test if it takes more than `secs`.
fn run_within(dir: &Path, args: &[&str], secs: u64) -> Output {
    use std::io::Read;
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed().as_secs() >= secs {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{args:?} still running after {secs} s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    child.stdout.take().unwrap().read_to_end(&mut out).unwrap();
    child.stderr.take().unwrap().read_to_end(&mut err).unwrap();
    Output {
        status,
        stdout: out,
        stderr: err,
    }
}

#[test]
fn huge_thread_counts_are_lowered_with_a_warning() {
    let dir = fixture();
    for cmd in [
        &["dedup", "corpus.jsonl", "-q"][..],
        &["check", "corpus.jsonl", "--index", "i.ndx", "-q"][..],
    ] {
        let normal = run(dir.path(), cmd);
        assert_eq!(normal.status.code(), Some(0), "{}", stderr(&normal));
        let args: Vec<&str> = cmd.iter().copied().chain(["--threads", "100000"]).collect();
        // 10,000 threads took 45 s to start.
        let o = run_within(dir.path(), &args, 30);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(stdout(&o), stdout(&normal));
        let err = stderr(&o);
        assert!(
            err.starts_with("neardiff: warning: --threads 100000 is more than 4 per core"),
            "{err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

#[test]
fn huge_top_does_not_abort() {
    let dir = fixture();
    let normal = run(
        dir.path(),
        &[
            "check",
            "corpus.jsonl",
            "--index",
            "i.ndx",
            "-q",
            "--top",
            "5",
        ],
    );
    assert!(
        stdout(&normal).contains("duplicates"),
        "{}",
        stdout(&normal)
    );
    for top in ["1000000000", "18446744073709551615"] {
        let o = run(
            dir.path(),
            &[
                "check",
                "corpus.jsonl",
                "--index",
                "i.ndx",
                "-q",
                "--top",
                top,
            ],
        );
        assert_eq!(o.status.code(), Some(0), "--top {top}: {}", stderr(&o));
        assert_eq!(stdout(&o), stdout(&normal));
    }
}

#[test]
fn signature_lengths_beyond_the_maximum_are_refused() {
    let dir = fixture();
    for args in [
        &["dedup", "corpus.jsonl", "--num-perm", "1000000000000"][..],
        &[
            "index",
            "build",
            "corpus.jsonl",
            "--index",
            "j.ndx",
            "--num-perm",
            "1000000000000",
        ][..],
    ] {
        let o = run(dir.path(), args);
        assert_one_error_line(&o, "neardiff: error: --num-perm must be between 1 and 4096");
    }
    let o = run(
        dir.path(),
        &["compare", "a.txt", "b.txt", "--num-perm", "1000000000000"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--num-perm"), "{}", stderr(&o));
}

// Item 5: a killed writer's temporary file is deleted by the next run.

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn next_run_deletes_a_dead_writers_temporary_file_only() {
    let dir = fixture();
    // Above the largest PID Linux hands out (2^22): no such process.
    let dead = dir.path().join(".report.txt.4194305.0.tmp");
    let live = dir
        .path()
        .join(format!(".report.txt.{}.0.tmp", std::process::id()));
    let unrelated = dir.path().join(".notes.txt.4194305.0.tmp");
    for f in [&dead, &live, &unrelated] {
        std::fs::write(f, "half a report").unwrap();
    }
    let o = run(
        dir.path(),
        &["compare", "a.txt", "b.txt", "-o", "report.txt"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!dead.exists(), "the dead writer's file is left");
    assert!(live.exists(), "a running process's file was deleted");
    assert!(unrelated.exists(), "another target's file was deleted");
    assert!(dir.path().join("report.txt").exists());
}

// Item 6: what is read as JSON, and JSON that says two things or has the
// wrong type.

#[test]
fn text_file_starting_with_a_brace_is_text() {
    let dir = fixture();
    let body = "{Editor's note: updated at noon.} The harbour authority said \
                on Monday that the fire was under control.";
    std::fs::write(dir.path().join("note.txt"), body).unwrap();
    let o = run(
        dir.path(),
        &["compare", "note.txt", "b.txt", "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = sh(
        dir.path(),
        "\"$ND\" compare - b.txt --format json < note.txt",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Named .json, it is JSON, and the mistake is reported.
    std::fs::write(dir.path().join("note.json"), body).unwrap();
    let o = run(dir.path(), &["compare", "note.json", "b.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with("neardiff: error: note.json: malformed JSON at line 1, column 2"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn duplicate_keys_are_refused_by_every_reader() {
    let dir = fixture();
    let dup = r#"{"id":"x","text":"The harbour fire is out.","text":"Something else entirely."}"#;
    std::fs::write(dir.path().join("dup.json"), dup).unwrap();
    let o = run(dir.path(), &["compare", "dup.json", "b.txt"]);
    assert_one_error_line(
        &o,
        "neardiff: error: dup.json: malformed JSON at line 1, column 50: duplicate key \"text\"",
    );
    let corpus = std::fs::read_to_string(dir.path().join("corpus.jsonl")).unwrap();
    std::fs::write(dir.path().join("dup.jsonl"), format!("{corpus}{dup}\n")).unwrap();
    let expect =
        "neardiff: error: dup.jsonl:4: malformed JSON at line 1, column 50: duplicate key \"text\"";
    for args in [
        &["dedup", "dup.jsonl", "-q"][..],
        &["dedup", "dup.jsonl", "-q", "--pairs"][..],
        &["check", "dup.jsonl", "--index", "i.ndx", "-q"][..],
        &[
            "index",
            "add",
            "dup.jsonl",
            "--index",
            "i.ndx",
            "-q",
            "--on-duplicate",
            "skip",
        ][..],
    ] {
        let o = run(dir.path(), args);
        assert_one_error_line(&o, expect);
    }
    let o = run(dir.path(), &["story", "dup.jsonl"]);
    assert_one_error_line(
        &o,
        "neardiff: error: dup.jsonl:4: malformed JSON at column 50: duplicate key \"text\"",
    );
    // Skipped and counted with --skip-invalid.
    let o = run(dir.path(), &["dedup", "dup.jsonl", "--skip-invalid"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("(1 invalid skipped"), "{}", stderr(&o));
}

#[test]
fn fields_of_the_wrong_type_are_named() {
    let dir = fixture();
    for (record, field) in [
        (r#"{"id":"n","text":5}"#, "field \"text\" must be a string"),
        (
            r#"{"id":"n","text":"The fire is out.","date":20250301}"#,
            "field \"date\" must be a string",
        ),
        (
            r#"{"id":1.5,"text":"The fire is out."}"#,
            "field \"id\" must be a string or an integer",
        ),
    ] {
        std::fs::write(dir.path().join("bad.jsonl"), format!("{record}\n")).unwrap();
        for args in [
            &["dedup", "bad.jsonl", "-q"][..],
            &["check", "bad.jsonl", "--index", "i.ndx", "-q"][..],
        ] {
            let o = run(dir.path(), args);
            assert_one_error_line(&o, &format!("neardiff: error: bad.jsonl:1: {field}"));
        }
        std::fs::write(dir.path().join("bad.json"), record).unwrap();
        let o = run(dir.path(), &["compare", "bad.json", "b.txt"]);
        assert_one_error_line(&o, &format!("neardiff: error: bad.json: {field}"));
    }
    // An integer id stays an id (a text long enough to be compared).
    let text =
        "The fire at the quay is out, the harbour master said on Tuesday after a long night.";
    std::fs::write(
        dir.path().join("int.jsonl"),
        format!("{{\"id\":17,\"text\":\"{text}\"}}\n{{\"id\":18,\"text\":\"{text}\"}}\n"),
    )
    .unwrap();
    let o = run(dir.path(), &["dedup", "int.jsonl", "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("\"representative\":\"17\""),
        "{}",
        stdout(&o)
    );
}
