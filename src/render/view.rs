//! What templates see: each page's data as template values, and the small view models
//! computed for them (the index's area filter and status summary, the charts as SVG).

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::Arc;

use minijinja::value::Serde;
use minijinja::{Value, context};
use serde::Serialize;

use crate::analyse::timeline::FORECAST_WINDOW_WEEKS;
use crate::analyse::{GoalReport, MilestoneReport, Report, Status};
use crate::plan::{Page, PageData};

use super::chart;
use super::lazy::{GoalList, LazyGoal, LazyReview};

/// The values `page`'s template sees (undefined for pages written by code).
pub(super) fn context(page: &Page) -> Value {
    match &page.data {
        PageData::Json(_) | PageData::Calendar { .. } => Value::UNDEFINED,
        PageData::Index(report) => {
            // Each goal is converted to template values only as its fields are read.
            let goals: HashMap<&str, Value> = report
                .goals
                .iter()
                .map(|goal| (goal.id.as_str(), LazyGoal::value(goal)))
                .collect();
            let areas = AreaChoice::all(report);
            let tokens: HashMap<Option<&str>, &str> = areas
                .iter()
                .map(|choice| (choice.name.as_deref(), choice.token.as_str()))
                .collect();
            let tree: Vec<Value> = report
                .goal_tree()
                .iter()
                .map(|row| {
                    context! {
                        goal => goals[row.goal.id.as_str()].clone(),
                        depth => row.depth,
                        area => tokens[&row.goal.area.as_deref()],
                    }
                })
                .collect();
            let all_goals: Vec<Value> = report
                .goals
                .iter()
                .map(|goal| goals[goal.id.as_str()].clone())
                .collect();
            context! {
                report => context! {
                    today => Value::from(Serde(report.today)),
                    goals => all_goals,
                    loose_tasks => Value::from(Serde(&report.loose_tasks)),
                    diagnostics => Value::from(Serde(&report.diagnostics)),
                    activity => Value::from(Serde(&report.activity)),
                    needs_now => Value::from(Serde(&report.needs_now)),
                },
                tree,
                filters => context! { areas => Value::from(Serde(&areas)) },
                summary => Value::from(Serde(StatusSummary::of(report))),
                activity => Value::from_safe_string(chart::activity(&report.activity)),
            }
        }
        PageData::Goal {
            today,
            goal,
            parent,
            children,
            previous,
            next,
        } => context! {
            report => Value::from(Serde(today)),
            // The goal is converted as its fields are read, and its milestones, entries
            // and burn-up are read as they are by the lists' functions (see `lazy`).
            goal => LazyGoal::value(goal),
            parent => parent.map_or(Value::from(()), LazyGoal::value),
            children => children.iter().map(|child| LazyGoal::value(child)).collect::<Vec<Value>>(),
            previous => Value::from(Serde(previous)),
            next => Value::from(Serde(next)),
            burn_up => Value::from_safe_string(chart::burn_up(goal, today.today)),
            metric_chart => Value::from_safe_string(chart::metric(goal, today.today)),
            forecast_window_weeks => FORECAST_WINDOW_WEEKS,
            sources => Sources::of(goal).value(),
        },
        PageData::Review {
            review,
            to_journal,
            in_reports,
        } => context! {
            // Converted as its fields are read (see `lazy`).
            review => LazyReview::value(review),
            to_journal,
            in_reports,
        },
        PageData::Shared(shared) => context! {
            report => context! { today => Value::from(Serde(shared.today)) },
            share => Value::from(Serde(shared)),
        },
        PageData::Reviews {
            today,
            reviews,
            unknown_done,
        } => context! {
            report => Value::from(Serde(today)),
            reviews => Value::from(Serde(reviews)),
            unknown_done,
        },
    }
}

/// A choice of the index page's area filter: an area (`None` for goals without one),
/// how many goals it has, and a token for ids, CSS selectors and data attributes, since
/// an area is any text: `area-1`, `area-2`, ... by name, `area-none` last.
#[derive(Debug, Serialize)]
struct AreaChoice {
    token: String,
    name: Option<String>,
    goals: usize,
}

impl AreaChoice {
    fn all(report: &Report) -> Vec<AreaChoice> {
        let mut goals: BTreeMap<Option<&str>, usize> = BTreeMap::new();
        for goal in &report.goals {
            *goals.entry(goal.area.as_deref()).or_default() += 1;
        }
        let without = goals.remove(&None);
        let mut choices: Vec<AreaChoice> = goals
            .into_iter()
            .enumerate()
            .map(|(index, (name, goals))| AreaChoice {
                token: format!("area-{}", index + 1),
                name: name.map(str::to_string),
                goals,
            })
            .collect();
        choices.extend(without.map(|goals| AreaChoice {
            token: "area-none".to_string(),
            name: None,
            goals,
        }));
        choices
    }
}

/// Where a goal page's "Source" finds the goal's milestones and the entries that mention
/// it. The templates listed them by `milestones | groupby("file")`, `items | length` and
/// `items | line_numbers`, reading each milestone's and line's fields as template values
/// and comparing files by lowercased copies while sorting: 3% of a full build, for a
/// list made here in one pass over the goal.
#[derive(Debug, Serialize)]
pub(super) struct Sources {
    /// The goal's milestones by file, as `goal.milestones | groupby("file")` groups them.
    milestones: Vec<LinesInFile>,
    /// Each entry of `goal.entries`, in order.
    entries: Vec<LinesInFile>,
}

/// Lines of one file: the file, how many lines, and their numbers as `items |
/// line_numbers` writes them.
#[derive(Debug, Serialize)]
pub(super) struct LinesInFile {
    pub(super) file: Arc<str>,
    pub(super) count: usize,
    pub(super) lines: String,
}

impl Sources {
    pub(super) fn of(goal: &GoalReport) -> Sources {
        let entries = goal
            .entries
            .iter()
            .map(|entry| LinesInFile {
                file: Arc::clone(&entry.file),
                count: entry.lines.len(),
                lines: line_numbers(entry.lines.iter().map(|line| line.line)),
            })
            .collect();
        Sources {
            milestones: milestones_by_file(&goal.milestones),
            entries,
        }
    }

    /// The template value `sources`: its lists read by `source_items` as they are (see
    /// [`GoalList`]).
    pub(super) fn value(self) -> Value {
        context! {
            milestones => Value::from_object(GoalList::Sources(self.milestones)),
            entries => Value::from_object(GoalList::Sources(self.entries)),
        }
    }
}

/// `milestones` grouped as minijinja's `groupby("file")` groups them: sorted by file
/// with ASCII case ignored (a stable sort), files equal but for case in one group, named
/// by the file of its last milestone.
fn milestones_by_file(milestones: &[MilestoneReport]) -> Vec<LinesInFile> {
    let folded = |file: &str| -> Vec<u8> { file.as_bytes().to_ascii_lowercase() };
    let mut sorted: Vec<(Vec<u8>, &MilestoneReport)> =
        milestones.iter().map(|m| (folded(&m.file), m)).collect();
    sorted.sort_by(|(a, _), (b, _)| a.cmp(b));
    let mut groups: Vec<LinesInFile> = Vec::new();
    let mut start = 0;
    while start < sorted.len() {
        let end = start
            + sorted[start..]
                .iter()
                .take_while(|(file, _)| *file == sorted[start].0)
                .count();
        let group = &sorted[start..end];
        groups.push(LinesInFile {
            file: Arc::clone(&group[group.len() - 1].1.file),
            count: group.len(),
            lines: line_numbers(group.iter().map(|(_, m)| m.line)),
        });
        start = end;
    }
    groups
}

/// Line numbers joined by ", ", as the `line_numbers` filter writes them.
fn line_numbers(lines: impl Iterator<Item = u32>) -> String {
    let mut numbers = String::new();
    for (index, line) in lines.enumerate() {
        if index > 0 {
            numbers.push_str(", ");
        }
        let _ = write!(numbers, "{line}");
    }
    numbers
}

/// How many goals have each status, for the summary line.
#[derive(Debug, Serialize)]
struct StatusSummary {
    total: usize,
    counts: Vec<(&'static str, usize)>,
}

impl StatusSummary {
    fn of(report: &Report) -> StatusSummary {
        let counts = Status::ALL
            .iter()
            .map(|s| {
                (
                    s.as_str(),
                    report.goals.iter().filter(|g| g.status == *s).count(),
                )
            })
            .filter(|(_, n)| *n > 0)
            .collect();
        StatusSummary {
            total: report.goals.len(),
            counts,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use minijinja::value::Serde;

    use super::*;
    use crate::plan::{self, Page};
    use crate::testing::report;

    #[test]
    fn a_goal_pages_parent_and_children_are_converted_as_read() {
        let files = [
            (
                "goals/team.md",
                "---\ngoal: Team\nid: team\n---\n- [x] hire ✅ 2026-02-01\n",
            ),
            (
                "goals/sql.md",
                "---\ngoal: SQL\nid: sql\nparent: team\n---\n- [ ] joins\n",
            ),
        ];
        let report = Arc::new(report(&files, "2026-03-01"));
        let outputs = plan::outputs(&report, &[], Vec::new(), "../", None, None);
        let page =
            |path: &str| -> &Page { outputs.pages.iter().find(|page| page.path == path).unwrap() };
        let lazy = |value: Value| value.downcast_object_ref::<LazyGoal>().is_some();
        let team = &report.goals[report.goals.iter().position(|g| g.id == "team").unwrap()];
        let sql = &report.goals[report.goals.iter().position(|g| g.id == "sql").unwrap()];

        let child = context(page("goals/sql")).get_attr("parent").unwrap();
        assert!(lazy(child.clone()), "a parent converted whole");
        assert_eq!(child.get_attr("title").unwrap(), Value::from("Team"));
        assert_eq!(
            child.get_attr("milestones").unwrap(),
            Value::from(Serde(&team.milestones))
        );
        let children = context(page("goals/team")).get_attr("children").unwrap();
        let first = children.get_item(&Value::from(0)).unwrap();
        assert!(lazy(first.clone()), "a child converted whole");
        assert_eq!(first.get_attr("id").unwrap(), Value::from(sql.id.as_str()));
        assert_eq!(children.len(), Some(1));
        let no_parent = context(page("goals/team")).get_attr("parent").unwrap();
        assert!(no_parent.is_none());
    }

    /// The "Source" lists as minijinja's filters made them, and from `sources`: the same
    /// text, with milestones in files whose names differ only by case, out of order.
    #[test]
    fn sources_list_what_groupby_length_and_line_numbers_listed() {
        let files = [
            (
                "goals/ship.md",
                "---\ngoal: Ship\nid: ship\n---\n- [ ] plan\n- [x] test\n",
            ),
            ("notes/b.md", "# B\n\n- [ ] one #ship\n- [ ] two #ship\n"),
            ("notes/B.md", "# Big B\n\n- [ ] three #ship\n"),
            (
                "2026-01-05.md",
                "Worked on [[Ship]].\n\nMore on [[Ship]].\n",
            ),
            ("A.md", "- [ ] four #ship\n\nAbout [[Ship]].\n"),
            ("a.md", "- [ ] five #ship\n"),
            ("2026-01-06.md", "About [[Ship]].\n"),
        ];
        let report = Arc::new(report(&files, "2026-03-01"));
        let goal = &report.goals[0];
        assert_eq!(goal.milestones.len(), 7, "{:?}", goal.milestones);
        assert_eq!(goal.entries.len(), 2, "{:?}", goal.entries);
        let by_filters = r#"{% for file, ms in goal.milestones | groupby("file") %}{{ file }}: {{ ms | length }} {{ ms | line_numbers }};{% endfor %}|{% for e in goal.entries %}{{ e.file }}: {{ e.lines | length }} {{ e.lines | line_numbers }};{% endfor %}"#;
        let by_sources = r#"{% for s in sources.milestones %}{{ s.file }}: {{ s.count }} {{ s.lines }};{% endfor %}|{% for s in sources.entries %}{{ s.file }}: {{ s.count }} {{ s.lines }};{% endfor %}"#;
        let mut env = minijinja::Environment::new();
        super::super::filters::add_all(&mut env);
        let values = context! {
            goal => Value::from(Serde(goal)),
            sources => Sources::of(goal).value(),
        };
        let expected = env.render_str(by_filters, &values).unwrap();
        assert_eq!(env.render_str(by_sources, &values).unwrap(), expected);
        assert!(expected.contains("2 "), "a file with two lines: {expected}");
    }
}
