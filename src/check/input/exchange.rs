//! What the capture readers (HAR, Newman, Bruno, Hurl) share once they have cut one exchange —
//! a request and its response — out of their input: the idempotency rules across exchanges,
//! the envelope rules on every response with status 400 or more (the others are counted as
//! skipped), and where each finding points in the input.
//!
//! A reader describes the exchange ([`Exchange`]) with spans that are offsets into the text of
//! its item ([`Item`]: a HAR entry, a Newman execution, …), and hands over a closure that reads
//! the response body: it runs only when the body is needed (an error status, or a 409 whose
//! `errorCode` the idempotency rules ask for), and at most once, so a body stored in a file
//! beside the capture is read only for the responses that are checked.

use super::buffer::Start;
use super::shape::Shape;
use super::{Context, Emit, ReadError};
use crate::check::Event;
use crate::check::checker::Response as Checked;
use crate::check::diagnostic::{Locator, Step, StepKind};
use crate::check::idempotency::{Fingerprint, KeyedRequest, Tracker};
use crate::check::position::{Place, Source};
use crate::contract::json::{self, OffsetMap};
use crate::contract::rules::{self, Target, Transport, Violation};
use crate::contract::text::escape_for_display;
use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

/// Bytes of context each side of a remembered first use's snippet: enough for the header
/// value of a pretty-printed capture, small enough to keep one per key.
const REMEMBERED_CONTEXT: usize = 64;

/// One item of a capture, as it sits in the input.
pub(super) struct Item<'s> {
    /// The text the item's spans index, with its position in the input.
    pub source: &'s Source<'s>,
    /// Where that text starts in the input.
    pub start: Start,
    /// 1-based: the N of `#entry-N`, and what the idempotency messages count.
    pub index: usize,
    pub locator: Locator,
}

impl<'s> Item<'s> {
    /// Step `index` of a test tool's report, under the name the tool gave it (`bad-title`),
    /// escaped for display: it comes from the report.
    pub fn step(
        source: &'s Source<'s>,
        start: Start,
        index: usize,
        kind: StepKind,
        name: &str,
    ) -> Self {
        Item {
            source,
            start,
            index,
            locator: Locator::Step(Step {
                kind,
                index,
                name: Arc::from(escape_for_display(name).as_ref()),
            }),
        }
    }

    /// The item does not have the shape its format gives it, in the format's words for it
    /// (`Format::item`, `Format::full_item`, as the input buffer's own messages say it):
    /// `execution 3 is not a valid Newman execution: <why> (line 9, column 5)`.
    pub fn misshapen(&self, (item, full_item): (&str, &str), shape: &Shape) -> ReadError {
        ReadError::Input(format!(
            "{item} {} is not a valid {full_item}: {} {}",
            self.index,
            shape.message,
            self.at(shape.span.clone())
        ))
    }

    /// The item's status member (`field`, at `span`) is not an HTTP status: a problem of this
    /// item alone, reported under its name, and the reader goes on with the next one.
    pub fn bad_status(
        &self,
        field: &str,
        what: &str,
        span: Range<usize>,
        context: &Context<'_>,
        emit: &mut Emit<'_>,
    ) -> Result<(), ReadError> {
        let reason = format!("{field} {what} {}", self.at(span));
        emit(Event::Problem {
            name: self.name(context),
            reason,
        })
        .map_err(ReadError::Output)
    }

    /// The name problems about the item are reported under: `report.json#execution-3 (x)`.
    pub fn name(&self, context: &Context<'_>) -> String {
        format!("{}{}", context.name, self.locator)
    }

    /// `(line 3, column 5)`: where `span` of the item is in the input, for a message.
    pub fn at(&self, span: Range<usize>) -> String {
        let pos = self.source.pos(span.start);
        format!("(line {}, column {})", pos.line, pos.column)
    }

    /// `span` of the item as a byte range of the input.
    pub fn absolute(&self, span: &Range<usize>) -> Range<usize> {
        let offset = self.start.offset;
        offset + span.start..offset + span.end
    }

    /// `span`, a byte range of the input, as a range of the item; `None` when it lies before.
    fn within(&self, span: &Range<usize>) -> Option<Range<usize>> {
        let offset = self.start.offset;
        (span.start >= offset).then(|| span.start - offset..span.end.saturating_sub(offset))
    }
}

/// What a reader found in one item. Spans are offsets into the item's text.
pub(super) struct Exchange<'a> {
    /// The response's status; 0 when the request got no response (never judged).
    pub status: i64,
    /// The status value, or where the response is when it has none.
    pub status_span: Range<usize>,
    /// The captured `Content-Type` and its value's span; `None` when the capture has headers
    /// but no `Content-Type` (or one that is not a string).
    pub content_type: Option<(Cow<'a, str>, Range<usize>)>,
    /// The response as a whole: where a missing `Content-Type` points.
    pub response_span: Range<usize>,
    pub request: Request<'a>,
}

/// What the idempotency rules get of an item's request.
pub(super) enum Request<'a> {
    /// No `Idempotency-Key`: nothing.
    Plain,
    Keyed(Keyed<'a>),
    /// Keyed, but the capture does not hold its body: the rules cannot compare it, and say so
    /// in a warning rather than judge an unknown body.
    Unknown(String),
    /// Keyed, and its body cannot be read (a file that is missing or outside the capture's
    /// folder): the item is reported as unreadable.
    Unreadable(String),
}

impl Request<'_> {
    /// A request whose `Idempotency-Key` was read, but not the rest the rules compare (a
    /// member repeated or of the wrong type): skipped with a warning, never judged.
    pub fn misshapen(shape: &super::shape::Shape) -> Self {
        Request::Unknown(format!(
            "the request carries an Idempotency-Key, but the capture's record of it does not fit \
             ({}), so the idempotency rules skip it",
            shape.message
        ))
    }
}

/// A request that carries an `Idempotency-Key`.
pub(super) struct Keyed<'a> {
    pub method: Cow<'a, str>,
    pub url: Cow<'a, str>,
    pub key: String,
    /// The header value.
    pub span: Range<usize>,
    pub body: Fingerprint,
}

/// A response body as a capture holds it.
pub(super) enum Body<'a> {
    /// The bytes, and how offsets into them map to the item.
    Captured(Cow<'a, [u8]>, BodyMap),
    /// The capture holds none: `body-not-captured` at `span`, saying `what` is missing.
    NotCaptured { span: Range<usize>, what: String },
}

/// How offsets into a body map to its item.
pub(super) enum BodyMap {
    /// A JSON string of the item: through its escapes.
    Text(OffsetMap),
    /// JSON text of the item starting at this offset (Bruno's parsed bodies).
    Shifted(usize),
    /// A body not written as text in the item (base64, a byte array, a file): everything
    /// points at this span.
    Whole(Range<usize>),
}

impl BodyMap {
    fn span(&self, span: &Range<usize>) -> Range<usize> {
        match self {
            BodyMap::Text(map) => map.raw_span(span.clone()),
            BodyMap::Shifted(offset) => offset + span.start..offset + span.end,
            BodyMap::Whole(span) => span.clone(),
        }
    }
}

/// What outlives an item: the idempotency rules' state, and where each group's first use is,
/// for the findings that point back at it.
pub(super) struct Session {
    tracker: Tracker,
    /// By byte offset in the input of the header value: its position and snippet.
    firsts: HashMap<usize, Place<'static>>,
}

impl Session {
    /// A session whose messages call an item `noun` ("first used at execution 3").
    pub fn new(noun: &'static str) -> Self {
        Session {
            tracker: Tracker::new(noun),
            firsts: HashMap::new(),
        }
    }
}

/// Checks one exchange: the idempotency rules when its request is keyed, then the envelope
/// rules when its status is 400 or more (the body is read then, with `body`).
pub(super) fn check<'a>(
    item: &Item<'_>,
    exchange: &Exchange<'a>,
    body: impl Fn() -> Result<Body<'a>, String>,
    session: &mut Session,
    context: &Context<'_>,
    emit: &mut Emit<'_>,
) -> Result<(), ReadError> {
    let problem = |reason: String| Event::Problem {
        name: item.name(context),
        reason,
    };
    // Read once, when first needed.
    let read = OnceCell::new();
    let body = || read.get_or_init(&body);
    let mut found = Vec::new();
    match &exchange.request {
        Request::Plain => {}
        Request::Keyed(keyed) => {
            let error_code = || match body() {
                Ok(Body::Captured(bytes, _)) => error_code(bytes),
                _ => None,
            };
            found = session.observe(item, keyed, exchange.status, error_code);
        }
        Request::Unknown(why) => emit(Event::Note {
            name: item.name(context),
            note: why.clone(),
        })
        .map_err(ReadError::Output)?,
        Request::Unreadable(why) => emit(problem(why.clone())).map_err(ReadError::Output)?,
    }
    let places = Places {
        item,
        firsts: &session.firsts,
    };
    if exchange.status < 400 {
        // The envelope rules apply only to failures; the idempotency rules to every request.
        let event = findings_only(found, &places, context).unwrap_or(Event::Skipped(1));
        return emit(event).map_err(ReadError::Output);
    }
    match body() {
        Ok(body) => {
            let event = respond(exchange, body, found, &places, context);
            emit(event).map_err(ReadError::Output)
        }
        Err(reason) => {
            // The body cannot be checked, but what the request did wrong still stands.
            if let Some(event) = findings_only(found, &places, context) {
                emit(event).map_err(ReadError::Output)?;
            }
            emit(problem(reason.clone())).map_err(ReadError::Output)
        }
    }
}

/// `properties.errorCode` of a response body, when it is a JSON object that has one.
fn error_code(body: &[u8]) -> Option<String> {
    let document = json::parse(body).ok()?;
    let properties = document.get("properties")?;
    let code = json::find(document.children(properties), "errorCode")?;
    code.value.as_str().map(str::to_owned)
}

impl Session {
    /// The idempotency findings about `keyed`, the request of `item`.
    fn observe(
        &mut self,
        item: &Item<'_>,
        keyed: &Keyed<'_>,
        status: i64,
        error_code: impl FnOnce() -> Option<String>,
    ) -> Vec<Violation> {
        let mut found = Vec::new();
        let span = item.absolute(&keyed.span);
        let request = KeyedRequest {
            index: item.index,
            method: &keyed.method,
            url: &keyed.url,
            key: &keyed.key,
            span: span.clone(),
            body: keyed.body,
            status,
        };
        let first = self.tracker.observe(&request, error_code, &mut found);
        if first {
            let place = item
                .source
                .resolve_within(keyed.span.clone(), REMEMBERED_CONTEXT)
                .keep();
            self.firsts.insert(span.start, place);
        }
        found
    }
}

/// Where a target of an item's findings is: in the item, or (a related label) at a first use
/// in an earlier item.
struct Places<'p> {
    item: &'p Item<'p>,
    firsts: &'p HashMap<usize, Place<'static>>,
}

impl<'p> Places<'p> {
    fn capture(&self, span: &Range<usize>) -> Place<'p> {
        if let Some(span) = self.item.within(span) {
            return self.item.source.resolve(span);
        }
        match self.firsts.get(&span.start) {
            Some(place) => place.clone(),
            // Not reached: a finding points before its item only at a first use, which was
            // remembered when it was read. Should one be missing, the item's start stands in.
            None => self.item.source.resolve(0..0),
        }
    }
}

/// The item with the idempotency findings alone, when one survives the policy.
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
        _ => places.item.source.resolve(0..0),
    };
    context.stage.findings_event(
        &context.name,
        Checked {
            locator: places.item.locator.clone(),
            body: None,
            found,
            locate: &locate,
        },
    )
}

/// The item's response through every rule.
fn respond(
    exchange: &Exchange<'_>,
    body: &Body<'_>,
    mut found: Vec<Violation>,
    places: &Places<'_>,
    context: &Context<'_>,
) -> Event {
    let content_type = &exchange.content_type;
    let response = &exchange.response_span;
    let transport = Transport {
        // At least 400 here; the readers keep statuses to 999.
        status: u16::try_from(exchange.status).ok(),
        content_type: Some(content_type.as_ref().map(|(value, _)| value.to_string())),
    };
    let map = match body {
        Body::Captured(_, map) => Some(map),
        Body::NotCaptured { .. } => None,
    };
    let locate = |target: &Target| {
        let span = match target {
            Target::Body(span) => match map {
                Some(map) => map.span(span),
                None => response.start..response.start + 1,
            },
            Target::CapturedStatus => exchange.status_span.clone(),
            Target::CapturedContentType => match content_type {
                Some((_, span)) => span.clone(),
                None => response.start..response.start + 1,
            },
            Target::Capture(span) => return places.capture(span),
        };
        places.item.source.resolve(span)
    };
    let body = match body {
        Body::Captured(bytes, _) => Some((bytes.as_ref(), &transport)),
        Body::NotCaptured { span, what } => {
            let target = Target::Capture(places.item.absolute(span));
            rules::check_uncaptured(&transport, target, what, &mut found);
            None
        }
    };
    context.respond(Checked {
        locator: places.item.locator.clone(),
        body,
        found,
        locate: &locate,
    })
}
