//! A page's fingerprint: a hash of everything it is made from (its data, the templates it
//! is rendered from, trailmark's version). Equal fingerprints render to equal reports, so
//! the write stage renders again only the pages whose fingerprint changed.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::Path;

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3Default;

use crate::analyse::{GoalReport, Report};
use crate::hash::data_hash;
use crate::plan::{self, Format, Page, PageData};
use crate::share::Shared;

use super::templates;

/// The fingerprint of each of `pages` (of `report`), in order, with the journal's
/// templates in `overrides`; `goal_hashes` are the hashes of its whole goals
/// (`analyse::review::goal_hashes`). Computed on
/// every core; a goal is hashed once, not again for each page that shows it as a parent
/// or child.
pub(super) fn fingerprints(
    pages: &[Page],
    report: &Report,
    goal_hashes: &[u64],
    overrides: Option<&Path>,
) -> Vec<u64> {
    let mut by_template: HashMap<&str, u64> = HashMap::new();
    for page in pages {
        by_template.entry(page.template).or_insert_with(|| {
            let names = page.formats().iter().filter_map(|&f| page.template_name(f));
            templates::fingerprint(overrides, names)
        });
    }
    let report_hash = report_hash(report, goal_hashes);
    let goal_hashes: HashMap<&str, u64> = report
        .goals
        .iter()
        .zip(goal_hashes)
        .map(|(goal, &hash)| (goal.id.as_str(), hash))
        .collect();
    let goal_hash = |goal: &GoalReport| goal_hashes[goal.id.as_str()];
    pages
        .par_iter()
        .map(|page| {
            let data = match &page.data {
                PageData::Index(_) | PageData::Json(_) => report_hash,
                PageData::Calendar { today, events } => data_hash(&(today, events)),
                PageData::Goal {
                    today,
                    goal,
                    parent,
                    children,
                    previous,
                    next,
                } => data_hash(&(
                    today,
                    goal_hash(goal),
                    parent.map(goal_hash),
                    children
                        .iter()
                        .map(|child| goal_hash(child))
                        .collect::<Vec<u64>>(),
                    previous,
                    next,
                )),
                // Built reviews are all in the reports (`in_reports`).
                PageData::Review {
                    review, to_journal, ..
                } => data_hash(&(review, to_journal)),
                PageData::Shared(shared) => data_hash(shared),
                PageData::Reviews {
                    today,
                    reviews,
                    unknown_done,
                } => data_hash(&(today, reviews, unknown_done)),
            };
            page_fingerprint(by_template[page.template], page.template, &page.path, data)
        })
        .collect()
}

/// The hash of everything the index and the JSON show of `report`, with each goal's
/// hash (`goal_hashes`, made on every core) standing for the goal: the goals are not
/// hashed a second time, on one core. Naming every field, as `share` does, makes a field
/// added to the report a compile error here until it is hashed or said to be unshown.
fn report_hash(report: &Report, goal_hashes: &[u64]) -> u64 {
    let Report {
        today,
        // Not serialized: neither page shows them (the JSON is the serialized report).
        rules: _,
        timelines: _,
        goals: _,
        loose_tasks,
        diagnostics,
        activity,
        needs_now,
    } = report;
    data_hash(&(
        today,
        goal_hashes,
        loose_tasks,
        diagnostics,
        activity,
        needs_now,
    ))
}

/// The fingerprints of the pages of `build --share`, which all show `shared` and nothing
/// else, so that the whole report is never hashed for them.
pub(super) fn shared_fingerprints(
    pages: &[Page],
    shared: &Shared,
    overrides: Option<&Path>,
) -> Vec<u64> {
    let data = data_hash(shared);
    pages
        .iter()
        .map(|page| {
            let names = page.formats().iter().filter_map(|&f| page.template_name(f));
            let templates = templates::fingerprint(overrides, names);
            page_fingerprint(templates, page.template, &page.path, data)
        })
        .collect()
}

/// The fingerprint of the page at `path` made from `template` (whose own templates have
/// the fingerprint `templates`) and data of the hash `data`.
fn page_fingerprint(templates: u64, template: &str, path: &str, data: u64) -> u64 {
    let mut hasher = Xxh3Default::new();
    (templates, template, path, data).hash(&mut hasher);
    hasher.finish()
}

/// The fingerprint of the templates of `template` in `formats` (with the journal's own
/// in `overrides`): part of the fingerprint of each page made from it.
pub(super) fn templates_fingerprint(
    overrides: Option<&Path>,
    template: &str,
    formats: &[Format],
) -> u64 {
    let names = formats
        .iter()
        .map(|&format| plan::template_file(template, format));
    templates::fingerprint(overrides, names)
}
