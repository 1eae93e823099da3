//! Telling the kind of an input from its first bytes, never from its name.
//!
//! - **HTTP**: the first non-blank text starts with `HTTP/` (`curl -i`, `curl -D -`).
//! - **HAR**: a top-level object whose first member is `log`.
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
}

/// Decides from `prefix`, the start of the input; `eof` says whether it is all of it. `None`
/// means: read more, then ask again.
pub fn detect(prefix: &[u8], eof: bool) -> Option<Kind> {
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
    if let Some(after_brace) = rest.strip_prefix(b"{") {
        let after = trim_start(after_brace);
        const LOG: &[u8] = b"\"log\"";
        if after.starts_with(LOG) {
            let after_key = trim_start(after.strip_prefix(LOG).unwrap_or(after));
            match after_key.first() {
                Some(b':') => return Some(Kind::Har),
                Some(_) => {}
                None if !eof => return None,
                None => {}
            }
        } else if LOG.starts_with(after) && !eof {
            return None;
        }
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
