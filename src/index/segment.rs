//! Segment files: an immutable file of articles' fingerprints, metadata
//! and bucket entries, read by address through a memory map.
//!
//! This is the file format of the layout planned in
//! `docs/index-storage.md`; [`Index`](super::Index) does not use it yet. A
//! segment is written once ([`write_segment`], [`SegmentWriter`] or
//! [`merge_segments`]) to a temporary name, synced, and renamed into place
//! by the caller; it is never changed afterwards, so any number of readers
//! may map it ([`Segment::open`]) and share one [`Segment`] across threads.
//!
//! # Layout
//!
//! All integers are little-endian. The sections follow the header in this
//! order, without padding (each starts where the one before ends, so every
//! byte of the file is covered by a checksum):
//!
//! | section | contents |
//! |---|---|
//! | header | [`HEADER_LEN`] bytes, below |
//! | fingerprints | each article's sorted, distinct `u32` shingle fingerprints, concatenated in article order |
//! | entries | bucket entries (bucket `u32`, article `u32`, size `u32`) sorted by bucket, article and size |
//! | directory | one 24-byte record per article, sorted by article: article `u32`, fingerprint count `u32`, byte offset `u64` of its fingerprints in the fingerprint section, checksum `u64` |
//! | keys | the article of every [`DIR_BLOCK`]-th directory record (`u32`s): the first article of each directory block |
//! | fence | `2^fence_bits + 1` `u32`s: `fence[k]` is the first entry whose bucket's top `fence_bits` bits are at least `k` |
//! | key sums, directory sums, fence sums, entry sums | one `u64` checksum per block of [`TABLE_BLOCK`] keys, [`DIR_BLOCK`] directory records, [`TABLE_BLOCK`] fence values, [`ENTRY_BLOCK`] entries |
//! | metadata heap | per article, in article order: its MinHash signature (signature length `u32`s), then the UTF-8 bytes of its id, date, outlet and title (an absent one has no bytes) |
//! | metadata directory | one 32-byte record per article, in the order of the directory: byte offset `u64` of its metadata in the heap, the byte lengths (`u32`s) of its id, date, outlet and title ([`ABSENT`] for an absent date, outlet or title; the id is always present), checksum `u64` |
//! | metadata sums | one `u64` checksum per block of [`DIR_BLOCK`] metadata directory records |
//!
//! The header: magic bytes [`MAGIC`] (0..8), format version `u32` (8),
//! fence bits `u32` (12), segment id `u64` (16), index id `[u8; 16]` (24),
//! article count `u64` (40), fingerprint count `u64` (48, all articles'),
//! entry count `u64` (56), signature length `u32` (64, the MinHash values
//! of every article of the segment; 0 for an empty segment), zero `u32`
//! (68), metadata heap length `u64` (72, bytes), then the offset and
//! length (`u64`s) of each of the twelve sections in the order of the
//! table (80..272), the file length `u64` (272) and an XXH3-64 checksum of
//! the 280 bytes before it (280).
//! [`Segment::open`] checks all of it against the counts and the file's
//! length (a truncated or extended file is an error naming it), but reads
//! no section: opening is cheap.
//!
//! Checksums are XXH3-64. A block's is over its bytes, seeded with its
//! kind (top byte: 1 keys, 2 directory, 3 fence, 4 entries, 5 metadata
//! directory) and its number, so a block copied over another does not
//! pass; a directory record's is over the article's fingerprint bytes, a
//! metadata directory record's over the article's bytes in the metadata
//! heap, each seeded with the article number. Every read verifies what it
//! uses: the key, directory, fence, entry and metadata directory blocks it
//! touches and the fingerprints or metadata it returns, each once per
//! [`Segment`] (remembered in bitsets); strings are checked to be UTF-8 on
//! every read. A damaged segment is reported as
//! [`ErrorKind::Corrupt`](crate::ErrorKind::Corrupt) naming the file,
//! never as a different answer; [`Segment::verify`] checks every byte.
//!
//! An article's fingerprints are found by a binary search in the keys,
//! then in one directory block; a bucket's entries by the fence (the
//! bucket's top bits) and a binary search between two fence values. An
//! article's metadata is found as its fingerprints are (its metadata
//! directory record has the directory record's position). The
//! writer chooses the fence bits so that a fence slot holds about 16
//! entries on average, at most [`MAX_FENCE_BITS`] bits (a fence of 4 MiB).
//!
//! ```
//! use neardiff::index::segment::{self, ArticleMeta, Segment, SegmentEntry};
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("news.ndx.seg-1");
//! let articles = [
//!     (7u32, vec![3u32, 9, 12], ArticleMeta {
//!         id: "a-7",
//!         date: Some("2024-05-01"),
//!         outlet: None,
//!         title: Some("Städte"),
//!         signature: &[11, 22],
//!     }),
//!     (8, vec![4, 9], ArticleMeta { id: "a-8", signature: &[33, 44], ..Default::default() }),
//! ];
//! let mut entries = vec![
//!     SegmentEntry { bucket: 42, article: 8, size: 2 },
//!     SegmentEntry { bucket: 42, article: 7, size: 3 },
//! ];
//! let info = segment::write_segment(
//!     &path,
//!     1,
//!     [0; 16],
//!     articles.iter().map(|(a, f, m)| (*a, f, *m)),
//!     &mut entries,
//! )
//! .unwrap();
//! assert_eq!(info.articles, 2);
//!
//! let seg = Segment::open(&path).unwrap();
//! let mut fps = Vec::new();
//! assert!(seg.fingerprints(7, &mut fps).unwrap());
//! assert_eq!(fps, [3, 9, 12]);
//! assert!(!seg.fingerprints(9, &mut fps).unwrap());
//! let meta = seg.meta(7).unwrap().unwrap();
//! assert_eq!((meta.id, meta.date, meta.outlet, meta.title), ("a-7", Some("2024-05-01"), None, Some("Städte")));
//! assert_eq!(meta.signature().collect::<Vec<u32>>(), [11, 22]);
//! assert!(seg.meta(9).unwrap().is_none());
//! let mut found = Vec::new();
//! seg.bucket(42, &mut found).unwrap();
//! assert_eq!(found, [(7, 3), (8, 2)]);
//! ```

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use elsa::sync::FrozenMap;
use memmap2::Mmap;
use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

use super::filetype::{self, Role};
use super::store::{corrupt, read_u32s_into};
use crate::cache::prefetch;
use crate::error::{Error, IoOp, Result};

/// The first eight bytes of every segment file.
pub const MAGIC: [u8; 8] = *b"NDSEG\0\0\0";
/// The segment format version this build reads and writes. Version 2:
/// word keys and shingle hashes of `text::word_key` and the one-mix shingle
/// hash (version 1 stored XXH3 word keys and a mix per word of a shingle;
/// its fingerprints and signatures cannot be compared with new ones).
pub const FORMAT_VERSION: u32 = 2;
/// Bytes of the header.
pub const HEADER_LEN: usize = 288;
/// The length recorded in a metadata directory record for an absent date,
/// outlet or title.
pub const ABSENT: u32 = u32::MAX;
/// The most fence bits the writer uses.
pub const MAX_FENCE_BITS: u32 = 20;
/// Directory records per directory block (and per key).
pub const DIR_BLOCK: usize = 64;
/// Keys or fence values per checksummed block.
pub const TABLE_BLOCK: usize = 1024;
/// Entries per checksummed block.
pub const ENTRY_BLOCK: usize = 256;

/// The most fence bits a reader accepts.
const READ_MAX_FENCE_BITS: u32 = 24;
const ENTRY_BYTES: usize = 12;
const RECORD_BYTES: usize = 24;
const META_BYTES: usize = 32;
const SECTIONS: usize = 12;
const SUMMED_HEADER: usize = HEADER_LEN - 8;
/// Where the header's section table starts, and the file length.
const SECTION_TABLE: usize = 80;
const FILE_LEN_AT: usize = SECTION_TABLE + SECTIONS * 16;

// Section numbers, in file order.
const FINGERPRINTS: usize = 0;
const ENTRIES: usize = 1;
const DIRECTORY: usize = 2;
const KEYS: usize = 3;
const FENCE: usize = 4;
const KEY_SUMS: usize = 5;
const DIR_SUMS: usize = 6;
const FENCE_SUMS: usize = 7;
const ENTRY_SUMS: usize = 8;
const META_HEAP: usize = 9;
const META: usize = 10;
const META_SUMS: usize = 11;

/// One bucket entry: an article found in a bucket.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SegmentEntry {
    /// The bucket (the top 32 bits of a band key).
    pub bucket: u32,
    /// The article number.
    pub article: u32,
    /// The article's size (its distinct shingles).
    pub size: u32,
}

/// An article's metadata, as given to [`SegmentWriter::add_article`] and
/// [`write_segment`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ArticleMeta<'a> {
    /// The article's id.
    pub id: &'a str,
    /// Its date, if it has one.
    pub date: Option<&'a str>,
    /// Its outlet, if it has one.
    pub outlet: Option<&'a str>,
    /// Its title, if it has one.
    pub title: Option<&'a str>,
    /// Its MinHash signature: as long as every other article's of the
    /// segment.
    pub signature: &'a [u32],
}

/// An article's metadata read from a segment ([`Segment::meta`]): the
/// strings borrowed from the mapped file, the signature as its
/// little-endian bytes there (the file has no alignment, so it is decoded
/// on demand: [`signature`](Self::signature),
/// [`signature_into`](Self::signature_into)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArticleMetaRef<'a> {
    /// The article's id.
    pub id: &'a str,
    /// Its date, if it has one.
    pub date: Option<&'a str>,
    /// Its outlet, if it has one.
    pub outlet: Option<&'a str>,
    /// Its title, if it has one.
    pub title: Option<&'a str>,
    signature: &'a [u8],
}

impl<'a> ArticleMetaRef<'a> {
    /// The number of values of the signature.
    pub fn signature_len(&self) -> usize {
        self.signature.len() / 4
    }

    /// The signature's values, decoded.
    pub fn signature(&self) -> impl ExactSizeIterator<Item = u32> + 'a {
        self.signature
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
    }

    /// Replaces the contents of `out` with the signature.
    pub fn signature_into(&self, out: &mut Vec<u32>) {
        read_u32s_into(out, self.signature);
    }
}

/// What was written: the header's identity and counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SegmentInfo {
    /// The segment id.
    pub segment_id: u64,
    /// The id of the index the segment belongs to.
    pub index_id: [u8; 16],
    /// Articles in the segment.
    pub articles: u64,
    /// Bucket entries in the segment.
    pub entries: u64,
    /// The file's length in bytes.
    pub file_size: u64,
    /// The length of every article's signature.
    pub signature_len: u32,
    /// The header's checksum: names this file's contents (a catalogue
    /// records it, so that another file under the same name is refused).
    pub header_checksum: u64,
}

/// The blocks that carry a checksum each.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Keys = 0,
    Dir = 1,
    Fence = 2,
    Entries = 3,
    Meta = 4,
}

const KINDS: [Kind; 5] = [
    Kind::Keys,
    Kind::Dir,
    Kind::Fence,
    Kind::Entries,
    Kind::Meta,
];

impl Kind {
    /// The data section and the checksum section.
    fn sections(self) -> (usize, usize) {
        match self {
            Kind::Keys => (KEYS, KEY_SUMS),
            Kind::Dir => (DIRECTORY, DIR_SUMS),
            Kind::Fence => (FENCE, FENCE_SUMS),
            Kind::Entries => (ENTRIES, ENTRY_SUMS),
            Kind::Meta => (META, META_SUMS),
        }
    }

    fn block_bytes(self) -> usize {
        match self {
            Kind::Keys | Kind::Fence => TABLE_BLOCK * 4,
            Kind::Dir => DIR_BLOCK * RECORD_BYTES,
            Kind::Entries => ENTRY_BLOCK * ENTRY_BYTES,
            Kind::Meta => DIR_BLOCK * META_BYTES,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Keys => "key",
            Kind::Dir => "directory",
            Kind::Fence => "fence",
            Kind::Entries => "entry",
            Kind::Meta => "metadata directory",
        }
    }

    fn checksum(self, block: usize, bytes: &[u8]) -> u64 {
        xxh3_64_with_seed(bytes, ((self as u64 + 1) << 56) | block as u64)
    }
}

/// The offset and length of every section, and the file's length, for
/// these counts (`heap`: the metadata heap's bytes); `None` if they
/// overflow.
fn layout(
    articles: u64,
    fingerprints: u64,
    entries: u64,
    fence_bits: u32,
    heap: u64,
) -> Option<([(u64, u64); SECTIONS], u64)> {
    let keys = articles.div_ceil(DIR_BLOCK as u64);
    let fence = (1u64 << fence_bits) + 1;
    let lens = [
        fingerprints.checked_mul(4)?,
        entries.checked_mul(ENTRY_BYTES as u64)?,
        articles.checked_mul(RECORD_BYTES as u64)?,
        keys * 4,
        fence * 4,
        keys.div_ceil(TABLE_BLOCK as u64) * 8,
        keys * 8,
        fence.div_ceil(TABLE_BLOCK as u64) * 8,
        entries.div_ceil(ENTRY_BLOCK as u64) * 8,
        heap,
        articles.checked_mul(META_BYTES as u64)?,
        keys * 8,
    ];
    let mut out = [(0, 0); SECTIONS];
    let mut at = HEADER_LEN as u64;
    for (slot, len) in out.iter_mut().zip(lens) {
        *slot = (at, len);
        at = at.checked_add(len)?;
    }
    Some((out, at))
}

/// The fence bits for about this many entries: about 16 entries per slot.
fn fence_bits_for(entries: u64) -> u32 {
    let mut bits = 0;
    while bits < MAX_FENCE_BITS && (entries >> bits) > 16 {
        bits += 1;
    }
    bits
}

/// The fence slot of a bucket: its top `bits` bits.
fn slot(bucket: u32, bits: u32) -> usize {
    ((bucket as u64) >> (32 - bits)) as usize
}

/// One bit per article for [`Access::Map`], none for [`Access::Read`]
/// (see [`once`]).
fn article_bits(access: Access, articles: usize) -> Vec<AtomicU64> {
    match access {
        Access::Map => (0..articles.div_ceil(64))
            .map(|_| AtomicU64::new(0))
            .collect(),
        Access::Read => Vec::new(),
    }
}

/// Entry `i` of a block of entries.
#[inline]
fn entry_at(block: &[u8], i: usize) -> SegmentEntry {
    let b = &block[i * ENTRY_BYTES..(i + 1) * ENTRY_BYTES];
    SegmentEntry {
        bucket: u32_at(b, 0),
        article: u32_at(b, 4),
        size: u32_at(b, 8),
    }
}

/// Runs `verify` unless bit `i` of `bits` says it passed before, and sets
/// the bit when it passes. Relaxed is enough: a bit only records that
/// immutable bytes passed; a race verifies them twice.
///
/// With no bits at all it always verifies: [`Access::Read`] keeps no
/// per-article bits (a check of a few articles reads each once, and
/// zeroing bits for a million articles would cost more).
fn once(bits: &[AtomicU64], i: usize, verify: impl FnOnce() -> Result<()>) -> Result<()> {
    if bits.is_empty() {
        return verify();
    }
    let (word, mask) = (&bits[i / 64], 1u64 << (i % 64));
    if word.load(Ordering::Relaxed) & mask != 0 {
        return Ok(());
    }
    verify()?;
    word.fetch_or(mask, Ordering::Relaxed);
    Ok(())
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut v = [0; 8];
    v.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(v)
}

/// Article numbers, for checking that every entry names an article of the
/// segment: a bitmap over their span when that is small, else the sorted
/// list.
enum ArticleSet<'a> {
    Dense { first: u32, bits: Vec<u64> },
    Sorted(&'a [u32]),
}

impl<'a> ArticleSet<'a> {
    /// `articles` is sorted.
    fn new(articles: &'a [u32]) -> ArticleSet<'a> {
        let (Some(&first), Some(&last)) = (articles.first(), articles.last()) else {
            return ArticleSet::Sorted(articles);
        };
        let span = (last - first) as usize + 1;
        if span > 64 * articles.len() + (1 << 16) {
            return ArticleSet::Sorted(articles);
        }
        let mut bits = vec![0u64; span.div_ceil(64)];
        for &a in articles {
            let i = (a - first) as usize;
            bits[i / 64] |= 1 << (i % 64);
        }
        ArticleSet::Dense { first, bits }
    }

    fn contains(&self, article: u32) -> bool {
        match self {
            ArticleSet::Dense { first, bits } => {
                let Some(i) = article.checked_sub(*first) else {
                    return false;
                };
                let i = i as usize;
                bits.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
            }
            ArticleSet::Sorted(list) => list.binary_search(&article).is_ok(),
        }
    }
}

/// Writes a segment file from articles (in increasing article order, each
/// with its sorted, distinct fingerprints and its metadata) and bucket
/// entries (sorted here if they are not; every entry must name one of the
/// articles).
///
/// The file is written to `path` with a buffer and synced; the caller
/// renames it into place. On an error the partial file is removed.
pub fn write_segment<'m, I, F>(
    path: &Path,
    segment_id: u64,
    index_id: [u8; 16],
    articles: I,
    entries: &mut [SegmentEntry],
) -> Result<SegmentInfo>
where
    I: IntoIterator<Item = (u32, F, ArticleMeta<'m>)>,
    F: AsRef<[u32]>,
{
    let mut w = SegmentWriter::create(path, segment_id, index_id)?;
    for (article, fingerprints, meta) in articles {
        w.add_article(article, fingerprints.as_ref(), meta)?;
    }
    w.finish(entries)
}

/// Writes a segment file article by article (for articles read one at a
/// time); [`SegmentWriter::finish`] adds the bucket entries and the tables.
/// Dropped unfinished, it removes its file.
///
/// The metadata heap comes after the entries in the file, so until then
/// it is written to a second file beside the segment (its name followed by
/// `.heap`), copied in by `finish` and removed when the writer is dropped.
pub struct SegmentWriter {
    path: PathBuf,
    out: BufWriter<File>,
    heap_path: PathBuf,
    heap: BufWriter<File>,
    heap_len: u64,
    /// Metadata directory records, encoded.
    meta: Vec<u8>,
    /// The signature length of the segment, set by its first article.
    signature_len: u32,
    segment_id: u64,
    index_id: [u8; 16],
    /// Directory records, encoded.
    directory: Vec<u8>,
    articles: Vec<u32>,
    fingerprints: u64,
    scratch: Vec<u8>,
    done: bool,
}

impl SegmentWriter {
    /// Creates (or truncates) the file at `path`.
    pub fn create(path: &Path, segment_id: u64, index_id: [u8; 16]) -> Result<SegmentWriter> {
        let file = filetype::create(path, Role::Temporary)?;
        let mut heap_path = path.as_os_str().to_owned();
        heap_path.push(".heap");
        let heap_path = PathBuf::from(heap_path);
        let heap = match filetype::create(&heap_path, Role::Temporary) {
            Ok(heap) => heap,
            Err(e) => {
                drop(file);
                let _ = std::fs::remove_file(path);
                return Err(e);
            }
        };
        let mut w = SegmentWriter {
            path: path.to_path_buf(),
            out: BufWriter::with_capacity(1 << 20, file),
            heap_path,
            heap: BufWriter::with_capacity(1 << 20, heap),
            heap_len: 0,
            meta: Vec::new(),
            signature_len: 0,
            segment_id,
            index_id,
            directory: Vec::new(),
            articles: Vec::new(),
            fingerprints: 0,
            scratch: Vec::new(),
            done: false,
        };
        // A zero header until the end: an unfinished file fails to open.
        w.write(&[0; HEADER_LEN])?;
        Ok(w)
    }

    fn write(&mut self, bytes: &[u8]) -> Result<()> {
        self.out
            .write_all(bytes)
            .map_err(|e| Error::io_at(IoOp::Write, &self.path, e))
    }

    fn invalid(&self, msg: String) -> Error {
        Error::usage(format!(
            "{}: cannot write the segment: {msg}",
            self.path.display()
        ))
    }

    /// Adds an article, after every article added before it (article
    /// numbers strictly increase), with its fingerprints sorted and
    /// distinct, and its metadata (the first article's signature length is
    /// the segment's: every other article's must have it too).
    pub fn add_article(
        &mut self,
        article: u32,
        fingerprints: &[u32],
        meta: ArticleMeta<'_>,
    ) -> Result<()> {
        if let Some(&last) = self.articles.last().filter(|&&l| article <= l) {
            return Err(self.invalid(format!(
                "articles must be given in increasing order: {article} after {last}"
            )));
        }
        if let Some(w) = fingerprints.windows(2).find(|w| w[0] >= w[1]) {
            return Err(self.invalid(format!(
                "the fingerprints of article {article} are not sorted and distinct ({} before {})",
                w[0], w[1]
            )));
        }
        let Ok(count) = u32::try_from(fingerprints.len()) else {
            return Err(self.invalid(format!("article {article} has too many fingerprints")));
        };
        let signature_len = match u32::try_from(meta.signature.len()) {
            Ok(n) if self.articles.is_empty() || n == self.signature_len => n,
            _ => {
                return Err(self.invalid(format!(
                    "article {article} has a signature of {} values; the segment's have {}",
                    meta.signature.len(),
                    self.signature_len
                )));
            }
        };
        let fields = [Some(meta.id), meta.date, meta.outlet, meta.title];
        let mut lens = [ABSENT; 4];
        for (len, field) in lens.iter_mut().zip(fields) {
            if let Some(f) = field {
                match u32::try_from(f.len()) {
                    Ok(n) if n != ABSENT => *len = n,
                    _ => {
                        return Err(
                            self.invalid(format!("article {article} has too long metadata"))
                        );
                    }
                }
            }
        }
        let mut bytes = std::mem::take(&mut self.scratch);
        bytes.clear();
        for f in fingerprints {
            bytes.extend_from_slice(&f.to_le_bytes());
        }
        let sum = xxh3_64_with_seed(&bytes, article as u64);
        let offset = self.fingerprints * 4;
        let written = self.write(&bytes);
        self.scratch = bytes;
        written?;
        self.directory.extend_from_slice(&article.to_le_bytes());
        self.directory.extend_from_slice(&count.to_le_bytes());
        self.directory.extend_from_slice(&offset.to_le_bytes());
        self.directory.extend_from_slice(&sum.to_le_bytes());
        self.fingerprints += count as u64;

        let mut bytes = std::mem::take(&mut self.scratch);
        bytes.clear();
        for v in meta.signature {
            bytes.extend_from_slice(&v.to_le_bytes());
        }
        for f in fields.into_iter().flatten() {
            bytes.extend_from_slice(f.as_bytes());
        }
        let sum = xxh3_64_with_seed(&bytes, article as u64);
        let written = self
            .heap
            .write_all(&bytes)
            .map_err(|e| Error::io_at(IoOp::Write, &self.heap_path, e));
        let offset = self.heap_len;
        self.heap_len += bytes.len() as u64;
        self.scratch = bytes;
        written?;
        self.meta.extend_from_slice(&offset.to_le_bytes());
        for len in lens {
            self.meta.extend_from_slice(&len.to_le_bytes());
        }
        self.meta.extend_from_slice(&sum.to_le_bytes());
        self.signature_len = signature_len;
        self.articles.push(article);
        Ok(())
    }

    /// Sorts the entries (if they are not), writes them and the tables,
    /// and syncs the file.
    pub fn finish(self, entries: &mut [SegmentEntry]) -> Result<SegmentInfo> {
        if !entries.is_sorted() {
            entries.sort_unstable();
        }
        let fence_bits = fence_bits_for(entries.len() as u64);
        self.finish_sorted(entries.iter().map(|e| Ok(*e)), fence_bits)
    }

    /// Writes entries given in order, then the tables and the header.
    fn finish_sorted(
        mut self,
        entries: impl Iterator<Item = Result<SegmentEntry>>,
        fence_bits: u32,
    ) -> Result<SegmentInfo> {
        let fence_len = (1usize << fence_bits) + 1;
        let mut fence: Vec<u32> = Vec::with_capacity(fence_len);
        let mut entry_sums: Vec<u64> = Vec::new();
        let mut block: Vec<u8> = Vec::with_capacity(ENTRY_BLOCK * ENTRY_BYTES);
        let articles = std::mem::take(&mut self.articles);
        let known = ArticleSet::new(&articles);
        let mut count: u64 = 0;
        let mut last: Option<SegmentEntry> = None;
        for e in entries {
            let e = e?;
            if let Some(l) = last.filter(|l| e < *l) {
                return Err(self.invalid(format!("bucket entries out of order: {e:?} after {l:?}")));
            }
            if !known.contains(e.article) {
                return Err(self.invalid(format!(
                    "a bucket entry names article {}, which is not in the segment",
                    e.article
                )));
            }
            if count >= u32::MAX as u64 {
                return Err(self.invalid("too many bucket entries".into()));
            }
            let s = slot(e.bucket, fence_bits);
            while fence.len() <= s {
                fence.push(count as u32);
            }
            block.extend_from_slice(&e.bucket.to_le_bytes());
            block.extend_from_slice(&e.article.to_le_bytes());
            block.extend_from_slice(&e.size.to_le_bytes());
            count += 1;
            if block.len() == ENTRY_BLOCK * ENTRY_BYTES {
                entry_sums.push(Kind::Entries.checksum(entry_sums.len(), &block));
                self.write(&block)?;
                block.clear();
            }
            last = Some(e);
        }
        if !block.is_empty() {
            entry_sums.push(Kind::Entries.checksum(entry_sums.len(), &block));
            self.write(&block)?;
        }
        while fence.len() < fence_len {
            fence.push(count as u32);
        }

        let directory = std::mem::take(&mut self.directory);
        self.write(&directory)?;
        let keys: Vec<u8> = articles
            .iter()
            .step_by(DIR_BLOCK)
            .flat_map(|a| a.to_le_bytes())
            .collect();
        self.write(&keys)?;
        let fence: Vec<u8> = fence.iter().flat_map(|f| f.to_le_bytes()).collect();
        self.write(&fence)?;
        for (kind, bytes) in [
            (Kind::Keys, &keys),
            (Kind::Dir, &directory),
            (Kind::Fence, &fence),
        ] {
            let sums: Vec<u8> = bytes
                .chunks(kind.block_bytes())
                .enumerate()
                .flat_map(|(i, b)| kind.checksum(i, b).to_le_bytes())
                .collect();
            self.write(&sums)?;
        }
        let sums: Vec<u8> = entry_sums.iter().flat_map(|s| s.to_le_bytes()).collect();
        self.write(&sums)?;

        let heap_io = |e| Error::io_at(IoOp::Write, &self.heap_path, e);
        self.heap.flush().map_err(heap_io)?;
        let heap = self.heap.get_mut();
        heap.seek(SeekFrom::Start(0)).map_err(heap_io)?;
        let copied = std::io::copy(heap, &mut self.out).map_err(heap_io)?;
        if copied != self.heap_len {
            return Err(self.invalid(format!(
                "copied {copied} bytes of metadata where {} were written",
                self.heap_len
            )));
        }
        let meta = std::mem::take(&mut self.meta);
        self.write(&meta)?;
        let sums: Vec<u8> = meta
            .chunks(Kind::Meta.block_bytes())
            .enumerate()
            .flat_map(|(i, b)| Kind::Meta.checksum(i, b).to_le_bytes())
            .collect();
        self.write(&sums)?;

        let n = articles.len() as u64;
        let Some((sections, file_len)) =
            layout(n, self.fingerprints, count, fence_bits, self.heap_len)
        else {
            return Err(self.invalid("the segment would be too large".into()));
        };
        let mut h = Vec::with_capacity(HEADER_LEN);
        h.extend_from_slice(&MAGIC);
        h.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        h.extend_from_slice(&fence_bits.to_le_bytes());
        h.extend_from_slice(&self.segment_id.to_le_bytes());
        h.extend_from_slice(&self.index_id);
        h.extend_from_slice(&n.to_le_bytes());
        h.extend_from_slice(&self.fingerprints.to_le_bytes());
        h.extend_from_slice(&count.to_le_bytes());
        h.extend_from_slice(&self.signature_len.to_le_bytes());
        h.extend_from_slice(&0u32.to_le_bytes());
        h.extend_from_slice(&self.heap_len.to_le_bytes());
        debug_assert_eq!(h.len(), SECTION_TABLE);
        for (off, len) in sections {
            h.extend_from_slice(&off.to_le_bytes());
            h.extend_from_slice(&len.to_le_bytes());
        }
        h.extend_from_slice(&file_len.to_le_bytes());
        let header_checksum = xxh3_64(&h);
        h.extend_from_slice(&header_checksum.to_le_bytes());
        debug_assert_eq!(h.len(), HEADER_LEN);

        let path = self.path.clone();
        let io = |e| Error::io_at(IoOp::Write, &path, e);
        let end = self.out.stream_position().map_err(io)?;
        if end != file_len {
            return Err(self.invalid(format!("wrote {end} bytes where the layout has {file_len}")));
        }
        self.out.seek(SeekFrom::Start(0)).map_err(io)?;
        self.write(&h)?;
        self.out.flush().map_err(io)?;
        self.out.get_ref().sync_all().map_err(io)?;
        self.done = true;
        Ok(SegmentInfo {
            segment_id: self.segment_id,
            index_id: self.index_id,
            articles: n,
            entries: count,
            file_size: file_len,
            signature_len: self.signature_len,
            header_checksum,
        })
    }
}

impl Drop for SegmentWriter {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.heap_path);
        if !self.done {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// A directory record.
#[derive(Clone, Copy, Debug)]
struct Record {
    article: u32,
    count: u32,
    offset: u64,
    sum: u64,
}

impl Record {
    /// A record from its [`RECORD_BYTES`] bytes.
    fn decode(b: &[u8]) -> Record {
        Record {
            article: u32_at(b, 0),
            count: u32_at(b, 4),
            offset: u64_at(b, 8),
            sum: u64_at(b, 16),
        }
    }
}

/// How a [`Segment`] reads its file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Access {
    /// Map the file into memory: best for many reads (a batch of checks),
    /// where most pages are read more than once.
    #[default]
    Map,
    /// Read what is used with positioned reads and keep it: best for a few
    /// reads (one check), where each first touch of a fresh mapping costs a
    /// page fault and the mapping's teardown.
    Read,
}

/// Where a [`Segment`]'s bytes come from.
enum Source {
    Map(Mmap),
    Read {
        file: File,
        /// The ranges read, by offset and length: every read of a check is
        /// a whole checksummed block, a checksum, one directory or
        /// metadata record, or one article's fingerprints or metadata, so
        /// the same bytes are always asked for by the same range.
        spans: FrozenMap<(usize, usize), Box<[u8]>>,
    },
}

/// An open segment file, mapped into memory. Reads verify the checksums of
/// what they use; `Segment` is `Sync`, so threads may share one.
pub struct Segment {
    path: PathBuf,
    header_checksum: u64,
    source: Source,
    /// The file's length.
    len: usize,
    segment_id: u64,
    index_id: [u8; 16],
    fence_bits: u32,
    articles: usize,
    fingerprints: usize,
    entries: usize,
    /// The length of every article's signature.
    signature_len: usize,
    /// Offset and length of each section.
    sections: [(usize, usize); SECTIONS],
    /// The bit of the first block of each [`Kind`] in `verified`.
    first_block: [usize; KINDS.len()],
    /// One bit per checksummed block: set once its checksum passed.
    verified: Vec<AtomicU64>,
    /// One bit per directory record: set once its fingerprints passed their
    /// checksum (a batch of checks reads many articles more than once).
    verified_records: Vec<AtomicU64>,
    /// One bit per metadata directory record: set once its metadata passed
    /// its checksum.
    verified_meta: Vec<AtomicU64>,
}

impl std::fmt::Debug for Segment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Segment")
            .field("path", &self.path)
            .field("segment_id", &self.segment_id)
            .field("articles", &self.articles)
            .field("entries", &self.entries)
            .finish_non_exhaustive()
    }
}

impl Segment {
    /// Maps a segment file and checks its header (magic, version, checksum)
    /// and its section table against the counts and the file's length.
    /// Reads nothing else. A path that is not a regular file (a FIFO, a
    /// directory) is refused without waiting on it.
    pub fn open(path: &Path) -> Result<Segment> {
        Segment::open_with(path, Access::Map)
    }

    /// Opens a segment file to be read as `access` says, checking its
    /// header as [`Segment::open`] does.
    pub fn open_with(path: &Path, access: Access) -> Result<Segment> {
        let file = filetype::open(path, Role::Segment)?;
        let len = file
            .metadata()
            .map_err(|e| Error::io_at(IoOp::Access, path, e))?
            .len();
        if len < HEADER_LEN as u64 {
            return Err(corrupt(
                path,
                format!(
                    "{len} bytes, shorter than a segment header ({HEADER_LEN} bytes): the segment is truncated or not a segment file"
                ),
            ));
        }
        // SAFETY: segment files are never changed after they are renamed
        // into place (see the module documentation); a file changed or
        // truncated under a reader by another program is outside that
        // contract.
        let mut header = [0u8; HEADER_LEN];
        let source = match access {
            Access::Map => {
                let map =
                    unsafe { Mmap::map(&file) }.map_err(|e| Error::io_at(IoOp::Read, path, e))?;
                header.copy_from_slice(&map[..HEADER_LEN]);
                Source::Map(map)
            }
            Access::Read => {
                crate::sys::read_exact_at(&file, &mut header, 0)
                    .map_err(|e| Error::io_at(IoOp::Read, path, e))?;
                Source::Read {
                    file,
                    spans: FrozenMap::new(),
                }
            }
        };
        let h = &header[..];
        if h[..8] != MAGIC {
            return Err(corrupt(
                path,
                "not a neardiff segment file (wrong magic bytes)",
            ));
        }
        let version = u32_at(h, 8);
        if version != FORMAT_VERSION {
            return Err(corrupt(
                path,
                format!(
                    "segment format version {version}; this build reads version {FORMAT_VERSION}: rebuild the index with `neardiff index build --force`"
                ),
            ));
        }
        let damaged = |what: &str| {
            corrupt(
                path,
                format!(
                    "{what}; the segment is damaged: rebuild the index with `neardiff index build --force`"
                ),
            )
        };
        if xxh3_64(&h[..SUMMED_HEADER]) != u64_at(h, SUMMED_HEADER) {
            return Err(damaged("the segment header fails its checksum"));
        }
        let fence_bits = u32_at(h, 12);
        let (articles, fingerprints, entries) = (u64_at(h, 40), u64_at(h, 48), u64_at(h, 56));
        let (signature_len, heap) = (u32_at(h, 64), u64_at(h, 72));
        if fence_bits > READ_MAX_FENCE_BITS
            || articles > 1 << 32
            || entries > u32::MAX as u64
            || fingerprints > u64::MAX / 8
            || u32_at(h, 68) != 0
        {
            return Err(damaged("the segment header holds impossible counts"));
        }
        let Some((expected, file_len)) = layout(articles, fingerprints, entries, fence_bits, heap)
        else {
            return Err(damaged("the segment header holds impossible counts"));
        };
        let mut sections = [(0, 0); SECTIONS];
        for (i, (off, len)) in expected.into_iter().enumerate() {
            let at = SECTION_TABLE + i * 16;
            if (u64_at(h, at), u64_at(h, at + 8)) != (off, len) {
                return Err(damaged(
                    "the segment's section table does not match its counts",
                ));
            }
            sections[i] = (off as usize, len as usize);
        }
        if u64_at(h, FILE_LEN_AT) != file_len {
            return Err(damaged(
                "the segment's file length does not match its counts",
            ));
        }
        if len != file_len {
            return Err(corrupt(
                path,
                format!(
                    "the file is {len} bytes but its header says {file_len}: the segment is truncated or extended; rebuild the index with `neardiff index build --force`"
                ),
            ));
        }
        let to_usize = |v: u64| {
            usize::try_from(v).map_err(|_| damaged("the segment is too large for this machine"))
        };
        let mut segment = Segment {
            path: path.to_path_buf(),
            header_checksum: u64_at(h, SUMMED_HEADER),
            len: to_usize(len)?,
            segment_id: u64_at(h, 16),
            index_id: h[24..40].try_into().expect("16 bytes"),
            fence_bits,
            articles: to_usize(articles)?,
            fingerprints: to_usize(fingerprints)?,
            entries: to_usize(entries)?,
            signature_len: signature_len as usize,
            sections,
            first_block: [0; KINDS.len()],
            verified: Vec::new(),
            verified_records: article_bits(access, to_usize(articles)?),
            verified_meta: article_bits(access, to_usize(articles)?),
            source,
        };
        let mut blocks = 0;
        for kind in KINDS {
            segment.first_block[kind as usize] = blocks;
            blocks += segment.blocks(kind);
        }
        segment.verified = (0..blocks.div_ceil(64))
            .map(|_| AtomicU64::new(0))
            .collect();
        Ok(segment)
    }

    /// The header's checksum (see [`SegmentInfo::header_checksum`]).
    pub fn header_checksum(&self) -> u64 {
        self.header_checksum
    }

    /// Calls `f` with every article, in article order: its number, its
    /// fingerprints and its metadata, each verified.
    pub fn for_each_article(
        &self,
        mut f: impl FnMut(u32, &[u32], ArticleMetaRef<'_>) -> Result<()>,
    ) -> Result<()> {
        let mut fps = Vec::new();
        for r in 0..self.articles {
            let rec = self.read_record(r, &mut fps)?;
            let (_, _, meta) = self.read_meta(r, rec.article)?;
            f(rec.article, &fps, meta)?;
        }
        Ok(())
    }

    /// The articles with no fingerprint (no word), leaving out those
    /// `skip` names; reads the directory only.
    pub fn articles_without_words(&self, skip: &dyn Fn(u32) -> bool) -> Result<u64> {
        let mut n = 0;
        for r in 0..self.articles {
            let rec = self.record(r)?;
            if rec.count == 0 && !skip(rec.article) {
                n += 1;
            }
        }
        Ok(n)
    }

    /// Calls `f` with every bucket entry, in file order (by bucket, then
    /// article), each block verified.
    pub fn for_each_entry(&self, mut f: impl FnMut(SegmentEntry)) -> Result<()> {
        for i in 0..self.entries {
            f(self.entry(i)?);
        }
        Ok(())
    }

    /// The segment id.
    pub fn segment_id(&self) -> u64 {
        self.segment_id
    }

    /// The id of the index the segment belongs to.
    pub fn index_id(&self) -> [u8; 16] {
        self.index_id
    }

    /// Articles in the segment.
    pub fn article_count(&self) -> u64 {
        self.articles as u64
    }

    /// Bucket entries in the segment.
    pub fn entry_count(&self) -> u64 {
        self.entries as u64
    }

    /// The length of every article's signature.
    pub fn signature_len(&self) -> usize {
        self.signature_len
    }

    /// The file's length in bytes.
    pub fn file_size(&self) -> u64 {
        self.len as u64
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn damaged(&self, what: impl std::fmt::Display) -> Error {
        corrupt(
            &self.path,
            format!(
                "{what}; the segment is damaged: rebuild the index with `neardiff index build --force`"
            ),
        )
    }

    /// Bytes `off..off + len` of section `s`.
    fn bytes(&self, s: usize, off: usize, len: usize) -> Result<&[u8]> {
        let (start, size) = self.sections[s];
        if off.checked_add(len).is_none_or(|end| end > size) {
            return Err(self.damaged("a read reaches past the end of its section"));
        }
        self.raw(start + off, len)
    }

    /// Bytes `off..off + len` of the file (in bounds: the sections were
    /// checked against the file's length when it was opened).
    fn raw(&self, off: usize, len: usize) -> Result<&[u8]> {
        let (file, spans) = match &self.source {
            Source::Map(map) => return Ok(&map[off..off + len]),
            Source::Read { file, spans } => (file, spans),
        };
        if len == 0 {
            return Ok(&[]);
        }
        let read = |start: usize, n: usize| -> Result<Box<[u8]>> {
            let mut buf = vec![0u8; n];
            crate::sys::read_exact_at(file, &mut buf, start as u64)
                .map_err(|e| Error::io_at(IoOp::Read, &self.path, e))?;
            Ok(buf.into_boxed_slice())
        };
        match spans.get(&(off, len)) {
            Some(b) => Ok(b),
            None => Ok(spans.insert((off, len), read(off, len)?)),
        }
    }

    /// A section's bytes, when the file is mapped (for prefetch hints).
    fn mapped(&self, s: usize) -> Option<&[u8]> {
        match &self.source {
            Source::Map(map) => {
                let (off, len) = self.sections[s];
                Some(&map[off..off + len])
            }
            Source::Read { .. } => None,
        }
    }

    /// The bytes of a block, its checksum verified (once).
    #[inline]
    fn block(&self, kind: Kind, block: usize) -> Result<&[u8]> {
        self.check(kind, block)?;
        self.block_bytes(kind, block)
    }

    /// The bytes of a block, unverified.
    fn block_bytes(&self, kind: Kind, block: usize) -> Result<&[u8]> {
        let data = kind.sections().0;
        let start = block * kind.block_bytes();
        let len = kind
            .block_bytes()
            .min(self.sections[data].1.saturating_sub(start));
        self.bytes(data, start, len)
    }

    /// The number of blocks of a kind.
    fn blocks(&self, kind: Kind) -> usize {
        self.sections[kind.sections().0]
            .1
            .div_ceil(kind.block_bytes())
    }

    /// Verifies a block's checksum, unless it passed before.
    #[inline]
    fn check(&self, kind: Kind, block: usize) -> Result<()> {
        once(
            &self.verified,
            self.first_block[kind as usize] + block,
            || self.check_block(kind, block),
        )
    }

    fn check_block(&self, kind: Kind, block: usize) -> Result<()> {
        let sums = kind.sections().1;
        let bytes = self.block_bytes(kind, block)?;
        if kind.checksum(block, bytes) != u64_at(self.bytes(sums, block * 8, 8)?, 0) {
            return Err(self.damaged(format!("{} block {block} fails its checksum", kind.name())));
        }
        Ok(())
    }

    /// The first article of directory block `j`.
    fn key(&self, j: usize) -> Result<u32> {
        let b = self.block(Kind::Keys, j / TABLE_BLOCK)?;
        Ok(u32_at(b, (j % TABLE_BLOCK) * 4))
    }

    /// Fence value `k`, checked against the entry count.
    fn fence(&self, k: usize) -> Result<usize> {
        let b = self.block(Kind::Fence, k / TABLE_BLOCK)?;
        let v = u32_at(b, (k % TABLE_BLOCK) * 4) as usize;
        if v > self.entries {
            return Err(self.damaged(format!("fence value {k} is out of range")));
        }
        Ok(v)
    }

    /// The article of directory record `r`.
    fn record_article(&self, r: usize) -> Result<u32> {
        let b = self.block(Kind::Dir, r / DIR_BLOCK)?;
        Ok(u32_at(b, (r % DIR_BLOCK) * RECORD_BYTES))
    }

    /// Directory record `r`.
    fn record(&self, r: usize) -> Result<Record> {
        let b = self.block(Kind::Dir, r / DIR_BLOCK)?;
        Ok(Record::decode(
            &b[(r % DIR_BLOCK) * RECORD_BYTES..][..RECORD_BYTES],
        ))
    }

    /// Directory record `r` read on its own (24 bytes), not through its
    /// checksummed block. For reads ([`Access::Read`]), where a block costs
    /// a copy of 64 records and a read of its checksum. Only callers that
    /// then check what the record points to against the checksum the record
    /// holds, seeded with the article number, use it: that check covers
    /// every field (a damaged article number, count, offset or checksum
    /// fails it), so a damaged record is still an error.
    fn lone_record(&self, r: usize) -> Result<Record> {
        Ok(Record::decode(self.bytes(
            DIRECTORY,
            r * RECORD_BYTES,
            RECORD_BYTES,
        )?))
    }

    /// [`Segment::find`] and [`Segment::record`] for reads: where article
    /// numbers are dense, the record at the article's distance from the
    /// first, read alone ([`Segment::lone_record`]); otherwise (or when
    /// that record names another article) through the checksummed blocks.
    fn find_record(&self, article: u32) -> Result<Option<(usize, Record)>> {
        if self.articles > 0 {
            let r = article.wrapping_sub(self.lone_record(0)?.article) as usize;
            if r < self.articles {
                let rec = self.lone_record(r)?;
                if rec.article == article {
                    return Ok(Some((r, rec)));
                }
            }
        }
        match self.find(article)? {
            Some(r) => Ok(Some((r, self.record(r)?))),
            None => Ok(None),
        }
    }

    /// The fingerprint bytes of record `r`, checked against its checksum
    /// (once per [`Segment`]: later reads of the same immutable bytes skip
    /// it).
    fn record_bytes(&self, r: usize, rec: &Record) -> Result<&[u8]> {
        let start = self.fingerprint_offset(rec)?;
        let b = self.bytes(FINGERPRINTS, start, rec.count as usize * 4)?;
        once(&self.verified_records, r, || {
            self.check_fingerprints(rec, b)
        })?;
        Ok(b)
    }

    /// Where `rec`'s fingerprints start in the fingerprint section, checked
    /// to lie inside it.
    fn fingerprint_offset(&self, rec: &Record) -> Result<usize> {
        let size = self.sections[FINGERPRINTS].1;
        usize::try_from(rec.offset)
            .ok()
            .filter(|&start| {
                start
                    .checked_add(rec.count as usize * 4)
                    .is_some_and(|end| end <= size)
            })
            .ok_or_else(|| {
                self.damaged(format!(
                    "the fingerprints of article {} lie outside the fingerprint section",
                    rec.article
                ))
            })
    }

    /// Checks `rec`'s fingerprint bytes against its checksum.
    fn check_fingerprints(&self, rec: &Record, bytes: &[u8]) -> Result<()> {
        if xxh3_64_with_seed(bytes, rec.article as u64) == rec.sum {
            Ok(())
        } else {
            Err(self.damaged(format!(
                "the fingerprints of article {} fail their checksum",
                rec.article
            )))
        }
    }

    /// Replaces `out` with the fingerprints of `rec` read from `file`
    /// (not kept), checked as [`Segment::record_bytes`] checks them.
    fn read_fingerprints_into(&self, file: &File, rec: &Record, out: &mut Vec<u32>) -> Result<()> {
        let start = self.sections[FINGERPRINTS].0 + self.fingerprint_offset(rec)?;
        let n = rec.count as usize;
        out.clear();
        out.resize(n, 0);
        // SAFETY: the bytes of a `u32` slice, viewed as `u8`s (alignment 1,
        // the same length in bytes); every byte pattern is a valid `u32`.
        let bytes = unsafe { std::slice::from_raw_parts_mut(out.as_mut_ptr() as *mut u8, n * 4) };
        if n > 0 {
            crate::sys::read_exact_at(file, bytes, start as u64)
                .map_err(|e| Error::io_at(IoOp::Read, &self.path, e))?;
        }
        self.check_fingerprints(rec, bytes)?;
        for v in out.iter_mut() {
            *v = u32::from_le(*v);
        }
        Ok(())
    }

    /// Replaces `out` with the fingerprints of record `r`.
    fn read_record(&self, r: usize, out: &mut Vec<u32>) -> Result<Record> {
        let rec = self.record(r)?;
        let bytes = self.record_bytes(r, &rec)?;
        read_u32s_into(out, bytes);
        Ok(rec)
    }

    /// The last directory block whose first article is at or below
    /// `article`, if any. Article numbers are mostly dense, so the search
    /// starts from a guess by interpolation and gallops from there.
    fn block_of(&self, article: u32) -> Result<Option<usize>> {
        let keys = self.articles.div_ceil(DIR_BLOCK);
        if keys == 0 {
            return Ok(None);
        }
        let (first, last) = (self.key(0)?, self.key(keys - 1)?);
        if article < first {
            return Ok(None);
        }
        if article >= last {
            return Ok(Some(keys - 1));
        }
        // key(lo) <= article < key(hi).
        let guess = ((article - first) as u64 * (keys - 1) as u64 / (last - first) as u64) as usize;
        let (mut lo, mut hi) = (0, keys - 1);
        let mut step = 1;
        if self.key(guess)? <= article {
            lo = guess;
            while lo + step < hi {
                if self.key(lo + step)? <= article {
                    lo += step;
                    step *= 2;
                } else {
                    hi = lo + step;
                    break;
                }
            }
        } else {
            hi = guess;
            while hi - lo > step {
                if self.key(hi - step)? > article {
                    hi -= step;
                    step *= 2;
                } else {
                    lo = hi - step;
                    break;
                }
            }
        }
        while hi - lo > 1 {
            let mid = (lo + hi) / 2;
            if self.key(mid)? <= article {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        Ok(Some(lo))
    }

    /// The directory record of an article, if it is in the segment.
    fn find(&self, article: u32) -> Result<Option<usize>> {
        // Where article numbers are dense (a segment nothing was dropped
        // from), the record is at the article's distance from the first.
        if self.articles > 0 {
            let r = article.wrapping_sub(self.record_article(0)?) as usize;
            if r < self.articles && self.record_article(r)? == article {
                return Ok(Some(r));
            }
        }
        let Some(j) = self.block_of(article)? else {
            return Ok(None);
        };
        self.check(Kind::Dir, j)?;
        let (start, end) = (j * DIR_BLOCK, self.articles.min((j + 1) * DIR_BLOCK));
        if self.record_article(start)? != self.key(j)? {
            return Err(self.damaged(format!("key {j} does not match its directory block")));
        }
        // Articles strictly increase, so the record is at most `article -
        // first` records after the block's first: exactly there when the
        // numbers are dense.
        let guess = start + ((article - self.record_article(start)?) as usize).min(end - start - 1);
        let at = self.record_article(guess)?;
        if at == article {
            return Ok(Some(guess));
        }
        let (mut lo, mut hi) = if at < article {
            (guess + 1, end)
        } else {
            (start, guess)
        };
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.record_article(mid)? < article {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        Ok((lo < end && self.record_article(lo)? == article).then_some(lo))
    }

    /// Replaces the contents of `out` with an article's fingerprints (its
    /// checksum verified); `Ok(false)`, and `out` empty, if the article is
    /// not in this segment.
    pub fn fingerprints(&self, article: u32, out: &mut Vec<u32>) -> Result<bool> {
        out.clear();
        match self.find(article)? {
            Some(r) => self.read_record(r, out).map(|_| true),
            None => Ok(false),
        }
    }

    /// Asks the processor to start loading an article's fingerprints into
    /// its cache (a hint: nothing is returned; a damaged or missing record
    /// is reported by the read that follows). A check calls it for the
    /// next candidate while it scores the current one.
    pub fn prefetch_fingerprints(&self, article: u32) {
        let Some(fps) = self.mapped(FINGERPRINTS) else {
            return;
        };
        let Ok(Some(r)) = self.find(article) else {
            return;
        };
        let Ok(rec) = self.record(r) else {
            return;
        };
        if let Ok(start) = self.fingerprint_offset(&rec) {
            prefetch(&fps[start..start + rec.count as usize * 4]);
        }
    }

    /// Asks the processor to start loading the directory record an
    /// article has when the segment's article numbers are dense (as they
    /// are until removals are merged away), so that a later
    /// [`Segment::prefetch_fingerprints`] finds it in the cache. A hint:
    /// it reads and checks nothing it would rely on.
    pub fn prefetch_record(&self, article: u32) {
        let Some(dir) = self.mapped(DIRECTORY).filter(|d| !d.is_empty()) else {
            return;
        };
        let r = article.wrapping_sub(u32_at(dir, 0)) as usize;
        if r < self.articles {
            prefetch(&dir[r * RECORD_BYTES..(r + 1) * RECORD_BYTES]);
        }
    }

    /// Asks the processor to start loading the fence values of a bucket
    /// (first step of [`Segment::prefetch_bucket`]).
    pub fn prefetch_fence(&self, bucket: u32) {
        let k = slot(bucket, self.fence_bits);
        let Some(fence) = self.mapped(FENCE) else {
            return;
        };
        if let Some(b) = fence.get(k * 4..k * 4 + 8) {
            prefetch(b);
        }
    }

    /// Asks the processor to start loading the entries a bucket's fence
    /// slot spans (at most a few cache lines), so that [`Segment::bucket`]
    /// finds them in the cache. A hint: the fence values are read
    /// unchecked and a range that makes no sense is ignored.
    pub fn prefetch_bucket(&self, bucket: u32) {
        let k = slot(bucket, self.fence_bits);
        let (Some(fence), Some(entries)) = (self.mapped(FENCE), self.mapped(ENTRIES)) else {
            return;
        };
        if (k + 2) * 4 > fence.len() {
            return;
        }
        let (lo, hi) = (
            u32_at(fence, k * 4) as usize,
            u32_at(fence, k * 4 + 4) as usize,
        );
        let hi = hi.min(lo + 32);
        if lo < hi && hi * ENTRY_BYTES <= entries.len() {
            prefetch(&entries[lo * ENTRY_BYTES..hi * ENTRY_BYTES]);
        }
    }

    /// An article's fingerprints (their checksum verified) borrowed from the
    /// mapped file, without a copy: the fingerprint section starts 4-byte
    /// aligned and holds only `u32`s, so on a little-endian machine the
    /// bytes are the values. Elsewhere they are decoded into `scratch`.
    /// `Ok(None)` if the article is not in this segment.
    pub fn fingerprints_ref<'a>(
        &'a self,
        article: u32,
        scratch: &'a mut Vec<u32>,
    ) -> Result<Option<&'a [u32]>> {
        if let Source::Read { file, .. } = &self.source {
            let Some((_, rec)) = self.find_record(article)? else {
                return Ok(None);
            };
            // Read straight into the caller's buffer: a check reads each
            // candidate's fingerprints once, and keeping them would make
            // every list fresh memory (a page fault per 4 KiB).
            self.read_fingerprints_into(file, &rec, scratch)?;
            return Ok(Some(scratch.as_slice()));
        }
        let Some(r) = self.find(article)? else {
            return Ok(None);
        };
        let rec = self.record(r)?;
        let bytes = self.record_bytes(r, &rec)?;
        #[cfg(target_endian = "little")]
        {
            // SAFETY: every bit pattern is a valid `u32`, and `align_to`
            // returns the aligned middle only where it is aligned.
            let (head, values, tail) = unsafe { bytes.align_to::<u32>() };
            if head.is_empty() && tail.is_empty() {
                return Ok(Some(values));
            }
        }
        read_u32s_into(scratch, bytes);
        Ok(Some(scratch.as_slice()))
    }

    /// An article's metadata (its checksum verified, its strings checked to
    /// be UTF-8); `None` if the article is not in this segment.
    pub fn meta(&self, article: u32) -> Result<Option<ArticleMetaRef<'_>>> {
        let r = match self.source {
            Source::Read { .. } => self.find_record(article)?.map(|(r, _)| r),
            Source::Map(_) => self.find(article)?,
        };
        match r {
            Some(r) => self.read_meta(r, article).map(|(_, _, m)| Some(m)),
            None => Ok(None),
        }
    }

    /// The metadata of record `r`, of `article` (its directory record's
    /// article), with its offset and length in the heap.
    fn read_meta(&self, r: usize, article: u32) -> Result<(u64, usize, ArticleMetaRef<'_>)> {
        let b = match self.source {
            // The record alone (see `Segment::lone_record`): the checksum
            // below, seeded with the article number, covers what it points
            // to and is itself part of it.
            Source::Read { .. } => self.bytes(META, r * META_BYTES, META_BYTES)?,
            Source::Map(_) => {
                let b = self.block(Kind::Meta, r / DIR_BLOCK)?;
                &b[(r % DIR_BLOCK) * META_BYTES..][..META_BYTES]
            }
        };
        let offset = u64_at(b, 0);
        let lens = [u32_at(b, 8), u32_at(b, 12), u32_at(b, 16), u32_at(b, 20)];
        if lens[0] == ABSENT {
            return Err(self.damaged(format!("the id of article {article} is missing")));
        }
        let total = lens
            .iter()
            .filter(|&&l| l != ABSENT)
            .try_fold(self.signature_len.checked_mul(4), |t, &l| {
                Some(t?.checked_add(l as usize))
            })
            .flatten();
        let heap_len = self.sections[META_HEAP].1;
        let range = total
            .zip(usize::try_from(offset).ok())
            .filter(|&(total, start)| start.checked_add(total).is_some_and(|e| e <= heap_len));
        let bytes = match range {
            Some((total, start)) => Some(self.bytes(META_HEAP, start, total)?),
            None => None,
        };
        let Some(bytes) = bytes else {
            return Err(self.damaged(format!(
                "the metadata of article {article} lies outside the metadata heap"
            )));
        };
        once(&self.verified_meta, r, || {
            if xxh3_64_with_seed(bytes, article as u64) == u64_at(b, 24) {
                Ok(())
            } else {
                Err(self.damaged(format!(
                    "the metadata of article {article} fails its checksum"
                )))
            }
        })?;
        let (signature, mut rest) = bytes.split_at(self.signature_len * 4);
        let mut fields = [None; 4];
        for (field, &len) in fields.iter_mut().zip(&lens) {
            if len != ABSENT {
                let (s, more) = rest.split_at(len as usize);
                rest = more;
                let Ok(s) = std::str::from_utf8(s) else {
                    return Err(
                        self.damaged(format!("the metadata of article {article} is not UTF-8"))
                    );
                };
                *field = Some(s);
            }
        }
        let [id, date, outlet, title] = fields;
        let meta = ArticleMetaRef {
            id: id.unwrap_or_default(),
            date,
            outlet,
            title,
            signature,
        };
        Ok((offset, bytes.len(), meta))
    }

    /// Bucket entry `i`.
    fn entry(&self, i: usize) -> Result<SegmentEntry> {
        let b = self.block(Kind::Entries, i / ENTRY_BLOCK)?;
        Ok(entry_at(b, i % ENTRY_BLOCK))
    }

    /// Appends the (article, size) of every entry of a bucket to `out`, in
    /// article order (a bucket's entries of several segments are gathered
    /// into one list).
    pub fn bucket(&self, bucket: u32, out: &mut Vec<(u32, u32)>) -> Result<()> {
        let k = slot(bucket, self.fence_bits);
        let (mut lo, mut hi) = (self.fence(k)?, self.fence(k + 1)?);
        if lo > hi {
            return Err(self.damaged(format!("fence values {k} and {} are out of order", k + 1)));
        }
        let end = hi;
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.entry(mid)?.bucket < bucket {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let mut i = lo;
        while i < end {
            let block = self.block(Kind::Entries, i / ENTRY_BLOCK)?;
            let first = i / ENTRY_BLOCK * ENTRY_BLOCK;
            let block_end = end.min(first + ENTRY_BLOCK);
            while i < block_end {
                let e = entry_at(block, i - first);
                if e.bucket != bucket {
                    return Ok(());
                }
                out.push((e.article, e.size));
                i += 1;
            }
        }
        Ok(())
    }

    /// Checks every byte of the segment: every block's checksum, every
    /// article's fingerprints (checksum, order, place) and metadata
    /// (checksum, place, UTF-8), and that the keys,
    /// the fence and the entries agree with the directory (for `index
    /// verify`).
    pub fn verify(&self) -> Result<()> {
        for kind in KINDS {
            for b in 0..self.blocks(kind) {
                self.check_block(kind, b)?;
            }
        }
        let mut articles = Vec::with_capacity(self.articles);
        let mut offset = 0u64;
        let mut fps = Vec::new();
        for r in 0..self.articles {
            let rec = self.read_record(r, &mut fps)?;
            if articles.last().is_some_and(|&a| a >= rec.article) {
                return Err(self.damaged(format!("directory record {r} is out of order")));
            }
            if rec.offset != offset {
                return Err(self.damaged(format!("directory record {r} has a wrong offset")));
            }
            if fps.windows(2).any(|w| w[0] >= w[1]) {
                return Err(self.damaged(format!(
                    "the fingerprints of article {} are out of order",
                    rec.article
                )));
            }
            if r % DIR_BLOCK == 0 && self.key(r / DIR_BLOCK)? != rec.article {
                return Err(self.damaged(format!(
                    "key {} does not match its directory block",
                    r / DIR_BLOCK
                )));
            }
            offset += rec.count as u64 * 4;
            articles.push(rec.article);
        }
        if offset != self.fingerprints as u64 * 4 {
            return Err(self.damaged("the directory does not cover the fingerprint section"));
        }
        let mut heap = 0u64;
        for (r, &article) in articles.iter().enumerate() {
            let (at, len, _) = self.read_meta(r, article)?;
            if at != heap {
                return Err(
                    self.damaged(format!("metadata directory record {r} has a wrong offset"))
                );
            }
            heap += len as u64;
        }
        if heap != self.sections[META_HEAP].1 as u64 {
            return Err(self.damaged("the metadata directory does not cover the metadata heap"));
        }
        let known = ArticleSet::new(&articles);
        let mut k = 0;
        let mut last: Option<(u32, u32)> = None;
        for i in 0..self.entries {
            let e = self.entry(i)?;
            if last.is_some_and(|l| l > (e.bucket, e.article)) {
                return Err(self.damaged(format!("bucket entry {i} is out of order")));
            }
            if !known.contains(e.article) {
                return Err(self.damaged(format!(
                    "bucket entry {i} names article {}, which is not in the segment",
                    e.article
                )));
            }
            while k <= slot(e.bucket, self.fence_bits) {
                if self.fence(k)? != i {
                    return Err(self.damaged(format!("fence value {k} is wrong")));
                }
                k += 1;
            }
            last = Some((e.bucket, e.article));
        }
        while k <= 1 << self.fence_bits {
            if self.fence(k)? != self.entries {
                return Err(self.damaged(format!("fence value {k} is wrong")));
            }
            k += 1;
        }
        Ok(())
    }
}

/// Writes one segment holding every article and bucket entry of `inputs`
/// except those of removed articles (the inputs hold disjoint sets of
/// articles, of the index `index_id`), with their metadata (the articles
/// kept must have signatures of one length). Articles and entries are merged in
/// order, reading each input once, with every checksum verified.
pub fn merge_segments(
    inputs: &[&Segment],
    removed: &dyn Fn(u32) -> bool,
    path: &Path,
    segment_id: u64,
    index_id: [u8; 16],
) -> Result<SegmentInfo> {
    if let Some(other) = inputs.iter().find(|s| s.index_id != index_id) {
        return Err(Error::usage(format!(
            "{}: the segment belongs to another index; it cannot be merged into {}",
            other.path.display(),
            path.display()
        )));
    }
    let mut w = SegmentWriter::create(path, segment_id, index_id)?;

    let mut heap = BinaryHeap::new();
    for (s, seg) in inputs.iter().enumerate() {
        if seg.articles > 0 {
            heap.push(Reverse((seg.record(0)?.article, s, 0)));
        }
    }
    let mut fps = Vec::new();
    let mut signature = Vec::new();
    let mut last: Option<u32> = None;
    while let Some(Reverse((article, s, r))) = heap.pop() {
        let seg = inputs[s];
        if last == Some(article) {
            return Err(Error::usage(format!(
                "{}: article {article} is also in another of the segments merged",
                seg.path.display()
            )));
        }
        last = Some(article);
        if r + 1 < seg.articles {
            heap.push(Reverse((seg.record(r + 1)?.article, s, r + 1)));
        }
        if !removed(article) {
            seg.read_record(r, &mut fps)?;
            let (_, _, m) = seg.read_meta(r, article)?;
            m.signature_into(&mut signature);
            let meta = ArticleMeta {
                id: m.id,
                date: m.date,
                outlet: m.outlet,
                title: m.title,
                signature: &signature,
            };
            w.add_article(article, &fps, meta)?;
        }
    }

    let mut heap = BinaryHeap::new();
    for (s, seg) in inputs.iter().enumerate() {
        if seg.entries > 0 {
            heap.push(Reverse((seg.entry(0)?, s, 0)));
        }
    }
    let bound = inputs.iter().map(|s| s.entries as u64).sum();
    let entries = std::iter::from_fn(move || {
        while let Some(Reverse((e, s, i))) = heap.pop() {
            if i + 1 < inputs[s].entries {
                match inputs[s].entry(i + 1) {
                    Ok(next) => heap.push(Reverse((next, s, i + 1))),
                    Err(err) => return Some(Err(err)),
                }
            }
            if !removed(e.article) {
                return Some(Ok(e));
            }
        }
        None
    });
    w.finish_sorted(entries, fence_bits_for(bound))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;
    use proptest::prelude::*;
    use std::collections::{BTreeMap, BTreeSet};

    const ID: [u8; 16] = *b"0123456789abcdef";

    /// An article's metadata, owned.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    struct Meta {
        id: String,
        date: Option<String>,
        outlet: Option<String>,
        title: Option<String>,
        signature: Vec<u32>,
    }

    impl Meta {
        fn as_meta(&self) -> ArticleMeta<'_> {
            ArticleMeta {
                id: &self.id,
                date: self.date.as_deref(),
                outlet: self.outlet.as_deref(),
                title: self.title.as_deref(),
                signature: &self.signature,
            }
        }

        fn of(m: &ArticleMetaRef<'_>) -> Meta {
            Meta {
                id: m.id.to_owned(),
                date: m.date.map(str::to_owned),
                outlet: m.outlet.map(str::to_owned),
                title: m.title.map(str::to_owned),
                signature: m.signature().collect(),
            }
        }
    }

    /// An article: its fingerprints and metadata.
    #[derive(Clone, Debug, PartialEq, Eq)]
    struct Art {
        fps: Vec<u32>,
        meta: Meta,
    }

    type Articles = BTreeMap<u32, Art>;

    fn fingerprint_map(articles: &Articles) -> BTreeMap<u32, Vec<u32>> {
        articles.iter().map(|(a, x)| (*a, x.fps.clone())).collect()
    }

    /// Writes a segment with the given fence bits (`None`: the writer's
    /// choice).
    fn write(
        path: &Path,
        articles: &Articles,
        entries: &[SegmentEntry],
        fence_bits: Option<u32>,
    ) -> SegmentInfo {
        let mut w = SegmentWriter::create(path, 5, ID).unwrap();
        for (a, x) in articles {
            w.add_article(*a, &x.fps, x.meta.as_meta()).unwrap();
        }
        let mut entries = entries.to_vec();
        match fence_bits {
            None => w.finish(&mut entries).unwrap(),
            Some(bits) => {
                entries.sort_unstable();
                w.finish_sorted(entries.into_iter().map(Ok), bits).unwrap()
            }
        }
    }

    /// The model of the buckets: (article, size) in order, per bucket.
    fn model_buckets(entries: &[SegmentEntry]) -> BTreeMap<u32, Vec<(u32, u32)>> {
        let mut sorted = entries.to_vec();
        sorted.sort_unstable();
        let mut out: BTreeMap<u32, Vec<(u32, u32)>> = BTreeMap::new();
        for e in sorted {
            out.entry(e.bucket).or_default().push((e.article, e.size));
        }
        out
    }

    /// Articles and buckets to ask for that are not in the segment.
    fn absent(
        articles: &Articles,
        buckets: &BTreeMap<u32, Vec<(u32, u32)>>,
    ) -> (Vec<u32>, Vec<u32>) {
        let near = |v: u32| [v.wrapping_sub(1), v.wrapping_add(1)];
        let mut a: Vec<u32> = [0, 1, u32::MAX, u32::MAX - 1, 1 << 31]
            .into_iter()
            .chain(articles.keys().flat_map(|&v| near(v)))
            .filter(|v| !articles.contains_key(v))
            .collect();
        a.dedup();
        let mut b: Vec<u32> = [0, 1, u32::MAX, u32::MAX - 1, 1 << 31, 0x1234_5677]
            .into_iter()
            .chain(buckets.keys().flat_map(|&v| near(v)))
            .filter(|v| !buckets.contains_key(v))
            .collect();
        b.dedup();
        (a, b)
    }

    /// Every article and bucket, and absent ones, read as the model says.
    fn assert_model(seg: &Segment, articles: &Articles, entries: &[SegmentEntry]) {
        let buckets = model_buckets(entries);
        let (no_articles, no_buckets) = absent(articles, &buckets);
        let mut out = vec![99];
        let mut sig = vec![99];
        // Twice: the second read of an article skips its checksums.
        for _ in 0..2 {
            for (a, x) in articles {
                assert!(seg.fingerprints(*a, &mut out).unwrap(), "article {a}");
                assert_eq!(out, x.fps, "article {a}");
                let mut scratch = vec![7];
                let borrowed = seg.fingerprints_ref(*a, &mut scratch).unwrap();
                assert_eq!(borrowed, Some(x.fps.as_slice()), "article {a}");
                let m = seg.meta(*a).unwrap().expect("metadata");
                assert_eq!(Meta::of(&m), x.meta, "article {a}");
                assert_eq!(m.signature_len(), seg.signature_len());
                m.signature_into(&mut sig);
                assert_eq!(sig, x.meta.signature, "article {a}");
            }
        }
        for a in no_articles {
            assert!(
                !seg.fingerprints(a, &mut out).unwrap(),
                "absent article {a}"
            );
            assert!(out.is_empty());
            assert!(seg.fingerprints_ref(a, &mut out).unwrap().is_none());
            assert!(seg.meta(a).unwrap().is_none(), "absent article {a}");
        }
        let mut found = Vec::new();
        for (b, want) in &buckets {
            found.clear();
            seg.bucket(*b, &mut found).unwrap();
            assert_eq!(&found, want, "bucket {b:#x}");
        }
        for b in no_buckets {
            found.clear();
            seg.bucket(b, &mut found).unwrap();
            assert!(found.is_empty(), "absent bucket {b:#x}");
        }
        assert_eq!(seg.article_count(), articles.len() as u64);
        assert_eq!(seg.entry_count(), entries.len() as u64);
    }

    /// Strings: empty, short ASCII, non-ASCII, anything printable.
    fn string_strategy() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            "[a-z0-9]{1,8}",
            "[é日本語 \u{1F600}a-]{0,6}",
            "\\PC{0,24}",
        ]
    }

    fn meta_strategy(signature_len: usize) -> impl Strategy<Value = Meta> {
        let opt = || prop::option::of(string_strategy());
        (
            string_strategy(),
            opt(),
            opt(),
            opt(),
            prop::collection::vec(any::<u32>(), signature_len),
        )
            .prop_map(|(id, date, outlet, title, signature)| Meta {
                id,
                date,
                outlet,
                title,
                signature,
            })
    }

    fn articles_strategy(max: usize) -> impl Strategy<Value = Articles> {
        prop_oneof![Just(0usize), 1usize..5, Just(128)].prop_flat_map(move |signature_len| {
            let article = prop_oneof![0u32..300, (u32::MAX - 300)..=u32::MAX, any::<u32>()];
            let fps = prop::collection::btree_set(prop_oneof![0u32..500, any::<u32>()], 0..40)
                .prop_map(|s| s.into_iter().collect::<Vec<u32>>());
            let art = (fps, meta_strategy(signature_len)).prop_map(|(fps, meta)| Art { fps, meta });
            prop::collection::btree_map(article, art, 1..max)
        })
    }

    /// Buckets concentrated on a few values (so that a bucket spans
    /// several entry blocks), near 0 and `u32::MAX`, and anywhere.
    fn bucket_strategy() -> impl Strategy<Value = u32> {
        prop_oneof![
            6 => prop::sample::select(vec![0u32, u32::MAX, 0x1234_5678]),
            2 => prop::sample::select(vec![1u32, u32::MAX - 1, 0x1234_5679, 0x8000_0000]),
            1 => 0u32..64,
            1 => (u32::MAX - 64)..=u32::MAX,
            2 => any::<u32>(),
        ]
    }

    /// Articles and entries naming them.
    fn segment_strategy() -> impl Strategy<Value = (Articles, Vec<SegmentEntry>)> {
        articles_strategy(200).prop_flat_map(|articles| {
            let keys: Vec<u32> = articles.keys().copied().collect();
            let entry = (prop::sample::select(keys), bucket_strategy(), 0u32..1000).prop_map(
                |(article, bucket, size)| SegmentEntry {
                    bucket,
                    article,
                    size,
                },
            );
            (Just(articles), prop::collection::vec(entry, 0..3000))
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn reads_match_the_model(
            (articles, entries) in segment_strategy(),
            bits in prop::option::of(0u32..=13),
        ) {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("seg");
            let info = write(&path, &articles, &entries, bits);
            for access in [Access::Map, Access::Read] {
                let seg = Segment::open_with(&path, access).unwrap();
                prop_assert_eq!(info.file_size, seg.file_size());
                prop_assert_eq!(std::fs::metadata(&path).unwrap().len(), seg.file_size());
                assert_model(&seg, &articles, &entries);
                seg.verify().unwrap();
            }
        }

        #[test]
        fn merge_matches_the_model(
            (articles, entries) in segment_strategy(),
            parts in prop::collection::vec(0usize..4, 200),
            gone in prop::collection::vec(any::<bool>(), 200),
        ) {
            let dir = tempfile::tempdir().unwrap();
            let owner: BTreeMap<u32, usize> =
                articles.keys().zip(&parts).map(|(a, p)| (*a, *p)).collect();
            let removed: BTreeSet<u32> = articles
                .keys()
                .zip(&gone)
                .filter(|(_, g)| **g)
                .map(|(a, _)| *a)
                .collect();
            let mut segs = Vec::new();
            for p in 0..4 {
                let part: Articles = articles
                    .iter()
                    .filter(|(a, _)| owner[a] == p)
                    .map(|(a, f)| (*a, f.clone()))
                    .collect();
                let part_entries: Vec<SegmentEntry> =
                    entries.iter().filter(|e| owner[&e.article] == p).copied().collect();
                let path = dir.path().join(format!("in-{p}"));
                write(&path, &part, &part_entries, None);
                segs.push(Segment::open(&path).unwrap());
            }
            let inputs: Vec<&Segment> = segs.iter().collect();
            let path = dir.path().join("merged");
            let info = merge_segments(&inputs, &|a| removed.contains(&a), &path, 9, ID).unwrap();
            let kept: Articles = articles
                .iter()
                .filter(|(a, _)| !removed.contains(a))
                .map(|(a, f)| (*a, f.clone()))
                .collect();
            let kept_entries: Vec<SegmentEntry> =
                entries.iter().filter(|e| !removed.contains(&e.article)).copied().collect();
            let seg = Segment::open(&path).unwrap();
            prop_assert_eq!(seg.segment_id(), 9);
            prop_assert_eq!(seg.index_id(), ID);
            prop_assert_eq!(info.articles, kept.len() as u64);
            prop_assert_eq!(info.entries, kept_entries.len() as u64);
            assert_model(&seg, &kept, &kept_entries);
            seg.verify().unwrap();
        }
    }

    #[test]
    fn many_articles_span_several_key_blocks() {
        // 70,000 articles: 1,094 directory blocks, two key blocks; numbers
        // with gaps.
        let articles: Articles = (0..70_000u32)
            .map(|i| {
                let meta = Meta {
                    id: format!("article-{i}"),
                    date: (i % 3 == 0).then(|| format!("2024-01-{:02}", i % 28 + 1)),
                    outlet: (i % 5 != 0).then(|| "Zeitung für Österreich".to_owned()),
                    title: (i % 2 == 0).then(|| "x".repeat(i as usize % 50)),
                    signature: vec![i, !i, i.wrapping_mul(0x9e37_79b9)],
                };
                let fps = (0..i % 4).map(|j| j * 1000 + i).collect();
                (i * 3 + (i % 7), Art { fps, meta })
            })
            .collect();
        let entries: Vec<SegmentEntry> = articles
            .keys()
            .enumerate()
            .flat_map(|(i, &a)| {
                [
                    SegmentEntry {
                        bucket: (i as u32).wrapping_mul(0x9e37_79b9),
                        article: a,
                        size: 3,
                    },
                    SegmentEntry {
                        bucket: (i % 100) as u32,
                        article: a,
                        size: 4,
                    },
                ]
            })
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("seg");
        write(&path, &articles, &entries, None);
        let seg = Segment::open(&path).unwrap();
        assert_eq!(seg.fence_bits, 14);
        assert_model(&seg, &articles, &entries);
        seg.verify().unwrap();
    }

    #[test]
    fn empty_segment() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("seg");
        let info = write_segment(
            &path,
            1,
            ID,
            std::iter::empty::<(u32, &[u32], ArticleMeta)>(),
            &mut [],
        )
        .unwrap();
        assert_eq!((info.articles, info.entries, info.signature_len), (0, 0, 0));
        let seg = Segment::open(&path).unwrap();
        let mut out = Vec::new();
        assert!(!seg.fingerprints(0, &mut out).unwrap());
        assert!(seg.meta(0).unwrap().is_none());
        assert_eq!(seg.signature_len(), 0);
        let mut found = Vec::new();
        seg.bucket(0, &mut found).unwrap();
        seg.bucket(u32::MAX, &mut found).unwrap();
        assert!(found.is_empty());
        seg.verify().unwrap();
    }

    #[test]
    fn bad_input_is_refused_and_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("seg");
        /// Articles (number, fingerprints, signature), entries, and what
        /// the error says.
        type Case<'a> = (
            &'a [(u32, &'a [u32], &'a [u32])],
            Vec<SegmentEntry>,
            &'a str,
        );
        let cases: [Case; 6] = [
            (
                &[(2, &[1], &[]), (2, &[2], &[])],
                vec![],
                "increasing order: 2 after 2",
            ),
            (
                &[(3, &[1], &[]), (2, &[2], &[])],
                vec![],
                "increasing order: 2 after 3",
            ),
            (
                &[(1, &[5, 5], &[])],
                vec![],
                "not sorted and distinct (5 before 5)",
            ),
            (
                &[(1, &[5], &[])],
                vec![SegmentEntry {
                    bucket: 1,
                    article: 2,
                    size: 1,
                }],
                "names article 2, which is not in the segment",
            ),
            (
                &[(1, &[5], &[1, 2]), (2, &[5], &[1])],
                vec![],
                "article 2 has a signature of 1 values; the segment's have 2",
            ),
            (
                &[(1, &[5], &[]), (2, &[5], &[1])],
                vec![],
                "article 2 has a signature of 1 values; the segment's have 0",
            ),
        ];
        for (articles, mut entries, msg) in cases {
            let articles = articles.iter().map(|&(a, f, signature)| {
                let meta = ArticleMeta {
                    id: "x",
                    signature,
                    ..Default::default()
                };
                (a, f, meta)
            });
            let err = write_segment(&path, 1, ID, articles, &mut entries).unwrap_err();
            let text = err.to_string();
            assert!(text.contains(msg), "{text}");
            assert!(text.contains(&path.display().to_string()), "{text}");
            assert!(!path.exists());
            assert!(!dir.path().join("seg.heap").exists());
        }
    }

    #[test]
    fn merge_refuses_overlaps_and_other_indexes() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        let c = dir.path().join("c");
        let d = dir.path().join("d");
        let f: &[u32] = &[1, 2];
        let m = ArticleMeta {
            id: "x",
            signature: &[1],
            ..Default::default()
        };
        let m2 = ArticleMeta {
            signature: &[1, 2],
            ..m
        };
        write_segment(&a, 1, ID, [(1, f, m), (4, f, m)], &mut []).unwrap();
        write_segment(&b, 2, ID, [(2, f, m), (4, f, m)], &mut []).unwrap();
        write_segment(&c, 3, [7; 16], [(9, f, m)], &mut []).unwrap();
        write_segment(&d, 4, ID, [(5, f, m2)], &mut []).unwrap();
        let (a, b, c, d) = (
            Segment::open(&a).unwrap(),
            Segment::open(&b).unwrap(),
            Segment::open(&c).unwrap(),
            Segment::open(&d).unwrap(),
        );
        let out = dir.path().join("out");
        let err = merge_segments(&[&a, &b], &|_| false, &out, 4, ID).unwrap_err();
        assert!(
            err.to_string().contains("article 4 is also in another"),
            "{err}"
        );
        assert!(!out.exists());
        let err = merge_segments(&[&a, &c], &|_| false, &out, 4, ID).unwrap_err();
        assert!(
            err.to_string().contains("belongs to another index"),
            "{err}"
        );
        let err = merge_segments(&[&a, &d], &|_| false, &out, 4, ID).unwrap_err();
        assert!(
            err.to_string()
                .contains("article 5 has a signature of 2 values; the segment's have 1"),
            "{err}"
        );
        assert!(!out.exists());
        // Without the articles of the other signature length, it merges.
        merge_segments(&[&a, &d], &|x| x == 5, &out, 4, ID).unwrap();
        let seg = Segment::open(&out).unwrap();
        assert_eq!(seg.signature_len(), 1);
        assert_eq!(seg.meta(4).unwrap().unwrap().id, "x");
    }

    fn assert_corrupt(err: &Error, path: &Path) {
        assert!(matches!(err.kind(), ErrorKind::Corrupt(_)), "{err}");
        assert_eq!(err.source_name(), Some(path.display().to_string().as_str()));
    }

    /// Reads everything from a damaged copy: every read either fails as
    /// corrupt or gives the model's answer, and `verify` fails.
    fn assert_detected_with(
        path: &Path,
        articles: &Articles,
        buckets: &BTreeMap<u32, Vec<(u32, u32)>>,
        what: &str,
        access: Access,
    ) {
        let seg = match Segment::open_with(path, access) {
            Ok(seg) => seg,
            Err(err) => return assert_corrupt(&err, path),
        };
        let (no_articles, no_buckets) = absent(articles, buckets);
        let mut out = Vec::new();
        let mut scratch = Vec::new();
        for (a, x) in articles {
            match seg.fingerprints(*a, &mut out) {
                Ok(true) => assert_eq!(out, x.fps, "{what}: article {a}"),
                Ok(false) => panic!("{what}: article {a} not found"),
                Err(err) => assert_corrupt(&err, path),
            }
            match seg.fingerprints_ref(*a, &mut scratch) {
                Ok(Some(f)) => assert_eq!(f, x.fps.as_slice(), "{what}: article {a}"),
                Ok(None) => panic!("{what}: article {a} not found"),
                Err(err) => assert_corrupt(&err, path),
            }
            match seg.meta(*a) {
                Ok(Some(m)) => assert_eq!(Meta::of(&m), x.meta, "{what}: article {a}"),
                Ok(None) => panic!("{what}: article {a}'s metadata not found"),
                Err(err) => assert_corrupt(&err, path),
            }
        }
        for a in no_articles {
            match seg.fingerprints(a, &mut out) {
                Ok(found) => assert!(!found, "{what}: absent article {a} found"),
                Err(err) => assert_corrupt(&err, path),
            }
            match seg.meta(a) {
                Ok(m) => assert!(m.is_none(), "{what}: absent article {a}'s metadata found"),
                Err(err) => assert_corrupt(&err, path),
            }
        }
        let mut found = Vec::new();
        let none = Vec::new();
        for (b, want) in buckets.iter().chain(no_buckets.iter().map(|b| (b, &none))) {
            found.clear();
            match seg.bucket(*b, &mut found) {
                Ok(()) => assert_eq!(&found, want, "{what}: bucket {b:#x}"),
                Err(err) => assert_corrupt(&err, path),
            }
        }
        match seg.verify() {
            Ok(()) => panic!("{what}: verify passed"),
            Err(err) => assert_corrupt(&err, path),
        }
    }

    /// A segment of several blocks of every kind but keys; article numbers
    /// 1, 3, 5, ... or, `dense`, 1, 2, 3, ... (where reads find a record
    /// by arithmetic).
    fn damage_fixture_with(dense: bool) -> (Articles, Vec<SegmentEntry>) {
        let mut rng = 0x1234_5678_9abc_def0u64;
        let mut next = move || {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng
        };
        const WORDS: [&str; 6] = ["", "a", "Zürich", "日本", "news \u{1F4F0}", "x-y-z"];
        let articles: Articles = (0..300u32)
            .map(|i| {
                let n = next() % 12;
                let set: BTreeSet<u32> = (0..n).map(|_| next() as u32).collect();
                let mut word = |absent: bool| {
                    let r = next() as usize;
                    (!absent || !r.is_multiple_of(4))
                        .then(|| WORDS[(r >> 8) % WORDS.len()].repeat(r >> 16 & 3))
                };
                let meta = Meta {
                    id: format!("{i}-{}", word(false).unwrap_or_default()),
                    date: word(true),
                    outlet: word(true),
                    title: word(true),
                    signature: (0..3).map(|_| next() as u32).collect(),
                };
                let fps = set.into_iter().collect();
                (if dense { i + 1 } else { i * 2 + 1 }, Art { fps, meta })
            })
            .collect();
        let keys: Vec<u32> = articles.keys().copied().collect();
        let hot = [0, 7 << 21, u32::MAX];
        let entries = (0..3000)
            .map(|_| {
                let r = next();
                SegmentEntry {
                    bucket: if r % 3 == 0 {
                        hot[(r >> 8) as usize % 3]
                    } else {
                        (r >> 16) as u32
                    },
                    article: keys[(r >> 40) as usize % keys.len()],
                    size: (r >> 50) as u32 % 100,
                }
            })
            .collect();
        (articles, entries)
    }

    fn damage_fixture() -> (Articles, Vec<SegmentEntry>) {
        damage_fixture_with(false)
    }

    #[test]
    fn every_flipped_byte_is_detected() {
        flip_every_byte(false);
    }

    /// Dense article numbers: reads take a directory or metadata record
    /// alone, without its block's checksum.
    #[test]
    fn every_flipped_byte_of_a_dense_segment_is_detected() {
        flip_every_byte(true);
    }

    fn flip_every_byte(dense: bool) {
        let (articles, entries) = damage_fixture_with(dense);
        let buckets = model_buckets(&entries);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("seg");
        write(&path, &articles, &entries, Some(11));
        let bytes = std::fs::read(&path).unwrap();
        let seg = Segment::open(&path).unwrap();
        for s in 0..SECTIONS {
            assert!(seg.sections[s].1 > 0, "section {s} is empty");
        }
        for kind in [Kind::Dir, Kind::Fence, Kind::Entries, Kind::Meta] {
            assert!(
                seg.blocks(kind) >= 3,
                "{kind:?}: {} blocks",
                seg.blocks(kind)
            );
        }
        // Every header byte; the first and last bytes of every section and
        // bytes spread over it.
        let mut positions: Vec<usize> = (0..HEADER_LEN).collect();
        for &(off, len) in &seg.sections {
            positions.extend(off..off + len.min(40));
            positions.extend(off + len.saturating_sub(40)..off + len);
            positions.extend((0..120).map(|i| off + i * len / 120));
        }
        positions.sort_unstable();
        positions.dedup();
        drop(seg);
        let damaged = dir.path().join("damaged");
        for (n, &p) in positions.iter().enumerate() {
            let mut copy = bytes.clone();
            copy[p] ^= if n % 2 == 0 { 1 << (n / 2 % 8) } else { 0xff };
            std::fs::write(&damaged, &copy).unwrap();
            // Through a mapping and through reads in turn (both kinds of
            // flip reach both; every byte through both would double the
            // time).
            let access = if n / 2 % 2 == 0 {
                Access::Map
            } else {
                Access::Read
            };
            let what = format!("byte {p}, {access:?}");
            assert_detected_with(&damaged, &articles, &buckets, &what, access);
        }
    }

    #[test]
    fn truncated_extended_and_foreign_files_are_refused() {
        let (articles, entries) = damage_fixture();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("seg");
        write(&path, &articles, &entries, None);
        let bytes = std::fs::read(&path).unwrap();
        let other = dir.path().join("other");
        let open_err = |copy: &[u8]| {
            std::fs::write(&other, copy).unwrap();
            let err = Segment::open(&other).unwrap_err();
            assert_corrupt(&err, &other);
            err.to_string()
        };
        let n = bytes.len();
        for len in [n - 1, n - 8, n / 2, HEADER_LEN, HEADER_LEN - 1, 10, 0] {
            let msg = open_err(&bytes[..len]);
            assert!(msg.contains("truncated"), "{len}: {msg}");
        }
        for extra in [1, 4096] {
            let mut copy = bytes.clone();
            copy.resize(n + extra, 0);
            let msg = open_err(&copy);
            assert!(
                msg.contains(&format!(
                    "the file is {} bytes but its header says {n}",
                    n + extra
                )),
                "{msg}"
            );
        }
        let mut copy = bytes.clone();
        copy[..8].copy_from_slice(b"SQLite f");
        assert!(open_err(&copy).contains("not a neardiff segment file"));
        let mut copy = bytes.clone();
        copy[8..12].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
        let sum = xxh3_64(&copy[..SUMMED_HEADER]);
        copy[SUMMED_HEADER..HEADER_LEN].copy_from_slice(&sum.to_le_bytes());
        let msg = open_err(&copy);
        assert!(
            msg.contains(&format!(
                "segment format version {}; this build reads version {FORMAT_VERSION}",
                FORMAT_VERSION + 1
            )),
            "{msg}"
        );
        let missing = dir.path().join("missing");
        assert!(matches!(
            Segment::open(&missing).unwrap_err().kind(),
            ErrorKind::Io(_)
        ));
    }

    #[test]
    fn invalid_utf8_is_corrupt() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("seg");
        let meta = ArticleMeta {
            id: "ab",
            title: Some("cd"),
            signature: &[7],
            ..Default::default()
        };
        write_segment(&path, 1, ID, [(3, &[1u32][..], meta)], &mut []).unwrap();
        let seg = Segment::open(&path).unwrap();
        let (heap, meta_at, sums) = (
            seg.sections[META_HEAP].0,
            seg.sections[META].0,
            seg.sections[META_SUMS].0,
        );
        drop(seg);
        let mut bytes = std::fs::read(&path).unwrap();
        // The title's first byte (after the signature and the id), with the
        // checksums made to match.
        bytes[heap + 6] = 0xff;
        let sum = xxh3_64_with_seed(&bytes[heap..heap + 8], 3);
        bytes[meta_at + 24..meta_at + 32].copy_from_slice(&sum.to_le_bytes());
        let block = Kind::Meta.checksum(0, &bytes[meta_at..meta_at + META_BYTES]);
        bytes[sums..sums + 8].copy_from_slice(&block.to_le_bytes());
        std::fs::write(&path, &bytes).unwrap();
        let seg = Segment::open(&path).unwrap();
        let err = seg.meta(3).unwrap_err();
        assert_corrupt(&err, &path);
        assert!(err.to_string().contains("is not UTF-8"), "{err}");
        assert_corrupt(&seg.verify().unwrap_err(), &path);
        let mut out = Vec::new();
        assert!(seg.fingerprints(3, &mut out).unwrap());
    }

    #[test]
    fn threads_read_the_same() {
        fn shared<T: Sync + Send>(_: &T) {}
        let (articles, entries) = damage_fixture();
        let buckets = model_buckets(&entries);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("seg");
        write(&path, &articles, &entries, None);
        let seg = Segment::open(&path).unwrap();
        shared(&seg);
        let read_all = |reverse: bool| {
            let mut order: Vec<u32> = articles.keys().copied().collect();
            let mut bs: Vec<u32> = buckets.keys().copied().collect();
            if reverse {
                order.reverse();
                bs.reverse();
            }
            let mut fps = BTreeMap::new();
            let mut metas = BTreeMap::new();
            for a in order {
                let mut out = Vec::new();
                assert!(seg.fingerprints(a, &mut out).unwrap());
                fps.insert(a, out);
                metas.insert(a, Meta::of(&seg.meta(a).unwrap().unwrap()));
            }
            let mut found = BTreeMap::new();
            for b in bs {
                let mut out = Vec::new();
                seg.bucket(b, &mut out).unwrap();
                found.insert(b, out);
            }
            (fps, found, metas)
        };
        let results: Vec<_> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4)
                .map(|t| s.spawn(move || read_all(t % 2 == 1)))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let fps = fingerprint_map(&articles);
        let metas: BTreeMap<u32, Meta> =
            articles.iter().map(|(a, x)| (*a, x.meta.clone())).collect();
        for r in &results {
            assert_eq!(r.0, fps);
            assert_eq!(r.1, buckets);
            assert_eq!(r.2, metas);
        }
    }
}
