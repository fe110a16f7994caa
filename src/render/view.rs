//! What templates see: each page's data as template values, and the small view models
//! computed for them (the index's area filter and status summary, the charts as SVG).

use std::collections::{BTreeMap, HashMap};

use minijinja::value::Serde;
use minijinja::{Value, context};
use serde::Serialize;

use crate::analyse::timeline::FORECAST_WINDOW_WEEKS;
use crate::analyse::{Report, Status};
use crate::plan::{Page, PageData};

use super::chart;
use super::lazy::LazyGoal;

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
            goal => Value::from(Serde(goal)),
            parent => parent.map_or(Value::from(()), LazyGoal::value),
            children => children.iter().map(|child| LazyGoal::value(child)).collect::<Vec<Value>>(),
            previous => Value::from(Serde(previous)),
            next => Value::from(Serde(next)),
            burn_up => Value::from_safe_string(chart::burn_up(goal, today.today)),
            metric_chart => Value::from_safe_string(chart::metric(goal, today.today)),
            forecast_window_weeks => FORECAST_WINDOW_WEEKS,
        },
        PageData::Review {
            review,
            to_journal,
            in_reports,
        } => context! {
            review => Value::from(Serde(review)),
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
}
