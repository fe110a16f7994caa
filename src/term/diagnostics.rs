//! `trailmark check`'s output: each diagnostic in compiler style with the line it points
//! at, then the hints and a count.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use anstyle::AnsiColor;
use unicode_width::UnicodeWidthChar;

use super::{bold, error_label, from_current_folder, paint, warning_label};
use crate::check::Hint;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::LineIndex;
use crate::fsread;
use crate::text::plural;
use crate::visible::visible;

/// The whole `check` output: each diagnostic with its source line and a caret, then the
/// hints, then a count. `root` is read again only for the lines shown.
pub(crate) fn format_check(root: &Path, diagnostics: &[Diagnostic], hints: &[Hint]) -> String {
    let mut out = format_diagnostics(root, diagnostics);
    let shown_root = from_current_folder(root);
    for hint in hints {
        let place = format!(
            "{}:{}:{}",
            shown_root.join(&hint.file).display(),
            hint.position.line,
            hint.position.column
        );
        let _ = writeln!(
            out,
            "{}: {}: {}",
            bold(&place),
            paint(AnsiColor::Cyan, "hint"),
            hint.message
        );
    }
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    let _ = writeln!(
        out,
        "{}, {}, {}",
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(hints.len(), "hint")
    );
    out
}

/// Each diagnostic with its source line and a caret under the place. Each file is read
/// once, however many diagnostics it has.
pub(crate) fn format_diagnostics(root: &Path, diagnostics: &[Diagnostic]) -> String {
    let sources = read_sources(root, diagnostics);
    let mut indexes: HashMap<&str, LineIndex> = HashMap::new();
    let shown_root = from_current_folder(root);
    let mut out = String::new();
    for diagnostic in diagnostics {
        let label = match diagnostic.severity {
            Severity::Error => error_label(),
            Severity::Warning => warning_label(),
        };
        // From the current folder, so that a terminal, vim's quickfix or an editor's
        // problem matcher can open the file.
        let file = shown_root.join(&diagnostic.file);
        let place = match diagnostic.position {
            Some(p) => format!("{}:{}:{}", file.display(), p.line, p.column),
            None => file.display().to_string(),
        };
        let _ = writeln!(
            out,
            "{}: {label}: {}",
            bold(&visible(&place)),
            visible(&diagnostic.message)
        );
        let file = diagnostic.file.as_str();
        if let Some(position) = diagnostic.position
            && let Some(Some(text)) = sources.get(file)
            && let Some((line, at)) = indexes
                .entry(file)
                .or_insert_with(|| LineIndex::new(text))
                .line_and_offset(position)
        {
            out.push_str(&snippet(line, at, position.line));
        }
    }
    out
}

/// The text of each file a diagnostic points into, read once; `None` for a file that
/// cannot be read any more.
fn read_sources<'d>(
    root: &Path,
    diagnostics: &'d [Diagnostic],
) -> HashMap<&'d str, Option<String>> {
    let mut sources = HashMap::new();
    for diagnostic in diagnostics.iter().filter(|d| d.position.is_some()) {
        sources.entry(diagnostic.file.as_str()).or_insert_with(|| {
            let bytes = fsread::read(&root.join(&diagnostic.file), fsread::MAX_FILE_BYTES).ok()?;
            let mut text = String::from_utf8_lossy(&bytes).into_owned();
            if text.starts_with('\u{FEFF}') {
                text.drain(..'\u{FEFF}'.len_utf8());
            }
            Some(text)
        });
    }
    sources
}

/// ```text
///    |
///  3 | due: next week
///    |      ^
/// ```
/// `at` is the byte offset of the place in `line`. A line wider than [`SNIPPET_WIDTH`]
/// display columns is shown as a window around the place, cut with `…`, so that one
/// minified line cannot flood the terminal, and so that showing many places of one long
/// line takes time in proportion to the window, never to the line.
fn snippet(line: &str, at: usize, line_number: u32) -> String {
    let at = floor_char_boundary(line, at);
    let window = Window::around(line, at);
    let mut shown = String::new();
    // Keep tabs so the caret lines up under the same indentation as the source; a wide
    // character (CJK, emoji) takes two columns.
    let mut lead = String::new();
    if window.start > 0 {
        shown.push('…');
        lead.push(' ');
    }
    shown.push_str(&visible(&line[window.start..window.end]));
    for c in line[window.start..at].chars() {
        match c {
            '\t' => lead.push('\t'),
            _ => lead.extend(std::iter::repeat_n(' ', width(c))),
        }
    }
    if window.end < line.len() {
        shown.push('…');
    }
    let number = line_number.to_string();
    let gutter = " ".repeat(number.len());
    let bar = paint(AnsiColor::Blue, "|");
    format!(
        " {gutter} {bar}\n {} {bar} {shown}\n {gutter} {bar} {lead}{}\n",
        paint(AnsiColor::Blue, &number),
        paint(AnsiColor::Red, "^")
    )
}

/// How many display columns of a source line a snippet shows at most, `…` included.
const SNIPPET_WIDTH: usize = 120;

/// The byte range of a line that a snippet shows.
struct Window {
    start: usize,
    end: usize,
}

impl Window {
    /// The whole line if it fits in [`SNIPPET_WIDTH`] columns; else about as many
    /// columns before the byte offset `at` (a character boundary) as after it, less a
    /// column for each `…`. Only the characters near `at` are looked at, and the range
    /// never cuts a character.
    fn around(line: &str, at: usize) -> Window {
        if fits(line, SNIPPET_WIDTH) {
            return Window {
                start: 0,
                end: line.len(),
            };
        }
        let (start, left) = extend_left(line, at, (SNIPPET_WIDTH - 2) / 2);
        let ellipses = if start > 0 { 2 } else { 1 };
        let (end, right) = extend_right(line, at, SNIPPET_WIDTH - ellipses - left);
        if end < line.len() {
            return Window { start, end };
        }
        // The place is near the line's end: the columns left over go before it.
        let (start, _) = extend_left(line, start, SNIPPET_WIDTH - 1 - left - right);
        Window { start, end }
    }
}

/// Whether `line` takes at most `columns` display columns; looks at no more characters
/// than that.
fn fits(line: &str, columns: usize) -> bool {
    let mut used = 0;
    for c in line.chars() {
        used += width(c);
        if used > columns {
            return false;
        }
    }
    true
}

/// The earliest start before `from` whose characters up to `from` take at most
/// `columns`, and the columns they take.
fn extend_left(line: &str, from: usize, columns: usize) -> (usize, usize) {
    let mut used = 0;
    let mut start = from;
    for c in line[..from].chars().rev() {
        if used + width(c) > columns {
            break;
        }
        used += width(c);
        start -= c.len_utf8();
    }
    (start, used)
}

/// The latest end after `from` whose characters from `from` take at most `columns`, and
/// the columns they take.
fn extend_right(line: &str, from: usize, columns: usize) -> (usize, usize) {
    let mut used = 0;
    let mut end = from;
    for c in line[from..].chars() {
        if used + width(c) > columns {
            break;
        }
        used += width(c);
        end += c.len_utf8();
    }
    (end, used)
}

/// The display columns of a character on a terminal; a control character such as a tab
/// counts as one.
fn width(c: char) -> usize {
    c.width().unwrap_or(1)
}

/// `at`, or the start of the character it falls inside.
fn floor_char_boundary(line: &str, at: usize) -> usize {
    let mut at = at.min(line.len());
    while !line.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_width::UnicodeWidthStr;

    /// The snippet of `line` with the caret at byte `at`, without colors: the shown line
    /// and the caret line, after the bars.
    fn shown(line: &str, at: usize) -> (String, String) {
        let text = anstream::adapter::strip_str(&snippet(line, at, 7)).to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert_eq!(lines[0], "   |");
        let after_bar = |l: &str| l.split_once("| ").unwrap().1.to_string();
        (after_bar(lines[1]), after_bar(lines[2]))
    }

    /// The display column where the caret points, and the character shown there.
    fn pointed_at(shown: &str, caret: &str) -> char {
        let column = caret.find('^').unwrap();
        let mut used = 0;
        for c in shown.chars() {
            if used == column {
                return c;
            }
            used += width(c);
        }
        panic!("caret past the shown line: {shown:?} {caret:?}")
    }

    #[test]
    fn snippets_point_at_the_column() {
        let text = snippet("due: next week", 5, 3);
        let plain = anstream::adapter::strip_str(&text).to_string();
        assert_eq!(plain, "   |\n 3 | due: next week\n   |      ^\n");
        // A line exactly as wide as the window is shown whole.
        let full = "x".repeat(SNIPPET_WIDTH);
        assert_eq!(shown(&full, 0), (full.clone(), "^".to_string()));
        // Tabs stay tabs under tabs; a place past the line's end is its end.
        assert_eq!(shown("\tx", 1), ("\tx".into(), "\t^".into()));
        assert_eq!(shown("ab", 2), ("ab".into(), "  ^".into()));
    }

    #[test]
    fn long_lines_are_windowed_around_the_column() {
        let line = format!("{}X{}", "a".repeat(1000), "b".repeat(1000));
        let (text, caret) = shown(&line, 1000);
        assert!(text.starts_with("…aaa") && text.ends_with("bbb…"), "{text}");
        assert_eq!(text.width(), SNIPPET_WIDTH);
        assert_eq!(pointed_at(&text, &caret), 'X');
        // Near the start the window starts with the line, near the end it ends with it,
        // and either way it is as wide as it may be.
        let (text, caret) = shown(&line, 3);
        assert!(text.starts_with("aaa") && text.ends_with("a…"), "{text}");
        assert_eq!((text.width(), caret.as_str()), (SNIPPET_WIDTH, "   ^"));
        let (text, caret) = shown(&line, line.len() - 1);
        assert!(text.starts_with("…b") && text.ends_with("bbb"), "{text}");
        assert_eq!(text.width(), SNIPPET_WIDTH);
        assert_eq!(caret.len(), SNIPPET_WIDTH);
        let (text, caret) = shown(&line, line.len());
        assert_eq!(text.width(), SNIPPET_WIDTH);
        assert_eq!(caret.len(), SNIPPET_WIDTH + 1);
    }

    #[test]
    fn wide_characters_are_never_cut_and_take_two_columns() {
        // A short line with CJK: the caret goes under `X`, two columns a character.
        let (text, caret) = shown("日本X", "日本".len());
        assert_eq!((text.as_str(), caret.as_str()), ("日本X", "    ^"));
        // A long one: cut between characters, within the window's width.
        let line = format!("{}X{}", "日本".repeat(500), "é🎉".repeat(500));
        let at = line.find('X').unwrap();
        let (text, caret) = shown(&line, at);
        assert!(text.starts_with("…日") || text.starts_with("…本"), "{text}");
        assert!(text.ends_with("é…") || text.ends_with("🎉…"), "{text}");
        assert!(text.width() <= SNIPPET_WIDTH, "{}", text.width());
        assert!(text.width() >= SNIPPET_WIDTH - 1, "{}", text.width());
        assert_eq!(pointed_at(&text, &caret), 'X');
        // An offset inside a character points at that character.
        let (text, caret) = shown(&line, line.find('本').unwrap() + 1);
        assert_eq!(pointed_at(&text, &caret), '本');
    }
}
