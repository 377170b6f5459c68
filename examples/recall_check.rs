//! Recall and precision of `dedup` against brute-force exact Jaccard on the
//! first N articles of a JSON Lines file (a quick check; the full
//! evaluation harness lives in `benches/`).
//!
//! ```text
//! cargo run --release --example recall_check -- /tmp/synth-100k.jsonl 4000 0.5
//! ```

use std::collections::HashSet;

use neardiff::dedup::{self, DedupOptions};
use neardiff::sketch::{jaccard, shingle_set};
use rayon::prelude::*;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = args
        .get(1)
        .expect("usage: recall_check FILE [N] [THRESHOLD]");
    let n: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(4000);
    let t: f64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(0.5);
    let text = std::fs::read_to_string(path).expect("read corpus");
    let fields = neardiff::FieldMap::default();
    let articles: Vec<neardiff::Article> = text
        .lines()
        .take(n)
        .map(|l| neardiff::parse_json_article(l, "x", &fields).expect("valid line"))
        .collect();
    let opts = DedupOptions {
        threshold: t,
        ..DedupOptions::default()
    };
    let sets: Vec<_> = articles
        .iter()
        .map(|a| shingle_set(&a.text, opts.shingle_size))
        .collect();
    let result = dedup::run_articles(articles, &opts);
    let found: HashSet<(u32, u32)> = result.pairs.iter().map(|p| (p.a, p.b)).collect();
    let truth: Vec<(u32, u32, f64)> = (0..sets.len())
        .into_par_iter()
        .flat_map_iter(|a| {
            let sets = &sets;
            (a + 1..sets.len()).filter_map(move |b| {
                let j = jaccard(&sets[a], &sets[b]);
                (j >= t).then_some((a as u32, b as u32, j))
            })
        })
        .collect();
    let truth_set: HashSet<(u32, u32)> = truth.iter().map(|&(a, b, _)| (a, b)).collect();
    let tp = found.intersection(&truth_set).count();
    let margin: Vec<_> = truth.iter().filter(|x| x.2 >= t + 0.05).collect();
    let margin_found = margin
        .iter()
        .filter(|x| found.contains(&(x.0, x.1)))
        .count();
    for x in truth.iter().filter(|x| !found.contains(&(x.0, x.1))) {
        println!("missed: {} {} jaccard {:.4}", x.0, x.1, x.2);
    }
    println!(
        "{} docs, threshold {t}: {} true pairs, {} reported; precision {:.4}, recall {:.4}, recall at >= t+0.05 {:.4} ({} pairs)",
        sets.len(),
        truth.len(),
        found.len(),
        tp as f64 / found.len().max(1) as f64,
        tp as f64 / truth.len().max(1) as f64,
        margin_found as f64 / margin.len().max(1) as f64,
        margin.len()
    );
}
