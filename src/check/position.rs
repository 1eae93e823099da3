//! From byte offsets to what a user reads: `line:col` in the original input file, and the
//! offending line as a snippet.
//!
//! Lines are counted from 1 and end at `\n` (a `\r` before it is not shown). Columns are counted
//! from 1 in characters (Unicode scalar values), not bytes and not display cells: a column is
//! what editors' "go to line:column" expects for UTF-8 text. Bytes that are not valid UTF-8
//! count as one column each (every byte that is not a UTF-8 continuation byte starts a
//! character).
//!
//! A violation found in a HAR entry's decoded body is first mapped back to the raw bytes of the
//! HAR file by the JSON reader (`contract::json::OffsetMap`); this module only counts lines.

use std::borrow::Cow;
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
        match memchr::memrchr(b'\n', bytes) {
            None => Pos {
                line: self.line,
                column: self.column + count_chars(bytes),
            },
            Some(last) => Pos {
                line: self.line + memchr::memchr_iter(b'\n', bytes).count(),
                column: 1 + count_chars(bytes.get(last + 1..).unwrap_or_default()),
            },
        }
    }
}

/// Characters in `bytes` (every byte that is not a UTF-8 continuation byte starts one).
pub fn count_chars(bytes: &[u8]) -> usize {
    // ASCII, the common case, is one character a byte; `is_ascii` checks a word at a time.
    if bytes.is_ascii() {
        return bytes.len();
    }
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

/// The offending source line, as far as it is known, and the highlighted part of it.
///
/// The text borrows the input where it can (`'a` is the buffer the response was read from), so
/// a finding costs no copy of its line; [`Snippet::into_owned`] keeps one beyond the buffer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snippet<'a> {
    /// The line's text (lossy UTF-8, no line terminator). Raw: renderers escape it.
    pub text: Cow<'a, str>,
    /// The highlighted characters of `text` (char indices, end exclusive; may be empty).
    pub span: std::ops::Range<usize>,
    /// The line continues before `text` (only part of it was in memory).
    pub cut_start: bool,
    /// The line continues after `text`.
    pub cut_end: bool,
}

impl Snippet<'_> {
    /// The same snippet, owning its text.
    pub fn into_owned(self) -> Snippet<'static> {
        Snippet {
            text: Cow::Owned(self.text.into_owned()),
            span: self.span,
            cut_start: self.cut_start,
            cut_end: self.cut_end,
        }
    }
}

/// A place in an input: where it starts and ends, and the line around it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place<'a> {
    pub pos: Pos,
    /// Just after the place's last character.
    pub end: Pos,
    pub excerpt: Excerpt<'a>,
}

impl Place<'_> {
    /// The same place, its line resolved and owned: it outlives the buffer it was read from
    /// (a first use remembered while a HAR is read on).
    pub fn keep(self) -> Place<'static> {
        Place {
            pos: self.pos,
            end: self.end,
            excerpt: Excerpt::Kept(self.excerpt.snippet().into_owned()),
        }
    }
}

/// The line around a place. Most reports show only `line:col`, so the line is resolved when
/// one asks ([`Excerpt::snippet`]), not for every finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Excerpt<'a> {
    /// In a piece of input still in memory: the span, and how many bytes of its line to show
    /// each side of the span's start.
    In {
        source: Source<'a>,
        span: Range<usize>,
        context: usize,
    },
    /// Resolved already.
    Kept(Snippet<'static>),
}

impl<'a> Excerpt<'a> {
    pub fn snippet(&self) -> Snippet<'a> {
        match self {
            Excerpt::In {
                source,
                span,
                context,
            } => source.snippet(span.clone(), *context),
            Excerpt::Kept(snippet) => snippet.clone(),
        }
    }
}

/// A piece of an input held in memory, and where in the input it starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

    /// The place of the byte range `span` (clamped to the piece).
    pub fn resolve(&self, span: Range<usize>) -> Place<'a> {
        self.resolve_within(span, SNIPPET_CONTEXT)
    }

    /// The position of byte `offset` (clamped to the piece), without a snippet.
    pub fn pos(&self, offset: usize) -> Pos {
        let start = floor_char(self.bytes, offset.min(self.bytes.len()));
        self.origin
            .advance(self.bytes.get(..start).unwrap_or_default())
    }

    /// As [`Source::resolve`], with at most `context` bytes of the line each side of the span
    /// start in the snippet (a snippet kept for later stays small).
    pub fn resolve_within(&self, span: Range<usize>, context: usize) -> Place<'a> {
        let len = self.bytes.len();
        let start = floor_char(self.bytes, span.start.min(len));
        let end = span.end.clamp(start, len);
        let pos = self.pos(start);
        let end_pos = pos.advance(self.bytes.get(start..end).unwrap_or_default());
        Place {
            pos,
            end: end_pos,
            excerpt: Excerpt::In {
                source: *self,
                span,
                context,
            },
        }
    }

    /// The snippet of the byte range `span`: its line, at most `context` bytes each side of
    /// the span's start.
    fn snippet(&self, span: Range<usize>, context: usize) -> Snippet<'a> {
        // Every offset below is clamped to the piece first, so the slices always exist.
        let bytes = self.bytes;
        let len = bytes.len();
        let start = floor_char(bytes, span.start.min(len));
        let end = span.end.clamp(start, len);
        let before = bytes.get(..start).unwrap_or_default();

        let newline_before = memchr::memrchr(b'\n', before);
        let line_start = newline_before.map_or(0, |i| i + 1);
        let newline_after =
            memchr::memchr(b'\n', bytes.get(start..).unwrap_or_default()).map(|i| start + i);
        let line_end = newline_after.unwrap_or(len);

        // Keep at most `context` bytes each side of the span start.
        let shown_start = floor_char(bytes, line_start.max(start.saturating_sub(context)));
        let shown_end = floor_char(bytes, line_end.min(start.saturating_add(context)));
        let mut text_end = shown_end;
        if newline_after.is_some()
            && shown_end == line_end
            && shown_end > shown_start
            && bytes.get(shown_end - 1) == Some(&b'\r')
        {
            // The `\r` of a CRLF line ending is not part of the line.
            text_end -= 1;
        }
        let shown = bytes.get(shown_start..text_end).unwrap_or_default();
        // Borrowed when the line is UTF-8, as it nearly always is: no copy per finding.
        // simdutf8 checks it with SIMD (a third of std's instructions); `from_utf8_lossy`
        // alone walked it in chunks at ~8 instructions a byte.
        let text = match simdutf8::basic::from_utf8(shown) {
            Ok(text) => Cow::Borrowed(text),
            Err(_) => String::from_utf8_lossy(shown),
        };
        let span_start = count_chars(bytes.get(shown_start..start).unwrap_or_default());
        let span_len = count_chars(bytes.get(start..end.min(shown_end)).unwrap_or_default());
        Snippet {
            text,
            span: span_start..span_start + span_len,
            cut_start: shown_start > line_start
                || (newline_before.is_none() && self.origin.column > 1),
            cut_end: shown_end < line_end || (newline_after.is_none() && self.open_end),
        }
    }
}

/// `offset` moved back to the start of the UTF-8 character it falls in.
fn floor_char(bytes: &[u8], mut offset: usize) -> usize {
    while offset > 0 && bytes.get(offset).is_some_and(|&b| (b & 0xC0) == 0x80) {
        offset -= 1;
    }
    offset
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
        let place = source.resolve(at..at + 3);
        assert_eq!(place.pos, Pos { line: 3, column: 3 });
        assert_eq!(place.end, Pos { line: 3, column: 6 });
        let snippet = place.excerpt.snippet();
        assert_eq!(snippet.text, "  \"x\": 2}");
        assert!(matches!(snippet.text, Cow::Borrowed(_)));
        assert_eq!(snippet.span, 2..5);
        // After the é (2 bytes, 1 column): `:` of line 2 is column 7.
        let colon = text.find(':').unwrap();
        assert_eq!(
            source.resolve(colon..colon + 1).pos,
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
        let place = source.resolve(1..2);
        let snippet = place.excerpt.snippet();
        assert_eq!(
            place.pos,
            Pos {
                line: 5,
                column: 11
            }
        );
        assert_eq!(snippet.text, "ab");
        assert!(snippet.cut_start && !snippet.cut_end);
        let place = source.resolve(5..6);
        assert_eq!(place.pos, Pos { line: 6, column: 2 });
        let snippet = place.excerpt.snippet();
        assert!(!snippet.cut_start && snippet.cut_end);
    }

    #[test]
    fn a_kept_place_owns_its_line() {
        let bytes = b"{\"a\": 1}".to_vec();
        let kept = Source::lines(&bytes, 4).resolve(6..7).keep();
        drop(bytes);
        assert_eq!(kept.pos, Pos { line: 4, column: 7 });
        let snippet = kept.excerpt.snippet();
        assert_eq!((snippet.text.as_ref(), snippet.span), ("{\"a\": 1}", 6..7));
    }

    #[test]
    fn invalid_utf8_is_shown_lossily() {
        let source = Source::lines(b"\"\xff\" x", 1);
        let place = source.resolve(4..5);
        assert_eq!(place.pos, Pos { line: 1, column: 5 });
        let snippet = place.excerpt.snippet();
        assert_eq!(snippet.text, "\"\u{fffd}\" x");
    }
}
