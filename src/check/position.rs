//! From byte offsets to what a user reads: `line:col` in the original input file, and the
//! offending line as a snippet.
//!
//! Lines are counted from 1 and end at `\n` (a `\r` before it is not shown). Columns are counted
//! from 1 in characters (Unicode scalar values), not bytes and not display cells: a column is
//! what editors' "go to line:column" expects for UTF-8 text. Bytes that are not valid UTF-8
//! count as one column each (every byte that is not a UTF-8 continuation byte starts a
//! character).
//!
//! Also the decoding of a JSON string literal with a map back to raw offsets, which points a
//! violation found in a HAR entry's decoded body at the raw bytes of the HAR file.

use crate::check::diagnostic::Snippet;
use std::ops::Range;

/// How much of a (very long) line around the span is kept for the snippet, in bytes each side.
const SNIPPET_CONTEXT: usize = 1024;

/// A 1-based line and column (characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    pub const START: Pos = Pos { line: 1, column: 1 };

    /// The position just after `bytes`, read from `self`.
    pub fn advance(self, bytes: &[u8]) -> Pos {
        match bytes.iter().rposition(|&b| b == b'\n') {
            None => Pos {
                line: self.line,
                column: self.column + count_chars(bytes),
            },
            Some(last) => Pos {
                line: self.line + bytes.iter().filter(|&&b| b == b'\n').count(),
                column: 1 + count_chars(bytes.get(last + 1..).unwrap_or_default()),
            },
        }
    }
}

/// Characters in `bytes` (every byte that is not a UTF-8 continuation byte starts one).
pub fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

/// A piece of an input held in memory, and where in the input it starts.
#[derive(Clone, Copy, Debug)]
pub struct Source<'a> {
    pub bytes: &'a [u8],
    /// Position of `bytes[0]` in the input.
    pub origin: Pos,
    /// The input's line goes on after the last byte of `bytes` (a HAR entry inside a longer
    /// line); a body that ends at its line's end (NDJSON line, whole file) says `false`.
    pub open_end: bool,
}

impl<'a> Source<'a> {
    /// A piece that starts at a line start and ends at a line end (a file, an NDJSON line).
    pub fn lines(bytes: &'a [u8], first_line: usize) -> Self {
        Source {
            bytes,
            origin: Pos {
                line: first_line,
                column: 1,
            },
            open_end: false,
        }
    }

    /// Position and snippet of the byte range `span` (clamped to the piece).
    pub fn resolve(&self, span: Range<usize>) -> (Pos, Snippet) {
        let len = self.bytes.len();
        let start = floor_char(self.bytes, span.start.min(len));
        let end = span.end.clamp(start, len);
        let before = self.bytes.get(..start).unwrap_or_default();
        let pos = self.origin.advance(before);

        let newline_before = before.iter().rposition(|&b| b == b'\n');
        let line_start = newline_before.map_or(0, |i| i + 1);
        let newline_after = self
            .bytes
            .get(start..)
            .unwrap_or_default()
            .iter()
            .position(|&b| b == b'\n')
            .map(|i| start + i);
        let line_end = newline_after.unwrap_or(len);

        // Keep at most SNIPPET_CONTEXT bytes each side of the span start.
        let shown_start = floor_char(
            self.bytes,
            line_start.max(start.saturating_sub(SNIPPET_CONTEXT)),
        );
        let shown_end = floor_char(
            self.bytes,
            line_end.min(start.saturating_add(SNIPPET_CONTEXT)),
        );
        let shown = self.bytes.get(shown_start..shown_end).unwrap_or_default();
        let mut text = String::from_utf8_lossy(shown).into_owned();
        if newline_after.is_some() && shown_end == line_end && text.ends_with('\r') {
            text.pop();
        }
        let span_start = count_chars(self.bytes.get(shown_start..start).unwrap_or_default());
        let span_len = count_chars(
            self.bytes
                .get(start..end.min(shown_end))
                .unwrap_or_default(),
        );
        let snippet = Snippet {
            text,
            span: span_start..span_start + span_len,
            cut_start: shown_start > line_start
                || (newline_before.is_none() && self.origin.column > 1),
            cut_end: shown_end < line_end || (newline_after.is_none() && self.open_end),
        };
        (pos, snippet)
    }
}

/// `offset` moved back to the start of the UTF-8 character it falls in.
fn floor_char(bytes: &[u8], mut offset: usize) -> usize {
    while offset > 0 && bytes.get(offset).is_some_and(|&b| (b & 0xC0) == 0x80) {
        offset -= 1;
    }
    offset
}

/// A JSON string literal, decoded, with a map from decoded byte offsets to raw offsets.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DecodedString {
    pub bytes: Vec<u8>,
    /// Where the mapping changes: (decoded offset, raw offset, raw length of an escape or 0 for
    /// a run of literal bytes). Sorted by decoded offset.
    segments: Vec<(usize, usize, usize)>,
}

impl DecodedString {
    /// Decodes `raw`, a complete JSON string literal with its quotes. `None` if it is not one
    /// (serde_json has usually validated it already).
    pub fn decode(raw: &[u8]) -> Option<Self> {
        let inner = raw.strip_prefix(b"\"")?.strip_suffix(b"\"")?;
        let mut out = DecodedString {
            bytes: Vec::with_capacity(inner.len()),
            segments: Vec::new(),
        };
        let mut i = 0;
        let mut literal_open = false;
        while let Some(&b) = inner.get(i) {
            if b != b'\\' {
                if !literal_open {
                    out.segments.push((out.bytes.len(), i + 1, 0));
                    literal_open = true;
                }
                out.bytes.push(b);
                i += 1;
                continue;
            }
            literal_open = false;
            let escape_at = i;
            let (c, raw_len) = match inner.get(i + 1)? {
                b'"' => ('"', 2),
                b'\\' => ('\\', 2),
                b'/' => ('/', 2),
                b'b' => ('\u{8}', 2),
                b'f' => ('\u{c}', 2),
                b'n' => ('\n', 2),
                b'r' => ('\r', 2),
                b't' => ('\t', 2),
                b'u' => {
                    let high = hex4(inner.get(i + 2..i + 6)?)?;
                    let low = if (0xD800..0xDC00).contains(&high)
                        && inner.get(i + 6..i + 8) == Some(b"\\u")
                    {
                        inner.get(i + 8..i + 12).and_then(hex4)
                    } else {
                        None
                    };
                    if let Some(low) = low.filter(|low| (0xDC00..0xE000).contains(low)) {
                        let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                        (char::from_u32(code).unwrap_or('\u{fffd}'), 12)
                    } else {
                        (char::from_u32(high).unwrap_or('\u{fffd}'), 6)
                    }
                }
                _ => return None,
            };
            out.segments.push((out.bytes.len(), escape_at + 1, raw_len));
            out.bytes
                .extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
            i += raw_len;
        }
        Some(out)
    }

    /// The raw offset (from the literal's opening quote) of decoded offset `decoded`. Offsets
    /// inside the output of an escape map to the escape's backslash.
    pub fn raw_offset(&self, decoded: usize) -> usize {
        let index = self.segments.partition_point(|&(d, _, _)| d <= decoded);
        match index.checked_sub(1).and_then(|i| self.segments.get(i)) {
            // Before any segment: the empty string, or offset 0 of it.
            None => 1,
            Some(&(d, raw, 0)) => raw + (decoded - d),
            Some(&(d, raw, raw_len)) => {
                let next = self.segments.get(index).map_or(self.bytes.len(), |s| s.0);
                if decoded < next.max(d + 1) {
                    raw
                } else {
                    raw + raw_len
                }
            }
        }
    }
}

fn hex4(digits: &[u8]) -> Option<u32> {
    let text = std::str::from_utf8(digits).ok()?;
    if text.len() != 4 {
        return None;
    }
    u32::from_str_radix(text, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters() {
        let source = Source::lines("{\n  \"t\u{e9}\": 1,\n  \"x\": 2}\n".as_bytes(), 1);
        // `"x"` on line 3, column 3.
        let text = std::str::from_utf8(source.bytes).unwrap();
        let at = text.find("\"x\"").unwrap();
        let (pos, snippet) = source.resolve(at..at + 3);
        assert_eq!(pos, Pos { line: 3, column: 3 });
        assert_eq!(snippet.text, "  \"x\": 2}");
        assert_eq!(snippet.span, 2..5);
        // After the é (2 bytes, 1 column): `:` of line 2 is column 7.
        let colon = text.find(':').unwrap();
        assert_eq!(
            source.resolve(colon..colon + 1).0,
            Pos { line: 2, column: 7 }
        );
    }

    #[test]
    fn origin_and_crlf() {
        let source = Source {
            bytes: b"ab\r\ncd",
            origin: Pos {
                line: 5,
                column: 10,
            },
            open_end: true,
        };
        let (pos, snippet) = source.resolve(1..2);
        assert_eq!(
            pos,
            Pos {
                line: 5,
                column: 11
            }
        );
        assert_eq!(snippet.text, "ab");
        assert!(snippet.cut_start && !snippet.cut_end);
        let (pos, snippet) = source.resolve(5..6);
        assert_eq!(pos, Pos { line: 6, column: 2 });
        assert!(!snippet.cut_start && snippet.cut_end);
    }

    #[test]
    fn decoded_offsets_map_back_through_escapes() {
        let raw = br#""a\"b\u00e9\n{\ud83d\ude00}x""#;
        let decoded = DecodedString::decode(raw).unwrap();
        assert_eq!(decoded.bytes, "a\"bé\n{😀}x".as_bytes());
        let raw_text = std::str::from_utf8(raw).unwrap();
        let find = |s: &str| raw_text.find(s).unwrap();
        assert_eq!(decoded.raw_offset(0), 1); // a
        assert_eq!(decoded.raw_offset(1), find("\\\"")); // \"
        assert_eq!(decoded.raw_offset(2), find("b\\u")); // b
        assert_eq!(decoded.raw_offset(3), find("\\u00e9")); // é, first byte
        assert_eq!(decoded.raw_offset(4), find("\\u00e9")); // é, second byte
        assert_eq!(decoded.raw_offset(5), find("\\n"));
        assert_eq!(decoded.raw_offset(6), find("{"));
        assert_eq!(decoded.raw_offset(7), find("\\ud83d"));
        assert_eq!(decoded.raw_offset(11), find("}"));
        assert_eq!(decoded.raw_offset(12), find("x"));
        assert_eq!(decoded.raw_offset(13), raw.len() - 1); // end: the closing quote
    }
}
