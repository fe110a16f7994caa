//! `trailmark.toml`: every setting changes what the real binary does, and a bad file stops
//! every command with its line and column before anything is written.

use std::fs;
use std::path::Path;

use predicates::str::contains;
use serde_json::Value;

use crate::common::{self, Journal, status_json, stdout, trailmark};

/// `trailmark review --format json ARGS JOURNAL`, as JSON.
fn review_json(journal: &Journal, args: &[&str]) -> Value {
    let review = journal.run(&[&["review", "--format", "json"], args].concat());
    serde_json::from_slice(&review.get_output().stdout).unwrap()
}

fn goal_ids(json: &Value) -> Vec<String> {
    json["goals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|goal| goal["id"].as_str().unwrap().to_string())
        .collect()
}

fn file_names(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn config_prints_the_settings_and_the_defaults_as_a_file_that_reads_back() {
    let journal = Journal::new().file(
        "trailmark.toml",
        "# mine\nweek_start = \"sunday\"\nexclude = [\"archive/**\"]\n[sections]\nwins = [\"Yay\"]\n",
    );
    let printed = stdout(&journal.run(&["config"]).success());
    for line in [
        "week_start = \"sunday\"\n",
        "exclude = [\"archive/**\"]\n",
        "wins = [\"yay\"]\n",
        "output = \"_reports\"  # default\n",
        "reviews = [\"week\", \"month\", \"quarter\", \"year\"]  # default\n",
        "stalled_after_days = 21  # default\n",
        "at_risk_margin = 0.25  # default\n",
        "logseq_markers = true  # default\n",
    ] {
        assert!(printed.contains(line), "{line:?} missing from:\n{printed}");
    }
    // The printed configuration is a trailmark.toml that sets the same.
    let again = Journal::new().file("trailmark.toml", &printed);
    let reprinted = stdout(&again.run(&["config"]).success());
    let strip = |text: &str| {
        text.lines()
            .skip(1)
            .map(|line| line.trim_end_matches("  # default").to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(&reprinted), strip(&printed));
}

#[test]
fn without_a_file_config_prints_only_defaults() {
    let journal = Journal::new();
    let printed = stdout(&journal.run(&["config"]));
    let settings: Vec<&str> = printed
        .lines()
        .filter(|line| line.contains(" = "))
        .collect();
    assert_eq!(settings.len(), 13, "{printed}");
    assert!(settings.iter().all(|line| line.ends_with("  # default")));
    trailmark()
        .arg("config")
        .arg(journal.path().join("missing"))
        .assert()
        .code(2);
}

#[test]
fn a_bad_file_stops_every_command_with_line_and_column_and_writes_nothing() {
    let journal = Journal::fixture("basic");
    journal.write(
        "trailmark.toml",
        "output = \"site\"\nweek_starts = \"sunday\"\n",
    );
    for command in [
        &["status"][..],
        &["status", "--json"],
        &["build"],
        &["check"],
        &["review"],
        &["config"],
    ] {
        journal
            .run(command)
            .code(2)
            .stdout("")
            .stderr(contains("trailmark.toml:2:1: unknown key `week_starts`"))
            .stderr(contains("expected one of `output`"));
    }
    for (toml, at, message) in [
        (
            "week_start = \"Sunday\"",
            ":1:14:",
            "unknown value `Sunday`",
        ),
        ("reviews = \"week\"", ":1:11:", "expected a sequence"),
        (
            "at_risk_margin = 25",
            ":1:18:",
            "fraction of the goal from 0 to 1",
        ),
        (
            "[sections]\nwins = \"Wins\"",
            ":2:8:",
            "expected a sequence",
        ),
        ("output = [", ":1:", "trailmark.toml"),
    ] {
        journal.write("trailmark.toml", toml);
        journal
            .run(&["build"])
            .code(2)
            .stderr(contains(format!("trailmark.toml{at}")))
            .stderr(contains(message));
    }
    assert!(!journal.path().join("site").exists());
    assert!(!journal.path().join("_reports").exists());
}

#[test]
fn the_output_and_templates_folders_come_from_the_file_unless_out_is_given() {
    let journal = Journal::fixture("basic");
    journal.write(
        "trailmark.toml",
        "output = \"site\"\ntemplates = \"meta/report-templates\"\n",
    );
    journal.write(
        "meta/report-templates/index.md",
        "Custom index for {{ summary.total }} goals\n",
    );
    // A markdown file in the templates folder is a template, not a goal.
    journal.write(
        "meta/report-templates/goal.md",
        "---\ngoal: Not a goal\n---\n{{ goal.title }}\n",
    );
    let before = goal_ids(&status_json(journal.path(), "2026-06-01"));
    assert!(!before.contains(&"not-a-goal".to_string()), "{before:?}");
    journal
        .run(&["build", "--today", "2026-06-01"])
        .success()
        .stdout(contains("site"));
    let index = journal.read("site/index.md");
    assert!(index.starts_with("Custom index for "), "{index}");
    assert!(!journal.path().join("_reports").exists());
    // The site folder is not read back as journal on the next run.
    assert_eq!(goal_ids(&status_json(journal.path(), "2026-06-01")), before);

    let elsewhere = tempfile::tempdir().unwrap();
    let out = elsewhere.path().join("out");
    trailmark()
        .args(["build", "--today", "2026-06-01", "--out"])
        .arg(&out)
        .arg(journal.path())
        .assert()
        .success();
    assert!(out.join("index.html").is_file());
}

#[test]
fn a_folder_starting_with_a_tilde_is_refused_not_made() {
    // `output = "~/reports"` made a folder named `~` in the journal.
    let journal = Journal::fixture("basic");
    for (toml, key) in [
        ("output = \"~/reports\"\n", "output `~/reports`"),
        ("templates = \"~\"\n", "templates `~`"),
    ] {
        journal.write("trailmark.toml", toml);
        journal
            .run(&["build"])
            .code(2)
            .stderr(contains("trailmark.toml:1:"))
            .stderr(contains(format!(
                "{key} starts with `~`, which trailmark does not expand"
            )));
    }
    assert!(!journal.path().join("~").exists());
    assert!(!journal.path().join("_reports").exists());
}

#[test]
fn an_out_starting_with_a_tilde_is_refused_not_made() {
    // `--out=~/reports` (or a quoted `~`) reaches trailmark unexpanded by the shell, and
    // made a folder named `~` where the command ran.
    let journal = Journal::fixture("basic");
    let here = tempfile::tempdir().unwrap();
    for out in ["--out=~/reports", "--out=~"] {
        trailmark()
            .current_dir(here.path())
            .arg("build")
            .arg(journal.path())
            .arg(out)
            .assert()
            .code(2)
            .stderr(contains("starts with `~`, which trailmark does not expand"));
    }
    assert!(!here.path().join("~").exists());
    assert!(!journal.path().join("_reports").exists());
}

#[test]
fn excluded_paths_are_not_part_of_the_journal() {
    let journal = Journal::fixture("basic");
    let all = goal_ids(&status_json(journal.path(), "2026-06-01"));
    journal.write(
        "archive/2019/old-goal.md",
        "---\ngoal: Old goal\n---\n- [ ] gone\n",
    );
    journal.write("sketch.excalidraw.md", "---\ngoal: Sketch\n---\n");
    let with_archive = goal_ids(&status_json(journal.path(), "2026-06-01"));
    assert_eq!(with_archive.len(), all.len() + 2);
    journal.write(
        "trailmark.toml",
        "exclude = [\"archive/**\", \"*.excalidraw.md\"]\n",
    );
    assert_eq!(goal_ids(&status_json(journal.path(), "2026-06-01")), all);
}

#[test]
fn reviews_are_written_for_the_configured_periods_with_weeks_from_the_start_day() {
    let journal = Journal::example();
    let reviews = journal.path().join("_reports/reviews");
    journal.run(&["build", "--today", "2026-11-20"]).success();
    let all = file_names(&reviews);
    assert!(all.iter().any(|name| name.contains("-W")), "{all:?}");
    assert!(all.iter().any(|name| name.contains("-Q")), "{all:?}");

    journal.write(
        "trailmark.toml",
        "reviews = [\"month\", \"quarter\"]\nweek_start = \"sunday\"\n",
    );
    // Week and year reviews are removed.
    journal
        .run(&["build", "--today", "2026-11-20"])
        .success()
        .stdout(contains("removed"));
    let some = file_names(&reviews);
    assert!(!some.is_empty());
    // Months and quarters, and the index of reviews.
    assert!(
        some.iter().all(|name| name.contains("-Q")
            || name.starts_with("index.")
            || name.len() == "2026-11.html".len()
            || name.len() == "2026-11.md".len()),
        "{some:?}"
    );
    // `review` still reviews any kind of period, with weeks from Sunday.
    let review = review_json(
        &journal,
        &[
            "--period",
            "week",
            "--date",
            "2026-11-15",
            "--today",
            "2026-11-20",
        ],
    );
    assert_eq!(
        (&review["label"], &review["first"], &review["last"]),
        (
            &Value::from("2026-W47"),
            &Value::from("2026-11-15"),
            &Value::from("2026-11-21")
        )
    );
    // By default, the last complete week before Friday 20 November is the one from
    // Sunday 8 to Saturday 14.
    let review = review_json(&journal, &["--today", "2026-11-20"]);
    assert_eq!(review["first"], "2026-11-08");
}

#[test]
fn the_at_risk_margin_and_stalled_threshold_change_status_and_reviews() {
    // Half way from start to due with a quarter done: 0.25 behind the straight line.
    let journal = Journal::new().file(
        "goal.md",
        "---\ngoal: Ship\nstart: 2026-01-01\ndue: 2026-01-31\n---\n\
         - [x] one ✅ 2026-01-02\n- [ ] two\n- [ ] three\n- [ ] four\n",
    );
    let status = || status_json(journal.path(), "2026-01-16")["goals"][0]["status"].clone();
    assert_eq!(status(), "on-track");
    journal.write("trailmark.toml", "at_risk_margin = 0.2\n");
    assert_eq!(status(), "at-risk");

    let stalled = || {
        let review = review_json(
            &journal,
            &[
                "--period",
                "month",
                "--date",
                "2026-01-31",
                "--today",
                "2026-02-10",
            ],
        );
        (
            review["stalled"].as_array().unwrap().len(),
            review["stalled_after_days"].clone(),
        )
    };
    assert_eq!(stalled(), (1, Value::from(21)));
    journal.write("trailmark.toml", "stalled_after_days = 30\n");
    assert_eq!(stalled(), (0, Value::from(30)));
}

#[test]
fn section_headings_and_logseq_markers_change_how_files_are_read() {
    let journal = Journal::new()
        .goal(
            "goal.md",
            "Ship",
            "- [ ] plan\n- TODO build\n- DONE design\n",
        )
        .entry(
            "2026-01-14",
            "## 🎉 Yay!\n- Shipped the beta\n## Wins\n- Demo went well\n",
        );
    let counts = || {
        let goal = &status_json(journal.path(), "2026-01-20")["goals"][0];
        (goal["done"].clone(), goal["total"].clone())
    };
    let wins = || {
        let review = review_json(&journal, &["--period", "month", "--date", "2026-01-14"]);
        review["win_notes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|note| note["text"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(counts(), (Value::from(1), Value::from(3)));
    assert_eq!(wins(), ["Demo went well"]);
    journal.write(
        "trailmark.toml",
        "logseq_markers = false\n[sections]\nwins = [\"Yay\"]\n",
    );
    assert_eq!(counts(), (Value::from(0), Value::from(1)));
    assert_eq!(wins(), ["Shipped the beta"]);
}

/// The commands that read `trailmark.toml`, each with its arguments before the journal.
const EVERY_COMMAND: [&[&str]; 9] = [
    &["status"],
    &["status", "--json"],
    &["build"],
    &["check"],
    &["review"],
    &["config"],
    &["watch"],
    &["serve", "--port", "0"],
    &["new", "entry", "--dir"],
];

/// Each command stops at once, with exit code 2 and `message` about the file, and
/// writes nothing. The time limit only guards against a hang: a command that waited for
/// the file would never end.
fn assert_every_command_refuses(root: &Path, message: &str) {
    for command in EVERY_COMMAND {
        trailmark()
            .args(command)
            .arg(root)
            .timeout(common::HANG_LIMIT)
            .assert()
            .code(2)
            .stdout("")
            .stderr(contains(format!("trailmark.toml: {message}")));
    }
    assert!(!root.join("_reports").exists());
    assert!(!root.join("journal").exists());
}

#[cfg(unix)]
#[test]
fn a_fifo_named_trailmark_toml_stops_every_command_without_hanging() {
    let journal = Journal::fixture("basic");
    common::make_fifo(&journal.path().join("trailmark.toml"));
    assert_every_command_refuses(journal.path(), "not a regular file but a named pipe (FIFO)");
}

/// Not even to a file inside the journal: `trailmark.toml` is read like a journal file,
/// and a link to `/dev/zero` is never read (it would be read until memory runs out).
#[cfg(unix)]
#[test]
fn a_symlinked_trailmark_toml_is_not_followed() {
    let journal = Journal::fixture("basic");
    let root = journal.path();
    std::os::unix::fs::symlink("/dev/zero", root.join("trailmark.toml")).unwrap();
    assert_every_command_refuses(root, "symlink not followed");
    fs::remove_file(root.join("trailmark.toml")).unwrap();
    journal.write("settings.toml", "output = \"site\"\n");
    std::os::unix::fs::symlink("settings.toml", root.join("trailmark.toml")).unwrap();
    assert_every_command_refuses(root, "symlink not followed");
    assert!(!root.join("site").exists());
}

#[test]
fn a_trailmark_toml_over_the_size_limit_is_not_read() {
    let journal = Journal::fixture("basic");
    let file = fs::File::create(journal.path().join("trailmark.toml")).unwrap();
    file.set_len(11 * 1024 * 1024).unwrap();
    journal.run(&["status"]).code(2).stderr(contains(
        "trailmark.toml: file is 11 MB, over the 10 MB limit",
    ));
}
