//! Rename a goal's id everywhere the journal names it: its `id:` (added when the id was
//! made from the title), `#tags`, `parent:`, the keys of entries' `metrics:` and
//! `checkins:`, and headings named after it (milestones under them belong to it). The
//! places come from parsing each file as the journal reads it, so a `#tag` in code or
//! a word that only contains the id is left alone.

use std::ops::Range;

use super::Context;
use super::buffers::Buffer;
use super::editing::{Texts, workspace_edit};
use super::lookup::{Named, named_at};
use super::protocol::{FileRange, TextRange, WorkspaceEdit};
use super::tokens::{self, Token};
use crate::analyse::GoalReport;
use crate::diagnostic::Position;
use crate::document::{Document, GoalDecl};

/// The id under the cursor and its range, or why there is nothing to rename.
pub(crate) fn prepare(c: &Context<'_>) -> Result<(TextRange, String), String> {
    let (goal, range) = goal_at(c)?;
    let range = match range {
        Some(range) => c.line_range(range),
        None => TextRange {
            start: c.position,
            end: c.position,
        },
    };
    Ok((range, goal.id.clone()))
}

/// The edits that rename the goal under the cursor to `new_name`.
pub(crate) fn rename(
    c: &Context<'_>,
    new_name: &str,
    texts: &Texts<'_>,
) -> Result<WorkspaceEdit, String> {
    let (goal, _) = goal_at(c)?;
    let new_id = new_name.trim().trim_start_matches('#');
    let slug = crate::slug::slugify(new_id);
    if slug != new_id || slug.is_empty() {
        let like = if slug.is_empty() {
            "ship-the-app"
        } else {
            &slug
        };
        return Err(format!(
            "`{new_name}` is not a goal id: use lowercase letters, digits and single dashes, \
             like `{like}`"
        ));
    }
    if new_id == goal.id {
        return Ok(WorkspaceEdit::default());
    }
    if let Some(other) = c.snapshot.goal(new_id) {
        return Err(format!(
            "the goal `{}` in {}:{} already has the id `{new_id}`",
            other.title, other.file, other.line
        ));
    }
    let mut paths: Vec<&str> = c.snapshot.notes().iter().map(|n| &*n.path).collect();
    paths.push(c.path);
    // Open buffers of files not analysed yet (new, unsaved).
    paths.extend(texts.open_paths());
    paths.sort_unstable();
    paths.dedup();
    let mut edits = Vec::new();
    for path in paths {
        let Some(text) = texts.text(path) else {
            continue;
        };
        // Most files never name the goal: no parse for them.
        if path != goal.file && !text.to_lowercase().contains(&goal.id) {
            continue;
        }
        let buffer = Buffer::new(0, text);
        let document = buffer.document(path, &c.snapshot.parse);
        let file = texts.root().join(path);
        for (range, text) in places(&buffer, document, goal, new_id) {
            edits.push((
                FileRange {
                    path: file.clone(),
                    range,
                },
                text,
            ));
        }
    }
    Ok(workspace_edit(edits))
}

/// The goal the cursor names, with the range of the name when it stands on one.
fn goal_at<'a>(c: &Context<'a>) -> Result<(&'a GoalReport, Option<Range<usize>>), String> {
    let token = tokens::token_at(c.line(), c.offset_in_line());
    // On `id:`, the goal declared there: two goals may write one id (the later one is
    // reported with a suffix), so the id does not say which.
    if let Some((Token::Value { key, .. }, range)) = &token
        && key == "id"
        && let Some(Named::Goal(goal, None)) = named_at(c)
    {
        return Ok((goal, Some(range.clone())));
    }
    if let Some((Token::Tag(name), _)) = &token
        && c.snapshot.goal(name).is_none()
    {
        return Err(unknown(name));
    }
    match named_at(c) {
        Some(Named::Goal(goal, range)) => {
            // A tag's range holds its `#`, which stays.
            let range = range.map(|r| match &token {
                Some((Token::Tag(_), _)) => r.start + 1..r.end,
                _ => r,
            });
            Ok((goal, range))
        }
        _ => Err(
            "put the cursor on a goal's `#id`, `id:` or `parent:`, or in its \
                  front-matter, to rename its id"
                .to_string(),
        ),
    }
}

fn unknown(id: &str) -> String {
    format!("`{id}` names no goal of this journal: nothing to rename")
}

/// The places of one file that name `goal`, each with its new text.
fn places(
    buffer: &Buffer,
    document: &Document,
    goal: &GoalReport,
    new_id: &str,
) -> Vec<(TextRange, String)> {
    let old = goal.id.as_str();
    let mut places = Vec::new();
    let mut replace = |position: Position, name: fn(&str) -> Range<usize>, read: Read| {
        let line = buffer.line(position.line.saturating_sub(1));
        let start = byte_of_column(line, position.column);
        let range = name(&line[start..]);
        let bytes = start + range.start..start + range.end;
        let names_goal = match read {
            Read::Slug => crate::slug::slugify(&line[bytes.clone()]) == old,
            Read::Lowercase => line[bytes.clone()].to_lowercase() == old,
            Read::Own => true,
        };
        if names_goal {
            let range = line_range(buffer, position.line, bytes);
            places.push((range, new_id.to_string()));
        }
    };
    for declared in document.goals() {
        // Only the goal's own `id:`, whatever it says (a duplicate's is reported with a
        // suffix, `learn-sql-2`): another goal that writes the same id keeps it.
        if let Some(id) = &declared.id
            && declares(document, declared, goal)
        {
            replace(id.position, scalar, Read::Own);
        }
        if let Some(parent) = &declared.parent {
            replace(parent.position, scalar, Read::Slug);
        }
    }
    for key in document.metrics().iter().map(|m| m.position) {
        replace(key, key_name, Read::Lowercase);
    }
    for key in document.checkins().iter().map(|c| c.position) {
        replace(key, key_name, Read::Lowercase);
    }
    for tag in document.tags.iter().filter(|tag| *tag.value == *old) {
        replace(tag.position, tag_name, Read::Lowercase);
    }
    for heading in &document.headings {
        replace(heading.position, heading_text, Read::Lowercase);
    }
    if let Some(declared) = document
        .goals()
        .iter()
        .find(|declared| declared.id.is_none() && declares(document, declared, goal))
    {
        places.push(added_id(buffer, declared.position, new_id));
    }
    places
}

/// How a place is read to tell whether it names the goal.
#[derive(Clone, Copy)]
enum Read {
    /// As a slug (`parent: Ship It` is `ship-it`), as the journal reads `parent:`.
    Slug,
    /// Lowercased, as tags and keys are read; a heading with the goal's title is not
    /// its id, and keeps its text.
    Lowercase,
    /// The goal's own `id:`: it names the goal, whatever it says.
    Own,
}

/// Whether `declared` is the declaration of `goal`.
fn declares(document: &Document, declared: &GoalDecl, goal: &GoalReport) -> bool {
    *document.path == *goal.file && declared.position.line == goal.line
}

/// The `id:` line that gives the goal declared at `position` (whose id was made from
/// its title) the id `new_id`. It is written before the goal's first key, at its
/// indentation, so that it stands in the goal's mapping whatever its keys hold (a title
/// over several lines); a `goal:` mapping's first key is on the line below `goal:`.
fn added_id(buffer: &Buffer, position: Position, new_id: &str) -> (TextRange, String) {
    let position = match super::fixes::goal_block(buffer, position) {
        Some((lines, indent)) if lines.start + 1 > position.line => {
            Position::new(lines.start + 1, indent as u32 + 1)
        }
        _ => position,
    };
    let line = buffer.line(position.line.saturating_sub(1));
    let at = byte_of_column(line, position.column);
    let indent = " ".repeat(line[..at].chars().count());
    (
        line_range(buffer, position.line, at..at),
        format!("id: {new_id}\n{indent}"),
    )
}

/// The byte offset of 1-based character column `column` of `line`.
fn byte_of_column(line: &str, column: u32) -> usize {
    line.char_indices()
        .nth(column.saturating_sub(1) as usize)
        .map_or(line.len(), |(at, _)| at)
}

fn line_range(buffer: &Buffer, line: u32, bytes: Range<usize>) -> TextRange {
    let line = line.saturating_sub(1);
    TextRange {
        start: buffer.position_in_line(line, bytes.start),
        end: buffer.position_in_line(line, bytes.end),
    }
}

/// A YAML scalar at the start of `text`: inside its quotes, else up to the end of a
/// flow item or a comment.
fn scalar(text: &str) -> Range<usize> {
    if let Some(quote) = text.chars().next().filter(|c| matches!(c, '"' | '\''))
        && let Some(end) = text[1..].find(quote)
    {
        return 1..1 + end;
    }
    let end = text.find([',', '}', ']']).unwrap_or(text.len());
    let end = text[..end].find(" #").unwrap_or(end);
    0..text[..end].trim_end().len()
}

/// A mapping key at the start of `text`: inside its quotes, else up to its `:`.
fn key_name(text: &str) -> Range<usize> {
    let quoted = scalar(text);
    if quoted.start == 1 {
        return quoted;
    }
    0..text.find(':').unwrap_or(text.len()).min(quoted.end)
}

/// A `#tag`'s name, without the `#`.
fn tag_name(text: &str) -> Range<usize> {
    let name = text.strip_prefix('#').unwrap_or(text);
    let len: usize = name
        .chars()
        .take_while(|&c| tokens::is_tag_char(c))
        .map(char::len_utf8)
        .sum();
    let offset = text.len() - name.len();
    offset..offset + name[..len].trim_end_matches(['-', '/']).len()
}

/// A heading's text, after its `#` marks.
fn heading_text(text: &str) -> Range<usize> {
    let marks = text.len() - text.trim_start_matches('#').len();
    let rest = &text[marks..];
    let start = marks + (rest.len() - rest.trim_start().len());
    let end = marks + rest.trim_end().trim_end_matches('#').trim_end().len();
    start..end.max(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_read_as_yaml_and_markdown_write_them() {
        let cut = |text: &str, range: Range<usize>| text[range].to_string();
        let text = "\"Ship it\" # the app";
        assert_eq!(cut(text, scalar(text)), "Ship it");
        assert_eq!(cut("ship # the app", scalar("ship # the app")), "ship");
        assert_eq!(cut("ship, talk]", scalar("ship, talk]")), "ship");
        assert_eq!(cut("ship: 2}", key_name("ship: 2}")), "ship");
        assert_eq!(cut("'ship': 2", key_name("'ship': 2")), "ship");
        assert_eq!(cut("#ship-, and", tag_name("#ship-, and")), "ship");
        assert_eq!(cut("## Ship ##", heading_text("## Ship ##")), "Ship");
        assert_eq!(byte_of_column("é ship", 3), 3);
    }
}
