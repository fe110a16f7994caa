//! `trailmark new goal` and `trailmark new entry`: a new file from a template.

use std::path::PathBuf;

use crate::dates::Date;
use crate::error::Error;
use crate::scaffold::{self, NewGoal};
use crate::term::{self, Verbosity};
use crate::workspace::Workspace;

/// What `new` is asked to make, and where.
pub(crate) struct NewOptions {
    /// The journal folder.
    pub(crate) dir: PathBuf,
    pub(crate) file: NewFileKind,
    /// Whether to open the new file in the person's editor.
    pub(crate) edit: bool,
}

pub(crate) enum NewFileKind {
    Goal(NewGoal),
    /// The entry of `date`, or else of today.
    Entry {
        date: Option<Date>,
    },
}

/// Makes the file, prints its path, and opens it in the editor if asked to.
pub(crate) fn run(new: NewOptions, verbosity: Verbosity) -> Result<(), Error> {
    let dir = &new.dir;
    scaffold::existing_journal(dir)?;
    // Before the file is made: no editor is no reason to make it.
    let editor = new
        .edit
        .then(crate::editor::editor_of_environment)
        .transpose()?;
    let file = match new.file {
        NewFileKind::Goal(goal) => {
            let workspace = Workspace::load(dir, None)?;
            let templates = workspace.config().templates_in(dir);
            scaffold::new_goal(workspace.journal(), &templates, &goal, Date::today())?
        }
        NewFileKind::Entry { date } => {
            let templates = Workspace::open(dir, None)?.config().templates_in(dir);
            scaffold::new_entry(&templates, date.unwrap_or_else(Date::today))?
        }
    };
    let path = &scaffold::create(dir, &file)?;
    if verbosity != Verbosity::Quiet {
        term::print(&format!("{}\n", path.display()))?;
    }
    if let Some(editor) = editor {
        crate::editor::edit(path, &editor)?;
    }
    Ok(())
}
