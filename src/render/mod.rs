//! Stage 6 of the pipeline: a planned page as text in each of its formats, and its
//! fingerprint.
//!
//! Templates are embedded in the binary; a journal's own `templates/` folder overrides any
//! of them by file name ([`templates`]). HTML templates are auto-escaped (minijinja decides
//! by the `.html` name) and undefined values are errors, so a typo in a template fails
//! loudly. The JSON report and the calendar are written by code.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use minijinja::{Environment, Value};

use crate::analyse::Report;
use crate::analyse::review::{GoalHashes, Review};
use crate::error::Error;
use crate::plan::{self, Format, Page, PageData};
use crate::share::Shared;

pub(crate) use fingerprint::review_page as review_page_fingerprint;

mod calendar;
mod chart;
mod decimal;
mod filters;
mod fingerprint;
mod items;
mod lazy;
mod lists;
mod markup;
pub(crate) mod templates;
mod view;

/// The report templates compiled as pages ask for them, and where the journal's own are.
pub(crate) struct Renderer {
    env: Environment<'static>,
    /// The journal's templates folder, whose templates replace the embedded ones.
    overrides: Option<PathBuf>,
    /// The folder held no template when the renderer was made: it renders trailmark's
    /// own templates only.
    shipped_only: bool,
}

impl Renderer {
    /// A renderer that prefers templates in `overrides` (the journal's `templates/` folder)
    /// to the embedded ones.
    pub(crate) fn new(overrides: Option<PathBuf>) -> Renderer {
        let mut env = templates::environment(templates::Purpose::Report);
        let journal_templates = overrides
            .clone()
            .filter(|folder| templates::may_hold_templates(folder));
        let shipped_only = journal_templates.is_none();
        match journal_templates {
            Some(folder) => {
                env.set_loader(move |name| templates::load_report_template(Some(&folder), name))
            }
            None => {
                // Fuel stops a journal's own template that never ends; trailmark's own
                // end with their data, and counting every step of them was 2.5% of a
                // full build. The loader then finds trailmark's templates only, so one
                // the journal gains while this renderer lives is not run without fuel.
                env.set_fuel(None);
                env.set_loader(|name| Ok(templates::shipped_report_template(name)));
            }
        }
        filters::add_all(&mut env);
        Renderer {
            env,
            overrides,
            shipped_only,
        }
    }

    /// A renderer for `overrides`, as [`Renderer::new`] makes: `kept`, an earlier build's,
    /// when it renders trailmark's own templates only and the folder still holds none of
    /// the journal's, so that the templates it compiled are not compiled again (8% of
    /// rendering a rebuild's reviews in `watch`); else a new one, so that a journal's
    /// template, added or edited, takes effect.
    pub(crate) fn kept_or_new(kept: Option<Renderer>, overrides: PathBuf) -> Renderer {
        match kept {
            Some(kept)
                if kept.shipped_only
                    && kept.overrides.as_ref() == Some(&overrides)
                    && !templates::may_hold_templates(&overrides) =>
            {
                kept
            }
            _ => Renderer::new(Some(overrides)),
        }
    }

    /// The fingerprint of each of `pages` (of `report`), in order: equal fingerprints
    /// render to equal reports, so a page whose fingerprint is unchanged need not be
    /// rendered again.
    /// `goal_hashes` are its goals' hashes (`analyse::review::goal_hashes`),
    /// `made_reviews` the fingerprints of its review pages by label, made by
    /// [`review_page_fingerprint`].
    pub(crate) fn fingerprints(
        &self,
        pages: &[Page],
        report: &Report,
        goal_hashes: &GoalHashes,
        made_reviews: &HashMap<String, u64>,
    ) -> Vec<u64> {
        fingerprint::fingerprints(
            pages,
            report,
            goal_hashes,
            made_reviews,
            self.overrides.as_deref(),
        )
    }

    /// The fingerprint of the templates review pages are made from: what a review page's
    /// fingerprint holds besides its data.
    pub(crate) fn review_templates_fingerprint(&self) -> u64 {
        fingerprint::templates_fingerprint(
            self.overrides.as_deref(),
            plan::REVIEW_TEMPLATE,
            &plan::TEMPLATE_FORMATS,
        )
    }

    /// The fingerprint of each of the pages of `build --share`, which see only the shared
    /// data, never the whole report.
    pub(crate) fn shared_fingerprints(&self, pages: &[Page], shared: &Shared) -> Vec<u64> {
        fingerprint::shared_fingerprints(pages, shared, self.overrides.as_deref())
    }

    /// A page in one of its formats.
    pub(crate) fn render_page(&self, page: &Page, format: Format) -> Result<String, Error> {
        self.render_page_sharing(page, format, &SharedContext::new(1))
    }

    /// A page in one of its formats, with the template values `shared` by its formats.
    pub(crate) fn render_page_sharing(
        &self,
        page: &Page,
        format: Format,
        shared: &SharedContext,
    ) -> Result<String, Error> {
        match &page.data {
            PageData::Json(report) => Ok(report.to_json()),
            PageData::Calendar { today, events } => Ok(calendar::render(events, *today)),
            _ => {
                let name = page
                    .template_name(format)
                    .expect("a page not written by code has a template");
                self.render(&name, shared.take(|| view::context(page)))
            }
        }
    }

    /// One review on its own, as `trailmark review` prints it (`format` is HTML or
    /// markdown), with entries linked through `to_journal`.
    pub(crate) fn render_review(
        &self,
        review: &Arc<Review>,
        format: Format,
        to_journal: &str,
    ) -> Result<String, Error> {
        // Printed: the links to other reports would lead nowhere.
        self.render_page(
            &plan::review_page(Arc::clone(review), to_journal.to_string(), false),
            format,
        )
    }

    fn render(&self, name: &str, ctx: minijinja::Value) -> Result<String, Error> {
        let template_error = |error: minijinja::Error| Error::Template {
            name: name.to_string(),
            message: templates::describe(&error),
        };
        let template = self.env.get_template(name).map_err(template_error)?;
        let text = template.render(ctx).map_err(template_error)?;
        Ok(ending_with_one_newline(text))
    }
}

/// A page's template values, made once for all the formats it is rendered in: converting a
/// review's data to template values took a fifth of a full build's CPU, paid again for each
/// format. Kept only until its last rendering, so that a build does not hold every page's
/// values at once.
pub(crate) struct SharedContext {
    slot: Mutex<Slot>,
}

struct Slot {
    value: Option<Value>,
    renderings_left: usize,
}

impl SharedContext {
    /// Values for a page that will be rendered `renderings` times.
    pub(crate) fn new(renderings: usize) -> SharedContext {
        SharedContext {
            slot: Mutex::new(Slot {
                value: None,
                renderings_left: renderings,
            }),
        }
    }

    /// The values, made by `make` on the first rendering; the last rendering takes them
    /// away. A page's formats are rendered on any thread, so the slot is locked while
    /// the values are made: the other format waits for them rather than making its own.
    fn take(&self, make: impl FnOnce() -> Value) -> Value {
        let mut slot = self
            .slot
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let value = slot.value.take().unwrap_or_else(make);
        slot.renderings_left = slot.renderings_left.saturating_sub(1);
        if slot.renderings_left > 0 {
            slot.value = Some(value.clone());
        }
        value
    }
}

/// Adds the filters of the report templates (`percent`, `number`, ...) to `env`: the
/// template of `new review` shows a review's facts as the reports do.
pub(crate) fn add_filters(env: &mut Environment<'static>) {
    filters::add_all(env);
}

/// `text` ending with exactly one newline, whatever its template ends with (a journal's
/// own template too): a report is a text file, and one copied into a notes app or a
/// repository shows no blank line at its end.
fn ending_with_one_newline(mut text: String) -> String {
    let kept = text.trim_end_matches(['\n', '\r']).len();
    text.truncate(kept);
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_values_are_made_once_and_let_go_after_the_last_rendering() {
        let shared = SharedContext::new(2);
        let made = std::cell::Cell::new(0);
        let make = || {
            made.set(made.get() + 1);
            Value::from(made.get())
        };
        assert_eq!(shared.take(make), Value::from(1));
        assert_eq!(shared.take(make), Value::from(1), "the first one's values");
        assert_eq!(made.get(), 1);
        assert!(shared.slot.lock().unwrap().value.is_none(), "let go");
        assert_eq!(
            shared.take(make),
            Value::from(2),
            "made again if asked again"
        );
    }

    #[test]
    fn only_a_journals_own_templates_run_on_fuel() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("templates");
        let fuel = |renderer: &Renderer| renderer.env.fuel();
        assert_eq!(fuel(&Renderer::new(None)), None);
        assert_eq!(
            fuel(&Renderer::new(Some(folder.clone()))),
            None,
            "no folder"
        );
        std::fs::create_dir(&folder).unwrap();
        let without_own = Renderer::new(Some(folder.clone()));
        assert_eq!(fuel(&without_own), None, "an empty folder");
        std::fs::write(folder.join("goal.md"), "own").unwrap();
        let with_own = Renderer::new(Some(folder.clone()));
        assert!(fuel(&with_own).is_some());
        assert_eq!(
            with_own.env.get_template("goal.md").unwrap().source(),
            "own"
        );
        // A template added since is not run without fuel: trailmark's own is.
        let shipped = without_own.env.get_template("goal.md").unwrap();
        assert_eq!(
            shipped.source(),
            templates::shipped_report_template("goal.md").unwrap()
        );
    }

    #[test]
    fn a_report_ends_with_exactly_one_newline() {
        for (rendered, expected) in [
            ("text", "text\n"),
            ("text\n", "text\n"),
            ("text\n\n\n", "text\n"),
            ("text\r\n\r\n", "text\n"),
            ("", "\n"),
        ] {
            assert_eq!(ending_with_one_newline(rendered.to_string()), expected);
        }
    }
}
