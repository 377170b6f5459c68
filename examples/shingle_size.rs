//! Measures how the shingle size separates edited copies of an article
//! from unrelated articles (see docs/shingle-size.md).
//!
//! Usage: `cargo run --release --example shingle_size -- CORPUS.jsonl
//! TRUTH.jsonl RAW.jsonl...` with a corpus built by
//! `benches/corpus/build.py` (its ground truth names, for every copy, the
//! real article it was made from and how heavily it was edited) and the
//! real articles it was built from (`benches/corpus/fetch.py`).

use std::collections::HashMap;
use std::io::BufRead;

use neardiff::sketch::{jaccard, shingle_set};

fn read_jsonl(path: &str) -> Vec<serde_json::Value> {
    let f = std::fs::File::open(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    std::io::BufReader::new(f)
        .lines()
        .map(|l| serde_json::from_str(&l.unwrap()).unwrap())
        .collect()
}

fn quantile(v: &mut [f64], q: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    v[((v.len() - 1) as f64 * q).round() as usize]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    assert!(args.len() >= 3, "usage: shingle_size CORPUS TRUTH RAW...");
    let corpus: HashMap<String, String> = read_jsonl(&args[0])
        .into_iter()
        .map(|v| {
            (
                v["id"].as_str().unwrap().to_string(),
                v["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let truth = read_jsonl(&args[1]);
    let mut raw: HashMap<String, String> = HashMap::new();
    for p in &args[2..] {
        for v in read_jsonl(p) {
            raw.insert(
                v["id"].as_str().unwrap().into(),
                v["text"].as_str().unwrap().into(),
            );
        }
    }
    // (intensity, seed text, copy text) and the distinct real articles.
    let mut pairs: Vec<(String, &str, &str)> = Vec::new();
    let mut originals = 0;
    for t in &truth {
        let id = t["id"].as_str().unwrap();
        let text = corpus[id].as_str();
        match t["kind"].as_str().unwrap() {
            "copy" => {
                let seed = raw[t["seed"].as_str().unwrap()].as_str();
                pairs.push((t["intensity"].as_str().unwrap().to_string(), seed, text));
            }
            _ => originals += 1,
        }
    }
    // Unrelated pairs: a fixed pseudo-random sample of pairs of distinct real
    // articles (the whole set the corpus was built from).
    let mut ids: Vec<&String> = raw.keys().collect();
    ids.sort();
    let singles: Vec<&str> = ids.iter().map(|id| raw[*id].as_str()).collect();
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let unrelated: Vec<(usize, usize)> = (0..200_000)
        .map(|_| {
            (
                next() as usize % singles.len(),
                next() as usize % singles.len(),
            )
        })
        .filter(|(i, j)| i != j)
        .collect();
    println!(
        "{} copy pairs ({originals} originals in the corpus), {} unrelated pairs of {} real articles",
        pairs.len(),
        unrelated.len(),
        singles.len()
    );
    println!(
        "| k | unrelated p99.9 | unrelated max | light median | medium median | heavy median | light+medium above unrelated p99.9 | min FP+FN rate (at t) |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for k in 1..=8 {
        let sets: Vec<_> = singles.iter().map(|t| shingle_set(t, k)).collect();
        let mut un: Vec<f64> = unrelated
            .iter()
            .map(|&(i, j)| jaccard(&sets[i], &sets[j]))
            .collect();
        let un_max = quantile(&mut un, 1.0);
        let un_q = quantile(&mut un, 0.999);
        let mut by: HashMap<&str, Vec<f64>> = HashMap::new();
        for (intensity, a, b) in &pairs {
            by.entry(intensity.as_str())
                .or_default()
                .push(jaccard(&shingle_set(a, k), &shingle_set(b, k)));
        }
        let med = |name: &str, by: &mut HashMap<&str, Vec<f64>>| {
            by.get_mut(name)
                .map(|v| quantile(v, 0.5))
                .unwrap_or(f64::NAN)
        };
        let lm: Vec<f64> = ["light", "medium"]
            .iter()
            .flat_map(|n| by.get(n).cloned().unwrap_or_default())
            .collect();
        let above = lm.iter().filter(|&&j| j > un_q).count() as f64 / lm.len() as f64;
        // The best any threshold t can do: unrelated pairs at or above t
        // (false positives) plus light/medium copies below t (misses).
        let best = (0..=100)
            .map(|i| {
                let t = i as f64 / 100.0;
                let fp = un.iter().filter(|&&j| j >= t).count() as f64 / un.len() as f64;
                let fn_ = lm.iter().filter(|&&j| j < t).count() as f64 / lm.len() as f64;
                (fp + fn_, t)
            })
            .min_by(|x, y| x.0.total_cmp(&y.0))
            .unwrap();
        println!(
            "| {k} | {un_q:.3} | {un_max:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.4} ({:.2}) |",
            med("light", &mut by),
            med("medium", &mut by),
            med("heavy", &mut by),
            above,
            best.0,
            best.1
        );
    }
}
