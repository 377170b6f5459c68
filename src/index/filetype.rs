//! File types: every file of an index (the catalogue, its rollback
//! journal, the segment files) is a regular file.
//!
//! Opening a FIFO for reading waits for a writer, and reading a character
//! device may never end, so a path that names anything other than a
//! regular file (a FIFO, a socket, a device, a directory) is refused
//! before it is opened, with one line naming it. Symbolic links are
//! followed: a link to a regular file is a regular file. Segment files are
//! opened without blocking (`O_NONBLOCK` on Linux, see `crate::sys`) and
//! the type of the opened handle is checked again, so a file swapped for a
//! FIFO between the look and the open is refused too.
//! SQLite opens the catalogue itself: the look before it is the check
//! there.

use std::fs::{File, FileType};
use std::path::Path;

use crate::error::{Error, IoOp, Result};

/// What a file of an index is, for messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// The catalogue (the path given to `--index`).
    Catalogue,
    /// The catalogue's rollback journal or write-ahead log.
    Journal,
    /// A segment file.
    Segment,
    /// A file written under a temporary name and renamed into place.
    Temporary,
}

impl Role {
    fn expected(self) -> &'static str {
        match self {
            Role::Catalogue => "expected an index file",
            Role::Journal => "expected the index's journal file",
            Role::Segment => "expected an index segment file",
            Role::Temporary => "expected a temporary file of an index being written",
        }
    }

    fn advice(self) -> &'static str {
        match self {
            Role::Catalogue => "give the path of an index",
            Role::Journal | Role::Temporary => "remove it",
            Role::Segment => "restore the file or rebuild the index",
        }
    }
}

/// How a file type is named in messages.
fn kind_name(t: FileType) -> &'static str {
    if t.is_dir() {
        "a directory"
    } else {
        crate::sys::special_kind(t).unwrap_or("not a regular file")
    }
}

/// The error for a file of type `t` where a regular file was expected.
fn refused(path: &Path, t: FileType, role: Role) -> Error {
    let kind = kind_name(t);
    let what = if t.is_dir() {
        format!("is a directory, {}", role.expected())
    } else if kind == "not a regular file" {
        format!("{kind}, {}", role.expected())
    } else {
        format!("is {kind}, not a regular file; {}", role.expected())
    };
    let e =
        Error::usage(format!("{what}; {}", role.advice())).with_source(path.display().to_string());
    match role {
        Role::Segment => e.with_remedy(crate::Remedy::RebuildIndex),
        _ => e,
    }
}

/// Refuses `path` if it exists and is not a regular file (after following
/// symbolic links). Returns whether it exists.
pub(crate) fn check(path: &Path, role: Role) -> Result<bool> {
    match std::fs::metadata(path) {
        Ok(m) if m.file_type().is_file() => Ok(true),
        Ok(m) => Err(refused(path, m.file_type(), role)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(Error::io_at(IoOp::Access, path, e)),
    }
}

/// Opens an existing file for reading if it is a regular file: the path is
/// looked at first, the file is opened without blocking, and the opened
/// handle's type is checked.
pub(crate) fn open(path: &Path, role: Role) -> Result<File> {
    check(path, role)?;
    let file = nonblocking_read()
        .open(path)
        .map_err(|e| Error::io_at(IoOp::Open, path, e))?;
    regular(file, path, role)
}

/// Creates (or truncates) a file to write, if what is there is a regular
/// file or nothing, as [`open`] does.
pub(crate) fn create(path: &Path, role: Role) -> Result<File> {
    check(path, role)?;
    let mut o = File::options();
    o.read(true).write(true).create(true).truncate(true);
    let file = crate::sys::nonblocking(&mut o)
        .open(path)
        .map_err(|e| Error::io_at(IoOp::Create, path, e))?;
    regular(file, path, role)
}

/// The opened handle, if it is a regular file (the path may have been
/// replaced since it was looked at).
fn regular(file: File, path: &Path, role: Role) -> Result<File> {
    let meta = file
        .metadata()
        .map_err(|e| Error::io_at(IoOp::Access, path, e))?;
    if !meta.file_type().is_file() {
        return Err(refused(path, meta.file_type(), role));
    }
    Ok(file)
}

/// Options that open for reading without waiting for a FIFO's writer.
fn nonblocking_read() -> std::fs::OpenOptions {
    let mut o = File::options();
    o.read(true);
    crate::sys::nonblocking(&mut o);
    o
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::FileTypeExt;

    fn mkfifo(path: &Path) {
        let ok = std::process::Command::new("mkfifo")
            .arg(path)
            .status()
            .unwrap()
            .success();
        assert!(ok);
    }

    #[test]
    fn regular_files_pass_others_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("news.ndx");
        std::fs::write(&file, b"x").unwrap();
        assert!(check(&file, Role::Catalogue).unwrap());
        assert!(open(&file, Role::Segment).is_ok());
        let link = dir.path().join("link.ndx");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        assert!(open(&link, Role::Catalogue).is_ok());
        assert!(!check(&dir.path().join("none"), Role::Catalogue).unwrap());

        let fifo = dir.path().join("fifo.ndx");
        mkfifo(&fifo);
        let e = open(&fifo, Role::Catalogue).unwrap_err().to_string();
        assert_eq!(
            e,
            format!(
                "{}: is a FIFO, not a regular file; expected an index file; give the path of an index",
                fifo.display()
            )
        );
        let sub = dir.path().join("sub.seg");
        std::fs::create_dir(&sub).unwrap();
        let e = open(&sub, Role::Segment).unwrap_err().to_string();
        assert!(
            e.starts_with(&format!(
                "{}: is a directory, expected an index segment file; ",
                sub.display()
            )),
            "{e}"
        );
        let e = check(Path::new("/dev/null"), Role::Journal)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "/dev/null: is a character device, not a regular file; expected the index's journal file; remove it"
        );
    }

    /// The open itself does not wait for a FIFO's writer (the race between
    /// the look and the open), and the handle's type is what is refused.
    #[cfg(target_os = "linux")]
    #[test]
    fn opening_a_fifo_does_not_wait() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("x.seg");
        mkfifo(&fifo);
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let f = nonblocking_read().open(&fifo).unwrap();
            let _ = tx.send(f.metadata().unwrap().file_type().is_fifo());
        });
        let opened = rx.recv_timeout(std::time::Duration::from_secs(10));
        assert_eq!(opened, Ok(true), "the open of a FIFO waited for a writer");
    }
}
