//! Calendar dates: the one module that knows about chrono.
//!
//! chrono's maintainer has announced it is winding down in favour of jiff. Every date
//! computation in trailmark goes through [`Date`], so a later switch touches only this file.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar day, without time or zone: the unit every journal date is kept in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Date(NaiveDate);

/// Why a piece of text is not a date, worded for the person who wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DateError(pub String);

impl Date {
    /// The earliest day there is.
    pub(crate) const MIN: Date = Date(NaiveDate::MIN);

    /// Builds a date from its parts; `None` when the day does not exist.
    pub(crate) fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        NaiveDate::from_ymd_opt(year, month, day).map(Date)
    }

    /// Today in the local time zone of the machine.
    pub(crate) fn today() -> Date {
        Date(chrono::Local::now().date_naive())
    }

    /// The local time of day, `HH:MM:SS`, for lines that say when something happened.
    pub(crate) fn clock_now() -> String {
        chrono::Local::now().format("%H:%M:%S").to_string()
    }

    /// Parses `YYYY-MM-DD`, also accepting a time after it (`2026-03-02T09:15`,
    /// `2026-03-02 09:15:00+01:00`, `2013-05-06 02:12:52 +0200`), as note apps, Jekyll and
    /// Hugo write one into `date:`.
    pub(crate) fn parse(text: &str) -> Result<Date, DateError> {
        let text = text.trim();
        let (day_part, time_part) = match text.char_indices().nth(10) {
            Some((at, 'T' | 't' | ' ')) => (&text[..at], Some(&text[at + 1..])),
            _ => (text, None),
        };
        let date = parse_day(day_part).ok_or_else(|| not_a_date(text))?;
        if let Some(time) = time_part
            && !is_time(time)
        {
            return Err(not_a_date(text));
        }
        date.ok_or_else(|| DateError(format!("`{text}` is not a day of the calendar")))
    }

    /// The first `YYYY-MM-DD` in a file name that is a real day, if any; also
    /// `YYYY_MM_DD`, the name Logseq gives its journal pages.
    pub(crate) fn find_in_file_name(name: &str) -> Option<Date> {
        let bytes = name.as_bytes();
        (0..bytes.len().saturating_sub(9)).find_map(|start| {
            let candidate = name.get(start..start + 10)?;
            let bounded = start == 0 || !bytes[start - 1].is_ascii_digit();
            let ends = bytes.get(start + 10).is_none_or(|b| !b.is_ascii_digit());
            if bounded && ends {
                let logseq = candidate.as_bytes()[4] == b'_' && candidate.as_bytes()[7] == b'_';
                if logseq {
                    parse_day(&candidate.replace('_', "-")).flatten()
                } else {
                    parse_day(candidate).flatten()
                }
            } else {
                None
            }
        })
    }

    /// Whole days from `self` to `later` (negative when `later` is earlier).
    pub(crate) fn days_until(self, later: Date) -> i64 {
        (later.0 - self.0).num_days()
    }

    /// The day `days` later (earlier when negative), staying within the calendar's
    /// range: far-off dates computed from user data saturate instead of failing.
    pub(crate) fn add_days(self, days: i64) -> Date {
        let moved =
            chrono::TimeDelta::try_days(days).and_then(|delta| self.0.checked_add_signed(delta));
        Date(moved.unwrap_or(if days < 0 {
            NaiveDate::MIN
        } else {
            NaiveDate::MAX
        }))
    }

    pub(crate) fn year(self) -> i32 {
        self.0.year()
    }

    /// 1 to 12.
    pub(crate) fn month(self) -> u32 {
        self.0.month()
    }

    /// The English name of the month: "November".
    pub(crate) fn month_name(self) -> String {
        self.0.format("%B").to_string()
    }

    /// Days since the last Monday: 0 on Monday, 6 on Sunday.
    pub(crate) fn days_from_monday(self) -> i64 {
        i64::from(self.0.weekday().num_days_from_monday())
    }

    /// Days since the last `start` day: 0 on `start` itself, 6 on the day before it.
    pub(crate) fn days_since(self, start: Weekday) -> i64 {
        (self.days_from_monday() - start.days_from_monday()).rem_euclid(7)
    }

    /// The day of the week.
    pub(crate) fn weekday(self) -> Weekday {
        Weekday::ALL[self.0.weekday().num_days_from_monday() as usize]
    }

    /// The ISO 8601 week: (week-based year, week 1 to 53). Weeks start on Monday, and
    /// week 1 is the one with the year's first Thursday.
    pub(crate) fn iso_week(self) -> (i32, u32) {
        let week = self.0.iso_week();
        (week.year(), week.week())
    }
}

/// A day of the week, as `trailmark.toml` names it (`week_start = "sunday"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Weekday {
    #[default]
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Weekday {
    pub(crate) const ALL: [Weekday; 7] = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ];

    /// 0 for Monday to 6 for Sunday.
    pub(crate) fn days_from_monday(self) -> i64 {
        Weekday::ALL
            .iter()
            .position(|day| *day == self)
            .expect("ALL lists every weekday") as i64
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Weekday::Monday => "monday",
            Weekday::Tuesday => "tuesday",
            Weekday::Wednesday => "wednesday",
            Weekday::Thursday => "thursday",
            Weekday::Friday => "friday",
            Weekday::Saturday => "saturday",
            Weekday::Sunday => "sunday",
        }
    }
}

/// `Some(Some(date))` for a real day, `Some(None)` for the right shape but no such day
/// (`2026-02-30`), `None` for text that is not shaped like `YYYY-MM-DD` at all.
fn parse_day(text: &str) -> Option<Option<Date>> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shaped {
        return None;
    }
    let year = text[0..4].parse().ok()?;
    let month = text[5..7].parse().ok()?;
    let day = text[8..10].parse().ok()?;
    Some(Date::from_ymd(year, month, day))
}

/// A time of day, optionally followed by a zone: `Z`, `+02:00`, `+0200` or `+02` (with
/// or without a space before it, in either case), as RFC 3339, Jekyll and Hugo write them.
fn is_time(text: &str) -> bool {
    let text = text.trim();
    let clock = text
        .strip_suffix(['Z', 'z'])
        .or_else(|| {
            let (clock, zone) = text.rsplit_once(['+', '-'])?;
            is_zone_offset(zone).then_some(clock)
        })
        .unwrap_or(text)
        .trim_end();
    ["%H:%M", "%H:%M:%S", "%H:%M:%S%.f"]
        .iter()
        .any(|format| chrono::NaiveTime::parse_from_str(clock, format).is_ok())
}

/// The hours and minutes of a zone offset, after its sign: `02:00`, `0200` or `02`.
fn is_zone_offset(zone: &str) -> bool {
    let digits = zone.replacen(':', "", usize::from(zone.len() == 5));
    matches!(digits.len(), 2 | 4) && digits.bytes().all(|b| b.is_ascii_digit())
}

fn not_a_date(text: &str) -> DateError {
    DateError(format!(
        "`{text}` is not a date; write it as YYYY-MM-DD, like 2026-03-31"
    ))
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Not `format("%Y-%m-%d")`: that parses the format string on every call, and dates
        // are written tens of thousands of times a build.
        let (year, month, day) = (self.0.year(), self.0.month(), self.0.day());
        write!(f, "{year:04}-{month:02}-{day:02}")
    }
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// As `YYYY-MM-DD` in JSON; in a binary form (the documents cache) as its number of
/// days from January 1 of year 1, a varint of three bytes: reading the cache back
/// allocated and parsed a text for each of its 13,000 dates at 10,000 files.
impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if !serializer.is_human_readable() {
            return serializer.serialize_i32(self.0.num_days_from_ce());
        }
        // Digits put in place rather than formatted: a report serializes tens of thousands
        // of dates, and `collect_str` goes through `fmt` for each.
        match self.iso_bytes() {
            Some(bytes) => {
                serializer.serialize_str(std::str::from_utf8(&bytes).expect("ISO dates are ASCII"))
            }
            None => serializer.collect_str(self),
        }
    }
}

impl Date {
    /// `YYYY-MM-DD` as [`Display`](fmt::Display) writes it, for years 0 to 9999.
    pub(crate) fn iso_bytes(self) -> Option<[u8; 10]> {
        let year = u32::try_from(self.0.year()).ok().filter(|&y| y <= 9999)?;
        let digit = |n: u32| b'0' + (n % 10) as u8;
        let (month, day) = (self.0.month(), self.0.day());
        Some([
            digit(year / 1000),
            digit(year / 100),
            digit(year / 10),
            digit(year),
            b'-',
            digit(month / 10),
            digit(month),
            b'-',
            digit(day / 10),
            digit(day),
        ])
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        if !deserializer.is_human_readable() {
            let days = i32::deserialize(deserializer)?;
            return NaiveDate::from_num_days_from_ce_opt(days)
                .map(Date)
                .ok_or_else(|| serde::de::Error::custom("a day out of the calendar's range"));
        }
        let text = String::deserialize(deserializer)?;
        Date::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::day;

    #[test]
    fn parses_plain_days() {
        assert_eq!(day("2026-11-20"), Date::from_ymd(2026, 11, 20).unwrap());
        assert_eq!(day(" 2024-02-29 "), Date::from_ymd(2024, 2, 29).unwrap());
    }

    #[test]
    fn accepts_a_time_after_the_day() {
        assert_eq!(day("2026-03-02T09:15"), Date::from_ymd(2026, 3, 2).unwrap());
        assert_eq!(
            day("2026-03-02 09:15:00"),
            Date::from_ymd(2026, 3, 2).unwrap()
        );
        assert_eq!(
            day("2026-03-02T09:15:00+01:00"),
            Date::from_ymd(2026, 3, 2).unwrap()
        );
        assert!(Date::parse("2026-03-02 next").is_err());
    }

    #[test]
    fn accepts_times_as_jekyll_and_hugo_write_them() {
        for text in [
            "2013-05-06 02:12:52 +0200",
            "2013-05-06 02:12:52 -08:00",
            "2013-05-06 02:12:52-0800",
            "2013-05-06T02:12:52Z",
            "2013-05-06t02:12:52z",
            "2013-05-06 02:12:52.123 Z",
            "2013-05-06 02:12 +02",
        ] {
            assert_eq!(day(text), Date::from_ymd(2013, 5, 6).unwrap(), "{text}");
        }
        for not_a_time in [
            "2013-05-06 02:12:52 +",
            "2013-05-06 02:12:52 +2:00",
            "2013-05-06 02:12:52 +0200 x",
            "2013-05-06 Z",
            "2013-05-06 +0200",
            "2013-05-06 25:00",
        ] {
            assert!(Date::parse(not_a_time).is_err(), "{not_a_time}");
        }
    }

    #[test]
    fn rejects_days_that_do_not_exist_with_a_specific_message() {
        let error = Date::parse("2026-02-30").unwrap_err();
        assert!(error.0.contains("not a day of the calendar"), "{error}");
        assert!(Date::parse("2025-02-29").is_err());
    }

    #[test]
    fn rejects_other_shapes() {
        for text in [
            "next week",
            "2026-1-5",
            "20260105",
            "",
            "2026-03-0x",
            "١٢٣٤-٠١-٠١",
        ] {
            let error = Date::parse(text).unwrap_err();
            assert!(error.0.contains("YYYY-MM-DD"), "{text}: {error}");
        }
    }

    #[test]
    fn finds_dates_in_file_names() {
        let found = |name| Date::find_in_file_name(name);
        assert_eq!(found("2026-03-02.md"), Some(day("2026-03-02")));
        assert_eq!(
            found("weekly 2026-03-02 review.md"),
            Some(day("2026-03-02"))
        );
        assert_eq!(found("2026-02-30.md"), None);
        assert_eq!(found("12026-03-02.md"), None);
        assert_eq!(found("notes.md"), None);
        assert_eq!(found("é2026-03-02.md"), Some(day("2026-03-02")));
        assert_eq!(found("2026_03_02.md"), Some(day("2026-03-02")));
        assert_eq!(found("2026_03-02.md"), None);
    }

    #[test]
    fn counts_days_across_leap_years() {
        assert_eq!(day("2024-02-28").days_until(day("2024-03-01")), 2);
        assert_eq!(day("2026-03-01").days_until(day("2026-02-28")), -1);
    }

    #[test]
    fn iso_weeks_at_year_ends() {
        // 2026 ends in week 53; 2027-01-03 still belongs to it.
        assert_eq!(day("2026-12-31").iso_week(), (2026, 53));
        assert_eq!(day("2027-01-03").iso_week(), (2026, 53));
        assert_eq!(day("2027-01-04").iso_week(), (2027, 1));
        // 2024-12-30 is in week 1 of 2025.
        assert_eq!(day("2024-12-30").iso_week(), (2025, 1));
        assert_eq!(day("2026-11-22").days_from_monday(), 6);
    }

    #[test]
    fn adding_days_crosses_leap_days_and_saturates() {
        assert_eq!(day("2024-02-28").add_days(1), day("2024-02-29"));
        assert_eq!(day("2024-03-01").add_days(-1), day("2024-02-29"));
        assert!(day("2026-01-01").add_days(i64::MAX) > day("9999-12-31"));
        assert!(day("2026-01-01").add_days(i64::MIN) < day("0001-01-01"));
    }

    #[test]
    fn serializes_as_iso_text() {
        assert_eq!(
            serde_json::to_string(&day("2026-01-05")).unwrap(),
            "\"2026-01-05\""
        );
    }

    #[test]
    fn serializes_every_year_as_it_displays() {
        for (year, month, day) in [
            (0, 1, 1),
            (7, 2, 3),
            (99, 10, 31),
            (999, 12, 9),
            (1970, 1, 10),
            (9999, 12, 31),
            (10000, 1, 1),
            (-1, 6, 15),
            (-44, 3, 15),
        ] {
            let date = Date::from_ymd(year, month, day).unwrap();
            assert_eq!(
                serde_json::to_string(&date).unwrap(),
                format!("\"{date}\""),
                "{year}-{month}-{day}"
            );
        }
    }

    #[test]
    fn a_binary_form_holds_the_day_as_a_number() {
        for date in [
            Date::MIN,
            day("0001-01-01"),
            day("2026-01-05"),
            day("9999-12-31"),
        ] {
            let bytes = postcard::to_allocvec(&date).unwrap();
            assert!(bytes.len() <= 5, "{bytes:?}");
            assert_eq!(postcard::from_bytes::<Date>(&bytes).unwrap(), date);
        }
        let past_the_calendar = postcard::to_allocvec(&i32::MAX).unwrap();
        assert!(postcard::from_bytes::<Date>(&past_the_calendar).is_err());
    }
}
