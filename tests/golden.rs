//! Golden outputs: the text report of every sample pair in `samples/`,
//! snapshotted with insta (`tests/snapshots/`). A change of output shows up
//! in review as a snapshot diff; accept it with `cargo insta review` (or
//! `INSTA_UPDATE=always cargo test --test golden`).

use std::path::{Path, PathBuf};
use std::process::Command;

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

/// Every pair `NAME-a.txt` / `NAME-b.txt` in `samples/`, plus the seed pair.
pub fn sample_pairs() -> Vec<(String, PathBuf, PathBuf)> {
    let dir = samples();
    let mut pairs = vec![(
        "knesset-azerbaijan".to_string(),
        dir.join("knesset-azerbaijan-newsaz.txt"),
        dir.join("knesset-azerbaijan-jns.txt"),
    )];
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            name.strip_suffix("-a.txt").map(str::to_string)
        })
        .collect();
    names.sort();
    for name in names {
        let (a, b) = (
            dir.join(format!("{name}-a.txt")),
            dir.join(format!("{name}-b.txt")),
        );
        assert!(b.exists(), "{} has no B side", a.display());
        pairs.push((name, a, b));
    }
    pairs
}

fn compare(format: &str, a: &Path, b: &Path) -> String {
    compare_all(format, &[a, b])
}

/// `compare` of the files given (every one but the last a version of A).
fn compare_all(format: &str, files: &[&Path]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_neardiff"))
        .args(["compare", "--color", "never", "--format", format])
        .args(files)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn text_reports_of_sample_pairs() {
    let pairs = sample_pairs();
    assert!(
        pairs.len() >= 8,
        "expected the seed pair and seven written pairs"
    );
    for (name, a, b) in pairs {
        insta::assert_snapshot!(format!("text-{name}"), compare("text", &a, &b));
    }
}

#[test]
fn markdown_reports_of_sample_pairs() {
    for (name, a, b) in sample_pairs() {
        insta::assert_snapshot!(format!("markdown-{name}"), compare("markdown", &a, &b));
    }
}

/// The source made of two versions (`samples/wire-versions-a1.txt`, an
/// update in `-a2.txt`) against a newspaper text drawn from both.
#[test]
fn reports_of_a_source_in_two_versions() {
    let dir = samples();
    let files = [
        dir.join("wire-versions-a1.txt"),
        dir.join("wire-versions-a2.txt"),
        dir.join("wire-versions-b.txt"),
    ];
    let files: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    insta::assert_snapshot!("text-wire-versions", compare_all("text", &files));
    insta::assert_snapshot!("markdown-wire-versions", compare_all("markdown", &files));
}
