//! Stage 4 of the pipeline: progress and status of every goal as of a date.
//!
//! The [`Report`] it returns is the JSON contract of `status --json` and `trailmark.json`,
//! and the data every template renders.
//!
//! A [`GoalReport`] is the analysis result, the JSON contract and the template view at
//! once, on purpose: the three are the same fields under the same names (a journal's own
//! template may read any field of the JSON), so a view type apart would be one more copy
//! of them. It copies the declaration ([`crate::document::GoalDecl`], which the model's
//! [`Goal`] holds) once, in `goal_shell`. The declared fields cannot be one struct shared
//! with the declaration: the JSON interleaves them with computed ones (`title`, `status`,
//! `progress`, `done`, `total`, `due`, ...), and `#[serde(flatten)]` would move the keys
//! and serialize goals as maps, which the index page's lazy goals (`render::lazy`) cannot
//! read and which the fingerprints hash differently.

mod milestones;
pub(crate) mod period;
pub(crate) mod review;
mod status;
pub(crate) mod timeline;

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::dates::{Date, Weekday};
use crate::diagnostic::Diagnostic;
use crate::document::{Document, Fields, GoalStatus, Horizon, MilestoneState};
use crate::git::History;
use crate::model::{Goal, Journal, MetricValue};
pub(crate) use milestones::MilestoneReport;
use milestones::milestone_reports;
pub(crate) use status::Status;
use status::{expected_progress, status, with_forecast};
use timeline::{ActivityWeek, GoalTimeline, ProgressPoint};

/// The rules of analysis a journal may set in `trailmark.toml`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rules {
    /// How far behind the linear pace (a fraction of the goal) a goal may fall before it
    /// is at risk.
    pub(crate) at_risk_margin: f64,
    /// How many days without progress make an active goal stalled in a review.
    pub(crate) stalled_after_days: i64,
    /// The first day of review weeks.
    pub(crate) week_start: Weekday,
}

impl Default for Rules {
    fn default() -> Rules {
        Rules {
            at_risk_margin: 0.25,
            stalled_after_days: 21,
            week_start: Weekday::Monday,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Report {
    pub(crate) today: Date,
    /// The rules it was analysed with: reviews drawn from the report follow them too.
    #[serde(skip)]
    pub(crate) rules: Rules,
    pub(crate) goals: Vec<GoalReport>,
    pub(crate) loose_tasks: Vec<MilestoneReport>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Leaf milestones done per day, week by week, over the last year.
    pub(crate) activity: Vec<ActivityWeek>,
}

impl Report {
    /// The JSON contract, pretty-printed, with a final newline.
    pub(crate) fn to_json(&self) -> String {
        serde_json::to_string_pretty(self)
            .expect("a report holds only strings, numbers and dates, which always serialize")
            + "\n"
    }

    /// Goals with their sub-goals under them, as (goal, depth) rows: the most urgent
    /// first at each level (overdue and at-risk before on-track, done and dropped last),
    /// then by due date and title.
    pub(crate) fn goal_tree(&self) -> Vec<TreeRow<'_>> {
        let by_id: HashMap<&str, &GoalReport> =
            self.goals.iter().map(|g| (g.id.as_str(), g)).collect();
        let by_urgency = |goals: &mut Vec<&GoalReport>| {
            goals.sort_by(|a, b| {
                (a.status, a.due.is_none(), a.due, &a.title).cmp(&(
                    b.status,
                    b.due.is_none(),
                    b.due,
                    &b.title,
                ))
            })
        };
        let mut roots: Vec<&GoalReport> =
            self.goals.iter().filter(|g| g.parent.is_none()).collect();
        by_urgency(&mut roots);
        let mut rows = Vec::with_capacity(self.goals.len());
        let mut stack: Vec<(&GoalReport, usize)> =
            roots.into_iter().rev().map(|g| (g, 0)).collect();
        while let Some((goal, depth)) = stack.pop() {
            rows.push(TreeRow { goal, depth });
            let mut children: Vec<&GoalReport> = goal
                .children
                .iter()
                .filter_map(|id| by_id.get(id.as_str()).copied())
                .collect();
            by_urgency(&mut children);
            stack.extend(children.into_iter().rev().map(|g| (g, depth + 1)));
        }
        rows
    }
}

/// One row of the goal tree: a goal and how deep it sits under its ancestors.
#[derive(Debug, Serialize)]
pub(crate) struct TreeRow<'a> {
    pub(crate) goal: &'a GoalReport,
    pub(crate) depth: usize,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct GoalReport {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) status: Status,
    /// 0..=1.
    pub(crate) progress: f64,
    /// Leaf milestones done and counted (cancelled ones are not counted).
    pub(crate) done: u32,
    pub(crate) total: u32,
    pub(crate) due: Option<Date>,
    pub(crate) area: Option<String>,
    pub(crate) parent: Option<String>,
    pub(crate) file: String,
    pub(crate) milestones: Vec<MilestoneReport>,
    // Beyond the contract: what the reports show.
    pub(crate) line: u32,
    pub(crate) column: u32,
    pub(crate) start: Option<Date>,
    pub(crate) why: Option<String>,
    pub(crate) horizon: Option<Horizon>,
    pub(crate) declared_status: GoalStatus,
    pub(crate) tags: Vec<String>,
    /// Where the goal should be by today on a straight line from start to due (0..=1).
    pub(crate) expected_progress: Option<f64>,
    /// Days until due (negative when past).
    pub(crate) days_left: Option<i64>,
    pub(crate) metric: Option<MetricReport>,
    pub(crate) children: Vec<String>,
    pub(crate) entries: Vec<EntryReport>,
    /// When the goal will be done at its recent pace (`null` when not forecast).
    pub(crate) forecast: Option<Date>,
    pub(crate) pace_per_week: Option<f64>,
    /// Why there is no forecast, in words.
    pub(crate) forecast_note: Option<String>,
    /// The day the goal became complete, when known.
    pub(crate) completed_on: Option<Date>,
    /// Done leaves whose done date is unknown.
    pub(crate) unknown_done: u32,
    /// Progress from the goal's start to today, one point where it changed.
    pub(crate) burn_up: Vec<ProgressPoint>,
    /// Dataview fields in the body of the goal's note.
    #[serde(skip_serializing_if = "Fields::is_empty")]
    pub(crate) fields: Fields,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct MetricReport {
    pub(crate) unit: Option<String>,
    pub(crate) target: f64,
    pub(crate) baseline: f64,
    pub(crate) latest: Option<f64>,
    pub(crate) latest_on: Option<Date>,
    /// Every value logged, oldest first.
    pub(crate) values: Vec<MetricValue>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct EntryReport {
    pub(crate) file: String,
    pub(crate) title: String,
    pub(crate) date: Option<Date>,
    #[serde(skip_serializing_if = "Fields::is_empty")]
    pub(crate) fields: Fields,
}

/// Computes every goal's progress and status as of `today`, with done dates from the
/// milestones, their entries and the git `history`.
pub(crate) fn analyse(journal: &Journal, history: &History, today: Date, rules: &Rules) -> Report {
    let mut goals: Vec<GoalReport> = journal
        .goals
        .iter()
        .map(|goal| goal_shell(journal, goal))
        .collect();
    // Milestones are counted and reported per document, and goals finished, on every
    // core; only handing milestones to their goals is sequential.
    let reported: Vec<Vec<MilestoneReport>> = journal
        .documents
        .par_iter()
        .map(|document| milestone_reports(document, history, today))
        .collect();
    let mut loose_tasks = Vec::new();
    for (doc_index, reports) in reported.into_iter().enumerate() {
        for (m_index, report) in reports.into_iter().enumerate() {
            match journal.assignments[doc_index][m_index] {
                Some(goal) => {
                    let goal = &mut goals[goal];
                    if report.leaf {
                        goal.total += 1;
                        goal.done += u32::from(report.effective_state == MilestoneState::Done);
                    }
                    goal.milestones.push(report);
                }
                None => loose_tasks.push(report),
            }
        }
    }
    goals
        .par_iter_mut()
        .for_each(|report| finish(report, today, rules.at_risk_margin));
    let mut diagnostics = journal.all_diagnostics();
    if let Some(unread) = &history.problem {
        // Only the milestones of the repository that failed are undated: say which.
        let (of, whose) = match &unread.folder {
            Some(folder) => (format!(" of {folder}"), "its milestones"),
            None => (String::new(), "milestones"),
        };
        diagnostics.insert(
            0,
            Diagnostic::warning(
                ".",
                None,
                format!(
                    "cannot read the git history{of} ({}); {whose} without a ✅ date \
                     outside dated entries have no done date",
                    unread.why
                ),
            ),
        );
    }
    Report {
        today,
        rules: *rules,
        activity: timeline::activity(&goals, today),
        goals,
        loose_tasks,
        diagnostics,
    }
}

fn goal_shell(journal: &Journal, goal: &Goal) -> GoalReport {
    let id_of = |index: usize| journal.goals[index].id.clone();
    let declared = &goal.declared;
    GoalReport {
        id: goal.id.clone(),
        title: declared.title.clone(),
        status: Status::Open,
        progress: 0.0,
        done: 0,
        total: 0,
        due: declared.due,
        area: declared.area.clone(),
        parent: goal.parent.map(id_of),
        file: goal.file.clone(),
        milestones: Vec::new(),
        line: declared.position.line,
        column: declared.position.column,
        start: declared.start,
        why: declared.why.clone(),
        horizon: declared.horizon,
        declared_status: declared.status,
        tags: declared.tags.clone(),
        expected_progress: None,
        days_left: None,
        metric: declared.metric.as_ref().and_then(|metric| {
            let latest = goal.metric_values.last();
            Some(MetricReport {
                unit: metric.unit.clone(),
                target: metric.target?,
                baseline: metric.baseline,
                latest: latest.map(|v| v.value),
                latest_on: latest.map(|v| v.date),
                values: goal.metric_values.clone(),
            })
        }),
        children: goal.children.iter().map(|&c| id_of(c)).collect(),
        entries: goal
            .entries
            .iter()
            .map(|&d| entry_report(&journal.documents[d]))
            .collect(),
        forecast: None,
        pace_per_week: None,
        forecast_note: None,
        completed_on: None,
        unknown_done: 0,
        burn_up: Vec::new(),
        fields: journal
            .documents
            .binary_search_by(|d| d.path.as_str().cmp(&goal.file))
            .map(|d| journal.documents[d].fields.clone())
            .unwrap_or_default(),
    }
}

fn entry_report(document: &Document) -> EntryReport {
    EntryReport {
        file: document.path.clone(),
        title: document.title.clone(),
        date: document.date,
        fields: document.fields.clone(),
    }
}

/// Progress, status, history and forecast, once the milestones are counted.
fn finish(report: &mut GoalReport, today: Date, at_risk_margin: f64) {
    let metric_progress = report
        .metric
        .as_ref()
        .and_then(|m| Some(timeline::metric_progress(m.baseline, m.target, m.latest?)));
    report.progress = if report.total > 0 {
        f64::from(report.done) / f64::from(report.total)
    } else {
        metric_progress.unwrap_or(0.0)
    };
    // Every leaf done or, without milestones, the metric's target reached.
    let complete = report.progress >= 1.0;
    report.days_left = report.due.map(|due| today.days_until(due));
    report.expected_progress = expected_progress(report.start, report.due, today);
    report.status = status(
        report.declared_status,
        report.progress,
        report.due,
        report.expected_progress,
        today,
        at_risk_margin,
    );
    let history = GoalTimeline::of(report);
    report.unknown_done = history.unknown;
    report.completed_on = complete.then(|| history.completed_on()).flatten();
    report.burn_up = timeline::burn_up(report, &history, today);
    let forecast = timeline::forecast(report, &history, today);
    report.status = with_forecast(report.status, forecast.date, report.due);
    report.forecast = forecast.date;
    report.pace_per_week = forecast.pace_per_week;
    report.forecast_note = forecast.note;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{one_goal, report};

    #[test]
    fn metric_progress_when_there_are_no_milestones() {
        let files = [
            (
                "g.md",
                "---\ngoal: Talks\nmetric: {target: 10, baseline: 2}\n---\n",
            ),
            ("2026-01-01.md", "---\nmetrics: {talks: 8}\n---\n"),
            ("2026-02-01.md", "---\nmetrics: {talks: 4}\n---\n"),
        ];
        let goal = report(&files, "2026-06-01").goals.remove(0);
        // The latest entry wins, not the largest value.
        assert_eq!(goal.progress, 0.25);
        assert_eq!(goal.metric.as_ref().unwrap().latest, Some(4.0));
    }

    #[test]
    fn metric_progress_is_clamped_and_reaching_the_target_is_done() {
        let files = [
            (
                "g.md",
                "---\ngoal: Weight\nmetric: {target: 70, baseline: 80}\n---\n",
            ),
            ("2026-01-01.md", "---\nmetrics: {weight: 65}\n---\n"),
        ];
        let goal = report(&files, "2026-06-01").goals.remove(0);
        assert_eq!(goal.progress, 1.0);
        assert_eq!(goal.status, Status::Done);
        let files = [
            (
                "g.md",
                "---\ngoal: Weight\nmetric: {target: 70, baseline: 80}\n---\n",
            ),
            ("2026-01-01.md", "---\nmetrics: {weight: 90}\n---\n"),
        ];
        assert_eq!(report(&files, "2026-06-01").goals[0].progress, 0.0);
    }

    #[test]
    fn no_milestones_and_no_metric_is_zero() {
        let goal = one_goal("Just prose.\n");
        assert_eq!((goal.progress, goal.done, goal.total), (0.0, 0, 0));
        assert_eq!(goal.status, Status::Open);
    }

    #[test]
    fn loose_tasks_are_listed_and_counted_for_no_goal() {
        let r = report(
            &[
                ("g.md", "---\ngoal: G\n---\n"),
                ("n.md", "- [ ] loose\n  - [x] sub\n"),
            ],
            "2026-01-01",
        );
        assert_eq!(r.loose_tasks.len(), 2);
        assert_eq!(r.goals[0].total, 0);
    }

    #[test]
    fn the_goal_tree_puts_children_under_parents_most_urgent_first() {
        let text = concat!(
            "---\ngoals:\n  - title: Root\n",
            "  - title: Calm\n    parent: root\n    due: 2027-01-01\n",
            "  - title: Late\n    parent: root\n    due: 2026-01-01\n",
            "  - title: Other root\n    status: done\n---\n",
        );
        let r = report(&[("g.md", text)], "2026-06-01");
        let rows: Vec<_> = r
            .goal_tree()
            .iter()
            .map(|row| (row.goal.id.as_str(), row.depth))
            .collect();
        assert_eq!(
            rows,
            [("root", 0), ("late", 1), ("calm", 1), ("other-root", 0)]
        );
    }

    #[test]
    fn the_json_has_the_contract_keys() {
        let r = report(
            &[("g.md", "---\ngoal: G\ndue: 2026-02-01\n---\n- [x] a\n")],
            "2026-01-01",
        );
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["today"], "2026-01-01");
        let goal = &json["goals"][0];
        for key in [
            "id",
            "title",
            "status",
            "progress",
            "done",
            "total",
            "due",
            "area",
            "parent",
            "file",
            "milestones",
        ] {
            assert!(goal.get(key).is_some(), "missing {key}");
        }
        let milestone = &goal["milestones"][0];
        for key in ["text", "state", "depth", "due", "done_on", "file", "line"] {
            assert!(milestone.get(key).is_some(), "missing {key}");
        }
        assert_eq!(goal["status"], "done");
        assert_eq!(milestone["state"], "done");
        assert!(json["loose_tasks"].is_array() && json["diagnostics"].is_array());
    }
}
