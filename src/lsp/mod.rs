//! `trailmark lsp`: a Language Server Protocol server over stdio, so that editors know
//! the journal's goals, progress and dates.
//!
//! One thread answers the editor in order (rust-analyzer's `lsp-server`: synchronous, no
//! async runtime) from the newest [`Snapshot`] of the journal and the open buffers; an
//! analysis thread ([`analysis`]) refreshes and analyses the journal with the library's
//! stages (workspace refresh, model, analyse, check) after edits pause ([`DEBOUNCE`]),
//! so a keystroke costs at most a parse of its own buffer. When edits pause, the edited
//! buffers' diagnostics are published at once, checked against the journal as last
//! analysed ([`diagnostics::buffer_problems`]; a file just opened as it is on disk has
//! the problems that analysis found in it); the analysis that follows publishes again
//! only what differs. The server never writes a file: every change is an edit
//! the editor applies.
//!
//! Each feature is a file (`hover.rs`, ...) of functions from a [`Context`] to plain
//! answers; [`Server::answer`] dispatches to them, and [`protocol`] alone speaks the
//! protocol's types.

mod actions;
mod analysis;
mod buffers;
mod commands;
mod completion;
mod definition;
mod diagnostics;
mod editing;
mod fixes;
mod hover;
mod inlay;
mod lookup;
mod memory;
mod protocol;
mod references;
mod rename;
mod snapshot;
mod symbols;
mod tokens;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender, select};
use lsp_server::{Connection, Message};

use crate::dates::Date;
use crate::error::Error;
use analysis::{Analysis, Outcome};
use buffers::Buffer;
use protocol::{Answer, At, Event, Incoming, Outgoing, Problem, Query, TextPosition};
use snapshot::Snapshot;

/// How long edits must pause before the journal is analysed again: a burst of typing
/// costs one analysis, not one a keystroke.
const DEBOUNCE: Duration = Duration::from_millis(150);

#[derive(Debug, Clone, Copy)]
pub(crate) struct ServerOptions {
    /// `None` for the clock's today, read at each analysis.
    pub(crate) today: Option<Date>,
    /// Start from the documents cache of the output folder.
    pub(crate) read_cache: bool,
}

/// Serves the editor on stdin and stdout until it says `exit`.
pub(crate) fn run(options: ServerOptions) -> Result<(), Error> {
    memory::map_large_blocks_apart();
    let (connection, outgoing, io_threads) = protocol::stdio();
    let lost = |error: lsp_server::ProtocolError| Error::Lsp(error.to_string());
    let (id, params) = connection.initialize_start().map_err(lost)?;
    let editor = protocol::editor_abilities(&params);
    let folders = protocol::workspace_folders(params);
    let root = journal_root(&folders);
    // The journal is read and analysed from now: the editor's answer to the result,
    // `initialized`, carries nothing the analysis needs, and its round trip is time
    // the editor would otherwise wait for its first diagnostics.
    let analysis = Analysis::start(root.clone(), options);
    connection
        .initialize_finish(id, protocol::initialize_result())
        .map_err(lost)?;
    // The handshake's sender goes: every message from now on is written as `Outgoing`.
    let Connection { sender, receiver } = connection;
    drop(sender);
    let mut server = Server::new(outgoing, root, options, analysis);
    server.editor = editor;
    server.serve(&receiver);
    drop(server);
    drop(receiver);
    io_threads
        .join()
        .map_err(|error| Error::Lsp(error.to_string()))
}

/// Drops `snapshot` on a thread of its own: freeing a 10,000-file journal's report
/// piece by piece takes milliseconds that a request arriving meanwhile would wait for;
/// and gives what it held back to the system.
fn drop_elsewhere(snapshot: Snapshot) {
    let dropping = std::thread::Builder::new()
        .name("trailmark-drop".to_string())
        .spawn(move || {
            drop(snapshot);
            memory::give_back_free_memory();
        });
    // If no thread can start, the snapshot was dropped here, as it would have been.
    drop(dropping);
}

/// The journal of the editor's folder: the nearest folder up from it with a
/// `trailmark.toml`, else the folder itself (else the current folder).
fn journal_root(folders: &[PathBuf]) -> PathBuf {
    let folder = folders
        .first()
        .cloned()
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("."));
    folder
        .ancestors()
        .find(|dir| dir.join(crate::config::CONFIG_FILE).is_file())
        .map_or_else(|| folder.clone(), Path::to_path_buf)
}

struct Server {
    /// To the editor.
    outgoing: Sender<Outgoing>,
    root: PathBuf,
    analysis: Analysis,
    snapshot: Snapshot,
    /// The open buffers, by journal path.
    buffers: HashMap<String, Buffer>,
    /// Counts the edits of open buffers (open, change, close): a snapshot of an older
    /// generation is stale for the buffers' diagnostics.
    generation: u64,
    /// When to ask for an analysis: edits wait for [`DEBOUNCE`].
    analyse_at: Option<Instant>,
    /// Whether that analysis walks the journal for files changed on disk (after a save
    /// or the editor's word that files changed); a keystroke's only parses the buffers.
    walk: bool,
    /// Whether the next snapshot's diagnostics go to every file, not only open ones: at
    /// the start and after a save.
    publish_all: bool,
    /// The buffers edited since their diagnostics were last published.
    edited_buffers: BTreeSet<String>,
    /// Whether a snapshot of the journal has come: before, a buffer's diagnostics wait
    /// for it, since there is nothing to check the buffer against.
    analysed_once: bool,
    /// What was last published for each file (with the buffer's version for an open
    /// one): to clear a file once it has no problems, and to say nothing when an
    /// analysis finds what was said already.
    published: HashMap<String, (Option<i32>, Vec<Problem>)>,
    /// What the editor can be asked to do, for the commands.
    editor: protocol::EditorAbilities,
}

impl Server {
    /// The server of the journal at `root`, whose [`Analysis`] has started.
    fn new(
        outgoing: Sender<Outgoing>,
        root: PathBuf,
        options: ServerOptions,
        analysis: Analysis,
    ) -> Server {
        Server {
            outgoing,
            root,
            analysis,
            snapshot: Snapshot::empty(options.today.unwrap_or_else(Date::today)),
            buffers: HashMap::new(),
            generation: 0,
            analyse_at: None,
            walk: false,
            publish_all: true,
            edited_buffers: BTreeSet::new(),
            analysed_once: false,
            published: HashMap::new(),
            editor: protocol::EditorAbilities::default(),
        }
    }

    fn send(&self, message: impl Into<Outgoing>) {
        // The connection closes only when the editor has gone; nothing to tell then.
        let _ = self.outgoing.send(message.into());
    }

    fn serve(&mut self, messages: &Receiver<Message>) {
        loop {
            let timer = match self.analyse_at {
                Some(at) => crossbeam_channel::at(at),
                None => crossbeam_channel::never(),
            };
            select! {
                recv(messages) -> message => match message {
                    Ok(message) => {
                        if !self.handle(message) {
                            return;
                        }
                    }
                    Err(_) => return,
                },
                recv(self.analysis.outcomes) -> outcome => {
                    if let Ok(outcome) = outcome {
                        self.analysed(outcome);
                    }
                }
                recv(timer) -> _ => self.edits_paused(),
            }
        }
    }

    /// Handles one message; false when the editor said `exit`.
    fn handle(&mut self, message: Message) -> bool {
        match protocol::decode(message) {
            Incoming::Query(id, query) => {
                let answer = self.answer(query);
                if let Answer::Edit(answer) = &answer {
                    protocol::editor_requests(&id, answer)
                        .into_iter()
                        .for_each(|request| self.send(request));
                }
                self.send(protocol::respond(id, answer));
            }
            Incoming::Unknown(id, method) => self.send(protocol::respond_unknown(id, &method)),
            Incoming::Event(Event::Exit) => return false,
            Incoming::Event(event) => self.event(event),
            Incoming::Response => {}
        }
        true
    }

    fn event(&mut self, event: Event) {
        match event {
            Event::Opened {
                path,
                version,
                text,
            } => {
                if let Some(path) = self.journal_path(&path) {
                    self.buffers
                        .insert(path.clone(), Buffer::new(version, text));
                    // The file may be new since the last walk: look again (opening is
                    // rare next to typing).
                    self.walk = true;
                    self.edited_buffers.insert(path);
                    // Not debounced: an opened file is not being typed in, and its
                    // diagnostics are what the editor shows first.
                    self.generation += 1;
                    self.analyse_at = Some(Instant::now());
                }
            }
            Event::Changed {
                path,
                version,
                changes,
            } => {
                let path = self.journal_path(&path);
                if let Some(path) = path
                    && let Some(buffer) = self.buffers.get_mut(&path)
                {
                    buffer.edit(version, changes);
                    self.edited_buffers.insert(path);
                    self.edited();
                }
            }
            Event::Closed { path } => {
                if let Some(path) = self.journal_path(&path)
                    && self.buffers.remove(&path).is_some()
                {
                    self.edited_buffers.remove(&path);
                    self.edited();
                }
            }
            Event::Saved | Event::FilesChanged => {
                self.publish_all = true;
                self.walk = true;
                // An analysis under way read the files before: its snapshot is not the
                // one to publish every file from.
                self.generation += 1;
                self.analyse_at = Some(Instant::now());
            }
            Event::Exit | Event::Ignored => {}
        }
    }

    /// The edits paused: the journal is analysed on its thread while the edited buffers
    /// are checked here, against the last snapshot.
    fn edits_paused(&mut self) {
        self.analyse_at = None;
        self.request_analysis();
        self.publish_edited();
    }

    /// An open buffer changed: analyse again once edits pause.
    fn edited(&mut self) {
        self.generation += 1;
        self.analyse_at = Some(Instant::now() + DEBOUNCE);
    }

    fn request_analysis(&mut self) {
        let buffers = self
            .buffers
            .iter()
            .map(|(path, buffer)| (path.clone(), buffer.text().to_string()))
            .collect();
        let walk = std::mem::take(&mut self.walk);
        self.analysis.request(self.generation, buffers, walk);
    }

    fn analysed(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Analysed(snapshot) => {
                let last = std::mem::replace(&mut self.snapshot, *snapshot);
                drop_elsewhere(last);
                self.analysed_once = true;
                // Diagnostics of an older text would point at the wrong places: the
                // analysis of the newest text follows.
                if self.snapshot.generation == self.generation {
                    self.publish_diagnostics();
                } else if self.analyse_at.is_none() {
                    // Buffers whose edits paused before the journal's first snapshot
                    // came have waited for one: checked against it now, not after the
                    // analysis of their own text too.
                    self.publish_edited();
                }
            }
            Outcome::Failed(message) => self.send(protocol::show_message(message)),
        }
    }

    /// Publishes the snapshot's diagnostics of the open buffers, then, after a save or
    /// at the start, of every other file that has problems or had them: the open ones
    /// first, since the editor shows them (at the start, the files with problems are
    /// many, and each is read for its lines).
    fn publish_diagnostics(&mut self) {
        let mut open: Vec<String> = self.buffers.keys().cloned().collect();
        open.sort();
        self.edited_buffers.clear();
        self.publish_snapshot_problems(open);
        if std::mem::take(&mut self.publish_all) {
            let mut others: Vec<String> = self.published.keys().cloned().collect();
            others.extend(diagnostics::files_with_problems(&self.snapshot));
            others.retain(|file| !self.buffers.contains_key(file));
            others.sort();
            others.dedup();
            self.publish_snapshot_problems(others);
        }
    }

    /// Publishes the snapshot's diagnostics of `files`.
    fn publish_snapshot_problems(&mut self, files: Vec<String>) {
        let mut lines = buffers::Lines::new(&self.root, &self.buffers);
        let found: Vec<(String, Vec<Problem>)> = files
            .into_iter()
            .map(|file| {
                let problems = diagnostics::problems(&self.snapshot, &file, &mut lines);
                (file, problems)
            })
            .collect();
        for (file, problems) in found {
            self.publish(file, problems);
        }
    }

    /// Publishes the diagnostics of the buffers edited since they were last published,
    /// checked against the journal as last analysed: within the target of 50 ms after
    /// the pause, which analysing a large journal again is not.
    fn publish_edited(&mut self) {
        if !self.analysed_once {
            return;
        }
        let mut lines = buffers::Lines::new(&self.root, &self.buffers);
        let checked: Vec<(String, Vec<Problem>)> = std::mem::take(&mut self.edited_buffers)
            .into_iter()
            .filter_map(|file| {
                let text = self.buffers.get(&file)?.text();
                let problems = diagnostics::opened_or_buffer_problems(
                    &self.snapshot,
                    &self.root,
                    &file,
                    text,
                    &mut lines,
                );
                Some((file, problems))
            })
            .collect();
        for (file, problems) in checked {
            self.publish(file, problems);
        }
    }

    /// Publishes `problems` for `file` unless the editor has them already. An open
    /// buffer hears once for each version, so the editor knows that text was checked.
    fn publish(&mut self, file: String, problems: Vec<Problem>) {
        let version = self.buffers.get(&file).map(|buffer| buffer.version);
        let said = match self.published.get(&file) {
            Some((said_version, said)) => *said_version == version && *said == problems,
            None => version.is_none() && problems.is_empty(),
        };
        if said {
            return;
        }
        self.send(protocol::publish_problems(
            &self.root.join(&file),
            version,
            &problems,
        ));
        if version.is_none() && problems.is_empty() {
            self.published.remove(&file);
        } else {
            self.published.insert(file, (version, problems));
        }
    }

    /// The journal path (relative, `/` separators) of the file at `path`; `None` for a
    /// file outside the journal.
    fn journal_path(&self, path: &Path) -> Option<String> {
        let relative = match path.strip_prefix(&self.root) {
            Ok(relative) => relative.to_path_buf(),
            Err(_) => {
                // The editor may name the file through another route (a link) to it.
                let real = std::fs::canonicalize(path).ok()?;
                let root = std::fs::canonicalize(&self.root).ok()?;
                real.strip_prefix(root).ok()?.to_path_buf()
            }
        };
        let parts: Option<Vec<&str>> = relative
            .components()
            .map(|c| c.as_os_str().to_str())
            .collect();
        Some(parts?.join("/"))
    }

    /// The feature dispatcher: each query to its feature's module.
    fn answer(&self, query: Query) -> Answer {
        let lines = &mut buffers::Lines::new(&self.root, &self.buffers);
        match query {
            Query::Hover(at) => self.with_context(&at, |c| Answer::Hover(hover::hover(c))),
            Query::Completion(at) => self.with_context(&at, |c| {
                let completion::Completions { items, incomplete } = completion::completion(c);
                Answer::Completion { items, incomplete }
            }),
            Query::Definition(at) => {
                self.with_context(&at, |c| Answer::Locations(definition::definition(c, lines)))
            }
            Query::References(at) => {
                self.with_context(&at, |c| Answer::Locations(references::references(c, lines)))
            }
            Query::InlayHints { path, range } => self.with_context(&At::start_of(path), |c| {
                Answer::InlayHints(inlay::inlay_hints(c, range))
            }),
            Query::DocumentSymbols(path) => self.with_context(&At::start_of(path), |c| {
                Answer::DocumentSymbols(symbols::document_symbols(c))
            }),
            Query::WorkspaceSymbols(query) => Answer::WorkspaceSymbols(symbols::workspace_symbols(
                &self.snapshot,
                &self.root,
                &query,
                lines,
            )),
            Query::Edit(query) => Answer::Edit(self.edit(query)),
            Query::Shutdown => Answer::Nothing,
        }
    }

    /// `feature` given the context of `at`; nothing for a file outside the journal.
    fn with_context(&self, at: &At, feature: impl FnOnce(&Context<'_>) -> Answer) -> Answer {
        let Some(path) = self.journal_path(&at.path) else {
            return Answer::Nothing;
        };
        let on_disk;
        let buffer = match self.buffers.get(&path) {
            Some(buffer) => buffer,
            None => {
                // Editors ask about open files; a file they did not open is read as is.
                let text = crate::document::read(&self.root, &path).unwrap_or_default();
                on_disk = Buffer::new(0, String::from_utf8_lossy(&text).into_owned());
                &on_disk
            }
        };
        feature(&Context {
            root: &self.root,
            path: &path,
            buffer,
            position: at.position,
            snapshot: &self.snapshot,
        })
    }
}

/// What a feature answers from: the journal as last analysed, and the buffer asked
/// about with the cursor in it.
pub(crate) struct Context<'a> {
    pub(crate) root: &'a Path,
    /// The journal path of the buffer.
    pub(crate) path: &'a str,
    pub(crate) buffer: &'a Buffer,
    pub(crate) position: TextPosition,
    pub(crate) snapshot: &'a Snapshot,
}

impl Context<'_> {
    /// The cursor's line.
    pub(crate) fn line(&self) -> &str {
        self.buffer.line(self.position.line)
    }

    /// The cursor's byte offset in its line.
    pub(crate) fn offset_in_line(&self) -> usize {
        buffers::byte_of_utf16(self.line(), self.position.utf16)
    }

    /// The protocol range of bytes `range` of the cursor's line.
    pub(crate) fn line_range(&self, range: std::ops::Range<usize>) -> protocol::TextRange {
        protocol::TextRange {
            start: self
                .buffer
                .position_in_line(self.position.line, range.start),
            end: self.buffer.position_in_line(self.position.line, range.end),
        }
    }

    /// The buffer parsed as a journal document, as the journal's settings parse it.
    pub(crate) fn document(&self) -> &crate::document::Document {
        self.buffer.document(self.path, &self.snapshot.parse)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The server's messages to the editor that publish diagnostics, as (path, version).
    fn published(editor: &Receiver<Outgoing>) -> Vec<(String, Option<i64>)> {
        editor
            .try_iter()
            .filter_map(|message| match message.message() {
                Message::Notification(notification)
                    if notification.method == "textDocument/publishDiagnostics" =>
                {
                    let uri = notification.params["uri"].as_str()?.to_string();
                    let path = uri.rsplit('/').next()?.to_string();
                    Some((path, notification.params["version"].as_i64()))
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_file_opened_before_the_first_snapshot_is_checked_as_soon_as_one_comes() {
        let folder = tempfile::tempdir().unwrap();
        std::fs::write(folder.path().join("goal.md"), "---\ngoal: Ship\n---\n").unwrap();
        let (server_side, editor) = crossbeam_channel::unbounded();
        let options = ServerOptions {
            today: Date::from_ymd(2026, 3, 10),
            read_cache: false,
        };
        let root = folder.path().to_path_buf();
        let analysis = Analysis::start(root.clone(), options);
        let mut server = Server::new(server_side, root, options, analysis);
        // The analysis of the journal as it was at the start, held back until the
        // opened file's wait is over: an analysis slower than that wait.
        let first = server.analysis.outcomes.recv().unwrap();
        server.event(Event::Opened {
            path: folder.path().join("2026-03-09.md"),
            version: 1,
            text: "- [ ] draft #shp\n".to_string(),
        });
        server.edits_paused();
        assert_eq!(published(&editor), [], "nothing to check against yet");
        server.analysed(first);
        assert_eq!(
            published(&editor),
            [("2026-03-09.md".to_string(), Some(1))],
            "checked against the snapshot that came, not after the next analysis"
        );
    }

    /// At the start every file with problems is published: the open buffers first, which
    /// the editor shows, though their paths sort after the others'.
    #[test]
    fn the_open_buffers_diagnostics_come_before_the_other_files() {
        let folder = tempfile::tempdir().unwrap();
        std::fs::write(folder.path().join("goal.md"), "---\ngoal: Ship\n---\n").unwrap();
        std::fs::write(folder.path().join("a.md"), "- [ ] draft #shp\n").unwrap();
        let opened = "- [ ] plan #ship\n";
        std::fs::write(folder.path().join("z.md"), opened).unwrap();
        let (server_side, editor) = crossbeam_channel::unbounded();
        let options = ServerOptions {
            today: Date::from_ymd(2026, 3, 10),
            read_cache: false,
        };
        let root = folder.path().to_path_buf();
        let analysis = Analysis::start(root.clone(), options);
        let mut server = Server::new(server_side, root, options, analysis);
        let Outcome::Analysed(mut first) = server.analysis.outcomes.recv().unwrap() else {
            panic!("the journal is analysed");
        };
        server.event(Event::Opened {
            path: folder.path().join("z.md"),
            version: 1,
            text: opened.to_string(),
        });
        // The file was opened before the analysis began: the snapshot is of its text.
        first.generation = server.generation;
        server.analysed(Outcome::Analysed(first));
        let files: Vec<String> = published(&editor)
            .into_iter()
            .map(|(file, _)| file)
            .collect();
        assert_eq!(files.first().map(String::as_str), Some("z.md"));
        assert!(files.contains(&"a.md".to_string()), "{files:?}");
    }
}
