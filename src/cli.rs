//! The command line: parses arguments and calls the library. Nothing else lives here.

use std::io::Write;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::analyse::period::PeriodKind;

use crate::dates::Date;
use crate::diagnostic::Severity;
use crate::error::Error;
use crate::serve::Server;
use crate::watch::{Rebuild, Watch, WatchEvent, WatchOptions};
use crate::workspace::Workspace;
use crate::write;

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
}

/// The port `serve` listens on unless told otherwise.
const DEFAULT_PORT: u16 = 4747;

#[derive(Debug, Args)]
struct WatchArgs {
    /// How long to wait after the last change before building, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 100, value_parser = clap::value_parser!(u64).range(10..=60_000))]
    debounce: u64,
    /// Look for changes by polling every second instead of asking the system: for
    /// network drives, WSL and containers, where change events do not arrive.
    #[arg(long)]
    poll: bool,
}

impl WatchArgs {
    fn options(&self, journal: &JournalArgs) -> WatchOptions {
        WatchOptions {
            debounce: Duration::from_millis(self.debounce),
            poll: self.poll,
            today: journal.today,
        }
    }
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
    /// Where reports are written, and which folder is not read as journal [default:
    /// `output` in DIR/trailmark.toml, or DIR/_reports]
    #[arg(long, value_name = "OUT")]
    out: Option<PathBuf>,
    /// The date to compute status for, instead of today (YYYY-MM-DD).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    today: Option<Date>,
}

impl JournalArgs {
    /// The journal, read once.
    fn open(&self) -> Result<Workspace, Error> {
        crate::open(&self.dir, self.out.as_deref())
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
        Command::Config { dir } => config(&dir),
        Command::Watch { journal, watching } => watch(&journal, &watching, None),
        Command::Serve {
            journal,
            watching,
            port,
            bind,
            open,
        } => watch(&journal, &watching, Some((bind, port, open))),
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
    let mut workspace = args.open()?;
    let (_, review) = workspace.review(kind, date, args.today());
    let text = match format {
        FormatArg::Json => {
            serde_json::to_string_pretty(&review)
                .expect("a review holds only strings, numbers and dates")
                + "\n"
        }
        FormatArg::Md | FormatArg::Html => {
            let renderer =
                crate::render::Renderer::new(Some(workspace.config().templates_in(&args.dir)));
            let extension = if matches!(format, FormatArg::Html) {
                "html"
            } else {
                "md"
            };
            let to_journal = format!("{}/", args.dir.display()).replace('\\', "/");
            renderer.render_review(&review, extension, &to_journal)?
        }
    };
    print(&text)?;
    Ok(exit::OK)
}

fn status(args: &JournalArgs, json: bool) -> Result<u8, Error> {
    let report = args.open()?.analyse(args.today());
    if json {
        // Straight to stdout: JSON has no colors for anstream to strip, and is large.
        write_stdout(&mut std::io::stdout().lock(), &report.to_json())?;
    } else {
        print(&crate::terminal::status_table(&report))?;
    }
    Ok(exit::OK)
}

fn build(args: &JournalArgs) -> Result<u8, Error> {
    let mut workspace = args.open()?;
    let (report, summary) = workspace.build(args.today())?;
    let out = workspace.out();
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

/// `watch`, and `serve` when `serving` says where (address, port, whether to open a
/// browser).
fn watch(
    args: &JournalArgs,
    watching: &WatchArgs,
    serving: Option<(IpAddr, u16, bool)>,
) -> Result<u8, Error> {
    let workspace = Workspace::open(&args.dir, args.out.as_deref())?;
    let out = workspace.out().to_path_buf();
    write::check_output_folder(&args.dir, &out)?;
    let server = match serving {
        Some((bind, port, _)) => Some(start_server(&out, bind, port)?),
        None => None,
    };
    let mut browser_pending = serving.is_some_and(|(_, _, open)| open);
    let watch = Watch::new(workspace, watching.options(args));
    let stopper = watch.stopper();
    // SIGINT and SIGTERM stop the watch between builds, so no write is cut short.
    ctrlc::set_handler(move || stopper.stop())
        .map_err(|error| Error::journal(&args.dir, format!("cannot handle Ctrl-C: {error}")))?;
    let mut first = true;
    watch.run(|event| {
        if let (WatchEvent::Built(rebuild), Some(server)) = (&event, &server) {
            server.publish(rebuild.changed_reports());
        }
        let _ = print(&describe_watch_event(&args.dir, &out, &event, first));
        if first && matches!(event, WatchEvent::Built(_) | WatchEvent::Failed(_)) {
            first = false;
            let _ = print(&format!(
                "watching {} for changes; press Ctrl-C to stop\n",
                args.dir.display()
            ));
            if let (Some(server), true) = (&server, browser_pending) {
                browser_pending = false;
                if let Err(error) = crate::serve::open_in_browser(&server.url()) {
                    let _ = print(&format!("could not open a browser: {error}\n"));
                }
            }
        }
    })?;
    print("stopped\n")?;
    Ok(exit::OK)
}

fn start_server(out: &Path, bind: IpAddr, port: u16) -> Result<Server, Error> {
    let server = match Server::start(out, bind, port) {
        // The default port may be taken, by another serve for example: any port will do.
        Err(_) if port == DEFAULT_PORT => Server::start(out, bind, 0)?,
        other => other?,
    };
    print(&format!("serving {} at {}\n", out.display(), server.url()))?;
    if !bind.is_loopback() {
        print(&format!(
            "note: listening on {bind}, so anyone who can reach this machine can read the reports\n"
        ))?;
    }
    Ok(server)
}

/// The line (and diagnostics) `watch` prints for `event`.
fn describe_watch_event(root: &Path, out: &Path, event: &WatchEvent, first: bool) -> String {
    let clock = Date::clock_now();
    match event {
        WatchEvent::Notice(message) => format!("{clock} note: {message}\n"),
        WatchEvent::Failed(error) => format!(
            "{clock} {}: {error}\n",
            crate::check::paint(anstyle::AnsiColor::Red, "error")
        ),
        WatchEvent::Built(rebuild) if first => {
            format!(
                "{clock} built {}: {} written, {} unchanged in {} ({} ms)\n",
                crate::check::plural(rebuild.report.goals.len(), "goal"),
                crate::check::plural(rebuild.written.written.len(), "report"),
                rebuild.written.unchanged,
                out.display(),
                rebuild.took.as_millis()
            ) + &problems_in(root, rebuild, true)
        }
        WatchEvent::Built(rebuild) => {
            let mut line = format!("{clock} {}", what_changed(rebuild));
            line.push_str(&format!(
                " · {} written",
                crate::check::plural(rebuild.written.written.len(), "report")
            ));
            if !rebuild.written.removed.is_empty() {
                line.push_str(&format!(", {} removed", rebuild.written.removed.len()));
            }
            line.push_str(&format!(" · {} ms\n", rebuild.took.as_millis()));
            line + &problems_in(root, rebuild, false)
        }
    }
}

/// What a rebuild was for: one file by name, a few by name, many by count.
fn what_changed(rebuild: &Rebuild) -> String {
    let files = &rebuild.files;
    let count = files.added.len() + files.changed.len() + files.removed.len();
    let verb = if !files.added.is_empty() && count == files.added.len() {
        "added"
    } else if !files.removed.is_empty() && count == files.removed.len() {
        "removed"
    } else {
        "changed"
    };
    let names: Vec<&str> = files.files().collect();
    let mut what = match count {
        0 if rebuild.config_changed => format!("{} changed", crate::config::CONFIG_FILE),
        0 if rebuild.templates_changed => "templates changed".to_string(),
        0 => "rebuilt".to_string(),
        1 => format!("{} {verb}", names[0]),
        2 | 3 => format!("{} {verb}", names.join(", ")),
        _ => format!("{count} files {verb}: {}, …", names[..2].join(", ")),
    };
    if count > 0 && rebuild.templates_changed {
        what.push_str(", templates changed");
    }
    if count > 0 && rebuild.config_changed {
        what.push_str(&format!(", {} changed", crate::config::CONFIG_FILE));
    }
    what
}

/// The diagnostics of the files a rebuild read (of every file, the first time), or for
/// the first build only their count.
fn problems_in(root: &Path, rebuild: &Rebuild, first: bool) -> String {
    let diagnostics = &rebuild.report.diagnostics;
    if first {
        return match diagnostics.len() {
            0 => String::new(),
            n => format!(
                "{} in the journal; run `trailmark check` to see {}\n",
                crate::check::plural(n, "problem"),
                if n == 1 { "it" } else { "them" }
            ),
        };
    }
    let touched: std::collections::HashSet<&str> = rebuild.files.files().collect();
    let shown: Vec<_> = diagnostics
        .iter()
        .filter(|d| touched.contains(d.file.as_str()))
        .cloned()
        .collect();
    crate::check::format_diagnostics(root, &shown)
}

fn config(dir: &Path) -> Result<u8, Error> {
    let workspace = Workspace::open(dir, None)?;
    let config = workspace.config();
    print(&format!(
        "# The configuration of the journal in {}: its {} and the defaults.\n{}",
        dir.display(),
        crate::config::CONFIG_FILE,
        config.to_toml()
    ))?;
    Ok(exit::OK)
}

fn check(args: &JournalArgs, strict: bool) -> Result<u8, Error> {
    let report = args.open()?.analyse(args.today());
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
    write_stdout(&mut anstream::stdout(), text)
}

fn write_stdout(stdout: &mut impl Write, text: &str) -> Result<(), Error> {
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
