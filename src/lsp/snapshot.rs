//! The journal as last analysed, in the form the server answers from: the analysis
//! report's goals and diagnostics (moved, not copied), `check`'s SMART hints, and the
//! little of the linked journal a request needs (each document's path and title, each
//! goal's `id:` place). The analysis thread makes one after every refresh; requests read
//! the newest.
//!
//! The server holds the last snapshot while the next is made, so what does not change
//! between analyses is shared between the two, not held twice: the goals' reports,
//! which the workspace keeps for its next analysis and which that makes again only for
//! the goals an edit touched (`analyse::again`), and the files' outlines and their index
//! by link name, which typing in an entry leaves alone ([`Notes`]).

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

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
    /// The day the journal was analysed for.
    today: Date,
    /// The rules it was analysed with.
    pub(crate) rules: Rules,
    /// The report's goals, shared with the workspace's last analysis.
    goals: Vec<Arc<GoalReport>>,
    /// Everything `check` reports but the SMART hints.
    diagnostics: Vec<Diagnostic>,
    pub(crate) hints: Vec<Hint>,
    notes: Notes,
    /// How the journal's documents are parsed: an open buffer is parsed the same way.
    pub(crate) parse: ParseOptions,
    /// Which optional warnings linking gives, as `trailmark.toml` chose.
    pub(crate) warnings: Warnings,
    /// `goals` by id.
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
        let hints = smart_hints(&report);
        // The rest of the report (timelines, reviews' inputs, the index's lists) goes.
        let Report {
            today,
            rules,
            goals,
            diagnostics,
            ..
        } = report;
        let goal_by_id = goals
            .iter()
            .enumerate()
            .map(|(index, goal)| (goal.id.clone(), index))
            .collect();
        Snapshot {
            generation,
            today,
            rules,
            goals,
            diagnostics,
            hints,
            notes,
            parse,
            warnings,
            goal_by_id,
        }
    }

    /// The day the journal was analysed for.
    pub(crate) fn today(&self) -> Date {
        self.today
    }

    /// Every goal of the journal, in declaration order.
    pub(crate) fn goals(&self) -> &[Arc<GoalReport>] {
        &self.goals
    }

    /// The goal of id `id` (a tag is lowercased; ids are slugs, so lowercase too).
    pub(crate) fn goal(&self, id: &str) -> Option<&GoalReport> {
        self.goal_by_id
            .get(&id.to_lowercase())
            .map(|&index| &*self.goals[index])
    }

    /// The note a `[[wikilink]]` to `target` in the note at `from` names, as the journal
    /// resolves it (file names, folders, Logseq page names).
    pub(crate) fn note_of_link(&self, target: &str, from: &str) -> Option<&Outline> {
        let outlines = self.notes();
        let links = self.notes.links.get_or_init(|| {
            let documents: Vec<Document> = outlines.iter().map(Outline::document).collect();
            NoteIndex::new(&documents)
        });
        match links.resolve_from(|d| &outlines[d].path, target, from) {
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
        (self.goals.iter().map(|goal| &**goal)).filter(move |goal| goal.file == path)
    }

    /// The diagnostics of the file `path`, as `check` reports them.
    pub(crate) fn diagnostics_of<'a>(
        &'a self,
        path: &'a str,
    ) -> impl Iterator<Item = &'a Diagnostic> + 'a {
        self.diagnostics
            .iter()
            .filter(move |diagnostic| diagnostic.file == path)
    }

    /// Every diagnostic of the journal, as `check` reports them.
    pub(crate) fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }
}

/// The journal's documents as requests know them: their outlines, and the notes by the
/// names `[[wikilinks]]` use, as the journal resolves them. Cheap to clone: the next
/// snapshot shares what an analysis left unchanged (at 10,000 files, the outlines are
/// about 2 MB and their index 2.5 MB).
#[derive(Clone)]
pub(crate) struct Notes {
    outlines: Arc<Vec<Outline>>,
    /// Made with the outlines when a document has a link, as linking makes its own;
    /// else only when a request first resolves a link (one typed in a buffer since).
    links: Arc<OnceLock<NoteIndex>>,
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
                    .all(|(o, d)| *o.path == *d.path)
        };
        let Some(last) = last.filter(same_files) else {
            return Notes {
                outlines: Arc::new(documents.iter().map(Outline::of).collect()),
                links: links_of(documents),
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
            links_of(documents)
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

/// The index of `documents` by note name, made now if one of them has a link.
fn links_of(documents: &[Document]) -> Arc<OnceLock<NoteIndex>> {
    let links = OnceLock::new();
    if documents.iter().any(|document| !document.links.is_empty()) {
        // Set on a new cell: it cannot have been set before.
        let _ = links.set(NoteIndex::new(documents));
    }
    Arc::new(links)
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
            &*last.note_of_link("books", from).unwrap().path,
            "notes/reading.md"
        );
        let next = analysed(
            &[GOAL, ("notes/reading.md", "alias:: novels\n")],
            Some(&last),
        );
        assert_eq!(
            &*next.note_of_link("novels", from).unwrap().path,
            "notes/reading.md"
        );
        assert!(next.note_of_link("books", from).is_none());
    }

    #[test]
    fn a_file_added_is_found_after_the_next_analysis() {
        let last = analysed(&[GOAL], None);
        let reading = ("notes/reading.md", "# Reading\n");
        let linking = ("journal/2026-03-09.md", "Read [[reading]].\n");
        let next = analysed(&[GOAL, linking, reading], Some(&last));
        let note = next.note_of_link("reading", "journal/2026-03-09.md");
        assert_eq!(&*note.unwrap().title, "Reading");
        assert_eq!(next.notes().len(), 3);
    }
}
