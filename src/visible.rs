//! Journal text shown on a terminal. A control character in a title, a file name or a
//! line of a shared journal could otherwise reach the terminal as an escape sequence
//! that clears the screen, sets the window title or forges a link; each is shown as a
//! visible symbol instead.

use std::borrow::Cow;

/// `text` with every control character except tab and newline replaced: C0 controls and
/// DEL by their Unicode control pictures (`␛` for escape, one column wide like the
/// characters around them), C1 controls by `�`.
pub(crate) fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hidden) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| if is_hidden(c) { picture(c) } else { c })
            .collect(),
    )
}

fn is_hidden(c: char) -> bool {
    c.is_control() && c != '\t' && c != '\n'
}

fn picture(c: char) -> char {
    match u32::from(c) {
        code @ 0..=0x1f => char::from_u32(0x2400 + code).unwrap_or('\u{fffd}'),
        0x7f => '\u{2421}',
        _ => '\u{fffd}',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_are_shown_not_sent() {
        assert_eq!(visible("a\u{1b}[2Jb"), "a␛[2Jb");
        assert_eq!(visible("\u{1b}]0;title\u{7}"), "␛]0;title␇");
        assert_eq!(visible("\u{9b}31m\u{7f}"), "\u{fffd}31m␡");
        assert_eq!(visible("tab\there\nline"), "tab\there\nline");
        assert!(matches!(visible("plain «text» 日本"), Cow::Borrowed(_)));
    }
}
