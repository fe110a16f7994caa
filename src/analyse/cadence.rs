//! Cadence goals: "two industry events a quarter". A goal's occurrences are counted in
//! each period from its start, each period gets a target and a state, and the current
//! one the even pace of Beeminder's road: how many are expected by today, how many days
//! of slack are left, and the day the next occurrence is needed by (org-habit's "next
//! needed"). Streaks count periods, not days, and a paused period neither breaks nor
//! extends one; the strength is Loop Habit Tracker's score over periods. The rules are
//! written in docs/FORMAT.md, "Cadence goals and check-ins".
//!
//! About 500 lines with its comments, on purpose in one file: the periods, their pace, the
//! status and the views of them (a review's, a stale check-in's) share one set of rules
//! that read best side by side. Its tests are in `cadence/tests.rs`.

use serde::Serialize;
use std::sync::Arc;

use super::period::{Period, PeriodKind};
use super::review::{GoalId, GoalTitle};
use super::status::Status;
use super::{GoalReport, MetricReport, MilestoneReport};
use crate::dates::{Date, Weekday};
use crate::diagnostic::{Diagnostic, Position};
use crate::document::{MilestoneState, Pause, Per};

/// What a cadence expects, with the goal's dates resolved.
#[derive(Debug, Clone)]
pub(crate) struct Plan<'a> {
    pub(crate) count: u32,
    pub(crate) per: Per,
    /// The first day it applies.
    pub(crate) start: Date,
    /// The last day it applies, if it ends.
    pub(crate) until: Option<Date>,
    pub(crate) pauses: &'a [Pause],
    /// `status: paused`: nothing is expected from this day on.
    pub(crate) paused_from: Option<Date>,
    pub(crate) week_start: Weekday,
}

/// A cadence goal's periods, as the JSON and the reports show them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct CadenceReport {
    pub(crate) count: u32,
    pub(crate) per: Per,
    /// The first day it applies.
    pub(crate) start: Date,
    /// The last day it applies, if it ends.
    pub(crate) until: Option<Date>,
    pub(crate) pauses: Vec<Pause>,
    /// The period that contains today, while the cadence runs.
    pub(crate) current: Option<CurrentPeriod>,
    /// Every period from the start up to the current one (or the last one), oldest first.
    pub(crate) periods: Vec<PeriodResult>,
    /// Met periods in a row, ending with the last finished one (and the current one once
    /// it is met).
    pub(crate) streak: u32,
    pub(crate) longest_streak: u32,
    /// 0..=1: Loop Habit Tracker's habit strength, over periods.
    pub(crate) strength: f64,
}

/// A count of occurrences: whole, or with one decimal when a metric's rise made it
/// fractional.
pub(crate) fn count(done: f64) -> String {
    if done.fract() == 0.0 {
        format!("{done:.0}")
    } else {
        format!("{done:.1}")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum PeriodState {
    Met,
    OnTrack,
    Behind,
    Missed,
    Paused,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct PeriodResult {
    /// `2026-Q4`, `2026-W53`, `2026-11`, `2026`, or the day.
    pub(crate) label: String,
    pub(crate) start: Date,
    pub(crate) end: Date,
    /// Occurrences in it (a metric's increments may make it fractional).
    pub(crate) done: f64,
    /// `count`, shrunk in proportion to the days paused or outside the cadence.
    pub(crate) target: u32,
    pub(crate) state: PeriodState,
}

/// The period that contains today, with its pace.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct CurrentPeriod {
    pub(crate) label: String,
    pub(crate) start: Date,
    pub(crate) end: Date,
    pub(crate) done: f64,
    pub(crate) target: u32,
    pub(crate) state: PeriodState,
    /// `target × elapsed / length`, both counted in the days the cadence applies.
    pub(crate) expected: f64,
    /// Days it can go without an occurrence and stay on the even pace (negative: how many
    /// days it has been behind).
    pub(crate) buffer_days: i64,
    /// The day by which the next occurrence keeps it on pace; `None` once it is met.
    pub(crate) next_needed_by: Option<Date>,
    /// Days left in the period, today included.
    pub(crate) days_left: i64,
}

/// The occurrences of a goal, as (day, how many): each done leaf milestone on its done
/// day, and each rise of its metric by the rise (a first value rises from the baseline).
/// Nothing after today counts; a milestone done on an unknown day cannot be placed.
pub(crate) fn occurrences(
    milestones: &[MilestoneReport],
    metric: Option<&MetricReport>,
    today: Date,
) -> Vec<(Date, f64)> {
    let mut found: Vec<(Date, f64)> = milestones
        .iter()
        .filter(|m| m.leaf && m.effective_state == MilestoneState::Done)
        .filter_map(|m| m.done_on)
        .map(|date| (date, 1.0))
        .collect();
    if let Some(metric) = metric {
        let mut previous = metric.baseline;
        for value in &metric.values {
            let rise = value.value - previous;
            if rise > 0.0 {
                found.push((value.date, rise));
            }
            previous = value.value;
        }
    }
    found.retain(|(date, _)| *date <= today);
    found.sort_by_key(|(date, _)| *date);
    found
}

/// How far back a cadence's periods go: 20 years.
const MAX_HISTORY_DAYS: i64 = 20 * 365 + 5;

/// The cadence's periods as of `today`, from its `occurrences` sorted by date (as
/// [`occurrences`] returns them). None start before `plan.start` (nor over 20
/// years before the last); the last is the one containing today, or the one containing
/// `until` once that has passed.
pub(crate) fn analyse(plan: &Plan<'_>, occurrences: &[(Date, f64)], today: Date) -> CadenceReport {
    let last_day = plan.until.map_or(today, |until| until.min(today));
    // Periods from at most `MAX_HISTORY_DAYS` back, so that a cadence said to start in
    // year 1 costs no more than one of 20 years.
    let first_day = plan.start.max(last_day.add_days(-MAX_HISTORY_DAYS));
    let mut periods = Vec::new();
    let mut current = None;
    if plan.start <= last_day {
        let mut span = Span::containing(plan.per, first_day, plan.week_start);
        loop {
            let result = period_result(plan, &span, occurrences, today);
            if span.contains(today) && plan.until.is_none_or(|until| today <= until) {
                current = Some(current_period(plan, &span, &result, today));
            }
            periods.push(result);
            if span.contains(last_day) {
                break;
            }
            span = span.next(plan.per, plan.week_start);
        }
    }
    let (streak, longest_streak) = streaks(&periods, current.is_some());
    CadenceReport {
        count: plan.count,
        per: plan.per,
        start: plan.start,
        until: plan.until,
        pauses: plan.pauses.to_vec(),
        strength: strength(plan, &periods, current.is_some()),
        current,
        periods,
        streak,
        longest_streak,
    }
}

/// A cadence goal's status from its periods (after what the front-matter declares): done
/// once `until` has passed; open before it starts; overdue when the last two finished
/// periods (paused ones skipped) were missed and the current one is not yet met; at-risk
/// when the current period is behind; paused when it is paused; otherwise on-track.
pub(crate) fn status(report: &CadenceReport, until: Option<Date>, today: Date) -> Status {
    let current = report.current.as_ref().map(|c| c.state);
    status_of(ended_periods(report), current, until, today)
}

/// The finished periods missed in a row up to the current one, paused ones skipped.
pub(crate) fn missed_in_a_row(ended: &[PeriodResult]) -> usize {
    ended
        .iter()
        .rev()
        .filter(|p| p.state != PeriodState::Paused)
        .take_while(|p| p.state == PeriodState::Missed)
        .count()
}

/// The periods of `report` that have ended: all but the current one.
pub(crate) fn ended_periods(report: &CadenceReport) -> &[PeriodResult] {
    &report.periods[..report.periods.len() - usize::from(report.current.is_some())]
}

/// [`status`] from the periods that ended and the state of the current one.
fn status_of(
    ended: &[PeriodResult],
    current: Option<PeriodState>,
    until: Option<Date>,
    today: Date,
) -> Status {
    if until.is_some_and(|until| until < today) {
        return Status::Done;
    }
    let Some(current) = current else {
        return Status::Open;
    };
    let missed_in_a_row = missed_in_a_row(ended);
    match current {
        PeriodState::Met => Status::OnTrack,
        _ if missed_in_a_row >= 2 => Status::Overdue,
        PeriodState::Behind => Status::AtRisk,
        PeriodState::Paused => Status::Paused,
        PeriodState::OnTrack | PeriodState::Missed => Status::OnTrack,
    }
}

/// An active cadence goal's status at the end of `date`, from its periods as they were
/// then (for reviews of past periods); `None` for a goal without a cadence.
pub(crate) fn status_at(goal: &GoalReport, date: Date, week_start: Weekday) -> Option<Status> {
    let cadence = goal.cadence.as_ref()?;
    let (ended, current) = periods_then(goal, cadence, (date, date), week_start);
    let current = current.map(|p| p.state);
    Some(status_of(ended, current, cadence.until, date))
}

/// The periods as they stood at the end of `seen_on` (on or before today), counting what
/// was done by `done_by`: those that ended before it, as the report has them (nothing
/// after their end changes them), and the one containing it, counted again. Reviews ask
/// for every period of years: analysing the whole cadence for each made them quadratic.
fn periods_then<'r>(
    goal: &GoalReport,
    cadence: &'r CadenceReport,
    (seen_on, done_by): (Date, Date),
    week_start: Weekday,
) -> (&'r [PeriodResult], Option<PeriodResult>) {
    if seen_on < cadence.start {
        return (&[], None);
    }
    let ended = cadence.periods.partition_point(|p| p.end < seen_on);
    let current = cadence
        .periods
        .get(ended)
        .filter(|p| p.start <= seen_on)
        .map(|p| {
            let occurrences = occurrences(&goal.milestones, goal.metric.as_ref(), done_by);
            let span = Span {
                first: p.start,
                last: p.end,
                label_period: None,
            };
            PeriodResult {
                label: p.label.clone(),
                ..period_result(&cadence.plan(week_start), &span, &occurrences, seen_on)
            }
        });
    (&cadence.periods[..ended], current)
}

impl CadenceReport {
    /// The plan it was analysed from, to analyse it as of another day. A declared
    /// `status: paused` is left out: the status rules read it first.
    fn plan(&self, week_start: Weekday) -> Plan<'_> {
        Plan {
            count: self.count,
            per: self.per,
            start: self.start,
            until: self.until,
            pauses: &self.pauses,
            paused_from: None,
            week_start,
        }
    }
}

/// A cadence goal in a review: its periods that overlap the review's, as of its `as_of`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CadenceInReview {
    pub(crate) goal: GoalId,
    pub(crate) title: GoalTitle,
    pub(crate) count: u32,
    pub(crate) per: Per,
    pub(crate) periods: Vec<PeriodResult>,
}

/// A check-in written in a review's period.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CheckinInReview {
    pub(crate) goal: GoalId,
    pub(crate) title: GoalTitle,
    pub(crate) date: Date,
    pub(crate) confidence: Option<u8>,
    pub(crate) note: Option<String>,
    pub(crate) file: String,
}

/// `goal`'s periods that overlap `first..=last`, as they stood at the end of `as_of`
/// (once `last` is over, a period ending on it is met or missed, not behind); `None` for
/// a goal without a cadence, or with no period there yet.
pub(crate) fn in_review(
    goal: &Arc<GoalReport>,
    (first, last): (Date, Date),
    as_of: Date,
    today: Date,
    week_start: Weekday,
) -> Option<CadenceInReview> {
    let cadence = goal.cadence.as_ref()?;
    let seen_on = if last < today {
        last.add_days(1)
    } else {
        as_of
    };
    let (ended, current) = periods_then(goal, cadence, (seen_on, as_of), week_start);
    let overlapping = ended.partition_point(|p| p.end < first);
    let periods: Vec<PeriodResult> = ended[overlapping..]
        .iter()
        .cloned()
        .chain(current)
        .filter(|p| p.end >= first && p.start <= last)
        .collect();
    (!periods.is_empty()).then_some(CadenceInReview {
        goal: GoalId::of(goal),
        title: GoalTitle::of(goal),
        count: cadence.count,
        per: cadence.per,
        periods,
    })
}

/// A cadence goal's progress: the current period's share of its target, else (once it
/// ended) the share of its periods met, paused ones left out.
pub(crate) fn progress(report: &CadenceReport) -> f64 {
    if let Some(current) = &report.current {
        if current.target == 0 {
            return 1.0;
        }
        return (current.done / f64::from(current.target)).min(1.0);
    }
    let counted = report
        .periods
        .iter()
        .filter(|p| p.state != PeriodState::Paused);
    let (met, all) = counted.fold((0u32, 0u32), |(met, all), p| {
        (met + u32::from(p.state == PeriodState::Met), all + 1)
    });
    if all == 0 {
        0.0
    } else {
        f64::from(met) / f64::from(all)
    }
}

/// A warning for each active goal whose last check-in is `after_days` days old or more.
/// **Choice**: only goals with a check-in: a journal that checks in on some goals is not
/// told about all the others.
pub(crate) fn stale_checkins(
    goals: &[Arc<GoalReport>],
    today: Date,
    after_days: i64,
) -> Vec<Diagnostic> {
    goals
        .iter()
        .filter(|goal| !goal.status.is_final() && goal.status != Status::Paused)
        .filter_map(|goal| {
            let last = goal.checkins.iter().rfind(|c| c.date <= today)?.date;
            let days = last.days_until(today);
            (days >= after_days).then(|| {
                Diagnostic::warning(
                    &goal.file,
                    Some(Position::new(goal.line, goal.column)),
                    format!(
                        "goal `{}` was last checked in on {last}, {days} days ago; add \
                         `checkins: {{{}: {{confidence: 0-10}}}}` to an entry",
                        goal.id, goal.id
                    ),
                )
            })
        })
        .collect()
}

/// A period's first and last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    first: Date,
    last: Date,
    label_period: Option<Period>,
}

impl Span {
    fn containing(per: Per, date: Date, week_start: Weekday) -> Span {
        let kind = match per {
            Per::Day => {
                return Span {
                    first: date,
                    last: date,
                    label_period: None,
                };
            }
            Per::Week => PeriodKind::Week,
            Per::Month => PeriodKind::Month,
            Per::Quarter => PeriodKind::Quarter,
            Per::Year => PeriodKind::Year,
        };
        let period = Period::containing(kind, date, week_start);
        Span {
            first: period.first,
            last: period.last,
            label_period: Some(period),
        }
    }

    fn next(&self, per: Per, week_start: Weekday) -> Span {
        Span::containing(per, self.last.add_days(1), week_start)
    }

    fn contains(&self, date: Date) -> bool {
        self.first <= date && date <= self.last
    }

    fn length(&self) -> i64 {
        self.first.days_until(self.last) + 1
    }

    fn label(&self) -> String {
        self.label_period
            .map_or_else(|| self.first.to_string(), |period| period.to_string())
    }
}

/// Whether the cadence expects anything on `date`: within its dates and not paused.
fn applies_on(plan: &Plan<'_>, date: Date) -> bool {
    date >= plan.start
        && plan.until.is_none_or(|until| date <= until)
        && plan.paused_from.is_none_or(|from| date < from)
        && !paused_on(plan.pauses, date)
}

/// Whether one of `pauses` (sorted and merged, as the document stage leaves them) holds
/// `date`: a binary search, since a journal may list many.
fn paused_on(pauses: &[Pause], date: Date) -> bool {
    let after = pauses.partition_point(|pause| pause.from <= date);
    after > 0 && date <= pauses[after - 1].to
}

/// The days of `span` the cadence applies on, up to and including `through`.
fn active_days(plan: &Plan<'_>, span: &Span, through: Date) -> i64 {
    let mut days = 0;
    let mut date = span.first;
    while date <= span.last && date <= through {
        days += i64::from(applies_on(plan, date));
        date = date.add_days(1);
    }
    days
}

fn period_result(
    plan: &Plan<'_>,
    span: &Span,
    occurrences: &[(Date, f64)],
    today: Date,
) -> PeriodResult {
    let active = active_days(plan, span, span.last);
    // In proportion to the days it applies, rounded up: a period paused for half its days
    // of a 3-a-month cadence still expects 2.
    let target =
        u32::try_from((i64::from(plan.count) * active + span.length() - 1) / span.length())
            .unwrap_or(u32::MAX);
    // Occurrences are sorted by date: the period's are a slice, found by binary search
    // (a filter made a daily cadence of years quadratic). A fold from 0, not `sum`, which
    // starts at -0.0 and would write "-0".
    let from = occurrences.partition_point(|(date, _)| *date < span.first);
    let to = occurrences.partition_point(|(date, _)| *date <= span.last);
    let done = occurrences[from..to.max(from)]
        .iter()
        .fold(0.0, |done, (_, n)| done + n);
    let finished = span.last < today || plan.until.is_some_and(|until| until < today);
    let state = if target == 0 {
        PeriodState::Paused
    } else if reached(done, u64::from(target)) {
        PeriodState::Met
    } else if finished {
        PeriodState::Missed
    } else if !reached(
        done,
        pace_due(target, active_days(plan, span, today), active),
    ) {
        PeriodState::Behind
    } else {
        PeriodState::OnTrack
    };
    PeriodResult {
        label: span.label(),
        start: span.first,
        end: span.last,
        done,
        target,
        state,
    }
}

/// Occurrences the even pace asks for after `elapsed` of `active` days: whole ones, so
/// that the first day of a quarter asks for none yet.
fn pace_due(target: u32, elapsed: i64, active: i64) -> u64 {
    if active == 0 {
        return 0;
    }
    u64::try_from(i64::from(target) * elapsed / active).unwrap_or(0)
}

/// Whether `done` reaches `needed`, forgiving float sums of a metric's increments.
fn reached(done: f64, needed: u64) -> bool {
    done + 1e-9 >= needed as f64
}

fn current_period(
    plan: &Plan<'_>,
    span: &Span,
    result: &PeriodResult,
    today: Date,
) -> CurrentPeriod {
    let active = active_days(plan, span, span.last);
    let elapsed = active_days(plan, span, today);
    let expected = if active == 0 {
        0.0
    } else {
        f64::from(result.target) * elapsed as f64 / active as f64
    };
    let next_needed_by = next_needed_by(plan, span, result, active);
    let buffer_days = match next_needed_by {
        Some(date) => today.days_until(date),
        None => today.days_until(span.last) + 1,
    };
    CurrentPeriod {
        label: result.label.clone(),
        start: result.start,
        end: result.end,
        done: result.done,
        target: result.target,
        state: result.state,
        expected: (expected * 100.0).round() / 100.0,
        buffer_days,
        next_needed_by,
        days_left: today.days_until(span.last) + 1,
    }
}

/// The first day of the period on which the even pace asks for one more occurrence than
/// are done: an occurrence by then keeps the period on pace. `None` once it is met. A day
/// before today means it fell behind then.
fn next_needed_by(
    plan: &Plan<'_>,
    span: &Span,
    result: &PeriodResult,
    active: i64,
) -> Option<Date> {
    if result.target == 0 || reached(result.done, u64::from(result.target)) {
        return None;
    }
    let next = result.done.floor() as u64 + 1;
    let mut elapsed = 0;
    let mut date = span.first;
    while date <= span.last {
        elapsed += i64::from(applies_on(plan, date));
        if applies_on(plan, date) && pace_due(result.target, elapsed, active) >= next {
            return Some(date);
        }
        date = date.add_days(1);
    }
    Some(span.last)
}

/// (the current streak, the longest): met periods in a row, paused ones skipped; the
/// current period (the last, when `has_current`) counts only once met.
fn streaks(periods: &[PeriodResult], has_current: bool) -> (u32, u32) {
    let (mut run, mut longest) = (0u32, 0u32);
    for (index, period) in periods.iter().enumerate() {
        let is_current = has_current && index == periods.len() - 1;
        match period.state {
            PeriodState::Met => run += 1,
            PeriodState::Missed => run = 0,
            PeriodState::Paused | PeriodState::OnTrack | PeriodState::Behind => {}
        }
        if !is_current || period.state == PeriodState::Met {
            longest = longest.max(run);
        }
    }
    (run, longest)
}

/// Loop Habit Tracker's habit strength, `S = S·m + c·(1 − m)` with
/// `m = 0.5^(√f / 13)` for `f` repetitions a day, applied once a period with the day's `m`
/// raised to the period's length (the same as Loop's daily score when every day carries
/// the period's value): `c` is the period's share of its target (at most 1). Paused
/// periods are skipped; the current one counts once met. Rounded to 3 decimals.
fn strength(plan: &Plan<'_>, periods: &[PeriodResult], has_current: bool) -> f64 {
    let mut score = 0.0_f64;
    for (index, period) in periods.iter().enumerate() {
        let is_current = has_current && index == periods.len() - 1;
        if period.state == PeriodState::Paused || (is_current && period.state != PeriodState::Met) {
            continue;
        }
        let days = (period.start.days_until(period.end) + 1) as f64;
        let per_day = f64::from(plan.count) / days;
        let multiplier = 0.5_f64.powf(days * per_day.sqrt() / 13.0);
        let checked = (period.done / f64::from(period.target)).min(1.0);
        score = score * multiplier + checked * (1.0 - multiplier);
    }
    (score * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests;
