//! `trailmark watch`, and `serve`'s watch: builds, then builds again on every change until
//! Ctrl-C.

use super::JournalOptions;
use super::serve::{ServeOptions, start_server};
use crate::error::Error;
use crate::term::{self, Verbosity};
use crate::watch::{Watch, WatchEvent, WatchOptions};
use crate::write;

/// Watches the journal, and serves its reports too when `serving` says where.
pub(crate) fn run(
    journal: &JournalOptions,
    watching: WatchOptions,
    serving: Option<ServeOptions>,
    verbosity: Verbosity,
) -> Result<(), Error> {
    let dir = &journal.dir;
    let workspace = journal.open_unread()?;
    let out = workspace.out().to_path_buf();
    write::check_output_folder(dir, &out)?;
    let watch = Watch::new(workspace, watching);
    let stopper = watch.stopper();
    let server = match serving {
        Some(options) => Some(start_server(&out, options, stopper.clone())?),
        None => None,
    };
    let mut browser_pending = serving.is_some_and(|options| options.open_browser);
    // SIGINT and SIGTERM stop the watch between builds, so no write is cut short.
    ctrlc::set_handler(move || stopper.stop())
        .map_err(|error| Error::journal(dir, format!("cannot handle Ctrl-C: {error}")))?;
    let mut first = true;
    watch.run(|event| {
        if let WatchEvent::Waiting(out) = &event {
            term::build::waiting(out);
            return;
        }
        if let (WatchEvent::Built(rebuild), Some(server)) = (&event, &server) {
            server.publish(rebuild.changed_reports());
        }
        // Quiet: only failed builds, which are errors.
        if verbosity != Verbosity::Quiet || matches!(event, WatchEvent::Failed(_)) {
            let _ = term::print(&term::watch::event(dir, &out, &event, first));
        }
        if let (WatchEvent::Built(rebuild), Verbosity::Verbose) = (&event, verbosity) {
            let _ = term::print(&term::build::written_list(
                &rebuild.summary.written,
                &rebuild.summary.removed,
            ));
        }
        if first && matches!(event, WatchEvent::Built(_) | WatchEvent::Failed(_)) {
            first = false;
            if verbosity != Verbosity::Quiet {
                let _ = term::print(&term::watch::watching(dir));
            }
            if let (Some(server), true) = (&server, browser_pending) {
                browser_pending = false;
                if let Err(error) = crate::serve::open_in_browser(&server.url()) {
                    let _ = term::print(&term::watch::no_browser(&error));
                }
            }
        }
    })?;
    if verbosity != Verbosity::Quiet {
        term::print(term::watch::STOPPED)?;
    }
    Ok(())
}
