//! The `sarif` report: SARIF 2.1.0, for code-scanning tools (GitHub code scanning, IDE viewers).
//!
//! One run whose `tool.driver.rules` lists every rule of `cyoda check` (in [`RuleId::ALL`]
//! order, so `ruleIndex` is stable): `id`, `name`, `shortDescription` ([`RuleId::summary`]),
//! `fullDescription` (the synopsis of the rule's help topic `check.<rule-id>`), `help` (that
//! topic's page, as text and markdown) and `defaultConfiguration.level`. Each violation is one
//! result with `ruleId`, `ruleIndex`, `level`, `message` and a physical location: the input as
//! a relative URI reference with forward slashes, and the region's start line and column (and
//! end column when the whole span is on the line). Columns count Unicode code points
//! (`columnKind`). Unreadable inputs are `toolExecutionNotifications` of the invocation, whose
//! `executionSuccessful` is false when the check could not do its job (exit status 2).
//!
//! Own serde types rather than the `serde-sarif` crate: that crate generates its ~100 types
//! from the schema in a build script (`schemafy`, `syn`, `prettyplease`, plus `typed-builder`
//! and `strum`), a heavy build for the dozen objects we write; ours hold exactly what we emit,
//! and a test validates the output against the official schema.
//!
//! Results are streamed like the `json` report: memory is bounded by the unreadable inputs,
//! not by the number of results.

use super::{CheckedResponse, Diagnostic, Report, STDIN, Summary, help_command, within};
use crate::contract::rules::{RuleId, Severity};
use crate::term::escape_controls;
use serde::{Deserialize, Serialize};
use std::io::{self, Write};

/// Where the SARIF 2.1.0 schema is published, for `$schema`.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// A SARIF log: the whole report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SarifLog {
    #[serde(rename = "$schema")]
    pub schema: String,
    /// `2.1.0`.
    pub version: String,
    /// Always one run.
    pub runs: Vec<Run>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Run {
    pub tool: Tool,
    /// `unicodeCodePoints`: columns count characters, as in the human report.
    pub column_kind: String,
    pub results: Vec<SarifResult>,
    pub invocations: Vec<Invocation>,
    /// What SARIF has no member for: the catalog version the run checked against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub properties: Option<RunProperties>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RunProperties {
    /// `cyoda-go 0.8.3`.
    pub checked_against: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Tool {
    pub driver: ToolComponent,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ToolComponent {
    /// `cyoda`.
    pub name: String,
    /// cyoda's version.
    pub version: String,
    pub rules: Vec<ReportingDescriptor>,
}

/// One rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReportingDescriptor {
    /// The rule id, `title-mismatch`.
    pub id: String,
    /// The rule id in upper camel case, `TitleMismatch`.
    pub name: String,
    pub short_description: MultiformatMessage,
    pub full_description: MultiformatMessage,
    pub help: MultiformatMessage,
    pub default_configuration: Configuration,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MultiformatMessage {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub markdown: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Configuration {
    pub level: Level,
}

/// `error` or `warning` (SARIF's `note` and `none` are not used).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
}

impl From<Severity> for Level {
    fn from(severity: Severity) -> Self {
        match severity {
            Severity::Error => Level::Error,
            Severity::Warning => Level::Warning,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Message {
    pub text: String,
}

/// One violation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SarifResult {
    pub rule_id: String,
    /// The rule's index in `tool.driver.rules`.
    pub rule_index: usize,
    /// The severity after `--allow`/`--warn`/`--deny`.
    pub level: Level,
    pub message: Message,
    /// Empty (and omitted) for standard input.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<Location>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Location {
    pub physical_location: PhysicalLocation,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PhysicalLocation {
    pub artifact_location: ArtifactLocation,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<Region>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ArtifactLocation {
    /// The input as a URI reference: relative with forward slashes, `file://` when absolute.
    pub uri: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Region {
    pub start_line: usize,
    pub start_column: usize,
    /// One past the span's last column, when the span ends on its start line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_column: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Invocation {
    /// False when the check could not do its job: an unreadable input, or nothing to check.
    pub execution_successful: bool,
    /// One per unreadable input (or unreadable part of one).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tool_execution_notifications: Vec<Notification>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Notification {
    pub level: Level,
    pub message: Message,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<Location>,
}

/// The driver with every rule's metadata, from the embedded help topics.
pub fn driver() -> ToolComponent {
    ToolComponent {
        name: "cyoda".to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        rules: RuleId::ALL.iter().map(|rule| descriptor(*rule)).collect(),
    }
}

fn descriptor(rule: RuleId) -> ReportingDescriptor {
    let topic = rule.topic();
    let entry = crate::help::store::entry(crate::catalog::default(), &topic);
    let synopsis = entry
        .and_then(|entry| {
            serde_json::from_str::<crate::topics::model::TopicDescriptor>(
                &crate::help::store::descriptor_json(entry),
            )
            .ok()
        })
        .map(|descriptor| descriptor.synopsis)
        .filter(|synopsis| !synopsis.is_empty())
        .unwrap_or_else(|| rule.summary().to_string());
    let page = entry
        .map(crate::help::store::markdown)
        .filter(|page| !page.is_empty())
        .map_or_else(
            || format!("{}\n\nRun `cyoda help {topic}`.", rule.summary()),
            str::to_string,
        );
    ReportingDescriptor {
        id: rule.as_str().to_string(),
        name: upper_camel(rule.as_str()),
        short_description: MultiformatMessage {
            text: rule.summary().to_string(),
            markdown: None,
        },
        full_description: MultiformatMessage {
            text: synopsis,
            markdown: None,
        },
        help: MultiformatMessage {
            text: page.clone(),
            markdown: Some(page),
        },
        default_configuration: Configuration {
            level: rule.default_severity().into(),
        },
    }
}

/// `title-mismatch` → `TitleMismatch`.
fn upper_camel(id: &str) -> String {
    id.split('-')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// An input name as a URI reference: forward slashes, percent-encoded where a URI needs it,
/// `file://` for an absolute path; `None` for standard input.
pub fn artifact_uri(input: &str) -> Option<String> {
    if input == STDIN {
        return None;
    }
    let path = input.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    let encoded = iri_string::percent_encode::PercentEncodedForUri::from_path(path).to_string();
    let uri = if encoded.starts_with('/') {
        format!("file://{encoded}")
    } else if is_drive(&encoded) {
        format!("file:///{encoded}")
    } else if encoded
        .split('/')
        .next()
        .is_some_and(|first| first.contains(':'))
    {
        // `a:b/c.json` would read as a URI with scheme `a`.
        format!("./{encoded}")
    } else {
        encoded
    };
    Some(uri)
}

/// `C:/…`, a Windows path made absolute by its drive letter.
fn is_drive(path: &str) -> bool {
    let mut chars = path.chars();
    matches!(
        (chars.next(), chars.next(), chars.next()),
        (Some(letter), Some(':'), Some('/')) if letter.is_ascii_alphabetic()
    )
}

fn location(input: &str, region: Option<Region>) -> Vec<Location> {
    artifact_uri(input)
        .map(|uri| Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation { uri },
                region,
            },
        })
        .into_iter()
        .collect()
}

fn region(d: &Diagnostic) -> Region {
    // The span is known to end on the line when it ends before the snippet's text does.
    let span = &d.snippet.span;
    let ends_inside = span.end > span.start && span.end < d.snippet.text.chars().count();
    Region {
        start_line: d.line,
        start_column: d.column,
        end_column: ends_inside.then(|| d.column + (span.end - span.start)),
    }
}

/// One violation as a result.
pub fn result(response: &CheckedResponse, d: &Diagnostic) -> SarifResult {
    let within = within(response);
    SarifResult {
        rule_id: d.rule.as_str().to_string(),
        rule_index: RuleId::ALL
            .iter()
            .position(|rule| *rule == d.rule)
            .unwrap_or_default(),
        level: d.severity.into(),
        message: Message {
            text: format!(
                "{}{within}\nhelp: {}",
                escape_controls(&d.message),
                escape_controls(&help_command(&d.help_topic))
            ),
        },
        locations: location(&response.input, Some(region(d))),
    }
}

/// The `sarif` report over a writer.
pub struct Sarif<W: Write> {
    out: W,
    started: bool,
    results: usize,
    notifications: Vec<Notification>,
}

impl<W: Write> Sarif<W> {
    pub fn new(out: W) -> Self {
        Sarif {
            out,
            started: false,
            results: 0,
            notifications: Vec::new(),
        }
    }

    pub fn into_inner(self) -> W {
        self.out
    }

    /// Everything up to the opening bracket of `results`, once.
    fn head(&mut self) -> io::Result<()> {
        if !self.started {
            self.started = true;
            write!(
                self.out,
                "{{\"$schema\":{},\"version\":\"2.1.0\",\"runs\":[{{\"tool\":{{\"driver\":",
                serde_json::to_string(SCHEMA_URI)?
            )?;
            serde_json::to_writer(&mut self.out, &driver())?;
            self.out
                .write_all(b"},\"columnKind\":\"unicodeCodePoints\",\"results\":[")?;
        }
        Ok(())
    }
}

impl<W: Write> Report for Sarif<W> {
    fn response(&mut self, response: &CheckedResponse) -> io::Result<()> {
        if response.diagnostics.is_empty() {
            return Ok(());
        }
        self.head()?;
        for d in &response.diagnostics {
            if self.results > 0 {
                self.out.write_all(b",")?;
            }
            self.results += 1;
            self.out.write_all(b"\n")?;
            serde_json::to_writer(&mut self.out, &result(response, d))?;
        }
        Ok(())
    }

    fn unreadable(&mut self, input: &str, reason: &str) -> io::Result<()> {
        self.notifications.push(Notification {
            level: Level::Error,
            message: Message {
                text: format!("{}: {}", escape_controls(input), escape_controls(reason)),
            },
            locations: location(input, None),
        });
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        self.head()?;
        if self.results > 0 {
            self.out.write_all(b"\n")?;
        }
        let invocation = Invocation {
            execution_successful: summary.unreadable == 0
                && (summary.responses > 0 || summary.skipped > 0),
            tool_execution_notifications: std::mem::take(&mut self.notifications),
        };
        self.out.write_all(b"],\"invocations\":[")?;
        serde_json::to_writer(&mut self.out, &invocation)?;
        self.out.write_all(b"],\"properties\":")?;
        let properties = RunProperties {
            checked_against: summary.checked_against.clone(),
        };
        serde_json::to_writer(&mut self.out, &properties)?;
        self.out.write_all(b"}]}\n")?;
        self.out.flush()
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris() {
        assert_eq!(
            artifact_uri("captured/a b.json").unwrap(),
            "captured/a%20b.json"
        );
        assert_eq!(artifact_uri("./a.json").unwrap(), "a.json");
        assert_eq!(artifact_uri("dir\\a.json").unwrap(), "dir/a.json");
        assert_eq!(artifact_uri("/tmp/a.json").unwrap(), "file:///tmp/a.json");
        assert_eq!(
            artifact_uri("C:\\x\\a.json").unwrap(),
            "file:///C:/x/a.json"
        );
        assert_eq!(artifact_uri("a:b/c.json").unwrap(), "./a:b/c.json");
        assert_eq!(artifact_uri("<stdin>"), None);
    }

    #[test]
    fn every_rule_has_its_topic_metadata() {
        let driver = driver();
        assert_eq!(driver.rules.len(), RuleId::ALL.len());
        for (rule, descriptor) in RuleId::ALL.iter().zip(&driver.rules) {
            assert_eq!(descriptor.id, rule.as_str());
            assert_ne!(descriptor.full_description.text, rule.summary(), "{rule}");
            let page = descriptor.help.markdown.as_deref().unwrap();
            assert!(page.starts_with(&format!("# {}", rule.topic())), "{rule}");
        }
        assert_eq!(driver.rules[0].name, "InvalidJson");
    }
}
