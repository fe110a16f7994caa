//! What each goal's report was made from, kept between builds with the report's hashes,
//! so that a build in a new process hashes again only the goals whose inputs changed.
//! Every page's fingerprint and every review's key starts from the goals' hashes
//! (`analyse::review::goal_hashes`), and hashing every goal's report was a sixth of the
//! instructions of a `build` after one edit at 10,000 files; `watch` keeps the hashes in
//! memory, a new process had only the reports to hash.
//!
//! A goal's inputs are a hash of the content of each file that gives it anything (the
//! file that declares it, and those of its milestones, mentions, metric values and
//! check-ins, in the order linking gives them), and the journal's inputs a hash of what
//! every goal's report may read beyond those: the text of `trailmark.toml`, the day, the
//! state of git's history, and each file's outline (`model::outline_hash`: its path, the
//! goals it declares and the names it is linked by). While the journal's inputs are the
//! same, a goal whose inputs and whose sub-goals' inputs are the same has the report it
//! had: the rule `analyse::again` makes reports by after an edit, in `watch` and the
//! language server, and which tests hold against whole analyses. Its hashes are then the
//! last build's.
//!
//! The file, [`INPUTS_FILE`], is one of trailmark's own, like the documents cache: a
//! header names the program that wrote it, it is written atomically by the write stage,
//! ignored when old, damaged or foreign, and not read with `--no-cache`.

use std::collections::BTreeSet;
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::cache::{read_sealed_json, sealed_json_file};
use crate::analyse::review::GoalHashes;
use crate::analyse::with_ancestors;
use crate::dates::Date;
use crate::hash::data_hash;
use crate::model::{self, Journal};
use crate::write;

/// The name of the file, in the output folder.
pub(crate) const INPUTS_FILE: &str = ".trailmark-goal-inputs.json";

/// Bumped whenever what the file means changes. It stands where the documents cache has
/// its parse options, so that no other of trailmark's files is ever taken for it.
const FORMAT: u64 = 0x676f_616c_696e_0001;

/// The last build's goals: what each was made from, and its hashes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct KeptHashes {
    /// [`GoalInputs::journal`] of that build.
    journal: u64,
    /// For each goal, in the report's order: its inputs, its whole hash and its hash for
    /// reviews ([`GoalHashes`]).
    goals: Vec<[u64; 3]>,
}

/// What a journal's goals are made from (see the module's documentation).
#[derive(Debug, PartialEq)]
pub(super) struct GoalInputs {
    journal: u64,
    /// In the journal's order of goals.
    goals: Vec<u64>,
}

/// What a goal's report may read beyond the files that give the goal anything.
pub(super) struct Settings<'a> {
    pub(super) config_text: Option<&'a str>,
    pub(super) today: Date,
    /// [`crate::git::History::state_hash`], when the journal's history was read.
    pub(super) history: Option<u64>,
}

impl GoalInputs {
    /// The inputs of `journal`'s goals, whose documents have the contents hashed as
    /// `contents` (in the journal's order) and the outlines `outlines`, read with
    /// `settings`.
    pub(super) fn of(
        journal: &Journal,
        contents: &[u64],
        outlines: &[u64],
        settings: &Settings,
    ) -> GoalInputs {
        let whole = data_hash(&(
            settings.config_text,
            settings.today,
            settings.history,
            outlines,
        ));
        let mut milestone_files: Vec<Vec<usize>> = vec![Vec::new(); journal.goals.len()];
        for document in 0..journal.documents.len() {
            for goal in journal.assignments.of(document).iter().flatten() {
                let files = &mut milestone_files[goal];
                if files.last() != Some(&document) {
                    files.push(document);
                }
            }
        }
        // Each file by its document's index, which linking kept beside what it gave.
        let content_of = |document: usize| (document, contents[document]);
        let goals = (journal.goals.par_iter().zip(&milestone_files))
            .map(|(goal, milestone_files)| {
                let milestones: Vec<u64> = milestone_files.iter().map(|&d| contents[d]).collect();
                let entries: Vec<(usize, u64)> = (goal.entries.iter())
                    .map(|entry| content_of(entry.document()))
                    .collect();
                let values: Vec<(usize, u64)> = (goal.metric_values.iter())
                    .map(|value| content_of(value.document))
                    .collect();
                let checkins: Vec<(usize, u64)> = (goal.checkins.iter())
                    .map(|checkin| content_of(checkin.document))
                    .collect();
                data_hash(&(
                    &goal.id,
                    content_of(goal.document),
                    milestone_files,
                    milestones,
                    entries,
                    values,
                    checkins,
                ))
            })
            .collect();
        GoalInputs {
            journal: whole,
            goals,
        }
    }

    /// For each goal of `journal` (whose inputs these are), its hashes as `kept` has them
    /// when its report is the one they were made of; `None` for every goal to hash again.
    pub(super) fn known(&self, kept: &KeptHashes, journal: &Journal) -> Vec<Option<(u64, u64)>> {
        if kept.journal != self.journal || kept.goals.len() != self.goals.len() {
            return Vec::new();
        }
        let changed: BTreeSet<usize> = (self.goals.iter().zip(&kept.goals))
            .enumerate()
            .filter(|(_, (now, kept))| **now != kept[0])
            .map(|(goal, _)| goal)
            .collect();
        let made_again = with_ancestors(journal, &changed);
        (kept.goals.iter().zip(made_again))
            .map(|(&[_, whole, for_reviews], again)| (!again).then_some((whole, for_reviews)))
            .collect()
    }

    /// What to keep of a report of these inputs, whose goals have `hashes`.
    pub(super) fn kept(self, hashes: &GoalHashes) -> KeptHashes {
        let goals = (self.goals.into_iter())
            .zip(&hashes.whole)
            .zip(&hashes.for_reviews)
            .map(|((inputs, &whole), &for_reviews)| [inputs, whole, for_reviews])
            .collect();
        KeptHashes {
            journal: self.journal,
            goals,
        }
    }
}

/// Each document's outline (see `model::outline_hash`), on every core.
pub(super) fn outlines(journal: &Journal) -> Vec<u64> {
    journal
        .documents
        .par_iter()
        .map(model::outline_hash)
        .collect()
}

/// [`INPUTS_FILE`] in the output folder `out`: `Ok(None)` when there is none, `Err` with
/// why when there is one that cannot be used.
pub(super) fn read(out: &Path) -> Result<Option<KeptHashes>, String> {
    read_sealed_json(out, INPUTS_FILE, FORMAT)
}

/// [`INPUTS_FILE`] of `kept`, as the write stage takes it.
pub(super) fn file(kept: &KeptHashes) -> write::Planned<'static> {
    sealed_json_file(INPUTS_FILE, FORMAT, kept)
}
