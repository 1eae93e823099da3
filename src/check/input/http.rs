//! Raw HTTP responses as `curl -i` / `curl -D -` write them: a status line (`HTTP/1.1 409
//! Conflict`, `HTTP/2 409`), header lines, a blank line, the body. CRLF or LF line ends.
//!
//! Interim header blocks are skipped: `1xx` responses, and any header block followed directly by
//! another status line (redirects followed with `-L`, a proxy's `CONNECT` answer). A body runs
//! for `Content-Length` bytes when the header is there, otherwise up to the next line starting
//! with `HTTP/` or the end of the input, so one file may hold several responses; they are named
//! `file#response-N` when there is more than one. With a `Content-Encoding` the length is
//! ignored: `curl -i --compressed` prints the compressed length and writes the decoded body. Every final response is checked whatever its
//! status: the capture was made to be checked (unlike a HAR, which records all traffic).
//!
//! Read line by line; only the current response is in memory.

use super::{Context, Emit, ReadError};
use crate::check::MAX_RESPONSE;
use crate::check::checker::Response;
use crate::check::detect::is_blank;
use crate::check::diagnostic::Locator;
use crate::check::position::{Pos, Source};
use crate::contract::rules::{Target, Transport};
use std::io::{BufRead, Read};
use std::ops::Range;

/// One line of the input, with its terminator.
#[derive(Clone)]
struct Line {
    bytes: Vec<u8>,
    number: usize,
}

impl Line {
    fn is_status_line(&self) -> bool {
        self.bytes.starts_with(b"HTTP/")
    }

    fn text(&self) -> &[u8] {
        let line = self.bytes.strip_suffix(b"\n").unwrap_or(&self.bytes);
        line.strip_suffix(b"\r").unwrap_or(line)
    }
}

/// Lines with numbers, one line of look-ahead, and raw reads for `Content-Length` bodies.
struct Lines<R> {
    reader: R,
    /// Number of the line the next byte belongs to.
    line: usize,
    peeked: Option<Line>,
}

impl<R: BufRead> Lines<R> {
    fn next(&mut self) -> Result<Option<Line>, ReadError> {
        if let Some(line) = self.peeked.take() {
            return Ok(Some(line));
        }
        let mut bytes = Vec::new();
        let limit = MAX_RESPONSE as u64 + 1;
        (&mut self.reader)
            .take(limit)
            .read_until(b'\n', &mut bytes)
            .map_err(|e| ReadError::io(&e))?;
        if bytes.is_empty() {
            return Ok(None);
        }
        if bytes.len() > MAX_RESPONSE {
            return Err(ReadError::too_large(&format!("line {}", self.line)));
        }
        let number = self.line;
        if bytes.ends_with(b"\n") {
            self.line += 1;
        }
        Ok(Some(Line { bytes, number }))
    }

    fn peek(&mut self) -> Result<Option<&Line>, ReadError> {
        if self.peeked.is_none() {
            self.peeked = self.next()?;
        }
        Ok(self.peeked.as_ref())
    }

    /// Up to `n` raw bytes (fewer at EOF), starting with what a peek already read.
    fn take_bytes(&mut self, n: usize, out: &mut Vec<u8>) -> Result<(), ReadError> {
        if let Some(mut line) = self.peeked.take() {
            if line.bytes.len() > n {
                // The body ends inside the peeked line; the rest stays peeked (mid-line).
                let rest = line.bytes.split_off(n);
                out.extend_from_slice(&line.bytes);
                self.peeked = Some(Line {
                    bytes: rest,
                    number: line.number,
                });
                return Ok(());
            }
            out.extend_from_slice(&line.bytes);
        }
        let missing = n.saturating_sub(out.len());
        let read = (&mut self.reader)
            .take(missing as u64)
            .read_to_end(out)
            .map_err(|e| ReadError::io(&e))?;
        let newlines = out.iter().rev().take(read).filter(|&&b| b == b'\n').count();
        // Lines counted by `next` are already accounted for; raw bytes are counted here.
        self.line += newlines;
        Ok(())
    }
}

/// `HTTP/1.1 409 Conflict` → (409, byte range of `409`).
fn parse_status_line(line: &[u8]) -> Option<(u16, Range<usize>)> {
    let space = line.iter().position(|&b| b == b' ')?;
    let mut start = space;
    while line.get(start) == Some(&b' ') {
        start += 1;
    }
    let code = line.get(start..start + 3)?;
    if !code.iter().all(u8::is_ascii_digit) {
        return None;
    }
    if line.get(start + 3).is_some_and(|&b| b != b' ') {
        return None;
    }
    let status = std::str::from_utf8(code).ok()?.parse().ok()?;
    Some((status, start..start + 3))
}

/// Whether `line` is `name: value` with a token for a name (RFC 9110 §5.1), or the
/// continuation of a folded header (starts with a space or tab).
fn is_header_line(line: &[u8]) -> bool {
    if line.first().is_some_and(|&b| b == b' ' || b == b'\t') {
        return true;
    }
    let mut parts = line.splitn(2, |&b| b == b':');
    let (Some(name), Some(_)) = (parts.next(), parts.next()) else {
        return false;
    };
    !name.is_empty()
        && name
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// A header line split as (name, value range in the line).
fn parse_header(line: &[u8]) -> Option<(&[u8], Range<usize>)> {
    let colon = line.iter().position(|&b| b == b':')?;
    let name = line.get(..colon)?;
    let mut start = colon + 1;
    while line.get(start).is_some_and(|b| *b == b' ' || *b == b'\t') {
        start += 1;
    }
    let mut end = line.len();
    while end > start && line.get(end - 1).is_some_and(|b| *b == b' ' || *b == b'\t') {
        end -= 1;
    }
    Some((name.trim_ascii(), start..end))
}

pub fn read(
    reader: impl BufRead,
    context: &Context<'_>,
    emit: &mut Emit<'_>,
) -> Result<(), ReadError> {
    let mut lines = Lines {
        reader,
        line: 1,
        peeked: None,
    };
    // A response is held back until the next one shows whether the capture holds several
    // (they are then named `#response-N`, the first one included).
    let mut held: Option<Captured> = None;
    let mut count = 0;
    while let Some(status_line) = next_non_blank(&mut lines)? {
        let Some(captured) = read_response(status_line, &mut lines)? else {
            continue; // interim: 1xx, a followed redirect, a proxy CONNECT
        };
        count += 1;
        if let Some(previous) = held.replace(captured) {
            let locator = Locator::Response(count - 1);
            emit(previous.check(context, locator)).map_err(ReadError::Output)?;
        }
    }
    match held {
        Some(last) => {
            let locator = if count == 1 {
                Locator::Whole
            } else {
                Locator::Response(count)
            };
            emit(last.check(context, locator)).map_err(ReadError::Output)
        }
        None => Err(ReadError::Input(
            "no final response after the interim ones".into(),
        )),
    }
}

/// One final response as the capture recorded it, not yet checked.
struct Captured {
    status: u16,
    status_line: Line,
    status_span: Range<usize>,
    /// The `Content-Type` header line and the value's range in it.
    content_type: Option<(Line, Range<usize>)>,
    body: Vec<u8>,
    /// Line of the body's first byte.
    body_line: usize,
}

impl Captured {
    fn check(self, context: &Context<'_>, locator: Locator) -> crate::check::driver::Event {
        let transport = Transport {
            status: Some(self.status),
            content_type: Some(self.content_type.as_ref().map(|(line, value)| {
                String::from_utf8_lossy(line.text().get(value.clone()).unwrap_or_default())
                    .into_owned()
            })),
        };
        let status_source = Source::lines(self.status_line.text(), self.status_line.number);
        let body_source = Source {
            bytes: &self.body,
            origin: Pos {
                line: self.body_line,
                column: 1,
            },
            open_end: false,
        };
        let locate = |target: &Target| match target {
            Target::Body(span) => body_source.resolve(span.clone()),
            Target::CapturedStatus => status_source.resolve(self.status_span.clone()),
            Target::CapturedContentType => match &self.content_type {
                Some((line, value)) => {
                    Source::lines(line.text(), line.number).resolve(value.clone())
                }
                None => status_source.resolve(0..self.status_line.text().len()),
            },
            // No rule points at raw HTTP input spans yet.
            Target::Capture(_) => status_source.resolve(0..0),
        };
        context.respond(Response {
            locator,
            body: Some((&self.body, &transport)),
            found: Vec::new(),
            locate: &locate,
        })
    }
}

/// Reads the response whose status line is `status_line`: headers, blank line, body. `None`
/// for an interim response (1xx, or a header block followed at once by another status line).
fn read_response<R: BufRead>(
    status_line: Line,
    lines: &mut Lines<R>,
) -> Result<Option<Captured>, ReadError> {
    if !status_line.is_status_line() {
        return Err(ReadError::Input(format!(
            "line {}: expected a status line (HTTP/…) after the response body",
            status_line.number
        )));
    }
    let Some((status, status_span)) = parse_status_line(status_line.text()) else {
        return Err(ReadError::Input(format!(
            "line {}: malformed status line",
            status_line.number
        )));
    };
    let headers = read_headers(&status_line, lines)?;
    if status < 200 || lines.peek()?.is_some_and(Line::is_status_line) {
        return Ok(None);
    }
    let head = Head::of(&headers);
    let body_line = lines.peeked.as_ref().map_or(lines.line, |line| line.number);
    let mut body = Vec::new();
    let too_large =
        || ReadError::too_large(&format!("the response at line {}", status_line.number));
    match head.content_length {
        // curl prints the compressed Content-Length but writes the decoded body: with a
        // Content-Encoding the length says nothing about the bytes in the file.
        Some(_) if head.encoded => read_to_next_response(lines, &mut body, too_large)?,
        Some(length) if length > MAX_RESPONSE => return Err(too_large()),
        Some(length) => lines.take_bytes(length, &mut body)?,
        None => read_to_next_response(lines, &mut body, too_large)?,
    }
    let content_type = head.content_type.and_then(|at| {
        headers
            .get(at)
            .cloned()
            .map(|line| (line, head.content_type_value.clone()))
    });
    Ok(Some(Captured {
        status,
        status_line,
        status_span,
        content_type,
        body,
        body_line,
    }))
}

/// The header lines after a status line, up to the blank line.
fn read_headers<R: BufRead>(
    status_line: &Line,
    lines: &mut Lines<R>,
) -> Result<Vec<Line>, ReadError> {
    let mut headers: Vec<Line> = Vec::new();
    loop {
        match lines.next()? {
            None => {
                return Err(ReadError::Input(format!(
                    "line {}: the header block is not followed by a blank line",
                    status_line.number
                )));
            }
            Some(line) if is_blank(&line.bytes) => return Ok(headers),
            // A body glued to the headers (`{"type": …` parses as a name `{"type"`).
            Some(line) if !is_header_line(line.text()) => {
                return Err(ReadError::Input(format!(
                    "line {}: not a header line; a blank line must separate the headers from the body",
                    line.number
                )));
            }
            Some(line) => headers.push(line),
        }
    }
}

/// What the headers say about the body.
struct Head {
    content_length: Option<usize>,
    /// A `Content-Encoding` other than `identity` was recorded.
    encoded: bool,
    /// Index of the first `Content-Type` header, and its value's range in that line.
    content_type: Option<usize>,
    content_type_value: Range<usize>,
}

impl Head {
    fn of(headers: &[Line]) -> Head {
        let mut head = Head {
            content_length: None,
            encoded: false,
            content_type: None,
            content_type_value: 0..0,
        };
        for (at, header) in headers.iter().enumerate() {
            let Some((name, value)) = parse_header(header.text()) else {
                continue;
            };
            // `parse_header` measured `value` on this very line.
            let text = header.text().get(value.clone()).unwrap_or_default();
            if name.eq_ignore_ascii_case(b"content-length") {
                head.content_length = std::str::from_utf8(text)
                    .ok()
                    .and_then(|t| t.parse::<usize>().ok());
            } else if name.eq_ignore_ascii_case(b"content-encoding") {
                head.encoded |= !text.is_empty() && !text.eq_ignore_ascii_case(b"identity");
            } else if name.eq_ignore_ascii_case(b"content-type") && head.content_type.is_none() {
                head.content_type = Some(at);
                head.content_type_value = value;
            }
        }
        head
    }
}

/// The body up to the next line that starts with `HTTP/`, or the end of the input.
fn read_to_next_response<R: BufRead>(
    lines: &mut Lines<R>,
    body: &mut Vec<u8>,
    too_large: impl Fn() -> ReadError,
) -> Result<(), ReadError> {
    while !lines.peek()?.is_none_or(Line::is_status_line) {
        if let Some(line) = lines.next()? {
            body.extend_from_slice(&line.bytes);
        }
        if body.len() > MAX_RESPONSE {
            return Err(too_large());
        }
    }
    Ok(())
}

fn next_non_blank<R: BufRead>(lines: &mut Lines<R>) -> Result<Option<Line>, ReadError> {
    while let Some(line) = lines.next()? {
        if !is_blank(&line.bytes) {
            return Ok(Some(line));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_lines() {
        assert_eq!(
            parse_status_line(b"HTTP/1.1 409 Conflict"),
            Some((409, 9..12))
        );
        assert_eq!(parse_status_line(b"HTTP/2 409"), Some((409, 7..10)));
        assert_eq!(parse_status_line(b"HTTP/2 409 "), Some((409, 7..10)));
        assert_eq!(parse_status_line(b"HTTP/1.1 4090"), None);
        assert_eq!(parse_status_line(b"HTTP/1.1"), None);
    }

    #[test]
    fn header_lines() {
        assert!(is_header_line(b"Content-Type: application/json"));
        assert!(is_header_line(b"X-A:"));
        assert!(is_header_line(b"  folded"));
        assert!(!is_header_line(b"{\"type\": \"about:blank\"}"));
        assert!(!is_header_line(b"no colon"));
        assert!(!is_header_line(b": empty name"));
        assert!(!is_header_line(b"Bad Name: x"));
    }

    #[test]
    fn headers() {
        let (name, value) = parse_header(b"Content-Type:  application/json \t").unwrap();
        assert_eq!(name, b"Content-Type");
        assert_eq!(value, 15..31);
    }
}
