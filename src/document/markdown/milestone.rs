//! List items that are tasks: how an item becomes a milestone, with its state, parent
//! and depth, position, text, tags, links and Tasks markers.

use pulldown_cmark::{Event, Tag};

use super::{BodyReader, Source, markdown_if_not, shift};
use crate::diagnostic::{Diagnostic, Position};
use crate::document::metadata::{self, DateKind, Marker};
use crate::document::text::to_u32;
use crate::document::{Milestone, MilestoneState, Priority, index_of};
use crate::shared_text::SharedText;
use crate::small_list::SmallList;

impl BodyReader<'_> {
    /// At the start of a list item's text, decides whether the item is a task.
    pub(super) fn check_for_task_marker(&mut self, event: &Event, start: usize) {
        let Some(item) = self.items.last_mut() else {
            return;
        };
        if !item.at_text_start {
            return;
        }
        let source = &self.text[start..];
        // `\[x]`: pulldown-cmark gives the escaped bracket as text that starts after the
        // backslash, but GitHub shows "[x]", no checkbox.
        let escaped = self.text[..start].ends_with('\\');
        let found = match event {
            Event::TaskListMarker(true) => Some((MilestoneState::Done, 0, None)),
            Event::TaskListMarker(false) => Some((MilestoneState::Open, 0, None)),
            Event::Start(Tag::Paragraph) => return,
            Event::Text(_) if escaped => None,
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
        let depth = parent.map_or(0, |p| self.found.milestones[p].depth + 1);
        let Some(item) = self.items.last_mut() else {
            return;
        };
        item.milestone = Some(self.found.milestones.len());
        self.found.milestone_text_at.push(0..0);
        self.found.milestones.push(Milestone {
            text: SharedText::default(),
            rare: None,
            state,
            parent: index_of(parent.map(to_u32)),
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
            tags: SmallList::default(),
            section: index_of(self.open_headings.last().map(|open| to_u32(open.heading))),
        });
        if let Some(priority) = priority
            && let Some(milestone) = self.found.milestones.last_mut()
        {
            milestone.task_metadata_mut().priority = Some(priority);
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

    pub(super) fn end_item(&mut self, end: usize) {
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
            self.give_back_text(item.text);
            return;
        };
        let trimmed = item.text.trim_start();
        let written = trimmed.get(item.marker_len..).unwrap_or(trimmed);
        let code = shift(&item.code, item.text.len() - written.len());
        let (text, markers) = metadata::strip_markers(written, &code);
        if !item.fields.is_empty() {
            self.found.milestones[index].task_metadata_mut().fields = item.fields;
        }
        for marker in markers {
            self.apply_marker(index, marker, &self.text[item.start..end], item.start);
        }
        if self.items.is_empty()
            && let Some(kind) = self.section_kind()
        {
            self.push_note(kind, item.start, &text, markdown.clone());
        }
        let text_line = self.first_text_position(&item.source, item.marker_len);
        let milestone = &mut self.found.milestones[index];
        // `- [ ]` or `- TODO` alone on its line, with the text below it: the milestone is
        // where its text is.
        if let Some(at) = text_line.filter(|at| at.line > milestone.position.line) {
            milestone.position = at;
        }
        milestone.set_markdown_and_links(
            markdown_if_not(&text, markdown).map(String::into_boxed_str),
            item.links,
        );
        milestone.tags = SmallList::from(item.tags);
        let texts = &mut self.found.texts;
        self.found.milestone_text_at[index] = texts.len()..texts.len() + text.len();
        texts.push_str(&text);
        self.give_back_text(item.text);
    }

    /// Sets what a Tasks marker says on milestone `index`; a bad value is a diagnostic
    /// pointing at the marker in `source` (the item's, which starts at `source_start`).
    fn apply_marker(&mut self, index: usize, marker: Marker, source: &str, source_start: usize) {
        let milestone = &mut self.found.milestones[index];
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
                    DateKind::Scheduled => &mut milestone.task_metadata_mut().scheduled,
                    DateKind::Start => &mut milestone.task_metadata_mut().start,
                    DateKind::Created => &mut milestone.task_metadata_mut().created,
                    DateKind::Cancelled => {
                        milestone.state = MilestoneState::Cancelled;
                        &mut milestone.task_metadata_mut().cancelled_on
                    }
                };
                *slot = Some(date);
            }
            Marker::Date {
                date: Err(message),
                raw,
                ..
            } => self.diagnostics.push(Diagnostic::error(
                &self.document.path,
                Some(position_of(&raw)),
                format!("milestone date `{raw}`: {message}"),
            )),
            Marker::Recurrence(rule) => {
                milestone.task_metadata_mut().recurrence.get_or_insert(rule);
            }
            Marker::Priority(priority) => {
                milestone
                    .task_metadata_mut()
                    .priority
                    .get_or_insert(priority);
            }
            Marker::Field { key, value } => {
                let fields = &mut milestone.task_metadata_mut().fields;
                fields.entry(key).or_insert(value);
            }
            Marker::UnknownPriority { raw } => self.diagnostics.push(Diagnostic::warning(
                &self.document.path,
                Some(position_of(&raw)),
                format!(
                    "`{raw}` is not a priority; write highest, high, medium, low or lowest \
                     (the milestone has no priority)"
                ),
            )),
        }
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
