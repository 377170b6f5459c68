//! The constants of a shingle's hash: one odd multiplier per word position
//! and the start value per shingle length, shared by the scalar hashing
//! of `shingle` and the vector kernels of `vector`.

/// The multiplier of the word at position `j` of a shingle: odd, and
/// `1 mod 4` and `3 mod 4` in turn so that the difference of two
/// neighbouring ones has a single factor 2 (two words swapped collide only
/// when their keys differ by a multiple of 2^63).
#[inline(always)]
pub(super) const fn position_multiplier(j: usize) -> u64 {
    let m = mix64_const(0x7f4a_7c15_f39c_c060 ^ j as u64);
    (m & !3) | if j.is_multiple_of(2) { 1 } else { 3 }
}

pub(super) const fn mix64_const(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Multipliers of the first positions, for the usual shingle sizes.
pub(super) const MULTIPLIERS: [u64; 8] = {
    let mut m = [0u64; 8];
    let mut j = 0;
    while j < 8 {
        m[j] = position_multiplier(j);
        j += 1;
    }
    m
};

/// The sum a shingle's hash starts from: its length, spread.
#[inline(always)]
pub(super) const fn window_start(window: usize) -> u64 {
    (window as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}
