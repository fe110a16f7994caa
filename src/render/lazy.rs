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
//! items are converted only when a template reads them.

use std::sync::{Arc, Mutex, PoisonError};

use minijinja::value::{Enumerator, Object, ObjectRepr, Serde, Value};
use serde::Serialize;
use serde::ser::{self, Impossible, SerializeStruct};

use crate::analyse::GoalReport;

use super::items::Item;
use super::view::LinesInFile;

/// A goal of a shared report, as a template value that reads like the goal serialized.
#[derive(Debug)]
pub(super) struct LazyGoal {
    goal: Arc<GoalReport>,
    /// The fields read so far, as converted: a goal page's templates read its title,
    /// status, progress and milestones several times each, in each of its two formats.
    read: Mutex<Vec<(&'static str, Value)>>,
}

impl LazyGoal {
    /// `goal` as a template value.
    pub(super) fn value(goal: &Arc<GoalReport>) -> Value {
        Value::from_object(LazyGoal {
            goal: Arc::clone(goal),
            read: Mutex::new(Vec::new()),
        })
    }
}

impl Object for LazyGoal {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let key = key.as_str()?;
        let mut read = self.read.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, value)) = read.iter().find(|(name, _)| *name == key) {
            return Some(value.clone());
        }
        let (name, value) = match GoalList::of(&self.goal, key) {
            Some((name, list)) => (name, Value::from_object(list)),
            None => picked(&*self.goal, key)?,
        };
        read.push((name, value.clone()));
        Some(value)
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        let goal = &self.goal;
        let mut picker = FieldPicker {
            wanted: None,
            found: None,
            names: Vec::new(),
        };
        match goal.serialize(&mut picker) {
            Ok(()) => Enumerator::Values(picker.names.into_iter().map(Value::from).collect()),
            Err(_) => Enumerator::Empty,
        }
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
}
