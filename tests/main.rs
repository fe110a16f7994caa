//! The integration tests: the real binary on journals in temporary folders. One test
//! binary, a module an area (each file's header says what it covers), so that the crate
//! is linked once; `tests/common` holds what they share.

mod bad_journals;
mod browser;
mod cache;
mod calendar;
mod cli;
mod command_line;
mod common;
mod config;
// The generator of `cargo run --example gen-journal`, for a browser test on a large journal.
#[path = "../examples/gen-journal/journal.rs"]
mod gen_journal;
mod history;
mod index_and_goal_pages;
mod init;
mod limits;
mod lsp;
mod lsp_edit;
mod neovim;
mod reviews;
mod safety;
mod saved_status;
mod serve;
mod sharing;
mod snapshots;
mod status_model;
mod vault;
mod watch;
