//! The deadlines calendar, `deadlines.ics`: its events (`plan::calendar`) in iCalendar
//! (RFC 5545).
//!
//! Written by code, not by a template: iCalendar is a line format with rules a template
//! cannot keep (CRLF line ends, lines folded at 75 octets, `\`, `;`, `,` and line breaks
//! escaped in text), and an overridden template that broke one of them would give a file
//! calendar apps reject without saying why. There is nothing to lay out either.

use crate::dates::Date;
use crate::plan::calendar::Event;

/// The calendar's name in calendar apps.
const CALENDAR_NAME: &str = "Goal deadlines";

/// The longest line, in octets, without its CRLF (RFC 5545, section 3.1).
const MAX_LINE: usize = 75;

/// The calendar: `DTSTAMP` is `today` at midnight UTC, so builds on one day give the
/// same bytes (see docs/FORMAT.md for why).
pub(crate) fn render(events: &[Event], today: Date) -> String {
    let mut ics = String::new();
    let mut line = |text: &str| fold_into(&mut ics, text);
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line("PRODID:-//trailmark//deadlines//EN");
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    line(&format!("X-WR-CALNAME:{}", escape_text(CALENDAR_NAME)));
    line(&format!("NAME:{}", escape_text(CALENDAR_NAME)));
    let stamp = date_value(today).map(|date| format!("{date}T000000Z"));
    for event in events {
        let Some(start) = date_value(event.date) else {
            // Years past 9999 have no iCalendar form.
            continue;
        };
        line("BEGIN:VEVENT");
        line(&format!("UID:{}", event.uid));
        if let Some(stamp) = &stamp {
            line(&format!("DTSTAMP:{stamp}"));
        }
        line(&format!("DTSTART;VALUE=DATE:{start}"));
        // Without DTEND a date event lasts one day anyway (section 3.6.1): the last day of
        // year 9999 has no next day to end on.
        if let Some(end) = date_value(event.date.add_days(1)) {
            line(&format!("DTEND;VALUE=DATE:{end}"));
        }
        line(&format!("SUMMARY:{}", escape_text(&event.summary)));
        line(&format!("DESCRIPTION:{}", escape_text(&event.description)));
        if event.cancelled {
            line("STATUS:CANCELLED");
        }
        // A deadline does not make anyone busy.
        line("TRANSP:TRANSPARENT");
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    ics
}

/// `20261031`, for years iCalendar can write (four digits).
fn date_value(date: Date) -> Option<String> {
    (0..=9999)
        .contains(&date.year())
        .then(|| date.to_string().replace('-', ""))
}

/// A TEXT value (RFC 5545, section 3.3.11): backslash, semicolon and comma escaped, line
/// breaks (`\n`, `\r\n`, `\r`) written as `\n`, other control characters (not allowed in
/// TEXT) left out; tabs are kept.
pub(crate) fn escape_text(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            ';' => escaped.push_str("\\;"),
            ',' => escaped.push_str("\\,"),
            '\n' => escaped.push_str("\\n"),
            '\r' => {
                chars.next_if_eq(&'\n');
                escaped.push_str("\\n");
            }
            '\t' => escaped.push('\t'),
            c if c.is_control() => {}
            c => escaped.push(c),
        }
    }
    escaped
}

/// Appends one content line, folded (section 3.1): a line longer than 75 octets goes on
/// in lines that start with a space, broken between characters, never inside one.
fn fold_into(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > MAX_LINE {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn folded(line: &str) -> String {
        let mut out = String::new();
        fold_into(&mut out, line);
        out
    }

    /// Undoes folding: a line break followed by a space is removed.
    fn unfold(text: &str) -> String {
        text.replace("\r\n ", "")
    }

    /// Reverses [`escape_text`], as a calendar app reads a TEXT value.
    fn unescape(text: &str) -> String {
        let mut plain = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            match (c, c == '\\') {
                (_, true) => match chars.next() {
                    Some('n') => plain.push('\n'),
                    Some(other) => plain.push(other),
                    None => panic!("a lone backslash at the end of {text:?}"),
                },
                (c, false) => plain.push(c),
            }
        }
        plain
    }

    #[test]
    fn text_escapes_the_characters_rfc_5545_reserves() {
        assert_eq!(escape_text(r"a\b;c,d"), r"a\\b\;c\,d");
        assert_eq!(
            escape_text("one\ntwo\r\nthree\rfour"),
            r"one\ntwo\nthree\nfour"
        );
        assert_eq!(escape_text("tab\there\u{7}bell\u{0}"), "tab\therebell");
        assert_eq!(escape_text("colon: ok 🎯"), "colon: ok 🎯");
        assert_eq!(
            escape_text(r"\n"),
            r"\\n",
            "a written backslash-n stays text"
        );
    }

    #[test]
    fn short_lines_are_not_folded() {
        assert_eq!(folded("SUMMARY:short"), "SUMMARY:short\r\n");
        let exactly = format!("SUMMARY:{}", "x".repeat(MAX_LINE - 8));
        assert_eq!(folded(&exactly), format!("{exactly}\r\n"));
    }

    #[test]
    fn folding_never_splits_a_character() {
        // 8 octets of name, then 4-octet emoji: the first line can take 16 of them (72
        // octets), and the 17th would end at 76.
        let line = format!("SUMMARY:{}", "🎯".repeat(20));
        let out = folded(&line);
        let lines: Vec<&str> = out.split_terminator("\r\n").collect();
        assert_eq!(lines[0], format!("SUMMARY:{}", "🎯".repeat(16)));
        assert_eq!(lines[1], format!(" {}", "🎯".repeat(4)));
    }

    #[test]
    fn the_calendar_frame_and_an_event() {
        let today = Date::parse("2026-03-01").unwrap();
        let event = Event {
            uid: "x@trailmark".to_string(),
            date: Date::parse("2026-12-31").unwrap(),
            summary: "Goal due: a, b".to_string(),
            description: "line\nnext".to_string(),
            cancelled: true,
        };
        let ics = render(&[event], today);
        assert!(
            ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"),
            "{ics}"
        );
        assert!(ics.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"), "{ics}");
        for expected in [
            "DTSTAMP:20260301T000000Z",
            "DTSTART;VALUE=DATE:20261231",
            "DTEND;VALUE=DATE:20270101",
            r"SUMMARY:Goal due: a\, b",
            r"DESCRIPTION:line\nnext",
            "STATUS:CANCELLED",
        ] {
            assert!(
                ics.contains(&format!("\r\n{expected}\r\n")),
                "{expected} in {ics}"
            );
        }
    }

    #[test]
    fn the_last_day_of_year_9999_has_no_end_and_later_days_no_event() {
        let today = Date::parse("2026-03-01").unwrap();
        let last = Date::parse("9999-12-31").unwrap();
        let on = |date: Date| Event {
            uid: "x@trailmark".to_string(),
            date,
            summary: String::new(),
            description: String::new(),
            cancelled: false,
        };
        let ics = render(&[on(last)], today);
        assert!(ics.contains("\r\nDTSTART;VALUE=DATE:99991231\r\n"), "{ics}");
        assert!(!ics.contains("DTEND"), "{ics}");
        assert!(!render(&[on(last.add_days(1))], today).contains("VEVENT"));
    }

    proptest! {
        #[test]
        fn folded_text_unfolds_to_the_original(text in any::<String>(), name in "[A-Z]{1,12}") {
            let line = format!("{name}:{}", escape_text(&text));
            let out = folded(&line);
            prop_assert!(out.ends_with("\r\n"));
            for physical in out.as_bytes().split(|&b| b == b'\n') {
                let physical = physical.strip_suffix(b"\r").unwrap_or(physical);
                prop_assert!(physical.len() <= MAX_LINE, "{} octets", physical.len());
                prop_assert!(std::str::from_utf8(physical).is_ok());
                prop_assert!(!physical.contains(&b'\r'), "a CR only before LF");
            }
            let unfolded = unfold(&out);
            prop_assert_eq!(unfolded.strip_suffix("\r\n"), Some(line.as_str()));
            let value = &line[name.len() + 1..];
            let expected: String = text
                .replace("\r\n", "\n")
                .replace('\r', "\n")
                .chars()
                .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
                .collect();
            prop_assert_eq!(unescape(value), expected);
        }
    }
}
