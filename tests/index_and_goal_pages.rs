//! The index and goal pages as a person reads them: "What needs me now" at the top of
//! the index, in HTML, markdown and JSON; goal pages that link to the reviews and to the
//! goals around them, show milestones without their goal's own tag and keep where things
//! are written in a collapsed "Source" section.

use crate::common::{Journal, status_json};

const TODAY: &str = "2026-03-01";

/// Goals of every kind "What needs me now" lists, as of [`TODAY`]: one overdue with an
/// overdue milestone, one with a milestone due soon and a high-priority one, one idle
/// for 50 days, and a paused one whose dates are past (which asks nothing).
fn journal() -> Journal {
    Journal::new()
        .file(
            "goals/late.md",
            "---\ngoal: Late\nstart: 2026-01-01\ndue: 2026-02-01\n---\n\
             - [x] begun ✅ 2026-01-05\n- [ ] finish the draft 📅 2026-02-20\n- [ ] polish\n",
        )
        .file(
            "goals/soon.md",
            "---\ngoal: Soon\nstart: 2026-02-20\n---\n\
             - [ ] book the room 📅 2026-03-10 #soon\n- [ ] #soon send invites ⏫\n",
        )
        .file(
            "goals/idle.md",
            "---\ngoal: Idle\nstart: 2026-01-01\n---\n\
             - [x] first ✅ 2026-01-10\n- [ ] second\n",
        )
        .file(
            "goals/resting.md",
            "---\ngoal: Resting\nstatus: paused\ndue: 2026-01-15\n---\n\
             - [ ] overdue but paused 📅 2026-01-20\n",
        )
        .entry(
            "2026-02-25",
            "# Tuesday\n\n- [x] drafted the agenda #soon\n",
        )
        .entry(
            "2026-02-26",
            "# Week of 2026-02-26\n\nNothing about it.\n\nRoom is booked, invites next. #soon\n",
        )
}

/// Asserts that `parts` appear in `text` in this order.
fn assert_in_order(text: &str, parts: &[&str]) {
    let mut from = 0;
    for part in parts {
        match text[from..].find(part) {
            Some(at) => from += at + part.len(),
            None => panic!("{part:?} is not after {:?} in:\n{text}", &text[..from]),
        }
    }
}

/// The text of `text` from `start` to `end`, both of which must be in it.
fn between<'t>(text: &'t str, start: &str, end: &str) -> &'t str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("no {start:?} in {text}"));
    let to = from
        + text[from..]
            .find(end)
            .unwrap_or_else(|| panic!("no {end:?}"));
    &text[from..to]
}

#[test]
fn the_index_starts_with_what_needs_me_now() {
    let journal = journal();
    journal.run(&["build", "--today", TODAY]).success();

    let html = journal.read("_reports/index.html");
    let needs = between(&html, "<h2 id=\"needs-now\">", "<h2>All goals</h2>");
    assert_in_order(
        needs,
        &[
            "<h3>Overdue</h3>",
            ">Late</a>",
            "28 days ago",
            "finish the draft",
            "9 days ago",
            "<h3>Due in the next 14 days</h3>",
            "book the room",
            "in 9 days",
            ">Soon</a>",
            "<h3>Stalled</h3>",
            ">Late</a>",
            "nothing done since <time>2026-01-05</time> (55 days)",
            ">Idle</a>",
            "nothing done since <time>2026-01-10</time> (50 days)",
            "<h3>Next up</h3>",
            "second",
            "send invites",
            "high priority",
        ],
    );
    assert!(
        !needs.contains("Resting") && !needs.contains("paused"),
        "{needs}"
    );
    // Each milestone once: Late's next milestone is overdue, so it is not next up too.
    assert_eq!(needs.matches("finish the draft").count(), 1, "{needs}");
    // The header links to the reviews.
    assert_in_order(&html, &["<header>", "href=\"reviews/index.html\"", "<main"]);

    let markdown = journal.read("_reports/index.md");
    assert_in_order(
        &markdown,
        &[
            "[Reviews](reviews/index.md)",
            "## What needs me now",
            "### Overdue",
            // Each item on a line of its own: a goal's line once ran into the next item.
            "- Goal [Late](goals/late.md): due 2026-02-01 (28 days ago)\n\
             - finish the draft: due 2026-02-20 (9 days ago) · [Late](goals/late.md)\n",
            "### Due in the next 14 days",
            "- book the room: due 2026-03-10 (in 9 days) · [Soon](goals/soon.md)",
            "### Stalled",
            "- [Late](goals/late.md): nothing done since 2026-01-05 (55 days)",
            "- [Idle](goals/idle.md): nothing done since 2026-01-10 (50 days)",
            "### Next up",
            "- second · [Idle](goals/idle.md)",
            "- send invites (high priority) · [Soon](goals/soon.md)",
            "## All goals",
        ],
    );

    // The same lists in the JSON, for scripts.
    let report = status_json(journal.path(), TODAY);
    let needs = &report["needs_now"];
    assert_eq!(needs["due_soon_days"], 14);
    assert_eq!(needs["overdue_goals"][0]["goal"], "late");
    assert_eq!(
        needs["overdue_milestones"][0]["milestone"]["text"],
        "finish the draft"
    );
    assert_eq!(needs["due_soon"][0]["days_left"], 9);
    let next_up: Vec<&str> = needs["next_up"]
        .as_array()
        .unwrap()
        .iter()
        .map(|need| need["goal"].as_str().unwrap())
        .collect();
    assert_eq!(next_up, ["idle", "soon"]);
}

#[test]
fn a_cadence_goal_without_a_due_date_is_overdue_for_the_periods_it_missed() {
    // Two missed weeks in a row make a cadence goal overdue; with no due date, the index
    // says which periods instead of a due date (it failed to render before).
    let journal = Journal::new().file(
        "weekly.md",
        "---\ngoal: Write weekly\ncadence: {count: 1, per: week, start: 2026-02-02}\n---\n",
    );
    journal.run(&["build", "--today", "2026-06-01"]).success();

    let html = journal.read("_reports/index.html");
    let needs = between(&html, "<h2 id=\"needs-now\">", "<h2>All goals</h2>");
    assert_in_order(
        needs,
        &[
            "<h3>Overdue</h3>",
            ">Write weekly</a>",
            "missed its last 17 weeks",
        ],
    );
    let markdown = journal.read("_reports/index.md");
    assert!(
        markdown.contains("(goals/write-weekly.md): missed its last 17 weeks"),
        "{markdown}"
    );
}

#[test]
fn a_journal_with_nothing_pressing_says_so() {
    let journal = Journal::new().goal("calm.md", "Calm", "- [ ] one step\n");
    journal.run(&["build", "--today", TODAY]).success();
    let html = journal.read("_reports/index.html");
    assert_in_order(
        &html,
        &[
            "What needs me now",
            "Nothing overdue, due in the next 14 days or stalled.",
            "<h3>Next up</h3>",
            "one step",
            "All goals",
        ],
    );
}

#[test]
fn goal_pages_link_the_reviews_and_the_goals_around_them() {
    let journal = journal();
    journal.run(&["build", "--today", TODAY]).success();
    // The index lists Late (overdue), Idle and Soon (open, by title), Resting (paused).
    let soon = journal.read("_reports/goals/soon.html");
    let header = between(&soon, "<header>", "</header>");
    assert_in_order(
        header,
        &[
            "href=\"../index.html\"",
            "href=\"../reviews/index.html\">Reviews</a>",
            "href=\"idle.html\" rel=\"prev\"",
            "Idle",
            "href=\"resting.html\" rel=\"next\"",
            "Resting",
        ],
    );
    let first = journal.read("_reports/goals/late.html");
    let header = between(&first, "<header>", "</header>");
    assert!(!header.contains("rel=\"prev\""), "{header}");
    assert!(
        header.contains("href=\"idle.html\" rel=\"next\""),
        "{header}"
    );
    let markdown = journal.read("_reports/goals/soon.md");
    assert_in_order(
        &markdown,
        &[
            "[Reviews](../reviews/index.md)",
            "Previous goal: [Idle](idle.md) · Next goal: [Resting](resting.md)",
        ],
    );
}

#[test]
fn goal_pages_show_milestones_without_their_own_tag_or_where_they_are_written() {
    let journal = journal();
    journal.run(&["build", "--today", TODAY]).success();
    let soon = journal.read("_reports/goals/soon.html");
    let milestones = between(&soon, "<h2>Milestones</h2>", "</ul>");
    assert_in_order(
        milestones,
        // In file order: the entry's milestone, then the goal file's.
        &[
            ">drafted the agenda</span>",
            "<span>done <time>2026-02-25</time></span>",
            ">book the room</span>",
            "<span>due <time>2026-03-10</time></span>",
            ">send invites</span>",
        ],
    );
    assert!(!milestones.contains("#soon"), "{milestones}");
    // Where things are written: collapsed at the end, not after every milestone.
    assert!(!milestones.contains(".md:"), "{milestones}");
    assert!(!soon.contains("<dt>Declared in</dt>"), "{soon}");
    assert!(!soon.contains("<h2>Timeline</h2>"), "{soon}");
    let source = between(&soon, "<details class=\"source\">", "</details>");
    assert_in_order(
        source,
        &[
            "<summary>Source</summary>",
            "Declared in <span class=\"path\">goals&#x2f;soon.md:2</span>",
            "<span class=\"path\">2026-02-25.md</span>: line 3",
            "<span class=\"path\">goals&#x2f;soon.md</span>: lines 5, 6",
            "Journal entries that mention it:",
            "<span class=\"path\">2026-02-26.md</span>: line 5",
        ],
    );
    // The review's wins show the milestone as the goal page does.
    let review = journal.read("_reports/reviews/2026-02.html");
    let wins = between(&review, "Wins to celebrate", "</ul>");
    assert!(wins.contains("drafted the agenda"), "{wins}");
    assert!(!wins.contains("#soon"), "{wins}");
    // Entries by the lines that mention the goal, the title only when it is more than
    // the date.
    let entries = between(&soon, "<h2>Journal entries</h2>", "</ul>");
    assert_in_order(
        entries,
        &[
            "<time>2026-02-26</time>: Room is booked, invites next.</li>",
            "<time>2026-02-25</time> · Tuesday: drafted the agenda</li>",
        ],
    );
    assert!(!entries.contains("Week of"), "{entries}");
    let markdown = journal.read("_reports/goals/soon.md");
    assert!(!markdown.contains("#soon"), "{markdown}");
    assert_in_order(
        &markdown,
        &[
            "## Journal entries",
            "- 2026-02-26: Room is booked, invites next.\n",
            "- 2026-02-25 · Tuesday: drafted the agenda\n",
        ],
    );
    assert_in_order(
        &markdown,
        &[
            "- [ ] book the room (due 2026-03-10)\n",
            "## Source",
            "Declared in goals/soon.md:2.",
        ],
    );
}
