//! Fault tests of the index: a writer killed mid-batch, flipped bytes,
//! truncated files, and checks running while another process adds.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[path = "common/index_corpus.rs"]
mod index_corpus;
use index_corpus::{BIN, err, run, story};

fn line(id: &str, text: &str) -> String {
    let title = format!("Title of {id} here");
    serde_json::json!({"id": id, "title": title, "text": text}).to_string()
}

fn articles(dir: &Path) -> u64 {
    let o = run(
        dir,
        &["index", "stats", "--index", "news.ndx", "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    v["articles"].as_u64().unwrap()
}

/// `n` articles `{prefix}{i}`; every fifth a copy of an earlier one.
fn corpus(path: &Path, prefix: &str, n: usize, words: usize) {
    let mut s = String::new();
    for i in 0..n {
        let seed = if i % 5 == 4 { i - 3 } else { i };
        s.push_str(&line(&format!("{prefix}{i}"), &story(seed + 17, words)));
        s.push('\n');
    }
    std::fs::write(path, s).unwrap();
}

fn build_small(d: &Path) {
    corpus(&d.join("base.jsonl"), "b", 200, 80);
    let o = run(d, &["index", "build", "base.jsonl", "--index", "news.ndx"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
}

#[test]
fn killed_writer_loses_at_most_the_batch_in_flight() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    build_small(d);
    corpus(&d.join("big.jsonl"), "n", 60_000, 60);
    let batch = 500u64;
    let mut child = Command::new(BIN)
        .args([
            "index",
            "add",
            "big.jsonl",
            "--index",
            "news.ndx",
            "--batch-size",
            "500",
            "-q",
        ])
        .current_dir(d)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until some batches are committed (the log grows), then kill.
    let wal = d.join("news.ndx-wal");
    let start = Instant::now();
    while std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) < 4 << 20 {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "writer never wrote"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "writer finished before the kill"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(37));
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    let o = run(d, &["index", "verify", "--index", "news.ndx"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let n = articles(d);
    assert!(n > 200 && n < 60_200, "{n} articles after the kill");
    assert_eq!((n - 200) % batch, 0, "a partial batch was kept: {n}");
    // Every committed batch is whole and searchable: the last committed
    // article is found, the first lost one is not.
    let last = (n - 200 - 1) as usize;
    let seed = if last % 5 == 4 { last - 3 } else { last };
    std::fs::write(d.join("last.txt"), story(seed + 17, 60)).unwrap();
    let o = run(
        d,
        &[
            "check", "last.txt", "--index", "news.ndx", "--format", "jsonl",
        ],
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains(&format!("\"n{last}\"")));
    // The index keeps working: the rest can be added with skip.
    let o = run(
        d,
        &[
            "index",
            "add",
            "big.jsonl",
            "--index",
            "news.ndx",
            "--on-duplicate",
            "skip",
            "--batch-size",
            "20000",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(articles(d), 60_200);
}

/// Output of a fixed check, or the error.
fn check_output(d: &Path) -> (Option<i32>, String, String) {
    let o = run(
        d,
        &[
            "check",
            "base.jsonl",
            "--index",
            "news.ndx",
            "--format",
            "jsonl",
            "-q",
        ],
    );
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        err(&o),
    )
}

#[test]
fn flipped_bytes_are_reported_or_harmless() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    build_small(d);
    let path = d.join("news.ndx");
    let good = std::fs::read(&path).unwrap();
    let (code, expected, _) = check_output(d);
    assert_eq!(code, Some(0));

    // Positions: the header, the row of one article (found by its title,
    // which only the row holds), and a spread of offsets over the file.
    let row_pos = good
        .windows(18)
        .position(|w| w == b"Title of b123 here")
        .expect("title stored as text");
    let mut positions = vec![0usize, 17, 28, 60, row_pos, row_pos + 40, row_pos + 200];
    positions.extend((1..40).map(|i| i * good.len() / 40 + 123));
    let mut detected = 0;
    for &pos in &positions {
        let pos = pos.min(good.len() - 1);
        let mut bad = good.clone();
        bad[pos] ^= 0x5a;
        std::fs::write(&path, &bad).unwrap();
        let _ = std::fs::remove_file(d.join("news.ndx-wal"));
        let _ = std::fs::remove_file(d.join("news.ndx-shm"));
        let (code, stdout, stderr) = check_output(d);
        assert!(!stderr.contains("panicked"), "panic at {pos}: {stderr}");
        match code {
            Some(2) => {
                assert!(
                    stderr.contains("news.ndx"),
                    "error does not name the file: {stderr}"
                );
                detected += 1;
            }
            Some(0) => assert!(
                stdout == expected,
                "silently wrong results after flipping byte {pos}"
            ),
            other => panic!("exit {other:?} at {pos}: {stderr}"),
        }
        // The full check finds every flip that is not in unused space.
        let v = run(d, &["index", "verify", "--index", "news.ndx"]);
        assert!(matches!(v.status.code(), Some(0 | 2)), "{}", err(&v));
        assert!(!err(&v).contains("panicked"));
    }
    // The header and the article row are always caught.
    assert!(detected >= 3, "only {detected} flips detected");
    std::fs::write(&path, &good).unwrap();
    let o = run(d, &["check", "base.jsonl", "--index", "news.ndx", "-q"]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn flipped_row_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    build_small(d);
    let path = d.join("news.ndx");
    let mut bad = std::fs::read(&path).unwrap();
    let pos = bad
        .windows(18)
        .position(|w| w == b"Title of b123 here")
        .unwrap();
    bad[pos + 100] ^= 1;
    std::fs::write(&path, &bad).unwrap();
    std::fs::write(d.join("q.txt"), story(123 + 17, 80)).unwrap();
    let o = run(d, &["check", "q.txt", "--index", "news.ndx"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("news.ndx: corrupt or unreadable"),
        "{}",
        err(&o)
    );
    let o = run(d, &["index", "verify", "--index", "news.ndx"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn truncated_index_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    build_small(d);
    let path = d.join("news.ndx");
    let good = std::fs::read(&path).unwrap();
    for len in [
        0,
        50,
        4096,
        good.len() / 2,
        good.len() - 4096,
        good.len() - 1,
    ] {
        std::fs::write(&path, &good[..len]).unwrap();
        let o = run(d, &["check", "base.jsonl", "--index", "news.ndx"]);
        assert_eq!(o.status.code(), Some(2), "truncated to {len}: {}", err(&o));
        assert!(
            err(&o).contains("news.ndx: corrupt or unreadable"),
            "{len}: {}",
            err(&o)
        );
        assert!(!err(&o).contains("panicked"));
        let o = run(d, &["index", "stats", "--index", "news.ndx"]);
        assert_eq!(o.status.code(), Some(2), "stats on truncated {len}");
    }
}

#[test]
fn checks_run_while_another_process_adds() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    build_small(d);
    corpus(&d.join("more.jsonl"), "m", 20_000, 60);
    std::fs::write(d.join("q.txt"), story(10 + 17, 80)).unwrap();
    let mut writer = Command::new(BIN)
        .args([
            "index",
            "add",
            "more.jsonl",
            "--index",
            "news.ndx",
            "--batch-size",
            "1000",
            "-q",
        ])
        .current_dir(d)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut checks = 0;
    let mut seen = Vec::new();
    loop {
        let done = writer.try_wait().unwrap().is_some();
        let o = run(
            d,
            &[
                "check",
                "q.txt",
                "--index",
                "news.ndx",
                "--format",
                "jsonl",
                "--fail-on",
                "duplicate",
            ],
        );
        assert_eq!(
            o.status.code(),
            Some(1),
            "check failed during add: {}",
            err(&o)
        );
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["matches"][0]["id"], "b10");
        let s = run(
            d,
            &["index", "stats", "--index", "news.ndx", "--format", "json"],
        );
        assert_eq!(s.status.code(), Some(0), "{}", err(&s));
        let n = serde_json::from_slice::<serde_json::Value>(&s.stdout).unwrap()["articles"]
            .as_u64()
            .unwrap();
        assert_eq!((n - 200) % 1000, 0, "reader saw a partial batch: {n}");
        seen.push(n);
        checks += 1;
        if done {
            break;
        }
    }
    let status = writer.wait().unwrap();
    assert!(status.success());
    assert!(checks >= 2);
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    assert_eq!(articles(d), 20_200);
}

#[test]
fn damaged_bucket_chunks_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    build_small(d);
    std::fs::write(d.join("q.txt"), story(123 + 17, 80)).unwrap();
    let o = run(d, &["check", "q.txt", "--index", "news.ndx"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    // A chunk whose bytes no longer match its checksum (as a flipped bit
    // inside it would leave it), and one moved to another bucket range.
    for sql in [
        "UPDATE bands SET checksum = checksum + 1",
        "UPDATE bands SET chunk = chunk + 1",
    ] {
        let _ = std::fs::remove_file(d.join("news.ndx"));
        build_small(d);
        let conn = rusqlite::Connection::open(d.join("news.ndx")).unwrap();
        conn.execute(sql, []).unwrap();
        drop(conn);
        for args in [
            &["check", "q.txt", "--index", "news.ndx"][..],
            &["index", "verify", "--index", "news.ndx"],
        ] {
            let o = run(d, args);
            assert_eq!(o.status.code(), Some(2), "{sql} {args:?}");
            let e = err(&o);
            assert!(
                e.contains("news.ndx") && e.contains("bucket chunk") && e.contains("rebuild"),
                "{sql} {args:?}: {e}"
            );
        }
    }
}
