//! `trailmark review`: the review of one week, month, quarter or year.

use super::JournalOptions;
use crate::analyse::period::PeriodKind;
use crate::dates::Date;
use crate::error::Error;
use crate::plan::Format;
use crate::term;
use crate::visible::visible;

/// Prints the review of the period of `kind` that contains `date` (else the last complete
/// one), in `format`: markdown, HTML or JSON.
pub(crate) fn run(
    journal: &JournalOptions,
    kind: PeriodKind,
    date: Option<Date>,
    format: Format,
) -> Result<(), Error> {
    let mut text = journal
        .open()?
        .review(kind, date, journal.today(), format)?;
    // Like any text a command prints: the shell's prompt starts on a line of its own,
    // and `> review.html` makes a text file, whatever the template ends with.
    if !text.ends_with('\n') {
        text.push('\n');
    }
    // A review is meant for a terminal as much as for a file: journal text in it never
    // sends a control sequence (JSON escapes them already).
    term::print(&visible(&text))
}
