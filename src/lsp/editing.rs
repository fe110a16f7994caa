//! The editing features' dispatcher: rename ([`super::rename`]), code actions
//! ([`super::actions`]) and commands ([`super::commands`]). Each answers with edits for
//! the editor to apply, made from the texts the editor has (open buffers over the files
//! on disk); none writes a file.

use std::path::Path;

use super::protocol::{EditAnswer, EditQuery, FileRange, TextEdit};
use super::{Server, actions, commands, rename};

impl Server {
    pub(super) fn edit(&self, query: EditQuery) -> EditAnswer {
        let outside = || "this file is not in the journal".to_string();
        match query {
            EditQuery::PrepareRename(at) => EditAnswer::PrepareRename(
                self.in_context(&at, rename::prepare)
                    .unwrap_or_else(|| Err(outside())),
            ),
            EditQuery::Rename { at, new_name } => EditAnswer::Rename(
                self.in_context(&at, |c| rename::rename(c, &new_name, &self.texts()))
                    .unwrap_or_else(|| Err(outside())),
            ),
            EditQuery::CodeActions { path, range } => {
                let at = super::protocol::At {
                    path,
                    position: range.start,
                };
                EditAnswer::CodeActions(
                    self.in_context(&at, |c| actions::code_actions(c, range.end.line))
                        .unwrap_or_default(),
                )
            }
            EditQuery::Command(command) => {
                let requests = commands::run(&command, &self.snapshot, &self.texts());
                EditAnswer::Command(commands::as_editor_can(requests, self.editor))
            }
        }
    }

    /// `feature` given the context of `at`; `None` for a file outside the journal.
    /// (`with_context` takes features that answer an `Answer`; these answer their own
    /// values.)
    fn in_context<T>(
        &self,
        at: &super::protocol::At,
        feature: impl FnOnce(&super::Context<'_>) -> T,
    ) -> Option<T> {
        let mut answer = None;
        self.with_context(at, |c| {
            answer = Some(feature(c));
            super::protocol::Answer::Nothing
        });
        answer
    }

    fn texts(&self) -> Texts<'_> {
        Texts { server: self }
    }
}

/// The journal's texts as the editor has them: an open buffer's, else the file's.
pub(crate) struct Texts<'a> {
    server: &'a Server,
}

impl Texts<'_> {
    pub(crate) fn root(&self) -> &Path {
        &self.server.root
    }

    /// The text of the journal file `path`; `None` when it cannot be read.
    pub(crate) fn text(&self, path: &str) -> Option<String> {
        if let Some(buffer) = self.server.buffers.get(path) {
            return Some(buffer.text().to_string());
        }
        let bytes = crate::document::read(self.root(), path).ok()?;
        Some(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// The journal paths of the editor's open buffers.
    pub(crate) fn open_paths(&self) -> impl Iterator<Item = &str> {
        self.server.buffers.keys().map(String::as_str)
    }

    /// Whether the editor has the journal file `path` open.
    pub(crate) fn is_open(&self, path: &str) -> bool {
        self.server.buffers.contains_key(path)
    }
}

/// The edits, by file, gathered into a workspace edit in path order.
pub(crate) fn workspace_edit(
    edits: impl IntoIterator<Item = (FileRange, String)>,
) -> super::protocol::WorkspaceEdit {
    let mut by_file: std::collections::BTreeMap<_, Vec<TextEdit>> = Default::default();
    for (place, text) in edits {
        by_file.entry(place.path).or_default().push(TextEdit {
            range: place.range,
            text,
        });
    }
    super::protocol::WorkspaceEdit {
        edits: by_file.into_iter().collect(),
        created: None,
    }
}
