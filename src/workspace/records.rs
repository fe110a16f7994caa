//! [`Records`]: the workspace's record of each file's last read, a list sorted by path
//! rather than a hash table. A table of 1,000,000 files had 2^21 buckets (its load is at
//! most 7/8 of a power of two), half of them empty: 103 MB where the records are 48.
//! The documents are sorted by path too, so that the lookups of a refresh, one for each
//! document in order, mostly find the record at the document's own index.

use std::sync::Arc;

use rayon::prelude::*;

/// Records of `V` by path, sorted by path, each path once.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Records<V> {
    sorted: Vec<(Arc<str>, V)>,
}

impl<V> Default for Records<V> {
    fn default() -> Records<V> {
        Records { sorted: Vec::new() }
    }
}

impl<V> Records<V> {
    /// The records of `records`, in any order; `Err` with a path listed twice.
    pub(super) fn of(mut records: Vec<(Arc<str>, V)>) -> Result<Records<V>, Arc<str>>
    where
        V: Sync,
    {
        // Checked on every core: the records of a cache are in order, and each of their
        // paths is elsewhere in the heap.
        if !records.par_windows(2).all(|pair| pair[0].0 < pair[1].0) {
            records.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            if let Some(twice) = records.windows(2).find(|pair| pair[0].0 == pair[1].0) {
                return Err(Arc::clone(&twice[0].0));
            }
        }
        Ok(Records { sorted: records })
    }

    pub(super) fn len(&self) -> usize {
        self.sorted.len()
    }

    pub(super) fn clear(&mut self) {
        self.sorted.clear();
    }

    /// In path order.
    #[cfg(test)]
    pub(super) fn iter(&self) -> impl Iterator<Item = (&Arc<str>, &V)> {
        self.sorted.iter().map(|(path, value)| (path, value))
    }

    fn position(&self, path: &str) -> Result<usize, usize> {
        self.sorted.binary_search_by(|(key, _)| (**key).cmp(path))
    }

    pub(super) fn get(&self, path: &str) -> Option<&V> {
        self.get_key_value(path).map(|(_, value)| value)
    }

    /// The record of `path`, looked for first at `index`: where it is when the records
    /// are those of a sorted list of documents and `index` is the document's. A record
    /// whose key is the document's own path (shared) is known without reading the
    /// path's bytes: one read of memory less a file, each elsewhere in the heap.
    pub(super) fn get_at(&self, index: usize, path: &str) -> Option<&V> {
        match self.sorted.get(index) {
            Some((key, value)) if std::ptr::eq(&**key, path) || **key == *path => Some(value),
            _ => self.get(path),
        }
    }

    /// [`Records::get_at`], to change the record.
    pub(super) fn get_mut_at(&mut self, index: usize, path: &str) -> Option<&mut V> {
        let at = match self.sorted.get(index) {
            Some((key, _)) if std::ptr::eq(&**key, path) || **key == *path => index,
            _ => self.position(path).ok()?,
        };
        Some(&mut self.sorted[at].1)
    }

    pub(super) fn get_key_value(&self, path: &str) -> Option<(&Arc<str>, &V)> {
        let at = self.position(path).ok()?;
        let (key, value) = &self.sorted[at];
        Some((key, value))
    }

    pub(super) fn get_mut(&mut self, path: &str) -> Option<&mut V> {
        let at = self.position(path).ok()?;
        Some(&mut self.sorted[at].1)
    }

    pub(super) fn contains_key(&self, path: &str) -> bool {
        self.position(path).is_ok()
    }

    /// Records `value` for `path`; the record it replaces, if any. A path after every
    /// other is added at the end; any other moves the records after it (see
    /// [`Records::insert_all`] for many).
    pub(super) fn insert(&mut self, path: Arc<str>, value: V) -> Option<V> {
        if self.sorted.last().is_none_or(|(last, _)| *last < path) {
            self.sorted.push((path, value));
            return None;
        }
        match self.position(&path) {
            Ok(at) => Some(std::mem::replace(&mut self.sorted[at].1, value)),
            Err(at) => {
                self.sorted.insert(at, (path, value));
                None
            }
        }
    }

    /// Records every one of `added` (sorted by path, each path once, none recorded
    /// yet): merged in one pass, not moving the others for each.
    pub(super) fn insert_all(&mut self, added: Vec<(Arc<str>, V)>) {
        debug_assert!(added.is_sorted_by(|a, b| a.0 < b.0));
        if self.sorted.is_empty() {
            // A first refresh's: every file is new.
            self.sorted = added;
            return;
        }
        let in_order = match (self.sorted.last(), added.first()) {
            (Some(last), Some(first)) => last.0 < first.0,
            _ => true,
        };
        self.sorted.reserve_exact(added.len());
        self.sorted.extend(added);
        if !in_order {
            // Two sorted runs: the sort merges them.
            self.sorted.sort_by(|a, b| a.0.cmp(&b.0));
        }
    }

    pub(super) fn remove(&mut self, path: &str) -> Option<V> {
        let at = self.position(path).ok()?;
        Some(self.sorted.remove(at).1)
    }

    /// Removes the records of `gone` (sorted), in one pass; how many there were.
    pub(super) fn remove_all(&mut self, gone: &[String]) -> usize {
        debug_assert!(gone.is_sorted());
        let before = self.sorted.len();
        let mut gone = gone.iter().peekable();
        self.sorted.retain(|(path, _)| {
            while gone.next_if(|next| next.as_str() < &**path).is_some() {}
            gone.next_if(|next| next.as_str() == &**path).is_none()
        });
        before - self.sorted.len()
    }

    /// A lookup for documents in path order: each record found by walking on from the
    /// last one found (a search only when the paths come out of order).
    pub(super) fn in_order<'a>(&'a self) -> impl FnMut(&str) -> Option<&'a V> + 'a {
        let mut next = 0;
        move |path: &str| {
            // `next` is at most the number of records, and the record before it (the
            // last one found) comes before `path` when the paths come in order.
            let in_order = next == 0 || *self.sorted[next - 1].0 < *path;
            let ahead = in_order
                .then(|| {
                    let mut rest = self.sorted[next..].iter().take(4);
                    rest.position(|(key, _)| **key >= *path)
                })
                .flatten();
            let at = match ahead {
                Some(ahead) => next + ahead,
                None => match self.position(path) {
                    Ok(at) | Err(at) => at,
                },
            };
            let (key, value) = self.sorted.get(at)?;
            if **key != *path {
                // Not recorded; out of order, the walk starts again from here.
                next = at;
                return None;
            }
            next = at + 1;
            Some(value)
        }
    }
}

impl<V> std::ops::Index<&str> for Records<V> {
    type Output = V;

    fn index(&self, path: &str) -> &V {
        self.get(path).expect("a recorded path")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(paths: &[&str]) -> Records<usize> {
        Records::of(
            paths
                .iter()
                .enumerate()
                .map(|(at, path)| (Arc::from(*path), at))
                .collect(),
        )
        .unwrap()
    }

    fn paths(records: &Records<usize>) -> Vec<(&str, usize)> {
        records.iter().map(|(path, &at)| (&**path, at)).collect()
    }

    #[test]
    fn records_stay_sorted_whatever_order_they_come_in() {
        let mut found = records(&["c", "a"]);
        assert_eq!(paths(&found), [("a", 1), ("c", 0)]);
        assert_eq!(found.insert("b".into(), 2), None);
        assert_eq!(found.insert("d".into(), 3), None);
        assert_eq!(found.insert("a".into(), 4), Some(1));
        assert_eq!(paths(&found), [("a", 4), ("b", 2), ("c", 0), ("d", 3)]);
        found.insert_all(vec![("aa".into(), 5), ("e".into(), 6)]);
        assert_eq!(found.remove("b"), Some(2));
        assert_eq!(found.remove("b"), None);
        assert_eq!(
            paths(&found),
            [("a", 4), ("aa", 5), ("c", 0), ("d", 3), ("e", 6)]
        );
        assert_eq!(found.remove_all(&["0".into(), "aa".into(), "d".into()]), 2);
        assert_eq!(paths(&found), [("a", 4), ("c", 0), ("e", 6)]);
        assert_eq!((found.get("c"), found.get("b")), (Some(&0), None));
        assert_eq!(
            (found.get_at(1, "c"), found.get_at(0, "e")),
            (Some(&0), Some(&6))
        );
        assert_eq!(found.get_at(7, "b"), None);
        assert_eq!(
            Records::of(vec![("b".into(), 0), ("a".into(), 1), ("b".into(), 2)]).unwrap_err(),
            "b".into()
        );
    }

    #[test]
    fn a_record_changed_at_an_index_is_its_paths_wherever_it_is() {
        let mut found = records(&["a", "b", "c"]);
        let shared = Arc::clone(&found.sorted[1].0);
        *found.get_mut_at(1, &shared).unwrap() += 10;
        *found.get_mut_at(2, "c").unwrap() += 20;
        // Not at the index given: searched for.
        *found.get_mut_at(0, "b").unwrap() += 100;
        *found.get_mut_at(7, "a").unwrap() += 1000;
        assert_eq!(found.get_mut_at(1, "bb"), None);
        assert_eq!(paths(&found), [("a", 1000), ("b", 111), ("c", 22)]);
    }

    #[test]
    fn a_lookup_in_order_finds_what_a_search_finds() {
        let found = records(&["a", "b", "c", "d", "e", "f", "g", "h"]);
        let asked = ["0", "a", "bb", "c", "h", "b", "z", "d", "e", "e", "a"];
        let mut lookup = found.in_order();
        let walked: Vec<Option<usize>> = asked.iter().map(|path| lookup(path).copied()).collect();
        let searched: Vec<Option<usize>> =
            asked.iter().map(|path| found.get(path).copied()).collect();
        assert_eq!(walked, searched);
    }
}
