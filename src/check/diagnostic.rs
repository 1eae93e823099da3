//! What a check finds, as data: each checked response with its diagnostics (rule, severity,
//! message, where it points, the source line around it), and the totals of a run. Reports
//! render these; nothing here knows a report format.

use crate::contract::rules::{RuleId, Severity};
use std::fmt;
use std::sync::Arc;

/// Where a response sits inside its input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Locator {
    /// The input is the response (a single JSON body, or an HTTP capture with one response).
    Whole,
    /// NDJSON: the 1-based line number.
    Line(usize),
    /// HAR: the 1-based index into `log.entries`.
    Entry(usize),
    /// HTTP capture holding several responses: the 1-based index among its final responses.
    Response(usize),
    /// A report of an API test tool (Newman, Bruno, Hurl): one request of its run.
    Step(Step),
}

impl fmt::Display for Locator {
    /// The suffix appended to the input name: ``, `:17`, `#entry-3`, `#response-2`,
    /// `#execution-4 (bad-title)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Locator::Whole => Ok(()),
            Locator::Line(line) => write!(f, ":{line}"),
            Locator::Entry(index) => write!(f, "#entry-{index}"),
            Locator::Response(index) => write!(f, "#response-{index}"),
            Locator::Step(step) => {
                write!(f, "#{}-{}", step.kind.as_str(), step.index)?;
                if !step.name.is_empty() {
                    write!(f, " ({})", step.name)?;
                }
                Ok(())
            }
        }
    }
}

/// One request of a test tool's report, as the tool names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub kind: StepKind,
    /// 1-based, counted across the whole report (every iteration, every file).
    pub index: usize,
    /// What the report calls it (a Newman item or Bruno request name, a Hurl `file:line`),
    /// escaped for display; empty when it has none. Shared by the findings of the response.
    pub name: Arc<str>,
}

impl fmt::Display for Step {
    /// `execution 4: bad-title`, for messages that name the step in words.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind.as_str(), self.index)?;
        if !self.name.is_empty() {
            write!(f, ": {}", self.name)?;
        }
        Ok(())
    }
}

/// What a tool's report calls one request: the word in the locator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepKind {
    /// Newman: `run.executions[]`.
    Execution,
    /// Bruno: `results[]` of each iteration.
    Result,
    /// Hurl: `entries[]` of each file.
    Entry,
}

impl StepKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Execution => "execution",
            StepKind::Result => "result",
            StepKind::Entry => "entry",
        }
    }
}

/// The input name of standard input.
pub const STDIN: &str = "<stdin>";

/// The offending source line, as far as it is known, and the highlighted part of it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snippet {
    /// The line's text (lossy UTF-8, no line terminator). Raw: renderers escape it.
    pub text: String,
    /// The highlighted characters of `text` (char indices, end exclusive; may be empty).
    pub span: std::ops::Range<usize>,
    /// The line continues before `text` (only part of it was in memory).
    pub cut_start: bool,
    /// The line continues after `text`.
    pub cut_end: bool,
}

/// A place in the input a diagnostic points at, with what to say there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// 1-based line in the input file.
    pub line: usize,
    /// 1-based column in the input file, counted in characters (Unicode scalar values).
    pub column: usize,
    pub snippet: Snippet,
    /// Short text printed under the caret, e.g. `expected 409`.
    pub text: Option<String>,
}

/// One violation, resolved: severity after `--allow`/`--warn`/`--deny`, position in the original
/// input file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: RuleId,
    pub severity: Severity,
    /// One sentence; text quoted from the response is already escaped by the rules.
    pub message: String,
    /// Dotted help topic (`errors.IDEMPOTENCY_CONFLICT`, `check.title-mismatch`).
    pub help_topic: String,
    /// JSON Pointer (RFC 6901) of the member reported on (`/properties/retryable`), or of the
    /// object lacking one (`/properties`); `None` when the target is not in the body, the body
    /// is not JSON, or the value lies deeper than the envelope's first two levels.
    pub pointer: Option<String>,
    /// Where the violation is.
    pub primary: Label,
    /// A second place that explains it (the first use of a reused idempotency key).
    pub secondary: Option<Label>,
}

impl Diagnostic {
    pub fn line(&self) -> usize {
        self.primary.line
    }

    pub fn column(&self) -> usize {
        self.primary.column
    }
}

/// One checked response and everything reported about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedResponse {
    /// The input as the user named it (`captured/a.har`, `<stdin>`).
    /// Shared by every response of the input, so a million NDJSON lines do not copy it.
    pub input: Arc<str>,
    pub locator: Locator,
    /// The body's `properties.errorCode`, when it has a string one.
    pub code: Option<String>,
    /// In order of position.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether this response fails the run (an error, or a warning under `--strict`).
    pub failed: bool,
}

impl CheckedResponse {
    /// The response's name: input plus locator (`a.ndjson:17`, `a.har#entry-3`).
    pub fn name(&self) -> String {
        format!("{}{}", self.input, self.locator)
    }

    /// The input has no file of its own to point at (standard input).
    pub fn from_stdin(&self) -> bool {
        &*self.input == STDIN
    }
}

/// Totals of a run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// Inputs opened (files and standard input), readable or not.
    pub inputs: usize,
    /// Responses checked.
    pub responses: usize,
    /// Responses that fail the run.
    pub failed: usize,
    /// Diagnostics at error severity.
    pub errors: usize,
    /// Diagnostics at warning severity.
    pub warnings: usize,
    /// HAR entries not checked because their status is below 400.
    pub skipped: usize,
    /// Inputs that could not be read (entirely or in part).
    pub unreadable: usize,
    /// Diagnostics per rule and severity, in rule order.
    pub by_rule: Vec<(RuleId, Severity, usize)>,
}

impl Totals {
    pub fn ok(&self) -> usize {
        self.responses.saturating_sub(self.failed)
    }

    pub fn add(&mut self, response: &CheckedResponse) {
        self.responses += 1;
        if response.failed {
            self.failed += 1;
        }
        for diagnostic in &response.diagnostics {
            match diagnostic.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
            }
            let key = (diagnostic.rule, diagnostic.severity);
            match self
                .by_rule
                .binary_search_by_key(&key, |&(rule, severity, _)| (rule, severity))
            {
                Ok(at) => {
                    if let Some(entry) = self.by_rule.get_mut(at) {
                        entry.2 += 1;
                    }
                }
                Err(at) => self.by_rule.insert(at, (key.0, key.1, 1)),
            }
        }
    }

    /// Whether nothing at all was there to check.
    pub fn nothing_found(&self) -> bool {
        self.responses == 0 && self.skipped == 0 && self.unreadable == 0
    }
}

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
    pub fn of(totals: &Totals) -> Outcome {
        if totals.unreadable > 0 || (totals.responses == 0 && totals.skipped == 0) {
            Outcome::Failed
        } else if totals.failed > 0 {
            Outcome::Findings
        } else {
            Outcome::Clean
        }
    }

    pub fn code(self) -> u8 {
        match self {
            Outcome::Clean => 0,
            Outcome::Findings => 1,
            Outcome::Failed => 2,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locators() {
        assert_eq!(Locator::Whole.to_string(), "");
        assert_eq!(Locator::Line(17).to_string(), ":17");
        assert_eq!(Locator::Entry(3).to_string(), "#entry-3");
        assert_eq!(Locator::Response(2).to_string(), "#response-2");
        let step = |name: &str| {
            Locator::Step(Step {
                kind: StepKind::Execution,
                index: 4,
                name: Arc::from(name),
            })
        };
        assert_eq!(step("bad-title").to_string(), "#execution-4 (bad-title)");
        assert_eq!(step("").to_string(), "#execution-4");
    }
}
