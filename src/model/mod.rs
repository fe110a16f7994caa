//! Stage 3 of the pipeline: the journal model. Resolves goal ids, parents, which goal each
//! milestone belongs to, logged metric values, check-ins and which entries mention which
//! goal.
//!
//! The goal tree is walked by loops, never by recursion (the cycle check here, the tree
//! in `analyse`), so a chain of 100,000 parents needs no stack.
//!
//! Over 500 lines: the linker's steps (ids, parents, notes, milestones, metrics, mentions)
//! each read the indexes the steps before built, so they are methods of one `Linker`;
//! what stands alone is in `checkins`, `hints` and `links`.

mod assignments;
mod checkins;
mod hints;
mod links;

use crate::hash::{FastMap, FastSet};
use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;

use serde::Serialize;

use crate::dates::Date;
use crate::diagnostic::{Diagnostic, Position};
use crate::document::{
    Declared, Document, Fields, GoalDecl, GoalStatus, Heading, Located, MilestoneState,
};
use crate::shared_text::SharedText;
use crate::slug::{is_slug, slugify};
use crate::text;
pub(crate) use assignments::{Assigned, Assignments};
pub(crate) use checkins::Checkin;
use hints::Hints;
pub(crate) use hints::closest_id;
pub(crate) use links::{LinkTarget, NoteIndex};

/// The whole journal, linked.
#[derive(Debug, Default)]
pub(crate) struct Journal {
    /// Sorted by path, so the result never depends on the order files were found in.
    pub(crate) documents: Vec<Document>,
    /// In declaration order: by file, then by place in the file.
    pub(crate) goals: Vec<Goal>,
    /// The goal each milestone belongs to, if any.
    pub(crate) assignments: Assignments,
    /// Problems found while linking (documents keep their own).
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Problems the walk of the folder found, set by the workspace that walked it.
    pub(crate) walk_diagnostics: Vec<Diagnostic>,
    /// The milestones `check` reports as belonging to no goal, as (document, milestone)
    /// indexes in file order: top-level ones only (a nested one follows its parent), and
    /// none when the journal declares no goal or `trailmark.toml` turns the warning off.
    /// Each file gets one warning for them; `check --verbose` lists them.
    pub(crate) loose_milestones: Vec<(usize, usize)>,
}

/// Which optional warnings linking gives: choices a journal's configuration may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Warnings {
    /// One warning per file that has milestones belonging to no goal, in a journal that
    /// declares goals.
    pub(crate) loose_milestones: bool,
    /// A warning at each `[[link]]` to a note that exists nowhere in the journal. Off by
    /// default: in Obsidian an unresolved link is a normal way to plan a note.
    pub(crate) missing_notes: bool,
}

impl Default for Warnings {
    fn default() -> Warnings {
        Warnings {
            loose_milestones: true,
            missing_notes: false,
        }
    }
}

/// A goal with its id resolved and its links to the rest of the journal.
#[derive(Debug, Clone)]
pub(crate) struct Goal {
    /// As its front-matter declares it. Its `id` and `parent` are as written: what they
    /// resolve to is [`Goal::id`] and [`Goal::parent`].
    pub(crate) declared: GoalDecl,
    /// Unique in the journal: its `id:` made a slug, else its title's slug; a second goal
    /// with the same id gets a `-2` suffix (a third `-3`, ...).
    pub(crate) id: String,
    /// The file that declares it.
    pub(crate) file: String,
    /// The index of that file's document.
    pub(crate) document: usize,
    pub(crate) parent: Option<usize>,
    pub(crate) children: Vec<usize>,
    /// Values logged in entries, oldest first.
    pub(crate) metric_values: Vec<MetricValue>,
    /// Dated documents that mention the goal, newest first.
    pub(crate) entries: Vec<EntryMention>,
    /// Check-ins of dated entries, oldest first.
    pub(crate) checkins: Vec<Checkin>,
}

/// What mentions a goal on a line of an entry.
#[derive(Debug, Clone, Copy)]
enum Said {
    /// The milestone of this index, which belongs to the goal.
    Milestone(usize),
    /// The heading of this index, which names the goal.
    Heading(usize),
    /// The metric log of this index, which logs a value for the goal.
    Metric(usize),
    /// A tag or a link on the line.
    Line,
}

impl Said {
    /// The words a goal page shows for the mention, on `line` of `document`.
    /// Shared with the document, but for a logged value's words.
    fn text(self, document: &Document, line: u32, goal: &Goal) -> SharedText {
        match self {
            Said::Milestone(index) => document.milestones[index].text.clone(),
            Said::Heading(index) => SharedText::from(Arc::clone(&document.headings[index].text)),
            Said::Metric(index) => {
                let unit = goal
                    .declared
                    .metric
                    .as_ref()
                    .and_then(|metric| metric.unit.as_deref())
                    .map_or_else(String::new, |unit| format!(" {unit}"));
                SharedText::from(format!(
                    "logged {}{unit}",
                    text::number(document.metrics()[index].value)
                ))
            }
            Said::Line => document.reference_line(line).cloned().unwrap_or_default(),
        }
    }
}

impl EntryMention {
    /// In file order, once a line: a milestone of the goal by its text, a heading by
    /// its text, a logged value as `logged 6 talks`, and a line with a tag or a link as
    /// written (`Document::reference_lines`).
    pub(crate) fn lines(&self) -> impl Iterator<Item = &Located<SharedText>> {
        let more: &[Located<SharedText>] = self.more_lines.as_deref().map_or(&[], |more| more);
        std::iter::once(&self.first_line).chain(more)
    }

    /// The index of the document.
    pub(crate) fn document(&self) -> usize {
        self.document as usize
    }
}

/// A dated document that mentions a goal, and the lines that do.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EntryMention {
    /// Read through [`EntryMention::document`]: 32 bits, as the assignments' goals (a
    /// mention of a goal for each entry that mentions it).
    document: u32,
    /// The first of [`EntryMention::lines`], in place: most entries mention a goal on
    /// one line, and a list of its own for each was 140,000 allocations at 100,000 files.
    first_line: Located<SharedText>,
    /// The others, in order; `None` for most: a thin pointer (8 bytes less a mention).
    more_lines: Option<Box<Box<[Located<SharedText>]>>>,
}

/// A value logged for a measurable goal, as the JSON reports it too.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct MetricValue {
    pub(crate) date: Date,
    pub(crate) value: f64,
    /// The entry it was logged in.
    pub(crate) file: String,
    /// The index of that entry's document: the goals' inputs read its content by it.
    #[serde(skip)]
    pub(crate) document: usize,
}

impl Journal {
    /// The goals the file `path`, the document at `index`, gives anything to: the goals
    /// it declares, those its milestones belong to, and those it mentions, logs a value
    /// of or checks in on. Read from the goals and the assignments alone: it is asked of
    /// the last model while its documents are being read again.
    pub(crate) fn goals_of_file(&self, path: &str, index: usize) -> Vec<usize> {
        let assigned = self
            .assignments
            .get(index)
            .into_iter()
            .flat_map(Assigned::iter);
        let mut goals: Vec<usize> = assigned.flatten().collect();
        goals.extend((0..self.goals.len()).filter(|&g| {
            let goal = &self.goals[g];
            goal.file == path
                || goal.entries.iter().any(|entry| entry.document() == index)
                || goal.metric_values.iter().any(|value| value.file == path)
                || goal.checkins.iter().any(|checkin| checkin.file == path)
        }));
        goals
    }

    /// Whether some checked milestone has no date of its own: no `✅` marker and not in a
    /// dated entry. Only then is the git history worth reading.
    pub(crate) fn needs_history(&self) -> bool {
        self.documents.iter().any(|document| {
            document.date.is_none()
                && document
                    .milestones
                    .iter()
                    .any(|m| m.state == MilestoneState::Done && m.done_marker.is_none())
        })
    }

    /// Every diagnostic, the documents' and the model's, in display order.
    pub(crate) fn all_diagnostics(&self) -> Vec<Diagnostic> {
        let mut all: Vec<Diagnostic> = self
            .documents
            .iter()
            .flat_map(|d| d.diagnostics().iter().cloned())
            .chain(self.diagnostics.iter().cloned())
            .chain(self.walk_diagnostics.iter().cloned())
            .collect();
        all.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        all.dedup();
        all
    }
}

/// Links parsed documents into a journal, with the optional `warnings` asked for.
pub(crate) fn build(documents: Vec<Document>, warnings: Warnings) -> Journal {
    build_with_indexes(documents, warnings).0
}

/// [`build`], with the indexes it linked by, for [`relink_files`] after an edit.
pub(crate) fn build_with_indexes(
    mut documents: Vec<Document>,
    warnings: Warnings,
) -> (Journal, LinkIndexes) {
    // Paths are unique, so an unstable sort gives the same order, without the copy of
    // every document a stable one makes room for.
    documents.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    let mut linker = Linker::new(
        Journal {
            documents,
            ..Journal::default()
        },
        LinkIndexes {
            warnings,
            ..LinkIndexes::default()
        },
    );
    linker.declare_goals();
    linker.link_parents();
    linker.indexes.declared_diagnostics = linker.journal.diagnostics.len();
    linker.index_notes();
    linker.assign_milestones();
    linker.collect_metrics();
    linker.collect_checkins();
    linker.collect_entries();
    (linker.journal, linker.indexes)
}

/// Links again, in place, the documents of `journal` at the indexes `changed`, read again
/// since it was linked with `indexes`: their milestones, mentions, logged values and
/// check-ins, and the diagnostics linking gives them. It gives what [`build`] of the
/// same documents gives, provided every document's outline ([`outline_hash`]) and the
/// warnings asked for are those `indexes` were made with, which the caller makes sure
/// of: then every goal, its id, parent and children, and every other document's
/// assignments and diagnostics stay as they are. What lets an edit of one entry of a
/// large journal be linked without linking every file again.
pub(crate) fn relink_files(
    journal: &mut Journal,
    indexes: LinkIndexes,
    changed: &[usize],
) -> LinkIndexes {
    let mut linker = Linker::new(std::mem::take(journal), indexes);
    linker.relink(changed);
    *journal = linker.journal;
    linker.indexes
}

/// What linking reads of a document when it checks another one: its path, title and
/// goals (of each, what linking reads: [`linked_part`]), and the fields that name it as
/// a note (`title::`, `alias::`); nothing of its own milestones, tags or links, which
/// only its own checks read. `model::build` over the outlines of a journal's other files
/// and one whole document gives that document's diagnostics as a build of the whole
/// journal does (`trailmark lsp` as you type).
///
/// Its own type rather than a mostly empty [`Document`], which is several times larger:
/// `trailmark lsp` keeps one for every file of the journal.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Outline {
    pub(crate) path: Arc<str>,
    pub(crate) title: Arc<str>,
    pub(crate) goals: Box<[GoalDecl]>,
    /// Only the fields that name the note.
    naming: Fields,
}

impl Outline {
    pub(crate) fn of(document: &Document) -> Outline {
        Outline {
            path: document.path.clone(),
            title: document.title.clone(),
            goals: document.goals().iter().map(linked_part).collect(),
            naming: naming_fields(document)
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect(),
        }
    }

    /// Whether the outline of `document` keeps more than its path and title: goals, or
    /// fields that name it (most journal files have neither).
    pub(crate) fn keeps_more_than_a_name(document: &Document) -> bool {
        !document.goals().is_empty() || naming_fields(document).next().is_some()
    }

    /// Whether this is the outline of `document`: compared without making one.
    pub(crate) fn is_of(&self, document: &Document) -> bool {
        *self.path == *document.path
            && *self.title == *document.title
            && self.goals.len() == document.goals().len()
            && (self.goals.iter().zip(document.goals())).all(|(kept, goal)| links_alike(kept, goal))
            && self.naming.iter().eq(naming_fields(document))
    }

    /// The outline as a document to link with others: nothing but what it keeps.
    pub(crate) fn document(&self) -> Document {
        let mut document = Document {
            path: self.path.clone(),
            title: self.title.clone(),
            declared: Declared {
                goals: self.goals.clone(),
                ..Declared::default()
            }
            .boxed(),
            ..Document::default()
        };
        document.set_rare(self.naming.clone(), Box::default(), Box::default());
        document
    }
}

/// What linking reads of a goal's declaration, all an [`Outline`] keeps of it: its
/// title, place, id, parent and metric (whether it is measured, and the unit of the
/// values logged for it). The rest (its dates, area, why, tags, status, cadence, pauses,
/// sharing) only its own analysis reads: nearly a third of the outlines' memory (0.9 of
/// 3.1 MB at 100,000 files), which the language server holds for every goal file and
/// copies twice to check a buffer.
fn linked_part(goal: &GoalDecl) -> GoalDecl {
    GoalDecl {
        title: goal.title.clone(),
        position: goal.position,
        id: goal.id.clone(),
        parent: goal.parent.clone(),
        metric: goal.metric.clone(),
        due: None,
        start: None,
        area: None,
        why: None,
        horizon: None,
        status: GoalStatus::default(),
        tags: Vec::new(),
        cadence: None,
        pauses: Vec::new(),
        share: None,
    }
}

/// Whether `kept`, a [`linked_part`], is that of `goal`: compared without making one.
fn links_alike(kept: &GoalDecl, goal: &GoalDecl) -> bool {
    kept.title == goal.title
        && kept.position == goal.position
        && kept.id == goal.id
        && kept.parent == goal.parent
        && kept.metric == goal.metric
}

/// The fields of a document that name it as a note: what [`Outline`] keeps of them.
fn naming_fields(document: &Document) -> impl Iterator<Item = (&String, &String)> {
    const NAMING: [&str; 2] = ["title", "alias"];
    (document.fields().iter()).filter(|(key, _)| NAMING.contains(&key.as_str()))
}

/// A hash of what linking reads of the document when it links the others: its
/// [`Outline`] but its title, which no link resolves by. While every file's is the same,
/// linking gives every file's milestones, mentions, values and check-ins to the goals it
/// gave them before, whatever else changed in the files, and each goal keeps its index:
/// what lets an analysis after an edit make again only the goals the edited files give
/// anything to (see `analyse::again`).
pub(crate) fn outline_hash(document: &Document) -> u64 {
    #[derive(Serialize)]
    struct Seen<'a> {
        path: &'a str,
        goals: &'a [GoalDecl],
        naming: Vec<(&'a String, &'a String)>,
    }
    if !Outline::keeps_more_than_a_name(document) {
        // Most files: the path alone, hashed without serde's walk over the struct, which
        // took ten times as long for every file of a journal.
        return crate::hash::content_hash(document.path.as_bytes());
    }
    crate::hash::data_hash(&Seen {
        path: &document.path,
        goals: document.goals(),
        naming: naming_fields(document).collect(),
    })
}

/// What linking looks goals and notes up by: made while a journal is linked, and kept
/// by a workspace that links again file by file ([`relink_files`]).
#[derive(Default)]
pub(crate) struct LinkIndexes {
    /// Goal id -> goal index.
    ids: FastMap<String, usize>,
    /// Lowercased title -> goal index (the first goal with that title).
    titles: FastMap<String, usize>,
    /// The goals each document declares (they are declared in document order), as
    /// 32-bit indexes: kept with the journal by `trailmark lsp` and `watch`, one range a
    /// document (0.8 MB at 100,000 files, where `usize` ranges grown by doubling took 2.1).
    goals_of_document: Vec<Range<u32>>,
    /// Documents by note name, for `[[wikilinks]]`; empty until a document has a link.
    notes: NoteIndex,
    /// How many of the journal's diagnostics, the first ones, the goals' declarations
    /// and parents gave: they stay while every outline does.
    declared_diagnostics: usize,
    warnings: Warnings,
}

impl LinkIndexes {
    /// Whether these indexes link with `warnings`.
    pub(crate) fn link_with(&self, warnings: Warnings) -> bool {
        self.warnings == warnings
    }

    /// The indexes of the goals the document at `document` declares.
    fn goals_of(&self, document: usize) -> Range<usize> {
        let goals = &self.goals_of_document[document];
        goals.start as usize..goals.end as usize
    }
}

struct Linker {
    journal: Journal,
    indexes: LinkIndexes,
    /// `parent:` as written: (goal index, lowercased id, where).
    declared_parents: Vec<(usize, String, Position)>,
    hints: Hints,
    /// Id -> the last `-n` suffix given to a duplicate of it, so that the next duplicate
    /// looks on from there: 20,000 goals of one title would otherwise try 200 million.
    next_suffix: FastMap<String, usize>,
}

impl Linker {
    fn new(journal: Journal, indexes: LinkIndexes) -> Linker {
        Linker {
            journal,
            indexes,
            declared_parents: Vec::new(),
            hints: Hints::new(),
            next_suffix: FastMap::default(),
        }
    }

    fn declare_goals(&mut self) {
        // Every declaration is a goal: the list made at its length, where doubling left
        // up to half of it empty (a goal is hundreds of bytes).
        let declared: usize = self.journal.documents.iter().map(|d| d.goals().len()).sum();
        self.journal.goals.reserve_exact(declared);
        let narrow = |goal: usize| u32::try_from(goal).expect("fewer than 2^32 goals");
        (self.indexes.goals_of_document).reserve_exact(self.journal.documents.len());
        for (doc_index, document) in self.journal.documents.iter().enumerate() {
            let first_goal = self.journal.goals.len();
            for decl in document.goals() {
                let (mut id, id_position) = match &decl.id {
                    Some(given) => (given.value.clone(), given.position),
                    None => (slugify(&decl.title), decl.position),
                };
                if decl.id.is_some() && !is_slug(&id) {
                    let fixed = slugify(&id);
                    self.journal.diagnostics.push(Diagnostic::warning(
                        &document.path,
                        Some(id_position),
                        format!(
                            "goal id `{id}` is not lowercase letters, digits and `-`; using `{fixed}`"
                        ),
                    ));
                    id = fixed;
                }
                if id.is_empty() {
                    id = "goal".to_string();
                    self.journal.diagnostics.push(Diagnostic::warning(
                        &document.path,
                        Some(decl.position),
                        format!("goal `{}` gives no usable id; set `id:`", decl.title),
                    ));
                }
                if let Some(&first) = self.indexes.ids.get(&id) {
                    let other = &self.journal.goals[first];
                    // Ids are never removed, so suffixes tried for an earlier duplicate
                    // are still taken.
                    let tried = self.next_suffix.get(&id).copied().unwrap_or(1);
                    let (n, unique) = (tried + 1..)
                        .map(|n| (n, format!("{id}-{n}")))
                        .find(|(_, candidate)| !self.indexes.ids.contains_key(candidate))
                        .expect("an unbounded range always has a free suffix");
                    self.next_suffix.insert(id.clone(), n);
                    self.journal.diagnostics.push(Diagnostic::error(
                        &document.path,
                        Some(id_position),
                        format!(
                            "goal id `{id}` is already used by `{}` at {}:{}; this goal is \
                             reported as `{unique}` until one of them gets another `id:`",
                            other.declared.title, other.file, other.declared.position.line
                        ),
                    ));
                    id = unique;
                }
                let index = self.journal.goals.len();
                if let Some(parent) = &decl.parent {
                    self.declared_parents.push((
                        index,
                        parent.value.to_lowercase(),
                        parent.position,
                    ));
                }
                self.indexes.ids.insert(id.clone(), index);
                self.indexes
                    .titles
                    .entry(decl.title.to_lowercase())
                    .or_insert(index);
                self.journal.goals.push(Goal {
                    declared: decl.clone(),
                    id,
                    file: document.path.to_string(),
                    document: doc_index,
                    parent: None,
                    children: Vec::new(),
                    metric_values: Vec::new(),
                    entries: Vec::new(),
                    checkins: Vec::new(),
                });
            }
            self.indexes
                .goals_of_document
                .push(narrow(first_goal)..narrow(self.journal.goals.len()));
        }
    }

    /// Resolves `parent:` ids. Unknown ids are warnings; a cycle is an error, and the link
    /// that closes it is dropped so that every later walk up the tree ends.
    fn link_parents(&mut self) {
        for (child, parent_id, position) in std::mem::take(&mut self.declared_parents) {
            match self.indexes.ids.get(&parent_id) {
                Some(&parent) => self.journal.goals[child].parent = Some(parent),
                None => {
                    let file = self.journal.goals[child].file.clone();
                    let hint = self.suggest(&parent_id);
                    self.journal.diagnostics.push(Diagnostic::warning(
                        &file,
                        Some(position),
                        format!("parent `{parent_id}` names no goal{hint}"),
                    ));
                }
            }
        }
        self.break_cycles();
        for child in 0..self.journal.goals.len() {
            if let Some(parent) = self.journal.goals[child].parent {
                self.journal.goals[parent].children.push(child);
            }
        }
    }

    fn break_cycles(&mut self) {
        // 0 = not visited, 1 = on the current path, 2 = known to reach a root.
        let mut mark = vec![0u8; self.journal.goals.len()];
        for start in 0..self.journal.goals.len() {
            let mut path = Vec::new();
            let mut current = Some(start);
            while let Some(goal) = current {
                match mark[goal] {
                    2 => break,
                    1 => {
                        let cycle_start = path.iter().position(|&g| g == goal).unwrap_or(0);
                        let names = cycle_names(
                            path[cycle_start..]
                                .iter()
                                .chain(std::iter::once(&goal))
                                .map(|&g| self.journal.goals[g].id.as_str())
                                .collect(),
                        );
                        let last = *path.last().expect("a goal on the path was pushed to it");
                        let closing = &self.journal.goals[last];
                        self.journal.diagnostics.push(Diagnostic::error(
                            &closing.file,
                            Some(closing.declared.position),
                            format!(
                                "goals form a cycle of parents: {}; the parent of `{}` is ignored",
                                names, closing.id
                            ),
                        ));
                        self.journal.goals[last].parent = None;
                        break;
                    }
                    _ => {
                        mark[goal] = 1;
                        path.push(goal);
                        current = self.journal.goals[goal].parent;
                    }
                }
            }
            for goal in path {
                mark[goal] = 2;
            }
        }
    }

    /// Indexes notes by name and, when asked, warns about `[[links]]` to notes that exist
    /// nowhere in the journal (once per note and target). Skipped when no document has a
    /// link.
    fn index_notes(&mut self) {
        let documents = &self.journal.documents;
        if documents.iter().all(|d| d.links().is_empty()) {
            return;
        }
        self.indexes.notes = NoteIndex::new(documents);
        let mut diagnostics = Vec::new();
        for doc_index in 0..documents.len() {
            self.warn_missing_notes(doc_index, &mut diagnostics);
        }
        self.journal.diagnostics.extend(diagnostics);
    }

    /// When asked, warns about the `[[links]]` of a document to notes that exist nowhere
    /// in the journal, once per target.
    fn warn_missing_notes(&self, doc_index: usize, diagnostics: &mut Vec<Diagnostic>) {
        if !self.indexes.warnings.missing_notes {
            return;
        }
        let documents = &self.journal.documents;
        let document = &documents[doc_index];
        let mut warned = FastSet::default();
        for link in document.links() {
            if self
                .indexes
                .notes
                .resolve(documents, &link.value, doc_index)
                == LinkTarget::Missing
                && warned.insert(link.value.to_lowercase())
            {
                let name = crate::document::wikilink_display(&link.value);
                diagnostics.push(Diagnostic::warning(
                    &document.path,
                    Some(link.position),
                    format!(
                        "link `[[{}]]` names no note in the journal; create `{name}.md` \
                         or correct the link",
                        link.value
                    ),
                ));
            }
        }
    }

    /// Which goal each milestone belongs to, on every core, a run of documents at a time;
    /// then the names near a goal's id are worded, in file order.
    fn assign_milestones(&mut self) {
        let documents = &self.journal.documents;
        let milestones = documents.iter().map(|d| d.milestones.len()).sum();
        let mut assignments = Assignments::with_capacity(documents.len(), milestones);
        let goals = MilestoneGoals {
            documents,
            indexes: &self.indexes,
        };
        let runs: Vec<AssignedRun> = (0..documents.len())
            .into_par_iter()
            .step_by(DOCUMENTS_A_RUN)
            .map(|first| goals.of_run(first..(first + DOCUMENTS_A_RUN).min(documents.len())))
            .collect();
        let mut diagnostics = Vec::new();
        for run in runs {
            let mut at = 0;
            for count in run.milestones {
                assignments.push(&run.goals[at..at + count]);
                at += count;
            }
            for (doc_index, near_miss) in run.near_misses {
                self.warn_near_miss(&mut diagnostics, doc_index, near_miss);
            }
        }
        self.journal.assignments = assignments;
        self.journal.diagnostics.extend(diagnostics);
        for doc_index in 0..self.journal.documents.len() {
            self.warn_loose_milestones(doc_index);
        }
    }

    /// The goal each milestone of a document belongs to, in file order, into `assigned`.
    fn assign_document(
        &self,
        doc_index: usize,
        assigned: &mut Vec<Option<usize>>,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        let goals = MilestoneGoals {
            documents: &self.journal.documents,
            indexes: &self.indexes,
        };
        let mut near_misses = Vec::new();
        assigned.clear();
        goals.of_document(doc_index, assigned, &mut near_misses);
        for near_miss in near_misses {
            self.warn_near_miss(diagnostics, doc_index, near_miss);
        }
    }

    /// One warning per file for its milestones that belong to no goal, at the first: a
    /// vault's tasks are mostly not about goals, and one warning each would bury the rest.
    /// None in a journal that declares no goal (it has nothing to assign them to) or when
    /// `trailmark.toml` turns the warning off. The loose milestones are added in place,
    /// after those of the documents before.
    fn warn_loose_milestones(&mut self, doc_index: usize) {
        if self.indexes.ids.is_empty() || !self.indexes.warnings.loose_milestones {
            return;
        }
        let journal = &mut self.journal;
        let document = &journal.documents[doc_index];
        let loose: Vec<usize> = (0..document.milestones.len())
            .filter(|&m| {
                journal.assignments.of(doc_index).get(m).is_none()
                    && document.milestones[m].parent().is_none()
            })
            .collect();
        let Some(&first) = loose.first() else {
            return;
        };
        let milestone = &document.milestones[first];
        let (what, it) = match loose.len() {
            1 => (
                format!("milestone `{}` belongs to no goal", milestone.text),
                "it",
            ),
            n => (
                format!(
                    "{n} milestones belong to no goal, the first `{}` (`check --verbose` \
                     lists them)",
                    milestone.text
                ),
                "them",
            ),
        };
        journal.diagnostics.push(Diagnostic::warning(
            &document.path,
            Some(milestone.position),
            format!(
                "{what}; tag {it} with #<goal-id>, link the goal's note with [[...]] or \
                 put {it} under a heading named after the goal"
            ),
        ));
        let at = (journal.loose_milestones).partition_point(|&(other, _)| other < doc_index);
        journal
            .loose_milestones
            .splice(at..at, loose.into_iter().map(|m| (doc_index, m)));
    }

    /// Warns of `near_miss`, in document `doc_index`, with a "did you mean" hint, only
    /// when its name is near a goal id: a tag or heading far from every id (`#task`, `##
    /// Pre-requisites`) is the vault's own, not a misspelt goal. Never in a journal that
    /// declares no goal.
    fn warn_near_miss(
        &self,
        diagnostics: &mut Vec<Diagnostic>,
        doc_index: usize,
        near_miss: NearMiss,
    ) {
        let hint = self.suggest(&near_miss.name);
        if !hint.is_empty() {
            diagnostics.push(Diagnostic::warning(
                &self.journal.documents[doc_index].path,
                Some(near_miss.position),
                format!("{}{hint}", near_miss.message),
            ));
        }
    }

    fn collect_metrics(&mut self) {
        let mut diagnostics = Vec::new();
        for doc_index in 0..self.journal.documents.len() {
            for (goal, value) in self.metric_values_of(doc_index, &mut diagnostics) {
                self.journal.goals[goal].metric_values.push(value);
            }
        }
        self.journal.diagnostics.extend(diagnostics);
        for goal in &mut self.journal.goals {
            // Stable: values of the same day keep file order, so the last file wins.
            goal.metric_values.sort_by_key(|v| v.date);
        }
    }

    /// The values a document logs for goals, each with its goal, in file order.
    fn metric_values_of(
        &self,
        doc_index: usize,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Vec<(usize, MetricValue)> {
        let document = &self.journal.documents[doc_index];
        let mut values = Vec::new();
        for log in document.metrics() {
            let said = Logged {
                goal: &log.goal,
                position: log.position,
                what: "metric values",
                for_goal: "metric logged for",
            };
            let Some((date, goal)) = self.dated_goal(document, &said, diagnostics) else {
                continue;
            };
            if self.journal.goals[goal].declared.metric.is_none() {
                diagnostics.push(Diagnostic::warning(
                    &document.path,
                    Some(log.position),
                    format!(
                        "goal `{}` has no `metric:`, so this value is not used",
                        log.goal
                    ),
                ));
                continue;
            }
            let value = MetricValue {
                date,
                value: log.value,
                file: document.path.to_string(),
                document: doc_index,
            };
            values.push((goal, value));
        }
        values
    }

    /// The date of `document` and the goal `logged` names, when the document is dated
    /// and the goal known; else a warning in `diagnostics` that says which is missing.
    fn dated_goal(
        &self,
        document: &Document,
        logged: &Logged<'_>,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<(Date, usize)> {
        let Some(date) = document.date else {
            diagnostics.push(Diagnostic::warning(
                &document.path,
                Some(logged.position),
                format!(
                    "{} are read only from dated entries; add `date:` or a YYYY-MM-DD file \
                     name",
                    logged.what
                ),
            ));
            return None;
        };
        let Some(&goal) = self.indexes.ids.get(logged.goal) else {
            let hint = self.suggest(logged.goal);
            diagnostics.push(Diagnostic::warning(
                &document.path,
                Some(logged.position),
                format!(
                    "{} `{}`, which names no goal{hint}",
                    logged.for_goal, logged.goal
                ),
            ));
            return None;
        };
        Some((date, goal))
    }

    /// A dated document mentions a goal when one of its milestones belongs to it, or it
    /// tags the goal, names it in a heading, logs a value for it or links its note; each
    /// mention is kept with its line.
    fn collect_entries(&mut self) {
        // Each dated document's mentions are found on every core (linking's indexes are
        // only read by now); only handing them to their goals is sequential.
        let finder = self.mention_finder();
        // Made into entries there too: the lists and boxes of their lines allocated on
        // every core, not on this one. A run of documents' entries in one list, each taken
        // out of its place: a list for each document, freed here by another thread than
        // the one that made it, was a fifth of this pass at 100,000 files.
        let documents = &self.journal.documents;
        let mut runs: Vec<MentionRun> = (0..documents.len())
            .into_par_iter()
            .step_by(DOCUMENTS_A_RUN)
            .map(|first| {
                let mut run = MentionRun::default();
                let end = (first + DOCUMENTS_A_RUN).min(documents.len());
                for (doc_index, document) in (first..end).zip(&documents[first..end]) {
                    let entries = entries_of(doc_index, finder.mentions_in(doc_index, document));
                    run.starts.push(run.entries.len());
                    run.entries.extend(entries.into_iter().map(Some));
                }
                run
            })
            .collect();
        let journal = &mut self.journal;
        // Each goal's entries are newest first, then by path: the documents are handed
        // out in that order, and each goal's list is made at its final size. Sorting
        // every goal's list afterwards, and growing it a mention at a time, took 2.3x the
        // time a file at 100,000 files that it took at 10,000. Each document's date is
        // read once, not at every comparison of the sort (a read of another document
        // each, in a list too large for the caches).
        let documents = &journal.documents;
        let mut order: Vec<(std::cmp::Reverse<Option<Date>>, usize)> = (0..documents.len())
            .filter(|&doc_index| !MentionRun::places_of(&runs, doc_index).is_empty())
            .map(|doc_index| (std::cmp::Reverse(documents[doc_index].date), doc_index))
            .collect();
        order.sort_unstable();
        let mut entries_of_goal = vec![0usize; journal.goals.len()];
        for run in &runs {
            for (goal, _) in run.entries.iter().flatten() {
                entries_of_goal[*goal] += 1;
            }
        }
        for (goal, count) in journal.goals.iter_mut().zip(entries_of_goal) {
            goal.entries.reserve_exact(count);
        }
        for (_, doc_index) in order {
            let places = MentionRun::places_of(&runs, doc_index);
            for place in &mut runs[doc_index / DOCUMENTS_A_RUN].entries[places] {
                let (goal, entry) = place.take().expect("each entry is handed out once");
                journal.goals[goal].entries.push(entry);
            }
        }
    }

    fn mention_finder(&self) -> MentionFinder<'_> {
        MentionFinder {
            journal: &self.journal,
            indexes: &self.indexes,
        }
    }

    /// [`relink_files`]: what linking gave the documents at `changed` goes, and what
    /// they give now is put where a whole linking puts it.
    fn relink(&mut self, changed: &[usize]) {
        self.take_out(changed);
        let linked = |&d: &usize| !self.journal.documents[d].links().is_empty();
        if self.indexes.notes.is_empty() && changed.iter().any(linked) {
            // No document had a link when the journal was linked: the index was not made.
            self.indexes.notes = NoteIndex::new(&self.journal.documents);
        }
        let mut found = Vec::new();
        let mut assigned = Vec::new();
        for &doc_index in changed {
            self.warn_missing_notes(doc_index, &mut found);
            self.assign_document(doc_index, &mut assigned, &mut found);
            self.journal.assignments.replace(doc_index, &assigned);
            self.warn_loose_milestones(doc_index);
            self.relink_values(doc_index, &mut found);
            self.relink_mentions(doc_index);
        }
        self.journal.diagnostics.extend(found);
    }

    /// Takes out what linking gave the documents at `changed`: their diagnostics (but
    /// those about the goals they declare, which stay), logged values, check-ins,
    /// mentions and loose milestones.
    fn take_out(&mut self, changed: &[usize]) {
        let Journal {
            documents,
            goals,
            diagnostics,
            loose_milestones,
            ..
        } = &mut self.journal;
        let paths: Vec<&str> = changed.iter().map(|&d| &*documents[d].path).collect();
        let mut index = 0;
        diagnostics.retain(|diagnostic| {
            index += 1;
            index <= self.indexes.declared_diagnostics || !paths.contains(&&*diagnostic.file)
        });
        for goal in goals.iter_mut() {
            goal.metric_values
                .retain(|value| !paths.contains(&value.file.as_str()));
            goal.checkins
                .retain(|checkin| !paths.contains(&checkin.file.as_str()));
            goal.entries
                .retain(|entry| !changed.contains(&entry.document()));
        }
        loose_milestones.retain(|(document, _)| !changed.contains(document));
    }

    /// Hands the mentions of goals in the document at `doc_index` to their goals, each
    /// among the goal's entries where a whole linking puts it: newest first, then by
    /// path.
    fn relink_mentions(&mut self, doc_index: usize) {
        let mentions = self
            .mention_finder()
            .mentions_in(doc_index, &self.journal.documents[doc_index]);
        let documents = &self.journal.documents;
        let newest_first = |entry: &EntryMention| {
            (
                std::cmp::Reverse(documents[entry.document()].date),
                entry.document(),
            )
        };
        for (goal, entry) in entries_of(doc_index, mentions) {
            let entries = &mut self.journal.goals[goal].entries;
            let at = entries.partition_point(|other| newest_first(other) < newest_first(&entry));
            entries.insert(at, entry);
        }
    }

    /// Puts the values a document logs and its check-ins among their goals' others, by
    /// date, then by file, as linking the whole journal orders them.
    fn relink_values(&mut self, doc_index: usize, diagnostics: &mut Vec<Diagnostic>) {
        for (goal, value) in self.metric_values_of(doc_index, diagnostics) {
            let values = &mut self.journal.goals[goal].metric_values;
            let at = values.partition_point(|other| {
                (other.date, other.file.as_str()) <= (value.date, value.file.as_str())
            });
            values.insert(at, value);
        }
        for (goal, checkin) in self.checkins_of(doc_index, diagnostics) {
            let checkins = &mut self.journal.goals[goal].checkins;
            let at = checkins.partition_point(|other| {
                (other.date, other.file.as_str()) <= (checkin.date, checkin.file.as_str())
            });
            checkins.insert(at, checkin);
        }
    }

    /// See [`Hints::suggest`].
    fn suggest(&self, name: &str) -> String {
        self.hints.suggest(name, &self.indexes.ids)
    }
}

/// Documents whose milestones' goals, or whose entries, one core finds at a time.
const DOCUMENTS_A_RUN: usize = 256;

/// The entries of a run of [`DOCUMENTS_A_RUN`] documents, each with its goal, in file
/// order: each document's start among them, and each entry until it is handed to its
/// goal.
#[derive(Default)]
struct MentionRun {
    starts: Vec<usize>,
    entries: Vec<Option<(usize, EntryMention)>>,
}

impl MentionRun {
    /// Where the entries of the document at `doc_index` are in its run, of `runs`.
    fn places_of(runs: &[MentionRun], doc_index: usize) -> Range<usize> {
        let run = &runs[doc_index / DOCUMENTS_A_RUN];
        let at = doc_index % DOCUMENTS_A_RUN;
        let end = (run.starts.get(at + 1)).map_or(run.entries.len(), |&next| next);
        run.starts[at]..end
    }
}

/// A tag or heading that names no goal but may be a misspelt goal id: worded (with its
/// did-you-mean hint) only once every document's milestones have their goals, in file
/// order, as the hints' budget of comparisons is spent in that order.
struct NearMiss {
    position: Position,
    message: String,
    /// The name compared with the goals' ids.
    name: String,
}

/// What a run of documents' milestones belong to (see [`MilestoneGoals::of_run`]).
struct AssignedRun {
    /// The goals of the run's milestones, document after document.
    goals: Vec<Option<usize>>,
    /// How many milestones each document of the run has.
    milestones: Vec<usize>,
    /// The run's near misses, each with its document, in file order.
    near_misses: Vec<(usize, NearMiss)>,
}

/// Which goal each milestone of a document belongs to: what linking knows that it
/// needs, read by every core at once.
struct MilestoneGoals<'a> {
    documents: &'a [Document],
    indexes: &'a LinkIndexes,
}

impl MilestoneGoals<'_> {
    /// The goals of the milestones of the documents at `run`.
    fn of_run(&self, run: Range<usize>) -> AssignedRun {
        let mut assigned = AssignedRun {
            goals: Vec::new(),
            milestones: Vec::with_capacity(run.len()),
            near_misses: Vec::new(),
        };
        let mut near_misses = Vec::new();
        for doc_index in run {
            let before = assigned.goals.len();
            self.of_document(doc_index, &mut assigned.goals, &mut near_misses);
            assigned.milestones.push(assigned.goals.len() - before);
            let of_document = near_misses
                .drain(..)
                .map(|near_miss| (doc_index, near_miss));
            assigned.near_misses.extend(of_document);
        }
        assigned
    }

    /// The goal each milestone of a document belongs to, in file order, appended to
    /// `assigned`; the tags and headings that may be misspelt ids to `near_misses`.
    fn of_document(
        &self,
        doc_index: usize,
        assigned: &mut Vec<Option<usize>>,
        near_misses: &mut Vec<NearMiss>,
    ) {
        let document = &self.documents[doc_index];
        let own_goals = self.indexes.goals_of(doc_index);
        let mut warned_headings = FastSet::default();
        // The goal of the last section looked up: the milestones of a section come one
        // after another, and its headings are looked up once for all of them.
        let mut last_section: Option<(usize, Option<usize>)> = None;
        let first = assigned.len();
        for milestone in &document.milestones {
            let mut by_tag = None;
            for tag in &milestone.tags {
                match self.indexes.ids.get(&**tag) {
                    Some(&goal) => by_tag = by_tag.or(Some(goal)),
                    None if is_slug(tag) => near_misses.push(NearMiss {
                        position: document.tag_position(milestone, tag),
                        message: format!("tag `#{tag}` names no goal"),
                        name: tag.to_string(),
                    }),
                    None => {}
                }
            }
            // **Choice**: a link assigns only outside goal notes; in a goal's own
            // note, `[[other]]` is a reference, not a move to another goal.
            let by_tag = by_tag.or_else(|| {
                let links = if own_goals.is_empty() {
                    milestone.links()
                } else {
                    &[]
                };
                links
                    .iter()
                    .find_map(|link| self.linked_goal(link, doc_index))
            });
            let by_parent = milestone
                .parent()
                .and_then(|p| assigned[first + p as usize]);
            let section = milestone.section().map(|s| s as usize);
            let by_section = match (section, last_section) {
                (Some(section), Some((last, goal))) if section == last => goal,
                _ => {
                    let goal =
                        self.section_goal(document, section, &mut warned_headings, near_misses);
                    last_section = section.map(|section| (section, goal));
                    goal
                }
            };
            let by_document = (own_goals.len() == 1).then_some(own_goals.start);
            let goal = by_tag.or(by_parent).or(by_section).or(by_document);
            assigned.push(goal);
        }
    }

    /// The goal a `[[link]]` in document `from` points to: the goal of a note that
    /// declares exactly one.
    fn linked_goal(&self, target: &str, from: usize) -> Option<usize> {
        match self.indexes.notes.resolve(self.documents, target, from) {
            LinkTarget::Document(document) => {
                let goals = self.indexes.goals_of(document);
                (goals.len() == 1).then_some(goals.start)
            }
            _ => None,
        }
    }

    /// The goal named by the innermost heading above a milestone whose text is a goal's
    /// title or id (case-insensitive). Notes once a heading that looks like a misspelt
    /// goal id.
    fn section_goal(
        &self,
        document: &Document,
        mut section: Option<usize>,
        warned: &mut FastSet<usize>,
        near_misses: &mut Vec<NearMiss>,
    ) -> Option<usize> {
        while let Some(index) = section {
            let heading = &document.headings[index];
            let name = lowercase(&heading.text);
            if let Some(goal) = goal_of_name(&self.indexes.ids, &self.indexes.titles, &name) {
                return Some(goal);
            }
            if is_slug(&name) && name.contains('-') && warned.insert(index) {
                near_misses.push(NearMiss {
                    position: heading.position,
                    message: format!(
                        "heading `{}` looks like a goal id but names no goal",
                        heading.text
                    ),
                    name: name.into_owned(),
                });
            }
            section = heading.parent().map(|p| p as usize);
        }
        None
    }
}

/// The ids of a cycle of parents, `a -> b -> a`: a long one with its first goals and how
/// many more, so that a cycle of 40,000 goals is not a message of half a megabyte.
fn cycle_names(ids: Vec<&str>) -> String {
    const SHOWN: usize = 8;
    if ids.len() <= SHOWN + 2 {
        return ids.join(" -> ");
    }
    format!(
        "{} -> … {} more -> {}",
        ids[..SHOWN].join(" -> "),
        ids.len() - SHOWN - 1,
        ids[ids.len() - 1]
    )
}

/// A document's mentions, which come by goal (see [`MentionFinder::mentions_in`]), as
/// one entry a goal.
fn entries_of(
    doc_index: usize,
    mentions: Vec<(usize, Located<SharedText>)>,
) -> Vec<(usize, EntryMention)> {
    let mut entries = Vec::new();
    let mut lines = mentions.into_iter().peekable();
    while let Some((goal, first)) = lines.next() {
        let more_lines = std::iter::from_fn(|| {
            lines
                .next_if(|(next, _)| *next == goal)
                .map(|(_, line)| line)
        });
        let more_lines: Box<[Located<SharedText>]> = more_lines.collect();
        let entry = EntryMention {
            document: u32::try_from(doc_index).expect("fewer than 2^32 documents"),
            first_line: first,
            more_lines: (!more_lines.is_empty()).then(|| Box::new(more_lines)),
        };
        entries.push((goal, entry));
    }
    entries
}

/// Something an entry logs for a goal by its id (a metric value, a check-in), as its
/// warnings name it.
struct Logged<'a> {
    goal: &'a str,
    position: Position,
    /// What is logged, as a warning says it is read only from dated entries.
    what: &'static str,
    /// What is logged, as a warning says it names no goal.
    for_goal: &'static str,
}

/// What finding a document's mentions of goals reads of the [`Linker`]: its indexes,
/// complete by then, without its hints (which cache, and cannot be shared between
/// threads).
struct MentionFinder<'a> {
    journal: &'a Journal,
    indexes: &'a LinkIndexes,
}

impl MentionFinder<'_> {
    /// The goals `document` (the `doc_index`th) mentions, by line in file order, each
    /// with the text a goal page shows for it; none when it is not dated.
    fn mentions_in(
        &self,
        doc_index: usize,
        document: &Document,
    ) -> Vec<(usize, Located<SharedText>)> {
        if document.date.is_none() {
            return Vec::new();
        }
        // What mentions which goal on which line; the text is taken once a line, after
        // duplicates are gone (a line of many links to a goal is one mention).
        let mut mentioned: Vec<(usize, u32, Said)> = Vec::new();
        for (index, (milestone, goal)) in document
            .milestones
            .iter()
            .zip(self.journal.assignments.of(doc_index).iter())
            .enumerate()
        {
            if let Some(goal) = goal {
                mentioned.push((goal, milestone.position.line, Said::Milestone(index)));
            }
        }
        for tag in &document.tags {
            if let Some(&goal) = self.indexes.ids.get(&*tag.value) {
                mentioned.push((goal, tag.position.line, Said::Line));
            }
        }
        for (index, heading) in document.headings.iter().enumerate() {
            if let Some(goal) = goal_named_by(&self.indexes.ids, &self.indexes.titles, heading) {
                mentioned.push((goal, heading.position.line, Said::Heading(index)));
            }
        }
        for (index, log) in document.metrics().iter().enumerate() {
            if let Some(&goal) = self.indexes.ids.get(&log.goal) {
                mentioned.push((goal, log.position.line, Said::Metric(index)));
            }
        }
        for link in document.links() {
            let documents = &self.journal.documents;
            if let LinkTarget::Document(linked) =
                self.indexes
                    .notes
                    .resolve(documents, &link.value, doc_index)
            {
                let line = link.position.line;
                mentioned
                    .extend((self.indexes.goals_of(linked)).map(|goal| (goal, line, Said::Line)));
            }
        }
        // Stable: of the mentions of one line, the first kind above is kept.
        mentioned.sort_by_key(|&(goal, line, _)| (goal, line));
        mentioned.dedup_by_key(|&mut (goal, line, _)| (goal, line));
        mentioned
            .into_iter()
            .map(|(goal, line, said)| {
                let text = said.text(document, line, &self.journal.goals[goal]);
                let line = Located {
                    value: text,
                    position: Position::new(line, 1),
                };
                (goal, line)
            })
            .collect()
    }
}

/// The goal a heading names by its id or its title, in any case.
fn goal_named_by(
    ids: &FastMap<String, usize>,
    titles: &FastMap<String, usize>,
    heading: &Heading,
) -> Option<usize> {
    goal_of_name(ids, titles, &lowercase(&heading.text))
}

/// The goal whose id or title (lowercased) is `name`, lowercase.
fn goal_of_name(
    ids: &FastMap<String, usize>,
    titles: &FastMap<String, usize>,
    name: &str,
) -> Option<usize> {
    ids.get(name).or_else(|| titles.get(name)).copied()
}

/// `text` lowercased, borrowed when it is lowercase ASCII already (most headings of
/// entries, each looked up as a goal's id and title for every entry).
fn lowercase(text: &str) -> Cow<'_, str> {
    if text
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
    {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.to_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::journal;

    /// The indexes kept to link again give each document its own goals, in a list made
    /// at its length (one range a document, which `trailmark lsp` keeps).
    #[test]
    fn the_kept_indexes_give_each_document_its_goals() {
        let documents = ["a.md", "b.md", "c.md", "d.md", "e.md"].map(|path| {
            let text = match path {
                "a.md" => "---\ngoals:\n  - title: One\n  - title: Two\n---\n",
                "c.md" => "---\ngoal: Three\n---\n",
                _ => "# Entry\n",
            };
            crate::testing::parse(path, text.as_bytes())
        });
        let (journal, indexes) = build_with_indexes(documents.into(), Warnings::default());
        let goals: Vec<Vec<&str>> = (0..journal.documents.len())
            .map(|document| {
                (indexes.goals_of(document))
                    .map(|goal| journal.goals[goal].declared.title.as_str())
                    .collect()
            })
            .collect();
        let none: Vec<&str> = Vec::new();
        assert_eq!(
            goals,
            [
                vec!["One", "Two"],
                none.clone(),
                vec!["Three"],
                none.clone(),
                none
            ]
        );
        assert_eq!(indexes.goals_of_document.capacity(), 5);
    }

    #[test]
    fn an_outline_is_of_the_documents_that_have_it_and_keeps_more_than_a_name_when_it_does() {
        let files = [
            ("a.md", "---\ngoal: Ship\n---\n"),
            ("a.md", "---\ngoal: Ship it\n---\n"),
            ("a.md", "---\ngoal: Ship\ndue: 2026-05-01\n---\n"),
            ("a.md", "---\ntitle: Reading\n---\n"),
            ("a.md", "alias:: books\n# Reading\n"),
            ("a.md", "alias:: novels\n# Reading\n"),
            ("a.md", "# Reading\n- [ ] a task #ship\n"),
            ("a.md", "# Writing\n"),
            ("b.md", "# Reading\n"),
        ];
        let documents: Vec<Document> = (files.iter())
            .map(|(path, text)| crate::testing::parse(path, text.as_bytes()))
            .collect();
        for document in &documents {
            let name_only = Outline {
                goals: Box::default(),
                naming: Fields::default(),
                ..Outline::of(document)
            };
            assert_eq!(
                Outline::keeps_more_than_a_name(document),
                Outline::of(document) != name_only,
                "{document:?}"
            );
            for other in &documents {
                assert_eq!(
                    Outline::of(document).is_of(other),
                    Outline::of(document) == Outline::of(other),
                    "{document:?}\n{other:?}"
                );
            }
        }
    }

    /// An outline keeps of each goal what linking reads, and is the outline of the
    /// documents whose goals differ from its own only in the rest.
    #[test]
    fn an_outline_keeps_of_each_goal_what_linking_reads() {
        let text = |why: &str, unit: &str| {
            format!(
                "---\ngoal: Run\nid: run\nparent: health\ndue: 2026-05-01\narea: body\n\
                 why: {why}\ntags: [outside]\nmetric: {{target: 100, unit: {unit}}}\n---\n"
            )
        };
        let document = |text: String| crate::testing::parse("run.md", text.as_bytes());
        let full = document(text("to be fit", "km"));
        let outline = Outline::of(&full);
        let (kept, goal) = (&outline.goals[0], &full.goals()[0]);
        assert_eq!(
            (
                &kept.title,
                &kept.id,
                &kept.parent,
                &kept.metric,
                kept.position
            ),
            (
                &goal.title,
                &goal.id,
                &goal.parent,
                &goal.metric,
                goal.position
            )
        );
        assert!(goal.due.is_some() && goal.why.is_some() && !goal.tags.is_empty());
        assert_eq!(
            (kept.due, &kept.area, &kept.why, &kept.tags),
            (None, &None, &None, &Vec::new())
        );
        assert!(outline.is_of(&document(text("to run far", "km"))));
        assert!(!outline.is_of(&document(text("to be fit", "miles"))));
    }

    /// What linking made of a journal, diagnostics in display order: what
    /// [`relink_files`] must give as [`build`] gives it.
    fn linked(journal: &Journal) -> String {
        let mut diagnostics = journal.diagnostics.clone();
        diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        format!(
            "{:#?}\n{:?}\n{:?}\n{diagnostics:#?}",
            journal.goals, journal.assignments, journal.loose_milestones
        )
    }

    /// Files whose outlines (front-matter goals and naming fields) stay while their
    /// bodies change: goal notes, dated entries and a note without a date.
    const HEADS: [(&str, &str); 6] = [
        (
            "goals.md",
            "---\ngoals:\n  - title: Learn SQL\n    id: sql\n  - title: Give talks\n    id: talks\n    metric: {target: 5}\n---\n",
        ),
        ("events.md", "---\ngoal: Events\nparent: nowhere\n---\n"),
        ("2026-01-05.md", ""),
        ("2026-01-05-b.md", ""),
        ("journal/2026-02-01.md", ""),
        ("notes/ideas.md", ""),
    ];

    /// Bodies an edit gives a file: every way a file gives a goal something, and ways
    /// linking warns.
    const BODIES: [&str; 9] = [
        "",
        "- [ ] a task #talks\n- [x] done #sql ✅ 2026-01-03\n  - [ ] nested, by parent\n",
        "## Learn SQL\n- [ ] by title\n## TALKS\n- [ ] by id\n## lern-sql\n- [ ] misspelt heading\n",
        "- [ ] by link [[events]]\nSee [[no such note]] and [[goals]] and [[ideas]].\n",
        "- [ ] loose one\n- [ ] loose two\n  - [ ] nested\n",
        "Went well #talks and #events\n- [ ] #talsk misspelt\n",
        "---\nmetrics: {talks: 2, sql: 1, nothing: 3}\ncheckins: {events: {confidence: 4}, evnts: {note: x}}\n---\n",
        "---\ndate: 2025-12-31\nmetrics: {talks: 1}\ncheckins: {talks: {confidence: 7}}\n---\n- [ ] #events later\n",
        "---\ndate: 2026-03-01\n---\n# events\n- [x] done [[events]] ✅ 2026-03-01\n",
    ];

    /// The file `file` of [`HEADS`] with the body `body` of [`BODIES`]; a body with its
    /// own front-matter replaces a goal note's body only (its goals' front-matter stays).
    fn file_with(file: usize, body: usize) -> Document {
        let (path, head) = HEADS[file];
        let body = BODIES[body];
        let text = if head.is_empty() || !body.starts_with("---") {
            format!("{head}{body}")
        } else {
            format!("{head}{}", body.splitn(3, "---\n").nth(2).unwrap_or(""))
        };
        crate::testing::parse(path, text.as_bytes())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
        /// Linking again the files an edit read again gives what linking the whole
        /// journal gives, edit after edit, whatever the other files say.
        #[test]
        fn linking_the_edited_files_again_gives_what_linking_all_gives(
            start in proptest::collection::vec(0..BODIES.len(), HEADS.len()),
            edits in proptest::collection::vec(
                proptest::collection::vec((0..HEADS.len(), 0..BODIES.len()), 1..3),
                1..6,
            ),
            missing_notes in proptest::bool::ANY,
        ) {
            let warnings = Warnings { missing_notes, ..Warnings::default() };
            let mut bodies = start;
            let documents = |bodies: &[usize]| -> Vec<Document> {
                (0..HEADS.len()).map(|file| file_with(file, bodies[file])).collect()
            };
            let (mut journal, mut indexes) = build_with_indexes(documents(&bodies), warnings);
            for edit in edits {
                let mut changed = Vec::new();
                for (file, body) in edit {
                    bodies[file] = body;
                    let document = file_with(file, body);
                    let at = journal.documents.iter().position(|d| d.path == document.path).unwrap();
                    journal.documents[at] = document;
                    changed.push(at);
                }
                changed.sort_unstable();
                changed.dedup();
                indexes = relink_files(&mut journal, indexes, &changed);
                let whole = build(documents(&bodies), warnings);
                proptest::prop_assert_eq!(linked(&journal), linked(&whole));
            }
        }
    }

    fn goal_of(journal: &Journal, file: &str, milestone_text: &str) -> Option<String> {
        let (d, document) = journal
            .documents
            .iter()
            .enumerate()
            .find(|(_, d)| *d.path == *file)?;
        let m = document
            .milestones
            .iter()
            .position(|m| m.text.starts_with(milestone_text))?;
        journal
            .assignments
            .of(d)
            .get(m)
            .map(|g| journal.goals[g].id.clone())
    }

    #[test]
    fn an_entrys_first_line_is_kept_in_place_and_the_others_after_it() {
        let j = journal(&[
            ("g.md", "---\ngoal: G\n---\n"),
            ("2026-01-05.md", "- [ ] one #g\n"),
            ("2026-01-06.md", "- [ ] one #g\n\nand #g\n- [ ] three #g\n"),
        ]);
        let entries = &j.goals[0].entries;
        let lines = |e: &EntryMention| e.lines().map(|l| l.value.to_string()).collect::<Vec<_>>();
        assert_eq!(lines(&entries[0]), ["one #g", "and #g", "three #g"]);
        assert_eq!(entries[0].more_lines.as_ref().unwrap().len(), 2);
        assert_eq!(lines(&entries[1]), ["one #g"]);
        assert!(entries[1].more_lines.is_none());
        assert!(std::mem::size_of::<EntryMention>() <= 48);
    }

    #[test]
    fn each_documents_milestones_have_their_own_goals_in_the_one_list() {
        let j = journal(&[
            ("a.md", "---\ngoal: A\n---\n- [ ] a1\n- [ ] a2 #b\n"),
            ("b.md", "---\ngoal: B\n---\n"),
            ("c.md", "- [ ] loose\n- [ ] c1 #a\n"),
        ]);
        let of = |d: usize| j.assignments.of(d).iter().collect::<Vec<_>>();
        assert_eq!(of(0), [Some(0), Some(1)]);
        assert!(of(1).is_empty());
        assert_eq!(of(2), [None, Some(0)]);
        assert!(j.assignments.get(3).is_none());
        let all: Vec<Option<usize>> = j.assignments.all().collect();
        assert_eq!(all, [Some(0), Some(1), None, Some(0)]);
    }

    fn journal_warning_of_missing_notes(files: &[(&str, &str)]) -> Journal {
        let warnings = Warnings {
            missing_notes: true,
            ..Warnings::default()
        };
        let documents = files
            .iter()
            .map(|(path, text)| crate::testing::parse(path, text.as_bytes()))
            .collect();
        build(documents, warnings)
    }

    fn messages(journal: &Journal) -> Vec<String> {
        journal
            .all_diagnostics()
            .iter()
            .map(|d| d.to_string())
            .collect()
    }

    #[test]
    fn goals_values_and_checkins_know_the_document_of_their_file() {
        let j = journal(&[
            (
                "2026-01-05.md",
                "---\nmetrics: {talks: 2}\ncheckins: {talks: {confidence: 4}}\n---\n",
            ),
            (
                "2026-01-06.md",
                "---\nmetrics: {talks: 3}\ncheckins: {talks: {confidence: 5}}\n---\n",
            ),
            ("g.md", "---\ngoal: Talks\nmetric: {target: 5}\n---\n"),
        ]);
        let path_of = |document: usize| j.documents[document].path.to_string();
        let goal = &j.goals[0];
        assert_eq!(path_of(goal.document), "g.md");
        let values: Vec<(String, String)> = (goal.metric_values.iter())
            .map(|value| (value.file.clone(), path_of(value.document)))
            .collect();
        let checkins: Vec<(String, String)> = (goal.checkins.iter())
            .map(|checkin| (checkin.file.clone(), path_of(checkin.document)))
            .collect();
        let both = |file: &str| (file.to_string(), file.to_string());
        assert_eq!(values, [both("2026-01-05.md"), both("2026-01-06.md")]);
        assert_eq!(checkins, values);
    }

    #[test]
    fn metric_values_are_read_from_dated_entries_for_known_goals_only() {
        let j = journal(&[
            ("g.md", "---\ngoal: Talks\nmetric: {target: 5}\n---\n"),
            ("notes.md", "---\nmetrics: {talks: 1}\n---\n"),
            ("2026-01-05.md", "---\nmetrics: {talks: 2, tlks: 1}\n---\n"),
        ]);
        let values: Vec<f64> = j.goals[0].metric_values.iter().map(|v| v.value).collect();
        assert_eq!(values, [2.0]);
        let m = messages(&j);
        assert!(
            m.iter().any(|m| m.starts_with("notes.md:2:")
                && m.ends_with("warning: metric values are read only from dated entries; add `date:` or a YYYY-MM-DD file name")),
            "{m:?}"
        );
        assert!(
            m.iter().any(|m| m.starts_with("2026-01-05.md:2:")
                && m.ends_with(
                    "warning: metric logged for `tlks`, which names no goal; did you mean `talks`?"
                )),
            "{m:?}"
        );
    }

    #[test]
    fn ids_default_to_the_slug_of_the_title() {
        let j = journal(&[("a.md", "---\ngoal: Learn SQL, properly!\n---\n")]);
        assert_eq!(j.goals[0].id, "learn-sql-properly");
    }

    #[test]
    fn explicit_ids_that_are_not_slugs_are_fixed_with_a_warning() {
        let j = journal(&[("a.md", "---\ngoal: G\nid: My Goal\n---\n")]);
        assert_eq!(j.goals[0].id, "my-goal");
        assert!(messages(&j)[0].contains("not lowercase"));
    }

    #[test]
    fn duplicate_ids_are_an_error_naming_both_and_the_second_is_suffixed() {
        let j = journal(&[
            ("a.md", "---\ngoal: Same\n---\n"),
            (
                "b.md",
                "---\ngoals:\n  - title: Other\n    id: same\n  - title: Third\n    id: same\n---\n",
            ),
        ]);
        let ids: Vec<_> = j.goals.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(ids, ["same", "same-2", "same-3"]);
        let m = messages(&j);
        assert_eq!(m.len(), 2);
        assert!(
            m[0].starts_with("b.md:4:9: error: goal id `same` is already used by `Same` at a.md:2"),
            "{}",
            m[0]
        );
    }

    #[test]
    fn a_tag_that_names_no_goal_is_reported_at_the_tag() {
        let j = journal(&[(
            "a.md",
            "---\ngoal: Public speaking\nid: talks\n---\n- [ ] give a *short* #talk\n\
             - [ ] wrapped\n  over lines #talk\n",
        )]);
        let tags: Vec<String> = messages(&j)
            .into_iter()
            .filter(|m| m.contains("`#talk`"))
            .collect();
        assert_eq!(tags.len(), 2, "{tags:?}");
        assert!(
            tags[0].starts_with("a.md:5:22: warning: tag `#talk`"),
            "{tags:?}"
        );
        assert!(
            tags[1].starts_with("a.md:7:14: warning: tag `#talk`"),
            "{tags:?}"
        );
    }

    #[test]
    fn milestones_by_tag_then_parent_then_section_then_document() {
        let j = journal(&[
            (
                "goals.md",
                "---\ngoals:\n  - title: Learn SQL\n  - title: Public speaking\n    id: talks\n---\n",
            ),
            (
                "sql.md",
                "---\ngoal: Solo\n---\n- [ ] by document\n- [ ] tagged #talks\n  - [ ] child of tagged\n",
            ),
            (
                "2026-01-05.md",
                "# Week\n## Learn SQL\n- [ ] by title\n### Practice\n- [ ] by outer section\n## TALKS\n- [ ] by id #unknown-tag\n## Other\n- [ ] loose\n",
            ),
        ]);
        assert_eq!(
            goal_of(&j, "sql.md", "by document").as_deref(),
            Some("solo")
        );
        assert_eq!(goal_of(&j, "sql.md", "tagged").as_deref(), Some("talks"));
        assert_eq!(
            goal_of(&j, "sql.md", "child of tagged").as_deref(),
            Some("talks")
        );
        assert_eq!(
            goal_of(&j, "2026-01-05.md", "by title").as_deref(),
            Some("learn-sql")
        );
        assert_eq!(
            goal_of(&j, "2026-01-05.md", "by outer section").as_deref(),
            Some("learn-sql")
        );
        assert_eq!(
            goal_of(&j, "2026-01-05.md", "by id").as_deref(),
            Some("talks")
        );
        assert_eq!(goal_of(&j, "2026-01-05.md", "loose"), None);
        let m = messages(&j);
        // Far from every goal id: the vault's own tag, not a misspelt goal.
        assert!(!m.iter().any(|m| m.contains("#unknown-tag")), "{m:?}");
        assert!(
            m.iter().any(|m| m
                .starts_with("2026-01-05.md:9:1: warning: milestone `loose` belongs to no goal")),
            "{m:?}"
        );
    }

    #[test]
    fn wikilinks_to_a_goals_note_assign_like_tags() {
        let j = journal_warning_of_missing_notes(&[
            (
                "Goals/Learn SQL.md",
                "---\ngoal: Learn SQL\n---\n- [ ] see [[Talks]]\n",
            ),
            ("Goals/talks.md", "---\ngoal: Give talks\n---\n"),
            (
                "Daily/2026-01-05.md",
                "- [ ] practice [[learn sql]]\n\
              - [ ] rehearse [[Goals/Talks.md#Plan|the talk]]\n\
              - [ ] tagged wins #give-talks [[Learn SQL]]\n\
              - [ ] [[Daily/2026-01-04]] ![[Missing picture.png]] [[slides.pdf]] [[#Top]]\n\
              - [ ] [[Nowhere]] and [[nowhere]] again\n",
            ),
            (
                "Daily/2026-01-04.md",
                "Mentions [[Give talks]] by title: no such note\n",
            ),
        ]);
        let daily = "Daily/2026-01-05.md";
        assert_eq!(goal_of(&j, daily, "practice").as_deref(), Some("learn-sql"));
        assert_eq!(
            goal_of(&j, daily, "rehearse").as_deref(),
            Some("give-talks")
        );
        assert_eq!(goal_of(&j, daily, "tagged").as_deref(), Some("give-talks"));
        // In a goal's own note, a link is a reference.
        assert_eq!(
            goal_of(&j, "Goals/Learn SQL.md", "see").as_deref(),
            Some("learn-sql")
        );
        let missing: Vec<String> = messages(&j)
            .into_iter()
            .filter(|m| m.contains("names no note"))
            .collect();
        assert_eq!(missing.len(), 2, "{missing:?}");
        assert!(missing[0].starts_with("Daily/2026-01-04.md:1:10: warning: link `[[Give talks]]`"));
        assert!(missing[1].starts_with("Daily/2026-01-05.md:5:7: warning: link `[[Nowhere]]` names no note in the journal; create `Nowhere.md`"));
        let talks = j.goals.iter().find(|g| g.id == "give-talks").unwrap();
        let mentioned: Vec<_> = talks
            .entries
            .iter()
            .map(|e| &*j.documents[e.document()].path)
            .collect();
        assert_eq!(mentioned, [daily]);
    }

    #[test]
    fn links_to_missing_notes_are_fine_by_default() {
        let j = journal(&[("a.md", "---\ngoal: G\n---\n- [ ] plan [[Someday note]]\n")]);
        assert!(messages(&j).is_empty(), "{:?}", messages(&j));
    }

    #[test]
    fn a_journal_without_goals_gets_no_goal_warnings() {
        let j = journal(&[
            (
                "2026-01-05.md",
                "## Pre-requisites\n- [ ] loose #task\n## 2025-06-19\n- [ ] another #to-do\n",
            ),
            ("notes/b.md", "## learn-sqll\n- [ ] one more\n"),
        ]);
        assert!(messages(&j).is_empty(), "{:?}", messages(&j));
        assert!(j.loose_milestones.is_empty());
    }

    #[test]
    fn loose_milestones_are_one_warning_a_file() {
        let files = [
            ("g.md", "---\ngoal: G\n---\n"),
            (
                "2026-01-05.md",
                "- [ ] first\n  - [ ] nested\n- [ ] second #g\n- [ ] third\n",
            ),
            ("2026-01-06.md", "- [ ] alone\n"),
        ];
        let j = journal(&files);
        assert_eq!(
            messages(&j),
            [
                "2026-01-05.md:1:1: warning: 2 milestones belong to no goal, the first `first` \
                 (`check --verbose` lists them); tag them with #<goal-id>, link the goal's note \
                 with [[...]] or put them under a heading named after the goal",
                "2026-01-06.md:1:1: warning: milestone `alone` belongs to no goal; tag it with \
                 #<goal-id>, link the goal's note with [[...]] or put it under a heading named \
                 after the goal",
            ]
        );
        assert_eq!(j.loose_milestones, [(0, 0), (0, 3), (1, 0)]);
        let documents = files
            .iter()
            .map(|(path, text)| crate::testing::parse(path, text.as_bytes()))
            .collect();
        let quiet = Warnings {
            loose_milestones: false,
            ..Warnings::default()
        };
        let j = build(documents, quiet);
        assert!(messages(&j).is_empty(), "{:?}", messages(&j));
        assert!(j.loose_milestones.is_empty());
    }

    #[test]
    fn links_prefer_the_note_in_the_same_folder_then_the_shortest_path() {
        let j = journal(&[
            ("a/Plan.md", "---\ngoal: A plan\n---\n"),
            ("b/c/Plan.md", "---\ngoal: B plan\n---\n"),
            ("b/c/2026-01-01.md", "- [ ] x [[Plan]]\n"),
            ("d/2026-01-01.md", "- [ ] y [[plan]]\n- [ ] z [[c/plan]]\n"),
        ]);
        assert_eq!(
            goal_of(&j, "b/c/2026-01-01.md", "x").as_deref(),
            Some("b-plan")
        );
        assert_eq!(
            goal_of(&j, "d/2026-01-01.md", "y").as_deref(),
            Some("a-plan")
        );
        assert_eq!(
            goal_of(&j, "d/2026-01-01.md", "z").as_deref(),
            Some("b-plan")
        );
    }

    #[test]
    fn a_document_with_two_goals_does_not_claim_untagged_milestones() {
        let j = journal(&[(
            "a.md",
            "---\ngoals:\n  - title: A\n  - title: B\n---\n- [ ] which?\n",
        )]);
        assert_eq!(goal_of(&j, "a.md", "which"), None);
    }

    #[test]
    fn unknown_tags_suggest_the_closest_id() {
        let j = journal(&[("a.md", "---\ngoal: Learn SQL\n---\n- [ ] x #learn-sq\n")]);
        assert!(
            messages(&j)
                .iter()
                .any(|m| m.contains("did you mean `learn-sql`?"))
        );
    }

    #[test]
    fn headings_near_a_goal_id_are_warned_once() {
        let j = journal(&[
            ("g.md", "---\ngoal: Learn SQL\n---\n"),
            (
                "a.md",
                "## learn-sqll\n- [ ] a\n- [ ] b\n## Wins\n- [ ] c\n## pre-requisites\n- [ ] d\n",
            ),
        ]);
        let m = messages(&j);
        let headings: Vec<&String> = m
            .iter()
            .filter(|m| m.contains("looks like a goal id"))
            .collect();
        assert_eq!(headings.len(), 1, "{m:?}");
        assert!(headings[0].ends_with("did you mean `learn-sql`?"), "{m:?}");
    }

    #[test]
    fn parents_link_and_unknown_parents_warn() {
        let j = journal(&[(
            "a.md",
            "---\ngoals:\n  - title: Vision\n  - title: Step\n    parent: vision\n  - title: Lost\n    parent: visoin\n---\n",
        )]);
        assert_eq!(j.goals[1].parent, Some(0));
        assert_eq!(j.goals[0].children, [1]);
        assert_eq!(j.goals[2].parent, None);
        assert!(messages(&j)[0].contains("parent `visoin` names no goal; did you mean `vision`?"));
    }

    #[test]
    fn parent_cycles_are_an_error_and_broken() {
        let j = journal(&[(
            "a.md",
            "---\ngoals:\n  - title: A\n    parent: c\n  - title: B\n    parent: a\n  - title: C\n    parent: b\n  - title: Self\n    parent: self\n---\n",
        )]);
        let m = messages(&j);
        assert_eq!(
            m.iter().filter(|m| m.contains("cycle of parents")).count(),
            2,
            "{m:?}"
        );
        assert!(m.iter().any(|m| m.contains("a -> c -> b -> a")), "{m:?}");
        // Every walk up the tree ends.
        for start in 0..j.goals.len() {
            let mut steps = 0;
            let mut current = j.goals[start].parent;
            while let Some(g) = current {
                steps += 1;
                assert!(steps <= j.goals.len());
                current = j.goals[g].parent;
            }
        }
    }

    #[test]
    fn metrics_are_collected_from_dated_entries_only() {
        let j = journal(&[
            ("g.md", "---\ngoal: Talks\nmetric: {target: 4}\n---\n"),
            ("2026-02-01.md", "---\nmetrics: {talks: 3}\n---\n"),
            ("2026-01-01.md", "---\nmetrics: {talks: 1, nope: 2}\n---\n"),
            ("undated.md", "---\nmetrics: {talks: 9}\n---\n"),
        ]);
        let values: Vec<_> = j.goals[0].metric_values.iter().map(|v| v.value).collect();
        assert_eq!(values, [1.0, 3.0]);
        let m = messages(&j);
        assert!(m.iter().any(|m| m.contains("`nope`, which names no goal")));
        assert!(
            m.iter().any(|m| m.starts_with(
                "undated.md:2:11: warning: metric values are read only from dated entries"
            )),
            "{m:?}"
        );
    }

    /// Entries are found a run of documents at a time on every core: over several runs,
    /// of documents that mention a goal or not, each goal still gets every entry that
    /// mentions it, newest first, with its lines.
    #[test]
    fn entries_of_many_runs_of_documents_reach_their_goals_newest_first() {
        let days: Vec<(String, String)> = (0..3 * DOCUMENTS_A_RUN + 11)
            .map(|n| {
                let (year, day) = (2024 + n / 336, n % 336);
                let path = format!("{year}-{:02}-{:02}.md", day / 28 + 1, day % 28 + 1);
                let text = match n % 3 {
                    0 => format!("day {n} #a\n"),
                    1 => format!("day {n} #a #b\nmore #a\n"),
                    _ => format!("day {n}\n"),
                };
                (path, text)
            })
            .collect();
        let mut files = vec![
            ("a.md", "---\ngoal: A\n---\n"),
            ("b.md", "---\ngoal: B\n---\n"),
        ];
        files.extend(
            days.iter()
                .map(|(path, text)| (path.as_str(), text.as_str())),
        );
        let j = journal(&files);
        let entries = |goal: usize| -> Vec<(String, usize)> {
            (j.goals[goal].entries.iter())
                .map(|entry| {
                    let path = j.documents[entry.document()].path.to_string();
                    (path, entry.lines().count())
                })
                .collect()
        };
        let expected = |lines: &dyn Fn(usize) -> usize| -> Vec<(String, usize)> {
            (days.iter().enumerate().rev())
                .filter(|&(n, _)| lines(n) > 0)
                .map(|(n, (path, _))| (path.clone(), lines(n)))
                .collect()
        };
        assert_eq!(entries(0), expected(&|n| [1, 2, 0][n % 3]));
        assert_eq!(entries(1), expected(&|n| [0, 1, 0][n % 3]));
    }

    #[test]
    fn entries_mentioning_a_goal_newest_first() {
        let j = journal(&[
            ("g.md", "---\ngoal: Talks\n---\n"),
            ("2026-01-01.md", "Prepared slides #talks\n"),
            ("2026-03-01.md", "## Talks\nnotes\n"),
            ("2026-02-01.md", "- [ ] rehearse #talks\n"),
            ("2026-04-01.md", "unrelated\n"),
            ("notes.md", "#talks but undated\n"),
            (
                "2026-01-02.md",
                "---\nmetrics: {talks: 2}\n---\n# Day\n\n- [x] rehearsed #talks\n\n\
                 Went to [[g]]. #talks\nother\n",
            ),
        ]);
        let entries: Vec<(&str, Vec<(u32, &str)>)> = j.goals[0]
            .entries
            .iter()
            .map(|entry| {
                let lines = entry
                    .lines()
                    .map(|line| (line.position.line, line.value.as_str()))
                    .collect();
                (&*j.documents[entry.document()].path, lines)
            })
            .collect();
        assert_eq!(
            entries,
            [
                ("2026-03-01.md", vec![(1, "Talks")]),
                ("2026-02-01.md", vec![(1, "rehearse #talks")]),
                (
                    "2026-01-02.md",
                    vec![
                        (2, "logged 2"),
                        (6, "rehearsed #talks"),
                        (8, "Went to [[g]]. #talks")
                    ]
                ),
                ("2026-01-01.md", vec![(1, "Prepared slides #talks")]),
            ]
        );
    }

    /// Entries are handed to goals newest first whatever order their paths come in,
    /// and those of one day by path.
    #[test]
    fn entries_of_one_day_come_by_path_and_days_in_any_folder_newest_first() {
        let j = journal(&[
            ("g.md", "---\ngoal: Talks\n---\n"),
            ("b/2026-05-01.md", "#talks\n"),
            ("a/2026-05-01.md", "#talks\n"),
            ("a/2026-06-01.md", "#talks\n"),
            ("c/2026-04-01.md", "#talks\n"),
            ("c/2026-07-01.md", "#talks\n"),
        ]);
        let paths: Vec<&str> = j.goals[0]
            .entries
            .iter()
            .map(|entry| &*j.documents[entry.document()].path)
            .collect();
        assert_eq!(
            paths,
            [
                "c/2026-07-01.md",
                "a/2026-06-01.md",
                "a/2026-05-01.md",
                "b/2026-05-01.md",
                "c/2026-04-01.md",
            ]
        );
    }

    /// Milestones' goals are found a run of documents at a time on every core: over
    /// several runs, each milestone still gets its tag's, its parent's or its heading's
    /// goal, and the near misses are worded in file order, one a file.
    #[test]
    fn milestones_of_many_runs_of_documents_get_their_goals_and_warnings_in_file_order() {
        let goals: String = (0..10).map(|k| format!("  - title: Goal {k}\n")).collect();
        let mut files = vec![("goals.md".to_string(), format!("---\ngoals:\n{goals}---\n"))];
        let entries = 3 * DOCUMENTS_A_RUN + 7;
        for i in 0..entries {
            let (own, next) = (i % 10, (i + 1) % 10);
            files.push((
                format!("e{i:04}.md"),
                format!(
                    "## Goal {own}\n- [ ] tagged #goal-{next}\n  - [ ] its child\n- [ ] under the \
                     heading\n- [ ] misspelt #goal-{own}x\n"
                ),
            ));
        }
        let files: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        let journal = journal(&files);
        let goal = |k: usize| {
            journal
                .goals
                .iter()
                .position(|g| g.id == format!("goal-{k}"))
        };
        for i in 0..entries {
            let document = journal
                .documents
                .iter()
                .position(|d| *d.path == *format!("e{i:04}.md"))
                .unwrap();
            let (own, next) = (goal(i % 10), goal((i + 1) % 10));
            let assigned: Vec<Option<usize>> = journal.assignments.of(document).iter().collect();
            assert_eq!(assigned, [next, next, own, own], "e{i:04}.md");
        }
        let misses: Vec<(String, String)> = (journal.diagnostics.iter())
            .filter(|d| d.message.contains("names no goal"))
            .map(|d| (d.file.clone(), d.message.clone()))
            .collect();
        let expected: Vec<(String, String)> = (0..entries)
            .map(|i| {
                let own = i % 10;
                (
                    format!("e{i:04}.md"),
                    format!("tag `#goal-{own}x` names no goal; did you mean `goal-{own}`?"),
                )
            })
            .collect();
        assert_eq!(misses, expected);
    }

    #[test]
    fn hints_stop_when_the_comparison_budget_is_spent() {
        let goals: String = (0..1000)
            .map(|i| format!("  - title: Goal {i}\n"))
            .collect();
        // A typo, names far from every id until the budget is spent (long, so that
        // comparing them is quick), the typo again (remembered) and another typo (past
        // the budget).
        let unknown: String = (0..hints::SUGGESTION_COMPARISONS / 1000)
            .map(|i| format!("- [ ] #a-name-longer-than-any-id-{i}\n"))
            .collect();
        let text = format!(
            "---\ngoals:\n{goals}---\n- [ ] #goal-5x\n{unknown}- [ ] #goal-5x\n- [ ] #goal-6x\n"
        );
        let m = messages(&journal(&[("a.md", &text)]));
        // Past the budget a tag gets no hint, so no warning: only names near an id warn.
        let typos: Vec<&String> = m.iter().filter(|m| m.contains("tag `#goal-")).collect();
        assert_eq!(typos.len(), 2, "{typos:?}");
        assert!(typos[0].ends_with("`#goal-5x` names no goal; did you mean `goal-5`?"));
        assert!(typos[1].ends_with("`#goal-5x` names no goal; did you mean `goal-5`?"));
    }
}
