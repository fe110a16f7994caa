//! Hostile sizes: journals and templates made to take quadratic time or space, or to never
//! end. Each must finish in seconds with reports of sensible size. The bounds are
//! generous (a debug build on a busy machine); the quadratic behaviour they guard against
//! took minutes or gigabytes at these sizes.

use std::fs;
use std::time::Instant;

use serde_json::Value;

use crate::common::{HANG_LIMIT, Journal, trailmark};

/// A journal of `goals` (front-matter list items), in files of at most 1,000 goals each,
/// as one front-matter block may hold at most 50,000 YAML nodes.
fn journal_of_goals(goals: impl Iterator<Item = String>) -> Journal {
    let journal = Journal::new();
    let goals: Vec<String> = goals.collect();
    for (n, chunk) in goals.chunks(1000).enumerate() {
        let text = format!("---\ngoals:\n{}---\n", chunk.concat());
        journal.write(&format!("goals/part-{n}.md"), text);
    }
    journal
}

/// Runs `args` on the journal, as of 2026-11-20, and checks that it ends within
/// [`HANG_LIMIT`] with `code`; returns stdout.
fn run_in_time(journal: &Journal, args: &[&str], code: i32) -> String {
    let started = Instant::now();
    let output = trailmark()
        .args(args)
        .args(["--today", "2026-11-20"])
        .arg(journal.path())
        .timeout(HANG_LIMIT)
        .output()
        .unwrap();
    let elapsed = started.elapsed();
    assert!(elapsed < HANG_LIMIT, "{args:?} took {elapsed:?}");
    assert_eq!(
        output.status.code(),
        Some(code),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// `status --json` of the journal, which must end within [`HANG_LIMIT`] and succeed.
fn status_in_time(journal: &Journal) -> Value {
    serde_json::from_str(&run_in_time(journal, &["status", "--json"], 0)).unwrap()
}

#[test]
fn a_deep_chain_of_parents_builds_with_reports_of_sensible_size() {
    // An arrow per level made index.md grow with the square of the depth: 200 MB at
    // this depth, 3.6 GB at 40,000.
    let depth = 10_000;
    let dir = journal_of_goals((0..depth).map(|i| {
        let parent = if i > 0 {
            format!("    parent: g{}\n", i - 1)
        } else {
            String::new()
        };
        format!("  - title: Goal {i}\n    id: g{i}\n{parent}")
    }));
    run_in_time(&dir, &["build"], 0);
    let reports = dir.path().join("_reports");
    let index = fs::read_to_string(reports.join("index.md")).unwrap();
    assert!(index.len() < 3_000_000, "index.md is {} bytes", index.len());
    assert!(index.contains("| ↳ ↳ ↳ ↳ [Goal 4](goals/g4.md) |"));
    assert!(index.contains("| ↳ ×9999 [Goal 9999](goals/g9999.md) |"));
    let html = fs::metadata(reports.join("index.html")).unwrap().len();
    assert!(html < 10_000_000, "index.html is {html} bytes");
}

#[test]
fn a_cycle_of_40000_parents_is_found_and_named_briefly() {
    // Every walk up the tree, the cycle check and the goal tree run on a chain this
    // deep: none may recurse (the stack) or walk the chain once per goal (the time).
    let depth = 40_000;
    let dir = journal_of_goals((0..depth).map(|i| {
        let parent = (i + depth - 1) % depth;
        format!("  - title: Goal {i}\n    id: g{i}\n    parent: g{parent}\n")
    }));
    let report = status_in_time(&dir);
    let cycle: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["message"].as_str())
        .filter(|m| m.contains("cycle of parents"))
        .collect();
    assert_eq!(cycle.len(), 1, "{cycle:?}");
    assert!(cycle[0].len() < 300, "{}", cycle[0]);
    assert!(
        cycle[0].contains("g0 -> g39999 -> g39998 -> g39997")
            && cycle[0].contains("-> … 39992 more -> g0"),
        "{}",
        cycle[0]
    );
    let goals = report["goals"].as_array().unwrap();
    assert_eq!(goals.len(), depth);
    // The link that closed the cycle is dropped: one root, one long chain.
    assert_eq!(goals.iter().filter(|g| g["parent"].is_null()).count(), 1);
}

/// The diagnostics' messages of `status --json` on the journal.
fn messages(journal: &Journal) -> Vec<String> {
    status_in_time(journal)["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn thousands_of_unknown_parents_are_warned_in_seconds() {
    // Each unknown parent was compared with every goal id: 20 s at 4,000.
    let dir = journal_of_goals(
        (0..4000).map(|i| format!("  - title: Goal {i}\n    parent: missing-parent-{i}\n")),
    );
    dir.write("a-typo.md", "---\ngoal: Typo\nparent: goal-12x\n---\n");
    let messages = messages(&dir);
    let unknown = messages
        .iter()
        .filter(|m| m.contains("names no goal"))
        .count();
    assert_eq!(unknown, 4001);
    // The first unknown names still get hints.
    assert!(
        messages.contains(&"parent `goal-12x` names no goal; did you mean `goal-12`?".to_string()),
        "{:?}",
        messages.last()
    );
}

#[test]
fn twenty_thousand_goals_of_one_title_get_their_ids_in_seconds() {
    // Each duplicate tried every suffix from `-2` up: 35 s at 20,000.
    let count = 20_000;
    let dir = journal_of_goals((0..count).map(|_| "  - title: Same title\n".to_string()));
    let report = status_in_time(&dir);
    let mut ids: Vec<&str> = report["goals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), count);
    assert!(ids.contains(&"same-title") && ids.contains(&"same-title-20000"));
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), count, "every id is unique");
}

#[test]
fn a_hundred_thousand_unknown_tags_are_checked_in_seconds() {
    // Each unknown tag was compared with every goal id: 53 s.
    let dir = journal_of_goals((0..1000).map(|i| format!("  - title: Goal {i}\n")));
    let tasks: String = (0..100_000)
        .map(|i| format!("- [ ] step #topic-{i}\n"))
        .collect();
    dir.write("2026-01-01.md", format!("- [ ] #goal-7x typo\n{tasks}"));
    let messages = messages(&dir);
    // Only the tag near a goal id is warned (the others are far from every id).
    let unknown = messages
        .iter()
        .filter(|m| m.starts_with("tag `#") && m.contains("names no goal"))
        .count();
    assert_eq!(unknown, 1);
    assert!(messages.contains(&"tag `#goal-7x` names no goal; did you mean `goal-7`?".to_string()));
}

#[test]
fn half_a_million_wikilinks_in_one_paragraph_are_read_in_seconds() {
    // Each link's column was counted from the start of its line: over 60 s.
    let links = "[[goal]] ".repeat(500_000);
    let dir = Journal::new()
        .goal("goal.md", "Goal", "")
        .file("trailmark.toml", "[warnings]\nmissing_notes = true\n")
        .entry("2026-01-01", &format!("{links}[[nowhere]]\n"));
    let messages = messages(&dir);
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("link `[[nowhere]]` names no note")),
        "{messages:?}"
    );
}

#[test]
fn a_template_that_never_ends_fails_naming_it() {
    let dir = Journal::new().goal("goal.md", "Goal", "").file(
        "templates/index.md",
        "{% for a in range(100000) %}{% for b in range(100000) %}{{ a }}{% endfor %}{% endfor %}\n",
    );
    let started = Instant::now();
    let output = trailmark()
        .arg("build")
        .arg(dir.path())
        .timeout(HANG_LIMIT)
        .output()
        .unwrap();
    assert!(started.elapsed() < HANG_LIMIT);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("template index.md: stopped after 100000000 steps without finishing")
            && stderr.contains("a loop in the template runs too long or never ends"),
        "{stderr}"
    );
}

#[test]
fn fifty_thousand_problems_on_one_line_are_shown_in_seconds() {
    // Each problem's snippet copied and counted its whole line: 8 s for 80,000 problems
    // on one line (release build), over 5 minutes at this size in a debug build.
    let count = 50_000;
    let links: Vec<String> = (0..count).map(|i| format!("[[note-{i}]]")).collect();
    let dir = Journal::new()
        .goal("goal.md", "Goal", "")
        .file("trailmark.toml", "[warnings]\nmissing_notes = true\n")
        .entry("2026-01-01", &(links.join(" ") + "\n"));
    let out = run_in_time(&dir, &["check"], 0);
    assert!(
        out.contains(&format!("0 errors, {count} warnings")),
        "{}",
        tail(&out)
    );
    // Each snippet is a window around its place, not the whole line.
    let widest = out.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(widest < 300, "a line of {widest} characters");
    let last = out
        .split_once("link `[[note-49999]]` names no note")
        .unwrap()
        .1;
    let shown: Vec<&str> = last.lines().skip(2).take(2).collect();
    // The line starts with `…`, one column of three bytes: count characters.
    let caret = shown[1].find('^').unwrap();
    let pointed: String = shown[0].chars().skip(caret).take(14).collect();
    assert_eq!(pointed, "[[note-49999]]", "{shown:?}");
}

/// The last lines of `text`, for a failure message.
fn tail(text: &str) -> &str {
    &text[text.len().saturating_sub(500)..]
}
