//! trailmark reads a folder of markdown goals and journal entries, computes progress and
//! status, and writes reports.
//!
//! The pipeline runs one way, one module a stage:
//! [`discover`] finds the files → [`document`] reads and parses each → [`model`] builds the
//! journal (goals, milestones, entries, links) → [`analyse`] computes progress and status →
//! [`render`] fills the templates → [`write`] writes what changed, atomically.
//! [`check`] and [`terminal`] present the same results on a terminal; [`cli`] only parses
//! arguments and calls these.

pub mod analyse;
pub mod check;
pub mod cli;
pub mod dates;
pub mod diagnostic;
pub mod discover;
pub mod document;
pub mod error;
pub mod git;
pub mod model;
pub mod render;
pub mod slug;
pub mod terminal;
pub mod write;

use std::path::Path;

use crate::analyse::Report;
use crate::analyse::period::{Period, PeriodKind};
use crate::analyse::review::{Review, Reviewer};
use crate::dates::Date;
use crate::error::Error;
use crate::write::WriteSummary;

/// The default output folder, inside the journal.
pub const DEFAULT_OUTPUT_FOLDER: &str = "_reports";

/// Finds, reads and links the journal at `root`, leaving out the output folder `out`.
pub fn load(root: &Path, out: &Path) -> Result<model::Journal, Error> {
    let metadata =
        std::fs::metadata(root).map_err(|error| Error::journal(root, error.to_string()))?;
    if !metadata.is_dir() {
        return Err(Error::journal(root, "is not a folder"));
    }
    let root = write::resolve(root);
    let found = discover::find_files(&root, &write::resolve(out));
    let documents = found
        .files
        .iter()
        .map(|path| document::load(&root, path))
        .collect();
    let mut journal = model::build(documents);
    journal.diagnostics.extend(found.diagnostics);
    Ok(journal)
}

/// Loads the journal and analyses it as of `today`.
pub fn report(root: &Path, out: &Path, today: Date) -> Result<Report, Error> {
    Ok(load_and_analyse(root, out, today)?.2)
}

/// The journal, its history and its report as of `today`.
fn load_and_analyse(
    root: &Path,
    out: &Path,
    today: Date,
) -> Result<(model::Journal, git::History, Report), Error> {
    let journal = load(root, out)?;
    let history = history(&journal, root, out);
    let report = analyse::analyse(&journal, &history, today);
    Ok((journal, history, report))
}

/// Builds every report of the journal at `root` into `out`: goals, and a review of every
/// week, month, quarter and year with activity.
pub fn build(root: &Path, out: &Path, today: Date) -> Result<(Report, WriteSummary), Error> {
    write::check_output_folder(root, out)?;
    let (journal, history, report) = load_and_analyse(root, out, today)?;
    let reviews = all_reviews(&journal, &report);
    let renderer = render::Renderer::new(Some(root.join(discover::TEMPLATES_FOLDER)));
    let to_journal = write::relative_link(out, root);
    let mut outputs = renderer.render_all(&report, &reviews, &to_journal)?;
    if let Some(cache) = history.to_cache() {
        outputs.push(render::Output {
            path: git::CACHE_FILE.to_string(),
            content: cache,
        });
    }
    let summary = write::write_outputs(out, &outputs)?;
    Ok((report, summary))
}

/// The review of one period, with the report it was drawn from.
pub fn review(
    root: &Path,
    out: &Path,
    period: Period,
    today: Date,
) -> Result<(Report, Review), Error> {
    let (journal, _, report) = load_and_analyse(root, out, today)?;
    let review = Reviewer::new(&journal, &report).review(period);
    Ok((report, review))
}

/// Reviews of every period with activity, newest first within each kind, each linked to
/// the one before and after it.
fn all_reviews(journal: &model::Journal, report: &Report) -> Vec<Review> {
    let reviewer = Reviewer::new(journal, report);
    let mut reviews = Vec::new();
    for kind in PeriodKind::ALL {
        let periods = reviewer.active_periods(kind);
        for (index, period) in periods.iter().enumerate() {
            let mut review = reviewer.review(*period);
            review.next = index.checked_sub(1).map(|newer| periods[newer].to_string());
            review.previous = periods.get(index + 1).map(Period::to_string);
            reviews.push(review);
        }
    }
    reviews
}

/// The git history of the journal, read only when some done milestone needs a date from
/// it, starting from the cache `build` keeps in the output folder.
fn history(journal: &model::Journal, root: &Path, out: &Path) -> git::History {
    if !journal.needs_history() {
        return git::History::default();
    }
    let cache = std::fs::read_to_string(out.join(git::CACHE_FILE)).ok();
    git::read(root, cache.as_deref())
}
