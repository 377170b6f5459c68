//! Results go to stdout through [`lock`], which tells a closed stdout from
//! one that works.
//!
//! When `neardiff` is started with file descriptor 1 closed (`>&-`), the
//! Rust runtime opens `/dev/null` in its place before `main`, so writes
//! would "succeed" and the results be lost with exit code 0. On Linux with
//! glibc a constructor that runs before the runtime notes whether
//! descriptor 1 was open; if it was not, every write of [`lock`]'s writer
//! fails with `EBADF` (exit code 2). Elsewhere a closed stdout is not
//! detected.

use std::io::Write;

/// The process's stdout, failing every write when it was closed at start.
pub struct Stdout {
    inner: std::io::StdoutLock<'static>,
    closed: bool,
}

/// Locks stdout for results.
pub fn lock() -> Stdout {
    Stdout {
        inner: std::io::stdout().lock(),
        closed: closed_at_start(),
    }
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.closed && !buf.is_empty() {
            return Err(closed_error());
        }
        self.inner.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod probe {
    use std::sync::atomic::{AtomicBool, Ordering};

    /// Whether descriptor 1 was closed when the process started.
    pub static CLOSED: AtomicBool = AtomicBool::new(false);

    /// Runs from `.init_array`, before the Rust runtime replaces a closed
    /// standard descriptor with `/dev/null`.
    extern "C" fn probe_stdout() {
        // SAFETY: F_GETFD only reads the descriptor's flags; it has no
        // effect on the descriptor and touches no memory of ours.
        let r = unsafe { libc::fcntl(1, libc::F_GETFD) };
        if r == -1 && std::io::Error::last_os_error().raw_os_error() == Some(libc::EBADF) {
            CLOSED.store(true, Ordering::Relaxed);
        }
    }

    // SAFETY: glibc calls every function of `.init_array` once, before
    // `main`, with (argc, argv, envp), which a function without parameters
    // ignores under the C calling convention; `probe_stdout` touches only
    // an atomic.
    #[used]
    #[unsafe(link_section = ".init_array")]
    static PROBE: extern "C" fn() = probe_stdout;

    pub fn closed() -> bool {
        CLOSED.load(Ordering::Relaxed)
    }

    pub fn error() -> std::io::Error {
        std::io::Error::from_raw_os_error(libc::EBADF)
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn closed_at_start() -> bool {
    probe::closed()
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn closed_error() -> std::io::Error {
    probe::error()
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn closed_at_start() -> bool {
    false
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn closed_error() -> std::io::Error {
    std::io::Error::other("stdout is closed")
}
