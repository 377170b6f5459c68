//! [`Index::verify`]: the full check of `index verify`, the catalogue
//! against SQLite's integrity check and its row checksums, every segment
//! byte by byte, and every bucket entry against the stored signatures.

use rayon::prelude::*;

use super::store::{rebuild_corrupt, row_checksum};
use super::write::entries_of;
use super::{Index, damaged_row};
use super::{catalog, segment};
use crate::error::Result;

impl Index {
    /// A full check: SQLite's `integrity_check`, every catalogue row's
    /// checksum, every byte of every segment, every live article in
    /// exactly one segment under its id, and every bucket entry against the
    /// stored signatures. Returns the number of articles checked.
    pub fn verify(&self) -> Result<u64> {
        let err = self.err();
        let tx = self.conn.unchecked_transaction().map_err(&err)?;
        {
            let mut st = tx.prepare("PRAGMA integrity_check").map_err(&err)?;
            let msgs: Vec<String> = st
                .query_map([], |r| r.get(0))
                .map_err(&err)?
                .collect::<rusqlite::Result<_>>()
                .map_err(&err)?;
            if msgs.len() != 1 || msgs[0] != "ok" {
                return Err(rebuild_corrupt(
                    &self.path,
                    format!(
                        "SQLite integrity check failed: {}; rebuild the index",
                        integrity_summary(&msgs)
                    ),
                ));
            }
        }
        let mut live: Vec<(u32, String)> = Vec::new();
        {
            let mut st = tx
                .prepare("SELECT doc, id, checksum FROM docs ORDER BY doc")
                .map_err(&err)?;
            let mut rows = st.query([]).map_err(&err)?;
            while let Some(r) = rows.next().map_err(&err)? {
                let (doc, id, sum): (i64, String, i64) = (
                    r.get(0).map_err(&err)?,
                    r.get(1).map_err(&err)?,
                    r.get(2).map_err(&err)?,
                );
                match u32::try_from(doc) {
                    Ok(d) if row_checksum(d, &id) == sum => live.push((d, id)),
                    _ => return Err(damaged_row(&self.path, doc)),
                }
            }
        }
        let rows = catalog::list(&tx, &self.path)?;
        let tombs = catalog::tombstones(&tx, &self.path)?;
        tx.finish().map_err(&err)?;
        let view = self.open.view(
            &self.path,
            &self.index_id,
            self.params.num_perm,
            segment::Access::Map,
            || Ok((rows.clone(), tombs.clone())),
        )?;
        let plan = self.params.plan();
        let (mut seen_live, mut seen_removed) = (0usize, 0usize);
        for s in &view.segments {
            let seg = &*s.segment;
            seg.verify()?;
            let bad =
                |what: String| rebuild_corrupt(seg.path(), format!("{what}; rebuild the index"));
            let mut expected = Vec::new();
            let mut signature = Vec::new();
            seg.for_each_article(|article, fps, meta| {
                if article < s.first || article > s.last {
                    return Err(bad(format!(
                        "article {article} lies outside the segment's range {}..={}",
                        s.first, s.last
                    )));
                }
                if view.is_removed(article) {
                    seen_removed += 1;
                    if live.binary_search_by_key(&article, |l| l.0).is_ok() {
                        return Err(bad(format!("article {article} is both removed and live")));
                    }
                } else {
                    match live.binary_search_by_key(&article, |l| l.0) {
                        Ok(i) if live[i].1 == meta.id => seen_live += 1,
                        Ok(_) => {
                            return Err(bad(format!(
                                "article {article} has another id in the catalogue"
                            )));
                        }
                        Err(_) => {
                            return Err(bad(format!(
                                "article {article} ({}) is in the segment but not in the catalogue",
                                meta.id
                            )));
                        }
                    }
                }
                meta.signature_into(&mut signature);
                if signature.len() != self.params.num_perm {
                    return Err(bad(format!(
                        "article {article}: signature of the wrong length"
                    )));
                }
                entries_of(&plan, article, &signature, fps.len() as u32, &mut expected);
                Ok(())
            })?;
            expected.par_sort_unstable();
            let mut found = Vec::with_capacity(expected.len());
            seg.for_each_entry(|e| found.push(e))?;
            if found != expected {
                return Err(bad(
                    "the bucket entries do not match the stored signatures".to_string()
                ));
            }
        }
        if seen_live != live.len() {
            return Err(rebuild_corrupt(
                &self.path,
                format!(
                    "{} articles of the catalogue are in no segment; rebuild the index",
                    live.len() - seen_live
                ),
            ));
        }
        if seen_removed != view.tombstones.len() {
            return Err(rebuild_corrupt(
                &self.path,
                "a removal record names an article in no segment; rebuild the index",
            ));
        }
        Ok(live.len() as u64)
    }
}

/// SQLite's integrity report in one line: its first problem and how many
/// more it lists (a row of the report may hold several lines, under a
/// `*** in database main ***` heading).
fn integrity_summary(msgs: &[String]) -> String {
    let problems: Vec<&str> = msgs
        .iter()
        .flat_map(|m| m.lines())
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .filter(|l| !(l.starts_with("***") && l.ends_with("***")))
        .collect();
    match problems.as_slice() {
        [] => "no details".to_string(),
        [one] => one.to_string(),
        [first, rest @ ..] => format!("{first} (and {} more)", rest.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integrity_report_is_one_line() {
        let report = vec![
            "*** in database main ***\nTree 5 page 11 cell 165: Offset 21340 out of range 416..4092\nTree 5 page 11 cell 164: Offset 21315 out of range 416..4092".to_string(),
            "row 325 missing from index sqlite_autoindex_docs_1".to_string(),
        ];
        assert_eq!(
            integrity_summary(&report),
            "Tree 5 page 11 cell 165: Offset 21340 out of range 416..4092 (and 2 more)"
        );
        assert_eq!(
            integrity_summary(&["row 3 missing from index x".to_string()]),
            "row 3 missing from index x"
        );
    }
}
