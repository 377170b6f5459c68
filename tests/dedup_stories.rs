//! `neardiff dedup --stories DIR`: one story report per cluster.

use std::path::Path;
use std::process::Command;

#[test]
fn one_story_report_per_cluster() {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/story-harbour-fire");
    let dir = tempfile::tempdir().unwrap();
    let stories = dir.path().join("stories");
    let o = Command::new(env!("CARGO_BIN_EXE_neardiff"))
        .args(["dedup", "--quiet", "--threshold", "0.3", "--stories"])
        .arg(&stories)
        .arg(&samples)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let clusters = String::from_utf8(o.stdout).unwrap();
    assert_eq!(clusters.lines().count(), 1, "{clusters}");
    let mut names: Vec<String> = std::fs::read_dir(&stories)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["cluster-00001.html", "cluster-00001.json"]);
    let story: serde_json::Value =
        serde_json::from_slice(&std::fs::read(stories.join("cluster-00001.json")).unwrap())
            .unwrap();
    assert_eq!(story["schema"], "neardiff.story/1");
    // The wire story is inferred as the source of the cluster.
    assert_eq!(story["source"], "wire");
    let articles = story["articles"].as_array().unwrap();
    // The cluster's members, not the unrelated article nor the rewrite
    // that shares too few 4-word runs at this threshold.
    let ids: Vec<&str> = articles.iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert!(
        ids.contains(&"outlet-copy") && ids.contains(&"outlet-trimmed"),
        "{ids:?}"
    );
    assert!(!ids.contains(&"outlet-unrelated"));
    let kept = |id: &str| articles.iter().find(|a| a["id"] == id).unwrap()["kept"].as_u64();
    assert_eq!(kept("outlet-copy"), kept("wire"));
    let html = std::fs::read_to_string(stories.join("cluster-00001.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") || html.starts_with("<!doctype html>"));
}

#[test]
fn stories_need_files_not_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_neardiff"))
        .args(["dedup", "--quiet", "--stories"])
        .arg(dir.path().join("s"))
        .arg("-")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    let line = r#"{"id":"a","text":"one two three four five six seven"}"#;
    let mut stdin = child.stdin.take().unwrap();
    // neardiff may refuse and exit before reading anything, so the writes
    // can fail with a broken pipe; what counts is its answer below.
    let _ = writeln!(stdin, "{line}");
    let _ = writeln!(stdin, "{}", line.replace("\"a\"", "\"b\""));
    drop(stdin);
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("stdin"));
    assert!(o.stdout.is_empty(), "refused before any output");
}
