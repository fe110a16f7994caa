use super::*;
use crate::testing::day;

fn plan(count: u32, per: Per, start: &str) -> Plan<'static> {
    Plan {
        count,
        per,
        start: day(start),
        until: None,
        pauses: &[],
        paused_from: None,
        week_start: Weekday::Monday,
    }
}

fn on(dates: &[&str]) -> Vec<(Date, f64)> {
    dates.iter().map(|d| (day(d), 1.0)).collect()
}

fn labels(report: &CadenceReport) -> Vec<&str> {
    report.periods.iter().map(|p| p.label.as_str()).collect()
}

fn states(report: &CadenceReport) -> Vec<String> {
    report
        .periods
        .iter()
        .map(|p| {
            serde_json::to_value(p.state)
                .unwrap()
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn weeks_cross_the_year_end_through_iso_week_53() {
    let report = analyse(&plan(1, Per::Week, "2026-12-21"), &[], day("2027-01-11"));
    assert_eq!(
        labels(&report),
        ["2026-W52", "2026-W53", "2027-W01", "2027-W02"]
    );
    assert_eq!(report.periods[1].start, day("2026-12-28"));
    assert_eq!(report.periods[1].end, day("2027-01-03"));
}

#[test]
fn weeks_follow_week_start() {
    let mut sunday = plan(1, Per::Week, "2026-12-21");
    sunday.week_start = Weekday::Sunday;
    let report = analyse(&sunday, &on(&["2026-12-20"]), day("2026-12-30"));
    // The first week starts on Sunday the 20th, the day before the cadence does: that day
    // expects nothing, and an occurrence on it is before the start.
    assert_eq!(report.periods[0].start, day("2026-12-20"));
    assert_eq!(report.periods[0].end, day("2026-12-26"));
    assert_eq!(report.periods[0].done, 1.0);
    assert_eq!(report.current.as_ref().unwrap().start, day("2026-12-27"));
}

#[test]
fn quarters_and_years_cross_the_year_end() {
    let report = analyse(
        &plan(2, Per::Quarter, "2026-11-01"),
        &on(&["2026-11-03", "2026-12-31", "2027-01-01"]),
        day("2027-02-10"),
    );
    assert_eq!(labels(&report), ["2026-Q4", "2027-Q1"]);
    // 61 of Q4's 92 days: 2 × 61 / 92 = 1.33, rounded up.
    assert_eq!(report.periods[0].target, 2);
    assert_eq!(states(&report), ["met", "on-track"]);
    let report = analyse(&plan(12, Per::Year, "2025-07-01"), &[], day("2027-01-01"));
    assert_eq!(labels(&report), ["2025", "2026", "2027"]);
    // 184 of 365 days: 12 × 184 / 365 = 6.05, rounded up.
    assert_eq!(report.periods[0].target, 7);
}

#[test]
fn a_day_cadence_has_a_period_a_day() {
    let report = analyse(
        &plan(1, Per::Day, "2026-03-01"),
        &on(&["2026-03-02"]),
        day("2026-03-03"),
    );
    assert_eq!(labels(&report), ["2026-03-01", "2026-03-02", "2026-03-03"]);
    assert_eq!(states(&report), ["missed", "met", "behind"]);
}

#[test]
fn partial_pauses_shrink_the_target_and_full_ones_pause_the_period() {
    let pauses = [Pause {
        from: day("2026-04-16"),
        to: day("2026-05-31"),
    }];
    let mut paused = plan(3, Per::Month, "2026-03-01");
    paused.pauses = &pauses;
    let report = analyse(
        &paused,
        &on(&["2026-03-05", "2026-04-02"]),
        day("2026-06-02"),
    );
    let targets: Vec<u32> = report.periods.iter().map(|p| p.target).collect();
    // April: 15 of 30 days, 3 × 15 / 30 = 1.5, rounded up to 2.
    assert_eq!(targets, [3, 2, 0, 3]);
    assert_eq!(states(&report), ["missed", "missed", "paused", "on-track"]);
}

#[test]
fn declared_paused_pauses_from_today_on() {
    let mut paused = plan(2, Per::Month, "2026-03-01");
    paused.paused_from = Some(day("2026-03-16"));
    let report = analyse(&paused, &[], day("2026-03-16"));
    // 15 of 31 days apply: 2 × 15 / 31 = 0.97, rounded up to 1.
    assert_eq!(report.periods[0].target, 1);
}

#[test]
fn streaks_count_periods_and_skip_paused_ones() {
    let pauses = [Pause {
        from: day("2026-05-01"),
        to: day("2026-05-31"),
    }];
    let mut monthly = plan(1, Per::Month, "2026-01-01");
    monthly.pauses = &pauses;
    let done = on(&[
        "2026-01-10",
        "2026-02-10",
        "2026-04-10",
        "2026-06-10",
        "2026-07-10",
    ]);
    let report = analyse(&monthly, &done, day("2026-07-20"));
    assert_eq!(
        states(&report),
        ["met", "met", "missed", "met", "paused", "met", "met"]
    );
    // April, (May paused), June and July: the current period counts once met.
    assert_eq!((report.streak, report.longest_streak), (3, 3));
    let report = analyse(&monthly, &done[..4], day("2026-07-20"));
    assert_eq!((report.streak, report.longest_streak), (2, 2));
    let report = analyse(&monthly, &done[..2], day("2026-07-20"));
    assert_eq!((report.streak, report.longest_streak), (0, 2));
}

#[test]
fn buffer_and_next_needed_follow_the_even_pace() {
    let quarterly = plan(2, Per::Quarter, "2026-01-01");
    // Q4 has 92 days: the first of two is needed once 2 × elapsed / 92 reaches 1, on the
    // 46th day, 15 November.
    let report = analyse(&quarterly, &[], day("2026-10-10"));
    let current = report.current.unwrap();
    assert_eq!(current.next_needed_by, Some(day("2026-11-15")));
    assert_eq!(current.buffer_days, 36);
    assert_eq!(current.expected, 0.22);
    assert_eq!(current.days_left, 83);
    assert_eq!(current.state, PeriodState::OnTrack);
    // One done: the second is needed by the last day.
    let report = analyse(&quarterly, &on(&["2026-10-05"]), day("2026-10-10"));
    let current = report.current.unwrap();
    assert_eq!(current.next_needed_by, Some(day("2026-12-31")));
    assert_eq!(current.buffer_days, 82);
    // None done by 20 November: behind since the 15th.
    let report = analyse(&quarterly, &[], day("2026-11-20"));
    let current = report.current.unwrap();
    assert_eq!(current.state, PeriodState::Behind);
    assert_eq!(current.buffer_days, -5);
    // Met: nothing needed, the rest of the period is slack.
    let report = analyse(
        &quarterly,
        &on(&["2026-10-05", "2026-10-06"]),
        day("2026-12-30"),
    );
    let current = report.current.unwrap();
    assert_eq!((current.next_needed_by, current.buffer_days), (None, 2));
}

#[test]
fn pauses_stretch_the_next_needed_date() {
    let pauses = [Pause {
        from: day("2026-11-01"),
        to: day("2026-11-10"),
    }];
    let mut monthly = plan(1, Per::Month, "2026-01-01");
    monthly.pauses = &pauses;
    let report = analyse(&monthly, &[], day("2026-11-12"));
    // 20 days apply, so the one occurrence is due on the 20th of them: the 30th.
    assert_eq!(
        report.current.unwrap().next_needed_by,
        Some(day("2026-11-30"))
    );
}

#[test]
fn metric_increments_count_as_their_rise() {
    let metric = MetricReport {
        unit: None,
        target: 8.0,
        baseline: 1.0,
        latest: Some(4.0),
        latest_on: Some(day("2026-03-01")),
        values: [
            ("2026-01-05", 2.0),
            ("2026-02-01", 2.0),
            ("2026-02-10", 4.5),
            ("2026-03-01", 4.0),
        ]
        .into_iter()
        .map(|(date, value)| crate::model::MetricValue {
            date: day(date),
            value,
            file: "e.md".into(),
            document: 0,
        })
        .collect(),
    };
    let found = occurrences(&[], Some(&metric), day("2026-02-28"));
    assert_eq!(found, [(day("2026-01-05"), 1.0), (day("2026-02-10"), 2.5)]);
}

#[test]
fn status_comes_from_the_current_period() {
    let monthly = plan(1, Per::Month, "2026-01-01");
    let status_on = |done: &[&str], today: &str| {
        let report = analyse(&monthly, &on(done), day(today));
        status(&report, None, day(today))
    };
    assert_eq!(status_on(&["2026-01-02"], "2026-01-10"), Status::OnTrack);
    assert_eq!(status_on(&[], "2026-01-10"), Status::OnTrack);
    assert_eq!(status_on(&[], "2026-01-31"), Status::AtRisk);
    // One missed month is not yet overdue; two in a row are, until the current one is met.
    assert_eq!(status_on(&[], "2026-02-10"), Status::OnTrack);
    assert_eq!(status_on(&[], "2026-03-10"), Status::Overdue);
    assert_eq!(status_on(&["2026-03-02"], "2026-03-10"), Status::OnTrack);
    let report = analyse(&monthly, &[], day("2025-12-01"));
    assert_eq!(status(&report, None, day("2025-12-01")), Status::Open);
    let mut ended = plan(1, Per::Month, "2026-01-01");
    ended.until = Some(day("2026-02-28"));
    let report = analyse(&ended, &on(&["2026-01-02"]), day("2026-04-01"));
    assert_eq!(labels(&report), ["2026-01", "2026-02"]);
    assert!(report.current.is_none());
    assert_eq!(
        status(&report, ended.until, day("2026-04-01")),
        Status::Done
    );
    assert_eq!(progress(&report), 0.5);
}

#[test]
fn strength_is_loops_score_over_periods() {
    let daily = plan(1, Per::Day, "2026-01-01");
    // One day met: 1 − 0.5^(1/13).
    let report = analyse(&daily, &on(&["2026-01-01"]), day("2026-01-02"));
    assert_eq!(report.strength, 0.052);
    // Q1 2026 (90 days) of two, met: m = 0.5^(90 × √(2/90) / 13) = 0.489.
    let report = analyse(
        &plan(2, Per::Quarter, "2026-01-01"),
        &on(&["2026-01-10", "2026-01-11"]),
        day("2026-04-02"),
    );
    assert_eq!(report.strength, 0.511);
}

#[test]
fn a_cadence_goal_takes_its_status_from_its_periods_and_stays_out_of_its_parents_progress() {
    let files = [
        (
            "goals.md",
            "---\ngoals:\n  - title: Career\n  - title: Events\n    parent: career\n    \
             start: 2026-01-01\n    cadence: {count: 2, per: quarter}\n  - title: Course\n    \
             parent: career\n---\n",
        ),
        (
            "2026-02-03.md",
            "---\ncheckins: {events: {confidence: 6, note: one booked}}\n---\n\
             - [x] Meetup #events\n- [x] Module 1 #course\n- [ ] Module 2 #course\n",
        ),
    ];
    let report = crate::testing::report(&files, "2026-05-20");
    let career = &report.goals[0];
    // Only the course rolls up: (its 1 of 2) / 1 child.
    assert_eq!(career.progress, 0.5);
    let events = &report.goals[1];
    // Q1 got 1 of 2 (missed); Q2 expects 1 by 15 May and has none: behind.
    assert_eq!(events.status, Status::AtRisk);
    let periods = events.cadence.as_ref().unwrap();
    assert_eq!(states(periods), ["missed", "behind"]);
    assert_eq!(events.progress, 0.0);
    assert_eq!(events.forecast, None);
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    let events = &json["goals"][1];
    assert_eq!(events["cadence"]["current"]["next_needed_by"], "2026-05-16");
    assert_eq!(events["cadence"]["per"], "quarter");
    assert_eq!(events["checkins"][0]["confidence"], 6);
    assert_eq!(events["checkins"][0]["note"], "one booked");
    assert!(json["goals"][0].get("cadence").is_none());
}

#[test]
fn counts_are_whole_or_have_one_decimal() {
    assert_eq!(count(2.0), "2");
    assert_eq!(count(1.5), "1.5");
    assert_eq!(count(0.0), "0");
}

#[test]
fn stale_checkins_are_warned_only_when_asked_and_only_for_goals_checked_in_on() {
    let files = [
        (
            "g.md",
            "---\ngoals:\n  - title: Events\n  - title: Quiet\n  - title: Rest\n    status: paused\n---\n",
        ),
        (
            "2026-03-01.md",
            "---\ncheckins: {events: {confidence: 5}, rest: {confidence: 2}}\n---\n",
        ),
    ];
    let journal = crate::testing::journal(&files);
    let analysed = |days| {
        let rules = crate::analyse::Rules {
            stale_checkins_after_days: days,
            ..Default::default()
        };
        let report =
            crate::analyse::analyse(&journal, &Default::default(), day("2026-03-15"), &rules);
        report
            .diagnostics
            .iter()
            .filter(|d| d.message.contains("checked in"))
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(analysed(None), Vec::<String>::new());
    assert_eq!(analysed(Some(15)), Vec::<String>::new());
    let warned = analysed(Some(14));
    assert_eq!(warned.len(), 1, "{warned:?}");
    assert!(
        warned[0].starts_with(
            "g.md:3:5: warning: goal `events` was last checked in on 2026-03-01, 14 days ago"
        ),
        "{warned:?}"
    );
}

#[test]
fn reviews_show_cadence_periods_check_ins_and_statuses_as_they_were() {
    use crate::analyse::period::{Period, PeriodKind};
    use crate::analyse::review::Reviewer;
    let journal = crate::testing::journal(&[
        (
            "g.md",
            "---\ngoal: Mentor\nid: mentor\nstart: 2026-01-01\ncadence: {count: 1, per: month}\n\
             ---\n- [x] January ✅ 2026-01-20\n- [x] June ✅ 2026-06-02\n",
        ),
        (
            "2026-04-13.md",
            "---\ncheckins: {mentor: {confidence: 3, note: slipping}}\n---\n",
        ),
    ]);
    let report = crate::analyse::analyse(
        &journal,
        &Default::default(),
        day("2026-06-10"),
        &Default::default(),
    );
    let reviewer = Reviewer::new(&journal, &report);
    let review = |kind, on| reviewer.review(Period::containing(kind, day(on), Weekday::Monday));
    // Today the goal is on track (June is met); in April it had missed February and March.
    assert_eq!(report.goals[0].status, Status::OnTrack);
    let april = review(PeriodKind::Month, "2026-04-01");
    assert_eq!(april.became_overdue.len(), 1);
    assert_eq!(april.became_overdue[0].date, None);
    assert_eq!(
        april
            .progress
            .iter()
            .chain(&april.unchanged)
            .next()
            .unwrap()
            .status,
        Status::Overdue
    );
    let periods = &april.cadences[0].periods;
    assert_eq!((periods.len(), periods[0].state), (1, PeriodState::Missed));
    assert_eq!(april.checkins.len(), 1);
    assert_eq!(april.checkins[0].note.as_deref(), Some("slipping"));
    // A quarter's review of a monthly cadence shows its three months; the current one as
    // of today.
    let q2 = review(PeriodKind::Quarter, "2026-06-01");
    let states: Vec<PeriodState> = q2.cadences[0].periods.iter().map(|p| p.state).collect();
    assert_eq!(
        states,
        [PeriodState::Missed, PeriodState::Missed, PeriodState::Met]
    );
    let q1 = review(PeriodKind::Quarter, "2026-01-01");
    assert!(q1.checkins.is_empty());
    assert_eq!(q1.cadences[0].periods.len(), 3);
}

#[test]
fn periods_go_back_twenty_years_at_most() {
    let report = analyse(&plan(1, Per::Day, "0001-01-01"), &[], day("2026-06-01"));
    assert_eq!(report.periods.len(), 7306);
    assert_eq!(report.periods[0].start, day("2006-06-01"));
    let report = analyse(&plan(1, Per::Year, "0001-01-01"), &[], day("2026-06-01"));
    assert_eq!(labels(&report).first(), Some(&"2006"));
}

#[test]
fn a_day_in_any_of_many_pauses_is_paused() {
    let pauses: Vec<Pause> = (0..1000)
        .map(|i| Pause {
            from: day("2020-01-01").add_days(i * 3),
            to: day("2020-01-01").add_days(i * 3 + 1),
        })
        .collect();
    let found: Vec<bool> = (0..7)
        .map(|i| paused_on(&pauses, day("2020-01-01").add_days(2997 - 3 + i)))
        .collect();
    // ..., pause (2994, 2995), free 2996, pause (2997, 2998), free after.
    assert_eq!(found, [true, true, false, true, true, false, false]);
    assert!(!paused_on(&pauses, day("2019-12-31")));
    assert!(!paused_on(&[], day("2019-12-31")));
}

#[test]
fn a_status_on_a_past_day_is_the_one_a_report_of_that_day_gives() {
    let files = [(
        "g.md",
        "---\ngoal: G\nstart: 2026-01-10\ncadence: {count: 2, per: month}\n\
         pauses: [{from: 2026-04-01, to: 2026-05-15}]\n---\n\
         - [x] a ✅ 2026-01-12\n- [x] b ✅ 2026-01-30\n- [x] c ✅ 2026-03-03\n\
         - [x] d ✅ 2026-05-20\n- [x] e ✅ 2026-06-01\n- [x] f ✅ 2026-06-29\n",
    )];
    let today = crate::testing::report(&files, "2026-08-15");
    let goal = &today.goals[0];
    let mut date = day("2026-01-01");
    while date <= day("2026-08-15") {
        let then = crate::testing::report(&files, &date.to_string());
        assert_eq!(
            status_at(goal, date, Weekday::Monday),
            Some(then.goals[0].status),
            "on {date}"
        );
        date = date.add_days(1);
    }
}
