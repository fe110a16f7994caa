//! `trailmark.toml`, the journal's own settings. Every key is optional; a journal without
//! the file gets the defaults. A key trailmark does not know, or a value of the wrong
//! type, is an error with its line and column: a misspelt key silently ignored would
//! leave a person wondering why their setting does nothing.

use std::ops::Range;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use crate::analyse::Rules;
use crate::analyse::period::PeriodKind;
use crate::dates::Weekday;
use crate::document::LineIndex;
use crate::document::{NoteKind, ParseOptions};
use crate::error::Error;
use crate::fsread;

/// The configuration file, at the journal's root.
pub const CONFIG_FILE: &str = "trailmark.toml";

/// The effective configuration: the file's values, defaults for the rest.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where reports are written, relative to the journal unless absolute.
    pub output: PathBuf,
    /// The folder of report and file templates, relative to the journal unless absolute.
    pub templates: PathBuf,
    /// Paths left out of the journal, besides hidden ones and the output folder.
    pub exclude: Exclude,
    pub rules: Rules,
    /// The review periods `build` writes, in the order of the file.
    pub reviews: Vec<PeriodKind>,
    /// How documents are read: Logseq markers, section headings.
    pub parse: ParseOptions,
    /// The keys the file set, to tell them from defaults when printing.
    pub set: Vec<&'static str>,
}

/// Globs of paths to leave out, relative to the journal with `/` separators. A glob
/// without a `/` matches a file or folder name at any depth (`drafts`, `*.excalidraw.md`),
/// as in `.gitignore`; one with a `/` matches the whole relative path (`archive/**`).
#[derive(Debug, Clone, Default)]
pub struct Exclude {
    pub globs: Vec<String>,
    by_name: GlobSet,
    by_path: GlobSet,
}

impl Exclude {
    pub fn is_empty(&self) -> bool {
        self.globs.is_empty()
    }

    /// Whether the file or folder at `relative` (from the journal root) is left out.
    pub fn matches(&self, relative: &str) -> bool {
        let name = relative.rsplit('/').next().unwrap_or(relative);
        self.by_name.is_match(name) || self.by_path.is_match(relative)
    }
}

impl Default for Config {
    fn default() -> Config {
        Config {
            output: PathBuf::from(crate::paths::DEFAULT_OUTPUT_FOLDER),
            templates: PathBuf::from(crate::paths::TEMPLATES_FOLDER),
            exclude: Exclude::default(),
            rules: Rules::default(),
            reviews: PeriodKind::ALL.to_vec(),
            parse: ParseOptions::default(),
            set: Vec::new(),
        }
    }
}

/// The text of the journal's `trailmark.toml` at `root`, `None` when there is none. It is
/// read by the rules of every file trailmark reads ([`crate::fsread`]): a link, a FIFO or
/// a file over the size limit is an error that names it.
pub fn read_text(root: &Path) -> Result<Option<String>, Error> {
    let path = root.join(CONFIG_FILE);
    match fsread::read_to_string(&path, fsread::MAX_FILE_BYTES) {
        Ok(text) => Ok(Some(text)),
        Err(refused) if refused.is_not_found() => Ok(None),
        Err(refused) => Err(Error::Config {
            path,
            line: None,
            message: refused.to_string(),
        }),
    }
}

/// The configuration `text` (the file at `root`, if any) sets; its problems name the file.
pub fn from_text(root: &Path, text: Option<&str>) -> Result<Config, Error> {
    let Some(text) = text else {
        return Ok(Config::default());
    };
    Config::parse(text).map_err(|problem| Error::Config {
        path: root.join(CONFIG_FILE),
        line: Some((problem.line, problem.column)),
        message: problem.message,
    })
}

/// The file as written. `Spanned` values are checked beyond their type, and a problem
/// with them points at the value.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    output: Option<Spanned<String>>,
    templates: Option<Spanned<String>>,
    exclude: Option<Vec<Spanned<String>>>,
    week_start: Option<Weekday>,
    reviews: Option<Vec<PeriodKind>>,
    stalled_after_days: Option<Spanned<i64>>,
    at_risk_margin: Option<Spanned<f64>>,
    logseq_markers: Option<bool>,
    sections: Option<SectionsFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionsFile {
    wins: Option<Spanned<Vec<String>>>,
    feedback: Option<Spanned<Vec<String>>>,
    lessons: Option<Spanned<Vec<String>>>,
}

/// A problem in the file: where, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl Config {
    /// The configuration a file's text sets.
    pub fn parse(text: &str) -> Result<Config, Problem> {
        let at = |span: Option<Range<usize>>, message: String| {
            let position = LineIndex::new(text).position(span.map_or(0, |span| span.start));
            Problem {
                line: position.line,
                column: position.column,
                message,
            }
        };
        let file: File =
            toml::from_str(text).map_err(|error| at(error.span(), explain(error.message())))?;
        let mut config = Config::default();
        let mut set = |key: &'static str| config.set.push(key);
        if let Some(output) = file.output {
            set("output");
            config.output =
                path_value(&output, "output").map_err(|m| at(Some(output.span()), m))?;
        }
        if let Some(templates) = file.templates {
            set("templates");
            config.templates =
                path_value(&templates, "templates").map_err(|m| at(Some(templates.span()), m))?;
        }
        if let Some(globs) = file.exclude {
            set("exclude");
            config.exclude = exclude(&globs).map_err(|(span, m)| at(Some(span), m))?;
        }
        if let Some(day) = file.week_start {
            set("week_start");
            config.rules.week_start = day;
        }
        if let Some(mut reviews) = file.reviews {
            set("reviews");
            let mut seen = Vec::new();
            reviews.retain(|kind| {
                !seen.contains(kind) && {
                    seen.push(*kind);
                    true
                }
            });
            config.reviews = reviews;
        }
        if let Some(days) = file.stalled_after_days {
            set("stalled_after_days");
            if *days.get_ref() < 1 {
                return Err(at(
                    Some(days.span()),
                    "stalled_after_days must be a whole number of days, 1 or more".into(),
                ));
            }
            config.rules.stalled_after_days = *days.get_ref();
        }
        if let Some(margin) = file.at_risk_margin {
            set("at_risk_margin");
            let value = *margin.get_ref();
            if !(0.0..=1.0).contains(&value) {
                return Err(at(
                    Some(margin.span()),
                    "at_risk_margin is a fraction of the goal from 0 to 1, such as 0.25 \
                     (a quarter behind the straight line from start to due)"
                        .into(),
                ));
            }
            config.rules.at_risk_margin = value;
        }
        if let Some(on) = file.logseq_markers {
            set("logseq_markers");
            config.parse.logseq_markers = on;
        }
        if let Some(sections) = file.sections {
            for (key, list, target) in [
                (
                    "sections.wins",
                    sections.wins,
                    &mut config.parse.sections.wins,
                ),
                (
                    "sections.feedback",
                    sections.feedback,
                    &mut config.parse.sections.feedback,
                ),
                (
                    "sections.lessons",
                    sections.lessons,
                    &mut config.parse.sections.lessons,
                ),
            ] {
                let Some(list) = list else { continue };
                config.set.push(key);
                if list
                    .get_ref()
                    .iter()
                    .any(|name| NoteKind::words(name).is_empty())
                {
                    return Err(at(
                        Some(list.span()),
                        format!(
                            "{key} lists a heading with no letters or digits; every name must have some"
                        ),
                    ));
                }
                // Kept as compared, so that `trailmark config` shows how they match.
                *target = list
                    .into_inner()
                    .iter()
                    .map(|name| NoteKind::words(name))
                    .collect();
            }
        }
        Ok(config)
    }

    /// The output folder, with the journal at `root`.
    pub fn output_in(&self, root: &Path) -> PathBuf {
        root.join(&self.output)
    }

    /// The templates folder, with the journal at `root`.
    pub fn templates_in(&self, root: &Path) -> PathBuf {
        root.join(&self.templates)
    }

    /// The effective configuration as a `trailmark.toml` that sets it, each default
    /// marked so.
    pub fn to_toml(&self) -> String {
        let strings = |items: &[String]| list(items.iter().map(String::as_str));
        [
            self.setting("output", quoted(&self.output.to_string_lossy())),
            self.setting("templates", quoted(&self.templates.to_string_lossy())),
            self.setting("exclude", strings(&self.exclude.globs)),
            self.setting("week_start", quoted(self.rules.week_start.as_str())),
            self.setting(
                "reviews",
                list(self.reviews.iter().map(|kind| kind.as_str())),
            ),
            self.setting(
                "stalled_after_days",
                self.rules.stalled_after_days.to_string(),
            ),
            self.setting("at_risk_margin", format!("{:?}", self.rules.at_risk_margin)),
            self.setting("logseq_markers", self.parse.logseq_markers.to_string()),
            "\n[sections]\n".to_string(),
            self.setting("sections.wins", strings(&self.parse.sections.wins)),
            self.setting("sections.feedback", strings(&self.parse.sections.feedback)),
            self.setting("sections.lessons", strings(&self.parse.sections.lessons)),
        ]
        .concat()
    }

    /// One `key = value` line, marked when the value is the default.
    fn setting(&self, key: &str, value: String) -> String {
        let note = if self.set.contains(&key) {
            ""
        } else {
            "  # default"
        };
        let name = key.rsplit('.').next().unwrap_or(key);
        format!("{name} = {value}{note}\n")
    }
}

/// A folder path from the file: not empty, and not starting with `~` (see
/// [`refuse_tilde`]).
fn path_value(value: &Spanned<String>, key: &str) -> Result<PathBuf, String> {
    let path = value.get_ref();
    if path.trim().is_empty() {
        return Err(format!(
            "{key} is empty; give a folder, such as \"_reports\""
        ));
    }
    refuse_tilde(
        path,
        key,
        "give the folder's full path, or a path relative to the journal",
    )?;
    Ok(PathBuf::from(path))
}

/// An error naming `setting` when the folder `path` starts with `~`, ending with `hint`.
///
/// **Choice**: `~` is refused, not expanded. A shell expands it, but a path in a journal's
/// file is read on every machine and by every user the journal is shared with, for whom
/// `~` is another folder; kept as written it would make a folder named `~` in the
/// journal, which is never what was meant. On the command line a `~` that reaches
/// trailmark is one the shell left alone (`--out=~/reports`, or quoted), and would make a
/// folder named `~` where the command runs.
pub(crate) fn refuse_tilde(path: &str, setting: &str, hint: &str) -> Result<(), String> {
    if path.starts_with('~') {
        return Err(format!(
            "{setting} `{path}` starts with `~`, which trailmark does not expand; {hint}"
        ));
    }
    Ok(())
}

fn exclude(globs: &[Spanned<String>]) -> Result<Exclude, (Range<usize>, String)> {
    let mut by_name = GlobSetBuilder::new();
    let mut by_path = GlobSetBuilder::new();
    for glob in globs {
        let pattern = glob
            .get_ref()
            .trim_start_matches("./")
            .trim_end_matches('/');
        let compiled = GlobBuilder::new(pattern)
            .literal_separator(true)
            .build()
            .map_err(|error| (glob.span(), format!("exclude: {}", error.kind())))?;
        if pattern.contains('/') {
            by_path.add(compiled);
        } else {
            by_name.add(compiled);
        }
    }
    let built = |builder: GlobSetBuilder| {
        builder
            .build()
            .map_err(|error| (0..0, format!("exclude: {error}")))
    };
    Ok(Exclude {
        globs: globs.iter().map(|glob| glob.get_ref().clone()).collect(),
        by_name: built(by_name)?,
        by_path: built(by_path)?,
    })
}

/// toml's message, with what to do where the message alone does not say.
fn explain(message: &str) -> String {
    let message = message.trim_end();
    if message.starts_with("unknown field") {
        let message = message.replacen("unknown field", "unknown key", 1);
        format!("{message}; `trailmark config` prints every key with its value")
    } else {
        message.replacen("unknown variant", "unknown value", 1)
    }
}

/// A TOML basic string. JSON's string escapes are all valid in TOML basic strings.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).expect("a string always serializes")
}

fn list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let items: Vec<String> = items.map(quoted).collect();
    format!("[{}]", items.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Sections;

    fn problem(text: &str) -> (u32, u32, String) {
        let problem = Config::parse(text).expect_err("the text has a problem");
        (problem.line, problem.column, problem.message)
    }

    #[test]
    fn an_empty_file_is_the_defaults() {
        let config = Config::parse("# nothing set\n").unwrap();
        assert_eq!(config.output, PathBuf::from("_reports"));
        assert_eq!(config.templates, PathBuf::from("templates"));
        assert_eq!(config.rules, Rules::default());
        assert_eq!(config.reviews, PeriodKind::ALL);
        assert!(config.parse.logseq_markers && config.exclude.is_empty() && config.set.is_empty());
        assert_eq!(config.parse, ParseOptions::default());
        assert!(
            config
                .parse
                .sections
                .wins
                .contains(&"what went well".to_string())
        );
    }

    #[test]
    fn every_key_is_read() {
        let config = Config::parse(
            "output = \"../site\"\ntemplates = \"meta/templates\"\nexclude = [\"archive/**\"]\n\
             week_start = \"sunday\"\nreviews = [\"month\", \"week\", \"month\"]\n\
             stalled_after_days = 10\nat_risk_margin = 0.1\nlogseq_markers = false\n\
             [sections]\nwins = [\"Yay!\"]\nlessons = [\"🎓 Oops, I did it\"]\n",
        )
        .unwrap();
        assert_eq!(config.output, PathBuf::from("../site"));
        assert_eq!(config.templates, PathBuf::from("meta/templates"));
        assert!(config.exclude.matches("archive/2019/a.md") && !config.exclude.matches("a.md"));
        assert_eq!(
            config.rules,
            Rules {
                at_risk_margin: 0.1,
                stalled_after_days: 10,
                week_start: Weekday::Sunday,
            }
        );
        assert_eq!(config.reviews, [PeriodKind::Month, PeriodKind::Week]);
        assert!(!config.parse.logseq_markers);
        assert_eq!(config.parse.sections.wins, ["yay"]);
        assert_eq!(config.parse.sections.lessons, ["oops i did it"]);
        assert_eq!(config.parse.sections.feedback, Sections::default().feedback);
    }

    #[test]
    fn problems_point_at_the_key_or_value() {
        let (line, column, message) = problem("output = \"x\"\noutptu = \"y\"\n");
        assert_eq!((line, column), (2, 1));
        assert!(
            message.starts_with("unknown key `outptu`, expected one of `output`"),
            "{message}"
        );
        let (line, column, message) = problem("week_start = \"funday\"\n");
        assert_eq!((line, column), (1, 14));
        assert!(
            message.starts_with("unknown value `funday`, expected one of `monday`"),
            "{message}"
        );
        assert_eq!(problem("\n\nstalled_after_days = \"3\"").0, 3);
        assert_eq!(problem("at_risk_margin = 1.5").1, 18);
        assert!(problem("stalled_after_days = 0").2.contains("1 or more"));
        assert_eq!(problem("exclude = [\"ok\", \"a/[b\"]").1, 18);
        assert!(problem("output = \" \"").2.contains("output is empty"));
        let (line, column, message) = problem("templates = \"~/templates\"");
        assert_eq!((line, column), (1, 13));
        assert!(
            message.starts_with("templates `~/templates` starts with `~`"),
            "{message}"
        );
        assert_eq!(problem("[sections]\nwins = [\"🎉\"]").0, 2);
        assert!(
            problem("[sections]\nwin = []")
                .2
                .contains("unknown key `win`")
        );
        assert!(
            problem("logseq_markers = \"no\"")
                .2
                .contains("expected a boolean")
        );
        assert!(problem("output = ").2.contains("string"));
    }

    #[test]
    fn a_glob_without_a_slash_matches_names_at_any_depth() {
        let config = Config::parse(
            "exclude = [\"drafts\", \"*.excalidraw.md\", \"./old/*.md\", \"Templates/\"]",
        )
        .unwrap();
        for left_out in [
            "drafts",
            "notes/drafts",
            "a.excalidraw.md",
            "x/y/b.excalidraw.md",
            "old/a.md",
            "Templates",
        ] {
            assert!(config.exclude.matches(left_out), "{left_out}");
        }
        for kept in ["drafts.md", "old/deep/a.md", "notes/old/a.md", "templates"] {
            assert!(!config.exclude.matches(kept), "{kept}");
        }
    }

    #[test]
    fn the_printed_configuration_reads_back_as_the_same() {
        let text = "week_start = \"friday\"\nexclude = [\"a \\\"quoted\\\" \\\\ name\"]\n\
                    [sections]\nfeedback = [\"Retro\"]\n";
        let config = Config::parse(text).unwrap();
        let printed = config.to_toml();
        assert!(printed.contains("week_start = \"friday\"\n"), "{printed}");
        assert!(
            printed.contains("output = \"_reports\"  # default\n"),
            "{printed}"
        );
        let again = Config::parse(&printed).unwrap();
        assert_eq!(again.rules, config.rules);
        assert_eq!(again.exclude.globs, config.exclude.globs);
        assert_eq!(again.parse, config.parse);
        assert_eq!(again.reviews, config.reviews);
        assert_eq!(again.output, config.output);
    }
}
