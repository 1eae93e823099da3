//! The `junit` report: JUnit XML, for CI systems that show test results, written as it goes.
//!
//! - every response is a `<testsuite>` of one `<testcase>`: `name` is the response's name
//!   (`a.ndjson:17`, `a.har#entry-3`), `classname` the input, so a CI view groups them by input;
//! - a failing response carries one `<failure>`: `type` is the first failing violation's rule,
//!   `message` that violation (`4:13: error[status-mismatch]: …`), the text every violation of
//!   the response with its help command;
//! - a response with warnings only passes, and lists its warnings in `<system-out>`;
//! - an unreadable input (or the unreadable part of one) is a test case with an `<error>`
//!   whose `type` is `unreadable`;
//! - the root `<testsuites>` names the catalog version the run checked against.
//!
//! JUnit puts a suite's counts before its test cases. A suite per response knows its counts
//! when it is written, so nothing is kept until the end and memory does not grow with the
//! number of responses. Nothing taken from an input reaches the XML raw: text is escaped with
//! [`escape_controls`] (XML 1.0 cannot carry most control characters at all), then for XML by
//! quick-xml.

use super::{Renderer, Setup, Writer};
use crate::check::diagnostic::{CheckedResponse, Diagnostic, Totals};
use crate::contract::rules::Severity;
use crate::term::escape_controls;
use quick_xml::escape::escape;
use std::io::{self, Write};

/// `4:13: error[status-mismatch]: message`, appended to `text`.
fn describe(text: &mut String, d: &Diagnostic) {
    let mut digits = itoa::Buffer::new();
    text.push_str(digits.format(d.line()));
    text.push(':');
    text.push_str(digits.format(d.column()));
    text.push_str(": ");
    text.push_str(d.severity.as_str());
    text.push('[');
    text.push_str(d.rule.as_str());
    text.push_str("]: ");
    text.push_str(&escape_controls(&d.message));
}

/// Every violation, one per line, each followed by its help command, appended to `text`.
fn describe_all<'d, 'a: 'd>(
    text: &mut String,
    diagnostics: impl Iterator<Item = &'d Diagnostic<'a>>,
) {
    for d in diagnostics {
        describe(text, d);
        let (kind, topic) = d.help_topic.words();
        for piece in ["\n    help: cyoda help ", kind, " ", topic, "\n"] {
            text.push_str(piece);
        }
    }
}

/// `text` escaped for XML text and attribute values.
fn xml(out: &mut Vec<u8>, text: &str) {
    // Most text has nothing to escape: one vectorized pass shows it, before quick-xml's
    // byte-at-a-time scan. Bitwise `&`, no branches: a `matches!` kept the pass from
    // vectorizing, 9 instructions a byte (callgrind).
    let plain = |b: u8| (b != b'<') & (b != b'>') & (b != b'&') & (b != b'\'') & (b != b'"');
    if crate::contract::text::every_byte(text.as_bytes(), plain) {
        out.extend_from_slice(text.as_bytes());
    } else {
        out.extend_from_slice(escape(text).as_bytes());
    }
}

/// One `<testsuite>` of one test case named by the concatenation of `name`: `failures` and
/// `errors` are 0 or 1; `body` writes what the test case holds (nothing: an empty element).
fn suite(
    out: &mut Vec<u8>,
    (name, classname): (&[&str], &str),
    (failures, errors): (bool, bool),
    body: impl FnOnce(&mut Vec<u8>),
) {
    let count = |flag: bool| if flag { "1" } else { "0" };
    let name = |out: &mut Vec<u8>| name.iter().for_each(|part| xml(out, part));
    out.extend_from_slice(b"  <testsuite name=\"");
    name(out);
    for piece in [
        "\" tests=\"1\" failures=\"",
        count(failures),
        "\" errors=\"",
        count(errors),
        "\" skipped=\"0\">\n    <testcase name=\"",
    ] {
        out.extend_from_slice(piece.as_bytes());
    }
    name(out);
    out.extend_from_slice(b"\" classname=\"");
    xml(out, classname);
    out.push(b'"');
    let open = out.len();
    out.extend_from_slice(b">\n");
    let before_body = out.len();
    body(out);
    if out.len() == before_body {
        out.truncate(open);
        out.extend_from_slice(b"/>\n");
    } else {
        out.extend_from_slice(b"    </testcase>\n");
    }
    out.extend_from_slice(b"  </testsuite>\n");
}

/// A test suite per response, written straight into the output (the `format!`s and
/// intermediate strings of a first version cost more than checking the response).
pub struct JunitRenderer;

impl Renderer for JunitRenderer {
    fn render(&self, response: &CheckedResponse, out: &mut Vec<u8>) {
        // The response's name (`captured.ndjson:17`) in parts, never built: a `format!` per
        // response cost a quarter of this report (callgrind).
        let classname = escape_controls(&response.input);
        let mut digits = itoa::Buffer::new();
        let [a, b, c, d, e] = response.locator.suffix(&mut digits).map(escape_controls);
        let name = [&*classname, &*a, &*b, &*c, &*d, &*e];
        // Room for a typical description, so that it is not regrown piece by piece.
        let mut text = String::with_capacity(256);
        suite(out, (&name, &classname), (response.failed, false), |out| {
            if response.failed {
                let first = response
                    .diagnostics
                    .iter()
                    .find(|d| d.severity == Severity::Error)
                    .or_else(|| response.diagnostics.first());
                if let Some(first) = first {
                    out.extend_from_slice(b"      <failure message=\"");
                    describe(&mut text, first);
                    xml(out, &text);
                    out.extend_from_slice(b"\" type=\"");
                    out.extend_from_slice(first.rule.as_str().as_bytes());
                    out.extend_from_slice(b"\">");
                    text.clear();
                    describe_all(&mut text, response.diagnostics.iter());
                    xml(out, &text);
                    out.extend_from_slice(b"</failure>\n");
                }
            } else if !response.diagnostics.is_empty() {
                out.extend_from_slice(b"      <system-out>");
                describe_all(&mut text, response.diagnostics.iter());
                xml(out, &text);
                out.extend_from_slice(b"</system-out>\n");
            }
        });
    }
}

/// Writes the root element around the suites.
pub struct JunitWriter<'w> {
    out: Box<dyn Write + 'w>,
    name: String,
    started: bool,
}

impl<'w> JunitWriter<'w> {
    pub fn new(out: Box<dyn Write + 'w>, setup: &Setup) -> Self {
        let name = if setup.checked_against.is_empty() {
            "cyoda check".to_string()
        } else {
            format!("cyoda check against {}", setup.checked_against)
        };
        JunitWriter {
            out,
            name,
            started: false,
        }
    }

    fn head(&mut self) -> io::Result<()> {
        if !self.started {
            self.started = true;
            writeln!(
                self.out,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"{}\">",
                escape(self.name.as_str())
            )?;
        }
        Ok(())
    }
}

impl Writer for JunitWriter<'_> {
    fn rendered(&mut self, rendered: &[u8]) -> io::Result<()> {
        self.head()?;
        self.out.write_all(rendered)
    }

    fn unreadable(&mut self, input: &str, reason: &str) -> io::Result<()> {
        self.head()?;
        let input = escape_controls(input);
        let mut text = Vec::new();
        suite(&mut text, (&[&input], &input), (false, true), |out| {
            out.extend_from_slice(b"      <error message=\"");
            xml(out, &escape_controls(reason));
            out.extend_from_slice(b"\" type=\"unreadable\"/>\n");
        });
        self.out.write_all(&text)
    }

    fn finish(&mut self, _totals: &Totals) -> io::Result<()> {
        self.head()?;
        self.out.write_all(b"</testsuites>\n")?;
        self.out.flush()
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
