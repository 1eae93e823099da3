//! The `gitlab` report: a GitLab Code Quality report (the subset of the CodeClimate issue
//! format that GitLab reads), which a merge request shows in its Code Quality widget and on
//! the lines of its diff.
//!
//! ```text
//! [
//! {"description":"status is 400, but ENTITY_NOT_FOUND is documented with 404 — help: cyoda help errors ENTITY_NOT_FOUND","check_name":"status-mismatch","severity":"major","location":{"path":"captured/a.json","lines":{"begin":4}},"fingerprint":"…"}
//! ]
//! ```
//!
//! - One issue per violation; `check_name` is the rule id, `severity` `major` for an error and
//!   `minor` for a warning (after `--allow`/`--warn`/`--deny` and `--strict`'s judgement is
//!   the exit status, not the severity).
//! - `location.path` is relative to the repository root (the Git work tree around the current
//!   directory, as in SARIF), with forward slashes and no `./`; `lines.begin` is the 1-based
//!   line of the violation.
//! - `fingerprint` is unique per finding and stable when lines are inserted above it: the
//!   [`identity`] of the finding and its occurrence, hashed. GitLab shows findings with one
//!   fingerprint once, and tells new findings from fixed ones by it.
//! - An unreadable input is an issue `unreadable-input` (major) on its first line, so the merge
//!   request says why the job failed.
//!
//! It streams like `json` and `sarif`: the renderer writes each issue without its fingerprint
//! ([`identity::frame`]), the writer numbers repeated findings, completes each issue and adds
//! the brackets and commas. Memory holds one counter per distinct finding.

use super::identity::{self, Occurrences};
use super::sarif::Roots;
use super::{Renderer, Setup, Writer, within};
use crate::check::diagnostic::{CheckedResponse, STDIN, Totals};
use crate::contract::rules::Severity;
use crate::term::escape_controls;
use serde::{Deserialize, Serialize};
use std::io::{self, Write};

/// The check name of an unreadable input.
pub const UNREADABLE: &str = "unreadable-input";

/// One Code Quality issue, as GitLab documents it: every member is required.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Issue {
    /// The message, what it is about when the file does not say (` (entry 3)`), and the help
    /// command.
    pub description: String,
    /// The rule id, `status-mismatch`, or [`UNREADABLE`].
    pub check_name: String,
    /// 32 hex digits, unique per finding in the report.
    pub fingerprint: String,
    pub severity: IssueSeverity,
    pub location: IssueLocation,
}

/// GitLab's severities; cyoda writes `major` (error) and `minor` (warning).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IssueSeverity {
    Info,
    Minor,
    Major,
    Critical,
    Blocker,
}

impl From<Severity> for IssueSeverity {
    fn from(severity: Severity) -> Self {
        match severity {
            Severity::Error => IssueSeverity::Major,
            Severity::Warning => IssueSeverity::Minor,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssueLocation {
    /// Relative to the repository root, forward slashes, no leading `./`.
    pub path: String,
    pub lines: IssueLines,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssueLines {
    /// 1-based.
    pub begin: usize,
}

/// An issue before its fingerprint, borrowing what it can.
#[derive(Serialize)]
struct Partial<'a> {
    description: String,
    check_name: &'a str,
    severity: IssueSeverity,
    location: LocationRef<'a>,
}

#[derive(Serialize)]
struct LocationRef<'a> {
    path: &'a str,
    lines: IssueLines,
}

/// An input's path as GitLab wants it: from the repository root when it is inside it;
/// otherwise as given, with forward slashes and without `./`. Standard input is `<stdin>`.
pub fn path(input: &str, roots: &Roots) -> String {
    if input == STDIN {
        return STDIN.to_string();
    }
    let input = input.replace('\\', "/");
    roots.relative(&input).unwrap_or_else(|| {
        let mut rest = input.as_str();
        while let Some(stripped) = rest.strip_prefix("./") {
            rest = stripped.trim_start_matches('/');
        }
        rest.to_string()
    })
}

/// Writes `partial` as JSON without its closing brace (the writer adds the fingerprint).
fn open_object(out: &mut Vec<u8>, partial: &Partial<'_>) {
    let start = out.len();
    // Serializing into a Vec cannot fail.
    let _ = super::to_writer_terminal_safe(&mut *out, partial);
    if out.len() > start && out.last() == Some(&b'}') {
        out.pop();
    }
}

/// An issue per violation, as frames.
pub struct GitlabRenderer {
    roots: Roots,
}

impl GitlabRenderer {
    pub fn new(setup: &Setup) -> Self {
        GitlabRenderer {
            roots: setup.roots.clone(),
        }
    }
}

impl Renderer for GitlabRenderer {
    fn render(&self, response: &CheckedResponse, out: &mut Vec<u8>) {
        if response.diagnostics.is_empty() {
            return;
        }
        let path = path(&response.input, &self.roots);
        let within = within(response);
        for d in &response.diagnostics {
            let partial = Partial {
                description: format!(
                    "{}{within} — help: {}",
                    escape_controls(&d.message),
                    format_args!("cyoda help {}", d.help_topic)
                ),
                check_name: d.rule.as_str(),
                severity: d.severity.into(),
                location: LocationRef {
                    path: &path,
                    lines: IssueLines {
                        begin: d.line().max(1),
                    },
                },
            };
            let hash = identity::finding_hash(
                d.rule,
                &path,
                response.code.as_deref(),
                d.pointer.as_deref(),
            );
            identity::frame(out, &hash, |out| open_object(out, &partial));
        }
    }
}

/// Writes the array around the rendered issues, completing each with its fingerprint.
pub struct GitlabWriter<'w> {
    out: Box<dyn Write + 'w>,
    roots: Roots,
    started: bool,
    issues: usize,
    seen: Occurrences,
}

impl<'w> GitlabWriter<'w> {
    pub fn new(out: Box<dyn Write + 'w>, setup: &Setup) -> Self {
        GitlabWriter {
            out,
            roots: setup.roots.clone(),
            started: false,
            issues: 0,
            seen: Occurrences::default(),
        }
    }

    /// One issue from its frame: the separator, the partial object, its fingerprint.
    fn issue(&mut self, hash: &str, partial: &[u8]) -> io::Result<()> {
        let occurrence = self.seen.next(hash);
        let fingerprint = identity::hash_parts(&[hash, &occurrence.to_string()]);
        if !self.started {
            self.started = true;
            self.out.write_all(b"[")?;
        }
        self.out
            .write_all(if self.issues > 0 { b",\n" } else { b"\n" })?;
        self.issues += 1;
        self.out.write_all(partial)?;
        write!(self.out, ",\"fingerprint\":\"{fingerprint}\"}}")
    }
}

impl Writer for GitlabWriter<'_> {
    fn rendered(&mut self, rendered: &[u8]) -> io::Result<()> {
        for (hash, partial) in identity::frames(rendered) {
            self.issue(hash, partial)?;
        }
        Ok(())
    }

    fn unreadable(&mut self, input: &str, reason: &str) -> io::Result<()> {
        let path = path(input, &self.roots);
        let partial = Partial {
            description: format!(
                "{} could not be read: {}",
                escape_controls(input),
                escape_controls(reason)
            ),
            check_name: UNREADABLE,
            severity: IssueSeverity::Major,
            location: LocationRef {
                path: &path,
                lines: IssueLines { begin: 1 },
            },
        };
        let mut object = Vec::new();
        open_object(&mut object, &partial);
        self.issue(&identity::hash_parts(&[UNREADABLE, &path]), &object)
    }

    fn finish(&mut self, _totals: &Totals) -> io::Result<()> {
        if !self.started {
            self.started = true;
            self.out.write_all(b"[")?;
        }
        if self.issues > 0 {
            self.out.write_all(b"\n")?;
        }
        self.out.write_all(b"]\n")?;
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
    use crate::contract::rules::{HelpTopic, RuleId};
    use std::path::PathBuf;

    fn roots() -> Roots {
        Roots {
            current: PathBuf::from("/repo/sub"),
            source: PathBuf::from("/repo"),
        }
    }

    fn response(input: &str, line: usize, repeats: usize) -> CheckedResponse<'static> {
        let diagnostic = Diagnostic {
            rule: RuleId::StatusMismatch,
            severity: Severity::Error,
            message: "status is 400, but X is documented with 404".into(),
            help_topic: HelpTopic::Code("X".into()),
            pointer: Some("/status".into()),
            primary: Label::kept(Pos { line, column: 13 }, Snippet::default(), None),
            secondary: None,
        };
        CheckedResponse {
            input: input.into(),
            locator: Locator::Whole,
            code: Some("X".into()),
            diagnostics: vec![diagnostic; repeats],
            failed: true,
        }
    }

    fn run(responses: &[CheckedResponse], unreadable: &[(&str, &str)]) -> Vec<Issue> {
        let setup = Setup {
            roots: roots(),
            ..Setup::default()
        };
        let renderer = GitlabRenderer::new(&setup);
        let mut out = Vec::new();
        {
            let mut writer = GitlabWriter::new(Box::new(&mut out), &setup);
            for r in responses {
                let mut rendered = Vec::new();
                renderer.render(r, &mut rendered);
                writer.rendered(&rendered).unwrap();
            }
            for (input, reason) in unreadable {
                writer.unreadable(input, reason).unwrap();
            }
            writer.finish(&Totals::default()).unwrap();
        }
        serde_json::from_slice(&out).unwrap()
    }

    #[test]
    fn paths_are_repo_relative() {
        let roots = roots();
        assert_eq!(path("captured/a b.json", &roots), "sub/captured/a b.json");
        assert_eq!(path("../top.json", &roots), "top.json");
        assert_eq!(path("dir\\a.json", &roots), "sub/dir/a.json");
        assert_eq!(path("/elsewhere/a.json", &roots), "/elsewhere/a.json");
        assert_eq!(path("<stdin>", &roots), "<stdin>");
    }

    #[test]
    fn an_empty_run_is_an_empty_array() {
        assert!(run(&[], &[]).is_empty());
    }

    #[test]
    fn issues_carry_every_member_and_fingerprints_ignore_lines() {
        let issues = run(
            &[response("a.json", 4, 2)],
            &[("gone.json", "no such file")],
        );
        assert_eq!(issues.len(), 3);
        let first = &issues[0];
        assert_eq!(first.check_name, "status-mismatch");
        assert_eq!(first.severity, IssueSeverity::Major);
        assert_eq!(first.location.path, "sub/a.json");
        assert_eq!(first.location.lines.begin, 4);
        assert!(first.description.ends_with("— help: cyoda help errors X"));
        assert_eq!(first.fingerprint.len(), 32);
        // The same finding twice: two fingerprints.
        assert_ne!(issues[0].fingerprint, issues[1].fingerprint);
        assert_eq!(issues[2].check_name, UNREADABLE);
        assert_eq!(issues[2].location.lines.begin, 1);

        // The same findings three lines further down keep their fingerprints.
        let moved = run(&[response("a.json", 7, 2)], &[]);
        assert_eq!(moved[0].fingerprint, issues[0].fingerprint);
        assert_eq!(moved[1].fingerprint, issues[1].fingerprint);
        assert_eq!(moved[0].location.lines.begin, 7);
    }
}
