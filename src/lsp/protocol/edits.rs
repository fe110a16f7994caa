//! The protocol's messages of the editing features (rename, code actions, commands),
//! turned into plain values and back. Part of [`super`], the one module that names the
//! protocol's types; a file of its own so that the read-only features and these grow
//! apart.

use std::path::PathBuf;

use lsp_server::{ErrorCode, Message, Request, RequestId, Response};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{self as lsp};
use serde_json::Value;

use super::{
    At, Outgoing, TextEdit, TextRange, at, from_range, ok, path_of, range, text_edit, uri_of,
};

/// The command that opens a goal's HTML report; its argument is the goal's id.
pub(crate) const OPEN_REPORT: &str = "trailmark.openReport";
/// The command that makes today's entry (or shows it, when there is one).
pub(crate) const NEW_ENTRY: &str = "trailmark.newEntry";

/// What the editor asks of the editing features.
#[derive(Debug)]
pub(crate) enum EditQuery {
    PrepareRename(At),
    Rename { at: At, new_name: String },
    CodeActions { path: PathBuf, range: TextRange },
    Command(Command),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Command {
    OpenReport { goal: String },
    NewEntry,
}

/// Changes to files, for the editor to apply: edits of existing files, and new files
/// with their text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct WorkspaceEdit {
    /// Each file's edits, by absolute path, in path order.
    pub(crate) edits: Vec<(PathBuf, Vec<TextEdit>)>,
    /// A file to create, never over an existing one, and its text.
    pub(crate) created: Option<(PathBuf, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ActionKind {
    QuickFix,
    /// A change of the text that fixes nothing (ticking a milestone).
    Rewrite,
    /// A command about the file (its goal's report, today's entry).
    Source,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CodeAction {
    pub(crate) title: String,
    pub(crate) kind: ActionKind,
    pub(crate) edit: Option<WorkspaceEdit>,
    pub(crate) command: Option<Command>,
    /// The one fix an editor may apply without asking ("fix all", a lightbulb's first).
    pub(crate) preferred: bool,
}

/// What the server asks of the editor while it runs a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum EditorRequest {
    /// Show the file; `external`: in the program the system opens it with (a browser).
    Show {
        path: PathBuf,
        external: bool,
    },
    Apply(WorkspaceEdit),
    /// Tell the user (a report not built yet).
    Say(String),
}

/// The answer to an [`EditQuery`]; `Err` is a message for the user.
#[derive(Debug)]
pub(crate) enum EditAnswer {
    /// The range of the id to rename, and the id.
    PrepareRename(Result<(TextRange, String), String>),
    Rename(Result<WorkspaceEdit, String>),
    CodeActions(Vec<CodeAction>),
    /// What the editor is asked to do, in order.
    Command(Vec<EditorRequest>),
}

pub(crate) fn capabilities(capabilities: &mut lsp::ServerCapabilities) {
    capabilities.rename_provider = Some(lsp::OneOf::Right(lsp::RenameOptions {
        prepare_provider: Some(true),
        work_done_progress_options: Default::default(),
    }));
    capabilities.code_action_provider = Some(lsp::CodeActionProviderCapability::Options(
        lsp::CodeActionOptions {
            code_action_kinds: Some(vec![
                lsp::CodeActionKind::QUICKFIX,
                lsp::CodeActionKind::REFACTOR_REWRITE,
                lsp::CodeActionKind::SOURCE,
            ]),
            ..Default::default()
        },
    ));
    capabilities.execute_command_provider = Some(lsp::ExecuteCommandOptions {
        commands: vec![OPEN_REPORT.to_string(), NEW_ENTRY.to_string()],
        ..Default::default()
    });
}

/// What the editor says it can do, of what the commands ask of it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct EditorAbilities {
    /// Show a file when asked (`window/showDocument`).
    pub(crate) shows_documents: bool,
    /// Apply an edit that creates a file (`documentChanges` with a `create`).
    pub(crate) creates_files: bool,
}

/// The editor's abilities, from `initialize`'s parameters.
pub(crate) fn editor_abilities(params: &Value) -> EditorAbilities {
    let capabilities = &params["capabilities"];
    let edits = &capabilities["workspace"]["workspaceEdit"];
    EditorAbilities {
        shows_documents: capabilities["window"]["showDocument"]["support"] == true,
        // Resource operations exist only in `documentChanges`: an editor that lists
        // `create` applies them (Neovim 0.7 lists it without saying `documentChanges`).
        creates_files: edits["resourceOperations"]
            .as_array()
            .is_some_and(|operations| operations.iter().any(|op| op == "create")),
    }
}

fn params<P: serde::de::DeserializeOwned>(request: &Request) -> Option<P> {
    serde_json::from_value(request.params.clone()).ok()
}

pub(crate) fn decode_request(request: &Request) -> Option<EditQuery> {
    Some(match request.method.as_str() {
        req::PrepareRenameRequest::METHOD => {
            let p: lsp::TextDocumentPositionParams = params(request)?;
            EditQuery::PrepareRename(at(p)?)
        }
        req::Rename::METHOD => {
            let p: lsp::RenameParams = params(request)?;
            EditQuery::Rename {
                at: at(p.text_document_position)?,
                new_name: p.new_name,
            }
        }
        req::CodeActionRequest::METHOD => {
            let p: lsp::CodeActionParams = params(request)?;
            EditQuery::CodeActions {
                path: path_of(&p.text_document.uri)?,
                range: from_range(p.range),
            }
        }
        req::ExecuteCommand::METHOD => {
            let p: lsp::ExecuteCommandParams = params(request)?;
            EditQuery::Command(match p.command.as_str() {
                OPEN_REPORT => Command::OpenReport {
                    goal: p.arguments.first()?.as_str()?.to_string(),
                },
                NEW_ENTRY => Command::NewEntry,
                _ => return None,
            })
        }
        _ => return None,
    })
}

/// The response to the request `id`.
pub(crate) fn respond(id: RequestId, answer: EditAnswer) -> Outgoing {
    match answer {
        EditAnswer::PrepareRename(Ok((place, placeholder))) => ok(
            &id,
            lsp::PrepareRenameResponse::RangeWithPlaceholder {
                range: range(place),
                placeholder,
            },
        ),
        EditAnswer::Rename(Ok(edit)) => ok(&id, workspace_edit(&edit)),
        EditAnswer::PrepareRename(Err(message)) | EditAnswer::Rename(Err(message)) => {
            Outgoing::from(Message::Response(Response::new_err(
                id,
                ErrorCode::RequestFailed as i32,
                message,
            )))
        }
        EditAnswer::CodeActions(actions) => ok(
            &id,
            actions
                .iter()
                .map(|action| lsp::CodeActionOrCommand::CodeAction(code_action(action)))
                .collect::<Vec<_>>(),
        ),
        EditAnswer::Command(_) => ok(&id, Value::Null),
    }
}

/// The requests to the editor that answering the request `id` makes, sent before its
/// response. Their ids are made from `id`, so they never repeat.
pub(crate) fn editor_requests(id: &RequestId, answer: &EditAnswer) -> Vec<Message> {
    let EditAnswer::Command(requests) = answer else {
        return Vec::new();
    };
    requests
        .iter()
        .enumerate()
        .map(|(index, request)| {
            let id = RequestId::from(format!("trailmark-{id}-{index}"));
            match request {
                EditorRequest::Show { path, external } => Message::Request(Request::new(
                    id,
                    req::ShowDocument::METHOD.to_string(),
                    lsp::ShowDocumentParams {
                        uri: uri_of(path),
                        external: Some(*external),
                        take_focus: Some(true),
                        selection: None,
                    },
                )),
                EditorRequest::Apply(edit) => Message::Request(Request::new(
                    id,
                    req::ApplyWorkspaceEdit::METHOD.to_string(),
                    lsp::ApplyWorkspaceEditParams {
                        label: None,
                        edit: workspace_edit(edit),
                    },
                )),
                EditorRequest::Say(text) => super::show_message(text.clone()),
            }
        })
        .collect()
}

fn code_action(action: &CodeAction) -> lsp::CodeAction {
    lsp::CodeAction {
        title: action.title.clone(),
        kind: Some(match action.kind {
            ActionKind::QuickFix => lsp::CodeActionKind::QUICKFIX,
            ActionKind::Rewrite => lsp::CodeActionKind::REFACTOR_REWRITE,
            ActionKind::Source => lsp::CodeActionKind::SOURCE,
        }),
        edit: action.edit.as_ref().map(workspace_edit),
        command: action.command.as_ref().map(|command| {
            let (name, arguments) = match command {
                Command::OpenReport { goal } => (OPEN_REPORT, vec![Value::from(goal.clone())]),
                Command::NewEntry => (NEW_ENTRY, Vec::new()),
            };
            lsp::Command::new(action.title.clone(), name.to_string(), Some(arguments))
        }),
        is_preferred: action.preferred.then_some(true),
        ..Default::default()
    }
}

/// Edits of existing files as `changes`, which every editor applies; a new file needs
/// `documentChanges` (a create operation, then its text).
fn workspace_edit(edit: &WorkspaceEdit) -> lsp::WorkspaceEdit {
    let Some((path, text)) = &edit.created else {
        let changes = edit
            .edits
            .iter()
            .map(|(path, edits)| (uri_of(path), edits.iter().map(text_edit).collect()))
            .collect();
        return lsp::WorkspaceEdit::new(changes);
    };
    let uri = uri_of(path);
    // The server checked that there is no such file. Should one appear meanwhile, an
    // editor that ignores the create keeps it whole (the text lands in its buffer, for
    // the user to see); one that would "create" it anew may empty it (Neovim 0.7 does).
    let create = lsp::ResourceOp::Create(lsp::CreateFile {
        uri: uri.clone(),
        options: Some(lsp::CreateFileOptions {
            overwrite: Some(false),
            ignore_if_exists: Some(true),
        }),
        annotation_id: None,
    });
    let fill = lsp::TextDocumentEdit {
        text_document: lsp::OptionalVersionedTextDocumentIdentifier { uri, version: None },
        edits: vec![lsp::OneOf::Left(text_edit(&TextEdit {
            range: TextRange::default(),
            text: text.clone(),
        }))],
    };
    lsp::WorkspaceEdit {
        document_changes: Some(lsp::DocumentChanges::Operations(vec![
            lsp::DocumentChangeOperation::Op(create),
            lsp::DocumentChangeOperation::Edit(fill),
        ])),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_editing_features_are_advertised() {
        let result = super::super::initialize_result();
        let capabilities = &result["capabilities"];
        assert_eq!(capabilities["renameProvider"]["prepareProvider"], true);
        assert_eq!(
            capabilities["codeActionProvider"]["codeActionKinds"],
            serde_json::json!(["quickfix", "refactor.rewrite", "source"])
        );
        assert_eq!(
            capabilities["executeCommandProvider"]["commands"],
            serde_json::json!(["trailmark.openReport", "trailmark.newEntry"])
        );
    }
}
