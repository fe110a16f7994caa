//! The analysis of a journal after a change, from the analysis before it: only the goals
//! the change touched, and the goals above them, are made again; every other goal's
//! report and timeline is the last one's, shared. What `watch` and `trailmark lsp` do
//! after an edit, where analysing every goal again was a tenth of the work.
//!
//! It holds only when linking the journal again left every other file's milestones,
//! mentions, values and check-ins with the goals they had: the caller knows that (see
//! `workspace::last_analysis`) and names what changed. The result is the whole analysis's,
//! byte for byte (`workspace` tests it after every edit of a property test).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rayon::prelude::*;

use super::{
    Detail, GoalReport, GoalTimeline, MilestoneReport, Report, Rules, analyse_for, assemble,
    count_milestone, entry_reports, finish_goal, goal_shell, milestone_reports, roll_up,
};
use crate::dates::Date;
use crate::document;
use crate::git::History;
use crate::model::Journal;

/// What changed since the last analysis.
#[derive(Debug, Default)]
pub(crate) struct Changed {
    /// The goals (by index, the same in the journal before and after) whose milestones,
    /// mentions, values, check-ins or declaring file changed; the goals above them are
    /// made again too.
    pub(crate) goals: BTreeSet<usize>,
    /// The files (relative to the journal) read again: their milestones that belong to
    /// no goal are reported again.
    pub(crate) files: BTreeSet<String>,
}

/// The analysis of `journal` as [`analyse_for`] makes it, taking from `last` (the analysis
/// before `changed`, as of the same `today`, `history` and `rules`) every goal the
/// change did not touch; each goal kept in `last`'s [`Detail`].
pub(crate) fn again(
    journal: &Journal,
    history: &History,
    today: Date,
    rules: &Rules,
    last: &Report,
    changed: &Changed,
) -> Report {
    let same_goals = last.goals.len() == journal.goals.len()
        && last
            .goals
            .iter()
            .zip(&journal.goals)
            .all(|(report, goal)| report.id == goal.id);
    let detail = last.detail;
    if !same_goals {
        return analyse_for(journal, history, today, rules, detail);
    }
    let affected = with_ancestors(journal, &changed.goals);
    // Found by path in the documents (sorted by it), not each document's path looked
    // for among the files: that read every document's path (1.4% of a watch rebuild at
    // 10,000 files).
    let mut read_again = vec![false; journal.documents.len()];
    for path in &changed.files {
        if let Ok(d) = document::position(&journal.documents, path) {
            read_again[d] = true;
        }
    }
    // Only the files with a milestone of a goal made again, or read again, are reported.
    let wanted = |d: usize| {
        journal
            .assignments
            .of(d)
            .iter()
            .any(|assigned| assigned.map_or(read_again[d], |goal| affected[goal]))
    };
    let documents: Vec<usize> = (0..journal.documents.len())
        .filter(|&d| wanted(d))
        .collect();
    // A slot only for each goal made again: one of a whole report for each goal of the
    // journal was the largest part of the language server's peak.
    let mut made: BTreeMap<usize, GoalReport> = (0..journal.goals.len())
        .filter(|&g| affected[g])
        .collect::<Vec<usize>>()
        .into_par_iter()
        .map(|g| {
            let goal = &journal.goals[g];
            let mut report = goal_shell(journal, goal, today, detail);
            if detail == Detail::Whole {
                report.entries = entry_reports(journal, goal);
            }
            (g, report)
        })
        .collect();
    let reported: Vec<Vec<MilestoneReport>> = documents
        .par_iter()
        .map(|&d| {
            let assigned = journal.assignments.of(d);
            let goal_id = |m: usize| assigned.get(m).map(|goal| journal.goals[goal].id.as_str());
            milestone_reports(&journal.documents[d], goal_id, history, today)
        })
        .collect();
    let mut loose_again: Vec<(&str, Vec<MilestoneReport>)> = Vec::new();
    for (&d, reports) in documents.iter().zip(reported) {
        let mut loose = Vec::new();
        for (report, assigned) in reports.into_iter().zip(journal.assignments.of(d).iter()) {
            match assigned {
                Some(goal) => {
                    if let Some(goal) = made.get_mut(&goal) {
                        count_milestone(goal, report, d, today);
                    }
                }
                None if read_again[d] => loose.push(report),
                None => {}
            }
        }
        if !loose.is_empty() {
            loose_again.push((&*journal.documents[d].path, loose));
        }
    }
    let loose_tasks = loose_tasks(&last.loose_tasks, &changed.files, loose_again);
    let mut timelines: Vec<Arc<GoalTimeline>> = (last.timelines.iter().enumerate())
        .map(|(g, last)| match made.get(&g) {
            Some(goal) => Arc::new(GoalTimeline::of(goal)),
            None => Arc::clone(last),
        })
        .collect();
    roll_up(journal, &mut timelines, |g| affected[g]);
    let goals = (0..journal.goals.len())
        .map(|g| match made.remove(&g) {
            Some(mut report) => {
                finish_goal(&mut report, &timelines[g], &journal.goals[g], today, rules);
                Arc::new(report)
            }
            None => Arc::clone(&last.goals[g]),
        })
        .collect();
    assemble(
        journal,
        history,
        (today, rules, detail),
        goals,
        timelines,
        loose_tasks,
    )
}

/// Which goals are made again: those `changed`, and every goal above one of them, whose
/// progress rolls theirs up.
pub(crate) fn with_ancestors(journal: &Journal, changed: &BTreeSet<usize>) -> Vec<bool> {
    let mut affected = vec![false; journal.goals.len()];
    for &goal in changed {
        let mut next = Some(goal);
        while let Some(goal) = next.filter(|&g| g < affected.len() && !affected[g]) {
            affected[goal] = true;
            next = journal.goals[goal].parent;
        }
    }
    affected
}

/// The loose tasks of `last` but those of the files read again, with theirs now
/// (`again`, by file in the journal's order) in their place: the journal's order is
/// the files' by path.
fn loose_tasks(
    last: &Arc<Vec<MilestoneReport>>,
    read_again: &BTreeSet<String>,
    again: Vec<(&str, Vec<MilestoneReport>)>,
) -> Arc<Vec<MilestoneReport>> {
    let had_some = last.iter().any(|task| read_again.contains(&*task.file));
    if again.is_empty() && !had_some {
        return Arc::clone(last);
    }
    let kept = last.iter().filter(|task| !read_again.contains(&*task.file));
    let mut tasks = Vec::with_capacity(last.len());
    let mut again = again.into_iter().peekable();
    for task in kept {
        while let Some((_, reports)) = again.next_if(|(file, _)| *file < &*task.file) {
            tasks.extend(reports);
        }
        tasks.push(task.clone());
    }
    tasks.extend(again.flat_map(|(_, reports)| reports));
    Arc::new(tasks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(file: &str, text: &str) -> MilestoneReport {
        let mut task = crate::testing::report(&[(file, &format!("- [ ] {text}\n"))], "2026-01-01")
            .loose_tasks[0]
            .clone();
        task.text = text.into();
        task
    }

    #[test]
    fn loose_tasks_of_files_read_again_take_their_place_in_the_journals_order() {
        let last = Arc::new(vec![
            task("a.md", "a1"),
            task("c.md", "c1"),
            task("c.md", "c2"),
            task("e.md", "e1"),
        ]);
        let read_again: BTreeSet<String> = ["c.md", "b.md", "f.md"].map(String::from).into();
        let again = vec![
            ("b.md", vec![task("b.md", "b1")]),
            ("c.md", vec![task("c.md", "c3")]),
            ("f.md", vec![task("f.md", "f1")]),
        ];
        let tasks = loose_tasks(&last, &read_again, again);
        let texts: Vec<&str> = tasks.iter().map(|task| task.text.as_str()).collect();
        assert_eq!(texts, ["a1", "b1", "c3", "e1", "f1"]);
    }

    #[test]
    fn loose_tasks_untouched_are_the_last_ones_shared() {
        let last = Arc::new(vec![task("a.md", "a1")]);
        let read_again: BTreeSet<String> = ["b.md".to_string()].into();
        let tasks = loose_tasks(&last, &read_again, Vec::new());
        assert!(Arc::ptr_eq(&tasks, &last));
    }
}
