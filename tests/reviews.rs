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

/// A goal with a milestone done each week of February 2026, one overdue since 1 March, one
/// due later, and a metric goal logged twice in March; as of 20 March 2026.
fn shipping_journal() -> Journal {
    Journal::new()
        .file(
            "goals/ship.md",
            "---\ngoal: Ship the app\nstart: 2026-01-15\ndue: 2026-04-30\n---\n\
             - [x] design ✅ 2026-02-02\n- [x] build ✅ 2026-02-09\n- [x] test ✅ 2026-02-16\n\
             - [ ] beta 📅 2026-03-01\n- [ ] launch 📅 2026-04-20\n- [ ] polish\n",
        )
        .file(
            "goals/run.md",
            "---\ngoal: Run farther\nmetric: {target: 10, unit: km}\n---\n",
        )
        .entry("2026-02-20", "---\nmetrics: {run-farther: 3}\n---\n# Run\n")
        .entry("2026-03-04", "---\nmetrics: {run-farther: 5}\n---\n# Run\n")
        .entry("2026-03-11", "---\nmetrics: {run-farther: 5}\n---\n# Run\n")
}

fn printed_review(journal: &Journal, args: &[&str]) -> String {
    let output = trailmark()
        .arg("review")
        .args(args)
        .args(["--today", "2026-03-20"])
        .arg(journal.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn a_review_says_what_is_next_for_each_goal_what_is_overdue_and_when_it_will_be_done() {
    let journal = shipping_journal();
    let march = printed_review(&journal, &["--period", "month", "--date", "2026-03-02"]);
    let section = march
        .split("## Next for each goal\n\n")
        .nth(1)
        .unwrap_or_else(|| panic!("{march}"));
    // Three done in the 8 weeks before 20 March: 0.38 a week; three left take 8 weeks.
    assert!(
        section.starts_with(
            "- **Ship the app**: next: beta (due 2026-03-01)\n\
             \x20 - Overdue: beta (due 2026-03-01)\n\
             \x20 - Pace: 0.38 milestones a week over the last 8 weeks\n\
             \x20 - Forecast: done around 2026-05-15, 15 days after the due date\n"
        ),
        "{section}"
    );
    assert!(
        section.contains("- **Run farther**\n  - Pace: 0.5 km a week"),
        "{section}"
    );
}

#[test]
fn goals_without_news_in_a_review_are_named_with_their_next_milestone_only() {
    let journal = shipping_journal();
    // The week of 16 March: Ship has been overdue since 1 March and stalled since the
    // 9th, Run farther was last logged on the 11th; nothing new for either.
    let week = printed_review(&journal, &["--period", "week", "--date", "2026-03-16"]);
    let section = week
        .split("## Next for each goal\n\n")
        .nth(1)
        .unwrap_or_else(|| panic!("{week}"));
    assert!(
        section.starts_with(
            "Nothing new this week:\n\n\
             - Ship the app: next: beta (due 2026-03-01) · 1 overdue\n\
             - Run farther\n\n## "
        ),
        "{section}"
    );
    let html = printed_review(
        &journal,
        &[
            "--period",
            "week",
            "--date",
            "2026-03-16",
            "--format",
            "html",
        ],
    );
    assert!(
        html.contains(
            "<h3>Nothing new this week</h3>\n<ul>  <li>Ship the app: next: beta \
             <span class=\"meta\">due <time>2026-03-01</time></span> \
             <span class=\"meta\">· 1 overdue</span></li>  <li>Run farther</li></ul>"
        ),
        "{html}"
    );
}

#[test]
fn build_writes_weekly_reviews_of_the_last_year_and_months_of_every_year() {
    let journal = Journal::new()
        .entry("2024-03-04", "# Two years ago\n\n## Wins\n\n- an old win\n")
        .entry("2026-03-02", "# This month\n");
    journal.run(&["build", "--today", "2026-03-20"]).success();
    let exists = |name: &str| journal.path().join("_reports/reviews").join(name).exists();
    assert!(exists("2026-W10.md") && exists("2026-W10.html"));
    assert!(!exists("2024-W10.md") && !exists("2024-W10.html"));
    // The old week is in its month's review, and printed on request.
    assert!(
        journal
            .read("_reports/reviews/2024-03.md")
            .contains("an old win")
    );
    let week = printed_review(&journal, &["--period", "week", "--date", "2024-03-04"]);
    assert!(week.contains("an old win"), "{week}");
}

#[test]
fn metrics_logged_show_the_change_and_the_target_once_a_goal() {
    let journal = shipping_journal();
    let march = printed_review(&journal, &["--period", "month", "--date", "2026-03-02"]);
    assert!(
        march.contains(
            "| Goal | Value | Change | Target |\n|---|---:|---:|---:|\n\
             | Run farther | 3 → 5 km | +2 | 10 km |\n\n"
        ),
        "{march}"
    );
    let html = printed_review(
        &journal,
        &[
            "--period",
            "month",
            "--date",
            "2026-03-02",
            "--format",
            "html",
        ],
    );
    assert!(
        html.contains(
            "<td class=\"num\" data-label=\"Value\">3 → 5 km</td><td class=\"num\" data-label=\"Change\">+2</td><td class=\"num\" data-label=\"Target\">10 km</td>"
        ),
        "{html}"
    );
}

#[test]
fn goal_names_link_to_their_pages_in_every_section_of_a_review() {
    let journal = shipping_journal().entry(
        "2026-03-16",
        "## Wins\n- Demo day\n- [x] beta #ship-the-app ✅ 2026-03-16\n",
    );
    journal.run(&["build", "--today", "2026-03-20"]).success();
    let reviews = journal.path().join("_reports/reviews");
    let markdown = fs::read_to_string(reviews.join("2026-03.md")).unwrap();
    let html = fs::read_to_string(reviews.join("2026-03.html")).unwrap();
    for (text, title, linked) in [
        (
            &markdown,
            "Ship the app",
            "[Ship the app](../goals/ship-the-app.md)",
        ),
        (
            &markdown,
            "Run farther",
            "[Run farther](../goals/run-farther.md)",
        ),
        (
            &html,
            ">Ship the app<",
            "<a href=\"../goals/ship-the-app.html\">Ship the app<",
        ),
        (
            &html,
            ">Run farther<",
            "<a href=\"../goals/run-farther.html\">Run farther<",
        ),
    ] {
        let shown = text.matches(title).count();
        // Wins, progress, metrics, next for each goal, coming up: in several sections.
        assert!(shown >= 3, "{title} {shown}: {text}");
        assert_eq!(text.matches(linked).count(), shown, "{title}: {text}");
    }
}

#[test]
fn the_review_of_a_quiet_week_says_which_week_had_activity_and_how_to_choose_it() {
    let journal = Journal::new()
        .goal("goals/ship.md", "Ship", "- [ ] plan\n")
        .entry("2026-02-25", "# Started\n\n## Wins\n- Began\n");
    let last_week = printed_review(&journal, &[]);
    assert!(
        last_week.contains(
            "Nothing happened in this week: no entry written, no milestone done, no value \
             logged. The latest week with activity is Week 9, 2026: choose it with \
             `--date 2026-02-23`. Another length of period: `--period week`, `month`, \
             `quarter` or `year`.\n"
        ),
        "{last_week}"
    );
    // `new review` writes it all the same, and says which week to review instead.
    let written = new_review(&journal, &[], &["--date", "2026-03-09"]);
    assert!(written.status.success(), "{written:?}");
    assert!(String::from_utf8(written.stderr).unwrap().contains(
        "note: nothing happened in 2026-W11; the latest week with activity is 2026-W09: \
             --date 2026-02-23"
    ));
    let empty = Journal::new().goal("goals/ship.md", "Ship", "- [ ] plan\n");
    let html = printed_review(&empty, &["--format", "html"]);
    assert!(
        html.contains("Nothing in the journal is dated yet"),
        "{html}"
    );
}

/// `trailmark new review ARGS --dir JOURNAL`, with no editor set unless `env` sets one.
fn new_review(journal: &Journal, env: &[(&str, &str)], args: &[&str]) -> std::process::Output {
    let mut command = trailmark();
    command
        .args(["new", "review"])
        .args(args)
        .arg("--dir")
        .arg(journal.path())
        .env_remove("VISUAL")
        .env_remove("EDITOR");
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().unwrap()
}

const OCTOBER: &[&str] = &["--period", "month", "--date", "2026-10-01"];

#[test]
fn new_review_writes_the_facts_and_the_questions_to_answer_and_never_overwrites() {
    let journal = Journal::example();
    let output = new_review(&journal, &[], OCTOBER);
    assert!(output.status.success(), "{output:?}");
    let path = journal.path().join("journal/2026/2026-10-review.md");
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        format!("{}\n", path.display())
    );
    let review = fs::read_to_string(&path).unwrap();
    assert!(
        review.starts_with(
            "---\ndate: 2026-10-31\nreview: 2026-10\n---\n\n# October 2026: monthly review\n"
        ),
        "{review}"
    );
    assert!(
        review.contains(
            "## The facts\n\n- 6 milestones done, 4 entries written (4 the month before), 0 goals completed.\n\
             - Moved: Present at the quarterly all-hands (0% → 60%), "
        ),
        "{review}"
    );
    assert!(
        review.ends_with("\n\n## What went well\n\n## What to adjust\n\n## What to learn next\n"),
        "{review}"
    );
    // Facts, not milestones: nothing in it counts twice once it is in the journal.
    assert!(!review.contains("- [") && !review.contains("#management-course"));
    // A second time, the file is left as it is, and named.
    fs::write(&path, "answered\n").unwrap();
    let again = new_review(&journal, &[], OCTOBER);
    assert!(again.status.success());
    assert_eq!(
        String::from_utf8(again.stdout).unwrap(),
        format!("{}\n", path.display())
    );
    assert!(
        String::from_utf8(again.stderr)
            .unwrap()
            .contains("the review of 2026-10 is already there, left as it is; --edit opens it")
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), "answered\n");
}

#[test]
fn the_answers_of_a_review_show_in_the_reviews_of_its_period() {
    let journal = Journal::example();
    assert!(new_review(&journal, &[], OCTOBER).status.success());
    let file = "journal/2026/2026-10-review.md";
    let answered = journal
        .read(file)
        .replace(
            "## What went well\n",
            "## What went well\n\n- The rehearsals with my mentor.\n",
        )
        .replace(
            "## What to adjust\n",
            "## What to adjust\n\nBlock two evenings a week for SQL.\n",
        )
        .replace(
            "## What to learn next\n",
            "## What to learn next\n\n- Window functions\n",
        );
    journal.write(file, answered);
    let check = trailmark()
        .args(["check", "--today", "2026-11-20"])
        .arg(journal.path())
        .output()
        .unwrap();
    let check = String::from_utf8(check.stdout).unwrap();
    assert!(!check.contains("review.md"), "{check}");
    journal.run(&["build", "--today", "2026-11-20"]).success();
    for period in ["2026-10", "2026-Q4", "2026"] {
        let review = journal.read(&format!("_reports/reviews/{period}.md"));
        for answer in [
            "- The rehearsals with my mentor. (2026-10-31, journal/2026/2026-10-review.md)\n",
            "## What to adjust\n\n- Block two evenings a week for SQL. (2026-10-31, journal/2026/2026-10-review.md)\n",
            "## What to learn next\n\n- Window functions (2026-10-31, journal/2026/2026-10-review.md)\n",
        ] {
            assert!(review.contains(answer), "{period}: {answer} in\n{review}");
        }
        let html = journal.read(&format!("_reports/reviews/{period}.html"));
        assert!(html.contains("<h2>What to adjust</h2>"), "{period}");
    }
    let november = journal.read("_reports/reviews/2026-11.md");
    assert!(!november.contains("Window functions"));
}

#[test]
fn new_review_uses_the_journals_own_template() {
    let journal = Journal::example().file(
        "templates/new-review.md",
        "---\ndate: {{ date }}\n---\n# My {{ review.label }}: {{ review.milestones_done }} done, {{ review.progress[0].end | percent }}\n",
    );
    assert!(new_review(&journal, &[], OCTOBER).status.success());
    assert_eq!(
        journal.read("journal/2026/2026-10-review.md"),
        "---\ndate: 2026-10-31\n---\n# My 2026-10: 6 done, 60%\n"
    );
}

#[test]
fn new_review_of_a_period_not_begun_is_refused_and_writes_nothing() {
    let journal = Journal::example();
    let output = new_review(&journal, &[], &["--period", "year", "--date", "2999-01-01"]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(
        String::from_utf8(output.stderr)
            .unwrap()
            .contains("2999 has not begun yet")
    );
    assert!(!journal.path().join("journal/2999").exists());
}

#[cfg(unix)]
#[test]
fn new_review_edit_opens_the_new_review_and_then_the_one_there() {
    use std::os::unix::fs::PermissionsExt;
    let journal = Journal::example();
    let folder = tempfile::tempdir().unwrap();
    let record = folder.path().join("record");
    let editor = folder.path().join("editor.sh");
    fs::write(
        &editor,
        format!("#!/bin/sh\necho \"$1\" >> '{}'\n", record.display()),
    )
    .unwrap();
    fs::set_permissions(&editor, fs::Permissions::from_mode(0o755)).unwrap();
    let visual = format!("'{}'", editor.display());
    let mut args = OCTOBER.to_vec();
    args.push("--edit");
    for _ in 0..2 {
        let output = new_review(&journal, &[("VISUAL", &visual)], &args);
        assert!(output.status.success(), "{output:?}");
    }
    let path = journal.path().join("journal/2026/2026-10-review.md");
    assert_eq!(
        fs::read_to_string(&record).unwrap(),
        format!("{}\n{}\n", path.display(), path.display())
    );
}

#[test]
fn a_pace_that_would_take_centuries_gives_no_forecast_and_the_build_goes_on() {
    let journal = Journal::new()
        .file(
            "goals/far.md",
            "---\ngoal: Far\nmetric: {target: 1000000}\ndue: 2027-01-01\n---\n",
        )
        .entry("2026-09-01", "---\nmetrics: {far: 1}\n---\n")
        .entry("2026-11-01", "---\nmetrics: {far: 2}\n---\n");
    journal.run(&["build", "--today", "2026-11-29"]).success();
    let review = journal.read("_reports/reviews/2026-11.md");
    assert!(review.contains("more than 100 years"), "{review}");
}

/// The first build of a new day computes every review again (each review's key holds
/// today), but renders again only the pages whose fingerprint changed: a past period's
/// review keeps its page's fingerprint, the one still running (whose page shows today's
/// date) gets a new one. A fingerprint that moved with the day would render every
/// review again, about half of a full build, every morning.
#[test]
fn a_new_day_keeps_the_fingerprints_of_past_reviews_pages() {
    let journal = Journal::example();
    let fingerprints = |today: &str| -> Vec<(String, String)> {
        journal.run(&["build", "--today", today]).success();
        let manifest = journal.read("_reports/.trailmark-manifest");
        manifest
            .lines()
            .filter(|line| line.starts_with("reviews/20"))
            .map(|line| {
                let mut fields = line.split('\t');
                let path = fields.next().unwrap().to_string();
                (path, fields.next().unwrap().to_string())
            })
            .collect()
    };
    let before = fingerprints("2026-11-20");
    let after = fingerprints("2026-11-21");
    assert_eq!(
        before.iter().map(|(path, _)| path).collect::<Vec<_>>(),
        after.iter().map(|(path, _)| path).collect::<Vec<_>>()
    );
    let running = [
        "reviews/2026-11.",
        "reviews/2026-Q4.",
        "reviews/2026.",
        "reviews/2026-W47.",
    ];
    let mut past = 0;
    for ((path, was), (_, is)) in before.iter().zip(&after) {
        if running.iter().any(|running| path.starts_with(running)) {
            assert_ne!(was, is, "{path} shows today's date");
        } else {
            assert_eq!(was, is, "{path} of a past period");
            past += 1;
        }
    }
    assert!(past > 10, "{before:?}");
}

/// A build that computes a past review again (a new day changes every review's key, and
/// `--no-cache` knows no key) lets go of it at once when the manifest records its page's
/// fingerprint: its report is most likely kept. When it is not (deleted by hand here),
/// the write stage has the review made again and writes the report it had, byte for
/// byte; a review let go of and left out of the plan would have its reports removed as
/// no longer made.
#[test]
fn a_past_review_let_go_of_is_made_again_when_its_report_is_gone() {
    let journal = Journal::example();
    journal.run(&["build", "--today", "2026-11-20"]).success();
    let paths = [
        "_reports/reviews/2026-W44.html",
        "_reports/reviews/2026-10.md",
    ];
    let before: Vec<String> = paths.iter().map(|path| journal.read(path)).collect();
    for (today, cache) in [("2026-11-21", None), ("2026-11-21", Some("--no-cache"))] {
        for path in paths {
            std::fs::remove_file(journal.path().join(path)).unwrap();
        }
        let args: Vec<&str> = cache
            .into_iter()
            .chain(["build", "--today", today])
            .collect();
        journal.run(&args).success();
        let after: Vec<String> = paths.iter().map(|path| journal.read(path)).collect();
        assert_eq!(before, after, "{args:?}");
    }
}
