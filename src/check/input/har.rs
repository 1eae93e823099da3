//! HAR captures: `log.entries[]`, each entry with `response.status >= 400` is one response,
//! named `file#entry-N` (N counts every entry from 1); the others are counted as skipped.
//! Every entry whose request carries an `Idempotency-Key`, whatever its status, also goes
//! through the idempotency rules ([`crate::check::idempotency`]); an entry below 400 that they
//! report on becomes a response with only those findings.
//!
//! What an entry must hold: `response` (an object) with `status`; `response.headers` (an array
//! of `{name, value}`), `response.content` (`text`, `encoding`, `mimeType`) and `request` are
//! optional, and a `null` counts as absent. Members the checker does not read are not looked at
//! (the `_`-prefixed extensions tools add, `timings`, `cache`, …), but a member it reads must
//! not repeat. The request is read leniently: one that does not fit is simply not keyed.
//!
//! Hot path: a HAR can be far larger than memory allows, so it is never parsed whole. The
//! [`buffer`] holds one entry at a time; each entry is read by the JSON reader into a
//! [`json::Tree`] of the entry alone, whose spans are offsets into the entry, and the buffer
//! knows the line and column where the entry starts, so a span becomes a position in the file.
//! A violation inside the body is mapped from the decoded body back through the JSON string's
//! escapes ([`json::OffsetMap`]) to the raw bytes of `text` (a base64 body points at the start
//! of its `text` value). Entries are checked in order on one thread: reading is the cost, and
//! it is sequential.

mod buffer;

use super::{Context, Emit, ReadError};
use crate::check::checker::Response as Checked;
use crate::check::diagnostic::Locator;
use crate::check::idempotency::{Fingerprint, KeyedRequest, Tracker};
use crate::check::position::{Place, Source};
use crate::check::{Event, MAX_RESPONSE};
use crate::contract::json::{self, Kind, NodeRef, OffsetMap, Scratch, Tree};
use crate::contract::rules::{Target, Transport, Violation};
use base64::Engine;
use buffer::{Input, Start, What};
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Read;
use std::ops::Range;

/// Largest raw entry kept in memory: a body at the size limit, base64- or escape-inflated.
const MAX_ENTRY: usize = 4 * MAX_RESPONSE;

/// Bytes of context each side of a remembered first use's snippet: enough for the header
/// value of a pretty-printed HAR, small enough to keep one per key.
const REMEMBERED_CONTEXT: usize = 64;

pub fn read(
    reader: impl Read,
    context: &Context<'_>,
    emit: &mut Emit<'_>,
) -> Result<(), ReadError> {
    let mut input = Input::new(reader, MAX_ENTRY);
    let mut scratch = Scratch::default();
    let mut session = Session::default();
    input.skip_bom()?;
    input.expect(b'{', "the HAR is not a JSON object")?;
    if input.name(&mut scratch)? != "log" {
        return Err(input.broken("the first member is not `log`"));
    }
    input.expect(b'{', "`log` is not an object")?;
    let no_entries = || ReadError::Input("not a HAR: `log` has no `entries` array".into());
    loop {
        if input.next_non_ws()? == b'}' {
            return Err(no_entries());
        }
        if input.name(&mut scratch)? == "entries" {
            break;
        }
        input.skip_value(&mut scratch)?;
        if input.separator(b'}')? {
            return Err(no_entries());
        }
    }
    input.expect(b'[', "`log.entries` is not an array")?;
    if input.next_non_ws()? == b']' {
        return Ok(());
    }
    let mut index = 0;
    loop {
        index += 1;
        let done = input.value(
            What::Entry(index),
            &mut scratch,
            |text, more, scratch, start| {
                let (tree, end) = json::tree_prefix(text, more, scratch)?;
                // The value starts the text (the buffer skipped the whitespace before it).
                let source = buffer::source(tree.root().raw(), start);
                let placed = Placed { start, index };
                let done = entry(&tree, &source, placed, &mut session, context, emit);
                Ok((done, end))
            },
        )?;
        done?;
        if input.separator(b']')? {
            return Ok(());
        }
    }
}

/// Where an entry sits in the input.
#[derive(Clone, Copy, Debug)]
struct Placed {
    start: Start,
    /// 1-based index in `log.entries`.
    index: usize,
}

impl Placed {
    /// `span`, a byte range of the input, as a range of the entry; `None` when it lies before.
    fn within(&self, span: &Range<usize>) -> Option<Range<usize>> {
        let offset = self.start.offset;
        (span.start >= offset).then(|| span.start - offset..span.end.saturating_sub(offset))
    }
}

/// What outlives an entry: the idempotency rules' state, and where each group's first use
/// is, for the findings that point back at it.
#[derive(Default)]
struct Session {
    tracker: Tracker,
    /// By byte offset in the input of the header value: its position and snippet.
    firsts: HashMap<usize, Place<'static>>,
}

/// Why an entry is not a HAR entry: what is wrong, and where in the entry.
struct Shape {
    message: String,
    span: Range<usize>,
}

type Node<'t, 'a> = NodeRef<'t, 'a>;

/// The member `name` of `object`, which must not repeat; `null` is absent.
fn member<'t, 'a>(object: Node<'t, 'a>, name: &str) -> Result<Option<Node<'t, 'a>>, Shape> {
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

fn required<'t, 'a>(object: Node<'t, 'a>, name: &str, path: &str) -> Result<Node<'t, 'a>, Shape> {
    member(object, name)?.ok_or_else(|| Shape {
        message: format!("missing member `{path}`"),
        span: object.span(),
    })
}

fn of_kind<'t, 'a>(node: Node<'t, 'a>, kind: Kind, path: &str) -> Result<Node<'t, 'a>, Shape> {
    if node.kind() == kind {
        return Ok(node);
    }
    let expected = match kind {
        Kind::Array => "an array",
        Kind::String => "a string",
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
fn string<'a>(object: Node<'_, 'a>, name: &str, path: &str) -> Result<Option<Cow<'a, str>>, Shape> {
    match member(object, name)? {
        None => Ok(None),
        Some(node) => Ok(of_kind(node, Kind::String, path)?
            .as_str()
            .map(|s| s.decode())),
    }
}

/// One `{name, value}` of a headers array.
struct Header<'t, 'a> {
    name: Cow<'a, str>,
    value: Node<'t, 'a>,
}

fn headers<'t, 'a>(object: Node<'t, 'a>, path: &str) -> Result<Vec<Header<'t, 'a>>, Shape> {
    let Some(array) = member(object, "headers")? else {
        return Ok(Vec::new());
    };
    let array = of_kind(array, Kind::Array, &format!("{path}.headers"))?;
    let mut headers = Vec::new();
    for (i, header) in array.children().enumerate() {
        let at = format!("{path}.headers[{i}]");
        let header = of_kind(header, Kind::Object, &at)?;
        let name = required(header, "name", &format!("{at}.name"))?;
        let name = of_kind(name, Kind::String, &format!("{at}.name"))?;
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

/// `response.content`.
struct Content<'t, 'a> {
    mime_type: Option<Node<'t, 'a>>,
    text: Option<Node<'t, 'a>>,
    base64: bool,
}

impl<'t, 'a> Content<'t, 'a> {
    fn read(node: Node<'t, 'a>) -> Result<Self, Shape> {
        let content = of_kind(node, Kind::Object, "response.content")?;
        let encoding = string(content, "encoding", "response.content.encoding")?;
        Ok(Content {
            mime_type: member(content, "mimeType")?,
            text: member(content, "text")?,
            base64: is_base64(encoding.as_deref()),
        })
    }
}

fn is_base64(encoding: Option<&str>) -> bool {
    encoding.is_some_and(|encoding| encoding.eq_ignore_ascii_case("base64"))
}

/// What one entry says, as far as `cyoda check` looks at it.
struct Entry<'t, 'a> {
    response: Node<'t, 'a>,
    status: Node<'t, 'a>,
    headers: Vec<Header<'t, 'a>>,
    content: Option<Content<'t, 'a>>,
    request: Option<Node<'t, 'a>>,
}

impl<'t, 'a> Entry<'t, 'a> {
    fn read(root: Node<'t, 'a>) -> Result<Self, Shape> {
        let entry = of_kind(root, Kind::Object, "entry")?;
        let response = required(entry, "response", "response")?;
        let response = of_kind(response, Kind::Object, "response")?;
        Ok(Entry {
            response,
            status: required(response, "status", "response.status")?,
            headers: headers(response, "response")?,
            content: member(response, "content")?
                .map(Content::read)
                .transpose()?,
            request: member(entry, "request")?,
        })
    }

    /// `response.status`: HAR records 0 (or less) for a request that got no response, kept
    /// and skipped; what is not an integer up to 999 is no HTTP status.
    fn status(&self) -> Result<i64, &'static str> {
        match self.status.as_number().map(str::parse::<i64>) {
            Some(Ok(status)) if status <= 999 => Ok(status),
            Some(Ok(_)) => Err("is not an HTTP status (above 999)"),
            _ => Err("is not an integer"),
        }
    }

    /// The captured `Content-Type`: the first header of that name (any case), else
    /// `content.mimeType`; `None` when that is not a string.
    fn content_type(&self) -> Option<(Cow<'a, str>, Range<usize>)> {
        let header = self
            .headers
            .iter()
            .find(|header| header.name.eq_ignore_ascii_case("content-type"))
            .map(|header| header.value);
        let node = header.or_else(|| self.content.as_ref().and_then(|c| c.mime_type))?;
        node.as_str().map(|value| (value.decode(), node.span()))
    }
}

/// The request of an entry that carries an `Idempotency-Key`.
struct Keyed<'a> {
    method: Cow<'a, str>,
    url: Cow<'a, str>,
    key: String,
    /// The header value, as a byte range of the input.
    span: Range<usize>,
    body: Fingerprint,
}

/// The idempotency facts of `request`, when it is an object that carries a non-empty
/// `Idempotency-Key` (any case; the first one counts). The body is `postData.text`,
/// base64-decoded when `postData` says `"encoding": "base64"`; without `text`, the `params`
/// array (compared as JSON); no `postData`, or one that does not fit, is an empty body.
fn keyed_request<'a>(request: Node<'_, 'a>, offset: usize) -> Option<Keyed<'a>> {
    let request = of_kind(request, Kind::Object, "request").ok()?;
    let method = string(request, "method", "request.method").ok()?;
    let url = string(request, "url", "request.url").ok()?;
    let headers = headers(request, "request").ok()?;
    let header = headers
        .iter()
        .find(|header| header.name.eq_ignore_ascii_case("idempotency-key"))?;
    let key = header.value.as_str()?.decode();
    let key = key.trim();
    if key.is_empty() {
        return None;
    }
    let post = member(request, "postData").ok()?;
    let body = post.map_or_else(Vec::new, post_body);
    let span = header.value.span();
    Some(Keyed {
        // A request that records no method or URL is grouped with the others that do not.
        method: method.unwrap_or_default(),
        url: url.unwrap_or_default(),
        key: key.to_owned(),
        span: offset + span.start..offset + span.end,
        body: Fingerprint::of(&body),
    })
}

/// The body of `postData`; empty when it does not fit.
fn post_body(post: Node<'_, '_>) -> Vec<u8> {
    let read = || -> Result<Vec<u8>, Shape> {
        let post = of_kind(post, Kind::Object, "postData")?;
        let encoding = string(post, "encoding", "postData.encoding")?;
        let text = member(post, "text")?.and_then(|text| text.as_str());
        let text = match (text, member(post, "params")?) {
            (Some(text), _) => text.decode().into_owned().into_bytes(),
            // Form fields, which some tools record instead of `text`: compared as JSON.
            (None, Some(params)) => params.raw().as_bytes().to_vec(),
            (None, None) => Vec::new(),
        };
        Ok(if is_base64(encoding.as_deref()) {
            // An undecodable body is compared as written.
            decode_base64(&text).unwrap_or(text)
        } else {
            text
        })
    };
    // A `postData` that does not fit says nothing of the body: it is compared as empty.
    read().unwrap_or_default()
}

fn decode_base64(text: &[u8]) -> Result<Vec<u8>, base64::DecodeError> {
    let compact: Vec<u8> = text
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    base64::engine::general_purpose::STANDARD.decode(&compact)
}

/// How decoded-body offsets map to the entry.
enum BodyMap {
    /// A JSON string: through its escapes.
    Text(OffsetMap),
    /// A base64 body, or none: everything points here.
    Whole(Range<usize>),
}

/// The body of `response.content.text`, decoded (and base64-decoded when marked so), and how
/// its offsets map to the entry; an error says why it cannot be checked.
fn response_body<'a>(
    content: Option<&Content<'_, 'a>>,
    response: Range<usize>,
    source: &Source<'_>,
) -> Result<(Cow<'a, [u8]>, BodyMap), String> {
    let Some((text, base64)) = content.and_then(|c| Some((c.text?, c.base64))) else {
        return Ok((
            Cow::Borrowed(&[]),
            BodyMap::Whole(response.start..response.start + 1),
        ));
    };
    let Some(string) = text.as_str() else {
        return Err("response.content.text is not a string".to_string());
    };
    let (decoded, map) = string.decode_mapped();
    let body = if base64 {
        let start = text.span().start;
        match decode_base64(decoded.as_bytes()) {
            Ok(body) => (Cow::Owned(body), BodyMap::Whole(start..start + 1)),
            Err(_) => {
                // The crate's wording ("Invalid symbol 42, offset 8.") counts offsets in the
                // decoded string; the position in the file says more.
                let pos = source.pos(text.span().start);
                return Err(format!(
                    "response.content.text is marked base64 but is not valid base64 (line {}, column {})",
                    pos.line, pos.column
                ));
            }
        }
    } else {
        let bytes = match decoded {
            Cow::Borrowed(text) => Cow::Borrowed(text.as_bytes()),
            Cow::Owned(text) => Cow::Owned(text.into_bytes()),
        };
        (bytes, BodyMap::Text(map))
    };
    if body.0.len() > MAX_RESPONSE {
        return Err(format!(
            "the response is larger than the limit of {} MiB",
            MAX_RESPONSE >> 20
        ));
    }
    Ok(body)
}

/// `properties.errorCode` of a response body, when it is a JSON object that has one.
fn error_code(content: Option<&Content<'_, '_>>, source: &Source<'_>) -> Option<String> {
    let (body, _) = response_body(content, 0..0, source).ok()?;
    let document = json::parse(&body).ok()?;
    let properties = document.get("properties")?;
    let code = json::find(document.children(properties), "errorCode")?;
    code.value.as_str().map(str::to_owned)
}

/// Where a target of an entry's findings is: in the entry, or (a related label) at a first
/// use in an earlier entry.
struct Places<'p> {
    source: &'p Source<'p>,
    placed: Placed,
    firsts: &'p HashMap<usize, Place<'static>>,
}

impl<'p> Places<'p> {
    fn capture(&self, span: &Range<usize>) -> Place<'p> {
        if let Some(span) = self.placed.within(span) {
            return self.source.resolve(span);
        }
        match self.firsts.get(&span.start) {
            Some(place) => place.clone(),
            // Not reached: a finding points before its entry only at a first use, which was
            // remembered when it was read. Should one be missing, the entry's start stands in.
            None => self.source.resolve(0..0),
        }
    }
}

fn entry(
    tree: &Tree<'_>,
    source: &Source<'_>,
    placed: Placed,
    session: &mut Session,
    context: &Context<'_>,
    emit: &mut Emit<'_>,
) -> Result<(), ReadError> {
    let index = placed.index;
    let entry = Entry::read(tree.root()).map_err(|shape| {
        let pos = source.pos(shape.span.start);
        ReadError::Input(format!(
            "entry {index} is not a valid HAR entry: {} (line {}, column {})",
            shape.message, pos.line, pos.column
        ))
    })?;
    let problem = |reason: String| Event::Problem {
        name: format!("{}#entry-{index}", context.name),
        reason,
    };
    let status = match entry.status() {
        Ok(status) => status,
        Err(what) => {
            let pos = source.pos(entry.status.span().start);
            let reason = format!(
                "response.status {what} (line {}, column {})",
                pos.line, pos.column
            );
            return emit(problem(reason)).map_err(ReadError::Output);
        }
    };
    let found = session.observe(&entry, status, placed, source);
    let places = Places {
        source,
        placed,
        firsts: &session.firsts,
    };
    if status < 400 {
        // The envelope rules apply only to failures; the idempotency rules to every entry.
        let event = findings_only(found, &places, context).unwrap_or(Event::Skipped(1));
        return emit(event).map_err(ReadError::Output);
    }
    match response_body(entry.content.as_ref(), entry.response.span(), source) {
        Ok((body, map)) => {
            let event = respond(&entry, status, &body, &map, found, &places, context);
            emit(event).map_err(ReadError::Output)
        }
        Err(reason) => {
            // The body cannot be checked, but what the request did wrong still stands.
            if let Some(event) = findings_only(found, &places, context) {
                emit(event).map_err(ReadError::Output)?;
            }
            emit(problem(reason)).map_err(ReadError::Output)
        }
    }
}

impl Session {
    /// The idempotency findings about `entry`, when its request is keyed.
    fn observe(
        &mut self,
        entry: &Entry<'_, '_>,
        status: i64,
        placed: Placed,
        source: &Source<'_>,
    ) -> Vec<Violation> {
        let mut found = Vec::new();
        let Some(keyed) = entry
            .request
            .and_then(|request| keyed_request(request, placed.start.offset))
        else {
            return found;
        };
        let request = KeyedRequest {
            index: placed.index,
            method: &keyed.method,
            url: &keyed.url,
            key: &keyed.key,
            span: keyed.span.clone(),
            body: keyed.body,
            status,
        };
        let error_code = || error_code(entry.content.as_ref(), source);
        let first = self.tracker.observe(&request, error_code, &mut found);
        if first && let Some(span) = placed.within(&keyed.span) {
            let place = source.resolve_within(span, REMEMBERED_CONTEXT).keep();
            self.firsts.insert(keyed.span.start, place);
        }
        found
    }
}

/// The entry with the idempotency findings alone, when one survives the policy.
fn findings_only(
    found: Vec<Violation>,
    places: &Places<'_>,
    context: &Context<'_>,
) -> Option<Event> {
    if found.is_empty() {
        return None;
    }
    let locate = |target: &Target| match target {
        Target::Capture(span) => places.capture(span),
        _ => places.source.resolve(0..0),
    };
    context.stage.findings_event(
        &context.name,
        Checked {
            locator: Locator::Entry(places.placed.index),
            body: None,
            found,
            locate: &locate,
        },
    )
}

/// The entry's response through every rule.
fn respond(
    entry: &Entry<'_, '_>,
    status: i64,
    body: &[u8],
    map: &BodyMap,
    found: Vec<Violation>,
    places: &Places<'_>,
    context: &Context<'_>,
) -> Event {
    let content_type = entry.content_type();
    let response = entry.response.span();
    let transport = Transport {
        // At least 400 and at most 999 here.
        status: u16::try_from(status).ok(),
        content_type: Some(content_type.as_ref().map(|(value, _)| value.to_string())),
    };
    let locate = |target: &Target| {
        let span = match target {
            Target::Body(span) => match map {
                BodyMap::Text(map) => map.raw_span(span.clone()),
                BodyMap::Whole(span) => span.clone(),
            },
            Target::CapturedStatus => entry.status.span(),
            Target::CapturedContentType => match &content_type {
                Some((_, span)) => span.clone(),
                None => response.start..response.start + 1,
            },
            Target::Capture(span) => return places.capture(span),
        };
        places.source.resolve(span)
    };
    context.respond(Checked {
        locator: Locator::Entry(places.placed.index),
        body: Some((body, &transport)),
        found,
        locate: &locate,
    })
}
