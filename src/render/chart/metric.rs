//! A metric goal's values over time, towards its target.

use std::fmt::Write as _;

use super::time_axis::TimeAxis;
use super::{escape, marker};
use crate::analyse::GoalReport;
use crate::dates::Date;
use crate::render::decimal::Fixed;
use crate::render::decimal::number;

const HEIGHT: f64 = 170.0;
/// The highest value's line; its label above it.
const TOP: f64 = 22.0;
/// The lowest value's line; month ticks below it.
const BOTTOM: f64 = 136.0;

/// The values logged for a goal's metric, joined by lines, with its target and baseline
/// as level lines and markers for today and the due date. The time axis runs from the
/// goal's start (or the first value) to today, the last value or the due date, whichever
/// is last. Empty when nothing was logged.
pub(in crate::render) fn metric(goal: &GoalReport, today: Date) -> String {
    let Some(metric) = &goal.metric else {
        return String::new();
    };
    let (Some(first), Some(last)) = (metric.values.first(), metric.values.last()) else {
        return String::new();
    };
    let start = goal.start.map_or(first.date, |start| start.min(first.date));
    let end = [Some(today), Some(last.date), goal.due]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(today);
    let axis = TimeAxis::new(start, end);
    let levels = metric
        .values
        .iter()
        .map(|v| v.value)
        .chain([metric.baseline, metric.target]);
    let low = levels.clone().fold(f64::INFINITY, f64::min);
    let high = levels.fold(f64::NEG_INFINITY, f64::max).max(low + 1.0);
    let y = |value: f64| BOTTOM - (BOTTOM - TOP) * (value - low) / (high - low);
    let unit = metric
        .unit
        .as_deref()
        .map(|unit| format!(" {}", escape(unit)))
        .unwrap_or_default();
    let id = format!("metric-{}", goal.id);
    let logged = if metric.values.len() == 1 {
        format!("{}{unit} logged on {}", number(first.value), first.date)
    } else {
        format!(
            "From {}{unit} on {} to {}{unit} on {}",
            number(first.value),
            first.date,
            number(last.value),
            last.date
        )
    };
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart metric" height="{HEIGHT}" role="img" aria-labelledby="{id}-title {id}-desc"><title id="{id}-title">Values of {}</title><desc id="{id}-desc">{logged}, towards a target of {}{unit} (from {}).</desc>"#,
        escape(&goal.title),
        number(metric.target),
        number(metric.baseline),
    );
    for (class, value, label) in [
        ("target", metric.target, "target"),
        ("grid", metric.baseline, "baseline"),
    ] {
        let y = y(value);
        let _ = write!(
            svg,
            r#"<line class="{class}" x1="0" x2="100%" y1="{y}" y2="{y}"/><text class="axis" x="0" y="{}">{label} {}{unit}</text>"#,
            Fixed::new(y - 4.0, 1),
            number(value),
            y = Fixed::new(y, 1),
        );
    }
    axis.write_ticks(&mut svg, BOTTOM + 6.0);
    for pair in metric.values.windows(2) {
        let _ = write!(
            svg,
            r#"<line class="value" x1="{}%" y1="{}" x2="{}%" y2="{}"/>"#,
            Fixed::new(axis.percent(pair[0].date), 2),
            Fixed::new(y(pair[0].value), 1),
            Fixed::new(axis.percent(pair[1].date), 2),
            Fixed::new(y(pair[1].value), 1)
        );
    }
    for value in &metric.values {
        let _ = write!(
            svg,
            r#"<circle class="value-dot" cx="{}%" cy="{}" r="3"><title>{}: {}{unit}</title></circle>"#,
            Fixed::new(axis.percent(value.date), 2),
            Fixed::new(y(value.value), 1),
            value.date,
            number(value.value)
        );
    }
    let row = |n: f64| TOP + 14.0 + 15.0 * n;
    marker(
        &mut svg,
        "today",
        axis.percent(today),
        TOP,
        BOTTOM,
        "today",
        row(0.0),
    );
    if let Some(due) = goal.due {
        marker(
            &mut svg,
            "due",
            axis.percent(due),
            TOP,
            BOTTOM,
            "due",
            row(1.0),
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{day, report};

    fn goal(metric: &str, values: &[(&str, &str)]) -> GoalReport {
        let text = format!(
            "---\ngoal: Talks\nid: talks\nstart: 2026-01-01\ndue: 2026-12-31\nmetric: {metric}\n---\n"
        );
        let entries: Vec<(String, String)> = values
            .iter()
            .map(|(date, value)| {
                (
                    format!("{date}.md"),
                    format!("---\nmetrics: {{talks: {value}}}\n---\n"),
                )
            })
            .collect();
        let mut files = vec![("talks.md", text.as_str())];
        files.extend(entries.iter().map(|(p, t)| (p.as_str(), t.as_str())));
        std::sync::Arc::unwrap_or_clone(report(&files, "2026-06-01").goals.remove(0))
    }

    #[test]
    fn values_rise_towards_the_target_line() {
        let goal = goal(
            "{target: 8, baseline: 0, unit: talks}",
            &[("2026-02-01", "2"), ("2026-04-01", "5")],
        );
        let svg = metric(&goal, day("2026-06-01"));
        assert!(svg.contains(">target 8 talks</text>"), "{svg}");
        assert!(
            svg.contains("From 2 talks on 2026-02-01 to 5 talks on 2026-04-01, towards"),
            "{svg}"
        );
        assert!(svg.contains(">baseline 0 talks</text>"), "{svg}");
        assert!(svg.contains("<title>2026-04-01: 5 talks</title>"), "{svg}");
        assert_eq!(svg.matches(r#"<line class="value""#).count(), 1);
        assert_eq!(svg.matches(r#"<circle class="value-dot""#).count(), 2);
        // The target at the top, the baseline at the bottom.
        assert!(svg.contains(&format!(
            r#"<line class="target" x1="0" x2="100%" y1="{TOP:.1}""#
        )));
        assert!(svg.contains(&format!(
            r#"<line class="grid" x1="0" x2="100%" y1="{BOTTOM:.1}""#
        )));
        assert!(svg.contains(">Jan 2026</text>"), "{svg}");
    }

    #[test]
    fn a_falling_target_is_at_the_bottom() {
        let goal = goal("{target: 70, baseline: 80}", &[("2026-02-01", "78")]);
        let svg = metric(&goal, day("2026-06-01"));
        assert!(svg.contains(&format!(
            r#"<line class="target" x1="0" x2="100%" y1="{BOTTOM:.1}""#
        )));
    }

    #[test]
    fn nothing_logged_no_chart() {
        assert_eq!(metric(&goal("{target: 8}", &[]), day("2026-06-01")), "");
    }
}
