//! Properties that must hold for any input: parsing never panics, counts stay consistent,
//! each milestone is reported on the line that holds it, a goal's status depends on nothing
//! but the goal and the date, and the result does not depend on the order files are found in.
//! The cases proptest once found failing are in `proptest-regressions/properties.txt`
//! (proptest's place for them for a file under `src/`), and run first.

use proptest::prelude::*;

use crate::analyse::analyse;
use crate::dates::Date;
use crate::git::History;
use crate::testing::build;
use crate::testing::parse;

/// Lines that journals are made of, including the awkward ones.
fn journal_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("---".to_string()),
        Just("...".to_string()),
        Just("goal: G".to_string()),
        Just("goals:\n  - title: A\n  - title: B\n    parent: g".to_string()),
        Just("due: 2026-02-30".to_string()),
        Just("metric: {target: 3}".to_string()),
        Just("metrics: {g: 2}".to_string()),
        Just("date: 2026-01-05".to_string()),
        Just("```".to_string()),
        Just("    - [ ] indented code".to_string()),
        Just("> - [x] quoted".to_string()),
        Just("## G".to_string()),
        Just("# a".to_string()),
        Just("<div>".to_string()),
        "[ \\t]{0,6}[-*+] \\[[ xX/-]\\] [a-z #📅✅0-9:\\[\\]-]{0,30}",
        "[ \\t]{0,4}[0-9]{1,2}[.)] \\[[ x]\\] [a-z]{0,10}",
        "[a-z #:\\[\\]{}&*!|>-]{0,40}",
        // Obsidian and Logseq.
        "[ \\t]{0,4}- (TODO|DONE|DOING|CANCELED|LATER|NOW) (\\[#[ABC]\\] )?[a-z #]{0,12}",
        "[ \\t]{0,4}- \\[[ x-]\\] [a-z ]{0,10}(📅|⏳|🛫|➕|✅|❌|🔁|🔺|⏫|🔼|🔽|⏬)\u{FE0F}?( 2026-0[1-9]-1[0-9]| every week)?( \\[[a-z]{1,5}:: [a-z0-9-]{0,10}\\]| \\([a-z]{1,5}:: [a-z]{0,5}\\))?",
        "[>]{0,2}[a-zA-Z* ]{1,8}:: [a-z ]{0,10}",
        "[a-z ]{0,6}!?\\[\\[[a-z/#|.^ ]{0,12}\\]\\][a-z ]{0,6}",
        any::<String>(),
    ]
}

/// Pieces of a task's text: words, every Tasks emoji, dates, Dataview fields, wikilinks,
/// and loose brackets and colons around them.
fn task_fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z]{1,6}",
        Just(" ".to_string()),
        "(📅|📆|🗓|⏳|⌛|🛫|➕|✅|❌|🔁|🔺|⏫|🔼|🔽|⏬)\u{FE0F}?",
        "2026-0[1-9]-[0-3][0-9]",
        "\\[[a-z ]{1,6}:: ?[a-z0-9 -]{0,8}\\]",
        "\\([a-z]{1,6}:: [a-z0-9 ]{0,8}\\)",
        "\\[\\[[a-z/#| ]{0,8}\\]\\]",
        prop::sample::select(vec![
            "[", "]", "(", ")", "::", ":", "*", "_", "\\", "\u{FE0F}"
        ])
        .prop_map(str::to_string),
    ]
}

/// Every Tasks emoji trailmark reads.
const SIGNIFIERS: [char; 15] = [
    '📅', '📆', '🗓', '⏳', '⌛', '🛫', '➕', '✅', '❌', '🔁', '🔺', '⏫', '🔼', '🔽', '⏬',
];

fn journal_text() -> impl Strategy<Value = String> {
    prop::collection::vec(journal_line(), 0..30).prop_map(|lines| {
        let separators = ["\n", "\r\n", "\r"];
        lines
            .iter()
            .enumerate()
            .map(|(i, line)| format!("{line}{}", separators[i % 3]))
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn parsing_any_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse("any.md", &bytes);
    }

    #[test]
    fn progress_is_bounded_and_done_never_exceeds_total(
        texts in prop::collection::vec(journal_text(), 1..4),
        today in prop::sample::select(vec!["2025-06-01", "2026-01-05", "2026-06-01", "2027-12-31"]),
    ) {
        let documents = texts
            .iter()
            .enumerate()
            .map(|(i, text)| parse(&format!("2026-01-0{}.md", i + 1), text.as_bytes()))
            .collect();
        let journal = build(documents);
        let report = analyse(&journal, &History::default(), Date::parse(today).unwrap(), &Default::default());
        for goal in &report.goals {
            prop_assert!((0.0..=1.0).contains(&goal.progress), "{}", goal.progress);
            prop_assert!(goal.done <= goal.total);
        }
        // Every milestone's line exists in its file.
        for (document, text) in journal.documents.iter().zip(&texts) {
            let lines = crate::document::LineIndex::new(text);
            for milestone in &document.milestones {
                prop_assert!(lines.line_and_offset(milestone.position).is_some(), "{:?}", milestone.position);
            }
        }
    }

    #[test]
    fn the_order_files_are_found_in_does_not_matter(texts in prop::collection::vec(journal_text(), 1..4)) {
        let parse_all = |order: &mut dyn Iterator<Item = usize>| {
            let documents = order
                .map(|i| parse(&format!("f{i}.md"), texts[i].as_bytes()))
                .collect();
            let report = analyse(&build(documents), &History::default(), Date::from_ymd(2026, 6, 1).unwrap(), &Default::default());
            serde_json::to_string(&report).unwrap()
        };
        let forward = parse_all(&mut (0..texts.len()));
        let backward = parse_all(&mut (0..texts.len()).rev());
        prop_assert_eq!(forward, backward);
    }

    #[test]
    fn every_milestone_line_holds_its_text(texts in prop::collection::vec(journal_text(), 1..4)) {
        for (i, text) in texts.iter().enumerate() {
            let document = parse(&format!("f{i}.md"), text.as_bytes());
            let lines: Vec<&str> = text.split("\r\n").flat_map(|l| l.split(['\n', '\r'])).collect();
            for milestone in &document.milestones {
                let at = milestone.position.line as usize - 1;
                let line = lines[at];
                // The first word, where it is plain enough to be found as written. A Tasks
                // marker takes the word after it, maybe all the line holds (`- [x] ✅`
                // with the text below): then the word is on a later line.
                let Some(word) = milestone.text.split_whitespace().next() else { continue };
                // A wikilink shows its alias or note name, which need not be written as
                // one word (`[[^|a]]a` shows `aa`).
                if lines[at..].iter().take(2).any(|line| line.contains("[[")) {
                    continue;
                }
                if word.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()) {
                    let below = line.contains(SIGNIFIERS)
                        && lines[at + 1..].iter().any(|later| later.contains(word));
                    prop_assert!(
                        line.contains(word) || below,
                        "line {} is {:?}, the milestone is {:?}", milestone.position.line, line, milestone.text
                    );
                }
            }
        }
    }

    #[test]
    fn display_text_never_holds_a_tasks_marker(
        fragments in prop::collection::vec(task_fragment(), 0..16),
        checkbox in prop::sample::select(vec!["[ ]", "[x]", "[-]", "TODO", "DONE"]),
    ) {
        let text: String = fragments.concat();
        let document = parse("a.md", format!("- {checkbox} {text}\n").as_bytes());
        for milestone in &document.milestones {
            prop_assert!(
                !milestone.text.contains(SIGNIFIERS),
                "{:?} shows as {:?}", text, milestone.text
            );
            if let Some(markdown) = milestone.markdown() {
                prop_assert!(!markdown.contains(SIGNIFIERS), "{:?} has markdown {:?}", text, markdown);
            }
        }
    }

    #[test]
    fn bracketed_fields_never_show(
        words in prop::collection::vec("[a-z]{1,6}", 0..4),
        fields in prop::collection::vec(("[a-zA-Z][a-zA-Z ]{0,8}", "[a-z0-9 ]{0,8}", any::<bool>()), 1..4),
    ) {
        let written: Vec<String> = fields
            .iter()
            .map(|(key, value, square)| {
                if *square { format!("[{key}:: {value}]") } else { format!("({key}:: {value})") }
            })
            .collect();
        let text = format!("- [ ] {} {}\n", words.join(" "), written.join(" "));
        let document = parse("a.md", text.as_bytes());
        let milestone = &document.milestones[0];
        prop_assert!(!milestone.text.contains("::"), "{:?} shows as {:?}", text, milestone.text);
        let first_key = fields[0].0.split_whitespace().collect::<Vec<_>>().join("-").to_lowercase();
        prop_assert!(milestone.tasks().fields.contains_key(&first_key), "{:?}: {:?}", text, milestone.tasks());
        prop_assert!(document.fields().contains_key(&first_key));
    }

    #[test]
    fn status_depends_only_on_the_goal_and_the_date(
        texts in prop::collection::vec(journal_text(), 1..4),
        today in prop::sample::select(vec!["2025-06-01", "2026-01-05", "2027-12-31"]),
    ) {
        let today = Date::parse(today).unwrap();
        let statuses = |extra: Option<&str>| {
            let mut documents: Vec<_> = texts
                .iter()
                .enumerate()
                .map(|(i, text)| parse(&format!("2026-01-0{}.md", i + 1), text.as_bytes()))
                .collect();
            if let Some(extra) = extra {
                documents.push(parse("zz-unrelated.md", extra.as_bytes()));
            }
            let report = analyse(&build(documents), &History::default(), today, &Default::default());
            report
                .goals
                .iter()
                .map(|g| (g.id.clone(), g.status))
                .filter(|(id, _)| id != "unrelated-goal-qqq")
                .collect::<Vec<_>>()
        };
        let alone = statuses(None);
        prop_assert_eq!(&alone, &statuses(None), "the same journal and date, another status");
        let unrelated = "---\ngoal: Unrelated goal qqq\nstart: 2025-01-01\ndue: 2026-03-01\n---\n- [x] one\n- [ ] two\n";
        prop_assert_eq!(&alone, &statuses(Some(unrelated)), "another goal's file changed a status");
    }
}
