//! Reading `git log -p`, streamed: which milestones each commit checks.
//! The diff is read by position, not by looks: a file's header only between `diff --git`
//! and its first hunk, and the lines of a hunk counted by its `@@` header, so no line of a
//! note is ever taken for a header. File names come from the `---`/`+++`/`rename` lines
//! (`-z` does not apply to patch text).
//!
//! Milestones are matched across commits by the text trailmark reports for them, however
//! their lines wrap. A diff shows the lines that changed, and a milestone's text may go
//! on below its checkbox's line, or use a link defined at the end of the file: so the log
//! is asked for whole files (a context larger than any journal file), each file's old and
//! new versions are put together from its context, removed and added lines, and, when
//! one of its paragraphs with an added line looks checked (or a link definition was
//! added or removed), both are parsed as the journal's files are (`document::parse`).
//! Each milestone checked in the new version and not in the old one is noted under its
//! text, the earliest commit winning, so a milestone rewrapped keeps its date and one
//! reworded is dated by the commit that reworded it. Milestones checked in both versions
//! are not noted again: a commit that only touches a milestone's neighbours does not
//! check it (its author date may be older than that of the commit that did, after a
//! rebase), nor does one that follows a merge whose own changes checked it (merges'
//! combined diffs are not read, as they show no line of their own). The cost: git
//! prints, and trailmark reads, each changed file whole for each commit, which only the
//! first build does (the cache keeps what was read).

use std::collections::HashSet;
use std::path::Path;

use super::run::{Failure, LIMITS, first_line, git, run};
use super::{Checked, History};
use crate::dates::Date;
use crate::document::{MilestoneState, ParseOptions, parse};
use crate::fsread::MAX_FILE_BYTES;
use crate::paths::is_markdown;

/// The lines of context asked of git: more than any journal file has (one of at most
/// [`MAX_FILE_BYTES`]), so each file's diff is one hunk holding all of its new version.
const WHOLE_FILE: &str = "--unified=100000000";

/// Streams `git log -p` over `range`, oldest commit first, into `history`.
pub(super) fn read_log(root: &Path, range: &str, history: &mut History) -> Result<(), Failure> {
    let mut command = git(root);
    command.args([
        "log",
        "-p",
        "--reverse",
        "--topo-order",
        "--no-color",
        "--no-ext-diff",
        "--no-textconv",
        "--no-show-signature",
        // A submodule's change as the commits it moved between, with its mode 160000 that
        // tells it is one. `diff.submodule=diff` would start a `git diff` inside the
        // submodule, under the submodule's own config (kept in the journal's `.git`) and
        // without the options above: its `diff.external` would run.
        "--submodule=short",
        // Whatever `diff.ignoreSubmodules` or a `.gitmodules` `ignore` say: a submodule
        // not shown would not be read.
        "--ignore-submodules=none",
        // Whatever `diff.noprefix` or `diff.mnemonicPrefix` say.
        "--src-prefix=a/",
        "--dst-prefix=b/",
        "-M",
        WHOLE_FILE,
        "--format=%x1e%P%x1f%ad",
        "--date=short",
        "--relative",
        range,
        "--",
        ".",
    ]);
    let finished = run(command, LIMITS, |out| {
        let mut reader = LogReader::default();
        let mut line = Vec::new();
        loop {
            line.clear();
            if out.read_until(b'\n', &mut line)? == 0 {
                // The last file of the stream.
                reader.finish_file(history);
                return Ok(());
            }
            if line.last() == Some(&b'\n') {
                line.pop();
            }
            reader.line(&line, history);
        }
    })?;
    if !finished.success {
        return Err(Failure::Problem(first_line(&finished.stderr)));
    }
    Ok(())
}

/// Where the reader is in one commit's diff.
#[derive(Default, Clone, Copy, PartialEq, Eq, Debug)]
enum Section {
    /// Before the first file, or in a part that is not read (a combined diff).
    #[default]
    Outside,
    /// The header of one file's diff: after `diff --git`, before its first hunk.
    FileHeader,
    /// In a hunk, with the number of lines still to come from the old and the new file.
    Hunk { old: u64, new: u64 },
    /// After a hunk: another hunk, the next file, or the next commit follows.
    BetweenHunks,
}

/// Where the reader is in the log stream.
#[derive(Default)]
struct LogReader {
    /// The current commit: `None` before the first one, or when its date is unreadable.
    commit: Option<Checked>,
    section: Section,
    /// The markdown file whose added lines follow.
    file: Option<String>,
    rename_from: Option<String>,
    /// The file's names before and after (`--- a/…`, `+++ b/…`), and whether it is a
    /// submodule (mode 160000).
    old_name: Option<String>,
    new_name: Option<String>,
    submodule: bool,
    /// The new version of `file`, as far as its hunks have shown it, a line a `\n`, as
    /// git gave it (decoded as the journal's files are, by `parse`)...
    new_version: Vec<u8>,
    /// ... and whether this commit added each of its lines.
    added: Vec<bool>,
    /// The old version of `file`, as far as its hunks have shown it.
    old_version: Vec<u8>,
    /// This commit added or removed a line that looks like a link definition
    /// (`[name]: url`), which may change the text of any milestone of the file.
    changes_link_definitions: bool,
}

impl LogReader {
    /// Reads one line (without its `\n`). Lines inside a hunk are told by the counts of
    /// its `@@` header, never by how they look, so a journal line such as `++ b/x.md`
    /// (added: `+++ b/x.md`) is content, not a header.
    fn line(&mut self, line: &[u8], history: &mut History) {
        if let Section::Hunk { old, new } = &mut self.section {
            match line.first() {
                Some(b'+') => {
                    *new = new.saturating_sub(1);
                    self.keep_new_line(&line[1..], true);
                }
                Some(b'-') => {
                    *old = old.saturating_sub(1);
                    self.keep_old_line(&line[1..], true);
                }
                // An empty context line is "" rather than " " with `diff.suppressBlankEmpty`.
                Some(b' ') | None => {
                    *old = old.saturating_sub(1);
                    *new = new.saturating_sub(1);
                    let line = line.get(1..).unwrap_or_default();
                    self.keep_old_line(line, false);
                    self.keep_new_line(line, false);
                }
                // `\ No newline at end of file`.
                Some(b'\\') => {}
                // Not a hunk line: git's output is not what the counts said.
                _ => {
                    self.section = Section::Outside;
                    self.start_file();
                    return self.line(line, history);
                }
            }
            if let Section::Hunk { old: 0, new: 0 } = self.section {
                self.section = Section::BetweenHunks;
            }
            return;
        }
        if let Some(header) = line.strip_prefix(b"\x1e") {
            // The last file of the commit before.
            self.finish_file(history);
            let header = String::from_utf8_lossy(header);
            let (parents, date) = header.split_once('\u{1f}').unwrap_or((&header, ""));
            self.commit = if parents.trim().is_empty() {
                Some(Checked::BeforeHistory)
            } else {
                Date::parse(date).ok().map(Checked::On)
            };
            self.section = Section::Outside;
            return;
        }
        if line.starts_with(b"diff ") {
            self.finish_file(history);
            // `diff --cc` (a merge's combined diff) is not read.
            self.section = if line.starts_with(b"diff --git ") {
                Section::FileHeader
            } else {
                Section::Outside
            };
            self.start_file();
            return;
        }
        match self.section {
            Section::FileHeader => self.header_line(line, history),
            Section::BetweenHunks => {
                if let Some(hunk) = hunk_header(line) {
                    self.section = hunk;
                }
            }
            Section::Outside | Section::Hunk { .. } => {}
        }
    }

    /// Forgets what was known about the file before.
    fn start_file(&mut self) {
        self.file = None;
        self.rename_from = None;
        self.old_name = None;
        self.new_name = None;
        self.submodule = false;
        self.new_version.clear();
        self.added.clear();
        self.old_version.clear();
        self.changes_link_definitions = false;
    }

    /// Keeps a line of the new version of the file (unless it is no journal file, or
    /// bigger than one the journal reads).
    fn keep_new_line(&mut self, line: &[u8], added: bool) {
        if self.file.is_none() {
            return;
        }
        if (self.new_version.len() + line.len()) as u64 >= MAX_FILE_BYTES {
            self.file = None;
            return;
        }
        self.changes_link_definitions |= added && looks_like_a_link_definition(line);
        self.new_version.extend_from_slice(line);
        self.new_version.push(b'\n');
        self.added.push(added);
    }

    /// Keeps a line of the old version of the file. One too big for the journal to read
    /// is kept whole all the same: it only hides milestones it had checked already.
    fn keep_old_line(&mut self, line: &[u8], removed: bool) {
        if self.file.is_none() {
            return;
        }
        self.changes_link_definitions |= removed && looks_like_a_link_definition(line);
        self.old_version.extend_from_slice(line);
        self.old_version.push(b'\n');
    }

    /// Notes the milestones this commit checked in the file (checked in its new version,
    /// not in its old one), once its diff is read.
    fn finish_file(&mut self, history: &mut History) {
        if let (Some(file), Some(commit)) = (&self.file, self.commit)
            && self.may_check_a_milestone()
        {
            let checked_before = checked_texts(file, &self.old_version);
            for text in checked_texts(file, &self.new_version) {
                if !checked_before.contains(&text) {
                    history.note_checked(file, text, commit);
                }
            }
        }
        self.start_file();
    }

    /// Whether a paragraph (lines between blank lines) of the new version has a line
    /// this commit added and a line that looks checked. A milestone's text is in the
    /// paragraph of its checkbox, so a commit that changes no such paragraph changes no
    /// checked milestone, and the file need not be parsed.
    fn may_check_a_milestone(&self) -> bool {
        let new_version = String::from_utf8_lossy(&self.new_version);
        if self.changes_link_definitions {
            return new_version.lines().any(looks_checked);
        }
        let (mut added, mut checked) = (false, false);
        for (line, &is_added) in new_version.lines().zip(&self.added) {
            if line.trim().is_empty() {
                (added, checked) = (false, false);
                continue;
            }
            added |= is_added;
            checked |= looks_checked(line);
            if added && checked {
                return true;
            }
        }
        false
    }
    /// A line of a file's header (`rename from`, `+++ b/name`, `@@ …`).
    fn header_line(&mut self, line: &[u8], history: &mut History) {
        let text = String::from_utf8_lossy(line);
        if let Some(hunk) = hunk_header(line) {
            self.section = hunk;
            if self.submodule {
                history.note_submodule(self.new_name.as_deref(), self.old_name.as_deref());
            }
        } else if text.ends_with(" 160000")
            && [
                "new file mode",
                "deleted file mode",
                "index ",
                "new mode",
                "old mode",
            ]
            .iter()
            .any(|start| text.starts_with(start))
        {
            self.submodule = true;
        } else if let Some(path) = text.strip_prefix("--- ") {
            self.old_name = name_after(path, "a/");
        } else if let Some(from) = text.strip_prefix("rename from ") {
            self.rename_from = Some(unquote(from));
        } else if let Some(to) = text.strip_prefix("rename to ") {
            if let Some(from) = self.rename_from.take() {
                history.note_rename(&from, &unquote(to));
            }
        } else if let Some(path) = text.strip_prefix("+++ ") {
            self.new_name = name_after(path, "b/");
            // The files the journal reads: `.md` or `.markdown`, in any case.
            self.file = self
                .new_name
                .clone()
                .filter(|name| is_markdown(Path::new(name)));
        }
    }
}

/// The texts of the checked milestones of `version` of `file`; where one keeps a `[`,
/// which may be a reference to a link this version does not define yet, also the text it
/// has once it is defined, so that defining the link later keeps the milestone's date.
fn checked_texts(file: &str, version: &[u8]) -> HashSet<String> {
    let mut texts = checked_texts_read_with(file, version, &ParseOptions::default());
    if texts.iter().any(|text| text.contains('[')) {
        let linked = ParseOptions {
            undefined_references_are_links: true,
            ..ParseOptions::default()
        };
        texts.extend(checked_texts_read_with(file, version, &linked));
    }
    texts
}

fn checked_texts_read_with(file: &str, version: &[u8], options: &ParseOptions) -> HashSet<String> {
    parse(file, version, options)
        .milestones
        .into_iter()
        .filter(|milestone| milestone.state == MilestoneState::Done)
        .map(|milestone| milestone.text.to_string())
        .collect()
}

/// Whether `line` may define a link (`[name]: url`, maybe in a quote or a list item):
/// loosely, as a line that is not one only costs a parse.
fn looks_like_a_link_definition(line: &[u8]) -> bool {
    line.windows(2).any(|two| two == b"]:")
}

/// Whether `line` may hold a checked checkbox: `[x]`, `[X]`, or Logseq's `DONE` (which
/// counts whatever the journal's options: in a journal that turned Logseq markers off, no
/// milestone has the text of such an item, so it dates nothing).
fn looks_checked(line: &str) -> bool {
    line.contains("[x]") || line.contains("[X]") || line.contains("DONE")
}

/// The name in a `---`/`+++` line after its `prefix`; `None` for `/dev/null`. git ends the
/// name with a tab when it holds a space (for `patch`); a tab of the name itself would
/// be quoted as `\t`.
fn name_after(path: &str, prefix: &str) -> Option<String> {
    let path = unquote(path.strip_suffix('\t').unwrap_or(path));
    path.strip_prefix(prefix).map(str::to_string)
}

/// The section a hunk header `@@ -a[,b] +c[,d] @@ …` starts: `b` old lines and `d` new
/// ones (one when left out). What follows the ranges is the text of a line of the file
/// (the "function" the hunk is in), cut by git at a byte count, maybe inside a
/// character: it is never decoded.
fn hunk_header(line: &[u8]) -> Option<Section> {
    let rest = line.strip_prefix(b"@@ -")?;
    let end = rest.windows(3).position(|three| three == b" @@")?;
    let ranges = std::str::from_utf8(&rest[..end]).ok()?;
    let (old, new) = ranges.split_once(" +")?;
    let count = |range: &str| -> Option<u64> {
        match range.split_once(',') {
            Some((start, count)) => {
                start.parse::<u64>().ok()?;
                count.parse().ok()
            }
            None => range.parse::<u64>().ok().map(|_| 1),
        }
    };
    let (old, new) = (count(old)?, count(new)?);
    Some(if old == 0 && new == 0 {
        Section::BetweenHunks
    } else {
        Section::Hunk { old, new }
    })
}

/// A path as git prints it: C-quoted (`"a\tb.md"`) when it holds special characters.
fn unquote(path: &str) -> String {
    let Some(inner) = path.strip_prefix('"').and_then(|p| p.strip_suffix('"')) else {
        return path.to_string();
    };
    let mut bytes = Vec::with_capacity(inner.len());
    let mut chars = inner.bytes().peekable();
    while let Some(byte) = chars.next() {
        if byte != b'\\' {
            bytes.push(byte);
            continue;
        }
        match chars.next() {
            Some(b'n') => bytes.push(b'\n'),
            Some(b't') => bytes.push(b'\t'),
            Some(b'a') => bytes.push(0x07),
            Some(b'b') => bytes.push(0x08),
            Some(b'f') => bytes.push(0x0c),
            Some(b'r') => bytes.push(b'\r'),
            Some(b'v') => bytes.push(0x0b),
            Some(digit @ b'0'..=b'7') => {
                let mut value = u32::from(digit - b'0');
                for _ in 0..2 {
                    if let Some(&next @ b'0'..=b'7') = chars.peek() {
                        value = value * 8 + u32::from(next - b'0');
                        chars.next();
                    }
                }
                bytes.push(value as u8);
            }
            Some(other) => bytes.push(other),
            None => {}
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::day;

    fn feed(lines: &[&str]) -> History {
        let mut history = History::default();
        let mut reader = LogReader::default();
        for line in lines {
            reader.line(line.as_bytes(), &mut history);
        }
        reader.finish_file(&mut history);
        history
    }

    #[test]
    fn the_first_commit_with_the_line_checked_gives_the_day() {
        let history = feed(&[
            "\u{1e}\u{1f}2026-01-01",
            "",
            "diff --git a/g.md b/g.md",
            "new file mode 100644",
            "--- /dev/null",
            "+++ b/g.md",
            "@@ -0,0 +1,2 @@",
            "+- [ ] a",
            "+- [x] already done",
            "\u{1e}p1\u{1f}2026-02-03",
            "",
            "diff --git a/g.md b/g.md",
            "--- a/g.md",
            "+++ b/g.md",
            "@@ -1 +1 @@",
            "-- [ ] a",
            "+- [x] a",
            "\u{1e}p2\u{1f}2026-03-01",
            "",
            "diff --git a/g.md b/g.md",
            "--- a/g.md",
            "+++ b/g.md",
            "@@ -2,0 +3 @@",
            // The line moved: the first day stays.
            "+- [x] a",
            "@@ -1 +0,0 @@",
            "-- [x] a",
        ]);
        assert_eq!(
            history.checked("g.md", "a"),
            Some(Checked::On(day("2026-02-03")))
        );
        assert_eq!(
            history.checked("g.md", "already done"),
            Some(Checked::BeforeHistory)
        );
        assert_eq!(history.checked("g.md", "missing"), None);
    }

    #[test]
    fn milestones_are_known_by_their_whole_text_read_in_the_whole_file() {
        // As git prints it with a context larger than the file: the item's second line
        // and the link's definition are context, only the checkbox's line is added.
        let history = feed(&[
            "\u{1e}p0\u{1f}2026-01-05",
            "diff --git a/g.md b/g.md",
            "+++ b/g.md",
            "@@ -1,7 +1,7 @@",
            " # Plan",
            "-- [ ] read [the",
            "+- [x] read [the",
            "   docs][docs] first",
            " ",
            " - [x] unrelated paragraph",
            " ",
            " [docs]: https://example.org",
        ]);
        let on = Some(Checked::On(day("2026-01-05")));
        assert_eq!(history.checked("g.md", "read the docs first"), on);
        // Checked in the old version too: this commit did not check it.
        assert_eq!(history.checked("g.md", "unrelated paragraph"), None);
        // No paragraph with a checked line changed: the file is not read.
        let history = feed(&[
            "\u{1e}p0\u{1f}2026-01-05",
            "diff --git a/g.md b/g.md",
            "+++ b/g.md",
            "@@ -1,3 +1,3 @@",
            "-# Plan",
            "+# The plan",
            " ",
            " - [x] a",
        ]);
        assert_eq!(history, History::default());
    }

    #[test]
    fn a_link_definition_removed_far_below_renames_the_milestones_that_used_it() {
        let history = feed(&[
            "\u{1e}p0\u{1f}2026-01-05",
            "diff --git a/g.md b/g.md",
            "+++ b/g.md",
            "@@ -1,4 +1,2 @@",
            " - [x] read [docs] first",
            " - [x] plain",
            "-",
            "-[docs]: https://example.org",
        ]);
        // `[docs]` is no link now: the milestone's text is new, the other's is not.
        assert_eq!(
            history.checked("g.md", "read [docs] first"),
            Some(Checked::On(day("2026-01-05")))
        );
        assert_eq!(history.checked("g.md", "plain"), None);
    }

    #[test]
    fn a_link_definition_left_as_it_was_does_not_make_the_file_read() {
        let mut reader = LogReader::default();
        let mut history = History::default();
        for line in [
            "\u{1e}p0\u{1f}2026-01-05",
            "diff --git a/g.md b/g.md",
            "+++ b/g.md",
            "@@ -1,5 +1,5 @@",
            " - [x] read [docs] first",
            " ",
            "-Some words.",
            "+Other words.",
            " ",
            " [docs]: https://example.org",
        ] {
            reader.line(line.as_bytes(), &mut history);
        }
        assert!(!reader.may_check_a_milestone());
    }

    #[test]
    fn a_link_defined_after_its_milestone_was_checked_keeps_its_date() {
        let history = feed(&[
            "\u{1e}p0\u{1f}2026-01-05",
            "diff --git a/g.md b/g.md",
            "+++ b/g.md",
            "@@ -1 +1 @@",
            "-- [ ] read [docs] first",
            "+- [x] read [docs] first",
            "\u{1e}p1\u{1f}2026-02-01",
            "diff --git a/g.md b/g.md",
            "+++ b/g.md",
            "@@ -1 +1,3 @@",
            " - [x] read [docs] first",
            "+",
            "+[docs]: https://example.org",
        ]);
        assert_eq!(
            history.checked("g.md", "read docs first"),
            Some(Checked::On(day("2026-01-05")))
        );
    }

    #[test]
    fn renames_carry_what_is_known() {
        let history = feed(&[
            "\u{1e}p0\u{1f}2026-01-05",
            "diff --git a/old name.md b/old name.md",
            "+++ b/old name.md\t",
            "@@ -0,0 +1 @@",
            "+- [x] a",
            "\u{1e}p1\u{1f}2026-02-01",
            "diff --git a/old name.md b/new.md",
            "similarity index 90%",
            "rename from old name.md",
            "rename to new.md",
            "+++ b/new.md",
            "@@ -1,0 +2 @@",
            "+- [x] b",
        ]);
        assert_eq!(
            history.checked("new.md", "a"),
            Some(Checked::On(day("2026-01-05")))
        );
        assert_eq!(
            history.checked("new.md", "b"),
            Some(Checked::On(day("2026-02-01")))
        );
    }

    #[test]
    fn only_added_lines_of_markdown_files_count() {
        let history = feed(&[
            "\u{1e}p0\u{1f}2026-01-05",
            "diff --git a/notes.txt b/notes.txt",
            "+++ b/notes.txt",
            "@@ -0,0 +1 @@",
            "+- [x] not markdown",
            "diff --git a/gone.md b/gone.md",
            "deleted file mode 100644",
            "--- a/gone.md",
            "+++ /dev/null",
            "@@ -1 +0,0 @@",
            "-- [x] deleted file",
            "diff --git a/g.md b/g.md",
            "+++ b/g.md",
            "@@ -1,2 +1 @@",
            "-- [x] removed",
            " - [x] context",
        ]);
        assert_eq!(history, History::default());
        let history = feed(&[
            "\u{1e}p0\u{1f}2026-01-05",
            "diff --git a/G.MD b/G.MD",
            "+++ b/G.MD",
            "@@ -0,0 +1 @@",
            "+- [x] capitals",
            "diff --git a/g.markdown b/g.markdown",
            "+++ b/g.markdown",
            "@@ -0,0 +1 @@",
            "+- [x] long",
        ]);
        let on = Some(Checked::On(day("2026-01-05")));
        assert_eq!(history.checked("G.MD", "capitals"), on);
        assert_eq!(history.checked("g.markdown", "long"), on);
    }

    #[test]
    fn names_with_spaces_lose_the_tab_git_adds() {
        let history = feed(&[
            "\u{1e}p0\u{1f}2026-01-05",
            "diff --git a/Learn SQL.md b/Learn SQL.md",
            "--- a/Learn SQL.md\t",
            "+++ b/Learn SQL.md\t",
            "@@ -1 +1 @@",
            "-- [ ] joins",
            "+- [x] joins",
            "diff --git \"a/say \\\"hi\\\".md\" \"b/say \\\"hi\\\".md\"",
            "+++ \"b/say \\\"hi\\\".md\"\t",
            "@@ -0,0 +1 @@",
            "+- [x] quoted",
        ]);
        let on = Some(Checked::On(day("2026-01-05")));
        assert_eq!(history.checked("Learn SQL.md", "joins"), on);
        assert_eq!(history.checked("say \"hi\".md", "quoted"), on);
    }

    #[test]
    fn lines_in_a_hunk_are_content_whatever_they_look_like() {
        let history = feed(&[
            "\u{1e}p0\u{1f}2026-01-05",
            "diff --git a/g.md b/g.md",
            "+++ b/g.md",
            "@@ -0,0 +1,5 @@",
            "+++ b/other.md",
            "+diff --git a/other.md b/other.md",
            "+@@ -0,0 +1,9 @@",
            "+\u{1e}p\u{1f}2020-02-02",
            "+- [x] still in g",
            "\\ No newline at end of file",
            // A line after the hunk that is no hunk header is not read as one.
            "+- [x] not in a hunk",
        ]);
        assert_eq!(
            history.checked("g.md", "still in g"),
            Some(Checked::On(day("2026-01-05")))
        );
        assert_eq!(history.checked("g.md", "not in a hunk"), None);
        assert_eq!(history.checked("other.md", "still in g"), None);
    }

    #[test]
    fn hunk_headers_give_the_counts_of_lines() {
        assert_eq!(
            hunk_header(b"@@ -3,2 +4 @@ ## Heading"),
            Some(Section::Hunk { old: 2, new: 1 })
        );
        assert_eq!(
            hunk_header(b"@@ -0,0 +1,12 @@"),
            Some(Section::Hunk { old: 0, new: 12 })
        );
        assert_eq!(hunk_header(b"@@ -1,0 +1,0 @@"), Some(Section::BetweenHunks));
        assert_eq!(hunk_header(b"@@@ -1 -1 +1 @@@"), None);
        assert_eq!(hunk_header(b"@@ -x +1 @@"), None);
        assert_eq!(hunk_header(b"+@@ -1 +1 @@"), None);
    }

    #[test]
    fn hunk_headers_are_read_whatever_text_of_the_file_follows() {
        // The function context after the range is cut by git, or by nothing, anywhere:
        // here inside `ü` and `中`, and not UTF-8 at all.
        for context in ["ü", "中"] {
            // `5 +5 @@ ` and 55 bytes: the character is at byte 63 of what follows `@@ -`.
            let line = format!("@@ -5 +5 @@ {}{context} and more", "p".repeat(55));
            assert_eq!(
                hunk_header(line.as_bytes()),
                Some(Section::Hunk { old: 1, new: 1 }),
                "{line}"
            );
            let cut = &line.as_bytes()[..line.find(context).unwrap() + 1];
            assert_eq!(hunk_header(cut), Some(Section::Hunk { old: 1, new: 1 }));
        }
        assert_eq!(
            hunk_header(b"@@ -5 +5 @@ \xff\xfe"),
            Some(Section::Hunk { old: 1, new: 1 })
        );
        assert_eq!(hunk_header(b"@@ -5 +5"), None);
        assert_eq!(hunk_header(b"@@ -5 +5 @"), None);
        assert_eq!(hunk_header(b"@@ -5  +5 @@"), None);
    }

    #[test]
    fn an_empty_line_in_a_hunk_is_an_empty_context_line() {
        // `diff.suppressBlankEmpty` prints an empty context line as "", not " ".
        let history = feed(&[
            "\u{1e}p0\u{1f}2026-01-05",
            "diff --git a/g.md b/g.md",
            "+++ b/g.md",
            "@@ -1,4 +1,4 @@",
            "-- [ ] a",
            "+- [x] a",
            "",
            "",
            "-- [ ] b",
            "+- [x] b",
        ]);
        let on = Some(Checked::On(day("2026-01-05")));
        assert_eq!(history.checked("g.md", "a"), on);
        assert_eq!(history.checked("g.md", "b"), on);
    }

    #[test]
    fn merges_combined_diffs_are_not_read() {
        let history = feed(&[
            "\u{1e}p0 p1\u{1f}2026-01-05",
            "diff --cc g.md",
            "+++ b/g.md",
            "@@@ -1,1 -1,1 +1,2 @@@",
            "++- [x] merged",
        ]);
        assert_eq!(history, History::default());
    }

    #[test]
    fn submodules_are_noted_and_their_files_looked_up_in_their_history() {
        let mut history = feed(&[
            "\u{1e}p0\u{1f}2026-01-05",
            "diff --git a/my goals b/my goals",
            "new file mode 160000",
            "index 0000000..4355ecb",
            "--- /dev/null",
            "+++ b/my goals\t",
            "@@ -0,0 +1 @@",
            "+Subproject commit 4355ecbf8ef2083e4ae19d16949e1cebcbe0025d",
            "diff --git a/old b/old",
            "new file mode 160000",
            "+++ b/old",
            "@@ -0,0 +1 @@",
            "+Subproject commit 4355ecbf8ef2083e4ae19d16949e1cebcbe0025d",
            "\u{1e}p1\u{1f}2026-01-06",
            "diff --git a/old b/old",
            "deleted file mode 160000",
            "index 4355ecb..0000000",
            "--- a/old",
            "+++ /dev/null",
            "@@ -1 +0,0 @@",
            "-Subproject commit 4355ecbf8ef2083e4ae19d16949e1cebcbe0025d",
        ]);
        assert_eq!(history.submodules.keys().collect::<Vec<_>>(), ["my goals"]);
        let inside = feed(&[
            "\u{1e}p\u{1f}2026-02-01",
            "diff --git a/g.md b/g.md",
            "+++ b/g.md",
            "@@ -0,0 +1 @@",
            "+- [x] a",
        ]);
        let inside = History {
            in_repository: true,
            ..inside
        };
        history.submodules.insert("my goals".into(), inside);
        assert_eq!(
            history.checked("my goals/g.md", "a"),
            Some(Checked::On(day("2026-02-01")))
        );
        assert_eq!(history.checked("g.md", "a"), None);
        assert!(history.checked_since_last_commit("my goals/g.md"));
        assert!(!history.checked_since_last_commit("my goals.md"));
    }

    #[test]
    fn quoted_paths_are_unquoted() {
        assert_eq!(unquote("\"b/a\\tb.md\""), "b/a\tb.md");
        assert_eq!(unquote("\"b/\\303\\251.md\""), "b/é.md");
        assert_eq!(unquote("\"b/\\\"q\\\\.md\""), "b/\"q\\.md");
        assert_eq!(unquote("b/plain.md"), "b/plain.md");
    }
}
