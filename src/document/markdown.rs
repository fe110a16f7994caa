//! The markdown body: milestones (task-list items, and Logseq's `TODO` items), headings,
//! `#tags`, `[[wikilinks]]` and Dataview fields, all taken from pulldown-cmark's parse, so
//! that text in code blocks, inline code or HTML never counts.

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

use super::metadata::{self, DateKind, Marker, collapse_whitespace};
use super::text::LineIndex;
use super::{
    Document, Fields, Heading, Located, Milestone, MilestoneState, Note, NoteKind, ParseOptions,
    Priority, TaskMetadata,
};
use crate::diagnostic::{Diagnostic, Position};

/// The options pulldown-cmark parses bodies with.
const MARKDOWN_OPTIONS: Options = Options::ENABLE_TASKLISTS
    .union(Options::ENABLE_TABLES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_WIKILINKS);

/// Reads the body `text[body_start..]` into `document`'s milestones, headings, tags,
/// notes, fields and links, and its problems into its diagnostics; positions are in the
/// whole file.
///
/// Returns the checked milestones whose line, read alone, may give another text than
/// theirs: their text goes on below that line, or may use a link defined elsewhere in the
/// file (see `Milestone::history_key`). Most milestones are not, and are not read again.
pub fn read(
    text: &str,
    body_start: usize,
    lines: &LineIndex,
    options: &ParseOptions,
    document: &mut Document,
) -> Vec<usize> {
    let mut reader = BodyReader {
        text,
        lines,
        options,
        document,
        read_line_alone: Vec::new(),
        items: Vec::new(),
        open_headings: Vec::new(),
        heading: None,
        in_code_block: false,
        in_wikilink: false,
        paragraph_note: None,
        block: Block::default(),
        has_link_definitions: false,
    };
    let events = Parser::new_ext(&text[body_start..], MARKDOWN_OPTIONS).into_offset_iter();
    reader.has_link_definitions = events.reference_definitions().iter().next().is_some();
    for (event, range) in events {
        reader.event(event, body_start + range.start, body_start + range.end);
    }
    reader.flush_block();
    reader.read_line_alone
}

/// A list item being read.
struct Item {
    start: usize,
    /// Index into `Document::milestones` once the item turned out to be a task.
    milestone: Option<usize>,
    /// Nothing of the item's text has been seen yet: where a `[-]` marker may stand.
    at_text_start: bool,
    /// The item's first block is still being read, so its text is the item's text.
    collecting: bool,
    text: String,
    /// Byte ranges of `text` that were inline code.
    code: Vec<Range<usize>>,
    /// Where the collected text is in the file, markup included.
    source: Source,
    tags: Vec<String>,
    /// Bytes at the start of the text that are its task marker (`[-]`, `TODO [#A]`),
    /// not its text.
    marker_len: usize,
    /// Where the marker ends in the file: a `#A` before it is no tag.
    marker_end: usize,
    links: Vec<String>,
    fields: Fields,
}

/// The span of the file a text was collected from: from the first inline event to the end
/// of the last, so that it holds the text's inline markdown as written, and where inline
/// code is in it. Empty until the first event.
#[derive(Default, Clone)]
struct Source {
    span: Option<(usize, usize)>,
    code: Vec<Range<usize>>,
}

impl Source {
    fn extend(&mut self, start: usize, end: usize, is_code: bool) {
        self.span = Some(match self.span {
            Some((first, last)) => (first, last.max(end)),
            None => (start, end),
        });
        if is_code {
            self.code.push(start..end);
        }
    }

    /// `text[start..end]` trimmed at the start, without the first `marker_len` bytes, and
    /// its code ranges relative to it.
    fn written<'t>(
        &self,
        text: &'t str,
        marker_len: usize,
    ) -> Option<(&'t str, Vec<Range<usize>>)> {
        let (start, end) = self.span?;
        let whole = text.get(start..end)?;
        let trimmed = whole.trim_start();
        let written = trimmed.get(marker_len..).unwrap_or(trimmed);
        let offset = start + whole.len() - written.len();
        Some((written, shift(&self.code, offset)))
    }
}

/// `ranges` moved `by` bytes to the left (ranges that start before are cut).
fn shift(ranges: &[Range<usize>], by: usize) -> Vec<Range<usize>> {
    ranges
        .iter()
        .map(|r| r.start.saturating_sub(by)..r.end.saturating_sub(by))
        .collect()
}

/// The paragraph (or item text, or table cell) being read, for its Dataview fields: only
/// a block whose text has a `::` is looked at again.
#[derive(Default)]
struct Block {
    source: Source,
    has_field: bool,
}

/// A paragraph outside any list, in a notes section.
struct ParagraphNote {
    kind: NoteKind,
    start: usize,
    text: String,
    source: Source,
}

/// What a piece of inline text is, which decides whether `#tags` in it count.
#[derive(Clone, Copy)]
enum Inline {
    /// Text as written.
    Prose,
    /// Inline code, the name a `[[wikilink]]` shows, a line break.
    NoTags,
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
    options: &'a ParseOptions,
    /// The document being read: its path, and where what the body holds goes.
    document: &'a mut Document,
    /// See what [`read`] returns.
    read_line_alone: Vec<usize>,
    items: Vec<Item>,
    /// Indices into `Document::headings` of the sections that contain the current point.
    open_headings: Vec<usize>,
    heading: Option<OpenHeading>,
    in_code_block: bool,
    /// Inside a `[[wikilink]]` without an alias, whose text is replaced by the note's name.
    in_wikilink: bool,
    paragraph_note: Option<ParagraphNote>,
    block: Block,
    /// Whether the file defines links (`[name]: url`) that items may use by name.
    has_link_definitions: bool,
}

impl BodyReader<'_> {
    fn event(&mut self, event: Event, start: usize, end: usize) {
        self.check_for_task_marker(&event, start);
        if is_inline(&event) {
            self.extend_source(&event, start, end);
        } else {
            self.flush_block();
        }
        match event {
            Event::Start(Tag::Item) => self.items.push(Item {
                start,
                milestone: None,
                at_text_start: true,
                collecting: true,
                text: String::new(),
                code: Vec::new(),
                source: Source::default(),
                tags: Vec::new(),
                marker_len: 0,
                marker_end: start,
                links: Vec::new(),
                fields: Fields::new(),
            }),
            Event::End(TagEnd::Item) => self.end_item(end),
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { has_pothole },
                dest_url,
                ..
            }) => self.wikilink(&dest_url, has_pothole, start),
            Event::End(TagEnd::Link) => self.in_wikilink = false,
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
                    let markdown = self.source_markdown(&note.source, 0);
                    self.push_note(note.kind, note.start, &note.text, markdown);
                }
            }
            Event::Text(text) if !self.in_code_block && !self.in_wikilink => {
                self.inline_text(&text, start, Inline::Prose);
            }
            Event::Code(text) => {
                if let Some(item) = self.items.last_mut()
                    && item.collecting
                    && self.heading.is_none()
                    && self.paragraph_note.is_none()
                {
                    item.code
                        .push(item.text.len()..item.text.len() + text.len());
                }
                self.inline_text(&text, start, Inline::NoTags);
            }
            Event::SoftBreak | Event::HardBreak => self.inline_text(" ", start, Inline::NoTags),
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
        let source = &self.text[start..];
        let found = match event {
            Event::TaskListMarker(true) => Some((MilestoneState::Done, 0, None)),
            Event::TaskListMarker(false) => Some((MilestoneState::Open, 0, None)),
            Event::Start(Tag::Paragraph) => return,
            Event::Text(_) if self.options.logseq_markers => other_task_marker(source)
                .map(|(state, len)| (state, len, None))
                .or_else(|| metadata::logseq_marker(source)),
            _ => other_task_marker(source).map(|(state, len)| (state, len, None)),
        };
        item.at_text_start = false;
        if let Some((state, marker_len, priority)) = found {
            item.marker_len = marker_len;
            item.marker_end = start + marker_len;
            self.begin_milestone(state, start, priority);
        }
    }

    /// A `[[wikilink]]`: its target is kept, and without an alias it shows the note's name.
    fn wikilink(&mut self, target: &str, has_alias: bool, start: usize) {
        self.document.links.push(Located {
            value: target.to_string(),
            position: self.lines.position(start),
        });
        if let Some(item) = self.items.last_mut()
            && item.collecting
        {
            item.links.push(target.to_string());
        }
        if !has_alias {
            self.inline_text(metadata::wikilink_display(target), start, Inline::NoTags);
            self.in_wikilink = true;
        }
    }

    /// Text of a paragraph, heading or item.
    fn inline_text(&mut self, text: &str, start: usize, kind: Inline) {
        let mut tags = match kind {
            Inline::Prose => find_tags(text),
            Inline::NoTags => Vec::new(),
        };
        if let Some(item) = self.items.last()
            && start < item.marker_end
        {
            // `[#A]`, Logseq's priority, is no tag.
            tags.retain(|(at, _)| start + at >= item.marker_end);
        }
        for (at, tag) in &tags {
            let position = self.lines.position(start + at);
            self.document.tags.push(Located {
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

    /// Grows the source span of the text being collected, as `inline_text` chooses it,
    /// and of the block being read.
    fn extend_source(&mut self, event: &Event, start: usize, end: usize) {
        if self.heading.is_some() || self.in_code_block {
            return;
        }
        let is_code = matches!(event, Event::Code(_));
        self.block.source.extend(start, end, is_code);
        if let Event::Text(text) = event
            && text.contains("::")
        {
            self.block.has_field = true;
        }
        if let Some(note) = &mut self.paragraph_note {
            note.source.extend(start, end, is_code);
        } else if let Some(item) = self.items.last_mut()
            && item.collecting
            && !item.at_text_start
        {
            item.source.extend(start, end, is_code);
        }
    }

    /// Ends the block being read: its Dataview fields are the document's, and its item's
    /// when it is the item's own text.
    fn flush_block(&mut self) {
        let block = std::mem::take(&mut self.block);
        if !block.has_field {
            return;
        }
        let Some((source, code)) = block.source.written(self.text, 0) else {
            return;
        };
        let item = self.items.last_mut().filter(|item| item.collecting);
        let mut item_fields = item.map(|item| &mut item.fields);
        for (key, value) in metadata::fields(source, &code) {
            if let Some(fields) = item_fields.as_deref_mut() {
                fields.entry(key.clone()).or_insert_with(|| value.clone());
            }
            self.document.fields.entry(key).or_insert(value);
        }
    }

    /// The inline markdown of a source span, task marker, Tasks markers and bracketed
    /// fields removed and whitespace collapsed; `None` when the span has no character that
    /// starts inline markup, as then the plain text says it all (and most text is like
    /// that: no copy is made).
    fn source_markdown(&self, source: &Source, marker_len: usize) -> Option<String> {
        let (written, code) = source.written(self.text, marker_len)?;
        if !written.bytes().any(|b| b"*_`[<&\\~".contains(&b)) {
            return None;
        }
        Some(metadata::strip_markers(written, &code).0)
    }

    fn stop_collecting(&mut self) {
        if let Some(item) = self.items.last_mut() {
            item.collecting = false;
        }
    }

    /// `marker` is where the checkbox is: the milestone is reported on the bullet's line,
    /// or on the checkbox's when the item's text starts on a later line (`-` alone on a
    /// line, its text indented below).
    fn begin_milestone(
        &mut self,
        state: MilestoneState,
        marker: usize,
        priority: Option<Priority>,
    ) {
        let parent = self
            .items
            .iter()
            .rev()
            .skip(1)
            .find_map(|item| item.milestone);
        let depth = parent.map_or(0, |p| self.document.milestones[p].depth + 1);
        let Some(item) = self.items.last_mut() else {
            return;
        };
        item.milestone = Some(self.document.milestones.len());
        self.document.milestones.push(Milestone {
            text: String::new(),
            markdown: None,
            state,
            parent,
            depth,
            due: None,
            done_marker: None,
            tasks: priority.map(|priority| {
                Box::new(TaskMetadata {
                    priority: Some(priority),
                    ..TaskMetadata::default()
                })
            }),
            links: Vec::new(),
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
            history_key: None,
        });
    }

    /// The kind of notes the innermost notes section around the current point collects.
    fn section_kind(&self) -> Option<NoteKind> {
        self.open_headings.iter().rev().find_map(|&h| {
            self.options
                .sections
                .kind_of_heading(&self.document.headings[h].text)
        })
    }

    /// `markdown` is the note's source as [`Self::source_markdown`] gives it.
    fn push_note(&mut self, kind: NoteKind, start: usize, text: &str, markdown: Option<String>) {
        let text = collapse_whitespace(text);
        if !text.is_empty() {
            self.document.notes.push(Note {
                kind,
                markdown: markdown_if_not(&text, markdown),
                text,
                position: self.lines.position(start),
            });
        }
    }

    /// Where the text collected in `source` starts, after a task keyword of
    /// `marker_len` bytes; `None` when there is no text.
    fn first_text_position(&self, source: &Source, marker_len: usize) -> Option<Position> {
        let (start, end) = source.span?;
        let whole = self.text.get(start..end)?.trim_start();
        let rest = whole.get(marker_len..).unwrap_or(whole).trim_start();
        (!rest.is_empty()).then(|| self.lines.position(end - rest.len()))
    }

    fn end_item(&mut self, end: usize) {
        let Some(item) = self.items.pop() else {
            return;
        };
        let markdown = self.source_markdown(&item.source, item.marker_len);
        let Some(index) = item.milestone else {
            if self.items.is_empty()
                && let Some(kind) = self.section_kind()
            {
                self.push_note(kind, item.start, &item.text, markdown);
            }
            return;
        };
        let trimmed = item.text.trim_start();
        let written = trimmed.get(item.marker_len..).unwrap_or(trimmed);
        let code = shift(&item.code, item.text.len() - written.len());
        let (text, markers) = metadata::strip_markers(written, &code);
        for marker in markers {
            self.apply_marker(index, marker, &self.text[item.start..end], item.start);
        }
        if self.items.is_empty()
            && let Some(kind) = self.section_kind()
        {
            self.push_note(kind, item.start, &text, markdown.clone());
        }
        let text_line = self.first_text_position(&item.source, item.marker_len);
        let wrapped = item
            .source
            .span
            .and_then(|(start, end)| self.text.get(start..end))
            .is_some_and(|source| source.contains(['\n', '\r']));
        if (wrapped || self.has_link_definitions)
            && self.document.milestones[index].state == MilestoneState::Done
        {
            self.read_line_alone.push(index);
        }
        let milestone = &mut self.document.milestones[index];
        // `- [ ]` or `- TODO` alone on its line, with the text below it: the milestone is
        // where its text is.
        if let Some(at) = text_line.filter(|at| at.line > milestone.position.line) {
            milestone.position = at;
        }
        milestone.markdown = markdown_if_not(&text, markdown);
        milestone.text = text;
        milestone.tags = item.tags;
        milestone.links = item.links;
        if !item.fields.is_empty() {
            milestone.tasks.get_or_insert_default().fields = item.fields;
        }
    }

    /// Sets what a Tasks marker says on milestone `index`; a bad value is a diagnostic
    /// pointing at the marker in `source` (the item's, which starts at `source_start`).
    fn apply_marker(&mut self, index: usize, marker: Marker, source: &str, source_start: usize) {
        let milestone = &mut self.document.milestones[index];
        let position_of = |raw: &str| {
            source.find(raw).map_or(milestone.position, |at| {
                self.lines.position(source_start + at)
            })
        };
        match marker {
            Marker::Date {
                date: Ok(date),
                kind,
                ..
            } => {
                let slot = match kind {
                    DateKind::Due => &mut milestone.due,
                    DateKind::Done => &mut milestone.done_marker,
                    DateKind::Scheduled => &mut milestone.tasks.get_or_insert_default().scheduled,
                    DateKind::Start => &mut milestone.tasks.get_or_insert_default().start,
                    DateKind::Created => &mut milestone.tasks.get_or_insert_default().created,
                    DateKind::Cancelled => {
                        milestone.state = MilestoneState::Cancelled;
                        &mut milestone.tasks.get_or_insert_default().cancelled_on
                    }
                };
                *slot = Some(date);
            }
            Marker::Date {
                date: Err(message),
                raw,
                ..
            } => self.document.diagnostics.push(Diagnostic::error(
                &self.document.path,
                Some(position_of(&raw)),
                format!("milestone date `{raw}`: {message}"),
            )),
            Marker::Recurrence(rule) => {
                milestone
                    .tasks
                    .get_or_insert_default()
                    .recurrence
                    .get_or_insert(rule);
            }
            Marker::Priority(priority) => {
                milestone
                    .tasks
                    .get_or_insert_default()
                    .priority
                    .get_or_insert(priority);
            }
            Marker::UnknownPriority { raw } => self.document.diagnostics.push(Diagnostic::warning(
                &self.document.path,
                Some(position_of(&raw)),
                format!(
                    "`{raw}` is not a priority; write highest, high, medium, low or lowest \
                     (the milestone has no priority)"
                ),
            )),
        }
    }

    fn end_heading(&mut self) {
        let Some(heading) = self.heading.take() else {
            return;
        };
        while let Some(&open) = self.open_headings.last() {
            if self.document.headings[open].level >= heading.level {
                self.open_headings.pop();
            } else {
                break;
            }
        }
        let index = self.document.headings.len();
        self.document.headings.push(Heading {
            text: collapse_whitespace(&heading.text),
            level: heading.level,
            position: self.lines.position(heading.start),
            parent: self.open_headings.last().copied(),
        });
        self.open_headings.push(index);
    }
}

/// `[-] `, `[/] `, `[>] ` and other one-character states that pulldown-cmark leaves as
/// text: `-` is cancelled, `x`/`X` done, anything else open. With the marker's length.
fn other_task_marker(source: &str) -> Option<(MilestoneState, usize)> {
    let mut chars = source.chars();
    if chars.next() != Some('[') {
        return None;
    }
    let state = chars.next().filter(|c| !c.is_whitespace() && *c != ']')?;
    if chars.next() != Some(']') || !chars.next().is_some_and(|c| c == ' ' || c == '\t') {
        return None;
    }
    let state_of = match state {
        '-' => MilestoneState::Cancelled,
        'x' | 'X' => MilestoneState::Done,
        _ => MilestoneState::Open,
    };
    Some((state_of, 2 + state.len_utf8()))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Position;
    use crate::document::Priority;

    /// The document of a file that is all body, read with `options`.
    fn body_with(text: &str, options: &ParseOptions) -> Document {
        let mut document = Document {
            path: "f.md".to_string(),
            ..Document::default()
        };
        read(text, 0, &LineIndex::new(text), options, &mut document);
        document
    }

    /// With the default options, and the diagnostics apart.
    fn body(text: &str) -> (Document, Vec<Diagnostic>) {
        let mut document = body_with(text, &ParseOptions::default());
        let diagnostics = std::mem::take(&mut document.diagnostics);
        (document, diagnostics)
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
                let full = metadata::strip_markers(written.trim_start(), &[]).0;
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
        let (nested, _) = body("*\n\t0. [ ] a\r\n-\n  [x] b\n");
        let found: Vec<(&str, u32)> = nested
            .milestones
            .iter()
            .map(|m| (m.text.as_str(), m.position.line))
            .collect();
        assert_eq!(found, [("a", 2), ("b", 4)]);
        // Found by the property test too: a checkbox or a Logseq keyword alone on its
        // line, its text continuing the paragraph below.
        let (below, _) = body("- [/] \r\na\r- TODO \nb [[]]\n- [ ] c\n  d\n");
        let found: Vec<(&str, u32)> = below
            .milestones
            .iter()
            .map(|m| (m.text.as_str(), m.position.line))
            .collect();
        assert_eq!(found, [("a", 2), ("b [[]]", 4), ("c d", 5)]);
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
            assert_eq!(
                crate::document::Sections::default().kind_of_heading(heading),
                kind,
                "{heading}"
            );
        }
    }

    fn milestones(text: &str) -> Vec<(String, MilestoneState, u32)> {
        milestones_with(text, &ParseOptions::default())
    }

    fn milestones_with(text: &str, options: &ParseOptions) -> Vec<(String, MilestoneState, u32)> {
        body_with(text, options)
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
    fn tasks_metadata_is_read_and_stripped() {
        let (body, diagnostics) = body(
            "- [ ] Plan 🔺 🔁 every week on Monday 📅 2026-03-01 ⏳\u{FE0F} 2026-02-20 🛫 2026-02-01 \
             ➕ 2026-01-15 [effort:: 3h] (book:: Clean Code)\n\
             - [x] Dropped ❌ 2026-02-02\n\
             - [ ] Coded `📅 2026-01-01 [effort:: 1h]` ⏬\n\
             - [ ] Bad [priority:: urgent]\n",
        );
        let [plan, dropped, coded, bad] = &body.milestones[..] else {
            panic!("{:?}", body.milestones);
        };
        assert_eq!(plan.text, "Plan Clean Code");
        let (plan_tasks, dropped_tasks) = (plan.tasks(), dropped.tasks());
        assert_eq!(plan_tasks.priority, Some(Priority::Highest));
        assert_eq!(
            plan_tasks.recurrence.as_deref(),
            Some("every week on Monday")
        );
        let day = |d| crate::dates::Date::parse(d).ok();
        assert_eq!(plan.due, day("2026-03-01"));
        assert_eq!(plan_tasks.scheduled, day("2026-02-20"));
        assert_eq!(plan_tasks.start, day("2026-02-01"));
        assert_eq!(plan_tasks.created, day("2026-01-15"));
        let fields: Vec<_> = plan_tasks.fields.iter().collect();
        assert_eq!(
            fields,
            [
                (&"book".to_string(), &"Clean Code".to_string()),
                (&"effort".to_string(), &"3h".to_string())
            ]
        );
        assert_eq!(dropped.state, Cancelled);
        assert_eq!(dropped_tasks.cancelled_on, day("2026-02-02"));
        assert_eq!(coded.text, "Coded 📅 2026-01-01 [effort:: 1h]");
        assert_eq!(coded.due, None);
        assert!(coded.tasks().fields.is_empty());
        assert_eq!(coded.tasks().priority, Some(Priority::Lowest));
        assert_eq!(bad.tasks().priority, None);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].position, Some(Position::new(4, 11)));
        assert!(diagnostics[0].message.contains("not a priority"));
    }

    #[test]
    fn logseq_keywords_are_milestones_unless_switched_off() {
        let text = "- TODO write\n\t- DOING draft\n\t- NOW review\n- LATER [#A] publish #blog\n\
                    - DONE ship\n- CANCELED talk\n- CANCELLED other\n- TODOS not a task\n\
                    - [ ] TODO stays text\n";
        assert_eq!(
            milestones(text),
            [
                m("write", Open, 0),
                m("draft", Open, 1),
                m("review", Open, 1),
                m("publish #blog", Open, 0),
                m("ship", Done, 0),
                m("talk", Cancelled, 0),
                m("other", Cancelled, 0),
                m("TODO stays text", Open, 0),
            ]
        );
        let without_markers = ParseOptions {
            logseq_markers: false,
            ..ParseOptions::default()
        };
        assert_eq!(
            milestones_with(text, &without_markers),
            [m("TODO stays text", Open, 0)]
        );
        let (body, _) = body("- LATER [#A] publish #blog\n");
        assert_eq!(body.milestones[0].tasks().priority, Some(Priority::High));
        assert_eq!(body.milestones[0].tags, ["blog"]);
        let tags: Vec<_> = body.tags.iter().map(|t| t.value.as_str()).collect();
        assert_eq!(tags, ["blog"]);
    }

    #[test]
    fn wikilinks_show_their_alias_or_name_and_are_kept() {
        let (body, _) = body(
            "Intro [[Daily/2026-01-01]]\n\n\
             - [ ] See [[folder/Learn SQL#Plan]], [[learn-sql.md|the SQL goal]] ![[chart.png]]\n\
             - [ ] `[[not a link]]`\n",
        );
        let see = &body.milestones[0];
        assert_eq!(see.text, "See Learn SQL, the SQL goal chart.png");
        assert_eq!(see.links, ["folder/Learn SQL#Plan", "learn-sql.md"]);
        assert!(body.milestones[1].links.is_empty());
        let links: Vec<_> = body
            .links
            .iter()
            .map(|l| (l.value.as_str(), l.position))
            .collect();
        assert_eq!(
            links,
            [
                ("Daily/2026-01-01", Position::new(1, 7)),
                ("folder/Learn SQL#Plan", Position::new(3, 11)),
                ("learn-sql.md", Position::new(3, 38)),
            ]
        );
    }

    #[test]
    fn dataview_fields_of_the_document_outside_code() {
        let (body, _) = body(
            "# Title:: not a field\n\
             Mood:: good\n\
             Energy:: high\n\n\
             > **Project Lead**:: Ana\n\n\
             Text with [effort:: 3h] and `[inline:: code]`.\n\n\
             ```\nfenced:: no\n```\n\n\
             \x20   indented:: no\n\n\
             - [ ] task [due:: 2026-01-01]\n\
             - mood:: ignored, the first wins\n",
        );
        let fields: Vec<_> = body
            .fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                ("due", "2026-01-01"),
                ("effort", "3h"),
                ("energy", "high"),
                ("mood", "good"),
                ("project-lead", "Ana"),
            ]
        );
        assert_eq!(body.milestones[0].tasks().fields.len(), 1);
    }

    #[test]
    fn milestone_tags_are_its_own() {
        let (body, _) = body("- [ ] a #one\n  - [ ] b #two\n");
        assert_eq!(body.milestones[0].tags, ["one"]);
        assert_eq!(body.milestones[1].tags, ["two"]);
    }
}
