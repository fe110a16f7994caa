//! `[[wikilinks]]` resolved to the journal's notes, as Obsidian resolves them.

use crate::hash::FastMap;

use crate::dates::Date;
use crate::document::Document;
use crate::paths::strip_markdown_extension;

/// Documents by lowercased file name without `.md`, as Obsidian resolves `[[links]]`,
/// and by the page name a Logseq file name stands for: each with the path a link names.
#[derive(Default)]
pub(crate) struct NoteIndex {
    by_name: FastMap<String, Vec<(usize, String)>>,
}

/// What a `[[wikilink]]` points to.
#[derive(Debug, PartialEq)]
pub(crate) enum LinkTarget {
    Document(usize),
    /// `[[#heading]]`: a place in the linking note itself.
    SameNote,
    /// A file that is not markdown (`[[slides.pdf]]`, `[[board.canvas]]`): never checked.
    Attachment,
    Missing,
}

impl NoteIndex {
    pub(crate) fn new(documents: &[Document]) -> NoteIndex {
        let mut by_name: FastMap<String, Vec<(usize, String)>> = FastMap::default();
        for (index, document) in documents.iter().enumerate() {
            for path in link_paths(document) {
                let name = path.rsplit('/').next().unwrap_or("").to_string();
                by_name.entry(name).or_default().push((index, path));
            }
        }
        NoteIndex { by_name }
    }

    /// Whether no document is indexed: none had a link when the journal was linked.
    pub(super) fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    /// The note `target` names, as Obsidian finds it: by file name (case-insensitive,
    /// `.md` optional), or by the end of its path when the link has folders. **Choice**:
    /// of several notes with that name, the one in the linking note's folder, else the
    /// one with the shortest path.
    pub(super) fn resolve(&self, documents: &[Document], target: &str, from: usize) -> LinkTarget {
        self.resolve_from(|d| &documents[d].path, target, &documents[from].path)
    }

    /// [`NoteIndex::resolve`] for a link in the note at `from_path`, given only each
    /// document's path by its index: what `trailmark lsp` keeps of a journal.
    pub(crate) fn resolve_from<'a>(
        &self,
        path_of: impl Fn(usize) -> &'a str,
        target: &str,
        from_path: &str,
    ) -> LinkTarget {
        let path = target.split(['#', '|']).next().unwrap_or("").trim();
        if path.is_empty() {
            return LinkTarget::SameNote;
        }
        let wanted = note_path(path.trim_start_matches('/'));
        let name = wanted.rsplit('/').next().unwrap_or("");
        let from_folder = from_path.rsplit_once('/').map_or("", |(f, _)| f);
        let found = self
            .by_name
            .get(name)
            .into_iter()
            .flatten()
            .filter(|(_, candidate)| {
                *candidate == wanted || candidate.ends_with(&format!("/{wanted}"))
            })
            .map(|&(d, _)| d)
            .min_by_key(|&d| {
                let path = path_of(d);
                let folder = path.rsplit_once('/').map_or("", |(f, _)| f);
                (folder != from_folder, path.len(), path)
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

/// The paths a link may name `document` by: its own, and the pages Logseq knows it as.
fn link_paths(document: &Document) -> Vec<String> {
    let path = note_path(&document.path);
    let (folder, name) = path.rsplit_once('/').unwrap_or(("", &path));
    let in_folder = |page: &str| {
        if folder.is_empty() {
            page.to_lowercase()
        } else {
            format!("{folder}/{}", page.to_lowercase())
        }
    };
    let mut paths: Vec<String> = logseq_page_path(&path).into_iter().collect();
    paths.extend(journal_page_title(name).map(|title| in_folder(&title)));
    // Logseq's page properties (`title:: …`, `alias:: a, [[b]]`) name the page too.
    let title = document.fields().get("title").map(String::as_str);
    let aliases = document
        .fields()
        .get("alias")
        .map(String::as_str)
        .unwrap_or("");
    for page in title.into_iter().chain(aliases.split(',')) {
        let page = page
            .trim()
            .trim_start_matches("[[")
            .trim_end_matches("]]")
            .trim();
        if !page.is_empty() {
            paths.push(in_folder(page));
        }
    }
    paths.insert(0, path.clone());
    paths
}

/// The title Logseq gives the journal page of a file named `2025_12_01`, in its default
/// format (`MMM do, yyyy`): `dec 1st, 2025`, lowercased as links are compared.
fn journal_page_title(name: &str) -> Option<String> {
    let bytes = name.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'_' || bytes[7] != b'_' {
        return None;
    }
    let date = Date::find_in_file_name(name)?;
    let day: u32 = name[8..].parse().ok()?;
    let suffix = match (day % 10, day) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    let month = date.month_name().to_lowercase();
    Some(format!("{} {day}{suffix}, {}", &month[..3], date.year()))
}

/// The page a Logseq file name stands for, in its folder, when it is not the file name:
/// Logseq writes the namespace page `a/b` as `a___b.md`, and characters a file name cannot
/// hold URL-encoded (`New to Logseq%3F.md` is the page `New to Logseq?`).
fn logseq_page_path(path: &str) -> Option<String> {
    let (folder, name) = path.rsplit_once('/').unwrap_or(("", path));
    if !name.contains("___") && !name.contains('%') {
        return None;
    }
    let page = percent_decoded(&name.replace("___", "/"))?.to_lowercase();
    Some(if folder.is_empty() {
        page
    } else {
        format!("{folder}/{page}")
    })
}

/// `text` with its `%XX` escapes decoded; `None` when that is not UTF-8.
fn percent_decoded(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let escaped = bytes
            .get(at + 1..at + 3)
            .filter(|hex| bytes[at] == b'%' && hex.iter().all(u8::is_ascii_hexdigit))
            .and_then(|hex| u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok());
        match escaped {
            Some(byte) => {
                decoded.push(byte);
                at += 3;
            }
            None => {
                decoded.push(bytes[at]);
                at += 1;
            }
        }
    }
    String::from_utf8(decoded).ok()
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

    fn documents(paths: &[&str]) -> Vec<Document> {
        paths
            .iter()
            .map(|path| Document {
                path: (*path).into(),
                ..Document::default()
            })
            .collect()
    }

    #[test]
    fn logseq_page_files_are_found_by_their_page_names() {
        let documents = documents(&[
            "journals/2026_01_01.md",
            "pages/work___projects___Apollo.md",
            "pages/New to Logseq%3F.md",
            "pages/odd___name.md",
        ]);
        let index = NoteIndex::new(&documents);
        let resolve = |target| index.resolve(&documents, target, 0);
        assert_eq!(resolve("work/projects/Apollo"), LinkTarget::Document(1));
        assert_eq!(resolve("Projects/apollo"), LinkTarget::Document(1));
        assert_eq!(resolve("New to Logseq?"), LinkTarget::Document(2));
        // The file's own name still names it.
        assert_eq!(resolve("odd___name"), LinkTarget::Document(3));
        assert_eq!(resolve("New to Logseq%3F"), LinkTarget::Document(2));
        assert_eq!(resolve("Apollo/work"), LinkTarget::Missing);
    }

    #[test]
    fn logseq_pages_are_also_named_by_title_alias_and_journal_day() {
        let mut documents = documents(&["pages/p1.md", "journals/2025_12_01.md", "a.md"]);
        documents[0]
            .fields_mut()
            .insert("title".into(), "Project: Apollo".into());
        documents[0]
            .fields_mut()
            .insert("alias".into(), "Moon shot, [[Apollo 11]]".into());
        let index = NoteIndex::new(&documents);
        let resolve = |target| index.resolve(&documents, target, 2);
        for name in ["Project: Apollo", "moon shot", "Apollo 11", "p1"] {
            assert_eq!(resolve(name), LinkTarget::Document(0), "{name}");
        }
        assert_eq!(resolve("Dec 1st, 2025"), LinkTarget::Document(1));
        assert_eq!(resolve("2025_12_01"), LinkTarget::Document(1));
        assert_eq!(resolve("Dec 2nd, 2025"), LinkTarget::Missing);
    }

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
