//! Readers, one per input kind: each cuts its input into [`Response`]s, with what the capture
//! recorded of the transport and how to map a violation back to a position in the original
//! input, and hands each to the [`Stage`] (which checks and renders it).

pub mod archive;
mod attach;
pub mod bruno;
mod buffer;
mod encoding;
mod exchange;
pub mod har;
pub mod http;
pub mod hurl;
pub mod json_body;
pub mod ndjson;
pub mod newman;
mod shape;

use super::checker::Response;
use super::detect::{Kind, detect};
use super::diagnostic::STDIN;
use super::driver::{Event, Stage};
use super::walk::Input;
use super::{MAX_RESPONSE, describe, fill};
use std::io::{self, Read};
use std::path::Path;
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
    /// The input's path; `None` for standard input (and bytes checked in memory). Captures
    /// that keep bodies in files beside them (Playwright's `_file`, Hurl's store) read them
    /// from its folder, and a zip archive is read from the file itself.
    pub path: Option<&'a Path>,
    pub stage: &'a Stage<'a>,
}

impl Context<'_> {
    /// The event of one response cut out of the input: checked, rendered.
    pub fn respond(&self, response: Response<'_>) -> Event {
        self.stage.event(&self.name, response)
    }
}

/// Reads one input to the end, emitting its responses, problems and finally
/// [`Event::InputEnd`]. Returns an error only when emitting failed.
pub fn process(input: &Input, stage: &Stage<'_>, emit: &mut Emit<'_>) -> io::Result<()> {
    match &input.path {
        None => process_reader(io::stdin().lock(), &input.name, None, stage, emit),
        Some(path) => match std::fs::File::open(path) {
            // Reading up to the known size saves the read that would only report the end,
            // one system call per file in a directory of thousands.
            Ok(file) => match input.size {
                Some(size) => process_reader(file.take(size), &input.name, Some(path), stage, emit),
                None => process_reader(file, &input.name, Some(path), stage, emit),
            },
            Err(error) => {
                emit(Event::Problem {
                    name: input.name.clone(),
                    reason: describe(&error),
                })?;
                emit(Event::InputEnd { unreadable: true })
            }
        },
    }
}

/// Checks whatever `reader` yields as the input named `name` (read from `path`, when it is a
/// file): detection, that kind's reader, the rules. The one path every input takes (files,
/// standard input, [`check_bytes`]).
pub fn process_reader(
    reader: impl Read,
    name: &str,
    path: Option<&Path>,
    stage: &Stage<'_>,
    emit: &mut Emit<'_>,
) -> io::Result<()> {
    let mut unreadable = false;
    let result = {
        let mut tracking = |event: Event| {
            if matches!(event, Event::Problem { .. }) {
                unreadable = true;
            }
            emit(event)
        };
        let context = Context {
            name: Arc::from(name),
            path,
            stage,
        };
        read(reader, &context, &mut tracking)
    };
    match result {
        Ok(()) => {}
        Err(ReadError::Output(error)) => return Err(error),
        Err(ReadError::Input(reason)) => {
            unreadable = true;
            emit(Event::Problem {
                name: name.to_owned(),
                reason,
            })?;
        }
    }
    emit(Event::InputEnd { unreadable })
}

/// Checks `bytes` exactly as `cyoda check` checks a file holding them, and returns the events
/// in order (the last is [`Event::InputEnd`]). The fuzz targets drive this.
pub fn check_bytes(name: &str, bytes: &[u8], stage: &Stage<'_>) -> Vec<Event> {
    let mut events = Vec::new();
    // Collecting into a Vec cannot fail.
    let _ = process_reader(bytes, name, None, stage, &mut |event| {
        super::driver::push(&mut events, event);
        Ok(())
    });
    events
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
        // Never past the limit: that is all a response may hold.
        let want = prefix.len().saturating_mul(2).clamp(8192, MAX_RESPONSE + 1);
        let eof = fill(&mut reader, &mut prefix, want).map_err(|e| ReadError::io(&e))?;
        if let Some(kind) = detect(&prefix, eof) {
            break (kind, eof);
        }
        if eof {
            // `detect` always decides at the end; should it not, waiting would never end.
            break (Kind::Json, eof);
        }
        if prefix.len() > MAX_RESPONSE {
            return Err(ReadError::too_large("the response"));
        }
    };
    // A small input is all in the prefix: asking the file for more would be one more system
    // call per file, which is what a directory of 10,000 captures is made of.
    let rest: Box<dyn Read> = if eof {
        Box::new(io::empty())
    } else {
        Box::new(reader)
    };
    match kind {
        // Empty standard input holds no response ("no responses found" when nothing else
        // does); an empty file is a capture that cannot be checked, and fails closed as the
        // body it is: `invalid-json`, empty body.
        Kind::Empty if &*context.name == STDIN => Ok(()),
        // A single body continues the prefix, so memory holds it once; the others stream.
        Kind::Json | Kind::Empty => json_body::read(prefix, rest, context, emit),
        Kind::Ndjson => ndjson::read(io::Cursor::new(prefix).chain(rest), context, emit),
        Kind::Har => har::read(io::Cursor::new(prefix).chain(rest), context, emit),
        Kind::Newman => newman::read(io::Cursor::new(prefix).chain(rest), context, emit),
        Kind::Bruno => bruno::read(io::Cursor::new(prefix).chain(rest), context, emit),
        Kind::Hurl => hurl::read(io::Cursor::new(prefix).chain(rest), context, emit),
        Kind::Zip => match context.path {
            // A file is read in place: the archive is seekable there.
            Some(path) => archive::read(archive::Bytes::File(path), context, emit),
            None => {
                let mut bytes = prefix;
                let mut rest = rest;
                fill(&mut rest, &mut bytes, archive::MAX_ARCHIVE + 1)
                    .map_err(|e| ReadError::io(&e))?;
                if bytes.len() > archive::MAX_ARCHIVE {
                    return Err(ReadError::Input(format!(
                        "a zip archive on standard input is larger than the limit of {} MiB (pass its path)",
                        archive::MAX_ARCHIVE >> 20
                    )));
                }
                archive::read(archive::Bytes::Memory(&bytes), context, emit)
            }
        },
        Kind::Http => http::read(
            io::BufReader::new(io::Cursor::new(prefix).chain(rest)),
            context,
            emit,
        ),
    }
}

#[cfg(test)]
mod tests;
