//! `neardiff.sketch`: the sketches `dedup` makes (signature, band keys,
//! shingle and word counts) for a batch of texts, as flat little-endian
//! arrays for numpy.

use neardiff::Article;
use neardiff::dedup::{self, DedupOptions, Scratch};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};
use rayon::prelude::*;

use crate::{le_bytes, run_detached, to_py_err};

/// (signatures u32 n×num_perm, band keys u32 n×bands, shingles u32 n,
/// words u32 n, bands, rows)
type Sketches<'py> = (
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    usize,
    usize,
);

#[pyfunction]
#[pyo3(signature = (texts, num_perm, seed, shingle_size, threshold, min_words, threads))]
#[allow(clippy::too_many_arguments)]
fn sketch<'py>(
    py: Python<'py>,
    texts: &Bound<'py, PyAny>,
    num_perm: usize,
    seed: u64,
    shingle_size: usize,
    threshold: f64,
    min_words: Option<usize>,
    threads: Option<usize>,
) -> PyResult<Sketches<'py>> {
    let opts = DedupOptions {
        threshold,
        num_perm,
        seed,
        shingle_size,
        min_words,
        verify: false,
        boilerplate: false,
        all_pairs: true,
        ..DedupOptions::default()
    };
    opts.validate().map_err(to_py_err)?;
    let mut bodies = Vec::new();
    for t in texts.try_iter()? {
        let t = t?;
        let s = t.cast::<PyString>().map_err(|_| {
            pyo3::exceptions::PyTypeError::new_err(format!(
                "texts[{}] must be a str, not {}",
                bodies.len(),
                t.get_type()
                    .name()
                    .map(|n| n.to_string())
                    .unwrap_or_default()
            ))
        })?;
        bodies.push(s.to_cow()?.into_owned());
    }
    let (sigs, keys, shingles, words, bands, rows) = run_detached(py, threads, || {
        let mut params = opts.sketch_params();
        params.keep_shingles = false;
        params.keep_signature = true;
        let plan = opts.plan();
        let nb = plan.bands;
        let mut keys = vec![0u32; bodies.len() * nb];
        let docs: Vec<dedup::DocSketch> = bodies
            .par_iter()
            .zip(keys.par_chunks_mut(nb))
            .map_init(Scratch::default, |s, (body, k)| {
                dedup::sketch_body_keyed(Article::default(), body, &params, &plan, k, s)
            })
            .collect();
        let mut sigs = Vec::with_capacity(docs.len() * opts.num_perm);
        for d in &docs {
            sigs.extend_from_slice(&d.signature);
        }
        let shingles: Vec<u32> = docs.iter().map(|d| d.num_shingles).collect();
        let words: Vec<u32> = docs.iter().map(|d| d.words).collect();
        (sigs, keys, shingles, words, plan.bands, plan.rows)
    })?;
    let b = |v: &[u32]| PyBytes::new(py, &le_bytes(v, u32::to_le_bytes));
    Ok((b(&sigs), b(&keys), b(&shingles), b(&words), bands, rows))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(sketch, m)?)?;
    Ok(())
}
