//! One module a command. Each takes plain values (the command line's parsing is done),
//! calls the library, and prints through [`crate::term`].

pub(crate) mod build;
pub(crate) mod check;
pub(crate) mod config;
pub(crate) mod init;
pub(crate) mod manual;
pub(crate) mod new;
pub(crate) mod review;
pub(crate) mod serve;
pub(crate) mod status;
pub(crate) mod watch;

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
}

impl JournalOptions {
    /// The journal, read once.
    fn open(&self) -> Result<Workspace, Error> {
        Workspace::load(&self.dir, self.out.as_deref())
    }

    fn today(&self) -> Date {
        self.today.unwrap_or_else(Date::today)
    }
}
