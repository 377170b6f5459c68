//! What one read of a check costs: a candidate's fingerprints, its
//! metadata (id, date, outlet, title, signature) and one bucket's entries,
//! read from the index's segment files through
//! `neardiff::index::segment::Segment` as `check` reads them (checksums
//! verified), against the same bytes in a flat memory-mapped file read by
//! address (no checksums: the least a read can cost), and, for
//! fingerprints, against a SQLite row of the schema-2 layout (the `docs`
//! table `check` read before segments). See benches/README.md,
//! "index_read.rs".
//!
//! `NEARDIFF_BENCH_INDEX=path/to/news.ndx` measures an existing index (the
//! one `benches/index-bench.sh` builds; the bench only reads it); without
//! it a synthetic index of 100,000 articles is built in a temporary
//! directory first. The articles and bucket entries are read from the
//! segments of the index's view (`Index::view`) and copied into the flat
//! files and the SQLite table, in a temporary directory, before the timed
//! loops. An article is read from the segment holding its number, a bucket
//! from every segment (as `check` does).

use std::borrow::Borrow;
use std::hint::black_box;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use neardiff::Article;
use neardiff::index::segment::{Segment, SegmentEntry};
use neardiff::index::{self, Index, IndexParams, NewDoc, OnDuplicate};
use rusqlite::{Connection, OpenFlags, params};

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
            let words: Vec<u32> = if texts.len() > 10 && rng.next().is_multiple_of(3) {
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

/// The live articles of an index (its catalogue's `docs` table), sorted.
fn live_articles(path: &Path) -> Vec<u32> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let mut st = conn.prepare("SELECT doc FROM docs ORDER BY doc").unwrap();
    st.query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

/// The schema-2 `docs` table (schema version 2 kept every article's
/// fingerprints in it, and `check` read one row per candidate).
const SCHEMA2_DOCS: &str = "
CREATE TABLE docs (
    doc INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    date TEXT,
    outlet TEXT,
    title TEXT,
    num_shingles INTEGER NOT NULL,
    signature BLOB NOT NULL,
    shingles BLOB NOT NULL,
    checksum INTEGER NOT NULL
);
";

fn open(path: &Path) -> Connection {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    // The pragmas of a batch check (schema 2).
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

fn le_bytes(v: &[u32], out: &mut Vec<u8>) {
    out.clear();
    out.extend(v.iter().flat_map(|x| x.to_le_bytes()));
}

/// Copies every live article of the segments: its fingerprints into one
/// flat file (a table of (offset, length) per article number, then the
/// fingerprints), and its fingerprints and metadata into a SQLite database
/// as a row of the schema-2 `docs` table (written as `index build` wrote
/// it: 4 KiB pages, in article order). Returns the last article of each
/// segment that has any, with the segment's position, and the flat file,
/// mapped.
fn copy_articles(
    segments: &[&Segment],
    live: &[u32],
    flat: &Path,
    rows: &Path,
) -> (Vec<(u32, usize)>, memmap2::Mmap) {
    let n = live.last().map_or(0, |&a| a as usize + 1);
    let header = n * 8;
    let mut table = vec![0u64; n];
    let mut at = header;
    let mut file = std::fs::File::create(flat).unwrap();
    file.seek(SeekFrom::Start(header as u64)).unwrap();
    let mut w = BufWriter::new(file);
    let db = Connection::open(rows).unwrap();
    db.execute_batch(
        "PRAGMA page_size=4096; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-1048576; PRAGMA temp_store=MEMORY;",
    )
    .unwrap();
    db.execute_batch(SCHEMA2_DOCS).unwrap();
    db.execute_batch("BEGIN").unwrap();
    let mut insert = db
        .prepare(
            "INSERT INTO docs(doc, id, date, outlet, title, num_shingles, signature, shingles, checksum) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )
        .unwrap();
    let (mut signature, mut signature_bytes, mut shingles) = (Vec::new(), Vec::new(), Vec::new());
    let mut last = Vec::new();
    for (i, seg) in segments.iter().enumerate() {
        let mut seg_last = None;
        seg.for_each_article(|article, fps, meta| {
            seg_last = Some(article);
            if live.binary_search(&article).is_err() {
                return Ok(());
            }
            le_bytes(fps, &mut shingles);
            table[article as usize] = ((at as u64) << 24) | fps.len() as u64;
            at += shingles.len();
            w.write_all(&shingles).unwrap();
            meta.signature_into(&mut signature);
            le_bytes(&signature, &mut signature_bytes);
            insert
                .execute(params![
                    article,
                    meta.id,
                    meta.date,
                    meta.outlet,
                    meta.title,
                    fps.len() as i64,
                    signature_bytes,
                    shingles,
                    xxhash_rust::xxh3::xxh3_64(&shingles) as i64,
                ])
                .unwrap();
            Ok(())
        })
        .unwrap();
        if let Some(a) = seg_last {
            last.push((a, i));
        }
    }
    drop(insert);
    db.execute_batch("COMMIT").unwrap();
    drop(db);
    let mut file = w.into_inner().unwrap();
    file.seek(SeekFrom::Start(0)).unwrap();
    let mut w = BufWriter::new(file);
    for t in &table {
        w.write_all(&t.to_le_bytes()).unwrap();
    }
    w.into_inner().unwrap().sync_all().unwrap();
    let file = std::fs::File::open(flat).unwrap();
    // SAFETY: the file is private to this benchmark and not changed while
    // mapped.
    let map = unsafe { memmap2::Mmap::map(&file).unwrap() };
    (last, map)
}

/// The segment holding an article, from the last article of each segment
/// (as `check` finds it from the catalogue's article ranges).
fn segment_of<'a, S: Borrow<Segment>>(
    last: &[(u32, usize)],
    segments: &'a [S],
    article: u32,
) -> &'a Segment {
    segments[last[last.partition_point(|&(l, _)| l < article)].1].borrow()
}

fn flat_read(map: &[u8], doc: u32, out: &mut Vec<u32>) {
    let t = &map[doc as usize * 8..doc as usize * 8 + 8];
    let t = u64::from_le_bytes(t.try_into().unwrap());
    let (off, len) = ((t >> 24) as usize, (t & 0xff_ffff) as usize);
    le_u32s(&map[off..off + len * 4], out);
}

/// Every bucket entry of the segments, sorted.
fn bucket_entries(segments: &[&Segment]) -> Vec<SegmentEntry> {
    let mut entries = Vec::new();
    for seg in segments {
        seg.for_each_entry(|e| entries.push(e)).unwrap();
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
    let ix = Index::open(&path).unwrap();
    let view = ix.view().unwrap();
    let segments: Vec<&Segment> = view.segments().collect();
    let segment_paths: Vec<PathBuf> = segments.iter().map(|s| s.path().to_path_buf()).collect();
    let docs = live_articles(&path);
    let rows_path = dir.path().join("schema2.sqlite");
    let (last, fp_map) = copy_articles(
        &segments,
        &docs,
        &dir.path().join("fingerprints"),
        &rows_path,
    );
    let conn = open(&rows_path);
    let entries = bucket_entries(&segments);
    let (buckets, bucket_map) = flat_buckets(&entries, &dir.path().join("buckets"));
    eprintln!(
        "index_read: {} live articles, {} bucket entries, {} segment(s)",
        docs.len(),
        entries.len(),
        segments.len()
    );
    drop(entries);
    let mut rng = Rng(777);
    let sample: Vec<u32> = (0..10_000)
        .map(|_| docs[rng.next() as usize % docs.len()])
        .collect();
    let mut g = c.benchmark_group("index_read");
    g.sample_size(50);

    let mut i = 0;
    let mut out = Vec::new();
    let mut st = conn
        .prepare_cached("SELECT shingles FROM docs WHERE doc = ?1")
        .unwrap();
    g.bench_function("fingerprints/sqlite-row", |b| {
        b.iter(|| {
            let doc = sample[i % sample.len()];
            i += 1;
            let mut rows = st.query([doc]).unwrap();
            let r = rows.next().unwrap().unwrap();
            le_u32s(r.get_ref(0).unwrap().as_blob().unwrap(), &mut out);
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
            let seg = segment_of(&last, &segments, doc);
            assert!(seg.fingerprints(doc, &mut out).unwrap());
            black_box(out.len())
        })
    });
    // The same, borrowed from the mapping as `check` reads them: no copy,
    // and (checksum already passed) the fingerprints themselves are not
    // touched; their cache misses fall on whatever reads them next.
    let mut scratch = Vec::new();
    g.bench_function("fingerprints/segment-ref-repeat", |b| {
        b.iter(|| {
            let doc = sample[i % sample.len()];
            i += 1;
            let seg = segment_of(&last, &segments, doc);
            let fps = seg.fingerprints_ref(doc, &mut scratch).unwrap().unwrap();
            black_box(fps);
        })
    });
    // First reads: freshly opened segments (new mappings, nothing
    // verified) read 1,000 different articles; the time is per 1,000
    // reads.
    let open_all = || -> Vec<Segment> {
        segment_paths
            .iter()
            .map(|p| Segment::open(p).unwrap())
            .collect()
    };
    let mut start = 0;
    g.bench_function("fingerprints/segment-first-x1000", |b| {
        b.iter_batched(
            open_all,
            |segs| {
                for k in 0..1000 {
                    let doc = sample[(start + k) % sample.len()];
                    let seg = segment_of(&last, &segs, doc);
                    assert!(seg.fingerprints(doc, &mut out).unwrap());
                }
                start += 1000;
                // Returned, so that unmapping is not timed.
                segs
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
            let meta = segment_of(&last, &segments, doc)
                .meta(doc)
                .unwrap()
                .unwrap();
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
    g.bench_function("bucket/flat-mmap", |b| {
        b.iter(|| {
            let bucket = buckets[i % buckets.len()];
            i += 1;
            flat_bucket(&bucket_map, bucket, &mut found);
            black_box(found.len())
        })
    });
    // A bucket's entries of every segment, gathered into one list.
    let mut pairs = Vec::new();
    g.bench_function("bucket/segment-repeat", |b| {
        b.iter(|| {
            let bucket = buckets[i % buckets.len()];
            i += 1;
            pairs.clear();
            for seg in &segments {
                seg.bucket(bucket, &mut pairs).unwrap();
            }
            black_box(pairs.len())
        })
    });
    g.bench_function("bucket/segment-first-x1000", |b| {
        b.iter_batched(
            open_all,
            |segs| {
                for k in 0..1000 {
                    pairs.clear();
                    for seg in &segs {
                        seg.bucket(buckets[(start + k) % buckets.len()], &mut pairs)
                            .unwrap();
                    }
                }
                start += 1000;
                segs
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
