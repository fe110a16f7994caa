//! One module a command. Each takes plain values (the command line's parsing is done),
//! calls the library, and prints through [`crate::term`].

pub(crate) mod build;
pub(crate) mod check;
pub(crate) mod config;
pub(crate) mod init;
pub(crate) mod lsp;
pub(crate) mod manual;
pub(crate) mod new;
pub(crate) mod review;
pub(crate) mod serve;
pub(crate) mod status;
pub(crate) mod watch;

use std::collections::HashMap;
use std::path::PathBuf;

use crate::dates::Date;
use crate::error::Error;
use crate::workspace::Workspace;

/// The journal a command reads, where its reports go, and the day it computes status for.
pub(crate) struct JournalOptions {
    pub(crate) dir: PathBuf,
    /// The output folder; `None` for the configured one.
    pub(crate) out: Option<PathBuf>,
    /// `None` for the clock's today.
    pub(crate) today: Option<Date>,
    pub(crate) cache: CacheUse,
}

/// Whether to start from the documents the last build kept in the output folder (not with
/// `--no-cache`), and whether to say why a cache there is ignored (`--verbose`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct CacheUse {
    pub(crate) read: bool,
    pub(crate) explain: bool,
}

impl JournalOptions {
    /// The journal, read once.
    fn open(&self) -> Result<Workspace, Error> {
        if !self.cache.read {
            let mut workspace = self.open_unread()?;
            workspace.refresh();
            return Ok(workspace);
        }
        let mut workspace = Workspace::open(&self.dir, self.out.as_deref())?;
        let (_, note) = workspace.refresh_from_cache(&HashMap::new());
        if let Some(note) = note
            && self.cache.explain
        {
            crate::term::print_note(&note);
        }
        Ok(workspace)
    }

    /// The journal's workspace, not read yet, started from the cache unless told not to.
    fn open_unread(&self) -> Result<Workspace, Error> {
        let mut workspace = Workspace::open(&self.dir, self.out.as_deref())?;
        self.start_from_cache(&mut workspace);
        Ok(workspace)
    }

    /// Starts `workspace` from the documents cache unless told not to.
    fn start_from_cache(&self, workspace: &mut Workspace) {
        if self.cache.read
            && let Some(note) = workspace.use_cache()
            && self.cache.explain
        {
            crate::term::print_note(&note);
        }
    }

    fn today(&self) -> Date {
        self.today.unwrap_or_else(Date::today)
    }
}

/// Hands a one-shot command's journal or report, which it is done with, to the end of
/// the process: the system takes the memory back at once when it exits, where freeing a
/// 10,000-file journal piece by piece took about 5% of a `status` or of a `build` after
/// one edit. Only for values whose drop does nothing but free memory.
pub(crate) fn leave_to_exit<T>(done_with: T) {
    std::mem::forget(done_with);
}
