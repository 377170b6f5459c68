//! The native part of the `neardiff` Python package: a thin layer over the
//! `neardiff` crate. It turns Python values into the crate's inputs, runs
//! the crate's code with the GIL released (on a rayon pool of the size the
//! caller asks for), and hands results back as Python objects, JSON text or
//! raw little-endian arrays that `neardiff/__init__.py` wraps with numpy.
//! The Python-facing API, its docs and its types are in `neardiff/`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyFileNotFoundError, PyOSError, PyRuntimeError, PyValueError};
use pyo3::prelude::*;

mod arrow;
mod compare;
mod dedup;
mod index;
mod minhash;
mod records;
mod sketch;
mod spark;

create_exception!(
    _native,
    InputError,
    PyValueError,
    "Bad input: a malformed record, file or field. The message names the record or file and the position, as the command-line tool's does."
);
create_exception!(
    _native,
    CorruptIndexError,
    PyException,
    "A stored index is damaged, incomplete or of another format version."
);

/// Maps a library error to a Python exception with the CLI's one-line
/// message: bad parameters are `ValueError` (with the option named as the
/// Python keyword argument), bad input `InputError`, I/O `OSError`.
pub(crate) fn to_py_err(e: neardiff::Error) -> PyErr {
    use neardiff::ErrorKind;
    let msg = e.display_with(remedy).to_string();
    match e.kind() {
        // The library names the parameter as the keyword argument does.
        ErrorKind::InvalidParam { .. } => PyValueError::new_err(msg),
        ErrorKind::Usage(_) => PyValueError::new_err(python_option_names(&msg)),
        ErrorKind::Corrupt(_) => CorruptIndexError::new_err(msg),
        ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::NotFound => {
            PyFileNotFoundError::new_err(msg)
        }
        ErrorKind::Io(_) => PyOSError::new_err(msg),
        _ => InputError::new_err(msg),
    }
}

/// The remedy of a library error in the package's words: the call to
/// make or the argument to give.
fn remedy(r: neardiff::Remedy) -> &'static str {
    use neardiff::Remedy;
    match r {
        Remedy::RebuildIndex => " with `Index(path).build(..., force=True)`",
        Remedy::AddOrReplaceIndex => {
            "; add to it with `Index.add`, or replace it with `Index.build(..., force=True)`"
        }
        Remedy::IgnoreMissing => " (use ignore_missing=True to remove the others)",
        Remedy::SkipOrUpdateDuplicates => "; use on_duplicate=\"skip\" or \"update\"",
        other => other.text(),
    }
}

/// `--num-perm must be ...` becomes `num_perm must be ...`: Python callers
/// name options as keyword arguments. Only a leading option is renamed, so
/// that commands quoted inside a message stay as they are.
fn python_option_names(msg: &str) -> String {
    let Some(rest) = msg.strip_prefix("--") else {
        return msg.to_string();
    };
    let end = rest
        .find(|c: char| !(c.is_ascii_lowercase() || c == '-'))
        .unwrap_or(rest.len());
    format!("{}{}", rest[..end].replace('-', "_"), &rest[end..])
}

/// Rayon pools by thread count (building one costs more than many small
/// calls take, so each size is built once per process).
pub(crate) fn pool(threads: Option<usize>) -> PyResult<Arc<rayon::ThreadPool>> {
    static POOLS: OnceLock<Mutex<HashMap<usize, Arc<rayon::ThreadPool>>>> = OnceLock::new();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let n = match threads {
        Some(0) => return Err(PyValueError::new_err("threads must be at least 1")),
        // As the CLI does: more than 4 per core only costs time to start them.
        Some(n) => n.min(4 * cores),
        None => cores,
    };
    let mut pools = POOLS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    if let Some(p) = pools.get(&n) {
        return Ok(p.clone());
    }
    let p = rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .thread_name(|i| format!("neardiff-{i}"))
        .build()
        .map_err(|e| PyRuntimeError::new_err(format!("cannot start threads: {e}")))?;
    let p = Arc::new(p);
    pools.insert(n, p.clone());
    Ok(p)
}

/// Runs `f` with the GIL released, on a pool of `threads` threads; a
/// panic becomes a `RuntimeError` instead of crossing into Python.
pub(crate) fn run_detached<R: Send>(
    py: Python<'_>,
    threads: Option<usize>,
    f: impl FnOnce() -> R + Send,
) -> PyResult<R> {
    let pool = pool(threads)?;
    run_here(py, || pool.install(f))
}

/// Runs `f` with the GIL released on the calling thread (work that uses
/// one thread: handing it to a pool would only add a thread switch); a
/// panic becomes a `RuntimeError`.
pub(crate) fn run_here<R: Send>(py: Python<'_>, f: impl FnOnce() -> R + Send) -> PyResult<R> {
    py.detach(|| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|p| {
            let what = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown".into());
            PyRuntimeError::new_err(format!("neardiff internal error: {what}"))
        })
    })
}

/// Little-endian bytes of a slice of numbers, for `numpy.frombuffer`.
pub(crate) fn le_bytes<T: Copy, const N: usize>(
    values: &[T],
    to: impl Fn(T) -> [u8; N],
) -> Vec<u8> {
    let mut out = Vec::with_capacity(values.len() * N);
    for &v in values {
        out.extend_from_slice(&to(v));
    }
    out
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("InputError", py.get_type::<InputError>())?;
    m.add("CorruptIndexError", py.get_type::<CorruptIndexError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    compare::register(m)?;
    dedup::register(m)?;
    index::register(m)?;
    sketch::register(m)?;
    minhash::register(m)?;
    spark::register(m)?;
    Ok(())
}
