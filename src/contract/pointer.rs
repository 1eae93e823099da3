//! The JSON Pointer (RFC 6901) of what a violation points at, computed from the body's
//! structure and the violation's byte span, for the machine reports.
//!
//! The rules report byte spans, not paths; rather than teach every rule its path,
//! `rules::check_body` maps each span back to the member holding it, with the document it
//! already parsed. The reader keeps the envelope's first two
//! levels (top-level members and the members of a top-level object such as `properties`), which
//! is where every rule but `duplicate-member` reports; a span deeper than that gets no pointer
//! rather than a wrong one.
//!
//! What a pointer names: the member whose name or value the span covers (`/properties/retryable`
//! for `"retryable": false`); for a span on an object's opening brace (a missing member, an
//! absent `retryable`) the object itself (`""` for the top level, `/properties`).

use crate::contract::json::{self, Document, Member};
use std::ops::Range;

/// The pointer of the value or member at `span` in `document`.
pub fn pointer(document: &Document<'_>, span: &Range<usize>) -> Option<String> {
    let root = document.root_span();
    if !root.contains(&span.start) {
        return None;
    }
    let Some(member) = containing(document.members(), span.start) else {
        // On the top-level value itself (its brace, or a non-object value).
        return Some(String::new());
    };
    let mut path = String::with_capacity(32);
    push_token(&mut path, &member.name);
    if span.start <= member.value_span.start {
        return Some(path);
    }
    let children = document.children(member);
    match containing(children, span.start) {
        Some(child) if span.start <= child.value_span.start || !is_container(child) => {
            push_token(&mut path, &child.name);
            Some(path)
        }
        // Inside a grandchild container: not kept, so not known exactly.
        Some(_) => None,
        // Inside an array: its elements are not kept.
        None if member.kind() == json::Kind::Array => None,
        // Inside a scalar, or between the members of an object (commas, its closing brace).
        None => Some(path),
    }
}

/// The member whose span (name through value) holds `offset`. Members are in document
/// order, so their spans are sorted and disjoint: a binary search, since every violation of a
/// body asks (a hostile object has a finding per member).
fn containing<'m, 'a>(members: &'m [Member<'a>], offset: usize) -> Option<&'m Member<'a>> {
    let after = members.partition_point(|member| member.name_span.start <= offset);
    members
        .get(after.checked_sub(1)?)
        .filter(|member| member.span().contains(&offset))
}

fn is_container(member: &Member<'_>) -> bool {
    matches!(member.kind(), json::Kind::Object | json::Kind::Array)
}

/// Appends `/` and `name` as a reference token. RFC 6901: `~` → `~0`, `/` → `~1`.
fn push_token(path: &mut String, name: &str) {
    path.push('/');
    if !name.bytes().any(|b| b == b'~' || b == b'/') {
        // Nearly every name: nothing to escape, copied at once.
        path.push_str(name);
        return;
    }
    for c in name.chars() {
        match c {
            '~' => path.push_str("~0"),
            '/' => path.push_str("~1"),
            c => path.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(body: &str, needle: &str) -> Option<String> {
        let start = body.find(needle).unwrap();
        let document = json::parse(body.as_bytes()).unwrap();
        pointer(&document, &(start..start + needle.len()))
    }

    const BODY: &str = r#"{"status": 409, "a/b~c": 1, "properties": {"errorCode": "X", "retryable": 1, "deep": {"k": [1]}}, "list": [1, 2]}"#;

    #[test]
    fn names_members_by_name_or_value() {
        assert_eq!(at(BODY, "409").as_deref(), Some("/status"));
        assert_eq!(at(BODY, "\"status\"").as_deref(), Some("/status"));
        assert_eq!(at(BODY, "\"X\"").as_deref(), Some("/properties/errorCode"));
        assert_eq!(
            at(BODY, "\"retryable\": 1").as_deref(),
            Some("/properties/retryable")
        );
        assert_eq!(at(BODY, "\"a/b~c\"").as_deref(), Some("/a~1b~0c"));
    }

    #[test]
    fn braces_name_their_object() {
        assert_eq!(at(BODY, "{\"status\"").as_deref(), Some(""));
        assert_eq!(at(BODY, "{\"errorCode\"").as_deref(), Some("/properties"));
        assert_eq!(at(BODY, "{\"k\"").as_deref(), Some("/properties/deep"));
    }

    #[test]
    fn deeper_than_kept_is_unknown() {
        assert_eq!(at(BODY, "\"k\"").as_deref(), None);
        assert_eq!(at(BODY, "2]").as_deref(), None);
        assert_eq!(at(BODY, "[1, 2]").as_deref(), Some("/list"));
    }

    #[test]
    fn a_non_object_is_its_own_root() {
        let document = json::parse(b"[1]").unwrap();
        assert_eq!(pointer(&document, &(0..1)).as_deref(), Some(""));
        assert_eq!(pointer(&document, &(7..8)), None);
    }
}
