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
pub mod model;
pub mod render;
pub mod slug;
pub mod terminal;
pub mod write;

use std::path::Path;

use crate::analyse::Report;
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
    Ok(analyse::analyse(&load(root, out)?, today))
}

/// Builds every report of the journal at `root` into `out`.
pub fn build(root: &Path, out: &Path, today: Date) -> Result<(Report, WriteSummary), Error> {
    write::check_output_folder(root, out)?;
    let report = report(root, out, today)?;
    let renderer = render::Renderer::new(Some(root.join(discover::TEMPLATES_FOLDER)));
    let outputs = renderer.render_all(&report)?;
    let summary = write::write_outputs(out, &outputs)?;
    Ok((report, summary))
}
