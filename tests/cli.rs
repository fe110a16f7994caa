//! The real binary on fixture journals and the example journal: the JSON contract,
//! `status`'s table, diagnostics, exit codes, `review` in each format (and an unknown
//! period), reports (incremental builds match a fresh one), output folders, templates
//! (overrides, typos, FIFOs and symlinks), `--color` against `NO_COLOR` and
//! `CLICOLOR_FORCE`, `--quiet` and `--verbose`, completion scripts that pass `bash -n`
//! (and `zsh -n`, `fish --no-execute` where installed), a man page that `groff` renders
//! without a warning (where installed), exit code 2 for a usage error and a missing
//! journal folder on every command, and journal text that never sends a control sequence
//! to the terminal.

use std::fs;
use std::path::Path;

use predicates::str::contains;
use serde_json::Value;

use crate::common::{self, Journal, files_in, goal, reports_in, status_json, stdout, trailmark};

#[test]
fn example_journal_status_json_has_the_right_numbers() {
    let json = status_json(Journal::example().path(), "2026-11-20");
    assert_eq!(json["today"], "2026-11-20");
    let expected = [
        // id, status, done, total, progress
        // Its own 1 of 3, rolled up with its children but the cadence goal of mentor
        // check-ins, which stays out of its parent's roll-up: (1 + 6/11 + 1) / 5.
        (
            "engineering-manager",
            "on-track",
            1,
            3,
            (1.0 + 6.0 / 11.0 + 1.0) / 5.0,
        ),
        ("management-course", "at-risk", 6, 11, 6.0 / 11.0),
        ("learn-sql", "overdue", 5, 8, 5.0 / 8.0),
        // Cadence goals: their progress is the current period's. Events: the count rose
        // from 5 to 6 in October, 1 of Q4's 2, on the even pace.
        ("industry-events", "on-track", 0, 0, 1.0 / 2.0),
        // None of November's 1 yet, with ten days to go.
        ("mentor-checkins", "on-track", 5, 7, 0.0),
        ("all-hands-talk", "done", 5, 5, 1.0),
        ("blog-series", "paused", 1, 4, 0.25),
    ];
    assert_eq!(json["goals"].as_array().unwrap().len(), expected.len());
    for (id, status, done, total, progress) in expected {
        let g = goal(&json, id);
        assert_eq!(g["status"], status, "{id}");
        assert_eq!(g["done"], done, "{id}");
        assert_eq!(g["total"], total, "{id}");
        assert!(
            (g["progress"].as_f64().unwrap() - progress).abs() < 1e-9,
            "{id}: {}",
            g["progress"]
        );
    }
    let events = &goal(&json, "industry-events")["cadence"];
    assert_eq!(
        events["current"],
        serde_json::json!({
            "label": "2026-Q4", "start": "2026-10-01", "end": "2026-12-31", "done": 1.0,
            "target": 2, "state": "on-track", "expected": 1.11, "buffer_days": 41,
            "next_needed_by": "2026-12-31", "days_left": 42
        })
    );
    assert_eq!(
        (events["streak"].as_u64(), events["longest_streak"].as_u64()),
        (Some(1), Some(1))
    );
    let mentor = &goal(&json, "mentor-checkins")["cadence"];
    let states: Vec<&str> = mentor["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["state"].as_str().unwrap())
        .collect();
    // July's check-in has no date outside git's history, so it cannot be placed.
    assert_eq!(states, ["missed", "met", "met", "met", "on-track"]);
    let checkins = &goal(&json, "industry-events")["checkins"];
    assert_eq!(checkins.as_array().unwrap().len(), 3);
    assert_eq!(checkins[2]["date"], "2026-11-16");
    assert_eq!(checkins[2]["confidence"], 4);
    let course = goal(&json, "management-course");
    assert_eq!(course["parent"], "engineering-manager");
    assert_eq!(course["due"], "2026-12-15");
    assert_eq!(course["area"], "leadership");
    assert_eq!(course["file"], "goals/management-course.md");
    let module4 = &course["milestones"][4];
    assert_eq!(module4["text"], "Module 4: hiring");
    assert_eq!(module4["state"], "open");
    assert_eq!(module4["depth"], 0);
    assert_eq!(module4["line"], 20);
    let lectures = &course["milestones"][5];
    assert_eq!(lectures["depth"], 1);
    assert_eq!(lectures["done_on"], "2026-10-04");
    let cancelled = &course["milestones"][9];
    assert_eq!(cancelled["state"], "cancelled");
    let from_entry = course["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["file"] == "journal/2026/2026-10-05.md")
        .unwrap();
    assert_eq!(from_entry["done_on"], "2026-10-05");
    assert_eq!(json["loose_tasks"].as_array().unwrap().len(), 2);
    assert!(
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["severity"] == "warning")
    );
}

#[test]
fn status_json_milestone_lines_hold_their_text() {
    let root = Journal::example();
    let json = status_json(root.path(), "2026-11-20");
    for goal in json["goals"].as_array().unwrap() {
        for m in goal["milestones"].as_array().unwrap() {
            let text = root.read(m["file"].as_str().unwrap());
            let line = text
                .lines()
                .nth(m["line"].as_u64().unwrap() as usize - 1)
                .unwrap();
            let words = m["text"].as_str().unwrap().split(' ').next().unwrap();
            assert!(line.contains(words), "{line:?} should hold {m}");
        }
    }
}

#[test]
fn status_prints_a_table_with_every_goal() {
    // Wide enough for whole titles (a pipe is 80 columns).
    let example = Journal::example();
    let stdout = stdout(
        &trailmark()
            .env("COLUMNS", "120")
            .args(["status", "--today", "2026-11-20"])
            .arg(example.path())
            .assert()
            .success(),
    );
    assert!(
        !stdout.contains('\u{1b}'),
        "NO_COLOR and a pipe mean no escape codes"
    );
    for title in [
        "Become an engineering manager",
        "  Complete a management course",
        "Learn SQL for marketing analytics",
    ] {
        assert!(stdout.contains(title), "{title} in\n{stdout}");
    }
    assert!(stdout.contains("overdue") && stdout.contains("at-risk"));
}

#[test]
fn check_on_a_broken_journal_names_file_and_line_and_reads_the_rest() {
    let broken = Journal::fixture("broken");
    // Errors make check fail.
    let stdout = stdout(&broken.run(&["check", "--today", "2026-11-20"]).code(1));
    for expected in [
        "goals/bad-yaml.md:3:",
        "error: front-matter is not valid YAML",
        "goals/wrong-types.md:3:6: error: `next week` is not a date",
        "goals/wrong-types.md:4:7: error: `tags` is a list of text",
        "unclosed.md:1:1: warning: front-matter opened with `---` is never closed",
        "list.md:2:1: error: front-matter must be a mapping",
        " 3 | due: next week\n   |      ^",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in\n{stdout}"
        );
    }
    // The good goal and the goal with bad fields are still reported.
    let json = status_json(broken.path(), "2026-11-20");
    let good = goal(&json, "ship-the-onboarding-guide");
    assert_eq!(
        (good["done"].as_u64(), good["total"].as_u64()),
        (Some(1), Some(2))
    );
    let wrong = goal(&json, "run-a-half-marathon");
    assert_eq!(wrong["due"], Value::Null);
    assert_eq!(wrong["status"], "done");
    let diagnostics = json["diagnostics"].as_array().unwrap();
    let bad_yaml = diagnostics
        .iter()
        .find(|d| d["file"] == "goals/bad-yaml.md")
        .unwrap();
    assert_eq!(bad_yaml["severity"], "error");
    assert_eq!(bad_yaml["line"], 3);
    assert!(bad_yaml["column"].as_u64().unwrap() >= 1);
}

#[test]
fn check_exit_codes_and_strict() {
    let clean = Journal::new().file(
        "g.md",
        "---\ngoal: G\ndue: 2027-01-01\nwhy: w\narea: a\n---\n- [ ] step\n- [ ] loose? no, the file's goal\n",
    );
    clean.run(&["check", "--today", "2026-01-01"]).code(0);
    clean.write("n.md", "- [ ] a loose task\n");
    clean.run(&["check", "--today", "2026-01-01"]).code(0);
    clean
        .run(&["check", "--strict", "--today", "2026-01-01"])
        .code(1);
}

#[test]
fn unreadable_input_files_are_diagnostics_and_the_rest_is_read() {
    let journal = Journal::new()
        .goal("good.md", "Good", "- [x] a\n")
        .file("latin1.md", b"caf\xe9\n")
        .file("utf16.md", b"\xff\xfe-\x00 \x00[\x00")
        .file("empty.md", b"")
        .file(
            "crlf.md",
            "---\r\ngoal: Windows\r\n---\r\n- [x] done\r\n- [ ] open\r\n",
        );
    let huge = fs::File::create(journal.path().join("huge.md")).unwrap();
    huge.set_len(11 * 1024 * 1024).unwrap();
    let json = status_json(journal.path(), "2026-01-01");
    assert_eq!(goal(&json, "good")["done"], 1);
    assert_eq!(goal(&json, "windows")["total"], 2);
    let files: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    // An empty note is fine: no diagnostic.
    assert_eq!(files, ["huge.md", "latin1.md", "utf16.md"]);
}

#[test]
fn build_writes_every_report_and_rewrites_nothing_unchanged() {
    let journal = Journal::example();
    let out = journal.path().join("_reports");
    let before = files_in(journal.path());
    let first = journal.run(&["build", "--today", "2026-11-20"]).success();
    // Every file written is listed in the manifest, and that is every report, the
    // documents cache, what the build knew of each review, the goals of its
    // `trailmark.json` and what each goal was made from, which are not counted as reports.
    let reports = fs::read_to_string(out.join(".trailmark-manifest"))
        .unwrap()
        .lines()
        .filter(|line| !line.starts_with(".trailmark-documents.bin\t"))
        .filter(|line| !line.starts_with(".trailmark-reviews.json\t"))
        .filter(|line| !line.starts_with(".trailmark-json-goals.json\t"))
        .filter(|line| !line.starts_with(".trailmark-goal-inputs.json\t"))
        .count();
    assert!(reports > 40, "goals, reviews and indexes: {reports}");
    first.stdout(contains(format!(
        "7 goals: {reports} reports written, 0 unchanged"
    )));
    for file in [
        "index.html",
        "index.md",
        "trailmark.json",
        "deadlines.ics",
        "goals/learn-sql.html",
        "goals/learn-sql.md",
        "reviews/index.html",
        "reviews/index.md",
        "reviews/2026-W46.html",
        "reviews/2026-10.md",
        "reviews/2026-Q3.html",
        "reviews/2026.md",
    ] {
        assert!(out.join(file).is_file(), "{file}");
    }
    // trailmark.json is the same object as status --json.
    let written: Value =
        serde_json::from_slice(&fs::read(out.join("trailmark.json")).unwrap()).unwrap();
    assert_eq!(written, status_json(journal.path(), "2026-11-20"));
    // The journal itself is untouched; the only new files are in the output folder.
    let after = files_in(journal.path());
    for (path, bytes) in &before {
        assert_eq!(after.get(path), Some(bytes), "{} changed", path.display());
    }
    assert!(
        after
            .keys()
            .filter(|p| !before.contains_key(*p))
            .all(|p| journal.path().join(p).starts_with(&out))
    );
    // A second build finds nothing to write.
    journal
        .run(&["build", "--today", "2026-11-20"])
        .success()
        .stdout(contains(format!("0 reports written, {reports} unchanged")));
}

/// How many reports a `build` line says it wrote.
fn reports_written(assert: &assert_cmd::assert::Assert) -> usize {
    let stdout = stdout(assert);
    let count = stdout.split(" reports written").next().unwrap();
    count.rsplit(' ').next().unwrap().parse().unwrap()
}

/// Builds again from nothing and asserts that the reports are the same as `out` holds:
/// what an incremental build skipped was current.
fn assert_same_as_a_fresh_build(journal: &Journal, out: &Path) {
    let incremental = reports_in(out);
    fs::remove_dir_all(out).unwrap();
    journal.run(&["build", "--today", "2026-11-20"]).success();
    let fresh = reports_in(out);
    assert_eq!(
        incremental.keys().collect::<Vec<_>>(),
        fresh.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &fresh {
        assert!(incremental[path] == *bytes, "{} differs", path.display());
    }
}

#[test]
fn an_edit_rewrites_only_the_reports_it_shows_on_and_they_match_a_fresh_build() {
    let journal = Journal::example();
    let root = journal.path();
    let out = root.join("_reports");
    journal.run(&["build", "--today", "2026-11-20"]).success();
    let before = reports_in(&out);
    let total = before.len();

    // A lesson of the entry of Monday 2026-08-10 shows in the reviews of its week, month,
    // quarter and year, and nowhere else.
    let entry = "journal/2026/2026-08-10.md";
    let text = journal.read(entry);
    journal.write(
        entry,
        text.replacen("## Lessons\n\n- ", "## Lessons\n\n- Rewritten: ", 1),
    );
    let second = journal.run(&["build", "--today", "2026-11-20"]).success();
    let after = reports_in(&out);
    let mut changed: Vec<String> = after
        .keys()
        .filter(|p| before[*p] != after[*p])
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    changed.sort();
    let expected: Vec<String> = ["2026-08", "2026-Q3", "2026-W33", "2026"]
        .iter()
        .flat_map(|period| ["html", "md"].map(|ext| format!("reviews/{period}.{ext}")))
        .collect();
    let mut expected = expected;
    expected.sort();
    assert_eq!(changed, expected);
    assert_eq!(reports_written(&second), expected.len());
    assert_same_as_a_fresh_build(&journal, &out);

    // Ticking a milestone changes its goal's pages and every review its progress is in.
    let goal = "goals/learn-sql.md";
    journal.write(goal, journal.read(goal).replacen("- [ ]", "- [x]", 1));
    let third = journal.run(&["build", "--today", "2026-11-20"]).success();
    assert!(reports_written(&third) < total, "{total}");
    assert_same_as_a_fresh_build(&journal, &out);

    // A template override changes every report made from it.
    journal.write("templates/goal.md", "custom {{ goal.title }}\n");
    journal.run(&["build", "--today", "2026-11-20"]).success();
    let custom = fs::read_to_string(out.join("goals/learn-sql.md")).unwrap();
    assert!(custom.starts_with("custom "), "{custom}");
    assert_same_as_a_fresh_build(&journal, &out);
}

#[test]
fn a_report_edited_or_deleted_by_hand_is_written_again() {
    let journal = Journal::example();
    let out = journal.path().join("_reports");
    journal.run(&["build", "--today", "2026-11-20"]).success();
    let review = out.join("reviews/2026-10.md");
    let original = fs::read(&review).unwrap();
    fs::write(&review, "edited by hand").unwrap();
    fs::remove_file(out.join("goals/learn-sql.html")).unwrap();
    let rebuilt = journal.run(&["build", "--today", "2026-11-20"]).success();
    assert_eq!(reports_written(&rebuilt), 2);
    assert_eq!(fs::read(&review).unwrap(), original);
    assert!(out.join("goals/learn-sql.html").is_file());
}

#[test]
fn the_html_index_shows_every_goal_with_a_progress_bar() {
    let journal = Journal::example();
    journal.run(&["build", "--today", "2026-11-20"]).success();
    let html = journal.read("_reports/index.html");
    let json = status_json(journal.path(), "2026-11-20");
    for g in json["goals"].as_array().unwrap() {
        let title = g["title"].as_str().unwrap();
        assert!(html.contains(&format!(">{title}</a>")), "{title}");
    }
    assert_eq!(html.matches("role=\"progressbar\"").count(), 7);
    assert!(html.contains("Content-Security-Policy"));
    assert!(!html.contains("<script"));
}

#[test]
fn journal_text_is_escaped_in_html() {
    let journal = Journal::fixture("basic");
    journal.run(&["build", "--today", "2026-03-01"]).success();
    let page = journal.read("_reports/goals/leader.html");
    // The script element goes with its content; the rest of the text stays, escaped.
    assert!(page.contains("Lead a project  &amp; more"), "{page}");
    assert!(
        !page.contains("<script") && !page.contains("alert(1)"),
        "{page}"
    );
}

#[test]
fn removed_goals_lose_their_reports() {
    let journal = Journal::fixture("basic");
    let out = journal.path().join("_reports");
    journal.run(&["build", "--today", "2026-03-01"]).success();
    assert!(out.join("goals/talks.html").exists());
    let goals = journal.read("goals.md");
    journal.write("goals.md", goals.replace("id: talks", "id: speaking"));
    journal
        .run(&["build", "--today", "2026-03-01"])
        .success()
        .stdout(contains("2 removed"));
    assert!(!out.join("goals/talks.html").exists());
    assert!(out.join("goals/speaking.html").exists());
}

#[test]
fn unsafe_output_folders_are_refused_before_writing() {
    let journal = Journal::fixture("basic");
    let before = files_in(journal.path());
    for out in [
        journal.path().to_path_buf(),
        journal.path().join(".."),
        journal.path().join("goals.md"),
    ] {
        trailmark()
            .args(["build", "--out"])
            .arg(&out)
            .arg(journal.path())
            .assert()
            .code(2)
            .stderr(contains("output folder"));
    }
    let users_folder = tempfile::tempdir().unwrap();
    fs::write(users_folder.path().join("taxes.pdf"), "x").unwrap();
    trailmark()
        .args(["build", "--out"])
        .arg(users_folder.path())
        .arg(journal.path())
        .assert()
        .code(2)
        .stderr(contains("did not write"));
    assert_eq!(files_in(journal.path()), before);
}

#[test]
fn an_output_folder_outside_the_journal_works() {
    let journal = Journal::fixture("basic");
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("reports");
    trailmark()
        .args(["build", "--today", "2026-03-01", "--out"])
        .arg(&out)
        .arg(journal.path())
        .assert()
        .success();
    assert!(out.join("index.html").is_file());
    assert!(!journal.path().join("_reports").exists());
}

#[test]
fn reports_built_inside_the_journal_are_never_read_back() {
    let journal = Journal::fixture("basic");
    let before = status_json(journal.path(), "2026-03-01");
    trailmark()
        .args(["build", "--today", "2026-03-01", "--out"])
        .arg(journal.path().join("shared/reports"))
        .arg(journal.path())
        .assert()
        .success();
    assert_eq!(status_json(journal.path(), "2026-03-01"), before);
}

#[test]
fn check_warns_about_an_entry_dated_after_today() {
    let journal = Journal::new()
        .goal("h.md", "H", "- [ ] later\n")
        .entry("2026-12-01", "- [x] step #h\n");
    let out = stdout(&journal.run(&["check", "--today", "2026-11-29"]).success());
    assert!(
        out.contains(
            "2026-12-01.md: warning: this entry is dated 2026-12-01, after today (2026-11-29)"
        ),
        "{out}"
    );
    let json = status_json(journal.path(), "2026-11-29");
    assert_eq!(goal(&json, "h")["done"], 0, "it counts from its own date");
}

#[test]
fn a_metric_goal_page_gives_no_advice_about_task_items() {
    let journal = Journal::new()
        .file(
            "goals/talks.md",
            "---\ngoal: Talks\nmetric: {target: 4}\n---\n",
        )
        .entry("2026-01-05", "---\nmetrics: {talks: 1}\n---\n")
        .goal("goals/plain.md", "Plain", "");
    journal.run(&["build", "--today", "2026-03-01"]).success();
    let metric_page = journal.read("_reports/goals/talks.html");
    assert!(!metric_page.contains("Add task items"), "{metric_page}");
    assert!(metric_page.contains("its progress comes from its metric"));
    assert!(
        journal
            .read("_reports/goals/plain.html")
            .contains("Add task items")
    );
}

#[test]
fn the_journal_templates_folder_overrides_embedded_templates() {
    let journal = Journal::fixture("basic");
    journal.write(
        "templates/index.md",
        "{% for g in report.goals %}{{ g.id }}={{ g.progress | percent }}\n{% endfor %}",
    );
    // A note template in the folder is not read as a journal document.
    journal.write("templates/daily.md", "---\ngoal: Not a goal\n---\n");
    journal.run(&["build", "--today", "2026-03-01"]).success();
    let index = journal.read("_reports/index.md");
    // The leader goal rolls up its two children: (0 + 2/3 + 1/4) / (1 + 2).
    assert_eq!(index, "leader=31%\nlearn-sql=67%\ntalks=25%\n");
}

#[test]
fn a_template_typo_is_an_error_not_a_blank() {
    let journal = Journal::fixture("basic");
    journal.write("templates/goal.md", "{{ goal.titel }}\n");
    journal
        .run(&["build", "--today", "2026-03-01"])
        .code(2)
        .stderr(contains("template goal.md"));
}

/// `trailmark ARGS DIR`, which must end within a minute (a guard against a hang: a read
/// of a FIFO waits for a writer forever, one of `/dev/zero` never ends).
fn run_within_a_minute(args: &[&str], dir: &Path) -> assert_cmd::assert::Assert {
    trailmark()
        .args(args)
        .arg(dir)
        .timeout(common::HANG_LIMIT)
        .assert()
}

/// A file in the templates folder that no template loads is never read in full: a FIFO
/// or a link to `/dev/zero` there does not stop a build. One a build or `new` loads is
/// an error naming it.
#[cfg(unix)]
#[test]
fn a_fifo_or_a_device_in_the_templates_folder_is_never_waited_for() {
    let journal = Journal::fixture("basic");
    let root = journal.path();
    let templates = root.join("templates");
    fs::create_dir(&templates).unwrap();
    common::make_fifo(&templates.join("x"));
    std::os::unix::fs::symlink("/dev/zero", templates.join("z")).unwrap();
    run_within_a_minute(&["build", "--today", "2026-03-01"], root).success();
    assert!(root.join("_reports/goals/learn-sql.md").is_file());

    common::make_fifo(&templates.join("goal.md"));
    run_within_a_minute(&["build", "--today", "2026-03-01"], root)
        .code(2)
        .stderr(contains(
            "templates/goal.md: not a regular file but a named pipe (FIFO)",
        ));
    common::make_fifo(&templates.join("new-entry.md"));
    run_within_a_minute(&["new", "entry", "--dir"], root)
        .code(2)
        .stderr(contains(
            "templates/new-entry.md: not a regular file but a named pipe (FIFO)",
        ));
    assert!(!root.join("journal").exists());
}

/// A template is read like a journal file: never through a symlink, not even one to
/// another template, so a journal someone shares cannot pull a file of the reader's
/// (`goal.md -> /etc/passwd`) into its reports, directly or by `{% include %}`.
#[cfg(unix)]
#[test]
fn templates_are_never_read_through_a_symlink() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("passwd");
    fs::write(&secret, "private-outside-text\n").unwrap();
    let journal = Journal::fixture("basic");
    let root = journal.path();
    // A first build that fails leaves its output folder refused; this test is not about
    // that.
    journal.run(&["build", "--today", "2026-03-01"]).success();
    let templates = root.join("templates");
    fs::create_dir(&templates).unwrap();
    let no_report_holds_the_secret = || {
        for (path, content) in files_in(&root.join("_reports")) {
            let text = String::from_utf8_lossy(&content);
            assert!(!text.contains("private-outside-text"), "{path:?}");
        }
    };

    symlink(&secret, templates.join("goal.md")).unwrap();
    run_within_a_minute(&["build", "--today", "2026-03-01"], root)
        .code(2)
        .stderr(contains("templates/goal.md: symlink not followed"));
    no_report_holds_the_secret();

    fs::remove_file(templates.join("goal.md")).unwrap();
    journal.write("templates/goal.md", "{% include 'pw' %}\n");
    symlink(&secret, templates.join("pw")).unwrap();
    run_within_a_minute(&["build", "--today", "2026-03-01"], root)
        .code(2)
        .stderr(contains("templates/pw: symlink not followed"));
    no_report_holds_the_secret();

    // Inside the journal too: links are not followed, as in the journal's own folders.
    fs::remove_file(templates.join("pw")).unwrap();
    journal.write("templates/mine.md", "mine {{ goal.title }}\n");
    symlink("mine.md", templates.join("pw")).unwrap();
    run_within_a_minute(&["build", "--today", "2026-03-01"], root)
        .code(2)
        .stderr(contains("templates/pw: symlink not followed"));
    fs::remove_file(templates.join("pw")).unwrap();
    journal.write("templates/goal.md", "{% include 'mine.md' %}");
    run_within_a_minute(&["build", "--today", "2026-03-01"], root).success();
    let report = journal.read("_reports/goals/learn-sql.md");
    assert!(report.starts_with("mine "), "{report}");
}

/// The output folder's files are read by the same rules: a FIFO where a report goes is
/// an error that names it, not waited for (the write stage writes only plain files).
#[cfg(unix)]
#[test]
fn a_fifo_in_the_output_folder_is_refused_not_waited_for() {
    let journal = Journal::fixture("basic");
    let root = journal.path();
    journal.run(&["build", "--today", "2026-03-01"]).success();
    let report = root.join("_reports/goals/learn-sql.md");
    fs::remove_file(&report).unwrap();
    common::make_fifo(&report);
    run_within_a_minute(&["build", "--today", "2026-03-01"], root)
        .code(2)
        .stderr(contains("goals/learn-sql.md: is not a plain file"));
    fs::remove_file(&report).unwrap();
    run_within_a_minute(&["build", "--today", "2026-03-01"], root).success();
    assert!(fs::symlink_metadata(&report).unwrap().is_file());
}

#[test]
fn bad_arguments_exit_2_with_a_message() {
    trailmark()
        .args(["status", "--today", "2026-02-30"])
        .assert()
        .code(2)
        .stderr(contains("not a day of the calendar"));
    trailmark()
        .args(["status", "/no/such/journal"])
        .assert()
        .code(2)
        .stderr(contains("journal folder /no/such/journal"));
    trailmark()
        .arg("--version")
        .assert()
        .success()
        .stdout(contains("trailmark"));
    for command in ["status", "build", "check"] {
        trailmark().args([command, "--help"]).assert().success();
    }
}

#[test]
fn review_prints_the_last_complete_period_in_each_format() {
    let journal = Journal::example();
    let run = |args: &[&str]| {
        let output = trailmark()
            .arg("review")
            .args(args)
            .args(["--today", "2026-11-20"])
            .arg(journal.path())
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    // The default: the last complete ISO week before 2026-11-20 (a Friday).
    let markdown = run(&[]);
    assert!(
        markdown.starts_with("# Week 46, 2026: weekly review"),
        "{markdown}"
    );
    assert!(markdown.contains("2026-11-09 to 2026-11-15"));
    assert!(
        markdown.contains("✅ Give the talk (2026-11-13)"),
        "{markdown}"
    );
    let json: Value =
        serde_json::from_str(&run(&["--period", "quarter", "--format", "json"])).unwrap();
    assert_eq!(json["label"], "2026-Q3");
    assert_eq!(json["first"], "2026-07-01");
    assert_eq!(json["last"], "2026-09-30");
    // Journal text is escaped in HTML.
    let html = run(&[
        "--period",
        "month",
        "--date",
        "2026-10-15",
        "--format",
        "html",
    ]);
    assert!(html.starts_with("<!doctype html>"));
    assert!(html.contains("<h2>Lessons</h2>") && html.contains("Rehearse out loud; slides lie."));
    assert!(!html.contains("<script"));
}

#[test]
fn review_rejects_an_unknown_period() {
    Journal::example()
        .run(&["review", "--period", "fortnight"])
        .code(2)
        .stderr(contains("week, month, quarter, year"));
}

/// `trailmark check` of the broken journal with `args` and `env`, run in its folder (so
/// that files are named the same whichever copy it is); its stdout.
fn check_output(args: &[&str], env: &[(&str, &str)]) -> String {
    let journal = Journal::fixture("broken");
    let mut command = trailmark();
    command
        .current_dir(journal.path())
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .args(["check", "--today", "2026-11-20"])
        .args(args);
    for (name, value) in env {
        command.env(name, value);
    }
    let output = command.output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn color_follows_the_flag_then_no_color_and_clicolor_force() {
    let has_color = |text: &str| text.contains("\u{1b}[");
    // Piped, so auto means no colors unless the environment forces them.
    assert!(!has_color(&check_output(&[], &[])));
    assert!(has_color(&check_output(&[], &[("CLICOLOR_FORCE", "1")])));
    assert!(!has_color(&check_output(
        &[],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]
    )));
    // The flag wins over the environment, after the command as before it.
    assert!(has_color(&check_output(
        &["--color", "always"],
        &[("NO_COLOR", "1")]
    )));
    assert!(has_color(&check_output(&["--color=always"], &[])));
    assert!(!has_color(&check_output(
        &["--color", "never"],
        &[("CLICOLOR_FORCE", "1")]
    )));
    let before =
        Journal::fixture("broken").run(&["--color", "always", "check", "--today", "2026-11-20"]);
    assert!(has_color(&stdout(&before)));
}

#[test]
fn quiet_build_prints_nothing_and_verbose_lists_what_it_wrote() {
    let root = Journal::example();
    root.run(&["build", "--quiet", "--today", "2026-11-20"])
        .success()
        .stdout("")
        // Not a terminal: no progress bar either.
        .stderr("");
    assert!(root.path().join("_reports/index.html").is_file());

    fs::remove_file(root.path().join("_reports/goals/learn-sql.html")).unwrap();
    let verbose = root
        .run(&["-v", "build", "--today", "2026-11-20"])
        .success()
        .stderr("");
    let stdout = stdout(&verbose);
    assert!(
        stdout.contains("\n  wrote goals/learn-sql.html\n"),
        "{stdout}"
    );
    assert!(!stdout.contains("wrote index.html"), "{stdout}");
    assert!(stdout.contains("read 22 files in "), "{stdout}");
}

#[test]
fn quiet_and_verbose_check() {
    let quiet = check_output(&["--quiet"], &[]);
    assert!(quiet.contains("error:"), "{quiet}");
    assert!(
        !quiet.contains("warning:") && !quiet.contains("hint:"),
        "{quiet}"
    );
    assert!(!quiet.contains("errors,"), "{quiet}");
    let verbose = check_output(&["--verbose"], &[]);
    assert!(verbose.contains("read goals/"), "{verbose}");
    assert!(verbose.ends_with(&check_output(&[], &[])), "{verbose}");
    trailmark()
        .args(["check", "--quiet", "--verbose"])
        .assert()
        .code(2)
        .stderr(contains("cannot be used with"));
}

#[test]
fn completion_scripts_are_valid_shell() {
    for (shell, check) in [
        ("bash", &["-n"][..]),
        ("zsh", &["-n"][..]),
        ("fish", &["--no-execute"][..]),
    ] {
        let output = trailmark().args(["completions", shell]).output().unwrap();
        assert!(output.status.success());
        let script = String::from_utf8(output.stdout).unwrap();
        for command in [
            "init", "new", "goal", "entry", "build", "serve", "check", "man",
        ] {
            assert!(script.contains(command), "{shell}: {command}");
        }
        let file = tempfile::NamedTempFile::new().unwrap();
        fs::write(file.path(), &script).unwrap();
        let checked = std::process::Command::new(shell)
            .args(check)
            .arg(file.path())
            .output();
        match checked {
            Ok(checked) => assert!(
                checked.status.success(),
                "{shell}: {}",
                String::from_utf8_lossy(&checked.stderr)
            ),
            Err(error) if shell == "bash" => panic!("bash must be installed: {error}"),
            Err(_) => common::say_skipped(&format!(
                "{shell} is not installed: its completions were not checked"
            )),
        }
    }
}

#[test]
fn the_man_page_renders_without_warnings() {
    let output = trailmark().arg("man").output().unwrap();
    assert!(output.status.success());
    let page = String::from_utf8(output.stdout).unwrap();
    assert!(page.contains(".TH trailmark 1"));
    let file = tempfile::NamedTempFile::new().unwrap();
    fs::write(file.path(), &page).unwrap();
    match std::process::Command::new("groff")
        // Plain text: no overstriking for bold, no escape codes.
        .args(["-man", "-Tutf8", "-ww", "-P-cbou"])
        .arg(file.path())
        .output()
    {
        Ok(rendered) => {
            assert!(rendered.status.success());
            assert_eq!(String::from_utf8_lossy(&rendered.stderr), "");
            let text = String::from_utf8_lossy(&rendered.stdout);
            assert!(text.contains("EXIT STATUS"), "{text}");
        }
        Err(_) => common::say_skipped("groff is not installed: the man page was not rendered"),
    }
}

/// Every command, as the words that run it.
const COMMANDS: [&[&str]; 11] = [
    &["init"],
    &["new", "goal", "Title"],
    &["new", "entry"],
    &["status"],
    &["build"],
    &["review"],
    &["watch"],
    &["serve"],
    &["check"],
    &["completions", "bash"],
    &["man"],
];

#[test]
fn a_usage_error_exits_2_on_every_command() {
    for command in COMMANDS {
        trailmark()
            .args(command)
            .arg("--no-such-option")
            .assert()
            .code(2)
            .stderr(contains("--no-such-option"));
    }
    trailmark().assert().code(2).stderr(contains("Usage"));
    trailmark().arg("no-such-command").assert().code(2);
    trailmark().args(["new", "goal"]).assert().code(2);
    trailmark()
        .args(["--color", "sometimes", "status"])
        .assert()
        .code(2);
}

#[test]
fn a_missing_journal_folder_exits_2_on_every_command_that_reads_one() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing");
    for command in COMMANDS {
        let mut run = trailmark();
        run.args(command);
        match command[0] {
            "new" => run.arg("--dir").arg(&missing),
            // init makes its folder; a file where it would go is what it cannot use.
            "init" => run.arg(dir.path().join("file")),
            "completions" | "man" => continue,
            _ => run.arg(&missing),
        };
        fs::write(dir.path().join("file"), "").unwrap();
        run.timeout(common::HANG_LIMIT)
            .assert()
            .code(2)
            .stderr(contains("journal folder"));
        assert!(!missing.exists(), "{command:?}");
    }
}

/// Journal text on a terminal (titles, file names, source lines, reviews) never sends a
/// control sequence: a shared journal cannot clear the screen, set the window title or
/// forge a link. Each control character is shown as a symbol (`␛`).
#[test]
fn control_characters_of_the_journal_never_reach_the_terminal() {
    let journal = Journal::new().file(
        "goals/evil.md",
        "---\ngoal: \"Evil \\e]0;pwned\\a\\e[31mred\"\nid: evil\n---\n\
         - [ ] task \u{1b}[2J\u{1b}]8;;http://evil\u{1b}\\link #evl\n\
         - [x] done \u{1b}[5m ✅ 2026-03-02\n",
    );
    let runs: [&[&str]; 4] = [
        &["status"],
        &["check"],
        &["review", "--period", "month", "--date", "2026-03-02"],
        &[
            "review",
            "--period",
            "month",
            "--date",
            "2026-03-02",
            "--format",
            "html",
        ],
    ];
    for args in runs {
        let output = trailmark()
            .args(args)
            .args(["--color", "always", "--today", "2026-03-10"])
            .arg(journal.path())
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&output.stdout).to_string()
            + &String::from_utf8_lossy(&output.stderr);
        // Colors of trailmark's own are `ESC [ digits m`; nothing else may follow an ESC.
        let foreign = text.split('\u{1b}').skip(1).find(|after| {
            let digits = after
                .strip_prefix('[')
                .map(|rest| rest.trim_start_matches(|c: char| c.is_ascii_digit() || c == ';'));
            !digits.is_some_and(|rest| rest.starts_with('m'))
        });
        assert!(foreign.is_none(), "{args:?}: {foreign:?} in\n{text}");
        assert!(
            text.contains('␛'),
            "{args:?}: the escapes are shown\n{text}"
        );
    }
}

#[test]
fn loose_milestones_are_one_warning_a_file_listed_with_verbose() {
    let journal = Journal::new().goal("goal.md", "Goal", "").entry(
        "2026-01-05",
        "- [ ] one\n- [ ] two\n  - [ ] nested\n- [ ] three\n",
    );
    let out = stdout(&journal.run(&["check"]).success());
    assert!(
        out.contains(
            "2026-01-05.md:1:1: warning: 3 milestones belong to no goal, the first `one` \
             (`check --verbose` lists them)"
        ),
        "{out}"
    );
    assert!(out.ends_with("0 errors, 1 warning, 3 hints\n"), "{out}");
    let verbose = stdout(&journal.run(&["check", "--verbose"]).success());
    for line in [
        "2026-01-05.md:1:1: note: milestone `one` belongs to no goal",
        "2026-01-05.md:2:1: note: milestone `two` belongs to no goal",
        "2026-01-05.md:4:1: note: milestone `three` belongs to no goal",
    ] {
        assert!(verbose.contains(line), "{line:?} in\n{verbose}");
    }
    journal.write("trailmark.toml", "[warnings]\nloose_milestones = false\n");
    let quiet = stdout(&journal.run(&["check", "--verbose"]).success());
    assert!(!quiet.contains("belong"), "{quiet}");
    assert!(
        quiet.ends_with("0 errors, 0 warnings, 3 hints\n"),
        "{quiet}"
    );
}
