//! Inlay hints: a goal's progress after its declaration, and how far a `📅` due date
//! is ("3 d overdue", "in 5 d") after it, on an open milestone or in prose.

use super::Context;
use super::protocol::{InlayHint, TextRange};
use crate::dates::Date;
use crate::document::MilestoneState;

/// The due-date marker of the Tasks plugin.
const DUE: &str = "📅";

pub(crate) fn inlay_hints(c: &Context<'_>, range: TextRange) -> Vec<InlayHint> {
    let document = c.document();
    let lines = range.start.line..=range.end.line.min(c.buffer.line_count().saturating_sub(1));
    let mut hints = Vec::new();
    // The buffer's goals matched with the analysed ones by their order in the file.
    for (declared, goal) in document
        .goals()
        .iter()
        .zip(c.snapshot.goals_of_file(c.path))
    {
        let line = declared.position.line.saturating_sub(1);
        if lines.contains(&line) {
            let text = c.buffer.line(line);
            hints.push(InlayHint {
                position: c.buffer.position_in_line(line, text.len()),
                label: format!(
                    "{}/{} · {:.0}% · {}",
                    goal.done,
                    goal.total,
                    goal.progress * 100.0,
                    goal.status.as_str()
                ),
            });
        }
    }
    let today = c.snapshot.today();
    for line in lines {
        let text = c.buffer.line(line);
        let Some(marker) = text.find(DUE) else {
            continue;
        };
        let after = text[marker + DUE.len()..].trim_start();
        let Some(date) = after.get(..10).and_then(|date| Date::parse(date).ok()) else {
            continue;
        };
        let finished = document.milestones.iter().any(|milestone| {
            milestone.position.line == line + 1 && milestone.state != MilestoneState::Open
        });
        if finished {
            continue;
        }
        let end = text.len() - after.len() + 10;
        hints.push(InlayHint {
            position: c.buffer.position_in_line(line, end),
            label: distance(today, date),
        });
    }
    hints.sort_by_key(|hint| hint.position);
    hints
}

/// "3 d overdue", "today", "in 5 d".
fn distance(today: Date, due: Date) -> String {
    match today.days_until(due) {
        days if days < 0 => format!("{} d overdue", -days),
        0 => "today".to_string(),
        days => format!("in {days} d"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_how_far_a_due_date_is() {
        let today = Date::parse("2026-03-10").unwrap();
        let day = |text| Date::parse(text).unwrap();
        assert_eq!(distance(today, day("2026-03-07")), "3 d overdue");
        assert_eq!(distance(today, day("2026-03-10")), "today");
        assert_eq!(distance(today, day("2026-03-15")), "in 5 d");
    }
}
