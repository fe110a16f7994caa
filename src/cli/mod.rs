//! The command line: parses the arguments ([`args`]), runs the command ([`crate::cmd`]),
//! and turns how it went into an exit code.

mod args;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use crate::cmd;
use crate::error::Error;
use args::{Cli, ColorArg, Command};

/// Exit codes, the same for every command.
pub(crate) mod exit {
    /// Success.
    pub(crate) const OK: u8 = 0;
    /// `check` found errors (or warnings, with `--strict`).
    pub(crate) const PROBLEMS_FOUND: u8 = 1;
    /// The command could not run: bad arguments, a missing journal folder, an unsafe
    /// output folder, a template error, a failed write.
    pub(crate) const FAILED: u8 = 2;
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

/// Runs the command line and returns the process exit code.
pub(crate) fn main() -> ExitCode {
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
            crate::term::print_error(&error);
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
    let cache = cmd::CacheUse {
        read: !cli.no_cache,
        explain: verbosity == crate::term::Verbosity::Verbose,
    };
    start_worker_threads()?;
    match cli.command {
        Command::Init { dir, today } => cmd::init::run(&dir, today, verbosity)?,
        Command::New { what } => cmd::new::run(what.options(), verbosity)?,
        Command::Status { journal, json } => cmd::status::run(&journal.options(cache), json)?,
        Command::Build {
            journal,
            share: None,
            ..
        } => cmd::build::run(&journal.options(cache), verbosity)?,
        Command::Build {
            journal,
            share: Some(audience),
            dry_run,
        } => cmd::build::run_shared(&journal.options(cache), &audience, dry_run, verbosity)?,
        Command::Check { journal, strict } => {
            let failed = cmd::check::run(&journal.options(cache), strict, verbosity)?;
            return Ok(if failed {
                exit::PROBLEMS_FOUND
            } else {
                exit::OK
            });
        }
        Command::Config { dir } => cmd::config::run(&dir)?,
        Command::Watch { journal, watching } => {
            let watching = watching.options(&journal);
            cmd::watch::run(&journal.options(cache), watching, None, verbosity)?;
        }
        Command::Serve {
            journal,
            watching,
            port,
            bind,
            open,
        } => {
            let watching = watching.options(&journal);
            let serving = cmd::serve::ServeOptions {
                bind,
                port,
                open_browser: open,
            };
            cmd::watch::run(&journal.options(cache), watching, Some(serving), verbosity)?;
        }
        Command::Lsp { today } => cmd::lsp::run(today, cache)?,
        Command::Completions { shell } => cmd::manual::print_completions(Cli::command(), shell)?,
        Command::Man => cmd::manual::print_man_page(Cli::command(), &EXIT_CODES)?,
        Command::Review {
            journal,
            period,
            date,
            format,
        } => cmd::review::run(
            &journal.options(cache),
            period.kind(),
            date,
            format.format(),
        )?,
    }
    Ok(exit::OK)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cmd::manual::{completions, man_page};

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
        let page = man_page(Cli::command(), &EXIT_CODES);
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
            completions(Cli::command(), shell, &mut script);
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
