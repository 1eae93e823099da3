//! Newman JSON reports (`newman run … -r json --reporter-json-export report.json`): each of
//! `run.executions[]` is one request and its response, named
//! `report.json#execution-N (item name)` (N counts executions from 1, across iterations; the
//! name is `item.name`). An execution whose `response.code` is 400 or more is checked; the
//! others are counted as skipped, and so is one without a `response` (a request that failed,
//! `requestError`).
//!
//! What the reader takes from an execution (as Newman 6 writes it; see
//! `tests/fixtures/captures/FORMATS.md`):
//! - the status from `response.code`, the headers from `response.header` (`{key, value}`);
//! - the body from `response.stream`, Node's JSON form of a Buffer,
//!   `{"type": "Buffer", "data": [byte, …]}`: every element must be an integer from 0 to 255.
//!   Newman records the body decoded, so a `Content-Encoding` header says nothing about it;
//! - for the idempotency rules, the request's `method`, `url` (a string, or Postman's URL
//!   object, rebuilt), `header` and `body`: `raw` text as written, `urlencoded`, `formdata`
//!   and `graphql` compared as JSON; a `file` body is not in the report, so that request is
//!   not compared (a warning says so).
//!
//! The body is no text of the report, so a finding in it points at the line and column where
//! its execution starts; the status and the `Content-Type` point at their values. The report
//! is read one execution at a time through the rolling [`buffer`](super::buffer), and the byte
//! array is kept out of the execution's [`json::Tree`] (one node per byte would cost some 60
//! times the body): it is read from its text.

use super::buffer::{self, Format, Input, What};
use super::exchange::{self, Body, BodyMap, Exchange, Item, Keyed, Request, Session};
use super::shape::{self, Node, Shape, headers, member, of_kind, required, string};
use super::{Context, Emit, ReadError};
use crate::check::MAX_RESPONSE;
use crate::check::diagnostic::StepKind;
use crate::check::idempotency::Fingerprint;
use crate::contract::json::{self, Container, Kind, Repeat, Scalar, Scratch, Str, Tree};
use crate::contract::text::escape_for_display;
use std::borrow::Cow;
use std::io::Read;
use std::ops::Range;

/// Largest execution kept in memory: a body's byte array takes up to 15 bytes of
/// pretty-printed text per byte, so this holds bodies of 17 MiB and more.
const MAX_EXECUTION: usize = 4 * MAX_RESPONSE;

const NEWMAN: Format = Format {
    name: "Newman report",
    item: "execution",
    full_item: "Newman execution",
    structure: "a member of the Newman report",
};

/// The byte array, kept whole out of the tree.
const PRUNED: &[&[&str]] = &[&["response", "stream", "data"]];

pub fn read(
    reader: impl Read,
    context: &Context<'_>,
    emit: &mut Emit<'_>,
) -> Result<(), ReadError> {
    let mut input = Input::new(reader, MAX_EXECUTION, NEWMAN);
    let mut scratch = Scratch::default();
    let mut session = Session::new("execution");
    let no_executions =
        || ReadError::Input("not a Newman report: it has no `run.executions` array".into());
    input.skip_bom()?;
    input.expect(b'{', "the report is not a JSON object")?;
    if !input.seek_member("run", &mut scratch)? {
        return Err(no_executions());
    }
    input.expect(b'{', "`run` is not an object")?;
    if !input.seek_member("executions", &mut scratch)? {
        return Err(no_executions());
    }
    input.expect(b'[', "`run.executions` is not an array")?;
    if input.empty_array()? {
        return Ok(());
    }
    let mut index = 0;
    loop {
        index += 1;
        let done = input.value(
            What::Item(index),
            &mut scratch,
            |text, more, scratch, start| {
                let (tree, end) = json::tree_pruned(text, more, scratch, PRUNED)?;
                let source = buffer::source(tree.root().raw(), start);
                let done = execution(&tree, &source, start, index, &mut session, context, emit);
                Ok((done, end))
            },
        )?;
        done?;
        if input.separator(b']')? {
            return Ok(());
        }
    }
}

fn execution(
    tree: &Tree<'_>,
    source: &crate::check::position::Source<'_>,
    start: buffer::Start,
    index: usize,
    session: &mut Session,
    context: &Context<'_>,
    emit: &mut Emit<'_>,
) -> Result<(), ReadError> {
    let root = tree.root();
    // The name comes first: even an execution that does not fit is named by it.
    let name = root
        .get("item")
        .and_then(|item| item.get("name"))
        .and_then(|name| name.as_str());
    let name = name.map(|name| name.decode());
    let item = Item::step(
        source,
        start,
        index,
        StepKind::Execution,
        name.as_deref().unwrap_or_default(),
    );
    let execution = Execution::read(root)
        .map_err(|shape| item.misshapen((NEWMAN.item, NEWMAN.full_item), &shape))?;
    let (status, status_span) = match &execution.response {
        None => (0, 0..1),
        Some(response) => match shape::status(response.code) {
            Ok(status) => (status, response.code.span()),
            Err(what) => {
                let span = response.code.span();
                return item.bad_status("response.code", what, span, context, emit);
            }
        },
    };
    let exchange = Exchange {
        status,
        status_span,
        content_type: execution.response.as_ref().and_then(|response| {
            let value = shape::find_header(&response.headers, "content-type")?;
            value.as_str().map(|text| (text.decode(), value.span()))
        }),
        response_span: execution
            .response
            .as_ref()
            .map_or(0..1, |response| response.node.span()),
        request: execution.request.map_or(Request::Plain, request),
    };
    let body = || match &execution.response {
        Some(response) => body(response, &item),
        // Not reached: an execution without a response has status 0, and is skipped.
        None => Err("the execution has no response".to_string()),
    };
    exchange::check(&item, &exchange, body, session, context, emit)
}

/// What one execution says, as far as `cyoda check` looks at it.
struct Execution<'t, 'a> {
    /// `None`: the request got no response.
    response: Option<Response<'t, 'a>>,
    request: Option<Node<'t, 'a>>,
}

struct Response<'t, 'a> {
    node: Node<'t, 'a>,
    code: Node<'t, 'a>,
    headers: Vec<shape::Header<'t, 'a>>,
    stream: Option<Node<'t, 'a>>,
}

impl<'t, 'a> Execution<'t, 'a> {
    fn read(root: Node<'t, 'a>) -> Result<Self, Shape> {
        let execution = of_kind(root, Kind::Object, "execution")?;
        let response = match member(execution, "response")? {
            None => None,
            Some(node) => {
                let response = of_kind(node, Kind::Object, "response")?;
                Some(Response {
                    node: response,
                    code: required(response, "code", "response.code")?,
                    headers: headers(response, "header", "key", "response")?,
                    stream: member(response, "stream")?,
                })
            }
        };
        Ok(Execution {
            response,
            request: member(execution, "request")?,
        })
    }
}

/// The body in `response.stream`.
fn body<'a>(response: &Response<'_, 'a>, item: &Item<'_>) -> Result<Body<'a>, String> {
    let Some(stream) = response.stream else {
        return Ok(Body::NotCaptured {
            span: response.node.span(),
            what: "the Newman execution's response has no `stream`".into(),
        });
    };
    let shape = |shape: Shape| format!("{} {}", shape.message, item.at(shape.span));
    let stream = of_kind(stream, Kind::Object, "response.stream").map_err(shape)?;
    if let Some(kind) = string(stream, "type", "response.stream.type").map_err(shape)?
        && kind != "Buffer"
    {
        return Err(format!(
            "response.stream.type is {}, not \"Buffer\"",
            crate::contract::text::quote(&kind)
        ));
    }
    let data = required(stream, "data", "response.stream.data").map_err(shape)?;
    let data = of_kind(data, Kind::Array, "response.stream.data").map_err(shape)?;
    let offset = data.span().start;
    let mut bytes = ByteArray::default();
    // The tree's pass validated this text already.
    json::visit(data.raw().as_bytes(), &mut Scratch::default(), &mut bytes)
        .map_err(|error| format!("response.stream.data: {error}"))?;
    if let Some((what, span)) = bytes.error {
        let span = offset + span.start..offset + span.end;
        return Err(format!("response.stream.data{what} {}", item.at(span)));
    }
    // Every finding in the body points at the start of the execution.
    Ok(Body::Captured(Cow::Owned(bytes.out), BodyMap::Whole(0..1)))
}

/// Collects the elements of a byte array; the first element that is no byte stops it.
#[derive(Default)]
struct ByteArray {
    out: Vec<u8>,
    /// What is wrong (`[5] is 300, not a byte`) and where, in the array's text.
    error: Option<(String, Range<usize>)>,
    /// Containers open inside the array.
    nested: usize,
}

impl ByteArray {
    fn fail(&mut self, what: String, span: Range<usize>) {
        if self.error.is_none() {
            self.error = Some((what, span));
        }
    }
}

impl<'a> json::Visitor<'a> for ByteArray {
    fn open(&mut self, container: Container, at: usize, depth: usize) {
        if depth == 0 {
            return;
        }
        self.nested += 1;
        let index = self.out.len();
        let kind = match container {
            Container::Array => "an array",
            Container::Object => "an object",
        };
        self.fail(format!("[{index}] is {kind}, not a byte"), at..at + 1);
    }

    fn name(&mut self, _: Str<'a>, _: Option<Repeat>, _: usize) {}

    fn scalar(&mut self, scalar: Scalar<'a>, span: Range<usize>, depth: usize) {
        if depth != 1 || self.nested > 0 || self.error.is_some() {
            return;
        }
        let index = self.out.len();
        match scalar {
            Scalar::Number(lexeme) => match lexeme.parse::<u8>() {
                // `parse` takes a leading `+`, which JSON numbers never have.
                Ok(byte) if lexeme.bytes().all(|b| b.is_ascii_digit()) => {
                    if self.out.len() >= MAX_RESPONSE {
                        self.fail(
                            format!(
                                " holds more than {} MiB: the response is larger than the limit",
                                MAX_RESPONSE >> 20
                            ),
                            span,
                        );
                    } else {
                        self.out.push(byte);
                    }
                }
                _ => self.fail(
                    format!(
                        "[{index}] is {}, not a byte (an integer from 0 to 255)",
                        escape_for_display(lexeme)
                    ),
                    span,
                ),
            },
            Scalar::String(_) => self.fail(format!("[{index}] is a string, not a byte"), span),
            Scalar::True | Scalar::False => {
                self.fail(format!("[{index}] is a boolean, not a byte"), span);
            }
            Scalar::Null => self.fail(format!("[{index}] is null, not a byte"), span),
        }
    }

    fn close(&mut self, _: Container, _: Range<usize>, depth: usize) {
        if depth > 0 {
            self.nested = self.nested.saturating_sub(1);
        }
    }
}

/// What the idempotency rules get of `request`: keyed when it carries an `Idempotency-Key`.
/// A request whose headers do not fit has no key to read; one whose other members do not fit
/// is skipped with a warning.
fn request<'a>(request: Node<'_, 'a>) -> Request<'a> {
    let key = of_kind(request, Kind::Object, "request")
        .and_then(|request| headers(request, "header", "key", "request"))
        .ok()
        .and_then(|headers| shape::idempotency_key(&headers));
    let Some((key, span)) = key else {
        return Request::Plain;
    };
    let read = || -> Result<Request<'a>, Shape> {
        let method = string(request, "method", "request.method")?;
        let url = member(request, "url")?.map(url).unwrap_or_default();
        let body = match request_body(member(request, "body")?)? {
            Ok(body) => body,
            Err(why) => return Ok(Request::Unknown(why)),
        };
        Ok(Request::Keyed(Keyed {
            method: method.unwrap_or_default(),
            url: Cow::Owned(url),
            key,
            span,
            body: Fingerprint::of(&body),
        }))
    };
    read().unwrap_or_else(|shape| Request::misshapen(&shape))
}

/// The request body the idempotency rules compare, or why the report does not hold it.
fn request_body(body: Option<Node<'_, '_>>) -> Result<Result<Vec<u8>, String>, Shape> {
    let Some(body) = body else {
        return Ok(Ok(Vec::new()));
    };
    let body = of_kind(body, Kind::Object, "request.body")?;
    let mode = string(body, "mode", "request.body.mode")?;
    let mode = mode.as_deref().unwrap_or("raw");
    match mode {
        "raw" => Ok(Ok(string(body, "raw", "request.body.raw")?
            .map(|raw| raw.into_owned().into_bytes())
            .unwrap_or_default())),
        // Fields: compared as JSON, as a HAR's `params` are.
        "urlencoded" | "formdata" | "graphql" => Ok(Ok(member(body, mode)?
            .map(|fields| fields.raw().as_bytes().to_vec())
            .unwrap_or_default())),
        other => Ok(Err(format!(
            "the request carries an Idempotency-Key, but its body is not in the report \
             (`body.mode` is {}), so the idempotency rules skip it",
            crate::contract::text::quote(other)
        ))),
    }
}

/// The request URL: a string as it is, or Postman's URL object rebuilt
/// (`protocol://host[:port]/path?query`), so that requests to one URL group together.
fn url(node: Node<'_, '_>) -> String {
    if let Some(url) = node.as_str() {
        return url.decode().into_owned();
    }
    let text = |node: Option<Node<'_, '_>>| {
        node.and_then(|node| node.as_str().map(|s| s.decode().into_owned()))
            .or_else(|| node.and_then(|node| node.as_number().map(str::to_owned)))
    };
    let joined = |name: &str, separator: &str| -> String {
        match node.get(name) {
            Some(list) if list.kind() == Kind::Array => list
                .children()
                .filter_map(|part| text(Some(part)))
                .collect::<Vec<_>>()
                .join(separator),
            other => text(other).unwrap_or_default(),
        }
    };
    let mut url = String::new();
    if let Some(protocol) = text(node.get("protocol")) {
        url.push_str(&protocol);
        url.push_str("://");
    }
    url.push_str(&joined("host", "."));
    if let Some(port) = text(node.get("port")) {
        url.push(':');
        url.push_str(&port);
    }
    url.push('/');
    url.push_str(&joined("path", "/"));
    let query: Vec<String> = node
        .get("query")
        .filter(|query| query.kind() == Kind::Array)
        .map(|query| {
            query
                .children()
                .filter(|pair| pair.get("disabled").is_none_or(|d| d.kind() != Kind::True))
                .map(|pair| {
                    let key = text(pair.get("key")).unwrap_or_default();
                    match text(pair.get("value")) {
                        Some(value) => format!("{key}={value}"),
                        None => key,
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    if !query.is_empty() {
        url.push('?');
        url.push_str(&query.join("&"));
    }
    url
}
