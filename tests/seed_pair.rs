//! The acceptance checks of `compare` on the two real seed articles: the
//! same story with partial overlap, the Prime Minister's Office quote about
//! Azerbaijan as a strategic ally altered (with its word changes), "I seek
//! my brothers" only in B, and reworded sentences aligned as reworded.

use std::path::Path;

use neardiff::compare::{CompareOptions, Comparison, PassageKind, QuoteStatus, Verdict, compare};
use neardiff::diff::EditOp;
use neardiff::read_article;

fn seed_comparison() -> Comparison {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let a = read_article(&dir.join("knesset-azerbaijan-newsaz.txt")).unwrap();
    let b = read_article(&dir.join("knesset-azerbaijan-jns.txt")).unwrap();
    compare(&a, &b, &CompareOptions::default())
}

#[test]
fn same_story_with_partial_overlap() {
    let c = seed_comparison();
    assert_eq!(c.similarity.verdict, Verdict::Related);
    assert!(c.similarity.jaccard < 0.5);
    assert!(c.similarity.aligned_a > 0.5, "{:?}", c.similarity);
}

#[test]
fn strategic_ally_quote_is_altered_with_its_word_changes() {
    let c = seed_comparison();
    let q = c
        .quotes
        .iter()
        .find(|q| {
            q.a.as_ref().is_some_and(|a| {
                a.text
                    .starts_with("Azerbaijan is an important strategic ally")
            })
        })
        .expect("the PMO quote of A is found");
    assert_eq!(q.status, QuoteStatus::Altered);
    let b = q.b.as_ref().expect("paired with B's quote");
    assert!(b.text.starts_with("Azerbaijan is a key strategic ally"));
    assert_eq!(q.a.as_ref().unwrap().speaker.as_deref(), Some("PMO"));
    assert_eq!(b.speaker.as_deref(), Some("Prime Minister's Office"));
    let replaced: Vec<(&str, &str)> = q
        .edits
        .iter()
        .filter(|e| e.op == EditOp::Replace)
        .map(|e| (e.a.slice(&c.a.text), e.b.slice(&c.b.text)))
        .collect();
    assert!(
        replaced.contains(&("an important", "a key")),
        "{replaced:?}"
    );
    // The change is a high-severity finding, listed before any other kind
    // of finding of lower severity.
    let f = c
        .facts
        .iter()
        .position(|f| f.a.as_ref().is_some_and(|v| v.text == "an important"))
        .expect("a finding for important -> key");
    assert!(c.facts[f].in_quote);
    assert_eq!(c.facts[f].severity, neardiff::compare::Severity::High);
    // The item added to the list inside the quote.
    assert!(
        c.facts
            .iter()
            .any(|f| f.b.as_ref().is_some_and(|v| v.text == "agriculture"))
    );
}

#[test]
fn i_seek_my_brothers_is_only_in_b() {
    let c = seed_comparison();
    let q = c
        .quotes
        .iter()
        .find(|q| q.b.as_ref().is_some_and(|b| b.text == "I seek my brothers"))
        .expect("the quote is found in B");
    assert_eq!(q.status, QuoteStatus::OnlyB);
    assert!(q.a.is_none());
}

#[test]
fn reworded_sentences_are_aligned_not_added_and_dropped() {
    let c = seed_comparison();
    let passage_of = |needle: &str| {
        let at = c.a.text.find(needle).unwrap();
        c.passages
            .iter()
            .find(|p| p.a.is_some_and(|s| s.start <= at && at < s.end))
            .unwrap()
    };
    for needle in [
        "These relationships align with Israel's broader regional policy",
        "According to Strock, \"Israel will continue",
        "Israel is engaged in ongoing discussions with the US",
    ] {
        let p = passage_of(needle);
        assert!(
            matches!(p.kind, PassageKind::Reworded | PassageKind::Moved),
            "{needle}: {:?}",
            p.kind
        );
        assert!(p.b.is_some());
        assert!(p.edits.iter().any(|e| e.op != EditOp::Equal));
    }
    // Most of A is aligned with B; little is dropped.
    let dropped = c
        .passages
        .iter()
        .filter(|p| p.kind == PassageKind::Dropped)
        .count();
    let aligned = c
        .passages
        .iter()
        .filter(|p| p.a.is_some() && p.b.is_some())
        .count();
    assert!(
        aligned >= 5 * dropped,
        "{aligned} aligned, {dropped} dropped"
    );
}
