//! A hash of bytes, to tell whether a file's content changed without keeping it.

/// XXH3 of `content`: many times faster than std's SipHash, and nothing here needs
/// resistance to chosen inputs.
pub(crate) fn content_hash(content: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(content)
}
