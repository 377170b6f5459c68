//! Measures the verdicts `compare` gives to edited copies and to unrelated
//! articles (see docs/verdicts.md).
//!
//! Usage: `cargo run --release --example verdicts -- CORPUS.jsonl
//! TRUTH.jsonl RAW.jsonl...` (the same inputs as `examples/shingle_size.rs`).

use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;

use neardiff::Article;
use neardiff::compare::{CompareOptions, compare};

fn read_jsonl(path: &str) -> Vec<serde_json::Value> {
    let f = std::fs::File::open(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    std::io::BufReader::new(f)
        .lines()
        .map(|l| serde_json::from_str(&l.unwrap()).unwrap())
        .collect()
}

fn article(text: &str) -> Article {
    Article {
        text: text.to_string(),
        ..Article::default()
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    assert!(args.len() >= 3, "usage: verdicts CORPUS TRUTH RAW...");
    let corpus: HashMap<String, String> = read_jsonl(&args[0])
        .into_iter()
        .map(|v| {
            (
                v["id"].as_str().unwrap().into(),
                v["text"].as_str().unwrap().into(),
            )
        })
        .collect();
    let mut raw: BTreeMap<String, String> = BTreeMap::new();
    for p in &args[2..] {
        for v in read_jsonl(p) {
            raw.insert(
                v["id"].as_str().unwrap().into(),
                v["text"].as_str().unwrap().into(),
            );
        }
    }
    let opts = CompareOptions::default();
    let mut table: BTreeMap<String, BTreeMap<&'static str, usize>> = BTreeMap::new();
    for (n, t) in read_jsonl(&args[1]).iter().enumerate() {
        if t["kind"] != "copy" || n % 4 != 0 {
            continue; // every fourth copy is plenty
        }
        let seed = &raw[t["seed"].as_str().unwrap()];
        let copy = &corpus[t["id"].as_str().unwrap()];
        let c = compare(&article(seed), &article(copy), &opts);
        *table
            .entry(format!("copy, {} edits", t["intensity"].as_str().unwrap()))
            .or_default()
            .entry(c.similarity.verdict.as_str())
            .or_default() += 1;
    }
    let ids: Vec<&String> = raw.keys().collect();
    let texts: Vec<&String> = raw.values().collect();
    let show = std::env::var_os("SHOW_RELATED").is_some();
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state as usize
    };
    for _ in 0..2000 {
        let (i, j) = (next() % texts.len(), next() % texts.len());
        if i == j {
            continue;
        }
        let c = compare(&article(texts[i]), &article(texts[j]), &opts);
        if show && c.similarity.verdict.as_str() == "related" {
            eprintln!("related: {} {}", ids[i], ids[j]);
        }
        *table
            .entry("random pair of real articles".into())
            .or_default()
            .entry(c.similarity.verdict.as_str())
            .or_default() += 1;
    }
    let verdicts = [
        "duplicate",
        "near-duplicate",
        "partial",
        "related",
        "unrelated",
    ];
    println!("| pairs | {} |", verdicts.join(" | "));
    println!("|---|{}", "---|".repeat(verdicts.len()));
    for (name, counts) in &table {
        let total: usize = counts.values().sum();
        let cells: Vec<String> = verdicts
            .iter()
            .map(|v| {
                format!(
                    "{:.1} %",
                    100.0 * *counts.get(v).unwrap_or(&0) as f64 / total as f64
                )
            })
            .collect();
        println!("| {name} ({total}) | {} |", cells.join(" | "));
    }
}
