//! [`Segment::verify`]: every byte of a segment checked, for `index
//! verify` (reads check only what they use).

use super::DIR_BLOCK;
use super::format::{ArticleSet, KINDS, META_HEAP, slot};
use super::reader::Segment;
use crate::error::Result;

impl Segment {
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

#[cfg(test)]
mod tests {
    use super::super::HEADER_LEN;
    use super::super::format::{Kind, SECTIONS};
    use super::super::reader::Access;
    use super::super::testutil::*;
    use super::*;
    use std::collections::BTreeMap;
    use std::path::Path;

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
}
