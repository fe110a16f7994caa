//! The entry points of the fuzz targets (the `fuzz/` crate), which cannot reach the
//! crate's private modules: whole stages with plain data in and out. Not an API: hidden
//! from the documentation, and free to change with the fuzz targets.

use std::sync::{Arc, LazyLock};

use crate::analyse::period::PeriodKind;
use crate::analyse::{self, review};
use crate::dates::Date;
use crate::{document, git, model, plan, render};

pub use crate::plan::Format;

/// The line of each milestone and each diagnostic (with its message) that parsing `bytes`
/// as the file `path` reports.
pub fn parsed_lines(path: &str, bytes: &[u8]) -> Vec<(u32, String)> {
    let document = document::parse(path, bytes, &document::ParseOptions::default());
    let milestones = document
        .milestones
        .iter()
        .map(|milestone| (milestone.position.line, milestone.text.to_string()));
    let diagnostics = document.diagnostics().iter().filter_map(|diagnostic| {
        let position = diagnostic.position?;
        Some((position.line, diagnostic.message.clone()))
    });
    milestones.chain(diagnostics).collect()
}

/// One report as the embedded templates render it.
pub struct Rendered {
    /// Relative to the output folder.
    pub path: String,
    pub format: Format,
    pub text: String,
}

/// Every page of a journal made of `files` (path, bytes), rendered in every format as of
/// 2026-03-01, with reviews of every kind: or the first error, with the page it came from.
pub fn render_journal(files: &[(&str, &[u8])]) -> Result<Vec<Rendered>, String> {
    /// One renderer for every input: its templates are compiled once.
    static RENDERER: LazyLock<render::Renderer> = LazyLock::new(|| render::Renderer::new(None));
    let documents = files
        .iter()
        .map(|(path, bytes)| document::parse(path, bytes, &document::ParseOptions::default()))
        .collect();
    // Every optional warning on, so that their code is fuzzed too.
    let warnings = model::Warnings {
        loose_milestones: true,
        missing_notes: true,
    };
    let journal = model::build(documents, warnings);
    let today = Date::from_ymd(2026, 3, 1).expect("a real date");
    let report = Arc::new(analyse::analyse(
        &journal,
        &git::History::default(),
        today,
        &Default::default(),
    ));
    let reviews = review::all_reviews(&journal, &report, &PeriodKind::ALL);
    let mut rendered = Vec::new();
    let links = reviews
        .iter()
        .map(|review| plan::ReviewLink::of(review))
        .collect();
    for page in plan::outputs(&report, &reviews, links, "../", None, None).pages {
        for &format in page.formats() {
            let text = RENDERER
                .render_page(&page, format)
                .map_err(|error| format!("{}: {error}", page.path(format)))?;
            rendered.push(Rendered {
                path: page.path(format),
                format,
                text,
            });
        }
    }
    Ok(rendered)
}
