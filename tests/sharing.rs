//! `build --share AUDIENCE --out FOLDER` (docs/SHARING.md): the fixture `share` plants
//! `qqpriv` in every private field (titles, ids, file and folder names, areas, tags,
//! milestone text, notes, metric units, check-in notes, entry prose, wins, feedback,
//! lessons, Dataview fields, a broken file's diagnostics); no byte of a shared output
//! file, in any format, and no file name may hold it, while every shared fact is there.
//! A shared build leaves the full reports as they are, needs a folder of its own, and
//! `--dry-run` lists what it would publish and writes nothing.

use std::path::Path;

use predicates::prelude::*;
use predicates::str::contains;

use crate::common::{Journal, files_in, reports_in};

const TODAY: &str = "2026-03-12";
const CANARY: &str = "qqpriv";

/// Builds the fixture for `audience` into a folder beside the journal.
fn shared_build(audience: &str, goals: usize) -> (Journal, std::path::PathBuf) {
    let journal = Journal::fixture("share");
    let out = journal.path().with_file_name(format!("for-{audience}"));
    journal
        .run(&[
            "build",
            "--share",
            audience,
            "--out",
            out.to_str().unwrap(),
            "--today",
            TODAY,
        ])
        .success()
        .stdout(contains(format!("shared with {audience}: {goals} goals")));
    (journal, out)
}

/// The facts shared with the mentor, each as the page of every format shows it.
const SHARED_FACTS: [&str; 21] = [
    "Shared Goal Alpha",
    "Alpha Child Beta",
    "alpha-area",
    "alpha-tag",
    "Alpha why, shared on purpose.",
    "alpha step one",
    "alpha step two",
    // Links become their text.
    "alpha step three, read the style guide and the draft",
    "2026-04-15",
    "talks",
    "alpha confidence note",
    "alpha first confidence note",
    "7/10",
    "Cadence: 1 a week",
    "beta week two done",
    // The lines of a shared entry and of a shared section, and their notes.
    "Presented the alpha demo",
    "alpha mentor feedback",
    "alpha shipped the demo",
    "on-track",
    // A link's text, without its target.
    "see the draft and the note for",
    "alpha confidence note, see the guide",
];

#[test]
fn no_private_byte_and_every_shared_fact_in_every_format() {
    let (_journal, out) = shared_build("mentor", 2);
    let files = files_in(&out);
    let names: Vec<String> = files
        .keys()
        .map(|path| path.to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            ".trailmark-lock",
            ".trailmark-manifest",
            "checkin.html",
            "checkin.md",
            "index.html",
            "index.md"
        ],
        "no JSON of the journal, no calendar, no caches"
    );
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes).to_lowercase();
        assert!(
            !path.to_string_lossy().to_lowercase().contains(CANARY),
            "{path:?}"
        );
        if let Some(at) = text.find(CANARY) {
            let around: String = text[..at]
                .chars()
                .rev()
                .take(60)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .chain(text[at..].chars().take(60))
                .collect();
            panic!("{path:?} holds a private value: {around:?}");
        }
    }
    for format in ["html", "md"] {
        let index = String::from_utf8_lossy(&files[Path::new(&format!("index.{format}"))])
            .replace("&#x2f;", "/");
        for fact in SHARED_FACTS {
            assert!(index.contains(fact), "index.{format} lacks {fact:?}");
        }
        let checkin = String::from_utf8_lossy(&files[Path::new(&format!("checkin.{format}"))]);
        for fact in [
            "Shared Goal Alpha",
            "Alpha Child Beta",
            "7/10",
            "6/10 before",
            "alpha confidence note",
            "alpha step three",
            "beta week one done",
            "the last check-in",
        ] {
            assert!(checkin.contains(fact), "checkin.{format} lacks {fact:?}");
        }
    }
    // No link leads anywhere but to the other shared page.
    for page in ["index.html", "checkin.html"] {
        let html = String::from_utf8_lossy(&files[Path::new(page)]).into_owned();
        let links: Vec<&str> = html.split("href=\"").skip(1).collect();
        for link in links {
            let target = &link[..link.find('"').unwrap()];
            assert!(
                ["#main", "index.html", "checkin.html"].contains(&target),
                "{page} links to {target}"
            );
        }
        assert!(html.contains("Content-Security-Policy"));
    }
}

#[test]
fn another_audience_sees_only_its_own_goals() {
    let (_journal, out) = shared_build("manager", 3);
    let index = std::fs::read_to_string(out.join("index.md")).unwrap();
    // Shared with the manager, not with the mentor.
    assert!(index.contains("qqpriv manager-only title"));
    // A shared entry and section name the mentor only.
    assert!(!index.contains("Presented the alpha demo"));
    assert!(!index.contains("alpha mentor feedback"));
}

#[test]
fn the_full_reports_are_left_as_they_are() {
    let journal = Journal::fixture("share");
    journal.run(&["build", "--today", TODAY]).success();
    let reports = journal.path().join("_reports");
    let before = reports_in(&reports);
    let manifest = std::fs::read(reports.join(".trailmark-manifest")).unwrap();
    let out = journal.path().with_file_name("for-mentor");
    journal
        .run(&[
            "build",
            "--share",
            "mentor",
            "--out",
            out.to_str().unwrap(),
            "--today",
            TODAY,
        ])
        .success();
    assert!(reports_in(&reports) == before, "the full reports changed");
    assert_eq!(
        std::fs::read(reports.join(".trailmark-manifest")).unwrap(),
        manifest
    );
    // The full reports show what the shared ones leave out.
    let index = std::fs::read_to_string(reports.join("index.md")).unwrap();
    assert!(index.contains("qqpriv goal title"));
}

#[test]
fn a_shared_build_needs_a_folder_of_its_own() {
    let journal = Journal::fixture("share");
    journal
        .run(&["build", "--share", "mentor", "--today", TODAY])
        .failure()
        .stderr(contains("`--share` needs `--out FOLDER`"));
    let reports = journal.path().join("_reports");
    journal
        .run(&[
            "build",
            "--share",
            "mentor",
            "--out",
            reports.to_str().unwrap(),
        ])
        .failure()
        .stderr(contains("is the folder of the full reports"));
    let inside = journal.path().join("shared");
    journal
        .run(&[
            "build",
            "--share",
            "mentor",
            "--out",
            inside.to_str().unwrap(),
        ])
        .failure()
        .stderr(contains("is inside the journal"));
    journal
        .run(&["build", "--share", "two words", "--out", "elsewhere"])
        .failure()
        .stderr(contains("an audience is a name"));
    assert!(!inside.exists() && !reports.exists(), "nothing written");
}

#[test]
fn a_dry_run_lists_what_would_be_published_and_writes_nothing() {
    let journal = Journal::fixture("share");
    let out = journal.path().with_file_name("for-mentor");
    let listed = journal
        .run(&[
            "build",
            "--share",
            "mentor",
            "--dry-run",
            "--out",
            out.to_str().unwrap(),
            "--today",
            TODAY,
        ])
        .success()
        .stdout(contains("would publish for mentor"))
        .stdout(contains("goal: Shared Goal Alpha (alpha)"))
        .stdout(contains("milestone: alpha step one"))
        .stdout(contains("entry 2026-03-09: 2 lines"))
        .stdout(contains("win: alpha shipped the demo"))
        .stdout(contains(
            "files: index.html, index.md, checkin.html, checkin.md",
        ))
        .stdout(contains(CANARY).not());
    drop(listed);
    assert!(!out.exists(), "a dry run writes nothing");
    assert!(!journal.path().join("_reports").exists());
}

/// Snapshots of the pages a mentor reads: the 1:1 check-in page and the shared goals, in
/// HTML (without the stylesheet every report inlines, which has its own snapshot) and
/// markdown.
#[test]
fn shared_pages() {
    let (_journal, out) = shared_build("mentor", 2);
    for file in ["checkin.html", "checkin.md", "index.html", "index.md"] {
        let mut content = std::fs::read_to_string(out.join(file)).unwrap();
        if file.ends_with(".html") {
            content = crate::common::without_stylesheet(&content);
        }
        insta::assert_snapshot!(format!("shared__{file}"), content);
    }
}

/// The 1:1 page's template is the journal's own when it has one, and it sees the shared
/// data only: the whole report is not there to be shown.
#[test]
fn a_journals_own_checkin_template_sees_only_what_is_shared() {
    let journal = Journal::fixture("share");
    journal.write(
        "templates/checkin.md",
        "{{ share.audience }}: {% for row in share.checkins %}{{ row.title }} {{ row.confidence }}; {% endfor %}\n",
    );
    let out = journal.path().with_file_name("for-mentor");
    let build = |journal: &Journal| {
        journal.run(&[
            "build",
            "--share",
            "mentor",
            "--out",
            out.to_str().unwrap(),
            "--today",
            TODAY,
        ])
    };
    build(&journal).success();
    assert_eq!(
        std::fs::read_to_string(out.join("checkin.md")).unwrap(),
        "mentor: Shared Goal Alpha 7; Alpha Child Beta None; \n"
    );
    journal.write("templates/checkin.md", "{{ report.goals }}\n");
    build(&journal)
        .failure()
        .stderr(contains("template checkin.md"))
        .stderr(contains("undefined"));
}
