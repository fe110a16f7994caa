//! The deadlines calendar, `deadlines.ics`, read back with an iCalendar parser that is not
//! ours (the `icalendar` crate), and checked byte by byte against RFC 5545's line rules.
//! The `calendar` fixture has goals done, dropped and open, milestones done and
//! cancelled, two milestones with the same text, a loose task, a goal title with a line
//! break, and milestones with commas, semicolons, backslashes, emoji and 200 characters.
//! Every due date of `status --json` is one all-day event with the right dates, summary
//! and status; text round-trips; UIDs are unique and stay across rebuilds, added files,
//! ticked milestones, lines added above and the next day.

use std::collections::{BTreeMap, HashSet};
use std::fs;

use crate::common::{Journal, status_json};
use icalendar::{Component, DatePerhapsTime, EventStatus};
use serde_json::Value;

const TODAY: &str = "2026-03-01";

/// One event as the independent parser read it.
#[derive(Debug, Clone, PartialEq)]
struct Parsed {
    uid: String,
    start: String,
    /// The day after `start`, as the independent parser's dates count.
    day_after_start: String,
    end: Option<String>,
    stamp: Option<String>,
    summary: String,
    description: String,
    cancelled: bool,
}

/// Builds the journal as of `today`; the `deadlines.ics` it wrote, which must keep
/// RFC 5545's line rules.
fn deadlines(journal: &Journal, today: &str) -> String {
    journal.run(&["build", "--today", today]).success();
    let bytes = fs::read(journal.path().join("_reports/deadlines.ics")).unwrap();
    assert_line_rules(&bytes);
    String::from_utf8(bytes).expect("the calendar is UTF-8")
}

/// CRLF ends every line, no line is longer than 75 octets, and each line on its own is
/// valid UTF-8 (a fold never splits a character).
fn assert_line_rules(bytes: &[u8]) {
    assert!(bytes.ends_with(b"\r\n"), "the last line ends with CRLF");
    for (at, &byte) in bytes.iter().enumerate() {
        if byte == b'\n' {
            assert!(at > 0 && bytes[at - 1] == b'\r', "a bare LF at byte {at}");
        }
        if byte == b'\r' {
            assert_eq!(bytes.get(at + 1), Some(&b'\n'), "a bare CR at byte {at}");
        }
    }
    let lines: Vec<&[u8]> = bytes[..bytes.len() - 2].split(|&b| b == b'\n').collect();
    for line in &lines {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let text = std::str::from_utf8(line).expect("every line is valid UTF-8 on its own");
        assert!(line.len() <= 75, "{} octets: {text:?}", line.len());
    }
    assert!(
        lines.iter().any(|line| line.starts_with(b" ")),
        "the fixture's long titles are folded"
    );
}

fn parse(ics: &str) -> (icalendar::Calendar, Vec<Parsed>) {
    let unfolded = icalendar::parser::unfold(ics);
    let calendar: icalendar::Calendar = icalendar::parser::read_calendar(&unfolded)
        .unwrap_or_else(|error| panic!("not valid iCalendar: {error}\n{ics}"))
        .into();
    let date = |value: Option<DatePerhapsTime>| match value {
        Some(DatePerhapsTime::Date(date)) => date,
        other => panic!("an all-day event has a DATE, not {other:?}"),
    };
    let events = calendar
        .events()
        .map(|event| Parsed {
            uid: event.get_uid().expect("every event has a UID").to_string(),
            start: date(event.get_start()).to_string(),
            day_after_start: date(event.get_start()).succ_opt().unwrap().to_string(),
            end: event.get_end().map(|end| date(Some(end)).to_string()),
            stamp: event.get_timestamp().map(|stamp| stamp.to_rfc3339()),
            summary: event.get_summary().unwrap_or_default().to_string(),
            description: event.get_description().unwrap_or_default().to_string(),
            cancelled: event.get_status() == Some(EventStatus::Cancelled),
        })
        .collect();
    (calendar, events)
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or_default()
}

/// (date, summary, cancelled) of every event the report's due dates call for, in the
/// format docs/FORMAT.md gives, sorted.
fn expected_events(report: &Value) -> Vec<(String, String, bool)> {
    let mut expected = Vec::new();
    let done = |yes: bool| if yes { "✓ " } else { "" };
    for goal in report["goals"].as_array().unwrap() {
        let dropped = goal["status"] == "dropped";
        if goal["due"].is_string() {
            expected.push((
                text(&goal["due"]).to_string(),
                format!(
                    "{}Goal due: {}",
                    done(goal["status"] == "done"),
                    text(&goal["title"])
                ),
                dropped,
            ));
        }
        for milestone in goal["milestones"].as_array().unwrap() {
            if milestone["due"].is_string() {
                expected.push((
                    text(&milestone["due"]).to_string(),
                    format!(
                        "{}{} ({})",
                        done(milestone["effective_state"] == "done"),
                        text(&milestone["text"]),
                        text(&goal["title"])
                    ),
                    dropped || milestone["effective_state"] == "cancelled",
                ));
            }
        }
    }
    for task in report["loose_tasks"].as_array().unwrap() {
        if task["due"].is_string() {
            expected.push((
                text(&task["due"]).to_string(),
                text(&task["text"]).to_string(),
                false,
            ));
        }
    }
    expected.sort();
    expected
}

#[test]
fn every_due_date_is_an_all_day_event_that_another_parser_reads_back() {
    let dir = Journal::fixture("calendar");
    let ics = deadlines(&dir, TODAY);
    let (calendar, events) = parse(&ics);

    assert_eq!(calendar.property_value("VERSION"), Some("2.0"));
    assert_eq!(calendar.property_value("CALSCALE"), Some("GREGORIAN"));
    assert!(calendar.property_value("PRODID").is_some());
    assert_eq!(
        calendar.property_value("X-WR-CALNAME"),
        Some("Goal deadlines")
    );

    let report = status_json(dir.path(), TODAY);
    let expected = expected_events(&report);
    let mut found: Vec<(String, String, bool)> = events
        .iter()
        .map(|e| (e.start.clone(), e.summary.clone(), e.cancelled))
        .collect();
    found.sort();
    assert_eq!(found, expected);
    // 3 goals, 9 milestones and a loose task have due dates.
    assert_eq!(events.len(), 13);

    for event in &events {
        assert_eq!(
            event.end.as_ref(),
            Some(&event.day_after_start),
            "{event:?}"
        );
        assert_eq!(
            event.stamp.as_deref(),
            Some("2026-03-01T00:00:00+00:00"),
            "DTSTAMP is the build's day"
        );
        assert!(event.uid.ends_with("@trailmark"), "{event:?}");
    }
    let uids: HashSet<&str> = events.iter().map(|e| e.uid.as_str()).collect();
    assert_eq!(uids.len(), events.len(), "UIDs are unique");

    // Escaping and folding give back the journal's text exactly.
    let title = "Ship v2, phase 1; the \\ hard part\nthen the rest 🚀";
    let long = events
        .iter()
        .find(|e| e.summary.starts_with("Write the very"))
        .unwrap();
    let long_text = long.summary.strip_suffix(&format!(" ({title})")).unwrap();
    assert_eq!(long_text.chars().count(), 200);
    assert!(long_text.ends_with("📝, with; every \\ kind of text..."));
    assert!(
        events
            .iter()
            .any(|e| e.summary
                == format!("Draft, review; merge \\ the C:\\notes folder 🎉 ({title})"))
    );
    // As written: a lenient parser would also read unescaped commas and semicolons.
    assert!(
        icalendar::parser::unfold(&ics).contains(concat!(
            r"SUMMARY:Draft\, review\; merge \\ the C:\\notes folder 🎉 ",
            r"(Ship v2\, phase 1\; the \\ hard part\nthen the rest 🚀)",
            "\r\n"
        )),
        "{ics}"
    );
    let goal = events
        .iter()
        .find(|e| e.summary == format!("Goal due: {title}"))
        .unwrap();
    assert!(
        goal.description.starts_with(&format!(
            "Goal: {title}\nStatus: on-track\nProgress: 17% (1 of 6 milestones)\nArea: work"
        )),
        "{:?}",
        goal.description
    );
    let kick_off = events
        .iter()
        .find(|e| e.summary.starts_with("✓ Kick-off meeting"))
        .unwrap();
    assert!(
        kick_off
            .description
            .contains("Milestone: done on 2026-02-01\nGoal status: on-track"),
        "{:?}",
        kick_off.description
    );
}

/// UIDs by (date, summary without the done mark), to find an event again after an edit.
fn uids(ics: &str) -> BTreeMap<(String, String), String> {
    parse(ics)
        .1
        .into_iter()
        .map(|e| {
            let summary = e.summary.trim_start_matches("✓ ").to_string();
            ((e.start, summary), e.uid)
        })
        .collect()
}

#[test]
fn uids_stay_across_builds_unrelated_files_ticks_and_days() {
    let dir = Journal::fixture("calendar");
    let first = deadlines(&dir, TODAY);
    let before = uids(&first);
    assert_eq!(before.len(), 13, "the two `Monthly report`s differ by date");

    let again = deadlines(&dir, TODAY);
    assert_eq!(
        again, first,
        "a build with nothing changed writes the same bytes"
    );

    // An unrelated file: a new goal with its own deadline and an entry.
    dir.write(
        "other.md",
        "---\ngoal: Learn to juggle\ndue: 2026-05-05\n---\n- [ ] Three balls 📅 2026-04-04\n",
    );
    dir.write("2026-02-09.md", "# Week 7\n\nQuiet week.\n");
    let with_more = uids(&deadlines(&dir, TODAY));
    assert_eq!(with_more.len(), 15);
    for (key, uid) in &before {
        assert_eq!(with_more.get(key), Some(uid), "{key:?}");
    }

    // Ticking a milestone changes its summary, not its UID; nor does a line added above.
    let text = dir.read("goals.md");
    let edited = text
        .replace(
            "- [ ] Monthly report 📅 2026-04-30",
            "- [x] Monthly report 📅 2026-04-30",
        )
        .replace("# ship\n", "# ship\n\n- [ ] Plan the launch\n");
    assert_ne!(edited, text);
    dir.write("goals.md", edited);
    let ticked = deadlines(&dir, TODAY);
    assert!(ticked.contains("SUMMARY:✓ Monthly report"), "{ticked}");
    assert_eq!(uids(&ticked), with_more);

    // The next day only DTSTAMP changes.
    let next_day = deadlines(&dir, "2026-03-02");
    assert_eq!(uids(&next_day), with_more);
    assert_eq!(
        next_day.replace("DTSTAMP:20260302T000000Z", "DTSTAMP:20260301T000000Z"),
        ticked
    );

    // Editing a milestone's text makes it another event (docs/FORMAT.md says so).
    let text = dir.read("goals.md");
    dir.write(
        "goals.md",
        text.replace("Kick-off meeting", "Kickoff meeting"),
    );
    let renamed = uids(&deadlines(&dir, TODAY));
    let old = &before[&(
        "2026-02-15".to_string(),
        format!(
            "Kick-off meeting ({})",
            "Ship v2, phase 1; the \\ hard part\nthen the rest 🚀"
        ),
    )];
    assert!(!renamed.values().any(|uid| uid == old));
    assert_eq!(renamed.len(), 15);
}
