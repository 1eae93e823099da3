//! Reading the members of a capture item ([`json::Tree`]) the way every capture reader does:
//! a member the reader reads must not repeat, a `null` counts as absent, a value of the wrong
//! type is a [`Shape`] error naming the member's path and where it is.

use crate::contract::json::{Kind, NodeRef};
use std::borrow::Cow;
use std::ops::Range;

pub(super) type Node<'t, 'a> = NodeRef<'t, 'a>;

/// Why an item does not have the shape of its format: what is wrong, and where in the item.
pub(super) struct Shape {
    pub message: String,
    pub span: Range<usize>,
}

/// The member `name` of `object`, which must not repeat; `null` is absent.
pub(super) fn member<'t, 'a>(
    object: Node<'t, 'a>,
    name: &str,
) -> Result<Option<Node<'t, 'a>>, Shape> {
    match object.get(name) {
        Some(found) if found.repeated() => Err(Shape {
            message: format!("duplicate member `{name}`"),
            span: found
                .name()
                .map_or_else(|| found.span(), |name| name.span()),
        }),
        Some(found) if found.is_null() => Ok(None),
        found => Ok(found),
    }
}

pub(super) fn required<'t, 'a>(
    object: Node<'t, 'a>,
    name: &str,
    path: &str,
) -> Result<Node<'t, 'a>, Shape> {
    member(object, name)?.ok_or_else(|| Shape {
        message: format!("missing member `{path}`"),
        span: object.span(),
    })
}

pub(super) fn of_kind<'t, 'a>(
    node: Node<'t, 'a>,
    kind: Kind,
    path: &str,
) -> Result<Node<'t, 'a>, Shape> {
    if node.kind() == kind {
        return Ok(node);
    }
    let expected = match kind {
        Kind::Array => "an array",
        Kind::String => "a string",
        Kind::Number => "a number",
        _ => "an object",
    };
    Err(Shape {
        message: format!(
            "invalid type: `{path}` is {}, expected {expected}",
            node.kind().describe()
        ),
        span: node.span(),
    })
}

/// A string member, decoded.
pub(super) fn string<'a>(
    object: Node<'_, 'a>,
    name: &str,
    path: &str,
) -> Result<Option<Cow<'a, str>>, Shape> {
    match member(object, name)? {
        None => Ok(None),
        Some(node) => Ok(of_kind(node, Kind::String, path)?
            .as_str()
            .map(|s| s.decode())),
    }
}

/// One header of a capture.
pub(super) struct Header<'t, 'a> {
    pub name: Cow<'a, str>,
    pub value: Node<'t, 'a>,
}

/// The headers in `object.headers`, an array of `{<name_key>, value}` (HAR and Hurl say
/// `name`, Newman `key`); none when it is absent. Members beside these two are not read
/// (Newman's `system`, …).
pub(super) fn headers<'t, 'a>(
    object: Node<'t, 'a>,
    member_name: &str,
    name_key: &str,
    path: &str,
) -> Result<Vec<Header<'t, 'a>>, Shape> {
    let Some(array) = member(object, member_name)? else {
        return Ok(Vec::new());
    };
    let array = of_kind(array, Kind::Array, &format!("{path}.{member_name}"))?;
    let mut headers = Vec::new();
    for (i, header) in array.children().enumerate() {
        let at = format!("{path}.{member_name}[{i}]");
        let header = of_kind(header, Kind::Object, &at)?;
        let name = required(header, name_key, &format!("{at}.{name_key}"))?;
        let name = of_kind(name, Kind::String, &format!("{at}.{name_key}"))?;
        let value = required(header, "value", &format!("{at}.value"))?;
        if let Some(name) = name.as_str() {
            headers.push(Header {
                name: name.decode(),
                value,
            });
        }
    }
    Ok(headers)
}

/// The value of the first header named `name` (any case).
pub(super) fn find_header<'t, 'a>(headers: &[Header<'t, 'a>], name: &str) -> Option<Node<'t, 'a>> {
    headers
        .iter()
        .find(|header| header.name.eq_ignore_ascii_case(name))
        .map(|header| header.value)
}

/// A captured status: an integer up to 999 (HAR records 0 or less for a request that got no
/// response, which is kept, and skipped); what is not is no HTTP status.
pub(super) fn status(node: Node<'_, '_>) -> Result<i64, &'static str> {
    match node.as_number().map(str::parse::<i64>) {
        Some(Ok(status)) if status <= 999 => Ok(status),
        Some(Ok(_)) => Err("is not an HTTP status (above 999)"),
        _ => Err("is not an integer"),
    }
}

/// The `Idempotency-Key` of a request's headers: the first one (any case), trimmed, when it
/// is a non-empty string, with its value's span.
pub(super) fn idempotency_key(headers: &[Header<'_, '_>]) -> Option<(String, Range<usize>)> {
    let value = find_header(headers, "idempotency-key")?;
    let key = value.as_str()?.decode();
    let key = key.trim();
    (!key.is_empty()).then(|| (key.to_owned(), value.span()))
}
