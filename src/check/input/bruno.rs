//! Bruno JSON reports (`bru run --reporter-json report.json`): an array with one element per
//! iteration, each with `results[]`, one per request. Each result is named
//! `report.json#result-N (name)` (N counts results from 1, across iterations; the name is the
//! request's `meta.name`). A result whose `response.status` is 400 or more is checked; the
//! others are counted as skipped, and so is one whose status is the string `"error"` (the
//! request got no response).
//!
//! What the reader takes from a result (as @usebruno/cli 4 writes it; see
//! `tests/fixtures/captures/FORMATS.md`):
//! - the status from `response.status`, the headers from `response.headers`, an object with
//!   lower-case names (Bruno drops `content-encoding`: its bodies are decoded);
//! - the body from `response.data`. Bruno keeps a body that parses as JSON as the parsed value,
//!   so the checked body is that value's text in the report (pretty-printed, spacing and
//!   repeated member names of the original lost), and a finding points into it; a body that
//!   is not JSON is a string, checked decoded. A JSON body that was itself a string cannot be
//!   told from a text body, and is checked as the text;
//! - for the idempotency rules, the request's `method`, `url`, `headers` (an object) and
//!   `data` (a string as written, another value as its JSON text).
//!
//! The report is read one result at a time through the rolling [`buffer`](super::buffer);
//! `response.data` is kept out of the result's [`json::Tree`] and read from its text.

use super::buffer::{self, Format, Input, Start, What};
use super::exchange::{self, Body, BodyMap, Exchange, Item, Keyed, Request, Session};
use super::shape::{self, Node, Shape, member, of_kind, string};
use super::{Context, Emit, ReadError};
use crate::check::MAX_RESPONSE;
use crate::check::diagnostic::StepKind;
use crate::check::idempotency::Fingerprint;
use crate::check::position::Source;
use crate::contract::json::{self, Kind, Scratch, Tree};
use std::borrow::Cow;
use std::io::Read;
use std::ops::Range;

/// Largest result kept in memory: a body at the size limit, escape-inflated.
const MAX_RESULT: usize = 4 * MAX_RESPONSE;

const BRUNO: Format = Format {
    name: "Bruno report",
    item: "result",
    full_item: "Bruno result",
    structure: "a member of a Bruno iteration",
};

/// The body, kept whole out of the tree.
const PRUNED: &[&[&str]] = &[&["response", "data"]];

pub fn read(
    reader: impl Read,
    context: &Context<'_>,
    emit: &mut Emit<'_>,
) -> Result<(), ReadError> {
    let mut input = Input::new(reader, MAX_RESULT, BRUNO);
    let mut scratch = Scratch::default();
    let mut session = Session::new("result");
    input.skip_bom()?;
    input.expect(b'[', "the report is not a JSON array")?;
    if input.empty_array()? {
        return Ok(());
    }
    let mut index = 0;
    let mut iteration = 0;
    loop {
        iteration += 1;
        input.expect(b'{', "an iteration is not an object")?;
        if !input.seek_member("results", &mut scratch)? {
            return Err(ReadError::Input(format!(
                "not a Bruno report: iteration {iteration} has no `results` array"
            )));
        }
        input.expect(b'[', "`results` is not an array")?;
        if !input.empty_array()? {
            loop {
                index += 1;
                let done = input.value(
                    What::Item(index),
                    &mut scratch,
                    |text, more, scratch, start| {
                        let (tree, end) = json::tree_pruned(text, more, scratch, PRUNED)?;
                        let source = buffer::source(tree.root().raw(), start);
                        let done =
                            result(&tree, &source, start, index, &mut session, context, emit);
                        Ok((done, end))
                    },
                )?;
                done?;
                if input.separator(b']')? {
                    break;
                }
            }
        }
        input.finish_object(&mut scratch)?;
        if input.separator(b']')? {
            return Ok(());
        }
    }
}

fn result(
    tree: &Tree<'_>,
    source: &Source<'_>,
    start: Start,
    index: usize,
    session: &mut Session,
    context: &Context<'_>,
    emit: &mut Emit<'_>,
) -> Result<(), ReadError> {
    let root = tree.root();
    let name = root.get("name").and_then(|name| name.as_str());
    let name = name.map(|name| name.decode());
    let item = Item::step(
        source,
        start,
        index,
        StepKind::Result,
        name.as_deref().unwrap_or_default(),
    );
    let result =
        Ran::read(root).map_err(|shape| item.misshapen((BRUNO.item, BRUNO.full_item), &shape))?;
    let status = match result.status.kind() {
        // A request that got no response: Bruno writes `"status": "error"`.
        Kind::String => 0,
        _ => match shape::status(result.status) {
            Ok(status) => status,
            Err(what) => {
                let span = result.status.span();
                return item.bad_status("response.status", what, span, context, emit);
            }
        },
    };
    let exchange = Exchange {
        status,
        status_span: result.status.span(),
        content_type: result
            .headers
            .and_then(|headers| header(headers, "content-type"))
            .and_then(|value| Some((value.as_str()?.decode(), value.span()))),
        response_span: result.response.span(),
        request: result.request.map_or(Request::Plain, request),
    };
    let body = || Ok(body(&result));
    exchange::check(&item, &exchange, body, session, context, emit)
}

/// What one result says, as far as `cyoda check` looks at it (named for what Bruno calls it:
/// the result of running one request).
struct Ran<'t, 'a> {
    response: Node<'t, 'a>,
    status: Node<'t, 'a>,
    headers: Option<Node<'t, 'a>>,
    data: Option<Node<'t, 'a>>,
    request: Option<Node<'t, 'a>>,
}

impl<'t, 'a> Ran<'t, 'a> {
    fn read(root: Node<'t, 'a>) -> std::result::Result<Self, Shape> {
        let result = of_kind(root, Kind::Object, "result")?;
        let response = shape::required(result, "response", "response")?;
        let response = of_kind(response, Kind::Object, "response")?;
        let headers = member(response, "headers")?
            .map(|headers| of_kind(headers, Kind::Object, "response.headers"))
            .transpose()?;
        Ok(Ran {
            response,
            status: shape::required(response, "status", "response.status")?,
            headers,
            // A JSON `null` body is `"data": null`: absent is absent, null is the body (the
            // lookup checks only that the name does not repeat).
            data: member(response, "data")?.or_else(|| response.get("data")),
            request: member(result, "request")?,
        })
    }
}

/// The value of the first member of the headers object named `name` (any case), unless null.
fn header<'t, 'a>(headers: Node<'t, 'a>, name: &str) -> Option<Node<'t, 'a>> {
    headers
        .children()
        .find(|member| {
            member
                .name()
                .is_some_and(|n| n.decode().eq_ignore_ascii_case(name))
        })
        .filter(|value| !value.is_null())
}

/// The body in `response.data`.
fn body<'a>(result: &Ran<'_, 'a>) -> Body<'a> {
    let Some(data) = result.data else {
        return Body::NotCaptured {
            span: result.response.span(),
            what: "the Bruno result's response has no `data`".into(),
        };
    };
    match data.as_str() {
        Some(text) => {
            let (decoded, map) = text.decode_mapped();
            let bytes = match decoded {
                Cow::Borrowed(text) => Cow::Borrowed(text.as_bytes()),
                Cow::Owned(text) => Cow::Owned(text.into_bytes()),
            };
            Body::Captured(bytes, BodyMap::Text(map))
        }
        None => Body::Captured(
            Cow::Borrowed(data.raw().as_bytes()),
            BodyMap::Shifted(data.span().start),
        ),
    }
}

/// What the idempotency rules get of `request`: keyed when its headers carry an
/// `Idempotency-Key`. A request whose headers do not fit has no key to read; one whose other
/// members do not fit is skipped with a warning.
fn request<'a>(request: Node<'_, 'a>) -> Request<'a> {
    let headers = of_kind(request, Kind::Object, "request")
        .and_then(|request| member(request, "headers"))
        .ok()
        .flatten()
        .filter(|headers| headers.kind() == Kind::Object);
    let Some((key, span)) = headers
        .and_then(|headers| header(headers, "idempotency-key"))
        .and_then(key)
    else {
        return Request::Plain;
    };
    let read = || -> std::result::Result<Keyed<'a>, Shape> {
        let body = match member(request, "data")? {
            None => Vec::new(),
            Some(data) => match data.as_str() {
                Some(text) => text.decode().into_owned().into_bytes(),
                None => data.raw().as_bytes().to_vec(),
            },
        };
        Ok(Keyed {
            method: string(request, "method", "request.method")?.unwrap_or_default(),
            url: string(request, "url", "request.url")?.unwrap_or_default(),
            key,
            span,
            body: Fingerprint::of(&body),
        })
    };
    match read() {
        Ok(keyed) => Request::Keyed(keyed),
        Err(shape) => Request::misshapen(&shape),
    }
}

/// A header value as an idempotency key: a non-empty string, trimmed.
fn key(value: Node<'_, '_>) -> Option<(String, Range<usize>)> {
    let key = value.as_str()?.decode();
    let key = key.trim();
    (!key.is_empty()).then(|| (key.to_owned(), value.span()))
}
