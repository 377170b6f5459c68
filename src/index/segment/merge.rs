//! [`merge_segments`]: several segments of one index merged into one, the
//! data of removed articles left out.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::path::Path;

use super::format::fence_bits_for;
use super::reader::Segment;
use super::writer::SegmentWriter;
use super::{ArticleMeta, SegmentInfo};
use crate::error::{Error, Result};

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
    use super::super::testutil::*;
    use super::super::{SegmentEntry, write_segment};
    use super::*;
    use proptest::prelude::*;
    use std::collections::{BTreeMap, BTreeSet};

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

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
}
