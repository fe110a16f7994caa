//! Done dates from each source (marker, entry, git, unknown), on journals made into real git
//! repositories by the tests, with fixed commit dates: renames, merges, shallow clones,
//! amended commits, submodules, names with spaces, the example journal with a made-up
//! history. Repositories whose config names a script (signature checks, external diffs,
//! a submodule's own external diff and text conversion under `diff.submodule=diff`,
//! fsmonitor, a pager, a partial clone's fetch) must not run it; FIFOs named by
//! `diff.orderFile`, `core.attributesFile` and `mailmap.file` must not be read; settings
//! that change git's output, and function text cut inside a character, change no date.
//! (The time limit on git is tested on `sh` children in `git`'s unit tests.)

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::common::{
    Journal, commit_all, git, goal, init_repository, status_json, trailmark, write,
};

const TODAY: &str = "2026-06-01";

fn status(dir: &Path) -> Value {
    status_json(dir, TODAY)
}

/// `(done_on, done_on_source)` of each milestone of the first goal, by text.
fn done_dates(json: &Value) -> Vec<(String, String, String)> {
    json["goals"][0]["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["text"].as_str().unwrap().to_string(),
                m["done_on"].as_str().unwrap_or("null").to_string(),
                m["done_on_source"].as_str().unwrap_or("null").to_string(),
            )
        })
        .collect()
}

fn row(text: &str, on: &str, source: &str) -> (String, String, String) {
    (text.to_string(), on.to_string(), source.to_string())
}

const GOAL_HEAD: &str = "---\ngoal: Ship\n---\n";

/// Writes `goal.md` in the repository at `root`, the goal `Ship` with `milestones`, and
/// commits everything on `day`.
fn commit_goal(root: &Path, day: &str, milestones: &str) {
    write(root, "goal.md", format!("{GOAL_HEAD}{milestones}"));
    commit_all(root, day, "goal.md");
}

#[test]
fn each_source_in_order_marker_entry_git_unknown() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    init_repository(root);
    commit_goal(
        root,
        "2026-01-10",
        "- [x] imported\n- [ ] later\n- [ ] marked\n- [ ] moved\n- [ ] checked in may\n",
    );
    commit_goal(
        root,
        "2026-02-03",
        "- [x] imported\n- [x] later\n- [x] marked ✅ 2026-01-01\n- [x] moved\n- [ ] checked in may\n",
    );
    // The line moves to the top: its date stays.
    commit_goal(
        root,
        "2026-03-04",
        "- [x] moved\n- [x] imported\n- [x] later\n- [x] marked ✅ 2026-01-01\n- [ ] checked in may\n",
    );
    write(
        root,
        "goal.md",
        format!(
            "{GOAL_HEAD}- [x] moved\n- [x] imported\n- [x] later\n- [x] marked ✅ 2026-01-01\n- [x] checked in may\n"
        ),
    );
    write(root, "2026-04-05.md", "- [x] in an entry #ship\n");
    commit_all(root, "2026-05-01", "entry written later than its date");
    // Checked in the working tree only.
    write(
        root,
        "goal.md",
        format!(
            "{GOAL_HEAD}- [x] moved\n- [x] imported\n- [x] later\n- [x] marked ✅ 2026-01-01\n- [x] checked in may\n- [x] new today\n"
        ),
    );
    let json = status(root);
    let mut dates = done_dates(&json);
    dates.sort();
    assert_eq!(
        dates,
        [
            row("checked in may", "2026-05-01", "git"),
            row("imported", "null", "unknown"),
            row("in an entry", "2026-04-05", "entry"),
            row("later", "2026-02-03", "git"),
            row("marked", "2026-01-01", "marker"),
            row("moved", "2026-02-03", "git"),
            row("new today", TODAY, "git"),
        ]
    );
}

#[test]
fn without_a_repository_dates_are_unknown() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "goal.md",
        format!("{GOAL_HEAD}- [x] done\n- [ ] open\n"),
    );
    let json = status(dir.path());
    assert_eq!(
        done_dates(&json),
        [row("done", "null", "unknown"), row("open", "null", "null")]
    );
}

/// A journal outside any repository starts no git (it took 4–12 ms of every build), and
/// one inside a repository does: a `git` first on the `PATH` leaves a mark when it runs.
#[cfg(unix)]
#[test]
fn git_is_started_for_a_journal_in_a_repository_only() {
    let dir = tempfile::tempdir().unwrap();
    let outside = fs::canonicalize(dir.path()).unwrap();
    if (outside.ancestors())
        .any(|folder| folder.join(".git").exists() || folder.join("HEAD").exists())
    {
        crate::common::say_skipped("the temporary folder is inside a git repository");
        return;
    }
    let tools = outside.join("tools");
    let mark = outside.join("git ran");
    write(
        &tools,
        "git",
        format!("#!/bin/sh\ntouch '{}'\nexit 128\n", mark.display()),
    );
    make_executable(&tools.join("git"));
    let path = format!(
        "{}:{}",
        tools.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let journal = outside.join("journal");
    write(&journal, "goal.md", format!("{GOAL_HEAD}- [x] done\n"));
    let status_with_fake_git = || {
        let output = (trailmark().env("PATH", &path))
            .args(["status", "--json", "--today", TODAY])
            .arg(&journal)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
    };
    status_with_fake_git();
    assert!(
        !mark.exists(),
        "git was started for a journal outside any repository"
    );
    init_repository(&journal);
    status_with_fake_git();
    assert!(
        mark.exists(),
        "git was not started for a journal in a repository"
    );
}

#[test]
fn renames_merges_and_a_journal_in_a_subfolder() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    init_repository(repo);
    write(repo, "code/main.rs", "fn main() {}\n");
    write(
        repo,
        "notes/old.md",
        format!("{GOAL_HEAD}- [ ] a\n- [ ] b\n"),
    );
    commit_all(repo, "2026-01-01", "start");
    write(
        repo,
        "notes/old.md",
        format!("{GOAL_HEAD}- [x] a\n- [ ] b\n"),
    );
    commit_all(repo, "2026-01-15", "a");
    git(repo, "2026-01-20", &["mv", "notes/old.md", "notes/new.md"]);
    commit_all(repo, "2026-01-20", "rename");
    git(repo, "2026-02-01", &["checkout", "-q", "-b", "side"]);
    write(
        repo,
        "notes/new.md",
        format!("{GOAL_HEAD}- [x] a\n- [x] b\n"),
    );
    commit_all(repo, "2026-02-02", "b on a branch");
    git(repo, "2026-02-01", &["checkout", "-q", "main"]);
    write(repo, "notes/other.md", "unrelated\n");
    commit_all(repo, "2026-02-05", "meanwhile");
    git(
        repo,
        "2026-02-10",
        &["merge", "-q", "--no-ff", "-m", "merge", "side"],
    );
    let json = status(&repo.join("notes"));
    assert_eq!(
        done_dates(&json),
        [row("a", "2026-01-15", "git"), row("b", "2026-02-02", "git")]
    );
}

#[test]
fn a_shallow_clone_dates_only_what_happened_after_its_cut() {
    let dir = tempfile::tempdir().unwrap();
    let origin = dir.path().join("origin");
    fs::create_dir(&origin).unwrap();
    init_repository(&origin);
    commit_goal(&origin, "2026-01-01", "- [x] a\n- [ ] b\n");
    commit_goal(&origin, "2026-01-02", "- [x] a\n- [ ] b\n\nmore\n");
    commit_goal(&origin, "2026-01-03", "- [x] a\n- [x] b\n\nmore\n");
    let url = format!("file://{}", origin.display());
    git(
        dir.path(),
        "2026-01-04",
        &["clone", "-q", "--depth", "2", &url, "clone"],
    );
    let json = status(&dir.path().join("clone"));
    assert_eq!(
        done_dates(&json),
        [row("a", "null", "unknown"), row("b", "2026-01-03", "git")]
    );
}

#[test]
fn build_keeps_a_cache_that_follows_new_and_rewritten_commits() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    init_repository(root);
    write(root, ".gitignore", "_reports/\n");
    commit_goal(root, "2026-01-01", "- [ ] a\n- [ ] b\n");
    commit_goal(root, "2026-01-02", "- [x] a\n- [ ] b\n");
    let build = || {
        trailmark()
            .args(["build", "--today", TODAY])
            .arg(root)
            .assert()
            .success();
        let json: Value =
            serde_json::from_slice(&fs::read(root.join("_reports/trailmark.json")).unwrap())
                .unwrap();
        done_dates(&json)
    };
    assert_eq!(
        build(),
        [row("a", "2026-01-02", "git"), row("b", "null", "null")]
    );
    let cache = root.join("_reports/.trailmark-git-history.json");
    assert!(cache.is_file());
    assert!(
        fs::read_to_string(root.join("_reports/.trailmark-manifest"))
            .unwrap()
            .contains(".trailmark-git-history.json"),
        "the cache is listed as trailmark's own file"
    );
    // A new commit is read on top of the cache.
    commit_goal(root, "2026-01-05", "- [x] a\n- [x] b\n");
    assert_eq!(
        build(),
        [row("a", "2026-01-02", "git"), row("b", "2026-01-05", "git")]
    );
    // History rewritten: the cached commit is gone, so everything is read again.
    git(
        root,
        "2026-01-09",
        &[
            "commit",
            "-q",
            "--amend",
            "-m",
            "b, amended",
            "--date",
            "2026-01-09T12:00:00+0000",
        ],
    );
    assert_eq!(
        build(),
        [row("a", "2026-01-02", "git"), row("b", "2026-01-09", "git")]
    );
}

/// The example journal made into a repository whose history matches its story: the goal
/// files first, the July and August check-ins ticked (without a ✅ date) on the days they
/// happened, the weekly entries last.
#[test]
fn the_example_journal_in_git_gets_its_undated_milestones_from_history() {
    let example = Journal::example();
    let root = example.path();
    let mentor = "goals/mentor-checkins.md";
    let finished = example.read(mentor);
    let july = "- [x] July: goals for the second half\n";
    let august = "- [x] August: running my first retrospective\n";
    assert!(finished.contains(july) && finished.contains(august));
    let entries = root.join("journal");
    let kept_aside = tempfile::tempdir().unwrap();
    fs::rename(&entries, kept_aside.path().join("journal")).unwrap();

    init_repository(root);
    let unticked = finished
        .replace(july, &july.replace("[x]", "[ ]"))
        .replace(august, &august.replace("[x]", "[ ]"));
    example.write(mentor, &unticked);
    commit_all(root, "2026-06-20", "goals for the second half");
    example.write(
        mentor,
        finished.replace(august, &august.replace("[x]", "[ ]")),
    );
    commit_all(root, "2026-07-14", "July check-in");
    example.write(mentor, &finished);
    commit_all(root, "2026-08-11", "August check-in");
    fs::rename(kept_aside.path().join("journal"), &entries).unwrap();
    commit_all(root, "2026-11-16", "weekly entries");

    let output = trailmark()
        .args(["status", "--json", "--today", "2026-11-20"])
        .arg(root)
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let goal = goal(&json, "mentor-checkins");
    let dates: Vec<(&str, &str)> = goal["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["state"] == "done")
        .map(|m| {
            (
                m["done_on"].as_str().unwrap(),
                m["done_on_source"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        dates,
        [
            ("2026-07-14", "git"),
            ("2026-08-11", "git"),
            ("2026-09-15", "marker"),
            ("2026-10-13", "marker"),
            ("2026-08-03", "entry"),
        ]
    );
    // The monthly review of July counts the check-in.
    let review = trailmark()
        .args(["review", "--period", "month", "--date", "2026-07-15"])
        .args(["--today", "2026-11-20", "--format", "json"])
        .arg(root)
        .output()
        .unwrap();
    let review: Value = serde_json::from_slice(&review.stdout).unwrap();
    let wins = review["wins"].to_string();
    assert!(wins.contains("July: goals for the second half"), "{wins}");
    let undated: u64 = json["goals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["unknown_done"].as_u64().unwrap())
        .sum();
    assert_eq!(
        undated, 0,
        "git dates every milestone of the example journal"
    );
}

/// A journal repository whose `.git/config` names `evil.sh`, a script that leaves a mark
/// when it runs: `status` must read the history without running it.
struct Hostile {
    dir: tempfile::TempDir,
    mark: std::path::PathBuf,
    script: String,
}

impl Hostile {
    fn new() -> Hostile {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        init_repository(root);
        let (script, mark) = evil_script(root);
        commit_goal(root, "2026-01-01", "- [ ] a\n");
        commit_goal(root, "2026-01-02", "- [x] a\n");
        Hostile { dir, mark, script }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn config(&self, key: &str, value: &str) {
        git(self.root(), "2026-01-03", &["config", key, value]);
    }

    /// `status` reads the history (the milestone keeps its day) and runs no program.
    fn assert_nothing_ran(&self) {
        self.assert_nothing_ran_dating(&[row("a", "2026-01-02", "git")]);
    }

    fn assert_nothing_ran_dating(&self, dates: &[(String, String, String)]) {
        let json = status(self.root());
        assert_eq!(done_dates(&json), dates);
        assert!(
            !self.mark.exists(),
            "a program named by the repository's config ran"
        );
    }
}

#[cfg(unix)]
fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
}

/// Commits everything in `root` with a (fake) signature on top of `main`, dated `day`, by
/// writing the commit object itself.
fn commit_signed(root: &Path, day: &str) {
    let output = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    output(&["add", "-A"]);
    let tree = output(&["write-tree"]);
    let parent = output(&["rev-parse", "HEAD"]);
    let stamp = noon_utc_seconds(day);
    let commit = format!(
        "tree {tree}\nparent {parent}\nauthor Test <test@example.com> {stamp} +0000\n\
         committer Test <test@example.com> {stamp} +0000\n\
         gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEEfakefakefake\n \
         -----END PGP SIGNATURE-----\n\nsigned\n"
    );
    let mut child = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["hash-object", "-t", "commit", "-w", "--stdin"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(commit.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let hash = String::from_utf8(out.stdout).unwrap();
    output(&["update-ref", "refs/heads/main", hash.trim()]);
}

/// Seconds since 1970 at noon UTC of `day` (`YYYY-MM-DD`), for a commit object.
fn noon_utc_seconds(day: &str) -> i64 {
    let parts: Vec<i64> = day.split('-').map(|p| p.parse().unwrap()).collect();
    let (y, m, d) = (parts[0], parts[1], parts[2]);
    // Days from civil (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe - 719_468) * 86_400 + 12 * 3600
}

#[test]
fn a_signature_check_asked_for_by_the_repository_runs_nothing() {
    let hostile = Hostile::new();
    write(
        hostile.root(),
        "goal.md",
        format!("{GOAL_HEAD}- [x] a\n- [x] b\n"),
    );
    commit_signed(hostile.root(), "2026-01-05");
    hostile.config("log.showSignature", "true");
    hostile.config("gpg.program", &hostile.script);
    hostile
        .assert_nothing_ran_dating(&[row("a", "2026-01-02", "git"), row("b", "2026-01-05", "git")]);
}

#[test]
fn external_diffs_and_text_conversions_of_the_repository_run_nothing() {
    let hostile = Hostile::new();
    hostile.config("diff.external", &hostile.script);
    write(hostile.root(), ".gitattributes", "*.md diff=x\n");
    hostile.config("diff.x.textconv", &hostile.script);
    hostile.config("diff.x.command", &hostile.script);
    hostile.assert_nothing_ran();
}

#[test]
fn a_file_system_monitor_of_the_repository_runs_nothing() {
    let hostile = Hostile::new();
    hostile.config("core.fsmonitor", &hostile.script);
    hostile.assert_nothing_ran();
}

#[test]
fn a_pager_of_the_repository_runs_nothing() {
    let hostile = Hostile::new();
    hostile.config("core.pager", &hostile.script);
    hostile.config("pager.log", &hostile.script);
    hostile.assert_nothing_ran();
}

/// A partial clone fetches missing objects when `git log -p` needs them; its remote and
/// ssh command come from the repository's config.
#[test]
fn a_partial_clone_fetches_nothing() {
    let hostile = Hostile::new();
    let clone = hostile.root().join("clone");
    let url = format!("file://{}", hostile.root().display());
    git(
        hostile.root(),
        "2026-01-04",
        &["config", "uploadpack.allowFilter", "true"],
    );
    git(
        hostile.root(),
        "2026-01-04",
        &["clone", "-q", "--filter=blob:none", &url, "clone"],
    );
    git(
        &clone,
        "2026-01-04",
        &[
            "config",
            "remote.origin.url",
            "ssh://example.invalid/journal",
        ],
    );
    git(
        &clone,
        "2026-01-04",
        &["config", "core.sshCommand", &hostile.script],
    );
    let json = status(&clone);
    // The first commit's blob is missing: without it, its lines are not read.
    assert!(!done_dates(&json).is_empty());
    assert!(
        !hostile.mark.exists(),
        "a program named by the repository's config ran"
    );
}

/// Obsidian notes are mostly named with spaces; git ends such names with a tab in its
/// diffs.
#[test]
fn notes_named_with_spaces_get_their_dates() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    init_repository(root);
    write(root, "Learn SQL.md", format!("{GOAL_HEAD}- [ ] joins\n"));
    commit_all(root, "2026-01-01", "start");
    write(root, "Learn SQL.md", format!("{GOAL_HEAD}- [x] joins\n"));
    commit_all(root, "2026-01-02", "joins");
    assert_eq!(
        done_dates(&status(root)),
        [row("joins", "2026-01-02", "git")]
    );
}

/// Milestones are matched across commits by the text trailmark reports, however their
/// lines wrap: lazy or indented continuation lines, the text below its checkbox, a
/// reference link split over two lines with its definition at the end of the file, an item
/// in a quote. Rewrapping keeps the date; rewording (any line of it) is a new text, dated
/// by the commit that reworded it.
#[test]
fn wrapped_milestones_are_matched_by_their_whole_text() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    init_repository(root);
    let goal = |x: &str, lazy: &str, indented: &str| {
        format!(
            "{GOAL_HEAD}- [{x}] {lazy}\n- [{x}] {indented} 📅 2026-09-01\n\
             - [{x}]\n  text below\n- [{x}] read [the\n  docs][docs]\n\n> - [{x}] quoted\n\n\
             [docs]: https://example.org\n"
        )
    };
    write(
        root,
        "goal.md",
        goal(" ", "lazy\nwrapped", "indented\n  wrapped"),
    );
    commit_all(root, "2022-08-01", "start");
    write(
        root,
        "goal.md",
        goal("x", "lazy\nwrapped", "indented\n  wrapped"),
    );
    commit_all(root, "2022-08-08", "tick");
    let dated = |lazy: &str, indented: &str, on: &str| {
        let mut rows = vec![
            row(indented, on, "git"),
            row(lazy, on, "git"),
            row("quoted", "2022-08-08", "git"),
            row("read the docs", "2022-08-08", "git"),
            row("text below", "2022-08-08", "git"),
        ];
        rows.sort();
        rows
    };
    let dates = |root: &Path| {
        let mut dates = done_dates(&status(root));
        dates.sort();
        dates
    };
    assert_eq!(
        dates(root),
        dated("lazy wrapped", "indented wrapped", "2022-08-08")
    );
    // Rewrapped, the checked lines too: the same text, the same date.
    write(
        root,
        "goal.md",
        goal("x", "lazy wrapped", "indented wrapped"),
    );
    commit_all(root, "2022-12-01", "rewrap");
    assert_eq!(
        dates(root),
        dated("lazy wrapped", "indented wrapped", "2022-08-08")
    );
    // Reworded below the checked line: a new text, dated by its commit.
    write(
        root,
        "goal.md",
        goal("x", "lazy\nand rewrapped", "indented\n  and rewrapped"),
    );
    commit_all(root, "2023-01-01", "reword");
    assert_eq!(
        dates(root),
        dated("lazy and rewrapped", "indented and rewrapped", "2023-01-01")
    );
}

/// Words moved between the lines of a wrapped milestone, its checkbox's line among them
/// (as a text rewrapped to a narrower width): the same text, the same date. Matched by
/// its first line alone, it was a new milestone dated by the rewrap.
#[test]
fn a_milestone_whose_first_line_is_rewrapped_keeps_its_date() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    init_repository(root);
    commit_goal(
        root,
        "2023-06-01",
        "- [ ] Test plan is in place, giving consideration to SIG Architecture and SIG\n  \
         Testing input\n- [x] Design details\n",
    );
    commit_goal(
        root,
        "2023-06-05",
        "- [x] Test plan is in place, giving consideration to SIG Architecture and SIG\n  \
         Testing input\n- [x] Design details\n",
    );
    commit_goal(
        root,
        "2025-02-24",
        "- [x] Test plan is in place, giving consideration to\nSIG Architecture and SIG \
         Testing input\n- [x] Design details\n",
    );
    assert_eq!(
        done_dates(&status(root)),
        [
            row(
                "Test plan is in place, giving consideration to SIG Architecture and SIG \
                 Testing input",
                "2023-06-05",
                "git"
            ),
            row("Design details", "null", "unknown"),
        ]
    );
}

/// A commit that changes the line next to a checked milestone did not check it, even when
/// its author date is older than that of the commit that did (commits rebased, or
/// written on a machine whose clock was behind).
#[test]
fn a_later_commit_with_an_older_date_does_not_redate_the_milestones_it_did_not_check() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    init_repository(root);
    commit_goal(root, "2020-09-20", "- [ ] a\n- [ ] b\n");
    commit_goal(root, "2020-09-25", "- [x] a\n- [ ] b\n");
    commit_goal(root, "2020-09-23", "- [x] a\n- [ ] b, reworded\n");
    assert_eq!(
        done_dates(&status(root)),
        [
            row("a", "2020-09-25", "git"),
            row("b, reworded", "null", "null")
        ]
    );
}

/// A journal line `++ b/goals/g.md` is added as `+++ b/goals/g.md`: content, not the header
/// of another file.
#[test]
fn a_line_that_looks_like_a_diff_header_is_content() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    init_repository(root);
    write(root, "goal.md", format!("{GOAL_HEAD}- [ ] a\n"));
    write(root, "goals/g.md", "---\ngoal: Other\n---\n- [x] a\n");
    commit_all(root, "2020-02-02", "start");
    commit_goal(root, "2026-10-10", "```\n++ b/goals/g.md\n```\n- [x] a\n");
    assert_eq!(done_dates(&status(root)), [row("a", "2026-10-10", "git")]);
}

/// In `dir`: a repository `shared` whose goal has `a` checked on 2026-01-02 (and `b`
/// open), added on 2026-01-04 as the submodule `goals/shared` of the repository
/// `journal`. Returns the journal's folder.
fn journal_with_a_submodule(dir: &Path) -> std::path::PathBuf {
    let shared = dir.join("shared");
    fs::create_dir(&shared).unwrap();
    init_repository(&shared);
    commit_goal(&shared, "2026-01-01", "- [ ] a\n- [ ] b\n");
    commit_goal(&shared, "2026-01-02", "- [x] a\n- [ ] b\n");

    let root = dir.join("journal");
    fs::create_dir(&root).unwrap();
    init_repository(&root);
    write(&root, "notes.md", "no goals here\n");
    commit_all(&root, "2026-01-03", "start");
    let url = format!("file://{}", shared.display());
    git(
        &root,
        "2026-01-04",
        &[
            "-c",
            "protocol.file.allow=always",
            "submodule",
            "add",
            "-q",
            &url,
            "goals/shared",
        ],
    );
    commit_all(&root, "2026-01-04", "the shared goals");
    root
}

/// A submodule's files change in its own commits: their dates come from its history.
#[test]
fn milestones_in_a_submodule_are_dated_by_its_commits() {
    let dir = tempfile::tempdir().unwrap();
    let root = journal_with_a_submodule(dir.path());
    // Settings that would hide the submodule from the diffs.
    git(
        &root,
        "2026-01-04",
        &["config", "diff.ignoreSubmodules", "all"],
    );
    git(
        &root,
        "2026-01-04",
        &["config", "submodule.goals/shared.ignore", "all"],
    );
    let inside = root.join("goals/shared");
    commit_goal(&inside, "2026-01-05", "- [x] a\n- [x] b\n");
    write(
        &inside,
        "goal.md",
        format!("{GOAL_HEAD}- [x] a\n- [x] b\n- [x] c\n"),
    );
    assert_eq!(
        done_dates(&status(&root)),
        [
            row("a", "2026-01-02", "git"),
            row("b", "2026-01-05", "git"),
            row("c", TODAY, "git"),
        ]
    );
}

/// Settings of the repository that change how git prints history do not change the dates.
#[test]
fn settings_that_change_gits_output_change_no_date() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    init_repository(root);
    for (key, value) in [
        ("log.showRoot", "false"),
        ("diff.noprefix", "true"),
        ("diff.mnemonicPrefix", "true"),
        ("color.ui", "always"),
        ("core.quotePath", "true"),
        ("diff.interHunkContext", "10"),
        // With the context lines `diff.interHunkContext` brings, an empty one is "".
        ("diff.suppressBlankEmpty", "true"),
        ("diff.context", "8"),
    ] {
        git(root, "2026-01-01", &["config", key, value]);
    }
    let goal = |a: char, b: char| format!("{GOAL_HEAD}- [{a}] a\n- [x] before\n\n\n\n- [{b}] b\n");
    write(root, "Führung lernen.md", goal(' ', ' '));
    commit_all(root, "2026-01-01", "start");
    write(root, "Führung lernen.md", goal('x', 'x'));
    commit_all(root, "2026-01-02", "a and b");
    assert_eq!(
        done_dates(&status(root)),
        [
            row("a", "2026-01-02", "git"),
            row("before", "null", "unknown"),
            row("b", "2026-01-02", "git"),
        ]
    );
}

/// `evil.sh` in `dir`, a script that touches the returned mark when it runs.
fn evil_script(dir: &Path) -> (String, std::path::PathBuf) {
    let mark = dir.join("ran");
    let script = dir.join("evil.sh");
    fs::write(
        &script,
        format!("#!/bin/sh\ntouch '{}'\ncat\n", mark.display()),
    )
    .unwrap();
    make_executable(&script);
    (script.display().to_string(), mark)
}

/// With `diff.submodule=diff`, `git log -p` starts a `git diff` inside each submodule,
/// which reads the submodule's own config (kept inside the journal's `.git`) without
/// `--no-ext-diff` or `--no-textconv`.
#[test]
fn a_submodule_diff_asked_for_by_the_repository_runs_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (script, mark) = evil_script(dir.path());
    let root = journal_with_a_submodule(dir.path());
    let inside = root.join("goals/shared");
    write(&inside, ".gitattributes", "*.md diff=x\n");
    commit_goal(&inside, "2026-01-05", "- [x] a\n- [x] b\n");
    commit_all(&root, "2026-01-06", "the shared goals, moved on");
    git(&root, "2026-01-07", &["config", "diff.submodule", "diff"]);
    for (key, value) in [
        ("diff.external", script.as_str()),
        ("diff.x.textconv", &script),
        ("diff.x.command", &script),
    ] {
        git(&inside, "2026-01-07", &["config", key, value]);
    }
    let dates = done_dates(&status(&root));
    assert!(
        !mark.exists(),
        "a program named by a submodule's config ran"
    );
    assert_eq!(
        dates,
        [row("a", "2026-01-02", "git"), row("b", "2026-01-05", "git")]
    );
}

/// git puts the text of the line a hunk is in (its "function") after the `@@` range;
/// cut at a fixed byte count, it ends inside a character (`ü` is 2 bytes, `中` 3).
#[test]
fn a_paragraph_with_accents_before_a_milestone_changes_no_date() {
    for character in ["ü", "中"] {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        init_repository(root);
        let paragraph = format!("{}{character} and more\n", "p".repeat(55));
        let goal = |a: char, b: char| format!("{GOAL_HEAD}{paragraph}- [{a}] a\n- [{b}] b\n");
        write(root, "goal.md", goal(' ', ' '));
        commit_all(root, "2026-01-01", "start");
        write(root, "goal.md", goal('x', ' '));
        commit_all(root, "2026-01-02", "a");
        write(root, "goal.md", goal('x', 'x'));
        commit_all(root, "2026-01-03", "b");
        assert_eq!(
            done_dates(&status(root)),
            [row("a", "2026-01-02", "git"), row("b", "2026-01-03", "git")],
            "with {character}"
        );
    }
}

/// Files named by the repository's config that git would read while `git log -p` runs (a
/// FIFO no one writes to stands for `/dev/zero`, which git reads until memory runs out):
/// none is read, and the history is read at once.
#[cfg(unix)]
#[test]
fn files_named_by_the_repository_config_are_not_read() {
    let hostile = Hostile::new();
    for key in ["diff.orderFile", "core.attributesFile", "mailmap.file"] {
        let fifo = hostile.root().join(key);
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        hostile.config(key, &fifo.display().to_string());
    }
    hostile.config("log.mailmap", "true");
    let started = std::time::Instant::now();
    hostile.assert_nothing_ran();
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "git waited on a file named by the repository's config"
    );
}

/// The history cache is written the same way every time (its keys sorted), so a build
/// with nothing changed writes nothing, the cache included.
#[test]
fn a_second_build_with_nothing_changed_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    init_repository(root);
    write(root, ".gitignore", "_reports/\n");
    let milestones: String = (0..20).map(|n| format!("- [x] step {n}\n")).collect();
    for n in 0..8 {
        write(
            root,
            &format!("goals/g{n}.md"),
            format!("---\ngoal: Goal {n}\n---\n{milestones}"),
        );
    }
    commit_all(root, "2026-01-02", "start");
    let build = || {
        let output = trailmark()
            .args(["build", "--today", TODAY])
            .arg(root)
            .output()
            .unwrap();
        assert!(output.status.success());
        String::from_utf8(output.stdout).unwrap()
    };
    build();
    let cache = root.join("_reports/.trailmark-git-history.json");
    let first = fs::read_to_string(&cache).unwrap();
    let second = build();
    assert!(
        second.contains(" 0 reports written, "),
        "a build with nothing changed wrote something: {second}"
    );
    assert_eq!(fs::read_to_string(&cache).unwrap(), first);
}

/// Markdown files are read from history whatever the case of their extension, and with
/// the long one, as the journal itself reads them.
#[test]
fn files_named_md_in_capitals_or_markdown_get_their_dates() {
    for name in ["Goal.MD", "goal.markdown", "goal.Markdown"] {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        init_repository(root);
        write(root, name, format!("{GOAL_HEAD}- [ ] a\n"));
        commit_all(root, "2026-01-01", "start");
        write(root, name, format!("{GOAL_HEAD}- [x] a\n"));
        commit_all(root, "2026-01-02", "a");
        assert_eq!(
            done_dates(&status(root)),
            [row("a", "2026-01-02", "git")],
            "{name}"
        );
    }
}

/// A submodule whose history cannot be read: its checked milestones have no date (not
/// today), the journal's own keep theirs, and the warning says whose history it is.
#[test]
fn a_submodule_whose_history_fails_leaves_only_its_milestones_undated() {
    let dir = tempfile::tempdir().unwrap();
    let root = journal_with_a_submodule(dir.path());
    write(&root, "own.md", "---\ngoal: Own\n---\n- [x] mine\n");
    commit_all(&root, "2026-01-06", "own goal");
    let inside = root.join("goals/shared");
    commit_goal(&inside, "2026-01-05", "- [x] a\n- [x] b\n");
    // The file's new version in the submodule's last commit is gone from its objects.
    let output = std::process::Command::new("git")
        .args(["rev-parse", "HEAD:goal.md", "--git-path", "objects"])
        .current_dir(&inside)
        .output()
        .unwrap();
    let output = String::from_utf8(output.stdout).unwrap();
    let (blob, objects) = output.trim().split_once('\n').unwrap();
    fs::remove_file(inside.join(objects).join(&blob[..2]).join(&blob[2..])).unwrap();

    let json = status(&root);
    let mut dates: Vec<_> = json["goals"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|goal| goal["milestones"].as_array().unwrap())
        .map(|m| {
            row(
                m["text"].as_str().unwrap(),
                m["done_on"].as_str().unwrap_or("null"),
                m["done_on_source"].as_str().unwrap(),
            )
        })
        .collect();
    dates.sort();
    assert_eq!(
        dates,
        [
            row("a", "null", "unknown"),
            row("b", "null", "unknown"),
            row("mine", "2026-01-06", "git"),
        ]
    );
    let warning = json["diagnostics"][0]["message"].as_str().unwrap();
    assert!(
        warning.starts_with("cannot read the git history of goals/shared (")
            && warning.ends_with(
                "); its milestones without a ✅ date outside dated entries have no done date"
            ),
        "{warning}"
    );
}

/// `git log` failing part-way (an object of a commit in the middle is gone): nothing read
/// is used, every milestone that needs git has no date (not today, not a later commit's),
/// and the warning says so.
#[test]
fn a_history_that_fails_part_way_dates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    init_repository(root);
    commit_goal(root, "2026-01-01", "- [ ] a\n- [ ] b\n- [ ] c\n");
    commit_goal(root, "2026-01-02", "- [x] a\n- [ ] b\n- [ ] c\n");
    commit_goal(root, "2026-01-03", "- [x] a\n- [x] b\n- [ ] c\n");
    commit_goal(root, "2026-01-04", "- [x] a\n- [x] b\n- [x] c\n");
    let output = std::process::Command::new("git")
        .args(["rev-parse", "HEAD~1", "--git-path", "objects"])
        .current_dir(root)
        .output()
        .unwrap();
    let output = String::from_utf8(output.stdout).unwrap();
    let (commit, objects) = output.trim().split_once('\n').unwrap();
    fs::remove_file(root.join(objects).join(&commit[..2]).join(&commit[2..])).unwrap();
    // Checked since the last commit: today, were history read.
    write(
        root,
        "goal.md",
        format!("{GOAL_HEAD}- [x] a\n- [x] b\n- [x] c\n- [x] d\n"),
    );
    let json = status(root);
    assert_eq!(
        done_dates(&json),
        ["a", "b", "c", "d"].map(|text| row(text, "null", "unknown"))
    );
    let warning = json["diagnostics"][0]["message"].as_str().unwrap();
    assert!(
        warning.starts_with("cannot read the git history (")
            && warning.ends_with(
                "); milestones without a ✅ date outside dated entries have no done date"
            ),
        "{warning}"
    );
}

#[test]
fn a_milestone_committed_checked_where_history_cannot_show_it_is_undated_not_today() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    init_repository(root);
    // The journal is a folder of the repository: git names files from the top.
    let journal = root.join("notes");
    // Written as a file that is not markdown, then renamed unchanged: no commit shows
    // the milestone checked in a markdown file.
    write(&journal, "goal", format!("{GOAL_HEAD}- [x] renamed\n"));
    write(&journal, "touched.txt", "the same text, a new time");
    commit_all(root, "2026-01-10", "a goal without an extension");
    git(root, "2026-02-03", &["mv", "notes/goal", "notes/goal.md"]);
    commit_all(root, "2026-02-03", "renamed to markdown");
    assert_eq!(
        done_dates(&status(&journal)),
        [row("renamed", "null", "unknown")]
    );
    // Checked since the last commit, staged or not: today. (In a changed file, a
    // milestone no commit shows checked counts as checked since: "renamed" too.)
    write(
        &journal,
        "goal.md",
        format!("{GOAL_HEAD}- [x] renamed\n- [x] staged\n"),
    );
    git(root, TODAY, &["add", "notes/goal.md"]);
    write(
        &journal,
        "goal.md",
        format!("{GOAL_HEAD}- [x] renamed\n- [x] staged\n- [x] unstaged\n"),
    );
    // A file whose time changed but not its text: git refreshes its index on reading.
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    fs::File::options()
        .write(true)
        .open(journal.join("touched.txt"))
        .unwrap()
        .set_modified(an_hour_ago)
        .unwrap();
    let index = fs::read(root.join(".git/index")).unwrap();
    let dates = done_dates(&status(&journal));
    assert_eq!(
        dates[1..],
        [row("staged", TODAY, "git"), row("unstaged", TODAY, "git")]
    );
    // Asking git what changed does not make it write its index: trailmark writes
    // nothing outside its output folder.
    assert!(fs::read(root.join(".git/index")).unwrap() == index);
}
