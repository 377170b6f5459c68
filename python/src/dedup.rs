//! `dedup` over files (the CLI's own reader), Python records, or an Arrow
//! stream; the result keeps the crate's `DedupResult` and writes it with
//! the crate's own writers, so `to_jsonl()` is the CLI's output.

use std::path::PathBuf;
use std::time::Instant;

use neardiff::dedup::output::{self, Format};
use neardiff::dedup::{
    self, BandKeys, DedupOptions, DedupResult, DocSketch, Metric, Scratch, SketchedCorpus,
};
use neardiff::{Article, Error, ErrorKind, FieldMap};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyCapsule, PyDict};
use rayon::prelude::*;

use crate::arrow::Stream;
use crate::records::{self, FieldNames, field_map};
use crate::{InputError, le_bytes, run_detached, to_py_err};

/// Options as keyword arguments, checked by the crate.
#[pyclass(module = "neardiff._native", frozen)]
#[derive(Clone)]
pub struct Options {
    pub(crate) opts: DedupOptions,
}

#[pymethods]
impl Options {
    #[new]
    #[pyo3(signature = (
        threshold=None, metric="jaccard", num_perm=128, seed=0, shingle_size=4,
        min_words=None, verify=true, keep_boilerplate=false, pairs=false, skip_invalid=false,
        min_size_ratio=dedup::DEFAULT_MIN_SIZE_RATIO, via=false,
        text_col=None, id_col=None, date_col=None, outlet_col=None, url_col=None, title_col=None,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        threshold: Option<f64>,
        metric: &str,
        num_perm: usize,
        seed: u64,
        shingle_size: usize,
        min_words: Option<usize>,
        verify: bool,
        keep_boilerplate: bool,
        pairs: bool,
        skip_invalid: bool,
        min_size_ratio: f64,
        via: bool,
        text_col: Option<String>,
        id_col: Option<String>,
        date_col: Option<String>,
        outlet_col: Option<String>,
        url_col: Option<String>,
        title_col: Option<String>,
    ) -> PyResult<Options> {
        let metric = match metric {
            "jaccard" => Metric::Jaccard,
            "containment" => Metric::Containment,
            other => {
                return Err(PyValueError::new_err(format!(
                    "metric must be \"jaccard\" or \"containment\", got {other:?}"
                )));
            }
        };
        let threshold = threshold.unwrap_or(match metric {
            Metric::Jaccard => dedup::DEFAULT_JACCARD_THRESHOLD,
            Metric::Containment => dedup::DEFAULT_CONTAINMENT_THRESHOLD,
        });
        let opts = DedupOptions {
            threshold,
            metric,
            num_perm,
            seed,
            shingle_size,
            min_words,
            verify,
            fields: field_map(text_col, id_col, date_col, outlet_col, url_col, title_col),
            skip_invalid,
            min_size_ratio,
            all_pairs: pairs,
            boilerplate: !keep_boilerplate,
            via,
            ..DedupOptions::default()
        };
        opts.validate().map_err(to_py_err)?;
        Ok(Options { opts })
    }

    /// The JSON field (or column) names: text, id, date, outlet, url, title.
    fn fields(&self) -> (String, String, String, String, String, String) {
        let f = &self.opts.fields;
        (
            f.text.clone(),
            f.id.clone(),
            f.date.clone(),
            f.outlet.clone(),
            f.url.clone(),
            f.title.clone(),
        )
    }

    /// The LSH plan: (bands, rows).
    fn plan(&self) -> (usize, usize) {
        let p = self.opts.plan();
        (p.bands, p.rows)
    }
}

/// A finished run.
#[pyclass(module = "neardiff._native", frozen)]
pub struct NativeDedup {
    result: DedupResult,
    metric: Metric,
    min_words: usize,
    /// The input row of each document, when records were skipped.
    rows: Option<Vec<u32>>,
    /// Input rows (documents and skipped records).
    num_rows: usize,
}

fn write_to_string(
    f: impl FnOnce(&mut dyn std::io::Write) -> neardiff::Result<()>,
) -> PyResult<String> {
    let mut out = Vec::new();
    f(&mut out).map_err(to_py_err)?;
    String::from_utf8(out).map_err(|e| PyValueError::new_err(e.to_string()))
}

#[pymethods]
impl NativeDedup {
    /// The clusters as the CLI writes them (`jsonl` or `csv`).
    fn clusters(&self, py: Python<'_>, format: &str) -> PyResult<String> {
        let format = match format {
            "jsonl" => Format::Jsonl,
            "csv" => Format::Csv,
            other => {
                return Err(PyValueError::new_err(format!(
                    "format must be \"jsonl\" or \"csv\", got {other:?}"
                )));
            }
        };
        run_detached(py, None, || {
            write_to_string(|w| output::write_clusters(&self.result, self.metric, format, w))
        })?
    }

    /// The verified pairs as `--pairs` writes them.
    fn pairs(&self, py: Python<'_>) -> PyResult<String> {
        run_detached(py, None, || {
            write_to_string(|w| output::write_pairs(&self.result, w))
        })?
    }

    /// The too-short articles as `--too-short FILE` writes them.
    fn too_short(&self) -> PyResult<String> {
        write_to_string(|w| output::write_too_short(&self.result, self.min_words, w))
    }

    /// The cluster of every input row (its place in the cluster output,
    /// from 0), -1 for a row in no cluster: int64 little-endian bytes.
    fn labels<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        let mut labels = vec![-1i64; self.num_rows];
        for (k, c) in self.result.clusters.iter().enumerate() {
            for m in &c.members {
                let row = match &self.rows {
                    Some(r) => r[m.doc as usize] as usize,
                    None => m.doc as usize,
                };
                labels[row] = k as i64;
            }
        }
        PyBytes::new(py, &le_bytes(&labels, i64::to_le_bytes))
    }

    /// The document ids in input order.
    fn ids(&self) -> Vec<String> {
        self.result.docs.iter().map(|d| d.id.clone()).collect()
    }

    /// Messages of the first skipped records.
    fn skipped(&self) -> Vec<String> {
        self.result.skipped.clone()
    }

    /// The run's figures (times in seconds) and LSH plan.
    fn summary<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let s = &self.result.summary;
        let d = PyDict::new(py);
        d.set_item("documents", s.documents)?;
        d.set_item("invalid", s.invalid)?;
        d.set_item("too_short", s.too_short)?;
        d.set_item("clusters", s.clusters)?;
        d.set_item("duplicates", s.duplicates)?;
        d.set_item("candidates", s.candidates)?;
        d.set_item("skipped_candidates", s.skipped)?;
        d.set_item("pairs", s.pairs)?;
        d.set_item("boilerplate_outlets", s.boilerplate_outlets)?;
        d.set_item("boilerplate_shingles", s.boilerplate_shingles)?;
        d.set_item("boilerplate_articles", s.boilerplate_articles)?;
        d.set_item("boilerplate_only", s.boilerplate_only)?;
        d.set_item("bytes", s.bytes)?;
        d.set_item("sketch_seconds", s.sketch_time.as_secs_f64())?;
        d.set_item("bucket_seconds", s.bucket_time.as_secs_f64())?;
        d.set_item("verify_seconds", s.verify_time.as_secs_f64())?;
        d.set_item("cluster_seconds", s.cluster_time.as_secs_f64())?;
        d.set_item("bands", self.result.plan.bands)?;
        d.set_item("rows", self.result.plan.rows)?;
        Ok(d)
    }
}

impl NativeDedup {
    fn new(
        result: DedupResult,
        opts: &DedupOptions,
        rows: Option<Vec<u32>>,
        num_rows: usize,
    ) -> NativeDedup {
        NativeDedup {
            result,
            metric: opts.metric,
            min_words: opts.min_words(),
            rows,
            num_rows,
        }
    }
}

/// `dedup` over files: files, directories and JSON Lines, read as the CLI
/// reads them.
#[pyfunction]
#[pyo3(signature = (paths, options, threads=None))]
fn dedup_paths(
    py: Python<'_>,
    paths: Vec<PathBuf>,
    options: &Options,
    threads: Option<usize>,
) -> PyResult<NativeDedup> {
    let opts = options.opts.clone();
    let result = run_detached(py, threads, || -> neardiff::Result<DedupResult> {
        let inputs = neardiff::corpus::expand_inputs(&paths)?;
        dedup::run(inputs, &opts, &|_, _| {})
    })?
    .map_err(to_py_err)?;
    let n = result.docs.len();
    Ok(NativeDedup::new(result, &opts, None, n))
}

/// Records converted under the GIL at a time; the pool sketches one such
/// chunk while the next is converted.
const RECORD_CHUNK: usize = 2_048;

/// `dedup` over an iterable of records (`str` or `dict`); the default id
/// of a record is its position. The records are read a chunk at a time on
/// the calling thread (which needs the GIL) and sketched meanwhile on the
/// pool (which does not), so reading them costs little more than the
/// sketching it overlaps.
#[pyfunction]
#[pyo3(signature = (records, options, threads=None))]
fn dedup_records(
    py: Python<'_>,
    records: &Bound<'_, PyAny>,
    options: &Options,
    threads: Option<usize>,
) -> PyResult<NativeDedup> {
    let opts = &options.opts;
    let pool = crate::pool(threads)?;
    let names = FieldNames::new(py, &opts.fields);
    let t = Instant::now();
    let mut rows = Vec::new();
    let mut invalid = 0;
    let mut skipped = Vec::new();
    let mut num_rows = 0;
    let (corpus, read) = std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Chunk>(2);
        // The bodies' `str` objects come back once their chunk is
        // sketched, to be let go here, with the GIL.
        let (done_tx, done_rx) = std::sync::mpsc::channel::<Vec<Py<PyAny>>>();
        let sketcher = s.spawn(|| pool.install(|| sketch_chunks(rx, done_tx, opts)));
        let read = (|| -> PyResult<()> {
            let mut chunk = Vec::with_capacity(RECORD_CHUNK);
            for (i, rec) in records.try_iter()?.enumerate() {
                num_rows = i + 1;
                match records::article_borrowed(&rec?, &i.to_string(), &opts.fields, &names, || {
                    format!("records[{i}]")
                }) {
                    Ok(a) => {
                        chunk.push(a);
                        rows.push(i as u32);
                    }
                    Err(e) if opts.skip_invalid && e.is_instance_of::<InputError>(py) => {
                        invalid += 1;
                        if skipped.len() < dedup::MAX_SKIP_MESSAGES {
                            skipped.push(e.value(py).to_string());
                        }
                    }
                    Err(e) => return Err(e),
                }
                if chunk.len() == RECORD_CHUNK {
                    let full = std::mem::replace(&mut chunk, Vec::with_capacity(RECORD_CHUNK));
                    // The pool is at most two chunks behind; waiting for it
                    // needs no GIL.
                    if py.detach(|| tx.send(full)).is_err() {
                        break;
                    }
                    done_rx.try_iter().for_each(drop);
                }
            }
            if !chunk.is_empty() {
                let _ = py.detach(|| tx.send(chunk));
            }
            Ok(())
        })();
        // On an error the sketcher stops at the end of what it was given.
        drop(tx);
        let corpus = py.detach(|| sketcher.join());
        done_rx.try_iter().for_each(drop);
        (corpus, read)
    });
    read?;
    let corpus = corpus.map_err(|_| {
        pyo3::exceptions::PyRuntimeError::new_err("neardiff internal error: sketching failed")
    })?;
    let opts = opts.clone();
    let mut result = run_detached(py, threads, move || {
        dedup::run_sketched(corpus, &opts, t.elapsed())
    })?;
    result.summary.invalid = invalid;
    result.skipped = skipped;
    let rows = (invalid > 0).then_some(rows);
    Ok(NativeDedup::new(result, &options.opts, rows, num_rows))
}

/// Records read under the GIL: each article with its body, borrowed from
/// Python where it could be (else the article's own `text`).
type Chunk = Vec<(Article, Option<records::Body>)>;

/// Sketches the chunks of articles as they arrive, in order, on the
/// current pool: the corpus `dedup::run_articles` would make of all of
/// them. The `str` objects that held a chunk's bodies go back on `done`
/// once it is sketched.
fn sketch_chunks(
    chunks: std::sync::mpsc::Receiver<Chunk>,
    done: std::sync::mpsc::Sender<Vec<Py<PyAny>>>,
    opts: &DedupOptions,
) -> SketchedCorpus {
    let params = opts.sketch_params();
    let plan = opts.plan();
    let nb = plan.bands;
    let mut corpus = SketchedCorpus {
        band_keys: BandKeys::new(nb),
        plan: Some(plan),
        ..SketchedCorpus::default()
    };
    let mut keys = Vec::new();
    let mut docs: Vec<DocSketch> = Vec::new();
    for chunk in chunks {
        keys.clear();
        keys.resize(chunk.len() * nb, 0);
        let (articles, bodies): (Vec<Article>, Vec<Option<records::Body>>) =
            chunk.into_iter().unzip();
        articles
            .into_par_iter()
            .zip(bodies.par_iter())
            .zip(keys.par_chunks_mut(nb))
            .map_init(Scratch::default, |s, ((mut a, body), k)| {
                let text = std::mem::take(&mut a.text);
                let body = body.as_ref().map_or(text.as_str(), records::Body::text);
                dedup::sketch_body_keyed(a, body, &params, &plan, k, s)
            })
            .collect_into_vec(&mut docs);
        for (d, k) in docs.drain(..).zip(keys.chunks(nb)) {
            corpus.band_keys.push(k, !d.is_empty());
            corpus.docs.push(d);
        }
        let owners = bodies
            .into_iter()
            .filter_map(|b| b.map(records::Body::into_owner))
            .collect();
        let _ = done.send(owners);
    }
    corpus
}

/// The columns of an Arrow stream that a run reads: (index, large) of
/// text, id, date, outlet, url.
pub(crate) struct Columns {
    pub(crate) text: (usize, bool),
    pub(crate) id: Option<(usize, bool)>,
    pub(crate) date: Option<(usize, bool)>,
    pub(crate) outlet: Option<(usize, bool)>,
    pub(crate) url: Option<(usize, bool)>,
}

pub(crate) fn find_columns(stream: &mut Stream, fields: &FieldMap) -> PyResult<Columns> {
    let cols = stream.columns().map_err(PyValueError::new_err)?;
    let find = |name: &str| -> PyResult<Option<(usize, bool)>> {
        match cols.iter().position(|(n, _)| n == name) {
            None => Ok(None),
            Some(i) => match cols[i].1.as_str() {
                "u" => Ok(Some((i, false))),
                "U" => Ok(Some((i, true))),
                f => Err(PyValueError::new_err(format!(
                    "column \"{name}\" must be a string column (Arrow format \"u\" or \"U\"), got \"{f}\""
                ))),
            },
        }
    };
    let text = find(&fields.text)?.ok_or_else(|| {
        InputError::new_err(format!(
            "no column \"{}\" (the article body); name it with text_col=",
            fields.text
        ))
    })?;
    Ok(Columns {
        text,
        id: find(&fields.id)?,
        date: find(&fields.date)?,
        outlet: find(&fields.outlet)?,
        url: find(&fields.url)?,
    })
}

/// The outlet of an article: the one given unless blank, else its URL's
/// host (the crate's rule for JSON records).
fn outlet_of(outlet: Option<&str>, url: Option<&str>) -> Option<String> {
    match outlet {
        Some(o) if !o.trim().is_empty() => Some(o.to_string()),
        given => url
            .and_then(neardiff::outlet_from_url)
            .or(given.map(str::to_string)),
    }
}

/// Value `row` of an optional column (`None` for a missing column).
fn cell<'a>(c: &Option<crate::arrow::Strings<'a>>, row: usize) -> Result<Option<&'a str>, String> {
    match c {
        None => Ok(None),
        Some(c) => c.get(row),
    }
}

/// The columns of one Arrow batch that a run reads.
pub(crate) struct BatchColumns<'a> {
    text: crate::arrow::Strings<'a>,
    id: Option<crate::arrow::Strings<'a>>,
    date: Option<crate::arrow::Strings<'a>>,
    outlet: Option<crate::arrow::Strings<'a>>,
    url: Option<crate::arrow::Strings<'a>>,
}

impl<'a> BatchColumns<'a> {
    pub(crate) fn of(batch: &'a crate::arrow::Batch, cols: &Columns) -> PyResult<Self> {
        let col = |c: Option<(usize, bool)>| -> PyResult<_> {
            c.map(|(i, large)| batch.strings(i, large))
                .transpose()
                .map_err(PyValueError::new_err)
        };
        Ok(BatchColumns {
            text: col(Some(cols.text))?.expect("the text column"),
            id: col(cols.id)?,
            date: col(cols.date)?,
            outlet: col(cols.outlet)?,
            url: col(cols.url)?,
        })
    }

    /// The article of row `r` (its text left empty) and its body; `place`
    /// is its id when it has none, and names it in errors (`records[7]`).
    pub(crate) fn article(
        &self,
        r: usize,
        place: impl std::fmt::Display,
        opts: &DedupOptions,
    ) -> neardiff::Result<(Article, &'a str)> {
        let err =
            |m: String| Error::new(ErrorKind::Field(m)).with_source(format!("records[{place}]"));
        let get = |c| cell(c, r).map_err(err);
        let body = self.text.get(r).map_err(err)?.ok_or_else(|| {
            err(format!(
                "missing string field \"{}\" (the article body)",
                opts.fields.text
            ))
        })?;
        let a = Article {
            id: get(&self.id)?.map_or_else(|| place.to_string(), str::to_string),
            date: get(&self.date)?.map(str::to_string),
            outlet: if opts.boilerplate {
                outlet_of(get(&self.outlet)?, get(&self.url)?)
            } else {
                None
            },
            ..Article::default()
        };
        Ok((a, body))
    }
}

/// Takes the stream out of an `arrow_array_stream` capsule.
pub(crate) fn stream_of(capsule: &Bound<'_, PyCapsule>) -> PyResult<Stream> {
    let ptr = capsule
        .pointer_checked(Some(c"arrow_array_stream"))
        .map_err(|_| {
            PyValueError::new_err(
                "expected a PyCapsule named \"arrow_array_stream\" (from __arrow_c_stream__)",
            )
        })?
        .as_ptr() as *mut crate::arrow::ArrowArrayStream;
    // SAFETY: a capsule of this name holds a valid ArrowArrayStream, which
    // is moved out (and marked released in the capsule) exactly once.
    Ok(unsafe { Stream::take(ptr) })
}

/// `dedup` over an Arrow C stream of record batches with string columns.
#[pyfunction]
#[pyo3(signature = (stream, options, threads=None))]
fn dedup_arrow(
    py: Python<'_>,
    stream: &Bound<'_, PyCapsule>,
    options: &Options,
    threads: Option<usize>,
) -> PyResult<NativeDedup> {
    let opts = options.opts.clone();
    let mut stream = stream_of(stream)?;
    let result = run_detached(py, threads, move || -> PyResult<_> {
        let t = Instant::now();
        let params = opts.sketch_params();
        let plan = opts.plan();
        let nb = plan.bands;
        let cols = find_columns(&mut stream, &opts.fields)?;
        let mut corpus = SketchedCorpus {
            band_keys: BandKeys::new(nb),
            plan: Some(plan),
            ..SketchedCorpus::default()
        };
        let mut rows: Vec<u32> = Vec::new();
        let mut keys = Vec::new();
        let mut results: Vec<PyResult<DocSketch>> = Vec::new();
        let mut row0 = 0usize;
        while let Some(batch) = stream.next_batch().map_err(PyValueError::new_err)? {
            let n = batch.len();
            let columns = BatchColumns::of(&batch, &cols)?;
            keys.clear();
            keys.resize(n * nb, 0);
            (0..n)
                .into_par_iter()
                .zip(keys.par_chunks_mut(nb))
                .map_init(Scratch::default, |scratch, (r, k)| {
                    let (a, body) = columns.article(r, row0 + r, &opts).map_err(to_py_err)?;
                    Ok(dedup::sketch_body_keyed(
                        a, body, &params, &plan, k, scratch,
                    ))
                })
                .collect_into_vec(&mut results);
            for (r, (res, k)) in results.drain(..).zip(keys.chunks(nb)).enumerate() {
                match res {
                    Ok(d) => {
                        corpus.band_keys.push(k, !d.is_empty());
                        corpus.docs.push(d);
                        rows.push((row0 + r) as u32);
                    }
                    Err(e) if opts.skip_invalid => {
                        corpus.invalid += 1;
                        if corpus.skipped.len() < dedup::MAX_SKIP_MESSAGES {
                            corpus
                                .skipped
                                .push(Python::attach(|py| e.value(py).to_string()));
                        }
                    }
                    Err(e) => return Err(e),
                }
            }
            row0 += n;
            if row0 >= u32::MAX as usize {
                return Err(PyValueError::new_err("more than 4,294,967,294 records"));
            }
        }
        let invalid = corpus.invalid;
        let result = dedup::run_sketched(corpus, &opts, t.elapsed());
        let rows = (invalid > 0).then_some(rows);
        Ok((result, rows, row0))
    })??;
    Ok(NativeDedup::new(
        result.0,
        &options.opts,
        result.1,
        result.2,
    ))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Options>()?;
    m.add_class::<NativeDedup>()?;
    m.add_function(wrap_pyfunction!(dedup_paths, m)?)?;
    m.add_function(wrap_pyfunction!(dedup_records, m)?)?;
    m.add_function(wrap_pyfunction!(dedup_arrow, m)?)?;
    Ok(())
}
