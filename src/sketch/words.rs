//! Word hashes for sketching: the same values as [`crate::text::word_hashes`].

/// Appends the hashes of the normalised words of `text`, exactly as
/// [`crate::text::word_hashes`] does.
pub fn word_hashes_fast(text: &str, out: &mut Vec<u64>) {
    crate::text::word_hashes(text, out);
}
