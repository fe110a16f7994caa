//! The progress rules: how each milestone of a document counts towards its goal, and the
//! day it was done.

use std::borrow::Cow;
use std::ops::Range;

use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};

use crate::dates::Date;
use std::sync::Arc;

use crate::document::{Document, Fields, Milestone, MilestoneState, Priority};
use crate::git::{Checked, History};
use crate::shared_text::SharedText;

/// Serialized as a struct, its [`TaskReport`]'s keys beside its own (see its `Serialize`).
#[derive(Debug, Clone)]
pub(crate) struct MilestoneReport {
    /// Shared with the document's milestone (see [`shown_by_goal`]).
    pub(crate) text: SharedText,
    /// Its markdown and Tasks metadata, `None` for the many milestones with neither:
    /// read through [`MilestoneReport::markdown`] and [`MilestoneReport::tasks`].
    pub(crate) rare: Option<Box<RareReport>>,
    /// As written.
    pub(crate) state: MilestoneState,
    pub(crate) depth: u32,
    pub(crate) due: Option<Date>,
    pub(crate) done_on: Option<Date>,
    /// Where `done_on` comes from; `None` while the milestone is not done.
    pub(crate) done_on_source: Option<DoneSource>,
    /// Shared with every other milestone and mention of its file (the document's path).
    pub(crate) file: Arc<str>,
    pub(crate) line: u32,
    /// As counted: done when a parent is checked or all its own leaves are done,
    /// cancelled when a parent is cancelled.
    pub(crate) effective_state: MilestoneState,
    /// Counts once towards progress (see [`count_milestones`]).
    pub(crate) leaf: bool,
}

/// What few milestones' reports have (see [`MilestoneReport::rare`]): boxed together,
/// they cost most reports one pointer instead of two (a report for each milestone).
#[derive(Debug, Clone)]
pub(crate) struct RareReport {
    /// See [`MilestoneReport::markdown`].
    markdown: Option<Box<str>>,
    /// See [`MilestoneReport::tasks`].
    tasks: Option<TaskReport>,
}

impl RareReport {
    /// Both boxed, or `None` when neither is there.
    pub(crate) fn of(
        markdown: Option<Box<str>>,
        tasks: Option<TaskReport>,
    ) -> Option<Box<RareReport>> {
        (markdown.is_some() || tasks.is_some()).then(|| Box::new(RareReport { markdown, tasks }))
    }

    /// Its Tasks metadata alone, as a shared report shows it (without the links of its
    /// markdown).
    pub(crate) fn without_markdown(self) -> Option<Box<RareReport>> {
        RareReport::of(None, self.tasks)
    }
}

impl MilestoneReport {
    /// The text as written, when it has markup (see `Milestone::markdown`).
    pub(crate) fn markdown(&self) -> Option<&str> {
        self.rare.as_ref()?.markdown.as_deref()
    }

    /// Obsidian Tasks and Dataview metadata, its keys beside the others in the JSON.
    pub(crate) fn tasks(&self) -> Option<&TaskReport> {
        self.rare.as_ref()?.tasks.as_ref()
    }
}

/// The JSON of `#[serde(flatten)]`, key for key, but as a struct rather than a map: a
/// flattened struct is serialized as a map, which templates see as a sorted map of
/// template values, and every milestone of every goal page and review went through one
/// (inserting, comparing and dropping its keys was 4% of a full build).
impl Serialize for MilestoneReport {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut fields = serializer.serialize_struct("MilestoneReport", 20)?;
        fields.serialize_field("text", &self.text)?;
        optional(&mut fields, "markdown", self.markdown().as_ref())?;
        fields.serialize_field("state", &self.state)?;
        fields.serialize_field("depth", &self.depth)?;
        fields.serialize_field("due", &self.due)?;
        fields.serialize_field("done_on", &self.done_on)?;
        fields.serialize_field("done_on_source", &self.done_on_source)?;
        fields.serialize_field("file", &self.file)?;
        fields.serialize_field("line", &self.line)?;
        fields.serialize_field("effective_state", &self.effective_state)?;
        fields.serialize_field("leaf", &self.leaf)?;
        if let Some(tasks) = self.tasks() {
            optional(&mut fields, "scheduled", tasks.scheduled.as_ref())?;
            optional(&mut fields, "start", tasks.start.as_ref())?;
            optional(&mut fields, "created", tasks.created.as_ref())?;
            optional(&mut fields, "cancelled_on", tasks.cancelled_on.as_ref())?;
            optional(&mut fields, "recurrence", tasks.recurrence.as_ref())?;
            optional(&mut fields, "priority", tasks.priority.as_ref())?;
            optional(&mut fields, "priority_rank", tasks.priority_rank.as_ref())?;
            optional(
                &mut fields,
                "fields",
                Some(&tasks.fields).filter(|fields| !Fields::is_empty(fields)),
            )?;
        }
        fields.end()
    }
}

/// `value` as the field `key` when there is one, else the key left out, as
/// `skip_serializing_if = "Option::is_none"` does.
fn optional<S: SerializeStruct, T: Serialize>(
    fields: &mut S,
    key: &'static str,
    value: Option<&T>,
) -> Result<(), S::Error> {
    match value {
        Some(value) => fields.serialize_field(key, value),
        None => fields.skip_field(key),
    }
}

/// A milestone's Tasks and Dataview metadata in the JSON: each key only when written, so
/// that journals without them keep a JSON of the same size.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TaskReport {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) scheduled: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) start: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) created: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) cancelled_on: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) recurrence: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) priority: Option<Priority>,
    /// [`Priority::rank`], present with `priority`: sorting by it (3 when absent) lists
    /// the most urgent first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) priority_rank: Option<u8>,
    #[serde(skip_serializing_if = "Fields::is_empty")]
    pub(crate) fields: Fields,
}

/// A milestone's text as its goal `id` shows it: without the goal's own `#id` tag among
/// the tags at the start or the end of its text, where the goal's page and reviews
/// already say which goal it is. A tag inside a sentence is one of its words, and a text
/// that is only the tag keeps it. Every report (goal pages, reviews' wins, the index,
/// the JSON, the calendar) shows this text; the lines of entries that mention the goal
/// go through the same [`without_tag`]. A milestone of no goal keeps its text.
/// Shared with the milestone's text unless taking the tag out joins two parts of it.
fn shown_by_goal(text: &SharedText, id: Option<&str>) -> SharedText {
    match id.and_then(|id| tag_taken_out(text, id)) {
        Some(Cow::Borrowed(part)) => text.part(part),
        Some(Cow::Owned(joined)) => SharedText::from(joined),
        None => text.clone(),
    }
}

/// [`shown_by_goal`] of a milestone's markdown.
fn markdown_shown_by_goal(markdown: &str, id: Option<&str>) -> Box<str> {
    match id.and_then(|id| tag_taken_out(markdown, id)) {
        Some(Cow::Owned(joined)) => joined.into_boxed_str(),
        Some(Cow::Borrowed(part)) => Box::from(part),
        None => Box::from(markdown),
    }
}

/// `text` without the tag `#id` (in any case) among its leading or trailing tags, with
/// the space beside it; punctuation after a trailing tag stays (`meetup #talks.` is
/// `meetup.`). Borrowed when nothing is taken out: most texts name no goal by its tag,
/// and every milestone and entry line of every goal comes through here.
pub(super) fn without_tag<'a>(text: &'a str, id: &str) -> Cow<'a, str> {
    tag_taken_out(text, id).unwrap_or_else(|| {
        if text.trim().is_empty() {
            Cow::Borrowed(text)
        } else {
            Cow::Borrowed(text.trim())
        }
    })
}

/// [`without_tag`], `None` when `#id` does not occur in `text`.
fn tag_taken_out<'a>(text: &'a str, id: &str) -> Option<Cow<'a, str>> {
    if let Some(kept) = only_trailing_tag(text, id) {
        return Some(Cow::Borrowed(kept));
    }
    let names_id = text.match_indices('#').any(|(at, _)| {
        text.as_bytes()[at + 1..]
            .get(..id.len())
            .is_some_and(|after| after.eq_ignore_ascii_case(id.as_bytes()))
    });
    names_id.then(|| taking_out_tag(text, id))
}

/// [`taking_out_tag`] of the most common tagged text, a sentence and then its goal's
/// tag (`- [x] joins #learn-sql`): `text` before its only `#`, trimmed. `None` for any
/// other text. Most milestones of entries are written so, and going over every word of
/// each from both ends, as `taking_out_tag` must, was 8% of the instructions of a
/// `build` after an edit.
fn only_trailing_tag<'a>(text: &'a str, id: &str) -> Option<&'a str> {
    let at = text.find('#')?;
    let (before, tag) = (&text[..at], &text[at + 1..]);
    let rest = tag.get(id.len()..)?;
    let only_tag = !id.is_empty()
        && tag.as_bytes()[..id.len()].eq_ignore_ascii_case(id.as_bytes())
        && rest.trim().is_empty()
        && before.ends_with([' ', '\t']);
    let kept = before.trim();
    (only_tag && !kept.is_empty()).then_some(kept)
}

/// [`without_tag`] of a text in which `#id` occurs: a part of `text` when what is kept
/// is in one piece, as when the tag is at one end. Reads only the tags at either end and
/// collects nothing: every tagged milestone and entry line of every goal comes here.
fn taking_out_tag<'a>(text: &'a str, id: &str) -> Cow<'a, str> {
    let is_tag = |word: &str| word.len() > 1 && word.starts_with('#');
    let is_own = |word: &str| {
        word.trim_end_matches(['.', ',', ';', ':', '!', '?'])
            .strip_prefix('#')
            .is_some_and(|tag| tag.eq_ignore_ascii_case(id))
    };
    let offset = |word: &str| word.as_ptr() as usize - text.as_ptr() as usize;
    if text
        .split_whitespace()
        .all(|word| is_tag(word) && is_own(word))
    {
        return Cow::Borrowed(text);
    }
    let mut kept = Kept::Nothing;
    let mut from = 0;
    let mut take_out = |removed: Range<usize>| {
        kept.push(text, from..removed.start.max(from));
        from = from.max(removed.end);
    };
    // A leading tag goes with the space after it, a trailing one with the space before
    // it, so the words around stay as written.
    let mut words = text.split_whitespace().peekable();
    let mut leading_end = 0;
    while let Some(word) = words.next_if(|word| is_tag(word)) {
        let start = offset(word);
        leading_end = start + word.len();
        if is_own(word) {
            take_out(start..words.peek().map_or(text.len(), |&next| offset(next)));
        }
    }
    // A text of tags only has them all leading.
    let trailing_from = text
        .split_whitespace()
        .rev()
        .take_while(|word| is_tag(word))
        .last()
        .map_or(text.len(), offset)
        .max(leading_end);
    let mut previous_end = text[..trailing_from].trim_end().len();
    for word in text[trailing_from..].split_whitespace() {
        let start = offset(word);
        if is_own(word) {
            take_out(previous_end..start + 1 + id.len());
        }
        previous_end = start + word.len();
    }
    kept.push(text, from..text.len());
    match kept {
        Kept::Nothing => Cow::Borrowed(""),
        Kept::Part(part) => Cow::Borrowed(text[part].trim()),
        Kept::Joined(mut joined) => {
            joined.truncate(joined.trim_end().len());
            joined.drain(..joined.len() - joined.trim_start().len());
            Cow::Owned(joined)
        }
    }
}

/// What [`taking_out_tag`] keeps of a text, as it goes: while it is one piece, where
/// that piece is; joined only when a second piece comes after a gap.
enum Kept {
    Nothing,
    Part(Range<usize>),
    Joined(String),
}

impl Kept {
    fn push(&mut self, text: &str, piece: Range<usize>) {
        if piece.is_empty() {
            return;
        }
        match self {
            Kept::Nothing => *self = Kept::Part(piece),
            Kept::Part(part) if part.end == piece.start => part.end = piece.end,
            Kept::Part(part) => {
                let mut joined = String::with_capacity(text.len());
                joined.push_str(&text[part.clone()]);
                joined.push_str(&text[piece]);
                *self = Kept::Joined(joined);
            }
            Kept::Joined(joined) => joined.push_str(&text[piece]),
        }
    }
}

/// Where a done milestone's date comes from, the first that has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum DoneSource {
    /// A `✅ date` or `[done:: date]` marker on the milestone.
    Marker,
    /// The date of the dated entry it is written in.
    Entry,
    /// The first commit in which it appears checked (or today, when not yet committed).
    Git,
    /// No source has a date.
    Unknown,
}

/// The milestones of `document` as reported, counted by the progress rules, each as
/// the goal it belongs to (`goal_id` of its index) shows it.
pub(super) fn milestone_reports<'a>(
    document: &Document,
    goal_id: impl Fn(usize) -> Option<&'a str>,
    history: &History,
    today: Date,
) -> Vec<MilestoneReport> {
    let counted = count_milestones(document, &|m| done_date(document, m, history, today));
    document
        .milestones
        .iter()
        .zip(counted)
        .enumerate()
        .map(|(index, (milestone, counted))| MilestoneReport {
            text: shown_by_goal(&milestone.text, goal_id(index)),
            rare: RareReport::of(
                milestone
                    .markdown()
                    .map(|markdown| markdown_shown_by_goal(markdown, goal_id(index))),
                milestone.task_metadata().map(|tasks| TaskReport {
                    scheduled: tasks.scheduled,
                    start: tasks.start,
                    created: tasks.created,
                    cancelled_on: tasks.cancelled_on,
                    recurrence: tasks.recurrence.clone(),
                    priority: tasks.priority,
                    priority_rank: tasks.priority.map(|p| Priority::rank(Some(p))),
                    fields: tasks.fields.clone(),
                }),
            ),
            state: milestone.state,
            depth: milestone.depth,
            due: milestone.due,
            done_on: counted.done_on,
            done_on_source: counted.source,
            file: Arc::clone(&document.path),
            line: milestone.position.line,
            effective_state: counted.state,
            leaf: counted.is_leaf,
        })
        .collect()
}

/// The done date of a checked milestone, from the first source that has one: its
/// marker, its entry's date, the git history. A milestone checked but not yet committed
/// was done today (see [`History::checked_since_last_commit`]).
fn done_date(
    document: &Document,
    milestone: &Milestone,
    history: &History,
    today: Date,
) -> (Option<Date>, DoneSource) {
    if let Some(date) = milestone.done_marker {
        return (Some(date), DoneSource::Marker);
    }
    if let Some(date) = document.date {
        return (Some(date), DoneSource::Entry);
    }
    match history.checked(&document.path, &milestone.text) {
        Some(Checked::On(date)) => (Some(date), DoneSource::Git),
        Some(Checked::BeforeHistory) => (None, DoneSource::Unknown),
        None if history.checked_since_last_commit(&document.path) => (Some(today), DoneSource::Git),
        None => (None, DoneSource::Unknown),
    }
}

/// How one milestone counts towards progress.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Counted {
    state: MilestoneState,
    /// Counts once towards its goal's total: not cancelled, and no sub-milestone counts.
    is_leaf: bool,
    done_on: Option<Date>,
    /// Set exactly when the milestone counts as done.
    source: Option<DoneSource>,
}

/// Applies the progress rules to a document's milestone tree: leaves count; checking a
/// parent counts every leaf under it as done; cancelling one removes it and everything
/// under it; a parent whose counted leaves are all done shows as done; a parent whose
/// sub-milestones are all cancelled counts as a leaf itself.
/// `dated` gives the done date of a milestone checked as written.
fn count_milestones(
    document: &Document,
    dated: &dyn Fn(&Milestone) -> (Option<Date>, DoneSource),
) -> Vec<Counted> {
    let milestones = &document.milestones;
    // Parents come before their children, so one pass down settles what flows from
    // parents (checked, cancelled) and one pass up what flows from children.
    let mut counted: Vec<Counted> = Vec::with_capacity(milestones.len());
    for milestone in milestones {
        let parent = milestone.parent().map(|p| counted[p as usize]);
        let inherited = parent.map(|p| p.state);
        let state = match (milestone.state, inherited) {
            (MilestoneState::Cancelled, _) | (_, Some(MilestoneState::Cancelled)) => {
                MilestoneState::Cancelled
            }
            (MilestoneState::Done, _) => MilestoneState::Done,
            (_, Some(MilestoneState::Done)) => MilestoneState::Done,
            _ => MilestoneState::Open,
        };
        let (done_on, source) = match state {
            MilestoneState::Done if milestone.state == MilestoneState::Done => {
                let (date, source) = dated(milestone);
                (date, Some(source))
            }
            MilestoneState::Done => parent.map_or((None, None), |p| (p.done_on, p.source)),
            _ => (None, None),
        };
        counted.push(Counted {
            state,
            is_leaf: state != MilestoneState::Cancelled,
            done_on,
            source,
        });
    }
    // Children that count, and whether all of them are done, per parent.
    let mut counting_children = vec![0u32; milestones.len()];
    let mut all_done = vec![true; milestones.len()];
    // The latest done date of the children, and its source.
    let mut latest_done: Vec<Option<(Date, DoneSource)>> = vec![None; milestones.len()];
    let mut unknown_done = vec![false; milestones.len()];
    for index in (0..milestones.len()).rev() {
        let mine = &mut counted[index];
        if counting_children[index] > 0 {
            mine.is_leaf = false;
            if mine.state == MilestoneState::Open && all_done[index] {
                mine.state = MilestoneState::Done;
                (mine.done_on, mine.source) = match latest_done[index] {
                    Some((date, source)) if !unknown_done[index] => (Some(date), Some(source)),
                    _ => (None, Some(DoneSource::Unknown)),
                };
            }
        }
        let mine = *mine;
        if let Some(parent) = milestones[index].parent().map(|p| p as usize)
            && mine.state != MilestoneState::Cancelled
        {
            counting_children[parent] += 1;
            all_done[parent] &= mine.state == MilestoneState::Done;
            unknown_done[parent] |= mine.done_on.is_none();
            if let (Some(date), Some(source)) = (mine.done_on, mine.source)
                && latest_done[parent].is_none_or(|(latest, _)| date > latest)
            {
                latest_done[parent] = Some((date, source));
            }
        }
    }
    counted
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::{GoalReport, Status};
    use crate::testing::{day, one_goal, report};

    proptest::proptest! {
        /// A text the short way takes gets what the whole way gives it: texts made of a
        /// beginning, a space, a tag near the goal's and an end, in every mix of case,
        /// Unicode spaces, punctuation and further tags (and an empty id, which no goal
        /// has, but which the short way must not take for a tag).
        #[test]
        fn a_trailing_tag_is_taken_out_the_short_way_as_the_whole_way_does(
            start in "[a #.é\u{a0}\t-]{0,8}",
            space in "[ \t\u{a0}]{0,2}",
            tag in "(g1|G1|g|g12|g1-x|)",
            end in "[ \t\u{a0}.#a]{0,2}",
            id in "(g1|)",
        ) {
            let text = format!("{start}{space}#{tag}{end}");
            if let Some(kept) = only_trailing_tag(&text, &id) {
                proptest::prop_assert_eq!(kept, taking_out_tag(&text, &id), "{:?}", text);
            }
        }
    }

    #[test]
    fn a_goals_milestones_and_entry_lines_share_the_documents_texts() {
        let files = [
            (
                "sql.md",
                "---\ngoal: Learn SQL\nid: learn-sql\n---\n- [ ] read the book\n",
            ),
            (
                "2026-01-05.md",
                "- [x] first join #learn-sql\n- [ ] ship it #learn-sql. #data\n",
            ),
        ];
        let r = report(&files, "2026-02-01");
        let goal = &r.goals[0];
        let texts =
            |of: &[MilestoneReport]| of.iter().map(|m| m.text.to_string()).collect::<Vec<_>>();
        assert_eq!(
            texts(&goal.milestones),
            ["first join", "ship it. #data", "read the book"]
        );
        let lines = &goal.entries[0].lines;
        assert_eq!(lines[0].text, "first join");
        // Without the tag at its end, the text is a part of the milestone's, as its
        // entry's line is; with two parts joined it is a text of its own.
        assert!(goal.milestones[0].text.shares_whole_with(&lines[0].text));
        assert!(!goal.milestones[1].text.shares_whole_with(&lines[1].text));
        assert_eq!(lines[1].text, goal.milestones[1].text);
        assert!(matches!(
            taking_out_tag("a b #learn-sql", "learn-sql"),
            Cow::Borrowed("a b")
        ));
    }

    /// `MilestoneReport` as it was derived, its Tasks metadata flattened by serde.
    #[derive(Serialize)]
    struct Flattened<'a> {
        text: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        markdown: Option<&'a str>,
        state: MilestoneState,
        depth: u32,
        due: Option<Date>,
        done_on: Option<Date>,
        done_on_source: Option<DoneSource>,
        file: &'a str,
        line: u32,
        effective_state: MilestoneState,
        leaf: bool,
        #[serde(flatten)]
        tasks: Option<&'a TaskReport>,
    }

    #[test]
    fn a_milestone_serializes_as_a_struct_with_its_tasks_keys_flattened() {
        let goal = one_goal(
            "- [ ] write **it** ⏫ 🔁 every week ⏳ 2026-03-01 ➕ 2026-01-01 🛫 2026-01-02 📅 2026-04-01 [owner:: me]\n\
             - [-] dropped ❌ 2026-02-01\n- [x] done ✅ 2026-01-05\n- [ ] plain\n",
        );
        assert!(goal.milestones.iter().any(|m| m.tasks().is_some()));
        assert!(goal.milestones.iter().any(|m| m.tasks().is_none()));
        for m in &goal.milestones {
            let flattened = Flattened {
                text: &m.text,
                markdown: m.markdown(),
                state: m.state,
                depth: m.depth,
                due: m.due,
                done_on: m.done_on,
                done_on_source: m.done_on_source,
                file: &m.file,
                line: m.line,
                effective_state: m.effective_state,
                leaf: m.leaf,
                tasks: m.tasks(),
            };
            let json = serde_json::to_string_pretty(m).unwrap();
            assert_eq!(json, serde_json::to_string_pretty(&flattened).unwrap());
            // A struct to templates: its keys in the JSON's order, not a sorted map's.
            let value = minijinja::Value::from(minijinja::value::Serde(m));
            let keys: Vec<String> = value.try_iter().unwrap().map(|k| k.to_string()).collect();
            let in_json: Vec<String> =
                serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&json)
                    .unwrap()
                    .keys()
                    .cloned()
                    .collect();
            assert_eq!(keys.first().map(String::as_str), Some("text"), "{json}");
            assert_eq!(keys.len(), in_json.len(), "{json}");
        }
    }

    fn counts(goal: &GoalReport) -> (u32, u32) {
        (goal.done, goal.total)
    }

    #[test]
    fn the_goals_own_tag_is_dropped_at_the_start_or_end_of_the_text() {
        let cases = [
            ("Build the dashboard #learn-sql", "Build the dashboard"),
            ("#Learn-SQL build the dashboard", "build the dashboard"),
            ("Build it #learn-sql #urgent", "Build it #urgent"),
            ("#urgent #learn-sql build it", "#urgent build it"),
            (
                "Show the #learn-sql work to Ana",
                "Show the #learn-sql work to Ana",
            ),
            ("Build it #learn-sqlite", "Build it #learn-sqlite"),
            ("Build **it** #learn-sql", "Build **it**"),
            ("#learn-sql", "#learn-sql"),
            ("#data #learn-sql", "#data"),
            ("No tag", "No tag"),
            ("Gave a talk #learn-sql.", "Gave a talk."),
            ("Gave a talk #learn-sql. #data", "Gave a talk. #data"),
            // As long as `#learn-sql`, in bytes, but no tag.
            ("Read ééééé #learn-sql", "Read ééééé"),
            // Nothing to take out: the text as it is, trimmed.
            ("  padded  ", "padded"),
            ("   ", "   "),
            ("#learn-sq and #learn", "#learn-sq and #learn"),
            ("Ünïcode #LEARN-SQL", "Ünïcode"),
            // Leading and trailing at once, in the middle, after punctuation.
            ("#learn-sql #data #learn-sql", "#data"),
            ("a #learn-sql b #learn-sql", "a #learn-sql b"),
            ("#learn-sql, #learn-sql", "#learn-sql, #learn-sql"),
            ("Done #urgent #learn-sql! #data", "Done #urgent! #data"),
            ("\t#learn-sql  two  spaces  #learn-sql\n", "two  spaces"),
            ("Ship #learn-sql #a #learn-sql", "Ship #a"),
            ("Ship\u{a0}#learn-sql", "Ship"),
        ];
        for (text, shown) in cases {
            assert_eq!(without_tag(text, "learn-sql"), shown, "{text}");
            assert_eq!(taking_out_tag(text, "learn-sql"), shown, "{text}");
        }
        // Where the goal shows it, and only there: a loose task keeps its tags.
        let files = [
            ("sql.md", "---\ngoal: Learn SQL\nid: learn-sql\n---\n"),
            (
                "2026-01-05.md",
                "- [x] first **join** #learn-sql\n- [ ] loose #learn-sqlite\n",
            ),
        ];
        let r = report(&files, "2026-02-01");
        let milestone = &r.goals[0].milestones[0];
        assert_eq!(milestone.text, "first join");
        assert_eq!(milestone.markdown(), Some("first **join**"));
        // A report for each milestone: its size is the report's memory. Markdown and Tasks
        // metadata, which few milestones have, are one box.
        assert!(std::mem::size_of::<MilestoneReport>() <= 72);
        assert_eq!(r.loose_tasks[0].text, "loose #learn-sqlite");
    }

    #[test]
    fn leaves_count_once() {
        let goal = one_goal("- [x] a\n- [ ] b\n- [ ] c\n  - [x] c1\n  - [ ] c2\n");
        assert_eq!(counts(&goal), (2, 4));
        assert_eq!(goal.progress, 0.5);
    }

    #[test]
    fn checking_a_parent_counts_its_leaves_done() {
        let goal = one_goal("- [x] parent\n  - [ ] a\n  - [ ] b\n    - [ ] b1\n- [ ] other\n");
        assert_eq!(counts(&goal), (2, 3));
        let states: Vec<_> = goal
            .milestones
            .iter()
            .map(|m| (m.state, m.effective_state))
            .collect();
        assert_eq!(states[1], (MilestoneState::Open, MilestoneState::Done));
    }

    #[test]
    fn cancelled_milestones_and_their_subtrees_do_not_count() {
        let goal =
            one_goal("- [-] dropped\n  - [x] inside\n- [x] a\n- [ ] b\n  - [-] b1\n  - [x] b2\n");
        assert_eq!(counts(&goal), (2, 2));
        assert_eq!(
            goal.milestones[1].effective_state,
            MilestoneState::Cancelled
        );
    }

    #[test]
    fn a_parent_whose_children_are_all_cancelled_counts_itself() {
        let goal = one_goal("- [ ] ship it\n  - [-] approach A\n");
        assert_eq!(counts(&goal), (0, 1));
        let goal = one_goal("- [x] ship it\n  - [-] approach A\n");
        assert_eq!(counts(&goal), (1, 1));
    }

    #[test]
    fn a_parent_whose_leaves_are_all_done_shows_done() {
        let goal = one_goal("- [ ] parent\n  - [x] a ✅ 2026-01-02\n  - [x] b ✅ 2026-01-05\n");
        assert_eq!(counts(&goal), (2, 2));
        assert_eq!(goal.milestones[0].effective_state, MilestoneState::Done);
        assert_eq!(goal.milestones[0].done_on, Some(day("2026-01-05")));
        assert_eq!(goal.status, Status::Done);
    }

    #[test]
    fn done_dates_come_from_markers_then_the_entry_date() {
        let files = [
            ("g.md", "---\ngoal: G\n---\n- [x] undated\n"),
            (
                "2026-02-03.md",
                "- [x] in entry #g\n- [x] marked #g ✅ 2026-02-01\n- [ ] open #g\n",
            ),
        ];
        let goal = Arc::unwrap_or_clone(report(&files, "2026-06-01").goals.remove(0));
        let done_on: Vec<_> = goal
            .milestones
            .iter()
            .map(|m| m.done_on.map(|d| d.to_string()))
            .collect();
        // Documents are read in path order: the entry, then the goal file.
        assert_eq!(
            done_on,
            [
                Some("2026-02-03".into()),
                Some("2026-02-01".into()),
                None,
                None
            ]
        );
    }
}
