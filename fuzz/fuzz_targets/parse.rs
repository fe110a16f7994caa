//! Any bytes, under an entry's or a goal's file name, parse to a document without a
//! panic, and every position the document reports is inside the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trailmark::document::{self, Document};

fuzz_target!(|bytes: &[u8]| {
    // A dated name makes the parser read date markers relative to the entry's day.
    for path in ["goals/goal.md", "journal/2026/2026-03-14.md"] {
        let document = document::parse(path, bytes, &document::ParseOptions::default());
        check_positions(&document, bytes);
    }
});

fn check_positions(document: &Document, bytes: &[u8]) {
    // CR-only files count their lines by `\r`, so bound by both.
    let lines = 1 + bytes.iter().filter(|&&b| b == b'\n' || b == b'\r').count() as u32;
    for milestone in &document.milestones {
        assert!(
            milestone.position.line >= 1 && milestone.position.line <= lines,
            "milestone line {} of a {lines}-line file",
            milestone.position.line
        );
    }
    for diagnostic in &document.diagnostics {
        if let Some(position) = diagnostic.position {
            assert!(
                position.line >= 1 && position.line <= lines,
                "diagnostic line {} of a {lines}-line file: {}",
                position.line,
                diagnostic.message
            );
        }
    }
}
