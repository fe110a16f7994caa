//! trailmark reads a folder of markdown goals and journal entries, computes progress and
//! status, and writes reports.
//!
//! The pipeline runs one way, one module a stage:
//! `discover` finds the files → `document` reads and parses each → `model` builds the
//! journal (goals, milestones, entries, links) → `analyse` computes progress and status →
//! `plan` lists the reports and their data → `render` fills the templates → `write`
//! writes what changed, atomically.
//! The front-end: `cli` parses the arguments and runs a command of `cmd`, which calls
//! these and prints through `term`. docs/ARCHITECTURE.md has the whole map.

pub(crate) mod analyse;
pub(crate) mod check;
pub(crate) mod cli;
pub(crate) mod cmd;
pub(crate) mod config;
pub(crate) mod dates;
pub(crate) mod diagnostic;
pub(crate) mod discover;
pub(crate) mod document;
pub(crate) mod editor;
pub(crate) mod error;
pub(crate) mod fsread;
#[doc(hidden)]
pub mod fuzzing;
pub(crate) mod git;
pub(crate) mod hash;
#[cfg(test)]
mod layout;
pub(crate) mod lsp;
pub(crate) mod model;
pub(crate) mod paths;
pub(crate) mod plan;
#[cfg(test)]
mod properties;
pub(crate) mod render;
pub(crate) mod scaffold;
pub(crate) mod serve;
pub(crate) mod share;
pub(crate) mod shared_bytes;
pub(crate) mod shared_text;
pub(crate) mod slug;
pub(crate) mod small_list;
pub(crate) mod term;
#[cfg(test)]
mod testing;
pub(crate) mod text;
pub(crate) mod visible;
pub(crate) mod watch;
pub(crate) mod workspace;
pub(crate) mod write;

/// The command line: parses the arguments, runs the command, and says how it went.
pub fn run() -> std::process::ExitCode {
    cli::main()
}
