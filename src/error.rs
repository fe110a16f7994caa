//! Errors that stop a command (as opposed to [`crate::diagnostic::Diagnostic`]s, which are
//! problems in one journal file and never stop anything).

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub(crate) enum Error {
    /// The journal folder cannot be used at all.
    Journal { path: PathBuf, message: String },
    /// `trailmark.toml` cannot be read or has a problem, at a (line, column).
    Config {
        path: PathBuf,
        line: Option<(u32, u32)>,
        message: String,
    },
    /// The output folder is not a safe place to write reports.
    Output { path: PathBuf, message: String },
    /// A template failed to load or render.
    Template { name: String, message: String },
    /// A file could not be added to the journal (by `init` or `new`).
    Create { path: PathBuf, message: String },
    /// A value given on the command line cannot be used.
    Argument(String),
    /// The editor of `new --edit` could not be run, or failed.
    Editor(String),
    /// The report server could not start.
    Serve(String),
    /// The language server's connection with the editor failed (`trailmark lsp`).
    Lsp(String),
    /// The system refused the threads trailmark works with (a process limit).
    Threads(String),
    /// A report could not be written.
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Error {
    pub(crate) fn journal(path: &Path, message: impl Into<String>) -> Error {
        Error::Journal {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }

    /// The error of every command given a journal folder `path` that does not exist:
    /// what is wrong, and the command that starts a journal there.
    pub(crate) fn missing_journal(path: &Path) -> Error {
        Error::journal(
            path,
            format!(
                "no such folder; start a journal there with `{}`",
                init_command(path)
            ),
        )
    }

    pub(crate) fn output(path: &Path, message: impl Into<String>) -> Error {
        Error::Output {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Journal { path, message } => {
                write!(f, "journal folder {}: {message}", path.display())
            }
            Error::Config {
                path,
                line: Some((line, column)),
                message,
            } => write!(f, "{}:{line}:{column}: {message}", path.display()),
            Error::Config {
                path,
                line: None,
                message,
            } => write!(f, "{}: {message}", path.display()),
            Error::Output { path, message } => {
                write!(f, "output folder {}: {message}", path.display())
            }
            Error::Template { name, message } => write!(f, "template {name}: {message}"),
            Error::Create { path, message } => {
                write!(f, "cannot create {}: {message}", path.display())
            }
            Error::Argument(message) => write!(f, "{message}"),
            Error::Editor(message) => write!(f, "editor: {message}"),
            Error::Serve(message) => write!(f, "serve: {message}"),
            Error::Lsp(message) => write!(f, "lsp: {message}"),
            Error::Threads(message) => write!(f, "cannot start worker threads: {message}"),
            Error::Write { path, source } => write!(f, "cannot write {}: {source}", path.display()),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Write { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// The command that starts a journal in `path`: `trailmark init`, naming the folder
/// (quoted for a shell where it must be) unless it is the current one.
pub(crate) fn init_command(path: &Path) -> String {
    if path == Path::new(".") {
        return "trailmark init".to_string();
    }
    let folder = path.display().to_string();
    let word = shlex::try_quote(&folder).map_or_else(|_| folder.clone(), |w| w.into_owned());
    format!("trailmark init {word}")
}
