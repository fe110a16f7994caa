//! Reviews: what happened in a week, month, quarter or year, and what comes next.
//!
//! A [`Reviewer`] indexes the journal once (entries, done milestones, goal timelines by
//! date); each review is then a few binary searches, so writing every period of a decade
//! stays linear in the size of the journal.

use rayon::prelude::*;
use serde::Serialize;

use super::period::{Period, PeriodKind};
use super::timeline::GoalTimeline;
use super::{Report, Status, status_at};
use crate::dates::{Date, Weekday};
use crate::document::{MilestoneState, NoteKind};
use crate::model::Journal;

/// A goal with nothing done for this many days is stalled.

#[derive(Debug, Clone, Serialize)]
pub struct Review {
    pub kind: PeriodKind,
    /// `2026-W45`, `2026-11`, `2026-Q4` or `2026`.
    pub label: String,
    /// "Week 45, 2026", "November 2026".
    pub title: String,
    pub first: Date,
    pub last: Date,
    /// The day the facts are as of: the period's last day, or today while it lasts. A
    /// review of a past period does not depend on today, so its report stays the same.
    pub as_of: Date,
    /// The period is not over yet: facts are as of today.
    pub in_progress: bool,
    /// Labels of the reviews before and after, when there are pages for them.
    pub previous: Option<String>,
    pub next: Option<String>,
    /// Milestones done in the period, by goal.
    pub wins: Vec<GoalWins>,
    /// Leaf milestones done in the period (what progress counts).
    pub milestones_done: usize,
    pub win_notes: Vec<NoteItem>,
    pub feedback: Vec<NoteItem>,
    pub lessons: Vec<NoteItem>,
    /// Goals that moved in the period, most moved first.
    pub progress: Vec<GoalProgress>,
    /// Active goals that did not move, by title: listed, not tabled, so that a journal
    /// with hundreds of goals keeps its reviews short.
    pub unchanged: Vec<GoalProgress>,
    pub completed: Vec<GoalEvent>,
    pub became_overdue: Vec<GoalEvent>,
    pub became_at_risk: Vec<GoalEvent>,
    pub stalled: Vec<GoalEvent>,
    pub stalled_after_days: i64,
    pub metrics: Vec<MetricLogged>,
    pub entries: Vec<EntryItem>,
    pub previous_entries: usize,
    /// What is due in the period after this one.
    pub next_period: String,
    pub due_next: Vec<DueMilestone>,
    pub goals_due_next: Vec<GoalEvent>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GoalWins {
    pub goal: String,
    pub title: String,
    pub milestones: Vec<DoneMilestone>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DoneMilestone {
    pub text: String,
    /// The text as written, when it has markup.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub markdown: Option<String>,
    pub done_on: Date,
    pub file: String,
    pub line: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct NoteItem {
    pub text: String,
    /// The text as written, when it has markup.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub markdown: Option<String>,
    pub date: Date,
    pub file: String,
    pub line: u32,
    pub entry: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct GoalProgress {
    pub goal: String,
    pub title: String,
    pub status: Status,
    /// At the end of the day before the period, and at its end (or today).
    pub start: f64,
    pub end: f64,
    pub change: f64,
    pub done: usize,
}

/// A goal and the day something happened to it (completed, became overdue, last moved).
#[derive(Debug, Clone, Serialize)]
pub struct GoalEvent {
    pub goal: String,
    pub title: String,
    pub date: Option<Date>,
    /// Days since `date`, for stalled goals.
    pub days: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MetricLogged {
    pub goal: String,
    pub title: String,
    pub date: Date,
    pub value: f64,
    pub unit: Option<String>,
    pub file: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EntryItem {
    pub file: String,
    pub title: String,
    pub date: Date,
}

#[derive(Debug, Clone, Serialize)]
pub struct DueMilestone {
    pub text: String,
    /// The text as written, when it has markup.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub markdown: Option<String>,
    pub due: Date,
    pub goal: Option<String>,
    pub title: Option<String>,
    pub file: String,
    pub line: u32,
}

/// A done milestone, by goal and place in the goal's list.
struct DoneAt {
    date: Date,
    goal: usize,
    milestone: usize,
}

/// A note of an entry, by entry and place in its notes.
struct Entry<'a> {
    date: Date,
    file: &'a str,
    title: &'a str,
    notes: &'a [crate::document::Note],
}

/// The journal indexed by date, to write reviews from.
pub struct Reviewer<'a> {
    report: &'a Report,
    timelines: Vec<GoalTimeline>,
    /// Dated entries, oldest first.
    entries: Vec<Entry<'a>>,
    /// Done milestones with a date, oldest first.
    done: Vec<DoneAt>,
    /// Metric values: (date, goal, index into its values), oldest first.
    metrics: Vec<(Date, usize, usize)>,
    /// Open milestones with a due date, soonest first: sorted once, so each review only
    /// slices out its period instead of scanning every milestone.
    open_due: Vec<DueMilestone>,
}

impl<'a> Reviewer<'a> {
    pub fn new(journal: &'a Journal, report: &'a Report) -> Reviewer<'a> {
        let timelines = report.goals.iter().map(GoalTimeline::of).collect();
        let mut entries: Vec<Entry> = journal
            .documents
            .iter()
            .filter_map(|d| {
                Some(Entry {
                    date: d.date?,
                    file: &d.path,
                    title: &d.title,
                    notes: &d.notes,
                })
            })
            .collect();
        entries.sort_by(|a, b| (a.date, a.file).cmp(&(b.date, b.file)));
        let mut done = Vec::new();
        let mut metrics = Vec::new();
        for (g, goal) in report.goals.iter().enumerate() {
            for (m, milestone) in goal.milestones.iter().enumerate() {
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
            for (v, value) in goal.metric.iter().flat_map(|m| m.values.iter().enumerate()) {
                metrics.push((value.date, g, v));
            }
        }
        done.sort_by_key(|d| (d.date, d.goal, d.milestone));
        metrics.sort_unstable();
        Reviewer {
            report,
            timelines,
            entries,
            done,
            metrics,
            open_due: open_due(report),
        }
    }

    /// Every period of `kind` up to today in which something happened (a milestone done,
    /// an entry written, a value logged), newest first.
    pub fn active_periods(&self, kind: PeriodKind) -> Vec<Period> {
        let today = self.report.today;
        let days = self
            .done
            .iter()
            .map(|d| d.date)
            .chain(self.entries.iter().map(|e| e.date))
            .chain(self.metrics.iter().map(|m| m.0))
            .filter(|d| *d <= today);
        let week_start = self.report.rules.week_start;
        let mut periods: Vec<Period> = days
            .map(|d| Period::containing(kind, d, week_start))
            .collect();
        periods.sort_unstable_by(|a, b| b.cmp(a));
        periods.dedup();
        periods
    }

    pub fn review(&self, period: Period) -> Review {
        let today = self.report.today;
        let rules = self.report.rules;
        let as_of = period.last.min(today);
        let before = period.first.add_days(-1);
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
                            file: e.file.to_string(),
                            line: n.position.line,
                            entry: e.title.to_string(),
                        })
                })
                .collect()
        };
        let event = |g: usize, date: Option<Date>| GoalEvent {
            goal: goals[g].id.clone(),
            title: goals[g].title.clone(),
            date,
            days: None,
        };

        let mut wins: Vec<GoalWins> = Vec::new();
        for done in slice_by_date(&self.done, period, |d| d.date) {
            let goal = &goals[done.goal];
            let milestone = &goal.milestones[done.milestone];
            let item = DoneMilestone {
                text: milestone.text.clone(),
                markdown: milestone.markdown.clone(),
                done_on: done.date,
                file: milestone.file.clone(),
                line: milestone.line,
            };
            match wins.iter_mut().find(|w| w.goal == goal.id) {
                Some(group) => group.milestones.push(item),
                None => wins.push(GoalWins {
                    goal: goal.id.clone(),
                    title: goal.title.clone(),
                    milestones: vec![item],
                }),
            }
        }

        let mut progress = Vec::new();
        let mut unchanged = Vec::new();
        let mut completed = Vec::new();
        let mut became_overdue = Vec::new();
        let mut became_at_risk = Vec::new();
        let mut stalled = Vec::new();
        let mut goals_due_next = Vec::new();
        let mut milestones_done = 0;
        for (g, goal) in goals.iter().enumerate() {
            let timeline = &self.timelines[g];
            let started = goal.start.is_none_or(|s| s <= as_of);
            let status_before = status_at(goal, timeline, before, rules.at_risk_margin);
            let status_end = status_at(goal, timeline, as_of, rules.at_risk_margin);
            let (start, end) = (timeline.progress_at(before), timeline.progress_at(as_of));
            let done = timeline.done_between(period.first, as_of);
            milestones_done += done;
            let active =
                started && !matches!(status_end, Status::Done | Status::Dropped | Status::Paused);
            let row = || GoalProgress {
                goal: goal.id.clone(),
                title: goal.title.clone(),
                status: status_end,
                start,
                end,
                change: end - start,
                done,
            };
            if end != start || done > 0 {
                progress.push(row());
            } else if active {
                unchanged.push(row());
            }
            if let Some(on) = goal
                .completed_on
                .filter(|d| period.contains(*d) && *d <= today)
            {
                completed.push(event(g, Some(on)));
            }
            if status_end == Status::Overdue && status_before != Status::Overdue {
                became_overdue.push(event(g, goal.due.map(|d| d.add_days(1))));
            }
            if status_end == Status::AtRisk && status_before != Status::AtRisk {
                became_at_risk.push(event(g, None));
            }
            let last_moved = timeline.last_activity(as_of);
            let idle_since = last_moved.or(goal.start).filter(|d| *d <= as_of);
            if active
                && let Some(since) = idle_since
                && since.days_until(as_of) >= rules.stalled_after_days
            {
                stalled.push(GoalEvent {
                    days: Some(since.days_until(as_of)),
                    ..event(g, last_moved)
                });
            }
            let open = !matches!(status_end, Status::Done | Status::Dropped);
            if open && goal.due.is_some_and(|d| next_period.contains(d)) {
                goals_due_next.push(event(g, goal.due));
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

        let metrics = slice_by_date(&self.metrics, period, |m| m.0)
            .iter()
            .map(|&(date, g, v)| {
                let metric = goals[g].metric.as_ref().expect("values come from a metric");
                MetricLogged {
                    goal: goals[g].id.clone(),
                    title: goals[g].title.clone(),
                    date,
                    value: metric.values[v].value,
                    unit: metric.unit.clone(),
                    file: metric.values[v].file.clone(),
                }
            })
            .collect();

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
            progress,
            unchanged,
            completed,
            became_overdue,
            became_at_risk,
            stalled,
            stalled_after_days: rules.stalled_after_days,
            metrics,
            entries: entries
                .iter()
                .map(|e| EntryItem {
                    file: e.file.to_string(),
                    title: e.title.to_string(),
                    date: e.date,
                })
                .collect(),
            previous_entries: slice_by_date(&self.entries, period.previous(), |e| e.date).len(),
            next_period: next_period.title(),
            due_next: self.due_in(next_period),
            goals_due_next,
        }
    }

    /// Open milestones due in `period`, soonest first.
    fn due_in(&self, period: Period) -> Vec<DueMilestone> {
        slice_by_date(&self.open_due, period, |m| m.due).to_vec()
    }
}

/// Every open milestone with a due date, of goals and loose, sorted by date and text.
fn open_due(report: &Report) -> Vec<DueMilestone> {
    let of_goals = report.goals.iter().flat_map(|g| {
        g.milestones
            .iter()
            .map(move |m| (m, Some((g.id.as_str(), g.title.as_str()))))
    });
    let loose = report.loose_tasks.iter().map(|m| (m, None));
    let mut due: Vec<DueMilestone> = of_goals
        .chain(loose)
        .filter(|(m, _)| m.effective_state == MilestoneState::Open)
        .filter_map(|(m, goal)| {
            let (goal, title) = goal.unzip();
            Some(DueMilestone {
                text: m.text.clone(),
                markdown: m.markdown.clone(),
                due: m.due?,
                goal: goal.map(str::to_string),
                title: title.map(str::to_string),
                file: m.file.clone(),
                line: m.line,
            })
        })
        .collect();
    due.sort_by(|a, b| (a.due, &a.text).cmp(&(b.due, &b.text)));
    due
}

/// The items of `sorted` (by `date_of`) that fall in `period`.
fn slice_by_date<T>(sorted: &[T], period: Period, date_of: impl Fn(&T) -> Date) -> &[T] {
    let start = sorted.partition_point(|item| date_of(item) < period.first);
    let end = sorted.partition_point(|item| date_of(item) <= period.last);
    &sorted[start..end.max(start)]
}

/// Reviews of every period of the `kinds` asked for with activity, newest first within
/// each kind, each linked to the one before and after it.
pub fn all_reviews(journal: &Journal, report: &Report, kinds: &[PeriodKind]) -> Vec<Review> {
    let reviewer = Reviewer::new(journal, report);
    let mut reviews = Vec::new();
    for &kind in kinds {
        let periods = reviewer.active_periods(kind);
        let of_kind: Vec<Review> = periods
            .par_iter()
            .enumerate()
            .map(|(index, period)| {
                let mut review = reviewer.review(*period);
                review.next = index.checked_sub(1).map(|newer| periods[newer].to_string());
                review.previous = periods.get(index + 1).map(Period::to_string);
                review
            })
            .collect();
        reviews.extend(of_kind);
    }
    reviews
}

/// The last complete period of `kind` before `today`: what `trailmark review` shows by
/// default.
pub fn last_complete(kind: PeriodKind, today: Date, week_start: Weekday) -> Period {
    Period::containing(kind, today, week_start).previous()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::tests::day;
    use crate::analyse::{Rules, analyse};

    /// Parses with the default options.
    fn parse(path: &str, bytes: &[u8]) -> crate::document::Document {
        crate::document::parse(path, bytes, &crate::document::ParseOptions::default())
    }
    use crate::git::History;
    use crate::model::build;

    const GOAL: &str = "---\ngoal: Ship\nstart: 2026-01-01\ndue: 2026-02-15\n---\n- [x] plan ✅ 2026-01-05\n- [x] build ✅ 2026-02-03\n- [ ] launch 📅 2026-03-10\n- [x] undated\n";
    const IDLE: &str = "---\ngoal: Idle\nstart: 2026-01-01\n---\n- [ ] someday\n";
    const JAN: &str = "## Wins\n- Demo went well\n## Lessons\n- Ask early\n";
    const FEB: &str = "---\nmetrics: {run: 5}\n---\n## Feedback\n- Good pace #ship\n## Lessons\n- Write it down\n";
    const RUN: &str = "---\ngoal: Run\nmetric: {target: 10}\n---\n";

    fn reviews(kind: PeriodKind, on: &str, today: &str) -> Review {
        reviews_with(kind, on, today, Rules::default())
    }

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
        assert_eq!(r.lessons[0].file, "2026-02-04.md");
        let unchanged: Vec<&str> = r.unchanged.iter().map(|p| p.goal.as_str()).collect();
        assert_eq!(unchanged, ["idle"]);
        let ship = r.progress.iter().find(|p| p.goal == "ship").unwrap();
        // The undated milestone counts as done at every date.
        assert_eq!((ship.start, ship.end, ship.done), (0.5, 0.75, 1));
        let run = r.progress.iter().find(|p| p.goal == "run").unwrap();
        assert_eq!((run.start, run.end), (0.0, 0.5));
        assert_eq!(r.metrics[0].value, 5.0);
        let overdue: Vec<_> = r
            .became_overdue
            .iter()
            .map(|g| (g.goal.as_str(), g.date))
            .collect();
        assert_eq!(overdue, [("ship", Some(day("2026-02-16")))]);
        let stalled: Vec<_> = r
            .stalled
            .iter()
            .map(|g| (g.goal.as_str(), g.days))
            .collect();
        assert!(stalled.contains(&("idle", Some(58))), "{stalled:?}");
        assert_eq!((r.entries.len(), r.previous_entries), (1, 1));
        assert_eq!(r.next_period, "March 2026");
        assert_eq!(r.due_next[0].text, "launch");
    }

    #[test]
    fn the_journal_sets_when_a_goal_stalls_and_when_weeks_start() {
        let patient = Rules {
            stalled_after_days: 59,
            ..Rules::default()
        };
        let r = reviews_with(PeriodKind::Month, "2026-02-10", "2026-03-05", patient);
        assert!(
            r.stalled.iter().all(|g| g.goal != "idle"),
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
            r.stalled.iter().all(|g| g.goal != "ship"),
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
