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
    /// Extra `properties` members this version's server sets, and their JSON types.
    pub properties: BTreeMap<String, String>,
    /// The catalog versions that define the code: `0.6.3 and later`.
    pub versions: String,
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
    /// The cyoda-go version whose catalog this is (`0.8.4-preview` for a preview).
    pub version: String,
    /// Depth-first, parents before children, siblings in byte order of their last segment.
    pub topics: Vec<TopicDescriptor>,
}

/// Text of the lookup index: borrowed from the binary at run time (slices of the packed
/// version, see `crate::topics::packed`), owned while the compiler derives it.
pub type IndexText = Cow<'static, str>;

/// What `cyoda help` needs to find and list topics without parsing every descriptor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexEntry {
    /// Dotted id, canonical case.
    pub id: IndexText,
    /// Embedded page variant: lowercase id, dots as slashes, then the variant
    /// (`errors/idempotency_conflict.1`).
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

/// The lookup index of one catalog version.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TopicIndex {
    pub version: IndexText,
    /// The version is a preview of an unreleased one.
    pub preview: bool,
    /// In tree order.
    pub topics: Cow<'static, [IndexEntry]>,
}

/// A descriptor as it sits inside a pretty-printed [`HelpPayload`]: `serde_json`'s pretty form
/// with every line indented four more spaces, no trailing newline. Pages are stored in this
/// form so that a payload is their concatenation (see [`write_payload`]).
pub fn payload_fragment(descriptor: &TopicDescriptor) -> String {
    let pretty = serde_json::to_string_pretty(descriptor).unwrap_or_default();
    let mut out = String::with_capacity(pretty.len() + pretty.len() / 8);
    for (n, line) in pretty.lines().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        out.push_str("    ");
        out.push_str(line);
    }
    out
}

/// A stored fragment as the pretty descriptor `cyoda help TOPIC --format json` prints (with
/// its trailing newline). A JSON string never holds a raw newline, so every line of the
/// fragment is one line of the document and starts with the four spaces to remove.
pub fn descriptor_text(fragment: &str) -> String {
    let mut out = String::with_capacity(fragment.len() + 1);
    for line in fragment.lines() {
        out.push_str(line.strip_prefix("    ").unwrap_or(line));
        out.push('\n');
    }
    out
}

/// Writes the pretty HelpPayload of `version` made of `fragments` (in tree order), byte for
/// byte what `serde_json::to_writer_pretty` would write, plus a trailing newline.
pub fn write_payload<'f>(
    out: &mut dyn std::io::Write,
    version: &str,
    fragments: impl IntoIterator<Item = &'f [u8]>,
) -> std::io::Result<()> {
    let version = serde_json::to_string(version).map_err(std::io::Error::other)?;
    write!(
        out,
        "{{\n  \"schema\": 1,\n  \"version\": {version},\n  \"topics\": ["
    )?;
    let mut any = false;
    for (n, fragment) in fragments.into_iter().enumerate() {
        out.write_all(if n == 0 { b"\n" } else { b",\n" })?;
        out.write_all(fragment)?;
        any = true;
    }
    out.write_all(if any { b"\n  ]\n}\n" } else { b"]\n}\n" })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn descriptor(topic: &str) -> TopicDescriptor {
        TopicDescriptor {
            topic: topic.into(),
            path: vec![topic.into()],
            title: "T \"quoted\"\nnewline".into(),
            synopsis: String::new(),
            body: "# t\n\n## NAME\n\nt — x\n".into(),
            sections: vec![Section {
                name: "NAME".into(),
                body: "t — x".into(),
            }],
            see_also: vec![],
            stability: "stable".into(),
            actions: vec![],
            children: vec![],
            error: None,
        }
    }

    #[test]
    fn a_payload_of_fragments_is_the_pretty_payload() {
        let topics = vec![descriptor("a"), descriptor("b")];
        let fragments: Vec<String> = topics.iter().map(payload_fragment).collect();
        let mut written = Vec::new();
        write_payload(
            &mut written,
            "0.8.4-preview",
            fragments.iter().map(String::as_bytes),
        )
        .unwrap();
        let payload = HelpPayload {
            schema: 1,
            version: "0.8.4-preview".into(),
            topics,
        };
        let expected = serde_json::to_string_pretty(&payload).unwrap() + "\n";
        assert_eq!(String::from_utf8(written).unwrap(), expected);
        let mut empty = Vec::new();
        write_payload(&mut empty, "1", std::iter::empty()).unwrap();
        let none = HelpPayload {
            schema: 1,
            version: "1".into(),
            topics: vec![],
        };
        assert_eq!(
            String::from_utf8(empty).unwrap(),
            serde_json::to_string_pretty(&none).unwrap() + "\n"
        );
    }

    #[test]
    fn a_fragment_turns_back_into_the_pretty_descriptor() {
        let one = descriptor("a");
        assert_eq!(
            descriptor_text(&payload_fragment(&one)),
            serde_json::to_string_pretty(&one).unwrap() + "\n"
        );
    }
}
