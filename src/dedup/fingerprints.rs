//! The shingle fingerprints of a document: its sorted, distinct 32-bit
//! shingle hashes, as a slice of a block that many documents share.
//!
//! A document's set is about a kilobyte, and a corpus of a million
//! articles holds a gigabyte of them. Allocated one by one, each set is
//! also a fresh stretch of the heap whose pages fault in a few at a time;
//! the sketch stage of `dedup` instead copies the sets of the documents a
//! thread sketches into that thread's block of 4 MiB, which starts on a
//! huge page boundary of its allocation and is backed with pages a huge
//! page's worth at a time as it fills, huge or small, whichever has been
//! faster (`cache::back_fresh`).
//! A block is published (made readable) when it is full and, for the block
//! each thread is filling, when the stage ends; the sets are only read
//! after that.

use std::cell::RefCell;
use std::mem::MaybeUninit;
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Values in an arena block (4 MiB).
const BLOCK_VALUES: usize = 1 << 20;

/// Values in a huge page (2 MiB).
const HUGE_PAGE_VALUES: usize = (2 << 20) / 4;

/// The storage of a block: the values handed out were written (a shared
/// block leaves the part of its allocation before its first huge page
/// unwritten, and untouched).
type Block = Vec<MaybeUninit<u32>>;

/// A document's shingle fingerprints (sorted, distinct); dereferences to
/// the slice. Serialised as a plain sequence of numbers.
#[derive(Clone)]
pub struct Fingerprints {
    block: Arc<OnceLock<Block>>,
    start: u32,
    len: u32,
}

impl Fingerprints {
    /// The values (the same as dereferencing).
    pub fn as_slice(&self) -> &[u32] {
        let block = self
            .block
            .get()
            .expect("fingerprints are read only after their block is published");
        let values = &block[self.start as usize..self.start as usize + self.len as usize];
        // SAFETY: the values of a range handed out were written before the
        // block was published, and `MaybeUninit<u32>` has the layout of
        // `u32`.
        unsafe { &*(values as *const [MaybeUninit<u32>] as *const [u32]) }
    }
}

impl std::ops::Deref for Fingerprints {
    type Target = [u32];

    fn deref(&self) -> &[u32] {
        self.as_slice()
    }
}

impl From<Vec<u32>> for Fingerprints {
    /// Fingerprints in a block of their own.
    fn from(values: Vec<u32>) -> Self {
        let len = u32::try_from(values.len()).expect("fewer than 2^32 shingles");
        let mut values = std::mem::ManuallyDrop::new(values);
        // SAFETY: the allocation of a `Vec<u32>` taken over as one of
        // `MaybeUninit<u32>` (same size and alignment), all of it written.
        let block: Block = unsafe {
            Vec::from_raw_parts(
                values.as_mut_ptr().cast::<MaybeUninit<u32>>(),
                values.len(),
                values.capacity(),
            )
        };
        Fingerprints {
            block: Arc::new(OnceLock::from(block)),
            start: 0,
            len,
        }
    }
}

impl PartialEq for Fingerprints {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for Fingerprints {}

impl std::fmt::Debug for Fingerprints {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_slice().fmt(f)
    }
}

impl Serialize for Fingerprints {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.as_slice())
    }
}

impl<'de> Deserialize<'de> for Fingerprints {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<u32>::deserialize(deserializer).map(Fingerprints::from)
    }
}

/// The block a thread is filling.
struct Writer {
    block: Arc<OnceLock<Block>>,
    values: Block,
    /// Where the values must end: [`BLOCK_VALUES`] after the first huge
    /// page boundary of the allocation.
    end: usize,
    /// Where the memory backed so far ends: a huge page at a time, as the
    /// values reach it (so a thread that sketches a few documents backs
    /// one huge page, not the whole block).
    backed: usize,
}

impl Writer {
    fn new() -> Writer {
        // A huge page more than the block, so that the block can start on
        // a huge page boundary: malloc does not align a large allocation
        // to one, and the kernel gives a huge page only to an aligned
        // stretch (the unaligned head is never written, so never backed).
        let mut values: Block = Vec::with_capacity(BLOCK_VALUES + HUGE_PAGE_VALUES);
        let address = values.as_ptr() as usize;
        let skip = (address.next_multiple_of(HUGE_PAGE_VALUES * 4) - address) / 4;
        // SAFETY: `MaybeUninit` values need no initialisation, and `skip`
        // is below the capacity.
        unsafe { values.set_len(skip) };
        Writer {
            block: Arc::new(OnceLock::new()),
            values,
            end: skip + BLOCK_VALUES,
            backed: skip,
        }
    }

    /// Appends `values` (they fit before `end`), backing the huge pages
    /// they reach first.
    fn push(&mut self, values: &[u32]) {
        let need = self.values.len() + values.len();
        while self.backed < need {
            let from = self.backed - self.values.len();
            let page = &mut self.values.spare_capacity_mut()[from..from + HUGE_PAGE_VALUES];
            crate::cache::back_fresh(page);
            self.backed += HUGE_PAGE_VALUES;
        }
        self.values
            .extend(values.iter().map(|&x| MaybeUninit::new(x)));
    }

    fn publish(self) {
        // Only the writer sets its block, once.
        let _ = self.block.set(self.values);
    }
}

thread_local! {
    static WRITER: RefCell<Option<Writer>> = const { RefCell::new(None) };
}

/// Copies `values` into this thread's block. They can be read once
/// [`publish_blocks`] has run on this thread (or the block filled up).
/// A set of more than a quarter of a block gets a block of its own.
pub(crate) fn in_shared_block(values: &[u32]) -> Fingerprints {
    if values.len() > BLOCK_VALUES / 4 {
        return Fingerprints::from(values.to_vec());
    }
    WRITER.with(|w| {
        let mut w = w.borrow_mut();
        let full = w
            .as_ref()
            .is_none_or(|w| w.values.len() + values.len() > w.end);
        if full {
            if let Some(old) = w.take() {
                old.publish();
            }
            *w = Some(Writer::new());
        }
        let w = w.as_mut().expect("a writer");
        let start = w.values.len() as u32;
        w.push(values);
        Fingerprints {
            block: Arc::clone(&w.block),
            start,
            len: values.len() as u32,
        }
    })
}

/// Publishes the block each thread of the current rayon pool is filling.
pub(crate) fn publish_blocks() {
    rayon::broadcast(|_| {
        WRITER.with(|w| {
            if let Some(w) = w.borrow_mut().take() {
                w.publish();
            }
        })
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_blocks_read_back_after_publishing() {
        let sets: Vec<Vec<u32>> = (0..2_000u32)
            .map(|i| (0..(i * 37 % 3_000)).map(|k| k * 7 + i).collect())
            .collect();
        use rayon::prelude::*;
        let fps: Vec<Fingerprints> = sets.par_iter().map(|s| in_shared_block(s)).collect();
        publish_blocks();
        for (f, s) in fps.iter().zip(&sets) {
            assert_eq!(f.as_slice(), &s[..]);
        }
        // More than one block was filled and published on the way.
        let blocks: std::collections::HashSet<*const OnceLock<Block>> =
            fps.iter().map(|f| Arc::as_ptr(&f.block)).collect();
        assert!(blocks.len() > 1);
        let json = serde_json::to_string(&fps[5]).unwrap();
        let back: Fingerprints = serde_json::from_str(&json).unwrap();
        assert_eq!(back, fps[5]);
        assert_eq!(json, serde_json::to_string(&sets[5]).unwrap());
    }
}
