//! The command line's definition (clap): every command, argument and option with its
//! help, and how the arguments become the values a command runs with.

use std::ffi::OsString;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use super::EXIT_CODES_HELP;
use crate::analyse::period::PeriodKind;
use crate::cmd::new::{NewFileKind, NewOptions};
use crate::cmd::serve::DEFAULT_PORT;
use crate::cmd::{CacheUse, JournalOptions};
use crate::dates::Date;
use crate::plan::Format;
use crate::scaffold::NewGoal;
use crate::term::Verbosity;
use crate::watch::WatchOptions;

#[derive(Debug, Parser)]
#[command(
    name = "trailmark",
    version,
    about = "Goals, milestones and journal entries in plain markdown: progress, status and reports.",
    long_about = None,
    after_help = EXIT_CODES_HELP,
    // `help` would be one more subcommand to complete and document; `--help` does it all.
    disable_help_subcommand = true
)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) output: OutputArgs,
    /// Read and parse every journal file, instead of only those changed since the last
    /// build, whose documents it keeps in the output folder (a build still updates them).
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub(crate) no_cache: bool,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The heading of the options every command takes, in `--help`.
const GLOBAL: &str = "Global options";

/// How much to print, and whether in color; every command takes these.
#[derive(Debug, Args)]
pub(crate) struct OutputArgs {
    /// When to use colors; `auto`: on a terminal, unless NO_COLOR is set (CLICOLOR_FORCE
    /// colors a pipe too).
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorArg::Auto, global = true, help_heading = GLOBAL)]
    pub(crate) color: ColorArg,
    /// Print only errors and the output a command exists for (a table, a review, a script).
    #[arg(long, short, global = true, conflicts_with = "verbose", help_heading = GLOBAL)]
    quiet: bool,
    /// Print more: the reports written and removed, the time each stage took, the files
    /// read.
    #[arg(long, short, global = true, help_heading = GLOBAL)]
    verbose: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum ColorArg {
    Auto,
    Always,
    Never,
}

impl OutputArgs {
    pub(crate) fn verbosity(&self) -> Verbosity {
        if self.quiet {
            Verbosity::Quiet
        } else if self.verbose {
            Verbosity::Verbose
        } else {
            Verbosity::Normal
        }
    }
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Start a journal: settings, an example goal and today's entry; never overwrites a file.
    Init {
        /// The folder of the new journal; made if missing.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The date of the first entry and of the example goal's start (YYYY-MM-DD),
        /// instead of today.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        today: Option<Date>,
    },
    /// Add a goal, a journal entry or a review to answer from a template, and print its
    /// path.
    New {
        #[command(subcommand)]
        what: NewCommand,
    },
    /// Print every goal's progress and status.
    Status {
        #[command(flatten)]
        journal: JournalArgs,
        /// Print exactly one JSON object (the contract in docs/FORMAT.md) instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Write the HTML and markdown reports, trailmark.json and the deadlines.ics calendar.
    Build {
        #[command(flatten)]
        journal: JournalArgs,
        /// Write only the goals, entries and sections shared with AUDIENCE (`share:` in
        /// the journal; docs/SHARING.md) into the folder `--out` names, which it needs.
        #[arg(long, value_name = "AUDIENCE")]
        share: Option<String>,
        /// With --share: list what would be published, and write nothing.
        #[arg(long, requires = "share")]
        dry_run: bool,
    },
    /// Print the review of a week, month, quarter or year: wins, progress, feedback,
    /// lessons, what stalled and what comes next.
    Review {
        #[command(flatten)]
        journal: JournalArgs,
        /// The kind of period.
        #[arg(long, value_enum, default_value_t = PeriodArg::Week)]
        period: PeriodArg,
        /// A day in the period to review [default: the last complete period before today]
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        date: Option<Date>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = FormatArg::Md)]
        format: FormatArg,
    },
    /// Build, then build again whenever a journal file changes, until Ctrl-C.
    Watch {
        #[command(flatten)]
        journal: JournalArgs,
        #[command(flatten)]
        watching: WatchArgs,
    },
    /// Watch, and serve the HTML reports on a local address; open pages reload
    /// themselves when their report changes.
    Serve {
        #[command(flatten)]
        journal: JournalArgs,
        #[command(flatten)]
        watching: WatchArgs,
        /// The port to listen on; 0 picks a free one.
        #[arg(long, default_value_t = DEFAULT_PORT)]
        port: u16,
        /// The address to listen on. Anything but a loopback address shares the reports
        /// with the network.
        #[arg(long, value_name = "ADDRESS", default_value = "127.0.0.1")]
        bind: IpAddr,
        /// Open the reports in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Print the effective configuration: DIR/trailmark.toml's settings and the
    /// defaults of the rest, as a trailmark.toml.
    Config {
        /// The journal folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Report every problem in the journal, and hints for SMART goals.
    Check {
        #[command(flatten)]
        journal: JournalArgs,
        /// Fail (exit 1) on warnings too, not only on errors.
        #[arg(long)]
        strict: bool,
    },
    /// Serve editors over the Language Server Protocol on stdin and stdout: diagnostics,
    /// completion, hover, definitions and symbols for the journal of the editor's folder
    /// (the nearest one up with a trailmark.toml). docs/EDITORS.md has each editor's setup.
    Lsp {
        /// The day to compute status for (YYYY-MM-DD), instead of today.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        today: Option<Date>,
    },
    /// Print the shell completion script for SHELL.
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), made from the same definitions as --help.
    Man,
}

#[derive(Debug, Subcommand)]
pub(crate) enum NewCommand {
    /// Add goals/<id>.md, the id made from the title, from the template new-goal.md.
    Goal {
        /// The goal, specific enough to tell when it is reached; several words are
        /// joined with spaces.
        #[arg(required = true, value_name = "TITLE")]
        title: Vec<String>,
        /// When it should be done.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        due: Option<Date>,
        /// The part of your career it serves, like skills, leadership or network.
        #[arg(long)]
        area: Option<String>,
        /// The id of the bigger goal this one serves; must be a goal of the journal.
        #[arg(long, value_name = "ID")]
        parent: Option<String>,
        /// The goal's id, which #tags name it by, and its file name [default: made from
        /// the title]
        #[arg(long, value_name = "ID")]
        id: Option<String>,
        #[command(flatten)]
        new: NewArgs,
    },
    /// Add journal/YYYY/YYYY-MM-DD.md from the template new-entry.md.
    Entry {
        /// The entry's date [default: today]
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        date: Option<Date>,
        #[command(flatten)]
        new: NewArgs,
    },
    /// Add the review of a period to the journal, to answer: its facts, then "What went
    /// well", "What to adjust" and "What to learn next" as headings to write under, in
    /// journal/YYYY/<period>-review.md from the template new-review.md.
    Review {
        /// The kind of period.
        #[arg(long, value_enum, default_value_t = PeriodArg::Week)]
        period: PeriodArg,
        /// A day in the period to review [default: the last complete period before today]
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        date: Option<Date>,
        #[command(flatten)]
        new: NewArgs,
    },
}

impl NewCommand {
    /// What to make, and in which journal.
    pub(crate) fn options(self) -> NewOptions {
        match self {
            NewCommand::Goal {
                title,
                due,
                area,
                parent,
                id,
                new,
            } => NewOptions {
                dir: new.dir,
                file: NewFileKind::Goal(NewGoal {
                    title: title.join(" "),
                    due,
                    area,
                    parent,
                    id,
                }),
                edit: new.edit,
                force: new.force,
            },
            NewCommand::Entry { date, new } => NewOptions {
                dir: new.dir,
                file: NewFileKind::Entry { date },
                edit: new.edit,
                force: new.force,
            },
            NewCommand::Review { period, date, new } => NewOptions {
                dir: new.dir,
                file: NewFileKind::Review {
                    kind: period.kind(),
                    date,
                },
                edit: new.edit,
                force: new.force,
            },
        }
    }
}

/// What every kind of `new` shares.
#[derive(Debug, Args)]
pub(crate) struct NewArgs {
    /// The journal folder (an option, so that it is never taken for a word of a title).
    #[arg(long, value_name = "DIR", default_value = ".")]
    dir: PathBuf,
    /// Open the new file (or the day's entry, or the period's review, that exists) in
    /// $VISUAL, else $EDITOR, else `editor`, else `vi`.
    #[arg(long)]
    edit: bool,
    /// Add the file even to a folder that does not look like a journal (no
    /// trailmark.toml, goals/ or journal/ folder, or markdown file).
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Args)]
pub(crate) struct WatchArgs {
    /// How long to wait after the last change before building, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = crate::watch::DEFAULT_DEBOUNCE_MS, value_parser = clap::value_parser!(u64).range(10..=60_000))]
    debounce: u64,
    /// Look for changes by polling every second instead of asking the system: for
    /// network drives, WSL and containers, where change events do not arrive.
    #[arg(long)]
    poll: bool,
}

impl WatchArgs {
    /// How to watch `journal`.
    pub(crate) fn options(&self, journal: &JournalArgs) -> WatchOptions {
        WatchOptions {
            debounce: Duration::from_millis(self.debounce),
            poll: self.poll,
            today: journal.today,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum PeriodArg {
    /// An ISO week, Monday to Sunday.
    Week,
    Month,
    Quarter,
    Year,
}

impl PeriodArg {
    pub(crate) fn kind(self) -> PeriodKind {
        match self {
            PeriodArg::Week => PeriodKind::Week,
            PeriodArg::Month => PeriodKind::Month,
            PeriodArg::Quarter => PeriodKind::Quarter,
            PeriodArg::Year => PeriodKind::Year,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum FormatArg {
    Md,
    Html,
    Json,
}

impl FormatArg {
    /// The format, as the library knows it.
    pub(crate) fn format(self) -> Format {
        match self {
            FormatArg::Md => Format::Md,
            FormatArg::Html => Format::Html,
            FormatArg::Json => Format::Json,
        }
    }
}

#[derive(Debug, Args)]
pub(crate) struct JournalArgs {
    /// The journal folder.
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Where reports are written, and which folder is not read as journal [default:
    /// `output` in DIR/trailmark.toml, or DIR/_reports]
    #[arg(long, value_name = "OUT", value_parser = out_folder_parser())]
    out: Option<PathBuf>,
    /// The date to compute status for, instead of today (YYYY-MM-DD).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    today: Option<Date>,
}

impl JournalArgs {
    /// The journal and the day a command runs for.
    pub(crate) fn options(self, cache: CacheUse) -> JournalOptions {
        JournalOptions {
            dir: self.dir,
            out: self.out,
            today: self.today,
            cache,
        }
    }
}

fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text).map_err(|error| error.to_string())
}

/// Reads `--out` with [`out_folder`], any bytes the system allows in a path included.
fn out_folder_parser() -> impl clap::builder::TypedValueParser<Value = PathBuf> {
    use clap::builder::TypedValueParser as _;
    clap::builder::OsStringValueParser::new().try_map(out_folder)
}

/// `--out`, unless it starts with a `~` the shell did not expand.
fn out_folder(text: OsString) -> Result<PathBuf, String> {
    let shown = text.to_string_lossy();
    crate::config::refuse_tilde(
        &shown,
        "--out",
        &format!(
            "write `--out {shown}` with a space and no quotes, so that the shell expands \
             it, or give the folder's full path"
        ),
    )?;
    Ok(PathBuf::from(text))
}
