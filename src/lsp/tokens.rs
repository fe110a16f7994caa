//! What the cursor is on, read from the line's text: a `#tag`, a `[[wikilink]]`, a
//! front-matter key's value. The buffer's text, not its last analysis, so that answers
//! follow every keystroke.

use std::ops::Range;

/// A thing in a line, and where it is (byte offsets of the line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Token {
    /// `#goal-id`: the name, lowercased, as the journal reads tags.
    Tag(String),
    /// `[[target|shown]]`: the target, without a heading or a shown text.
    Link(String),
    /// The value of a front-matter key, `parent: id` or `id: id`.
    Value { key: String, value: String },
}

/// The token at byte `at` of `line`, with its byte range.
pub(crate) fn token_at(line: &str, at: usize) -> Option<(Token, Range<usize>)> {
    link_at(line, at)
        .or_else(|| tag_at(line, at))
        .or_else(|| value_at(line, at))
}

/// A character a tag name may have, as the journal reads tags.
pub(crate) fn is_tag_char(c: char) -> bool {
    c.is_alphanumeric() || "_-/".contains(c)
}

fn tag_at(line: &str, at: usize) -> Option<(Token, Range<usize>)> {
    let at = at.min(line.len());
    // An editor's block cursor on the `#` is on the tag too; else the nearest `#` before.
    let on_hash = line[at..].starts_with('#').then_some(at);
    on_hash
        .and_then(|start| tag_from(line, start, at))
        .or_else(|| tag_from(line, line[..at].rfind('#')?, at))
}

/// The tag whose `#` is at byte `start`, if it reaches byte `at`.
fn tag_from(line: &str, start: usize, at: usize) -> Option<(Token, Range<usize>)> {
    let before = line[..start].chars().next_back().unwrap_or(' ');
    if !(before.is_whitespace() || "([,".contains(before)) {
        return None;
    }
    let name_len: usize = line[start + 1..]
        .chars()
        .take_while(|&c| is_tag_char(c))
        .map(char::len_utf8)
        .sum();
    let name = line[start + 1..start + 1 + name_len].trim_end_matches(['-', '/']);
    let end = start + 1 + name.len();
    (at <= end && name.chars().any(|c| !c.is_ascii_digit()))
        .then(|| (Token::Tag(name.to_lowercase()), start..end))
}

fn link_at(line: &str, at: usize) -> Option<(Token, Range<usize>)> {
    let start = line[..at.min(line.len())].rfind("[[")?;
    let end = start + 2 + line[start + 2..].find("]]")? + 2;
    if at > end || line[start + 2..end - 2].contains("[[") {
        return None;
    }
    let inner = &line[start + 2..end - 2];
    let target = inner.split(['#', '|']).next().unwrap_or("").trim();
    Some((Token::Link(target.to_string()), start..end))
}

/// `key: value` on a line of its own (front-matter), with the cursor on the value.
fn value_at(line: &str, at: usize) -> Option<(Token, Range<usize>)> {
    let (key, value) = line.split_once(':')?;
    let key = key.trim();
    if key.is_empty() || !key.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return None;
    }
    let value_start = key_end(line)? + 1;
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return None;
    }
    let start = value_start + (value.len() - value.trim_start().len());
    let end = start + trimmed.len();
    (at >= start && at <= end).then(|| {
        (
            Token::Value {
                key: key.to_string(),
                value: trimmed.to_string(),
            },
            start..end,
        )
    })
}

fn key_end(line: &str) -> Option<usize> {
    line.find(':')
}

/// The line numbers (0-based) of the front-matter block of a text whose lines are
/// `lines`: from the opening `---` to the closing one, when there is one.
pub(crate) fn front_matter_lines<'a>(
    mut lines: impl Iterator<Item = &'a str>,
) -> Option<Range<u32>> {
    if lines.next()?.trim_end() != "---" {
        return None;
    }
    let close = lines.position(|line| matches!(line.trim_end(), "---" | "..."))?;
    Some(0..close as u32 + 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_tags_links_and_values_under_the_cursor() {
        let line = "- [ ] draft #Talk-Prep, see [[Talk notes|notes]] 📅 2026-03-01";
        assert_eq!(
            token_at(line, 14),
            Some((Token::Tag("talk-prep".into()), 12..22))
        );
        assert_eq!(
            token_at(line, 22).map(|t| t.0),
            Some(Token::Tag("talk-prep".into()))
        );
        let link = line.find("[[").unwrap();
        assert_eq!(
            token_at(line, link + 4),
            Some((Token::Link("Talk notes".into()), link..link + 20))
        );
        assert_eq!(token_at(line, 3), None);
        assert_eq!(token_at("issue#12 and #12", 7), None);
        assert_eq!(
            token_at("parent:  career ", 10),
            Some((
                Token::Value {
                    key: "parent".into(),
                    value: "career".into()
                },
                9..15
            ))
        );
    }

    #[test]
    fn a_tag_is_found_with_the_cursor_on_its_hash_sign() {
        let line = "- [ ] draft #talk-prep";
        assert_eq!(
            token_at(line, 12),
            Some((Token::Tag("talk-prep".into()), 12..22))
        );
        // Just after a tag, on the `#` of the next one, the next one.
        assert_eq!(
            token_at("#one #two", 5).map(|t| t.0),
            Some(Token::Tag("two".into()))
        );
        // Just after a tag, on a `#` that begins no tag, still the tag.
        assert_eq!(
            token_at("#one#", 4).map(|t| t.0),
            Some(Token::Tag("one".into()))
        );
    }

    #[test]
    fn front_matter_is_the_block_between_the_first_two_rules() {
        let text = "---\ngoal: Ship\n---\n# Plan\n---\n";
        assert_eq!(front_matter_lines(text.lines()), Some(0..3));
        assert_eq!(front_matter_lines("# Plan\n---\n".lines()), None);
        assert_eq!(front_matter_lines("---\ngoal: Ship\n".lines()), None);
    }
}
