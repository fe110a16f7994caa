//! `trailmark new goal` and `trailmark new entry`: a new file from a template.

use std::path::{Path, PathBuf};

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
    /// Whether to add the file to a folder that does not look like a journal.
    pub(crate) force: bool,
}

pub(crate) enum NewFileKind {
    Goal(NewGoal),
    /// The entry of `date`, or else of today.
    Entry {
        date: Option<Date>,
    },
}

/// Makes the file, prints its path, and opens it in the editor if asked to. A day's
/// entry that exists is never made again: its path is printed, and opened if asked to.
pub(crate) fn run(new: NewOptions, verbosity: Verbosity) -> Result<(), Error> {
    let dir = &new.dir;
    scaffold::existing_journal(dir)?;
    if !new.force {
        scaffold::looks_like_journal(dir)?;
    }
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
            let date = date.unwrap_or_else(Date::today);
            if let Some(path) = scaffold::existing_entry(dir, date) {
                return existing_entry(&path, date, editor.as_ref(), verbosity);
            }
            let templates = Workspace::open(dir, None)?.config().templates_in(dir);
            scaffold::new_entry(&templates, date)?
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

/// The entry of `date` exists at `path`: opens it with `editor`, or else says where it is
/// (a day has one entry, and writing goes on in it).
fn existing_entry(
    path: &Path,
    date: Date,
    editor: Option<&(String, Vec<String>)>,
    verbosity: Verbosity,
) -> Result<(), Error> {
    if verbosity != Verbosity::Quiet {
        term::print(&format!("{}\n", path.display()))?;
        if editor.is_none() {
            term::print_note(&format!(
                "the entry of {date} is already there, left as it is; --edit opens it"
            ));
        }
    }
    match editor {
        Some(editor) => crate::editor::edit(path, editor),
        None => Ok(()),
    }
}
