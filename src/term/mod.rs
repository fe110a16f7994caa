//! What the commands print on a terminal: styles, the status table, diagnostics with
//! their lines, what `init`, `build` and `watch` say, the progress bar, and the one way
//! text goes to stdout. A message shared by commands is written here once.

pub(crate) mod build;
pub(crate) mod diagnostics;
pub(crate) mod init;
pub(crate) mod progress;
pub(crate) mod share;
pub(crate) mod status;
pub(crate) mod watch;

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use anstyle::{AnsiColor, Style};

use crate::diagnostic::{Diagnostic, Severity};
use crate::error::Error;
use crate::text::plural;

/// How much a command prints besides errors and its own output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

/// Wraps text in a color; anstream drops the codes where the output is no terminal.
pub(crate) fn paint(color: AnsiColor, text: &str) -> String {
    let style = Style::new().fg_color(Some(color.into())).bold();
    format!("{style}{text}{style:#}")
}

pub(crate) fn bold(text: &str) -> String {
    let style = Style::new().bold();
    format!("{style}{text}{style:#}")
}

/// The label of an error, in red.
pub(crate) fn error_label() -> String {
    paint(AnsiColor::Red, "error")
}

/// The label of a warning, in yellow.
pub(crate) fn warning_label() -> String {
    paint(AnsiColor::Yellow, "warning")
}

/// `error: …` on stderr, for an error that stops a command: the prefix of cargo, rustc
/// and clap, whose usage errors trailmark prints as they are, so that every error reads
/// the same.
pub(crate) fn print_error(error: &Error) {
    let _ = writeln!(anstream::stderr(), "{}: {error}", error_label());
}

/// `warning: …` on stderr.
pub(crate) fn print_warning(warning: &str) {
    let _ = writeln!(anstream::stderr(), "{}: {warning}", warning_label());
}

/// `note: …` on stderr: something worth knowing that is no problem.
pub(crate) fn print_note(note: &str) {
    let _ = writeln!(
        anstream::stderr(),
        "{}: {note}",
        paint(AnsiColor::Cyan, "note")
    );
}

/// The journal folder `root` as a path from the current folder, the way a person can
/// paste it or an editor open it: empty for the current folder itself, relative where
/// the journal is inside the current folder, else as it was given. Terminal output
/// names files by it (`journal/goals.md:3:1`); JSON keeps paths relative to the journal.
pub(crate) fn from_current_folder(root: &Path) -> PathBuf {
    let inside = root
        .is_absolute()
        .then(std::env::current_dir)
        .and_then(Result::ok)
        .and_then(|current| root.strip_prefix(current).ok().map(Path::to_path_buf));
    inside
        .unwrap_or_else(|| root.to_path_buf())
        .components()
        .filter(|part| *part != Component::CurDir)
        .collect()
}

/// The journal folder `root` as the last word of a command typed in the current folder:
/// nothing for the current folder (the default), else ` example-journal`, quoted for a
/// shell where it must be.
pub(crate) fn folder_argument(root: &Path) -> String {
    let folder = from_current_folder(root);
    if folder.as_os_str().is_empty() {
        return String::new();
    }
    let text = folder.display().to_string();
    let word = shlex::try_quote(&text).map_or_else(|_| text.clone(), |quoted| quoted.into_owned());
    format!(" {word}")
}

/// How many problems the journal `root` has and the command that shows them, on a line
/// of its own; nothing when it has none. `status`, `build` and `watch` all say it so.
pub(crate) fn problems_note(root: &Path, diagnostics: &[Diagnostic]) -> String {
    if diagnostics.is_empty() {
        return String::new();
    }
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    format!(
        "{}, {} in the journal; run `trailmark check{}` to see {}\n",
        plural(errors, "error"),
        plural(warnings, "warning"),
        folder_argument(root),
        if diagnostics.len() == 1 { "it" } else { "them" }
    )
}

/// How many columns stdout's lines may take: `$COLUMNS` where it is a number (as git and
/// less read it, so a script or a test can ask for a width), else the width of the
/// terminal stdout is, else 80 (a pipe, a file).
pub(crate) fn terminal_width() -> usize {
    wrap_width().unwrap_or(DEFAULT_WIDTH)
}

/// The width to wrap long lines at: `$COLUMNS` or the terminal's width; `None` where
/// stdout is no terminal, so that output read by a program (vim's quickfix, an editor's
/// problem matcher, grep) keeps one line a diagnostic.
pub(crate) fn wrap_width() -> Option<usize> {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|columns| columns.trim().parse().ok())
        .filter(|&columns: &usize| columns > 0)
        .or_else(|| {
            console::Term::stdout()
                .size_checked()
                .map(|(_rows, columns)| usize::from(columns))
        })
}

/// The width of output that goes to no terminal.
const DEFAULT_WIDTH: usize = 80;

/// Prints `text` on stdout, in color where stdout is a terminal that wants it.
pub(crate) fn print(text: &str) -> Result<(), Error> {
    write_stdout(&mut anstream::stdout(), text)
}

/// Prints `text` on stdout as it is, for output with no colors to strip and perhaps
/// large: JSON, a completion script, the manual page.
pub(crate) fn print_plain(text: &str) -> Result<(), Error> {
    write_stdout(&mut std::io::stdout().lock(), text)
}

/// Writes what `write` writes to stdout as it is, through a buffer: for output too large
/// to make whole first (`status --json`).
pub(crate) fn print_streamed(
    // A concrete writer, not `dyn Write`: serde_json writes a JSON document in pieces of
    // a few bytes, and a call through a vtable for each cost more than the copy.
    write: impl FnOnce(&mut std::io::BufWriter<std::io::StdoutLock<'static>>) -> std::io::Result<()>,
) -> Result<(), Error> {
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    stdout_outcome(write(&mut stdout).and_then(|()| stdout.flush()))
}

/// Copies `file` to stdout as it is, without reading it into memory (the kernel copies
/// it where it can).
pub(crate) fn print_file(mut file: std::fs::File) -> Result<(), Error> {
    let mut stdout = std::io::stdout().lock();
    stdout_outcome(std::io::copy(&mut file, &mut stdout).and_then(|_| stdout.flush()))
}

/// Writes `text` to `stdout` and flushes it.
fn write_stdout(stdout: &mut impl Write, text: &str) -> Result<(), Error> {
    stdout_outcome(
        stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush()),
    )
}

/// The outcome of writing to stdout as the command's result.
fn stdout_outcome(written: std::io::Result<()>) -> Result<(), Error> {
    match written {
        // A closed pipe (`trailmark status | head`) is not an error worth a message.
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(source) => Err(Error::Write {
            path: PathBuf::from("<stdout>"),
            source,
        }),
        Ok(()) => Ok(()),
    }
}
