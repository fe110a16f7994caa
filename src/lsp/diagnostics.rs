//! Diagnostics: everything `check` reports for a file, its SMART hints as hints, at the
//! places the editor counts: from the journal as analysed, and for an edited buffer at
//! once, before the journal is analysed again ([`buffer_problems`]).

use super::buffers::{Lines, protocol_position};
use super::protocol::{Problem, ProblemSeverity, TextRange};
use super::snapshot::Snapshot;
use crate::analyse::{GoalReport, dated_after, stale_checkins};
use crate::check::{Hint, goal_hints};
use crate::diagnostic::{Diagnostic, Position, Severity};
use crate::document;
use crate::model;
use std::path::Path;
use std::sync::Arc;

/// The problems of the journal file `path` in `snapshot`.
pub(crate) fn problems(snapshot: &Snapshot, path: &str, lines: &mut Lines<'_>) -> Vec<Problem> {
    let hints = snapshot.hints.iter().filter(|hint| hint.file == path);
    as_problems(snapshot.diagnostics_of(path), hints, path, lines)
}

/// The problems of the open buffer `path` whose text is `text`, without analysing the
/// journal again: those `snapshot` found in the file when it analysed the file as it is
/// on disk and the buffer holds that text (a file just opened), else
/// [`buffer_problems`]. Where the disk changed since it was read, the analysis that
/// follows corrects them, as it corrects what [`buffer_problems`] cannot know.
pub(crate) fn opened_or_buffer_problems(
    snapshot: &Snapshot,
    root: &Path,
    path: &str,
    text: &str,
    lines: &mut Lines<'_>,
) -> Vec<Problem> {
    let as_on_disk = snapshot.read_from_disk(path)
        && document::read(root, path).is_ok_and(|bytes| bytes == text.as_bytes());
    match as_on_disk {
        true => problems(snapshot, path, lines),
        false => buffer_problems(snapshot, path, text, lines),
    }
}

/// The problems of the open buffer `path` whose text is `text`, without analysing the
/// journal again: the buffer parsed and linked (`model::build`) against the
/// [`model::Outline`]s of the journal's other files as last analysed, which is what
/// its unknown tags, parents, ids used twice and links are checked against in a whole
/// build too. Its goals' SMART hints and stale check-ins need their milestones and
/// check-ins from the whole journal: they are those of the last analysis, for the goals
/// still declared, at their new places. The analysis that follows corrects what the
/// edit changed there (a `due:` added), and the rare hint a whole journal's budget of
/// "did you mean" comparisons left out.
pub(crate) fn buffer_problems(
    snapshot: &Snapshot,
    path: &str,
    text: &str,
    lines: &mut Lines<'_>,
) -> Vec<Problem> {
    let buffer = document::parse(path, text.as_bytes(), &snapshot.parse);
    // Documents without goals matter only to resolve the buffer's `[[links]]`.
    let with_notes = !buffer.links().is_empty();
    let mut documents: Vec<document::Document> = if with_notes {
        (snapshot.documents())
            .filter(|other| *other.path != *path)
            .collect()
    } else {
        (snapshot.outlines().iter())
            .filter(|other| *other.path != *path && !other.goals.is_empty())
            .map(model::Outline::document)
            .collect()
    };
    documents.push(buffer);
    let journal = model::build(documents, snapshot.warnings);
    let today = snapshot.today();
    let goals = last_reports(snapshot, &journal, path);
    let mut diagnostics: Vec<Diagnostic> = journal
        .all_diagnostics()
        .into_iter()
        .chain(dated_after(&journal, today))
        .filter(|diagnostic| diagnostic.file == path)
        .collect();
    if let Some(days) = snapshot.rules.stale_checkins_after_days {
        diagnostics.extend(stale_checkins(&goals, today, days));
    }
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    as_problems(
        diagnostics.iter(),
        goal_hints(&goals, today).iter(),
        path,
        lines,
    )
}

/// The reports of the last analysis for the goals the buffer `path` declares in
/// `journal`, as its goals are now: with their ids and at their places. A goal is the
/// one of its id declared in the file, else (its id edited) the one in the same place
/// among the file's goals when the file declares as many as before.
fn last_reports(snapshot: &Snapshot, journal: &model::Journal, path: &str) -> Vec<Arc<GoalReport>> {
    let before: Vec<&GoalReport> = snapshot.goals_of_file(path).collect();
    let now: Vec<&model::Goal> = journal.goals.iter().filter(|g| g.file == path).collect();
    let as_many = before.len() == now.len();
    now.iter()
        .enumerate()
        .filter_map(|(index, goal)| {
            let last = snapshot.goal(&goal.id).filter(|last| last.file == path);
            let mut report = last.or_else(|| as_many.then(|| before[index]))?.clone();
            report.id = goal.id.clone();
            (report.line, report.column) =
                (goal.declared.position.line, goal.declared.position.column);
            Some(Arc::new(report))
        })
        .collect()
}

fn as_problems<'a>(
    diagnostics: impl Iterator<Item = &'a Diagnostic>,
    hints: impl Iterator<Item = &'a Hint>,
    path: &str,
    lines: &mut Lines<'_>,
) -> Vec<Problem> {
    let mut problems: Vec<Problem> = diagnostics
        .map(|diagnostic| Problem {
            range: range(lines, path, diagnostic.position),
            severity: match diagnostic.severity {
                Severity::Error => ProblemSeverity::Error,
                Severity::Warning => ProblemSeverity::Warning,
            },
            message: diagnostic.message.clone(),
        })
        .collect();
    problems.extend(hints.map(|hint| Problem {
        range: range(lines, path, Some(hint.position)),
        severity: ProblemSeverity::Hint,
        message: hint.message.clone(),
    }));
    problems
}

/// Every file with a diagnostic or a hint.
pub(crate) fn files_with_problems(snapshot: &Snapshot) -> impl Iterator<Item = String> + '_ {
    snapshot
        .diagnostics()
        .iter()
        .map(|diagnostic| diagnostic.file.clone())
        .chain(snapshot.hints.iter().map(|hint| hint.file.clone()))
        // `.` is the journal as a whole (an unreadable git history): no file to show it in.
        .filter(|file| file != ".")
}

/// From the diagnostic's place to the end of its line; the file's start for a problem
/// of the whole file.
fn range(lines: &mut Lines<'_>, path: &str, position: Option<Position>) -> TextRange {
    match position {
        Some(position) => {
            let mut range = lines.rest_of_line(path, position);
            if range.end == range.start {
                let line = lines.line(path, position.line.saturating_sub(1));
                range.start = protocol_position(line, Position::new(position.line, 1));
            }
            range
        }
        None => TextRange::default(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeSet, HashMap};

    use super::*;
    use crate::dates::Date;
    use crate::lsp::buffers::Buffer;
    use crate::lsp::snapshot::Notes;
    use crate::workspace::Workspace;

    const JOURNAL: &[(&str, &str)] = &[
        (
            "trailmark.toml",
            "[warnings]\nmissing_notes = true\nstale_checkins = 7\n",
        ),
        (
            "goals/ship-book.md",
            "---\ngoal: Ship the book\nid: ship-book\ndue: 2026-06-01\nwhy: w\n---\n\
             - [ ] Draft chapter one\n",
        ),
        (
            "goals/learn-rust.md",
            "---\ngoal: Learn Rust\nid: learn-rust\nparent: ship-book\n---\n- [ ] Read the book\n",
        ),
        (
            "goals/run.md",
            "---\ngoal: Run\nid: run\nmetric: {target: 100, unit: km}\n---\n",
        ),
        (
            "journal/2026-03-01.md",
            "---\ncheckins: {learn-rust: {confidence: 6}}\n---\n- [x] wrote #ship-book\n\
             Read [[learn-rust]] and [[reading]].\n",
        ),
        ("notes/reading.md", "# Reading\n- [ ] a book #run\n"),
    ];

    /// Each edit, in order: the file and its whole new text (the buffers stay open).
    const EDITS: &[(&str, &str)] = &[
        (
            "goals/learn-rust.md",
            "---\ntags: [a]\ngoal: Learn Rust\nid: learn-rust\nparent: ship-boook\n---\n- [ ] Read\n",
        ),
        (
            "goals/ship-book.md",
            "---\ngoal: Ship the book\nid: learn-rust\ndue: 2026-06-01\nwhy: w\n\
             parent: learn-rust\n---\n- [ ] Draft\n",
        ),
        (
            "goals/ship-book.md",
            "---\ngoal: Ship the book\nid: ship-book\ndue: 2026-06-01\nwhy: w\n\
             parent: learn-rust\n---\n- [ ] Draft\n",
        ),
        (
            "goals/learn-rust.md",
            "---\ngoal: Learn Rust\nid: learn-rust\nparent: ship-book\n---\n- [ ] Read\n",
        ),
        (
            "goals/ship-book.md",
            "---\ngoal: Ship the book\nid: ship-book\ndue: 2026-06-01\nwhy: w\n\
             parent: learn-rust\n---\n- [ ] Draft\n- [ ] Edit\n",
        ),
        (
            "goals/ship-book.md",
            "---\ngoal: Ship the book\nid: Ship Book!\ndue: 2026-06-01\nwhy: w\n\
             ---\n- [ ] Draft\n",
        ),
        (
            "journal/2026-03-01.md",
            "- [ ] outline #ship-bok\n- [ ] stray task\n",
        ),
        (
            "journal/2026-03-01.md",
            "---\nmetrics: {run: 5, runn: 2, ship-book: 1}\ncheckins: {lern-rust: {confidence: 5}}\n---\n\
             - [ ] linked [[learn-rust]], [[reading]] and [[nowhere]]\n## ship-bok\n- [ ] under a heading\n",
        ),
        (
            "journal/2026-03-01.md",
            "---\ndate: 2026-04-01\n---\n- [x] early ✅ 2026-04-02 #run\n",
        ),
        (
            "notes/reading.md",
            "# Reading\n- [ ] a book #lern-rust [[ship-book]]\n- [ ] loose\n",
        ),
    ];

    fn analysed(workspace: &mut Workspace) -> Snapshot {
        analysed_with(workspace, BTreeSet::new())
    }

    /// The snapshot of `workspace`, its files `buffered` analysed from open buffers.
    fn analysed_with(workspace: &mut Workspace, buffered: BTreeSet<String>) -> Snapshot {
        let report = workspace.analyse(Date::from_ymd(2026, 3, 20).unwrap());
        let config = workspace.config();
        let (parse, warnings) = (config.parse.clone(), config.warnings);
        let notes = Notes::of(&workspace.journal().documents, None);
        Snapshot::new(0, notes, &report, parse, warnings, buffered)
    }

    #[test]
    fn a_buffer_is_given_its_files_problems_only_when_the_file_was_analysed_as_it_holds() {
        let folder = tempfile::tempdir().unwrap();
        let root = folder.path();
        let entry = "journal/2026-03-02.md";
        let (typo, fixed) = ("- [ ] draft #ship-bok\n", "- [ ] draft #ship-book\n");
        for (path, text) in [JOURNAL[1], (entry, typo)] {
            let file = root.join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, text).unwrap();
        }
        let mut workspace = Workspace::open(root, None).unwrap();
        workspace.refresh_with_buffers(&HashMap::new());
        let from_disk = analysed(&mut workspace);
        let problems_of = |snapshot: &Snapshot, text: &str| {
            let buffers = HashMap::from([(entry.to_string(), Buffer::new(1, text.to_string()))]);
            let mut lines = Lines::new(root, &buffers);
            let problems = opened_or_buffer_problems(snapshot, root, entry, text, &mut lines);
            problems
                .into_iter()
                .map(|problem| problem.message)
                .collect::<Vec<_>>()
        };
        // Opened as it is on disk: the analysis's own problems.
        assert_eq!(
            problems_of(&from_disk, typo),
            problems(&from_disk, entry, &mut Lines::new(root, &HashMap::new()))
                .into_iter()
                .map(|problem| problem.message)
                .collect::<Vec<_>>()
        );
        let names_the_typo =
            |problems: Vec<String>| problems.iter().any(|p| p.contains("ship-bok"));
        assert!(names_the_typo(problems_of(&from_disk, typo)));
        // Opened with another text than the disk's: the buffer's.
        assert_eq!(problems_of(&from_disk, fixed), Vec::<String>::new());
        // The disk fixed, but analysed from a buffer with the typo: the buffer's.
        std::fs::write(root.join(entry), fixed).unwrap();
        let texts = HashMap::from([(entry.to_string(), typo.to_string())]);
        workspace.refresh_with_buffers(&texts);
        let from_buffer = analysed_with(&mut workspace, BTreeSet::from([entry.to_string()]));
        assert!(names_the_typo(problems_of(&from_buffer, typo)));
        assert_eq!(problems_of(&from_buffer, fixed), Vec::<String>::new());
    }

    #[test]
    fn a_buffer_checked_at_once_has_the_problems_its_analysis_gives() {
        let folder = tempfile::tempdir().unwrap();
        let root = folder.path();
        for (path, text) in JOURNAL {
            let file = root.join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, text).unwrap();
        }
        let mut workspace = Workspace::open(root, None).unwrap();
        workspace.refresh_with_buffers(&HashMap::new());
        let mut before = analysed(&mut workspace);
        let (mut messages, mut texts, mut buffers) = (Vec::new(), HashMap::new(), HashMap::new());
        for (path, text) in EDITS {
            texts.insert(path.to_string(), text.to_string());
            buffers.insert(path.to_string(), Buffer::new(1, text.to_string()));
            workspace.refresh_buffers(&texts);
            let after = analysed(&mut workspace);
            let mut lines = Lines::new(root, &buffers);
            let at_once = buffer_problems(&before, path, text, &mut lines);
            assert_eq!(
                at_once,
                problems(&after, path, &mut lines),
                "{path} edited to\n{text}"
            );
            messages.extend(at_once.into_iter().map(|problem| problem.message));
            before = after;
        }
        // The edits meet every check that reads the rest of the journal.
        for wanted in [
            "tag `#ship-bok` names no goal; did you mean `ship-book`?",
            "2 milestones belong to no goal",
            "metric logged for `runn`, which names no goal; did you mean `run`?",
            "goal `ship-book` has no `metric:`",
            "check-in for `lern-rust`, which names no goal; did you mean `learn-rust`?",
            "link `[[nowhere]]` names no note",
            "heading `ship-bok` looks like a goal id",
            "this entry is dated 2026-04-01, after today",
            "this milestone is marked done on 2026-04-02",
            "parent `ship-boook` names no goal; did you mean `ship-book`?",
            "goal id `learn-rust` is already used by `Learn Rust`",
            "goals form a cycle of parents",
            "goal id `Ship Book!` is not lowercase letters",
            "goal `learn-rust` was last checked in on 2026-03-01",
            "goal `learn-rust` has no due date",
            "goal `learn-rust-2` has no `area:`",
        ] {
            assert!(
                messages.iter().any(|message| message.contains(wanted)),
                "no `{wanted}` in {messages:#?}"
            );
        }
    }
}
