//! Charts as inline SVG (burn-up, metric values, activity heat map) and text sparklines.
//!
//! The SVG is built here from numbers and dates; the only journal text in it (a goal's
//! title, a metric's unit) is escaped. Colors and the size of text come from CSS classes
//! in `base.html`, so the charts follow the light, dark and print styles. Each chart has
//! a title and description for screen readers; the templates add the data as a table.
//!
//! Charts are read on phones too, where a page is 340 CSS pixels wide (a 360 px screen
//! less the page's padding). The burn-up and metric charts have no `viewBox`: their
//! user unit is the CSS pixel, dates sit at percentages of the width, so they stretch to
//! any width while their text keeps its size. The heat map keeps its squares square, so
//! it scales as a whole: its `viewBox` is no wider than a phone's page, so it is never
//! drawn smaller than its own units. docs/REPORTS.md ("Charts") has the choices.

use std::fmt::Write as _;

use super::decimal::Fixed;

mod activity;
mod burn_up;
mod metric;
mod sparkline;
mod time_axis;

pub(super) use activity::activity;
pub(super) use burn_up::burn_up;
pub(super) use metric::metric;
pub(super) use sparkline::{progress_sparkline, sparkline};

/// The narrowest page a chart is drawn on, in CSS pixels: a 360 px phone less the
/// page's padding (`body { padding: .6rem }` under 30rem).
#[cfg(test)]
const PHONE_PAGE_WIDTH: f64 = 340.0;

/// Where a dated marker's label goes: beside its line, on the side with more room.
fn marker(svg: &mut String, class: &str, percent: f64, y1: f64, y2: f64, label: &str, row_y: f64) {
    let (anchor, dx) = if percent > 50.0 {
        ("end", -4)
    } else {
        ("start", 4)
    };
    let at = Fixed::new(percent, 2);
    let _ = write!(
        svg,
        r#"<line class="{class}" x1="{at}%" x2="{at}%" y1="{y1}" y2="{y2}"/><text class="axis {class}" x="{at}%" dx="{dx}" y="{row_y}" text-anchor="{anchor}">{label}</text>"#,
    );
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

    /// The font size of chart text in CSS pixels (user units in an SVG), as base.html's
    /// rule for `selector` sets it.
    pub(super) fn axis_font_px(selector: &str) -> f64 {
        let css = include_str!("../../../templates/base.html");
        let rule = css
            .lines()
            .find(|line| line.starts_with(&format!("{selector} {{")))
            .expect("base.html styles chart text");
        let size = rule
            .split("font-size:")
            .nth(1)
            .and_then(|rest| rest.trim_start().split("px").next())
            .expect("chart text has a size in px");
        size.parse().unwrap()
    }

    /// The `viewBox` width of an SVG, if it has one.
    pub(super) fn view_box_width(svg: &str) -> Option<f64> {
        let rest = svg.split(r#"viewBox="0 0 "#).nth(1)?;
        rest.split(' ').next()?.parse().ok()
    }

    #[test]
    fn titles_are_escaped_in_svg() {
        assert_eq!(
            escape(r#"<b>"A & B"</b>"#),
            "&lt;b&gt;&quot;A &amp; B&quot;&lt;/b&gt;"
        );
    }

    #[test]
    fn chart_text_is_at_least_11_px() {
        assert!(axis_font_px(".chart .axis") >= 11.0);
        assert!(axis_font_px(".activity .axis") >= 11.0);
    }
}
