//! Benchmarks of `compare` (see benches/README.md).
//!
//! `compare/1000-words`: one pair of ~1,000-word articles built from the
//! bundled samples: A is the harbour-fire wire story followed by the
//! number-changed article A; B is the reworded outlet version of the wire
//! story followed by the number-changed article B. So the pair has both a
//! heavy rewrite (every sentence reworded, quotes kept) and a near-copy.
//!
//! `compare/seed-pair`: the two real seed articles (405 and 766 words).
//!
//! Inputs are read and parsed outside the timed loop; the timed part is the
//! whole analysis (shingles, MinHash, alignment, quotes, facts, spans).

use criterion::{Criterion, black_box, criterion_group, criterion_main};
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

fn joined(id: &str, parts: &[&str]) -> Article {
    let text = parts
        .iter()
        .map(|p| load(p).text.trim_end().to_string())
        .collect::<Vec<_>>()
        .join("\n\n");
    Article {
        id: id.into(),
        text,
        ..Article::default()
    }
}

fn bench_compare(c: &mut Criterion) {
    let a = joined(
        "a",
        &["story-harbour-fire/wire.txt", "number-changed-a.txt"],
    );
    let b = joined(
        "b",
        &[
            "story-harbour-fire/outlet-reworded.txt",
            "number-changed-b.txt",
        ],
    );
    let opts = CompareOptions::default();
    let mut group = c.benchmark_group("compare");
    group.bench_function("1000-words", |bench| {
        bench.iter(|| compare(black_box(&a), black_box(&b), &opts))
    });
    let sa = load("knesset-azerbaijan-newsaz.txt");
    let sb = load("knesset-azerbaijan-jns.txt");
    group.bench_function("seed-pair", |bench| {
        bench.iter(|| compare(black_box(&sa), black_box(&sb), &opts))
    });
    group.finish();
}

criterion_group!(benches, bench_compare);
criterion_main!(benches);
