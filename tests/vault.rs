//! An Obsidian vault as people keep one (`tests/fixtures/vault/`): settings in
//! `.obsidian/`, attachments, a canvas, note templates in `Templates/`, daily notes, goal
//! notes with Tasks emoji and Dataview fields, wikilinks and a Logseq-style note. The
//! binary must count exactly the tasks a simple line-based reading of the vault finds,
//! follow links to goal notes, warn (when asked to) about a link to a missing note and
//! nothing else, and write nothing into the vault but its reports. A vault that declares
//! no goal (`tests/fixtures/no-goals/`) gets no warning at all.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::common::{Journal, files_in, goal, status_json, stdout, without_stylesheet};

const TODAY: &str = "2026-11-20";

/// Task items by state, counted line by line without trailmark's parser: a list item
/// (`- `, `* `, `+ `, `1. `, after indentation and `>`) whose text starts with a one
/// character checkbox or a Logseq keyword, outside ``` and ~~~ fences. Hidden folders and
/// `Templates/` (the vault's note templates) are not journal files.
fn count_tasks_by_line(root: &Path) -> BTreeMap<&'static str, usize> {
    let mut counts = BTreeMap::new();
    for (path, bytes) in files_in(root) {
        let relative = path.to_string_lossy().replace('\\', "/");
        let skipped = relative.starts_with('.')
            || relative.contains("/.")
            || relative.starts_with("Templates/")
            || relative.starts_with("_reports/");
        if skipped || path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let mut fence: Option<&str> = None;
        for line in String::from_utf8(bytes).unwrap().lines() {
            let trimmed = line.trim_start();
            for marker in ["```", "~~~"] {
                if trimmed.starts_with(marker) {
                    fence = match fence {
                        Some(open) if open == marker => None,
                        None => Some(marker),
                        other => other,
                    };
                }
            }
            if fence.is_some() {
                continue;
            }
            if let Some(state) = task_state(trimmed.trim_start_matches(['>', ' '])) {
                *counts.entry(state).or_default() += 1;
            }
        }
    }
    counts
}

fn task_state(line: &str) -> Option<&'static str> {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let text = if digits > 0 {
        line[digits..].strip_prefix(". ")?
    } else {
        line.strip_prefix("- ")
            .or_else(|| line.strip_prefix("* "))
            .or_else(|| line.strip_prefix("+ "))?
    };
    let cancelled_by_date = text.contains('❌');
    let chars: Vec<char> = text.chars().take(4).collect();
    let state = if chars.len() == 4 && chars[0] == '[' && chars[2] == ']' && chars[3] == ' ' {
        match chars[1] {
            'x' | 'X' => "done",
            '-' => "cancelled",
            _ => "open",
        }
    } else {
        let keyword = text.split(' ').next()?;
        if text.len() == keyword.len() {
            return None;
        }
        match keyword {
            "TODO" | "DOING" | "NOW" | "LATER" | "WAIT" | "WAITING" | "IN-PROGRESS" => "open",
            "DONE" => "done",
            "CANCELED" | "CANCELLED" => "cancelled",
            _ => return None,
        }
    };
    Some(if cancelled_by_date {
        "cancelled"
    } else {
        state
    })
}

fn all_milestones(report: &Value) -> Vec<&Value> {
    report["goals"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["milestones"].as_array().unwrap())
        .chain(report["loose_tasks"].as_array().unwrap())
        .collect()
}

fn milestone<'a>(report: &'a Value, text: &str) -> &'a Value {
    all_milestones(report)
        .into_iter()
        .find(|m| m["text"] == text)
        .unwrap_or_else(|| panic!("no milestone `{text}`"))
}

#[test]
fn task_counts_equal_a_line_by_line_count_of_the_vault() {
    let vault = Journal::fixture("vault");
    let report = status_json(vault.path(), TODAY);
    let expected = count_tasks_by_line(vault.path());
    let mut found: BTreeMap<&str, usize> = BTreeMap::new();
    for m in all_milestones(&report) {
        *found.entry(m["state"].as_str().unwrap()).or_default() += 1;
        // The fixture has no nested tasks, so every milestone is a leaf.
        assert_eq!(m["depth"], 0);
    }
    assert_eq!(found, expected);
    assert!(expected["open"] > 10 && expected["done"] > 5 && expected["cancelled"] >= 4);
    // Cancelled milestones count neither as done nor in the total.
    let counted: u64 = report["goals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["total"].as_u64().unwrap())
        .sum();
    let loose_counted = report["loose_tasks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["state"] != "cancelled")
        .count();
    assert_eq!(
        counted as usize + loose_counted,
        expected["open"] + expected["done"]
    );
}

#[test]
fn wikilinks_assign_milestones_to_goal_notes() {
    let vault = Journal::fixture("vault");
    let report = status_json(vault.path(), TODAY);
    let texts = |id: &str| -> Vec<String> {
        goal(&report, id)["milestones"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["text"].as_str().unwrap().to_string())
            .collect()
    };
    let sql = texts("learn-sql");
    for text in [
        "Practised window functions for Learn SQL",
        "Shipped the cohort query Learn SQL",
        "Review Learn SQL progress",
    ] {
        assert!(sql.contains(&text.to_string()), "{sql:?}");
    }
    let talks = texts("talks");
    for text in [
        "Draft the talk outline for my talk",
        "Outline the blog series Public speaking",
        "Write the first post Public speaking",
    ] {
        assert!(talks.contains(&text.to_string()), "{talks:?}");
    }
    // The nested tag is one tag, and names no goal: the task is loose, without a warning
    // about `#area`.
    let signed = milestone(
        &report,
        "Signed the offer-letter.pdf and filed it #area/admin",
    );
    assert_eq!(signed["state"], "done");
}

#[test]
fn only_the_link_to_a_missing_note_is_a_link_warning() {
    let vault = Journal::fixture("vault");
    // Off by default (links to notes not yet written are normal in Obsidian).
    let quiet = status_json(vault.path(), TODAY);
    assert!(
        !quiet.to_string().contains("names no note"),
        "{:#}",
        quiet["diagnostics"]
    );
    vault.write("trailmark.toml", "[warnings]\nmissing_notes = true\n");
    let report = status_json(vault.path(), TODAY);
    let diagnostics = report["diagnostics"].as_array().unwrap();
    let links: Vec<&Value> = diagnostics
        .iter()
        .filter(|d| d["message"].as_str().unwrap().contains("[["))
        .filter(|d| d["message"].as_str().unwrap().starts_with("link"))
        .collect();
    assert_eq!(links.len(), 1, "{diagnostics:#?}");
    let link = links[0];
    assert_eq!(link["severity"], "warning");
    assert_eq!(link["file"], "Daily/2026-11-16.md");
    assert_eq!(link["line"], 12);
    assert_eq!(link["column"], 27);
    assert!(
        link["message"]
            .as_str()
            .unwrap()
            .contains("`[[Offsite plan]]` names no note in the journal; create `Offsite plan.md`")
    );
    // Nothing about templates, attachments, the canvas or the settings.
    for d in diagnostics {
        let file = d["file"].as_str().unwrap();
        assert!(
            !file.starts_with("Templates/") && !file.starts_with('.'),
            "{d}"
        );
        assert_ne!(d["severity"], "error", "{d}");
        assert!(
            !d["message"].as_str().unwrap().contains("tag `#area"),
            "{d}"
        );
    }
    assert!(
        report["goals"]
            .as_array()
            .unwrap()
            .iter()
            .all(|g| !g["title"].as_str().unwrap().contains("{{")),
        "a note template was read as a goal"
    );
}

#[test]
fn tasks_metadata_and_fields_are_in_the_json() {
    let vault = Journal::fixture("vault");
    let report = status_json(vault.path(), TODAY);
    let window = milestone(&report, "Window functions for cohort retention");
    assert_eq!(window["priority"], "high");
    assert_eq!(window["priority_rank"], 1);
    assert_eq!(window["due"], "2026-11-30");
    assert_eq!(window["scheduled"], "2026-11-23");
    let review = milestone(&report, "Weekly query review");
    assert_eq!(review["recurrence"], "every week on Friday");
    assert_eq!(review["priority"], "medium");
    let dashboard = milestone(&report, "Build the campaign dashboard");
    assert_eq!(dashboard["priority"], "highest");
    assert_eq!(dashboard["priority_rank"], 0);
    assert_eq!(dashboard["start"], "2026-11-16");
    assert_eq!(dashboard["created"], "2026-11-01");
    assert_eq!(dashboard["fields"]["effort"], "2d");
    // ✅ with a variation selector.
    let joins = milestone(&report, "Joins across campaign and order tables");
    assert_eq!(joins["done_on"], "2026-10-03");
    assert_eq!(joins["done_on_source"], "marker");
    let plain = milestone(&report, "Pick a topic");
    assert!(plain.get("priority").is_none() && plain.get("fields").is_none());

    let stored = milestone(&report, "Learn stored procedures");
    assert_eq!(stored["state"], "cancelled");
    assert_eq!(stored["cancelled_on"], "2026-11-10");
    assert_eq!(milestone(&report, "NoSQL detour")["state"], "cancelled");
    assert_eq!(
        milestone(&report, "Try the Logseq whiteboard")["state"],
        "cancelled"
    );
    assert_eq!(
        milestone(&report, "Migrate notes from Logseq")["state"],
        "done"
    );
    let sql = goal(&report, "learn-sql");
    assert_eq!(
        (sql["done"].as_u64(), sql["total"].as_u64()),
        (Some(4), Some(11))
    );
    assert_eq!(sql["fields"]["status"], "in progress");
    assert_eq!(sql["fields"]["mentor"], "Dana Wu");
    let entry = sql["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["file"] == "Daily/2026-11-16.md")
        .unwrap();
    assert_eq!(entry["fields"]["mood"], "focused");
    assert_eq!(entry["fields"]["energy"], "7");
}

#[test]
fn build_writes_only_into_its_output_folder() {
    let vault = Journal::fixture("vault");
    let before = snapshot_of(vault.path());
    vault.run(&["build", "--today", TODAY]).success();
    let after = snapshot_of(vault.path());
    let reports: Vec<&String> = after
        .keys()
        .filter(|p| p.starts_with("_reports/"))
        .collect();
    assert!(
        reports
            .iter()
            .any(|p| *p == "_reports/goals/learn-sql.html")
    );
    let outside: BTreeMap<_, _> = after
        .into_iter()
        .filter(|(p, _)| !p.starts_with("_reports/"))
        .collect();
    assert_eq!(outside, before);

    let page = vault.path().join("_reports/goals");
    for file in ["learn-sql.md", "learn-sql.html"] {
        let mut content = fs::read_to_string(page.join(file)).unwrap();
        if file.ends_with(".html") {
            content = without_stylesheet(&content);
        }
        insta::assert_snapshot!(format!("goals__{file}"), content);
    }
}

/// Every file below `root` with its bytes, by relative path with `/` separators.
fn snapshot_of(root: &Path) -> BTreeMap<String, Vec<u8>> {
    files_in(root)
        .into_iter()
        .map(|(path, bytes)| (path.to_string_lossy().replace('\\', "/"), bytes))
        .collect()
}

#[test]
fn check_on_a_vault_without_goals_prints_no_warning() {
    // Tasks, `#task` tags, headings such as `Pre-requisites` and `2025-06-19`, empty
    // notes, a `---` thematic break on a first line and links to notes not yet written:
    // all normal in a vault that declares no goal.
    let vault = Journal::fixture("no-goals");
    for args in [&["check"][..], &["check", "--verbose"]] {
        let out = stdout(&vault.run(args).success());
        let problems: Vec<&str> = out
            .lines()
            .filter(|line| !line.starts_with("read "))
            .collect();
        assert_eq!(problems, ["0 errors, 0 warnings, 0 hints"], "{out}");
    }
    let report = status_json(vault.path(), TODAY);
    assert_eq!(report["diagnostics"], Value::Array(vec![]), "{report:#}");
    // Quiet, yet every task is still read and reported (a nested one too).
    assert_eq!(report["loose_tasks"].as_array().unwrap().len(), 9);
}
