//! Reviews: what happened in a week, month, quarter or year, and what comes next.
//!
//! A [`Reviewer`] indexes the journal once (entries, done milestones, goal timelines by
//! date); each review is then a few binary searches, so writing every period of a decade
//! stays linear in the size of the journal. A review shares its text with the report
//! and the journal instead of copying it (see [`GoalId`]), and skips the goals that cannot show in its period
//! ([`Reviewer::could_show`]; a unit test checks, over goals of every shape and every
//! period from mid-2024 to the end of 2028, that a skipped goal has nothing to show).
//!
//! Over 500 lines: most of it is the review's row types, which are both its JSON
//! (`trailmark review --format json`) and its templates' data, kept beside the one walk
//! that fills them. Where each active goal stands is computed in [`super::outlook`].

mod keys;

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use serde::Serialize;

use crate::hash::data_hash_and_without;

use super::cadence::{self, CadenceInReview, CheckinInReview};
use super::outlook::{GoalOutlook, MilestoneOrders, outlook};
use super::period::{Period, PeriodKind};
use super::status::{stalled_days, stalled_note, status_at};
use super::timeline::GoalTimeline;
use super::{GoalReport, MilestoneReport, Report, Rules, Status};
use crate::dates::{Date, Weekday};
use crate::document::{MilestoneState, NoteKind};
use crate::model::Journal;
use crate::shared_text::SharedText;

/// The facts of one week, month, quarter or year, and what comes next: what a review page
/// shows and `trailmark review --format json` prints.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Review {
    pub(crate) kind: PeriodKind,
    /// `2026-W45`, `2026-11`, `2026-Q4` or `2026`.
    pub(crate) label: String,
    /// "Week 45, 2026", "November 2026".
    pub(crate) title: String,
    pub(crate) first: Date,
    pub(crate) last: Date,
    /// The day the facts are as of: the period's last day, or today while it lasts. A
    /// review of a past period does not depend on today, so its report stays the same.
    pub(crate) as_of: Date,
    /// The period is not over yet: facts are as of today.
    pub(crate) in_progress: bool,
    /// Labels of the reviews before and after, when there are pages for them.
    pub(crate) previous: Option<String>,
    pub(crate) next: Option<String>,
    /// Milestones done in the period, by goal.
    pub(crate) wins: Vec<GoalWins>,
    /// Leaf milestones done in the period (what progress counts).
    pub(crate) milestones_done: usize,
    pub(crate) win_notes: Vec<NoteItem>,
    pub(crate) feedback: Vec<NoteItem>,
    pub(crate) lessons: Vec<NoteItem>,
    /// The answers to "What to adjust" and "What to learn next" (of a review answered in
    /// the journal, or of any entry with such a section).
    pub(crate) adjustments: Vec<NoteItem>,
    pub(crate) learn_next: Vec<NoteItem>,
    /// Goals that moved in the period, most moved first.
    pub(crate) progress: Vec<GoalProgress>,
    /// Active goals that did not move, by title: listed, not tabled, so that a journal
    /// with hundreds of goals keeps its reviews short.
    pub(crate) unchanged: Vec<GoalProgress>,
    pub(crate) completed: Vec<GoalEvent>,
    pub(crate) became_overdue: Vec<GoalEvent>,
    /// Each with, as `date`, the forecast after the due date when that is what made it
    /// at risk (none when it is behind the straight line from start to due).
    pub(crate) became_at_risk: Vec<GoalEvent>,
    pub(crate) stalled: Vec<GoalEvent>,
    pub(crate) stalled_after_days: i64,
    /// The goals of `became_overdue`, `became_at_risk` and `stalled`, each once with all
    /// its reasons: overdue first, then at risk, then the longest stalled.
    pub(crate) needs_attention: Vec<Attention>,
    /// Where each active goal with news in the period stands at its end: those that
    /// moved in it, became overdue, at risk or stalled in it, or have a milestone that
    /// fell due in it and is still open. Goals with overdue milestones first, then by
    /// title.
    pub(crate) outlook: Vec<GoalOutlook>,
    /// The same for the other active goals, in the same order: templates name only their
    /// next milestone, as the rest says what the last period said (a journal keeps dozens
    /// of goals active and untouched for years, and each review said it all again).
    pub(crate) outlook_without_news: Vec<GoalOutlook>,
    /// Goals with values logged in the period, in the order first logged.
    pub(crate) metrics: Vec<MetricLogged>,
    pub(crate) entries: Vec<EntryItem>,
    pub(crate) previous_entries: usize,
    /// What is due in the period after this one.
    pub(crate) next_period: String,
    pub(crate) due_next: Vec<DueMilestone>,
    pub(crate) goals_due_next: Vec<GoalEvent>,
    /// Each cadence goal's periods that overlap this one, by title.
    pub(crate) cadences: Vec<CadenceInReview>,
    /// Check-ins written in the period, oldest first.
    pub(crate) checkins: Vec<CheckinInReview>,
    /// Nothing happened in the period: no entry, no milestone done, no value logged, no
    /// goal moved (the last week of a journal just started, a `--date` off the mark).
    pub(crate) quiet: bool,
    /// For a quiet review: the latest period of its kind in which something happened, up
    /// to today, to review instead.
    pub(crate) latest_active: Option<PeriodLink>,
}

/// A period named for a person (`title`) and chosen by a day in it (`--date first`).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PeriodLink {
    pub(crate) label: String,
    pub(crate) title: String,
    pub(crate) first: Date,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct GoalWins {
    pub(crate) goal: GoalId,
    pub(crate) title: GoalTitle,
    pub(crate) milestones: Vec<DoneMilestone>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct DoneMilestone {
    pub(crate) text: SharedText,
    /// The text as written, when it has markup.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) markdown: Option<Box<str>>,
    pub(crate) done_on: Date,
    pub(crate) file: Arc<str>,
    pub(crate) line: u32,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct NoteItem {
    pub(crate) text: SharedText,
    /// The text as written, when it has markup.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) markdown: Option<Box<str>>,
    pub(crate) date: Date,
    pub(crate) file: Arc<str>,
    pub(crate) line: u32,
    pub(crate) entry: Arc<str>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct GoalProgress {
    pub(crate) goal: GoalId,
    pub(crate) title: GoalTitle,
    pub(crate) status: Status,
    /// Stalled at the end of the period (or today).
    pub(crate) stalled: bool,
    /// At the end of the day before the period, and at its end (or today).
    pub(crate) start: f64,
    pub(crate) end: f64,
    pub(crate) change: f64,
    pub(crate) done: usize,
}

/// A goal that needs attention, and why, in words ("became overdue on 2026-11-01").
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Attention {
    pub(crate) goal: GoalId,
    pub(crate) title: GoalTitle,
    pub(crate) reasons: Vec<String>,
    /// Where it is listed: 0 overdue, 1 at risk, then stalled by days, longest first.
    #[serde(skip)]
    rank: (u8, std::cmp::Reverse<i64>),
}

impl Attention {
    fn of(rows: &GoalRows) -> Option<Attention> {
        let mut reasons = Vec::new();
        let mut rank = None;
        if let Some(overdue) = &rows.became_overdue {
            let on = overdue.date.map(|d| format!(" on {d}")).unwrap_or_default();
            reasons.push(format!("became overdue{on}"));
            rank = Some((0, std::cmp::Reverse(0)));
        }
        if rows.became_at_risk.is_some() {
            reasons.push(format!("became at-risk: {}", rows.at_risk_because));
            rank = rank.or(Some((1, std::cmp::Reverse(0))));
        }
        if let Some(stalled) = &rows.stalled {
            let days = stalled.days.unwrap_or(0);
            reasons.push(format!("stalled: {}", stalled_note(stalled.date, days)));
            rank = rank.or(Some((2, std::cmp::Reverse(days))));
        }
        let any = rows
            .became_overdue
            .as_ref()
            .or(rows.became_at_risk.as_ref())
            .or(rows.stalled.as_ref())?;
        Some(Attention {
            goal: any.goal.clone(),
            title: any.title.clone(),
            reasons,
            rank: rank?,
        })
    }
}

/// A goal and the day something happened to it (completed, became overdue, last moved).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct GoalEvent {
    pub(crate) goal: GoalId,
    pub(crate) title: GoalTitle,
    pub(crate) date: Option<Date>,
    /// Days since `date`, for stalled goals.
    pub(crate) days: Option<i64>,
}

/// A metric's values logged in a period: where it started, where it ended, and the
/// target, so that a value logged twice reads as no change rather than twice.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MetricLogged {
    pub(crate) goal: GoalId,
    pub(crate) title: GoalTitle,
    /// The last value logged before the period, else the metric's baseline.
    pub(crate) start: f64,
    /// The last value logged in the period, on `date` in `file`.
    pub(crate) end: f64,
    pub(crate) change: f64,
    pub(crate) target: f64,
    pub(crate) unit: Option<String>,
    /// How many values were logged in the period.
    pub(crate) logged: usize,
    pub(crate) date: Date,
    pub(crate) file: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct EntryItem {
    pub(crate) file: Arc<str>,
    pub(crate) title: Arc<str>,
    pub(crate) date: Date,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct DueMilestone {
    pub(crate) text: SharedText,
    /// The text as written, when it has markup.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) markdown: Option<Box<str>>,
    pub(crate) due: Date,
    pub(crate) goal: Option<GoalId>,
    pub(crate) title: Option<GoalTitle>,
    pub(crate) file: Arc<str>,
    pub(crate) line: u32,
}

/// A goal's id as a review's row holds it: shared with the goal's report, so that a
/// review owns its text (a review page reads it as it is, see `render::lazy`) without
/// copying it.
#[derive(Clone)]
pub(crate) struct GoalId(Arc<GoalReport>);

/// A goal's title as a review's row holds it (see [`GoalId`]).
#[derive(Clone)]
pub(crate) struct GoalTitle(Arc<GoalReport>);

impl GoalId {
    pub(crate) fn of(goal: &Arc<GoalReport>) -> GoalId {
        GoalId(Arc::clone(goal))
    }
}

impl GoalTitle {
    pub(crate) fn of(goal: &Arc<GoalReport>) -> GoalTitle {
        GoalTitle(Arc::clone(goal))
    }
}

impl std::ops::Deref for GoalId {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0.id
    }
}

impl std::ops::Deref for GoalTitle {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0.title
    }
}

impl std::fmt::Debug for GoalId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

impl std::fmt::Debug for GoalTitle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

/// Serialized as the text it is.
impl Serialize for GoalId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self)
    }
}

/// Serialized as the text it is.
impl Serialize for GoalTitle {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self)
    }
}

/// A done milestone, by goal and place in the goal's list.
struct DoneAt {
    date: Date,
    goal: usize,
    milestone: usize,
}

/// A note of an entry, by entry and place in its notes.
struct Entry<'a> {
    /// Its document's place in the journal.
    document: usize,
    date: Date,
    file: &'a Arc<str>,
    title: &'a Arc<str>,
    notes: &'a [crate::document::Note],
}

/// The journal indexed by date, to write reviews from.
pub(crate) struct Reviewer<'a> {
    report: &'a Report,
    timelines: &'a [Arc<GoalTimeline>],
    /// Dated entries, oldest first.
    entries: Vec<Entry<'a>>,
    /// What it indexes of the report's goals.
    indexed: GoalIndex,
    /// Each goal's milestones in the orders its outlooks read them in, made when a
    /// review first reads them: a build after an edit reviews a few periods, and sorting
    /// every goal's milestones for it was a third of making its reviewer.
    milestone_orders: Vec<OnceLock<MilestoneOrders>>,
    /// The days up to today with a milestone done, an entry or a value logged, in order,
    /// once each: made at the first [`Reviewer::active_periods`].
    active_days: OnceLock<Vec<Date>>,
}

/// What a [`Reviewer`] indexes of a report's goals, kept by a workspace that builds again
/// after each edit (`watch`) for the next reviewer, which makes again only the part of the
/// goals whose report or timeline changed ([`GoalIndex::after`]): walking every goal's
/// milestones for those done and those due, and sorting the done ones, took 11 ms of every
/// rebuild at 100,000 files.
pub(crate) struct GoalIndex {
    /// What it was made of, to tell the goals an analysis made again (not shared) from
    /// the others. Held, so that no goal made later can be at a place of one of these.
    goals: Vec<Arc<GoalReport>>,
    timelines: Vec<Arc<GoalTimeline>>,
    loose_tasks: Arc<Vec<MilestoneReport>>,
    rules: Rules,
    spans: Vec<GoalSpan>,
    /// Done milestones with a date, by (date, goal, milestone).
    done: Vec<DoneAt>,
    /// Metric values: (date, goal, index into its values), oldest first.
    metrics: Vec<(Date, usize, usize)>,
    /// Open milestones with a due date, soonest first: sorted once, so each review only
    /// slices out its period instead of scanning every milestone.
    open_due: Vec<DueMilestone>,
    /// Every goal's check-ins, oldest first.
    checkins: Vec<CheckinInReview>,
    /// Each check-in's (date, goal), oldest first: the goals a period's check-ins
    /// involve, without looking each goal up by its id.
    checked_in: Vec<(Date, usize)>,
    /// The goals with a cadence.
    cadence_goals: Vec<usize>,
}

impl GoalIndex {
    pub(crate) fn of(report: &Report) -> GoalIndex {
        let all: Vec<usize> = (0..report.goals.len()).collect();
        GoalIndex {
            goals: report.goals.clone(),
            timelines: report.timelines.clone(),
            loose_tasks: Arc::clone(&report.loose_tasks),
            rules: report.rules,
            spans: (report.goals.iter().zip(&report.timelines))
                .map(|(goal, timeline)| GoalSpan::of(goal, timeline, &report.rules))
                .collect(),
            done: done_of(report, &all),
            metrics: metrics_of(report, &all),
            open_due: open_due(report),
            checkins: checkins_of(report),
            checked_in: checked_in_of(report, &all),
            cadence_goals: all
                .into_iter()
                .filter(|&g| report.goals[g].cadence.is_some())
                .collect(),
        }
    }

    /// This index made again for `report`, an analysis after it: for each goal whose
    /// report or timeline is not the one it was made of (as `analyse::again` shares them),
    /// its part is taken out and made again; check-ins and the milestones due are made
    /// again whole when such a goal has any, before or after. Made whole when the goals
    /// are not as many or the rules changed, or when many goals changed (a new day's
    /// entry changes every goal).
    pub(crate) fn after(self, report: &Report) -> GoalIndex {
        if self.goals.len() != report.goals.len() || self.rules != report.rules {
            return GoalIndex::of(report);
        }
        let changed: Vec<usize> = (0..report.goals.len())
            .filter(|&g| {
                !Arc::ptr_eq(&self.goals[g], &report.goals[g])
                    || !Arc::ptr_eq(&self.timelines[g], &report.timelines[g])
            })
            .collect();
        if changed.len() * MADE_WHOLE_BEYOND > report.goals.len() {
            return GoalIndex::of(report);
        }
        if changed.is_empty() && Arc::ptr_eq(&self.loose_tasks, &report.loose_tasks) {
            return self;
        }
        let mut is_changed = vec![false; report.goals.len()];
        for &g in &changed {
            is_changed[g] = true;
        }
        let either_has = |has: fn(&GoalReport) -> bool| {
            (changed.iter()).any(|&g| has(&self.goals[g]) || has(&report.goals[g]))
        };
        let due_changed = !Arc::ptr_eq(&self.loose_tasks, &report.loose_tasks)
            || either_has(|goal| goal.milestones.iter().any(is_open_due));
        let checkins_changed = either_has(|goal| !goal.checkins.is_empty());
        let GoalIndex {
            mut spans,
            done,
            metrics,
            open_due: kept_due,
            checkins: kept_checkins,
            checked_in,
            mut cadence_goals,
            ..
        } = self;
        for &g in &changed {
            spans[g] = GoalSpan::of(&report.goals[g], &report.timelines[g], &report.rules);
        }
        cadence_goals.retain(|&g| !is_changed[g]);
        cadence_goals.extend((changed.iter()).filter(|&&g| report.goals[g].cadence.is_some()));
        cadence_goals.sort_unstable();
        GoalIndex {
            goals: report.goals.clone(),
            timelines: report.timelines.clone(),
            loose_tasks: Arc::clone(&report.loose_tasks),
            rules: report.rules,
            spans,
            done: merged(
                done,
                &is_changed,
                |d| d.goal,
                done_of(report, &changed),
                |d| (d.date, d.goal, d.milestone),
            ),
            metrics: merged(
                metrics,
                &is_changed,
                |m| m.1,
                metrics_of(report, &changed),
                |m| *m,
            ),
            open_due: if due_changed {
                open_due(report)
            } else {
                kept_due
            },
            checkins: if checkins_changed {
                checkins_of(report)
            } else {
                kept_checkins
            },
            checked_in: merged(
                checked_in,
                &is_changed,
                |c| c.1,
                checked_in_of(report, &changed),
                |c| *c,
            ),
            cadence_goals,
        }
    }
}

/// Pushes each of the dates `sorted` (in order) onto `days` once.
fn push_each_once(days: &mut Vec<Date>, sorted: impl Iterator<Item = Date>) {
    let mut last = None;
    for date in sorted {
        if last != Some(date) {
            days.push(date);
            last = Some(date);
        }
    }
}

/// More than one goal in this many changed, a [`GoalIndex`] is made whole: its parts of
/// the changed goals, taken out and merged in, would be most of it.
const MADE_WHOLE_BEYOND: usize = 8;

/// `kept` (sorted by `key`) without the items of the goals `changed` (by `goal_of`), and
/// `made` (sorted by `key`, of those goals) merged in: the order sorting both together
/// gives, as `key` orders every item of a goal and goal apart.
fn merged<T, K: Ord>(
    kept: Vec<T>,
    changed: &[bool],
    goal_of: impl Fn(&T) -> usize,
    made: Vec<T>,
    key: impl Fn(&T) -> K,
) -> Vec<T> {
    let mut all = Vec::with_capacity(kept.len() + made.len());
    let mut made = made.into_iter().peekable();
    for item in kept.into_iter().filter(|item| !changed[goal_of(item)]) {
        while let Some(next) = made.next_if(|next| key(next) < key(&item)) {
            all.push(next);
        }
        all.push(item);
    }
    all.extend(made);
    all
}

/// The done milestones with a date of the goals `goals` (in order), by (date, goal,
/// milestone).
fn done_of(report: &Report, goals: &[usize]) -> Vec<DoneAt> {
    let mut done = Vec::new();
    for &g in goals {
        for (m, milestone) in report.goals[g].milestones.iter().enumerate() {
            let shown = milestone.state == MilestoneState::Done
                || (milestone.leaf && milestone.effective_state == MilestoneState::Done);
            if let (true, Some(date)) = (shown, milestone.done_on) {
                done.push(DoneAt {
                    date,
                    goal: g,
                    milestone: m,
                });
            }
        }
    }
    // Pushed by goal, then milestone: a stable sort by date alone gives the order by
    // (date, goal, milestone), in fewer comparisons of smaller keys.
    done.sort_by_key(|d| d.date);
    done
}

/// The metric values of the goals `goals`, oldest first.
fn metrics_of(report: &Report, goals: &[usize]) -> Vec<(Date, usize, usize)> {
    let mut metrics: Vec<(Date, usize, usize)> = (goals.iter())
        .flat_map(|&g| {
            let values = report.goals[g].metric.iter().flat_map(|m| m.values.iter());
            values.enumerate().map(move |(v, value)| (value.date, g, v))
        })
        .collect();
    metrics.sort_unstable();
    metrics
}

/// The (date, goal) of each check-in of the goals `goals`, oldest first.
fn checked_in_of(report: &Report, goals: &[usize]) -> Vec<(Date, usize)> {
    let mut checked_in: Vec<(Date, usize)> = (goals.iter())
        .flat_map(|&g| (report.goals[g].checkins.iter()).map(move |checkin| (checkin.date, g)))
        .collect();
    checked_in.sort_unstable();
    checked_in
}

/// Every goal's check-ins, by date and goal title.
fn checkins_of(report: &Report) -> Vec<CheckinInReview> {
    let mut checkins: Vec<CheckinInReview> = report
        .goals
        .iter()
        .flat_map(|goal| {
            goal.checkins.iter().map(|c| CheckinInReview {
                goal: GoalId::of(goal),
                title: GoalTitle::of(goal),
                date: c.date,
                confidence: c.confidence,
                note: c.note.clone(),
                file: c.file.clone(),
            })
        })
        .collect();
    checkins.sort_by(|a, b| (a.date, &*a.title).cmp(&(b.date, &*b.title)));
    checkins
}

impl<'a> Reviewer<'a> {
    pub(crate) fn new(journal: &'a Journal, report: &'a Report) -> Reviewer<'a> {
        Reviewer::with_index(journal, report, GoalIndex::of(report))
    }

    /// A reviewer of `report` that indexes its goals as `indexed` does (made for it).
    pub(crate) fn with_index(
        journal: &'a Journal,
        report: &'a Report,
        indexed: GoalIndex,
    ) -> Reviewer<'a> {
        let mut entries: Vec<Entry> = journal
            .documents
            .iter()
            .enumerate()
            .filter_map(|(document, d)| {
                Some(Entry {
                    document,
                    date: d.date?,
                    file: &d.path,
                    title: &d.title,
                    notes: &d.notes,
                })
            })
            .collect();
        // By date, then path: the documents are sorted by path, and a stable sort by date
        // keeps that order among the entries of a day. Comparing paths in the sort was a
        // third of a `watch` rebuild's sorting at 100,000 files.
        entries.sort_by_key(|entry| entry.date);
        Reviewer {
            report,
            timelines: &report.timelines,
            entries,
            indexed,
            milestone_orders: report.goals.iter().map(|_| OnceLock::new()).collect(),
            active_days: OnceLock::new(),
        }
    }

    /// What it indexes of the report's goals, for the next reviewer's
    /// [`GoalIndex::after`].
    pub(crate) fn into_index(self) -> GoalIndex {
        self.indexed
    }

    /// Every period of `kind` up to today in which something happened (a milestone done,
    /// an entry written, a value logged), newest first.
    pub(crate) fn active_periods(&self, kind: PeriodKind) -> Vec<Period> {
        let days = self.active_days.get_or_init(|| {
            // Each list is sorted by date, so its days once each are one pass over it, a
            // few thousand to sort together (sorting the date of every milestone done,
            // entry and value, 240,000 at 100,000 files, was 5% of a rebuild).
            let mut days = Vec::new();
            push_each_once(&mut days, self.indexed.done.iter().map(|d| d.date));
            push_each_once(&mut days, self.entries.iter().map(|e| e.date));
            push_each_once(&mut days, self.indexed.metrics.iter().map(|m| m.0));
            days.sort_unstable();
            days.dedup();
            let today = self.report.today;
            days.retain(|day| *day <= today);
            days
        });
        let week_start = self.report.rules.week_start;
        // Days in order: a day in the last period found needs no period of its own (the
        // periods of every day, sorted, were a twentieth of a rebuild after one edit).
        let mut periods: Vec<Period> = Vec::new();
        for &day in days {
            if periods.last().is_none_or(|period| period.last < day) {
                periods.push(Period::containing(kind, day, week_start));
            }
        }
        periods.reverse();
        periods
    }

    pub(crate) fn review(&self, period: Period) -> Review {
        let today = self.report.today;
        let rules = self.report.rules;
        let as_of = period.last.min(today);
        let goals = &self.report.goals;
        let next_period = period.next();
        let entries = slice_by_date(&self.entries, period, |e| e.date);
        let notes = |kind: NoteKind| -> Vec<NoteItem> {
            entries
                .iter()
                .flat_map(|e| {
                    e.notes
                        .iter()
                        .filter(move |n| n.kind == kind)
                        .map(|n| NoteItem {
                            text: n.text.clone(),
                            markdown: n.markdown.clone(),
                            date: e.date,
                            file: Arc::clone(e.file),
                            line: n.position.line,
                            entry: Arc::clone(e.title),
                        })
                })
                .collect()
        };

        let mut wins: Vec<GoalWins> = Vec::new();
        // Each goal's group, by goal: a search through the groups for every milestone
        // made a year of a large journal quadratic (thousands of goals with wins).
        let mut group_of: HashMap<usize, usize> = HashMap::new();
        for done in slice_by_date(&self.indexed.done, period, |d| d.date) {
            let goal = &goals[done.goal];
            let milestone = &goal.milestones[done.milestone];
            let item = DoneMilestone {
                text: milestone.text.clone(),
                markdown: milestone.markdown().map(Box::from),
                done_on: done.date,
                file: Arc::clone(&milestone.file),
                line: milestone.line,
            };
            match group_of.get(&done.goal) {
                Some(&group) => wins[group].milestones.push(item),
                None => {
                    group_of.insert(done.goal, wins.len());
                    wins.push(GoalWins {
                        goal: GoalId::of(goal),
                        title: GoalTitle::of(goal),
                        milestones: vec![item],
                    });
                }
            }
        }

        let mut progress = Vec::new();
        let mut unchanged = Vec::new();
        let mut completed = Vec::new();
        let mut became_overdue = Vec::new();
        let mut became_at_risk = Vec::new();
        let mut stalled = Vec::new();
        let mut needs_attention = Vec::new();
        let mut goals_due_next = Vec::new();
        let mut outlook = Vec::new();
        let mut outlook_without_news = Vec::new();
        let mut milestones_done = 0;
        for g in (0..goals.len()).filter(|&g| self.could_show(g, period)) {
            let rows = self.goal_rows(g, period);
            needs_attention.extend(Attention::of(&rows));
            milestones_done += rows.done;
            progress.extend(rows.progress);
            unchanged.extend(rows.unchanged);
            completed.extend(rows.completed);
            became_overdue.extend(rows.became_overdue);
            became_at_risk.extend(rows.became_at_risk);
            stalled.extend(rows.stalled);
            goals_due_next.extend(rows.due_next);
            if rows.news {
                outlook.extend(rows.outlook);
            } else {
                outlook_without_news.extend(rows.outlook);
            }
        }
        progress.sort_by(|a, b| {
            b.change
                .total_cmp(&a.change)
                .then(b.done.cmp(&a.done))
                .then(a.title.cmp(&b.title))
        });
        unchanged.sort_by(|a, b| a.title.cmp(&b.title));
        stalled.sort_by_key(|e| std::cmp::Reverse(e.days));
        needs_attention.sort_by_key(|a| a.rank);
        for list in [&mut outlook, &mut outlook_without_news] {
            list.sort_by(|a, b| {
                b.overdue
                    .len()
                    .cmp(&a.overdue.len())
                    .then(a.title.cmp(&b.title))
            });
        }
        let metrics = self.metrics_logged(period);
        let quiet = entries.is_empty()
            && milestones_done == 0
            && wins.is_empty()
            && metrics.is_empty()
            && progress.is_empty();
        let latest_active = quiet
            .then(|| self.active_periods(period.kind).into_iter().next())
            .flatten()
            .map(|active| PeriodLink {
                label: active.to_string(),
                title: active.title(),
                first: active.first,
            });

        Review {
            kind: period.kind,
            label: period.to_string(),
            title: period.title(),
            first: period.first,
            last: period.last,
            as_of,
            in_progress: period.last >= today,
            previous: None,
            next: None,
            wins,
            milestones_done,
            win_notes: notes(NoteKind::Win),
            feedback: notes(NoteKind::Feedback),
            lessons: notes(NoteKind::Lesson),
            adjustments: notes(NoteKind::Adjustment),
            learn_next: notes(NoteKind::LearnNext),
            progress,
            unchanged,
            completed,
            became_overdue,
            became_at_risk,
            stalled,
            stalled_after_days: rules.stalled_after_days,
            needs_attention,
            outlook,
            outlook_without_news,
            metrics,
            entries: entries
                .iter()
                .map(|e| EntryItem {
                    file: Arc::clone(e.file),
                    title: Arc::clone(e.title),
                    date: e.date,
                })
                .collect(),
            previous_entries: slice_by_date(&self.entries, period.previous(), |e| e.date).len(),
            next_period: next_period.title(),
            due_next: self.due_in(next_period),
            goals_due_next,
            quiet,
            latest_active,
            cadences: self.cadences(period, as_of),
            checkins: slice_by_date(&self.indexed.checkins, period, |c| c.date).to_vec(),
        }
    }

    /// The cadence goals' periods that overlap `period`, by title.
    fn cadences(&self, period: Period, as_of: Date) -> Vec<CadenceInReview> {
        let week_start = self.report.rules.week_start;
        let mut cadences: Vec<CadenceInReview> = (self.indexed.cadence_goals.iter())
            .filter_map(|&g| {
                let goal = &self.report.goals[g];
                let today = self.report.today;
                cadence::in_review(goal, (period.first, period.last), as_of, today, week_start)
            })
            .collect();
        cadences.sort_by(|a, b| a.title.cmp(&b.title));
        cadences
    }

    /// The metrics with values logged in `period`, each once, in the order first logged.
    fn metrics_logged(&self, period: Period) -> Vec<MetricLogged> {
        let goals = &self.report.goals;
        let mut logged: Vec<MetricLogged> = Vec::new();
        let mut row_of: HashMap<usize, usize> = HashMap::new();
        for &(date, g, v) in slice_by_date(&self.indexed.metrics, period, |m| m.0) {
            let metric = goals[g].metric.as_ref().expect("values come from a metric");
            let value = &metric.values[v];
            if let Some(&row) = row_of.get(&g) {
                let row = &mut logged[row];
                row.end = value.value;
                row.change = row.end - row.start;
                row.logged += 1;
                row.date = date;
                row.file.clone_from(&value.file);
                continue;
            }
            // Values are sorted by date: the one before the period is the last before it.
            let start = metric
                .values
                .iter()
                .rfind(|earlier| earlier.date < period.first)
                .map_or(metric.baseline, |earlier| earlier.value);
            row_of.insert(g, logged.len());
            logged.push(MetricLogged {
                goal: GoalId::of(&goals[g]),
                title: GoalTitle::of(&goals[g]),
                start,
                end: value.value,
                change: value.value - start,
                target: metric.target,
                unit: metric.unit.clone(),
                logged: 1,
                date,
                file: value.file.clone(),
            });
        }
        logged
    }

    /// Whether goal `g` can show in the review of `period` at all. Most goals of a long
    /// journal cannot: done or dropped and quiet before the period began, or not
    /// started, untouched and not due until after it. Skipping them keeps
    /// a decade of reviews from each looking at every goal of the decade. The reasoning
    /// is tested: a goal skipped here has no rows (see the tests).
    fn could_show(&self, g: usize, period: Period) -> bool {
        let as_of = period.last.min(self.report.today);
        // A period that has not begun (`trailmark review --date` ahead of today) is seen
        // as of today, before it starts: the reasoning below is for begun ones.
        if as_of < period.first {
            return true;
        }
        !self.settled_before(g, period) && !self.not_yet(g, period)
    }

    /// Whether goal `g` is done or dropped and quiet before `period` began: true of a
    /// begun period, then of every later one.
    fn settled_before(&self, g: usize, period: Period) -> bool {
        self.indexed.spans[g]
            .settled
            .is_some_and(|settled| period.first > settled)
    }

    /// Whether goal `g` is, as of the end of the begun `period` (or today), not started,
    /// untouched and not due before the period after it ends: true of a period, then of
    /// every earlier one.
    fn not_yet(&self, g: usize, period: Period) -> bool {
        let as_of = period.last.min(self.report.today);
        let span = &self.indexed.spans[g];
        span.start.is_some_and(|start| as_of < start)
            && span.first.is_none_or(|first| first > as_of)
            && span.due.is_none_or(|due| due > period.next().last)
    }

    /// What goal `g` adds to the review of `period`.
    fn goal_rows(&self, g: usize, period: Period) -> GoalRows {
        let today = self.report.today;
        let rules = self.report.rules;
        let as_of = period.last.min(today);
        let before = period.first.add_days(-1);
        let goal = &self.report.goals[g];
        let timeline = &self.timelines[g];
        let event = |date: Option<Date>| GoalEvent {
            goal: GoalId::of(goal),
            title: GoalTitle::of(goal),
            date,
            days: None,
        };
        let started = goal.start.is_none_or(|s| s <= as_of);
        let (status_before, _) = status_at(goal, timeline, before, &rules);
        // As of today the status is the report's, so that a review in progress says what
        // every other page says; a past one's is what the same rules said then.
        let (status_end, forecast_end) = if as_of == today {
            (goal.status, goal.forecast)
        } else {
            status_at(goal, timeline, as_of, &rules)
        };
        // When a forecast after the due date is what makes the goal at risk.
        let late_forecast = forecast_end.filter(|f| goal.due.is_some_and(|due| *f > due));
        let became_at_risk = status_end == Status::AtRisk && status_before != Status::AtRisk;
        let at_risk_because = match (became_at_risk, &goal.cadence, late_forecast) {
            (false, _, _) => String::new(),
            (true, Some(cadence), _) => format!(
                "behind the even pace of {} a {}",
                cadence.count,
                cadence.per.as_str()
            ),
            (true, None, Some(forecast)) => {
                format!("at its recent pace done around {forecast}, after the due date")
            }
            (true, None, None) => "behind the straight line from start to due".to_string(),
        };
        let (start, end) = (timeline.progress_at(before), timeline.progress_at(as_of));
        let done = timeline.done_between(period.first, as_of);
        let active = started && !status_end.is_final() && status_end != Status::Paused;
        let moved = end != start || done > 0;
        let last_moved = timeline.last_activity(as_of);
        // A cadence goal is never stalled: its periods say whether it is kept up.
        let stalled = stalled_days(
            status_end,
            goal.start,
            last_moved,
            as_of,
            rules.stalled_after_days,
        )
        .filter(|_| goal.cadence.is_none())
        .map(|days| GoalEvent {
            days: Some(days),
            ..event(last_moved)
        });
        let row = || GoalProgress {
            goal: GoalId::of(goal),
            title: GoalTitle::of(goal),
            status: status_end,
            stalled: stalled.is_some(),
            start,
            end,
            change: end - start,
            done,
        };
        let open = !status_end.is_final();
        let became_overdue = status_end == Status::Overdue && status_before != Status::Overdue;
        // Stalled since a day in the period: nothing moved it for the whole delay until then.
        let became_stalled = stalled.as_ref().is_some_and(|s| {
            s.days.unwrap_or(0) - rules.stalled_after_days <= period.first.days_until(as_of)
        });
        let outlook = active.then(|| {
            let orders = self.milestone_orders[g].get_or_init(|| MilestoneOrders::of(goal));
            outlook(goal, orders, timeline, status_end, as_of, today)
        });
        let fell_due = outlook.as_ref().is_some_and(|o| {
            o.overdue
                .iter()
                .any(|m| m.due.is_some_and(|due| period.contains(due)))
        });
        let news = moved || became_overdue || became_at_risk || became_stalled || fell_due;
        GoalRows {
            outlook,
            news,
            done,
            progress: moved.then(row),
            unchanged: (!moved && active).then(row),
            completed: goal
                .completed_on
                .filter(|d| period.contains(*d) && *d <= today)
                .map(|on| event(Some(on))),
            // A cadence goal becomes overdue when a period ends missed, not on a due day.
            became_overdue: became_overdue.then(|| {
                event(
                    goal.due
                        .filter(|_| goal.cadence.is_none())
                        .map(|d| d.add_days(1)),
                )
            }),
            became_at_risk: became_at_risk.then(|| event(late_forecast)),
            at_risk_because,
            stalled,
            due_next: (open && goal.due.is_some_and(|d| period.next().contains(d)))
                .then(|| event(goal.due)),
        }
    }

    /// Open milestones due in `period`, soonest first.
    fn due_in(&self, period: Period) -> Vec<DueMilestone> {
        slice_by_date(&self.indexed.open_due, period, |m| m.due).to_vec()
    }
}

/// What one goal adds to a review; nothing at all for most goals of most periods.
#[derive(Debug, Default)]
struct GoalRows {
    /// Leaves done in the period.
    done: usize,
    progress: Option<GoalProgress>,
    unchanged: Option<GoalProgress>,
    completed: Option<GoalEvent>,
    became_overdue: Option<GoalEvent>,
    became_at_risk: Option<GoalEvent>,
    /// What made it at risk, in words, when it became so.
    at_risk_because: String,
    stalled: Option<GoalEvent>,
    due_next: Option<GoalEvent>,
    outlook: Option<GoalOutlook>,
    /// It moved, became overdue, at risk or stalled, or a milestone of it fell due.
    news: bool,
}

/// The dates outside which a goal cannot show in a review (see [`Reviewer::could_show`]).
struct GoalSpan {
    /// Its first dated fact: a leaf done or a value logged.
    first: Option<Date>,
    /// From this day on, nothing about the goal changes and it is done or dropped;
    /// `None` while it may still change.
    settled: Option<Date>,
    /// Its start and due dates, as its report has them. [`Reviewer::could_show`] reads
    /// them of every goal for every period: read from each goal's report, far apart in
    /// memory, the start date's load alone was an eighth of `Reviewer::review`'s own
    /// time at 100,000 files, waiting for memory.
    start: Option<Date>,
    due: Option<Date>,
}

impl GoalSpan {
    fn of(goal: &GoalReport, timeline: &GoalTimeline, rules: &Rules) -> GoalSpan {
        let (first, last) = timeline.dated_span().unzip();
        // A cadence goal's status moves with the calendar (a period missed), not only
        // with its facts: it never settles.
        let (start, due) = (goal.start, goal.due);
        if goal.cadence.is_some() {
            return GoalSpan {
                first,
                settled: None,
                start,
                due,
            };
        }
        // Past its last dated fact a goal's progress is constant, so is its status (the
        // status rules read only progress, the dates and what the front-matter declares).
        // (Its completion day is one of its dated facts. A paused goal is not final: it
        // still shows when it is due.)
        let quiet_from = last.unwrap_or(Date::MIN);
        let is_final = status_at(goal, timeline, quiet_from, rules).0.is_final();
        GoalSpan {
            first,
            settled: is_final.then_some(quiet_from),
            start,
            due,
        }
    }
}

fn is_open_due(milestone: &MilestoneReport) -> bool {
    milestone.effective_state == MilestoneState::Open && milestone.due.is_some()
}

/// Every open milestone with a due date, of goals and loose, sorted by date and text.
fn open_due(report: &Report) -> Vec<DueMilestone> {
    let of_goals = report
        .goals
        .iter()
        .flat_map(|g| g.milestones.iter().map(move |m| (m, Some(g))));
    let loose = report.loose_tasks.iter().map(|m| (m, None));
    let mut due: Vec<DueMilestone> = of_goals
        .chain(loose)
        .filter(|(m, _)| is_open_due(m))
        .filter_map(|(m, goal)| {
            Some(DueMilestone {
                text: m.text.clone(),
                markdown: m.markdown().map(Box::from),
                due: m.due?,
                goal: goal.map(GoalId::of),
                title: goal.map(GoalTitle::of),
                file: Arc::clone(&m.file),
                line: m.line,
            })
        })
        .collect();
    due.sort_by(|a, b| (a.due, a.text.as_str()).cmp(&(b.due, b.text.as_str())));
    due
}

/// The items of `sorted` (by `date_of`) that fall in `period`.
fn slice_by_date<T>(sorted: &[T], period: Period, date_of: impl Fn(&T) -> Date) -> &[T] {
    &sorted[range_by_date(sorted, period, date_of)]
}

/// Where the items of `sorted` (by `date_of`) that fall in `period` are.
fn range_by_date<T>(
    sorted: &[T],
    period: Period,
    date_of: impl Fn(&T) -> Date,
) -> std::ops::Range<usize> {
    let start = sorted.partition_point(|item| date_of(item) < period.first);
    let end = sorted.partition_point(|item| date_of(item) <= period.last);
    start..end.max(start)
}

/// How far back `build` writes weekly reviews: the weeks that end in the last year.
/// A week's review plans the next one; an older week is read in its month's review,
/// which lists every milestone, note and value of it. A decade of weeks was a third of
/// the reports of a large journal (`trailmark review --period week` prints any week).
const WEEKS_REVIEWED_FOR_DAYS: i64 = 365;

/// Reviews of every period of the `kinds` asked for with activity (weeks: of the last
/// year), newest first within each kind, each linked to the one before and after it.
pub(crate) fn all_reviews(
    journal: &Journal,
    report: &Report,
    kinds: &[PeriodKind],
) -> Vec<Arc<Review>> {
    let reviewer = Reviewer::new(journal, report);
    reviewer
        .scheduled(kinds)
        .par_iter()
        .map(|scheduled| Arc::new(reviewer.scheduled_review(scheduled)))
        .collect()
}

/// A review a build writes: its period, and the labels of the reviews before and after it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Scheduled {
    pub(crate) period: Period,
    pub(crate) previous: Option<String>,
    pub(crate) next: Option<String>,
}

impl Scheduled {
    /// `2026-W45`, `2026-11`, ...: unique among a build's reviews.
    pub(crate) fn label(&self) -> String {
        self.period.to_string()
    }
}

impl<'a> Reviewer<'a> {
    /// The reviews a build writes: of every period of `kinds` with activity (weeks: of the
    /// last year), kind by kind, newest first.
    pub(crate) fn scheduled(&self, kinds: &[PeriodKind]) -> Vec<Scheduled> {
        let weeks_since = self.report.today.add_days(-WEEKS_REVIEWED_FOR_DAYS);
        let mut scheduled = Vec::new();
        for &kind in kinds {
            let mut periods = self.active_periods(kind);
            if kind == PeriodKind::Week {
                periods.retain(|week| week.last > weeks_since);
            }
            scheduled.extend(periods.iter().enumerate().map(|(index, period)| Scheduled {
                period: *period,
                previous: periods.get(index + 1).map(Period::to_string),
                next: index.checked_sub(1).map(|newer| periods[newer].to_string()),
            }));
        }
        scheduled
    }

    /// The review of `scheduled`, linked to the ones before and after it.
    pub(crate) fn scheduled_review(&self, scheduled: &Scheduled) -> Review {
        let mut review = self.review(scheduled.period);
        review.previous.clone_from(&scheduled.previous);
        review.next.clone_from(&scheduled.next);
        review
    }
}

/// Each goal's hashes, in the report's order, made in one pass over each goal on every
/// core.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct GoalHashes {
    /// Of its whole report: what its pages' fingerprints are made from.
    pub(crate) whole: Vec<u64>,
    /// As a review reads it: its report but for the entries that mention it (which no
    /// review shows, and which move with every edit of such an entry), and its timeline,
    /// which holds what its sub-goals add to its progress.
    pub(crate) for_reviews: Vec<u64>,
}

#[cfg(test)]
pub(crate) fn goal_hashes(report: &Report) -> GoalHashes {
    goal_hashes_after(report, None, &[])
}

/// A report's goals with their hashes, kept for the next report's: a goal it shares
/// (the same report and timeline, see `analyse::again`) has the same hashes.
pub(crate) struct HashedGoals {
    goals: Vec<Arc<GoalReport>>,
    timelines: Vec<Arc<GoalTimeline>>,
    hashes: GoalHashes,
}

impl HashedGoals {
    pub(crate) fn of(report: &Report, hashes: GoalHashes) -> HashedGoals {
        HashedGoals {
            goals: report.goals.clone(),
            timelines: report.timelines.clone(),
            hashes,
        }
    }
}

/// [`goal_hashes`], taken from `last` for each goal the report shares with it at the
/// same place, and from `known` (whole and for reviews, by goal; shorter when fewer are
/// known) for each goal known to have the report they were made of: hashing every goal
/// was an eighth of a rebuild after one edit.
pub(crate) fn goal_hashes_after(
    report: &Report,
    last: Option<&HashedGoals>,
    known: &[Option<(u64, u64)>],
) -> GoalHashes {
    let shared = |g: usize| {
        let last = last?;
        let same = Arc::ptr_eq(last.goals.get(g)?, &report.goals[g])
            && Arc::ptr_eq(last.timelines.get(g)?, &report.timelines[g]);
        same.then(|| (last.hashes.whole[g], last.hashes.for_reviews[g]))
    };
    let hashed = |g: usize| shared(g).or_else(|| known.get(g).copied().flatten());
    let (whole, for_reviews) = (report.goals.par_iter().zip(&report.timelines))
        .enumerate()
        .map(|(g, (goal, timeline))| {
            hashed(g).unwrap_or_else(|| {
                let (whole, without_entries) = data_hash_and_without(goal, "entries");
                (whole, crate::hash::data_hash(&(without_entries, timeline)))
            })
        })
        .unzip();
    GoalHashes { whole, for_reviews }
}

/// The last complete period of `kind` before `today`: what `trailmark review` shows by
/// default.
pub(crate) fn last_complete(kind: PeriodKind, today: Date, week_start: Weekday) -> Period {
    Period::containing(kind, today, week_start).previous()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::{Rules, analyse};
    use crate::testing::day;

    use crate::git::History;
    use crate::testing::build;
    use crate::testing::parse;

    const GOAL: &str = "---\ngoal: Ship\nstart: 2026-01-01\ndue: 2026-02-15\n---\n- [x] plan ✅ 2026-01-05\n- [x] build ✅ 2026-02-03\n- [ ] launch 📅 2026-03-10\n- [x] undated\n";
    const IDLE: &str = "---\ngoal: Idle\nstart: 2026-01-01\n---\n- [ ] someday\n";
    const JAN: &str = "## Wins\n- Demo went well\n## Lessons\n- Ask early\n";
    const FEB: &str = "---\nmetrics: {run: 5}\n---\n## Feedback\n- Good pace #ship\n## Lessons\n- Write it down\n";
    const RUN: &str = "---\ngoal: Run\nmetric: {target: 10}\n---\n";

    fn reviews(kind: PeriodKind, on: &str, today: &str) -> Review {
        reviews_with(kind, on, today, Rules::default())
    }

    /// A review of the journal above.
    fn reviews_with(kind: PeriodKind, on: &str, today: &str, rules: Rules) -> Review {
        let journal = build(
            [
                ("goals/ship.md", GOAL),
                ("goals/idle.md", IDLE),
                ("goals/run.md", RUN),
                ("2026-01-20.md", JAN),
                ("2026-02-04.md", FEB),
            ]
            .iter()
            .map(|(p, t)| parse(p, t.as_bytes()))
            .collect(),
        );
        let report = analyse(&journal, &History::default(), day(today), &rules);
        Reviewer::new(&journal, &report).review(Period::containing(kind, day(on), rules.week_start))
    }

    /// A goal index kept from the analysis before an edit and made again after it
    /// (`GoalIndex::after`, as `watch` does) gives every review and every review's key
    /// that an index made anew gives: the goal edited has a milestone due done in the
    /// edit, on a day other goals have milestones done too.
    #[test]
    fn a_goal_index_kept_over_an_edit_reviews_as_one_made_anew() {
        let edited = GOAL.replace("- [ ] launch 📅 2026-03-10", "- [x] launch ✅ 2026-02-20");
        let others: Vec<(String, String)> = (0..9)
            .map(|i| {
                let done = ["2026-01-05", "2026-02-20", "2026-02-21"][i % 3];
                // Done as its fourth milestone: after the launch (the third) by place in
                // its goal, before it by goal.
                let text = format!(
                    "---\ngoal: Other {i}\n---\n- [ ] a\n- [ ] b\n- [ ] c\n- [x] step ✅ {done}\n"
                );
                (format!("goals/other-{i}.md"), text)
            })
            .collect();
        let journal_with = |ship: &str| {
            let files = [
                ("goals/ship.md", ship),
                ("goals/idle.md", IDLE),
                ("goals/run.md", RUN),
                ("2026-01-20.md", JAN),
                ("2026-02-04.md", FEB),
                // March reviewed too: the goal the edit finishes cannot show in it.
                ("2026-03-01.md", "## Wins\n- rested\n"),
            ];
            let others = others.iter().map(|(p, t)| (p.as_str(), t.as_str()));
            build(
                (files.into_iter().chain(others))
                    .map(|(p, t)| parse(p, t.as_bytes()))
                    .collect(),
            )
        };
        let (today, rules) = (day("2026-03-01"), Rules::default());
        let before = journal_with(GOAL);
        let last = analyse(&before, &History::default(), today, &rules);
        let index = GoalIndex::of(&last);
        assert_eq!(index.open_due.len(), 1, "the launch, due before the edit");
        let journal = journal_with(&edited);
        let ship = journal.goals.iter().position(|g| g.id == "ship").unwrap();
        let changed = crate::analyse::Changed {
            goals: [ship].into(),
            files: ["goals/ship.md".to_string()].into(),
        };
        let report = crate::analyse::again(
            &journal,
            &History::default(),
            today,
            &rules,
            &last,
            &changed,
        );
        let shared = (report.goals.iter().zip(&last.goals))
            .filter(|(now, before)| Arc::ptr_eq(now, before))
            .count();
        assert_eq!(
            shared,
            report.goals.len() - 1,
            "the edit made one goal again"
        );
        // Made again for the edit, then kept as it is for a rebuild that changed nothing.
        let kept = Reviewer::with_index(&journal, &report, index.after(&report).after(&report));
        let anew = Reviewer::new(&journal, &report);
        let scheduled = anew.scheduled(&PeriodKind::ALL);
        assert_eq!(kept.scheduled(&PeriodKind::ALL), scheduled);
        let goals = goal_hashes(&report).for_reviews;
        assert_eq!(
            kept.input_keys(&scheduled, &goals, &mut []),
            anew.input_keys(&scheduled, &goals, &mut [])
        );
        for s in &scheduled {
            let json =
                |reviewer: &Reviewer| serde_json::to_string(&reviewer.scheduled_review(s)).unwrap();
            assert_eq!(json(&kept), json(&anew), "{}", s.label());
        }
        let february = Period::containing(PeriodKind::Month, day("2026-02-01"), rules.week_start);
        let wins = anew.review(february).wins;
        assert!(
            wins.iter()
                .any(|w| &*w.goal == "ship" && w.milestones.len() == 2)
        );
    }

    /// The input key of every review of the journal above, with `feb` as the entry of
    /// 4 February, as of 2026-03-01, by label.
    fn input_keys(feb: &str) -> std::collections::BTreeMap<String, u64> {
        input_keys_of(&[
            ("goals/ship.md", GOAL),
            ("goals/idle.md", IDLE),
            ("goals/run.md", RUN),
            ("2026-01-20.md", JAN),
            ("2026-02-04.md", feb),
        ])
    }

    /// The input key of every review of a journal of `files`, as of 2026-03-01, by label.
    fn input_keys_of(files: &[(&str, &str)]) -> std::collections::BTreeMap<String, u64> {
        let journal = build(files.iter().map(|(p, t)| parse(p, t.as_bytes())).collect());
        let report = analyse(
            &journal,
            &History::default(),
            day("2026-03-01"),
            &Rules::default(),
        );
        let reviewer = Reviewer::new(&journal, &report);
        let goals = goal_hashes(&report).for_reviews;
        let scheduled = reviewer.scheduled(&PeriodKind::ALL);
        let keys = reviewer.input_keys(&scheduled, &goals, &mut []);
        scheduled.iter().map(Scheduled::label).zip(keys).collect()
    }

    /// The labels whose keys differ between `before` and `after`.
    fn changed(
        before: &std::collections::BTreeMap<String, u64>,
        after: &std::collections::BTreeMap<String, u64>,
    ) -> Vec<String> {
        assert_eq!(
            before.keys().collect::<Vec<_>>(),
            after.keys().collect::<Vec<_>>()
        );
        before
            .iter()
            .filter(|(label, key)| after[*label] != **key)
            .map(|(label, _)| label.clone())
            .collect()
    }

    #[test]
    fn a_goal_checked_in_on_is_an_input_of_the_periods_of_its_check_ins() {
        // Done in January, so it cannot show in February's review but for its check-in,
        // which the review lists under the goal's title.
        let done = "---\ngoal: Finished\nid: finished\nstart: 2026-01-01\n---\n\
                    - [x] plan ✅ 2026-01-05\n";
        let checkin = "---\ncheckins: {finished: {confidence: 7}}\n---\nAll good.\n";
        let keys =
            |goal: &str| input_keys_of(&[("goals/finished.md", goal), ("2026-02-10.md", checkin)]);
        let before = keys(done);
        let renamed = keys(&done.replace("goal: Finished", "goal: Wrapped up"));
        let changed = changed(&before, &renamed);
        assert!(changed.contains(&"2026-02".to_string()), "{changed:?}");
        assert!(changed.contains(&"2026-W07".to_string()), "{changed:?}");
    }

    #[test]
    fn an_edited_entry_changes_the_input_keys_of_its_periods_only() {
        let before = input_keys(FEB);
        let feb_periods = ["2026", "2026-02", "2026-Q1", "2026-W06"];
        let reworded = input_keys(&FEB.replace("Write it down", "Write it all down"));
        assert_eq!(changed(&before, &reworded), feb_periods);
        // Lines moved under a mention of a goal: the goal's report lists the entry's lines
        // that mention it, which no review shows, so no other review is made again.
        let moved = input_keys(&FEB.replace("## Feedback", "\n\n## Feedback"));
        assert_eq!(changed(&before, &moved), feb_periods);
        // A value logged moves the metric's goal in every review it can show in.
        let logged = input_keys(&FEB.replace("run: 5", "run: 6"));
        assert!(changed(&before, &logged).len() > feb_periods.len());
    }

    #[test]
    fn an_entry_is_an_input_by_its_title_and_notes_not_its_other_text() {
        let prose = |title: &str, line: &str| {
            FEB.replace("## Feedback", &format!("# {title}\n{line}\n## Feedback"))
        };
        let before = input_keys(&prose("Day one", "Slow start."));
        let reworded = input_keys(&prose("Day one", "Fast start."));
        assert_eq!(changed(&before, &reworded), Vec::<String>::new());
        let retitled = input_keys(&prose("Day two", "Slow start."));
        assert_eq!(
            changed(&before, &retitled),
            ["2026", "2026-02", "2026-Q1", "2026-W06"]
        );
    }

    impl GoalRows {
        fn is_empty(&self) -> bool {
            self.done == 0
                && self.progress.is_none()
                && self.unchanged.is_none()
                && self.completed.is_none()
                && self.became_overdue.is_none()
                && self.became_at_risk.is_none()
                && self.stalled.is_none()
                && self.due_next.is_none()
                && self.outlook.is_none()
        }
    }

    /// Goals of every shape the skipping rules reason about: each declared status, with
    /// and without start and due dates (due before the start too), no milestones, some
    /// or all done on dates, done without a date, and metrics reached or not.
    fn goals_of_every_shape() -> Vec<crate::document::Document> {
        let statuses = ["active", "done", "dropped", "paused"];
        let starts = ["", "start: 2025-03-01\n", "start: 2026-06-01\n"];
        let dues = [
            "",
            "due: 2025-01-15\n",
            "due: 2025-06-30\n",
            "due: 2026-12-31\n",
        ];
        let bodies = [
            "",
            "- [x] a ✅ 2025-04-02\n- [ ] b\n",
            "- [x] a ✅ 2025-04-02\n- [x] b ✅ 2025-09-20\n",
            "- [x] a\n- [x] b ✅ 2026-02-11\n",
            "- [x] a\n",
        ];
        let mut files = Vec::new();
        for (s, status) in statuses.iter().enumerate() {
            for (t, start) in starts.iter().enumerate() {
                for (d, due) in dues.iter().enumerate() {
                    for (b, body) in bodies.iter().enumerate() {
                        let id = format!("g{s}{t}{d}{b}");
                        let text =
                            format!("---\ngoal: {id}\nstatus: {status}\n{start}{due}---\n{body}");
                        files.push((format!("goals/{id}.md"), text));
                    }
                    let id = format!("m{s}{t}{d}");
                    let text = format!(
                        "---\ngoal: {id}\nstatus: {status}\n{start}{due}metric: {{target: 10}}\n---\n"
                    );
                    files.push((format!("goals/{id}.md"), text));
                    // Values logged for it: reached, then fallen back below the target.
                    for (date, value) in [("2025-02-03", 4), ("2025-08-09", 10), ("2026-01-05", 7)]
                    {
                        let text = format!("---\nmetrics: {{{id}: {value}}}\n---\n# Logged\n");
                        files.push((format!("{date}-{id}.md"), text));
                    }
                }
            }
        }
        files
            .iter()
            .map(|(path, text)| parse(path, text.as_bytes()))
            .collect()
    }

    #[test]
    fn a_goal_skipped_for_a_period_has_nothing_to_show_in_it() {
        let journal = build(goals_of_every_shape());
        assert!(journal.diagnostics.is_empty(), "{:?}", journal.diagnostics);
        for today in ["2025-05-20", "2026-11-20", "2028-03-01"] {
            let report = analyse(&journal, &History::default(), day(today), &Rules::default());
            let reviewer = Reviewer::new(&journal, &report);
            let mut skipped = 0;
            for kind in [
                PeriodKind::Week,
                PeriodKind::Month,
                PeriodKind::Quarter,
                PeriodKind::Year,
            ] {
                let mut period = Period::containing(kind, day("2024-06-01"), Weekday::Monday);
                while period.first <= day("2028-12-31") {
                    for g in 0..report.goals.len() {
                        if !reviewer.could_show(g, period) {
                            skipped += 1;
                            let rows = reviewer.goal_rows(g, period);
                            assert!(
                                rows.is_empty(),
                                "{} in {period} as of {today}: {rows:?}",
                                report.goals[g].id
                            );
                        }
                    }
                    period = period.next();
                }
            }
            // The rules do skip: otherwise this test would prove nothing.
            assert!(skipped > 10_000, "{skipped} skipped as of {today}");
        }
    }

    /// The goals the input keys find able to show in each period, by binary searches
    /// over each kind's periods, are those [`Reviewer::could_show`] finds one by one:
    /// over goals of every shape, periods begun and not, as of days before, among and
    /// after their dates.
    #[test]
    fn the_goals_that_can_show_are_found_by_kind_as_one_by_one() {
        let journal = build(goals_of_every_shape());
        for today in ["2025-05-20", "2026-11-20", "2028-03-01"] {
            let report = analyse(&journal, &History::default(), day(today), &Rules::default());
            let reviewer = Reviewer::new(&journal, &report);
            let mut scheduled = Vec::new();
            for kind in PeriodKind::ALL {
                let mut period = Period::containing(kind, day("2028-12-31"), Weekday::Monday);
                while period.last >= day("2024-06-01") {
                    scheduled.push(Scheduled {
                        period,
                        previous: None,
                        next: None,
                    });
                    period = period.previous();
                }
            }
            let found = reviewer.could_show_in_each(&scheduled);
            for (at, s) in scheduled.iter().enumerate() {
                let one_by_one: Vec<usize> = (0..report.goals.len())
                    .filter(|&g| reviewer.could_show(g, s.period))
                    .collect();
                assert_eq!(found.goals(at), one_by_one, "{} as of {today}", s.period);
            }
        }
    }

    /// Entries come by date, then path: an earlier day's first whatever its path, then
    /// the day's files in path order, folders and all.
    #[test]
    fn a_reviews_entries_are_by_date_then_path() {
        let files = [
            "work/2026-02-03.md",
            "2026-02-04.md",
            "a/2026-02-04.md",
            "notes/2026/2026-02-04.md",
            "z.md",
        ];
        let journal = build(
            (files.iter())
                .map(|path| {
                    let text = format!(
                        "---\ndate: {}\n---\nhi\n",
                        match *path {
                            "work/2026-02-03.md" => "2026-02-03",
                            _ => "2026-02-04",
                        }
                    );
                    parse(path, text.as_bytes())
                })
                .collect(),
        );
        let report = analyse(
            &journal,
            &History::default(),
            day("2026-02-10"),
            &Rules::default(),
        );
        let review = Reviewer::new(&journal, &report).review(Period::containing(
            PeriodKind::Week,
            day("2026-02-04"),
            Rules::default().week_start,
        ));
        let entries: Vec<&str> = review.entries.iter().map(|e| &*e.file).collect();
        assert_eq!(
            entries,
            [
                "work/2026-02-03.md",
                "2026-02-04.md",
                "a/2026-02-04.md",
                "notes/2026/2026-02-04.md",
                "z.md"
            ]
        );
    }

    #[test]
    fn a_month_has_its_wins_notes_progress_and_what_comes_next() {
        let r = reviews(PeriodKind::Month, "2026-02-10", "2026-03-05");
        assert_eq!((r.label.as_str(), r.in_progress), ("2026-02", false));
        let wins: Vec<&str> = r.wins[0]
            .milestones
            .iter()
            .map(|m| m.text.as_str())
            .collect();
        assert_eq!(wins, ["build"]);
        assert_eq!(r.milestones_done, 1);
        assert!(r.win_notes.is_empty());
        assert_eq!(r.feedback[0].text, "Good pace #ship");
        assert_eq!(&*r.lessons[0].file, "2026-02-04.md");
        let unchanged: Vec<&str> = r.unchanged.iter().map(|p| &*p.goal).collect();
        assert_eq!(unchanged, ["idle"]);
        let ship = r.progress.iter().find(|p| *p.goal == *"ship").unwrap();
        // The undated milestone counts as done at every date.
        assert_eq!((ship.start, ship.end, ship.done), (0.5, 0.75, 1));
        let run = r.progress.iter().find(|p| *p.goal == *"run").unwrap();
        assert_eq!((run.start, run.end), (0.0, 0.5));
        assert_eq!((r.metrics[0].start, r.metrics[0].end), (0.0, 5.0));
        let overdue: Vec<_> = r
            .became_overdue
            .iter()
            .map(|g| (&*g.goal, g.date))
            .collect();
        assert_eq!(overdue, [("ship", Some(day("2026-02-16")))]);
        let stalled: Vec<_> = r.stalled.iter().map(|g| (&*g.goal, g.days)).collect();
        assert!(stalled.contains(&("idle", Some(58))), "{stalled:?}");
        assert_eq!((r.entries.len(), r.previous_entries), (1, 1));
        assert_eq!(r.next_period, "March 2026");
        assert_eq!(r.due_next[0].text, "launch");
    }

    #[test]
    fn each_active_goal_has_its_next_milestone_what_is_overdue_and_its_forecast() {
        // February, as it was at its end: `launch` is next, not yet late; two milestones
        // in the eight weeks before 28 February make a pace of 0.25 a week, and the one
        // left takes four weeks.
        let r = reviews(PeriodKind::Month, "2026-02-10", "2026-03-20");
        let ship = r.outlook.iter().find(|o| *o.goal == *"ship").unwrap();
        assert_eq!(ship.next.as_ref().map(|m| m.text.as_str()), Some("launch"));
        assert!(ship.overdue.is_empty());
        assert_eq!(ship.pace_per_week, Some(0.25));
        assert_eq!(ship.pace_unit.as_deref(), Some("milestones"));
        assert_eq!(ship.forecast, Some(day("2026-03-28")));
        // March, in progress on the 20th: `launch` was due on the 10th, so the goal with
        // an overdue milestone comes first; its forecast is today's, from one milestone
        // done since 23 January.
        let r = reviews(PeriodKind::Month, "2026-03-20", "2026-03-20");
        let first = &r.outlook[0];
        assert_eq!(&*first.goal, "ship");
        let overdue: Vec<_> = first
            .overdue
            .iter()
            .map(|m| (m.text.as_str(), m.due))
            .collect();
        assert_eq!(overdue, [("launch", Some(day("2026-03-10")))]);
        assert_eq!(
            first.forecast_note.as_deref(),
            Some("too little recent history to forecast: 1 milestone done in the last 8 weeks")
        );
    }

    #[test]
    fn next_for_each_goal_sets_apart_the_goals_without_news() {
        // Idle never moves; it stalls 21 days after its start, on 22 January: news in
        // January's review, none in February's.
        let r = reviews(PeriodKind::Month, "2026-01-10", "2026-03-20");
        let idle = r.outlook.iter().find(|o| *o.goal == *"idle").unwrap();
        assert_eq!(idle.next.as_ref().map(|m| m.text.as_str()), Some("someday"));
        assert!(idle.forecast.is_none() && idle.forecast_note.is_some());
        let r = reviews(PeriodKind::Month, "2026-02-10", "2026-03-20");
        let listed: Vec<&str> = r.outlook.iter().map(|o| &*o.goal).collect();
        assert_eq!(listed, ["run", "ship"]);
        assert_eq!(&*r.outlook_without_news[0].goal, "idle");
        // The first week of March: Ship has been overdue since 16 February and stalled
        // since the 24th, Run stalled since the 25th, Idle since January: no news.
        let r = reviews(PeriodKind::Week, "2026-03-03", "2026-03-20");
        assert!(r.outlook.is_empty(), "{:?}", r.outlook);
        let without_news: Vec<&str> = r.outlook_without_news.iter().map(|o| &*o.goal).collect();
        assert_eq!(without_news, ["idle", "run", "ship"]);
        // The week Ship became overdue lists it.
        let r = reviews(PeriodKind::Week, "2026-02-16", "2026-03-20");
        let listed: Vec<&str> = r.outlook.iter().map(|o| &*o.goal).collect();
        assert_eq!(listed, ["ship"]);
    }

    #[test]
    fn a_metric_logged_twice_is_one_row_from_the_value_before_to_the_last() {
        let journal = build(vec![
            parse("goals/run.md", RUN.as_bytes()),
            parse("2026-01-10.md", b"---\nmetrics: {run: 3}\n---\n"),
            parse("2026-02-04.md", b"---\nmetrics: {run: 5}\n---\n"),
            parse("2026-02-20.md", b"---\nmetrics: {run: 5}\n---\n"),
        ]);
        let report = analyse(
            &journal,
            &History::default(),
            day("2026-03-05"),
            &Rules::default(),
        );
        let reviewer = Reviewer::new(&journal, &report);
        let month = |on| Period::containing(PeriodKind::Month, day(on), Weekday::Monday);
        let february = reviewer.review(month("2026-02-01"));
        let rows: Vec<_> = february
            .metrics
            .iter()
            .map(|m| {
                (
                    &*m.goal, m.start, m.end, m.change, m.target, m.logged, m.date,
                )
            })
            .collect();
        assert_eq!(rows, [("run", 3.0, 5.0, 2.0, 10.0, 2, day("2026-02-20"))]);
        // The first value of all starts from the baseline.
        let january = reviewer.review(month("2026-01-01"));
        assert_eq!(
            (january.metrics[0].start, january.metrics[0].end),
            (0.0, 3.0)
        );
    }

    #[test]
    fn a_quiet_review_names_the_latest_period_with_activity() {
        let r = reviews(PeriodKind::Week, "2026-03-16", "2026-03-25");
        assert!(r.quiet);
        let latest = r.latest_active.unwrap();
        assert_eq!(
            (latest.label.as_str(), latest.title.as_str(), latest.first),
            ("2026-W06", "Week 6, 2026", day("2026-02-02"))
        );
        let r = reviews(PeriodKind::Week, "2026-02-03", "2026-03-25");
        assert!(!r.quiet && r.latest_active.is_none());
    }

    #[test]
    fn a_goal_needs_attention_once_with_all_its_reasons() {
        let r = reviews(PeriodKind::Month, "2026-02-10", "2026-03-05");
        let attention: Vec<(&str, Vec<&str>)> = r
            .needs_attention
            .iter()
            .map(|a| (&*a.goal, a.reasons.iter().map(String::as_str).collect()))
            .collect();
        assert_eq!(
            attention,
            [
                (
                    "ship",
                    vec![
                        "became overdue on 2026-02-16",
                        "stalled: nothing done since 2026-02-03 (25 days)"
                    ]
                ),
                (
                    "idle",
                    vec!["stalled: nothing done in 58 days since it started"]
                ),
                (
                    "run",
                    vec!["stalled: nothing done since 2026-02-04 (24 days)"]
                ),
            ]
        );
        let ship = r.progress.iter().find(|p| *p.goal == *"ship").unwrap();
        assert!(ship.stalled, "the progress table says so too");
    }

    /// The review of the month of `on`, as of `today`, of a journal of one goal file.
    fn month_review_of_one_goal(goal: &str, on: &str, today: &str) -> Review {
        let journal = build(vec![parse("goals/g.md", goal.as_bytes())]);
        let rules = Rules::default();
        let report = analyse(&journal, &History::default(), day(today), &rules);
        let month = Period::containing(PeriodKind::Month, day(on), rules.week_start);
        Reviewer::new(&journal, &report).review(month)
    }

    #[test]
    fn a_goal_at_risk_by_its_forecast_says_so_and_not_that_it_is_behind_the_line() {
        // Half done by the end of February, well ahead of the straight line (32%), but
        // at the pace of the last 8 weeks (2 milestones) the 5 left take until July.
        let goal = "---\ngoal: Pace\nstart: 2026-01-01\ndue: 2026-06-30\n---\n\
                    - [x] a\n- [x] b\n- [x] c\n- [x] d ✅ 2026-02-10\n- [x] e ✅ 2026-02-20\n\
                    - [ ] f\n- [ ] g\n- [ ] h\n- [ ] i\n- [ ] j\n";
        let review = month_review_of_one_goal(goal, "2026-02-10", "2026-03-20");
        let reasons: Vec<&str> = review.needs_attention[0]
            .reasons
            .iter()
            .map(String::as_str)
            .collect();
        assert_eq!(
            reasons,
            ["became at-risk: at its recent pace done around 2026-07-18, after the due date"]
        );
    }

    #[test]
    fn a_cadence_goal_at_risk_is_behind_its_pace_not_a_straight_line() {
        // Two a quarter, none done by the end of February: the even pace asked for one.
        let goal = "---\ngoal: Events\nstart: 2026-01-01\ncadence: {count: 2, per: quarter}\n---\n";
        let review = month_review_of_one_goal(goal, "2026-02-10", "2026-03-20");
        assert_eq!(
            review.needs_attention[0].reasons,
            ["became at-risk: behind the even pace of 2 a quarter"]
        );
    }

    #[test]
    fn the_journal_sets_when_a_goal_stalls_and_when_weeks_start() {
        let patient = Rules {
            stalled_after_days: 59,
            ..Rules::default()
        };
        let r = reviews_with(PeriodKind::Month, "2026-02-10", "2026-03-05", patient);
        assert!(
            r.stalled.iter().all(|g| *g.goal != *"idle"),
            "{:?}",
            r.stalled
        );
        assert_eq!(r.stalled_after_days, 59);
        let sunday = Rules {
            week_start: Weekday::Sunday,
            ..Rules::default()
        };
        // Sunday 18 January 2026 starts the week numbered like ISO week 4.
        let r = reviews_with(PeriodKind::Week, "2026-01-18", "2026-03-05", sunday);
        assert_eq!(r.label, "2026-W04");
        assert_eq!(r.entries.len(), 1, "the entry of Tuesday 20 January");
        let r = reviews_with(PeriodKind::Week, "2026-01-17", "2026-03-05", sunday);
        assert_eq!((r.label.as_str(), r.entries.len()), ("2026-W03", 0));
    }

    #[test]
    fn a_week_in_progress_is_reviewed_as_of_today() {
        let r = reviews(PeriodKind::Week, "2026-01-19", "2026-01-21");
        assert_eq!(r.label, "2026-W04");
        assert!(r.in_progress);
        assert_eq!(r.win_notes[0].text, "Demo went well");
        assert!(r.wins.is_empty());
        assert!(
            r.stalled.iter().all(|g| *g.goal != *"ship"),
            "done 2026-01-05 is 16 days ago"
        );
    }

    #[test]
    fn active_periods_are_newest_first_and_stop_at_today() {
        let journal = build(vec![
            parse("g.md", GOAL.as_bytes()),
            parse("2026-01-20.md", JAN.as_bytes()),
            parse("2027-01-01.md", b"future\n"),
        ]);
        let report = analyse(
            &journal,
            &History::default(),
            day("2026-06-01"),
            &Rules::default(),
        );
        let reviewer = Reviewer::new(&journal, &report);
        let labels = |kind| -> Vec<String> {
            reviewer
                .active_periods(kind)
                .iter()
                .map(|p| p.to_string())
                .collect()
        };
        assert_eq!(labels(PeriodKind::Month), ["2026-02", "2026-01"]);
        assert_eq!(
            labels(PeriodKind::Week),
            ["2026-W06", "2026-W04", "2026-W02"]
        );
        assert_eq!(labels(PeriodKind::Year), ["2026"]);
    }

    #[test]
    fn weekly_reviews_are_written_for_the_last_year_and_the_others_for_every_period() {
        let journal = build(vec![
            parse("g.md", GOAL.as_bytes()),
            parse("2025-11-01.md", b"a year and a month ago\n"),
            parse("2025-12-03.md", b"within the year\n"),
            parse("2026-11-20.md", b"this week\n"),
        ]);
        let today = day("2026-11-25");
        let report = analyse(&journal, &History::default(), today, &Rules::default());
        let kinds = [PeriodKind::Week, PeriodKind::Month];
        let labels: Vec<(String, Option<String>)> = all_reviews(&journal, &report, &kinds)
            .iter()
            .map(|r| (r.label.clone(), r.previous.clone()))
            .collect();
        // A week a year and a month ago (2025-W44) has no review, and so no link to it.
        let week = |w: &str| Some(w.to_string());
        assert_eq!(
            labels,
            [
                ("2026-W47".to_string(), week("2026-W06")),
                ("2026-W06".to_string(), week("2026-W02")),
                ("2026-W02".to_string(), week("2025-W49")),
                ("2025-W49".to_string(), None),
                ("2026-11".to_string(), Some("2026-02".into())),
                ("2026-02".to_string(), Some("2026-01".into())),
                ("2026-01".to_string(), Some("2025-12".into())),
                ("2025-12".to_string(), Some("2025-11".into())),
                ("2025-11".to_string(), None),
            ]
        );
    }

    #[test]
    fn the_default_is_the_last_complete_period() {
        let today = day("2026-11-20");
        assert_eq!(
            last_complete(PeriodKind::Week, today, Weekday::Monday).to_string(),
            "2026-W46"
        );
        assert_eq!(
            last_complete(PeriodKind::Month, today, Weekday::Monday).to_string(),
            "2026-10"
        );
        assert_eq!(
            last_complete(PeriodKind::Quarter, today, Weekday::Monday).to_string(),
            "2026-Q3"
        );
        assert_eq!(
            last_complete(PeriodKind::Year, today, Weekday::Monday).to_string(),
            "2025"
        );
    }
}
