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
                let note = note_of_link(c, &target)?;
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
    let index = if in_front_matter {
        0
    } else {
        document
            .goals
            .iter()
            .rposition(|goal| goal.position.line == line)?
    };
    document.goals.get(index)?;
    c.snapshot.goals_of_file(c.path).nth(index)
}

/// The note a `[[wikilink]]` names: by file name (case-insensitive, `.md` optional) or
/// by the end of its path, preferring the linking note's folder, then the shortest path.
pub(crate) fn note_of_link<'a>(c: &Context<'a>, target: &str) -> Option<&'a Note> {
    let wanted =
        crate::paths::strip_markdown_extension(target.trim_start_matches('/')).to_lowercase();
    if wanted.is_empty() {
        return None;
    }
    let folder = |path: &str| path.rsplit_once('/').map_or("", |(f, _)| f).to_string();
    let here = folder(c.path);
    c.snapshot
        .notes
        .iter()
        .filter(|note| {
            let path = crate::paths::strip_markdown_extension(&note.path).to_lowercase();
            path == wanted || path.ends_with(&format!("/{wanted}"))
        })
        .min_by_key(|note| (folder(&note.path) != here, note.path.len()))
}
