//! `status --json` answered from the last build's `trailmark.json` (the key
//! `.trailmark-status` says what it was made from): used when no file's stamp changed, and
//! never when anything the status depends on did (a file edited, added, removed or
//! renamed, the day, `trailmark.toml`, git's history), nor when the report or the key was
//! changed by hand, nor when a file was too recent for its stamp to be trusted. Warm and
//! cold runs over many random changes are compared in `src/workspace/warm_cold.rs`.

use std::fs;
use std::time::{Duration, SystemTime};

use crate::common::{Journal, commit_all, init_repository};

const TODAY: &str = "2026-11-20";
const KEY: &str = "_reports/.trailmark-status";
const GOAL: &str = "goal.md";

/// `trailmark status --json` of `journal` on `today`, with `args`.
fn status(journal: &Journal, today: &str, args: &[&str]) -> String {
    let output = journal
        .run(&[&["status", "--json", "--today", today], args].concat())
        .success();
    String::from_utf8(output.get_output().stdout.clone()).unwrap()
}

/// Sets the modification time of the journal file `path` to `age` ago.
fn set_age(journal: &Journal, path: &str, age: Duration) {
    fs::File::options()
        .write(true)
        .open(journal.path().join(path))
        .unwrap()
        .set_modified(SystemTime::now() - age)
        .unwrap();
}

const HOUR: Duration = Duration::from_secs(3600);

/// A journal of a goal and an entry, its files an hour old, built for [`TODAY`].
fn built() -> Journal {
    let journal = Journal::new()
        .goal(GOAL, "Ship it", "- [x] first step\n- [ ] second step\n")
        .entry("2026-11-02", "- [x] shipped a part #ship-it\n");
    for path in [GOAL, "2026-11-02.md"] {
        set_age(&journal, path, HOUR);
    }
    journal.run(&["build", "--today", TODAY]).success();
    assert!(
        journal.path().join(KEY).is_file(),
        "the build saved its status"
    );
    journal
}

/// Checks that `status --json` prints what a run that reads every file prints.
fn same_as_cold(journal: &Journal, today: &str, what: &str) {
    let cold = status(journal, today, &["--no-cache"]);
    assert!(status(journal, today, &[]) == cold, "{what}");
}

#[test]
fn an_unchanged_journal_is_answered_from_the_last_build() {
    let journal = built();
    same_as_cold(&journal, TODAY, "nothing changed");
    // A file rewritten with its size and time kept (which only a deliberate act does) is
    // taken as unchanged: what was printed comes from the build, not from the file. The
    // documents cache, which would trust the stamp too, is gone.
    fs::remove_file(journal.path().join("_reports/.trailmark-documents.bin")).unwrap();
    let before = fs::metadata(journal.path().join(GOAL)).unwrap();
    journal.write(
        GOAL,
        "---\ngoal: Ship up\n---\n- [x] first step\n- [ ] second step\n",
    );
    fs::File::options()
        .write(true)
        .open(journal.path().join(GOAL))
        .unwrap()
        .set_modified(before.modified().unwrap())
        .unwrap();
    assert!(status(&journal, TODAY, &[]).contains("Ship it"));
    assert!(status(&journal, TODAY, &["--no-cache"]).contains("Ship up"));
}

#[test]
fn any_change_the_status_depends_on_is_seen() {
    let journal = built();
    same_as_cold(&journal, "2026-11-21", "another day");

    journal.write(
        GOAL,
        "---\ngoal: Ship up\n---\n- [x] first step\n- [x] second step\n",
    );
    set_age(&journal, GOAL, HOUR / 2);
    same_as_cold(&journal, TODAY, "a file edited");

    journal.write("2026-11-03.md", "- [x] more #ship-it\n");
    set_age(&journal, "2026-11-03.md", HOUR);
    same_as_cold(&journal, TODAY, "a file added");

    fs::rename(
        journal.path().join("2026-11-03.md"),
        journal.path().join("2026-11-04.md"),
    )
    .unwrap();
    same_as_cold(&journal, TODAY, "a file renamed");

    fs::remove_file(journal.path().join("2026-11-02.md")).unwrap();
    same_as_cold(&journal, TODAY, "a file removed");

    journal.write("trailmark.toml", "stalled_after_days = 1\n");
    same_as_cold(&journal, TODAY, "trailmark.toml");
}

#[test]
fn a_report_or_key_changed_by_hand_is_not_trusted() {
    let journal = built();
    let report = journal.path().join("_reports/trailmark.json");
    let text = fs::read_to_string(&report).unwrap();
    fs::write(&report, text.replace("Ship it", "Forged!")).unwrap();
    same_as_cold(&journal, TODAY, "trailmark.json edited");

    let journal = built();
    let key = journal.read(KEY);
    journal.write(KEY, key.replacen("\"format\":1", "\"format\":0", 1));
    fs::write(
        journal.path().join("_reports/trailmark.json"),
        "{\"forged\": true}\n",
    )
    .unwrap();
    same_as_cold(&journal, TODAY, "an old key");
    journal.write(KEY, "garbage");
    same_as_cold(&journal, TODAY, "a damaged key");
}

#[test]
fn files_too_recent_to_trust_leave_no_key() {
    // Written just now: a later write within the same clock tick could keep the stamp.
    let journal = Journal::new().goal(GOAL, "Ship it", "- [ ] first step\n");
    journal.run(&["build", "--today", TODAY]).success();
    assert!(!journal.path().join(KEY).exists());
    // Settled, the next build saves its status; too recent again, it removes it.
    set_age(&journal, GOAL, HOUR);
    journal.run(&["build", "--today", TODAY]).success();
    assert!(journal.path().join(KEY).is_file());
    journal.write(GOAL, "---\ngoal: Ship up\n---\n- [ ] first step\n");
    journal.run(&["build", "--today", TODAY]).success();
    assert!(!journal.path().join(KEY).exists());
    same_as_cold(&journal, TODAY, "recent");
}

#[test]
fn a_new_commit_gives_a_new_answer() {
    // The milestone has no done date: git's history dates it, and the key holds what the
    // history was. Amending the commit's date changes it without touching a file.
    let journal = Journal::new().goal(GOAL, "Ship it", "- [ ] first step\n- [ ] second step\n");
    init_repository(journal.path());
    fs::write(journal.path().join(".gitignore"), "_reports/\n").unwrap();
    commit_all(journal.path(), "2026-10-01", "start");
    journal.write(
        GOAL,
        "---\ngoal: Ship it\n---\n- [x] first step\n- [ ] second step\n",
    );
    set_age(&journal, GOAL, HOUR);
    commit_all(journal.path(), "2026-11-01", "first step");
    journal.run(&["build", "--today", TODAY]).success();
    assert!(journal.path().join(KEY).is_file());
    same_as_cold(&journal, TODAY, "committed");
    let dated = |report: &str| report.contains("2026-11-01");
    assert!(dated(&status(&journal, TODAY, &[])));
    crate::common::git(
        journal.path(),
        "2026-11-05",
        &["commit", "-q", "--amend", "--no-edit", "--reset-author"],
    );
    let after = status(&journal, TODAY, &[]);
    assert!(!dated(&after) && after.contains("2026-11-05"), "{after}");
    same_as_cold(&journal, TODAY, "amended");
}
