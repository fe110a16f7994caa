//! Goal ids: lowercase `a-z0-9-`, made from titles when a goal gives none.

/// `"Learn SQL for Marketing!"` -> `"learn-sql-for-marketing"`; accented and other scripts
/// are transliterated first (`"Führung"` -> `"fuhrung"`). Empty when nothing is left.
pub(crate) fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut slug = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// Whether `text` already is an id: non-empty `a-z0-9-`, not starting or ending with `-`.
pub(crate) fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with('-')
        && !text.ends_with('-')
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_titles() {
        assert_eq!(
            slugify("Learn SQL for marketing analytics"),
            "learn-sql-for-marketing-analytics"
        );
        assert_eq!(
            slugify("  Attend 2 events / quarter!  "),
            "attend-2-events-quarter"
        );
        assert_eq!(slugify("Führung & Délégation"), "fuhrung-delegation");
        assert_eq!(slugify("--a--b--"), "a-b");
        assert_eq!(slugify("!!!"), "");
    }

    #[test]
    fn recognises_ids() {
        assert!(is_slug("learn-sql"));
        assert!(is_slug("q3-2026"));
        assert!(!is_slug("Learn-SQL"));
        assert!(!is_slug("a b"));
        assert!(!is_slug("-a"));
        assert!(!is_slug(""));
        assert!(!is_slug("../etc"));
    }

    #[test]
    fn slugs_are_ids() {
        for title in ["Learn SQL", "Über 9000", "a--b", "x_y.z", "日本語 1"] {
            let slug = slugify(title);
            assert!(slug.is_empty() || is_slug(&slug), "{title} -> {slug}");
        }
    }
}
