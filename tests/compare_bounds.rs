//! `compare` on input far from news: text without sentence punctuation,
//! one sentence of clauses joined by commas, thousands of unbalanced
//! quotation marks, articles of hundreds of thousands of words. Each case
//! ran for minutes (or did not finish) before `compare` was bounded
//! (issue 20); here each must finish well inside a generous limit, in a
//! debug build, with a report whose spans cover both texts and with the
//! warning that says what was bounded. The timings themselves are
//! measured by `benches/compare_bounds.py`, not here.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_neardiff");
/// Far above what any case needs (well under a second in release, a few
/// in debug), far below what they took before.
const LIMIT: Duration = Duration::from_secs(60);

/// A deterministic stream of made-up words from a vocabulary of `vocab`.
struct Words {
    state: u64,
    vocab: u64,
}

impl Words {
    fn new(seed: u64, vocab: u64) -> Words {
        Words {
            state: seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1,
            vocab,
        }
    }

    fn next_word(&mut self) -> String {
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        // Skewed towards small numbers, like word frequencies.
        let r = self.state % self.vocab;
        let k = r * r / self.vocab;
        let letters = b"abdegiklmnoprstuv";
        let mut w = String::new();
        let mut x = k + 7;
        while x > 0 {
            w.push(letters[(x % 17) as usize] as char);
            x /= 17;
        }
        w
    }
}

/// Runs `compare --format json` on two files, killing it after [`LIMIT`].
fn compare(dir: &Path, a: &str, b: &str) -> serde_json::Value {
    let mut child = Command::new(BIN)
        .args(["compare", "--format", "json", a, b])
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run neardiff");
    let mut out = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        out.read_to_string(&mut s).unwrap();
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > LIMIT {
            child.kill().unwrap();
            panic!("compare {a} {b} ran for more than {LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = reader.join().unwrap();
    assert!(status.success(), "exit {status:?}");
    serde_json::from_str(&stdout).expect("JSON report")
}

/// Checks that the labelled spans of each side cover its text exactly once,
/// and returns the warning messages.
fn check_report(report: &serde_json::Value) -> Vec<String> {
    for side in ["a", "b"] {
        let s = &report[side];
        let len = s["text"].as_str().unwrap().len() as u64;
        let mut at = 0;
        for span in s["spans"].as_array().unwrap() {
            assert_eq!(span["start"].as_u64().unwrap(), at);
            at = span["end"].as_u64().unwrap();
        }
        assert_eq!(at, len, "spans of {side} end at the end of the text");
    }
    report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["message"].as_str().unwrap().to_string())
        .collect()
}

fn article(words: &mut Words, n: usize) -> String {
    let mut text = String::new();
    for i in 0..n {
        text += &words.next_word();
        text.push(if i % 17 == 16 { '.' } else { ' ' });
        if i % 17 == 16 {
            text.push(' ');
        }
        if i % 85 == 84 {
            text += "\n\n";
        }
    }
    text + "\n"
}

#[test]
fn a_long_line_without_punctuation_is_cut_into_units() {
    // 60,000 words on one line: before the bound, one 60,000-word
    // "sentence" went to the word diff (10,000 words took 0.19 s,
    // 50,000 took 81 s in a release build).
    let dir = tempfile::tempdir().unwrap();
    let mut w = Words::new(1, 3000);
    let line: Vec<String> = (0..60_000).map(|_| w.next_word()).collect();
    let other = article(&mut w, 1000);
    // B copies a stretch of the line, so the two share sentences.
    let copied = line[1000..1600].join(" ");
    let b = format!("{copied}\n\n{other}");
    std::fs::write(dir.path().join("a.txt"), line.join(" ") + "\n").unwrap();
    std::fs::write(dir.path().join("b.txt"), b).unwrap();
    let report = compare(dir.path(), "a.txt", "b.txt");
    let warnings = check_report(&report);
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("longer than 150 words cut into shorter units")),
        "{warnings:?}"
    );
    // The copied stretch is found as passages of A: units are cut at the
    // same words in both copies once they have had a cut in common.
    let same: u64 = report["b"]["spans"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["label"] == "same")
        .map(|s| s["end"].as_u64().unwrap() - s["start"].as_u64().unwrap())
        .sum();
    let copied = copied.len() as u64;
    assert!(
        same * 10 > copied * 8,
        "{same} of the {copied} copied bytes of B labelled same"
    );
}

#[test]
fn thousands_of_unbalanced_quotation_marks_stay_cheap() {
    // A quotation mark in every sentence, never where a reader expects
    // one: quotes tens of thousands of words long, paired with each other.
    let dir = tempfile::tempdir().unwrap();
    let mut w = Words::new(2, 2000);
    let mut text = String::new();
    for i in 0..40_000 {
        if i % 10 == 3 {
            text.push(['"', '“', '«'][i % 3]);
        }
        text += &w.next_word();
        text += if i % 10 == 9 { ". " } else { " " };
    }
    let b: String = text.replace(" ab", " xy");
    std::fs::write(dir.path().join("a.txt"), &text).unwrap();
    std::fs::write(dir.path().join("b.txt"), &b).unwrap();
    let report = compare(dir.path(), "a.txt", "b.txt");
    let warnings = check_report(&report);
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("without a closing mark"))
    );
}

#[test]
fn long_articles_align_within_the_budget() {
    // Two 150,000-word articles, B a copy of A with every tenth sentence
    // changed: 18,000 sentences a side.
    let dir = tempfile::tempdir().unwrap();
    let mut w = Words::new(3, 400);
    let a = article(&mut w, 150_000);
    let b: String = a
        .split_inclusive(". ")
        .enumerate()
        .map(|(i, s)| {
            if i % 10 == 5 {
                format!("{} {}", w.next_word(), s)
            } else {
                s.to_string()
            }
        })
        .collect();
    std::fs::write(dir.path().join("a.txt"), &a).unwrap();
    std::fs::write(dir.path().join("b.txt"), &b).unwrap();
    let report = compare(dir.path(), "a.txt", "b.txt");
    let warnings = check_report(&report);
    // A vocabulary of 400 words makes every sentence share common words
    // with thousands of others: the budget leaves such pairs uncompared
    // and says so, and most of A (79% with a cap of 64 comparisons per
    // word) still aligns through its rarer words.
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("sentences sharing only very common words")),
        "{warnings:?}"
    );
    let aligned = report["similarity"]["aligned_a"].as_f64().unwrap();
    assert!(aligned > 0.7, "aligned {aligned}");
}
