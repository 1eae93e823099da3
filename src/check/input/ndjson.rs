//! NDJSON / JSON Lines: one response per non-blank line, named `file:LINE`.
//!
//! Hot path: the input is read in chunks of about 256 KiB cut after a newline (a longer line
//! makes a longer chunk, up to the size limit). Each chunk, knowing its first line number, is
//! checked on the thread pool as soon as it is read, while this thread reads the next ones and
//! emits finished chunks in input order. Memory stays at a few chunks per thread plus their
//! results; a small input is one chunk and never touches the thread pool.

use super::{Context, Emit, ReadError};
use crate::check::checker::Response;
use crate::check::detect::is_blank;
use crate::check::diagnostic::Locator;
use crate::check::position::Source;
use crate::check::{Event, MAX_RESPONSE, fill};
use crate::contract::rules::{Target, Transport};
use std::collections::BTreeMap;
use std::io::Read;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc;
use std::thread;

// Small enough that the chunks in flight stay a few MiB (the RSS budget is 16 MiB), large
// enough (~900 typical lines) that handing one to a thread costs little.
const CHUNK: usize = 256 << 10;
/// Chunks per pool thread read and not yet emitted: enough that a worker always finds the next
/// chunk ready while this thread writes an earlier one's report.
const IN_FLIGHT: usize = 4;

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
    let mut chunker = Chunker {
        reader,
        pending: Vec::new(),
        spare: Vec::new(),
        next_line: 1,
        eof: false,
    };
    let first = chunker.chunk()?;
    if chunker.done() || rayon::current_thread_index().is_some() {
        // A small input is one chunk, checked here without the thread pool. On a pool thread
        // (a file of a parallel batch) the batch is the parallelism, and waiting there for
        // chunks queued behind this very thread could wait for ever.
        return one_by_one(first, &mut chunker, context, emit);
    }
    pipeline(first, &mut chunker, context, emit)
}

/// Checks and emits the chunks in turn, on this thread.
fn one_by_one<R: Read>(
    first: Chunk,
    chunker: &mut Chunker<R>,
    context: &Context<'_>,
    emit: &mut Emit<'_>,
) -> Result<(), ReadError> {
    let mut chunk = first;
    loop {
        emit_all(check_chunk(&chunk, context), emit)?;
        if chunker.done() {
            return Ok(());
        }
        chunker.spare.push(chunk.bytes);
        chunk = chunker.chunk()?;
    }
}

/// Checks chunks on the pool while this thread reads the next ones and emits the finished
/// ones in input order. No batch barrier: a worker that finishes a chunk takes the next one
/// at once, so the two cores never wait for the slower half of a batch (with batches of four
/// chunks, one worker sat idle about a third of the time). At most `IN_FLIGHT` chunks per
/// thread are read and not yet emitted, which bounds memory.
fn pipeline<R: Read>(
    first: Chunk,
    chunker: &mut Chunker<R>,
    context: &Context<'_>,
    emit: &mut Emit<'_>,
) -> Result<(), ReadError> {
    let limit = IN_FLIGHT * rayon::current_num_threads().max(1);
    let (done_tx, done_rx) = mpsc::channel::<(usize, thread::Result<Vec<Event>>, Vec<u8>)>();
    rayon::in_place_scope_fifo(|scope| {
        let spawn = |sequence: usize, chunk: Chunk| {
            let done_tx = done_tx.clone();
            scope.spawn_fifo(move |_| {
                // A panic travels to this thread as a result, so that it waits for no chunk
                // that will never come, and goes on as the panic it was.
                let events = panic::catch_unwind(AssertUnwindSafe(|| check_chunk(&chunk, context)));
                // The receiver outlives the scope: the send cannot fail.
                let _ = done_tx.send((sequence, events, chunk.bytes));
            });
        };
        spawn(0, first);
        let mut read = 1;
        let mut emitted = 0;
        // Finished chunks that wait for an earlier one, by sequence number.
        let mut finished: BTreeMap<usize, Vec<Event>> = BTreeMap::new();
        let mut failed = None;
        loop {
            while failed.is_none() && read - emitted < limit && !chunker.done() {
                match chunker.chunk() {
                    Ok(chunk) => {
                        spawn(read, chunk);
                        read += 1;
                    }
                    // Everything before the unreadable part is still reported.
                    Err(error) => failed = Some(error),
                }
            }
            if emitted == read {
                // Every chunk read is emitted, and there is no more to read.
                break;
            }
            // `done_tx` lives as long as this loop, so `recv` fails never; chunk `emitted`
            // is on the pool, so it returns.
            let Ok((sequence, events, bytes)) = done_rx.recv() else {
                break;
            };
            chunker.spare.push(bytes);
            let events = events.unwrap_or_else(|payload| panic::resume_unwind(payload));
            finished.insert(sequence, events);
            while let Some(events) = finished.remove(&emitted) {
                emitted += 1;
                // On an error the chunks still on the pool finish; nothing more is emitted.
                emit_all(events, emit)?;
            }
        }
        failed.map_or(Ok(()), Err)
    })
}

fn emit_all(events: Vec<Event>, emit: &mut Emit<'_>) -> Result<(), ReadError> {
    for event in events {
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
    fn done(&self) -> bool {
        self.eof && self.pending.is_empty()
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
                // A recycled buffer when there is one, a new one otherwise, with room for a
                // chunk (`fill` fills reserved room in one step). Only an input longer than a
                // chunk gets here: a small file never reserves one.
                let mut rest = self
                    .spare
                    .pop()
                    .unwrap_or_else(|| Vec::with_capacity(CHUNK));
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

/// The lines of `bytes` (as `split` on `\n` gives them), found with memchr: a byte-at-a-time
/// split cost ~950 instructions a 250-byte line (callgrind), a tenth of checking it.
fn lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut start = 0;
    let mut ends = memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len()));
    std::iter::from_fn(move || {
        let end = ends.next()?;
        let line = bytes.get(start..end).unwrap_or_default();
        start = end + 1;
        Some(line)
    })
}

fn check_chunk(chunk: &Chunk, context: &Context<'_>) -> Vec<Event> {
    // Every line of a chunk is a response: one `Checked` holds them all.
    let mut checked = context.stage.checked_for(chunk.bytes.len());
    for (i, line) in lines(&chunk.bytes).enumerate() {
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

#[cfg(test)]
mod tests {
    use super::lines;

    #[test]
    fn lines_are_what_split_on_newline_gives() {
        for text in ["", "a", "a\n", "\n", "a\nb", "a\n\nb\n", "\n\n", "{}\r\n{}"] {
            let ours: Vec<&[u8]> = lines(text.as_bytes()).collect();
            let split: Vec<&[u8]> = text.as_bytes().split(|&b| b == b'\n').collect();
            assert_eq!(ours, split, "{text:?}");
        }
    }
}
