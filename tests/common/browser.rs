//! Headless Chromium for the end-to-end tests of the HTML reports: found
//! at /usr/bin/chromium, or installed from Debian's package when missing.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Installs Chromium with apt when it is missing; fails loudly when that
/// does not work, so the test never passes without a browser.
fn ensure_chromium() -> PathBuf {
    // Tests of one binary run on several threads; only one of them may run
    // apt-get (a second `apt-get update` fails on the lists lock).
    static INSTALL: Mutex<()> = Mutex::new(());
    let _one_at_a_time = INSTALL.lock().unwrap_or_else(|e| e.into_inner());
    let path = PathBuf::from(CHROMIUM);
    if path.exists() {
        return path;
    }
    eprintln!("{CHROMIUM} is missing; installing the Debian package chromium");
    let apt = |args: &[&str]| {
        Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .map(|s| s.success())
            .unwrap_or(false)
    };
    // Another program may hold apt's locks for a while (an unattended
    // upgrade, a second test binary): wait for them rather than fail.
    let update = || {
        (0..5).any(|attempt| {
            if attempt > 0 {
                std::thread::sleep(Duration::from_secs(10));
            }
            apt(&["update", "-q", "-o", "DPkg::Lock::Timeout=300"])
        })
    };
    let ok = update()
        && apt(&[
            "install",
            "-y",
            "-q",
            "-o",
            "DPkg::Lock::Timeout=300",
            "chromium",
        ]);
    assert!(
        ok && path.exists(),
        "could not install Chromium (`apt-get update && apt-get install -y chromium` failed); \
         this test needs {CHROMIUM} and must not pass without it"
    );
    path
}

/// Runs Chromium headless on `url` with `extra` flags and a fresh profile;
/// returns its standard output. Fails after 60 s.
pub fn chromium(dir: &Path, name: &str, extra: &[&str], url: &str) -> String {
    let profile = dir.join(format!("profile-{name}"));
    // Output goes to files, not pipes: a DOM larger than a pipe's buffer
    // would block Chromium until someone reads it.
    let stdout_path = dir.join(format!("{name}.stdout"));
    let stderr_path = dir.join(format!("{name}.stderr"));
    let file = |p: &Path| std::fs::File::create(p).expect("create output file");
    let mut child = Command::new(ensure_chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(file(&stdout_path))
        .stderr(file(&stderr_path))
        .spawn()
        .expect("start chromium");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for chromium") {
            break status;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium ({name}) did not finish within 60 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        status.success(),
        "chromium ({name}) failed: {status}\n{}",
        std::fs::read_to_string(&stderr_path).unwrap_or_default()
    );
    std::fs::read_to_string(&stdout_path).expect("chromium prints UTF-8")
}
