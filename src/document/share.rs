//! Who a goal, an entry or a section is shared with: `share:` in front-matter, and the
//! `{share}` marker at the end of a heading (docs/SHARING.md). Nothing is shared unless it
//! says so; `trailmark build --share AUDIENCE` publishes only what is shared with that
//! audience.

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};

use super::metadata::{collapse_whitespace, wikilink_display};

/// A `share:` as written: `false`, `true` (every audience), or the audiences by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Share {
    Nobody,
    Everyone,
    /// Lowercased, trimmed, never empty.
    With(Vec<String>),
}

impl Share {
    /// Whether `audience` (as `--share` names it) may see what this is written on.
    pub(crate) fn includes(&self, audience: &str) -> bool {
        match self {
            Share::Nobody => false,
            Share::Everyone => true,
            Share::With(names) => names.iter().any(|name| name.eq_ignore_ascii_case(audience)),
        }
    }

    /// Audience names as written in a list or in text (`mentor, manager`); `None` when
    /// there is none.
    pub(crate) fn with<'a>(names: impl IntoIterator<Item = &'a str>) -> Option<Share> {
        let names: Vec<String> = names
            .into_iter()
            .flat_map(|name| name.split([',', ' ']))
            .map(|name| name.trim().to_lowercase())
            .filter(|name| !name.is_empty())
            .collect();
        (!names.is_empty()).then_some(Share::With(names))
    }
}

/// A heading's text without its `{share}` or `{share: mentor, manager}` marker at the
/// end (always a prefix of `text`), and the marker's share: a section opts in by its
/// heading, so that one paragraph of a private entry can be shown to a mentor. A marker
/// must be the heading's last word; anything else in braces stays text.
pub(crate) fn heading_marker(text: &str) -> (&str, Option<Share>) {
    let trimmed = text.trim_end();
    let Some(open) = trimmed.rfind('{') else {
        return (text, None);
    };
    let Some(inside) = trimmed[open..]
        .strip_prefix('{')
        .and_then(|rest| rest.strip_suffix('}'))
    else {
        return (text, None);
    };
    let inside = inside.trim();
    let share = if inside == "share" {
        Some(Share::Everyone)
    } else if let Some(names) = inside.strip_prefix("share:") {
        Share::with([names])
    } else {
        None
    };
    match share {
        Some(share) => (trimmed[..open].trim_end(), Some(share)),
        None => (text, None),
    }
}

/// Inline markdown (a line of an entry, a check-in's note) as a person reads it: links
/// and images as their text, a `[[wikilink]]` as its alias or the note's name without
/// its folder, HTML left out; so that a shared page names no path and links nowhere.
pub(crate) fn plain_text(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    // Inside a wikilink without an alias, whose text is its target: shown by name.
    let mut bare_wikilink = false;
    for event in Parser::new_ext(
        markdown,
        Options::ENABLE_WIKILINKS | Options::ENABLE_STRIKETHROUGH,
    ) {
        match event {
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { has_pothole },
                dest_url,
                ..
            }) if !has_pothole => {
                text.push_str(wikilink_display(&dest_url));
                bare_wikilink = true;
            }
            Event::End(TagEnd::Link) => bare_wikilink = false,
            Event::Text(words) | Event::Code(words) if !bare_wikilink => text.push_str(&words),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => text.push(' '),
            _ => {}
        }
    }
    collapse_whitespace(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_heading_marker_opts_a_section_in() {
        assert_eq!(
            heading_marker("Feedback {share}"),
            ("Feedback", Some(Share::Everyone))
        );
        assert_eq!(
            heading_marker("Lessons {share: Mentor, manager}"),
            (
                "Lessons",
                Some(Share::With(vec!["mentor".into(), "manager".into()]))
            )
        );
        assert_eq!(heading_marker("Sets {a, b}"), ("Sets {a, b}", None));
        assert_eq!(heading_marker("{share} first"), ("{share} first", None));
        assert_eq!(heading_marker("Empty {share:}"), ("Empty {share:}", None));
    }

    #[test]
    fn shared_text_names_no_link_target() {
        assert_eq!(
            plain_text(
                "See [the draft](notes/private.md), ![chart](img/a.png) and <a href=\"x\">y</a> `code`"
            ),
            "See the draft, chart and y code"
        );
        assert_eq!(
            plain_text("[[folder/Private note]] and [[folder/other|the alias]] #tag"),
            "Private note and the alias #tag"
        );
    }

    #[test]
    fn audiences_are_compared_without_case() {
        let share = Share::with(["Mentor", " manager "]).unwrap();
        assert!(share.includes("mentor") && share.includes("MANAGER"));
        assert!(!share.includes("team"));
        assert!(Share::Everyone.includes("team"));
        assert!(!Share::Nobody.includes("team"));
    }
}
