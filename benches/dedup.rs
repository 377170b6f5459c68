//! Criterion benchmarks of the dedup stages on a synthetic corpus built
//! before the timed loops (2,000 articles of 300 words, a third of them
//! edited copies): sketching (per MinHash scheme and end to end per
//! article), bucketing, verification and clustering. See benches/README.md.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use neardiff::Article;
use neardiff::dedup::{self, DedupOptions, Metric, Scratch};
use neardiff::sketch::{MinHasher, Scheme, shingle_set};

fn corpus(n: usize) -> Vec<Article> {
    let mut state = 7u64;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize
    };
    let mut texts: Vec<Vec<String>> = Vec::new();
    for i in 0..n {
        let words = if i > 10 && next() % 3 == 0 {
            let mut base = texts[next() % texts.len()].clone();
            for _ in 0..5 {
                let p = next() % base.len();
                base[p] = format!("edit{}", next() % 1000);
            }
            base
        } else {
            (0..300).map(|_| format!("w{}", next() % 20_000)).collect()
        };
        texts.push(words);
    }
    texts
        .into_iter()
        .enumerate()
        .map(|(i, w)| Article {
            id: format!("a{i}"),
            text: w.join(" "),
            ..Article::default()
        })
        .collect()
}

fn bench_minhash(c: &mut Criterion) {
    let set = shingle_set(&corpus(1)[0].text, 4);
    let mut g = c.benchmark_group("minhash_128");
    g.throughput(Throughput::Elements(set.len() as u64));
    for (scheme, name) in [
        (Scheme::OnePermutation, "one_permutation"),
        (Scheme::Classic, "classic"),
        (Scheme::Circulant, "c_minhash"),
    ] {
        let h = MinHasher::with_scheme(128, 1, scheme);
        g.bench_function(name, |b| b.iter(|| black_box(h.sketch(&set))));
    }
    g.finish();
}

fn bench_stages(c: &mut Criterion) {
    let articles = corpus(2000);
    let bytes: usize = articles.iter().map(|a| a.text.len()).sum();
    let opts = DedupOptions::default();
    let params = opts.sketch_params();
    let mut g = c.benchmark_group("dedup_2000_articles");
    g.sample_size(20);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("sketch", |b| {
        b.iter(|| {
            let mut s = Scratch::default();
            for a in &articles {
                black_box(dedup::sketch_article(a.clone(), &params, &mut s));
            }
        })
    });
    let mut s = Scratch::default();
    let docs: Vec<_> = articles
        .iter()
        .map(|a| dedup::sketch_article(a.clone(), &params, &mut s))
        .collect();
    let keys = dedup::BandKeys::of(&docs, &opts.plan());
    g.bench_function("bucket", |b| b.iter(|| black_box(dedup::candidates(&keys))));
    let cands = dedup::candidates(&keys);
    g.bench_function("verify", |b| {
        b.iter(|| {
            black_box(dedup::verify(
                &docs,
                &cands,
                Metric::Jaccard,
                opts.threshold,
            ))
        })
    });
    let pairs = dedup::verify(&docs, &cands, Metric::Jaccard, opts.threshold);
    g.bench_function("cluster", |b| {
        b.iter(|| black_box(dedup::cluster(&docs, &pairs, Metric::Jaccard)))
    });
    g.bench_function("end_to_end", |b| {
        b.iter(|| black_box(dedup::run_articles(articles.clone(), &opts)))
    });
    g.finish();
}

criterion_group!(benches, bench_minhash, bench_stages);
criterion_main!(benches);
