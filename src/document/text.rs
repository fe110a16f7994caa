//! Turning a file's bytes into text, and byte offsets into lines and columns.

use crate::diagnostic::Position;

/// Decodes a journal file. UTF-8 only (with or without BOM); anything else gets a message
/// that says what the file looks like and what to do about it.
pub(super) fn decode(bytes: &[u8]) -> Result<&str, String> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err("file is UTF-16 encoded; save it as UTF-8 to include it".to_string());
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // memchr's search (wide SIMD registers): files hardly ever hold one.
    if let Some(at) = memchr::memchr(0, bytes) {
        return Err(format!(
            "file contains a NUL byte at byte {at}; it looks like a binary file, not markdown"
        ));
    }
    std::str::from_utf8(bytes).map_err(|error| {
        let at = error.valid_up_to();
        let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count();
        format!(
            "file is not valid UTF-8 (first bad byte at line {line}, byte {at}); \
             save it as UTF-8 to include it"
        )
    })
}

/// Whether `text` holds `byte` twice in a row (`::`, `%%`): a search for the byte with
/// memchr (wide SIMD registers), which most texts do not hold at all, where `str::contains`
/// prepared a substring search for each of about 50,000 texts at 10,000 files.
pub(super) fn has_doubled(text: &str, byte: u8) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(byte, bytes).any(|at| bytes.get(at + 1) == Some(&byte))
}

/// The start of every line of a text, so that offsets become positions by binary search.
/// `\n`, `\r\n` and a lone `\r` all end a line, as they do for CommonMark.
pub(crate) struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// How many characters come before each multiple of [`CHUNK`] bytes, so that a column
    /// far into a long line is not counted from the line's start: 500,000 links in one
    /// paragraph would otherwise take a count of the whole line each. Built on the first
    /// such column.
    chars_before_chunk: std::cell::OnceCell<Vec<usize>>,
}

/// Columns closer than this to their line's start are counted directly.
const CHUNK: usize = 1024;

impl<'a> LineIndex<'a> {
    pub(crate) fn new(text: &'a str) -> LineIndex<'a> {
        let bytes = text.as_bytes();
        let starts = if memchr::memchr(b'\r', bytes).is_some() {
            let mut starts = vec![0];
            for (i, &b) in bytes.iter().enumerate() {
                let ends_line = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
                if ends_line {
                    starts.push(i + 1);
                }
            }
            starts
        } else {
            // Most files end lines with `\n` alone: a search for it (memchr's, which uses
            // wide SIMD registers where the standard library's does not) is several times
            // faster than looking at every byte. Room for a line every 40 bytes:
            // most files never regrow it, and no pass counts their lines first (which cost
            // as much as the regrowing did). The index lives only while its file is read.
            let mut starts = Vec::with_capacity(1 + bytes.len() / 40);
            starts.push(0);
            starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
            starts
        };
        LineIndex {
            text,
            starts,
            chars_before_chunk: std::cell::OnceCell::new(),
        }
    }

    /// The 1-based line and character column of a byte offset.
    pub(crate) fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&start| start <= offset) - 1;
        let line_start = self.starts[line];
        let column = if offset - line_start <= CHUNK {
            count_chars(&self.text.as_bytes()[line_start..offset])
        } else {
            self.chars_before(offset) - self.chars_before(line_start)
        };
        Position::new(to_u32(line + 1), to_u32(column + 1))
    }

    /// The number of characters in the text before byte `offset`.
    fn chars_before(&self, offset: usize) -> usize {
        let chunk = offset / CHUNK;
        self.chunk_table()[chunk] + count_chars(&self.text.as_bytes()[chunk * CHUNK..offset])
    }

    /// How many characters come before each multiple of [`CHUNK`] bytes.
    fn chunk_table(&self) -> &[usize] {
        self.chars_before_chunk.get_or_init(|| {
            let mut table = vec![0];
            let mut total = 0;
            for chunk in self.text.as_bytes().chunks(CHUNK) {
                total += count_chars(chunk);
                table.push(total);
            }
            table
        })
    }

    /// The text of a 1-based line without its line ending, and the byte offset in it of
    /// the position's column (the line's end when the line is shorter). Far into a long
    /// line the offset comes from the table of characters per chunk, so that showing many
    /// places of one long line does not count each from the line's start.
    pub(crate) fn line_and_offset(&self, position: Position) -> Option<(&'a str, usize)> {
        let start = *self.starts.get((position.line as usize).checked_sub(1)?)?;
        let line = self.line(position.line)?.trim_end_matches(['\r', '\n']);
        let column = position.column.saturating_sub(1) as usize;
        let offset = if column <= CHUNK {
            line.char_indices()
                .nth(column)
                .map_or(line.len(), |(at, _)| at)
        } else {
            let wanted = self.chars_before(start) + column;
            self.offset_of_char(wanted)
                .saturating_sub(start)
                .min(line.len())
        };
        Some((line, offset))
    }

    /// The byte offset where the text's character number `wanted` (0-based) starts, or
    /// the text's end.
    fn offset_of_char(&self, wanted: usize) -> usize {
        let bytes = self.text.as_bytes();
        let table = self.chunk_table();
        let chunk = table.partition_point(|&before| before <= wanted) - 1;
        let mut left = wanted - table[chunk];
        for (at, &byte) in bytes.iter().enumerate().skip(chunk * CHUNK) {
            if (byte as i8) >= -0x40 {
                if left == 0 {
                    return at;
                }
                left -= 1;
            }
        }
        bytes.len()
    }

    /// Line `number` (1-based), with its line ending.
    pub(crate) fn line(&self, number: u32) -> Option<&'a str> {
        let index = usize::try_from(number).ok()?.checked_sub(1)?;
        let start = *self.starts.get(index)?;
        let end = self
            .starts
            .get(index + 1)
            .copied()
            .unwrap_or(self.text.len());
        Some(&self.text[start..end])
    }

    /// The 1-based line number of a byte offset.
    pub(crate) fn line_of(&self, offset: usize) -> u32 {
        self.position(offset).line
    }
}

/// The characters that start in `bytes` of UTF-8 text (which may begin or end inside a
/// character): every byte but continuation bytes (`0b10xx_xxxx`).
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

/// Line and column numbers beyond u32 cannot occur under the file size limit; saturate
/// rather than wrap if they ever do.
pub(super) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_doubled_is_found_anywhere_and_a_single_one_is_not() {
        assert!(has_doubled("key:: value", b':'));
        assert!(has_doubled("::", b':'));
        assert!(has_doubled("a: b: c::", b':'));
        assert!(!has_doubled("a: b :c", b':'));
        assert!(!has_doubled("", b':'));
        assert!(has_doubled("é%%", b'%'));
        assert!(!has_doubled("50% %", b'%'));
    }

    #[test]
    fn decodes_utf8_with_and_without_bom() {
        assert_eq!(decode(b"abc").unwrap(), "abc");
        assert_eq!(decode(b"\xEF\xBB\xBFabc").unwrap(), "abc");
    }

    #[test]
    fn refuses_utf16_binary_and_invalid_utf8() {
        assert!(decode(b"\xFF\xFEa\x00").unwrap_err().contains("UTF-16"));
        assert!(
            decode(b"ab\x00c")
                .unwrap_err()
                .contains("NUL byte at byte 2")
        );
        let error = decode(b"ok\nok\n\xC3\x28").unwrap_err();
        assert!(error.contains("line 3"), "{error}");
    }

    #[test]
    fn positions_count_lines_for_every_line_ending() {
        let text = "a\nb\r\nc\rdé\n";
        let index = LineIndex::new(text);
        assert_eq!(index.position(0), Position::new(1, 1));
        assert_eq!(index.position(2), Position::new(2, 1));
        assert_eq!(index.position(5), Position::new(3, 1));
        assert_eq!(index.position(7), Position::new(4, 1));
        // The column counts characters, not bytes: `é` is two bytes.
        assert_eq!(index.position(8), Position::new(4, 2));
        assert_eq!(index.position(10), Position::new(4, 3));
    }

    #[test]
    fn lines_ended_by_newline_alone_are_found_like_any_others() {
        // Without a `\r` anywhere the index is built by a faster search.
        let text = "a\n\nbc\nd";
        assert_eq!(lines_of(text), ["a", "", "bc", "d"]);
        let with_cr = text.replace("bc", "b\r\nc");
        let index = LineIndex::new(&with_cr);
        assert_eq!(index.line_of(with_cr.find('d').unwrap()), 5);
        assert_eq!(
            LineIndex::new(text).position(text.find('d').unwrap()),
            Position::new(4, 1)
        );
        assert_eq!(lines_of("x\n"), ["x", ""]);
    }

    /// Every line of `text`, without line endings.
    fn lines_of(text: &str) -> Vec<&str> {
        let index = LineIndex::new(text);
        (1..)
            .map_while(|line| index.line_and_offset(Position::new(line, 1)))
            .map(|(line, _)| line)
            .collect()
    }

    #[test]
    fn lines_split_like_positions() {
        assert_eq!(lines_of("a\nb\r\nc\rd"), ["a", "b", "c", "d"]);
    }

    #[test]
    fn columns_far_into_a_long_line_count_characters() {
        // Past the first chunk, columns come from the table of characters before each
        // chunk; chunk edges fall inside the two-byte `é`s.
        let text = format!("x\n{}ab\n", "é".repeat(3 * CHUNK));
        let index = LineIndex::new(&text);
        let a = text.find('a').unwrap();
        for offset in [2, a - 2, a, a + 1] {
            let expected = text[2..offset].chars().count() + 1;
            assert_eq!(index.position(offset), Position::new(2, to_u32(expected)));
        }
        assert_eq!(index.position(a), Position::new(2, to_u32(3 * CHUNK + 1)));
    }

    #[test]
    fn positions_turn_back_into_offsets_in_their_line() {
        // Near the line's start and far into it (through the table of chunks), across
        // chunk edges inside two-byte characters.
        let text = format!("x\r\n{}ab\nlast", "é".repeat(3 * CHUNK));
        let index = LineIndex::new(&text);
        let line = &text[3..text.find("b\n").unwrap() + 1];
        for offset in [3, 5, 3 + 2 * CHUNK, text.find('a').unwrap(), line.len() + 3] {
            let (found, at) = index.line_and_offset(index.position(offset)).unwrap();
            assert_eq!((found, at), (line, offset - 3));
        }
        // A column past the line's end (the file changed since) is its end.
        assert_eq!(index.line_and_offset(Position::new(1, 99)), Some(("x", 1)));
        assert_eq!(
            index.line_and_offset(Position::new(2, 99_999)),
            Some((line, line.len()))
        );
        assert_eq!(
            index.line_and_offset(Position::new(3, 2)),
            Some(("last", 1))
        );
        assert_eq!(index.line_and_offset(Position::new(4, 1)), None);
        assert_eq!(index.line_and_offset(Position::new(0, 1)), None);
    }

    #[test]
    fn offsets_past_the_end_stay_on_the_last_line() {
        let index = LineIndex::new("a\nb");
        assert_eq!(index.position(99), Position::new(2, 2));
    }
}
