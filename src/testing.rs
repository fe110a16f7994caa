//! Helpers the unit tests of every module share: dates, parsing with the default
//! options, and a journal or a report made from `(path, text)` files.

use crate::analyse::{self, GoalReport, Report, Rules};
use crate::dates::Date;
use crate::document::{self, Document, ParseOptions};
use crate::git::History;
use crate::model::{self, Journal, Warnings};

/// The day `text` (YYYY-MM-DD), which must be valid.
pub(crate) fn day(text: &str) -> Date {
    Date::parse(text).expect("test dates are valid")
}

/// Parses the file `path` with the default options.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Document {
    document::parse(path, bytes, &ParseOptions::default())
}

/// The journal of `documents`, with the default warnings.
pub(crate) fn build(documents: Vec<Document>) -> Journal {
    model::build(documents, Warnings::default())
}

/// The journal of `files`, as (path, text).
pub(crate) fn journal(files: &[(&str, &str)]) -> Journal {
    build(
        files
            .iter()
            .map(|(path, text)| parse(path, text.as_bytes()))
            .collect(),
    )
}

/// The report of `files` as of `today`, without git history and with the default rules.
pub(crate) fn report(files: &[(&str, &str)], today: &str) -> Report {
    analyse::analyse(
        &journal(files),
        &History::default(),
        day(today),
        &Rules::default(),
    )
}

/// The goal of a file `g.md` that declares `G` and has `body`, as of 2026-06-01.
pub(crate) fn one_goal(body: &str) -> GoalReport {
    let text = format!("---\ngoal: G\n---\n{body}");
    std::sync::Arc::unwrap_or_clone(report(&[("g.md", &text)], "2026-06-01").goals.remove(0))
}
