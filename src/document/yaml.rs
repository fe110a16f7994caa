//! YAML as front-matter needs it: a tree of values with the place of each, parsed within
//! budgets that stop alias bombs and huge blocks early.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

/// A YAML value with the position of every node, so that each field's problem can be
/// pointed at exactly while the rest of the block is still used.
#[derive(Debug)]
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

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Number(v as f64))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Number(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Number(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Text(v.to_string()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Node::Map(entries))
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
    pub(crate) location: Option<serde_saphyr::Location>,
}

/// Parses `yaml` into nodes, within trailmark's budgets.
pub(super) fn parse(yaml: &str) -> Result<Spanned<Node>, Invalid> {
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
    serde_saphyr::from_str_with_options(yaml, options).map_err(|error| Invalid {
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
        location: error.location(),
    })
}
