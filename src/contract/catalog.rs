//! Catalog facts per error code and server version: what the pinned tables
//! (`help/catalog/<version>.tsv`) say, with the property types the error pages add.
//!
//! `build.rs` derives one [`Catalog`] per version and embeds it packed (`crate::topics::packed`);
//! `cyoda check` reads the unpacked catalog and never looks at a table or a page.

use serde::Serialize;
use std::borrow::Cow;

/// Documented retryability of a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Retryability {
    /// The envelope carries `"retryable": true`.
    Yes,
    /// `retryable` is absent or `false`.
    No,
    /// Either; the topic explains when a retry is safe.
    Conditional,
}

impl Retryability {
    pub fn as_str(self) -> &'static str {
        match self {
            Retryability::Yes => "yes",
            Retryability::No => "no",
            Retryability::Conditional => "conditional",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "yes" => Some(Retryability::Yes),
            "no" => Some(Retryability::No),
            "conditional" => Some(Retryability::Conditional),
            _ => None,
        }
    }
}

/// Whether the documentation promises a `ticket` member.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TicketRule {
    /// Every response carries a `ticket` UUID (documented for 5xx).
    Required,
    /// No response carries a `ticket` (4xx).
    Absent,
}

impl TicketRule {
    pub fn as_str(self) -> &'static str {
        match self {
            TicketRule::Required => "required",
            TicketRule::Absent => "absent",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "required" => Some(TicketRule::Required),
            "absent" => Some(TicketRule::Absent),
            _ => None,
        }
    }
}

/// JSON type of a documented extra `properties` member.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PropertyType {
    String,
    Integer,
    Number,
    Boolean,
    Object,
    Array,
}

impl PropertyType {
    pub fn as_str(self) -> &'static str {
        match self {
            PropertyType::String => "string",
            PropertyType::Integer => "integer",
            PropertyType::Number => "number",
            PropertyType::Boolean => "boolean",
            PropertyType::Object => "object",
            PropertyType::Array => "array",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "string" => PropertyType::String,
            "integer" => PropertyType::Integer,
            "number" => PropertyType::Number,
            "boolean" => PropertyType::Boolean,
            "object" => PropertyType::Object,
            "array" => PropertyType::Array,
            _ => return None,
        })
    }
}

/// Text that is borrowed from the binary at run time (slices of the packed catalogs) and owned
/// while `build.rs` derives them.
pub type Text = Cow<'static, str>;

/// Everything `cyoda check` enforces for one error code in one server version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorContract {
    /// Canonical upper-case code, the `properties.errorCode` value.
    pub code: Text,
    /// Documented HTTP status.
    pub status: u16,
    /// Standard reason phrase of `status`, the envelope's `title`.
    pub title: Text,
    pub retryable: Retryability,
    pub ticket: TicketRule,
    /// Documented but not raised by this server version.
    pub reserved: bool,
    /// Extra `properties` members this version's server sets for the code, with their JSON
    /// types, sorted by name.
    pub properties: Cow<'static, [(Text, PropertyType)]>,
    /// Related topics, in the order the version's table gives (only topics this tool ships).
    pub see_also: Cow<'static, [Text]>,
    /// The table's `server_notes` tags: where this version's server differs from its
    /// documentation for the code.
    pub server_notes: Cow<'static, [Text]>,
}

impl ErrorContract {
    /// The JSON type of an extra `properties` member the server sets.
    pub fn property(&self, name: &str) -> Option<PropertyType> {
        self.properties
            .binary_search_by(|(known, _)| known.as_ref().cmp(name))
            .ok()
            .and_then(|at| self.properties.get(at))
            .map(|(_, kind)| *kind)
    }

    /// Whether the table says the server never sends this code in this version.
    pub fn never_sent(&self) -> bool {
        self.server_notes
            .iter()
            .any(|tag| NOT_SENT_TAGS.contains(&tag.as_ref()))
    }
}

/// `server_notes` tags that mean no client receives the code as an `errorCode`.
pub const NOT_SENT_TAGS: &[&str] = &[
    "never_raised",
    "prefix_only_in_plain_error",
    "only_unreachable_stub",
    "unreachable_with_in_tree_backends",
];

/// A code this version does not define but another version does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Elsewhere {
    pub code: Text,
    /// Where it exists and how to check against it: `added in 0.6.3; pass --server-version
    /// 0.6.3`.
    pub note: Text,
}

/// The documented codes of one cyoda-go version.
#[derive(Debug)]
pub struct Catalog {
    /// The cyoda-go version, e.g. `0.8.3`.
    pub version: Text,
    /// An untagged release branch: its facts may still change.
    pub preview: bool,
    /// Sorted by code.
    pub codes: Cow<'static, [ErrorContract]>,
    /// Codes of other versions that this one lacks, sorted by code.
    pub elsewhere: Cow<'static, [Elsewhere]>,
    /// Answers of [`Catalog::closest`] already worked out.
    pub suggestions: SuggestionCache,
}

/// Remembers "did you mean" answers: a capture that repeats one unknown code thousands of times
/// (a proxy's, a typo in a client) would otherwise pay the string comparison against every
/// documented code each time. Bounded, so hostile input cannot grow it.
#[derive(Debug, Default)]
pub struct SuggestionCache(
    std::sync::Mutex<Option<std::collections::HashMap<String, Option<String>>>>,
);

impl SuggestionCache {
    /// An empty cache; `const` so that a generated static can hold one.
    pub const fn new() -> Self {
        SuggestionCache(std::sync::Mutex::new(None))
    }
}

const SUGGESTION_CACHE_LIMIT: usize = 256;

impl Catalog {
    /// A catalog of `codes` (any order) for cyoda-go `version`.
    pub fn new(
        version: impl Into<Text>,
        preview: bool,
        mut codes: Vec<ErrorContract>,
        mut elsewhere: Vec<Elsewhere>,
    ) -> Self {
        codes.sort_by(|a, b| a.code.cmp(&b.code));
        elsewhere.sort_by(|a, b| a.code.cmp(&b.code));
        Catalog {
            version: version.into(),
            preview,
            codes: codes.into(),
            elsewhere: elsewhere.into(),
            suggestions: SuggestionCache::new(),
        }
    }

    /// The contract of `code`, matched exactly (codes are case-sensitive on the wire).
    pub fn get(&self, code: &str) -> Option<&ErrorContract> {
        self.codes
            .binary_search_by(|known| known.code.as_ref().cmp(code))
            .ok()
            .and_then(|at| self.codes.get(at))
    }

    /// Where another version defines `code`, when this one does not.
    pub fn elsewhere(&self, code: &str) -> Option<&Elsewhere> {
        self.elsewhere
            .binary_search_by(|known| known.code.as_ref().cmp(code))
            .ok()
            .and_then(|at| self.elsewhere.get(at))
    }

    /// `cyoda-go 0.8.3`, or `cyoda-go 0.8.4-preview (a preview: its facts may change)`.
    pub fn server_name(&self) -> String {
        server_name(&self.version, self.preview)
    }

    /// The documented code closest to `code`, for "did you mean" hints.
    pub fn closest(&self, code: &str) -> Option<&str> {
        let cached = self
            .suggestions
            .0
            .lock()
            .ok()
            .and_then(|cache| cache.as_ref().and_then(|map| map.get(code).cloned()));
        let answer = match cached {
            Some(answer) => answer,
            None => {
                let answer = self.compute_closest(code).map(str::to_string);
                if let Ok(mut cache) = self.suggestions.0.lock() {
                    let map = cache.get_or_insert_with(Default::default);
                    if map.len() < SUGGESTION_CACHE_LIMIT {
                        map.insert(code.to_string(), answer.clone());
                    }
                }
                answer
            }
        };
        // Hand out the catalog's own string, which lives as long as `self`.
        self.get(answer?.as_str()).map(|known| known.code.as_ref())
    }

    fn compute_closest(&self, code: &str) -> Option<&str> {
        let wanted = code.to_ascii_uppercase();
        self.codes
            .iter()
            .map(|known| {
                (
                    strsim::jaro_winkler(&wanted, &known.code),
                    known.code.as_ref(),
                )
            })
            .filter(|(score, _)| *score >= 0.85)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, known)| known)
    }
}

/// `cyoda-go 0.8.3`, with the preview marking for a preview.
pub fn server_name(version: &str, preview: bool) -> String {
    if preview {
        format!("cyoda-go {version} (a preview: its facts may change)")
    } else {
        format!("cyoda-go {version}")
    }
}

/// What a `server_notes` tag means for one code, in our words (`help/catalog/server-notes.tsv`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerNote {
    pub tag: Text,
    pub code: Text,
    /// True of the server in every version whose table carries the tag for the code.
    pub note: Text,
    /// What a client sees once the tag stops applying; empty when "no longer: `note`" says it.
    pub ended: Text,
}

/// The description of `tag` for `code`.
pub fn server_note<'n>(notes: &'n [ServerNote], tag: &str, code: &str) -> Option<&'n ServerNote> {
    notes.iter().find(|n| n.tag == tag && n.code == code)
}
