//! The stages of a dedup run as the Spark job (`neardiff/spark.py`) calls
//! them, one Arrow batch at a time: sketch, boilerplate of one outlet's
//! sample, boilerplate set aside, verified links of band groups,
//! connected components of an edge list, and the lines of clusters. Each takes columns as Arrow (the
//! texts, through the C stream interface) or as little-endian buffers, and
//! returns little-endian buffers that the Python side wraps as Arrow
//! arrays without a copy per row. The library does the work; this layer
//! only moves data, so a document sketched here is the document the
//! command-line tool sketches, bit for bit.

use std::sync::{Arc, Mutex};

use neardiff::corpus::{InputFormat, RawRecord};
use neardiff::dedup::boilerplate::{self, Boilerplate, BoilerplateParams, Slots};
use neardiff::dedup::cluster::{self, UnionFind};
use neardiff::dedup::connect;
use neardiff::dedup::output::{self, Format};
use neardiff::dedup::{self, BandKeys, DocSketch, Fingerprints, Metric, Scratch};
use neardiff::{Article, Error, ErrorKind, Keep};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyCapsule, PyDict};
use rayon::prelude::*;

use crate::dedup::{BatchColumns, Options, find_columns, stream_of};
use crate::{le_bytes, run_detached, to_py_err};

/// Values of a little-endian buffer of `N`-byte numbers.
fn numbers<T, const N: usize>(
    bytes: &[u8],
    what: &str,
    from: impl Fn([u8; N]) -> T,
) -> PyResult<Vec<T>> {
    if !bytes.len().is_multiple_of(N) {
        return Err(PyValueError::new_err(format!(
            "{what}: {} bytes is not a whole number of {N}-byte values",
            bytes.len()
        )));
    }
    Ok(bytes
        .chunks_exact(N)
        .map(|c| from(c.try_into().expect("chunks of N")))
        .collect())
}

fn i64s(bytes: &[u8], what: &str) -> PyResult<Vec<i64>> {
    numbers(bytes, what, i64::from_le_bytes)
}

fn u32s(bytes: &[u8], what: &str) -> PyResult<Vec<u32>> {
    numbers(bytes, what, u32::from_le_bytes)
}

/// A variable-length column handed over as (int64 offsets, data): value
/// `i` is `data[offsets[i]..offsets[i + 1]]`.
struct Var<'a> {
    offsets: Vec<i64>,
    data: &'a [u8],
}

impl<'a> Var<'a> {
    fn new(offsets: &[u8], data: &'a [u8], rows: usize, what: &str) -> PyResult<Var<'a>> {
        let offsets = i64s(offsets, what)?;
        let ok = offsets.len() == rows + 1
            && offsets.windows(2).all(|w| w[0] <= w[1])
            && offsets.first().is_some_and(|&o| o >= 0)
            && offsets.last().is_some_and(|&o| o as usize <= data.len());
        if !ok {
            return Err(PyValueError::new_err(format!(
                "{what}: offsets do not describe {rows} values"
            )));
        }
        Ok(Var { offsets, data })
    }

    fn get(&self, i: usize) -> &'a [u8] {
        &self.data[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }

    fn u32s(&self, i: usize, what: &str) -> PyResult<Vec<u32>> {
        u32s(self.get(i), what)
    }
}

/// Columns being built: variable-length values as (int32 offsets, data),
/// fixed-width ones as plain buffers.
#[derive(Default)]
struct VarOut {
    offsets: Vec<i32>,
    data: Vec<u8>,
    valid: Vec<u8>,
}

impl VarOut {
    fn with_rows(n: usize) -> VarOut {
        let mut v = VarOut::default();
        v.offsets.reserve(n + 1);
        v.offsets.push(0);
        v
    }

    fn push(&mut self, value: Option<&[u8]>) -> PyResult<()> {
        self.valid.push(value.is_some() as u8);
        self.data.extend_from_slice(value.unwrap_or_default());
        let end = i32::try_from(self.data.len()).map_err(|_| {
            PyValueError::new_err("a batch's column holds more than 2 GiB: use smaller batches")
        })?;
        self.offsets.push(end);
        Ok(())
    }

    fn push_u32s(&mut self, values: Option<&[u32]>) -> PyResult<()> {
        match values {
            None => self.push(None),
            Some(v) => self.push(Some(&le_bytes(v, u32::to_le_bytes))),
        }
    }

    fn into_dict(self, py: Python<'_>, d: &Bound<'_, PyDict>, name: &str) -> PyResult<()> {
        d.set_item(
            format!("{name}_offsets"),
            PyBytes::new(py, &le_bytes(&self.offsets, i32::to_le_bytes)),
        )?;
        d.set_item(format!("{name}_data"), PyBytes::new(py, &self.data))?;
        d.set_item(format!("{name}_valid"), PyBytes::new(py, &self.valid))?;
        Ok(())
    }
}

/// The sketches of a batch, as the Python side turns them into columns.
fn sketches_dict<'py>(
    py: Python<'py>,
    docs: &[Option<Sketched>],
    messages: Vec<String>,
) -> PyResult<Bound<'py, PyDict>> {
    let n = docs.len();
    let (mut id, mut date, mut fps, mut edges, mut sig, mut keys) = (
        VarOut::with_rows(n),
        VarOut::with_rows(n),
        VarOut::with_rows(n),
        VarOut::with_rows(n),
        VarOut::with_rows(n),
        VarOut::with_rows(n),
    );
    let (mut outlet, mut shingles, mut words, mut ok) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for d in docs {
        match d {
            Some((d, k)) => {
                id.push(Some(d.id.as_bytes()))?;
                date.push(d.date.as_deref().map(str::as_bytes))?;
                fps.push_u32s(d.shingles.as_deref())?;
                edges.push_u32s(d.edges.as_deref())?;
                sig.push_u32s(Some(&d.signature))?;
                keys.push_u32s((!d.is_empty()).then_some(k.as_slice()))?;
                outlet.push(d.outlet as i64);
                shingles.push(d.num_shingles as i32);
                words.push(d.words as i32);
                ok.push(1u8);
            }
            None => {
                for c in [
                    &mut id, &mut date, &mut fps, &mut edges, &mut sig, &mut keys,
                ] {
                    c.push(None)?;
                }
                outlet.push(0);
                shingles.push(0);
                words.push(0);
                ok.push(0);
            }
        }
    }
    let d = PyDict::new(py);
    id.into_dict(py, &d, "id")?;
    date.into_dict(py, &d, "date")?;
    fps.into_dict(py, &d, "fps")?;
    edges.into_dict(py, &d, "edges")?;
    sig.into_dict(py, &d, "sig")?;
    keys.into_dict(py, &d, "keys")?;
    d.set_item(
        "outlet",
        PyBytes::new(py, &le_bytes(&outlet, i64::to_le_bytes)),
    )?;
    d.set_item(
        "num_shingles",
        PyBytes::new(py, &le_bytes(&shingles, i32::to_le_bytes)),
    )?;
    d.set_item(
        "words",
        PyBytes::new(py, &le_bytes(&words, i32::to_le_bytes)),
    )?;
    d.set_item("ok", PyBytes::new(py, &ok))?;
    d.set_item("messages", messages)?;
    Ok(d)
}

/// Sketches one document into (sketch, band keys).
fn sketch_one(
    a: Article,
    body: &str,
    params: &dedup::SketchParams,
    plan: &neardiff::lsh::LshPlan,
    scratch: &mut Scratch,
) -> Sketched {
    let mut keys = vec![0u32; plan.bands];
    let d = dedup::sketch_body_keyed(a, body, params, plan, &mut keys, scratch);
    (d, keys)
}

/// A sketched document and its band keys.
type Sketched = (DocSketch, Vec<u32>);

/// One outlet's boilerplate: (outlet, fingerprints, slots).
type OutletBoilerplate<'py> = (i64, Bound<'py, PyBytes>, Bound<'py, PyBytes>);

/// Collects per-row results: a malformed record is an error unless
/// `skip_invalid`, then a row marked not ok with its message kept.
fn settle(
    results: Vec<neardiff::Result<Sketched>>,
    skip_invalid: bool,
) -> PyResult<(Vec<Option<Sketched>>, Vec<String>)> {
    let mut messages = Vec::new();
    let mut out = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(d) => out.push(Some(d)),
            Err(e) if skip_invalid => {
                messages.push(e.to_string());
                out.push(None);
            }
            Err(e) => return Err(to_py_err(e)),
        }
    }
    Ok((out, messages))
}

/// Stage 1 over records: the batch's text, id, date, outlet and URL
/// columns (named as the options name them) through an Arrow C stream of
/// one batch, and the documents' places in the input order (`docs`, int64:
/// an article without an id takes its place as its id).
#[pyfunction]
#[pyo3(signature = (stream, docs, options, threads=None))]
fn spark_sketch_records<'py>(
    py: Python<'py>,
    stream: &Bound<'_, PyCapsule>,
    docs: &[u8],
    options: &Options,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let opts = options.opts.clone();
    let places = i64s(docs, "docs")?;
    let mut stream = stream_of(stream)?;
    let (rows, messages) = run_detached(py, threads, move || -> PyResult<_> {
        let params = opts.sketch_params();
        let plan = opts.plan();
        let cols = find_columns(&mut stream, &opts.fields)?;
        let mut all = Vec::new();
        while let Some(batch) = stream.next_batch().map_err(PyValueError::new_err)? {
            let n = batch.len();
            let columns = BatchColumns::of(&batch, &cols)?;
            let first = all.len();
            if places.len() < first + n {
                return Err(PyValueError::new_err("docs: fewer places than rows"));
            }
            let results: Vec<neardiff::Result<Sketched>> = (0..n)
                .into_par_iter()
                .map_init(Scratch::default, |scratch, r| {
                    let (a, body) = columns.article(r, places[first + r], &opts)?;
                    Ok(sketch_one(a, body, &params, &plan, scratch))
                })
                .collect();
            all.extend(results);
        }
        settle(all, opts.skip_invalid)
    })??;
    sketches_dict(py, &rows, messages)
}

/// Stage 1 over lines of JSON Lines files, parsed by the command-line
/// tool's own reader: an Arrow C stream of one batch with string columns
/// `value` (the line, its end removed) and `path` (the file), and the
/// lines' 1-based numbers in their files (`lines`, int64). Errors name the
/// file and line as the tool's do.
#[pyfunction]
#[pyo3(signature = (stream, lines, options, threads=None))]
fn spark_sketch_lines<'py>(
    py: Python<'py>,
    stream: &Bound<'_, PyCapsule>,
    lines: &[u8],
    options: &Options,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let opts = options.opts.clone();
    let lines = i64s(lines, "lines")?;
    let mut stream = stream_of(stream)?;
    let (rows, messages) = run_detached(py, threads, move || -> PyResult<_> {
        let params = opts.sketch_params();
        let plan = opts.plan();
        let keep = if opts.boilerplate {
            Keep::TEXT_ID_DATE_OUTLET
        } else {
            Keep::TEXT_ID_DATE
        };
        let cols = stream.columns().map_err(PyValueError::new_err)?;
        let find = |name: &str| -> PyResult<(usize, bool)> {
            let i = cols
                .iter()
                .position(|(n, _)| n == name)
                .ok_or_else(|| PyValueError::new_err(format!("no column \"{name}\"")))?;
            Ok((i, cols[i].1 == "U"))
        };
        let (value_col, path_col) = (find("value")?, find("path")?);
        let mut all = Vec::new();
        while let Some(batch) = stream.next_batch().map_err(PyValueError::new_err)? {
            let n = batch.len();
            let value = batch
                .strings(value_col.0, value_col.1)
                .map_err(PyValueError::new_err)?;
            let path = batch
                .strings(path_col.0, path_col.1)
                .map_err(PyValueError::new_err)?;
            let first = all.len();
            if lines.len() < first + n {
                return Err(PyValueError::new_err("lines: fewer numbers than rows"));
            }
            let results: Vec<neardiff::Result<Sketched>> = (0..n)
                .into_par_iter()
                .map_init(
                    || (Scratch::default(), String::new()),
                    |(scratch, body), r| {
                        let line = lines[first + r].max(1) as usize;
                        let source = path
                            .get(r)
                            .map_err(|m| Error::new(ErrorKind::Field(m)))?
                            .unwrap_or("<unknown>");
                        let text = value
                            .get(r)
                            .map_err(|m| Error::new(ErrorKind::Field(m)))?
                            .unwrap_or("");
                        let text = text.trim_end_matches('\r');
                        let stem = neardiff::default_id(std::path::Path::new(
                            source.strip_suffix(".gz").unwrap_or(source),
                        ));
                        let rec = RawRecord::new(
                            source,
                            Some(line),
                            &stem,
                            InputFormat::JsonLines,
                            text.as_bytes().to_vec(),
                        );
                        let a = rec.parse_keep_into(&opts.fields, keep, body)?;
                        Ok(sketch_one(a, body, &params, &plan, scratch))
                    },
                )
                .collect();
            all.extend(results);
        }
        settle(all, opts.skip_invalid)
    })??;
    sketches_dict(py, &rows, messages)
}

/// Sketches rebuilt from columns: `docs` places (int64), outlets (int64),
/// shingle and word counts (int32), fingerprints, edges, signatures (as
/// `Var` columns, u32 values).
#[allow(clippy::too_many_arguments)]
fn rebuild(
    ids: Option<(&Var<'_>, &Var<'_>, &[u8])>,
    places: &[i64],
    outlets: &[i64],
    shingles: &[i32],
    words: &[i32],
    fps: &Var<'_>,
    edges: Option<&Var<'_>>,
    sigs: Option<&Var<'_>>,
) -> PyResult<Vec<DocSketch>> {
    let n = places.len();
    if [outlets.len(), shingles.len(), words.len()]
        .iter()
        .any(|&l| l != n)
    {
        return Err(PyValueError::new_err("columns of different lengths"));
    }
    (0..n)
        .map(|i| {
            let (id, date) = match ids {
                None => (String::new(), None),
                Some((id, date, date_valid)) => (
                    String::from_utf8_lossy(id.get(i)).into_owned(),
                    (date_valid.get(i) == Some(&1))
                        .then(|| String::from_utf8_lossy(date.get(i)).into_owned()),
                ),
            };
            Ok(DocSketch {
                id,
                date,
                outlet: outlets[i] as u64,
                num_shingles: shingles[i] as u32,
                words: words[i] as u32,
                signature: match sigs {
                    Some(s) => s.u32s(i, "sig")?,
                    None => Vec::new(),
                },
                shingles: Some(Fingerprints::from(fps.u32s(i, "fps")?)),
                edges: match edges {
                    Some(e) if !e.get(i).is_empty() => {
                        Some(Fingerprints::from(e.u32s(i, "edges")?))
                    }
                    _ => None,
                },
            })
        })
        .collect()
}

fn i32s(bytes: &[u8], what: &str) -> PyResult<Vec<i32>> {
    numbers(bytes, what, i32::from_le_bytes)
}

/// The boilerplate of outlets from their samples (each outlet's sampled
/// documents, as `dedup` samples them, in input order): a list of
/// (outlet, boilerplate fingerprints, slots) with the slots as
/// (first-word fingerprint u32, length u8) records of 5 bytes.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn spark_boilerplate<'py>(
    py: Python<'py>,
    options: &Options,
    docs: &[u8],
    outlets: &[u8],
    shingles: &[u8],
    words: &[u8],
    fps_offsets: &[u8],
    fps_data: &[u8],
    edges_offsets: &[u8],
    edges_data: &[u8],
) -> PyResult<Vec<OutletBoilerplate<'py>>> {
    let opts = &options.opts;
    let places = i64s(docs, "docs")?;
    let n = places.len();
    let fps = Var::new(fps_offsets, fps_data, n, "fps")?;
    let edges = Var::new(edges_offsets, edges_data, n, "edges")?;
    let mut docs = rebuild(
        None,
        &places,
        &i64s(outlets, "outlet")?,
        &i32s(shingles, "num_shingles")?,
        &i32s(words, "words")?,
        &fps,
        Some(&edges),
        None,
    )?;
    // The sample in input order, as `dedup` reads it.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| places[i]);
    let mut sorted: Vec<DocSketch> = Vec::with_capacity(n);
    for i in order {
        sorted.push(std::mem::replace(&mut docs[i], empty_doc()));
    }
    let params = BoilerplateParams {
        shingle_size: opts.shingle_size,
        ..BoilerplateParams::default()
    };
    let found = py.detach(|| boilerplate::find(&sorted, &params));
    Ok(found
        .sets()
        .iter()
        .map(|(outlet, set)| {
            let slots = found.slots_of(*outlet).map_or(&[][..], |s| &s.after[..]);
            let mut sl = Vec::with_capacity(slots.len() * 5);
            for &(k, len) in slots {
                sl.extend_from_slice(&k.to_le_bytes());
                sl.push(len);
            }
            (
                *outlet as i64,
                PyBytes::new(py, &le_bytes(set, u32::to_le_bytes)),
                PyBytes::new(py, &sl),
            )
        })
        .collect())
}

fn empty_doc() -> DocSketch {
    DocSketch {
        id: String::new(),
        date: None,
        outlet: 0,
        num_shingles: 0,
        words: 0,
        signature: Vec::new(),
        shingles: None,
        edges: None,
    }
}

/// The boilerplate last built, by the token the caller gave it: every
/// batch of a run sets aside the same boilerplate.
static BOILERPLATE: Mutex<Option<(String, Arc<Boilerplate>)>> = Mutex::new(None);

fn boilerplate_for(token: &str, sets: &[(i64, Vec<u8>, Vec<u8>)]) -> PyResult<Arc<Boilerplate>> {
    let mut cached = BOILERPLATE.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((t, b)) = cached.as_ref()
        && t == token
    {
        return Ok(b.clone());
    }
    let mut all = Vec::with_capacity(sets.len());
    for (outlet, set, slots) in sets {
        if slots.len() % 5 != 0 {
            return Err(PyValueError::new_err(
                "boilerplate slots: not 5-byte records",
            ));
        }
        let after = slots
            .chunks_exact(5)
            .map(|c| (u32::from_le_bytes([c[0], c[1], c[2], c[3]]), c[4]))
            .collect();
        all.push((*outlet as u64, u32s(set, "boilerplate")?, Slots { after }));
    }
    let b = Arc::new(Boilerplate::with_slots(all));
    *cached = Some((token.to_string(), b.clone()));
    Ok(b)
}

/// Sets each outlet's boilerplate aside in a batch of sketches, as `dedup`
/// does: returns the new shingle counts (int32), fingerprints, signatures
/// and band keys (`Var` columns), and per row 0 (unchanged), 1 (changed) or
/// 2 (left too short: nearly all boilerplate).
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn spark_apply<'py>(
    py: Python<'py>,
    options: &Options,
    token: &str,
    sets: Vec<(i64, Vec<u8>, Vec<u8>)>,
    outlets: &[u8],
    shingles: &[u8],
    words: &[u8],
    fps_offsets: &[u8],
    fps_data: &[u8],
    edges_offsets: &[u8],
    edges_data: &[u8],
    sig_offsets: &[u8],
    sig_data: &[u8],
    keys_offsets: &[u8],
    keys_data: &[u8],
) -> PyResult<Bound<'py, PyDict>> {
    let opts = &options.opts;
    let bp = boilerplate_for(token, &sets)?;
    let outlets = i64s(outlets, "outlet")?;
    let n = outlets.len();
    let fps = Var::new(fps_offsets, fps_data, n, "fps")?;
    let edges = Var::new(edges_offsets, edges_data, n, "edges")?;
    let sigs = Var::new(sig_offsets, sig_data, n, "sig")?;
    let keys_in = Var::new(keys_offsets, keys_data, n, "keys")?;
    let mut docs = rebuild(
        None,
        &vec![0; n],
        &outlets,
        &i32s(shingles, "num_shingles")?,
        &i32s(words, "words")?,
        &fps,
        Some(&edges),
        Some(&sigs),
    )?;
    let plan = opts.plan();
    let mut keys = BandKeys::new(plan.bands);
    let zeros = vec![0u32; plan.bands];
    for (i, d) in docs.iter().enumerate() {
        let k = keys_in.u32s(i, "keys")?;
        keys.push(if k.is_empty() { &zeros } else { &k }, !d.is_empty());
    }
    let before: Vec<u32> = docs.iter().map(|d| d.num_shingles).collect();
    let params = opts.sketch_params();
    let resign_all = !opts.verify || opts.keeps_signature();
    py.detach(|| boilerplate::apply(&mut docs, &mut keys, &bp, &params, &plan, resign_all));
    let mut state = Vec::with_capacity(n);
    let (mut fps_out, mut sig_out, mut keys_out) = (
        VarOut::with_rows(n),
        VarOut::with_rows(n),
        VarOut::with_rows(n),
    );
    let mut shingles_out = Vec::with_capacity(n);
    let mut doc_keys = vec![0u32; plan.bands];
    for (i, d) in docs.iter().enumerate() {
        let changed = d.num_shingles != before[i];
        state.push(if !changed {
            0u8
        } else if d.is_empty() {
            2
        } else {
            1
        });
        fps_out.push_u32s(d.shingles.as_deref())?;
        sig_out.push_u32s(Some(&d.signature))?;
        for (b, k) in doc_keys.iter_mut().enumerate() {
            *k = keys.bands[b][i];
        }
        keys_out.push_u32s((!d.is_empty()).then_some(doc_keys.as_slice()))?;
        shingles_out.push(d.num_shingles as i32);
    }
    let d = PyDict::new(py);
    fps_out.into_dict(py, &d, "fps")?;
    sig_out.into_dict(py, &d, "sig")?;
    keys_out.into_dict(py, &d, "keys")?;
    d.set_item(
        "num_shingles",
        PyBytes::new(py, &le_bytes(&shingles_out, i32::to_le_bytes)),
    )?;
    d.set_item("state", PyBytes::new(py, &state))?;
    Ok(d)
}

/// The rows of a batch sorted by group and place, in groups: the ranges
/// of rows with one value of `groups` (each group's places ascending,
/// checked).
fn group_ranges(groups: &[i64], places: &[i64]) -> PyResult<Vec<std::ops::Range<usize>>> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=groups.len() {
        if i == groups.len() || groups[i] != groups[i - 1] {
            out.push(start..i);
            start = i;
        } else if places[i] <= places[i - 1] {
            return Err(PyValueError::new_err(
                "rows are not sorted by group, then place",
            ));
        }
    }
    Ok(out)
}

/// Sketches of a batch's rows for verification and clustering: places,
/// ids, dates, counts and fingerprints (or, without verification, the
/// signatures).
#[allow(clippy::too_many_arguments)]
fn sketches_of(
    opts: &dedup::DedupOptions,
    places: &[i64],
    ids: &Var<'_>,
    dates: &Var<'_>,
    date_valid: &[u8],
    shingles: &[u8],
    words: &[u8],
    fps: &Var<'_>,
    sigs: &Var<'_>,
) -> PyResult<Vec<DocSketch>> {
    if date_valid.len() != places.len() {
        return Err(PyValueError::new_err("date_valid: one byte per row"));
    }
    let mut docs = rebuild(
        Some((ids, dates, date_valid)),
        places,
        &vec![0; places.len()],
        &i32s(shingles, "num_shingles")?,
        &i32s(words, "words")?,
        fps,
        None,
        (!opts.verify).then_some(sigs),
    )?;
    if !opts.verify {
        docs.iter_mut().for_each(|d| d.shingles = None);
    }
    Ok(docs)
}

/// The verified links of the job's *units*: a unit is every band group
/// (two or more documents sharing a band key) whose first document is one
/// document `f`, so at most one group per band. Each unit is verified as
/// `dedup` verifies those groups, with the unit's documents only:
///
/// * Jaccard: the `connect` logic over the unit's groups (star pairs with
///   each group's first member, then the rest pairs not yet connected),
///   one union-find for the unit; returns per document of a verified
///   component other than its root the link (`a`: the document's row,
///   `b`: the root's row). Every candidate pair of a group lies in its
///   unit, so the components of all units' links are the components of
///   every candidate pair meeting the threshold: the command's clusters.
/// * Containment: every distinct candidate pair of the unit's groups (the
///   pairs `dedup` verifies), and per contained document its best
///   container in the unit (`a`: its row, `b`: the container's row, with
///   the pair's `containment` and `jaccard`, float64). The command's best
///   container of a document is the best of these over its units
///   ([`cluster::best_containers`]).
///
/// Input: the units' documents (`units`: int64 `f` of each row; rows
/// sorted by unit, then place) and their groups (`group_units`: int64 `f`
/// of each group, sorted; `group_offsets` (int64) and `group_docs`
/// (int64 places): each group's members in input order). Row numbers out
/// are int64 positions among the documents.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn spark_unit_links<'py>(
    py: Python<'py>,
    options: &Options,
    units: &[u8],
    group_units: &[u8],
    group_offsets: &[u8],
    group_docs: &[u8],
    docs: &[u8],
    id_offsets: &[u8],
    id_data: &[u8],
    date_offsets: &[u8],
    date_data: &[u8],
    date_valid: &[u8],
    shingles: &[u8],
    words: &[u8],
    fps_offsets: &[u8],
    fps_data: &[u8],
    sig_offsets: &[u8],
    sig_data: &[u8],
) -> PyResult<Bound<'py, PyDict>> {
    let opts = &options.opts;
    let places = i64s(docs, "docs")?;
    let n = places.len();
    let units = i64s(units, "units")?;
    if units.len() != n {
        return Err(PyValueError::new_err("units: one per row"));
    }
    let ranges = group_ranges(&units, &places)?;
    let group_units = i64s(group_units, "group_units")?;
    let group_offsets = i64s(group_offsets, "group_offsets")?;
    let group_docs = i64s(group_docs, "group_docs")?;
    let offsets_ok = group_offsets.len() == group_units.len() + 1
        && group_offsets.first() == Some(&0)
        && group_offsets.last() == Some(&(group_docs.len() as i64))
        && group_offsets.windows(2).all(|w| w[0] <= w[1])
        && group_units.windows(2).all(|w| w[0] <= w[1]);
    if !offsets_ok {
        return Err(PyValueError::new_err(
            "groups: offsets do not describe the groups, or groups not sorted by unit",
        ));
    }
    let ids = Var::new(id_offsets, id_data, n, "id")?;
    let dates = Var::new(date_offsets, date_data, n, "date")?;
    let fps = Var::new(fps_offsets, fps_data, n, "fps")?;
    let sigs = Var::new(sig_offsets, sig_data, n, "sig")?;
    let docs = sketches_of(
        opts, &places, &ids, &dates, date_valid, shingles, words, &fps, &sigs,
    )?;
    let (metric, threshold) = (opts.metric, opts.threshold);
    let out = run_detached(py, Some(1), || -> PyResult<_> {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        let (mut containment, mut jaccard) = (Vec::new(), Vec::new());
        let mut g = 0;
        for r in ranges {
            let f = units[r.start];
            while g < group_units.len() && group_units[g] < f {
                g += 1;
            }
            let first_group = g;
            while g < group_units.len() && group_units[g] == f {
                g += 1;
            }
            let unit = &docs[r.clone()];
            let local = &places[r.clone()];
            // One band per group: its members share a key, every other
            // document of the unit has a key of its own.
            let mut keys = BandKeys::new(g - first_group);
            let mut row = vec![0u32; g - first_group];
            let mut member = vec![vec![false; unit.len()]; g - first_group];
            for (k, gi) in (first_group..g).enumerate() {
                let span = group_offsets[gi] as usize..group_offsets[gi + 1] as usize;
                for &p in &group_docs[span] {
                    let i = local.binary_search(&p).map_err(|_| {
                        PyValueError::new_err(format!(
                            "group member {p} is not among its unit's documents"
                        ))
                    })?;
                    member[k][i] = true;
                }
            }
            for i in 0..unit.len() {
                for (k, m) in member.iter().enumerate() {
                    row[k] = if m[i] { 0 } else { i as u32 + 1 };
                }
                keys.push(&row, true);
            }
            match metric {
                Metric::Jaccard => {
                    let (c, _) = connect::connect(unit, &keys, metric, threshold);
                    for (i, &root) in c.labels.iter().enumerate() {
                        if root as usize != i {
                            a.push((r.start + i) as i64);
                            b.push((r.start + root as usize) as i64);
                        }
                    }
                }
                Metric::Containment => {
                    let pairs = dedup::verify(unit, &dedup::candidates(&keys), metric, threshold);
                    for (i, best) in cluster::best_containers(unit, &pairs)
                        .into_iter()
                        .enumerate()
                    {
                        if let Some(x) = best {
                            a.push((r.start + i) as i64);
                            b.push((r.start + x.container as usize) as i64);
                            containment.push(x.containment);
                            jaccard.push(x.jaccard);
                        }
                    }
                }
            }
        }
        Ok((a, b, containment, jaccard))
    })??;
    let (a, b, containment, jaccard) = out;
    let d = PyDict::new(py);
    d.set_item("a", PyBytes::new(py, &le_bytes(&a, i64::to_le_bytes)))?;
    d.set_item("b", PyBytes::new(py, &le_bytes(&b, i64::to_le_bytes)))?;
    d.set_item(
        "containment",
        PyBytes::new(py, &le_bytes(&containment, f64::to_le_bytes)),
    )?;
    d.set_item(
        "jaccard",
        PyBytes::new(py, &le_bytes(&jaccard, f64::to_le_bytes)),
    )?;
    Ok(d)
}

/// Representatives, member scores and lines of clusters: each cluster's
/// rows together and in input order, `clusters` (int64) naming each row's
/// cluster (a cluster is what the components of the verified links give:
/// every member is already known to belong). Per member out, as int64
/// rows of the batch: `doc` (the member's row, in the command's member
/// order), `rep` (its representative's row), `size`, `score` (float64,
/// against the representative), and on the representative's row the
/// cluster's line as `dedup` writes it (JSON Lines, without the line end).
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn spark_cluster_lines<'py>(
    py: Python<'py>,
    options: &Options,
    clusters: &[u8],
    docs: &[u8],
    id_offsets: &[u8],
    id_data: &[u8],
    date_offsets: &[u8],
    date_data: &[u8],
    date_valid: &[u8],
    shingles: &[u8],
    words: &[u8],
    fps_offsets: &[u8],
    fps_data: &[u8],
    sig_offsets: &[u8],
    sig_data: &[u8],
) -> PyResult<Bound<'py, PyDict>> {
    let opts = &options.opts;
    let places = i64s(docs, "docs")?;
    let n = places.len();
    let labels = i64s(clusters, "clusters")?;
    if labels.len() != n {
        return Err(PyValueError::new_err("clusters: one per row"));
    }
    let ranges = group_ranges(&labels, &places)?;
    let ids = Var::new(id_offsets, id_data, n, "id")?;
    let dates = Var::new(date_offsets, date_data, n, "date")?;
    let fps = Var::new(fps_offsets, fps_data, n, "fps")?;
    let sigs = Var::new(sig_offsets, sig_data, n, "sig")?;
    let mut docs = sketches_of(
        opts, &places, &ids, &dates, date_valid, shingles, words, &fps, &sigs,
    )?;
    let metric = opts.metric;
    let plan = opts.plan();
    let (mut member, mut rep, mut size) = (Vec::new(), Vec::new(), Vec::new());
    let mut score: Vec<f64> = Vec::new();
    let mut line_out = VarOut::with_rows(0);
    // Each cluster's documents on their own, in input order: the library
    // chooses the representative, scores the members and writes the line.
    let groups: Vec<(usize, Vec<DocSketch>)> = ranges
        .into_iter()
        .filter(|r| r.len() >= 2)
        .map(|r| {
            let group = docs[r.clone()]
                .iter_mut()
                .map(|d| std::mem::replace(d, empty_doc()))
                .collect();
            (r.start, group)
        })
        .collect();
    let done = run_detached(py, Some(1), || {
        groups
            .into_iter()
            .map(|(start, group)| {
                let found = cluster::clusters_from_labels(&group, &vec![0; group.len()], metric);
                let result = dedup::DedupResult {
                    docs: group,
                    plan,
                    pairs: Vec::new(),
                    clusters: found,
                    summary: Default::default(),
                    skipped: Vec::new(),
                    boilerplate: Default::default(),
                };
                let mut text = Vec::new();
                output::write_clusters(&result, metric, Format::Jsonl, &mut text)?;
                Ok((start, result.clusters, text))
            })
            .collect::<neardiff::Result<Vec<_>>>()
    })?
    .map_err(to_py_err)?;
    for (start, clusters, text) in &done {
        let mut lines = text.split(|&b| b == b'\n');
        for c in clusters {
            let line = lines.next().unwrap_or_default();
            let at = |d: u32| (start + d as usize) as i64;
            for (k, m) in c.members.iter().enumerate() {
                member.push(at(m.doc));
                rep.push(at(c.representative()));
                size.push(c.members.len() as i64);
                score.push(m.score);
                line_out.push((k == 0).then_some(line))?;
            }
        }
    }
    let d = PyDict::new(py);
    d.set_item(
        "doc",
        PyBytes::new(py, &le_bytes(&member, i64::to_le_bytes)),
    )?;
    d.set_item("rep", PyBytes::new(py, &le_bytes(&rep, i64::to_le_bytes)))?;
    d.set_item("size", PyBytes::new(py, &le_bytes(&size, i64::to_le_bytes)))?;
    d.set_item(
        "score",
        PyBytes::new(py, &le_bytes(&score, f64::to_le_bytes)),
    )?;
    line_out.into_dict(py, &d, "line")?;
    Ok(d)
}

/// Connected components of an undirected edge list (int64 ends `a`, `b`)
/// by union-find: returns (nodes, labels) as int64 buffers, every node of
/// an edge once, ascending, labelled with the smallest node of its
/// component.
#[pyfunction]
fn spark_components<'py>(
    py: Python<'py>,
    a: &[u8],
    b: &[u8],
) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyBytes>)> {
    let (a, b) = (i64s(a, "a")?, i64s(b, "b")?);
    if a.len() != b.len() {
        return Err(PyValueError::new_err("a and b differ in length"));
    }
    let (nodes, labels) = py.detach(|| {
        let mut nodes: Vec<i64> = a.iter().chain(&b).copied().collect();
        nodes.par_sort_unstable();
        nodes.dedup();
        let at = |x: i64| nodes.binary_search(&x).expect("a node of an edge") as u32;
        let mut uf = UnionFind::new(nodes.len());
        for (&x, &y) in a.iter().zip(&b) {
            uf.union(at(x), at(y));
        }
        // Nodes ascend, so the first node met of each root is its least.
        let mut least = vec![i64::MAX; nodes.len()];
        let mut labels = Vec::with_capacity(nodes.len());
        for (i, &node) in nodes.iter().enumerate() {
            let r = uf.find(i as u32) as usize;
            if least[r] == i64::MAX {
                least[r] = node;
            }
            labels.push(least[r]);
        }
        (nodes, labels)
    });
    Ok((
        PyBytes::new(py, &le_bytes(&nodes, i64::to_le_bytes)),
        PyBytes::new(py, &le_bytes(&labels, i64::to_le_bytes)),
    ))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(spark_sketch_records, m)?)?;
    m.add_function(wrap_pyfunction!(spark_sketch_lines, m)?)?;
    m.add_function(wrap_pyfunction!(spark_boilerplate, m)?)?;
    m.add_function(wrap_pyfunction!(spark_apply, m)?)?;
    m.add_function(wrap_pyfunction!(spark_unit_links, m)?)?;
    m.add_function(wrap_pyfunction!(spark_cluster_lines, m)?)?;
    m.add_function(wrap_pyfunction!(spark_components, m)?)?;
    Ok(())
}
