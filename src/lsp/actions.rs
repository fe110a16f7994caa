//! Code actions: on a milestone line, mark it done, reopen it or cancel it the way the
//! Obsidian Tasks plugin writes it (docs/FORMAT.md: `[x]` and `✅ date`, `[-]` and
//! `❌ date`, or `[completion:: date]` and `[cancelled:: date]` on a line written in
//! Dataview's format); the quick fixes of [`super::fixes`]; and the commands about the
//! file: its goal's report, today's entry.

use std::ops::Range;

use super::Context;
use super::editing::workspace_edit;
use super::fixes;
use super::lookup::{Named, named_at};
use super::protocol::{ActionKind, CodeAction, Command, FileRange};
use super::tokens;
use crate::document::{Milestone, MilestoneState};

/// The actions for the lines from the cursor's to `last_line` (0-based).
pub(crate) fn code_actions(c: &Context<'_>, last_line: u32) -> Vec<CodeAction> {
    let mut actions = Vec::new();
    let lines = c.position.line..=last_line.max(c.position.line);
    for milestone in &c.document().milestones {
        let line = milestone.position.line.saturating_sub(1);
        if lines.contains(&line) {
            actions.extend(milestone_actions(c, milestone, line));
        }
    }
    actions.extend(fixes::quick_fixes(c, lines));
    actions.extend(commands(c));
    actions
}

/// Ticking the milestone on line `line`: what its state allows.
fn milestone_actions(c: &Context<'_>, milestone: &Milestone, line: u32) -> Vec<CodeAction> {
    let text = c.buffer.line(line);
    let Some(checkbox) = checkbox(text, milestone.position.column) else {
        return logseq_actions(c, milestone, line);
    };
    let today = c.snapshot.today();
    let dataview = written_as_dataview(text);
    let edit = |title: String, state: char, removed: &[Marker], added: Option<Marker>| {
        let mut edits = vec![(checkbox.clone(), state.to_string())];
        edits.extend(
            removed
                .iter()
                .flat_map(|marker| marker_ranges(text, *marker))
                .map(|range| (range, String::new())),
        );
        if let Some(marker) = added {
            let at = end_of_text(text);
            edits.push((at..at, format!(" {}", marker.written(dataview, &today))));
        }
        CodeAction {
            title,
            kind: ActionKind::Rewrite,
            edit: Some(workspace_edit(edits.into_iter().map(|(range, text)| {
                let place = FileRange {
                    path: c.root.join(c.path),
                    range: line_range(c, line, range),
                };
                (place, text)
            }))),
            command: None,
            preferred: false,
        }
    };
    let name = &short(&milestone.text);
    match milestone.state {
        MilestoneState::Open => vec![
            edit(
                format!("Mark done ✅ {today}: {name}"),
                'x',
                &[Marker::Done],
                Some(Marker::Done),
            ),
            edit(
                format!("Cancel ❌ {today}: {name}"),
                '-',
                &[Marker::Cancelled],
                Some(Marker::Cancelled),
            ),
        ],
        MilestoneState::Done | MilestoneState::Cancelled => vec![edit(
            format!("Reopen: {name}"),
            ' ',
            &[Marker::Done, Marker::Cancelled],
            None,
        )],
    }
}

/// A Logseq task (`- TODO call Ana`): its keyword is its state, and Logseq writes no
/// date: DONE, CANCELED (as Logseq spells it), and TODO to reopen.
fn logseq_actions(c: &Context<'_>, milestone: &Milestone, line: u32) -> Vec<CodeAction> {
    let Some(keyword) = logseq_keyword(c.buffer.line(line), milestone.position.column) else {
        return Vec::new();
    };
    let rewrite = |title: String, word: &str| {
        let place = FileRange {
            path: c.root.join(c.path),
            range: line_range(c, line, keyword.clone()),
        };
        CodeAction {
            title,
            kind: ActionKind::Rewrite,
            edit: Some(workspace_edit([(place, word.to_string())])),
            command: None,
            preferred: false,
        }
    };
    let name = short(&milestone.text);
    match milestone.state {
        MilestoneState::Open => vec![
            rewrite(format!("Mark done (DONE): {name}"), "DONE"),
            rewrite(format!("Cancel (CANCELED): {name}"), "CANCELED"),
        ],
        MilestoneState::Done | MilestoneState::Cancelled => {
            vec![rewrite(format!("Reopen (TODO): {name}"), "TODO")]
        }
    }
}

/// The byte range of the keyword of a Logseq task whose bullet is at 1-based character
/// column `column` (docs/FORMAT.md lists them).
fn logseq_keyword(line: &str, column: u32) -> Option<Range<usize>> {
    const KEYWORDS: [&str; 10] = [
        "TODO",
        "DOING",
        "NOW",
        "LATER",
        "WAIT",
        "WAITING",
        "IN-PROGRESS",
        "DONE",
        "CANCELED",
        "CANCELLED",
    ];
    let start = after_bullet(line, column)?;
    let word = line[start..].split(' ').next()?;
    KEYWORDS.contains(&word).then(|| start..start + word.len())
}

/// A milestone's text as a menu shows it: its first words (a milestone may be a whole
/// long paragraph).
fn short(text: &str) -> String {
    const MAX_CHARS: usize = 60;
    match text.char_indices().nth(MAX_CHARS) {
        Some((cut, _)) => format!("{}…", text[..cut].trim_end()),
        None => text.to_string(),
    }
}

fn line_range(c: &Context<'_>, line: u32, range: Range<usize>) -> super::protocol::TextRange {
    super::protocol::TextRange {
        start: c.buffer.position_in_line(line, range.start),
        end: c.buffer.position_in_line(line, range.end),
    }
}

/// The byte range of the state character in `[ ]` of a task item whose bullet is at
/// 1-based character column `column`.
fn checkbox(line: &str, column: u32) -> Option<Range<usize>> {
    let open = after_bullet(line, column)?;
    let state = line[open..].strip_prefix('[')?.chars().next()?;
    line[open + 1 + state.len_utf8()..]
        .starts_with(']')
        .then(|| open + 1..open + 1 + state.len_utf8())
}

/// The byte offset of a list item's text, after its bullet at 1-based character column
/// `column` (`-`, `*`, `+`, `1.`, `1)`) and the spaces after it.
fn after_bullet(line: &str, column: u32) -> Option<usize> {
    let bullet = line
        .char_indices()
        .nth(column.saturating_sub(1) as usize)?
        .0;
    let rest = &line[bullet..];
    let marker_len = match rest.chars().next()? {
        '-' | '*' | '+' => 1,
        _ => {
            let digits = rest.chars().take_while(char::is_ascii_digit).count();
            (digits > 0 && rest[digits..].starts_with(['.', ')'])).then_some(digits + 1)?
        }
    };
    let after = &rest[marker_len..];
    let spaces = after.len() - after.trim_start_matches([' ', '\t']).len();
    Some(bullet + marker_len + spaces)
}

#[derive(Debug, Clone, Copy)]
enum Marker {
    Done,
    Cancelled,
}

impl Marker {
    fn emoji(self) -> &'static str {
        match self {
            Marker::Done => "✅",
            Marker::Cancelled => "❌",
        }
    }

    /// The bracketed fields of the same meaning (docs/FORMAT.md).
    fn fields(self) -> &'static [&'static str] {
        match self {
            Marker::Done => &["completion", "done"],
            Marker::Cancelled => &["cancelled"],
        }
    }

    fn written(self, dataview: bool, date: &crate::dates::Date) -> String {
        match (self, dataview) {
            (_, false) => format!("{} {date}", self.emoji()),
            (Marker::Done, true) => format!("[completion:: {date}]"),
            (Marker::Cancelled, true) => format!("[cancelled:: {date}]"),
        }
    }
}

/// Whether the line's Tasks data is written as Dataview fields (`[due:: 2026-03-01]`)
/// and none as emoji: Tasks then writes a done date as a field too.
fn written_as_dataview(line: &str) -> bool {
    const FIELDS: [&str; 8] = [
        "due",
        "scheduled",
        "start",
        "created",
        "priority",
        "repeat",
        "completion",
        "cancelled",
    ];
    const EMOJI: [&str; 12] = [
        "📅", "📆", "🗓", "⏳", "⌛", "🛫", "➕", "✅", "❌", "🔁", "⏫", "🔼",
    ];
    let lower = line.to_lowercase();
    let has_field = FIELDS
        .iter()
        .any(|field| lower.contains(&format!("[{field}::")));
    has_field && !EMOJI.iter().any(|emoji| line.contains(emoji))
}

/// The byte ranges of `marker` in `line` with the space before each: `✅ 2026-03-02`
/// (a variation selector after the emoji too) and `[done:: 2026-03-02]`.
fn marker_ranges(line: &str, marker: Marker) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    for (at, _) in line.match_indices(marker.emoji()) {
        let mut end = at + marker.emoji().len();
        end += line[end..].strip_prefix('\u{FE0F}').map_or(0, |_| 3);
        let rest = &line[end..];
        let spaces = rest.len() - rest.trim_start().len();
        let word = rest[spaces..]
            .split_whitespace()
            .next()
            .filter(|word| crate::dates::Date::parse(word).is_ok());
        if let Some(word) = word {
            ranges.push(with_space_before(line, at..end + spaces + word.len()));
        }
    }
    let lower = line.to_lowercase();
    for field in marker.fields() {
        for (at, _) in lower.match_indices(&format!("[{field}::")) {
            if let Some(close) = line[at..].find(']') {
                ranges.push(with_space_before(line, at..at + close + 1));
            }
        }
    }
    ranges
}

fn with_space_before(line: &str, range: Range<usize>) -> Range<usize> {
    match line[..range.start].ends_with(' ') {
        true => range.start - 1..range.end,
        false => range,
    }
}

/// Where Tasks adds a date: after the text, before a trailing block id (`^abc123`).
fn end_of_text(line: &str) -> usize {
    let text = line.trim_end();
    match text.rsplit_once(' ') {
        Some((before, last))
            if last.len() > 1
                && last.starts_with('^')
                && last[1..]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-') =>
        {
            before.trim_end().len()
        }
        _ => text.len(),
    }
}

/// The goal the cursor names, else the first goal a `#tag` of its line names.
fn goal_of_line<'a>(c: &Context<'a>) -> Option<&'a crate::analyse::GoalReport> {
    if let Some(Named::Goal(goal, _)) = named_at(c) {
        return Some(goal);
    }
    let line = c.line();
    line.match_indices('#')
        .find_map(|(at, _)| match tokens::token_at(line, at + 1) {
            Some((tokens::Token::Tag(id), _)) => c.snapshot.goal(&id),
            _ => None,
        })
}

/// The commands about the cursor's place: its goal's report, today's entry.
fn commands(c: &Context<'_>) -> Vec<CodeAction> {
    let mut actions = Vec::new();
    if let Some(goal) = goal_of_line(c) {
        actions.push(CodeAction {
            title: format!("Open the report of `{}`", goal.id),
            kind: ActionKind::Source,
            edit: None,
            command: Some(Command::OpenReport {
                goal: goal.id.clone(),
            }),
            preferred: false,
        });
    }
    let today = c.snapshot.today();
    let verb = match crate::scaffold::existing_entry(c.root, today) {
        Some(_) => "Open",
        None => "Create",
    };
    actions.push(CodeAction {
        title: format!("{verb} today's entry ({today})"),
        kind: ActionKind::Source,
        edit: None,
        command: Some(Command::NewEntry),
        preferred: false,
    });
    actions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_checkbox_after_any_bullet() {
        fn state(line: &str, column: u32) -> Option<&str> {
            checkbox(line, column).map(|r| &line[r])
        }
        assert_eq!(state("- [ ] write", 1), Some(" "));
        assert_eq!(state("  * [x] write", 3), Some("x"));
        assert_eq!(state("> 12. [/] write", 3), Some("/"));
        assert_eq!(state("- TODO write", 1), None);
        assert_eq!(state("- [ write", 1), None);
        let keyword = |line: &str| logseq_keyword(line, 1).map(|r| line[r].to_string());
        assert_eq!(
            keyword("- IN-PROGRESS call Ana").as_deref(),
            Some("IN-PROGRESS")
        );
        assert_eq!(keyword("- DONE"), Some("DONE".to_string()));
        assert_eq!(keyword("- Todo call Ana"), None);
    }

    #[test]
    fn menus_show_a_long_milestone_cut() {
        assert_eq!(short("write"), "write");
        let long = "word ".repeat(30);
        assert_eq!(short(&long), format!("{}…", "word ".repeat(12).trim_end()));
    }

    #[test]
    fn markers_go_with_their_space_and_dates_go_before_a_block_id() {
        let line = "- [x] ship ✅️ 2026-03-02 #app [done:: 2026-03-02] ^a1";
        let cut: Vec<&str> = marker_ranges(line, Marker::Done)
            .into_iter()
            .map(|r| &line[r])
            .collect();
        assert_eq!(cut, [" ✅️ 2026-03-02", " [done:: 2026-03-02]"]);
        // `✅ soon` is no marker: left for `check` to point at.
        assert!(marker_ranges("- [x] a ✅ soon", Marker::Done).is_empty());
        assert_eq!(end_of_text(line), line.len() - " ^a1".len());
        assert_eq!(end_of_text("- [ ] a  "), "- [ ] a".len());
        assert!(written_as_dataview("- [ ] a [due:: 2026-03-01]"));
        assert!(!written_as_dataview(
            "- [ ] a 📅 2026-03-01 [due:: 2026-03-01]"
        ));
    }
}
