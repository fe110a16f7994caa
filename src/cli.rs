//! The command line: parses arguments and calls the library. Nothing else lives here.

use std::io::Write;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use crate::analyse::period::PeriodKind;

use crate::dates::Date;
use crate::diagnostic::Severity;
use crate::error::Error;
use crate::serve::Server;
use crate::watch::{Rebuild, Stopper, Watch, WatchEvent, WatchOptions};
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

/// The exit codes as `--help` lists them.
const EXIT_CODES_HELP: &str =
    "Exit codes: 0 success, 1 `check` found problems, 2 the command could not run.";

/// The exit codes as the man page lists them.
const EXIT_CODES: [(u8, &str); 3] = [
    (
        exit::OK,
        "Success. `status` and `build` succeed even when the journal has problems; they say how many.",
    ),
    (
        exit::PROBLEMS_FOUND,
        "`check` found errors, or warnings with --strict.",
    ),
    (
        exit::FAILED,
        "The command could not run: bad arguments, no such journal folder, a file `init` or `new` would overwrite, an unsafe output folder, a template error, a failed write, an editor that failed.",
    ),
];

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
struct Cli {
    #[command(flatten)]
    output: OutputArgs,
    #[command(subcommand)]
    command: Command,
}

/// The heading of the options every command takes, in `--help`.
const GLOBAL: &str = "Global options";

/// How much to print, and whether in color; every command takes these.
#[derive(Debug, Args)]
struct OutputArgs {
    /// When to use colors; `auto`: on a terminal, unless NO_COLOR is set (CLICOLOR_FORCE
    /// colors a pipe too).
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorArg::Auto, global = true, help_heading = GLOBAL)]
    color: ColorArg,
    /// Print only errors and the output a command exists for (a table, a review, a script).
    #[arg(long, short, global = true, conflicts_with = "verbose", help_heading = GLOBAL)]
    quiet: bool,
    /// Print more: the reports written and removed, the time each stage took, the files
    /// read.
    #[arg(long, short, global = true, help_heading = GLOBAL)]
    verbose: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

/// How much a command prints besides errors and its own output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

impl OutputArgs {
    fn verbosity(&self) -> Verbosity {
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
enum Command {
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
    /// Add a goal or a journal entry from a template, and print its path.
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
enum NewCommand {
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
}

/// What `new goal` and `new entry` share.
#[derive(Debug, Args)]
struct NewArgs {
    /// The journal folder (an option, so that it is never taken for a word of a title).
    #[arg(long, value_name = "DIR", default_value = ".")]
    dir: PathBuf,
    /// Open the new file in $VISUAL, or else $EDITOR.
    #[arg(long)]
    edit: bool,
}

/// The port `serve` listens on unless told otherwise.
const DEFAULT_PORT: u16 = 4747;

#[derive(Debug, Args)]
struct WatchArgs {
    /// How long to wait after the last change before building, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = crate::watch::DEFAULT_DEBOUNCE_MS, value_parser = clap::value_parser!(u64).range(10..=60_000))]
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
    #[arg(long, value_name = "OUT", value_parser = out_folder_parser())]
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

/// Reads `--out` with [`out_folder`], any bytes the system allows in a path included.
fn out_folder_parser() -> impl clap::builder::TypedValueParser<Value = PathBuf> {
    use clap::builder::TypedValueParser as _;
    clap::builder::OsStringValueParser::new().try_map(out_folder)
}

/// `--out`, unless it starts with a `~` the shell did not expand.
fn out_folder(text: std::ffi::OsString) -> Result<PathBuf, String> {
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

/// Starts the threads that read, analyse and render on every core, before any command
/// runs: when the system refuses them (a limit on processes), the command stops with
/// this error, where the thread pool would panic at its first use.
fn start_worker_threads() -> Result<(), Error> {
    rayon::ThreadPoolBuilder::new()
        .build_global()
        .map_err(|error| {
            Error::Threads(format!(
                "{error}; the system limits how many this user may run (`ulimit -u`): raise the limit, or stop other programs"
            ))
        })
}

fn run(cli: Cli) -> Result<u8, Error> {
    match cli.output.color {
        // anstream decides by itself: NO_COLOR, CLICOLOR_FORCE, and whether it is a terminal.
        ColorArg::Auto => {}
        ColorArg::Always => anstream::ColorChoice::Always.write_global(),
        ColorArg::Never => anstream::ColorChoice::Never.write_global(),
    }
    let verbosity = cli.output.verbosity();
    start_worker_threads()?;
    match cli.command {
        Command::Init { dir, today } => init(&dir, today.unwrap_or_else(Date::today), verbosity),
        Command::New { what } => new(what, verbosity),
        Command::Status { journal, json } => status(&journal, json),
        Command::Build { journal } => build(&journal, verbosity),
        Command::Check { journal, strict } => check(&journal, strict, verbosity),
        Command::Config { dir } => config(&dir),
        Command::Watch { journal, watching } => watch(&journal, &watching, None, verbosity),
        Command::Serve {
            journal,
            watching,
            port,
            bind,
            open,
        } => watch(&journal, &watching, Some((bind, port, open)), verbosity),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            crate::manual::completions(Cli::command(), shell, &mut script);
            write_stdout(
                &mut std::io::stdout().lock(),
                &String::from_utf8_lossy(&script),
            )?;
            Ok(exit::OK)
        }
        Command::Man => {
            let page = crate::manual::man_page(Cli::command(), &EXIT_CODES);
            write_stdout(&mut std::io::stdout().lock(), &page)?;
            Ok(exit::OK)
        }
        Command::Review {
            journal,
            period,
            date,
            format,
        } => review(&journal, period.kind(), date, format),
    }
}

fn init(dir: &Path, today: Date, verbosity: Verbosity) -> Result<u8, Error> {
    let files = crate::scaffold::init_files(today);
    crate::scaffold::create_all(dir, &files)?;
    if verbosity == Verbosity::Quiet {
        return Ok(exit::OK);
    }
    let width = files.iter().map(|file| file.path.len()).max().unwrap_or(0);
    let mut text = if dir == Path::new(".") {
        "Started a journal in this folder:\n".to_string()
    } else {
        format!("Started a journal in {}:\n", dir.display())
    };
    for file in &files {
        text.push_str(&format!(
            "  {:<width$}  {}\n",
            file.path,
            crate::check::paint(anstyle::AnsiColor::BrightBlack, file.purpose)
        ));
    }
    // `trailmark build` rather than `trailmark build .`: the folder is the default.
    let dir_arg = if dir == Path::new(".") {
        String::new()
    } else {
        format!(" {}", shell_word(&dir.display().to_string()))
    };
    let next = [
        (
            format!("trailmark build{dir_arg}"),
            format!(
                "write the reports, then open {}",
                dir.join(crate::paths::DEFAULT_OUTPUT_FOLDER)
                    .join("index.html")
                    .display()
            ),
        ),
        (
            format!("trailmark serve{dir_arg}"),
            "or see them in a browser, updated as you edit".to_string(),
        ),
        (
            format!(
                "trailmark new goal \"Your goal\"{}",
                if dir_arg.is_empty() {
                    String::new()
                } else {
                    format!(" --dir{dir_arg}")
                }
            ),
            "add a goal of your own".to_string(),
        ),
        (
            format!("trailmark check{dir_arg}"),
            "see what each goal still lacks".to_string(),
        ),
    ];
    let width = next
        .iter()
        .map(|(command, _)| command.len())
        .max()
        .unwrap_or(0);
    text.push_str("\nNext:\n");
    for (command, what) in next {
        text.push_str(&format!(
            "  {}  {}\n",
            crate::check::paint(anstyle::AnsiColor::Green, &format!("{command:<width$}")),
            crate::check::paint(anstyle::AnsiColor::BrightBlack, &what)
        ));
    }
    print(&text)?;
    Ok(exit::OK)
}

/// `text` as one shell word, quoted if it needs to be.
fn shell_word(text: &str) -> String {
    shlex::try_quote(text).map_or_else(|_| text.to_string(), |quoted| quoted.into_owned())
}

fn new(what: NewCommand, verbosity: Verbosity) -> Result<u8, Error> {
    let args = match &what {
        NewCommand::Goal { new, .. } | NewCommand::Entry { new, .. } => new,
    };
    crate::scaffold::existing_journal(&args.dir)?;
    // Before the file is made: no editor is no reason to make it.
    let editor = args
        .edit
        .then(crate::editor::editor_of_environment)
        .transpose()?;
    let (file, args) = match what {
        NewCommand::Goal {
            title,
            due,
            area,
            parent,
            new,
        } => {
            let workspace = crate::open(&new.dir, None)?;
            let goal = crate::scaffold::NewGoal {
                title: title.join(" "),
                due,
                area,
                parent,
            };
            let templates = workspace.config().templates_in(&new.dir);
            let file =
                crate::scaffold::new_goal(workspace.journal(), &templates, &goal, Date::today())?;
            (file, new)
        }
        NewCommand::Entry { date, new } => {
            let templates = Workspace::open(&new.dir, None)?
                .config()
                .templates_in(&new.dir);
            let file = crate::scaffold::new_entry(&templates, date.unwrap_or_else(Date::today))?;
            (file, new)
        }
    };
    let path = &crate::scaffold::create(&args.dir, &file)?;
    if verbosity != Verbosity::Quiet {
        print(&format!("{}\n", path.display()))?;
    }
    if let Some(editor) = editor {
        crate::editor::edit(path, &editor)?;
    }
    Ok(exit::OK)
}

fn review(
    args: &JournalArgs,
    kind: PeriodKind,
    date: Option<Date>,
    format: FormatArg,
) -> Result<u8, Error> {
    let mut workspace = args.open()?;
    let period = workspace.review_period(kind, date, args.today());
    let report = workspace.analyse(args.today());
    let review = crate::analyse::review::Reviewer::new(workspace.journal(), &report).review(period);
    let text = match format {
        FormatArg::Json => {
            serde_json::to_string_pretty(&review)
                .expect("a review holds only strings, numbers and dates")
                + "\n"
        }
        FormatArg::Md | FormatArg::Html => {
            let renderer =
                crate::render::Renderer::new(Some(workspace.config().templates_in(&args.dir)));
            let format = if matches!(format, FormatArg::Html) {
                crate::plan::Format::Html
            } else {
                crate::plan::Format::Md
            };
            let to_journal = format!("{}/", args.dir.display()).replace('\\', "/");
            renderer.render_review(&review, format, &to_journal)?
        }
    };
    // A review is meant for a terminal as much as for a file: journal text in it never
    // sends a control sequence (JSON escapes them already).
    print(&crate::visible::visible(&text))?;
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

fn build(args: &JournalArgs, verbosity: Verbosity) -> Result<u8, Error> {
    let started = Instant::now();
    let progress = (verbosity != Verbosity::Quiet)
        .then(|| crate::progress::BuildProgress::start(crate::progress::DELAY));
    let built = build_with_progress(args, progress.as_ref());
    if let Some(progress) = progress {
        progress.finish();
    }
    let Built {
        report,
        summary,
        files,
        read,
        out,
    } = built?;
    if verbosity == Verbosity::Quiet {
        return Ok(exit::OK);
    }
    for warning in &summary.warnings {
        let _ = writeln!(
            anstream::stderr(),
            "trailmark: {}: {warning}",
            crate::check::paint(anstyle::AnsiColor::Yellow, "warning")
        );
    }
    let problems = report.diagnostics.len();
    let mut line = format!(
        "{}: {} reports written, {} unchanged",
        crate::text::plural(report.goals.len(), "goal"),
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
            crate::text::plural(problems, "problem"),
            if problems == 1 { "it" } else { "them" }
        ));
    }
    line.push('\n');
    if verbosity == Verbosity::Verbose {
        line.push_str(&written_list(&summary.written, &summary.removed));
        line.push_str(&format!(
            "read {} in {} ms; analysed, rendered and wrote in {} ms\n",
            crate::text::plural(files, "file"),
            read.as_millis(),
            (started.elapsed() - read).as_millis()
        ));
    }
    print(&line)?;
    Ok(exit::OK)
}

/// What `build` did, for its summary.
struct Built {
    report: crate::analyse::Report,
    summary: write::WriteSummary,
    /// How many journal files were read, and how long that took.
    files: usize,
    read: Duration,
    /// The output folder written to.
    out: PathBuf,
}

fn build_with_progress(
    args: &JournalArgs,
    progress: Option<&crate::progress::BuildProgress>,
) -> Result<Built, Error> {
    let started = Instant::now();
    let mut workspace = Workspace::open(&args.dir, args.out.as_deref())?;
    workspace.refresh();
    let read = started.elapsed();
    if let Some(progress) = progress {
        progress.building();
    }
    let (report, summary) = workspace.build_with_progress(args.today(), &|done, total| {
        if let Some(progress) = progress {
            progress.reports(done, total);
        }
    })?;
    Ok(Built {
        report,
        summary,
        files: workspace.journal().documents.len(),
        read,
        out: workspace.out().to_path_buf(),
    })
}

/// One line a report written or removed, for --verbose.
fn written_list(written: &[String], removed: &[String]) -> String {
    let mut list = String::new();
    for path in written {
        list.push_str(&format!("  wrote {path}\n"));
    }
    for path in removed {
        list.push_str(&format!("  removed {path}\n"));
    }
    list
}

/// `watch`, and `serve` when `serving` says where (address, port, whether to open a
/// browser).
fn watch(
    args: &JournalArgs,
    watching: &WatchArgs,
    serving: Option<(IpAddr, u16, bool)>,
    verbosity: Verbosity,
) -> Result<u8, Error> {
    let workspace = Workspace::open(&args.dir, args.out.as_deref())?;
    let out = workspace.out().to_path_buf();
    write::check_output_folder(&args.dir, &out)?;
    let watch = Watch::new(workspace, watching.options(args));
    let stopper = watch.stopper();
    let server = match serving {
        Some((bind, port, _)) => Some(start_server(&out, bind, port, stopper.clone())?),
        None => None,
    };
    let mut browser_pending = serving.is_some_and(|(_, _, open)| open);
    // SIGINT and SIGTERM stop the watch between builds, so no write is cut short.
    ctrlc::set_handler(move || stopper.stop())
        .map_err(|error| Error::journal(&args.dir, format!("cannot handle Ctrl-C: {error}")))?;
    let mut first = true;
    watch.run(|event| {
        if let (WatchEvent::Built(rebuild), Some(server)) = (&event, &server) {
            server.publish(rebuild.changed_reports());
        }
        // Quiet: only failed builds, which are errors.
        if verbosity != Verbosity::Quiet || matches!(event, WatchEvent::Failed(_)) {
            let _ = print(&describe_watch_event(&args.dir, &out, &event, first));
        }
        if let (WatchEvent::Built(rebuild), Verbosity::Verbose) = (&event, verbosity) {
            let _ = print(&written_list(
                &rebuild.written.written,
                &rebuild.written.removed,
            ));
        }
        if first && matches!(event, WatchEvent::Built(_) | WatchEvent::Failed(_)) {
            first = false;
            if verbosity != Verbosity::Quiet {
                let _ = print(&format!(
                    "watching {} for changes; press Ctrl-C to stop\n",
                    args.dir.display()
                ));
            }
            if let (Some(server), true) = (&server, browser_pending) {
                browser_pending = false;
                if let Err(error) = crate::serve::open_in_browser(&server.url()) {
                    let _ = print(&format!("could not open a browser: {error}\n"));
                }
            }
        }
    })?;
    if verbosity != Verbosity::Quiet {
        print("stopped\n")?;
    }
    Ok(exit::OK)
}

fn start_server(out: &Path, bind: IpAddr, port: u16, stopper: Stopper) -> Result<Server, Error> {
    // A server that cannot go on stops the watch, which ends the process with its error.
    let on_failure = {
        let stopper = stopper.clone();
        move |error| stopper.fail(error)
    };
    let server = match Server::start(out, bind, port, on_failure) {
        // The default port may be taken, by another serve for example: any port will do.
        Err(_) if port == DEFAULT_PORT => {
            Server::start(out, bind, 0, move |error| stopper.fail(error))?
        }
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
                crate::text::plural(rebuild.report.goals.len(), "goal"),
                crate::text::plural(rebuild.written.written.len(), "report"),
                rebuild.written.unchanged,
                out.display(),
                rebuild.took.as_millis()
            ) + &removal_notes(&clock, rebuild)
                + &problems_in(root, rebuild, true)
        }
        WatchEvent::Built(rebuild) => {
            let mut line = format!("{clock} {}", what_changed(rebuild));
            line.push_str(&format!(
                " · {} written",
                crate::text::plural(rebuild.written.written.len(), "report")
            ));
            if !rebuild.written.removed.is_empty() {
                line.push_str(&format!(", {} removed", rebuild.written.removed.len()));
            }
            line.push_str(&format!(" · {} ms\n", rebuild.took.as_millis()));
            line + &removal_notes(&clock, rebuild) + &problems_in(root, rebuild, false)
        }
    }
}

/// A note a line for each old report a rebuild could not remove.
fn removal_notes(clock: &str, rebuild: &Rebuild) -> String {
    rebuild
        .written
        .warnings
        .iter()
        .map(|warning| format!("{clock} note: {warning}\n"))
        .collect()
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
    let names: Vec<String> = files
        .files()
        .map(|name| crate::visible::visible(name).into_owned())
        .collect();
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
                crate::text::plural(n, "problem"),
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

fn check(args: &JournalArgs, strict: bool, verbosity: Verbosity) -> Result<u8, Error> {
    let mut workspace = args.open()?;
    let report = workspace.analyse(args.today());
    let text = match verbosity {
        // Quiet: only the problems that make `check` fail.
        Verbosity::Quiet => {
            let failing: Vec<_> = report
                .diagnostics
                .iter()
                .filter(|d| fails_check(d.severity, strict))
                .cloned()
                .collect();
            crate::check::format_diagnostics(&args.dir, &failing)
        }
        Verbosity::Normal | Verbosity::Verbose => {
            let mut text = String::new();
            if verbosity == Verbosity::Verbose {
                for document in &workspace.journal().documents {
                    text.push_str(&format!("read {}\n", document.path));
                }
            }
            let hints = crate::check::smart_hints(&report);
            text + &crate::check::format_check(&args.dir, &report.diagnostics, &hints)
        }
    };
    print(&text)?;
    let failing = report
        .diagnostics
        .iter()
        .any(|d| fails_check(d.severity, strict));
    Ok(if failing {
        exit::PROBLEMS_FOUND
    } else {
        exit::OK
    })
}

/// Whether a problem of `severity` makes `check` exit with [`exit::PROBLEMS_FOUND`].
fn fails_check(severity: Severity, strict: bool) -> bool {
    severity == Severity::Error || (strict && severity == Severity::Warning)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command and subcommand, with its full name (`trailmark new goal`).
    fn every_command() -> Vec<(String, clap::Command)> {
        fn walk(prefix: &str, command: &clap::Command, found: &mut Vec<(String, clap::Command)>) {
            for sub in command.get_subcommands() {
                let name = format!("{prefix} {}", sub.get_name());
                found.push((name.clone(), sub.clone()));
                walk(&name, sub, found);
            }
        }
        let mut found = Vec::new();
        walk("trailmark", &Cli::command(), &mut found);
        found
    }

    #[test]
    fn the_man_page_has_every_command_option_and_exit_code() {
        let page = crate::manual::man_page(Cli::command(), &EXIT_CODES);
        let top = Cli::command();
        let commands = every_command();
        assert!(
            commands.len() >= 12,
            "{:?}",
            commands.iter().map(|c| &c.0).collect::<Vec<_>>()
        );
        for (name, command) in std::iter::once(("trailmark".to_string(), top)).chain(commands) {
            assert!(page.contains(&name), "{name} in the man page");
            for arg in command.get_arguments().filter(|arg| !arg.is_hide_set()) {
                let shown = match arg.get_long() {
                    Some(long) => format!("\\-\\-{}", long.replace('-', "\\-")),
                    None => arg.get_id().as_str().to_uppercase(),
                };
                assert!(page.contains(&shown), "{name} {shown} in the man page");
            }
        }
        for (code, _) in EXIT_CODES {
            assert!(page.contains(&format!(".TP\n{code}\n")), "exit code {code}");
        }
        assert_eq!(
            [exit::OK, exit::PROBLEMS_FOUND, exit::FAILED],
            EXIT_CODES.map(|(code, _)| code)
        );
    }

    #[test]
    fn completions_know_every_command() {
        for shell in [
            clap_complete::Shell::Bash,
            clap_complete::Shell::Zsh,
            clap_complete::Shell::Fish,
            clap_complete::Shell::PowerShell,
        ] {
            let mut script = Vec::new();
            crate::manual::completions(Cli::command(), shell, &mut script);
            let script = String::from_utf8(script).unwrap();
            for (name, command) in every_command() {
                assert!(
                    script.contains(command.get_name()),
                    "{shell}: {name} in\n{script}"
                );
                for long in command.get_arguments().filter_map(clap::Arg::get_long) {
                    assert!(script.contains(long), "{shell}: {name} --{long}");
                }
            }
        }
    }
}
