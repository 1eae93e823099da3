//! The rolling buffer a JSON capture (HAR, Newman, Bruno, Hurl) is read through. It holds
//! validated UTF-8 text from the value being read onwards, so memory is bounded by one item (an
//! entry, an execution, …; plus a read's worth). Above the items the reader follows the
//! punctuation of the enclosing objects and arrays byte by byte; every value — a member name, a
//! skipped member, an item — is read whole by the JSON reader ([`json::visit_prefix`]). A value
//! that runs past the end of the buffer is read again once the buffer has doubled, so a large
//! item costs a bounded number of passes over it.

use super::ReadError;
use crate::check::position::{Pos, Source};
use crate::contract::json::{self, PrefixError, Scratch, SyntaxError, SyntaxErrorKind};
use std::io::{self, Read};

/// Read size of the rolling buffer.
const READ_SIZE: usize = 256 << 10;

/// What a capture format calls itself and its items, for what its messages say.
#[derive(Clone, Copy, Debug)]
pub(super) struct Format {
    /// `HAR`, `Newman report`, …: `not a valid HAR: …`.
    pub name: &'static str,
    /// One item: `entry`, `execution`, …: `entry 3 is not a valid HAR entry: …`.
    pub item: &'static str,
    /// `HAR entry`, `Newman execution`, ….
    pub full_item: &'static str,
    /// A value around the items, for a message that it is too large: "a member of `log`".
    pub structure: &'static str,
}

/// What a value being read is, for what a message says about it.
#[derive(Clone, Copy, Debug)]
pub(super) enum What {
    /// The 1-based index of an item.
    Item(usize),
    /// A member name, or a member around the items that is skipped.
    Structure,
}

/// Where a value starts in the input.
#[derive(Clone, Copy, Debug)]
pub(super) struct Start {
    /// Line and column of its first byte.
    pub origin: Pos,
    /// Byte offset of its first byte.
    pub offset: usize,
}

pub(super) struct Input<R> {
    reader: R,
    /// Validated text; `text[pos..]` is not read yet.
    text: String,
    /// Read but not in `text`: an incomplete UTF-8 sequence at the end, or bytes from one that
    /// is not UTF-8 on.
    pending: Vec<u8>,
    /// `pending` starts with a byte that is not UTF-8: the text ends there, nothing more is read.
    invalid: bool,
    eof: bool,
    pos: usize,
    /// Position of `text[pos]` in the input.
    at: Pos,
    /// Byte offset of `text[0]` in the input.
    base: usize,
    chunk: Vec<u8>,
    /// Largest value kept in memory.
    limit: usize,
    format: Format,
}

impl<R: Read> Input<R> {
    pub(super) fn new(reader: R, limit: usize, format: Format) -> Self {
        Input {
            reader,
            text: String::new(),
            pending: Vec::new(),
            invalid: false,
            eof: false,
            pos: 0,
            at: Pos::START,
            base: 0,
            chunk: Vec::new(),
            limit,
            format,
        }
    }

    /// Whether the text may go on past what is in memory.
    fn more(&self) -> bool {
        !self.eof && !self.invalid
    }

    /// `text[pos..]`. `pos` moves only over ASCII punctuation, whitespace and whole values, so
    /// it always lies on a character boundary within the text.
    fn unread(&self) -> &str {
        self.text.get(self.pos..).unwrap_or_default()
    }

    /// Reads once more from the input into the text.
    fn read_more(&mut self) -> Result<(), ReadError> {
        self.chunk.resize(READ_SIZE, 0);
        let read = loop {
            match self.reader.read(&mut self.chunk) {
                Ok(read) => break read,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return Err(ReadError::io(&error)),
            }
        };
        if read == 0 {
            self.eof = true;
            // An incomplete sequence at the very end is not UTF-8 either.
            self.invalid = !self.pending.is_empty();
            return Ok(());
        }
        let Some(bytes) = self.chunk.get(..read) else {
            return Err(ReadError::Input(
                "the input returned more bytes than were asked for".into(),
            ));
        };
        self.pending.extend_from_slice(bytes);
        let (valid, invalid) = match std::str::from_utf8(&self.pending) {
            Ok(_) => (self.pending.len(), false),
            Err(error) => (error.valid_up_to(), error.error_len().is_some()),
        };
        self.reserve(valid);
        if let Some(Ok(text)) = self.pending.get(..valid).map(std::str::from_utf8) {
            self.text.push_str(text);
        }
        self.pending.drain(..valid);
        self.invalid = invalid;
        Ok(())
    }

    /// Room for `additional` more bytes: geometric, but never past a value at the limit
    /// (doubling there would reserve twice the limit).
    fn reserve(&mut self, additional: usize) {
        let len = self.text.len();
        if self.text.capacity() < len + additional {
            let room = (self.limit + READ_SIZE).saturating_sub(len);
            self.text.reserve_exact(len.min(room).max(additional));
        }
    }

    /// Drops the text before `pos`, which is always at a token boundary.
    fn compact(&mut self) {
        if self.pos > 0 && self.text.is_char_boundary(self.pos) {
            self.text.drain(..self.pos);
            self.base += self.pos;
            self.pos = 0;
        }
    }

    /// Makes `text[pos]` available; `false` at the end of the text.
    fn fill(&mut self) -> Result<bool, ReadError> {
        while self.pos >= self.text.len() {
            if !self.more() {
                return Ok(false);
            }
            self.compact();
            self.read_more()?;
        }
        Ok(true)
    }

    /// The error of a text that ends here: early, or at a byte that is not UTF-8.
    fn ended(&self, at: Pos) -> ReadError {
        let what = match self.pending.first() {
            Some(&byte) if self.invalid => SyntaxErrorKind::InvalidUtf8 { byte }.to_string(),
            _ => "the file ends early".to_string(),
        };
        broken(self.format, &what, at)
    }

    pub(super) fn broken(&self, what: &str) -> ReadError {
        broken(self.format, what, self.at)
    }

    fn peek(&mut self) -> Result<u8, ReadError> {
        if !self.fill()? {
            return Err(self.ended(self.at));
        }
        self.unread()
            .as_bytes()
            .first()
            .copied()
            .ok_or_else(|| self.ended(self.at))
    }

    /// Consumes `len` bytes of the unread text (a value's length, or one punctuation byte).
    fn advance(&mut self, len: usize) {
        let consumed = self.text.as_bytes().get(self.pos..self.pos + len);
        self.at = self.at.advance(consumed.unwrap_or_default());
        self.pos += len;
    }

    pub(super) fn skip_bom(&mut self) -> Result<(), ReadError> {
        // Three bytes, all read before the first value: compare what is there.
        while self.text.len() < 3 && self.more() {
            self.read_more()?;
        }
        if self.text.starts_with('\u{feff}') {
            self.pos += '\u{feff}'.len_utf8();
        }
        Ok(())
    }

    /// Skips whitespace; returns the next byte without consuming it.
    pub(super) fn next_non_ws(&mut self) -> Result<u8, ReadError> {
        loop {
            let byte = self.peek()?;
            if !matches!(byte, b' ' | b'\t' | b'\n' | b'\r') {
                return Ok(byte);
            }
            self.advance(1);
        }
    }

    pub(super) fn expect(&mut self, wanted: u8, what: &str) -> Result<(), ReadError> {
        if self.next_non_ws()? != wanted {
            return Err(self.broken(what));
        }
        self.advance(1);
        Ok(())
    }

    /// After a value inside an object or array: consumes `,` (returns false) or `close` (true).
    pub(super) fn separator(&mut self, close: u8) -> Result<bool, ReadError> {
        let byte = self.next_non_ws()?;
        match byte {
            b',' => {
                self.advance(1);
                Ok(false)
            }
            byte if byte == close => {
                self.advance(1);
                Ok(true)
            }
            _ => Err(self.broken("expected `,` or a closing bracket")),
        }
    }

    /// A member name and its `:`; returns the decoded name.
    pub(super) fn name(&mut self, scratch: &mut Scratch) -> Result<String, ReadError> {
        if self.next_non_ws()? != b'"' {
            return Err(self.broken("expected a member name"));
        }
        let name = self.value(What::Structure, scratch, |text, more, scratch, _| {
            let (tree, end) = json::tree_prefix(text, more, scratch)?;
            let name = tree.root().as_str().map(|name| name.decode().into_owned());
            Ok((name, end))
        })?;
        // The value starts with a quote, so the reader read a string.
        let name = name.ok_or_else(|| self.broken("expected a member name"))?;
        self.expect(b':', "expected `:` after a member name")?;
        Ok(name)
    }

    /// Inside an object whose `{` was consumed: skips members until one named `name`, and
    /// consumes its name and `:`; `false` when the object ends first (its `}` consumed).
    pub(super) fn seek_member(
        &mut self,
        name: &str,
        scratch: &mut Scratch,
    ) -> Result<bool, ReadError> {
        if self.next_non_ws()? == b'}' {
            self.advance(1);
            return Ok(false);
        }
        loop {
            if self.name(scratch)? == name {
                return Ok(true);
            }
            self.skip_value(scratch)?;
            if self.separator(b'}')? {
                return Ok(false);
            }
        }
    }

    /// After a member's value inside an object: skips the members left, through its `}`.
    pub(super) fn finish_object(&mut self, scratch: &mut Scratch) -> Result<(), ReadError> {
        while !self.separator(b'}')? {
            self.name(scratch)?;
            self.skip_value(scratch)?;
        }
        Ok(())
    }

    /// Just inside an array whose `[` was consumed: whether it is empty (its `]` consumed).
    pub(super) fn empty_array(&mut self) -> Result<bool, ReadError> {
        if self.next_non_ws()? == b']' {
            self.advance(1);
            return Ok(true);
        }
        Ok(false)
    }

    /// Reads a value and drops it.
    pub(super) fn skip_value(&mut self, scratch: &mut Scratch) -> Result<(), ReadError> {
        self.value(What::Structure, scratch, |text, more, scratch, _| {
            Ok(((), json::visit_prefix(text, more, scratch, &mut ())?))
        })
    }

    /// Reads the value at `pos` (after whitespace) with `read`, which is given the unread text,
    /// whether more may follow, and where the text starts in the input, and returns what it
    /// made of the value and where the value ends. `read` runs again on a longer text for as
    /// long as it answers [`PrefixError::Incomplete`].
    pub(super) fn value<T>(
        &mut self,
        what: What,
        scratch: &mut Scratch,
        mut read: impl FnMut(&str, bool, &mut Scratch, Start) -> Result<(T, usize), PrefixError>,
    ) -> Result<T, ReadError> {
        self.next_non_ws()?;
        loop {
            let start = Start {
                origin: self.at,
                offset: self.base + self.pos,
            };
            let error = match read(self.unread(), self.more(), scratch, start) {
                Ok((made, end)) => {
                    self.advance(end);
                    return Ok(made);
                }
                Err(PrefixError::Incomplete) => None,
                Err(PrefixError::Syntax(error)) => Some(error),
            };
            match error {
                None => self.grow(what)?,
                Some(error) => return Err(self.syntax(what, error)),
            }
        }
    }

    /// Reads until the unread text has doubled (or the input ends).
    fn grow(&mut self, what: What) -> Result<(), ReadError> {
        let unread = self.text.len() - self.pos;
        if unread > self.limit {
            let what = match what {
                What::Item(_) => format!("a {}", self.format.full_item),
                What::Structure => self.format.structure.to_string(),
            };
            return Err(ReadError::Input(format!(
                "{what} is larger than the limit of {} MiB",
                self.limit >> 20
            )));
        }
        self.compact();
        let target = unread.saturating_mul(2).clamp(READ_SIZE, self.limit + 1);
        while self.more() && self.text.len() - self.pos < target {
            self.read_more()?;
        }
        Ok(())
    }

    /// The message of a syntax error in the value at `pos`.
    fn syntax(&self, what: What, error: SyntaxError) -> ReadError {
        let unread = self.unread();
        let at_end = error.offset >= unread.len()
            || matches!(
                error.kind,
                SyntaxErrorKind::UnterminatedString
                    | SyntaxErrorKind::InvalidEscape { found: None }
            );
        if at_end {
            return self.ended(self.at.advance(unread.as_bytes()));
        }
        let pos = self
            .at
            .advance(unread.as_bytes().get(..error.offset).unwrap_or_default());
        match what {
            What::Item(index) => ReadError::Input(format!(
                "{} {index} is not a valid {}: {error} (line {}, column {})",
                self.format.item, self.format.full_item, pos.line, pos.column
            )),
            What::Structure => broken(self.format, &error.to_string(), pos),
        }
    }
}

fn broken(format: Format, what: &str, at: Pos) -> ReadError {
    ReadError::Input(format!(
        "not a valid {}: {what} (line {}, column {})",
        format.name, at.line, at.column
    ))
}

/// A value's text as a [`Source`] for positions: it starts at `start` and its line goes on.
pub(super) fn source(text: &str, start: Start) -> Source<'_> {
    Source {
        bytes: text.as_bytes(),
        origin: start.origin,
        open_end: true,
    }
}
