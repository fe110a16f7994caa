//! When milestones were checked, read from the git history of the journal folder.
//!
//! One streamed `git log -p` run reads every commit that touched the journal, oldest
//! first, and notes the first day each milestone (by file and the text trailmark reports
//! for it) appears checked in a file the commit changed (how: `log`). The result is cached by the commit it was read at, so a later run reads
//! only the commits since (or nothing, when `HEAD` has not moved). A submodule (mode
//! 160000 in the diff) is a repository of its own: it is read as the journal's is, and
//! cached beside it.
//!
//! Why the `git` program and not a library: one `git log` streams diffs already computed
//! by git, with rename detection, at a few hundred commits per 100 ms, and it keeps a
//! large dependency tree (and its compile time) out of the build. Without `git` on the
//! PATH, history simply is not used.
//!
//! Here: the [`History`] the rest of trailmark reads, and [`update`], which brings it up
//! to `HEAD`. Running git safely is in `run`, reading the `git log -p` stream in `log`,
//! the cache in the output folder in `cache`.

mod cache;
mod log;
mod run;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::dates::Date;
use cache::CACHE_VERSION;
use run::{Failure, LIMITS, all_text, discard, first_line, git, run};

pub(crate) use cache::CACHE_FILE;

/// What the history says about one checked milestone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub(crate) enum Checked {
    /// The author date of the first commit with the milestone checked.
    On(Date),
    /// Checked already in a commit that starts the history (the first commit, or the
    /// cut of a shallow clone): done before the history began, on a day git cannot tell.
    BeforeHistory,
}

/// The history of the journal folder, as far as milestones are concerned.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct History {
    version: u32,
    /// The commit the history was read up to; `None` when the journal is not in a git
    /// repository (or the repository has no commit yet).
    head: Option<String>,
    /// Whether the journal folder is inside a git work tree at all.
    in_repository: bool,
    /// File (relative to the journal, `/` separators) -> milestone text -> when checked.
    /// Sorted maps, so that the cache is written the same way every time and a build with
    /// nothing changed writes nothing.
    checked: BTreeMap<String, BTreeMap<String, Checked>>,
    /// Submodule (its folder, relative to the journal) -> its own history: the lines of
    /// its files are in its own commits, not in this repository's diffs.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    submodules: BTreeMap<String, History>,
    /// The files (relative to the journal) committed at `HEAD` and unchanged since,
    /// staged or not: read anew on every run, as the working tree changes between runs.
    #[serde(skip)]
    unchanged: BTreeSet<String>,
    /// Why history could not be read, when git failed on a repository.
    #[serde(skip)]
    pub(crate) problem: Option<Unread>,
    /// Whether git had to be stopped (see [`run::LIMITS`]).
    #[serde(skip)]
    stopped: bool,
}

/// A repository whose history could not be read: its files' milestones are not dated by
/// git (not even today).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Unread {
    /// The submodule, relative to the journal; `None` for the journal's own repository.
    pub(crate) folder: Option<String>,
    /// Why, in git's words or ours.
    pub(crate) why: String,
}

impl History {
    /// When the milestone `text` in `file` was first committed checked.
    pub(crate) fn checked(&self, file: &str, text: &str) -> Option<Checked> {
        if let Some((submodule, file)) = self.submodule_of(file) {
            return submodule.checked(file, text);
        }
        self.checked.get(file)?.get(text).copied()
    }

    /// Whether a milestone of `file` that no commit shows checked was checked since the
    /// last commit: `file` is in a repository whose history was read, and it is new or
    /// changed since `HEAD`. In a file committed as it is, such a milestone was
    /// committed checked where the history cannot show it (a file renamed from a name
    /// that is not markdown's, say): its day is unknown, not today.
    pub(crate) fn checked_since_last_commit(&self, file: &str) -> bool {
        match self.submodule_of(file) {
            Some((submodule, file)) => submodule.checked_since_last_commit(file),
            None => self.in_repository && !self.unchanged.contains(file),
        }
    }

    /// The submodule `file` is in, and its path there.
    fn submodule_of<'a>(&self, file: &'a str) -> Option<(&History, &'a str)> {
        self.submodules.iter().find_map(|(folder, submodule)| {
            let inside = file.strip_prefix(folder.as_str())?.strip_prefix('/')?;
            Some((submodule, inside))
        })
    }

    /// A submodule appeared at `added`, or the one at `removed` is gone.
    fn note_submodule(&mut self, added: Option<&str>, removed: Option<&str>) {
        if let Some(folder) = added {
            self.submodules.entry(folder.to_string()).or_default();
        } else if let Some(folder) = removed {
            self.submodules.remove(folder);
        }
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

    /// What of this history decides how it dates milestones, but its record of checked
    /// ones: that is read up to `HEAD` alone, so the same `HEAD` means the same record.
    pub(crate) fn dating(&self) -> Dating {
        Dating {
            version: self.version,
            head: self.head.clone(),
            in_repository: self.in_repository,
            problem: self.problem.clone(),
            stopped: self.stopped,
            unchanged: self.unchanged.clone(),
            submodules: (self.submodules.iter())
                .map(|(folder, submodule)| (folder.clone(), submodule.dating()))
                .collect(),
        }
    }

    /// A hash of everything the analysis can read of this history: equal hashes, equal
    /// dates for every milestone (see `workspace::saved_status`).
    pub(crate) fn state_hash(&self) -> u64 {
        crate::hash::data_hash(&self.state())
    }

    fn state(&self) -> HistoryState<'_> {
        HistoryState {
            history: self,
            unchanged: &self.unchanged,
            problem: self
                .problem
                .as_ref()
                .map(|problem| (problem.folder.as_deref(), problem.why.as_str())),
            stopped: self.stopped,
            submodules: self.submodules.values().map(History::state).collect(),
        }
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

/// See [`History::dating`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Dating {
    version: u32,
    head: Option<String>,
    in_repository: bool,
    problem: Option<Unread>,
    stopped: bool,
    unchanged: BTreeSet<String>,
    submodules: Vec<(String, Dating)>,
}

impl Dating {
    /// The files whose milestones a history of this dating dates otherwise than one of
    /// `before`, when only which files are committed as they are changed (a file edited
    /// since the last commit); `None` when more may have (another `HEAD`, a problem, a
    /// submodule).
    pub(crate) fn files_dated_otherwise(&self, before: &Dating) -> Option<Vec<String>> {
        let same = self.version == before.version
            && self.head == before.head
            && self.in_repository == before.in_repository
            && self.problem == before.problem
            && self.stopped == before.stopped
            && self.submodules.len() == before.submodules.len();
        if !same {
            return None;
        }
        let mut files: Vec<String> = (self.unchanged.symmetric_difference(&before.unchanged))
            .cloned()
            .collect();
        for ((folder, submodule), (folder_before, submodule_before)) in
            self.submodules.iter().zip(&before.submodules)
        {
            if folder != folder_before {
                return None;
            }
            let inside = submodule.files_dated_otherwise(submodule_before)?;
            files.extend(inside.into_iter().map(|file| format!("{folder}/{file}")));
        }
        Some(files)
    }
}

/// A history with the fields its serialization (the cache) leaves out, in its own and
/// its submodules'.
#[derive(Serialize)]
struct HistoryState<'a> {
    history: &'a History,
    unchanged: &'a BTreeSet<String>,
    problem: Option<(Option<&'a str>, &'a str)>,
    stopped: bool,
    submodules: Vec<HistoryState<'a>>,
}

/// Brings `known` (the history as read before, if any) up to the current `HEAD`, reading
/// only the commits since when `HEAD` moved forward.
pub(crate) fn update(root: &Path, known: Option<History>) -> History {
    // A git that had to be stopped is not started again by this process (`watch`,
    // `serve`): the warning stays, and rebuilds do not wait for it each time.
    if let Some(stopped) = known.as_ref().filter(|known| known.stopped) {
        return stopped.clone();
    }
    if !may_be_in_repository(root) {
        return History::default();
    }
    let (head, prefix) = match rev_parse_head(root) {
        Ok(Head::NotARepository) => return History::default(),
        Ok(Head::NoCommits) => {
            return History {
                in_repository: true,
                ..History::default()
            };
        }
        Ok(Head::Commit { head, prefix }) => (head, prefix),
        Err(failure) => return without_history(failure),
    };
    let unchanged = match unchanged_files(root, &prefix) {
        Ok(unchanged) => unchanged,
        Err(failure) => return without_history(failure),
    };
    let mut history = match known {
        Some(cached) if cached.head.as_deref() == Some(head.as_str()) => {
            return with_submodules(
                root,
                History {
                    unchanged,
                    ..cached
                },
            );
        }
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
    match log::read_log(root, &range, &mut history) {
        Ok(()) => {}
        Err(failure) => return without_history(failure),
    }
    history.head = Some(head);
    history.in_repository = true;
    history.unchanged = unchanged;
    with_submodules(root, history)
}

/// Whether git could find a repository for the folder `root`: whether it, or a folder
/// above it, holds a `.git` (the folder, or the file of a worktree or a submodule) or a
/// `HEAD` (a repository without a work tree). Git finds a repository only so (`GIT_DIR`,
/// which could name one anywhere, is not passed on to it: see `run::git`); where this is
/// false, starting git only to hear "not a git repository" was 4–12 ms of each build of
/// a journal kept outside git, and of each of `watch`'s rebuilds. Folders are taken as
/// the system resolves them, as git takes them. Anything unclear starts git.
fn may_be_in_repository(root: &Path) -> bool {
    let Ok(real) = std::fs::canonicalize(root) else {
        return true;
    };
    real.ancestors().any(|folder| {
        [".git", "HEAD"]
            .iter()
            .any(|name| folder.join(name).symlink_metadata().is_ok())
    })
}

/// The files of the journal folder (relative to it) committed at `HEAD` and unchanged
/// since: those in git's index, less those that differ from `HEAD` in the index or the
/// working tree. `prefix` is the journal's folder in the repository (`git status` names
/// files from the top). The untracked files are not listed (that would read every
/// `.gitignore`): a file not in the index counts as changed anyway.
fn unchanged_files(root: &Path, prefix: &str) -> Result<BTreeSet<String>, Failure> {
    let tracked = file_list(root, &["ls-files", "-z", "--", "."])?;
    let changed = file_list(
        root,
        &[
            // `status` refreshes the index it reads: this keeps it from writing it back
            // (trailmark writes nothing in the journal). A plain `git diff` would write it.
            "--no-optional-locks",
            "status",
            "--porcelain=v1",
            "-z",
            "--untracked-files=no",
            "--no-renames",
            "--ignore-submodules=all",
            "--",
            ".",
        ],
    )?;
    let changed: BTreeSet<&str> = changed
        .iter()
        // Each entry is two status letters, a space and the file.
        .filter_map(|entry| entry.get(3..)?.strip_prefix(prefix))
        .collect();
    Ok(tracked
        .into_iter()
        .filter(|file| !changed.contains(file.as_str()))
        .collect())
}

/// The NUL-separated entries a git command run in `root` with `args` prints.
fn file_list(root: &Path, args: &[&str]) -> Result<Vec<String>, Failure> {
    let mut command = git(root);
    command.args(args);
    let finished = run(command, LIMITS, all_text)?;
    if !finished.success {
        return Err(Failure::Problem(first_line(&finished.stderr)));
    }
    Ok(finished
        .read
        .split('\0')
        .filter(|entry| !entry.is_empty())
        .map(str::to_string)
        .collect())
}

/// `history` with the history of each of its submodules brought up to date (each is a
/// repository of its own, read as the journal's is).
fn with_submodules(root: &Path, mut history: History) -> History {
    history.problem = None;
    for (folder, submodule) in &mut history.submodules {
        let inside = root.join(folder);
        // Not checked out: no files of it in the journal. (A name that leaves the
        // journal comes from a crafted commit: git checks none out.)
        let below = Path::new(folder)
            .components()
            .all(|part| matches!(part, std::path::Component::Normal(_)));
        if !below || !inside.join(".git").exists() {
            *submodule = History::default();
            continue;
        }
        *submodule = update(&inside, Some(std::mem::take(submodule)));
        if let (None, Some(problem)) = (&history.problem, &submodule.problem) {
            // A submodule's own submodule is named from the journal.
            let inner = problem.folder.as_ref();
            history.problem = Some(Unread {
                folder: Some(inner.map_or(folder.clone(), |inner| format!("{folder}/{inner}"))),
                why: problem.why.clone(),
            });
        }
    }
    history
}

/// No history, and why (for a warning): milestones without a date from elsewhere have
/// none, rather than "today" for want of a commit as in a readable repository.
fn without_history(failure: Failure) -> History {
    let (problem, stopped) = match failure {
        // Removed since it was found: as if there were none.
        Failure::NotInstalled => return History::default(),
        Failure::Problem(problem) => (problem, false),
        Failure::Stopped(problem) => (problem, true),
    };
    History {
        problem: Some(Unread {
            folder: None,
            why: problem,
        }),
        stopped,
        ..History::default()
    }
}

/// What `HEAD` of the journal's repository is.
enum Head {
    NotARepository,
    NoCommits,
    /// `HEAD`'s commit, and the folder `git` ran in, relative to the repository's top
    /// (empty at the top, else ending with `/`).
    Commit {
        head: String,
        prefix: String,
    },
}

fn rev_parse_head(root: &Path) -> Result<Head, Failure> {
    let mut command = git(root);
    command.args([
        "rev-parse",
        "--is-inside-work-tree",
        "--show-prefix",
        "--verify",
        "-q",
        "HEAD",
    ]);
    let finished = match run(command, LIMITS, all_text) {
        Ok(finished) => finished,
        // No git installed: a journal without history.
        Err(Failure::NotInstalled) => return Ok(Head::NotARepository),
        Err(failure) => return Err(failure),
    };
    let mut lines = finished.read.lines();
    match lines.next() {
        Some("true") => {}
        // Inside a `.git` folder: no work tree to compare with.
        Some("false") => return Ok(Head::NotARepository),
        _ => {
            return if finished.stderr.contains("not a git repository") {
                Ok(Head::NotARepository)
            } else {
                Err(Failure::Problem(first_line(&finished.stderr)))
            };
        }
    }
    let prefix = lines.next().unwrap_or_default().to_string();
    Ok(match lines.next() {
        Some(hash) if finished.success => Head::Commit {
            head: hash.trim().to_string(),
            prefix,
        },
        _ => Head::NoCommits,
    })
}

fn is_ancestor(root: &Path, old: &str, head: &str) -> bool {
    let mut command = git(root);
    command.args(["merge-base", "--is-ancestor", old, head]);
    run(command, LIMITS, discard).is_ok_and(|finished| finished.success)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_in_a_work_tree_a_worktree_or_a_bare_repository_may_be_in_one() {
        let dir = tempfile::tempdir().unwrap();
        let folder = |path: &str| {
            let folder = dir.path().join(path);
            std::fs::create_dir_all(&folder).unwrap();
            folder
        };
        folder("work/.git");
        std::fs::write(folder("linked").join(".git"), "gitdir: ../work/.git\n").unwrap();
        std::fs::write(folder("bare").join("HEAD"), "ref: refs/heads/main\n").unwrap();
        for journal in ["work", "work/notes/2026", "linked", "bare"] {
            assert!(may_be_in_repository(&folder(journal)), "{journal}");
        }
    }

    fn history(head: &str, unchanged: &[&str]) -> History {
        History {
            head: Some(head.to_string()),
            in_repository: true,
            unchanged: unchanged.iter().map(|file| file.to_string()).collect(),
            ..History::default()
        }
    }

    #[test]
    fn at_the_same_head_only_files_edited_or_committed_since_are_dated_otherwise() {
        let before = history("a1", &["goals/ship.md", "notes/x.md"]).dating();
        let edited = history("a1", &["notes/x.md", "2026-03-01.md"]).dating();
        assert_eq!(
            edited.files_dated_otherwise(&before),
            Some(vec![
                "2026-03-01.md".to_string(),
                "goals/ship.md".to_string()
            ])
        );
        let mut in_submodule = history("a1", &["goals/ship.md", "notes/x.md"]);
        in_submodule
            .submodules
            .insert("team".to_string(), history("b1", &["plan.md"]));
        let mut submodule_edited = in_submodule.clone();
        submodule_edited
            .submodules
            .get_mut("team")
            .unwrap()
            .unchanged
            .clear();
        assert_eq!(
            submodule_edited
                .dating()
                .files_dated_otherwise(&in_submodule.dating()),
            Some(vec!["team/plan.md".to_string()])
        );
    }

    #[test]
    fn another_head_a_problem_or_a_submodule_may_date_anything_otherwise() {
        let before = history("a1", &["goals/ship.md"]);
        let committed = history("a2", &["goals/ship.md"]);
        assert_eq!(
            committed.dating().files_dated_otherwise(&before.dating()),
            None
        );
        let mut failed = before.clone();
        failed.problem = Some(Unread {
            folder: None,
            why: "git is gone".to_string(),
        });
        assert_eq!(
            failed.dating().files_dated_otherwise(&before.dating()),
            None
        );
        let mut with_submodule = before.clone();
        with_submodule
            .submodules
            .insert("team".to_string(), History::default());
        assert_eq!(
            with_submodule
                .dating()
                .files_dated_otherwise(&before.dating()),
            None
        );
    }
}
