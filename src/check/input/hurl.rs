//! Hurl JSON reports (`hurl --test --report-json DIR`): `DIR/report.json`, an array with one
//! element per `.hurl` file run, each with `entries[]`, one per request of the file. Each
//! entry is named `report.json#entry-N (file.hurl:LINE)` (N counts entries from 1 across the
//! report's files; `file.hurl:LINE` is the file's `filename` and the entry's `line`, where its
//! request is written). An entry whose response status is 400 or more is checked; the others
//! are counted as skipped, and so is one without calls (the request failed).
//!
//! What the reader takes from an entry (as Hurl 8 writes it; see
//! `tests/fixtures/captures/FORMATS.md`):
//! - the response of its last call (`calls[]` holds one per redirect followed): `status`,
//!   `headers` (`{name, value}`) and `body`, the path of the body file relative to the
//!   report's folder (`store/<uuid>_response.json`). The file holds the body as it came over
//!   the wire, so a `Content-Encoding` is undone ([`super::encoding`]); the path never leaves
//!   the report's folder ([`super::attach`]). A finding in the body points at that path;
//! - for the idempotency rules, the first call's request (`method`, `url`, `headers`) and the
//!   body of `curl_cmd`'s `--data` ([`curl`]): the report records the body nowhere else. A
//!   body the command does not hold (a file, a multipart form) is not guessed: that request
//!   is not compared, and a warning says so.
//!
//! Each element of the top-level array (the report of one file, without its bodies) is read
//! whole through the rolling [`buffer`](super::buffer); the bodies are read only for the
//! entries that are checked.

mod curl;

use super::attach::Attachments;
use super::buffer::{self, Format, Input, Start, What};
use super::exchange::{self, Body, BodyMap, Exchange, Item, Keyed, Request, Session};
use super::shape::{self, Node, Shape, headers, member, of_kind, required, string};
use super::{Context, Emit, ReadError, encoding};
use crate::check::diagnostic::StepKind;
use crate::check::idempotency::Fingerprint;
use crate::check::position::Source;
use crate::check::{Event, MAX_RESPONSE};
use crate::contract::json::{self, Kind, Scratch, Tree};
use std::borrow::Cow;
use std::io::Read;

/// Largest report of one file kept in memory (it holds no bodies).
const MAX_FILE: usize = 4 * MAX_RESPONSE;

const HURL: Format = Format {
    name: "Hurl report",
    item: "file",
    full_item: "Hurl file report",
    structure: "a member of the Hurl report",
};

pub fn read(
    reader: impl Read,
    context: &Context<'_>,
    emit: &mut Emit<'_>,
) -> Result<(), ReadError> {
    let attachments = Attachments::beside(context.path);
    let mut input = Input::new(reader, MAX_FILE, HURL);
    let mut scratch = Scratch::default();
    let mut session = Session::new("entry");
    input.skip_bom()?;
    input.expect(b'[', "the report is not a JSON array")?;
    if input.empty_array()? {
        return Ok(());
    }
    let mut file = 0;
    let mut index = 0;
    loop {
        file += 1;
        let done = input.value(
            What::Item(file),
            &mut scratch,
            |text, more, scratch, start| {
                let (tree, end) = json::tree_prefix(text, more, scratch)?;
                let source = buffer::source(tree.root().raw(), start);
                let mut entries = Entries {
                    source: &source,
                    start,
                    index: &mut index,
                    attachments: &attachments,
                    session: &mut session,
                };
                let done = entries.file(&tree, file, context, emit);
                Ok((done, end))
            },
        )?;
        done?;
        if input.separator(b']')? {
            return Ok(());
        }
    }
}

/// What reading the entries of one file needs.
struct Entries<'e, 's, 'a> {
    source: &'e Source<'s>,
    start: Start,
    /// The entries read so far, across files.
    index: &'e mut usize,
    attachments: &'e Attachments<'a>,
    session: &'e mut Session,
}

impl Entries<'_, '_, '_> {
    fn file(
        &mut self,
        tree: &Tree<'_>,
        file: usize,
        context: &Context<'_>,
        emit: &mut Emit<'_>,
    ) -> Result<(), ReadError> {
        let broken = |shape: Shape| {
            let pos = self.source.pos(shape.span.start);
            ReadError::Input(format!(
                "file {file} is not a valid Hurl file report: {} (line {}, column {})",
                shape.message, pos.line, pos.column
            ))
        };
        let root = of_kind(tree.root(), Kind::Object, "file").map_err(broken)?;
        let filename = string(root, "filename", "filename").map_err(broken)?;
        let entries = required(root, "entries", "entries").map_err(broken)?;
        let entries = of_kind(entries, Kind::Array, "entries").map_err(broken)?;
        for node in entries.children() {
            *self.index += 1;
            let index = *self.index;
            let line = node
                .get("line")
                .and_then(|line| line.as_number())
                .map(str::to_owned);
            let name = match (&filename, line) {
                (Some(file), Some(line)) => format!("{file}:{line}"),
                (None, Some(line)) => format!("line {line}"),
                (Some(file), None) => file.to_string(),
                (None, None) => String::new(),
            };
            let item = Item::step(self.source, self.start, index, StepKind::Entry, &name);
            self.entry(node, &item, context, emit)?;
        }
        Ok(())
    }

    fn entry(
        &mut self,
        node: Node<'_, '_>,
        item: &Item<'_>,
        context: &Context<'_>,
        emit: &mut Emit<'_>,
    ) -> Result<(), ReadError> {
        let entry =
            Entry::read(node).map_err(|shape| item.misshapen(("entry", "Hurl entry"), &shape))?;
        let Some(last) = &entry.last else {
            // No call: the request failed before a response; nothing to judge.
            return emit(Event::Skipped(1)).map_err(ReadError::Output);
        };
        let status = match shape::status(last.status) {
            Ok(status) => status,
            Err(what) => {
                let field = format!("calls[{}].response.status", last.call);
                return item.bad_status(&field, what, last.status.span(), context, emit);
            }
        };
        let exchange = Exchange {
            status,
            status_span: last.status.span(),
            content_type: shape::find_header(&last.headers, "content-type")
                .and_then(|value| Some((value.as_str()?.decode(), value.span()))),
            response_span: last.response.span(),
            request: entry.request(),
        };
        let attachments = self.attachments;
        let body = || body(last, attachments);
        exchange::check(item, &exchange, body, self.session, context, emit)
    }
}

/// What one entry says, as far as `cyoda check` looks at it.
struct Entry<'t, 'a> {
    /// The last call's response; `None` when the entry has no call.
    last: Option<Response<'t, 'a>>,
    /// The first call's request.
    request: Option<Node<'t, 'a>>,
    curl_cmd: Option<Cow<'a, str>>,
}

/// One call's response.
struct Response<'t, 'a> {
    /// Its index in `calls`.
    call: usize,
    response: Node<'t, 'a>,
    status: Node<'t, 'a>,
    headers: Vec<shape::Header<'t, 'a>>,
    body: Option<Node<'t, 'a>>,
}

impl<'t, 'a> Entry<'t, 'a> {
    fn read(node: Node<'t, 'a>) -> Result<Self, Shape> {
        let entry = of_kind(node, Kind::Object, "entry")?;
        let calls = required(entry, "calls", "calls")?;
        let calls = of_kind(calls, Kind::Array, "calls")?;
        let count = calls.children().count();
        let first = calls.children().next();
        let last = match calls.children().last() {
            None => None,
            Some(call) => {
                let at = format!("calls[{}]", count - 1);
                let call = of_kind(call, Kind::Object, &at)?;
                let response = required(call, "response", &format!("{at}.response"))?;
                let path = format!("{at}.response");
                let response = of_kind(response, Kind::Object, &path)?;
                Some(Response {
                    call: count - 1,
                    response,
                    status: required(response, "status", &format!("{path}.status"))?,
                    headers: headers(response, "headers", "name", &path)?,
                    body: member(response, "body")?,
                })
            }
        };
        let request = match first {
            Some(call) if call.kind() == Kind::Object => member(call, "request")?,
            _ => None,
        };
        Ok(Entry {
            last,
            request,
            curl_cmd: string(entry, "curl_cmd", "curl_cmd")?,
        })
    }

    /// What the idempotency rules get of the first call's request: keyed when it carries an
    /// `Idempotency-Key`; its body from `curl_cmd`. A request whose headers do not fit has no
    /// key to read; one whose other members do not fit is skipped with a warning.
    fn request(&self) -> Request<'a> {
        let Some(request) = self
            .request
            .filter(|request| request.kind() == Kind::Object)
        else {
            return Request::Plain;
        };
        let key = headers(request, "headers", "name", "calls[0].request")
            .ok()
            .and_then(|headers| shape::idempotency_key(&headers));
        let Some((key, span)) = key else {
            return Request::Plain;
        };
        let read = || -> Result<Request<'a>, Shape> {
            let Some(command) = &self.curl_cmd else {
                return Ok(Request::Unknown(unknown("the entry has no `curl_cmd`")));
            };
            let body = match curl::body(command) {
                Ok(body) => body,
                Err(curl::Unknown(why)) => return Ok(Request::Unknown(unknown(why))),
            };
            Ok(Request::Keyed(Keyed {
                method: string(request, "method", "calls[0].request.method")?.unwrap_or_default(),
                url: string(request, "url", "calls[0].request.url")?.unwrap_or_default(),
                key,
                span,
                body: Fingerprint::of(&body),
            }))
        };
        read().unwrap_or_else(|shape| Request::misshapen(&shape))
    }
}

fn unknown(why: &str) -> String {
    format!(
        "the request carries an Idempotency-Key, but a Hurl report records its body only in \
         `curl_cmd`, and there {why}; the idempotency rules skip it"
    )
}

/// The body of `response`: the file it names, decoded per its `Content-Encoding`.
fn body<'a>(
    response: &Response<'_, 'a>,
    attachments: &Attachments<'_>,
) -> Result<Body<'a>, String> {
    let what = format!("calls[{}].response.body", response.call);
    let Some(node) = response.body else {
        return Ok(Body::NotCaptured {
            span: response.response.span(),
            what: format!("`{what}` is absent: the report was written without its store"),
        });
    };
    let Some(name) = node.as_str() else {
        return Err(format!(
            "{what} is {}, expected a string",
            node.kind().describe()
        ));
    };
    let name = name.decode();
    let bytes = attachments.read(&what, &name)?;
    let bytes = match shape::find_header(&response.headers, "content-encoding")
        .and_then(|value| value.as_str())
    {
        Some(codings) => encoding::decode(bytes, &codings.decode())
            .map_err(|why| format!("{what} {} {why}", crate::contract::text::quote(&name)))?,
        None => bytes,
    };
    Ok(Body::Captured(
        Cow::Owned(bytes),
        BodyMap::Whole(node.span()),
    ))
}
