//! NDJSON / JSON Lines: one response per non-blank line, named `file:LINE`.
//!
//! Hot path: the input is read in chunks of about 1 MiB cut after a newline (a longer line
//! makes a longer chunk, up to the size limit). A batch of chunks — two per worker thread — is
//! checked in parallel, each chunk knowing its first line number, and the results are emitted
//! in order before the next batch is read. Memory stays at a few chunks plus their results; a
//! small input is one chunk and never touches the thread pool.

use super::{Context, Emit, ReadError};
use crate::check::detect::is_blank;
use crate::check::position::Source;
use crate::check::{Event, MAX_RESPONSE, fill};
use crate::contract::rules::{Target, Transport};
use crate::report::{CheckedResponse, Locator};
use rayon::prelude::*;
use std::io::Read;

const CHUNK: usize = 1 << 20;

/// A piece of the input that starts at a line start and ends after a newline (or at EOF).
struct Chunk {
    first_line: usize,
    bytes: Vec<u8>,
}

pub fn read(
    mut reader: impl Read,
    context: &Context<'_>,
    emit: &mut Emit<'_>,
) -> Result<(), ReadError> {
    let batch_size = 2 * rayon::current_num_threads().max(1);
    let mut pending: Vec<u8> = Vec::new();
    let mut next_line = 1;
    let mut eof = false;
    loop {
        let mut batch: Vec<Chunk> = Vec::new();
        while batch.len() < batch_size && !(eof && pending.is_empty()) {
            let mut want = CHUNK;
            let bytes = loop {
                if !eof {
                    eof = fill(&mut reader, &mut pending, want).map_err(|e| ReadError::io(&e))?;
                }
                if eof {
                    break std::mem::take(&mut pending);
                }
                if let Some(last) = pending.iter().rposition(|&b| b == b'\n') {
                    let rest = pending.split_off(last + 1);
                    break std::mem::replace(&mut pending, rest);
                }
                if pending.len() > MAX_RESPONSE {
                    return Err(ReadError::too_large(&format!("line {next_line}")));
                }
                want = pending.len() + CHUNK;
            };
            let lines = bytes.iter().filter(|&&b| b == b'\n').count();
            batch.push(Chunk {
                first_line: next_line,
                bytes,
            });
            next_line += lines;
        }
        if batch.is_empty() {
            return Ok(());
        }
        let results: Vec<Vec<CheckedResponse>> = if batch.len() == 1 {
            batch
                .iter()
                .map(|chunk| check_chunk(chunk, context))
                .collect()
        } else {
            batch
                .par_iter()
                .map(|chunk| check_chunk(chunk, context))
                .collect()
        };
        for response in results.into_iter().flatten() {
            emit(Event::Response(response)).map_err(ReadError::Output)?;
        }
    }
}

fn check_chunk(chunk: &Chunk, context: &Context<'_>) -> Vec<CheckedResponse> {
    let mut responses = Vec::new();
    for (i, line) in chunk.bytes.split(|&b| b == b'\n').enumerate() {
        if is_blank(line) {
            continue;
        }
        let body = line.strip_suffix(b"\r").unwrap_or(line);
        let number = chunk.first_line + i;
        let source = Source::lines(body, number);
        responses.push(context.checker.check(
            context.name,
            Locator::Line(number),
            body,
            &Transport::default(),
            &|target| match target {
                Target::Body(span) => source.resolve(span.clone()),
                Target::CapturedStatus | Target::CapturedContentType | Target::Capture(_) => {
                    source.resolve(0..0)
                }
            },
        ));
    }
    responses
}
