//! What the last build knew of each review, so that the next one computes, hashes and
//! renders again only the reviews whose inputs changed: for each review, the hash of its
//! inputs (`Reviewer::input_keys`), the fingerprint of its page and its line on the
//! reviews index. A review whose inputs hash as before has the same page: the build takes
//! its fingerprint and line from here, and computes the review only if the write stage
//! must render its page after all (a report deleted or edited by hand). [`ReviewPlan`]
//! chooses the reviews a build makes; [`known_review`] plans the pages of the others.
//!
//! `watch` keeps it in memory between rebuilds; `build` and `watch` also keep it in the
//! output folder, beside the documents cache ([`super::cache`]) and like it: a line a
//! review after a header that names the program that wrote it and holds a checksum,
//! written atomically by the write stage, ignored (and written anew) when it is old,
//! damaged or foreign, and not read with `--no-cache`.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::cache::{sealed, unsealed};
use crate::analyse::Report;
use crate::analyse::period::PeriodKind;
use crate::analyse::review::{self, GoalIndex, Reviewer, Scheduled};
use crate::fsread;
use crate::hash::data_hash;
use crate::model::Journal;
use crate::plan::{self, ReviewLink};
use crate::{render, write};

/// The name of the file, in the output folder.
pub(crate) const REVIEWS_FILE: &str = ".trailmark-reviews.json";

/// Bumped whenever what a line means changes. It stands where the documents cache has
/// its parse options, so that neither file is ever taken for the other.
const FORMAT: u64 = 0x7265_7669_6577_0001;

/// What a build knew of one review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Known {
    /// The hash of its inputs.
    pub(super) key: u64,
    /// The fingerprint of its page (the same in each format).
    pub(super) fingerprint: u64,
    pub(super) link: ReviewLink,
}

/// Each review's label (`2026-W45`) and what was known of it.
pub(super) type KnownReviews = HashMap<String, Known>;

#[derive(Serialize, Deserialize)]
struct Line {
    label: String,
    #[serde(flatten)]
    known: Known,
}

/// The file in the output folder `out`: empty when there is none, `Err` with why when
/// there is one that cannot be used.
pub(super) fn read(out: &std::path::Path) -> Result<KnownReviews, String> {
    let text = match fsread::read_to_string(&out.join(REVIEWS_FILE), fsread::MAX_OWN_FILE_BYTES) {
        Ok(text) => text,
        Err(refused) if refused.is_not_found() => return Ok(KnownReviews::new()),
        Err(refused) => return Err(refused.to_string()),
    };
    parse(&text)
}

fn parse(text: &str) -> Result<KnownReviews, String> {
    let mut known = KnownReviews::new();
    let lines = unsealed(text.as_bytes(), FORMAT)?;
    let lines =
        std::str::from_utf8(lines).expect("a file read as text is text after its first line");
    for line in lines.lines() {
        let line: Line =
            serde_json::from_str(line).map_err(|error| format!("it is damaged: {error}"))?;
        if known.insert(line.label.clone(), line.known).is_some() {
            return Err(format!("it lists {} twice", line.label));
        }
    }
    Ok(known)
}

/// The text of the file, the reviews by label.
pub(super) fn text(known: &KnownReviews) -> String {
    let mut labels: Vec<&String> = known.keys().collect();
    labels.sort_unstable();
    let lines: String = labels
        .into_iter()
        .map(|label| {
            let line = Line {
                label: label.clone(),
                known: known[label].clone(),
            };
            serde_json::to_string(&line).expect("a line holds strings and numbers") + "\n"
        })
        .collect();
    String::from_utf8(sealed(FORMAT, lines.as_bytes()))
        .expect("a header and lines of JSON are text")
}

/// The reviews a build writes, and those of them it computes: those whose inputs changed
/// since the build that made `known`.
pub(super) struct ReviewPlan<'a> {
    pub(super) reviewer: Reviewer<'a>,
    pub(super) scheduled: Vec<Scheduled>,
    /// The hash of each scheduled review's inputs, and of its page's templates and links.
    pub(super) keys: Vec<u64>,
    /// The reviews computed and kept to be written, in the order scheduled.
    pub(super) made: Vec<Arc<review::Review>>,
    /// The fingerprint of each review in `made`'s page, by label.
    pub(super) fingerprints: HashMap<String, u64>,
    /// The reviews computed and let go of, by label: their pages' fingerprints are the
    /// ones the manifest records, so the write stage most likely keeps their reports.
    /// Keeping every computed review until the reports are written held 200 MB at
    /// 100,000 files in a build after an edit without the documents cache, where a few
    /// of 700 reviews are written.
    settled: HashMap<String, Known>,
    /// For each scheduled review, its place in `made`; `None` when it is known or settled.
    pub(super) made_at: Vec<Option<usize>>,
}

/// What a scheduled review computed came to.
enum Computed {
    /// To be written: it and its page's fingerprint.
    Made(Arc<review::Review>, u64),
    /// Its reports as the manifest records them.
    Settled(Known),
}

impl<'a> ReviewPlan<'a> {
    /// `context` is what else makes a review's page: the fingerprint of the review
    /// templates, the link to the journal, and the hash of the parse settings.
    /// `written` is what the last build wrote: what it knew of each review, and the
    /// manifest of its reports.
    /// `kept` is what the last build kept: the entries' parts of the keys (see
    /// `Reviewer::input_keys`) and what its reviewer indexed of its goals (see
    /// [`GoalIndex::after`]).
    pub(super) fn new(
        journal: &'a Journal,
        report: &'a Report,
        kinds: &[PeriodKind],
        written: (&KnownReviews, &write::Manifest),
        goals: &[u64],
        kept: (&mut [Option<u64>], Option<GoalIndex>),
        context: (u64, &str, u64),
    ) -> ReviewPlan<'a> {
        let (known, manifest) = written;
        let (kept_entries, kept_index) = kept;
        let indexed = match kept_index {
            Some(kept) => kept.after(report),
            None => GoalIndex::of(report),
        };
        let reviewer = Reviewer::with_index(journal, report, indexed);
        let scheduled = reviewer.scheduled(kinds);
        let keys: Vec<u64> = reviewer
            .input_keys(&scheduled, goals, kept_entries)
            .into_iter()
            .map(|key| data_hash(&(key, context)))
            .collect();
        let (templates, to_journal, _) = context;
        let computed: Vec<Option<Computed>> = scheduled
            .par_iter()
            .zip(&keys)
            // One review at a time: a year's takes as long as dozens of weeks', and a run
            // of them in rayon's own lengths was left to one core.
            .with_max_len(1)
            .map(|(s, &key)| {
                let current = known.get(&s.label()).is_some_and(|k| k.key == key);
                (!current).then(|| {
                    let review = Arc::new(reviewer.scheduled_review(s));
                    let page = plan::review_page_in_reports(Arc::clone(&review), to_journal);
                    let fingerprint = render::review_page_fingerprint(templates, &page, key);
                    let recorded = (page.formats().iter()).all(|&format| {
                        manifest.fingerprint_of(&page.path(format)) == Some(fingerprint)
                    });
                    match recorded {
                        true => Computed::Settled(Known {
                            key,
                            fingerprint,
                            link: ReviewLink::of(&review),
                        }),
                        false => Computed::Made(review, fingerprint),
                    }
                })
            })
            .collect();
        let mut made = Vec::new();
        let mut fingerprints = HashMap::new();
        let mut settled = HashMap::new();
        let made_at = (scheduled.iter())
            .zip(computed)
            .map(|(s, computed)| match computed? {
                Computed::Made(review, fingerprint) => {
                    fingerprints.insert(s.label(), fingerprint);
                    made.push(review);
                    Some(made.len() - 1)
                }
                Computed::Settled(known) => {
                    settled.insert(s.label(), known);
                    None
                }
            })
            .collect();
        ReviewPlan {
            reviewer,
            scheduled,
            keys,
            made,
            fingerprints,
            settled,
            made_at,
        }
    }

    /// What is known of the scheduled review `label` that is not in `made`: settled by
    /// this build, else known from the last (`known`).
    pub(super) fn known<'k>(&'k self, known: &'k KnownReviews, label: &str) -> &'k Known {
        self.settled.get(label).unwrap_or_else(|| &known[label])
    }

    /// What its reviewer indexed of the report's goals, for the next build's.
    pub(super) fn into_goal_index(self) -> GoalIndex {
        self.reviewer.into_index()
    }

    /// Each scheduled review's line on the reviews index.
    pub(super) fn links(&self, known: &KnownReviews) -> Vec<plan::ReviewLink> {
        self.scheduled
            .iter()
            .zip(&self.made_at)
            .map(|(s, at)| match at {
                Some(at) => plan::ReviewLink::of(&self.made[*at]),
                None => self.known(known, &s.label()).link.clone(),
            })
            .collect()
    }
}

/// The page of a review known unchanged, in each format: its known `fingerprint`, and
/// the review computed only if the write stage asks for the page after all.
pub(super) fn known_review<'a>(
    reviews: &'a ReviewPlan<'a>,
    scheduled: &'a Scheduled,
    fingerprint: u64,
    renderer: &'a render::Renderer,
    to_journal: &'a str,
) -> Vec<write::Planned<'a>> {
    let page_path = plan::review_path(&scheduled.label());
    plan::TEMPLATE_FORMATS
        .iter()
        .map(|&format| write::Planned {
            path: format!("{page_path}.{}", format.extension()),
            fingerprint,
            make: Box::new(move || {
                let review = Arc::new(reviews.reviewer.scheduled_review(scheduled));
                let page = plan::review_page_in_reports(review, to_journal);
                renderer
                    .render_page(&page, format)
                    .map(|page| page.into_bytes().into())
            }),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> KnownReviews {
        let link: ReviewLink = serde_json::from_str(
            r#"{"kind":"week","label":"2026-W45","title":"Week 45, 2026","in_progress":false,"milestones_done":2,"entries":3}"#,
        )
        .unwrap();
        KnownReviews::from([(
            "2026-W45".to_string(),
            Known {
                key: u64::MAX,
                fingerprint: 7,
                link,
            },
        )])
    }

    #[test]
    fn round_trips() {
        assert_eq!(parse(&text(&known())).unwrap(), known());
    }

    #[test]
    fn a_damaged_or_foreign_file_is_refused() {
        let text = text(&known());
        assert!(parse(&text.replace("2026-W45", "2026-W46")).is_err());
        assert!(parse(&text[..text.len() - 2]).is_err());
        let documents = String::from_utf8(sealed(0, b"")).unwrap();
        assert!(
            parse(&documents)
                .unwrap_err()
                .contains("another version of trailmark, or with other settings")
        );
    }
}
