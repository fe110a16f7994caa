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

pub mod period;
pub mod review;
pub mod timeline;

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::dates::{Date, Weekday};
use crate::diagnostic::Diagnostic;
use crate::document::{Document, Fields, GoalStatus, Horizon, Milestone, MilestoneState, Priority};
use crate::git::{Checked, History};
use crate::model::{Goal, Journal, MetricValue};
use timeline::{ActivityWeek, GoalTimeline, ProgressPoint};

/// The rules of analysis a journal may set in `trailmark.toml`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rules {
    /// How far behind the linear pace (a fraction of the goal) a goal may fall before it
    /// is at risk.
    pub at_risk_margin: f64,
    /// How many days without progress make an active goal stalled in a review.
    pub stalled_after_days: i64,
    /// The first day of review weeks.
    pub week_start: Weekday,
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
pub struct Report {
    pub today: Date,
    /// The rules it was analysed with: reviews drawn from the report follow them too.
    #[serde(skip)]
    pub rules: Rules,
    pub goals: Vec<GoalReport>,
    pub loose_tasks: Vec<MilestoneReport>,
    pub diagnostics: Vec<Diagnostic>,
    /// Leaf milestones done per day, week by week, over the last year.
    pub activity: Vec<ActivityWeek>,
}

impl Report {
    /// The JSON contract, pretty-printed, with a final newline.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self)
            .expect("a report holds only strings, numbers and dates, which always serialize")
            + "\n"
    }

    /// Goals with their sub-goals under them, as (goal, depth) rows: the most urgent
    /// first at each level (overdue and at-risk before on-track, done and dropped last),
    /// then by due date and title.
    pub fn goal_tree(&self) -> Vec<TreeRow<'_>> {
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
pub struct TreeRow<'a> {
    pub goal: &'a GoalReport,
    pub depth: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Overdue,
    AtRisk,
    OnTrack,
    Open,
    Paused,
    Done,
    Dropped,
}

impl Status {
    pub fn as_str(self) -> &'static str {
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
    pub fn is_final(self) -> bool {
        matches!(self, Status::Done | Status::Dropped)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct GoalReport {
    pub id: String,
    pub title: String,
    pub status: Status,
    /// 0..=1.
    pub progress: f64,
    /// Leaf milestones done and counted (cancelled ones are not counted).
    pub done: u32,
    pub total: u32,
    pub due: Option<Date>,
    pub area: Option<String>,
    pub parent: Option<String>,
    pub file: String,
    pub milestones: Vec<MilestoneReport>,
    // Beyond the contract: what the reports show.
    pub line: u32,
    pub column: u32,
    pub start: Option<Date>,
    pub why: Option<String>,
    pub horizon: Option<Horizon>,
    pub declared_status: GoalStatus,
    pub tags: Vec<String>,
    /// Where the goal should be by today on a straight line from start to due (0..=1).
    pub expected_progress: Option<f64>,
    /// Days until due (negative when past).
    pub days_left: Option<i64>,
    pub metric: Option<MetricReport>,
    pub children: Vec<String>,
    pub entries: Vec<EntryReport>,
    /// When the goal will be done at its recent pace (`null` when not forecast).
    pub forecast: Option<Date>,
    pub pace_per_week: Option<f64>,
    /// Why there is no forecast, in words.
    pub forecast_note: Option<String>,
    /// The day the goal became complete, when known.
    pub completed_on: Option<Date>,
    /// Done leaves whose done date is unknown.
    pub unknown_done: u32,
    /// Progress from the goal's start to today, one point where it changed.
    pub burn_up: Vec<ProgressPoint>,
    /// Dataview fields in the body of the goal's note.
    #[serde(skip_serializing_if = "Fields::is_empty")]
    pub fields: Fields,
}

#[derive(Debug, Clone, Serialize)]
pub struct MetricReport {
    pub unit: Option<String>,
    pub target: f64,
    pub baseline: f64,
    pub latest: Option<f64>,
    pub latest_on: Option<Date>,
    /// Every value logged, oldest first.
    pub values: Vec<MetricValue>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MilestoneReport {
    pub text: String,
    /// The text as written, when it has markup (see `Milestone::markdown`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub markdown: Option<String>,
    /// As written.
    pub state: MilestoneState,
    pub depth: u32,
    pub due: Option<Date>,
    pub done_on: Option<Date>,
    /// Where `done_on` comes from; `None` while the milestone is not done.
    pub done_on_source: Option<DoneSource>,
    pub file: String,
    pub line: u32,
    /// As counted: done when a parent is checked or all its own leaves are done,
    /// cancelled when a parent is cancelled.
    pub effective_state: MilestoneState,
    /// Counts once towards progress (see [`count_milestones`]).
    pub leaf: bool,
    /// Obsidian Tasks and Dataview metadata, its keys beside the others.
    #[serde(flatten)]
    pub tasks: Option<Box<TaskReport>>,
}

/// A milestone's Tasks and Dataview metadata in the JSON: each key only when written, so
/// that journals without them keep a JSON of the same size.
#[derive(Debug, Clone, Serialize)]
pub struct TaskReport {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheduled: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancelled_on: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recurrence: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<Priority>,
    /// [`Priority::rank`], present with `priority`: sorting by it (3 when absent) lists
    /// the most urgent first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority_rank: Option<u8>,
    #[serde(skip_serializing_if = "Fields::is_empty")]
    pub fields: Fields,
}

/// Where a done milestone's date comes from, the first that has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DoneSource {
    /// A `✅ date` or `[done:: date]` marker on the milestone.
    Marker,
    /// The date of the dated entry it is written in.
    Entry,
    /// The first commit in which it appears checked (or today, when not yet committed).
    Git,
    /// No source has a date.
    Unknown,
}

#[derive(Debug, Clone, Serialize)]
pub struct EntryReport {
    pub file: String,
    pub title: String,
    pub date: Option<Date>,
    #[serde(skip_serializing_if = "Fields::is_empty")]
    pub fields: Fields,
}

/// Computes every goal's progress and status as of `today`, with done dates from the
/// milestones, their entries and the git `history`.
pub fn analyse(journal: &Journal, history: &History, today: Date, rules: &Rules) -> Report {
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
    if let Some(problem) = &history.problem {
        diagnostics.insert(
            0,
            Diagnostic::warning(
                ".",
                None,
                format!(
                    "cannot read the git history ({problem}); milestones without a ✅ date \
                     outside dated entries have no done date"
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

/// The done date of a checked milestone, from the first source that has one: its
/// marker, its entry's date, the git history. A milestone checked but not yet committed
/// was done today.
fn done_date(
    document: &Document,
    milestone: &Milestone,
    history: &History,
    today: Date,
) -> (Option<Date>, DoneSource) {
    if let Some(date) = milestone.done_marker {
        return (Some(date), DoneSource::Marker);
    }
    if let Some(date) = document.date {
        return (Some(date), DoneSource::Entry);
    }
    match history.checked(&document.path, milestone.history_key()) {
        Some(Checked::On(date)) => (Some(date), DoneSource::Git),
        Some(Checked::BeforeHistory) => (None, DoneSource::Unknown),
        None if history.tracks(&document.path) => (Some(today), DoneSource::Git),
        None => (None, DoneSource::Unknown),
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
    report.completed_on = history.completed_on(complete);
    report.burn_up = timeline::burn_up(report, &history, today);
    let forecast = timeline::forecast(report, &history, today);
    report.status = with_forecast(report.status, forecast.date, report.due);
    report.forecast = forecast.date;
    report.pace_per_week = forecast.pace_per_week;
    report.forecast_note = forecast.note;
}

/// Where the recent pace gives a forecast, it decides between on-track and at-risk:
/// finishing by the due date at this pace is on track, finishing after it is at risk,
/// whatever the straight line from start to due says.
fn with_forecast(status: Status, forecast: Option<Date>, due: Option<Date>) -> Status {
    match (status, forecast, due) {
        (Status::OnTrack | Status::AtRisk, Some(forecast), Some(due)) if forecast > due => {
            Status::AtRisk
        }
        (Status::OnTrack | Status::AtRisk, Some(_), Some(_)) => Status::OnTrack,
        _ => status,
    }
}

/// The milestones of `document` as reported, counted by the progress rules.
fn milestone_reports(document: &Document, history: &History, today: Date) -> Vec<MilestoneReport> {
    let counted = count_milestones(document, &|m| done_date(document, m, history, today));
    document
        .milestones
        .iter()
        .zip(counted)
        .map(|(milestone, counted)| MilestoneReport {
            text: milestone.text.clone(),
            markdown: milestone.markdown.clone(),
            state: milestone.state,
            depth: milestone.depth,
            due: milestone.due,
            done_on: counted.done_on,
            done_on_source: counted.source,
            file: document.path.clone(),
            line: milestone.position.line,
            effective_state: counted.state,
            leaf: counted.is_leaf,
            tasks: milestone.tasks.as_deref().map(|tasks| {
                Box::new(TaskReport {
                    scheduled: tasks.scheduled,
                    start: tasks.start,
                    created: tasks.created,
                    cancelled_on: tasks.cancelled_on,
                    recurrence: tasks.recurrence.clone(),
                    priority: tasks.priority,
                    priority_rank: tasks.priority.map(|p| Priority::rank(Some(p))),
                    fields: tasks.fields.clone(),
                })
            }),
        })
        .collect()
}

/// A goal's status at the end of `date`, from its progress then and the straight line
/// from start to due (the forecast needs history up to today, so it is not used).
pub fn status_at(
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
pub fn status(
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

/// Where a goal with a start and a due date should be by `date` on the straight line
/// between them (see [`linear_pace`]).
fn expected_progress(start: Option<Date>, due: Option<Date>, date: Date) -> Option<f64> {
    Some(linear_pace(start?, due?, date))
}

/// `(today - start) / (due - start)`, within 0..=1.
pub fn linear_pace(start: Date, due: Date, today: Date) -> f64 {
    let span = start.days_until(due);
    if span <= 0 {
        return if today >= due { 1.0 } else { 0.0 };
    }
    (start.days_until(today) as f64 / span as f64).clamp(0.0, 1.0)
}

/// How one milestone counts towards progress.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Counted {
    state: MilestoneState,
    /// Counts once towards its goal's total: not cancelled, and no sub-milestone counts.
    is_leaf: bool,
    done_on: Option<Date>,
    /// Set exactly when the milestone counts as done.
    source: Option<DoneSource>,
}

/// Applies the progress rules to a document's milestone tree: leaves count; checking a
/// parent counts every leaf under it as done; cancelling one removes it and everything
/// under it; a parent whose counted leaves are all done shows as done; a parent whose
/// sub-milestones are all cancelled counts as a leaf itself.
/// `dated` gives the done date of a milestone checked as written.
fn count_milestones(
    document: &Document,
    dated: &dyn Fn(&Milestone) -> (Option<Date>, DoneSource),
) -> Vec<Counted> {
    let milestones = &document.milestones;
    // Parents come before their children, so one pass down settles what flows from
    // parents (checked, cancelled) and one pass up what flows from children.
    let mut counted: Vec<Counted> = Vec::with_capacity(milestones.len());
    for milestone in milestones {
        let parent = milestone.parent.map(|p| counted[p]);
        let inherited = parent.map(|p| p.state);
        let state = match (milestone.state, inherited) {
            (MilestoneState::Cancelled, _) | (_, Some(MilestoneState::Cancelled)) => {
                MilestoneState::Cancelled
            }
            (MilestoneState::Done, _) => MilestoneState::Done,
            (_, Some(MilestoneState::Done)) => MilestoneState::Done,
            _ => MilestoneState::Open,
        };
        let (done_on, source) = match state {
            MilestoneState::Done if milestone.state == MilestoneState::Done => {
                let (date, source) = dated(milestone);
                (date, Some(source))
            }
            MilestoneState::Done => parent.map_or((None, None), |p| (p.done_on, p.source)),
            _ => (None, None),
        };
        counted.push(Counted {
            state,
            is_leaf: state != MilestoneState::Cancelled,
            done_on,
            source,
        });
    }
    // Children that count, and whether all of them are done, per parent.
    let mut counting_children = vec![0u32; milestones.len()];
    let mut all_done = vec![true; milestones.len()];
    // The latest done date of the children, and its source.
    let mut latest_done: Vec<Option<(Date, DoneSource)>> = vec![None; milestones.len()];
    let mut unknown_done = vec![false; milestones.len()];
    for index in (0..milestones.len()).rev() {
        let mine = &mut counted[index];
        if counting_children[index] > 0 {
            mine.is_leaf = false;
            if mine.state == MilestoneState::Open && all_done[index] {
                mine.state = MilestoneState::Done;
                (mine.done_on, mine.source) = match latest_done[index] {
                    Some((date, source)) if !unknown_done[index] => (Some(date), Some(source)),
                    _ => (None, Some(DoneSource::Unknown)),
                };
            }
        }
        let mine = *mine;
        if let Some(parent) = milestones[index].parent
            && mine.state != MilestoneState::Cancelled
        {
            counting_children[parent] += 1;
            all_done[parent] &= mine.state == MilestoneState::Done;
            unknown_done[parent] |= mine.done_on.is_none();
            if let (Some(date), Some(source)) = (mine.done_on, mine.source)
                && latest_done[parent].is_none_or(|(latest, _)| date > latest)
            {
                latest_done[parent] = Some((date, source));
            }
        }
    }
    counted
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Parses with the default options.
    fn parse(path: &str, bytes: &[u8]) -> crate::document::Document {
        crate::document::parse(path, bytes, &crate::document::ParseOptions::default())
    }
    use crate::model::build;

    // Shared with the tests of the submodules and of the render stage.
    pub(crate) fn day(text: &str) -> Date {
        Date::parse(text).expect("test dates are valid")
    }

    pub(crate) fn report(files: &[(&str, &str)], today: &str) -> Report {
        let journal = build(files.iter().map(|(p, t)| parse(p, t.as_bytes())).collect());
        analyse(&journal, &History::default(), day(today), &Rules::default())
    }

    fn one_goal(body: &str) -> GoalReport {
        let text = format!("---\ngoal: G\n---\n{body}");
        report(&[("g.md", &text)], "2026-06-01").goals.remove(0)
    }

    fn counts(goal: &GoalReport) -> (u32, u32) {
        (goal.done, goal.total)
    }

    #[test]
    fn leaves_count_once() {
        let goal = one_goal("- [x] a\n- [ ] b\n- [ ] c\n  - [x] c1\n  - [ ] c2\n");
        assert_eq!(counts(&goal), (2, 4));
        assert_eq!(goal.progress, 0.5);
    }

    #[test]
    fn checking_a_parent_counts_its_leaves_done() {
        let goal = one_goal("- [x] parent\n  - [ ] a\n  - [ ] b\n    - [ ] b1\n- [ ] other\n");
        assert_eq!(counts(&goal), (2, 3));
        let states: Vec<_> = goal
            .milestones
            .iter()
            .map(|m| (m.state, m.effective_state))
            .collect();
        assert_eq!(states[1], (MilestoneState::Open, MilestoneState::Done));
    }

    #[test]
    fn cancelled_milestones_and_their_subtrees_do_not_count() {
        let goal =
            one_goal("- [-] dropped\n  - [x] inside\n- [x] a\n- [ ] b\n  - [-] b1\n  - [x] b2\n");
        assert_eq!(counts(&goal), (2, 2));
        assert_eq!(
            goal.milestones[1].effective_state,
            MilestoneState::Cancelled
        );
    }

    #[test]
    fn a_parent_whose_children_are_all_cancelled_counts_itself() {
        let goal = one_goal("- [ ] ship it\n  - [-] approach A\n");
        assert_eq!(counts(&goal), (0, 1));
        let goal = one_goal("- [x] ship it\n  - [-] approach A\n");
        assert_eq!(counts(&goal), (1, 1));
    }

    #[test]
    fn a_parent_whose_leaves_are_all_done_shows_done() {
        let goal = one_goal("- [ ] parent\n  - [x] a ✅ 2026-01-02\n  - [x] b ✅ 2026-01-05\n");
        assert_eq!(counts(&goal), (2, 2));
        assert_eq!(goal.milestones[0].effective_state, MilestoneState::Done);
        assert_eq!(goal.milestones[0].done_on, Some(day("2026-01-05")));
        assert_eq!(goal.status, Status::Done);
    }

    #[test]
    fn done_dates_come_from_markers_then_the_entry_date() {
        let files = [
            ("g.md", "---\ngoal: G\n---\n- [x] undated\n"),
            (
                "2026-02-03.md",
                "- [x] in entry #g\n- [x] marked #g ✅ 2026-02-01\n- [ ] open #g\n",
            ),
        ];
        let goal = report(&files, "2026-06-01").goals.remove(0);
        let done_on: Vec<_> = goal
            .milestones
            .iter()
            .map(|m| m.done_on.map(|d| d.to_string()))
            .collect();
        // Documents are read in path order: the entry, then the goal file.
        assert_eq!(
            done_on,
            [
                Some("2026-02-03".into()),
                Some("2026-02-01".into()),
                None,
                None
            ]
        );
    }

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
    fn status_rules_in_order() {
        let today = day("2026-06-01");
        let past = Some(day("2026-05-01"));
        let future = Some(day("2026-12-31"));
        use GoalStatus::*;
        assert_eq!(
            status(Dropped, 1.0, past, None, today, 0.25),
            Status::Dropped
        );
        assert_eq!(status(Paused, 0.0, past, None, today, 0.25), Status::Paused);
        assert_eq!(status(Done, 0.0, past, None, today, 0.25), Status::Done);
        assert_eq!(status(Active, 1.0, past, None, today, 0.25), Status::Done);
        assert_eq!(
            status(Active, 0.9, past, Some(1.0), today, 0.25),
            Status::Overdue
        );
        assert_eq!(
            status(Active, 0.2, future, Some(0.5), today, 0.25),
            Status::AtRisk
        );
        assert_eq!(
            status(Active, 0.25, future, Some(0.5), today, 0.25),
            Status::OnTrack
        );
        assert_eq!(
            status(Active, 0.0, future, None, today, 0.25),
            Status::OnTrack
        );
        assert_eq!(status(Active, 0.0, None, None, today, 0.25), Status::Open);
        // Due today is not yet overdue.
        assert_eq!(
            status(Active, 0.9, Some(today), Some(1.0), today, 0.25),
            Status::OnTrack
        );
        // A journal's own margin: 0.1 behind is at risk with a margin of 0.05, and 0.3
        // behind is on track with 0.5.
        assert_eq!(
            status(Active, 0.4, future, Some(0.5), today, 0.05),
            Status::AtRisk
        );
        assert_eq!(
            status(Active, 0.2, future, Some(0.5), today, 0.5),
            Status::OnTrack
        );
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
