//! Where a goal stands at a day: the milestone to do next, those already overdue, its
//! pace and its forecast. Reviews show it for each active goal at the end of their period;
//! a milestone done after that day counts as open then, so that a past period's review
//! says what was true at its end.

use std::borrow::Cow;
use std::sync::Arc;

use serde::Serialize;

use super::needs::next_step_order;
use super::review::{GoalId, GoalTitle};
use super::timeline::{Forecast, GoalTimeline, forecast_as_of};
use super::{GoalReport, MilestoneReport, Status};
use crate::dates::Date;
use crate::document::MilestoneState;
use crate::shared_text::SharedText;

/// Where an active goal stands at the end of a period: what to do next, what is late,
/// and whether its recent pace makes the due date.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct GoalOutlook {
    pub(crate) goal: GoalId,
    pub(crate) title: GoalTitle,
    pub(crate) due: Option<Date>,
    /// The milestone to do next: its open leaves by priority, then due date, then as
    /// written.
    pub(crate) next: Option<OpenMilestone>,
    /// Open milestones due before the end of the period, the longest overdue first.
    pub(crate) overdue: Vec<OpenMilestone>,
    /// Milestones done a week over the forecast's window (or the metric's change a
    /// week), when measured.
    pub(crate) pace_per_week: Option<f64>,
    /// What the pace counts: `milestones`, or the metric's unit.
    pub(crate) pace_unit: Option<Cow<'static, str>>,
    /// When the goal will be done at that pace, or why there is no date.
    pub(crate) forecast: Option<Date>,
    pub(crate) forecast_note: Option<String>,
}

/// A milestone open at the end of a period.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct OpenMilestone {
    pub(crate) text: SharedText,
    /// The text as written, when it has markup.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) markdown: Option<Box<str>>,
    pub(crate) due: Option<Date>,
    pub(crate) file: Arc<str>,
    pub(crate) line: u32,
}

impl OpenMilestone {
    fn of(milestone: &MilestoneReport) -> OpenMilestone {
        OpenMilestone {
            text: milestone.text.clone(),
            markdown: milestone.markdown().map(Box::from),
            due: milestone.due,
            file: Arc::clone(&milestone.file),
            line: milestone.line,
        }
    }
}

/// A goal's milestones in the orders its outlooks read them in, sorted once for all the
/// periods reviewed rather than once a period: the leaves in the order they come up next
/// ([`next_step_order`]), and those with a due date soonest first (as written on the same
/// day). Sorting every goal's milestones for each of a journal's 700 reviews was a tenth
/// of a build with nothing to render.
#[derive(Debug)]
pub(crate) struct MilestoneOrders {
    next: Vec<usize>,
    due: Vec<usize>,
}

impl MilestoneOrders {
    pub(crate) fn of(goal: &GoalReport) -> MilestoneOrders {
        let milestones = &goal.milestones;
        let mut next: Vec<usize> = (0..milestones.len())
            .filter(|&i| milestones[i].leaf)
            .collect();
        next.sort_by(|&a, &b| next_step_order(&milestones[a], &milestones[b]));
        let mut due: Vec<usize> = (0..milestones.len())
            .filter(|&i| milestones[i].due.is_some())
            .collect();
        due.sort_by_key(|&i| milestones[i].due);
        MilestoneOrders { next, due }
    }
}

/// Where `goal` (with its milestone `orders` and its `timeline`), active at the end of
/// `as_of` with `status`, stands then; `today` is the day of the report.
pub(crate) fn outlook(
    goal: &Arc<GoalReport>,
    orders: &MilestoneOrders,
    timeline: &GoalTimeline,
    status: Status,
    as_of: Date,
    today: Date,
) -> GoalOutlook {
    // Open at the end of `as_of`: open now, or done after it. A cancelled milestone
    // is not counted, whenever it was cancelled.
    let open_then = |m: &&MilestoneReport| match m.effective_state {
        MilestoneState::Open => true,
        MilestoneState::Done => m.done_on.is_some_and(|done| done > as_of),
        _ => false,
    };
    let milestone = |&i: &usize| &goal.milestones[i];
    let next = orders
        .next
        .iter()
        .map(milestone)
        .find(open_then)
        .map(OpenMilestone::of);
    let overdue: Vec<OpenMilestone> = orders
        .due
        .iter()
        .map(milestone)
        .take_while(|m| m.due.is_some_and(|due| due < as_of))
        .filter(open_then)
        .map(OpenMilestone::of)
        .collect();
    // As of today the forecast is the report's, so that the review says what the
    // goal's page says; a past period's is as it was then.
    let (forecast, pace_per_week, forecast_note) = if as_of == today {
        (
            goal.forecast,
            goal.pace_per_week,
            goal.forecast_note.clone(),
        )
    } else {
        let Forecast {
            date,
            pace_per_week,
            note,
        } = forecast_as_of(timeline, status, timeline.left_at(as_of), as_of);
        (date, pace_per_week, note.map(|note| note.to_string()))
    };
    let pace_unit = if goal.total > 0 {
        Some(Cow::Borrowed("milestones"))
    } else {
        goal.metric
            .as_ref()
            .and_then(|m| Some(Cow::Owned(m.unit.clone()?)))
    };
    GoalOutlook {
        goal: GoalId::of(goal),
        title: GoalTitle::of(goal),
        due: goal.due,
        next,
        overdue,
        pace_per_week,
        pace_unit,
        forecast,
        forecast_note,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{day, one_goal};

    /// The outlook of a goal with milestones `body` (reported on 2026-06-01) at the end
    /// of `as_of`.
    fn outlook_of(body: &str, as_of: &str) -> (Option<String>, Vec<String>) {
        let goal = one_goal(body);
        let timeline = GoalTimeline::of(&goal);
        let outlook = outlook(
            &std::sync::Arc::new(goal.clone()),
            &MilestoneOrders::of(&goal),
            &timeline,
            Status::Open,
            day(as_of),
            day("2026-06-01"),
        );
        let text = |m: &OpenMilestone| m.text.to_string();
        (
            outlook.next.as_ref().map(text),
            outlook.overdue.iter().map(text).collect(),
        )
    }

    #[test]
    fn the_next_milestone_is_the_most_urgent_then_the_soonest_due_then_the_first_written() {
        let body = "- [ ] later 📅 2026-05-01\n- [ ] undated\n- [ ] sooner 📅 2026-04-01\n";
        assert_eq!(outlook_of(body, "2026-03-10").0.as_deref(), Some("sooner"));
        let urgent = format!("{body}- [ ] urgent 🔼\n");
        assert_eq!(
            outlook_of(&urgent, "2026-03-10").0.as_deref(),
            Some("urgent")
        );
        let undated = "- [ ] first\n- [ ] second\n";
        assert_eq!(
            outlook_of(undated, "2026-03-10").0.as_deref(),
            Some("first")
        );
    }

    #[test]
    fn a_milestone_done_after_the_day_was_open_and_perhaps_overdue_then() {
        let body = "- [x] draft 📅 2026-03-01 ✅ 2026-03-05\n- [-] dropped 📅 2026-02-01\n\
                    - [ ] review 📅 2026-04-01\n";
        // On 3 March the draft, due on the 1st, was still open: overdue, and next.
        let (next, overdue) = outlook_of(body, "2026-03-03");
        assert_eq!(next.as_deref(), Some("draft"));
        assert_eq!(overdue, ["draft"]);
        // Due on the day itself is not overdue yet; a cancelled one never is.
        assert_eq!(outlook_of(body, "2026-03-01").1, Vec::<String>::new());
        // Once done, the next is the review, overdue after 1 April.
        assert_eq!(
            outlook_of(body, "2026-04-02"),
            (Some("review".to_string()), vec!["review".to_string()])
        );
    }

    #[test]
    fn overdue_milestones_come_longest_overdue_first_then_as_written() {
        let body = "- [ ] b 📅 2026-03-02\n- [ ] a 📅 2026-03-01\n- [ ] c 📅 2026-03-02\n\
                    - [ ] not yet 📅 2026-03-20\n- [ ] undated\n";
        assert_eq!(outlook_of(body, "2026-03-10").1, ["a", "b", "c"]);
        assert_eq!(outlook_of(body, "2026-03-02").1, ["a"]);
    }
}
