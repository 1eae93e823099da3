//! The `junit` report: JUnit XML through `quick-junit`, for CI systems that show test results.
//!
//! - one `<testsuite>` per input (named by the input), one `<testcase>` per response: `name` is
//!   the response's name (`a.ndjson:17`, `a.har#entry-3`), `classname` the input;
//! - a failing response carries one `<failure>`: `type` is the first failing violation's rule,
//!   `message` that violation (`4:13: error[status-mismatch]: …`), the text every violation of
//!   the response with its help command;
//! - a response with warnings only passes, and lists its warnings in `<system-out>`;
//! - an unreadable input (or the unreadable part of one) is a test case with an `<error>`
//!   whose `type` is `unreadable`.
//!
//! JUnit puts each suite's counts before its test cases, and `quick-junit` serializes a whole
//! report at once, so this report keeps one small record per response until the end: memory
//! grows with the number of responses (unlike `json`, `github` and `sarif`). Nothing taken from
//! an input reaches the XML raw: text is escaped with [`escape_controls`] before `quick-junit`
//! escapes it for XML.

use super::{CheckedResponse, Diagnostic, Report, Summary, help_command};
use crate::term::escape_controls;
use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};
use std::io::{self, Write};

/// The `junit` report over a writer.
pub struct Junit<W: Write> {
    out: W,
    report: quick_junit::Report,
    /// The suite of the input being read; pushed when another input starts or at the end.
    suite: Option<TestSuite>,
}

impl<W: Write> Junit<W> {
    pub fn new(out: W) -> Self {
        Junit {
            out,
            report: quick_junit::Report::new("cyoda check"),
            suite: None,
        }
    }

    pub fn into_inner(self) -> W {
        self.out
    }

    /// The suite of `input`, starting a new one when the input changed.
    fn suite(&mut self, input: &str) -> &mut TestSuite {
        let name = escape_controls(input);
        if self
            .suite
            .as_ref()
            .is_some_and(|suite| suite.name.as_str() != name)
            && let Some(done) = self.suite.take()
        {
            self.report.add_test_suite(done);
        }
        self.suite.get_or_insert_with(|| TestSuite::new(name))
    }
}

/// `4:13: error[status-mismatch]: status is 422, …`.
fn describe(d: &Diagnostic) -> String {
    format!(
        "{}:{}: {}[{}]: {}",
        d.line,
        d.column,
        d.severity.as_str(),
        d.rule,
        escape_controls(&d.message)
    )
}

/// Every violation, one per line, each followed by its help command.
fn describe_all(diagnostics: &[Diagnostic]) -> String {
    let mut text = String::new();
    for d in diagnostics {
        text.push_str(&describe(d));
        text.push_str("\n    help: ");
        text.push_str(&escape_controls(&help_command(&d.help_topic)));
        text.push('\n');
    }
    text
}

/// A writer that remembers the kind of its last error: `quick-junit` wraps I/O errors in its
/// own type, which would hide a broken pipe from the driver.
struct Recording<W: Write> {
    inner: W,
    failure: Option<io::ErrorKind>,
}

impl<W: Write> Write for Recording<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner
            .write(buf)
            .inspect_err(|e| self.failure = Some(e.kind()))
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner
            .flush()
            .inspect_err(|e| self.failure = Some(e.kind()))
    }
}

impl<W: Write> Report for Junit<W> {
    fn response(&mut self, response: &CheckedResponse) -> io::Result<()> {
        let name = escape_controls(&response.name()).into_owned();
        let classname = escape_controls(&response.input).into_owned();
        let mut case = if response.failed {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            let first = response
                .diagnostics
                .iter()
                .find(|d| d.severity == crate::contract::rules::Severity::Error)
                .or(response.diagnostics.first());
            if let Some(first) = first {
                status.set_type(first.rule.as_str());
                status.set_message(describe(first));
            }
            status.set_description(describe_all(&response.diagnostics));
            TestCase::new(name, status)
        } else {
            let mut case = TestCase::new(name, TestCaseStatus::success());
            if !response.diagnostics.is_empty() {
                case.set_system_out(describe_all(&response.diagnostics));
            }
            case
        };
        case.set_classname(classname);
        self.suite(&response.input).add_test_case(case);
        Ok(())
    }

    fn unreadable(&mut self, input: &str, reason: &str) -> io::Result<()> {
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
        status.set_type("unreadable");
        status.set_message(escape_controls(reason));
        let mut case = TestCase::new(escape_controls(input), status);
        case.set_classname(escape_controls(input));
        self.suite(input).add_test_case(case);
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        if let Some(done) = self.suite.take() {
            self.report.add_test_suite(done);
        }
        if !summary.checked_against.is_empty() {
            self.report.name =
                Some(format!("cyoda check against {}", summary.checked_against).into());
        }
        let mut out = Recording {
            inner: &mut self.out,
            failure: None,
        };
        if let Err(error) = self.report.serialize(&mut out) {
            // Keep the writer's own error (a closed pipe must stay a closed pipe).
            return Err(match out.failure {
                Some(kind) => io::Error::new(kind, error),
                None => io::Error::other(error),
            });
        }
        self.out.flush()
    }

    fn flush(&mut self) -> io::Result<()> {
        // Nothing is written before `finish`.
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::rules::{RuleId, Severity};
    use crate::report::{Locator, Snippet};

    fn diagnostic(rule: RuleId, severity: Severity) -> Diagnostic {
        Diagnostic {
            rule,
            severity,
            message: "bad \u{1b} <thing> & more".into(),
            label: None,
            help_topic: rule.topic(),
            line: 2,
            column: 5,
            pointer: None,
            snippet: Snippet::default(),
        }
    }

    #[test]
    fn suites_cases_failures_and_warnings() {
        let mut junit = Junit::new(Vec::new());
        let responses = [
            ("a.ndjson", Locator::Line(1), vec![], false),
            (
                "a.ndjson",
                Locator::Line(2),
                vec![
                    diagnostic(RuleId::DetailPrefix, Severity::Warning),
                    diagnostic(RuleId::TitleMismatch, Severity::Error),
                ],
                true,
            ),
            (
                "b.json",
                Locator::Whole,
                vec![diagnostic(RuleId::DetailPrefix, Severity::Warning)],
                false,
            ),
        ];
        for (input, locator, diagnostics, failed) in responses {
            junit
                .response(&CheckedResponse {
                    input: input.into(),
                    locator,
                    diagnostics,
                    failed,
                })
                .unwrap();
        }
        junit.unreadable("c.json", "no such file").unwrap();
        junit.finish(&Summary::default()).unwrap();
        let xml = String::from_utf8(junit.into_inner()).unwrap();
        assert!(!xml.contains('\u{1b}'));
        assert!(
            xml.contains(
                r#"<testsuites name="cyoda check" tests="4" skipped="0" failures="1" errors="1""#
            ),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<testsuite name="a.ndjson" tests="2""#),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<failure message="2:5: error[title-mismatch]: bad \u{1b} &lt;thing&gt; &amp; more" type="title-mismatch">"#),
            "{xml}"
        );
        assert!(
            xml.contains("help: cyoda help check detail-prefix"),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<error message="no such file" type="unreadable"/>"#),
            "{xml}"
        );
    }
}
