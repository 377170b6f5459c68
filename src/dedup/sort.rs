//! Sorting values that begin with a uniformly spread hash (shingle
//! fingerprints, LSH bucket keys) in linear expected time.
//!
//! One counting pass on the top bits of the hash scatters the values into
//! about one bucket per value, in bucket order and stably; an insertion sort
//! then moves each value at most within its small bucket. Runs of equal
//! hashes (the bucket keys of copies) cost nothing extra when they arrive
//! in order, as entries made in document order do. When the values are
//! not spread and the insertion sort has moved values more than
//! [`MOVES_PER_VALUE`] times per value, the rest is left to
//! `sort_unstable`, so the worst case stays `O(n log n)`.

/// The insertion sort's budget of moves, per value.
pub const MOVES_PER_VALUE: usize = 8;

/// Shorter inputs go straight to `sort_unstable`.
const MIN_LEN: usize = 64;

/// Reusable buffers of [`sort_by_hash`].
pub struct SortScratch<T> {
    counts: Vec<u32>,
    values: Vec<T>,
}

impl<T> Default for SortScratch<T> {
    fn default() -> Self {
        SortScratch {
            counts: Vec::new(),
            values: Vec::new(),
        }
    }
}

/// Sorts `v` by `Ord`, where `hash(x)` is a uniformly spread 64-bit value
/// whose order agrees with `Ord` (`hash(x) < hash(y)` implies `x < y`).
pub fn sort_by_hash<T: Copy + Ord + Default>(
    v: &mut Vec<T>,
    hash: impl Fn(&T) -> u64,
    scratch: &mut SortScratch<T>,
) {
    let n = v.len();
    if n < MIN_LEN {
        v.sort_unstable();
        return;
    }
    // About one bucket per value, at most 2^22 buckets.
    let bits = (usize::BITS - (n - 1).leading_zeros()).min(22);
    let shift = 64 - bits;
    let counts = &mut scratch.counts;
    counts.clear();
    counts.resize((1 << bits) + 1, 0);
    for x in v.iter() {
        counts[(hash(x) >> shift) as usize + 1] += 1;
    }
    // The running sum stays in a register: adding each count to the one
    // just stored would wait on that store every step.
    let mut sum = 0;
    for c in counts.iter_mut() {
        sum += *c;
        *c = sum;
    }
    let tmp = &mut scratch.values;
    tmp.clear();
    tmp.resize(n, T::default());
    // counts[b] is where bucket b starts; it advances as values land.
    for &x in v.iter() {
        let slot = &mut counts[(hash(&x) >> shift) as usize];
        tmp[*slot as usize] = x;
        *slot += 1;
    }
    let mut budget = MOVES_PER_VALUE * n;
    for i in 1..n {
        let x = tmp[i];
        let mut j = i;
        while j > 0 && tmp[j - 1] > x {
            tmp[j] = tmp[j - 1];
            j -= 1;
        }
        tmp[j] = x;
        budget = budget.saturating_sub(i - j);
        if budget == 0 {
            tmp.sort_unstable();
            break;
        }
    }
    std::mem::swap(v, tmp);
}

/// Sorts 32-bit hashes (uniformly spread values, such as shingle
/// fingerprints). On a processor with AVX-512 a set of up to 256 values is
/// sorted in registers (a bitonic network, `dedup/network.rs`) and a larger one
/// is first spread by its top bits into buckets of about 32 to 64 values,
/// each then sorted in registers; elsewhere it is [`sort_by_hash`].
pub fn sort_hashes_u32(v: &mut Vec<u32>, scratch: &mut SortScratch<u32>) {
    #[cfg(target_arch = "x86_64")]
    if super::network::available() {
        // SAFETY: the processor has AVX-512 F.
        unsafe { sort_hashes_network(v, scratch) };
        return;
    }
    sort_by_hash(v, |&x| (x as u64) << 32, scratch);
}

/// [`sort_hashes_u32`] with the sorting network.
///
/// # Safety
/// The processor must have AVX-512 F.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn sort_hashes_network(v: &mut Vec<u32>, scratch: &mut SortScratch<u32>) {
    use super::network::{MAX_VALUES, sort_in_registers};
    let n = v.len();
    if n <= MAX_VALUES {
        // SAFETY: the caller's processor has AVX-512 F.
        unsafe { sort_in_registers(v) };
        return;
    }
    // 2^bits buckets of at most 64 values on average, at most 2^22.
    let bits = (usize::BITS - (n.div_ceil(64) - 1).leading_zeros()).min(22);
    let shift = 32 - bits;
    let counts = &mut scratch.counts;
    counts.clear();
    counts.resize((1 << bits) + 1, 0);
    for &x in v.iter() {
        counts[(x >> shift) as usize + 1] += 1;
    }
    let mut sum = 0;
    for c in counts.iter_mut() {
        sum += *c;
        *c = sum;
    }
    let tmp = &mut scratch.values;
    tmp.clear();
    tmp.resize(n, 0);
    // counts[b] is where bucket b starts; it advances as values land, and
    // ends where bucket b + 1 starts.
    for &x in v.iter() {
        let slot = &mut counts[(x >> shift) as usize];
        tmp[*slot as usize] = x;
        *slot += 1;
    }
    let mut start = 0;
    for &end in &counts[..1 << bits] {
        let bucket = &mut tmp[start..end as usize];
        if bucket.len() <= MAX_VALUES {
            // SAFETY: the caller's processor has AVX-512 F.
            unsafe { sort_in_registers(bucket) };
        } else {
            bucket.sort_unstable();
        }
        start = end as usize;
    }
    std::mem::swap(v, tmp);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn spread(x: u32) -> u64 {
        crate::sketch::mix64(x as u64)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Hash-like values, crowded values and repeats all come out as
        /// `sort_unstable` leaves them.
        #[test]
        fn sorts_like_sort_unstable(
            raw in proptest::collection::vec(any::<u32>(), 0..3000),
            crowd in 0u32..5,
        ) {
            // crowd 0: hashes; 1: few distinct values; 2: small values
            // (all in the first buckets); 3: pairs sharing a hash; 4: a few
            // crowded buckets out of order (the move budget runs out).
            let mut v: Vec<(u64, u32)> = raw
                .iter()
                .enumerate()
                .map(|(i, &x)| match crowd {
                    0 => (spread(x), i as u32),
                    1 => (spread(x % 5), i as u32),
                    2 => ((x % 1000) as u64, i as u32),
                    3 => (spread(x / 2), x),
                    _ => (spread(x % 7) ^ (i as u64 % 3), i as u32),
                })
                .collect();
            let mut want = v.clone();
            want.sort_unstable();
            sort_by_hash(&mut v, |e| e.0, &mut SortScratch::default());
            prop_assert_eq!(v, want);
        }

        /// 32-bit hashes, crowded ones and repeats, at lengths that take
        /// one register, one network and several buckets (one of them
        /// too full for a network when the values are crowded).
        #[test]
        fn hashes_u32_sort_like_sort_unstable(
            raw in proptest::collection::vec(any::<u32>(), 0..3000),
            crowd in 0u32..3,
        ) {
            let mut v: Vec<u32> = raw
                .iter()
                .map(|&x| match crowd {
                    0 => spread(x) as u32,
                    1 => (spread(x % 300) >> 32) as u32,
                    _ => x % 1000,
                })
                .collect();
            let mut want = v.clone();
            want.sort_unstable();
            sort_hashes_u32(&mut v, &mut SortScratch::default());
            prop_assert_eq!(v, want);
        }
    }
}
