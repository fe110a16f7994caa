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
use crate::plan::{Page, PageData};
use crate::share::Shared;

use super::templates;

/// The fingerprint of each of `pages` (of `report`), in order, with the journal's
/// templates in `overrides`. Computed on every core; a goal is hashed once, not again for
/// each page that shows it as a parent or child.
pub(super) fn fingerprints(pages: &[Page], report: &Report, overrides: Option<&Path>) -> Vec<u64> {
    let mut by_template: HashMap<&str, u64> = HashMap::new();
    for page in pages {
        by_template.entry(page.template).or_insert_with(|| {
            let names = page.formats().iter().filter_map(|&f| page.template_name(f));
            templates::fingerprint(overrides, names)
        });
    }
    let (report_hash, goal_hashes) = rayon::join(
        || data_hash(report),
        || {
            report
                .goals
                .par_iter()
                .map(|goal| (goal.id.as_str(), data_hash(goal)))
                .collect::<HashMap<&str, u64>>()
        },
    );
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
            let mut hasher = Xxh3Default::new();
            (by_template[page.template], page.template, &page.path, data).hash(&mut hasher);
            hasher.finish()
        })
        .collect()
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
            let mut hasher = Xxh3Default::new();
            (templates, page.template, &page.path, data).hash(&mut hasher);
            hasher.finish()
        })
        .collect()
}
