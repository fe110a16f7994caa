//! The journal as last analysed, in the form the server answers from: the analysis
//! report's goals and diagnostics (moved, not copied, with only what requests read:
//! [`for_requests`]), `check`'s SMART hints, and the little of the linked journal a
//! request needs (each document's path and title, each goal's `id:` place). The
//! analysis thread makes one after every refresh; requests read the newest.
//!
//! The server holds the last snapshot while the next is made, so it keeps little, and
//! what does not change between analyses (the files' outlines and their index by link
//! name, which typing in an entry leaves alone) is shared between the two ([`Notes`]),
//! not held twice.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use crate::analyse::{GoalReport, Report, Rules, analyse};
use crate::check::{Hint, smart_hints};
use crate::dates::Date;
use crate::diagnostic::Diagnostic;
use crate::document::{Document, Fields, ParseOptions};
use crate::git::History;
use crate::model::{Journal, LinkTarget, NoteIndex, Outline, Warnings};

pub(crate) struct Snapshot {
    /// The edit generation whose buffers it was made from (see `super::analysis`).
    pub(crate) generation: u64,
    /// The day the journal was analysed for.
    today: Date,
    /// The rules it was analysed with.
    pub(crate) rules: Rules,
    /// The report's goals, each [`for_requests`].
    goals: Vec<GoalReport>,
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
            mut goals,
            diagnostics,
            ..
        } = report;
        goals.iter_mut().for_each(for_requests);
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

    /// Every goal of the journal, in declaration order, [`for_requests`].
    pub(crate) fn goals(&self) -> &[GoalReport] {
        &self.goals
    }

    /// The goal of id `id` (a tag is lowercased; ids are slugs, so lowercase too).
    pub(crate) fn goal(&self, id: &str) -> Option<&GoalReport> {
        self.goal_by_id
            .get(&id.to_lowercase())
            .map(|&index| &self.goals[index])
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
        self.goals.iter().filter(move |goal| goal.file == path)
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

/// `goal` without what no request reads, which the server would otherwise hold twice
/// while it makes the next snapshot (at 10,000 files, the report is 8 MB): what its
/// entries say (only where they mention it is kept, for references), its burn-up, its
/// front-matter fields, tags and sub-goals, its metric's values, its cadence's past
/// periods, and its milestones' markdown and sub-tasks. Hover, completion, inlay hints,
/// references, the SMART hints and the stale check-ins read the rest;
/// `a_goal_for_requests_answers_as_the_whole_one` keeps them honest.
fn for_requests(goal: &mut GoalReport) {
    goal.burn_up = Vec::new();
    goal.fields = Fields::new();
    goal.tags = Vec::new();
    goal.children = Vec::new();
    goal.forecast_note = None;
    goal.stalled_note = None;
    if let Some(metric) = &mut goal.metric {
        metric.values = Vec::new();
    }
    if let Some(cadence) = &mut goal.cadence {
        cadence.periods = Vec::new();
        cadence.pauses = Vec::new();
    }
    for entry in &mut goal.entries {
        // Its title is the document's own, shared, so it is kept: clearing it frees nothing.
        entry.fields = Fields::new();
        for line in &mut entry.lines {
            line.text = String::new();
        }
    }
    for milestone in &mut goal.milestones {
        milestone.markdown = None;
        milestone.tasks = None;
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
                    .all(|(o, d)| o.path == d.path)
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
    fn a_goal_for_requests_answers_as_the_whole_one() {
        let goals = crate::testing::report(
            &[
                (
                    "goals/ship.md",
                    "---\ngoal: Ship\ndue: 2026-03-01\nmetric: {target: 10, unit: pages}\n\
                     tags: [work]\n---\n- [x] outline ✅ 2026-03-02\n  - [ ] sub-task\n\
                     - [ ] draft **bold** 📅 2026-03-20\n- [ ] print\n",
                ),
                (
                    "goals/events.md",
                    "---\ngoal: Attend events\nwhy: meet people\nstart: 2026-01-01\n\
                     cadence: {count: 2, per: month}\nparent: ship\n---\n\
                     - [x] meetup ✅ 2026-02-12\n",
                ),
                (
                    "goals/talks.md",
                    "---\ngoal: Give talks\nmetric: {target: 5}\n---\n",
                ),
                (
                    "journal/2026-03-09.md",
                    "---\nmetrics: {ship: 4}\ncheckins: {ship: {confidence: 6, note: ok}, \
                     attend-events: {confidence: 3}}\n---\n# A day\nTalked about #ship at length.\n\
                     - [x] review #attend-events ✅ 2026-03-09\n",
                ),
            ],
            "2026-03-10",
        )
        .goals;
        assert_eq!(goals.len(), 3);
        let today = day("2026-03-10");
        let (mut places_found, mut stale_found) = (0, 0);
        for whole in goals {
            let mut slim = whole.clone();
            for_requests(&mut slim);
            let (whole, slim) = ([whole], [slim]);
            let card = crate::lsp::hover::goal_card;
            assert_eq!(card(&whole[0]), card(&slim[0]));
            let places = crate::lsp::references::places;
            assert_eq!(places(&whole[0]), places(&slim[0]));
            places_found += places(&slim[0]).len();
            let hints = |goals: &[GoalReport]| {
                let hints = crate::check::goal_hints(goals, today);
                hints
                    .into_iter()
                    .map(|hint| hint.message)
                    .collect::<Vec<_>>()
            };
            assert_eq!(hints(&whole), hints(&slim));
            let stale = crate::analyse::stale_checkins;
            assert_eq!(stale(&whole, today, 0), stale(&slim, today, 0));
            stale_found += stale(&slim, today, 0).len();
        }
        assert!(places_found > 0 && stale_found > 0);
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
