//! Test support for the segment modules: an owned model of a segment's
//! articles and buckets, a writer of it, proptest strategies, a fixture
//! of several blocks of every kind, and the assertion that a segment reads
//! as its model says.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use proptest::prelude::*;

use super::{ArticleMeta, ArticleMetaRef, Segment, SegmentEntry, SegmentInfo, SegmentWriter};
use crate::{Error, ErrorKind};

pub(super) const ID: [u8; 16] = *b"0123456789abcdef";

/// An article's metadata, owned.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Meta {
    pub(super) id: String,
    pub(super) date: Option<String>,
    pub(super) outlet: Option<String>,
    pub(super) title: Option<String>,
    pub(super) signature: Vec<u32>,
}

impl Meta {
    pub(super) fn as_meta(&self) -> ArticleMeta<'_> {
        ArticleMeta {
            id: &self.id,
            date: self.date.as_deref(),
            outlet: self.outlet.as_deref(),
            title: self.title.as_deref(),
            signature: &self.signature,
        }
    }

    pub(super) fn of(m: &ArticleMetaRef<'_>) -> Meta {
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
pub(super) struct Art {
    pub(super) fps: Vec<u32>,
    pub(super) meta: Meta,
}

pub(super) type Articles = BTreeMap<u32, Art>;

pub(super) fn fingerprint_map(articles: &Articles) -> BTreeMap<u32, Vec<u32>> {
    articles.iter().map(|(a, x)| (*a, x.fps.clone())).collect()
}

/// Writes a segment with the given fence bits (`None`: the writer's
/// choice).
pub(super) fn write(
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
pub(super) fn model_buckets(entries: &[SegmentEntry]) -> BTreeMap<u32, Vec<(u32, u32)>> {
    let mut sorted = entries.to_vec();
    sorted.sort_unstable();
    let mut out: BTreeMap<u32, Vec<(u32, u32)>> = BTreeMap::new();
    for e in sorted {
        out.entry(e.bucket).or_default().push((e.article, e.size));
    }
    out
}

/// Articles and buckets to ask for that are not in the segment.
pub(super) fn absent(
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
pub(super) fn assert_model(seg: &Segment, articles: &Articles, entries: &[SegmentEntry]) {
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
pub(super) fn string_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-z0-9]{1,8}",
        "[é日本語 \u{1F600}a-]{0,6}",
        "\\PC{0,24}",
    ]
}

pub(super) fn meta_strategy(signature_len: usize) -> impl Strategy<Value = Meta> {
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

pub(super) fn articles_strategy(max: usize) -> impl Strategy<Value = Articles> {
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
pub(super) fn bucket_strategy() -> impl Strategy<Value = u32> {
    prop_oneof![
        6 => prop::sample::select(vec![0u32, u32::MAX, 0x1234_5678]),
        2 => prop::sample::select(vec![1u32, u32::MAX - 1, 0x1234_5679, 0x8000_0000]),
        1 => 0u32..64,
        1 => (u32::MAX - 64)..=u32::MAX,
        2 => any::<u32>(),
    ]
}

/// Articles and entries naming them.
pub(super) fn segment_strategy() -> impl Strategy<Value = (Articles, Vec<SegmentEntry>)> {
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

pub(super) fn assert_corrupt(err: &Error, path: &Path) {
    assert!(matches!(err.kind(), ErrorKind::Corrupt(_)), "{err}");
    assert_eq!(err.source_name(), Some(path.display().to_string().as_str()));
}

/// A segment of several blocks of every kind but keys; article numbers
/// 1, 3, 5, ... or, `dense`, 1, 2, 3, ... (where reads find a record
/// by arithmetic).
pub(super) fn damage_fixture_with(dense: bool) -> (Articles, Vec<SegmentEntry>) {
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

pub(super) fn damage_fixture() -> (Articles, Vec<SegmentEntry>) {
    damage_fixture_with(false)
}
