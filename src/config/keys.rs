//! The keys of `trailmark.toml`, one entry of [`KEYS`] each: its name, the comment `init`
//! writes above it, how its value is read and checked, and how it is printed.

use std::ops::Range;
use std::path::PathBuf;

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeValue, ValueDeserializer};

use super::{Config, refuse_tilde};
use crate::analyse::period::PeriodKind;
use crate::discover::Exclude;
use crate::document::NoteKind;

/// One key of the file.
pub(super) struct Key {
    /// As written at the top of the file, or `table.key` for a key under `[table]`.
    pub(super) name: &'static str,
    /// The comment above the key in `init`'s file, without the `# `s; for the first key of
    /// a table, the table's, above its `[table]` line. Empty for none.
    pub(super) comment: &'static str,
    /// Sets the value in the configuration, or says why it is refused.
    pub(super) read: fn(&mut Config, Value<'_>) -> Result<(), Refusal>,
    /// The value in the configuration, as TOML.
    pub(super) print: fn(&Config) -> Toml,
}

impl Key {
    /// The key's table (`""` for the top of the file), and its name in that table.
    pub(super) fn table_and_name(&self) -> (&'static str, &'static str) {
        self.name.rsplit_once('.').unwrap_or(("", self.name))
    }
}

/// A value of the file, where it was written.
pub(super) type Value<'a> = Spanned<DeValue<'a>>;

/// Why a value is refused, with the bytes it was written at.
pub(super) enum Refusal {
    /// It is not of the key's type: reading stops there, as toml reads the file (keys in
    /// alphabetical order).
    Unreadable(Range<usize>, String),
    /// Of the key's type, but out of range: reported once every value is read, the first in
    /// the order of [`KEYS`], so that a mistyped value elsewhere is reported first.
    Invalid(Range<usize>, String),
}

/// A value as TOML: one (a string, number or boolean), or the items of a list, each
/// already written as TOML (`init` breaks a long list over several lines).
pub(super) enum Toml {
    One(String),
    List(Vec<String>),
}

impl Toml {
    fn string(text: &str) -> Toml {
        Toml::One(quoted(text))
    }

    fn strings(items: &[String]) -> Toml {
        Toml::List(items.iter().map(|item| quoted(item)).collect())
    }
}

/// Every key of the file, in the order `trailmark config` and `init` print them, each
/// table's keys together.
pub(super) static KEYS: &[Key] = &[
    Key {
        name: "output",
        comment: "Where `trailmark build` writes the reports, relative to this folder.",
        read: |config, value| {
            config.output = folder(value, "output")?;
            Ok(())
        },
        print: |config| Toml::string(&config.output.to_string_lossy()),
    },
    Key {
        name: "templates",
        comment: "Your own templates, relative to this folder: a file here overrides the built-in\n\
                  template of the same name (reports: index.html, goal.md, ...; `trailmark new`:\n\
                  new-goal.md and new-entry.md).",
        read: |config, value| {
            config.templates = folder(value, "templates")?;
            Ok(())
        },
        print: |config| Toml::string(&config.templates.to_string_lossy()),
    },
    Key {
        name: "exclude",
        comment: "Paths that are not part of the journal, as globs relative to this folder.\n\
                  exclude = [\"archive/**\"]",
        read: |config, value| {
            config.exclude = exclude(typed(value)?)?;
            Ok(())
        },
        print: |config| Toml::strings(&config.exclude.globs),
    },
    Key {
        name: "week_start",
        comment: "The first day of the week, for weekly reviews: monday .. sunday.",
        read: |config, value| {
            config.rules.week_start = typed(value)?;
            Ok(())
        },
        print: |config| Toml::string(config.rules.week_start.as_str()),
    },
    Key {
        name: "reviews",
        comment: "The reviews `trailmark build` writes.",
        read: |config, value| {
            let kinds: Vec<PeriodKind> = typed(value)?;
            config.reviews.clear();
            for kind in kinds {
                if !config.reviews.contains(&kind) {
                    config.reviews.push(kind);
                }
            }
            Ok(())
        },
        print: |config| {
            Toml::List(
                config
                    .reviews
                    .iter()
                    .map(|kind| quoted(kind.as_str()))
                    .collect(),
            )
        },
    },
    Key {
        name: "stalled_after_days",
        comment: "A goal with nothing done for this many days is stalled.",
        read: |config, value| {
            let days: Spanned<i64> = typed(value)?;
            if *days.get_ref() < 1 {
                return Err(Refusal::Invalid(
                    days.span(),
                    "stalled_after_days must be a whole number of days, 1 or more".into(),
                ));
            }
            config.rules.stalled_after_days = days.into_inner();
            Ok(())
        },
        print: |config| Toml::One(config.rules.stalled_after_days.to_string()),
    },
    Key {
        name: "at_risk_margin",
        comment: "How far behind the straight line from start to due (as a share of the whole goal)\n\
                  a goal may fall before it is at risk.",
        read: |config, value| {
            let margin: Spanned<f64> = typed(value)?;
            if !(0.0..=1.0).contains(margin.get_ref()) {
                return Err(Refusal::Invalid(
                    margin.span(),
                    "at_risk_margin is a fraction of the goal from 0 to 1, such as 0.25 \
                     (a quarter behind the straight line from start to due)"
                        .into(),
                ));
            }
            config.rules.at_risk_margin = margin.into_inner();
            Ok(())
        },
        print: |config| Toml::One(format!("{:?}", config.rules.at_risk_margin)),
    },
    Key {
        name: "logseq_markers",
        comment: "Logseq TODO, DOING, DONE and CANCELED items count as milestones.",
        read: |config, value| {
            config.parse.logseq_markers = typed(value)?;
            Ok(())
        },
        print: |config| Toml::One(config.parse.logseq_markers.to_string()),
    },
    Key {
        name: "sections.wins",
        comment: "Headings whose items are collected as wins, feedback and lessons (matched ignoring\n\
                  case and punctuation). A list given here replaces the default one.",
        read: |config, value| {
            config.parse.sections.wins = headings(value, "sections.wins")?;
            Ok(())
        },
        print: |config| Toml::strings(&config.parse.sections.wins),
    },
    Key {
        name: "sections.feedback",
        comment: "",
        read: |config, value| {
            config.parse.sections.feedback = headings(value, "sections.feedback")?;
            Ok(())
        },
        print: |config| Toml::strings(&config.parse.sections.feedback),
    },
    Key {
        name: "sections.lessons",
        comment: "",
        read: |config, value| {
            config.parse.sections.lessons = headings(value, "sections.lessons")?;
            Ok(())
        },
        print: |config| Toml::strings(&config.parse.sections.lessons),
    },
    Key {
        name: "warnings.loose_milestones",
        comment: "Optional warnings of `trailmark check`. One per file whose milestones belong to no goal\n\
                  (never in a journal that declares no goal).",
        read: |config, value| {
            config.warnings.loose_milestones = typed(value)?;
            Ok(())
        },
        print: |config| Toml::One(config.warnings.loose_milestones.to_string()),
    },
    Key {
        name: "warnings.missing_notes",
        comment: "One at each [[link]] to a note that does not exist (in Obsidian, a note planned).",
        read: |config, value| {
            config.warnings.missing_notes = typed(value)?;
            Ok(())
        },
        print: |config| Toml::One(config.warnings.missing_notes.to_string()),
    },
];

/// `value` read as a `T`, as toml reads it.
fn typed<'a, T: Deserialize<'a>>(value: Value<'a>) -> Result<T, Refusal> {
    T::deserialize(ValueDeserializer::from(value)).map_err(|error| {
        Refusal::Unreadable(error.span().unwrap_or(0..0), explain(error.message()))
    })
}

/// The headings of a `[sections]` list, as compared; each must have a letter or digit.
fn headings(value: Value<'_>, key: &str) -> Result<Vec<String>, Refusal> {
    let names: Spanned<Vec<String>> = typed(value)?;
    // Kept as compared, so that `trailmark config` shows how they match.
    let compared: Vec<String> = names
        .get_ref()
        .iter()
        .map(|name| NoteKind::words(name))
        .collect();
    if compared.iter().any(String::is_empty) {
        return Err(Refusal::Invalid(
            names.span(),
            format!("{key} lists a heading with no letters or digits; every name must have some"),
        ));
    }
    Ok(compared)
}

/// A folder path from the file: not empty, and not starting with `~` (see
/// [`refuse_tilde`]).
fn folder(value: Value<'_>, key: &str) -> Result<PathBuf, Refusal> {
    let path: Spanned<String> = typed(value)?;
    let refused = |message| Refusal::Invalid(path.span(), message);
    if path.get_ref().trim().is_empty() {
        return Err(refused(format!(
            "{key} is empty; give a folder, such as \"_reports\""
        )));
    }
    refuse_tilde(
        path.get_ref(),
        key,
        "give the folder's full path, or a path relative to the journal",
    )
    .map_err(refused)?;
    Ok(PathBuf::from(path.into_inner()))
}

/// The globs of `exclude`, compiled.
fn exclude(globs: Vec<Spanned<String>>) -> Result<Exclude, Refusal> {
    let spans: Vec<_> = globs.iter().map(Spanned::span).collect();
    Exclude::compile(globs.into_iter().map(Spanned::into_inner).collect()).map_err(
        |(index, message)| Refusal::Invalid(index.map_or(0..0, |i| spans[i].clone()), message),
    )
}

/// toml's message, in the words of this file (a value, not a variant).
pub(super) fn explain(message: &str) -> String {
    message
        .trim_end()
        .replacen("unknown variant", "unknown value", 1)
}

/// A TOML basic string. JSON's string escapes are all valid in TOML basic strings.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).expect("a string always serializes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docs_config_md_describes_every_key_in_order() {
        // The first column of each row of its table of keys: one or more names in backticks.
        let documented: Vec<&str> = include_str!("../../docs/CONFIG.md")
            .lines()
            .filter_map(|line| line.strip_prefix("| `"))
            .flat_map(|row| {
                let names = row.split(" |").next().unwrap_or(row);
                names.split('`').step_by(2)
            })
            .collect();
        let keys: Vec<&str> = KEYS.iter().map(|key| key.name).collect();
        assert_eq!(
            documented, keys,
            "docs/CONFIG.md's table describes these keys, trailmark reads those"
        );
    }
}
