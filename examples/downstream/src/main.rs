//! neardiff as a library: compare two versions of a story, then find the
//! near-duplicates among a few articles held in memory.

use neardiff::compare::{CompareOptions, QuoteStatus, compare};
use neardiff::dedup::{DedupOptions, run_articles};

fn main() {
    // Two versions of one story: the second changed a word inside a quote.
    let wire = neardiff::parse_plain_text(
        "The council approved the budget on Monday.\n\n\
         \"We will review the contract,\" Mayor Ana Ruiz said.",
        "wire",
    );
    let outlet = neardiff::parse_plain_text(
        "The council approved the budget on Monday.\n\n\
         \"We will cancel the contract,\" Mayor Ana Ruiz said.",
        "outlet",
    );
    let c = compare(&wire, &outlet, &CompareOptions::default());
    let altered = c
        .quotes
        .iter()
        .filter(|q| q.status == QuoteStatus::Altered)
        .count();
    println!("compare: {altered} altered quote(s)");
    assert_eq!(altered, 1);

    // Dedup of a Vec of articles: a wire story, a copy with one word
    // changed, and an unrelated story.
    let story = "The central bank raised its main interest rate by a quarter \
                 point on Thursday, the third increase this year, citing \
                 prices that rose faster than expected in the autumn and a \
                 labour market that remains tight across most regions.";
    let articles = vec![
        neardiff::parse_plain_text(story, "wire-1"),
        neardiff::parse_plain_text(&story.replace("Thursday", "Friday"), "paper-2"),
        neardiff::parse_plain_text(
            "Heavy snow closed the mountain pass for a second day, and \
             crews worked through the night to clear drifts taller than \
             the plough trucks before the weekend traffic arrives.",
            "weather-3",
        ),
    ];
    let result = run_articles(articles, &DedupOptions::default());
    for cluster in &result.clusters {
        let ids: Vec<String> = cluster
            .members
            .iter()
            .map(|m| format!("{} ({:.2})", result.docs[m.doc as usize].id, m.score))
            .collect();
        println!("dedup: cluster {}", ids.join(", "));
    }
    assert_eq!(result.clusters.len(), 1);
    assert_eq!(result.clusters[0].members.len(), 2);
}
