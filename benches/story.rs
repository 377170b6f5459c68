//! Benchmark of `story` (see benches/README.md): one source against 1,000
//! outlet articles of about 800 words each.
//!
//! The source is the harbour-fire wire story followed by the first
//! paragraphs of `wire-trimmed-a.txt` (about 800 words). Outlet `i` starts
//! from one of the six harbour-fire outlet versions (`i % 6`) followed by
//! the same extra paragraphs, and is then edited with a seeded generator:
//! paragraphs dropped (8%), swapped with the next one (10%) or reworded
//! (15%: a few words replaced, a number changed); then paragraphs of other
//! samples are appended until it has about 800 words. All of this happens
//! before the timed loop (each iteration gets a fresh copy of the
//! articles, made outside the timing); the timed part is `build_story` (every pairwise
//! comparison plus the matrix, quotes, facts and ranking).

#[path = "common/story_inputs.rs"]
mod story_inputs;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use neardiff::story::{StoryOptions, build_story};
use story_inputs::inputs;

fn bench_story(c: &mut Criterion) {
    let (source, outlets) = inputs();
    let mut all = vec![source];
    all.extend(outlets);
    let n = all.len() - 1;
    let mean: usize = all[1..]
        .iter()
        .map(|a| a.text.split_whitespace().count())
        .sum::<usize>()
        / n;
    eprintln!(
        "story bench: source {} words, {n} outlets, {mean} words on average",
        all[0].text.split_whitespace().count()
    );
    let given = StoryOptions {
        source: Some("source".into()),
        ..StoryOptions::default()
    };
    let inferred = StoryOptions::default();
    let mut group = c.benchmark_group("story");
    group.sample_size(10);
    group.bench_function("1000-outlets", |b| {
        b.iter_batched(
            || all.clone(),
            |v| build_story(v, &given).unwrap(),
            BatchSize::LargeInput,
        )
    });
    group.bench_function("1000-outlets-inferred-source", |b| {
        b.iter_batched(
            || all.clone(),
            |v| build_story(v, &inferred).unwrap(),
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, bench_story);
criterion_main!(benches);
