//! trailmark reads a folder of markdown goals and journal entries, computes progress and
//! status, and writes reports.
//!
//! The pipeline runs one way, one module a stage:
//! [`discover`] finds the files → [`document`] reads and parses each → [`model`] builds the
//! journal (goals, milestones, entries, links) → [`analyse`] computes progress and status →
//! [`render`] fills the templates → [`write`] writes what changed, atomically.

pub mod analyse;
pub mod dates;
pub mod diagnostic;
pub mod discover;
pub mod document;
pub mod error;
pub mod model;
pub mod slug;
