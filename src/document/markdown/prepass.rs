//! What the body's text becomes before pulldown-cmark reads it, keeping every byte
//! offset: where pulldown-cmark and the tools people write for disagree.

use std::borrow::Cow;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::MARKDOWN_OPTIONS;
use crate::document::text::has_doubled;

/// `body` with the tabs after a code fence (a line that is only ```` ``` ```` or `~~~`,
/// after indentation and `>` quote marks) turned into spaces: pulldown-cmark 0.13.6 does
/// not close a fence followed by a tab, although CommonMark allows spaces or tabs there,
/// and then the rest of the file is code. Byte offsets stay the same; only code text
/// (which never counts) could change. Most bodies have no such line: no copy.
pub(super) fn with_fence_tabs_as_spaces(body: &str) -> Cow<'_, str> {
    let is_fence_with_tab = |line: &str| {
        let fence = line.trim_start_matches([' ', '\t', '>']);
        let marks = fence.len() - fence.trim_start_matches(['`', '~']).len();
        let rest = &fence[marks..];
        marks >= 3
            && rest.contains('\t')
            && rest.trim_end_matches([' ', '\t', '\r', '\n']).is_empty()
    };
    // memchr's search for a tab (wide SIMD registers): most bodies have none.
    if memchr::memchr(b'\t', body.as_bytes()).is_none()
        || !body.split_inclusive('\n').any(is_fence_with_tab)
    {
        return Cow::Borrowed(body);
    }
    let mut fixed = String::with_capacity(body.len());
    for line in body.split_inclusive('\n') {
        if is_fence_with_tab(line) {
            fixed.push_str(&line.replace('\t', " "));
        } else {
            fixed.push_str(line);
        }
    }
    Cow::Owned(fixed)
}

/// `body` with its Obsidian comments (from a `%%` to the next, over lines too, or to the
/// end of the file) blanked: Obsidian shows nothing of them, so their tasks, tags and
/// links do not count. A `%%` in code is text. Blanking keeps every byte offset and line
/// break, so positions stay those of the file.
pub(super) fn without_comments(body: Cow<'_, str>) -> Cow<'_, str> {
    // Most bodies have no comment: one scan, no second parse.
    if !has_doubled(&body, b'%') {
        return body;
    }
    let mut marks = Vec::new();
    let mut in_code_block = false;
    for (event, range) in Parser::new_ext(&body, MARKDOWN_OPTIONS).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Text(_) if !in_code_block => {
                let source = &body[range.clone()];
                marks.extend(source.match_indices("%%").map(|(at, _)| range.start + at));
            }
            _ => {}
        }
    }
    if marks.is_empty() {
        return body;
    }
    let mut blanked = String::with_capacity(body.len());
    let mut copied = 0;
    for pair in marks.chunks(2) {
        let start = pair[0].max(copied);
        let end = pair.get(1).map_or(body.len(), |close| close + 2).max(start);
        blanked.push_str(&body[copied..start]);
        for c in body[start..end].chars() {
            if c == '\n' || c == '\r' {
                blanked.push(c);
            } else {
                blanked.extend(std::iter::repeat_n(' ', c.len_utf8()));
            }
        }
        copied = end;
    }
    blanked.push_str(&body[copied..]);
    Cow::Owned(blanked)
}
