//! Which vector instructions the kernels may use, decided once per process.
//!
//! Every kernel with intrinsics (word scanning in `text`, shingle hashing
//! and densification in `sketch`, set intersections and the sorting
//! network in `dedup`) has a portable twin that gives the same result, and
//! asks [`cpu`] which one to run. The answer is read from the processor on
//! first use and kept. Setting the environment variable
//! `NEARDIFF_PORTABLE` (to anything but `0` or nothing) before the first
//! use makes every kernel take the portable path: the test suite runs once
//! more that way in CI, and a user can rule the vector code out when in
//! doubt. SSE2, part of every x86-64 processor, is always used on x86-64.

use std::sync::OnceLock;

/// The instruction sets the kernels may use.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Cpu {
    /// AVX2 with BMI1 (word scanning).
    pub avx2_bmi1: bool,
    /// AVX2 with POPCNT (set intersections).
    pub avx2_popcnt: bool,
    /// AVX-512 F (sorting network, densification).
    pub avx512f: bool,
    /// AVX-512 F and DQ (shingle hashing).
    pub avx512dq: bool,
}

/// Whether `NEARDIFF_PORTABLE` asks for the portable kernels.
fn portable_forced() -> bool {
    std::env::var_os("NEARDIFF_PORTABLE").is_some_and(|v| !v.is_empty() && v != "0")
}

/// The instruction sets of this processor that the kernels may use (none
/// when the portable kernels are forced).
#[inline]
pub(crate) fn cpu() -> Cpu {
    static CPU: OnceLock<Cpu> = OnceLock::new();
    *CPU.get_or_init(|| {
        if portable_forced() {
            return Cpu::default();
        }
        detect()
    })
}

#[cfg(target_arch = "x86_64")]
fn detect() -> Cpu {
    use std::arch::is_x86_feature_detected as has;
    let avx2 = has!("avx2");
    Cpu {
        avx2_bmi1: avx2 && has!("bmi1"),
        avx2_popcnt: avx2 && has!("popcnt"),
        avx512f: has!("avx512f"),
        avx512dq: has!("avx512f") && has!("avx512dq"),
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn detect() -> Cpu {
    Cpu::default()
}

/// Which vector kernels are in use, for a test run's log.
#[cfg(test)]
pub(crate) fn describe() -> String {
    let c = cpu();
    let mut on = Vec::new();
    for (name, yes) in [
        ("avx2+bmi1", c.avx2_bmi1),
        ("avx2+popcnt", c.avx2_popcnt),
        ("avx512f", c.avx512f),
        ("avx512dq", c.avx512dq),
    ] {
        if yes {
            on.push(name);
        }
    }
    if on.is_empty() {
        "portable kernels only".to_string()
    } else {
        format!("vector kernels: {}", on.join(", "))
    }
}

/// For a test of a kernel that needs `what` (`have`: whether this process
/// may use it): whether the test can run. When it cannot, the test says so
/// on stderr, and fails instead when `NEARDIFF_REQUIRE_SIMD` is set, so a
/// machine meant to test the vector kernels cannot pass without them.
#[cfg(test)]
pub(crate) fn can_test(have: bool, what: &str) -> bool {
    if have {
        return true;
    }
    let required = std::env::var_os("NEARDIFF_REQUIRE_SIMD").is_some_and(|v| !v.is_empty());
    assert!(
        !required,
        "NEARDIFF_REQUIRE_SIMD is set but {what} is not available ({})",
        describe()
    );
    eprintln!("not tested: {what} is not available ({})", describe());
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answer_is_kept_and_consistent() {
        let c = cpu();
        assert_eq!(c, cpu());
        // DQ is only used with F.
        assert!(!c.avx512dq || c.avx512f);
        if portable_forced() {
            assert_eq!(c, Cpu::default());
        }
        eprintln!("{}", describe());
    }
}
