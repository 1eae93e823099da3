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
//! ([`escape_controls`]), so no raw control character reaches the log.
//!
//! GitHub shows the first [`ANNOTATION_LIMIT`] errors and as many warnings of a step and drops
//! the rest, so the renderer draws at most that many of each per buffer of consecutive
//! responses (it knows what the buffer already holds), and the writer keeps the first ones in
//! input order and counts the rest from the run's totals. 200,000 findings cost no more than
//! counting them.

use super::{Renderer, Setup, Writer, within};
use crate::check::diagnostic::{CheckedResponse, Totals};
use crate::contract::rules::Severity;
use crate::term::escape_controls;
use std::io::{self, Write};

/// GitHub shows at most this many error annotations, and as many warning annotations, per step;
/// the runner drops the rest without a word.
pub const ANNOTATION_LIMIT: usize = 10;

/// `::<command> <properties>::<message>`; `file` only when there is one. Title and message
/// are given in parts, written one after the other, so that no finding builds a string.
fn command(
    out: &mut Vec<u8>,
    command: &str,
    file: Option<&str>,
    position: Option<(usize, usize)>,
    title: &[&str],
    message: &[&str],
) {
    out.extend_from_slice(b"::");
    out.extend_from_slice(command.as_bytes());
    out.push(b' ');
    if let Some(file) = file {
        out.extend_from_slice(b"file=");
        escape(out, file, Escape::Property);
        if let Some((line, column)) = position {
            let mut digits = itoa::Buffer::new();
            out.extend_from_slice(b",line=");
            out.extend_from_slice(digits.format(line).as_bytes());
            out.extend_from_slice(b",col=");
            out.extend_from_slice(digits.format(column).as_bytes());
        }
        out.push(b',');
    }
    out.extend_from_slice(b"title=");
    for part in title {
        escape(out, part, Escape::Property);
    }
    out.extend_from_slice(b"::");
    for part in message {
        escape(out, part, Escape::Data);
    }
    out.push(b'\n');
}

/// What a workflow command's text escapes: a message (`%`, CR, LF), or a property value
/// (those, and `:` and `,`, which separate properties).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Escape {
    Data,
    Property,
}

/// `text` percent-escaped as `escape` says, appended to `out`.
fn escape(out: &mut Vec<u8>, text: &str, escape: Escape) {
    let special = |b: u8| {
        matches!(b, b'%' | b'\r' | b'\n')
            || (escape == Escape::Property && matches!(b, b':' | b','))
    };
    if crate::contract::text::every_byte(text.as_bytes(), |b| !special(b)) {
        out.extend_from_slice(text.as_bytes());
        return;
    }
    for &byte in text.as_bytes() {
        match byte {
            b'%' => out.extend_from_slice(b"%25"),
            b'\r' => out.extend_from_slice(b"%0D"),
            b'\n' => out.extend_from_slice(b"%0A"),
            b':' if escape == Escape::Property => out.extend_from_slice(b"%3A"),
            b',' if escape == Escape::Property => out.extend_from_slice(b"%2C"),
            _ => out.push(byte),
        }
    }
}

/// One annotation line per violation GitHub can still show.
pub struct GithubRenderer;

impl Renderer for GithubRenderer {
    fn render(&self, response: &CheckedResponse, out: &mut Vec<u8>) {
        self.render_after(response, &Totals::default(), out);
    }

    /// Draws a finding only while `out` holds fewer than [`ANNOTATION_LIMIT`] of its severity:
    /// the buffer's earlier responses counted `earlier`, and each of them was drawn this way.
    fn render_after(&self, response: &CheckedResponse, earlier: &Totals, out: &mut Vec<u8>) {
        let (mut errors, mut warnings) = (earlier.errors, earlier.warnings);
        let shown = |errors: usize, warnings: usize, severity: Severity| match severity {
            Severity::Error => errors < ANNOTATION_LIMIT,
            Severity::Warning => warnings < ANNOTATION_LIMIT,
        };
        if !response
            .diagnostics
            .iter()
            .any(|d| shown(errors, warnings, d.severity))
        {
            return;
        }
        let file = (!response.from_stdin()).then(|| escape_controls(&response.input));
        // The file alone does not say which response of an NDJSON, HAR or HTTP capture.
        let within = within(response);
        for d in &response.diagnostics {
            let show = shown(errors, warnings, d.severity);
            let kind = match d.severity {
                Severity::Error => {
                    errors += 1;
                    "error"
                }
                Severity::Warning => {
                    warnings += 1;
                    "warning"
                }
            };
            if !show {
                continue;
            }
            let (topic_kind, topic) = d.help_topic.words();
            command(
                out,
                kind,
                file.as_deref(),
                Some((d.line(), d.column())),
                &["cyoda check: ", d.rule.as_str()],
                &[
                    &escape_controls(&d.message),
                    &within,
                    "\nhelp: cyoda help ",
                    topic_kind,
                    " ",
                    topic,
                ],
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
    /// Error annotations written: findings, then unreadable inputs as they come.
    errors: usize,
    /// Unreadable inputs: error annotations the run's totals do not count as findings.
    unreadable: usize,
    warnings: Vec<u8>,
    warnings_kept: usize,
}

impl<'w> GithubWriter<'w> {
    pub fn new(out: Box<dyn Write + 'w>, setup: &Setup) -> Self {
        GithubWriter {
            out,
            checked_against: setup.checked_against.clone(),
            reports: setup.report_files.clone(),
            errors: 0,
            unreadable: 0,
            warnings: Vec::new(),
            warnings_kept: 0,
        }
    }

    /// Keeps an annotation if GitHub will show it; what is dropped, `finish` counts.
    fn annotation(&mut self, line: &[u8]) -> io::Result<()> {
        if line.starts_with(b"::error ") {
            if self.errors < ANNOTATION_LIMIT {
                self.errors += 1;
                self.out.write_all(line)?;
            }
        } else if self.warnings_kept < ANNOTATION_LIMIT {
            // A bounded buffer: warnings go after every error, as the runner lists them.
            self.warnings_kept += 1;
            self.warnings.extend_from_slice(line);
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
        let mut line = Vec::new();
        let file = (&*input != crate::check::diagnostic::STDIN).then_some(&*input);
        command(
            &mut line,
            "error",
            file,
            None,
            &["cyoda check: unreadable input"],
            &[&input, ": ", &escape_controls(reason)],
        );
        self.unreadable += 1;
        self.annotation(&line)
    }

    fn finish(&mut self, totals: &Totals) -> io::Result<()> {
        self.out.write_all(&std::mem::take(&mut self.warnings))?;
        // Every finding was counted, drawn or not; the ones not written are what GitHub drops.
        let omitted_errors = (totals.errors + self.unreadable).saturating_sub(self.errors);
        let omitted_warnings = totals.warnings.saturating_sub(self.warnings_kept);
        let mut notice = Vec::new();
        if omitted_errors + omitted_warnings > 0 {
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
                &["cyoda check"],
                &[&format!(
                    "{} and {} not annotated (GitHub shows at most {ANNOTATION_LIMIT} of each per step); {whole}",
                    super::count(omitted_errors, "error", "errors"),
                    super::count(omitted_warnings, "warning", "warnings"),
                )],
            );
        }
        // The run's outcome, and the version it was judged by.
        command(
            &mut notice,
            "notice",
            None,
            None,
            &["cyoda check"],
            &[&super::human::summary_line(totals, &self.checked_against)],
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
            let mut totals = Totals::default();
            for r in responses {
                let mut rendered = Vec::new();
                GithubRenderer.render(r, &mut rendered);
                writer.rendered(&rendered).unwrap();
                totals.add(r);
            }
            for (input, reason) in unreadable {
                writer.unreadable(input, reason).unwrap();
            }
            writer.finish(&totals).unwrap();
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
        assert!(lines[2].starts_with("::notice title=cyoda check::checked 1 response "));
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

    /// What the driver does: many responses rendered into one buffer, each told what the
    /// buffer holds. GitHub must get the same bytes as from one buffer per response.
    #[test]
    fn a_shared_buffer_draws_only_what_github_shows_and_counts_the_rest() {
        let mut responses = Vec::new();
        for n in 0..25 {
            let severity = if n % 3 == 0 {
                Severity::Error
            } else {
                Severity::Warning
            };
            responses.push(response(
                &format!("r{n}.json"),
                Locator::Whole,
                "m",
                severity,
            ));
        }
        let unreadable = [("gone.json", "no such file")];
        let setup = Setup::default();
        let one_by_one = run(&responses, &unreadable, &setup);

        let mut out = Vec::new();
        {
            let mut writer = GithubWriter::new(Box::new(&mut out), &setup);
            let (mut buffer, mut totals) = (Vec::new(), Totals::default());
            for r in &responses {
                GithubRenderer.render_after(r, &totals, &mut buffer);
                totals.add(r);
            }
            assert_eq!(
                buffer
                    .split(|&b| b == b'\n')
                    .filter(|l| !l.is_empty())
                    .count(),
                9 + 10
            );
            writer.rendered(&buffer).unwrap();
            writer.unreadable(unreadable[0].0, unreadable[0].1).unwrap();
            writer.finish(&totals).unwrap();
        }
        assert_eq!(String::from_utf8(out).unwrap(), one_by_one);
        assert!(
            one_by_one
                .contains("::notice title=cyoda check::0 errors and 6 warnings not annotated"),
            "{one_by_one}"
        );
    }
}
