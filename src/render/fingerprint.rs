//! A page's fingerprint: a hash of everything it is made from (its data, the templates it
//! is rendered from, trailmark's version). Equal fingerprints render to equal reports, so
//! the write stage renders again only the pages whose fingerprint changed.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::Path;

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3Default;

use crate::analyse::review::GoalHashes;
use crate::analyse::{GoalReport, Report};
use crate::hash::data_hash;
use crate::plan::{self, Format, Page, PageData};
use crate::share::Shared;

use super::templates;

/// The fingerprint of each of `pages` (of `report`), in order, with the journal's
/// templates in `overrides`; `hashes` are its goals' (`analyse::review::goal_hashes`),
/// `made_reviews` the fingerprint of each review page, by label, as [`review_page`]
/// made it where the review was made. Computed on every core;
/// a goal is hashed once, not again for each page that shows it as a parent or child.
pub(super) fn fingerprints(
    pages: &[Page],
    report: &Report,
    hashes: &GoalHashes,
    made_reviews: &HashMap<String, u64>,
    overrides: Option<&Path>,
) -> Vec<u64> {
    let mut by_template: HashMap<&str, u64> = HashMap::new();
    // A review's page has its fingerprint already, with its templates'.
    let not_reviews = pages
        .iter()
        .filter(|page| !matches!(page.data, PageData::Review { .. }));
    for page in not_reviews {
        by_template.entry(page.template).or_insert_with(|| {
            let names = page.formats().iter().filter_map(|&f| page.template_name(f));
            templates::fingerprint(overrides, names)
        });
    }
    // Only what the pages show is hashed: a build fingerprints its review pages apart
    // from the others (see `plan::review_pages`), and they show neither the report nor
    // a goal's page.
    let shows = |data: fn(&PageData) -> bool| pages.iter().any(|page| data(&page.data));
    let goal_hashes = &hashes.whole;
    let json_hash = shows(|data| matches!(data, PageData::Json(_) | PageData::Index(_)))
        .then(|| report_hash(report, goal_hashes));
    // Not the index's own when the journal has index templates of its own, which may.
    // Looked for only when an index is among the pages: with a templates folder, that
    // reads the journal's templates.
    let index_hash = match shows(|data| matches!(data, PageData::Index(_)))
        && templates::all_shipped(overrides, index_templates())
    {
        true => Some(report_hash(report, &hashes.for_reviews)),
        false => json_hash,
    };
    let goal_hashes: HashMap<&str, u64> = match shows(|data| matches!(data, PageData::Goal { .. }))
    {
        true => (report.goals.iter().zip(goal_hashes))
            .map(|(goal, &hash)| (goal.id.as_str(), hash))
            .collect(),
        false => HashMap::new(),
    };
    let goal_hash = |goal: &GoalReport| goal_hashes[goal.id.as_str()];
    let hashed = "hashed above, as a page shows it";
    pages
        .par_iter()
        .map(|page| {
            let data = match &page.data {
                PageData::Index(_) => index_hash.expect(hashed),
                PageData::Json(_) => json_hash.expect(hashed),
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
                    parent.map(|parent| goal_hash(parent)),
                    children
                        .iter()
                        .map(|child| goal_hash(child))
                        .collect::<Vec<u64>>(),
                    previous,
                    next,
                )),
                // Fingerprinted where it was made (see `workspace::reviews`), by
                // `review_page`.
                PageData::Review { review, .. } => return made_reviews[review.label.as_str()],
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

/// The fingerprint of `page`, a review's page whose review has the input key `key`
/// (`Reviewer::input_keys`, with the review templates' fingerprint and the link to the
/// journal), with `templates` the fingerprint of the review templates
/// ([`templates_fingerprint`]). A review of a period still running is fingerprinted by
/// its key: equal keys make equal reviews, the key holds the link to the journal, and an
/// edit of a recent entry need not hash its week's, month's, quarter's and year's data
/// once more. Its page shows today's date, so the new day that changes every key changes
/// it anyway. A past review's page stays the same from day to day while its key does not
/// (the key holds today), so it is fingerprinted by its data, and a new day renders again
/// only the past reviews whose data changed.
pub(crate) fn review_page(templates: u64, page: &Page, key: u64) -> u64 {
    let PageData::Review {
        review, to_journal, ..
    } = &page.data
    else {
        unreachable!("a review's page has a review");
    };
    let data = match review.in_progress {
        true => key,
        false => data_hash(&(review, to_journal)),
    };
    page_fingerprint(templates, page.template, &page.path, data)
}

/// The templates of the index page, in each of its formats.
fn index_templates() -> impl Iterator<Item = String> {
    plan::TEMPLATE_FORMATS
        .iter()
        .map(|&format| plan::template_file(plan::INDEX_TEMPLATE, format))
}

/// The hash of everything the index and the JSON show of `report`, with each goal's
/// hash (`goal_hashes`, made on every core) standing for the goal: the goals are not
/// hashed a second time, on one core. The JSON's is made from the whole goals' hashes;
/// the index's, when its templates are trailmark's own, from the goals' hashes without
/// the entries that mention them (`GoalHashes::for_reviews`): those templates show no
/// goal's entries, and an edit of the text of an entry that mentions a goal changes the
/// goal's entries, so the index is not rendered again for it (20 ms of
/// CPU of about 180 for such an edit in `watch` at 10,000 files), unless what the index
/// shows of a goal changed too. A journal's own index template may show them, and then
/// its index is fingerprinted with the whole goals. Naming every field, as `share` does, makes a field
/// added to the report a compile error here until it is hashed or said to be unshown.
fn report_hash(report: &Report, goal_hashes: &[u64]) -> u64 {
    let Report {
        today,
        // Not serialized: neither page shows them (the JSON is the serialized report).
        rules: _,
        detail: _,
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::analyse::review::goal_hashes;
    use crate::render::templates::{Purpose, shipped};
    use crate::testing::report;

    const GOAL: &str = "---\ngoal: Ship\n---\n- [ ] launch\n";

    /// The fingerprints of the index and the JSON of the journal of the goal `ship.md`
    /// and an entry mentioning it with `words`, with the journal's templates in
    /// `overrides`.
    fn index_and_json(words: &str, overrides: Option<&Path>) -> (u64, u64) {
        let entry = format!("Worked on [[Ship]]: {words}.\n");
        let report = Arc::new(report(
            &[("ship.md", GOAL), ("2026-01-20.md", &entry)],
            "2026-02-01",
        ));
        let outputs = plan::outputs(&report, &[], Vec::new(), "../", None, None);
        let pages = &outputs.pages[..2];
        assert!(matches!(pages[0].data, PageData::Index(_)));
        assert!(matches!(pages[1].data, PageData::Json(_)));
        let no_reviews = HashMap::new();
        let prints = fingerprints(
            pages,
            &report,
            &goal_hashes(&report),
            &no_reviews,
            overrides,
        );
        (prints[0], prints[1])
    }

    #[test]
    fn the_index_is_not_made_again_when_only_entries_of_goals_change() {
        let (index, json) = index_and_json("the plan", None);
        let (edited_index, edited_json) = index_and_json("the budget", None);
        assert_ne!(json, edited_json, "the JSON shows the entries");
        assert_eq!(index, edited_index, "trailmark's index shows no entries");
    }

    #[test]
    fn a_journals_own_index_is_made_again_when_entries_of_goals_change() {
        let folder = tempfile::tempdir().unwrap();
        std::fs::write(
            folder.path().join("index.md"),
            "{% for g in report.goals %}{{ g.entries }}{% endfor %}",
        )
        .unwrap();
        let (index, _) = index_and_json("the plan", Some(folder.path()));
        let (edited_index, _) = index_and_json("the budget", Some(folder.path()));
        assert_ne!(index, edited_index, "its own template may show them");
    }

    /// What lets the index's fingerprint leave the goals' entries out: no template of
    /// trailmark's index reads them.
    #[test]
    fn trailmarks_index_templates_read_no_entries() {
        for name in index_templates().chain(["base.html".to_string()]) {
            let text = shipped(&name, Purpose::Report).expect("a shipped template");
            assert!(!text.contains("entries"), "{name} reads entries");
        }
    }
}
