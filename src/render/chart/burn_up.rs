//! A goal's burn-up: its progress over time, against the straight line from start to due
//! and the forecast at its recent pace.

use std::fmt::Write as _;

use super::time_axis::TimeAxis;
use super::{escape, marker};
use crate::analyse::GoalReport;
use crate::dates::Date;
use crate::render::decimal::Fixed;

const HEIGHT: f64 = 200.0;
/// The 100% line; the label above it.
const TOP: f64 = 20.0;
/// The 0% line; month ticks below it.
const BOTTOM: f64 = 166.0;

/// A burn-up chart of a goal: progress over time, the straight line from start to due,
/// the forecast from today at the recent pace (the model's forecast) and markers for
/// today, the due date and the forecast. The time axis runs to the due date or today,
/// and on to the forecast when it comes later, up to twice the planned span (a forecast
/// further off ends at the edge, labelled with its date). Empty when the goal has no
/// start and no due date (nothing to answer "will I make it?" against) or no history.
pub(in crate::render) fn burn_up(goal: &GoalReport, today: Date) -> String {
    if goal.start.is_none() && goal.due.is_none() {
        return String::new();
    }
    let (Some(first), Some(last)) = (goal.burn_up.first(), goal.burn_up.last()) else {
        return String::new();
    };
    let start = first.date;
    let planned_end = goal.due.map_or(today, |due| due.max(today));
    let furthest = planned_end.add_days(start.days_until(planned_end).max(1));
    let forecast = goal.forecast.filter(|date| *date > today);
    let axis = TimeAxis::new(
        start,
        forecast.map_or(planned_end, |date| date.min(furthest).max(planned_end)),
    );
    let x = |date: Date| axis.percent(date);
    let y = |progress: f64| BOTTOM - (BOTTOM - TOP) * progress.clamp(0.0, 1.0);
    let id = format!("burn-up-{}", goal.id);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart burn-up" height="{HEIGHT}" role="img" aria-labelledby="{id}-title {id}-desc"><title id="{id}-title">Burn-up of {}</title><desc id="{id}-desc">{}</desc>"#,
        escape(&goal.title),
        escape(&summary(
            goal,
            first.progress,
            last.progress,
            start,
            last.date
        )),
    );
    for (progress, label) in [(0.0, "0%"), (0.5, "50%"), (1.0, "100%")] {
        let _ = write!(
            svg,
            r#"<line class="grid" x1="0" x2="100%" y1="{y}" y2="{y}"/><text class="axis" x="0" y="{}">{label}</text>"#,
            Fixed::new(y(progress) - 4.0, 1),
            y = Fixed::new(y(progress), 1),
        );
    }
    axis.write_ticks(&mut svg, BOTTOM);
    if let (Some(start), Some(due)) = (goal.start, goal.due) {
        line(&mut svg, "pace", (x(start), y(0.0)), (x(due), y(1.0)));
    }
    // The progress as steps: along at its level, then up on the day it changed.
    for pair in goal.burn_up.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        line(
            &mut svg,
            "progress",
            (x(from.date), y(from.progress)),
            (x(to.date), y(from.progress)),
        );
        if to.progress != from.progress {
            line(
                &mut svg,
                "progress",
                (x(to.date), y(from.progress)),
                (x(to.date), y(to.progress)),
            );
        }
    }
    if let Some(date) = forecast {
        let late = if goal.due.is_some_and(|due| date > due) {
            " late"
        } else {
            ""
        };
        // Cut where the axis ends, at the progress the pace reaches by then.
        let end = date.min(axis.end());
        let share = today.days_until(end) as f64 / today.days_until(date) as f64;
        let reached = last.progress + (1.0 - last.progress) * share;
        line(
            &mut svg,
            &format!("forecast{late}"),
            (x(today), y(last.progress)),
            (x(end), y(reached)),
        );
    }
    let _ = write!(
        svg,
        r#"<circle class="progress-dot" cx="{}%" cy="{}" r="3.5"/>"#,
        Fixed::new(x(last.date), 2),
        Fixed::new(y(last.progress), 1)
    );
    // Marker labels sit inside the plot, beside their line, one row each.
    let row = |n: f64| TOP + 14.0 + 15.0 * n;
    marker(&mut svg, "today", x(today), TOP, BOTTOM, "today", row(0.0));
    if let Some(due) = goal.due {
        marker(&mut svg, "due", x(due), TOP, BOTTOM, "due", row(1.0));
    }
    match forecast {
        Some(date) if date <= axis.end() => {
            marker(
                &mut svg,
                "forecast-date",
                x(date),
                TOP,
                BOTTOM,
                "forecast",
                row(2.0),
            );
        }
        Some(date) => {
            let _ = write!(
                svg,
                r#"<text class="axis forecast-date" x="100%" y="{}" text-anchor="end">forecast {date} →</text>"#,
                row(2.0)
            );
        }
        None => {}
    }
    svg.push_str("</svg>");
    svg
}

/// A line from `from` to `to`, each (x in percent, y in pixels).
fn line(svg: &mut String, class: &str, from: (f64, f64), to: (f64, f64)) {
    // Pushed piece by piece: a burn-up draws a line for each point, 16,000 in a full
    // build of a 10,000-file journal, and `write!` cost three times the digits.
    svg.push_str(r#"<line class=""#);
    svg.push_str(class);
    svg.push_str(r#"" x1=""#);
    Fixed::new(from.0, 2).push_to(svg);
    svg.push_str(r#"%" y1=""#);
    Fixed::new(from.1, 1).push_to(svg);
    svg.push_str(r#"" x2=""#);
    Fixed::new(to.0, 2).push_to(svg);
    svg.push_str(r#"%" y2=""#);
    Fixed::new(to.1, 1).push_to(svg);
    svg.push_str(r#""/>"#);
}

fn summary(goal: &GoalReport, from: f64, to: f64, start: Date, last: Date) -> String {
    let mut text = format!(
        "Progress went from {} on {start} to {} on {last}.",
        crate::render::decimal::percent(from),
        crate::render::decimal::percent(to)
    );
    if let Some(due) = goal.due {
        let _ = write!(text, " Due {due}.");
    }
    if let Some(expected) = goal.expected_progress {
        let _ = write!(
            text,
            " Expected by now on a straight line: {}.",
            crate::render::decimal::percent(expected)
        );
    }
    if let Some(forecast) = goal.forecast {
        let _ = write!(text, " At the recent pace, done around {forecast}.");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{day, report};

    /// A goal of 4 milestones, 2 done in the last weeks, as of 2026-06-01: its forecast
    /// is 2026-07-27 (2 left at 2 in 8 weeks).
    fn goal(dates: &str) -> GoalReport {
        let text = format!(
            "---\ngoal: G\n{dates}---\n- [x] a ✅ 2026-05-01\n- [x] b ✅ 2026-05-20\n- [ ] c\n- [ ] d\n"
        );
        let mut r = report(&[("g.md", &text)], "2026-06-01");
        std::sync::Arc::unwrap_or_clone(r.goals.remove(0))
    }

    /// The `x1`/`x2` attributes and text of the elements of `class` in `svg`.
    fn elements<'a>(svg: &'a str, tag: &str, class: &str) -> Vec<&'a str> {
        let open = format!(r#"<{tag} class="{class}""#);
        svg.match_indices(&open)
            .map(|(at, _)| &svg[at..at + svg[at..].find('>').unwrap()])
            .collect()
    }

    fn attr(element: &str, name: &str) -> f64 {
        let rest = element.split(&format!(r#" {name}=""#)).nth(1).unwrap();
        rest.split(['"', '%']).next().unwrap().parse().unwrap()
    }

    #[test]
    fn the_forecast_line_runs_from_today_to_the_forecast_date() {
        let goal = goal("start: 2026-04-01\ndue: 2026-06-30\n");
        assert_eq!(goal.forecast, Some(day("2026-07-27")));
        let svg = burn_up(&goal, day("2026-06-01"));
        // The axis runs past the due date to the forecast.
        let axis = TimeAxis::new(day("2026-04-01"), day("2026-07-27"));
        let forecast = elements(&svg, "line", "forecast late");
        assert_eq!(forecast.len(), 1, "{svg}");
        let line = forecast[0];
        assert_eq!(attr(line, "x1"), round(axis.percent(day("2026-06-01"))));
        assert_eq!(attr(line, "x2"), round(axis.percent(day("2026-07-27"))));
        assert_eq!(attr(line, "x2"), 98.0);
        assert_eq!(attr(line, "y2"), TOP);
        assert_eq!(attr(line, "y1"), BOTTOM - (BOTTOM - TOP) * 0.5);
        // The due date sits inside the axis, not at its end.
        let due = elements(&svg, "line", "due")[0];
        assert_eq!(attr(due, "x1"), round(axis.percent(day("2026-06-30"))));
        assert!(attr(due, "x1") < 80.0);
        assert!(svg.contains(">forecast</text>"), "{svg}");
    }

    fn round(percent: f64) -> f64 {
        format!("{percent:.2}").parse().unwrap()
    }

    #[test]
    fn a_forecast_before_the_due_date_is_not_late_and_the_axis_ends_at_due() {
        let goal = goal("start: 2026-04-01\ndue: 2026-09-30\n");
        let svg = burn_up(&goal, day("2026-06-01"));
        assert_eq!(elements(&svg, "line", "forecast late"), Vec::<&str>::new());
        let line = elements(&svg, "line", "forecast")[0];
        let axis = TimeAxis::new(day("2026-04-01"), day("2026-09-30"));
        assert_eq!(attr(line, "x2"), round(axis.percent(day("2026-07-27"))));
        assert_eq!(attr(elements(&svg, "line", "due")[0], "x1"), 98.0);
    }

    #[test]
    fn a_far_forecast_ends_at_the_edge_with_its_date() {
        // Due in 2 months from a start 2 months ago; the forecast is further than that
        // again: the axis stops at twice the planned span.
        let goal = goal("start: 2026-05-01\ndue: 2026-06-05\n");
        let svg = burn_up(&goal, day("2026-06-01"));
        let line = elements(&svg, "line", "forecast late")[0];
        assert_eq!(attr(line, "x2"), 98.0);
        assert!(attr(line, "y2") > TOP, "cut before 100%: {line}");
        assert!(svg.contains(">forecast 2026-07-27 →</text>"), "{svg}");
    }

    #[test]
    fn the_axis_has_month_ticks() {
        let goal = goal("start: 2026-04-01\ndue: 2026-06-30\n");
        let svg = burn_up(&goal, day("2026-06-01"));
        assert_eq!(elements(&svg, "line", "tick").len(), 4, "{svg}");
        for label in [">Apr 2026<", ">May<", ">Jun<", ">Jul<"] {
            assert!(svg.contains(label), "{label} in {svg}");
        }
    }

    #[test]
    fn no_chart_without_dates() {
        // Milestones done on dates, but no start or due date.
        let goal = goal("");
        assert!(!goal.burn_up.is_empty());
        assert_eq!(burn_up(&goal, day("2026-06-01")), "");
        // A start alone is enough.
        assert_ne!(
            burn_up(&self::goal("start: 2026-04-01\n"), day("2026-06-01")),
            ""
        );
    }

    #[test]
    fn its_text_is_in_css_pixels_whatever_the_width() {
        let svg = burn_up(&goal("due: 2026-06-30\n"), day("2026-06-01"));
        assert!(svg.starts_with("<svg"), "{svg}");
        // Without a viewBox a user unit is a CSS pixel: the text is as big as the
        // stylesheet says on a phone as on a desktop.
        assert_eq!(super::super::tests::view_box_width(&svg), None);
        assert!(super::super::tests::axis_font_px(".chart .axis") >= 11.0);
        assert!(!svg.contains("font-size"), "sizes come from the stylesheet");
    }
}
