//! Opening a segment file: the [`Segment`] type, its header checked
//! against the file, the two ways of reading it ([`Access`]), and its
//! checksummed blocks (keys, directory records, fence values), each
//! verified once and remembered in a bitset.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use elsa::sync::FrozenMap;
use memmap2::Mmap;
use xxhash_rust::xxh3::xxh3_64;

use super::format::{
    FILE_LEN_AT, KINDS, Kind, READ_MAX_FENCE_BITS, RECORD_BYTES, SECTION_TABLE, SECTIONS,
    SUMMED_HEADER, layout, u32_at, u64_at,
};
use super::{DIR_BLOCK, FORMAT_VERSION, HEADER_LEN, MAGIC, TABLE_BLOCK};
use crate::error::{Error, IoOp, Result};
use crate::index::filetype::{self, Role};
use crate::index::store::{corrupt, rebuild_corrupt};

/// A directory record.
#[derive(Clone, Copy, Debug)]
pub(super) struct Record {
    pub(super) article: u32,
    pub(super) count: u32,
    pub(super) offset: u64,
    pub(super) sum: u64,
}

impl Record {
    /// A record from its [`RECORD_BYTES`] bytes.
    pub(super) fn decode(b: &[u8]) -> Record {
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
pub(super) enum Source {
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

/// An open segment file, mapped into memory or read as used ([`Access`]).
/// Reads verify the checksums of what they use; `Segment` is `Sync`, so
/// threads may share one.
pub struct Segment {
    pub(super) path: PathBuf,
    pub(super) header_checksum: u64,
    pub(super) source: Source,
    /// The file's length.
    pub(super) len: usize,
    pub(super) segment_id: u64,
    pub(super) index_id: [u8; 16],
    pub(super) fence_bits: u32,
    pub(super) articles: usize,
    pub(super) fingerprints: usize,
    pub(super) entries: usize,
    /// The length of every article's signature.
    pub(super) signature_len: usize,
    /// Offset and length of each section.
    pub(super) sections: [(usize, usize); SECTIONS],
    /// The bit of the first block of each [`Kind`] in `verified`.
    pub(super) first_block: [usize; KINDS.len()],
    /// One bit per checksummed block: set once its checksum passed.
    pub(super) verified: Vec<AtomicU64>,
    /// One bit per directory record: set once its fingerprints passed their
    /// checksum (a batch of checks reads many articles more than once).
    pub(super) verified_records: Vec<AtomicU64>,
    /// One bit per metadata directory record: set once its metadata passed
    /// its checksum.
    pub(super) verified_meta: Vec<AtomicU64>,
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
            return Err(rebuild_corrupt(
                path,
                format!(
                    "segment format version {version}; this build reads version {FORMAT_VERSION}: rebuild the index"
                ),
            ));
        }
        let damaged = |what: &str| {
            rebuild_corrupt(
                path,
                format!("{what}; the segment is damaged: rebuild the index"),
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
            return Err(rebuild_corrupt(
                path,
                format!(
                    "the file is {len} bytes but its header says {file_len}: the segment is truncated or extended; rebuild the index"
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

    /// The header's checksum (see [`SegmentInfo::header_checksum`](super::SegmentInfo::header_checksum)).
    pub fn header_checksum(&self) -> u64 {
        self.header_checksum
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

    pub(super) fn damaged(&self, what: impl std::fmt::Display) -> Error {
        rebuild_corrupt(
            &self.path,
            format!("{what}; the segment is damaged: rebuild the index"),
        )
    }

    /// Bytes `off..off + len` of section `s`.
    pub(super) fn bytes(&self, s: usize, off: usize, len: usize) -> Result<&[u8]> {
        let (start, size) = self.sections[s];
        if off.checked_add(len).is_none_or(|end| end > size) {
            return Err(self.damaged("a read reaches past the end of its section"));
        }
        self.raw(start + off, len)
    }

    /// Bytes `off..off + len` of the file (in bounds: the sections were
    /// checked against the file's length when it was opened).
    pub(super) fn raw(&self, off: usize, len: usize) -> Result<&[u8]> {
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
    pub(super) fn mapped(&self, s: usize) -> Option<&[u8]> {
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
    pub(super) fn block(&self, kind: Kind, block: usize) -> Result<&[u8]> {
        self.check(kind, block)?;
        self.block_bytes(kind, block)
    }

    /// The bytes of a block, unverified.
    pub(super) fn block_bytes(&self, kind: Kind, block: usize) -> Result<&[u8]> {
        let data = kind.sections().0;
        let start = block * kind.block_bytes();
        let len = kind
            .block_bytes()
            .min(self.sections[data].1.saturating_sub(start));
        self.bytes(data, start, len)
    }

    /// The number of blocks of a kind.
    pub(super) fn blocks(&self, kind: Kind) -> usize {
        self.sections[kind.sections().0]
            .1
            .div_ceil(kind.block_bytes())
    }

    /// Verifies a block's checksum, unless it passed before.
    #[inline]
    pub(super) fn check(&self, kind: Kind, block: usize) -> Result<()> {
        once(
            &self.verified,
            self.first_block[kind as usize] + block,
            || self.check_block(kind, block),
        )
    }

    pub(super) fn check_block(&self, kind: Kind, block: usize) -> Result<()> {
        let sums = kind.sections().1;
        let bytes = self.block_bytes(kind, block)?;
        if kind.checksum(block, bytes) != u64_at(self.bytes(sums, block * 8, 8)?, 0) {
            return Err(self.damaged(format!("{} block {block} fails its checksum", kind.name())));
        }
        Ok(())
    }

    /// The first article of directory block `j`.
    pub(super) fn key(&self, j: usize) -> Result<u32> {
        let b = self.block(Kind::Keys, j / TABLE_BLOCK)?;
        Ok(u32_at(b, (j % TABLE_BLOCK) * 4))
    }

    /// Fence value `k`, checked against the entry count.
    pub(super) fn fence(&self, k: usize) -> Result<usize> {
        let b = self.block(Kind::Fence, k / TABLE_BLOCK)?;
        let v = u32_at(b, (k % TABLE_BLOCK) * 4) as usize;
        if v > self.entries {
            return Err(self.damaged(format!("fence value {k} is out of range")));
        }
        Ok(v)
    }

    /// The article of directory record `r`.
    pub(super) fn record_article(&self, r: usize) -> Result<u32> {
        let b = self.block(Kind::Dir, r / DIR_BLOCK)?;
        Ok(u32_at(b, (r % DIR_BLOCK) * RECORD_BYTES))
    }

    /// Directory record `r`.
    pub(super) fn record(&self, r: usize) -> Result<Record> {
        let b = self.block(Kind::Dir, r / DIR_BLOCK)?;
        Ok(Record::decode(
            &b[(r % DIR_BLOCK) * RECORD_BYTES..][..RECORD_BYTES],
        ))
    }
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

/// Runs `verify` unless bit `i` of `bits` says it passed before, and sets
/// the bit when it passes. Relaxed is enough: a bit only records that
/// immutable bytes passed; a race verifies them twice.
///
/// With no bits at all it always verifies: [`Access::Read`] keeps no
/// per-article bits (a check of a few articles reads each once, and
/// zeroing bits for a million articles would cost more).
pub(super) fn once(
    bits: &[AtomicU64],
    i: usize,
    verify: impl FnOnce() -> Result<()>,
) -> Result<()> {
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

#[cfg(test)]
mod tests {
    use super::super::SegmentEntry;
    use super::super::testutil::*;
    use super::*;
    use crate::ErrorKind;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

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
