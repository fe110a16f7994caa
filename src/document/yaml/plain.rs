//! The common shape of front-matter read without the YAML parser: top-level `key: value`
//! lines, a key's mapping indented below it, and one-line mappings `{key: value, ...}`,
//! whose values are words or whole numbers. Anything else (quotes, lists, comments,
//! blank lines, tabs, non-ASCII text, words YAML reads as true, false or null...) is left
//! to the full parser, so every block read here gives exactly the parser's nodes and
//! places; the property test below holds the two to that.

use super::{Node, Place, Spanned};

/// Larger blocks go to the full parser, whose budgets then apply: this many bytes hold
/// far fewer values than the budget allows.
const MAX_BYTES: usize = 16 * 1024;

/// The nodes of `yaml` if it has the plain shape, or `None` for the full parser.
pub(super) fn parse(yaml: &str) -> Option<Spanned<Node>> {
    if yaml.len() > MAX_BYTES || !yaml.ends_with('\n') || !yaml.bytes().all(is_plain_byte) {
        return None;
    }
    let lines: Vec<&str> = yaml[..yaml.len() - 1].split('\n').collect();
    let mut entries = Vec::new();
    let mut at = 0;
    while at < lines.len() {
        let (key, rest) = key_and_rest(lines[at], 0, to_line(at))?;
        let value = if rest.is_empty() {
            let (nested, used) = nested_mapping(&lines[at + 1..], at + 1)?;
            at += used;
            nested
        } else {
            inline_value(rest, to_line(at), column_after(lines[at], rest))?
        };
        entries.push((key, value));
        at += 1;
    }
    let first = entries.first()?.0.referenced;
    mapping(entries, first)
}

/// Bytes a plain block may hold: none that starts quotes, comments, anchors, aliases,
/// tags, lists or block scalars, and no tab, carriage return or non-ASCII character.
fn is_plain_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric()
        || matches!(
            byte,
            b' ' | b'\n' | b':' | b'_' | b'-' | b'.' | b',' | b'{' | b'}'
        )
}

fn to_line(index: usize) -> u32 {
    u32::try_from(index + 1).unwrap_or(u32::MAX)
}

/// The 1-based column where `rest`, a tail of `line`, starts.
fn column_after(line: &str, rest: &str) -> u32 {
    u32::try_from(line.len() - rest.len() + 1).unwrap_or(u32::MAX)
}

/// `key: rest` or `key:` at `indent` spaces: the key and what follows `: ` (empty for
/// `key:`).
fn key_and_rest(line: &str, indent: usize, line_number: u32) -> Option<(Spanned<String>, &str)> {
    let written = line.get(indent..)?;
    if line[..indent].bytes().any(|b| b != b' ') {
        return None;
    }
    let (key, rest) = written.split_once(':')?;
    if !is_word(key) {
        return None;
    }
    let rest = match rest.strip_prefix(' ') {
        Some(value) if !value.is_empty() => value,
        _ if rest.is_empty() => "",
        _ => return None,
    };
    let key = Spanned {
        value: key.to_string(),
        referenced: Place {
            line: line_number,
            column: u32::try_from(indent + 1).ok()?,
        },
    };
    Some((key, rest))
}

/// The indented `key: word` lines after a `key:` line (`first` is the index of the first
/// of them), and how many there are.
fn nested_mapping(lines: &[&str], first: usize) -> Option<(Spanned<Node>, usize)> {
    let indent = lines.first()?.bytes().take_while(|&b| b == b' ').count();
    if indent == 0 {
        return None;
    }
    let mut entries = Vec::new();
    for (offset, line) in lines.iter().enumerate() {
        if !line.starts_with(' ') {
            break;
        }
        let line_number = to_line(first + offset);
        let (key, rest) = key_and_rest(line, indent, line_number)?;
        let value = scalar(rest, line_number, column_after(line, rest))?;
        entries.push((key, value));
    }
    let used = entries.len();
    let place = entries[0].0.referenced;
    Some((mapping(entries, place)?, used))
}

/// A value on its key's line: a one-line mapping or a word.
fn inline_value(value: &str, line: u32, column: u32) -> Option<Spanned<Node>> {
    let Some(inner) = value.strip_prefix('{') else {
        return scalar(value, line, column);
    };
    let inner = inner.strip_suffix('}')?;
    let mut entries = Vec::new();
    let mut at = column + 1;
    for item in inner.split(", ") {
        let (key, word) = item.split_once(": ")?;
        // A comma inside braces separates entries.
        if !is_word(key) || word.contains(',') {
            return None;
        }
        let key_place = Place { line, column: at };
        let word_column = at + u32::try_from(key.len() + 2).ok()?;
        entries.push((
            Spanned {
                value: key.to_string(),
                referenced: key_place,
            },
            scalar(word, line, word_column)?,
        ));
        at += u32::try_from(item.len() + 2).ok()?;
    }
    mapping(entries, Place { line, column })
}

/// A mapping of `entries` at `place`, unless a key repeats (the parser's error).
fn mapping(entries: Vec<(Spanned<String>, Spanned<Node>)>, place: Place) -> Option<Spanned<Node>> {
    for (index, (key, _)) in entries.iter().enumerate() {
        if entries[..index]
            .iter()
            .any(|(other, _)| other.value == key.value)
        {
            return None;
        }
    }
    Some(Spanned {
        value: Node::Map(entries),
        referenced: place,
    })
}

/// A word that YAML reads as text (a letter, then letters, digits, `_`, `-`, `.`, `,`
/// and single spaces, or a date), or a whole number without a leading zero.
fn scalar(written: &str, line: u32, column: u32) -> Option<Spanned<Node>> {
    let value = if written.bytes().all(|b| b.is_ascii_digit()) {
        if written.is_empty()
            || written.len() > 15
            || (written.len() > 1 && written.starts_with('0'))
        {
            return None;
        }
        Node::Number(written.parse().ok()?)
    } else if is_text(written) || is_date(written) {
        Node::Text(written.to_string())
    } else {
        return None;
    };
    Some(Spanned {
        value,
        referenced: Place { line, column },
    })
}

/// `2026-01-02`: text to YAML's core schema, a date to trailmark.
fn is_date(written: &str) -> bool {
    let bytes = written.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(at, &b)| {
            if at == 4 || at == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
}

fn is_text(written: &str) -> bool {
    written.starts_with(|c: char| c.is_ascii_alphabetic())
        && !written.ends_with(' ')
        && !written.contains("  ")
        && !written.contains([':', '{', '}'])
        && !is_special_word(written)
}

/// A key: a letter, then letters, digits, `_` and `-`.
fn is_word(key: &str) -> bool {
    key.starts_with(|c: char| c.is_ascii_alphabetic())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && !is_special_word(key)
}

/// Words YAML (1.1 or 1.2) or number parsing may read as something other than text.
fn is_special_word(word: &str) -> bool {
    const SPECIAL: [&str; 13] = [
        "true", "false", "yes", "no", "y", "n", "on", "off", "null", "nan", "inf", "infinity",
        "none",
    ];
    SPECIAL
        .iter()
        .any(|special| special.eq_ignore_ascii_case(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The full parser's nodes for `yaml`, if it reads it.
    fn in_full(yaml: &str) -> Option<Spanned<Node>> {
        super::super::parse_in_full(yaml).ok()
    }

    #[test]
    fn reads_the_common_shapes_as_the_parser_does() {
        for yaml in [
            "metrics: {g0: 15}\n",
            "metrics: {g0: 15, reading: 3}\n",
            "goal: Goal number 0\nid: g0\narea: skills\nstart: 2020-11-26\ndue: 2021-05-05\n\
             why: interview review\nmetric:\n  unit: sessions\n  target: 40\n  baseline: 0\n",
            "title: A day\ndate: 2026-01-02\n",
        ] {
            let plain = parse(yaml);
            assert!(plain.is_some(), "{yaml:?} was left to the parser");
            assert_eq!(plain, in_full(yaml), "{yaml:?}");
        }
    }

    #[test]
    fn leaves_other_blocks_to_the_parser() {
        for yaml in [
            "title: \"quoted\"\n",
            "tags: [a, b]\n",
            "a: 1\na: 2\n",
            "done: yes\n",
            "empty:\n",
            "n: 0123\n",
            "x: 1.5\n",
            "goal: a  b\n",
            "t: 12:30\n",
            "",
            "a: b\n\nc: d\n",
        ] {
            assert_eq!(parse(yaml), None, "{yaml:?}");
        }
    }

    #[test]
    fn a_block_over_the_budget_is_left_to_the_parser_which_refuses_it() {
        let keys: Vec<String> = (0..60_000).map(|i| format!("k{i}: 1")).collect();
        let yaml = format!("m: {{{}}}\n", keys.join(", "));
        assert_eq!(parse(&yaml), None);
        assert!(super::super::parse(&yaml).is_err());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1024))]

        /// Whatever the plain reader reads, it reads exactly as the full parser.
        #[test]
        fn plain_blocks_read_as_the_full_parser_reads_them(
            lines in proptest::collection::vec(
                concat!(
                    "[a-zA-Z][a-zA-Z0-9_-]{0,6}:",
                    "( ([a-zA-Z0-9_., -]{1,12}|[0-9]{1,4}|20[0-9]{2}-[01][0-9]-[0-3][0-9]",
                    "|\\{[a-z0-9]{1,3}: [a-z0-9 .,-]{1,6}(, [a-z0-9]{1,3}: [a-z0-9 .-]{1,6}){0,2}\\}))?",
                    "(\n {1,3}[a-z][a-z0-9]{0,3}: ([a-zA-Z0-9 .,-]{1,8}|[0-9]{1,3})){0,3}",
                ),
                1..6,
            )
        ) {
            let yaml = format!("{}\n", lines.join("\n"));
            if let Some(plain) = parse(&yaml) {
                proptest::prop_assert_eq!(Some(plain), in_full(&yaml), "{:?}", yaml);
            }
        }
    }
}
