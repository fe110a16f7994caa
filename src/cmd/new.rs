//! `trailmark new goal`, `new entry` and `new review`: a new file from a template.

use std::path::{Path, PathBuf};

use crate::analyse::period::PeriodKind;
use crate::analyse::review::Review;
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
    /// The review of the period of `kind` that contains `date`, or else of the last
    /// complete one.
    Review {
        kind: PeriodKind,
        date: Option<Date>,
    },
}

/// Makes the file, prints its path, and opens it in the editor if asked to. A day's
/// entry, or a period's review, that exists is never made again: its path is printed,
/// and opened if asked to.
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
                let what = format!("the entry of {date}");
                return existing_file(&path, &what, editor.as_ref(), verbosity);
            }
            let templates = Workspace::open(dir, None)?.config().templates_in(dir);
            scaffold::new_entry(&templates, date)?
        }
        NewFileKind::Review { kind, date } => {
            let mut workspace = Workspace::load(dir, None)?;
            let templates = workspace.config().templates_in(dir);
            let today = Date::today();
            let (label, quiet, file) = workspace.with_review(kind, date, today, |review| {
                let file = scaffold::new_review(&templates, review, today)?;
                Ok::<_, Error>((review.label.clone(), quiet_note(review), file))
            })?;
            if let Some(path) = scaffold::existing(dir, &file.path) {
                let what = format!("the review of {label}");
                return existing_file(&path, &what, editor.as_ref(), verbosity);
            }
            if let Some(note) = quiet.filter(|_| verbosity != Verbosity::Quiet) {
                term::print_note(&note);
            }
            file
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

/// For a review of a period in which nothing happened, which period to review instead:
/// the review is written all the same (a quiet week is worth a thought too).
fn quiet_note(review: &Review) -> Option<String> {
    if !review.quiet {
        return None;
    }
    let kind = review.kind.as_str();
    Some(match &review.latest_active {
        Some(active) => format!(
            "nothing happened in {}; the latest {kind} with activity is {}: --date {}",
            review.label, active.label, active.first
        ),
        None => format!(
            "nothing happened in {}, and nothing in the journal is dated yet",
            review.label
        ),
    })
}

/// `what` (the entry of a day, the review of a period) exists at `path`: opens it with
/// `editor`, or else says where it is (a day has one entry and a period one review, and
/// writing goes on in it).
fn existing_file(
    path: &Path,
    what: &str,
    editor: Option<&(String, Vec<String>)>,
    verbosity: Verbosity,
) -> Result<(), Error> {
    if verbosity != Verbosity::Quiet {
        term::print(&format!("{}\n", path.display()))?;
        if editor.is_none() {
            term::print_note(&format!(
                "{what} is already there, left as it is; --edit opens it"
            ));
        }
    }
    match editor {
        Some(editor) => crate::editor::edit(path, editor),
        None => Ok(()),
    }
}
