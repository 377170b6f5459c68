//! Headless Chromium for the end-to-end tests of the HTML reports. The
//! browser is the one `NEARDIFF_CHROMIUM` names, else the first Chromium or
//! Chrome found on the `PATH` or at its usual place; on a Debian machine
//! without one, the tests install Debian's `chromium` package themselves
//! (as root). Elsewhere they fail with a message saying how to get one:
//! they never pass without a browser.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Where Debian's package puts the browser.
const DEBIAN_CHROMIUM: &str = "/usr/bin/chromium";

/// A browser already on this machine, if any.
fn find_chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("NEARDIFF_CHROMIUM") {
        let p = PathBuf::from(p);
        assert!(
            p.is_file(),
            "NEARDIFF_CHROMIUM names {}, which is not a file",
            p.display()
        );
        return Some(p);
    }
    let names = [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ];
    let on_path = std::env::var_os("PATH").into_iter().flat_map(|paths| {
        std::env::split_paths(&paths)
            .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
            .collect::<Vec<_>>()
    });
    let usual = [
        DEBIAN_CHROMIUM,
        "/Applications/Chromium.app/Contents/MacOS/Chromium",
        "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    ]
    .map(PathBuf::from);
    on_path.chain(usual).find(|p| p.is_file())
}

/// The browser: found, or installed with apt on Debian; fails loudly when
/// neither works, so the test never passes without a browser.
fn ensure_chromium() -> PathBuf {
    // Tests of one binary run on several threads; only one of them may run
    // apt-get (a second `apt-get update` fails on the lists lock).
    static INSTALL: Mutex<()> = Mutex::new(());
    let _one_at_a_time = INSTALL.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(p) = find_chromium() {
        return p;
    }
    let how = "install Chromium or Chrome (Debian: `apt-get install chromium`; macOS: \
               `brew install --cask chromium`), or set NEARDIFF_CHROMIUM to the browser's path";
    let debian =
        Path::new("/etc/debian_version").exists() && Path::new("/usr/bin/apt-get").exists();
    assert!(
        debian,
        "the HTML report tests need a headless Chromium and none was found: {how}"
    );
    eprintln!("no Chromium found; installing the Debian package chromium");
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
    let path = PathBuf::from(DEBIAN_CHROMIUM);
    assert!(
        ok && path.exists(),
        "could not install Chromium (`apt-get update && apt-get install -y chromium` failed, \
         it needs root and Debian's package archive); {how}"
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
