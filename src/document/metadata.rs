//! Metadata people write inline, as Obsidian's Tasks and Dataview plugins and Logseq read
//! it: Tasks' emoji signifiers (`📅 2026-03-01`, `⏫`, `🔁 every week`), Dataview's inline
//! fields (`[key:: value]`, `(key:: value)`, `key:: value` lines), Logseq's task keywords
//! (`TODO`, `DONE`, ...) and the display text of `[[wikilinks]]`.
//!
//! Everything here works on one piece of text with the byte ranges that were inline code
//! in it (`protected`): the markdown parser decides what is code, and nothing in code
//! ever counts.

use std::ops::Range;

use super::text::has_doubled;
use super::{MilestoneState, Priority};
use crate::dates::Date;
use crate::paths::strip_markdown_extension;

/// What a dated marker sets on a milestone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DateKind {
    Due,
    Scheduled,
    Start,
    Created,
    Done,
    Cancelled,
}

/// A Tasks marker found in a milestone's text.
#[derive(Debug, PartialEq)]
pub(super) enum Marker {
    Date {
        kind: DateKind,
        /// The marker as written, to point at it in the source.
        raw: String,
        date: Result<Date, String>,
    },
    Recurrence(String),
    Priority(Priority),
    /// `[priority:: urgent]`: a priority field whose value is no priority.
    UnknownPriority {
        raw: String,
    },
    /// `🆔 abc`, `⛔ abc,def`, `🏁 delete`: a field under the key of Tasks' Dataview
    /// format (`id`, `dependsOn`, `onCompletion`, normalized).
    Field {
        key: String,
        value: String,
    },
}

/// What an emoji signifier means.
#[derive(Debug, Clone, Copy)]
enum Signifier {
    Date(DateKind),
    Recurrence,
    Priority(Priority),
    /// A value of its own (a word, or words joined by commas) under this field key.
    Field(&'static str),
}

/// Obsidian Tasks' emoji, with the alternatives Tasks also accepts for due (`📆`, `🗓`)
/// and scheduled (`⌛`).
fn signifier(c: char) -> Option<Signifier> {
    Some(match c {
        '📅' | '📆' | '🗓' => Signifier::Date(DateKind::Due),
        '⏳' | '⌛' => Signifier::Date(DateKind::Scheduled),
        '🛫' => Signifier::Date(DateKind::Start),
        '➕' => Signifier::Date(DateKind::Created),
        '✅' => Signifier::Date(DateKind::Done),
        '❌' => Signifier::Date(DateKind::Cancelled),
        '🔁' => Signifier::Recurrence,
        '🔺' => Signifier::Priority(Priority::Highest),
        '⏫' => Signifier::Priority(Priority::High),
        '🔼' => Signifier::Priority(Priority::Medium),
        '🔽' => Signifier::Priority(Priority::Low),
        '⏬' => Signifier::Priority(Priority::Lowest),
        '🆔' => Signifier::Field("id"),
        '⛔' => Signifier::Field("dependson"),
        '🏁' => Signifier::Field("oncompletion"),
        _ => return None,
    })
}

/// The keys of Tasks' Dataview format (and trailmark's `done`) that mean what the emoji
/// mean: `[due:: 2026-03-01]` is `📅 2026-03-01`.
fn field_signifier(key: &str) -> Option<Signifier> {
    Some(match key {
        "due" => Signifier::Date(DateKind::Due),
        "scheduled" => Signifier::Date(DateKind::Scheduled),
        "start" => Signifier::Date(DateKind::Start),
        "created" => Signifier::Date(DateKind::Created),
        "done" | "completion" => Signifier::Date(DateKind::Done),
        "cancelled" => Signifier::Date(DateKind::Cancelled),
        "repeat" => Signifier::Recurrence,
        // The value says which priority.
        "priority" => Signifier::Priority(Priority::Medium),
        _ => return None,
    })
}

const VARIATION_SELECTOR: char = '\u{FE0F}';

/// Longest key of an inline field, in bytes: a `[` followed much later by `::` is prose.
const MAX_KEY_BYTES: usize = 64;
/// Longest value of a bracketed field, in bytes, so that a line of unclosed brackets costs
/// linear time, not quadratic.
const MAX_VALUE_BYTES: usize = 512;

/// A milestone's text without its Tasks markers and bracketed Dataview fields, whitespace
/// collapsed, and the markers found. `[key:: value]` is removed; `(key:: value)` leaves
/// its value, as Obsidian shows it.
pub(super) fn strip_markers(text: &str, protected: &[Range<usize>]) -> (String, Vec<Marker>) {
    // Most text has neither emoji nor fields: no walk over its characters.
    if text.is_ascii() && !has_doubled(text, b':') {
        return (collapse_whitespace(text), Vec::new());
    }
    let mut kept = String::with_capacity(text.len());
    let mut markers = Vec::new();
    let mut copied = 0;
    let mut at = 0;
    while let Some(offset) = text[at..].find(|c| c == '[' || c == '(' || signifier(c).is_some()) {
        let start = at + offset;
        let c = text[start..].chars().next().unwrap_or(' ');
        let found = if c == '[' || c == '(' {
            bracket_field(text, start).map(|field| {
                // A round field shows its value: the Tasks markers in it are read there as
                // anywhere else, so that none is left in the text.
                let (replacement, inner) = match field.paren {
                    true => strip_markers(field.value, &[]),
                    false => (String::new(), Vec::new()),
                };
                let marker = field_signifier(&canonical_key(field.key))
                    .map(|meaning| field_marker(meaning, field.value, &text[start..field.end]));
                (
                    field.end,
                    replacement,
                    marker.into_iter().chain(inner).collect(),
                )
            })
        } else {
            signifier(c).map(|meaning| {
                let (end, marker) = emoji_marker(text, start, c, meaning);
                (end, String::new(), marker.into_iter().collect::<Vec<_>>())
            })
        };
        match found {
            Some((end, replacement, marker)) if !overlaps(start..end, protected) => {
                kept.push_str(&text[copied..start]);
                kept.push(' ');
                kept.push_str(&replacement);
                kept.push(' ');
                markers.extend(marker);
                copied = end;
                at = end;
            }
            _ => at = start + c.len_utf8(),
        }
    }
    kept.push_str(&text[copied..]);
    (collapse_whitespace(&kept), markers)
}

/// The Dataview fields of a block of markdown source: bracketed ones anywhere and lines
/// that are only a field (`key:: value`, after indentation and `>` quote marks), in
/// order, with canonical keys and values as written.
pub(super) fn fields(source: &str, protected: &[Range<usize>]) -> Vec<(String, String)> {
    let mut found = Vec::new();
    if !has_doubled(source, b':') {
        return found;
    }
    let mut line_start = 0;
    for line in source.split_inclusive('\n') {
        let content = line.trim_start_matches([' ', '\t', '>']);
        let content_start = line_start + (line.len() - content.len());
        if let Some((key, value)) = line_field(content.trim_end())
            && !overlaps(content_start..content_start + key.len() + 2, protected)
        {
            found.push((canonical_key(key), value.to_string()));
        }
        line_start += line.len();
    }
    let mut at = 0;
    while let Some(offset) = source[at..].find(['[', '(']) {
        let start = at + offset;
        match bracket_field(source, start) {
            Some(field) if !overlaps(start..field.end, protected) => {
                found.push((canonical_key(field.key), field.value.to_string()));
                at = field.end;
            }
            _ => at = start + 1,
        }
    }
    found
}

/// `key:: value` filling a whole line: a key that could be a field's, `::`, and then
/// nothing or a space (so that `std::vec` starting a line is prose).
pub(super) fn line_field(line: &str) -> Option<(&str, &str)> {
    let colons = head(line, MAX_KEY_BYTES + 2).find("::")?;
    let key = &line[..colons];
    let value = &line[colons + 2..];
    if !is_key(key) || !(value.is_empty() || value.starts_with([' ', '\t'])) {
        return None;
    }
    Some((key, value.trim()))
}

struct BracketField<'a> {
    /// Just past the closing bracket.
    end: usize,
    key: &'a str,
    value: &'a str,
    paren: bool,
}

/// `[key:: value]` or `(key:: value)` starting at `start`, on one line, with any spaces
/// around the key and value. The value may
/// hold brackets of the same kind in pairs (`[key:: [[a note]]]`). **Choice**: in the
/// round form a space must follow `::`, so that `(std::vec)` in prose is not a field.
fn bracket_field(text: &str, start: usize) -> Option<BracketField<'_>> {
    let (open, close) = match text.as_bytes()[start] {
        b'[' => (b'[', b']'),
        b'(' => (b'(', b')'),
        _ => return None,
    };
    let rest = &text[start + 1..];
    let colons = head(rest, MAX_KEY_BYTES + 2).find("::")?;
    // Dataview trims the key: `[  due::2021-08-22]` is a due date.
    let key = rest[..colons].trim_start_matches([' ', '\t']);
    if !is_key(key) {
        return None;
    }
    let value_start = start + 1 + colons + 2;
    let after = text.as_bytes().get(value_start).copied();
    if open == b'(' && !matches!(after, Some(b' ' | b'\t' | b')')) {
        return None;
    }
    let mut depth = 0usize;
    for (i, &b) in text.as_bytes()[value_start..].iter().enumerate() {
        if i > MAX_VALUE_BYTES || b == b'\n' || b == b'\r' {
            return None;
        }
        if b == open {
            depth += 1;
        } else if b == close {
            if depth == 0 {
                return Some(BracketField {
                    end: value_start + i + 1,
                    key,
                    value: text[value_start..value_start + i].trim(),
                    paren: open == b'(',
                });
            }
            depth -= 1;
        }
    }
    None
}

/// A field's key: some text without brackets, colons or line breaks, not only spaces,
/// and not starting with a space (`[ ::]` is not a field).
fn is_key(key: &str) -> bool {
    !key.trim().is_empty()
        && !key.starts_with([' ', '\t'])
        && !key.contains(['[', ']', '(', ')', ':', '\n', '\r', '`'])
}

/// Dataview's normalized key: emphasis marks removed, lowercased, spaces as `-`, so that
/// `**Project Lead**`, `project lead` and `Project-Lead` are the same field.
pub(super) fn canonical_key(key: &str) -> String {
    key.split(|c: char| c.is_whitespace())
        .filter(|word| !word.is_empty())
        .map(|word| word.replace(['*', '~'], "").to_lowercase())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// The marker of a bracketed field whose key Tasks knows.
fn field_marker(meaning: Signifier, value: &str, raw: &str) -> Marker {
    match meaning {
        Signifier::Date(kind) => Marker::Date {
            kind,
            raw: raw.to_string(),
            date: parse_date(value),
        },
        Signifier::Recurrence => Marker::Recurrence(value.to_string()),
        Signifier::Priority(_) => match Priority::from_name(value) {
            Some(priority) => Marker::Priority(priority),
            None => Marker::UnknownPriority {
                raw: raw.to_string(),
            },
        },
        Signifier::Field(key) => Marker::Field {
            key: key.to_string(),
            value: value.to_string(),
        },
    }
}

/// The marker of the emoji `c` at `start`, and where it ends: a date after a date emoji
/// (up to the next whitespace), the text up to the next marker after `🔁`, nothing after
/// a priority. A variation selector (U+FE0F) may follow the emoji.
fn emoji_marker(text: &str, start: usize, c: char, meaning: Signifier) -> (usize, Option<Marker>) {
    let mut end = start + c.len_utf8();
    if text[end..].starts_with(VARIATION_SELECTOR) {
        end += VARIATION_SELECTOR.len_utf8();
    }
    let after = &text[end..];
    let value_start = end + (after.len() - after.trim_start_matches([' ', '\t']).len());
    let marker = match meaning {
        Signifier::Date(kind) => {
            let value = &text[value_start..];
            let value_len = value.find(char::is_whitespace).unwrap_or(value.len());
            end = value_start + value_len;
            Some(Marker::Date {
                kind,
                raw: text[start..end].to_string(),
                date: parse_date(&value[..value_len]),
            })
        }
        Signifier::Recurrence => {
            let value = &text[value_start..];
            let value_len = value
                .find(|c: char| signifier(c).is_some() || matches!(c, '[' | '(' | '\n' | '\r'))
                .unwrap_or(value.len());
            end = value_start + value_len;
            let rule = value[..value_len].trim();
            (!rule.is_empty()).then(|| Marker::Recurrence(rule.to_string()))
        }
        Signifier::Priority(priority) => Some(Marker::Priority(priority)),
        Signifier::Field(key) => {
            let value_len = word_list_len(&text[value_start..]);
            end = value_start + value_len;
            let value = text[value_start..end].trim_end();
            (!value.is_empty()).then(|| Marker::Field {
                key: key.to_string(),
                value: value.to_string(),
            })
        }
    };
    (end, marker)
}

/// The length of the words joined by commas (`abc`, `abc, def`) that `text` starts with,
/// as Tasks writes an id, the ids a task depends on, or what to do on completion.
fn word_list_len(text: &str) -> usize {
    let mut len = 0;
    loop {
        let rest = &text[len..];
        len += rest
            .find(|c: char| c.is_whitespace() || c == ',')
            .unwrap_or(rest.len());
        let Some(after_comma) = text[len..]
            .trim_start_matches([' ', '\t'])
            .strip_prefix(',')
        else {
            return len;
        };
        // Past the comma and the spaces after it: each turn moves on by one comma at least.
        len = text.len() - after_comma.trim_start_matches([' ', '\t']).len();
    }
}

fn parse_date(value: &str) -> Result<Date, String> {
    if value.is_empty() {
        Err("the marker needs a date written as YYYY-MM-DD".to_string())
    } else {
        Date::parse(value).map_err(|error| error.to_string())
    }
}

/// The longest start of `text` of at most `bytes` bytes.
fn head(text: &str, bytes: usize) -> &str {
    let mut end = bytes.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn overlaps(range: Range<usize>, protected: &[Range<usize>]) -> bool {
    protected
        .iter()
        .any(|code| code.start < range.end && range.start < code.end)
}

/// Logseq's task keyword at the start of a list item's text: its state and the length of
/// the keyword (with a `[#A]` priority after it), or `None`. The keyword must be in
/// capitals and followed by a space, as Logseq writes it.
pub(super) fn logseq_marker(source: &str) -> Option<(MilestoneState, usize, Option<Priority>)> {
    const KEYWORDS: [(&str, MilestoneState); 10] = [
        ("TODO", MilestoneState::Open),
        ("DOING", MilestoneState::Open),
        ("NOW", MilestoneState::Open),
        ("LATER", MilestoneState::Open),
        ("WAITING", MilestoneState::Open),
        ("WAIT", MilestoneState::Open),
        ("IN-PROGRESS", MilestoneState::Open),
        ("DONE", MilestoneState::Done),
        ("CANCELED", MilestoneState::Cancelled),
        ("CANCELLED", MilestoneState::Cancelled),
    ];
    let (keyword, state) = KEYWORDS.iter().find(|(keyword, _)| {
        source
            .strip_prefix(keyword)
            .is_some_and(|rest| rest.starts_with([' ', '\t']))
    })?;
    let rest = &source[keyword.len()..];
    let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let priority = match rest[spaces..].get(..4) {
        Some("[#A]") => Some(Priority::High),
        Some("[#B]") => Some(Priority::Medium),
        Some("[#C]") => Some(Priority::Low),
        _ => None,
    };
    let len = keyword.len() + priority.map_or(0, |_| spaces + 4);
    Some((*state, len, priority))
}

/// What a `[[wikilink]]` without an alias shows: the note's name, without its folder,
/// `.md` and `#heading` (or the heading, for a link within the same note).
pub(crate) fn wikilink_display(target: &str) -> &str {
    let (path, heading) = target.split_once('#').unwrap_or((target, ""));
    let name = path.rsplit('/').next().unwrap_or(path);
    let name = strip_markdown_extension(name);
    if name.trim().is_empty() {
        heading.trim_start_matches('^')
    } else {
        name
    }
}

/// `text` with its words joined by single spaces.
pub(super) fn collapse_whitespace(text: &str) -> String {
    let mut collapsed = String::with_capacity(text.len());
    collapse_whitespace_into(text, &mut collapsed);
    collapsed
}

/// [`collapse_whitespace`] of `text` written into `collapsed`, which is empty.
pub(super) fn collapse_whitespace_into(text: &str, collapsed: &mut String) {
    let mut push = |word: &str| {
        if !collapsed.is_empty() {
            collapsed.push(' ');
        }
        collapsed.push_str(word);
    };
    if text.is_ascii() {
        // Every milestone, note and heading comes through here, and most are ASCII: then
        // bytes are looked at instead of decoded characters, and text already collapsed
        // (most of it) is copied whole.
        if is_collapsed_ascii(text.as_bytes()) {
            collapsed.push_str(text);
            return;
        }
        let mut start = 0;
        for (at, &byte) in text.as_bytes().iter().enumerate() {
            if is_ascii_whitespace(byte) {
                if at > start {
                    push(&text[start..at]);
                }
                start = at + 1;
            }
        }
        if start < text.len() {
            push(&text[start..]);
        }
    } else {
        text.split_whitespace().for_each(push);
    }
}

/// Whether ASCII text is its own [`collapse_whitespace`]: no whitespace but single spaces
/// between words.
fn is_collapsed_ascii(bytes: &[u8]) -> bool {
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return true;
    };
    // Whole passes without an early exit, which the compiler makes of wide instructions
    // (most texts pass): a byte at a time, this was 2% of cold `status`'s instructions.
    let mut refused = u8::from(first == b' ' || last == b' ');
    for (&byte, &next) in bytes.iter().zip(&bytes[1..]) {
        refused |= u8::from(byte == b' ') & u8::from(next == b' ');
    }
    for &byte in bytes {
        // `\t`, `\n`, `\x0B`, `\x0C`, `\r`: whitespace other than the space.
        refused |= u8::from(byte.wrapping_sub(b'\t') < 5);
    }
    refused == 0
}

/// Whether an ASCII byte is whitespace as [`char::is_whitespace`] says, which counts the
/// vertical tab (`u8::is_ascii_whitespace` does not).
fn is_ascii_whitespace(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Result<Date, String> {
        Ok(Date::parse(text).unwrap())
    }

    fn strip(text: &str) -> (String, Vec<Marker>) {
        strip_markers(text, &[])
    }

    #[test]
    fn every_tasks_emoji_is_read_and_removed() {
        let (text, markers) = strip(
            "Ship it 🔺 🔁 every week on Monday 📅 2026-03-01 ⏳ 2026-02-20 🛫 2026-02-01 \
             ➕ 2026-01-15 ✅ 2026-02-27 ❌ 2026-02-28",
        );
        assert_eq!(text, "Ship it");
        assert_eq!(
            markers,
            [
                Marker::Priority(Priority::Highest),
                Marker::Recurrence("every week on Monday".into()),
                Marker::Date {
                    kind: DateKind::Due,
                    raw: "📅 2026-03-01".into(),
                    date: date("2026-03-01")
                },
                Marker::Date {
                    kind: DateKind::Scheduled,
                    raw: "⏳ 2026-02-20".into(),
                    date: date("2026-02-20")
                },
                Marker::Date {
                    kind: DateKind::Start,
                    raw: "🛫 2026-02-01".into(),
                    date: date("2026-02-01")
                },
                Marker::Date {
                    kind: DateKind::Created,
                    raw: "➕ 2026-01-15".into(),
                    date: date("2026-01-15")
                },
                Marker::Date {
                    kind: DateKind::Done,
                    raw: "✅ 2026-02-27".into(),
                    date: date("2026-02-27")
                },
                Marker::Date {
                    kind: DateKind::Cancelled,
                    raw: "❌ 2026-02-28".into(),
                    date: date("2026-02-28")
                },
            ]
        );
    }

    #[test]
    fn id_dependency_and_on_completion_are_fields_of_their_own() {
        let (text, markers) = strip("Ship 🔁 every day 🏁 delete 🆔 abc-1 ⛔ x1, y_2 done ⛔ z,");
        assert_eq!(text, "Ship done");
        let field = |key: &str, value: &str| Marker::Field {
            key: key.into(),
            value: value.into(),
        };
        assert_eq!(
            markers,
            [
                Marker::Recurrence("every day".into()),
                field("oncompletion", "delete"),
                field("id", "abc-1"),
                field("dependson", "x1, y_2"),
                field("dependson", "z,"),
            ]
        );
    }

    #[test]
    fn priorities_and_variation_selectors() {
        for (written, priority) in [
            ("a 🔺", Priority::Highest),
            ("a ⏫", Priority::High),
            ("a 🔼", Priority::Medium),
            ("a 🔽", Priority::Low),
            ("a ⏬\u{FE0F}", Priority::Lowest),
        ] {
            assert_eq!(
                strip(written),
                ("a".into(), vec![Marker::Priority(priority)])
            );
        }
        let (text, markers) = strip("a ⏳\u{FE0F} 2026-02-20 🗓\u{FE0F} 2026-03-01 b");
        assert_eq!(text, "a b");
        assert_eq!(markers.len(), 2);
        assert!(matches!(
            markers[1],
            Marker::Date {
                kind: DateKind::Due,
                ..
            }
        ));
    }

    #[test]
    fn a_tasks_marker_in_the_value_of_a_round_field_is_read() {
        // `([a:: ](a:: )🔼)` renders as `(a:: 🔼)`: found by the property test
        // display_text_never_holds_a_tasks_marker.
        let (text, markers) = strip_markers("(a:: 🔼) step", &[]);
        assert_eq!(text, "step");
        assert_eq!(markers, [Marker::Priority(Priority::Medium)]);
    }

    #[test]
    fn bracketed_fields_are_removed_and_round_ones_leave_their_value() {
        let (text, markers) = strip(
            "Read (book:: Clean Code) [effort:: 3h] [due:: 2026-04-01] [priority:: high] \
             [repeat:: every month] [completion:: 2026-04-02]",
        );
        assert_eq!(text, "Read Clean Code");
        assert_eq!(markers.len(), 4);
        assert_eq!(markers[1], Marker::Priority(Priority::High));
        assert_eq!(markers[2], Marker::Recurrence("every month".into()));
        let (_, markers) = strip("x [priority:: urgent]");
        assert_eq!(
            markers,
            [Marker::UnknownPriority {
                raw: "[priority:: urgent]".into()
            }]
        );
    }

    #[test]
    fn spaces_inside_the_brackets_are_allowed_as_dataview_reads_them() {
        let (text, markers) = strip("Pay [  due::2021-08-22] rent (\tbook:: Dune )");
        assert_eq!(text, "Pay rent Dune");
        assert_eq!(
            markers,
            [Marker::Date {
                kind: DateKind::Due,
                raw: "[  due::2021-08-22]".into(),
                date: date("2021-08-22")
            }]
        );
        assert_eq!(
            fields("[ Effort  Hours :: 3]", &[]),
            [("effort-hours".to_string(), "3".to_string())]
        );
    }

    #[test]
    fn prose_is_not_a_field() {
        for prose in [
            "use std::vec::Vec",
            "a (std::vec) b",
            "[link](http://x) and (a) [b]",
            "[ :: x]",
            "[a\n:: b]",
            "[[note]] only",
        ] {
            assert_eq!(
                strip(prose),
                (collapse_whitespace(prose), vec![]),
                "{prose}"
            );
            assert_eq!(fields(prose, &[]), [], "{prose}");
        }
    }

    #[test]
    fn markers_in_code_do_not_count() {
        let text = "run `[due:: 2026-01-01]` and `📅 2026-01-02` today ⏫";
        let code = [4..24, 29..45];
        assert_eq!(&text[code[0].clone()], "`[due:: 2026-01-01]`");
        let (kept, markers) = strip_markers(text, &code);
        assert_eq!(kept, "run `[due:: 2026-01-01]` and `📅 2026-01-02` today");
        assert_eq!(markers, [Marker::Priority(Priority::High)]);
        assert_eq!(fields(text, &code), []);
    }

    #[test]
    fn fields_of_a_block_with_canonical_keys() {
        let source = "**Project Lead**:: Ana\n> Mood:: good\nstd::vec\nprose [Effort Hours:: 3] \
                      (rating:: [[Great]])\nkey::";
        assert_eq!(
            fields(source, &[]),
            [
                ("project-lead".to_string(), "Ana".to_string()),
                ("mood".to_string(), "good".to_string()),
                ("key".to_string(), String::new()),
                ("effort-hours".to_string(), "3".to_string()),
                ("rating".to_string(), "[[Great]]".to_string()),
            ]
        );
    }

    #[test]
    fn logseq_keywords() {
        assert_eq!(
            logseq_marker("TODO write"),
            Some((MilestoneState::Open, 4, None))
        );
        assert_eq!(
            logseq_marker("DONE [#A] ship"),
            Some((MilestoneState::Done, 9, Some(Priority::High)))
        );
        assert_eq!(
            logseq_marker("CANCELED x"),
            Some((MilestoneState::Cancelled, 8, None))
        );
        assert_eq!(
            logseq_marker("CANCELLED x"),
            Some((MilestoneState::Cancelled, 9, None))
        );
        for not_a_task in ["TODOS x", "todo x", "DONE", "Done x", "NOWHERE x"] {
            assert_eq!(logseq_marker(not_a_task), None, "{not_a_task}");
        }
    }

    #[test]
    fn whitespace_collapses_as_char_is_whitespace_says() {
        let expected = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
        // Every ASCII character, between words, doubled and at both ends: the bytes of
        // ASCII text are classified as the characters of other text are.
        for byte in 0..=0x7F_u8 {
            let c = char::from(byte);
            let text = format!("{c}a{c}b {c}{c}c{c}");
            assert_eq!(collapse_whitespace(&text), expected(&text), "{byte:#x}");
        }
        // Every text of up to five words and kinds of whitespace, in every order: the
        // check of text already collapsed takes it whole, at every place of it.
        let mut texts = vec![String::new()];
        for _ in 0..5 {
            let longer: Vec<String> = texts
                .iter()
                .flat_map(|text| {
                    ["a", " ", "\t", "\u{b}", "\r"].map(|piece| format!("{text}{piece}"))
                })
                .collect();
            for text in &longer {
                assert_eq!(collapse_whitespace(text), expected(text), "{text:?}");
            }
            texts = longer;
        }
        for text in [
            "",
            "   ",
            "one",
            "one two three",
            "one  two",
            " one two",
            "one two ",
            " Shipped\t it\r\n today \u{b} ",
            "caf\u{e9}\u{a0}\u{a0}au\u{2003}lait\u{85}",
            "\u{3000}wide space\u{3000}",
        ] {
            assert_eq!(collapse_whitespace(text), expected(text), "{text:?}");
        }
    }

    #[test]
    fn wikilinks_show_the_note_name() {
        assert_eq!(wikilink_display("folder/Target#Heading"), "Target");
        assert_eq!(wikilink_display("Goal.md"), "Goal");
        assert_eq!(wikilink_display("Goal.MD"), "Goal");
        assert_eq!(wikilink_display("#Heading"), "Heading");
        assert_eq!(wikilink_display("#^block"), "block");
        assert_eq!(wikilink_display(".md"), ".md");
    }
}
