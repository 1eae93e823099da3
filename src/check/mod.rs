//! `cyoda check`: inputs → responses → rules → diagnostics, as data.
//!
//! The stages, one module each: [`walk`] turns the PATH arguments into a lazy stream of
//! inputs; [`detect`] tells each input's kind from its first bytes; the readers in [`input`]
//! cut it into [`checker::Response`]s; the [`checker`] applies the rules
//! (`crate::contract::rules`, and the capture-wide [`idempotency`] rules), the [`policy`] and
//! the [`position`]s, and returns [`diagnostic`]s. [`driver::run`] connects them, in input
//! order, and hands each result to the caller: `check` never renders, writes or prints
//! (reports are `crate::report`'s, and the CLI wires the two).
//!
//! Memory is bounded by the largest single response, not by the number of responses: NDJSON is
//! read in chunks cut at newlines, HAR is scanned entry by entry in a rolling buffer, HTTP
//! captures line by line, and directories are walked lazily.

pub mod checker;
pub mod config;
pub mod detect;
pub mod diagnostic;
pub mod driver;
pub mod idempotency;
pub mod input;
pub mod policy;
pub mod position;
pub mod walk;

use std::io::{self, Read};

pub use checker::Checker;
pub use config::Config;
pub use diagnostic::{CheckedResponse, Diagnostic, Locator, Outcome, Totals};
pub use driver::{Ended, Error, Event, Render, Rendering, run};
pub use input::check_bytes;

/// Largest response (body) `cyoda check` reads; bigger ones make the input unreadable.
pub const MAX_RESPONSE: usize = 64 << 20;

/// An I/O error while reading an input, as the reason in `cyoda: error: <path>: <reason>`.
pub fn describe(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => "no such file or directory".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        io::ErrorKind::InvalidData => "not valid UTF-8 text".into(),
        _ => error.to_string(),
    }
}

/// Reads from `reader` into `buf` until it holds `want` bytes or the input ends; returns whether
/// it ended.
///
/// The buffer grows geometrically but never past `want`: a plain `read_to_end` doubles it, and
/// at the size limit that reserves twice the limit. Each step reads into exactly the capacity
/// reserved for it (no zeroing, no growth: at its limit `Take` reads nothing). Room the caller
/// reserved already is filled in one step: the NDJSON reader's chunk buffers then take six
/// reads a chunk (std's doubling inside `read_to_end`), not sixteen.
pub fn fill(reader: &mut dyn Read, buf: &mut Vec<u8>, want: usize) -> io::Result<bool> {
    loop {
        let have = buf.len();
        let missing = want.saturating_sub(have);
        if missing == 0 {
            return Ok(false);
        }
        let room = buf.capacity() - have;
        let step = missing.min(have.max(8192).max(room));
        buf.reserve_exact(step);
        let read = (&mut *reader).take(step as u64).read_to_end(buf)?;
        if read < step {
            return Ok(true);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fill;

    #[test]
    fn fill_reads_what_is_asked_and_reserves_no_more() {
        let data = vec![b'x'; 100_000];
        let mut reader: &[u8] = &data;
        let mut buf = Vec::new();
        assert!(!fill(&mut reader, &mut buf, 50_001).unwrap());
        assert_eq!(buf.len(), 50_001);
        assert_eq!(buf.capacity(), 50_001);
        assert!(fill(&mut reader, &mut buf, 200_000).unwrap());
        assert_eq!(buf.len(), 100_000);
        assert!(buf.capacity() <= 200_000);
    }
}
