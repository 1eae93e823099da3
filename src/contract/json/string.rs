//! String tokens: the one JSON string decoder, and the map from decoded offsets back to the raw
//! offsets of the text (which points a finding in a HAR entry's decoded body at the bytes of the
//! HAR file).

use std::borrow::Cow;
use std::ops::Range;

/// A string token the reader validated: its place in the text and whether it has escapes.
/// Only the reader makes one, so its content is always valid JSON string content and decoding
/// cannot fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Str<'a> {
    text: &'a str,
    /// The opening quote.
    start: usize,
    /// Just after the closing quote.
    end: usize,
    escaped: bool,
}

impl<'a> Str<'a> {
    /// `content` is the range between the quotes; the reader has validated it.
    #[inline]
    pub(super) fn new(text: &'a str, content: Range<usize>, escaped: bool) -> Self {
        Str {
            text,
            start: content.start.saturating_sub(1),
            end: content.end + 1,
            escaped,
        }
    }

    /// The token, quotes included.
    #[inline]
    pub fn span(&self) -> Range<usize> {
        self.start..self.end
    }

    /// The raw content between the quotes, escapes as written.
    #[inline]
    pub fn raw(&self) -> &'a str {
        // The range lies inside the validated text by construction; an empty string is the
        // only answer for a token that is not, and the reader never makes one.
        self.text.get(self.start + 1..self.end - 1).unwrap_or("")
    }

    /// Whether the content has escapes (then [`Str::decode`] allocates).
    pub fn has_escapes(&self) -> bool {
        self.escaped
    }

    /// The decoded string; borrowed from the text unless it has escapes.
    #[inline]
    pub fn decode(&self) -> Cow<'a, str> {
        if self.escaped {
            Cow::Owned(self.decode_escaped())
        } else {
            Cow::Borrowed(self.raw())
        }
    }

    /// Out of line: most tokens have no escapes, and inlining this into every caller made
    /// the plain case a function call (decode was 7% of a check, callgrind).
    #[inline(never)]
    fn decode_escaped(&self) -> String {
        let raw = self.raw();
        let mut out = String::with_capacity(raw.len());
        decode_into(&mut out, raw, None);
        out
    }

    /// Whether the decoded string is `wanted`, without allocating for an escape-free token.
    #[inline]
    pub fn is(&self, wanted: &str) -> bool {
        if self.escaped {
            self.decode() == wanted
        } else {
            self.raw() == wanted
        }
    }

    /// The decoded string and the map from its byte offsets to offsets of the text.
    pub fn decode_mapped(&self) -> (Cow<'a, str>, OffsetMap) {
        let content_start = self.start + 1;
        let raw = self.raw();
        if !self.escaped {
            let map = OffsetMap {
                content_start,
                decoded_len: raw.len(),
                segments: Vec::new(),
            };
            return (Cow::Borrowed(raw), map);
        }
        let mut out = String::with_capacity(raw.len());
        let mut segments = Vec::new();
        decode_into(&mut out, raw, Some((&mut segments, content_start)));
        let map = OffsetMap {
            content_start,
            decoded_len: out.len(),
            segments,
        };
        (Cow::Owned(out), map)
    }
}

/// Where the bytes of a decoded string come from in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OffsetMap {
    content_start: usize,
    decoded_len: usize,
    /// Where the mapping changes, sorted by decoded offset; empty for a string without escapes
    /// (the map is then a shift by `content_start`).
    segments: Vec<Segment>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Segment {
    decoded: usize,
    /// Offset in the text of the run's first byte, or of an escape's backslash.
    raw: usize,
    /// The escape's length in the text; 0 for a run of literal bytes.
    escape_len: usize,
}

impl OffsetMap {
    /// The offset in the text of decoded offset `decoded`. An offset inside the output of an
    /// escape maps to the escape's backslash; the end of the string to its closing quote.
    pub fn raw_offset(&self, decoded: usize) -> usize {
        let index = self.segments.partition_point(|s| s.decoded <= decoded);
        match index.checked_sub(1).and_then(|i| self.segments.get(i)) {
            // No escapes (or offset 0 of an empty string): a shift.
            None => self.content_start + decoded.min(self.decoded_len),
            Some(segment) if segment.escape_len == 0 => {
                segment.raw + (decoded.min(self.decoded_len) - segment.decoded)
            }
            Some(segment) => {
                let next = self
                    .segments
                    .get(index)
                    .map_or(self.decoded_len, |s| s.decoded);
                if decoded < next.max(segment.decoded + 1) {
                    segment.raw
                } else {
                    segment.raw + segment.escape_len
                }
            }
        }
    }

    /// `raw_offset` of both ends of `span`.
    pub fn raw_span(&self, span: Range<usize>) -> Range<usize> {
        self.raw_offset(span.start)..self.raw_offset(span.end)
    }
}

/// Appends the decoded form of validated string content `raw` to `out`. With `map`, records a
/// segment per literal run and per escape, raw offsets counted from `map.1` (the offset of
/// `raw` in the text). The one JSON string decoder of the crate.
pub(super) fn decode_into(
    out: &mut String,
    raw: &str,
    mut map: Option<(&mut Vec<Segment>, usize)>,
) {
    let mut rest = raw;
    while !rest.is_empty() {
        let at = raw.len() - rest.len();
        let run = rest.find('\\').unwrap_or(rest.len());
        if run > 0 {
            if let Some((segments, base)) = map.as_mut() {
                segments.push(Segment {
                    decoded: out.len(),
                    raw: *base + at,
                    escape_len: 0,
                });
            }
            out.push_str(rest.get(..run).unwrap_or_default());
            rest = rest.get(run..).unwrap_or_default();
            continue;
        }
        let (c, len) = escape(rest);
        if let Some((segments, base)) = map.as_mut() {
            segments.push(Segment {
                decoded: out.len(),
                raw: *base + at,
                escape_len: len,
            });
        }
        out.push(c);
        rest = rest.get(len..).unwrap_or_default();
    }
}

/// The character of the validated escape that starts `rest` (at its backslash), and the
/// escape's length. The reader has rejected every malformed escape and lone surrogate; the
/// replacement character stands for one it did not, rather than a panic.
fn escape(rest: &str) -> (char, usize) {
    let bytes = rest.as_bytes();
    match bytes.get(1) {
        Some(b'b') => ('\u{8}', 2),
        Some(b'f') => ('\u{c}', 2),
        Some(b'n') => ('\n', 2),
        Some(b'r') => ('\r', 2),
        Some(b't') => ('\t', 2),
        Some(b'u') => {
            let unit = hex4(rest.get(2..6));
            match unit {
                Some(high @ 0xD800..=0xDBFF) if rest.get(6..8) == Some("\\u") => {
                    let low = hex4(rest.get(8..12)).unwrap_or(0);
                    let code = 0x10000 + ((high - 0xD800) << 10) + low.saturating_sub(0xDC00);
                    (char::from_u32(code).unwrap_or('\u{FFFD}'), 12)
                }
                Some(unit) => (char::from_u32(unit).unwrap_or('\u{FFFD}'), 6),
                None => ('\u{FFFD}', 2),
            }
        }
        Some(&other) => (char::from(other), 2),
        None => ('\u{FFFD}', 1),
    }
}

fn hex4(digits: Option<&str>) -> Option<u32> {
    u32::from_str_radix(digits?, 16).ok()
}
