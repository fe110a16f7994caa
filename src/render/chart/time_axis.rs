//! A chart's time axis: dates as percentages of the chart's width, and month ticks.

use std::fmt::Write as _;

use crate::dates::Date;
use crate::render::decimal::Fixed;

/// Room left at each edge, in percent of the width, for the dots drawn on the first and
/// last days (7 px on a phone).
const EDGE: f64 = 2.0;

/// At most this many month labels, so that each has about 60 px on a phone.
const MAX_LABELS: u32 = 5;

/// A label starting further right than this (in percent) could run past the chart's
/// right edge on a phone ("Jan 2027" is about 50 px there, 15% of the width).
const LAST_LABEL_AT: f64 = 85.0;

/// The days from `start` to `end` laid across a chart.
pub(super) struct TimeAxis {
    start: Date,
    end: Date,
}

/// The first day of a month on the axis, and its label when it has one.
#[derive(Debug, PartialEq)]
pub(super) struct MonthTick {
    pub(super) date: Date,
    pub(super) label: Option<String>,
}

impl TimeAxis {
    /// The axis from `start` to `end`, at least a day long.
    pub(super) fn new(start: Date, end: Date) -> TimeAxis {
        TimeAxis {
            start,
            end: end.max(start.add_days(1)),
        }
    }

    pub(super) fn end(&self) -> Date {
        self.end
    }

    /// Where `date` sits, in percent of the chart's width (dates outside the axis at its
    /// edges).
    pub(super) fn percent(&self, date: Date) -> f64 {
        let share = self.start.days_until(date) as f64 / self.start.days_until(self.end) as f64;
        EDGE + (100.0 - 2.0 * EDGE) * share.clamp(0.0, 1.0)
    }

    /// The first of every month on the axis. Labels go on every `step` months (1, 2, 3, 6
    /// or a number of years, the fewest that keeps to [`MAX_LABELS`]), counted from
    /// January so that they fall on quarters and years, and not too near the right edge;
    /// the first label and January's name the year too.
    pub(super) fn month_ticks(&self) -> Vec<MonthTick> {
        let mut firsts = Vec::new();
        let (mut year, mut month) = (self.start.year(), self.start.month());
        loop {
            let first = Date::from_ymd(year, month, 1).expect("the first of a month exists");
            if first > self.end {
                break;
            }
            if first >= self.start {
                firsts.push(first);
            }
            (year, month) = if month == 12 {
                (year + 1, 1)
            } else {
                (year, month + 1)
            };
        }
        let count = firsts.len() as u32;
        let step = [1, 2, 3, 6]
            .into_iter()
            .find(|step| count.div_ceil(*step) <= MAX_LABELS)
            .unwrap_or_else(|| 12 * count.div_ceil(12 * MAX_LABELS));
        let mut labelled = 0;
        firsts
            .into_iter()
            .map(|date| {
                let months = i64::from(date.year()) * 12 + i64::from(date.month()) - 1;
                let on_step = months % i64::from(step) == 0;
                let fits = self.percent(date) <= LAST_LABEL_AT;
                let label = (on_step && fits).then(|| {
                    labelled += 1;
                    let name = &date.month_name()[..3];
                    if labelled == 1 || date.month() == 1 {
                        format!("{name} {}", date.year())
                    } else {
                        name.to_string()
                    }
                });
                MonthTick { date, label }
            })
            .collect()
    }

    /// The month ticks as SVG: a short line down from `y` at every month (at labelled
    /// ones only when months are labelled a year or more apart) and the labels below.
    pub(super) fn write_ticks(&self, svg: &mut String, y: f64) {
        let ticks = self.month_ticks();
        let every_month = ticks.len() <= 36;
        for tick in ticks {
            if tick.label.is_none() && !every_month {
                continue;
            }
            let at = Fixed::new(self.percent(tick.date), 2);
            let _ = write!(
                svg,
                r#"<line class="tick" x1="{at}%" x2="{at}%" y1="{y}" y2="{}"/>"#,
                y + 5.0
            );
            if let Some(label) = tick.label {
                let _ = write!(
                    svg,
                    r#"<text class="axis" x="{at}%" dx="2" y="{}">{label}</text>"#,
                    y + 18.0
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::day;

    fn labels(start: &str, end: &str) -> Vec<(String, String)> {
        TimeAxis::new(day(start), day(end))
            .month_ticks()
            .into_iter()
            .filter_map(|t| Some((t.date.to_string(), t.label?)))
            .collect()
    }

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected
            .iter()
            .map(|(d, l)| (d.to_string(), l.to_string()))
            .collect()
    }

    #[test]
    fn months_are_labelled_with_the_year_first_and_in_january() {
        assert_eq!(
            labels("2026-10-15", "2027-02-20"),
            pairs(&[
                ("2026-11-01", "Nov 2026"),
                ("2026-12-01", "Dec"),
                ("2027-01-01", "Jan 2027"),
                ("2027-02-01", "Feb"),
            ])
        );
    }

    #[test]
    fn long_axes_label_quarters_then_years() {
        // 12 months: every quarter.
        assert_eq!(
            labels("2026-01-01", "2026-12-31"),
            pairs(&[
                ("2026-01-01", "Jan 2026"),
                ("2026-04-01", "Apr"),
                ("2026-07-01", "Jul"),
                ("2026-10-01", "Oct"),
            ])
        );
        // 30 months: every half-year.
        assert_eq!(
            labels("2026-01-01", "2028-06-30"),
            pairs(&[
                ("2026-01-01", "Jan 2026"),
                ("2026-07-01", "Jul"),
                ("2027-01-01", "Jan 2027"),
                ("2027-07-01", "Jul"),
                ("2028-01-01", "Jan 2028"),
            ])
        );
        // 20 years: every 4 years.
        let many = labels("2026-01-01", "2045-12-31");
        assert!(many.len() <= MAX_LABELS as usize, "{many:?}");
        assert_eq!(many[0], ("2028-01-01".into(), "Jan 2028".into()));
    }

    #[test]
    fn dates_map_inside_the_edges() {
        let axis = TimeAxis::new(day("2026-01-01"), day("2026-01-11"));
        assert_eq!(axis.percent(day("2026-01-01")), EDGE);
        assert_eq!(axis.percent(day("2026-01-06")), 50.0);
        assert_eq!(axis.percent(day("2026-01-11")), 100.0 - EDGE);
        assert_eq!(axis.percent(day("2027-01-01")), 100.0 - EDGE);
        // A one-day axis is still a day long.
        let axis = TimeAxis::new(day("2026-01-01"), day("2026-01-01"));
        assert_eq!(axis.end(), day("2026-01-02"));
    }
}
