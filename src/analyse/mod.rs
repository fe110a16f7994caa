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

mod again;
mod cadence;
mod for_editor;
mod json;
mod milestones;
mod needs;
pub(crate) mod outlook;
pub(crate) mod period;
pub(crate) mod review;
mod status;
pub(crate) mod timeline;

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::dates::{Date, Weekday};
use crate::diagnostic::Diagnostic;
use crate::document::{self, Document, Fields, GoalStatus, Horizon, MilestoneState};
use crate::git::History;
use crate::model::{Checkin, EntryMention, Goal, Journal, MetricValue};
use crate::shared_text::SharedText;
use crate::small_list::SmallList;
pub(crate) use again::{Changed, again, with_ancestors};
use cadence::CadenceReport;
pub(crate) use cadence::count as cadence_count;
pub(crate) use cadence::stale_checkins;
#[cfg(test)]
pub(crate) use for_editor::as_the_editor_reads;
use for_editor::keep_for_editor;
pub(crate) use for_editor::{Detail, ForEditor};
pub(crate) use json::{GOALS_LINE, goal_on_line, goals_in_json, json_of_parts};
pub(crate) use milestones::MilestoneReport;
use milestones::milestone_reports;
pub(crate) use needs::NeedsNow;
pub(crate) use status::Status;
use status::{expected_progress, stalled_days, stalled_note, status, with_forecast};
use timeline::{ActivityWeek, GoalTimeline, ProgressPoint};

/// The rules of analysis a journal may set in `trailmark.toml`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rules {
    /// How far behind the linear pace (a fraction of the goal) a goal may fall before it
    /// is at risk.
    pub(crate) at_risk_margin: f64,
    /// How many days without progress make an active goal stalled.
    pub(crate) stalled_after_days: i64,
    /// The first day of review weeks.
    pub(crate) week_start: Weekday,
    /// Warn when an active goal's last check-in is older than this many days (off when
    /// `None`).
    pub(crate) stale_checkins_after_days: Option<i64>,
}

impl Default for Rules {
    fn default() -> Rules {
        Rules {
            at_risk_margin: 0.25,
            stalled_after_days: 21,
            week_start: Weekday::Monday,
            stale_checkins_after_days: None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Report {
    pub(crate) today: Date,
    /// The rules it was analysed with: reviews drawn from the report follow them too.
    #[serde(skip)]
    pub(crate) rules: Rules,
    /// How much of each goal it holds: all of it, unless made for the editor.
    #[serde(skip)]
    pub(crate) detail: Detail,
    /// Shared (as are `timelines` and `loose_tasks`) with the report a workspace keeps
    /// of its last analysis, whose goals the next one takes as they are unless a change
    /// touched them (see [`again`]).
    pub(crate) goals: Vec<Arc<GoalReport>>,
    /// Each goal's progress over time, rolled up, in the order of `goals`.
    #[serde(skip)]
    pub(crate) timelines: Vec<Arc<GoalTimeline>>,
    pub(crate) loose_tasks: Arc<Vec<MilestoneReport>>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Leaf milestones done per day, week by week, over the last year.
    pub(crate) activity: Vec<ActivityWeek>,
    /// What needs the person now: the top of the index.
    pub(crate) needs_now: NeedsNow,
}

impl Report {
    /// Goals with their sub-goals under them, as (goal, depth) rows: the most urgent
    /// first at each level (overdue and at-risk before on-track, done and dropped last),
    /// then by due date and title.
    pub(crate) fn goal_tree(&self) -> Vec<TreeRow<'_>> {
        let by_id: HashMap<&str, &GoalReport> =
            self.goals.iter().map(|g| (g.id.as_str(), &**g)).collect();
        let by_urgency = |goals: &mut Vec<&GoalReport>| goals.sort_by(|a, b| needs::urgency(a, b));
        let mut roots: Vec<&GoalReport> = (self.goals.iter().map(|g| &**g))
            .filter(|g| g.parent.is_none())
            .collect();
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
    /// 0..=1, rolled up: its own leaves and its child goals that are not dropped, each
    /// child counting as one leaf done as far as its own (rolled-up) progress.
    pub(crate) progress: f64,
    /// Its own leaf milestones done and counted (cancelled ones are not counted).
    pub(crate) done: u32,
    pub(crate) total: u32,
    /// 0..=1, from its own leaves (else its metric) alone.
    pub(crate) progress_own: f64,
    /// Active, started, and nothing moved it for `stalled_after_days` (see
    /// [`stalled_days`]).
    pub(crate) stalled: bool,
    /// The last day a leaf of its own or of a goal under it was done or a value logged,
    /// up to today.
    pub(crate) last_activity: Option<Date>,
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
    /// Why it is stalled, in words ("nothing done since 2026-10-05 (55 days)").
    pub(crate) stalled_note: Option<String>,
    /// The day the goal became complete, when known.
    pub(crate) completed_on: Option<Date>,
    /// Done leaves whose done date is unknown.
    pub(crate) unknown_done: u32,
    /// Progress from the goal's start to today, one point where it changed.
    pub(crate) burn_up: Vec<ProgressPoint>,
    /// Dataview fields in the body of the goal's note.
    #[serde(skip_serializing_if = "Fields::is_empty")]
    pub(crate) fields: Fields,
    /// A cadence goal's periods (only for a goal with `cadence:`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) cadence: Option<CadenceReport>,
    /// Check-ins that name the goal, oldest first (only when there are some).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) checkins: Vec<Checkin>,
    /// What an analysis for the editor keeps of its milestones and entries, which it
    /// leaves empty (see [`Detail::Editor`]); `None` in a whole analysis.
    #[serde(skip)]
    pub(crate) for_editor: Option<Box<ForEditor>>,
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
    /// Shared with the file's other mentions and milestones (the document's).
    pub(crate) file: Arc<str>,
    pub(crate) title: Arc<str>,
    pub(crate) date: Option<Date>,
    /// The lines that mention the goal, in file order, without the goal's own tag at
    /// their start or end (as its milestones show); one (most entries') in place.
    pub(crate) lines: SmallList<EntryLine>,
    /// The document's Dataview fields, `None` when it has none: boxed, as most entries
    /// have none and there is a report for every mention of a goal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) fields: Option<Box<Fields>>,
}

/// How many documents' milestones are reported at once (on every core) before they are
/// handed to their goals.
const DOCUMENTS_AT_ONCE: usize = 1024;

/// How many documents' milestones one core reports into one list: a run of analysis's
/// own, apart from linking's `model::DOCUMENTS_A_RUN`.
const REPORTED_DOCUMENTS_A_RUN: usize = 64;

/// Computes every goal's progress and status as of `today`, with done dates from the
/// milestones, their entries and the git `history`.
pub(crate) fn analyse(journal: &Journal, history: &History, today: Date, rules: &Rules) -> Report {
    analyse_for(journal, history, today, rules, Detail::Whole)
}

/// [`analyse`], each goal kept as `detail` says.
pub(crate) fn analyse_for(
    journal: &Journal,
    history: &History,
    today: Date,
    rules: &Rules,
    detail: Detail,
) -> Report {
    // Goals are copied out of the model, milestones counted and reported per document,
    // and goals finished, on every core; only handing milestones to their goals is
    // sequential.
    // Each report made in the box it is shared in, and finished there while it is not
    // shared yet: made in a list and then moved into its box, the list (hundreds of bytes
    // a goal: 6 MB at 100,000 files) and the boxes were the peak of the heap together.
    let mut goals: Vec<Arc<GoalReport>> = journal
        .goals
        .par_iter()
        .map(|goal| Arc::new(goal_shell(journal, goal, today, detail)))
        .collect();
    if detail == Detail::Whole {
        for (report, entries) in goals.iter_mut().zip(entry_reports_by_document(journal)) {
            unshared(report).entries = entries;
        }
    }
    // Each list sized once, exactly: grown by doubling, the lists of a 100,000-file
    // journal held tens of MB of nothing.
    let mut counts = vec![0; goals.len()];
    let mut loose = 0;
    for goal in journal.assignments.all() {
        match goal {
            Some(goal) => counts[goal] += 1,
            None => loose += 1,
        }
    }
    // Each report borrowed from its box once, not for each milestone handed to it:
    // `Arc::get_mut` is two atomic operations on the box, one of the goals' thousands, for
    // each of hundreds of thousands of milestones.
    let mut goal_reports: Vec<&mut GoalReport> = goals.iter_mut().map(unshared).collect();
    for (report, count) in goal_reports.iter_mut().zip(counts) {
        report.milestones.reserve_exact(count);
    }
    let mut loose_tasks = Vec::with_capacity(loose);
    // A slice of documents at a time: every milestone's report waiting beside the goals'
    // lists, which hold them all in the end, took as much memory again.
    for first in (0..journal.documents.len()).step_by(DOCUMENTS_AT_ONCE) {
        let slice = first..(first + DOCUMENTS_AT_ONCE).min(journal.documents.len());
        let end = slice.end;
        let run = |first: usize| first..(first + REPORTED_DOCUMENTS_A_RUN).min(end);
        // A run of documents' reports in one list, made by the core that reports them: a
        // list for each document was freed here, by another thread than the one that made
        // it (at 100,000 files, a fifth of this loop's time).
        let reported: Vec<Vec<MilestoneReport>> = (slice.clone().into_par_iter())
            .step_by(REPORTED_DOCUMENTS_A_RUN)
            .map(|first| {
                let milestones = run(first).map(|d| journal.documents[d].milestones.len());
                let mut reports = Vec::with_capacity(milestones.sum());
                for d in run(first) {
                    let assigned = journal.assignments.of(d);
                    let goal_id =
                        |m: usize| assigned.get(m).map(|goal| journal.goals[goal].id.as_str());
                    let document = &journal.documents[d];
                    reports.extend(milestone_reports(document, goal_id, history, today));
                }
                reports
            })
            .collect();
        for (first, reports) in slice.step_by(REPORTED_DOCUMENTS_A_RUN).zip(reported) {
            let assigned = run(first).flat_map(|d| {
                let assigned = journal.assignments.of(d);
                assigned.iter().map(move |goal| (d, goal))
            });
            for (report, (d, assigned)) in reports.into_iter().zip(assigned) {
                match assigned {
                    Some(goal) => count_milestone(goal_reports[goal], report, d, today),
                    None => loose_tasks.push(report),
                }
            }
        }
    }
    let mut timelines: Vec<Arc<GoalTimeline>> = goals
        .par_iter()
        .map(|goal| Arc::new(GoalTimeline::of(goal)))
        .collect();
    roll_up(journal, &mut timelines, |_| true);
    goals
        .par_iter_mut()
        .zip(&timelines)
        .zip(&journal.goals)
        .for_each(|((report, timeline), goal)| {
            finish_goal(unshared(report), timeline, goal, today, rules);
        });
    let loose_tasks = Arc::new(loose_tasks);
    assemble(
        journal,
        history,
        (today, rules, detail),
        goals,
        timelines,
        loose_tasks,
    )
}

/// A goal's report while [`analyse`] makes it, before anything else holds it.
fn unshared(goal: &mut Arc<GoalReport>) -> &mut GoalReport {
    Arc::get_mut(goal).expect("a goal's report is shared once it is finished")
}

/// A milestone's report, of the document of index `document`, handed to its goal, and
/// counted there when it is a leaf.
fn count_milestone(
    goal: &mut GoalReport,
    milestone: MilestoneReport,
    document: usize,
    today: Date,
) {
    if milestone.leaf {
        goal.total += 1;
        goal.done += u32::from(counts_as_done(&milestone, today));
    }
    if let Some(kept) = goal.for_editor.as_deref_mut() {
        kept.add_milestone(document, milestone.line);
    }
    goal.milestones.push(milestone);
}

/// The report of the journal's finished goals: with what is drawn from all of them
/// (activity, what needs the person now) and every diagnostic.
fn assemble(
    journal: &Journal,
    history: &History,
    (today, rules, detail): (Date, &Rules, Detail),
    goals: Vec<Arc<GoalReport>>,
    timelines: Vec<Arc<GoalTimeline>>,
    loose_tasks: Arc<Vec<MilestoneReport>>,
) -> Report {
    // Each reads every goal, and none needs another: on two cores they take as long as
    // the longest (after an edit at 100,000 files, 8 ms of the main thread alone).
    let (diagnostics, (activity, needs_now)) = rayon::join(
        || diagnostics(journal, history, today, rules, &goals),
        || match detail {
            Detail::Whole => rayon::join(
                || timeline::activity(&goals, today),
                || NeedsNow::of(&goals, today),
            ),
            // Drawn from every goal's milestones for the reports' pages, which an editor
            // does not show.
            Detail::Editor => (Vec::new(), NeedsNow::default()),
        },
    );
    Report {
        today,
        rules: *rules,
        detail,
        activity,
        needs_now,
        goals,
        timelines,
        loose_tasks,
        diagnostics,
    }
}

/// Every diagnostic of the report, in the order it lists them.
fn diagnostics(
    journal: &Journal,
    history: &History,
    today: Date,
    rules: &Rules,
    goals: &[Arc<GoalReport>],
) -> Vec<Diagnostic> {
    let mut diagnostics = journal.all_diagnostics();
    diagnostics.extend(dated_after(journal, today));
    if let Some(days) = rules.stale_checkins_after_days {
        diagnostics.extend(stale_checkins(goals, today, days));
    }
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
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
    diagnostics
}

/// Rolls the timelines of the goals `which` picks up into them from their child goals':
/// children first, so that a parent reads finished timelines (by a loop over depths, not
/// recursion, for deep trees). A goal not picked keeps its timeline as it is: the goals
/// under it are not picked either.
fn roll_up(journal: &Journal, timelines: &mut [Arc<GoalTimeline>], which: impl Fn(usize) -> bool) {
    // Roots, then their children, level by level; walked backwards, children come first.
    let mut top_down: Vec<usize> = (0..journal.goals.len())
        .filter(|&g| journal.goals[g].parent.is_none())
        .collect();
    let mut next = 0;
    while let Some(&g) = top_down.get(next) {
        top_down.extend(&journal.goals[g].children);
        next += 1;
    }
    for &g in top_down.iter().rev().filter(|&&g| which(g)) {
        // A cadence goal is a rate with no finish line: it is left out of its parent's
        // progress, as a dropped one is (docs/FORMAT.md, "Cadence goals and check-ins").
        let children: Vec<(&GoalTimeline, bool)> = journal.goals[g]
            .children
            .iter()
            .map(|&c| &journal.goals[c].declared)
            .zip(&journal.goals[g].children)
            .filter(|(declared, _)| declared.status != GoalStatus::Dropped)
            .filter(|(declared, _)| declared.cadence.is_none())
            .map(|(declared, &c)| (&*timelines[c], declared.status == GoalStatus::Done))
            .collect();
        if children.is_empty() {
            continue;
        }
        let mut timeline = GoalTimeline::clone(&timelines[g]);
        timeline.roll_up(&children);
        timelines[g] = Arc::new(timeline);
    }
}

/// Whether a leaf counts as done today: done, and not on a later date (work dated after
/// today counts from its own date, as the timeline counts it).
fn counts_as_done(milestone: &MilestoneReport, today: Date) -> bool {
    milestone.effective_state == MilestoneState::Done
        && milestone.done_on.is_none_or(|date| date <= today)
}

/// A warning for each entry dated after today: what it records does not count yet, which
/// would otherwise go without a word.
pub(crate) fn dated_after(journal: &Journal, today: Date) -> Vec<Diagnostic> {
    // On every core: each document's milestones are elsewhere in the heap, a read of
    // memory each for 100,000 documents, nearly all of which warn of nothing.
    (journal.documents.par_iter())
        .flat_map_iter(|document| document_dated_after(document, today))
        .collect()
}

/// [`dated_after`] of one document.
fn document_dated_after(document: &Document, today: Date) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    if let Some(date) = document.date.filter(|date| *date > today) {
        warnings.push(Diagnostic::warning(
            &document.path,
            None,
            format!(
                "this entry is dated {date}, after today ({today}): what it records \
                 counts from {date}"
            ),
        ));
    }
    let done_later = document
        .milestones
        .iter()
        .filter_map(|m| Some((m, m.done_marker.filter(|date| *date > today)?)));
    for (milestone, date) in done_later {
        warnings.push(Diagnostic::warning(
            &document.path,
            Some(milestone.position),
            format!(
                "this milestone is marked done on {date}, after today ({today}): it \
                 counts as done from {date}"
            ),
        ));
    }
    warnings
}

fn goal_shell(journal: &Journal, goal: &Goal, today: Date, detail: Detail) -> GoalReport {
    let id_of = |index: usize| journal.goals[index].id.clone();
    let declared = &goal.declared;
    GoalReport {
        id: goal.id.clone(),
        title: declared.title.clone(),
        status: Status::Open,
        progress: 0.0,
        done: 0,
        total: 0,
        progress_own: 0.0,
        stalled: false,
        last_activity: None,
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
            // A value logged after today counts from its own date.
            let latest = goal.metric_values.iter().rfind(|v| v.date <= today);
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
        // Made by the caller: [`entry_reports`] of one goal, or
        // [`entry_reports_by_document`] of them all.
        entries: Vec::new(),
        forecast: None,
        pace_per_week: None,
        forecast_note: None,
        stalled_note: None,
        completed_on: None,
        unknown_done: 0,
        burn_up: Vec::new(),
        fields: document::position(&journal.documents, &goal.file)
            .map(|d| journal.documents[d].fields().clone())
            .unwrap_or_default(),
        cadence: None,
        checkins: goal.checkins.clone(),
        for_editor: (detail == Detail::Editor).then(|| Box::new(ForEditor::of_mentions(goal))),
    }
}

/// The reports of the entries that mention `goal`, in its order (newest first).
fn entry_reports(journal: &Journal, goal: &Goal) -> Vec<EntryReport> {
    (goal.entries.iter())
        .map(|entry| entry_report(&journal.documents[entry.document()], entry, &goal.id))
        .collect()
}

/// How many mentions of goals are made into reports on one core at a time.
const MENTIONS_A_RUN: usize = 2048;

/// [`entry_reports`] of every goal, the goals' lists in their order. The reports are
/// made in the documents' order, not goal by goal: each reads its document, and counts
/// one more share of the document's path, title and text, all of them in the heap where
/// the document was decoded or parsed. Goal by goal, every report read from a document
/// far from the last one's (at 100,000 files, a miss of the caches for each); in the
/// documents' order, from the next one.
fn entry_reports_by_document(journal: &Journal) -> Vec<Vec<EntryReport>> {
    let goals = &journal.goals;
    // The mentions put in the order of their documents by counting them.
    let mut firsts = vec![0; journal.documents.len() + 1];
    for entry in goals.iter().flat_map(|goal| &goal.entries) {
        firsts[entry.document() + 1] += 1;
    }
    for d in 1..firsts.len() {
        firsts[d] += firsts[d - 1];
    }
    let total = firsts[journal.documents.len()];
    let mut by_document: Vec<(u32, u32)> = vec![(0, 0); total];
    for (g, goal) in goals.iter().enumerate() {
        for (m, entry) in goal.entries.iter().enumerate() {
            let next = &mut firsts[entry.document()];
            by_document[*next] = (g as u32, m as u32);
            *next += 1;
        }
    }
    drop(firsts);
    // Each goal's list filled in the documents' order, beside each report's place in the
    // goal's order (all the goals' places in one list, goal after goal).
    let mut lists: Vec<Vec<EntryReport>> = (goals.iter())
        .map(|goal| Vec::with_capacity(goal.entries.len()))
        .collect();
    let mut places: Vec<u32> = vec![0; total];
    let mut starts = Vec::with_capacity(goals.len());
    let mut start = 0;
    for goal in goals {
        starts.push(start);
        start += goal.entries.len();
    }
    for run in by_document.chunks(MENTIONS_A_RUN * rayon::current_num_threads()) {
        let made: Vec<Vec<EntryReport>> = run
            .par_chunks(MENTIONS_A_RUN)
            .map(|mentions| {
                (mentions.iter())
                    .map(|&(g, m)| {
                        let goal = &goals[g as usize];
                        let entry = &goal.entries[m as usize];
                        entry_report(&journal.documents[entry.document()], entry, &goal.id)
                    })
                    .collect()
            })
            .collect();
        for (&(g, m), report) in run.iter().zip(made.into_iter().flatten()) {
            let list = &mut lists[g as usize];
            places[starts[g as usize] + list.len()] = m;
            list.push(report);
        }
    }
    drop(by_document);
    // Each list put in its goal's order where it is: a report swapped into its place
    // until the one in each place is its own.
    let mut goal_places = Vec::with_capacity(goals.len());
    let mut rest = places.as_mut_slice();
    for list in &lists {
        let (own, others) = rest.split_at_mut(list.len());
        goal_places.push(own);
        rest = others;
    }
    (lists.par_iter_mut())
        .zip(goal_places)
        .for_each(|(list, places)| {
            for at in 0..list.len() {
                while places[at] as usize != at {
                    let place = places[at] as usize;
                    list.swap(at, place);
                    places.swap(at, place);
                }
            }
        });
    lists
}

/// A line of an entry that mentions a goal.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct EntryLine {
    pub(crate) line: u32,
    /// Shared with the document's line, as the model's mention of it is.
    pub(crate) text: SharedText,
}

/// An entry's report: its path and title shared with the document, as every report
/// that names a document shares them (hundreds of thousands of copies at 100,000 files).
fn entry_report(document: &Document, entry: &EntryMention, goal_id: &str) -> EntryReport {
    EntryReport {
        file: Arc::clone(&document.path),
        title: Arc::clone(&document.title),
        date: document.date,
        lines: entry
            .lines()
            .map(|line| EntryLine {
                line: line.position.line,
                text: match milestones::without_tag(&line.value, goal_id) {
                    Cow::Borrowed(part) => line.value.part(part),
                    Cow::Owned(joined) => SharedText::from(joined),
                },
            })
            .collect(),
        fields: (!document.fields().is_empty()).then(|| Box::new(document.fields().clone())),
    }
}

/// A goal's report made whole, once its milestones are counted and its timeline rolled
/// up: [`finish`], then [`finish_cadence`] for a cadence goal. A whole analysis and one
/// after an edit (`again`) finish each goal they make so.
fn finish_goal(
    report: &mut GoalReport,
    timeline: &GoalTimeline,
    goal: &Goal,
    today: Date,
    rules: &Rules,
) {
    finish(report, timeline, today, rules);
    finish_cadence(report, goal, today, rules);
    keep_for_editor(report);
}

/// Progress, status, history and forecast, once the milestones are counted and the
/// goal's timeline rolled up.
fn finish(report: &mut GoalReport, history: &GoalTimeline, today: Date, rules: &Rules) {
    let metric_progress = report
        .metric
        .as_ref()
        .and_then(|m| Some(timeline::metric_progress(m.baseline, m.target, m.latest?)));
    report.progress_own = if report.total > 0 {
        f64::from(report.done) / f64::from(report.total)
    } else {
        metric_progress.unwrap_or(0.0)
    };
    report.progress = if history.has_children() {
        history.progress_at(today)
    } else {
        report.progress_own
    };
    // Every leaf done or, without milestones, the metric's target reached (rolled up:
    // every child too).
    let complete = report.progress >= 1.0;
    report.days_left = report.due.map(|due| today.days_until(due));
    report.expected_progress = expected_progress(report.start, report.due, today);
    report.status = status(
        report.declared_status,
        report.progress,
        report.due,
        report.expected_progress,
        today,
        rules.at_risk_margin,
    );
    report.unknown_done = history.unknown;
    report.completed_on = complete.then(|| history.completed_on()).flatten();
    // Only reports' charts show it.
    if report.for_editor.is_none() {
        report.burn_up = timeline::burn_up(report, history, today);
    }
    let forecast = timeline::forecast(report, history, today);
    report.status = with_forecast(report.status, forecast.date, report.due);
    report.forecast = forecast.date;
    report.pace_per_week = forecast.pace_per_week;
    report.forecast_note = forecast.note.map(|note| note.to_string());
    report.last_activity = history.last_activity(today);
    let stalled = stalled_days(
        report.status,
        report.start,
        report.last_activity,
        today,
        rules.stalled_after_days,
    );
    report.stalled = stalled.is_some();
    report.stalled_note = stalled.map(|days| stalled_note(report.last_activity, days));
}

/// A cadence goal's periods, and the progress and status they give it instead of its
/// milestones': a rate has no finish line, so no forecast, expected progress or
/// completion day either.
fn finish_cadence(report: &mut GoalReport, goal: &Goal, today: Date, rules: &Rules) {
    let declared = &goal.declared;
    let Some(decl) = &declared.cadence else {
        return;
    };
    let until = decl.until.or(declared.due);
    let occurrences = cadence::occurrences(&report.milestones, report.metric.as_ref(), today);
    let start = decl
        .start
        .or(declared.start)
        .or_else(|| occurrences.first().map(|(date, _)| *date))
        .unwrap_or(today);
    let plan = cadence::Plan {
        count: decl.count,
        per: decl.per,
        start,
        until,
        pauses: &declared.pauses,
        paused_from: (declared.status == GoalStatus::Paused).then_some(today),
        week_start: rules.week_start,
    };
    let periods = cadence::analyse(&plan, &occurrences, today);
    report.progress = cadence::progress(&periods);
    if report.declared_status == GoalStatus::Active {
        report.status = cadence::status(&periods, until, today);
    }
    report.completed_on = None;
    report.forecast = None;
    report.pace_per_week = None;
    // Its periods set its pace, not a straight line from start to due.
    report.expected_progress = None;
    report.forecast_note = None;
    // Whether it is kept up is what its periods say: a monthly goal last done 30 days ago
    // may be on track.
    report.stalled = false;
    report.stalled_note = None;
    report.cadence = Some(periods);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{one_goal, report};

    #[test]
    fn an_entrys_report_holds_fields_only_when_its_document_has_some() {
        let files = [
            ("g.md", "---\ngoal: G\n---\n"),
            ("2026-01-05.md", "mood:: calm\n\n- [x] one #g\n"),
            ("2026-01-06.md", "- [x] two #g\n"),
        ];
        let r = report(&files, "2026-02-01");
        let entries = &r.goals[0].entries;
        assert!(entries[0].fields.is_none());
        let fields = entries[1].fields.as_deref().unwrap();
        assert_eq!(fields.get("mood").map(String::as_str), Some("calm"));
        let json = r.to_json();
        assert_eq!(json.matches("\"fields\"").count(), 1, "{json}");
        // A report for every mention of a goal: its size is the report's memory. Its one
        // line (most entries') is in place: 16 bytes more than a list of its own, which
        // was an allocation of 32 bytes and the allocator's overhead of it.
        assert!(std::mem::size_of::<EntryReport>() <= 80);
    }

    #[test]
    fn entries_made_in_the_documents_order_reach_their_goals_in_the_goals_order() {
        // Newest first is not path order: the folders differ, and so do the goals.
        let files = [
            ("a.md", "---\ngoal: A\n---\n"),
            ("b.md", "---\ngoal: B\n---\n"),
            ("x/2026-01-07.md", "- [x] one #a\n- [ ] two #b\n"),
            ("x/2026-01-08.md", "- [x] three #b\n- [x] four #b\n"),
            ("y/2026-01-05.md", "- [x] five #b\n- [ ] six #a\n"),
            ("y/2026-01-09.md", "- [x] seven #a\n"),
        ];
        let journal = crate::testing::journal(&files);
        let r = report(&files, "2026-02-01");
        let made = |g: usize| {
            let entries = &r.goals[g].entries;
            let files: Vec<&str> = entries.iter().map(|entry| &*entry.file).collect();
            let lines: Vec<usize> = entries.iter().map(|entry| entry.lines.len()).collect();
            (files, lines, serde_json::to_string(entries).unwrap())
        };
        let (files_a, lines_a, json_a) = made(0);
        assert_eq!(
            files_a,
            ["y/2026-01-09.md", "x/2026-01-07.md", "y/2026-01-05.md"]
        );
        assert_eq!(lines_a, [1, 1, 1]);
        let (files_b, lines_b, json_b) = made(1);
        assert_eq!(
            files_b,
            ["x/2026-01-08.md", "x/2026-01-07.md", "y/2026-01-05.md"]
        );
        assert_eq!(lines_b, [2, 1, 1]);
        // What a goal made alone (an analysis after an edit) is given.
        for (goal, json) in journal.goals.iter().zip([json_a, json_b]) {
            let alone = serde_json::to_string(&entry_reports(&journal, goal)).unwrap();
            assert_eq!(alone, json);
        }
    }

    #[test]
    fn the_goals_lists_hold_no_room_beyond_their_goals() {
        let files = [
            ("a.md", "---\ngoal: A\n---\n- [ ] one\n"),
            ("b.md", "---\ngoal: B\n---\n"),
            ("c.md", "---\ngoal: C\n---\n"),
            ("d.md", "---\ngoal: D\n---\n"),
            ("e.md", "---\ngoal: E\n---\n"),
        ];
        let r = report(&files, "2026-02-01");
        // The model's goals, made at their number, not grown by doubling (to 8).
        let journal = crate::testing::journal(&files);
        assert_eq!(journal.goals.capacity(), 5);
        // The report's goals, each made in the box it is shared in (a list of the reports
        // first, collected in place into the list of boxes, kept hundreds of bytes a goal).
        assert_eq!(r.goals.capacity(), 5);
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
        let goal = Arc::unwrap_or_clone(report(&files, "2026-06-01").goals.remove(0));
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
        let goal = Arc::unwrap_or_clone(report(&files, "2026-06-01").goals.remove(0));
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
    fn milestones_of_every_slice_of_documents_reach_their_goals() {
        let steps: Vec<(String, String)> = (0..DOCUMENTS_AT_ONCE + 76)
            .map(|n| (format!("n{n:04}.md"), format!("- [x] step {n} #a\n")))
            .collect();
        let mut files: Vec<(&str, &str)> = vec![("a.md", "---\ngoal: A\n---\n")];
        files.extend(
            steps
                .iter()
                .map(|(path, text)| (path.as_str(), text.as_str())),
        );
        files.push(("z.md", "- [ ] loose\n"));
        let r = report(&files, "2026-06-01");
        let goal = &r.goals[0];
        let count = u32::try_from(steps.len()).unwrap();
        assert_eq!((goal.done, goal.total), (count, count));
        let shown: Vec<(&str, &str)> = goal
            .milestones
            .iter()
            .map(|m| (&*m.file, m.text.as_str()))
            .collect();
        let expected: Vec<(&str, String)> = steps
            .iter()
            .enumerate()
            .map(|(n, (path, _))| (path.as_str(), format!("step {n}")))
            .collect();
        assert!(shown.iter().map(|&(f, t)| (f, t.to_string())).eq(expected));
        let loose: Vec<&str> = r.loose_tasks.iter().map(|m| &*m.file).collect();
        assert_eq!(loose, ["z.md"]);
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
    fn a_parent_rolls_up_its_child_goals_that_are_not_dropped() {
        let text = concat!(
            "---\ngoals:\n  - title: Root\n",
            "  - title: Half\n    parent: root\n",
            "  - title: Deep\n    parent: half\n",
            "  - title: Declared done\n    parent: root\n    status: done\n",
            "  - title: Dropped\n    parent: root\n    status: dropped\n---\n",
            "# Root\n- [x] r1 ✅ 2026-01-05\n- [ ] r2\n- [ ] r3\n",
            "# Half\n- [x] h1 ✅ 2026-02-01\n",
            "# Deep\n- [x] d1 ✅ 2026-03-01\n- [ ] d2\n",
            "# Declared done\n- [ ] x\n",
        );
        let r = report(&[("g.md", text)], "2026-06-01");
        let goal = |id: &str| r.goals.iter().find(|g| g.id == id).unwrap();
        // Deep: 1 of 2. Half: (1 + 0.5) / (1 + 1). Root: (1 + 0.75 + 1) / (3 + 2).
        assert_eq!(goal("deep").progress, 0.5);
        assert_eq!(goal("half").progress, 0.75);
        assert_eq!(goal("root").progress, 0.55);
        let root = goal("root");
        assert_eq!(
            (root.done, root.total, root.progress_own),
            (1, 3, 1.0 / 3.0)
        );
        // The burn-up steps with the children's milestones too.
        let steps: Vec<(String, f64)> = root
            .burn_up
            .iter()
            .map(|p| (p.date.to_string(), p.progress))
            .collect();
        assert_eq!(
            steps,
            [
                ("2026-01-05".into(), 0.2),
                ("2026-01-05".into(), 0.4),
                ("2026-02-01".into(), 0.5),
                ("2026-03-01".into(), 0.55),
                ("2026-06-01".into(), 0.55),
            ]
        );
    }

    #[test]
    fn a_parent_whose_children_are_done_is_done() {
        let text = concat!(
            "---\ngoals:\n  - title: Root\n    due: 2026-03-01\n",
            "  - title: Child\n    parent: root\n---\n",
            "# Root\n- [x] r1 ✅ 2026-01-05\n# Child\n- [x] c1 ✅ 2026-02-01\n",
        );
        let r = report(&[("g.md", text)], "2026-06-01");
        assert_eq!(r.goals[0].status, Status::Done);
        assert_eq!(
            r.goals[0].completed_on,
            Some(crate::testing::day("2026-02-01"))
        );
        let open_child = text.replace("- [x] c1", "- [ ] c1");
        let r = report(&[("g.md", &open_child)], "2026-06-01");
        assert_eq!(r.goals[0].status, Status::Overdue);
    }

    #[test]
    fn a_goal_is_stalled_when_nothing_under_it_moved_for_stalled_after_days() {
        let text = concat!(
            "---\ngoals:\n  - title: Root\n    start: 2026-01-01\n",
            "  - title: Child\n    parent: root\n    start: 2026-01-01\n",
            "  - title: Resting\n    start: 2026-01-01\n    status: paused\n",
            "  - title: Fresh\n    start: 2026-02-20\n---\n",
            "# Root\n- [x] r1 ✅ 2026-01-05\n- [ ] r2\n",
            "# Child\n- [x] c1 ✅ 2026-02-01\n- [ ] c2\n",
            "# Resting\n- [ ] s1\n# Fresh\n- [ ] f1\n",
        );
        let r = report(&[("g.md", text)], "2026-03-01");
        let goal = |id: &str| r.goals.iter().find(|g| g.id == id).unwrap();
        let day = crate::testing::day;
        // The child's milestone moved the root too: 28 days ago.
        assert_eq!(goal("root").last_activity, Some(day("2026-02-01")));
        assert!(goal("root").stalled);
        assert_eq!(
            goal("root").stalled_note.as_deref(),
            Some("nothing done since 2026-02-01 (28 days)")
        );
        assert!(goal("child").stalled);
        assert!(!goal("resting").stalled, "paused");
        assert_eq!(goal("fresh").last_activity, None);
        assert!(!goal("fresh").stalled, "started 9 days ago");
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["goals"][0]["stalled"], true);
        assert_eq!(json["goals"][0]["last_activity"], "2026-02-01");
        assert_eq!(json["goals"][3]["last_activity"], serde_json::Value::Null);
        // A journal's own rule: 30 days.
        let rules = Rules {
            stalled_after_days: 30,
            ..Rules::default()
        };
        let journal = crate::testing::build(vec![crate::testing::parse("g.md", text.as_bytes())]);
        let r = analyse(&journal, &History::default(), day("2026-03-01"), &rules);
        assert!(!r.goals[0].stalled);
    }

    #[test]
    fn an_entry_dated_after_today_counts_from_its_own_date_with_a_warning() {
        let files = [
            ("g.md", "---\ngoal: G\nmetric: {target: 10}\n---\n"),
            ("h.md", "---\ngoal: H\n---\n- [ ] later\n"),
            ("2026-11-02.md", "---\nmetrics: {g: 4}\n---\n"),
            (
                "2026-12-01.md",
                "---\nmetrics: {g: 9}\n---\n- [x] step #h\n",
            ),
        ];
        let r = report(&files, "2026-11-29");
        assert_eq!(r.goals[0].progress, 0.4);
        assert_eq!(r.goals[0].metric.as_ref().unwrap().latest, Some(4.0));
        assert_eq!((r.goals[1].done, r.goals[1].total), (0, 2));
        let warning = r
            .diagnostics
            .iter()
            .find(|d| d.file == "2026-12-01.md")
            .expect("a warning for the entry dated after today");
        assert_eq!(
            warning.message,
            "this entry is dated 2026-12-01, after today (2026-11-29): what it records \
             counts from 2026-12-01"
        );
        // A done marker after today: the same, for the milestone.
        let marked = [("h.md", "---\ngoal: H\n---\n- [x] soon ✅ 2026-12-03\n")];
        let r = report(&marked, "2026-11-29");
        assert_eq!(r.goals[0].done, 0);
        let warning = &r.diagnostics[0];
        assert_eq!(
            (warning.file.as_str(), warning.position.map(|p| p.line)),
            ("h.md", Some(4))
        );
        assert!(
            warning
                .message
                .contains("marked done on 2026-12-03, after today")
        );
        let r = report(&files, "2026-12-01");
        assert_eq!(r.goals[0].progress, 0.9);
        assert_eq!((r.goals[1].done, r.goals[1].total), (1, 2));
        assert!(r.diagnostics.iter().all(|d| d.file != "2026-12-01.md"));
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
            "progress_own",
            "stalled",
            "last_activity",
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
