//! The texts the server reads: the editor's open buffers, which win over the files on
//! disk, and the files on disk for the rest. Places in them are converted between the
//! protocol's UTF-16 columns, byte offsets, and trailmark's 1-based character columns.

use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

use super::protocol::{Change, TextPosition, TextRange};
use crate::diagnostic::Position;
use crate::document::{self, Document, ParseOptions};

/// An open buffer: its text as the editor has it, and its document parsed on demand.
pub(crate) struct Buffer {
    pub(crate) version: i32,
    text: String,
    /// Where each line starts, in bytes.
    line_starts: Vec<usize>,
    document: OnceLock<Document>,
}

impl Buffer {
    pub(crate) fn new(version: i32, text: String) -> Buffer {
        let line_starts = line_starts(&text);
        Buffer {
            version,
            text,
            line_starts,
            document: OnceLock::new(),
        }
    }

    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    /// Applies the editor's changes in order; the document is parsed again when asked.
    pub(crate) fn edit(&mut self, version: i32, changes: Vec<Change>) {
        for change in changes {
            match change.range {
                Some(range) => {
                    let start = self.offset(range.start);
                    let end = self.offset(range.end).max(start);
                    self.text.replace_range(start..end, &change.text);
                }
                None => self.text = change.text,
            }
            self.line_starts = line_starts(&self.text);
        }
        self.version = version;
        self.document = OnceLock::new();
    }

    /// The buffer parsed as the journal document at `path` (relative to the journal).
    pub(crate) fn document(&self, path: &str, options: &ParseOptions) -> &Document {
        self.document
            .get_or_init(|| document::parse(path, self.text.as_bytes(), options))
    }

    pub(crate) fn line_count(&self) -> u32 {
        self.line_starts.len() as u32
    }

    /// Line `line` (0-based) without its line break; empty past the end.
    pub(crate) fn line(&self, line: u32) -> &str {
        let Some(&start) = self.line_starts.get(line as usize) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line as usize + 1)
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// The byte offset of `position`, clamped to its line and to the text.
    pub(crate) fn offset(&self, position: TextPosition) -> usize {
        let Some(&start) = self.line_starts.get(position.line as usize) else {
            return self.text.len();
        };
        start + byte_of_utf16(self.line(position.line), position.utf16)
    }

    /// The protocol position of byte `offset` of line `line`.
    pub(crate) fn position_in_line(&self, line: u32, offset: usize) -> TextPosition {
        TextPosition {
            line,
            utf16: utf16_of_byte(self.line(line), offset),
        }
    }
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(at, _)| at + 1))
        .collect()
}

/// The byte offset in `line` of UTF-16 column `utf16`; the line's end past it, and the
/// start of a character whose middle it names.
pub(crate) fn byte_of_utf16(line: &str, utf16: u32) -> usize {
    let mut units = 0;
    for (at, c) in line.char_indices() {
        if units >= utf16 {
            return at;
        }
        units += c.len_utf16() as u32;
    }
    line.len()
}

/// The UTF-16 column of byte `offset` of `line`.
pub(crate) fn utf16_of_byte(line: &str, offset: usize) -> u32 {
    let offset = offset.min(line.len());
    line[..offset].chars().map(|c| c.len_utf16() as u32).sum()
}

/// The protocol position of a trailmark position (1-based line, 1-based column in
/// characters) in a text whose line it is is `line_text`.
pub(crate) fn protocol_position(line_text: &str, position: Position) -> TextPosition {
    let chars = position.column.saturating_sub(1) as usize;
    let offset = line_text
        .char_indices()
        .nth(chars)
        .map_or(line_text.len(), |(at, _)| at);
    TextPosition {
        line: position.line.saturating_sub(1),
        utf16: utf16_of_byte(line_text, offset),
    }
}

/// The lines of journal files as the server sees them: an open buffer's, else the
/// file's on disk, read once.
pub(crate) struct Lines<'a> {
    root: &'a Path,
    buffers: &'a HashMap<String, Buffer>,
    read: HashMap<String, Vec<String>>,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(root: &'a Path, buffers: &'a HashMap<String, Buffer>) -> Lines<'a> {
        Lines {
            root,
            buffers,
            read: HashMap::new(),
        }
    }

    /// Line `line` (0-based) of the journal file `path`; empty when there is none.
    pub(crate) fn line(&mut self, path: &str, line: u32) -> &str {
        if let Some(buffer) = self.buffers.get(path) {
            return buffer.line(line);
        }
        let root = self.root;
        let lines = self.read.entry(path.to_string()).or_insert_with(|| {
            document::read(root, path)
                .map(|bytes| {
                    let text = String::from_utf8_lossy(&bytes);
                    text.lines().map(str::to_string).collect()
                })
                .unwrap_or_default()
        });
        lines.get(line as usize).map_or("", String::as_str)
    }

    /// The range from trailmark position `position` of `path` to the end of its line.
    pub(crate) fn rest_of_line(&mut self, path: &str, position: Position) -> TextRange {
        let line = self.line(path, position.line.saturating_sub(1));
        let start = protocol_position(line, position);
        let end = TextPosition {
            line: start.line,
            utf16: utf16_of_byte(line, line.len()),
        };
        TextRange { start, end }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: u32, utf16: u32) -> TextPosition {
        TextPosition { line, utf16 }
    }

    #[test]
    fn columns_count_utf16_units() {
        // 📅 is two UTF-16 units and four bytes; é is one unit and two bytes.
        let line = "- [ ] é 📅 2026-03-01";
        assert_eq!(byte_of_utf16(line, 8), "- [ ] é ".len());
        assert_eq!(byte_of_utf16(line, 10), "- [ ] é 📅".len());
        assert_eq!(utf16_of_byte(line, "- [ ] é 📅 ".len()), 11);
        assert_eq!(byte_of_utf16(line, 99), line.len());
        let column = Position::new(3, 11);
        assert_eq!(protocol_position(line, column), at(2, 11));
    }

    #[test]
    fn edits_apply_in_order_across_lines() {
        let mut buffer = Buffer::new(1, "one\ntwo 📅\nthree\n".to_string());
        buffer.edit(
            2,
            vec![
                Change {
                    range: Some(TextRange {
                        start: at(1, 4),
                        end: at(1, 6),
                    }),
                    text: "⏳".to_string(),
                },
                Change {
                    range: Some(TextRange {
                        start: at(0, 3),
                        end: at(2, 0),
                    }),
                    text: " ".to_string(),
                },
            ],
        );
        assert_eq!(buffer.text(), "one three\n");
        assert_eq!(buffer.version, 2);
        assert_eq!(buffer.line(0), "one three");
        assert_eq!(buffer.line_count(), 2);
    }
}
