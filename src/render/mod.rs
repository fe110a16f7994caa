//! Stage 6 of the pipeline: a planned page as text in each of its formats, and its
//! fingerprint.
//!
//! Templates are embedded in the binary; a journal's own `templates/` folder overrides any
//! of them by file name ([`templates`]). HTML templates are auto-escaped (minijinja decides
//! by the `.html` name) and undefined values are errors, so a typo in a template fails
//! loudly. The JSON report and the calendar are written by code.

use std::path::PathBuf;

use minijinja::Environment;

use crate::analyse::Report;
use crate::analyse::review::Review;
use crate::error::Error;
use crate::plan::{self, Format, Page, PageData};

mod calendar;
mod chart;
mod filters;
mod fingerprint;
mod lazy;
mod markup;
pub(crate) mod templates;
mod view;

/// The report templates compiled as pages ask for them, and where the journal's own are.
pub(crate) struct Renderer {
    env: Environment<'static>,
    /// The journal's templates folder, whose templates replace the embedded ones.
    overrides: Option<PathBuf>,
}

impl Renderer {
    /// A renderer that prefers templates in `overrides` (the journal's `templates/` folder)
    /// to the embedded ones.
    pub(crate) fn new(overrides: Option<PathBuf>) -> Renderer {
        let mut env = templates::environment(templates::Purpose::Report);
        let folder = overrides.clone();
        env.set_loader(move |name| templates::load_report_template(folder.as_deref(), name));
        filters::add_all(&mut env);
        Renderer { env, overrides }
    }

    /// The fingerprint of each of `pages` (of `report`), in order: equal fingerprints
    /// render to equal reports, so a page whose fingerprint is unchanged need not be
    /// rendered again.
    pub(crate) fn fingerprints(&self, pages: &[Page], report: &Report) -> Vec<u64> {
        fingerprint::fingerprints(pages, report, self.overrides.as_deref())
    }

    /// A page in one of its formats.
    pub(crate) fn render_page(&self, page: &Page, format: Format) -> Result<String, Error> {
        match &page.data {
            PageData::Json(report) => Ok(report.to_json()),
            PageData::Calendar { today, events } => Ok(calendar::render(events, *today)),
            _ => {
                let name = page
                    .template_name(format)
                    .expect("a page not written by code has a template");
                self.render(&name, view::context(page))
            }
        }
    }

    /// One review on its own, as `trailmark review` prints it (`format` is HTML or
    /// markdown), with entries linked through `to_journal`.
    pub(crate) fn render_review(
        &self,
        review: &Review,
        format: Format,
        to_journal: &str,
    ) -> Result<String, Error> {
        // Printed: the links to other reports would lead nowhere.
        self.render_page(
            &plan::review_page(review, to_journal.to_string(), false),
            format,
        )
    }

    fn render(&self, name: &str, ctx: minijinja::Value) -> Result<String, Error> {
        let template_error = |error: minijinja::Error| Error::Template {
            name: name.to_string(),
            message: templates::describe(&error),
        };
        let template = self.env.get_template(name).map_err(template_error)?;
        template.render(ctx).map_err(template_error)
    }
}
