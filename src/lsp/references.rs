//! References: every milestone of a goal and every line of an entry that mentions it.

use super::Context;
use super::buffers::Lines;
use super::lookup::{Named, named_at};
use super::protocol::FileRange;
use crate::analyse::GoalReport;
use crate::diagnostic::Position;

pub(crate) fn references(c: &Context<'_>, lines: &mut Lines<'_>) -> Vec<FileRange> {
    let Some(Named::Goal(goal, _)) = named_at(c) else {
        return Vec::new();
    };
    places(goal)
        .into_iter()
        .map(|(file, line)| FileRange {
            path: c.root.join(file),
            range: lines.rest_of_line(file, Position::new(line, 1)),
        })
        .collect()
}

/// The goal's milestones and the lines of entries that mention it, as (file, line), in
/// order and each once.
pub(crate) fn places(goal: &GoalReport) -> Vec<(&str, u32)> {
    let milestones = goal.milestones.iter().map(|m| (&*m.file, m.line));
    let entries = goal.entries.iter().flat_map(|entry| {
        entry
            .lines
            .iter()
            .map(move |line| (&*entry.file, line.line))
    });
    let mut places: Vec<(&str, u32)> = milestones.chain(entries).collect();
    places.sort();
    places.dedup();
    places
}
