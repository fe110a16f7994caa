//! Review periods: weeks (Monday to Sunday unless the journal starts them on another
//! day), calendar months, quarters and years.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::dates::{Date, Weekday};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum PeriodKind {
    Week,
    Month,
    Quarter,
    Year,
}

impl PeriodKind {
    pub(crate) const ALL: [PeriodKind; 4] = [
        PeriodKind::Week,
        PeriodKind::Month,
        PeriodKind::Quarter,
        PeriodKind::Year,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            PeriodKind::Week => "week",
            PeriodKind::Month => "month",
            PeriodKind::Quarter => "quarter",
            PeriodKind::Year => "year",
        }
    }
}

/// A stretch of days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Period {
    pub(crate) kind: PeriodKind,
    pub(crate) first: Date,
    pub(crate) last: Date,
}

impl Period {
    /// The period of `kind` that contains `date`; weeks start on `week_start`.
    pub(crate) fn containing(kind: PeriodKind, date: Date, week_start: Weekday) -> Period {
        let (first, next_first) = match kind {
            PeriodKind::Week => {
                let first = date.add_days(-date.days_since(week_start));
                (first, first.add_days(7))
            }
            PeriodKind::Month => month_span(date.year(), date.month(), 1),
            PeriodKind::Quarter => {
                let first_month = (date.month() - 1) / 3 * 3 + 1;
                month_span(date.year(), first_month, 3)
            }
            PeriodKind::Year => month_span(date.year(), 1, 12),
        };
        Period {
            kind,
            first,
            last: next_first.add_days(-1),
        }
    }

    pub(crate) fn previous(self) -> Period {
        Period::containing(self.kind, self.first.add_days(-1), self.first.weekday())
    }

    pub(crate) fn next(self) -> Period {
        Period::containing(self.kind, self.last.add_days(1), self.first.weekday())
    }

    /// A week's number and year: those of the ISO week it shares most days with, which
    /// is the ISO week of its Thursday. For weeks from Monday that is the ISO week
    /// itself; a week from Sunday is numbered like the ISO week starting the next day.
    fn week_number(self) -> (i32, u32) {
        let thursday = self.first.add_days(
            (Weekday::Thursday.days_from_monday() - self.first.days_from_monday()).rem_euclid(7),
        );
        thursday.iso_week()
    }

    pub(crate) fn contains(self, date: Date) -> bool {
        self.first <= date && date <= self.last
    }

    /// What people call it: "Week 45, 2026", "November 2026", "Q4 2026", "2026".
    pub(crate) fn title(self) -> String {
        match self.kind {
            PeriodKind::Week => {
                let (year, week) = self.week_number();
                format!("Week {week}, {year}")
            }
            PeriodKind::Month => format!("{} {}", self.first.month_name(), self.first.year()),
            PeriodKind::Quarter => {
                format!(
                    "Q{} {}",
                    (self.first.month() - 1) / 3 + 1,
                    self.first.year()
                )
            }
            PeriodKind::Year => self.first.year().to_string(),
        }
    }
}

/// `2026-W45`, `2026-11`, `2026-Q4`, `2026`: the period's report file name.
impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let year = self.first.year();
        match self.kind {
            PeriodKind::Week => {
                let (year, week) = self.week_number();
                write!(f, "{year}-W{week:02}")
            }
            PeriodKind::Month => write!(f, "{year}-{:02}", self.first.month()),
            PeriodKind::Quarter => write!(f, "{year}-Q{}", (self.first.month() - 1) / 3 + 1),
            PeriodKind::Year => write!(f, "{year}"),
        }
    }
}

/// The first day of `months` months from `year`-`month`, and the first day after them.
fn month_span(year: i32, month: u32, months: u32) -> (Date, Date) {
    let first = first_of_month(year, month);
    let end_month = month + months;
    let next = if end_month > 12 {
        first_of_month(year + 1, end_month - 12)
    } else {
        first_of_month(year, end_month)
    };
    (first, next)
}

fn first_of_month(year: i32, month: u32) -> Date {
    Date::from_ymd(year, month, 1).expect("the first of a month 1..=12 always exists")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::day;

    /// Checks the period of each kind that contains each day: its name, first and last day.
    fn assert_periods(week_start: Weekday, cases: &[(PeriodKind, &str, [&str; 3])]) {
        for (kind, date, expected) in cases {
            let p = Period::containing(*kind, day(date), week_start);
            let found = [p.to_string(), p.first.to_string(), p.last.to_string()];
            assert_eq!(found, *expected, "the {} of {date}", kind.as_str());
        }
    }

    #[test]
    fn iso_weeks_run_monday_to_sunday_across_year_ends() {
        use PeriodKind::Week;
        assert_periods(
            Weekday::Monday,
            &[
                (Week, "2026-11-20", ["2026-W47", "2026-11-16", "2026-11-22"]),
                (Week, "2027-01-01", ["2026-W53", "2026-12-28", "2027-01-03"]),
                (Week, "2024-12-31", ["2025-W01", "2024-12-30", "2025-01-05"]),
            ],
        );
        let w53 = Period::containing(PeriodKind::Week, day("2026-12-31"), Weekday::Monday);
        assert_eq!(w53.next().to_string(), "2027-W01");
        assert_eq!(w53.previous().to_string(), "2026-W52");
        assert_eq!(w53.title(), "Week 53, 2026");
    }

    #[test]
    fn months_quarters_and_years_including_leap_days() {
        use PeriodKind::{Month, Quarter, Year};
        assert_periods(
            Weekday::Monday,
            &[
                (Month, "2024-02-10", ["2024-02", "2024-02-01", "2024-02-29"]),
                (Month, "2026-02-28", ["2026-02", "2026-02-01", "2026-02-28"]),
                (Month, "2026-12-31", ["2026-12", "2026-12-01", "2026-12-31"]),
                (
                    Quarter,
                    "2026-11-20",
                    ["2026-Q4", "2026-10-01", "2026-12-31"],
                ),
                (
                    Quarter,
                    "2024-02-29",
                    ["2024-Q1", "2024-01-01", "2024-03-31"],
                ),
                (Year, "2024-02-29", ["2024", "2024-01-01", "2024-12-31"]),
            ],
        );
        let q1 = Period::containing(PeriodKind::Quarter, day("2027-01-01"), Weekday::Monday);
        assert_eq!(q1.previous().to_string(), "2026-Q4");
        assert_eq!(q1.title(), "Q1 2027");
        assert_eq!(
            Period::containing(PeriodKind::Month, day("2026-10-15"), Weekday::Monday).title(),
            "October 2026"
        );
        assert!(q1.contains(day("2027-03-31")) && !q1.contains(day("2027-04-01")));
    }

    #[test]
    fn weeks_can_start_on_any_day_and_are_numbered_by_their_thursday() {
        use PeriodKind::Week;
        // Sunday 15 to Saturday 21 November shares six days with ISO week 47.
        assert_periods(
            Weekday::Sunday,
            &[
                (Week, "2026-11-15", ["2026-W47", "2026-11-15", "2026-11-21"]),
                (Week, "2026-11-21", ["2026-W47", "2026-11-15", "2026-11-21"]),
                (Week, "2026-11-22", ["2026-W48", "2026-11-22", "2026-11-28"]),
            ],
        );
        // Across a year end, numbers keep counting without a gap or a repeat.
        let mut week = Period::containing(PeriodKind::Week, day("2026-12-01"), Weekday::Sunday);
        let mut names = Vec::new();
        for _ in 0..8 {
            names.push(week.to_string());
            week = week.next();
        }
        assert_eq!(
            names,
            [
                "2026-W49", "2026-W50", "2026-W51", "2026-W52", "2026-W53", "2027-W01", "2027-W02",
                "2027-W03"
            ]
        );
        assert_eq!(week.previous().previous().first.weekday(), Weekday::Sunday);
        // Every start day gives seven-day weeks that contain the day asked for.
        for start in Weekday::ALL {
            for offset in 0..14 {
                let date = day("2026-12-25").add_days(offset);
                let p = Period::containing(PeriodKind::Week, date, start);
                assert!(p.contains(date) && p.first.weekday() == start);
                assert_eq!(p.first.days_until(p.last), 6);
                assert_eq!(p.next().previous(), p);
            }
        }
    }
}
