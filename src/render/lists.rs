//! The functions `outlook_items`, `brief_outlook_items`, `unchanged_goals`,
//! `attention_items`, `note_items`, `entry_list`, `source_items`, `burn_up_rows`,
//! `priority_list` and `coming_up_items`: lists of the reviews and goal pages that the
//! templates once wrote in loops, written here to the same text. Each
//! loop read fields of each item as template values and ran filters on them, a few
//! thousand instructions an item.

use std::fmt::Write as _;

use minijinja::{State, Value};

use super::decimal::{number, percent};
use super::filters::{
    days_between, in_reports, open_items_by_priority, path_url, push_html_escaped, push_rich_item,
    push_value, write_goal_link, writes_html, written,
};
use super::items::{Field, Item, items};
use super::markup;

/// Writes `field` to `out` as `{{ field }}` prints it in the template's format.
fn write_field(out: &mut String, html: bool, field: &Field) {
    if html {
        field.write_html(out);
    } else {
        field.push(out);
    }
}

/// Writes a goal's `goal_link(goal, title)` to `out`: its title, linking to its page when
/// `linked` (the page sits among the reports). `takes` says what the calling function
/// takes, for the error when the goal is no id.
fn write_link(
    out: &mut String,
    html: bool,
    linked: bool,
    item: &Item,
    takes: &str,
) -> Result<(), minijinja::Error> {
    let (goal, title) = (item.field("goal")?, item.field("title")?);
    if !linked {
        write_field(out, html, &title);
        return Ok(());
    }
    let goal = goal.as_str().ok_or_else(|| {
        minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            format!("{takes}, whose goals are ids"),
        )
    })?;
    write_goal_link(out, html, goal, &title);
    Ok(())
}

/// What `outlook_items` takes, for the error when a goal is no id.
const OUTLOOKS: &str = "outlook_items takes a review's outlooks";

/// Writes an outlook's next milestone to `out`, as `{% if o.next %}: next: ...{% endif %}`
/// wrote it: its text, and its due date when it has one.
fn write_next(out: &mut String, html: bool, outlook: &Item) -> Result<(), minijinja::Error> {
    let next = outlook.child("next")?;
    if !next.is_true() {
        return Ok(());
    }
    out.push_str(": next: ");
    let due = next.field("due")?;
    if html {
        push_rich_item(out, &next)?;
        if due.is_true() {
            out.push_str(" <span class=\"meta\">due <time>");
            due.write_html(out);
            out.push_str("</time></span>");
        }
    } else {
        next.field("text")?.push(out);
        if due.is_true() {
            out.push_str(" (due ");
            due.push(out);
            out.push(')');
        }
    }
    Ok(())
}

/// `outlook_items(review.outlook)`: a review's "Next for each goal", as the templates'
/// loop over the outlooks wrote it: for each goal its link (as `goal_link` links it), the
/// milestone to do next, those overdue, its pace and its forecast; in HTML list items
/// each after two spaces, in markdown list lines. The reviews show 27,000 outlooks in
/// each format at 10,000 files, and the loop was a tenth of a full build's instructions.
pub(super) fn outlook_items(state: &State, outlooks: &Value) -> Result<Value, minijinja::Error> {
    let html = writes_html(state);
    let linked = in_reports(state)?;
    let mut out = String::new();
    for outlook in items(outlooks)? {
        if html {
            out.push_str("  <li><strong>");
            write_link(&mut out, html, linked, &outlook, OUTLOOKS)?;
            out.push_str("</strong>");
            write_next(&mut out, html, &outlook)?;
            out.push_str("    <ul>");
        } else {
            out.push_str("- **");
            write_link(&mut out, html, linked, &outlook, OUTLOOKS)?;
            out.push_str("**");
            write_next(&mut out, html, &outlook)?;
            out.push('\n');
        }
        let overdue = outlook.list("overdue")?;
        if !overdue.is_empty() {
            out.push_str(if html {
                "      <li>Overdue: "
            } else {
                "  - Overdue: "
            });
            for (index, milestone) in overdue.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                let due = milestone.field("due")?;
                if html {
                    push_rich_item(&mut out, milestone)?;
                    out.push_str(" <span class=\"meta\">due <time>");
                    due.write_html(&mut out);
                    out.push_str("</time></span>");
                } else {
                    milestone.field("text")?.push(&mut out);
                    out.push_str(" (due ");
                    due.push(&mut out);
                    out.push(')');
                }
            }
            out.push_str(if html { "</li>" } else { "\n" });
        }
        let pace = outlook.field("pace_per_week")?.into_value();
        if !pace.is_none() {
            out.push_str(if html {
                "      <li>Pace: "
            } else {
                "  - Pace: "
            });
            out.push_str(&number(f64::try_from(pace)?));
            let unit = outlook.field("pace_unit")?;
            if unit.is_true() {
                out.push(' ');
                write_field(&mut out, html, &unit);
            }
            out.push_str(" a week over the last 8 weeks");
            out.push_str(if html { "</li>" } else { "\n" });
        }
        out.push_str(if html {
            "      <li>Forecast: "
        } else {
            "  - Forecast: "
        });
        write_forecast(&mut out, html, &outlook)?;
        out.push_str(if html {
            "</li>\n    </ul>\n  </li>"
        } else {
            "\n"
        });
    }
    Ok(written(out, html))
}

/// Writes an outlook's forecast to `out`: the day it will be done, and how far that is
/// from its due date; or why there is no such day.
fn write_forecast(out: &mut String, html: bool, outlook: &Item) -> Result<(), minijinja::Error> {
    let forecast = outlook.field("forecast")?;
    if !forecast.is_true() {
        write_field(out, html, &outlook.field("forecast_note")?);
        return Ok(());
    }
    if html {
        out.push_str("done around <time>");
        forecast.write_html(out);
        out.push_str("</time>");
    } else {
        out.push_str("done around ");
        forecast.push(out);
    }
    let due = outlook.field("due")?;
    if due.is_true() {
        let dates = |value: &Field| {
            value.as_str().map(str::to_string).ok_or_else(|| {
                minijinja::Error::new(
                    minijinja::ErrorKind::InvalidOperation,
                    "outlook_items takes outlooks whose due and forecast are dates",
                )
            })
        };
        let late = days_between(&dates(&due)?, &dates(&forecast)?)?;
        let _ = match late {
            1.. => write!(out, ", {late} days after the due date"),
            ..0 => write!(out, ", {} days before the due date", -late),
            0 => write!(out, ", on the due date"),
        };
    }
    Ok(())
}

/// `brief_outlook_items(review.outlook_without_news)`: a review's goals with "Nothing new
/// this" period, as the templates' loop wrote them: each goal's link (as `goal_link`
/// links it), the milestone to do next and how many are overdue; in HTML list items each
/// after two spaces, in markdown list lines.
pub(super) fn brief_outlook_items(
    state: &State,
    outlooks: &Value,
) -> Result<Value, minijinja::Error> {
    let html = writes_html(state);
    let linked = in_reports(state)?;
    let mut out = String::new();
    for outlook in items(outlooks)? {
        out.push_str(if html { "  <li>" } else { "- " });
        write_link(
            &mut out,
            html,
            linked,
            &outlook,
            "brief_outlook_items takes a review's outlooks",
        )?;
        write_next(&mut out, html, &outlook)?;
        let count = outlook.list("overdue")?.len();
        if count > 0 {
            let _ = if html {
                write!(out, " <span class=\"meta\">· {count} overdue</span>")
            } else {
                write!(out, " · {count} overdue")
            };
        }
        out.push_str(if html { "</li>" } else { "\n" });
    }
    Ok(written(out, html))
}

/// `unchanged_goals(review.unchanged)`: a review's active goals that did not move, as
/// the templates' loop wrote them after "No change:": each goal's link (as `goal_link`
/// links it) and its progress, separated by commas, with a full stop after the last.
/// The reviews name 11,000 unchanged goals in each format at 10,000 files.
pub(super) fn unchanged_goals(state: &State, goals: &Value) -> Result<Value, minijinja::Error> {
    const TAKES: &str = "unchanged_goals takes a review's unchanged goals";
    let html = writes_html(state);
    let linked = in_reports(state)?;
    let mut out = String::new();
    let mut goals = items(goals)?.into_iter().peekable();
    while let Some(goal) = goals.next() {
        write_link(&mut out, html, linked, &goal, TAKES)?;
        out.push_str(" (");
        out.push_str(&percent(f64::try_from(goal.field("end")?.into_value())?));
        out.push_str(if goals.peek().is_some() { "), " } else { ")." });
    }
    Ok(written(out, html))
}

/// `entry_list(goal.entries)`: a goal page's "Journal entries", as the templates' loop
/// wrote them: each entry's date, its title unless the title holds the date, and the
/// lines that mention the goal (one after a colon, several in a list); in HTML list items
/// each after two spaces, in markdown list lines. The goal pages list 15,000 entries in
/// each format at 10,000 files, and the loop was 4% of a full build's instructions.
pub(super) fn entry_list(state: &State, entries: &Value) -> Result<Value, minijinja::Error> {
    let html = writes_html(state);
    let mut out = String::new();
    for entry in items(entries)? {
        let (date, title) = (entry.field("date")?, entry.field("title")?);
        let title = entry_text(&title)?;
        // `entry.date not in entry.title`, as minijinja tests it.
        let titled = match date.as_str() {
            Some(date) => !title.contains(date),
            None => !title.contains(&date.as_value().map(Value::to_string).unwrap_or_default()),
        };
        let lines = entry.list("lines")?;
        let lines: Vec<Field> = lines
            .iter()
            .map(|line| line.field("text"))
            .collect::<Result<_, _>>()?;
        let lines: Vec<&str> = lines.iter().map(entry_text).collect::<Result<_, _>>()?;
        if html {
            out.push_str("  <li><time>");
            date.write_html(&mut out);
            out.push_str("</time>");
            if titled {
                out.push_str(" · ");
                markup::push_plain_html(&mut out, title);
            }
            match lines.as_slice() {
                [] => {}
                [line] => {
                    out.push_str(": ");
                    markup::push_plain_html(&mut out, line);
                }
                lines => {
                    out.push_str("<ul>");
                    for line in lines {
                        out.push_str("<li>");
                        markup::push_plain_html(&mut out, line);
                        out.push_str("</li>");
                    }
                    out.push_str("</ul>");
                }
            }
            out.push_str("</li>");
            continue;
        }
        out.push_str("- ");
        date.push(&mut out);
        if titled {
            out.push_str(" · ");
            out.push_str(title);
        }
        if let [line] = lines.as_slice() {
            out.push_str(": ");
            out.push_str(line);
        }
        out.push('\n');
        if lines.len() > 1 {
            for line in &lines {
                out.push_str("  - ");
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    Ok(written(out, html))
}

/// An entry's title or line as text.
fn entry_text<'a>(field: &'a Field) -> Result<&'a str, minijinja::Error> {
    field.as_str().ok_or_else(|| {
        minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            "entry_list takes a goal's entries, whose titles and lines are text",
        )
    })
}

/// `attention_items(review.needs_attention)`: a review's "Needs attention", as the
/// templates' loop wrote it: each goal's link (as `goal_link` links it) in bold and its
/// reasons joined by "; " (as `plain_text` writes text in HTML); in HTML list items each
/// after two spaces, in markdown list lines. The reviews list 13,000 goals in need of
/// attention in each format at 10,000 files, and the loop was 5% of a full build's
/// instructions.
pub(super) fn attention_items(state: &State, goals: &Value) -> Result<Value, minijinja::Error> {
    let html = writes_html(state);
    let linked = in_reports(state)?;
    let mut out = String::new();
    for goal in items(goals)? {
        out.push_str(if html { "  <li><strong>" } else { "- **" });
        write_link(
            &mut out,
            html,
            linked,
            &goal,
            "attention_items takes a review's needs_attention",
        )?;
        out.push_str(if html { "</strong>: " } else { "**: " });
        // `g.reasons | join("; ")`.
        let mut reasons = String::new();
        for (index, reason) in goal.list("reasons")?.iter().enumerate() {
            if index > 0 {
                reasons.push_str("; ");
            }
            push_value(&mut reasons, &reason.to_value());
        }
        if html {
            markup::push_plain_html(&mut out, &reasons);
            out.push_str(".</li>");
        } else {
            out.push_str(&reasons);
            out.push_str(".\n");
        }
    }
    Ok(written(out, html))
}

/// `note_items(notes, to_journal)`: a review's notes from the entries (wins, feedback,
/// lessons, what to adjust and to learn next), as the templates' loops wrote them: in
/// HTML list items each after two spaces, each note's text (as `rich_text` writes it)
/// and its date and entry linking to its file through `to_journal`; in markdown list
/// lines, each note's text, date and file (`to_journal` unused). The reviews list 18,000
/// notes in each format at 10,000 files; the HTML loop over the wins' notes alone was
/// 2.6% of a full build's instructions.
pub(super) fn note_items(
    state: &State,
    notes: &Value,
    to_journal: Option<&str>,
) -> Result<Value, minijinja::Error> {
    let html = writes_html(state);
    let mut out = String::new();
    for note in items(notes)? {
        let (date, file) = (note.field("date")?, note.field("file")?);
        if !html {
            out.push_str("- ");
            note.field("text")?.push(&mut out);
            out.push_str(" (");
            date.push(&mut out);
            out.push_str(", ");
            file.push(&mut out);
            out.push_str(")\n");
            continue;
        }
        let to_journal = to_journal.ok_or_else(|| {
            minijinja::Error::new(
                minijinja::ErrorKind::MissingArgument,
                "note_items in HTML takes to_journal, the way from the page to the journal",
            )
        })?;
        let file = file.as_str().ok_or_else(|| {
            minijinja::Error::new(
                minijinja::ErrorKind::InvalidOperation,
                "note_items takes notes whose files are paths",
            )
        })?;
        out.push_str("  <li>");
        push_rich_item(&mut out, &note)?;
        out.push_str(" <a class=\"meta\" href=\"");
        push_html_escaped(&mut out, to_journal);
        push_html_escaped(&mut out, &path_url(file));
        out.push_str("\"><time>");
        date.write_html(&mut out);
        out.push_str("</time> · ");
        let entry = note.field("entry")?;
        markup::push_plain_html(
            &mut out,
            entry.as_str().ok_or_else(|| {
                minijinja::Error::new(
                    minijinja::ErrorKind::InvalidOperation,
                    "note_items takes notes whose entries are titles",
                )
            })?,
        );
        out.push_str("</a></li>");
    }
    Ok(written(out, html))
}

/// `source_items(sources.milestones)` (or `sources.entries`): a goal page's "Source"
/// lists, as the templates' loops over `sources` wrote them: each file and the numbers
/// of its lines; in HTML list items each after two spaces, in markdown list lines. The
/// goal pages list 29,000 such files in each format at 10,000 files, and the loops were
/// 5% of a full build's instructions.
pub(super) fn source_items(state: &State, sources: &Value) -> Result<Value, minijinja::Error> {
    let html = writes_html(state);
    let mut out = String::new();
    for source in items(sources)? {
        let (file, count, lines) = (
            source.field("file")?,
            source.field("count")?,
            source.field("lines")?,
        );
        let plural = if count.into_value() != Value::from(1) {
            "s"
        } else {
            ""
        };
        if html {
            out.push_str("  <li><span class=\"path\">");
            file.write_html(&mut out);
            out.push_str("</span>: line");
            out.push_str(plural);
            out.push(' ');
            lines.write_html(&mut out);
            out.push_str("</li>");
        } else {
            out.push_str("- ");
            file.push(&mut out);
            out.push_str(": line");
            out.push_str(plural);
            out.push(' ');
            lines.push(&mut out);
            out.push('\n');
        }
    }
    Ok(written(out, html))
}

/// `burn_up_rows(goal.burn_up)`: the rows of a goal page's "Progress over time" table,
/// as the templates' loop wrote them: each point's date and progress (as `percent`
/// writes it); in HTML table rows each after four spaces, in markdown table lines. The
/// goal pages show 16,000 points in each format at 10,000 files, and the loop was 2.5%
/// of a full build's instructions.
pub(super) fn burn_up_rows(state: &State, points: &Value) -> Result<Value, minijinja::Error> {
    let html = writes_html(state);
    let mut out = String::new();
    for point in items(points)? {
        let date = point.field("date")?;
        let progress = percent(f64::try_from(point.field("progress")?.into_value())?);
        if html {
            out.push_str("    <tr><td><time>");
            date.write_html(&mut out);
            out.push_str("</time></td><td class=\"num\">");
            out.push_str(&progress);
            out.push_str("</td></tr>");
        } else {
            out.push_str("| ");
            date.push(&mut out);
            out.push_str(" | ");
            out.push_str(&progress);
            out.push_str(" |\n");
        }
    }
    Ok(written(out, html))
}

/// `priority_list(goal.milestones)`: a goal page's "Open milestones by priority", as the
/// templates' loop over `goal.milestones | open_by_priority` wrote it when one of them has
/// a priority: each open leaf milestone, the most urgent first, with its priority,
/// recurrence and due date; in HTML list items each after two spaces, in markdown
/// numbered lines. Nothing when no open milestone has a priority, so that the template
/// leaves out the heading. Every goal page's template sorted its milestones and tested
/// each for a priority, most of them to show nothing.
pub(super) fn priority_list(state: &State, milestones: &Value) -> Result<Value, minijinja::Error> {
    let html = writes_html(state);
    let mut out = String::new();
    let open = open_items_by_priority(items(milestones)?);
    let mut any_priority = false;
    for milestone in &open {
        any_priority |= !milestone.field("priority")?.is_undefined();
    }
    if !any_priority {
        return Ok(written(out, html));
    }
    for (index, m) in open.iter().enumerate() {
        let (priority, recurrence, due) = (
            m.field("priority")?,
            m.field("recurrence")?,
            m.field("due")?,
        );
        if html {
            out.push_str("  <li class=\"open\"><span class=\"box\" aria-label=\"open\">☐</span><span class=\"text\">");
            push_rich_item(&mut out, m)?;
            out.push_str("</span>\n    <span class=\"meta\">");
            if !priority.is_undefined() {
                out.push_str("<span class=\"priority ");
                priority.write_html(&mut out);
                out.push_str("\">");
                priority.write_html(&mut out);
                out.push_str(" priority</span>");
            }
            if !recurrence.is_undefined() {
                out.push_str("<span>🔁 ");
                recurrence.write_html(&mut out);
                out.push_str("</span>");
            }
            if due.is_true() {
                out.push_str("<span>due <time>");
                due.write_html(&mut out);
                out.push_str("</time></span>");
            }
            out.push_str("</span></li>");
            continue;
        }
        let _ = write!(out, "{}. ", index + 1);
        m.field("text")?.push(&mut out);
        if !priority.is_undefined() {
            out.push_str(" (");
            priority.push(&mut out);
            out.push_str(" priority)");
        }
        if !recurrence.is_undefined() {
            out.push_str(" (🔁 ");
            recurrence.push(&mut out);
            out.push(')');
        }
        if due.is_true() {
            out.push_str(" (due ");
            due.push(&mut out);
            out.push(')');
        }
        out.push('\n');
    }
    Ok(written(out, html))
}

/// `coming_up_items(review.goals_due_next, review.due_next)`: a review's "Coming up", as
/// the templates' loops wrote it: the goals due next period, each with its due date and
/// link (as `goal_link` links it), then the milestones due, each with its due date and
/// its goal's link; in HTML list items each after two spaces, in markdown list lines.
/// With `priority_list`, 0.6% of a full build's instructions at 10,000 files.
pub(super) fn coming_up_items(
    state: &State,
    goals: &Value,
    milestones: &Value,
) -> Result<Value, minijinja::Error> {
    const TAKES: &str = "coming_up_items takes a review's goals and milestones due next";
    let html = writes_html(state);
    let linked = in_reports(state)?;
    let mut out = String::new();
    for goal in items(goals)? {
        let date = goal.field("date")?;
        if html {
            out.push_str("  <li><span class=\"box\" aria-hidden=\"true\">🎯</span>Goal due <time>");
            date.write_html(&mut out);
            out.push_str("</time>: ");
            write_link(&mut out, html, linked, &goal, TAKES)?;
            out.push_str("</li>");
        } else {
            out.push_str("- 🎯 Goal due ");
            date.push(&mut out);
            out.push_str(": **");
            write_link(&mut out, html, linked, &goal, TAKES)?;
            out.push_str("**\n");
        }
    }
    for m in items(milestones)? {
        let due = m.field("due")?;
        let titled = m.field("title")?.is_true();
        if html {
            out.push_str("  <li class=\"open\"><span class=\"box\" aria-hidden=\"true\">☐</span><span class=\"visually-hidden\">open: </span>");
            push_rich_item(&mut out, &m)?;
            out.push_str(" <span class=\"meta\">due <time>");
            due.write_html(&mut out);
            out.push_str("</time>");
            if titled {
                out.push_str(" · ");
                write_link(&mut out, html, linked, &m, TAKES)?;
            }
            out.push_str("</span></li>");
        } else {
            out.push_str("- [ ] ");
            m.field("text")?.push(&mut out);
            out.push_str(" (due ");
            due.push(&mut out);
            if titled {
                out.push_str(", ");
                write_link(&mut out, html, linked, &m, TAKES)?;
            }
            out.push_str(")\n");
        }
    }
    Ok(written(out, html))
}

#[cfg(test)]
mod tests {
    use minijinja::{Environment, context};

    use super::*;
    use crate::render::filters::tests::old_and_new;

    /// The templates' loops as they were, each between a heading and a line after.
    const OLD_OUTLOOK_HTML: &str = r#"<h2>Next</h2>
<ul>
{%- for o in outlooks %}
  <li><strong>{{ goal_link(o.goal, o.title) }}</strong>{% if o.next %}: next: {{ o.next | rich_text }}{% if o.next.due %} <span class="meta">due <time>{{ o.next.due }}</time></span>{% endif %}{% endif %}
    <ul>
{%- if o.overdue %}
      <li>Overdue: {% for m in o.overdue %}{{ m | rich_text }} <span class="meta">due <time>{{ m.due }}</time></span>{{ ", " if not loop.last }}{% endfor %}</li>
{%- endif %}
{%- if o.pace_per_week is not none %}
      <li>Pace: {{ o.pace_per_week | number }}{% if o.pace_unit %} {{ o.pace_unit }}{% endif %} a week over the last 8 weeks</li>
{%- endif %}
      <li>Forecast: {% if o.forecast %}done around <time>{{ o.forecast }}</time>{% if o.due %}{% set late = o.due | days_between(o.forecast) %}{% if late > 0 %}, {{ late }} days after the due date{% elif late < 0 %}, {{ -late }} days before the due date{% else %}, on the due date{% endif %}{% endif %}{% else %}{{ o.forecast_note }}{% endif %}</li>
    </ul>
  </li>
{%- endfor %}
</ul>
after"#;
    const OLD_OUTLOOK_MD: &str = r#"## Next

{% for o in outlooks %}
- **{{ goal_link(o.goal, o.title) }}**{% if o.next %}: next: {{ o.next.text }}{% if o.next.due %} (due {{ o.next.due }}){% endif %}{% endif %}

{% if o.overdue %}
  - Overdue: {% for m in o.overdue %}{{ m.text }} (due {{ m.due }}){{ ", " if not loop.last }}{% endfor %}

{% endif %}
{% if o.pace_per_week is not none %}
  - Pace: {{ o.pace_per_week | number }}{% if o.pace_unit %} {{ o.pace_unit }}{% endif %} a week over the last 8 weeks
{% endif %}
  - Forecast: {% if o.forecast %}done around {{ o.forecast }}{% if o.due %}{% set late = o.due | days_between(o.forecast) %}{% if late > 0 %}, {{ late }} days after the due date{% elif late < 0 %}, {{ -late }} days before the due date{% else %}, on the due date{% endif %}{% endif %}{% else %}{{ o.forecast_note }}{% endif %}

{% endfor %}
{% if after %}
after
{% endif %}"#;
    const OLD_BRIEF_HTML: &str = r#"<h3>Nothing new</h3>
<ul>
{%- for o in outlooks %}
  <li>{{ goal_link(o.goal, o.title) }}{% if o.next %}: next: {{ o.next | rich_text }}{% if o.next.due %} <span class="meta">due <time>{{ o.next.due }}</time></span>{% endif %}{% endif %}{% if o.overdue %} <span class="meta">· {{ o.overdue | length }} overdue</span>{% endif %}</li>
{%- endfor %}
</ul>
after"#;
    const OLD_BRIEF_MD: &str = r#"Nothing new:

{% for o in outlooks %}
- {{ goal_link(o.goal, o.title) }}{% if o.next %}: next: {{ o.next.text }}{% if o.next.due %} (due {{ o.next.due }}){% endif %}{% endif %}{{ " · %d overdue" | format(o.overdue | length) if o.overdue }}
{% endfor %}
{% if after %}
after
{% endif %}"#;
    const OLD_ENTRIES_HTML: &str = r#"<h2>Journal entries</h2>
<ul class="entries">
{%- for entry in entries %}
  <li><time>{{ entry.date }}</time>{% if entry.date not in entry.title %} · {{ entry.title | plain_text }}{% endif %}
  {%- if entry.lines | length == 1 %}: {{ entry.lines[0].text | plain_text }}
  {%- elif entry.lines %}<ul>{% for line in entry.lines %}<li>{{ line.text | plain_text }}</li>{% endfor %}</ul>{% endif %}</li>
{%- endfor %}
</ul>
after"#;
    const OLD_ENTRIES_MD: &str = r#"## Journal entries

{% for entry in entries %}
- {{ entry.date }}{% if entry.date not in entry.title %} · {{ entry.title }}{% endif %}{% if entry.lines | length == 1 %}: {{ entry.lines[0].text }}{% endif %}

{% if entry.lines | length > 1 %}
{% for line in entry.lines %}
  - {{ line.text }}
{% endfor %}
{% endif %}
{% endfor %}
{% if after %}
after
{% endif %}"#;

    /// Renders `old.FORMAT` and `new.FORMAT` of `env` with `values` (and `after` true
    /// and false), in both formats, and holds them to the same text.
    fn assert_same_text(env: &Environment, values: &Value, case: &str) {
        for after in [true, false] {
            for format in ["html", "md"] {
                let render = |name: String| {
                    let values = context! { after, ..values.clone() };
                    env.get_template(&name).unwrap().render(values).unwrap()
                };
                let old = render(format!("old.{format}"));
                assert_eq!(render(format!("new.{format}")), old, "{case} {format}");
            }
        }
    }

    /// Outlooks with and without a next milestone (with markup, with a due date),
    /// overdue milestones, a pace (with a unit or not) and a forecast before, after and on
    /// the due date, or none (with a note, or without one).
    fn outlooks() -> Vec<Value> {
        let milestone = |text: &str, markdown: Option<&str>, due: Option<&str>| {
            context! { text, markdown, due, file => "goals/a.md", line => 3 }
        };
        vec![
            context! {
                goal => "run", title => "Run <a> 10k & more", due => "2026-04-01",
                next => milestone("plan 2026-03-05 <b>", None, Some("2026-03-09")),
                overdue => vec![
                    milestone("ship v1", Some("ship **v1** <script>x</script>"), Some("2026-01-02")),
                    milestone("a & b", None, Some("2026-02-03")),
                ],
                pace_per_week => 0.625, pace_unit => "milestones", forecast => "2026-05-01",
                forecast_note => (),
            },
            context! {
                goal => "con", title => "R&D", due => "2026-04-01",
                next => milestone("draft", Some("*draft*"), None), overdue => Vec::<Value>::new(),
                pace_per_week => (), pace_unit => "milestones", forecast => "2026-03-01",
                forecast_note => (),
            },
            context! {
                goal => "a b/c", title => "Weigh", due => "2026-04-01", next => (),
                overdue => vec![milestone("weigh in", None, Some("2026-03-01"))],
                pace_per_week => 2.0, pace_unit => (), forecast => "2026-04-01",
                forecast_note => (),
            },
            context! {
                goal => "idle", title => "Idle", due => (), next => (),
                overdue => Vec::<Value>::new(), pace_per_week => 0.0, pace_unit => "km",
                forecast => (), forecast_note => "no forecast: <none> & \"quiet\"",
            },
            context! {
                goal => "open", title => "Open", due => (), next => milestone("go", None, None),
                overdue => Vec::<Value>::new(), pace_per_week => (), pace_unit => (),
                forecast => "2026-06-01", forecast_note => (),
            },
            context! {
                goal => "none", title => "None", due => "2026-04-01", next => (),
                overdue => Vec::<Value>::new(), pace_per_week => (), pace_unit => (),
                forecast => (), forecast_note => (),
            },
        ]
    }

    /// A review's "Next for each goal" as the templates' loop wrote it, and as
    /// `outlook_items` writes it: the same text in both formats, in the reports and not,
    /// for no outlook, one and several.
    #[test]
    fn outlooks_are_written_as_the_templates_loop_wrote_them() {
        let env = old_and_new(
            [OLD_OUTLOOK_HTML, OLD_OUTLOOK_MD],
            [
                "<h2>Next</h2>\n<ul>{{ outlook_items(outlooks) }}</ul>\nafter",
                "## Next\n\n{{ outlook_items(outlooks) -}}\n{% if after %}\nafter\n{% endif %}",
            ],
        );
        let outlooks = outlooks();
        for count in [0, 1, 2, 6] {
            for in_reports in [true, false] {
                let values = context! { outlooks => outlooks[..count].to_vec(), in_reports };
                assert_same_text(&env, &values, &format!("{count} {in_reports}"));
            }
        }
    }

    /// A review's goals with nothing new as the templates' loop wrote them, and as
    /// `brief_outlook_items` writes them: the same text in both formats, in the reports
    /// and not, for no outlook, one and several.
    #[test]
    fn brief_outlooks_are_written_as_the_templates_loop_wrote_them() {
        let env = old_and_new(
            [OLD_BRIEF_HTML, OLD_BRIEF_MD],
            [
                "<h3>Nothing new</h3>\n<ul>{{ brief_outlook_items(outlooks) }}</ul>\nafter",
                "Nothing new:\n\n{{ brief_outlook_items(outlooks) -}}\n{% if after %}\nafter\n{% endif %}",
            ],
        );
        let outlooks = outlooks();
        for count in [0, 1, 3, 6] {
            for in_reports in [true, false] {
                let values = context! { outlooks => outlooks[..count].to_vec(), in_reports };
                assert_same_text(&env, &values, &format!("{count} {in_reports}"));
            }
        }
    }

    /// A goal page's journal entries as the templates' loop wrote them, and as
    /// `entry_list` writes them: the same text in both formats, for entries whose title
    /// holds the date or not, without a date (a title holding `None`, as templates print
    /// no date, and one not), and with no line, one and several.
    #[test]
    fn entries_are_written_as_the_templates_loop_wrote_them() {
        let env = old_and_new(
            [OLD_ENTRIES_HTML, OLD_ENTRIES_MD],
            [
                "<h2>Journal entries</h2>\n<ul class=\"entries\">{{ entry_list(entries) }}</ul>\nafter",
                "## Journal entries\n\n{{ entry_list(entries) -}}\n{% if after %}\nafter\n{% endif %}",
            ],
        );
        let line = |line: u32, text: &str| context! { line, text };
        let entries = [
            context! {
                file => "2026-01-05.md", title => "2026-01-05", date => "2026-01-05",
                lines => vec![line(1, "ran 5 km & more <b>")],
            },
            context! {
                file => "notes/a.md", title => "Notes <b> & 2026-01-06 x", date => "2026-01-07",
                lines => vec![line(2, "one"), line(4, "two *2026-01-02*"), line(9, "<i>")],
            },
            context! {
                file => "undated.md", title => "None of it", date => (), lines => Vec::<Value>::new(),
            },
            context! {
                file => "other.md", title => "Other", date => (), lines => vec![line(1, "x")],
            },
        ];
        for count in [0, 1, 2, 4] {
            let values = context! { entries => entries[..count].to_vec() };
            assert_same_text(&env, &values, &format!("{count}"));
        }
    }

    const OLD_ATTENTION_HTML: &str = r#"<h2>Needs attention</h2>
<ul>
{%- for g in goals %}
  <li><strong>{{ goal_link(g.goal, g.title) }}</strong>: {{ g.reasons | join("; ") | plain_text }}.</li>
{%- endfor %}
</ul>
{% if after %}
after
{% endif %}"#;
    const OLD_ATTENTION_MD: &str = r#"## Needs attention

{% for g in goals %}
- **{{ goal_link(g.goal, g.title) }}**: {{ g.reasons | join("; ") }}.
{% endfor %}

{% if after %}
after
{% endif %}"#;

    /// A review's "Needs attention" as the templates' loop wrote it, and as
    /// `attention_items` writes it: the same text in both formats, in the reports and
    /// not, for no goal, one and several, with one reason or several (with markup and a
    /// date in them).
    #[test]
    fn goals_in_need_of_attention_are_written_as_the_templates_loop_wrote_them() {
        let env = old_and_new(
            [OLD_ATTENTION_HTML, OLD_ATTENTION_MD],
            [
                "<h2>Needs attention</h2>\n<ul>{{ attention_items(goals) }}</ul>\n{% if after %}\nafter\n{% endif %}",
                "## Needs attention\n\n{{ attention_items(goals) }}\n{% if after %}\nafter\n{% endif %}",
            ],
        );
        let goals = [
            context! { goal => "run", title => "Run <a> & b", reasons => vec!["became overdue on 2026-03-01"] },
            context! {
                goal => "a b/c", title => "R&D",
                reasons => vec!["became at-risk: <b>due</b> & late", "stalled: 30 days since 2026-01-02"],
            },
            context! { goal => "none", title => "None", reasons => Vec::<String>::new() },
        ];
        for count in [0, 1, 3] {
            for in_reports in [true, false] {
                let values = context! { goals => goals[..count].to_vec(), in_reports };
                assert_same_text(&env, &values, &format!("{count} {in_reports}"));
            }
        }
    }

    /// A review's unchanged goals as the templates' loop wrote them, and as
    /// `unchanged_goals` writes them: the same text in both formats, in the reports and
    /// not, for no goal, one and several.
    #[test]
    fn unchanged_goals_are_written_as_the_templates_loop_wrote_them() {
        const OLD_HTML: &str = r#"{% if goals %}
<p><span class="muted">No change:</span> {% for p in goals %}{{ goal_link(p.goal, p.title) }} ({{ p.end | percent }}){{ ", " if not loop.last else "." }}{% endfor %}</p>
{% endif %}
{% if after %}
after
{% endif %}"#;
        const OLD_MD: &str = r#"{% if goals %}

No change: {% for p in goals %}{{ goal_link(p.goal, p.title) }} ({{ p.end | percent }}){{ ", " if not loop.last else "." }}{% endfor %}

{% endif %}
{% if after %}
after
{% endif %}"#;
        const NEW_HTML: &str = r#"{% if goals %}
<p><span class="muted">No change:</span> {{ unchanged_goals(goals) }}</p>
{% endif %}
{% if after %}
after
{% endif %}"#;
        const NEW_MD: &str = r#"{% if goals %}

No change: {{ unchanged_goals(goals) }}
{% endif %}
{% if after %}
after
{% endif %}"#;
        let env = old_and_new([OLD_HTML, OLD_MD], [NEW_HTML, NEW_MD]);
        let goals = [
            context! { goal => "run", title => "Run <a> & b", end => 0.5 },
            context! { goal => "a b/c", title => "R&D", end => 1 },
            context! { goal => "none", title => "None", end => 0.004999 },
        ];
        for count in [0, 1, 3] {
            for in_reports in [true, false] {
                let values = context! { goals => goals[..count].to_vec(), in_reports };
                assert_same_text(&env, &values, &format!("{count} {in_reports}"));
            }
        }
    }

    const OLD_NOTES_HTML: &str = r#"{% macro note_list(notes) -%}
<ul>
{%- for note in notes %}
  <li>{{ note | rich_text }} <a class="meta" href="{{ to_journal }}{{ note.file | path_url }}"><time>{{ note.date }}</time> · {{ note.entry | plain_text }}</a></li>
{%- endfor %}
</ul>
{%- endmacro %}
{% if notes %}
<h3>From your entries</h3>
{{ note_list(notes) }}
{% endif %}
{% if after %}
after
{% endif %}"#;
    const OLD_NOTES_MD: &str = r#"{% if notes %}
From your entries:

{% for note in notes %}
- {{ note.text }} ({{ note.date }}, {{ note.file }})
{% endfor %}

{% endif %}
{% if after %}
after
{% endif %}"#;
    const NEW_NOTES_HTML: &str = r#"{% macro note_list(notes) -%}
<ul>{{ note_items(notes, to_journal) }}</ul>
{%- endmacro %}
{% if notes %}
<h3>From your entries</h3>
{{ note_list(notes) }}
{% endif %}
{% if after %}
after
{% endif %}"#;
    const NEW_NOTES_MD: &str = r#"{% if notes %}
From your entries:

{{ note_items(notes) }}
{% endif %}
{% if after %}
after
{% endif %}"#;

    /// A review's notes as the templates' loops wrote them, and as `note_items` writes
    /// them: the same text in both formats, for no note, one and several (with markup,
    /// a path to percent-encode and an entry title with a date).
    #[test]
    fn notes_are_written_as_the_templates_loops_wrote_them() {
        let env = old_and_new(
            [OLD_NOTES_HTML, OLD_NOTES_MD],
            [NEW_NOTES_HTML, NEW_NOTES_MD],
        );
        let notes = [
            context! {
                text => "shipped & done", date => "2026-03-01", file => "journal/2026 a#b.md",
                line => 3, entry => "Week 2026-03-01 <notes>",
            },
            context! {
                text => "fast", markdown => "**fast** <script>x</script>", date => "2026-03-02",
                file => "é.md", line => 9, entry => "Retro",
            },
        ];
        for count in [0, 1, 2] {
            for to_journal in ["../../", "/home/me/journal/"] {
                let values = context! { notes => notes[..count].to_vec(), to_journal };
                assert_same_text(&env, &values, &format!("{count} {to_journal}"));
            }
        }
    }

    const OLD_SOURCES_HTML: &str = r#"<p>Milestones:</p>
<ul>
{%- for source in sources %}
  <li><span class="path">{{ source.file }}</span>: line{{ "s" if source.count != 1 }} {{ source.lines }}</li>
{%- endfor %}
</ul>
{% if after %}
after
{% endif %}"#;
    const OLD_SOURCES_MD: &str = r#"Milestones:

{% for source in sources %}
- {{ source.file }}: line{{ "s" if source.count != 1 }} {{ source.lines }}
{% endfor %}
{% if after %}
after
{% endif %}"#;

    /// A goal page's "Source" lists as the templates' loops wrote them, and as
    /// `source_items` writes them: the same text in both formats, for no file, one and
    /// several, of one line and several.
    #[test]
    fn sources_are_written_as_the_templates_loops_wrote_them() {
        let env = old_and_new(
            [OLD_SOURCES_HTML, OLD_SOURCES_MD],
            [
                "<p>Milestones:</p>\n<ul>{{ source_items(sources) }}</ul>\n{% if after %}\nafter\n{% endif %}",
                "Milestones:\n\n{{ source_items(sources) -}}\n{% if after %}\nafter\n{% endif %}",
            ],
        );
        let sources = [
            context! { file => "goals/a <b>.md", count => 1, lines => "3" },
            context! { file => "notes/b&c.md", count => 3, lines => "1, 4, 12" },
            context! { file => "x.md", count => 0, lines => "" },
        ];
        for count in [0, 1, 3] {
            let values = context! { sources => sources[..count].to_vec() };
            assert_same_text(&env, &values, &format!("{count}"));
        }
    }

    const OLD_BURN_UP_HTML: &str = r#"<table>
  <thead><tr><th scope="col">Date</th><th scope="col" class="num">Progress</th></tr></thead>
  <tbody>
{%- for point in points %}
    <tr><td><time>{{ point.date }}</time></td><td class="num">{{ point.progress | percent }}</td></tr>
{%- endfor %}
  </tbody>
</table>
{% if after %}
after
{% endif %}"#;
    const OLD_BURN_UP_MD: &str = r#"| Date | Progress |
|---|---:|
{% for point in points %}
| {{ point.date }} | {{ point.progress | percent }} |
{% endfor %}
{% if after %}
after
{% endif %}"#;

    /// A goal page's "Progress over time" table as the templates' loops wrote it, and as
    /// `burn_up_rows` writes it: the same text in both formats, for no point, one and
    /// several (progress rounded, and beyond 0 and 100%).
    #[test]
    fn burn_up_rows_are_written_as_the_templates_loops_wrote_them() {
        let env = old_and_new(
            [OLD_BURN_UP_HTML, OLD_BURN_UP_MD],
            [
                "<table>\n  <thead><tr><th scope=\"col\">Date</th><th scope=\"col\" class=\"num\">Progress</th></tr></thead>\n  <tbody>{{ burn_up_rows(points) }}  </tbody>\n</table>\n{% if after %}\nafter\n{% endif %}",
                "| Date | Progress |\n|---|---:|\n{{ burn_up_rows(points) -}}\n{% if after %}\nafter\n{% endif %}",
            ],
        );
        let points = [
            context! { date => "2026-01-05", progress => 0.0 },
            context! { date => "2026-01-12", progress => 0.125 },
            context! { date => "2026-01-19", progress => 0.995 },
            context! { date => "2026-01-26", progress => 1.5 },
        ];
        for count in [0, 1, 4] {
            let values = context! { points => points[..count].to_vec() };
            assert_same_text(&env, &values, &format!("{count}"));
        }
    }

    const OLD_PRIORITY_HTML: &str = r#"{% set next_up = milestones | open_by_priority %}
{% if next_up | selectattr("priority", "defined") | list %}
<h2>Open milestones by priority</h2>
<ol class="milestones">
{%- for m in next_up %}
  <li class="open"><span class="box" aria-label="open">☐</span><span class="text">{{ m | rich_text }}</span>
    <span class="meta">{% if m.priority is defined %}<span class="priority {{ m.priority }}">{{ m.priority }} priority</span>{% endif %}{% if m.recurrence is defined %}<span>🔁 {{ m.recurrence }}</span>{% endif %}{% if m.due %}<span>due <time>{{ m.due }}</time></span>{% endif %}</span></li>
{%- endfor %}
</ol>
{% endif %}
{% if after %}
after
{% endif %}"#;
    const OLD_PRIORITY_MD: &str = r#"{% set next_up = milestones | open_by_priority %}
{% if next_up | selectattr("priority", "defined") | list %}
## Open milestones by priority

{% for m in next_up %}
{{ loop.index }}. {{ m.text }}{% if m.priority is defined %} ({{ m.priority }} priority){% endif %}{% if m.recurrence is defined %} (🔁 {{ m.recurrence }}){% endif %}{% if m.due %} (due {{ m.due }}){% endif %}

{% endfor %}

{% endif %}
{% if after %}
after
{% endif %}"#;
    const NEW_PRIORITY_HTML: &str = r#"{% set next_up = priority_list(milestones) %}
{% if next_up %}
<h2>Open milestones by priority</h2>
<ol class="milestones">{{ next_up }}</ol>
{% endif %}
{% if after %}
after
{% endif %}"#;
    const NEW_PRIORITY_MD: &str = r#"{% set next_up = priority_list(milestones) %}
{% if next_up %}
## Open milestones by priority

{{ next_up }}
{% endif %}
{% if after %}
after
{% endif %}"#;

    /// A goal page's "Open milestones by priority" as the templates' loop wrote it, and as
    /// `priority_list` writes it: the same text in both formats, for no milestone, open
    /// ones without a priority (no section), and a mix of priorities, states, parents,
    /// recurrences, due dates and markup.
    #[test]
    fn milestones_by_priority_are_written_as_the_templates_loop_wrote_them() {
        let env = old_and_new(
            [OLD_PRIORITY_HTML, OLD_PRIORITY_MD],
            [NEW_PRIORITY_HTML, NEW_PRIORITY_MD],
        );
        let plain = |text: &str, state: &str, leaf: bool, due: Option<&str>| {
            context! { text, effective_state => state, leaf, due, depth => 0 }
        };
        let ranked = |text: &str, priority: &str, rank: u8, due: Option<&str>| {
            context! {
                text, effective_state => "open", leaf => true, due, depth => 1,
                priority, priority_rank => rank,
            }
        };
        let milestones = [
            plain("write <the> plan & more", "open", true, Some("2026-03-01")),
            plain("parent", "open", false, None),
            ranked("ship v1", "low", 4, None),
            plain("done one", "done", true, None),
            context! {
                text => "review", markdown => "**review** 2026-03-02 <script>x</script>",
                effective_state => "open", leaf => true, due => (), depth => 0,
                recurrence => "every week <on> Friday", priority => "highest", priority_rank => 0,
            },
            ranked("high & mighty", "high", 1, Some("2026-04-01")),
            context! {
                text => "cancelled", effective_state => "cancelled", leaf => true, due => (),
                depth => 0, priority => "high", priority_rank => 1,
            },
            context! {
                text => "repeat", effective_state => "open", leaf => true, due => "2026-05-01",
                depth => 0, recurrence => "every day",
            },
            ranked("second highest", "highest", 0, None),
        ];
        for count in [0, 2, 4, 9] {
            let values = context! { milestones => milestones[..count].to_vec() };
            assert_same_text(&env, &values, &format!("{count}"));
        }
    }

    const OLD_COMING_UP_HTML: &str = r#"<h2>Coming up</h2>
{% if goals or milestones %}
<ul class="milestones">
{%- for g in goals %}
  <li><span class="box" aria-hidden="true">🎯</span>Goal due <time>{{ g.date }}</time>: {{ goal_link(g.goal, g.title) }}</li>
{%- endfor %}
{%- for m in milestones %}
  <li class="open"><span class="box" aria-hidden="true">☐</span><span class="visually-hidden">open: </span>{{ m | rich_text }} <span class="meta">due <time>{{ m.due }}</time>{% if m.title %} · {{ goal_link(m.goal, m.title) }}{% endif %}</span></li>
{%- endfor %}
</ul>
{% else %}
<p class="muted">Nothing.</p>
{% endif %}
{% if after %}
after
{% endif %}"#;
    const OLD_COMING_UP_MD: &str = r#"## Coming up

{% for g in goals %}
- 🎯 Goal due {{ g.date }}: **{{ goal_link(g.goal, g.title) }}**
{% endfor %}
{% for m in milestones %}
- [ ] {{ m.text }} (due {{ m.due }}{% if m.title %}, {{ goal_link(m.goal, m.title) }}{% endif %})
{% endfor %}
{% if not goals and not milestones %}
Nothing.
{% endif %}
{% if after %}
after
{% endif %}"#;
    const NEW_COMING_UP_HTML: &str = r#"<h2>Coming up</h2>
{% if goals or milestones %}
<ul class="milestones">{{ coming_up_items(goals, milestones) }}</ul>
{% else %}
<p class="muted">Nothing.</p>
{% endif %}
{% if after %}
after
{% endif %}"#;
    const NEW_COMING_UP_MD: &str = r#"## Coming up

{{ coming_up_items(goals, milestones) -}}
{% if not goals and not milestones %}
Nothing.
{% endif %}
{% if after %}
after
{% endif %}"#;

    /// A review's "Coming up" as the templates' loops wrote it, and as `coming_up_items`
    /// writes it: the same text in both formats, in the reports and not, for no goal and
    /// no milestone, either alone and both (milestones with markup, with a goal's title
    /// and without).
    #[test]
    fn coming_up_is_written_as_the_templates_loops_wrote_it() {
        let env = old_and_new(
            [OLD_COMING_UP_HTML, OLD_COMING_UP_MD],
            [NEW_COMING_UP_HTML, NEW_COMING_UP_MD],
        );
        let goals = [
            context! { goal => "run", title => "Run <a> 10k & more", date => "2026-12-01" },
            context! { goal => "a b/c", title => "R&D", date => "2026-12-03" },
        ];
        let milestones = [
            context! {
                text => "ship v1", markdown => "ship **v1** 2026-12-02 <script>x</script>",
                due => "2026-12-02", goal => "run", title => "Run <a> 10k & more",
            },
            context! { text => "loose <task> & more", due => "2026-12-04", goal => (), title => () },
            context! { text => "weigh in", due => "2026-12-05", goal => "a b/c", title => "R&D" },
        ];
        for (goal_count, milestone_count) in [(0, 0), (2, 0), (0, 1), (1, 3), (2, 3)] {
            for in_reports in [true, false] {
                let values = context! {
                    goals => goals[..goal_count].to_vec(),
                    milestones => milestones[..milestone_count].to_vec(),
                    in_reports,
                };
                let case = format!("{goal_count} {milestone_count} {in_reports}");
                assert_same_text(&env, &values, &case);
            }
        }
    }
}
