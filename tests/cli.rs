//! The `neardiff` binary on good and bad input: exit codes, one clear error
//! line naming the file and position, nothing half-written.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_neardiff"))
}

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name)
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run neardiff")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs `compare` with one bad input and checks exit code 2, one error
/// line, the expected words in it, no panic, nothing on stdout.
fn assert_bad_input(bad: &Path, expect: &[&str]) {
    let good = sample("number-changed-a.txt");
    for args in [[bad, good.as_path()], [good.as_path(), bad]] {
        let o = bin().arg("compare").args(args).output().unwrap();
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "stderr: {err}");
        assert!(o.stdout.is_empty());
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        assert!(!err.contains("panicked"), "{err}");
        for e in expect {
            assert!(err.contains(e), "expected {e:?} in {err:?}");
        }
    }
}

#[test]
fn missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("nope.txt");
    assert_bad_input(&p, &["nope.txt", "no such file"]);
}

#[test]
fn directory() {
    let dir = tempfile::tempdir().unwrap();
    assert_bad_input(dir.path(), &["is a directory"]);
}

#[test]
fn invalid_utf8_names_byte_offset() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("latin1.txt");
    std::fs::write(&p, b"Caf\xe9 society").unwrap();
    assert_bad_input(&p, &["latin1.txt", "invalid UTF-8 at byte 3"]);
}

#[test]
fn binary_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("image.png");
    std::fs::write(&p, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    assert_bad_input(&p, &["image.png", "binary", "byte 8"]);
}

#[test]
fn empty_and_whitespace_only() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("empty.txt");
    std::fs::write(&p, "").unwrap();
    assert_bad_input(&p, &["empty.txt", "no text"]);
    let p = dir.path().join("blank.txt");
    std::fs::write(&p, " \n\t\n  ").unwrap();
    assert_bad_input(&p, &["blank.txt", "no text"]);
    let p = dir.path().join("header-only.txt");
    std::fs::write(&p, "title: Only a headline\n\n").unwrap();
    assert_bad_input(&p, &["header-only.txt", "no text"]);
}

#[test]
fn malformed_json_names_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.json");
    std::fs::write(&p, "{\n  \"id\": \"x\",\n  \"text\": \"a\" \"b\"\n}").unwrap();
    assert_bad_input(&p, &["bad.json", "line 3, column"]);
    let p = dir.path().join("notext.json");
    std::fs::write(&p, "{\"id\": \"x\"}").unwrap();
    assert_bad_input(&p, &["notext.json", "\"text\""]);
}

#[test]
fn json_article_and_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.json");
    let body = std::fs::read_to_string(sample("number-changed-a.txt")).unwrap();
    let article = neardiff::parse_plain_text(&body, "x");
    let json = serde_json::json!({"id": "wire-1", "outlet": "Wire", "text": article.text});
    std::fs::write(&p, json.to_string()).unwrap();
    let mut child = bin()
        .args(["compare", "--format", "json", p.to_str().unwrap(), "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(body.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["a"]["id"], "wire-1");
    assert_eq!(v["a"]["outlet"], "Wire");
    assert_eq!(v["b"]["id"], "stdin");
    assert_eq!(v["similarity"]["verdict"], "duplicate");
}

#[test]
fn both_stdin_is_refused() {
    let o = run(&["compare", "-", "-"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("stdin"));
}

#[test]
fn fail_on_sets_exit_code() {
    let a = sample("number-changed-a.txt");
    let b = sample("number-changed-b.txt");
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    let o = run(&["compare", a, b, "--fail-on", "changed-fact"]);
    assert_eq!(o.status.code(), Some(1));
    let o = run(&["compare", a, b, "--fail-on", "duplicate"]);
    assert_eq!(o.status.code(), Some(1));
    let u = sample("unrelated-b.txt");
    let o = run(&[
        "compare",
        a,
        u.to_str().unwrap(),
        "--fail-on",
        "near-duplicate",
    ]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn output_file_is_written_whole_and_kept_on_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.json");
    std::fs::write(&out, "previous").unwrap();
    let a = sample("number-changed-a.txt");
    let missing = dir.path().join("missing.txt");
    let o = bin()
        .args(["compare", "--format", "json", "-o"])
        .arg(&out)
        .arg(&a)
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous");
    let o = bin()
        .args(["compare", "--format", "json", "-o"])
        .arg(&out)
        .arg(&a)
        .arg(&a)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["schema"], "neardiff.compare/4");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temp files left"
    );
}

#[test]
fn color_follows_flag_and_no_color() {
    let a = sample("number-changed-a.txt");
    let b = sample("number-changed-b.txt");
    let o = bin()
        .arg("compare")
        .arg(&a)
        .arg(&b)
        .args(["--color", "always"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&o.stdout).contains("\x1b["));
    // Not a terminal: auto means no colour.
    let o = bin().arg("compare").arg(&a).arg(&b).output().unwrap();
    assert!(!String::from_utf8_lossy(&o.stdout).contains("\x1b["));
}

#[test]
fn closed_pipe_is_not_an_error() {
    use std::process::Stdio;
    let a = sample("knesset-azerbaijan-newsaz.txt");
    let b = sample("knesset-azerbaijan-jns.txt");
    let mut child = bin()
        .args(["compare", "--format", "json"])
        .arg(&a)
        .arg(&b)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read nothing and close our end at once.
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).is_empty());
}

#[test]
fn several_versions_of_a_source() {
    let (a1, a2, b) = (
        sample("wire-versions-a1.txt"),
        sample("wire-versions-a2.txt"),
        sample("wire-versions-b.txt"),
    );
    let json = |args: &[&Path]| -> serde_json::Value {
        let o = bin()
            .args(["compare", "--format", "json"])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        serde_json::from_slice(&o.stdout).unwrap()
    };
    let v = json(&[&a1, &a2, &b]);
    assert_eq!(v["a"]["id"], "wire-versions-a1+wire-versions-a2");
    assert_eq!(v["a"]["versions"].as_array().unwrap().len(), 2);
    // Words of B that only the first version has are `same`: the
    // operator's statement, which the update dropped.
    let b_text = v["b"]["text"].as_str().unwrap();
    let at = b_text.find("reduced speed").unwrap();
    let span = v["b"]["spans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["start"].as_u64().unwrap() as usize <= at && at < s["end"].as_u64().unwrap() as usize
        })
        .unwrap();
    assert_eq!(span["label"], "same");
    // Against the update alone they are not.
    let one = json(&[&a2, &b]);
    let span = one["b"]["spans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["start"].as_u64().unwrap() as usize <= at && at < s["end"].as_u64().unwrap() as usize
        })
        .unwrap();
    assert_ne!(span["label"], "same");
    assert!(one["a"].get("versions").is_none());

    // The same versions as one JSON Lines file: the same B labels.
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("versions.jsonl");
    let mut lines = String::new();
    for (id, p) in [("v1", &a1), ("v2", &a2)] {
        let t = neardiff::read_article(p).unwrap().text;
        lines += &serde_json::json!({"id": id, "text": t}).to_string();
        lines.push('\n');
    }
    std::fs::write(&jsonl, lines).unwrap();
    let from_jsonl = json(&[&jsonl, &b]);
    assert_eq!(from_jsonl["a"]["id"], "v1+v2");
    assert_eq!(from_jsonl["b"]["spans"], v["b"]["spans"]);

    // A bad line names the file and the line; exit 2, one line.
    std::fs::write(&jsonl, "{\"text\": \"One.\"}\n{\"text\": 5}\n").unwrap();
    let o = bin().arg("compare").arg(&jsonl).arg(&b).output().unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("versions.jsonl") && err.contains('2'), "{err}");
    // Only one argument: a usage error.
    let o = run(&["compare", a1.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
}
