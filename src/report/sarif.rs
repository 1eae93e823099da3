//! The `sarif` report: SARIF 2.1.0, for code-scanning tools (GitHub code scanning, IDE viewers),
//! written to what GitHub documents it reads.
//!
//! - One run. `tool.driver` names cyoda with its `version` and `semanticVersion`, and lists
//!   every rule of `cyoda check` (in [`RuleId::ALL`] order, so `ruleIndex` is stable): `id`,
//!   `name`, `shortDescription` ([`RuleId::summary`]), `fullDescription` (the synopsis of the
//!   rule's help topic), `help` (that topic's page, as text and markdown),
//!   `defaultConfiguration.level`.
//! - `automationDetails.id` is the category (`--sarif-category`, default `cyoda-check/`, always
//!   ending in `/` as GitHub reads it), so two analyses of one commit don't replace each
//!   other's alerts. GitHub's upload action fills in its `category` input only when a run has
//!   no `automationDetails`, so with cyoda the category is set here, not there.
//! - Every result has a physical location: the input relative to `%SRCROOT%` (the repository:
//!   the Git work tree around the current directory, else the current directory), declared in
//!   `originalUriBaseIds`, with forward slashes; standard input is the artifact `stdin`.
//! - `partialFingerprints` say which finding a result is without its line, under
//!   [`FINGERPRINT`]: a hash of the rule, the repo-relative path, the response's errorCode and
//!   the JSON pointer of the member, and the how-manieth such finding it is in the run
//!   ([`super::identity`]). Inserting lines above a finding keeps its identity.
//!   GitHub code scanning reads only `primaryLocationLineHash`, which we leave out on purpose:
//!   its upload action computes it from the file's content at the result's line (a rolling
//!   hash of that line and what follows, also unmoved by lines inserted above), and warns on
//!   every result whose given value differs from its own. Ours serves every other consumer
//!   (the SARIF multitool's result matching, DefectDojo, IDE viewers).
//! - Columns count Unicode code points (`columnKind`). Unreadable inputs are
//!   `toolExecutionNotifications`; `executionSuccessful` is false when the check could not do
//!   its job (exit status 2). `properties.checkedAgainst` names the catalog version.
//!
//! Own serde types rather than the `serde-sarif` crate: that crate generates its ~100 types
//! from the schema in a build script (`schemafy`, `syn`, `prettyplease`, plus `typed-builder`
//! and `strum`), a heavy build for the dozen objects we write; ours hold exactly what we emit,
//! and tests validate the output against the official schema. Results are streamed: memory is
//! bounded by the unreadable inputs and one counter per distinct finding.

pub use super::identity::finding_hash;
use super::identity::{self, Occurrences};
use super::{Renderer, Setup, Writer, within};
use crate::check::diagnostic::{CheckedResponse, Diagnostic, Totals};
use crate::contract::rules::{RuleId, Severity};
use crate::term::escape_controls;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

/// Where the SARIF 2.1.0 schema is published, for `$schema`.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The base id every artifact location is relative to.
pub const SRCROOT: &str = "SRCROOT";
/// The `partialFingerprints` key of our stable finding identity.
pub const FINGERPRINT: &str = "cyodaFinding/v1";
/// The category when `--sarif-category` is not given.
pub const DEFAULT_CATEGORY: &str = "cyoda-check/";

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
    pub automation_details: AutomationDetails,
    /// `SRCROOT`, when the repository root is known.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub original_uri_base_ids: BTreeMap<String, ArtifactLocation>,
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
pub struct AutomationDetails {
    /// The category (ending in `/`), then nothing: GitHub keys alerts by it.
    pub id: String,
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
    /// The same, as SemVer (GitHub shows it).
    pub semantic_version: String,
    pub information_uri: String,
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
    pub locations: Vec<Location>,
    /// [`FINGERPRINT`] → `<hash>/<occurrence>`.
    pub partial_fingerprints: BTreeMap<String, String>,
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
    /// Relative to `uriBaseId` with forward slashes, or an absolute `file://` URI.
    pub uri: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri_base_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Message>,
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

/// The driver with every rule's metadata, from the run's rule documentation.
pub fn driver(setup: &Setup) -> ToolComponent {
    ToolComponent {
        name: "cyoda".to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        semantic_version: env!("CARGO_PKG_VERSION").to_string(),
        information_uri: "https://github.com/Cyoda/cyoda-go".to_string(),
        rules: RuleId::ALL
            .iter()
            .map(|rule| descriptor(*rule, setup))
            .collect(),
    }
}

fn descriptor(rule: RuleId, setup: &Setup) -> ReportingDescriptor {
    let doc = setup.rule(rule);
    let synopsis = doc
        .map(|doc| doc.synopsis.clone())
        .filter(|synopsis| !synopsis.is_empty())
        .unwrap_or_else(|| rule.summary().to_string());
    let page = doc
        .map(|doc| doc.markdown.clone())
        .filter(|page| !page.is_empty())
        .unwrap_or_else(|| format!("{}\n\nRun `cyoda help {}`.", rule.summary(), rule.topic()));
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

/// Where inputs are, for repo-relative paths.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Roots {
    /// The current directory (inputs are named relative to it).
    pub current: PathBuf,
    /// The repository root: `%SRCROOT%`.
    pub source: PathBuf,
}

impl Roots {
    /// The current directory and the Git work tree around it (the first ancestor holding
    /// `.git`), or the current directory itself outside one.
    pub fn discover() -> Roots {
        let current = std::env::current_dir().unwrap_or_default();
        let source = current
            .ancestors()
            .find(|dir| dir.join(".git").exists())
            .unwrap_or(&current)
            .to_path_buf();
        Roots { current, source }
    }

    /// An input's path from the repository root, with forward slashes, when it is inside it.
    pub fn relative(&self, input: &str) -> Option<String> {
        let path = Path::new(input);
        let absolute = if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.current.join(path)
        };
        let normal = normalise(&absolute);
        let relative = normal.strip_prefix(normalise(&self.source)).ok()?;
        let parts: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        (!parts.is_empty()).then(|| parts.join("/"))
    }
}

/// `a/./b/../c` → `a/c`, without touching the file system.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// A path as a URI reference, percent-encoded where a URI needs it.
fn encode(path: &str) -> String {
    iri_string::percent_encode::PercentEncodedForUri::from_path(path).to_string()
}

/// The artifact of an input: repo-relative under `SRCROOT`; else an absolute `file://` URI;
/// standard input is `stdin`.
pub fn artifact(input: &str, roots: &Roots) -> ArtifactLocation {
    if input == crate::check::diagnostic::STDIN {
        return ArtifactLocation {
            uri: "stdin".to_string(),
            uri_base_id: None,
            description: Some(Message {
                text: "standard input".to_string(),
            }),
        };
    }
    let input = input.replace('\\', "/");
    match roots.relative(&input) {
        Some(relative) => ArtifactLocation {
            uri: encode(&relative),
            uri_base_id: Some(SRCROOT.to_string()),
            description: None,
        },
        None => {
            let absolute = normalise(&roots.current.join(&input));
            let path = absolute.to_string_lossy().replace('\\', "/");
            let path = path.strip_prefix('/').unwrap_or(&path);
            ArtifactLocation {
                uri: format!("file:///{}", encode(path)),
                uri_base_id: None,
                description: None,
            }
        }
    }
}

fn region(d: &Diagnostic) -> Region {
    // SARIF's endColumn is exclusive, on the start line: given when the span ends there.
    let end = d.primary.end;
    let on_one_line = end.line == d.line() && end.column > d.column();
    Region {
        start_line: d.line(),
        start_column: d.column(),
        end_column: on_one_line.then_some(end.column),
    }
}

/// `automationDetails.id` for a category: GitHub takes everything up to the id's last `/` as
/// the category and the rest as the run, so a category without a trailing `/` would be read
/// as a run of no category. `api` becomes `api/` (as GitHub's upload action writes its own
/// `category` input); no category, or an empty one, is [`DEFAULT_CATEGORY`].
pub fn automation_id(category: Option<&str>) -> String {
    match category.map(str::trim) {
        None | Some("") => DEFAULT_CATEGORY.to_string(),
        Some(category) if category.ends_with('/') => category.to_string(),
        Some(category) => format!("{category}/"),
    }
}

/// Each result as an [`identity::frame`] of its finding hash and its JSON without the closing
/// brace: the writer numbers repeats of a hash and closes the object with its fingerprint.
pub struct SarifRenderer {
    roots: Roots,
}

impl SarifRenderer {
    pub fn new(setup: &Setup) -> Self {
        SarifRenderer {
            roots: setup.roots.clone(),
        }
    }
}

/// A result before its fingerprint.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Partial {
    rule_id: &'static str,
    rule_index: usize,
    level: Level,
    message: Message,
    locations: [Location; 1],
}

impl Renderer for SarifRenderer {
    fn render(&self, response: &CheckedResponse, out: &mut Vec<u8>) {
        if response.diagnostics.is_empty() {
            return;
        }
        let artifact = artifact(&response.input, &self.roots);
        let path = artifact.uri.clone();
        for d in &response.diagnostics {
            let result = Partial {
                rule_id: d.rule.as_str(),
                rule_index: RuleId::ALL
                    .iter()
                    .position(|rule| *rule == d.rule)
                    .unwrap_or_default(),
                level: d.severity.into(),
                message: Message {
                    text: format!(
                        "{}{}\nhelp: {}",
                        escape_controls(&d.message),
                        within(response),
                        format_args!("cyoda help {}", d.help_topic)
                    ),
                },
                locations: [Location {
                    physical_location: PhysicalLocation {
                        artifact_location: artifact.clone(),
                        region: Some(region(d)),
                    },
                }],
            };
            let hash = finding_hash(
                d.rule,
                &path,
                response.code.as_deref(),
                d.pointer.as_deref(),
            );
            identity::frame(out, &hash, |out| {
                let start = out.len();
                // Serializing into a Vec cannot fail.
                let _ = super::to_writer_terminal_safe(&mut *out, &result);
                if out.len() > start && out.last() == Some(&b'}') {
                    out.pop();
                }
            });
        }
    }
}

/// Writes the log around the rendered results.
pub struct SarifWriter<'w> {
    out: Box<dyn Write + 'w>,
    setup: Setup,
    started: bool,
    results: usize,
    /// How many results of each finding hash were written: the occurrence of the next one.
    seen: Occurrences,
    notifications: Vec<Notification>,
}

impl<'w> SarifWriter<'w> {
    pub fn new(out: Box<dyn Write + 'w>, setup: &Setup) -> Self {
        SarifWriter {
            out,
            setup: setup.clone(),
            started: false,
            results: 0,
            seen: Occurrences::default(),
            notifications: Vec::new(),
        }
    }

    /// Everything up to the opening bracket of `results`, once.
    fn head(&mut self) -> io::Result<()> {
        if self.started {
            return Ok(());
        }
        self.started = true;
        write!(
            self.out,
            "{{\"$schema\":{},\"version\":\"2.1.0\",\"runs\":[{{\"tool\":{{\"driver\":",
            serde_json::to_string(SCHEMA_URI)?
        )?;
        serde_json::to_writer(&mut self.out, &driver(&self.setup))?;
        let id = automation_id(self.setup.sarif_category.as_deref());
        self.out.write_all(b"},\"automationDetails\":")?;
        super::to_writer_terminal_safe(&mut self.out, &AutomationDetails { id })?;
        let mut base = BTreeMap::new();
        let root = self.setup.roots.source.to_string_lossy().replace('\\', "/");
        if !root.is_empty() {
            let root = root.trim_end_matches('/');
            let root = root.strip_prefix('/').unwrap_or(root);
            base.insert(
                SRCROOT.to_string(),
                ArtifactLocation {
                    uri: format!("file:///{}/", encode(root)).replace("file:////", "file:///"),
                    uri_base_id: None,
                    description: None,
                },
            );
            self.out.write_all(b",\"originalUriBaseIds\":")?;
            serde_json::to_writer(&mut self.out, &base)?;
        }
        self.out
            .write_all(b",\"columnKind\":\"unicodeCodePoints\",\"results\":[")
    }
}

impl Writer for SarifWriter<'_> {
    fn rendered(&mut self, rendered: &[u8]) -> io::Result<()> {
        if rendered.is_empty() {
            return Ok(());
        }
        self.head()?;
        for (hash, partial) in identity::frames(rendered) {
            let occurrence = self.seen.next(hash);
            if self.results > 0 {
                self.out.write_all(b",")?;
            }
            self.results += 1;
            self.out.write_all(b"\n")?;
            self.out.write_all(partial)?;
            write!(
                self.out,
                ",\"partialFingerprints\":{{\"{FINGERPRINT}\":\"{hash}/{occurrence}\"}}}}"
            )?;
        }
        Ok(())
    }

    fn unreadable(&mut self, input: &str, reason: &str) -> io::Result<()> {
        self.notifications.push(Notification {
            level: Level::Error,
            message: Message {
                text: format!("{}: {}", escape_controls(input), escape_controls(reason)),
            },
            locations: vec![Location {
                physical_location: PhysicalLocation {
                    artifact_location: artifact(input, &self.setup.roots),
                    region: None,
                },
            }],
        });
        Ok(())
    }

    fn finish(&mut self, totals: &Totals) -> io::Result<()> {
        self.head()?;
        if self.results > 0 {
            self.out.write_all(b"\n")?;
        }
        let invocation = Invocation {
            execution_successful: totals.unreadable == 0
                && (totals.responses > 0 || totals.skipped > 0),
            tool_execution_notifications: std::mem::take(&mut self.notifications),
        };
        self.out.write_all(b"],\"invocations\":[")?;
        super::to_writer_terminal_safe(&mut self.out, &invocation)?;
        self.out.write_all(b"],\"properties\":")?;
        let properties = RunProperties {
            checked_against: self.setup.checked_against.clone(),
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

    fn roots() -> Roots {
        Roots {
            current: PathBuf::from("/repo/sub"),
            source: PathBuf::from("/repo"),
        }
    }

    /// The last value of a pretty-printed line ends at the line's end: its region still has
    /// an end column (one past the value), and a span over two lines has none.
    #[test]
    fn regions_end_where_the_span_ends() {
        use crate::check::position::Source;
        let body = b"{\n  \"status\": 409\n}";
        let source = Source::lines(body, 1);
        let label = |span: std::ops::Range<usize>| {
            crate::check::diagnostic::Label::at(source.resolve(span), None)
        };
        let at_end = label(14..17);
        assert_eq!((at_end.line, at_end.column, at_end.end.column), (2, 13, 16));
        let diagnostic = |primary| Diagnostic {
            rule: RuleId::StatusMismatch,
            severity: Severity::Error,
            message: String::new(),
            help_topic: RuleId::StatusMismatch.topic(),
            pointer: None,
            primary,
            secondary: None,
        };
        assert_eq!(region(&diagnostic(at_end)).end_column, Some(16));
        assert_eq!(region(&diagnostic(label(0..19))).end_column, None);
    }

    #[test]
    fn inputs_are_repo_relative_with_forward_slashes() {
        let roots = roots();
        let at = |input: &str| artifact(input, &roots);
        assert_eq!(at("captured/a b.json").uri, "sub/captured/a%20b.json");
        assert_eq!(at("captured/a.json").uri_base_id.as_deref(), Some(SRCROOT));
        assert_eq!(at("./a.json").uri, "sub/a.json");
        assert_eq!(at("../top.json").uri, "top.json");
        assert_eq!(at("dir\\a.json").uri, "sub/dir/a.json");
        assert_eq!(at("/repo/x/a.json").uri, "x/a.json");
        let outside = at("/tmp/a.json");
        assert_eq!(
            (outside.uri.as_str(), outside.uri_base_id),
            ("file:///tmp/a.json", None)
        );
        assert_eq!(at("<stdin>").uri, "stdin");
    }

    #[test]
    fn fingerprints_ignore_lines_and_tell_findings_apart() {
        let a = finding_hash(
            RuleId::StatusMismatch,
            "a.json",
            Some("CONFLICT"),
            Some("/status"),
        );
        assert_eq!(a.len(), 32);
        assert_eq!(
            a,
            finding_hash(
                RuleId::StatusMismatch,
                "a.json",
                Some("CONFLICT"),
                Some("/status")
            )
        );
        for other in [
            finding_hash(
                RuleId::TitleMismatch,
                "a.json",
                Some("CONFLICT"),
                Some("/status"),
            ),
            finding_hash(
                RuleId::StatusMismatch,
                "b.json",
                Some("CONFLICT"),
                Some("/status"),
            ),
            finding_hash(RuleId::StatusMismatch, "a.json", None, Some("/status")),
            finding_hash(
                RuleId::StatusMismatch,
                "a.json",
                Some("CONFLICT"),
                Some("/title"),
            ),
        ] {
            assert_ne!(a, other);
        }
    }

    #[test]
    fn a_category_ends_with_a_slash() {
        assert_eq!(automation_id(None), "cyoda-check/");
        assert_eq!(automation_id(Some(" ")), "cyoda-check/");
        assert_eq!(automation_id(Some("api")), "api/");
        assert_eq!(automation_id(Some("api/")), "api/");
        assert_eq!(automation_id(Some("api/nightly")), "api/nightly/");
    }

    #[test]
    fn every_rule_has_its_metadata() {
        let driver = driver(&Setup::default());
        assert_eq!(driver.rules.len(), RuleId::ALL.len());
        for (rule, descriptor) in RuleId::ALL.iter().zip(&driver.rules) {
            assert_eq!(descriptor.id, rule.as_str());
            assert!(descriptor.help.markdown.is_some(), "{rule}");
        }
        assert_eq!(driver.rules[0].name, "InvalidJson");
    }
}
