//! A single JSON body: the whole input is one response, read into memory (up to the size limit).

use super::{Context, Emit, ReadError};
use crate::check::checker::Response;
use crate::check::diagnostic::Locator;
use crate::check::position::Source;
use crate::check::{MAX_RESPONSE, fill};
use crate::contract::rules::{Target, Transport};
use std::io::Read;

/// `body` holds what detection already read of the input, `reader` the rest.
pub fn read(
    mut body: Vec<u8>,
    mut reader: impl Read,
    context: &Context<'_>,
    emit: &mut Emit<'_>,
) -> Result<(), ReadError> {
    let eof = fill(&mut reader, &mut body, MAX_RESPONSE + 1).map_err(|e| ReadError::io(&e))?;
    if !eof || body.len() > MAX_RESPONSE {
        return Err(ReadError::too_large("the response"));
    }
    let source = Source::lines(&body, 1);
    let event = context.respond(Response {
        locator: Locator::Whole,
        body: Some((&body, &Transport::default())),
        found: Vec::new(),
        locate: &|target| match target {
            Target::Body(span) => source.resolve(span.clone()),
            // The whole input is the body: an input span is a body span.
            Target::Capture(span) => source.resolve(span.clone()),
            // A bare body records no transport; the rules have nothing to point at.
            Target::CapturedStatus | Target::CapturedContentType => source.resolve(0..0),
        },
    });
    emit(event).map_err(ReadError::Output)
}
