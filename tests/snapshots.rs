//! Snapshots of what a person reads: the rendered reports and the terminal output, for the
//! `basic` fixture journal as of a fixed date. Review changes with `cargo insta review`.

use std::fs;

mod common;
use common::{journal, trailmark};

const TODAY: &str = "2026-03-01";

fn run(args: &[&str]) -> String {
    let basic = journal("basic");
    let output = trailmark()
        .current_dir(basic.path())
        .args(args)
        .args(["--today", TODAY])
        .output()
        .unwrap();
    String::from_utf8(output.stdout).unwrap()
}

/// The fixture with its reports built into `_reports`.
fn built_reports() -> tempfile::TempDir {
    let basic = journal("basic");
    trailmark()
        .args(["build", "--today", TODAY])
        .arg(basic.path())
        .assert()
        .success();
    basic
}

#[test]
fn reports() {
    let basic = built_reports();
    let reports = basic.path().join("_reports");
    for file in [
        "index.md",
        "index.html",
        "goals/learn-sql.md",
        "goals/learn-sql.html",
        "goals/talks.md",
        "reviews/index.md",
        "reviews/2026-02.md",
        "reviews/2026-02.html",
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
