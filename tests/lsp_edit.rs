//! `trailmark lsp`'s editing features through scripted sessions (the client of
//! `lsp.rs`): rename, code actions (ticking milestones, quick fixes) and commands. Each
//! asserts the exact edits the server sends, and that it wrote no file.

use serde_json::{Value, json};

use crate::common::Journal;
use crate::lsp::Session;

const TODAY: &str = "2026-03-10";

/// An edit as the test compares it: the file (journal path), the range as
/// (line, character, line, character), and the new text.
type Edit = (String, (u64, u64, u64, u64), String);

/// The edits of a workspace edit's `changes`, by file and place.
fn edits(session: &Session, edit: &Value) -> Vec<Edit> {
    let root = session.uri("");
    let mut edits = Vec::new();
    for (uri, changes) in edit["changes"].as_object().unwrap() {
        let path = uri.strip_prefix(&root).unwrap().to_string();
        for change in changes.as_array().unwrap() {
            let number = |end: &str, key: &str| change["range"][end][key].as_u64().unwrap();
            let range = (
                number("start", "line"),
                number("start", "character"),
                number("end", "line"),
                number("end", "character"),
            );
            let text = change["newText"].as_str().unwrap().to_string();
            edits.push((path.clone(), range, text));
        }
    }
    edits.sort();
    edits
}

fn edit(path: &str, range: (u64, u64, u64, u64), text: &str) -> Edit {
    (path.to_string(), range, text.to_string())
}

/// `text` with `edits` of the file `path` applied (ranges in UTF-16 units, as sent).
fn applied(text: &str, path: &str, edits: &[Edit]) -> String {
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    let mut mine: Vec<&Edit> = edits.iter().filter(|e| e.0 == path).collect();
    // From the last: earlier places do not move.
    mine.sort_by_key(|e| std::cmp::Reverse(e.1));
    for (_, (l1, c1, l2, c2), new) in mine {
        let byte = |line: &str, utf16: u64| {
            let mut units = 0;
            for (at, c) in line.char_indices() {
                if units >= utf16 {
                    return at;
                }
                units += c.len_utf16() as u64;
            }
            line.len()
        };
        let (l1, l2) = (*l1 as usize, *l2 as usize);
        let start = byte(&lines[l1], *c1);
        let end = byte(&lines[l2], *c2);
        let joined = format!("{}{new}{}", &lines[l1][..start], &lines[l2][end..]);
        let replacement: Vec<String> = joined.split('\n').map(str::to_string).collect();
        lines.splice(l1..=l2, replacement);
    }
    lines.join("\n")
}

fn rename_journal() -> Journal {
    Journal::new()
        .file(
            "goals/ship.md",
            "---\ngoal: Ship the app\nid: ship\ndue: 2026-03-31\n---\n- [ ] build #ship\n",
        )
        .file("goals/launch.md", "---\ngoal: Launch\nparent: ship\n---\n")
        .file(
            "goals/talk.md",
            "---\ngoal: Give a talk\ndue: 2026-06-30\n---\n- [ ] outline\n",
        )
        .entry(
            "2026-03-09",
            "---\nmetrics: {ship: 2}\ncheckins:\n  ship:\n    confidence: 7\n---\n\
             # Monday\n\nWorked on #ship and #shipping, not `#ship` in code.\n\n## Ship\n\n\
             - [x] tests\n",
        )
}

#[test]
fn rename_changes_a_goal_id_everywhere_the_journal_names_it() {
    let journal = rename_journal();
    let mut session = Session::start(&journal, TODAY);
    let entry = journal.read("2026-03-09.md");
    session.open("2026-03-09.md", &entry);
    session.analysed("2026-03-09.md", 1);
    // On `#ship`: the name without its `#`.
    let prepared = session.request(
        "textDocument/prepareRename",
        session.at("2026-03-09.md", 8, 12),
    );
    assert_eq!(
        prepared,
        json!({"range": {"start": {"line": 8, "character": 11}, "end": {"line": 8, "character": 15}},
               "placeholder": "ship"})
    );
    let mut params = session.at("2026-03-09.md", 8, 12);
    params["newName"] = json!("app-release");
    let result = session.request("textDocument/rename", params);
    let found = edits(&session, &result);
    let new = "app-release";
    assert_eq!(
        found,
        [
            edit("2026-03-09.md", (1, 10, 1, 14), new),
            edit("2026-03-09.md", (3, 2, 3, 6), new),
            edit("2026-03-09.md", (8, 11, 8, 15), new),
            edit("2026-03-09.md", (10, 3, 10, 7), new),
            edit("goals/launch.md", (2, 8, 2, 12), new),
            edit("goals/ship.md", (2, 4, 2, 8), new),
            edit("goals/ship.md", (5, 13, 5, 17), new),
        ]
    );
    assert_eq!(
        applied(&entry, "2026-03-09.md", &found),
        "---\nmetrics: {app-release: 2}\ncheckins:\n  app-release:\n    confidence: 7\n---\n\
         # Monday\n\nWorked on #app-release and #shipping, not `#ship` in code.\n\n\
         ## app-release\n\n- [x] tests\n"
    );
    // Nothing written: the editor applies the edits.
    assert_eq!(journal.read("2026-03-09.md"), entry);
    assert!(journal.read("goals/ship.md").contains("id: ship\n"));
    session.shut_down();
}

#[test]
fn rename_adds_an_id_to_a_goal_named_by_its_title_and_edits_open_buffers() {
    let journal = rename_journal();
    let mut session = Session::start(&journal, TODAY);
    let talk = journal.read("goals/talk.md");
    session.open("goals/talk.md", &talk);
    // Unsaved: a milestone of the entry tagged with the goal's id.
    let entry = journal.read("2026-03-09.md");
    session.open("2026-03-09.md", &entry);
    session.edit("2026-03-09.md", 2, ((12, 11), (12, 11)), " #give-a-talk");
    session.analysed("2026-03-09.md", 2);
    // In the goal's front-matter, on its title.
    let prepared = session.request(
        "textDocument/prepareRename",
        session.at("goals/talk.md", 1, 8),
    );
    assert_eq!(prepared["placeholder"], "give-a-talk");
    let mut params = session.at("goals/talk.md", 1, 8);
    params["newName"] = json!("talk");
    let result = session.request("textDocument/rename", params);
    let found = edits(&session, &result);
    assert_eq!(
        found,
        [
            edit("2026-03-09.md", (12, 13, 12, 24), "talk"),
            edit("goals/talk.md", (1, 0, 1, 0), "id: talk\n"),
        ]
    );
    assert_eq!(
        applied(&talk, "goals/talk.md", &found),
        "---\nid: talk\ngoal: Give a talk\ndue: 2026-06-30\n---\n- [ ] outline\n"
    );
    session.shut_down();
}

#[test]
fn rename_refuses_an_id_that_is_taken_or_not_an_id() {
    let journal = rename_journal();
    let mut session = Session::start(&journal, TODAY);
    session.open("goals/ship.md", &journal.read("goals/ship.md"));
    session.analysed("goals/ship.md", 1);
    let refused = |session: &mut Session, name: &str| {
        let mut params = session.at("goals/ship.md", 2, 5);
        params["newName"] = json!(name);
        let response = session.request_response("textDocument/rename", params);
        response["error"]["message"].as_str().unwrap().to_string()
    };
    assert_eq!(
        refused(&mut session, "give-a-talk"),
        "the goal `Give a talk` in goals/talk.md:2 already has the id `give-a-talk`"
    );
    assert_eq!(
        refused(&mut session, "Ship It"),
        "`Ship It` is not a goal id: use lowercase letters, digits and single dashes, like \
         `ship-it`"
    );
    // A `#tag` that names no goal, and plain words: nothing to rename.
    let response = session.request_response(
        "textDocument/prepareRename",
        session.at("goals/ship.md", 5, 3),
    );
    assert!(
        response["error"]["message"]
            .as_str()
            .unwrap()
            .contains("put the cursor on a goal's"),
        "{response}"
    );
    session.shut_down();
}

#[test]
fn rename_of_one_of_two_goals_with_one_id_leaves_the_other_its_id() {
    let journal = Journal::new()
        .file(
            "goals/a.md",
            "---\ngoal: Learn SQL\nid: learn-sql\n---\n- [ ] a\n",
        )
        .file(
            "goals/b.md",
            "---\ngoal: SQL again\nid: learn-sql\n---\n- [ ] b\n",
        );
    let mut session = Session::start(&journal, TODAY);
    session.open("goals/b.md", &journal.read("goals/b.md"));
    session.analysed("goals/b.md", 1);
    // The later one is `learn-sql-2`, whatever its `id:` says.
    let prepared = session.request("textDocument/prepareRename", session.at("goals/b.md", 2, 6));
    assert_eq!(prepared["placeholder"], "learn-sql-2");
    let mut params = session.at("goals/b.md", 2, 6);
    params["newName"] = json!("sql-again");
    let result = session.request("textDocument/rename", params);
    assert_eq!(
        edits(&session, &result),
        [edit("goals/b.md", (2, 4, 2, 13), "sql-again")]
    );
    let mut params = session.at("goals/a.md", 2, 6);
    params["newName"] = json!("sql");
    let result = session.request("textDocument/rename", params);
    assert_eq!(
        edits(&session, &result),
        [edit("goals/a.md", (2, 4, 2, 13), "sql")]
    );
    session.shut_down();
}

/// The code actions for line `line` of `path`, by title.
fn actions(session: &mut Session, path: &str, line: u32) -> Vec<Value> {
    let params = json!({
        "textDocument": {"uri": session.uri(path)},
        "range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}},
        "context": {"diagnostics": []},
    });
    session
        .request("textDocument/codeAction", params)
        .as_array()
        .unwrap()
        .clone()
}

fn titles(actions: &[Value]) -> Vec<String> {
    actions
        .iter()
        .map(|a| a["title"].as_str().unwrap().to_string())
        .collect()
}

fn action<'a>(actions: &'a [Value], title: &str) -> &'a Value {
    actions
        .iter()
        .find(|a| a["title"] == title)
        .unwrap_or_else(|| panic!("no `{title}` in {:#?}", titles(actions)))
}

#[test]
fn code_actions_tick_reopen_and_cancel_milestones_as_tasks_writes_them() {
    let goal = "---\ngoal: Ship the app\nid: ship\n---\n\
                - [ ] build 📅 2026-03-07 ^b1\n\
                - [x] design ✅ 2026-03-02\n\
                - [-] port ❌ 2026-03-01\n\
                - [ ] docs [due:: 2026-03-20]\n";
    let journal = Journal::new().file("goals/ship.md", goal);
    let mut session = Session::start(&journal, TODAY);
    session.open("goals/ship.md", goal);
    session.analysed("goals/ship.md", 1);
    let path = "goals/ship.md";

    let open = actions(&mut session, path, 4);
    let done = action(&open, "Mark done ✅ 2026-03-10: build ^b1");
    assert_eq!(done["kind"], "refactor.rewrite");
    assert_eq!(
        edits(&session, &done["edit"]),
        [
            edit(path, (4, 3, 4, 4), "x"),
            edit(path, (4, 25, 4, 25), " ✅ 2026-03-10"),
        ]
    );
    let cancel = action(&open, "Cancel ❌ 2026-03-10: build ^b1");
    let cancelled = applied(goal, path, &edits(&session, &cancel["edit"]));
    assert!(cancelled.contains("- [-] build 📅 2026-03-07 ❌ 2026-03-10 ^b1\n"));

    let reopen = action(&actions(&mut session, path, 5), "Reopen: design")["edit"].clone();
    assert_eq!(
        edits(&session, &reopen),
        [
            edit(path, (5, 3, 5, 4), " "),
            edit(path, (5, 12, 5, 25), "")
        ]
    );
    let reopen = action(&actions(&mut session, path, 6), "Reopen: port")["edit"].clone();
    let reopened = applied(goal, path, &edits(&session, &reopen));
    assert!(reopened.contains("\n- [ ] port\n"), "{reopened}");
    // A line in Dataview's format gets a Dataview field.
    let dataview = actions(&mut session, path, 7);
    let done = action(&dataview, "Mark done ✅ 2026-03-10: docs");
    let ticked = applied(goal, path, &edits(&session, &done["edit"]));
    assert!(ticked.contains("- [x] docs [due:: 2026-03-20] [completion:: 2026-03-10]\n"));
    // Not a milestone line: no ticking.
    assert!(
        !titles(&actions(&mut session, path, 1))
            .iter()
            .any(|t| t.starts_with("Mark done"))
    );
    assert_eq!(journal.read(path), goal);
    session.shut_down();
}

#[test]
fn logseq_tasks_change_their_keyword() {
    let goal = "---\ngoal: Ship\nid: ship\n---\n- TODO call Ana\n- DONE book room\n";
    let journal = Journal::new().file("goals/ship.md", goal);
    let mut session = Session::start(&journal, TODAY);
    let path = "goals/ship.md";
    let open = actions(&mut session, path, 4);
    assert_eq!(
        edits(
            &session,
            &action(&open, "Mark done (DONE): call Ana")["edit"]
        ),
        [edit(path, (4, 2, 4, 6), "DONE")]
    );
    assert_eq!(
        edits(
            &session,
            &action(&open, "Cancel (CANCELED): call Ana")["edit"]
        ),
        [edit(path, (4, 2, 4, 6), "CANCELED")]
    );
    let done = actions(&mut session, path, 5);
    assert_eq!(
        edits(&session, &action(&done, "Reopen (TODO): book room")["edit"]),
        [edit(path, (5, 2, 5, 6), "TODO")]
    );
    session.shut_down();
}

#[test]
fn quick_fixes_for_a_misspelt_tag_a_date_in_words_and_missing_keys() {
    let goal = "---\ngoal: Give a talk\ndue: next week\n---\n- [ ] slides #shp 📅 friday\n";
    let journal = Journal::new()
        .file(
            "goals/ship.md",
            "---\ngoal: Ship\nid: ship\n---\n- [ ] build\n",
        )
        .file("goals/talk.md", goal);
    let mut session = Session::start(&journal, TODAY);
    let path = "goals/talk.md";
    session.open(path, goal);
    session.analysed(path, 1);

    let tag = actions(&mut session, path, 4);
    let fix = action(&tag, "Change `shp` to `ship`");
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["isPreferred"], true);
    assert_eq!(
        edits(&session, &fix["edit"]),
        [edit(path, (4, 14, 4, 17), "ship")]
    );

    // A milestone's date too.
    let fix = action(&tag, "Write `friday` as 2026-03-13 (next friday)");
    assert_eq!(
        edits(&session, &fix["edit"]),
        [edit(path, (4, 21, 4, 27), "2026-03-13")]
    );

    let date = actions(&mut session, path, 2);
    assert_eq!(
        titles(&date)
            .into_iter()
            .filter(|t| t.starts_with("Write"))
            .collect::<Vec<_>>(),
        [
            "Write `next week` as 2026-03-16 (start of next week)",
            "Write `next week` as 2026-03-22 (end of next week)",
        ]
    );
    let fix = action(&date, "Write `next week` as 2026-03-22 (end of next week)");
    assert_eq!(
        edits(&session, &fix["edit"]),
        [edit(path, (2, 5, 2, 14), "2026-03-22")]
    );

    // The goal has no `why:`, and no due date, but a `due:` to fix: none is added.
    let declaration = actions(&mut session, path, 1);
    let why = action(&declaration, "Add `why:`");
    assert_eq!(
        edits(&session, &why["edit"]),
        [edit(path, (3, 0, 3, 0), "why: \n")]
    );
    assert!(
        !titles(&declaration)
            .iter()
            .any(|t| t.starts_with("Add `due:"))
    );
    // A goal without `due:` gets one.
    let declaration = actions(&mut session, "goals/ship.md", 1);
    let due = action(&declaration, "Add `due: 2026-03-31` (end of month)");
    assert_eq!(
        edits(&session, &due["edit"]),
        [edit("goals/ship.md", (3, 0, 3, 0), "due: 2026-03-31\n")]
    );
    assert!(titles(&declaration).contains(&"Add `due: 2026-06-09` (in 3 months)".to_string()));
    assert_eq!(journal.read(path), goal);
    session.shut_down();
}

#[test]
fn did_you_mean_fixes_a_parent_and_a_metrics_key() {
    let launch = "---\ngoal: Launch\nparent: shp\n---\n- [ ] go\n";
    let entry = "---\nmetrics: {Shp: 2}\n---\n# Monday\n";
    let journal = Journal::new()
        .file(
            "goals/ship.md",
            "---\ngoal: Ship\nid: ship\n---\n- [ ] build\n",
        )
        .file("goals/launch.md", launch)
        .entry("2026-03-09", entry);
    let mut session = Session::start(&journal, TODAY);
    session.open("goals/launch.md", launch);
    session.open("2026-03-09.md", entry);
    session.analysed("goals/launch.md", 1);
    let parent = actions(&mut session, "goals/launch.md", 2);
    let fix = action(&parent, "Change `shp` to `ship`");
    assert_eq!(
        edits(&session, &fix["edit"]),
        [edit("goals/launch.md", (2, 8, 2, 11), "ship")]
    );
    let metric = actions(&mut session, "2026-03-09.md", 1);
    let fix = action(&metric, "Change `shp` to `ship`");
    assert_eq!(
        edits(&session, &fix["edit"]),
        [edit("2026-03-09.md", (1, 10, 1, 13), "ship")]
    );
    session.shut_down();
}

#[test]
fn a_missing_key_of_a_goal_in_a_list_goes_at_the_end_of_its_item() {
    let text = "---\ngoals:\n  - title: Ship\n    due: 2026-04-01\n    why: Customers wait\n\
                \n  - title: Talk\n    due: 2026-05-01\n---\n";
    let journal = Journal::new().file("goals.md", text);
    let mut session = Session::start(&journal, TODAY);
    session.open("goals.md", text);
    session.analysed("goals.md", 1);
    let first = actions(&mut session, "goals.md", 2);
    assert!(!titles(&first).contains(&"Add `why:`".to_string()));
    let second = actions(&mut session, "goals.md", 6);
    let why = action(&second, "Add `why:`");
    assert_eq!(
        edits(&session, &why["edit"]),
        [edit("goals.md", (8, 0, 8, 0), "    why: \n")]
    );
    // The first goal's keys end before the blank line.
    let rename_first = {
        let mut params = session.at("goals.md", 2, 12);
        params["newName"] = json!("shipped");
        session.request("textDocument/rename", params)
    };
    assert_eq!(
        edits(&session, &rename_first),
        [edit("goals.md", (2, 4, 2, 4), "id: shipped\n    ")]
    );
    session.shut_down();
}

#[test]
fn a_goal_mapping_gets_its_keys_inside_the_mapping() {
    let text = "---\ngoal:\n  title: Mapped\n  due: 2026-04-01\n---\n- [ ] a\n";
    let journal = Journal::new().file("mapped.md", text);
    let mut session = Session::start(&journal, TODAY);
    session.open("mapped.md", text);
    session.analysed("mapped.md", 1);
    let why = action(&actions(&mut session, "mapped.md", 1), "Add `why:`").clone();
    assert_eq!(
        edits(&session, &why["edit"]),
        [edit("mapped.md", (4, 0, 4, 0), "  why: \n")]
    );
    let mut params = session.at("mapped.md", 2, 10);
    params["newName"] = json!("mapped-goal");
    let result = session.request("textDocument/rename", params);
    let found = edits(&session, &result);
    assert_eq!(
        found,
        [edit("mapped.md", (2, 2, 2, 2), "id: mapped-goal\n  ")]
    );
    assert_eq!(
        applied(text, "mapped.md", &found),
        "---\ngoal:\n  id: mapped-goal\n  title: Mapped\n  due: 2026-04-01\n---\n- [ ] a\n"
    );
    session.shut_down();
}

/// Runs `command` with `arguments`; its result must be `null`.
fn execute(session: &mut Session, command: &str, arguments: Value) {
    let result = session.request(
        "workspace/executeCommand",
        json!({"command": command, "arguments": arguments}),
    );
    assert!(result.is_null(), "{result}");
}

fn method(name: &'static str) -> impl Fn(&Value) -> bool {
    move |message: &Value| message["method"] == name
}

#[test]
fn open_report_shows_the_built_page_or_says_how_to_build_it() {
    let journal = rename_journal();
    let mut session = Session::start(&journal, TODAY);
    session.open("goals/ship.md", &journal.read("goals/ship.md"));
    session.analysed("goals/ship.md", 1);
    // Offered on the goal's lines.
    let offered = actions(&mut session, "goals/ship.md", 5);
    let open = action(&offered, "Open the report of `ship`");
    assert_eq!(
        open["command"],
        json!({"title": "Open the report of `ship`", "command": "trailmark.openReport",
               "arguments": ["ship"]})
    );
    execute(&mut session, "trailmark.openReport", json!(["ship"]));
    let said = session.message_where(method("window/showMessage"));
    let text = said["params"]["message"].as_str().unwrap();
    assert!(
        text.starts_with("the report of `ship` is not built yet ("),
        "{text}"
    );
    assert!(text.contains("run `trailmark build "), "{text}");
    assert!(!journal.path().join("_reports").exists());

    journal.run(&["build", "--today", TODAY]).success();
    execute(&mut session, "trailmark.openReport", json!(["ship"]));
    let shown = session.message_where(method("window/showDocument"));
    let report = journal.path().join("_reports/goals/ship.html");
    assert_eq!(
        shown["params"],
        json!({"uri": crate::lsp::uri_of(&report), "external": true, "takeFocus": true})
    );
    session.shut_down();
}

#[test]
fn new_entry_is_a_created_file_the_editor_applies_never_written_by_the_server() {
    let journal = Journal::new().file("goals/ship.md", "---\ngoal: Ship\n---\n- [ ] build\n");
    let mut session = Session::start(&journal, TODAY);
    let offered = actions(&mut session, "goals/ship.md", 3);
    action(&offered, "Create today's entry (2026-03-10)");
    execute(&mut session, "trailmark.newEntry", json!([]));
    let apply = session.message_where(method("workspace/applyEdit"));
    let entry = journal.path().join("journal/2026/2026-03-10.md");
    let uri = crate::lsp::uri_of(&entry);
    let changes = &apply["params"]["edit"]["documentChanges"];
    assert_eq!(
        changes[0],
        json!({"kind": "create", "uri": uri, "options": {"overwrite": false, "ignoreIfExists": true}})
    );
    assert_eq!(
        changes[1]["textDocument"],
        json!({"uri": uri, "version": null})
    );
    let text = changes[1]["edits"][0]["newText"]
        .as_str()
        .unwrap()
        .to_string();
    let shown = session.message_where(method("window/showDocument"));
    assert_eq!(shown["params"]["uri"], uri);
    assert_eq!(shown["params"]["external"], false);
    assert!(!entry.exists(), "the server wrote the entry");

    // The text `trailmark new entry` writes.
    crate::common::trailmark()
        .args(["new", "entry", "--date", TODAY, "--dir"])
        .arg(journal.path())
        .assert()
        .success();
    assert_eq!(journal.read("journal/2026/2026-03-10.md"), text);
    // Now that it exists it is shown, never made again.
    let offered = actions(&mut session, "goals/ship.md", 3);
    action(&offered, "Open today's entry (2026-03-10)");
    execute(&mut session, "trailmark.newEntry", json!([]));
    let next = session.message_where(|m| {
        m["method"] == "workspace/applyEdit" || m["method"] == "window/showDocument"
    });
    assert_eq!(next["method"], "window/showDocument", "{next}");
    session.shut_down();
}
