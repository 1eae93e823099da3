//! HAR captures: `log.entries[]`, each entry with `response.status >= 400` is one response,
//! named `file#entry-N` (N counts every entry from 1); the others are counted as skipped.
//! Every entry whose request carries an `Idempotency-Key`, whatever its status, also goes
//! through the idempotency rules ([`crate::check::idempotency`]); an entry below 400 that they
//! report on becomes a response with only those findings.
//!
//! What an entry must hold: `response` (an object) with `status`; `response.headers` (an array
//! of `{name, value}`), `response.content` (`text`, `encoding`, `mimeType`, `_file`, `size`) and
//! `request` are optional, and a `null` counts as absent. Members the checker does not read are
//! not looked at (the `_`-prefixed extensions tools add, `timings`, `cache`, …), but a member
//! it reads must not repeat. The request is read leniently: one that does not fit is simply
//! not keyed.
//!
//! Where the body is, in the order looked at:
//! - `content._file` (Playwright's `content: 'attach'`): a file beside the HAR, or a member of
//!   its `.har.zip` ([`super::attach`], [`super::archive`]); findings in it point at the name;
//! - `content.text`, base64-decoded when `content.encoding` says so (a base64 body points at
//!   the start of its `text` value);
//! - neither: a `content.size` of 0 is the empty body it says; otherwise the capture holds no
//!   body (Playwright's `content: 'omit'`), which is `body-not-captured`, never a pass.
//!
//! The request body the idempotency rules compare is `postData._file`, else `postData.text`
//! (base64 when marked so), else `postData.params`. An empty `text` for a request whose
//! `bodySize` is larger (`omit` again) is no body at all: that request is not compared, and a
//! warning says so.
//!
//! Hot path: a HAR can be far larger than memory allows, so it is never parsed whole. The
//! [`buffer`](super::buffer) holds one entry at a time; each entry is read by the JSON reader
//! into a [`json::Tree`] of the entry alone, whose spans are offsets into the entry, and the
//! buffer knows the line and column where the entry starts, so a span becomes a position in
//! the file. A violation inside the body is mapped from the decoded body back through the JSON
//! string's escapes ([`json::OffsetMap`]) to the raw bytes of `text`. Entries are checked in
//! order on one thread: reading is the cost, and it is sequential.

use super::attach::Attachments;
use super::buffer::{self, Format, Input, What};
use super::exchange::{self, Body, BodyMap, Exchange, Item, Keyed, Request, Session};
use super::shape::{self, Node, Shape, headers, member, of_kind, required, string};
use super::{Context, Emit, ReadError};
use crate::check::MAX_RESPONSE;
use crate::check::diagnostic::Locator;
use crate::check::idempotency::Fingerprint;
use crate::contract::json::{self, Kind, Scratch, Tree};
use base64::Engine;
use std::borrow::Cow;
use std::io::Read;
use std::ops::Range;

/// Largest raw entry kept in memory: a body at the size limit, base64- or escape-inflated.
const MAX_ENTRY: usize = 4 * MAX_RESPONSE;

const HAR: Format = Format {
    name: "HAR",
    item: "entry",
    full_item: "HAR entry",
    structure: "a member of `log`",
};

/// Reads a HAR file, whose `_file` bodies are beside it.
pub fn read(
    reader: impl Read,
    context: &Context<'_>,
    emit: &mut Emit<'_>,
) -> Result<(), ReadError> {
    let attachments = Attachments::beside(context.path);
    read_with(reader, context, emit, &attachments)
}

/// Reads a HAR whose `_file` bodies are in `attachments`.
pub(super) fn read_with(
    reader: impl Read,
    context: &Context<'_>,
    emit: &mut Emit<'_>,
    attachments: &Attachments<'_>,
) -> Result<(), ReadError> {
    let mut input = Input::new(reader, MAX_ENTRY, HAR);
    let mut scratch = Scratch::default();
    let mut session = Session::new("entry");
    input.skip_bom()?;
    input.expect(b'{', "the HAR is not a JSON object")?;
    if input.name(&mut scratch)? != "log" {
        return Err(input.broken("the first member is not `log`"));
    }
    input.expect(b'{', "`log` is not an object")?;
    if !input.seek_member("entries", &mut scratch)? {
        return Err(ReadError::Input(
            "not a HAR: `log` has no `entries` array".into(),
        ));
    }
    input.expect(b'[', "`log.entries` is not an array")?;
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
                let (tree, end) = json::tree_prefix(text, more, scratch)?;
                // The value starts the text (the buffer skipped the whitespace before it).
                let source = buffer::source(tree.root().raw(), start);
                let item = Item {
                    source: &source,
                    start,
                    index,
                    locator: Locator::Entry(index),
                };
                let done = entry(&tree, &item, attachments, &mut session, context, emit);
                Ok((done, end))
            },
        )?;
        done?;
        if input.separator(b']')? {
            return Ok(());
        }
    }
}

/// `response.content`.
struct Content<'t, 'a> {
    node: Node<'t, 'a>,
    mime_type: Option<Node<'t, 'a>>,
    text: Option<Node<'t, 'a>>,
    file: Option<Node<'t, 'a>>,
    size: Option<Node<'t, 'a>>,
    base64: bool,
}

impl<'t, 'a> Content<'t, 'a> {
    fn read(node: Node<'t, 'a>) -> Result<Self, Shape> {
        let content = of_kind(node, Kind::Object, "response.content")?;
        let encoding = string(content, "encoding", "response.content.encoding")?;
        Ok(Content {
            node: content,
            mime_type: member(content, "mimeType")?,
            text: member(content, "text")?,
            file: member(content, "_file")?,
            size: member(content, "size")?,
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
    headers: Vec<shape::Header<'t, 'a>>,
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
            headers: headers(response, "headers", "name", "response")?,
            content: member(response, "content")?
                .map(Content::read)
                .transpose()?,
            request: member(entry, "request")?,
        })
    }

    /// The captured `Content-Type`: the first header of that name (any case), else
    /// `content.mimeType`; `None` when that is not a string.
    fn content_type(&self) -> Option<(Cow<'a, str>, Range<usize>)> {
        let header = shape::find_header(&self.headers, "content-type");
        let node = header.or_else(|| self.content.as_ref().and_then(|c| c.mime_type))?;
        node.as_str().map(|value| (value.decode(), node.span()))
    }
}

/// What the idempotency rules get of `request`: keyed when it is an object that carries a
/// non-empty `Idempotency-Key` (any case; the first one counts). See the module docs for the
/// body; no `postData`, or one that does not fit, is an empty body. A request whose headers do
/// not fit has no key to read; one whose method, URL or body size does not fit is skipped with
/// a warning.
fn request<'a>(request: Node<'_, 'a>, attachments: &Attachments<'_>) -> Request<'a> {
    let Ok(request) = of_kind(request, Kind::Object, "request") else {
        return Request::Plain;
    };
    let key = headers(request, "headers", "name", "request")
        .ok()
        .and_then(|headers| shape::idempotency_key(&headers));
    let Some((key, span)) = key else {
        return Request::Plain;
    };
    let read = || -> Result<_, Shape> {
        let method = string(request, "method", "request.method")?;
        let url = string(request, "url", "request.url")?;
        let post = member(request, "postData")?;
        let size =
            member(request, "bodySize")?.and_then(|size| size.as_number()?.parse::<i64>().ok());
        Ok((method, url, post, size))
    };
    let (method, url, post, size) = match read() {
        Ok(read) => read,
        Err(shape) => return Request::misshapen(&shape),
    };
    let body = match post.map(|post| post_body(post, attachments)) {
        None => Vec::new(),
        Some(Ok(PostBody::Bytes(body))) => body,
        Some(Ok(PostBody::Empty)) => match size {
            Some(size) if size > 0 => {
                return Request::Unknown(format!(
                    "the request carries an Idempotency-Key, but its body was not captured \
                     (`postData.text` is empty, `bodySize` is {size}), so the idempotency rules \
                     skip it"
                ));
            }
            _ => Vec::new(),
        },
        Some(Err(reason)) => return Request::Unreadable(reason),
    };
    Request::Keyed(Keyed {
        // A request that records no method or URL is grouped with the others that do not.
        method: method.unwrap_or_default(),
        url: url.unwrap_or_default(),
        key,
        span,
        body: Fingerprint::of(&body),
    })
}

/// The body of `postData`.
enum PostBody {
    Bytes(Vec<u8>),
    /// An empty `text` (no `_file`).
    Empty,
}

/// The body of `postData`; empty when it does not fit, an error when its `_file` cannot be
/// read.
fn post_body(post: Node<'_, '_>, attachments: &Attachments<'_>) -> Result<PostBody, String> {
    let read = || -> Result<Result<PostBody, String>, Shape> {
        let post = of_kind(post, Kind::Object, "postData")?;
        if let Some(file) = string(post, "_file", "request.postData._file")? {
            return Ok(attachments
                .read("request.postData._file", &file)
                .map(PostBody::Bytes));
        }
        let encoding = string(post, "encoding", "postData.encoding")?;
        let text = member(post, "text")?.and_then(|text| text.as_str());
        let text = match (text, member(post, "params")?) {
            (Some(text), _) if text.raw().is_empty() => return Ok(Ok(PostBody::Empty)),
            (Some(text), _) => text.decode().into_owned().into_bytes(),
            // Form fields, which some tools record instead of `text`: compared as JSON.
            (None, Some(params)) => params.raw().as_bytes().to_vec(),
            (None, None) => Vec::new(),
        };
        Ok(Ok(PostBody::Bytes(if is_base64(encoding.as_deref()) {
            // An undecodable body is compared as written.
            decode_base64(&text).unwrap_or(text)
        } else {
            text
        })))
    };
    // A `postData` that does not fit says nothing of the body: it is compared as empty.
    read().unwrap_or(Ok(PostBody::Bytes(Vec::new())))
}

fn decode_base64(text: &[u8]) -> Result<Vec<u8>, base64::DecodeError> {
    let compact: Vec<u8> = text
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    base64::engine::general_purpose::STANDARD.decode(&compact)
}

/// The response body of `entry` (see the module docs), and how its offsets map to the entry;
/// an error says why it cannot be checked.
fn response_body<'a>(
    entry: &Entry<'_, 'a>,
    item: &Item<'_>,
    attachments: &Attachments<'_>,
) -> Result<Body<'a>, String> {
    let response = entry.response.span();
    let empty = || {
        Body::Captured(
            Cow::Borrowed(&[]),
            BodyMap::Whole(response.start..response.start + 1),
        )
    };
    let Some(content) = &entry.content else {
        return Ok(Body::NotCaptured {
            span: response.clone(),
            what: "the HAR entry's response has no `content`".into(),
        });
    };
    if let Some(file) = content.file {
        let Some(name) = file.as_str() else {
            return Err(format!(
                "response.content._file is not a string {}",
                item.at(file.span())
            ));
        };
        let bytes = attachments.read("response.content._file", &name.decode())?;
        return Ok(Body::Captured(
            Cow::Owned(bytes),
            BodyMap::Whole(file.span()),
        ));
    }
    let Some(text) = content.text else {
        let size = content.size.and_then(|size| size.as_number());
        return Ok(match size {
            Some("0") => empty(),
            _ => Body::NotCaptured {
                span: content.node.span(),
                what: "`response.content` has no `text` and no `_file`".into(),
            },
        });
    };
    let Some(string) = text.as_str() else {
        return Err("response.content.text is not a string".to_string());
    };
    let (decoded, map) = string.decode_mapped();
    let body = if content.base64 {
        let start = text.span().start;
        match decode_base64(decoded.as_bytes()) {
            Ok(body) => Body::Captured(Cow::Owned(body), BodyMap::Whole(start..start + 1)),
            Err(_) => {
                // The crate's wording ("Invalid symbol 42, offset 8.") counts offsets in the
                // decoded string; the position in the file says more.
                return Err(format!(
                    "response.content.text is marked base64 but is not valid base64 {}",
                    item.at(text.span())
                ));
            }
        }
    } else {
        let bytes = match decoded {
            Cow::Borrowed(text) => Cow::Borrowed(text.as_bytes()),
            Cow::Owned(text) => Cow::Owned(text.into_bytes()),
        };
        Body::Captured(bytes, BodyMap::Text(map))
    };
    if let Body::Captured(bytes, _) = &body
        && bytes.len() > MAX_RESPONSE
    {
        return Err(format!(
            "the response is larger than the limit of {} MiB",
            MAX_RESPONSE >> 20
        ));
    }
    Ok(body)
}

fn entry(
    tree: &Tree<'_>,
    item: &Item<'_>,
    attachments: &Attachments<'_>,
    session: &mut Session,
    context: &Context<'_>,
    emit: &mut Emit<'_>,
) -> Result<(), ReadError> {
    let entry = Entry::read(tree.root())
        .map_err(|shape| item.misshapen((HAR.item, HAR.full_item), &shape))?;
    let status = match shape::status(entry.status) {
        Ok(status) => status,
        Err(what) => {
            let span = entry.status.span();
            return item.bad_status("response.status", what, span, context, emit);
        }
    };
    let exchange = Exchange {
        status,
        status_span: entry.status.span(),
        content_type: entry.content_type(),
        response_span: entry.response.span(),
        request: entry
            .request
            .map_or(Request::Plain, |node| request(node, attachments)),
    };
    let body = || response_body(&entry, item, attachments);
    exchange::check(item, &exchange, body, session, context, emit)
}
