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
use std::fmt::Write as _;
use std::io::{self, Write};

fn describe(d: &Diagnostic) -> String {
    format!(
        "{}:{}: {}[{}]: {}",
        d.line(),
        d.column(),
        d.severity.as_str(),
        d.rule,
        escape_controls(&d.message)
    )
}

/// Every violation, one per line, each followed by its help command.
fn describe_all<'d, 'a: 'd>(diagnostics: impl Iterator<Item = &'d Diagnostic<'a>>) -> String {
    let mut text = String::new();
    for d in diagnostics {
        text.push_str(&describe(d));
        text.push_str("\n    help: ");
        text.push_str("cyoda help ");
        text.push_str(&d.help_topic.to_string());
        text.push('\n');
    }
    text
}

/// One `<testsuite>` of one test case: `failures` and `errors` are 0 or 1.
fn suite(out: &mut String, name: &str, classname: &str, failures: u8, errors: u8, body: &str) {
    let name = escape(name);
    let _ = write!(
        out,
        "  <testsuite name=\"{name}\" tests=\"1\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"0\">\n    <testcase name=\"{name}\" classname=\"{}\"",
        escape(classname)
    );
    if body.is_empty() {
        out.push_str("/>\n");
    } else {
        out.push_str(">\n");
        out.push_str(body);
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n");
}

/// A test suite per response.
pub struct JunitRenderer;

impl Renderer for JunitRenderer {
    fn render(&self, response: &CheckedResponse, out: &mut Vec<u8>) {
        let name = escape_controls(&response.name()).into_owned();
        let classname = escape_controls(&response.input).into_owned();
        let mut body = String::new();
        if response.failed {
            let first = response
                .diagnostics
                .iter()
                .find(|d| d.severity == Severity::Error)
                .or_else(|| response.diagnostics.first());
            if let Some(first) = first {
                let _ = writeln!(
                    body,
                    "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                    escape(describe(first).as_str()),
                    first.rule,
                    escape(describe_all(response.diagnostics.iter()).as_str())
                );
            }
        } else if !response.diagnostics.is_empty() {
            let _ = writeln!(
                body,
                "      <system-out>{}</system-out>",
                escape(describe_all(response.diagnostics.iter()).as_str())
            );
        }
        let mut text = String::new();
        suite(
            &mut text,
            &name,
            &classname,
            u8::from(response.failed),
            0,
            &body,
        );
        out.extend_from_slice(text.as_bytes());
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
        let reason = escape_controls(reason);
        let body = format!(
            "      <error message=\"{}\" type=\"unreadable\"/>\n",
            escape(reason.as_ref())
        );
        let mut text = String::new();
        suite(&mut text, &input, &input, 0, 1, &body);
        self.out.write_all(text.as_bytes())
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
