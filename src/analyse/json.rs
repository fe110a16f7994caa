//! The report's JSON layout: serde_json's pretty one (two spaces a level), each line
//! break and its indent written as one slice instead of a write per level, which
//! serde_json's `PrettyFormatter` makes: a report has about a million keys and values
//! at 10,000 files.

use std::io::{self, Write};

use serde_json::ser::Formatter;

/// `,` then a line break then enough spaces for any depth a report has; deeper levels
/// (none today) are indented a level at a time.
const BREAK: &[u8] = b",\n                                                                                                                                ";

/// Formats as `serde_json::ser::PrettyFormatter::new()` does, byte for byte.
#[derive(Default)]
pub(super) struct Pretty {
    depth: usize,
    has_value: bool,
}

impl Pretty {
    /// A line break (after a comma unless `first`) indented to the current depth.
    fn line<W: ?Sized + Write>(&self, writer: &mut W, first: bool) -> io::Result<()> {
        let start = usize::from(first);
        let spaces = 2 * self.depth;
        match BREAK.get(start..2 + spaces) {
            Some(slice) => writer.write_all(slice),
            None => {
                writer.write_all(&BREAK[start..2])?;
                (0..self.depth).try_for_each(|_| writer.write_all(b"  "))
            }
        }
    }
}

impl Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.line(writer, true)?;
        }
        writer.write_all(b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.line(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.line(writer, true)?;
        }
        writer.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.line(writer, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    fn ours(value: &impl Serialize) -> String {
        let mut out = Vec::new();
        let mut serializer = serde_json::Serializer::with_formatter(&mut out, Pretty::default());
        value.serialize(&mut serializer).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn lays_out_as_serde_jsons_pretty_printer_at_every_depth() {
        let mut deep = serde_json::json!({"leaf": [1, {}, []]});
        for level in 0..80 {
            deep = serde_json::json!({"level": level, "empty": {}, "list": [deep, [], "x"]});
        }
        for value in [
            serde_json::json!({}),
            serde_json::json!([]),
            serde_json::json!({"a": [1, 2, {"b": null, "c": []}], "d": {"e": "f"}}),
            deep,
        ] {
            assert_eq!(ours(&value), serde_json::to_string_pretty(&value).unwrap());
        }
    }
}
