//! `trailmark init`: starts a journal.

use std::path::Path;

use crate::dates::Date;
use crate::error::Error;
use crate::scaffold;
use crate::term::{self, Verbosity};

/// Starts a journal in `dir` with its first entry on `today` (`None`: the clock's).
pub(crate) fn run(dir: &Path, today: Option<Date>, verbosity: Verbosity) -> Result<(), Error> {
    let files = scaffold::init_files(today.unwrap_or_else(Date::today));
    scaffold::create_all(dir, &files)?;
    if verbosity != Verbosity::Quiet {
        term::print(&term::init::started(dir, &files))?;
    }
    Ok(())
}
