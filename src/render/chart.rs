//! Charts as inline SVG (burn-up, activity heat map) and text sparklines.
//!
//! The SVG is built here from numbers and dates; the only journal text in it (a goal's
//! title) is escaped. Colors come from CSS classes in `base.html`, so the charts follow
//! the light, dark and print styles. Each chart has a title and description for screen
//! readers; the templates add the data as a table.

use std::fmt::Write as _;

use crate::analyse::GoalReport;
use crate::analyse::timeline::ActivityWeek;
use crate::dates::Date;

const WIDTH: f64 = 600.0;
const HEIGHT: f64 = 210.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 590.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 188.0;

/// A burn-up chart of a goal: progress over time, the straight line from start to due,
/// and markers for today and the due date. Empty when the goal has no dated history.
pub(super) fn burn_up(goal: &GoalReport, today: Date) -> String {
    let (Some(first), Some(last)) = (goal.burn_up.first(), goal.burn_up.last()) else {
        return String::new();
    };
    let start = first.date;
    let end = [Some(today), goal.due]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(today)
        .max(start.add_days(1));
    let span = start.days_until(end) as f64;
    let x =
        |date: Date| LEFT + (RIGHT - LEFT) * (start.days_until(date) as f64 / span).clamp(0.0, 1.0);
    let y = |progress: f64| BOTTOM - (BOTTOM - TOP) * progress.clamp(0.0, 1.0);
    let id = format!("burn-up-{}", goal.id);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart burn-up" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{id}-title {id}-desc" preserveAspectRatio="xMidYMid meet"><title id="{id}-title">Burn-up of {}</title><desc id="{id}-desc">{}</desc>"#,
        escape(&goal.title),
        escape(&burn_up_summary(
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
            r#"<line class="grid" x1="{LEFT}" x2="{RIGHT}" y1="{y:.1}" y2="{y:.1}"/><text class="axis" x="{lx}" y="{ty:.1}" text-anchor="end">{label}</text>"#,
            y = y(progress),
            lx = LEFT - 6.0,
            ty = y(progress) + 4.0,
        );
    }
    if let (Some(start), Some(due)) = (goal.start, goal.due) {
        let _ = write!(
            svg,
            r#"<line class="pace" x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}"/>"#,
            x(start),
            y(0.0),
            x(due),
            y(1.0)
        );
    }
    let mut path = format!("M{:.1} {:.1}", x(first.date), y(first.progress));
    for point in &goal.burn_up[1..] {
        let _ = write!(path, " H{:.1} V{:.1}", x(point.date), y(point.progress));
    }
    let _ = write!(svg, r#"<path class="progress" d="{path}"/>"#);
    let _ = write!(
        svg,
        r#"<circle class="progress-dot" cx="{:.1}" cy="{:.1}" r="3.5"/>"#,
        x(last.date),
        y(last.progress)
    );
    // Marker labels sit inside the plot, left of their line, one row each.
    let mut marker = |class: &str, date: Date, label: &str, row: f64| {
        let _ = write!(
            svg,
            r#"<line class="{class}" x1="{at:.1}" x2="{at:.1}" y1="{TOP}" y2="{BOTTOM}"/><text class="axis {class}" x="{lx:.1}" y="{ly:.1}" text-anchor="end">{label}</text>"#,
            at = x(date),
            lx = x(date) - 4.0,
            ly = TOP + 10.0 + 14.0 * row,
        );
    };
    marker("today", today, "today", 0.0);
    if let Some(due) = goal.due {
        marker("due", due, "due", 1.0);
    }
    let _ = write!(
        svg,
        r#"<text class="axis" x="{LEFT}" y="{y1}">{start}</text><text class="axis" x="{RIGHT}" y="{y1}" text-anchor="end">{end}</text></svg>"#,
        y1 = BOTTOM + 16.0,
    );
    svg
}

fn burn_up_summary(goal: &GoalReport, from: f64, to: f64, start: Date, last: Date) -> String {
    let mut text = format!(
        "Progress went from {} on {start} to {} on {last}.",
        crate::text::percent(from),
        crate::text::percent(to)
    );
    if let Some(due) = goal.due {
        let _ = write!(text, " Due {due}.");
    }
    if let Some(expected) = goal.expected_progress {
        let _ = write!(
            text,
            " Expected by now on a straight line: {}.",
            crate::text::percent(expected)
        );
    }
    text
}

/// A calendar heat map of milestones done per day, a column a week.
pub(super) fn activity(weeks: &[ActivityWeek], today: Date) -> String {
    const CELL: f64 = 11.0;
    const STEP: f64 = 13.0;
    const X0: f64 = 30.0;
    const Y0: f64 = 18.0;
    let total: u32 = weeks.iter().map(|w| w.total).sum();
    let busiest = weeks
        .iter()
        .filter(|w| w.total > 0)
        .max_by_key(|w| (w.total, w.start));
    let most_in_a_day = weeks.iter().flat_map(|w| w.days).max().unwrap_or(0).max(1);
    let mut summary = format!(
        "{} done in the last {} weeks.",
        crate::text::plural(total as usize, "milestone"),
        weeks.len()
    );
    if let Some(week) = busiest {
        let _ = write!(
            summary,
            " Busiest week: the week of {}, with {}.",
            week.start, week.total
        );
    }
    let width = X0 + STEP * weeks.len() as f64 + 4.0;
    let height = Y0 + STEP * 7.0 + 4.0;
    let mut svg = format!(
        r#"<svg class="chart activity" viewBox="0 0 {width} {height}" role="img" aria-labelledby="activity-title activity-desc"><title id="activity-title">Milestones done per day over the last year</title><desc id="activity-desc">{summary}</desc>"#
    );
    for (row, label) in [(0, "Mon"), (2, "Wed"), (4, "Fri")] {
        let _ = write!(
            svg,
            r#"<text class="axis" x="0" y="{:.1}">{label}</text>"#,
            Y0 + STEP * f64::from(row) + CELL - 1.0
        );
    }
    let mut last_month = None;
    for (column, week) in weeks.iter().enumerate() {
        let x = X0 + STEP * column as f64;
        let month = week.start.add_days(6).month();
        if last_month.is_some_and(|m| m != month) {
            let _ = write!(
                svg,
                r#"<text class="axis" x="{x:.1}" y="10">{}</text>"#,
                &week.start.add_days(6).month_name()[..3]
            );
        }
        last_month = Some(month);
        for (day, count) in week.days.iter().enumerate() {
            let date = week.start.add_days(day as i64);
            if date > today {
                break;
            }
            let level = if *count == 0 {
                0
            } else {
                (count * 4).div_ceil(most_in_a_day).clamp(1, 4)
            };
            let _ = write!(
                svg,
                r#"<rect class="level-{level}" x="{x:.1}" y="{:.1}" width="{CELL}" height="{CELL}" rx="2"><title>{date}: {}</title></rect>"#,
                Y0 + STEP * day as f64,
                crate::text::plural(*count as usize, "milestone")
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

/// `▁▃█▅`: one block per value, scaled to the largest.
pub(super) fn sparkline(values: &[f64]) -> String {
    const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = values.iter().copied().fold(0.0, f64::max);
    values
        .iter()
        .map(|v| {
            if max <= 0.0 || !v.is_finite() {
                BLOCKS[0]
            } else {
                BLOCKS[((v / max).clamp(0.0, 1.0) * 7.0).round() as usize]
            }
        })
        .collect()
}

/// Text safe inside SVG elements and attribute values.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparklines_scale_to_the_largest_value() {
        assert_eq!(sparkline(&[0.0, 1.0, 2.0, 4.0]), "▁▃▅█");
        assert_eq!(sparkline(&[0.0, 0.0]), "▁▁");
        assert_eq!(sparkline(&[]), "");
    }

    #[test]
    fn titles_are_escaped_in_svg() {
        assert_eq!(
            escape(r#"<b>"A & B"</b>"#),
            "&lt;b&gt;&quot;A &amp; B&quot;&lt;/b&gt;"
        );
    }
}
