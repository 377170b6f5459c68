//! Calls that differ between operating systems (those of the index, the
//! only part that needs any), each with a Unix and a
//! Windows (or portable) form, so that the rest of the library has no
//! `cfg` on the platform. Calls into `libc` are gated exactly as the
//! dependency is in `Cargo.toml` (`target_os = "linux"`); the few that need
//! glibc itself say so.

use std::fs::{File, FileType};

/// Reads exactly `buf.len()` bytes of `file` at `offset`, without moving a
/// shared cursor (readers on several threads share one handle).
pub(crate) fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
    }
    #[cfg(windows)]
    {
        let (mut buf, mut offset) = (buf, offset);
        while !buf.is_empty() {
            match std::os::windows::fs::FileExt::seek_read(file, buf, offset) {
                Ok(0) => {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::UnexpectedEof,
                        "failed to fill whole buffer",
                    ));
                }
                Ok(n) => {
                    buf = &mut buf[n..];
                    offset += n as u64;
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}

/// How a file type other than a regular file or a directory is named in
/// messages ("a FIFO", ...), where the system can tell.
pub(crate) fn special_kind(t: FileType) -> Option<&'static str> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            Some("a FIFO")
        } else if t.is_socket() {
            Some("a socket")
        } else if t.is_char_device() {
            Some("a character device")
        } else if t.is_block_device() {
            Some("a block device")
        } else {
            None
        }
    }
    #[cfg(not(unix))]
    {
        let _ = t;
        None
    }
}

/// Options that open a file without waiting for the other end of a FIFO
/// (`O_NONBLOCK`; the flag does not change reads or writes of a regular
/// file). Elsewhere a plain open: the look at the path before it is the
/// check.
pub(crate) fn nonblocking(o: &mut std::fs::OpenOptions) -> &mut std::fs::OpenOptions {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(libc::O_NONBLOCK)
    }
    #[cfg(not(target_os = "linux"))]
    {
        o
    }
}

/// Whether a process with this id may be running: `Some(false)` only when
/// the system says it is not; `None` where processes cannot be looked up.
pub(crate) fn process_running(pid: u32) -> Option<bool> {
    #[cfg(target_os = "linux")]
    {
        let proc = std::path::Path::new("/proc");
        if !proc.join("self").exists() {
            return None;
        }
        Some(proc.join(pid.to_string()).exists())
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = pid;
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_at_offsets() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        std::fs::write(&p, b"0123456789").unwrap();
        let f = File::open(&p).unwrap();
        let mut buf = [0u8; 4];
        read_exact_at(&f, &mut buf, 3).unwrap();
        assert_eq!(&buf, b"3456");
        let e = read_exact_at(&f, &mut buf, 8).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::UnexpectedEof);
    }

    #[test]
    fn regular_files_and_directories_are_not_special() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        std::fs::write(&p, b"x").unwrap();
        assert_eq!(
            special_kind(std::fs::metadata(&p).unwrap().file_type()),
            None
        );
        assert_eq!(
            special_kind(std::fs::metadata(dir.path()).unwrap().file_type()),
            None
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn this_process_runs() {
        assert_eq!(process_running(std::process::id()), Some(true));
        // Above the largest pid Linux hands out (2^22).
        assert_eq!(process_running(u32::MAX), Some(false));
    }
}
