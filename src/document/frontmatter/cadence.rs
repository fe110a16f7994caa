//! A goal's `cadence:` and `pauses:`, and an entry's `checkins:`: the front-matter of rate
//! goals (docs/FORMAT.md, "Cadence goals").

use super::Reader;
use super::yaml::{Node, Spanned};
use crate::document::{Cadence, CheckinDecl, Pause, Per};

impl Reader<'_> {
    /// `cadence: {count: 2, per: quarter, start: D, until: D}` (`due:` for `until:`).
    pub(super) fn cadence(&mut self, value: &Spanned<Node>) -> Option<Cadence> {
        let Node::Map(fields) = &value.value else {
            self.expected(
                value,
                "`cadence` is a mapping like {count: 2, per: quarter}",
            );
            return None;
        };
        let (mut count, mut per) = (None, None);
        let (mut start, mut until) = (None, None);
        for (key, field) in fields {
            match key.value.as_str() {
                "count" => count = self.count(field),
                "per" => per = self.per(field),
                "start" => start = self.date(field),
                "until" | "due" => until = self.date(field),
                other => {
                    let position = self.position(&key.referenced);
                    self.warning(
                        position,
                        format!(
                            "unknown cadence field `{other}`; cadence fields are: count, per, \
                             start, until (or due)"
                        ),
                    );
                }
            }
        }
        let position = self.position(&value.referenced);
        let (Some(count), Some(per)) = (count, per) else {
            self.error(
                position,
                "`cadence` needs a `count` (1 or more) and a `per` (day, week, month, quarter, year)",
            );
            return None;
        };
        if let (Some(start), Some(until)) = (start, until)
            && until < start
        {
            self.warning(
                position,
                format!("the cadence ends {until}, before it starts on {start}"),
            );
        }
        Some(Cadence {
            count,
            per,
            start,
            until,
        })
    }

    fn count(&mut self, value: &Spanned<Node>) -> Option<u32> {
        match &value.value {
            Node::Number(n) if n.fract() == 0.0 && *n >= 1.0 && *n <= f64::from(u32::MAX) => {
                Some(*n as u32)
            }
            _ => {
                self.expected(value, "`count` is a whole number, 1 or more");
                None
            }
        }
    }

    fn per(&mut self, value: &Spanned<Node>) -> Option<Per> {
        let per = match &value.value {
            Node::Text(text) => match text.trim() {
                "day" => Some(Per::Day),
                "week" => Some(Per::Week),
                "month" => Some(Per::Month),
                "quarter" => Some(Per::Quarter),
                "year" => Some(Per::Year),
                _ => None,
            },
            _ => None,
        };
        if per.is_none() {
            self.expected(value, "`per` is one of day, week, month, quarter, year");
        }
        per
    }

    /// `pauses: [{from: D, to: D}, ...]`, sorted by `from`, those that overlap or touch
    /// merged: a day is then paused when the last pause from before it reaches it.
    pub(super) fn pauses(&mut self, value: &Spanned<Node>) -> Vec<Pause> {
        let Node::List(items) = &value.value else {
            self.expected(
                value,
                "`pauses` is a list like [{from: 2026-07-01, to: 2026-07-31}]",
            );
            return Vec::new();
        };
        let mut pauses: Vec<Pause> = items.iter().filter_map(|item| self.pause(item)).collect();
        pauses.sort_by_key(|pause| pause.from);
        let mut merged: Vec<Pause> = Vec::with_capacity(pauses.len());
        for pause in pauses {
            match merged.last_mut() {
                Some(last) if pause.from <= last.to.add_days(1) => last.to = last.to.max(pause.to),
                _ => merged.push(pause),
            }
        }
        merged
    }

    fn pause(&mut self, item: &Spanned<Node>) -> Option<Pause> {
        let Node::Map(fields) = &item.value else {
            self.expected(
                item,
                "each pause is a mapping like {from: 2026-07-01, to: 2026-07-31}",
            );
            return None;
        };
        let (mut from, mut to) = (None, None);
        for (key, field) in fields {
            match key.value.as_str() {
                "from" => from = self.date(field),
                "to" => to = self.date(field),
                other => {
                    let position = self.position(&key.referenced);
                    self.warning(
                        position,
                        format!("unknown pause field `{other}`; pause fields are: from, to"),
                    );
                }
            }
        }
        let position = self.position(&item.referenced);
        match (from, to) {
            (Some(from), Some(to)) if from <= to => Some(Pause { from, to }),
            (Some(from), Some(to)) => {
                self.error(
                    position,
                    format!("the pause ends {to}, before it starts on {from}"),
                );
                None
            }
            _ => {
                self.error(position, "a pause needs both `from` and `to` dates");
                None
            }
        }
    }

    /// `checkins: {goal-id: {confidence: 7, note: "..."}}` in an entry.
    pub(super) fn checkins(&mut self, value: &Spanned<Node>) -> Vec<CheckinDecl> {
        let Node::Map(entries) = &value.value else {
            self.expected(
                value,
                "`checkins` is a mapping of goal id to {confidence: 0-10, note: ...}",
            );
            return Vec::new();
        };
        entries
            .iter()
            .filter_map(|(key, value)| {
                self.checkin(&key.value, value, self.position(&key.referenced))
            })
            .collect()
    }

    fn checkin(
        &mut self,
        goal: &str,
        value: &Spanned<Node>,
        position: crate::diagnostic::Position,
    ) -> Option<CheckinDecl> {
        let Node::Map(fields) = &value.value else {
            self.expected(
                value,
                &format!(
                    "the check-in for `{goal}` is a mapping like {{confidence: 7, note: ...}}"
                ),
            );
            return None;
        };
        let mut checkin = CheckinDecl {
            goal: goal.trim().to_lowercase(),
            confidence: None,
            note: None,
            position,
        };
        for (key, field) in fields {
            match key.value.as_str() {
                "confidence" => checkin.confidence = self.confidence(field),
                "note" => checkin.note = self.text(field).filter(|note| !note.is_empty()),
                other => {
                    let position = self.position(&key.referenced);
                    self.warning(
                        position,
                        format!("unknown check-in field `{other}`; check-in fields are: confidence, note"),
                    );
                }
            }
        }
        Some(checkin)
    }

    /// A confidence outside 0-10 is a warning and is left out; the note is kept.
    fn confidence(&mut self, value: &Spanned<Node>) -> Option<u8> {
        match &value.value {
            Node::Number(n) if n.fract() == 0.0 && (0.0..=10.0).contains(n) => Some(*n as u8),
            Node::Null => None,
            _ => {
                let position = self.position(&value.referenced);
                let found = match &value.value {
                    Node::Number(n) => n.to_string(),
                    other => other.kind().to_string(),
                };
                self.warning(
                    position,
                    format!("`confidence` is a whole number from 0 to 10; found {found}"),
                );
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::read_text;
    use crate::dates::Date;
    use crate::diagnostic::Position;
    use crate::document::{Pause, Per};

    #[test]
    fn reads_a_cadence_and_pauses() {
        let (front, diagnostics) = read_text(
            "---\ngoal: Events\ncadence: {count: 2, per: quarter, start: 2026-01-01, due: 2026-12-31}\n\
             pauses:\n  - {from: 2026-08-01, to: 2026-08-31}\n  - {from: 2026-03-01, to: 2026-03-02}\n  \
             - {from: 2026-03-03, to: 2026-03-03}\n  - {from: 2026-08-10, to: 2026-09-02}\n---\n",
        );
        assert_eq!(diagnostics, vec![]);
        let goal = &front.goals[0];
        let cadence = goal.cadence.as_ref().unwrap();
        assert_eq!((cadence.count, cadence.per), (2, Per::Quarter));
        assert_eq!(cadence.start, Date::from_ymd(2026, 1, 1));
        assert_eq!(cadence.until, Date::from_ymd(2026, 12, 31));
        let day = |m, d| Date::from_ymd(2026, m, d).unwrap();
        // Sorted, and those that overlap or touch merged.
        assert_eq!(
            goal.pauses,
            [
                Pause {
                    from: day(3, 1),
                    to: day(3, 3)
                },
                Pause {
                    from: day(8, 1),
                    to: day(9, 2)
                }
            ]
        );
    }

    #[test]
    fn bad_cadence_values_name_line_and_column() {
        let (front, diagnostics) = read_text(
            "---\ngoal: G\ncadence: {count: 0, per: fortnight}\npauses: [{from: 2026-02-01, to: 2026-01-01}]\n---\n",
        );
        assert!(front.goals[0].cadence.is_none());
        assert!(front.goals[0].pauses.is_empty());
        let found: Vec<_> = diagnostics
            .iter()
            .map(|d| {
                (
                    d.position.unwrap().line,
                    d.position.unwrap().column,
                    d.message.as_str(),
                )
            })
            .collect();
        assert_eq!((found[0].0, found[0].1), (3, 18), "{found:?}");
        assert!(found[0].2.contains("whole number, 1 or more"));
        assert_eq!((found[1].0, found[1].1), (3, 26));
        assert!(found[1].2.contains("day, week, month, quarter, year"));
        assert_eq!((found[2].0, found[2].1), (3, 10));
        assert!(found[2].2.contains("needs a `count`"));
        assert_eq!((found[3].0, found[3].1), (4, 10));
        assert!(found[3].2.contains("before it starts"));
    }

    #[test]
    fn reads_checkins_and_warns_about_a_confidence_out_of_range() {
        let (front, diagnostics) = read_text(
            "---\ndate: 2026-03-02\ncheckins:\n  Events: {confidence: 7, note: \"two booked\"}\n  \
             mentor: {confidence: 11}\n---\n",
        );
        let found: Vec<_> = front
            .checkins
            .iter()
            .map(|c| (c.goal.as_str(), c.confidence, c.note.as_deref()))
            .collect();
        assert_eq!(
            found,
            [
                ("events", Some(7), Some("two booked")),
                ("mentor", None, None)
            ]
        );
        assert_eq!(front.checkins[0].position, Position::new(4, 3));
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].position, Some(Position::new(5, 24)));
        assert!(diagnostics[0].message.contains("from 0 to 10; found 11"));
    }
}
