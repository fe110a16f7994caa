//! `trailmark check`'s output: each diagnostic in compiler style with the line it points
//! at, then the hints and a count.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use anstyle::AnsiColor;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::{bold, error_label, from_current_folder, paint, warning_label};
use crate::check::Hint;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::LineIndex;
use crate::fsread;
use crate::model::Journal;
use crate::text::plural;
use crate::visible::visible;

/// The whole `check` output: each diagnostic with its source line and a caret, then the
/// hints, then a count. `root` is read again only for the lines shown.
pub(crate) fn format_check(root: &Path, diagnostics: &[Diagnostic], hints: &[Hint]) -> String {
    let width = super::wrap_width();
    let (mut out, ends_with_snippet) = diagnostics_text(root, diagnostics, width);
    if ends_with_snippet {
        out.push('\n');
    }
    let shown_root = from_current_folder(root);
    for hint in hints {
        let place = format!(
            "{}:{}:{}",
            shown_root.join(&hint.file).display(),
            hint.position.line,
            hint.position.column
        );
        let head = format!("{place}: hint: ");
        let _ = writeln!(
            out,
            "{}: {}: {}",
            bold(&place),
            paint(AnsiColor::Cyan, "hint"),
            wrap(&hint.message, head.width(), width)
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

/// Every milestone of the journal's one-a-file "belong to no goal" warnings, a line
/// each, for `check --verbose`, named from the current folder as diagnostics are.
pub(crate) fn format_loose_milestones(root: &Path, journal: &Journal) -> String {
    let shown_root = from_current_folder(root);
    let mut out = String::new();
    for &(document, milestone) in &journal.loose_milestones {
        let document = &journal.documents[document];
        let milestone = &document.milestones[milestone];
        let place = format!(
            "{}:{}:{}",
            shown_root.join(&*document.path).display(),
            milestone.position.line,
            milestone.position.column
        );
        let _ = writeln!(
            out,
            "{}: {}: milestone `{}` belongs to no goal",
            bold(&visible(&place)),
            paint(AnsiColor::Cyan, "note"),
            visible(&milestone.text)
        );
    }
    out
}

/// Each diagnostic with its source line and a caret under the place, messages wrapped
/// at the terminal's width (see [`super::wrap_width`]). Each file is read once, however
/// many diagnostics it has.
pub(crate) fn format_diagnostics(root: &Path, diagnostics: &[Diagnostic]) -> String {
    diagnostics_text(root, diagnostics, super::wrap_width()).0
}

/// [`format_diagnostics`] wrapped at `width` columns (`None`: not wrapped), and whether
/// its last diagnostic shows a snippet. A blank line separates a snippet from what
/// follows it, as compilers do, so that each problem reads as one block.
fn diagnostics_text(
    root: &Path,
    diagnostics: &[Diagnostic],
    width: Option<usize>,
) -> (String, bool) {
    let sources = read_sources(root, diagnostics);
    let mut indexes: HashMap<&str, LineIndex> = HashMap::new();
    let shown_root = from_current_folder(root);
    let mut out = String::new();
    let mut last_had_snippet = false;
    for diagnostic in diagnostics {
        if last_had_snippet {
            out.push('\n');
        }
        let (label, plain_label) = match diagnostic.severity {
            Severity::Error => (error_label(), "error"),
            Severity::Warning => (warning_label(), "warning"),
        };
        // From the current folder, so that a terminal, vim's quickfix or an editor's
        // problem matcher can open the file.
        let file = shown_root.join(&diagnostic.file);
        let place = match diagnostic.position {
            Some(p) => format!("{}:{}:{}", file.display(), p.line, p.column),
            None => file.display().to_string(),
        };
        let place = visible(&place).into_owned();
        let head_width = format!("{place}: {plain_label}: ").width();
        let _ = writeln!(
            out,
            "{}: {label}: {}",
            bold(&place),
            wrap(&visible(&diagnostic.message), head_width, width)
        );
        let file = diagnostic.file.as_str();
        last_had_snippet = false;
        if let Some(position) = diagnostic.position
            && let Some(Some(text)) = sources.get(file)
            && let Some((line, at)) = indexes
                .entry(file)
                .or_insert_with(|| LineIndex::new(text))
                .line_and_offset(position)
        {
            let place = Place {
                at,
                end: item_end(line, at, &diagnostic.message),
                line_number: position.line,
                severity: diagnostic.severity,
            };
            out.push_str(&snippet(line, &place, width));
            last_had_snippet = true;
        }
    }
    (out, last_had_snippet)
}

/// `message` after a head `head_width` columns wide, broken between words so that no
/// line is wider than `width` (a word wider than a line stays whole); the lines after
/// the first are indented by two spaces. As it is where `width` is `None`.
fn wrap(message: &str, head_width: usize, width: Option<usize>) -> String {
    let Some(width) = width else {
        return message.to_string();
    };
    let mut out = String::new();
    let mut used = head_width;
    for (index, word) in message.split(' ').enumerate() {
        if index > 0 {
            if used + 1 + word.width() > width {
                out.push_str("\n  ");
                used = 2;
            } else {
                out.push(' ');
                used += 1;
            }
        }
        out.push_str(word);
        used += word.width();
    }
    out
}

/// Where the item a diagnostic is about ends in its `line`, from the byte offset `at`
/// where it starts: at the end of the first text the message quotes (between
/// backticks) that the line has from `at` on, such as the milestone of
/// `- [ ] Call the dentist` or the `next week` of `due: next week`; else at the end of
/// the word at `at`; at least one character on.
fn item_end(line: &str, at: usize, message: &str) -> usize {
    let rest = &line[floor_char_boundary(line, at)..];
    let quoted = message
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|quote| !quote.is_empty())
        .find_map(|quote| rest.find(quote).map(|start| start + quote.len()));
    let word = || {
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let first = rest.chars().next().map_or(0, char::len_utf8);
        end.max(first)
    };
    line.len() - rest.len() + quoted.unwrap_or_else(word)
}

/// Where a snippet points: the byte range `at..end` of its line, the line's number, and
/// the severity that colors the carets.
struct Place {
    at: usize,
    end: usize,
    line_number: u32,
    severity: Severity,
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
///    |      ^^^^^^^^^
/// ```
/// Carets under the item, in the severity's color. A line wider than [`SNIPPET_WIDTH`]
/// display columns, or than the terminal's `width` leaves beside the line number, is
/// shown as a window around the place, cut with `…`, so that one minified line cannot
/// flood the terminal, and so that showing many places of one long line takes time in
/// proportion to the window, never to the line.
fn snippet(line: &str, place: &Place, width: Option<usize>) -> String {
    let number = place.line_number.to_string();
    let columns = width.map_or(SNIPPET_WIDTH, |width| {
        width
            .saturating_sub(number.len() + 4)
            .clamp(MIN_SNIPPET_WIDTH, SNIPPET_WIDTH)
    });
    let at = floor_char_boundary(line, place.at);
    let window = Window::around(line, at, columns);
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
            _ => lead.extend(std::iter::repeat_n(' ', width_of(c))),
        }
    }
    if window.end < line.len() {
        shown.push('…');
    }
    let end = floor_char_boundary(line, place.end).clamp(at, window.end);
    let carets = line[at..end].chars().map(width_of).sum::<usize>().max(1);
    let color = match place.severity {
        Severity::Error => AnsiColor::Red,
        Severity::Warning => AnsiColor::Yellow,
    };
    let gutter = " ".repeat(number.len());
    let bar = paint(AnsiColor::Blue, "|");
    format!(
        " {gutter} {bar}\n {} {bar} {shown}\n {gutter} {bar} {lead}{}\n",
        paint(AnsiColor::Blue, &number),
        paint(color, &"^".repeat(carets))
    )
}

/// How many display columns of a source line a snippet shows at most, `…` included.
const SNIPPET_WIDTH: usize = 120;

/// The fewest columns a snippet shows on a narrow terminal: fewer would hide the place.
const MIN_SNIPPET_WIDTH: usize = 20;

/// The byte range of a line that a snippet shows.
struct Window {
    start: usize,
    end: usize,
}

impl Window {
    /// The whole line if it fits in `columns`; else about as many
    /// columns before the byte offset `at` (a character boundary) as after it, less a
    /// column for each `…`. Only the characters near `at` are looked at, and the range
    /// never cuts a character.
    fn around(line: &str, at: usize, columns: usize) -> Window {
        if fits(line, columns) {
            return Window {
                start: 0,
                end: line.len(),
            };
        }
        let (start, left) = extend_left(line, at, (columns - 2) / 2);
        let ellipses = if start > 0 { 2 } else { 1 };
        let (end, right) = extend_right(line, at, columns - ellipses - left);
        if end < line.len() {
            return Window { start, end };
        }
        // The place is near the line's end: the columns left over go before it.
        let (start, _) = extend_left(line, start, columns - 1 - left - right);
        Window { start, end }
    }
}

/// Whether `line` takes at most `columns` display columns; looks at no more characters
/// than that.
fn fits(line: &str, columns: usize) -> bool {
    let mut used = 0;
    for c in line.chars() {
        used += width_of(c);
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
        if used + width_of(c) > columns {
            break;
        }
        used += width_of(c);
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
        if used + width_of(c) > columns {
            break;
        }
        used += width_of(c);
        end += c.len_utf8();
    }
    (end, used)
}

/// The display columns of a character on a terminal; a control character such as a tab
/// counts as one.
fn width_of(c: char) -> usize {
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
    use crate::diagnostic::Position;

    /// The snippet of `line` with the caret at byte `at`, without colors: the shown line
    /// and the caret line, after the bars.
    fn shown(line: &str, at: usize) -> (String, String) {
        let place = Place {
            at,
            end: at,
            line_number: 7,
            severity: Severity::Error,
        };
        let text = anstream::adapter::strip_str(&snippet(line, &place, None)).to_string();
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
            used += width_of(c);
        }
        panic!("caret past the shown line: {shown:?} {caret:?}")
    }

    #[test]
    fn snippets_point_at_the_column() {
        let line = "due: next week";
        let message = "`next week` is not a date";
        let place = Place {
            at: 5,
            end: item_end(line, 5, message),
            line_number: 3,
            severity: Severity::Error,
        };
        let plain = anstream::adapter::strip_str(&snippet(line, &place, None)).to_string();
        assert_eq!(plain, "   |\n 3 | due: next week\n   |      ^^^^^^^^^\n");
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

    #[test]
    fn carets_span_the_item_in_the_severity_color() {
        let line = "- [ ] Call the dentist";
        let message = "milestone `Call the dentist` belongs to no goal";
        assert_eq!(item_end(line, 0, message), line.len());
        // No quote found: the word at the place; at a line's end, one caret.
        assert_eq!(
            item_end("due: next week", 5, "not a date"),
            "due: next".len()
        );
        assert_eq!(item_end("ab", 2, ""), 2);
        let place = Place {
            at: 0,
            end: line.len(),
            line_number: 9,
            severity: Severity::Warning,
        };
        let colored = snippet(line, &place, None);
        let yellow_carets = paint(AnsiColor::Yellow, &"^".repeat(line.len()));
        assert!(colored.contains(&yellow_carets), "{colored:?}");
    }

    #[test]
    fn messages_wrap_between_words_at_the_width_when_there_is_one() {
        let message = "goal `talks` has no `why:` or `area:`; a SMART goal is relevant";
        assert_eq!(wrap(message, 20, None), message);
        let wrapped = wrap(message, 20, Some(40));
        assert_eq!(wrapped.replace("\n  ", " "), message);
        let lines: Vec<&str> = wrapped.lines().collect();
        assert!(lines.len() > 1, "{wrapped}");
        assert!(lines[0].width() + 20 <= 40, "{wrapped}");
        assert!(lines[1..].iter().all(|l| l.width() <= 40), "{wrapped}");
    }

    #[test]
    fn snippets_fit_a_narrow_terminal_and_are_set_apart_by_a_blank_line() {
        let line = "x".repeat(100);
        let place = Place {
            at: 50,
            end: 51,
            line_number: 7,
            severity: Severity::Error,
        };
        let text = anstream::adapter::strip_str(&snippet(&line, &place, Some(60))).to_string();
        assert!(text.lines().all(|l| l.width() <= 60), "{text}");
        let folder = tempfile::tempdir().unwrap();
        std::fs::write(folder.path().join("a.md"), "one\ntwo\n").unwrap();
        let at = |line| Diagnostic::warning("a.md", Some(Position::new(line, 1)), "odd");
        let whole_file = Diagnostic::error("a.md", None, "unreadable");
        let (text, ends_with_snippet) =
            diagnostics_text(folder.path(), &[at(1), at(2), whole_file], None);
        let text = anstream::adapter::strip_str(&text).to_string();
        assert!(!ends_with_snippet);
        assert!(text.contains("^\n\n"), "{text}");
        assert_eq!(text.matches("\n\n").count(), 2, "{text}");
    }
}
