//! Writes a synthetic JSON Lines corpus with planted near-duplicates, for
//! profiling `neardiff dedup` (not a realistic corpus: see `benches/` for
//! the real-data harness).
//!
//! ```text
//! cargo run --release --example synth_corpus -- 1000000 /tmp/synth-1m.jsonl
//! ```
//!
//! Each article is 300–700 words drawn from a Zipf-like vocabulary of
//! 30,000 made-up words, in sentences of 8–25 words. About 30% of the
//! articles are edited copies of an earlier one (a few words substituted,
//! a sentence dropped or inserted, or the end truncated).

use std::io::{BufWriter, Write};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        ((self.next() as u128 * n as u128) >> 64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

fn vocabulary(rng: &mut Rng, n: usize) -> Vec<String> {
    const SYL: &[&str] = &[
        "ka", "to", "ri", "me", "lo", "an", "sen", "ter", "ol", "vi", "pra", "du", "nor", "el",
        "is", "qua", "mon", "ga", "be", "str",
    ];
    (0..n)
        .map(|_| {
            let syl = 1 + rng.below(4);
            (0..syl).map(|_| SYL[rng.below(SYL.len())]).collect()
        })
        .collect()
}

fn word<'a>(rng: &mut Rng, vocab: &'a [String]) -> &'a str {
    // Zipf-like: squaring a uniform number favours small indices.
    let u = (rng.next() >> 11) as f64 / (1u64 << 53) as f64;
    &vocab[((u * u * u) * vocab.len() as f64) as usize % vocab.len()]
}

fn sentence(rng: &mut Rng, vocab: &[String]) -> Vec<String> {
    let n = 8 + rng.below(18);
    (0..n).map(|_| word(rng, vocab).to_string()).collect()
}

fn article(rng: &mut Rng, vocab: &[String]) -> Vec<Vec<String>> {
    let target = 300 + rng.below(401);
    let mut out = Vec::new();
    let mut words = 0;
    while words < target {
        let s = sentence(rng, vocab);
        words += s.len();
        out.push(s);
    }
    out
}

fn edit(rng: &mut Rng, vocab: &[String], orig: &[Vec<String>]) -> Vec<Vec<String>> {
    let mut doc = orig.to_vec();
    match rng.below(4) {
        0 => {
            for s in &mut doc {
                for w in s.iter_mut() {
                    if rng.chance(0.02) {
                        *w = word(rng, vocab).to_string();
                    }
                }
            }
        }
        1 => {
            let i = rng.below(doc.len());
            doc.remove(i);
        }
        2 => {
            let i = rng.below(doc.len() + 1);
            doc.insert(i, sentence(rng, vocab));
        }
        _ => {
            let keep = (doc.len() * (60 + rng.below(40)) / 100).max(1);
            doc.truncate(keep);
        }
    }
    doc
}

fn render(doc: &[Vec<String>]) -> String {
    let mut text = String::new();
    for s in doc {
        let mut first = true;
        for w in s {
            if !first {
                text.push(' ');
            }
            if first {
                let mut c = w.chars();
                if let Some(f) = c.next() {
                    text.extend(f.to_uppercase());
                    text.push_str(c.as_str());
                }
            } else {
                text.push_str(w);
            }
            first = false;
        }
        text.push_str(". ");
    }
    text
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let path = args.get(2).cloned().unwrap_or("/tmp/synth.jsonl".into());
    let mut rng = Rng(42);
    let vocab = vocabulary(&mut rng, 30_000);
    let mut recent: Vec<Vec<Vec<String>>> = Vec::new();
    let mut out = BufWriter::new(std::fs::File::create(&path).expect("create output"));
    for i in 0..n {
        let doc = if !recent.is_empty() && rng.chance(0.3) {
            let j = rng.below(recent.len());
            edit(&mut rng, &vocab, &recent[j].clone())
        } else {
            article(&mut rng, &vocab)
        };
        let text = render(&doc);
        if recent.len() < 2000 {
            recent.push(doc);
        } else {
            let j = rng.below(recent.len());
            recent[j] = doc;
        }
        let day = 1 + i * 28 / n.max(1);
        let line = serde_json::json!({
            "id": format!("a{i:07}"),
            "date": format!("2025-02-{day:02}"),
            "outlet": format!("outlet{}", rng.below(50)),
            "text": text,
        });
        writeln!(out, "{line}").expect("write");
    }
    out.flush().expect("flush");
}
