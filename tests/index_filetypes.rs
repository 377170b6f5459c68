//! Index files that are not regular files: a catalogue, journal, segment
//! or temporary file that is a FIFO, a socket, a device or a directory is
//! refused with one line naming it (exit code 2), never waited on. Every
//! command runs under a time limit, so that a regression fails instead of
//! hanging the test suite.
#![cfg(unix)]

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

#[path = "common/index_corpus.rs"]
mod index_corpus;
use index_corpus::{BIN, err, story};

/// How long a command may take before it counts as hung.
const LIMIT: Duration = Duration::from_secs(10);

/// Runs `neardiff ARGS` in `dir`, killing it (and failing) after [`LIMIT`].
fn run(dir: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run neardiff");
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("neardiff {args:?} hung (killed after {LIMIT:?})");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// Every command that opens an index, reading `base.jsonl` where it takes
/// input.
const COMMANDS: &[&[&str]] = &[
    &["index", "stats", "--index", "news.ndx"],
    &["index", "verify", "--index", "news.ndx"],
    &["index", "remove", "b1", "--index", "news.ndx"],
    &[
        "index",
        "add",
        "base.jsonl",
        "--index",
        "news.ndx",
        "--on-duplicate",
        "skip",
    ],
    &["index", "compact", "--index", "news.ndx"],
    &["check", "base.jsonl", "--index", "news.ndx"],
];

/// `args` fails with exit code 2 and one line that starts with `what`.
fn assert_refused(d: &Path, args: &[&str], what: &str, case: &str) {
    let o = run(d, args);
    let e = err(&o);
    assert_eq!(o.status.code(), Some(2), "{case} {args:?}: {e}");
    assert!(
        e.starts_with(&format!("neardiff: error: {what}")),
        "{case} {args:?}: {e}"
    );
    assert_eq!(e.lines().count(), 1, "{case} {args:?}: {e}");
}

fn corpus(d: &Path) {
    let lines: Vec<String> = (0..200)
        .map(|i| serde_json::json!({"id": format!("b{i}"), "text": story(i + 17, 80)}).to_string())
        .collect();
    std::fs::write(d.join("base.jsonl"), lines.join("\n") + "\n").unwrap();
}

fn build(d: &Path) {
    corpus(d);
    let o = run(d, &["index", "build", "base.jsonl", "--index", "news.ndx"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
}

fn articles(d: &Path) -> u64 {
    let o = run(
        d,
        &["index", "stats", "--index", "news.ndx", "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    v["articles"].as_u64().unwrap()
}

fn segment_name(d: &Path) -> String {
    let mut names: Vec<String> = std::fs::read_dir(d)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("news.ndx.") && n.ends_with(".seg"))
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    names.pop().unwrap()
}

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo").arg(path).status().unwrap().success();
    assert!(ok, "mkfifo {}", path.display());
}

/// A kind of file put where a regular file belongs: its name, how to make
/// one at a path, and how the message names it.
type Kind = (&'static str, fn(&Path), &'static str);

fn kinds() -> Vec<Kind> {
    vec![
        ("fifo", mkfifo as fn(&Path), "is a FIFO, not a regular file"),
        (
            "socket",
            |p: &Path| {
                std::os::unix::net::UnixListener::bind(p).unwrap();
            },
            "is a socket, not a regular file",
        ),
        (
            "device",
            |p: &Path| std::os::unix::fs::symlink("/dev/null", p).unwrap(),
            "is a character device, not a regular file",
        ),
        (
            "directory",
            |p: &Path| std::fs::create_dir(p).unwrap(),
            "is a directory",
        ),
    ]
}

fn remove_any(p: &Path) {
    if std::fs::symlink_metadata(p).is_ok_and(|m| m.is_dir()) {
        std::fs::remove_dir(p).unwrap();
    } else {
        std::fs::remove_file(p).unwrap();
    }
}

#[test]
fn a_catalogue_that_is_not_a_regular_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    corpus(d);
    for (case, make, named) in kinds() {
        make(&d.join("news.ndx"));
        let what = format!("news.ndx: {named}");
        for args in COMMANDS {
            assert_refused(d, args, &what, case);
        }
        // Not an index to replace, even with --force.
        for args in [
            &["index", "build", "base.jsonl", "--index", "news.ndx"][..],
            &[
                "index",
                "build",
                "base.jsonl",
                "--index",
                "news.ndx",
                "--force",
            ],
        ] {
            assert_refused(d, args, &what, case);
        }
        let m = std::fs::symlink_metadata(d.join("news.ndx")).unwrap();
        assert!(!m.is_file(), "{case}: replaced");
        remove_any(&d.join("news.ndx"));
    }
}

#[test]
fn a_segment_that_is_not_a_regular_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    build(d);
    let name = segment_name(d);
    let seg = d.join(&name);
    let good = std::fs::read(&seg).unwrap();
    for (case, make, named) in kinds() {
        std::fs::remove_file(&seg).unwrap();
        make(&seg);
        let what = format!("{name}: {named}");
        for args in COMMANDS {
            assert_refused(d, args, &what, case);
        }
        remove_any(&seg);
        std::fs::write(&seg, &good).unwrap();
        // Nothing was removed or added meanwhile.
        assert_eq!(articles(d), 200, "{case}");
    }
    std::fs::remove_file(&seg).unwrap();
    std::fs::create_dir(&seg).unwrap();
    assert_refused(
        d,
        COMMANDS[0],
        &format!(
            "{name}: is a directory, expected an index segment file; restore the file or rebuild the index with `neardiff index build --force`"
        ),
        "directory message",
    );
}

#[test]
fn a_journal_that_is_not_a_regular_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    build(d);
    for journal in ["news.ndx-journal", "news.ndx-wal"] {
        for (case, make, named) in kinds() {
            let p = d.join(journal);
            make(&p);
            let what = format!("{journal}: {named}");
            let force = [
                "index",
                "build",
                "base.jsonl",
                "--index",
                "news.ndx",
                "--force",
            ];
            for args in COMMANDS.iter().copied().chain([&force[..]]) {
                assert_refused(d, args, &what, case);
            }
            remove_any(&p);
        }
    }
    assert_eq!(articles(d), 200);
}

/// What a writer writes under a temporary name: a FIFO left there is
/// deleted as a crashed writer's leftover; a directory, which is not
/// deleted, is refused.
#[test]
fn a_temporary_name_taken_by_a_fifo_or_directory_does_not_hang() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    build(d);
    let name = segment_name(d);
    // `news.ndx.<tag>.1.seg`: the next write's segment is number 2.
    let next = name.replace(".1.seg", ".2.seg");
    let more: Vec<String> = (0..3)
        .map(|i| {
            serde_json::json!({"id": format!("m{i}"), "text": story(i + 5000, 80)}).to_string()
        })
        .collect();
    std::fs::write(d.join("more.jsonl"), more.join("\n") + "\n").unwrap();
    let add = ["index", "add", "more.jsonl", "--index", "news.ndx"];
    for tmp in [format!("{next}.tmp"), format!("{next}.tmp.heap")] {
        let p = d.join(&tmp);
        std::fs::create_dir(&p).unwrap();
        assert_refused(
            d,
            &add,
            &format!(
                "{tmp}: is a directory, expected a temporary file of an index being written; remove it"
            ),
            "directory",
        );
        std::fs::remove_dir(&p).unwrap();
        mkfifo(&p);
    }
    assert_eq!(articles(d), 200);
    let o = run(d, &add);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(articles(d), 203);
    assert!(!d.join(format!("{next}.tmp")).exists());
}
