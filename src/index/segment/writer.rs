//! Writing a segment file: [`SegmentWriter`] article by article (the
//! metadata heap in a side file until the end), then the bucket entries,
//! the tables, their checksums and the header; [`write_segment`] for
//! articles at hand.

use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

use super::format::{ArticleSet, ENTRY_BYTES, Kind, SECTION_TABLE, fence_bits_for, layout, slot};
use super::{
    ABSENT, ArticleMeta, DIR_BLOCK, ENTRY_BLOCK, FORMAT_VERSION, HEADER_LEN, MAGIC, SegmentEntry,
    SegmentInfo,
};
use crate::error::{Error, IoOp, Result};
use crate::index::filetype::{self, Role};

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
    pub(super) fn finish_sorted(
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

#[cfg(test)]
mod tests {
    use super::super::testutil::ID;
    use super::*;

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
}
