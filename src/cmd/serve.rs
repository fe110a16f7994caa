//! What `trailmark serve` adds to `watch`: a server of the reports, and a browser opened
//! on them.

use std::net::IpAddr;
use std::path::Path;

use crate::error::Error;
use crate::serve::Server;
use crate::term;
use crate::watch::Stopper;

/// The port `serve` listens on unless told otherwise.
pub(crate) const DEFAULT_PORT: u16 = 4747;

/// Where `serve` listens, and whether it opens a browser.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ServeOptions {
    pub(crate) bind: IpAddr,
    /// 0 picks a free port.
    pub(crate) port: u16,
    pub(crate) open_browser: bool,
}

/// Starts serving `out` and says where. A server that fails later stops the watch that
/// `stopper` stops.
pub(crate) fn start_server(
    out: &Path,
    options: ServeOptions,
    stopper: Stopper,
) -> Result<Server, Error> {
    let ServeOptions { bind, port, .. } = options;
    // A server that cannot go on stops the watch, which ends the process with its error.
    let on_failure = {
        let stopper = stopper.clone();
        move |error| stopper.fail(error)
    };
    let server = match Server::start(out, bind, port, on_failure) {
        // The default port may be taken, by another serve for example: any port will do.
        Err(_) if port == DEFAULT_PORT => {
            Server::start(out, bind, 0, move |error| stopper.fail(error))?
        }
        other => other?,
    };
    term::print(&term::watch::serving(out, &server.url(), bind))?;
    Ok(server)
}
