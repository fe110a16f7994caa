//! Long-running commands (`watch`, `serve`) in the background, whose output lines a test
//! reads as they come, and waiting with a deadline.

use std::path::Path;
use std::process::Command as Process;

use super::DEADLINE;

/// A long-running trailmark (`watch`, `serve`) whose output lines are read as they come.
pub(crate) struct Background {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
    /// Every line read so far, for failure messages.
    pub seen: Vec<String>,
}

impl Background {
    /// Starts the binary with `args`, colors off.
    pub(crate) fn start(args: &[&std::ffi::OsStr]) -> Background {
        Background::start_with_stderr(args, std::process::Stdio::inherit())
    }

    /// Starts the binary with `args`, colors off, its stderr going to `stderr`.
    pub(crate) fn start_with_stderr(
        args: &[&std::ffi::OsStr],
        stderr: std::process::Stdio,
    ) -> Background {
        Background::spawn(args, stderr, &[])
    }

    /// Starts the binary with `args`, colors off, and the environment variables `env`.
    pub(crate) fn start_with_env(args: &[&std::ffi::OsStr], env: &[(&str, &str)]) -> Background {
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
    pub(crate) fn wait_for(&mut self, what: &str, wanted: impl Fn(&str) -> bool) -> String {
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
    pub(crate) fn lines_within(&mut self, quiet: std::time::Duration) -> Vec<String> {
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
    pub(crate) fn id(&self) -> u32 {
        self.child.id()
    }

    /// Whether the process still runs.
    pub(crate) fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Waits for the process to end on its own, failing the test after [`DEADLINE`].
    pub(crate) fn wait_for_exit(&mut self) -> std::process::ExitStatus {
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
    pub(crate) fn terminate(&mut self) -> std::process::ExitStatus {
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
pub(crate) fn eventually(mut check: impl FnMut() -> Result<(), String>) {
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
pub(crate) fn serve(dir: &Path) -> (Background, String) {
    serve_with_stderr(dir, std::process::Stdio::inherit())
}

/// [`serve`], with the process's stderr going to `stderr`.
pub(crate) fn serve_with_stderr(dir: &Path, stderr: std::process::Stdio) -> (Background, String) {
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
