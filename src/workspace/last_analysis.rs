//! The analysis a workspace that analyses again after each change keeps (`watch`,
//! `trailmark lsp`), and what changed in the journal since: what lets the next analysis
//! make again only the goals a change touched (see `analyse::again`).
//!
//! A change is taken goal by goal only while every file's outline stays the same (its
//! path, title, goals and the fields that name it: [`model::outlines_hash`]): then
//! linking gives every other file's milestones and mentions the goals it gave them, and
//! each goal keeps its index. A file added, removed or renamed, a goal declared
//! otherwise, other settings or another day analyse everything again.

use crate::analyse::{Changed, Report, Rules};
use crate::dates::Date;
use crate::document::Document;
use crate::git::Dating;
use crate::model::{self, Journal};

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
    /// [`model::outlines_hash`] of the journal as last linked, once a report is kept.
    outlines: Option<u64>,
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
    pub(super) fn note_files(
        &mut self,
        journal: &Journal,
        documents: &[Document],
        touched: &[&str],
    ) {
        let Some(changed) = &mut self.since else {
            return;
        };
        if touched.len() > FEW_FILES {
            self.since = None;
            return;
        }
        for &path in touched {
            let Ok(index) = documents.binary_search_by(|document| document.path.as_str().cmp(path))
            else {
                // Gone: the outlines differ too.
                self.since = None;
                return;
            };
            changed.goals.extend(journal.goals_of_file(path, index));
            changed.files.insert(path.to_owned());
        }
    }

    /// After the journal is linked again: anything may have changed unless every file's
    /// outline is the one the last report was made from.
    pub(super) fn linked(&mut self, documents: &[Document]) {
        if self.made.is_none() {
            return;
        }
        let outlines = model::outlines_hash(documents);
        if self.outlines.replace(outlines) != Some(outlines) {
            self.since = None;
        }
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
        let touched: Vec<&str> = dated_otherwise.iter().map(String::as_str).collect();
        let known: Vec<&str> = touched
            .into_iter()
            .filter(|path| {
                (journal.documents)
                    .binary_search_by(|document| document.path.as_str().cmp(path))
                    .is_ok()
            })
            .collect();
        self.note_files(journal, &journal.documents, &known);
        let made = self.made.as_ref()?;
        Some((&made.report, self.since.as_ref()?))
    }

    /// Keeps `report` (sharing its goals) as the last one, made as of `today`, with
    /// `rules` and a history of `dating`, from `documents`: nothing has changed since.
    pub(super) fn keep(
        &mut self,
        report: &Report,
        today: Date,
        rules: Rules,
        dating: Option<Dating>,
        documents: &[Document],
    ) {
        if self.outlines.is_none() {
            self.outlines = Some(model::outlines_hash(documents));
        }
        self.made = Some(Made {
            report: report.clone(),
            today,
            rules,
            dating,
        });
        self.since = Some(Changed::default());
    }

    /// Anything may have changed (other settings).
    pub(super) fn forget(&mut self) {
        self.since = None;
    }
}
