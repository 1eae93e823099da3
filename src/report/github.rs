//! The `github` report: GitHub Actions workflow commands, one annotation per violation, which
//! the runner shows on the offending line of the pull request's diff.
//!
//! ```text
//! ::error file=captured/a.json,line=4,col=13,title=cyoda check%3A status-mismatch::status is 422, but CONFLICT is documented with 409%0Ahelp: cyoda help errors CONFLICT
//! ```
//!
//! Escaping is the runner's (`toCommandValue`/`escapeData`/`escapeProperty` of
//! `@actions/core`): in the message `%`, CR and LF become `%25`, `%0D`, `%0A`; in properties
//! `:` and `,` also become `%3A`, `%2C`. Before that, every unsafe character taken from an
//! input (paths; messages are escaped by the rules already) is written as `\u{…}`
//! ([`escape_controls`]), so no raw control character reaches the log. Nothing is buffered:
//! each response's lines are written as it arrives.

use super::{Renderer, Setup, Writer, within};
use crate::check::diagnostic::{CheckedResponse, Totals};
use crate::contract::rules::Severity;
use crate::term::escape_controls;
use std::io::{self, Write};

/// GitHub shows at most this many error annotations, and as many warning annotations, per step;
/// the runner drops the rest without a word.
pub const ANNOTATION_LIMIT: usize = 10;

/// `::<command> <properties>::<message>`; `file` only when there is one.
fn command(
    out: &mut Vec<u8>,
    command: &str,
    file: Option<&str>,
    position: Option<(usize, usize)>,
    title: &str,
    message: &str,
) {
    let mut properties = Vec::new();
    if let Some(file) = file {
        properties.push(format!("file={}", escape_property(file)));
        if let Some((line, column)) = position {
            properties.push(format!("line={line}"));
            properties.push(format!("col={column}"));
        }
    }
    properties.push(format!("title={}", escape_property(title)));
    // Writing into a Vec cannot fail.
    let _ = writeln!(
        out,
        "::{command} {}::{}",
        properties.join(","),
        escape_data(message)
    );
}

/// A message: `%`, CR, LF.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: as [`escape_data`], and `:` and `,`.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// One annotation line per violation.
pub struct GithubRenderer;

impl Renderer for GithubRenderer {
    fn render(&self, response: &CheckedResponse, out: &mut Vec<u8>) {
        let file = (!response.from_stdin()).then(|| escape_controls(&response.input));
        for d in &response.diagnostics {
            let kind = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            // The file alone does not say which response of an NDJSON, HAR or HTTP capture.
            let message = format!(
                "{}{}\nhelp: {}",
                escape_controls(&d.message),
                within(response),
                format_args!("cyoda help {}", d.help_topic)
            );
            let title = format!("cyoda check: {}", d.rule);
            command(
                out,
                kind,
                file.as_deref(),
                Some((d.line(), d.column())),
                &title,
                &message,
            );
        }
    }
}

/// Writes the annotations GitHub will show — errors as they come, up to the limit; warnings,
/// up to theirs, after the errors — then a notice for what it would not have shown, and the
/// run's summary.
pub struct GithubWriter<'w> {
    out: Box<dyn Write + 'w>,
    checked_against: String,
    /// The other reports of the run: where the whole story is.
    reports: Vec<String>,
    errors: usize,
    warnings: Vec<u8>,
    warnings_kept: usize,
    omitted_errors: usize,
    omitted_warnings: usize,
}

impl<'w> GithubWriter<'w> {
    pub fn new(out: Box<dyn Write + 'w>, setup: &Setup) -> Self {
        GithubWriter {
            out,
            checked_against: setup.checked_against.clone(),
            reports: setup.report_files.clone(),
            errors: 0,
            warnings: Vec::new(),
            warnings_kept: 0,
            omitted_errors: 0,
            omitted_warnings: 0,
        }
    }

    fn annotation(&mut self, line: &[u8]) -> io::Result<()> {
        if line.starts_with(b"::error ") {
            if self.errors < ANNOTATION_LIMIT {
                self.errors += 1;
                self.out.write_all(line)?;
            } else {
                self.omitted_errors += 1;
            }
        } else if self.warnings_kept < ANNOTATION_LIMIT {
            // A bounded buffer: warnings go after every error, as the runner lists them.
            self.warnings_kept += 1;
            self.warnings.extend_from_slice(line);
        } else {
            self.omitted_warnings += 1;
        }
        Ok(())
    }
}

impl Writer for GithubWriter<'_> {
    fn rendered(&mut self, rendered: &[u8]) -> io::Result<()> {
        for line in rendered.split_inclusive(|&b| b == b'\n') {
            self.annotation(line)?;
        }
        Ok(())
    }

    fn unreadable(&mut self, input: &str, reason: &str) -> io::Result<()> {
        let input = escape_controls(input);
        let message = format!("{input}: {}", escape_controls(reason));
        let mut line = Vec::new();
        let file = (&*input != crate::check::diagnostic::STDIN).then_some(&*input);
        command(
            &mut line,
            "error",
            file,
            None,
            "cyoda check: unreadable input",
            &message,
        );
        self.annotation(&line)
    }

    fn finish(&mut self, totals: &Totals) -> io::Result<()> {
        self.out.write_all(&std::mem::take(&mut self.warnings))?;
        let mut notice = Vec::new();
        if self.omitted_errors + self.omitted_warnings > 0 {
            let whole = if self.reports.is_empty() {
                "run cyoda check without --format github for every finding".to_string()
            } else {
                format!("every finding is in {}", self.reports.join(", "))
            };
            command(
                &mut notice,
                "notice",
                None,
                None,
                "cyoda check",
                &format!(
                    "{} and {} not annotated (GitHub shows at most {ANNOTATION_LIMIT} of each per step); {whole}",
                    super::count(self.omitted_errors, "error", "errors"),
                    super::count(self.omitted_warnings, "warning", "warnings"),
                ),
            );
        }
        // The run's outcome, and the version it was judged by.
        command(
            &mut notice,
            "notice",
            None,
            None,
            "cyoda check",
            &super::human::summary_line(totals, &self.checked_against),
        );
        self.out.write_all(&notice)?;
        self.out.flush()
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::diagnostic::{Diagnostic, Label, Locator, Pos, Snippet};
    use crate::contract::rules::RuleId;

    fn response(
        input: &str,
        locator: Locator,
        message: &str,
        severity: Severity,
    ) -> CheckedResponse<'static> {
        CheckedResponse {
            input: input.into(),
            locator,
            code: None,
            diagnostics: vec![Diagnostic {
                rule: RuleId::TitleMismatch,
                severity,
                message: message.into(),
                help_topic: RuleId::TitleMismatch.topic(),
                pointer: Some("/title".into()),
                primary: Label::kept(
                    Pos {
                        line: 4,
                        column: 13,
                    },
                    Snippet::default(),
                    None,
                ),
                secondary: None,
            }],
            failed: true,
        }
    }

    fn run(responses: &[CheckedResponse], unreadable: &[(&str, &str)], setup: &Setup) -> String {
        let mut out = Vec::new();
        {
            let mut writer = GithubWriter::new(Box::new(&mut out), setup);
            for r in responses {
                let mut rendered = Vec::new();
                GithubRenderer.render(r, &mut rendered);
                writer.rendered(&rendered).unwrap();
            }
            for (input, reason) in unreadable {
                writer.unreadable(input, reason).unwrap();
            }
            writer.finish(&Totals::default()).unwrap();
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn one_command_per_violation_with_escaping() {
        let out = run(
            &[response(
                "cap:tured/a,b.json",
                Locator::Whole,
                "100% \"x\"",
                Severity::Error,
            )],
            &[("gone,1.json", "no such file")],
            &Setup::default(),
        );
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[..2],
            [
                "::error file=cap%3Atured/a%2Cb.json,line=4,col=13,title=cyoda check%3A title-mismatch::100%25 \"x\"%0Ahelp: cyoda help check title-mismatch",
                "::error file=gone%2C1.json,title=cyoda check%3A unreadable input::gone,1.json: no such file",
            ]
        );
        assert!(lines[2].starts_with("::notice title=cyoda check::checked 0 responses"));
    }

    #[test]
    fn never_a_raw_control_character() {
        let out = run(
            &[response(
                "a\u{1b}\n.ndjson",
                Locator::Line(3),
                "x\u{7}\r\ny",
                Severity::Error,
            )],
            &[],
            &Setup::default(),
        );
        assert!(out.chars().filter(|c| c.is_control()).all(|c| c == '\n'));
        assert!(out.contains("file=a\\u{1b}\\u{a}.ndjson,line=4"), "{out}");
    }

    #[test]
    fn stdin_is_no_file() {
        let out = run(
            &[response("<stdin>", Locator::Whole, "m", Severity::Error)],
            &[],
            &Setup::default(),
        );
        assert!(
            out.starts_with("::error title=cyoda check%3A title-mismatch::m (<stdin>)%0A"),
            "{out}"
        );
    }

    #[test]
    fn at_most_ten_of_each_errors_first_then_a_notice() {
        let mut responses = Vec::new();
        for n in 0..14 {
            responses.push(response(
                &format!("w{n}.json"),
                Locator::Whole,
                "w",
                Severity::Warning,
            ));
            responses.push(response(
                &format!("e{n}.json"),
                Locator::Whole,
                "e",
                Severity::Error,
            ));
        }
        let setup = Setup {
            report_files: vec!["cyoda.sarif".into()],
            ..Setup::default()
        };
        let out = run(&responses, &[], &setup);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 10 + 10 + 2, "{out}");
        assert!(lines[..10].iter().all(|l| l.starts_with("::error ")));
        assert!(lines[10..20].iter().all(|l| l.starts_with("::warning ")));
        assert_eq!(
            lines[20],
            "::notice title=cyoda check::4 errors and 4 warnings not annotated (GitHub shows at most 10 of each per step); every finding is in cyoda.sarif"
        );
    }
}
