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
//! logs turn into links); the snippet, carets, labels and the help line are drawn by
//! annotate-snippets, the renderer rustc and cargo use. A finding with a second place (an
//! idempotency key's first use) shows both.
//!
//! Nothing taken from an input reaches the writer raw: messages, paths and snippet lines go
//! through [`crate::term::escape_controls`], and spans are moved onto the escaped text so that
//! the carets still sit under what they point at.

use super::{Setup, Writer, count, thousands};
use crate::check::diagnostic::{CheckedResponse, Diagnostic, Label, Locator, Snippet, Totals};
use crate::contract::rules::Severity;
use crate::term::{escape_controls, is_unsafe_char};
use annotate_snippets::{AnnotationKind, Group, Level, Renderer as Snippets};
use anstyle::{AnsiColor, Style};
use std::io::{self, Write};
use std::ops::Range;

/// Styles of the title line; all plain when colour is off.
#[derive(Clone, Copy, Debug, Default)]
struct Styles {
    error: Style,
    warning: Style,
    location: Style,
}

impl Styles {
    fn new(color: bool) -> Self {
        if !color {
            return Styles::default();
        }
        Styles {
            error: Style::new().bold().fg_color(Some(AnsiColor::Red.into())),
            warning: Style::new().bold().fg_color(Some(AnsiColor::Yellow.into())),
            location: Style::new().bold(),
        }
    }

    fn severity(&self, severity: Severity) -> Style {
        match severity {
            Severity::Error => self.error,
            Severity::Warning => self.warning,
        }
    }
}

/// Renders each response's diagnostics.
pub struct HumanRenderer {
    styles: Styles,
    snippets: Snippets,
}

impl HumanRenderer {
    pub fn new(color: bool) -> Self {
        HumanRenderer {
            styles: Styles::new(color),
            snippets: if color {
                Snippets::styled()
            } else {
                Snippets::plain()
            },
        }
    }

    fn diagnostic(&self, out: &mut Vec<u8>, response: &CheckedResponse, d: &Diagnostic) {
        let styles = self.styles;
        let severity = styles.severity(d.severity);
        let location = styles.location;
        let context = match &response.locator {
            Locator::Entry(index) => format!(" (entry {index})"),
            Locator::Response(index) => format!(" (response {index})"),
            Locator::Step(step) => format!(" ({step})"),
            Locator::Whole | Locator::Line(_) => String::new(),
        };
        // Writing into a Vec cannot fail.
        let _ = writeln!(
            out,
            "{location}{}:{}:{}:{location:#} {severity}{}[{}]:{severity:#} {}{context}",
            escape_controls(&response.input),
            d.line(),
            d.column(),
            d.severity.as_str(),
            d.rule,
            escape_controls(&d.message),
        );
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let primary = Shown::of(&d.primary);
        let secondary = d.secondary.as_ref().map(Shown::of);
        let input = escape_controls(&response.input);
        let mut group = Group::with_level(level).element(primary.snippet(AnnotationKind::Primary));
        if let Some(shown) = &secondary {
            // annotate-snippets writes the line and column after the path (`::: a.har:4:55`),
            // counted in the shown line: exact unless the line is cut before the span.
            let snippet = shown.snippet(AnnotationKind::Context).path(input.clone());
            group = group.element(snippet);
        }
        let help = format!(
            "cyoda help {}",
            escape_controls(&d.help_topic.replace('.', " "))
        );
        let group = group.element(Level::HELP.message(help));
        out.extend_from_slice(self.snippets.render(&[group]).as_bytes());
        out.extend_from_slice(b"\n\n");
    }
}

/// A label as annotate-snippets draws it: the line escaped for the terminal, the span moved
/// onto the escaped text.
struct Shown {
    line: usize,
    text: String,
    span: Range<usize>,
    label: Option<String>,
}

impl Shown {
    fn of(label: &Label) -> Shown {
        let (text, span) = display_line(&label.snippet);
        Shown {
            line: label.line,
            text,
            span,
            label: label
                .text
                .as_deref()
                .map(|t| escape_controls(t).into_owned()),
        }
    }

    fn snippet(
        &self,
        kind: AnnotationKind,
    ) -> annotate_snippets::Snippet<'_, annotate_snippets::Annotation<'_>> {
        let mut annotation = kind.span(self.span.clone());
        if let Some(label) = &self.label {
            annotation = annotation.label(label.as_str());
        }
        annotate_snippets::Snippet::source(self.text.as_str())
            .line_start(self.line)
            .annotation(annotation)
    }
}

/// The snippet's line as printed, and the span's byte range in it. Unsafe characters become
/// their `\u{…}` escape; a cut line gets `…` at the cut; an empty span covers the character
/// it sits on (or one past the end), so there is always a caret.
fn display_line(snippet: &Snippet) -> (String, Range<usize>) {
    let mut text = String::with_capacity(snippet.text.len() + 8);
    if snippet.cut_start {
        text.push('…');
    }
    let (mut start, mut end) = (None, None);
    for (index, c) in snippet.text.chars().enumerate() {
        if index == snippet.span.start {
            start = Some(text.len());
        }
        if index == snippet.span.end {
            end = Some(text.len());
        }
        if c == '\t' {
            text.push(' ');
        } else if is_unsafe_char(c) {
            text.push_str(&escape_controls(c.encode_utf8(&mut [0; 4])));
        } else {
            text.push(c);
        }
    }
    let line_end = text.len();
    let start = start.unwrap_or(line_end);
    let mut end = end.unwrap_or(line_end).max(start);
    if snippet.cut_end {
        text.push('…');
    }
    if end == start {
        // One character wide: the one at the span, or the end of the line.
        end = text
            .get(start..)
            .and_then(|rest| rest.chars().next())
            .map_or(start, |c| start + c.len_utf8());
    }
    (text, start..end)
}

impl super::Renderer for HumanRenderer {
    fn render(&self, response: &CheckedResponse, out: &mut Vec<u8>) {
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
            location: Styles::new(color).location,
        }
    }
}

impl Writer for HumanWriter<'_> {
    fn response(&mut self, _response: &CheckedResponse, rendered: &[u8]) -> io::Result<()> {
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
/// 6 failed (9 errors, 2 warnings)`, plus skipped HAR entries and unreadable inputs when there
/// are any.
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
            count(totals.skipped, "HAR entry", "HAR entries")
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
    let mut repeated: Vec<_> = totals.by_rule.iter().filter(|(_, _, n)| *n > 1).collect();
    repeated.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    let width = repeated.first().map_or(0, |(_, _, n)| thousands(*n).len());
    repeated
        .into_iter()
        .map(|(rule, severity, n)| {
            format!(
                "  {:>width$} × {rule} ({})",
                thousands(*n),
                severity.as_str()
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::rules::RuleId;
    use crate::report::Renderer as _;

    fn diagnostic(text: &str, span: Range<usize>) -> Diagnostic {
        Diagnostic {
            rule: RuleId::TitleMismatch,
            severity: Severity::Error,
            message: "title is wrong".into(),
            help_topic: "check.title-mismatch".into(),
            pointer: None,
            primary: Label {
                line: 3,
                column: span.start + 1,
                snippet: Snippet {
                    text: text.into(),
                    span,
                    cut_start: false,
                    cut_end: false,
                },
                text: Some("expected \"Bad Request\"".into()),
            },
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
        totals.by_rule = vec![
            (RuleId::StatusMismatch, Severity::Error, 1),
            (RuleId::ReservedCode, Severity::Warning, 1_204),
            (RuleId::DetailPrefix, Severity::Warning, 2),
        ];
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
            "checked 1 response in 1 input: 1 ok, 0 failed; 1 HAR entry with status below 400 skipped; 1 input could not be read"
        );
    }
}
