//! A report's bytes as the write stage takes them: whole, or in parts written one after
//! another. `watch` keeps each goal's JSON of `trailmark.json` (14 MB at 10,000 files,
//! `workspace::json_pieces`); putting the pieces together into one buffer before writing
//! them was a copy of the whole file after every edit. In parts, each piece is written
//! where it is, and the file's hash is made of the pieces' hashes, each taken once when
//! the piece was made: hashing the whole file again after every edit took 25 ms of a
//! `watch` rebuild at 100,000 files (84 MB).

use std::io::{IoSlice, Write};

use xxhash_rust::xxh3::Xxh3Default;

use crate::hash::HashedBytes;

/// The bytes of one report.
pub(crate) enum Content {
    Whole(Vec<u8>),
    /// The file is these parts, in order, each with its hash.
    Parts(Vec<HashedBytes>),
}

impl From<Vec<u8>> for Content {
    fn from(bytes: Vec<u8>) -> Content {
        Content::Whole(bytes)
    }
}

/// At most this many parts a `writev` call (Linux's `IOV_MAX`).
const PARTS_A_CALL: usize = 1024;

/// Writes `parts` one after another to `file`, a few hundred a call.
pub(super) fn write_parts(file: &mut impl Write, parts: &[&[u8]]) -> std::io::Result<()> {
    for chunk in parts.chunks(PARTS_A_CALL) {
        let mut slices: Vec<IoSlice> = chunk.iter().map(|part| IoSlice::new(part)).collect();
        let mut slices = &mut slices[..];
        while !slices.is_empty() {
            match file.write_vectored(slices) {
                Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
                Ok(written) => IoSlice::advance_slices(&mut slices, written),
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
                Err(error) => return Err(error),
            }
        }
    }
    Ok(())
}

impl Content {
    /// The parts, in order: one for bytes made whole.
    pub(super) fn parts(&self) -> impl Iterator<Item = &[u8]> {
        let (whole, parts) = match self {
            Content::Whole(bytes) => (Some(bytes.as_slice()), &[][..]),
            Content::Parts(parts) => (None, parts.as_slice()),
        };
        whole.into_iter().chain(parts.iter().map(|part| &part[..]))
    }

    /// A hash of the bytes: [`crate::hash::content_hash`] of bytes made whole; of bytes
    /// in parts, a hash of the parts' hashes in order, so that no part is read again. The
    /// same bytes cut into other parts hash otherwise: a report is always made in the same
    /// parts (`trailmark.json` in [`crate::analyse::json_of_parts`]'s, whether its goals'
    /// JSON is made, kept by `watch` or read back from the last build's file), and its
    /// hash is only ever compared with the hash of the same report.
    pub(crate) fn hash(&self) -> u64 {
        match self {
            Content::Whole(bytes) => crate::hash::content_hash(bytes),
            Content::Parts(parts) => {
                let mut hasher = Xxh3Default::new();
                for part in parts {
                    hasher.update(&part.hash().to_le_bytes());
                }
                hasher.digest()
            }
        }
    }

    /// Whether the bytes are `other`'s.
    pub(crate) fn is(&self, other: &[u8]) -> bool {
        let mut rest = other;
        for part in self.parts() {
            match rest.split_at_checked(part.len()) {
                Some((head, tail)) if head == part => rest = tail,
                _ => return false,
            }
        }
        rest.is_empty()
    }

    /// The bytes in one buffer.
    #[cfg(test)]
    pub(crate) fn to_vec(&self) -> Vec<u8> {
        self.parts().flatten().copied().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn in_parts(parts: &[&[u8]]) -> Content {
        Content::Parts(parts.iter().map(|part| part.to_vec().into()).collect())
    }

    /// A change in any one part, or two parts swapped, changes the hash; the same parts
    /// hash the same, wherever their bytes are.
    #[test]
    fn parts_hash_as_their_hashes_in_order() {
        let parts: Vec<&[u8]> = vec![
            b"{\"goals\": [",
            b"{\"id\":\"a\"}",
            b",",
            b"{\"id\":\"b\"}",
            b"]}",
        ];
        let hash = in_parts(&parts).hash();
        assert_eq!(hash, in_parts(&parts.clone()).hash());
        for index in 0..parts.len() {
            let mut changed = parts.clone();
            let other = [parts[index], b" "].concat();
            changed[index] = &other;
            assert_ne!(in_parts(&changed).hash(), hash, "part {index} changed");
        }
        let mut swapped = parts.clone();
        swapped.swap(1, 3);
        assert_ne!(in_parts(&swapped).hash(), hash, "two parts swapped");
        let mut fewer = parts.clone();
        fewer.remove(2);
        assert_ne!(in_parts(&fewer).hash(), hash, "a part left out");
    }

    #[test]
    fn parts_compare_and_write_as_their_bytes_together() {
        // More parts than one call writes, some empty, some long enough for the hasher's
        // blocks.
        let long = vec![7u8; 5000];
        let mut parts: Vec<&[u8]> = vec![b"{", b"", &long];
        parts.extend(std::iter::repeat_n(&b"ab,"[..], 2 * PARTS_A_CALL + 3));
        parts.push(b"}\n");
        let content = in_parts(&parts);
        let whole: Vec<u8> = parts.concat();
        assert!(content.to_vec() == whole);
        assert!(content.is(&whole));
        assert!(!content.is(&whole[..whole.len() - 1]));
        assert!(!content.is(&[&whole[..], b"x"].concat()));
        let mut other = whole.clone();
        other[3] = b'x';
        assert!(!content.is(&other));
        let mut written = Vec::new();
        write_parts(&mut written, &content.parts().collect::<Vec<_>>()).unwrap();
        assert!(written == whole, "written as the bytes together");
        let mut written = Trickle(Vec::new());
        write_parts(&mut written, &content.parts().collect::<Vec<_>>()).unwrap();
        assert!(
            written.0 == whole,
            "written as the bytes together, a few at a time"
        );
    }

    /// Writes at most 3 bytes a call, as a file may write less than it is given.
    struct Trickle(Vec<u8>);

    impl Write for Trickle {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            let taken = bytes.len().min(3);
            self.0.extend_from_slice(&bytes[..taken]);
            Ok(taken)
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
}
