//! `neardiff.Index`: the CLI's persistent index (the same files), opened
//! once and kept open between calls.
//!
//! Records given from Python are written to a temporary JSON Lines file
//! (after they were checked record by record, so errors name the record)
//! and read by the same pipeline as `neardiff index build|add` and
//! `neardiff check`: one code path, the CLI's batches, duplicate-id
//! handling and too-short rule.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use neardiff::FieldMap;
use neardiff::dedup::Metric;
use neardiff::index::check::{self, CheckOptions};
use neardiff::index::{
    self, Index, IndexParams, InputOptions, OnDuplicate, Skipped, WriteSummary, output,
};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::records::{article, field_map};
use crate::{run_detached, run_here, to_py_err};

/// A temporary JSON Lines file of checked records, deleted when dropped.
struct TempRecords {
    path: PathBuf,
    count: usize,
}

impl Drop for TempRecords {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

fn write_records(records: &Bound<'_, PyAny>, fields: &FieldMap) -> PyResult<TempRecords> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let path = std::env::temp_dir().join(format!(
        "neardiff-py-{}-{}.jsonl",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let file = std::fs::File::create(&path)
        .map_err(|e| to_py_err(neardiff::Error::io_at(neardiff::IoOp::Create, &path, e)))?;
    let mut tmp = TempRecords { path, count: 0 };
    let mut w = std::io::BufWriter::new(file);
    let io = |e: std::io::Error, p: &Path| {
        to_py_err(neardiff::Error::io_at(neardiff::IoOp::Write, p, e))
    };
    for (i, rec) in records.try_iter()?.enumerate() {
        let a = article(&rec?, &i.to_string(), fields, || format!("records[{i}]"))?;
        serde_json::to_writer(&mut w, &a).map_err(|e| io(e.into(), &tmp.path))?;
        w.write_all(b"\n").map_err(|e| io(e, &tmp.path))?;
        tmp.count += 1;
    }
    w.flush().map_err(|e| io(e, &tmp.path))?;
    Ok(tmp)
}

/// What to read: paths as given, or records written to a temporary file.
enum Source {
    Paths(Vec<PathBuf>),
    Records(TempRecords),
}

impl Source {
    fn new(
        paths: Option<Vec<PathBuf>>,
        records: Option<&Bound<'_, PyAny>>,
        fields: &FieldMap,
    ) -> PyResult<Source> {
        match (paths, records) {
            (Some(p), None) => Ok(Source::Paths(p)),
            (None, Some(r)) => Ok(Source::Records(write_records(r, fields)?)),
            _ => Err(PyValueError::new_err("give either paths or records")),
        }
    }

    fn inputs(&self) -> neardiff::Result<Vec<neardiff::corpus::Input>> {
        match self {
            Source::Paths(p) => neardiff::corpus::expand_inputs(p),
            Source::Records(t) => neardiff::corpus::expand_inputs(std::slice::from_ref(&t.path)),
        }
    }

    /// Records from Python are read with the default field names (they
    /// were written so).
    fn fields(&self, given: &FieldMap) -> FieldMap {
        match self {
            Source::Paths(_) => given.clone(),
            Source::Records(_) => FieldMap::default(),
        }
    }
}

fn on_duplicate(s: &str) -> PyResult<OnDuplicate> {
    match s {
        "error" => Ok(OnDuplicate::Error),
        "skip" => Ok(OnDuplicate::Skip),
        "update" => Ok(OnDuplicate::Update),
        o => Err(PyValueError::new_err(format!(
            "on_duplicate must be \"error\", \"skip\" or \"update\", got {o:?}"
        ))),
    }
}

fn summary_dict<'py>(py: Python<'py>, s: &WriteSummary) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("added", s.counts.added)?;
    d.set_item("updated", s.counts.updated)?;
    d.set_item("skipped", s.counts.skipped)?;
    d.set_item("too_short", s.counts.too_short)?;
    d.set_item("invalid", s.skipped.count)?;
    d.set_item("invalid_messages", s.skipped.messages.clone())?;
    d.set_item("batches", s.batches)?;
    Ok(d)
}

/// An open index.
#[pyclass(module = "neardiff._native")]
pub struct NativeIndex {
    /// `None` once closed, and while a call runs without the GIL.
    index: Mutex<Option<Index>>,
    path: PathBuf,
}

impl NativeIndex {
    /// Runs `f` on the index with the GIL released; the index is moved to
    /// the call and back (a second thread calling meanwhile is told the
    /// index is busy rather than waiting with the GIL held).
    fn with<R: Send>(
        &self,
        py: Python<'_>,
        threads: Option<usize>,
        f: impl FnOnce(&mut Index) -> R + Send,
    ) -> PyResult<R> {
        let taken = self.index.lock().unwrap_or_else(|p| p.into_inner()).take();
        let Some(mut ix) = taken else {
            return Err(PyValueError::new_err(format!(
                "{}: the index is closed (or in use by another thread)",
                self.path.display()
            )));
        };
        let job = move || {
            let r = f(&mut ix);
            (ix, r)
        };
        let r = match threads {
            Some(1) => run_here(py, job),
            _ => run_detached(py, threads, job),
        };
        match r {
            Ok((ix, r)) => {
                *self.index.lock().unwrap_or_else(|p| p.into_inner()) = Some(ix);
                Ok(r)
            }
            Err(e) => Err(e),
        }
    }
}

/// Builds an index (as `neardiff index build`); returns the write summary.
#[pyfunction]
#[pyo3(signature = (
    path, paths=None, records=None, *, force=false, shingle_size=4, num_perm=128, seed=0,
    lsh_threshold=index::DEFAULT_LSH_THRESHOLD, on_duplicate="error", min_words=None,
    skip_invalid=false, batch_size=index::DEFAULT_BATCH_SIZE,
    text_col=None, id_col=None, date_col=None, outlet_col=None, url_col=None, title_col=None,
    threads=None,
))]
#[allow(clippy::too_many_arguments)]
fn index_build<'py>(
    py: Python<'py>,
    path: PathBuf,
    paths: Option<Vec<PathBuf>>,
    records: Option<&Bound<'py, PyAny>>,
    force: bool,
    shingle_size: usize,
    num_perm: usize,
    seed: u64,
    lsh_threshold: f64,
    on_duplicate: &str,
    min_words: Option<usize>,
    skip_invalid: bool,
    batch_size: usize,
    text_col: Option<String>,
    id_col: Option<String>,
    date_col: Option<String>,
    outlet_col: Option<String>,
    url_col: Option<String>,
    title_col: Option<String>,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let params =
        IndexParams::new(shingle_size, num_perm, seed, lsh_threshold).map_err(to_py_err)?;
    let given = field_map(text_col, id_col, date_col, outlet_col, url_col, title_col);
    let source = Source::new(paths, records, &given)?;
    let opts = InputOptions {
        fields: source.fields(&given),
        skip_invalid,
        batch_size,
        min_words,
    };
    opts.min_words(&params).map_err(to_py_err)?;
    let on_dup = self::on_duplicate(on_duplicate)?;
    let s = run_detached(py, threads, || {
        let inputs = source.inputs()?;
        index::build(&path, &params, inputs, &opts, on_dup, force, &|_| {})
    })?
    .map_err(to_py_err)?;
    summary_dict(py, &s)
}

#[pymethods]
impl NativeIndex {
    /// Opens an existing index.
    #[new]
    fn new(py: Python<'_>, path: PathBuf) -> PyResult<NativeIndex> {
        let p = path.clone();
        let index = run_here(py, move || Index::open(&p))?.map_err(to_py_err)?;
        Ok(NativeIndex {
            index: Mutex::new(Some(index)),
            path,
        })
    }

    /// Adds articles (as `neardiff index add`); returns the write summary.
    #[pyo3(signature = (
        paths=None, records=None, *, on_duplicate="error", min_words=None, skip_invalid=false,
        batch_size=index::DEFAULT_BATCH_SIZE,
        text_col=None, id_col=None, date_col=None, outlet_col=None, url_col=None, title_col=None,
        threads=None,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn add<'py>(
        &self,
        py: Python<'py>,
        paths: Option<Vec<PathBuf>>,
        records: Option<&Bound<'py, PyAny>>,
        on_duplicate: &str,
        min_words: Option<usize>,
        skip_invalid: bool,
        batch_size: usize,
        text_col: Option<String>,
        id_col: Option<String>,
        date_col: Option<String>,
        outlet_col: Option<String>,
        url_col: Option<String>,
        title_col: Option<String>,
        threads: Option<usize>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let given = field_map(text_col, id_col, date_col, outlet_col, url_col, title_col);
        let source = Source::new(paths, records, &given)?;
        let opts = InputOptions {
            fields: source.fields(&given),
            skip_invalid,
            batch_size,
            min_words,
        };
        let on_dup = self::on_duplicate(on_duplicate)?;
        let s = self
            .with(py, threads, |ix| {
                opts.min_words(ix.params())?;
                let inputs = source.inputs()?;
                index::add(ix, inputs, &opts, on_dup, &|_| {})
            })?
            .map_err(to_py_err)?;
        summary_dict(py, &s)
    }

    /// Removes articles by id; returns how many were removed.
    #[pyo3(signature = (ids, *, ignore_missing=false))]
    fn remove(&self, py: Python<'_>, ids: Vec<String>, ignore_missing: bool) -> PyResult<u64> {
        self.with(py, Some(1), |ix| ix.remove(&ids, ignore_missing))?
            .map_err(to_py_err)
    }

    /// Checks articles against the index; one `neardiff.check/2` record
    /// per article, as JSON text per line.
    #[pyo3(signature = (
        paths=None, records=None, *, threshold=None, metric="jaccard", top=5, min_words=None,
        skip_invalid=false,
        text_col=None, id_col=None, date_col=None, outlet_col=None, url_col=None, title_col=None,
        threads=None,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn check(
        &self,
        py: Python<'_>,
        paths: Option<Vec<PathBuf>>,
        records: Option<&Bound<'_, PyAny>>,
        threshold: Option<f64>,
        metric: &str,
        top: usize,
        min_words: Option<usize>,
        skip_invalid: bool,
        text_col: Option<String>,
        id_col: Option<String>,
        date_col: Option<String>,
        outlet_col: Option<String>,
        url_col: Option<String>,
        title_col: Option<String>,
        threads: Option<usize>,
    ) -> PyResult<(String, bool)> {
        let metric = match metric {
            "jaccard" => Metric::Jaccard,
            "containment" => Metric::Containment,
            o => {
                return Err(PyValueError::new_err(format!(
                    "metric must be \"jaccard\" or \"containment\", got {o:?}"
                )));
            }
        };
        let opts = CheckOptions {
            metric,
            threshold: threshold.unwrap_or(match metric {
                Metric::Jaccard => check::DEFAULT_JACCARD_THRESHOLD,
                Metric::Containment => check::DEFAULT_CONTAINMENT_THRESHOLD,
            }),
            top,
        };
        if top == 0 {
            return Err(PyValueError::new_err("top must be at least 1"));
        }
        let given = field_map(text_col, id_col, date_col, outlet_col, url_col, title_col);
        let source = Source::new(paths, records, &given)?;
        let in_opts = InputOptions {
            fields: source.fields(&given),
            skip_invalid,
            min_words,
            ..InputOptions::default()
        };
        let from_records = matches!(source, Source::Records(_));
        self.with(py, threads, |ix| -> neardiff::Result<(String, bool)> {
            let params = ix.params().clone();
            opts.validate(&params)?;
            in_opts.min_words(&params)?;
            let inputs = source.inputs()?;
            let mut out = Vec::new();
            let mut skipped = Skipped::default();
            index::for_each_batch(inputs, &params, &in_opts, &mut skipped, |docs| {
                for mut r in ix.check_many(&docs, &opts)? {
                    if from_records {
                        // The temporary file is no name for the caller:
                        // the record's position is.
                        r.source = format!("records[{}]", r.line.map_or(0, |l| l - 1));
                        r.line = None;
                    }
                    output::write_jsonl(&r, false, &mut out)?;
                }
                Ok(())
            })?;
            Ok((
                String::from_utf8_lossy(&out).into_owned(),
                skipped.count > 0,
            ))
        })?
        .map_err(to_py_err)
    }

    /// `neardiff index stats --format json`, as JSON text.
    fn stats(&self, py: Python<'_>) -> PyResult<String> {
        let s = self
            .with(py, Some(1), |ix| ix.stats())?
            .map_err(to_py_err)?;
        serde_json::to_string(&s).map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// Full integrity check (`neardiff index verify`); returns the number
    /// of live articles checked.
    fn verify(&self, py: Python<'_>) -> PyResult<u64> {
        self.with(py, None, |ix| ix.verify())?.map_err(to_py_err)
    }

    /// Merges all segments (`neardiff index compact`).
    fn compact(&self, py: Python<'_>) -> PyResult<usize> {
        self.with(py, None, |ix| ix.compact_all())?
            .map_err(to_py_err)
    }

    /// (shingle_size, num_perm, seed, lsh_threshold, bands, rows)
    fn params(&self, py: Python<'_>) -> PyResult<(usize, usize, u64, f64, usize, usize)> {
        self.with(py, Some(1), |ix| {
            let p = ix.params();
            (
                p.shingle_size,
                p.num_perm,
                p.seed,
                p.lsh_threshold,
                p.bands,
                p.rows,
            )
        })
    }

    /// Closes the index (later calls raise `ValueError`).
    fn close(&self) {
        *self.index.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }

    /// Whether the index is closed.
    #[getter]
    fn closed(&self) -> bool {
        self.index
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .is_none()
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<NativeIndex>()?;
    m.add_function(wrap_pyfunction!(index_build, m)?)?;
    Ok(())
}
