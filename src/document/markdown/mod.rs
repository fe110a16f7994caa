//! The markdown body: milestones (task-list items, and Logseq's `TODO` items), headings,
//! `#tags`, `[[wikilinks]]` and Dataview fields, all taken from pulldown-cmark's parse, so
//! that text in code blocks, inline code or HTML never counts (nor in Obsidian's `%%`
//! comments, blanked before the parse).

mod milestone;
mod prepass;
mod references;

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{BrokenLink, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

use super::metadata;
use super::text::{LineIndex, has_doubled, to_u32};
use super::{Document, Fields, Heading, Located, Milestone, Note, NoteKind, ParseOptions};
use crate::diagnostic::Diagnostic;
use crate::hash::FastSet;
use crate::shared_text::SharedText;
use references::ReferenceLink;

/// The options pulldown-cmark parses bodies with.
const MARKDOWN_OPTIONS: Options = Options::ENABLE_TASKLISTS
    .union(Options::ENABLE_TABLES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_WIKILINKS);

/// Reads the body `text[body_start..]` into `document`'s milestones, headings, tags,
/// notes, fields and links, and its problems into its diagnostics; positions are in the
/// whole file.
pub(super) fn read(
    text: &str,
    body_start: usize,
    lines: &LineIndex,
    options: &ParseOptions,
    document: &mut Document,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let body = prepass::without_comments(prepass::with_fence_tabs_as_spaces(&text[body_start..]));
    let text = match &body {
        Cow::Borrowed(_) => Cow::Borrowed(text),
        Cow::Owned(body) => Cow::Owned(format!("{}{body}", &text[..body_start])),
    };
    let text = text.as_ref();
    let mut scratch = SCRATCH.with_borrow_mut(std::mem::take);
    let mut reader = BodyReader {
        text,
        lines,
        options,
        document,
        diagnostics,
        found: std::mem::take(&mut scratch.found),
        items: std::mem::take(&mut scratch.items),
        open_headings: std::mem::take(&mut scratch.open_headings),
        spare_texts: std::mem::take(&mut scratch.texts),
        heading: None,
        in_code_block: false,
        in_wikilink: false,
        paragraph_note: None,
        block: Block::default(),
        references: Vec::new(),
        in_reference: false,
    };
    let undefined_are_links = options.undefined_references_are_links;
    let as_links =
        |_: BrokenLink<'_>| undefined_are_links.then(|| (CowStr::from(""), CowStr::from("")));
    let events = Parser::new_with_broken_link_callback(
        &text[body_start..],
        MARKDOWN_OPTIONS,
        Some(as_links),
    )
    .into_offset_iter();
    for (event, range) in events {
        reader.event(event, body_start + range.start, body_start + range.end);
    }
    reader.flush_block();
    let mut found = reader.found;
    found.move_into(reader.document);
    scratch.found = found;
    scratch.items = reader.items;
    scratch.open_headings = reader.open_headings;
    scratch.texts = reader.spare_texts;
    scratch.keep_small();
    SCRATCH.set(scratch);
}

/// What a body holds, as it is read.
#[derive(Default)]
struct Found {
    milestones: Vec<Milestone>,
    /// The milestones' and the notes' texts, one after the other: the document keeps them
    /// as one shared text, each milestone's and note's a part of it (one allocation a
    /// file, not one a milestone or note).
    texts: String,
    /// Where each milestone's text is in `texts`, by the milestone's index.
    milestone_text_at: Vec<Range<usize>>,
    headings: Vec<Heading>,
    tags: Vec<Located<Arc<str>>>,
    notes: Vec<Note>,
    /// Where each note's text is in `texts`, by the note's index.
    note_text_at: Vec<Range<usize>>,
    links: Vec<Located<String>>,
}

impl Found {
    /// Gives `document` what was found, each list at its length, and keeps the lists,
    /// emptied, for the next file.
    fn move_into(&mut self, document: &mut Document) {
        fn exact<T>(list: &mut Vec<T>) -> Box<[T]> {
            list.drain(..).collect()
        }
        if !self.milestones.is_empty() || !self.notes.is_empty() {
            let texts = SharedText::from(self.texts.as_str());
            for (milestone, at) in self.milestones.iter_mut().zip(&self.milestone_text_at) {
                milestone.text = texts.part(&texts[at.clone()]);
            }
            for (note, at) in self.notes.iter_mut().zip(&self.note_text_at) {
                note.text = texts.part(&texts[at.clone()]);
            }
            self.texts.clear();
            self.milestone_text_at.clear();
            self.note_text_at.clear();
        }
        document.milestones = exact(&mut self.milestones);
        document.headings = exact(&mut self.headings);
        document.tags = exact(&mut self.tags);
        document.notes = exact(&mut self.notes);
        document.set_links(exact(&mut self.links));
    }
}

/// The lists and text buffers a thread reuses from one file to the next: a body's lists
/// grow in them (4, 8, 16, ... places) and each is copied once, at its length, into the
/// document, where growing a list of its own cost an allocation for every doubling and
/// one more to give back the room left over; the texts of items, headings and notes are
/// collected in buffers that are not allocated again for each.
#[derive(Default)]
struct Scratch {
    found: Found,
    items: Vec<Item>,
    open_headings: Vec<OpenSection>,
    texts: Vec<String>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// Places kept in a scratch list, or bytes in a text buffer, between files: a larger one
/// (a file of a million tags) is given back rather than held for as long as its thread.
const SCRATCH_KEPT: usize = 4096;

/// Text buffers kept between files: as many as texts were open at once (items in items),
/// which only a deeply nested list makes more than a few.
const SPARE_TEXTS_KEPT: usize = 64;

impl Scratch {
    /// Gives back what one large or deeply nested file grew the scratch to.
    fn keep_small(&mut self) {
        let found = &mut self.found;
        found.milestones.shrink_to(SCRATCH_KEPT);
        found.texts.shrink_to(SCRATCH_KEPT);
        found.milestone_text_at.shrink_to(SCRATCH_KEPT);
        found.note_text_at.shrink_to(SCRATCH_KEPT);
        found.headings.shrink_to(SCRATCH_KEPT);
        found.tags.shrink_to(SCRATCH_KEPT);
        found.notes.shrink_to(SCRATCH_KEPT);
        found.links.shrink_to(SCRATCH_KEPT);
        self.items.clear();
        self.items.shrink_to(SCRATCH_KEPT);
        self.open_headings.clear();
        self.open_headings.shrink_to(SCRATCH_KEPT);
        self.texts.truncate(SPARE_TEXTS_KEPT);
    }
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
    /// A Logseq property line or drawer came: the rest of the block is no text (its tags,
    /// links and fields still count).
    text_ended: bool,
    text: String,
    /// Byte ranges of `text` that were inline code.
    code: Vec<Range<usize>>,
    /// Where the collected text is in the file, markup included.
    source: Source,
    tags: Vec<Arc<str>>,
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

    /// `text[start..end]` trimmed at the start, without the first `marker_len` bytes,
    /// where that starts in `text`, and its code ranges relative to it.
    fn written<'t>(
        &self,
        text: &'t str,
        marker_len: usize,
    ) -> Option<(&'t str, usize, Vec<Range<usize>>)> {
        let (start, end) = self.span?;
        let whole = text.get(start..end)?;
        let trimmed = whole.trim_start();
        let written = trimmed.get(marker_len..).unwrap_or(trimmed);
        let offset = start + whole.len() - written.len();
        Some((written, offset, shift(&self.code, offset)))
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

/// A section that contains the current point: its heading, and the kind of notes that
/// heading collects, classified once when the heading ends (every paragraph and item
/// asks for it).
struct OpenSection {
    /// Index into `Document::headings`.
    heading: usize,
    kind: Option<NoteKind>,
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
    /// The document being read: its path, and where its fields go.
    document: &'a mut Document,
    diagnostics: &'a mut Vec<Diagnostic>,
    /// What the body holds, for the document once it is read.
    found: Found,
    items: Vec<Item>,
    /// The sections that contain the current point, outermost first.
    open_headings: Vec<OpenSection>,
    /// Emptied text buffers to collect the next item's, heading's or note's text in.
    spare_texts: Vec<String>,
    heading: Option<OpenHeading>,
    in_code_block: bool,
    /// Inside a `[[wikilink]]` without an alias, whose text is replaced by the note's name.
    in_wikilink: bool,
    paragraph_note: Option<ParagraphNote>,
    block: Block,
    /// The reference-style links read so far, in the file's order.
    references: Vec<ReferenceLink>,
    /// Inside the last of `references`, whose text is being read.
    in_reference: bool,
}

impl BodyReader<'_> {
    fn event(&mut self, event: Event, start: usize, end: usize) {
        self.check_for_task_marker(&event, start);
        if is_inline(&event) {
            self.extend_source(&event, start, end);
            self.extend_reference(&event, start, end);
        } else {
            self.flush_block();
        }
        match event {
            Event::Start(Tag::Item) => {
                let text = self.spare_text();
                self.items.push(Item {
                    start,
                    milestone: None,
                    at_text_start: true,
                    collecting: true,
                    text_ended: false,
                    text,
                    code: Vec::new(),
                    source: Source::default(),
                    tags: Vec::new(),
                    marker_len: 0,
                    marker_end: start,
                    links: Vec::new(),
                    fields: Fields::new(),
                });
            }
            Event::End(TagEnd::Item) => self.end_item(end),
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { has_pothole },
                dest_url,
                ..
            }) => self.wikilink(&dest_url, has_pothole, start),
            Event::Start(Tag::Link {
                link_type:
                    link_type @ (LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut),
                dest_url,
                title,
                ..
            }) => self.begin_reference(link_type, &dest_url, &title, start, end),
            Event::End(TagEnd::Link) => {
                self.in_wikilink = false;
                self.in_reference = false;
            }
            Event::Start(Tag::Heading { level, .. }) => {
                let text = self.spare_text();
                self.heading = Some(OpenHeading {
                    level: level as u8,
                    start,
                    text,
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
                    text: self.spare_text(),
                    source: Source::default(),
                });
            }
            Event::End(TagEnd::Paragraph) => {
                self.stop_collecting();
                if let Some(note) = self.paragraph_note.take() {
                    let markdown = self.source_markdown(&note.source, 0);
                    self.push_note(note.kind, note.start, &note.text, markdown);
                    self.give_back_text(note.text);
                }
            }
            Event::Text(text) if !self.in_code_block && !self.in_wikilink => {
                self.inline_text(&text, start, Inline::Prose);
            }
            Event::Code(text) => {
                if let Some(item) = self.items.last_mut()
                    && item.collecting
                    && !item.text_ended
                    && self.heading.is_none()
                    && self.paragraph_note.is_none()
                {
                    item.code
                        .push(item.text.len()..item.text.len() + text.len());
                }
                self.inline_text(&text, start, Inline::NoTags);
            }
            Event::SoftBreak | Event::HardBreak => {
                self.inline_text(" ", start, Inline::NoTags);
                self.end_text_before_properties(end);
            }
            _ => {}
        }
    }

    /// A `[[wikilink]]`: its target is kept, and without an alias it shows the note's name.
    fn wikilink(&mut self, target: &str, has_alias: bool, start: usize) {
        // `[[Target\|alias]]`: Obsidian's escaped pipe, for a link inside a table, where
        // `|` would end the cell. No note name ends in `\` (Obsidian refuses it in names).
        let target = if has_alias {
            target.strip_suffix('\\').unwrap_or(target)
        } else {
            target
        };
        self.found.links.push(Located {
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
            self.found.tags.push(Located {
                value: Arc::clone(tag),
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
            if !item.text_ended {
                item.text.push_str(text);
            }
            item.tags.extend(tags.into_iter().map(|(_, tag)| tag));
        }
    }

    /// Ends the item's text at a line break followed by a line that is a Logseq property
    /// (`id:: 65a1`, `collapsed:: true`) or starts a drawer (`:LOGBOOK:`): Logseq shows
    /// neither as the block's text. `line_start` is where that line starts.
    fn end_text_before_properties(&mut self, line_start: usize) {
        if self.heading.is_some() || self.paragraph_note.is_some() {
            return;
        }
        let Some(item) = self.items.last_mut().filter(|item| item.collecting) else {
            return;
        };
        let rest = &self.text[line_start..];
        let line = rest[..line_end(rest)]
            .trim_start_matches([' ', '\t', '>'])
            .trim_end();
        if metadata::line_field(line).is_some() || is_drawer_start(line) {
            item.text_ended = true;
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
            && has_doubled(text, b':')
        {
            self.block.has_field = true;
        }
        if let Some(note) = &mut self.paragraph_note {
            note.source.extend(start, end, is_code);
        } else if let Some(item) = self.items.last_mut()
            && item.collecting
            && !item.at_text_start
            && !item.text_ended
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
        let Some((source, _, code)) = block.source.written(self.text, 0) else {
            return;
        };
        let item = self.items.last_mut().filter(|item| item.collecting);
        let mut item_fields = item.map(|item| &mut item.fields);
        for (key, value) in metadata::fields(source, &code) {
            if let Some(fields) = item_fields.as_deref_mut() {
                fields.entry(key.clone()).or_insert_with(|| value.clone());
            }
            self.document.fields_mut().entry(key).or_insert(value);
        }
    }

    /// The inline markdown of a source span, task marker, Tasks markers and bracketed
    /// fields removed and whitespace collapsed; `None` when the span has no character that
    /// starts inline markup, as then the plain text says it all (and most text is like
    /// that: no copy is made).
    fn source_markdown(&self, source: &Source, marker_len: usize) -> Option<String> {
        let (written, offset, code) = source.written(self.text, marker_len)?;
        if !written.bytes().any(|b| STARTS_MARKUP[usize::from(b)]) {
            return None;
        }
        match references::written_inline(written, offset, &self.references, &code) {
            Some((inline, code)) => Some(metadata::strip_markers(&inline, &code).0),
            None => Some(metadata::strip_markers(written, &code).0),
        }
    }

    /// A reference-style link, with the target its definition gives.
    fn begin_reference(
        &mut self,
        link_type: LinkType,
        destination: &str,
        title: &str,
        start: usize,
        end: usize,
    ) {
        // pulldown-cmark's span of `[text][]` leaves out the `[]`.
        let collapsed = link_type == LinkType::Collapsed && self.text[end..].starts_with("[]");
        self.references.push(ReferenceLink {
            span: start..end + if collapsed { 2 } else { 0 },
            text: None,
            destination: destination.to_string(),
            title: title.to_string(),
        });
        self.in_reference = true;
    }

    /// Grows the text of the reference link being read (see [`ReferenceLink::text`]).
    fn extend_reference(&mut self, event: &Event, start: usize, end: usize) {
        if !self.in_reference || matches!(event, Event::End(TagEnd::Link)) {
            return;
        }
        if let Some(link) = self.references.last_mut() {
            let text = link.text.get_or_insert(start..end);
            text.start = text.start.min(start);
            text.end = text.end.max(end);
        }
    }

    /// An empty buffer to collect a text in.
    fn spare_text(&mut self) -> String {
        self.spare_texts.pop().unwrap_or_default()
    }

    /// Keeps a text buffer that is done with for the next text, unless it grew large.
    pub(super) fn give_back_text(&mut self, mut text: String) {
        if text.capacity() <= SCRATCH_KEPT {
            text.clear();
            self.spare_texts.push(text);
        }
    }

    fn stop_collecting(&mut self) {
        if let Some(item) = self.items.last_mut() {
            item.collecting = false;
        }
    }

    /// The kind of notes the innermost notes section around the current point collects.
    fn section_kind(&self) -> Option<NoteKind> {
        self.open_headings.iter().rev().find_map(|open| open.kind)
    }

    /// `markdown` is the note's source as [`Self::source_markdown`] gives it.
    /// Its text goes into the document's shared text (see [`Found::texts`]).
    fn push_note(&mut self, kind: NoteKind, start: usize, text: &str, markdown: Option<String>) {
        let mut collapsed = self.spare_text();
        metadata::collapse_whitespace_into(text, &mut collapsed);
        if !collapsed.is_empty() {
            let texts = &mut self.found.texts;
            self.found
                .note_text_at
                .push(texts.len()..texts.len() + collapsed.len());
            texts.push_str(&collapsed);
            self.found.notes.push(Note {
                kind,
                markdown: markdown_if_not(&collapsed, markdown).map(String::into_boxed_str),
                text: SharedText::default(),
                position: self.lines.position(start),
            });
        }
        self.give_back_text(collapsed);
    }

    fn end_heading(&mut self) {
        let Some(heading) = self.heading.take() else {
            return;
        };
        while let Some(open) = self.open_headings.last() {
            if self.found.headings[open.heading].level >= heading.level {
                self.open_headings.pop();
            } else {
                break;
            }
        }
        let index = self.found.headings.len();
        let mut collapsed = self.spare_text();
        metadata::collapse_whitespace_into(&heading.text, &mut collapsed);
        let (kept, share) = super::share::heading_marker(&collapsed);
        let mut words = heading.text;
        NoteKind::write_words(kept, &mut words);
        let kind = self.options.sections.kind_of_words(&words);
        self.give_back_text(words);
        // A section's heading (`## Wins`, in most entries) is shared with the other
        // headings of that text this thread read, as tags are.
        let text: Arc<str> = match kind {
            Some(_) => shared_name(kept),
            None => Arc::from(kept),
        };
        self.give_back_text(collapsed);
        self.found.headings.push(Heading {
            text,
            level: heading.level,
            position: self.lines.position(heading.start),
            parent: super::index_of(self.open_headings.last().map(|open| to_u32(open.heading))),
            share: share.map(Box::new),
        });
        self.open_headings.push(OpenSection {
            heading: index,
            kind,
        });
    }
}

/// `#tag`s in a piece of text: after a space or at the start, letters, digits, `_`, `-`
/// and `/`, with at least one that is not a digit (`#1` is not a tag). Lowercased.
fn find_tags(text: &str) -> Vec<(usize, Arc<str>)> {
    let mut tags = Vec::new();
    // Every `#` found by memchr's search (most text has none), not by a walk over the
    // chars; the standard library's search for a char cost three times as much.
    for at in memchr::memchr_iter(b'#', text.as_bytes()) {
        let previous = text[..at].chars().next_back().unwrap_or(' ');
        if !(previous.is_whitespace() || "([,".contains(previous)) {
            continue;
        }
        let rest = &text[at + 1..];
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || "_-/".contains(c)))
            .unwrap_or(rest.len());
        let name = rest[..end].trim_end_matches(['-', '/']);
        if name.chars().any(|c| !c.is_ascii_digit()) {
            // Most tags are lowercase ASCII already: no lowercased copy to make first.
            let lowercase = name
                .bytes()
                .all(|b| b.is_ascii() && !b.is_ascii_uppercase());
            tags.push((
                at,
                if lowercase {
                    shared_name(name)
                } else {
                    shared_name(&name.to_lowercase())
                },
            ));
        }
    }
    tags
}

thread_local! {
    /// The tags this thread has read, each once: a journal names its goals' tags over
    /// and over, and an allocation for each was 140,000 of them at 100,000 files. The
    /// headings of sections (`## Wins`) are kept here too.
    static TAGS: std::cell::RefCell<FastSet<Arc<str>>> = std::cell::RefCell::default();
}

/// Tags kept in [`TAGS`]: a vault of more distinct tags starts sharing them anew rather
/// than holding them all for as long as its thread. A journal of 1,000,000 files names
/// 80,000 goals, several thousand of them in the entries of a few weeks: with 4,096 the
/// table was emptied again and again, and a million tags were allocations of their own
/// (22 MB, 32 of the allocator's bytes each). 7/8 of 2^16, the most a table of 2^16
/// places holds: at most 1 MB of table a thread.
const TAGS_KEPT: usize = 57_344;

/// `name` (a tag, lowercased already, or a section's heading), shared with every other
/// tag or heading of that text this thread read.
pub(super) fn shared_name(name: &str) -> Arc<str> {
    TAGS.with_borrow_mut(|tags| {
        if let Some(tag) = tags.get(name) {
            return Arc::clone(tag);
        }
        if tags.len() >= TAGS_KEPT {
            tags.clear();
        }
        let tag = Arc::<str>::from(name);
        tags.insert(Arc::clone(&tag));
        tag
    })
}

/// The bytes that start inline markup (`*`, `_`, a backtick, `[`, `<`, `&`, `\`, `~`), as
/// a table: most texts are looked at byte by byte for one and have none, and a lookup
/// is cheaper than comparing each byte with each of them.
static STARTS_MARKUP: [bool; 256] = {
    let mut table = [false; 256];
    let markup = b"*_`[<&\\~";
    let mut at = 0;
    while at < markup.len() {
        table[markup[at] as usize] = true;
        at += 1;
    }
    table
};

/// Where the line that starts `text` ends, before its `\n` or `\r` (memchr's search).
fn line_end(text: &str) -> usize {
    memchr::memchr2(b'\n', b'\r', text.as_bytes()).unwrap_or(text.len())
}

/// `:LOGBOOK:`, `:PROPERTIES:`: a line that opens a Logseq (org-mode) drawer.
fn is_drawer_start(line: &str) -> bool {
    line.len() > 2
        && line.starts_with(':')
        && line.ends_with(':')
        && line[1..line.len() - 1]
            .chars()
            .all(|c| c.is_ascii_uppercase() || c == '_' || c == '-')
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
mod tests;
