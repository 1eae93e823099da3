//! What a check finds, as data: each checked response with its diagnostics (rule, severity,
//! message, where it points, the source line around it), and the totals of a run. Reports
//! render these; nothing here knows a report format.

use crate::contract::rules::{HelpTopic, RuleId, Severity};

pub use super::position::{Excerpt, Pos, Snippet};
use std::borrow::Cow;
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

impl Locator {
    /// The suffix appended to the input name, in parts to write one after the other: `:` `17`,
    /// `#entry-` `3`, `#response-` `2`, `#execution-` `4` ` (` `bad-title` `)`, nothing for
    /// [`Locator::Whole`] (unused parts are empty). The number is written into `digits`.
    pub fn suffix<'d>(&'d self, digits: &'d mut itoa::Buffer) -> [&'d str; 5] {
        match self {
            Locator::Whole => [""; 5],
            Locator::Line(line) => [":", digits.format(*line), "", "", ""],
            Locator::Entry(index) => ["#entry-", digits.format(*index), "", "", ""],
            Locator::Response(index) => ["#response-", digits.format(*index), "", "", ""],
            Locator::Step(step) => {
                let number = digits.format(step.index);
                let kind = match step.kind {
                    StepKind::Execution => "#execution-",
                    StepKind::Result => "#result-",
                    StepKind::Entry => "#entry-",
                };
                if step.name.is_empty() {
                    [kind, number, "", "", ""]
                } else {
                    [kind, number, " (", &step.name, ")"]
                }
            }
        }
    }
}

impl fmt::Display for Locator {
    /// The suffix appended to the input name: ``, `:17`, `#entry-3`, `#response-2`,
    /// `#execution-4 (bad-title)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut digits = itoa::Buffer::new();
        self.suffix(&mut digits)
            .into_iter()
            .try_for_each(|part| f.write_str(part))
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

/// A place in the input a diagnostic points at, with what to say there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label<'a> {
    /// 1-based line in the input file.
    pub line: usize,
    /// 1-based column in the input file, counted in characters (Unicode scalar values).
    pub column: usize,
    /// Just after the highlighted part: its end, exclusive.
    pub end: Pos,
    /// The line around it, resolved when a report shows it ([`Excerpt::snippet`]).
    pub excerpt: Excerpt<'a>,
    /// Short text printed under the caret, e.g. `expected 409`.
    pub text: Option<String>,
}

/// One violation, resolved: severity after `--allow`/`--warn`/`--deny`, position in the original
/// input file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic<'a> {
    pub rule: RuleId,
    pub severity: Severity,
    /// One sentence; text quoted from the response is already escaped by the rules.
    pub message: String,
    /// The topic that explains it (`errors IDEMPOTENCY_CONFLICT`, `check title-mismatch`).
    pub help_topic: HelpTopic,
    /// JSON Pointer (RFC 6901) of the member reported on (`/properties/retryable`), or of the
    /// object lacking one (`/properties`); `None` when the target is not in the body, the body
    /// is not JSON, or the value lies deeper than the envelope's first two levels.
    pub pointer: Option<String>,
    /// Where the violation is.
    pub primary: Label<'a>,
    /// A second place that explains it (the first use of a reused idempotency key).
    pub secondary: Option<Label<'a>>,
}

impl<'a> Label<'a> {
    /// A label at `place`.
    pub fn at(place: super::position::Place<'a>, text: Option<String>) -> Self {
        Label {
            line: place.pos.line,
            column: place.pos.column,
            end: place.end,
            excerpt: place.excerpt,
            text,
        }
    }

    /// The line around the label, as a report shows it.
    pub fn snippet(&self) -> Snippet<'a> {
        self.excerpt.snippet()
    }
}

impl Label<'static> {
    /// A label at `pos` whose line is already resolved (`snippet`); its end is the end of the
    /// snippet's span, on the same line.
    pub fn kept(pos: Pos, snippet: Snippet<'static>, text: Option<String>) -> Self {
        let end = Pos {
            line: pos.line,
            column: pos.column + snippet.span.len(),
        };
        Label {
            line: pos.line,
            column: pos.column,
            end,
            excerpt: Excerpt::Kept(snippet),
            text,
        }
    }
}

impl Diagnostic<'_> {
    pub fn line(&self) -> usize {
        self.primary.line
    }

    pub fn column(&self) -> usize {
        self.primary.column
    }
}

/// One checked response and everything reported about it. It lives while its input's buffer
/// does: reports render it on the spot, and only their bytes and its [`Totals`] travel on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedResponse<'a> {
    /// The input as the user named it (`captured/a.har`, `<stdin>`).
    /// Shared by every response of the input, so a million NDJSON lines do not copy it.
    pub input: Arc<str>,
    pub locator: Locator,
    /// The body's `properties.errorCode`, when it has a string one (borrowed from the body
    /// unless it has escapes: a response costs no allocation for it).
    pub code: Option<Cow<'a, str>>,
    /// In order of position.
    pub diagnostics: Vec<Diagnostic<'a>>,
    /// Whether this response fails the run (an error, or a warning under `--strict`).
    pub failed: bool,
}

impl CheckedResponse<'_> {
    /// The response's name: input plus locator (`a.ndjson:17`, `a.har#entry-3`).
    pub fn name(&self) -> String {
        format!("{}{}", self.input, self.locator)
    }

    /// The input has no file of its own to point at (standard input).
    pub fn from_stdin(&self) -> bool {
        &*self.input == STDIN
    }
}

/// Diagnostics counted per rule and severity: a fixed table, so counting a finding never
/// allocates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleCounts([[usize; 2]; RuleId::ALL.len()]);

impl Default for RuleCounts {
    fn default() -> Self {
        RuleCounts([[0; 2]; RuleId::ALL.len()])
    }
}

impl RuleCounts {
    fn slot(severity: Severity) -> usize {
        match severity {
            Severity::Error => 0,
            Severity::Warning => 1,
        }
    }

    pub fn add(&mut self, rule: RuleId, severity: Severity, n: usize) {
        if let Some(count) = self
            .0
            .get_mut(rule.index())
            .and_then(|counts| counts.get_mut(Self::slot(severity)))
        {
            *count += n;
        }
    }

    /// The rules that fired, in rule order, errors before warnings: `(rule, severity, count)`.
    pub fn iter(&self) -> impl Iterator<Item = (RuleId, Severity, usize)> + '_ {
        RuleId::ALL.iter().zip(&self.0).flat_map(|(&rule, counts)| {
            [Severity::Error, Severity::Warning]
                .into_iter()
                .zip(*counts)
                .filter(|&(_, n)| n > 0)
                .map(move |(severity, n)| (rule, severity, n))
        })
    }

    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }

    fn merge(&mut self, other: &RuleCounts) {
        for (mine, theirs) in self.0.iter_mut().zip(&other.0) {
            mine[0] += theirs[0];
            mine[1] += theirs[1];
        }
    }
}

/// Totals of a run, or of some of its responses.
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
    /// Responses not checked because their status is below 400 (HAR entries, test tool
    /// requests; one that got no response counts too).
    pub skipped: usize,
    /// Inputs that could not be read (entirely or in part).
    pub unreadable: usize,
    /// Diagnostics per rule and severity.
    pub by_rule: RuleCounts,
}

impl Totals {
    pub fn ok(&self) -> usize {
        self.responses.saturating_sub(self.failed)
    }

    pub fn add(&mut self, response: &CheckedResponse<'_>) {
        self.responses += 1;
        if response.failed {
            self.failed += 1;
        }
        for diagnostic in &response.diagnostics {
            match diagnostic.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
            }
            self.by_rule.add(diagnostic.rule, diagnostic.severity, 1);
        }
    }

    /// Adds the counts of `other` (totals of other responses of the same run).
    pub fn merge(&mut self, other: &Totals) {
        self.inputs += other.inputs;
        self.responses += other.responses;
        self.failed += other.failed;
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.skipped += other.skipped;
        self.unreadable += other.unreadable;
        self.by_rule.merge(&other.by_rule);
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

    #[test]
    fn rule_counts_in_rule_order_errors_first() {
        let mut counts = RuleCounts::default();
        assert!(counts.is_empty());
        counts.add(RuleId::ReservedCode, Severity::Warning, 2);
        counts.add(RuleId::InvalidJson, Severity::Error, 1);
        counts.add(RuleId::ReservedCode, Severity::Error, 1);
        let mut more = RuleCounts::default();
        more.add(RuleId::ReservedCode, Severity::Warning, 3);
        counts.merge(&more);
        assert_eq!(
            counts.iter().collect::<Vec<_>>(),
            [
                (RuleId::InvalidJson, Severity::Error, 1),
                (RuleId::ReservedCode, Severity::Error, 1),
                (RuleId::ReservedCode, Severity::Warning, 5),
            ]
        );
    }
}
