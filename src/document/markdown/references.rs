//! Reference-style links (`[text][ref]`, `[ref][]`, `[ref]`) written inline in the
//! markdown a milestone or note keeps: that markdown is rendered alone, without the file's
//! link definitions, and would lose the link's target.

use std::ops::Range;

/// A reference-style link in the file, with the target its definition gives.
pub(super) struct ReferenceLink {
    /// The whole link, `[text][ref]`, in the file.
    pub(super) span: Range<usize>,
    /// Its text's markdown in the file (`text`), from its first inline event to its last;
    /// `None` while nothing of it has been seen (`[][ref]` has none).
    pub(super) text: Option<Range<usize>>,
    pub(super) destination: String,
    pub(super) title: String,
}

/// `written`, which starts at byte `offset` of the file, with the reference links wholly
/// inside it written as inline links, and its `code` ranges moved along with their text;
/// `None` when it holds no reference link.
pub(super) fn written_inline(
    written: &str,
    offset: usize,
    links: &[ReferenceLink],
    code: &[Range<usize>],
) -> Option<(String, Vec<Range<usize>>)> {
    let end = offset + written.len();
    // The links are in the file's order.
    let first = links.partition_point(|link| link.span.start < offset);
    let inside: Vec<&ReferenceLink> = links[first..]
        .iter()
        .take_while(|link| link.span.start < end)
        .filter(|link| link.span.end <= end)
        .collect();
    if inside.is_empty() {
        return None;
    }
    let mut inline = String::with_capacity(written.len() + 64);
    // Each piece of `written` copied as it is: where it was, and where it is now.
    let mut copies: Vec<(Range<usize>, usize)> = Vec::new();
    let mut copy = |inline: &mut String, range: Range<usize>| {
        copies.push((range.clone(), inline.len()));
        inline.push_str(&written[range]);
    };
    let mut copied = 0;
    for link in inside {
        let span = link.span.start - offset..link.span.end - offset;
        copy(&mut inline, copied..span.start);
        inline.push('[');
        if let Some(text) = &link.text {
            copy(&mut inline, text.start - offset..text.end - offset);
        }
        inline.push_str("](<");
        inline.push_str(&escape(&link.destination, &['<', '>']));
        inline.push('>');
        if !link.title.is_empty() {
            inline.push_str(" \"");
            inline.push_str(&escape(&link.title, &['"']));
            inline.push('"');
        }
        inline.push(')');
        copied = span.end;
    }
    copy(&mut inline, copied..written.len());
    let moved = code
        .iter()
        .filter_map(|range| {
            let (from, to) = copies
                .iter()
                .find(|(from, _)| from.contains(&range.start))?;
            Some(range.start - from.start + to..range.end - from.start + to)
        })
        .collect();
    Some((inline, moved))
}

/// `text` with backslashes and `special` characters escaped by a backslash, as a link's
/// destination in `<…>` or its title in `"…"` needs them.
fn escape(text: &str, special: &[char]) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\\' || special.contains(&c) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}
