//! Who a goal, an entry or a section is shared with: `share:` in front-matter, and the
//! `{share}` marker at the end of a heading (docs/SHARING.md). Nothing is shared unless it
//! says so; `trailmark build --share AUDIENCE` publishes only what is shared with that
//! audience.

use serde::{Deserialize, Serialize};

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
/// end, and the marker's share: a section opts in by its heading, so that one paragraph
/// of a private entry can be shown to a mentor. A marker must be the heading's last
/// word; anything else in braces stays text.
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
    fn audiences_are_compared_without_case() {
        let share = Share::with(["Mentor", " manager "]).unwrap();
        assert!(share.includes("mentor") && share.includes("MANAGER"));
        assert!(!share.includes("team"));
        assert!(Share::Everyone.includes("team"));
        assert!(!Share::Nobody.includes("team"));
    }
}
