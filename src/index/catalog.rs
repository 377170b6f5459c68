//! The catalogue: which segment files make up an index, which of their
//! articles are removed, and the consistent view a check reads.
//!
//! Segment files live beside the index file, named
//! `<index file name>.<index id>.<segment number>.seg` (the index id's
//! first 8 bytes in hex): the number is never reused within an index and
//! the id differs between indexes, so a name always means one file's
//! contents. The catalogue row of a segment records the file's header
//! checksum as well, and a file that does not match its row is refused.
//!
//! Articles are numbered in the order they are added, and a batch becomes
//! one segment, so every segment holds a contiguous range of article
//! numbers (some of them removed by later updates or removals); merging
//! neighbours keeps the ranges contiguous and disjoint. The segment of an
//! article is found from the ranges alone.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, params};

use super::segment::{Access, Segment};
use super::store::{rebuild_corrupt, sql_error};
use crate::error::{Error, Result};

/// A new segment is merged into the one before it when it holds at least
/// `1 / MERGE_RATIO` of its bucket entries.
pub const MERGE_RATIO: u64 = 2;
/// Segments are merged, newest first, while there are more than this.
pub const MAX_SEGMENTS: usize = 6;
/// How often a reader starts over when a segment file of its snapshot was
/// merged away before it could open it.
const OPEN_ATTEMPTS: usize = 8;

/// One row of the `segments` table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct SegmentRow {
    /// The segment number (part of the file name).
    pub seg: u64,
    /// The first and last article number of its range.
    pub first: u32,
    pub last: u32,
    /// Articles in the file (removed ones included until a merge).
    pub articles: u64,
    /// Bucket entries in the file.
    pub entries: u64,
    /// The file's length.
    pub file_size: u64,
    /// The file's header checksum.
    pub header_checksum: u64,
}

impl SegmentRow {
    fn checksum(&self) -> i64 {
        let mut h = xxhash_rust::xxh3::Xxh3::with_seed(0x5e6);
        for v in [
            self.seg,
            self.first as u64,
            self.last as u64,
            self.articles,
            self.entries,
            self.file_size,
            self.header_checksum,
        ] {
            h.update(&v.to_le_bytes());
        }
        h.digest() as i64
    }
}

/// The checksum of a tombstone row.
fn tombstone_checksum(doc: u32) -> i64 {
    xxhash_rust::xxh3::xxh3_64_with_seed(&doc.to_le_bytes(), 0x70b) as i64
}

/// The segments of the catalogue, by article range.
pub(crate) fn list(conn: &Connection, path: &Path) -> Result<Vec<SegmentRow>> {
    let err = |e| sql_error(path, e);
    let mut st = conn
        .prepare_cached(
            "SELECT seg, first, last, articles, entries, file_size, header_checksum, checksum FROM segments ORDER BY first",
        )
        .map_err(err)?;
    let rows = st
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, i64>(6)?,
                r.get::<_, i64>(7)?,
            ))
        })
        .map_err(err)?;
    let mut out: Vec<SegmentRow> = Vec::new();
    for r in rows {
        let (seg, first, last, articles, entries, file_size, header, sum) = r.map_err(err)?;
        let bad = || {
            rebuild_corrupt(
                path,
                format!("the catalogue row of segment {seg} is damaged; rebuild the index"),
            )
        };
        let u32_of = |v: i64| u32::try_from(v).map_err(|_| bad());
        let row = SegmentRow {
            seg: seg as u64,
            first: u32_of(first)?,
            last: u32_of(last)?,
            articles: articles as u64,
            entries: entries as u64,
            file_size: file_size as u64,
            header_checksum: header as u64,
        };
        if row.checksum() != sum || row.first > row.last {
            return Err(bad());
        }
        if out.last().is_some_and(|p| p.last >= row.first) {
            return Err(rebuild_corrupt(
                path,
                "the catalogue's segments overlap; rebuild the index",
            ));
        }
        out.push(row);
    }
    Ok(out)
}

/// Adds a segment to the catalogue.
pub(crate) fn insert(conn: &Connection, path: &Path, row: &SegmentRow) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO segments(seg, first, last, articles, entries, file_size, header_checksum, checksum) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )
    .and_then(|mut st| {
        st.execute(params![
            row.seg as i64,
            row.first,
            row.last,
            row.articles as i64,
            row.entries as i64,
            row.file_size as i64,
            row.header_checksum as i64,
            row.checksum()
        ])
    })
    .map(|_| ())
    .map_err(|e| sql_error(path, e))
}

/// Removes a segment from the catalogue.
pub(crate) fn delete(conn: &Connection, path: &Path, seg: u64) -> Result<()> {
    conn.execute("DELETE FROM segments WHERE seg = ?1", [seg as i64])
        .map(|_| ())
        .map_err(|e| sql_error(path, e))
}

/// The removed article numbers still present in some segment, sorted.
pub(crate) fn tombstones(conn: &Connection, path: &Path) -> Result<Vec<u32>> {
    let err = |e| sql_error(path, e);
    let mut st = conn
        .prepare_cached("SELECT doc, checksum FROM tombstones ORDER BY doc")
        .map_err(err)?;
    let rows = st
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))
        .map_err(err)?;
    let mut out = Vec::new();
    for r in rows {
        let (doc, sum) = r.map_err(err)?;
        match u32::try_from(doc) {
            Ok(d) if tombstone_checksum(d) == sum => out.push(d),
            _ => {
                return Err(rebuild_corrupt(
                    path,
                    format!(
                        "the removal record of article number {doc} is damaged; rebuild the index"
                    ),
                ));
            }
        }
    }
    Ok(out)
}

/// Records the removal of an article still present in its segment.
pub(crate) fn add_tombstone(conn: &Connection, path: &Path, doc: u32) -> Result<()> {
    conn.prepare_cached("INSERT OR REPLACE INTO tombstones(doc, checksum) VALUES (?1, ?2)")
        .and_then(|mut st| st.execute(params![doc, tombstone_checksum(doc)]))
        .map(|_| ())
        .map_err(|e| sql_error(path, e))
}

/// Drops the tombstones of a range (its articles were left out of a merged
/// segment).
pub(crate) fn drop_tombstones(conn: &Connection, path: &Path, first: u32, last: u32) -> Result<()> {
    conn.execute(
        "DELETE FROM tombstones WHERE doc BETWEEN ?1 AND ?2",
        params![first, last],
    )
    .map(|_| ())
    .map_err(|e| sql_error(path, e))
}

/// Which two neighbouring segments to merge next, if any: the two newest,
/// while the newest is not much smaller than the one before, or while
/// there are too many. Returns the position of the older one.
pub(crate) fn next_merge(segments: &[SegmentRow]) -> Option<usize> {
    let n = segments.len();
    if n < 2 {
        return None;
    }
    let (older, newer) = (&segments[n - 2], &segments[n - 1]);
    // Articles count as well as entries: a segment of articles without
    // words has no entries.
    let size = |s: &SegmentRow| s.entries + s.articles;
    if size(newer).saturating_mul(MERGE_RATIO) >= size(older) || n > MAX_SEGMENTS {
        Some(n - 2)
    } else {
        None
    }
}

/// The hex tag of an index id used in segment file names.
fn id_tag(index_id: &[u8; 16]) -> String {
    index_id[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// The file of segment `seg` of the index at `index`.
pub(crate) fn segment_path(index: &Path, index_id: &[u8; 16], seg: u64) -> PathBuf {
    let name = file_name(index);
    index.with_file_name(format!("{name}.{}.{seg}.seg", id_tag(index_id)))
}

/// The temporary name a segment is written under before its rename.
pub(crate) fn temporary(segment: &Path) -> PathBuf {
    let mut s = segment.as_os_str().to_owned();
    s.push(".tmp");
    s.into()
}

fn file_name(index: &Path) -> String {
    index
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "index".into())
}

/// The segment files (and leftovers of writing them) beside `index`:
/// (path, index id tag, segment number).
pub(crate) fn files_beside(index: &Path) -> Vec<(PathBuf, String, u64)> {
    let dir = match index.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let prefix = format!("{}.", file_name(index));
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(&prefix) else {
            continue;
        };
        // `<tag>.<seg>.seg`, possibly followed by `.tmp` or `.tmp.heap`.
        let core = rest
            .strip_suffix(".seg.tmp.heap")
            .or_else(|| rest.strip_suffix(".seg.tmp"))
            .or_else(|| rest.strip_suffix(".seg"));
        let Some((tag, seg)) = core.and_then(|c| c.split_once('.')) else {
            continue;
        };
        if tag.len() != 16 || !tag.bytes().all(|b| b.is_ascii_hexdigit()) {
            continue;
        }
        let Ok(seg) = seg.parse::<u64>() else {
            continue;
        };
        out.push((dir.join(&name), tag.to_string(), seg));
    }
    out.sort();
    out
}

/// Deletes the segment files of this index that the catalogue does not
/// list (left by a writer that crashed before its commit, or by a merge
/// that crashed before deleting its inputs). Only a writer holding the
/// write lock may call it.
pub(crate) fn remove_orphans(index: &Path, index_id: &[u8; 16], listed: &[SegmentRow]) {
    let tag = id_tag(index_id);
    for (path, t, seg) in files_beside(index) {
        let is_listed =
            listed.iter().any(|r| r.seg == seg) && path.extension() == Some("seg".as_ref());
        if t == tag && !is_listed {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// Deletes the segment files of other indexes once kept at `index` (after
/// `index build --force` replaced it).
pub(crate) fn remove_foreign(index: &Path, index_id: &[u8; 16]) {
    let tag = id_tag(index_id);
    for (path, t, _) in files_beside(index) {
        if t != tag {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// Syncs the directory of `path`, so that a rename in it is durable.
pub(crate) fn sync_dir(path: &Path) {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// A segment of a [`View`]: its article range and the open file.
#[derive(Clone, Debug)]
pub(crate) struct ViewSegment {
    pub first: u32,
    pub last: u32,
    pub segment: Arc<Segment>,
}

/// One consistent view of an index for checks: the segments listed by one
/// snapshot of the catalogue, opened, and the removed articles. Segment
/// files never change once written, so the view stays valid while writers
/// add, remove and merge (a merged-away file stays readable through its
/// open mapping).
#[derive(Clone, Debug, Default)]
pub struct View {
    pub(crate) segments: Vec<ViewSegment>,
    pub(crate) tombstones: Vec<u32>,
}

impl View {
    /// The segment holding an article's number, if any.
    #[inline]
    pub(crate) fn segment_of(&self, article: u32) -> Option<&Segment> {
        let i = self.segments.partition_point(|s| s.last < article);
        self.segments
            .get(i)
            .filter(|s| s.first <= article)
            .map(|s| &*s.segment)
    }

    /// True when the article was removed (its data is still in a segment).
    #[inline]
    pub(crate) fn is_removed(&self, article: u32) -> bool {
        !self.tombstones.is_empty() && self.tombstones.binary_search(&article).is_ok()
    }

    /// The view's open segments, in article order (their article ranges
    /// are contiguous and disjoint). A removed article stays in its
    /// segment until a merge drops it.
    pub fn segments(&self) -> impl ExactSizeIterator<Item = &Segment> + '_ {
        self.segments.iter().map(|s| &*s.segment)
    }

    /// Articles in the view's segments, removed ones included.
    pub fn segment_articles(&self) -> u64 {
        self.segments
            .iter()
            .map(|s| s.segment.article_count())
            .sum()
    }
}

/// Open segments kept by an [`super::Index`] between views, by number.
#[derive(Default)]
pub(crate) struct OpenSegments {
    open: Mutex<HashMap<(u64, Access), Arc<Segment>>>,
}

impl OpenSegments {
    /// Opens (or reuses) the segment of a catalogue row and checks it
    /// against the row. `Ok(None)` when the file does not exist.
    fn get(
        &self,
        index: &Path,
        index_id: &[u8; 16],
        signature_len: usize,
        row: &SegmentRow,
        access: Access,
    ) -> Result<Option<Arc<Segment>>> {
        let key = (row.seg, access);
        if let Some(s) = self.open.lock().ok().and_then(|m| m.get(&key).cloned())
            && s.header_checksum() == row.header_checksum
        {
            return Ok(Some(s));
        }
        let path = segment_path(index, index_id, row.seg);
        match std::fs::metadata(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            _ => {}
        }
        let seg = Segment::open_with(&path, access)?;
        let sig_ok = seg.signature_len() == signature_len || seg.article_count() == 0;
        if seg.segment_id() != row.seg
            || seg.index_id() != *index_id
            || seg.header_checksum() != row.header_checksum
            || seg.article_count() != row.articles
            || seg.entry_count() != row.entries
            || !sig_ok
        {
            return Err(rebuild_corrupt(
                &path,
                "the segment file does not match the index catalogue; rebuild the index",
            ));
        }
        let seg = Arc::new(seg);
        if let Ok(mut m) = self.open.lock() {
            m.insert(key, seg.clone());
        }
        Ok(Some(seg))
    }

    /// Forgets segments not in `keep`.
    fn retain(&self, keep: &[SegmentRow]) {
        if let Ok(mut m) = self.open.lock() {
            m.retain(|(seg, _), _| keep.iter().any(|r| r.seg == *seg));
        }
    }

    /// Builds a view from a snapshot taken by `snapshot` (the catalogue
    /// rows and tombstones), starting over with a new snapshot when a
    /// listed file was merged away before it could be opened.
    pub(crate) fn view(
        &self,
        index: &Path,
        index_id: &[u8; 16],
        signature_len: usize,
        access: Access,
        mut snapshot: impl FnMut() -> Result<(Vec<SegmentRow>, Vec<u32>)>,
    ) -> Result<View> {
        let mut missing = None;
        for _ in 0..OPEN_ATTEMPTS {
            let (rows, tombstones) = snapshot()?;
            let mut segments = Vec::with_capacity(rows.len());
            missing = None;
            for row in &rows {
                match self.get(index, index_id, signature_len, row, access)? {
                    Some(segment) => segments.push(ViewSegment {
                        first: row.first,
                        last: row.last,
                        segment,
                    }),
                    None => {
                        missing = Some(segment_path(index, index_id, row.seg));
                        break;
                    }
                }
            }
            if missing.is_none() {
                self.retain(&rows);
                return Ok(View {
                    segments,
                    tombstones,
                });
            }
        }
        let path = missing.expect("a missing file");
        Err(Error::new(crate::ErrorKind::Corrupt(format!(
            "segment file {} of the index is missing; rebuild the index",
            path.display()
        )))
        .with_source(index.display().to_string())
        .with_remedy(crate::Remedy::RebuildIndex))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(seg: u64, entries: u64) -> SegmentRow {
        SegmentRow {
            seg,
            first: 0,
            last: 0,
            articles: 0,
            entries,
            file_size: 0,
            header_checksum: 0,
        }
    }

    #[test]
    fn merge_policy_keeps_sizes_falling() {
        assert_eq!(next_merge(&[row(1, 100)]), None);
        assert_eq!(next_merge(&[row(1, 100), row(2, 10)]), None);
        assert_eq!(next_merge(&[row(1, 100), row(2, 60)]), Some(0));
        let many: Vec<SegmentRow> = (0..7).map(|i| row(i, 1000 >> i)).collect();
        assert_eq!(next_merge(&many), Some(5));
    }

    #[test]
    fn names_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let index = dir.path().join("news.ndx");
        let id = *b"0123456789abcdef";
        let p = segment_path(&index, &id, 12);
        std::fs::write(&p, b"x").unwrap();
        std::fs::write(temporary(&p), b"x").unwrap();
        std::fs::write(dir.path().join("news.ndx.other"), b"x").unwrap();
        let found = files_beside(&index);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found
                .iter()
                .all(|(_, t, s)| t == "3031323334353637" && *s == 12)
        );
        remove_orphans(&index, &id, &[]);
        assert!(files_beside(&index).is_empty());
        assert!(dir.path().join("news.ndx.other").exists());
    }
}
