//! What `trailmark check` adds to the diagnostics: hints for SMART goals, and which
//! problems fail a check.

use crate::analyse::{GoalReport, Report};
use crate::dates::Date;
use crate::diagnostic::{Position, Severity};
use crate::document::GoalStatus;
use std::sync::Arc;

/// Advice on making a goal SMART; never an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Hint {
    pub(crate) file: String,
    pub(crate) position: Position,
    pub(crate) message: String,
}

/// Hints for every goal that is still being worked on (not done or dropped): a goal
/// should be measurable (milestones or a metric), relevant (`why`, `area`) and
/// time-bound (a due date, not yet past, or a cadence).
pub(crate) fn smart_hints(report: &Report) -> Vec<Hint> {
    goal_hints(&report.goals, report.today)
}

/// [`smart_hints`] for `goals` alone, as of `today`.
pub(crate) fn goal_hints(goals: &[Arc<GoalReport>], today: Date) -> Vec<Hint> {
    let mut hints = Vec::new();
    for goal in goals {
        if goal.status.is_final() {
            continue;
        }
        let mut hint = |message: String| {
            hints.push(Hint {
                file: goal.file.clone(),
                position: Position::new(goal.line, goal.column),
                message: format!("goal `{}` {message}", goal.id),
            })
        };
        // A cadence goal is time-bound by its periods.
        if goal.due.is_none() && goal.cadence.is_none() {
            hint("has no due date; a SMART goal is time-bound: add `due: YYYY-MM-DD`".into());
        }
        if goal.total == 0 && goal.metric.is_none() {
            hint(
                "has no milestones and no metric; a SMART goal is measurable: add `- [ ]` \
                 milestones or a `metric:`"
                    .into(),
            );
        }
        let missing: Vec<&str> = [
            ("`why:`", goal.why.is_none()),
            ("`area:`", goal.area.is_none()),
        ]
        .into_iter()
        .filter_map(|(field, missing)| missing.then_some(field))
        .collect();
        if !missing.is_empty() {
            hint(format!(
                "has no {}; a SMART goal is relevant: say why it matters and what part of your \
                 career it serves",
                missing.join(" or ")
            ));
        }
        if let Some(due) = goal.due
            && due < today
            && goal.declared_status == GoalStatus::Active
        {
            hint(format!(
                "was due {due} and is still active: mark it done, move the date, or set \
                 `status: dropped`"
            ));
        }
    }
    hints
}

/// Whether a problem of `severity` fails `check`: an error always, a warning with
/// `--strict`.
pub(crate) fn fails_check(severity: Severity, strict: bool) -> bool {
    severity == Severity::Error || (strict && severity == Severity::Warning)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::testing::build;
    use crate::testing::parse;

    fn hints_for(text: &str, today: &str) -> Vec<String> {
        let journal = build(vec![parse("g.md", text.as_bytes())]);
        let report = crate::analyse::analyse(
            &journal,
            &Default::default(),
            Date::parse(today).unwrap(),
            &Default::default(),
        );
        smart_hints(&report)
            .into_iter()
            .map(|h| h.message)
            .collect()
    }

    #[test]
    fn a_smart_goal_gets_no_hints() {
        let text = "---\ngoal: G\ndue: 2027-01-01\nwhy: w\narea: a\n---\n- [ ] step\n";
        assert_eq!(hints_for(text, "2026-01-01"), Vec::<String>::new());
    }

    #[test]
    fn each_missing_part_is_hinted() {
        let hints = hints_for("---\ngoal: G\n---\n", "2026-01-01");
        assert_eq!(hints.len(), 3, "{hints:?}");
        assert!(hints[0].contains("time-bound"));
        assert!(hints[1].contains("measurable"));
        assert!(hints[2].contains("`why:` or `area:`"));
    }

    #[test]
    fn a_cadence_goal_needs_no_due_date() {
        let text =
            "---\ngoal: G\nwhy: w\narea: a\ncadence: {count: 1, per: week}\n---\n- [ ] step\n";
        assert_eq!(hints_for(text, "2026-01-01"), Vec::<String>::new());
    }

    #[test]
    fn a_past_due_active_goal_is_hinted_but_not_a_done_one() {
        let text = "---\ngoal: G\ndue: 2026-01-01\nwhy: w\narea: a\nmetric: {target: 3}\n---\n";
        let hints = hints_for(text, "2026-02-01");
        assert_eq!(hints.len(), 1);
        assert!(hints[0].contains("was due 2026-01-01"));
        let done = text.replace("area: a", "area: a\nstatus: done");
        assert!(hints_for(&done, "2026-02-01").is_empty());
    }
}
