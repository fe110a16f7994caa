//! Command-line habits people bring from cargo, rustc, ripgrep and git: paths a terminal
//! or an editor can open, hints that name the folder, output that fits the terminal,
//! one way to say an error, and `new` that behaves like the tools it sits beside.

use unicode_width::UnicodeWidthStr;

use crate::common::{Journal, status_json, trailmark};

/// `trailmark ARGS` run in `folder`; its stdout.
fn stdout_in(folder: &std::path::Path, args: &[&str]) -> String {
    let output = trailmark().current_dir(folder).args(args).output().unwrap();
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn diagnostic_paths_are_relative_to_the_current_folder_and_json_to_the_journal() {
    let journal = Journal::new().file("notes.md", "---\ndue: next week\ngoal: G\n---\n");
    let parent = journal.path().parent().unwrap();
    let from_parent = stdout_in(parent, &["check", "journal"]);
    assert!(
        from_parent.starts_with("journal/notes.md:2:6: error:"),
        "{from_parent}"
    );
    let from_inside = stdout_in(journal.path(), &["check"]);
    assert!(
        from_inside.starts_with("notes.md:2:6: error:"),
        "{from_inside}"
    );
    // Given as an absolute path inside the current folder: still relative to it.
    let absolute = stdout_in(parent, &["check", journal.path().to_str().unwrap()]);
    assert!(absolute.starts_with("journal/notes.md:2:6:"), "{absolute}");
    // The JSON contract names files from the journal's folder.
    let json = status_json(journal.path(), "2026-01-01");
    assert_eq!(json["diagnostics"][0]["file"], "notes.md");
}

#[test]
fn the_hint_to_run_check_names_the_folder_unless_it_is_the_current_one() {
    let journal = Journal::new().file("notes.md", "---\ndue: next week\ngoal: G\n---\n");
    let parent = journal.path().parent().unwrap();
    let hint = "1 error, 0 warnings in the journal; run `trailmark check journal` to see it\n";
    for command in ["status", "build"] {
        let from_parent = stdout_in(parent, &[command, "journal"]);
        assert!(from_parent.ends_with(hint), "{command}:\n{from_parent}");
        let inside = stdout_in(journal.path(), &[command]);
        assert!(
            inside.ends_with("in the journal; run `trailmark check` to see it\n"),
            "{command}:\n{inside}"
        );
    }
    // A folder a shell would split is quoted.
    let spaced = parent.join("my journal");
    std::fs::rename(journal.path(), &spaced).unwrap();
    let quoted = stdout_in(parent, &["status", "my journal"]);
    assert!(
        quoted.contains("run `trailmark check 'my journal'`"),
        "{quoted}"
    );
    std::fs::rename(&spaced, journal.path()).unwrap();
}

/// `trailmark status` of the example journal with `COLUMNS` and more `args`; its stdout.
fn example_status(columns: Option<&str>, args: &[&str]) -> String {
    let example = Journal::example();
    let mut command = trailmark();
    if let Some(columns) = columns {
        command.env("COLUMNS", columns);
    }
    let output = command
        .args(["status", "--today", "2026-11-20"])
        .args(args)
        .arg(example.path())
        .output()
        .unwrap();
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn status_fits_the_terminal_width_cutting_titles() {
    // No terminal and no COLUMNS: 80 columns.
    for (columns, width) in [(None, 80), (Some("80"), 80), (Some("72"), 72)] {
        let table = example_status(columns, &[]);
        // The table; the note under it names the journal by its long temporary path.
        for line in table.lines().take_while(|l| !l.is_empty()) {
            assert!(line.width() <= width, "{} > {width}: {line}", line.width());
        }
        let sql = table.lines().find(|l| l.starts_with("Learn SQL")).unwrap();
        assert!(!sql.contains("analytics") && sql.contains('…'), "{table}");
    }
    // A wide terminal shows whole titles.
    let wide = example_status(Some("120"), &[]);
    assert!(
        wide.contains("Learn SQL for marketing analytics "),
        "{wide}"
    );
}

#[test]
fn status_colors_its_bars_by_status_and_forces_no_color_on_the_header() {
    let table = example_status(None, &["--color", "always"]);
    let header = table.lines().next().unwrap();
    assert!(!header.contains("\u{1b}[37m"), "white header: {header:?}");
    let overdue = table.lines().find(|l| l.contains("overdue")).unwrap();
    let red = "\u{1b}[31m";
    assert!(
        overdue.contains(&format!("{red}█")) || overdue.contains(&format!("{red}░")),
        "{overdue:?}"
    );
    assert!(!overdue.contains("\u{1b}[32m"), "green in {overdue:?}");
}

#[test]
fn check_spans_the_item_wraps_at_the_width_and_sets_snippets_apart() {
    let journal = Journal::new().file(
        "notes.md",
        "---\ndue: next week\ngoal: G\nstarted: soon\n---\n",
    );
    let output = trailmark()
        .current_dir(journal.path())
        .env("COLUMNS", "60")
        .args(["check", "--today", "2026-01-01"])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains(" 2 | due: next week\n   |      ^^^^^^^^^\n\n"),
        "{text}"
    );
    assert!(text.lines().all(|l| l.width() <= 60), "{text}");
    // Piped without COLUMNS: one line a diagnostic, for programs that read it.
    let piped = stdout_in(journal.path(), &["check", "--today", "2026-01-01"]);
    assert!(
        piped
            .lines()
            .any(|l| l.starts_with("notes.md:2:6: error: ") && l.ends_with("2026-03-31")),
        "{piped}"
    );
}

#[test]
fn reviews_end_with_a_newline_and_printed_ones_leave_out_report_links() {
    let example = Journal::example();
    example.run(&["build", "--today", "2026-11-20"]).success();
    let reviews = example.path().join("_reports/reviews");
    for file in std::fs::read_dir(&reviews).unwrap() {
        let path = file.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(text.ends_with('\n'), "{}", path.display());
        }
    }
    // Built, a review links the other reports; printed, those links would lead nowhere.
    let built = example.read("_reports/reviews/2026-10.md");
    assert!(built.contains("](../goals/") && built.contains("[All reviews](index.md)"));
    for format in ["md", "html"] {
        let printed = stdout_in(
            example.path(),
            &[
                "review",
                "--period",
                "month",
                "--date",
                "2026-10-05",
                "--format",
                format,
                "--today",
                "2026-11-20",
            ],
        );
        assert!(printed.ends_with('\n'), "{format}");
        for link in [
            "../goals/",
            "index.md",
            "index.html",
            "2026-09.",
            "2026-11.",
        ] {
            assert!(!printed.contains(link), "{format}: {link} in\n{printed}");
        }
        assert!(
            printed.contains("Learn SQL for marketing analytics"),
            "{format}"
        );
    }
}

#[test]
fn every_command_says_a_missing_journal_the_same_way_with_the_same_prefix_as_usage_errors() {
    let folder = tempfile::tempdir().unwrap();
    let expected = "error: journal folder missing: no such folder; start a journal there with `trailmark init missing`\n";
    let commands: [&[&str]; 9] = [
        &["status", "missing"],
        &["build", "missing"],
        &["check", "missing"],
        &["review", "missing"],
        &["config", "missing"],
        &["watch", "missing"],
        &["serve", "missing"],
        &["new", "entry", "--dir", "missing"],
        &["new", "goal", "Title", "--dir", "missing"],
    ];
    for args in commands {
        let output = trailmark()
            .current_dir(folder.path())
            .args(args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert_eq!(
            String::from_utf8_lossy(&output.stderr),
            expected,
            "{args:?}"
        );
    }
    // A usage error, from the argument parser, starts the same way.
    let usage = trailmark().arg("--no-such-option").output().unwrap();
    assert!(String::from_utf8_lossy(&usage.stderr).starts_with("error: "));
}
