//! An analysis for an editor (`trailmark lsp`): each goal as an editor's requests read it,
//! without the lists only reports show.
//!
//! The server keeps its last analysis between requests, for hovers and completions and
//! for the next analysis to take the goals an edit did not touch (`analyse::again`). A
//! goal's milestone reports, the reports of the entries that mention it and its burn-up
//! were the largest part of that analysis (27 of 43 MB at 100,000 files), and no request
//! reads them: hover shows the goal's next step, references the places of milestones
//! and mentions. So an analysis for the editor keeps those two and lets the lists go as
//! each goal is finished, never makes the entries' reports at all, and leaves out what is
//! drawn from every goal's milestones for the reports' pages (activity, what needs the
//! person now).

use crate::analyse::GoalReport;
use crate::analyse::needs::next_open_milestone_of;
use crate::model::Goal;
use crate::shared_text::SharedText;

/// How much of each goal an analysis keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Detail {
    /// Everything the reports, the JSON and the reviews show.
    Whole,
    /// What an editor asks of a goal: a goal's `milestones`, `entries` and `burn_up` are
    /// left empty, its [`ForEditor`] holding what requests read of them instead, and the
    /// report's `activity` and `needs_now` are not made.
    Editor,
}

/// What an analysis for the editor keeps of a goal's milestones and of the entries that
/// mention it (see [`GoalReport::places`] and [`GoalReport::next_step`]).
#[derive(Debug, Clone)]
pub(crate) struct ForEditor {
    /// Its milestones and the lines of entries that mention it, as (document, line): the
    /// document by its index in the journal analysed, which is the same in every journal
    /// whose analysis takes the goal as it is (`analyse::again`: no file added, removed or
    /// renamed). In order and each once, once the goal is finished.
    places: Vec<(u32, u32)>,
    /// The text of its next step ([`GoalReport::next_step`]).
    next_open: Option<SharedText>,
}

impl ForEditor {
    /// What the editor keeps of `goal` before its milestones are counted: the lines of
    /// the entries that mention it.
    pub(super) fn of_mentions(goal: &Goal) -> ForEditor {
        let places = (goal.entries.iter())
            .flat_map(|entry| {
                let document = index(entry.document());
                entry
                    .lines()
                    .map(move |line| (document, line.position.line))
            })
            .collect();
        ForEditor {
            places,
            next_open: None,
        }
    }

    /// Notes the place of a milestone of the goal, in the document of index `document`.
    pub(super) fn add_milestone(&mut self, document: usize, line: u32) {
        self.places.push((index(document), line));
    }
}

fn index(document: usize) -> u32 {
    u32::try_from(document).expect("a journal has fewer than 4 billion files")
}

/// Lets go of what a goal for the editor does not keep, once it is finished (its
/// timeline, forecast and cadence read its milestones): its milestone reports, past its
/// next step's text.
pub(super) fn keep_for_editor(report: &mut GoalReport) {
    let Some(kept) = report.for_editor.as_deref_mut() else {
        return;
    };
    kept.next_open = next_open_milestone_of(&report.milestones).map(|m| m.text.clone());
    report.milestones = Vec::new();
    kept.places.sort_unstable();
    kept.places.dedup();
    kept.places.shrink_to_fit();
}

impl GoalReport {
    /// The text of its next step, as the index's "next up" names it
    /// ([`next_open_milestone_of`]).
    pub(crate) fn next_step(&self) -> Option<&str> {
        match &self.for_editor {
            Some(kept) => kept.next_open.as_deref(),
            None => next_open_milestone_of(&self.milestones).map(|m| &*m.text),
        }
    }

    /// Its milestones and the lines of entries that mention it, as (file, line), in
    /// order and each once. `path` gives the path of a document of the journal analysed
    /// by its index (a goal for the editor keeps its places so).
    pub(crate) fn places<'a>(&'a self, path: impl Fn(usize) -> &'a str) -> Vec<(&'a str, u32)> {
        if let Some(kept) = &self.for_editor {
            return (kept.places.iter())
                .map(|&(document, line)| (path(document as usize), line))
                .collect();
        }
        let milestones = self.milestones.iter().map(|m| (&*m.file, m.line));
        let entries = self
            .entries
            .iter()
            .flat_map(|entry| (entry.lines.iter()).map(move |line| (&*entry.file, line.line)));
        let mut places: Vec<(&str, u32)> = milestones.chain(entries).collect();
        places.sort();
        places.dedup();
        places
    }
}

/// What an editor's requests read of `goal`, to compare a goal for the editor with the
/// whole one: every field but the lists the editor's goals leave empty, its places and
/// its next step.
#[cfg(test)]
pub(crate) fn as_the_editor_reads<'a>(
    goal: &'a GoalReport,
    path: impl Fn(usize) -> &'a str,
) -> String {
    let mut rest = goal.clone();
    rest.milestones.clear();
    rest.entries.clear();
    rest.burn_up.clear();
    rest.for_editor = None;
    let (places, next) = (goal.places(path), goal.next_step());
    format!("{rest:?}\nplaces: {places:?}\nnext: {next:?}")
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::analyse::{Changed, Rules, again, analyse_for};
    use crate::git::History;
    use crate::model::Journal;
    use crate::testing::{day, journal};

    const FILES: [(&str, &str); 5] = [
        (
            "goals/launch.md",
            "---\ngoal: Launch\nid: launch\ndue: 2026-06-30\n---\n\
             - [x] plan ✅ 2026-03-02\n- [ ] write\n- [ ] ship\n  - [ ] tag ⏫\n",
        ),
        (
            "goals/talk.md",
            "---\ngoal: Talk\nparent: launch\ncadence: 1 per week\n---\n- [ ] rehearse\n",
        ),
        (
            "journal/2026-03-02.md",
            "# Monday\n- [x] draft #launch\nA word on #launch.\n\nAnd #talk, with #launch.\n",
        ),
        (
            "journal/2026-03-09.md",
            "- [x] gave it #talk\n- [ ] slides #talk\n",
        ),
        ("notes/loose.md", "- [ ] nothing's\n"),
    ];

    fn analysed(journal: &Journal, detail: Detail) -> crate::analyse::Report {
        let today = day("2026-03-20");
        analyse_for(
            journal,
            &History::default(),
            today,
            &Rules::default(),
            detail,
        )
    }

    fn read(journal: &Journal, report: &crate::analyse::Report) -> Vec<String> {
        let path = |d: usize| &*journal.documents[d].path;
        (report.goals.iter())
            .map(|goal| as_the_editor_reads(goal, path))
            .collect()
    }

    #[test]
    fn a_goal_for_the_editor_reads_as_the_whole_one_without_its_lists() {
        let journal = journal(&FILES);
        let whole = analysed(&journal, Detail::Whole);
        let editor = analysed(&journal, Detail::Editor);
        assert_eq!(read(&journal, &editor), read(&journal, &whole));
        assert_eq!(
            format!("{:?}", editor.diagnostics),
            format!("{:?}", whole.diagnostics)
        );
        let launch = &editor.goals[0];
        // Its next step is the index's: the high-priority leaf, not the first open one.
        assert_eq!(launch.next_step(), Some("tag"));
        let path = |d: usize| &*journal.documents[d].path;
        assert_eq!(
            launch.places(path),
            [
                ("goals/launch.md", 6),
                ("goals/launch.md", 7),
                ("goals/launch.md", 8),
                ("goals/launch.md", 9),
                ("journal/2026-03-02.md", 2),
                ("journal/2026-03-02.md", 3),
                ("journal/2026-03-02.md", 5),
            ]
        );
        // What it leaves out is what the server would have kept for nothing.
        for goal in &editor.goals {
            assert!(goal.milestones.is_empty() && goal.entries.is_empty());
            assert!(goal.burn_up.is_empty());
        }
        assert!(editor.activity.is_empty());
        assert!(!whole.goals[0].burn_up.is_empty() && !whole.goals[0].entries.is_empty());
    }

    #[test]
    fn an_edit_analysed_again_for_the_editor_gives_what_analysing_it_all_gives() {
        let before = journal(&FILES);
        let last = analysed(&before, Detail::Editor);
        let mut files = FILES;
        files[3].1 = "- [x] gave it #talk\n- [x] slides #talk\n\nMore #launch.\n";
        let after = journal(&files);
        let changed = Changed {
            goals: BTreeSet::from([0, 1]),
            files: BTreeSet::from(["journal/2026-03-09.md".to_string()]),
        };
        let (today, rules) = (day("2026-03-20"), Rules::default());
        let again = again(&after, &History::default(), today, &rules, &last, &changed);
        assert_eq!(again.detail, Detail::Editor);
        assert_eq!(
            read(&after, &again),
            read(&after, &analysed(&after, Detail::Editor))
        );
        assert_eq!(
            read(&after, &again),
            read(&after, &analysed(&after, Detail::Whole))
        );
    }
}
