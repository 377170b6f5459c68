//! Sketches of articles: word shingles, their 64-bit hashes, MinHash
//! signatures, and the exact set measures they estimate.

mod minhash;
mod shingle;
#[cfg(target_arch = "x86_64")]
mod vector;
mod weights;

pub use minhash::{DEFAULT_NUM_PERM, MAX_NUM_PERM, MinHasher, Scheme, Signature};
pub use shingle::{
    DEFAULT_SHINGLE_SIZE, ShingleSet, containment, default_min_words, jaccard, set_measures,
    shingle_set, shingle_set_from_words, shingles_from_words, sorted_intersection_len,
};
pub(crate) use shingle::{mix64, shingle_fingerprints};
