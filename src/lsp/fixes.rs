//! Quick fixes for what `check` reports: the "did you mean" of a name that names no goal
//! (a `#tag`, a `parent:`, a `metrics:` or `checkins:` key, a heading), a date written
//! in words (`due: next week`) as the days it may mean, and a goal's missing `due:` or
//! `why:`. Each starts from a diagnostic of the last analysis and checks that the text
//! it points at is still there, so a fix never lands on text edited since.

use std::ops::{Range, RangeInclusive};

use super::Context;
use super::buffers::Buffer;
use super::completion::named_dates;
use super::editing::workspace_edit;
use super::protocol::{ActionKind, CodeAction, FileRange, TextRange};
use super::tokens::front_matter_lines;
use crate::analyse::period::{Period, PeriodKind};
use crate::dates::{Date, Weekday};
use crate::diagnostic::Position;

pub(crate) fn quick_fixes(c: &Context<'_>, lines: RangeInclusive<u32>) -> Vec<CodeAction> {
    let on_lines = |position: &Position| lines.contains(&position.line.saturating_sub(1));
    let mut fixes = Vec::new();
    for diagnostic in c.snapshot.diagnostics_of(c.path) {
        let Some(position) = diagnostic.position.filter(on_lines) else {
            continue;
        };
        fixes.extend(did_you_mean(c, position, &diagnostic.message));
        fixes.extend(date_in_words(c, position, &diagnostic.message));
    }
    for hint in c.snapshot.hints.iter().filter(|hint| hint.file == c.path) {
        if on_lines(&hint.position) {
            fixes.extend(missing_field(c, hint.position, &hint.message));
        }
    }
    fixes
}

/// The texts between the backticks of `message`, in order.
fn quoted(message: &str) -> Vec<&str> {
    message.split('`').skip(1).step_by(2).collect()
}

/// "`#lern-sql` names no goal; did you mean `learn-sql`?": the name, as the first quote
/// writes it, replaced on the diagnostic's line by the suggested id.
fn did_you_mean(c: &Context<'_>, position: Position, message: &str) -> Option<CodeAction> {
    let (_, suggested) = message.rsplit_once("did you mean `")?;
    let suggested = suggested.strip_suffix("`?")?;
    let wrong = quoted(message).first()?.trim_start_matches('#');
    let line = position.line - 1;
    let text = c.buffer.line(line);
    let from = byte_of_column(text, position.column);
    let found = find_name(text, from, wrong).or_else(|| find_name(text, 0, wrong))?;
    Some(fix(
        c,
        format!("Change `{wrong}` to `{suggested}`"),
        vec![(line, found, suggested.to_string())],
        true,
    ))
}

/// Where `name` stands in `line` from byte `from` as a whole name (case-insensitively:
/// tags are read lowercased).
fn find_name(line: &str, from: usize, name: &str) -> Option<Range<usize>> {
    let lower = line.to_lowercase();
    // Lowercasing keeps the byte offsets of the ASCII a goal id is made of; any other
    // line is looked at as written.
    let haystack = if lower.len() == line.len() {
        &lower
    } else {
        line
    };
    let name = name.to_lowercase();
    let is_name_char = |c: char| super::tokens::is_tag_char(c);
    haystack
        .get(from..)?
        .match_indices(&name)
        .map(|(at, _)| from + at..from + at + name.len())
        .find(|range| {
            !line[..range.start]
                .chars()
                .next_back()
                .is_some_and(is_name_char)
                && !line[range.end..].chars().next().is_some_and(is_name_char)
        })
}

/// "`next week` is not a date" (of a front-matter key, or of a milestone's `📅`): each
/// day the words may mean, as a fix.
fn date_in_words(c: &Context<'_>, position: Position, message: &str) -> Vec<CodeAction> {
    let Some(words) = message
        .split_once("` is not a date")
        .and_then(|(before, _)| before.rsplit_once('`'))
        .map(|(_, words)| words)
    else {
        return Vec::new();
    };
    let line = position.line - 1;
    let text = c.buffer.line(line);
    let Some(found) = find_name(text, byte_of_column(text, position.column), words) else {
        return Vec::new();
    };
    relative_dates(words, c.snapshot.today())
        .into_iter()
        .enumerate()
        .map(|(rank, (name, date))| {
            fix(
                c,
                format!("Write `{words}` as {date} ({name})"),
                vec![(line, found.clone(), date.to_string())],
                rank == 0,
            )
        })
        .collect()
}

/// The days that words like `next week`, `friday` or `in 3 weeks` may mean, seen from
/// `today`, each with its name; none for words that name no day.
pub(crate) fn relative_dates(words: &str, today: Date) -> Vec<(String, Date)> {
    let words = words.trim().to_lowercase();
    let words: Vec<&str> = words
        .split_whitespace()
        .filter(|w| !matches!(*w, "the" | "on" | "by"))
        .collect();
    let period = |kind| Period::containing(kind, today, Weekday::Monday);
    let named = |name: &str, date: Date| vec![(name.to_string(), date)];
    let kind_of = |word: &str| match word.trim_end_matches('s') {
        "week" => Some(PeriodKind::Week),
        "month" => Some(PeriodKind::Month),
        "quarter" => Some(PeriodKind::Quarter),
        "year" => Some(PeriodKind::Year),
        _ => None,
    };
    match words.as_slice() {
        ["today"] | ["tomorrow"] => named_dates(today)
            .into_iter()
            .filter(|(name, _)| *name == words[0])
            .map(|(name, date)| (name.to_string(), date))
            .collect(),
        ["next", unit] if kind_of(unit).is_some() => {
            let next = period(kind_of(unit).expect("matched")).next();
            vec![
                (format!("start of next {unit}"), next.first),
                (format!("end of next {unit}"), next.last),
            ]
        }
        ["end", "of", unit] | ["this", unit] if kind_of(unit).is_some() => named(
            &format!("end of this {unit}"),
            period(kind_of(unit).expect("matched")).last,
        ),
        ["in", count, unit] | [count, unit] if kind_of(unit).is_some() => {
            let Ok(count) = count.parse::<u32>() else {
                return Vec::new();
            };
            let date = match kind_of(unit).expect("matched") {
                PeriodKind::Week => Some(today.add_days(7 * i64::from(count))),
                PeriodKind::Month => months_later(today, count),
                PeriodKind::Quarter => months_later(today, count.saturating_mul(3)),
                PeriodKind::Year => months_later(today, count.saturating_mul(12)),
            };
            let unit = unit.trim_end_matches('s');
            let plural = if count == 1 { "" } else { "s" };
            date.map_or_else(Vec::new, |date| {
                named(&format!("in {count} {unit}{plural}"), date)
            })
        }
        ["in", count, "days" | "day"] | [count, "days" | "day"] => match count.parse::<i64>() {
            Ok(days) => named(&format!("in {days} days"), today.add_days(days)),
            Err(_) => Vec::new(),
        },
        ["next" | "this", day] | [day] => match weekday(day) {
            Some(weekday) => {
                // The next such day after today, as people mean "friday".
                let ahead = (weekday.days_from_monday() - today.days_from_monday() + 6) % 7 + 1;
                named(&format!("next {}", weekday.as_str()), today.add_days(ahead))
            }
            None => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// The same day `months` months after `date`, or the month's last day when it is
/// shorter (a month after 31 January is 28 or 29 February).
fn months_later(date: Date, months: u32) -> Option<Date> {
    let index = i64::from(date.year()) * 12 + i64::from(date.month() - 1) + i64::from(months);
    let year = i32::try_from(index.div_euclid(12)).ok()?;
    let month = index.rem_euclid(12) as u32 + 1;
    let first = Date::from_ymd(year, month, 1)?;
    let last = Period::containing(PeriodKind::Month, first, Weekday::Monday).last;
    Some(first.add_days(i64::from(day_of_month(date) - 1)).min(last))
}

/// 1 to 31.
fn day_of_month(date: Date) -> u32 {
    let first = Date::from_ymd(date.year(), date.month(), 1).expect("a month has a first day");
    first.days_until(date) as u32 + 1
}

fn weekday(word: &str) -> Option<Weekday> {
    Weekday::ALL
        .into_iter()
        .find(|day| day.as_str().to_lowercase() == word || day.as_str()[..3].to_lowercase() == word)
}

/// A SMART hint "has no due date" or "has no `why:`": the key added to the goal's
/// front-matter. A due date is offered at the end of the month and in three months (as
/// `trailmark init`'s example goal has); `why:` is left for the reason to be typed.
fn missing_field(c: &Context<'_>, position: Position, message: &str) -> Vec<CodeAction> {
    let Some((lines, indent)) = goal_block(c.buffer, position) else {
        return Vec::new();
    };
    // A key that is there with a value that is no date (`due: next week`) gets the fix
    // of its value, not a second key.
    let has = |key: &str| {
        lines.clone().any(|line| {
            let text = c.buffer.line(line);
            text.get(indent..)
                .is_some_and(|rest| rest.starts_with(&format!("{key}:")))
                && matches!(text[..indent].trim(), "" | "-")
        })
    };
    let add = |title: String, line: String, preferred| {
        let text = format!("{}{line}\n", " ".repeat(indent));
        fix(c, title, vec![(lines.end, 0..0, text)], preferred)
    };
    let mut fixes = Vec::new();
    if message.contains("has no due date") && !has("due") {
        let today = c.snapshot.today();
        let month_end = named_dates(today)[3].1;
        let later = today.add_days(91);
        fixes.push(add(
            format!("Add `due: {month_end}` (end of month)"),
            format!("due: {month_end}"),
            false,
        ));
        fixes.push(add(
            format!("Add `due: {later}` (in 3 months)"),
            format!("due: {later}"),
            false,
        ));
    }
    if message.contains("`why:`") && !has("why") {
        fixes.push(add("Add `why:`".to_string(), "why: ".to_string(), false));
    }
    fixes
}

/// The goal declared at `position` in the front-matter: the lines (0-based) of its
/// mapping, and the column (in bytes of spaces) of its keys. A goal of the whole file
/// has the front-matter's lines at column 0; a goal of `goals:` (`- title: ...`) or a
/// `goal:` mapping has the lines indented at least as far as its keys.
pub(crate) fn goal_block(buffer: &Buffer, position: Position) -> Option<(Range<u32>, usize)> {
    let front = front_matter_lines((0..buffer.line_count()).map(|n| buffer.line(n)))?;
    let close = front.end - 1;
    let first = position.line.checked_sub(1)?;
    if !front.contains(&first) || first == close {
        return None;
    }
    let declared = buffer.line(first);
    let mapping_below = position.column <= 1
        && declared
            .strip_prefix("goal:")
            .is_some_and(|rest| rest.trim().is_empty());
    let (start, indent) = match (mapping_below, position.column) {
        (true, _) => {
            let next = buffer.line(first + 1);
            (first + 1, next.len() - next.trim_start_matches(' ').len())
        }
        (false, 0 | 1) => return Some((1..close, 0)),
        (false, column) => (first, column as usize - 1),
    };
    if indent == 0 || start >= close {
        return Some((1..close, 0));
    }
    let inside = |line: u32| {
        let text = buffer.line(line);
        text.trim().is_empty() || text.len() - text.trim_start_matches(' ').len() >= indent
    };
    let mut end = (start + 1..close)
        .find(|&line| !inside(line))
        .unwrap_or(close);
    // Blank lines between goals stay between them.
    while end > start + 1 && buffer.line(end - 1).trim().is_empty() {
        end -= 1;
    }
    Some((start..end, indent))
}

fn byte_of_column(line: &str, column: u32) -> usize {
    line.char_indices()
        .nth(column.saturating_sub(1) as usize)
        .map_or(line.len(), |(at, _)| at)
}

/// A quick fix made of edits (line, byte range of it, new text) of the cursor's file.
fn fix(
    c: &Context<'_>,
    title: String,
    edits: Vec<(u32, Range<usize>, String)>,
    preferred: bool,
) -> CodeAction {
    let edits = edits.into_iter().map(|(line, range, text)| {
        let place = FileRange {
            path: c.root.join(c.path),
            range: TextRange {
                start: c.buffer.position_in_line(line, range.start),
                end: c.buffer.position_in_line(line, range.end),
            },
        };
        (place, text)
    });
    CodeAction {
        title,
        kind: ActionKind::QuickFix,
        edit: Some(workspace_edit(edits)),
        command: None,
        preferred,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days(words: &str) -> Vec<String> {
        // 2026-03-10 is a Tuesday.
        let today = Date::parse("2026-03-10").unwrap();
        relative_dates(words, today)
            .into_iter()
            .map(|(name, date)| format!("{name} {date}"))
            .collect()
    }

    #[test]
    fn words_name_the_days_they_may_mean() {
        assert_eq!(
            days("next week"),
            [
                "start of next week 2026-03-16",
                "end of next week 2026-03-22"
            ]
        );
        assert_eq!(days("Tomorrow"), ["tomorrow 2026-03-11"]);
        assert_eq!(days("end of the month"), ["end of this month 2026-03-31"]);
        assert_eq!(days("friday"), ["next friday 2026-03-13"]);
        assert_eq!(days("next tue"), ["next tuesday 2026-03-17"]);
        assert_eq!(days("in 2 weeks"), ["in 2 weeks 2026-03-24"]);
        assert_eq!(days("in 10 days"), ["in 10 days 2026-03-20"]);
        assert_eq!(days("in 3 months"), ["in 3 months 2026-06-10"]);
        let january_end = Date::parse("2028-01-31").unwrap();
        assert_eq!(
            months_later(january_end, 1).unwrap().to_string(),
            "2028-02-29"
        );
        assert_eq!(
            months_later(january_end, 11).unwrap().to_string(),
            "2028-12-31"
        );
        assert_eq!(
            days("next quarter"),
            [
                "start of next quarter 2026-04-01",
                "end of next quarter 2026-06-30"
            ]
        );
        assert!(days("soon").is_empty());
        assert!(days("in many weeks").is_empty());
    }

    #[test]
    fn names_are_found_whole() {
        let line = "- [ ] x #learn-sq and #learn-sq";
        assert_eq!(find_name(line, 0, "learn-sq"), Some(9..17));
        assert_eq!(
            find_name("#learn-sql #learn-sq", 0, "learn-sq"),
            Some(12..20)
        );
        assert_eq!(find_name("#Learn-SQ", 0, "learn-sq"), Some(1..9));
    }
}
