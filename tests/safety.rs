//! trailmark never damages anything: a build of a 770-file journal killed (SIGKILL) at
//! moments spread over its time leaves every report whole (old or new), and the next
//! build leaves no temp file behind; a first build killed (SIGKILL or SIGINT) or failed
//! on a template error is finished by the next one (by a `watch` too, once the template
//! is fixed); 20 pairs of first builds at once, and 30 builds beside a `watch`, all
//! succeed with a fresh build's reports; nothing is written or removed through a symlink
//! in the output folder, which may itself be one; a process limit is an error, not a
//! panic (and one that refuses git's threads only costs the history); and no command (a
//! `watch` session included) changes a byte of any fixture journal.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::common::{self, Background, Journal, files_in, reports_in, trailmark};
use predicates::prelude::*;
use predicates::str::contains;

const TODAY: &str = "2026-11-20";

/// A journal big enough that a build takes a while: goals with milestones, and two years
/// of daily entries ticking them off, with wins and lessons.
fn large_journal() -> Journal {
    let journal = Journal::new();
    for goal in 0..40 {
        let milestones: String = (0..12)
            .map(|m| format!("- [ ] step {m} of goal {goal}\n"))
            .collect();
        journal.write(
            &format!("goals/goal-{goal}.md"),
            format!(
                "---\ngoal: Goal number {goal}\nid: goal-{goal}\nstart: 2025-01-01\ndue: 2026-12-31\n\
                 why: practice\n---\n\n{milestones}"
            ),
        );
    }
    for day in 0..730u32 {
        let (year, day_of_year) = (2025 + day / 365, day % 365);
        let (month, day_of_month) = (1 + day_of_year / 31 % 12, 1 + day_of_year % 28);
        journal.write(
            &format!("journal/{year}/{year}-{month:02}-{day_of_month:02}.md"),
            format!(
                "# Day {day}\n\n- [x] worked on #goal-{} ✅ {year}-{month:02}-{day_of_month:02}\n\n\
                 ## Wins\n\n- shipped piece {day}\n\n## Lessons\n\n- lesson {day}\n",
                day % 40
            ),
        );
    }
    journal
}

#[test]
fn a_build_killed_at_any_moment_leaves_each_report_old_or_new_and_no_temp_file() {
    let journal = large_journal();
    let root = journal.path();
    journal.run(&["build", "--today", TODAY]).success();
    let old = reports_in(&root.join("_reports"));

    // The new version: every HTML report changes with an overridden base template. It is
    // built in a copy of the journal, so its reports' relative links are the same.
    let base =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/base.html"))
            .unwrap();
    let new_base = base.replace("<body>", "<body>\n<!-- new -->");
    journal.write("templates/base.html", &new_base);
    // Built from the old version, as the killed builds are, so that its time is theirs.
    let reference = large_journal();
    reference.run(&["build", "--today", TODAY]).success();
    reference.write("templates/base.html", &new_base);
    let started = Instant::now();
    reference.run(&["build", "--today", TODAY]).success();
    let full_build = started.elapsed();
    let new = reports_in(&reference.path().join("_reports"));
    let changed = old
        .iter()
        .filter(|(path, bytes)| new.get(*path) != Some(bytes))
        .count();
    assert!(changed > 100, "only {changed} reports change");

    // Kill builds at moments spread over a full build's time.
    let kills = 12;
    let mut killed_mid_build = 0;
    for kill in 0..kills {
        let delay = full_build.mul_f64(f64::from(kill) / f64::from(kills));
        let mut child = spawn_build(root, &[]);
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_none() {
            killed_mid_build += 1;
        }
        child.kill().unwrap(); // SIGKILL: no handler runs, nothing is cleaned up.
        child.wait().unwrap();
        for (path, bytes) in reports_in(&root.join("_reports")) {
            let name = path.file_name().unwrap().to_string_lossy();
            if name.starts_with(".trailmark-") && name.ends_with(".tmp") {
                continue; // A temp file of the killed build, never a report.
            }
            assert!(
                old.get(&path) == Some(&bytes) || new.get(&path) == Some(&bytes),
                "after kill {kill} ({delay:?}), {} is neither the old nor the new report",
                path.display()
            );
        }
    }
    assert!(
        killed_mid_build >= kills / 2,
        "only {killed_mid_build} kills landed mid-build"
    );

    journal.run(&["build", "--today", TODAY]).success();
    let after = reports_in(&root.join("_reports"));
    let differing = common::differing(&after, &new);
    assert!(
        differing.is_empty(),
        "the next build finishes the job and leaves no temp file; differing: {differing:?}"
    );
}

/// Runs `args` on the journal and returns its exit code; the command must not crash.
fn run(root: &Path, args: &[&str]) {
    let output = trailmark().args(args).arg(root).output().unwrap();
    assert!(
        matches!(output.status.code(), Some(0..=2)),
        "{args:?} crashed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn no_command_changes_a_byte_of_any_fixture_journal() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut names: Vec<String> = fs::read_dir(&fixtures)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    names.push("example".to_string());
    for name in names {
        let dir = match name.as_str() {
            "example" => Journal::example(),
            fixture => Journal::fixture(fixture),
        };
        let root = dir.path();
        let before = files_in(root);
        run(root, &["build", "--today", TODAY]);
        run(root, &["check", "--today", TODAY]);
        run(root, &["status", "--today", TODAY]);
        run(root, &["status", "--json", "--today", TODAY]);
        run(root, &["review", "--today", TODAY, "--period", "month"]);
        run(
            root,
            &[
                "review", "--today", TODAY, "--period", "year", "--format", "html",
            ],
        );
        watch_session(root);
        let mut after = files_in(root);
        after.retain(|path, _| !path.starts_with("_reports"));
        assert_eq!(before.len(), after.len(), "{name}: files came or went");
        for (path, bytes) in &before {
            assert!(
                after.get(path) == Some(bytes),
                "{name}: {} changed",
                path.display()
            );
        }
    }
}

/// `watch` builds, sees a report folder's own writes and a touched journal file, and is
/// stopped; none of it may write outside the output folder.
fn watch_session(root: &Path) {
    let mut watch = Background::start(&[
        "watch".as_ref(),
        "--today".as_ref(),
        TODAY.as_ref(),
        root.as_os_str(),
    ]);
    watch.wait_for("the first build", |line| {
        line.contains("written") || line.contains("unchanged")
    });
    // A touch changes no content, so the journal's bytes must stay as they are.
    let some_file = files_in(root)
        .into_keys()
        .find(|path| path.extension().is_some_and(|e| e == "md") && !path.starts_with("_reports"))
        .expect("every fixture has a markdown file");
    let file = fs::File::options()
        .append(true)
        .open(root.join(&some_file))
        .unwrap();
    file.set_modified(std::time::SystemTime::now() + Duration::from_secs(1))
        .unwrap();
    drop(file);
    watch.lines_within(Duration::from_millis(500));
    watch.terminate();
}

/// The reports of a fresh build of a copy of the example journal, as `reports_in` reads
/// them: what any build of it must leave.
fn example_reports() -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let reference = Journal::example();
    reference.run(&["build", "--today", TODAY]).success();
    reports_in(&reference.path().join("_reports"))
}

#[cfg(unix)]
#[test]
fn nothing_is_written_or_removed_through_a_symlink_in_the_output_folder() {
    let journal = Journal::example();
    let root = journal.path();
    let build = || journal.run(&["build", "--today", TODAY]);
    build().success();
    let goals = files_in(&root.join("goals"));
    // A report folder swapped for a link to the journal's goals.
    fs::remove_dir_all(root.join("_reports/goals")).unwrap();
    std::os::unix::fs::symlink("../goals", root.join("_reports/goals")).unwrap();
    for _ in 0..2 {
        build()
            .code(2)
            .stderr(contains("_reports/goals: is a symlink"))
            .stderr(contains("remove the link"));
        assert_eq!(files_in(&root.join("goals")), goals);
    }
    // Or to a folder elsewhere.
    let elsewhere = tempfile::tempdir().unwrap();
    fs::remove_file(root.join("_reports/goals")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), root.join("_reports/goals")).unwrap();
    build().code(2);
    assert!(files_in(elsewhere.path()).is_empty());
    // Manifest entries through a linked folder, or leaving the output folder.
    fs::remove_file(root.join("_reports/goals")).unwrap();
    std::os::unix::fs::symlink("../goals", root.join("_reports/link")).unwrap();
    let mut manifest = journal.read("_reports/.trailmark-manifest");
    manifest.push_str("link/learn-sql.md\n../goals/vision.md\n");
    journal.write("_reports/.trailmark-manifest", manifest);
    build()
        .success()
        .stderr(contains("link/learn-sql.md: not removed"));
    assert_eq!(files_in(&root.join("goals")), goals);
}

#[cfg(unix)]
#[test]
fn the_output_folder_itself_may_be_a_symlink() {
    let journal = Journal::fixture("basic");
    let elsewhere = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), journal.path().join("_reports")).unwrap();
    journal.run(&["build", "--today", TODAY]).success();
    assert!(elsewhere.path().join("index.html").is_file());
    journal
        .run(&["check", "--strict", "--today", TODAY])
        .stdout(contains("symlink").not());
}

#[test]
fn a_first_build_that_fails_on_a_template_error_does_not_lock_the_folder() {
    let journal = Journal::example().file("templates/goal.md", "# {{ goal.titel }}\n");
    journal
        .run(&["build", "--today", TODAY])
        .code(2)
        .stderr(contains("titel"));
    fs::remove_dir_all(journal.path().join("templates")).unwrap();
    journal.run(&["build", "--today", TODAY]).success();
    assert_eq!(
        reports_in(&journal.path().join("_reports")),
        example_reports()
    );
}

/// Builds of one example journal started together: each one exits 0 and the folder ends
/// with exactly a fresh build's reports. `copies` journals, `per_copy` builds on each.
fn concurrent_builds(copies: usize, per_copy: usize) {
    let expected = example_reports();
    let journals: Vec<Journal> = (0..copies).map(|_| Journal::example()).collect();
    let children: Vec<std::process::Child> = journals
        .iter()
        .flat_map(|dir| std::iter::repeat_n(dir.path(), per_copy))
        .map(|root| spawn_build(root, &["--quiet"]))
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    for dir in &journals {
        assert_eq!(reports_in(&dir.path().join("_reports")), expected);
    }
}

#[test]
fn twenty_pairs_of_first_builds_at_once_all_succeed() {
    // Five pairs at a time, so as not to starve the tests running beside this one.
    for _ in 0..4 {
        concurrent_builds(5, 2);
    }
}

#[cfg(unix)]
#[test]
fn builds_beside_a_watch_all_succeed_and_the_watch_sees_no_error() {
    let journal = Journal::example();
    let root = journal.path();
    let mut watch = quick_watch(root);
    watch.wait_for("the first build", |line| line.contains("written"));
    let entry = "journal/2026/2026-11-02.md";
    let text = journal.read(entry);
    // Three rounds of ten builds at once. The journal changes before each one, so that
    // every build has reports to write and the watch rebuilds among them.
    for round in 0..3 {
        let builds: Vec<std::process::Child> = (0..10)
            .map(|n| {
                journal.write(entry, format!("{text}\n- a win {round}.{n}\n"));
                spawn_build(root, &["--quiet"])
            })
            .collect();
        for build in builds {
            let output = build.wait_with_output().unwrap();
            assert!(output.status.success(), "{output:?}");
        }
    }
    // A last change none of the builds saw: the watch's rebuild of it is the last write.
    let last = format!("{text}\n- the last win\n");
    journal.write(entry, &last);
    let reference = Journal::example().file(entry, &last);
    reference.run(&["build", "--today", TODAY]).success();
    let expected = reports_in(&reference.path().join("_reports"));
    common::eventually(|| {
        let reports = reports_in(&root.join("_reports"));
        let differing = common::differing(&reports, &expected);
        match differing.is_empty() {
            true => Ok(()),
            false => Err(format!("reports differ from a fresh build: {differing:?}")),
        }
    });
    watch.terminate();
    // The label, not the word: "0 errors, 2 warnings in the journal" is no error.
    assert!(
        !watch.seen.iter().any(|line| line.contains("error:")),
        "{}",
        watch.seen.join("\n")
    );
}

/// How many files are under `folder` (none when it does not exist).
fn count_files(folder: &Path) -> usize {
    walkdir::WalkDir::new(folder)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .count()
}

#[cfg(unix)]
#[test]
fn a_first_build_killed_at_any_moment_is_finished_by_the_next() {
    let reference = large_journal();
    reference.run(&["build", "--today", TODAY]).success();
    let expected = reports_in(&reference.path().join("_reports"));
    let journal = large_journal();
    let root = journal.path();
    let kills = 8;
    let mut killed_mid_build = 0;
    for kill in 0..kills {
        let _ = fs::remove_dir_all(root.join("_reports"));
        let mut child = spawn_build(root, &[]);
        // Killed once the build has written this many files: moments spread over the
        // build by its progress rather than by a clock, which a busy machine would skew.
        let files = expected.len() * kill / kills;
        while child.try_wait().unwrap().is_none() && count_files(&root.join("_reports")) < files {
            std::thread::sleep(Duration::from_millis(1));
        }
        if child.try_wait().unwrap().is_none() {
            killed_mid_build += 1;
        }
        // Ctrl-C and SIGKILL alike: `build` has no handler for either.
        let signal = if kill % 2 == 0 { "-INT" } else { "-KILL" };
        std::process::Command::new("kill")
            .args([signal, &child.id().to_string()])
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        child.wait().unwrap();
        let build = journal.run(&["build", "--today", TODAY]);
        let output = build.get_output();
        assert!(
            output.status.success(),
            "after kill {kill} ({signal} at {files} files): {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let reports = reports_in(&root.join("_reports"));
        let differing = common::differing(&reports, &expected);
        assert!(
            differing.is_empty(),
            "after kill {kill} ({signal} at {files} files), differing: {differing:?}"
        );
    }
    assert!(
        killed_mid_build >= kills / 2,
        "only {killed_mid_build} kills landed mid-build"
    );
}

#[test]
fn a_watch_whose_first_build_failed_builds_once_the_template_is_fixed() {
    let journal = Journal::example().file("templates/goal.md", "# {{ goal.titel }}\n");
    let root = journal.path();
    let mut watch = quick_watch(root);
    watch.wait_for("the failed first build", |line| line.contains("titel"));
    let fixed = "# {{ goal.title }}\n";
    journal.write("templates/goal.md", fixed);
    let rebuilt = watch.wait_for("the rebuild", |line| {
        line.contains("written") || line.contains("error")
    });
    assert!(rebuilt.contains("written"), "{}", watch.seen.join("\n"));
    watch.terminate();
    let reference = Journal::example().file("templates/goal.md", fixed);
    reference.run(&["build", "--today", TODAY]).success();
    assert_eq!(
        reports_in(&root.join("_reports")),
        reports_in(&reference.path().join("_reports"))
    );
}

/// `trailmark build --today TODAY` with `options` on `root`, started in the background:
/// stdout is dropped, stderr kept for the message of a build that fails.
fn spawn_build(root: &Path, options: &[&str]) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_trailmark"))
        .args(["build", "--today", TODAY])
        .args(options)
        .arg(root)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// `trailmark status --today TODAY ROOT` under a limit of `processes` processes for its
/// user, with `threads` worker threads asked for. As root the limit does not apply, so
/// the command runs as `nobody`, which runs no other process here.
#[cfg(target_os = "linux")]
fn status_under_a_process_limit(root: &Path, processes: u32, threads: u32) -> std::process::Output {
    use std::os::unix::fs::PermissionsExt;
    let mut command = std::process::Command::new("prlimit");
    command.arg(format!("--nproc={processes}"));
    if common::is_root() {
        // `nobody` must reach the journal and run a copy of the binary.
        for folder in [root.parent().unwrap(), root] {
            fs::set_permissions(folder, fs::Permissions::from_mode(0o755)).unwrap();
        }
        let binary = root.join("trailmark-copy");
        fs::copy(env!("CARGO_BIN_EXE_trailmark"), &binary).unwrap();
        command
            .args([
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
            ])
            .arg(binary);
    } else {
        command.arg(env!("CARGO_BIN_EXE_trailmark"));
    }
    command
        .args(["status", "--today", TODAY])
        .arg(root)
        .env("RAYON_NUM_THREADS", threads.to_string())
        .env("NO_COLOR", "1")
        .output()
        .expect("prlimit and setpriv (util-linux) are installed")
}

/// A limit on processes that leaves no room for the worker threads is an error that
/// says so, not a panic (one thread beside the main one is allowed, four asked for).
#[cfg(target_os = "linux")]
#[test]
fn a_process_limit_that_refuses_threads_is_an_error_not_a_panic() {
    let dir = Journal::example();
    let output = status_under_a_process_limit(dir.path(), 2, 4);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("cannot start worker threads") && stderr.contains("ulimit -u"),
        "{stderr}"
    );
}

/// Room for the worker thread but not for git and the threads that read it: the
/// history is not read, and the command goes on without it.
#[cfg(target_os = "linux")]
#[test]
fn a_process_limit_that_refuses_gits_threads_reads_no_history_and_goes_on() {
    let journal = Journal::new();
    let root = journal.path();
    common::init_repository(root);
    journal.write("goal.md", "---\ngoal: Ship\n---\n- [ ] a\n");
    common::commit_all(root, "2026-01-10", "start");
    journal.write("goal.md", "---\ngoal: Ship\n---\n- [x] a\n");
    common::commit_all(root, "2026-02-03", "done");
    let output = status_under_a_process_limit(root, 3, 1);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(0), "{stderr}");
}

/// `watch --today TODAY --debounce 20` on `root`, in the background.
fn quick_watch(root: &Path) -> Background {
    Background::start(&[
        "watch".as_ref(),
        "--today".as_ref(),
        TODAY.as_ref(),
        "--debounce".as_ref(),
        "20".as_ref(),
        root.as_os_str(),
    ])
}

/// A build that finds another process holding the output folder's lock (here `flock`,
/// as another trailmark would) says that it waits, on stderr and even with `--quiet`,
/// and builds once the lock is free.
#[cfg(target_os = "linux")]
#[test]
fn a_build_says_it_waits_for_another_writer_even_when_quiet() {
    let journal = Journal::fixture("basic");
    journal.run(&["build"]).success();
    let out = journal.path().join("_reports");
    let held = journal.path().join("held");
    let mut holder = std::process::Command::new("flock")
        .arg(out.join(".trailmark-lock"))
        .args(["-c", &format!("touch '{}' && sleep 2", held.display())])
        .spawn()
        .expect("flock (util-linux) is installed where the tests run");
    common::eventually(|| {
        held.exists()
            .then_some(())
            .ok_or_else(|| "flock has not taken the lock yet".to_string())
    });
    journal
        .run(&["--quiet", "build"])
        .success()
        .stderr(contains(format!(
            "waiting for another trailmark writing {} to finish...",
            out.display()
        )));
    holder.wait().unwrap();
}
