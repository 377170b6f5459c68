//! A persistent near-duplicate index: articles sketched once and kept on
//! disk, so that a new article can be checked against a large collection in
//! milliseconds.
//!
//! An index is a catalogue, one SQLite file with a rollback journal (see
//! [`mod@store`]), and the immutable segment files it lists (see
//! [`mod@catalog`] and [`mod@segment`]), which hold the articles'
//! fingerprints, metadata and bucket entries and are read by address.
//! Readers check while one writer adds; every write is a segment file
//! renamed into place and then one transaction, so a crash loses at most
//! the batch in flight; damaged files are reported as
//! [`crate::ErrorKind::Corrupt`]. `docs/index-storage.md` gives the
//! measurements behind this layout.
//!
//! * [`build`] creates an index from a corpus (into temporary files that
//!   are renamed into place when complete);
//! * [`Index::add_batch`] adds sketched articles as one segment,
//!   [`Index::remove`] removes articles by id;
//! * [`Index::check`] finds the indexed articles most similar to a new one
//!   (see [`mod@check`]).
//!
//! The LSH layout (bands and rows) is fixed when the index is built, for
//! the lowest Jaccard threshold the index answers
//! ([`DEFAULT_LSH_THRESHOLD`]); higher thresholds are served by counting in
//! how many bands a candidate collides ([`check::min_band_hits`]).
//!
//! This file holds [`Index`] itself (opening, views, write transactions);
//! beside it, `params.rs` (the parameters and their checksummed rows),
//! `ingest.rs` (corpus input read and sketched in batches), `write.rs`
//! (adding, removing and merging), `build.rs` ([`build`] and [`add`]),
//! `stats.rs` and `verify.rs`.
//!
//! ```
//! use neardiff::index::{self, IndexParams, NewDoc, OnDuplicate};
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("news.ndx");
//! let params = IndexParams::new(4, 128, 0, index::DEFAULT_LSH_THRESHOLD).unwrap();
//! let text = "The central bank raised its main interest rate by a quarter point on Thursday, citing inflation.";
//! let mut ix = index::Index::create(&path, &params).unwrap();
//! let doc = NewDoc::sketch(neardiff::Article { id: "wire-1".into(), text: text.into(), ..Default::default() }, &params);
//! ix.add_batch(vec![doc], OnDuplicate::Error).unwrap();
//!
//! let new = NewDoc::sketch(neardiff::Article { id: "new".into(), text: text.replace("Thursday", "Friday"), ..Default::default() }, &params);
//! let result = ix.check(&new, &index::CheckOptions::default()).unwrap();
//! assert_eq!(result.matches[0].id, "wire-1");
//! assert!(result.matches[0].jaccard > 0.6);
//! ```

mod build;
pub mod catalog;
pub mod check;
mod filetype;
mod ingest;
pub mod output;
mod params;
pub mod segment;
mod stats;
pub mod store;
mod verify;
mod write;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension};

pub use build::{WriteSummary, add, build};
pub use check::{CheckOptions, CheckResult, Match};
pub use ingest::{InputOptions, NewDoc, Skipped, for_each_batch};
pub use params::IndexParams;
pub use stats::Stats;
pub use write::{OnDuplicate, WriteCounts};

use crate::error::{Error, IoOp, Result};
use catalog::SegmentRow;
use filetype::Role;
use params::{new_index_id, read_meta, write_meta};
use store::{rebuild_corrupt, row_checksum, sql_error};

/// The default lowest Jaccard threshold an index is laid out for: 51 bands
/// of 2 rows at 128 permutations. Low enough for containment checks of
/// copies about half the original's length (see `README.md`).
pub const DEFAULT_LSH_THRESHOLD: f64 = 0.3;
/// The catalogue's journal: a rollback journal rather than a write-ahead
/// log. Its transactions are a few rows (the segment files carry the
/// data), so readers wait at most a commit's length; and a process that
/// opens a write-ahead-logged file creates, initialises and at exit
/// deletes the log and its index, which cost a single-article check
/// 0.3–0.6 ms (measured in turn on the 990,000-article index).
const CATALOGUE_JOURNAL: &str = "PRAGMA journal_mode=DELETE; PRAGMA synchronous=FULL;";
/// Articles per write transaction.
pub const DEFAULT_BATCH_SIZE: usize = 10_000;

/// An open index.
pub struct Index {
    conn: Connection,
    path: PathBuf,
    params: IndexParams,
    index_id: [u8; 16],
    /// [`check::jaccard_upper_bound`] for each number of band hits,
    /// computed when first needed.
    hit_bounds: Vec<std::sync::OnceLock<f64>>,
    /// Segment files opened by earlier views, kept for the next.
    open: catalog::OpenSegments,
    /// Set once this writer deleted the files a crashed writer left.
    orphans_removed: bool,
}

impl Index {
    /// Creates a new, empty index at `path` (which must not exist).
    pub fn create(path: &Path, params: &IndexParams) -> Result<Index> {
        if filetype::check(path, Role::Catalogue)? {
            return Err(
                Error::usage(format!("{}: an index already exists", path.display()))
                    .with_remedy(crate::Remedy::AddOrReplaceIndex),
            );
        }
        let conn = store::create_fresh(path)?;
        write_meta(&conn, path, params, &new_index_id())?;
        conn.execute_batch(CATALOGUE_JOURNAL)
            .map_err(|e| sql_error(path, e))?;
        drop(conn);
        Index::open(path)
    }

    /// Opens an existing index, checking its header, format, schema
    /// version and parameters.
    pub fn open(path: &Path) -> Result<Index> {
        let conn = store::open_existing(path)?;
        let (params, index_id) = read_meta(&conn, path)?;
        let bands = params.bands;
        Ok(Index {
            conn,
            path: path.to_path_buf(),
            params,
            index_id,
            hit_bounds: (0..=bands).map(|_| std::sync::OnceLock::new()).collect(),
            open: catalog::OpenSegments::default(),
            orphans_removed: false,
        })
    }

    /// The index parameters.
    pub fn params(&self) -> &IndexParams {
        &self.params
    }

    /// The index file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn err(&self) -> impl Fn(rusqlite::Error) -> Error + '_ {
        |e| sql_error(&self.path, e)
    }

    /// Number of indexed articles.
    pub fn len(&self) -> Result<u64> {
        self.conn
            .query_row("SELECT count(*) FROM docs", [], |r| r.get::<_, i64>(0))
            .map(|n| n as u64)
            .map_err(self.err())
    }

    /// True when no article is indexed.
    pub fn is_empty(&self) -> Result<bool> {
        Ok(self.len()? == 0)
    }

    /// One consistent view of the index for checks (see
    /// [`catalog::View`]): the catalogue is read in one snapshot and the
    /// segment files it lists are opened (or reused from the last view).
    pub fn view(&self) -> Result<catalog::View> {
        self.view_with(segment::Access::Map)
    }

    /// [`Index::view`] with the segment files read as `access` says (see
    /// [`segment::Access`]: a check of a few articles reads rather than
    /// maps).
    pub fn view_with(&self, access: segment::Access) -> Result<catalog::View> {
        let (conn, path) = (&self.conn, self.path.as_path());
        self.open
            .view(path, &self.index_id, self.params.num_perm, access, || {
                let tx = conn
                    .unchecked_transaction()
                    .map_err(|e| sql_error(path, e))?;
                let rows = catalog::list(&tx, path)?;
                let tombs = catalog::tombstones(&tx, path)?;
                tx.finish().map_err(|e| sql_error(path, e))?;
                Ok((rows, tombs))
            })
    }

    /// Starts a write transaction (waiting for another writer to finish),
    /// first deleting the files a crashed writer left.
    fn write_tx(&mut self) -> Result<(rusqlite::Transaction<'_>, Vec<SegmentRow>)> {
        write_tx(
            &mut self.conn,
            &self.path,
            &self.index_id,
            &self.open,
            self.params.num_perm,
            &mut self.orphans_removed,
        )
    }
}

/// Starts a write transaction and lists the segments; deletes the files a
/// crashed writer left (once per [`Index`]), and opens the listed
/// segments, so that a write (an addition, a removal, a merge) to an index
/// with a missing or damaged segment file is refused as a check is: the
/// file's type, header, length and catalogue row are checked.
fn write_tx<'c>(
    conn: &'c mut Connection,
    path: &Path,
    index_id: &[u8; 16],
    open: &catalog::OpenSegments,
    num_perm: usize,
    orphans_removed: &mut bool,
) -> Result<(rusqlite::Transaction<'c>, Vec<SegmentRow>)> {
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(|e| sql_error(path, e))?;
    let rows = catalog::list(&tx, path)?;
    if !*orphans_removed {
        catalog::remove_orphans(path, index_id, &rows);
        *orphans_removed = true;
    }
    open.view(path, index_id, num_perm, segment::Access::Map, || {
        Ok((rows.clone(), Vec::new()))
    })?;
    Ok((tx, rows))
}

/// The live article of an id: its number, its row checked.
fn find_doc(conn: &Connection, path: &Path, id: &str) -> Result<Option<u32>> {
    let row: Option<(i64, String, i64)> = conn
        .prepare_cached("SELECT doc, id, checksum FROM docs WHERE id = ?1")
        .and_then(|mut st| {
            st.query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()
        })
        .map_err(|e| sql_error(path, e))?;
    match row {
        None => Ok(None),
        Some((doc, stored, sum)) => match u32::try_from(doc) {
            Ok(d) if stored == id && row_checksum(d, &stored) == sum => Ok(Some(d)),
            _ => Err(damaged_row(path, doc)),
        },
    }
}

fn damaged_row(path: &Path, doc: i64) -> Error {
    rebuild_corrupt(
        path,
        format!("article row {doc} fails its checksum; the index is damaged: rebuild it"),
    )
}

/// Moves a written segment from its temporary name into place.
fn publish(tmp: &Path, path: &Path) -> Result<()> {
    std::fs::rename(tmp, path).map_err(|e| Error::io_at(IoOp::Rename, path, e))?;
    catalog::sync_dir(path);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_refuses_an_existing_index_and_open_reads_it_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ix");
        let params = IndexParams::new(3, 32, 5, 0.4).unwrap();
        let ix = Index::create(&path, &params).unwrap();
        assert!(ix.is_empty().unwrap());
        let id = ix.index_id;
        drop(ix);
        let err = Index::create(&path, &params).err().unwrap();
        assert!(err.to_string().contains("already exists"), "{err}");
        let ix = Index::open(&path).unwrap();
        assert_eq!(
            (ix.params(), ix.path(), ix.index_id),
            (&params, path.as_path(), id)
        );
        assert_eq!(ix.hit_bounds.len(), params.bands + 1);
        assert!(ix.view().unwrap().segments.is_empty());
    }
}
