//! The status rules: a goal's status on a day, from what its front-matter declares, its
//! progress and its dates.

use serde::Serialize;

use super::GoalReport;
use super::timeline::GoalTimeline;
use crate::dates::Date;
use crate::document::GoalStatus;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Status {
    Overdue,
    AtRisk,
    OnTrack,
    Open,
    Paused,
    Done,
    Dropped,
}

impl Status {
    /// Every status, in the order reports list them.
    pub(crate) const ALL: [Status; 7] = [
        Status::Overdue,
        Status::AtRisk,
        Status::OnTrack,
        Status::Open,
        Status::Paused,
        Status::Done,
        Status::Dropped,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Status::Overdue => "overdue",
            Status::AtRisk => "at-risk",
            Status::OnTrack => "on-track",
            Status::Open => "open",
            Status::Paused => "paused",
            Status::Done => "done",
            Status::Dropped => "dropped",
        }
    }

    /// Done or dropped: nothing more is expected of the goal (a paused one may resume).
    pub(crate) fn is_final(self) -> bool {
        matches!(self, Status::Done | Status::Dropped)
    }

    /// The status the JSON and the templates name `name` (`"at-risk"`).
    pub(crate) fn named(name: &str) -> Option<Status> {
        Status::ALL
            .into_iter()
            .find(|status| status.as_str() == name)
    }
}

/// A goal's status at the end of `date`, from its progress then and the straight line
/// from start to due (the forecast needs history up to today, so it is not used).
pub(super) fn status_at(
    goal: &GoalReport,
    timeline: &GoalTimeline,
    date: Date,
    at_risk_margin: f64,
) -> Status {
    status(
        goal.declared_status,
        timeline.progress_at(date),
        goal.due,
        expected_progress(goal.start, goal.due, date),
        date,
        at_risk_margin,
    )
}

/// The status rules, first that applies: declared dropped or paused; done (declared, or
/// its progress is whole: every leaf done or, without milestones, the metric's target
/// reached); overdue; at-risk (more than `at_risk_margin` behind the linear pace);
/// on-track (has a due date); open.
pub(super) fn status(
    declared: GoalStatus,
    progress: f64,
    due: Option<Date>,
    expected_progress: Option<f64>,
    today: Date,
    at_risk_margin: f64,
) -> Status {
    match declared {
        GoalStatus::Dropped => return Status::Dropped,
        GoalStatus::Paused => return Status::Paused,
        GoalStatus::Done => return Status::Done,
        GoalStatus::Active => {}
    }
    if progress >= 1.0 {
        return Status::Done;
    }
    match due {
        Some(due) if due < today => Status::Overdue,
        Some(_) if expected_progress.is_some_and(|pace| progress < pace - at_risk_margin) => {
            Status::AtRisk
        }
        Some(_) => Status::OnTrack,
        None => Status::Open,
    }
}

/// How long an active goal has been stalled as of `as_of`, in days, or `None` when it is
/// not stalled. A goal is stalled when it is active (not done, paused or dropped),
/// started, and nothing moved it (a leaf of its own or of a goal under it done, a value
/// logged) for `stalled_after_days` or more: counted from `last_activity`, else from its
/// start (a goal with neither is never stalled).
pub(crate) fn stalled_days(
    status: Status,
    start: Option<Date>,
    last_activity: Option<Date>,
    as_of: Date,
    stalled_after_days: i64,
) -> Option<i64> {
    let active = !status.is_final() && status != Status::Paused;
    let started = start.is_none_or(|s| s <= as_of);
    let idle_since = last_activity.or(start).filter(|d| *d <= as_of)?;
    let days = idle_since.days_until(as_of);
    (active && started && days >= stalled_after_days).then_some(days)
}

/// Why a goal is stalled, in the words every report uses.
pub(crate) fn stalled_note(last_activity: Option<Date>, days: i64) -> String {
    match last_activity {
        Some(date) => format!("nothing done since {date} ({days} days)"),
        None => format!("nothing done in {days} days since it started"),
    }
}

/// Where a goal with a start and a due date should be by `date` on the straight line
/// between them (see [`linear_pace`]).
pub(super) fn expected_progress(start: Option<Date>, due: Option<Date>, date: Date) -> Option<f64> {
    Some(linear_pace(start?, due?, date))
}

/// `(today - start) / (due - start)`, within 0..=1.
fn linear_pace(start: Date, due: Date, today: Date) -> f64 {
    let span = start.days_until(due);
    if span <= 0 {
        return if today >= due { 1.0 } else { 0.0 };
    }
    (start.days_until(today) as f64 / span as f64).clamp(0.0, 1.0)
}

/// Where the recent pace gives a forecast, it decides between on-track and at-risk:
/// finishing by the due date at this pace is on track, finishing after it is at risk,
/// whatever the straight line from start to due says.
pub(super) fn with_forecast(status: Status, forecast: Option<Date>, due: Option<Date>) -> Status {
    match (status, forecast, due) {
        (Status::OnTrack | Status::AtRisk, Some(forecast), Some(due)) if forecast > due => {
            Status::AtRisk
        }
        (Status::OnTrack | Status::AtRisk, Some(_), Some(_)) => Status::OnTrack,
        _ => status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{day, report};

    #[test]
    fn status_rules_in_order() {
        let today = day("2026-06-01");
        let past = Some(day("2026-05-01"));
        let future = Some(day("2026-12-31"));
        use GoalStatus::*;
        // (declared, progress, due, expected progress, at-risk margin): status.
        let cases = [
            ((Dropped, 1.0, past, None, 0.25), Status::Dropped),
            ((Paused, 0.0, past, None, 0.25), Status::Paused),
            ((Done, 0.0, past, None, 0.25), Status::Done),
            ((Active, 1.0, past, None, 0.25), Status::Done),
            ((Active, 0.9, past, Some(1.0), 0.25), Status::Overdue),
            ((Active, 0.2, future, Some(0.5), 0.25), Status::AtRisk),
            ((Active, 0.25, future, Some(0.5), 0.25), Status::OnTrack),
            ((Active, 0.0, future, None, 0.25), Status::OnTrack),
            ((Active, 0.0, None, None, 0.25), Status::Open),
            // Due today is not yet overdue.
            ((Active, 0.9, Some(today), Some(1.0), 0.25), Status::OnTrack),
            // A journal's own margin: 0.1 behind is at risk with a margin of 0.05, and 0.3
            // behind is on track with 0.5.
            ((Active, 0.4, future, Some(0.5), 0.05), Status::AtRisk),
            ((Active, 0.2, future, Some(0.5), 0.5), Status::OnTrack),
        ];
        for (case, expected) in cases {
            let (declared, progress, due, expected_progress, margin) = case;
            assert_eq!(
                status(declared, progress, due, expected_progress, today, margin),
                expected,
                "{case:?}"
            );
        }
    }

    #[test]
    fn linear_pace_is_clamped() {
        let (start, due) = (day("2026-01-01"), day("2026-01-11"));
        assert_eq!(linear_pace(start, due, day("2026-01-06")), 0.5);
        assert_eq!(linear_pace(start, due, day("2025-12-01")), 0.0);
        assert_eq!(linear_pace(start, due, day("2026-02-01")), 1.0);
        assert_eq!(linear_pace(due, due, due), 1.0);
    }

    #[test]
    fn at_risk_uses_start_and_due() {
        let text = "---\ngoal: G\nstart: 2026-01-01\ndue: 2026-12-31\n---\n- [x] a\n- [ ] b\n- [ ] c\n- [ ] d\n- [ ] e\n";
        assert_eq!(
            report(&[("g.md", text)], "2026-03-01").goals[0].status,
            Status::OnTrack
        );
        assert_eq!(
            report(&[("g.md", text)], "2026-10-01").goals[0].status,
            Status::AtRisk
        );
        assert_eq!(
            report(&[("g.md", text)], "2027-01-01").goals[0].status,
            Status::Overdue
        );
    }
}
