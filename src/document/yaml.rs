//! YAML as front-matter needs it: a tree of values with the place of each, parsed within
//! budgets that stop alias bombs and huge blocks early.
//!
//! Most front-matter is a few plain `key: value` lines; `plain` reads those itself, and
//! only other blocks go through the full YAML parser.

mod plain;

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// Where a node starts in the block: 1-based line and column, as the YAML parser counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Place {
    pub(crate) line: u32,
    pub(crate) column: u32,
}

impl Place {
    fn of(location: &serde_saphyr::Location) -> Place {
        let saturated = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
        Place {
            line: saturated(location.line()),
            column: saturated(location.column()),
        }
    }
}

/// A value and where it was written.
#[derive(Debug, PartialEq)]
pub(super) struct Spanned<T> {
    pub(crate) value: T,
    pub(crate) referenced: Place,
}

/// A YAML value with the position of every node, so that each field's problem can be
/// pointed at exactly while the rest of the block is still used.
#[derive(Debug, PartialEq)]
pub(super) enum Node {
    Null,
    Bool(bool),
    Number(f64),
    Text(String),
    List(Vec<Spanned<Node>>),
    Map(Vec<(Spanned<String>, Spanned<Node>)>),
}

impl Node {
    /// What the value is, in words for a message ("found a list").
    pub(super) fn kind(&self) -> &'static str {
        match self {
            Node::Null => "nothing",
            Node::Bool(_) => "a true/false value",
            Node::Number(_) => "a number",
            Node::Text(_) => "text",
            Node::List(_) => "a list",
            Node::Map(_) => "a mapping",
        }
    }
}

/// A node as the YAML parser gives it, with the parser's own locations.
enum ParsedNode {
    Null,
    Bool(bool),
    Number(f64),
    Text(String),
    List(Vec<serde_saphyr::Spanned<ParsedNode>>),
    Map(
        Vec<(
            serde_saphyr::Spanned<String>,
            serde_saphyr::Spanned<ParsedNode>,
        )>,
    ),
}

fn from_parsed(parsed: serde_saphyr::Spanned<ParsedNode>) -> Spanned<Node> {
    let value = match parsed.value {
        ParsedNode::Null => Node::Null,
        ParsedNode::Bool(b) => Node::Bool(b),
        ParsedNode::Number(n) => Node::Number(n),
        ParsedNode::Text(text) => Node::Text(text),
        ParsedNode::List(items) => Node::List(items.into_iter().map(from_parsed).collect()),
        ParsedNode::Map(entries) => Node::Map(
            entries
                .into_iter()
                .map(|(key, value)| {
                    let key = Spanned {
                        referenced: Place::of(&key.referenced),
                        value: key.value,
                    };
                    (key, from_parsed(value))
                })
                .collect(),
        ),
    };
    Spanned {
        value,
        referenced: Place::of(&parsed.referenced),
    }
}

impl<'de> Deserialize<'de> for ParsedNode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = ParsedNode;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_unit<E>(self) -> Result<ParsedNode, E> {
        Ok(ParsedNode::Null)
    }
    fn visit_none<E>(self) -> Result<ParsedNode, E> {
        Ok(ParsedNode::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<ParsedNode, E> {
        Ok(ParsedNode::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<ParsedNode, E> {
        Ok(ParsedNode::Number(v as f64))
    }
    fn visit_u64<E>(self, v: u64) -> Result<ParsedNode, E> {
        Ok(ParsedNode::Number(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<ParsedNode, E> {
        Ok(ParsedNode::Number(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<ParsedNode, E> {
        Ok(ParsedNode::Text(v.to_string()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ParsedNode, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(ParsedNode::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ParsedNode, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(ParsedNode::Map(entries))
    }
}

/// Front-matter nested deeper than this is refused. Parsing recurses once a level, on
/// threads with 2 MB stacks; 32 levels leave room to spare even in debug builds.
const MAX_DEPTH: usize = 32;

/// Front-matter with more values than this (an alias counts as all it expands to), more
/// aliases or more parser events is refused.
const MAX_NODES: usize = 50_000;
const MAX_ALIASES: usize = 1_000;
const MAX_EVENTS: usize = 100_000;

/// The error under serde-saphyr's wrappers for errors met while expanding an alias.
fn innermost(mut error: &serde_saphyr::Error) -> &serde_saphyr::Error {
    while let serde_saphyr::Error::AliasError { error: inner, .. }
    | serde_saphyr::Error::WithSnippet { error: inner, .. } = error
    {
        error = inner;
    }
    error
}

/// Why a front-matter block over the budget is refused, and what to do.
fn over_budget(breach: &serde_saphyr::budget::BudgetBreach) -> String {
    use serde_saphyr::budget::BudgetBreach;
    match breach {
        BudgetBreach::Depth { .. } => format!(
            "front-matter is nested more than {MAX_DEPTH} levels deep, past trailmark's limit; \
             flatten it (the file's body is still read)"
        ),
        _ => format!(
            "front-matter is too large: over trailmark's limit of {MAX_NODES} values, \
             {MAX_ALIASES} aliases or {MAX_EVENTS} YAML events (aliases count as every value they repeat, so a \
             \"billion laughs\" block stops here); shorten it (the file's body is still read)"
        ),
    }
}

/// Why a block cannot be read, in words for its diagnostic, and where in the block.
pub(super) struct Invalid {
    pub(crate) message: String,
    pub(crate) location: Option<Place>,
}

/// Parses `yaml` into nodes, within trailmark's budgets.
pub(super) fn parse(yaml: &str) -> Result<Spanned<Node>, Invalid> {
    match plain::parse(yaml) {
        Some(root) => Ok(root),
        None => parse_in_full(yaml),
    }
}

/// Parses `yaml` with the full YAML parser.
fn parse_in_full(yaml: &str) -> Result<Spanned<Node>, Invalid> {
    // Front-matter is a few dozen keys; budgets far below the library's defaults make
    // alias bombs and huge blocks fail fast instead of costing seconds.
    let options = serde_saphyr::options! {
        with_snippet: false,
        budget: serde_saphyr::budget! {
            max_events: MAX_EVENTS,
            max_aliases: MAX_ALIASES,
            max_anchors: 1_000,
            max_nodes: MAX_NODES,
            max_depth: MAX_DEPTH,
        },
    };
    serde_saphyr::from_str_with_options(yaml, options)
        .map(from_parsed)
        .map_err(|error| Invalid {
            message: match innermost(&error) {
                serde_saphyr::Error::Budget { breach, .. } => over_budget(breach),
                _ => format!(
                    "front-matter is not valid YAML: {}",
                    serde_saphyr::MessageFormatter::format_message(
                        &serde_saphyr::UserMessageFormatter,
                        &error,
                    )
                ),
            },
            location: error.location().as_ref().map(Place::of),
        })
}
