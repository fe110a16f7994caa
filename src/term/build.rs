//! What `build` says when it is done, and the parts of it `watch` says too.

use std::path::Path;
use std::time::Duration;

use crate::analyse::Report;
use crate::text::plural;
use crate::write::WriteSummary;

/// `build`'s summary: goals, reports written, unchanged and removed, and where; then how
/// many problems the journal has.
pub(crate) fn built(root: &Path, report: &Report, summary: &WriteSummary, out: &Path) -> String {
    let mut line = format!(
        "{}: {} reports written, {} unchanged",
        plural(report.goals.len(), "goal"),
        summary.written.len(),
        summary.unchanged
    );
    if !summary.removed.is_empty() {
        line.push_str(&format!(", {} removed", summary.removed.len()));
    }
    line.push_str(&format!(" in {}\n", out.display()));
    line + &super::problems_note(root, &report.diagnostics)
}

/// Says that a build waits for another trailmark writing to `out`, on stderr, even with
/// `--quiet`: a command that seems to hang would be worse.
pub(crate) fn waiting(out: &Path) {
    use std::io::Write as _;
    let _ = write!(anstream::stderr(), "{}", waiting_line(out));
}

/// The line of [`waiting`].
pub(crate) fn waiting_line(out: &Path) -> String {
    format!(
        "waiting for another trailmark writing {} to finish...\n",
        out.display()
    )
}

/// One line a report written or removed, for `--verbose`.
pub(crate) fn written_list(written: &[String], removed: &[String]) -> String {
    let mut list = String::new();
    for path in written {
        list.push_str(&format!("  wrote {path}\n"));
    }
    for path in removed {
        list.push_str(&format!("  removed {path}\n"));
    }
    list
}

/// How long reading the journal's `files` took, and the rest of the build, for
/// `--verbose`.
pub(crate) fn timings(files: usize, read: Duration, rest: Duration) -> String {
    format!(
        "read {} in {} ms; analysed, rendered and wrote in {} ms\n",
        plural(files, "file"),
        read.as_millis(),
        rest.as_millis()
    )
}
