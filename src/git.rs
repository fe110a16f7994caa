//! When milestones were checked, read from the git history of the journal folder.
//!
//! One streamed `git log -p` run reads every commit that touched the journal, oldest
//! first, and notes the first day each milestone (by file and text) appears checked in an
//! added line. The result is cached by the commit it was read at, so a later run reads
//! only the commits since (or nothing, when `HEAD` has not moved).
//!
//! Why the `git` program and not a library: one `git log` streams diffs already computed
//! by git, with rename detection, at a few hundred commits per 100 ms, and it keeps a
//! large dependency tree (and its compile time) out of the build. Without `git` on the
//! PATH, history simply is not used.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::dates::Date;
use crate::document::checked_milestone_text;

/// The name of the cache file, in the output folder.
pub const CACHE_FILE: &str = ".trailmark-git-history.json";

/// Bumped whenever the cache's meaning changes, so that old caches are ignored.
const CACHE_VERSION: u32 = 2;

/// What the history says about one checked milestone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Checked {
    /// The author date of the first commit with the milestone checked.
    On(Date),
    /// Checked already in a commit that starts the history (the first commit, or the
    /// cut of a shallow clone): done before the history began, on a day git cannot tell.
    BeforeHistory,
}

/// The history of the journal folder, as far as milestones are concerned.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct History {
    version: u32,
    /// The commit the history was read up to; `None` when the journal is not in a git
    /// repository (or the repository has no commit yet).
    head: Option<String>,
    /// Whether the journal folder is inside a git work tree at all.
    in_repository: bool,
    /// File (relative to the journal, `/` separators) -> milestone text -> when checked.
    checked: HashMap<String, HashMap<String, Checked>>,
    /// Submodule (its folder, relative to the journal) -> its own history: the lines of
    /// its files are in its own commits, not in this repository's diffs.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    submodules: BTreeMap<String, History>,
    /// Why history could not be read, when git failed on a repository.
    #[serde(skip)]
    pub problem: Option<String>,
    /// Whether git had to be stopped (see [`LIMITS`]).
    #[serde(skip)]
    stopped: bool,
}

impl History {
    /// When the milestone `text` in `file` was first committed checked.
    pub fn checked(&self, file: &str, text: &str) -> Option<Checked> {
        if let Some((submodule, file)) = self.submodule_of(file) {
            return submodule.checked(file, text);
        }
        self.checked.get(file)?.get(text).copied()
    }

    /// Whether `file` is in a repository whose history was read: then a milestone that
    /// is checked in no commit was checked since the last one.
    pub(crate) fn tracks(&self, file: &str) -> bool {
        match self.submodule_of(file) {
            Some((submodule, file)) => submodule.tracks(file),
            None => self.in_repository,
        }
    }

    /// The submodule `file` is in, and its path there.
    fn submodule_of<'a>(&self, file: &'a str) -> Option<(&History, &'a str)> {
        self.submodules.iter().find_map(|(folder, submodule)| {
            let inside = file.strip_prefix(folder.as_str())?.strip_prefix('/')?;
            Some((submodule, inside))
        })
    }

    /// A submodule appeared at `added`, or the one at `removed` is gone.
    fn note_submodule(&mut self, added: Option<&str>, removed: Option<&str>) {
        if let Some(folder) = added {
            self.submodules.entry(folder.to_string()).or_default();
        } else if let Some(folder) = removed {
            self.submodules.remove(folder);
        }
    }

    /// The cache to keep in the output folder, when history was read from commits.
    pub fn to_cache(&self) -> Option<String> {
        self.head.as_ref()?;
        Some(serde_json::to_string(self).expect("a history holds only strings and dates") + "\n")
    }

    /// A history from the text of an earlier [`History::to_cache`], unless it is from
    /// another version of trailmark or names as a commit something that is not one.
    pub fn from_cache(text: &str) -> Option<History> {
        serde_json::from_str::<History>(text)
            .ok()
            .filter(|h| h.version == CACHE_VERSION && h.names_only_commits())
    }

    /// Whether the commits this history (and each of its submodules') was read up to are
    /// commit ids. The cache travels with the output folder, say in a shared journal, and
    /// these go to git as arguments: anything else could be an option or a revision
    /// expression.
    fn names_only_commits(&self) -> bool {
        self.head.as_deref().is_none_or(is_commit_id)
            && self.submodules.values().all(History::names_only_commits)
    }

    /// Records one commit's added lines in `file`, keeping the earliest day.
    fn note_checked(&mut self, file: &str, text: String, checked: Checked) {
        let texts = self.checked.entry(file.to_string()).or_default();
        let earliest = match (texts.get(&text), checked) {
            (Some(Checked::BeforeHistory), _) | (_, Checked::BeforeHistory) => {
                Checked::BeforeHistory
            }
            (Some(Checked::On(known)), Checked::On(new)) => Checked::On((*known).min(new)),
            (None, new) => new,
        };
        texts.insert(text, earliest);
    }

    /// A file renamed from `from` to `to` keeps what is known about its milestones.
    fn note_rename(&mut self, from: &str, to: &str) {
        let Some(texts) = self.checked.get(from).cloned() else {
            return;
        };
        for (text, checked) in texts {
            self.note_checked(to, text, checked);
        }
    }
}

/// Brings `known` (the history as read before, if any) up to the current `HEAD`, reading
/// only the commits since when `HEAD` moved forward.
pub fn update(root: &Path, known: Option<History>) -> History {
    // A git that had to be stopped is not started again by this process (`watch`,
    // `serve`): the warning stays, and rebuilds do not wait for it each time.
    if let Some(stopped) = known.as_ref().filter(|known| known.stopped) {
        return stopped.clone();
    }
    let head = match rev_parse_head(root) {
        Ok(Head::NotARepository) => return History::default(),
        Ok(Head::NoCommits) => {
            return History {
                in_repository: true,
                ..History::default()
            };
        }
        Ok(Head::Commit(head)) => head,
        Err(failure) => return without_history(failure),
    };
    let mut history = match known {
        Some(cached) if cached.head.as_deref() == Some(head.as_str()) => {
            return with_submodules(root, cached);
        }
        Some(cached)
            if cached
                .head
                .as_deref()
                .is_some_and(|old| is_ancestor(root, old, &head)) =>
        {
            cached
        }
        _ => History {
            version: CACHE_VERSION,
            ..History::default()
        },
    };
    let range = match &history.head {
        Some(old) => format!("{old}..{head}"),
        None => head.clone(),
    };
    match read_log(root, &range, &mut history) {
        Ok(()) => {}
        Err(failure) => return without_history(failure),
    }
    history.head = Some(head);
    history.in_repository = true;
    with_submodules(root, history)
}

/// `history` with the history of each of its submodules brought up to date (each is a
/// repository of its own, read as the journal's is).
fn with_submodules(root: &Path, mut history: History) -> History {
    history.problem = None;
    for (folder, submodule) in &mut history.submodules {
        let inside = root.join(folder);
        // Not checked out: no files of it in the journal. (A name that leaves the
        // journal comes from a crafted commit: git checks none out.)
        let below = Path::new(folder)
            .components()
            .all(|part| matches!(part, std::path::Component::Normal(_)));
        if !below || !inside.join(".git").exists() {
            *submodule = History::default();
            continue;
        }
        *submodule = update(&inside, Some(std::mem::take(submodule)));
        if let (None, Some(problem)) = (&history.problem, &submodule.problem) {
            history.problem = Some(format!("in {folder}: {problem}"));
        }
    }
    history
}

/// No history, and why (for a warning): milestones without a date from elsewhere have
/// none, rather than "today" for want of a commit as in a readable repository.
fn without_history(failure: Failure) -> History {
    let (problem, stopped) = match failure {
        // Removed since it was found: as if there were none.
        Failure::NotInstalled => return History::default(),
        Failure::Problem(problem) => (problem, false),
        Failure::Stopped(problem) => (problem, true),
    };
    History {
        problem: Some(problem),
        stopped,
        ..History::default()
    }
}

/// Whether `text` is a full commit id as git prints it: SHA-1 or SHA-256, in lowercase
/// hexadecimal.
fn is_commit_id(text: &str) -> bool {
    matches!(text.len(), 40 | 64) && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

enum Head {
    NotARepository,
    NoCommits,
    Commit(String),
}

/// How long a git run may take before it is stopped (with what it started).
#[derive(Debug, Clone, Copy)]
struct Limits {
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
const LIMITS: Limits = Limits {
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

fn git(root: &Path) -> Command {
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
enum Failure {
    /// There is no `git` program.
    NotInstalled,
    /// It was stopped (silent for too long), for a warning.
    Stopped(String),
    /// Any other reason, for a warning.
    Problem(String),
}

/// The end of a git run whose output was read.
struct Finished<T> {
    read: T,
    success: bool,
    stderr: String,
}

fn rev_parse_head(root: &Path) -> Result<Head, Failure> {
    let mut command = git(root);
    command.args([
        "rev-parse",
        "--is-inside-work-tree",
        "--verify",
        "-q",
        "HEAD",
    ]);
    let finished = match run(command, LIMITS, |out| {
        let mut text = String::new();
        out.read_to_string(&mut text).map(|_| text)
    }) {
        Ok(finished) => finished,
        // No git installed: a journal without history.
        Err(Failure::NotInstalled) => return Ok(Head::NotARepository),
        Err(failure) => return Err(failure),
    };
    let mut lines = finished.read.lines();
    match lines.next() {
        Some("true") => {}
        // Inside a `.git` folder: no work tree to compare with.
        Some("false") => return Ok(Head::NotARepository),
        _ => {
            return if finished.stderr.contains("not a git repository") {
                Ok(Head::NotARepository)
            } else {
                Err(Failure::Problem(first_line(&finished.stderr)))
            };
        }
    }
    Ok(match lines.next() {
        Some(hash) if finished.success => Head::Commit(hash.trim().to_string()),
        _ => Head::NoCommits,
    })
}

fn is_ancestor(root: &Path, old: &str, head: &str) -> bool {
    let mut command = git(root);
    command.args(["merge-base", "--is-ancestor", old, head]);
    run(command, LIMITS, |out| {
        std::io::copy(out, &mut std::io::sink())
    })
    .is_ok_and(|finished| finished.success)
}

/// Streams `git log -p` over `range`, oldest commit first, into `history`.
fn read_log(root: &Path, range: &str, history: &mut History) -> Result<(), Failure> {
    let mut command = git(root);
    command.args([
        "log",
        "-p",
        "--reverse",
        "--topo-order",
        "--no-color",
        "--no-ext-diff",
        "--no-textconv",
        "--no-show-signature",
        // A submodule's change as the commits it moved between, with its mode 160000 that
        // tells it is one. `diff.submodule=diff` would start a `git diff` inside the
        // submodule, under the submodule's own config (kept in the journal's `.git`) and
        // without the options above: its `diff.external` would run.
        "--submodule=short",
        // Whatever `diff.ignoreSubmodules` or a `.gitmodules` `ignore` say: a submodule
        // not shown would not be read.
        "--ignore-submodules=none",
        // Whatever `diff.noprefix` or `diff.mnemonicPrefix` say.
        "--src-prefix=a/",
        "--dst-prefix=b/",
        "-M",
        "--unified=0",
        "--format=%x1e%P%x1f%ad",
        "--date=short",
        "--relative",
        range,
        "--",
        ".",
    ]);
    let finished = run(command, LIMITS, |out| {
        let mut reader = LogReader::default();
        let mut line = Vec::new();
        loop {
            line.clear();
            if out.read_until(b'\n', &mut line)? == 0 {
                return Ok(());
            }
            if line.last() == Some(&b'\n') {
                line.pop();
            }
            reader.line(&line, history);
        }
    })?;
    if !finished.success {
        return Err(Failure::Problem(first_line(&finished.stderr)));
    }
    Ok(())
}

/// How much of git's error output is kept for a message.
const STDERR_KEPT: u64 = 4096;

/// Runs `command`, handing its output to `read` as it comes, and stops it (with every
/// process it started) once it prints nothing for `limits.silence`, or runs longer than
/// `limits.overall`.
fn run<T>(
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

/// Where the reader is in one commit's diff.
#[derive(Default, Clone, Copy, PartialEq, Eq, Debug)]
enum Section {
    /// Before the first file, or in a part that is not read (a combined diff).
    #[default]
    Outside,
    /// The header of one file's diff: after `diff --git`, before its first hunk.
    FileHeader,
    /// In a hunk, with the number of lines still to come from the old and the new file.
    Hunk { old: u64, new: u64 },
    /// After a hunk: another hunk, the next file, or the next commit follows.
    BetweenHunks,
}

/// Where the reader is in the log stream.
#[derive(Default)]
struct LogReader {
    /// The current commit: `None` before the first one, or when its date is unreadable.
    commit: Option<Checked>,
    section: Section,
    /// The markdown file whose added lines follow.
    file: Option<String>,
    rename_from: Option<String>,
    /// The file's names before and after (`--- a/…`, `+++ b/…`), and whether it is a
    /// submodule (mode 160000).
    old_name: Option<String>,
    new_name: Option<String>,
    submodule: bool,
}

impl LogReader {
    /// Reads one line (without its `\n`). Lines inside a hunk are told by the counts of
    /// its `@@` header, never by how they look, so a journal line such as `++ b/x.md`
    /// (added: `+++ b/x.md`) is content, not a header.
    fn line(&mut self, line: &[u8], history: &mut History) {
        if let Section::Hunk { old, new } = &mut self.section {
            match line.first() {
                Some(b'+') => {
                    *new = new.saturating_sub(1);
                    if let (Some(file), Some(commit)) = (&self.file, self.commit)
                        && let Some(text) =
                            checked_milestone_text(&String::from_utf8_lossy(&line[1..]))
                    {
                        history.note_checked(file, text, commit);
                    }
                }
                Some(b'-') => *old = old.saturating_sub(1),
                // An empty context line is "" rather than " " with `diff.suppressBlankEmpty`.
                Some(b' ') | None => {
                    *old = old.saturating_sub(1);
                    *new = new.saturating_sub(1);
                }
                // `\ No newline at end of file`.
                Some(b'\\') => {}
                // Not a hunk line: git's output is not what the counts said.
                _ => {
                    self.section = Section::Outside;
                    self.file = None;
                    return self.line(line, history);
                }
            }
            if let Section::Hunk { old: 0, new: 0 } = self.section {
                self.section = Section::BetweenHunks;
            }
            return;
        }
        if let Some(header) = line.strip_prefix(b"\x1e") {
            let header = String::from_utf8_lossy(header);
            let (parents, date) = header.split_once('\u{1f}').unwrap_or((&header, ""));
            self.commit = if parents.trim().is_empty() {
                Some(Checked::BeforeHistory)
            } else {
                Date::parse(date).ok().map(Checked::On)
            };
            self.section = Section::Outside;
            self.start_file();
            return;
        }
        if line.starts_with(b"diff ") {
            // `diff --cc` (a merge's combined diff) is not read.
            self.section = if line.starts_with(b"diff --git ") {
                Section::FileHeader
            } else {
                Section::Outside
            };
            self.start_file();
            return;
        }
        match self.section {
            Section::FileHeader => self.header_line(line, history),
            Section::BetweenHunks => {
                if let Some(hunk) = hunk_header(line) {
                    self.section = hunk;
                }
            }
            Section::Outside | Section::Hunk { .. } => {}
        }
    }

    /// Forgets what was known about the file before.
    fn start_file(&mut self) {
        self.file = None;
        self.rename_from = None;
        self.old_name = None;
        self.new_name = None;
        self.submodule = false;
    }

    /// A line of a file's header (`rename from`, `+++ b/name`, `@@ …`).
    fn header_line(&mut self, line: &[u8], history: &mut History) {
        let text = String::from_utf8_lossy(line);
        if let Some(hunk) = hunk_header(line) {
            self.section = hunk;
            if self.submodule {
                history.note_submodule(self.new_name.as_deref(), self.old_name.as_deref());
            }
        } else if text.ends_with(" 160000")
            && [
                "new file mode",
                "deleted file mode",
                "index ",
                "new mode",
                "old mode",
            ]
            .iter()
            .any(|start| text.starts_with(start))
        {
            self.submodule = true;
        } else if let Some(path) = text.strip_prefix("--- ") {
            self.old_name = name_after(path, "a/");
        } else if let Some(from) = text.strip_prefix("rename from ") {
            self.rename_from = Some(unquote(from));
        } else if let Some(to) = text.strip_prefix("rename to ") {
            if let Some(from) = self.rename_from.take() {
                history.note_rename(&from, &unquote(to));
            }
        } else if let Some(path) = text.strip_prefix("+++ ") {
            self.new_name = name_after(path, "b/");
            self.file = self.new_name.clone().filter(|name| name.ends_with(".md"));
        }
    }
}

/// The name in a `---`/`+++` line after its `prefix`; `None` for `/dev/null`. git ends the
/// name with a tab when it holds a space (for `patch`); a tab of the name itself would
/// be quoted as `\t`.
fn name_after(path: &str, prefix: &str) -> Option<String> {
    let path = unquote(path.strip_suffix('\t').unwrap_or(path));
    path.strip_prefix(prefix).map(str::to_string)
}

/// The section a hunk header `@@ -a[,b] +c[,d] @@ …` starts: `b` old lines and `d` new
/// ones (one when left out). What follows the ranges is the text of a line of the file
/// (the "function" the hunk is in), cut by git at a byte count, maybe inside a
/// character: it is never decoded.
fn hunk_header(line: &[u8]) -> Option<Section> {
    let rest = line.strip_prefix(b"@@ -")?;
    let end = rest.windows(3).position(|three| three == b" @@")?;
    let ranges = std::str::from_utf8(&rest[..end]).ok()?;
    let (old, new) = ranges.split_once(" +")?;
    let count = |range: &str| -> Option<u64> {
        match range.split_once(',') {
            Some((start, count)) => {
                start.parse::<u64>().ok()?;
                count.parse().ok()
            }
            None => range.parse::<u64>().ok().map(|_| 1),
        }
    };
    let (old, new) = (count(old)?, count(new)?);
    Some(if old == 0 && new == 0 {
        Section::BetweenHunks
    } else {
        Section::Hunk { old, new }
    })
}

/// A path as git prints it: C-quoted (`"a\tb.md"`) when it holds special characters.
fn unquote(path: &str) -> String {
    let Some(inner) = path.strip_prefix('"').and_then(|p| p.strip_suffix('"')) else {
        return path.to_string();
    };
    let mut bytes = Vec::with_capacity(inner.len());
    let mut chars = inner.bytes().peekable();
    while let Some(byte) = chars.next() {
        if byte != b'\\' {
            bytes.push(byte);
            continue;
        }
        match chars.next() {
            Some(b'n') => bytes.push(b'\n'),
            Some(b't') => bytes.push(b'\t'),
            Some(b'a') => bytes.push(0x07),
            Some(b'b') => bytes.push(0x08),
            Some(b'f') => bytes.push(0x0c),
            Some(b'r') => bytes.push(b'\r'),
            Some(b'v') => bytes.push(0x0b),
            Some(digit @ b'0'..=b'7') => {
                let mut value = u32::from(digit - b'0');
                for _ in 0..2 {
                    if let Some(&next @ b'0'..=b'7') = chars.peek() {
                        value = value * 8 + u32::from(next - b'0');
                        chars.next();
                    }
                }
                bytes.push(value as u8);
            }
            Some(other) => bytes.push(other),
            None => {}
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn first_line(text: &str) -> String {
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

    fn day(text: &str) -> Date {
        Date::parse(text).expect("test dates are valid")
    }

    fn feed(lines: &[&str]) -> History {
        let mut history = History::default();
        let mut reader = LogReader::default();
        for line in lines {
            reader.line(line.as_bytes(), &mut history);
        }
        history
    }

    #[test]
    fn the_first_commit_with_the_line_checked_gives_the_day() {
        let history = feed(&[
            "\u{1e}\u{1f}2026-01-01",
            "",
            "diff --git a/g.md b/g.md",
            "new file mode 100644",
            "--- /dev/null",
            "+++ b/g.md",
            "@@ -0,0 +1,2 @@",
            "+- [ ] a",
            "+- [x] already done",
            "\u{1e}p1\u{1f}2026-02-03",
            "",
            "diff --git a/g.md b/g.md",
            "--- a/g.md",
            "+++ b/g.md",
            "@@ -1 +1 @@",
            "-- [ ] a",
            "+- [x] a",
            "\u{1e}p2\u{1f}2026-03-01",
            "",
            "diff --git a/g.md b/g.md",
            "--- a/g.md",
            "+++ b/g.md",
            "@@ -2,0 +3 @@",
            // The line moved: the first day stays.
            "+- [x] a",
            "@@ -1 +0,0 @@",
            "-- [x] a",
        ]);
        assert_eq!(
            history.checked("g.md", "a"),
            Some(Checked::On(day("2026-02-03")))
        );
        assert_eq!(
            history.checked("g.md", "already done"),
            Some(Checked::BeforeHistory)
        );
        assert_eq!(history.checked("g.md", "missing"), None);
    }

    #[test]
    fn renames_carry_what_is_known() {
        let history = feed(&[
            "\u{1e}p0\u{1f}2026-01-05",
            "diff --git a/old name.md b/old name.md",
            "+++ b/old name.md\t",
            "@@ -0,0 +1 @@",
            "+- [x] a",
            "\u{1e}p1\u{1f}2026-02-01",
            "diff --git a/old name.md b/new.md",
            "similarity index 90%",
            "rename from old name.md",
            "rename to new.md",
            "+++ b/new.md",
            "@@ -1,0 +2 @@",
            "+- [x] b",
        ]);
        assert_eq!(
            history.checked("new.md", "a"),
            Some(Checked::On(day("2026-01-05")))
        );
        assert_eq!(
            history.checked("new.md", "b"),
            Some(Checked::On(day("2026-02-01")))
        );
    }

    #[test]
    fn only_added_lines_of_markdown_files_count() {
        let history = feed(&[
            "\u{1e}p0\u{1f}2026-01-05",
            "diff --git a/notes.txt b/notes.txt",
            "+++ b/notes.txt",
            "@@ -0,0 +1 @@",
            "+- [x] not markdown",
            "diff --git a/gone.md b/gone.md",
            "deleted file mode 100644",
            "--- a/gone.md",
            "+++ /dev/null",
            "@@ -1 +0,0 @@",
            "-- [x] deleted file",
            "diff --git a/g.md b/g.md",
            "+++ b/g.md",
            "@@ -1,2 +1 @@",
            "-- [x] removed",
            " - [x] context",
        ]);
        assert_eq!(history, History::default());
    }

    #[test]
    fn names_with_spaces_lose_the_tab_git_adds() {
        let history = feed(&[
            "\u{1e}p0\u{1f}2026-01-05",
            "diff --git a/Learn SQL.md b/Learn SQL.md",
            "--- a/Learn SQL.md\t",
            "+++ b/Learn SQL.md\t",
            "@@ -1 +1 @@",
            "-- [ ] joins",
            "+- [x] joins",
            "diff --git \"a/say \\\"hi\\\".md\" \"b/say \\\"hi\\\".md\"",
            "+++ \"b/say \\\"hi\\\".md\"\t",
            "@@ -0,0 +1 @@",
            "+- [x] quoted",
        ]);
        let on = Some(Checked::On(day("2026-01-05")));
        assert_eq!(history.checked("Learn SQL.md", "joins"), on);
        assert_eq!(history.checked("say \"hi\".md", "quoted"), on);
    }

    #[test]
    fn lines_in_a_hunk_are_content_whatever_they_look_like() {
        let history = feed(&[
            "\u{1e}p0\u{1f}2026-01-05",
            "diff --git a/g.md b/g.md",
            "+++ b/g.md",
            "@@ -0,0 +1,5 @@",
            "+++ b/other.md",
            "+diff --git a/other.md b/other.md",
            "+@@ -0,0 +1,9 @@",
            "+\u{1e}p\u{1f}2020-02-02",
            "+- [x] still in g",
            "\\ No newline at end of file",
            // A line after the hunk that is no hunk header is not read as one.
            "+- [x] not in a hunk",
        ]);
        assert_eq!(
            history.checked("g.md", "still in g"),
            Some(Checked::On(day("2026-01-05")))
        );
        assert_eq!(history.checked("g.md", "not in a hunk"), None);
        assert_eq!(history.checked("other.md", "still in g"), None);
    }

    #[test]
    fn hunk_headers_give_the_counts_of_lines() {
        assert_eq!(
            hunk_header(b"@@ -3,2 +4 @@ ## Heading"),
            Some(Section::Hunk { old: 2, new: 1 })
        );
        assert_eq!(
            hunk_header(b"@@ -0,0 +1,12 @@"),
            Some(Section::Hunk { old: 0, new: 12 })
        );
        assert_eq!(hunk_header(b"@@ -1,0 +1,0 @@"), Some(Section::BetweenHunks));
        assert_eq!(hunk_header(b"@@@ -1 -1 +1 @@@"), None);
        assert_eq!(hunk_header(b"@@ -x +1 @@"), None);
        assert_eq!(hunk_header(b"+@@ -1 +1 @@"), None);
    }

    #[test]
    fn hunk_headers_are_read_whatever_text_of_the_file_follows() {
        // The function context after the range is cut by git, or by nothing, anywhere:
        // here inside `ü` and `中`, and not UTF-8 at all.
        for context in ["ü", "中"] {
            // `5 +5 @@ ` and 55 bytes: the character is at byte 63 of what follows `@@ -`.
            let line = format!("@@ -5 +5 @@ {}{context} and more", "p".repeat(55));
            assert_eq!(
                hunk_header(line.as_bytes()),
                Some(Section::Hunk { old: 1, new: 1 }),
                "{line}"
            );
            let cut = &line.as_bytes()[..line.find(context).unwrap() + 1];
            assert_eq!(hunk_header(cut), Some(Section::Hunk { old: 1, new: 1 }));
        }
        assert_eq!(
            hunk_header(b"@@ -5 +5 @@ \xff\xfe"),
            Some(Section::Hunk { old: 1, new: 1 })
        );
        assert_eq!(hunk_header(b"@@ -5 +5"), None);
        assert_eq!(hunk_header(b"@@ -5 +5 @"), None);
        assert_eq!(hunk_header(b"@@ -5  +5 @@"), None);
    }

    #[test]
    fn an_empty_line_in_a_hunk_is_an_empty_context_line() {
        // `diff.suppressBlankEmpty` prints an empty context line as "", not " ".
        let history = feed(&[
            "\u{1e}p0\u{1f}2026-01-05",
            "diff --git a/g.md b/g.md",
            "+++ b/g.md",
            "@@ -1,4 +1,4 @@",
            "-- [ ] a",
            "+- [x] a",
            "",
            "",
            "-- [ ] b",
            "+- [x] b",
        ]);
        let on = Some(Checked::On(day("2026-01-05")));
        assert_eq!(history.checked("g.md", "a"), on);
        assert_eq!(history.checked("g.md", "b"), on);
    }

    #[test]
    fn merges_combined_diffs_are_not_read() {
        let history = feed(&[
            "\u{1e}p0 p1\u{1f}2026-01-05",
            "diff --cc g.md",
            "+++ b/g.md",
            "@@@ -1,1 -1,1 +1,2 @@@",
            "++- [x] merged",
        ]);
        assert_eq!(history, History::default());
    }

    #[test]
    fn submodules_are_noted_and_their_files_looked_up_in_their_history() {
        let mut history = feed(&[
            "\u{1e}p0\u{1f}2026-01-05",
            "diff --git a/my goals b/my goals",
            "new file mode 160000",
            "index 0000000..4355ecb",
            "--- /dev/null",
            "+++ b/my goals\t",
            "@@ -0,0 +1 @@",
            "+Subproject commit 4355ecbf8ef2083e4ae19d16949e1cebcbe0025d",
            "diff --git a/old b/old",
            "new file mode 160000",
            "+++ b/old",
            "@@ -0,0 +1 @@",
            "+Subproject commit 4355ecbf8ef2083e4ae19d16949e1cebcbe0025d",
            "\u{1e}p1\u{1f}2026-01-06",
            "diff --git a/old b/old",
            "deleted file mode 160000",
            "index 4355ecb..0000000",
            "--- a/old",
            "+++ /dev/null",
            "@@ -1 +0,0 @@",
            "-Subproject commit 4355ecbf8ef2083e4ae19d16949e1cebcbe0025d",
        ]);
        assert_eq!(history.submodules.keys().collect::<Vec<_>>(), ["my goals"]);
        let inside = feed(&[
            "\u{1e}p\u{1f}2026-02-01",
            "diff --git a/g.md b/g.md",
            "+++ b/g.md",
            "@@ -0,0 +1 @@",
            "+- [x] a",
        ]);
        let inside = History {
            in_repository: true,
            ..inside
        };
        history.submodules.insert("my goals".into(), inside);
        assert_eq!(
            history.checked("my goals/g.md", "a"),
            Some(Checked::On(day("2026-02-01")))
        );
        assert_eq!(history.checked("g.md", "a"), None);
        assert!(history.tracks("my goals/g.md"));
        assert!(!history.tracks("my goals.md"));
    }

    #[test]
    fn quoted_paths_are_unquoted() {
        assert_eq!(unquote("\"b/a\\tb.md\""), "b/a\tb.md");
        assert_eq!(unquote("\"b/\\303\\251.md\""), "b/é.md");
        assert_eq!(unquote("\"b/\\\"q\\\\.md\""), "b/\"q\\.md");
        assert_eq!(unquote("b/plain.md"), "b/plain.md");
    }

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
            |out| {
                let mut text = String::new();
                out.read_to_string(&mut text).map(|_| text)
            },
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
            |out| {
                let mut text = String::new();
                out.read_to_string(&mut text).map(|_| text)
            },
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
            |out| std::io::copy(out, &mut std::io::sink()),
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
            |out| std::io::copy(out, &mut std::io::sink()),
        );
        assert!(
            matches!(&result, Err(Failure::Stopped(message)) if message.contains("ran for more than")),
            "{:?}",
            result.as_ref().map(|f| f.read)
        );
        assert!(started.elapsed() < Duration::from_secs(20));
    }

    #[test]
    fn the_cache_round_trips_and_old_versions_are_ignored() {
        let mut history = feed(&["\u{1e}p\u{1f}2026-01-05", "+++ b/g.md", "+- [x] a"]);
        history.version = CACHE_VERSION;
        history.head = Some("0123456789abcdef0123456789abcdef01234567".into());
        history.in_repository = true;
        let cache = history.to_cache().unwrap();
        assert_eq!(History::from_cache(&cache), Some(history.clone()));
        history.version = 0;
        assert_eq!(History::from_cache(&history.to_cache().unwrap()), None);
        history.head = None;
        assert_eq!(history.to_cache(), None);
        assert_eq!(History::from_cache("not json"), None);
    }

    #[test]
    fn a_cache_naming_no_commit_is_ignored() {
        // The cache travels with the output folder; its head goes to git as an argument.
        let cache = |head: &str| {
            let history = History {
                version: CACHE_VERSION,
                head: Some(head.to_string()),
                in_repository: true,
                ..History::default()
            };
            History::from_cache(&history.to_cache().unwrap())
        };
        let sha1 = "0123456789abcdef0123456789abcdef01234567";
        let sha256 = sha1.to_string() + "0123456789abcdef01234567";
        assert!(cache(sha1).is_some());
        assert!(cache(&sha256).is_some());
        for bad in [
            "--output=/tmp/x",
            "HEAD",
            "HEAD~1",
            "",
            &sha1.to_uppercase(),
            &sha1[..39],
            &(sha1.to_string() + "0"),
            "0123456789abcdef0123456789abcdef0123456g",
        ] {
            assert_eq!(cache(bad), None, "{bad:?}");
        }
        // So is one whose submodule names no commit.
        let mut history = History {
            version: CACHE_VERSION,
            head: Some(sha1.to_string()),
            in_repository: true,
            ..History::default()
        };
        history.submodules.insert(
            "shared".into(),
            History {
                version: CACHE_VERSION,
                head: Some("--output=x".into()),
                ..History::default()
            },
        );
        assert_eq!(History::from_cache(&history.to_cache().unwrap()), None);
    }
}
