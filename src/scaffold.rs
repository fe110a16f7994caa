//! `trailmark init` and `trailmark new`: the files a new journal starts with, and new goal
//! and entry files made from templates.
//!
//! These are the only commands that write into a journal, and they only ever add files:
//! a file that exists is an error, never overwritten. Each file is written to a hidden
//! temporary file beside it and moved into place only if no file of that name appeared
//! meanwhile (`persist_noclobber`: a hard link, or a rename that refuses to replace), so
//! a file is never half written and never replaces another. `init` checks all its files
//! before it writes any, so a refusal writes nothing.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use minijinja::context;

use crate::dates::Date;
use crate::error::Error;
use crate::model::Journal;
use crate::render::templates::{self, NEW_ENTRY_TEMPLATE, NEW_GOAL_TEMPLATE, Purpose};

/// Where `init` and `new goal` put goals, relative to the journal (as in the example
/// journal).
pub(crate) const GOALS_FOLDER: &str = "goals";
/// Where `init` and `new entry` put dated entries: `journal/YYYY/YYYY-MM-DD.md`.
pub(crate) const ENTRIES_FOLDER: &str = "journal";

/// The id of the example goal `init` writes.
const EXAMPLE_GOAL_ID: &str = "team-talk";

/// A file to add to the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NewFile {
    /// Relative to the journal, with `/` separators.
    pub(crate) path: String,
    pub(crate) content: String,
    /// What the file is for, in a few words, for the list `init` prints.
    pub(crate) purpose: &'static str,
}

/// The files of a new journal started on `today`: the settings, a `.gitignore` for the
/// reports, an example goal and today's entry.
pub(crate) fn init_files(today: Date) -> Vec<NewFile> {
    vec![
        NewFile {
            path: crate::config::CONFIG_FILE.to_string(),
            content: crate::config::commented_defaults(),
            purpose: "settings, each at its default and commented out",
        },
        NewFile {
            path: ".gitignore".to_string(),
            content: format!(
                "# The reports `trailmark build` writes: made from the journal, not kept in git.\n/{}/\n",
                crate::paths::DEFAULT_OUTPUT_FOLDER
            ),
            purpose: "keeps the reports out of git",
        },
        NewFile {
            path: format!("{GOALS_FOLDER}/{EXAMPLE_GOAL_ID}.md"),
            content: example_goal(today),
            purpose: "an example goal, written the SMART way",
        },
        NewFile {
            path: entry_path(today),
            content: first_entry(today),
            purpose: "today's journal entry",
        },
    ]
}

/// A goal that shows each SMART key in use, with a milestone done in the first entry.
fn example_goal(today: Date) -> String {
    let due = today.add_days(91);
    let slides_due = today.add_days(63);
    format!(
        r#"---
goal: Give a 20-minute talk at a team meeting
id: {EXAMPLE_GOAL_ID}
area: skills
horizon: short
start: {today}
due: {due}
why: Explaining my work clearly is what my next review looks for, and teaching a topic is the fastest way to learn it.
tags: [speaking]
---

# Give a 20-minute talk at a team meeting

An example goal from `trailmark init`: make it your own, or delete this file and add
yours with `trailmark new goal "Title"`. It is written the SMART way:

- **Specific**: the title says what, where and how long.
- **Measurable**: its milestones below; progress is the share of them ticked `[x]`.
- **Achievable**: each step is a week or two of evenings, not a leap.
- **Relevant**: `why:` and `area:` say what it serves.
- **Time-bound**: `due:` (and a date after 📅 on a milestone) set the pace, so trailmark
  can tell whether the goal is on track.

One milestone is in today's journal entry, where it was ticked: an entry's task with a
goal's `#id` counts as one of its milestones.

## Milestones

- [ ] Write an outline with three key messages
- [ ] Make the slides 📅 {slides_due}
- [ ] Rehearse once with a colleague and note their feedback
- [ ] Give the talk
"#
    )
}

fn first_entry(today: Date) -> String {
    format!(
        r#"---
date: {today}
---

# Journal: {today}

The first entry of this journal. Entries log work against goals: a task with a goal's
`#id` counts as one of its milestones, and the items under the headings Wins, Feedback
and Lessons go into the weekly, monthly, quarterly and yearly reviews. Add the next
entry with `trailmark new entry`.

## Done

- [x] Picked a topic and booked a slot at the team meeting #{EXAMPLE_GOAL_ID}

## Wins

- Started a journal of my goals.

## Feedback

## Lessons
"#
    )
}

/// `journal/YYYY/YYYY-MM-DD.md`, the year in four digits as in the file name (`0999`).
pub(crate) fn entry_path(date: Date) -> String {
    format!("{ENTRIES_FOLDER}/{:04}/{date}.md", date.year())
}

/// What `new goal` was asked for.
#[derive(Debug, Clone, Default)]
pub(crate) struct NewGoal {
    pub(crate) title: String,
    pub(crate) due: Option<Date>,
    pub(crate) area: Option<String>,
    pub(crate) parent: Option<String>,
    /// The goal's id; `None` to make it from the title.
    pub(crate) id: Option<String>,
}

/// The file of a new goal: `goals/<slug of the title>.md` (a long slug cut as report
/// names are, see [`crate::paths::report_file_stem`]), from the template
/// `new-goal.md`. The title must make an id no goal of `journal` has, and the parent, if
/// any, must be a goal of `journal`.
pub(crate) fn new_goal(
    journal: &Journal,
    templates: &Path,
    goal: &NewGoal,
    today: Date,
) -> Result<NewFile, Error> {
    let id = match &goal.id {
        Some(id) if crate::slug::slugify(id) == *id => id.clone(),
        Some(id) => {
            return Err(Error::Argument(format!(
                "--id `{id}` is not an id: use lowercase letters, digits and single dashes, \
                 like `{}`",
                crate::slug::slugify(id)
            )));
        }
        None => crate::slug::slugify(&goal.title),
    };
    if id.is_empty() {
        return Err(Error::Argument(format!(
            "the title `{}` has no letters or digits to make the goal's id and file name from",
            goal.title
        )));
    }
    if let Some(parent) = &goal.parent
        && !journal.goals.iter().any(|known| &known.id == parent)
    {
        return Err(Error::Argument(unknown_parent(journal, parent)));
    }
    // Named as the goal's reports are: a long id is cut (file systems allow 255 bytes a
    // name), a device name of Windows gets a `_`. The id comes from the title inside.
    let path = format!("{GOALS_FOLDER}/{}.md", crate::paths::report_file_stem(&id));
    // A goal in the very file to be made is left to `create`, which names the file.
    if let Some(same) = journal
        .goals
        .iter()
        .find(|known| known.id == id && known.file != path)
    {
        return Err(Error::Argument(format!(
            "the goal `{}` in {}:{} already has the id `{id}`; give the new goal another title, or an --id",
            same.declared.title, same.file, same.declared.position.line
        )));
    }
    let content = render(
        templates,
        NEW_GOAL_TEMPLATE,
        context! {
            title => &goal.title,
            id => &id,
            due => goal.due.map(|date| date.to_string()),
            area => &goal.area,
            parent => &goal.parent,
            today => today.to_string(),
        },
    )?;
    Ok(NewFile {
        path,
        content,
        purpose: "a new goal",
    })
}

/// The message for a `--parent` that names no goal: the closest id, and where ids come
/// from.
fn unknown_parent(journal: &Journal, parent: &str) -> String {
    let mut message = format!("--parent `{parent}` is no goal of this journal");
    let closest =
        crate::model::closest_id(parent, journal.goals.iter().map(|goal| goal.id.as_str()));
    match closest {
        Some(id) => message.push_str(&format!("; did you mean `{id}`?")),
        None if journal.goals.is_empty() => message.push_str("; the journal has no goals yet"),
        None => {
            let mut ids: Vec<&str> = journal.goals.iter().map(|goal| goal.id.as_str()).collect();
            ids.sort_unstable();
            let shown = ids.len().min(10);
            message.push_str(&format!("; goal ids: {}", ids[..shown].join(", ")));
            if ids.len() > shown {
                message.push_str(", …");
            }
        }
    }
    message.push_str(
        " (a goal's id is its `id:`, or else its title in lowercase with dashes; \
         `trailmark status --json` lists them)",
    );
    message
}

/// The file of a new dated entry: `journal/YYYY/YYYY-MM-DD.md`, from the template
/// `new-entry.md`.
pub(crate) fn new_entry(templates: &Path, date: Date) -> Result<NewFile, Error> {
    let content = render(
        templates,
        NEW_ENTRY_TEMPLATE,
        context! { date => date.to_string(), year => date.year() },
    )?;
    Ok(NewFile {
        path: entry_path(date),
        content,
        purpose: "a new entry",
    })
}

/// Renders the template `name`, from the journal's templates `folder` if it has its own,
/// else the embedded one.
fn render(folder: &Path, name: &str, values: minijinja::Value) -> Result<String, Error> {
    let template_error = |error: minijinja::Error| Error::Template {
        name: name.to_string(),
        message: templates::describe(&error),
    };
    let source = templates::source(Some(folder), name, Purpose::New)
        .map_err(|unreadable| Error::Template {
            name: unreadable.path.display().to_string(),
            message: unreadable.refused.to_string(),
        })?
        .expect("every template of `new` is shipped");
    // The file ends with a newline when the template does.
    let mut env = templates::environment(Purpose::New);
    env.add_filter("yaml", yaml_string);
    env.add_template_owned(name.to_string(), source)
        .map_err(template_error)?;
    let template = env.get_template(name).map_err(template_error)?;
    template.render(values).map_err(template_error)
}

/// Text as a YAML value that reads back as exactly that text: as written when that is
/// safe (`Learn SQL`), else double-quoted (`"Learn: SQL"`, `"2026"`, `"yes"`). JSON's
/// string syntax is YAML's double-quoted one.
fn yaml_string(text: &str) -> String {
    let plain = text.chars().next().is_some_and(char::is_alphabetic)
        && !text.ends_with(' ')
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || " -_.,()'/&!?+".contains(c))
        && !text.contains(" -")
        && ![
            "y", "n", "yes", "no", "true", "false", "on", "off", "null", "nan", "inf",
        ]
        .contains(&text.to_lowercase().as_str());
    if plain {
        text.to_string()
    } else {
        serde_json::to_string(text).expect("a string always serializes")
    }
}

/// Adds `files` to the journal at `root` (made if missing), or none of them when one
/// already exists. Returns their paths.
pub(crate) fn create_all(root: &Path, files: &[NewFile]) -> Result<Vec<PathBuf>, Error> {
    if root.exists() && !root.is_dir() {
        return Err(Error::journal(root, "is not a folder"));
    }
    let paths: Vec<PathBuf> = files
        .iter()
        .map(|file| in_journal(root, &file.path))
        .collect();
    // `symlink_metadata`: a dangling symlink is a file that exists too.
    if let Some(taken) = paths.iter().find(|path| path.symlink_metadata().is_ok()) {
        return Err(already_exists(taken));
    }
    for (file, path) in files.iter().zip(&paths) {
        create_file(path, &file.content)?;
    }
    Ok(paths)
}

/// The path of `relative` in the journal at `root`, as a person would write it: without
/// a leading `./`.
fn in_journal(root: &Path, relative: &str) -> PathBuf {
    if root == Path::new(".") {
        PathBuf::from(relative)
    } else {
        root.join(relative)
    }
}

/// The entry of `date` in the journal at `root`, if there is one already.
pub(crate) fn existing_entry(root: &Path, date: Date) -> Option<PathBuf> {
    let path = in_journal(root, &entry_path(date));
    path.symlink_metadata().is_ok().then_some(path)
}

/// Fails unless the folder `root` looks like a journal, so that `new` run in the wrong
/// folder (a home folder, a code repository) does not scatter goals there: it has a
/// `trailmark.toml`, a `goals/` or `journal/` folder, an Obsidian or Logseq folder, or a
/// markdown file at its top.
pub(crate) fn looks_like_journal(root: &Path) -> Result<(), Error> {
    let signs = [
        crate::config::CONFIG_FILE,
        GOALS_FOLDER,
        ENTRIES_FOLDER,
        ".obsidian",
        "logseq",
    ];
    let markdown_at_top = || {
        std::fs::read_dir(root).is_ok_and(|entries| {
            entries.filter_map(Result::ok).any(|entry| {
                let name = entry.file_name().to_string_lossy().to_lowercase();
                (name.ends_with(".md") || name.ends_with(".markdown"))
                    && entry.file_type().is_ok_and(|kind| kind.is_file())
            })
        })
    };
    if signs.iter().any(|sign| root.join(sign).exists()) || markdown_at_top() {
        return Ok(());
    }
    Err(Error::journal(
        root,
        "does not look like a journal (no trailmark.toml, no goals/ or journal/ folder, no \
         markdown file); start one with `trailmark init`, or add the file anyway with --force",
    ))
}

/// Fails unless `root` is a folder, for commands that add to a journal.
pub(crate) fn existing_journal(root: &Path) -> Result<(), Error> {
    match root.metadata() {
        Ok(metadata) if metadata.is_dir() => Ok(()),
        Ok(_) => Err(Error::journal(root, "is not a folder")),
        Err(_) => Err(Error::missing_journal(root)),
    }
}

/// Adds `file` to the existing journal at `root`. Returns its path.
pub(crate) fn create(root: &Path, file: &NewFile) -> Result<PathBuf, Error> {
    existing_journal(root)?;
    let path = in_journal(root, &file.path);
    if path.symlink_metadata().is_ok() {
        return Err(already_exists(&path));
    }
    create_file(&path, &file.content)?;
    Ok(path)
}

fn already_exists(path: &Path) -> Error {
    Error::Create {
        path: path.to_path_buf(),
        message: "it already exists, and trailmark never overwrites a file; nothing was written"
            .to_string(),
    }
}

/// Writes a new file at `path` (and its folders), failing if a file of that name exists.
fn create_file(path: &Path, content: &str) -> Result<(), Error> {
    let folder = path
        .parent()
        .expect("a journal file's path has the journal as a parent");
    let write_error = |source: std::io::Error| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(folder).map_err(write_error)?;
    let mut temp = tempfile::NamedTempFile::new_in(folder).map_err(write_error)?;
    temp.write_all(content.as_bytes()).map_err(write_error)?;
    match temp.persist_noclobber(path) {
        Ok(_) => Ok(()),
        Err(error) if error.error.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(already_exists(path))
        }
        Err(error) => Err(write_error(error.error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{day, journal};

    #[test]
    fn a_new_journal_has_no_problems_and_one_goal_in_progress() {
        let files = init_files(day("2026-03-02"));
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "trailmark.toml",
                ".gitignore",
                "goals/team-talk.md",
                "journal/2026/2026-03-02.md"
            ]
        );
        let journal = journal(
            &files
                .iter()
                .filter(|f| f.path.ends_with(".md"))
                .map(|f| (f.path.as_str(), f.content.as_str()))
                .collect::<Vec<_>>(),
        );
        assert!(journal.all_diagnostics().is_empty());
        let report = crate::analyse::analyse(
            &journal,
            &Default::default(),
            day("2026-03-02"),
            &Default::default(),
        );
        assert_eq!(report.goals.len(), 1);
        let goal = &report.goals[0];
        assert_eq!((goal.done, goal.total), (1, 5));
        assert!(crate::check::smart_hints(&report).is_empty());
    }

    #[test]
    fn the_settings_file_names_the_templates_of_new() {
        let settings = crate::config::commented_defaults();
        let names = format!("{NEW_GOAL_TEMPLATE} and {NEW_ENTRY_TEMPLATE}");
        assert!(settings.contains(&names), "{names} in\n{settings}");
    }

    #[test]
    fn yaml_values_read_back_as_the_same_text() {
        for title in [
            "Learn SQL",
            "Learn: SQL",
            "SQL #1",
            "- dash",
            "yes",
            "No",
            "2026",
            "1e5",
            "{a}",
            "[a]",
            "a: b # c",
            "Führung & Délégation",
            "quote \" and \\ backslash",
            "'single'",
            "a - b",
            "*alias",
            "&anchor",
            "!tag",
            "%directive",
            "@at",
            "`tick`",
            "| block",
            "> folded",
            "~ tilde",
            "line\nbreak",
        ] {
            let text = format!("---\ngoal: {}\n---\n", yaml_string(title));
            let journal = journal(&[("g.md", &text)]);
            assert!(journal.all_diagnostics().is_empty(), "{title:?}: {text}");
            assert_eq!(journal.goals.len(), 1, "{title:?}");
            assert_eq!(journal.goals[0].declared.title, title, "{title:?}: {text}");
        }
        assert_eq!(yaml_string("Learn SQL"), "Learn SQL");
    }

    #[test]
    fn a_new_goal_from_the_default_template_is_the_goal_asked_for() {
        let known = journal(&[("v.md", "---\ngoal: Vision\nid: vision\n---\n")]);
        let none = Path::new("no-templates-here");
        let goal = NewGoal {
            title: "Learn: SQL".to_string(),
            due: Some(day("2026-12-31")),
            area: Some("skills".to_string()),
            parent: Some("vision".to_string()),
            id: None,
        };
        let file = new_goal(&known, none, &goal, day("2026-03-02")).unwrap();
        assert_eq!(file.path, "goals/learn-sql.md");
        let parsed = journal(&[
            ("v.md", "---\ngoal: Vision\nid: vision\n---\n"),
            (&file.path, &file.content),
        ]);
        assert!(parsed.all_diagnostics().is_empty(), "{}", file.content);
        let made = parsed
            .goals
            .iter()
            .find(|goal| goal.file == file.path)
            .unwrap();
        assert_eq!(made.id, "learn-sql");
        // Written down, so that a new title keeps the id its #tags name.
        assert!(
            file.content.contains("\nid: learn-sql\n"),
            "{}",
            file.content
        );
        assert_eq!(made.declared.title, "Learn: SQL");
        assert_eq!(made.declared.due, Some(day("2026-12-31")));
        assert_eq!(made.declared.start, Some(day("2026-03-02")));
        assert_eq!(made.declared.area.as_deref(), Some("skills"));
        assert_eq!(parsed.goals[made.parent.unwrap()].id, "vision");
        // The example tasks in the template's comment are not milestones.
        assert!(parsed.documents[1].milestones.is_empty());

        let bare = new_goal(
            &known,
            none,
            &NewGoal {
                title: "Run".to_string(),
                ..NewGoal::default()
            },
            day("2026-03-02"),
        )
        .unwrap();
        assert!(
            bare.content.contains("# due: YYYY-MM-DD"),
            "{}",
            bare.content
        );
        assert!(!bare.content.contains("\n\n\n"), "{}", bare.content);
        assert!(bare.content.ends_with("-->\n"), "{}", bare.content);
    }

    #[test]
    fn a_new_goal_needs_a_known_parent_a_free_id_and_a_title_with_letters() {
        let known = journal(&[("v.md", "---\ngoal: Vision\nid: vision\n---\n")]);
        let none = Path::new("no-templates-here");
        let today = day("2026-03-02");
        let with = |title: &str, parent: Option<&str>| NewGoal {
            title: title.to_string(),
            parent: parent.map(str::to_string),
            ..NewGoal::default()
        };
        let error = new_goal(&known, none, &with("Step", Some("visoin")), today).unwrap_err();
        assert!(
            error.to_string().contains("did you mean `vision`?"),
            "{error}"
        );
        let error = new_goal(&known, none, &with("Vision", None), today).unwrap_err();
        assert!(error.to_string().contains("v.md:2"), "{error}");
        let error = new_goal(&known, none, &with("!!!", None), today).unwrap_err();
        assert!(
            error.to_string().contains("no letters or digits"),
            "{error}"
        );
    }

    #[test]
    fn a_new_entry_is_dated_by_its_path_and_its_front_matter() {
        let file = new_entry(Path::new("no-templates-here"), day("2026-03-02")).unwrap();
        assert_eq!(file.path, "journal/2026/2026-03-02.md");
        let parsed = journal(&[(&file.path, &file.content)]);
        assert!(parsed.all_diagnostics().is_empty());
        assert_eq!(parsed.documents[0].date, Some(day("2026-03-02")));
        assert!(parsed.documents[0].milestones.is_empty());
    }

    #[test]
    fn creating_refuses_any_existing_file_and_then_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("new");
        let files = init_files(day("2026-03-02"));
        std::fs::create_dir_all(root.join("goals")).unwrap();
        std::fs::write(root.join("goals/team-talk.md"), "mine").unwrap();
        let error = create_all(&root, &files).unwrap_err();
        assert!(error.to_string().contains("team-talk.md"), "{error}");
        assert!(!root.join("trailmark.toml").exists());
        assert_eq!(
            std::fs::read_to_string(root.join("goals/team-talk.md")).unwrap(),
            "mine"
        );
        std::fs::remove_file(root.join("goals/team-talk.md")).unwrap();
        let created = create_all(&root, &files).unwrap();
        assert_eq!(created.len(), files.len());
        // Only the files themselves: no temp file is left beside them.
        let names: Vec<_> = std::fs::read_dir(root.join("goals"))
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(names, ["team-talk.md"]);
    }
}
