//! The human report: one block per violation, rustc style, then a summary line.
//!
//! ```text
//! captured/a.json:4:13: error[status-mismatch]: status 422 is not the documented 409
//!   |
//! 4 |   "status": 422,
//!   |             ^^^ expected 409
//!   = help: cyoda help errors IDEMPOTENCY_CONFLICT
//! ```
//!
//! Nothing taken from an input reaches the writer raw: messages, paths and snippet lines go
//! through [`crate::term::escape_controls`]; in snippets each unsafe character is replaced by its
//! escape and the carets are placed by display width (`unicode-width`), so they stay aligned.

use super::{CheckedResponse, Diagnostic, Locator, Report, Summary, count};
use crate::contract::rules::Severity;
use crate::term::{escape_controls, is_unsafe_char};
use anstyle::{AnsiColor, Style};
use std::io::{self, Write};
use unicode_width::UnicodeWidthChar;

/// Snippet lines wider than this (in terminal columns) are windowed around the span.
const SNIPPET_WIDTH: usize = 80;
/// How much of the line before the span a windowed snippet keeps.
const LEFT_CONTEXT: usize = 24;

/// Styles of the human report; all plain when colour is off.
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

/// The human report over a writer.
pub struct Human<W: Write> {
    out: W,
    styles: Styles,
}

impl<W: Write> Human<W> {
    pub fn new(out: W, color: bool) -> Self {
        Human {
            out,
            styles: Styles::new(color),
        }
    }

    /// The writer back (tests, and `--output` which must commit the file).
    pub fn into_inner(self) -> W {
        self.out
    }

    fn diagnostic(&mut self, response: &CheckedResponse, d: &Diagnostic) -> io::Result<()> {
        let styles = self.styles;
        let severity = styles.severity(d.severity);
        let location = styles.location;
        let context = match response.locator {
            Locator::Entry(index) => format!(" (entry {index})"),
            Locator::Response(index) => format!(" (response {index})"),
            Locator::Whole | Locator::Line(_) => String::new(),
        };
        writeln!(
            self.out,
            "{location}{}:{}:{}:{location:#} {severity}{}[{}]:{severity:#} {}{context}",
            escape_controls(&response.input),
            d.line,
            d.column,
            d.severity.as_str(),
            d.rule,
            escape_controls(&d.message),
        )?;

        let number = d.line.to_string();
        let pad = " ".repeat(number.len());
        let (text, caret_at, carets) = window(d);
        writeln!(self.out, "{pad} |")?;
        writeln!(self.out, "{number} | {}", text.trim_end())?;
        let label = d
            .label
            .as_deref()
            .map(|label| format!(" {}", escape_controls(label)))
            .unwrap_or_default();
        writeln!(
            self.out,
            "{pad} | {}{severity}{}{label}{severity:#}",
            " ".repeat(caret_at),
            "^".repeat(carets),
        )?;
        writeln!(
            self.out,
            "{pad} = help: cyoda help {}",
            escape_controls(&d.help_topic.replace('.', " "))
        )?;
        writeln!(self.out)
    }
}

/// The snippet line to print, the display column of the first caret and the number of carets.
fn window(d: &Diagnostic) -> (String, usize, usize) {
    // Each character as printed with its display width; unsafe ones are escaped when written.
    // No allocation per character: a snippet is built for every violation of every response.
    let pieces: Vec<(char, usize)> = d
        .snippet
        .text
        .chars()
        .map(|c| {
            let width = if is_unsafe_char(c) {
                escape_controls(c.encode_utf8(&mut [0; 4])).chars().count()
            } else {
                c.width().unwrap_or(0)
            };
            (c, width)
        })
        .collect();
    let len = pieces.len();
    let span_start = d.snippet.span.start.min(len);
    let span_end = d.snippet.span.end.clamp(span_start, len);
    let width_of = |range: std::ops::Range<usize>| -> usize {
        pieces
            .get(range)
            .map_or(0, |p| p.iter().map(|(_, w)| *w).sum())
    };
    let total = width_of(0..len);

    let (mut first, mut last) = (0, len);
    if total > SNIPPET_WIDTH {
        // Keep up to LEFT_CONTEXT columns before the span, then fill the rest of the width.
        first = span_start;
        let mut used = 0;
        while first > 0 {
            let w = pieces.get(first - 1).map_or(0, |p| p.1);
            if used + w > LEFT_CONTEXT {
                break;
            }
            used += w;
            first -= 1;
        }
        last = first;
        let mut used = 0;
        while last < len {
            let w = pieces.get(last).map_or(0, |p| p.1);
            if used + w > SNIPPET_WIDTH {
                break;
            }
            used += w;
            last += 1;
        }
    }
    let cut_start = first > 0 || d.snippet.cut_start;
    let cut_end = last < len || d.snippet.cut_end;

    let mut text = String::new();
    if cut_start {
        text.push('…');
    }
    for (c, _) in pieces.get(first..last).unwrap_or_default() {
        if is_unsafe_char(*c) {
            text.push_str(&escape_controls(c.encode_utf8(&mut [0; 4])));
        } else {
            text.push(*c);
        }
    }
    if cut_end {
        text.push('…');
    }
    let caret_at = usize::from(cut_start) + width_of(first..span_start.max(first));
    let carets = width_of(span_start.max(first)..span_end.min(last)).max(1);
    (text, caret_at, carets)
}

/// The closing line: `checked 1,204 responses in 3 inputs: 1,198 ok, 6 failed (9 errors, 2
/// warnings)`, plus skipped HAR entries and unreadable inputs when there are any.
pub fn summary_line(summary: &Summary) -> String {
    let against = if summary.checked_against.is_empty() {
        String::new()
    } else {
        format!(" against {}", summary.checked_against)
    };
    let mut line = format!(
        "checked {} in {}{against}: {} ok, {} failed",
        count(summary.responses, "response", "responses"),
        count(summary.inputs, "input", "inputs"),
        super::thousands(summary.ok()),
        super::thousands(summary.failed),
    );
    if summary.errors + summary.warnings > 0 {
        line.push_str(&format!(
            " ({}, {})",
            count(summary.errors, "error", "errors"),
            count(summary.warnings, "warning", "warnings")
        ));
    }
    if summary.skipped > 0 {
        line.push_str(&format!(
            "; {} with status below 400 skipped",
            count(summary.skipped, "HAR entry", "HAR entries")
        ));
    }
    if summary.unreadable > 0 {
        line.push_str(&format!(
            "; {} could not be read",
            count(summary.unreadable, "input", "inputs")
        ));
    }
    line
}

impl<W: Write> Report for Human<W> {
    fn response(&mut self, response: &CheckedResponse) -> io::Result<()> {
        for d in &response.diagnostics {
            self.diagnostic(response, d)?;
        }
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        writeln!(self.out, "{}", summary_line(summary))?;
        self.out.flush()
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::rules::RuleId;
    use crate::report::Snippet;

    fn diagnostic(text: &str, span: std::ops::Range<usize>) -> Diagnostic {
        Diagnostic {
            rule: RuleId::StatusMismatch,
            severity: Severity::Error,
            message: "status 422 is not the documented 409".into(),
            label: Some("expected 409".into()),
            help_topic: "errors.IDEMPOTENCY_CONFLICT".into(),
            line: 4,
            column: 13,
            pointer: Some("/status".into()),
            snippet: Snippet {
                text: text.into(),
                span,
                cut_start: false,
                cut_end: false,
            },
        }
    }

    fn render(diagnostics: Vec<Diagnostic>, color: bool) -> String {
        let mut human = Human::new(Vec::new(), color);
        let response = CheckedResponse {
            input: "a.json".into(),
            locator: Locator::Whole,
            failed: true,
            diagnostics,
        };
        human.response(&response).unwrap();
        String::from_utf8(human.into_inner()).unwrap()
    }

    #[test]
    fn renders_a_block() {
        let out = render(vec![diagnostic("  \"status\": 422,", 12..15)], false);
        assert_eq!(
            out,
            "a.json:4:13: error[status-mismatch]: status 422 is not the documented 409\n  |\n4 |   \"status\": 422,\n  |             ^^^ expected 409\n  = help: cyoda help errors IDEMPOTENCY_CONFLICT\n\n"
        );
    }

    #[test]
    fn carets_align_after_wide_and_control_characters() {
        // 日 is two columns wide; ESC prints as `\u{1b}` (six columns).
        let out = render(vec![diagnostic("日\u{1b}x", 2..3)], false);
        assert!(
            out.contains("4 | 日\\u{1b}x\n  |         ^ expected"),
            "{out}"
        );
        assert!(!out.contains('\u{1b}'));
    }

    #[test]
    fn long_lines_are_windowed() {
        let line = format!("{}\"status\": 422{}", "a".repeat(200), "b".repeat(200));
        let out = render(vec![diagnostic(&line, 210..213)], false);
        let snippet = out.lines().nth(2).unwrap();
        assert!(
            snippet.starts_with("4 | …") && snippet.ends_with('…'),
            "{out}"
        );
        let carets = out.lines().nth(3).unwrap();
        let caret_col = carets.find('^').unwrap();
        assert_eq!(&snippet[caret_col + 2..caret_col + 5], "422");
    }

    #[test]
    fn colour_only_when_asked() {
        assert!(!render(vec![diagnostic("x", 0..1)], false).contains('\u{1b}'));
        assert!(render(vec![diagnostic("x", 0..1)], true).contains("\u{1b}[1m"));
    }

    #[test]
    fn summary_wording() {
        let summary = Summary {
            inputs: 3,
            responses: 1204,
            failed: 6,
            errors: 9,
            warnings: 2,
            skipped: 0,
            unreadable: 0,
            checked_against: "cyoda-go 0.8.3".into(),
        };
        assert_eq!(
            summary_line(&summary),
            "checked 1,204 responses in 3 inputs against cyoda-go 0.8.3: 1,198 ok, 6 failed (9 errors, 2 warnings)"
        );
        let summary = Summary {
            inputs: 1,
            responses: 1,
            skipped: 1,
            unreadable: 1,
            ..Summary::default()
        };
        assert_eq!(
            summary_line(&summary),
            "checked 1 response in 1 input: 1 ok, 0 failed; 1 HAR entry with status below 400 skipped; 1 input could not be read"
        );
    }
}
