//! The figures of `index stats` ([`Stats`], [`Index::stats`]).

use std::path::Path;

use serde::Serialize;

use super::Index;
use super::params::IndexParams;
use super::store::{self, SCHEMA_VERSION};
use crate::error::Result;

/// Figures of `index stats`.
#[derive(Clone, Debug, Serialize)]
pub struct Stats {
    /// The index file.
    pub path: String,
    /// Schema version.
    pub schema_version: u32,
    /// Articles indexed.
    pub articles: u64,
    /// Of which without any word (not in any bucket).
    pub articles_without_words: u64,
    /// Bucket entries in the segment files (those of removed articles
    /// included until a merge drops them).
    pub band_entries: u64,
    /// Segment files.
    pub segments: u64,
    /// Removed or replaced articles whose data a merge has not yet dropped.
    pub removed_pending: u64,
    /// Bytes of the catalogue, its write-ahead log and the segment files.
    pub size_bytes: u64,
    /// `size_bytes / articles`.
    pub bytes_per_article: f64,
    /// The parameters.
    pub params: IndexParams,
}

impl Index {
    /// Figures for `index stats`.
    pub fn stats(&self) -> Result<Stats> {
        let view = self.view()?;
        let articles = self.len()?;
        let mut without = 0;
        for s in &view.segments {
            without += s.segment.articles_without_words(&|d| view.is_removed(d))?;
        }
        let band_entries: u64 = view.segments.iter().map(|s| s.segment.entry_count()).sum();
        let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
        let size_bytes = size(&self.path)
            + size(&store::wal_path(&self.path))
            + view
                .segments
                .iter()
                .map(|s| s.segment.file_size())
                .sum::<u64>();
        Ok(Stats {
            path: self.path.display().to_string(),
            schema_version: SCHEMA_VERSION,
            articles,
            articles_without_words: without,
            band_entries,
            segments: view.segments.len() as u64,
            removed_pending: view.tombstones.len() as u64,
            size_bytes,
            bytes_per_article: if articles == 0 {
                0.0
            } else {
                size_bytes as f64 / articles as f64
            },
            params: self.params.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::Article;
    use crate::index::{Index, IndexParams, NewDoc, OnDuplicate};

    #[test]
    fn stats_count_articles_segments_and_removals() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ix");
        let params = IndexParams::new(2, 16, 0, 0.3).unwrap();
        let mut ix = Index::create(&path, &params).unwrap();
        let doc = |id: &str| {
            let text = format!("{id} the council approved the budget on monday");
            NewDoc::sketch(
                Article {
                    id: id.into(),
                    text,
                    ..Default::default()
                },
                &params,
            )
        };
        ix.add_batch(vec![doc("a"), doc("b"), doc("c")], OnDuplicate::Error)
            .unwrap();
        ix.remove(&["b".to_string()], false).unwrap();
        let s = ix.stats().unwrap();
        assert_eq!((s.articles, s.segments, s.removed_pending), (2, 1, 1));
        assert_eq!(s.articles_without_words, 0);
        assert!(s.band_entries >= 3 && s.band_entries <= 3 * params.bands as u64);
        assert!(s.size_bytes > 0);
        assert_eq!(s.bytes_per_article, s.size_bytes as f64 / 2.0);
        assert_eq!(s.params, params);
    }
}
