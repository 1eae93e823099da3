//! The one pass over the text: validation, depth limit, duplicate names, and the events a
//! [`Visitor`] turns into what its caller keeps.

use super::string::{Str, decode_into};
use super::{MAX_DEPTH, SyntaxError, SyntaxErrorKind};
use crate::contract::text::skip_plain_json;
use std::collections::HashMap;
use std::ops::Range;

/// Objects with more names than this get a hash index for duplicate detection.
const LINEAR_NAME_LIMIT: usize = 16;

/// A scalar value as the reader found it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scalar<'a> {
    String(Str<'a>),
    /// The number's lexeme exactly as written, e.g. `4.09e2`.
    Number(&'a str),
    True,
    False,
    Null,
}

/// An array or an object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Container {
    Object,
    Array,
}

/// A member name that an earlier member of the same object already has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Repeat {
    /// The name token of the first occurrence.
    pub first: Range<usize>,
    /// 2 for the second occurrence, 3 for the third, ….
    pub occurrence: u32,
}

/// What the reader reports, in document order. `depth` is the number of containers around
/// the value (0 for the top-level value); a member name has the depth of its value.
///
/// The reader validates as it goes, so events can precede a syntax error: a visitor's state is
/// only meaningful when the pass succeeded.
pub trait Visitor<'a> {
    /// A container opens; `at` is its bracket.
    fn open(&mut self, container: Container, at: usize, depth: usize);
    /// The name of the member whose value comes next, with `repeat` when the object already
    /// has a member of that (decoded) name.
    fn name(&mut self, name: Str<'a>, repeat: Option<Repeat>, depth: usize);
    fn scalar(&mut self, scalar: Scalar<'a>, span: Range<usize>, depth: usize);
    /// The innermost container closes; `span` runs from its opening to its closing bracket.
    fn close(&mut self, container: Container, span: Range<usize>, depth: usize);
}

/// A visitor that keeps nothing: the pass only validates.
impl Visitor<'_> for () {
    fn open(&mut self, _: Container, _: usize, _: usize) {}
    fn name(&mut self, _: Str<'_>, _: Option<Repeat>, _: usize) {}
    fn scalar(&mut self, _: Scalar<'_>, _: Range<usize>, _: usize) {}
    fn close(&mut self, _: Container, _: Range<usize>, _: usize) {}
}

/// Reusable work buffers of the reader; keep one per thread to parse without reallocating them.
#[derive(Debug, Default)]
pub struct Scratch {
    frames: Vec<Frame>,
    names: Vec<NameEntry>,
    /// Decoded names that had escapes, referenced by `NameEntry::key`.
    arena: String,
    big: Vec<BigObject>,
}

#[derive(Clone, Copy, Debug)]
struct Frame {
    container: Container,
    start: usize,
    names_start: usize,
    arena_start: usize,
}

#[derive(Clone, Debug)]
struct NameEntry {
    key: Range<usize>,
    in_arena: bool,
    span: Range<usize>,
    count: u32,
}

#[derive(Debug)]
struct BigObject {
    depth: usize,
    index: HashMap<Box<[u8]>, usize>,
}

/// Whether the value must fill the text or may be followed by more.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Extent {
    /// The text is one value with optional surrounding whitespace.
    Whole,
    /// The text starts with one value (after whitespace); what follows is the caller's.
    Prefix,
}

pub(super) struct Parser<'a, 's, V> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    s: &'s mut Scratch,
    visitor: &'s mut V,
}

impl<'a, 's, V: Visitor<'a>> Parser<'a, 's, V> {
    pub(super) fn new(text: &'a str, scratch: &'s mut Scratch, visitor: &'s mut V) -> Self {
        scratch.frames.clear();
        scratch.names.clear();
        scratch.arena.clear();
        scratch.big.clear();
        Parser {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            s: scratch,
            visitor,
        }
    }

    /// Reads one value; returns where it ends (before any trailing whitespace).
    pub(super) fn run(mut self, extent: Extent) -> Result<usize, SyntaxError> {
        self.skip_ws();
        if self.pos >= self.bytes.len() && extent == Extent::Whole {
            return Err(self.error(self.pos, SyntaxErrorKind::EmptyBody));
        }
        'value: loop {
            // A value starts at `self.pos`.
            let start = self.pos;
            let depth = self.s.frames.len();
            let scalar = match self.peek() {
                Some(b'{') => {
                    self.open(Container::Object)?;
                    self.skip_ws();
                    if self.peek() == Some(b'}') {
                        self.close();
                    } else {
                        self.member_name(false)?;
                        continue 'value;
                    }
                    None
                }
                Some(b'[') => {
                    self.open(Container::Array)?;
                    self.skip_ws();
                    if self.peek() == Some(b']') {
                        self.close();
                        None
                    } else {
                        continue 'value;
                    }
                }
                Some(b'"') => {
                    let (content, escaped) = self.scan_string()?;
                    Some(Scalar::String(Str::new(self.text, content, escaped)))
                }
                Some(b'-' | b'0'..=b'9') => {
                    self.scan_number()?;
                    Some(Scalar::Number(
                        self.text.get(start..self.pos).unwrap_or_default(),
                    ))
                }
                Some(b't') => {
                    self.literal("true")?;
                    Some(Scalar::True)
                }
                Some(b'f') => {
                    self.literal("false")?;
                    Some(Scalar::False)
                }
                Some(b'n') => {
                    self.literal("null")?;
                    Some(Scalar::Null)
                }
                _ => {
                    let found = self.char_at(start);
                    return Err(self.error(start, SyntaxErrorKind::ExpectedValue { found }));
                }
            };
            if let Some(scalar) = scalar {
                self.visitor.scalar(scalar, start..self.pos, depth);
            }
            // A value just ended: continue its container, or finish.
            loop {
                let Some(frame) = self.s.frames.last() else {
                    let end = self.pos;
                    if extent == Extent::Whole {
                        self.skip_ws();
                        if self.pos < self.bytes.len() {
                            return Err(self.error(self.pos, SyntaxErrorKind::TrailingCharacters));
                        }
                    }
                    return Ok(end);
                };
                let container = frame.container;
                self.skip_ws();
                match (container, self.peek()) {
                    (Container::Object, Some(b',')) => {
                        self.pos += 1;
                        self.skip_ws();
                        self.member_name(true)?;
                        continue 'value;
                    }
                    (Container::Array, Some(b',')) => {
                        self.pos += 1;
                        self.skip_ws();
                        if self.peek() == Some(b']') {
                            return Err(self.error(self.pos, SyntaxErrorKind::TrailingCommaInArray));
                        }
                        continue 'value;
                    }
                    (Container::Object, Some(b'}')) | (Container::Array, Some(b']')) => {
                        self.close()
                    }
                    (Container::Object, _) => {
                        return Err(self.error(self.pos, SyntaxErrorKind::ExpectedCommaOrBrace));
                    }
                    (Container::Array, _) => {
                        return Err(self.error(self.pos, SyntaxErrorKind::ExpectedCommaOrBracket));
                    }
                }
            }
        }
    }

    fn error(&self, offset: usize, kind: SyntaxErrorKind) -> SyntaxError {
        let width = self.char_at(offset).map_or(0, char::len_utf8);
        SyntaxError {
            offset,
            width,
            kind,
        }
    }

    fn char_at(&self, offset: usize) -> Option<char> {
        self.text.get(offset..).and_then(|rest| rest.chars().next())
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    #[inline(always)]
    fn open(&mut self, container: Container) -> Result<(), SyntaxError> {
        let depth = self.s.frames.len();
        let start = self.pos;
        if depth >= MAX_DEPTH {
            return Err(self.error(start, SyntaxErrorKind::TooDeep));
        }
        self.visitor.open(container, start, depth);
        self.s.frames.push(Frame {
            container,
            start,
            names_start: self.s.names.len(),
            arena_start: self.s.arena.len(),
        });
        self.pos += 1;
        Ok(())
    }

    /// Closes the innermost container; `self.pos` is at its closing bracket.
    #[inline(always)]
    fn close(&mut self) {
        self.pos += 1;
        let Some(frame) = self.s.frames.pop() else {
            return;
        };
        if frame.container == Container::Object {
            self.s.names.truncate(frame.names_start);
            self.s.arena.truncate(frame.arena_start);
            let depth = self.s.frames.len() + 1;
            if self.s.big.last().is_some_and(|big| big.depth == depth) {
                self.s.big.pop();
            }
        }
        let depth = self.s.frames.len();
        self.visitor
            .close(frame.container, frame.start..self.pos, depth);
    }

    /// Reads a member name and its `:`; `self.pos` is where the name should start.
    fn member_name(&mut self, after_comma: bool) -> Result<(), SyntaxError> {
        let start = self.pos;
        if self.peek() != Some(b'"') {
            let kind = match (after_comma, self.peek()) {
                (true, Some(b'}')) => SyntaxErrorKind::TrailingCommaInObject,
                (true, _) => SyntaxErrorKind::ExpectedName,
                (false, _) => SyntaxErrorKind::ExpectedNameOrBrace,
            };
            return Err(self.error(start, kind));
        }
        let (content, escaped) = self.scan_string()?;
        let span = start..self.pos;
        let repeat = self.note_name(content.clone(), escaped, span);
        let depth = self.s.frames.len();
        self.visitor
            .name(Str::new(self.text, content, escaped), repeat, depth);
        self.skip_ws();
        if self.peek() != Some(b':') {
            return Err(self.error(self.pos, SyntaxErrorKind::ExpectedColon));
        }
        self.pos += 1;
        self.skip_ws();
        Ok(())
    }

    /// Records a name of the innermost object; says whether it repeats an earlier one.
    fn note_name(
        &mut self,
        content: Range<usize>,
        escaped: bool,
        span: Range<usize>,
    ) -> Option<Repeat> {
        let text = self.text;
        let s = &mut *self.s;
        let frame = s.frames.last().copied()?;
        let depth = s.frames.len();
        let arena_mark = s.arena.len();
        let (key, in_arena) = if escaped {
            decode_into(
                &mut s.arena,
                text.get(content.clone()).unwrap_or_default(),
                None,
            );
            (arena_mark..s.arena.len(), true)
        } else {
            (content, false)
        };
        // Every key range was made from `text` or `arena` just as it is read back here.
        let key_bytes = |key: &Range<usize>, in_arena: bool| -> &[u8] {
            let source = if in_arena {
                s.arena.as_bytes()
            } else {
                text.as_bytes()
            };
            source.get(key.clone()).unwrap_or_default()
        };
        let needle = key_bytes(&key, in_arena);
        let big = s.big.last().filter(|big| big.depth == depth);
        let earlier = match big {
            Some(big) => big.index.get(needle).copied(),
            None => s
                .names
                .get(frame.names_start..)
                .unwrap_or_default()
                .iter()
                .position(|entry| {
                    entry.key.len() == needle.len()
                        && key_bytes(&entry.key, entry.in_arena) == needle
                })
                .map(|at| frame.names_start + at),
        };
        if let Some(first) = earlier.and_then(|at| s.names.get_mut(at)) {
            first.count += 1;
            s.arena.truncate(arena_mark);
            return Some(Repeat {
                first: first.span.clone(),
                occurrence: first.count,
            });
        }
        let boxed_needle: Option<Box<[u8]>> = big.map(|_| needle.into());
        let entry = NameEntry {
            key,
            in_arena,
            span,
            count: 1,
        };
        let index = s.names.len();
        s.names.push(entry);
        if let Some(needle) = boxed_needle {
            if let Some(big) = s.big.last_mut() {
                big.index.insert(needle, index);
            }
        } else if index + 1 - frame.names_start > LINEAR_NAME_LIMIT {
            // The object has grown past the linear scan: index every name so far.
            let mut index = HashMap::with_capacity(LINEAR_NAME_LIMIT * 4);
            for (at, entry) in s.names.iter().enumerate().skip(frame.names_start) {
                let source = if entry.in_arena {
                    s.arena.as_bytes()
                } else {
                    text.as_bytes()
                };
                let name = source.get(entry.key.clone()).unwrap_or_default();
                index.entry(Box::from(name)).or_insert(at);
            }
            s.big.push(BigObject { depth, index });
        }
        None
    }

    /// Scans a string token at `self.pos` (its opening quote); returns the byte range of its
    /// content and whether it has escapes. Validates escapes and rejects raw control characters.
    /// Inlined into both callers (values and names): as a call it was 7% of a check in
    /// prologues and moving its result (callgrind); `open` and `close` likewise.
    #[inline(always)]
    fn scan_string(&mut self) -> Result<(Range<usize>, bool), SyntaxError> {
        let open = self.pos;
        let bytes = self.bytes;
        let mut at = open + 1;
        let mut escaped = false;
        loop {
            // The hot loop: most bytes are plain content, skipped eight at a time.
            at = skip_plain_json::<false>(bytes, at);
            while let Some(&byte) = bytes.get(at) {
                if byte == b'"' || byte == b'\\' || byte < 0x20 {
                    break;
                }
                at += 1;
            }
            match bytes.get(at) {
                None => return Err(self.error(open, SyntaxErrorKind::UnterminatedString)),
                Some(b'"') => {
                    self.pos = at + 1;
                    return Ok((open + 1..at, escaped));
                }
                Some(b'\\') => {
                    escaped = true;
                    at = self.scan_escape(at)?;
                }
                Some(&byte) => {
                    return Err(self.error(at, SyntaxErrorKind::ControlCharacter(byte)));
                }
            }
        }
    }

    /// Validates the escape whose backslash is at `at`; returns the offset after it.
    fn scan_escape(&self, at: usize) -> Result<usize, SyntaxError> {
        match self.bytes.get(at + 1) {
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => Ok(at + 2),
            Some(b'u') => {
                let unit = self.hex4(at + 2)?;
                match unit {
                    0xD800..=0xDBFF => {
                        let low = match (self.bytes.get(at + 6), self.bytes.get(at + 7)) {
                            (Some(b'\\'), Some(b'u')) => Some(self.hex4(at + 8)?),
                            _ => None,
                        };
                        match low {
                            Some(0xDC00..=0xDFFF) => Ok(at + 12),
                            _ => Err(self.error(at, SyntaxErrorKind::LoneSurrogate(unit))),
                        }
                    }
                    0xDC00..=0xDFFF => Err(self.error(at, SyntaxErrorKind::LoneSurrogate(unit))),
                    _ => Ok(at + 6),
                }
            }
            Some(_) => {
                let found = self.char_at(at + 1);
                Err(self.error(at, SyntaxErrorKind::InvalidEscape { found }))
            }
            None => Err(self.error(at, SyntaxErrorKind::InvalidEscape { found: None })),
        }
    }

    fn hex4(&self, at: usize) -> Result<u16, SyntaxError> {
        let mut unit: u16 = 0;
        for offset in at..at + 4 {
            let digit = self
                .bytes
                .get(offset)
                .and_then(|&b| char::from(b).to_digit(16));
            match digit {
                // A hex digit is below 16, so the cast is lossless.
                Some(digit) => unit = unit * 16 + digit as u16,
                None => {
                    // Point at the `\u` that lacks its digits.
                    return Err(self.error(at - 2, SyntaxErrorKind::InvalidUnicodeEscape));
                }
            }
        }
        Ok(unit)
    }

    fn scan_number(&mut self) -> Result<(), SyntaxError> {
        let bytes = self.bytes;
        let mut at = self.pos;
        let digits = |from: usize| {
            bytes.get(from..).map_or(0, |rest| {
                rest.iter().take_while(|b| b.is_ascii_digit()).count()
            })
        };
        if bytes.get(at) == Some(&b'-') {
            at += 1;
        }
        match bytes.get(at) {
            Some(b'0') => {
                at += 1;
                if bytes.get(at).is_some_and(u8::is_ascii_digit) {
                    return Err(self.error(at - 1, SyntaxErrorKind::LeadingZero));
                }
            }
            Some(b'1'..=b'9') => at += digits(at),
            _ => return Err(self.error(at, SyntaxErrorKind::MissingIntegerDigits)),
        }
        if bytes.get(at) == Some(&b'.') {
            let len = digits(at + 1);
            if len == 0 {
                return Err(self.error(at + 1, SyntaxErrorKind::MissingFractionDigits));
            }
            at += 1 + len;
        }
        if matches!(bytes.get(at), Some(b'e' | b'E')) {
            at += 1;
            if matches!(bytes.get(at), Some(b'+' | b'-')) {
                at += 1;
            }
            let len = digits(at);
            if len == 0 {
                return Err(self.error(at, SyntaxErrorKind::MissingExponentDigits));
            }
            at += len;
        }
        self.pos = at;
        Ok(())
    }

    fn literal(&mut self, word: &'static str) -> Result<(), SyntaxError> {
        for (offset, expected) in word.bytes().enumerate() {
            if self.bytes.get(self.pos + offset) != Some(&expected) {
                return Err(self.error(self.pos + offset, SyntaxErrorKind::InvalidLiteral(word)));
            }
        }
        self.pos += word.len();
        Ok(())
    }
}
