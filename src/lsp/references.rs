//! References: every milestone of a goal and every line of an entry that mentions it.

use super::Context;
use super::buffers::Lines;
use super::lookup::{Named, named_at};
use super::protocol::FileRange;
use crate::diagnostic::Position;

pub(crate) fn references(c: &Context<'_>, lines: &mut Lines<'_>) -> Vec<FileRange> {
    let Some(Named::Goal(goal, _)) = named_at(c) else {
        return Vec::new();
    };
    let notes = c.snapshot.notes();
    goal.places(|document| &notes[document].path)
        .into_iter()
        .map(|(file, line)| FileRange {
            path: c.root.join(file),
            range: lines.rest_of_line(file, Position::new(line, 1)),
        })
        .collect()
}
