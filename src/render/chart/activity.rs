//! The journal's activity as a heat map: milestones done per week, a column a month.

use std::fmt::Write as _;

use crate::analyse::timeline::ActivityWeek;
use crate::dates::Date;

/// A square's side and the distance from one column to the next, in user units. With
/// 13 months the map is 336 units wide: on a phone's 340 px page it is drawn a little
/// larger than its units, never smaller (base.html caps it at 24rem on wider pages), and
/// a month's name (11 px there, for "May" to fit a column) is as large as its units.
const CELL: f64 = 22.0;
const STEP: f64 = 26.0;
const LEFT: f64 = 1.0;
/// The top of the first row of squares, below the year and month labels.
const TOP: f64 = 32.0;
/// A month has parts of 4 to 6 weeks; a week belongs to the month of its Thursday (as
/// ISO weeks belong to years), so that a month has 4 or 5.
const ROWS: f64 = 5.0;
const LEGEND_CELL: f64 = 12.0;

/// A heat map of the leaf milestones done each week of `weeks`: a column a month, a
/// square a week, darker for more (four levels up to the busiest week), with a less/more
/// legend. Weeks, because the journal is written week by week and the table beside the
/// map counts weeks: a day-by-day map of a weekly journal is mostly empty squares.
pub(in crate::render) fn activity(weeks: &[ActivityWeek]) -> String {
    let total: u32 = weeks.iter().map(|w| w.total).sum();
    let busiest = weeks
        .iter()
        .filter(|w| w.total > 0)
        .max_by_key(|w| (w.total, w.start));
    let most = busiest.map_or(1, |w| w.total);
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
    summary.push_str(" A column a month, a square a week; the darker, the more.");
    let months = by_month(weeks);
    let width = 2.0 * LEFT + STEP * months.len() as f64 - (STEP - CELL);
    let legend_y = TOP + STEP * ROWS + 6.0;
    let height = legend_y + LEGEND_CELL + 2.0;
    let mut svg = format!(
        r#"<svg class="chart activity" viewBox="0 0 {width} {height}" role="img" aria-labelledby="activity-title activity-desc"><title id="activity-title">Milestones done per week over the last year</title><desc id="activity-desc">{summary}</desc>"#
    );
    for (column, (month, weeks)) in months.iter().enumerate() {
        let x = LEFT + STEP * column as f64;
        if column == 0 || month.month() == 1 {
            let _ = write!(
                svg,
                r#"<text class="axis" x="{x}" y="11">{}</text>"#,
                month.year()
            );
        }
        let _ = write!(
            svg,
            r#"<text class="axis" x="{}" y="26" text-anchor="middle">{}</text>"#,
            x + CELL / 2.0,
            &month.month_name()[..3]
        );
        for (row, week) in weeks {
            let _ = write!(
                svg,
                r#"<rect class="level-{}" x="{x}" y="{}" width="{CELL}" height="{CELL}" rx="2"><title>Week of {}: {}</title></rect>"#,
                level(week.total, most),
                TOP + STEP * *row as f64,
                week.start,
                crate::text::plural(week.total as usize, "milestone")
            );
        }
    }
    // The legend, right-aligned: less, a square of each level, more.
    let text_y = legend_y + LEGEND_CELL - 2.0;
    let more_x = width - LEFT;
    let first_cell = more_x - 34.0 - 5.0 * (LEGEND_CELL + 3.0);
    let _ = write!(
        svg,
        r#"<text class="axis" x="{}" y="{text_y}" text-anchor="end">less</text>"#,
        first_cell - 4.0
    );
    for level in 0..=4 {
        let _ = write!(
            svg,
            r#"<rect class="level-{level}" x="{}" y="{legend_y}" width="{LEGEND_CELL}" height="{LEGEND_CELL}" rx="2"/>"#,
            first_cell + f64::from(level) * (LEGEND_CELL + 3.0)
        );
    }
    let _ = write!(
        svg,
        r#"<text class="axis" x="{more_x}" y="{text_y}" text-anchor="end">more</text></svg>"#
    );
    svg
}

/// 0 for no milestone, else 1 to 4 in quarters of the busiest week's count.
fn level(count: u32, most: u32) -> u32 {
    if count == 0 {
        0
    } else {
        (count * 4).div_ceil(most.max(1)).clamp(1, 4)
    }
}

/// The weeks grouped by the month of their Thursday (its first day), each with its row:
/// which week of that month it is, 0 to 4.
fn by_month(weeks: &[ActivityWeek]) -> Vec<(Date, Vec<(usize, &ActivityWeek)>)> {
    let mut months: Vec<(Date, Vec<(usize, &ActivityWeek)>)> = Vec::new();
    for week in weeks {
        let thursday = week.start.add_days(3);
        let first = Date::from_ymd(thursday.year(), thursday.month(), 1)
            .expect("the first of a month exists");
        let row = (first.days_until(thursday) / 7) as usize;
        match months.last_mut() {
            Some((month, weeks)) if *month == first => weeks.push((row, week)),
            _ => months.push((first, vec![(row, week)])),
        }
    }
    months
}

#[cfg(test)]
mod tests {
    use super::super::PHONE_PAGE_WIDTH;
    use super::super::tests::{axis_font_px, view_box_width};
    use super::*;
    use crate::testing::{day, report};

    fn year_of_activity() -> Vec<ActivityWeek> {
        let text = "---\ngoal: G\n---\n- [x] a ✅ 2026-11-02\n- [x] b ✅ 2026-11-03\n- [x] c ✅ 2026-02-10\n";
        report(&[("g.md", text)], "2026-11-29").activity
    }

    #[test]
    fn a_square_a_week_a_column_a_month() {
        let weeks = year_of_activity();
        let svg = activity(&weeks);
        // 53 weeks from the week of Monday 2025-11-24, whose Thursday is in November.
        assert_eq!(svg.matches("<rect class=\"level-").count(), 53 + 5);
        assert!(
            svg.contains("<title>Week of 2026-11-02: 2 milestones</title>"),
            "{svg}"
        );
        assert!(
            svg.contains("<title>Week of 2026-02-09: 1 milestone</title>"),
            "{svg}"
        );
        let months = by_month(&weeks);
        let columns: Vec<String> = months
            .iter()
            .map(|(month, weeks)| format!("{}:{}", &month.to_string()[..7], weeks.len()))
            .collect();
        assert_eq!(columns.len(), 13, "{columns:?}");
        assert_eq!(columns[0], "2025-11:1");
        assert_eq!(columns[2], "2026-01:5");
        assert_eq!(columns[12], "2026-11:4");
        // The week of Monday 2025-12-29 has its Thursday in January: its first week.
        assert_eq!(months[2].1[0].0, 0);
        assert_eq!(months[2].1[0].1.start, day("2025-12-29"));
        // The week of Monday 2025-11-24 is the 4th of November.
        assert_eq!(months[0].1[0].0, 3);
        for label in [
            ">2025<", ">Dec<", ">2026<", ">Jan<", ">Nov<", ">less<", ">more<",
        ] {
            assert!(svg.contains(label), "{label} in {svg}");
        }
    }

    #[test]
    fn levels_are_quarters_of_the_busiest_week() {
        assert_eq!(
            [0, 1, 2, 3, 4, 5, 8].map(|n| level(n, 8)),
            [0, 1, 1, 2, 2, 3, 4]
        );
        assert_eq!(level(1, 1), 4);
    }

    #[test]
    fn on_a_phone_its_text_is_at_least_11_px_and_its_squares_10() {
        // The widest map, 13 months (a year of Thursdays from one December's first days
        // to the next's), drawn on a phone: never smaller than its own units.
        let text = "---\ngoal: G\n---\n";
        let weeks = report(&[("g.md", text)], "2026-12-03").activity;
        assert_eq!(by_month(&weeks).len(), 13);
        let svg = activity(&weeks);
        let scale = PHONE_PAGE_WIDTH / view_box_width(&svg).unwrap();
        assert!(scale >= 1.0, "{scale}");
        assert!(axis_font_px(".activity .axis") * scale >= 11.0);
        assert!(CELL * scale >= 10.0);
    }
}
