//! The index segment reader (`index/segment/`) on damaged and made-up
//! segment files, opened both memory-mapped and with positioned reads.
//!
//! The first byte picks the file:
//!
//! * 0: the rest of the input as it is (it rarely passes the header
//!   checksum, so this covers the header checks);
//! * 1: a valid segment written by `write_segment` from articles and bucket
//!   entries drawn from the input, with bytes of the input XORed into it
//!   at places the input gives;
//! * 2: the same, its checksums then made to match again (as a writer with
//!   a bug or a forger would), so the reader's checks of the contents
//!   themselves run;
//! * 3: a header made from the input's counts with a consistent section
//!   table, the sections filled with the input's bytes, checksums made to
//!   match.
//!
//! Asserts: no panic and no unbounded allocation (libFuzzer's memory
//! limit); every error is one line naming the file. For an undamaged
//! segment every read gives what was written and `verify` passes; for a
//! damaged one (mode 1, checksums left as written) every read gives what
//! was written or an error, never a different answer, as the module
//! promises.
#![no_main]

use std::collections::BTreeMap;
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use neardiff::index::segment::{
    self, ABSENT, Access, ArticleMeta, DIR_BLOCK, ENTRY_BLOCK, FORMAT_VERSION, HEADER_LEN, MAGIC,
    Segment, SegmentEntry, TABLE_BLOCK,
};
use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

fuzz_target!(|data: &[u8]| {
    neardiff_fuzz::bounded(data.len(), || check(data));
});

/// Reads bytes off the front of the input, zeros once it is used up.
struct Cursor<'a>(&'a [u8]);

impl Cursor<'_> {
    fn u8(&mut self) -> u8 {
        let (b, rest) = neardiff_fuzz::take_byte(self.0);
        self.0 = rest;
        b
    }
    fn u32(&mut self) -> u32 {
        u32::from_le_bytes([self.u8(), self.u8(), self.u8(), self.u8()])
    }
    fn text(&mut self) -> String {
        let n = (self.u8() % 12) as usize;
        let bytes: Vec<u8> = (0..n).map(|_| self.u8()).collect();
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

/// What a segment was written with: each article's fingerprints and
/// metadata, and each bucket's (article, size) list.
#[derive(Default)]
struct Written {
    articles: BTreeMap<u32, (Vec<u32>, Meta)>,
    buckets: BTreeMap<u32, Vec<(u32, u32)>>,
}

#[derive(Debug, PartialEq)]
struct Meta {
    id: String,
    date: Option<String>,
    outlet: Option<String>,
    title: Option<String>,
    signature: Vec<u32>,
}

fn check(data: &[u8]) {
    let (mode, rest) = neardiff_fuzz::take_byte(data);
    let path = neardiff_fuzz::scratch_dir().join("fuzz.seg");
    let _ = std::fs::remove_file(&path);
    match mode % 4 {
        0 => {
            std::fs::write(&path, rest).unwrap();
            read_any(&path);
        }
        1 | 2 => {
            let mut c = Cursor(rest);
            let Some(written) = write(&path, &mut c) else {
                return;
            };
            let mut file = std::fs::read(&path).unwrap();
            let mut damaged = false;
            while !c.0.is_empty() && !file.is_empty() {
                let at = c.u32() as usize % file.len();
                let x = c.u8();
                damaged |= x != 0;
                file[at] ^= x;
            }
            if mode % 4 == 2 {
                let before = file.clone();
                reseal(&mut file);
                // The resealer computes the checksums the writer wrote.
                assert!(damaged || file == before, "reseal changed a valid segment");
                std::fs::write(&path, &file).unwrap();
                read_any(&path);
            } else {
                std::fs::write(&path, &file).unwrap();
                read_written(&path, &written, damaged);
            }
        }
        _ => {
            let mut file = made_up(&mut Cursor(rest));
            reseal(&mut file);
            std::fs::write(&path, &file).unwrap();
            read_any(&path);
        }
    }
}

/// Writes a valid segment of articles and entries drawn from `c`.
fn write(path: &Path, c: &mut Cursor) -> Option<Written> {
    let n = c.u8() as usize % 140;
    let sig_len = (c.u8() % 4) as usize;
    let mut written = Written::default();
    let mut article = c.u8() as u32;
    for _ in 0..n {
        let mut fps = Vec::new();
        let mut fp = 0u32;
        for _ in 0..c.u8() % 8 {
            fp = fp.saturating_add(c.u8() as u32 + 1);
            fps.push(fp);
        }
        fps.dedup();
        let meta = Meta {
            id: format!("a{article}"),
            date: (c.u8() & 1 == 1).then(|| c.text()),
            outlet: (c.u8() & 1 == 1).then(|| c.text()),
            title: (c.u8() & 1 == 1).then(|| c.text()),
            signature: (0..sig_len).map(|_| c.u32()).collect(),
        };
        written.articles.insert(article, (fps, meta));
        let gap = c.u8();
        article = article.checked_add(if gap < 200 { 1 } else { gap as u32 * 1000 })?;
    }
    let numbers: Vec<u32> = written.articles.keys().copied().collect();
    let mut entries = Vec::new();
    if !numbers.is_empty() {
        for _ in 0..c.u8() % 120 {
            let bucket = match c.u8() {
                b @ 0..128 => b as u32 % 8,
                _ => c.u32(),
            };
            let article = numbers[c.u8() as usize % numbers.len()];
            let size = c.u8() as u32;
            let list = written.buckets.entry(bucket).or_default();
            if !list.iter().any(|&(a, _)| a == article) {
                list.push((article, size));
                entries.push(SegmentEntry {
                    bucket,
                    article,
                    size,
                });
            }
        }
    }
    for list in written.buckets.values_mut() {
        list.sort();
    }
    let articles = written.articles.iter().map(|(&a, (fps, m))| {
        let meta = ArticleMeta {
            id: &m.id,
            date: m.date.as_deref(),
            outlet: m.outlet.as_deref(),
            title: m.title.as_deref(),
            signature: &m.signature,
        };
        (a, fps.as_slice(), meta)
    });
    match segment::write_segment(path, 7, [3; 16], articles, &mut entries) {
        Ok(_) => Some(written),
        Err(e) => panic!("writing a valid segment: {e}"),
    }
}

fn is_one_line_naming(e: &neardiff::Error, path: &Path) {
    let msg = e.to_string();
    assert!(!msg.contains('\n'), "a two-line error: {msg:?}");
    assert!(
        msg.contains(&path.display().to_string()),
        "an error that does not name the file: {msg:?}"
    );
}

/// Reads every part of a segment any way the API allows; only errors, no
/// panic, are allowed.
fn read_any(path: &Path) {
    for access in [Access::Map, Access::Read] {
        let seg = match Segment::open_with(path, access) {
            Ok(s) => s,
            Err(e) => {
                is_one_line_naming(&e, path);
                continue;
            }
        };
        let mut articles = Vec::new();
        let mut buckets = Vec::new();
        let _ = seg.for_each_entry(|e| buckets.push(e.bucket));
        let _ = seg.for_each_article(|a, _, m| {
            articles.push(a);
            let mut sig = Vec::new();
            m.signature_into(&mut sig);
            Ok(())
        });
        let _ = seg.articles_without_words(&|_| false);
        articles.extend([0, 1, u32::MAX, 1 << 31]);
        buckets.extend([0, u32::MAX, 1 << 31]);
        let (mut out, mut scratch, mut list) = (Vec::new(), Vec::new(), Vec::new());
        for &a in articles.iter().take(64) {
            for r in [
                seg.fingerprints(a, &mut out).map(drop),
                seg.fingerprints_ref(a, &mut scratch).map(drop),
                seg.meta(a).map(drop),
            ] {
                if let Err(e) = r {
                    is_one_line_naming(&e, path);
                }
            }
        }
        for &b in buckets.iter().take(64) {
            list.clear();
            if let Err(e) = seg.bucket(b, &mut list) {
                is_one_line_naming(&e, path);
            }
        }
        if let Err(e) = seg.verify() {
            is_one_line_naming(&e, path);
        }
    }
}

/// Reads a segment written from `written`: every answer is the one written
/// (or, when `damaged`, an error).
fn read_written(path: &Path, written: &Written, damaged: bool) {
    let ok_or_damaged = |r: neardiff::Result<()>, what: &str| match r {
        Ok(()) => {}
        Err(e) => {
            assert!(damaged, "{what} of an undamaged segment: {e}");
            is_one_line_naming(&e, path);
        }
    };
    for access in [Access::Map, Access::Read] {
        let seg = match Segment::open_with(path, access) {
            Ok(s) => s,
            Err(e) => {
                ok_or_damaged(Err(e), "open");
                continue;
            }
        };
        assert_eq!(seg.article_count(), written.articles.len() as u64);
        let mut queries: Vec<u32> = written.articles.keys().copied().collect();
        queries.extend(written.articles.keys().map(|a| a.wrapping_add(1)));
        queries.extend([0, 1, u32::MAX]);
        let (mut out, mut scratch) = (Vec::new(), Vec::new());
        for &a in &queries {
            let want = written.articles.get(&a);
            let got = seg.fingerprints(a, &mut out).map(|found| {
                assert_eq!(
                    found.then_some(&out),
                    want.map(|w| &w.0),
                    "fingerprints of {a}"
                );
            });
            ok_or_damaged(got, "fingerprints");
            let got = seg.fingerprints_ref(a, &mut scratch).map(|found| {
                assert_eq!(
                    found.map(<[u32]>::to_vec).as_ref(),
                    want.map(|w| &w.0),
                    "fingerprints_ref of {a}"
                );
            });
            ok_or_damaged(got, "fingerprints_ref");
            let got = seg.meta(a).map(|m| {
                let m = m.map(|m| Meta {
                    id: m.id.to_string(),
                    date: m.date.map(str::to_string),
                    outlet: m.outlet.map(str::to_string),
                    title: m.title.map(str::to_string),
                    signature: m.signature().collect(),
                });
                assert_eq!(m.as_ref(), want.map(|w| &w.1), "metadata of {a}");
            });
            ok_or_damaged(got, "meta");
        }
        let mut list = Vec::new();
        let mut buckets: Vec<u32> = written.buckets.keys().copied().collect();
        buckets.extend([0, 9, u32::MAX]);
        for &b in &buckets {
            list.clear();
            let got = seg.bucket(b, &mut list).map(|()| {
                let want = written.buckets.get(&b).map_or(&[][..], |l| &l[..]);
                assert_eq!(list, want, "bucket {b}");
            });
            ok_or_damaged(got, "bucket");
        }
        let mut all = Vec::new();
        let got = seg.for_each_article(|a, fps, m| {
            all.push((a, fps.to_vec(), m.id.to_string()));
            Ok(())
        });
        if got.is_ok() {
            let want: Vec<_> = written
                .articles
                .iter()
                .map(|(&a, (fps, m))| (a, fps.clone(), m.id.clone()))
                .collect();
            assert_eq!(all, want, "for_each_article");
        }
        ok_or_damaged(got, "for_each_article");
        ok_or_damaged(seg.verify(), "verify");
    }
}

/// Where each of the twelve sections starts and how long it is, and the
/// file's length, for the counts of a header (the layout of the module
/// documentation of `index/segment/mod.rs`).
fn layout(
    articles: u64,
    fps: u64,
    entries: u64,
    fence_bits: u32,
    heap: u64,
) -> ([(u64, u64); 12], u64) {
    let keys = articles.div_ceil(DIR_BLOCK as u64);
    let fence = (1u64 << fence_bits) + 1;
    let lens = [
        fps * 4,
        entries * 12,
        articles * 24,
        keys * 4,
        fence * 4,
        keys.div_ceil(TABLE_BLOCK as u64) * 8,
        keys * 8,
        fence.div_ceil(TABLE_BLOCK as u64) * 8,
        entries.div_ceil(ENTRY_BLOCK as u64) * 8,
        heap,
        articles * 32,
        keys * 8,
    ];
    let mut out = [(0, 0); 12];
    let mut at = HEADER_LEN as u64;
    for (slot, len) in out.iter_mut().zip(lens) {
        *slot = (at, len);
        at += len;
    }
    (out, at)
}

/// A segment of small made-up counts whose sections hold the input's bytes.
fn made_up(c: &mut Cursor) -> Vec<u8> {
    let articles = c.u8() as u64 % 100;
    let fps = c.u8() as u64 % 64;
    let entries = c.u8() as u64 % 64;
    let fence_bits = c.u8() as u32 % 6;
    let sig_len = c.u8() as u32 % 4;
    let heap = c.u8() as u64;
    let (sections, len) = layout(articles, fps, entries, fence_bits, heap);
    let mut file = vec![0u8; len as usize];
    file[..8].copy_from_slice(&MAGIC);
    file[8..12].copy_from_slice(&FORMAT_VERSION.to_le_bytes());
    file[12..16].copy_from_slice(&fence_bits.to_le_bytes());
    file[16..24].copy_from_slice(&7u64.to_le_bytes());
    for (at, v) in [(40, articles), (48, fps), (56, entries), (72, heap)] {
        file[at..at + 8].copy_from_slice(&v.to_le_bytes());
    }
    file[64..68].copy_from_slice(&sig_len.to_le_bytes());
    for (i, (off, l)) in sections.iter().enumerate() {
        let at = 80 + i * 16;
        file[at..at + 8].copy_from_slice(&off.to_le_bytes());
        file[at + 8..at + 16].copy_from_slice(&l.to_le_bytes());
    }
    file[272..280].copy_from_slice(&len.to_le_bytes());
    // Small values, often: article numbers, counts and offsets that point
    // somewhere.
    for b in &mut file[HEADER_LEN..] {
        let v = c.u8();
        *b = if v & 0x80 == 0 { v & 0x0f } else { v };
    }
    file
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().unwrap())
}

/// Makes every checksum of a file whose header holds a section table match
/// its contents: each article's fingerprints and metadata (where they lie
/// inside their sections), each block, then the header.
fn reseal(file: &mut [u8]) {
    if file.len() < HEADER_LEN {
        return;
    }
    let section = |i: usize| {
        let at = 80 + i * 16;
        let (off, len) = (u64_at(file, at) as usize, u64_at(file, at + 8) as usize);
        (
            off.min(file.len()),
            len.min(file.len() - off.min(file.len())),
        )
    };
    let s: Vec<(usize, usize)> = (0..12).map(section).collect();
    let sig_len = u32_at(file, 64) as usize;
    let (fp, dir, heap, meta) = (s[0], s[2], s[9], s[10]);
    for r in 0..dir.1 / 24 {
        let rec = dir.0 + r * 24;
        let (article, count, offset) = (
            u32_at(file, rec),
            u32_at(file, rec + 4) as usize,
            u64_at(file, rec + 8),
        );
        if let Some(sum) = sum_in(file, fp, offset, count.saturating_mul(4), article) {
            file[rec + 16..rec + 24].copy_from_slice(&sum.to_le_bytes());
        }
        let m = meta.0 + r * 32;
        if r < meta.1 / 32 {
            let total = (8..24)
                .step_by(4)
                .map(|k| u32_at(file, m + k))
                .filter(|&l| l != ABSENT)
                .fold(sig_len * 4, |t, l| t.saturating_add(l as usize));
            if let Some(sum) = sum_in(file, heap, u64_at(file, m), total, article) {
                file[m + 24..m + 32].copy_from_slice(&sum.to_le_bytes());
            }
        }
    }
    // (kind, data section, sums section, block bytes), as `Kind` in
    // index/segment/format.rs.
    let kinds = [
        (0u64, 3, 5, 4096),
        (1, 2, 6, 1536),
        (2, 4, 7, 4096),
        (3, 1, 8, 3072),
        (4, 10, 11, 2048),
    ];
    for (kind, data, sums, block) in kinds {
        let (d, sm) = (s[data], s[sums]);
        for b in 0..d.1.div_ceil(block) {
            let start = d.0 + b * block;
            let end = (start + block).min(d.0 + d.1);
            let sum = xxh3_64_with_seed(&file[start..end], ((kind + 1) << 56) | b as u64);
            if (b + 1) * 8 <= sm.1 {
                let at = sm.0 + b * 8;
                file[at..at + 8].copy_from_slice(&sum.to_le_bytes());
            }
        }
    }
    let sum = xxh3_64(&file[..HEADER_LEN - 8]);
    file[HEADER_LEN - 8..HEADER_LEN].copy_from_slice(&sum.to_le_bytes());
}

/// The checksum of `len` bytes at `offset` of a section, seeded with the
/// article; `None` when they do not lie inside it.
fn sum_in(
    file: &[u8],
    (start, size): (usize, usize),
    offset: u64,
    len: usize,
    article: u32,
) -> Option<u64> {
    let offset = usize::try_from(offset).ok()?;
    if offset.checked_add(len)? > size {
        return None;
    }
    Some(xxh3_64_with_seed(
        &file[start + offset..start + offset + len],
        article as u64,
    ))
}
