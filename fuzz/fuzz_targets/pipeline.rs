//! A journal made of any bytes goes through the whole pipeline, from parsing to rendered
//! reports, without a panic or a template error, no HTML report holds a tag or an
//! attribute that could run a script, and the calendar keeps iCalendar's line rules.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trailmark::fuzzing::{self, Format};

/// File names the input's parts get, in turn: goals, dated entries in two years, a note.
const PATHS: [&str; 6] = [
    "goals/career.md",
    "journal/2026/2026-01-05.md",
    "goals/sql.md",
    "journal/2025/2025-12-31.md",
    "journal/2026/2026-02-27.md",
    "notes.md",
];

fuzz_target!(|bytes: &[u8]| {
    // 0xFF never occurs in UTF-8, so it cannot end a file that should have gone on.
    let files: Vec<(&str, &[u8])> = bytes
        .split(|&b| b == 0xFF)
        .take(PATHS.len())
        .zip(PATHS)
        .map(|(content, path)| (path, content))
        .collect();
    let reports = fuzzing::render_journal(&files).unwrap_or_else(|error| panic!("{error}"));
    for report in reports {
        match report.format {
            Format::Html => assert_no_script(&report.text),
            Format::Ics => assert_calendar_lines(&report.text),
            Format::Md | Format::Json => {}
        }
    }
});

/// Every line of the calendar ends in CRLF and has at most 75 octets (RFC 5545, 3.1);
/// journal text cannot add a line break of its own.
fn assert_calendar_lines(ics: &str) {
    let lines = ics
        .strip_suffix("\r\n")
        .unwrap_or_else(|| panic!("the calendar does not end in CRLF:\n{ics}"));
    for line in lines.split("\r\n") {
        assert!(
            line.len() <= 75 && !line.contains(['\r', '\n']),
            "a calendar line breaks the rules: {line:?}"
        );
    }
}

/// The embedded templates hold no script, so a script-capable tag or attribute in a
/// report came from the journal. Every `<` in a report starts a tag (text has `&lt;`).
fn assert_no_script(html: &str) {
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let tag = &rest[start + 1..];
        let end = tag
            .find('>')
            .unwrap_or_else(|| panic!("unclosed tag in a report:\n{html}"));
        let (tag, after) = tag.split_at(end);
        check_tag(tag, html);
        rest = after;
    }
}

fn check_tag(tag: &str, html: &str) {
    let lower = tag.to_ascii_lowercase();
    let name = lower
        .split(|c: char| c.is_ascii_whitespace() || c == '/')
        .find(|s| !s.is_empty());
    for forbidden in ["script", "iframe", "object", "embed", "base", "form"] {
        if name == Some(forbidden) {
            panic!("<{tag}> in a report:\n{html}");
        }
    }
    for (attribute, value) in attributes(&lower) {
        assert!(
            !attribute.starts_with("on"),
            "event handler in <{tag}>:\n{html}"
        );
        if matches!(
            attribute,
            "href" | "src" | "action" | "formaction" | "xlink:href"
        ) {
            let value = value.trim_start();
            for scheme in ["javascript:", "data:", "vbscript:"] {
                assert!(
                    !value.starts_with(scheme),
                    "{scheme} link in <{tag}>:\n{html}"
                );
            }
        }
    }
}

/// The attributes of a tag's text (after its `<`), as (name, value) pairs.
fn attributes(tag: &str) -> Vec<(&str, &str)> {
    let mut found = Vec::new();
    // Skip the tag name.
    let mut rest = tag.trim_start_matches('/');
    rest = rest.trim_start_matches(|c: char| !c.is_ascii_whitespace());
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        if rest.is_empty() {
            return found;
        }
        let name_end = rest
            .find(|c: char| c.is_ascii_whitespace() || c == '=')
            .unwrap_or(rest.len());
        let (name, after) = rest.split_at(name_end);
        let after = after.trim_start();
        if let Some(value) = after.strip_prefix('=') {
            let value = value.trim_start();
            let (text, remaining) = match value.chars().next() {
                Some(quote @ ('"' | '\'')) => {
                    let inner = &value[1..];
                    let close = inner.find(quote).unwrap_or(inner.len());
                    (&inner[..close], inner.get(close + 1..).unwrap_or(""))
                }
                _ => {
                    let close = value
                        .find(|c: char| c.is_ascii_whitespace())
                        .unwrap_or(value.len());
                    value.split_at(close)
                }
            };
            found.push((name, text));
            rest = remaining;
        } else {
            found.push((name, ""));
            rest = after;
        }
    }
}
