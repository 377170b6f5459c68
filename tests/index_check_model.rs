//! `Index::check` against brute force: every indexed article scored
//! exactly, kept when it reaches the threshold, ordered by score, then
//! Jaccard, then id, and cut to the top. The corpus is made of close copies
//! (which banding finds with near certainty), exact copies under shuffled
//! ids (ties that only the id breaks, straddling the top's last place),
//! trimmed copies (ties on containment broken by Jaccard) and unrelated
//! articles.

use neardiff::Article;
use neardiff::dedup::Metric;
use neardiff::dedup::verify::exact_scores;
use neardiff::index::{CheckOptions, Index, IndexParams, NewDoc, OnDuplicate};

/// A deterministic pseudo-random stream.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn words(rng: &mut Rng, n: usize) -> Vec<String> {
    (0..n).map(|_| format!("w{}", rng.below(5000))).collect()
}

fn article(id: String, text: &[String]) -> Article {
    Article {
        id,
        text: text.join(" "),
        ..Default::default()
    }
}

#[test]
fn check_matches_brute_force() {
    let mut rng = Rng(0x5eed_1234_abcd_0042);
    let params = IndexParams::new(4, 128, 0, neardiff::index::DEFAULT_LSH_THRESHOLD).unwrap();
    let mut corpus: Vec<Article> = Vec::new();
    let mut probes: Vec<Vec<String>> = Vec::new();
    for story in 0..6 {
        let base = words(&mut rng, 120 + 40 * story);
        probes.push(base.clone());
        // Exact copies, ids in no particular order.
        for _ in 0..(4 + story) {
            corpus.push(article(
                format!("s{story}-x{:05}", rng.below(100_000)),
                &base,
            ));
        }
        // Close copies: a few words replaced.
        for k in 0..12 {
            let mut t = base.clone();
            for _ in 0..(1 + k % 4) {
                let at = rng.below(t.len());
                t[at] = format!("edit{}", rng.below(1000));
            }
            corpus.push(article(format!("s{story}-e{k:02}"), &t));
        }
        // Trimmed copies: every one wholly inside the base.
        for k in 0..6 {
            let cut = base.len() * (6 + k) / 12;
            corpus.push(article(format!("s{story}-t{k:02}"), &base[..cut]));
        }
    }
    for k in 0..60 {
        corpus.push(article(format!("u{k:03}"), &words(&mut rng, 150)));
    }
    // Ids must be unique: an exact copy whose random id repeats is dropped.
    corpus.sort_by(|a, b| a.id.cmp(&b.id));
    corpus.dedup_by(|a, b| a.id == b.id);

    let dir = tempfile::tempdir().unwrap();
    let mut index = Index::create(&dir.path().join("m.ndx"), &params).unwrap();
    let docs: Vec<NewDoc> = corpus
        .iter()
        .map(|a| NewDoc::sketch(a.clone(), &params))
        .collect();
    index.add_batch(docs.clone(), OnDuplicate::Error).unwrap();

    let mut checked = 0;
    for (p, probe) in probes.iter().enumerate() {
        let new = NewDoc::sketch(article(format!("probe{p}"), probe), &params);
        let fps = new.sketch.shingles.clone().unwrap();
        for (metric, threshold, top) in [
            (Metric::Jaccard, 0.5, 3),
            (Metric::Jaccard, 0.8, 5),
            (Metric::Containment, 0.9, 4),
            (Metric::Containment, 0.5, 9),
        ] {
            let opts = CheckOptions {
                metric,
                threshold,
                top,
            };
            let got = index.check(&new, &opts).unwrap();
            // Brute force over every indexed article.
            let mut want: Vec<(f64, f64, &str)> = docs
                .iter()
                .filter_map(|d| {
                    let (j, c_new, c_old) =
                        exact_scores(&fps, d.sketch.shingles.as_deref().unwrap(), metric, 0.0)?;
                    let score = match metric {
                        Metric::Jaccard => j,
                        Metric::Containment => c_new.max(c_old),
                    };
                    (score >= threshold).then_some((score, j, d.sketch.id.as_str()))
                })
                .collect();
            want.sort_by(|a, b| {
                b.0.total_cmp(&a.0)
                    .then(b.1.total_cmp(&a.1))
                    .then(a.2.cmp(b.2))
            });
            // The test needs ties at the cut: more articles at the last
            // place's score than places left.
            if want.len() > top {
                checked += (want[top - 1].0 == want[top].0) as usize;
            }
            want.truncate(top);
            let got: Vec<(f64, f64, &str)> = got
                .matches
                .iter()
                .map(|m| (m.score, m.jaccard, m.id.as_str()))
                .collect();
            assert_eq!(got, want, "probe {p}, {metric:?} at {threshold}, top {top}");
        }
    }
    assert!(checked >= 6, "only {checked} checks had a tie at the cut");
}
