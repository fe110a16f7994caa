//! Diagnostics: everything `check` reports for a file, its SMART hints as hints, at the
//! places the editor counts.

use super::buffers::{Lines, protocol_position};
use super::protocol::{Problem, ProblemSeverity, TextRange};
use super::snapshot::Snapshot;
use crate::diagnostic::{Position, Severity};

/// The problems of the journal file `path` in `snapshot`.
pub(crate) fn problems(snapshot: &Snapshot, path: &str, lines: &mut Lines<'_>) -> Vec<Problem> {
    let mut problems: Vec<Problem> = snapshot
        .diagnostics_of(path)
        .map(|diagnostic| Problem {
            range: range(lines, path, diagnostic.position),
            severity: match diagnostic.severity {
                Severity::Error => ProblemSeverity::Error,
                Severity::Warning => ProblemSeverity::Warning,
            },
            message: diagnostic.message.clone(),
        })
        .collect();
    problems.extend(
        snapshot
            .hints
            .iter()
            .filter(|hint| hint.file == path)
            .map(|hint| Problem {
                range: range(lines, path, Some(hint.position)),
                severity: ProblemSeverity::Hint,
                message: hint.message.clone(),
            }),
    );
    problems
}

/// Every file with a diagnostic or a hint.
pub(crate) fn files_with_problems(snapshot: &Snapshot) -> impl Iterator<Item = String> + '_ {
    snapshot
        .report
        .diagnostics
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
