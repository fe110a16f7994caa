//! [`SharedText`]: a text that documents, the model and the reports hold together instead
//! of each keeping a copy. A milestone's text is the document's, the model's mention of
//! its line and its goal's report of it; without the goal's tag it is still a part of
//! the same text. At 100,000 files those copies were about a tenth of `status`'s memory.

use std::fmt;
use std::ops::{Deref, Range};
use std::sync::{Arc, LazyLock};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An `Arc<str>` or a part of one: the size of a `String`, cloned without a copy.
#[derive(Clone)]
pub(crate) struct SharedText {
    whole: Arc<str>,
    /// The part of `whole` this text is, in bytes (32 bits, as every position in a
    /// journal file: no text of a document is longer).
    start: u32,
    end: u32,
}

impl SharedText {
    /// The text, as a `&str`.
    pub(crate) fn as_str(&self) -> &str {
        &self.whole[self.start as usize..self.end as usize]
    }

    /// The part of this text that `part` is, shared; `part` must be a slice of
    /// [`SharedText::as_str`] (else it is copied, which only a bug would make happen).
    pub(crate) fn part(&self, part: &str) -> SharedText {
        let here = self.as_str();
        let offset = (part.as_ptr() as usize).wrapping_sub(here.as_ptr() as usize);
        match here.get(offset..offset.wrapping_add(part.len())) {
            Some(found) if std::ptr::eq(found, part) => {
                let start = self.start as usize + offset;
                Self::of(Arc::clone(&self.whole), start..start + part.len())
            }
            _ => SharedText::from(part),
        }
    }

    /// Whether the two are parts of the same shared text.
    #[cfg(test)]
    pub(crate) fn shares_whole_with(&self, other: &SharedText) -> bool {
        Arc::ptr_eq(&self.whole, &other.whole)
    }

    fn of(whole: Arc<str>, range: Range<usize>) -> SharedText {
        let narrow = |at: usize| u32::try_from(at).expect("a journal text is under 4 GB");
        SharedText {
            start: narrow(range.start),
            end: narrow(range.end),
            whole,
        }
    }
}

/// The empty text, shared: a text not known yet costs no allocation.
impl Default for SharedText {
    fn default() -> SharedText {
        static EMPTY: LazyLock<Arc<str>> = LazyLock::new(|| Arc::from(""));
        SharedText::from(Arc::clone(&EMPTY))
    }
}

impl Deref for SharedText {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for SharedText {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl From<Arc<str>> for SharedText {
    fn from(whole: Arc<str>) -> SharedText {
        let len = whole.len();
        SharedText::of(whole, 0..len)
    }
}

impl From<&str> for SharedText {
    fn from(text: &str) -> SharedText {
        SharedText::from(Arc::<str>::from(text))
    }
}

impl From<String> for SharedText {
    fn from(text: String) -> SharedText {
        SharedText::from(Arc::<str>::from(text))
    }
}

impl PartialEq for SharedText {
    fn eq(&self, other: &SharedText) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for SharedText {}

impl PartialEq<str> for SharedText {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for SharedText {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Debug for SharedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for SharedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

/// As a string: the JSON and the documents cache cannot tell it from a `String`.
impl Serialize for SharedText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for SharedText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<SharedText, D::Error> {
        String::deserialize(deserializer).map(SharedText::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_part_shares_the_whole_text() {
        let whole = SharedText::from("write the talk #talks");
        let part = whole.part(&whole["write ".len().."write the talk".len()]);
        assert_eq!(part, "the talk");
        assert!(Arc::ptr_eq(&part.whole, &whole.whole));
        let of_part = part.part(&part[4..]);
        assert_eq!(of_part, "talk");
        assert!(Arc::ptr_eq(&of_part.whole, &whole.whole));
    }

    #[test]
    fn a_text_from_elsewhere_is_copied() {
        let whole = SharedText::from("write the talk");
        let elsewhere = String::from("the talk");
        let part = whole.part(&elsewhere);
        assert_eq!(part, "the talk");
        assert!(!Arc::ptr_eq(&part.whole, &whole.whole));
    }

    #[test]
    fn it_serializes_as_its_text() {
        let whole = SharedText::from("a \"quoted\" talk");
        let part = whole.part(&whole[2..]);
        assert_eq!(
            serde_json::to_string(&part).unwrap(),
            r#""\"quoted\" talk""#
        );
        let back: SharedText = serde_json::from_str(r#""\"quoted\" talk""#).unwrap();
        assert_eq!(back, part);
    }
}
