//! `trailmark init` and `trailmark new`: the only commands that add files to a journal,
//! never overwriting one: the files made, refusals to overwrite (nothing written), a
//! fresh journal that builds and checks with no problem, the journal's own templates,
//! `--edit` with a script as the editor that records its arguments, unknown parents.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use predicates::str::contains;
use serde_json::Value;

use crate::common::{Journal, files_in, goal, status_json, stdout, trailmark};

const TODAY: &str = "2026-03-02";

/// `trailmark init --today TODAY DIR`, which must succeed; its stdout.
fn init(dir: &Path) -> String {
    let init = trailmark()
        .args(["init", "--today", TODAY])
        .arg(dir)
        .assert()
        .success();
    stdout(&init)
}

/// A journal fresh from `init`.
fn fresh_journal() -> Journal {
    let journal = Journal::new();
    init(journal.path());
    journal
}

fn paths(folder: &Path) -> BTreeSet<PathBuf> {
    files_in(folder).into_keys().collect()
}

fn set(paths: &[&str]) -> BTreeSet<PathBuf> {
    paths.iter().map(PathBuf::from).collect()
}

/// The goal `id` of the journal's `status --json`, which must report no diagnostic.
fn goal_without_diagnostics(journal: &Journal, id: &str) -> Value {
    let json = status_json(journal.path(), TODAY);
    assert_eq!(json["diagnostics"], Value::Array(vec![]));
    goal(&json, id).clone()
}

const INIT_FILES: [&str; 4] = [
    "trailmark.toml",
    ".gitignore",
    "goals/team-talk.md",
    "journal/2026/2026-03-02.md",
];

#[test]
fn init_creates_exactly_its_files_in_a_new_folder_and_says_what_to_run_next() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("my journal");
    let stdout = init(&dir);
    assert_eq!(paths(&dir), set(&INIT_FILES));
    for file in INIT_FILES {
        assert!(stdout.contains(file), "{file} in\n{stdout}");
    }
    // The next commands name the folder, quoted for a shell.
    let quoted = format!("'{}'", dir.display());
    assert!(
        stdout.contains(&format!("trailmark build {quoted}")),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("trailmark serve {quoted}")),
        "{stdout}"
    );
    assert_eq!(
        fs::read_to_string(dir.join(".gitignore"))
            .unwrap()
            .lines()
            .last(),
        Some("/_reports/")
    );
}

#[test]
fn init_in_the_current_folder_by_default() {
    let journal = Journal::new();
    let init = trailmark()
        .current_dir(journal.path())
        .args(["init", "--today", TODAY])
        .assert()
        .success();
    assert_eq!(paths(journal.path()), set(&INIT_FILES));
    let stdout = stdout(&init);
    assert!(
        stdout.starts_with("Started a journal in this folder:\n"),
        "{stdout}"
    );
    assert!(stdout.contains("trailmark build "), "{stdout}");
    assert!(!stdout.contains("trailmark build ."), "{stdout}");
}

#[test]
fn init_refuses_to_overwrite_any_file_and_then_writes_nothing() {
    for existing in INIT_FILES {
        let journal = Journal::new().file(existing, "mine\n");
        journal
            .run(&["init", "--today", TODAY])
            .code(2)
            .stderr(contains(existing));
        let files = files_in(journal.path());
        assert_eq!(files.len(), 1, "{existing}: {files:?}");
        assert_eq!(files[Path::new(existing)], b"mine\n");
    }
}

#[test]
fn a_fresh_journal_builds_and_checks_without_a_single_problem() {
    let journal = fresh_journal();
    builds_without_problems(&journal, "1 goal: ");
    assert!(journal.path().join("_reports/index.html").is_file());
    assert!(
        journal
            .path()
            .join("_reports/goals/team-talk.html")
            .is_file()
    );

    journal
        .run(&["check", "--strict", "--today", TODAY])
        .code(0)
        .stdout("0 errors, 0 warnings, 0 hints\n");

    let json = status_json(journal.path(), TODAY);
    assert_eq!(json["diagnostics"], Value::Array(vec![]));
    let goal = &json["goals"][0];
    assert_eq!(goal["id"], "team-talk");
    // The first entry ticked one of the example goal's milestones.
    assert_eq!(
        (goal["done"].as_u64(), goal["total"].as_u64()),
        (Some(1), Some(5))
    );
}

/// `trailmark new ARGS --dir DIR` with the environment variables `env`, and `VISUAL` and
/// `EDITOR` unset unless `env` sets them.
fn new_with(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> std::process::Output {
    let mut command = trailmark();
    command
        .arg("new")
        .args(args)
        .arg("--dir")
        .arg(dir)
        .env_remove("VISUAL")
        .env_remove("EDITOR");
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().unwrap()
}

/// `trailmark new ARGS --dir DIR`, with `VISUAL` and `EDITOR` unset.
fn new(dir: &Path, args: &[&str]) -> std::process::Output {
    new_with(dir, &[], args)
}

/// `trailmark new ARGS` in the journal, with `env`, fails with exit code 2 and changes
/// no file; its stderr.
fn new_refused(journal: &Journal, env: &[(&str, &str)], args: &[&str]) -> String {
    let before = files_in(journal.path());
    let output = new_with(journal.path(), env, args);
    assert_eq!(output.status.code(), Some(2), "{args:?}");
    assert_eq!(files_in(journal.path()), before, "{args:?}");
    String::from_utf8(output.stderr).unwrap()
}

#[test]
fn new_goal_makes_a_goal_of_the_journal_and_prints_its_path() {
    let journal = fresh_journal();
    let output = new(
        journal.path(),
        &[
            "goal",
            "Learn",
            "SQL:",
            "the basics",
            "--due",
            "2099-06-30",
            "--area",
            "skills",
            "--parent",
            "team-talk",
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let path = journal.path().join("goals/learn-sql-the-basics.md");
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        format!("{}\n", path.display())
    );
    let goal = goal_without_diagnostics(&journal, "learn-sql-the-basics");
    assert_eq!(goal["title"], "Learn SQL: the basics");
    assert_eq!(goal["due"], "2099-06-30");
    assert_eq!(goal["area"], "skills");
    assert_eq!(goal["parent"], "team-talk");
    assert_eq!(goal["file"], "goals/learn-sql-the-basics.md");
}

#[test]
fn new_never_overwrites_a_file() {
    let journal = fresh_journal().file("goals/run-a-10k.md", "mine\n");
    let goal = journal.path().join("goals/run-a-10k.md");
    let stderr = new_refused(&journal, &[], &["goal", "Run a 10k"]);
    assert!(
        stderr.contains(&goal.display().to_string()) && stderr.contains("already exists"),
        "{stderr}"
    );
    assert_eq!(fs::read(&goal).unwrap(), b"mine\n");
}

#[test]
fn new_entry_of_a_day_that_has_one_says_where_it_is_and_leaves_it() {
    let journal = fresh_journal();
    let entry = journal.path().join("journal/2026/2026-03-02.md");
    let before = files_in(journal.path());
    let output = new(journal.path(), &["entry", "--date", "2026-03-02"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        format!("{}\n", entry.display())
    );
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("already there") && stderr.contains("--edit"),
        "{stderr}"
    );
    assert_eq!(files_in(journal.path()), before);
}

#[test]
fn new_goal_writes_its_id_and_takes_one() {
    let journal = fresh_journal();
    let output = new(journal.path(), &["goal", "Learn SQL"]);
    assert!(output.status.success());
    assert!(
        journal
            .read("goals/learn-sql.md")
            .contains("\nid: learn-sql\n")
    );
    let output = new(
        journal.path(),
        &["goal", "Speak at a conference", "--id", "talk"],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(journal.read("goals/talk.md").contains("\nid: talk\n"));
    goal_without_diagnostics(&journal, "talk");
    let stderr = new_refused(&journal, &[], &["goal", "X", "--id", "Not An Id"]);
    assert!(stderr.contains("like `not-an-id`"), "{stderr}");
}

#[test]
fn new_refuses_a_folder_that_does_not_look_like_a_journal_unless_forced() {
    let folder = Journal::new().file("notes.txt", "not markdown\n");
    for args in [&["goal", "Ship it"][..], &["entry"][..]] {
        let stderr = new_refused(&folder, &[], args);
        assert!(
            stderr.contains("does not look like a journal") && stderr.contains("--force"),
            "{stderr}"
        );
    }
    let forced = new(folder.path(), &["goal", "Ship it", "--force"]);
    assert!(forced.status.success());
    // A vault of notes is a journal.
    let vault = Journal::new().file("Ideas.md", "- [ ] one\n");
    assert!(new(vault.path(), &["entry"]).status.success());
}

#[test]
fn new_entry_is_dated_today_or_by_date_under_its_year() {
    let journal = fresh_journal();
    let output = new(journal.path(), &["entry", "--date", "2027-01-04"]);
    assert!(output.status.success());
    let path = journal.path().join("journal/2027/2027-01-04.md");
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        format!("{}\n", path.display())
    );
    assert!(
        fs::read_to_string(&path)
            .unwrap()
            .contains("date: 2027-01-04")
    );
    // As of its own day: before it, an entry dated ahead is a warning.
    assert_eq!(
        status_json(journal.path(), "2027-01-04")["diagnostics"],
        Value::Array(vec![])
    );

    // In the journal folder itself, the path is printed as it would be typed.
    trailmark()
        .current_dir(journal.path())
        .args(["new", "entry", "--date", "2027-01-11"])
        .assert()
        .stdout("journal/2027/2027-01-11.md\n");

    // Without --date, today's entry (in an empty folder: forced).
    let empty = Journal::new();
    let output = new(empty.path(), &["entry", "--force"]);
    assert!(output.status.success());
    let today = String::from_utf8(output.stdout).unwrap();
    assert!(today.trim_end().ends_with(".md"), "{today}");
    assert!(Path::new(today.trim_end()).is_file());
}

#[test]
fn a_goal_with_a_very_long_title_gets_a_file_name_cut_as_report_names_are() {
    // A file name of more than 255 bytes failed with "File name too long".
    let journal = fresh_journal();
    let title = "word ".repeat(60);
    let id = format!("{}word", "word-".repeat(59));
    let output = new(journal.path(), &["goal", &title]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let printed = String::from_utf8(output.stdout).unwrap();
    let name = Path::new(printed.trim_end())
        .file_name()
        .unwrap()
        .to_str()
        .unwrap();
    // 83 characters of the id (without a dash at the end), `_` and a hash, as the
    // goal's reports are named.
    assert!(name.len() < 110, "{name}");
    assert!(name.starts_with(&id[..80]) && name.contains('_'), "{name}");
    // The goal keeps its whole id.
    let goal = goal_without_diagnostics(&journal, &id);
    assert_eq!(goal["file"], format!("goals/{name}"));
    // The same title again is the same id.
    let again = new(journal.path(), &["goal", &title]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already"));
}

#[test]
fn an_entry_of_a_year_before_1000_goes_in_a_four_digit_year_folder() {
    // `--date 0000-01-01` made `journal/0/`.
    let journal = fresh_journal();
    for (date, path) in [
        ("0000-01-01", "journal/0000/0000-01-01.md"),
        ("0999-12-31", "journal/0999/0999-12-31.md"),
    ] {
        let output = new(journal.path(), &["entry", "--date", date]);
        assert!(output.status.success(), "{date}");
        assert_eq!(
            String::from_utf8(output.stdout).unwrap(),
            format!("{}\n", journal.path().join(path).display())
        );
    }
    assert!(!journal.path().join("journal/0").exists());
}

#[test]
fn new_uses_the_journals_own_templates_which_are_not_report_templates() {
    let journal = fresh_journal()
        .file(
            "templates/new-goal.md",
            "---\ngoal: {{ title | yaml }}\ndue: {{ due }}\nwhy: mine\n---\n- [ ] {{ id }} starts {{ today }}\n",
        )
        .file("templates/new-entry.md", "# Day {{ date }} of {{ year }}\n");
    assert!(
        new(journal.path(), &["goal", "Ship: it", "--due", "2026-05-01"])
            .status
            .success()
    );
    let goal = journal.read("goals/ship-it.md");
    assert!(
        goal.starts_with(
            "---\ngoal: \"Ship: it\"\ndue: 2026-05-01\nwhy: mine\n---\n- [ ] ship-it starts "
        ),
        "{goal}"
    );
    assert!(
        new(journal.path(), &["entry", "--date", "2026-02-23"])
            .status
            .success()
    );
    assert_eq!(
        journal.read("journal/2026/2026-02-23.md"),
        "# Day 2026-02-23 of 2026\n"
    );
    // The templates of `new` are neither journal documents nor in the way of reports.
    builds_without_problems(&journal, "2 goals: ");
}

/// `build` of the journal succeeds, says it built `goals` (`"2 goals: "`) and mentions no
/// problem.
fn builds_without_problems(journal: &Journal, goals: &str) {
    let stdout = stdout(&journal.run(&["build", "--today", TODAY]).success());
    assert!(stdout.starts_with(goals), "{stdout}");
    assert!(!stdout.contains("problem"), "{stdout}");
}

#[test]
fn a_template_error_names_the_template_and_makes_no_file() {
    let journal = fresh_journal().file("templates/new-goal.md", "{{ titel }}\n");
    let stderr = new_refused(&journal, &[], &["goal", "Ship it"]);
    assert!(stderr.contains("new-goal.md"), "{stderr}");
}

#[test]
fn an_unknown_parent_fails_with_a_hint_and_makes_no_file() {
    let journal = fresh_journal();
    let stderr = new_refused(&journal, &[], &["goal", "Step", "--parent", "team-tlak"]);
    assert!(stderr.contains("did you mean `team-talk`?"), "{stderr}");
}

#[test]
fn new_in_a_folder_that_is_no_journal_fails() {
    let journal = Journal::new();
    let missing = journal.path().join("missing");
    for args in [&["goal", "Ship it"][..], &["entry"][..]] {
        let output = new(&missing, args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(!missing.exists());
    }
}

#[cfg(unix)]
mod edit {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    /// An editor, a script in a folder of its own (with a space in its name), that
    /// records its arguments, one a line.
    struct RecordingEditor {
        folder: tempfile::TempDir,
        script: PathBuf,
    }

    impl RecordingEditor {
        fn new() -> RecordingEditor {
            let folder = tempfile::tempdir().unwrap();
            let script = folder.path().join("my editor.sh");
            fs::write(
                &script,
                format!(
                    "#!/bin/sh\nfor arg in \"$@\"; do echo \"$arg\"; done > '{}'\n",
                    folder.path().join("record").display()
                ),
            )
            .unwrap();
            fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).unwrap();
            RecordingEditor { folder, script }
        }

        /// The arguments of its last run.
        fn recorded(&self) -> String {
            fs::read_to_string(self.folder.path().join("record")).unwrap()
        }
    }

    #[test]
    fn edit_runs_visual_split_like_a_shell_would_with_the_new_file() {
        let journal = fresh_journal();
        let editor = RecordingEditor::new();
        let visual = format!("'{}' --wait", editor.script.display());
        let output = new_with(
            journal.path(),
            &[("VISUAL", &visual), ("EDITOR", "false")],
            &["goal", "Ship it", "--edit"],
        );
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let path = journal.path().join("goals/ship-it.md");
        assert_eq!(editor.recorded(), format!("--wait\n{}\n", path.display()));
    }

    #[test]
    fn edit_falls_back_to_editor() {
        let journal = fresh_journal();
        let editor = RecordingEditor::new();
        let quoted = format!("'{}'", editor.script.display());
        let output = new_with(
            journal.path(),
            &[("VISUAL", ""), ("EDITOR", &quoted)],
            &["entry", "--date", "2026-03-09", "--edit"],
        );
        assert!(output.status.success());
        assert_eq!(
            editor.recorded(),
            format!(
                "{}\n",
                journal.path().join("journal/2026/2026-03-09.md").display()
            )
        );
    }

    #[test]
    fn edit_without_an_editor_fails_before_making_the_file() {
        let journal = fresh_journal();
        let nothing = tempfile::tempdir().unwrap();
        let path = nothing.path().to_str().unwrap();
        let stderr = new_refused(&journal, &[("PATH", path)], &["goal", "Ship it", "--edit"]);
        assert!(stderr.contains("$VISUAL nor $EDITOR"), "{stderr}");
    }

    #[test]
    fn edit_falls_back_to_editor_then_vi_on_the_path_as_git_does() {
        let journal = fresh_journal();
        let editor = RecordingEditor::new();
        let bin = tempfile::tempdir().unwrap();
        let path = bin.path().to_str().unwrap();
        for name in ["vi", "editor"] {
            std::os::unix::fs::symlink(&editor.script, bin.path().join(name)).unwrap();
            let date = if name == "vi" {
                "2026-03-09"
            } else {
                "2026-03-10"
            };
            let output = new_with(
                journal.path(),
                &[("PATH", path)],
                &["entry", "--date", date, "--edit"],
            );
            assert!(output.status.success(), "{name}");
            let entry = journal.path().join(format!("journal/2026/{date}.md"));
            assert_eq!(
                editor.recorded(),
                format!("{}\n", entry.display()),
                "{name}"
            );
        }
        // With both, `editor` is first.
        fs::write(editor.script.with_file_name("record"), "").unwrap();
        fs::remove_file(bin.path().join("vi")).unwrap();
        fs::write(bin.path().join("vi"), "#!/bin/sh\nexit 1\n").unwrap();
        let output = new_with(
            journal.path(),
            &[("PATH", path)],
            &["entry", "--date", "2026-03-11", "--edit"],
        );
        assert!(output.status.success());
    }

    #[test]
    fn edit_opens_the_entry_of_a_day_that_has_one() {
        let journal = fresh_journal();
        let editor = RecordingEditor::new();
        let quoted = format!("'{}'", editor.script.display());
        let before = files_in(journal.path());
        let output = new_with(
            journal.path(),
            &[("EDITOR", &quoted)],
            &["entry", "--date", "2026-03-02", "--edit"],
        );
        assert!(output.status.success());
        let entry = journal.path().join("journal/2026/2026-03-02.md");
        assert_eq!(editor.recorded(), format!("{}\n", entry.display()));
        assert_eq!(files_in(journal.path()), before);
    }

    #[test]
    fn an_editor_that_fails_is_an_error_and_the_file_stays() {
        let journal = fresh_journal();
        let output = new_with(
            journal.path(),
            &[("EDITOR", "false")],
            &["goal", "Ship it", "--edit"],
        );
        assert_eq!(output.status.code(), Some(2));
        assert!(journal.path().join("goals/ship-it.md").is_file());
    }

    #[test]
    fn an_editor_that_fails_on_an_existing_entry_does_not_say_it_was_created() {
        let journal = fresh_journal();
        let output = new_with(
            journal.path(),
            &[("EDITOR", "false")],
            &["entry", "--date", "2026-03-02", "--edit"],
        );
        assert_eq!(output.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("2026-03-02.md is left as it is"),
            "{stderr}"
        );
        assert!(!stderr.contains("created"), "{stderr}");
    }
}

#[test]
fn quiet_init_and_new_print_nothing() {
    let journal = Journal::new();
    journal
        .run(&["init", "--quiet", "--today", TODAY])
        .success()
        .stdout("");
    assert_eq!(paths(journal.path()), set(&INIT_FILES));
    let output = new(journal.path(), &["-q", "entry", "--date", "2026-03-09"]);
    assert!(output.status.success());
    assert_eq!(String::from_utf8_lossy(&output.stdout), "");
    assert!(journal.path().join("journal/2026/2026-03-09.md").is_file());
}
