//! Helpers shared by the integration tests.
//!
//! Every test runs on a copy of its journal in a temporary folder: builds never write into
//! the repository, and the repository's own git history never leaks into done dates.

#![allow(dead_code)] // Each test crate uses its own subset.

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
