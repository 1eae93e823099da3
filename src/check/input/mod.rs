//! Readers, one per input kind: each cuts its input into responses, finds what the capture
//! recorded of the transport, checks every response through the [`Checker`] and maps each
//! violation back to a position in the original input.

pub mod har;
pub mod http;
pub mod json_body;
pub mod ndjson;

use super::detect::{Kind, detect};
use super::walk::Input;
use super::{Checker, Event, MAX_RESPONSE, describe, fill};
use std::io::{self, Read};
use std::sync::Arc;

/// Where a reader sends what it finds; fails only when the report cannot be written.
pub type Emit<'e> = dyn FnMut(Event) -> io::Result<()> + 'e;

/// Why a reader stopped early.
#[derive(Debug)]
pub enum ReadError {
    /// The input cannot be read any further; the reason is reported and the run goes on.
    Input(String),
    /// The report could not be written; the run stops.
    Output(io::Error),
}

impl ReadError {
    pub fn io(error: &io::Error) -> Self {
        ReadError::Input(describe(error))
    }

    pub fn too_large(what: &str) -> Self {
        ReadError::Input(format!(
            "{what} is larger than the limit of {} MiB",
            MAX_RESPONSE >> 20
        ))
    }
}

/// What every reader needs besides its bytes.
pub struct Context<'a> {
    /// The input as the user named it, shared by all its responses.
    pub name: Arc<str>,
    pub checker: &'a Checker<'a>,
}

/// Reads one input to the end, emitting its responses, problems and finally
/// [`Event::InputEnd`]. Returns an error only when emitting failed.
pub fn process(input: &Input, checker: &Checker<'_>, emit: &mut Emit<'_>) -> io::Result<()> {
    let mut unreadable = false;
    let result = {
        let mut tracking = |event: Event| {
            if matches!(event, Event::Problem { .. }) {
                unreadable = true;
            }
            emit(event)
        };
        let context = Context {
            name: Arc::from(input.name.as_str()),
            checker,
        };
        match &input.path {
            None => read(io::stdin().lock(), &context, &mut tracking),
            Some(path) => match std::fs::File::open(path) {
                // Reading up to the known size saves the read that would only report the end,
                // one system call per file in a directory of thousands.
                Ok(file) => match input.size {
                    Some(size) => read(file.take(size), &context, &mut tracking),
                    None => read(file, &context, &mut tracking),
                },
                Err(error) => Err(ReadError::io(&error)),
            },
        }
    };
    match result {
        Ok(()) => {}
        Err(ReadError::Output(error)) => return Err(error),
        Err(ReadError::Input(reason)) => {
            unreadable = true;
            emit(Event::Problem {
                name: input.name.clone(),
                reason,
            })?;
        }
    }
    emit(Event::InputEnd { unreadable })
}

/// Detects the kind of `reader` from its first bytes and hands it to that kind's reader.
fn read(
    mut reader: impl Read,
    context: &Context<'_>,
    emit: &mut Emit<'_>,
) -> Result<(), ReadError> {
    let mut prefix = Vec::new();
    let (kind, eof) = loop {
        // Grow geometrically: detection rescans the prefix, and a one-line body can be large.
        let want = (prefix.len() * 2).max(8192);
        let eof = fill(&mut reader, &mut prefix, want).map_err(|e| ReadError::io(&e))?;
        if let Some(kind) = detect(&prefix, eof) {
            break (kind, eof);
        }
        if prefix.len() > MAX_RESPONSE {
            return Err(ReadError::too_large("the first response"));
        }
    };
    // A small input is all in the prefix: asking the file for more would be one more system
    // call per file, which is what a directory of 10,000 captures is made of.
    let rest: Box<dyn Read> = if eof {
        Box::new(io::empty())
    } else {
        Box::new(reader)
    };
    let reader = io::Cursor::new(prefix).chain(rest);
    match kind {
        Kind::Empty => emit(Event::Note {
            name: context.name.to_string(),
            note: "empty, nothing to check".into(),
        })
        .map_err(ReadError::Output),
        Kind::Json => json_body::read(reader, context, emit),
        Kind::Ndjson => ndjson::read(reader, context, emit),
        Kind::Har => har::read(reader, context, emit),
        Kind::Http => http::read(io::BufReader::new(reader), context, emit),
    }
}

#[cfg(test)]
mod tests;
