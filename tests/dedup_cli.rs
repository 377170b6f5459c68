//! Runs `neardiff dedup` on small corpora written to temporary directories.

use std::path::Path;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_neardiff");

/// A wire story of about 80 words.
fn story(seed: usize) -> String {
    (0..80)
        .map(|i| format!("word{}", (seed * 7919 + i * 31) % 5003))
        .collect::<Vec<_>>()
        .join(" ")
}

fn jsonl_line(id: &str, date: &str, text: &str) -> String {
    serde_json::json!({"id": id, "date": date, "text": text}).to_string()
}

fn dedup(args: &[&str], dir: &Path) -> Output {
    Command::new(BIN)
        .arg("dedup")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run neardiff")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// Three copies of story 1 (one with a word changed, one with a sentence
/// added), two of story 2, and an unrelated story 3.
fn write_corpus(dir: &Path) {
    let s1 = story(1);
    let s1_edit = s1.replacen("word", "changed", 1);
    let s1_long = format!("{s1} and then officials added a short remark");
    let s2 = story(2);
    let lines = [
        jsonl_line("c", "2025-03-02", &s1),
        jsonl_line("b", "2025-03-01", &s1_edit),
        jsonl_line("e", "2025-03-05", &s2),
        jsonl_line("a", "2025-03-03", &s1_long),
        jsonl_line("f", "2025-03-04", &s2),
        jsonl_line("g", "2025-03-04", &story(3)),
    ];
    std::fs::write(dir.join("corpus.jsonl"), lines.join("\n") + "\n").unwrap();
}

#[derive(serde::Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct ClusterLine {
    representative: String,
    size: usize,
    members: Vec<MemberLine>,
}

#[derive(serde::Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct MemberLine {
    id: String,
    score: f64,
    metric: String,
}

#[derive(serde::Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct PairLine {
    a: String,
    b: String,
    jaccard: Option<f64>,
    minhash_jaccard: f64,
    containment_a_in_b: Option<f64>,
    containment_b_in_a: Option<f64>,
}

#[test]
fn clusters_with_earliest_representative() {
    let dir = tempfile::tempdir().unwrap();
    write_corpus(dir.path());
    let o = dedup(&["corpus.jsonl"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let clusters: Vec<ClusterLine> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(clusters.len(), 2, "{}", stdout(&o));
    let c = &clusters[0];
    assert_eq!((c.representative.as_str(), c.size), ("b", 3));
    let ids: Vec<&str> = c.members.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["b", "a", "c"]);
    assert_eq!(c.members[0].score, 1.0);
    assert!(
        c.members
            .iter()
            .all(|m| m.metric == "jaccard" && m.score >= 0.5)
    );
    let c = &clusters[1];
    assert_eq!((c.representative.as_str(), c.size), ("f", 2));
    assert_eq!(c.members[1].score, 1.0);
    let err = stderr(&o);
    assert!(err.contains("6 documents"), "{err}");
    assert!(err.contains("2 clusters, 3 duplicates"), "{err}");
}

#[test]
fn pairs_and_csv() {
    let dir = tempfile::tempdir().unwrap();
    write_corpus(dir.path());
    let o = dedup(&["--pairs", "corpus.jsonl"], dir.path());
    assert!(o.status.success());
    let pairs: Vec<PairLine> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(pairs.len(), 4);
    assert_eq!((pairs[0].a.as_str(), pairs[0].b.as_str()), ("c", "b"));
    for p in &pairs {
        assert!(p.jaccard.unwrap() >= 0.5);
        assert!(p.minhash_jaccard > 0.3);
        assert!(p.containment_a_in_b.is_some() && p.containment_b_in_a.is_some());
    }
    let o = dedup(&["--format", "csv", "corpus.jsonl"], dir.path());
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "cluster,id,representative,score,metric");
    assert_eq!(lines[1], "1,b,b,1,jaccard");
    assert_eq!(lines.len(), 6);
    // --no-verify: estimates only, exact scores null.
    let o = dedup(&["--pairs", "--no-verify", "corpus.jsonl"], dir.path());
    let pairs: Vec<PairLine> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!pairs.is_empty() && pairs.iter().all(|p| p.jaccard.is_none()));
}

#[test]
fn malformed_line_fails_without_output() {
    let dir = tempfile::tempdir().unwrap();
    write_corpus(dir.path());
    let mut text = std::fs::read_to_string(dir.path().join("corpus.jsonl")).unwrap();
    text.push_str("{\"id\": \"x\", \"text\": \n");
    text.push_str(&jsonl_line("y", "2025-01-01", &story(9)));
    std::fs::write(dir.path().join("corpus.jsonl"), text).unwrap();
    let o = dedup(&["corpus.jsonl", "--output", "out.jsonl"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("corpus.jsonl:7: "), "{err}");
    assert!(!dir.path().join("out.jsonl").exists());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temp file left"
    );

    let o = dedup(
        &["corpus.jsonl", "--skip-invalid", "--output", "out.jsonl"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("7 documents (1 invalid skipped"), "{err}");
    assert!(err.contains("corpus.jsonl:7: "), "{err}");
    let out = std::fs::read_to_string(dir.path().join("out.jsonl")).unwrap();
    assert_eq!(out.lines().count(), 2);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

/// A NUL byte is binary data on a file's first line, and a JSON error on
/// any later line: either way the file and line are named, exit code 2.
#[test]
fn nul_byte_in_jsonl_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let good = format!("{}\n", jsonl_line("a", "2025-01-01", &story(1)));
    // A raw NUL byte inside the string (not the escape `\u0000`).
    let bad = "{\"id\": \"b\", \"text\": \"one two\u{0}three four\"}\n".to_string();
    for (text, line, what) in [
        (format!("{good}{bad}"), 2, "control character"),
        (format!("{bad}{good}"), 1, "binary"),
    ] {
        std::fs::write(dir.path().join("nul.jsonl"), text).unwrap();
        let o = dedup(&["nul.jsonl", "--output", "out.jsonl"], dir.path());
        assert_eq!(o.status.code(), Some(2));
        let err = stderr(&o);
        assert!(err.contains(&format!("nul.jsonl:{line}: ")), "{err}");
        assert!(err.contains(what), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(!dir.path().join("out.jsonl").exists());
    }
}

#[test]
fn directories_text_files_and_field_names() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("in");
    std::fs::create_dir_all(root.join("sub")).unwrap();
    std::fs::write(
        root.join("one.txt"),
        format!("Date: 2025-01-02\n\n{}", story(4)),
    )
    .unwrap();
    std::fs::write(
        root.join("sub/two.txt"),
        format!("Date: 2025-01-01\n\n{}", story(4)),
    )
    .unwrap();
    std::fs::write(
        root.join("sub/three.json"),
        serde_json::json!({"body": story(4), "uid": "json-3"}).to_string(),
    )
    .unwrap();
    std::fs::write(root.join("skip.md"), story(4)).unwrap();
    let o = dedup(
        &["in", "--text-field", "body", "--id-field", "uid"],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let c: ClusterLine = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(c.representative, "two");
    let ids: Vec<&str> = c.members.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["two", "json-3", "one"]);
}

#[test]
fn stdin_and_missing_ids() {
    let dir = tempfile::tempdir().unwrap();
    let input = format!(
        "{}\n{}\n",
        serde_json::json!({"text": story(5)}),
        serde_json::json!({"text": story(5)})
    );
    let mut child = Command::new(BIN)
        .args(["dedup", "-", "--format", "csv"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "cluster,id,representative,score,metric\n1,stdin:1,stdin:1,1,jaccard\n1,stdin:2,stdin:1,1,jaccard\n"
    );
}

#[test]
fn containment_finds_trimmed_copies() {
    let dir = tempfile::tempdir().unwrap();
    let full: Vec<String> = (0..200).map(|i| format!("w{}", (i * 37) % 1009)).collect();
    let trimmed = full[..70].join(" ");
    let lines = [
        jsonl_line("full", "2025-01-01", &full.join(" ")),
        jsonl_line("trim", "2025-01-02", &trimmed),
    ];
    std::fs::write(dir.path().join("c.jsonl"), lines.join("\n")).unwrap();
    let o = dedup(&["c.jsonl"], dir.path());
    assert_eq!(stdout(&o), "", "Jaccard is about 0.35: no cluster");
    let o = dedup(
        &["c.jsonl", "--metric", "containment", "--explain"],
        dir.path(),
    );
    assert!(o.status.success());
    let c: ClusterLine = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(c.members[1].id, "trim");
    assert_eq!(c.members[1].score, 1.0);
    assert_eq!(c.members[1].metric, "containment");
    let err = stderr(&o);
    assert!(
        err.contains("bands x") && err.contains("implies Jaccard"),
        "{err}"
    );
}

#[test]
fn bad_arguments_and_paths() {
    let dir = tempfile::tempdir().unwrap();
    let o = dedup(&["nope.jsonl"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("nope.jsonl: no such file"),
        "{}",
        stderr(&o)
    );
    write_corpus(dir.path());
    let o = dedup(&["corpus.jsonl", "--threshold", "1.5"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--threshold"));
    let o = dedup(&["corpus.jsonl", "--fail-on-duplicates"], dir.path());
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn output_identical_across_thread_counts() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = Vec::new();
    for i in 0..600 {
        let base = story(i % 150);
        let text = if i >= 150 {
            base.replacen("word", &format!("x{i}"), 1 + i % 3)
        } else {
            base
        };
        lines.push(jsonl_line(
            &format!("id{i}"),
            &format!("2025-01-{:02}", 1 + i % 28),
            &text,
        ));
    }
    std::fs::write(dir.path().join("big.jsonl"), lines.join("\n")).unwrap();
    let run = |threads: &str| {
        let o = Command::new(BIN)
            .args(["dedup", "big.jsonl", "--threads", threads])
            .env("RAYON_NUM_THREADS", threads)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(o.status.success());
        o.stdout
    };
    let one = run("1");
    assert!(one.len() > 10_000);
    assert_eq!(one, run("2"));
}

#[test]
fn wordless_articles_and_bad_json_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("dots.txt"), "... !!! ---").unwrap();
    std::fs::write(dir.path().join("dots2.txt"), "... !!! ---").unwrap();
    std::fs::write(dir.path().join("s.txt"), story(1)).unwrap();
    let o = dedup(&["dots.txt", "dots2.txt", "s.txt"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "", "articles without words are never clustered");
    assert!(stderr(&o).contains("3 documents (0 invalid skipped, 2 too short)"));
    std::fs::write(dir.path().join("bad.json"), "{\"text\": \"a\",\n \"id\": }").unwrap();
    let o = dedup(&["s.txt", "bad.json"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("bad.json: malformed JSON at line 2"), "{err}");
}

/// Gzip-compressed JSON Lines (`.jsonl.gz`, also inside directories) give
/// the clusters of the plain file; ids default to the name without `.gz`;
/// a damaged stream is one error line naming the file and line, exit 2,
/// and no output.
#[test]
fn gzip_json_lines() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    write_corpus(dir.path());
    let plain = std::fs::read(dir.path().join("corpus.jsonl")).unwrap();
    let gz = |bytes: &[u8]| {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    };
    let packed = gz(&plain);
    std::fs::create_dir(dir.path().join("gz")).unwrap();
    std::fs::write(dir.path().join("gz/corpus.jsonl.gz"), &packed).unwrap();
    let want = dedup(&["corpus.jsonl"], dir.path());
    assert!(want.status.success(), "{}", stderr(&want));
    for arg in ["gz/corpus.jsonl.gz", "gz"] {
        let got = dedup(&[arg], dir.path());
        assert!(got.status.success(), "{arg}: {}", stderr(&got));
        assert_eq!(stdout(&got), stdout(&want), "{arg}");
    }

    // Lines without ids are named after the file without `.gz`.
    let line = serde_json::json!({"text": story(9)}).to_string();
    let anonymous = format!("{line}\n{line}\n");
    std::fs::write(dir.path().join("anon.jsonl.gz"), gz(anonymous.as_bytes())).unwrap();
    let o = dedup(&["anon.jsonl.gz", "--format", "csv"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("anon:1,anon:1"), "{}", stdout(&o));
    assert!(stdout(&o).contains("anon:2,anon:1"), "{}", stdout(&o));

    // A cut-off stream and a file that is not gzip at all.
    std::fs::write(dir.path().join("cut.jsonl.gz"), &packed[..packed.len() / 2]).unwrap();
    std::fs::write(dir.path().join("fake.jsonl.gz"), &plain).unwrap();
    for name in ["cut.jsonl.gz", "fake.jsonl.gz"] {
        let o = dedup(&[name, "-o", "out.jsonl"], dir.path());
        assert_eq!(o.status.code(), Some(2), "{name}");
        let err = stderr(&o);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(&format!("{name}:")), "{err}");
        assert!(!dir.path().join("out.jsonl").exists());
    }
}

#[derive(serde::Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
struct TooShortLine {
    id: String,
    words: u32,
    reason: String,
}

/// What a scraped corpus holds besides stories: empty texts, scrape
/// failures whose whole text is `-1`, two-word stubs, each several times
/// over (identical stubs, which used to cluster at Jaccard 1.0), plus one
/// real pair of copies.
fn write_stub_corpus(dir: &Path) {
    let s1 = story(1);
    let lines = [
        jsonl_line("s1", "2025-03-01", &s1),
        jsonl_line("empty1", "2025-03-01", ""),
        jsonl_line("minus1", "2025-03-01", "-1"),
        jsonl_line("view1", "2025-03-02", "View Comments"),
        jsonl_line("empty2", "2025-03-02", "   "),
        jsonl_line("minus2", "2025-03-02", "-1"),
        jsonl_line("s1copy", "2025-03-02", &s1.replacen("word", "other", 1)),
        jsonl_line("view2", "2025-03-03", "View Comments"),
        jsonl_line(
            "fourteen",
            "2025-03-03",
            "one two three four five six seven eight nine ten eleven twelve thirteen fourteen",
        ),
        jsonl_line(
            "fourteen2",
            "2025-03-03",
            "one two three four five six seven eight nine ten eleven twelve thirteen fourteen",
        ),
    ];
    std::fs::write(dir.join("scraped.jsonl"), lines.join("\n") + "\n").unwrap();
}

/// Empty and stub articles are counted, named and listed, never clustered
/// and never an error, with either metric and with `--pairs`.
#[test]
fn empty_and_stub_articles_are_too_short_not_errors() {
    let dir = tempfile::tempdir().unwrap();
    write_stub_corpus(dir.path());
    for metric in ["jaccard", "containment"] {
        let o = dedup(
            &[
                "scraped.jsonl",
                "--metric",
                metric,
                "--too-short",
                "short.jsonl",
            ],
            dir.path(),
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let clusters: Vec<ClusterLine> = stdout(&o)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(clusters.len(), 1, "{}", stdout(&o));
        let ids: Vec<&str> = clusters[0].members.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["s1", "s1copy"]);
        let err = stderr(&o);
        assert!(
            err.contains("10 documents (0 invalid skipped, 8 too short), 1 clusters"),
            "{err}"
        );
        assert!(
            err.contains(
                "too short (fewer than 15 words, or nearly all boilerplate), never clustered: empty1 (0 words), minus1 (1 word), view1 (2 words)"
            ),
            "{err}"
        );
        let listed: Vec<TooShortLine> = std::fs::read_to_string(dir.path().join("short.jsonl"))
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let expected = [
            ("empty1", 0),
            ("minus1", 1),
            ("view1", 2),
            ("empty2", 0),
            ("minus2", 1),
            ("view2", 2),
            ("fourteen", 14),
            ("fourteen2", 14),
        ]
        .map(|(id, words)| TooShortLine {
            id: id.into(),
            words,
            reason: "words".into(),
        });
        assert_eq!(listed, expected);
    }
    let o = dedup(&["scraped.jsonl", "--pairs"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let pairs: Vec<PairLine> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(pairs.len(), 1, "{}", stdout(&o));
    assert_eq!((pairs[0].a.as_str(), pairs[0].b.as_str()), ("s1", "s1copy"));
}

/// `--min-words` moves the line (the identical 14-word texts cluster at
/// 14, not at 15), may not go below the shingle size, and its default
/// follows the shingle size; a file with no too-short article is written
/// empty.
#[test]
fn min_words_option() {
    let dir = tempfile::tempdir().unwrap();
    write_stub_corpus(dir.path());
    let o = dedup(&["scraped.jsonl", "--min-words", "14"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), 2, "{}", stdout(&o));
    assert!(stdout(&o).contains(r#""representative":"fourteen""#));
    assert!(stderr(&o).contains("6 too short"), "{}", stderr(&o));

    let o = dedup(&["scraped.jsonl", "--min-words", "3"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o).trim(),
        "neardiff: error: --min-words must be at least the shingle size (4), got 3"
    );
    // Shingles of 2 words: at least 7 words by default; 1-word texts are
    // still too short at --min-words 2.
    let o = dedup(&["scraped.jsonl", "--shingle-size", "2"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("fewer than 7 words"), "{}", stderr(&o));
    assert!(stderr(&o).contains("6 too short"), "{}", stderr(&o));

    std::fs::write(
        dir.path().join("clean.jsonl"),
        jsonl_line("a", "2025-01-01", &story(1)) + "\n",
    )
    .unwrap();
    let o = dedup(&["clean.jsonl", "--too-short", "none.jsonl"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("none.jsonl")).unwrap(),
        ""
    );
    assert!(!stderr(&o).contains("never clustered"), "{}", stderr(&o));
}

/// Empty text is no longer malformed, but a missing or non-string text
/// field still is (exit 2, unless --skip-invalid).
#[test]
fn malformed_records_still_fail() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bad) in [
        ("missing", r#"{"id":"x","title":"no text"}"#),
        ("number", r#"{"id":"x","text":12}"#),
        ("json", r#"{"id":"x","text":"#),
    ] {
        let text = format!("{}\n{bad}\n", jsonl_line("e", "2025-01-01", ""));
        std::fs::write(dir.path().join(format!("{name}.jsonl")), text).unwrap();
        let file = format!("{name}.jsonl");
        let o = dedup(&[&file], dir.path());
        assert_eq!(o.status.code(), Some(2), "{name}: {}", stderr(&o));
        assert!(
            stderr(&o).contains(&format!("{file}:2: ")),
            "{}",
            stderr(&o)
        );
        let o = dedup(&[&file, "--skip-invalid"], dir.path());
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("1 documents (1 invalid skipped, 1 too short)"),
            "{}",
            stderr(&o)
        );
    }
}

#[test]
fn via_names_the_pair_that_brought_each_member_in() {
    // A chain of edits: v0 -> v1 -> v2, each with every twelfth word
    // changed (Jaccard about 0.5 to the one before, 0.2 from v0 to v2), so
    // v2 is below the threshold against v0 and comes in through v1.
    let dir = tempfile::tempdir().unwrap();
    let base: Vec<String> = story(7).split(' ').map(String::from).collect();
    let edit = |v: &[String], from: usize| -> Vec<String> {
        let mut v = v.to_vec();
        for i in (from..v.len()).step_by(12) {
            v[i] = format!("new{i}x{from}");
        }
        v
    };
    let v1 = edit(&base, 0);
    let v2 = edit(&v1, 6);
    let lines = [
        jsonl_line("v0", "2024-01-01", &base.join(" ")),
        jsonl_line("v1", "2024-01-02", &v1.join(" ")),
        jsonl_line("v2", "2024-01-03", &v2.join(" ")),
        jsonl_line("other", "2024-01-01", &story(8)),
    ];
    std::fs::write(dir.path().join("c.jsonl"), lines.join("\n") + "\n").unwrap();
    let plain = dedup(&["-q", "--threshold", "0.4", "c.jsonl"], dir.path());
    assert!(!stdout(&plain).contains("via"), "{}", stdout(&plain));
    let o = dedup(
        &["-q", "--threshold", "0.4", "--via", "c.jsonl"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let line: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    let members = line["members"].as_array().unwrap();
    assert_eq!(members.len(), 3);
    assert!(members[0].get("via").is_none());
    let by_id = |id: &str| members.iter().find(|m| m["id"] == id).unwrap();
    assert!(by_id("v2")["score"].as_f64().unwrap() < 0.4, "{line}");
    assert_eq!(by_id("v1")["via"]["id"], "v0");
    assert_eq!(by_id("v2")["via"]["id"], "v1");
    assert!(by_id("v2")["via"]["score"].as_f64().unwrap() >= 0.4);
    // As CSV.
    let o = dedup(
        &[
            "-q",
            "--threshold",
            "0.4",
            "--via",
            "--format",
            "csv",
            "c.jsonl",
        ],
        dir.path(),
    );
    let csv = stdout(&o);
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(
        rows[0],
        "cluster,id,representative,score,metric,via,via_score"
    );
    assert!(rows[1].starts_with("1,v0,v0,1,jaccard,,"), "{csv}");
    assert!(
        rows.iter()
            .any(|r| r.starts_with("1,v2,v0,") && r.contains(",jaccard,v1,")),
        "{csv}"
    );
}
