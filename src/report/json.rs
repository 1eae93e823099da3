//! The `json` report: one JSON document, [`JsonReport`], whose types are public so that
//! consumers (and our tests) deserialize exactly what the renderer writes.
//!
//! ```text
//! {"schema":1,"catalog_version":"0.6.2","results":[
//! {"name":"captured/a.ndjson:2","input":"captured/a.ndjson","kind":"line","index":2,"failed":true,"violations":[…]}
//! ],"unreadable":[],"summary":{"inputs":1,"responses":3,…}}
//! ```
//!
//! It streams: the head is written first, then each response with at least one violation, one
//! per line, as it arrives; responses without violations are only counted. What stays in memory
//! until the end is the list of unreadable inputs, so memory is bounded by the largest response
//! plus the unreadable inputs, not by the number of responses or results. Hence the member
//! order: `summary` comes last, once the totals are known.
//!
//! `schema` is 1 and only changes for an incompatible change; new members may be added within
//! a schema.

use super::json_text::{self, Object};
use super::per_input::PerInput;
use super::{Renderer, Setup, Writer};
use crate::check::diagnostic::{CheckedResponse, Locator, StepKind, Totals};
use crate::contract::rules::Severity;
use serde::{Deserialize, Serialize};
use std::io::{self, Write};

/// The version of this document's shape.
pub const SCHEMA: u32 = 1;

/// The whole `json` report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonReport {
    /// Always [`SCHEMA`] (1).
    pub schema: u32,
    /// The cyoda-go version whose catalog the responses were checked against (`0.6.2`).
    pub catalog_version: String,
    /// Every response with at least one violation (failing, or warnings only), in input order.
    pub results: Vec<JsonResult>,
    /// Inputs, or parts of inputs, that could not be read, in input order.
    pub unreadable: Vec<JsonUnreadable>,
    pub summary: JsonSummary,
}

/// Totals of the run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonSummary {
    /// Inputs opened (files and standard input), readable or not.
    pub inputs: usize,
    /// Responses checked.
    pub responses: usize,
    /// Responses that pass (`responses - failed`).
    pub passed: usize,
    /// Responses that fail the run (an error, or a warning under `--strict`).
    pub failed: usize,
    /// Violations at error severity.
    pub errors: usize,
    /// Violations at warning severity.
    pub warnings: usize,
    /// Responses not checked because their status is below 400 (HAR entries, test tool
    /// requests; one that got no response counts too).
    pub skipped: usize,
    /// Inputs that could not be read, entirely or in part.
    pub unreadable: usize,
}

impl From<&Totals> for JsonSummary {
    fn from(totals: &Totals) -> Self {
        JsonSummary {
            inputs: totals.inputs,
            responses: totals.responses,
            passed: totals.ok(),
            failed: totals.failed,
            errors: totals.errors,
            warnings: totals.warnings,
            skipped: totals.skipped,
            unreadable: totals.unreadable,
        }
    }
}

/// Where a response sits in its input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JsonLocatorKind {
    /// The input is the response (a JSON body, or an HTTP capture of one response).
    Whole,
    /// A line of an NDJSON input; `index` is the line number.
    Line,
    /// An entry of a HAR capture (`index`: its 1-based position in `log.entries`) or of a Hurl
    /// report (counted across the report's files).
    Entry,
    /// One of several responses of an HTTP capture; `index` is its 1-based position.
    Response,
    /// An execution of a Newman report; `index` is its 1-based position in `run.executions`.
    Execution,
    /// A result of a Bruno report; `index` counts them across iterations, from 1.
    Result,
}

/// One response with violations.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonResult {
    /// Input and locator, as the human report names it: `a.json`, `a.ndjson:17`, `a.har#entry-3`.
    pub name: String,
    /// The input as given on the command line or found in a directory; `<stdin>` for stdin.
    pub input: String,
    /// What `index` counts.
    pub kind: JsonLocatorKind,
    /// 1-based line, entry or response number; `null` for `whole`.
    pub index: Option<usize>,
    /// Whether this response fails the run; `false` when it has warnings only.
    pub failed: bool,
    /// In order of position.
    pub violations: Vec<JsonViolation>,
}

/// The severity of one violation, after `--allow`/`--warn`/`--deny`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JsonSeverity {
    Error,
    Warning,
}

impl From<Severity> for JsonSeverity {
    fn from(severity: Severity) -> Self {
        match severity {
            Severity::Error => JsonSeverity::Error,
            Severity::Warning => JsonSeverity::Warning,
        }
    }
}

/// One violation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonViolation {
    /// The rule id (`title-mismatch`); `cyoda help check <rule>` explains it.
    pub rule: String,
    pub severity: JsonSeverity,
    /// One sentence; text quoted from the response has its control characters escaped.
    pub message: String,
    /// What was expected, when the rule says (`expected 409`); otherwise `null`.
    pub label: Option<String>,
    /// JSON Pointer (RFC 6901) of the member reported on (`/properties/retryable`), or of the
    /// object lacking a member (`/properties`, `""` for the top level); `null` when the
    /// violation is not about the body's structure (`invalid-json`, `http-status`,
    /// `content-type`) or lies deeper than the envelope's first two levels.
    pub pointer: Option<String>,
    /// 1-based line in the input file.
    pub line: usize,
    /// 1-based column in the input file, in characters.
    pub column: usize,
    /// The command that explains it: `cyoda help errors CONFLICT`, `cyoda help check title-mismatch`.
    pub help: String,
}

/// An input, or part of one, that could not be read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonUnreadable {
    pub input: String,
    /// Why, as on stderr: `no such file or directory`, `not valid UTF-8 text`, ….
    pub message: String,
}

impl JsonLocatorKind {
    fn as_str(self) -> &'static str {
        match self {
            JsonLocatorKind::Whole => "whole",
            JsonLocatorKind::Line => "line",
            JsonLocatorKind::Entry => "entry",
            JsonLocatorKind::Response => "response",
            JsonLocatorKind::Execution => "execution",
            JsonLocatorKind::Result => "result",
        }
    }

    /// The kind and index of a locator.
    fn of(locator: &Locator) -> (Self, Option<usize>) {
        match *locator {
            Locator::Whole => (JsonLocatorKind::Whole, None),
            Locator::Line(n) => (JsonLocatorKind::Line, Some(n)),
            Locator::Entry(n) => (JsonLocatorKind::Entry, Some(n)),
            Locator::Response(n) => (JsonLocatorKind::Response, Some(n)),
            Locator::Step(ref step) => {
                let kind = match step.kind {
                    StepKind::Execution => JsonLocatorKind::Execution,
                    StepKind::Result => JsonLocatorKind::Result,
                    StepKind::Entry => JsonLocatorKind::Entry,
                };
                (kind, Some(step.index))
            }
        }
    }
}

/// Writes `response` as a [`JsonResult`], member by member, straight into `out`; `input` is
/// the response's input already escaped (the content of its JSON string).
fn write_result(out: &mut Vec<u8>, response: &CheckedResponse<'_>, input: &[u8]) {
    let (kind, index) = JsonLocatorKind::of(&response.locator);
    let mut digits = itoa::Buffer::new();
    let suffix = response.locator.suffix(&mut digits);
    let mut result = Object::open(out);
    let name = result.member("name");
    name.push(b'"');
    name.extend_from_slice(input);
    // `:17`, `#entry-3`, or a test tool's step with its name (`#execution-4 (bad-title)`).
    for part in suffix {
        json_text::escaped(name, part);
    }
    name.push(b'"');
    let quoted = result.member("input");
    quoted.push(b'"');
    quoted.extend_from_slice(input);
    quoted.push(b'"');
    result
        .plain_str("kind", kind.as_str())
        .opt_number("index", index)
        .bool("failed", response.failed);
    let violations = result.member("violations");
    violations.push(b'[');
    for (at, d) in response.diagnostics.iter().enumerate() {
        if at > 0 {
            violations.push(b',');
        }
        let (kind, topic) = d.help_topic.words();
        let mut violation = Object::open(violations);
        violation
            .plain_str("rule", d.rule.as_str())
            .plain_str("severity", d.severity.as_str())
            .str("message", &d.message)
            .opt_str("label", d.primary.text.as_deref())
            .opt_str("pointer", d.pointer.as_deref())
            .number("line", d.line())
            .number("column", d.column())
            .str_of("help", &["cyoda help ", kind, " ", topic]);
        violation.close();
    }
    violations.push(b']');
    result.close();
}

/// Renders a response with violations as one [`JsonResult`] (nothing for a clean one).
#[derive(Default)]
pub struct JsonRenderer {
    /// The input's name escaped once per input, not once per response.
    inputs: PerInput<Vec<u8>>,
}

impl Renderer for JsonRenderer {
    /// `,` newline, the result: the array's separator comes first, so the writer passes a
    /// whole batch on as it is (it drops the comma of the document's first result).
    fn render(&self, response: &CheckedResponse<'_>, out: &mut Vec<u8>) {
        if response.diagnostics.is_empty() {
            return;
        }
        let input = self.inputs.get(&response.input, |input| {
            let mut escaped = Vec::with_capacity(input.len());
            json_text::escaped(&mut escaped, input);
            escaped
        });
        out.extend_from_slice(b",\n");
        write_result(out, response, &input);
    }
}

/// Writes the document: head, the rendered results one per line, then the totals.
pub struct JsonWriter<'w> {
    out: Box<dyn Write + 'w>,
    catalog_version: String,
    started: bool,
    /// Whether a result has been written.
    results: bool,
    unreadable: Vec<JsonUnreadable>,
}

impl<'w> JsonWriter<'w> {
    pub fn new(out: Box<dyn Write + 'w>, setup: &Setup) -> Self {
        JsonWriter {
            out,
            catalog_version: setup.version.clone(),
            started: false,
            results: false,
            unreadable: Vec::new(),
        }
    }

    /// `{"schema":1,"catalog_version":…,"results":[`, once.
    fn head(&mut self) -> io::Result<()> {
        if !self.started {
            self.started = true;
            write!(
                self.out,
                "{{\"schema\":{SCHEMA},\"catalog_version\":{},\"results\":[",
                serde_json::to_string(&self.catalog_version)?
            )?;
        }
        Ok(())
    }
}

impl Writer for JsonWriter<'_> {
    fn rendered(&mut self, rendered: &[u8]) -> io::Result<()> {
        if rendered.is_empty() {
            return Ok(());
        }
        self.head()?;
        let rendered = match (self.results, rendered.strip_prefix(b",")) {
            (false, Some(first)) => first,
            _ => rendered,
        };
        self.results = true;
        self.out.write_all(rendered)
    }

    fn unreadable(&mut self, input: &str, reason: &str) -> io::Result<()> {
        self.unreadable.push(JsonUnreadable {
            input: input.to_string(),
            message: reason.to_string(),
        });
        Ok(())
    }

    fn finish(&mut self, totals: &Totals) -> io::Result<()> {
        self.head()?;
        if self.results {
            self.out.write_all(b"\n")?;
        }
        self.out.write_all(b"],\"unreadable\":")?;
        super::to_writer_terminal_safe(&mut self.out, &self.unreadable)?;
        self.out.write_all(b",\"summary\":")?;
        super::to_writer_terminal_safe(&mut self.out, &JsonSummary::from(totals))?;
        self.out.write_all(b"}\n")?;
        self.out.flush()
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::diagnostic::{Diagnostic, Label, Pos, Snippet};
    use crate::contract::rules::HelpTopic;
    use crate::contract::rules::RuleId;

    fn response(locator: Locator, diagnostics: usize) -> CheckedResponse<'static> {
        let diagnostic = Diagnostic {
            rule: RuleId::RetryableMismatch,
            severity: Severity::Error,
            message: "properties.retryable is true, but X is documented as not retryable".into(),
            help_topic: HelpTopic::Code("X".into()),
            pointer: Some("/properties/retryable".into()),
            primary: Label::kept(
                Pos {
                    line: 3,
                    column: 40,
                },
                Snippet::default(),
                Some("expected false".into()),
            ),
            secondary: None,
        };
        CheckedResponse {
            input: "a\u{1b}.ndjson".into(),
            locator,
            code: None,
            diagnostics: vec![diagnostic; diagnostics],
            failed: diagnostics > 0,
        }
    }

    fn render(responses: &[CheckedResponse], unreadable: &[(&str, &str)]) -> String {
        let mut out = Vec::new();
        {
            let setup = Setup {
                version: "0.6.2".into(),
                ..Setup::default()
            };
            let mut json = JsonWriter::new(Box::new(&mut out), &setup);
            let mut totals = Totals::default();
            for r in responses {
                totals.add(r);
                let mut rendered = Vec::new();
                JsonRenderer::default().render(r, &mut rendered);
                json.rendered(&rendered).unwrap();
            }
            for (input, reason) in unreadable {
                json.unreadable(input, reason).unwrap();
                totals.unreadable += 1;
            }
            json.finish(&totals).unwrap();
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn round_trips_through_the_public_types() {
        let out = render(
            &[
                response(Locator::Line(1), 0),
                response(Locator::Line(3), 2),
                response(Locator::Whole, 1),
            ],
            &[("gone.json", "no such file or directory")],
        );
        let report: JsonReport = serde_json::from_str(&out).unwrap();
        assert_eq!(report.schema, 1);
        assert_eq!(report.catalog_version, "0.6.2");
        assert_eq!(report.results.len(), 2);
        let first = &report.results[0];
        assert_eq!(first.name, "a\u{1b}.ndjson:3");
        assert_eq!((first.kind, first.index), (JsonLocatorKind::Line, Some(3)));
        assert_eq!(
            first.violations[0].pointer.as_deref(),
            Some("/properties/retryable")
        );
        assert_eq!(first.violations[0].label.as_deref(), Some("expected false"));
        assert_eq!(first.violations[0].help, "cyoda help errors X");
        assert_eq!(report.results[1].index, None);
        assert_eq!(report.unreadable[0].input, "gone.json");
        assert_eq!(report.summary.responses, 3);
        assert_eq!(report.summary.passed, 1);
        assert_eq!(report.summary.errors, 3);
        // One result per line; no raw control character anywhere.
        assert_eq!(out.lines().count(), 4);
        assert!(!out.contains('\u{1b}'));
        // The streamed text is what serde would write for the same value.
        let reserialized = serde_json::to_value(&report).unwrap();
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&out).unwrap(),
            reserialized
        );
    }

    /// The result written member by member is byte for byte what serde_json writes for the
    /// public type, escapes included.
    #[test]
    fn results_are_written_exactly_as_serde_writes_them() {
        let mut response = response(Locator::Entry(7), 2);
        response.diagnostics[1].message = "title \"Conflict\u{202e}\" is wrong: é\t\u{7f}".into();
        response.diagnostics[1].primary.text = None;
        response.diagnostics[1].pointer = None;
        response.diagnostics[1].severity = Severity::Warning;
        response.diagnostics[1].help_topic = RuleId::TitleMismatch.topic();
        let mut ours = Vec::new();
        JsonRenderer::default().render(&response, &mut ours);
        let expected = JsonResult {
            name: response.name(),
            input: response.input.to_string(),
            kind: JsonLocatorKind::Entry,
            index: Some(7),
            failed: true,
            violations: response
                .diagnostics
                .iter()
                .map(|d| JsonViolation {
                    rule: d.rule.to_string(),
                    severity: d.severity.into(),
                    message: d.message.clone(),
                    label: d.primary.text.clone(),
                    pointer: d.pointer.clone(),
                    line: d.line(),
                    column: d.column(),
                    help: format!("cyoda help {}", d.help_topic),
                })
                .collect(),
        };
        let mut theirs = Vec::new();
        crate::report::to_writer_terminal_safe(&mut theirs, &expected).unwrap();
        assert_eq!(
            String::from_utf8(ours).unwrap(),
            format!(",\n{}", String::from_utf8(theirs).unwrap())
        );
    }

    /// The locators of test tool reports: their kinds, and a name with quotes and escapes.
    #[test]
    fn step_results_are_written_exactly_as_serde_writes_them() {
        use crate::check::diagnostic::Step;
        for (kind, expected) in [
            (StepKind::Execution, JsonLocatorKind::Execution),
            (StepKind::Result, JsonLocatorKind::Result),
            (StepKind::Entry, JsonLocatorKind::Entry),
        ] {
            for name in ["", "bad \"title\" \u{1b}[31m é\t\u{202e}"] {
                let response = response(
                    Locator::Step(Step {
                        kind,
                        index: 12,
                        name: name.into(),
                    }),
                    1,
                );
                let mut ours = Vec::new();
                JsonRenderer::default().render(&response, &mut ours);
                let text = String::from_utf8(ours).unwrap();
                let result: JsonResult = serde_json::from_str(&text[2..]).unwrap();
                assert_eq!(result.name, response.name());
                assert_eq!((result.kind, result.index), (expected, Some(12)));
                let mut theirs = Vec::new();
                crate::report::to_writer_terminal_safe(&mut theirs, &result).unwrap();
                assert_eq!(text, format!(",\n{}", String::from_utf8(theirs).unwrap()));
            }
        }
    }

    #[test]
    fn an_empty_run_is_a_complete_document() {
        let report: JsonReport = serde_json::from_str(&render(&[], &[])).unwrap();
        assert!(report.results.is_empty() && report.unreadable.is_empty());
    }
}
