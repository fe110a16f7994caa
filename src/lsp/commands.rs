//! The commands (`workspace/executeCommand`): open a goal's HTML report, and make
//! today's entry. Neither writes a file: the report must have been built (`trailmark
//! build`; the server never builds it), and the entry is a new file with the text
//! `trailmark new entry` gives it, in an edit the editor applies, which never replaces a
//! file.

use std::path::PathBuf;

use super::editing::Texts;
use super::protocol::{Command, EditorAbilities, EditorRequest, WorkspaceEdit};
use super::snapshot::Snapshot;
use crate::config::{self, Config};
use crate::scaffold;

/// What the editor is asked to do for `command`, in order.
pub(crate) fn run(command: &Command, snapshot: &Snapshot, texts: &Texts<'_>) -> Vec<EditorRequest> {
    let outcome = config_of(texts).and_then(|config| match command {
        Command::OpenReport { goal } => open_report(goal, snapshot, &config, texts),
        Command::NewEntry => new_entry(snapshot, &config, texts),
    });
    outcome.unwrap_or_else(|message| vec![EditorRequest::Say(message)])
}

/// `requests` as `editor` can take them: a file it cannot be asked to show is said
/// instead, and a file it cannot create is left to `trailmark new`.
pub(crate) fn as_editor_can(
    requests: Vec<EditorRequest>,
    editor: EditorAbilities,
) -> Vec<EditorRequest> {
    let mut can = Vec::new();
    for request in requests {
        match request {
            EditorRequest::Show { path, .. } if !editor.shows_documents => {
                can.push(EditorRequest::Say(format!(
                    "open {} (your editor does not let trailmark open it)",
                    path.display()
                )));
            }
            EditorRequest::Apply(edit) if !editor.creates_files && edit.created.is_some() => {
                let path = edit.created.map(|(path, _)| path).unwrap_or_default();
                // Nothing else to do: showing a file not made would fail.
                return vec![EditorRequest::Say(format!(
                    "your editor cannot create {} from here: run `trailmark new entry` in the \
                     journal",
                    path.display()
                ))];
            }
            other => can.push(other),
        }
    }
    can
}

/// The journal's settings, read now: the output folder may have moved since the start.
fn config_of(texts: &Texts<'_>) -> Result<Config, String> {
    let root = texts.root();
    config::read_text(root)
        .and_then(|text| config::from_text(root, text.as_deref()))
        .map_err(|error| error.to_string())
}

fn open_report(
    id: &str,
    snapshot: &Snapshot,
    config: &Config,
    texts: &Texts<'_>,
) -> Result<Vec<EditorRequest>, String> {
    let goal = snapshot
        .goal(id)
        .ok_or_else(|| format!("`{id}` names no goal of this journal"))?;
    let report = report_path(config, texts, &goal.id);
    if !report.is_file() {
        return Err(format!(
            "the report of `{}` is not built yet ({} is missing): run `trailmark build {}`, \
             or `trailmark watch` to keep the reports up to date",
            goal.id,
            report.display(),
            texts.root().display()
        ));
    }
    Ok(vec![EditorRequest::Show {
        path: report,
        external: true,
    }])
}

/// Where `trailmark build` writes the HTML page of the goal `id`.
fn report_path(config: &Config, texts: &Texts<'_>, id: &str) -> PathBuf {
    config
        .output_in(texts.root())
        .join("goals")
        .join(format!("{}.html", crate::paths::report_file_stem(id)))
}

/// Today's entry: shown when the editor has it or it exists, else made as `trailmark
/// new entry` makes it (the journal's own `new-entry.md` template, if any) and shown.
fn new_entry(
    snapshot: &Snapshot,
    config: &Config,
    texts: &Texts<'_>,
) -> Result<Vec<EditorRequest>, String> {
    let root = texts.root();
    let today = snapshot.today();
    let relative = scaffold::entry_path(today);
    let path = root.join(&relative);
    let show = EditorRequest::Show {
        path: path.clone(),
        external: false,
    };
    if texts.is_open(&relative) || scaffold::existing_entry(root, today).is_some() {
        return Ok(vec![show]);
    }
    let file = scaffold::new_entry(&config.templates_in(root), today)
        .map_err(|error| error.to_string())?;
    let edit = WorkspaceEdit {
        edits: Vec::new(),
        created: Some((path, file.content)),
    };
    Ok(vec![EditorRequest::Apply(edit), show])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn requests() -> Vec<EditorRequest> {
        let path = PathBuf::from("/journal/journal/2026/2026-03-10.md");
        let edit = WorkspaceEdit {
            edits: Vec::new(),
            created: Some((path.clone(), "---\n".to_string())),
        };
        vec![
            EditorRequest::Apply(edit),
            EditorRequest::Show {
                path,
                external: false,
            },
        ]
    }

    #[test]
    fn what_the_editor_cannot_do_is_said_instead() {
        let all = EditorAbilities {
            shows_documents: true,
            creates_files: true,
        };
        assert_eq!(as_editor_can(requests(), all), requests());
        let no_show = EditorAbilities {
            shows_documents: false,
            ..all
        };
        assert_eq!(
            as_editor_can(requests(), no_show)[1],
            EditorRequest::Say(
                "open /journal/journal/2026/2026-03-10.md (your editor does not let trailmark \
                 open it)"
                    .to_string()
            )
        );
        let no_create = EditorAbilities {
            creates_files: false,
            ..all
        };
        assert_eq!(
            as_editor_can(requests(), no_create),
            [EditorRequest::Say(
                "your editor cannot create /journal/journal/2026/2026-03-10.md from here: run \
                 `trailmark new entry` in the journal"
                    .to_string()
            )]
        );
    }
}
