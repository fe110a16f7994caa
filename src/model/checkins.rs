//! Check-ins: an entry's `checkins:` handed to the goals they name.

use serde::Serialize;

use super::{Linker, Logged};
use crate::dates::Date;
use crate::diagnostic::Diagnostic;

/// How confident the writer was about a goal on a day, as the JSON reports it too.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Checkin {
    pub(crate) date: Date,
    /// 0 to 10; `None` when the entry gave only a note.
    pub(crate) confidence: Option<u8>,
    pub(crate) note: Option<String>,
    /// The entry it was written in.
    pub(crate) file: String,
    /// The index of that entry's document: the goals' inputs read its content by it.
    #[serde(skip)]
    pub(crate) document: usize,
}

impl Linker {
    /// Check-ins are read from dated entries only; one for an unknown goal is a warning.
    pub(super) fn collect_checkins(&mut self) {
        let mut diagnostics = Vec::new();
        for doc_index in 0..self.journal.documents.len() {
            for (goal, checkin) in self.checkins_of(doc_index, &mut diagnostics) {
                self.journal.goals[goal].checkins.push(checkin);
            }
        }
        self.journal.diagnostics.extend(diagnostics);
        for goal in &mut self.journal.goals {
            goal.checkins.sort_by_key(|checkin| checkin.date);
        }
    }

    /// A document's check-ins, each with its goal, in file order.
    pub(super) fn checkins_of(
        &self,
        doc_index: usize,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Vec<(usize, Checkin)> {
        let document = &self.journal.documents[doc_index];
        let mut checkins = Vec::new();
        for checkin in document.checkins() {
            let said = Logged {
                goal: &checkin.goal,
                position: checkin.position,
                what: "check-ins",
                for_goal: "check-in for",
            };
            let Some((date, goal)) = self.dated_goal(document, &said, diagnostics) else {
                continue;
            };
            let found = Checkin {
                date,
                confidence: checkin.confidence,
                note: checkin.note.clone(),
                file: document.path.to_string(),
                document: doc_index,
            };
            checkins.push((goal, found));
        }
        checkins
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::journal;

    #[test]
    fn checkins_go_to_their_goals_from_dated_entries_only() {
        let j = journal(&[
            ("g.md", "---\ngoal: Events\n---\n"),
            (
                "2026-02-01.md",
                "---\ncheckins: {events: {confidence: 4}, evnts: {confidence: 5}}\n---\n",
            ),
            (
                "2026-01-01.md",
                "---\ncheckins: {events: {note: fine}}\n---\n",
            ),
            (
                "undated.md",
                "---\ncheckins: {events: {confidence: 9}}\n---\n",
            ),
        ]);
        let found: Vec<_> = j.goals[0]
            .checkins
            .iter()
            .map(|c| (c.date.to_string(), c.confidence, c.note.as_deref()))
            .collect();
        assert_eq!(
            found,
            [
                ("2026-01-01".to_string(), None, Some("fine")),
                ("2026-02-01".to_string(), Some(4), None)
            ]
        );
        let messages: Vec<String> = j.diagnostics.iter().map(|d| d.to_string()).collect();
        assert!(
            messages[0].starts_with(
                "2026-02-01.md:2:37: warning: check-in for `evnts`, which names no goal"
            ),
            "{messages:?}"
        );
        assert!(
            messages[1]
                .contains("undated.md:2:12: warning: check-ins are read only from dated entries")
        );
    }
}
