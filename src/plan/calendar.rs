//! The deadlines calendar's events: every due date of a goal or milestone as an all-day
//! event, with the text calendar apps show. What the events are, their UIDs and what
//! changes them is described in docs/FORMAT.md ("The deadlines calendar");
//! `render::calendar` writes them as iCalendar. The calendar page's data is its events
//! and the day, so it is rendered again only when an event or the day changed.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use serde::Serialize;

use crate::analyse::{GoalReport, MilestoneReport, Report, Status};
use crate::dates::Date;
use crate::document::MilestoneState;
use crate::text::percent;

/// One all-day event: the plain data a calendar is rendered from (and fingerprinted by).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Event {
    pub(crate) uid: String,
    pub(crate) date: Date,
    pub(crate) summary: String,
    pub(crate) description: String,
    pub(crate) cancelled: bool,
}

/// Each goal's events as the last build made them, with the goal's report they were made
/// from. A goal's events are made from its report alone, and an analysis after an edit
/// shares (`Arc`) the report of every goal the edit did not touch with the last one: the
/// events of such a goal are the ones kept, and `watch` formats again only those of the
/// goals an edit touched (formatting every goal's event was a fiftieth of a rebuild).
/// The report kept is held, so no other can be made at its address.
#[derive(Default)]
pub(crate) struct KeptEvents(Vec<(Arc<GoalReport>, Vec<Event>)>);

/// An event for every goal and every milestone with a due date: open, done (marked `✓`,
/// as history) and cancelled (`STATUS:CANCELLED`) alike, by date. With `kept`, the events
/// of the goals whose report is the one kept are taken from there, and the others' kept
/// for the next build.
pub(crate) fn events(report: &Report, kept: Option<&mut KeptEvents>) -> Vec<Event> {
    let mut events = Vec::new();
    match kept {
        Some(kept) => {
            let last = std::mem::take(&mut kept.0);
            let mut last = last.into_iter();
            for goal in &report.goals {
                let of_goal = match last.next() {
                    Some((before, of_goal)) if Arc::ptr_eq(&before, goal) => of_goal,
                    _ => goal_events(goal),
                };
                events.extend_from_slice(&of_goal);
                kept.0.push((Arc::clone(goal), of_goal));
            }
        }
        None => {
            for goal in &report.goals {
                events.extend(goal_events(goal));
            }
        }
    }
    // Tasks with the same text in the same file are told apart by their order.
    let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
    for task in report.loose_tasks.iter() {
        let Some(due) = task.due else { continue };
        let occurrence = next_occurrence(&mut seen, (&task.file, &task.text));
        events.push(milestone_event(task, due, None, occurrence));
    }
    events.sort_by(|a, b| (a.date, &a.uid).cmp(&(b.date, &b.uid)));
    events
}

/// The events of `goal` (its due date and its milestones'), in the goal's order.
fn goal_events(goal: &GoalReport) -> Vec<Event> {
    let mut events = Vec::new();
    if let Some(due) = goal.due {
        events.push(goal_event(goal, due));
    }
    // Milestones with the same text in the same goal are told apart by their order.
    let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
    for milestone in &goal.milestones {
        let Some(due) = milestone.due else { continue };
        let occurrence = next_occurrence(&mut seen, (&goal.id, &milestone.text));
        events.push(milestone_event(milestone, due, Some(goal), occurrence));
    }
    events
}

fn next_occurrence<'a>(
    seen: &mut HashMap<(&'a str, &'a str), usize>,
    key: (&'a str, &'a str),
) -> usize {
    let count = seen.entry(key).or_insert(0);
    *count += 1;
    *count
}

fn goal_event(goal: &GoalReport, due: Date) -> Event {
    let (status, progress) = goal_facts(goal);
    let mut description = format!(
        "Goal: {}\nStatus: {status}\nProgress: {progress}",
        goal.title
    );
    if let Some(area) = &goal.area {
        let _ = write!(description, "\nArea: {area}");
    }
    let _ = write!(description, "\nDeclared in {}", goal.file);
    Event {
        uid: uid(&["goal", &goal.id]),
        date: due,
        summary: done_mark(goal.status == Status::Done) + "Goal due: " + &goal.title,
        description,
        cancelled: goal.status == Status::Dropped,
    }
}

/// A milestone of `goal`, or a loose task without one; `occurrence` counts milestones
/// with its text in the same goal (or file) from 1.
fn milestone_event(
    milestone: &MilestoneReport,
    due: Date,
    goal: Option<&GoalReport>,
    occurrence: usize,
) -> Event {
    let state = match (milestone.effective_state, milestone.done_on) {
        (MilestoneState::Open, _) => "open".to_string(),
        (MilestoneState::Done, Some(date)) => format!("done on {date}"),
        (MilestoneState::Done, None) => "done".to_string(),
        (MilestoneState::Cancelled, _) => "cancelled".to_string(),
    };
    let done = done_mark(milestone.effective_state == MilestoneState::Done);
    let occurrence = occurrence.to_string();
    let (uid, summary, description) = match goal {
        Some(goal) => {
            let (status, progress) = goal_facts(goal);
            (
                uid(&["milestone", &goal.id, &milestone.text, &occurrence]),
                format!("{done}{} ({})", milestone.text, goal.title),
                format!(
                    "Milestone of the goal {}\nMilestone: {state}\n\
                     Goal status: {status}\nGoal progress: {progress}",
                    goal.title
                ),
            )
        }
        None => (
            uid(&["task", &milestone.file, &milestone.text, &occurrence]),
            format!("{done}{}", milestone.text),
            format!("Task without a goal\nTask: {state}"),
        ),
    };
    Event {
        uid,
        date: due,
        summary,
        description: format!("{description}\nIn {}", milestone.file),
        cancelled: milestone.effective_state == MilestoneState::Cancelled
            || goal.is_some_and(|goal| goal.status == Status::Dropped),
    }
}

fn done_mark(done: bool) -> String {
    if done { "✓ " } else { "" }.to_string()
}

/// A goal's status and progress: `overdue`, `62% (5 of 8 milestones)`.
fn goal_facts(goal: &GoalReport) -> (&'static str, String) {
    let mut progress = percent(goal.progress);
    if goal.total > 0 {
        let of = crate::text::plural(goal.total as usize, "milestone");
        let _ = write!(progress, " ({} of {of})", goal.done);
    }
    (goal.status.as_str(), progress)
}

/// A UID from what identifies an event, hashed so that any text (and any length) gives
/// the same short form, and unchanged as long as those parts are.
fn uid(parts: &[&str]) -> String {
    // NUL cannot occur in journal text (files holding it are not read), so the joined
    // key is unambiguous.
    let key = parts.join("\0");
    format!(
        "{:032x}@trailmark",
        xxhash_rust::xxh3::xxh3_128(key.as_bytes())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uids_depend_on_every_part_and_its_boundaries() {
        assert_eq!(uid(&["goal", "a"]), uid(&["goal", "a"]));
        assert_ne!(uid(&["goal", "a"]), uid(&["goal", "b"]));
        assert_ne!(
            uid(&["milestone", "ab", "c", "1"]),
            uid(&["milestone", "a", "bc", "1"])
        );
        assert!(uid(&["goal", "a"]).ends_with("@trailmark"));
        assert_eq!(uid(&["goal", "a"]).len(), 32 + "@trailmark".len());
    }
}
