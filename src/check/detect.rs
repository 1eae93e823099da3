//! Telling the kind of an input from its first bytes, never from its name.
//!
//! - **Zip**: the zip signature (`PK\x03\x04`, or `PK\x05\x06` for an empty archive) at the
//!   first byte: a Playwright `.har.zip`, which must then hold a `.har` member
//!   ([`crate::check::input::archive`]).
//! - **HTTP**: the first non-blank text starts with `HTTP/` (`curl -i`, `curl -D -`).
//! - **HAR**: a top-level object whose first member is `log`.
//! - **Newman**: a top-level object whose first member is `collection`, an object (the JSON
//!   reporter writes `collection`, `environment`, `globals`, `run` in that order).
//! - **Bruno**: a top-level array whose first element is an object whose first member is
//!   `iterationIndex` (`bru run --reporter-json`: one element per iteration).
//! - **Hurl**: a top-level array whose first element is an object whose first member is
//!   `cookies` or `entries`, an array (`hurl --report-json`: one element per file, members in
//!   alphabetical order).
//! - **NDJSON**: at least two non-blank lines, and the first or the second non-blank line is a
//!   complete JSON value on its own — unless the input is a pretty-printed document: its first
//!   line is only `[` or `{` (whose second line may well be a complete value, `{"a": 1}` in an
//!   array), or the whole input, when it is all read, is one JSON value.
//! - **JSON**: anything else, which the rules then judge (a syntax error is `invalid-json`).
//! - **Empty**: nothing but whitespace.

use crate::contract::json;

/// The kinds of input `cyoda check` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Empty,
    Json,
    Ndjson,
    Har,
    Http,
    Newman,
    Bruno,
    Hurl,
    Zip,
}

/// Decides from `prefix`, the start of the input; `eof` says whether it is all of it. `None`
/// means: read more, then ask again.
pub fn detect(prefix: &[u8], eof: bool) -> Option<Kind> {
    if crate::check::input::archive::is_zip(prefix) {
        return Some(Kind::Zip);
    }
    if prefix.len() < 4 && b"PK\x03\x04".starts_with(prefix) && !prefix.is_empty() && !eof {
        return None;
    }
    let text = prefix.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(prefix);
    let rest = trim_start(text);
    if rest.is_empty() {
        return eof.then_some(Kind::Empty);
    }
    if rest.starts_with(b"HTTP/") {
        return Some(Kind::Http);
    }
    if b"HTTP/".starts_with(rest) && !eof {
        return None;
    }
    match opening(rest) {
        Opening::Incomplete if !eof => return None,
        Opening::Member {
            in_array,
            name,
            value,
        } => {
            let kind = match (in_array, name, value.first()) {
                (false, b"log", _) => Some(Kind::Har),
                (false, b"collection", Some(b'{')) => Some(Kind::Newman),
                (true, b"iterationIndex", _) => Some(Kind::Bruno),
                (true, b"cookies" | b"entries", Some(b'[')) => Some(Kind::Hurl),
                // The value has not arrived yet.
                (false, b"collection", None) | (true, b"cookies" | b"entries", None) if !eof => {
                    return None;
                }
                _ => None,
            };
            if kind.is_some() {
                return kind;
            }
        }
        Opening::Incomplete | Opening::Other => {}
    }

    // NDJSON: look at the first two non-blank lines, each complete (terminated or at EOF).
    let mut lines = Vec::with_capacity(2);
    let mut remaining = text;
    while lines.len() < 2 {
        let Some(newline) = remaining.iter().position(|&b| b == b'\n') else {
            if !eof {
                return None;
            }
            if !is_blank(remaining) {
                lines.push(remaining);
            }
            break;
        };
        let (line, next) = remaining.split_at(newline);
        if !is_blank(line) {
            lines.push(line);
        }
        // `next` starts with the newline found above.
        remaining = next.strip_prefix(b"\n").unwrap_or(next);
    }
    if lines.len() < 2 {
        return Some(Kind::Json);
    }
    let opens_a_document = lines
        .first()
        .is_some_and(|line| matches!(trim(line), b"[" | b"{"));
    // Complete inputs are small here (the prefix holds all of them): one pass decides.
    if opens_a_document || (eof && json::validate(text).is_ok()) {
        return Some(Kind::Json);
    }
    let complete = |line: &[u8]| json::validate(trim(line)).is_ok();
    if lines.iter().any(|line| complete(line)) {
        Some(Kind::Ndjson)
    } else {
        Some(Kind::Json)
    }
}

/// How a JSON text opens, as far as detection looks.
enum Opening<'t> {
    /// `{"name":` or `[{"name":`, and the text after the colon (whitespace skipped).
    Member {
        in_array: bool,
        name: &'t [u8],
        value: &'t [u8],
    },
    /// The text ends before the first member name and its colon.
    Incomplete,
    Other,
}

fn opening(rest: &[u8]) -> Opening<'_> {
    let (in_array, rest) = match rest.strip_prefix(b"[") {
        Some(after) => (true, trim_start(after)),
        None => (false, rest),
    };
    let Some(rest) = rest.strip_prefix(b"{") else {
        return if rest.is_empty() {
            Opening::Incomplete
        } else {
            Opening::Other
        };
    };
    let rest = trim_start(rest);
    let Some(rest) = rest.strip_prefix(b"\"") else {
        return if rest.is_empty() {
            Opening::Incomplete
        } else {
            Opening::Other
        };
    };
    let Some(close) = memchr::memchr(b'"', rest) else {
        return Opening::Incomplete;
    };
    let (name, after) = rest.split_at(close);
    if name.contains(&b'\\') {
        // The names detection looks for have no escapes.
        return Opening::Other;
    }
    let after = trim_start(after.strip_prefix(b"\"").unwrap_or(after));
    match after.strip_prefix(b":") {
        Some(value) => Opening::Member {
            in_array,
            name,
            value: trim_start(value),
        },
        None if after.is_empty() => Opening::Incomplete,
        None => Opening::Other,
    }
}

/// `bytes` without surrounding whitespace (a line's `\r` included).
fn trim(bytes: &[u8]) -> &[u8] {
    bytes.trim_ascii()
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    bytes.trim_ascii_start()
}

pub fn is_blank(line: &[u8]) -> bool {
    line.iter().all(u8::is_ascii_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert_eq!(detect(b"", true), Some(Kind::Empty));
        assert_eq!(detect(b" \n\t", true), Some(Kind::Empty));
        assert_eq!(detect(b"\n", false), None);
        assert_eq!(
            detect(b"HTTP/1.1 409 Conflict\r\n", false),
            Some(Kind::Http)
        );
        assert_eq!(detect(b"HTT", false), None);
        assert_eq!(detect(b"{ \"log\" : {", false), Some(Kind::Har));
        assert_eq!(detect(b"{\"lo", false), None);
        assert_eq!(detect(b"{\"log\": 1, \"x\": 2}", true), Some(Kind::Har));
        assert_eq!(detect(b"{\"type\": 1}", true), Some(Kind::Json));
        assert_eq!(detect(b"{\"type\": 1}\n", false), None);
        assert_eq!(detect(b"{\"type\": 1}\n\n", true), Some(Kind::Json));
        assert_eq!(
            detect(b"{\"a\": 1}\n{\"b\": 2}\n", false),
            Some(Kind::Ndjson)
        );
        // The first line broken, the second complete: still NDJSON.
        assert_eq!(detect(b"{\"a\": \n{\"b\": 2}\n", false), Some(Kind::Ndjson));
        // Pretty-printed: neither of the first two lines stands alone.
        assert_eq!(
            detect(b"{\n  \"a\": 1,\n  \"b\": 2\n}\n", true),
            Some(Kind::Json)
        );
        assert_eq!(detect(b"{\n  \"a\": 1\n", false), Some(Kind::Json));
        assert_eq!(detect(b"not json", true), Some(Kind::Json));
    }

    #[test]
    fn test_tool_reports() {
        assert_eq!(detect(b"PK\x03\x04rest", false), Some(Kind::Zip));
        assert_eq!(detect(b"PK\x05\x06", true), Some(Kind::Zip));
        assert_eq!(detect(b"PK", false), None);
        assert_eq!(detect(b"PK", true), Some(Kind::Json));
        assert_eq!(
            detect(b"{\n  \"collection\": {\n", false),
            Some(Kind::Newman)
        );
        assert_eq!(detect(b"{\"collection\": ", false), None);
        assert_eq!(detect(b"{\"collection\": 1}", true), Some(Kind::Json));
        assert_eq!(
            detect(b"[\n  {\n    \"iterationIndex\": 0,", false),
            Some(Kind::Bruno)
        );
        assert_eq!(
            detect(b"[{\"cookies\": [], \"entries\": [", false),
            Some(Kind::Hurl)
        );
        assert_eq!(detect(b"[{\"entries\":[", false), Some(Kind::Hurl));
        assert_eq!(detect(b"[{\"cookies\": 1}]", true), Some(Kind::Json));
        assert_eq!(detect(b"[", false), None);
        assert_eq!(detect(b"[{\"a\": 1}]", true), Some(Kind::Json));
        assert_eq!(detect(b"[1, 2]", true), Some(Kind::Json));
        // A name is read to its closing quote before anything is decided.
        assert_eq!(detect(b"[{\"iteration", false), None);
        assert_eq!(detect(b"{\"log\"", false), None);
    }

    #[test]
    fn pretty_printed_documents_are_never_ndjson() {
        // One problem document in an array: its second line stands alone, the input is one.
        let array = b"[\n  {\"type\": \"about:blank\"}\n]\n";
        assert_eq!(detect(array, true), Some(Kind::Json));
        assert_eq!(detect(&array[..], false), Some(Kind::Json));
        assert_eq!(detect(b"{\n\"a\": 1}\n", false), Some(Kind::Json));
        assert_eq!(detect(b"  [  \r\n1,\r\n2]", true), Some(Kind::Json));
        // Several complete values on one line each, read to the end: NDJSON.
        assert_eq!(detect(b"[1]\n[2]\n", true), Some(Kind::Ndjson));
        assert_eq!(detect(b"1\n2\n", true), Some(Kind::Ndjson));
        // A document that spans lines and is not valid stays one document, `invalid-json`.
        assert_eq!(detect(b"[\n{\"a\": 1},\n", true), Some(Kind::Json));
    }
}
