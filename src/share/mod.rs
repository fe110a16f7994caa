//! The stage between `analyse` and `plan` that `build --share AUDIENCE` adds: the report
//! as one audience may see it, and nothing else (docs/SHARING.md).
//!
//! Filtering happens here, on the data, before any page is planned: a template of the
//! shared output (the shipped ones or a journal's own) can only show what this stage
//! keeps. What it keeps is written out field by field (every struct it copies is
//! destructured whole, so a field added to a report does not reach a shared page until
//! someone decides here whether it may):
//! - the goals shared with the audience (`share:` on the goal, else on its nearest
//!   ancestor that says), with their milestones, metric values, cadence and check-ins;
//! - of entries, only the lines of a file shared as a whole (`share:` in its
//!   front-matter) or of a section whose heading has a `{share}` marker, and the wins,
//!   feedback and lessons written there;
//! - never a file path, a line number, git data, an unshared goal's id, title, or count
//!   (parents and children are kept only when shared, `#tags` naming an unshared goal are
//!   taken out of shared text), nor a link (milestones keep their plain text).

mod checkin;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde::Serialize;

use crate::analyse::timeline::GoalTimeline;
use crate::analyse::{
    Detail, EntryLine, EntryReport, GoalReport, MetricReport, MilestoneReport, NeedsNow, Report,
};
use crate::dates::Date;
use crate::document::{self, Document, NoteKind, plain_text};
use crate::model::{Checkin, Journal, MetricValue};
use crate::small_list::SmallList;
pub(crate) use checkin::CheckinRow;

/// What one audience sees: the shared goals, in the index's order, and the notes shared.
#[derive(Debug, Serialize)]
pub(crate) struct Shared {
    pub(crate) audience: String,
    pub(crate) today: Date,
    pub(crate) goals: Vec<SharedGoal>,
    /// Wins, feedback and lessons of shared entries and sections, newest first.
    pub(crate) notes: Vec<SharedNote>,
    /// The 1:1 check-in page's rows, in the order of `goals`.
    pub(crate) checkins: Vec<CheckinRow>,
}

/// A shared goal and how deep it sits under the shared goals above it.
#[derive(Debug, Serialize)]
pub(crate) struct SharedGoal {
    pub(crate) goal: GoalReport,
    pub(crate) depth: usize,
}

/// An item of a shared wins, feedback or lessons section.
#[derive(Debug, Serialize)]
pub(crate) struct SharedNote {
    pub(crate) date: Date,
    pub(crate) kind: NoteKind,
    pub(crate) text: String,
}

/// `report` (of `journal`) as `audience` may see it.
pub(crate) fn for_audience(journal: &Journal, report: &Report, audience: &str) -> Shared {
    let shared: Vec<bool> = (0..journal.goals.len())
        .map(|goal| goal_is_shared(journal, goal, audience))
        .collect();
    let private_ids: HashSet<&str> = report
        .goals
        .iter()
        .zip(&shared)
        .filter(|(_, shared)| !**shared)
        .map(|(goal, _)| goal.id.as_str())
        .collect();
    let filter = Filter {
        journal,
        audience,
        private_ids,
    };
    let timelines: HashMap<&str, &GoalTimeline> = report
        .goals
        .iter()
        .zip(&report.timelines)
        .map(|(goal, timeline)| (goal.id.as_str(), &**timeline))
        .collect();
    // The tree of the shared goals alone (one whose parent is not shared is a root), as
    // the index orders it: a report of only them gives it.
    let shared_goals: Vec<Arc<GoalReport>> = report
        .goals
        .iter()
        .zip(&shared)
        .filter(|(_, shared)| **shared)
        .map(|(goal, _)| Arc::new(filter.goal(goal)))
        .collect();
    let only_shared = Report {
        today: report.today,
        rules: report.rules,
        detail: Detail::Whole,
        needs_now: NeedsNow::of(&shared_goals, report.today),
        goals: shared_goals,
        timelines: Vec::new(),
        loose_tasks: Arc::default(),
        diagnostics: Vec::new(),
        activity: Vec::new(),
    };
    let goals: Vec<SharedGoal> = only_shared
        .goal_tree()
        .into_iter()
        .map(|row| SharedGoal {
            goal: row.goal.clone(),
            depth: row.depth,
        })
        .collect();
    let checkins = goals
        .iter()
        .map(|shared| {
            checkin::row(
                &shared.goal,
                timelines[shared.goal.id.as_str()],
                report.today,
            )
        })
        .collect();
    Shared {
        audience: audience.to_lowercase(),
        today: report.today,
        notes: filter.notes(),
        checkins,
        goals,
    }
}

/// Whether goal `index` is shared with `audience`: by its own `share:`, else by its
/// nearest ancestor's; not shared when none says.
fn goal_is_shared(journal: &Journal, index: usize, audience: &str) -> bool {
    let mut goal = Some(index);
    // At most one step a goal: the model cuts parent cycles, this only makes sure.
    for _ in 0..journal.goals.len() {
        let Some(at) = goal else { break };
        if let Some(share) = &journal.goals[at].declared.share {
            return share.includes(audience);
        }
        goal = journal.goals[at].parent;
    }
    false
}

struct Filter<'a> {
    journal: &'a Journal,
    audience: &'a str,
    /// The ids of the goals not shared, whose `#tags` are taken out of shared text.
    private_ids: HashSet<&'a str>,
}

impl Filter<'_> {
    fn document(&self, path: &str) -> Option<&Document> {
        let documents = &self.journal.documents;
        document::position(documents, path)
            .ok()
            .map(|at| &documents[at])
    }

    /// Whether `document` is an entry shared as a whole. A file that declares a goal is
    /// never: its `share:` is the goal's, and sharing a goal shares its facts, not the
    /// notes written around them.
    fn whole_file_shared(&self, document: &Document) -> bool {
        document.goals().is_empty()
            && document
                .share()
                .is_some_and(|share| share.includes(self.audience))
    }

    /// Whether `line` of `document` is shared: the whole file is, or the innermost
    /// heading above the line with a marker says it is.
    fn line_shared(&self, document: &Document, line: u32) -> bool {
        let headings = &document.headings;
        let above = headings.partition_point(|h| h.position.line <= line);
        let mut heading = above.checked_sub(1);
        while let Some(at) = heading {
            if let Some(share) = &headings[at].share {
                return share.includes(self.audience);
            }
            heading = headings[at].parent().map(|p| p as usize);
        }
        self.whole_file_shared(document)
    }

    /// `text` (inline markdown) as plain text, without the `#tags` that name goals not
    /// shared.
    fn text(&self, text: &str) -> String {
        plain_text(text)
            .split_whitespace()
            .filter(|word| {
                let tag = word
                    .trim_end_matches(['.', ',', ';', ':', '!', '?', ')'])
                    .strip_prefix('#')
                    .map(str::to_lowercase);
                !tag.is_some_and(|tag| self.private_ids.contains(tag.as_str()))
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn goal(&self, goal: &GoalReport) -> GoalReport {
        let GoalReport {
            id,
            title,
            status,
            progress,
            done,
            total,
            progress_own,
            stalled,
            last_activity,
            due,
            area,
            parent,
            file: _,
            milestones,
            line: _,
            column: _,
            start,
            why,
            horizon,
            declared_status,
            tags,
            expected_progress,
            days_left,
            metric,
            children,
            entries,
            forecast,
            pace_per_week,
            forecast_note,
            stalled_note,
            completed_on,
            unknown_done,
            burn_up,
            fields: _,
            cadence,
            checkins,
            // A shared page is made of a whole analysis, never one for the editor.
            for_editor: _,
        } = goal.clone();
        let is_private = |id: &String| self.private_ids.contains(id.as_str());
        GoalReport {
            id,
            title,
            status,
            progress,
            done,
            total,
            progress_own,
            stalled,
            last_activity,
            due,
            area,
            parent: parent.filter(|id| !is_private(id)),
            file: String::new(),
            milestones: milestones.into_iter().map(|m| self.milestone(m)).collect(),
            line: 0,
            column: 0,
            start,
            why,
            horizon,
            declared_status,
            tags,
            expected_progress,
            days_left,
            metric: metric.map(|m| self.metric(m)),
            children: children.into_iter().filter(|id| !is_private(id)).collect(),
            entries: entries.iter().filter_map(|e| self.entry(e)).collect(),
            forecast,
            pace_per_week,
            forecast_note,
            stalled_note,
            completed_on,
            unknown_done,
            burn_up,
            // The Dataview fields of the goal's note are notes about it, not its facts.
            fields: Default::default(),
            cadence,
            checkins: checkins.into_iter().map(|c| self.checkin(c)).collect(),
            for_editor: None,
        }
    }

    fn milestone(&self, milestone: MilestoneReport) -> MilestoneReport {
        let MilestoneReport {
            text,
            rare,
            state,
            depth,
            due,
            done_on,
            done_on_source,
            file: _,
            line: _,
            effective_state,
            leaf,
        } = milestone;
        MilestoneReport {
            text: self.text(&text).into(),
            // Links, to notes that are not shared, become their plain text.
            rare: rare.and_then(|rare| (*rare).without_markdown()),
            state,
            depth,
            due,
            done_on,
            done_on_source,
            file: "".into(),
            line: 0,
            effective_state,
            leaf,
        }
    }

    fn metric(&self, metric: MetricReport) -> MetricReport {
        let MetricReport {
            unit,
            target,
            baseline,
            latest,
            latest_on,
            values,
        } = metric;
        MetricReport {
            unit,
            target,
            baseline,
            latest,
            latest_on,
            values: values
                .into_iter()
                .map(
                    |MetricValue {
                         date,
                         value,
                         file: _,
                         document,
                     }| MetricValue {
                        date,
                        value,
                        file: String::new(),
                        document,
                    },
                )
                .collect(),
        }
    }

    fn checkin(&self, checkin: Checkin) -> Checkin {
        let Checkin {
            date,
            confidence,
            note,
            file: _,
            document,
        } = checkin;
        Checkin {
            date,
            confidence,
            note: note.map(|note| self.text(&note)),
            file: String::new(),
            document,
        }
    }

    /// The entry's shared lines, by its date; `None` when no line is shared.
    fn entry(&self, entry: &EntryReport) -> Option<EntryReport> {
        let EntryReport {
            file,
            title: _,
            date,
            lines,
            fields,
        } = entry;
        let document = self.document(file)?;
        let lines: SmallList<EntryLine> = lines
            .iter()
            .filter(|line| self.line_shared(document, line.line))
            .map(|line| EntryLine {
                line: 0,
                text: self.text(&line.text).into(),
            })
            .collect();
        if lines.is_empty() {
            return None;
        }
        Some(EntryReport {
            file: "".into(),
            title: date.map(|d| d.to_string()).unwrap_or_default().into(),
            date: *date,
            lines,
            fields: if self.whole_file_shared(document) {
                fields.clone()
            } else {
                None
            },
        })
    }

    /// Every shared win, feedback and lesson of a dated entry, newest first.
    fn notes(&self) -> Vec<SharedNote> {
        let mut notes: Vec<SharedNote> = self
            .journal
            .documents
            .iter()
            .filter_map(|document| Some((document, document.date?)))
            .flat_map(|(document, date)| {
                document
                    .notes
                    .iter()
                    .filter(move |note| self.line_shared(document, note.position.line))
                    .map(move |note| SharedNote {
                        date,
                        kind: note.kind,
                        text: self.text(&note.text),
                    })
            })
            .collect();
        notes.sort_by_key(|note| std::cmp::Reverse(note.date));
        notes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{journal, report};

    /// The files of the fixture journal `tests/fixtures/share`, which plants `qqpriv` in
    /// every private field.
    fn fixture() -> Vec<(String, String)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/share");
        let mut files = Vec::new();
        let mut folders = vec![root.clone()];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                } else {
                    let relative = path.strip_prefix(&root).unwrap();
                    let text = std::fs::read_to_string(&path).unwrap();
                    files.push((relative.to_string_lossy().replace('\\', "/"), text));
                }
            }
        }
        files
    }

    fn shared_with(files: &[(&str, &str)], audience: &str) -> Shared {
        for_audience(&journal(files), &report(files, "2026-03-12"), audience)
    }

    /// Stronger than the pages' test: no private value is in the data any template of
    /// the shared output sees, whatever the template shows.
    #[test]
    fn no_private_value_reaches_the_shared_data() {
        let files = fixture();
        let files: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        let shared = shared_with(&files, "mentor");
        let data = serde_json::to_string(&shared).unwrap().to_lowercase();
        if let Some(at) = data.find("qqpriv") {
            panic!(
                "{}",
                &data[at.saturating_sub(80)..(at + 40).min(data.len())]
            );
        }
        let titles: Vec<&str> = shared.goals.iter().map(|g| g.goal.title.as_str()).collect();
        assert_eq!(titles, ["Shared Goal Alpha", "Alpha Child Beta"]);
    }

    #[test]
    fn a_sub_goal_follows_its_nearest_ancestor_that_says() {
        let files = [
            ("top.md", "---\ngoal: Top\nshare: [mentor]\n---\n"),
            (
                "kids.md",
                "---\ngoals:\n  - {title: Kid, parent: top}\n  - {title: Grandkid, parent: kid}\n  \
                 - {title: Hidden, parent: top, share: false}\n  - {title: Under hidden, parent: hidden}\n  \
                 - {title: Own, parent: hidden, share: true}\n---\n",
            ),
        ];
        let shared = shared_with(&files, "Mentor");
        let rows: Vec<(&str, usize)> = shared
            .goals
            .iter()
            .map(|g| (g.goal.title.as_str(), g.depth))
            .collect();
        // `Own` is shared under a private parent: a root of the shared tree.
        assert_eq!(rows, [("Own", 0), ("Top", 0), ("Kid", 1), ("Grandkid", 2)]);
        let top = &shared.goals[1].goal;
        assert_eq!(top.children, ["kid"], "private children are not named");
        assert_eq!(shared.goals[0].goal.parent, None, "nor private parents");
        assert!(
            shared_with(&files, "manager")
                .goals
                .iter()
                .all(|g| g.goal.title == "Own")
        );
    }

    #[test]
    fn the_innermost_marked_heading_decides_a_line() {
        let entry = "---\nshare: mentor\n---\nOpen line #g\n\n## Private {share: manager}\n\n\
                     Hidden line #g\n\n### Again {share}\n\nShown line #g\n\n## Plain\n\nPlain line #g\n";
        let files = [
            ("g.md", "---\ngoal: G\nshare: true\n---\n"),
            ("2026-03-02.md", entry),
        ];
        let shared = shared_with(&files, "mentor");
        let lines: Vec<&str> = shared.goals[0].goal.entries[0]
            .lines
            .iter()
            .map(|line| line.text.as_str())
            .collect();
        assert_eq!(lines, ["Open line", "Shown line", "Plain line"]);
    }
}
