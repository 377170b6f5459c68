//! The catalogue store: one SQLite database with a rollback journal.
//!
//! Tables (schema version [`SCHEMA_VERSION`]):
//!
//! * `meta(key, value)`: format name, schema version, the index id, sketch
//!   and LSH parameters, and a checksum over all of them.
//! * `docs(doc, id, checksum)`: the live articles, by article number and
//!   id (the place of record for ids: duplicates, removal, update).
//! * `segments(seg, first, last, articles, entries, file_size,
//!   header_checksum, checksum)`: the segment files that hold the
//!   articles' fingerprints, metadata and bucket entries (see
//!   [`mod@super::catalog`] and [`mod@super::segment`]).
//! * `tombstones(doc, checksum)`: removed articles still present in a
//!   segment, until a merge drops them.
//!
//! Every row carries an XXH3 checksum over its other columns, checked
//! whenever it is read. Before SQLite opens the file, it and its journal
//! files are checked to be regular files (see `src/index/filetype.rs`: a
//! FIFO would make SQLite wait forever) and its header is checked (magic,
//! page size, page count against the file length), so a truncated file is
//! reported as such instead of being read as if the missing pages were
//! empty.

use std::io::Read;
use std::path::Path;

use rusqlite::{Connection, OpenFlags, ffi::ErrorCode};

use super::filetype::{self, Role};
use crate::error::{Error, ErrorKind, IoOp, Remedy, Result};

/// The format name stored in `meta`.
pub const FORMAT_NAME: &str = "neardiff-index";
/// The schema version this build reads and writes (4: signatures and
/// band keys are made from each article's fingerprint set, see
/// `MinHasher::sketch_fingerprints_into`; an index of version 3 has other
/// band keys and must be rebuilt).
pub const SCHEMA_VERSION: u32 = 4;

pub(crate) const SCHEMA: &str = "
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE docs (doc INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, checksum INTEGER NOT NULL);
CREATE TABLE segments (
    seg INTEGER PRIMARY KEY,
    first INTEGER NOT NULL,
    last INTEGER NOT NULL,
    articles INTEGER NOT NULL,
    entries INTEGER NOT NULL,
    file_size INTEGER NOT NULL,
    header_checksum INTEGER NOT NULL,
    checksum INTEGER NOT NULL
);
CREATE TABLE tombstones (doc INTEGER PRIMARY KEY, checksum INTEGER NOT NULL);
";

/// Maps a SQLite error to the library error, naming the index file. The
/// message names what failed (open, read, write, lock) as SQLite reports
/// it: a write into a read-only file is "cannot write", a lock held too
/// long "cannot lock".
pub(crate) fn sql_error(path: &Path, e: rusqlite::Error) -> Error {
    let name = path.display().to_string();
    if let rusqlite::Error::SqliteFailure(f, msg) = &e {
        let detail = msg.clone().unwrap_or_else(|| f.to_string());
        let verb = match f.code {
            ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase => {
                return Error::new(ErrorKind::Corrupt(format!(
                    "{detail}; the index is damaged: rebuild it"
                )))
                .with_source(name)
                .with_remedy(Remedy::RebuildIndex);
            }
            ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => {
                return failed(
                    "lock",
                    format!(
                        "{detail}: another process is writing the index; try again when it is done"
                    ),
                )
                .with_source(name);
            }
            ErrorCode::ReadOnly => {
                return failed(
                    "write",
                    format!(
                        "{detail}; writing to the index needs write access to its file and directory"
                    ),
                )
                .with_source(name);
            }
            ErrorCode::CannotOpen | ErrorCode::PermissionDenied => Some("open"),
            ErrorCode::DiskFull => Some("write"),
            ErrorCode::SystemIoFailure => io_verb(f.extended_code),
            _ => None,
        };
        return match verb {
            Some(verb) => failed(verb, detail),
            None => Error::new(ErrorKind::Io(std::io::Error::other(detail))),
        }
        .with_source(name);
    }
    Error::new(ErrorKind::Io(std::io::Error::other(e.to_string()))).with_source(name)
}

/// An error of an operation other than a read, with its verb: the library
/// error's I/O kind says "cannot read", so these carry their whole
/// message.
fn failed(verb: &str, detail: String) -> Error {
    Error::usage(format!("cannot {verb}: {detail}"))
}

/// The operation of a SQLite I/O error's extended code, where it is not a
/// read (`None`: a read, or not known).
fn io_verb(extended: std::ffi::c_int) -> Option<&'static str> {
    use rusqlite::ffi;
    match extended {
        ffi::SQLITE_IOERR_WRITE
        | ffi::SQLITE_IOERR_FSYNC
        | ffi::SQLITE_IOERR_DIR_FSYNC
        | ffi::SQLITE_IOERR_TRUNCATE
        | ffi::SQLITE_IOERR_DELETE
        | ffi::SQLITE_IOERR_DIR_CLOSE => Some("write"),
        ffi::SQLITE_IOERR_LOCK
        | ffi::SQLITE_IOERR_RDLOCK
        | ffi::SQLITE_IOERR_UNLOCK
        | ffi::SQLITE_IOERR_CHECKRESERVEDLOCK => Some("lock"),
        _ => None,
    }
}

pub(crate) fn corrupt(path: &Path, msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::Corrupt(msg.into())).with_source(path.display().to_string())
}

/// [`corrupt`] for a damaged index, whose message ends "rebuild the index"
/// (or "rebuild it"): the remedy names how ([`Remedy::RebuildIndex`]).
pub(crate) fn rebuild_corrupt(path: &Path, msg: impl Into<String>) -> Error {
    corrupt(path, msg).with_remedy(Remedy::RebuildIndex)
}

/// Checks the SQLite header of an existing file against its length (and
/// that it and its journal files are regular files: see
/// [`mod@super::filetype`]).
pub(crate) fn check_header(path: &Path) -> Result<()> {
    if !filetype::check(path, Role::Catalogue)? {
        return Err(Error::usage(format!(
            "{}: no index here; create one with `neardiff index build PATH... --index {}`",
            path.display(),
            path.display()
        )));
    }
    // SQLite opens a journal it finds beside the file to roll it back.
    for p in [journal_path(path), wal_path(path)] {
        filetype::check(&p, Role::Journal)?;
    }
    let (len, header, got) = read_header(path)?;
    if got < 100 || &header[..16] != b"SQLite format 3\0" {
        return Err(corrupt(
            path,
            "not a neardiff index (no SQLite header; truncated or overwritten?)",
        ));
    }
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65536u64,
        n if n >= 512 && n.is_power_of_two() => n as u64,
        n => {
            return Err(corrupt(
                path,
                format!("invalid page size {n} in the header"),
            ));
        }
    };
    if len % page_size != 0 {
        return Err(corrupt(
            path,
            format!(
                "file length {len} is not a multiple of the page size {page_size}: the file is truncated or damaged"
            ),
        ));
    }
    // Another process committing to the index changes its length and
    // header while it holds its lock, which this plain read does not take:
    // a mismatch counts only when the file stays the same over a short
    // wait. A file still changing after all the looks has a live writer,
    // and SQLite's own locking takes over from here.
    let (mut now, mut before) = ((len, header), None);
    for _ in 0..50 {
        let Some(mismatch) = length_mismatch(path, now.0, &now.1, page_size) else {
            return Ok(());
        };
        if before == Some(now) {
            return Err(corrupt(path, mismatch));
        }
        before = Some(now);
        std::thread::sleep(std::time::Duration::from_millis(10));
        let (len, header, _) = read_header(path)?;
        now = (len, header);
    }
    Ok(())
}

/// The file's length and the first 100 bytes of it (`got` of them read).
fn read_header(path: &Path) -> Result<(u64, [u8; 100], usize)> {
    let mut f = filetype::open(path, Role::Catalogue)?;
    let len = f
        .metadata()
        .map_err(|e| Error::io_at(IoOp::Access, path, e))?
        .len();
    let mut header = [0u8; 100];
    let mut got = 0;
    while got < header.len() {
        let n = f
            .read(&mut header[got..])
            .map_err(|e| Error::io_at(IoOp::Read, path, e))?;
        if n == 0 {
            break;
        }
        got += n;
    }
    Ok((len, header, got))
}

/// How a file of `len` bytes disagrees with the page count its header
/// records, if it does and the count can be trusted.
fn length_mismatch(path: &Path, len: u64, header: &[u8; 100], page_size: u64) -> Option<String> {
    let be =
        |i: usize| u32::from_be_bytes([header[i], header[i + 1], header[i + 2], header[i + 3]]);
    let (change_counter, pages, valid_for) = (be(24), be(28) as u64, be(92));
    // The page count in the header is trustworthy when the change counter
    // matches and no write-ahead log holds newer pages (while a log exists
    // the file may be mid-checkpoint, and SQLite reads the size from the
    // log).
    let wal_len = std::fs::metadata(wal_path(path))
        .map(|m| m.len())
        .unwrap_or(0);
    let expected = pages * page_size;
    (change_counter == valid_for && pages > 0 && wal_len == 0 && len != expected).then(|| {
        format!(
            "the header records {pages} pages ({expected} bytes) but the file has {len} bytes: the file is truncated or damaged"
        )
    })
}

pub(crate) fn journal_path(path: &Path) -> std::path::PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push("-journal");
    s.into()
}

pub(crate) fn wal_path(path: &Path) -> std::path::PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push("-wal");
    s.into()
}

pub(crate) fn shm_path(path: &Path) -> std::path::PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push("-shm");
    s.into()
}

/// Opens an existing index file (read-write, so that a crashed writer's
/// log can be recovered; never creates it).
pub(crate) fn open_existing(path: &Path) -> Result<Connection> {
    check_header(path)?;
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| sql_error(path, e))?;
    conn.busy_timeout(std::time::Duration::from_secs(30))
        .map_err(|e| sql_error(path, e))?;
    // A small page cache: a check of one article reads a few hundred
    // pages once each, and recycling a few buffers costs less than
    // touching fresh memory for each page. Long runs map the file and
    // keep a larger cache ([`map_file`]).
    conn.execute_batch(
        "PRAGMA synchronous=FULL; PRAGMA cache_size=-512; PRAGMA mmap_size=0; PRAGMA temp_store=MEMORY;",
    )
    .map_err(|e| sql_error(path, e))?;
    Ok(conn)
}

/// Reads the file through a memory map (as far as SQLite maps: 2 GiB by
/// default) rather than copying pages into the page cache: a check of
/// 10,000 articles took half the CPU time that way, a check of one
/// article a little more (mapping and unmapping cost more than the few
/// reads they save).
pub(crate) fn map_file(conn: &Connection, path: &Path) -> Result<()> {
    conn.execute_batch("PRAGMA mmap_size=1099511627776; PRAGMA cache_size=-16384;")
        .map_err(|e| sql_error(path, e))
}

/// Creates a new database file for a build (no journal: the file is
/// renamed into place only when complete).
pub(crate) fn create_fresh(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path).map_err(|e| sql_error(path, e))?;
    conn.execute_batch(
        "PRAGMA page_size=4096; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-1048576; PRAGMA temp_store=MEMORY;",
    )
    .map_err(|e| sql_error(path, e))?;
    conn.execute_batch(SCHEMA).map_err(|e| sql_error(path, e))?;
    Ok(conn)
}

/// Replaces the contents of `out` with the little-endian `u32`s of `b` (a
/// trailing partial value is ignored).
pub(crate) fn read_u32s_into(out: &mut Vec<u32>, b: &[u8]) {
    out.clear();
    out.extend(
        b.chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])),
    );
}

/// The checksum of a `docs` row.
pub(crate) fn row_checksum(doc: u32, id: &str) -> i64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(&doc.to_le_bytes());
    h.update(id.as_bytes());
    h.digest() as i64
}

/// The bucket of a band key: its top 32 bits.
pub(crate) fn bucket_of(key: u64) -> u32 {
    (key >> 32) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A write into a catalogue SQLite opened read-only is reported as a
    /// failed write, not a failed read.
    #[test]
    fn a_write_into_a_read_only_catalogue_says_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("news.ndx");
        Connection::open(&path)
            .unwrap()
            .execute_batch("CREATE TABLE t (x INTEGER);")
            .unwrap();
        let ro = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        let e = ro.execute("INSERT INTO t VALUES (1)", []).unwrap_err();
        let msg = sql_error(&path, e).to_string();
        assert_eq!(
            msg,
            format!(
                "{}: cannot write: attempt to write a readonly database; writing to the index needs write access to its file and directory",
                path.display()
            )
        );
    }

    /// A lock another connection holds past the wait is a failed lock.
    #[test]
    fn a_busy_catalogue_says_lock() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("news.ndx");
        let a = Connection::open(&path).unwrap();
        a.execute_batch("CREATE TABLE t (x INTEGER); BEGIN IMMEDIATE;")
            .unwrap();
        let b = Connection::open(&path).unwrap();
        b.busy_timeout(std::time::Duration::ZERO).unwrap();
        let e = b.execute_batch("BEGIN IMMEDIATE;").unwrap_err();
        let msg = sql_error(&path, e).to_string();
        assert!(
            msg.starts_with(&format!(
                "{}: cannot lock: database is locked",
                path.display()
            )),
            "{msg}"
        );
        assert_eq!(msg.lines().count(), 1);
    }

    #[test]
    fn other_failures_keep_their_kind() {
        let path = Path::new("news.ndx");
        let corrupt = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT),
            None,
        );
        assert!(matches!(
            sql_error(path, corrupt).kind(),
            ErrorKind::Corrupt(_)
        ));
        let write = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_IOERR_WRITE),
            None,
        );
        assert!(
            sql_error(path, write)
                .to_string()
                .starts_with("news.ndx: cannot write: ")
        );
    }
}
