//! `trailmark status` on a terminal: one line a goal, sub-goals indented under their parent,
//! in the same order as the index report.

use std::fmt::Write as _;
use std::path::Path;

use anstyle::AnsiColor;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::{bold, paint, problems_note};
use crate::analyse::{Report, Status};
use crate::text::{percent, plural, progress_bar};
use crate::visible::visible;

/// Titles wider than this are cut with `…` even on a wide terminal: a table is read
/// across, and a very long title would push the numbers out of sight.
const MAX_TITLE_WIDTH: usize = 44;
/// Titles are never cut shorter than this, however narrow the terminal: below it the
/// line is wider than the terminal rather than the title unreadable.
const MIN_TITLE_WIDTH: usize = 12;
const BAR_WIDTH: usize = 12;
/// What follows the status of a stalled goal.
const STALLED: &str = ", stalled";
/// The columns after the title, but the status word: the gaps, the bar with its
/// percentage, done/total and the due date.
const COLUMNS_AFTER_TITLE: usize = 2 + BAR_WIDTH + 5 + 2 + 7 + 2 + 10 + 2;

/// The status table, as wide as `width` columns at most (see [`super::terminal_width`]),
/// titles cut with `…` to fit; then a line counting loose tasks and problems, if any.
pub(crate) fn status_table(root: &Path, report: &Report, width: usize) -> String {
    let rows = report.goal_tree();
    let status_width = rows
        .iter()
        .map(|row| row.goal.status.as_str().len() + STALLED.len() * usize::from(row.goal.stalled))
        .max()
        .unwrap_or(0)
        .max("Status".len());
    let max_title_width = width
        .saturating_sub(COLUMNS_AFTER_TITLE + status_width)
        .clamp(MIN_TITLE_WIDTH, MAX_TITLE_WIDTH);
    let titles: Vec<String> = rows
        .iter()
        .map(|row| {
            let indent = "  ".repeat(row.depth);
            truncate(
                &format!("{indent}{}", visible(&row.goal.title)),
                max_title_width,
            )
        })
        .collect();
    let title_width = titles
        .iter()
        .map(|t| t.width())
        .max()
        .unwrap_or(0)
        .max("Goal".len());
    let mut out = String::new();
    if rows.is_empty() {
        out.push_str(
            "No goals yet: declare one in a file's front-matter, like `goal: Learn SQL`.\n",
        );
    } else {
        let _ = writeln!(
            out,
            "{}",
            // Bold, not a color: white is invisible on a light background.
            bold(&format!(
                "{}  {:<w$}  {:>7}  {:<10}  {}",
                pad("Goal", title_width),
                "Progress",
                "Done",
                "Due",
                "Status",
                w = BAR_WIDTH + 5
            ))
        );
    }
    for (goal, title) in rows.iter().map(|row| row.goal).zip(&titles) {
        let done = if goal.total > 0 {
            format!("{}/{}", goal.done, goal.total)
        } else {
            String::new()
        };
        let due = goal.due.map(|d| d.to_string()).unwrap_or_default();
        let _ = writeln!(
            out,
            "{}  {} {:>4}  {:>7}  {:<10}  {}{}",
            pad(title, title_width),
            // The bar in the status's color: a glance at it says which goals need care.
            paint(
                status_color(goal.status),
                &progress_bar(goal.progress, BAR_WIDTH)
            ),
            percent(goal.progress),
            done,
            due,
            paint(status_color(goal.status), goal.status.as_str()),
            if goal.stalled { STALLED } else { "" }
        );
    }
    let loose = (!report.loose_tasks.is_empty()).then(|| {
        format!(
            "{} without a goal\n",
            plural(report.loose_tasks.len(), "task")
        )
    });
    let problems = problems_note(root, &report.diagnostics);
    if loose.is_some() || !problems.is_empty() {
        out.push('\n');
    }
    out + &loose.unwrap_or_default() + &problems
}

fn status_color(status: Status) -> AnsiColor {
    match status {
        Status::Overdue => AnsiColor::Red,
        Status::AtRisk => AnsiColor::Yellow,
        Status::OnTrack => AnsiColor::Green,
        Status::Done => AnsiColor::Cyan,
        Status::Open | Status::Paused | Status::Dropped => AnsiColor::BrightBlack,
    }
}

fn pad(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(text.width())))
}

fn truncate(text: &str, max_width: usize) -> String {
    if text.width() <= max_width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut width = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if width + w + 1 > max_width {
            break;
        }
        out.push(c);
        width += w;
    }
    out + "…"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::Date;

    use crate::testing::build;
    use crate::testing::parse;

    fn table(files: &[(&str, &str)]) -> String {
        let journal = build(files.iter().map(|(p, t)| parse(p, t.as_bytes())).collect());
        let report = crate::analyse::analyse(
            &journal,
            &Default::default(),
            Date::parse("2026-06-01").unwrap(),
            &Default::default(),
        );
        anstream::adapter::strip_str(&status_table(Path::new("."), &report, 80)).to_string()
    }

    #[test]
    fn rows_are_aligned_and_children_indented() {
        let out = table(&[(
            "g.md",
            "---\ngoals:\n  - title: Vision 日本\n    id: vision\n  - title: Step\n    parent: vision\n    due: 2026-12-01\n---\n## Step\n- [x] a\n- [ ] b\n",
        )]);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[0].starts_with("Goal"));
        assert!(lines[1].starts_with("Vision 日本"));
        assert!(lines[2].starts_with("  Step"));
        assert!(
            lines[2].contains("██████░░░░░░  50%      1/2  2026-12-01  on-track"),
            "{out}"
        );
        // The progress column starts at the same display column on every row.
        let column = |line: &str| line.find(['█', '░']).map(|at| line[..at].width());
        assert_eq!(column(lines[1]), column(lines[2]));
    }

    #[test]
    fn a_stalled_goal_says_so_beside_its_status() {
        let out = table(&[(
            "g.md",
            "---\ngoal: Idle\nstart: 2026-01-01\ndue: 2026-12-01\n---\n- [x] a ✅ 2026-01-10\n- [ ] b\n",
        )]);
        assert!(out.contains("2026-12-01  on-track, stalled\n"), "{out}");
    }

    #[test]
    fn long_titles_are_cut() {
        let cut = truncate(&"x".repeat(60), 10);
        assert_eq!(cut.width(), 10);
        assert!(cut.ends_with('…'));
        assert_eq!(truncate("short", 10), "short");
    }

    #[test]
    fn notes_count_loose_tasks_and_problems() {
        let out = table(&[("n.md", "- [ ] loose\n"), ("bad.md", "---\ngoal: [\n---\n")]);
        assert!(out.contains("No goals yet"));
        assert!(
            // No goal declared (bad.md's does not parse): the loose task is no warning.
            out.contains("1 task without a goal\n1 error, 0 warnings in the journal; run `trailmark check` to see it\n"),
            "{out}"
        );
    }
}
