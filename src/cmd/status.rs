//! `trailmark status`: every goal's progress and status, as a table or as JSON.

use super::JournalOptions;
use crate::error::Error;
use crate::term;

pub(crate) fn run(journal: &JournalOptions, json: bool) -> Result<(), Error> {
    let report = journal.open()?.analyse(journal.today());
    if json {
        // Straight to stdout: JSON has no colors for anstream to strip, and is large.
        term::print_plain(&report.to_json())
    } else {
        term::print(&term::status::status_table(
            &journal.dir,
            &report,
            term::terminal_width(),
        ))
    }
}
