//! Stage 5 of the pipeline: fill the report templates.
//!
//! Templates are embedded in the binary; a journal's own `templates/` folder overrides any
//! of them by file name. HTML templates are auto-escaped (minijinja decides by the `.html`
//! name) and undefined values are errors, so a typo in a template fails loudly.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use std::hash::{Hash, Hasher};

use xxhash_rust::xxh3::Xxh3Default;

use minijinja::value::Serde;
use minijinja::{Environment, UndefinedBehavior, Value, context};
use rayon::prelude::*;
use serde::Serialize;

use crate::analyse::review::Review;
use crate::analyse::{GoalReport, Report, Status};
use crate::dates::Date;
use crate::document::Priority;
use crate::error::Error;
use crate::fsread;
use crate::hash::data_hash;
use crate::text::{percent, progress_bar};
use lazy::LazyGoal;

pub mod calendar;
mod chart;
mod lazy;
pub mod markup;

/// The templates trailmark ships, by file name.
pub const EMBEDDED_TEMPLATES: [(&str, &str); 9] = [
    ("base.html", include_str!("../../templates/base.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("goal.html", include_str!("../../templates/goal.html")),
    ("review.html", include_str!("../../templates/review.html")),
    ("reviews.html", include_str!("../../templates/reviews.html")),
    ("index.md", include_str!("../../templates/index.md")),
    ("goal.md", include_str!("../../templates/goal.md")),
    ("review.md", include_str!("../../templates/review.md")),
    ("reviews.md", include_str!("../../templates/reviews.md")),
];

/// The report formats, by file extension.
pub const FORMATS: [&str; 2] = ["html", "md"];

/// One page of the reports, rendered once in every format: the template's name without
/// extension, the report's path without extension, and the data its template sees.
pub struct Page<'a> {
    template: &'static str,
    path: String,
    data: PageData<'a>,
    /// See [`Page::fingerprint`].
    fingerprint: u64,
}

/// What each kind of page sees. Goal and review pages see only their own data, not the
/// whole report, so that an edit changes only the pages it shows on.
enum PageData<'a> {
    /// `report`, `tree`, `summary`, `activity`. Shared, for its goals to be read lazily
    /// (see [`lazy`]).
    Index(Arc<Report>),
    /// Not a template: the report as JSON (`trailmark.json`).
    Json(&'a Report),
    /// Not a template: the deadlines calendar (`deadlines.ics`), see [`calendar`].
    Calendar {
        today: Date,
        events: Vec<calendar::Event>,
    },
    /// `report` (its `today` only), `goal`, `parent`, `children`, `burn_up`.
    Goal {
        today: Today,
        goal: &'a GoalReport,
        parent: Option<&'a GoalReport>,
        children: Vec<&'a GoalReport>,
    },
    /// `review`, `to_journal`.
    Review {
        review: &'a Review<'a>,
        to_journal: String,
    },
    /// `report` (its `today` only), `reviews`, `unknown_done`.
    Reviews {
        today: Today,
        reviews: Vec<ReviewLink>,
        unknown_done: u32,
    },
}

/// The `report` that goal and review-list pages see: the date, for the footer.
#[derive(Debug, Clone, Copy, Serialize)]
struct Today {
    today: Date,
}

impl Page<'_> {
    /// The report's path in `format` (`html` or `md`), relative to the output folder.
    pub fn path(&self, format: &str) -> String {
        format!("{}.{format}", self.path)
    }

    /// The formats the page is written in, as file extensions.
    pub fn formats(&self) -> &'static [&'static str] {
        match self.data {
            PageData::Json(_) => &["json"],
            PageData::Calendar { .. } => &["ics"],
            _ => &FORMATS,
        }
    }

    /// A hash of everything the page is made from, templates included: equal
    /// fingerprints render to equal reports, so a page whose fingerprint is unchanged
    /// need not be rendered again.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    fn context(&self) -> Value {
        match &self.data {
            PageData::Json(_) | PageData::Calendar { .. } => Value::UNDEFINED,
            PageData::Index(report) => {
                // Each goal is converted to template values only as its fields are read.
                let goals: HashMap<&str, Value> = report
                    .goals
                    .iter()
                    .enumerate()
                    .map(|(index, goal)| (goal.id.as_str(), LazyGoal::value(report, index)))
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
                    },
                    tree,
                    filters => context! { areas => Value::from(Serde(&areas)) },
                    summary => Value::from(Serde(StatusSummary::of(report))),
                    activity => Value::from_safe_string(chart::activity(&report.activity, report.today)),
                }
            }
            PageData::Goal {
                today,
                goal,
                parent,
                children,
            } => context! {
                report => Value::from(Serde(today)),
                goal => Value::from(Serde(goal)),
                parent => Value::from(Serde(parent)),
                children => Value::from(Serde(children)),
                burn_up => Value::from_safe_string(chart::burn_up(goal, today.today)),
            },
            PageData::Review { review, to_journal } => context! {
                review => Value::from(Serde(review)),
                to_journal,
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
}

pub struct Renderer {
    env: Environment<'static>,
    /// A hash of the templates (the embedded ones, every file in the overrides folder)
    /// and of trailmark's version, part of every page's fingerprint.
    templates: u64,
}

/// How many instructions one rendering of a template may run (minijinja's "fuel"), so that
/// a journal's own template with a loop that never ends (`{% for a in range(100000) %}{%
/// for b in range(100000) %}`) fails instead of running for hours. The embedded templates
/// take about 140 a goal on the index page, the biggest: 1.4 million for 10,000 goals,
/// 4.6 million for 40,000 goals; a yearly review of a journal of 100,000 files takes 0.4
/// million. This budget lets the index show about 700,000 goals, and stops a runaway loop
/// within a few seconds.
const TEMPLATE_FUEL: u64 = 100_000_000;

/// A template environment as every template of trailmark's has it: a misspelled variable
/// is an error, not a blank, and a block tag on a line of its own leaves no blank line
/// (markdown stays tidy). `keep_trailing_newline` ends the output with a newline when the
/// template ends with one.
pub(crate) fn template_environment(keep_trailing_newline: bool) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(TEMPLATE_FUEL));
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(keep_trailing_newline)
            .build()
            .expect("the default delimiters with trimmed blocks are a valid syntax"),
    );
    env
}

impl Renderer {
    /// A renderer that prefers templates in `overrides` (the journal's `templates/` folder)
    /// to the embedded ones.
    pub fn new(overrides: Option<PathBuf>) -> Renderer {
        let mut env = template_environment(false);
        let templates = templates_fingerprint(overrides.as_deref());
        env.set_loader(move |name| load_template(overrides.as_deref(), name));
        env.add_filter("percent", percent);
        env.add_filter("bar", text_bar);
        env.add_filter("md_cell", markdown_cell);
        env.add_filter("rich_text", rich_text);
        env.add_filter("open_by_priority", open_by_priority);
        env.add_filter("number", number);
        env.add_filter("report_name", |id: &str| report_file_stem(id));
        env.add_filter("sparkline", |values: Vec<f64>| chart::sparkline(&values));
        env.add_filter("signed_percent", signed_percent);
        env.add_filter("path_url", path_url);
        env.add_filter("days_between", |from: &str, to: &str| {
            match (Date::parse(from), Date::parse(to)) {
                (Ok(from), Ok(to)) => Ok(from.days_until(to)),
                _ => Err(minijinja::Error::new(
                    minijinja::ErrorKind::InvalidOperation,
                    "days_between takes two YYYY-MM-DD dates",
                )),
            }
        });
        Renderer { env, templates }
    }

    /// Every page of a journal's reports: the index, the JSON report, the deadlines
    /// calendar, one page per goal, one per review and the list of reviews. `reviews` come newest first. `to_journal` is the link from
    /// the output folder to the journal folder (`../`).
    pub fn pages<'a>(
        &self,
        report: &'a Arc<Report>,
        reviews: &'a [Review<'a>],
        to_journal: &str,
    ) -> Vec<Page<'a>> {
        let by_id: HashMap<&str, &GoalReport> =
            report.goals.iter().map(|g| (g.id.as_str(), g)).collect();
        let today = Today {
            today: report.today,
        };
        let mut pages = Vec::with_capacity(3 + report.goals.len() + reviews.len());
        pages.push(Page {
            template: "index",
            path: "index".to_string(),
            data: PageData::Index(Arc::clone(report)),
            fingerprint: 0,
        });
        pages.push(Page {
            // No template: the name is the file's, and only tells the fingerprints apart.
            template: "trailmark",
            path: "trailmark".to_string(),
            data: PageData::Json(report),
            fingerprint: 0,
        });
        pages.push(Page {
            // No template either (see `calendar` for why).
            template: "deadlines",
            path: "deadlines".to_string(),
            data: PageData::Calendar {
                today: report.today,
                events: calendar::events(report),
            },
            fingerprint: 0,
        });
        for goal in &report.goals {
            pages.push(Page {
                template: "goal",
                path: format!("goals/{}", report_file_stem(&goal.id)),
                data: PageData::Goal {
                    today,
                    goal,
                    parent: goal.parent.as_deref().and_then(|id| by_id.get(id).copied()),
                    children: goal
                        .children
                        .iter()
                        .filter_map(|id| by_id.get(id.as_str()).copied())
                        .collect(),
                },
                fingerprint: 0,
            });
        }
        for review in reviews {
            pages.push(Page {
                template: "review",
                path: format!("reviews/{}", review.label),
                // Review pages sit one folder down.
                data: PageData::Review {
                    review,
                    to_journal: format!("../{to_journal}"),
                },
                fingerprint: 0,
            });
        }
        pages.push(Page {
            template: "reviews",
            path: "reviews/index".to_string(),
            data: PageData::Reviews {
                today,
                reviews: reviews.iter().map(ReviewLink::of).collect(),
                unknown_done: report.goals.iter().map(|g| g.unknown_done).sum(),
            },
            fingerprint: 0,
        });
        self.fingerprint_all(&mut pages, report);
        pages
    }

    /// Fingerprints every page, on every core. A goal is serialized once, not again for
    /// each page that shows it as a parent or child.
    fn fingerprint_all(&self, pages: &mut [Page], report: &Report) {
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
        pages.par_iter_mut().for_each(|page| {
            let data = match &page.data {
                PageData::Index(_) | PageData::Json(_) => report_hash,
                PageData::Calendar { today, events } => data_hash(&(today, events)),
                PageData::Goal {
                    today,
                    goal,
                    parent,
                    children,
                } => data_hash(&(
                    today,
                    goal_hash(goal),
                    parent.map(goal_hash),
                    children
                        .iter()
                        .map(|child| goal_hash(child))
                        .collect::<Vec<u64>>(),
                )),
                PageData::Review { review, to_journal } => data_hash(&(review, to_journal)),
                PageData::Reviews {
                    today,
                    reviews,
                    unknown_done,
                } => data_hash(&(today, reviews, unknown_done)),
            };
            let mut hasher = Xxh3Default::new();
            (self.templates, page.template, &page.path, data).hash(&mut hasher);
            page.fingerprint = hasher.finish();
        });
    }

    /// A page in one of its formats.
    pub fn render_page(&self, page: &Page, format: &str) -> Result<String, Error> {
        match page.data {
            PageData::Json(report) => Ok(report.to_json()),
            PageData::Calendar { today, ref events } => Ok(calendar::render(events, today)),
            _ => self.render(&format!("{}.{format}", page.template), page.context()),
        }
    }

    /// One review on its own, as `trailmark review` prints it (`format` is `html` or `md`),
    /// with entries linked through `to_journal`.
    pub fn render_review(
        &self,
        review: &Review,
        format: &str,
        to_journal: &str,
    ) -> Result<String, Error> {
        let page = Page {
            template: "review",
            path: format!("reviews/{}", review.label),
            data: PageData::Review {
                review,
                to_journal: to_journal.to_string(),
            },
            // Printed, not written: no fingerprint is needed.
            fingerprint: 0,
        };
        self.render_page(&page, format)
    }

    fn render(&self, name: &str, ctx: minijinja::Value) -> Result<String, Error> {
        let template_error = |error: minijinja::Error| Error::Template {
            name: name.to_string(),
            message: describe(&error),
        };
        let template = self.env.get_template(name).map_err(template_error)?;
        template.render(ctx).map_err(template_error)
    }
}

/// minijinja's error with the template line and the chain of causes.
/// A template error with its causes, for a person.
pub(crate) fn describe(error: &minijinja::Error) -> String {
    let mut message = error.to_string();
    if error.kind() == minijinja::ErrorKind::OutOfFuel {
        message = format!(
            "stopped after {TEMPLATE_FUEL} steps without finishing ({message}); a loop in \
             the template runs too long or never ends"
        );
    }
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    message
}

fn templates_fingerprint(overrides: Option<&Path>) -> u64 {
    let mut hasher = Xxh3Default::new();
    env!("CARGO_PKG_VERSION").hash(&mut hasher);
    EMBEDDED_TEMPLATES.hash(&mut hasher);
    let mut files: Vec<(std::ffi::OsString, Vec<u8>)> = overrides
        .and_then(|folder| std::fs::read_dir(folder).ok())
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|entry| {
            // A file that cannot be read counts as empty: it fails the build only if a
            // template loads it, and then with its reason.
            (
                entry.file_name(),
                fsread::read(&entry.path(), fsread::MAX_FILE_BYTES).unwrap_or_default(),
            )
        })
        .collect();
    files.sort();
    files.hash(&mut hasher);
    hasher.finish()
}

/// The template `name`: the file of that name in `overrides` when there is one, read by
/// the rules of every file trailmark reads ([`crate::fsread`]: a link, a FIFO or a huge
/// file is an error naming it, never a file from elsewhere), else the embedded one.
fn load_template(overrides: Option<&Path>, name: &str) -> Result<Option<String>, minijinja::Error> {
    if let Some(folder) = overrides {
        // Names come from our own code and from `{% extends %}`/`{% include %}` in user
        // templates; only plain file names inside the folder are looked up.
        let plain = !name.is_empty() && !name.contains(['/', '\\']) && !name.starts_with('.');
        let path = folder.join(name);
        if plain {
            match fsread::read_to_string(&path, fsread::MAX_FILE_BYTES) {
                Ok(text) => return Ok(Some(text)),
                Err(refused) if refused.is_not_found() => {}
                Err(refused) => {
                    return Err(minijinja::Error::new(
                        minijinja::ErrorKind::InvalidOperation,
                        format!("{}: {refused}", path.display()),
                    ));
                }
            }
        }
    }
    Ok(EMBEDDED_TEMPLATES
        .iter()
        .find(|(embedded, _)| *embedded == name)
        .map(|(_, text)| text.to_string()))
}

/// A goal's report file name without extension. Ids are already `a-z0-9-`; names that
/// Windows reserves for devices get a `_`, and ids longer than [`MAX_STEM`] are cut and
/// get a `_` and a hash of the whole id. No id contains `_`, so neither collides with
/// another goal's name.
pub fn report_file_stem(id: &str) -> String {
    const RESERVED: [&str; 4] = ["con", "prn", "aux", "nul"];
    let device = RESERVED.contains(&id)
        || ((id.starts_with("com") || id.starts_with("lpt"))
            && id.len() == 4
            && id.as_bytes()[3].is_ascii_digit());
    if device {
        format!("{id}_")
    } else if id.len() > MAX_STEM {
        let kept = id.get(..MAX_STEM - 17).unwrap_or(id).trim_end_matches('-');
        format!("{kept}_{:016x}", crate::hash::content_hash(id.as_bytes()))
    } else {
        id.to_string()
    }
}

/// The longest report file name stem: file systems allow 255 bytes a name, and paths on
/// Windows stay usable when each part is short.
const MAX_STEM: usize = 100;

/// A line of the reviews index.
#[derive(Debug, Serialize)]
struct ReviewLink {
    kind: &'static str,
    label: String,
    title: String,
    in_progress: bool,
    milestones_done: usize,
    entries: usize,
}

impl ReviewLink {
    fn of(review: &Review) -> ReviewLink {
        ReviewLink {
            kind: review.kind.as_str(),
            label: review.label.clone(),
            title: review.title.clone(),
            in_progress: review.in_progress,
            milestones_done: review.milestones_done,
            entries: review.entries.len(),
        }
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
        let all = [
            Status::Overdue,
            Status::AtRisk,
            Status::OnTrack,
            Status::Open,
            Status::Paused,
            Status::Done,
            Status::Dropped,
        ];
        let counts = all
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

/// `0.125` -> `+13%`, `-0.05` -> `-5%`, `0` -> `0%`: a change of progress.
fn signed_percent(value: f64) -> String {
    let points = (value * 100.0).round();
    if points > 0.0 {
        format!("+{points:.0}%")
    } else if points < 0.0 {
        format!("{points:.0}%")
    } else {
        "0%".to_string()
    }
}

/// A relative file path as a URL path: every byte but unreserved ones and `/` is
/// percent-encoded, so names with spaces, `#` or `?` still link to the file.
fn path_url(path: &str) -> String {
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

/// `4.0` -> `4`, `2.5` -> `2.5`, `0.333333` -> `0.33`: metric values as people write them.
fn number(value: f64) -> String {
    let rounded = format!("{value:.2}");
    rounded
        .trim_end_matches('0')
        .trim_end_matches('.')
        .to_string()
}

/// A milestone's or note's text in an HTML report: its markdown rendered and sanitized
/// when it has any, else its plain text (which auto-escaping escapes).
fn rich_text(item: &Value) -> Result<Value, minijinja::Error> {
    let markdown = item.get_attr("markdown")?;
    match markdown.as_str() {
        Some(markdown) => Ok(Value::from_safe_string(markup::inline_html(markdown))),
        None => item.get_attr("text"),
    }
}

/// The open leaf milestones of a list, the most urgent first: by `priority_rank`, where a
/// milestone without a priority ranks between medium and low (as Obsidian Tasks sorts),
/// and in the order written within a priority.
fn open_by_priority(milestones: Vec<Value>) -> Vec<Value> {
    let attr = |m: &Value, name: &str| m.get_attr(name).unwrap_or_default();
    let mut open: Vec<Value> = milestones
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
mod tests {
    use super::*;

    #[test]
    fn device_names_get_a_suffix() {
        assert_eq!(report_file_stem("con"), "con_");
        assert_eq!(report_file_stem("com1"), "com1_");
        assert_eq!(report_file_stem("lpt9"), "lpt9_");
        assert_eq!(report_file_stem("console"), "console");
        assert_eq!(report_file_stem("learn-sql"), "learn-sql");
        let long_a = format!("{}-a", "x".repeat(300));
        let long_b = format!("{}-b", "x".repeat(300));
        let (stem_a, stem_b) = (report_file_stem(&long_a), report_file_stem(&long_b));
        assert_eq!(stem_a.len(), 100);
        assert_ne!(
            stem_a, stem_b,
            "ids alike in their first 100 bytes keep apart"
        );
        assert!(stem_a.starts_with(&"x".repeat(83)) && stem_a.contains('_'));
        assert_eq!(report_file_stem(&"y".repeat(100)), "y".repeat(100));
    }

    #[test]
    fn numbers_drop_needless_decimals() {
        assert_eq!(number(4.0), "4");
        assert_eq!(number(2.5), "2.5");
        assert_eq!(number(1.0 / 3.0), "0.33");
        assert_eq!(number(-10.0), "-10");
        assert_eq!(number(100.0), "100");
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

    #[test]
    fn markdown_cells_cannot_break_tables() {
        assert_eq!(markdown_cell("a|b\nc"), "a\\|b c");
    }

    #[test]
    fn overrides_take_plain_names_only() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.md"), "custom").unwrap();
        let load = |name| load_template(Some(dir.path()), name).unwrap();
        assert_eq!(load("index.md").as_deref(), Some("custom"));
        assert!(load("goal.md").unwrap().contains("{{"));
        assert_eq!(load("../index.md"), None);
        assert_eq!(load("missing.html"), None);
    }
}
