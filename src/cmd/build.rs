//! `trailmark build`: writes the reports, with a progress bar when it takes a while.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::JournalOptions;
use crate::analyse::Report;
use crate::error::Error;
use crate::term::progress::{BuildProgress, DELAY};
use crate::term::{self, Verbosity};
use crate::write::WriteSummary;

pub(crate) fn run(journal: &JournalOptions, verbosity: Verbosity) -> Result<(), Error> {
    let started = Instant::now();
    let progress = (verbosity != Verbosity::Quiet).then(|| BuildProgress::start(DELAY));
    let built = build_with_progress(journal, progress.as_ref());
    if let Some(progress) = progress {
        progress.finish();
    }
    let Built {
        report,
        summary,
        files,
        read,
        out,
    } = built?;
    if verbosity == Verbosity::Quiet {
        return Ok(());
    }
    for warning in &summary.warnings {
        term::print_warning(warning);
    }
    let mut text = term::build::built(&journal.dir, &report, &summary, &out);
    if verbosity == Verbosity::Verbose {
        text.push_str(&term::build::written_list(
            &summary.written,
            &summary.removed,
        ));
        text.push_str(&term::build::timings(files, read, started.elapsed() - read));
    }
    term::print(&text)
}

/// What `build` did, for its summary.
struct Built {
    report: Report,
    summary: WriteSummary,
    /// How many journal files were read, and how long that took.
    files: usize,
    read: Duration,
    /// The output folder written to.
    out: PathBuf,
}

fn build_with_progress(
    journal: &JournalOptions,
    progress: Option<&BuildProgress>,
) -> Result<Built, Error> {
    let started = Instant::now();
    let mut workspace = journal.open()?;
    let read = started.elapsed();
    if let Some(progress) = progress {
        progress.building();
    }
    let (report, summary) = workspace.build_with_progress(
        journal.today(),
        &mut term::build::waiting,
        &|done, total| {
            if let Some(progress) = progress {
                progress.reports(done, total);
            }
        },
    )?;
    Ok(Built {
        report,
        summary,
        files: workspace.journal().documents.len(),
        read,
        out: workspace.out().to_path_buf(),
    })
}
