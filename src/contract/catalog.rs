//! Catalog facts per error code, as the error pages' `error:` front matter states them.
//!
//! `build.rs` derives a [`Catalog`] from `help/errors/*.md` and embeds it as JSON; `cyoda check`
//! loads that JSON and never looks at markdown.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Documented retryability of a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

/// Everything `cyoda check` enforces for one error code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorContract {
    /// Canonical upper-case code, the `properties.errorCode` value.
    pub code: String,
    /// Documented HTTP status.
    pub status: u16,
    /// Standard reason phrase of `status`, the envelope's `title`.
    pub title: String,
    pub retryable: Retryability,
    pub ticket: TicketRule,
    /// Documented but not raised by this server version.
    pub reserved: bool,
    /// Extra `properties` members the envelope may carry, with their JSON types.
    pub properties: BTreeMap<String, PropertyType>,
}

/// The set of documented codes for one server version.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    /// The cyoda-go version the catalog documents, e.g. `0.6.2`.
    pub version: String,
    /// Contracts keyed by canonical code.
    pub codes: BTreeMap<String, ErrorContract>,
    /// Answers of [`Catalog::closest`] already worked out.
    #[serde(skip)]
    suggestions: SuggestionCache,
}

/// Remembers "did you mean" answers: a capture that repeats one unknown code thousands of times
/// (a newer server's code, a proxy's) would otherwise pay the string comparison against every
/// documented code each time. Bounded, so hostile input cannot grow it.
#[derive(Debug, Default)]
struct SuggestionCache(std::sync::Mutex<std::collections::HashMap<String, Option<String>>>);

const SUGGESTION_CACHE_LIMIT: usize = 256;

impl Clone for SuggestionCache {
    fn clone(&self) -> Self {
        SuggestionCache::default()
    }
}

impl PartialEq for SuggestionCache {
    /// A cache says nothing about the catalog itself.
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for SuggestionCache {}

impl Catalog {
    /// A catalog of `codes` for cyoda-go `version`.
    pub fn new(version: impl Into<String>, codes: BTreeMap<String, ErrorContract>) -> Self {
        Catalog {
            version: version.into(),
            codes,
            suggestions: SuggestionCache::default(),
        }
    }

    /// The contract of `code`, matched exactly (codes are case-sensitive on the wire).
    pub fn get(&self, code: &str) -> Option<&ErrorContract> {
        self.codes.get(code)
    }

    /// The documented code closest to `code`, for "did you mean" hints.
    pub fn closest(&self, code: &str) -> Option<&str> {
        let cached = self
            .suggestions
            .0
            .lock()
            .ok()
            .and_then(|cache| cache.get(code).cloned());
        let answer = match cached {
            Some(answer) => answer,
            None => {
                let answer = self.compute_closest(code).map(str::to_string);
                if let Ok(mut cache) = self.suggestions.0.lock()
                    && cache.len() < SUGGESTION_CACHE_LIMIT
                {
                    cache.insert(code.to_string(), answer.clone());
                }
                answer
            }
        };
        // Hand out the catalog's own string, which lives as long as `self`.
        let answer = answer?;
        self.codes
            .get_key_value(answer.as_str())
            .map(|(known, _)| known.as_str())
    }

    fn compute_closest(&self, code: &str) -> Option<&str> {
        let wanted = code.to_ascii_uppercase();
        self.codes
            .keys()
            .map(|known| (strsim::jaro_winkler(&wanted, known), known))
            .filter(|(score, _)| *score >= 0.85)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, known)| known.as_str())
    }
}
