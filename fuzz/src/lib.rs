//! Helpers shared by the fuzz targets: the time bound every target asserts,
//! the slowest-input report `run.sh` collects, splitting one input into
//! parts, and a scratch file per process for the readers that take paths.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The most one execution may take. An execution over it panics (libFuzzer
/// saves the input as a crash artifact, with the message).
pub const LIMIT: Duration = Duration::from_secs(1);

/// The slowest execution so far, in microseconds.
static SLOWEST_US: AtomicU64 = AtomicU64::new(0);

/// Runs `f` on an input of `len` bytes within [`LIMIT`]; panics with
/// `neardiff-fuzz: slow input` when it takes longer. Each time the slowest
/// execution so far grows by a quarter (and is over a millisecond), prints
/// `neardiff-fuzz: slowest <us> us (<len> bytes)` to stderr, which `run.sh`
/// reads.
pub fn bounded<R>(len: usize, f: impl FnOnce() -> R) -> R {
    let start = Instant::now();
    let r = f();
    let took = start.elapsed();
    let us = took.as_micros() as u64;
    let before = SLOWEST_US.load(Ordering::Relaxed);
    if us > before {
        SLOWEST_US.store(us, Ordering::Relaxed);
        if us >= 1000 && us > before + before / 4 {
            eprintln!("neardiff-fuzz: slowest {us} us ({len} bytes)");
        }
    }
    if took > LIMIT {
        panic!(
            "neardiff-fuzz: slow input: {} ms for {len} bytes (the limit is {} ms)",
            took.as_millis(),
            LIMIT.as_millis()
        );
    }
    r
}

/// The first byte (0 for an empty input) and the rest.
pub fn take_byte(data: &[u8]) -> (u8, &[u8]) {
    match data.split_first() {
        Some((&b, rest)) => (b, rest),
        None => (0, data),
    }
}

/// Splits at the first `0xFF` byte (never part of UTF-8): the part before
/// it and the part after (empty when there is none).
pub fn split2(data: &[u8]) -> (&[u8], &[u8]) {
    match data.iter().position(|&b| b == 0xFF) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[]),
    }
}

/// A scratch directory of this process (under `$TMPDIR`, or `/dev/shm`
/// when it exists, so that the file readers cost no disk writes), made on
/// first use. It is left behind when libFuzzer exits; `run.sh` removes
/// the directories of its runs.
pub fn scratch_dir() -> &'static Path {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let base = match std::env::var_os("TMPDIR") {
            Some(t) => PathBuf::from(t),
            None if Path::new("/dev/shm").is_dir() => PathBuf::from("/dev/shm"),
            None => std::env::temp_dir(),
        };
        let dir = base.join(format!("neardiff-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch directory");
        dir
    })
}

/// Writes `bytes` to `name` in the scratch directory and returns its path.
pub fn scratch_file(name: &str, bytes: &[u8]) -> PathBuf {
    let path = scratch_dir().join(name);
    std::fs::write(&path, bytes).expect("scratch file");
    path
}
