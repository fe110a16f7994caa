//! The markdown body: milestones (task-list items), headings and `#tags`, all taken from
//! pulldown-cmark's parse, so that text in code blocks, inline code or HTML never counts.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::text::LineIndex;
use super::{Heading, Located, Milestone, MilestoneState, Note, NoteKind};
use crate::dates::Date;
use crate::diagnostic::Diagnostic;

/// What the body of a document holds.
#[derive(Debug, Default)]
pub struct Body {
    pub milestones: Vec<Milestone>,
    pub headings: Vec<Heading>,
    /// Every `#tag` in the body's text, lowercased, in order.
    pub tags: Vec<Located<String>>,
    /// Top-level items and paragraphs of wins, feedback and lessons sections.
    pub notes: Vec<Note>,
}

/// Reads the body `text[body_start..]`; positions are in the whole file.
pub fn read(
    text: &str,
    body_start: usize,
    lines: &LineIndex,
    file: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Body {
    let mut reader = BodyReader {
        text,
        lines,
        file,
        diagnostics,
        body: Body::default(),
        items: Vec::new(),
        open_headings: Vec::new(),
        heading: None,
        in_code_block: false,
        paragraph_note: None,
    };
    let options =
        Options::ENABLE_TASKLISTS | Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for (event, range) in Parser::new_ext(&text[body_start..], options).into_offset_iter() {
        reader.event(event, body_start + range.start, body_start + range.end);
    }
    reader.body
}

/// A list item being read.
struct Item {
    start: usize,
    /// Index into `Body::milestones` once the item turned out to be a task.
    milestone: Option<usize>,
    /// Nothing of the item's text has been seen yet: where a `[-]` marker may stand.
    at_text_start: bool,
    /// The item's first block is still being read, so its text is the item's text.
    collecting: bool,
    text: String,
    /// Where the collected text is in the file, markup included.
    source: Source,
    tags: Vec<String>,
}

/// The span of the file a text was collected from: from the first inline event to the end
/// of the last, so that it holds the text's inline markdown as written. Empty until the
/// first event.
#[derive(Default, Clone, Copy)]
struct Source(Option<(usize, usize)>);

impl Source {
    fn extend(&mut self, start: usize, end: usize) {
        self.0 = Some(match self.0 {
            Some((first, last)) => (first, last.max(end)),
            None => (start, end),
        });
    }
}

/// A paragraph outside any list, in a notes section.
struct ParagraphNote {
    kind: NoteKind,
    start: usize,
    text: String,
    source: Source,
}

/// A heading being read.
struct OpenHeading {
    level: u8,
    start: usize,
    text: String,
}

struct BodyReader<'a> {
    text: &'a str,
    lines: &'a LineIndex<'a>,
    file: &'a str,
    diagnostics: &'a mut Vec<Diagnostic>,
    body: Body,
    items: Vec<Item>,
    /// Indices into `Body::headings` of the sections that contain the current point.
    open_headings: Vec<usize>,
    heading: Option<OpenHeading>,
    in_code_block: bool,
    paragraph_note: Option<ParagraphNote>,
}

impl BodyReader<'_> {
    fn event(&mut self, event: Event, start: usize, end: usize) {
        self.check_for_task_marker(&event, start);
        if is_inline(&event) {
            self.extend_source(start, end);
        }
        match event {
            Event::Start(Tag::Item) => self.items.push(Item {
                start,
                milestone: None,
                at_text_start: true,
                collecting: true,
                text: String::new(),
                source: Source::default(),
                tags: Vec::new(),
            }),
            Event::End(TagEnd::Item) => self.end_item(end),
            Event::Start(Tag::Heading { level, .. }) => {
                self.heading = Some(OpenHeading {
                    level: level as u8,
                    start,
                    text: String::new(),
                });
            }
            Event::End(TagEnd::Heading(_)) => self.end_heading(),
            Event::Start(Tag::CodeBlock(_)) => {
                self.in_code_block = true;
                self.stop_collecting();
            }
            Event::End(TagEnd::CodeBlock) => self.in_code_block = false,
            Event::Start(Tag::List(_) | Tag::BlockQuote(_) | Tag::HtmlBlock | Tag::Table(_)) => {
                self.stop_collecting();
            }
            Event::Start(Tag::Paragraph) if self.items.is_empty() => {
                self.paragraph_note = self.section_kind().map(|kind| ParagraphNote {
                    kind,
                    start,
                    text: String::new(),
                    source: Source::default(),
                });
            }
            Event::End(TagEnd::Paragraph) => {
                self.stop_collecting();
                if let Some(note) = self.paragraph_note.take() {
                    let markdown = self.source_markdown(note.source);
                    self.push_note(note.kind, note.start, &note.text, markdown);
                }
            }
            Event::Text(text) if !self.in_code_block => self.inline_text(&text, start, true),
            Event::Code(text) => self.inline_text(&text, start, false),
            Event::SoftBreak | Event::HardBreak => self.inline_text(" ", start, false),
            _ => {}
        }
    }

    /// At the start of a list item's text, decides whether the item is a task.
    fn check_for_task_marker(&mut self, event: &Event, start: usize) {
        let Some(item) = self.items.last_mut() else {
            return;
        };
        if !item.at_text_start {
            return;
        }
        let state = match event {
            Event::TaskListMarker(true) => Some(MilestoneState::Done),
            Event::TaskListMarker(false) => Some(MilestoneState::Open),
            Event::Start(Tag::Paragraph) => return,
            _ => other_task_marker(&self.text[start..]),
        };
        item.at_text_start = false;
        if let Some(state) = state {
            self.begin_milestone(state, start);
        }
    }

    /// Text of a paragraph, heading or item. `scan_tags` is false for inline code.
    fn inline_text(&mut self, text: &str, start: usize, scan_tags: bool) {
        let tags = if scan_tags {
            find_tags(text)
        } else {
            Vec::new()
        };
        for (at, tag) in &tags {
            let position = self.lines.position(start + at);
            self.body.tags.push(Located {
                value: tag.clone(),
                position,
            });
        }
        if let Some(heading) = &mut self.heading {
            heading.text.push_str(text);
        } else if let Some(note) = &mut self.paragraph_note {
            note.text.push_str(text);
        } else if let Some(item) = self.items.last_mut()
            && item.collecting
        {
            item.text.push_str(text);
            item.tags.extend(tags.into_iter().map(|(_, tag)| tag));
        }
    }

    /// Grows the source span of the text being collected, as `inline_text` chooses it.
    fn extend_source(&mut self, start: usize, end: usize) {
        if self.heading.is_some() || self.in_code_block {
            return;
        }
        if let Some(note) = &mut self.paragraph_note {
            note.source.extend(start, end);
        } else if let Some(item) = self.items.last_mut()
            && item.collecting
            && !item.at_text_start
        {
            item.source.extend(start, end);
        }
    }

    /// The inline markdown of a source span, date markers removed and whitespace
    /// collapsed; `None` when the span has no character that starts inline markup, as
    /// then the plain text says it all (and most text is like that: no copy is made).
    fn source_markdown(&self, source: Source) -> Option<String> {
        let written = source
            .0
            .and_then(|(start, end)| self.text.get(start..end))?;
        if !written.bytes().any(|b| b"*_`[<&\\~".contains(&b)) {
            return None;
        }
        let written = strip_other_task_marker(written.trim_start());
        Some(collapse_whitespace(&extract_date_markers(written).0))
    }

    fn stop_collecting(&mut self) {
        if let Some(item) = self.items.last_mut() {
            item.collecting = false;
        }
    }

    /// `marker` is where the checkbox is: the milestone is reported on the bullet's line,
    /// or on the checkbox's when the item's text starts on a later line (`-` alone on a
    /// line, its text indented below).
    fn begin_milestone(&mut self, state: MilestoneState, marker: usize) {
        let parent = self
            .items
            .iter()
            .rev()
            .skip(1)
            .find_map(|item| item.milestone);
        let depth = parent.map_or(0, |p| self.body.milestones[p].depth + 1);
        let Some(item) = self.items.last_mut() else {
            return;
        };
        item.milestone = Some(self.body.milestones.len());
        self.body.milestones.push(Milestone {
            text: String::new(),
            markdown: None,
            state,
            parent,
            depth,
            due: None,
            done_marker: None,
            position: {
                let (bullet, checkbox) =
                    (self.lines.position(item.start), self.lines.position(marker));
                if bullet.line == checkbox.line {
                    bullet
                } else {
                    checkbox
                }
            },
            tags: Vec::new(),
            section: self.open_headings.last().copied(),
        });
    }

    /// The kind of notes the innermost notes section around the current point collects.
    fn section_kind(&self) -> Option<NoteKind> {
        self.open_headings
            .iter()
            .rev()
            .find_map(|&h| NoteKind::of_heading(&self.body.headings[h].text))
    }

    /// `markdown` is the note's source as [`Self::source_markdown`] gives it.
    fn push_note(&mut self, kind: NoteKind, start: usize, text: &str, markdown: Option<String>) {
        let text = collapse_whitespace(text);
        if !text.is_empty() {
            self.body.notes.push(Note {
                kind,
                markdown: markdown_if_not(&text, markdown),
                text,
                position: self.lines.position(start),
            });
        }
    }

    fn end_item(&mut self, end: usize) {
        let Some(item) = self.items.pop() else {
            return;
        };
        let markdown = self.source_markdown(item.source);
        let Some(index) = item.milestone else {
            if self.items.is_empty()
                && let Some(kind) = self.section_kind()
            {
                self.push_note(kind, item.start, &item.text, markdown);
            }
            return;
        };
        let written = strip_other_task_marker(item.text.trim_start());
        let (text, markers) = extract_date_markers(written);
        let source = &self.text[item.start..end];
        let milestone_position = self.body.milestones[index].position;
        for marker in markers {
            let position = source.find(&marker.raw).map_or(milestone_position, |at| {
                self.lines.position(item.start + at)
            });
            match marker.date {
                Ok(date) => {
                    let milestone = &mut self.body.milestones[index];
                    match marker.kind {
                        MarkerKind::Due => milestone.due = Some(date),
                        MarkerKind::Done => milestone.done_marker = Some(date),
                    }
                }
                Err(message) => self.diagnostics.push(Diagnostic::error(
                    self.file,
                    Some(position),
                    format!("milestone date `{}`: {message}", marker.raw),
                )),
            }
        }
        if self.items.is_empty()
            && let Some(kind) = self.section_kind()
        {
            self.push_note(kind, item.start, &text, markdown.clone());
        }
        let milestone = &mut self.body.milestones[index];
        milestone.markdown = markdown_if_not(&text, markdown);
        milestone.text = text;
        milestone.tags = item.tags;
    }

    fn end_heading(&mut self) {
        let Some(heading) = self.heading.take() else {
            return;
        };
        while let Some(&open) = self.open_headings.last() {
            if self.body.headings[open].level >= heading.level {
                self.open_headings.pop();
            } else {
                break;
            }
        }
        let index = self.body.headings.len();
        self.body.headings.push(Heading {
            text: collapse_whitespace(&heading.text),
            level: heading.level,
            position: self.lines.position(heading.start),
            parent: self.open_headings.last().copied(),
        });
        self.open_headings.push(index);
    }
}

/// `[-] `, `[/] `, `[>] ` and other one-character states that pulldown-cmark leaves as
/// text: `-` is cancelled, `x`/`X` done, anything else open.
fn other_task_marker(source: &str) -> Option<MilestoneState> {
    let mut chars = source.chars();
    if chars.next() != Some('[') {
        return None;
    }
    let state = chars.next().filter(|c| !c.is_whitespace() && *c != ']')?;
    if chars.next() != Some(']') || !chars.next().is_some_and(|c| c == ' ' || c == '\t') {
        return None;
    }
    Some(match state {
        '-' => MilestoneState::Cancelled,
        'x' | 'X' => MilestoneState::Done,
        _ => MilestoneState::Open,
    })
}

fn strip_other_task_marker(text: &str) -> &str {
    match other_task_marker(text) {
        Some(_) => {
            let marker_len = text.char_indices().nth(3).map_or(text.len(), |(at, _)| at);
            &text[marker_len..]
        }
        None => text,
    }
}

#[derive(Debug, PartialEq, Eq)]
enum MarkerKind {
    Due,
    Done,
}

#[derive(Debug, PartialEq)]
struct DateMarker {
    kind: MarkerKind,
    /// The marker as written, to point at it in the source.
    raw: String,
    date: Result<Date, String>,
}

/// Finds `📅 date`, `✅ date`, `[due:: date]` and `[done:: date]`, and returns the text
/// without them (whitespace collapsed) and the markers found.
fn extract_date_markers(text: &str) -> (String, Vec<DateMarker>) {
    let mut rest = text;
    let mut kept = String::with_capacity(text.len());
    let mut markers = Vec::new();
    while let Some((at, kind, marker_len, value)) = next_marker(rest) {
        kept.push_str(&rest[..at]);
        kept.push(' ');
        let raw = rest[at..at + marker_len].to_string();
        let date = if value.is_empty() {
            Err("the marker needs a date written as YYYY-MM-DD".to_string())
        } else {
            Date::parse(value).map_err(|error| error.to_string())
        };
        markers.push(DateMarker { kind, raw, date });
        rest = &rest[at + marker_len..];
    }
    kept.push_str(rest);
    (collapse_whitespace(&kept), markers)
}

/// The first marker in `text`: its offset, kind, length and the date text inside it.
fn next_marker(text: &str) -> Option<(usize, MarkerKind, usize, &str)> {
    let emoji = [("📅", MarkerKind::Due), ("✅", MarkerKind::Done)]
        .into_iter()
        .filter_map(|(symbol, kind)| text.find(symbol).map(|at| (at, kind, symbol.len())))
        .min_by_key(|(at, _, _)| *at)
        .map(|(at, kind, symbol_len)| {
            let after = &text[at + symbol_len..];
            let after_selector = after.strip_prefix('\u{FE0F}').unwrap_or(after);
            let value_start = after_selector.len() - after_selector.trim_start().len();
            let value_text = &after_selector[value_start..];
            let value_len = value_text
                .find(char::is_whitespace)
                .unwrap_or(value_text.len());
            let len = text.len() - at - (value_text.len() - value_len);
            (at, kind, len, &value_text[..value_len])
        });
    let field = [("[due::", MarkerKind::Due), ("[done::", MarkerKind::Done)]
        .into_iter()
        .filter_map(|(open, kind)| {
            let at = text.find(open)?;
            let close = text[at..].find(']')?;
            Some((
                at,
                kind,
                close + 1,
                text[at + open.len()..at + close].trim(),
            ))
        })
        .min_by_key(|(at, _, _, _)| *at);
    match (emoji, field) {
        (Some(e), Some(f)) => Some(if e.0 <= f.0 { e } else { f }),
        (e, f) => e.or(f),
    }
}

/// `#tag`s in a piece of text: after a space or at the start, letters, digits, `_`, `-`
/// and `/`, with at least one that is not a digit (`#1` is not a tag). Lowercased.
fn find_tags(text: &str) -> Vec<(usize, String)> {
    let mut tags = Vec::new();
    // Most text is prose without tags: one fast scan instead of a walk over its chars.
    if !text.contains('#') {
        return tags;
    }
    let mut previous = ' ';
    for (at, c) in text.char_indices() {
        if c == '#' && (previous.is_whitespace() || "([,".contains(previous)) {
            let name: String = text[at + 1..]
                .chars()
                .take_while(|&c| c.is_alphanumeric() || "_-/".contains(c))
                .collect();
            let name = name.trim_end_matches(['-', '/']);
            if name.chars().any(|c| !c.is_ascii_digit()) {
                tags.push((at, name.to_lowercase()));
            }
        }
        previous = c;
    }
    tags
}

/// Events that are part of a paragraph's inline text, markup included.
fn is_inline(event: &Event) -> bool {
    matches!(
        event,
        Event::Text(_)
            | Event::Code(_)
            | Event::InlineHtml(_)
            | Event::SoftBreak
            | Event::HardBreak
            | Event::InlineMath(_)
            | Event::FootnoteReference(_)
            | Event::Start(
                Tag::Emphasis
                    | Tag::Strong
                    | Tag::Strikethrough
                    | Tag::Link { .. }
                    | Tag::Image { .. }
            )
            | Event::End(
                TagEnd::Emphasis
                    | TagEnd::Strong
                    | TagEnd::Strikethrough
                    | TagEnd::Link
                    | TagEnd::Image
            )
    )
}

/// The markdown as written, unless it says nothing more than the plain text (most text
/// has no markup, and then one copy is enough).
fn markdown_if_not(text: &str, markdown: Option<String>) -> Option<String> {
    markdown.filter(|markdown| markdown != text && !markdown.is_empty())
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Position;

    fn body(text: &str) -> (Body, Vec<Diagnostic>) {
        let lines = LineIndex::new(text);
        let mut diagnostics = Vec::new();
        let body = read(text, 0, &lines, "f.md", &mut diagnostics);
        (body, diagnostics)
    }

    proptest::proptest! {
        /// `source_markdown` skips text without markup characters; for such text the
        /// plain text must be exactly what the markdown would have been.
        #[test]
        fn text_without_markup_characters_is_its_own_markdown(
            written in "[a-z #:0-9()!>.-]{1,20}( ?(📅|✅) 2026-0[1-9]-1[0-9])?( \\[due:: 2026-01-01\\])?"
        ) {
            let (body, _) = body(&format!("- [ ] {written}\n"));
            if let Some(milestone) = body.milestones.first() {
                let full = collapse_whitespace(
                    &extract_date_markers(strip_other_task_marker(written.trim_start())).0,
                );
                proptest::prop_assert!(
                    milestone.markdown.is_none() && milestone.text == full
                        || milestone.markdown.as_deref() == Some(full.as_str()),
                    "{:?} gave text {:?} and markdown {:?}", written, milestone.text, milestone.markdown
                );
            }
        }
    }

    #[test]
    fn a_milestone_whose_text_starts_below_its_bullet_is_reported_on_the_text_line() {
        // Found by the property test: an empty `*` item holding an indented task list.
        let (body, _) = body("*\n\t0. [ ] a\r\n-\n  [x] b\n");
        let found: Vec<(&str, u32)> = body
            .milestones
            .iter()
            .map(|m| (m.text.as_str(), m.position.line))
            .collect();
        assert_eq!(found, [("a", 2), ("b", 4)]);
    }

    #[test]
    fn markdown_is_kept_as_written_only_when_it_has_markup() {
        let (body, _) = body(
            "- [ ] plain text #sql\n\
             - [x] read **chapter 3** of [the book](https://example.com) 📅 2026-03-01\n\
             - [-] `cancelled` step\n\
             \x20 continued <b>here</b>\n\
             \x20 - [ ] nested *child*\n\
             \n\
             # Wins\n\
             \n\
             Shipped the *migration*.\n",
        );
        let milestones: Vec<(&str, Option<&str>)> = body
            .milestones
            .iter()
            .map(|m| (m.text.as_str(), m.markdown.as_deref()))
            .collect();
        assert_eq!(
            milestones,
            [
                ("plain text #sql", None),
                (
                    "read chapter 3 of the book",
                    Some("read **chapter 3** of [the book](https://example.com)")
                ),
                (
                    "cancelled step continued here",
                    Some("`cancelled` step continued <b>here</b>")
                ),
                ("nested child", Some("nested *child*")),
            ]
        );
        assert_eq!(
            body.notes[0].markdown.as_deref(),
            Some("Shipped the *migration*.")
        );
    }

    fn notes(text: &str) -> Vec<(NoteKind, String, u32)> {
        body(text)
            .0
            .notes
            .into_iter()
            .map(|n| (n.kind, n.text, n.position.line))
            .collect()
    }

    #[test]
    fn notes_are_the_top_level_items_and_paragraphs_of_their_sections() {
        let text = "# Week
## 🎉 Wins!
- Shipped **it**
  - detail, not a note
- [x] task win ✅ 2026-01-02

## What I learned
Rehearse
out loud.

### Details
- still a lesson
## Plans
- not a note
## Feedback
```
- code
```
> quoted
";
        assert_eq!(
            notes(text),
            [
                (NoteKind::Win, "Shipped it".to_string(), 3),
                (NoteKind::Win, "task win".to_string(), 5),
                (NoteKind::Lesson, "Rehearse out loud.".to_string(), 8),
                (NoteKind::Lesson, "still a lesson".to_string(), 12),
                // Quoted feedback is feedback; code is not.
                (NoteKind::Feedback, "quoted".to_string(), 19),
            ]
        );
    }

    #[test]
    fn section_names_match_synonyms_only() {
        for (heading, kind) in [
            ("Wins", Some(NoteKind::Win)),
            ("ACHIEVEMENTS", Some(NoteKind::Win)),
            ("Lessons learned:", Some(NoteKind::Lesson)),
            ("TIL", Some(NoteKind::Lesson)),
            ("Feedback received", Some(NoteKind::Feedback)),
            ("Winter plans", None),
            ("Learn SQL", None),
        ] {
            assert_eq!(NoteKind::of_heading(heading), kind, "{heading}");
        }
    }

    fn milestones(text: &str) -> Vec<(String, MilestoneState, u32)> {
        body(text)
            .0
            .milestones
            .into_iter()
            .map(|m| (m.text, m.state, m.depth))
            .collect()
    }

    fn m(text: &str, state: MilestoneState, depth: u32) -> (String, MilestoneState, u32) {
        (text.to_string(), state, depth)
    }

    use MilestoneState::{Cancelled, Done, Open};

    #[test]
    fn every_bullet_kind_and_checked_state() {
        let found = milestones("- [ ] a\n* [x] b\n+ [X] c\n1. [ ] d\n2) [x] e\n");
        assert_eq!(
            found,
            [
                m("a", Open, 0),
                m("b", Done, 0),
                m("c", Done, 0),
                m("d", Open, 0),
                m("e", Done, 0)
            ]
        );
    }

    #[test]
    fn other_bracket_states() {
        let found = milestones("- [-] no\n- [/] half\n- [>] later\n- [!] important\n- [?] maybe\n");
        assert_eq!(
            found,
            [
                m("no", Cancelled, 0),
                m("half", Open, 0),
                m("later", Open, 0),
                m("important", Open, 0),
                m("maybe", Open, 0)
            ]
        );
    }

    #[test]
    fn nesting_depth_and_parents() {
        let (body, _) = body("- [ ] a\n  - [x] b\n    - note\n      - [ ] c\n- [ ] d\n");
        let shape: Vec<_> = body
            .milestones
            .iter()
            .map(|m| (m.text.as_str(), m.depth, m.parent))
            .collect();
        assert_eq!(
            shape,
            [
                ("a", 0, None),
                ("b", 1, Some(0)),
                ("c", 2, Some(1)),
                ("d", 0, None)
            ]
        );
    }

    #[test]
    fn tasks_inside_blockquotes_and_loose_lists() {
        let found = milestones("> - [ ] quoted\n>   - [x] nested\n\n- [ ] loose\n\n- [x] list\n");
        assert_eq!(
            found,
            [
                m("quoted", Open, 0),
                m("nested", Done, 1),
                m("loose", Open, 0),
                m("list", Done, 0)
            ]
        );
    }

    #[test]
    fn lookalikes_are_not_milestones() {
        let text = "```\n- [ ] fenced\n```\n\n    - [ ] indented code\n\n`- [ ] inline`\n\n\
                    <div>\n- [ ] html\n</div>\n\n- [] empty brackets\n- [ab] two chars\n- [x]no space\n\
                    Not a list [ ] item\n";
        assert_eq!(milestones(text), []);
    }

    #[test]
    fn text_is_plain_and_keeps_tags() {
        let found = milestones(
            "- [ ] Read **chapter 3** of [the book](http://x) `SELECT` #sql\n  and more\n",
        );
        assert_eq!(
            found,
            [m(
                "Read chapter 3 of the book SELECT #sql and more",
                Open,
                0
            )]
        );
    }

    #[test]
    fn text_of_a_parent_excludes_its_children() {
        let found = milestones("- [ ] parent\n  - [ ] child\n");
        assert_eq!(found, [m("parent", Open, 0), m("child", Open, 1)]);
    }

    #[test]
    fn positions_are_the_bullets() {
        let (body, _) = body("# T\n\ntext\n- [ ] a\n  - [x] b\n");
        let positions: Vec<_> = body.milestones.iter().map(|m| m.position).collect();
        assert_eq!(positions, [Position::new(4, 1), Position::new(5, 3)]);
    }

    #[test]
    fn date_markers_are_read_and_stripped() {
        let (body, diagnostics) = body(
            "- [x] a 📅 2026-03-01 ✅ 2026-02-27 end\n- [ ] b [due:: 2026-04-01]\n- [x] c [done:: 2026-01-02]\n",
        );
        assert_eq!(diagnostics, []);
        let found: Vec<_> = body
            .milestones
            .iter()
            .map(|m| {
                (
                    m.text.as_str(),
                    m.due.map(|d| d.to_string()),
                    m.done_marker.map(|d| d.to_string()),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                (
                    "a end",
                    Some("2026-03-01".into()),
                    Some("2026-02-27".into())
                ),
                ("b", Some("2026-04-01".into()), None),
                ("c", None, Some("2026-01-02".into())),
            ]
        );
    }

    #[test]
    fn bad_marker_dates_are_errors_pointing_at_the_marker() {
        let (body, diagnostics) = body("intro\n- [ ] a 📅 2026-02-30\n- [ ] b [due:: soon]\n");
        assert_eq!(body.milestones.len(), 2);
        assert_eq!(diagnostics.len(), 2);
        assert_eq!(diagnostics[0].position, Some(Position::new(2, 9)));
        assert!(diagnostics[0].message.contains("not a day of the calendar"));
        assert_eq!(diagnostics[1].position, Some(Position::new(3, 9)));
    }

    #[test]
    fn headings_nest_and_milestones_know_their_section() {
        let (body, _) = body("# A\n- [ ] one\n## B\n- [ ] two\n# C\n- [ ] three\n");
        let sections: Vec<_> = body
            .milestones
            .iter()
            .map(|m| m.section.map(|s| body.headings[s].text.as_str()))
            .collect();
        assert_eq!(sections, [Some("A"), Some("B"), Some("C")]);
        assert_eq!(body.headings[1].parent, Some(0));
        assert_eq!(body.headings[2].parent, None);
    }

    #[test]
    fn tags_are_found_outside_code() {
        let (body, _) = body(
            "Worked on #SQL and #career/growth, not #1.\n\n```\n#not-a-tag\n```\n`#nor-this` a#b\n",
        );
        let tags: Vec<_> = body
            .tags
            .iter()
            .map(|t| (t.value.as_str(), t.position))
            .collect();
        assert_eq!(
            tags,
            [
                ("sql", Position::new(1, 11)),
                ("career/growth", Position::new(1, 20))
            ]
        );
    }

    #[test]
    fn milestone_tags_are_its_own() {
        let (body, _) = body("- [ ] a #one\n  - [ ] b #two\n");
        assert_eq!(body.milestones[0].tags, ["one"]);
        assert_eq!(body.milestones[1].tags, ["two"]);
    }
}
