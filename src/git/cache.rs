//! The history kept in the output folder between runs, by the commit it was read at.
//! Its maps are sorted, so the same history is always the same text: the cache is a
//! report like the others, written only when its content changed.

use super::History;

/// The name of the cache file, in the output folder.
pub(crate) const CACHE_FILE: &str = ".trailmark-git-history.json";

/// Bumped whenever the cache's meaning changes, so that old caches are ignored.
pub(super) const CACHE_VERSION: u32 = 3;

impl History {
    /// The cache to keep in the output folder, when history was read from commits.
    pub(crate) fn to_cache(&self) -> Option<String> {
        self.head.as_ref()?;
        Some(serde_json::to_string(self).expect("a history holds only strings and dates") + "\n")
    }

    /// A history from the text of an earlier [`History::to_cache`], unless it is from
    /// another version of trailmark or names as a commit something that is not one.
    pub(crate) fn from_cache(text: &str) -> Option<History> {
        serde_json::from_str::<History>(text)
            .ok()
            .filter(|h| h.version == CACHE_VERSION && h.names_only_commits())
    }

    /// Whether the commits this history (and each of its submodules') was read up to are
    /// commit ids. The cache travels with the output folder, say in a shared journal, and
    /// these go to git as arguments: anything else could be an option or a revision
    /// expression.
    fn names_only_commits(&self) -> bool {
        self.head.as_deref().is_none_or(is_commit_id)
            && self.submodules.values().all(History::names_only_commits)
    }
}

/// Whether `text` is a full commit id as git prints it: SHA-1 or SHA-256, in lowercase
/// hexadecimal.
fn is_commit_id(text: &str) -> bool {
    matches!(text.len(), 40 | 64) && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::Date;
    use crate::git::Checked;

    #[test]
    fn the_cache_round_trips_and_old_versions_are_ignored() {
        let mut history = History::default();
        let day = Date::parse("2026-01-05").expect("a valid date");
        history.note_checked("g.md", "a".to_string(), Checked::On(day));
        history.version = CACHE_VERSION;
        history.head = Some("0123456789abcdef0123456789abcdef01234567".into());
        history.in_repository = true;
        let cache = history.to_cache().unwrap();
        assert_eq!(History::from_cache(&cache), Some(history.clone()));
        history.version = 0;
        assert_eq!(History::from_cache(&history.to_cache().unwrap()), None);
        history.head = None;
        assert_eq!(history.to_cache(), None);
        assert_eq!(History::from_cache("not json"), None);
    }

    #[test]
    fn a_cache_naming_no_commit_is_ignored() {
        // The cache travels with the output folder; its head goes to git as an argument.
        let cache = |head: &str| {
            let history = History {
                version: CACHE_VERSION,
                head: Some(head.to_string()),
                in_repository: true,
                ..History::default()
            };
            History::from_cache(&history.to_cache().unwrap())
        };
        let sha1 = "0123456789abcdef0123456789abcdef01234567";
        let sha256 = sha1.to_string() + "0123456789abcdef01234567";
        assert!(cache(sha1).is_some());
        assert!(cache(&sha256).is_some());
        for bad in [
            "--output=/tmp/x",
            "HEAD",
            "HEAD~1",
            "",
            &sha1.to_uppercase(),
            &sha1[..39],
            &(sha1.to_string() + "0"),
            "0123456789abcdef0123456789abcdef0123456g",
        ] {
            assert_eq!(cache(bad), None, "{bad:?}");
        }
        // So is one whose submodule names no commit.
        let mut history = History {
            version: CACHE_VERSION,
            head: Some(sha1.to_string()),
            in_repository: true,
            ..History::default()
        };
        history.submodules.insert(
            "shared".into(),
            History {
                version: CACHE_VERSION,
                head: Some("--output=x".into()),
                ..History::default()
            },
        );
        assert_eq!(History::from_cache(&history.to_cache().unwrap()), None);
    }
}
