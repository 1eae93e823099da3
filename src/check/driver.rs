//! Runs a check: walks the inputs, hands each to its reader, checks every response the reader
//! cuts out, lets the caller's [`Render`] turn each checked response into report bytes, and
//! passes everything on as [`Event`]s, in input order, to the caller's sink. Counts the totals.
//!
//! # Hot path
//! Small files (≤ 1 MiB) are read, checked and rendered in parallel batches, and an NDJSON
//! input in parallel chunks (`input::ndjson`); the events of a batch are buffered and passed on
//! in input order, so the output is the same on every run. Rendering happens on the worker
//! threads too, right after checking, while the response still borrows its input's buffer:
//! what travels to the sink is only report bytes and counts ([`Checked`]), and consecutive
//! responses of one input share one [`Checked`] (one buffer per report for a whole NDJSON
//! chunk), so a finding costs no allocation of its own on the way out. A single small input
//! never starts the thread pool.

use super::checker::Checker;
use super::checker::Response;
use super::config::Config;
use super::diagnostic::{CheckedResponse, Totals};
use super::input;
use super::policy::{self, Policy};
use super::walk::{self, Input, WalkItem};
use crate::contract::catalog::Catalog;
use crate::contract::rules::{CheckOptions, check_body};
use rayon::prelude::*;
use std::io;

/// Files up to this size are checked in parallel batches; bigger ones alone, streamed.
const SMALL_FILE: u64 = 1 << 20;
/// Files per parallel batch.
const FILE_BATCH: usize = 64;

/// What the reports made of some responses: one buffer per report, in the caller's order,
/// each the concatenation of what its renderer wrote for each response. Opaque to `check`.
pub type Rendering = Vec<Vec<u8>>;

/// Turns a checked response into what the reports write, appended to `into` (which the
/// caller may have filled with earlier responses). Called on worker threads, in no particular
/// order; the results reach the sink in input order.
pub trait Render: Sync {
    /// `earlier` counts the responses already rendered into `into` (none when it is empty).
    fn render(&self, response: &CheckedResponse<'_>, earlier: &Totals, into: &mut Rendering);

    /// Makes room in an empty `into` for what the responses of `input_bytes` of input are
    /// likely to render into, so that a chunk's buffers are allocated once instead of regrown.
    fn reserve(&self, _into: &mut Rendering, _input_bytes: usize) {}
}

/// Consecutive checked responses of one input: their counts, and what the reports made of them.
#[derive(Debug, Default)]
pub struct Checked {
    /// `responses`, `failed`, `errors`, `warnings` and `by_rule` of these responses.
    pub tally: Totals,
    pub rendered: Rendering,
}

impl Checked {
    /// Appends `other`, which follows these responses in the input.
    pub fn append(&mut self, other: Checked) {
        self.tally.merge(&other.tally);
        if self.rendered.is_empty() {
            self.rendered = other.rendered;
            return;
        }
        for (mine, theirs) in self.rendered.iter_mut().zip(other.rendered) {
            mine.extend_from_slice(&theirs);
        }
    }
}

/// What reading the inputs produces, in order.
#[derive(Debug)]
pub enum Event {
    /// One or more checked responses (boxed: the counts make it the largest event by far).
    Checked(Box<Checked>),
    /// Responses of a capture not checked (status below 400, or none at all).
    Skipped(usize),
    /// An input (or part of it) could not be read: the run fails with exit 2.
    Problem { name: String, reason: String },
    /// Worth saying, not a failure (a symlink loop that was not entered).
    Note { name: String, note: String },
    /// The end of one input.
    InputEnd { unreadable: bool },
}

/// Where events go; fails only when the output cannot be written.
pub type Sink<'s> = dyn FnMut(Event) -> io::Result<()> + 's;

/// Why a check could not run at all.
#[derive(Debug)]
pub enum Error {
    /// Bad usage (unknown rule or code): exit 2 with this message.
    Usage(String),
    /// Writing the output failed (other than a closed pipe): exit 2.
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

/// How a run ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ended {
    pub totals: Totals,
    /// The sink reported a closed pipe: the run stopped early, quietly.
    pub closed: bool,
}

/// The checker a configuration asks for: its policy and `--expect` resolved against `catalog`.
pub fn checker<'c>(config: &Config, catalog: &'c Catalog) -> Result<Checker<'c>, Error> {
    let flags = config
        .severities
        .iter()
        .map(|(level, rule)| (*level, rule.as_str()));
    let policy = Policy::new(flags, config.strict).map_err(Error::Usage)?;
    let expect = match &config.expect {
        Some(code) => Some(policy::expected_code(code, catalog).map_err(Error::Usage)?),
        None => None,
    };
    Ok(Checker {
        catalog,
        options: CheckOptions { expect },
        policy,
        rules: check_body,
    })
}

/// Runs the check `config` asks for against `catalog`; every event goes to `sink`.
pub fn run(
    config: &Config,
    catalog: &Catalog,
    render: &dyn Render,
    sink: &mut Sink<'_>,
) -> Result<Ended, Error> {
    let checker = checker(config, catalog)?;
    run_with(&checker, &config.paths, render, sink)
}

/// [`run`] with a checker of the caller's (tests swap the rules).
pub fn run_with(
    checker: &Checker<'_>,
    paths: &[std::ffi::OsString],
    render: &dyn Render,
    sink: &mut Sink<'_>,
) -> Result<Ended, Error> {
    let mut totals = Totals::default();
    let mut counting = |event: Event| {
        count(&mut totals, &event);
        sink(event)
    };
    let stage = Stage { checker, render };
    match feed(paths, &stage, &mut counting) {
        Ok(()) => Ok(Ended {
            totals,
            closed: false,
        }),
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(Ended {
            totals,
            closed: true,
        }),
        Err(error) => Err(Error::Output(error)),
    }
}

fn count(totals: &mut Totals, event: &Event) {
    match event {
        Event::Checked(checked) => totals.merge(&checked.tally),
        Event::Skipped(n) => totals.skipped += n,
        Event::InputEnd { unreadable } => {
            totals.inputs += 1;
            if *unreadable {
                totals.unreadable += 1;
            }
        }
        Event::Problem { .. } | Event::Note { .. } => {}
    }
}

/// What checking a response needs: the checker, and the caller's renderer.
#[derive(Clone, Copy)]
pub struct Stage<'a> {
    pub checker: &'a Checker<'a>,
    pub render: &'a dyn Render,
}

impl Stage<'_> {
    /// A [`Checked`] with room for the renderings of `input_bytes` of input.
    pub fn checked_for(&self, input_bytes: usize) -> Checked {
        let mut checked = Checked::default();
        self.render.reserve(&mut checked.rendered, input_bytes);
        checked
    }

    /// Checks `response` of the input `name` and appends its counts and renderings to `into`.
    pub fn check_into(
        &self,
        name: &std::sync::Arc<str>,
        response: Response<'_>,
        into: &mut Checked,
    ) {
        let checked = self.checker.check(name, response);
        self.render
            .render(&checked, &into.tally, &mut into.rendered);
        into.tally.add(&checked);
    }

    /// The event of one response that has only findings of rules beyond its body (a HAR entry
    /// below 400 reusing an idempotency key): `None` when the policy leaves none of them.
    pub fn findings_event(
        &self,
        name: &std::sync::Arc<str>,
        response: Response<'_>,
    ) -> Option<Event> {
        let checked = self.checker.check(name, response);
        if checked.diagnostics.is_empty() {
            return None;
        }
        let mut into = Checked::default();
        self.render
            .render(&checked, &into.tally, &mut into.rendered);
        into.tally.add(&checked);
        Some(Event::Checked(Box::new(into)))
    }

    /// The event of one response, checked and rendered.
    pub fn event(&self, name: &std::sync::Arc<str>, response: Response<'_>) -> Event {
        let mut checked = Checked::default();
        self.check_into(name, response, &mut checked);
        Event::Checked(Box::new(checked))
    }
}

/// Collects events in order, merging consecutive [`Event::Checked`] into one.
pub fn push(events: &mut Vec<Event>, event: Event) {
    if let Event::Checked(next) = event {
        match events.last_mut() {
            Some(Event::Checked(last)) => last.append(*next),
            _ => events.push(Event::Checked(next)),
        }
    } else {
        events.push(event);
    }
}

/// Walks the inputs in order; small files go through parallel batches.
fn feed(paths: &[std::ffi::OsString], stage: &Stage<'_>, sink: &mut Sink<'_>) -> io::Result<()> {
    let mut batch: Vec<Input> = Vec::new();
    for item in walk::walk(paths) {
        match item {
            WalkItem::Input(input) if input.size.is_some_and(|size| size <= SMALL_FILE) => {
                batch.push(input);
                if batch.len() >= FILE_BATCH {
                    run_batch(std::mem::take(&mut batch), stage, sink)?;
                }
            }
            WalkItem::Input(input) => {
                run_batch(std::mem::take(&mut batch), stage, sink)?;
                input::process(&input, stage, sink)?;
            }
            WalkItem::Problem { name, reason } => {
                run_batch(std::mem::take(&mut batch), stage, sink)?;
                sink(Event::Problem { name, reason })?;
                sink(Event::InputEnd { unreadable: true })?;
            }
            WalkItem::Note { name, note } => {
                run_batch(std::mem::take(&mut batch), stage, sink)?;
                sink(Event::Note { name, note })?;
            }
        }
    }
    run_batch(batch, stage, sink)
}

/// Checks a batch of small files, in parallel when there are several, and passes their events
/// on in input order.
fn run_batch(batch: Vec<Input>, stage: &Stage<'_>, sink: &mut Sink<'_>) -> io::Result<()> {
    match batch.as_slice() {
        [] => Ok(()),
        [single] => input::process(single, stage, sink),
        _ => {
            let results: Vec<Vec<Event>> = batch
                .par_iter()
                .map(|item| {
                    let mut events = Vec::new();
                    // Collecting into a Vec cannot fail.
                    let _ = input::process(item, stage, &mut |event| {
                        push(&mut events, event);
                        Ok(())
                    });
                    events
                })
                .collect();
            for event in results.into_iter().flatten() {
                sink(event)?;
            }
            Ok(())
        }
    }
}
