//! What `watch` and `serve` say: a line a build, stamped with the time, and the lines
//! around the session.

use std::collections::HashSet;
use std::net::IpAddr;
use std::path::Path;

use super::diagnostics::format_diagnostics;
use super::{error_label, problems_note};
use crate::config::CONFIG_FILE;
use crate::dates::Date;
use crate::text::plural;
use crate::visible::visible;
use crate::watch::{Rebuild, WatchEvent};

/// The line (and diagnostics) `watch` prints for `event`; `first` for the first build,
/// which is described in full.
pub(crate) fn event(root: &Path, out: &Path, event: &WatchEvent, first: bool) -> String {
    let clock = Date::clock_now();
    match event {
        WatchEvent::Notice(message) => format!("{clock} note: {message}\n"),
        // Printed on stderr as it happens, by `cmd::watch`, as `build` prints it.
        WatchEvent::Waiting(out) => super::build::waiting_line(out),
        WatchEvent::Failed(error) => format!("{clock} {}: {error}\n", error_label()),
        WatchEvent::Built(rebuild) if first => {
            format!(
                "{clock} built {}: {} written, {} unchanged in {} ({} ms)\n",
                plural(rebuild.report.goals.len(), "goal"),
                plural(rebuild.summary.written.len(), "report"),
                rebuild.summary.unchanged,
                out.display(),
                rebuild.took.as_millis()
            ) + &removal_notes(&clock, rebuild)
                + &problems_note(root, &rebuild.report.diagnostics)
        }
        WatchEvent::Built(rebuild) => {
            let mut line = format!("{clock} {}", what_changed(rebuild));
            line.push_str(&format!(
                " · {} written",
                plural(rebuild.summary.written.len(), "report")
            ));
            if !rebuild.summary.removed.is_empty() {
                line.push_str(&format!(", {} removed", rebuild.summary.removed.len()));
            }
            line.push_str(&format!(" · {} ms\n", rebuild.took.as_millis()));
            line + &removal_notes(&clock, rebuild) + &problems_in_touched_files(root, rebuild)
        }
    }
}

/// A note a line for each old report a rebuild could not remove.
fn removal_notes(clock: &str, rebuild: &Rebuild) -> String {
    rebuild
        .summary
        .warnings
        .iter()
        .map(|warning| format!("{clock} note: {warning}\n"))
        .collect()
}

/// What a rebuild was for: one file by name, a few by name, many by count.
fn what_changed(rebuild: &Rebuild) -> String {
    let files = &rebuild.files;
    let count = files.added.len() + files.changed.len() + files.removed.len();
    let verb = if !files.added.is_empty() && count == files.added.len() {
        "added"
    } else if !files.removed.is_empty() && count == files.removed.len() {
        "removed"
    } else {
        "changed"
    };
    let names: Vec<String> = files
        .touched()
        .map(|name| visible(name).into_owned())
        .collect();
    let mut what = match count {
        0 if rebuild.config_changed => format!("{CONFIG_FILE} changed"),
        0 if rebuild.templates_changed => "templates changed".to_string(),
        0 => "rebuilt".to_string(),
        1 => format!("{} {verb}", names[0]),
        2 | 3 => format!("{} {verb}", names.join(", ")),
        _ => format!("{count} files {verb}: {}, …", names[..2].join(", ")),
    };
    if count > 0 && rebuild.templates_changed {
        what.push_str(", templates changed");
    }
    if count > 0 && rebuild.config_changed {
        what.push_str(&format!(", {CONFIG_FILE} changed"));
    }
    what
}

/// The diagnostics of the files a rebuild read again.
fn problems_in_touched_files(root: &Path, rebuild: &Rebuild) -> String {
    let touched: HashSet<&str> = rebuild.files.touched().collect();
    let shown: Vec<_> = rebuild
        .report
        .diagnostics
        .iter()
        .filter(|d| touched.contains(d.file.as_str()))
        .cloned()
        .collect();
    format_diagnostics(root, &shown)
}

/// Where `serve` serves the reports, and a warning when that is beyond this machine.
pub(crate) fn serving(out: &Path, url: &str, bind: IpAddr) -> String {
    let mut text = format!("serving {} at {url}\n", out.display());
    if !bind.is_loopback() {
        text.push_str(&format!(
            "note: listening on {bind}, so anyone who can reach this machine can read the reports\n"
        ));
    }
    text
}

/// After the first build: how to stop.
pub(crate) fn watching(dir: &Path) -> String {
    format!(
        "watching {} for changes; press Ctrl-C to stop\n",
        dir.display()
    )
}

pub(crate) fn no_browser(error: &std::io::Error) -> String {
    format!("could not open a browser: {error}\n")
}

pub(crate) const STOPPED: &str = "stopped\n";
