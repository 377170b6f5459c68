//! Segment files: an immutable file of articles' fingerprints, metadata
//! and bucket entries, read by address through a memory map or positioned
//! reads ([`Access`]).
//!
//! This is the file format of the layout in `docs/index-storage.md`:
//! [`Index`](super::Index) writes one segment per batch and merges them. A
//! segment is written once ([`write_segment`], [`SegmentWriter`] or
//! [`merge_segments`]) to a temporary name, synced, and renamed into place
//! by the caller; it is never changed afterwards, so any number of readers
//! may map it ([`Segment::open`]) and share one [`Segment`] across threads.
//!
//! The format's constants and the types of its records are here; the code
//! is in one file per task: `format.rs` (the section layout, block
//! checksums and byte decoding shared by reader and writer), `writer.rs`,
//! `reader.rs` (opening a file, its header and its checksummed blocks),
//! `lookup.rs` (an article's fingerprints and metadata, a bucket's
//! entries), `verify.rs` (every byte) and `merge.rs`.
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

mod format;
mod lookup;
mod merge;
mod reader;
#[cfg(test)]
mod testutil;
mod verify;
mod writer;

use super::store::read_u32s_into;

pub use merge::merge_segments;
pub use reader::{Access, Segment};
pub use writer::{SegmentWriter, write_segment};

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
