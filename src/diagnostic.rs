//! Problems found in the journal, kept as values so that one bad file never stops the rest.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Severity {
    Error,
    Warning,
}

/// A place in a journal file: 1-based line, and 1-based column counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize)]
pub(crate) struct Position {
    pub(crate) line: u32,
    pub(crate) column: u32,
}

impl Position {
    pub(crate) fn new(line: u32, column: u32) -> Position {
        Position { line, column }
    }
}

/// One problem with one file. `position` is `None` when the problem is the whole file
/// (unreadable, not UTF-8, too large).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Diagnostic {
    pub(crate) severity: Severity,
    /// Relative to the journal root, with `/` separators.
    pub(crate) file: String,
    pub(crate) position: Option<Position>,
    pub(crate) message: String,
}

impl Diagnostic {
    pub(crate) fn error(
        file: &str,
        position: Option<Position>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic::new(Severity::Error, file, position, message.into())
    }

    pub(crate) fn warning(
        file: &str,
        position: Option<Position>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic::new(Severity::Warning, file, position, message.into())
    }

    fn new(severity: Severity, file: &str, position: Option<Position>, message: String) -> Self {
        Diagnostic {
            severity,
            file: file.to_string(),
            position,
            message: shorten_quotes(message),
        }
    }

    /// The order diagnostics are shown in: by file, then place, then severity.
    pub(crate) fn sort_key(&self) -> (&str, Option<Position>, Severity, &str) {
        (&self.file, self.position, self.severity, &self.message)
    }
}

/// Journal text quoted in a message (between backticks) longer than this is cut: a
/// milestone can be a whole 10 MB line, and its message should still fit a terminal.
const MAX_QUOTE_CHARS: usize = 80;

fn shorten_quotes(message: String) -> String {
    if message.len() <= MAX_QUOTE_CHARS {
        return message;
    }
    let mut shortened = String::with_capacity(message.len().min(1024));
    for (index, part) in message.split('`').enumerate() {
        if index > 0 {
            shortened.push('`');
        }
        let quoted = index % 2 == 1;
        match part.char_indices().nth(MAX_QUOTE_CHARS) {
            Some((cut, _)) if quoted => {
                shortened.push_str(&part[..cut]);
                shortened.push('…');
            }
            _ => shortened.push_str(part),
        }
    }
    shortened
}

/// The JSON contract: `{"severity", "file", "line", "column", "message"}`, with `line` and
/// `column` null for problems of a whole file.
impl Serialize for Diagnostic {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = serializer.serialize_struct("Diagnostic", 5)?;
        out.serialize_field("severity", &self.severity)?;
        out.serialize_field("file", &self.file)?;
        out.serialize_field("line", &self.position.map(|p| p.line))?;
        out.serialize_field("column", &self.position.map(|p| p.column))?;
        out.serialize_field("message", &self.message)?;
        out.end()
    }
}

/// The other way, for documents kept in the output folder between runs (see
/// `workspace::cache`): the fields as [`Serialize`] writes them.
impl<'de> Deserialize<'de> for Diagnostic {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Fields {
            severity: Severity,
            file: String,
            line: Option<u32>,
            column: Option<u32>,
            message: String,
        }
        let fields = Fields::deserialize(deserializer)?;
        let position = match (fields.line, fields.column) {
            (Some(line), Some(column)) => Some(Position { line, column }),
            (None, None) => None,
            _ => return Err(serde::de::Error::custom("a line without a column")),
        };
        Ok(Diagnostic {
            severity: fields.severity,
            file: fields.file,
            position,
            message: fields.message,
        })
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// Compiler style: `file:line:column: severity: message`.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some(p) => write!(f, "{}:{}:{}: ", self.file, p.line, p.column)?,
            None => write!(f, "{}: ", self.file)?,
        }
        write!(f, "{}: {}", self.severity, self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_compiler_style() {
        let d = Diagnostic::error("goals/a.md", Some(Position::new(3, 6)), "bad date");
        assert_eq!(d.to_string(), "goals/a.md:3:6: error: bad date");
        let d = Diagnostic::warning("b.md", None, "empty file");
        assert_eq!(d.to_string(), "b.md: warning: empty file");
    }

    #[test]
    fn long_quoted_text_is_cut() {
        let long = "w".repeat(10_000);
        let d = Diagnostic::warning("a.md", None, format!("milestone `{long}` belongs to `x`"));
        assert_eq!(
            d.message,
            format!("milestone `{}…` belongs to `x`", "w".repeat(80))
        );
        let short = format!("milestone `{}` is fine", "é".repeat(80));
        assert_eq!(
            Diagnostic::warning("a.md", None, short.clone()).message,
            short
        );
    }

    #[test]
    fn serializes_line_and_column_as_numbers_or_null() {
        let d = Diagnostic::error("a.md", Some(Position::new(3, 6)), "m");
        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(json["line"], 3);
        assert_eq!(json["column"], 6);
        assert_eq!(json["severity"], "error");
        let d = Diagnostic::warning("a.md", None, "m");
        let json = serde_json::to_value(&d).unwrap();
        assert!(json["line"].is_null() && json["column"].is_null());
    }
}
