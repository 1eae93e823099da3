//! `cyoda check`: arguments → inputs → checked responses → report → outcome.
//!
//! The stages: [`walk`] turns the PATH arguments into a lazy stream of inputs; [`detect`] tells
//! each input's kind from its first bytes; the readers in [`input`] cut it into responses and
//! apply the rules (`crate::contract::rules::check_body`) through a [`Checker`], which resolves
//! severities ([`policy`]) and positions ([`position`]); every result is an [`Event`] that the
//! driver hands, in input order, to a [`Report`] (stdout) or to stderr.
//!
//! Rules that span a capture rather than one body (the HAR idempotency rules of [`idempotency`])
//! hand their violations to [`Checker::check_with`], so policy and positions treat them alike;
//! their state grows with the number of distinct keys in a capture, never with its bodies.
//!
//! # Hot path
//! Memory is bounded by the largest single response, not by the number of responses: NDJSON is
//! read in ~1 MiB chunks cut at newlines, HAR is scanned entry by entry in a rolling buffer,
//! HTTP captures line by line, and directories are walked lazily. Both cores are used where it
//! pays: small files (≤ 1 MiB) are checked in parallel batches, NDJSON chunks in parallel
//! batches; results are buffered per batch and emitted in input order, so the output is
//! deterministic. A single small input never starts the thread pool.

pub mod detect;
pub mod idempotency;
pub mod input;
pub mod pending;
pub mod pointer;
pub mod policy;
pub mod position;
pub mod walk;

use crate::cli::{CheckArgs, CheckFormat};
use crate::contract::catalog::Catalog;
use crate::contract::rules::{CheckOptions, Target, Transport, Violation, check_body};
use crate::report::human::summary_line;
use crate::report::{CheckedResponse, Diagnostic, Locator, Report, Snippet, Summary};
use crate::term::ColorChoice;
use crate::term::escape_controls;
use policy::{Level, Policy};
use position::Pos;
use rayon::prelude::*;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use walk::{Input, WalkItem};

pub use input::check_bytes;

/// Largest response (body) `cyoda check` reads; bigger ones make the input unreadable.
pub const MAX_RESPONSE: usize = 64 << 20;

/// Files up to this size are checked in parallel batches; bigger ones alone, streamed.
const SMALL_FILE: u64 = 1 << 20;
/// Files per parallel batch.
const FILE_BATCH: usize = 64;

/// How a run ended; [`Outcome::code`] is the process exit status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Every response conforms (exit 0).
    Clean,
    /// A violation fails the run (exit 1).
    Findings,
    /// The tool could not do its job: unreadable input, no responses (exit 2).
    Failed,
}

impl Outcome {
    pub fn code(self) -> u8 {
        match self {
            Outcome::Clean => 0,
            Outcome::Findings => 1,
            Outcome::Failed => 2,
        }
    }
}

/// Why `check` could not run at all.
#[derive(Debug)]
pub enum Error {
    /// Bad usage (unknown rule or code, format not available): exit 2 with this message.
    Usage(String),
    /// Writing the report failed (other than a closed pipe): exit 2.
    Output(io::Error),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Usage(message) => f.write_str(message),
            Error::Output(error) => write!(f, "writing the report: {error}"),
        }
    }
}

impl std::error::Error for Error {}

/// Where the run writes, and what it knows about the terminal.
pub struct Streams<'a> {
    pub stdout: &'a mut dyn Write,
    pub stdout_is_terminal: bool,
    pub stderr: &'a mut dyn Write,
}

/// The severity flags in command-line order (the last one naming a rule wins). `indices` gives
/// each flag value's position among all arguments (clap's `ArgMatches::indices_of`); without
/// it the order is `--allow`, `--warn`, `--deny`.
pub fn ordered_flags(
    args: &CheckArgs,
    indices: impl Fn(Level) -> Vec<usize>,
) -> Vec<(Level, &str)> {
    let mut flags: Vec<(usize, Level, &str)> = Vec::new();
    for (level, values) in [
        (Level::Allow, &args.allow),
        (Level::Warn, &args.warn),
        (Level::Deny, &args.deny),
    ] {
        let positions = indices(level);
        for (i, value) in values.iter().enumerate() {
            let at = positions.get(i).copied().unwrap_or(usize::MAX);
            flags.push((at, level, value.as_str()));
        }
    }
    flags.sort_by_key(|(at, _, _)| *at);
    flags
        .into_iter()
        .map(|(_, level, value)| (level, value))
        .collect()
}

/// Runs `cyoda check`. Per-input problems are written to `streams.stderr` as
/// `cyoda: error: <path>: <reason>` and the run goes on; a closed stdout ends the run quietly
/// with the outcome so far.
pub fn run(
    args: &CheckArgs,
    flags: &[(Level, &str)],
    color: ColorChoice,
    catalog: &Catalog,
    streams: Streams<'_>,
) -> Result<Outcome, Error> {
    let policy = Policy::new(flags.iter().copied(), args.strict).map_err(Error::Usage)?;
    let expect = match &args.expect {
        Some(code) => Some(policy::expected_code(code, catalog).map_err(Error::Usage)?),
        None => None,
    };
    let checker = Checker {
        catalog,
        options: CheckOptions { expect },
        policy,
        rules: check_body,
    };

    let Streams {
        stdout,
        stdout_is_terminal,
        stderr,
    } = streams;
    let version = catalog.version.as_ref();
    match &args.output {
        None => {
            let color = crate::term::use_color(color, stdout_is_terminal);
            let mut out = io::BufWriter::new(stdout);
            let mut report = crate::report::new(args.format, &mut out, color, version);
            let (outcome, summary, closed) = drive(args, &checker, &mut *report, &mut *stderr)?;
            // The human report ends with the summary; machine reports keep stdout pure. A
            // closed stdout ends the run quietly in every format.
            if args.format != CheckFormat::Human && !closed {
                let _ = writeln!(stderr, "{}", summary_line(&summary));
            }
            Ok(outcome)
        }
        Some(path) => {
            let (file, temporary) = create_temporary(path).map_err(Error::Output)?;
            let mut out = io::BufWriter::new(file);
            let result = {
                let mut report = crate::report::new(args.format, &mut out, false, version);
                drive(args, &checker, &mut *report, &mut *stderr)
            };
            let committed = result.and_then(|(outcome, summary, _)| {
                let file = out
                    .into_inner()
                    .map_err(|e| Error::Output(e.into_error()))?;
                file.sync_all().map_err(Error::Output)?;
                pending::settle(|| std::fs::rename(&temporary, path)).map_err(Error::Output)?;
                let _ = writeln!(stderr, "{}", summary_line(&summary));
                Ok(outcome)
            });
            if committed.is_err() {
                let _ = pending::settle(|| std::fs::remove_file(&temporary));
            }
            committed
        }
    }
}

/// A new hidden file next to `path` (`.<name>.<pid>.<n>.tmp`), renamed over it once the report
/// is complete, so that `path` only ever holds a whole report. Created exclusively: an existing
/// file or symlink of that name is never written through.
fn create_temporary(path: &Path) -> io::Result<(std::fs::File, PathBuf)> {
    let context =
        |error: io::Error| io::Error::new(error.kind(), format!("{}: {error}", path.display()));
    let name = path.file_name().ok_or_else(|| {
        context(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a file name",
        ))
    })?;
    for attempt in 0..100 {
        let mut temporary = std::ffi::OsString::from(".");
        temporary.push(name);
        temporary.push(format!(".{}.{attempt}.tmp", std::process::id()));
        let temporary = path.with_file_name(temporary);
        let create = |path: &Path| {
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
        };
        match pending::start(&temporary, create) {
            Ok(file) => return Ok((file, temporary)),
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(error) => return Err(context(error)),
        }
    }
    Err(context(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "no free temporary file name next to it",
    )))
}

/// Walks the inputs, checks them and feeds the report; returns the outcome, the totals and
/// whether the report's output was closed (broken pipe) before the end.
fn drive(
    args: &CheckArgs,
    checker: &Checker<'_>,
    report: &mut dyn Report,
    stderr: &mut dyn Write,
) -> Result<(Outcome, Summary, bool), Error> {
    let mut driver = Driver {
        report,
        stderr,
        summary: Summary {
            checked_against: checker.catalog.server_name(),
            ..Summary::default()
        },
    };
    match feed(args, checker, &mut driver) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
            return Ok((driver.outcome(), driver.summary, true));
        }
        Err(e) => return Err(Error::Output(e)),
    }
    let summary = driver.summary.clone();
    let closed = match driver.report.finish(&summary) {
        Ok(()) => false,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => true,
        Err(e) => return Err(Error::Output(e)),
    };
    if summary.responses == 0 && summary.skipped == 0 && summary.unreadable == 0 {
        let _ = writeln!(driver.stderr, "cyoda: error: no responses found to check");
    }
    Ok((driver.outcome(), summary, closed))
}

/// Walks the inputs in order; small files go through parallel batches.
fn feed(args: &CheckArgs, checker: &Checker<'_>, driver: &mut Driver<'_>) -> io::Result<()> {
    let mut batch: Vec<Input> = Vec::new();
    for item in walk::walk(&args.paths) {
        match item {
            WalkItem::Input(input) if input.size.is_some_and(|size| size <= SMALL_FILE) => {
                batch.push(input);
                if batch.len() >= FILE_BATCH {
                    run_batch(std::mem::take(&mut batch), checker, driver)?;
                }
            }
            WalkItem::Input(input) => {
                run_batch(std::mem::take(&mut batch), checker, driver)?;
                input::process(&input, checker, &mut |event| driver.handle(event))?;
            }
            WalkItem::Problem { name, reason } => {
                run_batch(std::mem::take(&mut batch), checker, driver)?;
                driver.handle(Event::Problem { name, reason })?;
                driver.handle(Event::InputEnd { unreadable: true })?;
            }
            WalkItem::Note { name, note } => {
                run_batch(std::mem::take(&mut batch), checker, driver)?;
                driver.handle(Event::Note { name, note })?;
            }
        }
    }
    run_batch(batch, checker, driver)
}

/// Checks a batch of small files, in parallel when there are several, and emits their events
/// in input order.
fn run_batch(batch: Vec<Input>, checker: &Checker<'_>, driver: &mut Driver<'_>) -> io::Result<()> {
    match batch.as_slice() {
        [] => Ok(()),
        [single] => input::process(single, checker, &mut |event| driver.handle(event)),
        _ => {
            let results: Vec<Vec<Event>> = batch
                .par_iter()
                .map(|item| {
                    let mut events = Vec::new();
                    // Collecting into a Vec cannot fail.
                    let _ = input::process(item, checker, &mut |event| {
                        events.push(event);
                        Ok(())
                    });
                    events
                })
                .collect();
            for event in results.into_iter().flatten() {
                driver.handle(event)?;
            }
            Ok(())
        }
    }
}

/// What reading an input produces, in order.
#[derive(Debug)]
pub enum Event {
    Response(CheckedResponse),
    /// HAR entries not checked (status below 400).
    Skipped(usize),
    /// An input (or part of it) could not be read: `cyoda: error: <name>: <reason>`.
    Problem {
        name: String,
        reason: String,
    },
    /// Worth saying, not a failure: `cyoda: warning: <name>: <note>`.
    Note {
        name: String,
        note: String,
    },
    /// The end of one input.
    InputEnd {
        unreadable: bool,
    },
}

/// Where events go: the report, stderr, the totals.
struct Driver<'a> {
    report: &'a mut dyn Report,
    stderr: &'a mut dyn Write,
    summary: Summary,
}

impl Driver<'_> {
    fn handle(&mut self, event: Event) -> io::Result<()> {
        match event {
            Event::Response(response) => {
                self.summary.add(&response);
                self.report.response(&response)
            }
            Event::Skipped(n) => {
                self.summary.skipped += n;
                Ok(())
            }
            Event::Problem { name, reason } => {
                self.report.unreadable(&name, &reason)?;
                self.report.flush()?;
                let _ = writeln!(
                    self.stderr,
                    "cyoda: error: {}: {}",
                    escape_controls(&name),
                    escape_controls(&reason)
                );
                Ok(())
            }
            Event::Note { name, note } => {
                self.report.flush()?;
                let _ = writeln!(
                    self.stderr,
                    "cyoda: warning: {}: {}",
                    escape_controls(&name),
                    escape_controls(&note)
                );
                Ok(())
            }
            Event::InputEnd { unreadable } => {
                self.summary.inputs += 1;
                if unreadable {
                    self.summary.unreadable += 1;
                }
                Ok(())
            }
        }
    }

    fn outcome(&self) -> Outcome {
        let summary = &self.summary;
        if summary.unreadable > 0 || (summary.responses == 0 && summary.skipped == 0) {
            Outcome::Failed
        } else if summary.failed > 0 {
            Outcome::Findings
        } else {
            Outcome::Clean
        }
    }
}

/// The signature of [`check_body`]; tests substitute rules of their own.
pub type Rules = fn(&[u8], &Catalog, &Transport, &CheckOptions, &mut Vec<Violation>);

/// Applies the rules and the run's policy to one response.
pub struct Checker<'a> {
    pub catalog: &'a Catalog,
    pub options: CheckOptions,
    pub policy: Policy,
    /// [`check_body`], except in tests.
    pub rules: Rules,
}

impl<'a> Checker<'a> {
    /// The checker `cyoda check` uses without flags: default severities, no `--expect`.
    pub fn with_defaults(catalog: &'a Catalog) -> Self {
        Checker {
            catalog,
            options: CheckOptions::default(),
            policy: Policy::default(),
            rules: check_body,
        }
    }

    /// Checks `body`; `locate` turns each violation's target into a position in the input and
    /// the snippet around it. Diagnostics come out in order of position.
    pub fn check(
        &self,
        input: &Arc<str>,
        locator: Locator,
        body: &[u8],
        transport: &Transport,
        locate: &dyn Fn(&Target) -> (Pos, Snippet),
    ) -> CheckedResponse {
        self.check_with(input, locator, Some((body, transport)), Vec::new(), locate)
    }

    /// As [`Checker::check`], plus `found`: violations of rules that look beyond one body (the
    /// HAR idempotency rules). With `body` `None` only `found` is reported (an entry below 400,
    /// whose body the envelope rules do not apply to).
    pub fn check_with(
        &self,
        input: &Arc<str>,
        locator: Locator,
        body: Option<(&[u8], &Transport)>,
        found: Vec<Violation>,
        locate: &dyn Fn(&Target) -> (Pos, Snippet),
    ) -> CheckedResponse {
        let mut violations = found;
        if let Some((body, transport)) = body {
            (self.rules)(
                body,
                self.catalog,
                transport,
                &self.options,
                &mut violations,
            );
        }
        let mut pointers = pointer::Pointers::new(body.map_or(&[][..], |(body, _)| body));
        let mut diagnostics: Vec<Diagnostic> = violations
            .into_iter()
            .filter_map(|violation| {
                let severity = self.policy.severity(violation.rule)?;
                let (pos, snippet) = locate(&violation.target);
                let pointer = pointers.of(&violation.target);
                Some(Diagnostic {
                    rule: violation.rule,
                    severity,
                    message: violation.message,
                    label: violation.label,
                    help_topic: violation.help_topic,
                    line: pos.line,
                    column: pos.column,
                    pointer,
                    snippet,
                })
            })
            .collect();
        diagnostics.sort_by_key(|d| (d.line, d.column));
        let failed = diagnostics.iter().any(|d| self.policy.fails(d.severity));
        CheckedResponse {
            input: Arc::clone(input),
            locator,
            diagnostics,
            failed,
        }
    }
}

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
/// reserved for it (no zeroing, no growth: at its limit `Take` reads nothing).
pub fn fill(reader: &mut dyn Read, buf: &mut Vec<u8>, want: usize) -> io::Result<bool> {
    loop {
        let have = buf.len();
        let missing = want.saturating_sub(have);
        if missing == 0 {
            return Ok(false);
        }
        let step = missing.min(have.max(8192));
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
