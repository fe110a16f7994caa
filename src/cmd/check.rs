//! `trailmark check`: every problem in the journal, and hints for SMART goals.

use super::JournalOptions;
use crate::check::{fails_check, smart_hints};
use crate::error::Error;
use crate::term::diagnostics::{format_check, format_diagnostics, format_loose_milestones};
use crate::term::{self, Verbosity};

/// Prints the journal's problems and says whether they fail the check: errors do, and
/// warnings too when `strict`.
pub(crate) fn run(
    journal: &JournalOptions,
    strict: bool,
    verbosity: Verbosity,
) -> Result<bool, Error> {
    let mut workspace = journal.open()?;
    let report = workspace.analyse(journal.today());
    let text = match verbosity {
        // Quiet: only the problems that make `check` fail.
        Verbosity::Quiet => {
            let failing: Vec<_> = report
                .diagnostics
                .iter()
                .filter(|d| fails_check(d.severity, strict))
                .cloned()
                .collect();
            format_diagnostics(&journal.dir, &failing)
        }
        Verbosity::Normal | Verbosity::Verbose => {
            let mut text = String::new();
            if verbosity == Verbosity::Verbose {
                let shown_root = term::from_current_folder(&journal.dir);
                for document in &workspace.journal().documents {
                    let path = shown_root.join(&*document.path);
                    text.push_str(&format!("read {}\n", path.display()));
                }
                text.push_str(&format_loose_milestones(&journal.dir, workspace.journal()));
            }
            let hints = smart_hints(&report);
            text + &format_check(&journal.dir, &report.diagnostics, &hints)
        }
    };
    term::print(&text)?;
    Ok(report
        .diagnostics
        .iter()
        .any(|d| fails_check(d.severity, strict)))
}
