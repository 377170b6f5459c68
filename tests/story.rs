//! `neardiff story` on `samples/story-harbour-fire/`: the planted changes
//! listed in `samples/README.md` must come out, the text report is a golden
//! snapshot, the output does not depend on the thread count, and bad input
//! gets one clear error line.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn story_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/story-harbour-fire")
}

fn run(args: &[&str], threads: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_neardiff"));
    cmd.arg("story").args(args);
    if let Some(t) = threads {
        cmd.env("RAYON_NUM_THREADS", t);
    }
    cmd.output().expect("run neardiff")
}

fn json_of(extra: &[&str]) -> Value {
    let dir = story_dir();
    let mut args = vec!["--format", "json", dir.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = run(&args, None);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("JSON")
}

fn article<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["articles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id)
        .unwrap_or_else(|| panic!("no article {id}"))
}

/// The quote whose reference text starts with `start`.
fn quote<'a>(v: &'a Value, start: &str) -> &'a Value {
    v["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["text"].as_str().unwrap().starts_with(start))
        .unwrap_or_else(|| panic!("no quote {start}"))
}

#[test]
fn planted_changes_of_the_harbour_fire_story() {
    let v = json_of(&[]);
    assert_eq!(v["schema"], "neardiff.story/1");
    // The source is inferred: wire.txt ties with its verbatim copy on date
    // and text, and the outlets credit the wire's agency.
    assert_eq!(v["source"], "wire");
    let reason = v["source_reason"].as_str().unwrap();
    assert!(reason.contains("earliest date (2024-10-08)"), "{reason}");
    assert!(reason.contains("Coastline Press Agency"), "{reason}");
    assert_eq!(v["articles"][0]["id"], "wire");
    assert_eq!(v["articles"].as_array().unwrap().len(), 8);
    let n = v["passages"].as_array().unwrap().len() as u64;
    assert!(n >= 16, "{n} source passages");

    // outlet-copy: everything kept verbatim.
    let copy = article(&v, "outlet-copy");
    assert_eq!(copy["kept"], n);
    assert_eq!(
        (copy["reworded"].as_u64(), copy["dropped"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(copy["added"], 0);
    assert_eq!(copy["drift"], 0.0);

    // outlet-trimmed: P1–P8 kept, the second half (from P9, Tierney's
    // reopening) dropped.
    let trimmed = article(&v, "outlet-trimmed");
    assert_eq!(trimmed["reworded"], 0);
    let cut = v["passages"]
        .as_array()
        .unwrap()
        .iter()
        .position(|p| {
            p["text"]
                .as_str()
                .unwrap()
                .starts_with("Tierney said the harbour")
        })
        .unwrap();
    for (i, p) in v["passages"].as_array().unwrap().iter().enumerate() {
        let want = if i < cut { "kept" } else { "dropped" };
        assert_eq!(
            p["by_article"]["outlet-trimmed"]["status"],
            want,
            "P{}",
            i + 1
        );
    }

    // outlet-altered: Adeyemi's quote 'difficult' -> 'dangerous', 45 -> 54.
    let q = quote(&v, "This was one of the most difficult fires");
    assert_eq!(q["by_article"]["outlet-altered"], "altered");
    assert_eq!(q["by_article"]["outlet-copy"], "verbatim");
    assert_eq!(q["by_article"]["wire"], "verbatim");
    let diff = q["versions"]["outlet-altered"]["diff"].as_array().unwrap();
    assert!(
        diff.iter()
            .any(|d| d["op"] == "deleted" && d["text"] == "difficult")
    );
    assert!(
        diff.iter()
            .any(|d| d["op"] == "inserted" && d["text"] == "dangerous")
    );
    let facts: Vec<&Value> = v["facts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == "outlet-altered")
        .collect();
    assert!(facts.iter().any(|f| f["kind"] == "number"
        && f["source_value"]["text"] == "45 million"
        && f["article_value"]["text"] == "54 million"));
    assert_eq!(article(&v, "outlet-altered")["quotes_altered"], 1);

    // outlet-expanded: Adeyemi's second quote truncated, Marr's P13 quote
    // dropped, Brody's quote and the school closure added.
    let q = quote(&v, "The buildings were full of insulation panels");
    assert_eq!(q["by_article"]["outlet-expanded"], "partial");
    assert_eq!(
        quote(&v, "We will rebuild on Hallam Quay")["by_article"]["outlet-expanded"],
        "absent"
    );
    assert_eq!(
        quote(&v, "Everything in those three buildings")["by_article"]["outlet-expanded"],
        "verbatim"
    );
    let brody = quote(&v, "It was like fireworks");
    assert_eq!(brody["origin"], "outlet-expanded");
    assert_eq!(brody["by_article"]["wire"], "absent");
    assert_eq!(brody["speaker"], "Agnieszka Brody");
    let expanded = article(&v, "outlet-expanded");
    assert!(
        expanded["added_passages"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["text"]
                .as_str()
                .unwrap()
                .contains("Lower Quay Primary School"))
    );

    // outlet-reworded: everything reworded or kept, nothing dropped; the
    // quotes keep their words (merged quotes count as verbatim).
    let reworded = article(&v, "outlet-reworded");
    assert_eq!(reworded["dropped"], 0);
    assert!(reworded["reworded"].as_u64().unwrap() >= n / 2);
    assert_eq!(reworded["quotes_altered"], 0);
    assert_eq!(
        quote(&v, "Our first concern was the ammonia")["by_article"]["outlet-reworded"],
        "verbatim"
    );

    // outlet-reordered: all kept, some moved, background added.
    let reordered = article(&v, "outlet-reordered");
    assert_eq!(reordered["kept"], n);
    assert!(reordered["moved"].as_u64().unwrap() > 0);
    assert_eq!(reordered["added"], 2);

    // outlet-unrelated: listed, not related, left out of the tables.
    let unrelated = article(&v, "outlet-unrelated");
    assert_eq!(unrelated["related"], false);
    assert_eq!(unrelated["rank"], Value::Null);
    assert!(
        v["passages"][0]["by_article"]
            .get("outlet-unrelated")
            .is_none()
    );
    assert!(
        quote(&v, "This was one")["by_article"]
            .get("outlet-unrelated")
            .is_none()
    );

    // Ranking: the rewrite moved furthest, the copy least.
    assert_eq!(reworded["rank"], 1);
    assert_eq!(copy["rank"], 6);
}

#[test]
fn given_source_and_jsonl_input() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("feed.jsonl");
    let mut lines = String::new();
    for name in ["outlet-altered", "wire", "outlet-trimmed"] {
        let a = neardiff::read_article(&story_dir().join(format!("{name}.txt"))).unwrap();
        let mut obj = serde_json::json!({"text": a.text, "date": a.date});
        if name != "outlet-trimmed" {
            obj["id"] = name.into();
        }
        lines.push_str(&obj.to_string());
        lines.push('\n');
    }
    std::fs::write(&jsonl, lines).unwrap();
    let o = run(
        &[
            "--format",
            "json",
            "--source",
            "outlet-altered",
            jsonl.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["source"], "outlet-altered");
    assert!(v["source_reason"].as_str().unwrap().contains("--source"));
    // An article without id in a JSONL file: file name and line.
    article(&v, "feed:3");
    // Seen from the altered version, the wire altered the quote.
    assert_eq!(
        quote(&v, "This was one of the most dangerous")["by_article"]["wire"],
        "altered"
    );
}

#[test]
fn same_output_whatever_the_thread_count() {
    let dir = story_dir();
    let args = ["--format", "json", dir.to_str().unwrap()];
    let one = run(&args, Some("1"));
    let two = run(&args, Some("2"));
    let four = run(&args, Some("4"));
    assert_eq!(one.status.code(), Some(0));
    assert!(!one.stdout.is_empty());
    assert!(one.stdout == two.stdout, "1 vs 2 threads differ");
    assert!(one.stdout == four.stdout, "1 vs 4 threads differ");
}

#[test]
fn text_report_golden() {
    let dir = story_dir();
    let o = run(&["--color", "never", dir.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(0));
    let text = String::from_utf8(o.stdout).unwrap();
    insta::assert_snapshot!("story-text-harbour-fire", text);
}

#[test]
fn fail_on_and_output_file() {
    let dir = story_dir();
    let d = dir.to_str().unwrap();
    assert_eq!(
        run(&[d, "--fail-on", "altered-quote"], None).status.code(),
        Some(1)
    );
    assert_eq!(
        run(&[d, "--fail-on", "changed-fact"], None).status.code(),
        Some(1)
    );
    let copy = dir.join("outlet-copy.txt");
    let wire = dir.join("wire.txt");
    let o = run(
        &[
            wire.to_str().unwrap(),
            copy.to_str().unwrap(),
            "--fail-on",
            "altered-quote",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0));
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("story.html");
    let o = run(&[d, "--format", "html", "-o", path.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stdout.is_empty());
    let html = std::fs::read_to_string(&path).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.ends_with("</html>\n"));
}

fn assert_error(o: &Output, expect: &[&str]) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(o.stdout.is_empty());
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(!err.contains("panicked"), "{err}");
    for e in expect {
        assert!(err.contains(e), "expected {e:?} in {err:?}");
    }
}

#[test]
fn bad_input_is_one_error_line() {
    let dir = tempfile::tempdir().unwrap();
    let wire = story_dir().join("wire.txt");
    let w = wire.to_str().unwrap();
    let bad = dir.path().join("feed.jsonl");
    std::fs::write(&bad, "{\"text\":\"Fine.\"}\n\n{\"text\": \"x\",,}\n").unwrap();
    assert_error(
        &run(&[w, bad.to_str().unwrap()], None),
        &["feed.jsonl:3:", "malformed JSON"],
    );
    let latin1 = dir.path().join("latin1.txt");
    std::fs::write(&latin1, b"Caf\xe9 society").unwrap();
    assert_error(
        &run(&[w, latin1.to_str().unwrap()], None),
        &["latin1.txt", "invalid UTF-8 at byte 3"],
    );
    let missing = dir.path().join("nope.txt");
    assert_error(
        &run(&[w, missing.to_str().unwrap()], None),
        &["nope.txt", "no such file"],
    );
    assert_error(&run(&[w], None), &["at least two articles"]);
    assert_error(&run(&[w, w], None), &["two articles have the id \"wire\""]);
    let d = story_dir();
    assert_error(
        &run(&[d.to_str().unwrap(), "--source", "nobody"], None),
        &["--source nobody", "ids are"],
    );
}
