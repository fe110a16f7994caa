//! Running git safely: settings and environment that keep a journal's repository from
//! starting programs or naming files for git to read, and limits on how long git may
//! run, after which it is stopped with every process it started.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::{Duration, Instant};

/// How long a git run may take before it is stopped (with what it started).
#[derive(Debug, Clone, Copy)]
pub(super) struct Limits {
    /// How long it may print nothing.
    silence: Duration,
    /// How long it may run in all, printing or not.
    overall: Duration,
}

/// Both generous. With `--reverse`, git walks the whole history before it prints the
/// first commit, which takes seconds in a repository of a million commits; a git that
/// is silent for a minute is waiting on something that will not come (a FIFO named by
/// an `include.path`, a hung network folder). Reading a journal's whole history takes
/// seconds (a few hundred commits per 100 ms, and only the first run reads it all: the
/// cache keeps it); a git still printing after ten minutes is not reading a journal
/// (a program named `git` that never ends, a history rewritten in a loop).
pub(super) const LIMITS: Limits = Limits {
    silence: Duration::from_secs(60),
    overall: Duration::from_secs(600),
};

/// Settings given on the command line, which win over every config file: a journal's
/// `.git/config` comes with the folder (shared, synced, unpacked from an archive) and
/// must not run programs, read files outside the repository, or change the output read
/// here. Program-running settings that are not listed are turned off by options of
/// `git log` (`--no-ext-diff`, `--no-textconv`, `--no-show-signature`, `--no-pager`,
/// `--submodule=short`) or by the environment (`GIT_NO_LAZY_FETCH`).
const SAFE_CONFIG: &[&str] = &[
    // A hook program git would start to list changed files.
    "core.fsmonitor=false",
    // Signature checks run `gpg.program` (or the ssh and x509 ones).
    "log.showSignature=false",
    // Missing objects of a partial clone are fetched through `core.sshCommand` or a
    // remote helper; older gits ignore `GIT_NO_LAZY_FETCH`, none fetches with no protocol.
    "protocol.allow=never",
    "protocol.file.allow=never",
    "protocol.git.allow=never",
    "protocol.ssh.allow=never",
    "protocol.http.allow=never",
    "protocol.https.allow=never",
    "protocol.ext.allow=never",
    // A bare repository inside the journal (say, in a cloned note folder) is used only
    // when named explicitly, never found by walking up.
    "safe.bareRepository=explicit",
    // Names as UTF-8 (still C-quoted when they hold `"`, `\` or control characters).
    "core.quotePath=false",
    // Without it, the first commit's lines would be missing from `git log -p`.
    "log.showRoot=true",
    // Hunks of changed lines only: no context lines between near ones, and none printed
    // as an empty line (the reader copes with both, but reads less this way).
    "diff.interHunkContext=0",
    "diff.suppressBlankEmpty=false",
    // Files git would read whole, or wait on: a repository naming `/dev/zero` or a FIFO
    // would make git use up memory or never answer. The diff drivers that attributes
    // choose are turned off anyway; with `log.mailmap` off, neither `mailmap.file`,
    // `mailmap.blob` nor `.mailmap` is read (author names, all a mailmap changes, are
    // not read here).
    "diff.orderFile=/dev/null",
    "core.attributesFile=/dev/null",
    "log.mailmap=false",
];

/// Environment variables of git that are kept: where the user's own config files are,
/// and where repository discovery stops. Every other `GIT_*` variable is removed: run
/// from a git hook or an editor, they name another repository (`GIT_DIR`,
/// `GIT_INDEX_FILE`), a program (`GIT_EXTERNAL_DIFF`, `GIT_PAGER`, `GIT_SSH_COMMAND`) or
/// config (`GIT_CONFIG_PARAMETERS`) that changes what is read.
const KEPT_ENVIRONMENT: &[&str] = &[
    "GIT_CONFIG_GLOBAL",
    "GIT_CONFIG_SYSTEM",
    "GIT_CONFIG_NOSYSTEM",
    "GIT_CEILING_DIRECTORIES",
    "GIT_DISCOVERY_ACROSS_FILESYSTEM",
];

/// A `git` command run in `root`, with [`SAFE_CONFIG`] and only the environment of
/// [`KEPT_ENVIRONMENT`].
pub(super) fn git(root: &Path) -> Command {
    let mut command = Command::new("git");
    for (name, _) in std::env::vars_os() {
        let kept = name
            .to_str()
            .is_some_and(|name| KEPT_ENVIRONMENT.contains(&name));
        if name.as_encoded_bytes().starts_with(b"GIT_") && !kept {
            command.env_remove(name);
        }
    }
    command
        .env("GIT_NO_LAZY_FETCH", "1")
        // Messages in English, which `rev_parse_head` reads.
        .env("LC_ALL", "C")
        .arg("--no-pager")
        .arg("-C")
        .arg(root);
    for setting in SAFE_CONFIG {
        command.args(["-c", setting]);
    }
    command
}

/// Why a git run gave no answer.
#[derive(Debug)]
pub(super) enum Failure {
    /// There is no `git` program.
    NotInstalled,
    /// It was stopped (silent for too long), for a warning.
    Stopped(String),
    /// Any other reason, for a warning.
    Problem(String),
}

/// The end of a git run whose output was read.
pub(super) struct Finished<T> {
    pub(super) read: T,
    pub(super) success: bool,
    pub(super) stderr: String,
}

/// How much of git's error output is kept for a message.
const STDERR_KEPT: u64 = 4096;

/// Runs `command`, handing its output to `read` as it comes, and stops it (with every
/// process it started) once it prints nothing for `limits.silence`, or runs longer than
/// `limits.overall`.
pub(super) fn run<T>(
    mut command: Command,
    limits: Limits,
    read: impl FnOnce(&mut dyn BufRead) -> std::io::Result<T>,
) -> Result<Finished<T>, Failure> {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // Its own process group, so that stopping it stops what it started too.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Err(Failure::NotInstalled);
        }
        Err(error) => return Err(Failure::Problem(format!("cannot run git: {error}"))),
    };
    let stdout = child.stdout.take().expect("stdout is piped");
    let stderr = child.stderr.take().expect("stderr is piped");
    // A thread the system refuses (a limit on processes) stops git and reads no history,
    // rather than panic.
    let no_thread = |error: std::io::Error| {
        Failure::Problem(format!(
            "cannot start a thread to read git's output: {error}"
        ))
    };
    let stderr = thread::Builder::new().spawn(move || {
        let mut kept = Vec::new();
        let mut stderr = stderr;
        let _ = (&mut stderr).take(STDERR_KEPT).read_to_end(&mut kept);
        // The rest is read only so that git never waits on a full pipe.
        let _ = std::io::copy(&mut stderr, &mut std::io::sink());
        String::from_utf8_lossy(&kept).into_owned()
    });
    let stderr = match stderr {
        Ok(stderr) => stderr,
        Err(error) => {
            stop(&mut child, Stop::Unwanted);
            return Err(no_thread(error));
        }
    };
    let reads = Arc::new(AtomicU64::new(0));
    let (done, finish) = mpsc::channel();
    let group = child.id();
    let watchdog = {
        let reads = Arc::clone(&reads);
        thread::Builder::new().spawn(move || watch(child, limits, &reads, &finish))
    };
    let watchdog = match watchdog {
        Ok(watchdog) => watchdog,
        Err(error) => {
            // The child went with the thread that could not start: stop it by its id.
            kill_group(group);
            return Err(no_thread(error));
        }
    };
    let mut out = BufReader::new(Counted {
        inner: stdout,
        reads,
    });
    let read = read(&mut out);
    drop(out);
    // Told to stop when reading failed half-way; left to end after the whole output.
    let _ = done.send(read.is_ok());
    let ended = watchdog.join().expect("the watchdog does not panic");
    let stderr = stderr.join().unwrap_or_default();
    let success = match ended {
        Ended::Exited(success) => success,
        Ended::Stopped(Stop::Silent) => {
            return Err(Failure::Stopped(format!(
                "git printed nothing for {} s and was stopped",
                limits.silence.as_secs()
            )));
        }
        Ended::Stopped(Stop::TooLong) => {
            return Err(Failure::Stopped(format!(
                "git ran for more than {} s and was stopped",
                limits.overall.as_secs()
            )));
        }
        // Reading failed half-way: the read's error says why.
        Ended::Stopped(Stop::Unwanted) => false,
        Ended::Lost(error) => return Err(Failure::Problem(format!("git did not finish: {error}"))),
    };
    let read =
        read.map_err(|error| Failure::Problem(format!("cannot read git's output: {error}")))?;
    Ok(Finished {
        read,
        success,
        stderr,
    })
}

/// For [`run`]: the whole output, as text.
pub(super) fn all_text(out: &mut dyn BufRead) -> std::io::Result<String> {
    let mut text = String::new();
    out.read_to_string(&mut text).map(|_| text)
}

/// For [`run`] when only the exit status counts: the output is read to its end, unkept.
pub(super) fn discard(out: &mut dyn BufRead) -> std::io::Result<u64> {
    std::io::copy(out, &mut std::io::sink())
}

/// A reader that counts its reads, so that the watchdog sees progress.
struct Counted<R> {
    inner: R,
    reads: Arc<AtomicU64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buf)?;
        self.reads.fetch_add(1, Ordering::Relaxed);
        Ok(read)
    }
}

/// How a watched git run ended.
enum Ended {
    /// It exited, successfully or not.
    Exited(bool),
    /// It was stopped.
    Stopped(Stop),
    /// Waiting for it failed.
    Lost(std::io::Error),
}

/// Why a git run was stopped.
enum Stop {
    /// It printed nothing for [`Limits::silence`].
    Silent,
    /// It ran longer than [`Limits::overall`].
    TooLong,
    /// Its output is no longer read.
    Unwanted,
}

/// Waits for `child`, stopping it when `reads` stays still for `limits.silence`, when it
/// runs past `limits.overall`, or when `finish` says so. `finish` sends `true` once the
/// whole output was read: then the child is ending, and gets `limits.silence` more to do
/// so (within the overall limit).
fn watch(
    mut child: Child,
    limits: Limits,
    reads: &AtomicU64,
    finish: &mpsc::Receiver<bool>,
) -> Ended {
    let end = Instant::now() + limits.overall;
    let mut seen = reads.load(Ordering::Relaxed);
    let mut quiet_since = Instant::now();
    loop {
        let now = Instant::now();
        if now >= end {
            return stop(&mut child, Stop::TooLong);
        }
        let wait = (quiet_since + limits.silence)
            .min(end)
            .saturating_duration_since(now);
        match finish.recv_timeout(wait) {
            Ok(true) => break,
            Ok(false) | Err(mpsc::RecvTimeoutError::Disconnected) => {
                return stop(&mut child, Stop::Unwanted);
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let read = reads.load(Ordering::Relaxed);
                if read != seen {
                    seen = read;
                    quiet_since = Instant::now();
                } else if Instant::now() >= quiet_since + limits.silence {
                    return stop(&mut child, Stop::Silent);
                }
            }
        }
    }
    // Its output is closed, so it is exiting: check often at first, then less.
    let deadline = (Instant::now() + limits.silence).min(end);
    let mut pause = Duration::from_micros(100);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ended::Exited(status.success()),
            Ok(None) if Instant::now() < deadline => {
                thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(50));
            }
            Ok(None) if Instant::now() >= end => return stop(&mut child, Stop::TooLong),
            Ok(None) => return stop(&mut child, Stop::Silent),
            Err(error) => return Ended::Lost(error),
        }
    }
}

/// Kills `child` and every process in its group, and reaps it.
fn stop(child: &mut Child, why: Stop) -> Ended {
    kill_group(child.id());
    let _ = child.kill();
    let _ = child.wait();
    Ended::Stopped(why)
}

/// Kills the process group of git (started as its leader), whatever it started with it.
/// Called before git is reaped, so its id (and its group's) cannot have been reused.
fn kill_group(leader: u32) {
    #[cfg(unix)]
    if let Ok(group) = libc::pid_t::try_from(leader) {
        // SAFETY: `kill` takes plain integers and touches no memory of ours.
        unsafe {
            libc::kill(-group, libc::SIGKILL);
        }
    }
    #[cfg(not(unix))]
    let _ = leader;
}

/// The first line of git's error output, for a message.
pub(super) fn first_line(text: &str) -> String {
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let line = line.trim().trim_start_matches("fatal: ");
    if line.is_empty() {
        "git failed without a message".to_string()
    } else {
        line.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `silence` as the limit that matters; the overall one as in a real run.
    fn silence(silence: Duration) -> Limits {
        Limits { silence, ..LIMITS }
    }

    #[cfg(unix)]
    fn shell(script: &str) -> Command {
        let mut command = Command::new("sh");
        command.args(["-c", script]);
        command
    }

    #[cfg(unix)]
    #[test]
    fn a_silent_program_is_stopped_with_what_it_started() {
        let started = Instant::now();
        // The shell waits for its `sleep`, which holds the output open: both are stopped.
        let result = run(
            shell("echo one; sleep 30; echo two"),
            silence(Duration::from_millis(300)),
            all_text,
        );
        assert!(
            matches!(&result, Err(Failure::Stopped(message)) if message.contains("stopped")),
            "{:?}",
            result.as_ref().map(|f| &f.read)
        );
        assert!(started.elapsed() < Duration::from_secs(20));
    }

    #[cfg(unix)]
    #[test]
    fn a_program_that_keeps_printing_is_not_stopped() {
        let finished = run(
            shell("for i in 1 2 3 4 5 6; do echo $i; sleep 0.2; done; echo done >&2"),
            silence(Duration::from_millis(900)),
            all_text,
        );
        let Ok(finished) = finished else {
            panic!("stopped although it kept printing");
        };
        assert_eq!(finished.read, "1\n2\n3\n4\n5\n6\n");
        assert!(finished.success);
        assert_eq!(finished.stderr, "done\n");
    }

    #[cfg(unix)]
    #[test]
    fn a_program_that_closes_its_output_and_hangs_is_stopped() {
        let result = run(
            shell("exec >&- 2>&-; sleep 30"),
            silence(Duration::from_millis(300)),
            discard,
        );
        assert!(matches!(result, Err(Failure::Stopped(_))));
    }

    #[cfg(unix)]
    #[test]
    fn a_program_that_prints_for_too_long_is_stopped() {
        let started = Instant::now();
        // Never silent for long, never done: only the overall limit stops it.
        let result = run(
            shell("while true; do echo x; sleep 0.05; done"),
            Limits {
                silence: Duration::from_secs(5),
                overall: Duration::from_millis(500),
            },
            discard,
        );
        assert!(
            matches!(&result, Err(Failure::Stopped(message)) if message.contains("ran for more than")),
            "{:?}",
            result.as_ref().map(|f| f.read)
        );
        assert!(started.elapsed() < Duration::from_secs(20));
    }
}
