//! Comparing two articles.

mod model;

pub use model::*;
