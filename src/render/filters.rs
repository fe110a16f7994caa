//! The filters templates use beyond minijinja's own: numbers, percentages and bars as
//! reports show them, links, journal markdown and plain text as HTML, and the order of
//! open milestones; and the functions `goal_link`, `progress_rows`, `wins` and
//! `milestone_list` (and, from [`lists`], the other lists templates once wrote in
//! loops).

use std::fmt::Write as _;

use minijinja::value::ValueKind;
use minijinja::{AutoEscape, Environment, State, Value};

use crate::analyse::Status;
use crate::dates::Date;
use crate::document::Priority;
use crate::paths;
use crate::text::progress_bar;

use super::decimal::{Fixed, number, percent};
use super::items::{Field, Item, items, items_of_list};
use super::{chart, lists, markup};

/// Adds every filter, and the test `final` (`goal.status is final`: done or dropped,
/// [`Status::is_final`]), to `env`.
pub(super) fn add_all(env: &mut Environment) {
    env.add_test("final", |status: &str| {
        Status::named(status).is_some_and(Status::is_final)
    });
    env.add_filter("percent", percent);
    env.add_filter("bar", text_bar);
    env.add_filter("md_cell", markdown_cell);
    env.add_filter("rich_text", rich_text);
    env.add_filter("plain_text", |text: &str| {
        Value::from_safe_string(markup::plain_html(text))
    });
    env.add_filter("open_by_priority", open_by_priority);
    env.add_filter("number", number);
    env.add_filter("report_name", |id: &str| {
        paths::report_file_stem(id).into_owned()
    });
    env.add_filter("sparkline", |values: Vec<f64>| chart::sparkline(&values));
    env.add_filter("progress_sparkline", progress_sparkline);
    env.add_filter("signed_percent", signed_percent);
    env.add_filter("path_url", path_url);
    env.add_filter("days_between", days_between);
    env.add_filter("line_numbers", line_numbers);
    env.add_function("goal_link", goal_link);
    env.add_function("progress_rows", progress_rows);
    env.add_function("wins", wins);
    env.add_function("milestone_list", milestone_list);
    env.add_function("outlook_items", lists::outlook_items);
    env.add_function("brief_outlook_items", lists::brief_outlook_items);
    env.add_function("unchanged_goals", lists::unchanged_goals);
    env.add_function("entry_list", lists::entry_list);
    env.add_function("attention_items", lists::attention_items);
    env.add_function("note_items", lists::note_items);
    env.add_function("source_items", lists::source_items);
    env.add_function("burn_up_rows", lists::burn_up_rows);
    env.add_function("priority_list", lists::priority_list);
    env.add_function("coming_up_items", lists::coming_up_items);
}

/// Whether `state`'s template writes HTML (auto-escaped) rather than markdown.
pub(super) fn writes_html(state: &State) -> bool {
    !matches!(state.auto_escape(), AutoEscape::None)
}

/// `out` as the template value a function gives back: safe HTML, or markdown text.
pub(super) fn written(out: String, html: bool) -> Value {
    if html {
        Value::from_safe_string(out)
    } else {
        Value::from(out)
    }
}

/// `goal_link(id, title)`: a goal's title linking to its page, in HTML or markdown as the
/// template is, when the page sits among the reports (`in_reports`); printed, or written
/// into the journal, such a link would lead nowhere, and it is the title alone. A review
/// links every goal it names, so this is Rust rather than a template macro: calling a
/// macro was a tenth of a full build's time.
fn goal_link(state: &State, id: &str, title: &Value) -> Result<Value, minijinja::Error> {
    let html = writes_html(state);
    if !in_reports(state)? {
        return Ok(title.clone());
    }
    // Each link is put together in one buffer: a review names every goal it shows,
    // 157,000 links in a full build of a 10,000-file journal.
    let mut link = String::with_capacity(40 + 2 * id.len());
    write_goal_link(&mut link, html, id, &Field::Value(title.clone()));
    Ok(written(link, html))
}

/// Whether the page sits among the reports (the template's `in_reports`), where links to
/// goal pages lead somewhere.
pub(super) fn in_reports(state: &State) -> Result<bool, minijinja::Error> {
    let in_reports = state.lookup("in_reports").ok_or_else(|| {
        minijinja::Error::new(
            minijinja::ErrorKind::UndefinedError,
            "goal_link is for review templates, which have in_reports",
        )
    })?;
    Ok(in_reports.is_true())
}

/// Writes the link `goal_link` makes among the reports to `out`, in HTML or markdown.
pub(super) fn write_goal_link(out: &mut String, html: bool, id: &str, title: &Field) {
    let stem = paths::report_file_stem(id);
    if !html {
        out.push('[');
        title.push(out);
        out.push_str("](../goals/");
        out.push_str(&stem);
        out.push_str(".md)");
        return;
    }
    out.push_str("<a href=\"../goals/");
    push_html_escaped(out, &stem);
    out.push_str(".html\">");
    title.write_html(out);
    out.push_str("</a>");
}

/// Writes `value` to `out` as `{{ value }}` in a markdown template (or `write!` with
/// `{value}`) prints it: text copied as it is, anything else formatted. The lists'
/// functions write 400,000 values in a full build, and the formatter's calls for
/// text alone were 4% of its instructions.
pub(super) fn push_value(out: &mut String, value: &Value) {
    match value.as_str() {
        Some(text) => out.push_str(text),
        None => {
            let _ = write!(out, "{value}");
        }
    }
}

/// Writes `value` to `out` as `{{ value }}` in an HTML template prints it: escaped
/// unless safe HTML, a number or the like. Text is copied or escaped straight into `out`:
/// through the formatter, as `write!` prints it, the calls were 4% of a full build.
pub(super) fn write_html(out: &mut String, value: &Value) {
    let plain = matches!(
        value.kind(),
        ValueKind::Undefined | ValueKind::None | ValueKind::Bool | ValueKind::Number
    );
    match value.as_str() {
        Some(text) if value.is_safe() => out.push_str(text),
        Some(text) => push_html_escaped(out, text),
        None if value.is_safe() || plain => {
            let _ = write!(out, "{value}");
        }
        None => push_html_escaped(out, &value.to_string()),
    }
}

/// Pushes `text` to `out` escaped as minijinja's `HtmlEscape` escapes it: `<`, `>`, `&`,
/// both quotes and `/`.
pub(super) fn push_html_escaped(out: &mut String, text: &str) {
    let mut start = 0;
    for (index, byte) in text.bytes().enumerate() {
        let escaped = match byte {
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'&' => "&amp;",
            b'"' => "&quot;",
            b'\'' => "&#x27;",
            b'/' => "&#x2f;",
            _ => continue,
        };
        out.push_str(&text[start..index]);
        out.push_str(escaped);
        start = index + 1;
    }
    out.push_str(&text[start..]);
}

/// `milestone_list(goal.milestones)`: a goal page's list of milestones, as the
/// template's loop over them wrote them: in HTML each an item after two spaces (its box,
/// its text as `rich_text` makes it, and what is known of it: priority, recurrence and
/// scheduled day while open, cancelled, due and done dates), in markdown each a task
/// line indented by its depth. The goal pages list 21,000 milestones
/// in each format at 10,000 files, and the loop, with a dozen lookups of each
/// milestone's fields, was 6% of a full build.
fn milestone_list(state: &State, milestones: &Value) -> Result<Value, minijinja::Error> {
    let html = writes_html(state);
    let mut out = String::new();
    for milestone in items(milestones)? {
        if html {
            write_html_milestone(&mut out, &milestone)?;
        } else {
            write_markdown_milestone(&mut out, &milestone)?;
        }
    }
    Ok(written(out, html))
}

/// Writes one milestone of `milestone_list` in HTML to `out`.
fn write_html_milestone(out: &mut String, m: &Item) -> Result<(), minijinja::Error> {
    let state = m.field("effective_state")?;
    let depth = m.field("depth")?;
    out.push_str("  <li class=\"");
    state.write_html(out);
    out.push_str(" depth-");
    if depth
        .as_value()
        .and_then(Value::as_i64)
        .is_some_and(|depth| depth < 4)
    {
        depth.write_html(out);
    } else {
        out.push_str("deep");
    }
    out.push_str("\"><span class=\"box\" aria-hidden=\"true\">");
    out.push_str(match state.as_str() {
        Some("done") => "☑",
        Some("cancelled") => "☒",
        _ => "☐",
    });
    out.push_str("</span><span class=\"visually-hidden\">");
    state.write_html(out);
    out.push_str(": </span><span class=\"text\">");
    push_rich_item(out, m)?;
    out.push_str("</span>\n    <span class=\"meta\">");
    if state.as_str() == Some("open") {
        let priority = m.field("priority")?;
        if !priority.is_undefined() {
            out.push_str("<span class=\"priority ");
            priority.write_html(out);
            out.push_str("\">");
            priority.write_html(out);
            out.push_str(" priority</span>");
        }
        let recurrence = m.field("recurrence")?;
        if !recurrence.is_undefined() {
            out.push_str("<span>🔁 ");
            recurrence.write_html(out);
            out.push_str("</span>");
        }
        let scheduled = m.field("scheduled")?;
        if !scheduled.is_undefined() {
            out.push_str("<span>scheduled <time>");
            scheduled.write_html(out);
            out.push_str("</time></span>");
        }
    }
    if state.as_str() == Some("cancelled") {
        out.push_str("<span>cancelled");
        let cancelled_on = m.field("cancelled_on")?;
        if !cancelled_on.is_undefined() {
            out.push_str(" <time>");
            cancelled_on.write_html(out);
            out.push_str("</time>");
        }
        out.push_str(", not counted</span>");
    }
    for (field, words) in [("due", "due"), ("done_on", "done")] {
        let date = m.field(field)?;
        if date.is_true() {
            out.push_str("<span>");
            out.push_str(words);
            out.push_str(" <time>");
            date.write_html(out);
            out.push_str("</time></span>");
        }
    }
    out.push_str("</span></li>");
    Ok(())
}

/// Writes one milestone of `milestone_list` in markdown to `out`. A cancelled milestone
/// is struck through, not boxed: `[-]` is no task box in markdown.
fn write_markdown_milestone(out: &mut String, m: &Item) -> Result<(), minijinja::Error> {
    let state = m.field("effective_state")?;
    let depth = m
        .field("depth")?
        .as_value()
        .and_then(Value::as_usize)
        .unwrap_or(0);
    let text = m.field("text")?;
    out.push_str(&"  ".repeat(depth));
    out.push_str("- ");
    if state.as_str() == Some("cancelled") {
        out.push_str("~~");
        text.push(out);
        out.push_str("~~ (cancelled");
        let cancelled_on = m.field("cancelled_on")?;
        if !cancelled_on.is_undefined() {
            out.push(' ');
            cancelled_on.push(out);
        }
        out.push_str(", not counted)");
    } else {
        let done = if state.as_str() == Some("done") {
            "x"
        } else {
            " "
        };
        out.push('[');
        out.push_str(done);
        out.push_str("] ");
        text.push(out);
    }
    if state.as_str() == Some("open") {
        for (field, before, after) in [
            ("priority", " (", " priority)"),
            ("recurrence", " (🔁 ", ")"),
            ("scheduled", " (scheduled ", ")"),
        ] {
            let value = m.field(field)?;
            if !value.is_undefined() {
                out.push_str(before);
                value.push(out);
                out.push_str(after);
            }
        }
    }
    for (field, words) in [("due", "due"), ("done_on", "done")] {
        let date = m.field(field)?;
        if date.is_true() {
            out.push_str(" (");
            out.push_str(words);
            out.push(' ');
            date.push(out);
            out.push(')');
        }
    }
    out.push('\n');
    Ok(())
}

/// `wins(review.wins)`: a review's "Wins to celebrate", as the template's loops over the
/// goals and their milestones done wrote them: for each goal its link (as `goal_link`
/// links it) and its milestones done, in HTML a heading and a list, in markdown a bold
/// line and a list; nothing for no wins. The reviews list 41,000 milestones done in each
/// format at 10,000 files, most goals with one, and the two loops were 7% of a full build.
fn wins(state: &State, groups: &Value) -> Result<Value, minijinja::Error> {
    let html = writes_html(state);
    let linked = in_reports(state)?;
    let mut out = String::new();
    for group in items(groups)? {
        let (goal, title) = (group.field("goal")?, group.field("title")?);
        let goal = goal.as_str().ok_or_else(|| {
            minijinja::Error::new(
                minijinja::ErrorKind::InvalidOperation,
                "wins takes review.wins, whose goals are ids",
            )
        })?;
        out.push_str(if html { "<h3>" } else { "**" });
        if !linked {
            if html {
                title.write_html(&mut out);
            } else {
                title.push(&mut out);
            }
        } else {
            write_goal_link(&mut out, html, goal, &title);
        }
        out.push_str(if html {
            "</h3>\n<ul class=\"milestones\">"
        } else {
            "**\n\n"
        });
        for milestone in group.list("milestones")? {
            let done_on = milestone.field("done_on")?;
            if html {
                out.push_str(
                    "  <li class=\"done\"><span class=\"box\" aria-hidden=\"true\">☑</span>\
                     <span class=\"visually-hidden\">done: </span>",
                );
                push_rich_item(&mut out, &milestone)?;
                out.push_str(" <span class=\"meta\"><time>");
                done_on.write_html(&mut out);
                out.push_str("</time></span></li>");
            } else {
                out.push_str("- ✅ ");
                milestone.field("text")?.push(&mut out);
                out.push_str(" (");
                done_on.push(&mut out);
                out.push_str(")\n");
            }
        }
        out.push_str(if html { "</ul>\n" } else { "\n" });
    }
    Ok(written(out, html))
}

/// `progress_rows(review.progress)`: the rows of a review's "Progress" table, as the
/// template's loop over them wrote them: in HTML each row after four spaces, in markdown
/// one a line (without a newline after the last); each goal linked as `goal_link` links
/// it. The reviews show 16,000 such rows in each format at 10,000 files, and the loop,
/// with three filters and `goal_link` in each row, was 7% of a full build.
fn progress_rows(state: &State, rows: &Value) -> Result<Value, minijinja::Error> {
    let html = writes_html(state);
    let linked = in_reports(state)?;
    let mut out = String::new();
    for (index, row) in items(rows)?.iter().enumerate() {
        if html {
            out.push_str("    ");
        } else if index > 0 {
            out.push('\n');
        }
        write_progress_row(&mut out, html, linked, row)?;
    }
    Ok(written(out, html))
}

/// Writes one row of `progress_rows` to `out`.
fn write_progress_row(
    out: &mut String,
    html: bool,
    linked: bool,
    row: &Item,
) -> Result<(), minijinja::Error> {
    let field = |name: &str| -> Result<Field, minijinja::Error> {
        let value = row.field(name)?;
        if value.is_undefined() {
            return Err(minijinja::Error::new(
                minijinja::ErrorKind::UndefinedError,
                format!("progress_rows takes the rows of review.progress, which have {name}"),
            ));
        }
        Ok(value)
    };
    let number =
        |name: &str| -> Result<f64, minijinja::Error> { f64::try_from(field(name)?.into_value()) };
    let (goal, title) = (field("goal")?, field("title")?);
    let goal = goal.as_str().ok_or_else(|| {
        minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            "progress_rows takes rows whose goal is an id",
        )
    })?;
    let (start, end) = (percent(number("start")?), percent(number("end")?));
    let change = signed_percent(number("change")?);
    let (done, status, stalled) = (field("done")?, field("status")?, field("stalled")?);
    if html {
        out.push_str("<tr><th scope=\"row\">");
        if linked {
            write_goal_link(out, true, goal, &title);
        } else {
            title.write_html(out);
        }
        out.push_str("</th><td class=\"num\" data-label=\"Start\">");
        out.push_str(&start);
        out.push_str("</td><td class=\"num\" data-label=\"End\">");
        out.push_str(&end);
        out.push_str("</td><td class=\"num\" data-label=\"Change\">");
        out.push_str(&change);
        out.push_str("</td><td class=\"num\" data-label=\"Done\">");
        done.write_html(out);
        out.push_str("</td><td><span class=\"status ");
        status.write_html(out);
        out.push_str("\">");
        status.write_html(out);
        out.push_str("</span>");
        if stalled.is_true() {
            out.push_str(" <span class=\"status stalled\">stalled</span>");
        }
        out.push_str("</td></tr>");
        return Ok(());
    }
    let cell = match title.as_str() {
        Some(text) => markdown_cell(text),
        None => {
            return Err(minijinja::Error::new(
                minijinja::ErrorKind::InvalidOperation,
                "progress_rows takes rows whose title is text",
            ));
        }
    };
    out.push_str("| ");
    if linked {
        write_goal_link(out, false, goal, &Field::Text(&cell));
    } else {
        out.push_str(&cell);
    }
    for text in [" | ", &start, " | ", &end, " | ", &change, " | "] {
        out.push_str(text);
    }
    done.push(out);
    out.push_str(" | ");
    status.push(out);
    if stalled.is_true() {
        out.push_str(", stalled");
    }
    out.push_str(" |");
    Ok(())
}

/// `items | line_numbers`: the `line` of each item, joined by ", ", as `items |
/// map(attribute="line") | join(", ")` writes them. A goal page lists the lines of each
/// entry that mentions the goal, and those two filters of minijinja's were 5% of a full
/// build.
fn line_numbers(items: &Value) -> Result<String, minijinja::Error> {
    let mut numbers = String::new();
    for (index, item) in items.try_iter()?.enumerate() {
        if index > 0 {
            numbers.push_str(", ");
        }
        let _ = write!(numbers, "{}", item.get_attr("line")?);
    }
    Ok(numbers)
}

/// A burn-up's points (`goal.burn_up`) as a weekly sparkline scaled to 0..100%
/// ([`chart::progress_sparkline`]).
fn progress_sparkline(points: &Value) -> Result<String, minijinja::Error> {
    let step = |point: &Item| -> Option<(Date, f64)> {
        let date = Date::parse(point.field("date").ok()?.as_str()?).ok()?;
        let progress = f64::try_from(point.field("progress").ok()?.into_value()).ok()?;
        Some((date, progress))
    };
    let steps = items_of_list(points)?
        .iter()
        .map(step)
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| {
            minijinja::Error::new(
                minijinja::ErrorKind::InvalidOperation,
                "progress_sparkline takes a goal's burn_up points",
            )
        })?;
    Ok(chart::progress_sparkline(&steps))
}

/// The days from one `YYYY-MM-DD` date to another.
pub(super) fn days_between(from: &str, to: &str) -> Result<i64, minijinja::Error> {
    match (Date::parse(from), Date::parse(to)) {
        (Ok(from), Ok(to)) => Ok(from.days_until(to)),
        _ => Err(minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            "days_between takes two YYYY-MM-DD dates",
        )),
    }
}

/// `0.125` -> `+13%`, `-0.05` -> `-5%`, `0` -> `0%`: a change of progress.
fn signed_percent(value: f64) -> String {
    let points = (value * 100.0).round();
    if points > 0.0 {
        format!("+{}%", Fixed::new(points, 0))
    } else if points < 0.0 {
        format!("{}%", Fixed::new(points, 0))
    } else {
        "0%".to_string()
    }
}

/// A relative file path as a URL path: every byte but unreserved ones and `/` is
/// percent-encoded, so names with spaces, `#` or `?` still link to the file.
pub(super) fn path_url(path: &str) -> String {
    let mut url = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            url.push(byte as char);
        } else {
            url.push_str(&format!("%{byte:02X}"));
        }
    }
    url
}

/// `0.5` -> `█████░░░░░`: a progress bar for text reports.
fn text_bar(value: f64) -> String {
    progress_bar(value, 10)
}

/// A milestone's or note's text in an HTML report: its markdown rendered and sanitized
/// when it has any, else its plain text; either with its dates kept whole.
pub(super) fn rich_text(item: &Value) -> Result<Value, minijinja::Error> {
    let mut html = String::new();
    push_rich_text(&mut html, item)?;
    Ok(Value::from_safe_string(html))
}

/// Pushes `item`'s text to `out` as [`rich_text`] makes it, without a value of its own
/// in between: the lists' functions write 100,000 such texts in a full build.
pub(super) fn push_rich_text(out: &mut String, item: &Value) -> Result<(), minijinja::Error> {
    push_rich_item(out, &Item::Value(item.clone()))
}

/// [`push_rich_text`] of an item of a list.
pub(super) fn push_rich_item(out: &mut String, item: &Item) -> Result<(), minijinja::Error> {
    match item.field("markdown")?.as_str() {
        Some(markdown) => out.push_str(&markup::inline_html(markdown)),
        None => markup::push_plain_html(out, item.field("text")?.as_str().unwrap_or_default()),
    }
    Ok(())
}

/// The open leaf milestones of a list, the most urgent first: by `priority_rank`, where a
/// milestone without a priority ranks between medium and low (as Obsidian Tasks sorts),
/// and in the order written within a priority.
fn open_by_priority(milestones: &Value) -> Result<Vec<Value>, minijinja::Error> {
    let open = open_items_by_priority(items_of_list(milestones)?);
    Ok(open.iter().map(Item::to_value).collect())
}

/// [`open_by_priority`] of the items of a list.
pub(super) fn open_items_by_priority(milestones: Vec<Item>) -> Vec<Item> {
    let attr = |m: &Item, name: &str| m.field(name).map(Field::into_value).unwrap_or_default();
    let mut open: Vec<Item> = milestones
        .into_iter()
        .filter(|m| {
            attr(m, "effective_state").as_str() == Some("open") && attr(m, "leaf").is_true()
        })
        .collect();
    open.sort_by_key(|m| {
        attr(m, "priority_rank")
            .as_i64()
            .unwrap_or(i64::from(Priority::rank(None)))
    });
    open
}

/// Text safe inside a markdown table cell: pipes escaped, line breaks folded.
fn markdown_cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

#[cfg(test)]
pub(super) mod tests {
    use minijinja::HtmlEscape;

    use super::*;

    #[test]
    fn final_is_done_or_dropped() {
        let mut env = Environment::new();
        add_all(&mut env);
        let statuses = [
            "overdue", "at-risk", "on-track", "open", "paused", "done", "dropped",
        ];
        let finals: Vec<bool> = statuses
            .into_iter()
            .map(|status| {
                let expression = env.compile_expression("status is final").unwrap();
                expression
                    .eval(minijinja::context! { status })
                    .unwrap()
                    .is_true()
            })
            .collect();
        assert_eq!(finals, [false, false, false, false, false, true, true]);
    }

    #[test]
    fn changes_and_urls() {
        assert_eq!(signed_percent(0.125), "+13%");
        assert_eq!(signed_percent(-0.05), "-5%");
        assert_eq!(signed_percent(0.001), "0%");
        assert_eq!(
            path_url("journal/2026/a b#1.md"),
            "journal/2026/a%20b%231.md"
        );
        assert_eq!(path_url("é.md"), "%C3%A9.md");
    }

    /// Renders `{{ goal_link(id, title) }}` as the template `name` (its extension chooses
    /// HTML or markdown), in the reports folder or not.
    fn goal_link_in(name: &str, in_reports: bool, id: &str, title: &str) -> String {
        let mut env = Environment::new();
        add_all(&mut env);
        env.add_template(name, "{{ goal_link(id, title) }}")
            .unwrap();
        let template = env.get_template(name).unwrap();
        template
            .render(minijinja::context! { in_reports, id, title })
            .unwrap()
    }

    #[test]
    fn goal_links_escape_the_title_in_html_and_lead_nowhere_outside_the_reports() {
        assert_eq!(
            goal_link_in("review.html", true, "con", "<b>R&D</b>"),
            "<a href=\"../goals/con_.html\">&lt;b&gt;R&amp;D&lt;&#x2f;b&gt;</a>"
        );
        assert_eq!(
            goal_link_in("review.md", true, "run", "Run a 10k"),
            "[Run a 10k](../goals/run.md)"
        );
        assert_eq!(
            goal_link_in("review.html", false, "run", "<b>"),
            "&lt;b&gt;"
        );
        assert_eq!(goal_link_in("review.md", false, "run", "Run"), "Run");
    }

    /// A report environment with trailmark's filters and functions, holding `old.html`
    /// and `old.md` (the templates' loops as they were) and `new.html` and `new.md` (the
    /// functions that replaced them), for the tests that hold the two to the same text.
    pub(in crate::render) fn old_and_new(
        old: [&'static str; 2],
        new: [&'static str; 2],
    ) -> Environment<'static> {
        let mut env =
            crate::render::templates::environment(crate::render::templates::Purpose::Report);
        add_all(&mut env);
        for (name, text) in ["old.html", "old.md", "new.html", "new.md"]
            .into_iter()
            .zip(old.into_iter().chain(new))
        {
            env.add_template(name, text).unwrap();
        }
        env
    }

    /// A review's "Progress" rows as the templates' loop wrote them from their fields, and
    /// as `progress_rows` writes them: the same text in both formats, in the reports and
    /// not, for no row, one and several.
    #[test]
    fn progress_rows_are_written_as_the_templates_loop_wrote_them() {
        let html_rows = r#"  <tbody>
{%- for p in rows %}
    <tr><th scope="row">{{ goal_link(p.goal, p.title) }}</th><td class="num" data-label="Start">{{ p.start | percent }}</td><td class="num" data-label="End">{{ p.end | percent }}</td><td class="num" data-label="Change">{{ p.change | signed_percent }}</td><td class="num" data-label="Done">{{ p.done }}</td><td><span class="status {{ p.status }}">{{ p.status }}</span>{% if p.stalled %} <span class="status stalled">stalled</span>{% endif %}</td></tr>
{%- endfor %}
  </tbody>"#;
        let markdown_rows = r#"|---|
{% for p in rows %}
| {{ goal_link(p.goal, p.title | md_cell) }} | {{ p.start | percent }} | {{ p.end | percent }} | {{ p.change | signed_percent }} | {{ p.done }} | {{ p.status }}{% if p.stalled %}, stalled{% endif %} |
{% endfor %}
after"#;
        let env = old_and_new(
            [html_rows, markdown_rows],
            [
                "  <tbody>{{ progress_rows(rows) }}  </tbody>",
                "|---|\n{{ progress_rows(rows) }}\nafter",
            ],
        );
        let rows = [
            minijinja::context! {
                goal => "run", title => "Run a 10k", status => "on-track", stalled => false,
                start => 0.25, end => 0.5, change => 0.25, done => 3,
            },
            minijinja::context! {
                goal => "con", title => "<b>R&D</b> | \"x\"\nnext", status => "at-risk",
                stalled => true, start => 0.0, end => 1.0, change => -0.125, done => 0,
            },
            minijinja::context! {
                goal => "a b/c", title => "A", status => "<overdue>", stalled => false,
                start => 0.996, end => 0.004, change => 0.0, done => 12,
            },
        ];
        for count in [1, 2, 3] {
            let rows = &rows[..count];
            for in_reports in [true, false] {
                for format in ["html", "md"] {
                    let render = |name: String| {
                        let values = minijinja::context! { rows, in_reports };
                        env.get_template(&name).unwrap().render(values).unwrap()
                    };
                    let old = render(format!("old.{format}"));
                    assert_eq!(render(format!("new.{format}")), old, "{count} {in_reports}");
                }
            }
        }
    }

    /// A review's "Wins to celebrate" as the templates' loops wrote it, and as `wins`
    /// writes it: the same text in both formats, in the reports and not, for no wins, a
    /// goal with one milestone done and one with several (one with markdown).
    #[test]
    fn wins_are_written_as_the_templates_loops_wrote_them() {
        let html_wins = r#"<h2>Wins to celebrate</h2>
{% for group in groups %}
<h3>{{ goal_link(group.goal, group.title) }}</h3>
<ul class="milestones">
{%- for m in group.milestones %}
  <li class="done"><span class="box" aria-hidden="true">☑</span><span class="visually-hidden">done: </span>{{ m | rich_text }} <span class="meta"><time>{{ m.done_on }}</time></span></li>
{%- endfor %}
</ul>
{% endfor %}
{% if after %}
after
{% endif %}"#;
        let markdown_wins = r#"## Wins to celebrate

{% for group in groups %}
**{{ goal_link(group.goal, group.title) }}**

{% for m in group.milestones %}
- ✅ {{ m.text }} ({{ m.done_on }})
{% endfor %}

{% endfor %}
{% if after %}
after
{% endif %}"#;
        let new_html =
            "<h2>Wins to celebrate</h2>\n{{ wins(groups) -}}\n{% if after %}\nafter\n{% endif %}";
        let new_markdown =
            "## Wins to celebrate\n\n{{ wins(groups) -}}\n{% if after %}\nafter\n{% endif %}";
        let env = old_and_new([html_wins, markdown_wins], [new_html, new_markdown]);
        let groups = [
            minijinja::context! {
                goal => "run", title => "Run <a> 10k", milestones => vec![
                    minijinja::context! { text => "5 km & more", done_on => "2026-03-01" },
                ],
            },
            minijinja::context! {
                goal => "con", title => "R&D", milestones => vec![
                    minijinja::context! {
                        text => "ship v1", markdown => "ship **v1** <script>x</script>",
                        done_on => "2026-03-02",
                    },
                    minijinja::context! { text => "plan 2026-03-05", done_on => "2026-03-03" },
                ],
            },
        ];
        for count in [0, 1, 2] {
            let shown = &groups[..count];
            for in_reports in [true, false] {
                for after in [true, false] {
                    for format in ["html", "md"] {
                        let render = |name: String| {
                            let values = minijinja::context! { groups => shown, in_reports, after };
                            env.get_template(&name).unwrap().render(values).unwrap()
                        };
                        let old = render(format!("old.{format}"));
                        assert_eq!(render(format!("new.{format}")), old, "{count} {in_reports}");
                    }
                }
            }
        }
    }

    const OLD_HTML: &str = r#"{% if goal.milestones %}
<ul class="milestones">
{%- for m in goal.milestones %}
  <li class="{{ m.effective_state }} depth-{{ m.depth if m.depth < 4 else 'deep' }}"><span class="box" aria-hidden="true">{{ "☑" if m.effective_state == "done" else ("☒" if m.effective_state == "cancelled" else "☐") }}</span><span class="visually-hidden">{{ m.effective_state }}: </span><span class="text">{{ m | rich_text }}</span>
    <span class="meta">{% if m.effective_state == "open" %}{% if m.priority is defined %}<span class="priority {{ m.priority }}">{{ m.priority }} priority</span>{% endif %}{% if m.recurrence is defined %}<span>🔁 {{ m.recurrence }}</span>{% endif %}{% if m.scheduled is defined %}<span>scheduled <time>{{ m.scheduled }}</time></span>{% endif %}{% endif %}{% if m.effective_state == "cancelled" %}<span>cancelled{% if m.cancelled_on is defined %} <time>{{ m.cancelled_on }}</time>{% endif %}, not counted</span>{% endif %}{% if m.due %}<span>due <time>{{ m.due }}</time></span>{% endif %}{% if m.done_on %}<span>done <time>{{ m.done_on }}</time></span>{% endif %}</span></li>
{%- endfor %}
</ul>
{% endif %}
after"#;
    const OLD_MD: &str = r#"{% for m in goal.milestones %}
{# A cancelled milestone is struck through, not boxed: `[-]` is no task box in markdown. #}
{{ "  " * m.depth }}- {% if m.effective_state == "cancelled" %}~~{{ m.text }}~~ (cancelled{% if m.cancelled_on is defined %} {{ m.cancelled_on }}{% endif %}, not counted){% else %}[{{ "x" if m.effective_state == "done" else " " }}] {{ m.text }}{% endif %}{% if m.effective_state == "open" %}{% if m.priority is defined %} ({{ m.priority }} priority){% endif %}{% if m.recurrence is defined %} (🔁 {{ m.recurrence }}){% endif %}{% if m.scheduled is defined %} (scheduled {{ m.scheduled }}){% endif %}{% endif %}{% if m.due %} (due {{ m.due }}){% endif %}{% if m.done_on %} (done {{ m.done_on }}){% endif %}

{% else %}
{% if goal.metric %}
No milestones: its progress comes from its metric.
{% else %}
No milestones yet.
{% endif %}
{% endfor %}
after"#;
    const NEW_HTML: &str = r#"{% if goal.milestones %}
<ul class="milestones">{{ milestone_list(goal.milestones) }}</ul>
{% endif %}
after"#;
    const NEW_MD: &str = r#"{% if goal.milestones %}
{{ milestone_list(goal.milestones) -}}
{% else %}
{% if goal.metric %}
No milestones: its progress comes from its metric.
{% else %}
No milestones yet.
{% endif %}
{% endif %}
after"#;

    /// A goal page's milestones as the templates' loop wrote them, and as
    /// `milestone_list` writes them: the same text in both formats, for no milestone
    /// (with a metric or without) and for open, done and cancelled ones at several depths,
    /// with and without Tasks metadata, dates and markdown.
    #[test]
    fn milestone_lists_are_written_as_the_templates_loop_wrote_them() {
        let env = old_and_new([OLD_HTML, OLD_MD], [NEW_HTML, NEW_MD]);
        let milestones = [
            minijinja::context! {
                text => "plan <it> & 2026-01-02", state => "open", depth => 0,
                due => (), done_on => (), file => "a.md", line => 1,
                effective_state => "open", leaf => true,
            },
            minijinja::context! {
                text => "ship v1", markdown => "ship **v1** <script>x</script>",
                state => "open", depth => 1, due => "2026-03-01", done_on => (),
                file => "a.md", line => 2, effective_state => "open", leaf => true,
                priority => "high", priority_rank => 1, recurrence => "every week",
                scheduled => "2026-02-01",
            },
            minijinja::context! {
                text => "tested", state => "done", depth => 4, due => "2026-02-01",
                done_on => "2026-01-30", file => "a.md", line => 3,
                effective_state => "done", leaf => true, priority => "low",
            },
            minijinja::context! {
                text => "dropped", state => "cancelled", depth => 7, due => (),
                done_on => (), file => "a.md", line => 4, effective_state => "cancelled",
                leaf => true, cancelled_on => "2026-01-15",
            },
            minijinja::context! {
                text => "also dropped", state => "open", depth => 2, due => (),
                done_on => (), file => "a.md", line => 5, effective_state => "cancelled",
                leaf => false,
            },
        ];
        let metric = minijinja::context! { target => 10 };
        for count in [0, 1, 2, 5] {
            for metric in [Value::from(()), metric.clone()] {
                let goal = minijinja::context! {
                    milestones => milestones[..count].to_vec(), metric,
                };
                for format in ["html", "md"] {
                    let render = |name: String| {
                        let values = minijinja::context! { goal => goal.clone() };
                        env.get_template(&name).unwrap().render(values).unwrap()
                    };
                    let old = render(format!("old.{format}"));
                    assert_eq!(render(format!("new.{format}")), old, "{count}");
                }
            }
        }
    }

    #[test]
    fn goal_links_need_in_reports() {
        let mut env = Environment::new();
        add_all(&mut env);
        let expression = env.compile_expression("goal_link('a', 'A')").unwrap();
        assert!(expression.eval(minijinja::context! {}).is_err());
    }

    #[test]
    fn line_numbers_are_written_as_map_and_join_write_them() {
        let mut env = Environment::new();
        add_all(&mut env);
        let ours = "{{ items | line_numbers }}";
        let theirs = r#"{{ items | map(attribute="line") | join(", ") }}"#;
        env.add_template("ours.html", ours).unwrap();
        env.add_template("theirs.html", theirs).unwrap();
        let lines = |numbers: &[u32]| -> Vec<Value> {
            numbers
                .iter()
                .map(|&line| minijinja::context! { line, text => "<b>" })
                .collect()
        };
        for items in [lines(&[]), lines(&[7]), lines(&[3, 12, 40])] {
            let render = |name: &str| {
                let context = minijinja::context! { items => items.clone() };
                env.get_template(name).unwrap().render(context).unwrap()
            };
            assert_eq!(render("ours.html"), render("theirs.html"));
        }
        assert_eq!(
            env.render_str(ours, minijinja::context! { items => lines(&[3, 12]) })
                .unwrap(),
            "3, 12"
        );
    }

    /// Text escaped into a buffer as minijinja's `HtmlEscape` escapes it, and values
    /// written as `{{ value }}` prints them in an HTML template.
    #[test]
    fn html_is_written_as_templates_print_it() {
        for text in [
            "",
            "plain",
            "<b>R&D</b> \"x\" 'y' a/b",
            "é <ü> — 2026-01-02/03",
            "&&",
            "/",
        ] {
            let mut escaped = String::from("before ");
            push_html_escaped(&mut escaped, text);
            assert_eq!(escaped, format!("before {}", HtmlEscape(text)));
        }
        let values = [
            Value::from("<a href='/x'>&</a>"),
            Value::from_safe_string("<b>safe</b>".to_string()),
            Value::from(2.5),
            Value::from(()),
            Value::from(true),
            Value::from(vec!["<a>", "b"]),
        ];
        for value in values {
            let mut written = String::new();
            write_html(&mut written, &value);
            assert_eq!(written, printed("value.html", &value), "{value:?}");
        }
    }

    /// `value` as `{{ value }}` prints it in a template named `name` (its extension
    /// chooses whether it is escaped).
    fn printed(name: &str, value: &Value) -> String {
        let mut env = Environment::new();
        env.add_template(name, "{{ value }}").unwrap();
        let template = env.get_template(name).unwrap();
        template.render(minijinja::context! { value }).unwrap()
    }

    /// Values written as `{{ value }}` prints them in a markdown template: text as it
    /// is (safe or not, bytes of UTF-8 too), anything else as minijinja formats it.
    #[test]
    fn values_are_written_as_markdown_templates_print_them() {
        let values = [
            Value::from("<a href='/x'>&</a>"),
            Value::from("a text longer than the twenty-two bytes kept in place"),
            Value::from_safe_string("<b>safe</b>".to_string()),
            Value::from_bytes(b"bytes".to_vec()),
            Value::from(2.5),
            Value::from(2.0),
            Value::from(12),
            Value::from(()),
            Value::UNDEFINED,
            Value::from(true),
            Value::from(vec!["<a>", "b"]),
        ];
        for value in values {
            let mut written = String::from("before ");
            push_value(&mut written, &value);
            let printed = printed("value.md", &value);
            assert_eq!(written, format!("before {printed}"), "{value:?}");
        }
    }

    #[test]
    fn markdown_cells_cannot_break_tables() {
        assert_eq!(markdown_cell("a|b\nc"), "a\\|b c");
    }
}
