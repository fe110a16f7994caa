//! Journal text in HTML reports: a milestone's or a note's markdown is rendered inline
//! (emphasis, code, links, strikethrough) and then sanitized to a short allowlist, so that
//! nothing a journal holds (raw HTML, `<script>`, event handlers, `javascript:` or `data:`
//! links, images that would load from elsewhere) can run or fetch anything when a report
//! is opened. Dates in journal text are kept whole: a `<time>` holds each, which the
//! stylesheet never breaks across lines (docs/REPORTS.md, "Phone and narrow screens").

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::LazyLock;

use ammonia::UrlRelative;
use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

use super::filters::push_html_escaped;
use crate::document::wikilink_display;

/// Tags a report keeps from journal text; everything else is dropped, its text kept.
const INLINE_TAGS: [&str; 11] = [
    "a", "em", "strong", "code", "del", "s", "br", "sub", "sup", "kbd", "time",
];

/// The sanitizer, configured once: inline tags only, links only to absolute `http`,
/// `https` and `mailto` addresses (a relative link in an entry points from the entry's
/// folder, which is not the report's), and `<script>`/`<style>` dropped with their content.
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::empty();
    builder
        .tags(HashSet::from(INLINE_TAGS))
        .tag_attributes([("a", HashSet::from(["href", "title"]))].into())
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .url_relative(UrlRelative::Deny)
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean_content_tags(HashSet::from(["script", "style"]));
    builder
});

/// `markdown` (one paragraph's inline text, as a milestone or note holds it) as safe HTML.
pub(super) fn inline_html(markdown: &str) -> String {
    let source = escape_block_start(markdown);
    let mut html = String::with_capacity(source.len() + 16);
    let events = without_wikilinks(&source).map(|event| match event {
        Event::Text(text) => match dates_kept_whole(&text) {
            Some(html) => Event::InlineHtml(html.into()),
            None => Event::Text(text),
        },
        other => other,
    });
    pulldown_cmark::html::push_html(&mut html, events);
    SANITIZER.clean(&html).to_string().trim().to_string()
}

/// Plain journal text (a title) as HTML: escaped, its dates kept whole.
pub(super) fn plain_html(text: &str) -> String {
    let mut html = String::with_capacity(text.len());
    push_plain_html(&mut html, text);
    html
}

/// Pushes `text` to `html` as [`plain_html`] writes it. The lists' functions write
/// 200,000 titles, lines and texts in a full build: each made into a `String` of its own
/// first, then copied, was an allocation and a copy for nothing.
pub(super) fn push_plain_html(html: &mut String, text: &str) {
    if !push_dates_kept_whole(html, text) {
        push_html_escaped(html, text);
    }
}

/// `text` escaped, with each `YYYY-MM-DD` in it in a `<time>`; `None` when it has none.
fn dates_kept_whole(text: &str) -> Option<String> {
    let mut html = String::new();
    push_dates_kept_whole(&mut html, text).then_some(html)
}

/// Pushes `text` to `html` as [`dates_kept_whole`] makes it, when it has a date (and
/// says so); pushes nothing when it has none.
fn push_dates_kept_whole(html: &mut String, text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut written = 0;
    // A date's first dash is its fifth byte: only the places four bytes before a dash can
    // start one, and they come in order. Titles and lines are shown 200,000 times in a
    // full build; most have no date.
    for dash in memchr::memchr_iter(b'-', bytes) {
        let Some(at) = dash.checked_sub(4).filter(|&at| at >= written) else {
            continue;
        };
        if is_date_at(bytes, at) {
            // A date is ASCII, so `at` and `at + 10` are character boundaries.
            let date = &text[at..at + 10];
            push_html_escaped(html, &text[written..at]);
            html.push_str("<time>");
            html.push_str(date);
            html.push_str("</time>");
            written = at + 10;
        }
    }
    if written == 0 {
        return false;
    }
    push_html_escaped(html, &text[written..]);
    true
}

/// Whether a `YYYY-MM-DD` starts at `at` in `bytes`, not within a longer run of digits.
fn is_date_at(bytes: &[u8], at: usize) -> bool {
    let digit = |at: usize| bytes.get(at).is_some_and(u8::is_ascii_digit);
    (0..10).all(|offset| match offset {
        4 | 7 => bytes.get(at + offset) == Some(&b'-'),
        _ => digit(at + offset),
    }) && !(at > 0 && digit(at - 1))
        && !digit(at + 10)
}

/// The inline events of `source`, with `[[wikilinks]]` as their text: the alias, else the
/// note's name, as the plain text has them. A link to a note would point from the
/// journal's folder, not the report's, so it is never a link in a report (like a relative
/// link, whose address the sanitizer removes).
fn without_wikilinks(source: &str) -> impl Iterator<Item = Event<'_>> {
    let mut in_unaliased = false;
    Parser::new_ext(
        source,
        Options::ENABLE_STRIKETHROUGH | Options::ENABLE_WIKILINKS,
    )
    .filter_map(move |event| match event {
        Event::Start(Tag::Link {
            link_type: LinkType::WikiLink { has_pothole },
            dest_url,
            ..
        }) => {
            in_unaliased = !has_pothole;
            (!has_pothole).then(|| Event::Text(wikilink_display(&dest_url).to_string().into()))
        }
        Event::End(TagEnd::Link) if in_unaliased => {
            in_unaliased = false;
            None
        }
        _ if in_unaliased => None,
        other => Some(other),
    })
}

/// The text was inline where it was written (after a list marker, inside a paragraph); on
/// its own, a start like `# `, `1. ` or `> ` would make it a heading, a list or a quote.
/// A backslash keeps such a start literal.
fn escape_block_start(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let Some(&first) = bytes.first() else {
        return Cow::Borrowed(text);
    };
    let second = bytes.get(1).copied();
    let spaced = |b: Option<u8>| b.is_none_or(|b| b == b' ');
    let is_break = matches!(first, b'-' | b'*' | b'_')
        && text.bytes().all(|b| b == first || b == b' ')
        && text.bytes().filter(|&b| b == first).count() >= 3;
    let escape_first = match first {
        b'#' => {
            let hashes = bytes.iter().take_while(|&&b| b == b'#').count();
            hashes <= 6 && spaced(bytes.get(hashes).copied())
        }
        b'>' => true,
        b'-' | b'+' | b'*' => spaced(second) || is_break,
        b'_' => is_break,
        b'`' | b'~' => text.starts_with("```") || text.starts_with("~~~"),
        // A link reference definition would vanish: `[name]: https://…`.
        b'[' => text.find("]:").is_some(),
        _ => false,
    };
    if escape_first {
        return Cow::Owned(format!("\\{text}"));
    }
    // An ordered list marker: up to nine digits, then `.` or `)`, then a space or the end.
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    if (1..=9).contains(&digits)
        && matches!(bytes.get(digits), Some(b'.' | b')'))
        && spaced(bytes.get(digits + 1).copied())
    {
        return Cow::Owned(format!("{}\\{}", &text[..digits], &text[digits..]));
    }
    Cow::Borrowed(text)
}

#[cfg(test)]
mod tests {
    use minijinja::HtmlEscape;

    use super::*;

    #[test]
    fn renders_inline_markdown() {
        assert_eq!(
            inline_html("Read **chapter 3** of `SQL` ~~twice~~"),
            "Read <strong>chapter 3</strong> of <code>SQL</code> <del>twice</del>"
        );
        assert_eq!(
            inline_html("[docs](https://example.com/a?b=1&c=2)"),
            "<a href=\"https://example.com/a?b=1&amp;c=2\" rel=\"noopener noreferrer nofollow\">docs</a>"
        );
    }

    #[test]
    fn block_starts_stay_literal() {
        assert_eq!(inline_html("# not a heading"), "# not a heading");
        assert_eq!(inline_html("1. first"), "1. first");
        assert_eq!(inline_html("2026) plan"), "2026) plan");
        assert_eq!(inline_html("> quoted"), "&gt; quoted");
        assert_eq!(inline_html("- dash"), "- dash");
        assert_eq!(inline_html("---"), "---");
        assert_eq!(inline_html("```rust"), "```rust");
        assert_eq!(
            inline_html("[a]: https://example.com"),
            "[a]: https://example.com"
        );
        // Emphasis at the start is still emphasis.
        assert_eq!(inline_html("*now* or never"), "<em>now</em> or never");
        assert_eq!(inline_html("#tag first"), "#tag first");
    }

    #[test]
    fn scripts_handlers_and_dangerous_links_are_removed() {
        assert_eq!(inline_html("a <script>alert(1)</script> b"), "a  b");
        assert_eq!(inline_html("<img src=x onerror=alert(1)>x"), "x");
        assert_eq!(inline_html("<b onmouseover=\"alert(1)\">bold</b>"), "bold",);
        assert_eq!(
            inline_html("[x](javascript:alert(1))"),
            "<a rel=\"noopener noreferrer nofollow\">x</a>"
        );
        assert_eq!(
            inline_html("[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"),
            "<a rel=\"noopener noreferrer nofollow\">x</a>"
        );
        assert_eq!(inline_html("![logo](https://evil.example/x.png)"), "");
        assert_eq!(
            inline_html("[notes](../notes.md)"),
            "<a rel=\"noopener noreferrer nofollow\">notes</a>"
        );
        assert_eq!(
            inline_html("<a href=\"https://ok.example\" style=\"x\" onclick=\"y\">ok</a>"),
            "<a href=\"https://ok.example\" rel=\"noopener noreferrer nofollow\">ok</a>"
        );
    }

    #[test]
    fn dates_are_kept_whole() {
        assert_eq!(
            inline_html("Ship by 2026-12-01, *not* 2026-12-011 <b>or</b> 12026-12-01"),
            "Ship by <time>2026-12-01</time>, <em>not</em> 2026-12-011 or 12026-12-01"
        );
        assert_eq!(
            inline_html("[2026-01-02](https://example.com/2026-01-02)"),
            "<a href=\"https://example.com/2026-01-02\" rel=\"noopener noreferrer nofollow\"><time>2026-01-02</time></a>"
        );
        assert_eq!(inline_html("`2026-01-02`"), "<code>2026-01-02</code>");
        assert_eq!(
            plain_html("Week of 2026-10-05 <b>"),
            "Week of <time>2026-10-05</time> &lt;b&gt;"
        );
        assert_eq!(plain_html("Café <3"), "Café &lt;3");
    }

    /// Dates found by looking at every place in `text`, as they were before dashes were
    /// searched for.
    fn dates_at_every_place(text: &str) -> Option<String> {
        let bytes = text.as_bytes();
        let (mut html, mut written, mut at) = (String::new(), 0, 0);
        while at + 10 <= bytes.len() {
            if is_date_at(bytes, at) {
                html.push_str(&HtmlEscape(&text[written..at]).to_string());
                html.push_str(&format!("<time>{}</time>", &text[at..at + 10]));
                written = at + 10;
                at = written;
            } else {
                at += 1;
            }
        }
        (written > 0).then(|| html + &HtmlEscape(&text[written..]).to_string())
    }

    #[test]
    fn dates_are_found_wherever_they_start() {
        let pieces = [
            "2026-01-02",
            "-",
            "1",
            "12",
            "2026-1-02",
            "a",
            " ",
            "<",
            "é",
            "--",
            "2026-01-0",
        ];
        // Every sequence of up to four pieces.
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = texts
                .iter()
                .flat_map(|text| pieces.iter().map(move |piece| format!("{text}{piece}")))
                .collect();
            texts.extend(longer);
            texts.dedup();
        }
        for text in texts {
            assert_eq!(
                dates_kept_whole(&text),
                dates_at_every_place(&text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn template_syntax_is_text() {
        assert_eq!(
            inline_html("{{ 7*7 }} {% include 'x' %}"),
            "{{ 7*7 }} {% include 'x' %}"
        );
    }
}
