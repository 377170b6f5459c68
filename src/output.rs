//! Writing output files safely: to a temporary file in the same directory,
//! then renamed over the target, so a reader never sees half a file and a
//! failed run leaves the old file as it was.
//!
//! Only regular files are replaced that way. A device, pipe or socket (for
//! example `--output /dev/null` or `--output /dev/stdout`) is written in
//! place, since renaming over it would replace the device node with a plain
//! file; a symbolic link is followed, so the file it points at is replaced
//! and the link stays.
//!
//! The temporary file is `.NAME.PID.N.tmp` beside the target, locked by its
//! writer until it is renamed. A writer that is killed leaves it behind;
//! the next write to the same target deletes it when it is provably stale:
//! not locked (every writer holds the lock until the rename) and, on Linux
//! with glibc, its PID is not a running process (which also closes the gap
//! between a writer creating its file and locking it).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, IoOp, Result};

/// Writes a file atomically: `write` fills a temporary file in the same
/// directory, which is renamed over `path` only when everything succeeded;
/// on failure it is removed and `path` is left as it was.
pub fn write_atomic(path: &Path, write: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    // Messages name `path` as the user gave it: not the temporary file,
    // not a symbolic link's target.
    let given = path;
    let fail = |op, e| Error::io_at(op, given, e);
    let name = || given.display().to_string();
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => {
            return Err(Error::usage(format!(
                "{}: is a directory; give a file name to write to",
                path.display()
            )));
        }
        Ok(m) if !m.is_file() => return write_in_place(path, write),
        _ => {}
    }
    let resolved;
    let path = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => match std::fs::canonicalize(path) {
            Ok(p) => {
                resolved = p;
                resolved.as_path()
            }
            // A dangling link: writing through it creates the file it names.
            Err(_) => return write_in_place(path, write),
        },
        _ => path,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    remove_stale_temporaries(&dir, &file_name);
    let mut n = 0u32;
    let (tmp, file) = loop {
        let tmp = dir.join(format!(".{file_name}.{}.{n}.tmp", std::process::id()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(f) => break (tmp, f),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 100 => n += 1,
            Err(e) => return Err(fail(IoOp::Create, e)),
        }
    };
    // Held until the file is closed, after the rename: tells a later run
    // that this file is not stale while it is written.
    if let Err(e) = file.lock() {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(IoOp::Lock, e));
    }
    let result = (|| {
        let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
        write(&mut w).map_err(|e| e.or_io_context(IoOp::Write, name()))?;
        let file = w
            .into_inner()
            .map_err(|e| fail(IoOp::Write, e.into_error()))?;
        file.sync_all().map_err(|e| fail(IoOp::Sync, e))?;
        std::fs::rename(&tmp, path).map_err(|e| fail(IoOp::Rename, e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The temporary files of other processes found in a directory, by the
/// target they were for; each directory is listed once per process (a run
/// writing thousands of files into one directory lists it once).
type Leftovers = std::collections::HashMap<PathBuf, Vec<(String, u32, String)>>;

static LEFTOVERS: std::sync::Mutex<Option<Leftovers>> = std::sync::Mutex::new(None);

/// Deletes the temporary files that killed writers left for `file_name` in
/// `dir` (see the module documentation); anything else is left alone, and
/// nothing here can fail the write.
fn remove_stale_temporaries(dir: &Path, file_name: &str) {
    let mine = {
        let mut guard = LEFTOVERS.lock().unwrap_or_else(|e| e.into_inner());
        let found = guard
            .get_or_insert_with(Default::default)
            .entry(dir.to_path_buf())
            .or_insert_with(|| list_temporaries(dir));
        let (mine, others) = std::mem::take(found)
            .into_iter()
            .partition(|(target, _, _)| target == file_name);
        *found = others;
        mine
    };
    for (_, pid, name) in mine {
        if process_may_be_running(pid) {
            continue;
        }
        let path = dir.join(&name);
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if !meta.is_file() {
            continue;
        }
        let Ok(file) = std::fs::File::open(&path) else {
            continue;
        };
        if file.try_lock().is_ok() {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// The files of `dir` named like another process's temporary file, as
/// (target, PID, name).
fn list_temporaries(dir: &Path) -> Vec<(String, u32, String)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let own = std::process::id();
    entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let (target, pid) = parse_temporary(&name)?;
            (pid != own).then(|| (target.to_string(), pid, name.clone()))
        })
        .collect()
}

/// `.NAME.PID.N.tmp` -> (NAME, PID).
fn parse_temporary(name: &str) -> Option<(&str, u32)> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let rest = name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (rest, n) = rest.rsplit_once('.')?;
    let (target, pid) = rest.rsplit_once('.')?;
    if target.is_empty() || !digits(n) || !digits(pid) {
        return None;
    }
    Some((target, pid.parse().ok()?))
}

/// Whether process `pid` may be running: `kill(pid, 0)` fails with ESRCH
/// only when there is no such process.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn process_may_be_running(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: signal 0 sends nothing; kill only checks that the process
    // exists and may be signalled.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

/// Elsewhere the lock alone decides.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn process_may_be_running(_pid: u32) -> bool {
    false
}

/// Writes straight to `path` (a device, pipe or the target of a dangling
/// link), where a temporary file and a rename make no sense.
fn write_in_place(path: &Path, write: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)
        .map_err(|e| Error::io_at(IoOp::Open, path, e))?;
    let mut w = std::io::BufWriter::with_capacity(1 << 16, file);
    write(&mut w).map_err(|e| e.or_io_context(IoOp::Write, path.display().to_string()))?;
    w.flush().map_err(|e| Error::io_at(IoOp::Write, path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_write_keeps_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.txt");
        std::fs::write(&p, "old").unwrap();
        let r = write_atomic(&p, |w: &mut dyn Write| {
            w.write_all(b"partial").map_err(|e| Error::io(&p, e))?;
            Err(Error::usage("boom"))
        });
        assert!(r.is_err());
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        write_atomic(&p, |w: &mut dyn Write| {
            w.write_all(b"new").map_err(|e| Error::io(&p, e))
        })
        .unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
    }

    #[cfg(unix)]
    #[test]
    fn device_is_written_in_place_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let p = Path::new("/dev/null");
        write_atomic(p, |w: &mut dyn Write| {
            w.write_all(b"discarded").map_err(|e| Error::io(p, e))
        })
        .unwrap();
        let ft = std::fs::metadata(p).unwrap().file_type();
        assert!(ft.is_char_device(), "/dev/null was replaced: {ft:?}");
    }

    #[cfg(unix)]
    #[test]
    fn symlink_target_is_replaced_and_link_kept() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.txt");
        let link = dir.path().join("link.txt");
        std::fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomic(&link, |w: &mut dyn Write| {
            w.write_all(b"new").map_err(|e| Error::io(&link, e))
        })
        .unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
    }

    #[test]
    fn errors_name_the_path_given_not_the_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("missing").join("out.txt");
        let e = write_atomic(&p, |_| Ok(())).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("{}: cannot create: No such file or directory", p.display())
        );
        let p = dir.path().join("out.txt");
        let e = write_atomic(&p, |_| {
            Err(Error::new(crate::ErrorKind::Io(
                std::io::Error::from_raw_os_error(28),
            )))
        })
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("{}: cannot write: No space left on device", p.display())
        );
    }

    #[test]
    fn temporary_names_are_parsed_strictly() {
        assert_eq!(
            parse_temporary(".out.json.123.0.tmp"),
            Some(("out.json", 123))
        );
        assert_eq!(parse_temporary(".a.b.7.12.tmp"), Some(("a.b", 7)));
        for other in [
            "out.json.123.0.tmp",
            ".out.json.123.tmp",
            "..123.0.tmp",
            ".out.+1.0.tmp",
            ".out.1.x.tmp",
            ".out.1.0.tmp.bak",
        ] {
            assert_eq!(parse_temporary(other), None, "{other}");
        }
    }

    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[test]
    fn stale_temporaries_go_live_and_locked_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.txt");
        // Above the largest PID Linux hands out (2^22): no such process.
        let dead = 4_194_305;
        let stale = dir.path().join(format!(".out.txt.{dead}.0.tmp"));
        let locked = dir.path().join(format!(".out.txt.{dead}.1.tmp"));
        let live = dir.path().join(".out.txt.1.0.tmp");
        let other_target = dir.path().join(format!(".other.txt.{dead}.0.tmp"));
        for f in [&stale, &locked, &live, &other_target] {
            std::fs::write(f, "half").unwrap();
        }
        let holder = std::fs::File::open(&locked).unwrap();
        holder.lock().unwrap();
        write_atomic(&p, |w: &mut dyn Write| {
            w.write_all(b"new").map_err(|e| Error::io(&p, e))
        })
        .unwrap();
        assert!(!stale.exists());
        assert!(locked.exists(), "a writer still holds it");
        assert!(live.exists(), "PID 1 is running");
        assert!(other_target.exists(), "another target's");
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
    }

    #[test]
    fn directory_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let r = write_atomic(dir.path(), |_| Ok(()));
        assert!(r.unwrap_err().to_string().contains("is a directory"));
    }
}
