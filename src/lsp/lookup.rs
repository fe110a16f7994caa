//! Which goal or note the cursor names: by a `#tag`, a `[[wikilink]]`, a `parent:` or
//! `id:` value, or by standing in a goal's front-matter or on its declaration. Hover,
//! definition and references all start here.

use std::ops::Range;

use super::Context;
use super::snapshot::Note;
use super::tokens::{self, Token};
use crate::analyse::GoalReport;

/// What the cursor names.
pub(crate) enum Named<'a> {
    /// A goal, named by a token on the cursor's line (its byte range) or by its own
    /// declaration around the cursor (no range).
    Goal(&'a GoalReport, Option<Range<usize>>),
    /// A note (a document that declares no goal) named by a wikilink.
    Note(&'a Note, Range<usize>),
}

pub(crate) fn named_at<'a>(c: &Context<'a>) -> Option<Named<'a>> {
    let snapshot = c.snapshot;
    if let Some((token, range)) = tokens::token_at(c.line(), c.offset_in_line()) {
        match token {
            Token::Tag(id) => {
                return snapshot
                    .goal(&id)
                    .map(|goal| Named::Goal(goal, Some(range)));
            }
            Token::Link(target) => {
                let note = snapshot.note_of_link(&target, c.path)?;
                return Some(match snapshot.goals_of_file(&note.path).next() {
                    Some(goal) => Named::Goal(goal, Some(range)),
                    None => Named::Note(note, range),
                });
            }
            Token::Value { key, value } if key == "parent" => {
                return snapshot
                    .goal(&value)
                    .map(|goal| Named::Goal(goal, Some(range)));
            }
            Token::Value { .. } => {}
        }
    }
    declared_goal_at(c).map(|goal| Named::Goal(goal, None))
}

/// The goal declared where the cursor stands: in the front-matter of a goal file, or
/// on or below a goal's declaration. The buffer's goals are matched with the analysed
/// ones by their order in the file, which edits above them do not change.
fn declared_goal_at<'a>(c: &Context<'a>) -> Option<&'a GoalReport> {
    let document = c.document();
    let line = c.position.line + 1;
    let in_front_matter =
        tokens::front_matter_lines((0..c.buffer.line_count()).map(|n| c.buffer.line(n)))
            .is_some_and(|lines| lines.contains(&c.position.line));
    let declared_above = document
        .goals()
        .iter()
        .rposition(|goal| goal.position.line <= line);
    let index = if in_front_matter {
        // The goal whose keys the cursor is among: of a `goals:` list, the last one
        // declared above it.
        declared_above.unwrap_or(0)
    } else {
        document
            .goals()
            .iter()
            .rposition(|goal| goal.position.line == line)?
    };
    document.goals().get(index)?;
    c.snapshot.goals_of_file(c.path).nth(index)
}
