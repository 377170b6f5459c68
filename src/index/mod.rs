//! A persistent near-duplicate index: articles sketched once and kept on
//! disk, so that a new article can be checked against a large collection in
//! milliseconds.
//!
//! The store is one SQLite file in WAL mode (see [`mod@store`] for the
//! tables): readers query while one writer adds; every write is a
//! transaction, so a crash loses at most the batch in flight; damaged files
//! are reported as [`crate::ErrorKind::Corrupt`].
//!
//! * [`build`] creates an index from a corpus (into a temporary file that
//!   is renamed into place when complete);
//! * [`Index::add_batch`] adds sketched articles in one transaction,
//!   [`Index::remove`] removes articles by id;
//! * [`Index::check`] finds the indexed articles most similar to a new one
//!   (see [`mod@check`]).
//!
//! [`mod@segment`] is the file format of the segment files planned for
//! checks (`docs/index-storage.md`); the index does not use it yet.
//!
//! The LSH layout (bands and rows) is fixed when the index is built, for
//! the lowest Jaccard threshold the index answers
//! ([`DEFAULT_LSH_THRESHOLD`]); higher thresholds are served by counting in
//! how many bands a candidate collides ([`check::min_band_hits`]).
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

pub mod check;
pub mod output;
pub mod runs;
pub mod segment;
pub mod store;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

pub use check::{CheckOptions, CheckResult, Match};

use crate::article::{Article, FieldMap};
use crate::corpus::{BatchLimits, BatchReader, Input};
use crate::dedup::{DocSketch, Scratch, SketchParams, sketch_article};
use crate::error::{Error, ErrorKind, Result};
use crate::lsh::{self, LshPlan};
use crate::sketch::MinHasher;
use runs::Entry;
use store::{
    FORMAT_NAME, SCHEMA_VERSION, bucket_of, corrupt, decode_u32s, encode_u32s, row_checksum,
    sql_error,
};

/// The default lowest Jaccard threshold an index is laid out for: 51 bands
/// of 2 rows at 128 permutations. Low enough for containment checks of
/// copies about half the original's length (see `README.md`).
pub const DEFAULT_LSH_THRESHOLD: f64 = 0.3;
/// Articles per write transaction.
pub const DEFAULT_BATCH_SIZE: usize = 10_000;

/// Parameters fixed when an index is built.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IndexParams {
    /// Words per shingle.
    pub shingle_size: usize,
    /// MinHash signature length.
    pub num_perm: usize,
    /// Hash seed.
    pub seed: u64,
    /// The lowest Jaccard threshold the LSH layout serves.
    pub lsh_threshold: f64,
    /// LSH bands.
    pub bands: usize,
    /// Rows per band.
    pub rows: usize,
}

impl IndexParams {
    /// Parameters with the LSH layout chosen for `lsh_threshold`.
    pub fn new(
        shingle_size: usize,
        num_perm: usize,
        seed: u64,
        lsh_threshold: f64,
    ) -> Result<IndexParams> {
        if shingle_size == 0 {
            return Err(Error::usage("--shingle-size must be at least 1"));
        }
        if num_perm == 0 || num_perm > 4096 {
            return Err(Error::usage("--num-perm must be between 1 and 4096"));
        }
        if !(0.05..=1.0).contains(&lsh_threshold) {
            return Err(Error::usage(format!(
                "--lsh-threshold must be in [0.05, 1], got {lsh_threshold}"
            )));
        }
        let plan = LshPlan::optimal(lsh_threshold, num_perm, lsh::DEFAULT_FN_WEIGHT);
        Ok(IndexParams {
            shingle_size,
            num_perm,
            seed,
            lsh_threshold,
            bands: plan.bands,
            rows: plan.rows,
        })
    }

    /// The LSH layout (bands, rows, threshold; error masses not computed:
    /// see [`LshPlan::with_layout`]).
    pub fn plan(&self) -> LshPlan {
        LshPlan {
            bands: self.bands,
            rows: self.rows,
            threshold: self.lsh_threshold,
            fp_mass: f64::NAN,
            fn_mass: f64::NAN,
        }
    }

    /// The sketch parameters (fingerprints always kept).
    pub fn sketch_params(&self) -> SketchParams {
        SketchParams {
            shingle_size: self.shingle_size,
            hasher: MinHasher::new(self.num_perm, self.seed),
            keep_shingles: true,
        }
    }

    fn to_meta(&self) -> Vec<(&'static str, String)> {
        vec![
            ("format", FORMAT_NAME.to_string()),
            ("schema_version", SCHEMA_VERSION.to_string()),
            ("shingle_size", self.shingle_size.to_string()),
            ("num_perm", self.num_perm.to_string()),
            ("seed", self.seed.to_string()),
            ("lsh_threshold", self.lsh_threshold.to_string()),
            ("bands", self.bands.to_string()),
            ("rows", self.rows.to_string()),
        ]
    }
}

fn meta_checksum(entries: &[(String, String)]) -> String {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for (k, v) in entries {
        h.update(k.as_bytes());
        h.update(b"=");
        h.update(v.as_bytes());
        h.update(b"\n");
    }
    format!("{:016x}", h.digest())
}

/// An article ready for the index: its sketch, the metadata shown in
/// reports, and where it was read from.
#[derive(Clone, Debug)]
pub struct NewDoc {
    /// Id, date, signature and shingle fingerprints.
    pub sketch: DocSketch,
    /// The outlet, if known.
    pub outlet: Option<String>,
    /// The headline, if known.
    pub title: Option<String>,
    /// The file it came from (`<stdin>` for stdin).
    pub source: Arc<str>,
    /// Its line, for JSON Lines input.
    pub line: Option<usize>,
}

impl NewDoc {
    /// Sketches an article held in memory.
    pub fn sketch(article: Article, params: &IndexParams) -> NewDoc {
        let source: Arc<str> = article.id.as_str().into();
        let (outlet, title) = (article.outlet.clone(), article.title.clone());
        let sketch = sketch_article(article, &params.sketch_params(), &mut Scratch::default());
        NewDoc {
            sketch,
            outlet,
            title,
            source,
            line: None,
        }
    }

    /// How the article is named in messages: the file, and for JSON Lines
    /// its line and id.
    pub fn display_name(&self) -> String {
        match self.line {
            Some(l) => format!("{}:{} (id {})", self.source, l, self.sketch.id),
            None => self.source.to_string(),
        }
    }
}

/// How corpus input is read.
#[derive(Clone, Debug)]
pub struct InputOptions {
    /// JSON field names.
    pub fields: FieldMap,
    /// Count and skip malformed records instead of failing.
    pub skip_invalid: bool,
    /// Articles per batch (and per write transaction).
    pub batch_size: usize,
}

impl Default for InputOptions {
    fn default() -> Self {
        InputOptions {
            fields: FieldMap::default(),
            skip_invalid: false,
            batch_size: DEFAULT_BATCH_SIZE,
        }
    }
}

/// Malformed records skipped with `skip_invalid`.
#[derive(Clone, Debug, Default)]
pub struct Skipped {
    /// How many.
    pub count: usize,
    /// Messages for the first [`crate::dedup::MAX_SKIP_MESSAGES`].
    pub messages: Vec<String>,
}

/// Reads `inputs` in batches on one thread while the previous batch is
/// parsed and sketched in parallel; calls `f` with each batch, in input
/// order.
pub fn for_each_batch(
    inputs: Vec<Input>,
    params: &IndexParams,
    opts: &InputOptions,
    skipped: &mut Skipped,
    mut f: impl FnMut(Vec<NewDoc>) -> Result<()>,
) -> Result<()> {
    let sketch_params = params.sketch_params();
    let limits = BatchLimits {
        records: opts.batch_size.max(1),
        ..BatchLimits::default()
    };
    let mut reader = BatchReader::new(inputs, limits);
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        s.spawn(move || {
            loop {
                let msg = reader.next_batch();
                let stop = !matches!(msg, Ok(Some(_)));
                if tx.send(msg).is_err() || stop {
                    break;
                }
            }
        });
        for msg in rx {
            let Some(batch) = msg? else { break };
            let sketch = |scratch: &mut Scratch, rec: crate::corpus::RawRecord| {
                let article = rec.parse(&opts.fields)?;
                let (outlet, title) = (article.outlet.clone(), article.title.clone());
                Ok(NewDoc {
                    sketch: sketch_article(article, &sketch_params, scratch),
                    outlet,
                    title,
                    source: rec.source.clone(),
                    line: rec.line,
                })
            };
            // A few articles (a check of one new article) are not worth
            // starting the thread pool for.
            let results: Vec<Result<NewDoc>> = if batch.len() < 16 {
                let mut scratch = Scratch::default();
                batch.into_iter().map(|r| sketch(&mut scratch, r)).collect()
            } else {
                batch
                    .into_par_iter()
                    .map_init(Scratch::default, sketch)
                    .collect()
            };
            let mut docs = Vec::with_capacity(results.len());
            for r in results {
                match r {
                    Ok(d) => docs.push(d),
                    Err(e) if opts.skip_invalid => {
                        skipped.count += 1;
                        if skipped.messages.len() < crate::dedup::MAX_SKIP_MESSAGES {
                            skipped.messages.push(e.to_string());
                        }
                    }
                    Err(e) => return Err(e),
                }
            }
            f(docs)?;
        }
        Ok(())
    })
}

/// Like [`for_each_batch`], but `write` runs on a thread of its own, so
/// that writing one batch (one thread: SQLite has one writer) overlaps
/// reading and sketching the next. Batches are written in input order; an
/// error of `write` stops the reading.
fn for_each_batch_overlapped(
    inputs: Vec<Input>,
    params: &IndexParams,
    opts: &InputOptions,
    skipped: &mut Skipped,
    mut write: impl FnMut(Vec<NewDoc>) -> Result<()> + Send,
) -> Result<()> {
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<NewDoc>>(1);
        let writer = s.spawn(move || -> Result<()> {
            for docs in rx {
                write(docs)?;
            }
            Ok(())
        });
        // Sending fails only once the writer has stopped with an error,
        // which is the one reported.
        let read = for_each_batch(inputs, params, opts, skipped, |docs| {
            tx.send(docs)
                .map_err(|_| Error::usage("the index writer stopped"))
        });
        drop(tx);
        let written = writer
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        written.and(read)
    })
}

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
}

impl WriteCounts {
    fn merge(&mut self, o: WriteCounts) {
        self.added += o.added;
        self.updated += o.updated;
        self.skipped += o.skipped;
    }
}

/// An open index.
pub struct Index {
    conn: Connection,
    path: PathBuf,
    params: IndexParams,
    /// [`check::jaccard_upper_bound`] for each number of band hits,
    /// computed when first needed.
    hit_bounds: Vec<std::sync::OnceLock<f64>>,
    /// Read connections of [`Index::check_many`], kept between calls.
    readers: std::sync::Mutex<Vec<Index>>,
}

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
    /// Bucket entries.
    pub band_entries: u64,
    /// Sorted runs the bucket entries are kept in (see [`mod@runs`]).
    pub runs: u64,
    /// Bytes of the database file plus its write-ahead log.
    pub size_bytes: u64,
    /// `size_bytes / articles`.
    pub bytes_per_article: f64,
    /// The parameters.
    pub params: IndexParams,
}

/// One stored article row, checked against its checksum.
#[derive(Clone, Debug)]
pub struct StoredDoc {
    /// Internal article number.
    pub doc: u32,
    /// The article id.
    pub id: String,
    /// Date as given.
    pub date: Option<String>,
    /// Outlet.
    pub outlet: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// Distinct shingle fingerprints.
    pub num_shingles: u32,
    /// MinHash signature (32-bit values).
    pub signature: Vec<u32>,
    /// Sorted shingle fingerprints.
    pub shingles: Vec<u32>,
}

/// The query of `Index::with_row` (a constant: it runs once per
/// candidate, and the statement cache is keyed by the text).
const ROW_BY_DOC: &str = "SELECT doc, id, date, outlet, title, num_shingles, signature, shingles, checksum FROM docs WHERE doc = ?1";

const DOC_COLUMNS: &str =
    "doc, id, date, outlet, title, num_shingles, signature, shingles, checksum";

impl Index {
    /// Creates a new, empty index at `path` (which must not exist).
    pub fn create(path: &Path, params: &IndexParams) -> Result<Index> {
        if path.exists() {
            return Err(Error::usage(format!(
                "{}: already exists; use `neardiff index add` or `index build --force`",
                path.display()
            )));
        }
        let conn = store::create_fresh(path)?;
        write_meta(&conn, path, params)?;
        conn.execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
            .map_err(|e| sql_error(path, e))?;
        drop(conn);
        Index::open(path)
    }

    /// Opens an existing index, checking its header, format, schema
    /// version and parameters.
    pub fn open(path: &Path) -> Result<Index> {
        let conn = store::open_existing(path)?;
        let params = read_meta(&conn, path)?;
        let bands = params.bands;
        Ok(Index {
            conn,
            path: path.to_path_buf(),
            params,
            hit_bounds: (0..=bands).map(|_| std::sync::OnceLock::new()).collect(),
            readers: std::sync::Mutex::new(Vec::new()),
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

    pub(crate) fn hit_bound(&self, hits: usize) -> f64 {
        let (bands, rows) = (self.params.bands, self.params.rows);
        match self.hit_bounds.get(hits) {
            Some(b) => *b.get_or_init(|| check::jaccard_upper_bound(hits, bands, rows)),
            None => 1.0,
        }
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

    /// Adds a batch of articles in one transaction: either all of it is
    /// written or none.
    pub fn add_batch(&mut self, docs: Vec<NewDoc>, on_dup: OnDuplicate) -> Result<WriteCounts> {
        let path = self.path.clone();
        let plan = self.params.plan();
        let err = |e| sql_error(&path, e);
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(err)?;
        let mut entries = Vec::new();
        let mut replaced = Vec::new();
        let counts = insert_docs(&tx, &path, &plan, docs, on_dup, &mut entries, &mut replaced)?;
        // A row replaced within this batch has its entries only here.
        let gone: HashSet<u32> = replaced.iter().map(|r| r.0).collect();
        if !gone.is_empty() {
            entries.retain(|e| !gone.contains(&e.doc));
        }
        let mut targets = Vec::new();
        for (doc, sig, n) in replaced {
            if n > 0 {
                for band in 0..plan.bands {
                    targets.push((bucket_of(plan.band_key(&sig, band)), doc));
                }
            }
        }
        targets.sort_unstable();
        targets.dedup();
        runs::remove(&tx, &path, &targets)?;
        entries.sort_unstable();
        entries.dedup_by_key(|e| (e.bucket, e.doc));
        runs::write_run(&tx, &path, &entries)?;
        tx.commit().map_err(err)?;
        self.compact()?;
        Ok(counts)
    }

    /// Merges runs of bucket entries, one transaction per merge, while the
    /// merge policy asks for it (see [`mod@runs`]).
    pub fn compact(&mut self) -> Result<()> {
        let path = self.path.clone();
        let err = |e| sql_error(&path, e);
        loop {
            let tx = self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .map_err(err)?;
            let list = runs::list(&tx, &path)?;
            let Some((a, b)) = runs::next_merge(&list) else {
                return Ok(());
            };
            runs::merge(&tx, &path, a, b)?;
            tx.commit().map_err(err)?;
        }
    }

    /// Removes articles by id in one transaction. Unknown ids are an error
    /// (and nothing is removed) unless `ignore_missing`; returns the number
    /// removed.
    pub fn remove(&mut self, ids: &[String], ignore_missing: bool) -> Result<u64> {
        let path = self.path.clone();
        let plan = self.params.plan();
        let err = |e| sql_error(&path, e);
        let tx = self.conn.transaction().map_err(err)?;
        let mut removed = 0;
        {
            let mut find = tx
                .prepare_cached(&format!("SELECT {DOC_COLUMNS} FROM docs WHERE id = ?1"))
                .map_err(err)?;
            let mut del_doc = tx
                .prepare_cached("DELETE FROM docs WHERE doc = ?1")
                .map_err(err)?;
            let mut targets = Vec::new();
            let mut missing = Vec::new();
            for id in ids {
                let row = find.query_row([id], read_row).optional().map_err(err)?;
                let Some(row) = row else {
                    missing.push(id.as_str());
                    continue;
                };
                let d = check_row(&path, row)?;
                if d.num_shingles > 0 {
                    for band in 0..plan.bands {
                        targets.push((bucket_of(plan.band_key(&d.signature, band)), d.doc));
                    }
                }
                del_doc.execute([d.doc]).map_err(err)?;
                removed += 1;
            }
            if !missing.is_empty() && !ignore_missing {
                let shown: Vec<&str> = missing.iter().take(10).copied().collect();
                return Err(Error::usage(format!(
                    "{}: {} id(s) not in the index: {}{}; nothing was removed (use --ignore-missing to remove the others)",
                    path.display(),
                    missing.len(),
                    shown.join(", "),
                    if missing.len() > 10 { ", ..." } else { "" }
                )));
            }
            targets.sort_unstable();
            targets.dedup();
            runs::remove(&tx, &path, &targets)?;
        }
        tx.commit().map_err(err)?;
        Ok(removed)
    }

    /// Figures for `index stats`.
    pub fn stats(&self) -> Result<Stats> {
        let tx = self.conn.unchecked_transaction().map_err(self.err())?;
        let articles = self.len()?;
        let without: i64 = tx
            .query_row(
                "SELECT count(*) FROM docs WHERE num_shingles = 0",
                [],
                |r| r.get(0),
            )
            .map_err(self.err())?;
        let run_list = runs::list(&tx, &self.path)?;
        drop(tx);
        let band_entries: u64 = run_list.iter().map(|r| r.entries).sum();
        let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
        let size_bytes = size(&self.path) + size(&store::wal_path(&self.path));
        Ok(Stats {
            path: self.path.display().to_string(),
            schema_version: SCHEMA_VERSION,
            articles,
            articles_without_words: without as u64,
            band_entries,
            runs: run_list.len() as u64,
            size_bytes,
            bytes_per_article: if articles == 0 {
                0.0
            } else {
                size_bytes as f64 / articles as f64
            },
            params: self.params.clone(),
        })
    }

    /// A full check: SQLite's `integrity_check`, every row's checksum, and
    /// every bucket entry against the signatures. Returns the number of
    /// articles checked.
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
                return Err(corrupt(
                    &self.path,
                    format!(
                        "SQLite integrity check failed: {}; rebuild it with `neardiff index build --force`",
                        msgs.iter().take(3).cloned().collect::<Vec<_>>().join("; ")
                    ),
                ));
            }
        }
        let plan = self.params.plan();
        let mut expected = Vec::new();
        let mut n = 0;
        {
            let mut st = tx
                .prepare(&format!("SELECT {DOC_COLUMNS} FROM docs"))
                .map_err(&err)?;
            let mut rows = st.query([]).map_err(&err)?;
            while let Some(r) = rows.next().map_err(&err)? {
                let d = check_row(&self.path, read_row(r).map_err(&err)?)?;
                if d.signature.len() != self.params.num_perm {
                    return Err(corrupt(
                        &self.path,
                        format!("article {}: signature of the wrong length", d.id),
                    ));
                }
                if d.num_shingles > 0 {
                    for band in 0..plan.bands {
                        let b = bucket_of(plan.band_key(&d.signature, band)) as u64;
                        expected.push(((b << 32) | d.doc as u64, d.num_shingles));
                    }
                }
                n += 1;
            }
        }
        expected.sort_unstable();
        expected.dedup();
        let mut found = runs::scan_all(&tx, &self.path)?;
        found.par_sort_unstable();
        if found.len() != expected.len() {
            return Err(corrupt(
                &self.path,
                format!(
                    "the bucket table holds {} entries where the stored signatures give {}; rebuild the index",
                    found.len(),
                    expected.len()
                ),
            ));
        }
        if found != expected {
            return Err(corrupt(
                &self.path,
                "the bucket table does not match the stored signatures; rebuild the index",
            ));
        }
        Ok(n)
    }

    /// Calls `f` with one article's row, borrowed from SQLite (no copies),
    /// after checking its checksum; `None` when there is no such row.
    pub(crate) fn with_row<T>(
        &self,
        doc: u32,
        f: impl FnOnce(&RowRef<'_>) -> T,
    ) -> Result<Option<T>> {
        let mut st = self.conn.prepare_cached(ROW_BY_DOC).map_err(self.err())?;
        let mut rows = st.query([doc]).map_err(self.err())?;
        let Some(r) = rows.next().map_err(self.err())? else {
            return Ok(None);
        };
        let bad = || {
            corrupt(
                &self.path,
                format!(
                    "article row {doc} fails its checksum; the index is damaged: rebuild it with `neardiff index build --force`"
                ),
            )
        };
        let text = |i: usize| -> Result<Option<&str>> {
            match r.get_ref(i).map_err(self.err())? {
                rusqlite::types::ValueRef::Null => Ok(None),
                rusqlite::types::ValueRef::Text(t) => {
                    std::str::from_utf8(t).map(Some).map_err(|_| bad())
                }
                _ => Err(bad()),
            }
        };
        let blob = |i: usize| -> Result<&[u8]> {
            match r.get_ref(i).map_err(self.err())? {
                rusqlite::types::ValueRef::Blob(b) => Ok(b),
                _ => Err(bad()),
            }
        };
        let int = |i: usize| -> Result<i64> {
            match r.get_ref(i).map_err(self.err())? {
                rusqlite::types::ValueRef::Integer(n) => Ok(n),
                _ => Err(bad()),
            }
        };
        let row = RowRef {
            id: text(1)?.ok_or_else(bad)?,
            date: text(2)?,
            outlet: text(3)?,
            title: text(4)?,
            num_shingles: u32::try_from(int(5)?).map_err(|_| bad())?,
            signature: blob(6)?,
            shingles: blob(7)?,
        };
        let sum = int(8)?;
        if row_checksum(
            doc,
            row.id,
            row.date,
            row.outlet,
            row.title,
            row.num_shingles,
            row.signature,
            row.shingles,
        ) != sum
            || row.signature.len() % 4 != 0
            || row.shingles.len() % 4 != 0
        {
            return Err(bad());
        }
        Ok(Some(f(&row)))
    }

    /// The entries in the bucket of `key`, from every run in `run_ids`.
    pub(crate) fn bucket(&self, run_ids: &[u32], key: u64, out: &mut Vec<Entry>) -> Result<()> {
        for &run in run_ids {
            runs::lookup(&self.conn, &self.path, run, bucket_of(key), out)?;
        }
        Ok(())
    }

    /// The runs of bucket entries, oldest first.
    pub(crate) fn run_ids(&self) -> Result<Vec<u32>> {
        Ok(runs::list(&self.conn, &self.path)?
            .into_iter()
            .map(|r| r.id)
            .collect())
    }

    /// Runs `f` inside one read transaction (one consistent snapshot).
    pub fn read<T>(&self, f: impl FnOnce(&Index) -> Result<T>) -> Result<T> {
        let tx = self.conn.unchecked_transaction().map_err(self.err())?;
        let out = f(self)?;
        tx.finish().map_err(self.err())?;
        Ok(out)
    }
}

/// A stored row borrowed from SQLite, checksum already checked.
pub(crate) struct RowRef<'a> {
    pub(crate) id: &'a str,
    pub(crate) date: Option<&'a str>,
    pub(crate) outlet: Option<&'a str>,
    pub(crate) title: Option<&'a str>,
    pub(crate) num_shingles: u32,
    /// Little-endian `u32`s.
    pub(crate) signature: &'a [u8],
    /// Little-endian `u32`s, sorted.
    pub(crate) shingles: &'a [u8],
}

type Row = (
    i64,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
    Vec<u8>,
    Vec<u8>,
    i64,
);

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
    ))
}

fn check_row(path: &Path, row: Row) -> Result<StoredDoc> {
    let (doc, id, date, outlet, title, n, sig, sh, sum) = row;
    let bad = || {
        corrupt(
            path,
            format!(
                "article row {doc} fails its checksum; the index is damaged: rebuild it with `neardiff index build --force`"
            ),
        )
    };
    let (Ok(doc), Ok(num_shingles)) = (u32::try_from(doc), u32::try_from(n)) else {
        return Err(bad());
    };
    if row_checksum(
        doc,
        &id,
        date.as_deref(),
        outlet.as_deref(),
        title.as_deref(),
        num_shingles,
        &sig,
        &sh,
    ) != sum
    {
        return Err(bad());
    }
    let (Some(signature), Some(shingles)) = (decode_u32s(&sig), decode_u32s(&sh)) else {
        return Err(bad());
    };
    Ok(StoredDoc {
        doc,
        id,
        date,
        outlet,
        title,
        num_shingles,
        signature,
        shingles,
    })
}

fn write_meta(conn: &Connection, path: &Path, params: &IndexParams) -> Result<()> {
    let entries: Vec<(String, String)> = params
        .to_meta()
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    let sum = meta_checksum(&entries);
    let mut st = conn
        .prepare("INSERT INTO meta(key, value) VALUES (?1, ?2)")
        .map_err(|e| sql_error(path, e))?;
    for (k, v) in entries.iter().chain([&("checksum".to_string(), sum)]) {
        st.execute(params![k, v]).map_err(|e| sql_error(path, e))?;
    }
    Ok(())
}

fn read_meta(conn: &Connection, path: &Path) -> Result<IndexParams> {
    let mut st = conn
        .prepare("SELECT key, value FROM meta ORDER BY rowid")
        .map_err(|e| match &e {
            rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::Unknown => {
                corrupt(path, "not a neardiff index (no meta table)")
            }
            _ => sql_error(path, e),
        })?;
    let mut entries: Vec<(String, String)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(|e| sql_error(path, e))?
        .collect::<rusqlite::Result<_>>()
        .map_err(|e| sql_error(path, e))?;
    let get = |k: &str| entries.iter().find(|(x, _)| x == k).map(|(_, v)| v.clone());
    if get("format").as_deref() != Some(FORMAT_NAME) {
        return Err(corrupt(path, "not a neardiff index (no format entry)"));
    }
    let version = get("schema_version").unwrap_or_default();
    if version != SCHEMA_VERSION.to_string() {
        return Err(Error::new(ErrorKind::Corrupt(format!(
            "index schema version {version} is not supported by this neardiff (it reads version {SCHEMA_VERSION}); rebuild the index with `neardiff index build --force`"
        )))
        .with_source(path.display().to_string()));
    }
    let Some(pos) = entries.iter().position(|(k, _)| k == "checksum") else {
        return Err(corrupt(path, "the parameters have no checksum"));
    };
    let (_, sum) = entries.remove(pos);
    if meta_checksum(&entries) != sum {
        return Err(corrupt(path, "the stored parameters fail their checksum"));
    }
    let get = |k: &str| entries.iter().find(|(x, _)| x == k).map(|(_, v)| v.clone());
    let num = |k: &str| -> Result<u64> {
        get(k)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| corrupt(path, format!("missing or invalid parameter {k}")))
    };
    let lsh_threshold: f64 = get("lsh_threshold")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| corrupt(path, "missing or invalid parameter lsh_threshold"))?;
    let params = IndexParams {
        shingle_size: num("shingle_size")? as usize,
        num_perm: num("num_perm")? as usize,
        seed: num("seed")?,
        lsh_threshold,
        bands: num("bands")? as usize,
        rows: num("rows")? as usize,
    };
    if params.shingle_size == 0
        || params.num_perm == 0
        || params.bands == 0
        || params.rows == 0
        || params.bands * params.rows > params.num_perm
    {
        return Err(corrupt(path, "inconsistent parameters"));
    }
    Ok(params)
}

type Replaced = (u32, Vec<u32>, u32);

/// Inserts article rows; bucket entries of new rows go to `entries`, rows
/// replaced under [`OnDuplicate::Update`] to `replaced`.
fn insert_docs(
    conn: &Connection,
    path: &Path,
    plan: &LshPlan,
    docs: Vec<NewDoc>,
    on_dup: OnDuplicate,
    entries: &mut Vec<Entry>,
    replaced: &mut Vec<Replaced>,
) -> Result<WriteCounts> {
    let err = |e| sql_error(path, e);
    let mut counts = WriteCounts::default();
    let mut next: i64 = conn
        .query_row("SELECT COALESCE(MAX(doc), -1) + 1 FROM docs", [], |r| {
            r.get(0)
        })
        .map_err(err)?;
    let mut find = conn
        .prepare_cached("SELECT doc, signature, num_shingles FROM docs WHERE id = ?1")
        .map_err(err)?;
    let mut del = conn
        .prepare_cached("DELETE FROM docs WHERE doc = ?1")
        .map_err(err)?;
    let mut ins = conn
        .prepare_cached(&format!(
            "INSERT INTO docs({DOC_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
        ))
        .map_err(err)?;
    for d in docs {
        let existing: Option<(i64, Vec<u8>, i64)> = find
            .query_row([&d.sketch.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()
            .map_err(err)?;
        if let Some((doc, sig, n)) = existing {
            match on_dup {
                OnDuplicate::Error => {
                    return Err(Error::usage(format!(
                        "{}: id {:?} is already in the index {}; use --on-duplicate skip or update",
                        d.display_name(),
                        d.sketch.id,
                        path.display()
                    )));
                }
                OnDuplicate::Skip => {
                    counts.skipped += 1;
                    continue;
                }
                OnDuplicate::Update => {
                    let sig = decode_u32s(&sig)
                        .ok_or_else(|| corrupt(path, format!("article row {doc} is damaged")))?;
                    replaced.push((doc as u32, sig, n as u32));
                    del.execute([doc]).map_err(err)?;
                    counts.updated += 1;
                }
            }
        } else {
            counts.added += 1;
        }
        if next > u32::MAX as i64 {
            return Err(Error::usage(
                "an index holds at most 4,294,967,295 articles",
            ));
        }
        let doc = next as u32;
        next += 1;
        let s = &d.sketch;
        let sig = encode_u32s(&s.signature);
        let sh = encode_u32s(s.shingles.as_deref().unwrap_or(&[]));
        let sum = row_checksum(
            doc,
            &s.id,
            s.date.as_deref(),
            d.outlet.as_deref(),
            d.title.as_deref(),
            s.num_shingles,
            &sig,
            &sh,
        );
        ins.execute(params![
            doc,
            s.id,
            s.date,
            d.outlet,
            d.title,
            s.num_shingles,
            sig,
            sh,
            sum
        ])
        .map_err(err)?;
        if s.num_shingles > 0 {
            for band in 0..plan.bands {
                entries.push(Entry {
                    bucket: bucket_of(plan.band_key(&s.signature, band)),
                    doc,
                    size: s.num_shingles,
                });
            }
        }
    }
    Ok(counts)
}

/// Figures of a build or add run.
#[derive(Clone, Debug, Default)]
pub struct WriteSummary {
    /// What was written.
    pub counts: WriteCounts,
    /// Malformed records skipped.
    pub skipped: Skipped,
    /// Batches committed.
    pub batches: u64,
}

/// Builds a new index at `path` from `inputs`. The index is written to a
/// temporary file beside `path` and renamed to `path` only when complete;
/// an existing file is replaced only with `force`.
pub fn build(
    path: &Path,
    params: &IndexParams,
    inputs: Vec<Input>,
    opts: &InputOptions,
    on_dup: OnDuplicate,
    force: bool,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<WriteSummary> {
    if path.exists() && !force {
        return Err(Error::usage(format!(
            "{}: an index already exists; add to it with `neardiff index add`, or replace it with `index build --force`",
            path.display()
        )));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "index".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    let result = build_into(&tmp, params, inputs, opts, on_dup, progress)
        .and_then(|summary| replace(&tmp, path).map(|_| summary));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
        let _ = std::fs::remove_file(store::wal_path(&tmp));
        let _ = std::fs::remove_file(store::shm_path(&tmp));
    }
    result
}

fn build_into(
    tmp: &Path,
    params: &IndexParams,
    inputs: Vec<Input>,
    opts: &InputOptions,
    on_dup: OnDuplicate,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<WriteSummary> {
    let err = |e| sql_error(tmp, e);
    let mut conn = store::create_fresh(tmp)?;
    write_meta(&conn, tmp, params)?;
    let plan = params.plan();
    let mut summary = WriteSummary::default();
    let mut entries: Vec<Entry> = Vec::new();
    let mut removed: HashSet<u32> = HashSet::new();
    // One transaction for the whole build (the file is not in place until
    // it is complete), opened here so that the writer thread needs only
    // the connection.
    conn.execute_batch("BEGIN").map_err(err)?;
    let mut skipped = Skipped::default();
    {
        let (conn, summary, entries, removed) =
            (&mut conn, &mut summary, &mut entries, &mut removed);
        let plan = &plan;
        for_each_batch_overlapped(inputs, params, opts, &mut skipped, move |docs| {
            let mut replaced = Vec::new();
            let c = insert_docs(conn, tmp, plan, docs, on_dup, entries, &mut replaced)?;
            removed.extend(replaced.into_iter().map(|(d, _, _)| d));
            summary.counts.merge(c);
            summary.batches += 1;
            progress(summary.counts.added + summary.counts.updated);
            Ok(())
        })?;
    }
    summary.skipped = skipped;
    if !removed.is_empty() {
        entries.retain(|e| !removed.contains(&e.doc));
    }
    entries.par_sort_unstable();
    entries.dedup_by_key(|e| (e.bucket, e.doc));
    runs::write_run(&conn, tmp, &entries)?;
    drop(entries);
    conn.execute_batch("COMMIT").map_err(err)?;
    conn.execute_batch("PRAGMA journal_mode=WAL;")
        .map_err(err)?;
    conn.close().map_err(|(_, e)| err(e))?;
    let f = std::fs::File::open(tmp).map_err(|e| Error::io(tmp, e))?;
    f.sync_all().map_err(|e| Error::io(tmp, e))?;
    Ok(summary)
}

/// Moves a complete index file into place. An old index there is
/// checkpointed first and its log files removed, so that they can never be
/// applied to the new file.
fn replace(tmp: &Path, path: &Path) -> Result<()> {
    if path.exists() {
        if let Ok(conn) = Connection::open(path) {
            let _ = conn.busy_timeout(std::time::Duration::from_secs(30));
            let _ = conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);");
        }
        for p in [store::wal_path(path), store::shm_path(path)] {
            match std::fs::remove_file(&p) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(Error::io(&p, e)),
            }
        }
    }
    std::fs::rename(tmp, path).map_err(|e| Error::io(path, e))?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

/// Adds `inputs` to the index in batches of `opts.batch_size` articles,
/// one transaction each: a crash loses at most the batch in flight.
pub fn add(
    index: &mut Index,
    inputs: Vec<Input>,
    opts: &InputOptions,
    on_dup: OnDuplicate,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<WriteSummary> {
    let params = index.params().clone();
    store::map_file(&index.conn, &index.path)?;
    let mut summary = WriteSummary::default();
    let mut skipped = Skipped::default();
    let r = {
        let counts = &mut summary;
        for_each_batch_overlapped(inputs, &params, opts, &mut skipped, |docs| {
            let c = index.add_batch(docs, on_dup)?;
            counts.counts.merge(c);
            counts.batches += 1;
            progress(counts.counts.added + counts.counts.updated);
            Ok(())
        })
    };
    summary.skipped = skipped;
    r.map(|_| summary)
}
