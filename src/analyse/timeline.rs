//! Progress over time: a goal's progress at any date, its burn-up, its forecast from the
//! recent pace, and the journal's activity week by week.

use serde::Serialize;
use std::fmt;
use std::sync::Arc;

use super::{GoalReport, Status};
use crate::dates::Date;
use crate::document::MilestoneState;

/// The forecast looks at the milestones done in this many weeks before today.
pub(crate) const FORECAST_WINDOW_WEEKS: i64 = 8;

/// Fewer milestones done in the window than this is too little history to forecast from.
const FORECAST_MIN_DONE: usize = 2;
/// How far ahead a forecast may fall.
const FORECAST_HORIZON_YEARS: i64 = 100;

/// The activity chart covers this many weeks, the current one last.
pub(crate) const ACTIVITY_WEEKS: i64 = 53;

/// A goal's dated facts, sorted, so that its progress at any date is a binary search.
/// Serialized only to be hashed (what a review reads of a goal, `review::goal_hashes`).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct GoalTimeline {
    /// Done dates of the goal's done leaves that have one, oldest first.
    done_dates: Vec<Date>,
    /// Done leaves without a date: counted as done at every date (they were done at some
    /// point, and counting them nowhere would make past progress exceed today's).
    pub(crate) unknown: u32,
    total: u32,
    metric: Option<MetricTimeline>,
    /// The progress of its child goals, when it has some that are not dropped.
    children: Option<ChildProgress>,
    /// Every day with a dated fact of the goal or of a goal under it, oldest first, each
    /// once: kept rather than collected again, as every review asks for it.
    facts: Vec<Date>,
}

/// The summed progress of a goal's child goals (not dropped) over time, for the roll-up.
#[derive(Debug, Clone, Serialize)]
struct ChildProgress {
    /// How many child goals count.
    count: u32,
    /// Their summed progress before their first dated fact.
    initial: f64,
    /// (day, summed progress at the end of it), oldest first: one per day with a dated
    /// fact anywhere under the goal, whether or not the sum changed that day.
    steps: Vec<(Date, f64)>,
}

#[derive(Debug, Clone, Serialize)]
struct MetricTimeline {
    baseline: f64,
    target: f64,
    /// Logged values, oldest first.
    values: Vec<(Date, f64)>,
}

impl GoalTimeline {
    pub(crate) fn of(goal: &GoalReport) -> GoalTimeline {
        let mut done_dates = Vec::new();
        let mut unknown = 0;
        for milestone in goal.milestones.iter().filter(|m| m.leaf) {
            if milestone.effective_state == MilestoneState::Done {
                match milestone.done_on {
                    Some(date) => done_dates.push(date),
                    None => unknown += 1,
                }
            }
        }
        done_dates.sort_unstable();
        let metric = goal.metric.as_ref().map(|m| MetricTimeline {
            baseline: m.baseline,
            target: m.target,
            values: m.values.iter().map(|v| (v.date, v.value)).collect(),
        });
        let values = metric.iter().flat_map(|m| m.values.iter().map(|v| v.0));
        let facts = sorted_days(done_dates.iter().copied().chain(values));
        GoalTimeline {
            done_dates,
            unknown,
            total: goal.total,
            metric,
            children: None,
            facts,
        }
    }

    /// Adds the roll-up of the goal's child goals that are not dropped, each with its own
    /// (already rolled-up) timeline and whether it is declared done (a done child counts
    /// 1 whatever its milestones say).
    pub(crate) fn roll_up(&mut self, children: &[(&GoalTimeline, bool)]) {
        if children.is_empty() {
            return;
        }
        let child_progress = |date: Date| -> f64 {
            children
                .iter()
                .map(|(child, done)| if *done { 1.0 } else { child.progress_at(date) })
                .sum()
        };
        let days = sorted_days(
            children
                .iter()
                .flat_map(|(child, _)| child.dated_facts().iter().copied()),
        );
        self.facts = sorted_days(self.facts.iter().chain(&days).copied());
        self.children = Some(ChildProgress {
            count: children.len() as u32,
            initial: child_progress(Date::MIN),
            steps: days.into_iter().map(|d| (d, child_progress(d))).collect(),
        });
    }

    /// Whether the goal's progress rolls up child goals.
    pub(crate) fn has_children(&self) -> bool {
        self.children.is_some()
    }

    /// Progress at the end of `date`, rolled up: (its own done leaves + the summed
    /// progress of its child goals) / (its own leaves + the number of those children). A
    /// goal without milestones counts its metric, when it has one, as one leaf done as
    /// far as the metric's progress.
    pub(crate) fn progress_at(&self, date: Date) -> f64 {
        let Some(children) = &self.children else {
            return self.own_progress_at(date);
        };
        let reached = children.steps.partition_point(|(d, _)| *d <= date);
        let sum = match reached.checked_sub(1) {
            Some(last) => children.steps[last].1,
            None => children.initial,
        };
        let (own_done, own_total) = if self.total > 0 {
            (
                (self.unknown as usize + self.done_by(date)) as f64,
                f64::from(self.total),
            )
        } else if self.metric.is_some() {
            (self.own_progress_at(date), 1.0)
        } else {
            (0.0, 0.0)
        };
        (own_done + sum) / (own_total + f64::from(children.count))
    }

    /// Progress at the end of `date` from the goal's own leaves, else its metric's latest
    /// value by then (leaves done by then over today's leaves).
    fn own_progress_at(&self, date: Date) -> f64 {
        if self.total > 0 {
            let done = self.unknown as usize + self.done_by(date);
            return done as f64 / f64::from(self.total);
        }
        let Some(metric) = &self.metric else {
            return 0.0;
        };
        let logged = metric.values.partition_point(|(d, _)| *d <= date);
        match logged.checked_sub(1) {
            Some(last) => metric_progress(metric.baseline, metric.target, metric.values[last].1),
            None => 0.0,
        }
    }

    /// Leaves not yet done at the end of `date` (done without a date counts as done).
    pub(crate) fn left_at(&self, date: Date) -> u32 {
        let done = self.unknown as usize + self.done_by(date);
        self.total.saturating_sub(done as u32)
    }

    /// Leaves done on or before `date`, with a date.
    fn done_by(&self, date: Date) -> usize {
        self.done_dates.partition_point(|d| *d <= date)
    }

    /// Leaves done from `first` to `last`, both included; none when `last` comes first
    /// (the review of a period that has not begun yet).
    pub(crate) fn done_between(&self, first: Date, last: Date) -> usize {
        self.done_by(last)
            .saturating_sub(self.done_by(first.add_days(-1)))
    }

    /// Every day with a dated fact of the goal or of a goal under it (a leaf done, a
    /// value logged), oldest first, each once.
    pub(crate) fn dated_facts(&self) -> &[Date] {
        &self.facts
    }

    /// The last day something moved the goal or a goal under it (a leaf done, a value
    /// logged), up to `date`.
    pub(crate) fn last_activity(&self, date: Date) -> Option<Date> {
        let days = self.dated_facts();
        days[..days.partition_point(|d| *d <= date)].last().copied()
    }

    /// The day the goal, complete now, became complete (its last leaf done, its metric
    /// reaching the target, or, rolled up, the first day its progress was whole), when
    /// that is known.
    pub(crate) fn completed_on(&self) -> Option<Date> {
        if self.children.is_some() {
            if self.unknown > 0 || self.progress_at(Date::MIN) >= 1.0 {
                return None;
            }
            return self
                .dated_facts()
                .iter()
                .copied()
                .find(|d| self.progress_at(*d) >= 1.0);
        }
        if self.total > 0 {
            return if self.unknown == 0 {
                self.done_dates.last().copied()
            } else {
                None
            };
        }
        let metric = self.metric.as_ref()?;
        metric
            .values
            .iter()
            .find(|(_, value)| metric_progress(metric.baseline, metric.target, *value) >= 1.0)
            .map(|(date, _)| *date)
    }

    /// The first and last days with a dated fact (a leaf done, a value logged), its own
    /// or of a goal under it.
    pub(crate) fn dated_span(&self) -> Option<(Date, Date)> {
        let days = self.dated_facts();
        Some((*days.first()?, *days.last()?))
    }
}

/// `days` sorted, each once.
fn sorted_days(days: impl Iterator<Item = Date>) -> Vec<Date> {
    let mut days: Vec<Date> = days.collect();
    days.sort_unstable();
    days.dedup();
    days
}

/// `(value - baseline) / (target - baseline)`, within 0..=1.
pub(crate) fn metric_progress(baseline: f64, target: f64, value: f64) -> f64 {
    ((value - baseline) / (target - baseline)).clamp(0.0, 1.0)
}

/// One step of a burn-up chart: the goal's progress at the end of a day.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub(crate) struct ProgressPoint {
    pub(crate) date: Date,
    pub(crate) progress: f64,
}

/// The goal's progress from its start to today, one point where it changed.
pub(crate) fn burn_up(
    goal: &GoalReport,
    timeline: &GoalTimeline,
    today: Date,
) -> Vec<ProgressPoint> {
    let days = timeline.dated_facts();
    let Some(start) = goal.start.or_else(|| days.first().copied()) else {
        return Vec::new();
    };
    if start > today {
        return Vec::new();
    }
    let mut points = vec![ProgressPoint {
        date: start,
        progress: timeline.progress_at(start.add_days(-1)),
    }];
    let mut days: Vec<Date> = days
        .iter()
        .copied()
        .filter(|d| *d >= start && *d <= today)
        .collect();
    days.push(today);
    days.dedup();
    for day in days {
        let progress = timeline.progress_at(day);
        if points.last().is_some_and(|p| p.progress != progress) || day == today {
            points.push(ProgressPoint {
                date: day,
                progress,
            });
        }
    }
    points
}

/// When the goal will be done at its recent pace.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Forecast {
    pub(crate) date: Option<Date>,
    /// Leaves done per week over the window (or metric units per week), when measured.
    pub(crate) pace_per_week: Option<f64>,
    /// Why there is no date.
    pub(crate) note: Option<NoForecast>,
}

impl Forecast {
    fn none(note: NoForecast) -> Forecast {
        Forecast {
            date: None,
            pace_per_week: None,
            note: Some(note),
        }
    }
}

/// Why a forecast has no date, put in words ([`fmt::Display`]) only where a report shows
/// it: a goal's status at the end of each period reads only the date, and wrote the
/// words 67,000 times in a full build of a 10,000-file journal for nothing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum NoForecast {
    /// The goal is done, dropped or paused.
    Goal(Status),
    /// Fewer than [`FORECAST_MIN_DONE`] milestones done in the window: how many.
    FewDone(usize),
    NothingToForecastFrom,
    NoValueLogged,
    OneValueLogged,
    ValuesFromOneDay,
    NotTowardsTarget,
    BeyondHorizon,
    NoProgress,
}

impl fmt::Display for NoForecast {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const TOO_LITTLE: &str = "too little recent history to forecast";
        const WEEKS: i64 = FORECAST_WINDOW_WEEKS;
        match self {
            NoForecast::Goal(status) => write!(f, "the goal is {}", status.as_str()),
            NoForecast::FewDone(done) => write!(
                f,
                "{TOO_LITTLE}: {} done in the last {WEEKS} weeks",
                crate::text::plural(*done, "milestone"),
            ),
            NoForecast::NothingToForecastFrom => {
                f.write_str("nothing to forecast from: no milestones and no metric")
            }
            NoForecast::NoValueLogged => {
                write!(f, "{TOO_LITTLE}: no value logged in the last {WEEKS} weeks")
            }
            NoForecast::OneValueLogged => {
                write!(
                    f,
                    "{TOO_LITTLE}: one value logged in the last {WEEKS} weeks"
                )
            }
            NoForecast::ValuesFromOneDay => write!(
                f,
                "{TOO_LITTLE}: values from one day only in the last {WEEKS} weeks"
            ),
            NoForecast::NotTowardsTarget => write!(
                f,
                "no forecast: the value has not moved towards the target in the last {WEEKS} weeks"
            ),
            NoForecast::BeyondHorizon => write!(
                f,
                "no forecast: at the pace of the last {WEEKS} weeks it would take more than {FORECAST_HORIZON_YEARS} years"
            ),
            NoForecast::NoProgress => {
                write!(f, "{TOO_LITTLE}: no progress in the last {WEEKS} weeks")
            }
        }
    }
}

/// Estimates when an unfinished goal will be done: milestones left over the number done
/// per week in the last [`FORECAST_WINDOW_WEEKS`] weeks; for a metric goal, the distance
/// to the target over the change per day from the window's start (the value then is the
/// last one logged before it) to the last value logged in the window.
pub(crate) fn forecast(goal: &GoalReport, timeline: &GoalTimeline, today: Date) -> Forecast {
    forecast_as_of(timeline, goal.status, goal.total - goal.done, today)
}

/// The forecast of [`forecast`] as it was at the end of `as_of`, when the goal had
/// `status` and `left` milestones to do: what a review of a past period says.
pub(crate) fn forecast_as_of(
    timeline: &GoalTimeline,
    status: Status,
    left: u32,
    as_of: Date,
) -> Forecast {
    if status.is_final() || status == Status::Paused {
        return Forecast::none(NoForecast::Goal(status));
    }
    let window_start = as_of.add_days(-7 * FORECAST_WINDOW_WEEKS + 1);
    if timeline.has_children() {
        return rolled_up_forecast(timeline, window_start, as_of);
    }
    if timeline.total > 0 {
        let done = timeline.done_between(window_start, as_of);
        if done < FORECAST_MIN_DONE {
            return Forecast::none(NoForecast::FewDone(done));
        }
        let per_week = done as f64 / FORECAST_WINDOW_WEEKS as f64;
        return projected(as_of, f64::from(left) / per_week * 7.0, Some(per_week));
    }
    let Some(metric) = &timeline.metric else {
        return Forecast::none(NoForecast::NothingToForecastFrom);
    };
    // The values logged by `as_of`, oldest first, and where the window's begin.
    let logged = &metric.values[..metric.values.partition_point(|(d, _)| *d <= as_of)];
    let window = logged.partition_point(|(d, _)| *d < window_start);
    let Some(&(_, latest)) = logged[window..].last() else {
        return Forecast::none(NoForecast::NoValueLogged);
    };
    // The pace is the change over the window up to `as_of`, as for milestones: from the
    // value at the window's start (the last one logged before it) or else from the first
    // one logged in it, on its day.
    let (from_day, from_value) = match window.checked_sub(1) {
        Some(before) => (window_start, logged[before].1),
        None if logged.len() - window < 2 => {
            return Forecast::none(NoForecast::OneValueLogged);
        }
        None => logged[window],
    };
    let days = from_day.days_until(as_of);
    if days == 0 {
        return Forecast::none(NoForecast::ValuesFromOneDay);
    }
    let per_day = (latest - from_value) / days as f64;
    let towards_target = (metric.target - latest) * per_day > 0.0;
    if !towards_target {
        return Forecast {
            date: None,
            pace_per_week: Some(per_day * 7.0),
            note: Some(NoForecast::NotTowardsTarget),
        };
    }
    // Projected from `as_of`, where the latest value still stands.
    projected(
        as_of,
        (metric.target - latest) / per_day,
        Some(per_day * 7.0),
    )
}

/// The forecast `days` after `from`, at `pace_per_week`; none past
/// [`FORECAST_HORIZON_YEARS`]: a date centuries away says nothing a person can use (and
/// dates stop at year 9999).
fn projected(from: Date, days: f64, pace_per_week: Option<f64>) -> Forecast {
    let horizon = FORECAST_HORIZON_YEARS as f64 * 365.25;
    if days > horizon {
        return Forecast {
            date: None,
            pace_per_week,
            note: Some(NoForecast::BeyondHorizon),
        };
    }
    Forecast {
        date: Some(from.add_days(days.ceil() as i64)),
        pace_per_week,
        note: None,
    }
}

/// The forecast of a goal with child goals: what is left of its rolled-up progress over
/// the progress it gained in the window. Its pace is a share of the goal, not milestones,
/// so none is reported.
fn rolled_up_forecast(timeline: &GoalTimeline, window_start: Date, today: Date) -> Forecast {
    let now = timeline.progress_at(today);
    let gained = now - timeline.progress_at(window_start.add_days(-1));
    if gained <= 0.0 {
        return Forecast::none(NoForecast::NoProgress);
    }
    let per_week = gained / FORECAST_WINDOW_WEEKS as f64;
    projected(today, (1.0 - now) / per_week * 7.0, None)
}

/// Milestones done in one week, day by day (Monday first).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct ActivityWeek {
    /// The Monday.
    pub(crate) start: Date,
    pub(crate) days: [u32; 7],
    pub(crate) total: u32,
}

/// Leaf milestones of goals done each day of the last [`ACTIVITY_WEEKS`] weeks, the week
/// of `today` last.
pub(crate) fn activity(goals: &[Arc<GoalReport>], today: Date) -> Vec<ActivityWeek> {
    let first_monday = today.add_days(-today.days_from_monday() - 7 * (ACTIVITY_WEEKS - 1));
    let mut weeks: Vec<ActivityWeek> = (0..ACTIVITY_WEEKS)
        .map(|week| ActivityWeek {
            start: first_monday.add_days(7 * week),
            days: [0; 7],
            total: 0,
        })
        .collect();
    let done_dates = goals.iter().flat_map(|goal| {
        goal.milestones
            .iter()
            .filter(|m| m.leaf && m.effective_state == MilestoneState::Done)
            .filter_map(|m| m.done_on)
    });
    for date in done_dates {
        let offset = first_monday.days_until(date);
        if offset < 0 || date > today {
            continue;
        }
        let week = &mut weeks[(offset / 7) as usize];
        week.days[(offset % 7) as usize] += 1;
        week.total += 1;
    }
    weeks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{day, report};

    const FOUR_STEPS: &str = "---\ngoal: G\nstart: 2026-01-01\ndue: 2026-12-31\n---\n- [x] a ✅ 2026-01-10\n- [x] b ✅ 2026-02-10\n- [x] c\n- [ ] d\n";

    /// The words of each reason for no forecast, as the reports and the JSON showed them
    /// when each was written out where the forecast was made.
    #[test]
    fn reasons_for_no_forecast_read_as_they_did() {
        for (reason, words) in [
            (NoForecast::Goal(Status::Done), "the goal is done"),
            (NoForecast::Goal(Status::Paused), "the goal is paused"),
            (
                NoForecast::FewDone(0),
                "too little recent history to forecast: 0 milestones done in the last 8 weeks",
            ),
            (
                NoForecast::FewDone(1),
                "too little recent history to forecast: 1 milestone done in the last 8 weeks",
            ),
            (
                NoForecast::NothingToForecastFrom,
                "nothing to forecast from: no milestones and no metric",
            ),
            (
                NoForecast::NoValueLogged,
                "too little recent history to forecast: no value logged in the last 8 weeks",
            ),
            (
                NoForecast::OneValueLogged,
                "too little recent history to forecast: one value logged in the last 8 weeks",
            ),
            (
                NoForecast::ValuesFromOneDay,
                "too little recent history to forecast: values from one day only in the last 8 weeks",
            ),
            (
                NoForecast::NotTowardsTarget,
                "no forecast: the value has not moved towards the target in the last 8 weeks",
            ),
            (
                NoForecast::BeyondHorizon,
                "no forecast: at the pace of the last 8 weeks it would take more than 100 years",
            ),
            (
                NoForecast::NoProgress,
                "too little recent history to forecast: no progress in the last 8 weeks",
            ),
        ] {
            assert_eq!(reason.to_string(), words);
        }
    }

    #[test]
    fn progress_at_counts_dated_leaves_by_then_and_unknown_ones_always() {
        let r = report(&[("g.md", FOUR_STEPS)], "2026-03-01");
        let timeline = GoalTimeline::of(&r.goals[0]);
        assert_eq!(timeline.unknown, 1);
        assert_eq!(timeline.progress_at(day("2026-01-09")), 0.25);
        assert_eq!(timeline.progress_at(day("2026-01-10")), 0.5);
        assert_eq!(timeline.progress_at(day("2026-03-01")), r.goals[0].progress);
        assert_eq!(
            timeline.done_between(day("2026-01-10"), day("2026-02-10")),
            2
        );
        assert_eq!(
            timeline.done_between(day("2026-01-11"), day("2026-02-09")),
            0
        );
        // A period not begun yet, seen as of an earlier day, with work dated in between.
        assert_eq!(
            timeline.done_between(day("2026-03-01"), day("2026-01-01")),
            0
        );
        assert_eq!(
            timeline.last_activity(day("2026-02-01")),
            Some(day("2026-01-10"))
        );
        assert_eq!(
            timeline.dated_span(),
            Some((day("2026-01-10"), day("2026-02-10")))
        );
    }

    #[test]
    fn the_burn_up_steps_where_progress_changed() {
        let r = report(&[("g.md", FOUR_STEPS)], "2026-03-01");
        let points: Vec<(String, f64)> = r.goals[0]
            .burn_up
            .iter()
            .map(|p| (p.date.to_string(), p.progress))
            .collect();
        assert_eq!(
            points,
            [
                ("2026-01-01".into(), 0.25),
                ("2026-01-10".into(), 0.5),
                ("2026-02-10".into(), 0.75),
                ("2026-03-01".into(), 0.75),
            ]
        );
    }

    #[test]
    fn metric_goals_progress_by_the_value_logged_by_then() {
        let files = [
            (
                "g.md",
                "---\ngoal: Talks\nmetric: {target: 10}\ndue: 2026-12-31\n---\n",
            ),
            ("2026-01-05.md", "---\nmetrics: {talks: 2}\n---\n"),
            ("2026-02-02.md", "---\nmetrics: {talks: 4}\n---\n"),
        ];
        let r = report(&files, "2026-02-20");
        let timeline = GoalTimeline::of(&r.goals[0]);
        assert_eq!(timeline.progress_at(day("2026-01-04")), 0.0);
        assert_eq!(timeline.progress_at(day("2026-01-31")), 0.2);
        assert_eq!(timeline.progress_at(day("2026-02-02")), 0.4);
        // 2 talks in the 46 days from the first value to today; 6 to go at that pace is
        // 138 days from today.
        assert_eq!(r.goals[0].forecast, Some(day("2026-07-08")));
    }

    #[test]
    fn a_metric_forecast_starts_from_the_value_before_the_window() {
        let files = [
            (
                "g.md",
                "---\ngoal: Events\nmetric: {target: 8}\ndue: 2027-06-30\n---\n",
            ),
            ("2026-08-03.md", "---\nmetrics: {events: 4}\n---\n"),
            ("2026-09-21.md", "---\nmetrics: {events: 5}\n---\n"),
            ("2026-10-05.md", "---\nmetrics: {events: 6}\n---\n"),
            ("2026-10-19.md", "---\nmetrics: {events: 6}\n---\n"),
            ("2026-11-16.md", "---\nmetrics: {events: 6}\n---\n"),
        ];
        // The window is 2026-10-05 to 2026-11-29; the value at its start is 5 (logged
        // 2026-09-21), so it moved to 6 in the window: 1 in its 55 days, and the 2 to go
        // take 110 days from today.
        let goal = Arc::unwrap_or_clone(report(&files, "2026-11-29").goals.remove(0));
        assert_eq!(goal.forecast_note, None);
        assert_eq!(goal.forecast, Some(day("2027-03-19")));
        // The last value logged weeks ago: the pace is over the whole window (1 in 55
        // days, not in the 6 days from its start to the value), and the forecast runs
        // from today, never before it.
        let late = [
            files[0],
            ("2026-09-01.md", "---\nmetrics: {events: 5}\n---\n"),
            ("2026-11-01.md", "---\nmetrics: {events: 6}\n---\n"),
        ];
        let goal = Arc::unwrap_or_clone(report(&late, "2026-12-20").goals.remove(0));
        assert_eq!(goal.forecast, Some(day("2027-04-09")));
        // Nothing logged in the window: no forecast, whatever was logged before it.
        let goal = Arc::unwrap_or_clone(report(&files[..3], "2027-03-01").goals.remove(0));
        assert!(
            goal.forecast_note.unwrap().contains("no value logged"),
            "{:?}",
            goal.forecast
        );
    }

    #[test]
    fn a_forecast_more_than_a_hundred_years_away_is_none() {
        let files = [
            ("g.md", "---\ngoal: Far\nmetric: {target: 1000000}\n---\n"),
            ("2026-09-01.md", "---\nmetrics: {far: 1}\n---\n"),
            ("2026-11-01.md", "---\nmetrics: {far: 2}\n---\n"),
        ];
        let goal = Arc::unwrap_or_clone(report(&files, "2026-11-29").goals.remove(0));
        assert_eq!(goal.forecast, None);
        assert!(
            goal.forecast_note
                .as_deref()
                .is_some_and(|note| note.contains("more than 100 years")),
            "{:?}",
            goal.forecast_note
        );
    }

    #[test]
    fn the_forecast_needs_two_recent_milestones() {
        let goal = |body: &str, today: &str| {
            let text = format!("---\ngoal: G\nstart: 2026-01-01\ndue: 2026-06-30\n---\n{body}");
            Arc::unwrap_or_clone(report(&[("g.md", &text)], today).goals.remove(0))
        };
        // Two done in the 8 weeks up to 2026-03-01: a quarter of a milestone a week,
        // so the two left take 8 weeks.
        let body = "- [x] a ✅ 2026-02-01\n- [x] b ✅ 2026-02-20\n- [ ] c\n- [ ] d\n";
        let paced = goal(body, "2026-03-01");
        assert_eq!(paced.pace_per_week, Some(0.25));
        assert_eq!(paced.forecast, Some(day("2026-04-26")));
        assert_eq!(paced.status, Status::OnTrack);
        // Long after: nothing done in the window.
        let stale = goal(body, "2026-06-01");
        assert_eq!(stale.forecast, None);
        assert!(
            stale
                .forecast_note
                .as_deref()
                .unwrap()
                .contains("0 milestones done"),
            "{:?}",
            stale.forecast_note
        );
        let one = goal("- [x] a ✅ 2026-02-01\n- [ ] b\n", "2026-03-01");
        assert!(
            one.forecast_note
                .unwrap()
                .contains("1 milestone done in the last 8 weeks")
        );
    }

    #[test]
    fn a_late_forecast_makes_a_goal_at_risk_and_an_early_one_on_track() {
        use Status::*;
        let due = Some(day("2026-06-30"));
        assert_eq!(
            crate::analyse::status::with_forecast(OnTrack, Some(day("2026-07-01")), due),
            AtRisk
        );
        assert_eq!(
            crate::analyse::status::with_forecast(AtRisk, Some(day("2026-06-30")), due),
            OnTrack
        );
        assert_eq!(
            crate::analyse::status::with_forecast(AtRisk, None, due),
            AtRisk
        );
        assert_eq!(
            crate::analyse::status::with_forecast(Overdue, Some(day("2026-01-01")), due),
            Overdue
        );
    }

    #[test]
    fn activity_covers_53_weeks_ending_with_the_current_one() {
        let r = report(&[("g.md", FOUR_STEPS)], "2026-02-11");
        assert_eq!(r.activity.len(), 53);
        let last = r.activity.last().unwrap();
        assert_eq!(last.start, day("2026-02-09"));
        assert_eq!(last.days, [0, 1, 0, 0, 0, 0, 0]);
        let total: u32 = r.activity.iter().map(|w| w.total).sum();
        assert_eq!(total, 2, "the undated milestone has no week");
    }
}
