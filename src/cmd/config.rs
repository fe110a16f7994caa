//! `trailmark config`: the effective configuration, as a trailmark.toml.

use std::path::Path;

use crate::config::CONFIG_FILE;
use crate::error::Error;
use crate::term;
use crate::workspace::Workspace;

pub(crate) fn run(dir: &Path) -> Result<(), Error> {
    let workspace = Workspace::open(dir, None)?;
    term::print(&format!(
        "# The configuration of the journal in {}: its {CONFIG_FILE} and the defaults.\n{}",
        dir.display(),
        workspace.config().to_toml()
    ))
}
