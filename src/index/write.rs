//! Writes to an open [`Index`]: a batch of articles added as one segment
//! and one transaction ([`Index::add_batch`]), articles removed by id,
//! and segments merged ([`Index::compact`]); the bucket entries of an
//! article.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::params;
use serde::Serialize;

use super::catalog::{self, SegmentRow};
use super::ingest::NewDoc;
use super::segment::{self, ArticleMeta, Segment, SegmentEntry, SegmentWriter};
use super::store::{bucket_of, row_checksum, sql_error};
use super::{Index, find_doc, publish, write_tx};
use crate::error::{Error, Result};
use crate::lsh::LshPlan;

/// What to do with an article whose id is already in the index.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OnDuplicate {
    /// Stop with an error; the batch in flight is not written.
    #[default]
    Error,
    /// Keep the indexed article; the new one is not added.
    Skip,
    /// Replace the indexed article with the new one.
    Update,
}

/// What a write did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct WriteCounts {
    /// Articles added under a new id.
    pub added: u64,
    /// Articles that replaced one with the same id.
    pub updated: u64,
    /// Articles not added because their id was indexed.
    pub skipped: u64,
    /// Articles not added because they are too short to compare (fewer
    /// words than the minimum: [`DocSketch::is_empty`](crate::dedup::DocSketch::is_empty)); an indexed
    /// article with the same id is kept as it is, whatever
    /// [`OnDuplicate`] says.
    pub too_short: u64,
}

impl WriteCounts {
    /// Adds the counts of another write.
    pub fn merge(&mut self, o: WriteCounts) {
        self.added += o.added;
        self.updated += o.updated;
        self.skipped += o.skipped;
        self.too_short += o.too_short;
    }
}

impl Index {
    /// Adds a batch of articles as one segment and one transaction: either
    /// all of it is written or none. Articles too short to compare
    /// ([`DocSketch::is_empty`](crate::dedup::DocSketch::is_empty)) are counted and not added.
    pub fn add_batch(&mut self, docs: Vec<NewDoc>, on_dup: OnDuplicate) -> Result<WriteCounts> {
        let path = self.path.clone();
        let index_id = self.index_id;
        let plan = self.params.plan();
        let num_perm = self.params.num_perm;
        let err = |e| sql_error(&path, e);
        // Checked before the write lock is taken.
        if let Some(d) = docs.iter().find(|d| d.sketch.signature.len() != num_perm) {
            return Err(Error::usage(format!(
                "{}: sketched with other parameters than the index {}",
                d.display_name(),
                path.display()
            )));
        }
        let mut counts = WriteCounts::default();
        let before = docs.len();
        let docs: Vec<NewDoc> = docs.into_iter().filter(|d| !d.sketch.is_empty()).collect();
        counts.too_short = (before - docs.len()) as u64;
        let (tx, rows) = self.write_tx()?;
        let mut kept: Vec<NewDoc> = Vec::with_capacity(docs.len());
        let mut in_batch: HashMap<String, usize> = HashMap::new();
        let mut replaced: Vec<u32> = Vec::new();
        for d in docs {
            if let Some(&i) = in_batch.get(&d.sketch.id) {
                match on_dup {
                    OnDuplicate::Error => return Err(duplicate(&d, &path)),
                    OnDuplicate::Skip => counts.skipped += 1,
                    OnDuplicate::Update => {
                        kept[i] = d;
                        counts.updated += 1;
                    }
                }
                continue;
            }
            match find_doc(&tx, &path, &d.sketch.id)? {
                Some(doc) => match on_dup {
                    OnDuplicate::Error => return Err(duplicate(&d, &path)),
                    OnDuplicate::Skip => {
                        counts.skipped += 1;
                        continue;
                    }
                    OnDuplicate::Update => {
                        replaced.push(doc);
                        counts.updated += 1;
                    }
                },
                None => counts.added += 1,
            }
            in_batch.insert(d.sketch.id.clone(), kept.len());
            kept.push(d);
        }
        if kept.is_empty() {
            tx.commit().map_err(err)?;
            return Ok(counts);
        }
        let first = rows.last().map_or(0u64, |r| r.last as u64 + 1);
        if first + kept.len() as u64 > u32::MAX as u64 {
            return Err(Error::usage(
                "an index holds at most 4,294,967,295 articles over its life; rebuild it to renumber",
            ));
        }
        let first = first as u32;
        let seg = rows.iter().map(|r| r.seg).max().map_or(1, |m| m + 1);
        // The segment first: the catalogue's pages stay clean (and readers
        // unblocked) until the few rows below and the commit.
        let final_path = catalog::segment_path(&path, &index_id, seg);
        let tmp = catalog::temporary(&final_path);
        let info = write_batch_segment(&tmp, seg, index_id, &plan, first, &kept)?;
        publish(&tmp, &final_path)?;
        let row = SegmentRow {
            seg,
            first,
            last: first + kept.len() as u32 - 1,
            articles: info.articles,
            entries: info.entries,
            file_size: info.file_size,
            header_checksum: info.header_checksum,
        };
        let committed = (|| -> Result<()> {
            let mut del = tx
                .prepare_cached("DELETE FROM docs WHERE doc = ?1")
                .map_err(err)?;
            for &doc in &replaced {
                del.execute([doc]).map_err(err)?;
                catalog::add_tombstone(&tx, &path, doc)?;
            }
            let mut ins = tx
                .prepare_cached("INSERT INTO docs(doc, id, checksum) VALUES (?1, ?2, ?3)")
                .map_err(err)?;
            for (i, d) in kept.iter().enumerate() {
                let doc = first + i as u32;
                ins.execute(params![doc, d.sketch.id, row_checksum(doc, &d.sketch.id)])
                    .map_err(err)?;
            }
            catalog::insert(&tx, &path, &row)
        })()
        .and_then(|_| tx.commit().map_err(|e| sql_error(&path, e)));
        if let Err(e) = committed {
            let _ = std::fs::remove_file(&final_path);
            return Err(e);
        }
        self.compact()?;
        Ok(counts)
    }

    /// Merges segments, one transaction per merge, while the merge policy
    /// asks for it (the two newest while the newest holds at least half the
    /// entries of the one before, or more than
    /// [`catalog::MAX_SEGMENTS`]): the merged file is written
    /// and renamed into place first, then one transaction swaps the
    /// catalogue rows and drops the tombstones of the articles left out;
    /// the old files are deleted after the commit.
    pub fn compact(&mut self) -> Result<()> {
        while self.merge_next(|rows, _| catalog::next_merge(rows).map(|i| i..i + 2))? {}
        Ok(())
    }

    /// Merges every segment into one, dropping the data of removed and
    /// replaced articles (`neardiff index compact`); returns the number of
    /// segments merged (0 when there was nothing to do).
    pub fn compact_all(&mut self) -> Result<usize> {
        let mut merged = 0;
        let pick = |rows: &[SegmentRow], tombstones: usize| {
            (rows.len() > 1 || (rows.len() == 1 && tombstones > 0)).then_some(0..rows.len())
        };
        let before = self.view()?.segments.len();
        if self.merge_next(pick)? {
            merged = before;
        }
        Ok(merged)
    }

    /// One merge of the catalogue's segments `pick` chooses (a range of
    /// neighbours, given the rows in article order and the number of
    /// tombstones); false when it chose none.
    fn merge_next(
        &mut self,
        pick: impl Fn(&[SegmentRow], usize) -> Option<std::ops::Range<usize>>,
    ) -> Result<bool> {
        let path = self.path.clone();
        let index_id = self.index_id;
        let num_perm = self.params.num_perm;
        let (tx, rows) = write_tx(
            &mut self.conn,
            &path,
            &index_id,
            &self.open,
            num_perm,
            &mut self.orphans_removed,
        )?;
        let all_tombs = catalog::tombstones(&tx, &path)?;
        let Some(range) = pick(&rows, all_tombs.len()).filter(|r| !r.is_empty()) else {
            return Ok(false);
        };
        let chosen = rows[range].to_vec();
        let (first, last) = (chosen[0].first, chosen[chosen.len() - 1].last);
        let tombs: Vec<u32> = all_tombs
            .into_iter()
            .filter(|&d| d >= first && d <= last)
            .collect();
        let view = self
            .open
            .view(&path, &index_id, num_perm, segment::Access::Map, || {
                Ok((chosen.clone(), Vec::new()))
            })?;
        let seg = rows.iter().map(|r| r.seg).max().unwrap_or(0) + 1;
        let final_path = catalog::segment_path(&path, &index_id, seg);
        let tmp = catalog::temporary(&final_path);
        let inputs: Vec<&Segment> = view.segments.iter().map(|s| &*s.segment).collect();
        let info = segment::merge_segments(
            &inputs,
            &|d| tombs.binary_search(&d).is_ok(),
            &tmp,
            seg,
            index_id,
        )?;
        drop(inputs);
        drop(view);
        publish(&tmp, &final_path)?;
        let row = SegmentRow {
            seg,
            first,
            last,
            articles: info.articles,
            entries: info.entries,
            file_size: info.file_size,
            header_checksum: info.header_checksum,
        };
        let committed = chosen
            .iter()
            .try_for_each(|r| catalog::delete(&tx, &path, r.seg))
            .and_then(|_| catalog::insert(&tx, &path, &row))
            .and_then(|_| catalog::drop_tombstones(&tx, &path, first, last))
            .and_then(|_| tx.commit().map_err(|e| sql_error(&path, e)));
        if let Err(e) = committed {
            let _ = std::fs::remove_file(&final_path);
            return Err(e);
        }
        for old in &chosen {
            let _ = std::fs::remove_file(catalog::segment_path(&path, &index_id, old.seg));
        }
        Ok(true)
    }

    /// Removes articles by id in one transaction. Unknown ids are an error
    /// (and nothing is removed) unless `ignore_missing`; returns the number
    /// removed. The articles' data stays in their segments, marked removed,
    /// until a merge drops it.
    pub fn remove(&mut self, ids: &[String], ignore_missing: bool) -> Result<u64> {
        let path = self.path.clone();
        let err = |e| sql_error(&path, e);
        let (tx, _) = self.write_tx()?;
        let mut removed = 0;
        let mut missing = Vec::new();
        for id in ids {
            let Some(doc) = find_doc(&tx, &path, id)? else {
                missing.push(id.as_str());
                continue;
            };
            tx.execute("DELETE FROM docs WHERE doc = ?1", [doc])
                .map_err(err)?;
            catalog::add_tombstone(&tx, &path, doc)?;
            removed += 1;
        }
        if !missing.is_empty() && !ignore_missing {
            let shown: Vec<&str> = missing.iter().take(10).copied().collect();
            return Err(Error::usage(format!(
                "{}: {} id(s) not in the index: {}{}; nothing was removed",
                path.display(),
                missing.len(),
                shown.join(", "),
                if missing.len() > 10 { ", ..." } else { "" }
            ))
            .with_remedy(crate::Remedy::IgnoreMissing));
        }
        tx.commit().map_err(err)?;
        Ok(removed)
    }
}

/// Bucket entries of an article: one per distinct bucket of its bands.
pub(super) fn entries_of(
    plan: &LshPlan,
    article: u32,
    signature: &[u32],
    size: u32,
    out: &mut Vec<SegmentEntry>,
) {
    if size == 0 {
        return;
    }
    let start = out.len();
    for band in 0..plan.bands {
        out.push(SegmentEntry {
            bucket: bucket_of(plan.band_key(signature, band)),
            article,
            size,
        });
    }
    out[start..].sort_unstable();
    let mut kept = start;
    for i in start..out.len() {
        if i == start || out[i].bucket != out[kept - 1].bucket {
            out[kept] = out[i];
            kept += 1;
        }
    }
    out.truncate(kept);
}

/// Writes the articles of a batch, numbered from `first`, as one segment.
fn write_batch_segment(
    path: &Path,
    seg: u64,
    index_id: [u8; 16],
    plan: &LshPlan,
    first: u32,
    docs: &[NewDoc],
) -> Result<segment::SegmentInfo> {
    let mut w = SegmentWriter::create(path, seg, index_id)?;
    let mut entries = Vec::with_capacity(docs.len() * plan.bands);
    for (i, d) in docs.iter().enumerate() {
        let article = first + i as u32;
        let s = &d.sketch;
        let fps = s.shingles.as_deref().unwrap_or(&[]);
        w.add_article(article, fps, doc_meta(d))?;
        entries_of(plan, article, &s.signature, fps.len() as u32, &mut entries);
    }
    w.finish(&mut entries)
}

pub(super) fn doc_meta(d: &NewDoc) -> ArticleMeta<'_> {
    ArticleMeta {
        id: &d.sketch.id,
        date: d.sketch.date.as_deref(),
        outlet: d.outlet.as_deref(),
        title: d.title.as_deref(),
        signature: &d.sketch.signature,
    }
}

pub(super) fn duplicate(d: &NewDoc, path: &Path) -> Error {
    Error::usage(format!(
        "{}: id {:?} is already in the index {}",
        d.display_name(),
        d.sketch.id,
        path.display()
    ))
    .with_remedy(crate::Remedy::SkipOrUpdateDuplicates)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_article_has_one_entry_per_distinct_bucket() {
        let plan = crate::index::IndexParams::new(4, 128, 0, 0.3)
            .unwrap()
            .plan();
        let before = SegmentEntry {
            bucket: u32::MAX,
            article: 0,
            size: 1,
        };
        let mut out = vec![before];
        let signature: Vec<u32> = (0..128u32).map(|i| i.wrapping_mul(0x9e37_79b9)).collect();
        entries_of(&plan, 8, &signature, 3, &mut out);
        let mut model: Vec<u32> = (0..plan.bands)
            .map(|b| bucket_of(plan.band_key(&signature, b)))
            .collect();
        model.sort_unstable();
        model.dedup();
        assert_eq!(out[0], before, "entries before are kept");
        let buckets: Vec<u32> = out[1..].iter().map(|e| e.bucket).collect();
        assert_eq!(buckets, model);
        assert!(out[1..].iter().all(|e| e.article == 8 && e.size == 3));
        // No shingles, no entries.
        entries_of(&plan, 9, &signature, 0, &mut out);
        assert_eq!(out.len(), 1 + model.len());
    }

    #[test]
    fn counts_add_up() {
        let mut c = WriteCounts {
            added: 1,
            updated: 2,
            skipped: 3,
            too_short: 4,
        };
        c.merge(c);
        assert_eq!((c.added, c.updated, c.skipped, c.too_short), (2, 4, 6, 8));
    }
}
