//! Snapshots of what a person reads: the rendered reports and the terminal output, for the
//! `basic` fixture journal as of a fixed date. Review changes with `cargo insta review`.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

const TODAY: &str = "2026-03-01";

fn basic() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic")
}

fn run(args: &[&str]) -> String {
    let output = Command::cargo_bin("trailmark")
        .expect("the binary is built by cargo test")
        .env("NO_COLOR", "1")
        .args(args)
        .args(["--today", TODAY])
        .arg(basic())
        .output()
        .unwrap();
    String::from_utf8(output.stdout).unwrap()
}

fn built_reports() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    Command::cargo_bin("trailmark")
        .unwrap()
        .args(["build", "--today", TODAY, "--out"])
        .arg(out.path().join("reports"))
        .arg(basic())
        .assert()
        .success();
    out
}

#[test]
fn reports() {
    let out = built_reports();
    let reports = out.path().join("reports");
    for file in [
        "index.md",
        "index.html",
        "goals/learn-sql.md",
        "goals/learn-sql.html",
        "goals/talks.md",
    ] {
        let content = fs::read_to_string(reports.join(file)).unwrap();
        insta::assert_snapshot!(file.replace('/', "__"), content);
    }
}

#[test]
fn status_table() {
    insta::assert_snapshot!(run(&["status"]));
}

#[test]
fn check_output() {
    insta::assert_snapshot!(run(&["check"]));
}
