//! The `neardiff` binary on a few hundred generated bad and odd inputs:
//! mutated JSON articles and JSON Lines corpora (cut short, bytes flipped,
//! put in or taken out), invalid UTF-8, NUL bytes, empty and blank files,
//! lines longer than the reader's first block, random bytes, a broken gzip
//! stream, directories and missing paths, each given to `compare`,
//! `dedup`, `story` or `check` with odd but valid options.
//!
//! Every run must end within [`LIMIT`] with exit code 0, 1 or 2 (never a
//! panic's 101 or a signal); on 2, stderr is one line `neardiff: error: …`
//! naming the bad input; on 0 or 1, JSON output parses. The inputs come
//! from a fixed seed, so a failure repeats; the failing command is printed.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The longest a run may take (debug build, two cores shared with the rest
/// of the suite).
const LIMIT: Duration = Duration::from_secs(20);
/// Bad inputs generated; each is given to two commands.
const INPUTS: usize = 160;

/// xorshift64*: small, deterministic, good enough to pick cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }
    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name)
}

const SAMPLES: [&str; 6] = [
    "quote-word-changed-a.txt",
    "quote-word-changed-b.txt",
    "number-changed-a.txt",
    "multilingual-quotes-a.txt",
    "knesset-azerbaijan-jns.txt",
    "unrelated-b.txt",
];

fn sample_text(rng: &mut Rng) -> String {
    std::fs::read_to_string(sample(rng.pick(&SAMPLES))).unwrap()
}

/// The body of a sample, without its header lines.
fn sample_body(rng: &mut Rng) -> String {
    let text = sample_text(rng);
    match text.split_once("\n\n") {
        Some((_, body)) => body.to_string(),
        None => text,
    }
}

fn json_article(rng: &mut Rng, id: usize) -> String {
    let body = sample_body(rng);
    let cut = rng.below(body.len().min(1500) + 1);
    let body: String = body.chars().take(cut).collect();
    serde_json::json!({
        "id": format!("gen-{id}"),
        "outlet": rng.pick(&["Wire", "Outlet «Ω»", "", "\u{0}x"]),
        "date": rng.pick(&["2025-03-07", "yesterday", "2025-13-45"]),
        "title": "A \"quoted\" title\nover two lines",
        "text": body,
    })
    .to_string()
}

/// A byte-level damage: cut short, a byte flipped, put in or taken out, or
/// a slice repeated.
fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>) {
    if bytes.is_empty() {
        bytes.push(b'{');
        return;
    }
    let at = rng.below(bytes.len());
    match rng.below(5) {
        0 => bytes.truncate(at),
        1 => bytes[at] ^= 1 << rng.below(8),
        2 => bytes.insert(
            at,
            rng.pick(&[0u8, 0xff, 0xc3, b'"', b'\\', b'\n', b'{', b'}', b',', b'\r']),
        ),
        3 => {
            bytes.remove(at);
        }
        _ => {
            let end = (at + rng.below(64)).min(bytes.len());
            let slice = bytes[at..end].to_vec();
            bytes.splice(at..at, slice);
        }
    }
}

/// A bad or odd input in `dir`: its path (a file, a directory or a path
/// that does not exist) and whether it is small enough for `compare` and
/// `story` (the huge lines are for the corpus readers).
fn bad_input(rng: &mut Rng, dir: &Path, n: usize) -> (PathBuf, bool) {
    let file = |ext: &str| dir.join(format!("in{n}.{ext}"));
    let write = |path: PathBuf, bytes: &[u8]| {
        std::fs::write(&path, bytes).unwrap();
        path
    };
    match rng.below(12) {
        0 | 1 => {
            let mut b = json_article(rng, n).into_bytes();
            for _ in 0..1 + rng.below(3) {
                mutate(rng, &mut b);
            }
            (write(file("json"), &b), true)
        }
        2 | 3 => {
            let mut lines: Vec<Vec<u8>> = (0..1 + rng.below(6))
                .map(|i| json_article(rng, n * 10 + i).into_bytes())
                .collect();
            let k = rng.below(lines.len());
            mutate(rng, &mut lines[k]);
            if rng.chance(3) {
                lines.insert(rng.below(lines.len() + 1), b" \t\r".to_vec());
            }
            let sep: &[u8] = if rng.chance(2) { b"\n" } else { b"\r\n" };
            (write(file("jsonl"), &lines.join(sep)), true)
        }
        4 => {
            // Text with odd metadata.
            let head = rng.pick(&[
                " date 2025-03-07 \n\n",
                "title:\n\n",
                "date: \u{0}\ntitle: x\n\n",
                " date 9999/99/99 Headline without end\n",
                "id: \nurl: http://x\n\n\n",
                "\u{feff}{",
                "\u{feff}",
            ]);
            let mut b = head.as_bytes().to_vec();
            if rng.chance(2) {
                b.extend(sample_body(rng).bytes().take(rng.below(2000)));
            }
            (write(file("txt"), &b), true)
        }
        5 => {
            // Invalid UTF-8 or a NUL byte somewhere.
            let mut b = sample_text(rng).into_bytes();
            let at = rng.below(b.len());
            let bad: &[u8] =
                rng.pick(&[&b"\xff"[..], b"\xc3", b"\xed\xa0\x80", b"\0", b"\xe2\x80"]);
            b.splice(at..at, bad.iter().copied());
            let ext = rng.pick(&["txt", "json", "jsonl"]);
            (write(file(ext), &b), true)
        }
        6 => {
            let content: &[u8] =
                rng.pick(&[&b""[..], b" \n\t\r\n", b"\n\n\n", b"{}", b"[]", b"null"]);
            let ext = rng.pick(&["txt", "json", "jsonl"]);
            (write(file(ext), content), true)
        }
        7 => {
            // A line longer than the reader's first 64 KiB block.
            let word = rng.pick(&["word ", "\u{201c}q ", "x"]);
            let long = word.repeat(70_000 / word.len());
            let line = if rng.chance(2) {
                serde_json::json!({"id": "long", "text": long}).to_string()
            } else {
                format!("{{\"text\":\"{long}")
            };
            let b = format!("{}\n{line}\n", json_article(rng, n));
            (write(file("jsonl"), b.as_bytes()), false)
        }
        8 => {
            let len = rng.below(3000);
            let b: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            let ext = rng.pick(&["txt", "jsonl"]);
            (write(file(ext), &b), true)
        }
        9 => {
            // Not gzip, or gzip cut short.
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            gz.write_all(json_article(rng, n).as_bytes()).unwrap();
            let mut b = gz.finish().unwrap();
            b.truncate(rng.below(b.len()));
            (write(file("jsonl.gz"), &b), true)
        }
        10 => {
            // A directory: empty, or holding one bad file.
            let d = dir.join(format!("dir{n}"));
            std::fs::create_dir(&d).unwrap();
            if rng.chance(2) {
                let mut b = json_article(rng, n).into_bytes();
                mutate(rng, &mut b);
                std::fs::write(d.join("a.jsonl"), b).unwrap();
            }
            (d, true)
        }
        _ => (dir.join(format!("missing{n}.txt")), true),
    }
}

/// What a run's stdout must be on exit 0 or 1.
#[derive(Clone, Copy, Debug)]
enum Out {
    Any,
    Json,
    JsonLines,
}

struct Case {
    args: Vec<OsString>,
    /// The input an error must name.
    bad: PathBuf,
    out: Out,
}

fn os(s: impl AsRef<std::ffi::OsStr>) -> OsString {
    s.as_ref().to_owned()
}

fn case(rng: &mut Rng, bad: PathBuf, small: bool, index: &Path) -> Case {
    let good = sample(rng.pick(&SAMPLES)).into_os_string();
    let commands: &[&str] = if small {
        &["compare", "dedup", "story", "check"]
    } else {
        &["dedup", "check"]
    };
    let mut args: Vec<OsString> = vec![os(rng.pick(commands))];
    let mut out = Out::Any;
    match args[0].to_str().unwrap() {
        "compare" => {
            let format = rng.pick(&["text", "json", "markdown", "html"]);
            if format == "json" {
                out = Out::Json;
            }
            args.extend(["--format", format, "--shingle-size"].map(os));
            args.push(os(rng.pick(&["1", "2", "4", "32"])));
            args.extend([os("--num-perm"), os(rng.pick(&["1", "16", "128"]))]);
            args.extend([os("--seed"), rng.next().to_string().into()]);
            if rng.chance(2) {
                args.extend([
                    os("--fail-on"),
                    os(rng.pick(&["altered-quote", "changed-fact", "partial"])),
                ]);
            }
            args.extend([os("--color"), os(rng.pick(&["always", "never"]))]);
            let mut inputs = [bad.clone().into_os_string(), good];
            if rng.chance(2) {
                inputs.reverse();
            }
            args.extend(inputs);
        }
        "dedup" => {
            let format = rng.pick(&["jsonl", "csv"]);
            if format == "jsonl" {
                out = Out::JsonLines;
            }
            args.extend(["--format", format, "--metric"].map(os));
            args.push(os(rng.pick(&["jaccard", "containment"])));
            args.extend([os("--threshold"), os(rng.pick(&["0.01", "0.3", "1"]))]);
            args.extend([os("--shingle-size"), os(rng.pick(&["1", "3", "8"]))]);
            if rng.chance(3) {
                args.push(os("--pairs"));
            }
            if rng.chance(3) {
                args.push(os("--no-verify"));
            }
            args.push(bad.clone().into_os_string());
            if rng.chance(2) {
                args.push(good);
            }
        }
        "story" => {
            let format = rng.pick(&["text", "json", "html"]);
            if format == "json" {
                out = Out::Json;
            }
            args.extend(["--format", format, "--shingle-size"].map(os));
            args.push(os(rng.pick(&["1", "4", "32"])));
            let mut inputs = vec![good, sample("number-changed-b.txt").into_os_string()];
            inputs.insert(rng.below(3), bad.clone().into_os_string());
            args.extend(inputs);
        }
        _ => {
            let format = rng.pick(&["text", "json", "jsonl"]);
            out = match format {
                "json" => Out::Json,
                "jsonl" => Out::JsonLines,
                _ => Out::Any,
            };
            args.extend([os("--index"), index.as_os_str().to_owned()]);
            args.extend(["--format", format, "--metric"].map(os));
            args.push(os(rng.pick(&["jaccard", "containment"])));
            args.extend([os("--top"), os(rng.pick(&["1", "3"]))]);
            args.push(bad.clone().into_os_string());
        }
    }
    Case { args, bad, out }
}

/// Runs one case: its exit code, or what went wrong.
fn run(case: &Case, scratch: &Path) -> Result<i32, String> {
    let (out_path, err_path) = (scratch.join("stdout"), scratch.join("stderr"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_neardiff"))
        .args(&case.args)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .env_remove("NO_COLOR")
        .spawn()
        .map_err(|e| format!("cannot start: {e}"))?;
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("still running after {LIMIT:?}; killed"));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let stdout = std::fs::read(&out_path).unwrap();
    let stderr = String::from_utf8_lossy(&std::fs::read(&err_path).unwrap()).into_owned();
    let code = status
        .code()
        .ok_or_else(|| format!("killed by a signal ({status}); stderr: {stderr}"))?;
    match code {
        0 | 1 => {
            let text = String::from_utf8(stdout).map_err(|_| "stdout is not UTF-8".to_string())?;
            match case.out {
                Out::Any => {}
                Out::Json => {
                    serde_json::from_str::<serde_json::Value>(&text)
                        .map_err(|e| format!("exit {code}: JSON output does not parse: {e}"))?;
                }
                Out::JsonLines => {
                    for (i, line) in text.lines().enumerate() {
                        serde_json::from_str::<serde_json::Value>(line).map_err(|e| {
                            format!("exit {code}: JSON line {} does not parse: {e}", i + 1)
                        })?;
                    }
                }
            }
            Ok(code)
        }
        2 => {
            let lines: Vec<&str> = stderr.lines().collect();
            let name = case.bad.display().to_string();
            match lines[..] {
                [line] if line.starts_with("neardiff: error: ") && line.contains(&name) => Ok(2),
                _ => Err(format!(
                    "exit 2: stderr is not one line `neardiff: error: …` naming {name}: {stderr:?}"
                )),
            }
        }
        _ => Err(format!("exit code {code}; stderr: {stderr}")),
    }
}

#[test]
fn bad_and_odd_inputs_end_in_an_exit_code_and_one_error_line() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("news.ndx");
    let built = Command::new(env!("CARGO_BIN_EXE_neardiff"))
        .args(["index", "build", "--index"])
        .arg(&index)
        .args(SAMPLES.map(sample))
        .output()
        .unwrap();
    assert_eq!(built.status.code(), Some(0), "{built:?}");

    let mut rng = Rng(0x6e65_6172_6469_6666);
    let mut cases = Vec::new();
    for n in 0..INPUTS {
        let (bad, small) = bad_input(&mut rng, dir.path(), n);
        for _ in 0..2 {
            cases.push(case(&mut rng, bad.clone(), small, &index));
        }
    }
    // Two at a time: the suite's machines have at least two cores.
    let results: Vec<Result<i32, String>> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..2)
            .map(|w| {
                let cases = &cases;
                let scratch = dir.path().join(format!("run{w}"));
                std::fs::create_dir(&scratch).unwrap();
                s.spawn(move || {
                    let mut results = Vec::new();
                    for case in cases.iter().skip(w).step_by(2) {
                        results.push(run(case, &scratch).map_err(|e| {
                            let args: Vec<_> =
                                case.args.iter().map(|a| a.to_string_lossy()).collect();
                            format!("neardiff {}: {e}", args.join(" "))
                        }));
                    }
                    results
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    let failures: Vec<&String> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} runs failed:\n{}",
        failures.len(),
        cases.len(),
        failures
            .iter()
            .map(|f| f.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    // The inputs are a mix: some runs end in errors, some in reports.
    let errors = results.iter().filter(|r| matches!(r, Ok(2))).count();
    assert!(
        errors > cases.len() / 5 && errors < cases.len() * 4 / 5,
        "{errors} of {} runs ended in an error",
        cases.len()
    );
}
