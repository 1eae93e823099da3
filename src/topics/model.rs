//! The shapes the topic compiler produces: problems it reports, and the JSON documents it
//! derives. The JSON types keep the field order and names of Cyoda's `GET /help`
//! (`TopicDescriptor`, `Section`, `HelpPayload`) so its consumers read ours unchanged; `error`
//! is our additive field.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

/// One problem in one topic file, reported as `help/<file>.md:<line>: <message>`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// Path as users see it, e.g. `help/errors/conflict.md`.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// One H2 section of a topic body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub name: String,
    pub body: String,
}

/// The catalog facts of an error topic, additive to the upstream descriptor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorInfo {
    pub code: String,
    pub status: u16,
    /// Reason phrase of `status`, the envelope's `title`.
    pub title: String,
    /// `yes`, `no` or `conditional`.
    pub retryable: String,
    /// `required` or `absent`.
    pub ticket: String,
    pub reserved: bool,
    /// Extra `properties` members and their JSON types.
    pub properties: BTreeMap<String, String>,
}

/// One topic as JSON: the shape of Cyoda's `GET /help/{topic}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicDescriptor {
    pub topic: String,
    pub path: Vec<String>,
    pub title: String,
    pub synopsis: String,
    pub body: String,
    pub sections: Vec<Section>,
    pub see_also: Vec<String>,
    pub stability: String,
    pub actions: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorInfo>,
}

/// The whole tree as JSON: the shape of Cyoda's `GET /help`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HelpPayload {
    /// Additive-only versioning key; always 1.
    pub schema: u32,
    /// The cyoda-go version the catalog documents.
    pub version: String,
    /// Depth-first, parents before children, siblings in byte order of their last segment.
    pub topics: Vec<TopicDescriptor>,
}

/// Text of the lookup index: borrowed from the binary at run time (build.rs writes the index as
/// a Rust static, so no start-up parse), owned while the compiler derives it.
pub type IndexText = Cow<'static, str>;

/// What `cyoda help` needs to find and list topics without parsing every descriptor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexEntry {
    /// Dotted id, canonical case.
    pub id: IndexText,
    /// Embedded file stem: lowercase, dots as slashes (`errors/idempotency_conflict`).
    pub file: IndexText,
    pub title: IndexText,
    /// The NAME line without its id, inline markers stripped, at most 80 characters.
    pub tagline: IndexText,
    pub stability: IndexText,
    /// Direct children, dotted, in tree order.
    pub children: Cow<'static, [IndexText]>,
    /// Documented HTTP status for error topics.
    pub status: Option<u16>,
    /// Documented retryability for error topics.
    pub retryable: Option<IndexText>,
}

/// The embedded lookup index.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TopicIndex {
    pub version: IndexText,
    /// In tree order.
    pub topics: Cow<'static, [IndexEntry]>,
}
