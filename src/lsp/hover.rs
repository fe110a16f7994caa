//! Hover: a goal's status, progress, dates, next open milestone and current cadence
//! period, over its `#tag`, a `[[wikilink]]` to its file, a `parent:` naming it, or its
//! own title and front-matter.

use super::Context;
use super::lookup::{Named, named_at};
use super::protocol::{HoverText, TextRange};
use crate::analyse::{GoalReport, cadence_count};

pub(crate) fn hover(c: &Context<'_>) -> Option<HoverText> {
    let (markdown, range) = match named_at(c)? {
        Named::Goal(goal, range) => (goal_card(goal), range),
        Named::Note(note, range) => (
            format!("**{}**\n\n`{}`", note.title, note.path),
            Some(range),
        ),
    };
    let range = range.map_or(
        TextRange {
            start: c.position,
            end: c.position,
        },
        |range| c.line_range(range),
    );
    Some(HoverText { markdown, range })
}

/// A goal in a few lines of markdown.
pub(crate) fn goal_card(goal: &GoalReport) -> String {
    let mut lines = vec![format!("**{}** `#{}`", goal.title, goal.id)];
    let mut facts = vec![format!("status: {}", goal.status.as_str())];
    facts.push(progress(goal));
    if let Some(due) = goal.due {
        facts.push(format!("due {due}"));
    }
    if let Some(forecast) = goal.forecast {
        facts.push(format!("forecast {forecast}"));
    }
    if goal.stalled {
        facts.push("stalled".to_string());
    }
    lines.push(facts.join(" · "));
    if let Some(current) = goal.cadence.as_ref().and_then(|c| c.current.as_ref()) {
        lines.push(format!(
            "this period ({}): {}/{}",
            current.label,
            cadence_count(current.done),
            current.target
        ));
    }
    if let Some(next) = goal.next_step() {
        lines.push(format!("next: {next}"));
    }
    lines.join("\n\n")
}

/// `progress 3/5 (60%)`.
pub(crate) fn progress(goal: &GoalReport) -> String {
    format!(
        "progress {}/{} ({:.0}%)",
        goal.done,
        goal.total,
        goal.progress * 100.0
    )
}
