//! HAR captures: `log.entries[]`, each entry with `response.status >= 400` is one response,
//! named `file#entry-N` (N counts every entry from 1); the others are counted as skipped.
//! Every entry whose request carries an `Idempotency-Key`, whatever its status, also goes
//! through the idempotency rules ([`crate::check::idempotency`]); an entry below 400 that they
//! report on becomes a response with only those findings.
//!
//! Hot path: a HAR can be far larger than memory allows, so it is never parsed whole. A
//! resumable structural scanner walks the bytes through a rolling buffer — strings, nesting and
//! the member names of the top-level object and of `log` — until it finds `log.entries`; it then
//! cuts out one entry at a time (the buffer keeps only the current entry) and parses that slice
//! alone with serde_json into a small struct of borrowed `&RawValue`s. Their addresses inside
//! the slice give byte spans; the scanner tracks the line and column where each entry starts,
//! so a span in the slice becomes a position in the file. A violation inside the body is mapped
//! from the decoded body back through the JSON string's escapes to the raw bytes of `text`
//! (a base64 body points at the start of its `text` value). Entries are checked in order on one
//! thread: the scan is the cost, and it is sequential.

use super::{Context, Emit, ReadError};
use crate::check::checker::Response as Checked;
use crate::check::diagnostic::Locator;
use crate::check::idempotency::{Fingerprint, KeyedRequest, Tracker};
use crate::check::position::{DecodedString, Pos, Source};
use crate::check::{Event, MAX_RESPONSE};
use crate::contract::json;
use crate::contract::rules::{Target, Transport, Violation};
use base64::Engine;
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::io::{self, Read};
use std::ops::Range;

/// Read size of the rolling buffer.
const READ_SIZE: usize = 256 << 10;
/// Largest raw entry kept in memory: a body at the size limit, base64- or escape-inflated.
const MAX_ENTRY: usize = 4 * MAX_RESPONSE;

pub fn read(
    reader: impl Read,
    context: &Context<'_>,
    emit: &mut Emit<'_>,
) -> Result<(), ReadError> {
    let mut scanner = Scanner {
        reader,
        buf: Vec::new(),
        pos: 0,
        keep: None,
        eof: false,
        at: Pos::START,
        base: 0,
    };
    let mut tracker = Tracker::default();
    scanner.skip_bom()?;
    scanner.expect(b'{', "the HAR is not a JSON object")?;
    let key = scanner.key()?;
    if key != b"log" {
        return Err(scanner.broken("the first member is not `log`"));
    }
    scanner.expect(b'{', "`log` is not an object")?;
    loop {
        if scanner.next_non_ws()? == b'}' {
            return Err(ReadError::Input(
                "not a HAR: `log` has no `entries` array".into(),
            ));
        }
        if scanner.key()? == b"entries" {
            break;
        }
        scanner.skip_value()?;
        if scanner.separator(b'}')? {
            return Err(ReadError::Input(
                "not a HAR: `log` has no `entries` array".into(),
            ));
        }
    }
    scanner.expect(b'[', "`log.entries` is not an array")?;
    if scanner.next_non_ws()? == b']' {
        return Ok(());
    }
    let mut index = 0;
    loop {
        index += 1;
        scanner.next_non_ws()?;
        let origin = scanner.at;
        scanner.keep = Some(scanner.pos);
        scanner.skip_value()?;
        let start = scanner.keep.take().unwrap_or(scanner.pos);
        let slice = scanner.buf.get(start..scanner.pos).unwrap_or_default();
        let at = Placed {
            origin,
            offset: scanner.base + start,
            index,
        };
        entry(slice, at, &mut tracker, context, emit)?;
        if scanner.separator(b']')? {
            return Ok(());
        }
    }
}

/// One entry, as far as `cyoda check` looks at it.
#[derive(Deserialize)]
struct Entry<'a> {
    #[serde(borrow)]
    response: &'a RawValue,
    #[serde(default, borrow)]
    request: Option<&'a RawValue>,
}

/// The parts of `request` the idempotency rules read. Parsed leniently and separately: a
/// request this does not fit is simply not keyed.
#[derive(Deserialize)]
struct Request<'a> {
    #[serde(default, borrow)]
    method: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    url: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    headers: Vec<Header<'a>>,
    #[serde(rename = "postData", default, borrow)]
    post_data: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct PostData<'a> {
    #[serde(default, borrow)]
    text: Option<&'a RawValue>,
    /// Form fields, which some tools record instead of `text`.
    #[serde(default, borrow)]
    params: Option<&'a RawValue>,
    #[serde(default, borrow)]
    encoding: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct Response<'a> {
    #[serde(borrow)]
    status: &'a RawValue,
    #[serde(default, borrow)]
    headers: Vec<Header<'a>>,
    #[serde(default, borrow)]
    content: Option<Content<'a>>,
}

#[derive(Deserialize)]
struct Header<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
    #[serde(borrow)]
    value: &'a RawValue,
}

#[derive(Deserialize)]
struct Content<'a> {
    #[serde(rename = "mimeType", default, borrow)]
    mime_type: Option<&'a RawValue>,
    #[serde(default, borrow)]
    text: Option<&'a RawValue>,
    #[serde(default, borrow)]
    encoding: Option<Cow<'a, str>>,
}

/// Byte range of `part` inside `whole` (`part` borrows from `whole`).
fn span_in(whole: &[u8], part: &str) -> Range<usize> {
    let start = (part.as_ptr() as usize).saturating_sub(whole.as_ptr() as usize);
    start..start + part.len()
}

/// How decoded-body offsets map to the entry slice.
enum BodyMap {
    /// A JSON string at `offset` in the slice.
    Text(usize, DecodedString),
    /// A base64 body: everything points at the `text` value.
    Whole(Range<usize>),
}

/// Where an entry sits in the input.
#[derive(Clone, Copy, Debug)]
struct Placed {
    /// Line and column of its first byte.
    origin: Pos,
    /// Byte offset of its first byte.
    offset: usize,
    /// 1-based index in `log.entries`.
    index: usize,
}

/// The request of an entry that carries an `Idempotency-Key`, owned.
struct Keyed {
    method: String,
    url: String,
    key: String,
    /// The header value, as a byte range of the input.
    span: Range<usize>,
    body: Fingerprint,
}

/// The idempotency facts of `request`, when it carries a non-empty `Idempotency-Key` (any
/// case; the first one counts). The body is `postData.text`, base64-decoded when `postData`
/// says `"encoding": "base64"`; without `text`, the `params` array (compared as JSON); no
/// `postData` is an empty body.
fn keyed_request(slice: &[u8], raw: &RawValue, offset: usize) -> Option<Keyed> {
    let request = serde_json::from_str::<Request<'_>>(raw.get()).ok()?;
    let header = request
        .headers
        .iter()
        .find(|header| header.name.eq_ignore_ascii_case("idempotency-key"))?;
    let key = serde_json::from_str::<String>(header.value.get()).ok()?;
    let key = key.trim();
    if key.is_empty() {
        return None;
    }
    let span = span_in(slice, header.value.get());
    let post = request
        .post_data
        .and_then(|raw| serde_json::from_str::<PostData<'_>>(raw.get()).ok());
    let text = post
        .as_ref()
        .and_then(|post| post.text.filter(|raw| raw.get() != "null"))
        .and_then(|raw| DecodedString::decode(raw.get().as_bytes()))
        .map(|decoded| decoded.bytes);
    let params = post
        .as_ref()
        .and_then(|post| post.params)
        .map(|raw| raw.get().as_bytes().to_vec());
    let text = text.or(params).unwrap_or_default();
    let base64 = post
        .as_ref()
        .and_then(|post| post.encoding.as_deref())
        .is_some_and(|encoding| encoding.eq_ignore_ascii_case("base64"));
    let body = if base64 {
        // An undecodable body is compared as written.
        decode_base64(&text).unwrap_or(text)
    } else {
        text
    };
    Some(Keyed {
        method: request.method.unwrap_or_default().into_owned(),
        url: request.url.unwrap_or_default().into_owned(),
        key: key.to_owned(),
        span: offset + span.start..offset + span.end,
        body: Fingerprint::of(&body),
    })
}

fn decode_base64(text: &[u8]) -> Result<Vec<u8>, base64::DecodeError> {
    let compact: Vec<u8> = text
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    base64::engine::general_purpose::STANDARD.decode(&compact)
}

/// `properties.errorCode` of a response body, when it is a JSON object that has one.
fn error_code(response: &Response<'_>) -> Option<String> {
    let content = response.content.as_ref()?;
    let text = DecodedString::decode(content.text?.get().as_bytes())?.bytes;
    let base64 = content
        .encoding
        .as_deref()
        .is_some_and(|encoding| encoding.eq_ignore_ascii_case("base64"));
    let body = if base64 {
        decode_base64(&text).ok()?
    } else {
        text
    };
    let document = json::parse(&body).ok()?;
    let properties = document.get("properties")?;
    let code = json::find(document.children(properties), "errorCode")?;
    code.value.as_str().map(str::to_owned)
}

fn entry(
    slice: &[u8],
    at: Placed,
    tracker: &mut Tracker,
    context: &Context<'_>,
    emit: &mut Emit<'_>,
) -> Result<(), ReadError> {
    let Placed {
        origin,
        offset: entry_offset,
        index,
    } = at;
    let name = format!("{}#entry-{index}", context.name);
    let problem = |reason: String| Event::Problem {
        name: name.clone(),
        reason,
    };
    let source = Source {
        bytes: slice,
        origin,
        open_end: true,
    };
    let parsed = serde_json::from_slice::<Entry<'_>>(slice).and_then(|entry| {
        let response = serde_json::from_str::<Response<'_>>(entry.response.get())?;
        Ok((entry, response))
    });
    let (entry, response) = match parsed {
        Ok(parsed) => parsed,
        Err(error) => {
            // serde_json counts from the start of the slice; say where that is in the file.
            let message = error.to_string();
            let message = message.split(" at line ").next().unwrap_or_default();
            let offset = offset_of(slice, error.line(), error.column());
            let (pos, _) = source.resolve(offset..offset);
            return Err(ReadError::Input(format!(
                "entry {index} is not a valid HAR entry: {message} (line {}, column {})",
                pos.line, pos.column
            )));
        }
    };
    let status = match response.status.get().parse::<i64>() {
        // HAR records 0 (or less) for a request that got no response: kept, and skipped.
        Ok(status) if status <= 999 => status,
        parsed => {
            let (pos, _) = source.resolve(span_in(slice, response.status.get()));
            let what = match parsed {
                Ok(_) => "is not an HTTP status (above 999)",
                Err(_) => "is not an integer",
            };
            return emit(problem(format!(
                "response.status {what} (line {}, column {})",
                pos.line, pos.column
            )))
            .map_err(ReadError::Output);
        }
    };

    let mut found = Vec::new();
    let keyed = entry
        .request
        .and_then(|raw| keyed_request(slice, raw, entry_offset));
    if let Some(keyed) = &keyed {
        let request = KeyedRequest {
            index,
            method: &keyed.method,
            url: &keyed.url,
            key: &keyed.key,
            span: keyed.span.clone(),
            body: keyed.body,
            status,
        };
        tracker.observe(&request, || error_code(&response), &mut found);
    }
    // A finding about the input itself points into this entry.
    let capture = |span: &Range<usize>| {
        span.start.saturating_sub(entry_offset)..span.end.saturating_sub(entry_offset)
    };

    // The entry with the idempotency findings alone, when one survives the policy.
    let findings_only = |found: Vec<Violation>| {
        if found.is_empty() {
            return None;
        }
        let checked = context.stage.checker.check(
            &context.name,
            Checked {
                locator: Locator::Entry(index),
                body: None,
                found,
                locate: &|target| match target {
                    Target::Capture(span) => source.resolve(capture(span)),
                    _ => source.resolve(0..0),
                },
            },
        );
        (!checked.diagnostics.is_empty()).then(|| context.stage.event(checked))
    };

    if status < 400 {
        // The envelope rules apply only to failures; the idempotency rules to every entry.
        let event = findings_only(found).unwrap_or(Event::Skipped(1));
        return emit(event).map_err(ReadError::Output);
    }

    let response_span = span_in(slice, entry.response.get());
    let status_span = span_in(slice, response.status.get());
    let content_type: Option<(String, Range<usize>)> = response
        .headers
        .iter()
        .find(|header| header.name.eq_ignore_ascii_case("content-type"))
        .map(|header| header.value)
        .or_else(|| {
            response
                .content
                .as_ref()
                .and_then(|content| content.mime_type)
        })
        .and_then(|raw| {
            let value = serde_json::from_str::<String>(raw.get()).ok()?;
            Some((value, span_in(slice, raw.get())))
        });

    let text = response
        .content
        .as_ref()
        .and_then(|content| content.text)
        .filter(|raw| raw.get() != "null");
    let base64 = response
        .content
        .as_ref()
        .and_then(|content| content.encoding.as_deref())
        .is_some_and(|encoding| encoding.eq_ignore_ascii_case("base64"));
    let decoded = match text {
        None => Ok((
            Vec::new(),
            BodyMap::Whole(response_span.start..response_span.start + 1),
        )),
        Some(raw) => {
            let text_span = span_in(slice, raw.get());
            match DecodedString::decode(raw.get().as_bytes()) {
                None => Err("response.content.text is not a string".to_string()),
                Some(decoded) if base64 => match decode_base64(&decoded.bytes) {
                    Ok(body) => Ok((body, BodyMap::Whole(text_span.start..text_span.start + 1))),
                    Err(_) => {
                        // The crate's wording ("Invalid symbol 42, offset 8.") counts offsets
                        // in the decoded string; the position in the file says more.
                        let (pos, _) = source.resolve(text_span);
                        Err(format!(
                            "response.content.text is marked base64 but is not valid base64 (line {}, column {})",
                            pos.line, pos.column
                        ))
                    }
                },
                Some(decoded) => {
                    let body = decoded.bytes.clone();
                    Ok((body, BodyMap::Text(text_span.start, decoded)))
                }
            }
        }
    }
    .and_then(|(body, map)| {
        if body.len() > MAX_RESPONSE {
            Err(format!(
                "the response is larger than the limit of {} MiB",
                MAX_RESPONSE >> 20
            ))
        } else {
            Ok((body, map))
        }
    });
    let (body, map) = match decoded {
        Ok(decoded) => decoded,
        Err(reason) => {
            // The body cannot be checked, but what the request did wrong still stands.
            if let Some(event) = findings_only(found) {
                emit(event).map_err(ReadError::Output)?;
            }
            return emit(problem(reason)).map_err(ReadError::Output);
        }
    };

    let transport = Transport {
        status: Some(u16::try_from(status).unwrap_or(u16::MAX)),
        content_type: Some(content_type.as_ref().map(|(value, _)| value.clone())),
    };
    let locate = |target: &Target| {
        let span = match target {
            Target::Body(span) => match &map {
                BodyMap::Text(offset, decoded) => {
                    offset + decoded.raw_offset(span.start)..offset + decoded.raw_offset(span.end)
                }
                BodyMap::Whole(span) => span.clone(),
            },
            Target::CapturedStatus => status_span.clone(),
            Target::CapturedContentType => match &content_type {
                Some((_, span)) => span.clone(),
                None => response_span.start..response_span.start + 1,
            },
            Target::Capture(span) => capture(span),
        };
        source.resolve(span)
    };
    let event = context.respond(Checked {
        locator: Locator::Entry(index),
        body: Some((&body, &transport)),
        found,
        locate: &locate,
    });
    emit(event).map_err(ReadError::Output)
}

/// Byte offset in `bytes` of serde_json's 1-based (line, column-in-bytes).
fn offset_of(bytes: &[u8], line: usize, column: usize) -> usize {
    let mut offset = 0;
    for _ in 1..line {
        match bytes
            .get(offset..)
            .and_then(|rest| rest.iter().position(|&b| b == b'\n'))
        {
            Some(newline) => offset += newline + 1,
            None => break,
        }
    }
    (offset + column.saturating_sub(1)).min(bytes.len())
}

/// The structural scanner over a rolling buffer.
struct Scanner<R> {
    reader: R,
    buf: Vec<u8>,
    /// Next byte to look at.
    pos: usize,
    /// Bytes from here on must stay in the buffer (the entry being cut out).
    keep: Option<usize>,
    eof: bool,
    /// Position of `buf[pos]` in the file.
    at: Pos,
    /// Byte offset of `buf[0]` in the file.
    base: usize,
}

impl<R: Read> Scanner<R> {
    /// Makes `buf[pos]` available; `false` at the end of the input.
    fn fill(&mut self) -> Result<bool, ReadError> {
        if self.pos < self.buf.len() {
            return Ok(true);
        }
        if self.eof {
            return Ok(false);
        }
        let drop = self.keep.unwrap_or(self.pos);
        self.buf.drain(..drop);
        self.pos -= drop;
        self.base += drop;
        if let Some(keep) = self.keep.as_mut() {
            *keep = 0;
        }
        if self.keep.is_some() && self.buf.len() > MAX_ENTRY {
            return Err(ReadError::Input(format!(
                "a HAR entry is larger than the limit of {} MiB",
                MAX_ENTRY >> 20
            )));
        }
        let old = self.buf.len();
        if self.buf.capacity() < old + READ_SIZE {
            // Geometric, but never past an entry at the limit: doubling there would reserve
            // twice the limit.
            let room = (MAX_ENTRY + READ_SIZE).saturating_sub(old);
            self.buf.reserve_exact(old.min(room).max(READ_SIZE));
        }
        self.buf.resize(old + READ_SIZE, 0);
        let read = loop {
            match self
                .reader
                .read(self.buf.get_mut(old..).unwrap_or_default())
            {
                Ok(read) => break read,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => {
                    self.buf.truncate(old);
                    return Err(ReadError::io(&error));
                }
            }
        };
        self.buf.truncate(old + read);
        if read == 0 {
            self.eof = true;
        }
        Ok(read > 0)
    }

    fn peek(&mut self) -> Result<u8, ReadError> {
        if !self.fill()? {
            return Err(self.broken("the file ends early"));
        }
        self.buf
            .get(self.pos)
            .copied()
            .ok_or_else(|| self.broken("the file ends early"))
    }

    /// Consumes the byte at `pos` (which `peek` made available).
    fn bump(&mut self) {
        if let Some(byte) = self.buf.get(self.pos) {
            self.at = self.at.advance(std::slice::from_ref(byte));
            self.pos += 1;
        }
    }

    fn broken(&self, what: &str) -> ReadError {
        ReadError::Input(format!(
            "not a valid HAR: {what} (line {}, column {})",
            self.at.line, self.at.column
        ))
    }

    fn skip_bom(&mut self) -> Result<(), ReadError> {
        self.peek()?;
        if self
            .buf
            .get(self.pos..)
            .is_some_and(|rest| rest.starts_with(b"\xEF\xBB\xBF"))
        {
            self.pos += 3;
        }
        Ok(())
    }

    /// Skips whitespace; returns the next byte without consuming it.
    fn next_non_ws(&mut self) -> Result<u8, ReadError> {
        loop {
            let byte = self.peek()?;
            if !byte.is_ascii_whitespace() {
                return Ok(byte);
            }
            self.bump();
        }
    }

    fn expect(&mut self, wanted: u8, what: &str) -> Result<(), ReadError> {
        if self.next_non_ws()? != wanted {
            return Err(self.broken(what));
        }
        self.bump();
        Ok(())
    }

    /// After a value inside an object or array: consumes `,` (returns false) or `close` (true).
    fn separator(&mut self, close: u8) -> Result<bool, ReadError> {
        let byte = self.next_non_ws()?;
        self.bump();
        match byte {
            b',' => Ok(false),
            byte if byte == close => Ok(true),
            _ => Err(self.broken("expected `,` or a closing bracket")),
        }
    }

    /// A member name and its `:`; returns the raw name (first 64 bytes are enough to compare).
    fn key(&mut self) -> Result<Vec<u8>, ReadError> {
        if self.next_non_ws()? != b'"' {
            return Err(self.broken("expected a member name"));
        }
        self.bump();
        let mut name = Vec::new();
        loop {
            let byte = self.peek()?;
            self.bump();
            match byte {
                b'"' => break,
                b'\\' => {
                    self.peek()?;
                    self.bump();
                    name.push(b'\\');
                }
                byte if name.len() < 64 => name.push(byte),
                _ => {}
            }
        }
        self.expect(b':', "expected `:` after a member name")?;
        Ok(name)
    }

    /// Skips the rest of a string whose opening quote is consumed, a buffer at a time.
    fn skip_string(&mut self) -> Result<(), ReadError> {
        loop {
            self.peek()?;
            let rest = self.buf.get(self.pos..).unwrap_or_default();
            match rest.iter().position(|&b| b == b'"' || b == b'\\') {
                None => {
                    self.at = self.at.advance(rest);
                    self.pos = self.buf.len();
                }
                Some(i) => {
                    let run = rest.get(..i).unwrap_or_default();
                    self.at = self.at.advance(run);
                    self.pos += i;
                    let byte = self.peek()?;
                    self.bump();
                    if byte == b'"' {
                        return Ok(());
                    }
                    self.peek()?;
                    self.bump();
                }
            }
        }
    }

    /// Skips one JSON value. Only the structure is followed; entries are validated by serde.
    fn skip_value(&mut self) -> Result<(), ReadError> {
        let mut depth = 0usize;
        loop {
            let byte = self.next_non_ws()?;
            self.bump();
            match byte {
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth = depth
                        .checked_sub(1)
                        .ok_or_else(|| self.broken("unbalanced brackets"))?;
                }
                b'"' => self.skip_string()?,
                b',' | b':' if depth > 0 => {}
                b',' | b':' => return Err(self.broken("expected a value")),
                _ => {
                    // A scalar: up to the next delimiter.
                    while self.fill()? {
                        let next = self.peek()?;
                        if next.is_ascii_whitespace() || b",:[]{}\"".contains(&next) {
                            break;
                        }
                        self.bump();
                    }
                }
            }
            if depth == 0 {
                return Ok(());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_of_serde_positions() {
        assert_eq!(offset_of(b"ab\ncd", 2, 2), 4);
        assert_eq!(offset_of(b"ab\ncd", 1, 1), 0);
        assert_eq!(offset_of(b"ab", 3, 9), 2);
    }
}
