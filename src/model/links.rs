//! `[[wikilinks]]` resolved to the journal's notes, as Obsidian resolves them.

use std::collections::HashMap;

use crate::document::Document;
use crate::paths::strip_markdown_extension;

/// Documents by lowercased file name without `.md`, as Obsidian resolves `[[links]]`.
#[derive(Default)]
pub(super) struct NoteIndex {
    by_name: HashMap<String, Vec<usize>>,
}

/// What a `[[wikilink]]` points to.
#[derive(Debug, PartialEq)]
pub(super) enum LinkTarget {
    Document(usize),
    /// `[[#heading]]`: a place in the linking note itself.
    SameNote,
    /// A file that is not markdown (`[[slides.pdf]]`, `[[board.canvas]]`): never checked.
    Attachment,
    Missing,
}

impl NoteIndex {
    pub(super) fn new(documents: &[Document]) -> NoteIndex {
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (index, document) in documents.iter().enumerate() {
            by_name
                .entry(
                    note_path(&document.path)
                        .rsplit('/')
                        .next()
                        .unwrap_or("")
                        .to_string(),
                )
                .or_default()
                .push(index);
        }
        NoteIndex { by_name }
    }

    /// The note `target` names, as Obsidian finds it: by file name (case-insensitive,
    /// `.md` optional), or by the end of its path when the link has folders. **Choice**:
    /// of several notes with that name, the one in the linking note's folder, else the
    /// one with the shortest path.
    pub(super) fn resolve(&self, documents: &[Document], target: &str, from: usize) -> LinkTarget {
        let path = target.split(['#', '|']).next().unwrap_or("").trim();
        if path.is_empty() {
            return LinkTarget::SameNote;
        }
        let wanted = note_path(path.trim_start_matches('/'));
        let name = wanted.rsplit('/').next().unwrap_or("");
        let from_folder = documents[from].path.rsplit_once('/').map_or("", |(f, _)| f);
        let found = self
            .by_name
            .get(name)
            .into_iter()
            .flatten()
            .copied()
            .filter(|&d| {
                let candidate = note_path(&documents[d].path);
                candidate == wanted || candidate.ends_with(&format!("/{wanted}"))
            })
            .min_by_key(|&d| {
                let path = &documents[d].path;
                let folder = path.rsplit_once('/').map_or("", |(f, _)| f);
                (folder != from_folder, path.len(), path.as_str())
            });
        match found {
            Some(document) => LinkTarget::Document(document),
            None if has_attachment_extension(name) => LinkTarget::Attachment,
            None => LinkTarget::Missing,
        }
    }
}

/// A journal path as a link names it: lowercased, without `.md`/`.markdown`.
fn note_path(path: &str) -> String {
    strip_markdown_extension(path).to_lowercase()
}

/// `slides.pdf`, `board.canvas`: a name whose extension (after the last `.`) is letters and
/// digits with at least one letter; `v1.2 notes` and `2026.11.20` are note names.
fn has_attachment_extension(name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(stem, extension)| {
        !stem.is_empty()
            && (1..=10).contains(&extension.len())
            && extension.chars().all(|c| c.is_ascii_alphanumeric())
            && extension.chars().any(|c| c.is_ascii_alphabetic())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachment_names_have_a_lettered_extension() {
        for name in ["slides.pdf", "board.canvas", "photo.JPEG", "a.mp3"] {
            assert!(has_attachment_extension(name), "{name}");
        }
        for name in ["v1.2 notes", "2026.11.20", "Mr. Smith", ".hidden", "note"] {
            assert!(!has_attachment_extension(name), "{name}");
        }
    }
}
