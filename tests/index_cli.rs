//! `neardiff index` and `neardiff check` end to end through the binary:
//! build, add, remove, stats, verify, check formats and exit codes,
//! duplicate ids, determinism.

use std::path::Path;
use std::process::Command;

#[path = "common/index_corpus.rs"]
mod index_corpus;
use index_corpus::{BIN, err, out, run, story};

fn line(id: &str, text: &str) -> String {
    serde_json::json!({"id": id, "date": "2025-03-01", "outlet": "Wire", "text": text}).to_string()
}

/// 50 unrelated stories `s0`..`s49` in `base.jsonl`.
fn base(dir: &Path) {
    let lines: Vec<String> = (0..50)
        .map(|i| line(&format!("s{i}"), &story(i, 120)))
        .collect();
    std::fs::write(dir.join("base.jsonl"), lines.join("\n") + "\n").unwrap();
}

fn build(dir: &Path) {
    base(dir);
    let o = run(
        dir,
        &["index", "build", "base.jsonl", "--index", "news.ndx"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
}

#[test]
fn build_check_add_remove_stats() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    build(d);
    // A verbatim copy of s7 as a text file, a light edit of s9, a new story.
    std::fs::create_dir(d.join("new")).unwrap();
    std::fs::write(d.join("new/article-17.txt"), story(7, 120)).unwrap();
    let edited = story(9, 120).replacen("w", "x", 15);
    std::fs::write(d.join("new/edited.txt"), &edited).unwrap();
    std::fs::write(d.join("new/fresh.txt"), story(1000, 120)).unwrap();

    let o = run(
        d,
        &[
            "check",
            "new/article-17.txt",
            "--index",
            "news.ndx",
            "--fail-on",
            "duplicate",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert_eq!(
        out(&o).lines().next().unwrap(),
        "duplicate: new/article-17.txt duplicates s7 [Wire, 2025-03-01] (Jaccard 1.00; new in match 1.00, match in new 1.00; MinHash 1.00)"
    );
    assert!(err(&o).contains("1 flagged"), "{}", err(&o));

    // The fresh story matches nothing: exit 0, no output.
    let o = run(
        d,
        &[
            "check",
            "new/fresh.txt",
            "--index",
            "news.ndx",
            "--fail-on",
            "near-duplicate",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(out(&o), "");

    // The edited copy is a near-duplicate, not a duplicate.
    let o = run(
        d,
        &["check", "new", "--index", "news.ndx", "--format", "jsonl"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let recs: Vec<serde_json::Value> = out(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(recs.len(), 3);
    let by_id = |id: &str| recs.iter().find(|r| r["id"] == id).unwrap().clone();
    let e = by_id("edited");
    assert_eq!(e["schema"], "neardiff.check/2");
    assert_eq!(e["matches"][0]["id"], "s9");
    let j = e["matches"][0]["jaccard"].as_f64().unwrap();
    assert!(j > 0.5 && j < 0.99, "{j}");
    assert_eq!(e["verdict"], "near-duplicate");
    assert!(by_id("fresh")["matches"].as_array().unwrap().is_empty());
    // --fail-on near-duplicate flags the duplicate and the near-duplicate.
    let o = run(
        d,
        &[
            "check",
            "new",
            "--index",
            "news.ndx",
            "--fail-on",
            "near-duplicate",
            "--format",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(doc["summary"]["flagged"], 2);
    assert_eq!(doc["results"].as_array().unwrap().len(), 3);

    // --add indexes the new articles after checking them.
    let o = run(
        d,
        &["check", "new/fresh.txt", "--index", "news.ndx", "--add"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let o = run(
        d,
        &[
            "check",
            "new/fresh.txt",
            "--index",
            "news.ndx",
            "--fail-on",
            "duplicate",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("duplicates fresh"), "{}", out(&o));

    // add and remove.
    std::fs::write(d.join("more.jsonl"), line("m1", &story(2000, 90)) + "\n").unwrap();
    let o = run(d, &["index", "add", "more.jsonl", "--index", "news.ndx"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let o = run(
        d,
        &["index", "stats", "--index", "news.ndx", "--format", "json"],
    );
    let stats: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(stats["articles"], 52);
    assert_eq!(stats["params"]["bands"], 51);
    assert!(stats["bytes_per_article"].as_f64().unwrap() > 500.0);
    let o = run(d, &["index", "remove", "s7", "m1", "--index", "news.ndx"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let o = run(
        d,
        &[
            "check",
            "new/article-17.txt",
            "--index",
            "news.ndx",
            "--fail-on",
            "duplicate",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "removed article still found: {}",
        out(&o)
    );
    // Unknown ids: error, nothing removed.
    let o = run(d, &["index", "remove", "s8", "nope", "--index", "news.ndx"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("nope"), "{}", err(&o));
    let o = run(d, &["index", "stats", "--index", "news.ndx"]);
    assert!(out(&o).contains("articles: 50 "), "{}", out(&o));
    let o = run(d, &["index", "verify", "--index", "news.ndx"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
}

#[test]
fn build_refuses_to_overwrite_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    build(d);
    let o = run(d, &["index", "build", "base.jsonl", "--index", "news.ndx"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("already exists"), "{}", err(&o));
    std::fs::write(d.join("small.jsonl"), line("only", &story(3, 50)) + "\n").unwrap();
    // Leftovers of a killed build (a process number no system uses) and
    // of another index once at this path; and the catalogue of a build
    // still running (process 1 always runs), which must be kept.
    let dead = [
        ".news.ndx.999999999.tmp",
        ".news.ndx.999999999.tmp-wal",
        "news.ndx.0123456789abcdef.1.seg.tmp",
        "news.ndx.0123456789abcdef.1.seg.tmp.heap",
    ];
    for f in dead.iter().chain([&".news.ndx.1.tmp"]) {
        std::fs::write(d.join(f), b"x").unwrap();
    }
    let o = run(
        d,
        &[
            "index",
            "build",
            "small.jsonl",
            "--index",
            "news.ndx",
            "--force",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let o = run(d, &["index", "stats", "--index", "news.ndx"]);
    assert!(out(&o).contains("articles: 1 "), "{}", out(&o));
    // No temporary files are left behind but the running build's, and
    // one segment file remains.
    let names: Vec<String> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp") || n.ends_with(".seg"))
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.contains(&".news.ndx.1.tmp".to_string()), "{names:?}");
    assert!(names.iter().any(|n| n.ends_with(".1.seg")), "{names:?}");
}

#[test]
fn duplicate_ids_error_skip_update() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    build(d);
    // s3 again, with other text.
    std::fs::write(d.join("dup.jsonl"), line("s3", &story(3000, 100)) + "\n").unwrap();
    let o = run(d, &["index", "add", "dup.jsonl", "--index", "news.ndx"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("\"s3\" is already in the index"),
        "{}",
        err(&o)
    );
    assert!(err(&o).contains("dup.jsonl:1"), "{}", err(&o));
    std::fs::write(d.join("q.txt"), story(3000, 100)).unwrap();
    std::fs::write(d.join("old.txt"), story(3, 120)).unwrap();
    let check = |f: &str| {
        run(
            d,
            &["check", f, "--index", "news.ndx", "--fail-on", "duplicate"],
        )
        .status
        .code()
    };
    assert_eq!(check("q.txt"), Some(0));
    let add_dup = |policy: &str| {
        run(
            d,
            &[
                "index",
                "add",
                "dup.jsonl",
                "--index",
                "news.ndx",
                "--on-duplicate",
                policy,
            ],
        )
    };

    let o = add_dup("skip");
    assert_eq!(o.status.code(), Some(0));
    assert!(
        err(&o).contains("1 skipped as already indexed"),
        "{}",
        err(&o)
    );
    assert_eq!(check("q.txt"), Some(0));
    assert_eq!(check("old.txt"), Some(1));

    let o = add_dup("update");
    assert_eq!(o.status.code(), Some(0));
    assert!(err(&o).contains("1 updated"), "{}", err(&o));
    assert_eq!(check("q.txt"), Some(1));
    assert_eq!(check("old.txt"), Some(0));
    let o = run(d, &["index", "stats", "--index", "news.ndx"]);
    assert!(out(&o).contains("articles: 50 "), "{}", out(&o));
    let o = run(d, &["index", "verify", "--index", "news.ndx"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));

    // The same id twice in one build input.
    std::fs::write(
        d.join("twice.jsonl"),
        [line("a", &story(1, 60)), line("a", &story(2, 60))].join("\n"),
    )
    .unwrap();
    let o = run(d, &["index", "build", "twice.jsonl", "--index", "t.ndx"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!d.join("t.ndx").exists());
}

#[test]
fn check_output_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Many overlapping copies so that ties and ordering matter.
    let mut lines = Vec::new();
    for i in 0..300 {
        let base = story(i % 7, 150);
        let words: Vec<&str> = base.split(' ').collect();
        let cut = 100 + (i * 13) % 50;
        lines.push(line(&format!("c{i}"), &words[..cut].join(" ")));
    }
    std::fs::write(d.join("c.jsonl"), lines.join("\n") + "\n").unwrap();
    let o = run(d, &["index", "build", "c.jsonl", "--index", "c.ndx"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let mut outs = Vec::new();
    for threads in ["1", "2", "2"] {
        let o = Command::new(BIN)
            .args([
                "check",
                "c.jsonl",
                "--index",
                "c.ndx",
                "--format",
                "jsonl",
                "--batch-size",
                "100",
                "--metric",
                "containment",
                "--top",
                "7",
            ])
            .env("RAYON_NUM_THREADS", threads)
            .current_dir(d)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", err(&o));
        outs.push(out(&o));
    }
    assert_eq!(outs[0], outs[1]);
    assert_eq!(outs[1], outs[2]);
    assert_eq!(outs[0].lines().count(), 300);
}

#[test]
fn bad_arguments_and_missing_index() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    build(d);
    std::fs::write(d.join("a.txt"), story(1, 50)).unwrap();
    let o = run(d, &["check", "a.txt", "--index", "missing.ndx"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("missing.ndx: no index here"),
        "{}",
        err(&o)
    );
    let o = run(
        d,
        &[
            "check",
            "a.txt",
            "--index",
            "news.ndx",
            "--threshold",
            "0.2",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("below the lowest Jaccard threshold"),
        "{}",
        err(&o)
    );
    let o = run(d, &["index", "add", "a.txt", "--index", "missing.ndx"]);
    assert_eq!(o.status.code(), Some(2));
    // A file that is not an index.
    let o = run(d, &["check", "a.txt", "--index", "base.jsonl"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("base.jsonl: corrupt or unreadable: not a neardiff index"),
        "{}",
        err(&o)
    );
}

/// Copies of 30 stories, six each, every copy with its own edits (so that
/// scores differ and buckets hold several articles).
fn copies(first: usize, count: usize) -> Vec<String> {
    (first..first + count)
        .map(|i| {
            let (s, v) = (i / 6, i % 6);
            let words: Vec<String> = story(s, 100)
                .split(' ')
                .enumerate()
                .map(|(j, w)| {
                    if j % 30 == v * 5 {
                        format!("{w}v{v}")
                    } else {
                        w.to_string()
                    }
                })
                .collect();
            line(&format!("c{i}"), &words.join(" "))
        })
        .collect()
}

#[test]
fn index_added_in_many_batches_answers_as_one_build() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let all = copies(0, 180);
    std::fs::write(d.join("all.jsonl"), all.join("\n") + "\n").unwrap();
    std::fs::write(d.join("head.jsonl"), all[..20].join("\n") + "\n").unwrap();
    std::fs::write(d.join("tail.jsonl"), all[20..].join("\n") + "\n").unwrap();
    let ok = |args: &[&str]| {
        let o = run(d, args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", err(&o));
        out(&o)
    };
    ok(&["index", "build", "all.jsonl", "--index", "one.ndx"]);
    ok(&["index", "build", "head.jsonl", "--index", "many.ndx"]);
    // Batches of 7: 23 segments written, merged as they come.
    ok(&[
        "index",
        "add",
        "tail.jsonl",
        "--index",
        "many.ndx",
        "--batch-size",
        "7",
    ]);
    // The same removals and replacements on both.
    let again = copies(40, 12).join("\n") + "\n";
    std::fs::write(d.join("again.jsonl"), again).unwrap();
    for ix in ["one.ndx", "many.ndx"] {
        ok(&["index", "remove", "c3", "c100", "c177", "--index", ix]);
        ok(&[
            "index",
            "add",
            "again.jsonl",
            "--index",
            ix,
            "--on-duplicate",
            "update",
            "--batch-size",
            "5",
        ]);
        ok(&["index", "verify", "--index", ix]);
    }
    let stats = |ix: &str| -> serde_json::Value {
        serde_json::from_str(&ok(&["index", "stats", "--index", ix, "--format", "json"])).unwrap()
    };
    let (one, many) = (stats("one.ndx"), stats("many.ndx"));
    assert!(many["removed_pending"].as_u64().unwrap() > 0, "{many}");
    assert_eq!(one["articles"], 177);
    assert!(many["segments"].as_u64().unwrap() > 1, "{many}");
    assert_eq!(one["articles"], many["articles"]);
    assert_eq!(
        one["articles_without_words"],
        many["articles_without_words"]
    );
    // Every query, with every match listed: the same answers.
    std::fs::write(d.join("q.jsonl"), copies(170, 30).join("\n") + "\n").unwrap();
    let check = |ix: &str, metric: &str| {
        ok(&[
            "check", "q.jsonl", "--index", ix, "--top", "100", "--metric", metric, "--format",
            "jsonl", "-q",
        ])
    };
    for metric in ["jaccard", "containment"] {
        let a = check("one.ndx", metric);
        assert!(a.matches("\"id\":\"c").count() > 60, "{a}");
        assert_eq!(a, check("many.ndx", metric), "{metric}");
    }
    // Compacted into one segment without the removed articles' data: the
    // same answers, and the same bucket entries on both.
    let before = check("many.ndx", "jaccard");
    ok(&["index", "compact", "--index", "many.ndx"]);
    ok(&["index", "compact", "--index", "one.ndx"]);
    ok(&["index", "verify", "--index", "many.ndx"]);
    let (one, many) = (stats("one.ndx"), stats("many.ndx"));
    assert_eq!(many["segments"], 1, "{many}");
    assert_eq!(many["removed_pending"], 0, "{many}");
    assert_eq!(one["band_entries"], many["band_entries"]);
    assert_eq!(before, check("many.ndx", "jaccard"));
    let files = std::fs::read_dir(d)
        .unwrap()
        .filter(|e| {
            let n = e.as_ref().unwrap().file_name();
            let n = n.to_string_lossy();
            n.starts_with("many.ndx.") && n.contains(".seg")
        })
        .count();
    assert_eq!(files, 1, "old segment files left behind");
}

#[test]
fn index_of_an_older_schema_asks_for_a_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    build(d);
    let conn = rusqlite::Connection::open(d.join("news.ndx")).unwrap();
    conn.execute(
        "UPDATE meta SET value = '1' WHERE key = 'schema_version'",
        [],
    )
    .unwrap();
    drop(conn);
    std::fs::write(d.join("q.txt"), story(7, 120)).unwrap();
    for args in [
        &["check", "q.txt", "--index", "news.ndx"][..],
        &["index", "add", "base.jsonl", "--index", "news.ndx"],
        &["index", "stats", "--index", "news.ndx"],
    ] {
        let o = run(d, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let e = err(&o);
        assert!(
            e.contains("schema version 1 is not supported")
                && e.contains("neardiff index build --force"),
            "{e}"
        );
        assert_eq!(e.trim().lines().count(), 1, "{e}");
    }
}

/// One `neardiff.check/2` JSON Lines record, every field pinned.
#[derive(serde::Deserialize, Debug)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct CheckLine {
    schema: String,
    id: String,
    source: String,
    line: Option<usize>,
    num_shingles: u32,
    words: u32,
    too_short: bool,
    verdict: Option<String>,
    flagged: bool,
    candidates: usize,
    matches: Vec<serde_json::Value>,
}

/// Empty and stub articles are not indexed (counted in the summary), and
/// a stub to check is answered "too short to check" in every format, never
/// a duplicate of a stub already in the index (one indexed with a lower
/// `--min-words`), and never fails the check.
#[test]
fn stubs_are_not_indexed_and_too_short_to_check() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let stub = "View comments on this story";
    let lines = [
        line("s1", &story(1, 120)),
        line("empty", ""),
        line("minus", "-1"),
        line("stub", stub),
        line("s2", &story(2, 120)),
    ];
    std::fs::write(d.join("scraped.jsonl"), lines.join("\n") + "\n").unwrap();
    let o = run(
        d,
        &["index", "build", "scraped.jsonl", "--index", "news.ndx"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(
        err(&o).contains(
            "2 added, 0 updated, 0 skipped as already indexed, 3 too short (not indexed)"
        ),
        "{}",
        err(&o)
    );
    let stats = run(d, &["index", "stats", "--index", "news.ndx"]);
    assert!(out(&stats).contains("articles: 2 "), "{}", out(&stats));
    let o = run(
        d,
        &[
            "index",
            "add",
            "scraped.jsonl",
            "--index",
            "news.ndx",
            "--on-duplicate",
            "update",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(
        err(&o).contains(
            "0 added, 2 updated, 0 skipped as already indexed, 3 too short (not indexed)"
        ),
        "{}",
        err(&o)
    );
    // An index that took the 5-word stub (a lower minimum).
    let o = run(
        d,
        &[
            "index",
            "build",
            "scraped.jsonl",
            "--index",
            "low.ndx",
            "--min-words",
            "4",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(err(&o).contains("3 added"), "{}", err(&o));

    std::fs::write(
        d.join("new.jsonl"),
        [
            line("n-empty", ""),
            line("n-stub", stub),
            line("n-s1", &story(1, 120)),
        ]
        .join("\n"),
    )
    .unwrap();
    let check = |format: &str| {
        run(
            d,
            &[
                "check",
                "new.jsonl",
                "--index",
                "low.ndx",
                "--fail-on",
                "partial",
                "--format",
                format,
            ],
        )
    };
    let o = check("text");
    assert_eq!(o.status.code(), Some(1), "s1 is flagged: {}", err(&o));
    let text = out(&o);
    let text: Vec<&str> = text.lines().collect();
    assert_eq!(
        text[0],
        "too short to check: new.jsonl:1 (id n-empty) (0 words)"
    );
    assert_eq!(
        text[1],
        "too short to check: new.jsonl:2 (id n-stub) (5 words)"
    );
    assert!(
        text[2].starts_with("duplicate: new.jsonl:3 (id n-s1) duplicates s1"),
        "{text:?}"
    );
    assert!(
        err(&o).contains("1 duplicate, 0 near-duplicate, 0 partial, 0 related, 0 without match, 2 too short to check (fewer than 15 words); 1 flagged"),
        "{}",
        err(&o)
    );
    let o = check("jsonl");
    let recs: Vec<CheckLine> = out(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(recs.len(), 3);
    for r in &recs[..2] {
        assert!(r.too_short && !r.flagged && r.verdict.is_none(), "{r:?}");
        assert!(r.matches.is_empty() && r.candidates == 0 && r.num_shingles == 0);
    }
    assert_eq!((recs[0].words, recs[1].words), (0, 5));
    assert!(!recs[2].too_short && recs[2].flagged && recs[2].words == 120);
    let o = check("json");
    let doc: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(doc["summary"]["too_short"], 2);
    assert_eq!(doc["summary"]["without_words"], 1);
    assert_eq!(doc["summary"]["no_match"], 0);
    assert_eq!(doc["results"][1]["too_short"], true);

    // The stub alone does not fail the check; it is not added either.
    let o = run(
        d,
        &[
            "check",
            "new.jsonl",
            "--index",
            "low.ndx",
            "--fail-on",
            "duplicate",
            "--add",
            "--on-duplicate",
            "skip",
        ],
    );
    assert!(
        err(&o).contains("added to the index: 1 new, 0 updated, 0 skipped as already indexed, 2 too short (not added)"),
        "{}",
        err(&o)
    );
    std::fs::write(d.join("stub.txt"), stub).unwrap();
    let o = run(
        d,
        &[
            "check",
            "stub.txt",
            "--index",
            "low.ndx",
            "--fail-on",
            "duplicate",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(out(&o), "too short to check: stub.txt (5 words)\n");
    // With the minimum of the index it is checked, and found.
    let o = run(
        d,
        &[
            "check",
            "stub.txt",
            "--index",
            "low.ndx",
            "--fail-on",
            "duplicate",
            "--min-words",
            "4",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let o = run(
        d,
        &[
            "check",
            "stub.txt",
            "--index",
            "low.ndx",
            "--min-words",
            "2",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        err(&o).trim(),
        "neardiff: error: --min-words must be at least the shingle size (4), got 2"
    );
}

/// An article without an outlet is indexed with its URL's host, which
/// `check` shows with the match; a given outlet wins.
#[test]
fn outlet_from_the_url_host() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let rec = |id: &str, seed: usize, extra: serde_json::Value| {
        let mut v = serde_json::json!({"id": id, "date": "2025-03-01", "text": story(seed, 120)});
        v.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        v.to_string()
    };
    let lines = [
        rec(
            "a",
            1,
            serde_json::json!({"link": "https://user@WWW.BBC.co.uk:443/news/x"}),
        ),
        rec(
            "b",
            2,
            serde_json::json!({"link": "https://www.bbc.co.uk/news/y", "outlet": "BBC News"}),
        ),
        rec("c", 3, serde_json::json!({"link": "www.cnn.com/no-scheme"})),
    ];
    std::fs::write(d.join("feed.jsonl"), lines.join("\n") + "\n").unwrap();
    let o = run(
        d,
        &[
            "index",
            "build",
            "feed.jsonl",
            "--index",
            "n.ndx",
            "--url-field",
            "link",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let o = run(
        d,
        &["check", "feed.jsonl", "--index", "n.ndx", "--top", "1"],
    );
    let text = out(&o);
    let firsts: Vec<&str> = text.lines().collect();
    assert!(
        firsts[0].contains("duplicates a [bbc.co.uk, 2025-03-01]"),
        "{text}"
    );
    assert!(
        firsts[1].contains("duplicates b [BBC News, 2025-03-01]"),
        "{text}"
    );
    assert!(firsts[2].contains("duplicates c [2025-03-01]"), "{text}");
}
