//! What needs the person now, at the top of the index: overdue goals and milestones,
//! milestones due soon, stalled goals, and the next open milestone of each active goal.
//!
//! Computed once here, as plain data, so that the HTML and markdown index and the JSON
//! (`needs_now`) list the same things in the same order, and templates only lay it out.
//! Only active goals (not done, dropped or paused) and their milestones are listed: the
//! others ask nothing of anyone now. Tasks without a goal are not listed: in a note
//! vault they are the vault's own to-do list, not steps towards a goal.

use std::cmp::Ordering;
use std::sync::Arc;

use serde::Serialize;

use super::{GoalReport, MilestoneReport, Status, cadence};
use crate::dates::Date;
use crate::document::{MilestoneState, Priority};

/// How many days ahead a due milestone counts as due soon (today included, and the 14
/// days after it).
pub(crate) const DUE_SOON_DAYS: i64 = 14;

/// What needs the person now; each list in the order the index shows it (empty in an
/// analysis for the editor, which shows none of it).
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct NeedsNow {
    /// How many days after today `due_soon` reaches ([`DUE_SOON_DAYS`]).
    pub(crate) due_soon_days: i64,
    /// Goals past their due date and not done, the longest overdue first.
    pub(crate) overdue_goals: Vec<GoalNeed>,
    /// Open milestones past their due date, the longest overdue first.
    pub(crate) overdue_milestones: Vec<MilestoneNeed>,
    /// Open milestones due today or in the next [`DUE_SOON_DAYS`] days, soonest first.
    pub(crate) due_soon: Vec<MilestoneNeed>,
    /// Stalled goals, the longest idle first.
    pub(crate) stalled: Vec<GoalNeed>,
    /// The next open milestone of each active goal (see [`next_open_milestone`]), but
    /// those already listed as overdue or due soon; goals the most urgent first, as the
    /// index lists them.
    pub(crate) next_up: Vec<MilestoneNeed>,
}

/// A goal that needs attention, with what the index says of it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct GoalNeed {
    pub(crate) goal: String,
    pub(crate) title: String,
    pub(crate) due: Option<Date>,
    pub(crate) days_left: Option<i64>,
    pub(crate) stalled_note: Option<String>,
    /// For a cadence goal: its finished periods missed in a row, and what a period is
    /// ("week"), which is why it is overdue when it has no due date.
    pub(crate) missed_in_a_row: Option<MissedPeriods>,
}

/// Periods of a cadence missed in a row.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MissedPeriods {
    pub(crate) count: usize,
    pub(crate) per: String,
}

/// A milestone that needs attention, with its goal.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MilestoneNeed {
    pub(crate) goal: String,
    pub(crate) title: String,
    /// Days until its due date (negative when past), when it has one.
    pub(crate) days_left: Option<i64>,
    pub(crate) milestone: MilestoneReport,
}

impl NeedsNow {
    /// What needs attention among `goals` as of `today`.
    pub(crate) fn of(goals: &[Arc<GoalReport>], today: Date) -> NeedsNow {
        let active: Vec<&GoalReport> = (goals.iter().map(|g| &**g))
            .filter(|g| is_active(g.status))
            .collect();

        let mut overdue_goals: Vec<&GoalReport> = active
            .iter()
            .copied()
            .filter(|g| g.status == Status::Overdue)
            .collect();
        // Stable: goals of the same due date keep file order.
        overdue_goals.sort_by_key(|g| g.due);

        let mut stalled: Vec<&GoalReport> = active.iter().copied().filter(|g| g.stalled).collect();
        stalled.sort_by_key(|g| g.last_activity.or(g.start));

        let mut dated: Vec<(&GoalReport, &MilestoneReport, Date)> = active
            .iter()
            .flat_map(|&goal| {
                goal.milestones
                    .iter()
                    .filter(|m| m.effective_state == MilestoneState::Open)
                    .filter_map(move |m| Some((goal, m, m.due?)))
            })
            .collect();
        dated.sort_by(|(_, a, a_due), (_, b, b_due)| {
            a_due
                .cmp(b_due)
                .then(priority_rank(a).cmp(&priority_rank(b)))
                .then_with(|| in_file_order(a, b))
        });
        let last_soon = today.add_days(DUE_SOON_DAYS);
        let (overdue_milestones, due_soon): (Vec<_>, Vec<_>) = dated
            .into_iter()
            .filter(|(_, _, due)| *due <= last_soon)
            .partition(|(_, _, due)| *due < today);

        let listed = |m: &MilestoneReport| {
            overdue_milestones
                .iter()
                .chain(&due_soon)
                .any(|(_, listed, _)| std::ptr::eq(*listed, m))
        };
        let mut by_urgency = active.clone();
        by_urgency.sort_by(|a, b| urgency(a, b));
        let next_up: Vec<MilestoneNeed> = by_urgency
            .into_iter()
            .filter_map(|goal| Some((goal, next_open_milestone(goal)?)))
            .filter(|(_, m)| !listed(m))
            .map(|(goal, m)| MilestoneNeed::of(goal, m, today))
            .collect();

        let milestone_needs = |list: Vec<(&GoalReport, &MilestoneReport, Date)>| {
            list.into_iter()
                .map(|(goal, m, _)| MilestoneNeed::of(goal, m, today))
                .collect()
        };
        NeedsNow {
            due_soon_days: DUE_SOON_DAYS,
            overdue_goals: overdue_goals.into_iter().map(GoalNeed::of).collect(),
            overdue_milestones: milestone_needs(overdue_milestones),
            due_soon: milestone_needs(due_soon),
            stalled: stalled.into_iter().map(GoalNeed::of).collect(),
            next_up,
        }
    }
}

impl GoalNeed {
    fn of(goal: &GoalReport) -> GoalNeed {
        GoalNeed {
            goal: goal.id.clone(),
            title: goal.title.clone(),
            due: goal.due,
            days_left: goal.days_left,
            stalled_note: goal.stalled_note.clone(),
            missed_in_a_row: goal.cadence.as_ref().map(|cadence| MissedPeriods {
                count: cadence::missed_in_a_row(cadence::ended_periods(cadence)),
                per: cadence.per.as_str().to_string(),
            }),
        }
    }
}

impl MilestoneNeed {
    fn of(goal: &GoalReport, milestone: &MilestoneReport, today: Date) -> MilestoneNeed {
        MilestoneNeed {
            goal: goal.id.clone(),
            title: goal.title.clone(),
            days_left: milestone.due.map(|due| today.days_until(due)),
            milestone: milestone.clone(),
        }
    }
}

/// Not done, dropped or paused: a goal something is expected of now.
fn is_active(status: Status) -> bool {
    !status.is_final() && status != Status::Paused
}

/// The goal's next step: of its open leaf milestones, the one of the highest priority,
/// then the earliest due date (one without comes after every date), then the first in
/// file order.
pub(crate) fn next_open_milestone(goal: &GoalReport) -> Option<&MilestoneReport> {
    next_open_milestone_of(&goal.milestones)
}

/// [`next_open_milestone`] among a goal's `milestones`.
pub(crate) fn next_open_milestone_of(milestones: &[MilestoneReport]) -> Option<&MilestoneReport> {
    milestones
        .iter()
        .filter(|m| m.leaf && m.effective_state == MilestoneState::Open)
        .min_by(|a, b| next_step_order(a, b))
}

/// The order in which open milestones come up next (see [`next_open_milestone`]).
pub(crate) fn next_step_order(a: &MilestoneReport, b: &MilestoneReport) -> Ordering {
    priority_rank(a)
        .cmp(&priority_rank(b))
        .then((a.due.is_none(), a.due).cmp(&(b.due.is_none(), b.due)))
        .then_with(|| in_file_order(a, b))
}

/// [`Priority::rank`]: a milestone without a priority between medium and low.
fn priority_rank(milestone: &MilestoneReport) -> u8 {
    Priority::rank(milestone.tasks().and_then(|t| t.priority))
}

fn in_file_order(a: &MilestoneReport, b: &MilestoneReport) -> Ordering {
    (&a.file, a.line).cmp(&(&b.file, b.line))
}

/// The order of goals on the index: by status (overdue first), then due date (none
/// last), then title.
pub(crate) fn urgency(a: &GoalReport, b: &GoalReport) -> Ordering {
    (a.status, a.due.is_none(), a.due, &a.title).cmp(&(b.status, b.due.is_none(), b.due, &b.title))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{day, report};

    /// The texts of a list of milestone needs.
    fn texts(needs: &[MilestoneNeed]) -> Vec<&str> {
        needs.iter().map(|n| n.milestone.text.as_str()).collect()
    }

    fn needs(files: &[(&str, &str)], today: &str) -> NeedsNow {
        report(files, today).needs_now
    }

    #[test]
    fn the_next_milestone_is_by_priority_then_due_date_then_file_order() {
        let goal = |body: &str| {
            let text = format!("---\ngoal: G\n---\n{body}");
            let report = report(&[("g.md", &text)], "2026-01-01");
            next_open_milestone(&report.goals[0]).map(|m| m.text.clone())
        };
        // Priority first, even against an earlier due date.
        assert_eq!(
            goal("- [ ] soon 📅 2026-01-02\n- [ ] urgent ⏫ 📅 2026-06-01\n").as_deref(),
            Some("urgent")
        );
        // Then the earliest due date; without one, after every date.
        assert_eq!(
            goal("- [ ] undated\n- [ ] later 📅 2026-06-01\n- [ ] sooner 📅 2026-03-01\n")
                .as_deref(),
            Some("sooner")
        );
        // No priority ranks between medium and low.
        assert_eq!(
            goal("- [ ] low 🔽\n- [ ] plain\n").as_deref(),
            Some("plain")
        );
        // Then file order; done, cancelled and parent milestones are not next.
        assert_eq!(
            goal("- [x] done\n- [-] cancelled\n- [ ] parent\n  - [ ] child\n- [ ] last\n")
                .as_deref(),
            Some("child")
        );
        assert_eq!(goal("- [x] all done\n"), None);
    }

    #[test]
    fn due_soon_is_today_and_the_next_14_days_and_overdue_is_before_today() {
        let text = "---\ngoal: G\n---\n\
            - [ ] yesterday 📅 2026-02-28\n\
            - [ ] today 📅 2026-03-01\n\
            - [ ] in 14 days 📅 2026-03-15\n\
            - [ ] in 15 days 📅 2026-03-16\n\
            - [x] done late 📅 2026-02-01\n\
            - [ ] long ago 📅 2026-01-01\n";
        let n = needs(&[("g.md", text)], "2026-03-01");
        assert_eq!(texts(&n.overdue_milestones), ["long ago", "yesterday"]);
        assert_eq!(texts(&n.due_soon), ["today", "in 14 days"]);
        assert_eq!(n.due_soon[1].days_left, Some(14));
        assert_eq!(n.overdue_milestones[1].days_left, Some(-1));
    }

    #[test]
    fn milestones_due_the_same_day_are_by_priority_then_file_order() {
        let files = [
            (
                "a.md",
                "---\ngoal: A\n---\n- [ ] a plain 📅 2026-03-05\n- [ ] a low 🔽 📅 2026-03-05\n",
            ),
            (
                "b.md",
                "---\ngoal: B\n---\n- [ ] b high ⏫ 📅 2026-03-05\n- [ ] b plain 📅 2026-03-05\n- [ ] b sooner 📅 2026-03-02\n",
            ),
        ];
        let n = needs(&files, "2026-03-01");
        assert_eq!(
            texts(&n.due_soon),
            ["b sooner", "b high", "a plain", "b plain", "a low"]
        );
    }

    #[test]
    fn stalled_goals_longest_idle_first_and_only_active_goals() {
        let files = [
            (
                "a.md",
                "---\ngoal: Recent\nstart: 2026-01-01\n---\n- [x] a ✅ 2026-02-01\n- [ ] more\n",
            ),
            (
                "b.md",
                "---\ngoal: Oldest\nstart: 2026-01-01\n---\n- [x] b ✅ 2026-01-10\n- [ ] more\n",
            ),
            (
                "c.md",
                "---\ngoal: Paused\nstart: 2025-01-01\nstatus: paused\ndue: 2025-06-01\n---\n- [ ] c 📅 2025-02-01\n",
            ),
            (
                "d.md",
                "---\ngoal: Fresh\nstart: 2026-01-01\n---\n- [x] d ✅ 2026-03-20\n- [ ] more\n",
            ),
        ];
        let n = needs(&files, "2026-04-01");
        let stalled: Vec<&str> = n.stalled.iter().map(|g| g.title.as_str()).collect();
        assert_eq!(stalled, ["Oldest", "Recent"]);
        assert!(n.stalled[0].stalled_note.is_some());
        // The paused goal is overdue by its dates, but asks nothing now.
        assert!(n.overdue_goals.is_empty());
        assert!(n.overdue_milestones.is_empty());
        assert!(n.next_up.iter().all(|m| m.goal != "paused"));
    }

    #[test]
    fn overdue_goals_longest_overdue_first() {
        let files = [
            ("a.md", "---\ngoal: Late\ndue: 2026-02-01\n---\n- [ ] a\n"),
            ("b.md", "---\ngoal: Later\ndue: 2026-01-01\n---\n- [ ] b\n"),
            ("c.md", "---\ngoal: Done\ndue: 2026-01-01\n---\n- [x] c\n"),
            ("d.md", "---\ngoal: Ahead\ndue: 2027-01-01\n---\n- [ ] d\n"),
        ];
        let n = needs(&files, "2026-03-01");
        let overdue: Vec<(&str, Option<i64>)> = n
            .overdue_goals
            .iter()
            .map(|g| (g.goal.as_str(), g.days_left))
            .collect();
        assert_eq!(overdue, [("later", Some(-59)), ("late", Some(-28))]);
    }

    #[test]
    fn next_up_has_a_milestone_a_goal_most_urgent_goal_first_and_nothing_twice() {
        let files = [
            (
                "a.md",
                "---\ngoal: Calm\ndue: 2027-01-01\n---\n- [ ] calm next\n- [ ] calm after\n",
            ),
            (
                "b.md",
                "---\ngoal: Late\ndue: 2026-02-01\n---\n- [ ] late next\n",
            ),
            (
                "c.md",
                "---\ngoal: Soon\n---\n- [ ] soon next 📅 2026-03-03\n- [ ] not next\n",
            ),
            ("d.md", "---\ngoal: Metric\nmetric: {target: 10}\n---\n"),
        ];
        let n = needs(&files, "2026-03-01");
        assert_eq!(texts(&n.next_up), ["late next", "calm next"]);
        assert_eq!(n.next_up[0].goal, "late");
        // Soon's next milestone is due soon, listed there only.
        assert_eq!(texts(&n.due_soon), ["soon next"]);
        assert_eq!(n.due_soon[0].title, "Soon");
        assert_eq!(day("2026-03-01").add_days(DUE_SOON_DAYS), day("2026-03-15"));
    }
}
