//! The bucket table as sorted runs: how band entries are written, merged
//! and looked up.
//!
//! A bucket entry is (bucket, article number, article size): the bucket is
//! the top 32 bits of a band key, the size the article's number of distinct
//! shingles (so that a check can bound a candidate's Jaccard similarity
//! before reading its row). Entries are kept in *runs*, each sorted by
//! (bucket, article) and cut into chunks of about [`CHUNK_ENTRIES`]
//! entries; one chunk is one row of the `bands` table, keyed by
//! `run << 32 | first bucket`, with an XXH3 checksum over its key and
//! bytes. A bucket never spans two chunks of a run, so a lookup is one
//! B-tree descent per run: the chunk with the greatest key at or below
//! `run << 32 | bucket`.
//!
//! `index build` writes one run. Each batch of `index add` appends one new
//! run (a sequential write, whatever the index size) and then merges runs
//! while the newest holds at least 1/[`MERGE_RATIO`] of the entries of the
//! one before it, or while there are more than [`MAX_RUNS`]: run sizes fall
//! geometrically from the oldest to the newest, so a lookup reads a few
//! runs and every entry is rewritten a few times (the log of the number of
//! batches) over the life of the index. Every write, and every merge, is
//! one transaction.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};

use super::store::{corrupt, sql_error};
use crate::error::Result;

/// Entries per chunk (12 bytes each: a chunk fits one 4 KiB page). A
/// bucket larger than this makes a larger chunk.
pub const CHUNK_ENTRIES: usize = 320;
/// A new run is merged into the one before it when it holds at least
/// `1 / MERGE_RATIO` of its entries.
pub const MERGE_RATIO: u64 = 2;
/// Runs are merged, newest first, while there are more than this.
pub const MAX_RUNS: usize = 6;

const ENTRY_BYTES: usize = 12;

/// One bucket entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Entry {
    /// The top 32 bits of the band key.
    pub bucket: u32,
    /// The article number.
    pub doc: u32,
    /// The article's distinct shingles.
    pub size: u32,
}

impl Entry {
    fn key(&self) -> u64 {
        ((self.bucket as u64) << 32) | self.doc as u64
    }
}

/// A run and its number of entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Run {
    pub id: u32,
    pub entries: u64,
}

fn chunk_key(run: u32, bucket: u32) -> i64 {
    ((run as i64) << 32) | bucket as i64
}

fn run_range(run: u32) -> (i64, i64) {
    (chunk_key(run, 0), chunk_key(run, u32::MAX))
}

/// The checksum of a chunk: its key and bytes.
fn chunk_checksum(key: i64, bytes: &[u8]) -> i64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(&key.to_le_bytes());
    h.update(bytes);
    h.digest() as i64
}

fn encode(entries: &[Entry], out: &mut Vec<u8>) {
    out.clear();
    for e in entries {
        out.extend_from_slice(&e.bucket.to_le_bytes());
        out.extend_from_slice(&e.doc.to_le_bytes());
        out.extend_from_slice(&e.size.to_le_bytes());
    }
}

fn entry_at(bytes: &[u8], i: usize) -> Entry {
    let b = &bytes[i * ENTRY_BYTES..(i + 1) * ENTRY_BYTES];
    let u = |j: usize| u32::from_le_bytes([b[j], b[j + 1], b[j + 2], b[j + 3]]);
    Entry {
        bucket: u(0),
        doc: u(4),
        size: u(8),
    }
}

fn damaged(path: &Path, key: i64) -> crate::Error {
    corrupt(
        path,
        format!(
            "bucket chunk {key} fails its checksum; the index is damaged: rebuild it with `neardiff index build --force`"
        ),
    )
}

/// Checks a chunk read from the table: checksum, length, and every entry
/// in the chunk's bucket range and in order.
fn check_chunk(path: &Path, key: i64, bytes: &[u8], sum: i64) -> Result<()> {
    if bytes.is_empty() || bytes.len() % ENTRY_BYTES != 0 || chunk_checksum(key, bytes) != sum {
        return Err(damaged(path, key));
    }
    Ok(())
}

/// The runs of the index, oldest first.
pub(crate) fn list(conn: &Connection, path: &Path) -> Result<Vec<Run>> {
    let mut st = conn
        .prepare_cached("SELECT run, entries FROM runs ORDER BY run")
        .map_err(|e| sql_error(path, e))?;
    let rows = st
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))
        .map_err(|e| sql_error(path, e))?;
    let mut out = Vec::new();
    for r in rows {
        let (id, n) = r.map_err(|e| sql_error(path, e))?;
        let (Ok(id), Ok(entries)) = (u32::try_from(id), u64::try_from(n)) else {
            return Err(corrupt(
                path,
                "invalid entry in the run table; rebuild the index",
            ));
        };
        if id > i32::MAX as u32 {
            return Err(corrupt(
                path,
                "invalid entry in the run table; rebuild the index",
            ));
        }
        out.push(Run { id, entries });
    }
    Ok(out)
}

/// A run id above every other.
fn next_run_id(conn: &Connection, path: &Path) -> Result<u32> {
    let next: i64 = conn
        .query_row("SELECT COALESCE(MAX(run), 0) + 1 FROM runs", [], |r| {
            r.get(0)
        })
        .map_err(|e| sql_error(path, e))?;
    if next > i32::MAX as i64 {
        return Err(corrupt(path, "too many runs; rebuild the index"));
    }
    Ok(next as u32)
}

/// The key and bytes of a chunk row (`chunk, entries, checksum`), checked.
fn chunk_of<'r>(path: &Path, r: &'r rusqlite::Row<'_>) -> Result<(i64, &'r [u8])> {
    let key: i64 = r.get(0).map_err(|e| sql_error(path, e))?;
    let bytes = match r.get_ref(1).map_err(|e| sql_error(path, e))? {
        rusqlite::types::ValueRef::Blob(b) => b,
        _ => return Err(damaged(path, key)),
    };
    let sum: i64 = r.get(2).map_err(|e| sql_error(path, e))?;
    check_chunk(path, key, bytes, sum)?;
    Ok((key, bytes))
}

/// Writes sorted entries as one new run (a new run id above every other);
/// returns it, or `None` for no entries.
pub(crate) fn write_run(conn: &Connection, path: &Path, entries: &[Entry]) -> Result<Option<Run>> {
    if entries.is_empty() {
        return Ok(None);
    }
    let next = next_run_id(conn, path)?;
    let mut w = RunWriter::new(conn, path, next)?;
    for e in entries {
        w.push(*e)?;
    }
    w.finish().map(Some)
}

/// Writes one run chunk by chunk from entries given in order.
struct RunWriter<'c> {
    ins: rusqlite::CachedStatement<'c>,
    conn: &'c Connection,
    path: &'c Path,
    run: u32,
    buf: Vec<Entry>,
    bytes: Vec<u8>,
    count: u64,
    last: Option<u64>,
}

impl<'c> RunWriter<'c> {
    fn new(conn: &'c Connection, path: &'c Path, run: u32) -> Result<RunWriter<'c>> {
        let ins = conn
            .prepare_cached("INSERT INTO bands(chunk, entries, checksum) VALUES (?1, ?2, ?3)")
            .map_err(|e| sql_error(path, e))?;
        Ok(RunWriter {
            ins,
            conn,
            path,
            run,
            buf: Vec::with_capacity(CHUNK_ENTRIES + 1),
            bytes: Vec::new(),
            count: 0,
            last: None,
        })
    }

    /// Adds the next entry; entries must come in increasing (bucket,
    /// article) order (a repeat is dropped).
    fn push(&mut self, e: Entry) -> Result<()> {
        if let Some(last) = self.last {
            if e.key() == last {
                return Ok(());
            }
            debug_assert!(e.key() > last);
        }
        self.last = Some(e.key());
        if self.buf.len() >= CHUNK_ENTRIES && self.buf.last().map(|l| l.bucket) != Some(e.bucket) {
            self.flush()?;
        }
        self.buf.push(e);
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let key = chunk_key(self.run, self.buf[0].bucket);
        encode(&self.buf, &mut self.bytes);
        let sum = chunk_checksum(key, &self.bytes);
        self.ins
            .execute(params![key, self.bytes, sum])
            .map_err(|e| sql_error(self.path, e))?;
        self.count += self.buf.len() as u64;
        self.buf.clear();
        Ok(())
    }

    fn finish(mut self) -> Result<Run> {
        self.flush()?;
        self.conn
            .execute(
                "INSERT INTO runs(run, entries) VALUES (?1, ?2)",
                params![self.run, self.count as i64],
            )
            .map_err(|e| sql_error(self.path, e))?;
        Ok(Run {
            id: self.run,
            entries: self.count,
        })
    }
}

/// Which two runs to merge next, if any (the two newest, while the newest
/// is not much smaller than the one before, or while there are too many).
pub(crate) fn next_merge(runs: &[Run]) -> Option<(Run, Run)> {
    let n = runs.len();
    if n < 2 {
        return None;
    }
    let (older, newer) = (runs[n - 2], runs[n - 1]);
    if newer.entries.saturating_mul(MERGE_RATIO) >= older.entries || n > MAX_RUNS {
        Some((older, newer))
    } else {
        None
    }
}

/// Reads a run's chunks in order, each checked.
struct RunReader<'s> {
    rows: rusqlite::Rows<'s>,
    path: &'s Path,
    chunk: Vec<u8>,
    pos: usize,
    last: Option<u64>,
}

impl<'s> RunReader<'s> {
    fn new(rows: rusqlite::Rows<'s>, path: &'s Path) -> RunReader<'s> {
        RunReader {
            rows,
            path,
            chunk: Vec::new(),
            pos: 0,
            last: None,
        }
    }

    fn next(&mut self) -> Result<Option<Entry>> {
        loop {
            if self.pos * ENTRY_BYTES < self.chunk.len() {
                let e = entry_at(&self.chunk, self.pos);
                self.pos += 1;
                // A run is sorted; one out of order is damaged.
                if self.last.is_some_and(|l| l >= e.key()) {
                    return Err(corrupt(
                        self.path,
                        "a run of bucket entries is out of order; rebuild the index",
                    ));
                }
                self.last = Some(e.key());
                return Ok(Some(e));
            }
            let Some(r) = self.rows.next().map_err(|e| sql_error(self.path, e))? else {
                return Ok(None);
            };
            let (_, bytes) = chunk_of(self.path, r)?;
            self.chunk.clear();
            self.chunk.extend_from_slice(bytes);
            self.pos = 0;
        }
    }
}

/// Merges two runs into a new one (in the caller's transaction) and
/// deletes them.
pub(crate) fn merge(conn: &Connection, path: &Path, a: Run, b: Run) -> Result<Run> {
    let next = next_run_id(conn, path)?;
    let sql =
        "SELECT chunk, entries, checksum FROM bands WHERE chunk BETWEEN ?1 AND ?2 ORDER BY chunk";
    let mut sa = conn.prepare(sql).map_err(|e| sql_error(path, e))?;
    let mut sb = conn.prepare(sql).map_err(|e| sql_error(path, e))?;
    let (alo, ahi) = run_range(a.id);
    let (blo, bhi) = run_range(b.id);
    let mut ra = RunReader::new(sa.query([alo, ahi]).map_err(|e| sql_error(path, e))?, path);
    let mut rb = RunReader::new(sb.query([blo, bhi]).map_err(|e| sql_error(path, e))?, path);
    let mut w = RunWriter::new(conn, path, next)?;
    let (mut x, mut y) = (ra.next()?, rb.next()?);
    loop {
        let e = match (x, y) {
            (Some(p), Some(q)) => {
                if p.key() <= q.key() {
                    x = ra.next()?;
                    p
                } else {
                    y = rb.next()?;
                    q
                }
            }
            (Some(p), None) => {
                x = ra.next()?;
                p
            }
            (None, Some(q)) => {
                y = rb.next()?;
                q
            }
            (None, None) => break,
        };
        w.push(e)?;
    }
    drop(ra);
    drop(rb);
    drop(sa);
    drop(sb);
    let merged = w.finish()?;
    for r in [a, b] {
        let (lo, hi) = run_range(r.id);
        conn.execute("DELETE FROM bands WHERE chunk BETWEEN ?1 AND ?2", [lo, hi])
            .map_err(|e| sql_error(path, e))?;
        conn.execute("DELETE FROM runs WHERE run = ?1", [r.id])
            .map_err(|e| sql_error(path, e))?;
    }
    Ok(merged)
}

/// Appends the entries of `bucket` in `run` to `out`.
pub(crate) fn lookup(
    conn: &Connection,
    path: &Path,
    run: u32,
    bucket: u32,
    out: &mut Vec<Entry>,
) -> Result<()> {
    let mut st = conn
        .prepare_cached(
            "SELECT chunk, entries, checksum FROM bands WHERE chunk BETWEEN ?1 AND ?2 ORDER BY chunk DESC LIMIT 1",
        )
        .map_err(|e| sql_error(path, e))?;
    let mut rows = st
        .query([chunk_key(run, 0), chunk_key(run, bucket)])
        .map_err(|e| sql_error(path, e))?;
    let Some(r) = rows.next().map_err(|e| sql_error(path, e))? else {
        return Ok(());
    };
    let (_, bytes) = chunk_of(path, r)?;
    let n = bytes.len() / ENTRY_BYTES;
    let bucket_of = |i: usize| {
        let b = &bytes[i * ENTRY_BYTES..i * ENTRY_BYTES + 4];
        u32::from_le_bytes([b[0], b[1], b[2], b[3]])
    };
    // First entry at or above the bucket.
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if bucket_of(mid) < bucket {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    while lo < n && bucket_of(lo) == bucket {
        out.push(entry_at(bytes, lo));
        lo += 1;
    }
    Ok(())
}

/// Removes entries (sorted, each given as (bucket, article)) from every
/// run, rewriting the chunks that hold them; returns how many were found.
pub(crate) fn remove(conn: &Connection, path: &Path, targets: &[(u32, u32)]) -> Result<u64> {
    let mut removed = 0;
    let runs = list(conn, path)?;
    let mut find = conn
        .prepare_cached(
            "SELECT chunk, entries, checksum FROM bands WHERE chunk BETWEEN ?1 AND ?2 ORDER BY chunk DESC LIMIT 1",
        )
        .map_err(|e| sql_error(path, e))?;
    let mut upd = conn
        .prepare_cached("UPDATE bands SET entries = ?2, checksum = ?3 WHERE chunk = ?1")
        .map_err(|e| sql_error(path, e))?;
    let mut del = conn
        .prepare_cached("DELETE FROM bands WHERE chunk = ?1")
        .map_err(|e| sql_error(path, e))?;
    let mut bytes = Vec::new();
    for run in runs {
        let mut gone = 0u64;
        let mut i = 0;
        while i < targets.len() {
            let found: Option<(i64, Vec<u8>, i64)> = find
                .query_row(
                    [chunk_key(run.id, 0), chunk_key(run.id, targets[i].0)],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()
                .map_err(|e| sql_error(path, e))?;
            let Some((key, old, sum)) = found else {
                i += 1;
                continue;
            };
            check_chunk(path, key, &old, sum)?;
            // The targets that fall in this chunk: up to the next chunk's
            // first bucket (unknown here, so take those the chunk holds).
            let mut entries: Vec<Entry> = (0..old.len() / ENTRY_BYTES)
                .map(|j| entry_at(&old, j))
                .collect();
            let before = entries.len();
            let mut j = i;
            let last_bucket = entries.last().map(|e| e.bucket).unwrap_or(0);
            while j < targets.len() && targets[j].0 <= last_bucket {
                j += 1;
            }
            let here = &targets[i..j.max(i + 1)];
            entries.retain(|e| here.binary_search(&(e.bucket, e.doc)).is_err());
            let n = (before - entries.len()) as u64;
            if n > 0 {
                if entries.is_empty() {
                    del.execute([key]).map_err(|e| sql_error(path, e))?;
                } else {
                    encode(&entries, &mut bytes);
                    upd.execute(params![key, bytes, chunk_checksum(key, &bytes)])
                        .map_err(|e| sql_error(path, e))?;
                }
                gone += n;
            }
            i = j.max(i + 1);
        }
        if gone > 0 {
            removed += gone;
            if gone >= run.entries {
                conn.execute("DELETE FROM runs WHERE run = ?1", [run.id])
                    .map_err(|e| sql_error(path, e))?;
            } else {
                conn.execute(
                    "UPDATE runs SET entries = ?2 WHERE run = ?1",
                    params![run.id, (run.entries - gone) as i64],
                )
                .map_err(|e| sql_error(path, e))?;
            }
        }
    }
    Ok(removed)
}

/// Reads every entry of every run, checking each chunk (checksum, order,
/// bucket range) and the entry count of each run; returns the entries as
/// (bucket << 32 | article, size), in no particular order.
pub(crate) fn scan_all(conn: &Connection, path: &Path) -> Result<Vec<(u64, u32)>> {
    let runs = list(conn, path)?;
    let mut out = Vec::new();
    let mut st = conn
        .prepare("SELECT chunk, entries, checksum FROM bands ORDER BY chunk")
        .map_err(|e| sql_error(path, e))?;
    let mut rows = st.query([]).map_err(|e| sql_error(path, e))?;
    let mut counts: Vec<(u32, u64)> = Vec::new();
    let mut last: Option<(u32, u64)> = None;
    while let Some(r) = rows.next().map_err(|e| sql_error(path, e))? {
        let (key, bytes) = chunk_of(path, r)?;
        let (run, first) = ((key >> 32) as u32, key as u32);
        if key < 0 {
            return Err(damaged(path, key));
        }
        match counts.last_mut() {
            Some((r, n)) if *r == run => *n += (bytes.len() / ENTRY_BYTES) as u64,
            _ => counts.push((run, (bytes.len() / ENTRY_BYTES) as u64)),
        }
        for i in 0..bytes.len() / ENTRY_BYTES {
            let e = entry_at(bytes, i);
            let in_order = match last {
                Some((r, k)) if r == run => e.key() > k,
                _ => true,
            };
            if !in_order || e.bucket < first {
                return Err(corrupt(
                    path,
                    format!("bucket chunk {key} is out of order; rebuild the index"),
                ));
            }
            last = Some((run, e.key()));
            out.push((e.key(), e.size));
        }
    }
    let listed: Vec<(u32, u64)> = runs.iter().map(|r| (r.id, r.entries)).collect();
    if listed != counts {
        return Err(corrupt(
            path,
            "the run table does not match the bucket chunks; rebuild the index",
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> (tempfile::TempDir, Connection, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(super::super::store::SCHEMA).unwrap();
        (dir, conn, path)
    }

    fn entries(seed: u64, n: usize, doc0: u32) -> Vec<Entry> {
        let mut x = seed;
        let mut v: Vec<Entry> = (0..n)
            .map(|i| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                Entry {
                    // Few buckets, so that some are larger than a chunk.
                    bucket: ((x >> 33) % 700) as u32 * 1_000_003,
                    doc: doc0 + i as u32,
                    size: (i % 97) as u32 + 1,
                }
            })
            .collect();
        v.sort_unstable();
        v
    }

    fn all_in(conn: &Connection, path: &Path, bucket: u32) -> Vec<Entry> {
        let mut out = Vec::new();
        for r in list(conn, path).unwrap() {
            lookup(conn, path, r.id, bucket, &mut out).unwrap();
        }
        out.sort_unstable();
        out
    }

    #[test]
    fn lookups_find_exactly_the_bucket_across_runs_and_merges() {
        let (_d, conn, path) = db();
        let mut all = Vec::new();
        for (i, n) in [5000usize, 3000, 40, 1].into_iter().enumerate() {
            let e = entries(i as u64 + 7, n, (i as u32) * 10_000);
            write_run(&conn, &path, &e).unwrap();
            all.extend(e);
            // As after each batch of `index add`.
            while let Some((a, b)) = next_merge(&list(&conn, &path).unwrap()) {
                merge(&conn, &path, a, b).unwrap();
            }
        }
        all.sort_unstable();
        let check = |conn: &Connection| {
            for b in (0..700u32).map(|b| b * 1_000_003).chain([1, u32::MAX]) {
                let want: Vec<Entry> = all.iter().copied().filter(|e| e.bucket == b).collect();
                assert_eq!(all_in(conn, &path, b), want, "bucket {b}");
            }
        };
        // 5000 + 3000 were merged, the small newest runs not.
        let left: Vec<u64> = list(&conn, &path)
            .unwrap()
            .iter()
            .map(|r| r.entries)
            .collect();
        assert_eq!(left, [8000, 40, 1]);
        check(&conn);
        while list(&conn, &path).unwrap().len() > 1 {
            let l = list(&conn, &path).unwrap();
            merge(&conn, &path, l[l.len() - 2], l[l.len() - 1]).unwrap();
        }
        check(&conn);
        let mut scanned = scan_all(&conn, &path).unwrap();
        scanned.sort_unstable();
        let want: Vec<(u64, u32)> = all.iter().map(|e| (e.key(), e.size)).collect();
        assert_eq!(scanned, want);
    }

    #[test]
    fn removal_rewrites_chunks_and_counts() {
        let (_d, conn, path) = db();
        let a = entries(1, 4000, 0);
        let b = entries(2, 2500, 100_000);
        write_run(&conn, &path, &a).unwrap();
        write_run(&conn, &path, &b).unwrap();
        let mut gone: Vec<(u32, u32)> = a
            .iter()
            .chain(&b)
            .step_by(3)
            .map(|e| (e.bucket, e.doc))
            .collect();
        gone.sort_unstable();
        assert_eq!(remove(&conn, &path, &gone).unwrap(), gone.len() as u64);
        let mut left: Vec<(u64, u32)> = a
            .iter()
            .chain(&b)
            .filter(|e| gone.binary_search(&(e.bucket, e.doc)).is_err())
            .map(|e| (e.key(), e.size))
            .collect();
        left.sort_unstable();
        let mut scanned = scan_all(&conn, &path).unwrap();
        scanned.sort_unstable();
        assert_eq!(scanned, left);
        let total: u64 = list(&conn, &path).unwrap().iter().map(|r| r.entries).sum();
        assert_eq!(total, left.len() as u64);
    }

    #[test]
    fn merge_policy_keeps_few_runs() {
        let mut runs = vec![Run {
            id: 1,
            entries: 50_000_000,
        }];
        let mut next = 2;
        for _ in 0..1000 {
            runs.push(Run {
                id: next,
                entries: 510_000,
            });
            next += 1;
            while let Some((a, b)) = next_merge(&runs) {
                runs.truncate(runs.len() - 2);
                runs.push(Run {
                    id: next,
                    entries: a.entries + b.entries,
                });
                next += 1;
            }
            assert!(runs.len() <= MAX_RUNS);
            assert!(
                runs.windows(2)
                    .all(|w| w[1].entries * MERGE_RATIO < w[0].entries)
            );
        }
    }
}
