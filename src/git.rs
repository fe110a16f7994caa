//! When milestones were checked, read from the git history of the journal folder.
//!
//! One streamed `git log -p` run reads every commit that touched the journal, oldest
//! first, and notes the first day each milestone (by file and text) appears checked in an
//! added line. The result is cached by the commit it was read at, so a later run reads
//! only the commits since (or nothing, when `HEAD` has not moved).
//!
//! Why the `git` program and not a library: one `git log` streams diffs already computed
//! by git, with rename detection, at a few hundred commits per 100 ms, and it keeps a
//! large dependency tree (and its compile time) out of the build. Without `git` on the
//! PATH, history simply is not used.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use serde::{Deserialize, Serialize};

use crate::dates::Date;
use crate::document::checked_milestone_text;

/// The name of the cache file, in the output folder.
pub const CACHE_FILE: &str = ".trailmark-git-history.json";

/// Bumped whenever the cache's meaning changes, so that old caches are ignored.
const CACHE_VERSION: u32 = 1;

/// What the history says about one checked milestone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Checked {
    /// The author date of the first commit with the milestone checked.
    On(Date),
    /// Checked already in a commit that starts the history (the first commit, or the
    /// cut of a shallow clone): done before the history began, on a day git cannot tell.
    BeforeHistory,
}

/// The history of the journal folder, as far as milestones are concerned.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct History {
    version: u32,
    /// The commit the history was read up to; `None` when the journal is not in a git
    /// repository (or the repository has no commit yet).
    head: Option<String>,
    /// Whether the journal folder is inside a git work tree at all.
    pub in_repository: bool,
    /// File (relative to the journal, `/` separators) -> milestone text -> when checked.
    checked: HashMap<String, HashMap<String, Checked>>,
    /// Why history could not be read, when git failed on a repository.
    #[serde(skip)]
    pub problem: Option<String>,
}

impl History {
    /// When the milestone `text` in `file` was first committed checked.
    pub fn checked(&self, file: &str, text: &str) -> Option<Checked> {
        self.checked.get(file)?.get(text).copied()
    }

    /// The cache to keep in the output folder, when history was read from commits.
    pub fn to_cache(&self) -> Option<String> {
        self.head.as_ref()?;
        Some(serde_json::to_string(self).expect("a history holds only strings and dates") + "\n")
    }

    /// A history from the text of an earlier [`History::to_cache`], unless it is from
    /// another version of trailmark.
    pub fn from_cache(text: &str) -> Option<History> {
        serde_json::from_str::<History>(text)
            .ok()
            .filter(|h| h.version == CACHE_VERSION)
    }

    /// Records one commit's added lines in `file`, keeping the earliest day.
    fn note_checked(&mut self, file: &str, text: String, checked: Checked) {
        let texts = self.checked.entry(file.to_string()).or_default();
        let earliest = match (texts.get(&text), checked) {
            (Some(Checked::BeforeHistory), _) | (_, Checked::BeforeHistory) => {
                Checked::BeforeHistory
            }
            (Some(Checked::On(known)), Checked::On(new)) => Checked::On((*known).min(new)),
            (None, new) => new,
        };
        texts.insert(text, earliest);
    }

    /// A file renamed from `from` to `to` keeps what is known about its milestones.
    fn note_rename(&mut self, from: &str, to: &str) {
        let Some(texts) = self.checked.get(from).cloned() else {
            return;
        };
        for (text, checked) in texts {
            self.note_checked(to, text, checked);
        }
    }
}

/// Reads the history of the journal at `root`, starting from `cache` (the text of an
/// earlier [`History::to_cache`]) when it is still valid.
pub fn read(root: &Path, cache: Option<&str>) -> History {
    update(root, cache.and_then(History::from_cache))
}

/// Brings `known` (the history as read before, if any) up to the current `HEAD`, reading
/// only the commits since when `HEAD` moved forward.
pub fn update(root: &Path, known: Option<History>) -> History {
    let head = match rev_parse_head(root) {
        Ok(Head::NotARepository) => return History::default(),
        Ok(Head::NoCommits) => {
            return History {
                in_repository: true,
                ..History::default()
            };
        }
        Ok(Head::Commit(head)) => head,
        Err(problem) => {
            return History {
                problem: Some(problem),
                ..History::default()
            };
        }
    };
    let mut history = match known {
        Some(cached) if cached.head.as_deref() == Some(head.as_str()) => return cached,
        Some(cached)
            if cached
                .head
                .as_deref()
                .is_some_and(|old| is_ancestor(root, old, &head)) =>
        {
            cached
        }
        _ => History {
            version: CACHE_VERSION,
            ..History::default()
        },
    };
    let range = match &history.head {
        Some(old) => format!("{old}..{head}"),
        None => head.clone(),
    };
    if let Err(problem) = read_log(root, &range, &mut history) {
        return History {
            in_repository: true,
            problem: Some(problem),
            ..History::default()
        };
    }
    history.head = Some(head);
    history.in_repository = true;
    history
}

enum Head {
    NotARepository,
    NoCommits,
    Commit(String),
}

fn git(root: &Path) -> Command {
    let mut command = Command::new("git");
    command
        .arg("-C")
        .arg(root)
        .args(["-c", "core.quotePath=false"])
        // Run from a git hook, these would point at another repository.
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .stdin(Stdio::null());
    command
}

fn rev_parse_head(root: &Path) -> Result<Head, String> {
    let output = match git(root)
        .args([
            "rev-parse",
            "--is-inside-work-tree",
            "--verify",
            "-q",
            "HEAD",
        ])
        .output()
    {
        Ok(output) => output,
        // No git installed: a journal without history.
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Head::NotARepository);
        }
        Err(error) => return Err(format!("cannot run git: {error}")),
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut lines = stdout.lines();
    match lines.next() {
        Some("true") => {}
        // Inside a `.git` folder: no work tree to compare with.
        Some("false") => return Ok(Head::NotARepository),
        _ => {
            let stderr = String::from_utf8_lossy(&output.stderr);
            return if stderr.contains("not a git repository") {
                Ok(Head::NotARepository)
            } else {
                Err(first_line(&stderr))
            };
        }
    }
    Ok(match lines.next() {
        Some(hash) if output.status.success() => Head::Commit(hash.trim().to_string()),
        _ => Head::NoCommits,
    })
}

fn is_ancestor(root: &Path, old: &str, head: &str) -> bool {
    git(root)
        .args(["merge-base", "--is-ancestor", old, head])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// Streams `git log -p` over `range`, oldest commit first, into `history`.
fn read_log(root: &Path, range: &str, history: &mut History) -> Result<(), String> {
    let mut child = git(root)
        .args([
            "log",
            "-p",
            "--reverse",
            "--topo-order",
            "--no-color",
            "--no-ext-diff",
            "--no-textconv",
            "-M",
            "--unified=0",
            "--format=%x1e%P%x1f%ad",
            "--date=short",
            "--relative",
            range,
            "--",
            ".",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| format!("cannot run git: {error}"))?;
    let stdout = child
        .stdout
        .take()
        .expect("stdout was set to piped just above");
    let mut reader = LogReader::default();
    for line in BufReader::new(stdout).split(b'\n') {
        let line = line.map_err(|error| format!("cannot read git's output: {error}"))?;
        reader.line(&String::from_utf8_lossy(&line), history);
    }
    let output = child
        .wait_with_output()
        .map_err(|error| format!("git did not finish: {error}"))?;
    if !output.status.success() {
        return Err(first_line(&String::from_utf8_lossy(&output.stderr)));
    }
    Ok(())
}

/// Where the reader is in the log stream.
#[derive(Default)]
struct LogReader {
    /// The current commit: `None` before the first one, or when its date is unreadable.
    commit: Option<Checked>,
    /// The markdown file whose added lines follow.
    file: Option<String>,
    rename_from: Option<String>,
}

impl LogReader {
    fn line(&mut self, line: &str, history: &mut History) {
        if let Some(header) = line.strip_prefix('\u{1e}') {
            let (parents, date) = header.split_once('\u{1f}').unwrap_or((header, ""));
            self.commit = if parents.trim().is_empty() {
                Some(Checked::BeforeHistory)
            } else {
                Date::parse(date).ok().map(Checked::On)
            };
            self.file = None;
            self.rename_from = None;
        } else if line.starts_with("diff --git ") {
            self.file = None;
            self.rename_from = None;
        } else if let Some(from) = line.strip_prefix("rename from ") {
            self.rename_from = Some(unquote(from));
        } else if let Some(to) = line.strip_prefix("rename to ") {
            if let Some(from) = self.rename_from.take() {
                history.note_rename(&from, &unquote(to));
            }
        } else if let Some(path) = line.strip_prefix("+++ ") {
            let path = unquote(path);
            self.file = path
                .strip_prefix("b/")
                .filter(|p| p.ends_with(".md"))
                .map(str::to_string);
        } else if let Some(added) = line.strip_prefix('+')
            && let (Some(file), Some(commit)) = (&self.file, self.commit)
            && let Some(text) = checked_milestone_text(added)
        {
            history.note_checked(file, text, commit);
        }
    }
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

fn first_line(text: &str) -> String {
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let line = line.trim().trim_start_matches("fatal: ");
    if line.is_empty() {
        "git failed without a message".to_string()
    } else {
        line.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Date {
        Date::parse(text).expect("test dates are valid")
    }

    fn feed(lines: &[&str]) -> History {
        let mut history = History::default();
        let mut reader = LogReader::default();
        for line in lines {
            reader.line(line, &mut history);
        }
        history
    }

    #[test]
    fn the_first_commit_with_the_line_checked_gives_the_day() {
        let history = feed(&[
            "\u{1e}\u{1f}2026-01-01",
            "diff --git a/g.md b/g.md",
            "+++ b/g.md",
            "+- [ ] a",
            "+- [x] already done",
            "\u{1e}p1\u{1f}2026-02-03",
            "diff --git a/g.md b/g.md",
            "--- a/g.md",
            "+++ b/g.md",
            "-- [ ] a",
            "+- [x] a",
            "\u{1e}p2\u{1f}2026-03-01",
            "+++ b/g.md",
            // The line moved: the first day stays.
            "+- [x] a",
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
    fn renames_carry_what_is_known() {
        let history = feed(&[
            "\u{1e}p0\u{1f}2026-01-05",
            "+++ b/old name.md",
            "+- [x] a",
            "\u{1e}p1\u{1f}2026-02-01",
            "diff --git a/old name.md b/new.md",
            "rename from old name.md",
            "rename to new.md",
            "+++ b/new.md",
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
            "+++ b/notes.txt",
            "+- [x] not markdown",
            "+++ /dev/null",
            "+- [x] deleted file",
            "+++ b/g.md",
            "-- [x] removed",
            " - [x] context",
        ]);
        assert_eq!(history, History::default());
    }

    #[test]
    fn quoted_paths_are_unquoted() {
        assert_eq!(unquote("\"b/a\\tb.md\""), "b/a\tb.md");
        assert_eq!(unquote("\"b/\\303\\251.md\""), "b/é.md");
        assert_eq!(unquote("b/plain.md"), "b/plain.md");
    }

    #[test]
    fn the_cache_round_trips_and_old_versions_are_ignored() {
        let mut history = feed(&["\u{1e}p\u{1f}2026-01-05", "+++ b/g.md", "+- [x] a"]);
        history.version = CACHE_VERSION;
        history.head = Some("abc".into());
        history.in_repository = true;
        let cache = history.to_cache().unwrap();
        assert_eq!(History::from_cache(&cache), Some(history.clone()));
        history.version = 0;
        assert_eq!(History::from_cache(&history.to_cache().unwrap()), None);
        history.head = None;
        assert_eq!(history.to_cache(), None);
        assert_eq!(History::from_cache("not json"), None);
    }
}
