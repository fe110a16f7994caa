//! Stage 1 of the pipeline: find the journal's markdown files.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostic::Diagnostic;
use crate::fsread;
use crate::paths::{
    MANIFEST, TEMPLATES_FOLDER, is_hidden, is_markdown, is_report_folder, manifest_paths,
};

/// Globs of paths to leave out, relative to the journal with `/` separators. A glob
/// without a `/` matches a file or folder name at any depth (`drafts`, `*.excalidraw.md`),
/// as in `.gitignore`; one with a `/` matches the whole relative path (`archive/**`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Exclude {
    pub(crate) globs: Vec<String>,
    by_name: GlobSet,
    by_path: GlobSet,
}

impl Exclude {
    /// `globs` compiled; or why one of them is not a glob (with its index), or why they
    /// cannot be used together (without).
    pub(crate) fn compile(globs: Vec<String>) -> Result<Exclude, (Option<usize>, String)> {
        let mut by_name = GlobSetBuilder::new();
        let mut by_path = GlobSetBuilder::new();
        for (index, glob) in globs.iter().enumerate() {
            let pattern = glob.trim_start_matches("./").trim_end_matches('/');
            let compiled = GlobBuilder::new(pattern)
                .literal_separator(true)
                .build()
                .map_err(|error| (Some(index), format!("exclude: {}", error.kind())))?;
            if pattern.contains('/') {
                by_path.add(compiled);
            } else {
                by_name.add(compiled);
            }
        }
        let built = |builder: GlobSetBuilder| {
            builder
                .build()
                .map_err(|error| (None, format!("exclude: {error}")))
        };
        Ok(Exclude {
            by_name: built(by_name)?,
            by_path: built(by_path)?,
            globs,
        })
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.globs.is_empty()
    }

    /// Whether the file or folder at `relative` (from the journal root) is left out.
    pub(crate) fn matches(&self, relative: &str) -> bool {
        let name = relative.rsplit('/').next().unwrap_or(relative);
        self.by_name.is_match(name) || self.by_path.is_match(relative)
    }
}

/// What the walk leaves out besides hidden files and folders.
pub(crate) struct Skip<'a> {
    /// The output folder.
    pub(crate) out: &'a Path,
    /// The templates folder.
    pub(crate) templates: &'a Path,
    /// The globs of `exclude` in `trailmark.toml`.
    pub(crate) exclude: &'a Exclude,
}

/// What the walk found.
#[derive(Debug, Default)]
pub(crate) struct Found {
    /// Markdown files, relative to the root with `/` separators, sorted.
    pub(crate) files: Vec<String>,
    /// Files and folders that were passed over and the person should hear about.
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// Every `*.md` and `*.markdown` below `root`, skipping hidden files and folders, the
/// templates folder and the folders of note templates and note apps (see
/// [`is_app_folder`]), what `skip.exclude` matches, the output folder and any other folder
/// that holds reports trailmark wrote (it has a manifest), so reports built with another
/// `--out` are never read back as journal entries; such a folder gets a warning when it
/// holds markdown files its manifest does not list (see [`unlisted_markdown`]). Symlinks
/// are never followed, so the walk cannot leave the journal or loop.
pub(crate) fn find_files(root: &Path, skip: &Skip) -> Found {
    let (mut found, report_folders) = walk(root, skip);
    for folder in report_folders {
        let count = unlisted_markdown(&folder);
        if count > 0 {
            let files = if count == 1 {
                "1 markdown file in it is".to_string()
            } else {
                format!("{count} markdown files in it are")
            };
            found.diagnostics.push(Diagnostic::warning(
                &relative(root, &folder),
                None,
                format!(
                    "folder not read: its {MANIFEST} marks it as reports trailmark wrote, but \
                     {files} not in that list; if it is not a folder of reports, delete its \
                     {MANIFEST}"
                ),
            ));
        }
    }
    found
}

/// The markdown files [`find_files`] finds, without looking into the folders of reports
/// it passes over: what `watch --poll` compares every second, reading no manifest.
pub(crate) fn find_markdown_files(root: &Path, skip: &Skip) -> Vec<String> {
    walk(root, skip).0.files
}

/// The walk of [`find_files`]: what it found, and the folders of reports passed over.
/// Every folder is walked on its own, on every core (see [`Walker::walk_folder`]):
/// reading folders (the kernel's part of a walk) was most of a serial tenth of a cold
/// `status`, and a journal's files are mostly in one folder at its top (`journal/`,
/// with a folder a year), so walking only the top's entries apart left most of the
/// walk on one core. What each finds is put together in the folders' order, as one
/// walk would find it.
fn walk(root: &Path, skip: &Skip) -> (Found, Vec<PathBuf>) {
    let note_templates = obsidian_template_folders(root);
    let walker = Walker {
        root,
        skip,
        note_templates: &note_templates,
    };
    let walked = walker.walk_folder(root, 0);
    let mut found = Found {
        files: walked.files,
        diagnostics: walked.diagnostics,
    };
    found.files.sort();
    (found, walked.report_folders)
}

/// What the walk of a folder found, in the walk's order.
#[derive(Default)]
struct Walked {
    files: Vec<String>,
    diagnostics: Vec<Diagnostic>,
    report_folders: Vec<PathBuf>,
}

impl Walked {
    fn is_empty(&self) -> bool {
        self.files.is_empty() && self.diagnostics.is_empty() && self.report_folders.is_empty()
    }

    /// `later`, found after what `self` holds, appended to it.
    fn append(&mut self, mut later: Walked) {
        if self.is_empty() {
            *self = later;
            return;
        }
        self.files.append(&mut later.files);
        self.diagnostics.append(&mut later.diagnostics);
        self.report_folders.append(&mut later.report_folders);
    }
}

/// A part of a folder's walk, in the order of its entries: what its entries up to a
/// folder to walk found, or that folder.
enum Part {
    Found(Walked),
    Folder(PathBuf),
}

/// A folder's `entries` (the folder itself not among them) in the order of their names,
/// any error reading them first, in the order met. The entries share the folder's path
/// up to their names, so their paths compare as their names do. Each name is compared
/// by its first 16 bytes, taken once into the list that is sorted, and whole only when
/// those are the same: a year's folder of a 100,000-file journal holds 10,000 entries,
/// and comparing their paths in place (each a read of an entry, then of its path) made
/// the sort grow 14 times for 10 times the files.
fn by_name(
    entries: Vec<walkdir::Result<walkdir::DirEntry>>,
) -> impl Iterator<Item = walkdir::Result<walkdir::DirEntry>> {
    let mut errors = Vec::new();
    let mut named = Vec::with_capacity(entries.len());
    for (at, entry) in entries.iter().enumerate() {
        match entry {
            Ok(entry) => named.push((name_start(entry), at)),
            Err(_) => errors.push(at),
        }
    }
    let path = |at: usize| match &entries[at] {
        Ok(entry) => entry.path().as_os_str(),
        Err(_) => unreachable!("only entries read are named"),
    };
    // Two names are never the same, so an unstable sort gives the order.
    named.sort_unstable_by(|(a_start, a), (b_start, b)| {
        a_start.cmp(b_start).then_with(|| path(*a).cmp(path(*b)))
    });
    let order: Vec<usize> = errors
        .into_iter()
        .chain(named.into_iter().map(|(_, at)| at))
        .collect();
    let mut entries: Vec<_> = entries.into_iter().map(Some).collect();
    order
        .into_iter()
        .map(move |at| entries[at].take().expect("each entry is taken once"))
}

/// The first 16 bytes of `entry`'s name as a number that orders as they do: a name
/// shorter than 16 bytes is padded with zeros, which no name holds, so it comes before
/// the longer names it starts.
fn name_start(entry: &walkdir::DirEntry) -> u128 {
    // After the last separator of its path: `file_name` reads the path as components.
    let path = entry.path().as_os_str().as_encoded_bytes();
    let name = path
        .rsplit(|&byte| std::path::is_separator(byte.into()))
        .next()
        .unwrap_or(path);
    let mut start = [0u8; 16];
    let taken = name.len().min(start.len());
    start[..taken].copy_from_slice(&name[..taken]);
    u128::from_be_bytes(start)
}

/// What [`walk`] needs to know of each entry it meets.
struct Walker<'a> {
    root: &'a Path,
    skip: &'a Skip<'a>,
    note_templates: &'a [PathBuf],
}

impl Walker<'_> {
    /// `folder`, then its entries sorted by name (any error reading them first, as in a
    /// walk sorted by walkdir), following no symlink; the folder is followed only when
    /// it is the journal (`depth` 0). Not sorted by walkdir: its sorted walk reads in
    /// full every folder it meets, even one past its `max_depth` that it never goes
    /// into, so each folder would be read twice, once by its parent's listing.
    fn listing(&self, folder: &Path, depth: usize) -> Vec<walkdir::Result<walkdir::DirEntry>> {
        let mut listing: Vec<_> = WalkDir::new(folder)
            .follow_links(false)
            .follow_root_links(depth == 0)
            .max_depth(1)
            .into_iter()
            .collect();
        if listing.len() > 2 {
            let entries = listing.split_off(1);
            listing.extend(by_name(entries));
        }
        listing
    }

    /// `folder`, `depth` levels below the journal (0: the journal itself), and what is
    /// below it when it is still a folder. Its entries are read in order, and each folder
    /// among them walked on its own, on every core: what each finds is put back in the
    /// entries' order. A folder below the journal is read without following it, should
    /// it have become a symlink since its parent was read.
    fn walk_folder(&self, folder: &Path, depth: usize) -> Walked {
        let listing = self.listing(folder, depth);
        let mut parts = Vec::new();
        let mut walked = Walked::default();
        for entry in listing {
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => {
                    walked.diagnostics.push(self.unreadable(&error));
                    continue;
                }
            };
            if entry.depth() == 0 {
                // The folder itself, which its parent's walk kept as a folder: taken as
                // any entry, to warn of it should it now be a symlink.
                if depth > 0 {
                    self.take(&entry, &mut walked);
                }
                continue;
            }
            if !self.keeps(&entry, depth + 1, &mut walked.report_folders) {
                continue;
            }
            if entry.file_type().is_dir() && !entry.path_is_symlink() {
                if !walked.is_empty() {
                    parts.push(Part::Found(std::mem::take(&mut walked)));
                }
                parts.push(Part::Folder(entry.into_path()));
            } else {
                self.take(&entry, &mut walked);
            }
        }
        if parts.is_empty() {
            return walked;
        }
        if !walked.is_empty() {
            parts.push(Part::Found(walked));
        }
        let parts: Vec<Walked> = parts
            .into_par_iter()
            .map(|part| match part {
                Part::Found(walked) => walked,
                Part::Folder(folder) => self.walk_folder(&folder, depth + 1),
            })
            .collect();
        let mut walked = Walked::default();
        for part in parts {
            walked.append(part);
        }
        walked
    }

    /// Whether the walk goes into (or takes) `entry`, `depth` levels below the journal;
    /// a folder of reports is passed over and noted in `report_folders`.
    fn keeps(
        &self,
        entry: &walkdir::DirEntry,
        depth: usize,
        report_folders: &mut Vec<PathBuf>,
    ) -> bool {
        let path = entry.path();
        let is_folder = entry.file_type().is_dir();
        // Compared with the output and templates folders only when not a file (either
        // may be a symlink): a path compares part by part.
        let skipped = is_hidden(entry.file_name())
            || (!entry.file_type().is_file()
                && (path == self.skip.out || path == self.skip.templates))
            || (!self.skip.exclude.is_empty()
                && self
                    .relative(path)
                    .is_some_and(|rel| self.skip.exclude.matches(rel)));
        if skipped || !is_folder {
            return !skipped;
        }
        if is_app_folder(entry, depth, self.note_templates) {
            return false;
        }
        if is_report_folder(path) {
            report_folders.push(path.to_path_buf());
            return false;
        }
        true
    }

    /// Takes `entry`, one the walk keeps, into `walked` when it is a markdown file;
    /// warns of a symlink it does not follow.
    fn take(&self, entry: &walkdir::DirEntry, walked: &mut Walked) {
        let path = entry.path();
        if entry.path_is_symlink() {
            // The output folder may be a link the user made (`_reports -> ~/Sites/goals`):
            // it is written to, never read, so there is nothing to warn about.
            let is_out = || std::fs::canonicalize(path).is_ok_and(|target| target == self.skip.out);
            if (is_markdown(path) || path.is_dir()) && !is_out() {
                walked.diagnostics.push(Diagnostic::warning(
                    &relative(self.root, path),
                    None,
                    "symlink not followed: trailmark reads only files inside the journal folder",
                ));
            }
            return;
        }
        if !entry.file_type().is_file() || !is_markdown(path) {
            return;
        }
        match self.relative(path) {
            Some(rel) => walked
                .files
                .push(rel.replace(std::path::MAIN_SEPARATOR, "/")),
            None => walked.diagnostics.push(Diagnostic::error(
                &relative(self.root, path),
                None,
                "file name is not valid UTF-8; rename it to include it",
            )),
        }
    }

    /// `path`, found by the walk below the journal, relative to it; `None` when it is not
    /// valid UTF-8. The walk's paths begin with the journal's path as given, so it is
    /// cut off as bytes (`Path::strip_prefix` compares them part by part: a quarter of
    /// the walk).
    fn relative<'p>(&self, path: &'p Path) -> Option<&'p str> {
        let bytes = path.as_os_str().as_encoded_bytes();
        let below = bytes.get(self.root.as_os_str().len()..)?;
        let below = below
            .strip_prefix(std::path::MAIN_SEPARATOR_STR.as_bytes())
            .unwrap_or(below);
        std::str::from_utf8(below).ok()
    }

    /// The error of a folder or file the walk cannot read.
    fn unreadable(&self, error: &walkdir::Error) -> Diagnostic {
        let path = error
            .path()
            .map_or_else(|| self.root.to_path_buf(), Path::to_path_buf);
        let cause = error
            .io_error()
            .map_or_else(|| error.to_string(), ToString::to_string);
        Diagnostic::error(
            &relative(self.root, &path),
            None,
            format!("cannot read: {cause}"),
        )
    }
}

/// How many markdown files in `folder`, a folder with a manifest, that manifest does not
/// list. A folder of reports has none: its manifest lists every report. A manifest left in
/// a folder of the journal (copied, or from a build into the wrong folder) would hide
/// that folder's goals without a word. Rare and small, except in a folder of reports built
/// inside the journal with `--out`, whose files are listed once per walk.
fn unlisted_markdown(folder: &Path) -> usize {
    // An unreadable manifest lists nothing: every markdown file is unlisted.
    let manifest = fsread::read_to_string(&folder.join(MANIFEST), fsread::MAX_OWN_FILE_BYTES)
        .unwrap_or_default();
    let listed: HashSet<&str> = manifest_paths(&manifest).collect();
    WalkDir::new(folder)
        .follow_links(false)
        .into_iter()
        .filter_entry(|entry| {
            entry.depth() == 0
                || !(is_hidden(entry.file_name())
                    || (entry.file_type().is_dir() && is_report_folder(entry.path())))
        })
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file() && is_markdown(entry.path()))
        .filter(|entry| !listed.contains(relative(folder, entry.path()).as_str()))
        .count()
}

/// A folder of templates, not of journal documents: `templates/` at the root in any case
/// (trailmark's report templates, or Obsidian's usual `Templates/`), the note template
/// folders Obsidian is set to use, and Logseq's own `logseq/` folder (settings, and
/// backup copies of pages in `logseq/bak/`, which would count every task twice).
fn is_app_folder(entry: &walkdir::DirEntry, depth: usize, note_templates: &[PathBuf]) -> bool {
    let at_root = depth == 1;
    let name = entry.file_name().to_str().unwrap_or("");
    (at_root && name.eq_ignore_ascii_case(TEMPLATES_FOLDER))
        || (at_root && name == "logseq" && entry.path().join("config.edn").is_file())
        || note_templates.iter().any(|folder| entry.path() == folder)
}

/// The note template folders an Obsidian vault at `root` sets: the core Templates plugin's
/// (`.obsidian/templates.json`, `folder`) and the Templater plugin's
/// (`.obsidian/plugins/templater-obsidian/data.json`, `templates_folder`). Settings that
/// are missing or unreadable name no folder.
fn obsidian_template_folders(root: &Path) -> Vec<PathBuf> {
    [
        (".obsidian/templates.json", "folder"),
        (
            ".obsidian/plugins/templater-obsidian/data.json",
            "templates_folder",
        ),
    ]
    .into_iter()
    .filter_map(|(settings, key)| {
        let bytes = fsread::read(&root.join(settings), fsread::MAX_FILE_BYTES).ok()?;
        let value: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
        let folder = value.get(key)?.as_str()?.trim_matches('/');
        let inside = !folder.is_empty() && !folder.split('/').any(|part| part == "..");
        inside.then(|| root.join(folder))
    })
    .collect()
}

fn relative(root: &Path, path: &Path) -> String {
    let rel: PathBuf = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    rel.to_string_lossy()
        .replace(std::path::MAIN_SEPARATOR, "/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn find(root: &Path, exclude: &[&str]) -> Found {
        let config = crate::config::Config::parse(&format!("exclude = {exclude:?}"))
            .expect("test globs are valid");
        let skip = Skip {
            out: &root.join("_reports"),
            templates: &root.join("templates"),
            exclude: &config.exclude,
        };
        find_files(root, &skip)
    }

    fn touch(root: &Path, rel: &str) {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, "x").unwrap();
    }

    /// A symlink at `root/rel` to a file outside the journal, which the walk warns of
    /// and does not follow.
    #[cfg(unix)]
    fn link_outside(root: &Path, outside: &Path, rel: &str) {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(outside.join("secret.md"), path).unwrap();
    }

    #[test]
    fn finds_markdown_and_skips_hidden_templates_and_output() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for rel in [
            "a.md",
            "b.markdown",
            "C.MD",
            "notes.txt",
            "deep/er/d.md",
            ".hidden.md",
            ".obsidian/x.md",
            "templates/goal.md",
            "sub/templates/kept.md",
            "_reports/index.md",
        ] {
            touch(root, rel);
        }
        let found = find(root, &[]);
        assert_eq!(
            found.files,
            [
                "C.MD",
                "a.md",
                "b.markdown",
                "deep/er/d.md",
                "sub/templates/kept.md"
            ]
        );
        assert!(found.diagnostics.is_empty());
    }

    /// The walk cuts the journal's path off the paths it finds as bytes, and walks each
    /// top folder apart: a path given with a separator at its end finds the same files,
    /// with the same depths (a `templates` folder is skipped only at the top).
    #[test]
    fn a_journal_path_ending_in_a_separator_finds_the_same_files() {
        let dir = tempfile::tempdir().unwrap();
        for rel in [
            "a.md",
            "goals/g.md",
            "goals/templates/kept.md",
            "templates/t.md",
            "z/y/x.md",
        ] {
            touch(dir.path(), rel);
        }
        let expected = ["a.md", "goals/g.md", "goals/templates/kept.md", "z/y/x.md"];
        let with_separator = dir.path().join("");
        assert!(with_separator.as_os_str().len() > dir.path().as_os_str().len());
        for root in [dir.path(), &with_separator] {
            assert_eq!(find(root, &[]).files, expected, "{}", root.display());
            assert_eq!(
                find(root, &["y"]).files,
                expected[..3],
                "{}",
                root.display()
            );
        }
    }

    #[test]
    fn template_and_app_folders_of_note_apps_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for rel in [
            "Templates/Daily.md",
            "Meta/Note templates/Goal.md",
            "Meta/Scripts/Templater.md",
            "logseq/bak/pages/x.md",
            "pages/x.md",
            "notes/Templates/kept.md",
        ] {
            touch(root, rel);
        }
        touch(root, "logseq/config.edn");
        fs::create_dir_all(root.join(".obsidian/plugins/templater-obsidian")).unwrap();
        fs::write(
            root.join(".obsidian/templates.json"),
            r#"{"folder": "Meta/Note templates"}"#,
        )
        .unwrap();
        fs::write(
            root.join(".obsidian/plugins/templater-obsidian/data.json"),
            r#"{"templates_folder": "Meta/Scripts", "other": 1}"#,
        )
        .unwrap();
        let found = find(root, &[]);
        assert_eq!(found.files, ["notes/Templates/kept.md", "pages/x.md"]);
        // Without its settings, a `logseq` folder is an ordinary one.
        fs::remove_file(root.join("logseq/config.edn")).unwrap();
        fs::write(root.join(".obsidian/templates.json"), "{broken").unwrap();
        let found = find(root, &[]);
        assert!(found.files.contains(&"logseq/bak/pages/x.md".to_string()));
        assert!(
            found
                .files
                .contains(&"Meta/Note templates/Goal.md".to_string())
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_not_followed_and_loops_do_not_hang() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let root = dir.path();
        touch(root, "real/a.md");
        touch(outside.path(), "secret.md");
        std::os::unix::fs::symlink(root, root.join("real/loop")).unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("out")).unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.md"), root.join("s.md")).unwrap();
        let found = find(root, &[]);
        assert_eq!(found.files, ["real/a.md"]);
        let warned: Vec<_> = found.diagnostics.iter().map(|d| d.file.as_str()).collect();
        assert_eq!(warned, ["out", "real/loop", "s.md"]);
    }

    /// Each folder is walked after its parent is read: one swapped for a symlink in
    /// between is not followed, at the top of the journal or below it.
    #[cfg(unix)]
    #[test]
    fn a_folder_swapped_for_a_symlink_after_its_parent_is_read_is_not_walked() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let root = dir.path();
        touch(root, "notes/a.md");
        touch(root, "notes/deep/b.md");
        touch(outside.path(), "secret.md");
        let exclude = Exclude::default();
        let skip = Skip {
            out: &root.join("_reports"),
            templates: &root.join("templates"),
            exclude: &exclude,
        };
        let walker = Walker {
            root,
            skip: &skip,
            note_templates: &[],
        };
        for (folder, depth) in [("notes/deep", 2), ("notes", 1)] {
            fs::remove_dir_all(root.join(folder)).unwrap();
            std::os::unix::fs::symlink(outside.path(), root.join(folder)).unwrap();
            let walked = walker.walk_folder(&root.join(folder), depth);
            assert!(walked.files.is_empty(), "{:?}", walked.files);
            let warned: Vec<_> = walked.diagnostics.iter().map(|d| d.file.as_str()).collect();
            assert_eq!(warned, [folder]);
        }
    }

    /// Folders are walked on every core, and what each finds put back in the walk's
    /// order: the warnings of many folders, nested, come in the order of one walk
    /// (a folder's entries by name, each folder's contents before its next entry; not
    /// the order of their paths: `g/` before `g.md`), none lost.
    #[cfg(unix)]
    #[test]
    fn folders_walked_on_every_core_warn_in_the_order_of_one_walk() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let root = dir.path();
        touch(outside.path(), "secret.md");
        let link = |rel: &str| link_outside(root, outside.path(), rel);
        let (mut files, mut warned, mut reports) = (Vec::new(), Vec::new(), Vec::new());
        link("0.md");
        warned.push("0.md".to_string());
        for folder in 0..16 {
            let folder = format!("f{folder:02}");
            for rel in ["g/deep/n.md", "g/n.md", "n.md"] {
                touch(root, &format!("{folder}/{rel}"));
                files.push(format!("{folder}/{rel}"));
            }
            for rel in ["g/deep/link.md", "g/link.md", "g.md", "link.md"] {
                link(&format!("{folder}/{rel}"));
                warned.push(format!("{folder}/{rel}"));
            }
            touch(root, &format!("{folder}/s/unlisted.md"));
            fs::write(root.join(&folder).join("s").join(MANIFEST), "").unwrap();
            reports.push(format!("{folder}/s"));
        }
        link("top.md");
        warned.push("top.md".to_string());
        warned.extend(reports);
        files.sort();
        let found = find(root, &[]);
        assert_eq!(found.files, files);
        let found: Vec<_> = found.diagnostics.iter().map(|d| d.file.as_str()).collect();
        assert_eq!(found, warned);
    }

    /// A folder's entries come in the order of their names' bytes, also when names start
    /// with the same 16 bytes or more, when one name starts another, and when a name has
    /// bytes beyond ASCII: its warnings (links not followed) come in that order.
    #[cfg(unix)]
    #[test]
    fn a_folders_entries_come_in_the_order_of_their_names() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let root = dir.path();
        touch(outside.path(), "secret.md");
        let mut names = vec![
            "2026-01-01-morning-walk.md".to_string(),
            "2026-01-01-morning.md".to_string(),
            "2026-01-01-morning-run.md".to_string(),
            "2026-01-01-mornin.md".to_string(),
            "2026-01-01-morning-walk.md.md".to_string(),
            "2026-01-01-morning-walk-b.md".to_string(),
            "a.md".to_string(),
            "a-b.md".to_string(),
            "a.md.md".to_string(),
            "B.md".to_string(),
            "\u{e9}t\u{e9}.md".to_string(),
            "0123456789abcdef.md".to_string(),
            "0123456789abcdef.markdown".to_string(),
        ];
        names.extend((0..40).map(|n| format!("2026-02-{:02}-the-same-long-start-{n}.md", n % 3)));
        for name in &names {
            link_outside(root, outside.path(), &format!("journal/{name}"));
        }
        names.sort();
        let warned: Vec<String> = names.iter().map(|name| format!("journal/{name}")).collect();
        let found = find(root, &[]);
        let found: Vec<_> = found.diagnostics.iter().map(|d| d.file.as_str()).collect();
        assert_eq!(found, warned);
    }

    #[test]
    fn a_stray_manifest_hides_its_folder_with_one_warning_but_reports_stay_quiet() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for rel in [
            "c.md",
            "goals/a.md",
            "goals/deep/b.md",
            "shared/reports/index.md",
            "shared/reports/goals/g.md",
            "shared/reports/goals/g.html",
            "_reports/unlisted.md",
        ] {
            touch(root, rel);
        }
        fs::write(root.join("goals").join(MANIFEST), "index.md\n").unwrap();
        fs::write(
            root.join("shared/reports").join(MANIFEST),
            "goals/g.html\t1\t2\t3\t4\ngoals/g.md\t1\t2\t3\t4\nindex.md\t1\t2\t3\t4\n",
        )
        .unwrap();
        fs::write(root.join("_reports").join(MANIFEST), "").unwrap();
        let found = find(root, &[]);
        assert_eq!(found.files, ["c.md"]);
        let [warning] = &found.diagnostics[..] else {
            panic!("one warning: {:#?}", found.diagnostics);
        };
        assert_eq!(warning.file, "goals");
        assert_eq!(warning.severity, crate::diagnostic::Severity::Warning);
        assert!(
            warning
                .message
                .contains("2 markdown files in it are not in that list")
                && warning.message.contains("delete its .trailmark-manifest"),
            "{}",
            warning.message
        );
    }

    /// A manifest marks a folder of reports only as a plain file: a link of that name,
    /// which trailmark never writes, hides nothing.
    #[cfg(unix)]
    #[test]
    fn a_symlink_named_like_a_manifest_hides_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        touch(root, "goals/a.md");
        touch(root, "list.txt");
        std::os::unix::fs::symlink(root.join("list.txt"), root.join("goals").join(MANIFEST))
            .unwrap();
        let found = find(root, &[]);
        assert_eq!(found.files, ["goals/a.md"]);
    }

    #[test]
    fn excluded_globs_leave_out_files_and_whole_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for rel in [
            "a.md",
            "archive/2019/old.md",
            "notes/archive/kept.md",
            "drafts/x.md",
            "deep/drafts/y.md",
            "sketch.excalidraw.md",
            "deep/more.excalidraw.md",
            "Attic/daily.md",
        ] {
            touch(root, rel);
        }
        let globs = ["archive/**", "drafts", "*.excalidraw.md", "./Attic/"];
        assert_eq!(find(root, &globs).files, ["a.md", "notes/archive/kept.md"]);
        assert_eq!(find(root, &[]).files.len(), 8);
    }
}
