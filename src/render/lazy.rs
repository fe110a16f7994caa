//! Goals as template values converted field by field, when a template reads the field.
//!
//! The index page hands templates every goal of the journal, with all its milestones,
//! entries and burn-up points, so that a user's own template can show any of them. The
//! embedded templates read a few fields of each goal: converting whole goals to template
//! values up front was most of the time an index page took to render (800 goals of a
//! 10,000-file journal: 40 ms per format). A [`LazyGoal`] converts only what is read.
//! A goal page's goal, parent and children are lazy goals too. The goal page's own goal
//! has its milestones, entries and burn-up read whole: they are [`GoalList`]s, which the
//! lists' functions write from the analysis's own data (see [`super::items`]), and whose
//! items are converted only when a template reads them. A review page's review is a
//! [`LazyReview`], and its lists [`ReviewList`]s, read the same ways.

use std::sync::{Arc, Mutex, PoisonError};

use minijinja::value::{Enumerator, Object, ObjectRepr, Serde, Value};
use serde::Serialize;
use serde::ser::{self, Impossible, SerializeStruct};

use crate::analyse::GoalReport;
use crate::analyse::review::Review;

use super::items::Item;
use super::view::LinesInFile;

/// A goal of a shared report, as a template value that reads like the goal serialized.
#[derive(Debug)]
pub(super) struct LazyGoal {
    goal: Arc<GoalReport>,
    /// A goal page's templates read its title, status, progress and milestones several
    /// times each, in each of its two formats.
    read: ReadFields,
}

/// The fields of a lazy object read so far, as converted, so that each is converted once.
#[derive(Debug, Default)]
struct ReadFields(Mutex<Vec<(&'static str, Value)>>);

impl ReadFields {
    /// The field `key` as read before, else as `convert` makes it (with the field's name;
    /// `None` when there is no such field), kept for the next read.
    fn get_or_convert(
        &self,
        key: &str,
        convert: impl FnOnce(&str) -> Option<(&'static str, Value)>,
    ) -> Option<Value> {
        let mut read = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, value)) = read.iter().find(|(name, _)| *name == key) {
            return Some(value.clone());
        }
        let (name, value) = convert(key)?;
        read.push((name, value.clone()));
        Some(value)
    }
}

impl LazyGoal {
    /// `goal` as a template value.
    pub(super) fn value(goal: &Arc<GoalReport>) -> Value {
        Value::from_object(LazyGoal {
            goal: Arc::clone(goal),
            read: ReadFields::default(),
        })
    }
}

impl Object for LazyGoal {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.read
            .get_or_convert(key.as_str()?, |key| match GoalList::of(&self.goal, key) {
                Some((name, list)) => Some((name, Value::from_object(list))),
                None => picked(&*self.goal, key),
            })
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        field_names(&*self.goal)
    }
}

/// A list of a goal page as a template value: a sequence like the list serialized, whose
/// items are converted as a template reads them, and which the lists' functions read as
/// the analysis's own data ([`GoalList::items`]). The goal pages list 21,000 milestones,
/// 15,000 entries and 16,000 burn-up points at 10,000 files: converting them to template
/// values (with the rest of each goal), reading them back field by field and dropping
/// them was 5% of a full build's instructions.
#[derive(Debug)]
pub(super) enum GoalList {
    /// `goal.milestones`.
    Milestones(Arc<GoalReport>),
    /// `goal.entries`.
    Entries(Arc<GoalReport>),
    /// `goal.burn_up`.
    BurnUp(Arc<GoalReport>),
    /// `sources.milestones` or `sources.entries` of a goal page.
    Sources(Vec<LinesInFile>),
}

impl GoalList {
    /// The list that is the field `name` of `goal`, with the field's name, if it is one.
    fn of(goal: &Arc<GoalReport>, name: &str) -> Option<(&'static str, GoalList)> {
        let goal = Arc::clone(goal);
        Some(match name {
            "milestones" => ("milestones", GoalList::Milestones(goal)),
            "entries" => ("entries", GoalList::Entries(goal)),
            "burn_up" => ("burn_up", GoalList::BurnUp(goal)),
            _ => return None,
        })
    }

    /// The number of items.
    fn len(&self) -> usize {
        match self {
            GoalList::Milestones(goal) => goal.milestones.len(),
            GoalList::Entries(goal) => goal.entries.len(),
            GoalList::BurnUp(goal) => goal.burn_up.len(),
            GoalList::Sources(sources) => sources.len(),
        }
    }

    /// The item at `index`.
    fn item(&self, index: usize) -> Option<Item<'_>> {
        Some(match self {
            GoalList::Milestones(goal) => Item::Milestone(goal.milestones.get(index)?),
            GoalList::Entries(goal) => Item::Entry(goal.entries.get(index)?),
            GoalList::BurnUp(goal) => Item::Point(goal.burn_up.get(index)?),
            GoalList::Sources(sources) => Item::Source(sources.get(index)?),
        })
    }

    /// Every item, in order.
    pub(super) fn items(&self) -> impl Iterator<Item = Item<'_>> {
        (0..self.len()).filter_map(|index| self.item(index))
    }
}

impl Object for GoalList {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        Some(self.item(key.as_usize()?)?.to_value())
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.len())
    }
}

/// A review page's review as a template value that reads like the review serialized,
/// converted a field at a time as a template reads it. Its lists are [`ReviewList`]s.
/// A full build's 452 review pages converted their whole reviews, lists the templates
/// never read included (`stalled`, `became_overdue`, `became_at_risk`; `entries`, only
/// counted), and dropped them: a third of the time review pages took.
#[derive(Debug)]
pub(super) struct LazyReview {
    review: Arc<Review>,
    /// The templates read `kind`, `previous` and `next` a dozen times each.
    read: ReadFields,
}

impl LazyReview {
    /// `review` as a template value.
    pub(super) fn value(review: &Arc<Review>) -> Value {
        Value::from_object(LazyReview {
            review: Arc::clone(review),
            read: ReadFields::default(),
        })
    }
}

impl Object for LazyReview {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.read.get_or_convert(key.as_str()?, |key| {
            match ReviewList::of(&self.review, key) {
                Some((name, list)) => Some((name, Value::from_object(list))),
                None => picked(&*self.review, key),
            }
        })
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        field_names(&*self.review)
    }
}

/// A list of a review page's review as a template value: a sequence like the list
/// serialized, whose rows are converted only as a template reads them (the length of
/// `entries` converts none), and which the lists' functions read as the analysis's own
/// rows ([`ReviewList::items`]): converting the rows the reviews' lists show (27,000
/// outlooks, 41,000 milestones done, 16,000 progress rows at 10,000 files), reading
/// them back field by field and dropping them was a seventh of a full build's
/// instructions.
#[derive(Debug)]
pub(super) struct ReviewList {
    review: Arc<Review>,
    list: ReviewListName,
}

/// Which list of a review a [`ReviewList`] is.
#[derive(Debug, Clone, Copy)]
enum ReviewListName {
    Wins,
    WinNotes,
    Feedback,
    Lessons,
    Adjustments,
    LearnNext,
    Progress,
    Unchanged,
    Completed,
    BecameOverdue,
    BecameAtRisk,
    Stalled,
    NeedsAttention,
    Outlook,
    OutlookWithoutNews,
    Metrics,
    Entries,
    DueNext,
    GoalsDueNext,
    Cadences,
    Checkins,
}

impl ReviewList {
    /// The list that is the field `name` of `review`, with the field's name, if it is one.
    fn of(review: &Arc<Review>, name: &str) -> Option<(&'static str, ReviewList)> {
        use ReviewListName as L;
        let (name, list) = match name {
            "wins" => ("wins", L::Wins),
            "win_notes" => ("win_notes", L::WinNotes),
            "feedback" => ("feedback", L::Feedback),
            "lessons" => ("lessons", L::Lessons),
            "adjustments" => ("adjustments", L::Adjustments),
            "learn_next" => ("learn_next", L::LearnNext),
            "progress" => ("progress", L::Progress),
            "unchanged" => ("unchanged", L::Unchanged),
            "completed" => ("completed", L::Completed),
            "became_overdue" => ("became_overdue", L::BecameOverdue),
            "became_at_risk" => ("became_at_risk", L::BecameAtRisk),
            "stalled" => ("stalled", L::Stalled),
            "needs_attention" => ("needs_attention", L::NeedsAttention),
            "outlook" => ("outlook", L::Outlook),
            "outlook_without_news" => ("outlook_without_news", L::OutlookWithoutNews),
            "metrics" => ("metrics", L::Metrics),
            "entries" => ("entries", L::Entries),
            "due_next" => ("due_next", L::DueNext),
            "goals_due_next" => ("goals_due_next", L::GoalsDueNext),
            "cadences" => ("cadences", L::Cadences),
            "checkins" => ("checkins", L::Checkins),
            _ => return None,
        };
        let review = Arc::clone(review);
        Some((name, ReviewList { review, list }))
    }

    /// The number of rows.
    fn len(&self) -> usize {
        use ReviewListName as L;
        let review = &*self.review;
        match self.list {
            L::Wins => review.wins.len(),
            L::WinNotes => review.win_notes.len(),
            L::Feedback => review.feedback.len(),
            L::Lessons => review.lessons.len(),
            L::Adjustments => review.adjustments.len(),
            L::LearnNext => review.learn_next.len(),
            L::Progress => review.progress.len(),
            L::Unchanged => review.unchanged.len(),
            L::Completed => review.completed.len(),
            L::BecameOverdue => review.became_overdue.len(),
            L::BecameAtRisk => review.became_at_risk.len(),
            L::Stalled => review.stalled.len(),
            L::NeedsAttention => review.needs_attention.len(),
            L::Outlook => review.outlook.len(),
            L::OutlookWithoutNews => review.outlook_without_news.len(),
            L::Metrics => review.metrics.len(),
            L::Entries => review.entries.len(),
            L::DueNext => review.due_next.len(),
            L::GoalsDueNext => review.goals_due_next.len(),
            L::Cadences => review.cadences.len(),
            L::Checkins => review.checkins.len(),
        }
    }

    /// The row at `index`: the analysis's own, for the rows the lists' functions read
    /// (see [`super::items`]), else converted.
    fn item(&self, index: usize) -> Option<Item<'_>> {
        use ReviewListName as L;
        fn converted<T: Serialize>(rows: &[T], index: usize) -> Option<Item<'_>> {
            rows.get(index)
                .map(|row| Item::Value(Value::from(Serde(row))))
        }
        let review = &*self.review;
        Some(match self.list {
            L::Wins => Item::Wins(review.wins.get(index)?),
            L::WinNotes => Item::Note(review.win_notes.get(index)?),
            L::Feedback => Item::Note(review.feedback.get(index)?),
            L::Lessons => Item::Note(review.lessons.get(index)?),
            L::Adjustments => Item::Note(review.adjustments.get(index)?),
            L::LearnNext => Item::Note(review.learn_next.get(index)?),
            L::Progress => Item::Progress(review.progress.get(index)?),
            L::Unchanged => Item::Progress(review.unchanged.get(index)?),
            L::Completed => Item::Event(review.completed.get(index)?),
            L::BecameOverdue => Item::Event(review.became_overdue.get(index)?),
            L::BecameAtRisk => Item::Event(review.became_at_risk.get(index)?),
            L::Stalled => Item::Event(review.stalled.get(index)?),
            L::NeedsAttention => Item::Attention(review.needs_attention.get(index)?),
            L::Outlook => Item::Outlook(review.outlook.get(index)?),
            L::OutlookWithoutNews => Item::Outlook(review.outlook_without_news.get(index)?),
            L::Metrics => converted(&review.metrics, index)?,
            L::Entries => converted(&review.entries, index)?,
            L::DueNext => Item::Due(review.due_next.get(index)?),
            L::GoalsDueNext => Item::Event(review.goals_due_next.get(index)?),
            L::Cadences => converted(&review.cadences, index)?,
            L::Checkins => converted(&review.checkins, index)?,
        })
    }

    /// Every row, in order.
    pub(super) fn items(&self) -> impl Iterator<Item = Item<'_>> {
        (0..self.len()).filter_map(|index| self.item(index))
    }
}

impl Object for ReviewList {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        Some(self.item(key.as_usize()?)?.to_value())
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.len())
    }
}

/// The names of the fields of `item` (any struct) serialized.
fn field_names<T: Serialize + ?Sized>(item: &T) -> Enumerator {
    let mut picker = FieldPicker {
        wanted: None,
        found: None,
        names: Vec::new(),
    };
    match item.serialize(&mut picker) {
        Ok(()) => Enumerator::Values(picker.names.into_iter().map(Value::from).collect()),
        Err(_) => Enumerator::Empty,
    }
}

/// The field `name` of `item` (any struct) serialized, with the field's name, converted
/// to a template value; `None` when it has no such field.
pub(super) fn picked<T: Serialize + ?Sized>(item: &T, name: &str) -> Option<(&'static str, Value)> {
    let mut picker = FieldPicker {
        wanted: Some(name),
        found: None,
        names: Vec::new(),
    };
    item.serialize(&mut picker).ok()?;
    picker.found
}

/// A serializer of structs that keeps one field, converted to a template value (or,
/// without a wanted field, the names of the fields serialized).
struct FieldPicker<'k> {
    wanted: Option<&'k str>,
    found: Option<(&'static str, Value)>,
    names: Vec<&'static str>,
}

impl SerializeStruct for &mut FieldPicker<'_> {
    type Ok = ();
    type Error = NotAStruct;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), NotAStruct> {
        match self.wanted {
            Some(wanted) if wanted == key => self.found = Some((key, Value::from(Serde(value)))),
            Some(_) => {}
            None => self.names.push(key),
        }
        Ok(())
    }

    fn end(self) -> Result<(), NotAStruct> {
        Ok(())
    }
}

/// What [`FieldPicker`] says of anything but a struct.
#[derive(Debug)]
struct NotAStruct;

impl std::fmt::Display for NotAStruct {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("only the fields of a struct can be picked")
    }
}

impl std::error::Error for NotAStruct {}

impl ser::Error for NotAStruct {
    fn custom<T: std::fmt::Display>(_: T) -> NotAStruct {
        NotAStruct
    }
}

/// Methods of a serializer for what is not a struct: all fail.
macro_rules! not_a_struct {
    ($($method:ident($($arg:ty),*)),* $(,)?) => {
        $(fn $method(self, $(_: $arg),*) -> Result<(), NotAStruct> {
            Err(NotAStruct)
        })*
    };
}

impl<'p, 'k> ser::Serializer for &'p mut FieldPicker<'k> {
    type Ok = ();
    type Error = NotAStruct;
    type SerializeSeq = Impossible<(), NotAStruct>;
    type SerializeTuple = Impossible<(), NotAStruct>;
    type SerializeTupleStruct = Impossible<(), NotAStruct>;
    type SerializeTupleVariant = Impossible<(), NotAStruct>;
    type SerializeMap = Impossible<(), NotAStruct>;
    type SerializeStruct = &'p mut FieldPicker<'k>;
    type SerializeStructVariant = Impossible<(), NotAStruct>;

    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, NotAStruct> {
        Ok(self)
    }

    not_a_struct!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
        serialize_unit_variant(&'static str, u32, &'static str),
    );

    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<(), NotAStruct> {
        Err(NotAStruct)
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<(), NotAStruct> {
        Err(NotAStruct)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), NotAStruct> {
        Err(NotAStruct)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, NotAStruct> {
        Err(NotAStruct)
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, NotAStruct> {
        Err(NotAStruct)
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, NotAStruct> {
        Err(NotAStruct)
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, NotAStruct> {
        Err(NotAStruct)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, NotAStruct> {
        Err(NotAStruct)
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, NotAStruct> {
        Err(NotAStruct)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::report;

    const GOAL: &str = "---\ngoal: Ship it\nid: ship\narea: work\ndue: 2026-06-30\nstart: 2026-01-01\ntags: [a]\nwhy: because\nmetric: {target: 10, unit: km}\n---\n- [x] plan ✅ 2026-01-05 [owner:: me]\n- [ ] build 📅 2026-03-01\n  - [ ] part\n";

    #[test]
    fn a_lazy_goal_reads_like_the_goal_serialized() {
        let report = Arc::new(report(&[("ship.md", GOAL)], "2026-03-01"));
        let eager = Value::from(Serde(&report.goals[0]));
        let lazy = LazyGoal::value(&report.goals[0]);
        let keys = |value: &Value| -> Vec<String> {
            value.try_iter().unwrap().map(|k| k.to_string()).collect()
        };
        let mut eager_keys = keys(&eager);
        let mut lazy_keys = keys(&lazy);
        eager_keys.sort();
        lazy_keys.sort();
        assert_eq!(lazy_keys, eager_keys);
        assert!(lazy_keys.contains(&"milestones".to_string()));
        for key in &eager_keys {
            assert_eq!(
                lazy.get_attr(key).unwrap(),
                eager.get_attr(key).unwrap(),
                "{key}"
            );
        }
        assert!(lazy.get_attr("no_such_field").unwrap().is_undefined());
        // What templates do with whole goals: serialize them, take their length.
        assert_eq!(
            serde_json::to_value(&lazy).unwrap(),
            serde_json::to_value(&report.goals[0]).unwrap()
        );
        assert_eq!(lazy.len(), Some(eager_keys.len()));
    }

    /// A goal with milestones of every kind (nested, done, cancelled, with a priority,
    /// recurrence, scheduled day and markup), entries of one line and several, a metric
    /// and a burn-up.
    const RICH_GOAL: &[(&str, &str)] = &[
        (
            "goals/ship.md",
            "---\ngoal: Ship <it> & more\nid: ship\nstart: 2026-01-01\ndue: 2026-06-30\nmetric: {target: 10, unit: km}\n---\n- [x] plan ✅ 2026-01-05\n- [ ] build **it** 📅 2026-03-01 ⏫ 🔁 every week ⏳ 2026-02-20\n  - [ ] part one 🔽\n  - [x] part two ✅ 2026-02-02\n- [-] drop it ❌ 2026-01-20\n- [ ] later\n",
        ),
        ("notes/a.md", "# Notes 2026-02-01\n\n- [ ] tagged #ship\n"),
        (
            "journal/2026-02-05 week.md",
            "# Week & <notes>\n\nSee [[ship]].\n",
        ),
        (
            "2026-02-03.md",
            "Worked on [[ship]] today.\n\nMore on [[ship]] & *that* <b>.\n",
        ),
        (
            "2026-02-10.md",
            "---\nmetrics: {ship: 3}\n---\nRan for [[ship]].\n",
        ),
    ];

    /// What a journal's own template may do with a goal's lists, and the lists' functions
    /// with the goal's own lists and with lists of template values.
    const USER_TEMPLATE: &str = r#"{{ goal.title }}: {{ goal.milestones | length }} {{ goal.entries | length }} {{ goal.burn_up | length }}
{% if goal.milestones %}milestones{% endif %} {% if not goal.entries %}no entries{% endif %}
{% for m in goal.milestones %}{{ loop.index }}/{{ loop.length }} {{ m.text }} {{ m.effective_state }} {{ m.depth }} {{ m.due }} {{ m.done_on }} {{ m.line }} {{ m.file }}{% if m.priority is defined %} {{ m.priority }}{% endif %}{% if m.markdown is defined %} {{ m.markdown }}{% endif %};
{% endfor %}
{{ goal.milestones[0].text }} {{ goal.milestones[-1].text }} {{ (goal.milestones | first).line }} {{ (goal.milestones | last).line }} {{ goal.milestones[1:3] | map(attribute="line") | join(",") }}
{% for m in goal.milestones | reverse %}{{ m.line }},{% endfor %}
{{ goal.milestones | selectattr("leaf") | list | length }} {{ goal.milestones | map(attribute="text") | join("|") }}
{% for file, ms in goal.milestones | groupby("file") %}{{ file }}: {{ ms | length }};{% endfor %}
{% for e in goal.entries %}{{ e.date }} {{ e.title }} {{ e.file }}{% for l in e.lines %} {{ l.line }}:{{ l.text }}{% endfor %};
{% endfor %}
{{ (goal.burn_up | first).date }} {{ (goal.burn_up | last).progress }} {{ goal.burn_up | progress_sparkline }}
{{ goal.milestones }}
{{ goal.milestones | open_by_priority | map(attribute="text") | join("|") }}
{{ milestone_list(goal.milestones) }}
{{ priority_list(goal.milestones) }}
{{ entry_list(goal.entries) }}
{{ burn_up_rows(goal.burn_up) }}
{{ source_items(sources.milestones) }}{{ source_items(sources.entries) }}
{{ sources.milestones | length }} {{ sources.entries[0].lines }} {{ sources }}"#;

    /// A journal's own template, in HTML and markdown, writes the same text whether a goal
    /// page's goal and sources are handed as they are (a lazy goal and its lists, read by
    /// the lists' functions as the analysis's data) or converted whole to template values.
    #[test]
    fn a_user_template_writes_the_same_text_from_the_lazy_goal_and_the_converted_one() {
        let report = Arc::new(report(RICH_GOAL, "2026-03-01"));
        let goal = &report.goals[report.goals.iter().position(|g| g.id == "ship").unwrap()];
        assert_eq!(goal.milestones.len(), 7, "{:?}", goal.milestones);
        assert_eq!(goal.entries.len(), 3, "{:?}", goal.entries);
        assert!(goal.burn_up.len() > 1, "{:?}", goal.burn_up);
        let mut env =
            crate::render::templates::environment(crate::render::templates::Purpose::Report);
        super::super::filters::add_all(&mut env);
        for name in ["user.html", "user.md"] {
            env.add_template(name, USER_TEMPLATE).unwrap();
        }
        let sources = || super::super::view::Sources::of(goal);
        let lazy = minijinja::context! {
            goal => LazyGoal::value(goal), sources => sources().value(),
        };
        let converted = minijinja::context! {
            goal => Value::from(Serde(&**goal)), sources => Value::from(Serde(sources())),
        };
        assert!(
            lazy.get_attr("goal")
                .unwrap()
                .get_attr("milestones")
                .unwrap()
                .downcast_object_ref::<GoalList>()
                .is_some()
        );
        for name in ["user.html", "user.md"] {
            let template = env.get_template(name).unwrap();
            let expected = template.render(&converted).unwrap();
            assert_eq!(template.render(&lazy).unwrap(), expected, "{name}");
            for part in [
                "Ship",
                "part one",
                "every week",
                "notes",
                "Worked on",
                "2026-02-03",
            ] {
                assert!(expected.contains(part), "{part} in {expected}");
            }
        }
        // What filters such as `tojson` write: the values serialized.
        assert_eq!(
            serde_json::to_value(&lazy).unwrap(),
            serde_json::to_value(&converted).unwrap()
        );
    }
    /// A journal whose February 2026 has a row in every list of a review (as of
    /// 5 March): wins, notes of every kind with markup, goals moved, unchanged, overdue,
    /// stalled and at risk, a metric, a cadence with a check-in, and what is due next.
    const RICH_REVIEW: &[(&str, &str)] = &[
        (
            "goals/ship.md",
            "---\ngoal: Ship <it> & more\nid: ship\nstart: 2026-01-01\ndue: 2026-02-15\n---\n- [x] plan ✅ 2026-01-05\n- [x] build **it** ✅ 2026-02-03\n- [ ] launch 📅 2026-03-10\n- [ ] test 📅 2026-02-10\n",
        ),
        (
            "goals/idle.md",
            "---\ngoal: Idle\nstart: 2026-01-01\n---\n- [ ] someday\n",
        ),
        (
            "goals/soon.md",
            "---\ngoal: Soon\nstart: 2026-02-01\ndue: 2026-03-20\n---\n- [x] a ✅ 2026-02-10\n- [ ] b\n- [ ] c\n- [ ] d\n- [ ] e\n- [ ] f\n",
        ),
        (
            "goals/run.md",
            "---\ngoal: Run\nmetric: {target: 10, unit: km}\n---\n",
        ),
        (
            "goals/mentor.md",
            "---\ngoal: Mentor\nid: mentor\nstart: 2026-01-01\ncadence: {count: 1, per: month}\n---\n",
        ),
        (
            "2026-01-20.md",
            "## Wins\n- Demo went well\n## Lessons\n- Ask early\n",
        ),
        (
            "2026-02-04.md",
            "---\nmetrics: {run: 5}\ncheckins: {mentor: {confidence: 3, note: slipping}}\n---\n# Week & <notes>\n## Wins\n- Shipped **the** thing\n## Feedback\n- Good pace #ship\n## Lessons\n- Write it down\n## What to adjust\n- Less <b>\n## What to learn next\n- Rust\n",
        ),
        ("2026-02-20.md", "---\nmetrics: {run: 7}\n---\nRan.\n"),
    ];

    /// What a journal's own template may do with a review and its lists, and the lists'
    /// functions with the review's own lists and with lists of template values.
    const USER_REVIEW_TEMPLATE: &str = r#"{{ review.title }} {{ review.kind }} {{ review.label }} {{ review.first }} {{ review.last }} {{ review.as_of }} {{ review.in_progress }} {{ review.previous }} {{ review.next }} {{ review.quiet }} {{ review.latest_active }} {{ review.next_period }} {{ review.milestones_done }} {{ review.previous_entries }} {{ review.stalled_after_days }}
{% for key in review %}{{ key }}: {{ review[key] }};{% endfor %}
{% if review.wins %}wins{% endif %} {% if not review.became_at_risk %}none at risk{% endif %}
{% for group in review.wins %}{{ loop.index }}/{{ loop.length }} {{ group.goal }} {{ group.title }}{% for m in group.milestones %} {{ m.text }}{% if m.markdown is defined %} {{ m.markdown }}{% endif %} {{ m.done_on }} {{ m.file }}:{{ m.line }}{% endfor %};
{% endfor %}
{% for e in review.entries %}{{ e.date }} {{ e.title }} {{ e.file }};{% endfor %}
{{ review.entries[0].title }} {{ review.entries[-1].title }} {{ (review.entries | first).file }} {{ (review.entries | last).file }} {{ review.entries[1:3] | map(attribute="date") | join(",") }}
{% for e in review.entries | reverse %}{{ e.date }},{% endfor %}
{% for file, notes in review.lessons | groupby("file") %}{{ file }}: {{ notes | length }};{% endfor %}
{{ review.progress | selectattr("stalled") | map(attribute="goal") | join("|") }} {{ review.stalled | map(attribute="days") | join("|") }} {{ review.became_overdue }} {{ review.completed }}
{% for o in review.outlook %}{{ o.goal }} {{ o.next.text if o.next }} {{ o.overdue | length }} {{ o.pace_unit }} {{ o.forecast_note }};{% endfor %}
{% for m in review.metrics %}{{ m.title }} {{ m.start }} {{ m.end }} {{ m.unit }} {{ m.logged }};{% endfor %}
{% for c in review.cadences %}{{ c.title }} {{ c.count }} {{ c.per }} {{ c.periods | length }};{% endfor %}
{% for c in review.checkins %}{{ c.title }} {{ c.confidence }} {{ c.note }};{% endfor %}
{{ review.due_next }} {{ review.goals_due_next }} {{ review.needs_attention }}
{{ wins(review.wins) }}
{{ progress_rows(review.progress) }}
{{ unchanged_goals(review.unchanged) }}
{{ attention_items(review.needs_attention) }}
{{ outlook_items(review.outlook) }}
{{ brief_outlook_items(review.outlook_without_news) }}
{{ coming_up_items(review.goals_due_next, review.due_next) }}
{{ unchanged_goals(review.unchanged | reverse | list) }} {{ outlook_items(review.outlook | selectattr("next") | list) }} {{ wins(review.wins[:1]) }}
{{ note_items(review.win_notes, "../") }}{{ note_items(review.feedback, "") }}{{ note_items(review.adjustments, "../") }}{{ note_items(review.learn_next, "") }}
{{ review }}"#;

    /// A journal's own template, in HTML and markdown, writes the same text whether a
    /// review page's review is handed as it is (a lazy review and its lists) or converted
    /// whole to template values.
    #[test]
    fn a_user_template_writes_the_same_text_from_the_lazy_review_and_the_converted_one() {
        use crate::analyse::period::{Period, PeriodKind};
        let journal = crate::testing::journal(RICH_REVIEW);
        let report = report(RICH_REVIEW, "2026-03-05");
        let february = Period::containing(
            PeriodKind::Month,
            crate::testing::day("2026-02-10"),
            report.rules.week_start,
        );
        let review =
            Arc::new(crate::analyse::review::Reviewer::new(&journal, &report).review(february));
        for (list, rows) in [
            ("wins", review.wins.len()),
            ("notes", review.adjustments.len() + review.learn_next.len()),
            ("progress", review.progress.len()),
            ("unchanged", review.unchanged.len()),
            ("needs_attention", review.needs_attention.len()),
            ("outlook", review.outlook.len()),
            ("outlook_without_news", review.outlook_without_news.len()),
            ("metrics", review.metrics.len()),
            ("entries", review.entries.len()),
            ("due_next", review.due_next.len()),
            ("goals_due_next", review.goals_due_next.len()),
            ("cadences", review.cadences.len()),
            ("checkins", review.checkins.len()),
        ] {
            assert!(rows > 0, "no {list}: {review:#?}");
        }
        let mut env =
            crate::render::templates::environment(crate::render::templates::Purpose::Report);
        super::super::filters::add_all(&mut env);
        for name in ["user.html", "user.md"] {
            env.add_template(name, USER_REVIEW_TEMPLATE).unwrap();
        }
        let lazy = minijinja::context! { review => LazyReview::value(&review), in_reports => true };
        let converted =
            minijinja::context! { review => Value::from(Serde(&*review)), in_reports => true };
        assert!(
            lazy.get_attr("review")
                .unwrap()
                .get_attr("entries")
                .unwrap()
                .downcast_object_ref::<ReviewList>()
                .is_some()
        );
        for name in ["user.html", "user.md"] {
            let template = env.get_template(name).unwrap();
            let expected = template.render(&converted).unwrap();
            assert_eq!(template.render(&lazy).unwrap(), expected, "{name}");
            for part in ["Ship", "Shipped", "slipping", "Less", "km", "launch"] {
                assert!(expected.contains(part), "{part} in {expected}");
            }
        }
        assert_eq!(
            serde_json::to_value(&lazy).unwrap(),
            serde_json::to_value(&converted).unwrap()
        );
    }
}
