//! neardiff finds near-duplicate news articles and shows exactly what
//! differs between two versions of a story.
#![deny(missing_docs)]

mod article;
pub mod compare;
pub mod corpus;
pub mod dedup;
pub mod diff;
mod error;
pub mod lsh;
pub mod quotes;
pub mod sketch;
pub mod text;

pub use article::{
    Article, FieldMap, article_from_json, decode_text, default_id, parse_article,
    parse_json_article, parse_plain_text, read_article, read_input,
};
pub use error::{Error, ErrorKind, Result};
