//! Any bytes, under an entry's or a goal's file name, parse to a document without a
//! panic, and every position the document reports is inside the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trailmark::fuzzing;

fuzz_target!(|bytes: &[u8]| {
    // A dated name makes the parser read date markers relative to the entry's day.
    for path in ["goals/goal.md", "journal/2026/2026-03-14.md"] {
        check_lines(&fuzzing::parsed_lines(path, bytes), bytes);
    }
});

fn check_lines(lines_reported: &[(u32, String)], bytes: &[u8]) {
    // CR-only files count their lines by `\r`, so bound by both.
    let lines = 1 + bytes.iter().filter(|&&b| b == b'\n' || b == b'\r').count() as u32;
    for (line, what) in lines_reported {
        assert!(
            *line >= 1 && *line <= lines,
            "line {line} of a {lines}-line file: {what}"
        );
    }
}
