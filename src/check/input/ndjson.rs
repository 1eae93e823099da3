//! NDJSON / JSON Lines: one response per non-blank line, named `file:LINE`.
//!
//! Hot path: the input is read in chunks of about 256 KiB cut after a newline (a longer line
//! makes a longer chunk, up to the size limit). A batch of chunks — two per worker thread — is
//! checked in parallel, each chunk knowing its first line number, while this thread emits the
//! previous batch's results in order. Memory stays at a few chunks plus their results; a
//! small input is one chunk and never touches the thread pool.

use super::{Context, Emit, ReadError};
use crate::check::checker::Response;
use crate::check::detect::is_blank;
use crate::check::diagnostic::Locator;
use crate::check::driver::Checked;
use crate::check::position::Source;
use crate::check::{Event, MAX_RESPONSE, fill};
use crate::contract::rules::{Target, Transport};
use rayon::prelude::*;
use std::io::Read;

// Small enough that a batch in flight stays a few MiB (the RSS budget is 16 MiB), large enough
// (~900 typical lines) that splitting work across threads costs little.
const CHUNK: usize = 256 << 10;

/// A piece of the input that starts at a line start and ends after a newline (or at EOF).
struct Chunk {
    first_line: usize,
    bytes: Vec<u8>,
}

pub fn read(
    reader: impl Read,
    context: &Context<'_>,
    emit: &mut Emit<'_>,
) -> Result<(), ReadError> {
    let batch_size = 2 * rayon::current_num_threads().max(1);
    let mut chunker = Chunker {
        reader,
        pending: Vec::new(),
        spare: Vec::new(),
        next_line: 1,
        eof: false,
    };
    let first = chunker.batch(batch_size)?;
    if chunker.done() && first.len() <= 1 {
        // A small input: one chunk, checked here, without the thread pool.
        let checked: Vec<_> = first
            .iter()
            .map(|chunk| check_chunk(chunk, context))
            .collect();
        return emit_all(checked, emit);
    }
    // A pipeline: the pool checks batch k+1 while this thread emits batch k (reports and
    // counting are serial), so neither core waits for the other.
    let mut ready: Vec<Vec<Event>> = Vec::new();
    let mut batch = first;
    loop {
        let mut checked = Vec::new();
        let mut emitted = Ok(());
        rayon::in_place_scope(|scope| {
            if !batch.is_empty() {
                scope.spawn(|_| {
                    checked = batch
                        .par_iter()
                        .map(|chunk| check_chunk(chunk, context))
                        .collect();
                });
            }
            emitted = emit_all(std::mem::take(&mut ready), emit);
        });
        emitted?;
        if batch.is_empty() {
            return Ok(());
        }
        ready = checked;
        chunker.recycle(std::mem::take(&mut batch));
        batch = chunker.batch(batch_size)?;
    }
}

fn emit_all(checked: Vec<Vec<Event>>, emit: &mut Emit<'_>) -> Result<(), ReadError> {
    for event in checked.into_iter().flatten() {
        emit(event).map_err(ReadError::Output)?;
    }
    Ok(())
}

/// Cuts the input into chunks that end after a newline.
struct Chunker<R> {
    reader: R,
    pending: Vec<u8>,
    /// Buffers of checked chunks, reused: a fresh 256 KiB buffer per chunk costs the kernel a
    /// page fault and a zeroed page for every 4 KiB read, more than the reading itself.
    spare: Vec<Vec<u8>>,
    next_line: usize,
    eof: bool,
}

impl<R: Read> Chunker<R> {
    fn recycle(&mut self, batch: Vec<Chunk>) {
        self.spare
            .extend(batch.into_iter().map(|chunk| chunk.bytes));
    }

    fn done(&self) -> bool {
        self.eof && self.pending.is_empty()
    }

    /// Up to `size` chunks; none at the end of the input.
    fn batch(&mut self, size: usize) -> Result<Vec<Chunk>, ReadError> {
        let mut batch = Vec::with_capacity(size);
        while batch.len() < size && !self.done() {
            batch.push(self.chunk()?);
        }
        Ok(batch)
    }

    fn chunk(&mut self) -> Result<Chunk, ReadError> {
        let mut want = CHUNK;
        let bytes = loop {
            if !self.eof {
                self.eof = fill(&mut self.reader, &mut self.pending, want)
                    .map_err(|e| ReadError::io(&e))?;
            }
            if self.eof {
                break std::mem::take(&mut self.pending);
            }
            if let Some(last) = memchr::memrchr(b'\n', &self.pending) {
                // A recycled buffer when there is one, a new one otherwise.
                let mut rest = self.spare.pop().unwrap_or_default();
                rest.clear();
                let (_, tail) = self.pending.split_at(last + 1);
                rest.extend_from_slice(tail);
                self.pending.truncate(last + 1);
                break std::mem::replace(&mut self.pending, rest);
            }
            if self.pending.len() > MAX_RESPONSE {
                return Err(ReadError::too_large(&format!("line {}", self.next_line)));
            }
            want = self.pending.len() + CHUNK;
        };
        let lines = memchr::memchr_iter(b'\n', &bytes).count();
        let chunk = Chunk {
            first_line: self.next_line,
            bytes,
        };
        self.next_line += lines;
        Ok(chunk)
    }
}

fn check_chunk(chunk: &Chunk, context: &Context<'_>) -> Vec<Event> {
    // Every line of a chunk is a response: one `Checked` holds them all.
    let mut checked = Checked::default();
    for (i, line) in chunk.bytes.split(|&b| b == b'\n').enumerate() {
        if is_blank(line) {
            continue;
        }
        let body = line.strip_suffix(b"\r").unwrap_or(line);
        let number = chunk.first_line + i;
        let source = Source::lines(body, number);
        let response = Response {
            locator: Locator::Line(number),
            body: Some((body, &Transport::default())),
            found: Vec::new(),
            locate: &|target| match target {
                Target::Body(span) => source.resolve(span.clone()),
                Target::CapturedStatus | Target::CapturedContentType | Target::Capture(_) => {
                    source.resolve(0..0)
                }
            },
        };
        context
            .stage
            .check_into(&context.name, response, &mut checked);
    }
    if checked.tally.responses == 0 {
        return Vec::new();
    }
    vec![Event::Checked(Box::new(checked))]
}
