//! The Language Server Protocol's messages, turned into plain trailmark values and back:
//! the only module that names `lsp_types` or `lsp_server`'s message types, so that a
//! change of either crate (whose future is uncertain) stays in this one file.
//!
//! Positions are 0-based lines and UTF-16 columns, as the protocol counts them by
//! default; [`super::buffers`] turns them into byte offsets of the text.
//!
//! Over 500 lines on purpose: being the one module that names the protocol's types, it
//! holds every message's conversion, a few lines each.

use std::path::{Path, PathBuf};

use lsp_server::{Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as note, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{self as lsp, Url};
use serde_json::Value;

// The editing features' messages (rename, code actions, commands): part of this module,
// in a file of its own.
mod edits;
pub(crate) use edits::*;
// The connection over stdin and stdout, which writes each message from its values.
mod transport;
pub(crate) use transport::{Outgoing, stdio};

/// A place in a text: 0-based line, and column in UTF-16 code units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub(crate) struct TextPosition {
    pub(crate) line: u32,
    pub(crate) utf16: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct TextRange {
    pub(crate) start: TextPosition,
    pub(crate) end: TextPosition,
}

/// A range of a file, by its absolute path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FileRange {
    pub(crate) path: PathBuf,
    pub(crate) range: TextRange,
}

/// Replace `range` with `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TextEdit {
    pub(crate) range: TextRange,
    pub(crate) text: String,
}

/// A place the editor asks about: a file by its absolute path, and a position in it.
#[derive(Debug, Clone)]
pub(crate) struct At {
    pub(crate) path: PathBuf,
    pub(crate) position: TextPosition,
}

impl At {
    /// The start of the file at `path`, for a query about a whole file.
    pub(crate) fn start_of(path: PathBuf) -> At {
        At {
            path,
            position: TextPosition::default(),
        }
    }
}

/// An edit of an open buffer: `range` replaced by `text`, or the whole text when there
/// is no range.
#[derive(Debug, Clone)]
pub(crate) struct Change {
    pub(crate) range: Option<TextRange>,
    pub(crate) text: String,
}

/// What the editor tells the server, answered by nothing.
#[derive(Debug)]
pub(crate) enum Event {
    Opened {
        path: PathBuf,
        version: i32,
        text: String,
    },
    Changed {
        path: PathBuf,
        version: i32,
        changes: Vec<Change>,
    },
    Saved,
    Closed {
        path: PathBuf,
    },
    /// Files changed on disk (the editor watches them for us when it can).
    FilesChanged,
    Exit,
    /// Anything else: `initialized`, `$/cancelRequest`, settings; nothing to do.
    Ignored,
}

/// What the editor asks, answered by an [`Answer`].
#[derive(Debug)]
pub(crate) enum Query {
    Hover(At),
    Completion(At),
    Definition(At),
    References(At),
    InlayHints { path: PathBuf, range: TextRange },
    DocumentSymbols(PathBuf),
    WorkspaceSymbols(String),
    Edit(EditQuery),
    Shutdown,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct HoverText {
    pub(crate) markdown: String,
    pub(crate) range: TextRange,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CompletionKind {
    Goal,
    Note,
    Key,
    Value,
    Date,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CompletionItem {
    pub(crate) label: String,
    pub(crate) kind: CompletionKind,
    /// Shown beside the label: a goal's title and progress, a date's name.
    pub(crate) detail: Option<String>,
    pub(crate) edit: TextEdit,
    /// The order the editor lists items in, before it filters by what was typed.
    pub(crate) sort: String,
    /// What the editor matches the typed text against, when not the label.
    pub(crate) filter: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct InlayHint {
    pub(crate) position: TextPosition,
    pub(crate) label: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SymbolKind {
    Goal,
    Milestone,
    Heading,
}

/// A symbol of one document, with the symbols inside it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DocumentSymbol {
    pub(crate) name: String,
    pub(crate) detail: Option<String>,
    pub(crate) kind: SymbolKind,
    pub(crate) range: TextRange,
    pub(crate) children: Vec<DocumentSymbol>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct WorkspaceSymbol {
    pub(crate) name: String,
    pub(crate) kind: SymbolKind,
    pub(crate) location: FileRange,
    /// What the editor shows beside it (the goal's id).
    pub(crate) container: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ProblemSeverity {
    Error,
    Warning,
    Hint,
}

/// A diagnostic as the editor shows it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Problem {
    pub(crate) range: TextRange,
    pub(crate) severity: ProblemSeverity,
    pub(crate) message: String,
}

/// The answer to a [`Query`].
#[derive(Debug)]
pub(crate) enum Answer {
    Hover(Option<HoverText>),
    /// The items, and whether more would match than are listed (the editor asks again
    /// as more is typed).
    Completion {
        items: Vec<CompletionItem>,
        incomplete: bool,
    },
    Locations(Vec<FileRange>),
    InlayHints(Vec<InlayHint>),
    DocumentSymbols(Vec<DocumentSymbol>),
    WorkspaceSymbols(Vec<WorkspaceSymbol>),
    Edit(EditAnswer),
    /// `null`: for `shutdown`, and for a query about a file outside the journal.
    Nothing,
}

/// What the server can do, as the `initialize` result says it.
pub(crate) fn initialize_result() -> Value {
    let capabilities = lsp::ServerCapabilities {
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
            lsp::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lsp::TextDocumentSyncKind::INCREMENTAL),
                save: Some(lsp::TextDocumentSyncSaveOptions::Supported(true)),
                ..Default::default()
            },
        )),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        completion_provider: Some(lsp::CompletionOptions {
            trigger_characters: Some(["#", "[", ":", " "].iter().map(|c| c.to_string()).collect()),
            ..Default::default()
        }),
        definition_provider: Some(lsp::OneOf::Left(true)),
        references_provider: Some(lsp::OneOf::Left(true)),
        inlay_hint_provider: Some(lsp::OneOf::Left(true)),
        document_symbol_provider: Some(lsp::OneOf::Left(true)),
        workspace_symbol_provider: Some(lsp::OneOf::Left(true)),
        ..Default::default()
    };
    let mut capabilities = capabilities;
    edits::capabilities(&mut capabilities);
    serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": {"name": "trailmark", "version": env!("CARGO_PKG_VERSION")},
    })
}

/// The folders the editor opened, from `initialize`'s parameters: its workspace folders,
/// else its root URI, else its root path.
pub(crate) fn workspace_folders(params: Value) -> Vec<PathBuf> {
    let Ok(params) = serde_json::from_value::<lsp::InitializeParams>(params) else {
        return Vec::new();
    };
    let folders: Vec<PathBuf> = params
        .workspace_folders
        .unwrap_or_default()
        .iter()
        .filter_map(|folder| path_of(&folder.uri))
        .collect();
    if !folders.is_empty() {
        return folders;
    }
    #[allow(deprecated)] // Older clients send only these.
    let root = (params.root_uri.as_ref().and_then(path_of)).or(params.root_path.map(PathBuf::from));
    root.into_iter().collect()
}

fn path_of(uri: &Url) -> Option<PathBuf> {
    (uri.scheme() == "file")
        .then(|| uri.to_file_path().ok())
        .flatten()
}

fn uri_of(path: &Path) -> Url {
    Url::from_file_path(path).unwrap_or_else(|()| Url::parse("file:///").expect("a valid URI"))
}

/// A message from the editor, as the server handles it.
pub(crate) enum Incoming {
    Query(RequestId, Query),
    /// A request the server does not know (or whose parameters are wrong): answered
    /// with an error, so the editor does not wait.
    Unknown(RequestId, String),
    Event(Event),
    /// A response to a request of the server (it sends none).
    Response,
}

pub(crate) fn decode(message: Message) -> Incoming {
    match message {
        Message::Request(request) => match decode_request(&request) {
            Some(query) => Incoming::Query(request.id, query),
            None => Incoming::Unknown(request.id, request.method),
        },
        Message::Notification(notification) => Incoming::Event(decode_event(notification)),
        Message::Response(_) => Incoming::Response,
    }
}

fn params<P: serde::de::DeserializeOwned>(request: &Request) -> Option<P> {
    serde_json::from_value(request.params.clone()).ok()
}

fn at(position: lsp::TextDocumentPositionParams) -> Option<At> {
    Some(At {
        path: path_of(&position.text_document.uri)?,
        position: from_position(position.position),
    })
}

fn decode_request(request: &Request) -> Option<Query> {
    Some(match request.method.as_str() {
        req::HoverRequest::METHOD => {
            let p: lsp::HoverParams = params(request)?;
            Query::Hover(at(p.text_document_position_params)?)
        }
        req::Completion::METHOD => {
            let p: lsp::CompletionParams = params(request)?;
            Query::Completion(at(p.text_document_position)?)
        }
        req::GotoDefinition::METHOD => {
            let p: lsp::GotoDefinitionParams = params(request)?;
            Query::Definition(at(p.text_document_position_params)?)
        }
        req::References::METHOD => {
            let p: lsp::ReferenceParams = params(request)?;
            Query::References(at(p.text_document_position)?)
        }
        req::InlayHintRequest::METHOD => {
            let p: lsp::InlayHintParams = params(request)?;
            Query::InlayHints {
                path: path_of(&p.text_document.uri)?,
                range: from_range(p.range),
            }
        }
        req::DocumentSymbolRequest::METHOD => {
            let p: lsp::DocumentSymbolParams = params(request)?;
            Query::DocumentSymbols(path_of(&p.text_document.uri)?)
        }
        req::WorkspaceSymbolRequest::METHOD => {
            let p: lsp::WorkspaceSymbolParams = params(request)?;
            Query::WorkspaceSymbols(p.query)
        }
        req::Shutdown::METHOD => Query::Shutdown,
        _ => return edits::decode_request(request).map(Query::Edit),
    })
}

fn decode_event(notification: Notification) -> Event {
    let params = notification.params;
    let decoded = match notification.method.as_str() {
        note::DidOpenTextDocument::METHOD => {
            serde_json::from_value::<lsp::DidOpenTextDocumentParams>(params)
                .ok()
                .and_then(|p| {
                    Some(Event::Opened {
                        path: path_of(&p.text_document.uri)?,
                        version: p.text_document.version,
                        text: p.text_document.text,
                    })
                })
        }
        note::DidChangeTextDocument::METHOD => {
            serde_json::from_value::<lsp::DidChangeTextDocumentParams>(params)
                .ok()
                .and_then(|p| {
                    Some(Event::Changed {
                        path: path_of(&p.text_document.uri)?,
                        version: p.text_document.version,
                        changes: p
                            .content_changes
                            .into_iter()
                            .map(|change| Change {
                                range: change.range.map(from_range),
                                text: change.text,
                            })
                            .collect(),
                    })
                })
        }
        note::DidSaveTextDocument::METHOD => Some(Event::Saved),
        note::DidCloseTextDocument::METHOD => {
            serde_json::from_value::<lsp::DidCloseTextDocumentParams>(params)
                .ok()
                .and_then(|p| {
                    Some(Event::Closed {
                        path: path_of(&p.text_document.uri)?,
                    })
                })
        }
        note::DidChangeWatchedFiles::METHOD => Some(Event::FilesChanged),
        note::Exit::METHOD => Some(Event::Exit),
        _ => None,
    };
    decoded.unwrap_or(Event::Ignored)
}

fn from_position(position: lsp::Position) -> TextPosition {
    TextPosition {
        line: position.line,
        utf16: position.character,
    }
}

fn from_range(range: lsp::Range) -> TextRange {
    TextRange {
        start: from_position(range.start),
        end: from_position(range.end),
    }
}

fn position(position: TextPosition) -> lsp::Position {
    lsp::Position::new(position.line, position.utf16)
}

fn range(range: TextRange) -> lsp::Range {
    lsp::Range::new(position(range.start), position(range.end))
}

fn location(place: &FileRange) -> lsp::Location {
    lsp::Location::new(uri_of(&place.path), range(place.range))
}

fn text_edit(edit: &TextEdit) -> lsp::TextEdit {
    lsp::TextEdit::new(range(edit.range), edit.text.clone())
}

/// The response to the request `id`, its result written straight from the answer (see
/// [`transport`]).
pub(crate) fn respond(id: RequestId, answer: Answer) -> Outgoing {
    match answer {
        Answer::Hover(hover) => ok(
            &id,
            hover.map(|hover| lsp::Hover {
                contents: lsp::HoverContents::Markup(lsp::MarkupContent {
                    kind: lsp::MarkupKind::Markdown,
                    value: hover.markdown,
                }),
                range: Some(range(hover.range)),
            }),
        ),
        Answer::Completion { items, incomplete } => ok(
            &id,
            lsp::CompletionResponse::List(lsp::CompletionList {
                is_incomplete: incomplete,
                items: items.into_iter().map(completion_item).collect(),
            }),
        ),
        Answer::Locations(places) => ok(&id, places.iter().map(location).collect::<Vec<_>>()),
        Answer::InlayHints(hints) => ok(
            &id,
            hints
                .into_iter()
                .map(|hint| lsp::InlayHint {
                    position: position(hint.position),
                    label: lsp::InlayHintLabel::String(hint.label),
                    kind: None,
                    text_edits: None,
                    tooltip: None,
                    padding_left: Some(true),
                    padding_right: None,
                    data: None,
                })
                .collect::<Vec<_>>(),
        ),
        Answer::DocumentSymbols(symbols) => ok(
            &id,
            lsp::DocumentSymbolResponse::Nested(symbols.iter().map(document_symbol).collect()),
        ),
        Answer::WorkspaceSymbols(symbols) => ok(
            &id,
            symbols
                .iter()
                .map(|symbol| {
                    #[allow(deprecated)] // `deprecated` is a field the type still has.
                    lsp::SymbolInformation {
                        name: symbol.name.clone(),
                        kind: symbol_kind(symbol.kind),
                        tags: None,
                        deprecated: None,
                        location: location(&symbol.location),
                        container_name: symbol.container.clone(),
                    }
                })
                .collect::<Vec<_>>(),
        ),
        Answer::Edit(answer) => edits::respond(id, answer),
        Answer::Nothing => ok(&id, Value::Null),
    }
}

/// The response to the request `id` whose result is `result`.
fn ok(id: &RequestId, result: impl serde::Serialize) -> Outgoing {
    Outgoing::answer(id, result)
}

/// The error response to a request the server does not handle.
pub(crate) fn respond_unknown(id: RequestId, method: &str) -> Outgoing {
    Outgoing::from(Message::Response(Response::new_err(
        id,
        lsp_server::ErrorCode::MethodNotFound as i32,
        format!("trailmark does not handle {method}"),
    )))
}

fn completion_item(item: CompletionItem) -> lsp::CompletionItem {
    lsp::CompletionItem {
        label: item.label,
        kind: Some(match item.kind {
            CompletionKind::Goal => lsp::CompletionItemKind::CLASS,
            CompletionKind::Note => lsp::CompletionItemKind::FILE,
            CompletionKind::Key => lsp::CompletionItemKind::PROPERTY,
            CompletionKind::Value => lsp::CompletionItemKind::ENUM_MEMBER,
            CompletionKind::Date => lsp::CompletionItemKind::VALUE,
        }),
        detail: item.detail,
        sort_text: Some(item.sort),
        filter_text: item.filter,
        text_edit: Some(lsp::CompletionTextEdit::Edit(text_edit(&item.edit))),
        ..Default::default()
    }
}

fn symbol_kind(kind: SymbolKind) -> lsp::SymbolKind {
    match kind {
        SymbolKind::Goal => lsp::SymbolKind::CLASS,
        SymbolKind::Milestone => lsp::SymbolKind::EVENT,
        SymbolKind::Heading => lsp::SymbolKind::STRING,
    }
}

fn document_symbol(symbol: &DocumentSymbol) -> lsp::DocumentSymbol {
    #[allow(deprecated)] // `deprecated` is a field the type still has.
    lsp::DocumentSymbol {
        name: symbol.name.clone(),
        detail: symbol.detail.clone(),
        kind: symbol_kind(symbol.kind),
        tags: None,
        deprecated: None,
        range: range(symbol.range),
        selection_range: range(symbol.range),
        children: Some(symbol.children.iter().map(document_symbol).collect()),
    }
}

/// The diagnostics of the file at `path`, replacing those published before.
pub(crate) fn publish_problems(path: &Path, version: Option<i32>, problems: &[Problem]) -> Message {
    let params = lsp::PublishDiagnosticsParams {
        uri: uri_of(path),
        version,
        diagnostics: problems
            .iter()
            .map(|problem| lsp::Diagnostic {
                range: range(problem.range),
                severity: Some(match problem.severity {
                    ProblemSeverity::Error => lsp::DiagnosticSeverity::ERROR,
                    ProblemSeverity::Warning => lsp::DiagnosticSeverity::WARNING,
                    ProblemSeverity::Hint => lsp::DiagnosticSeverity::HINT,
                }),
                source: Some("trailmark".to_string()),
                message: problem.message.clone(),
                ..Default::default()
            })
            .collect(),
    };
    Message::Notification(Notification::new(
        note::PublishDiagnostics::METHOD.to_string(),
        params,
    ))
}

/// A message for the editor to show (a journal it cannot read, a broken trailmark.toml).
pub(crate) fn show_message(text: String) -> Message {
    Message::Notification(Notification::new(
        note::ShowMessage::METHOD.to_string(),
        lsp::ShowMessageParams {
            typ: lsp::MessageType::WARNING,
            message: text,
        },
    ))
}
