//! The layout shared by the segment writer and reader: section numbers and
//! record sizes, where each section lies for given counts, the
//! checksummed block kinds, fence slots, the set of a segment's
//! articles, and little-endian decoding.

use xxhash_rust::xxh3::xxh3_64_with_seed;

use super::{DIR_BLOCK, ENTRY_BLOCK, HEADER_LEN, MAX_FENCE_BITS, SegmentEntry, TABLE_BLOCK};

/// The most fence bits a reader accepts.
pub(super) const READ_MAX_FENCE_BITS: u32 = 24;
pub(super) const ENTRY_BYTES: usize = 12;
pub(super) const RECORD_BYTES: usize = 24;
pub(super) const META_BYTES: usize = 32;
pub(super) const SECTIONS: usize = 12;
pub(super) const SUMMED_HEADER: usize = HEADER_LEN - 8;
/// Where the header's section table starts, and the file length.
pub(super) const SECTION_TABLE: usize = 80;
pub(super) const FILE_LEN_AT: usize = SECTION_TABLE + SECTIONS * 16;

// Section numbers, in file order.
pub(super) const FINGERPRINTS: usize = 0;
pub(super) const ENTRIES: usize = 1;
pub(super) const DIRECTORY: usize = 2;
pub(super) const KEYS: usize = 3;
pub(super) const FENCE: usize = 4;
pub(super) const KEY_SUMS: usize = 5;
pub(super) const DIR_SUMS: usize = 6;
pub(super) const FENCE_SUMS: usize = 7;
pub(super) const ENTRY_SUMS: usize = 8;
pub(super) const META_HEAP: usize = 9;
pub(super) const META: usize = 10;
pub(super) const META_SUMS: usize = 11;

/// The blocks that carry a checksum each.
#[derive(Clone, Copy, Debug)]
pub(super) enum Kind {
    Keys = 0,
    Dir = 1,
    Fence = 2,
    Entries = 3,
    Meta = 4,
}

pub(super) const KINDS: [Kind; 5] = [
    Kind::Keys,
    Kind::Dir,
    Kind::Fence,
    Kind::Entries,
    Kind::Meta,
];

impl Kind {
    /// The data section and the checksum section.
    pub(super) fn sections(self) -> (usize, usize) {
        match self {
            Kind::Keys => (KEYS, KEY_SUMS),
            Kind::Dir => (DIRECTORY, DIR_SUMS),
            Kind::Fence => (FENCE, FENCE_SUMS),
            Kind::Entries => (ENTRIES, ENTRY_SUMS),
            Kind::Meta => (META, META_SUMS),
        }
    }

    pub(super) fn block_bytes(self) -> usize {
        match self {
            Kind::Keys | Kind::Fence => TABLE_BLOCK * 4,
            Kind::Dir => DIR_BLOCK * RECORD_BYTES,
            Kind::Entries => ENTRY_BLOCK * ENTRY_BYTES,
            Kind::Meta => DIR_BLOCK * META_BYTES,
        }
    }

    pub(super) fn name(self) -> &'static str {
        match self {
            Kind::Keys => "key",
            Kind::Dir => "directory",
            Kind::Fence => "fence",
            Kind::Entries => "entry",
            Kind::Meta => "metadata directory",
        }
    }

    pub(super) fn checksum(self, block: usize, bytes: &[u8]) -> u64 {
        xxh3_64_with_seed(bytes, ((self as u64 + 1) << 56) | block as u64)
    }
}

/// The offset and length of every section, and the file's length, for
/// these counts (`heap`: the metadata heap's bytes); `None` if they
/// overflow.
pub(super) fn layout(
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
pub(super) fn fence_bits_for(entries: u64) -> u32 {
    let mut bits = 0;
    while bits < MAX_FENCE_BITS && (entries >> bits) > 16 {
        bits += 1;
    }
    bits
}

/// The fence slot of a bucket: its top `bits` bits.
pub(super) fn slot(bucket: u32, bits: u32) -> usize {
    ((bucket as u64) >> (32 - bits)) as usize
}

/// Entry `i` of a block of entries.
#[inline]
pub(super) fn entry_at(block: &[u8], i: usize) -> SegmentEntry {
    let b = &block[i * ENTRY_BYTES..(i + 1) * ENTRY_BYTES];
    SegmentEntry {
        bucket: u32_at(b, 0),
        article: u32_at(b, 4),
        size: u32_at(b, 8),
    }
}

pub(super) fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

pub(super) fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut v = [0; 8];
    v.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(v)
}

/// Article numbers, for checking that every entry names an article of the
/// segment: a bitmap over their span when that is small, else the sorted
/// list.
pub(super) enum ArticleSet<'a> {
    Dense { first: u32, bits: Vec<u64> },
    Sorted(&'a [u32]),
}

impl<'a> ArticleSet<'a> {
    /// `articles` is sorted.
    pub(super) fn new(articles: &'a [u32]) -> ArticleSet<'a> {
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

    pub(super) fn contains(&self, article: u32) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_follow_each_other_to_the_file_length() {
        let (sections, file_len) = layout(130, 1000, 5000, 8, 777).unwrap();
        let mut at = HEADER_LEN as u64;
        for (off, len) in sections {
            assert_eq!(off, at);
            at += len;
        }
        assert_eq!(at, file_len);
        assert_eq!(sections[FINGERPRINTS].1, 4000);
        assert_eq!(sections[ENTRIES].1, 5000 * ENTRY_BYTES as u64);
        assert_eq!(sections[KEYS].1, 130u64.div_ceil(DIR_BLOCK as u64) * 4);
        assert_eq!(sections[FENCE].1, ((1 << 8) + 1) * 4);
        assert_eq!(sections[META_HEAP].1, 777);
        assert!(layout(u64::MAX, 0, 0, 0, 0).is_none());
        assert!(layout(0, u64::MAX, 0, 0, 0).is_none());
    }

    #[test]
    fn fence_bits_give_about_16_entries_a_slot() {
        assert_eq!(fence_bits_for(0), 0);
        assert_eq!(fence_bits_for(16), 0);
        assert_eq!(fence_bits_for(17), 1);
        assert_eq!(fence_bits_for(1 << 20), 16);
        assert_eq!(fence_bits_for(u64::MAX), MAX_FENCE_BITS);
        assert_eq!(slot(u32::MAX, 0), 0);
        assert_eq!(slot(u32::MAX, 4), 15);
        assert_eq!(slot(0x8000_0000, 1), 1);
    }

    #[test]
    fn checksums_depend_on_kind_and_block() {
        let bytes = [1u8, 2, 3];
        let sums: Vec<u64> = KINDS.iter().map(|k| k.checksum(0, &bytes)).collect();
        for (i, a) in sums.iter().enumerate() {
            assert!(sums[i + 1..].iter().all(|b| a != b));
        }
        assert_ne!(Kind::Dir.checksum(0, &bytes), Kind::Dir.checksum(1, &bytes));
    }

    #[test]
    fn article_sets_dense_and_sorted_agree() {
        let dense: Vec<u32> = (10..500).step_by(3).collect();
        let sparse = [0, 7, 1 << 20, u32::MAX];
        assert!(matches!(ArticleSet::new(&dense), ArticleSet::Dense { .. }));
        assert!(matches!(ArticleSet::new(&sparse), ArticleSet::Sorted(_)));
        assert!(matches!(ArticleSet::new(&[]), ArticleSet::Sorted(_)));
        for list in [&dense[..], &sparse[..]] {
            let set = ArticleSet::new(list);
            for a in [
                0,
                1,
                6,
                7,
                9,
                10,
                11,
                13,
                499,
                500,
                1 << 20,
                u32::MAX - 1,
                u32::MAX,
            ] {
                assert_eq!(set.contains(a), list.contains(&a), "{a}");
            }
        }
    }

    #[test]
    fn entries_and_integers_decode_little_endian() {
        let mut b = Vec::new();
        for v in [1u32, 2, 3, 0xdead_beef, 5, 6] {
            b.extend_from_slice(&v.to_le_bytes());
        }
        assert_eq!(
            entry_at(&b, 1),
            SegmentEntry {
                bucket: 0xdead_beef,
                article: 5,
                size: 6
            }
        );
        assert_eq!(u32_at(&b, 12), 0xdead_beef);
        assert_eq!(u64_at(&b, 0), 1 | 2 << 32);
    }
}
