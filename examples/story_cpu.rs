//! Runs the story benchmark's workload (one source, 1,000 outlets of about
//! 800 words; `benches/common/story_inputs.rs`) a few times and prints the
//! wall-clock and CPU time of each run. CPU time divided by the number of
//! cores is what the wall-clock time would be on an idle machine, which
//! helps when other jobs share the machine. Linux only (reads
//! `/proc/self/stat`).
//!
//! `cargo run --release --example story_cpu`

#[path = "../benches/common/story_inputs.rs"]
mod story_inputs;

use std::time::Instant;

use neardiff::story::{StoryOptions, build_story};

/// User + system CPU time of this process in seconds.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses).
    let rest = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the line, 12 and 13 here; the
    // kernel counts them in clock ticks of 1/100 s.
    (ticks(11) + ticks(12)) / 100.0
}

fn main() {
    let (source, outlets) = story_inputs::inputs();
    let mut all = vec![source];
    all.extend(outlets);
    let opts = StoryOptions {
        source: Some("source".into()),
        ..StoryOptions::default()
    };
    let threads = rayon::current_num_threads();
    for run in 1..=5 {
        let input = all.clone();
        let (t, c) = (Instant::now(), cpu_seconds());
        let story = build_story(input, &opts).unwrap();
        let (wall, cpu) = (t.elapsed().as_secs_f64(), cpu_seconds() - c);
        println!(
            "run {run}: {} articles, wall {wall:.3} s, CPU {cpu:.2} s ({threads} threads; CPU / threads = {:.3} s)",
            story.articles.len(),
            cpu / threads as f64
        );
    }
}
