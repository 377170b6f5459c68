//! The JSON Lines reader (`corpus::BatchReader`): a file of any bytes,
//! read once memory-mapped (`.jsonl`) and once as a gzip stream
//! (`.jsonl.gz`, read into blocks), each record then parsed.
//!
//! The first byte says how many times the rest is repeated to make the
//! file (1 to 64: files up to 256 KiB, so lines cross the reader's 64 KiB
//! first block and its doubled blocks); the second the batch size.
//! Asserts: both reads give exactly the oracle's records (the file split
//! at `\n`, line numbers from 1, trailing `\r`s cut, lines of ASCII
//! whitespace skipped) and count every byte; parsing a record into a body
//! buffer gives what a plain parse gives; errors are one line naming the
//! file and line.
#![no_main]

use std::io::Write;

use libfuzzer_sys::fuzz_target;
use neardiff::FieldMap;
use neardiff::Keep;
use neardiff::corpus::{BatchLimits, BatchReader, Input, InputFormat};

fuzz_target!(|data: &[u8]| {
    neardiff_fuzz::bounded(data.len(), || check(data));
});

fn check(data: &[u8]) {
    let (reps, rest) = neardiff_fuzz::take_byte(data);
    let (batch, rest) = neardiff_fuzz::take_byte(rest);
    let file = rest.repeat(reps as usize % 64 + 1);
    let want = oracle(&file);
    let limits = BatchLimits {
        records: batch as usize % 16 + 1,
        bytes: 1 << (batch >> 4),
    };

    let plain = neardiff_fuzz::scratch_file("fuzz.jsonl", &file);
    let got = read_all(&plain, limits, file.len());
    assert_eq!(got, want, "mapped read");

    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&file).unwrap();
    let packed = neardiff_fuzz::scratch_file("fuzz.jsonl.gz", &gz.finish().unwrap());
    let got = read_all(&packed, limits, file.len());
    assert_eq!(got, want, "gzip stream read");
}

/// The records of a JSON Lines file: (line, bytes).
fn oracle(file: &[u8]) -> Vec<(usize, Vec<u8>)> {
    let mut lines: Vec<&[u8]> = file.split(|&b| b == b'\n').collect();
    if file.ends_with(b"\n") || file.is_empty() {
        lines.pop();
    }
    let mut out = Vec::new();
    for (i, line) in lines.into_iter().enumerate() {
        let end = line.len() - line.iter().rev().take_while(|&&c| c == b'\r').count();
        let line = &line[..end];
        if !line.iter().all(u8::is_ascii_whitespace) {
            out.push((i + 1, line.to_vec()));
        }
    }
    out
}

fn read_all(path: &std::path::Path, limits: BatchLimits, len: usize) -> Vec<(usize, Vec<u8>)> {
    let input = Input {
        path: path.to_path_buf(),
        format: InputFormat::JsonLines,
    };
    let name = path.display().to_string();
    let mut reader = BatchReader::new(vec![input], limits).ramp_up();
    let mut got = Vec::new();
    let fields = FieldMap::default();
    let mut body = String::new();
    while let Some(batch) = reader.next_batch().expect("reading a scratch file") {
        assert!(!batch.is_empty() && batch.len() <= limits.records);
        for rec in batch {
            let line = rec.line.expect("a JSON Lines record has a line");
            let plain = rec.parse_keep(&fields, Keep::TEXT_ID_DATE);
            let buffered = rec.parse_keep_into(&fields, Keep::TEXT_ID_DATE, &mut body);
            match (plain, buffered) {
                (Ok(p), Ok(mut b)) => {
                    b.text = std::mem::take(&mut body);
                    assert_eq!(p, b);
                }
                (Err(p), Err(b)) => {
                    let (p, b) = (p.to_string(), b.to_string());
                    assert_eq!(p, b);
                    assert!(!p.contains('\n'), "a two-line error: {p:?}");
                    assert!(
                        p.starts_with(&format!("{name}:{line}: ")),
                        "no file and line: {p:?}"
                    );
                }
                (p, b) => panic!("plain {p:?}, buffered {b:?}"),
            }
            got.push((line, rec.bytes().to_vec()));
        }
    }
    assert_eq!(reader.bytes_read(), len as u64, "bytes counted");
    got
}
