//! The markdown summary (`--summary PATH`): what a person opening a CI run wants to see first,
//! appended to `$GITHUB_STEP_SUMMARY` on GitHub Actions, or kept as an artifact elsewhere.
//!
//! ```text
//! ### ❌ cyoda check against cyoda-go 0.8.3: failed
//!
//! checked 11 responses in 8 inputs against cyoda-go 0.8.3: 5 ok, 6 failed (7 errors, 1 warning)
//!
//! | Rule | Severity | Findings | Explained by |
//! | --- | --- | ---: | --- |
//! | `status-mismatch` | error | 2 | `cyoda help check status-mismatch` |
//!
//! **Failed responses** (the first 20 of 1,204):
//!
//! - `captured/a.json` line 4: `status-mismatch` status is 400, but … is documented with 404
//! ```
//!
//! It names the catalog version the run checked against, the totals, a table of findings per
//! rule and severity, and the first [`LISTED`] failed responses and unreadable inputs. Each
//! rule row names the command that explains the rule, `cyoda help check RULE`: the summary is
//! read in a browser, away from the tool, and the rule's page comes with the tool (there is no
//! page on the web to link to). Memory holds the per-rule counts of the totals and at most
//! [`LISTED`] entries of each list; the summary is written in one piece when the run ends.
//!
//! Text taken from an input (file names, messages) is escaped twice: control characters as
//! `\u{…}` ([`escape_controls`]), then for markdown, so a capture cannot add a link, an image
//! or HTML to the page.

use super::{Renderer, Setup, Writer, thousands};
use crate::check::diagnostic::{CheckedResponse, Outcome, Totals};
use crate::contract::rules::{RuleId, Severity};
use crate::term::escape_controls;
use std::fmt::Write as _;
use std::io::{self, Write};

/// How many failed responses, and how many unreadable inputs, the summary lists.
pub const LISTED: usize = 20;

/// One line per failed response: `line TAB more TAB rule TAB name TAB message`, name and
/// message escaped (so they hold no tab or newline). The writer keeps the first [`LISTED`].
pub struct SummaryRenderer;

impl Renderer for SummaryRenderer {
    fn render(&self, response: &CheckedResponse<'_>, out: &mut Vec<u8>) {
        if !response.failed {
            return;
        }
        // What made it fail: its first error, or (under --strict) its first warning.
        let first = response
            .diagnostics
            .iter()
            .find(|d| d.severity == Severity::Error)
            .or_else(|| response.diagnostics.first());
        if let Some(d) = first {
            // Writing into a Vec cannot fail.
            let _ = writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}",
                d.line(),
                response.diagnostics.len().saturating_sub(1),
                d.rule,
                escape_controls(&response.name()),
                escape_controls(&d.message)
            );
        }
    }
}

impl Failed {
    /// A line of [`SummaryRenderer`] read back.
    fn parse(line: &[u8]) -> Option<Failed> {
        let line = std::str::from_utf8(line).ok()?;
        let mut fields = line.splitn(5, '\t');
        let line = fields.next()?.parse().ok()?;
        let more = fields.next()?.parse().ok()?;
        let rule = RuleId::parse(fields.next()?)?.as_str();
        let name = fields.next()?.to_string();
        let message = fields.next()?.to_string();
        Some(Failed {
            name,
            line,
            rule,
            message,
            more,
        })
    }
}

/// One failed response, as listed.
struct Failed {
    name: String,
    line: usize,
    rule: &'static str,
    message: String,
    more: usize,
}

/// Collects the lists, then writes the summary at the end.
pub struct SummaryWriter<'w> {
    out: Box<dyn Write + 'w>,
    checked_against: String,
    failed: Vec<Failed>,
    unreadable: Vec<(String, String)>,
}

impl<'w> SummaryWriter<'w> {
    pub fn new(out: Box<dyn Write + 'w>, setup: &Setup) -> Self {
        SummaryWriter {
            out,
            checked_against: setup.checked_against.clone(),
            failed: Vec::new(),
            unreadable: Vec::new(),
        }
    }
}

impl Writer for SummaryWriter<'_> {
    fn rendered(&mut self, rendered: &[u8]) -> io::Result<()> {
        for line in rendered.split(|&b| b == b'\n') {
            if self.failed.len() >= LISTED {
                break;
            }
            if let Some(failed) = Failed::parse(line) {
                self.failed.push(failed);
            }
        }
        Ok(())
    }

    fn unreadable(&mut self, input: &str, reason: &str) -> io::Result<()> {
        if self.unreadable.len() < LISTED {
            self.unreadable
                .push((input.to_string(), reason.to_string()));
        }
        Ok(())
    }

    fn finish(&mut self, totals: &Totals) -> io::Result<()> {
        let text = markdown(
            totals,
            &self.checked_against,
            &self.failed,
            &self.unreadable,
        );
        self.out.write_all(text.as_bytes())?;
        self.out.flush()
    }

    fn flush(&mut self) -> io::Result<()> {
        // Written once, at the end.
        Ok(())
    }
}

fn markdown(
    totals: &Totals,
    checked_against: &str,
    failed: &[Failed],
    unreadable: &[(String, String)],
) -> String {
    let mut md = String::new();
    let against = if checked_against.is_empty() {
        String::new()
    } else {
        format!(" against {checked_against}")
    };
    let verdict = match Outcome::of(totals) {
        Outcome::Clean if totals.warnings > 0 => "✅ passed, with warnings",
        Outcome::Clean => "✅ passed",
        Outcome::Findings => "❌ failed",
        Outcome::Failed if totals.nothing_found() => "⚠️ no responses found to check",
        Outcome::Failed => "⚠️ could not read every input",
    };
    let _ = writeln!(md, "### cyoda check{against}: {verdict}\n");
    let _ = writeln!(
        md,
        "{}\n",
        super::human::summary_line(totals, checked_against)
    );

    if !totals.by_rule.is_empty() {
        md.push_str("| Rule | Severity | Findings | Explained by |\n| --- | --- | ---: | --- |\n");
        let mut rows: Vec<_> = totals.by_rule.iter().collect();
        rows.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
        for (rule, severity, n) in rows {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} |",
                code(rule.as_str(), true),
                severity.as_str(),
                thousands(n),
                code(&format!("cyoda help check {rule}"), true)
            );
        }
        md.push('\n');
    }

    if !failed.is_empty() {
        let _ = writeln!(
            md,
            "**Failed responses** ({}):\n",
            shown(failed.len(), totals.failed)
        );
        for f in failed {
            let more = if f.more == 0 {
                String::new()
            } else {
                format!(
                    " (and {} more {})",
                    thousands(f.more),
                    if f.more == 1 { "finding" } else { "findings" }
                )
            };
            let _ = writeln!(
                md,
                "- {} line {}: {} {}{more}",
                code(&f.name, false),
                f.line,
                code(f.rule, false),
                text(&f.message)
            );
        }
        md.push('\n');
    }

    if !unreadable.is_empty() {
        let _ = writeln!(
            md,
            "**Unreadable inputs** ({}):\n",
            shown(unreadable.len(), totals.unreadable)
        );
        for (input, reason) in unreadable {
            let _ = writeln!(md, "- {}: {}", code(input, false), text(reason));
        }
        md.push('\n');
    }
    md
}

/// `all 3` or `the first 20 of 1,204`.
fn shown(listed: usize, total: usize) -> String {
    if listed >= total {
        format!("all {}", thousands(total))
    } else {
        format!("the first {} of {}", thousands(listed), thousands(total))
    }
}

/// `text` as a code span, whatever backticks it holds; `|` escaped for a table cell.
fn code(text: &str, in_table: bool) -> String {
    let text = escape_controls(text);
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    let body = if in_table {
        text.replace('|', "\\|")
    } else {
        text.into_owned()
    };
    format!("{fence}{pad}{body}{pad}{fence}")
}

/// `text` as literal inline markdown: every character that could start emphasis, a link, an
/// image, HTML, an entity, a code span, math or a table cell is backslash-escaped.
fn text(text: &str) -> String {
    let text = escape_controls(text);
    let mut out = String::with_capacity(text.len());
    let mut previous = ' ';
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        // An underscore inside a word never delimits emphasis: `ENTITY_NOT_FOUND` stays as is.
        let inside_word = c == '_'
            && previous.is_alphanumeric()
            && chars.peek().is_some_and(|next| next.is_alphanumeric());
        if !inside_word
            && matches!(
                c,
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '$' | '!' | '#'
            )
        {
            out.push('\\');
        }
        out.push(c);
        previous = c;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::diagnostic::{Diagnostic, Label, Locator, Pos, Snippet};
    use crate::contract::rules::HelpTopic;

    fn response(input: &str, message: &str) -> CheckedResponse<'static> {
        let diagnostic = Diagnostic {
            rule: RuleId::StatusMismatch,
            severity: Severity::Error,
            message: message.into(),
            help_topic: HelpTopic::Code("X".into()),
            pointer: Some("/status".into()),
            primary: Label::kept(
                Pos {
                    line: 4,
                    column: 13,
                },
                Snippet::default(),
                None,
            ),
            secondary: None,
        };
        CheckedResponse {
            input: input.into(),
            locator: Locator::Whole,
            code: None,
            diagnostics: vec![diagnostic.clone(), diagnostic],
            failed: true,
        }
    }

    fn summary(responses: &[CheckedResponse]) -> String {
        let setup = Setup {
            checked_against: "cyoda-go 0.8.3".into(),
            ..Setup::default()
        };
        let mut out = Vec::new();
        {
            let mut writer = SummaryWriter::new(Box::new(&mut out), &setup);
            let mut totals = Totals::default();
            for r in responses {
                totals.add(r);
                let mut rendered = Vec::new();
                SummaryRenderer.render(r, &mut rendered);
                writer.rendered(&rendered).unwrap();
            }
            totals.inputs = responses.len();
            writer.finish(&totals).unwrap();
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn names_the_version_totals_rules_and_failed_responses() {
        let md = summary(&[response("captured/a.json", "status is 400")]);
        assert!(
            md.starts_with("### cyoda check against cyoda-go 0.8.3: ❌ failed\n\nchecked 1 response in 1 input against cyoda-go 0.8.3: 0 ok, 1 failed (2 errors, 0 warnings)\n\n"),
            "{md}"
        );
        assert!(
            md.contains("| `status-mismatch` | error | 2 | `cyoda help check status-mismatch` |\n"),
            "{md}"
        );
        assert!(md.contains("**Failed responses** (all 1):\n\n- `captured/a.json` line 4: `status-mismatch` status is 400 (and 1 more finding)\n"), "{md}");
    }

    #[test]
    fn lists_only_the_first_failures() {
        let responses: Vec<_> = (0..LISTED + 5)
            .map(|n| response(&format!("f{n}.json"), "m"))
            .collect();
        let md = summary(&responses);
        assert!(md.contains("(the first 20 of 25)"), "{md}");
        assert_eq!(md.matches("\n- `f").count(), LISTED);
        assert!(md.contains("`f19.json`") && !md.contains("`f20.json`"));
    }

    #[test]
    fn input_text_cannot_add_markup() {
        let md = summary(&[response(
            "a`b|c.json",
            "<img src=x> [x](http://e) *b* _i_ A_B \u{1b}[31m",
        )]);
        assert!(md.contains("``a`b|c.json``"), "{md}");
        assert!(
            md.contains("\\<img src=x\\> \\[x\\](http://e) \\*b\\* \\_i\\_ A_B \\\\u{1b}\\[31m"),
            "{md}"
        );
        assert!(!md.contains('\u{1b}'));
        assert_eq!(code("x|y", true), "`x\\|y`");
        assert_eq!(code("`x", false), "`` `x ``");
    }

    #[test]
    fn an_empty_run_says_so() {
        let md = summary(&[]);
        assert!(
            md.starts_with(
                "### cyoda check against cyoda-go 0.8.3: ⚠️ no responses found to check\n"
            ),
            "{md}"
        );
        assert!(!md.contains('|'));
    }
}
