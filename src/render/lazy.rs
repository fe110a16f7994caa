//! Goals as template values converted field by field, when a template reads the field.
//!
//! The index page hands templates every goal of the journal, with all its milestones,
//! entries and burn-up points, so that a user's own template can show any of them. The
//! embedded templates read a few fields of each goal: converting whole goals to template
//! values up front was most of the time an index page took to render (800 goals of a
//! 10,000-file journal: 40 ms per format). A [`LazyGoal`] converts only what is read.
//! A goal page's parent and children are lazy goals too: the embedded templates read
//! their id, title, progress and status, and converting them whole was a sixth of
//! converting the goal pages' data.

use std::sync::Arc;

use minijinja::value::{Enumerator, Object, Serde, Value};
use serde::Serialize;
use serde::ser::{self, Impossible, SerializeStruct};

use crate::analyse::GoalReport;

/// A goal of a shared report, as a template value that reads like the goal serialized.
#[derive(Debug)]
pub(super) struct LazyGoal {
    goal: Arc<GoalReport>,
}

impl LazyGoal {
    /// `goal` as a template value.
    pub(super) fn value(goal: &Arc<GoalReport>) -> Value {
        Value::from_object(LazyGoal {
            goal: Arc::clone(goal),
        })
    }
}

impl Object for LazyGoal {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let goal = &self.goal;
        let mut picker = FieldPicker {
            wanted: Some(key.as_str()?),
            found: None,
            names: Vec::new(),
        };
        goal.serialize(&mut picker).ok()?;
        picker.found
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

/// A serializer of structs that keeps one field, converted to a template value (or,
/// without a wanted field, the names of the fields serialized).
struct FieldPicker<'k> {
    wanted: Option<&'k str>,
    found: Option<Value>,
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
            Some(wanted) if wanted == key => self.found = Some(Value::from(Serde(value))),
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
}
