//! The command line: parses arguments and calls the library. Nothing else lives here.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

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
    /// Report every problem in the journal, and hints for SMART goals.
    Check {
        #[command(flatten)]
        journal: JournalArgs,
        /// Fail (exit 1) on warnings too, not only on errors.
        #[arg(long)]
        strict: bool,
    },
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
    }
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
        summary.written,
        summary.unchanged
    );
    if summary.removed > 0 {
        line.push_str(&format!(", {} removed", summary.removed));
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
