//! `trailmark lsp`: a Language Server Protocol server over stdio, so that editors know
//! the journal's goals, progress and dates.
//!
//! One thread answers the editor in order (rust-analyzer's `lsp-server`: synchronous, no
//! async runtime) from the newest [`Snapshot`] of the journal and the open buffers; an
//! analysis thread ([`analysis`]) refreshes and analyses the journal with the library's
//! stages (workspace refresh, model, analyse, check) after edits pause ([`DEBOUNCE`]),
//! so a keystroke costs at most a parse of its own buffer. The server never writes a
//! file: every change is an edit the editor applies.
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
mod protocol;
mod references;
mod rename;
mod snapshot;
mod symbols;
mod tokens;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, select};
use lsp_server::{Connection, Message};

use crate::dates::Date;
use crate::error::Error;
use analysis::{Analysis, Outcome};
use buffers::Buffer;
use protocol::{Answer, At, Event, Incoming, Query, TextPosition};
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
    let (connection, io_threads) = Connection::stdio();
    let lost = |error: lsp_server::ProtocolError| Error::Lsp(error.to_string());
    let (id, params) = connection.initialize_start().map_err(lost)?;
    let editor = protocol::editor_abilities(&params);
    let folders = protocol::workspace_folders(params);
    let root = journal_root(&folders);
    connection
        .initialize_finish(id, protocol::initialize_result())
        .map_err(lost)?;
    let mut server = Server::new(&connection, root, options);
    server.editor = editor;
    server.serve(&connection.receiver);
    drop(server);
    drop(connection);
    io_threads
        .join()
        .map_err(|error| Error::Lsp(error.to_string()))
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

struct Server<'a> {
    connection: &'a Connection,
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
    /// The files with diagnostics published, to clear them once they have none.
    published: HashSet<String>,
    /// What the editor can be asked to do, for the commands.
    editor: protocol::EditorAbilities,
}

impl<'a> Server<'a> {
    fn new(connection: &'a Connection, root: PathBuf, options: ServerOptions) -> Server<'a> {
        let analysis = Analysis::start(root.clone(), options);
        analysis.request(0, HashMap::new(), true);
        Server {
            connection,
            root,
            analysis,
            snapshot: Snapshot::empty(options.today.unwrap_or_else(Date::today)),
            buffers: HashMap::new(),
            generation: 0,
            analyse_at: None,
            walk: false,
            publish_all: true,
            published: HashSet::new(),
            editor: protocol::EditorAbilities::default(),
        }
    }

    fn send(&self, message: Message) {
        // The connection closes only when the editor has gone; nothing to tell then.
        let _ = self.connection.sender.send(message);
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
                recv(timer) -> _ => {
                    self.analyse_at = None;
                    self.request_analysis();
                }
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
                    self.buffers.insert(path, Buffer::new(version, text));
                    // The file may be new since the last walk: look again (opening is
                    // rare next to typing).
                    self.walk = true;
                    self.edited();
                }
            }
            Event::Changed {
                path,
                version,
                changes,
            } => {
                let path = self.journal_path(&path);
                if let Some(buffer) = path.and_then(|path| self.buffers.get_mut(&path)) {
                    buffer.edit(version, changes);
                    self.edited();
                }
            }
            Event::Closed { path } => {
                if let Some(path) = self.journal_path(&path)
                    && self.buffers.remove(&path).is_some()
                {
                    self.edited();
                }
            }
            Event::Saved | Event::FilesChanged => {
                self.publish_all = true;
                self.walk = true;
                self.analyse_at = Some(Instant::now());
            }
            Event::Exit | Event::Ignored => {}
        }
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
                self.snapshot = *snapshot;
                // Diagnostics of an older text would point at the wrong places: the
                // analysis of the newest text follows.
                if self.snapshot.generation == self.generation {
                    self.publish_diagnostics();
                }
            }
            Outcome::Failed(message) => self.send(protocol::show_message(message)),
        }
    }

    fn publish_diagnostics(&mut self) {
        let mut files: Vec<String> = self.buffers.keys().cloned().collect();
        if std::mem::take(&mut self.publish_all) {
            files.extend(self.published.iter().cloned());
            files.extend(diagnostics::files_with_problems(&self.snapshot));
        }
        files.sort();
        files.dedup();
        let mut lines = buffers::Lines::new(&self.root, &self.buffers);
        for file in files {
            let problems = diagnostics::problems(&self.snapshot, &file, &mut lines);
            let version = self.buffers.get(&file).map(|buffer| buffer.version);
            // An open buffer always hears, so the editor knows its text was analysed.
            let had_problems = self.published.remove(&file);
            if problems.is_empty() && !had_problems && version.is_none() {
                continue;
            }
            if !problems.is_empty() {
                self.published.insert(file.clone());
            }
            self.send(protocol::publish_problems(
                &self.root.join(&file),
                version,
                &problems,
            ));
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
