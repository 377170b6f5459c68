//! Measures the MinHash schemes of `neardiff::sketch`: sketching speed and
//! the error of the Jaccard estimate against exact Jaccard (bias and RMSE
//! over many random pairs). The figures in `docs/dedup.md` come from
//!
//! ```text
//! cargo run --release --example minhash_schemes
//! ```
//!
//! Given a JSON Lines file as argument, it also times the stages of
//! sketching real text (JSON parsing, word hashing, shingling, MinHash).

use std::hint::black_box;
use std::time::Instant;

use neardiff::sketch::{MinHasher, Scheme, ShingleSet, jaccard, shingles_from_words};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// Two random sets of `n` elements each with Jaccard exactly `j` (rounded
/// to whole elements).
fn pair(rng: &mut Rng, n: usize, j: f64) -> (ShingleSet, ShingleSet) {
    // |A∩B| = i, |A| = |B| = n: J = i / (2n - i)  =>  i = 2nJ / (1 + J).
    let i = ((2.0 * n as f64 * j) / (1.0 + j)).round() as usize;
    let common: Vec<u64> = (0..i).map(|_| rng.next()).collect();
    let mut a = common.clone();
    let mut b = common;
    a.extend((i..n).map(|_| rng.next()));
    b.extend((i..n).map(|_| rng.next()));
    (ShingleSet::from_hashes(a), ShingleSet::from_hashes(b))
}

const SCHEMES: [(Scheme, &str); 3] = [
    (Scheme::Classic, "classic (k hash functions)"),
    (Scheme::Circulant, "C-MinHash (circulant)"),
    (
        Scheme::OnePermutation,
        "one-permutation + optimal densification",
    ),
];

fn speed() {
    let k = 128;
    let mut rng = Rng(1);
    let sets: Vec<ShingleSet> = (0..2000)
        .map(|_| ShingleSet::from_hashes((0..500).map(|_| rng.next()).collect()))
        .collect();
    println!("## Speed: k = {k}, sets of 500 shingles\n");
    println!("| scheme | µs per set | sets/s |");
    println!("|---|---:|---:|");
    for (scheme, name) in SCHEMES {
        let h = MinHasher::with_scheme(k, 3, scheme);
        let t = Instant::now();
        let mut reps = 0;
        while t.elapsed().as_secs_f64() < 1.0 {
            for s in &sets {
                black_box(h.sketch(s));
            }
            reps += sets.len();
        }
        let per = t.elapsed().as_secs_f64() / reps as f64;
        println!("| {name} | {:.2} | {:.0} |", per * 1e6, 1.0 / per);
    }
    println!();
}

fn error() {
    let k = 128;
    let pairs = 3000;
    println!("## Estimate error: k = {k}, {pairs} random pairs per cell\n");
    println!("| scheme | set size | J | bias | RMSE | sqrt(J(1-J)/k) |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (scheme, name) in SCHEMES {
        for n in [20usize, 100, 500] {
            for j in [0.3, 0.5, 0.8, 0.95] {
                let mut rng = Rng(n as u64 * 1000 + (j * 100.0) as u64);
                let (mut sum, mut sq) = (0.0, 0.0);
                for p in 0..pairs {
                    // A fresh seed per pair: the error is over hash draws too.
                    let h = MinHasher::with_scheme(k, p as u64, scheme);
                    let (a, b) = pair(&mut rng, n, j);
                    let exact = jaccard(&a, &b);
                    let est = h.sketch(&a).jaccard(&h.sketch(&b)).unwrap();
                    sum += est - exact;
                    sq += (est - exact) * (est - exact);
                }
                let theory = (j * (1.0 - j) / k as f64).sqrt();
                println!(
                    "| {name} | {n} | {j} | {:+.4} | {:.4} | {:.4} |",
                    sum / pairs as f64,
                    (sq / pairs as f64).sqrt(),
                    theory
                );
            }
        }
    }
    println!();
}

fn stages(path: &str) {
    let text = std::fs::read_to_string(path).expect("read corpus");
    let lines: Vec<&str> = text.lines().take(20_000).collect();
    let bytes: usize = lines.iter().map(|l| l.len()).sum();
    let fields = neardiff::FieldMap::default();
    let t = Instant::now();
    let articles: Vec<neardiff::Article> = lines
        .iter()
        .map(|l| neardiff::parse_json_article(l, "x", &fields).expect("valid line"))
        .collect();
    let t_parse = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let words: Vec<Vec<u64>> = articles
        .iter()
        .map(|a| {
            let mut w = Vec::new();
            neardiff::text::word_hashes(&a.text, &mut w);
            w
        })
        .collect();
    let t_words = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let sets: Vec<ShingleSet> = words
        .iter()
        .map(|w| {
            let mut sh = Vec::new();
            shingles_from_words(w, 4, &mut sh);
            ShingleSet::from_hashes(sh)
        })
        .collect();
    let t_shingle = t.elapsed().as_secs_f64();
    let h = MinHasher::new(128, 0);
    let t = Instant::now();
    for s in &sets {
        black_box(h.sketch(s));
    }
    let t_sketch = t.elapsed().as_secs_f64();
    let mb = bytes as f64 / 1e6;
    println!(
        "## Stages on {} articles ({mb:.1} MB), one thread\n",
        lines.len()
    );
    for (name, secs) in [
        ("JSON parse (serde_json::Value)", t_parse),
        ("word hashes (text::word_hashes)", t_words),
        ("shingles + sort", t_shingle),
        ("MinHash (default)", t_sketch),
    ] {
        println!("- {name}: {:.3} s ({:.0} MB/s)", secs, mb / secs);
    }
}

fn main() {
    let arg = std::env::args().nth(1);
    if let Some(path) = arg {
        stages(&path);
        return;
    }
    speed();
    error();
}
