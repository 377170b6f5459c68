//! Cache hints.

/// Asks the processor to start loading `bytes` into its cache (a hint
/// with no other effect).
#[inline]
pub(crate) fn prefetch(bytes: &[u8]) {
    #[cfg(target_arch = "x86_64")]
    for line in bytes.chunks(64) {
        // SAFETY: a prefetch of an address inside a live slice; it has no
        // effect besides the cache.
        unsafe {
            std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
                line.as_ptr() as *const i8
            )
        };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = bytes;
}

/// Asks the kernel to back the buffer of a large vector with transparent
/// huge pages (2 MiB) where its setting leaves that to the program
/// (`madvise`, the usual default): the buffer then faults in one huge page
/// at a time instead of 512 small ones, each a trip through the kernel.
/// A hint: the contents are not touched, and nothing happens for a buffer
/// under 2 MiB, on other systems, or when the kernel declines.
pub(crate) fn huge_pages<T>(v: &Vec<T>) {
    #[cfg(target_os = "linux")]
    {
        const PAGE: usize = 4096;
        let bytes = v.capacity() * std::mem::size_of::<T>();
        if bytes < 2 << 20 {
            return;
        }
        let start = v.as_ptr() as usize & !(PAGE - 1);
        let end = (v.as_ptr() as usize + bytes).next_multiple_of(PAGE);
        // SAFETY: the range covers the vector's own allocation, rounded out
        // to whole pages (mapped, since the allocation is); the advice only
        // changes how later page faults there are served, never the bytes.
        unsafe {
            libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = v;
}
