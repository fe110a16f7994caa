//! The templates: those trailmark ships, the journal's own that replace them by file name
//! (its templates folder), the one environment every template renders in (reports and
//! the files of `new`), and which of the journal's templates a page is made from, for
//! its fingerprint.

use std::collections::HashSet;
use std::ffi::OsString;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use minijinja::{Environment, UndefinedBehavior};
use xxhash_rust::xxh3::Xxh3Default;

use crate::fsread;

/// The template of `new goal`, overridable in the journal's templates folder.
pub(crate) const NEW_GOAL_TEMPLATE: &str = "new-goal.md";
/// The template of `new entry`, overridable in the journal's templates folder.
pub(crate) const NEW_ENTRY_TEMPLATE: &str = "new-entry.md";
/// The template of `new review`, overridable in the journal's templates folder.
pub(crate) const NEW_REVIEW_TEMPLATE: &str = "new-review.md";

/// What a template trailmark ships is for: a template of one finds only the shipped
/// templates of its own kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    Report,
    New,
}

/// The templates trailmark ships: file name, purpose, text.
const SHIPPED: [(&str, Purpose, &str); 20] = [
    (
        "base.html",
        Purpose::Report,
        include_str!("../../templates/base.html"),
    ),
    (
        "index.html",
        Purpose::Report,
        include_str!("../../templates/index.html"),
    ),
    (
        "goal.html",
        Purpose::Report,
        include_str!("../../templates/goal.html"),
    ),
    (
        "cadence.html",
        Purpose::Report,
        include_str!("../../templates/cadence.html"),
    ),
    (
        "review.html",
        Purpose::Report,
        include_str!("../../templates/review.html"),
    ),
    (
        "review-cadence.html",
        Purpose::Report,
        include_str!("../../templates/review-cadence.html"),
    ),
    (
        "reviews.html",
        Purpose::Report,
        include_str!("../../templates/reviews.html"),
    ),
    (
        "index.md",
        Purpose::Report,
        include_str!("../../templates/index.md"),
    ),
    (
        "goal.md",
        Purpose::Report,
        include_str!("../../templates/goal.md"),
    ),
    (
        "cadence.md",
        Purpose::Report,
        include_str!("../../templates/cadence.md"),
    ),
    (
        "review.md",
        Purpose::Report,
        include_str!("../../templates/review.md"),
    ),
    (
        "review-cadence.md",
        Purpose::Report,
        include_str!("../../templates/review-cadence.md"),
    ),
    (
        "reviews.md",
        Purpose::Report,
        include_str!("../../templates/reviews.md"),
    ),
    (
        "shared.html",
        Purpose::Report,
        include_str!("../../templates/shared.html"),
    ),
    (
        "shared.md",
        Purpose::Report,
        include_str!("../../templates/shared.md"),
    ),
    (
        "checkin.html",
        Purpose::Report,
        include_str!("../../templates/checkin.html"),
    ),
    (
        "checkin.md",
        Purpose::Report,
        include_str!("../../templates/checkin.md"),
    ),
    (
        NEW_GOAL_TEMPLATE,
        Purpose::New,
        include_str!("../../templates/new-goal.md"),
    ),
    (
        NEW_ENTRY_TEMPLATE,
        Purpose::New,
        include_str!("../../templates/new-entry.md"),
    ),
    (
        NEW_REVIEW_TEMPLATE,
        Purpose::New,
        include_str!("../../templates/new-review.md"),
    ),
];

/// The shipped template `name` for `purpose`.
pub(super) fn shipped(name: &str, purpose: Purpose) -> Option<&'static str> {
    SHIPPED
        .iter()
        .find(|(shipped, of, _)| *shipped == name && *of == purpose)
        .map(|(_, _, text)| *text)
}

/// How many instructions one rendering of a template may run (minijinja's "fuel") when the
/// journal has templates of its own (trailmark's alone run uncounted, see `Renderer::new`), so that
/// a journal's own template with a loop that never ends (`{% for a in range(100000) %}{%
/// for b in range(100000) %}`) fails instead of running for hours. The embedded templates
/// take about 140 a goal on the index page, the biggest: 1.4 million for 10,000 goals,
/// 4.6 million for 40,000 goals; a yearly review of a journal of 100,000 files takes 0.4
/// million. This budget lets the index show about 700,000 goals, and stops a runaway loop
/// within a few seconds.
const TEMPLATE_FUEL: u64 = 100_000_000;

/// A template environment as every template of trailmark's has it: a misspelled variable
/// is an error, not a blank, and a block tag on a line of its own leaves no blank line
/// (markdown stays tidy). A new file of `new` ends with a newline when its template ends
/// with one; a report's last newline is the template's business.
pub(crate) fn environment(purpose: Purpose) -> Environment<'static> {
    let keep_trailing_newline = purpose == Purpose::New;
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(TEMPLATE_FUEL));
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(keep_trailing_newline)
            .build()
            .expect("the default delimiters with trimmed blocks are a valid syntax"),
    );
    env
}

/// A template error with its causes, for a person: minijinja's error with the template
/// line and the chain of causes.
pub(crate) fn describe(error: &minijinja::Error) -> String {
    let mut message = error.to_string();
    if error.kind() == minijinja::ErrorKind::OutOfFuel {
        message = format!(
            "stopped after {TEMPLATE_FUEL} steps without finishing ({message}); a loop in \
             the template runs too long or never ends"
        );
    }
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    message
}

/// A template of the journal's that exists but cannot be read: its path and why.
#[derive(Debug)]
pub(crate) struct Unreadable {
    pub(crate) path: PathBuf,
    pub(crate) refused: fsread::Refused,
}

/// The text of the template `name`: the file of that name in `overrides` when there is
/// one, read by the rules of every file trailmark reads ([`crate::fsread`]: a link, a FIFO
/// or a huge file is refused, never a file from elsewhere), else the one trailmark ships
/// for `purpose`, else `None`.
pub(crate) fn source(
    overrides: Option<&Path>,
    name: &str,
    purpose: Purpose,
) -> Result<Option<String>, Unreadable> {
    if let Some(folder) = overrides.filter(|_| is_plain(name)) {
        let path = folder.join(name);
        match fsread::read_to_string(&path, fsread::MAX_FILE_BYTES) {
            Ok(text) => return Ok(Some(text)),
            Err(refused) if refused.is_not_found() => {}
            Err(refused) => return Err(Unreadable { path, refused }),
        }
    }
    Ok(shipped(name, purpose).map(str::to_string))
}

/// Whether `name` is a plain file name: names come from our own code and from
/// `{% extends %}`/`{% include %}` in the journal's templates, and only plain names are
/// looked up in its templates folder.
fn is_plain(name: &str) -> bool {
    !name.is_empty() && !name.contains(['/', '\\']) && !name.starts_with('.')
}

/// Whether the journal's templates folder `folder` may hold templates: it has an entry,
/// or is something other than missing (a file, a folder that cannot be read), which the
/// loader then reports on when it looks there.
pub(super) fn may_hold_templates(folder: &Path) -> bool {
    match std::fs::read_dir(folder) {
        Ok(mut entries) => entries.next().is_some(),
        Err(error) => error.kind() != std::io::ErrorKind::NotFound,
    }
}

/// The report template `name` trailmark ships, as a loader gives it.
pub(super) fn shipped_report_template(name: &str) -> Option<String> {
    shipped(name, Purpose::Report).map(str::to_string)
}

/// The loader of report templates: [`source`], with a refusal as a template error that
/// names the file.
pub(super) fn load_report_template(
    overrides: Option<&Path>,
    name: &str,
) -> Result<Option<String>, minijinja::Error> {
    source(overrides, name, Purpose::Report).map_err(|unreadable| {
        minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            format!("{}: {}", unreadable.path.display(), unreadable.refused),
        )
    })
}

/// A hash of the templates pages rendered from the report templates `names` are made
/// from: trailmark's version, the report templates it ships (they change only with it),
/// and the journal's own templates that `names` load, themselves or through `{% extends
/// %}`, `{% include %}`, `{% import %}` or `{% from %}`, so that editing another template
/// of the folder (one of `new`'s) renders no report again.
pub(super) fn fingerprint(
    overrides: Option<&Path>,
    names: impl IntoIterator<Item = String>,
) -> u64 {
    let mut hasher = Xxh3Default::new();
    env!("CARGO_PKG_VERSION").hash(&mut hasher);
    let shipped: Vec<(&str, &str)> = SHIPPED
        .iter()
        .filter(|(_, purpose, _)| *purpose == Purpose::Report)
        .map(|(name, _, text)| (*name, *text))
        .collect();
    shipped.hash(&mut hasher);
    let mut own = overrides.map_or_else(Vec::new, |folder| own_templates_used(folder, names));
    own.sort();
    own.hash(&mut hasher);
    hasher.finish()
}

/// Whether the templates `names` and all they load are trailmark's own: the journal has
/// none of them in its templates folder `overrides`.
pub(super) fn all_shipped(
    overrides: Option<&Path>,
    names: impl IntoIterator<Item = String>,
) -> bool {
    overrides.is_none_or(|folder| own_templates_used(folder, names).is_empty())
}

/// The journal's own templates in `folder` (file name and bytes) that the templates
/// `names` load, one level after another; every file of `folder` when a template names
/// the one it loads by an expression, which only rendering can tell.
fn own_templates_used(
    folder: &Path,
    names: impl IntoIterator<Item = String>,
) -> Vec<(OsString, Vec<u8>)> {
    let mut pending: Vec<String> = names.into_iter().collect();
    let mut seen = HashSet::new();
    let mut own = Vec::new();
    while let Some(name) = pending.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let text = match own_template(folder, &name) {
            Some(bytes) => {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                own.push((OsString::from(name), bytes));
                text
            }
            None => shipped(&name, Purpose::Report)
                .unwrap_or_default()
                .to_string(),
        };
        match loaded_by(&text) {
            Some(names) => pending.extend(names),
            None => return every_file(folder),
        }
    }
    own
}

/// The bytes of the template `name` in `folder`, `None` when there is no such file. A
/// file that cannot be read counts as empty: it fails the build only if a template
/// loads it, and then with its reason.
fn own_template(folder: &Path, name: &str) -> Option<Vec<u8>> {
    if !is_plain(name) {
        return None;
    }
    match fsread::read(&folder.join(name), fsread::MAX_FILE_BYTES) {
        Ok(bytes) => Some(bytes),
        Err(refused) if refused.is_not_found() => None,
        Err(_) => Some(Vec::new()),
    }
}

/// Every file of `folder`, by name, with its bytes (empty when it cannot be read, as in
/// [`own_template`]).
fn every_file(folder: &Path) -> Vec<(OsString, Vec<u8>)> {
    std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|entry| {
            let bytes = fsread::read(&entry.path(), fsread::MAX_FILE_BYTES).unwrap_or_default();
            (entry.file_name(), bytes)
        })
        .collect()
}

/// The templates `source` loads by name: the string after each `{% extends %}`, `{%
/// include %}`, `{% import %}` and `{% from %}`; `None` when one of them names its
/// template by anything but a string (a variable, a list, a condition). Text that only
/// looks like such a tag (in a comment, a `{% raw %}` block or a string) counts too:
/// a template too many costs a rendering, one too few would keep a report stale.
fn loaded_by(source: &str) -> Option<Vec<String>> {
    let mut names = Vec::new();
    for (start, _) in source.match_indices("{%") {
        let tag = source[start + 2..]
            .trim_start_matches(['-', '+'])
            .trim_start();
        let keyword_end = tag
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(tag.len());
        let (keyword, argument) = tag.split_at(keyword_end);
        if matches!(keyword, "extends" | "include" | "import" | "from") {
            names.push(whole_string(argument.trim_start())?);
        }
    }
    Some(names)
}

/// The string literal `argument` starts with, when it is the whole argument: it is
/// followed by the tag's end or by a word of the tag (`ignore missing`, `as`, `import`,
/// `with context`), and has no escapes.
fn whole_string(argument: &str) -> Option<String> {
    let quote = argument
        .chars()
        .next()
        .filter(|c| matches!(c, '"' | '\''))?;
    let (name, after) = argument[1..].split_once(quote)?;
    let after = after.trim_start();
    let tag_ends = ["%}", "-%}", "+%}"]
        .iter()
        .any(|end| after.starts_with(end));
    let word = after
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .next()
        .unwrap_or_default();
    let tag_goes_on = matches!(word, "ignore" | "as" | "import" | "with" | "without");
    ((tag_ends || tag_goes_on) && !name.contains('\\')).then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_take_plain_names_only() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.md"), "custom").unwrap();
        let load = |name| load_report_template(Some(dir.path()), name).unwrap();
        assert_eq!(load("index.md").as_deref(), Some("custom"));
        assert!(load("goal.md").unwrap().contains("{{"));
        assert_eq!(load("../index.md"), None);
        assert_eq!(load("missing.html"), None);
    }

    #[test]
    fn a_template_finds_the_shipped_templates_of_its_own_kind() {
        assert!(
            source(None, NEW_GOAL_TEMPLATE, Purpose::New)
                .unwrap()
                .is_some()
        );
        assert_eq!(
            source(None, NEW_GOAL_TEMPLATE, Purpose::Report).unwrap(),
            None
        );
        assert_eq!(source(None, "goal.md", Purpose::New).unwrap(), None);
    }

    #[test]
    fn the_templates_a_template_loads_by_name() {
        let loaded = |source: &str| loaded_by(source);
        assert_eq!(
            loaded(r#"{% extends "base.html" %}{%- include 'a.md' ignore missing -%}"#),
            Some(vec!["base.html".to_string(), "a.md".to_string()])
        );
        assert_eq!(
            loaded(r#"{%from "m" import x%}{%+ import "n" as n %}{% if x %}{% endif %}"#),
            Some(vec!["m".to_string(), "n".to_string()])
        );
        assert_eq!(loaded("{{ included }} {% set imports = 1 %}"), Some(vec![]));
        for by_expression in [
            "{% include name %}",
            r#"{% include ["a", "b"] %}"#,
            r#"{% include "a" ~ x %}"#,
            r#"{% extends "a" if x else "b" %}"#,
            r#"{% include "a\"b" %}"#,
            r#"{% include "unclosed %}"#,
            "{% include",
        ] {
            assert_eq!(loaded(by_expression), None, "{by_expression}");
        }
    }

    #[test]
    fn a_page_depends_on_the_templates_it_loads_only() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path();
        let goal = || {
            fingerprint(
                Some(folder),
                ["goal.html".to_string(), "goal.md".to_string()],
            )
        };
        let index = || fingerprint(Some(folder), ["index.md".to_string()]);
        let write = |name: &str, text: &str| std::fs::write(folder.join(name), text).unwrap();
        let (goal_before, index_before) = (goal(), index());
        write(NEW_GOAL_TEMPLATE, "---\ngoal: {{ title }}\n---\n");
        assert_eq!((goal(), index()), (goal_before, index_before));

        // The shipped `goal.html` extends `base.html`; an own `goal.md` includes a file.
        write("base.html", "{% block content %}{% endblock %}");
        let goal_with_base = goal();
        assert_ne!(goal_with_base, goal_before);
        write("goal.md", "{% include 'part.md' %}");
        write("part.md", "one");
        let goal_with_part = goal();
        assert_ne!(goal_with_part, goal_with_base);
        write("part.md", "two");
        assert_ne!(goal(), goal_with_part);
        assert_eq!(index(), index_before);

        // A template named by an expression could be any file.
        write("index.md", "{% include which %}");
        let dynamic = index();
        write(NEW_GOAL_TEMPLATE, "changed");
        assert_ne!(index(), dynamic);
    }

    #[test]
    fn without_own_templates_the_fingerprint_is_the_binarys() {
        let dir = tempfile::tempdir().unwrap();
        let names = || ["index.html".to_string(), "index.md".to_string()];
        assert_eq!(
            fingerprint(Some(&dir.path().join("missing")), names()),
            fingerprint(None, names())
        );
        assert_eq!(
            fingerprint(Some(dir.path()), names()),
            fingerprint(None, [])
        );
    }
}
