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
/// under 2 MiB, on other systems, when the kernel declines, or when
/// [`back_fresh`] found huge pages slower than small ones on this machine.
pub(crate) fn huge_pages<T>(v: &Vec<T>) {
    #[cfg(target_os = "linux")]
    {
        let bytes = v.capacity() * std::mem::size_of::<T>();
        if bytes < HUGE_PAGE || pages::huge_slower() {
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

/// Backs the pages of the next `additional` elements of `v`'s spare
/// capacity now (`MADV_POPULATE_WRITE`), in the page size already advised
/// for them, so that writing them later takes no page fault: for a thread
/// that others wait on, with the faults taken on one that has time. A
/// fault on fresh memory can take milliseconds on a virtual machine (see
/// [`back_fresh`]). A hint: the bytes are not touched, and nothing happens
/// on other systems or where the kernel cannot.
pub(crate) fn prefault_spare<T>(v: &mut Vec<T>, additional: usize) {
    #[cfg(target_os = "linux")]
    {
        let spare = v.spare_capacity_mut();
        let bytes = std::mem::size_of_val(&spare[..additional.min(spare.len())]);
        if bytes == 0 {
            return;
        }
        let start = spare.as_ptr() as usize;
        let (first, end) = (start & !(PAGE - 1), (start + bytes).next_multiple_of(PAGE));
        // SAFETY: the range is the pages holding part of the vector's own
        // allocation (mapped, since the allocation is), which nothing else
        // uses while `v` is borrowed; populating maps pages where there are
        // none and leaves the bytes as they are.
        unsafe {
            libc::madvise(
                first as *mut libc::c_void,
                end - first,
                libc::MADV_POPULATE_WRITE,
            );
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (v, additional);
}

/// A small page.
#[cfg(target_os = "linux")]
const PAGE: usize = 4096;
/// A transparent huge page.
#[cfg(target_os = "linux")]
const HUGE_PAGE: usize = 2 << 20;

/// Backs `region`, fresh memory not yet written (the spare capacity of a
/// new allocation), with pages now rather than one fault at a time, in the
/// page size that has been faster in this process.
///
/// Huge pages are usually the faster: one fault and one zeroing of 2 MiB
/// instead of 512 faults. But in a virtual machine whose host takes back
/// the memory its guest leaves free (free page reporting, as in Firecracker
/// micro VMs), a huge page made of reported memory must be backed by the
/// host again, 4 KiB at a time. On the 2-core machine of the benchmarks
/// such a huge page took 4.5–11 ms, small pages for the same 2 MiB about
/// 0.7 ms, and a huge page the host still backed (one a process had freed
/// a moment before) 0.2 ms. Which kind a process gets changes as it runs.
/// So each huge page's worth is timed: the first in small pages, the next
/// in huge pages, and huge pages again as long as they are not slower than
/// the last small ones; when one is, small pages, with huge pages tried
/// again after a wait that doubles each time they are still slower.
///
/// Only the page size changes, never the bytes: the region stays as
/// uninitialised as it was, and its ragged ends (outside whole huge pages)
/// fault in as they are written. Without the kernel's
/// `MADV_POPULATE_WRITE` (Linux 5.14 and later) the region is only advised
/// to huge pages, as by [`huge_pages`].
pub(crate) fn back_fresh<T>(region: &mut [std::mem::MaybeUninit<T>]) {
    #[cfg(target_os = "linux")]
    pages::back(region.as_mut_ptr() as usize, std::mem::size_of_val(region));
    #[cfg(not(target_os = "linux"))]
    let _ = region;
}

#[cfg(target_os = "linux")]
mod pages {
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
    use std::time::{Duration, Instant};

    use super::HUGE_PAGE;

    /// Huge pages' worth of memory backed so far.
    static CHUNKS: AtomicU64 = AtomicU64::new(0);
    /// Nanoseconds the last huge page's worth of small pages took; 0 until
    /// the first is timed.
    static SMALL_NS: AtomicU64 = AtomicU64::new(0);
    /// Whether the last huge page took longer than small pages did.
    static HUGE_SLOWER: AtomicBool = AtomicBool::new(false);
    /// After huge pages were found slower: the chunk at which they are
    /// tried again, and the wait (in chunks) after the next slow try.
    static RETRY_AT: AtomicU64 = AtomicU64::new(0);
    static BACKOFF: AtomicU64 = AtomicU64::new(FIRST_BACKOFF);
    const FIRST_BACKOFF: u64 = 4;
    const MAX_BACKOFF: u64 = 256;
    /// Whether the kernel turned down `MADV_POPULATE_WRITE`.
    static NO_POPULATE: AtomicBool = AtomicBool::new(false);

    pub(super) fn huge_slower() -> bool {
        HUGE_SLOWER.load(Ordering::Relaxed)
    }

    /// Advises `[start, end)` (page aligned, inside one allocation) to the
    /// page size, then backs it; the time taken, or `None` when the kernel
    /// cannot back memory on request.
    fn advise_and_populate(start: usize, end: usize, huge: bool) -> Option<Duration> {
        let advice = if huge {
            libc::MADV_HUGEPAGE
        } else {
            libc::MADV_NOHUGEPAGE
        };
        let t = Instant::now();
        // SAFETY: the range lies in an allocation the caller owns and has
        // not written; the advice changes only the page size, and
        // populating maps zeroed pages, which the caller treats as
        // uninitialised anyway.
        let ok = unsafe {
            libc::madvise(start as *mut libc::c_void, end - start, advice);
            libc::madvise(
                start as *mut libc::c_void,
                end - start,
                libc::MADV_POPULATE_WRITE,
            ) == 0
        };
        if !ok {
            NO_POPULATE.store(true, Ordering::Relaxed);
            return None;
        }
        Some(t.elapsed())
    }

    /// Backs the whole huge pages of `[address, address + bytes)` one at a
    /// time, in the kind of page chosen as [`back_fresh`] describes.
    pub(super) fn back(address: usize, bytes: usize) {
        let start = address.next_multiple_of(HUGE_PAGE);
        let end = (address + bytes) & !(HUGE_PAGE - 1);
        let mut at = start;
        while at < end {
            if NO_POPULATE.load(Ordering::Relaxed) {
                // SAFETY: as in `advise_and_populate`, advice only.
                unsafe {
                    libc::madvise(at as *mut libc::c_void, end - at, libc::MADV_HUGEPAGE);
                }
                return;
            }
            let n = CHUNKS.fetch_add(1, Ordering::Relaxed);
            let small_ns = SMALL_NS.load(Ordering::Relaxed);
            let huge = small_ns > 0 && (!huge_slower() || n >= RETRY_AT.load(Ordering::Relaxed));
            if let Some(t) = advise_and_populate(at, at + HUGE_PAGE, huge) {
                let ns = t.as_nanos() as u64;
                if !huge {
                    SMALL_NS.store(ns.max(1), Ordering::Relaxed);
                } else if ns > small_ns {
                    let wait = BACKOFF.load(Ordering::Relaxed);
                    BACKOFF.store((wait * 2).min(MAX_BACKOFF), Ordering::Relaxed);
                    RETRY_AT.store(n + wait, Ordering::Relaxed);
                    HUGE_SLOWER.store(true, Ordering::Relaxed);
                } else {
                    BACKOFF.store(FIRST_BACKOFF, Ordering::Relaxed);
                    HUGE_SLOWER.store(false, Ordering::Relaxed);
                }
            }
            at += HUGE_PAGE;
        }
    }
}
