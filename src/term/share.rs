//! What `build --share` says: what it published, or, with `--dry-run`, what it would.

use std::path::Path;

use crate::document::NoteKind;
use crate::share::Shared;
use crate::text::plural;
use crate::visible::visible;
use crate::write::WriteSummary;

/// `--dry-run`'s list: each goal with its milestones and the dates of the entries shown,
/// then the wins, feedback and lessons, and the files that would be written.
pub(crate) fn would_publish(shared: &Shared, folder: &Path, files: &[String]) -> String {
    let mut text = format!(
        "would publish for {} into {} (nothing written):\n",
        visible(&shared.audience),
        folder.display()
    );
    if shared.goals.is_empty() {
        text.push_str("  no goal is shared with this audience\n");
    }
    for item in &shared.goals {
        let goal = &item.goal;
        text.push_str(&format!(
            "  goal: {} ({})\n",
            visible(&goal.title),
            visible(&goal.id)
        ));
        for milestone in &goal.milestones {
            text.push_str(&format!("    milestone: {}\n", visible(&milestone.text)));
        }
        for entry in &goal.entries {
            text.push_str(&format!(
                "    entry {}: {}\n",
                entry.title,
                plural(entry.lines.len(), "line")
            ));
        }
    }
    for note in &shared.notes {
        text.push_str(&format!(
            "  {} {}: {}\n",
            note.date,
            kind_name(note.kind),
            visible(&note.text)
        ));
    }
    text.push_str(&format!("  files: {}\n", files.join(", ")));
    text
}

/// The summary of a shared build.
pub(crate) fn published(shared: &Shared, summary: &WriteSummary, folder: &Path) -> String {
    format!(
        "shared with {}: {}, {} reports written, {} unchanged in {}\n",
        visible(&shared.audience),
        plural(shared.goals.len(), "goal"),
        summary.written.len(),
        summary.unchanged,
        folder.display()
    )
}

fn kind_name(kind: NoteKind) -> &'static str {
    match kind {
        NoteKind::Win => "win",
        NoteKind::Feedback => "feedback",
        NoteKind::Lesson => "lesson",
        NoteKind::Adjustment => "adjustment",
        NoteKind::LearnNext => "learn next",
    }
}
