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

use super::{CheckedResponse, Report, STDIN, Summary, help_command, within};
use crate::contract::rules::Severity;
use crate::term::escape_controls;
use std::io::{self, Write};

/// The `github` report over a writer.
pub struct Github<W: Write> {
    out: W,
}

impl<W: Write> Github<W> {
    pub fn new(out: W) -> Self {
        Github { out }
    }

    pub fn into_inner(self) -> W {
        self.out
    }

    /// `::<command> <properties>::<message>`; `file` only when it names a file.
    fn command(
        &mut self,
        command: &str,
        file: &str,
        position: Option<(usize, usize)>,
        title: &str,
        message: &str,
    ) -> io::Result<()> {
        let mut properties = Vec::new();
        if file != STDIN {
            properties.push(format!("file={}", escape_property(file)));
            if let Some((line, column)) = position {
                properties.push(format!("line={line}"));
                properties.push(format!("col={column}"));
            }
        }
        properties.push(format!("title={}", escape_property(title)));
        writeln!(
            self.out,
            "::{command} {}::{}",
            properties.join(","),
            escape_data(message)
        )
    }
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

impl<W: Write> Report for Github<W> {
    fn response(&mut self, response: &CheckedResponse) -> io::Result<()> {
        let file = escape_controls(&response.input);
        for d in &response.diagnostics {
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            // The file alone does not say which response of an NDJSON, HAR or HTTP capture.
            let within = within(response);
            let message = format!(
                "{}{within}\nhelp: {}",
                escape_controls(&d.message),
                escape_controls(&help_command(&d.help_topic))
            );
            let title = format!("cyoda check: {}", d.rule);
            self.command(command, &file, Some((d.line, d.column)), &title, &message)?;
        }
        Ok(())
    }

    fn unreadable(&mut self, input: &str, reason: &str) -> io::Result<()> {
        let input = escape_controls(input);
        let message = format!("{input}: {}", escape_controls(reason));
        self.command(
            "error",
            &input,
            None,
            "cyoda check: unreadable input",
            &message,
        )
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        // The run's outcome, and the version it was judged by, as a notice on the run.
        writeln!(
            self.out,
            "::notice title={}::{}",
            escape_property("cyoda check"),
            escape_data(&super::human::summary_line(summary))
        )?;
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
    use crate::report::Locator;
    use crate::report::{Diagnostic, Snippet};

    fn render(input: &str, locator: Locator, message: &str) -> String {
        let mut github = Github::new(Vec::new());
        let response = CheckedResponse {
            input: input.into(),
            locator,
            diagnostics: vec![Diagnostic {
                rule: RuleId::TitleMismatch,
                severity: Severity::Error,
                message: message.into(),
                label: None,
                help_topic: "check.title-mismatch".into(),
                line: 4,
                column: 13,
                pointer: Some("/title".into()),
                snippet: Snippet::default(),
            }],
            failed: true,
        };
        github.response(&response).unwrap();
        github.unreadable("gone,1.json", "no such file").unwrap();
        String::from_utf8(github.into_inner()).unwrap()
    }

    #[test]
    fn one_command_per_violation_with_escaping() {
        let out = render("cap:tured/a,b.json", Locator::Whole, "100% \"x\"");
        assert_eq!(
            out,
            "::error file=cap%3Atured/a%2Cb.json,line=4,col=13,title=cyoda check%3A title-mismatch::100%25 \"x\"%0Ahelp: cyoda help check title-mismatch\n\
             ::error file=gone%2C1.json,title=cyoda check%3A unreadable input::gone,1.json: no such file\n"
        );
    }

    #[test]
    fn never_a_raw_control_character() {
        let out = render("a\u{1b}\n.ndjson", Locator::Line(3), "x\u{7}\r\ny");
        assert_eq!(
            out.chars().filter(|c| c.is_control()).collect::<String>(),
            "\n\n"
        );
        assert!(out.contains("file=a\\u{1b}\\u{a}.ndjson,line=4"), "{out}");
    }

    #[test]
    fn stdin_is_no_file() {
        let out = render("<stdin>", Locator::Whole, "m");
        assert!(
            out.starts_with("::error title=cyoda check%3A title-mismatch::m (<stdin>)%0A"),
            "{out}"
        );
    }
}
