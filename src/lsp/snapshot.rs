//! The journal as last analysed, in the form the server answers from: the analysis
//! report (moved, not copied), `check`'s SMART hints, and the little of the linked
//! journal a request needs (each document's path and title, each goal's `id:` place).
//! The analysis thread makes one after every refresh; requests read the newest.
//!
//! The server holds the last snapshot while the next is made, so what does not change
//! between analyses (the files' outlines and their index by link name, which typing in
//! an entry leaves alone) is shared between the two ([`Notes`]), not held twice.

use std::collections::HashMap;
use std::sync::Arc;

use crate::analyse::{GoalReport, Report, Rules, analyse};
use crate::check::{Hint, smart_hints};
use crate::dates::Date;
use crate::diagnostic::Diagnostic;
use crate::document::{Document, ParseOptions};
use crate::git::History;
use crate::model::{Journal, LinkTarget, NoteIndex, Outline, Warnings};

pub(crate) struct Snapshot {
    /// The edit generation whose buffers it was made from (see `super::analysis`).
    pub(crate) generation: u64,
    pub(crate) report: Report,
    pub(crate) hints: Vec<Hint>,
    notes: Notes,
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
            Notes::of(&journal.documents, None),
            report,
            ParseOptions::default(),
            Warnings::default(),
        )
    }

    /// The snapshot of a journal whose [`Notes`] are `notes`.
    pub(crate) fn new(
        generation: u64,
        notes: Notes,
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
            notes,
            parse,
            warnings,
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
        let outlines = self.notes();
        match self
            .notes
            .links
            .resolve_from(|d| &outlines[d].path, target, from)
        {
            LinkTarget::Document(index) => Some(&outlines[index]),
            LinkTarget::SameNote | LinkTarget::Attachment | LinkTarget::Missing => None,
        }
    }

    /// Every journal document's [`Outline`], sorted by path: its path and title for
    /// requests, and what an edited buffer is linked against for its diagnostics before
    /// the journal is analysed again.
    pub(crate) fn notes(&self) -> &[Outline] {
        &self.notes.outlines
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

/// The journal's documents as requests know them: their outlines, and the notes by the
/// names `[[wikilinks]]` use, as the journal resolves them. Cheap to clone: the next
/// snapshot shares what an analysis left unchanged (10,000 outlines and their index
/// are about 7 MB).
#[derive(Clone)]
pub(crate) struct Notes {
    outlines: Arc<Vec<Outline>>,
    links: Arc<NoteIndex>,
}

impl Notes {
    /// The notes of `documents` (sorted by path), sharing with `last`, the notes of the
    /// snapshot before, what is the same: the outlines when none changed, and the index
    /// when every file has the path and note names it had.
    pub(crate) fn of(documents: &[Document], last: Option<&Notes>) -> Notes {
        let same_files = |last: &&Notes| {
            last.outlines.len() == documents.len()
                && last
                    .outlines
                    .iter()
                    .zip(documents)
                    .all(|(o, d)| o.path == d.path)
        };
        let Some(last) = last.filter(same_files) else {
            return Notes {
                outlines: Arc::new(documents.iter().map(Outline::of).collect()),
                links: Arc::new(NoteIndex::new(documents)),
            };
        };
        // Compared one at a time, so no second list is made for an unchanged journal.
        let changed: Vec<(usize, Outline)> = documents
            .iter()
            .map(Outline::of)
            .enumerate()
            .filter(|(index, outline)| *outline != last.outlines[*index])
            .collect();
        if changed.is_empty() {
            return last.clone();
        }
        let names_kept = changed.iter().all(|(index, outline)| {
            outline.document().fields == last.outlines[*index].document().fields
        });
        let links = if names_kept {
            Arc::clone(&last.links)
        } else {
            Arc::new(NoteIndex::new(documents))
        };
        let mut outlines = Vec::clone(&last.outlines);
        for (index, outline) in changed {
            outlines[index] = outline;
        }
        Notes {
            outlines: Arc::new(outlines),
            links,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{day, journal};

    /// The snapshot of `files` made after `last`, as the analysis thread makes it.
    fn analysed(files: &[(&str, &str)], last: Option<&Snapshot>) -> Snapshot {
        let journal = journal(files);
        let report = analyse(
            &journal,
            &History::default(),
            day("2026-03-10"),
            &Rules::default(),
        );
        let notes = Notes::of(&journal.documents, last.map(|last| &last.notes));
        Snapshot::new(
            1,
            notes,
            report,
            ParseOptions::default(),
            Warnings::default(),
        )
    }

    const GOAL: (&str, &str) = ("goals/ship.md", "---\ngoal: Ship\n---\n- [ ] draft\n");

    #[test]
    fn an_unchanged_journal_shares_its_notes_with_the_last_snapshot() {
        let entry = ("journal/2026-03-09.md", "- [ ] draft #ship\n");
        let last = analysed(&[GOAL, entry], None);
        let edited = ("journal/2026-03-09.md", "- [x] draft #ship\nmore\n");
        let next = analysed(&[GOAL, edited], Some(&last));
        assert!(Arc::ptr_eq(&last.notes.outlines, &next.notes.outlines));
        assert!(Arc::ptr_eq(&last.notes.links, &next.notes.links));
    }

    #[test]
    fn a_goal_renamed_is_seen_after_the_next_analysis() {
        let last = analysed(&[GOAL, ("notes/reading.md", "# Reading\n")], None);
        let renamed = ("goals/ship.md", "---\ngoal: Ship it\n---\n- [ ] draft\n");
        let next = analysed(&[renamed, ("notes/reading.md", "# Reading\n")], Some(&last));
        let note = next.note_of_link("ship", "journal/2026-03-09.md").unwrap();
        assert_eq!(note.goals[0].title, "Ship it");
        assert_eq!(next.goal("ship-it").unwrap().title, "Ship it");
        // Its file is named as before: the index of names is the last one's.
        assert!(Arc::ptr_eq(&last.notes.links, &next.notes.links));
    }

    #[test]
    fn a_note_named_anew_is_found_by_its_new_name_after_the_next_analysis() {
        let last = analysed(&[GOAL, ("notes/reading.md", "alias:: books\n")], None);
        let from = "journal/2026-03-09.md";
        assert_eq!(
            last.note_of_link("books", from).unwrap().path,
            "notes/reading.md"
        );
        let next = analysed(
            &[GOAL, ("notes/reading.md", "alias:: novels\n")],
            Some(&last),
        );
        assert_eq!(
            next.note_of_link("novels", from).unwrap().path,
            "notes/reading.md"
        );
        assert!(next.note_of_link("books", from).is_none());
    }

    #[test]
    fn a_file_added_is_found_after_the_next_analysis() {
        let last = analysed(&[GOAL], None);
        let next = analysed(&[GOAL, ("notes/reading.md", "# Reading\n")], Some(&last));
        let note = next
            .note_of_link("reading", "journal/2026-03-09.md")
            .unwrap();
        assert_eq!(note.title, "Reading");
        assert_eq!(next.notes().len(), 2);
    }
}
