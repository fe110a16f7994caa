//! `trailmark check`: diagnostics in compiler style with the offending line, and SMART hints.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use anstyle::{AnsiColor, Style};

use crate::analyse::{Report, Status};
use crate::diagnostic::{Diagnostic, Position, Severity};
use crate::document::GoalStatus;
use crate::fsread;

/// Advice on making a goal SMART; never an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub file: String,
    pub position: Position,
    pub message: String,
}

/// Hints for every goal that is still being worked on (not done or dropped): a goal
/// should be measurable (milestones or a metric), relevant (`why`, `area`) and
/// time-bound (a due date, not yet past).
pub fn smart_hints(report: &Report) -> Vec<Hint> {
    let mut hints = Vec::new();
    for goal in &report.goals {
        if matches!(goal.status, Status::Done | Status::Dropped) {
            continue;
        }
        let mut hint = |message: String| {
            hints.push(Hint {
                file: goal.file.clone(),
                position: Position::new(goal.line, goal.column),
                message: format!("goal `{}` {message}", goal.id),
            })
        };
        if goal.due.is_none() {
            hint("has no due date; a SMART goal is time-bound: add `due: YYYY-MM-DD`".into());
        }
        if goal.total == 0 && goal.metric.is_none() {
            hint(
                "has no milestones and no metric; a SMART goal is measurable: add `- [ ]` \
                 milestones or a `metric:`"
                    .into(),
            );
        }
        let missing: Vec<&str> = [
            ("`why:`", goal.why.is_none()),
            ("`area:`", goal.area.is_none()),
        ]
        .into_iter()
        .filter_map(|(field, missing)| missing.then_some(field))
        .collect();
        if !missing.is_empty() {
            hint(format!(
                "has no {}; a SMART goal is relevant: say why it matters and what part of your \
                 career it serves",
                missing.join(" or ")
            ));
        }
        if let Some(due) = goal.due
            && due < report.today
            && goal.declared_status == GoalStatus::Active
        {
            hint(format!(
                "was due {due} and is still active: mark it done, move the date, or set \
                 `status: dropped`"
            ));
        }
    }
    hints
}

/// The whole `check` output: each diagnostic with its source line and a caret, then the
/// hints, then a count. `root` is read again only for the lines shown.
pub fn format_check(root: &Path, diagnostics: &[Diagnostic], hints: &[Hint]) -> String {
    let mut out = format_diagnostics(root, diagnostics);
    for hint in hints {
        let place = format!(
            "{}:{}:{}",
            hint.file, hint.position.line, hint.position.column
        );
        let _ = writeln!(
            out,
            "{}: {}: {}",
            bold(&place),
            paint(AnsiColor::Cyan, "hint"),
            hint.message
        );
    }
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    let _ = writeln!(
        out,
        "{}, {}, {}",
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(hints.len(), "hint")
    );
    out
}

/// Each diagnostic with its source line and a caret under the place.
pub fn format_diagnostics(root: &Path, diagnostics: &[Diagnostic]) -> String {
    let mut sources = SourceLines::new(root);
    let mut out = String::new();
    for diagnostic in diagnostics {
        let label = match diagnostic.severity {
            Severity::Error => paint(AnsiColor::Red, "error"),
            Severity::Warning => paint(AnsiColor::Yellow, "warning"),
        };
        let place = match diagnostic.position {
            Some(p) => format!("{}:{}:{}", diagnostic.file, p.line, p.column),
            None => diagnostic.file.clone(),
        };
        let _ = writeln!(out, "{}: {label}: {}", bold(&place), diagnostic.message);
        if let Some(position) = diagnostic.position
            && let Some(line) = sources.line(&diagnostic.file, position.line)
        {
            out.push_str(&snippet(&line, position));
        }
    }
    out
}

/// ```text
///    |
///  3 | due: next week
///    |      ^
/// ```
/// A long line is shown as a window of [`SNIPPET_WIDTH`] characters around the column, so
/// one minified line cannot flood the terminal and the caret still points at the place.
fn snippet(line: &str, position: Position) -> String {
    let column = position.column.saturating_sub(1) as usize;
    let skip = column.saturating_sub(SNIPPET_WIDTH / 2);
    let shown: String = line.chars().skip(skip).take(SNIPPET_WIDTH).collect();
    let (shown, column) = if skip > 0 {
        (format!("…{shown}"), column - skip + 1)
    } else {
        (shown, column)
    };
    let number = position.line.to_string();
    let gutter = " ".repeat(number.len());
    // Keep tabs so the caret lines up under the same indentation as the source.
    let lead: String = shown
        .chars()
        .take(column)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let bar = paint(AnsiColor::Blue, "|");
    format!(
        " {gutter} {bar}\n {} {bar} {shown}\n {gutter} {bar} {lead}{}\n",
        paint(AnsiColor::Blue, &number),
        paint(AnsiColor::Red, "^")
    )
}

/// How many characters of a source line a snippet shows.
const SNIPPET_WIDTH: usize = 160;

pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Wraps text in a color; anstream drops the codes where the output is no terminal.
pub fn paint(color: AnsiColor, text: &str) -> String {
    let style = Style::new().fg_color(Some(color.into())).bold();
    format!("{style}{text}{style:#}")
}

fn bold(text: &str) -> String {
    let style = Style::new().bold();
    format!("{style}{text}{style:#}")
}

/// Lines of journal files, read once per file, for snippets.
struct SourceLines<'a> {
    root: &'a Path,
    files: HashMap<String, Option<Vec<String>>>,
}

impl<'a> SourceLines<'a> {
    fn new(root: &'a Path) -> SourceLines<'a> {
        SourceLines {
            root,
            files: HashMap::new(),
        }
    }

    fn line(&mut self, file: &str, line: u32) -> Option<String> {
        let root = self.root;
        let lines = self.files.entry(file.to_string()).or_insert_with(|| {
            let bytes = fsread::read(&root.join(file), fsread::MAX_FILE_BYTES).ok()?;
            let text = String::from_utf8_lossy(&bytes);
            let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
            let index = crate::document::LineIndex::new(text);
            Some(
                index
                    .lines()
                    .map(|l| l.trim_end_matches(['\r', '\n']).to_string())
                    .collect(),
            )
        });
        lines.as_ref()?.get(line.checked_sub(1)? as usize).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::Date;

    /// Parses with the default options.
    fn parse(path: &str, bytes: &[u8]) -> crate::document::Document {
        crate::document::parse(path, bytes, &crate::document::ParseOptions::default())
    }
    use crate::model::build;

    fn hints_for(text: &str, today: &str) -> Vec<String> {
        let journal = build(vec![parse("g.md", text.as_bytes())]);
        let report = crate::analyse::analyse(
            &journal,
            &Default::default(),
            Date::parse(today).unwrap(),
            &Default::default(),
        );
        smart_hints(&report)
            .into_iter()
            .map(|h| h.message)
            .collect()
    }

    #[test]
    fn a_smart_goal_gets_no_hints() {
        let text = "---\ngoal: G\ndue: 2027-01-01\nwhy: w\narea: a\n---\n- [ ] step\n";
        assert_eq!(hints_for(text, "2026-01-01"), Vec::<String>::new());
    }

    #[test]
    fn each_missing_part_is_hinted() {
        let hints = hints_for("---\ngoal: G\n---\n", "2026-01-01");
        assert_eq!(hints.len(), 3, "{hints:?}");
        assert!(hints[0].contains("time-bound"));
        assert!(hints[1].contains("measurable"));
        assert!(hints[2].contains("`why:` or `area:`"));
    }

    #[test]
    fn a_past_due_active_goal_is_hinted_but_not_a_done_one() {
        let text = "---\ngoal: G\ndue: 2026-01-01\nwhy: w\narea: a\nmetric: {target: 3}\n---\n";
        let hints = hints_for(text, "2026-02-01");
        assert_eq!(hints.len(), 1);
        assert!(hints[0].contains("was due 2026-01-01"));
        let done = text.replace("area: a", "area: a\nstatus: done");
        assert!(hints_for(&done, "2026-02-01").is_empty());
    }

    #[test]
    fn snippets_point_at_the_column() {
        let text = snippet("due: next week", Position::new(3, 6));
        let plain = anstream::adapter::strip_str(&text).to_string();
        assert_eq!(plain, "   |\n 3 | due: next week\n   |      ^\n");
    }

    #[test]
    fn long_lines_are_windowed_around_the_column() {
        let line = format!("{}X{}", "a".repeat(1000), "b".repeat(1000));
        let text = snippet(&line, Position::new(1, 1001));
        let plain = anstream::adapter::strip_str(&text).to_string();
        let lines: Vec<&str> = plain.lines().collect();
        assert!(lines[1].chars().count() < 200);
        let x_at = lines[1].chars().position(|c| c == 'X').unwrap();
        let caret_at = lines[2].chars().position(|c| c == '^').unwrap();
        assert_eq!(x_at, caret_at);
    }
}
