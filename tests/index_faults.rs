//! Fault tests of the index: writers killed mid-batch and mid-merge, flipped
//! bytes in the catalogue and the segment files, truncated and missing
//! files, damaged catalogue rows, and checks running while another process
//! adds.

use std::collections::BTreeMap;
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

fn stats(dir: &Path) -> serde_json::Value {
    let o = run(
        dir,
        &["index", "stats", "--index", "news.ndx", "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn articles(dir: &Path) -> u64 {
    stats(dir)["articles"].as_u64().unwrap()
}

/// `n` articles `{prefix}{i}` of `words` words; every fifth a copy of an
/// earlier one. The text depends on `i` only, not on the prefix.
fn corpus(path: &Path, prefix: &str, n: usize, words: usize) {
    let mut s = String::new();
    for i in 0..n {
        s.push_str(&line(&format!("{prefix}{i}"), &article_text(i, words)));
        s.push('\n');
    }
    std::fs::write(path, s).unwrap();
}

/// The text of article `i` of [`corpus`].
fn article_text(i: usize, words: usize) -> String {
    let seed = if i % 5 == 4 { i - 3 } else { i };
    story(seed + 17, words)
}

/// An index of 200 articles `b0`..`b199` (one segment).
fn build_small(d: &Path) {
    corpus(&d.join("base.jsonl"), "b", 200, 80);
    let o = run(d, &["index", "build", "base.jsonl", "--index", "news.ndx"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
}

/// A segment file of the index in a directory (`news.ndx.<id>.<seg>.seg`),
/// or a leftover of writing one (`….seg.tmp`, `….seg.tmp.heap`).
#[derive(Debug)]
struct SegFile {
    name: String,
    seg: u64,
    len: u64,
    /// A `.seg` file, not a temporary one.
    complete: bool,
}

fn segment_files(d: &Path) -> Vec<SegFile> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(d).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix("news.ndx.") else {
            continue;
        };
        let (core, complete) = match rest.strip_suffix(".seg") {
            Some(core) => (core, true),
            None => match rest.split_once(".seg.tmp") {
                Some((core, _)) => (core, false),
                None => continue,
            },
        };
        let Some((_, seg)) = core.split_once('.') else {
            continue;
        };
        let Ok(seg) = seg.parse() else { continue };
        // A writer may rename or delete the file between the listing and
        // this.
        let Ok(m) = e.metadata() else { continue };
        out.push(SegFile {
            name,
            seg,
            len: m.len(),
            complete,
        });
    }
    out.sort_by(|a, b| (a.seg, &a.name).cmp(&(b.seg, &b.name)));
    out
}

/// The names of the complete segment files, by segment number.
fn segment_names(d: &Path) -> Vec<String> {
    segment_files(d)
        .into_iter()
        .filter(|f| f.complete)
        .map(|f| f.name)
        .collect()
}

/// When a writer is killed, judged from the segment files it writes.
#[derive(Clone, Copy, Debug)]
enum Moment {
    /// While it writes a segment (a batch's or a merge's), after it
    /// committed at least one batch.
    WritingSegment,
    /// As soon as a segment of its second write is renamed into place:
    /// before its catalogue rows are committed, or just after.
    Published,
    /// While a merge writes its output: a temporary file larger than a
    /// batch's segment ever gets (500 articles take under 1 MiB).
    Merging,
}

impl Moment {
    /// `before`: the highest segment number on disk when the writer
    /// started. The writer numbers its files from the highest one its
    /// catalogue lists, plus one, so a file numbered `before + 2` or
    /// higher is of its second write or later: its first is committed.
    fn reached(self, d: &Path, before: u64) -> bool {
        segment_files(d).iter().any(|f| match self {
            Moment::WritingSegment => !f.complete && f.seg >= before + 2,
            Moment::Published => f.complete && f.seg >= before + 2,
            Moment::Merging => !f.complete && f.seg > before && f.len > 2 << 20,
        })
    }
}

#[test]
fn killed_writer_loses_at_most_the_batch_in_flight() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    build_small(d);
    let (total, words, batch) = (8_000u64, 40, 500u64);
    corpus(&d.join("big.jsonl"), "n", total as usize, words);
    let add = |batch_size: &str| {
        Command::new(BIN)
            .args([
                "index",
                "add",
                "big.jsonl",
                "--index",
                "news.ndx",
                "--on-duplicate",
                "skip",
                "--batch-size",
                batch_size,
                "-q",
            ])
            .current_dir(d)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    // The same corpus is added again after each kill, skipping what was
    // committed: batches keep their bounds, so every commit is a whole
    // batch of 500.
    let mut committed = 200;
    for moment in [Moment::WritingSegment, Moment::Published, Moment::Merging] {
        let before = segment_files(d).iter().map(|f| f.seg).max().unwrap();
        let mut child = add("500");
        let start = Instant::now();
        while !moment.reached(d, before) {
            assert!(
                start.elapsed() < Duration::from_secs(120),
                "{moment:?} never reached"
            );
            assert!(
                child.try_wait().unwrap().is_none(),
                "writer finished before the kill at {moment:?}"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();

        // Whatever the killed writer left beside the index, it is whole.
        let o = run(d, &["index", "verify", "--index", "news.ndx"]);
        assert_eq!(o.status.code(), Some(0), "{moment:?}: {}", err(&o));
        let n = articles(d);
        assert!(
            n > committed && n < 200 + total,
            "{moment:?}: {n} articles after the kill, {committed} before"
        );
        assert_eq!((n - 200) % batch, 0, "{moment:?}: a partial batch: {n}");
        committed = n;
        // Every committed batch is whole and searchable: the last committed
        // article is found, the first lost one is not.
        let last = (n - 200 - 1) as usize;
        for (i, found) in [(last, true), (last + 1, false)] {
            std::fs::write(d.join("q.txt"), article_text(i, words)).unwrap();
            let o = run(
                d,
                &["check", "q.txt", "--index", "news.ndx", "--format", "jsonl"],
            );
            assert_eq!(o.status.code(), Some(0), "{}", err(&o));
            let stdout = String::from_utf8_lossy(&o.stdout);
            assert_eq!(
                stdout.contains(&format!("\"n{i}\"")),
                found,
                "{moment:?}: n{i} in {stdout}"
            );
        }
    }
    // The next writer deletes the files the killed ones left (at least
    // the merge's), even when it has nothing to write.
    assert!(segment_files(d).iter().any(|f| !f.complete));
    let o = run(
        d,
        &[
            "index",
            "add",
            "base.jsonl",
            "--index",
            "news.ndx",
            "--on-duplicate",
            "skip",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_no_orphans(d);
    // The index keeps working: the rest is added in one batch.
    let o = add("20000").wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(articles(d), 200 + total);
    assert_no_orphans(d);
    let o = run(d, &["index", "verify", "--index", "news.ndx"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
}

/// The segment files on disk are the ones the catalogue lists: no
/// temporary file, no segment it does not list.
fn assert_no_orphans(d: &Path) {
    let files = segment_files(d);
    assert!(files.iter().all(|f| f.complete), "leftovers: {files:?}");
    assert_eq!(
        files.len() as u64,
        stats(d)["segments"],
        "orphans: {files:?}"
    );
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

/// Positions of `needle` in `hay`.
fn find_all(hay: &[u8], needle: &[u8]) -> Vec<usize> {
    (0..hay.len().saturating_sub(needle.len() - 1))
        .filter(|&i| hay[i..].starts_with(needle))
        .collect()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    find_all(hay, needle).first().copied()
}

/// Bytes of a segment file's header.
const SEGMENT_HEADER: usize = 288;

/// A byte to flip, and whether a check and `index verify` must report it.
/// `copy_of` names the value the byte is part of when the file may hold
/// several copies of it: SQLite leaves the old copy of a moved row in free
/// space, so only the live ones must be reported, and the test counts
/// them.
struct Flip {
    pos: usize,
    check: bool,
    verify: bool,
    copy_of: Option<&'static str>,
}

fn flip(pos: usize, check: bool, verify: bool) -> Flip {
    Flip {
        pos,
        check,
        verify,
        copy_of: None,
    }
}

#[test]
fn flipped_bytes_are_reported_or_harmless() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    build_small(d);
    // A second segment of copies of `b0`..`b19`, so that the check of
    // the base reads both segments.
    corpus(&d.join("extra.jsonl"), "e", 20, 80);
    let o = run(d, &["index", "add", "extra.jsonl", "--index", "news.ndx"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let segments = segment_names(d);
    assert_eq!(segments.len(), 2, "{segments:?}");
    let (code, expected, _) = check_output(d);
    assert_eq!(code, Some(0));
    assert!(expected.contains("\"e7\"") && expected.contains("\"b123\""));

    // The catalogue: its header, the `docs` row of an article and its
    // entry in the index of ids (found by the id), a byte of segment 1's
    // header checksum in its `segments` row, and a spread of offsets.
    let catalogue = std::fs::read(d.join("news.ndx")).unwrap();
    let header_checksum: i64 = rusqlite::Connection::open(d.join("news.ndx"))
        .unwrap()
        .query_row(
            "SELECT header_checksum FROM segments WHERE seg = 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let _ = std::fs::remove_file(d.join("news.ndx-wal"));
    let _ = std::fs::remove_file(d.join("news.ndx-shm"));
    assert_eq!(std::fs::read(d.join("news.ndx")).unwrap(), catalogue);
    let mut flips: Vec<(&str, Vec<Flip>)> = Vec::new();
    let mut positions = vec![
        flip(0, true, true),
        flip(17, true, true),
        flip(28, true, true),
        flip(60, false, false),
    ];
    let copies = |what, needle: &[u8], at: usize| {
        let found = find_all(&catalogue, needle);
        assert!(!found.is_empty(), "{what} not found");
        found.into_iter().map(move |p| Flip {
            pos: p + at,
            check: false,
            verify: false,
            copy_of: Some(what),
        })
    };
    positions.extend(copies("id", b"b123", 0));
    positions.extend(copies("segment row", &header_checksum.to_be_bytes(), 4));
    positions.extend((1..40).map(|i| flip(i * catalogue.len() / 40 + 123, false, false)));
    flips.push(("news.ndx", positions));
    // Each segment: its header, an article's metadata (found by its
    // title): the title and the last byte of the id before it, the first
    // and last byte of each section (their offsets and lengths are in the
    // header from byte 80), and a spread of offsets. Every byte of a
    // segment is under a checksum, so verify reports every flip.
    for (name, title) in segments
        .iter()
        .zip(["Title of b123 here", "Title of e7 here"])
    {
        let bytes = std::fs::read(d.join(name)).unwrap();
        let at = find(&bytes, title.as_bytes()).expect("title stored as text");
        let mut positions: Vec<Flip> = [0, 8, 12, 16, 24, 40, 64, 72, 80, 200, 272, 280]
            .into_iter()
            .chain([SEGMENT_HEADER - 1, at, at + 9, at - 1])
            .map(|p| flip(p, true, true))
            .collect();
        for k in 0..12 {
            let at = 80 + 16 * k;
            let u64_at = |i: usize| u64::from_le_bytes(bytes[i..i + 8].try_into().unwrap());
            let (offset, len) = (u64_at(at) as usize, u64_at(at + 8) as usize);
            if len > 0 {
                positions.extend([
                    flip(offset, false, true),
                    flip(offset + len - 1, false, true),
                ]);
            }
        }
        positions.extend((1..40).map(|i| flip(i * bytes.len() / 40 + 123, false, true)));
        flips.push((name.as_str(), positions));
    }

    // Flips in copies of a value reported (by a check, by verify).
    let mut copies_reported: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (name, positions) in &flips {
        let path = d.join(name);
        let good = std::fs::read(&path).unwrap();
        let named = format!("{name}: corrupt or unreadable");
        for f in positions {
            let pos = f.pos.min(good.len() - 1);
            let mut bad = good.clone();
            bad[pos] ^= 0x5a;
            std::fs::write(&path, &bad).unwrap();
            let _ = std::fs::remove_file(d.join("news.ndx-wal"));
            let _ = std::fs::remove_file(d.join("news.ndx-shm"));
            let (code, stdout, stderr) = check_output(d);
            assert!(!stderr.contains("panicked"), "{name} {pos}: {stderr}");
            match code {
                Some(2) => assert!(stderr.contains(&named), "{name} {pos}: {stderr}"),
                Some(0) => {
                    assert!(!f.check, "flipping byte {pos} of {name} went unreported");
                    assert!(
                        stdout == expected,
                        "silently wrong results after flipping byte {pos} of {name}"
                    );
                }
                other => panic!("exit {other:?} at {name} {pos}: {stderr}"),
            }
            let v = run(d, &["index", "verify", "--index", "news.ndx"]);
            let verr = err(&v);
            assert!(!verr.contains("panicked"), "{name} {pos}: {verr}");
            match v.status.code() {
                Some(2) => assert!(verr.contains(&named), "{name} {pos}: {verr}"),
                Some(0) => assert!(!f.verify, "verify missed byte {pos} of {name}"),
                other => panic!("verify exit {other:?} at {name} {pos}: {verr}"),
            }
            if let Some(what) = f.copy_of {
                let reported = copies_reported.entry(what).or_default();
                reported.0 += (code == Some(2)) as usize;
                reported.1 += (v.status.code() == Some(2)) as usize;
            }
        }
        std::fs::write(&path, &good).unwrap();
    }
    // The live id is stored twice (the row and its entry in the index of
    // ids), and only verify reads it; the live segment row is read by
    // every check.
    let (id, row) = (copies_reported["id"], copies_reported["segment row"]);
    assert!(id.1 >= 2, "{copies_reported:?}");
    assert!(row.0 >= 1 && row.1 >= 1, "{copies_reported:?}");
    let _ = std::fs::remove_file(d.join("news.ndx-wal"));
    let _ = std::fs::remove_file(d.join("news.ndx-shm"));
    assert_eq!(check_output(d), (Some(0), expected, String::new()));
    let o = run(d, &["index", "verify", "--index", "news.ndx"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
}

#[test]
fn flipped_metadata_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    build_small(d);
    let name = segment_names(d).pop().unwrap();
    let path = d.join(&name);
    let mut bad = std::fs::read(&path).unwrap();
    let pos = find(&bad, b"Title of b123 here").unwrap();
    bad[pos + 9] ^= 1;
    std::fs::write(&path, &bad).unwrap();
    std::fs::write(d.join("q.txt"), article_text(123, 80)).unwrap();
    let o = run(d, &["check", "q.txt", "--index", "news.ndx"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(
        err(&o).contains(&format!(
            "{name}: corrupt or unreadable: the metadata of article 123 fails its checksum"
        )),
        "{}",
        err(&o)
    );
    // An article whose metadata is intact is still checked.
    std::fs::write(d.join("q.txt"), article_text(10, 80)).unwrap();
    let o = run(d, &["check", "q.txt", "--index", "news.ndx"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let o = run(d, &["index", "verify", "--index", "news.ndx"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains(&format!("{name}: corrupt or unreadable")),
        "{}",
        err(&o)
    );
}

/// Runs a check, `index stats` and the writers `index remove`, `index add`
/// and `index compact`: all must fail with one line naming `what` (a
/// writer must not write to a damaged index).
fn assert_refused(d: &Path, what: &str, case: &str) {
    for args in [
        &["check", "base.jsonl", "--index", "news.ndx"][..],
        &["index", "stats", "--index", "news.ndx"],
        &["index", "remove", "b1", "--index", "news.ndx"],
        &[
            "index",
            "add",
            "base.jsonl",
            "--index",
            "news.ndx",
            "--on-duplicate",
            "update",
        ],
        &["index", "compact", "--index", "news.ndx"],
    ] {
        let o = run(d, args);
        let e = err(&o);
        assert_eq!(o.status.code(), Some(2), "{case} {args:?}: {e}");
        assert!(e.contains(what), "{case} {args:?}: {e}");
        assert_eq!(e.trim_end().lines().count(), 1, "{case} {args:?}: {e}");
        assert!(!e.contains("panicked"));
    }
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
        assert_refused(
            d,
            "news.ndx: corrupt or unreadable",
            &format!("news.ndx truncated to {len}"),
        );
    }
    std::fs::write(&path, &good).unwrap();

    let name = segment_names(d).pop().unwrap();
    let seg = d.join(&name);
    let good = std::fs::read(&seg).unwrap();
    let named = format!("{name}: corrupt or unreadable");
    for len in [0, 100, good.len() / 2, good.len() - 1] {
        std::fs::write(&seg, &good[..len]).unwrap();
        assert_refused(d, &named, &format!("segment truncated to {len}"));
    }
    let mut longer = good.clone();
    longer.push(0);
    std::fs::write(&seg, &longer).unwrap();
    assert_refused(d, &named, "segment extended");
    std::fs::remove_file(&seg).unwrap();
    assert_refused(
        d,
        &format!("news.ndx: corrupt or unreadable: segment file {name} of the index is missing"),
        "segment deleted",
    );
    std::fs::write(&seg, &good).unwrap();
    let o = run(d, &["check", "base.jsonl", "--index", "news.ndx", "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    // No writer wrote meanwhile.
    assert_eq!(segment_names(d), [name]);
    assert_eq!(stats(d)["removed_pending"], 0);
    assert_eq!(articles(d), 200);
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
    assert_no_orphans(d);
}

const REBUILD: &str = "rebuild the index with `neardiff index build --force`";

#[test]
fn damaged_catalogue_rows_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let fresh = |case: &str| {
        let d = dir.path().join(case);
        std::fs::create_dir(&d).unwrap();
        build_small(&d);
        std::fs::write(d.join("q.txt"), article_text(123, 80)).unwrap();
        d
    };
    let check = |d: &Path| run(d, &["check", "q.txt", "--index", "news.ndx"]);
    let verify = |d: &Path| run(d, &["index", "verify", "--index", "news.ndx"]);
    let sql = |d: &Path, sql: &str| {
        let conn = rusqlite::Connection::open(d.join("news.ndx")).unwrap();
        conn.execute(sql, []).unwrap();
    };
    let refused = |o: std::process::Output, case: &str, what: &str| {
        let e = err(&o);
        assert_eq!(o.status.code(), Some(2), "{case}: {e}");
        assert!(e.contains(what), "{case}: {e}");
        assert!(!e.contains("panicked"), "{case}: {e}");
    };
    let d = fresh("good");
    let o = check(&d);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let expected = o.stdout;

    // A segment's row no longer matches its checksum: a changed header
    // checksum (as if the row named another file), a changed checksum.
    for (case, update) in [
        (
            "header",
            "UPDATE segments SET header_checksum = header_checksum + 1",
        ),
        ("checksum", "UPDATE segments SET checksum = checksum + 1"),
    ] {
        let d = fresh(case);
        sql(&d, update);
        let what = format!(
            "news.ndx: corrupt or unreadable: the catalogue row of segment 1 is damaged; {REBUILD}"
        );
        refused(check(&d), case, &what);
        refused(verify(&d), case, &what);
    }

    // A removal record that fails its checksum.
    let d = fresh("tombstone");
    sql(&d, "INSERT INTO tombstones VALUES (7, 0)");
    let what = format!(
        "news.ndx: corrupt or unreadable: the removal record of article number 7 is damaged; {REBUILD}"
    );
    refused(check(&d), "tombstone", &what);
    refused(verify(&d), "tombstone", &what);

    // An article's id row that fails its checksum: checks read no id row
    // (the answer comes from the segment and is unchanged), but verify and
    // a removal by that id report it.
    let d = fresh("docs");
    sql(&d, "UPDATE docs SET id = 'zzz' WHERE doc = 5");
    let o = check(&d);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(o.stdout, expected);
    let what = "news.ndx: corrupt or unreadable: article row 5 fails its checksum; the index is damaged: rebuild it with `neardiff index build --force`";
    refused(verify(&d), "docs", what);
    refused(
        run(&d, &["index", "remove", "zzz", "--index", "news.ndx"]),
        "docs remove",
        what,
    );
    assert_eq!(articles(&d), 200);

    // A segment file of another index under this index's segment name.
    let d = fresh("foreign");
    let other = fresh("other");
    let name = segment_names(&d).pop().unwrap();
    std::fs::copy(
        other.join(segment_names(&other).pop().unwrap()),
        d.join(&name),
    )
    .unwrap();
    let what = format!(
        "{name}: corrupt or unreadable: the segment file does not match the index catalogue; {REBUILD}"
    );
    refused(check(&d), "foreign", &what);
    refused(verify(&d), "foreign", &what);
    refused(
        run(&d, &["index", "remove", "b1", "--index", "news.ndx"]),
        "foreign remove",
        &what,
    );
}

#[test]
fn failed_integrity_check_is_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    build_small(d);
    let path = d.join("news.ndx");
    // The id index's page (which no check reads): its cell pointers
    // scrambled, so that SQLite's report lists one problem per cell.
    let page: i64 = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row(
            "SELECT rootpage FROM sqlite_master WHERE name = 'sqlite_autoindex_docs_1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    let at = (page as usize - 1) * 4096;
    assert_eq!(bytes[at], 10, "a leaf page of an index");
    for b in &mut bytes[at + 8..at + 48] {
        *b ^= 0x5a;
    }
    std::fs::write(&path, &bytes).unwrap();
    let o = run(d, &["index", "verify", "--index", "news.ndx"]);
    let e = err(&o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(
        e.starts_with(
            "neardiff: error: news.ndx: corrupt or unreadable: SQLite integrity check failed: "
        ),
        "{e}"
    );
    assert!(e.contains(" more); rebuild the index with"), "{e}");
    assert_eq!(e.lines().count(), 1, "{e}");
}
