//! "Did you mean" hints: the goal id closest to a name that names no goal, within a
//! budget of comparisons for the whole journal.

use crate::hash::FastMap;
use std::cell::{Cell, RefCell};

/// How many name-to-id comparisons "did you mean" hints may make in one journal. Each
/// unknown name is compared with every goal id, so hints for thousands of unknown names in
/// a journal of thousands of goals would take minutes; past this budget names get no
/// hint. A journal of 1,000 goals gets hints for its first 2,000 distinct unknown names,
/// one of 20,000 goals for its first 100.
pub(super) const SUGGESTION_COMPARISONS: usize = 2_000_000;

/// The hints of one journal: those already computed, as the same unknown tag tends to
/// recur, and how many more comparisons they may make.
pub(super) struct Hints {
    known: RefCell<FastMap<String, String>>,
    /// See [`SUGGESTION_COMPARISONS`].
    comparisons_left: Cell<usize>,
}

impl Hints {
    pub(super) fn new() -> Hints {
        Hints {
            known: RefCell::default(),
            comparisons_left: Cell::new(SUGGESTION_COMPARISONS),
        }
    }

    /// `; did you mean `x`?` for the id of `ids` closest to `name`, when one is close and
    /// the budget of comparisons allows.
    pub(super) fn suggest(&self, name: &str, ids: &FastMap<String, usize>) -> String {
        if let Some(known) = self.known.borrow().get(name) {
            return known.clone();
        }
        let Some(left) = self.comparisons_left.get().checked_sub(ids.len()) else {
            return String::new();
        };
        self.comparisons_left.set(left);
        let hint = match closest_id(name, ids.keys().map(String::as_str)) {
            Some(id) => format!("; did you mean `{id}`?"),
            None => String::new(),
        };
        self.known
            .borrow_mut()
            .insert(name.to_string(), hint.clone());
        hint
    }
}

/// The id closest to `name` by edit distance, for "did you mean" hints: within a third
/// of the id's length (at least 1), the nearest, then the first in sort order.
pub(crate) fn closest_id<'a>(name: &str, ids: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let name: Vec<char> = name.chars().collect();
    ids.filter_map(|id| {
        let limit = (id.len() / 3).max(1);
        edit_distance_within(&name, id, limit).map(|distance| (distance, id))
    })
    .min()
    .map(|(_, id)| id)
}

/// The Levenshtein distance of `a` and `b` if it is at most `limit`. Stops as soon as a
/// row of the table is all over the limit, so that comparing a name with thousands of
/// ids mostly costs a length check or a few rows each.
fn edit_distance_within(a: &[char], b: &str, limit: usize) -> Option<usize> {
    if a.len().abs_diff(b.chars().count()) > limit {
        return None;
    }
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = Vec::with_capacity(b.len() + 1);
    for (i, ca) in a.iter().enumerate() {
        current.clear();
        current.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != cb);
            current.push(substitute.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        if current.iter().all(|&cost| cost > limit) {
            return None;
        }
        std::mem::swap(&mut previous, &mut current);
    }
    Some(previous[b.len()]).filter(|&distance| distance <= limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_edits_up_to_the_limit() {
        let chars = |s: &str| s.chars().collect::<Vec<char>>();
        assert_eq!(
            edit_distance_within(&chars("kitten"), "sitting", 3),
            Some(3)
        );
        assert_eq!(edit_distance_within(&chars("kitten"), "sitting", 2), None);
        assert_eq!(edit_distance_within(&chars(""), "ab", 2), Some(2));
        assert_eq!(edit_distance_within(&chars("same"), "same", 0), Some(0));
        assert_eq!(edit_distance_within(&chars("é"), "e", 1), Some(1));
    }

    #[test]
    fn the_closest_id_is_near_enough_then_first() {
        let ids = ["learn-sql", "learn-sq1", "vision"];
        assert_eq!(
            closest_id("learn-sq", ids.into_iter()),
            Some("learn-sq1"),
            "ties go to the first in sort order"
        );
        assert_eq!(closest_id("visoin", ids.into_iter()), Some("vision"));
        assert_eq!(closest_id("talks", ids.into_iter()), None);
    }
}
