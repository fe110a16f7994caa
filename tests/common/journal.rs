//! A journal to test on: a copy of a fixture, or made file by file, and the binary run on
//! it.
//!
//! ```ignore
//! Journal::new()
//!     .goal("goal.md", "Ship", "- [ ] plan\n")
//!     .entry("2026-01-05", "- [x] planned #ship\n")
//!     .run(&["build", "--today", "2026-01-10"])
//!     .success()
//!     .stdout(contains("1 goal: "));
//! ```

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::assert::Assert;

use super::trailmark;

/// A journal in the folder `journal` of a temporary folder of its own, removed when the
/// journal is dropped: a test may put folders beside it (reports built elsewhere, a
/// folder to move it to), and only the test and trailmark write there.
pub(crate) struct Journal {
    _folder: tempfile::TempDir,
    root: PathBuf,
}

impl Journal {
    /// An empty journal.
    pub(crate) fn new() -> Journal {
        let folder = tempfile::tempdir().unwrap();
        let root = folder.path().join("journal");
        fs::create_dir(&root).unwrap();
        Journal {
            _folder: folder,
            root,
        }
    }

    /// A copy of `tests/fixtures/<name>`.
    pub(crate) fn fixture(name: &str) -> Journal {
        Journal::copy_of(&repository().join("tests/fixtures").join(name))
    }

    /// A copy of `example-journal`, without reports built in it.
    pub(crate) fn example() -> Journal {
        Journal::copy_of(&repository().join("example-journal"))
    }

    fn copy_of(source: &Path) -> Journal {
        let journal = Journal::new();
        copy_folder(source, journal.path());
        journal
    }

    /// With the file `path` holding `contents`.
    pub(crate) fn file(self, path: &str, contents: impl AsRef<[u8]>) -> Journal {
        self.write(path, contents);
        self
    }

    /// With the goal file `path`: front-matter that names the goal `title`, then
    /// `milestones`.
    pub(crate) fn goal(self, path: &str, title: &str, milestones: &str) -> Journal {
        self.file(path, format!("---\ngoal: {title}\n---\n{milestones}"))
    }

    /// With the entry of `date` (`YYYY-MM-DD`), named by its date at the top of the
    /// journal.
    pub(crate) fn entry(self, date: &str, text: &str) -> Journal {
        self.file(&format!("{date}.md"), text)
    }

    /// Writes `contents` into the file `path` of the journal, making its folders: to
    /// change the journal in the middle of a test.
    pub(crate) fn write(&self, path: &str, contents: impl AsRef<[u8]>) {
        super::write(&self.root, path, contents);
    }

    /// The text of the file `path` of the journal.
    pub(crate) fn read(&self, path: &str) -> String {
        fs::read_to_string(self.root.join(path)).unwrap()
    }

    /// The journal's folder.
    pub(crate) fn path(&self) -> &Path {
        &self.root
    }

    /// `trailmark ARGS JOURNAL`, with colors off, to assert on.
    pub(crate) fn run(&self, args: &[&str]) -> Assert {
        trailmark().args(args).arg(&self.root).assert()
    }
}

/// The stdout of a command that ended, as text.
pub(crate) fn stdout(assert: &Assert) -> String {
    String::from_utf8(assert.get_output().stdout.clone()).unwrap()
}

/// The folder of this repository.
fn repository() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Copies the folder `from` into the folder `to`, without reports built in it.
fn copy_folder(from: &Path, to: &Path) {
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_name() == "_reports" {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            fs::create_dir_all(&target).unwrap();
            copy_folder(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}
