//! The 1:1 check-in page's rows: for each shared goal, where it stands, what moved since
//! the last check-in, how confident its owner is, and what comes next.

use serde::Serialize;

use crate::analyse::timeline::GoalTimeline;
use crate::analyse::{GoalReport, Status};
use crate::dates::Date;
use crate::document::{MilestoneState, Priority};

/// How many open milestones a row lists as next steps.
const NEXT_STEPS: usize = 3;

#[derive(Debug, Serialize)]
pub(crate) struct CheckinRow {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) status: Status,
    pub(crate) stalled: bool,
    pub(crate) progress: f64,
    pub(crate) due: Option<Date>,
    /// The last check-in before today (a check-in written today is this one's), else
    /// the goal's start: what "since" counts from. `None` for a goal without either.
    pub(crate) since: Option<Date>,
    /// Whether `since` is a check-in (else the goal's start).
    pub(crate) since_checkin: bool,
    /// Progress at the end of `since`; `None` for a cadence goal, whose progress is its
    /// periods (the page shows the current one).
    pub(crate) progress_then: Option<f64>,
    /// Milestones done after `since`, by their text, oldest first.
    pub(crate) done_since: Vec<DoneStep>,
    /// The metric's value logged by `since`, and its latest.
    pub(crate) metric_then: Option<f64>,
    pub(crate) metric_now: Option<f64>,
    /// The latest check-in's confidence (0..=10), its date, and the one before.
    pub(crate) confidence: Option<u8>,
    pub(crate) confidence_on: Option<Date>,
    pub(crate) confidence_before: Option<u8>,
    /// The latest check-in's note.
    pub(crate) note: Option<String>,
    /// The first open milestones: those due soonest, then by priority, then in order.
    pub(crate) next_steps: Vec<NextStep>,
}

#[derive(Debug, Serialize)]
pub(crate) struct DoneStep {
    pub(crate) text: String,
    pub(crate) done_on: Option<Date>,
}

#[derive(Debug, Serialize)]
pub(crate) struct NextStep {
    pub(crate) text: String,
    pub(crate) due: Option<Date>,
}

/// The row of `goal` (already filtered for the audience), with its `timeline`.
pub(super) fn row(goal: &GoalReport, timeline: &GoalTimeline, today: Date) -> CheckinRow {
    let before_today = goal.checkins.iter().rev().find(|c| c.date < today);
    let since = before_today.map(|c| c.date).or(goal.start);
    let latest_confidence = goal
        .checkins
        .iter()
        .rev()
        .filter(|c| c.date <= today)
        .find(|c| c.confidence.is_some());
    let confidence_before = latest_confidence.and_then(|latest| {
        goal.checkins
            .iter()
            .rev()
            .filter(|c| c.date < latest.date)
            .find_map(|c| c.confidence)
    });
    let mut done_since: Vec<DoneStep> = goal
        .milestones
        .iter()
        .filter(|m| m.effective_state == MilestoneState::Done && m.leaf)
        .filter(|m| {
            m.done_on
                .is_some_and(|d| since.is_none_or(|since| d > since) && d <= today)
        })
        .map(|m| DoneStep {
            text: m.text.to_string(),
            done_on: m.done_on,
        })
        .collect();
    done_since.sort_by_key(|step| step.done_on);
    CheckinRow {
        id: goal.id.clone(),
        title: goal.title.clone(),
        status: goal.status,
        stalled: goal.stalled,
        progress: goal.progress,
        due: goal.due,
        since,
        since_checkin: before_today.is_some(),
        progress_then: since
            .filter(|_| goal.cadence.is_none())
            .map(|since| timeline.progress_at(since)),
        done_since,
        metric_then: goal.metric.as_ref().and_then(|metric| {
            let since = since?;
            metric
                .values
                .iter()
                .rev()
                .find(|value| value.date <= since)
                .map(|value| value.value)
        }),
        metric_now: goal.metric.as_ref().and_then(|metric| metric.latest),
        confidence: latest_confidence.and_then(|c| c.confidence),
        confidence_on: latest_confidence.map(|c| c.date),
        confidence_before,
        note: goal
            .checkins
            .iter()
            .rev()
            .filter(|c| c.date <= today)
            .find_map(|c| c.note.clone()),
        next_steps: next_steps(goal),
    }
}

fn next_steps(goal: &GoalReport) -> Vec<NextStep> {
    let mut open: Vec<(usize, &crate::analyse::MilestoneReport)> = goal
        .milestones
        .iter()
        .filter(|m| m.effective_state == MilestoneState::Open && m.leaf)
        .enumerate()
        .collect();
    open.sort_by_key(|(order, m)| {
        let priority = m.tasks().and_then(|t| t.priority);
        (m.due.is_none(), m.due, Priority::rank(priority), *order)
    });
    open.into_iter()
        .take(NEXT_STEPS)
        .map(|(_, m)| NextStep {
            text: m.text.to_string(),
            due: m.due,
        })
        .collect()
}
