//! neardiff finds near-duplicate news articles and shows exactly what
//! differs between two versions of a story.
//!
//! Data flows one way: an [`Article`] is read ([`read_article`],
//! [`parse_article`]); its body is segmented and normalised ([`text`]);
//! shingles and MinHash sketches measure how much two articles share
//! ([`sketch`]); sentences are aligned ([`align`]), quotes found and paired
//! ([`quotes`]), and everything is gathered into one
//! [`Comparison`](compare::Comparison) ([`compare`]), which the
//! [`report`] modules render as text, JSON, Markdown or HTML.
//!
//! # Comparing two versions of a story
//!
//! ```
//! use neardiff::compare::{compare, CompareOptions, QuoteStatus};
//!
//! let a = neardiff::parse_plain_text(
//!     "The council approved the budget on Monday.\n\n\
//!      \"We will review the contract,\" Mayor Ana Ruiz said.",
//!     "wire",
//! );
//! let b = neardiff::parse_plain_text(
//!     "The council approved the budget on Monday.\n\n\
//!      \"We will cancel the contract,\" Mayor Ana Ruiz said.",
//!     "outlet",
//! );
//! let c = compare(&a, &b, &CompareOptions::default());
//! assert_eq!(c.quotes[0].status, QuoteStatus::Altered);
//! assert_eq!(c.quotes[0].a.as_ref().unwrap().speaker.as_deref(), Some("Mayor Ana Ruiz"));
//! // The altered word is the first finding.
//! assert_eq!(c.facts[0].a.as_ref().unwrap().text, "review");
//! assert_eq!(c.facts[0].b.as_ref().unwrap().text, "cancel");
//!
//! let mut out = Vec::new();
//! neardiff::report::json::render(&c, &mut out).unwrap();
//! assert!(String::from_utf8(out).unwrap().contains("\"schema\": \"neardiff.compare/4\""));
//! ```
//!
//! # Measuring similarity
//!
//! ```
//! use neardiff::sketch::{containment, jaccard, shingle_set, MinHasher};
//!
//! let a = shingle_set("the quick brown fox jumps over the lazy dog", 4);
//! let b = shingle_set("the quick brown fox jumps over the sleeping cat", 4);
//! let exact = jaccard(&a, &b);
//! let h = MinHasher::new(128, 0);
//! let estimate = h.sketch(&a).jaccard(&h.sketch(&b))?;
//! assert!((exact - estimate).abs() < 0.3);
//! assert!(containment(&a, &b) < 1.0);
//! # Ok::<(), neardiff::Error>(())
//! ```
#![deny(missing_docs)]

pub mod align;
mod arch;
mod article;
mod cache;
pub mod compare;
pub mod corpus;
pub mod dedup;
pub mod diff;
mod error;
mod facts;
#[cfg(feature = "index")]
pub mod index;
pub mod lsh;
mod output;
pub mod quotes;
pub mod report;
pub mod sketch;
pub mod story;
#[cfg(feature = "index")]
mod sys;
pub mod text;

pub use article::{
    Article, FieldMap, Keep, article_from_json, decode_text, default_id, is_json_article,
    outlet_from_url, parse_article, parse_json_article, parse_plain_text, read_article, read_input,
};
pub use error::{Error, ErrorKind, IoOp, Remedy, Result};
pub use output::write_atomic;
