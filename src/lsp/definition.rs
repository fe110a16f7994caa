//! Go to definition: from a `#tag`, a `parent:` value or a `[[wikilink]]` to the goal's
//! declaration, or to the start of the note a wikilink names.

use super::Context;
use super::buffers::Lines;
use super::lookup::{Named, named_at};
use super::protocol::{FileRange, TextRange};
use crate::analyse::GoalReport;
use crate::diagnostic::Position;

pub(crate) fn definition(c: &Context<'_>, lines: &mut Lines<'_>) -> Vec<FileRange> {
    let place = match named_at(c) {
        Some(Named::Goal(goal, Some(_))) => declaration(c, goal, lines),
        Some(Named::Note(note, _)) => FileRange {
            path: c.root.join(&*note.path),
            range: TextRange::default(),
        },
        // On a goal's own declaration, or on nothing: nowhere to go.
        Some(Named::Goal(_, None)) | None => return Vec::new(),
    };
    vec![place]
}

/// Where `goal` is declared: its title, from the place the journal reports.
pub(crate) fn declaration(c: &Context<'_>, goal: &GoalReport, lines: &mut Lines<'_>) -> FileRange {
    FileRange {
        path: c.root.join(&goal.file),
        range: lines.rest_of_line(&goal.file, Position::new(goal.line, goal.column)),
    }
}
