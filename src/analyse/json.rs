//! The report's JSON layout: a line for each key of the top object and for each item of
//! its lists and objects, indented two spaces a level as serde_json's pretty printer does,
//! and everything deeper compact, as serde_json's `to_string` writes it. So each goal is
//! one line: 41% fewer bytes than pretty-printing it whole (14.2 against 8.4 MB at
//! 10,000 files), which every build after an edit and every watch rebuild writes again,
//! and a line of `grep` or a diff names one goal. docs/FORMAT.md ("The JSON contract").
//!
//! The report's JSON can also be put together from each goal's JSON made apart
//! ([`GoalReport::json_in_report`], [`Report::json_of_goals`]): `watch` keeps each goal's
//! and makes again only those of goals that changed (`workspace::json_pieces`).

use std::io::{self, Write};
use std::ops::Range;

use memchr::memchr;
use memchr::memmem;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::ser::Formatter;

use super::{GoalReport, Report};
use crate::hash::HashedBytes;

/// How deep a goal sits in the report's JSON: an item of the top object's `goals`.
const GOAL_DEPTH: usize = 2;

/// The deepest level whose items each have a line: the items of the top object's lists
/// and objects. Values deeper are written on their item's line.
const DEEPEST_LINES: usize = 2;

/// `,` then a line break then the indent of the deepest level with lines.
const BREAK: &[u8] = b",\n    ";

/// Lays out a report's JSON: lines down to [`DEEPEST_LINES`], compact below.
#[derive(Default)]
pub(super) struct Layout {
    /// How deep the value being written is: 1 inside the top object.
    depth: usize,
    has_value: bool,
}

impl Layout {
    /// The layout for a value `depth` levels deep in a report, its first line already
    /// written by its parent.
    fn at_depth(depth: usize) -> Layout {
        Layout {
            depth,
            has_value: false,
        }
    }

    fn has_lines(&self) -> bool {
        self.depth <= DEEPEST_LINES
    }

    /// Before an item: a line break (after a comma unless `first`) indented to the
    /// current depth where items have lines, else a comma unless `first`.
    fn before_item<W: ?Sized + Write>(&self, writer: &mut W, first: bool) -> io::Result<()> {
        let start = usize::from(first);
        if self.has_lines() {
            writer.write_all(&BREAK[start..2 + 2 * self.depth])
        } else {
            writer.write_all(&BREAK[start..1])
        }
    }

    /// After a list's or object's last item: where its items had lines, a line break
    /// indented to the depth of the list or object itself.
    fn after_items<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        let had_lines = self.has_lines();
        self.depth -= 1;
        if had_lines && self.has_value {
            writer.write_all(&BREAK[1..2 + 2 * self.depth])?;
        }
        Ok(())
    }
}

impl Formatter for Layout {
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.after_items(writer)?;
        writer.write_all(b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.before_item(writer, first)
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
        self.after_items(writer)?;
        writer.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.before_item(writer, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(if self.has_lines() { b": " } else { b":" })
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// `value` written to `out` as it stands `depth` levels deep in a report.
fn write_at_depth(out: &mut Vec<u8>, value: &impl Serialize, depth: usize) {
    let mut serializer = serde_json::Serializer::with_formatter(out, Layout::at_depth(depth));
    value
        .serialize(&mut serializer)
        .expect("a report holds only strings, numbers and dates, which always serialize");
}

impl GoalReport {
    /// The goal's JSON exactly as it stands in the report's ([`Report::to_json`]),
    /// indented for its place in `goals`.
    /// Written into a buffer each thread keeps, then copied out at its length: a buffer of
    /// the goal's own, grown by doubling, was copied as it grew and held up to twice its
    /// JSON (122 MB of heap for the 84 MB of `trailmark.json` at 100,000 files).
    pub(crate) fn json_in_report(&self) -> Vec<u8> {
        GOAL_JSON.with_borrow_mut(|buffer| {
            buffer.clear();
            write_at_depth(buffer, self, GOAL_DEPTH);
            let json = buffer.to_vec();
            // `watch` keeps its threads: a goal mentioned by thousands of entries is
            // not held for as long as it runs.
            if buffer.capacity() > KEPT_GOAL_JSON_BYTES {
                *buffer = Vec::new();
            }
            json
        })
    }
}

thread_local! {
    /// Each thread's buffer for a goal's JSON ([`GoalReport::json_in_report`]).
    static GOAL_JSON: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The most a thread keeps of its buffer for a goal's JSON between goals; a goal's JSON
/// is about 10 KB on the generated journals.
const KEPT_GOAL_JSON_BYTES: usize = 1 << 20;

/// Goals whose JSON is made on every core at once, each into a buffer of its own, then
/// written in their order. The buffers are kept from batch to batch (their memory is not
/// asked for again for each goal) and grow to the largest goals': with 64 goals a batch
/// the peak heap of `status --json` grew 3.6 MB at 10,000 files, with four 0.9 MB. But
/// each batch is a wait for the pool, and its cores wait for the batch to be written: with
/// four, a cold `status --json` took 95 ms at 10,000 files and 1,044 ms at 100,000; with
/// 16, 85 and 891 ms, its peak RSS 0.7 MB higher (64: 84 and 883 ms, 2.7 MB higher).
const GOALS_A_BATCH: usize = 16;

/// A comma, then the line break and indent of the next goal in `goals`.
const BETWEEN_GOALS: &[u8] = b",\n    ";

impl Report {
    /// The JSON contract, laid out as this module says, with a final newline.
    pub(crate) fn to_json(&self) -> String {
        let mut json = Vec::new();
        self.write_json(&mut json)
            .expect("writing to a Vec never fails");
        String::from_utf8(json).expect("serde_json writes UTF-8")
    }

    /// [`Report::to_json`] written to `out` as it is made, so that `status --json` never
    /// holds the whole text (14 MB for 10,000 files); only `out` can fail. The goals'
    /// JSON, most of it, is made on every core, a batch at a time: made in one pass, it was
    /// a third of what a cold `status --json` did on one core alone.
    pub(crate) fn write_json<W: Write + ?Sized>(&self, out: &mut W) -> io::Result<()> {
        self.write_json_in_batches(out, GOALS_A_BATCH)
    }

    fn write_json_in_batches<W: Write + ?Sized>(
        &self,
        out: &mut W,
        batch: usize,
    ) -> io::Result<()> {
        out.write_all(&self.json_before_goals())?;
        let mut buffers = vec![Vec::new(); batch];
        for (at, goals) in self.goals.chunks(batch).enumerate() {
            (buffers.par_iter_mut().zip(goals)).for_each(|(buffer, goal)| {
                buffer.clear();
                write_at_depth(buffer, &**goal, GOAL_DEPTH);
            });
            for (index, buffer) in buffers[..goals.len()].iter().enumerate() {
                if at > 0 || index > 0 {
                    out.write_all(BETWEEN_GOALS)?;
                }
                out.write_all(buffer)?;
            }
        }
        // Let go before the rest is made: the end of the JSON is the command's peak.
        drop(buffers);
        out.write_all(&self.json_after_goals())
    }

    /// [`Report::write_json`] goal by goal, on one core: `write_found` writes the JSON of
    /// the goal of the index it is given, exactly as [`GoalReport::json_in_report`] makes
    /// it, and says so, or writes nothing and the goal's JSON is made. For `status --json`
    /// after an edit, which finds most goals' JSON in the last build's file
    /// (`workspace::json_pieces`).
    pub(crate) fn write_json_finding_goals<W: Write + ?Sized>(
        &self,
        out: &mut W,
        mut write_found: impl FnMut(usize, &mut W) -> io::Result<bool>,
    ) -> io::Result<()> {
        out.write_all(&self.json_before_goals())?;
        let mut made = Vec::new();
        for (index, goal) in self.goals.iter().enumerate() {
            if index > 0 {
                out.write_all(BETWEEN_GOALS)?;
            }
            if !write_found(index, out)? {
                made.clear();
                write_at_depth(&mut made, &**goal, GOAL_DEPTH);
                out.write_all(&made)?;
            }
        }
        out.write_all(&self.json_after_goals())
    }

    /// [`Report::to_json`] in parts, each goal's made (and hashed) on every core: for a
    /// file, which is written from its parts.
    pub(crate) fn json_parts(&self) -> Vec<HashedBytes> {
        let goals: Vec<HashedBytes> = (self.goals.par_iter())
            .map(|goal| HashedBytes::from(goal.json_in_report()))
            .collect();
        self.json_of_goals(&goals)
    }

    /// [`Report::to_json`], byte for byte, in parts written one after another: the JSON
    /// of each goal given, in the order of `goals`, by `goals` (each one's
    /// [`GoalReport::json_in_report`], shared, not copied), and between them the rest
    /// of the report ([`json_of_parts`]).
    pub(crate) fn json_of_goals(&self, goals: &[HashedBytes]) -> Vec<HashedBytes> {
        json_of_parts(
            HashedBytes::from(self.json_before_goals()),
            goals,
            HashedBytes::from(self.json_after_goals()),
        )
    }

    /// The report's JSON before its goals.
    fn json_before_goals(&self) -> Vec<u8> {
        let mut before_goals = vec![b'{'];
        field(&mut before_goals, "today", &self.today, true);
        field_name(&mut before_goals, "goals", false);
        if !self.goals.is_empty() {
            before_goals.extend_from_slice(b"[\n    ");
        }
        before_goals
    }

    /// The report's JSON after its goals, made once they are written. Each field of the
    /// report is named, as `serde` orders them, so that a field added to it is a compile
    /// error here until it is written.
    fn json_after_goals(&self) -> Vec<u8> {
        let Report {
            // Before the goals.
            today: _,
            // Not serialized.
            rules: _,
            detail: _,
            timelines: _,
            goals,
            loose_tasks,
            diagnostics,
            activity,
            needs_now,
        } = self;
        let mut after_goals = if goals.is_empty() {
            b"[]".to_vec()
        } else {
            b"\n  ]".to_vec()
        };
        field(&mut after_goals, "loose_tasks", loose_tasks, false);
        field(&mut after_goals, "diagnostics", diagnostics, false);
        field(&mut after_goals, "activity", activity, false);
        field(&mut after_goals, "needs_now", needs_now, false);
        after_goals.extend_from_slice(b"\n}\n");
        after_goals
    }
}

/// What opens the top object's `goals` when it has some, after the key before it.
const GOALS_OPEN: &[u8] = b",\n  \"goals\": [\n    ";

/// What closes the list of goals after the last one.
const GOALS_CLOSE: &[u8] = b"\n  ]";

/// The indent of each goal's line.
const GOAL_INDENT: &[u8] = b"    ";

/// The line that opens the top object's `goals` when it has some, without its line break.
pub(crate) const GOALS_LINE: &[u8] = b"  \"goals\": [";

/// The goal's JSON on `line`, a line of a report's JSON as [`Report::to_json`] writes it
/// (without its line break): `None` unless it is a goal's line.
pub(crate) fn goal_on_line(line: &[u8]) -> Option<&[u8]> {
    let goal = line.strip_prefix(GOAL_INDENT)?;
    let goal = goal.strip_suffix(b",").unwrap_or(goal);
    (goal.starts_with(b"{") && goal.ends_with(b"}")).then_some(goal)
}

/// Where each goal's JSON is in `json`, a report's JSON as [`Report::to_json`] writes it:
/// the pieces [`Report::json_of_goals`] put together, found again. Each goal is a line of
/// its own, since no string in it holds a line break (JSON escapes it). `None` when
/// `json` is not laid out so, or has no goals.
pub(crate) fn goals_in_json(json: &[u8]) -> Option<Vec<Range<usize>>> {
    let mut start = memmem::find(json, GOALS_OPEN)? + GOALS_OPEN.len();
    let mut goals = Vec::new();
    loop {
        let line_end = start + memchr(b'\n', &json[start..])?;
        let line = &json[start..line_end];
        let (goal, more) = match line.strip_suffix(b",") {
            Some(goal) => (goal, true),
            None => (line, false),
        };
        if !(goal.starts_with(b"{") && goal.ends_with(b"}")) {
            return None;
        }
        goals.push(start..start + goal.len());
        let rest = &json[start + goal.len()..];
        if more && rest.starts_with(BETWEEN_GOALS) {
            start += goal.len() + BETWEEN_GOALS.len();
        } else if !more && rest.starts_with(GOALS_CLOSE) {
            return Some(goals);
        } else {
            return None;
        }
    }
}

/// A report's JSON in the parts [`Report::json_of_goals`] gives: `before` its goals, each
/// of `goals` with a line break between two, and `after` them. The parts of the last
/// build's file are the same ones when `before`, `goals` and `after` are its bytes around
/// and at [`goals_in_json`]'s places: a file's hash is made of its parts' (see
/// `write::Content`), so the file read back must be cut as the JSON made is.
pub(crate) fn json_of_parts(
    before: HashedBytes,
    goals: &[HashedBytes],
    after: HashedBytes,
) -> Vec<HashedBytes> {
    let between = HashedBytes::from(BETWEEN_GOALS.to_vec());
    let mut parts = Vec::with_capacity(2 * goals.len() + 2);
    parts.push(before);
    for (index, goal) in goals.iter().enumerate() {
        if index > 0 {
            parts.push(between.clone());
        }
        parts.push(goal.clone());
    }
    parts.push(after);
    parts
}

/// A key of the report's top object, and a comma before it unless it is the `first`.
fn field_name(out: &mut Vec<u8>, name: &str, first: bool) {
    let before: &[u8] = if first { b"\n  \"" } else { b",\n  \"" };
    out.extend_from_slice(before);
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"\": ");
}

/// A key and value of the report's top object.
fn field(out: &mut Vec<u8>, name: &str, value: &impl Serialize, first: bool) {
    field_name(out, name, first);
    write_at_depth(out, value, 1);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{one_goal, report};

    /// A goal's JSON made in its thread's buffer is the goal's JSON in the report, and a
    /// large one's buffer is not kept after it (`watch` keeps its threads).
    #[test]
    fn a_goals_json_is_its_json_in_the_report_and_a_large_ones_buffer_is_let_go() {
        let milestones: String = (0..8_000)
            .map(|i| format!("- [ ] step {i} of the long plan, with a few words more\n"))
            .collect();
        for (goal, large) in [
            (one_goal("- [ ] one\n"), false),
            (one_goal(&milestones), true),
        ] {
            let json = goal.json_in_report();
            let mut expected = Vec::new();
            write_at_depth(&mut expected, &goal, GOAL_DEPTH);
            assert_eq!(json, expected);
            assert_eq!(
                json.len() > KEPT_GOAL_JSON_BYTES,
                large,
                "{} bytes",
                json.len()
            );
            let kept = GOAL_JSON.with_borrow(Vec::capacity);
            match large {
                true => assert_eq!(kept, 0),
                false => assert!(kept >= json.len()),
            }
        }
    }

    fn ours(value: &impl Serialize) -> String {
        let mut out = Vec::new();
        let mut serializer = serde_json::Serializer::with_formatter(&mut out, Layout::default());
        value.serialize(&mut serializer).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// The layout made another way: serde_json's compact text, with a line break and
    /// indent put after each `{`, `[` and `,` and before each `}` and `]` outside strings
    /// down to the deepest level with lines, and a space after such a level's colons.
    fn relaid(compact: &str) -> String {
        let indent = |depth: usize| format!("\n{}", "  ".repeat(depth));
        let mut out = String::new();
        let (mut depth, mut in_string, mut escaped) = (0, false, false);
        let mut chars = compact.chars().peekable();
        while let Some(c) = chars.next() {
            if in_string {
                out.push(c);
                (in_string, escaped) = (escaped || c != '"', !escaped && c == '\\');
                continue;
            }
            match c {
                '"' => {
                    in_string = true;
                    out.push(c);
                }
                '{' | '[' => {
                    out.push(c);
                    depth += 1;
                    let empty = matches!(chars.peek(), Some('}' | ']'));
                    if depth <= DEEPEST_LINES && !empty {
                        out += &indent(depth);
                    }
                }
                '}' | ']' => {
                    let empty = out.ends_with(['{', '[']);
                    if depth <= DEEPEST_LINES && !empty {
                        out += &indent(depth - 1);
                    }
                    depth -= 1;
                    out.push(c);
                }
                ',' if depth <= DEEPEST_LINES => out += &(",".to_string() + &indent(depth)),
                ':' if depth <= DEEPEST_LINES => out += ": ",
                _ => out.push(c),
            }
        }
        out
    }

    #[test]
    fn lays_out_lines_down_to_the_top_lists_items_and_compact_below() {
        let mut deep = serde_json::json!({"leaf": [1, {}, []]});
        for level in 0..80 {
            deep = serde_json::json!({"level": level, "empty": {}, "list": [deep, [], "x"]});
        }
        for value in [
            serde_json::json!({}),
            serde_json::json!([]),
            serde_json::json!({"a": [1, 2, {"b": null, "c": []}], "d": {"e": "f"}}),
            serde_json::json!({"s": "a \"quoted\" {[,:]} \\", "l": [{"k": "v,}"}, []]}),
            deep,
        ] {
            assert_eq!(
                ours(&value),
                relaid(&serde_json::to_string(&value).unwrap())
            );
        }
        let layout = ours(&serde_json::json!({"a": [{"b": [1, 2]}, 3], "c": {"d": {"e": 4}}}));
        assert_eq!(
            layout,
            "{\n  \"a\": [\n    {\"b\":[1,2]},\n    3\n  ],\n  \"c\": {\n    \"d\": {\"e\":4}\n  }\n}"
        );
    }

    /// The report's JSON made another way: serde_json's compact text of the whole report,
    /// laid out by [`relaid`].
    fn serde_jsons(report: &Report) -> String {
        relaid(&serde_json::to_string(report).unwrap()) + "\n"
    }

    /// Reports of no goal, one, and more than a batch, with and without loose tasks.
    fn reports() -> Vec<Report> {
        let goal = "---\ngoal: Ship \"it\"\ndue: 2026-03-01\n---\n- [x] plan ✅ 2026-01-05\n- [ ] launch\n";
        let entry = "- [x] logo #ship-it\n## Wins\n- demo\n";
        let many: Vec<(String, String)> = (0..11)
            .map(|n| {
                (
                    format!("g{n}.md"),
                    goal.replace("Ship", &format!("Ship {n}")),
                )
            })
            .collect();
        let many: Vec<(&str, &str)> = many.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
        [
            vec![],
            vec![("g.md", goal)],
            vec![("g.md", goal), ("h.md", goal), ("2026-01-20.md", entry)],
            vec![("2026-01-20.md", "- [ ] loose\n")],
            many,
        ]
        .iter()
        .map(|files| report(files, "2026-02-01"))
        .collect()
    }

    #[test]
    fn a_report_of_goals_made_apart_is_its_json() {
        for report in reports() {
            let goals: Vec<HashedBytes> = report
                .goals
                .iter()
                .map(|goal| HashedBytes::from(goal.json_in_report()))
                .collect();
            let json = String::from_utf8(
                report
                    .json_of_goals(&goals)
                    .iter()
                    .flat_map(|part| part.iter().copied())
                    .collect(),
            )
            .unwrap();
            assert_eq!(json, serde_jsons(&report));
            let parts = String::from_utf8(
                report
                    .json_parts()
                    .iter()
                    .flat_map(|part| part.iter().copied())
                    .collect(),
            )
            .unwrap();
            assert_eq!(parts, serde_jsons(&report));
        }
    }

    #[test]
    fn the_goals_of_a_reports_json_are_found_where_they_were_put() {
        for report in reports() {
            let json = report.to_json().into_bytes();
            let found = goals_in_json(&json);
            if report.goals.is_empty() {
                assert_eq!(found, None);
                continue;
            }
            let found = found.expect("a report's own JSON is laid out as one");
            let goals: Vec<Vec<u8>> = report.goals.iter().map(|g| g.json_in_report()).collect();
            let pieces: Vec<&[u8]> = found.iter().map(|range| &json[range.clone()]).collect();
            assert_eq!(pieces, goals.iter().map(Vec::as_slice).collect::<Vec<_>>());
        }
    }

    #[test]
    fn json_not_laid_out_as_a_reports_has_no_goals_found() {
        let report = &reports()[2];
        let json = report.to_json();
        let broken = [
            json.replacen("},\n    {", "},\n     {", 1),
            json.replacen("\n  ]", "\n ]", 1),
            json[..json.find("\n  ]").unwrap()].to_string(),
            json[..json.find("\"milestones\"").unwrap()].to_string(),
            json.replacen("\"goals\": [", "\"goals\":[", 1),
            // As versions before this layout wrote it, each goal's keys on lines.
            serde_json::to_string_pretty(report).unwrap(),
        ];
        for json in broken {
            assert_eq!(goals_in_json(json.as_bytes()), None, "{json}");
        }
    }

    /// The lines after the one opening a report's goals are each goal's JSON, in order,
    /// up to a line that is no goal's.
    #[test]
    fn the_lines_after_the_goals_opening_are_each_goals_json() {
        for report in reports() {
            let json = report.to_json();
            let mut lines = json.lines().map(str::as_bytes);
            let opened = lines.any(|line| line == GOALS_LINE);
            assert_eq!(opened, !report.goals.is_empty());
            let found: Vec<&[u8]> = lines.map_while(goal_on_line).collect();
            let goals: Vec<Vec<u8>> = report.goals.iter().map(|g| g.json_in_report()).collect();
            assert_eq!(found, goals.iter().map(Vec::as_slice).collect::<Vec<_>>());
        }
        for line in [
            "   {\"id\":\"g\"}",
            "    {\"id\":\"g\"",
            "    [1],",
            "  ],",
            "  \"today\": 1,",
        ] {
            assert_eq!(goal_on_line(line.as_bytes()), None, "{line}");
        }
    }

    /// A report whose goals' JSON is found for some goals and made for the others is its
    /// JSON, whichever are found.
    #[test]
    fn a_report_written_with_some_goals_found_is_its_json() {
        for report in reports() {
            for found_every in [1, 2, 3, usize::MAX] {
                let mut json = Vec::new();
                let mut asked = Vec::new();
                report
                    .write_json_finding_goals(&mut json, |index, out| {
                        asked.push(index);
                        if index % found_every != 0 {
                            return Ok(false);
                        }
                        out.write_all(&report.goals[index].json_in_report())?;
                        Ok(true)
                    })
                    .unwrap();
                assert_eq!(String::from_utf8(json).unwrap(), serde_jsons(&report));
                assert_eq!(asked, (0..report.goals.len()).collect::<Vec<_>>());
            }
        }
    }

    #[test]
    fn a_report_written_in_batches_of_goals_is_its_json() {
        for report in reports() {
            for batch in [1, 2, 3, 4, 16, 64] {
                let mut json = Vec::new();
                report.write_json_in_batches(&mut json, batch).unwrap();
                assert_eq!(
                    String::from_utf8(json).unwrap(),
                    serde_jsons(&report),
                    "{} goals, batches of {batch}",
                    report.goals.len()
                );
            }
            assert_eq!(report.to_json(), serde_jsons(&report));
        }
    }
}
