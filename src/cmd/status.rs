//! `trailmark status`: every goal's progress and status, as a table or as JSON.

use super::JournalOptions;
use crate::error::Error;
use crate::term;
use crate::workspace::Workspace;

pub(crate) fn run(journal: &JournalOptions, json: bool) -> Result<(), Error> {
    let today = journal.today();
    let mut workspace = Workspace::open(&journal.dir, journal.out.as_deref())?;
    let walked = if json && journal.cache.read {
        match workspace.saved_status(today) {
            // The last build's `trailmark.json`, made from the same files for the same day.
            Ok(saved) => return term::print_file(saved),
            Err(walked) => Some(walked),
        }
    } else {
        None
    };
    journal.start_from_cache(&mut workspace);
    match walked {
        Some(walked) => workspace.refresh_walked(walked),
        None => workspace.refresh(),
    };
    let report = workspace.analyse(today);
    let printed = if json {
        // Straight to stdout: JSON has no colors for anstream to strip, and is large.
        term::print_streamed(|stdout| workspace.write_json(&report, today, stdout))
    } else {
        term::print(&term::status::status_table(
            &journal.dir,
            &report,
            term::terminal_width(),
        ))
    };
    super::leave_to_exit(workspace);
    super::leave_to_exit(report);
    printed
}
