//! The inputs of the story benchmark (see `benches/story.rs`), shared with
//! `examples/story_cpu.rs`: one source and 1,000 outlets built
//! deterministically from the samples.

use std::path::Path;

use neardiff::{Article, read_article};

fn body(rel: &str) -> String {
    read_article(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("samples")
            .join(rel),
    )
    .unwrap()
    .text
}

fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(String::from)
        .collect()
}

fn words(ps: &[String]) -> usize {
    ps.iter().map(|p| p.split_whitespace().count()).sum()
}

/// xorshift64*: small, seeded, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const SWAPS: &[(&str, &str)] = &[
    (" said", " stated"),
    (" the ", " a "),
    (" about ", " around "),
    (" was ", " had been "),
    (" fire", " blaze"),
    ("3", "4"),
    ("5", "6"),
];

fn reword(p: &str, rng: &mut Rng) -> String {
    let mut s = p.to_string();
    for _ in 0..3 {
        let (from, to) = SWAPS[rng.below(SWAPS.len())];
        s = s.replacen(from, to, 1);
    }
    s
}

/// The source and 1,000 outlets.
pub fn inputs() -> (Article, Vec<Article>) {
    let extra: Vec<String> = paragraphs(&body("wire-trimmed-a.txt"));
    let mut src = paragraphs(&body("story-harbour-fire/wire.txt"));
    let mut k = 0;
    while words(&src) < 800 && k < extra.len() {
        src.push(extra[k].clone());
        k += 1;
    }
    let tail = &extra[..k];
    let source = Article {
        id: "source".into(),
        date: Some("2024-10-08".into()),
        text: src.join("\n\n"),
        ..Article::default()
    };
    let bases: Vec<Vec<String>> = [
        "outlet-copy",
        "outlet-altered",
        "outlet-expanded",
        "outlet-reordered",
        "outlet-reworded",
        "outlet-trimmed",
    ]
    .iter()
    .map(|n| {
        let mut ps = paragraphs(&body(&format!("story-harbour-fire/{n}.txt")));
        ps.extend(tail.iter().cloned());
        ps
    })
    .collect();
    let filler: Vec<String> = [
        "number-changed-b.txt",
        "quote-truncated-speaker-b.txt",
        "multilingual-quotes-b.txt",
        "paragraphs-reordered-b.txt",
        "knesset-azerbaijan-jns.txt",
        "unrelated-b.txt",
    ]
    .iter()
    .flat_map(|n| paragraphs(&body(n)))
    .collect();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let outlets = (0..1000)
        .map(|i| {
            let mut ps: Vec<String> = Vec::new();
            for p in &bases[i % bases.len()] {
                if rng.chance(8) {
                    continue;
                }
                ps.push(if rng.chance(15) {
                    reword(p, &mut rng)
                } else {
                    p.clone()
                });
            }
            for j in 0..ps.len().saturating_sub(1) {
                if rng.chance(10) {
                    ps.swap(j, j + 1);
                }
            }
            while words(&ps) < 780 {
                ps.push(filler[rng.below(filler.len())].clone());
            }
            Article {
                id: format!("outlet-{i:04}"),
                date: Some("2024-10-09".into()),
                text: ps.join("\n\n"),
                ..Article::default()
            }
        })
        .collect();
    (source, outlets)
}
