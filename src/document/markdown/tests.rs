//! The body's milestones, notes, headings, tags, links and fields, read from markdown.

use super::*;
use crate::diagnostic::{Diagnostic, Position};
use crate::document::{MilestoneState, Priority, Share};

/// The document of a file that is all body, read with `options`.
fn body_with(text: &str, options: &ParseOptions) -> Document {
    let mut document = Document {
        path: "f.md".into(),
        ..Document::default()
    };
    let mut diagnostics = Vec::new();
    read(
        text,
        0,
        &LineIndex::new(text),
        options,
        &mut document,
        &mut diagnostics,
    );
    document.set_diagnostics(diagnostics.into_boxed_slice());
    document
}

/// With the default options, and the diagnostics apart.
fn body(text: &str) -> (Document, Vec<Diagnostic>) {
    let mut document = body_with(text, &ParseOptions::default());
    let diagnostics = document.take_diagnostics();
    (document, diagnostics.into_vec())
}

proptest::proptest! {
    /// `source_markdown` skips text without markup characters; for such text the
    /// plain text must be exactly what the markdown would have been.
    #[test]
    fn text_without_markup_characters_is_its_own_markdown(
        written in "[a-z #:0-9()!>.-]{1,20}( ?(📅|✅) 2026-0[1-9]-1[0-9])?( \\[due:: 2026-01-01\\])?"
    ) {
        let (body, _) = body(&format!("- [ ] {written}\n"));
        if let Some(milestone) = body.milestones.first() {
            let full = metadata::strip_markers(written.trim_start(), &[]).0;
            proptest::prop_assert!(
                milestone.markdown().is_none() && milestone.text.as_str() == full
                    || milestone.markdown() == Some(full.as_str()),
                "{:?} gave text {:?} and markdown {:?}", written, milestone.text, milestone.markdown()
            );
        }
    }
}

#[test]
fn a_milestone_whose_text_starts_below_its_bullet_is_reported_on_the_text_line() {
    // Found by the property test: an empty `*` item holding an indented task list.
    let (nested, _) = body("*\n\t0. [ ] a\r\n-\n  [x] b\n");
    let found: Vec<(&str, u32)> = nested
        .milestones
        .iter()
        .map(|m| (m.text.as_str(), m.position.line))
        .collect();
    assert_eq!(found, [("a", 2), ("b", 4)]);
    // Found by the property test too: a checkbox or a Logseq keyword alone on its
    // line, its text continuing the paragraph below.
    let (below, _) = body("- [/] \r\na\r- TODO \nb [[]]\n- [ ] c\n  d\n");
    let found: Vec<(&str, u32)> = below
        .milestones
        .iter()
        .map(|m| (m.text.as_str(), m.position.line))
        .collect();
    assert_eq!(found, [("a", 2), ("b [[]]", 4), ("c d", 5)]);
}

#[test]
fn markdown_is_kept_as_written_only_when_it_has_markup() {
    let (body, _) = body(
        "- [ ] plain text #sql\n\
             - [x] read **chapter 3** of [the book](https://example.com) 📅 2026-03-01\n\
             - [-] `cancelled` step\n\
             \x20 continued <b>here</b>\n\
             \x20 - [ ] nested *child*\n\
             \n\
             # Wins\n\
             \n\
             Shipped the *migration*.\n",
    );
    let milestones: Vec<(&str, Option<&str>)> = body
        .milestones
        .iter()
        .map(|m| (m.text.as_str(), m.markdown()))
        .collect();
    assert_eq!(
        milestones,
        [
            ("plain text #sql", None),
            (
                "read chapter 3 of the book",
                Some("read **chapter 3** of [the book](https://example.com)")
            ),
            (
                "cancelled step continued here",
                Some("`cancelled` step continued <b>here</b>")
            ),
            ("nested child", Some("nested *child*")),
        ]
    );
    assert_eq!(
        body.notes[0].markdown.as_deref(),
        Some("Shipped the *migration*.")
    );
}

fn notes(text: &str) -> Vec<(NoteKind, String, u32)> {
    body(text)
        .0
        .notes
        .into_iter()
        .map(|n| (n.kind, n.text.to_string(), n.position.line))
        .collect()
}

#[test]
fn reference_links_keep_their_target_in_the_markdown() {
    // The markdown is rendered alone, without the file's link definitions.
    let (body, _) = body(
        "# Wins\n\n- [x] Read [the *book*][b] and [`docs`][] and [ref]\n\
         - Shipped [it][B]\n\n\
         [b]: https://example.com/a\\b \"A \\\"title\\\"\"\n\
         [`docs`]: <https://example.com/a b>\n[ref]: https://example.com/(r)\n",
    );
    assert_eq!(
        body.milestones[0].markdown(),
        Some(
            "Read [the *book*](<https://example.com/a\\\\b> \"A \\\"title\\\"\") and \
             [`docs`](<https://example.com/a b>) and [ref](<https://example.com/(r)>)"
        )
    );
    let markdown: Vec<_> = body.notes.iter().map(|n| n.markdown.as_deref()).collect();
    assert_eq!(
        markdown,
        [
            body.milestones[0].markdown(),
            Some("Shipped [it](<https://example.com/a\\\\b> \"A \\\"title\\\"\")")
        ]
    );
}

#[test]
fn notes_are_the_top_level_items_and_paragraphs_of_their_sections() {
    let text = "# Week
## 🎉 Wins!
- Shipped **it**
  - detail, not a note
- [x] task win ✅ 2026-01-02

## What I learned
Rehearse
out loud.

### Details
- still a lesson
## Plans
- not a note
## Feedback
```
- code
```
> quoted
";
    assert_eq!(
        notes(text),
        [
            (NoteKind::Win, "Shipped it".to_string(), 3),
            (NoteKind::Win, "task win".to_string(), 5),
            (NoteKind::Lesson, "Rehearse out loud.".to_string(), 8),
            (NoteKind::Lesson, "still a lesson".to_string(), 12),
            // Quoted feedback is feedback; code is not.
            (NoteKind::Feedback, "quoted".to_string(), 19),
        ]
    );
}

#[test]
fn a_heading_keeps_its_text_without_its_share_marker_and_opens_its_section() {
    let (body, _) = body(
        "## Feedback   {share: Mentor}\n- kind *words*\n\n## Wins {not a marker}\n- not a note\n\
         # \tSpaced \u{a0} out\t\n",
    );
    let headings: Vec<_> = body
        .headings
        .iter()
        .map(|h| (&*h.text, h.share.as_deref().cloned()))
        .collect();
    assert_eq!(
        headings,
        [
            ("Feedback", Some(Share::With(vec!["mentor".into()]))),
            ("Wins {not a marker}", None),
            ("Spaced out", None),
        ]
    );
    let notes: Vec<_> = body
        .notes
        .iter()
        .map(|n| (n.kind, n.text.as_str()))
        .collect();
    assert_eq!(notes, [(NoteKind::Feedback, "kind words")]);
}

#[test]
fn section_names_match_synonyms_only() {
    for (heading, kind) in [
        ("Wins", Some(NoteKind::Win)),
        ("ACHIEVEMENTS", Some(NoteKind::Win)),
        ("Lessons learned:", Some(NoteKind::Lesson)),
        ("TIL", Some(NoteKind::Lesson)),
        ("Feedback received", Some(NoteKind::Feedback)),
        ("What went well", Some(NoteKind::Win)),
        ("What to adjust", Some(NoteKind::Adjustment)),
        ("What to learn next", Some(NoteKind::LearnNext)),
        ("Winter plans", None),
        ("Learn SQL", None),
    ] {
        assert_eq!(
            crate::document::Sections::default().kind_of_heading(heading),
            kind,
            "{heading}"
        );
    }
}

fn milestones(text: &str) -> Vec<(String, MilestoneState, u32)> {
    milestones_with(text, &ParseOptions::default())
}

fn milestones_with(text: &str, options: &ParseOptions) -> Vec<(String, MilestoneState, u32)> {
    body_with(text, options)
        .milestones
        .into_iter()
        .map(|m| (m.text.to_string(), m.state, m.depth))
        .collect()
}

fn m(text: &str, state: MilestoneState, depth: u32) -> (String, MilestoneState, u32) {
    (text.to_string(), state, depth)
}

use MilestoneState::{Cancelled, Done, Open};

#[test]
fn every_bullet_kind_and_checked_state() {
    let found = milestones("- [ ] a\n* [x] b\n+ [X] c\n1. [ ] d\n2) [x] e\n");
    assert_eq!(
        found,
        [
            m("a", Open, 0),
            m("b", Done, 0),
            m("c", Done, 0),
            m("d", Open, 0),
            m("e", Done, 0)
        ]
    );
}

#[test]
fn other_bracket_states() {
    let found = milestones("- [-] no\n- [/] half\n- [>] later\n- [!] important\n- [?] maybe\n");
    assert_eq!(
        found,
        [
            m("no", Cancelled, 0),
            m("half", Open, 0),
            m("later", Open, 0),
            m("important", Open, 0),
            m("maybe", Open, 0)
        ]
    );
}

#[test]
fn escaped_brackets_are_text_not_states() {
    // GitHub shows `- \[x] a` as a bullet "[x] a": the backslash makes the bracket text.
    let found = milestones("- \\[x] a\n- \\[-] b\n- \\[/] c\n- \\[ ] d\n- [x] e\n");
    assert_eq!(found, [m("e", Done, 0)]);
}

#[test]
fn a_closing_fence_followed_by_a_tab_closes_the_fence() {
    // CommonMark allows spaces or tabs after a closing fence; pulldown-cmark 0.13 reads
    // the tab as more code, and every later task vanished.
    let text = "```\n- [ ] code\n```\t\n- [ ] a\n  ~~~~\n  - [ ] code\n  ~~~~ \t \n- [ ] b\n";
    assert_eq!(milestones(text), [m("a", Open, 0), m("b", Open, 0)]);
}

#[test]
fn obsidian_comments_hide_their_tasks() {
    // Obsidian shows nothing between two `%%`, inline or over several lines.
    let text = "- [ ] a %%hidden [[Nowhere]] #tag%% shown\n\
                %%\n- [ ] in a comment\n\n- [x] still in it\n%%\n\
                - [ ] b `%%` code\n\
                ```\n%%\n```\n\
                - [ ] c %% to the end\n- [ ] gone\n";
    assert_eq!(
        milestones(text),
        [
            m("a shown", Open, 0),
            m("b %% code", Open, 0),
            m("c", Open, 0)
        ]
    );
    let (body, _) = body(text);
    assert!(body.links().is_empty() && body.tags.is_empty());
}

#[test]
fn nesting_depth_and_parents() {
    let (body, _) = body("- [ ] a\n  - [x] b\n    - note\n      - [ ] c\n- [ ] d\n");
    let shape: Vec<_> = body
        .milestones
        .iter()
        .map(|m| (m.text.as_str(), m.depth, m.parent()))
        .collect();
    assert_eq!(
        shape,
        [
            ("a", 0, None),
            ("b", 1, Some(0)),
            ("c", 2, Some(1)),
            ("d", 0, None)
        ]
    );
}

#[test]
fn tasks_inside_blockquotes_and_loose_lists() {
    let found = milestones("> - [ ] quoted\n>   - [x] nested\n\n- [ ] loose\n\n- [x] list\n");
    assert_eq!(
        found,
        [
            m("quoted", Open, 0),
            m("nested", Done, 1),
            m("loose", Open, 0),
            m("list", Done, 0)
        ]
    );
}

#[test]
fn lookalikes_are_not_milestones() {
    let text = "```\n- [ ] fenced\n```\n\n    - [ ] indented code\n\n`- [ ] inline`\n\n\
                    <div>\n- [ ] html\n</div>\n\n- [] empty brackets\n- [ab] two chars\n- [x]no space\n\
                    Not a list [ ] item\n";
    assert_eq!(milestones(text), []);
}

#[test]
fn text_is_plain_and_keeps_tags() {
    let found =
        milestones("- [ ] Read **chapter 3** of [the book](http://x) `SELECT` #sql\n  and more\n");
    assert_eq!(
        found,
        [m(
            "Read chapter 3 of the book SELECT #sql and more",
            Open,
            0
        )]
    );
}

#[test]
fn text_of_a_parent_excludes_its_children() {
    let found = milestones("- [ ] parent\n  - [ ] child\n");
    assert_eq!(found, [m("parent", Open, 0), m("child", Open, 1)]);
}

#[test]
fn positions_are_the_bullets() {
    let (body, _) = body("# T\n\ntext\n- [ ] a\n  - [x] b\n");
    let positions: Vec<_> = body.milestones.iter().map(|m| m.position).collect();
    assert_eq!(positions, [Position::new(4, 1), Position::new(5, 3)]);
}

#[test]
fn date_markers_are_read_and_stripped() {
    let (body, diagnostics) = body(
        "- [x] a 📅 2026-03-01 ✅ 2026-02-27 end\n- [ ] b [due:: 2026-04-01]\n- [x] c [done:: 2026-01-02]\n",
    );
    assert_eq!(diagnostics, []);
    let found: Vec<_> = body
        .milestones
        .iter()
        .map(|m| {
            (
                m.text.as_str(),
                m.due.map(|d| d.to_string()),
                m.done_marker.map(|d| d.to_string()),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "a end",
                Some("2026-03-01".into()),
                Some("2026-02-27".into())
            ),
            ("b", Some("2026-04-01".into()), None),
            ("c", None, Some("2026-01-02".into())),
        ]
    );
}

#[test]
fn bad_marker_dates_are_errors_pointing_at_the_marker() {
    let (body, diagnostics) = body("intro\n- [ ] a 📅 2026-02-30\n- [ ] b [due:: soon]\n");
    assert_eq!(body.milestones.len(), 2);
    assert_eq!(diagnostics.len(), 2);
    assert_eq!(diagnostics[0].position, Some(Position::new(2, 9)));
    assert!(diagnostics[0].message.contains("not a day of the calendar"));
    assert_eq!(diagnostics[1].position, Some(Position::new(3, 9)));
}

#[test]
fn headings_nest_and_milestones_know_their_section() {
    let (body, _) = body("# A\n- [ ] one\n## B\n- [ ] two\n# C\n- [ ] three\n");
    let sections: Vec<_> = body
        .milestones
        .iter()
        .map(|m| m.section().map(|s| &*body.headings[s as usize].text))
        .collect();
    assert_eq!(sections, [Some("A"), Some("B"), Some("C")]);
    assert_eq!(body.headings[1].parent(), Some(0));
    assert_eq!(body.headings[2].parent(), None);
}

#[test]
fn tags_are_found_outside_code() {
    let (body, _) = body(
        "Worked on #SQL and #career/growth, not #1.\n\n```\n#not-a-tag\n```\n`#nor-this` a#b\n",
    );
    let tags: Vec<_> = body.tags.iter().map(|t| (&*t.value, t.position)).collect();
    assert_eq!(
        tags,
        [
            ("sql", Position::new(1, 11)),
            ("career/growth", Position::new(1, 20))
        ]
    );
}

#[test]
fn a_tag_starts_after_a_space_or_an_opening_mark_and_has_a_non_digit() {
    let text = "#Start a#b (#in) [#sq,#co ,#after x,#y #1 #1a #2026-01 #a-b/ #Äb#c \
                #_ ##h # #é\u{a0}#nb #end";
    let found: Vec<String> = find_tags(text)
        .into_iter()
        .map(|(_, tag)| tag.to_string())
        .collect();
    assert_eq!(
        found,
        [
            "start", "in", "sq", "co", "after", "y", "1a", "2026-01", "a-b", "äb", "_", "é", "nb",
            "end"
        ]
    );
    let at: Vec<usize> = find_tags(text).into_iter().map(|(at, _)| at).collect();
    assert!(at.iter().all(|&at| text[at..].starts_with('#')));
    assert_eq!(at[0], 0);
}

#[test]
fn tasks_metadata_is_read_and_stripped() {
    let (body, diagnostics) = body(
        "- [ ] Plan 🔺 🔁 every week on Monday 📅 2026-03-01 ⏳\u{FE0F} 2026-02-20 🛫 2026-02-01 \
             ➕ 2026-01-15 [effort:: 3h] (book:: Clean Code)\n\
             - [x] Dropped ❌ 2026-02-02\n\
             - [ ] Coded `📅 2026-01-01 [effort:: 1h]` ⏬\n\
             - [ ] Bad [priority:: urgent]\n",
    );
    let [plan, dropped, coded, bad] = &body.milestones[..] else {
        panic!("{:?}", body.milestones);
    };
    assert_eq!(plan.text, "Plan Clean Code");
    let (plan_tasks, dropped_tasks) = (plan.tasks(), dropped.tasks());
    assert_eq!(plan_tasks.priority, Some(Priority::Highest));
    assert_eq!(
        plan_tasks.recurrence.as_deref(),
        Some("every week on Monday")
    );
    let day = |d| crate::dates::Date::parse(d).ok();
    assert_eq!(plan.due, day("2026-03-01"));
    assert_eq!(plan_tasks.scheduled, day("2026-02-20"));
    assert_eq!(plan_tasks.start, day("2026-02-01"));
    assert_eq!(plan_tasks.created, day("2026-01-15"));
    let fields: Vec<_> = plan_tasks.fields.iter().collect();
    assert_eq!(
        fields,
        [
            (&"book".to_string(), &"Clean Code".to_string()),
            (&"effort".to_string(), &"3h".to_string())
        ]
    );
    assert_eq!(dropped.state, Cancelled);
    assert_eq!(dropped_tasks.cancelled_on, day("2026-02-02"));
    assert_eq!(coded.text, "Coded 📅 2026-01-01 [effort:: 1h]");
    assert_eq!(coded.due, None);
    assert!(coded.tasks().fields.is_empty());
    assert_eq!(coded.tasks().priority, Some(Priority::Lowest));
    assert_eq!(bad.tasks().priority, None);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].position, Some(Position::new(4, 11)));
    assert!(diagnostics[0].message.contains("not a priority"));
}

#[test]
fn tasks_id_dependencies_and_on_completion_are_fields() {
    let (body, _) = body("- [ ] Water 🔁 every day 🏁 delete 🆔 w1 ⛔ a, b [id:: first]\n");
    let water = &body.milestones[0];
    assert_eq!(water.text, "Water");
    assert_eq!(water.tasks().recurrence.as_deref(), Some("every day"));
    let fields: Vec<_> = water
        .tasks()
        .fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        fields,
        [
            ("dependson", "a, b"),
            ("id", "first"),
            ("oncompletion", "delete")
        ]
    );
}

#[test]
fn logseq_drawers_and_properties_are_not_milestone_text() {
    let (body, _) = body(
        "- DONE write *the* report\n  :LOGBOOK:\n  CLOCK: [2025-01-01 Wed 10:00]--[2025-01-01 Wed 11:00]\n  \
         :END:\n  id:: 65a1\n- TODO call Ana\n  collapsed:: true\n  effort:: 2h\n",
    );
    let found: Vec<_> = body
        .milestones
        .iter()
        .map(|m| (m.text.as_str(), m.markdown()))
        .collect();
    assert_eq!(
        found,
        [
            ("write the report", Some("write *the* report")),
            ("call Ana", None)
        ]
    );
    // The properties are still the items' fields.
    assert_eq!(body.milestones[0].tasks().fields["id"], "65a1");
    assert_eq!(body.milestones[1].tasks().fields["effort"], "2h");
}

#[test]
fn logseq_keywords_are_milestones_unless_switched_off() {
    let text = "- TODO write\n\t- DOING draft\n\t- NOW review\n- LATER [#A] publish #blog\n\
                    - DONE ship\n- CANCELED talk\n- CANCELLED other\n- TODOS not a task\n\
                    - [ ] TODO stays text\n";
    assert_eq!(
        milestones(text),
        [
            m("write", Open, 0),
            m("draft", Open, 1),
            m("review", Open, 1),
            m("publish #blog", Open, 0),
            m("ship", Done, 0),
            m("talk", Cancelled, 0),
            m("other", Cancelled, 0),
            m("TODO stays text", Open, 0),
        ]
    );
    let without_markers = ParseOptions {
        logseq_markers: false,
        ..ParseOptions::default()
    };
    assert_eq!(
        milestones_with(text, &without_markers),
        [m("TODO stays text", Open, 0)]
    );
    let (body, _) = body("- LATER [#A] publish #blog\n");
    assert_eq!(body.milestones[0].tasks().priority, Some(Priority::High));
    assert_eq!(milestone_tags(&body.milestones[0]), ["blog"]);
    let tags: Vec<_> = body.tags.iter().map(|t| &*t.value).collect();
    assert_eq!(tags, ["blog"]);
}

#[test]
fn wikilinks_show_their_alias_or_name_and_are_kept() {
    let (body, _) = body(
        "Intro [[Daily/2026-01-01]]\n\n\
             - [ ] See [[folder/Learn SQL#Plan]], [[learn-sql.md|the SQL goal]] ![[chart.png]]\n\
             - [ ] `[[not a link]]`\n",
    );
    let see = &body.milestones[0];
    assert_eq!(see.text, "See Learn SQL, the SQL goal chart.png");
    assert_eq!(see.links(), ["folder/Learn SQL#Plan", "learn-sql.md"]);
    assert!(body.milestones[1].links().is_empty());
    let links: Vec<_> = body
        .links()
        .iter()
        .map(|l| (l.value.as_str(), l.position))
        .collect();
    assert_eq!(
        links,
        [
            ("Daily/2026-01-01", Position::new(1, 7)),
            ("folder/Learn SQL#Plan", Position::new(3, 11)),
            ("learn-sql.md", Position::new(3, 38)),
        ]
    );
}

#[test]
fn an_escaped_pipe_in_a_table_separates_a_wikilink_from_its_alias() {
    // Obsidian writes `\|` for the alias pipe inside a table, where `|` ends a cell.
    let (body, _) = body("| goal | note |\n|---|---|\n| [[Learn SQL\\|SQL]] | x |\n");
    let links: Vec<_> = body.links().iter().map(|l| l.value.as_str()).collect();
    assert_eq!(links, ["Learn SQL"]);
}

#[test]
fn dataview_fields_of_the_document_outside_code() {
    let (body, _) = body(
        "# Title:: not a field\n\
             Mood:: good\n\
             Energy:: high\n\n\
             > **Project Lead**:: Ana\n\n\
             Text with [effort:: 3h] and `[inline:: code]`.\n\n\
             ```\nfenced:: no\n```\n\n\
             \x20   indented:: no\n\n\
             - [ ] task [due:: 2026-01-01]\n\
             - mood:: ignored, the first wins\n",
    );
    let fields: Vec<_> = body
        .fields()
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        fields,
        [
            ("due", "2026-01-01"),
            ("effort", "3h"),
            ("energy", "high"),
            ("mood", "good"),
            ("project-lead", "Ana"),
        ]
    );
    assert_eq!(body.milestones[0].tasks().fields.len(), 1);
}

#[test]
fn milestone_tags_are_its_own() {
    let (body, _) = body("- [ ] a #one\n  - [ ] b #two\n");
    assert_eq!(milestone_tags(&body.milestones[0]), ["one"]);
    assert_eq!(milestone_tags(&body.milestones[1]), ["two"]);
    // Each is the document's tag, not a copy of it.
    assert!(Arc::ptr_eq(
        &body.milestones[1].tags[0],
        &body.tags[1].value
    ));
}

fn milestone_tags(milestone: &crate::document::Milestone) -> Vec<&str> {
    milestone.tags.iter().map(|tag| &**tag).collect()
}

/// A thread reads its files with the same scratch lists and text buffers: nothing of one
/// file may stay in them for the next, also when the first ends inside a list item, a
/// heading or a notes paragraph.
#[test]
fn a_file_read_after_another_holds_nothing_of_it() {
    let first = "# Plan #alpha\n\n## Wins\n\nshipped [[Ana]] *fast*\n\n\
                 - [ ] open item #alpha\n  - [x] child [[Bo]]\n    - unfinished";
    let second = "## Lessons\n\n- [ ] b #beta\n\nlearned it\n\n# Title\n";
    let alone = format!("{:?}", body(second));
    for first in [first, "## Wins\n\n- win", "# Heading cut sho"] {
        let _ = body(first);
        assert_eq!(format!("{:?}", body(second)), alone, "after {first:?}");
    }
}

/// A deeply nested list leaves its thread no more spare text buffers than the scratch
/// keeps: they would otherwise be held for as long as the thread lives.
#[test]
fn a_deep_list_leaves_few_spare_texts() {
    let nested: String = (0..200)
        .map(|depth| format!("{}- item\n", "  ".repeat(depth)))
        .collect();
    let _ = body(&nested);
    assert!(SCRATCH.with_borrow(|scratch| scratch.texts.len()) <= SPARE_TEXTS_KEPT);
}
