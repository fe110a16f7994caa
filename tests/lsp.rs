//! `trailmark lsp`: the real binary driven over stdio by a small Language Server Protocol
//! client, through scripted sessions (initialize, open, edit, ask, shut down).

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::Journal;

/// How long a session waits for an answer before the test fails: generous, for a
/// loaded machine; never a measure of speed.
const PATIENCE: Duration = Duration::from_secs(60);

/// A running `trailmark lsp` and what it sent that the test has not read yet.
pub(crate) struct Session {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    /// Notifications received while waiting for something else, oldest first.
    pending: Vec<Value>,
    next_id: i64,
    root: std::path::PathBuf,
}

/// The `file://` URI of an absolute path.
pub(crate) fn uri_of(path: &Path) -> String {
    let mut uri = String::from("file://");
    for byte in path.to_str().unwrap().bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                uri.push(byte as char)
            }
            _ => uri.push_str(&format!("%{byte:02X}")),
        }
    }
    uri
}

impl Session {
    /// The server started in the journal's folder for the day `today`, initialized with
    /// the journal as its workspace folder.
    pub(crate) fn start(journal: &Journal, today: &str) -> Session {
        Session::start_in(journal.path(), journal.path(), today)
    }

    /// The server with `folder` as the editor's workspace folder, on the journal `root`.
    pub(crate) fn start_in(folder: &Path, root: &Path, today: &str) -> Session {
        let mut child = Command::new(env!("CARGO_BIN_EXE_trailmark"))
            .args(["lsp", "--today", today])
            .current_dir(folder)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if sender.send(message).is_err() {
                    return;
                }
            }
        });
        let mut session = Session {
            child,
            stdin,
            messages,
            pending: Vec::new(),
            next_id: 1,
            root: root.to_path_buf(),
        };
        let result = session.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri_of(folder),
                "capabilities": {
                    "window": {"showDocument": {"support": true}},
                    "workspace": {"workspaceEdit": {"documentChanges": true, "resourceOperations": ["create"]}},
                },
                "workspaceFolders": [{"uri": uri_of(folder), "name": "journal"}],
            }),
        );
        assert!(result["capabilities"]["hoverProvider"] == true, "{result}");
        session.notify("initialized", json!({}));
        session
    }

    /// The URI of the journal file `path`.
    pub(crate) fn uri(&self, path: &str) -> String {
        uri_of(&self.root.join(path))
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    /// The next message from the server, failing the test when none comes in time.
    fn receive(&mut self, deadline: Instant) -> Value {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.messages.recv_timeout(left) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => panic!("no message from the server in time"),
            Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
        }
    }

    /// Sends a request and returns its result; an error response fails the test.
    pub(crate) fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.request_response(method, params);
        assert!(response.get("error").is_none(), "{method}: {response}");
        response["result"].clone()
    }

    /// Sends a request and returns the whole response.
    pub(crate) fn request_response(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let deadline = Instant::now() + PATIENCE;
        loop {
            let message = self.receive(deadline);
            if message["id"] == id && message.get("method").is_none() {
                return message;
            }
            self.pending.push(message);
        }
    }

    pub(crate) fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    pub(crate) fn open(&mut self, path: &str, text: &str) {
        let uri = self.uri(path);
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
        );
    }

    /// Closes the buffer `path`: the file on disk is the journal's again.
    pub(crate) fn close(&mut self, path: &str) {
        let uri = self.uri(path);
        self.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        );
    }

    /// Replaces the whole text of the open buffer `path`.
    pub(crate) fn change(&mut self, path: &str, version: i32, text: &str) {
        let uri = self.uri(path);
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    /// Replaces the range from (line, character) to (line, character) of `path`.
    pub(crate) fn edit(
        &mut self,
        path: &str,
        version: i32,
        (from, to): ((u32, u32), (u32, u32)),
        text: &str,
    ) {
        let uri = self.uri(path);
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{
                    "range": {"start": {"line": from.0, "character": from.1},
                              "end": {"line": to.0, "character": to.1}},
                    "text": text,
                }],
            }),
        );
    }

    /// `{"textDocument": ..., "position": ...}` for a request at (line, character).
    pub(crate) fn at(&self, path: &str, line: u32, character: u32) -> Value {
        json!({
            "textDocument": {"uri": self.uri(path)},
            "position": {"line": line, "character": character},
        })
    }

    /// The markdown of a hover at (line, character) of `path`; `None` for no hover.
    pub(crate) fn hover(&mut self, path: &str, line: u32, character: u32) -> Option<String> {
        let result = self.request("textDocument/hover", self.at(path, line, character));
        (!result.is_null()).then(|| result["contents"]["value"].as_str().unwrap().to_string())
    }

    /// The diagnostics the server publishes next for `path` whose messages `wanted`
    /// accepts, waiting for them (those published before are skipped).
    pub(crate) fn diagnostics_until(
        &mut self,
        path: &str,
        wanted: impl Fn(&[String]) -> bool,
    ) -> Vec<Value> {
        let published = self.published(path, |params| wanted(&messages(params)));
        published["diagnostics"].as_array().unwrap().clone()
    }

    /// Waits until the buffer `path` is analysed as of its `version`: the diagnostics
    /// published for that version; their messages.
    pub(crate) fn analysed(&mut self, path: &str, version: i32) -> Vec<String> {
        messages(&self.published(path, |params| params["version"] == version))
    }

    /// What `ask` answers once `wanted` accepts it, asking again until then: an edit's
    /// diagnostics come at once, while what the server answers from the analysed
    /// journal (hover, hints, symbols) follows when the analysis after it is done.
    pub(crate) fn eventually<T: std::fmt::Debug>(
        &mut self,
        mut ask: impl FnMut(&mut Session) -> T,
        wanted: impl Fn(&T) -> bool,
    ) -> T {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let answer = ask(self);
            if wanted(&answer) {
                return answer;
            }
            assert!(Instant::now() < deadline, "never as wanted: {answer:#?}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The parameters of the next `publishDiagnostics` of `path` that `wanted` accepts.
    pub(crate) fn published(&mut self, path: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        let uri = self.uri(path);
        let deadline = Instant::now() + PATIENCE;
        let mut last = None;
        loop {
            let message = match self.pending.is_empty() {
                true => self.receive_or_none(deadline),
                false => Some(self.pending.remove(0)),
            };
            let Some(message) = message else {
                panic!("no diagnostics as wanted for {path}; the last: {last:#?}");
            };
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
            {
                if wanted(&message["params"]) {
                    return message["params"].clone();
                }
                last = Some(message["params"].clone());
            }
        }
    }

    /// The next message from the server that `wanted` accepts (a request to the editor,
    /// a notification), waiting for it; the others stay pending.
    pub(crate) fn message_where(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(at) = self.pending.iter().position(&wanted) {
            return self.pending.remove(at);
        }
        let deadline = Instant::now() + PATIENCE;
        loop {
            let message = self.receive(deadline);
            if wanted(&message) {
                return message;
            }
            self.pending.push(message);
        }
    }

    fn receive_or_none(&mut self, deadline: Instant) -> Option<Value> {
        let left = deadline.saturating_duration_since(Instant::now());
        self.messages.recv_timeout(left).ok()
    }

    /// `shutdown`, then `exit`: the server must end with success.
    pub(crate) fn shut_down(mut self) {
        let result = self.request("shutdown", Value::Null);
        assert!(result.is_null());
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "{status}");
                return;
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // A test that failed midway leaves no server behind.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The messages of published diagnostics.
fn messages(params: &Value) -> Vec<String> {
    params["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap().to_string())
        .collect()
}

/// One message of the protocol's framing: headers, a blank line, a JSON body.
fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 {
            return None;
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some(value) = header.strip_prefix("Content-Length: ") {
            length = value.parse().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// A journal with a goal half done, a goal with no milestones, a done goal, and an
/// entry naming the first; the session's day is 2026-03-10 (a Tuesday).
fn small_journal() -> Journal {
    Journal::new()
        .file(
            "goals/ship.md",
            "---\ngoal: Ship the app\nid: ship\ndue: 2026-03-31\n---\n\
             - [x] design ✅ 2026-03-02\n- [ ] build 📅 2026-03-07\n",
        )
        .file(
            "goals/talk.md",
            "---\ngoal: Give a talk\ndue: 2026-06-30\n---\n",
        )
        .file(
            "goals/old.md",
            "---\ngoal: Old goal\nstatus: done\n---\n- [x] done ✅ 2026-01-02\n",
        )
        .entry("2026-03-09", "# Monday\n\nWorked on #ship, see [[ship]].\n")
}

const TODAY: &str = "2026-03-10";

#[test]
fn hover_on_a_tag_shows_the_goal_status_progress_and_next_milestone() {
    let journal = small_journal();
    let mut session = Session::start(&journal, TODAY);
    let entry = journal.read("2026-03-09.md");
    session.open("2026-03-09.md", &entry);
    // Its first diagnostics say the journal with the buffer is analysed.
    session.analysed("2026-03-09.md", 1);
    let hover = session.hover("2026-03-09.md", 2, 12).unwrap();
    assert!(hover.contains("**Ship the app** `#ship`"), "{hover}");
    assert!(hover.contains("progress 1/2 (50%)"), "{hover}");
    assert!(hover.contains("due 2026-03-31"), "{hover}");
    assert!(hover.contains("next: build"), "{hover}");
    // On plain words: nothing.
    assert_eq!(session.hover("2026-03-09.md", 2, 1), None);
    session.shut_down();
}

#[test]
fn open_buffers_win_over_the_files_on_disk_and_are_never_written() {
    let journal = small_journal();
    let mut session = Session::start(&journal, TODAY);
    let goal = journal.read("goals/ship.md");
    session.open("goals/ship.md", &goal);
    session.open("2026-03-09.md", &journal.read("2026-03-09.md"));
    // `goal: Ship the app` becomes `goal: Ship it`, unsaved.
    session.edit("goals/ship.md", 2, ((1, 11), (1, 18)), "it");
    session.analysed("goals/ship.md", 2);
    let hover_on_the_tag = |session: &mut Session| session.hover("2026-03-09.md", 2, 12).unwrap();
    session.eventually(hover_on_the_tag, |hover| hover.contains("**Ship it**"));
    // The whole text replaced: the second milestone ticked.
    let ticked = goal
        .replace("Ship the app", "Ship it")
        .replace("- [ ] build", "- [x] build");
    session.change("goals/ship.md", 3, &ticked);
    session.analysed("goals/ship.md", 3);
    session.eventually(hover_on_the_tag, |hover| {
        hover.contains("progress 2/2 (100%)")
    });
    assert_eq!(journal.read("goals/ship.md"), goal);
    // Closed, the file on disk is the goal again.
    session.close("goals/ship.md");
    session.eventually(hover_on_the_tag, |hover| hover.contains("**Ship the app**"));
    session.shut_down();
}

#[test]
fn diagnostics_follow_the_buffer_with_smart_hints_as_hints() {
    let journal = small_journal();
    let mut session = Session::start(&journal, TODAY);
    let talk = journal.read("goals/talk.md");
    session.open("goals/talk.md", &talk);
    let hints = session.diagnostics_until("goals/talk.md", |messages| {
        messages.iter().any(|m| m.contains("has no milestones"))
    });
    assert!(hints.iter().all(|d| d["severity"] == 4), "{hints:#?}");
    // A date that is no date, typed and not saved.
    session.change("goals/talk.md", 2, &talk.replace("2026-06-30", "someday"));
    let problems = session.diagnostics_until("goals/talk.md", |messages| {
        messages.iter().any(|m| m.contains("someday"))
    });
    let error = problems.iter().find(|d| d["severity"] == 1).unwrap();
    assert_eq!(error["range"]["start"]["line"], 2, "{error:#}");
    session.shut_down();
}

/// The labels of a completion answer, in the order the server ranks them.
fn labels(result: &Value) -> Vec<String> {
    let mut items = result["items"].as_array().unwrap().clone();
    items.sort_by_key(|item| item["sortText"].as_str().unwrap().to_string());
    items
        .iter()
        .map(|item| item["label"].as_str().unwrap().to_string())
        .collect()
}

fn item<'a>(result: &'a Value, label: &str) -> &'a Value {
    result["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["label"] == label)
        .unwrap_or_else(|| panic!("no {label} in {result:#}"))
}

#[test]
fn completes_goal_ids_notes_front_matter_and_dates() {
    let journal = small_journal();
    let mut session = Session::start(&journal, TODAY);
    session.open("2026-03-09.md", "# Monday\n\nWorked on #\n");
    session.analysed("2026-03-09.md", 1);
    // `#`: goal ids, active goals first, with title and progress.
    let tags = session.request(
        "textDocument/completion",
        session.at("2026-03-09.md", 2, 11),
    );
    assert_eq!(
        labels(&tags),
        ["give-a-talk", "ship", "old-goal"],
        "{tags:#}"
    );
    let ship = item(&tags, "ship");
    assert_eq!(ship["detail"], "Ship the app · progress 1/2 (50%)");
    assert_eq!(ship["textEdit"]["newText"], "ship");
    // `[[`: notes and goals by file name, the link closed.
    session.change("2026-03-09.md", 2, "# Monday\n\nSee [[sh\n");
    let links = session.request("textDocument/completion", session.at("2026-03-09.md", 2, 8));
    let ship = item(&links, "ship");
    assert_eq!(ship["textEdit"]["newText"], "ship]]");
    assert_eq!(ship["textEdit"]["range"]["start"]["character"], 6);
    // Only the notes whose name or title has what was typed.
    assert_eq!(labels(&links), ["ship"]);
    // After `📅 `: named dates.
    session.change("2026-03-09.md", 3, "- [ ] call 📅 \n");
    let dates = session.request(
        "textDocument/completion",
        session.at("2026-03-09.md", 0, 14),
    );
    assert_eq!(
        labels(&dates),
        ["2026-03-10", "2026-03-11", "2026-03-16", "2026-03-31"]
    );
    assert_eq!(item(&dates, "2026-03-16")["detail"], "next Monday");
    // Front-matter: `parent:` takes goal ids, a key being typed, `status:` values.
    session.open(
        "goals/talk.md",
        "---\ngoal: Give a talk\nparent: \nho\nstatus: \n---\n",
    );
    let parents = session.request("textDocument/completion", session.at("goals/talk.md", 2, 8));
    assert!(labels(&parents).contains(&"ship".to_string()), "{parents}");
    let keys = session.request("textDocument/completion", session.at("goals/talk.md", 3, 2));
    assert_eq!(item(&keys, "horizon")["textEdit"]["newText"], "horizon: ");
    let statuses = session.request("textDocument/completion", session.at("goals/talk.md", 4, 8));
    assert_eq!(labels(&statuses), ["active", "paused", "done", "dropped"]);
    // Plain words: nothing to complete.
    session.change("2026-03-09.md", 4, "plain words\n");
    let none = session.request("textDocument/completion", session.at("2026-03-09.md", 0, 5));
    assert_eq!(labels(&none), Vec::<String>::new());
    session.shut_down();
}

#[test]
fn hover_on_a_wikilink_and_in_a_goals_front_matter() {
    let journal = small_journal();
    let mut session = Session::start(&journal, TODAY);
    session.open("2026-03-09.md", &journal.read("2026-03-09.md"));
    session.open("goals/ship.md", &journal.read("goals/ship.md"));
    session.analysed("goals/ship.md", 1);
    let link = session.hover("2026-03-09.md", 2, 24).unwrap();
    assert!(link.contains("**Ship the app**"), "{link}");
    // Links resolve as the journal resolves them: by path end, shown text aside.
    session.change("2026-03-09.md", 2, "See [[Goals/Ship|the app]].\n");
    let link = session.hover("2026-03-09.md", 0, 8).unwrap();
    assert!(link.contains("**Ship the app**"), "{link}");
    let front_matter = session.hover("goals/ship.md", 3, 2).unwrap();
    assert!(front_matter.contains("status: on-track"), "{front_matter}");
    // Below the front-matter, on a milestone: not the goal's declaration.
    assert_eq!(session.hover("goals/ship.md", 5, 9), None);
    session.shut_down();
}

/// (path relative to the journal, line) of each location of a result.
fn places(session: &Session, result: &Value) -> Vec<(String, u64)> {
    let root = session.uri("");
    result
        .as_array()
        .unwrap()
        .iter()
        .map(|place| {
            let uri = place["uri"].as_str().unwrap();
            let path = uri.strip_prefix(&root).unwrap().to_string();
            (path, place["range"]["start"]["line"].as_u64().unwrap())
        })
        .collect()
}

#[test]
fn goes_to_a_goals_declaration_and_finds_its_milestones_and_entries() {
    let journal = small_journal();
    let mut session = Session::start(&journal, TODAY);
    session.open("2026-03-09.md", &journal.read("2026-03-09.md"));
    session.open(
        "goals/talk.md",
        "---\ngoal: Give a talk\nparent: ship\n---\n",
    );
    session.analysed("goals/talk.md", 1);
    let declaration = vec![("goals/ship.md".to_string(), 1)];
    for (path, line, character) in [
        ("2026-03-09.md", 2, 12),
        ("2026-03-09.md", 2, 24),
        ("goals/talk.md", 2, 10),
    ] {
        let result = session.request("textDocument/definition", session.at(path, line, character));
        assert_eq!(
            places(&session, &result),
            declaration,
            "{path}:{line}:{character}"
        );
    }
    let mut at = session.at("2026-03-09.md", 2, 12);
    at["context"] = json!({"includeDeclaration": true});
    let result = session.request("textDocument/references", at);
    assert_eq!(
        places(&session, &result),
        [
            ("2026-03-09.md".to_string(), 2),
            ("goals/ship.md".to_string(), 5),
            ("goals/ship.md".to_string(), 6),
        ]
    );
    session.shut_down();
}

#[test]
fn inlay_hints_show_progress_and_how_far_due_dates_are() {
    let journal = small_journal();
    let mut session = Session::start(&journal, TODAY);
    let goal =
        journal.read("goals/ship.md") + "- [x] ship 📅 2026-03-01\n- [ ] party 📅 2026-03-15\n";
    session.open("goals/ship.md", &goal);
    session.analysed("goals/ship.md", 1);
    let inlay_hints = |session: &mut Session| -> Vec<(u64, u64, String)> {
        let hints = session.request(
            "textDocument/inlayHint",
            json!({
                "textDocument": {"uri": session.uri("goals/ship.md")},
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": 99, "character": 0}},
            }),
        );
        hints
            .as_array()
            .unwrap()
            .iter()
            .map(|hint| {
                (
                    hint["position"]["line"].as_u64().unwrap(),
                    hint["position"]["character"].as_u64().unwrap(),
                    hint["label"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    // `- [ ] build 📅 2026-03-07`: 📅 counts two UTF-16 units.
    let wanted = [
        (1, 18, "2/4 · 50% · on-track".to_string()),
        (6, 25, "3 d overdue".to_string()),
        (8, 25, "in 5 d".to_string()),
    ];
    session.eventually(inlay_hints, |shown| *shown == wanted);
    session.shut_down();
}

#[test]
fn symbols_of_a_document_and_of_the_workspace() {
    let journal = small_journal();
    let mut session = Session::start(&journal, TODAY);
    let goal = journal.read("goals/ship.md") + "## Later\n- [ ] docs\n";
    session.open("goals/ship.md", &goal);
    session.analysed("goals/ship.md", 1);
    let symbols = session.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": session.uri("goals/ship.md")}}),
    );
    let outline: Vec<String> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|symbol| {
            let children: Vec<&str> = symbol["children"]
                .as_array()
                .unwrap()
                .iter()
                .map(|child| child["name"].as_str().unwrap())
                .collect();
            format!("{} {:?}", symbol["name"].as_str().unwrap(), children)
        })
        .collect();
    assert_eq!(
        outline,
        [
            "Ship the app []",
            "design []",
            "build []",
            "Later [\"docs\"]"
        ]
    );
    let found = session.request("workspace/symbol", json!({"query": "TALK"}));
    let found = found.as_array().unwrap();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["name"], "Give a talk");
    assert_eq!(found[0]["containerName"], "#give-a-talk");
    session.shut_down();
}

/// The versions of the diagnostics published for `path` until (and with) `last`, and
/// the messages of the last.
fn versions_until(session: &mut Session, path: &str, last: i32) -> (Vec<i64>, Vec<String>) {
    let mut versions = Vec::new();
    loop {
        let params = session.published(path, |_| true);
        let version = params["version"].as_i64().unwrap();
        versions.push(version);
        if version == i64::from(last) {
            return (versions, messages(&params));
        }
    }
}

#[test]
fn a_burst_of_edits_is_analysed_once_at_its_end_and_never_answered_late() {
    let journal = small_journal();
    let mut session = Session::start(&journal, TODAY);
    let talk = journal.read("goals/talk.md");
    session.open("goals/talk.md", &talk);
    session.analysed("goals/talk.md", 1);
    // 100 edits as fast as the pipe takes them, asking for a hover amid them: each is
    // answered at once from the last analysis, not after the edits' analysis.
    let mut text = talk.clone();
    for version in 2..=101 {
        text = format!("{text}x");
        session.change("goals/talk.md", version, &text);
        if version == 50 {
            let hover = session.hover("goals/talk.md", 1, 3).unwrap();
            assert!(hover.contains("**Give a talk**"), "{hover}");
        }
    }
    session.change("goals/talk.md", 102, &talk.replace("2026-06-30", "someday"));
    // Diagnostics are published for newer and newer texts only, ending with the last;
    // the work for an edit that a newer one made stale was dropped, not sent late.
    let (versions, problems) = versions_until(&mut session, "goals/talk.md", 102);
    assert!(
        versions.windows(2).all(|pair| pair[0] < pair[1]),
        "{versions:?}"
    );
    assert!(
        problems.iter().any(|m| m.contains("someday")),
        "{problems:?}"
    );
    session.shut_down();
}

#[test]
fn a_file_changed_on_disk_while_open_keeps_the_buffer_until_closed() {
    let journal = small_journal();
    let mut session = Session::start(&journal, TODAY);
    let goal = journal.read("goals/ship.md");
    session.open("goals/ship.md", &goal);
    session.open("2026-03-09.md", &journal.read("2026-03-09.md"));
    session.analysed("2026-03-09.md", 1);
    // Another program rewrites the open file, and a file not open; the editor says so.
    journal.write(
        "goals/ship.md",
        goal.replace("Ship the app", "Ship on disk"),
    );
    journal.write("goals/talk.md", "---\ngoal: Talk on disk\n---\n");
    let changes = json!({"changes": [
        {"uri": session.uri("goals/ship.md"), "type": 2},
        {"uri": session.uri("goals/talk.md"), "type": 2},
    ]});
    session.notify("workspace/didChangeWatchedFiles", changes);
    let talk =
        |session: &mut Session| session.request("workspace/symbol", json!({"query": "talk"}));
    session.eventually(talk, |found| found[0]["name"] == "Talk on disk");
    let hover = session.hover("2026-03-09.md", 2, 12).unwrap();
    assert!(
        hover.contains("**Ship the app**"),
        "the buffer wins: {hover}"
    );
    session.close("goals/ship.md");
    let hover_on_the_tag = |session: &mut Session| session.hover("2026-03-09.md", 2, 12).unwrap();
    session.eventually(hover_on_the_tag, |hover| hover.contains("**Ship on disk**"));
    session.shut_down();
}

#[test]
fn a_save_publishes_the_diagnostics_of_every_file() {
    let journal = small_journal();
    let mut session = Session::start(&journal, TODAY);
    session.open("2026-03-09.md", &journal.read("2026-03-09.md"));
    session.analysed("2026-03-09.md", 1);
    // A file no editor has open gets a problem; saving any file reports it.
    journal.write("goals/bad.md", "---\ngoal: Bad\ndue: whenever\n---\n");
    let uri = session.uri("2026-03-09.md");
    session.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    );
    let problems = session.diagnostics_until("goals/bad.md", |messages| {
        messages.iter().any(|m| m.contains("whenever"))
    });
    assert_eq!(problems[0]["severity"], 1, "{problems:#?}");
    session.shut_down();
}

#[test]
fn hover_in_a_list_of_goals_shows_the_goal_whose_keys_the_cursor_is_among() {
    let journal = Journal::new().file(
        "goals.md",
        "---\ngoals:\n  - title: Alpha\n    due: 2026-04-01\n  - title: Beta\n    due: 2026-05-01\n---\n",
    );
    let mut session = Session::start(&journal, TODAY);
    session.open("goals.md", &journal.read("goals.md"));
    session.analysed("goals.md", 1);
    let alpha = session.hover("goals.md", 3, 6).unwrap();
    assert!(alpha.contains("**Alpha**"), "{alpha}");
    let beta = session.hover("goals.md", 5, 6).unwrap();
    assert!(
        beta.contains("**Beta**") && beta.contains("due 2026-05-01"),
        "{beta}"
    );
    session.shut_down();
}

#[test]
fn hover_on_a_cadence_goal_shows_this_period() {
    let journal = Journal::new()
        .file(
            "goals/run.md",
            "---\ngoal: Run\ncadence: {count: 2, per: week}\n---\n- [x] ran ✅ 2026-03-09\n",
        )
        .entry("2026-03-10", "Ran again #run\n");
    let mut session = Session::start(&journal, TODAY);
    session.open("2026-03-10.md", &journal.read("2026-03-10.md"));
    session.analysed("2026-03-10.md", 1);
    let hover = session.hover("2026-03-10.md", 0, 11).unwrap();
    assert!(
        hover.contains("this period (") && hover.contains("): 1/2"),
        "{hover}"
    );
    session.shut_down();
}

#[test]
fn a_file_made_after_the_start_is_in_the_journal_once_opened() {
    let journal = small_journal();
    let mut session = Session::start(&journal, TODAY);
    session.open("2026-03-09.md", &journal.read("2026-03-09.md"));
    session.analysed("2026-03-09.md", 1);
    journal.write("goals/new.md", "---\ngoal: Brand new\n---\n");
    session.open("goals/new.md", &journal.read("goals/new.md"));
    session.analysed("goals/new.md", 1);
    let brand =
        |session: &mut Session| session.request("workspace/symbol", json!({"query": "brand"}));
    session.eventually(brand, |found| found[0]["name"] == "Brand new");
    session.shut_down();
}
