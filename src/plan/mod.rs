//! Stage 5 of the pipeline: every file a build writes into the output folder, and what
//! each is made from. `build`, `review` and the fuzz targets all take their pages from
//! here, so what a report shows is decided in one place.
//!
//! A page is plain data: its path, its formats and the data its template sees. Goal and
//! review pages see only their own data, not the whole report, so that an edit changes
//! the fingerprints (`render::fingerprint`) of only the pages it shows on.

pub(crate) mod calendar;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::analyse::review::Review;
use crate::analyse::{GoalReport, Report};
use crate::dates::Date;
use crate::git;
use crate::paths;
use crate::share::Shared;

/// A format reports are written in (public for the fuzz targets, [`crate::fuzzing`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Md,
    Json,
    Ics,
}

impl Format {
    /// The file extension, which also names a page's template in this format
    /// (`goal.html`): minijinja escapes HTML in templates whose names end in `.html`.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Md => "md",
            Format::Json => "json",
            Format::Ics => "ics",
        }
    }
}

/// The formats of a page made from templates, one template each.
pub(crate) const TEMPLATE_FORMATS: [Format; 2] = [Format::Html, Format::Md];

/// The report's JSON page, `trailmark.json`, without its extension.
pub(crate) const JSON_PAGE: &str = "trailmark";

/// Everything a build writes into the output folder, but the manifest (`write`'s own).
pub(crate) struct Outputs<'a> {
    pub(crate) pages: Vec<Page<'a>>,
    /// The git history as read, for the next build to start from ([`git::CACHE_FILE`]);
    /// `None` when no milestone needed it.
    pub(crate) history_cache: Option<String>,
}

/// One page of the reports, written once in each of its formats.
pub(crate) struct Page<'a> {
    /// The name of its template, without extension. A page written by code has its
    /// file's name, which only tells fingerprints apart.
    pub(crate) template: &'static str,
    /// Relative to the output folder, without extension.
    pub(crate) path: String,
    pub(crate) data: PageData<'a>,
}

/// What each kind of page sees.
pub(crate) enum PageData<'a> {
    /// `report`, `tree`, `summary`, `activity`. Shared, for its goals to be read lazily
    /// (see `render::lazy`).
    Index(Arc<Report>),
    /// Not a template: the report as JSON (`trailmark.json`).
    Json(&'a Report),
    /// Not a template: the deadlines calendar (`deadlines.ics`), see [`calendar`].
    Calendar {
        today: Date,
        events: Vec<calendar::Event>,
    },
    /// `report` (its `today` only), `goal`, `parent`, `children`, `previous`, `next`,
    /// `burn_up`, `forecast_window_weeks`.
    Goal {
        today: Today,
        goal: &'a Arc<GoalReport>,
        parent: Option<&'a Arc<GoalReport>>,
        children: Vec<&'a Arc<GoalReport>>,
        /// The goals before and after it on the index.
        previous: Option<GoalLink<'a>>,
        next: Option<GoalLink<'a>>,
    },
    /// `review`, `to_journal`, `in_reports`: whether the page sits in the reports'
    /// `reviews/` folder, where links to the other reports work (not when printed).
    Review {
        review: Arc<Review>,
        to_journal: String,
        in_reports: bool,
    },
    /// `report` (its `today` only), `share`: what `build --share` publishes, on the
    /// page of the shared goals (template `shared`) and the 1:1 check-in page
    /// (`checkin`). Nothing else of the journal reaches these pages.
    Shared(&'a Shared),
    /// `report` (its `today` only), `reviews`, `unknown_done`.
    Reviews {
        today: Today,
        reviews: Vec<ReviewLink>,
        unknown_done: u32,
    },
}

/// The `report` that goal and review-list pages see: the date, for the footer.
#[derive(Debug, Clone, Copy, Serialize)]
pub(crate) struct Today {
    pub(crate) today: Date,
}

/// A link to a goal's page: its id and title, all a link to the goal before or after
/// shows (and all its fingerprint depends on).
#[derive(Debug, Clone, Copy, Serialize)]
pub(crate) struct GoalLink<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
}

/// A line of the reviews index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ReviewLink {
    kind: String,
    label: String,
    title: String,
    in_progress: bool,
    milestones_done: usize,
    entries: usize,
}

impl ReviewLink {
    pub(crate) fn of(review: &Review) -> ReviewLink {
        ReviewLink {
            kind: review.kind.as_str().to_string(),
            label: review.label.clone(),
            title: review.title.clone(),
            in_progress: review.in_progress,
            milestones_done: review.milestones_done,
            entries: review.entries.len(),
        }
    }
}

impl Page<'_> {
    /// The page's file in `format`, relative to the output folder.
    pub(crate) fn path(&self, format: Format) -> String {
        format!("{}.{}", self.path, format.extension())
    }

    /// The formats the page is written in.
    pub(crate) fn formats(&self) -> &'static [Format] {
        match self.data {
            PageData::Json(_) => &[Format::Json],
            PageData::Calendar { .. } => &[Format::Ics],
            _ => &TEMPLATE_FORMATS,
        }
    }

    /// The template the page is rendered from in `format`, by its file name; `None` for
    /// a page written by code.
    pub(crate) fn template_name(&self, format: Format) -> Option<String> {
        match self.data {
            PageData::Json(_) | PageData::Calendar { .. } => None,
            _ => Some(template_file(self.template, format)),
        }
    }
}

/// Every output of a journal's build: [`report_pages`], then [`review_pages`].
pub(crate) fn outputs<'a>(
    report: &'a Arc<Report>,
    reviews: &'a [Arc<Review>],
    links: Vec<ReviewLink>,
    to_journal: &str,
    history: Option<&git::History>,
    kept_events: Option<&mut calendar::KeptEvents>,
) -> Outputs<'a> {
    let mut outputs = report_pages(report, history, kept_events);
    outputs
        .pages
        .extend(review_pages(report, reviews, links, to_journal));
    outputs
}

/// The outputs of a journal's build that show no review: the index, the JSON report,
/// the deadlines calendar, one page per goal, and the git history cache. A build makes
/// them while it plans and makes its reviews. `kept_events` are the deadlines calendar's events a
/// build kept for the next (see [`calendar::KeptEvents`]).
pub(crate) fn report_pages<'a>(
    report: &'a Arc<Report>,
    history: Option<&git::History>,
    kept_events: Option<&mut calendar::KeptEvents>,
) -> Outputs<'a> {
    let today = Today {
        today: report.today,
    };
    let mut pages = Vec::with_capacity(3 + report.goals.len());
    pages.push(Page {
        template: INDEX_TEMPLATE,
        path: "index".to_string(),
        data: PageData::Index(Arc::clone(report)),
    });
    pages.push(Page {
        template: "trailmark",
        path: JSON_PAGE.to_string(),
        data: PageData::Json(report),
    });
    pages.push(Page {
        // See `calendar` for why it has no template.
        template: "deadlines",
        path: "deadlines".to_string(),
        data: PageData::Calendar {
            today: report.today,
            events: calendar::events(report, kept_events),
        },
    });
    pages.extend(goal_pages(report, today));
    Outputs {
        pages,
        history_cache: history.and_then(git::History::to_cache),
    }
}

/// The pages of a journal's build that follow [`report_pages`]: one per review
/// (`reviews` come newest first) and the list of reviews (`links`: of `reviews`, or of
/// more when a build knows some reviews unchanged and leaves them out of `reviews`).
/// `to_journal` is the link from the output folder to the journal folder (`../`).
pub(crate) fn review_pages<'a>(
    report: &Report,
    reviews: &[Arc<Review>],
    links: Vec<ReviewLink>,
    to_journal: &str,
) -> Vec<Page<'a>> {
    let today = Today {
        today: report.today,
    };
    let mut pages: Vec<Page> = reviews
        .iter()
        .map(|review| review_page_in_reports(Arc::clone(review), to_journal))
        .collect();
    pages.push(Page {
        template: "reviews",
        path: "reviews/index".to_string(),
        data: PageData::Reviews {
            today,
            reviews: links,
            unknown_done: report.goals.iter().map(|g| g.unknown_done).sum(),
        },
    });
    pages
}

/// Every output of `build --share`: the shared goals (`index`) and the 1:1 check-in
/// page (`checkin`), in HTML and markdown. No JSON, calendar, review or cache: see
/// docs/SHARING.md.
pub(crate) fn shared_outputs(shared: &Shared) -> Outputs<'_> {
    let page = |template, path: &str| Page {
        template,
        path: path.to_string(),
        data: PageData::Shared(shared),
    };
    Outputs {
        pages: vec![page("shared", "index"), page("checkin", "checkin")],
        history_cache: None,
    }
}

/// A page per goal, with its parent and children, and the goals before and after it in
/// the order of the index.
fn goal_pages(report: &Report, today: Today) -> impl Iterator<Item = Page<'_>> {
    let by_id: std::collections::HashMap<&str, &Arc<GoalReport>> =
        report.goals.iter().map(|g| (g.id.as_str(), g)).collect();
    let in_index_order: Vec<GoalLink> = report
        .goal_tree()
        .iter()
        .map(|row| GoalLink {
            id: &row.goal.id,
            title: &row.goal.title,
        })
        .collect();
    let place: std::collections::HashMap<&str, usize> = in_index_order
        .iter()
        .enumerate()
        .map(|(place, link)| (link.id, place))
        .collect();
    report.goals.iter().map(move |goal| Page {
        template: "goal",
        path: format!("goals/{}", paths::report_file_stem(&goal.id)),
        data: PageData::Goal {
            today,
            goal,
            parent: goal.parent.as_deref().and_then(|id| by_id.get(id).copied()),
            children: goal
                .children
                .iter()
                .filter_map(|id| by_id.get(id.as_str()).copied())
                .collect(),
            previous: place[goal.id.as_str()]
                .checked_sub(1)
                .map(|before| in_index_order[before]),
            next: in_index_order.get(place[goal.id.as_str()] + 1).copied(),
        },
    })
}

/// The file name of `template` in `format` (`goal.html`).
pub(crate) fn template_file(template: &str, format: Format) -> String {
    format!("{template}.{}", format.extension())
}

/// The template of review pages.
pub(crate) const REVIEW_TEMPLATE: &str = "review";

/// The template of the index page.
pub(crate) const INDEX_TEMPLATE: &str = "index";

/// The page of the review labelled `label`, relative to the output folder, without
/// extension.
pub(crate) fn review_path(label: &str) -> String {
    format!("reviews/{label}")
}

/// The page of one review in the build's `reviews/` folder, with entries linked through
/// `to_journal`, the link from the output folder to the journal.
pub(crate) fn review_page_in_reports<'a>(review: Arc<Review>, to_journal: &str) -> Page<'a> {
    // Review pages sit one folder down.
    review_page(review, format!("../{to_journal}"), true)
}

/// The page of one review, with entries linked through `to_journal`: in the build's
/// `reviews/` folder (`in_reports`), or as `trailmark review` prints it.
pub(crate) fn review_page<'a>(
    review: Arc<Review>,
    to_journal: String,
    in_reports: bool,
) -> Page<'a> {
    Page {
        template: REVIEW_TEMPLATE,
        path: review_path(&review.label),
        data: PageData::Review {
            review,
            to_journal,
            in_reports,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::period::PeriodKind;
    use crate::testing::{journal, report};

    /// The calendar's events made with those a build kept are the events made anew: a
    /// goal whose report is another has its events made again, one whose report is shared
    /// with the last build's keeps its own.
    #[test]
    fn calendar_events_with_those_kept_are_those_made_anew() {
        let goal_a = (
            "goals/a.md",
            "---\ngoal: A\ndue: 2026-04-01\n---\n- [ ] one 📅 2026-03-10\n",
        );
        let before = [
            goal_a,
            (
                "goals/b.md",
                "---\ngoal: B\ndue: 2026-05-01\n---\n- [ ] two 📅 2026-04-02\n",
            ),
        ];
        let after = [
            goal_a,
            (
                "goals/b.md",
                "---\ngoal: B\ndue: 2026-06-01\n---\n- [x] two 📅 2026-04-02\n",
            ),
        ];
        let mut kept = calendar::KeptEvents::default();
        let first = report(&before, "2026-03-01");
        let events = calendar::events(&first, Some(&mut kept));
        assert_eq!(events, calendar::events(&first, None));
        let mut second = report(&after, "2026-03-01");
        let a = (second.goals.iter())
            .position(|goal| goal.id == "a")
            .unwrap();
        second.goals[a] = Arc::clone(&first.goals[a]);
        let events = calendar::events(&second, Some(&mut kept));
        assert_eq!(events, calendar::events(&second, None));
        assert!(
            events
                .iter()
                .any(|event| event.date == Date::from_ymd(2026, 6, 1).unwrap())
        );
    }

    #[test]
    fn every_page_in_each_of_its_formats() {
        let files = [(
            "goals/sql.md",
            "---\ngoal: Learn SQL\n---\n- [x] joins ✅ 2026-02-27\n- [ ] indexes\n",
        )];
        let journal = journal(&files);
        let report = Arc::new(report(&files, "2026-03-01"));
        let reviews = crate::analyse::review::all_reviews(&journal, &report, &[PeriodKind::Month]);
        let links = reviews
            .iter()
            .map(|review| ReviewLink::of(review))
            .collect();
        let outputs = outputs(
            &report,
            &reviews,
            links,
            "../",
            Some(&git::History::default()),
            None,
        );
        let files: Vec<String> = outputs
            .pages
            .iter()
            .flat_map(|page| page.formats().iter().map(|&format| page.path(format)))
            .collect();
        assert_eq!(
            files,
            [
                "index.html",
                "index.md",
                "trailmark.json",
                "deadlines.ics",
                "goals/learn-sql.html",
                "goals/learn-sql.md",
                "reviews/2026-02.html",
                "reviews/2026-02.md",
                "reviews/index.html",
                "reviews/index.md",
            ]
        );
        let to_journal = outputs.pages.iter().find_map(|page| match &page.data {
            PageData::Review { to_journal, .. } => Some(to_journal.as_str()),
            _ => None,
        });
        assert_eq!(
            to_journal,
            Some("../../"),
            "review pages sit one folder down"
        );
        assert_eq!(outputs.history_cache, None, "no history was read from git");
    }
}
