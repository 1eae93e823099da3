//! The span-aware JSON reader: the one reader of JSON in the crate. It validates RFC 8259
//! syntax in a single forward pass, reports repeated member names anywhere, and tells a
//! [`Visitor`] what it reads, with byte spans. Three visitors serve the crate:
//!
//! - [`parse`] / [`parse_reusing`] build a [`Document`], what the envelope rules read: the kind and
//!   span of the top-level value; for a top-level object every member (name, name span, value,
//!   value span, in document order, duplicates included) and the same for the members of each
//!   object that is the value of a top-level member (`properties`). Deeper values are validated
//!   and checked for duplicate names, but not kept.
//! - [`tree_prefix`] builds a [`Tree`] of every value of the first value in a text, and says where
//!   it ends, for the capture readers (HAR, Newman, Bruno, Hurl), which cut one entry at a time
//!   out of a rolling buffer; [`tree_pruned`] keeps named containers as leaves.
//! - [`visit`] takes any visitor (the idempotency fingerprint digests a body as it is read).
//!
//! A string token is a [`Str`]: decoded on demand ([`Str::decode`], the one JSON string decoder),
//! optionally with an [`OffsetMap`] from decoded offsets back to offsets of the text.
//!
//! Offsets are byte offsets into the text; line and column are the caller's business.
//!
//! # Hot path
//! The body is checked for UTF-8 once with `simdutf8` (SIMD, about three times std), after which
//! the reader works on bytes and borrows `&str` slices of the validated text, so a string without
//! escapes costs no allocation. The reader is a single forward pass with an explicit container
//! stack (no recursion, so input depth cannot overflow the call stack; the stack is capped at
//! [`MAX_DEPTH`]). String contents are skipped eight bytes at a time (SWAR), stopping only at
//! `"`, `\`, or a control byte; escapes are validated in that pass and decoded only for names and
//! values that are kept or compared. Duplicate names are found by comparing raw bytes (an
//! escape-free name is its own decoded form) against the names seen so far in the same object —
//! linear for small objects, a hash index once an object has more than a handful of members, so
//! hostile input stays linear. The visitor is a generic parameter, so each use compiles to its
//! own loop with no dynamic dispatch. The per-parse work buffers live in a reusable [`Scratch`],
//! and a document done with gives its member lists back to a [`Spare`]; with warm ones, a
//! typical error body costs no allocation, except one per kept string that has escapes.
//!
//! Measured with `contract::tests::throughput` (release, one core, 251-byte NDJSON lines, on a
//! shared two-core machine): before the visitor API `parse_with` (now `parse_reusing`) ≈ 474
//! ns/line, `check_body` ≈ 900, `serde_json::from_slice::<Value>` ≈ 1,594; after it, on the same
//! machine under a neighbour's load, 602, 1,276 and 2,407 — the same ratio to serde_json or better
//! (0.30 → 0.25).
//!
//! # Why not jiter
//! jiter 0.10 was measured as the lexer of the same pass (its `Jiter` pull API, an explicit
//! stack, duplicate names compared per object): ≈ 460 ns/line against 480 for this reader, and
//! ≈ 290 for `next_skip` alone, which keeps nothing. No gain worth a dependency, and it gives
//! neither name spans (a name comes back as a slice whose offset only pointer arithmetic
//! recovers) nor decoded names that outlive the next call, so duplicates across escapes (`"a"`,
//! `"\u0061"`) would need a second decoder, and its errors would have to be mapped onto the
//! messages the checker documents. So the reader stays its own lexer.

mod document;
mod number;
mod reader;
mod string;
mod tree;

#[cfg(test)]
mod tests;

pub use document::{Document, Duplicate, Member, Spare, Value, find};
pub use number::{IntegerValue, integer_value};
pub use reader::{Container, Repeat, Scalar, Scratch, Visitor};
pub use string::{OffsetMap, Str};
pub use tree::{Children, NodeRef, Tree};

use crate::contract::text;
use reader::{Extent, Parser};
use std::fmt;
use std::ops::Range;

/// Deepest nesting of arrays and objects accepted; deeper input is a syntax error.
pub const MAX_DEPTH: usize = 512;

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

/// Parses `body` with fresh work buffers.
pub fn parse(body: &[u8]) -> Result<Document<'_>, SyntaxError> {
    parse_reusing(body, &mut Scratch::default(), &mut Spare::default())
}

/// Parses `body`, reusing `scratch`'s work buffers and the buffers of a recycled document
/// ([`Document::recycle`]). Reports the first syntax error.
pub fn parse_reusing<'a>(
    body: &'a [u8],
    scratch: &mut Scratch,
    spare: &mut Spare,
) -> Result<Document<'a>, SyntaxError> {
    let mut builder = document::Builder::new(spare);
    visit(body, scratch, &mut builder)?;
    Ok(builder.finish())
}

/// Checks that `body` is one JSON text, keeping nothing.
pub fn validate(body: &[u8]) -> Result<(), SyntaxError> {
    visit(body, &mut Scratch::default(), &mut ())
}

/// Reads `body`, which must be one JSON text, telling `visitor` what it finds. Reports the
/// first syntax error (a visitor's state is meaningless then).
pub fn visit<'a, V: Visitor<'a>>(
    body: &'a [u8],
    scratch: &mut Scratch,
    visitor: &mut V,
) -> Result<(), SyntaxError> {
    if body.starts_with(BOM) {
        return Err(SyntaxError {
            offset: 0,
            width: BOM.len(),
            kind: SyntaxErrorKind::ByteOrderMark,
        });
    }
    // simdutf8 validates with SIMD where the CPU has it (detected once); std again only for
    // an invalid body, for the position of its first bad byte.
    let text = simdutf8::basic::from_utf8(body).or_else(|_| std::str::from_utf8(body));
    match text {
        Ok(text) => Parser::new(text, scratch, visitor)
            .run(Extent::Whole)
            .map(|_| ()),
        Err(utf8) => {
            let valid = utf8.valid_up_to();
            // A syntax error before the first bad byte is the first error; one the reader only
            // hits because the valid prefix ends there is not.
            let prefix = body.get(..valid).map(std::str::from_utf8);
            if let Some(Ok(prefix)) = prefix
                && let Err(error) = Parser::new(prefix, scratch, visitor).run(Extent::Whole)
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

/// Why [`tree_prefix`] stopped without a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrefixError {
    /// The text ends inside the value (or right after it, where a number could go on): read
    /// more and ask again.
    Incomplete,
    Syntax(SyntaxError),
}

/// The longest look-ahead behind an error's offset (a surrogate pair escape,
/// `\uD83D\uDE00`): an error this close to the end of a text that goes on may be an artefact
/// of where the text was cut.
const LOOK_AHEAD: usize = 12;

/// Reads the value at the start of `text` (after whitespace), telling `visitor` what it finds;
/// returns the offset where the value ends. `more` says that `text` is cut from a longer input,
/// so a value that runs to its end may go on: then [`PrefixError::Incomplete`] asks for more
/// text, and the caller reads the value again, with a fresh visitor, from a longer text.
pub fn visit_prefix<'a, V: Visitor<'a>>(
    text: &'a str,
    more: bool,
    scratch: &mut Scratch,
    visitor: &mut V,
) -> Result<usize, PrefixError> {
    match Parser::new(text, scratch, visitor).run(Extent::Prefix) {
        Ok(end) if more && end == text.len() => Err(PrefixError::Incomplete),
        Ok(end) => Ok(end),
        Err(error)
            if more
                && (error.kind == SyntaxErrorKind::UnterminatedString
                    || error.offset + LOOK_AHEAD >= text.len()) =>
        {
            Err(PrefixError::Incomplete)
        }
        Err(error) => Err(PrefixError::Syntax(error)),
    }
}

/// [`visit_prefix`] into a [`Tree`] of every value; offsets in the tree are offsets into `text`.
pub fn tree_prefix<'a>(
    text: &'a str,
    more: bool,
    scratch: &mut Scratch,
) -> Result<(Tree<'a>, usize), PrefixError> {
    tree_pruned(text, more, scratch, &[])
}

/// [`tree_prefix`], keeping each container found at one of the `pruned` paths (member names
/// from the root: `["response", "stream", "data"]`) as a leaf: its kind and span, no children.
/// The reader still validates it; [`NodeRef::raw`] gives its text.
pub fn tree_pruned<'a>(
    text: &'a str,
    more: bool,
    scratch: &mut Scratch,
    pruned: &[&[&str]],
) -> Result<(Tree<'a>, usize), PrefixError> {
    let mut builder = tree::Builder::pruning(pruned);
    let end = visit_prefix(text, more, scratch, &mut builder)?;
    // A successful pass always saw a value; should it not have, that is the text's end.
    let tree = builder
        .finish(text)
        .ok_or(PrefixError::Syntax(SyntaxError {
            offset: text.len(),
            width: 0,
            kind: SyntaxErrorKind::ExpectedValue { found: None },
        }))?;
    Ok((tree, end))
}
