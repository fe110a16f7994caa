//! The YAML front-matter block: finding it, parsing it, and reading goals, the entry date
//! and logged metrics out of it.
//!
//! Over 500 lines with its tests: one reader of one YAML block, whose key readers share
//! its positions and diagnostics; cadences and check-ins are in `cadence`.

mod cadence;

use super::text::LineIndex;
use super::yaml::{self, Node, Place, Spanned};
use super::{CheckinDecl, GoalDecl, GoalStatus, Horizon, Located, Metric, MetricLog, Share};
use crate::dates::Date;
use crate::diagnostic::{Diagnostic, Position};

/// Where the front-matter block is in the text.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Split {
    /// No block: the whole text is the body.
    None,
    /// A block whose YAML is `text[yaml]` and whose body starts at `body_start`.
    Block {
        yaml: std::ops::Range<usize>,
        body_start: usize,
    },
    /// An opening `---` line without a closing one.
    Unclosed,
}

/// Splits the front-matter off at byte 0: a first line `---`, then YAML, then a line `---`
/// or `...`. Trailing spaces on the fence lines are allowed; any line ending is.
pub(super) fn split(text: &str) -> Split {
    let mut lines = lines_with_offsets(text);
    match lines.next() {
        Some((_, first)) if first.trim_end() == "---" => {}
        _ => return Split::None,
    }
    let yaml_start = lines.clone().next().map_or(text.len(), |(at, _)| at);
    for (at, line) in lines {
        let fence = line.trim_end();
        if fence == "---" || fence == "..." {
            let body_start = at + line.len();
            return Split::Block {
                yaml: yaml_start..at,
                body_start,
            };
        }
    }
    Split::Unclosed
}

/// Whether the line after a first line `---` is a `key:` line, as front-matter starts. Only
/// then was an unclosed block meant as front-matter; otherwise the `---` is a thematic
/// break (CommonMark), as notes often start.
pub(super) fn starts_like_front_matter(text: &str) -> bool {
    lines_with_offsets(text).nth(1).is_some_and(|(_, line)| {
        line.split_once(':').is_some_and(|(key, rest)| {
            !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
                && (rest.is_empty() || rest.starts_with([' ', '\t', '\r', '\n']))
        })
    })
}

/// Lines with their byte offsets; each line keeps its terminator (`\n`, `\r\n` or `\r`).
fn lines_with_offsets(text: &str) -> impl Iterator<Item = (usize, &str)> + Clone {
    let mut at = 0;
    std::iter::from_fn(move || {
        if at >= text.len() {
            return None;
        }
        let rest = &text[at..];
        let end = memchr::memchr2(b'\n', b'\r', rest.as_bytes()).map_or(rest.len(), |i| {
            if rest[i..].starts_with("\r\n") {
                i + 2
            } else {
                i + 1
            }
        });
        let line = (at, &rest[..end]);
        at += end;
        Some(line)
    })
}

/// What the front-matter says about its document.
#[derive(Debug, Default)]
pub(super) struct FrontMatter {
    pub(crate) title: Option<String>,
    pub(crate) date: Option<Date>,
    pub(crate) goals: Vec<GoalDecl>,
    pub(crate) metrics: Vec<MetricLog>,
    pub(crate) checkins: Vec<CheckinDecl>,
    pub(crate) share: Option<Share>,
}

/// Parses the YAML at `text[yaml]` and reads what trailmark understands from it. Problems
/// are pushed to `diagnostics`, positioned in the file (not in the block).
pub(super) fn read(
    text: &str,
    yaml: std::ops::Range<usize>,
    lines: &LineIndex,
    file: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> FrontMatter {
    let reader = Reader {
        file,
        first_line: lines.line_of(yaml.start),
        diagnostics,
    };
    reader.read(&text[yaml])
}

/// The fields a goal may have, for the "unknown field" message (and the editor's
/// completion of front-matter keys).
pub(crate) const GOAL_FIELDS: [&str; 14] = [
    "title", "id", "due", "start", "area", "why", "horizon", "parent", "status", "tags", "metric",
    "cadence", "pauses", "share",
];

/// Where a goal's keys are written, which decides what an unknown key is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum GoalKeys {
    /// At the top level of a file (`goal: title`), where other keys belong to the
    /// document or to note apps and are left alone.
    AmongOthers,
    /// In a mapping of its own (`goal: {title: ...}`, an item of `goals:`), where every
    /// key is a goal field, so an unknown one is reported: it is usually a typo.
    OwnMapping,
}

struct Reader<'a> {
    file: &'a str,
    /// The file line the YAML block starts on: YAML positions count from the block.
    first_line: u32,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl Reader<'_> {
    fn read(mut self, yaml: &str) -> FrontMatter {
        let root = match yaml::parse(yaml) {
            Ok(root) => root,
            Err(invalid) => {
                let position = invalid
                    .location
                    .map(|l| self.position(&l))
                    .unwrap_or(Position::new(self.first_line, 1));
                self.error(position, invalid.message);
                return FrontMatter::default();
            }
        };
        let entries = match root.value {
            Node::Map(entries) => entries,
            Node::Null => return FrontMatter::default(),
            other => {
                let position = self.position(&root.referenced);
                self.error(
                    position,
                    format!(
                        "front-matter must be a mapping of `key: value` lines, found {}",
                        other.kind()
                    ),
                );
                return FrontMatter::default();
            }
        };
        self.read_mapping(&entries)
    }

    fn read_mapping(&mut self, entries: &[(Spanned<String>, Spanned<Node>)]) -> FrontMatter {
        let mut front = FrontMatter::default();
        for (key, value) in entries {
            match key.value.as_str() {
                "title" => front.title = self.text(value),
                "date" => front.date = self.date(value),
                "metrics" => front.metrics = self.metric_logs(value),
                "checkins" => front.checkins = self.checkins(value),
                "share" => front.share = self.share(value),
                "goal" => match &value.value {
                    Node::Text(title) if !title.trim().is_empty() => {
                        let at = self.position(&key.referenced);
                        let mut goal = GoalDecl::new(title.trim(), at);
                        self.goal_fields(entries, &mut goal, GoalKeys::AmongOthers);
                        front.goals.push(goal);
                    }
                    Node::Map(fields) => front.goals.extend(self.goal_mapping(key, fields)),
                    _ => self.expected(
                        value,
                        "`goal:` takes the goal's title, or a mapping with `title:`",
                    ),
                },
                "goals" => match &value.value {
                    Node::List(items) => {
                        for item in items {
                            match &item.value {
                                Node::Map(fields) => {
                                    front.goals.extend(self.goal_mapping(item, fields))
                                }
                                _ => self.expected(
                                    item,
                                    "each item of `goals:` is a mapping with `title:`",
                                ),
                            }
                        }
                    }
                    _ => self.expected(
                        value,
                        "`goals:` takes a list of mappings, each with `title:`",
                    ),
                },
                _ => {}
            }
        }
        front
    }

    /// A goal written as a mapping (`goal: {title: ...}` or an item of `goals:`).
    fn goal_mapping(
        &mut self,
        at: &Spanned<impl Sized>,
        fields: &[(Spanned<String>, Spanned<Node>)],
    ) -> Option<GoalDecl> {
        let position = self.position(&at.referenced);
        let title = fields
            .iter()
            .find(|(key, _)| key.value == "title")
            .and_then(|(_, value)| self.text(value));
        let Some(title) = title else {
            self.error(position, "goal has no `title:`; every goal needs one");
            return None;
        };
        let mut goal = GoalDecl::new(&title, position);
        self.goal_fields(fields, &mut goal, GoalKeys::OwnMapping);
        Some(goal)
    }

    /// Reads the goal fields among `fields`; unknown keys are reported only in a goal's
    /// own mapping (see [`GoalKeys`]).
    fn goal_fields(
        &mut self,
        fields: &[(Spanned<String>, Spanned<Node>)],
        goal: &mut GoalDecl,
        keys: GoalKeys,
    ) {
        for (key, value) in fields {
            match key.value.as_str() {
                "id" => goal.id = self.located_text(value),
                "due" => goal.due = self.date(value),
                "start" => goal.start = self.date(value),
                "area" => goal.area = self.text(value),
                "why" => goal.why = self.text(value),
                "horizon" => goal.horizon = self.horizon(value),
                "parent" => goal.parent = self.located_text(value),
                "status" => goal.status = self.status(value).unwrap_or_default(),
                "tags" => goal.tags = self.tags(value),
                "metric" => goal.metric = self.metric(value),
                "cadence" => goal.cadence = self.cadence(value),
                "pauses" => goal.pauses = self.pauses(value),
                "share" => goal.share = self.share(value),
                "title" | "goal" => {}
                other if keys == GoalKeys::OwnMapping => {
                    let position = self.position(&key.referenced);
                    self.warning(
                        position,
                        format!(
                            "unknown goal field `{other}`; goal fields are: {}",
                            GOAL_FIELDS.join(", ")
                        ),
                    );
                }
                _ => {}
            }
        }
        if let (Some(start), Some(due)) = (goal.start, goal.due)
            && due < start
        {
            let position = goal.position;
            self.warning(
                position,
                format!(
                    "goal `{}` is due {due}, before it starts on {start}",
                    goal.title
                ),
            );
        }
    }

    fn text(&mut self, value: &Spanned<Node>) -> Option<String> {
        match &value.value {
            Node::Text(text) => Some(text.trim().to_string()),
            Node::Number(n) => Some(n.to_string()),
            Node::Null => None,
            _ => {
                self.expected(value, "expected text");
                None
            }
        }
    }

    fn located_text(&mut self, value: &Spanned<Node>) -> Option<Located<String>> {
        let position = self.position(&value.referenced);
        self.text(value)
            .filter(|text| !text.is_empty())
            .map(|value| Located { value, position })
    }

    fn date(&mut self, value: &Spanned<Node>) -> Option<Date> {
        match &value.value {
            Node::Text(text) => match Date::parse(text) {
                Ok(date) => Some(date),
                Err(error) => {
                    let position = self.position(&value.referenced);
                    self.error(position, error.to_string());
                    None
                }
            },
            Node::Null => None,
            _ => {
                self.expected(value, "expected a date written as YYYY-MM-DD");
                None
            }
        }
    }

    fn number(&mut self, value: &Spanned<Node>, what: &str) -> Option<f64> {
        match &value.value {
            Node::Number(n) if n.is_finite() => Some(*n),
            _ => {
                self.expected(value, &format!("{what} must be a number"));
                None
            }
        }
    }

    fn horizon(&mut self, value: &Spanned<Node>) -> Option<Horizon> {
        match &value.value {
            Node::Text(text) if text == "short" => Some(Horizon::Short),
            Node::Text(text) if text == "long" => Some(Horizon::Long),
            Node::Null => None,
            _ => {
                self.expected(value, "`horizon` is `short` or `long`");
                None
            }
        }
    }

    fn status(&mut self, value: &Spanned<Node>) -> Option<GoalStatus> {
        let status = match &value.value {
            Node::Text(text) => match text.trim() {
                "active" => Some(GoalStatus::Active),
                "paused" => Some(GoalStatus::Paused),
                "done" => Some(GoalStatus::Done),
                "dropped" => Some(GoalStatus::Dropped),
                _ => None,
            },
            Node::Null => return None,
            _ => None,
        };
        if status.is_none() {
            self.expected(value, "`status` is one of active, paused, done, dropped");
        }
        status
    }

    /// `share: true`, `share: false`, `share: mentor` or `share: [mentor, manager]`.
    fn share(&mut self, value: &Spanned<Node>) -> Option<Share> {
        let share = match &value.value {
            Node::Bool(true) => Some(Share::Everyone),
            Node::Bool(false) => Some(Share::Nobody),
            Node::Text(names) => Share::with([names.as_str()]),
            Node::List(items) => {
                let names: Vec<String> = items.iter().filter_map(|item| self.text(item)).collect();
                Share::with(names.iter().map(String::as_str))
            }
            _ => None,
        };
        if share.is_none() {
            self.expected(
                value,
                "`share` is true, false, or the audiences: `share: [mentor, manager]`",
            );
        }
        share
    }

    /// `tags: [a, b]`, or a single tag as text, as note apps accept both.
    fn tags(&mut self, value: &Spanned<Node>) -> Vec<String> {
        match &value.value {
            Node::Text(text) => vec![text.trim().trim_start_matches('#').to_string()],
            Node::Null => Vec::new(),
            Node::List(items) => items
                .iter()
                .filter_map(|item| self.text(item))
                .map(|tag| tag.trim_start_matches('#').to_string())
                .collect(),
            _ => {
                self.expected(value, "`tags` is a list of text, like [career, sql]");
                Vec::new()
            }
        }
    }

    fn metric(&mut self, value: &Spanned<Node>) -> Option<Metric> {
        let Node::Map(fields) = &value.value else {
            self.expected(value, "`metric` is a mapping like {unit: talks, target: 4}");
            return None;
        };
        let mut metric = Metric {
            unit: None,
            target: None,
            baseline: 0.0,
        };
        for (key, field) in fields {
            match key.value.as_str() {
                "unit" => metric.unit = self.text(field),
                "target" => metric.target = self.number(field, "`target`"),
                "baseline" => metric.baseline = self.number(field, "`baseline`").unwrap_or(0.0),
                other => {
                    let position = self.position(&key.referenced);
                    self.warning(
                        position,
                        format!("unknown metric field `{other}`; metric fields are: unit, target, baseline"),
                    );
                }
            }
        }
        let position = self.position(&value.referenced);
        match metric.target {
            None => {
                self.error(position, "`metric` needs a numeric `target`");
                None
            }
            Some(target) if target == metric.baseline => {
                self.error(
                    position,
                    "`metric` target equals its baseline; progress cannot be measured",
                );
                None
            }
            Some(_) => Some(metric),
        }
    }

    /// `metrics: {goal-id: value}` in an entry: values logged for measurable goals.
    fn metric_logs(&mut self, value: &Spanned<Node>) -> Vec<MetricLog> {
        let Node::Map(entries) = &value.value else {
            self.expected(
                value,
                "`metrics` is a mapping of goal id to number, like {talks-given: 2}",
            );
            return Vec::new();
        };
        entries
            .iter()
            .filter_map(|(key, value)| {
                let number =
                    self.number(value, &format!("the value logged for `{}`", key.value))?;
                Some(MetricLog {
                    goal: key.value.trim().to_lowercase(),
                    value: number,
                    position: self.position(&key.referenced),
                })
            })
            .collect()
    }

    fn expected(&mut self, value: &Spanned<Node>, what: &str) {
        let position = self.position(&value.referenced);
        let found = value.value.kind();
        self.error(position, format!("{what}; found {found}"));
    }

    fn position(&self, place: &Place) -> Position {
        Position::new(
            self.first_line.saturating_add(place.line.max(1) - 1),
            place.column.max(1),
        )
    }

    fn error(&mut self, position: Position, message: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::error(self.file, Some(position), message));
    }

    fn warning(&mut self, position: Position, message: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::warning(self.file, Some(position), message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(text: &str) -> Option<(&str, &str)> {
        match split(text) {
            Split::Block { yaml, body_start } => Some((&text[yaml], &text[body_start..])),
            _ => None,
        }
    }

    #[test]
    fn splits_a_block_at_the_start() {
        assert_eq!(block("---\na: 1\n---\nbody\n"), Some(("a: 1\n", "body\n")));
        assert_eq!(
            block("---\r\na: 1\r\n---\r\nbody"),
            Some(("a: 1\r\n", "body"))
        );
        assert_eq!(block("---  \na: 1\n...\nbody"), Some(("a: 1\n", "body")));
        assert_eq!(block("---\n---\nbody"), Some(("", "body")));
        assert_eq!(block("---\na: 1\n---"), Some(("a: 1\n", "")));
    }

    #[test]
    fn finds_no_block_elsewhere() {
        assert_eq!(split("text\n---\na: 1\n---\n"), Split::None);
        assert_eq!(split(" ---\na: 1\n---\n"), Split::None);
        assert_eq!(split("----\na: 1\n---\n"), Split::None);
        assert_eq!(split(""), Split::None);
    }

    #[test]
    fn reports_an_unclosed_block() {
        assert_eq!(split("---\na: 1\nbody\n"), Split::Unclosed);
        assert_eq!(split("---"), Split::Unclosed);
    }

    pub(super) fn read_text(text: &str) -> (FrontMatter, Vec<Diagnostic>) {
        let Split::Block { yaml, .. } = split(text) else {
            panic!("test text has a front-matter block");
        };
        let lines = LineIndex::new(text);
        let mut diagnostics = Vec::new();
        let front = read(text, yaml, &lines, "f.md", &mut diagnostics);
        (front, diagnostics)
    }

    #[test]
    fn reads_a_single_goal_from_top_level_keys() {
        let (front, diagnostics) = read_text(
            "---\ngoal: Learn SQL\nid: sql\ndue: 2026-06-30\nstart: 2026-01-01\narea: data\n\
             why: analytics\nhorizon: short\nparent: vision\nstatus: paused\ntags: [a, '#b']\n\
             metric: {unit: queries, target: 10, baseline: 2}\n---\n",
        );
        assert_eq!(diagnostics, vec![]);
        let goal = &front.goals[0];
        assert_eq!(goal.title, "Learn SQL");
        assert_eq!(goal.position, Position::new(2, 1));
        assert_eq!(goal.id.as_ref().unwrap().value, "sql");
        assert_eq!(goal.due, Date::from_ymd(2026, 6, 30));
        assert_eq!(goal.start, Date::from_ymd(2026, 1, 1));
        assert_eq!(goal.area.as_deref(), Some("data"));
        assert_eq!(goal.why.as_deref(), Some("analytics"));
        assert_eq!(goal.horizon, Some(Horizon::Short));
        assert_eq!(goal.parent.as_ref().unwrap().value, "vision");
        assert_eq!(goal.status, GoalStatus::Paused);
        assert_eq!(goal.tags, vec!["a", "b"]);
        let metric = goal.metric.as_ref().unwrap();
        assert_eq!(
            (metric.unit.as_deref(), metric.target, metric.baseline),
            (Some("queries"), Some(10.0), 2.0)
        );
    }

    #[test]
    fn reads_who_a_goal_and_a_file_are_shared_with() {
        let (front, diagnostics) = read_text(
            "---\ngoal: Learn SQL\nshare: [Mentor, manager]\ngoals:\n  - {title: A, share: true}\n  \
             - {title: B, share: false}\n  - {title: C, share: mentor}\n  - {title: D, share: 3}\n---\n",
        );
        let shares: Vec<Option<Share>> = front.goals.iter().map(|g| g.share.clone()).collect();
        let both = Share::With(vec!["mentor".into(), "manager".into()]);
        assert_eq!(
            shares,
            [
                Some(both.clone()),
                Some(Share::Everyone),
                Some(Share::Nobody),
                Some(Share::With(vec!["mentor".into()])),
                None
            ]
        );
        assert_eq!(front.share, Some(both), "the file's own share");
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert!(diagnostics[0].message.contains("`share` is true, false"));
    }

    #[test]
    fn reads_several_goals_and_a_goal_mapping() {
        let (front, diagnostics) = read_text(
            "---\ngoals:\n  - title: A\n    due: 2026-01-01\n  - title: B\n    id: bee\n\
             goal:\n  title: C\n---\n",
        );
        assert_eq!(diagnostics, vec![]);
        let titles: Vec<_> = front.goals.iter().map(|g| g.title.as_str()).collect();
        assert_eq!(titles, ["A", "B", "C"]);
        assert_eq!(front.goals[0].position, Position::new(3, 5));
        assert_eq!(front.goals[1].id.as_ref().unwrap().value, "bee");
    }

    #[test]
    fn a_goal_mapping_without_title_is_an_error_and_others_survive() {
        let (front, diagnostics) =
            read_text("---\ngoals:\n  - due: 2026-01-01\n  - title: B\n---\n");
        assert_eq!(front.goals.len(), 1);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].position, Some(Position::new(3, 5)));
        assert!(diagnostics[0].message.contains("no `title:`"));
    }

    #[test]
    fn wrong_field_types_point_at_the_value_and_keep_the_goal() {
        let (front, diagnostics) = read_text(
            "---\ngoal: G\ndue: next week\nstart: 2026-02-30\ntags: 5\nmetric: {target: ten}\nstatus: someday\n---\n",
        );
        assert_eq!(front.goals.len(), 1);
        let found: Vec<_> = diagnostics
            .iter()
            .map(|d| (d.position.unwrap().line, d.position.unwrap().column))
            .collect();
        assert_eq!(found, [(3, 6), (4, 8), (5, 7), (6, 18), (6, 9), (7, 9)]);
        assert!(diagnostics[0].message.contains("YYYY-MM-DD"));
        assert!(diagnostics[1].message.contains("not a day of the calendar"));
        assert!(diagnostics[2].message.contains("found a number"));
        assert!(diagnostics[3].message.contains("must be a number"));
        assert!(diagnostics[4].message.contains("needs a numeric `target`"));
        assert!(
            diagnostics[5]
                .message
                .contains("active, paused, done, dropped")
        );
    }

    #[test]
    fn unknown_fields_are_warned_only_inside_goal_mappings() {
        let (_, diagnostics) = read_text("---\ngoal: G\naliases: [x]\n---\n");
        assert_eq!(diagnostics, vec![]);
        let (_, diagnostics) = read_text("---\ngoals:\n  - title: G\n    dua: 2026-01-01\n---\n");
        assert_eq!(diagnostics.len(), 1);
        assert!(diagnostics[0].message.contains("unknown goal field `dua`"));
        assert_eq!(diagnostics[0].position, Some(Position::new(4, 5)));
    }

    #[test]
    fn due_before_start_is_a_warning() {
        let (_, diagnostics) = read_text("---\ngoal: G\nstart: 2026-05-01\ndue: 2026-04-01\n---\n");
        assert_eq!(diagnostics.len(), 1);
        assert!(diagnostics[0].message.contains("before it starts"));
    }

    #[test]
    fn syntax_errors_are_positioned_in_the_file() {
        let (front, diagnostics) = read_text("---\ngoal: G\ndue: [2026\n---\n");
        assert!(front.goals.is_empty());
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].position.unwrap().line, 3);
        assert!(
            diagnostics[0]
                .message
                .starts_with("front-matter is not valid YAML")
        );
    }

    #[test]
    fn a_list_or_scalar_front_matter_is_an_error() {
        for text in ["---\n- a\n- b\n---\n", "---\njust text\n---\n"] {
            let (_, diagnostics) = read_text(text);
            assert_eq!(diagnostics.len(), 1, "{text}");
            assert!(diagnostics[0].message.contains("must be a mapping"));
            assert_eq!(diagnostics[0].position.unwrap().line, 2);
        }
    }

    #[test]
    fn entry_dates_with_times_as_jekyll_and_hugo_write_them() {
        for date in [
            "2013-05-06 02:12:52 +0200",
            "2013-05-06T02:12:52-08:00",
            "\"2013-05-06 02:12:52 -08:00\"",
            "2013-05-06t02:12:52z",
        ] {
            let (front, diagnostics) = read_text(&format!("---\ndate: {date}\n---\n"));
            assert_eq!(front.date, Date::from_ymd(2013, 5, 6), "{date}");
            assert!(diagnostics.is_empty(), "{date}: {diagnostics:?}");
        }
    }

    #[test]
    fn reads_entry_date_title_and_metrics() {
        let (front, diagnostics) = read_text(
            "---\ntitle: Week 3\ndate: 2026-01-19\nmetrics: {talks: 2, Posts: 1.5, bad: x}\n---\n",
        );
        assert_eq!(front.title.as_deref(), Some("Week 3"));
        assert_eq!(front.date, Date::from_ymd(2026, 1, 19));
        let logged: Vec<_> = front
            .metrics
            .iter()
            .map(|m| (m.goal.as_str(), m.value))
            .collect();
        assert_eq!(logged, [("talks", 2.0), ("posts", 1.5)]);
        assert_eq!(diagnostics.len(), 1);
    }

    #[test]
    fn alias_bombs_are_refused_by_the_budget() {
        let mut yaml = String::from("---\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = i - 1;
            yaml.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        yaml.push_str("goal: G\n---\n");
        let (front, diagnostics) = read_text(&yaml);
        assert!(front.goals.is_empty());
        assert_eq!(diagnostics.len(), 1);
        assert!(
            diagnostics[0].message.contains("front-matter is too large"),
            "{}",
            diagnostics[0].message
        );
    }

    #[test]
    fn deep_block_mappings_are_refused_within_a_worker_threads_stack() {
        // Files are parsed on rayon's threads, whose stacks are 2 MB; a 3,000-level mapping
        // once overflowed one in a debug build.
        let yaml: String = (0..3000)
            .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
            .collect();
        let text = format!("---\ngoal: G\n{yaml}---\n");
        let diagnostics = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || read_text(&text).1)
            .unwrap()
            .join()
            .expect("parsing deep front-matter must not overflow the stack");
        assert_eq!(diagnostics.len(), 1);
        assert!(
            diagnostics[0]
                .message
                .contains("nested more than 32 levels"),
            "{}",
            diagnostics[0].message
        );
        assert_eq!(diagnostics[0].position.unwrap().line, 35);
    }

    #[test]
    fn deep_nesting_is_refused() {
        let yaml = format!(
            "---
goal: G
x: {}{}
---
",
            "[".repeat(10_000),
            "]".repeat(10_000)
        );
        let (front, diagnostics) = read_text(&yaml);
        assert!(front.goals.is_empty());
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].position.unwrap().line, 3);
    }
}
