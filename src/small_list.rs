//! [`SmallList`]: a list that keeps one item in place. Most milestones of an entry have
//! one tag, and most entries mention a goal on one line: a list of its own for each was
//! an allocation (and the allocator's overhead of it) for one item, hundreds of thousands
//! of them at 100,000 files.

use std::fmt;
use std::ops::Deref;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A list of `T`, its one item in place when it has one. Read as a slice.
#[derive(Clone)]
pub(crate) enum SmallList<T> {
    One(T),
    /// None (`None`, no allocation), or two and more behind one pointer: a box of the
    /// boxed list. Thin, it fits beside the niche of an item with a pointer first, and the
    /// list is the size of its item (an `Arc<str>`: 16 bytes, where a box of the list
    /// beside it took 24 in every milestone), for a second allocation when there are two.
    Many(Option<Box<Box<[T]>>>),
}

impl<T> Default for SmallList<T> {
    fn default() -> SmallList<T> {
        SmallList::Many(None)
    }
}

impl<T> Deref for SmallList<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        match self {
            SmallList::One(item) => std::slice::from_ref(item),
            SmallList::Many(None) => &[],
            SmallList::Many(Some(items)) => items,
        }
    }
}

impl<T> From<Vec<T>> for SmallList<T> {
    fn from(mut items: Vec<T>) -> SmallList<T> {
        match items.len() {
            0 => SmallList::Many(None),
            1 => SmallList::One(items.pop().expect("one item")),
            _ => SmallList::Many(Some(Box::new(items.into_boxed_slice()))),
        }
    }
}

impl<T> FromIterator<T> for SmallList<T> {
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> SmallList<T> {
        let mut items = items.into_iter();
        let Some(first) = items.next() else {
            return SmallList::default();
        };
        match items.next() {
            None => SmallList::One(first),
            Some(second) => {
                let mut all = Vec::with_capacity(2 + items.size_hint().0);
                all.extend([first, second]);
                all.extend(items);
                SmallList::Many(Some(Box::new(all.into_boxed_slice())))
            }
        }
    }
}

impl<'a, T> IntoIterator for &'a SmallList<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<T: PartialEq> PartialEq for SmallList<T> {
    fn eq(&self, other: &SmallList<T>) -> bool {
        **self == **other
    }
}

impl<T: fmt::Debug> fmt::Debug for SmallList<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

/// As a sequence: the JSON and the documents cache cannot tell it from a `Vec`.
impl<T: Serialize> Serialize for SmallList<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for SmallList<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<SmallList<T>, D::Error> {
        Vec::deserialize(deserializer).map(SmallList::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn one_item_is_kept_in_place() {
        let one: SmallList<Arc<str>> = [Arc::from("talks")].into_iter().collect();
        assert!(matches!(one, SmallList::One(_)));
        assert_eq!(&*one, &[Arc::<str>::from("talks")]);
        let none: SmallList<u32> = std::iter::empty().collect();
        assert!(none.is_empty());
        let many: SmallList<u32> = (1..=3).collect();
        assert_eq!(&*many, &[1, 2, 3]);
        assert_eq!(SmallList::from(vec![7]), SmallList::One(7));
        let two = SmallList::from(vec![7, 8]);
        assert!(matches!(two, SmallList::Many(Some(_))));
        assert_eq!(&*two, &[7, 8]);
        assert!(matches!(
            SmallList::<u32>::from(vec![]),
            SmallList::Many(None)
        ));
    }

    #[test]
    fn it_serializes_as_a_list() {
        for items in [vec![], vec![1], vec![1, 2, 3]] {
            let small = SmallList::from(items.clone());
            assert_eq!(
                serde_json::to_string(&small).unwrap(),
                serde_json::to_string(&items).unwrap()
            );
            let bytes = postcard::to_allocvec(&small).unwrap();
            assert_eq!(bytes, postcard::to_allocvec(&items).unwrap());
            let back: SmallList<u32> = postcard::from_bytes(&bytes).unwrap();
            assert_eq!(back, small);
        }
    }

    #[test]
    fn a_tag_list_is_no_larger_than_its_tag() {
        assert!(std::mem::size_of::<SmallList<Arc<str>>>() <= 16);
    }
}
