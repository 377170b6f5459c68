//! Runs `compare` on the benchmark pair in a loop, for profilers:
//! `profile_compare [N] [A B]` (N rounds, default 100; A and B two article
//! files to compare instead of the benchmark pair).
use neardiff::compare::{CompareOptions, compare};
use neardiff::{Article, read_article};
use std::path::Path;

fn load(rel: &str) -> Article {
    read_article(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("samples")
            .join(rel),
    )
    .unwrap()
}

fn main() {
    let join = |parts: &[&str]| Article {
        text: parts
            .iter()
            .map(|p| load(p).text.trim_end().to_string())
            .collect::<Vec<_>>()
            .join("\n\n"),
        ..Article::default()
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: usize = args.first().and_then(|s| s.parse().ok()).unwrap_or(100);
    let (a, b) = match &args[..] {
        [_, a, b] => (
            read_article(Path::new(a)).unwrap(),
            read_article(Path::new(b)).unwrap(),
        ),
        _ => (
            join(&["story-harbour-fire/wire.txt", "number-changed-a.txt"]),
            join(&[
                "story-harbour-fire/outlet-reworded.txt",
                "number-changed-b.txt",
            ]),
        ),
    };
    let t = std::time::Instant::now();
    let mut total = 0;
    for _ in 0..n {
        total += compare(&a, &b, &CompareOptions::default()).passages.len();
    }
    eprintln!("{:?} per compare ({total})", t.elapsed() / n as u32);
}
