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

use std::collections::BTreeSet;
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
    /// The indexes of `goals` in the order of their ids (unique in a journal), to find a
    /// goal by its id: 4 bytes a goal, where a map by a copy of each id took about 70
    /// (0.55 MB at 100,000 files).
    goals_by_id: Vec<u32>,
    /// The files it analysed from the text of an open buffer, not from the disk.
    buffered: BTreeSet<String>,
}

impl Snapshot {
    /// The snapshot of a journal without files, until the first analysis.
    pub(crate) fn empty(today: Date) -> Snapshot {
        let journal = Journal::default();
        let report = analyse(&journal, &History::default(), today, &Rules::default());
        Snapshot::new(
            0,
            Notes::of(&journal.documents, None),
            &report,
            ParseOptions::default(),
            Warnings::default(),
            BTreeSet::new(),
        )
    }

    /// The snapshot of `report`, of a journal whose [`Notes`] are `notes`, the files
    /// `buffered` analysed from open buffers. Of the report it keeps the goals (shared)
    /// and the diagnostics, not the rest (timelines, reviews' inputs, the index's lists):
    /// the report itself is the workspace's to keep, once the snapshot is sent.
    pub(crate) fn new(
        generation: u64,
        notes: Notes,
        report: &Report,
        parse: ParseOptions,
        warnings: Warnings,
        buffered: BTreeSet<String>,
    ) -> Snapshot {
        let hints = smart_hints(report);
        let (today, rules) = (report.today, report.rules);
        let goals = report.goals.clone();
        let diagnostics = report.diagnostics.clone();
        let index =
            |at: usize| u32::try_from(at).expect("a journal has fewer than 4 billion goals");
        let mut goals_by_id: Vec<u32> = (0..goals.len()).map(index).collect();
        goals_by_id.sort_unstable_by(|&a, &b| goals[a as usize].id.cmp(&goals[b as usize].id));
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
            goals_by_id,
            buffered,
        }
    }

    /// Whether the journal file `path` was analysed as it was on disk: a file of the
    /// journal, not an open buffer's text.
    pub(crate) fn read_from_disk(&self, path: &str) -> bool {
        !self.buffered.contains(path)
            && (self.notes.names)
                .binary_search_by(|note| (*note.path).cmp(path))
                .is_ok()
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
        let id = id.to_lowercase();
        let at = (self.goals_by_id)
            .binary_search_by(|&index| self.goals[index as usize].id.cmp(&id))
            .ok()?;
        Some(&*self.goals[self.goals_by_id[at] as usize])
    }

    /// The note a `[[wikilink]]` to `target` in the note at `from` names, as the journal
    /// resolves it (file names, folders, Logseq page names).
    pub(crate) fn note_of_link(&self, target: &str, from: &str) -> Option<&Note> {
        let notes = self.notes();
        let links = self.notes.links.get_or_init(|| {
            let documents: Vec<Document> = self.notes.documents().collect();
            NoteIndex::new(&documents)
        });
        match links.resolve_from(|d| &notes[d].path, target, from) {
            LinkTarget::Document(index) => Some(&notes[index]),
            LinkTarget::SameNote | LinkTarget::Attachment | LinkTarget::Missing => None,
        }
    }

    /// Every journal document's path and title, sorted by path.
    pub(crate) fn notes(&self) -> &[Note] {
        &self.notes.names
    }

    /// The [`Outline`]s of the documents that declare goals or are named by their
    /// fields, sorted by path: with the others' paths and titles ([`Snapshot::documents`]),
    /// what an edited buffer is linked against for its diagnostics before the journal is
    /// analysed again.
    pub(crate) fn outlines(&self) -> &[Outline] {
        &self.notes.outlines
    }

    /// Every journal document as a document to link with others, sorted by path: its
    /// outline, else its path and title.
    pub(crate) fn documents(&self) -> impl Iterator<Item = Document> + '_ {
        self.notes.documents()
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

/// A journal document as requests name it: its path and title.
#[derive(Clone, PartialEq)]
pub(crate) struct Note {
    pub(crate) path: Arc<str>,
    pub(crate) title: Arc<str>,
}

impl Note {
    /// The note as a document to link with others: its path and title, as the
    /// [`Outline`] of a document with no goals and no naming fields gives it.
    fn document(&self) -> Document {
        Document {
            path: self.path.clone(),
            title: self.title.clone(),
            ..Document::default()
        }
    }
}

/// The journal's documents as requests know them: each one's path and title, the
/// [`Outline`]s of those that declare goals or are named by their fields, and the notes
/// by the names `[[wikilinks]]` use, as the journal resolves them. Most documents are
/// entries with neither, for which a path and a title are all of their outline: 32
/// bytes where an outline takes 72. Cheap to clone: the next snapshot shares what an
/// analysis left unchanged (at 10,000 files, the notes are about 0.3 MB, the outlines
/// of the 800 goal files 0.3 MB and their index 2.5 MB).
#[derive(Clone)]
pub(crate) struct Notes {
    /// Every document, sorted by path.
    names: Arc<Vec<Note>>,
    /// The outlines of the documents that declare goals or are named by their fields,
    /// sorted by path.
    outlines: Arc<Vec<Outline>>,
    /// Made with the outlines when a document has a link, as linking makes its own;
    /// else only when a request first resolves a link (one typed in a buffer since).
    links: Arc<OnceLock<NoteIndex>>,
}

impl Notes {
    /// The notes of `documents` (sorted by path), sharing with `last`, the notes of the
    /// snapshot before, what is the same: the names and the outlines when none changed,
    /// and the index when every file has the path and note names it had.
    pub(crate) fn of(documents: &[Document], last: Option<&Notes>) -> Notes {
        if let Some(last) = last.filter(|last| last.are_of(documents)) {
            return last.clone();
        }
        let mut names = Vec::with_capacity(documents.len());
        let mut outlines = Vec::new();
        for document in documents {
            let (note, outline) = note_of(document);
            names.push(note);
            outlines.extend(outline);
        }
        // The index by note name stands while every file has the path and the naming
        // fields it had.
        let names_kept = last.filter(|last| {
            (last.names.len() == names.len())
                && (last.names.iter().zip(&names)).all(|(a, b)| *a.path == *b.path)
                && last.outlines.len() == outlines.len()
                && (last.outlines.iter().zip(&outlines)).all(|(a, b)| {
                    *a.path == *b.path && a.document().fields() == b.document().fields()
                })
        });
        Notes {
            links: match names_kept {
                Some(last) => Arc::clone(&last.links),
                None => links_of(documents),
            },
            names: Arc::new(names),
            outlines: Arc::new(outlines),
        }
    }

    /// Whether these are the notes of `documents`: compared one at a time, without
    /// making any, so no second list is made for an unchanged journal (making each
    /// document's note and outline to compare took 50-100 ms at 100,000 files, after
    /// every edit).
    fn are_of(&self, documents: &[Document]) -> bool {
        let mut outlines = self.outlines.iter().peekable();
        let same = self.names.len() == documents.len()
            && (documents.iter().zip(self.names.iter())).all(|(document, last)| {
                let last_outline = outlines.next_if(|outline| *outline.path == *last.path);
                *last.path == *document.path
                    && *last.title == *document.title
                    && match last_outline {
                        Some(outline) => outline.is_of(document),
                        None => !Outline::keeps_more_than_a_name(document),
                    }
            });
        same && outlines.next().is_none()
    }

    /// Every document as a document to link with others, sorted by path: its outline,
    /// else its path and title.
    pub(crate) fn documents(&self) -> impl Iterator<Item = Document> + '_ {
        let mut outlines = self.outlines.iter().peekable();
        self.names.iter().map(move |note| {
            match outlines.next_if(|outline| *outline.path == *note.path) {
                Some(outline) => outline.document(),
                None => note.document(),
            }
        })
    }
}

/// The path and title of `document`, and its outline when it has more: goals or the
/// fields that name it.
fn note_of(document: &Document) -> (Note, Option<Outline>) {
    let note = Note {
        path: document.path.clone(),
        title: document.title.clone(),
    };
    let outline = Outline::keeps_more_than_a_name(document).then(|| Outline::of(document));
    (note, outline)
}

/// The index of `documents` by note name, made now if one of them has a link.
fn links_of(documents: &[Document]) -> Arc<OnceLock<NoteIndex>> {
    let links = OnceLock::new();
    if documents
        .iter()
        .any(|document| !document.links().is_empty())
    {
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
            &report,
            ParseOptions::default(),
            Warnings::default(),
            BTreeSet::new(),
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
    fn every_document_is_linked_as_its_outline_gives_it_though_few_keep_one() {
        let files = [
            GOAL,
            ("journal/2026-03-09.md", "Read [[books]].\n"),
            ("notes/plain.md", "# Plain\ntext\n"),
            ("notes/reading.md", "alias:: books\n# Reading\n"),
        ];
        let snapshot = analysed(&files, None);
        let as_outlines: Vec<String> = (journal(&files).documents.iter())
            .map(|document| format!("{:?}", Outline::of(document).document()))
            .collect();
        let documents: Vec<String> = (snapshot.documents())
            .map(|document| format!("{document:?}"))
            .collect();
        assert_eq!(documents, as_outlines);
        let kept: Vec<&str> = (snapshot.outlines().iter())
            .map(|outline| &*outline.path)
            .collect();
        assert_eq!(kept, ["goals/ship.md", "notes/reading.md"]);
        assert_eq!(snapshot.notes().len(), 4);
    }

    #[test]
    fn each_goal_is_found_by_its_id_whatever_the_order_of_declaration() {
        let titles = ["Zeta", "Alpha", "Mid", "Beta", "Omega", "Alpha"];
        let files: Vec<(String, String)> = (titles.iter().enumerate())
            .map(|(at, title)| {
                (
                    format!("goals/{at}.md"),
                    format!("---\ngoal: {title}\n---\n"),
                )
            })
            .collect();
        let files: Vec<(&str, &str)> = (files.iter())
            .map(|(path, text)| (path.as_str(), text.as_str()))
            .collect();
        let snapshot = analysed(&files, None);
        for goal in snapshot.goals() {
            let found = snapshot.goal(&goal.id.to_uppercase()).unwrap();
            assert!(std::ptr::eq(found, &**goal), "{}", goal.id);
        }
        assert_eq!(snapshot.goal("alpha-2").unwrap().file, "goals/5.md");
        assert!(snapshot.goal("gamma").is_none());
        assert!(snapshot.goal("").is_none());
    }

    #[test]
    fn a_goal_renamed_is_seen_after_the_next_analysis() {
        let last = analysed(&[GOAL, ("notes/reading.md", "# Reading\n")], None);
        let renamed = ("goals/ship.md", "---\ngoal: Ship it\n---\n- [ ] draft\n");
        let next = analysed(&[renamed, ("notes/reading.md", "# Reading\n")], Some(&last));
        let note = next.note_of_link("ship", "journal/2026-03-09.md").unwrap();
        assert_eq!(&*note.path, "goals/ship.md");
        assert_eq!(next.outlines()[0].goals[0].title, "Ship it");
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
