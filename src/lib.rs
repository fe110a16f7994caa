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
pub mod config;
pub mod dates;
pub mod diagnostic;
pub mod discover;
pub mod document;
pub mod editor;
pub mod error;
pub(crate) mod fsread;
pub mod git;
pub mod manual;
pub mod model;
pub mod progress;
#[cfg(test)]
mod properties;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod slug;
pub mod terminal;
pub(crate) mod visible;
pub mod watch;
pub mod workspace;
pub mod write;

use std::path::Path;

use crate::error::Error;
use crate::workspace::Workspace;

/// The default output folder, inside the journal.
pub const DEFAULT_OUTPUT_FOLDER: &str = "_reports";

/// A workspace of the journal at `root`, with its configuration and every file read once:
/// what every command starts from (`status` analyses it, `build` builds it).
pub fn open(root: &Path, out: Option<&Path>) -> Result<Workspace, Error> {
    let mut workspace = Workspace::open(root, out)?;
    workspace.refresh();
    Ok(workspace)
}
