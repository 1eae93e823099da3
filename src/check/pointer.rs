//! The JSON Pointer (RFC 6901) of what a violation points at, computed from the body's
//! structure and the violation's byte span, for the machine reports.
//!
//! The rules report byte spans, not paths; rather than teach every rule its path, the check
//! layer maps a span back to the member holding it. The reader keeps the envelope's first two
//! levels (top-level members and the members of a top-level object such as `properties`), which
//! is where every rule but `duplicate-member` reports; a span deeper than that gets no pointer
//! rather than a wrong one.
//!
//! What a pointer names: the member whose name or value the span covers (`/properties/retryable`
//! for `"retryable": false`); for a span on an object's opening brace (a missing member, an
//! absent `retryable`) the object itself (`""` for the top level, `/properties`).

use crate::contract::json::{self, Document, Member};
use crate::contract::rules::Target;
use std::ops::Range;

/// Maps the targets of one body's violations to pointers; parses the body once, on first use.
pub struct Pointers<'b> {
    body: &'b [u8],
    document: Option<Option<Document<'b>>>,
}

impl<'b> Pointers<'b> {
    pub fn new(body: &'b [u8]) -> Self {
        Pointers {
            body,
            document: None,
        }
    }

    /// The pointer of `target`; `None` for transport targets, a body that is not JSON, or a
    /// span deeper than the kept levels.
    pub fn of(&mut self, target: &Target) -> Option<String> {
        let Target::Body(span) = target else {
            return None;
        };
        let body = self.body;
        let document = self
            .document
            .get_or_insert_with(|| json::parse(body).ok())
            .as_ref()?;
        pointer(document, span)
    }
}

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
    let mut path = format!("/{}", escape(&member.name));
    if span.start <= member.value_span.start {
        return Some(path);
    }
    let children = document.children(member);
    match containing(children, span.start) {
        Some(child) if span.start <= child.value_span.start || !is_container(child) => {
            path.push('/');
            path.push_str(&escape(&child.name));
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

/// The member whose span (name through value) holds `offset`.
fn containing<'m, 'a>(members: &'m [Member<'a>], offset: usize) -> Option<&'m Member<'a>> {
    members
        .iter()
        .find(|member| member.span().contains(&offset))
}

fn is_container(member: &Member<'_>) -> bool {
    matches!(member.kind(), json::Kind::Object | json::Kind::Array)
}

/// RFC 6901: `~` → `~0`, `/` → `~1`.
fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(body: &str, needle: &str) -> Option<String> {
        let start = body.find(needle).unwrap();
        let mut pointers = Pointers::new(body.as_bytes());
        pointers.of(&Target::Body(start..start + needle.len()))
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
    fn no_pointer_without_json_or_body() {
        let mut pointers = Pointers::new(b"{nope");
        assert_eq!(pointers.of(&Target::Body(1..2)), None);
        assert_eq!(pointers.of(&Target::CapturedStatus), None);
        let mut pointers = Pointers::new(b"[1]");
        assert_eq!(pointers.of(&Target::Body(0..1)).as_deref(), Some(""));
    }
}
