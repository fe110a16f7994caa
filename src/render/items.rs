//! What the lists' functions read of the items of the list they are handed: the fields of
//! the analysis's own data when the list is one of a goal page's lists ([`GoalList`]) or
//! of a review page's review ([`ReviewList`]), else of template values, as a user's template may hand them any list. Each function
//! is written once, over [`Item`]s, and writes the same text from either.

use minijinja::Value;
use minijinja::value::{ArgType, Serde};

use crate::analyse::outlook::{GoalOutlook, OpenMilestone};
use crate::analyse::review::{
    Attention, DoneMilestone, DueMilestone, GoalEvent, GoalProgress, GoalWins, NoteItem,
};
use crate::analyse::timeline::ProgressPoint;
use crate::analyse::{EntryLine, EntryReport, MilestoneReport};
use crate::dates::Date;
use crate::document::{MilestoneState, Priority};

use super::filters::{push_html_escaped, push_value, write_html};
use super::lazy::{GoalList, ReviewList, picked};
use super::view::LinesInFile;

/// The items of `list`: the analysis's own when it is one of a goal page's lists, else
/// its values.
pub(super) fn items(list: &Value) -> Result<Vec<Item<'_>>, minijinja::Error> {
    if let Some(list) = list.downcast_object_ref::<GoalList>() {
        return Ok(list.items().collect());
    }
    if let Some(list) = list.downcast_object_ref::<ReviewList>() {
        return Ok(list.items().collect());
    }
    Ok(list.try_iter()?.map(Item::Value).collect())
}

/// The items of `list` as a filter taking a list sees them: as [`items`], but only a
/// sequence or an iterable is a list (not text, a map or an undefined value).
pub(super) fn items_of_list(list: &Value) -> Result<Vec<Item<'_>>, minijinja::Error> {
    if let Some(list) = list.downcast_object_ref::<GoalList>() {
        return Ok(list.items().collect());
    }
    let values = Vec::<Value>::from_value(Some(list))?;
    Ok(values.into_iter().map(Item::Value).collect())
}

/// An item of a list handed to a list function.
#[derive(Debug)]
pub(super) enum Item<'a> {
    Milestone(&'a MilestoneReport),
    Entry(&'a EntryReport),
    /// A line of an entry.
    Line(&'a EntryLine),
    Point(&'a ProgressPoint),
    Source(&'a LinesInFile),
    /// A review's goal with its milestones done in the period.
    Wins(&'a GoalWins),
    Done(&'a DoneMilestone),
    Note(&'a NoteItem),
    Progress(&'a GoalProgress),
    Attention(&'a Attention),
    Outlook(&'a GoalOutlook),
    Open(&'a OpenMilestone),
    Event(&'a GoalEvent),
    Due(&'a DueMilestone),
    /// Anything else, as a template hands it.
    Value(Value),
}

impl Item<'_> {
    /// The field `name`, as the item converted to a template value has it: the fields the
    /// lists' functions read are taken from the data as they are, any other is converted.
    pub(super) fn field(&self, name: &str) -> Result<Field<'_>, minijinja::Error> {
        let field = match (self, name) {
            (Item::Value(value), _) => Field::Value(value.get_attr(name)?),
            (Item::Milestone(m), "text") => Field::Text(&m.text),
            (Item::Milestone(m), "markdown") => m.markdown().map_or(Field::UNDEFINED, Field::Text),
            (Item::Milestone(m), "effective_state") => Field::Text(state_name(m.effective_state)),
            (Item::Milestone(m), "depth") => Field::Value(Value::from(m.depth)),
            (Item::Milestone(m), "leaf") => Field::Value(Value::from(m.leaf)),
            (Item::Milestone(m), "due") => date_or_none(m.due),
            (Item::Milestone(m), "done_on") => date_or_none(m.done_on),
            (Item::Milestone(m), "priority") => m
                .tasks()
                .and_then(|tasks| tasks.priority)
                .map_or(Field::UNDEFINED, |priority| {
                    Field::Text(priority_name(priority))
                }),
            (Item::Milestone(m), "priority_rank") => m
                .tasks()
                .and_then(|tasks| tasks.priority_rank)
                .map_or(Field::UNDEFINED, |rank| Field::Value(Value::from(rank))),
            (Item::Milestone(m), "recurrence") => m
                .tasks()
                .and_then(|tasks| tasks.recurrence.as_deref())
                .map_or(Field::UNDEFINED, Field::Text),
            (Item::Milestone(m), "scheduled") => {
                date_or_undefined(m.tasks().and_then(|tasks| tasks.scheduled))
            }
            (Item::Milestone(m), "cancelled_on") => {
                date_or_undefined(m.tasks().and_then(|tasks| tasks.cancelled_on))
            }
            (Item::Entry(entry), "date") => date_or_none(entry.date),
            (Item::Entry(entry), "title") => Field::Text(&entry.title),
            (Item::Entry(entry), "file") => Field::Text(&entry.file),
            (Item::Line(line), "text") => Field::Text(&line.text),
            (Item::Line(line), "line") => Field::Value(Value::from(line.line)),
            (Item::Point(point), "date") => Field::Value(date(point.date)),
            (Item::Point(point), "progress") => Field::Value(Value::from(point.progress)),
            (Item::Source(source), "file") => Field::Text(&source.file),
            (Item::Source(source), "count") => Field::Value(Value::from(source.count)),
            (Item::Source(source), "lines") => Field::Text(&source.lines),
            (Item::Wins(wins), "goal") => Field::Text(&wins.goal),
            (Item::Wins(wins), "title") => Field::Text(&wins.title),
            (Item::Done(m), "text") => Field::Text(&m.text),
            (Item::Done(m), "markdown") => {
                m.markdown.as_deref().map_or(Field::UNDEFINED, Field::Text)
            }
            (Item::Done(m), "done_on") => Field::Value(date(m.done_on)),
            (Item::Note(note), "text") => Field::Text(&note.text),
            (Item::Note(note), "markdown") => note
                .markdown
                .as_deref()
                .map_or(Field::UNDEFINED, Field::Text),
            (Item::Note(note), "date") => Field::Value(date(note.date)),
            (Item::Note(note), "file") => Field::Text(&note.file),
            (Item::Note(note), "entry") => Field::Text(&note.entry),
            (Item::Progress(row), "goal") => Field::Text(&row.goal),
            (Item::Progress(row), "title") => Field::Text(&row.title),
            (Item::Progress(row), "status") => Field::Text(row.status.as_str()),
            (Item::Progress(row), "stalled") => Field::Value(Value::from(row.stalled)),
            (Item::Progress(row), "start") => Field::Value(Value::from(row.start)),
            (Item::Progress(row), "end") => Field::Value(Value::from(row.end)),
            (Item::Progress(row), "change") => Field::Value(Value::from(row.change)),
            (Item::Progress(row), "done") => Field::Value(Value::from(row.done)),
            (Item::Attention(goal), "goal") => Field::Text(&goal.goal),
            (Item::Attention(goal), "title") => Field::Text(&goal.title),
            (Item::Outlook(o), "goal") => Field::Text(&o.goal),
            (Item::Outlook(o), "title") => Field::Text(&o.title),
            (Item::Outlook(o), "due") => date_or_none(o.due),
            (Item::Outlook(o), "forecast") => date_or_none(o.forecast),
            (Item::Outlook(o), "forecast_note") => text_or_none(o.forecast_note.as_deref()),
            (Item::Outlook(o), "pace_per_week") => {
                Field::Value(o.pace_per_week.map_or(Value::from(()), Value::from))
            }
            (Item::Outlook(o), "pace_unit") => text_or_none(o.pace_unit.as_deref()),
            (Item::Open(m), "text") => Field::Text(&m.text),
            (Item::Open(m), "markdown") => {
                m.markdown.as_deref().map_or(Field::UNDEFINED, Field::Text)
            }
            (Item::Open(m), "due") => date_or_none(m.due),
            (Item::Event(event), "goal") => Field::Text(&event.goal),
            (Item::Event(event), "title") => Field::Text(&event.title),
            (Item::Event(event), "date") => date_or_none(event.date),
            (Item::Due(m), "text") => Field::Text(&m.text),
            (Item::Due(m), "markdown") => {
                m.markdown.as_deref().map_or(Field::UNDEFINED, Field::Text)
            }
            (Item::Due(m), "due") => Field::Value(date(m.due)),
            (Item::Due(m), "goal") => text_or_none(m.goal.as_deref()),
            (Item::Due(m), "title") => text_or_none(m.title.as_deref()),
            (item, _) => Field::Value(item.converted_field(name)),
        };
        Ok(field)
    }

    /// The items of the list that is the field `name` (an entry's `lines`, an outlook's
    /// `overdue`, a goal's milestones done, its reasons to need attention); none when it
    /// is `none` or not there.
    pub(super) fn list(&self, name: &str) -> Result<Vec<Item<'_>>, minijinja::Error> {
        match (self, name) {
            (Item::Entry(entry), "lines") => Ok(entry.lines.iter().map(Item::Line).collect()),
            (Item::Outlook(o), "overdue") => Ok(o.overdue.iter().map(Item::Open).collect()),
            (Item::Wins(wins), "milestones") => {
                Ok(wins.milestones.iter().map(Item::Done).collect())
            }
            (Item::Attention(goal), "reasons") => Ok(goal
                .reasons
                .iter()
                .map(|reason| Item::Value(Value::from(reason.as_str())))
                .collect()),
            (Item::Value(value), _) => {
                let list = value.get_attr(name)?;
                if list.is_undefined() || list.is_none() {
                    return Ok(Vec::new());
                }
                Ok(list.try_iter()?.map(Item::Value).collect())
            }
            (item, _) => Ok(item
                .converted_field(name)
                .try_iter()?
                .map(Item::Value)
                .collect()),
        }
    }

    /// The item that is the field `name` (an outlook's `next`), as a template value
    /// when it is none or another kind of field.
    pub(super) fn child(&self, name: &str) -> Result<Item<'_>, minijinja::Error> {
        match (self, name) {
            (Item::Outlook(o), "next") => Ok(o
                .next
                .as_ref()
                .map_or(Item::Value(Value::from(())), Item::Open)),
            _ => Ok(Item::Value(self.field(name)?.into_value())),
        }
    }

    /// Whether `{% if item %}` takes it: the analysis's items are structs, always true.
    pub(super) fn is_true(&self) -> bool {
        match self {
            Item::Value(value) => value.is_true(),
            _ => true,
        }
    }

    /// The field `name` converted to a template value (undefined when there is none).
    fn converted_field(&self, name: &str) -> Value {
        let picked = match self {
            Item::Milestone(m) => picked(*m, name),
            Item::Entry(entry) => picked(*entry, name),
            Item::Line(line) => picked(*line, name),
            Item::Point(point) => picked(*point, name),
            Item::Source(source) => picked(*source, name),
            Item::Wins(wins) => picked(*wins, name),
            Item::Done(m) => picked(*m, name),
            Item::Note(note) => picked(*note, name),
            Item::Progress(row) => picked(*row, name),
            Item::Attention(goal) => picked(*goal, name),
            Item::Outlook(o) => picked(*o, name),
            Item::Open(m) => picked(*m, name),
            Item::Event(event) => picked(*event, name),
            Item::Due(m) => picked(*m, name),
            Item::Value(value) => return value.get_attr(name).unwrap_or_default(),
        };
        picked.map_or(Value::UNDEFINED, |(_, value)| value)
    }

    /// The item as a template value, as the list serialized has it.
    pub(super) fn to_value(&self) -> Value {
        match self {
            Item::Milestone(m) => Value::from(Serde(m)),
            Item::Entry(entry) => Value::from(Serde(entry)),
            Item::Line(line) => Value::from(Serde(line)),
            Item::Point(point) => Value::from(Serde(point)),
            Item::Source(source) => Value::from(Serde(source)),
            Item::Wins(wins) => Value::from(Serde(wins)),
            Item::Done(m) => Value::from(Serde(m)),
            Item::Note(note) => Value::from(Serde(note)),
            Item::Progress(row) => Value::from(Serde(row)),
            Item::Attention(goal) => Value::from(Serde(goal)),
            Item::Outlook(o) => Value::from(Serde(o)),
            Item::Open(m) => Value::from(Serde(m)),
            Item::Event(event) => Value::from(Serde(event)),
            Item::Due(m) => Value::from(Serde(m)),
            Item::Value(value) => value.clone(),
        }
    }
}

/// A field of an item: text of the data, borrowed, or a template value (numbers, dates
/// and `none` convert without allocating).
#[derive(Debug)]
pub(super) enum Field<'a> {
    Text(&'a str),
    Value(Value),
}

impl Field<'_> {
    /// A field that is not there, as an undefined value.
    const UNDEFINED: Field<'static> = Field::Value(Value::UNDEFINED);

    /// Whether `{% if field %}` takes it.
    pub(super) fn is_true(&self) -> bool {
        match self {
            Field::Text(text) => !text.is_empty(),
            Field::Value(value) => value.is_true(),
        }
    }

    /// Whether it is not there (`field is not defined`).
    pub(super) fn is_undefined(&self) -> bool {
        match self {
            Field::Text(_) => false,
            Field::Value(value) => value.is_undefined(),
        }
    }

    /// Its text, if it is text.
    pub(super) fn as_str(&self) -> Option<&str> {
        match self {
            Field::Text(text) => Some(text),
            Field::Value(value) => value.as_str(),
        }
    }

    /// The template value it is, if it is not text of the data.
    pub(super) fn as_value(&self) -> Option<&Value> {
        match self {
            Field::Text(_) => None,
            Field::Value(value) => Some(value),
        }
    }

    /// As a template value.
    pub(super) fn into_value(self) -> Value {
        match self {
            Field::Text(text) => Value::from(text),
            Field::Value(value) => value,
        }
    }

    /// Writes it to `out` as `{{ field }}` prints it in a markdown template.
    pub(super) fn push(&self, out: &mut String) {
        match self {
            Field::Text(text) => out.push_str(text),
            Field::Value(value) => push_value(out, value),
        }
    }

    /// Writes it to `out` as `{{ field }}` prints it in an HTML template: text escaped.
    pub(super) fn write_html(&self, out: &mut String) {
        match self {
            Field::Text(text) => push_html_escaped(out, text),
            Field::Value(value) => write_html(out, value),
        }
    }
}

/// `date` as a template value, as serialized (`YYYY-MM-DD`, short enough to be held
/// without allocating): made from its text, as serde makes it, without going through
/// serde: the lists' functions read a date of most of the rows they write.
fn date(date: Date) -> Value {
    match date.iso_bytes() {
        Some(bytes) => Value::from(std::str::from_utf8(&bytes).expect("ISO dates are ASCII")),
        None => Value::from(Serde(date)),
    }
}

/// An optional date serialized as `none` when absent.
fn date_or_none(day: Option<Date>) -> Field<'static> {
    Field::Value(day.map_or(Value::from(()), date))
}

/// An optional text serialized as `none` when absent.
fn text_or_none(text: Option<&str>) -> Field<'_> {
    text.map_or(Field::Value(Value::from(())), Field::Text)
}

/// An optional date left out when absent.
fn date_or_undefined(day: Option<Date>) -> Field<'static> {
    day.map_or(Field::UNDEFINED, |day| Field::Value(date(day)))
}

/// A milestone's state as serialized.
fn state_name(state: MilestoneState) -> &'static str {
    match state {
        MilestoneState::Open => "open",
        MilestoneState::Done => "done",
        MilestoneState::Cancelled => "cancelled",
    }
}

/// A priority as serialized.
fn priority_name(priority: Priority) -> &'static str {
    match priority {
        Priority::Highest => "highest",
        Priority::High => "high",
        Priority::Medium => "medium",
        Priority::Low => "low",
        Priority::Lowest => "lowest",
    }
}
