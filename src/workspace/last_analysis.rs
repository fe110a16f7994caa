//! The analysis a workspace that analyses again after each change keeps (`watch`,
//! `trailmark lsp`), and what changed in the journal since: what lets the next analysis
//! make again only the goals a change touched (see `analyse::again`).
//!
//! A change is taken goal by goal only while every file's outline stays the same (its
//! path, goals and the fields that name it: [`model::outline_hash`]): then
//! linking gives every other file's milestones and mentions the goals it gave them, and
//! each goal keeps its index. A file added, removed or renamed, a goal declared
//! otherwise, other settings or another day analyse everything again.

use rayon::prelude::*;

use crate::analyse::review::{self, GoalHashes, GoalIndex, HashedGoals};
use crate::analyse::{Changed, Report, Rules};
use crate::dates::Date;
use crate::document::{Document, position};
use crate::git::Dating;
use crate::model::{self, Journal, LinkIndexes, Warnings};

/// More files read again than this at once are analysed whole: finding the goals of
/// each file looks through every goal, and a walk that finds many changed is a new
/// journal more than an edit.
const FEW_FILES: usize = 64;

/// The last analysis and what has changed since.
#[derive(Default)]
pub(super) struct LastAnalysis {
    /// The report, its goals shared with the one handed out, with what it was made as of.
    made: Option<Made>,
    /// What changed since; `None` when anything may have.
    since: Option<Changed>,
    /// Each document's [`model::outline_hash`], in the journal's order, while `since` holds;
    /// empty once it does not. Only the files read again are hashed after an edit:
    /// hashing every outline took as long as the analysis it spares.
    outlines: Vec<u64>,
    /// Each document's part of the reviews' keys (`Reviewer::input_keys`), in the
    /// journal's order, while `since` holds: `None` for the files read again since the
    /// last build made it, and empty once `since` does not hold. A rebuild then hashes
    /// only the entries read again, not every entry's title and notes. Made by the first
    /// build that asks for it: `trailmark lsp` analyses and never builds (16 bytes a
    /// file, 1.6 MB at 100,000 files, it held for nothing).
    entry_keys: Vec<Option<u64>>,
    /// The goals of the last build's report with their hashes.
    hashed: Option<HashedGoals>,
    /// What the last build's reviewer indexed of its report's goals, for the next
    /// build's to make again only for the goals that changed.
    goal_index: Option<GoalIndex>,
    /// What the journal was last linked by, while `since` holds: the next edit is linked
    /// file by file with them (`model::relink_files`).
    indexes: Option<LinkIndexes>,
}

struct Made {
    report: Report,
    today: Date,
    rules: Rules,
    /// `None` when the journal needed no history.
    dating: Option<Dating>,
}

impl LastAnalysis {
    /// Notes the goals the files `touched` gave anything to in `journal` (the model before
    /// or after they were read again; `documents` are the journal's files after).
    fn note_files(&mut self, journal: &Journal, documents: &[Document], touched: &[&str]) {
        let Some(changed) = &mut self.since else {
            return;
        };
        if touched.len() > FEW_FILES {
            self.since = None;
            self.entry_keys.clear();
            return;
        }
        for &path in touched {
            let Ok(index) = position(documents, path) else {
                // Gone: the outlines differ too.
                self.since = None;
                self.entry_keys.clear();
                return;
            };
            changed.goals.extend(journal.goals_of_file(path, index));
            changed.files.insert(path.to_owned());
            if let Some(key) = self.entry_keys.get_mut(index) {
                *key = None;
            }
        }
    }

    /// Links `journal` again from `documents`, the files `touched` read again: only
    /// those files when the indexes it was last linked by still hold
    /// ([`LastAnalysis::indexes_to_relink`]), else the whole journal. Notes the goals the
    /// files gave anything to, before and after.
    pub(super) fn link(
        &mut self,
        journal: &mut Journal,
        documents: Vec<Document>,
        touched: &[&str],
        warnings: Warnings,
    ) {
        // What the files gave to goals before, while the last model is here to say.
        self.note_files(journal, &documents, touched);
        let indexes = match self.indexes_to_relink(&documents, touched, warnings) {
            Some(indexes) => {
                journal.documents = documents;
                let mut changed: Vec<usize> = (touched.iter())
                    .filter_map(|path| position(&journal.documents, path).ok())
                    .collect();
                changed.sort_unstable();
                changed.dedup();
                model::relink_files(journal, indexes, &changed)
            }
            None => {
                // The last model goes before the next is linked, not to hold both.
                *journal = Journal::default();
                let (linked, indexes) = model::build_with_indexes(documents, warnings);
                *journal = linked;
                indexes
            }
        };
        self.indexes = Some(indexes);
        self.note_files(journal, &journal.documents, touched);
    }

    /// Before the journal is linked again from `documents`, the files `touched` read
    /// again: the indexes it was last linked by, to link again only those files, when
    /// every file's outline is the one the last report was made from and linking warns
    /// as it did (`warnings`). Otherwise anything may have changed.
    fn indexes_to_relink(
        &mut self,
        documents: &[Document],
        touched: &[&str],
        warnings: Warnings,
    ) -> Option<LinkIndexes> {
        let same = self.since.is_some()
            && self.outlines.len() == documents.len()
            && touched.iter().all(|path| {
                position(documents, path).is_ok_and(|index| {
                    model::outline_hash(&documents[index]) == self.outlines[index]
                })
            });
        if !same {
            self.forget();
            return None;
        }
        self.indexes
            .take()
            .filter(|indexes| indexes.link_with(warnings))
    }

    /// What changed since the last report, when it can be made again goal by goal as of
    /// `today`, with `rules` and a history of `dating`; the files the history now dates
    /// otherwise are noted first (from `journal`, whose documents they are).
    pub(super) fn changed(
        &mut self,
        journal: &Journal,
        today: Date,
        rules: &Rules,
        dating: Option<&Dating>,
    ) -> Option<(&Report, &Changed)> {
        let made = self.made.as_ref()?;
        if made.today != today || made.rules != *rules {
            return None;
        }
        let dated_otherwise = match (dating, &made.dating) {
            (None, None) => Vec::new(),
            (Some(now), Some(before)) => now.files_dated_otherwise(before)?,
            _ => return None,
        };
        // The history dates every file of the repository; only the journal's matter.
        let known: Vec<&str> = (dated_otherwise.iter().map(String::as_str))
            .filter(|path| position(&journal.documents, path).is_ok())
            .collect();
        self.note_files(journal, &journal.documents, &known);
        let made = self.made.as_ref()?;
        Some((&made.report, self.since.as_ref()?))
    }

    /// Keeps `report` (sharing its goals) as the last one, made as of `today`, with
    /// `rules` and a history of `dating`, from `documents`: nothing has changed since.
    pub(super) fn keep(
        &mut self,
        report: Report,
        today: Date,
        rules: Rules,
        dating: Option<Dating>,
        documents: &[Document],
    ) {
        if self.outlines.len() != documents.len() {
            self.outlines = documents.par_iter().map(model::outline_hash).collect();
        }
        self.made = Some(Made {
            report,
            today,
            rules,
            dating,
        });
        self.since = Some(Changed::default());
    }

    /// The hashes of `report`'s goals, those it shares with the last build's taken from
    /// there, and those `known` (see `review::goal_hashes_after`).
    pub(super) fn goal_hashes(
        &mut self,
        report: &Report,
        known: &[Option<(u64, u64)>],
    ) -> GoalHashes {
        let hashes = review::goal_hashes_after(report, self.hashed.as_ref(), known);
        self.hashed = Some(HashedGoals::of(report, hashes.clone()));
        hashes
    }

    /// What the last build's reviewer indexed of its goals, taken for the next build.
    pub(super) fn take_goal_index(&mut self) -> Option<GoalIndex> {
        self.goal_index.take()
    }

    /// Keeps what a build's reviewer indexed of its goals, for the next build.
    pub(super) fn keep_goal_index(&mut self, index: GoalIndex) {
        self.goal_index = Some(index);
    }

    /// Each document's part of the reviews' keys, where known, for the build of the
    /// report last kept, of `documents` documents, to take from and fill in (see
    /// `Reviewer::input_keys`): none known when the list was not kept for as many.
    pub(super) fn entry_keys(&mut self, documents: usize) -> &mut [Option<u64>] {
        if self.entry_keys.len() != documents {
            self.entry_keys = vec![None; documents];
        }
        &mut self.entry_keys
    }

    /// Each document's [`model::outline_hash`] in the journal's order, while they are
    /// kept and as many as `documents`.
    pub(super) fn outlines(&self, documents: usize) -> Option<&[u64]> {
        (self.since.is_some() && self.outlines.len() == documents).then_some(&self.outlines[..])
    }

    /// Anything may have changed (other settings, files added or gone, a goal declared
    /// otherwise).
    pub(super) fn forget(&mut self) {
        self.since = None;
        self.outlines.clear();
        self.entry_keys.clear();
        self.indexes = None;
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use crate::dates::Date;
    use crate::workspace::Workspace;

    /// How many entries' review keys the workspace's kept analysis holds.
    fn entry_keys(workspace: &Workspace) -> usize {
        let last = workspace.last_analysis.as_ref().expect("kept");
        last.entry_keys.len()
    }

    /// `trailmark lsp` keeps its analyses and never builds: the review keys are a build's
    /// to make, one for each document, and to keep for the next build.
    #[test]
    fn the_entries_review_keys_are_made_by_the_first_build_not_by_analyses() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("ship.md"), "---\ngoal: Ship\n---\n- [ ] draft\n").unwrap();
        fs::write(root.join("2026-03-02.md"), "# Start\n- [x] plan #ship\n").unwrap();
        let today = Date::parse("2026-03-20").unwrap();
        let mut workspace = Workspace::open(root, None).unwrap();
        workspace.keep_analysis();
        for _ in 0..2 {
            workspace.refresh();
            workspace.analyse(today);
            assert_eq!(entry_keys(&workspace), 0);
        }
        workspace.build(today, &mut |_| {}).unwrap();
        assert_eq!(entry_keys(&workspace), 2);
        fs::write(root.join("2026-03-02.md"), "# Start\n- [x] plans #ship\n").unwrap();
        workspace.refresh();
        workspace.analyse(today);
        assert_eq!(entry_keys(&workspace), 2, "kept from build to build");
    }

    /// `trailmark lsp` sends a report's diagnostics before the workspace keeps it: the
    /// report handed out is not kept until it is given back, and then kept as it is, its
    /// goals not copied.
    #[test]
    fn a_report_is_kept_when_given_back_as_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("ship.md"), "---\ngoal: Ship\n---\n- [ ] draft\n").unwrap();
        let today = Date::parse("2026-03-20").unwrap();
        let mut workspace = Workspace::open(root, None).unwrap();
        workspace.keep_analysis();
        workspace.refresh();
        let kept = |workspace: &Workspace| {
            let last = workspace.last_analysis.as_ref().expect("kept");
            last.made.as_ref().map(|made| made.report.goals.clone())
        };
        let analysed = workspace.analyse_unkept(today, crate::analyse::Detail::Whole);
        assert!(
            kept(&workspace).is_none(),
            "not kept before it is given back"
        );
        let goals = analysed.report.goals.clone();
        workspace.keep_analysed(analysed);
        let kept = kept(&workspace).expect("kept once given back");
        assert!(std::sync::Arc::ptr_eq(&kept[0], &goals[0]));
        assert!(workspace.last_analysis.as_ref().unwrap().since.is_some());
    }
}
