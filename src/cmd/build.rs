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
        super::leave_to_exit(report);
        return Ok(());
    }
    for warning in &summary.warnings {
        term::print_warning(warning);
    }
    let mut text = term::build::built(&journal.dir, &report, &summary, &out);
    super::leave_to_exit(report);
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
    let built = Built {
        report,
        summary,
        files: workspace.journal().documents.len(),
        read,
        out: workspace.out().to_path_buf(),
    };
    super::leave_to_exit(workspace);
    Ok(built)
}

/// `build --share AUDIENCE --out FOLDER`: only what is shared with the audience, into a
/// folder of its own; with `dry_run`, the list of it and nothing written.
pub(crate) fn run_shared(
    journal: &JournalOptions,
    audience: &str,
    dry_run: bool,
    verbosity: Verbosity,
) -> Result<(), Error> {
    let Some(folder) = &journal.out else {
        return Err(Error::Argument(
            "`--share` needs `--out FOLDER`, a folder of its own for what is shared: the \
             reports' folder holds the whole journal"
                .to_string(),
        ));
    };
    if !is_audience_name(audience) {
        return Err(Error::Argument(format!(
            "`--share {}`: an audience is a name of letters, digits, `-` and `_`, as in \
             `share: [mentor, manager]`",
            crate::visible::visible(audience)
        )));
    }
    // The journal is read as for a normal build (its output folder skipped, its
    // documents cache read), then filtered; `folder` is only written.
    let normal = JournalOptions {
        dir: journal.dir.clone(),
        out: None,
        today: journal.today,
        cache: journal.cache,
    };
    let mut workspace = normal.open()?;
    workspace.share_folder(folder)?;
    let shared = workspace.shared(journal.today(), audience);
    if dry_run {
        let files: Vec<String> = crate::plan::shared_outputs(&shared)
            .pages
            .iter()
            .flat_map(|page| page.formats().iter().map(|&format| page.path(format)))
            .collect();
        return term::print(&term::share::would_publish(&shared, folder, &files));
    }
    let summary = workspace.build_shared(&shared, folder, &mut term::build::waiting)?;
    if verbosity == Verbosity::Quiet {
        return Ok(());
    }
    let mut text = term::share::published(&shared, &summary, folder);
    if verbosity == Verbosity::Verbose {
        text.push_str(&term::build::written_list(
            &summary.written,
            &summary.removed,
        ));
    }
    term::print(&text)
}

/// Whether `name` can be an audience of `share:`: a word, so that no shell or YAML
/// quoting is ever needed.
fn is_audience_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}
