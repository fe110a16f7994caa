//! Helpers shared by the integration tests.
//!
//! Every test runs on a copy of its journal in a temporary folder: builds never write into
//! the repository, and the repository's own git history never leaks into done dates.

mod background;
mod journal;

use std::fs;
use std::path::Path;
use std::process::Command as Process;

use assert_cmd::Command;

pub(crate) use background::{Background, eventually, serve, serve_with_stderr};
pub(crate) use journal::{Journal, stdout};

/// The binary, with colors off, and output as wide as where no terminal is (80
/// columns) whatever `COLUMNS` the test runs with.
pub(crate) fn trailmark() -> Command {
    let mut command = Command::cargo_bin("trailmark").expect("the binary is built by cargo test");
    command.env("NO_COLOR", "1").env_remove("COLUMNS");
    command
}

/// Says on the test run's own stderr that the running test checked less than it could,
/// and why. `eprintln!` would be captured by the test harness and shown only for a
/// failing test, so a skipped check would read as a plain "ok"; a write to the stream
/// itself is not captured.
pub(crate) fn say_skipped(why: &str) {
    use std::io::Write as _;
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("a test");
    let _ = writeln!(std::io::stderr(), "\nSKIPPED in {test}: {why}");
}

/// `trailmark status --json --today TODAY DIR`, which must succeed, as JSON.
pub(crate) fn status_json(dir: &Path, today: &str) -> serde_json::Value {
    let output = trailmark()
        .args(["status", "--json", "--today", today])
        .arg(dir)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    serde_json::from_slice(&output.stdout).expect("stdout is exactly one JSON object")
}

/// The goal `id` of a report of `status --json` (or of `trailmark.json`).
pub(crate) fn goal<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    report["goals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|goal| goal["id"] == id)
        .unwrap_or_else(|| panic!("no goal {id} in {report:#}"))
}

/// Writes `contents` into the file `path` of `folder`, making its folders.
pub(crate) fn write(folder: &Path, path: &str, contents: impl AsRef<[u8]>) {
    let path = folder.join(path);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, contents).unwrap();
}

/// Runs `git` in `dir` with a fixed identity, no user or system configuration, and the
/// author and committer dates set to noon UTC of `day` (for commits).
pub(crate) fn git(dir: &Path, day: &str, args: &[&str]) {
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
pub(crate) fn commit_all(dir: &Path, day: &str, message: &str) {
    git(dir, day, &["add", "-A"]);
    git(dir, day, &["commit", "-q", "--allow-empty", "-m", message]);
}

/// `git init` with a `main` branch.
pub(crate) fn init_repository(dir: &Path) {
    git(dir, "2000-01-01", &["init", "-q", "-b", "main"]);
}

/// How long a test waits for something that should take well under a second.
pub(crate) const DEADLINE: std::time::Duration = std::time::Duration::from_secs(15);

/// A guard against a hang, not a timing: a command that waited for a FIFO, read
/// `/dev/zero` or ran a quadratic loop on hostile input would never end in this time,
/// while a right one takes seconds even in a debug build on a busy machine.
pub(crate) const HANG_LIMIT: std::time::Duration = std::time::Duration::from_secs(60);

/// `mkfifo` at `path`.
#[cfg(unix)]
pub(crate) fn make_fifo(path: &Path) {
    let made = Process::new("mkfifo").arg(path).status().unwrap();
    assert!(made.success(), "mkfifo {}", path.display());
}

/// Every file under `folder`, by path relative to it, with its bytes: to prove a command
/// changed nothing, or to compare two output folders.
pub(crate) fn files_in(folder: &Path) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
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

/// The reports in an output folder: every file but the manifest, the documents cache and
/// the saved status's key, whose records hold files' modification times and so differ
/// between any two builds, and what the build knew of each review, trailmark's own file
/// and not a report (tests/cache.rs and tests/saved_status.rs check them).
pub(crate) fn reports_in(folder: &Path) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    let mut reports = files_in(folder);
    reports.remove(Path::new(".trailmark-manifest"));
    reports.remove(Path::new(".trailmark-documents.bin"));
    reports.remove(Path::new(".trailmark-reviews.json"));
    reports.remove(Path::new(".trailmark-status"));
    reports.remove(Path::new(".trailmark-goal-inputs.json"));
    reports
}

/// The paths whose bytes differ between two folders' files (as [`files_in`] or
/// [`reports_in`] give them), in either direction: to say which reports are wrong.
pub(crate) fn differing(
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
pub(crate) fn proc_number(process: &Background, file: &str, key: &str) -> u64 {
    let text = fs::read_to_string(format!("/proc/{}/{file}", process.id())).unwrap();
    text.lines()
        .find_map(|line| line.strip_prefix(key))
        .unwrap_or_else(|| panic!("/proc/.../{file} has no {key}"))
        .trim()
        .parse()
        .unwrap()
}

/// Whether the tests run as root, for whom permissions and process limits do not apply.
pub(crate) fn is_root() -> bool {
    Process::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| output.stdout.trim_ascii() == b"0")
}

/// What takes the place of the stylesheet in snapshots of HTML reports.
const STYLESHEET_PLACEHOLDER: &str =
    "<style>/* the stylesheet of templates/base.html: see the snapshot `stylesheet` */</style>";

/// An HTML report as its snapshot holds it: the stylesheet every report inlines (its first
/// `<style>` element, which must be that of `templates/base.html`) is replaced by a
/// placeholder, so that a change of style changes one snapshot, not every page.
pub(crate) fn without_stylesheet(html: &str) -> String {
    let base =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/base.html"))
            .unwrap();
    let stylesheet = stylesheet_of(html);
    assert_eq!(
        stylesheet,
        stylesheet_of(&base),
        "the report's first <style> is not the stylesheet of templates/base.html"
    );
    html.replacen(stylesheet, STYLESHEET_PLACEHOLDER, 1)
}

/// The first `<style>` element of `html`, from `<style>` to `</style>`.
pub(crate) fn stylesheet_of(html: &str) -> &str {
    let start = html
        .find("<style>")
        .expect("an HTML report has a stylesheet");
    let end = start + html[start..].find("</style>").unwrap() + "</style>".len();
    &html[start..end]
}
