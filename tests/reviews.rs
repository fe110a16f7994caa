//! Reviews and the markdown reports: what a review says about each goal, the review a
//! person answers (`new review`), and markdown reports that still read right when copied
//! elsewhere (links, cancelled milestones, the last newline).

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{Journal, trailmark};

/// Every file under `folder` whose name ends with one of `extensions`, relative to it.
fn files_with(folder: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(
                files_with(&path, extensions)
                    .into_iter()
                    .map(|inner| Path::new(path.file_name().unwrap()).join(inner)),
            );
        } else if extensions
            .iter()
            .any(|ext| path.extension().is_some_and(|e| e == *ext))
        {
            found.push(PathBuf::from(path.file_name().unwrap()));
        }
    }
    found
}

/// The targets of the markdown links of `text`: `[label](target)` and `[label](<target>)`.
fn link_targets(text: &str) -> Vec<&str> {
    let mut targets = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        rest = &rest[at + 2..];
        let (target, after) = match rest.strip_prefix('<') {
            Some(bracketed) => bracketed.split_once('>').unwrap(),
            None => rest.split_once(')').unwrap(),
        };
        targets.push(target);
        rest = after;
    }
    targets
}

#[test]
fn a_cancelled_milestone_is_struck_through_without_a_literal_box() {
    let journal = Journal::new()
        .goal(
            "goals/ship.md",
            "Ship",
            "- [x] plan ✅ 2026-01-05\n- [-] a dropped idea\n- [ ] launch\n",
        )
        .file("notes.md", "- [-] a loose idea dropped\n");
    journal.run(&["build", "--today", "2026-02-01"]).success();
    let goal = journal.read("_reports/goals/ship.md");
    assert!(goal.contains("- ~~a dropped idea~~ (cancelled"), "{goal}");
    let index = journal.read("_reports/index.md");
    assert!(index.contains("- ~~a loose idea dropped~~"), "{index}");
    for report in [goal, index] {
        assert!(!report.contains("[-]"), "{report}");
    }
}

#[test]
fn markdown_reports_link_only_to_each_other_and_name_journal_files_as_plain_paths() {
    let journal = Journal::example();
    journal.run(&["build", "--today", "2026-11-20"]).success();
    let out = journal.path().join("_reports");
    let reports = files_with(&out, &["md"]);
    assert!(reports.len() > 20, "{reports:?}");
    for report in &reports {
        let text = fs::read_to_string(out.join(report)).unwrap();
        for target in link_targets(&text) {
            assert!(
                !target.starts_with('/') && !target.contains("://"),
                "{}: {target}",
                report.display()
            );
            // Relative to the report, and one of the reports: a copy of the reports
            // folder keeps every link.
            let linked = out.join(report.parent().unwrap()).join(target);
            let linked = linked.canonicalize().unwrap_or_else(|_| {
                panic!("{}: {target} is no report", report.display());
            });
            assert!(
                linked.starts_with(out.canonicalize().unwrap()),
                "{}: {target} leaves the reports",
                report.display()
            );
        }
    }
    // A review names the entry a lesson comes from by its path in the journal.
    let october = journal.read("_reports/reviews/2026-10.md");
    assert!(
        october.contains("Rehearse out loud; slides lie. (2026-10-12, journal/2026/2026-10-12.md)"),
        "{october}"
    );
    // Printed, too: no link to where the journal happens to be on this machine.
    let printed = trailmark()
        .args(["review", "--period", "month", "--date", "2026-10-01"])
        .args(["--today", "2026-11-20"])
        .arg(journal.path())
        .output()
        .unwrap();
    let printed = String::from_utf8(printed.stdout).unwrap();
    assert!(printed.contains("(2026-10-12, journal/2026/2026-10-12.md)"));
    assert!(
        !printed.contains(&*journal.path().to_string_lossy()),
        "{printed}"
    );
}

#[test]
fn every_report_ends_with_exactly_one_newline() {
    let journal = Journal::example().file(
        "templates/reviews.md",
        "# Reviews of my own\n\nThey end with blank lines.\n\n\n",
    );
    journal.run(&["build", "--today", "2026-11-20"]).success();
    let out = journal.path().join("_reports");
    let reports = files_with(&out, &["md", "html"]);
    assert!(reports.len() > 40, "{reports:?}");
    for report in reports {
        let text = fs::read_to_string(out.join(&report)).unwrap();
        assert!(
            text.ends_with('\n') && !text.ends_with("\n\n"),
            "{} ends with {:?}",
            report.display(),
            &text[text.len().saturating_sub(20)..]
        );
    }
}
