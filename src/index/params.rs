//! The parameters fixed when an index is built ([`IndexParams`]), its id,
//! and both stored in the catalogue's `meta` table under a checksum.

use std::path::Path;

use rusqlite::{Connection, params};
use serde::Serialize;

use super::store::{FORMAT_NAME, SCHEMA_VERSION, corrupt, sql_error};
use crate::dedup::SketchParams;
use crate::error::{Error, ErrorKind, Result};
use crate::lsh::{self, LshPlan};
use crate::sketch::{MinHasher, default_min_words};

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
pub(super) fn new_index_id() -> [u8; 16] {
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

pub(super) fn write_meta(
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

pub(super) fn read_meta(conn: &Connection, path: &Path) -> Result<(IndexParams, [u8; 16])> {
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
            "index schema version {version} is not supported by this neardiff (it reads version {SCHEMA_VERSION}); rebuild the index"
        )))
        .with_source(path.display().to_string())
        .with_remedy(crate::Remedy::RebuildIndex));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::store;

    #[test]
    fn invalid_parameters_name_the_parameter() {
        for (params, name) in [
            (IndexParams::new(0, 128, 0, 0.3), "shingle_size"),
            (IndexParams::new(4, 0, 0, 0.3), "num_perm"),
            (IndexParams::new(4, 4097, 0, 0.3), "num_perm"),
            (IndexParams::new(4, 128, 0, 0.01), "lsh_threshold"),
            (IndexParams::new(4, 128, 0, 1.5), "lsh_threshold"),
        ] {
            let err = params.unwrap_err().to_string();
            assert!(err.contains(name), "{err}");
        }
        let p = IndexParams::new(4, 128, 7, 0.3).unwrap();
        assert!(p.bands * p.rows <= p.num_perm);
        assert_eq!((p.plan().bands, p.plan().rows), (p.bands, p.rows));
        assert_eq!(p.sketch_params().min_words, default_min_words(4));
    }

    #[test]
    fn ids_are_fresh_and_survive_hex() {
        let (a, b) = (new_index_id(), new_index_id());
        assert_ne!(a, b);
        assert_eq!(unhex(&hex(&a)), Some(a));
        assert_eq!(hex(&[0, 0xab, 0x10]), "00ab10");
        assert_eq!(unhex("00"), None);
        assert_eq!(unhex(&"zz".repeat(16)), None);
        assert_eq!(unhex(&"é".repeat(16)), None);
    }

    #[test]
    fn parameters_read_back_and_a_changed_one_fails_its_checksum() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ix");
        let conn = store::create_fresh(&path).unwrap();
        let params = IndexParams::new(5, 64, 9, 0.5).unwrap();
        let id = new_index_id();
        write_meta(&conn, &path, &params, &id).unwrap();
        assert_eq!(read_meta(&conn, &path).unwrap(), (params, id));
        conn.execute("UPDATE meta SET value = '10' WHERE key = 'seed'", [])
            .unwrap();
        let err = read_meta(&conn, &path).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::Corrupt(_)), "{err}");
        assert!(err.to_string().contains("fail their checksum"), "{err}");
    }
}
