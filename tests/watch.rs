//! `trailmark watch` on a copy of the example journal: every way editors and tools save
//! files must end in reports that match the files on disk.
//!
//! The truth is a fresh `trailmark build` of the journal as it is at the end: the watched
//! output folder must come to hold exactly the same reports. Tests wait for that (or for
//! an output line) with a deadline, never for a fixed time, except where they check that
//! nothing more happens.
//!
//! Also: a file's diagnostic shown and cleared by its fix; an edited template, and an
//! edited `trailmark.toml` (a broken one waits for its fix); editor temp files and the
//! output folder inside the journal rebuilding nothing; SIGTERM leaving no temp file; the
//! journal folder moved or deleted under a running watch; a rebuild at midnight; and
//! `--poll` finding changes with any debounce, reading none of a 16 MB attachment and,
//! between changes, no folder of reports' 2 MB manifest (bytes read, from
//! `/proc/<pid>/io`).

use std::ffi::OsStr;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::common::{self, Background, Journal, eventually, trailmark};

const TODAY: &str = "2026-11-20";
const GOAL: &str = "goals/learn-sql.md";

/// A watch of a copy of the example journal, with reports in a folder beside it (so that
/// a fresh build beside it links to the journal the same way).
struct Watched {
    journal: Journal,
    out: PathBuf,
    process: Background,
}

fn watch(extra: &[&str]) -> Watched {
    watch_journal(Journal::example(), extra)
}

/// A watch of `journal`, as [`watch`].
fn watch_journal(journal: Journal, extra: &[&str]) -> Watched {
    let out = journal.path().with_file_name("watched");
    let mut args: Vec<&OsStr> = vec![
        OsStr::new("watch"),
        journal.path().as_os_str(),
        OsStr::new("--out"),
        out.as_os_str(),
        OsStr::new("--today"),
        OsStr::new(TODAY),
    ];
    // A short debounce keeps the tests fast, unless a test gives its own.
    if !extra.contains(&"--debounce") {
        args.extend([OsStr::new("--debounce"), OsStr::new("50")]);
    }
    args.extend(extra.iter().map(OsStr::new));
    let mut process = Background::start(&args);
    process.wait_for("saying it watches", |line| line.starts_with("watching "));
    Watched {
        journal,
        out,
        process,
    }
}

impl Watched {
    fn path(&self, relative: &str) -> PathBuf {
        self.journal.path().join(relative)
    }

    /// Waits until the watched reports equal a fresh build of the journal as it is now.
    fn assert_reports_match_journal(&self) {
        let fresh = self.out.with_file_name("fresh");
        let _ = fs::remove_dir_all(&fresh);
        trailmark()
            .arg("build")
            .arg(self.journal.path())
            .arg("--out")
            .arg(&fresh)
            .args(["--today", TODAY])
            .assert()
            .success();
        let expected = read_reports(&fresh);
        eventually(|| {
            let actual = read_reports(&self.out);
            if actual == expected {
                return Ok(());
            }
            let differing: Vec<&String> = expected
                .keys()
                .chain(actual.keys())
                .filter(|path| expected.get(*path) != actual.get(*path))
                .collect();
            Err(format!("reports differ from a fresh build: {differing:?}"))
        });
    }
}

/// Every report under `out` (not trailmark's own bookkeeping files) and its content.
fn read_reports(out: &Path) -> std::collections::BTreeMap<String, String> {
    all_files(out)
        .into_iter()
        .filter(|relative| !relative.rsplit('/').next().unwrap().starts_with('.'))
        .map(|relative| {
            let content = fs::read_to_string(out.join(&relative)).unwrap_or_default();
            (relative, content)
        })
        .collect()
}

/// Every file under `folder`, hidden ones too, relative to it with `/` separators.
fn all_files(folder: &Path) -> Vec<String> {
    let mut files = Vec::new();
    let mut folders = vec![folder.to_path_buf()];
    while let Some(next) = folders.pop() {
        let Ok(entries) = fs::read_dir(&next) else {
            continue;
        };
        for entry in entries.map(Result::unwrap) {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let relative = path.strip_prefix(folder).unwrap();
                files.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    files
}

fn goal_text(done: &[bool; 2]) -> String {
    let mark = |done: bool| if done { "x" } else { " " };
    format!(
        "---\ngoal: Learn SQL for marketing analytics\nid: learn-sql\ndue: 2026-10-31\n---\n\
         - [x] SELECT, WHERE and ORDER BY ✅ 2026-07-12\n\
         - [{}] Window functions for cohort retention\n\
         - [{}] Build the weekly campaign dashboard\n",
        mark(done[0]),
        mark(done[1])
    )
}

#[test]
fn vim_writing_a_backup_and_renaming_over_the_original() {
    let mut watched = watch(&[]);
    let goal = watched.path(GOAL);
    // vim: swap file, write test file `4913`, original renamed to the backup `~`, the new
    // content written under the original name, the backup removed.
    let swap = watched.path("goals/.learn-sql.md.swp");
    fs::write(&swap, "swap").unwrap();
    fs::write(watched.path("goals/4913"), "").unwrap();
    fs::remove_file(watched.path("goals/4913")).unwrap();
    let backup = watched.path("goals/learn-sql.md~");
    fs::rename(&goal, &backup).unwrap();
    fs::write(&goal, goal_text(&[true, false])).unwrap();
    fs::remove_file(&backup).unwrap();
    fs::remove_file(&swap).unwrap();
    watched.process.wait_for("about the goal", |line| {
        line.contains("goals/learn-sql.md changed")
    });
    watched.assert_reports_match_journal();
}

#[test]
fn jetbrains_and_vscode_safe_write_through_a_temp_file_and_renames() {
    let watched = watch(&[]);
    let goal = watched.path(GOAL);
    let temp = watched.path("goals/learn-sql.md___jb_tmp___");
    let old = watched.path("goals/learn-sql.md___jb_old___");
    fs::write(&temp, goal_text(&[true, true])).unwrap();
    fs::rename(&goal, &old).unwrap();
    fs::rename(&temp, &goal).unwrap();
    fs::remove_file(&old).unwrap();
    watched.assert_reports_match_journal();
    // VS Code's atomic save: a hidden temp file renamed over the original.
    let hidden = watched.path("goals/.learn-sql.md.tmp");
    fs::write(&hidden, goal_text(&[false, true])).unwrap();
    fs::rename(&hidden, &goal).unwrap();
    watched.assert_reports_match_journal();
}

/// A rebuild's git history is read while the watch waits for quiet after a save, from
/// the repository as it is then: a goal's milestone checked after that read began, within
/// the same wait, must still be dated as checked since the last commit (today, from git),
/// as a fresh build dates it.
#[test]
fn a_milestone_checked_after_the_history_read_began_is_dated_as_a_fresh_build_dates_it() {
    let journal = Journal::example();
    let goal = |second_done: &str| {
        format!(
            "---\ngoal: Ship the atlas\n---\n- [x] Draft the maps\n- [{second_done}] Print the atlas\n"
        )
    };
    common::init_repository(journal.path());
    journal.write("goals/atlas.md", goal(" "));
    common::commit_all(journal.path(), "2026-11-02", "the atlas");
    let watched = watch_journal(journal, &["--debounce", "1500"]);
    // The first save starts the read; the second comes well after it began (git answers
    // in milliseconds), before the journal has been quiet for the debounce.
    watched.journal.write("aside.md", "# An aside\n");
    std::thread::sleep(Duration::from_millis(500));
    watched.journal.write("goals/atlas.md", goal("x"));
    watched.assert_reports_match_journal();
}

#[test]
fn truncate_then_write_in_pieces() {
    let watched = watch(&[]);
    let content = goal_text(&[true, true]);
    let (first, second) = content.split_at(content.len() / 2);
    let mut file = fs::File::create(watched.path(GOAL)).unwrap();
    file.write_all(first.as_bytes()).unwrap();
    file.flush().unwrap();
    // Longer than the debounce delay: a rebuild may well see the half-written file.
    std::thread::sleep(Duration::from_millis(120));
    file.write_all(second.as_bytes()).unwrap();
    drop(file);
    watched.assert_reports_match_journal();
}

#[test]
fn delete_and_recreate() {
    let watched = watch(&[]);
    fs::remove_file(watched.path(GOAL)).unwrap();
    watched.journal.write(GOAL, goal_text(&[false, true]));
    watched.assert_reports_match_journal();
    // Deleted for long enough to be built without it: its reports go, then come back.
    fs::remove_file(watched.path(GOAL)).unwrap();
    eventually(|| match watched.out.join("goals/learn-sql.html").exists() {
        true => Err("the report of a deleted goal is still there".into()),
        false => Ok(()),
    });
    watched.assert_reports_match_journal();
    watched.journal.write(GOAL, goal_text(&[true, false]));
    watched.assert_reports_match_journal();
}

#[test]
fn a_new_folder_with_files_created_at_once() {
    let watched = watch(&[]);
    // Files created right after their folder, before a watch on it can exist.
    let folder = watched.path("projects/2027/q1");
    fs::create_dir_all(&folder).unwrap();
    fs::write(
        folder.join("speaking.md"),
        "---\ngoal: Give a conference talk\ndue: 2027-03-31\n---\n- [x] Submit the proposal\n- [ ] Give the talk\n",
    )
    .unwrap();
    fs::write(
        folder.join("2027-01-04.md"),
        "# Week\n- [x] Outline the talk #give-a-conference-talk\n",
    )
    .unwrap();
    watched.assert_reports_match_journal();
    assert!(
        watched
            .out
            .join("goals/give-a-conference-talk.html")
            .exists()
    );
    // The folder removed as a whole.
    fs::remove_dir_all(watched.path("projects")).unwrap();
    watched.assert_reports_match_journal();
}

#[test]
fn a_burst_of_500_changed_files_like_a_git_checkout() {
    let mut watched = watch(&[]);
    let folder = watched.path("journal/imported");
    fs::create_dir_all(&folder).unwrap();
    for day in 0..500 {
        let date = format!("2025-{:02}-{:02}", day % 12 + 1, day % 28 + 1);
        fs::write(
            folder.join(format!("{date}-{day}.md")),
            format!("# Entry {day}\n\n- [x] Practised query {day} #learn-sql\n"),
        )
        .unwrap();
    }
    watched.assert_reports_match_journal();
    // One or a few rebuilds, never one per file.
    watched.process.lines_within(Duration::from_millis(300));
    let rebuilds = watched
        .process
        .seen
        .iter()
        .filter(|line| line.contains(" written · "))
        .count();
    assert!(
        (1..=5).contains(&rebuilds),
        "{rebuilds} rebuilds for one burst:\n{}",
        watched.process.seen.join("\n")
    );
}

#[test]
fn an_invalid_file_shows_its_diagnostic_and_the_fix_is_clean() {
    let mut watched = watch(&[]);
    watched
        .journal
        .write(GOAL, "---\ngoal: [unclosed\n---\n- [ ] step\n");
    // Named from the current folder: the journal is given by its absolute path elsewhere.
    let place = format!("{}:2:", watched.journal.path().join(GOAL).display());
    watched
        .process
        .wait_for("with the diagnostic", |line| line.starts_with(&place));
    watched.assert_reports_match_journal();
    watched.journal.write(GOAL, goal_text(&[true, false]));
    let line = watched.process.wait_for("about the fix", |line| {
        line.contains("goals/learn-sql.md changed")
    });
    let after = watched.process.lines_within(Duration::from_millis(300));
    assert!(
        after.iter().all(|l| !l.contains("error")),
        "{line}\n{}",
        after.join("\n")
    );
    watched.assert_reports_match_journal();
}

#[test]
fn the_output_folder_inside_the_journal_never_triggers_a_rebuild() {
    let dir = Journal::example();
    let mut process = watch_in_place(dir.path(), &[], None);
    dir.write(GOAL, goal_text(&[true, true]));
    process.wait_for("about the goal", |line| {
        line.contains("goals/learn-sql.md changed")
    });
    // The build wrote dozens of reports inside the journal: none may start another one.
    let more = process.lines_within(Duration::from_millis(600));
    assert!(more.is_empty(), "rebuilt again: {more:?}");
}

/// A rebuild takes the reports that no event of the output folder named as they were
/// written, without a look at their files: a report deleted or edited by hand is named
/// by its event, also when the output folder is outside the journal (as here), and
/// written again by the next rebuild though the edit changed nothing it shows.
#[test]
fn reports_deleted_or_edited_by_hand_are_written_again_by_the_next_rebuild() {
    let watched = watch(&[]);
    // The events are used from the second build after the output folder's watch began.
    for done in [[true, false], [true, true]] {
        watched.journal.write(GOAL, goal_text(&done));
        watched.assert_reports_match_journal();
    }
    let (deleted, edited) = ("goals/all-hands-talk.md", "goals/industry-events.html");
    fs::remove_file(watched.out.join(deleted)).unwrap();
    fs::write(watched.out.join(edited), "edited by hand\n").unwrap();
    watched.journal.write(GOAL, goal_text(&[false, false]));
    watched.assert_reports_match_journal();
}

#[test]
fn editor_temp_files_alone_change_nothing() {
    let mut watched = watch(&[]);
    for name in [
        "goals/.learn-sql.md.swp",
        "goals/learn-sql.md~",
        "goals/.#learn-sql.md",
        "goals/learn-sql.md___jb_tmp___",
        "goals/4913",
    ] {
        watched.journal.write(name, goal_text(&[true, true]));
    }
    let lines = watched.process.lines_within(Duration::from_millis(400));
    assert!(lines.is_empty(), "{lines:?}");
    watched.assert_reports_match_journal();
}

#[test]
fn an_edited_template_rewrites_the_reports() {
    let watched = watch(&[]);
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let template = fs::read_to_string(manifest.join("templates/index.md")).unwrap();
    watched
        .journal
        .write("templates/index.md", template + "\nKept by me.\n");
    watched.assert_reports_match_journal();
    assert!(
        fs::read_to_string(watched.out.join("index.md"))
            .unwrap()
            .contains("Kept by me.")
    );
}

#[test]
fn an_edited_configuration_applies_and_a_broken_one_waits_for_its_fix() {
    let mut watched = watch(&[]);
    watched
        .journal
        .write("trailmark.toml", "reviews = [\"quarter\"]\n");
    watched.process.wait_for("the rebuild", |line| {
        line.contains("trailmark.toml changed")
    });
    watched.assert_reports_match_journal();
    assert!(!watched.out.join("reviews/2026-11.md").exists());
    assert!(watched.out.join("reviews/2026-Q4.md").exists());

    watched
        .journal
        .write("trailmark.toml", "reviews = [\"fortnight\"]\n");
    watched.process.wait_for("the error", |line| {
        line.contains("error: ") && line.contains("trailmark.toml:1:")
    });
    // A journal edit while the configuration is broken builds nothing.
    watched.journal.write(GOAL, goal_text(&[true, true]));
    watched
        .process
        .wait_for("the error again", |line| line.contains("trailmark.toml:1:"));
    watched
        .journal
        .write("trailmark.toml", "week_start = \"sunday\"\n");
    watched.process.wait_for("the fixed rebuild", |line| {
        line.contains("goals/learn-sql.md changed") && line.contains("trailmark.toml changed")
    });
    watched.assert_reports_match_journal();
    assert!(watched.out.join("reviews/2026-11.md").exists());
}

#[test]
fn polling_finds_changes_too() {
    let watched = watch(&["--poll"]);
    watched.journal.write(GOAL, goal_text(&[true, true]));
    watched.assert_reports_match_journal();
}

#[test]
fn polling_with_a_debounce_longer_than_two_polls_still_rebuilds() {
    // A poll comes every second: polls that find nothing must not keep the rebuild
    // waiting for the journal to be quiet for half the debounce (1.5 s here).
    let watched = watch(&["--poll", "--debounce", "3000"]);
    watched.journal.write(GOAL, goal_text(&[true, true]));
    watched.assert_reports_match_journal();
}

/// The `today` of the reports in `out`, from `trailmark.json`.
fn reports_today(out: &Path) -> String {
    let json = fs::read_to_string(out.join("trailmark.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    json["today"].as_str().unwrap().to_string()
}

/// A goal's status depends on the day (one becomes overdue at midnight), so at midnight
/// every report is built again without an edit; with `--poll` too, whose polls come every
/// second. Midnight comes here a few seconds after the start, in a time zone (`TZ`, read
/// by the process like any program) whose clock shows 23:59:56 when the test starts.
#[cfg(unix)]
#[test]
fn polling_rebuilds_when_the_day_changes() {
    use std::time::{SystemTime, UNIX_EPOCH};
    const DAY: i64 = 86_400;
    const BEFORE_MIDNIGHT: i64 = 4;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    // The offset east of UTC at which it is now 4 s before midnight, between -12 and +12 h.
    let east = (DAY - BEFORE_MIDNIGHT - now % DAY + DAY / 2).rem_euclid(DAY) - DAY / 2;
    // POSIX counts offsets west of UTC.
    let west = -east;
    let zone = format!(
        "XXX{}{:02}:{:02}:{:02}",
        if west < 0 { "-" } else { "" },
        west.abs() / 3600,
        west.abs() / 60 % 60,
        west.abs() % 60
    );
    let dir = Journal::example();
    let mut process = Background::start_with_env(
        &[
            OsStr::new("watch"),
            dir.path().as_os_str(),
            OsStr::new("--poll"),
        ],
        &[("TZ", &zone)],
    );
    process.wait_for("saying it watches", |line| line.starts_with("watching "));
    let out = dir.path().join("_reports");
    let new_day = chrono::DateTime::from_timestamp(now + east + BEFORE_MIDNIGHT, 0)
        .unwrap()
        .date_naive()
        .to_string();
    if reports_today(&out) == new_day {
        // A machine too busy to start within 4 s proves nothing, and fails nothing.
        eprintln!("the watch started after midnight, so no day change was seen");
        return;
    }
    process.wait_for("the rebuild after midnight", |line| {
        line.contains(" rebuilt · ")
    });
    assert_eq!(reports_today(&out), new_day);
}

#[cfg(unix)]
#[test]
fn sigterm_stops_cleanly_with_no_temp_files_left() {
    let mut watched = watch(&[]);
    watched.journal.write(GOAL, goal_text(&[true, true]));
    // Stopped whenever it gets the signal, maybe in the middle of the rebuild.
    std::thread::sleep(Duration::from_millis(60));
    let status = watched.process.terminate();
    assert!(status.success(), "{status:?}");
    assert_eq!(
        watched.process.seen.last().map(String::as_str),
        Some("stopped")
    );
    let leftovers: Vec<String> = all_files(&watched.out)
        .into_iter()
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// `watch` of the journal at `dir` with its reports inside it (the default), with extra
/// `args`; its stderr goes to `stderr` when given.
fn watch_in_place(dir: &Path, args: &[&str], stderr: Option<&Path>) -> Background {
    let mut all: Vec<&OsStr> = vec![
        OsStr::new("watch"),
        dir.as_os_str(),
        OsStr::new("--today"),
        OsStr::new(TODAY),
        OsStr::new("--debounce"),
        OsStr::new("50"),
    ];
    all.extend(args.iter().map(OsStr::new));
    let stderr = match stderr {
        Some(path) => fs::File::create(path).unwrap().into(),
        None => std::process::Stdio::inherit(),
    };
    let mut process = Background::start_with_stderr(&all, stderr);
    process.wait_for("saying it watches", |line| line.starts_with("watching "));
    process
}

/// Moved or deleted, the journal must not come back as an empty journal with reports.
fn assert_stops_for_a_journal_gone(process: &mut Background, old: &Path, stderr: &Path) {
    let status = process.wait_for_exit();
    let stderr = fs::read_to_string(stderr).unwrap();
    assert_eq!(status.code(), Some(2), "{:?}\n{stderr}", process.seen);
    assert!(
        stderr.contains("the journal folder was moved or deleted"),
        "{stderr}"
    );
    assert!(!old.exists(), "the old journal folder was made again");
}

#[test]
fn a_journal_folder_moved_away_stops_the_watch() {
    let journal = Journal::example();
    let old = journal.path();
    let stderr = old.with_file_name("stderr.txt");
    let mut process = watch_in_place(old, &[], Some(&stderr));
    fs::rename(old, old.with_file_name("moved")).unwrap();
    assert_stops_for_a_journal_gone(&mut process, old, &stderr);
}

#[test]
fn a_journal_folder_deleted_stops_a_polling_watch() {
    let journal = Journal::example();
    let old = journal.path();
    let stderr = old.with_file_name("stderr.txt");
    let mut process = watch_in_place(old, &["--poll"], Some(&stderr));
    fs::remove_dir_all(old).unwrap();
    assert_stops_for_a_journal_gone(&mut process, old, &stderr);
}

/// Bytes the process has read through `read` and the like, from `/proc/<pid>/io`.
#[cfg(target_os = "linux")]
#[test]
fn polling_reads_only_what_a_build_reads() {
    const ATTACHMENT: usize = 16 << 20;
    const MANIFEST: usize = 2 << 20;
    // Reports built into the journal with another --out: a build reads their manifest
    // (to warn about markdown files it does not list), a poll need not.
    let dir = Journal::example()
        .file("attachments/video.mp4", vec![7; ATTACHMENT])
        .file("old-reports/index.md", "# Reports\n")
        .file(
            "old-reports/.trailmark-manifest",
            "goals/a-goal-of-long-ago.md\n".repeat(MANIFEST / 27),
        );
    let mut process = watch_in_place(dir.path(), &["--poll"], None);
    let before = common::proc_number(&process, "io", "rchar:");
    // Each change is found by a later poll, so at least two polls come between.
    dir.write(GOAL, goal_text(&[true, false]));
    process.wait_for("the first rebuild", |line| {
        line.contains("goals/learn-sql.md changed")
    });
    dir.write(GOAL, goal_text(&[true, true]));
    process.wait_for("the second rebuild", |line| {
        line.contains("goals/learn-sql.md changed")
    });
    dir.write("trailmark.toml", "week_start = \"sunday\"\n");
    process.wait_for("the rebuild for the configuration", |line| {
        line.contains("trailmark.toml changed")
    });
    let read = common::proc_number(&process, "io", "rchar:") - before;
    assert!(
        read < ATTACHMENT as u64,
        "{read} bytes read: the attachment was read"
    );
    // A changed attachment is no change of the journal.
    let before = common::proc_number(&process, "io", "rchar:");
    dir.write("attachments/video.mp4", b"short");
    let lines = process.lines_within(Duration::from_millis(1500));
    assert!(lines.is_empty(), "{lines:?}");
    let read = common::proc_number(&process, "io", "rchar:") - before;
    assert!(
        read < MANIFEST as u64 / 2,
        "{read} bytes read by polls alone: the manifest of old-reports was read"
    );
}

/// A rebuild leaves the documents cache as the first build wrote it (writing 12 MB a
/// rebuild was the largest part of one at 10,000 files); stopping writes it, as a build
/// of the journal as it is now writes it.
#[cfg(unix)]
#[test]
fn the_documents_cache_is_written_when_the_watch_stops() {
    let mut watched = watch(&[]);
    let cache = watched.out.join(".trailmark-documents.bin");
    let first = fs::read(&cache).unwrap();
    watched.journal.write(GOAL, goal_text(&[true, true]));
    watched.process.wait_for("about the goal", |line| {
        line.contains("goals/learn-sql.md changed")
    });
    watched.assert_reports_match_journal();
    assert!(fs::read(&cache).unwrap() == first, "rewritten by a rebuild");
    assert!(watched.process.terminate().success());
    let fresh = watched.out.with_file_name("fresh");
    assert!(fs::read(&cache).unwrap() == fs::read(fresh.join(".trailmark-documents.bin")).unwrap());
}
