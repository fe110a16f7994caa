//! Snapshots of what a person reads: the rendered reports and the terminal output, for the
//! `basic` fixture journal as of a fixed date, and the index's filters (their CSS rules,
//! choices and the goal rows' tokens) for the example journal and for an area that is an
//! XSS payload. HTML reports are snapshotted without the stylesheet they all inline,
//! which is one snapshot of its own (`stylesheet`). After an intended change, review with
//! `cargo insta review` (or rerun with `INSTA_UPDATE=always` and read the diff).

use std::fs;

use crate::common::{Journal, stylesheet_of, trailmark, without_stylesheet};

const TODAY: &str = "2026-03-01";

/// What `trailmark ARGS --today TODAY` prints in the `basic` fixture's folder.
fn run(args: &[&str]) -> String {
    let basic = Journal::fixture("basic");
    let output = trailmark()
        .current_dir(basic.path())
        .args(args)
        .args(["--today", TODAY])
        .output()
        .unwrap();
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn reports() {
    let basic = Journal::fixture("basic");
    basic.run(&["build", "--today", TODAY]).success();
    let reports = basic.path().join("_reports");
    for file in [
        "index.md",
        "index.html",
        "goals/learn-sql.md",
        "goals/learn-sql.html",
        "goals/talks.md",
        "goals/talks.html",
        "reviews/index.md",
        "reviews/2026-02.md",
        "reviews/2026-02.html",
    ] {
        let mut content = fs::read_to_string(reports.join(file)).unwrap();
        if file.ends_with(".html") {
            content = without_stylesheet(&content);
        }
        insta::assert_snapshot!(file.replace('/', "__"), content);
    }
    // The stylesheet every HTML report inlines, once.
    let index = fs::read_to_string(reports.join("index.html")).unwrap();
    insta::assert_snapshot!("stylesheet", stylesheet_of(&index));
}

/// The parts of an index page the filters are made of: the rules in its head, the
/// filter choices, and each goal row's opening tag.
fn filter_parts(index: &str) -> String {
    let between = |from: &str, to: &str| {
        let start = index.find(from).expect("the index has filters");
        let end = start + index[start..].find(to).unwrap() + to.len();
        index[start..end].to_string()
    };
    let rows: Vec<&str> = index
        .lines()
        .flat_map(|line| line.split("<li "))
        .filter(|part| part.starts_with("class=\"goal "))
        .collect();
    format!(
        "{}\n{}\n{}",
        between("<style>\n@media screen", "</style>"),
        between("<div class=\"filters\"", "</div>"),
        rows.join("\n")
    )
}

#[test]
fn index_filters() {
    // The example journal has goals in four areas and five statuses.
    let example = Journal::example();
    example.run(&["build", "--today", "2026-11-20"]).success();
    let index = example.read("_reports/index.html");
    insta::assert_snapshot!(filter_parts(&index));
}

#[test]
fn index_filters_of_a_hostile_area() {
    // An area is any text: the choice shows it escaped, ids and rules use a token.
    let xss = Journal::fixture("xss");
    xss.run(&["build", "--today", "2026-03-20"]).success();
    let index = xss.read("_reports/index.html");
    insta::assert_snapshot!(filter_parts(&index));
}

#[test]
fn status_table() {
    insta::assert_snapshot!(run(&["status"]));
}

#[test]
fn check_output() {
    insta::assert_snapshot!(run(&["check"]));
}

#[test]
fn cadence_strip_and_checkins() {
    // A weekly cadence across ISO week 53, with a paused week, a missed one and check-ins
    // (one with markup to escape); the goal page's section in HTML and in markdown.
    let journal = Journal::new()
        .file(
            "goals/run.md",
            "---\ngoal: Run twice a week\nid: run\nstart: 2026-12-14\n\
             cadence: {count: 2, per: week}\npauses: [{from: 2027-01-04, to: 2027-01-10}]\n---\n\
             - [x] Run ✅ 2026-12-15\n- [x] Run ✅ 2026-12-17\n- [x] Run ✅ 2026-12-22\n\
             - [x] Run ✅ 2026-12-29\n- [x] Run ✅ 2026-12-31\n- [x] Run ✅ 2027-01-12\n",
        )
        .file(
            "2027-01-02.md",
            "---\ncheckins: {run: {confidence: 6, note: \"<b>cold</b> | icy\"}}\n---\n",
        )
        .file(
            "2027-01-12.md",
            "---\ncheckins: {run: {confidence: 8}}\n---\n",
        );
    journal.run(&["build", "--today", "2027-01-13"]).success();
    let html = journal.read("_reports/goals/run.html");
    let start = html
        .find("<h2>Cadence")
        .expect("the goal page has a cadence section");
    let end = start + html[start..].find("</table>").unwrap() + "</table>".len();
    insta::assert_snapshot!("cadence_html", &html[start..end]);
    let markdown = journal.read("_reports/goals/run.md");
    let start = markdown.find("## Cadence").unwrap();
    let end = markdown.find("## Progress over time").unwrap();
    insta::assert_snapshot!("cadence_md", &markdown[start..end]);
    // The index says the current period in a goal's line.
    let index = journal.read("_reports/index.html");
    assert!(
        index.contains("1 of 2 this week, next by <time>2027-01-17</time>"),
        "{index}"
    );
    let index = journal.read("_reports/index.md");
    assert!(index.contains("| 1/2 this week |"), "{index}");
    // The month's review: each week of the cadence in it, and the check-ins.
    let review = journal.read("_reports/reviews/2027-01.md");
    let start = review.find("## Cadence goals").unwrap();
    let end = review.find("## Coming up").unwrap();
    insta::assert_snapshot!("cadence_review_md", &review[start..end]);
}
