//! What the lists' functions read of the items of the list they are handed: the fields of
//! the analysis's own data when the list is one of a goal page's lists ([`GoalList`]),
//! else of template values, as a user's template may hand them any list. Each function
//! is written once, over [`Item`]s, and writes the same text from either.

use minijinja::Value;
use minijinja::value::{ArgType, Serde};

use crate::analyse::timeline::ProgressPoint;
use crate::analyse::{EntryLine, EntryReport, MilestoneReport};
use crate::dates::Date;
use crate::document::{MilestoneState, Priority};

use super::filters::{push_html_escaped, push_value, write_html};
use super::lazy::{GoalList, picked};
use super::view::LinesInFile;

/// The items of `list`: the analysis's own when it is one of a goal page's lists, else
/// its values.
pub(super) fn items(list: &Value) -> Result<Vec<Item<'_>>, minijinja::Error> {
    if let Some(list) = list.downcast_object_ref::<GoalList>() {
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
            (item, _) => Field::Value(item.converted_field(name)),
        };
        Ok(field)
    }

    /// The items of the list that is the field `name` (an entry's `lines`).
    pub(super) fn list(&self, name: &str) -> Result<Vec<Item<'_>>, minijinja::Error> {
        match (self, name) {
            (Item::Entry(entry), "lines") => Ok(entry.lines.iter().map(Item::Line).collect()),
            (Item::Value(value), _) => {
                Ok(value.get_attr(name)?.try_iter()?.map(Item::Value).collect())
            }
            (item, _) => Ok(item
                .converted_field(name)
                .try_iter()?
                .map(Item::Value)
                .collect()),
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
/// without allocating).
fn date(date: Date) -> Value {
    Value::from(Serde(date))
}

/// An optional date serialized as `none` when absent.
fn date_or_none(day: Option<Date>) -> Field<'static> {
    Field::Value(day.map_or(Value::from(()), date))
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
