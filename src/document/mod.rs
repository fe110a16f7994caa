//! Stage 2 of the pipeline: read one file and parse it into a [`Document`].
//!
//! Parsing is a pure function of the path and the bytes, so documents can be parsed in any
//! order, in parallel, or again when a file changes.

mod frontmatter;
mod markdown;
mod metadata;
mod share;
mod text;
mod yaml;

use std::collections::BTreeMap;
use std::num::NonZeroU32;
use std::path::Path;
use std::sync::Arc;

use std::borrow::Cow;

use serde::{Deserialize, Deserializer, Serialize};

use crate::dates::Date;
use crate::diagnostic::{Diagnostic, Position};
use crate::fsread::{self, Refused};
use crate::shared_text::SharedText;
use crate::small_list::SmallList;

pub(crate) use frontmatter::GOAL_FIELDS;
pub(crate) use metadata::wikilink_display;
pub(crate) use share::{Share, plain_text};
pub(crate) use text::LineIndex;

/// How documents are read: choices a journal's configuration may change, and one for
/// reading old versions of files from git's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct ParseOptions {
    /// Logseq's `- TODO text`, `- DONE text`, ... list items are milestones.
    pub(crate) logseq_markers: bool,
    /// The headings that open a wins, feedback or lessons section.
    pub(crate) sections: Sections,
    /// `[name]` and `[text][name]` are links even where the file defines no `name`: an
    /// old version of a file, read for its milestones' texts, may not have the
    /// definitions a later version added (with which its texts lose their brackets).
    pub(crate) undefined_references_are_links: bool,
}

impl Default for ParseOptions {
    fn default() -> ParseOptions {
        ParseOptions {
            logseq_markers: true,
            sections: Sections::default(),
            undefined_references_are_links: false,
        }
    }
}

/// The headings of the sections whose items are wins, feedback, lessons, adjustments and
/// what to learn next, each as compared: [`NoteKind::words`] of the heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Sections {
    pub(crate) wins: Vec<String>,
    pub(crate) feedback: Vec<String>,
    pub(crate) lessons: Vec<String>,
    pub(crate) adjustments: Vec<String>,
    pub(crate) learn_next: Vec<String>,
}

impl Default for Sections {
    fn default() -> Sections {
        let defaults = |kind: NoteKind| -> Vec<String> {
            NoteKind::HEADINGS
                .iter()
                .filter(|(of, _)| *of == kind)
                .flat_map(|(_, names)| names.iter().map(|name| name.to_string()))
                .collect()
        };
        Sections {
            wins: defaults(NoteKind::Win),
            feedback: defaults(NoteKind::Feedback),
            lessons: defaults(NoteKind::Lesson),
            adjustments: defaults(NoteKind::Adjustment),
            learn_next: defaults(NoteKind::LearnNext),
        }
    }
}

impl Sections {
    /// The kind of section a heading opens, if any: case, punctuation and emoji aside
    /// (`## 🎉 Wins!` opens a wins section).
    #[cfg(test)]
    pub(crate) fn kind_of_heading(&self, text: &str) -> Option<NoteKind> {
        self.kind_of_words(&NoteKind::words(text))
    }

    /// The kind of section a heading opens, given its [`NoteKind::words`].
    fn kind_of_words(&self, name: &str) -> Option<NoteKind> {
        [
            (NoteKind::Win, &self.wins),
            (NoteKind::Feedback, &self.feedback),
            (NoteKind::Lesson, &self.lessons),
            (NoteKind::Adjustment, &self.adjustments),
            (NoteKind::LearnNext, &self.learn_next),
        ]
        .into_iter()
        .find(|(_, names)| names.iter().any(|known| known == name))
        .map(|(kind, _)| kind)
    }
}

/// Dataview inline fields: lowercased key (see `metadata::canonical_key`) to the value
/// as written; the first of two fields with the same key wins.
pub(crate) type Fields = BTreeMap<String, String>;

/// A value with the place it was written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Located<T> {
    pub(crate) value: T,
    pub(crate) position: Position,
}

/// One markdown file of the journal, as written.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Document {
    /// Relative to the journal root, with `/` separators. Shared: every report that names
    /// the document holds it.
    #[serde(deserialize_with = "shared_str")]
    pub(crate) path: Arc<str>,
    /// Front-matter `title`, else the first level-1 heading, else the file name. Shared:
    /// every report that names the document holds it. Not in the document's serialized
    /// form: the documents cache holds it among its [`CachedTexts`].
    #[serde(skip)]
    pub(crate) title: Arc<str>,
    /// Front-matter `date`, else a `YYYY-MM-DD` in the file name: a journal entry.
    pub(crate) date: Option<Date>,
    /// Goals, metrics, check-ins and sharing its front-matter declares; `None` for the
    /// many files that declare none of them, which cost a pointer for it (72 bytes less
    /// a document). Read through [`Document::goals`] and the like.
    pub(crate) declared: Option<Box<Declared>>,
    /// In document order; children come after their parent.
    pub(crate) milestones: Box<[Milestone]>,
    pub(crate) headings: Box<[Heading]>,
    /// Every `#tag` in the body's text, lowercased.
    /// Each shared with the milestone whose text holds it.
    #[serde(deserialize_with = "shared_located_tags")]
    pub(crate) tags: Box<[LocatedTag]>,
    /// The items of `## Wins`, `## Feedback` and `## Lessons` sections.
    pub(crate) notes: Box<[Note]>,
    /// Its Dataview fields, links and diagnostics, `None` for the many documents with
    /// none of them, which cost a pointer for them (48 bytes less a document): read
    /// through [`Document::fields`], [`Document::links`] and [`Document::diagnostics`],
    /// set through [`Document::set_rare`] (visible for `..Document::default()` alone).
    pub(crate) rare: Option<Box<RareDocument>>,
    /// In a dated entry, each line that holds a `#tag` or a `[[wikilink]]` and is not
    /// the text of the milestone on it (once a line, in file order; see
    /// [`reference_lines`]): a goal page shows an entry by the lines that mention the
    /// goal. Most tagged lines of entries are a milestone's (`- [ ] text #goal`), and are
    /// not kept here at all, which saves most entries the list. Read through
    /// [`Document::reference_line`].
    pub(crate) reference_lines: Box<[ReferenceLine]>,
}

/// What few documents have (see [`Document::rare`]).
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct RareDocument {
    /// See [`Document::fields`].
    fields: Fields,
    /// See [`Document::links`].
    links: Box<[Located<String>]>,
    /// See [`Document::diagnostics`].
    diagnostics: Box<[Diagnostic]>,
}

/// What a document's front-matter declares beyond its title and date (see
/// [`Document::declared`]).
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Declared {
    pub(crate) goals: Box<[GoalDecl]>,
    pub(crate) metrics: Box<[MetricLog]>,
    /// Front-matter `checkins:`: how confident the writer was about goals that day.
    pub(crate) checkins: Box<[CheckinDecl]>,
    /// Front-matter `share:`: who may see the whole file (docs/SHARING.md).
    pub(crate) share: Option<Share>,
}

impl Declared {
    /// `None` when it declares nothing.
    pub(crate) fn boxed(self) -> Option<Box<Declared>> {
        let nothing = self.goals.is_empty()
            && self.metrics.is_empty()
            && self.checkins.is_empty()
            && self.share.is_none();
        (!nothing).then(|| Box::new(self))
    }
}

/// Where the document of `path` is in `documents`, sorted by path (as a journal's are).
pub(crate) fn position(documents: &[Document], path: &str) -> Result<usize, usize> {
    documents.binary_search_by(|document| (*document.path).cmp(path))
}

impl Document {
    /// Dataview inline fields anywhere in the body (milestones' own included).
    pub(crate) fn fields(&self) -> &Fields {
        static NONE: Fields = BTreeMap::new();
        self.rare.as_ref().map_or(&NONE, |rare| &rare.fields)
    }

    /// `[[wikilink]]` targets in the body's text, as written (embeds not included).
    pub(crate) fn links(&self) -> &[Located<String>] {
        self.rare.as_ref().map_or(&[], |rare| &rare.links)
    }

    /// What is wrong in the file, in file order.
    pub(crate) fn diagnostics(&self) -> &[Diagnostic] {
        self.rare.as_ref().map_or(&[], |rare| &rare.diagnostics)
    }

    /// Sets its fields, links and diagnostics, boxed only when it has any of them.
    pub(crate) fn set_rare(
        &mut self,
        fields: Fields,
        links: Box<[Located<String>]>,
        diagnostics: Box<[Diagnostic]>,
    ) {
        let none = fields.is_empty() && links.is_empty() && diagnostics.is_empty();
        self.rare = (!none).then(|| {
            Box::new(RareDocument {
                fields,
                links,
                diagnostics,
            })
        });
    }

    /// Its fields, to add to (boxed when it had none of the rare parts).
    pub(crate) fn fields_mut(&mut self) -> &mut Fields {
        &mut self.rare.get_or_insert_default().fields
    }

    /// Sets its links, its fields and diagnostics as they are.
    fn set_links(&mut self, links: Box<[Located<String>]>) {
        let (fields, diagnostics) = match self.rare.take() {
            Some(rare) => (rare.fields, rare.diagnostics),
            None => (Fields::new(), Box::default()),
        };
        self.set_rare(fields, links, diagnostics);
    }

    /// Takes its diagnostics away (for tests that read them apart).
    #[cfg(test)]
    pub(crate) fn take_diagnostics(&mut self) -> Box<[Diagnostic]> {
        let taken = self
            .rare
            .as_mut()
            .map(|rare| std::mem::take(&mut rare.diagnostics))
            .unwrap_or_default();
        self.set_diagnostics(Box::default());
        taken
    }

    /// Sets its diagnostics, its fields and links as they are.
    pub(crate) fn set_diagnostics(&mut self, diagnostics: Box<[Diagnostic]>) {
        let (fields, links) = match self.rare.take() {
            Some(rare) => (rare.fields, rare.links),
            None => (Fields::new(), Box::default()),
        };
        self.set_rare(fields, links, diagnostics);
    }

    /// The goals its front-matter declares.
    pub(crate) fn goals(&self) -> &[GoalDecl] {
        self.declared
            .as_ref()
            .map_or(&[], |declared| &declared.goals)
    }

    /// The values its front-matter's `metrics:` logs.
    pub(crate) fn metrics(&self) -> &[MetricLog] {
        self.declared
            .as_ref()
            .map_or(&[], |declared| &declared.metrics)
    }

    /// Its front-matter's `checkins:`.
    pub(crate) fn checkins(&self) -> &[CheckinDecl] {
        self.declared
            .as_ref()
            .map_or(&[], |declared| &declared.checkins)
    }

    /// Its front-matter's `share:`.
    pub(crate) fn share(&self) -> Option<&Share> {
        self.declared.as_ref()?.share.as_ref()
    }

    /// Whether its indexes point where the parser points them: a parent before its child,
    /// a section among the headings. A document from the cache in the output folder, which
    /// travels with the journal, is used only when it is.
    pub(crate) fn is_consistent(&self) -> bool {
        let before =
            |parent: Option<u32>, index: usize| parent.is_none_or(|p| (p as usize) < index);
        self.milestones
            .iter()
            .enumerate()
            .all(|(index, milestone)| {
                before(milestone.parent(), index)
                    && milestone
                        .section()
                        .is_none_or(|s| (s as usize) < self.headings.len())
            })
            && self
                .headings
                .iter()
                .enumerate()
                .all(|(index, heading)| before(heading.parent(), index))
    }

    /// The text of `line`, a line that holds a `#tag` or a `[[wikilink]]` (see
    /// [`Document::reference_lines`]): as kept, else the text of the milestone on it.
    /// `None` when neither is there (a line with neither, which no caller asks for).
    pub(crate) fn reference_line(&self, line: u32) -> Option<&SharedText> {
        match self
            .reference_lines
            .binary_search_by_key(&line, |found| found.line)
        {
            Ok(at) => Some(&self.reference_lines[at].text),
            Err(_) => self.milestone_on(line).map(|milestone| &milestone.text),
        }
    }

    /// The first milestone reported on `line`.
    fn milestone_on(&self, line: u32) -> Option<&Milestone> {
        self.milestones
            .iter()
            .find(|milestone| milestone.position.line == line)
    }

    /// Where `#tag`, one of `milestone`'s tags, is written: the first such tag at or after
    /// the milestone (its own text comes before its children's). Tags are in file order,
    /// so the search starts at the milestone: a file of many tagged milestones costs no
    /// more than its tags.
    pub(crate) fn tag_position(&self, milestone: &Milestone, tag: &str) -> Position {
        let first = self
            .tags
            .partition_point(|found| found.position < milestone.position);
        self.tags[first..]
            .iter()
            .find(|found| *found.value == *tag)
            .map_or(milestone.position, |found| found.position)
    }
}

/// A line of an entry with a `#tag` or a `[[wikilink]]`, as a person reads it (see
/// [`reference_lines`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ReferenceLine {
    pub(crate) line: u32,
    /// Never the text of the milestone on the line: that one is not kept twice.
    text: SharedText,
}

/// A goal as declared in front-matter, before ids are resolved across the journal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct GoalDecl {
    pub(crate) title: String,
    /// Where the goal is declared (its `goal:` key or its item in `goals:`).
    pub(crate) position: Position,
    pub(crate) id: Option<Located<String>>,
    pub(crate) due: Option<Date>,
    /// Declared, else the date of the entry that declares it.
    pub(crate) start: Option<Date>,
    pub(crate) area: Option<String>,
    pub(crate) why: Option<String>,
    pub(crate) horizon: Option<Horizon>,
    pub(crate) parent: Option<Located<String>>,
    pub(crate) status: GoalStatus,
    pub(crate) tags: Vec<String>,
    pub(crate) metric: Option<Metric>,
    /// A rate goal: so many occurrences per period.
    pub(crate) cadence: Option<Cadence>,
    /// Stretches when a cadence goal expects nothing, oldest first.
    pub(crate) pauses: Vec<Pause>,
    /// Who it is shared with; `None` when it does not say (a child goal then follows its
    /// parent).
    pub(crate) share: Option<Share>,
}

impl GoalDecl {
    fn new(title: &str, position: Position) -> GoalDecl {
        GoalDecl {
            title: title.to_string(),
            position,
            id: None,
            due: None,
            start: None,
            area: None,
            why: None,
            horizon: None,
            parent: None,
            status: GoalStatus::Active,
            tags: Vec::new(),
            metric: None,
            cadence: None,
            pauses: Vec::new(),
            share: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Horizon {
    Short,
    Long,
}

/// The status a goal's front-matter declares (default `active`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum GoalStatus {
    #[default]
    Active,
    Paused,
    Done,
    Dropped,
}

/// A measurable goal: progress runs from `baseline` to `target` (which may be lower, for
/// goals that reduce something).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Metric {
    pub(crate) unit: Option<String>,
    pub(crate) target: Option<f64>,
    pub(crate) baseline: f64,
}

/// `cadence: {count: 2, per: quarter}`: a goal met by doing something `count` times in
/// every period, rather than by finishing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Cadence {
    /// 1 or more.
    pub(crate) count: u32,
    pub(crate) per: Per,
    /// Default: the goal's start.
    pub(crate) start: Option<Date>,
    /// The last day it applies (`until:` or `due:`); default: the goal's `due`.
    pub(crate) until: Option<Date>,
}

/// The period of a cadence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Per {
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

impl Per {
    /// The period's name as `per:` writes it (`quarter`).
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Per::Day => "day",
            Per::Week => "week",
            Per::Month => "month",
            Per::Quarter => "quarter",
            Per::Year => "year",
        }
    }
}

/// `pauses: [{from: D, to: D}]`: days, both ends included, when a cadence expects nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Pause {
    pub(crate) from: Date,
    pub(crate) to: Date,
}

/// One goal's item of an entry's `checkins:`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct CheckinDecl {
    /// The goal id, lowercased.
    pub(crate) goal: String,
    /// 0 to 10, when given and in range.
    pub(crate) confidence: Option<u8>,
    pub(crate) note: Option<String>,
    pub(crate) position: Position,
}

/// A value logged for a measurable goal in an entry's `metrics:`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct MetricLog {
    /// The goal id, lowercased.
    pub(crate) goal: String,
    pub(crate) value: f64,
    pub(crate) position: Position,
}

/// An Obsidian Tasks priority, most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Priority {
    Highest,
    High,
    Medium,
    Low,
    Lowest,
}

impl Priority {
    /// The place of a priority in Tasks' order, from 0 (highest) to 5 (lowest), where a
    /// milestone without one is 3: between medium and low, as Tasks sorts it.
    pub(crate) fn rank(priority: Option<Priority>) -> u8 {
        match priority {
            Some(Priority::Highest) => 0,
            Some(Priority::High) => 1,
            Some(Priority::Medium) => 2,
            None => 3,
            Some(Priority::Low) => 4,
            Some(Priority::Lowest) => 5,
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<Priority> {
        Some(match name.to_ascii_lowercase().as_str() {
            "highest" => Priority::Highest,
            "high" => Priority::High,
            "medium" => Priority::Medium,
            "low" => Priority::Low,
            "lowest" => Priority::Lowest,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum MilestoneState {
    Open,
    Done,
    Cancelled,
}

/// A task-list item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Milestone {
    /// Plain text, markdown and date markers removed. Shared with the model and the
    /// reports that show it. Not in the document's serialized form: the documents cache
    /// holds it among the document's [`CachedTexts`].
    #[serde(skip)]
    pub(crate) text: SharedText,
    /// Its markdown, links and Tasks metadata, `None` for the many milestones with none of
    /// them: read through [`Milestone::markdown`], [`Milestone::links`] and
    /// [`Milestone::task_metadata`].
    rare: Option<Box<RareParts>>,
    /// As written in the checkbox.
    pub(crate) state: MilestoneState,
    /// Index of the enclosing milestone in the same document: read through
    /// [`Milestone::parent`] (see [`IndexOf`]).
    parent: IndexOf,
    /// Number of enclosing milestones (0 at the top).
    pub(crate) depth: u32,
    pub(crate) due: Option<Date>,
    /// A `✅ date` or `[done:: date]` marker.
    pub(crate) done_marker: Option<Date>,
    /// The item's bullet.
    pub(crate) position: Position,
    /// The `#tags` in its own text, lowercased (shared with [`Document::tags`]); most
    /// tagged milestones have one, kept in place.
    #[serde(deserialize_with = "shared_tags")]
    pub(crate) tags: SmallList<Arc<str>>,
    /// Index of the innermost heading above it: read through [`Milestone::section`].
    section: IndexOf,
}

/// A `#tag` of a document, lowercased, and where it is written.
pub(crate) type LocatedTag = Located<Arc<str>>;

/// A text as the documents cache holds it, borrowed from its bytes where it can be.
#[derive(Deserialize)]
struct CachedText<'a>(#[serde(borrow)] Cow<'a, str>);

/// A text read from the documents cache into an `Arc<str>` of its own: serde's
/// `Arc<str>` makes a `String` first and copies it, two allocations where this is one.
fn shared_str<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Arc<str>, D::Error> {
    CachedText::deserialize(deserializer).map(|text| Arc::from(&*text.0))
}

/// A milestone's tags read from the documents cache, each shared with the tags of that
/// name the thread read (as the parser shares them), not an allocation of its own.
fn shared_tags<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<SmallList<Arc<str>>, D::Error> {
    let names: Vec<CachedText<'de>> = Vec::deserialize(deserializer)?;
    Ok(names
        .iter()
        .map(|name| markdown::shared_name(&name.0))
        .collect())
}

/// A document's tags read from the documents cache, shared as [`shared_tags`] shares them.
fn shared_located_tags<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Box<[LocatedTag]>, D::Error> {
    let tags: Vec<Located<CachedText<'de>>> = Vec::deserialize(deserializer)?;
    Ok(tags
        .into_iter()
        .map(|tag| Located {
            value: markdown::shared_name(&tag.value.0),
            position: tag.position,
        })
        .collect())
}

/// A document's texts that the parser shares, as the documents cache holds them, to be
/// read back shared again ([`Document::share_cached_texts`]):
/// - its title, `None` when it is the text of its first level-1 heading (most entries'),
///   which the parser shares with it: read back as its own text and then shared, it was
///   an allocation made and freed for most documents;
/// - the texts of its milestones, then of its notes, one after the other, and the length
///   of each in bytes. The parser makes them parts of one shared text (see
///   `markdown::Found::texts`); read back each as a string of its own, they were two
///   allocations each (a `String`, then its copy into an `Arc`), most of the reading's,
///   and a text each to keep (0.5 MB at 10,000 files).
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct CachedTexts<'a> {
    title: Option<&'a str>,
    #[serde(borrow)]
    texts: Cow<'a, str>,
    lengths: Vec<u32>,
}

impl Document {
    /// Its texts the parser shares, for the documents cache.
    pub(crate) fn cached_texts(&self) -> CachedTexts<'_> {
        let texts = || {
            let milestones = self
                .milestones
                .iter()
                .map(|milestone| milestone.text.as_str());
            milestones.chain(self.notes.iter().map(|note| note.text.as_str()))
        };
        // Made at its length: collected, the text grew by doubling, an allocation each.
        let mut joined = String::with_capacity(texts().map(str::len).sum());
        texts().for_each(|text| joined.push_str(text));
        let narrow = |text: &str| u32::try_from(text.len()).expect("a journal text is under 4 GB");
        let first_heading = self.headings.iter().find(|heading| heading.level == 1);
        let title_is_heading = first_heading.is_some_and(|heading| heading.text == self.title);
        CachedTexts {
            title: (!title_is_heading).then_some(&*self.title),
            texts: Cow::Owned(joined),
            lengths: texts().map(narrow).collect(),
        }
    }

    /// Gives it its title, and its milestones and notes their texts, as parts of one
    /// shared text (one allocation a document), all shared as the parser shares them;
    /// `cached` as [`Document::cached_texts`] made them. False when `cached` does not fit
    /// it: a title and no level-1 heading for it, a length for each milestone and note,
    /// each ending on a character's boundary, together the whole text.
    pub(crate) fn share_cached_texts(&mut self, cached: &CachedTexts) -> bool {
        let first_heading = self.headings.iter().find(|heading| heading.level == 1);
        self.title = match (cached.title, first_heading) {
            (Some(title), _) => Arc::from(title),
            (None, Some(heading)) => Arc::clone(&heading.text),
            (None, None) => return false,
        };
        if cached.lengths.len() != self.milestones.len() + self.notes.len() {
            return false;
        }
        if cached.lengths.is_empty() {
            return cached.texts.is_empty();
        }
        let whole = SharedText::from(&*cached.texts);
        let mut lengths = cached.lengths.iter();
        let mut start = 0;
        let mut next = || {
            let end = start + *lengths.next()? as usize;
            let text = whole.get(start..end)?;
            start = end;
            Some(whole.part(text))
        };
        for milestone in &mut self.milestones {
            let Some(text) = next() else { return false };
            milestone.text = text;
        }
        for note in &mut self.notes {
            let Some(text) = next() else { return false };
            note.text = text;
        }
        start == whole.len()
    }
}

/// An index into a document's milestones or headings, or none, in 4 bytes: one more
/// than the index (32 bits, as in a [`Position`]: a document keeps every milestone for
/// as long as it runs). An `Option<u32>` took 8 bytes, twice in each milestone.
type IndexOf = Option<NonZeroU32>;

fn index_of(index: Option<u32>) -> IndexOf {
    index.and_then(|index| NonZeroU32::new(index.checked_add(1)?))
}

fn index_in(index: IndexOf) -> Option<u32> {
    index.map(|index| index.get() - 1)
}

/// What few milestones have (see [`Milestone::rare`]): boxed together, they cost most
/// milestones one pointer instead of 40 bytes.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
struct RareParts {
    /// See [`Milestone::markdown`].
    markdown: Option<Box<str>>,
    /// See [`Milestone::links`].
    links: Box<[String]>,
    /// See [`Milestone::task_metadata`]; boxed again, as most milestones with markdown or
    /// links have none.
    tasks: Option<Box<TaskMetadata>>,
}

impl Milestone {
    /// The text as written (inline markdown, date markers removed), when it is not the
    /// same as `text`: HTML reports render it (see `render::markup`).
    pub(crate) fn markdown(&self) -> Option<&str> {
        self.rare.as_ref()?.markdown.as_deref()
    }

    /// `[[wikilink]]` targets in its own text, as written.
    pub(crate) fn links(&self) -> &[String] {
        self.rare.as_ref().map_or(&[], |rare| &rare.links)
    }

    /// Its Tasks and Dataview metadata, if it has any.
    pub(crate) fn task_metadata(&self) -> Option<&TaskMetadata> {
        self.rare.as_ref()?.tasks.as_deref()
    }

    /// Its Tasks and Dataview metadata, made empty when it has none yet.
    fn task_metadata_mut(&mut self) -> &mut TaskMetadata {
        self.rare
            .get_or_insert_default()
            .tasks
            .get_or_insert_default()
    }

    /// Sets its markdown and links, boxed only when it has either (or Tasks metadata).
    fn set_markdown_and_links(&mut self, markdown: Option<Box<str>>, links: Vec<String>) {
        if self.rare.is_none() && markdown.is_none() && links.is_empty() {
            return;
        }
        let rare = self.rare.get_or_insert_default();
        rare.markdown = markdown;
        rare.links = links.into_boxed_slice();
    }

    /// Index of the enclosing milestone in the same document.
    pub(crate) fn parent(&self) -> Option<u32> {
        index_in(self.parent)
    }

    /// Index of the innermost heading above it.
    pub(crate) fn section(&self) -> Option<u32> {
        index_in(self.section)
    }

    /// Sets [`Milestone::parent`]: for tests that forge a document no parser makes.
    #[cfg(test)]
    pub(crate) fn set_parent(&mut self, parent: Option<u32>) {
        self.parent = index_of(parent);
    }

    /// Its Tasks and Dataview metadata, empty when it has none (for tests: the stages
    /// read only what is there).
    #[cfg(test)]
    pub(crate) fn tasks(&self) -> &TaskMetadata {
        static NONE: TaskMetadata = TaskMetadata {
            scheduled: None,
            start: None,
            created: None,
            cancelled_on: None,
            recurrence: None,
            priority: None,
            fields: BTreeMap::new(),
        };
        self.task_metadata().unwrap_or(&NONE)
    }
}

/// What Obsidian Tasks and Dataview say about a milestone, beyond its due and done dates.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub(crate) struct TaskMetadata {
    /// `⏳` scheduled, `🛫` start, `➕` created, `❌` cancelled (which makes the milestone
    /// cancelled).
    pub(crate) scheduled: Option<Date>,
    pub(crate) start: Option<Date>,
    pub(crate) created: Option<Date>,
    pub(crate) cancelled_on: Option<Date>,
    /// `🔁 every week`, as written.
    pub(crate) recurrence: Option<String>,
    pub(crate) priority: Option<Priority>,
    /// Dataview fields in its own text.
    pub(crate) fields: Fields,
}

/// What a section of an entry collects, by its heading (see [`Sections::kind_of_heading`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum NoteKind {
    Win,
    Feedback,
    Lesson,
    /// What to do differently: the answers a review's "What to adjust" collects.
    Adjustment,
    /// What to learn next: the answers to a review's last prompt.
    LearnNext,
}

impl NoteKind {
    /// Headings people use for each kind, as compared (see [`Sections`]): the default
    /// of `[sections]` in `trailmark.toml`.
    pub(crate) const HEADINGS: [(NoteKind, &[&str]); 5] = [
        (
            NoteKind::Win,
            &[
                "wins",
                "win",
                "achievements",
                "accomplishments",
                "highlights",
                "successes",
                "what went well",
                "celebrate",
                "celebrations",
            ],
        ),
        (
            NoteKind::Feedback,
            &["feedback", "feedback received", "kudos", "praise"],
        ),
        (
            NoteKind::Lesson,
            &[
                "lessons",
                "lesson",
                "lessons learned",
                "lessons learnt",
                "learned",
                "learnt",
                "what i learned",
                "what i learnt",
                "learnings",
                "takeaways",
                "til",
                "today i learned",
            ],
        ),
        (
            NoteKind::Adjustment,
            &[
                "what to adjust",
                "adjust",
                "adjustments",
                "what to change",
                "what i would do differently",
                "do differently",
            ],
        ),
        (
            NoteKind::LearnNext,
            &[
                "what to learn next",
                "learn next",
                "to learn",
                "what i want to learn",
                "what i want to learn next",
            ],
        ),
    ];

    /// A heading as it is compared: its letters and digits, lowercased, as words joined
    /// by single spaces (`## 🎉 What went well!` is `what went well`).
    pub(crate) fn words(text: &str) -> String {
        let mut words = String::with_capacity(text.len());
        NoteKind::write_words(text, &mut words);
        words
    }

    /// [`NoteKind::words`] written into `words` (emptied first): every heading of the
    /// journal is classified, each in a buffer the parser reuses.
    fn write_words(text: &str, words: &mut String) {
        words.clear();
        for word in text.split(|c: char| !c.is_alphanumeric()) {
            if !word.is_empty() {
                if !words.is_empty() {
                    words.push(' ');
                }
                words.push_str(word);
            }
        }
        words.make_ascii_lowercase();
    }
}

/// One item (or paragraph) of a wins, feedback or lessons section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Note {
    pub(crate) kind: NoteKind,
    /// Plain text, like a milestone's; a part of the document's text of its milestones
    /// and notes. Not serialized, as a milestone's.
    #[serde(skip)]
    pub(crate) text: SharedText,
    /// As written, when not the same as `text`, like a milestone's (at its length).
    pub(crate) markdown: Option<Box<str>>,
    pub(crate) position: Position,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Heading {
    /// Shared with the document's title when it is the first level-1 heading.
    #[serde(deserialize_with = "shared_str")]
    pub(crate) text: Arc<str>,
    pub(crate) level: u8,
    pub(crate) position: Position,
    /// Index of the heading whose section contains this one: read through
    /// [`Heading::parent`] (see [`IndexOf`]).
    parent: IndexOf,
    /// Its `{share}` marker, which `text` no longer holds (boxed: few headings have one).
    pub(crate) share: Option<Box<Share>>,
}

impl Heading {
    /// Index of the heading whose section contains this one.
    pub(crate) fn parent(&self) -> Option<u32> {
        index_in(self.parent)
    }
}

/// The bytes of `root/path`, or why they cannot be read: also when the file is over the
/// size limit, or is no longer a regular file (see [`crate::fsread`]).
pub(crate) fn read(root: &Path, path: &str) -> Result<Vec<u8>, String> {
    read_with_metadata(root, path).map(|(bytes, _)| bytes)
}

/// [`read`], with the metadata of the file as it was opened (before it was read).
pub(crate) fn read_with_metadata(
    root: &Path,
    path: &str,
) -> Result<(Vec<u8>, std::fs::Metadata), String> {
    let read = fsread::read_with_metadata(&root.join(path), fsread::MAX_FILE_BYTES);
    read.map_err(|refused| match refused {
        Refused::TooBig { .. } => format!("{refused} for a journal file; it was skipped"),
        _ => refused.to_string(),
    })
}

/// The document of a file that could not be read: no content, and a diagnostic saying why.
pub(crate) fn unreadable(path: Arc<str>, message: String) -> Document {
    let mut document = Document {
        title: file_stem(&path),
        ..Document::default()
    };
    document.set_diagnostics(Box::new([Diagnostic::error(&path, None, message)]));
    document.path = path;
    document
}

/// Parses a document from its bytes.
pub(crate) fn parse(path: &str, bytes: &[u8], options: &ParseOptions) -> Document {
    parse_at(Arc::from(path), bytes, options)
}

/// [`parse`], for a path the caller holds already: the document shares it.
pub(crate) fn parse_at(path: Arc<str>, bytes: &[u8], options: &ParseOptions) -> Document {
    let mut document = Document {
        path: Arc::clone(&path),
        ..Document::default()
    };
    let path: &str = &path;
    let text = match text::decode(bytes) {
        Ok(text) => text,
        Err(message) => {
            document.title = file_stem(path);
            document.set_diagnostics(Box::new([Diagnostic::error(path, None, message)]));
            return document;
        }
    };
    if text.trim().is_empty() {
        // Empty notes are normal in a vault (a link followed, a note planned): no warning.
        document.title = file_stem(path);
        return document;
    }
    let lines = LineIndex::new(text);
    let mut diagnostics = Vec::new();
    let (front, body_start) = match frontmatter::split(text) {
        frontmatter::Split::None => (frontmatter::FrontMatter::default(), 0),
        frontmatter::Split::Block { yaml, body_start } => (
            frontmatter::read(text, yaml, &lines, path, &mut diagnostics),
            body_start,
        ),
        // A warning, not an error: in markdown a first line `---` is also a thematic
        // break, which the file is read as; and none when no `key:` follows it.
        frontmatter::Split::Unclosed => {
            if frontmatter::starts_like_front_matter(text) {
                diagnostics.push(Diagnostic::warning(
                    path,
                    Some(Position::new(1, 1)),
                    "front-matter opened with `---` is never closed; add a `---` line after \
                     it (the file was read as markdown, the `---` as a thematic break)",
                ));
            }
            (frontmatter::FrontMatter::default(), 0)
        }
    };
    markdown::read(
        text,
        body_start,
        &lines,
        options,
        &mut document,
        &mut diagnostics,
    );
    let first_title = document
        .headings
        .iter()
        .find(|h| h.level == 1)
        .map(|h| &h.text);
    document.title = match (front.title.as_deref(), first_title) {
        (Some(title), _) if !title.is_empty() => Arc::from(title),
        (None, Some(heading)) if !heading.is_empty() => Arc::clone(heading),
        _ => file_stem(path),
    };
    document.date = front
        .date
        .or_else(|| Date::find_in_file_name(file_name(path)));
    let mut goals = front.goals.into_boxed_slice();
    for goal in &mut goals {
        goal.start = goal.start.or(document.date);
    }
    document.declared = Declared {
        goals,
        metrics: front.metrics.into_boxed_slice(),
        checkins: front.checkins.into_boxed_slice(),
        share: front.share,
    }
    .boxed();
    if document.date.is_some() {
        document.reference_lines = reference_lines(&document, &lines);
    }
    document.set_diagnostics(diagnostics.into_boxed_slice());
    document
}

/// The lines of `document` that hold a `#tag` or a `[[wikilink]]`, as a person reads
/// them: without their indentation and their quote, list, task or heading markers; but
/// for those that read as the text of the milestone on them.
fn reference_lines(document: &Document, lines: &LineIndex) -> Box<[ReferenceLine]> {
    let mut numbers: Vec<u32> = document
        .tags
        .iter()
        .map(|found| found.position.line)
        .chain(document.links().iter().map(|found| found.position.line))
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    let milestones = MilestonesByLine::of(&document.milestones);
    numbers
        .into_iter()
        .filter_map(|number| {
            let line = lines.line(number)?.trim_end_matches(['\n', '\r']);
            let text = without_markers(line);
            let a_milestone = milestones
                .first_on(number)
                .is_some_and(|milestone| milestone.text == text);
            (!a_milestone).then(|| ReferenceLine {
                line: number,
                text: SharedText::from(text),
            })
        })
        .collect()
}

/// A document's milestones found by line, each search a binary one: a search through all
/// of them for each line with a tag made a file of 100,000 tagged tasks take minutes.
enum MilestonesByLine<'a> {
    /// The milestones, in the order of their lines (as a body lists them).
    InOrder(&'a [Milestone]),
    /// Each line and the index of its milestone, sorted, when the milestones are not.
    Sorted(&'a [Milestone], Vec<(u32, usize)>),
}

impl<'a> MilestonesByLine<'a> {
    fn of(milestones: &'a [Milestone]) -> MilestonesByLine<'a> {
        if milestones.is_sorted_by_key(|milestone| milestone.position.line) {
            return MilestonesByLine::InOrder(milestones);
        }
        let mut lines: Vec<(u32, usize)> = milestones
            .iter()
            .enumerate()
            .map(|(index, milestone)| (milestone.position.line, index))
            .collect();
        lines.sort_unstable();
        MilestonesByLine::Sorted(milestones, lines)
    }

    /// The first milestone on `line`, as [`Document::milestone_on`] finds it.
    fn first_on(&self, line: u32) -> Option<&'a Milestone> {
        match self {
            MilestonesByLine::InOrder(milestones) => {
                let at = milestones.partition_point(|milestone| milestone.position.line < line);
                milestones
                    .get(at)
                    .filter(|milestone| milestone.position.line == line)
            }
            MilestonesByLine::Sorted(milestones, lines) => {
                let at = lines.partition_point(|&(on, _)| on < line);
                let &(on, index) = lines.get(at)?;
                (on == line).then(|| &milestones[index])
            }
        }
    }
}

/// `  - [x] text` and `> ## text` as `text`.
fn without_markers(line: &str) -> &str {
    let mut rest = line.trim();
    loop {
        let before = rest;
        rest = rest.strip_prefix('>').unwrap_or(rest).trim_start();
        for bullet in ["- ", "* ", "+ "] {
            rest = rest.strip_prefix(bullet).unwrap_or(rest);
        }
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 {
            let after = &rest[digits..];
            rest = after
                .strip_prefix(". ")
                .or_else(|| after.strip_prefix(") "))
                .unwrap_or(rest);
        }
        // `[ ] `, `[x] `: a `]` third and a space fourth leave one byte, one character,
        // between the brackets.
        let bytes = rest.as_bytes();
        if bytes.len() >= 4 && bytes[0] == b'[' && bytes[2] == b']' && bytes[3] == b' ' {
            rest = &rest[4..];
        }
        let hashes = rest.bytes().take_while(|&b| b == b'#').count();
        if (1..=6).contains(&hashes) && rest[hashes..].starts_with(' ') {
            rest = &rest[hashes..];
        }
        rest = rest.trim_start();
        if rest == before {
            return rest;
        }
    }
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn file_stem(path: &str) -> Arc<str> {
    let name = file_name(path);
    Arc::from(name.rsplit_once('.').map_or(name, |(stem, _)| stem))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::testing::parse;

    #[test]
    fn the_first_milestone_on_a_line_is_found_whether_milestones_are_in_line_order_or_not() {
        let document = parse("2026-01-05.md", b"- [ ] a\n");
        let on = |line: u32| {
            let mut milestone = document.milestones[0].clone();
            milestone.position.line = line;
            milestone
        };
        for lines in [vec![1, 2, 2, 5, 9], vec![5, 2, 7, 2, 1, 5]] {
            let milestones: Vec<Milestone> = lines.iter().map(|&line| on(line)).collect();
            let by_line = MilestonesByLine::of(&milestones);
            for line in 0..11 {
                let first = milestones.iter().position(|m| m.position.line == line);
                let found = by_line
                    .first_on(line)
                    .map(|found| milestones.iter().position(|m| std::ptr::eq(m, found)));
                assert_eq!(found.flatten(), first, "line {line} of {lines:?}");
            }
        }
    }

    #[test]
    fn only_a_file_that_declares_something_has_room_for_it() {
        let entry = parse(
            "2026-01-05.md",
            b"---\ntitle: Monday\n---\n- [ ] plan #ship\n",
        );
        assert!(entry.declared.is_none());
        assert!(entry.goals().is_empty() && entry.metrics().is_empty());
        assert!(entry.checkins().is_empty() && entry.share().is_none());
        let shared = parse("2026-01-06.md", b"---\nshare: mentor\n---\nDay\n");
        assert!(shared.share().is_some_and(|share| share.includes("mentor")));
        let goal = parse("ship.md", b"---\ngoal: Ship\n---\n");
        assert_eq!(goal.goals()[0].title, "Ship");
    }

    #[test]
    fn documents_read_on_one_thread_share_their_tags() {
        let monday = parse("2026-01-05.md", b"- [ ] plan #Ship\n");
        let tuesday = parse("2026-01-06.md", b"Shipped #ship, then #other\n");
        let (first, second) = (&monday.tags[0].value, &tuesday.tags[0].value);
        assert_eq!((&**first, &**second), ("ship", "ship"));
        assert!(Arc::ptr_eq(first, second));
        assert!(Arc::ptr_eq(first, &monday.milestones[0].tags[0]));
        assert_eq!(&*tuesday.tags[1].value, "other");
    }

    /// `document` written to the documents cache's form and read back.
    fn through_the_cache(document: &Document) -> Document {
        let bytes = postcard::to_allocvec(&(document.cached_texts(), document)).unwrap();
        let (texts, mut read): (CachedTexts, Document) = postcard::from_bytes(&bytes).unwrap();
        assert!(read.share_cached_texts(&texts));
        read
    }

    #[test]
    fn documents_read_from_the_cache_share_their_tags() {
        let written = parse("2026-01-05.md", b"- [ ] plan #ship\n- [ ] more #ship\n");
        let read = through_the_cache(&written);
        let first = &read.tags[0].value;
        assert_eq!(&**first, "ship");
        assert!(Arc::ptr_eq(first, &read.tags[1].value));
        assert!(Arc::ptr_eq(first, &read.milestones[0].tags[0]));
        assert!(Arc::ptr_eq(first, &read.milestones[1].tags[0]));
    }

    #[test]
    fn documents_read_from_the_cache_share_their_titles_with_their_headings() {
        let written = parse("2026-01-05.md", b"# Monday\n\n- [ ] plan #ship\n");
        assert!(Arc::ptr_eq(&written.title, &written.headings[0].text));
        let read = through_the_cache(&written);
        assert_eq!(&*read.title, "Monday");
        assert!(Arc::ptr_eq(&read.title, &read.headings[0].text));
        let titled = b"---\ntitle: Tuesday\n---\n# Monday\n";
        let read = through_the_cache(&parse("2026-01-06.md", titled));
        assert_eq!(
            (&*read.title, &*read.headings[0].text),
            ("Tuesday", "Monday")
        );
    }

    #[test]
    fn documents_read_on_one_thread_share_their_sections_headings() {
        let monday = parse("2026-01-05.md", b"# Monday\n\n## Wins\n\n- shipped\n");
        let tuesday = parse("2026-01-06.md", b"# Tuesday\n\n## Wins\n\n- rested\n");
        let (first, second) = (&monday.headings[1].text, &tuesday.headings[1].text);
        assert_eq!((&**first, &**second), ("Wins", "Wins"));
        assert!(Arc::ptr_eq(first, second));
        assert_eq!(&*monday.title, "Monday");
    }

    #[test]
    fn notes_share_the_text_of_their_documents_milestones() {
        let entry = parse(
            "2026-01-05.md",
            b"- [x] plan #ship\n\n## Wins\n\n- shipped   it\n- *rested*\n",
        );
        assert_eq!(entry.notes[0].text, "shipped it");
        assert_eq!(entry.notes[1].text, "rested");
        assert_eq!(entry.notes[1].markdown.as_deref(), Some("*rested*"));
        for note in &entry.notes {
            assert!(note.text.shares_whole_with(&entry.milestones[0].text));
        }
    }

    #[test]
    fn milestones_and_headings_keep_their_indexes_in_four_bytes() {
        assert_eq!(index_in(index_of(Some(0))), Some(0));
        assert_eq!(index_in(index_of(Some(7))), Some(7));
        assert_eq!(index_in(index_of(None)), None);
        // A document holds hundreds of thousands of these: their size is its memory. A
        // milestone keeps its one tag in place (8 bytes more than a box of tags, but no
        // allocation of 16 bytes and the allocator's overhead of it).
        // Its list of tags is the size of one tag (see `SmallList`).
        assert!(std::mem::size_of::<Milestone>() <= 80);
        assert!(std::mem::size_of::<Note>() <= 56);
        assert!(std::mem::size_of::<Heading>() <= 40);
        // Fields, links and diagnostics, which few documents have, are one box.
        assert!(std::mem::size_of::<Document>() <= 136);
    }

    #[test]
    fn fields_links_and_diagnostics_are_boxed_only_when_there_are_some() {
        let plain = parse("2026-01-02.md", b"# Day\n\n- [ ] a #goal\n");
        assert!(plain.rare.is_none());
        assert!(plain.fields().is_empty() && plain.links().is_empty());
        // Each kept beside the others, whichever the parser sets last.
        let text = b"---\ngoal: [\n---\n# Day\n\n- [ ] a [[Note]] [owner:: sam]\n";
        let rich = parse("2026-01-02.md", text);
        assert_eq!(rich.fields()["owner"], "sam");
        assert_eq!(rich.links()[0].value, "Note");
        assert_eq!(rich.diagnostics().len(), 1, "{:?}", rich.diagnostics());
    }

    #[test]
    fn a_documents_milestones_share_one_text() {
        let text = "- [ ] plan **it** #ship\n  - [x] ask Ana ✅ 2026-01-02\n- [ ]\n- [ ] last\n";
        let document = parse("2026-01-05.md", text.as_bytes());
        let texts: Vec<&str> = document
            .milestones
            .iter()
            .map(|m| m.text.as_str())
            .collect();
        // A child's text ends before its parent's: each is where it belongs all the same.
        assert_eq!(texts, ["plan it #ship", "ask Ana", "", "last"]);
        let first = &document.milestones[0].text;
        assert!(
            document
                .milestones
                .iter()
                .all(|m| m.text.shares_whole_with(first))
        );
    }

    #[test]
    fn an_entry_keeps_the_lines_with_tags_and_links_without_their_markers() {
        let text = "# Week #talks\n\nPlain line.\nWent well. #talks #sql\n\
                    > - [x] Told [[Ana]] about it\n  3. step #sql\n\
                    - [ ] ✨ [[Talks]]\n2026 was [[Talks|good]]\n\
                    - [x] gave the talk #talks\n- [ ]\n  below its box #sql\n";
        let document = parse("2026-01-05.md", text.as_bytes());
        let lines: Vec<(u32, &str)> = (1..=12)
            .filter_map(|line| Some((line, document.reference_line(line)?.as_str())))
            .collect();
        assert_eq!(
            lines,
            [
                (1, "Week #talks"),
                (4, "Went well. #talks #sql"),
                (5, "Told [[Ana]] about it"),
                (6, "step #sql"),
                (7, "✨ [[Talks]]"),
                (8, "2026 was [[Talks|good]]"),
                (9, "gave the talk #talks"),
                (11, "below its box #sql"),
            ]
        );
        // A line that is a milestone's text is that text, not a copy of it, and is not
        // listed: most entries list no line.
        let copies: Vec<u32> = document
            .reference_lines
            .iter()
            .map(|found| found.line)
            .collect();
        assert_eq!(copies, [1, 4, 5, 6, 7, 8]);
        let gave = document.reference_line(9).unwrap();
        assert!(std::ptr::eq(gave, &document.milestones[2].text));
        let tagged = parse("2026-01-05.md", b"- [ ] a #talks\n- [x] b #sql\n");
        assert!(tagged.reference_lines.is_empty());
        // Only entries: an undated note is never listed under a goal.
        assert!(
            parse("notes.md", text.as_bytes())
                .reference_lines
                .is_empty()
        );
    }

    #[test]
    fn front_matter_and_body_positions_are_in_the_file() {
        let doc = parse(
            "goals/sql.md",
            b"---\ngoal: Learn SQL\ndue: 2026-13-01\n---\n# Plan\n- [ ] joins\n",
        );
        assert_eq!(doc.goals().len(), 1);
        assert_eq!(doc.diagnostics().len(), 1);
        assert_eq!(doc.diagnostics()[0].position, Some(Position::new(3, 6)));
        assert_eq!(doc.milestones[0].position, Position::new(6, 1));
        assert_eq!(&*doc.title, "Plan");
    }

    #[test]
    fn a_title_from_a_heading_is_that_heading_not_a_copy() {
        let doc = parse("a.md", b"## Sub\n# Main\n");
        assert_eq!(&*doc.title, "Main");
        assert!(Arc::ptr_eq(&doc.title, &doc.headings[1].text));
    }

    #[test]
    fn bom_and_crlf_are_accepted() {
        let doc = parse(
            "a.md",
            b"\xEF\xBB\xBF---\r\ngoal: G\r\n---\r\n\r\n- [x] done\r\n",
        );
        assert_eq!(*doc.diagnostics(), []);
        assert_eq!(doc.goals()[0].title, "G");
        assert_eq!(doc.milestones[0].position, Position::new(5, 1));
    }

    #[test]
    fn date_comes_from_front_matter_then_file_name() {
        assert_eq!(
            parse("j/2026-03-02.md", b"text").date,
            Date::from_ymd(2026, 3, 2)
        );
        let doc = parse("j/2026-03-02.md", b"---\ndate: 2026-04-01\n---\ntext");
        assert_eq!(doc.date, Date::from_ymd(2026, 4, 1));
        assert_eq!(parse("notes.md", b"text").date, None);
    }

    #[test]
    fn a_goal_starts_on_the_date_of_its_entry_unless_it_says() {
        let start = |path: &str, text: &str| parse(path, text.as_bytes()).goals()[0].start;
        assert_eq!(
            start("2026-01-05.md", "---\ngoal: G\n---\n"),
            Date::from_ymd(2026, 1, 5)
        );
        assert_eq!(
            start("2026-01-05.md", "---\ngoal: G\nstart: 2026-02-01\n---\n"),
            Date::from_ymd(2026, 2, 1)
        );
        assert_eq!(start("b.md", "---\ngoal: H\n---\n"), None);
    }

    #[test]
    fn headings_are_compared_by_their_whole_words_only() {
        assert_eq!(NoteKind::words("## 🎉 What  went—well!"), "what went well");
        assert_eq!(NoteKind::words(" TIL: "), "til");
        assert_eq!(NoteKind::words("🎉 !"), "");
        let sections = Sections::default();
        for (heading, kind) in [
            ("🎉 What  went—well!", Some(NoteKind::Win)),
            ("WINS", Some(NoteKind::Win)),
            ("Lessons learned:", Some(NoteKind::Lesson)),
            // A name must be the whole heading: neither a prefix nor an extension of it.
            ("What went", None),
            ("What went wellness", None),
            ("Wins 2026", None),
            ("Win s", None),
            ("", None),
        ] {
            assert_eq!(sections.kind_of_heading(heading), kind, "{heading}");
        }
    }

    #[test]
    fn title_falls_back_to_the_file_name() {
        assert_eq!(&*parse("dir/my note.md", b"no heading").title, "my note");
        assert_eq!(&*parse("a.md", b"---\ntitle: T\n---\n# H\n").title, "T");
    }

    #[test]
    fn an_unclosed_block_is_a_warning_and_the_file_is_read_as_markdown() {
        let doc = parse("a.md", b"---\ngoal: G\n- [ ] task\n");
        assert_eq!(doc.diagnostics().len(), 1);
        assert_eq!(doc.diagnostics()[0].severity, Severity::Warning);
        assert!(doc.diagnostics()[0].message.contains("never closed"));
        assert!(doc.goals().is_empty());
        assert_eq!(doc.milestones.len(), 1);
        // No `key:` after it: a thematic break, as notes start, without a word.
        for text in [
            &b"---\n- [ ] task\n"[..],
            b"---\n\nSome text: more\n",
            b"---",
        ] {
            let doc = parse("a.md", text);
            assert!(doc.diagnostics().is_empty(), "{text:?}");
        }
    }

    #[test]
    fn undecodable_files_get_one_diagnostic() {
        for bytes in [&b"\xFF\xFEx\x00"[..], b"a\x00b", b"\xC3\x28"] {
            let doc = parse("a.md", bytes);
            assert_eq!(doc.diagnostics().len(), 1, "{bytes:?}");
            assert_eq!(doc.diagnostics()[0].position, None);
        }
    }

    #[test]
    fn empty_files_are_fine() {
        for bytes in [&b""[..], b" \n\n"] {
            let doc = parse("a.md", bytes);
            assert!(doc.diagnostics().is_empty(), "{bytes:?}");
        }
    }

    /// Reads and parses `root/path` as the workspace does.
    fn load(root: &Path, path: &str) -> Document {
        match read(root, path) {
            Ok(bytes) => parse(path, &bytes),
            Err(message) => unreadable(path.into(), message),
        }
    }

    #[test]
    fn files_that_cannot_be_read_become_one_diagnostic() {
        let dir = tempfile::tempdir().unwrap();
        // Listed, then deleted before it was read.
        let doc = load(dir.path(), "gone.md");
        assert_eq!(doc.diagnostics().len(), 1);
        assert!(
            doc.diagnostics()[0]
                .message
                .starts_with("cannot read file: ")
        );
        assert!(doc.milestones.is_empty());
        assert_eq!(&*doc.title, "gone");
        let big = std::fs::File::create(dir.path().join("big.md")).unwrap();
        big.set_len(fsread::MAX_FILE_BYTES + 1).unwrap();
        let doc = load(dir.path(), "big.md");
        assert_eq!(doc.diagnostics().len(), 1);
        assert!(
            doc.diagnostics()[0]
                .message
                .contains("over the 10 MB limit"),
            "{:?}",
            doc.diagnostics()
        );
    }

    /// A file listed by the walk as a regular markdown file and then swapped, before it is
    /// read, for a FIFO (a read would wait for a writer forever), a link to `/dev/zero` (a
    /// read would never end) or a link out of the journal: each is one diagnostic, at once.
    #[cfg(unix)]
    #[test]
    fn a_file_swapped_between_listing_and_reading_is_a_diagnostic_not_a_hang() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(
            outside.path().join("secret.md"),
            "- [ ] private-outside-text\n",
        )
        .unwrap();
        let made = std::process::Command::new("mkfifo")
            .arg(root.join("fifo.md"))
            .status()
            .unwrap();
        assert!(made.success());
        symlink("/dev/zero", root.join("zero.md")).unwrap();
        symlink(outside.path().join("secret.md"), root.join("secret.md")).unwrap();
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for name in ["fifo.md", "zero.md", "secret.md"] {
                let document = load(&root, name);
                sender.send((name, document)).unwrap();
            }
        });
        for expected in ["fifo.md", "zero.md", "secret.md"] {
            // A guard against a hang, not a timing.
            let (name, document) = receiver
                .recv_timeout(std::time::Duration::from_secs(60))
                .unwrap_or_else(|_| panic!("reading {expected} did not return"));
            assert_eq!(name, expected);
            assert_eq!(document.diagnostics().len(), 1, "{name}: {document:#?}");
            let message = &document.diagnostics()[0].message;
            let wanted = match name {
                "fifo.md" => "not a regular file but a named pipe (FIFO)",
                _ => "symlink not followed",
            };
            assert!(message.starts_with(wanted), "{name}: {message}");
            assert!(document.milestones.is_empty());
        }
    }

    #[test]
    fn a_yaml_error_keeps_the_milestones() {
        let doc = parse("a.md", b"---\ngoal: [\n---\n- [ ] still here\n");
        assert_eq!(doc.diagnostics().len(), 1);
        assert_eq!(doc.milestones.len(), 1);
    }
}
