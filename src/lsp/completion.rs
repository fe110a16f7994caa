//! Completion, by what the text before the cursor starts:
//! - `#`: goal ids, active goals first, each with its title and progress;
//! - `[[`: notes and goals, by the file name a wikilink uses;
//! - `parent:` in front-matter: goal ids;
//! - a front-matter key being typed, and the values of `status:`, `horizon:`, `due:`
//!   and `start:`;
//! - a date after `📅 `, `⏳ `, `🛫 ` or `✅ `: today, tomorrow, next Monday, end of month.

use super::Context;
use super::hover::progress;
use super::protocol::{CompletionItem, CompletionKind, TextEdit};
use super::tokens::{front_matter_lines, is_tag_char};
use crate::analyse::GoalReport;
use crate::analyse::period::{Period, PeriodKind};
use crate::dates::{Date, Weekday};
use crate::document::GOAL_FIELDS;

/// The most items one answer lists: the editor asks again as more is typed (the answer
/// says it is incomplete), so a journal of 10,000 notes never sends them all.
const MOST: usize = 200;

/// The keys of a document's front-matter besides a goal's own.
const DOCUMENT_KEYS: [&str; 6] = ["goal", "goals", "title", "date", "metrics", "checkins"];

/// The markers of the Tasks plugin's dates: due, scheduled, start, done.
const DATE_MARKERS: [&str; 4] = ["📅", "⏳", "🛫", "✅"];

/// The items, and whether more would match than are listed.
pub(crate) struct Completions {
    pub(crate) items: Vec<CompletionItem>,
    pub(crate) incomplete: bool,
}

pub(crate) fn completion(c: &Context<'_>) -> Completions {
    let line = c.line();
    let cursor = c.offset_in_line();
    let before = &line[..cursor];
    let in_front_matter = front_matter_lines((0..c.buffer.line_count()).map(|n| c.buffer.line(n)))
        .is_some_and(|lines| lines.contains(&c.position.line) && c.position.line > 0);
    if in_front_matter {
        return front_matter(c, before, cursor);
    }
    if let Some(start) = link_start(before) {
        return notes(
            c,
            &before[start..],
            start..word_end(line, cursor, |ch| ch != ']'),
        );
    }
    if let Some(start) = tag_start(before) {
        return goals(
            c,
            &before[start..],
            start..word_end(line, cursor, is_tag_char),
        );
    }
    if let Some(start) = date_start(before) {
        return dates(
            c,
            start..word_end(line, cursor, |ch| ch.is_ascii_digit() || ch == '-'),
        );
    }
    Completions::none()
}

impl Completions {
    fn none() -> Completions {
        Completions {
            items: Vec::new(),
            incomplete: false,
        }
    }

    /// The first [`MOST`] of `items`, in their order.
    fn first(items: impl Iterator<Item = CompletionItem>) -> Completions {
        let mut items: Vec<CompletionItem> = items.take(MOST + 1).collect();
        let incomplete = items.len() > MOST;
        items.truncate(MOST);
        Completions { items, incomplete }
    }
}

/// The end of the word the cursor is in: the edit replaces all of it.
fn word_end(line: &str, cursor: usize, in_word: impl Fn(char) -> bool) -> usize {
    cursor
        + line[cursor..]
            .chars()
            .take_while(|&ch| in_word(ch))
            .map(char::len_utf8)
            .sum::<usize>()
}

/// After `[[` with no `]]` yet: where the link's target starts.
fn link_start(before: &str) -> Option<usize> {
    let open = before.rfind("[[")? + 2;
    (!before[open..].contains("]]")).then_some(open)
}

/// After a `#` that starts a tag (at the line's start or after a space or `(`, `[`,
/// `,`): where the tag's name starts.
fn tag_start(before: &str) -> Option<usize> {
    let name_len: usize = before
        .chars()
        .rev()
        .take_while(|&ch| is_tag_char(ch))
        .map(char::len_utf8)
        .sum();
    let hash = before.len() - name_len;
    let preceding = before[..hash].strip_suffix('#')?;
    let ok = preceding
        .chars()
        .next_back()
        .is_none_or(|ch| ch.is_whitespace() || "([,".contains(ch));
    ok.then_some(hash)
}

/// After a date marker and a space, with at most a date's digits typed: where the
/// date starts.
fn date_start(before: &str) -> Option<usize> {
    let typed_len = before
        .chars()
        .rev()
        .take_while(|&ch| ch.is_ascii_digit() || ch == '-')
        .count();
    let start = before.len() - typed_len;
    let marker = before[..start].strip_suffix(' ')?;
    DATE_MARKERS
        .iter()
        .any(|m| marker.ends_with(m))
        .then_some(start)
}

fn goals(c: &Context<'_>, typed: &str, range: std::ops::Range<usize>) -> Completions {
    let typed = typed.to_lowercase();
    let mut matching: Vec<&GoalReport> = c
        .snapshot
        .goals()
        .iter()
        .map(|goal| &**goal)
        .filter(|goal| goal.id.contains(&typed) || goal.title.to_lowercase().contains(&typed))
        .collect();
    // Active goals first, then by id.
    matching.sort_by_key(|goal| (goal.status.is_final(), goal.id.as_str()));
    let edit_range = c.line_range(range);
    Completions::first(
        matching
            .into_iter()
            .enumerate()
            .map(|(rank, goal)| CompletionItem {
                label: goal.id.clone(),
                kind: CompletionKind::Goal,
                detail: Some(format!("{} · {}", goal.title, progress(goal))),
                edit: TextEdit {
                    range: edit_range,
                    text: goal.id.clone(),
                },
                sort: format!("{rank:05}"),
                filter: Some(format!("{} {}", goal.id, goal.title)),
            }),
    )
}

/// Notes by the name a wikilink uses (the file name without `.md`), a goal's file
/// with its goal's title and progress.
fn notes(c: &Context<'_>, typed: &str, range: std::ops::Range<usize>) -> Completions {
    let typed = typed.to_lowercase();
    let edit_range = c.line_range(range.clone());
    let closed = c.line()[range.end..].starts_with("]]");
    let snapshot = c.snapshot;
    let matching = snapshot.notes().iter().filter_map(|note| {
        let name = note.path.rsplit('/').next().unwrap_or(&note.path);
        let name = crate::paths::strip_markdown_extension(name);
        let goal = snapshot.goals_of_file(&note.path).next();
        let title = goal.map_or(&note.title[..], |goal| goal.title.as_str());
        let matches = name.to_lowercase().contains(&typed) || title.to_lowercase().contains(&typed);
        matches.then(|| CompletionItem {
            label: name.to_string(),
            kind: match goal {
                Some(_) => CompletionKind::Goal,
                None => CompletionKind::Note,
            },
            detail: Some(match goal {
                Some(goal) => format!("{} · {}", goal.title, progress(goal)),
                None => note.title.to_string(),
            }),
            edit: TextEdit {
                range: edit_range,
                text: if closed {
                    name.to_string()
                } else {
                    format!("{name}]]")
                },
            },
            // Goals first, then notes, each by name.
            sort: format!("{}{name}", u8::from(goal.is_none())),
            filter: Some(format!("{name} {title}")),
        })
    });
    Completions::first(matching)
}

fn front_matter(c: &Context<'_>, before: &str, cursor: usize) -> Completions {
    let Some(colon) = before.find(':') else {
        return keys(c, before, cursor);
    };
    let key = before[..colon].trim();
    let value = &before[colon + 1..];
    let value_start = colon + 1 + (value.len() - value.trim_start().len());
    let end = word_end(c.line(), cursor, |ch| !ch.is_whitespace());
    let range = value_start..end;
    match key {
        "parent" => goals(c, &before[value_start..], range),
        "status" => values(c, &["active", "paused", "done", "dropped"], range),
        "horizon" => values(c, &["short", "long"], range),
        "due" | "start" | "date" => dates(c, range),
        _ => Completions::none(),
    }
}

/// A key typed at the start of a front-matter line.
fn keys(c: &Context<'_>, before: &str, cursor: usize) -> Completions {
    let typed = before.trim_start();
    if !typed.chars().all(|ch| ch.is_alphanumeric() || ch == '_') {
        return Completions::none();
    }
    let start = before.len() - typed.len();
    let range = c.line_range(start..word_end(c.line(), cursor, |ch| ch.is_alphanumeric()));
    let mut names: Vec<&str> = DOCUMENT_KEYS.iter().chain(&GOAL_FIELDS).copied().collect();
    names.sort_unstable();
    names.dedup();
    Completions::first(names.into_iter().map(|name| CompletionItem {
        label: name.to_string(),
        kind: CompletionKind::Key,
        detail: None,
        edit: TextEdit {
            range,
            text: format!("{name}: "),
        },
        sort: name.to_string(),
        filter: None,
    }))
}

fn values(c: &Context<'_>, values: &[&str], range: std::ops::Range<usize>) -> Completions {
    let range = c.line_range(range);
    Completions::first(
        values
            .iter()
            .enumerate()
            .map(|(rank, value)| CompletionItem {
                label: value.to_string(),
                kind: CompletionKind::Value,
                detail: None,
                edit: TextEdit {
                    range,
                    text: value.to_string(),
                },
                sort: format!("{rank}"),
                filter: None,
            }),
    )
}

fn dates(c: &Context<'_>, range: std::ops::Range<usize>) -> Completions {
    let range = c.line_range(range);
    let named = named_dates(c.snapshot.today());
    Completions::first(named.into_iter().enumerate().map(|(rank, (name, date))| {
        CompletionItem {
            label: date.to_string(),
            kind: CompletionKind::Date,
            detail: Some(name.to_string()),
            edit: TextEdit {
                range,
                text: date.to_string(),
            },
            sort: format!("{rank}"),
            // Typing "tom" finds tomorrow, typing "2026-" every date.
            filter: Some(format!("{date} {name}")),
        }
    }))
}

/// Today, tomorrow, next Monday (a week on, on a Monday) and the month's last day.
pub(crate) fn named_dates(today: Date) -> [(&'static str, Date); 4] {
    let month = Period::containing(PeriodKind::Month, today, Weekday::Monday);
    [
        ("today", today),
        ("tomorrow", today.add_days(1)),
        ("next Monday", today.add_days(7 - today.days_from_monday())),
        ("end of month", month.last),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_dates_from_today() {
        // 2026-03-10 is a Tuesday.
        let today = Date::parse("2026-03-10").unwrap();
        let named = named_dates(today).map(|(name, date)| format!("{name} {date}"));
        assert_eq!(
            named,
            [
                "today 2026-03-10",
                "tomorrow 2026-03-11",
                "next Monday 2026-03-16",
                "end of month 2026-03-31"
            ]
        );
        let monday = Date::parse("2026-03-16").unwrap();
        assert_eq!(named_dates(monday)[2].1.to_string(), "2026-03-23");
    }

    #[test]
    fn knows_what_the_text_before_the_cursor_starts() {
        assert_eq!(tag_start("worked on #sh"), Some(11));
        assert_eq!(tag_start("#"), Some(1));
        assert_eq!(tag_start("issue#sh"), None);
        assert_eq!(link_start("see [[sh"), Some(6));
        assert_eq!(link_start("see [[ship]] and"), None);
        assert_eq!(
            date_start("- [ ] build 📅 2026-0"),
            Some("- [ ] build 📅 ".len())
        );
        assert_eq!(date_start("- [ ] build ⏳ "), Some("- [ ] build ⏳ ".len()));
        assert_eq!(date_start("- [ ] build 2026"), None);
    }
}
