//! One status model: every page says the same status and "stalled" for every goal.

use serde_json::Value;

use crate::common::{Journal, status_json, stdout, trailmark};

/// (status, stalled) of the goal `id` on the index page.
fn on_index(index: &str, id: &str) -> (String, bool) {
    let link = format!("href=\"goals/{id}.html\"");
    let item = index
        .split("<li class=\"goal ")
        // Not the page above the goal list, whose "What needs me now" links goals too.
        .skip(1)
        .find(|item| item.contains(&link))
        .unwrap_or_else(|| panic!("{id} is not on the index"));
    let status = attribute(item, "data-status=\"");
    let badges = &item[..item.find("<div class=\"meta\">").unwrap()];
    (status, badges.contains("class=\"status stalled\""))
}

/// (status, stalled) on the goal's own page.
fn on_goal_page(page: &str) -> (String, bool) {
    let line = page
        .lines()
        .find(|line| line.starts_with("<p><span class=\"status "))
        .expect("a status line");
    (
        attribute(line, "<p><span class=\"status "),
        line.contains("class=\"status stalled\""),
    )
}

/// (status, stalled) on the goal's line of `trailmark status`.
fn on_status_table(table: &str, title: &str) -> (String, bool) {
    let line = table
        .lines()
        .find(|line| line.trim_start().starts_with(title))
        .unwrap_or_else(|| panic!("{title} is not in the table"));
    let last = line.rsplit("  ").next().unwrap().trim();
    match last.strip_suffix(", stalled") {
        Some(status) => (status.to_string(), true),
        None => (last.to_string(), false),
    }
}

/// The text from `prefix` up to the next `"`.
fn attribute(text: &str, prefix: &str) -> String {
    let start = text.find(prefix).unwrap() + prefix.len();
    let end = start + text[start..].find('"').unwrap();
    text[start..end].to_string()
}

#[test]
fn every_page_says_the_same_status_and_stalled_for_every_goal() {
    for today in ["2026-10-20", "2026-11-20", "2027-01-10"] {
        same_status_and_stalled_everywhere(today);
    }
}

fn same_status_and_stalled_everywhere(today: &str) {
    let journal = Journal::example();
    journal.run(&["build", "--today", today]).success();
    let json = status_json(journal.path(), today);
    // Wide enough for every title whole.
    let table = stdout(
        &trailmark()
            .env("COLUMNS", "200")
            .args(["status", "--today", today])
            .arg(journal.path())
            .assert()
            .success(),
    );
    let index = journal.read("_reports/index.html");
    let review: Value = serde_json::from_str(&stdout(
        &journal
            .run(&[
                "review", "--period", "month", "--date", today, "--today", today, "--format",
                "json",
            ])
            .success(),
    ))
    .unwrap();
    let goals = json["goals"].as_array().unwrap();
    assert!(goals.len() >= 7);
    let mut stalled_seen = 0;
    for goal in goals {
        let id = goal["id"].as_str().unwrap();
        let title = goal["title"].as_str().unwrap();
        let expected = (
            goal["status"].as_str().unwrap().to_string(),
            goal["stalled"].as_bool().unwrap(),
        );
        stalled_seen += usize::from(expected.1);
        assert_eq!(on_index(&index, id), expected, "index: {id} on {today}");
        let page = journal.read(&format!("_reports/goals/{id}.html"));
        assert_eq!(on_goal_page(&page), expected, "goal page: {id} on {today}");
        assert_eq!(
            on_status_table(&table, title),
            expected,
            "status: {id} on {today}"
        );
        // The review of the month in progress is as of today: a goal in its progress
        // table has the same status and stalled flag, and it needs attention for being
        // stalled exactly when it is stalled.
        let rows = review["progress"].as_array().unwrap().iter();
        let rows = rows.chain(review["unchanged"].as_array().unwrap());
        for row in rows.filter(|row| row["goal"] == id) {
            assert_eq!(row["status"], goal["status"], "review: {id} on {today}");
            assert_eq!(row["stalled"], goal["stalled"], "review: {id} on {today}");
        }
        let attention = review["needs_attention"].as_array().unwrap();
        let stalled_in_review = attention.iter().any(|a| {
            a["goal"] == id
                && a["reasons"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|r| r.as_str().unwrap().starts_with("stalled: "))
        });
        assert_eq!(
            stalled_in_review, expected.1,
            "review needs attention: {id} on {today}"
        );
    }
    assert!(
        stalled_seen > 0,
        "the example journal has a stalled goal on {today}"
    );
}
