//! Sorting up to 256 `u32` inside AVX-512 registers with a bitonic
//! network: no branch depends on the values, so nothing is mispredicted
//! (the counting sort of [`sort`](super::sort) mispredicts about once
//! every few values, and a shingle set is sorted for every article).
//!
//! The values are loaded into 1, 2, 4, 8 or 16 registers of sixteen lanes,
//! the lanes past the end set to `u32::MAX`, so the first `n` lanes after
//! sorting are the `n` values in order (a value equal to `u32::MAX` is
//! indistinguishable from the padding, and there is as much of each). The
//! network merges sorted runs of 1, 2, 4, ... values: a run of `2s` is made
//! from two runs of `s` by comparing each value of the first run with its
//! mirror in the second (the "flip"), then each half with itself at
//! distances `s/2`, `s/4`, ..., 1. Every comparison puts the smaller value
//! at the lower position. Distances of sixteen lanes or more pair whole
//! registers; shorter ones pair lanes of one register, by a permutation.

use std::arch::x86_64::*;

/// The most values [`sort_in_registers`] takes.
pub(crate) const MAX_VALUES: usize = 256;

/// Whether this processor can run [`sort_in_registers`].
pub(crate) fn available() -> bool {
    crate::arch::cpu().avx512f
}

/// Sorts `v` (at most [`MAX_VALUES`] values) in ascending order.
///
/// # Safety
/// The processor must have AVX-512 F ([`available`]).
///
/// # Panics
/// When `v` holds more than [`MAX_VALUES`] values.
#[target_feature(enable = "avx512f")]
pub(crate) unsafe fn sort_in_registers(v: &mut [u32]) {
    match v.len() {
        0 | 1 => {}
        2..=16 => sort_registers::<1>(v),
        17..=32 => sort_registers::<2>(v),
        33..=64 => sort_registers::<4>(v),
        65..=128 => sort_registers::<8>(v),
        129..=MAX_VALUES => sort_registers::<16>(v),
        n => panic!("{n} values do not fit in sixteen registers"),
    }
}

/// The lanes of `v` permuted so that lane `l` holds lane `l ^ X` (`X` one
/// of 1, 2, 3, 4, 7, 8, 15), by the cheapest shuffles that do it: within
/// 128-bit quarters for 1, 2 and 3, of whole quarters for 4 and 8, both
/// for 7 and 15.
#[inline]
#[target_feature(enable = "avx512f")]
fn partner<const X: i32>(v: __m512i) -> __m512i {
    // Shuffle controls: 0xB1 swaps neighbours, 0x4E swaps pairs, 0x1B
    // reverses four.
    match X {
        1 => _mm512_shuffle_epi32::<0xB1>(v),
        2 => _mm512_shuffle_epi32::<0x4E>(v),
        3 => _mm512_shuffle_epi32::<0x1B>(v),
        4 => _mm512_shuffle_i32x4::<0xB1>(v, v),
        7 => _mm512_shuffle_epi32::<0x1B>(_mm512_shuffle_i32x4::<0xB1>(v, v)),
        8 => _mm512_shuffle_i32x4::<0x4E>(v, v),
        15 => _mm512_shuffle_epi32::<0x1B>(_mm512_shuffle_i32x4::<0x1B>(v, v)),
        _ => unreachable!("no shuffle for lane ^ {X}"),
    }
}

/// The lanes `l` with bit `bit` set.
const fn upper(bit: u32) -> __mmask16 {
    let mut m = 0u16;
    let mut l = 0;
    while l < 16 {
        if l & bit != 0 {
            m |= 1 << l;
        }
        l += 1;
    }
    m
}

/// One comparison stage inside a register: lane `l` against lane `l ^ X`,
/// the smaller value kept by the lane of the pair without bit `bit`.
#[inline]
#[target_feature(enable = "avx512f")]
fn exchange<const X: i32>(v: __m512i, bit: u32) -> __m512i {
    let p = partner::<X>(v);
    _mm512_mask_blend_epi32(upper(bit), _mm512_min_epu32(v, p), _mm512_max_epu32(v, p))
}

/// The lanes of `v` in reverse order.
#[inline]
#[target_feature(enable = "avx512f")]
fn reverse(v: __m512i) -> __m512i {
    partner::<15>(v)
}

/// Sorts the sixteen lanes of one register.
#[inline]
#[target_feature(enable = "avx512f")]
fn sort16(v: __m512i) -> __m512i {
    let v = exchange::<1>(v, 1);
    let v = exchange::<1>(exchange::<3>(v, 2), 1);
    let v = exchange::<1>(exchange::<2>(exchange::<7>(v, 4), 2), 1);
    clean8(exchange::<15>(v, 8))
}

/// The stages at distances 4, 2 and 1 lanes.
#[inline]
#[target_feature(enable = "avx512f")]
fn clean8(v: __m512i) -> __m512i {
    exchange::<1>(exchange::<2>(exchange::<4>(v, 4), 2), 1)
}

/// Runs `$body` sixteen times with `$i` a constant from 0 to 15, so that
/// every register of the array is named by a constant index (the array
/// then lives in registers, not on the stack).
macro_rules! unroll16 {
    ($i:ident => $body:block) => {{
        {
            const $i: usize = 0;
            $body
        }
        {
            const $i: usize = 1;
            $body
        }
        {
            const $i: usize = 2;
            $body
        }
        {
            const $i: usize = 3;
            $body
        }
        {
            const $i: usize = 4;
            $body
        }
        {
            const $i: usize = 5;
            $body
        }
        {
            const $i: usize = 6;
            $body
        }
        {
            const $i: usize = 7;
            $body
        }
        {
            const $i: usize = 8;
            $body
        }
        {
            const $i: usize = 9;
            $body
        }
        {
            const $i: usize = 10;
            $body
        }
        {
            const $i: usize = 11;
            $body
        }
        {
            const $i: usize = 12;
            $body
        }
        {
            const $i: usize = 13;
            $body
        }
        {
            const $i: usize = 14;
            $body
        }
        {
            const $i: usize = 15;
            $body
        }
    }};
}

/// Merges the sorted runs of `H` registers of `regs` pairwise into runs of
/// `2H`: the flip, then the stages at distances of `H/2`, ..., 1 registers,
/// then those inside each register.
#[inline]
#[target_feature(enable = "avx512f")]
fn merge_runs<const R: usize, const H: usize>(regs: &mut [__m512i; R]) {
    unroll16!(I => {
        if I < R && I % (2 * H) < H {
            let hi = I - I % (2 * H) + 2 * H - 1 - I % (2 * H);
            let mirror = reverse(regs[hi]);
            regs[hi] = reverse(_mm512_max_epu32(regs[I], mirror));
            regs[I] = _mm512_min_epu32(regs[I], mirror);
        }
    });
    if H > 4 {
        across::<R, 4>(regs);
    }
    if H > 2 {
        across::<R, 2>(regs);
    }
    if H > 1 {
        across::<R, 1>(regs);
    }
    unroll16!(I => {
        if I < R {
            regs[I] = clean8(exchange::<8>(regs[I], 8));
        }
    });
}

/// The stage at a distance of `D` registers.
#[inline]
#[target_feature(enable = "avx512f")]
fn across<const R: usize, const D: usize>(regs: &mut [__m512i; R]) {
    unroll16!(I => {
        if I < R && I % (2 * D) < D {
            let (x, y) = (regs[I], regs[I + D]);
            regs[I] = _mm512_min_epu32(x, y);
            regs[I + D] = _mm512_max_epu32(x, y);
        }
    });
}

#[inline]
#[target_feature(enable = "avx512f")]
fn sort_registers<const R: usize>(v: &mut [u32]) {
    let n = v.len();
    debug_assert!(n <= 16 * R && R <= 16);
    let pad = _mm512_set1_epi32(-1);
    let mask = |r: usize| -> __mmask16 {
        let k = n.saturating_sub(16 * r).min(16);
        (((1u32 << k) - 1) & 0xffff) as __mmask16
    };
    let mut regs = [pad; R];
    unroll16!(I => {
        if I < R && 16 * I < n {
            // SAFETY: the lanes loaded are v[16I..min(16I + 16, n)], in
            // bounds; masked-off lanes are not read.
            regs[I] = unsafe { _mm512_mask_loadu_epi32(pad, mask(I), v.as_ptr().add(16 * I).cast()) };
        }
        if I < R {
            regs[I] = sort16(regs[I]);
        }
    });
    if R > 1 {
        merge_runs::<R, 1>(&mut regs);
    }
    if R > 2 {
        merge_runs::<R, 2>(&mut regs);
    }
    if R > 4 {
        merge_runs::<R, 4>(&mut regs);
    }
    if R > 8 {
        merge_runs::<R, 8>(&mut regs);
    }
    unroll16!(I => {
        if I < R && 16 * I < n {
            // SAFETY: the lanes stored are v[16I..min(16I + 16, n)].
            unsafe { _mm512_mask_storeu_epi32(v.as_mut_ptr().add(16 * I).cast(), mask(I), regs[I]) };
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        /// Every length up to the most, with repeats, small values and
        /// `u32::MAX` (the padding's value) among them.
        #[test]
        fn sorts_like_sort_unstable(
            raw in proptest::collection::vec(any::<u32>(), 0..=MAX_VALUES),
            narrow in 0u32..3,
        ) {
            if !crate::arch::can_test(available(), "AVX-512 F") {
                return Ok(());
            }
            let mut v: Vec<u32> = raw
                .iter()
                .map(|&x| match narrow {
                    0 => x,
                    1 => x % 7,
                    _ => if x % 3 == 0 { u32::MAX } else { x },
                })
                .collect();
            let mut want = v.clone();
            want.sort_unstable();
            // SAFETY: the processor has AVX-512 F.
            unsafe { sort_in_registers(&mut v) };
            prop_assert_eq!(v, want);
        }
    }

    #[test]
    fn every_length_descending() {
        if !crate::arch::can_test(available(), "AVX-512 F") {
            return;
        }
        for n in 0..=MAX_VALUES {
            let mut v: Vec<u32> = (0..n as u32)
                .rev()
                .map(|x| x.wrapping_mul(2_654_435_761))
                .collect();
            let mut want = v.clone();
            want.sort_unstable();
            // SAFETY: the processor has AVX-512 F.
            unsafe { sort_in_registers(&mut v) };
            assert_eq!(v, want, "{n} values");
        }
    }
}
