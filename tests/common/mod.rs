//! Helpers shared by the integration tests.
//!
//! Every test runs on a copy of its journal in a temporary folder: builds never write into
//! the repository, and the repository's own git history never leaks into done dates.

use std::fs;
use std::path::Path;
use std::process::Command as Process;

use assert_cmd::Command;

/// The binary, with colors off.
pub fn trailmark() -> Command {
    let mut command = Command::cargo_bin("trailmark").expect("the binary is built by cargo test");
    command.env("NO_COLOR", "1");
    command
}

/// `trailmark status --json --today TODAY DIR`, which must succeed, as JSON.
pub fn status_json(dir: &Path, today: &str) -> serde_json::Value {
    let output = trailmark()
        .args(["status", "--json", "--today", today])
        .arg(dir)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    serde_json::from_slice(&output.stdout).expect("stdout is exactly one JSON object")
}

/// A fresh copy of `example-journal` (for `"example"`) or of `tests/fixtures/<name>`.
pub fn journal(name: &str) -> tempfile::TempDir {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let from = if name == "example" {
        manifest.join("example-journal")
    } else {
        manifest.join("tests/fixtures").join(name)
    };
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&from, dir.path());
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_name() == "_reports" {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Runs `git` in `dir` with a fixed identity, no user or system configuration, and the
/// author and committer dates set to noon UTC of `day` (for commits).
pub fn git(dir: &Path, day: &str, args: &[&str]) {
    let stamp = format!("{day}T12:00:00+0000");
    let status = Process::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .env("GIT_AUTHOR_DATE", &stamp)
        .env("GIT_COMMITTER_DATE", &stamp)
        .status()
        .expect("git is installed where the tests run");
    assert!(status.success(), "git {args:?} failed");
}

/// Commits everything in `dir` on `day`.
pub fn commit_all(dir: &Path, day: &str, message: &str) {
    git(dir, day, &["add", "-A"]);
    git(dir, day, &["commit", "-q", "--allow-empty", "-m", message]);
}

/// `git init` with a `main` branch.
pub fn init_repository(dir: &Path) {
    git(dir, "2000-01-01", &["init", "-q", "-b", "main"]);
}

/// A long-running trailmark (`watch`, `serve`) whose output lines are read as they come.
pub struct Background {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
    /// Every line read so far, for failure messages.
    pub seen: Vec<String>,
}

/// How long a test waits for something that should take well under a second.
pub const DEADLINE: std::time::Duration = std::time::Duration::from_secs(15);

/// A guard against a hang, not a timing: a command that waited for a FIFO, read
/// `/dev/zero` or ran a quadratic loop on hostile input would never end in this time,
/// while a right one takes seconds even in a debug build on a busy machine.
pub const HANG_LIMIT: std::time::Duration = std::time::Duration::from_secs(60);

/// `mkfifo` at `path`.
#[cfg(unix)]
pub fn make_fifo(path: &Path) {
    let made = Process::new("mkfifo").arg(path).status().unwrap();
    assert!(made.success(), "mkfifo {}", path.display());
}

impl Background {
    /// Starts the binary with `args`, colors off.
    pub fn start(args: &[&std::ffi::OsStr]) -> Background {
        Background::start_with_stderr(args, std::process::Stdio::inherit())
    }

    /// Starts the binary with `args`, colors off, its stderr going to `stderr`.
    pub fn start_with_stderr(args: &[&std::ffi::OsStr], stderr: std::process::Stdio) -> Background {
        Background::spawn(args, stderr, &[])
    }

    /// Starts the binary with `args`, colors off, and the environment variables `env`.
    pub fn start_with_env(args: &[&std::ffi::OsStr], env: &[(&str, &str)]) -> Background {
        Background::spawn(args, std::process::Stdio::inherit(), env)
    }

    fn spawn(
        args: &[&std::ffi::OsStr],
        stderr: std::process::Stdio,
        env: &[(&str, &str)],
    ) -> Background {
        use std::io::BufRead;
        let mut child = Process::new(env!("CARGO_BIN_EXE_trailmark"))
            .args(args)
            .env("NO_COLOR", "1")
            .envs(env.iter().copied())
            .stdout(std::process::Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("the binary is built by cargo test");
        let stdout = child.stdout.take().expect("stdout is piped");
        let (sender, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        Background {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// The next line that satisfies `wanted`, failing the test after [`DEADLINE`].
    pub fn wait_for(&mut self, what: &str, wanted: impl Fn(&str) -> bool) -> String {
        let deadline = std::time::Instant::now() + DEADLINE;
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if wanted(&line) {
                        return line;
                    }
                }
                Err(_) => panic!(
                    "no line {what} in time; output so far:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }

    /// Lines that arrive within `quiet`: for checking that nothing more happens.
    pub fn lines_within(&mut self, quiet: std::time::Duration) -> Vec<String> {
        let deadline = std::time::Instant::now() + quiet;
        let mut lines = Vec::new();
        while let Ok(line) = self
            .lines
            .recv_timeout(deadline.saturating_duration_since(std::time::Instant::now()))
        {
            self.seen.push(line.clone());
            lines.push(line);
        }
        lines
    }

    /// The process id, to look the process up in `/proc`.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Whether the process still runs.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Waits for the process to end on its own, failing the test after [`DEADLINE`].
    pub fn wait_for_exit(&mut self) -> std::process::ExitStatus {
        let deadline = std::time::Instant::now() + DEADLINE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                while let Ok(line) = self.lines.recv_timeout(std::time::Duration::from_secs(2)) {
                    self.seen.push(line);
                }
                return status;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "still running; output so far:\n{}",
                self.seen.join("\n")
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    /// Sends SIGTERM and waits for the process to end.
    #[cfg(unix)]
    pub fn terminate(&mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let sent = Process::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(sent.success());
        let status = self.child.wait().unwrap();
        // Whatever was printed up to the end.
        while let Ok(line) = self.lines.recv_timeout(std::time::Duration::from_secs(2)) {
            self.seen.push(line);
        }
        status
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Calls `check` until it returns `Ok`, failing with its last error after [`DEADLINE`].
pub fn eventually(mut check: impl FnMut() -> Result<(), String>) {
    let deadline = std::time::Instant::now() + DEADLINE;
    loop {
        match check() {
            Ok(()) => return,
            Err(problem) if std::time::Instant::now() > deadline => panic!("{problem}"),
            Err(_) => std::thread::sleep(std::time::Duration::from_millis(20)),
        }
    }
}

/// `trailmark serve` of the journal at `dir` on a free port, as of 2026-11-20, once it
/// has built and watches; with the address it serves at, like `127.0.0.1:40123`.
pub fn serve(dir: &Path) -> (Background, String) {
    serve_with_stderr(dir, std::process::Stdio::inherit())
}

/// [`serve`], with the process's stderr going to `stderr`.
pub fn serve_with_stderr(dir: &Path, stderr: std::process::Stdio) -> (Background, String) {
    use std::ffi::OsStr;
    let mut process = Background::start_with_stderr(
        &[
            OsStr::new("serve"),
            dir.as_os_str(),
            OsStr::new("--port"),
            OsStr::new("0"),
            OsStr::new("--today"),
            OsStr::new("2026-11-20"),
            OsStr::new("--debounce"),
            OsStr::new("50"),
        ],
        stderr,
    );
    let line = process.wait_for("with the address", |line| line.starts_with("serving "));
    let address = line
        .split("http://")
        .nth(1)
        .expect("the serving line has a URL")
        .trim_end_matches('/')
        .to_string();
    process.wait_for("saying it watches", |line| line.starts_with("watching "));
    (process, address)
}

/// Every file under `folder`, by path relative to it, with its bytes: to prove a command
/// changed nothing, or to compare two output folders.
pub fn files_in(folder: &Path) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(folder)
        .into_iter()
        .map(|entry| entry.unwrap())
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let relative = entry.path().strip_prefix(folder).unwrap().to_path_buf();
            (relative, fs::read(entry.path()).unwrap())
        })
        .collect()
}

/// The reports in an output folder: every file but the manifest, whose records hold the
/// files' modification times and so differ between any two builds.
pub fn reports_in(folder: &Path) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    let mut reports = files_in(folder);
    reports.remove(Path::new(".trailmark-manifest"));
    reports
}

/// The paths whose bytes differ between two folders' files (as [`files_in`] or
/// [`reports_in`] give them), in either direction: to say which reports are wrong.
pub fn differing(
    a: &std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>,
    b: &std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>,
) -> std::collections::BTreeSet<std::path::PathBuf> {
    a.keys()
        .chain(b.keys())
        .filter(|path| a.get(*path) != b.get(*path))
        .cloned()
        .collect()
}

/// The number after `key` in the Linux file `/proc/<pid>/<file>` of a running process
/// (`Threads:` of `status`, `rchar:` of `io`).
#[cfg(target_os = "linux")]
pub fn proc_number(process: &Background, file: &str, key: &str) -> u64 {
    let text = fs::read_to_string(format!("/proc/{}/{file}", process.id())).unwrap();
    text.lines()
        .find_map(|line| line.strip_prefix(key))
        .unwrap_or_else(|| panic!("/proc/.../{file} has no {key}"))
        .trim()
        .parse()
        .unwrap()
}

/// Whether the tests run as root, for whom permissions and process limits do not apply.
pub fn is_root() -> bool {
    Process::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| output.stdout.trim_ascii() == b"0")
}
