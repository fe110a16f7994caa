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
pub mod editor;
pub mod error;
pub mod git;
pub mod manual;
pub mod model;
pub mod progress;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod slug;
pub mod terminal;
pub mod watch;
pub mod workspace;
pub mod write;

use std::path::Path;

use crate::analyse::Report;
use crate::analyse::period::Period;
use crate::analyse::review::Review;
use crate::dates::Date;
use crate::error::Error;
use crate::workspace::Workspace;
use crate::write::WriteSummary;

/// The default output folder, inside the journal.
pub const DEFAULT_OUTPUT_FOLDER: &str = "_reports";

/// Finds, reads and links the journal at `root`, leaving out the output folder `out`.
pub fn load(root: &Path, out: &Path) -> Result<model::Journal, Error> {
    Ok(loaded(root, out)?.into_journal())
}

/// Loads the journal and analyses it as of `today`.
pub fn report(root: &Path, out: &Path, today: Date) -> Result<Report, Error> {
    Ok(loaded(root, out)?.analyse(today))
}

/// Builds every report of the journal at `root` into `out`: goals, and a review of every
/// week, month, quarter and year with activity.
pub fn build(root: &Path, out: &Path, today: Date) -> Result<(Report, WriteSummary), Error> {
    loaded(root, out)?.build(today)
}

/// The review of one period, with the report it was drawn from.
pub fn review(
    root: &Path,
    out: &Path,
    period: Period,
    today: Date,
) -> Result<(Report, Review), Error> {
    Ok(loaded(root, out)?.review(period, today))
}

/// A workspace of the journal at `root`, with every file read once.
fn loaded(root: &Path, out: &Path) -> Result<Workspace, Error> {
    let mut workspace = Workspace::open(root, out)?;
    workspace.refresh();
    Ok(workspace)
}
