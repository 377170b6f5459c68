//! Outlet boilerplate (dedup::boilerplate): the clusters of a corpus whose
//! articles carry their outlet's header (with the article's own date and
//! time after it) and footer are the clusters of the same corpus without
//! them; a page that is nothing but chrome is too
//! short; and a corpus without outlets keeps every shingle.

use neardiff::Article;
use neardiff::dedup::{DedupOptions, Metric, run_articles};

/// A deterministic stream of words from a vocabulary of `vocab` made-up
/// words.
struct Words(u64);

impl Words {
    fn next(&mut self, vocab: u64) -> String {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        format!("w{}", (self.0 >> 33) % vocab)
    }

    fn text(&mut self, n: usize, vocab: u64) -> Vec<String> {
        (0..n).map(|_| self.next(vocab)).collect()
    }
}

/// Stories (30 to 90 words), each run by one to three of four outlets,
/// sometimes with a word changed; returns `(outlet, body)` per article.
fn corpus() -> Vec<(usize, Vec<String>)> {
    let mut w = Words(7);
    let mut out = Vec::new();
    for s in 0..160usize {
        let len = 30 + (s * 37) % 61;
        let story = w.text(len, 5_000);
        let copies = 1 + s % 3;
        for c in 0..copies {
            let mut body = story.clone();
            if c == 2 {
                body[len / 2] = w.next(5_000);
            }
            out.push(((s + c) % 4, body));
        }
    }
    out
}

/// Each outlet's header (12 words) and footer (40 words), its own words.
fn chrome() -> Vec<(Vec<String>, Vec<String>)> {
    let mut w = Words(99);
    (0..4)
        .map(|o| {
            let name = format!("outlet{o}");
            let mut header = vec![name.clone()];
            header.extend(w.text(11, 300));
            let mut footer = w.text(39, 300);
            footer.push(name);
            (header, footer)
        })
        .collect()
}

fn articles(with_chrome: bool, with_outlet: bool) -> Vec<Article> {
    let chrome = chrome();
    corpus()
        .into_iter()
        .enumerate()
        .map(|(i, (o, body))| {
            let mut words = Vec::new();
            if with_chrome {
                words.extend(chrome[o].0.iter().cloned());
                // A date and time of the article's own, as a scraped
                // page prints it after the masthead.
                let months = ["January", "February", "March", "April", "May", "June"];
                words.push(format!("{}", 1 + i % 28));
                words.push(months[(i / 28) % 6].to_string());
                words.push("2017".to_string());
                words.push(format!("{}:{:02}", (i * 7) % 24, (i * 13) % 60));
            }
            words.extend(body);
            if with_chrome {
                words.extend(chrome[o].1.iter().cloned());
            }
            Article {
                id: format!("a{i:04}"),
                outlet: with_outlet.then(|| format!("Outlet {o}")),
                text: words.join(" "),
                ..Article::default()
            }
        })
        .collect()
}

fn clusters(arts: Vec<Article>, opts: &DedupOptions) -> Vec<Vec<String>> {
    let r = run_articles(arts, opts);
    let mut out: Vec<Vec<String>> = r
        .clusters
        .iter()
        .map(|c| {
            let mut ids: Vec<String> = c
                .members
                .iter()
                .map(|m| r.docs[m.doc as usize].id.clone())
                .collect();
            ids.sort();
            ids
        })
        .collect();
    out.sort();
    out
}

fn options(metric: Metric, boilerplate: bool) -> DedupOptions {
    DedupOptions {
        metric,
        threshold: if metric == Metric::Jaccard { 0.5 } else { 0.8 },
        boilerplate,
        ..DedupOptions::default()
    }
}

/// Pairs co-clustered in both / pairs co-clustered in either.
fn agreement(a: &[Vec<String>], b: &[Vec<String>]) -> f64 {
    let pairs = |cs: &[Vec<String>]| -> std::collections::BTreeSet<(String, String)> {
        cs.iter()
            .flat_map(|c| {
                c.iter()
                    .enumerate()
                    .flat_map(move |(i, x)| c[i + 1..].iter().map(move |y| (x.clone(), y.clone())))
            })
            .collect()
    };
    let (pa, pb) = (pairs(a), pairs(b));
    let both = pa.intersection(&pb).count();
    both as f64 / (pa.len() + pb.len() - both).max(1) as f64
}

#[test]
fn header_and_footer_do_not_change_the_clusters() {
    for metric in [Metric::Jaccard, Metric::Containment] {
        let clean = clusters(articles(false, true), &options(metric, true));
        assert!(clean.len() > 50, "{metric:?}: {} clusters", clean.len());
        let chrome = clusters(articles(true, true), &options(metric, true));
        let kept = clusters(articles(true, true), &options(metric, false));
        let (set_aside, with_it) = (agreement(&chrome, &clean), agreement(&kept, &clean));
        // The shingles that straddle the chrome and the story, and those
        // of the date after the header, go with the chrome.
        assert_eq!(chrome, clean, "{metric:?}: agreement {set_aside}");
        // Kept, the chrome joins unrelated stories of one outlet.
        assert!(with_it < 0.1, "{metric:?}: {with_it}");
    }
}

#[test]
fn without_the_edges_the_date_and_the_seams_stay() {
    // The same corpus with the date and the seams left in (edges not
    // kept): short copies on different outlets fall apart, so the test
    // above measures what the edges do.
    let mut opts = options(Metric::Containment, true);
    opts.boilerplate_edges = false;
    let clean = clusters(articles(false, true), &options(Metric::Containment, true));
    let chrome = clusters(articles(true, true), &opts);
    assert!(agreement(&chrome, &clean) < 0.95);
}

#[test]
fn a_page_of_chrome_alone_is_too_short() {
    let mut arts = articles(true, true);
    let (header, footer) = chrome().remove(1);
    for i in 0..2 {
        arts.push(Article {
            id: format!("stub{i}"),
            outlet: Some("Outlet 1".into()),
            text: format!("{} episode {i} {}", header.join(" "), footer.join(" ")),
            ..Article::default()
        });
    }
    let r = run_articles(arts, &options(Metric::Containment, true));
    for d in r.docs.iter().filter(|d| d.id.starts_with("stub")) {
        assert!(d.is_empty(), "{} kept {} shingles", d.id, d.num_shingles);
    }
    assert_eq!(r.summary.boilerplate_only, 2);
    assert!(r.summary.boilerplate_shingles >= 40);
    assert_eq!(r.summary.boilerplate_outlets, 4);
}

#[test]
fn without_outlets_nothing_is_set_aside() {
    let r = run_articles(articles(true, false), &options(Metric::Jaccard, true));
    assert_eq!(r.summary.boilerplate_shingles, 0);
    assert_eq!(r.summary.boilerplate_articles, 0);
}

#[test]
fn the_same_sets_whatever_the_threads() {
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let a = one.install(|| run_articles(articles(true, true), &options(Metric::Jaccard, true)));
    let b = run_articles(articles(true, true), &options(Metric::Jaccard, true));
    assert_eq!(a.boilerplate, b.boilerplate);
    assert_eq!(
        a.summary.boilerplate_articles,
        b.summary.boilerplate_articles
    );
}
