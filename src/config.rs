//! `trailmark.toml`, the journal's own settings. Every key is optional; a journal without
//! the file gets the defaults. A key trailmark does not know, or a value of the wrong
//! type, is an error with its line and column: a misspelt key silently ignored would
//! leave a person wondering why their setting does nothing.
//!
//! Each key is one entry of the table [`keys::KEYS`]: its name, the comment `init` writes
//! above it, how its value is read and checked, and how it is printed. That one table
//! reads the file, prints `trailmark config` and writes `init`'s commented file, so a key
//! cannot be read but missing from either. The defaults stay with the values' owners
//! ([`Rules`], [`ParseOptions`], [`Warnings`], the folder names in [`crate::paths`]), which use them
//! without any file: a key's default is what it prints of [`Config::default`].

mod keys;

use std::convert::Infallible;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::de::{Deserializer as _, Visitor};
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use crate::analyse::Rules;
use crate::analyse::period::PeriodKind;
use crate::discover::Exclude;
use crate::document::{LineIndex, ParseOptions};
use crate::error::Error;
use crate::fsread;
use crate::model::Warnings;
use keys::{KEYS, Refusal, Toml, Value, explain};

/// The configuration file, at the journal's root.
pub(crate) const CONFIG_FILE: &str = "trailmark.toml";

/// The effective configuration: the file's values, defaults for the rest.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    /// Where reports are written, relative to the journal unless absolute.
    pub(crate) output: PathBuf,
    /// The folder of report and file templates, relative to the journal unless absolute.
    pub(crate) templates: PathBuf,
    /// Paths left out of the journal, besides hidden ones and the output folder.
    pub(crate) exclude: Exclude,
    pub(crate) rules: Rules,
    /// The review periods `build` writes, in the order of the file.
    pub(crate) reviews: Vec<PeriodKind>,
    /// How documents are read: Logseq markers, section headings.
    pub(crate) parse: ParseOptions,
    /// The optional warnings of linking the journal.
    pub(crate) warnings: Warnings,
    /// The keys the file set, to tell them from defaults when printing.
    pub(crate) set: Vec<&'static str>,
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
            warnings: Warnings::default(),
            set: Vec::new(),
        }
    }
}

/// The text of the journal's `trailmark.toml` at `root`, `None` when there is none. It is
/// read by the rules of every file trailmark reads ([`crate::fsread`]): a link, a FIFO or
/// a file over the size limit is an error that names it.
pub(crate) fn read_text(root: &Path) -> Result<Option<String>, Error> {
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
pub(crate) fn from_text(root: &Path, text: Option<&str>) -> Result<Config, Error> {
    let Some(text) = text else {
        return Ok(Config::default());
    };
    Config::parse(text).map_err(|problem| Error::Config {
        path: root.join(CONFIG_FILE),
        line: Some((problem.line, problem.column)),
        message: problem.message,
    })
}

/// A problem in the file: where, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub(crate) line: u32,
    pub(crate) column: u32,
    pub(crate) message: String,
}

impl Config {
    /// The configuration a file's text sets.
    pub(crate) fn parse(text: &str) -> Result<Config, Problem> {
        let at = |span: Range<usize>, message: String| {
            let position = LineIndex::new(text).position(span.start);
            Problem {
                line: position.line,
                column: position.column,
                message,
            }
        };
        let file = DeTable::parse(text)
            .map_err(|error| at(error.span().unwrap_or(0..0), explain(error.message())))?;
        let mut reading = Reading {
            config: Config::default(),
            first_invalid: None,
        };
        reading
            .read_table(&[], file.into_inner())
            .map_err(|(span, message)| at(span, message))?;
        match reading.first_invalid {
            Some((_, span, message)) => Err(at(span, message)),
            None => Ok(reading.config),
        }
    }

    /// The output folder, with the journal at `root`.
    pub(crate) fn output_in(&self, root: &Path) -> PathBuf {
        root.join(&self.output)
    }

    /// The templates folder, with the journal at `root`.
    pub(crate) fn templates_in(&self, root: &Path) -> PathBuf {
        root.join(&self.templates)
    }

    /// The effective configuration as a `trailmark.toml` that sets it, each default
    /// marked so.
    pub(crate) fn to_toml(&self) -> String {
        let mut text = String::new();
        let mut current_table = "";
        for key in KEYS {
            let (table, name) = key.table_and_name();
            if table != current_table {
                text.push_str(&format!("\n[{table}]\n"));
                current_table = table;
            }
            let note = if self.set.contains(&key.name) {
                ""
            } else {
                "  # default"
            };
            let value = match (key.print)(self) {
                Toml::One(value) => value,
                Toml::List(items) => format!("[{}]", items.join(", ")),
            };
            text.push_str(&format!("{name} = {value}{note}\n"));
        }
        text
    }
}

/// `trailmark.toml` as `init` writes it: every key commented out at its default, so the
/// defaults stay in the program and a later version's better default reaches old journals.
pub(crate) fn commented_defaults() -> String {
    let defaults = Config::default();
    let mut text = String::from(
        "# trailmark settings for this journal. Every key is optional: each is shown here at its\n\
         # default, commented out. Remove the `#` in front of a key to change it.\n",
    );
    let mut current_table = "";
    for key in KEYS {
        if !key.comment.is_empty() {
            text.push('\n');
            for line in key.comment.lines() {
                text.push_str(&format!("# {line}\n"));
            }
        }
        let (table, name) = key.table_and_name();
        if table != current_table {
            text.push_str(&format!("# [{table}]\n"));
            current_table = table;
        }
        text.push_str(&match (key.print)(&defaults) {
            Toml::One(value) => format!("# {name} = {value}\n"),
            Toml::List(items) => commented_list(name, &items),
        });
    }
    text
}

/// `# key = [a, b, ...]`, over several commented lines when it would be long.
fn commented_list(key: &str, items: &[String]) -> String {
    let one_line = format!("# {key} = [{}]\n", items.join(", "));
    if one_line.len() <= 88 {
        return one_line;
    }
    let mut text = format!("# {key} = [\n");
    let mut line = String::new();
    for item in items {
        if !line.is_empty() && line.len() + item.len() + 2 > 80 {
            text.push_str(&format!("#     {}\n", line.trim_end()));
            line.clear();
        }
        line.push_str(item);
        line.push_str(", ");
    }
    text.push_str(&format!(
        "#     {}\n# ]\n",
        line.trim_end_matches([',', ' '])
    ));
    text
}

/// A file being read: the configuration so far, and the first value out of range (by its
/// index in [`KEYS`]).
struct Reading {
    config: Config,
    first_invalid: Option<(usize, Range<usize>, String)>,
}

impl Reading {
    /// Reads the `entries` of the table at `path` (empty for the top of the file); an error
    /// is the first unknown key or mistyped value.
    fn read_table(
        &mut self,
        path: &[&str],
        entries: DeTable<'_>,
    ) -> Result<(), (Range<usize>, String)> {
        for (written, value) in entries {
            let here: Vec<&str> = path
                .iter()
                .copied()
                .chain([written.get_ref().as_ref()])
                .collect();
            if let Some(index) = KEYS
                .iter()
                .position(|key| key.name.split('.').eq(here.iter().copied()))
            {
                self.read_key(index, value)?;
            } else if !names_in(&here).is_empty() {
                let span = value.span();
                match value.into_inner() {
                    DeValue::Table(entries) => self.read_table(&here, entries)?,
                    other => return Err(not_a_table(Spanned::new(span, other))),
                }
            } else {
                let expected: Vec<String> = names_in(path)
                    .iter()
                    .map(|name| format!("`{name}`"))
                    .collect();
                return Err((
                    written.span(),
                    format!(
                        "unknown key `{}`, expected one of {}; `trailmark config` prints every \
                         key with its value",
                        written.get_ref(),
                        expected.join(", ")
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Reads the `value` of the key at `index` in [`KEYS`].
    fn read_key(&mut self, index: usize, value: Value<'_>) -> Result<(), (Range<usize>, String)> {
        self.config.set.push(KEYS[index].name);
        match (KEYS[index].read)(&mut self.config, value) {
            Ok(()) => Ok(()),
            Err(Refusal::Unreadable(span, message)) => Err((span, message)),
            Err(Refusal::Invalid(span, message)) => {
                let first = self.first_invalid.as_ref();
                if first.is_none_or(|(first, ..)| index < *first) {
                    self.first_invalid = Some((index, span, message));
                }
                Ok(())
            }
        }
    }
}

/// The names of the keys and tables directly in the table at `path` (empty for the top of
/// the file), in the order of [`KEYS`].
fn names_in(path: &[&str]) -> Vec<&'static str> {
    let mut names = Vec::new();
    for key in KEYS {
        let segments: Vec<&'static str> = key.name.split('.').collect();
        if segments.len() > path.len()
            && segments.starts_with(path)
            && !names.contains(&segments[path.len()])
        {
            names.push(segments[path.len()]);
        }
    }
    names
}

/// The problem with a table given as another kind of value (`sections = 5`), in the words
/// of the serde struct that read `[sections]` before [`KEYS`] did.
fn not_a_table(value: Value<'_>) -> (Range<usize>, String) {
    /// Accepts nothing, expecting what serde called the struct.
    struct NotATable;
    impl Visitor<'_> for NotATable {
        type Value = Infallible;
        fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
            formatter.write_str("struct SectionsFile")
        }
    }
    let Err(error) = ValueDeserializer::from(value).deserialize_any(NotATable);
    (error.span().unwrap_or(0..0), explain(error.message()))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::Weekday;
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
    fn a_mistyped_value_or_unknown_key_is_reported_before_a_value_out_of_range() {
        // Keys are read in alphabetical order, and reading stops at the first key or value
        // of the wrong kind; values out of range are reported after, in the order of the
        // keys in `trailmark config`.
        assert_eq!(problem("at_risk_margin = 5\nzzz = 1\n").0, 2);
        assert_eq!(problem("zz.wins = 1\nsections.wins = 1").0, 2);
        assert_eq!(problem("at_risk_margin = 5\nweek_start = \"x\"\n").0, 2);
        let out_of_range = "at_risk_margin = 5\nstalled_after_days = 0\n";
        assert_eq!(problem(out_of_range).0, 2);
        assert_eq!(problem("output = \"\"\n[sections]\nwins = [\"!\"]\n").0, 1);
    }

    #[test]
    fn keys_are_matched_by_their_path_in_the_file() {
        for (text, message) in [
            (
                "\"sections.wins\" = [\"a\"]",
                "unknown key `sections.wins`, expected one of `output`",
            ),
            ("\"\" = 1", "unknown key ``, expected one of `output`"),
            (
                "[sections]\n\"\" = 1",
                "unknown key ``, expected one of `wins`, `feedback`, `lessons`;",
            ),
            (
                "sections = 5",
                "invalid type: integer `5`, expected struct SectionsFile",
            ),
            ("[output]\na = 1", "invalid type: map, expected a string"),
        ] {
            let (_, _, got) = problem(text);
            assert!(got.starts_with(message), "{text:?}: {got}");
        }
        let config = Config::parse("sections.wins = [\"A\"]\n\"output\" = \"o\"").unwrap();
        assert_eq!(config.parse.sections.wins, ["a"]);
        assert_eq!(config.output, PathBuf::from("o"));
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

    #[test]
    fn the_settings_file_shows_every_key_commented_out() {
        let settings = commented_defaults();
        for key in [
            "output",
            "templates",
            "exclude",
            "week_start",
            "reviews",
            "stalled_after_days",
            "at_risk_margin",
            "logseq_markers",
            "[sections]",
            "wins",
            "feedback",
            "lessons",
        ] {
            assert!(
                settings
                    .lines()
                    .any(|line| line.starts_with(&format!("# {key}"))),
                "{key} in\n{settings}"
            );
        }
        assert!(
            settings
                .lines()
                .all(|line| line.is_empty() || line.starts_with('#'))
        );
    }

    #[test]
    fn the_settings_file_uncommented_is_the_default_configuration() {
        // Every commented setting (and the lines of a list spread over several), with
        // the `exclude` example left out: what a person gets by removing the `#`s.
        let mut uncommented = String::new();
        let mut in_list = false;
        for line in commented_defaults().lines() {
            let Some(rest) = line.strip_prefix("# ") else {
                continue;
            };
            let is_name = |name: &str| {
                !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            };
            let table = rest
                .strip_prefix('[')
                .and_then(|r| r.strip_suffix(']'))
                .is_some_and(is_name);
            let setting = table || rest.split_once(" = ").is_some_and(|(key, _)| is_name(key));
            if (setting || in_list) && rest != "exclude = [\"archive/**\"]" {
                uncommented.push_str(rest);
                uncommented.push('\n');
                in_list = (setting && rest.ends_with('[')) || (in_list && rest != "]");
            }
        }
        let config = Config::parse(&uncommented)
            .unwrap_or_else(|problem| panic!("{problem:?} in\n{uncommented}"));
        assert_eq!(config.set.len(), 13, "{uncommented}");
        let defaults = Config::default();
        assert_eq!(config.output, defaults.output);
        assert_eq!(config.templates, defaults.templates);
        assert_eq!(config.exclude.globs, defaults.exclude.globs);
        assert_eq!(config.rules, defaults.rules);
        assert_eq!(config.reviews, defaults.reviews);
        assert_eq!(config.parse, defaults.parse);
        assert_eq!(config.warnings, defaults.warnings);
    }
}
