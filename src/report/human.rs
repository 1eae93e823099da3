//! The human report: one block per violation, rustc style, then the summary line and a tally
//! per rule.
//!
//! ```text
//! captured/a.json:4:13: error[status-mismatch]: status is 422, but IDEMPOTENCY_CONFLICT is documented with 409
//!   |
//! 4 |   "status": 422,
//!   |             ^^^ expected 409
//!   |
//!   = help: cyoda help errors IDEMPOTENCY_CONFLICT
//! ```
//!
//! The title line is ours (`file:line:col: severity[rule]: message`, which editors and CI
//! logs turn into links); the snippet, carets, labels and the help line are laid out as rustc
//! and cargo lay them out ([`super::snippet`]). A finding with a second place (an idempotency
//! key's first use) shows both.
//!
//! Nothing taken from an input reaches the writer raw: messages, paths and snippet lines go
//! through [`crate::term::escape_controls`], and spans are moved onto the escaped text so that
//! the carets still sit under what they point at.

use super::{Setup, Writer, count, snippet, thousands};
use crate::check::diagnostic::{CheckedResponse, Diagnostic, Label, Locator, Totals};
use crate::check::position::Snippet;
use crate::contract::rules::Severity;
use crate::term::escape_controls;
use anstyle::{AnsiColor, Style};
use std::io::{self, Write};

/// Styles of the report; all plain when colour is off. The snippet's are rustc's.
#[derive(Clone, Copy, Debug, Default)]
pub struct Styles {
    error: Style,
    warning: Style,
    location: Style,
    /// The line numbers, bars and `:::` of a snippet.
    pub gutter: Style,
    /// The marks and label of an error's span.
    pub error_mark: Style,
    /// The marks and label of a warning's span.
    pub warning_mark: Style,
    /// The word `help` of the help line.
    pub help: Style,
}

impl Styles {
    /// The styles for a terminal that shows colour (`color`), or none.
    pub fn for_terminal(color: bool) -> Self {
        if !color {
            return Styles::default();
        }
        let bold = Style::new().bold();
        Styles {
            error: bold.fg_color(Some(AnsiColor::Red.into())),
            warning: bold.fg_color(Some(AnsiColor::Yellow.into())),
            location: bold,
            gutter: bold.fg_color(Some(AnsiColor::BrightBlue.into())),
            error_mark: bold.fg_color(Some(AnsiColor::BrightRed.into())),
            warning_mark: bold.fg_color(Some(AnsiColor::Yellow.into())),
            help: bold,
        }
    }

    fn severity(&self, severity: Severity) -> Style {
        match severity {
            Severity::Error => self.error,
            Severity::Warning => self.warning,
        }
    }

    fn mark(&self, severity: Severity) -> Style {
        match severity {
            Severity::Error => self.error_mark,
            Severity::Warning => self.warning_mark,
        }
    }
}

/// Renders each response's diagnostics.
pub struct HumanRenderer {
    styles: Styles,
}

impl HumanRenderer {
    pub fn new(color: bool) -> Self {
        HumanRenderer {
            styles: Styles::for_terminal(color),
        }
    }

    fn diagnostic(&self, out: &mut Vec<u8>, response: &CheckedResponse<'_>, d: &Diagnostic<'_>) {
        // Written piece by piece, not with `write!`: the formatting machinery cost more per
        // finding than checking the response (callgrind).
        let styles = self.styles;
        let severity = styles.severity(d.severity);
        let input = escape_controls(&response.input);
        let mut number = itoa::Buffer::new();
        snippet::styled_with(out, styles.location, |out| {
            out.extend_from_slice(input.as_bytes());
            out.push(b':');
            out.extend_from_slice(number.format(d.line()).as_bytes());
            out.push(b':');
            out.extend_from_slice(number.format(d.column()).as_bytes());
            out.push(b':');
        });
        out.push(b' ');
        snippet::styled_with(out, severity, |out| {
            out.extend_from_slice(d.severity.as_str().as_bytes());
            out.push(b'[');
            out.extend_from_slice(d.rule.as_str().as_bytes());
            out.extend_from_slice(b"]:");
        });
        out.push(b' ');
        out.extend_from_slice(escape_controls(&d.message).as_bytes());
        let (word, index) = match &response.locator {
            Locator::Entry(index) => ("entry", *index),
            Locator::Response(index) => ("response", *index),
            Locator::Step(step) => {
                // The step's name is escaped for display already; a test tool's report is
                // rarer than a finding-per-line NDJSON, so `write!` is fine here.
                let _ = write!(out, " ({step})");
                ("", 0)
            }
            Locator::Whole | Locator::Line(_) => ("", 0),
        };
        if !word.is_empty() {
            out.extend_from_slice(b" (");
            out.extend_from_slice(word.as_bytes());
            out.push(b' ');
            out.extend_from_slice(number.format(index).as_bytes());
            out.push(b')');
        }
        out.push(b'\n');

        let primary_snippet = d.primary.snippet();
        let primary = shown(&d.primary, &primary_snippet);
        let secondary_snippet = d.secondary.as_ref().map(Label::snippet);
        let secondary =
            d.secondary
                .as_ref()
                .zip(secondary_snippet.as_ref())
                .map(|(label, snippet)| {
                    (
                        shown(label, snippet),
                        format!("{input}:{}:{}", label.line, label.column),
                    )
                });
        let (kind, topic) = d.help_topic.words();
        snippet::draw(
            out,
            &styles,
            (&primary, styles.mark(d.severity)),
            secondary
                .as_ref()
                .map(|(place, path)| (place, path.as_str())),
            &["cyoda help ", kind, " ", topic],
        );
        out.push(b'\n');
    }
}

/// A label as the snippet shows it.
fn shown<'a>(label: &'a Label<'_>, snippet: &'a Snippet<'_>) -> snippet::Place<'a> {
    snippet::Place::new(
        label.line,
        &snippet.text,
        snippet.span.clone(),
        (snippet.cut_start, snippet.cut_end),
        label.text.as_deref(),
    )
}

impl super::Renderer for HumanRenderer {
    fn render(&self, response: &CheckedResponse<'_>, out: &mut Vec<u8>) {
        for d in &response.diagnostics {
            self.diagnostic(out, response, d);
        }
    }
}

/// Writes the rendered diagnostics, then the summary.
pub struct HumanWriter<'w> {
    out: Box<dyn Write + 'w>,
    checked_against: String,
    location: Style,
}

impl<'w> HumanWriter<'w> {
    pub fn new(out: Box<dyn Write + 'w>, color: bool, setup: &Setup) -> Self {
        HumanWriter {
            out,
            checked_against: setup.checked_against.clone(),
            location: Styles::for_terminal(color).location,
        }
    }
}

impl Writer for HumanWriter<'_> {
    fn rendered(&mut self, rendered: &[u8]) -> io::Result<()> {
        self.out.write_all(rendered)
    }

    fn finish(&mut self, totals: &Totals) -> io::Result<()> {
        let bold = self.location;
        writeln!(
            self.out,
            "{bold}{}{bold:#}",
            summary_line(totals, &self.checked_against)
        )?;
        for line in tally(totals) {
            writeln!(self.out, "{line}")?;
        }
        self.out.flush()
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// The closing line: `checked 1,204 responses in 3 inputs against cyoda-go 0.8.3: 1,198 ok,
/// 6 failed (9 errors, 2 warnings)`, plus the responses skipped (a HAR entry or a test tool's
/// request below 400) and unreadable inputs when there are any.
pub fn summary_line(totals: &Totals, checked_against: &str) -> String {
    let against = if checked_against.is_empty() {
        String::new()
    } else {
        format!(" against {checked_against}")
    };
    let mut line = format!(
        "checked {} in {}{against}: {} ok, {} failed",
        count(totals.responses, "response", "responses"),
        count(totals.inputs, "input", "inputs"),
        thousands(totals.ok()),
        thousands(totals.failed),
    );
    if totals.errors + totals.warnings > 0 {
        line.push_str(&format!(
            " ({}, {})",
            count(totals.errors, "error", "errors"),
            count(totals.warnings, "warning", "warnings")
        ));
    }
    if totals.skipped > 0 {
        line.push_str(&format!(
            "; {} with status below 400 skipped",
            count(totals.skipped, "response", "responses")
        ));
    }
    if totals.unreadable > 0 {
        line.push_str(&format!(
            "; {} could not be read",
            count(totals.unreadable, "input", "inputs")
        ));
    }
    line
}

/// One line per rule that fired more than once, most frequent first: what the reader of a
/// long CI log wants after the summary (`  199,995 × reserved-code (warning)`).
pub fn tally(totals: &Totals) -> Vec<String> {
    let mut repeated: Vec<_> = totals.by_rule.iter().filter(|&(_, _, n)| n > 1).collect();
    repeated.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    let width = repeated.first().map_or(0, |&(_, _, n)| thousands(n).len());
    repeated
        .into_iter()
        .map(|(rule, severity, n)| {
            format!(
                "  {:>width$} × {rule} ({})",
                thousands(n),
                severity.as_str()
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::diagnostic::{Pos, Snippet};
    use crate::contract::rules::RuleId;
    use crate::report::Renderer as _;
    use std::ops::Range;

    fn diagnostic(text: &str, span: Range<usize>) -> Diagnostic<'static> {
        Diagnostic {
            rule: RuleId::TitleMismatch,
            severity: Severity::Error,
            message: "title is wrong".into(),
            help_topic: RuleId::TitleMismatch.topic(),
            pointer: None,
            primary: Label::kept(
                Pos {
                    line: 3,
                    column: span.start + 1,
                },
                Snippet {
                    text: text.to_string().into(),
                    span,
                    cut_start: false,
                    cut_end: false,
                },
                Some("expected \"Bad Request\"".into()),
            ),
            secondary: None,
        }
    }

    fn render(diagnostics: Vec<Diagnostic>, color: bool) -> String {
        let response = CheckedResponse {
            input: "a.json".into(),
            locator: Locator::Whole,
            code: None,
            diagnostics,
            failed: true,
        };
        let mut out = Vec::new();
        HumanRenderer::new(color).render(&response, &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn title_line_snippet_caret_label_and_help() {
        let out = render(
            vec![diagnostic("  \"title\": \"Conflict\",", 11..21)],
            false,
        );
        assert_eq!(
            out,
            "a.json:3:12: error[title-mismatch]: title is wrong\n  |\n3 |   \"title\": \"Conflict\",\n  |            ^^^^^^^^^^ expected \"Bad Request\"\n  |\n  = help: cyoda help check title-mismatch\n\n"
        );
    }

    #[test]
    fn controls_are_escaped_and_carets_stay_under_their_text() {
        let out = render(vec![diagnostic("\u{1b}[31m \"x\"", 6..9)], false);
        assert!(!out.contains('\u{1b}'), "{out:?}");
        let lines: Vec<&str> = out.lines().collect();
        let text = lines[2];
        let carets = lines[3];
        let at = carets.find('^').unwrap();
        assert_eq!(&text[at..at + 3], "\"x\"", "{out}");
    }

    #[test]
    fn an_empty_span_still_gets_a_caret() {
        let out = render(vec![diagnostic("{\"a\": 1", 7..7)], false);
        assert!(out.contains('^'), "{out}");
    }

    #[test]
    fn colour_only_when_asked() {
        assert!(!render(vec![diagnostic("x", 0..1)], false).contains('\u{1b}'));
        assert!(render(vec![diagnostic("x", 0..1)], true).contains("\u{1b}[1m"));
    }

    #[test]
    fn summary_wording_and_tally() {
        let mut totals = Totals {
            inputs: 3,
            responses: 1204,
            failed: 6,
            errors: 9,
            warnings: 2,
            ..Totals::default()
        };
        assert_eq!(
            summary_line(&totals, "cyoda-go 0.8.3"),
            "checked 1,204 responses in 3 inputs against cyoda-go 0.8.3: 1,198 ok, 6 failed (9 errors, 2 warnings)"
        );
        totals
            .by_rule
            .add(RuleId::StatusMismatch, Severity::Error, 1);
        totals
            .by_rule
            .add(RuleId::ReservedCode, Severity::Warning, 1_204);
        totals
            .by_rule
            .add(RuleId::DetailPrefix, Severity::Warning, 2);
        assert_eq!(
            tally(&totals),
            [
                "  1,204 × reserved-code (warning)",
                "      2 × detail-prefix (warning)"
            ]
        );
        let totals = Totals {
            inputs: 1,
            responses: 1,
            skipped: 1,
            unreadable: 1,
            ..Totals::default()
        };
        assert_eq!(
            summary_line(&totals, ""),
            "checked 1 response in 1 input: 1 ok, 0 failed; 1 response with status below 400 skipped; 1 input could not be read"
        );
    }
}
