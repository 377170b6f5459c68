//! What one read of a check costs: a candidate's fingerprints and one
//! bucket's entries, through SQLite as `check` reads them today, against
//! the same bytes in a flat memory-mapped file read by address (the layout
//! `docs/index-storage.md` plans), and through a real segment file
//! (`neardiff::index::segment`: the same reads with every checksum
//! verified), and an article's metadata (id, date, outlet, title,
//! signature) read from the segment. See benches/README.md,
//! "index_read.rs".
//!
//! `NEARDIFF_BENCH_INDEX=path/to/news.ndx` measures an existing index (the
//! one `benches/index-bench.sh` builds); without it a synthetic index of
//! 100,000 articles is built in a temporary directory first. The flat
//! copies and the segment are written to a temporary directory before the
//! timed loops.

use std::hint::black_box;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use neardiff::Article;
use neardiff::index::segment::{ArticleMeta, Segment, SegmentEntry, SegmentWriter};
use neardiff::index::{self, Index, IndexParams, NewDoc, OnDuplicate};
use rusqlite::{Connection, OpenFlags};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// A synthetic index: 100,000 articles of 300 words, a third of them
/// edited copies of earlier ones.
fn synthetic_index(dir: &Path) -> PathBuf {
    let path = dir.join("synthetic.ndx");
    let params = IndexParams::new(4, 128, 0, index::DEFAULT_LSH_THRESHOLD).unwrap();
    let mut ix = Index::create(&path, &params).unwrap();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut texts: Vec<Vec<u32>> = Vec::new();
    for chunk in 0..10 {
        let mut docs = Vec::new();
        for i in 0..10_000 {
            let words: Vec<u32> = if texts.len() > 10 && rng.next() % 3 == 0 {
                let mut w = texts[rng.next() as usize % texts.len()].clone();
                for _ in 0..8 {
                    let p = rng.next() as usize % w.len();
                    w[p] = (rng.next() % 50_000) as u32;
                }
                w
            } else {
                (0..300).map(|_| (rng.next() % 50_000) as u32).collect()
            };
            let text: Vec<String> = words.iter().map(|w| format!("w{w}")).collect();
            texts.push(words);
            let article = Article {
                id: format!("a{}", chunk * 10_000 + i),
                text: text.join(" "),
                ..Default::default()
            };
            docs.push(NewDoc::sketch(article, &params));
        }
        ix.add_batch(docs, OnDuplicate::Error).unwrap();
    }
    path
}

fn open(path: &Path) -> Connection {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    // The pragmas of a batch check.
    conn.execute_batch("PRAGMA mmap_size=1099511627776; PRAGMA cache_size=-16384;")
        .unwrap();
    conn
}

fn le_u32s(b: &[u8], out: &mut Vec<u32>) {
    out.clear();
    out.extend(
        b.chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])),
    );
}

/// Writes every article's fingerprints into one file: a table of
/// (offset, length) per article number, then the fingerprints; adds them
/// to the segment too, with each article's metadata.
fn flat_fingerprints(
    conn: &Connection,
    out: &Path,
    segment: &mut SegmentWriter,
) -> (Vec<u32>, memmap2::Mmap) {
    let max: i64 = conn
        .query_row("SELECT MAX(doc) FROM docs", [], |r| r.get(0))
        .unwrap();
    let n = max as usize + 1;
    let mut table = vec![0u64; n];
    let mut data: Vec<u8> = Vec::new();
    let mut docs = Vec::new();
    let mut fps = Vec::new();
    let mut signature = Vec::new();
    let mut st = conn
        .prepare("SELECT doc, shingles, id, date, outlet, title, signature FROM docs ORDER BY doc")
        .unwrap();
    let mut rows = st.query([]).unwrap();
    let header = n * 8;
    while let Some(r) = rows.next().unwrap() {
        let doc: i64 = r.get(0).unwrap();
        let blob = r.get_ref(1).unwrap().as_blob().unwrap();
        table[doc as usize] = (((header + data.len()) as u64) << 24) | (blob.len() / 4) as u64;
        data.extend_from_slice(blob);
        le_u32s(blob, &mut fps);
        let text = |i: usize| r.get_ref(i).unwrap().as_str_or_null().unwrap();
        le_u32s(r.get_ref(6).unwrap().as_blob().unwrap(), &mut signature);
        let meta = ArticleMeta {
            id: text(2).unwrap(),
            date: text(3),
            outlet: text(4),
            title: text(5),
            signature: &signature,
        };
        segment.add_article(doc as u32, &fps, meta).unwrap();
        docs.push(doc as u32);
    }
    let mut w = BufWriter::new(std::fs::File::create(out).unwrap());
    for t in &table {
        w.write_all(&t.to_le_bytes()).unwrap();
    }
    w.write_all(&data).unwrap();
    w.into_inner().unwrap().sync_all().unwrap();
    let file = std::fs::File::open(out).unwrap();
    // SAFETY: the file is private to this benchmark and not changed while
    // mapped.
    let map = unsafe { memmap2::Mmap::map(&file).unwrap() };
    (docs, map)
}

fn flat_read(map: &[u8], doc: u32, out: &mut Vec<u32>) {
    let t = &map[doc as usize * 8..doc as usize * 8 + 8];
    let t = u64::from_le_bytes(t.try_into().unwrap());
    let (off, len) = ((t >> 24) as usize, (t & 0xff_ffff) as usize);
    le_u32s(&map[off..off + len * 4], out);
}

/// Every bucket entry of the index, sorted.
fn bucket_entries(conn: &Connection) -> Vec<SegmentEntry> {
    let mut entries = Vec::new();
    let mut st = conn.prepare("SELECT entries FROM bands").unwrap();
    let mut rows = st.query([]).unwrap();
    while let Some(r) = rows.next().unwrap() {
        let b = r.get_ref(0).unwrap().as_blob().unwrap();
        for e in b.chunks_exact(12) {
            let u = |i: usize| u32::from_le_bytes([e[i], e[i + 1], e[i + 2], e[i + 3]]);
            entries.push(SegmentEntry {
                bucket: u(0),
                article: u(4),
                size: u(8),
            });
        }
    }
    entries.sort_unstable();
    entries
}

/// Writes every bucket entry into one file, sorted by bucket: a fence table
/// (first entry of each value of the bucket's top 20 bits), then entries
/// of (bucket, article, size). Returns a sample of buckets, drawn by entry
/// (so large buckets come up as often as checks meet them).
fn flat_buckets(entries: &[SegmentEntry], out: &Path) -> (Vec<u32>, memmap2::Mmap) {
    // fence[k]: the first entry whose bucket's top 20 bits are at least k.
    let mut fence = Vec::with_capacity((1 << 20) + 1);
    let mut i = 0;
    for k in 0..=(1u32 << 20) {
        while i < entries.len() && (entries[i].bucket >> 12) < k {
            i += 1;
        }
        fence.push(i as u32);
    }
    let mut w = BufWriter::new(std::fs::File::create(out).unwrap());
    for f in &fence {
        w.write_all(&f.to_le_bytes()).unwrap();
    }
    for e in entries {
        for v in [e.bucket, e.article, e.size] {
            w.write_all(&v.to_le_bytes()).unwrap();
        }
    }
    w.into_inner().unwrap().sync_all().unwrap();
    let mut rng = Rng(12345);
    let sample = (0..10_000)
        .map(|_| entries[rng.next() as usize % entries.len()].bucket)
        .collect();
    let file = std::fs::File::open(out).unwrap();
    // SAFETY: as above.
    let map = unsafe { memmap2::Mmap::map(&file).unwrap() };
    (sample, map)
}

fn flat_bucket(map: &[u8], bucket: u32, out: &mut Vec<u64>) {
    let fence_len = (1 << 20) + 1;
    let f = |i: usize| u32::from_le_bytes(map[i * 4..i * 4 + 4].try_into().unwrap()) as usize;
    let (mut lo, mut hi) = (f((bucket >> 12) as usize), f((bucket >> 12) as usize + 1));
    let base = fence_len * 4;
    let at = |i: usize, j: usize| {
        let p = base + i * 12 + j * 4;
        u32::from_le_bytes(map[p..p + 4].try_into().unwrap())
    };
    while lo < hi {
        let mid = (lo + hi) / 2;
        if at(mid, 0) < bucket {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    out.clear();
    while base + lo * 12 < map.len() && at(lo, 0) == bucket {
        out.push(((at(lo, 1) as u64) << 32) | at(lo, 2) as u64);
        lo += 1;
    }
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = match std::env::var_os("NEARDIFF_BENCH_INDEX") {
        Some(p) => PathBuf::from(p),
        None => synthetic_index(dir.path()),
    };
    let conn = open(&path);
    let segment_path = dir.path().join("segment");
    let mut writer = SegmentWriter::create(&segment_path, 1, [0; 16]).unwrap();
    let (docs, fp_map) = flat_fingerprints(&conn, &dir.path().join("fingerprints"), &mut writer);
    let mut entries = bucket_entries(&conn);
    let (buckets, bucket_map) = flat_buckets(&entries, &dir.path().join("buckets"));
    writer.finish(&mut entries).unwrap();
    drop(entries);
    let segment = Segment::open(&segment_path).unwrap();
    let mut rng = Rng(777);
    let sample: Vec<u32> = (0..10_000)
        .map(|_| docs[rng.next() as usize % docs.len()])
        .collect();
    let mut g = c.benchmark_group("index_read");
    g.sample_size(50);

    let mut i = 0;
    let mut out = Vec::new();
    let mut st = conn
        .prepare_cached("SELECT signature, shingles FROM docs WHERE doc = ?1")
        .unwrap();
    g.bench_function("fingerprints/sqlite-row", |b| {
        b.iter(|| {
            let doc = sample[i % sample.len()];
            i += 1;
            let mut rows = st.query([doc]).unwrap();
            let r = rows.next().unwrap().unwrap();
            le_u32s(r.get_ref(1).unwrap().as_blob().unwrap(), &mut out);
            black_box(out.len())
        })
    });
    g.bench_function("fingerprints/flat-mmap", |b| {
        b.iter(|| {
            let doc = sample[i % sample.len()];
            i += 1;
            flat_read(&fp_map, doc, &mut out);
            black_box(out.len())
        })
    });
    // Reads of articles read before (checksums already passed): what
    // repeated candidates of a batch cost.
    g.bench_function("fingerprints/segment-repeat", |b| {
        b.iter(|| {
            let doc = sample[i % sample.len()];
            i += 1;
            assert!(segment.fingerprints(doc, &mut out).unwrap());
            black_box(out.len())
        })
    });
    // First reads: a freshly opened segment (new mapping, nothing verified)
    // reads 1,000 different articles; the time is per 1,000 reads.
    let mut start = 0;
    g.bench_function("fingerprints/segment-first-x1000", |b| {
        b.iter_batched(
            || Segment::open(&segment_path).unwrap(),
            |seg| {
                for k in 0..1000 {
                    let doc = sample[(start + k) % sample.len()];
                    assert!(seg.fingerprints(doc, &mut out).unwrap());
                }
                start += 1000;
                // Returned, so that unmapping is not timed.
                seg
            },
            BatchSize::PerIteration,
        )
    });
    // An article's metadata, as a match shows it (its checksum already
    // passed: read before).
    let mut signature = Vec::new();
    g.bench_function("meta/segment-repeat", |b| {
        b.iter(|| {
            let doc = sample[i % sample.len()];
            i += 1;
            let meta = segment.meta(doc).unwrap().unwrap();
            meta.signature_into(&mut signature);
            black_box((
                meta.id.len(),
                meta.date,
                meta.outlet,
                meta.title,
                signature.len(),
            ))
        })
    });
    let mut other = Vec::new();
    flat_read(&fp_map, sample[1], &mut other);
    g.bench_function("fingerprints/intersection", |b| {
        b.iter(|| {
            let doc = sample[i % sample.len()];
            i += 1;
            flat_read(&fp_map, doc, &mut out);
            black_box(neardiff::dedup::sketch::intersection_len(&out, &other))
        })
    });

    let mut found = Vec::new();
    let mut lookup = conn
        .prepare_cached(
            "SELECT chunk, entries FROM bands WHERE chunk BETWEEN ?1 AND ?2 ORDER BY chunk DESC LIMIT 1",
        )
        .unwrap();
    let runs: Vec<i64> = conn
        .prepare("SELECT run FROM runs ORDER BY run")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    g.bench_function("bucket/sqlite-chunks", |b| {
        b.iter(|| {
            let bucket = buckets[i % buckets.len()];
            i += 1;
            found.clear();
            for &run in &runs {
                let mut rows = lookup
                    .query([run << 32, (run << 32) | bucket as i64])
                    .unwrap();
                if let Some(r) = rows.next().unwrap() {
                    let bytes = r.get_ref(1).unwrap().as_blob().unwrap();
                    for e in bytes.chunks_exact(12) {
                        let u = |i: usize| u32::from_le_bytes([e[i], e[i + 1], e[i + 2], e[i + 3]]);
                        if u(0) == bucket {
                            found.push(((u(4) as u64) << 32) | u(8) as u64);
                        }
                    }
                }
            }
            black_box(found.len())
        })
    });
    g.bench_function("bucket/flat-mmap", |b| {
        b.iter(|| {
            let bucket = buckets[i % buckets.len()];
            i += 1;
            flat_bucket(&bucket_map, bucket, &mut found);
            black_box(found.len())
        })
    });
    let mut pairs = Vec::new();
    g.bench_function("bucket/segment-repeat", |b| {
        b.iter(|| {
            let bucket = buckets[i % buckets.len()];
            i += 1;
            pairs.clear();
            segment.bucket(bucket, &mut pairs).unwrap();
            black_box(pairs.len())
        })
    });
    g.bench_function("bucket/segment-first-x1000", |b| {
        b.iter_batched(
            || Segment::open(&segment_path).unwrap(),
            |seg| {
                for k in 0..1000 {
                    pairs.clear();
                    seg.bucket(buckets[(start + k) % buckets.len()], &mut pairs)
                        .unwrap();
                }
                start += 1000;
                seg
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
