//! Reads by address: an article's fingerprints (copied, borrowed from the
//! mapping, or read into a buffer) and metadata, a bucket's entries, every
//! article or entry in file order, and prefetch hints for a check's next
//! reads.

use std::fs::File;

use super::format::{
    DIRECTORY, ENTRIES, ENTRY_BYTES, FENCE, FINGERPRINTS, Kind, META, META_BYTES, META_HEAP,
    RECORD_BYTES, entry_at, slot, u32_at, u64_at,
};
use super::reader::{Record, Segment, Source, once};
use super::{ABSENT, ArticleMetaRef, DIR_BLOCK, ENTRY_BLOCK, SegmentEntry};
use crate::cache::prefetch;
use crate::error::{Error, IoOp, Result};
use crate::index::store::read_u32s_into;
use xxhash_rust::xxh3::xxh3_64_with_seed;

impl Segment {
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

    /// Directory record `r` read on its own (24 bytes), not through its
    /// checksummed block. For reads ([`Access::Read`]), where a block costs
    /// a copy of 64 records and a read of its checksum. Only callers that
    /// then check what the record points to against the checksum the record
    /// holds, seeded with the article number, use it: that check covers
    /// every field (a damaged article number, count, offset or checksum
    /// fails it), so a damaged record is still an error.
    pub(super) fn lone_record(&self, r: usize) -> Result<Record> {
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
    pub(super) fn find_record(&self, article: u32) -> Result<Option<(usize, Record)>> {
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
    pub(super) fn record_bytes(&self, r: usize, rec: &Record) -> Result<&[u8]> {
        let start = self.fingerprint_offset(rec)?;
        let b = self.bytes(FINGERPRINTS, start, rec.count as usize * 4)?;
        once(&self.verified_records, r, || {
            self.check_fingerprints(rec, b)
        })?;
        Ok(b)
    }

    /// Where `rec`'s fingerprints start in the fingerprint section, checked
    /// to lie inside it.
    pub(super) fn fingerprint_offset(&self, rec: &Record) -> Result<usize> {
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
    pub(super) fn check_fingerprints(&self, rec: &Record, bytes: &[u8]) -> Result<()> {
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
    pub(super) fn read_fingerprints_into(
        &self,
        file: &File,
        rec: &Record,
        out: &mut Vec<u32>,
    ) -> Result<()> {
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
    pub(super) fn read_record(&self, r: usize, out: &mut Vec<u32>) -> Result<Record> {
        let rec = self.record(r)?;
        let bytes = self.record_bytes(r, &rec)?;
        read_u32s_into(out, bytes);
        Ok(rec)
    }

    /// The last directory block whose first article is at or below
    /// `article`, if any. Article numbers are mostly dense, so the search
    /// starts from a guess by interpolation and gallops from there.
    pub(super) fn block_of(&self, article: u32) -> Result<Option<usize>> {
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
    pub(super) fn find(&self, article: u32) -> Result<Option<usize>> {
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
    pub(super) fn read_meta(
        &self,
        r: usize,
        article: u32,
    ) -> Result<(u64, usize, ArticleMetaRef<'_>)> {
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
    pub(super) fn entry(&self, i: usize) -> Result<SegmentEntry> {
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
}

#[cfg(test)]
mod tests {
    use super::super::format::{Kind, META, META_BYTES, META_HEAP, META_SUMS};
    use super::super::testutil::*;
    use super::super::{ArticleMeta, write_segment};
    use super::*;
    use xxhash_rust::xxh3::xxh3_64_with_seed;

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
}
