//! The command line: parses arguments and calls the library. Nothing else lives here.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::analyse::period::{Period, PeriodKind};

use crate::dates::Date;
use crate::diagnostic::Severity;
use crate::error::Error;

/// Exit codes, the same for every command.
pub mod exit {
    /// Success.
    pub const OK: u8 = 0;
    /// `check` found errors (or warnings, with `--strict`).
    pub const PROBLEMS_FOUND: u8 = 1;
    /// The command could not run: bad arguments, a missing journal folder, an unsafe
    /// output folder, a template error, a failed write.
    pub const FAILED: u8 = 2;
}

#[derive(Debug, Parser)]
#[command(
    name = "trailmark",
    version,
    about = "Goals, milestones and journal entries in plain markdown: progress, status and reports.",
    long_about = None,
    after_help = "Exit codes: 0 success, 1 `check` found problems, 2 the command could not run."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print every goal's progress and status.
    Status {
        #[command(flatten)]
        journal: JournalArgs,
        /// Print exactly one JSON object (the contract in docs/FORMAT.md) instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Write the HTML and markdown reports and trailmark.json.
    Build {
        #[command(flatten)]
        journal: JournalArgs,
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
    /// Report every problem in the journal, and hints for SMART goals.
    Check {
        #[command(flatten)]
        journal: JournalArgs,
        /// Fail (exit 1) on warnings too, not only on errors.
        #[arg(long)]
        strict: bool,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum PeriodArg {
    /// An ISO week, Monday to Sunday.
    Week,
    Month,
    Quarter,
    Year,
}

impl PeriodArg {
    fn kind(self) -> PeriodKind {
        match self {
            PeriodArg::Week => PeriodKind::Week,
            PeriodArg::Month => PeriodKind::Month,
            PeriodArg::Quarter => PeriodKind::Quarter,
            PeriodArg::Year => PeriodKind::Year,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Md,
    Html,
    Json,
}

#[derive(Debug, Args)]
struct JournalArgs {
    /// The journal folder.
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Where reports are written, and which folder is not read as journal [default: DIR/_reports]
    #[arg(long, value_name = "OUT")]
    out: Option<PathBuf>,
    /// The date to compute status for, instead of today (YYYY-MM-DD).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    today: Option<Date>,
}

impl JournalArgs {
    fn out(&self) -> PathBuf {
        self.out
            .clone()
            .unwrap_or_else(|| self.dir.join(crate::DEFAULT_OUTPUT_FOLDER))
    }

    fn today(&self) -> Date {
        self.today.unwrap_or_else(Date::today)
    }
}

fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text).map_err(|error| error.to_string())
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() {
                exit::FAILED
            } else {
                exit::OK
            });
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            let mut stderr = anstream::stderr();
            let _ = writeln!(
                stderr,
                "trailmark: {}: {error}",
                crate::check::paint(anstyle::AnsiColor::Red, "error")
            );
            ExitCode::from(exit::FAILED)
        }
    }
}

fn run(cli: Cli) -> Result<u8, Error> {
    match cli.command {
        Command::Status { journal, json } => status(&journal, json),
        Command::Build { journal } => build(&journal),
        Command::Check { journal, strict } => check(&journal, strict),
        Command::Review {
            journal,
            period,
            date,
            format,
        } => review(&journal, period.kind(), date, format),
    }
}

fn review(
    args: &JournalArgs,
    kind: PeriodKind,
    date: Option<Date>,
    format: FormatArg,
) -> Result<u8, Error> {
    let today = args.today();
    let period = match date {
        Some(date) => Period::containing(kind, date),
        None => crate::analyse::review::last_complete(kind, today),
    };
    let (report, review) = crate::review(&args.dir, &args.out(), period, today)?;
    let text = match format {
        FormatArg::Json => {
            serde_json::to_string_pretty(&review)
                .expect("a review holds only strings, numbers and dates")
                + "\n"
        }
        FormatArg::Md | FormatArg::Html => {
            let renderer = crate::render::Renderer::new(Some(
                args.dir.join(crate::discover::TEMPLATES_FOLDER),
            ));
            let extension = if matches!(format, FormatArg::Html) {
                "html"
            } else {
                "md"
            };
            let to_journal = format!("{}/", args.dir.display()).replace('\\', "/");
            renderer.render_review(&report, &review, extension, &to_journal)?
        }
    };
    print(&text)?;
    Ok(exit::OK)
}

fn status(args: &JournalArgs, json: bool) -> Result<u8, Error> {
    let report = crate::report(&args.dir, &args.out(), args.today())?;
    let text = if json {
        report.to_json()
    } else {
        crate::terminal::status_table(&report)
    };
    print(&text)?;
    Ok(exit::OK)
}

fn build(args: &JournalArgs) -> Result<u8, Error> {
    let out = args.out();
    let (report, summary) = crate::build(&args.dir, &out, args.today())?;
    let problems = report.diagnostics.len();
    let mut line = format!(
        "{} goals: {} reports written, {} unchanged",
        report.goals.len(),
        summary.written.len(),
        summary.unchanged
    );
    if !summary.removed.is_empty() {
        line.push_str(&format!(", {} removed", summary.removed.len()));
    }
    line.push_str(&format!(" in {}", out.display()));
    if problems > 0 {
        line.push_str(&format!(
            "\n{} in the journal; run `trailmark check` to see {}",
            crate::check::plural(problems, "problem"),
            if problems == 1 { "it" } else { "them" }
        ));
    }
    print(&(line + "\n"))?;
    Ok(exit::OK)
}

fn check(args: &JournalArgs, strict: bool) -> Result<u8, Error> {
    let report = crate::report(&args.dir, &args.out(), args.today())?;
    let hints = crate::check::smart_hints(&report);
    print(&crate::check::format_check(
        &args.dir,
        &report.diagnostics,
        &hints,
    ))?;
    let failing = report
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error || (strict && d.severity == Severity::Warning));
    Ok(if failing {
        exit::PROBLEMS_FOUND
    } else {
        exit::OK
    })
}

fn print(text: &str) -> Result<(), Error> {
    let mut stdout = anstream::stdout();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        // A closed pipe (`trailmark status | head`) is not an error worth a message.
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(source) => Err(Error::Write {
            path: PathBuf::from("<stdout>"),
            source,
        }),
        Ok(()) => Ok(()),
    }
}
