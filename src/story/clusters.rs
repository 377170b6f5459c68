//! Stories of `dedup` clusters: the articles of each cluster, read again
//! from the corpus (dedup keeps no text), one story per cluster.

use std::collections::HashMap;

use crate::article::{Article, FieldMap};
use crate::corpus::{BatchLimits, BatchReader, Input};
use crate::error::{Error, ErrorKind, Result};

/// Reads `inputs` again and returns, for each cluster of `clusters` (lists
/// of article ids), its articles in the cluster's order. Only clustered
/// articles are kept in memory; records that do not parse are passed over
/// (dedup has reported them already). Stdin cannot be read twice.
pub fn cluster_articles(
    inputs: Vec<Input>,
    fields: &FieldMap,
    clusters: &[Vec<String>],
) -> Result<Vec<Vec<Article>>> {
    if inputs.iter().any(|i| i.path.as_os_str() == "-") {
        return Err(Error::new(ErrorKind::Usage(
            "story reports need the corpus in files: stdin cannot be read a second time".into(),
        )));
    }
    let mut place: HashMap<&str, (usize, usize)> = HashMap::new();
    for (c, ids) in clusters.iter().enumerate() {
        for (k, id) in ids.iter().enumerate() {
            place.entry(id.as_str()).or_insert((c, k));
        }
    }
    let mut found: Vec<Vec<(usize, Article)>> = vec![Vec::new(); clusters.len()];
    let mut reader = BatchReader::new(inputs, BatchLimits::default());
    while let Some(batch) = reader.next_batch()? {
        for record in batch {
            let Ok(article) = record.parse(fields) else {
                continue;
            };
            if let Some(&(c, k)) = place.get(article.id.as_str()) {
                found[c].push((k, article));
            }
        }
    }
    Ok(found
        .into_iter()
        .map(|mut v| {
            v.sort_by_key(|(k, _)| *k);
            v.into_iter().map(|(_, a)| a).collect()
        })
        .collect())
}
