//! The journal as last analysed, in the form the server answers from: the analysis
//! report (moved, not copied), `check`'s SMART hints, and the little of the linked
//! journal a request needs (each document's path and title, each goal's `id:` place).
//! The analysis thread makes one after every refresh; requests read the newest.

use std::collections::HashMap;

use crate::analyse::{GoalReport, Report, Rules, analyse};
use crate::check::{Hint, smart_hints};
use crate::dates::Date;
use crate::diagnostic::Diagnostic;
use crate::document::ParseOptions;
use crate::git::History;
use crate::model::{Journal, LinkTarget, NoteIndex, Outline, Warnings};

pub(crate) struct Snapshot {
    /// The edit generation whose buffers it was made from (see `super::analysis`).
    pub(crate) generation: u64,
    pub(crate) report: Report,
    pub(crate) hints: Vec<Hint>,
    /// Every journal document's [`Outline`], sorted by path: its path and title for
    /// requests, and what an edited buffer is linked against for its diagnostics
    /// before the journal is analysed again.
    pub(crate) notes: Vec<Outline>,
    /// The notes by the names `[[wikilinks]]` use, as the journal resolves them.
    links: NoteIndex,
    /// How the journal's documents are parsed: an open buffer is parsed the same way.
    pub(crate) parse: ParseOptions,
    /// Which optional warnings linking gives, as `trailmark.toml` chose.
    pub(crate) warnings: Warnings,
    /// `report.goals` by id.
    goal_by_id: HashMap<String, usize>,
}

impl Snapshot {
    /// The snapshot of a journal without files, until the first analysis.
    pub(crate) fn empty(today: Date) -> Snapshot {
        let journal = Journal::default();
        let report = analyse(&journal, &History::default(), today, &Rules::default());
        Snapshot::new(
            0,
            &journal,
            report,
            ParseOptions::default(),
            Warnings::default(),
        )
    }

    pub(crate) fn new(
        generation: u64,
        journal: &Journal,
        report: Report,
        parse: ParseOptions,
        warnings: Warnings,
    ) -> Snapshot {
        let goal_by_id = report
            .goals
            .iter()
            .enumerate()
            .map(|(index, goal)| (goal.id.clone(), index))
            .collect();
        Snapshot {
            generation,
            hints: smart_hints(&report),
            notes: journal.documents.iter().map(Outline::of).collect(),
            parse,
            warnings,
            links: NoteIndex::new(&journal.documents),
            goal_by_id,
            report,
        }
    }

    /// The day the journal was analysed for.
    pub(crate) fn today(&self) -> Date {
        self.report.today
    }

    /// The goal of id `id` (a tag is lowercased; ids are slugs, so lowercase too).
    pub(crate) fn goal(&self, id: &str) -> Option<&GoalReport> {
        self.goal_by_id
            .get(&id.to_lowercase())
            .map(|&index| &self.report.goals[index])
    }

    /// The note a `[[wikilink]]` to `target` in the note at `from` names, as the journal
    /// resolves it (file names, folders, Logseq page names).
    pub(crate) fn note_of_link(&self, target: &str, from: &str) -> Option<&Outline> {
        match self
            .links
            .resolve_from(|d| &self.notes[d].path, target, from)
        {
            LinkTarget::Document(index) => Some(&self.notes[index]),
            LinkTarget::SameNote | LinkTarget::Attachment | LinkTarget::Missing => None,
        }
    }

    /// The goals declared in the file `path`, in file order.
    pub(crate) fn goals_of_file<'a>(
        &'a self,
        path: &'a str,
    ) -> impl Iterator<Item = &'a GoalReport> + 'a {
        self.report
            .goals
            .iter()
            .filter(move |goal| goal.file == path)
    }

    /// The diagnostics of the file `path`, as `check` reports them.
    pub(crate) fn diagnostics_of<'a>(
        &'a self,
        path: &'a str,
    ) -> impl Iterator<Item = &'a Diagnostic> + 'a {
        self.report
            .diagnostics
            .iter()
            .filter(move |diagnostic| diagnostic.file == path)
    }
}
