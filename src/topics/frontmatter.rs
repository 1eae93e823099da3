//! Reads a topic's YAML front matter into typed values that remember their line, so every
//! problem can be reported where it is.

use crate::contract::catalog::PropertyType;
use crate::contract::version::VersionRange;
use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};
use std::collections::BTreeMap;

/// A value and the 1-based file line it was written on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub line: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stability {
    Stable,
    Evolving,
    Experimental,
}

impl Stability {
    pub const ALL: [Stability; 3] = [
        Stability::Stable,
        Stability::Evolving,
        Stability::Experimental,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stability::Stable => "stable",
            Stability::Evolving => "evolving",
            Stability::Experimental => "experimental",
        }
    }
}

/// The `error:` block of an error topic. The facts of each version (status, retryability,
/// ticket, reserved) are in the version tables; the page adds what the tables cannot say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorMatter {
    pub line: usize,
    /// The JSON type of every extra `properties` member any version's server sets.
    pub properties: BTreeMap<String, Located<PropertyType>>,
    /// Example response bodies, each for a range of versions (all of them when `versions` is
    /// `None`); together they cover every version that defines the code.
    pub examples: Vec<Example>,
}

/// One example body of an error topic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Example {
    pub versions: Option<Located<VersionRange>>,
    /// The body; `line` is the file line of its first line.
    pub body: Located<String>,
}

/// The `rule:` block of a check-rule topic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleMatter {
    pub line: usize,
    pub id: Located<String>,
    pub severity: Located<String>,
    pub args: Vec<String>,
    pub failing: Located<String>,
    pub passing: Located<String>,
}

/// Everything the front matter says, each value with its line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FrontMatter {
    pub topic: Option<Located<String>>,
    pub title: Option<Located<String>>,
    pub stability: Option<Located<Stability>>,
    pub see_also: Vec<Located<String>>,
    pub error: Option<ErrorMatter>,
    pub rule: Option<RuleMatter>,
}

/// Parses `yaml` (whose first line is file line `first_line`); problems are `(line, message)`.
pub fn parse(yaml: &str, first_line: usize) -> (FrontMatter, Vec<(usize, String)>) {
    let mut reader = Reader {
        first_line,
        problems: Vec::new(),
    };
    let front = reader.front_matter(yaml);
    (front, reader.problems)
}

struct Reader {
    first_line: usize,
    problems: Vec<(usize, String)>,
}

impl Reader {
    fn line_of(&self, node: &MarkedYaml<'_>) -> usize {
        node.span.start.line() + self.first_line - 1
    }

    fn problem(&mut self, line: usize, message: impl Into<String>) {
        self.problems.push((line, message.into()));
    }

    fn front_matter(&mut self, yaml: &str) -> FrontMatter {
        let mut front = FrontMatter::default();
        let documents = match MarkedYaml::load_from_str(yaml) {
            Ok(documents) => documents,
            Err(error) => {
                let line = error.marker().line() + self.first_line - 1;
                self.problem(
                    line,
                    format!("front matter is not valid YAML: {}", error.info()),
                );
                return front;
            }
        };
        let Some(root) = documents.first() else {
            self.problem(
                self.first_line,
                "front matter is empty: `topic`, `title` and `stability` are required",
            );
            return front;
        };
        let Some(entries) = self.mapping(root, "front matter") else {
            return front;
        };
        for (key, value) in &entries {
            let value = *value;
            match key.as_str() {
                "topic" => front.topic = self.string(value, "topic"),
                "title" => front.title = self.string(value, "title"),
                "stability" => front.stability = self.stability(value),
                "see_also" => front.see_also = self.string_list(value, "see_also"),
                "error" => front.error = self.error_matter(value),
                "rule" => front.rule = self.rule_matter(value),
                other => {
                    let line = self.line_of(value);
                    self.problem(
                        line,
                        format!(
                            "unknown front matter key `{other}` (known: topic, title, stability, see_also, error, rule)"
                        ),
                    );
                }
            }
        }
        let line = self.line_of(root);
        for key in ["topic", "title", "stability"] {
            if !entries.iter().any(|(name, _)| name == key) {
                self.problem(line, format!("front matter lacks `{key}`"));
            }
        }
        front
    }

    /// The entries of a mapping node, keys as strings, in document order.
    fn mapping<'n, 'a>(
        &mut self,
        node: &'n MarkedYaml<'a>,
        what: &str,
    ) -> Option<Vec<(String, &'n MarkedYaml<'a>)>> {
        let Some(map) = node.data.as_mapping() else {
            let line = self.line_of(node);
            self.problem(
                line,
                format!("{what} must be a mapping of `key: value` lines"),
            );
            return None;
        };
        let mut entries = Vec::new();
        for (key, value) in map {
            match scalar_text(key) {
                Some(name) => entries.push((name, value)),
                None => {
                    let line = self.line_of(key);
                    self.problem(line, format!("{what} has a key that is not a plain word"));
                }
            }
        }
        Some(entries)
    }

    fn string(&mut self, node: &MarkedYaml<'_>, key: &str) -> Option<Located<String>> {
        let line = self.line_of(node);
        match &node.data {
            YamlData::Value(Scalar::String(text)) if !text.trim().is_empty() => Some(Located {
                value: text.to_string(),
                line,
            }),
            YamlData::Value(Scalar::String(_)) | YamlData::Value(Scalar::Null) => {
                self.problem(line, format!("`{key}` must not be empty"));
                None
            }
            _ => {
                self.problem(line, format!("`{key}` must be a string"));
                None
            }
        }
    }

    fn string_list(&mut self, node: &MarkedYaml<'_>, key: &str) -> Vec<Located<String>> {
        if matches!(node.data, YamlData::Value(Scalar::Null)) {
            return Vec::new();
        }
        let Some(items) = node.data.as_vec() else {
            let line = self.line_of(node);
            self.problem(line, format!("`{key}` must be a list"));
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|item| self.string(item, key))
            .collect()
    }

    fn stability(&mut self, node: &MarkedYaml<'_>) -> Option<Located<Stability>> {
        let text = self.string(node, "stability")?;
        match Stability::ALL.iter().find(|s| s.as_str() == text.value) {
            Some(stability) => Some(Located {
                value: *stability,
                line: text.line,
            }),
            None => {
                self.problem(
                    text.line,
                    format!(
                        "stability `{}` is not one of stable, evolving, experimental",
                        text.value
                    ),
                );
                None
            }
        }
    }

    fn error_matter(&mut self, node: &MarkedYaml<'_>) -> Option<ErrorMatter> {
        let block_line = self.line_of(node);
        let entries = self.mapping(node, "`error`")?;
        let mut properties = None;
        let mut example = None;
        let mut examples = None;
        for (key, value) in entries {
            let line = self.line_of(value);
            match key.as_str() {
                "properties" => properties = self.properties(value),
                "example" => {
                    // A `|` block starts on the line after its key.
                    if let Some(text) = self.string(value, "error.example") {
                        example = Some(Located { value: text.value, line: line + 1 });
                    }
                }
                "examples" => examples = self.examples(value),
                "status" | "retryable" | "ticket" | "reserved" => self.problem(
                    line,
                    format!(
                        "`error.{key}` is a fact of each version: it comes from help/catalog/<version>.tsv, remove it here"
                    ),
                ),
                other => self.problem(
                    line,
                    format!("unknown key `error.{other}` (known: properties, example, examples)"),
                ),
            }
        }
        let examples = match (example, examples) {
            (Some(body), None) => vec![Example {
                versions: None,
                body,
            }],
            (None, Some(examples)) => examples,
            (Some(_), Some(_)) => {
                self.problem(
                    block_line,
                    "`error` has both `example` and `examples`: keep one",
                );
                return None;
            }
            (None, None) => {
                if !self
                    .problems
                    .iter()
                    .any(|(_, m)| m.contains("`error.example"))
                {
                    self.problem(
                        block_line,
                        "`error` lacks `example` (or `examples`, one per range of versions)",
                    );
                }
                return None;
            }
        };
        if properties.is_none()
            && !self
                .problems
                .iter()
                .any(|(_, m)| m.contains("`error.properties"))
        {
            self.problem(
                block_line,
                "`error` lacks `properties` (`{}` when the server sets none)",
            );
        }
        Some(ErrorMatter {
            line: block_line,
            properties: properties?,
            examples,
        })
    }

    fn examples(&mut self, node: &MarkedYaml<'_>) -> Option<Vec<Example>> {
        let Some(items) = node.data.as_vec() else {
            let line = self.line_of(node);
            self.problem(
                line,
                "`error.examples` must be a list of `versions:` and `body:` pairs",
            );
            return None;
        };
        let mut examples = Vec::new();
        for item in items {
            let item_line = self.line_of(item);
            let entries = self.mapping(item, "an `error.examples` item")?;
            let (mut versions, mut body) = (None, None);
            for (key, value) in entries {
                let line = self.line_of(value);
                match key.as_str() {
                    "versions" => {
                        let text = self.string(value, "error.examples.versions")?;
                        match VersionRange::parse(&text.value) {
                            Ok(range) => versions = Some(Located { value: range, line }),
                            Err(message) => {
                                self.problem(line, format!("`error.examples.versions`: {message}"))
                            }
                        }
                    }
                    "body" => {
                        body = self
                            .string(value, "error.examples.body")
                            .map(|text| Located {
                                value: text.value,
                                line: line + 1,
                            })
                    }
                    other => self.problem(
                        line,
                        format!("unknown key `error.examples.{other}` (known: versions, body)"),
                    ),
                }
            }
            match (versions, body) {
                (Some(versions), Some(body)) => examples.push(Example {
                    versions: Some(versions),
                    body,
                }),
                _ => self.problem(
                    item_line,
                    "an `error.examples` item needs `versions` and `body`",
                ),
            }
        }
        Some(examples)
    }

    fn properties(
        &mut self,
        node: &MarkedYaml<'_>,
    ) -> Option<BTreeMap<String, Located<PropertyType>>> {
        let entries = self.mapping(node, "`error.properties`")?;
        let mut properties = BTreeMap::new();
        for (name, value) in entries {
            let line = self.line_of(value);
            match scalar_text(value).and_then(|text| PropertyType::parse(&text)) {
                Some(kind) => {
                    properties.insert(name, Located { value: kind, line });
                }
                None => self.problem(
                    line,
                    format!(
                        "`error.properties.{name}` must be a JSON type: string, integer, number, boolean, object or array"
                    ),
                ),
            }
        }
        Some(properties)
    }

    fn rule_matter(&mut self, node: &MarkedYaml<'_>) -> Option<RuleMatter> {
        let block_line = self.line_of(node);
        let entries = self.mapping(node, "`rule`")?;
        let (mut id, mut severity, mut failing, mut passing) = (None, None, None, None);
        let mut args = Vec::new();
        for (key, value) in entries {
            let line = self.line_of(value);
            match key.as_str() {
                "id" => id = self.string(value, "rule.id"),
                "severity" => {
                    severity = self.string(value, "rule.severity");
                    if let Some(found) = &severity
                        && found.value != "error"
                        && found.value != "warning"
                    {
                        self.problem(line, "`rule.severity` must be error or warning");
                    }
                }
                "args" => {
                    args = self
                        .string_list(value, "rule.args")
                        .into_iter()
                        .map(|a| a.value)
                        .collect()
                }
                "failing" => {
                    failing = self.string(value, "rule.failing").map(|t| Located {
                        value: t.value,
                        line: line + 1,
                    })
                }
                "passing" => {
                    passing = self.string(value, "rule.passing").map(|t| Located {
                        value: t.value,
                        line: line + 1,
                    })
                }
                other => self.problem(
                    line,
                    format!(
                        "unknown key `rule.{other}` (known: id, severity, args, failing, passing)"
                    ),
                ),
            }
        }
        for (present, key) in [
            (id.is_some(), "id"),
            (severity.is_some(), "severity"),
            (failing.is_some(), "failing"),
            (passing.is_some(), "passing"),
        ] {
            if !present
                && !self
                    .problems
                    .iter()
                    .any(|(_, m)| m.contains(&format!("`rule.{key}`")))
            {
                self.problem(block_line, format!("`rule` lacks `{key}`"));
            }
        }
        Some(RuleMatter {
            line: block_line,
            id: id?,
            severity: severity?,
            args,
            failing: failing?,
            passing: passing?,
        })
    }
}

/// The text of a scalar node, whatever YAML resolved it to (`no` stays `no`, `409` is `409`).
fn scalar_text(node: &MarkedYaml<'_>) -> Option<String> {
    match &node.data {
        YamlData::Value(Scalar::String(text)) => Some(text.to_string()),
        YamlData::Value(Scalar::Integer(number)) => Some(number.to_string()),
        YamlData::Value(Scalar::Boolean(flag)) => Some(flag.to_string()),
        YamlData::Representation(text, _, _) => Some(text.to_string()),
        _ => None,
    }
}
