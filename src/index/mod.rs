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

pub mod catalog;
pub mod check;
mod filetype;
pub mod output;
pub mod segment;
pub mod store;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

pub use check::{CheckOptions, CheckResult, Match};

use crate::article::{Article, FieldMap};
use crate::corpus::{BatchLimits, BatchReader, Input};
use crate::dedup::{DocSketch, Scratch, SketchParams, sketch_article};
use crate::error::{Error, ErrorKind, IoOp, Result};
use crate::lsh::{self, LshPlan};
use crate::sketch::{MinHasher, default_min_words};
use catalog::SegmentRow;
use filetype::Role;
use segment::{ArticleMeta, Segment, SegmentEntry, SegmentWriter};
use store::{FORMAT_NAME, SCHEMA_VERSION, bucket_of, corrupt, row_checksum, sql_error};

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
            return Err(Error::invalid_param("shingle_size", "must be at least 1"));
        }
        if num_perm == 0 || num_perm > 4096 {
            return Err(Error::invalid_param(
                "num_perm",
                "must be between 1 and 4096",
            ));
        }
        if !(0.05..=1.0).contains(&lsh_threshold) {
            return Err(Error::invalid_param(
                "lsh_threshold",
                format!("must be in [0.05, 1], got {lsh_threshold}"),
            ));
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

    /// The sketch parameters (fingerprints always kept), with the default
    /// least number of words ([`default_min_words`] of the shingle size).
    pub fn sketch_params(&self) -> SketchParams {
        SketchParams {
            shingle_size: self.shingle_size,
            hasher: MinHasher::new(self.num_perm, self.seed),
            keep_shingles: true,
            keep_signature: true,
            min_words: default_min_words(self.shingle_size),
            keep_edges: false,
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
    /// The least number of words an article needs to be indexed or
    /// checked (`--min-words`); `None`: [`default_min_words`] of the
    /// index's shingle size. A shorter article (empty text, a scrape stub)
    /// is too short: sketched without shingles, never indexed
    /// ([`WriteCounts::too_short`]), and checked as too short
    /// ([`CheckResult::too_short`]).
    pub min_words: Option<usize>,
}

impl Default for InputOptions {
    fn default() -> Self {
        InputOptions {
            fields: FieldMap::default(),
            skip_invalid: false,
            batch_size: DEFAULT_BATCH_SIZE,
            min_words: None,
        }
    }
}

impl InputOptions {
    /// The least number of words for an index of `params`: the option or
    /// the default; an error when it is below the shingle size.
    pub fn min_words(&self, params: &IndexParams) -> Result<usize> {
        crate::dedup::check_min_words(self.min_words, params.shingle_size)?;
        Ok(self
            .min_words
            .unwrap_or_else(|| default_min_words(params.shingle_size)))
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
    let sketch_params = SketchParams {
        min_words: opts.min_words(params)?,
        ..params.sketch_params()
    };
    let limits = BatchLimits {
        records: opts.batch_size.max(1),
        ..BatchLimits::default()
    };
    let mut reader = BatchReader::new(inputs, limits);
    let mut handle = |batch: Vec<crate::corpus::RawRecord>| -> Result<()> {
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
        f(docs)
    };
    // The first two batches are read here: input of one batch (a check of
    // a few articles) needs no reader thread.
    let Some(first) = reader.next_batch()? else {
        return Ok(());
    };
    let Some(second) = reader.next_batch()? else {
        return handle(first);
    };
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
        handle(first)?;
        handle(second)?;
        for msg in rx {
            let Some(batch) = msg? else { break };
            handle(batch)?;
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
    /// Articles not added because they are too short to compare (fewer
    /// words than the minimum: [`DocSketch::is_empty`]); an indexed
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

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<[u8; 16]> {
    if s.len() != 32 || !s.is_ascii() {
        return None;
    }
    let mut out = [0u8; 16];
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

/// A fresh index id: 128 bits from the standard library's randomly keyed
/// hasher, mixed with the time and process.
fn new_index_id() -> [u8; 16] {
    use std::hash::{BuildHasher, Hasher};
    let mut out = [0u8; 16];
    for (i, half) in out.chunks_mut(8).enumerate() {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_usize(i);
        h.write_u32(std::process::id());
        if let Ok(t) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
            h.write_u128(t.as_nanos());
        }
        half.copy_from_slice(&h.finish().to_le_bytes());
    }
    out
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
    corrupt(
        path,
        format!(
            "article row {doc} fails its checksum; the index is damaged: rebuild it with `neardiff index build --force`"
        ),
    )
}

/// Bucket entries of an article: one per distinct bucket of its bands.
fn entries_of(
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

fn doc_meta(d: &NewDoc) -> ArticleMeta<'_> {
    ArticleMeta {
        id: &d.sketch.id,
        date: d.sketch.date.as_deref(),
        outlet: d.outlet.as_deref(),
        title: d.title.as_deref(),
        signature: &d.sketch.signature,
    }
}

/// Moves a written segment from its temporary name into place.
fn publish(tmp: &Path, path: &Path) -> Result<()> {
    std::fs::rename(tmp, path).map_err(|e| Error::io_at(IoOp::Rename, path, e))?;
    catalog::sync_dir(path);
    Ok(())
}

impl Index {
    /// Creates a new, empty index at `path` (which must not exist).
    pub fn create(path: &Path, params: &IndexParams) -> Result<Index> {
        if filetype::check(path, Role::Catalogue)? {
            return Err(Error::usage(format!(
                "{}: already exists; use `neardiff index add` or `index build --force`",
                path.display()
            )));
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

    /// Adds a batch of articles as one segment and one transaction: either
    /// all of it is written or none. Articles too short to compare
    /// ([`DocSketch::is_empty`]) are counted and not added.
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
                "{}: {} id(s) not in the index: {}{}; nothing was removed (use --ignore-missing to remove the others)",
                path.display(),
                missing.len(),
                shown.join(", "),
                if missing.len() > 10 { ", ..." } else { "" }
            )));
        }
        tx.commit().map_err(err)?;
        Ok(removed)
    }

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
                return Err(corrupt(
                    &self.path,
                    format!(
                        "SQLite integrity check failed: {}; rebuild the index with `neardiff index build --force`",
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
            let bad = |what: String| {
                corrupt(
                    seg.path(),
                    format!("{what}; rebuild the index with `neardiff index build --force`"),
                )
            };
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
            return Err(corrupt(
                &self.path,
                format!(
                    "{} articles of the catalogue are in no segment; rebuild the index with `neardiff index build --force`",
                    live.len() - seen_live
                ),
            ));
        }
        if seen_removed != view.tombstones.len() {
            return Err(corrupt(
                &self.path,
                "a removal record names an article in no segment; rebuild the index with `neardiff index build --force`",
            ));
        }
        Ok(live.len() as u64)
    }
}

/// Starts a write transaction and lists the segments; deletes the files a
/// crashed writer left (once per [`Index`]), and opens the listed
/// segments, so that a write (an addition, a removal, a merge) to an index
/// with a missing or damaged segment file is refused as a check is: the
/// file's type, header, length and catalogue row are checked.
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

fn duplicate(d: &NewDoc, path: &Path) -> Error {
    Error::usage(format!(
        "{}: id {:?} is already in the index {}; use --on-duplicate skip or update",
        d.display_name(),
        d.sketch.id,
        path.display()
    ))
}

fn write_meta(
    conn: &Connection,
    path: &Path,
    params: &IndexParams,
    index_id: &[u8; 16],
) -> Result<()> {
    let mut entries: Vec<(String, String)> = params
        .to_meta()
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    entries.push(("index_id".to_string(), hex(index_id)));
    let sum = meta_checksum(&entries);
    let mut st = conn
        .prepare("INSERT INTO meta(key, value) VALUES (?1, ?2)")
        .map_err(|e| sql_error(path, e))?;
    for (k, v) in entries.iter().chain([&("checksum".to_string(), sum)]) {
        st.execute(params![k, v]).map_err(|e| sql_error(path, e))?;
    }
    Ok(())
}

fn read_meta(conn: &Connection, path: &Path) -> Result<(IndexParams, [u8; 16])> {
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
    let index_id = get("index_id")
        .and_then(|v| unhex(&v))
        .ok_or_else(|| corrupt(path, "missing or invalid index id"))?;
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
    Ok((params, index_id))
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

/// Builds a new index at `path` from `inputs`: the catalogue is written to
/// a temporary file beside `path` and the articles to one segment file;
/// when both are complete the segment is renamed into place, then the
/// catalogue (the index appears only then, whole), and the segment files
/// of an index it replaced are deleted. An existing index is replaced
/// only with `force`.
pub fn build(
    path: &Path,
    params: &IndexParams,
    inputs: Vec<Input>,
    opts: &InputOptions,
    on_dup: OnDuplicate,
    force: bool,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<WriteSummary> {
    // `--force` replaces an index, never a FIFO, device or directory.
    let exists = filetype::check(path, Role::Catalogue)?;
    // The index replaced is opened (to roll back its journal) first.
    for p in [store::journal_path(path), store::wal_path(path)] {
        filetype::check(&p, Role::Journal)?;
    }
    if exists && !force {
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
    filetype::check(&tmp, Role::Temporary)?;
    remove_dead_builds(dir, &name);
    let index_id = new_index_id();
    let seg_path = catalog::segment_path(path, &index_id, 1);
    let seg_tmp = catalog::temporary(&seg_path);
    let result = build_into(
        &tmp, &seg_tmp, index_id, params, inputs, opts, on_dup, progress,
    )
    .and_then(|(summary, has_segment)| {
        if has_segment {
            publish(&seg_tmp, &seg_path)?;
        }
        replace(&tmp, path)?;
        catalog::remove_foreign(path, &index_id);
        Ok(summary)
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
        let _ = std::fs::remove_file(store::wal_path(&tmp));
        let _ = std::fs::remove_file(store::shm_path(&tmp));
        let _ = std::fs::remove_file(&seg_tmp);
        // Renamed, but the index that lists it never was.
        if std::fs::metadata(path).is_err() || !path_lists(path, &index_id) {
            let _ = std::fs::remove_file(&seg_path);
        }
    }
    result
}

/// Deletes the temporary catalogues (and their log files) of earlier
/// builds of the index `name` whose process no longer runs (killed
/// builds); their segment files go with the other index's files once
/// this build is in place. Where processes cannot be looked up
/// ([`crate::sys::process_running`]), nothing is deleted.
fn remove_dead_builds(dir: &Path, name: &str) {
    if crate::sys::process_running(std::process::id()).is_none() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let prefix = format!(".{name}.");
    for e in entries.flatten() {
        let file = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = file.strip_prefix(&prefix) else {
            continue;
        };
        let Some((pid, tail)) = rest.split_once('.') else {
            continue;
        };
        let leftover = ["tmp", "tmp-wal", "tmp-shm", "tmp-journal"].contains(&tail);
        let dead = pid
            .parse::<u32>()
            .is_ok_and(|pid| crate::sys::process_running(pid) == Some(false));
        if leftover && dead {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// True when the index at `path` has the id `index_id`.
fn path_lists(path: &Path, index_id: &[u8; 16]) -> bool {
    Index::open(path).is_ok_and(|ix| ix.index_id == *index_id)
}

#[allow(clippy::too_many_arguments)]
fn build_into(
    tmp: &Path,
    seg_tmp: &Path,
    index_id: [u8; 16],
    params: &IndexParams,
    inputs: Vec<Input>,
    opts: &InputOptions,
    on_dup: OnDuplicate,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(WriteSummary, bool)> {
    let err = |e| sql_error(tmp, e);
    let mut conn = store::create_fresh(tmp)?;
    write_meta(&conn, tmp, params, &index_id)?;
    let plan = params.plan();
    let mut summary = WriteSummary::default();
    let mut entries: Vec<SegmentEntry> = Vec::new();
    let mut writer = SegmentWriter::create(seg_tmp, 1, index_id)?;
    let mut next: u64 = 0;
    // One transaction for the whole build (the file is not in place until
    // it is complete), opened here so that the writer thread needs only
    // the connection.
    conn.execute_batch("BEGIN").map_err(err)?;
    let mut skipped = Skipped::default();
    {
        let (conn, summary, entries, writer, next) = (
            &mut conn,
            &mut summary,
            &mut entries,
            &mut writer,
            &mut next,
        );
        let plan = &plan;
        for_each_batch_overlapped(inputs, params, opts, &mut skipped, move |docs| {
            let mut find = conn
                .prepare_cached("SELECT doc FROM docs WHERE id = ?1")
                .map_err(err)?;
            let mut del = conn
                .prepare_cached("DELETE FROM docs WHERE doc = ?1")
                .map_err(err)?;
            let mut ins = conn
                .prepare_cached("INSERT INTO docs(doc, id, checksum) VALUES (?1, ?2, ?3)")
                .map_err(err)?;
            for d in docs {
                if d.sketch.is_empty() {
                    summary.counts.too_short += 1;
                    continue;
                }
                if d.sketch.signature.len() != params.num_perm {
                    return Err(Error::usage(format!(
                        "{}: sketched with other parameters than the index",
                        d.display_name()
                    )));
                }
                let old: Option<i64> = find
                    .query_row([&d.sketch.id], |r| r.get(0))
                    .optional()
                    .map_err(err)?;
                if let Some(old) = old {
                    match on_dup {
                        OnDuplicate::Error => return Err(duplicate(&d, tmp)),
                        OnDuplicate::Skip => {
                            summary.counts.skipped += 1;
                            continue;
                        }
                        OnDuplicate::Update => {
                            del.execute([old]).map_err(err)?;
                            catalog::add_tombstone(conn, tmp, old as u32)?;
                            summary.counts.updated += 1;
                        }
                    }
                } else {
                    summary.counts.added += 1;
                }
                if *next > u32::MAX as u64 {
                    return Err(Error::usage(
                        "an index holds at most 4,294,967,295 articles",
                    ));
                }
                let article = *next as u32;
                *next += 1;
                ins.execute(params![
                    article,
                    d.sketch.id,
                    row_checksum(article, &d.sketch.id)
                ])
                .map_err(err)?;
                let fps = d.sketch.shingles.as_deref().unwrap_or(&[]);
                writer.add_article(article, fps, doc_meta(&d))?;
                entries_of(
                    plan,
                    article,
                    &d.sketch.signature,
                    fps.len() as u32,
                    entries,
                );
            }
            summary.batches += 1;
            progress(summary.counts.added + summary.counts.updated);
            Ok(())
        })?;
    }
    summary.skipped = skipped;
    let has_segment = next > 0;
    if has_segment {
        entries.par_sort_unstable();
        let info = writer.finish(&mut entries)?;
        drop(entries);
        catalog::insert(
            &conn,
            tmp,
            &SegmentRow {
                seg: 1,
                first: 0,
                last: (next - 1) as u32,
                articles: info.articles,
                entries: info.entries,
                file_size: info.file_size,
                header_checksum: info.header_checksum,
            },
        )?;
    } else {
        drop(writer);
    }
    conn.execute_batch("COMMIT").map_err(err)?;
    conn.execute_batch(CATALOGUE_JOURNAL).map_err(err)?;
    conn.close().map_err(|(_, e)| err(e))?;
    let f = std::fs::File::open(tmp).map_err(|e| Error::io_at(IoOp::Open, tmp, e))?;
    f.sync_all().map_err(|e| Error::io_at(IoOp::Sync, tmp, e))?;
    Ok((summary, has_segment))
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
                Err(e) => return Err(Error::io_at(IoOp::Remove, &p, e)),
            }
        }
    }
    std::fs::rename(tmp, path).map_err(|e| Error::io_at(IoOp::Rename, path, e))?;
    catalog::sync_dir(path);
    Ok(())
}

/// Adds `inputs` to the index in batches of `opts.batch_size` articles,
/// one segment and one transaction each: a crash loses at most the batch
/// in flight.
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
