//! Symbols: a document's goals, headings and milestones (outline), and the journal's
//! goals (workspace symbols, matched by id or title).

use super::Context;
use super::buffers::Lines;
use super::protocol::{DocumentSymbol, FileRange, SymbolKind, TextRange, WorkspaceSymbol};
use super::snapshot::Snapshot;
use crate::diagnostic::Position;
use std::path::Path;

/// The goals of the buffer, then its headings as a tree with each milestone under the
/// heading it follows.
pub(crate) fn document_symbols(c: &Context<'_>) -> Vec<DocumentSymbol> {
    let document = c.document();
    let range = |position: Position| {
        let line = c.buffer.line(position.line.saturating_sub(1));
        let start = super::buffers::protocol_position(line, Position::new(position.line, 1));
        TextRange {
            start,
            end: c.buffer.position_in_line(start.line, line.len()),
        }
    };
    let mut symbols: Vec<DocumentSymbol> = document
        .goals()
        .iter()
        .map(|goal| DocumentSymbol {
            name: goal.title.clone(),
            detail: goal.id.as_ref().map(|id| format!("#{}", id.value)),
            kind: SymbolKind::Goal,
            range: range(goal.position),
            children: Vec::new(),
        })
        .collect();
    // Headings, each placed under its parent (parents come first in file order).
    let mut headings: Vec<DocumentSymbol> = document
        .headings
        .iter()
        .map(|heading| DocumentSymbol {
            name: heading.text.to_string(),
            detail: None,
            kind: SymbolKind::Heading,
            range: range(heading.position),
            children: Vec::new(),
        })
        .collect();
    let mut loose = Vec::new();
    for milestone in &document.milestones {
        let symbol = DocumentSymbol {
            name: milestone.text.to_string(),
            detail: None,
            kind: SymbolKind::Milestone,
            range: range(milestone.position),
            children: Vec::new(),
        };
        let under = document
            .headings
            .iter()
            .rposition(|heading| heading.position.line < milestone.position.line);
        match under {
            Some(heading) => headings[heading].children.push(symbol),
            None => loose.push(symbol),
        }
    }
    // Children come after their parent: from the last, each heading is complete when
    // it moves under its parent, and is put in file order there.
    for index in (0..headings.len()).rev() {
        headings[index]
            .children
            .sort_by_key(|symbol| symbol.range.start);
        if let Some(parent) = document.headings[index].parent() {
            let child = std::mem::replace(
                &mut headings[index],
                DocumentSymbol {
                    name: String::new(),
                    detail: None,
                    kind: SymbolKind::Heading,
                    range: TextRange::default(),
                    children: Vec::new(),
                },
            );
            headings[parent as usize].children.push(child);
        }
    }
    symbols.extend(loose);
    symbols.extend(
        headings
            .into_iter()
            .zip(&document.headings)
            .filter(|(_, heading)| heading.parent().is_none())
            .map(|(symbol, _)| symbol),
    );
    symbols
}

/// The goals whose id or title contains `query` (case aside), at most a few hundred.
pub(crate) fn workspace_symbols(
    snapshot: &Snapshot,
    root: &Path,
    query: &str,
    lines: &mut Lines<'_>,
) -> Vec<WorkspaceSymbol> {
    const MOST: usize = 500;
    let query = query.to_lowercase();
    snapshot
        .goals()
        .iter()
        .filter(|goal| goal.id.contains(&query) || goal.title.to_lowercase().contains(&query))
        .take(MOST)
        .map(|goal| WorkspaceSymbol {
            name: goal.title.clone(),
            kind: SymbolKind::Goal,
            location: FileRange {
                path: root.join(&goal.file),
                range: lines.rest_of_line(&goal.file, Position::new(goal.line, goal.column)),
            },
            container: Some(format!("#{}", goal.id)),
        })
        .collect()
}
