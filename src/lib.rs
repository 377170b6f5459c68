//! neardiff finds near-duplicate news articles and shows exactly what
//! differs between two versions of a story.
#![deny(missing_docs)]

pub mod align;
mod article;
pub mod compare;
pub mod diff;
mod error;
mod facts;
mod output;
pub mod quotes;
pub mod report;
pub mod sketch;
pub mod text;

pub use article::{
    Article, FieldMap, article_from_json, decode_text, default_id, parse_article,
    parse_json_article, parse_plain_text, read_article, read_input,
};
pub use error::{Error, ErrorKind, Result};
pub use output::write_atomic;
