//! Property tests of `compare`: spans cover each text exactly once, an
//! article compared with itself is all `same`, and compare(A, B) mirrors
//! compare(B, A).

use neardiff::compare::{
    CompareOptions, Comparison, PassageKind, SpanLabel, compare, compare_versions,
};
use neardiff::{Article, sketch};
use proptest::prelude::*;

fn article(id: &str, text: String) -> Article {
    Article {
        id: id.into(),
        text,
        ..Article::default()
    }
}

fn check_cover(text: &str, spans: &[neardiff::compare::LabeledSpan]) -> Result<(), TestCaseError> {
    let mut at = 0;
    for s in spans {
        prop_assert_eq!(s.start, at, "gap or overlap at {}", at);
        prop_assert!(s.end > s.start, "empty span at {}", s.start);
        prop_assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
        at = s.end;
    }
    prop_assert_eq!(at, text.len());
    Ok(())
}

/// Arbitrary text: words, punctuation, quotes, line breaks, non-ASCII.
fn messy_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            "[a-zA-Z]{1,8}",
            "[0-9]{1,4}(\\.[0-9])?",
            Just(". ".to_string()),
            Just(", ".to_string()),
            Just(" ".to_string()),
            Just("\n\n".to_string()),
            Just("\n".to_string()),
            Just("“".to_string()),
            Just("”".to_string()),
            Just("\"".to_string()),
            Just("’".to_string()),
            Just("«".to_string()),
            Just("Mr. ".to_string()),
            Just("U.S. ".to_string()),
            // Wire copy: TeX quotes, paragraph marks, indented and
            // hard-wrapped lines, capitals.
            Just("``".to_string()),
            Just("''".to_string()),
            Just("\n< ".to_string()),
            Just("\n    ".to_string()),
            Just("¶".to_string()),
            Just("AN ELDERLY ".to_string()),
            Just("HEADLINE IN CAPITALS\n".to_string()),
            "[é漢字ß—–\u{00AD}\u{FB01}]{1,3}",
        ],
        0..80,
    )
    .prop_map(|parts| parts.concat())
}

/// Sentences with words unique to each sentence, so the best alignment is
/// unambiguous, and a rewrite of them: sentences dropped, added, moved,
/// and words substituted.
fn story_pair() -> impl Strategy<Value = (String, String)> {
    (
        3usize..12,
        prop::collection::vec((0u8..10, 0u8..10, 0u8..8), 12),
        0u64..1000,
    )
        .prop_map(|(n, edits, salt)| {
            let sentence = |i: usize, sub: u8| -> String {
                let words: Vec<String> = (0..8)
                    .map(|k| {
                        if sub > 0 && k == sub as usize % 8 {
                            format!("new{salt}x{i}")
                        } else {
                            format!("w{i}k{k}")
                        }
                    })
                    .collect();
                let mut s = words.join(" ");
                s[..1].make_ascii_uppercase();
                s + "."
            };
            let a: Vec<String> = (0..n).map(|i| sentence(i, 0)).collect();
            let mut b: Vec<String> = Vec::new();
            for (i, &(op, sub, _)) in edits.iter().enumerate().take(n) {
                match op {
                    0 => {}                               // dropped
                    1 => b.push(sentence(i, sub.max(1))), // reworded
                    2 => {
                        b.push(sentence(i, 0));
                        b.push(sentence(100 + i, 0)); // added
                    }
                    _ => b.push(sentence(i, 0)),
                }
            }
            if let Some(&(_, _, m)) = edits.last()
                && b.len() > 2
            {
                let k = m as usize % b.len();
                let s = b.remove(k);
                b.push(s); // moved to the end
            }
            (a.join("\n\n"), b.join("\n\n"))
        })
}

fn mirror_labels(c: &Comparison) -> Vec<(usize, usize, SpanLabel)> {
    c.a.spans
        .iter()
        .map(|s| (s.start, s.end, s.label))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn spans_cover_each_text_exactly(a in messy_text(), b in messy_text()) {
        let c = compare(&article("a", a.clone()), &article("b", b.clone()), &CompareOptions::default());
        check_cover(&a, &c.a.spans)?;
        check_cover(&b, &c.b.spans)?;
        prop_assert!(c.a.spans.iter().all(|s| s.label != SpanLabel::Added));
        prop_assert!(c.b.spans.iter().all(|s| s.label != SpanLabel::Dropped));
    }

    #[test]
    fn versions_cover_each_text_and_give_b_every_copied_word(
        (a, _) in story_pair(),
        other in messy_text(),
    ) {
        prop_assume!(!other.trim().is_empty());
        let (v1, v2) = (article("v1", other), article("v2", a.clone()));
        let c = compare_versions(&[v1, v2], &article("b", a.clone()), &CompareOptions::default())
            .unwrap();
        check_cover(&c.a.text, &c.a.spans)?;
        check_cover(&a, &c.b.spans)?;
        // B is the second version word for word: all `same`.
        prop_assert!(c.b.spans.iter().all(|s| s.label == SpanLabel::Same), "{:?}", c.b.spans);
        prop_assert_eq!(c.a.versions.len(), 2);
        prop_assert_eq!(&c.a.text[c.a.versions[1].start..c.a.versions[1].end], a.as_str());
    }

    #[test]
    fn self_comparison_is_all_same(a in messy_text()) {
        prop_assume!(!a.trim().is_empty());
        let c = compare(&article("a", a.clone()), &article("a", a.clone()), &CompareOptions::default());
        prop_assert!(c.a.spans.iter().all(|s| s.label == SpanLabel::Same), "{:?}", c.a.spans);
        prop_assert!(c.b.spans.iter().all(|s| s.label == SpanLabel::Same));
        prop_assert!(c.passages.iter().all(|p| p.kind == PassageKind::Unchanged));
        prop_assert_eq!(c.similarity.jaccard, 1.0);
        prop_assert!(c.facts.is_empty());
    }

    #[test]
    fn compare_mirrors_swapped_compare((a, b) in story_pair()) {
        let opts = CompareOptions::default();
        let ab = compare(&article("a", a.clone()), &article("b", b.clone()), &opts);
        let ba = compare(&article("b", b), &article("a", a), &opts);
        let flip = |l: SpanLabel| match l {
            SpanLabel::Added => SpanLabel::Dropped,
            SpanLabel::Dropped => SpanLabel::Added,
            x => x,
        };
        let ba_b: Vec<_> = ba.b.spans.iter().map(|s| (s.start, s.end, flip(s.label))).collect();
        prop_assert_eq!(mirror_labels(&ab), ba_b);
        prop_assert_eq!(ab.similarity.jaccard, ba.similarity.jaccard);
        prop_assert_eq!(ab.similarity.containment_a_in_b, ba.similarity.containment_b_in_a);
        prop_assert_eq!(ab.similarity.verdict, ba.similarity.verdict);
        prop_assert_eq!(ab.summary.added, ba.summary.dropped);
        prop_assert_eq!(ab.summary.reworded, ba.summary.reworded);
        prop_assert_eq!(ab.summary.moved, ba.summary.moved);
        let mut pairs_ab: Vec<_> = ab.passages.iter().filter_map(|p| Some((p.a?, p.b?, p.score))).collect();
        let mut pairs_ba: Vec<_> = ba.passages.iter().filter_map(|p| Some((p.b?, p.a?, p.score))).collect();
        pairs_ab.sort_by_key(|x| (x.0, x.1));
        pairs_ba.sort_by_key(|x| (x.0, x.1));
        prop_assert_eq!(pairs_ab, pairs_ba);
        let mut runs_ab: Vec<_> = ab.runs.iter().map(|r| (r.a, r.b, r.words, r.aligned)).collect();
        let mut runs_ba: Vec<_> = ba.runs.iter().map(|r| (r.b, r.a, r.words, r.aligned)).collect();
        runs_ab.sort_by_key(|x| (x.0, x.1));
        runs_ba.sort_by_key(|x| (x.0, x.1));
        prop_assert_eq!(runs_ab, runs_ba);
    }

    #[test]
    fn copied_runs_are_same_on_both_sides_and_match_a_brute_force_finder((a, b) in story_pair()) {
        let c = compare(&article("a", a.clone()), &article("b", b.clone()), &CompareOptions::default());
        // Brute force over the words (normalised with the library's own
        // normaliser): every maximal shared run of at least 4 words.
        let words = |t: &str| -> Vec<(usize, usize, String)> {
            neardiff::text::words(t).iter().map(|w| (w.span.start, w.span.end, String::from(&*w.norm))).collect()
        };
        let (wa, wb) = (words(&a), words(&b));
        let mut brute = Vec::new();
        for i in 0..wa.len() {
            for j in 0..wb.len() {
                if i > 0 && j > 0 && wa[i - 1].2 == wb[j - 1].2 {
                    continue;
                }
                let mut n = 0;
                while i + n < wa.len() && j + n < wb.len() && wa[i + n].2 == wb[j + n].2 {
                    n += 1;
                }
                if n >= 4 {
                    brute.push((wa[i].0, wa[i + n - 1].1, wb[j].0, wb[j + n - 1].1, n));
                }
            }
        }
        brute.sort_unstable();
        let mut found: Vec<_> = c.runs.iter().map(|r| (r.a.start, r.a.end, r.b.start, r.b.end, r.words)).collect();
        found.sort_unstable();
        prop_assert_eq!(found, brute);
        for r in &c.runs {
            for (spans, range) in [(&c.a.spans, r.a), (&c.b.spans, r.b)] {
                for s in spans.iter().filter(|s| s.start < range.end && range.start < s.end) {
                    prop_assert_eq!(s.label, SpanLabel::Same);
                }
            }
        }
    }

    #[test]
    fn minhash_estimate_within_expected_error(
        n_a in 50usize..300, n_b in 50usize..300, shared in 0usize..300, seed in 0u64..1000
    ) {
        let shared = shared.min(n_a).min(n_b);
        // Distinct words, so shingles of size 1 are exactly these sets.
        let a: Vec<String> = (0..n_a).map(|i| if i < shared { format!("s{i}") } else { format!("a{i}") }).collect();
        let b: Vec<String> = (0..n_b).map(|i| if i < shared { format!("s{i}") } else { format!("b{i}") }).collect();
        let (sa, sb) = (sketch::shingle_set(&a.join(" "), 1), sketch::shingle_set(&b.join(" "), 1));
        let exact = sketch::jaccard(&sa, &sb);
        let k = 256;
        let h = sketch::MinHasher::new(k, seed);
        let est = h.sketch(&sa).jaccard(&h.sketch(&sb)).unwrap();
        // The estimate is a mean of k Bernoulli(J) draws: standard error
        // sqrt(J(1-J)/k); allow 5 standard errors (false alarm < 1e-6).
        let se = (exact * (1.0 - exact) / k as f64).sqrt();
        prop_assert!((est - exact).abs() <= 5.0 * se + 1.0 / k as f64,
            "exact {} estimate {} se {}", exact, est, se);
    }
}
