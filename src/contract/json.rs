//! A span-aware JSON reader: validates RFC 8259 syntax and keeps, for the members the rules
//! look at, their names, values and byte spans; reports duplicate member names anywhere.
//!
//! What it keeps: the kind and span of the top-level value; for a top-level object every member
//! (name, name span, value, value span, in document order, duplicates included) and the same for
//! the members of each object that is the value of a top-level member (`properties`). Deeper
//! values are validated and checked for duplicate names, but not kept.
//!
//! Offsets are byte offsets into the body; line and column are the caller's business.
//!
//! # Hot path
//! The body is checked for UTF-8 once with `std::str::from_utf8` (vectorised in std), after which
//! the reader works on bytes and borrows `&str` slices of the validated text, so a string without
//! escapes costs no allocation. The reader is a single forward pass with an explicit container
//! stack (no recursion, so input depth cannot overflow the call stack; the stack is capped at
//! [`MAX_DEPTH`]). String contents are skipped eight bytes at a time (SWAR), stopping only at
//! `"`, `\` or a control byte; escapes are validated in that pass and decoded only for names and
//! values that are kept or compared. Duplicate names are found by comparing raw bytes (an
//! escape-free name is its own decoded form) against the names seen so far in the same object —
//! linear for small objects, a hash index once an object has more than a handful of members, so
//! hostile input stays linear. The per-parse work buffers live in a reusable [`Scratch`]; with a
//! warm one, a typical error body costs two small allocations (the kept member lists) plus one
//! per kept string that has escapes.
//!
//! Measured with `contract::tests::throughput` (release, one core, 251-byte NDJSON lines):
//! `parse_with` ≈ 390 ns/line, `check_body` (parse + every rule) ≈ 550 ns/line,
//! `serde_json::from_slice::<Value>` ≈ 810 ns/line.

use crate::contract::text;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::ops::Range;

/// Deepest nesting of arrays and objects accepted; deeper input is a syntax error.
pub const MAX_DEPTH: usize = 512;

/// Objects with more names than this get a hash index for duplicate detection.
const LINEAR_NAME_LIMIT: usize = 16;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The kind of a JSON value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Object,
    Array,
    String,
    Number,
    True,
    False,
    Null,
}

impl Kind {
    /// `object`, `array`, `string`, `number`, `true`, `false`, `null`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Object => "object",
            Kind::Array => "array",
            Kind::String => "string",
            Kind::Number => "number",
            Kind::True => "true",
            Kind::False => "false",
            Kind::Null => "null",
        }
    }

    /// The kind as a message names what it found: `an object`, `a string`, `true`, ….
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Object => "an object",
            Kind::Array => "an array",
            Kind::String => "a string",
            Kind::Number => "a number",
            Kind::True => "true",
            Kind::False => "false",
            Kind::Null => "null",
        }
    }
}

/// A kept value. Containers carry no content here; see [`Document::children`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value<'a> {
    Object,
    Array,
    /// The decoded string; borrowed from the body unless it had escapes.
    String(Cow<'a, str>),
    /// The number's lexeme exactly as written, e.g. `4.09e2`; see [`integer_value`].
    Number(&'a str),
    True,
    False,
    Null,
}

impl<'a> Value<'a> {
    pub fn kind(&self) -> Kind {
        match self {
            Value::Object => Kind::Object,
            Value::Array => Kind::Array,
            Value::String(_) => Kind::String,
            Value::Number(_) => Kind::Number,
            Value::True => Kind::True,
            Value::False => Kind::False,
            Value::Null => Kind::Null,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::True => Some(true),
            Value::False => Some(false),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<&'a str> {
        match self {
            Value::Number(lexeme) => Some(lexeme),
            _ => None,
        }
    }
}

/// One member of a kept object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member<'a> {
    /// The decoded name (`"st\u0061tus"` is `status`).
    pub name: Cow<'a, str>,
    /// The name token, quotes included.
    pub name_span: Range<usize>,
    pub value: Value<'a>,
    /// The whole value token (a container from its opening to its closing bracket).
    pub value_span: Range<usize>,
    /// An earlier member of the same object has the same name (this one wins lookups).
    pub repeated: bool,
    /// For an object value of a top-level member: its members, as a range of `Document::nested`.
    children: Option<Range<usize>>,
}

impl Member<'_> {
    pub fn kind(&self) -> Kind {
        self.value.kind()
    }

    /// From the name's opening quote to the end of the value.
    pub fn span(&self) -> Range<usize> {
        self.name_span.start..self.value_span.end
    }
}

/// The last member named `name` (the one a JSON consumer keeps when names repeat).
pub fn find<'m, 'a>(members: &'m [Member<'a>], name: &str) -> Option<&'m Member<'a>> {
    members.iter().rev().find(|member| member.name == name)
}

/// A repeated member name, found in any object at any depth.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duplicate<'a> {
    /// The decoded name.
    pub name: Cow<'a, str>,
    /// The name token of the repeated (later) occurrence.
    pub span: Range<usize>,
    /// The name token of the first occurrence.
    pub first: Range<usize>,
    /// 2 for the second occurrence, 3 for the third, ….
    pub occurrence: u32,
}

/// A syntactically valid body, with what the rules need of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document<'a> {
    root: Value<'a>,
    root_span: Range<usize>,
    members: Vec<Member<'a>>,
    nested: Vec<Member<'a>>,
    duplicates: Vec<Duplicate<'a>>,
}

impl<'a> Document<'a> {
    /// The top-level value (for containers, only its kind).
    pub fn root(&self) -> &Value<'a> {
        &self.root
    }

    pub fn root_kind(&self) -> Kind {
        self.root.kind()
    }

    /// The top-level value, without surrounding whitespace.
    pub fn root_span(&self) -> Range<usize> {
        self.root_span.clone()
    }

    /// The members of a top-level object, in document order, repeated names included; empty
    /// when the top-level value is not an object.
    pub fn members(&self) -> &[Member<'a>] {
        &self.members
    }

    /// The last top-level member named `name`.
    pub fn get(&self, name: &str) -> Option<&Member<'a>> {
        find(&self.members, name)
    }

    /// The members of `member`'s value when it is an object and `member` is a top-level member;
    /// empty otherwise.
    pub fn children(&self, member: &Member<'a>) -> &[Member<'a>] {
        member
            .children
            .clone()
            .and_then(|range| self.nested.get(range))
            .unwrap_or(&[])
    }

    /// Every repeated member name, in document order.
    pub fn duplicates(&self) -> &[Duplicate<'a>] {
        &self.duplicates
    }
}

/// Why a body is not JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyntaxErrorKind {
    EmptyBody,
    ByteOrderMark,
    InvalidUtf8 { byte: u8 },
    TruncatedUtf8,
    ExpectedValue { found: Option<char> },
    TrailingCommaInArray,
    ExpectedNameOrBrace,
    ExpectedName,
    TrailingCommaInObject,
    ExpectedColon,
    ExpectedCommaOrBrace,
    ExpectedCommaOrBracket,
    UnterminatedString,
    ControlCharacter(u8),
    InvalidEscape { found: Option<char> },
    InvalidUnicodeEscape,
    LoneSurrogate(u16),
    LeadingZero,
    MissingIntegerDigits,
    MissingFractionDigits,
    MissingExponentDigits,
    InvalidLiteral(&'static str),
    TrailingCharacters,
    TooDeep,
}

impl fmt::Display for SyntaxErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use SyntaxErrorKind as K;
        match *self {
            K::EmptyBody => f.write_str("empty body"),
            K::ByteOrderMark => f.write_str("byte order mark before the JSON text"),
            K::InvalidUtf8 { byte } => write!(f, "invalid UTF-8: byte 0x{byte:02X}"),
            K::TruncatedUtf8 => f.write_str("invalid UTF-8: truncated sequence at the end"),
            K::ExpectedValue { found: None } => {
                f.write_str("expected a JSON value, found the end of the body")
            }
            K::ExpectedValue { found: Some('\'') } => {
                f.write_str("expected a JSON value, found `'` (JSON strings use double quotes)")
            }
            K::ExpectedValue { found: Some(c) } => {
                write!(f, "expected a JSON value, found `{}`", show_char(c))
            }
            K::TrailingCommaInArray => {
                f.write_str("expected a JSON value after `,` (trailing commas are not allowed)")
            }
            K::ExpectedNameOrBrace => f.write_str("expected a member name in double quotes or `}`"),
            K::ExpectedName => f.write_str("expected a member name in double quotes after `,`"),
            K::TrailingCommaInObject => {
                f.write_str("expected a member name after `,` (trailing commas are not allowed)")
            }
            K::ExpectedColon => f.write_str("expected `:` after a member name"),
            K::ExpectedCommaOrBrace => f.write_str("expected `,` or `}` after an object member"),
            K::ExpectedCommaOrBracket => f.write_str("expected `,` or `]` after an array element"),
            K::UnterminatedString => f.write_str("unterminated string"),
            K::ControlCharacter(byte) => write!(
                f,
                "control character U+{byte:04X} in a string must be escaped"
            ),
            K::InvalidEscape { found: None } => f.write_str("unterminated string"),
            K::InvalidEscape { found: Some(c) } => {
                write!(f, "invalid escape `\\{}` in a string", show_char(c))
            }
            K::InvalidUnicodeEscape => f.write_str("`\\u` must be followed by four hex digits"),
            K::LoneSurrogate(unit) => {
                write!(f, "unpaired surrogate `\\u{unit:04X}` in a string")
            }
            K::LeadingZero => f.write_str("a number must not have leading zeros"),
            K::MissingIntegerDigits => f.write_str("expected a digit after `-`"),
            K::MissingFractionDigits => f.write_str("expected a digit after the decimal point"),
            K::MissingExponentDigits => f.write_str("expected a digit in the exponent"),
            K::InvalidLiteral(word) => write!(f, "invalid literal, expected `{word}`"),
            K::TrailingCharacters => f.write_str("trailing characters after the JSON value"),
            K::TooDeep => write!(
                f,
                "arrays and objects nested deeper than {MAX_DEPTH} levels"
            ),
        }
    }
}

fn show_char(c: char) -> String {
    let mut buf = [0u8; 4];
    text::escape_for_display(c.encode_utf8(&mut buf)).into_owned()
}

/// The first syntax error of a body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// Byte offset where the error was found (the body's length at its end).
    pub offset: usize,
    /// Width of the offending character in bytes (0 at the end of the body).
    pub width: usize,
    pub kind: SyntaxErrorKind,
}

impl SyntaxError {
    /// The offending character: one character wide, empty at the end of the body.
    pub fn span(&self) -> Range<usize> {
        self.offset..self.offset + self.width
    }
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.kind.fmt(f)
    }
}

impl std::error::Error for SyntaxError {}

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
    object: bool,
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

/// Parses `body` with fresh work buffers.
pub fn parse(body: &[u8]) -> Result<Document<'_>, SyntaxError> {
    parse_with(body, &mut Scratch::default())
}

/// Parses `body`, reusing `scratch`'s buffers. Reports the first syntax error.
pub fn parse_with<'a>(body: &'a [u8], scratch: &mut Scratch) -> Result<Document<'a>, SyntaxError> {
    if body.starts_with(BOM) {
        return Err(SyntaxError {
            offset: 0,
            width: BOM.len(),
            kind: SyntaxErrorKind::ByteOrderMark,
        });
    }
    match std::str::from_utf8(body) {
        Ok(text) => Parser::new(text, scratch).run(),
        Err(utf8) => {
            let valid = utf8.valid_up_to();
            // A syntax error before the first bad byte is the first error; one the reader only
            // hits because the valid prefix ends there is not.
            let prefix = body.get(..valid).map(std::str::from_utf8);
            if let Some(Ok(prefix)) = prefix
                && let Err(error) = Parser::new(prefix, scratch).run()
                && error.offset < valid
                && error.kind != SyntaxErrorKind::UnterminatedString
            {
                return Err(error);
            }
            let kind = match (utf8.error_len(), body.get(valid)) {
                (Some(_), Some(&byte)) => SyntaxErrorKind::InvalidUtf8 { byte },
                _ => SyntaxErrorKind::TruncatedUtf8,
            };
            Err(SyntaxError {
                offset: valid,
                width: utf8.error_len().unwrap_or(body.len() - valid),
                kind,
            })
        }
    }
}

/// What a number lexeme is worth as an integer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntegerValue {
    /// The number is integral and fits an `i64` (`409`, `409.0`, `4.09e2`; `-0` is 0).
    Exact(i64),
    /// The number is integral but does not fit an `i64` (`1e400`).
    OutOfRange,
    /// The number has a fractional part (`409.5`).
    Fraction,
}

/// Evaluates a JSON number lexeme exactly (no floating point); `None` if `lexeme` is not an
/// RFC 8259 number.
pub fn integer_value(lexeme: &str) -> Option<IntegerValue> {
    let bytes = lexeme.as_bytes();
    let mut at = 0;
    let negative = bytes.first() == Some(&b'-');
    if negative {
        at += 1;
    }
    let digits_from = |from: usize| {
        bytes.get(from..).map_or(0, |rest| {
            rest.iter().take_while(|b| b.is_ascii_digit()).count()
        })
    };
    let int_len = digits_from(at);
    let int_digits = bytes.get(at..at + int_len)?;
    if int_len == 0 || (int_len > 1 && int_digits.first() == Some(&b'0')) {
        return None;
    }
    at += int_len;
    let mut frac_digits: &[u8] = &[];
    if bytes.get(at) == Some(&b'.') {
        let len = digits_from(at + 1);
        if len == 0 {
            return None;
        }
        frac_digits = bytes.get(at + 1..at + 1 + len)?;
        at += 1 + len;
    }
    let mut exponent: i64 = 0;
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1;
        let exp_negative = match bytes.get(at) {
            Some(b'-') => {
                at += 1;
                true
            }
            Some(b'+') => {
                at += 1;
                false
            }
            _ => false,
        };
        let len = digits_from(at);
        if len == 0 {
            return None;
        }
        for digit in bytes.get(at..at + len)? {
            // Saturates far beyond any body length, so the sums below cannot overflow.
            exponent = (exponent * 10 + i64::from(digit - b'0')).min(1 << 48);
        }
        if exp_negative {
            exponent = -exponent;
        }
        at += len;
    }
    if at != bytes.len() {
        return None;
    }

    // value = digits × 10^(exponent − fraction length); find the significant digits.
    let digits = || int_digits.iter().chain(frac_digits).copied();
    let total = int_digits.len() + frac_digits.len();
    let Some(lead) = digits().position(|d| d != b'0') else {
        return Some(IntegerValue::Exact(0));
    };
    let trailing_zeros = digits().rev().take_while(|&d| d == b'0').count();
    let significant = total - lead - trailing_zeros;
    let scale = exponent - len_i64(frac_digits.len()) + len_i64(trailing_zeros);
    if scale < 0 {
        // The last significant digit is non-zero and sits right of the decimal point.
        return Some(IntegerValue::Fraction);
    }
    if len_i64(significant) + scale > 19 {
        return Some(IntegerValue::OutOfRange);
    }
    let mut value: i128 = 0;
    for digit in digits().skip(lead).take(significant) {
        value = value * 10 + i128::from(digit - b'0');
    }
    for _ in 0..scale {
        value *= 10;
    }
    if negative {
        value = -value;
    }
    Some(i64::try_from(value).map_or(IntegerValue::OutOfRange, IntegerValue::Exact))
}

fn len_i64(len: usize) -> i64 {
    i64::try_from(len).unwrap_or(i64::MAX / 4)
}

struct Parser<'a, 's> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    s: &'s mut Scratch,
    root: Value<'a>,
    root_span: Range<usize>,
    root_is_object: bool,
    members: Vec<Member<'a>>,
    nested: Vec<Member<'a>>,
    duplicates: Vec<Duplicate<'a>>,
}

impl<'a, 's> Parser<'a, 's> {
    fn new(text: &'a str, scratch: &'s mut Scratch) -> Self {
        scratch.frames.clear();
        scratch.names.clear();
        scratch.arena.clear();
        scratch.big.clear();
        Parser {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            s: scratch,
            root: Value::Null,
            root_span: 0..0,
            root_is_object: false,
            // Room for a typical envelope without regrowing.
            members: Vec::with_capacity(8),
            nested: Vec::with_capacity(4),
            duplicates: Vec::new(),
        }
    }

    fn run(mut self) -> Result<Document<'a>, SyntaxError> {
        self.skip_ws();
        if self.pos >= self.bytes.len() {
            return Err(self.error(self.pos, SyntaxErrorKind::EmptyBody));
        }
        'value: loop {
            // A value starts at `self.pos`.
            let start = self.pos;
            let depth = self.s.frames.len();
            match self.peek() {
                Some(b'{') => {
                    self.open(true)?;
                    self.skip_ws();
                    if self.peek() == Some(b'}') {
                        self.close();
                    } else {
                        self.member_name(false)?;
                        continue 'value;
                    }
                }
                Some(b'[') => {
                    self.open(false)?;
                    self.skip_ws();
                    if self.peek() == Some(b']') {
                        self.close();
                    } else {
                        continue 'value;
                    }
                }
                Some(b'"') => {
                    let (content, escaped) = self.scan_string()?;
                    if self.keeps_value(depth) {
                        let value = Value::String(string_value(self.text, content, escaped));
                        self.keep_scalar(depth, value, start);
                    }
                }
                Some(b'-' | b'0'..=b'9') => {
                    self.scan_number()?;
                    if self.keeps_value(depth) {
                        let lexeme = self.text.get(start..self.pos).unwrap_or_default();
                        self.keep_scalar(depth, Value::Number(lexeme), start);
                    }
                }
                Some(b't') => {
                    self.literal("true")?;
                    self.keep_scalar(depth, Value::True, start);
                }
                Some(b'f') => {
                    self.literal("false")?;
                    self.keep_scalar(depth, Value::False, start);
                }
                Some(b'n') => {
                    self.literal("null")?;
                    self.keep_scalar(depth, Value::Null, start);
                }
                _ => {
                    let found = self.char_at(start);
                    return Err(self.error(start, SyntaxErrorKind::ExpectedValue { found }));
                }
            }
            // A value just ended: continue its container, or finish.
            loop {
                self.skip_ws();
                let Some(frame) = self.s.frames.last() else {
                    if self.pos < self.bytes.len() {
                        return Err(self.error(self.pos, SyntaxErrorKind::TrailingCharacters));
                    }
                    return Ok(self.finish());
                };
                match (frame.object, self.peek()) {
                    (true, Some(b',')) => {
                        self.pos += 1;
                        self.skip_ws();
                        self.member_name(true)?;
                        continue 'value;
                    }
                    (false, Some(b',')) => {
                        self.pos += 1;
                        self.skip_ws();
                        if self.peek() == Some(b']') {
                            return Err(self.error(self.pos, SyntaxErrorKind::TrailingCommaInArray));
                        }
                        continue 'value;
                    }
                    (true, Some(b'}')) | (false, Some(b']')) => self.close(),
                    (true, _) => {
                        return Err(self.error(self.pos, SyntaxErrorKind::ExpectedCommaOrBrace));
                    }
                    (false, _) => {
                        return Err(self.error(self.pos, SyntaxErrorKind::ExpectedCommaOrBracket));
                    }
                }
            }
        }
    }

    fn finish(self) -> Document<'a> {
        Document {
            root: self.root,
            root_span: self.root_span,
            members: self.members,
            nested: self.nested,
            duplicates: self.duplicates,
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

    /// Whether a value at `depth` (the number of open containers around it) is kept: the
    /// top-level value, a top-level member's value, or a member value of such an object.
    fn keeps_value(&self, depth: usize) -> bool {
        match depth {
            0 => true,
            1 => self.root_is_object,
            2 => self.root_is_object && self.s.frames.get(1).is_some_and(|f| f.object),
            _ => false,
        }
    }

    /// The member whose value is at `depth`, when it is kept.
    fn slot(&mut self, depth: usize) -> Option<&mut Member<'a>> {
        if !self.keeps_value(depth) {
            return None;
        }
        match depth {
            1 => self.members.last_mut(),
            2 => self.nested.last_mut(),
            _ => None,
        }
    }

    fn keep_scalar(&mut self, depth: usize, value: Value<'a>, start: usize) {
        let end = self.pos;
        if depth == 0 {
            self.root = value;
            self.root_span = start..end;
        } else if let Some(member) = self.slot(depth) {
            member.value = value;
            member.value_span = start..end;
        }
    }

    fn open(&mut self, object: bool) -> Result<(), SyntaxError> {
        let depth = self.s.frames.len();
        let start = self.pos;
        if depth >= MAX_DEPTH {
            return Err(self.error(start, SyntaxErrorKind::TooDeep));
        }
        let value = if object { Value::Object } else { Value::Array };
        if depth == 0 {
            self.root = value;
            self.root_span = start..start + 1;
            self.root_is_object = object;
        } else {
            let nested_len = self.nested.len();
            if let Some(member) = self.slot(depth) {
                member.value = value;
                member.value_span = start..start + 1;
                if object && depth == 1 {
                    member.children = Some(nested_len..nested_len);
                }
            }
        }
        self.s.frames.push(Frame {
            object,
            names_start: self.s.names.len(),
            arena_start: self.s.arena.len(),
        });
        self.pos += 1;
        Ok(())
    }

    /// Closes the innermost container; `self.pos` is at its closing bracket.
    fn close(&mut self) {
        self.pos += 1;
        if let Some(frame) = self.s.frames.pop()
            && frame.object
        {
            self.s.names.truncate(frame.names_start);
            self.s.arena.truncate(frame.arena_start);
            let depth = self.s.frames.len() + 1;
            if self.s.big.last().is_some_and(|big| big.depth == depth) {
                self.s.big.pop();
            }
        }
        let depth = self.s.frames.len();
        let end = self.pos;
        let nested_len = self.nested.len();
        if depth == 0 {
            self.root_span.end = end;
        } else if let Some(member) = self.slot(depth) {
            member.value_span.end = end;
            if let Some(children) = &mut member.children {
                children.end = nested_len;
            }
        }
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
        let repeated = self.note_name(content.clone(), escaped, span.clone());
        let depth = self.s.frames.len();
        if self.keeps_value(depth) && depth > 0 {
            let member = Member {
                name: string_value(self.text, content, escaped),
                name_span: span,
                value: Value::Null,
                value_span: self.pos..self.pos,
                repeated,
                children: None,
            };
            if depth == 1 {
                self.members.push(member);
            } else {
                self.nested.push(member);
            }
        }
        self.skip_ws();
        if self.peek() != Some(b':') {
            return Err(self.error(self.pos, SyntaxErrorKind::ExpectedColon));
        }
        self.pos += 1;
        self.skip_ws();
        Ok(())
    }

    /// Records a name of the innermost object; returns whether it repeats an earlier one (and
    /// then records the duplicate).
    fn note_name(&mut self, content: Range<usize>, escaped: bool, span: Range<usize>) -> bool {
        let text = self.text;
        let s = &mut *self.s;
        let Some(frame) = s.frames.last().copied() else {
            return false;
        };
        let depth = s.frames.len();
        let arena_mark = s.arena.len();
        let (key, in_arena) = if escaped {
            decode_into(&mut s.arena, text.get(content.clone()).unwrap_or_default());
            (arena_mark..s.arena.len(), true)
        } else {
            (content.clone(), false)
        };
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
            self.duplicates.push(Duplicate {
                name: string_value(text, content, escaped),
                span,
                first: first.span.clone(),
                occurrence: first.count,
            });
            s.arena.truncate(arena_mark);
            return true;
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
        false
    }

    /// Scans a string token at `self.pos` (its opening quote); returns the byte range of its
    /// content and whether it has escapes. Validates escapes and rejects raw control characters.
    fn scan_string(&mut self) -> Result<(Range<usize>, bool), SyntaxError> {
        let open = self.pos;
        let bytes = self.bytes;
        let mut at = open + 1;
        let mut escaped = false;
        loop {
            // The hot loop: most bytes are plain content, skipped eight at a time.
            at = skip_plain_words(bytes, at);
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

/// Skips string content eight bytes at a time (SWAR) up to the word holding the first `"`, `\`
/// or control byte; returns where the byte-wise scan should continue.
fn skip_plain_words(bytes: &[u8], mut at: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // High bit set in each byte of `word` that is zero (exact for the lowest such byte, which
    // is all the caller needs).
    let zero_bytes = |word: u64| word.wrapping_sub(ONES) & !word & HIGH;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let Ok(chunk) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let word = u64::from_le_bytes(chunk);
        let stops = zero_bytes(word ^ (ONES * u64::from(b'"')))
            | zero_bytes(word ^ (ONES * u64::from(b'\\')))
            | (word.wrapping_sub(ONES * 0x20) & !word & HIGH);
        if stops != 0 {
            // Little-endian: the lowest flagged byte is the first stop in the text.
            return at + (stops.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    at
}

/// The decoded form of a string token's content (`content` excludes the quotes).
fn string_value(text: &str, content: Range<usize>, escaped: bool) -> Cow<'_, str> {
    let raw = text.get(content).unwrap_or_default();
    if escaped {
        let mut decoded = String::with_capacity(raw.len());
        decode_into(&mut decoded, raw);
        Cow::Owned(decoded)
    } else {
        Cow::Borrowed(raw)
    }
}

/// Appends the decoded form of already validated string content to `out`.
fn decode_into(out: &mut String, raw: &str) {
    let mut rest = raw;
    while let Some(backslash) = rest.find('\\') {
        out.push_str(rest.get(..backslash).unwrap_or_default());
        let escape = rest.get(backslash + 1..).unwrap_or_default();
        let mut consumed = 1;
        match escape.as_bytes().first() {
            Some(b'b') => out.push('\u{8}'),
            Some(b'f') => out.push('\u{c}'),
            Some(b'n') => out.push('\n'),
            Some(b'r') => out.push('\r'),
            Some(b't') => out.push('\t'),
            Some(b'u') => {
                let unit = hex_value(escape.get(1..5));
                consumed = 5;
                let code = match unit {
                    Some(high @ 0xD800..=0xDBFF) if escape.get(5..7) == Some("\\u") => {
                        consumed = 11;
                        let low = hex_value(escape.get(7..11)).unwrap_or(0);
                        0x10000 + ((high - 0xD800) << 10) + low.saturating_sub(0xDC00)
                    }
                    Some(unit) => unit,
                    None => 0xFFFD,
                };
                out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
            }
            Some(&other) => out.push(char::from(other)),
            None => {}
        }
        rest = escape.get(consumed..).unwrap_or_default();
    }
    out.push_str(rest);
}

fn hex_value(digits: Option<&str>) -> Option<u32> {
    u32::from_str_radix(digits?, 16).ok()
}
