//! [`SharedBytes`]: bytes that several holders share instead of each keeping a copy. The
//! JSON of each goal in `trailmark.json` is such a part: of the buffer it was made in, or
//! of the last build's file read back whole (`workspace::json_pieces`), where copying each
//! goal's part out of the file cost as much as making the goals' JSON again.

use std::ops::{Deref, Range};
use std::sync::Arc;

/// A buffer, or a part of one, cloned without a copy.
#[derive(Clone, Debug)]
pub(crate) struct SharedBytes {
    whole: Arc<Vec<u8>>,
    range: Range<usize>,
}

impl SharedBytes {
    /// The part `range` of these bytes, shared. Panics when `range` is not within them.
    pub(crate) fn part(&self, range: Range<usize>) -> SharedBytes {
        assert!(
            range.start <= range.end && range.end <= self.range.len(),
            "a part within the bytes"
        );
        let start = self.range.start + range.start;
        SharedBytes {
            whole: Arc::clone(&self.whole),
            range: start..start + range.len(),
        }
    }
}

/// The buffer, kept as it is: made into an `Arc<[u8]>`, it would be copied.
impl From<Vec<u8>> for SharedBytes {
    fn from(bytes: Vec<u8>) -> SharedBytes {
        SharedBytes {
            range: 0..bytes.len(),
            whole: Arc::new(bytes),
        }
    }
}

impl Deref for SharedBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.whole[self.range.clone()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_part_is_its_bytes_and_shares_the_buffer() {
        let bytes = SharedBytes::from(b"{\"goals\": [1, 2]}".to_vec());
        let goals = bytes.part(11..15);
        assert_eq!(&*goals, b"1, 2");
        let two = goals.part(3..4);
        assert_eq!(&*two, b"2");
        assert!(Arc::ptr_eq(&bytes.whole, &two.whole));
        assert_eq!(&*goals.part(4..4), b"");
    }

    #[test]
    #[should_panic(expected = "a part within the bytes")]
    fn a_part_beyond_the_bytes_is_refused() {
        let bytes = SharedBytes::from(b"0123456789".to_vec()).part(2..6);
        bytes.part(3..5);
    }
}
