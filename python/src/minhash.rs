//! `MinHash` and `MinHashLSH` for code written against datasketch's
//! classes: one object per set, updated one element at a time. The
//! signature is the crate's classic MinHash (`Scheme::Classic`: one
//! independent hash function per position, so that two sketches can be
//! updated separately and merged by taking minima); elements are hashed to
//! 64 bits with XXH3. The LSH layout is the crate's `LshPlan::optimal`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use neardiff::lsh::LshPlan;
use neardiff::sketch::{MAX_NUM_PERM, MinHasher, Scheme};
use pyo3::exceptions::{PyKeyError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};
use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

use crate::le_bytes;

/// Hashers by (num_perm, seed).
type Hashers = Mutex<HashMap<(usize, u64), Arc<MinHasher>>>;

/// Hashers by (num_perm, seed): each holds `num_perm` seeds, made once.
fn hasher(num_perm: usize, seed: u64) -> Arc<MinHasher> {
    static HASHERS: OnceLock<Hashers> = OnceLock::new();
    let mut map = HASHERS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    map.entry((num_perm, seed))
        .or_insert_with(|| Arc::new(MinHasher::with_scheme(num_perm, seed, Scheme::Classic)))
        .clone()
}

/// The largest value: an empty position.
const EMPTY: u64 = u64::MAX;

/// A MinHash sketch of one set.
#[pyclass(module = "neardiff._native", subclass)]
pub struct MinHash {
    hasher: Arc<MinHasher>,
    seed: u64,
    mins: Vec<u64>,
    hashfunc: Option<Py<PyAny>>,
}

/// The 64-bit hash of one element: `bytes` as they are, `str` as UTF-8.
fn element_hash(v: &Bound<'_, PyAny>) -> PyResult<u64> {
    if let Ok(b) = v.cast::<PyBytes>() {
        return Ok(xxh3_64(b.as_bytes()));
    }
    if let Ok(s) = v.cast::<PyString>() {
        return Ok(xxh3_64(s.to_cow()?.as_bytes()));
    }
    if let Ok(b) = v.extract::<Vec<u8>>() {
        return Ok(xxh3_64(&b));
    }
    Err(PyTypeError::new_err(format!(
        "MinHash elements must be bytes or str, not {}",
        v.get_type().name()?
    )))
}

impl MinHash {
    fn hash(&self, py: Python<'_>, v: &Bound<'_, PyAny>) -> PyResult<u64> {
        match &self.hashfunc {
            None => element_hash(v),
            Some(f) => {
                let h = f.call1(py, (v,))?;
                let h = h.bind(py);
                // datasketch's hash functions return 32-bit values; any
                // int is taken modulo 2**64.
                match h.extract::<u64>() {
                    Ok(x) => Ok(x),
                    Err(_) => Ok(h.extract::<i64>()? as u64),
                }
            }
        }
    }

    fn add_hashes(&mut self, hashes: &[u64]) {
        let sig = self.hasher.sketch_hashes(hashes);
        for (m, s) in self.mins.iter_mut().zip(sig.mins) {
            *m = (*m).min(s);
        }
    }

    fn same_kind(&self, other: &MinHash, what: &str) -> PyResult<()> {
        if self.mins.len() != other.mins.len() || self.seed != other.seed {
            return Err(PyValueError::new_err(format!(
                "cannot {what} MinHash objects with different num_perm or seed ({}/{} and {}/{})",
                self.mins.len(),
                self.seed,
                other.mins.len(),
                other.seed
            )));
        }
        Ok(())
    }
}

#[pymethods]
impl MinHash {
    /// A MinHash of `num_perm` positions; `hashvalues` (bytes of uint64
    /// little-endian, or a sequence of ints) restores a saved sketch.
    #[new]
    #[pyo3(signature = (num_perm=128, seed=1, hashfunc=None, hashvalues=None))]
    fn new(
        num_perm: usize,
        seed: u64,
        hashfunc: Option<Py<PyAny>>,
        hashvalues: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<MinHash> {
        let mins = match hashvalues {
            None => {
                if num_perm == 0 || num_perm > MAX_NUM_PERM {
                    return Err(PyValueError::new_err(format!(
                        "num_perm must be between 1 and {MAX_NUM_PERM}, got {num_perm}"
                    )));
                }
                vec![EMPTY; num_perm]
            }
            Some(v) => {
                let mins: Vec<u64> = if let Ok(b) = v.cast::<PyBytes>() {
                    let b = b.as_bytes();
                    if b.len() % 8 != 0 {
                        return Err(PyValueError::new_err(
                            "hashvalues bytes must hold uint64 values",
                        ));
                    }
                    b.chunks_exact(8)
                        .map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes")))
                        .collect()
                } else {
                    v.try_iter()?
                        .map(|x| x.and_then(|x| x.extract::<u64>()))
                        .collect::<PyResult<_>>()?
                };
                if mins.is_empty() || mins.len() > MAX_NUM_PERM {
                    return Err(PyValueError::new_err(format!(
                        "hashvalues must hold 1 to {MAX_NUM_PERM} values"
                    )));
                }
                mins
            }
        };
        Ok(MinHash {
            hasher: hasher(mins.len(), seed),
            seed,
            mins,
            hashfunc,
        })
    }

    /// Adds one element (bytes or str).
    fn update(&mut self, py: Python<'_>, b: &Bound<'_, PyAny>) -> PyResult<()> {
        let h = self.hash(py, b)?;
        self.add_hashes(&[h]);
        Ok(())
    }

    /// Adds many elements at once.
    fn update_batch(&mut self, py: Python<'_>, b: &Bound<'_, PyAny>) -> PyResult<()> {
        let mut hashes = Vec::new();
        if let Ok(list) = b.cast::<PyList>() {
            hashes.reserve(list.len());
            for v in list.iter() {
                hashes.push(self.hash(py, &v)?);
            }
        } else {
            for v in b.try_iter()? {
                hashes.push(self.hash(py, &v?)?);
            }
        }
        py.detach(|| self.add_hashes(&hashes));
        Ok(())
    }

    /// The estimated Jaccard similarity with `other`.
    fn jaccard(&self, other: &MinHash) -> PyResult<f64> {
        self.same_kind(other, "compare")?;
        // Same length, seed and scheme (checked above): the share of
        // positions where both minima agree.
        let same = self
            .mins
            .iter()
            .zip(&other.mins)
            .filter(|(a, b)| a == b)
            .count();
        Ok(same as f64 / self.mins.len().max(1) as f64)
    }

    /// Merges `other` into this sketch: the sketch of the union.
    fn merge(&mut self, other: &MinHash) -> PyResult<()> {
        self.same_kind(other, "merge")?;
        for (m, o) in self.mins.iter_mut().zip(&other.mins) {
            *m = (*m).min(*o);
        }
        Ok(())
    }

    /// The estimated number of distinct elements.
    fn count(&self) -> f64 {
        let k = self.mins.len() as f64;
        let sum: f64 = self.mins.iter().map(|&m| m as f64 / u64::MAX as f64).sum();
        if sum == 0.0 { 0.0 } else { k / sum - 1.0 }
    }

    /// True when nothing was added.
    fn is_empty(&self) -> bool {
        self.mins.iter().all(|&m| m == EMPTY)
    }

    /// Forgets every element.
    fn clear(&mut self) {
        self.mins.fill(EMPTY);
    }

    /// The signature as uint64 little-endian bytes (`digest()` in
    /// `neardiff/__init__.py` makes it a numpy array).
    fn _digest_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &le_bytes(&self.mins, u64::to_le_bytes))
    }

    #[getter]
    fn num_perm(&self) -> usize {
        self.mins.len()
    }

    #[getter]
    fn seed(&self) -> u64 {
        self.seed
    }

    fn __len__(&self) -> usize {
        self.mins.len()
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        match other.extract::<PyRef<'_, MinHash>>() {
            Ok(o) => o.seed == self.seed && o.mins == self.mins,
            Err(_) => false,
        }
    }

    fn copy(&self, py: Python<'_>) -> MinHash {
        MinHash {
            hasher: self.hasher.clone(),
            seed: self.seed,
            mins: self.mins.clone(),
            hashfunc: self.hashfunc.as_ref().map(|f| f.clone_ref(py)),
        }
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let this = slf.borrow();
        let args = (
            this.mins.len(),
            this.seed,
            this.hashfunc.as_ref().map(|f| f.clone_ref(py)),
            this._digest_bytes(py),
        );
        PyTuple::new(
            py,
            [
                slf.get_type().into_any(),
                args.into_pyobject(py)?.into_any(),
            ],
        )
    }
}

/// A MinHash LSH index: keys of inserted sketches, found by band
/// collisions.
#[pyclass(module = "neardiff._native", subclass)]
pub struct MinHashLSH {
    plan: LshPlan,
    num_perm: usize,
    /// Per band, band key -> slots.
    tables: Vec<HashMap<u64, Vec<u32>>>,
    /// Per slot: the key and its band keys; `None` once removed.
    slots: Vec<Option<(Py<PyAny>, Vec<u64>)>>,
    /// Key -> slot.
    index: Py<PyDict>,
}

fn band_keys(plan: &LshPlan, mins: &[u64]) -> Vec<u64> {
    let mut buf = Vec::with_capacity(plan.rows * 8);
    (0..plan.bands)
        .map(|b| {
            buf.clear();
            for v in &mins[b * plan.rows..(b + 1) * plan.rows] {
                buf.extend_from_slice(&v.to_le_bytes());
            }
            xxh3_64_with_seed(&buf, b as u64)
        })
        .collect()
}

impl MinHashLSH {
    fn keys_of(&self, m: &MinHash) -> PyResult<Vec<u64>> {
        if m.mins.len() != self.num_perm {
            return Err(PyValueError::new_err(format!(
                "expected a MinHash with num_perm={}, got {}",
                self.num_perm,
                m.mins.len()
            )));
        }
        Ok(band_keys(&self.plan, &m.mins))
    }
}

#[pymethods]
impl MinHashLSH {
    /// An index for Jaccard `threshold` over sketches of `num_perm`
    /// positions; `weights` = (false positive, false negative) weights of
    /// the layout choice; `params` = (bands, rows) fixes it.
    #[new]
    #[pyo3(signature = (threshold=0.9, num_perm=128, weights=(0.5, 0.5), params=None))]
    fn new(
        py: Python<'_>,
        threshold: f64,
        num_perm: usize,
        weights: (f64, f64),
        params: Option<(usize, usize)>,
    ) -> PyResult<MinHashLSH> {
        if !(0.0..=1.0).contains(&threshold) {
            return Err(PyValueError::new_err("threshold must be in [0, 1]"));
        }
        if num_perm == 0 || num_perm > MAX_NUM_PERM {
            return Err(PyValueError::new_err(format!(
                "num_perm must be between 1 and {MAX_NUM_PERM}"
            )));
        }
        let (fp, fneg) = weights;
        if fp < 0.0 || fneg < 0.0 || fp + fneg <= 0.0 {
            return Err(PyValueError::new_err(
                "weights must be two non-negative numbers, not both 0",
            ));
        }
        let plan = match params {
            Some((b, r)) => {
                if b == 0 || r == 0 || b * r > num_perm {
                    return Err(PyValueError::new_err(format!(
                        "params (bands, rows) must have bands * rows <= num_perm ({num_perm})"
                    )));
                }
                LshPlan::with_layout(b, r, threshold)
            }
            None => py.detach(|| LshPlan::optimal(threshold, num_perm, fneg / (fp + fneg))),
        };
        Ok(MinHashLSH {
            tables: vec![HashMap::new(); plan.bands],
            plan,
            num_perm,
            slots: Vec::new(),
            index: PyDict::new(py).unbind(),
        })
    }

    /// Inserts `minhash` under `key` (a hashable); a key inserted twice is
    /// a `ValueError` unless `check_duplication` is false.
    #[pyo3(signature = (key, minhash, check_duplication=true))]
    fn insert(
        &mut self,
        py: Python<'_>,
        key: &Bound<'_, PyAny>,
        minhash: PyRef<'_, MinHash>,
        check_duplication: bool,
    ) -> PyResult<()> {
        let index = self.index.bind(py).clone();
        if check_duplication && index.contains(key)? {
            return Err(PyValueError::new_err(format!(
                "the key {} is already in the index",
                key.repr()?
            )));
        }
        let keys = self.keys_of(&minhash)?;
        if let Some(old) = index.get_item(key)? {
            // Re-inserted without the check: the new sketch replaces it.
            let slot: usize = old.extract()?;
            self.drop_slot(slot);
        }
        let slot = self.slots.len() as u32;
        for (table, &k) in self.tables.iter_mut().zip(&keys) {
            table.entry(k).or_default().push(slot);
        }
        index.set_item(key, slot)?;
        self.slots.push(Some((key.clone().unbind(), keys)));
        Ok(())
    }

    /// The keys of the inserted sketches that share a band with `minhash`,
    /// in insertion order.
    fn query<'py>(
        &self,
        py: Python<'py>,
        minhash: PyRef<'_, MinHash>,
    ) -> PyResult<Bound<'py, PyList>> {
        let keys = self.keys_of(&minhash)?;
        let mut found: Vec<u32> = Vec::new();
        for (table, k) in self.tables.iter().zip(&keys) {
            if let Some(slots) = table.get(k) {
                found.extend_from_slice(slots);
            }
        }
        found.sort_unstable();
        found.dedup();
        let keys: Vec<Py<PyAny>> = found
            .into_iter()
            .filter_map(|s| {
                self.slots[s as usize]
                    .as_ref()
                    .map(|(k, _)| k.clone_ref(py))
            })
            .collect();
        PyList::new(py, keys)
    }

    /// Removes `key`; a `KeyError` when it is not in the index.
    fn remove(&mut self, py: Python<'_>, key: &Bound<'_, PyAny>) -> PyResult<()> {
        let index = self.index.bind(py).clone();
        let Some(slot) = index.get_item(key)? else {
            return Err(PyKeyError::new_err(key.clone().unbind()));
        };
        let slot: usize = slot.extract()?;
        index.del_item(key)?;
        self.drop_slot(slot);
        Ok(())
    }

    fn __contains__(&self, py: Python<'_>, key: &Bound<'_, PyAny>) -> PyResult<bool> {
        self.index.bind(py).contains(key)
    }

    fn __len__(&self, py: Python<'_>) -> usize {
        self.index.bind(py).len()
    }

    /// True when no key is inserted.
    fn is_empty(&self, py: Python<'_>) -> bool {
        self.index.bind(py).is_empty()
    }

    /// The keys, in insertion order.
    fn keys<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let keys: Vec<Py<PyAny>> = self
            .slots
            .iter()
            .flatten()
            .map(|(k, _)| k.clone_ref(py))
            .collect();
        PyList::new(py, keys)
    }

    /// (bands, rows) of the layout.
    #[getter]
    fn params(&self) -> (usize, usize) {
        (self.plan.bands, self.plan.rows)
    }

    #[getter]
    fn threshold(&self) -> f64 {
        self.plan.threshold
    }

    #[getter]
    fn num_perm(&self) -> usize {
        self.num_perm
    }
}

impl MinHashLSH {
    fn drop_slot(&mut self, slot: usize) {
        if let Some((_, keys)) = self.slots[slot].take() {
            for (table, k) in self.tables.iter_mut().zip(&keys) {
                if let Some(v) = table.get_mut(k) {
                    v.retain(|&s| s as usize != slot);
                    if v.is_empty() {
                        table.remove(k);
                    }
                }
            }
        }
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<MinHash>()?;
    m.add_class::<MinHashLSH>()?;
    Ok(())
}
